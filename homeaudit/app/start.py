"""Start page: begin a new audit, continue a saved one, or bring in an audit file."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import secrets
from collections.abc import Callable
from typing import Any

import streamlit as st

from homeaudit import limits
from homeaudit.app import details, signin, state, widgets
from homeaudit.app.card import choices
from homeaudit.app.widgets import md
from homeaudit.audit import RESIDENT_VISIT, Answer, Audit, AuditError, Auditor, Client, RoomVisit
from homeaudit.checklist import RESIDENT_ROOM, Item, Library
from homeaudit.store import Store, StoreError
from homeaudit.words import ROLE_CHOICES, short_date

#: How many of each room a new audit offers before the user changes it.
DEFAULT_COUNTS = {"entrance": 1, "hallway": 1, "living_room": 1, "kitchen": 1, "stairs": 1, "bathroom": 1, "bedroom": 1}
MAX_OF_A_ROOM = 6
#: The prefix of the visit details' keys in the start form.
DETAILS = "new_details_"
#: What the start page offers, as a row of choices.
MODES = {"new": "Start a new audit", "resume": "Continue a saved audit", "import": "Import a file"}


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


#: The page's address carries the draft's id (``?draft=…``): a reload finds what was typed.
DRAFT_PARAM = "draft"
_DRAFT_LOADED = "_draft_loaded"
_DRAFT_SAVED = "_draft_saved"


def _form_keys(key: str) -> bool:
    """The session keys that belong to the new-audit form (what a draft keeps)."""
    return key in {"client_name", "address", "role", "auditor_name", "date"} or key.startswith(("count_", "res_", DETAILS))


def draft_values(values: dict[str, Any]) -> dict[str, Any]:
    """What a draft keeps of the form: plain JSON values (dates as ISO text)."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if not _form_keys(key):
            continue
        out[key] = value.isoformat() if isinstance(value, dt.date) else value
    return out


def restored_values(data: dict[str, Any]) -> dict[str, Any]:
    """A draft's values as the form's widgets take them back (dates as dates; anything that
    does not belong to the form is dropped)."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        if not _form_keys(key):
            continue
        if isinstance(value, str) and (key in {"date"} or key.endswith(("date_of_birth", "referred_date", "follow_up"))):
            try:
                value = dt.date.fromisoformat(value)
            except ValueError:
                continue
        out[key] = value
    return out


def _restore_draft(store: Store) -> str:
    """The draft's id (a new one the first time), and its values put back into the form once
    per visit, before any widget is drawn."""
    draft_id = st.query_params.get(DRAFT_PARAM) or ""
    if not re.fullmatch(r"[A-Za-z0-9_-]{8,64}", draft_id):
        draft_id = secrets.token_urlsafe(12)
        st.query_params[DRAFT_PARAM] = draft_id
        st.session_state[_DRAFT_LOADED] = draft_id
        return draft_id
    if st.session_state.get(_DRAFT_LOADED) != draft_id:
        st.session_state[_DRAFT_LOADED] = draft_id
        try:
            saved = store.load_draft(draft_id)
        except StoreError:
            saved = None
        if saved:
            for key, value in restored_values(saved).items():
                st.session_state[key] = value
            st.session_state[_DRAFT_SAVED] = draft_values(saved)
            st.toast("Your unfinished new audit is back, as you left it.", icon=":material/restore:")
    return draft_id


def _save_draft(store: Store, draft_id: str, defaults: dict[str, Any]) -> None:
    """Keep the form as typed so far (only once it differs from the empty form, and only when it
    changed: opening the page writes nothing)."""
    now = draft_values({k: st.session_state.get(k) for k in st.session_state if isinstance(k, str)})
    empty = draft_values(defaults)
    typed = any(value not in (None, "", empty.get(key)) for key, value in now.items())
    if now == st.session_state.get(_DRAFT_SAVED) or not typed:
        return
    try:
        store.save_draft(draft_id, now)
    except StoreError as error:
        st.warning(md(f"What you typed is not kept yet: {error}"))
        return
    st.session_state[_DRAFT_SAVED] = now


def _new_audit_form(store: Store, library: Library) -> None:
    """The new audit's questions. Not a form: each answer is kept in a draft as it is given, so a
    reload, a locked phone or a restarted server loses nothing before "Create"."""
    draft_id = _restore_draft(store)
    defaults: dict[str, Any] = {
        "client_name": "",
        "address": "",
        "role": "family",
        "auditor_name": "",
        "date": dt.date.today(),
        **{f"count_{room.room}": DEFAULT_COUNTS.get(room.room, 0) for room in library.home_rooms},
    }
    for key, value in defaults.items():
        st.session_state.setdefault(key, value)
    st.text_input("Whose home is it? (their name)", key="client_name", placeholder="For example: Margaret Jones", max_chars=200)
    st.text_input("Address (optional)", key="address", max_chars=1000)
    st.radio("Who is doing this audit?", list(ROLE_CHOICES), format_func=ROLE_CHOICES.get, key="role")
    st.text_input("Your name (optional)", key="auditor_name", max_chars=200)
    st.date_input("Date of the visit", key="date", format=widgets.picker_format())
    with st.expander("Visit details for an occupational therapist's report (optional)"):
        details.fields(DETAILS, observations=False, keep_typed=True)

    st.subheader("Which rooms does the home have?", anchor=False)
    st.caption("Set how many of each. Put 0 for a room the home does not have. You can add rooms later.")
    with st.container(horizontal=True, gap="medium"):
        for room in library.home_rooms:
            st.number_input(
                md(library.room_name(room.room)),
                min_value=0,
                max_value=MAX_OF_A_ROOM,
                step=1,
                key=f"count_{room.room}",
                width=210,
            )

    if RESIDENT_ROOM in library.room_ids:
        resident = library.room(RESIDENT_ROOM)
        st.subheader("About the person who lives there", anchor=False)
        asked = [item for item in resident.items if item.answer_type != "measurement"]  # measured in the walkthrough
        st.caption(
            f"{len(asked)} short questions about their health and falls. Answer them here, "
            "or skip them: they are the first step of the walkthrough."
        )
        with st.expander("Answer the questions about the person now"):
            for item in asked:
                st.segmented_control(
                    md(item.question),
                    list(choices(item, RESIDENT_VISIT)),
                    format_func=_option_words(item),
                    key=f"res_{item.id}",
                    help=md(item.help),
                )
    _save_draft(store, draft_id, defaults)
    if not st.button("Create the audit and start", type="primary", icon=":material/play_arrow:", key="create"):
        return
    values = {k: st.session_state.get(k) for k in st.session_state if isinstance(k, str)}
    if not (values.get("client_name") or "").strip():
        st.error("Please type the name of the person whose home this is (a first name is enough).")
        return
    try:
        audit = new_audit_from_form(library, values)
    except ValueError as error:  # pydantic's: a field over its limit
        st.error(md(f"Please check the form: {error}"))
        return
    if not audit.rooms:
        st.error("Choose at least one room.")
        return
    audit_id = store.create_audit(audit)
    with contextlib.suppress(StoreError):
        store.delete_draft(draft_id)
    for key in [k for k in st.session_state if isinstance(k, str) and (_form_keys(k) or k in {_DRAFT_SAVED, _DRAFT_LOADED})]:
        del st.session_state[key]
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
    who = signin.current()
    if who is not None and not who.signed_in:
        st.caption(signin.SINGLE_USER)

    audit_id = state.current_audit_id()
    last = None if audit_id and store.exists(audit_id) else store.last_worked_on()
    if last is not None:  # back on a new phone session: the saved audit first, not an empty form
        audit_id = last[0]
    if audit_id and store.exists(audit_id):
        current = store.load_audit(audit_id)
        with st.container(border=True):
            said = "Open now" if last is None else "Last worked on"
            st.markdown(f"{said}: **{md(current.client.name or 'Unnamed client')}**, {short_date(current.date)}")
            with st.container(horizontal=True):
                if st.button("Continue the walkthrough", key="continue_open", icon=":material/play_arrow:", type="primary"):
                    state.go("walkthrough", audit_id)
                if st.button("See the results", key="results_open", icon=":material/bar_chart:"):
                    state.go("results", audit_id)

    # Three short choices that wrap on a phone (tabs hid "Import a file" off a 390 px screen).
    mode = st.segmented_control(
        "What would you like to do?",
        list(MODES),
        format_func=MODES.__getitem__,
        key="start_mode",
        default="new",
        required=True,
    )
    st.header(MODES[mode or "new"], anchor=False)
    if mode == "resume":
        _resume(store)
    elif mode == "import":
        _import(store, library)
    else:
        _new_audit_form(store, library)


if __name__ == "__main__":
    widgets.run_page(main)
