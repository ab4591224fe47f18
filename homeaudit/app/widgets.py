"""Shared pieces of the pages: the look, safe text, and the answer controls that save at once.

Text typed by users (names, addresses, notes, room names) is never interpreted: it is shown
with ``st.text``, in tables, or through :func:`md`, which escapes every Markdown special so
that a note like ``![x](http://example.com/t.png)`` shows those characters and fetches
nothing. No HTML is ever built from user text; the only HTML is the fixed stylesheet below.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import re
import traceback
from collections.abc import Callable
from typing import Literal

import streamlit as st
from PIL import Image

from homeaudit.app import state
from homeaudit.audit import Audit
from homeaudit.store import Store, StoreError
from homeaudit.words import ROLE_LABELS, label, with_article

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
/* Each choice a button of its own, with its own border and corners, a little apart: joined into
   one bar, a row that wrapped on a phone lost the middle one's left border and corners. */
[data-testid="stButtonGroup"] [role="radiogroup"] { gap: 0.375rem; }
[data-testid="stButtonGroup"] button[role="radio"] {
  margin: 0 !important; border: 1px solid #8A96A3 !important; border-radius: 0.5rem !important; }
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
[data-testid="stProgress"] p { font-size: 1rem !important; }
/* Its words wrap on a phone: Streamlit gives them one line's height, and the bar then covered the rest. */
[data-testid="stProgress"] > div:first-child, [data-testid="stProgress"] [data-testid="stMarkdownContainer"] {
  height: auto !important; min-height: 0 !important; }
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
/* A card's note panel: set apart from the answer above it. Its Save button stays on screen, at its
   foot, while any of the panel is (a chosen photo makes the panel taller than a phone's screen). */
[class*="st-key-notes-"] { background: #F6F8FB; border-color: var(--ha-line) !important; }
[class*="st-key-notes-"] [data-testid="stElementContainer"]:has([data-testid="stFormSubmitButton"]) {
  position: sticky; bottom: -1px; z-index: 2; width: 100% !important; background: #F6F8FB; padding: 0.5rem 0 0.25rem;
  box-shadow: 0 -6px 8px -6px rgba(0, 0, 0, 0.25); }
/* Streamlit lets a text area's box scroll, which cut off the focus ring drawn round it. */
[data-testid="stElementContainer"]:has(> [data-testid="stTextArea"]) { overflow: visible !important; }
/* Form hints ("Press Ctrl+Enter to apply") mean nothing on a phone: every form has a Save button. */
[data-testid="InputInstructions"] { display: none !important; }
/* Touch targets of at least 44 px: the "?" beside a question, switches, the menu, small buttons. */
[data-testid="stTooltipHoverTarget"], [data-testid="stTooltipIcon"] {
  min-width: 44px; min-height: 44px; display: inline-flex !important; align-items: center; justify-content: center; }
[data-testid="stCheckbox"] label, [data-testid="stToggle"] label { min-height: 44px; align-items: center; }
[data-testid="stPopover"] button, .stButton button { min-height: 44px; }
[data-testid="stSelectbox"] [role="group"] input { min-height: 46px; }
[data-testid="stSelectbox"] [role="group"] button { min-width: 44px; }
/* No text below 18 px in the controls people read while walking round a home. */
[data-testid="stTopNavLink"] p, [data-testid="stTopNavLink"] span, [data-testid="stSelectbox"] div,
[data-testid="stPopover"] button p, [data-testid="stExpander"] summary p { font-size: 1rem !important; }
/* Compact rows: no card border, a rule between questions, less space around each. */
[data-testid="stMainBlockContainer"]:has(.st-key-walk-compact) { max-width: 1120px; }
.st-key-walk-compact [class*="st-key-item-"] {
  border-bottom: 1px solid #C5CEDA; padding: 0.2rem 0 0.45rem; gap: 0.3rem; }
.st-key-walk-compact [class*="st-key-item-"] [data-testid="stMarkdownContainer"] p {
  margin-bottom: 0; font-size: 1.05rem; line-height: 1.35; }
.st-key-walk-compact h3 { margin-top: 0.6rem; padding-bottom: 0; }
.st-key-walk-compact [data-testid="stNumberInputStepDown"],
.st-key-walk-compact [data-testid="stNumberInputStepUp"] { display: none; }
/* In compact rows the note-and-photo button is an icon; its words stay for screen readers. */
.st-key-walk-compact [class*="st-key-item-"] [class*="panel_button"] button [data-testid="stMarkdownContainer"] {
  position: absolute !important; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.st-key-walk-compact [class*="panel_button"] button { min-width: 44px; }
.st-key-walk-compact [data-testid="stButtonGroup"] button[role="radio"] { min-width: 3.4rem; padding: 0.4rem 0.8rem; }
/* The "?" keeps its 44 px target without making the line of text taller; above a list of choices
   there is room for it to stand out of the line. */
.st-key-walk-compact p [data-testid="stTooltipIcon"] { margin: -0.7rem 0 -0.7rem 0.1rem; vertical-align: middle; }
.st-key-walk-compact [class*="st-key-item-choice-"] { gap: 0.8rem; }
.st-key-phone-menu { display: none !important; }
@media (max-width: 760px) {
  .st-key-phone-menu { display: flex !important; flex-wrap: wrap; gap: 0.35rem !important; }
  .st-key-phone-menu a { min-height: 2.6rem; border: 1px solid var(--ha-line); border-radius: 0.5rem; padding: 0 0.7rem; }
  .st-key-phone-menu a p { font-size: 1rem; }
}
@media (max-width: 640px) {
  .st-key-walk-roomy [class*="st-key-item-"] { padding: 0.8rem !important; }
  .block-container { padding-left: 0.9rem; padding-right: 0.9rem; }
}
/* ---- Accessibility, WCAG 2.2 AA (checked by tests/app/test_accessibility.py). */
/* Visible focus (2.4.7, 1.4.11): a solid 3 px ring in the app's blue (8:1 on white) on whatever has
   the keyboard's focus. Streamlit's own rings are a pale half-transparent glow, and its menu links,
   text boxes and switches show none at all. */
:root { --ha-focus: #0B5394; }
:focus-visible { outline: 3px solid var(--ha-focus) !important; outline-offset: 2px !important; }
[data-testid="stButtonGroup"] button:focus-visible { position: relative; z-index: 1; }
/* A row of answer buttons scrolls sideways when it is too long, which cut its ring off: room for it. */
[data-testid="stButtonGroup"] [role="radiogroup"] { padding: 6px !important; box-sizing: border-box; }
/* Tabs and the date's calendar button sit in boxes that cut off what is outside them: a ring inside. */
[role="tab"]:focus-visible, [data-testid="stDateInputCalendarButton"]:focus-visible { outline-offset: -3px !important; }
[role="tab"] { padding-inline: 0.5rem; }
/* Text boxes, selects and dates: the ring goes round the whole box (which would cut off a ring on
   the text inside it). */
[data-testid="stTextInputRootElement"] input:focus-visible, [data-testid="stTextAreaRootElement"] textarea:focus-visible,
[data-testid="stNumberInputContainer"] input:focus-visible, [data-testid="stSelectbox"] input:focus-visible,
[data-testid="stDateInputField"] [role="spinbutton"]:focus-visible { outline: none !important; }
[data-testid="stTextInputRootElement"]:focus-within, [data-testid="stTextAreaRootElement"]:focus-within,
[data-testid="stNumberInputContainer"]:has(input:focus), [data-testid="stSelectbox"] [role="group"]:has(input:focus),
[data-testid="stDateInputField"]:has([role="spinbutton"]:focus) {
  outline: 3px solid var(--ha-focus) !important; outline-offset: 2px; }
/* Checkboxes, switches and radio buttons hide their input: the ring goes round the label. */
label:has(input[type="checkbox"]:focus-visible), label:has(input[type="radio"]:focus-visible) {
  outline: 3px solid var(--ha-focus); outline-offset: 2px; border-radius: 0.4rem; }
/* The page itself takes the focus (the keyboard scrolls it): its ring is drawn inside the screen. */
[data-testid="stMain"]:focus-visible { outline-offset: -3px !important; }
/* What the focus moves to is never hidden under the bar at the top (2.4.11). */
[data-testid="stMain"] { scroll-padding-top: 5.5rem; scroll-padding-bottom: 3rem; }
/* A date field near the foot of the screen opens its calendar over the next fields: the field the
   keyboard moves to is brought up far enough for its calendar to open below it. */
[data-testid="stMain"]:has([data-testid="stDateInputField"]:focus-within) { scroll-padding-bottom: 24rem; }
/* The folded sidebar (the menu on a narrow screen) is moved off the screen, but its links still took
   the focus: hidden, they are out of the way until it is opened. */
[data-testid="stSidebar"][data-collapsed="true"] { visibility: hidden; }
/* Targets of at least 44 px (2.5.8 asks 24; a finger, a tremor and a moving tablet ask more). */
[data-testid="stTooltipHoverTarget"] > button {
  min-width: 44px; min-height: 44px; display: inline-flex; align-items: center; justify-content: center; }
[data-testid="stRadio"] label, [data-testid="stSidebarNavLink"], [data-testid="stTopNavLink"], [data-testid="stSkipToContent"] {
  min-height: 44px; align-items: center; }
[data-testid="stExpander"] summary { min-height: 48px; }
/* A tab's panel takes the keyboard's focus: never a thin strip, even before its chart is drawn. */
[data-testid="stTabPanel"] { min-height: 44px; }
[data-testid="stExpandSidebarButton"], [data-testid="stSidebarCollapseButton"] button, [data-testid="stElementToolbar"] button,
[data-testid="stNumberInputStepDown"], [data-testid="stNumberInputStepUp"], [data-testid="stDateInputCalendarButton"],
[data-testid="stDateInputClearButton"] {
  min-width: 44px !important; min-height: 44px !important; }
[data-testid="stDateInputField"] [role="spinbutton"] {
  min-width: 44px; min-height: 44px; display: inline-flex; align-items: center; justify-content: center; }
/* A chart's toolbar comes out from under its chart when focused, with a ring (every page with a chart). */
[data-testid="stElementToolbar"]:focus-within { opacity: 1 !important; z-index: 5; }
[data-testid="stElementToolbar"] button:focus-visible { outline: 2px solid var(--ha-blue, #0B5394); outline-offset: 1px; }
/* A link beside each title: 18 px, and nothing in this app links to a heading. */
[data-testid="stHeaderActionElements"] { display: none !important; }
/* The progress words wrap on a phone: the second line went under the bar. */
[data-testid="stProgress"] > div:first-child { height: auto !important; }
</style>
"""

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:=^&\"'])")
# GitHub Markdown turns bare addresses into links even when escaped; a word joiner stops it.
_AUTOLINK = re.compile(r"(?i)(https?|ftp|www)(?=\\?[:.])")
# Streamlit reads ``:material/name:``, ``:streamlit:`` and emoji shortcodes after the escapes are
# undone, and GitHub Markdown links every e-mail address: a word joiner after each colon that is
# not followed by a space ("10:30" too, invisibly) and after each ``@`` leaves the words as typed,
# and breaks all of them. "Saved: …" keeps its colon as it is.
_SHORTCODE_OR_MAIL = re.compile(r"(\\:(?=\S)|@)")
WORD_JOINER = "\u2060"
#: Territories that write the month first (MM/DD/YYYY); everyone else writes the day first.
MONTH_FIRST = frozenset({"US", "PR", "GU", "VI", "AS", "MP", "UM", "PH", "FM", "MH", "PW"})


def date_format(locale: str | None) -> Literal["MM/DD/YYYY", "DD/MM/YYYY"]:
    """The date picker's format for the browser's locale ('en-US' writes 03/21/2026, 'en-GB'
    21/03/2026); the toast after a save says the date in words, so a misread locale is caught."""
    tag = (locale or "").replace("_", "-")
    territory = tag.split("-")[1].upper() if "-" in tag else ""
    return "MM/DD/YYYY" if territory in MONTH_FIRST else "DD/MM/YYYY"


def picker_format() -> Literal["MM/DD/YYYY", "DD/MM/YYYY"]:
    """The format of every date picker in the app, from this browser's locale: a visit date of
    03/12/2026 fixed day-first read as 12 March in an American browser, beside a due date that
    followed the browser and a "done on" in ISO form."""
    return date_format(st.context.locale)


@functools.lru_cache(maxsize=8192)
def md(text: str) -> str:
    """User or library text made literal for any Streamlit Markdown (labels, headers, markdown).

    Every Markdown special is backslash-escaped, so nothing becomes a link, an image, HTML,
    maths or a colour; bare web addresses, e-mail addresses and ``:shortcodes:`` (icons, emoji,
    the Streamlit logo) get an invisible word joiner so they stay text.
    """
    lines = str(text).replace("\r\n", "\n").split("\n")
    escaped = (_MD_SPECIAL.sub(r"\\\1", line.strip()) for line in lines)
    joined = (_SHORTCODE_OR_MAIL.sub(lambda m: m.group(1) + WORD_JOINER, line) for line in escaped)
    return "  \n".join(_AUTOLINK.sub(lambda m: m.group(1) + WORD_JOINER, line) for line in joined)


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


# While the server cannot be reached (restarting, Wi-Fi gone), Streamlit shows "Streamlit server
# is not responding. Are you connected to the internet?": alarming, and wrong about the answers.
# This hides that dialog and shows a calm message of ours instead, until the connection is back.
# Fixed text, installed once per page load; it touches no element that Streamlit draws except to
# hide it.
_CONNECTION = """<script>
(() => {
  if (window.__homeauditConnection) return;
  window.__homeauditConnection = true;
  const doc = window.parent && window.parent.document ? window.parent.document : document;
  const phrases = ["not responding", "still running", "Cannot connect", "connected to the internet"];
  const banner = doc.createElement("div");
  banner.id = "homeaudit-connection";
  banner.setAttribute("role", "alert");
  banner.textContent = "Lost the connection. Everything you answered is saved. Trying again\u2026";
  banner.style.cssText = "position:fixed;left:50%;top:1rem;transform:translateX(-50%);z-index:2147483647;" +
    "max-width:min(36rem,92vw);padding:1rem 1.25rem;border-radius:0.6rem;background:#0B5394;color:#fff;" +
    "font:600 1.05rem/1.4 'Source Sans', sans-serif;box-shadow:0 4px 18px rgba(0,0,0,.3);";
  const check = () => {
    let lost = false;
    for (const dialog of doc.querySelectorAll('[role="dialog"]')) {
      const text = dialog.textContent || "";
      if (phrases.some((p) => text.includes(p))) {
        lost = true;
        dialog.style.visibility = "hidden";
      }
    }
    if (lost && !banner.isConnected) doc.body.appendChild(banner);
    if (!lost && banner.isConnected) banner.remove();
  };
  new MutationObserver(check).observe(doc.body, {childList: true, subtree: true, characterData: true});
})();
</script>"""


def setup_page() -> None:
    """The title and the app's own icon, before ``st.navigation``: set after it, the page's
    Material icon is the favicon first, and the browser fetches that from Google's font server
    (nothing may leave the machine)."""
    st.set_page_config(page_title="Home safety audit", page_icon=_icon())


def page_layout(wide: bool = False) -> None:
    """The layout, the stylesheet and the connection message: once per run, after
    ``st.navigation`` has chosen the page (a layout set twice in one run makes the page flip)."""
    st.set_page_config(layout="wide" if wide else "centered")
    st.html(STYLE)
    st.html(_CONNECTION, unsafe_allow_javascript=True, width=1)


def _script_number() -> int:
    """A new number for each script drawn: the same script drawn twice would not run again."""
    n = int(st.session_state.get("_scroll_n", 0)) + 1
    st.session_state["_scroll_n"] = n
    return n


def scroll_to_top() -> None:
    """Ask the browser to show the top of the page (after moving to another room)."""
    st.html(_SCROLL_TOP.format(n=_script_number()), unsafe_allow_javascript=True, width=1)


# Brings one element (by its Streamlit key, made of letters, digits, - and _ only) into view when it
# is not wholly on screen, waiting a few frames for it to be drawn. A reading's number box takes the
# focus on every screen (the next thing to do is to type the number: no tap first); on a screen with
# a mouse or keyboard the first answer button does too, so that the next answer is one key away (on
# a touch screen that would only draw a ring nobody asked for).
_SCROLL_INTO_VIEW = """<script data-n="{n}">
(() => {{
  const key = {key};
  let tries = 0;
  const go = () => {{
    const el = document.querySelector(".st-key-" + key);
    if (!el) {{ if (tries++ < 90) requestAnimationFrame(go); return; }}
    const box = el.getBoundingClientRect();
    if (box.top < 70 || box.bottom > window.innerHeight) el.scrollIntoView({{block: "center", behavior: "instant"}});
    const fine = window.matchMedia("(pointer: fine)").matches;
    const first = el.querySelector(fine ? 'button[role="radio"], input[type="number"]' : 'input[type="number"]');
    if (first) first.focus({{preventScroll: true}});
  }};
  requestAnimationFrame(go);
}})();
</script>"""


def scroll_into_view(key: str) -> None:
    """Bring the element with this Streamlit key into view (the next question still open)."""
    if not re.fullmatch(r"[A-Za-z0-9_-]+", key):
        raise ValueError(f"not a plain element key: {key!r}")
    st.html(_SCROLL_INTO_VIEW.format(n=_script_number(), key=json.dumps(key)), unsafe_allow_javascript=True, width=1)


# Shows a panel that has just opened: scrolled up until its foot (the Save button) is on screen, its
# top never under the page's header; on a screen with a mouse or keyboard the focus goes to its first
# control, so that Tab goes on inside it (WCAG 2.4.3). On a touch screen the focus stays put: a text
# box taking it would open the keyboard before anyone asked for it.
_REVEAL = """<script data-n="{n}">
(() => {{
  const key = {key};
  let tries = 0;
  const go = () => {{
    const el = document.querySelector(".st-key-" + key);
    const first = el && el.querySelector(':is(button, input, textarea, [tabindex="0"]):not([disabled])');
    if (!first) {{ if (tries++ < 90) requestAnimationFrame(go); return; }}
    const box = el.getBoundingClientRect();
    const fits = box.height < window.innerHeight - 140;  // the header above, a margin below
    if (box.bottom > window.innerHeight) el.scrollIntoView({{block: fits ? "end" : "start", behavior: "instant"}});
    if (window.matchMedia("(pointer: fine)").matches) first.focus({{preventScroll: true}});
  }};
  requestAnimationFrame(go);
}})();
</script>"""


def reveal(key: str) -> None:
    """Bring a panel that has just opened (the element with this Streamlit key) into view, and the
    keyboard's focus into it where there is a keyboard."""
    if not re.fullmatch(r"[A-Za-z0-9_-]+", key):
        raise ValueError(f"not a plain element key: {key!r}")
    st.html(_REVEAL.format(n=_script_number(), key=json.dumps(key)), unsafe_allow_javascript=True, width=1)


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


PHONE_MENU = (
    ("start", "Start"),
    ("walkthrough", "Walkthrough"),
    ("results", "Results"),
    ("audits", "Audits"),
    ("overview", "Overview"),
)


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
    show_toasts()


def show_toasts() -> None:
    """The messages callbacks left, as toasts: a fragment that re-draws on its own (a question
    card) shows them too, since the page around it is not drawn again."""
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
