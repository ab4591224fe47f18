"""One question of the walkthrough: its card, its answer controls, and the callbacks that save.

Each card is a Streamlit fragment of its own, so a tap re-draws that card (and the progress at
the top of the page, which the callback asks for by its fragment key), not the whole room: with
40 questions in a room, a whole-page run after every tap is what made answering feel slow.

Every control shows what the database holds: it is set from the stored answer when the card is
drawn, and a change is written by its callback before anything is drawn again. The note and the
photos are typed and chosen in a form and saved together with one button, so that tapping
"Browse files" after typing a note (how occupational therapists record evidence) cannot close
the panel and lose either.

Two layouts: roomy (a bordered card, the question above big answer buttons) for a family on a
phone, and compact (the question and its answer on one row on a wide screen, the note and photo
behind an icon) for an occupational therapist on a tablet. :mod:`homeaudit.app.view` keeps
which one this device uses.
"""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import streamlit as st
from streamlit.errors import StreamlitAPIException

from homeaudit import limits
from homeaudit.app import state
from homeaudit.app.view import Units
from homeaudit.app.widgets import md, reveal, save, show_toasts
from homeaudit.audit import RESIDENT_VISIT, Answer
from homeaudit.checklist import Item
from homeaudit.photos import UPLOAD_TYPES, Kept, PhotoError, keep
from homeaudit.store import Store, StoreError
from homeaudit.units import DIMENSIONS, dimension_of, format_range, likely_unit_slip, normalise_unit, unit_name
from homeaudit.words import BASES, BASIS_LABELS, INCIDENT_LABELS, INCIDENTS, counted

#: The fragment at the top of the walkthrough (progress, room list): every answer re-draws it.
PROGRESS_FRAGMENT = "walk-progress"
#: The end of the session-state key that says a card's note panel is open (after the card's prefix).
PANEL_OPEN = "|more"
#: The card the page should bring into view after this run (set by an answer's callback).
ADVANCE_KEY = "_advance_to"
MAX_MB = limits.MAX_PHOTO_BYTES // limits.MB


@dataclass(frozen=True)
class Place:
    """Where a card is and what it needs to know about its neighbours: the audit and room visit,
    this card's fragment key, and the room's questions in order (item id, the card's element key)
    so that an answer can move on to the next question still open."""

    audit_id: str
    visit: int
    fragment: str
    room_cards: tuple[tuple[str, str], ...]
    ot: bool = False
    compact: bool = False
    units: Units = "asked"


def element_key(audit_id: str, visit: int, item: Item) -> str:
    """The card's container key (``st-key-…`` in the page): stable, so tests and scrolling find it."""
    return f"item-{item.answer_type}-" + re.sub(r"[^A-Za-z0-9_-]", "-", f"{audit_id}|{visit}|{item.id}")


def choices(item: Item, visit: int) -> tuple[str, ...]:
    """The answers offered for a question. A yes/no question about the person is answered Yes or
    No ("Is the person a woman past the menopause?" is "No" for a man); a choice about the person
    keeps "Not applicable" ("where was the last fall" when there was none). The Start page and the
    walkthrough both ask through this, so an answer given on one shows on the other."""
    if visit == RESIDENT_VISIT and item.answer_type == "yes_no":
        return tuple(v for v in item.option_values if v != "na")
    return item.option_values


# --------------------------------------------------------------------------- drawing a card


def draw(place: Place, item: Item) -> None:
    """The card as a fragment of its own (its key: ``place.fragment``)."""
    st.fragment(key=place.fragment)(_card)(place, item)


def _card(place: Place, item: Item) -> None:
    answer = _stored(place, item)
    prefix = f"{place.audit_id}|{place.visit}|{item.id}"
    with st.container(border=not place.compact, key=element_key(place.audit_id, place.visit, item)):
        if item.answer_type == "measurement":
            _measurement(place, item, answer, prefix)
        else:
            _choice(place, item, answer, prefix)
        if answer is not None and answer.note:  # in compact rows too: a note is evidence, seen at a glance
            st.text(f"Note: {answer.note}")
        if answer is not None and answer.is_answered and _is_carried(place, item):
            st.button(
                "From the last visit. Still the same? Tap to confirm",
                icon=":material/history:",
                key=prefix + "|confirm",
                on_click=_confirm,
                args=(place, item.id),
            )
        if not place.compact:
            _panel_button(place, answer, prefix)
        if st.session_state.get(prefix + PANEL_OPEN):
            _panel(place, item, answer, prefix)
    show_toasts()


def _is_carried(place: Place, item: Item) -> bool:
    try:
        return state.get_store().is_carried(place.audit_id, place.visit, item.id)
    except StoreError:
        return False


def _confirm(place: Place, item_id: str) -> None:
    """An answer from the last visit is still true: it is no longer marked, and the page moves on."""
    if save(lambda s: s.confirm_answers(place.audit_id, [(place.visit, item_id)])):
        _answered(place, item_id)


def _stored(place: Place, item: Item) -> Answer | None:
    try:
        return state.get_store().answer(place.audit_id, place.visit, item.id)
    except StoreError:
        return None  # the page's own load has already said what is wrong with the database


def _choice(place: Place, item: Item, answer: Answer | None, prefix: str) -> None:
    key = prefix + "|value"
    options = choices(item, place.visit)
    st.session_state[key] = answer.value if answer is not None and answer.value in options else None
    control: dict[str, Any] = {
        "options": options,
        "format_func": _option_words(item),
        "key": key,
        "on_change": _save_choice,
        "args": (place, item.id, key),
        "required": True,  # a second tap on the chosen answer must not erase it
    }
    wide = item.answer_type == "choice"
    if not place.compact:
        st.segmented_control(md(item.question), help=_help_text(item), width="stretch" if wide else "content", **control)
        return
    if wide:  # sentences to choose from: under the question, one per line
        st.markdown(md(item.question), help=_help_text(item))
        with st.container(horizontal=True, vertical_alignment="top", gap="small"):
            st.segmented_control(md(item.question), label_visibility="collapsed", width="stretch", **control)
            _panel_button(place, answer, prefix)
        return
    # Compact: the question and its buttons on one row where there is room (stacked on a phone).
    question, buttons = st.columns([0.56, 0.44], vertical_alignment="center", gap="small")
    question.markdown(md(item.question), help=_help_text(item))
    with buttons, st.container(horizontal=True, vertical_alignment="center", gap="small"):
        st.segmented_control(md(item.question), label_visibility="collapsed", **control)
        _panel_button(place, answer, prefix)


@functools.lru_cache(maxsize=4096)
def _option_words(item: Item) -> Callable[[str], str]:
    return lambda value: md(item.option_label(value))


@functools.lru_cache(maxsize=4096)
def _help_text(item: Item) -> str:
    text = item.help
    if item.answer_type == "measurement" and item.range:
        text += "\n\nSafe range: " + format_range(item.range[0], item.range[1], item.range_unit or item.unit or "cm")
    return md(text)


def _start_unit(item: Item, units: Units) -> str:
    """The unit a new reading starts in: the question's own, or this device's choice."""
    item_unit = normalise_unit(item.unit or "cm")
    if units == "asked":
        return item_unit
    metric, imperial = DIMENSIONS[dimension_of(item_unit)].pair
    return metric if units == "metric" else imperial


def _measurement(place: Place, item: Item, answer: Answer | None, prefix: str) -> None:
    item_unit = normalise_unit(item.unit or "cm")
    units = list(DIMENSIONS[dimension_of(item_unit)].pair)
    if item_unit not in units:
        units.insert(0, item_unit)
    value = answer.value if answer is not None else None
    is_na = value == "na"
    if answer is not None and answer.is_answered and not is_na:
        unit = normalise_unit(answer.unit or item_unit)  # a saved reading without a unit is in the item's unit
    else:
        unit = st.session_state.get(prefix + "|unit_chosen") or _start_unit(item, place.units)
    if unit not in units:
        units.append(unit)
    number = None
    if value is not None and not is_na:
        with contextlib.suppress(TypeError, ValueError):
            number = float(value)
    st.session_state[prefix + "|number"] = number
    st.session_state[prefix + "|unit"] = unit
    st.session_state[prefix + "|na"] = is_na
    number_input: dict[str, Any] = {
        "label": md(item.question),
        "min_value": 0.0,
        "step": 0.5,
        "format": "%.1f",
        "key": prefix + "|number",
        "on_change": _save_measure,
        "args": (place, item, prefix),
        "disabled": is_na,
        "placeholder": "Number" if place.compact else "Type the number",
    }
    unit_control: dict[str, Any] = {
        "label": "Unit",
        "options": units,
        "format_func": unit_name,
        "key": prefix + "|unit",
        "required": True,
        "on_change": _save_measure,
        "args": (place, item, prefix),
        "label_visibility": "collapsed",
        "disabled": is_na,
    }
    not_applicable: dict[str, Any] = {
        "label": "Can't measure or not applicable",
        "key": prefix + "|na",
        "on_change": _save_not_applicable,
        "args": (place, item, prefix),
    }
    if place.compact:  # the question on the left; the number, its unit and the note on the right
        question, reading = st.columns([0.56, 0.44], vertical_alignment="center", gap="small")
        question.markdown(md(item.question), help=_help_text(item))
        with reading:
            with st.container(horizontal=True, gap="small", vertical_alignment="center"):
                st.number_input(label_visibility="collapsed", width=120, **number_input)
                st.segmented_control(**unit_control)
                _panel_button(place, answer, prefix)
            st.checkbox(**not_applicable)
    else:
        st.number_input(help=_help_text(item), **number_input)
        with st.container(horizontal=True, gap="small", vertical_alignment="center"):
            st.segmented_control(**unit_control)
            st.checkbox(**not_applicable)
    range_unit = item.range_unit or item_unit
    slip = likely_unit_slip(number, unit, range_unit, *item.range) if number is not None and item.range else None
    if number is not None and slip:
        st.warning(
            f"{number:g} {unit_name(unit, number)} is far outside what a home usually measures here. "
            f"If you measured in {unit_name(slip)}, switch the unit to {unit_name(slip)}."
        )


# --------------------------------------------------------------------------- the note and photo panel


def _panel_button(place: Place, answer: Answer | None, prefix: str) -> None:
    """The button that opens (and closes) the card's note panel, and says what the answer holds.

    A plain button and a panel drawn in the card, not a popover: forty popovers on a page made
    every tap on an answer take a third longer to settle in the browser (170 ms against 115 ms
    in the largest room), and a panel in the card's own flow cannot run off a phone's screen."""
    note = answer.note if answer is not None else ""
    photos = answer.photos if answer is not None else ()
    with_photos = place.visit != RESIDENT_VISIT  # questions about the person need no pictures
    if st.session_state.get(prefix + PANEL_OPEN):
        label, icon = ("Close note and photos" if with_photos else "Close the note"), ":material/expand_less:"
    elif note or photos:
        label = ", ".join((["Note"] if note else []) + ([counted(len(photos), "photo")] if photos else []))
        icon = ":material/photo_camera:" if with_photos else ":material/edit_note:"
    else:
        label = "Note or photo" if with_photos else "Note"
        icon = ":material/photo_camera:" if with_photos else ":material/edit_note:"
    st.button(label, icon=icon, type="tertiary", key=prefix + "|panel_button", on_click=_toggle_panel, args=(prefix,))


def _toggle_panel(prefix: str) -> None:
    opening = not st.session_state.get(prefix + PANEL_OPEN)
    st.session_state[prefix + PANEL_OPEN] = opening
    st.session_state[prefix + "|panel_focus"] = opening  # the keyboard's focus goes in with it


def _panel(place: Place, item: Item, answer: Answer | None, prefix: str) -> None:
    """The note, photos, "did someone fall here?" and "seen or told?" of one answer, built only
    while it is open."""
    note = answer.note if answer is not None else ""
    photos = answer.photos if answer is not None else ()
    inside = "notes-" + element_key(place.audit_id, place.visit, item).removeprefix("item-")  # not "item-": cards' CSS
    with st.container(key=inside, border=True):
        _details_controls(place, item, answer, prefix)
        _note_and_photo_form(place, item, note, prefix, with_photos=place.visit != RESIDENT_VISIT)
        for ref in photos:
            try:
                st.image(state.get_store().photo_bytes(ref, place.audit_id), width=240)
            except StoreError:
                st.text(f"Photo {ref} (kept outside this database)")
            st.button(
                "Remove this photo",
                key=f"{prefix}|remove|{ref}",
                icon=":material/delete:",
                on_click=_remove_photo,
                args=(place, item.id, ref),
            )
        if answer is not None and answer.is_answered:
            st.button(
                "Clear this answer",
                key=prefix + "|clear",
                icon=":material/backspace:",
                type="tertiary",
                on_click=_clear_answer,
                args=(place, item.id),
            )
        if st.session_state.pop(prefix + "|panel_focus", False):  # last: no gap at the panel's top
            reveal(inside)


def _note_and_photo_form(place: Place, item: Item, note: str, prefix: str, with_photos: bool) -> None:
    note_key, seen_key = prefix + "|note", prefix + "|note_seen"
    # The box shows the saved note, but text typed and not saved yet is left alone when the card
    # is drawn again (after "did someone fall here?", say): set only when the saved note changed.
    if st.session_state.get(seen_key) != note or note_key not in st.session_state:
        st.session_state[note_key] = note
        st.session_state[seen_key] = note
    counter = prefix + "|upload_n"
    n = st.session_state.get(counter, 0)
    upload_key, camera_key = f"{prefix}|upload|{n}", f"{prefix}|camera|{n}"
    use_camera = with_photos and st.toggle("Use this device's camera", key=prefix + "|use_camera")
    with st.form(prefix + "|form", border=False, enter_to_submit=False):
        st.text_area(
            "Note (optional)",
            key=note_key,
            placeholder="What did you see? Where exactly?",
            max_chars=limits.MAX_NOTE,
        )
        if with_photos:
            st.file_uploader(
                f"Add photos (JPEG, PNG or HEIC, up to {MAX_MB} MB each)",
                type=list(UPLOAD_TYPES),
                max_upload_size=MAX_MB,
                accept_multiple_files=True,
                key=upload_key,
            )
            if use_camera:
                st.camera_input("Take a photo", key=camera_key)
        st.form_submit_button(
            "Save note and photos" if with_photos else "Save the note",
            type="primary",
            icon=":material/save:",
            on_click=_save_note_and_photos,
            args=(place, item.id, prefix, upload_key, camera_key, counter),
        )


# --------------------------------------------------------------------------- callbacks


def _answered(place: Place, item_id: str) -> None:
    """After an answer: bring the next open question of the room into view, and re-draw only
    this card and the progress at the top."""
    _advance(place, item_id)
    _rerun(place.fragment, PROGRESS_FRAGMENT)


def rerun_page() -> None:
    """Re-draw the whole page, from the callback of a control inside a fragment (whose default
    is to re-draw only its fragment): moving to another room, say."""
    st.rerun()


def _rerun(*fragments: str) -> None:
    """Re-draw just these fragments. Only a callback of a running app can ask for that (a test
    without the fragment's runtime, or a rerun of the whole page, falls back to its own rerun)."""
    with contextlib.suppress(StreamlitAPIException):
        st.rerun(list(fragments))


def _advance(place: Place, item_id: str) -> None:
    ids = [i for i, _ in place.room_cards]
    if item_id not in ids:
        return
    try:
        audit = state.get_store().load_audit(place.audit_id)
        carried = state.get_store().carried(place.audit_id)
    except StoreError:
        return
    answers = audit.resident if place.visit == RESIDENT_VISIT else audit.rooms[place.visit].answers
    after = place.room_cards[ids.index(item_id) + 1 :]
    # The next question still open, or (in a re-audit) still to check from the last visit.
    open_next = next(
        (key for i, key in after if i not in answers or not answers[i].is_answered or (place.visit, i) in carried), None
    )
    if open_next is not None:
        st.session_state[ADVANCE_KEY] = open_next


def _save_choice(place: Place, item_id: str, key: str) -> None:
    value = st.session_state.get(key)
    if value is None:
        save(lambda s: s.clear_answer(place.audit_id, place.visit, item_id))
        _rerun(place.fragment, PROGRESS_FRAGMENT)
    elif save(lambda s: s.save_answer(place.audit_id, place.visit, item_id, value)):
        _answered(place, item_id)


def _save_measure(place: Place, item: Item, prefix: str) -> None:
    number = st.session_state.get(prefix + "|number")
    unit = st.session_state.get(prefix + "|unit") or normalise_unit(item.unit or "")
    st.session_state[prefix + "|unit_chosen"] = unit  # kept for this reading until it is typed
    if number is None:  # the unit chosen first: the number is next, so the cursor goes into its box
        save(lambda s: s.clear_answer(place.audit_id, place.visit, item.id))
        st.session_state[ADVANCE_KEY] = element_key(place.audit_id, place.visit, item)
        _rerun(place.fragment, PROGRESS_FRAGMENT)
        return
    low, high = DIMENSIONS[dimension_of(item.unit or unit)].plausible_in(unit)
    if not low <= number <= high:
        state.flash(f"{number:g} {unit} is not a possible reading here (expected {low:g} to {high:g} {unit}). Not saved.")
        return
    if save(lambda s: s.save_answer(place.audit_id, place.visit, item.id, float(number), unit)):
        _answered(place, item.id)


def _save_not_applicable(place: Place, item: Item, prefix: str) -> None:
    if st.session_state.get(prefix + "|na"):
        if save(lambda s: s.save_answer(place.audit_id, place.visit, item.id, "na")):
            _answered(place, item.id)
    else:
        _save_measure(place, item, prefix)


def _save_note_and_photos(place: Place, item_id: str, prefix: str, upload_key: str, camera_key: str, counter: str) -> None:
    """One button saves what the panel holds: the note if it changed, then each photo (each
    checked and re-encoded; a bad one is named and the others are kept)."""
    saved: list[str] = []
    note = (st.session_state.get(prefix + "|note") or "").strip()
    if note != (st.session_state.get(prefix + "|note_seen") or "").strip():
        if not save(lambda s: s.save_note(place.audit_id, place.visit, item_id, note)):
            return
        saved.append("note" if note else "note removed")
    files = list(st.session_state.get(upload_key) or [])
    taken = st.session_state.get(camera_key)
    if taken is not None:
        files.append(taken)
    photos = 0
    for uploaded in files:
        try:
            photo = keep(uploaded.name, uploaded.getvalue())
        except PhotoError as error:
            state.flash(str(error))
            continue
        if save(functools.partial(_add_photo, place=place, item_id=item_id, photo=photo)):
            photos += 1
    if photos:
        saved.append(counted(photos, "photo"))
    st.session_state[counter] = st.session_state.get(counter, 0) + 1  # an empty uploader next time
    if saved:
        state.flash("Saved: " + " and ".join(saved) + ".", "success")
    elif not files:
        state.flash("Nothing new to save.", "success")


def _add_photo(store: Store, *, place: Place, item_id: str, photo: Kept) -> None:
    store.add_photo(place.audit_id, place.visit, item_id, photo.filename, photo.data, photo.mime)


def _answer_details(place: Place, item_id: str, prefix: str) -> None:
    basis = st.session_state.get(prefix + "|basis")
    incident = st.session_state.get(prefix + "|incident")
    save(lambda s: s.save_answer_details(place.audit_id, place.visit, item_id, basis=basis, incident=incident))


def _details_controls(place: Place, item: Item, answer: Answer | None, prefix: str) -> None:
    """Whether someone fell or nearly fell here (it moves the fix up the plan); for an OT's
    report, whether the answer was seen or told."""
    asked = (
        ("basis", "Seen or told?", BASES, BASIS_LABELS, place.ot),
        ("incident", "Did someone fall here?", INCIDENTS, INCIDENT_LABELS, place.visit != RESIDENT_VISIT and item.fall_hazard),
    )
    for field, question, values, labels, shown in asked:
        if not shown:
            continue
        st.session_state[f"{prefix}|{field}"] = getattr(answer, field) if answer else None
        st.segmented_control(
            question,
            list(values),
            format_func=labels.__getitem__,
            key=f"{prefix}|{field}",
            on_change=_answer_details,
            args=(place, item.id, prefix),
        )


def _clear_answer(place: Place, item_id: str) -> None:
    save(lambda s: s.clear_answer(place.audit_id, place.visit, item_id))
    _rerun(place.fragment, PROGRESS_FRAGMENT)


def _remove_photo(place: Place, item_id: str, ref: str) -> None:
    save(lambda s: s.remove_photo(place.audit_id, place.visit, item_id, ref))


__all__ = ["ADVANCE_KEY", "MAX_MB", "PROGRESS_FRAGMENT", "Place", "choices", "draw", "element_key", "rerun_page"]
