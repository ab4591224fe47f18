"""Shared pieces of the pages: the look, safe text, and the answer controls that save at once.

Text typed by users (names, addresses, notes, room names) is never interpreted: it is shown
with ``st.text``, in tables, or through :func:`md`, which escapes every Markdown special so
that a note like ``![x](http://example.com/t.png)`` shows those characters and fetches
nothing. No HTML is ever built from user text; the only HTML is the fixed stylesheet below.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import re
import traceback
from collections.abc import Callable

import streamlit as st
from PIL import Image

from homeaudit import limits
from homeaudit.app import state
from homeaudit.audit import RESIDENT_VISIT, Answer, Audit
from homeaudit.checklist import Item
from homeaudit.photos import UPLOAD_TYPES, PhotoError, keep
from homeaudit.store import Store, StoreError
from homeaudit.units import DIMENSIONS, dimension_of, format_range, likely_unit_slip, normalise_unit
from homeaudit.words import BASES, BASIS_LABELS, INCIDENT_LABELS, INCIDENTS, ROLE_LABELS, label, with_article

_log = logging.getLogger("homeaudit.app")

# Large, calm, high-contrast controls; one rule set, no user text inside.
STYLE = """
<style>
:root { --ha-ink: #111111; --ha-blue: #0B5394; --ha-line: #5B6B7F; }
.block-container { padding-top: 4.5rem; padding-bottom: 5rem; }
h1 { font-size: 2.1rem !important; line-height: 1.2 !important; }
h2 { font-size: 1.6rem !important; }
h3 { font-size: 1.3rem !important; }
[data-testid="stWidgetLabel"] p { font-size: 1.08rem; font-weight: 600; line-height: 1.4; color: var(--ha-ink); }
[data-testid="stCaptionContainer"] { opacity: 1 !important; }
[data-testid="stCaptionContainer"] p { font-size: 0.98rem; color: #2E3A48; }
[data-testid="stButtonGroup"] button[role="radio"] {
  min-height: 3rem; min-width: 4.5rem; padding: 0.4rem 1.1rem; font-size: 1.05rem; }
[data-testid="stButtonGroup"] button[role="radio"] p { font-size: 1.05rem; }
[data-testid="stButtonGroup"] button[aria-checked="true"] {
  background: var(--ha-blue) !important; border-color: var(--ha-blue) !important; }
[data-testid="stButtonGroup"] button[aria-checked="true"] p { color: #FFFFFF !important; font-weight: 700; }
.stButton button, .stDownloadButton button, .stFormSubmitButton button, .stPageLink a {
  min-height: 3rem; font-size: 1.05rem; }
.stButton button p, .stDownloadButton button p, .stFormSubmitButton button p { font-size: 1.05rem; }
[data-testid="stPopover"] button { min-height: 2.6rem; }
[data-testid="stNumberInput"] input, [data-testid="stTextInput"] input, [data-testid="stTextArea"] textarea {
  font-size: 1.1rem; }
[data-testid="stNumberInput"] input, [data-testid="stTextInput"] input { min-height: 3rem; }
[data-testid="stCheckbox"] label p, [data-testid="stRadio"] label p, [data-testid="stTab"] p { font-size: 1.05rem; }
[data-testid="stProgress"] > div > div { height: 0.9rem; }
[data-testid="stMetricValue"] { font-size: 2.2rem; }
[class*="st-key-item-"] { border-color: var(--ha-line) !important; gap: 0.5rem; }
/* Choices are sentences: one full-width button per line, the text wrapping, never cut off. */
[class*="st-key-item-choice-"] [role="radiogroup"] { flex-direction: column; align-items: stretch; gap: 0.4rem; width: 100%; }
[class*="st-key-item-choice-"] button[role="radio"] {
  width: 100%; border-radius: 0.5rem !important; border-width: 1px !important; height: auto; text-align: left; }
[class*="st-key-item-choice-"] button[role="radio"] > div { justify-content: flex-start; width: 100%; }
[class*="st-key-item-choice-"] button[role="radio"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important; text-align: left; }
[data-testid="stTooltipContent"], [data-testid="stTooltipContent"] p { font-size: 1.05rem !important; line-height: 1.45; }
[data-testid="stTooltipIcon"] svg { width: 1.35rem; height: 1.35rem; }
.st-key-phone-menu { display: none !important; }
@media (max-width: 760px) {
  .st-key-phone-menu { display: flex !important; flex-wrap: wrap; gap: 0.35rem !important; }
  .st-key-phone-menu a { min-height: 2.6rem; border: 1px solid var(--ha-line); border-radius: 0.5rem; padding: 0 0.7rem; }
  .st-key-phone-menu a p { font-size: 0.95rem; }
}
@media (max-width: 640px) {
  [class*="st-key-item-"] { padding: 0.8rem !important; }
  .block-container { padding-left: 0.9rem; padding-right: 0.9rem; }
}
</style>
"""

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:=^&\"'])")
# GitHub Markdown turns bare addresses into links even when escaped; a word joiner stops it.
_AUTOLINK = re.compile(r"(?i)(https?|ftp|www)(?=\\?[:.])")
WORD_JOINER = "\u2060"


@functools.lru_cache(maxsize=8192)
def md(text: str) -> str:
    """User or library text made literal for any Streamlit Markdown (labels, headers, markdown).

    Every Markdown special is backslash-escaped, so nothing becomes a link, an image, HTML,
    maths or a colour; bare web addresses get an invisible word joiner so they stay text.
    """
    lines = str(text).replace("\r\n", "\n").split("\n")
    escaped = (_MD_SPECIAL.sub(r"\\\1", line.strip()) for line in lines)
    return "  \n".join(_AUTOLINK.sub(lambda m: m.group(1) + WORD_JOINER, line) for line in escaped)


# Scrolls the page back to the top after Back/Next (Streamlit keeps the scroll position when a
# page changes its content). Fixed text: no user input ever goes into it.
_SCROLL_TOP = """<script data-n="{n}">
for (const el of [document.querySelector('[data-testid="stMain"]'), document.scrollingElement]) {{
  if (el) el.scrollTo({{top: 0, behavior: "instant"}});
}}
</script>"""


@st.cache_resource(show_spinner=False)
def _icon() -> Image.Image:
    """The browser-tab icon, drawn here: an icon from a CDN would be a call to the internet."""
    from PIL import ImageDraw

    image = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, 63, 63), radius=12, fill=(11, 83, 148, 255))
    draw.polygon([(32, 10), (54, 30), (10, 30)], fill="white")
    draw.rectangle((16, 30, 48, 52), fill="white")
    draw.rectangle((28, 38, 36, 52), fill=(11, 83, 148, 255))
    return image


def setup_page() -> None:
    """Page settings and the stylesheet; called once per run before the page."""
    st.set_page_config(page_title="Home safety audit", page_icon=_icon(), layout="centered")
    st.html(STYLE)


def scroll_to_top() -> None:
    """Ask the browser to show the top of the page (after moving to another room)."""
    n = st.session_state.get("_scroll_n", 0) + 1
    st.session_state["_scroll_n"] = n
    st.html(_SCROLL_TOP.format(n=n), unsafe_allow_javascript=True, width=1)


def run_page(main: Callable[[], None]) -> None:
    """Run a page; an unexpected error becomes a calm message (and a log entry), never a traceback.
    It says that the answers are saved only when no write has failed."""
    try:
        main()
    except StoreError as error:
        st.error(md(f"The database cannot be used: {error}. Nothing can be saved until this is fixed."))
    except Exception:  # noqa: BLE001 - Streamlit's own rerun/stop signals are BaseExceptions and pass through
        _log.exception("page failed")
        st.session_state["_last_error"] = traceback.format_exc()
        saved = "" if st.session_state.get(UNSAVED_KEY) else " Everything already answered is saved."
        st.error(f"Something went wrong on this page.{saved} Try again, or go back to the start page.")


PHONE_MENU = (("start", "Start"), ("walkthrough", "Walkthrough"), ("results", "Results"), ("audits", "Audits"))


def phone_menu() -> None:
    """The pages as big links at the top, shown only on narrow screens (where the menu folds away)."""
    with st.container(horizontal=True, gap="small", key="phone-menu"):
        for page, label in PHONE_MENU:
            st.page_link(str(state.PAGE_FILES[page]), label=label, width="content")


def show_flashes() -> None:
    """Messages from callbacks, as toasts: seen wherever the page is scrolled to; and while a
    write has failed, a banner that says so."""
    unsaved = st.session_state.get(UNSAVED_KEY)
    if unsaved:
        st.error(md(f"Your last change was NOT saved: {unsaved}"), icon=":material/error:")
    for kind, message in state.take_flashes():
        if kind == "success":
            st.toast(md(message), icon=":material/check_circle:")
        else:
            st.toast(md(message), icon=":material/error:", duration="long")


def no_audit_yet(what: str) -> None:
    st.info(f"Open an audit first to see {what}. Start a new one, or pick a saved one.")
    st.page_link(str(state.PAGE_FILES["start"]), label="Go to the start page", icon=":material/arrow_back:")


def load_open_audit(store: Store) -> Audit | None:
    """The open audit from the database, or None (with a message) if there is none."""
    audit_id = state.current_audit_id()
    if not audit_id:
        return None
    try:
        return store.load_audit(audit_id)
    except StoreError:
        st.warning(md(f"There is no audit {audit_id} in this database. It may have been deleted."))
        state.forget_audit(audit_id)
        return None


def audit_caption(audit: Audit) -> None:
    name = audit.client.name or "Unnamed client"
    st.markdown(f"**{md(name)}** · {audit.date:%d %b %Y} · audited by {md(with_article(label(ROLE_LABELS, audit.auditor.role)))}")


# --------------------------------------------------------------------------- saving


#: While a write has failed, every page says so in a banner (and never that all is saved).
UNSAVED_KEY = "_unsaved"
#: The room the walkthrough shows, remembered in the database with the next answer, so that
#: opening a room to look at it writes nothing.
ROOM_KEY = "_room_to_remember"


def save(action: Callable[[Store], object]) -> bool:
    """Run one write against the store; a StoreError becomes a message instead of a traceback,
    and a banner that stays until a write succeeds again."""
    try:
        store = state.get_store()
        action(store)
    except StoreError as error:
        st.session_state[UNSAVED_KEY] = str(error)
        state.flash(f"Not saved: {error}")
        return False
    st.session_state.pop(UNSAVED_KEY, None)
    room = st.session_state.pop(ROOM_KEY, None)
    if room is not None:
        with contextlib.suppress(StoreError):  # where the walkthrough was: a convenience, never worth a message
            store.set_last_room(*room)
    return True


def _save_choice(audit_id: str, visit: int, item_id: str, key: str) -> None:
    value = st.session_state.get(key)
    if value is None:
        save(lambda s: s.clear_answer(audit_id, visit, item_id))
    else:
        save(lambda s: s.save_answer(audit_id, visit, item_id, value))


def _save_measure(audit_id: str, visit: int, item: Item, prefix: str) -> None:
    number = st.session_state.get(prefix + "|number")
    unit = st.session_state.get(prefix + "|unit") or normalise_unit(item.unit or "")
    dim = dimension_of(item.unit or unit)
    st.session_state[f"unit_pref|{dim}"] = unit
    if number is None:
        save(lambda s: s.clear_answer(audit_id, visit, item.id))
        return
    low, high = DIMENSIONS[dim].plausible_in(unit)
    if not low <= number <= high:
        state.flash(f"{number:g} {unit} is not a possible reading here (expected {low:g} to {high:g} {unit}). Not saved.")
        return
    save(lambda s: s.save_answer(audit_id, visit, item.id, float(number), unit))


def _save_not_applicable(audit_id: str, visit: int, item: Item, prefix: str) -> None:
    if st.session_state.get(prefix + "|na"):
        save(lambda s: s.save_answer(audit_id, visit, item.id, "na"))
    else:
        _save_measure(audit_id, visit, item, prefix)


def _save_note(audit_id: str, visit: int, item_id: str, key: str) -> None:
    note = (st.session_state.get(key) or "").strip()
    save(lambda s: s.save_note(audit_id, visit, item_id, note))


def _save_photo(audit_id: str, visit: int, item_id: str, key: str, counter: str) -> None:
    uploaded = st.session_state.get(key)
    if uploaded is None:
        return
    try:
        photo = keep(uploaded.name, uploaded.getvalue())
    except PhotoError as error:
        state.flash(str(error))
    else:
        if save(lambda s: s.add_photo(audit_id, visit, item_id, photo.filename, photo.data, photo.mime)):
            state.flash("Photo saved.", "success")
    # A fresh uploader next time, so the same file is not offered twice.
    st.session_state[counter] = st.session_state.get(counter, 0) + 1


def _clear_answer(audit_id: str, visit: int, item_id: str) -> None:
    save(lambda s: s.clear_answer(audit_id, visit, item_id))


def _remove_photo(audit_id: str, visit: int, item_id: str, ref: str) -> None:
    save(lambda s: s.remove_photo(audit_id, visit, item_id, ref))


# --------------------------------------------------------------------------- one question


def _container_key(prefix: str, kind: str) -> str:
    return f"item-{kind}-" + re.sub(r"[^A-Za-z0-9_-]", "-", prefix)


MAX_MB = limits.MAX_PHOTO_BYTES // limits.MB
UNIT_WORDS = {"cm": "cm", "mm": "mm", "in": "inches", "lux": "lux", "fc": "foot-candles"}


def answer_item(audit_id: str, visit: int, item: Item, answer: Answer | None, store: Store, *, ot: bool = False) -> None:
    """One question in a card: its answer control, help one tap away (the ? beside the question),
    and a note/photo panel that is only built when opened.

    The widget shows what the database holds (it is set from the answer on every run) and a
    change is written by its callback before the page runs again.
    """
    prefix = f"{audit_id}|{visit}|{item.id}"
    with st.container(border=True, key=_container_key(prefix, item.answer_type)):
        if item.answer_type == "measurement":
            _measurement(audit_id, visit, item, answer, prefix)
        else:
            key = prefix + "|value"
            # "Not applicable" makes no sense for a question about the person.
            options = item.option_values if visit != RESIDENT_VISIT else tuple(v for v in item.option_values if v != "na")
            st.session_state[key] = answer.value if answer is not None and answer.value in options else None
            st.segmented_control(
                md(item.question),
                options,
                format_func=lambda value: md(item.option_label(value)),
                key=key,
                on_change=_save_choice,
                args=(audit_id, visit, item.id, key),
                help=_help_text(item),
                width="stretch" if item.answer_type == "choice" else "content",
                required=True,  # a second tap on the chosen answer must not erase it
            )
        if answer is not None and answer.note:
            st.text(f"Note: {answer.note}")
        _extras(audit_id, visit, item, answer, prefix, store, ot)


@functools.lru_cache(maxsize=4096)
def _help_text(item: Item) -> str:
    text = item.help
    if item.answer_type == "measurement" and item.range:
        text += "\n\nSafe range: " + format_range(item.range[0], item.range[1], item.range_unit or item.unit or "cm")
    return md(text)


def _measurement(audit_id: str, visit: int, item: Item, answer: Answer | None, prefix: str) -> None:
    item_unit = normalise_unit(item.unit or "cm")
    dim = dimension_of(item_unit)
    units = list(DIMENSIONS[dim].pair)
    if item_unit not in units:
        units.insert(0, item_unit)
    value = answer.value if answer is not None else None
    is_na = value == "na"
    if answer is not None and answer.is_answered and not is_na:
        unit = normalise_unit(answer.unit or item_unit)  # a saved reading without a unit is in the item's unit
    else:
        unit = st.session_state.get(f"unit_pref|{dim}") or item_unit  # a new reading: the unit last used
    if unit not in units:
        units.append(unit)
    number = None
    if value is not None and not is_na:
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = None
    st.session_state[prefix + "|number"] = number
    st.session_state[prefix + "|unit"] = unit
    st.session_state[prefix + "|na"] = is_na
    st.number_input(
        md(item.question),
        min_value=0.0,
        step=0.5,
        format="%.1f",
        key=prefix + "|number",
        on_change=_save_measure,
        args=(audit_id, visit, item, prefix),
        disabled=is_na,
        placeholder="Type the number",
        help=_help_text(item),
    )
    with st.container(horizontal=True, gap="small", vertical_alignment="center"):
        st.segmented_control(
            "Unit",
            units,
            format_func=lambda u: UNIT_WORDS.get(u, u),
            key=prefix + "|unit",
            required=True,
            on_change=_save_measure,
            args=(audit_id, visit, item, prefix),
            label_visibility="collapsed",
            disabled=is_na,
        )
        st.checkbox(
            "Can't measure or not applicable",
            key=prefix + "|na",
            on_change=_save_not_applicable,
            args=(audit_id, visit, item, prefix),
        )
    range_unit = item.range_unit or item_unit
    slip = likely_unit_slip(number, unit, range_unit, *item.range) if number is not None and item.range else None
    if slip:
        st.warning(
            f"{number:g} {UNIT_WORDS.get(unit, unit)} is outside the safe range. "
            f"Did you mean {number:g} {UNIT_WORDS.get(slip, slip)}? If so, switch the unit."
        )


def _answer_details(audit_id: str, visit: int, item_id: str, prefix: str) -> None:
    basis = st.session_state.get(prefix + "|basis")
    incident = st.session_state.get(prefix + "|incident")
    save(lambda s: s.save_answer_details(audit_id, visit, item_id, basis=basis, incident=incident))


def _details_controls(audit_id: str, visit: int, item: Item, answer: Answer | None, prefix: str, ot: bool) -> None:
    """Whether someone fell or nearly fell here (it moves the fix up the plan); for an OT's
    report, whether the answer was seen or told."""
    if ot:
        st.session_state[prefix + "|basis"] = answer.basis if answer else None
        st.segmented_control(
            "Seen or told?",
            list(BASES),
            format_func=BASIS_LABELS.__getitem__,
            key=prefix + "|basis",
            on_change=_answer_details,
            args=(audit_id, visit, item.id, prefix),
        )
    if visit != RESIDENT_VISIT and item.fall_hazard:
        st.session_state[prefix + "|incident"] = answer.incident if answer else None
        st.segmented_control(
            "Did someone fall here?",
            list(INCIDENTS),
            format_func=INCIDENT_LABELS.__getitem__,
            key=prefix + "|incident",
            on_change=_answer_details,
            args=(audit_id, visit, item.id, prefix),
        )


def _extras(audit_id: str, visit: int, item: Item, answer: Answer | None, prefix: str, store: Store, ot: bool) -> None:
    note = answer.note if answer is not None else ""
    photos = answer.photos if answer is not None else ()
    with_photos = visit != RESIDENT_VISIT  # questions about the person need no pictures
    label = "Note / photo" if with_photos else "Note"
    if note or photos:
        parts = (["Note"] if note else []) + ([f"{len(photos)} photo" + ("s" if len(photos) > 1 else "")] if photos else [])
        label = ", ".join(parts)
    icon = ":material/photo_camera:" if with_photos else ":material/edit_note:"
    panel = st.popover(label, icon=icon, type="tertiary", key=prefix + "|more", on_change="rerun")
    if not panel.open:
        return
    with panel:
        if answer is not None and answer.is_answered:
            st.button(
                "Clear this answer",
                key=prefix + "|clear",
                icon=":material/backspace:",
                on_click=_clear_answer,
                args=(audit_id, visit, item.id),
            )
        note_key = prefix + "|note"
        st.session_state[note_key] = note
        st.text_area(
            "Note (optional)",
            key=note_key,
            on_change=_save_note,
            args=(audit_id, visit, item.id, note_key),
            placeholder="What did you see? Where exactly?",
            max_chars=2000,
        )
        _details_controls(audit_id, visit, item, answer, prefix, ot)
        if not with_photos:
            return
        counter = prefix + "|upload_n"
        upload_key = f"{prefix}|upload|{st.session_state.get(counter, 0)}"
        st.file_uploader(
            f"Add a photo (JPEG, PNG or HEIC, up to {MAX_MB} MB)",
            type=list(UPLOAD_TYPES),
            max_upload_size=MAX_MB,
            key=upload_key,
            on_change=_save_photo,
            args=(audit_id, visit, item.id, upload_key, counter),
        )
        camera_key = f"{prefix}|camera|{st.session_state.get(counter, 0)}"
        if st.toggle("Use this device's camera", key=prefix + "|use_camera"):
            st.camera_input(
                "Take a photo", key=camera_key, on_change=_save_photo, args=(audit_id, visit, item.id, camera_key, counter)
            )
        for ref in photos:
            try:
                st.image(store.photo_bytes(ref, audit_id), width=240)
            except StoreError:
                st.text(f"Photo {ref} (kept outside this database)")
            st.button(
                "Remove this photo",
                key=f"{prefix}|remove|{ref}",
                icon=":material/delete:",
                on_click=_remove_photo,
                args=(audit_id, visit, item.id, ref),
            )
