"""Start page: begin a new audit, continue a saved one, or bring in an audit file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import streamlit as st

from homeaudit import limits
from homeaudit.app import details, state, widgets
from homeaudit.app.widgets import md
from homeaudit.audit import Answer, Audit, AuditError, Auditor, Client, RoomVisit
from homeaudit.checklist import RESIDENT_ROOM, Item, Library
from homeaudit.store import Store, StoreError
from homeaudit.words import ROLE_CHOICES

#: How many of each room a new audit offers before the user changes it.
DEFAULT_COUNTS = {"entrance": 1, "hallway": 1, "living_room": 1, "kitchen": 1, "stairs": 1, "bathroom": 1, "bedroom": 1}
MAX_OF_A_ROOM = 6
#: The prefix of the visit details' keys in the start form.
DETAILS = "new_details_"


def _option_words(item: Item) -> Callable[[str], str]:
    """How each answer of a resident question is labelled (user-written checklists: shown literally)."""
    return lambda value: md(item.option_label(value))


def new_audit_from_form(library: Library, values: dict[str, Any]) -> Audit:
    """The Audit the form describes (no Streamlit here, so it can be tested on its own)."""
    rooms: list[RoomVisit] = []
    for room in library.home_rooms:
        count = int(values.get(f"count_{room.room}", 0) or 0)
        # unlabelled: audit.visit_titles numbers them (Bedroom 1, Bedroom 2)
        rooms.extend(RoomVisit(room=room.room) for _ in range(count))
    resident = (
        {
            item.id: Answer(value=values[f"res_{item.id}"])
            for item in library.room(RESIDENT_ROOM).items
            if values.get(f"res_{item.id}") is not None
        }
        if RESIDENT_ROOM in library.room_ids
        else {}
    )
    date = values.get("date") or dt.date.today()
    client, auditor, assessment = details.read(
        {k[len(DETAILS) :]: v for k, v in values.items() if k.startswith(DETAILS)},
        Client(name=(values.get("client_name") or "").strip(), address=(values.get("address") or "").strip()),
        Auditor(name=(values.get("auditor_name") or "").strip(), role=values.get("role") or "family"),
    )
    return Audit(date=date, auditor=auditor, client=client, assessment=assessment, resident=resident, rooms=rooms)


def _new_audit_form(store: Store, library: Library) -> None:
    with st.form("new_audit", border=False):
        st.text_input("Whose home is it? (their name)", key="client_name", placeholder="For example: Margaret Jones")
        st.text_input("Address (optional)", key="address")
        st.radio("Who is doing this audit?", list(ROLE_CHOICES), format_func=ROLE_CHOICES.get, key="role")
        st.text_input("Your name (optional)", key="auditor_name")
        st.date_input("Date of the visit", value=dt.date.today(), key="date")
        with st.expander("Visit details for an occupational therapist's report (optional)"):
            details.fields(DETAILS, observations=False)

        st.subheader("Which rooms does the home have?", anchor=False)
        st.caption("Set how many of each. Put 0 for a room the home does not have. You can add rooms later.")
        with st.container(horizontal=True, gap="medium"):
            for room in library.home_rooms:
                st.number_input(
                    md(library.room_name(room.room)),
                    min_value=0,
                    max_value=MAX_OF_A_ROOM,
                    value=DEFAULT_COUNTS.get(room.room, 0),
                    step=1,
                    key=f"count_{room.room}",
                    width=210,
                )

        if RESIDENT_ROOM in library.room_ids:
            resident = library.room(RESIDENT_ROOM)
            st.subheader("About the person who lives there", anchor=False)
            st.caption(
                f"{len(resident.items)} short questions about their health and falls. Answer them here, "
                "or skip them: they are the first step of the walkthrough."
            )
            with st.expander("Answer the questions about the person now"):
                for item in resident.items:
                    if item.answer_type == "measurement":
                        continue  # knee height is measured in the walkthrough, with its unit
                    st.segmented_control(
                        md(item.question),
                        list(item.option_values),
                        format_func=_option_words(item),
                        key=f"res_{item.id}",
                        help=md(item.help),
                    )
        submitted = st.form_submit_button("Create the audit and start", type="primary", icon=":material/play_arrow:")
    if not submitted:
        return
    values = {k: st.session_state.get(k) for k in st.session_state if isinstance(k, str)}
    if not (values.get("client_name") or "").strip():
        st.error("Please type the name of the person whose home this is (a first name is enough).")
        return
    audit = new_audit_from_form(library, values)
    if not audit.rooms:
        st.error("Choose at least one room.")
        return
    audit_id = store.create_audit(audit)
    walk = state.stops(store.load_audit(audit_id), library)
    state.go("walkthrough", audit_id, walk[0].key if walk else None)


def _resume(store: Store) -> None:
    saved = sorted(store.list_audits(), key=lambda a: a["updated_at"], reverse=True)  # last worked on first
    if not saved:
        st.info("No audits are saved yet.")
        return
    by_id = {a["id"]: a for a in saved}
    choice = st.selectbox(
        "Choose an audit",
        list(by_id),
        format_func=lambda i: f"{by_id[i]['client'] or 'Unnamed'} — {by_id[i]['date']:%d %b %Y}",
        key="resume_choice",
    )
    if st.button("Continue this audit", key="resume", icon=":material/play_arrow:") and choice:
        state.go("walkthrough", choice)
    st.page_link(str(state.PAGE_FILES["audits"]), label="See all saved audits", icon=":material/folder_open:")


def _import(store: Store, library: Library) -> None:
    st.caption("An audit file (.yaml or .json, format homeaudit/1), or a .zip exported from this app with its photos.")
    upload = st.file_uploader(
        "Audit file", type=["yaml", "yml", "json", "zip"], key="import_file", max_upload_size=limits.MAX_BUNDLE_BYTES // limits.MB
    )
    if upload is None:
        return
    if not st.button("Import this file", key="import", icon=":material/upload_file:", type="primary"):
        return
    try:
        # The same checks as `homeaudit import` (homeaudit.limits), in one transaction.
        done = store.import_file(upload.getvalue(), library, upload.name)
    except AuditError as error:
        problems = str(error).splitlines()
        st.error(
            md(f"This file cannot be imported ({len(problems)} problem{'s' if len(problems) > 1 else ''}); nothing was saved.")
        )
        st.code("\n".join(problems), language=None, wrap_lines=True)
        return
    except StoreError as error:
        st.error(md(f"Not saved: {error}"))
        return
    if done.status == "duplicate":
        state.flash("This audit is already saved here, exactly as in the file: it was not imported twice.", "success")
    state.go("results", done.audit_id)


def main() -> None:
    widgets.show_flashes()
    store, library = state.get_store(), state.get_library()
    st.title("Home safety audit")
    st.markdown("Check a home room by room for things that cause falls or strain a sore back, then print what to fix first.")

    audit_id = state.current_audit_id()
    if audit_id and store.exists(audit_id):
        current = store.load_audit(audit_id)
        with st.container(border=True):
            st.markdown(f"Open now: **{md(current.client.name or 'Unnamed client')}**, {current.date:%d %b %Y}")
            with st.container(horizontal=True):
                if st.button("Continue the walkthrough", key="continue_open", icon=":material/play_arrow:", type="primary"):
                    state.go("walkthrough", audit_id)
                if st.button("See the results", key="results_open", icon=":material/bar_chart:"):
                    state.go("results", audit_id)

    new, resume, upload = st.tabs(["Start a new audit", "Continue a saved audit", "Import a file"])
    with new:
        _new_audit_form(store, library)
    with resume:
        _resume(store)
    with upload:
        _import(store, library)


if __name__ == "__main__":
    widgets.run_page(main)
