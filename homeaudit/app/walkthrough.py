"""Walkthrough page: one room at a time, every answer saved the moment it is given.

The page is drawn in parts that re-draw on their own (Streamlit fragments): each question card
(:mod:`homeaudit.app.card`), and the progress at the top with the room list and "Next open
question". A tap re-draws its card and the progress, never the whole room. Moving to another
room, and the settings of how the questions look, re-draw the page.
"""

from __future__ import annotations

import zlib

import streamlit as st

from homeaudit.app import card, details, state, view, widgets
from homeaudit.app.widgets import md
from homeaudit.audit import Audit
from homeaudit.checklist import Library
from homeaudit.store import StoreError
from homeaudit.words import counted

#: Set by a callback that moved to another room: the new room opens at its top.
MOVED_KEY = "_moved"


def _go_to(key: str) -> None:
    st.query_params[state.ROOM_PARAM] = key
    st.session_state[MOVED_KEY] = True


def _jump(select_key: str, keys: list[str]) -> None:
    """The room list is in the progress fragment: moving to another room re-draws the page."""
    key = st.session_state.get(select_key)
    if key in keys:
        _go_to(key)
        card.rerun_page()


def _next_open(audit_id: str, here: str) -> None:
    """Go to the first question still open: in this room after the top, else in the rooms after
    it (then the ones before), on the way skipping rooms the home does not have."""
    store, library = state.get_store(), state.get_library()
    try:
        audit = store.load_audit(audit_id)
    except StoreError:
        return
    found = state.next_open(audit, library, here)
    if found is None:
        state.flash("Every question is answered.", "success")
        card.rerun_page()
        return
    stop_key, item = found
    visit = next(s.visit for s in state.stops(audit, library) if s.key == stop_key)
    st.session_state[card.ADVANCE_KEY] = card.element_key(audit_id, visit, item)
    if stop_key != here:
        st.query_params[state.ROOM_PARAM] = stop_key
    card.rerun_page()


def _set_present(audit_id: str, visit: int, key: str) -> None:
    present = bool(st.session_state.get(key, True))
    widgets.save(lambda s: s.set_present(audit_id, visit, present))


def _rename(audit_id: str, visit: int, key: str) -> None:
    name = (st.session_state.get(key) or "").strip()
    if widgets.save(lambda s: s.rename_room(audit_id, visit, name)):
        state.flash(f"Renamed: {name}" if name else "The room has its usual name again.", "success")


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
    st.session_state[label_key] = ""
    _go_to(keys[visit])


def _change_view(field: str, key: str) -> None:
    view.change(**{field: st.session_state.get(key)})


def main() -> None:
    widgets.show_toasts()  # the NOT saved banner is drawn by the progress, which every answer re-draws
    view.write_cookie()
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
    arrived = st.session_state.get("walk_room") != (audit.id, stop.key)
    if arrived:
        st.session_state["walk_room"] = (audit.id, stop.key)
        st.session_state[widgets.ROOM_KEY] = (audit.id, stop.key)  # written with the next answer
    shown = view.current(default_compact=audit.auditor.role == "ot")

    widgets.audit_caption(audit)
    _progress(audit.id, stop.key)

    with st.container(horizontal=True, vertical_alignment="center", gap="small"):
        st.header(md(stop.title), anchor=False, width="stretch")
        if not stop.is_resident:
            _rename_control(audit, stop.visit, stop.title)
    if stop.description:
        st.caption(md(stop.description))
    answers = audit.resident if stop.is_resident else audit.rooms[stop.visit].answers

    if not stop.is_resident:
        present_key = f"present|{audit.id}|{stop.visit}"
        st.session_state[present_key] = stop.present
        st.toggle(
            "This home has this room",
            key=present_key,
            on_change=_set_present,
            args=(audit.id, stop.visit, present_key),
            help="Turn it off for a room the home does not have: its questions are then left out of the score.",
        )
    if not stop.present:
        st.info("Skipped: this home does not have this room, so its questions are left out. Turn the switch on to answer them.")
    else:
        room_cards = tuple((item.id, card.element_key(audit.id, stop.visit, item)) for item in stop.items)
        only_carried = bool(st.session_state.get(f"only_carried|{audit.id}"))
        carried = store.carried(audit.id) if only_carried else set()
        place_of = {item.id: n for n, item in enumerate(stop.items)}
        shown_any = False
        with st.container(key="walk-compact" if shown.compact else "walk-roomy"):
            for heading, items in state.by_topic(stop.items):
                if shown.only_open and not only_carried:  # copied answers are answered: "still to check" wins
                    items = [i for i in items if i.id not in answers or not answers[i.id].is_answered]
                if only_carried:
                    items = [i for i in items if (stop.visit, i.id) in carried]
                if not items:
                    continue
                shown_any = True
                st.subheader(heading, anchor=False)
                for item in items:
                    place = card.Place(
                        audit_id=audit.id,
                        visit=stop.visit,
                        fragment=f"card-{place_of[item.id]}",
                        room_cards=room_cards,
                        ot=audit.auditor.role == "ot",
                        compact=shown.compact,
                        units=shown.units,
                    )
                    card.draw(place, item)
        if not shown_any:
            done = "Nothing from the last visit is left to check in this room." if only_carried else ""
            st.success(done or "Every question in this room is answered.")

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

    _view_settings(shown)
    _visit_details(audit)
    more_rooms = st.expander("Add a room this home has that is not listed", key="add_room_open", on_change="rerun")
    if more_rooms.open:
        with more_rooms:
            _add_room_form(audit.id, library)
    target = st.session_state.pop(card.ADVANCE_KEY, None)
    moved = st.session_state.pop(MOVED_KEY, False)
    if target:
        widgets.scroll_into_view(target)
    elif arrived or moved:
        widgets.scroll_to_top()


@st.fragment(key=card.PROGRESS_FRAGMENT)
def _progress(audit_id: str, here: str) -> None:
    """How far the audit has got, the list of rooms with their state, and "Next open question".
    Re-drawn after every answer (the card's callback asks for it by its key)."""
    store, library = state.get_store(), state.get_library()
    try:
        audit = store.load_audit(audit_id)
    except StoreError:
        return
    walk = state.stops(audit, library)
    keys = [s.key for s in walk]
    prog = state.progress(audit, library, walk)
    unsaved = st.session_state.get(widgets.UNSAVED_KEY)
    if unsaved:  # re-drawn after every answer, so a failed write shows here at once
        st.error(md(f"Your last change was NOT saved: {unsaved}"), icon=":material/error:")
    st.progress(
        prog.fraction,
        text=f"Rooms done: {prog.rooms_done} of {prog.rooms_total}  ·  Questions answered: {prog.answered} of {prog.questions}",
    )
    _from_last_visit(audit, walk, here)
    labels = [state.stop_label(s, prog, here) for s in walk]
    # The labels carry progress, so they change as answers come in: a new key for new labels
    # keeps the browser from sending back a label the server no longer has.
    select_key = f"jump|{audit_id}|{here}|{zlib.crc32(chr(31).join(labels).encode()):08x}"
    st.session_state[select_key] = here if here in keys else keys[0]
    label_of = dict(zip(keys, labels, strict=True))
    with st.container(horizontal=True, vertical_alignment="bottom", gap="small"):
        st.selectbox(
            "Go to a room",
            keys,
            format_func=label_of.__getitem__,
            key=select_key,
            on_change=_jump,
            args=(select_key, keys),
            width="stretch",
        )
        if prog.answered < prog.questions:
            st.button(
                "Next open question",
                icon=":material/skip_next:",
                key="next_open",
                on_click=_next_open,
                args=(audit_id, here),
                width="content",
            )
    target = st.session_state.get(card.ADVANCE_KEY)
    if target and st.query_params.get(state.ROOM_PARAM) == here:
        # A tap in this room: the page is not drawn again, so the move happens from here.
        st.session_state.pop(card.ADVANCE_KEY, None)
        widgets.scroll_into_view(target)


def _from_last_visit(audit: Audit, walk: list[state.Stop], here: str) -> None:
    """In a re-audit: how many answers copied from the last visit are still to check, a switch to
    show only those, and one button for a room where nothing changed."""
    try:
        carried = state.get_store().carried(audit.id)
    except StoreError:
        return
    if not carried:
        return
    stop = next((s for s in walk if s.key == here), None)
    in_room = sorted(key for key in carried if stop is not None and stop.present and key[0] == stop.visit)
    with st.container(border=True, key="walk-carried"):
        st.markdown(
            "**This visit began with the answers of the last one.** "
            + md(
                f"{counted(len(carried), 'answer')} still to check ({len(in_room)} in this room): each says "
                '"From the last visit" until you confirm it or change it.'
            )
        )
        st.toggle("Show only the answers still to check", key=f"only_carried|{audit.id}", on_change=card.rerun_page)
        if in_room:
            st.button(
                "Nothing has changed in this room",
                icon=":material/done_all:",
                key=f"confirm_room|{audit.id}|{here}",
                on_click=_confirm_room,
                args=(audit.id, in_room),
            )


def _confirm_room(audit_id: str, keys: list[tuple[int, str]]) -> None:
    if widgets.save(lambda s: s.confirm_answers(audit_id, keys)):
        state.flash(f"Confirmed: {counted(len(keys), 'answer')} as at the last visit.", "success")
    card.rerun_page()


def _rename_control(audit: Audit, visit: int, title: str) -> None:
    """The room's own name ("Downstairs toilet" instead of "Bathroom 2"), saved with a button."""
    key = f"rename|{audit.id}|{visit}"
    with (
        st.popover("Rename", icon=":material/edit:", type="tertiary", key=f"rename_open|{audit.id}|{visit}"),
        st.form(f"rename_form|{audit.id}|{visit}", border=False),
    ):
        st.text_input("Name of this room", value=audit.rooms[visit].label or "", key=key, placeholder=title, max_chars=200)
        st.form_submit_button("Save the name", type="primary", on_click=_rename, args=(audit.id, visit, key))


def _view_settings(shown: view.View) -> None:
    """How the questions look on this device (remembered here, not in the audit)."""
    with st.expander("How the questions look on this device", icon=":material/tune:"):
        for field, label in (
            ("compact", "Compact: a question and its answer on one row"),
            ("only_open", "Show only the questions not answered yet"),
        ):
            st.session_state[f"view_{field}"] = getattr(shown, field)
            st.toggle(label, key=f"view_{field}", on_change=_change_view, args=(field, f"view_{field}"))
        st.session_state["view_units"] = shown.units
        st.segmented_control(
            "New measurements start in",
            list(view.UNIT_CHOICES),
            format_func=view.UNIT_CHOICES.__getitem__,
            key="view_units",
            required=True,
            on_change=_change_view,
            args=("units", "view_units"),
        )


def _visit_details(audit: Audit) -> None:
    """The visit report's details, to fill in or correct during the visit (saved with a button:
    one form, one write)."""
    panel = st.expander(details.panel_title(audit), key="details_open", on_change="rerun", icon=":material/assignment:")
    if not panel.open:
        return
    prefix = f"details|{audit.id}|"
    with panel, st.form(f"details|{audit.id}", border=False):
        details.fields(prefix, audit)
        st.form_submit_button(
            "Save the visit details", type="primary", icon=":material/save:", on_click=_save_details, args=(audit.id, prefix)
        )


def _save_details(audit_id: str, prefix: str) -> None:
    """Save the panel's fields (a callback: it reads what was submitted before the panel is drawn
    again from the database)."""
    try:
        audit = state.get_store().load_audit(audit_id)
    except StoreError as error:
        state.flash(f"Not saved: {error}")
        return
    client, auditor, assessment = details.read(details.values(prefix), audit.client, audit.auditor)
    if widgets.save(lambda s: s.update_meta(audit_id, client=client, auditor=auditor, assessment=assessment)):
        state.flash("Visit details saved.", "success")


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


__all__ = ["main"]

if __name__ == "__main__":
    widgets.run_page(main)
