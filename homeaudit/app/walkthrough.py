"""Walkthrough page: one room at a time, every answer saved the moment it is given."""

from __future__ import annotations

import zlib

import streamlit as st

from homeaudit.app import details, state, widgets
from homeaudit.app.widgets import md
from homeaudit.audit import Audit
from homeaudit.checklist import Library
from homeaudit.store import StoreError


def _go_to(key: str) -> None:
    st.query_params[state.ROOM_PARAM] = key
    st.session_state["_moved"] = True


def _jump(select_key: str, keys: list[str]) -> None:
    key = st.session_state.get(select_key)
    if key in keys:
        _go_to(key)


def _set_present(audit_id: str, visit: int, key: str) -> None:
    present = not st.session_state.get(key, False)
    widgets.save(lambda s: s.set_present(audit_id, visit, present))


def _add_room(audit_id: str, room_key: str, label_key: str) -> None:
    room = st.session_state.get(room_key)
    label = (st.session_state.get(label_key) or "").strip()
    if not room:
        return
    store = state.get_store()
    try:
        visit = store.add_room(audit_id, room, label)
    except StoreError as error:  # shown, never a traceback
        state.flash(f"Could not add the room: {error}")
        return
    keys = store.load_audit(audit_id).room_keys()
    _go_to(keys[visit])
    st.session_state[label_key] = ""


def main() -> None:
    widgets.show_flashes()
    store, library = state.get_store(), state.get_library()
    audit = widgets.load_open_audit(store)
    if audit is None:
        st.title("Walkthrough")
        widgets.no_audit_yet("its rooms")
        return
    walk = state.stops(audit, library)
    keys = [s.key for s in walk]
    # The room: the URL's, else where this audit was left last time (kept in the database).
    wanted = st.query_params.get(state.ROOM_PARAM) or store.last_room(audit.id)
    index = keys.index(wanted) if wanted in keys else 0
    stop = walk[index]
    if st.query_params.get(state.ROOM_PARAM) != stop.key:
        st.query_params[state.ROOM_PARAM] = stop.key
    if st.session_state.get("walk_room") != (audit.id, stop.key):
        st.session_state["walk_room"] = (audit.id, stop.key)
        st.session_state[widgets.ROOM_KEY] = (audit.id, stop.key)  # written with the next answer
    prog = state.progress(audit, library, walk)

    widgets.audit_caption(audit)
    st.progress(
        prog.fraction,
        text=f"Rooms done: {prog.rooms_done} of {prog.rooms_total}  ·  Questions answered: {prog.answered} of {prog.questions}",
    )

    def choice_label(key: str) -> str:
        s = walk[keys.index(key)]
        answered, total = prog.by_stop[key]
        if not s.present:
            status = "not in this home"
        elif answered >= total:
            status = "done"
        else:
            status = f"{answered} of {total}"
        return f"{s.title} ({status})"

    # The labels carry progress, so they change as answers come in: a new key for new labels
    # keeps the browser from sending back a label the server no longer has.
    labels = [choice_label(k) for k in keys]
    select_key = f"jump|{audit.id}|{stop.key}|{zlib.crc32(chr(31).join(labels).encode()):08x}"
    st.session_state[select_key] = stop.key
    label_of = dict(zip(keys, labels, strict=True))
    st.selectbox("Go to a room", keys, format_func=label_of.__getitem__, key=select_key, on_change=_jump, args=(select_key, keys))

    st.header(md(stop.title), anchor=False)
    if stop.description:
        st.caption(md(stop.description))
    answers = audit.resident if stop.is_resident else audit.rooms[stop.visit].answers

    if not stop.is_resident:
        absent_key = f"absent|{audit.id}|{stop.visit}"
        st.session_state[absent_key] = not stop.present
        st.toggle(
            "This room is not in this home",
            key=absent_key,
            on_change=_set_present,
            args=(audit.id, stop.visit, absent_key),
        )
    if not stop.present:
        st.info("Marked as not in this home: its questions are left out of the score. Turn the switch off to answer them.")
    else:
        for dim, unit in state.preferred_units(audit).items():
            st.session_state.setdefault(f"unit_pref|{dim}", unit)
        for heading, items in state.by_topic(stop.items):
            st.subheader(heading, anchor=False)
            for item in items:
                widgets.answer_item(audit.id, stop.visit, item, answers.get(item.id), store, ot=audit.auditor.role == "ot")

    st.divider()
    with st.container(horizontal=True, horizontal_alignment="distribute"):
        if index > 0:
            st.button("Back", icon=":material/arrow_back:", key="walk_back", on_click=_go_to, args=(keys[index - 1],))
        else:
            st.space("small")
        if index + 1 < len(walk):
            st.button(
                f"Next: {md(walk[index + 1].title)}",
                icon=":material/arrow_forward:",
                icon_position="right",
                type="primary",
                key="walk_next",
                on_click=_go_to,
                args=(keys[index + 1],),
            )
        elif st.button("Finish and see the results", icon=":material/check:", type="primary", key="walk_finish"):
            state.go("results", audit.id)

    _visit_details(audit)
    more_rooms = st.expander("Add a room this home has that is not listed", key="add_room_open", on_change="rerun")
    if more_rooms.open:
        with more_rooms:
            _add_room_form(audit.id, library)
    if st.session_state.pop("_moved", False):
        widgets.scroll_to_top()


def _visit_details(audit: Audit) -> None:
    """The visit report's details, to fill in or correct during the visit (saved with a button:
    one form, one write)."""
    panel = st.expander(details.panel_title(audit), key="details_open", on_change="rerun", icon=":material/assignment:")
    if not panel.open:
        return
    prefix = f"details|{audit.id}|"
    with panel, st.form(f"details|{audit.id}", border=False):
        details.fields(prefix, audit)
        if st.form_submit_button("Save the visit details", type="primary", icon=":material/save:"):
            client, auditor, assessment = details.read(details.values(prefix), audit.client, audit.auditor)
            if widgets.save(lambda s: s.update_meta(audit.id, client=client, auditor=auditor, assessment=assessment)):
                st.success("Visit details saved.")


def _add_room_form(audit_id: str, library: Library) -> None:
    names = {r.room: library.room_name(r.room) for r in library.home_rooms}
    st.selectbox(
        "Kind of room",
        list(names),
        format_func=names.__getitem__,
        key="add_room_kind",
        index=None,
        placeholder="Choose a kind of room",
    )
    st.text_input("Its name (optional)", key="add_room_label", placeholder="For example: Guest bedroom")
    st.button("Add the room", key="add_room", on_click=_add_room, args=(audit_id, "add_room_kind", "add_room_label"))


if __name__ == "__main__":
    widgets.run_page(main)
