"""Text is data: every string that reaches a reportlab Paragraph passes through :func:`markup`.

Paragraph text is a small XML dialect, so a note such as ``<b>bold</b> & <script>`` or
``1 < 2 > 0`` would be read as markup (or break the parser) if it went in raw. :func:`markup`
cleans the text (Unicode NFC, no control characters), shortens it if asked, escapes ``&``, ``<``
and ``>``, marks runs that need a CJK font with ``<font name=...>`` (after escaping, so the tag
is ours and the text inside it is still escaped) and turns line breaks into ``<br/>``. Arabic is
shaped into its joined letter forms here, before anything is measured; the paragraphs that hold
right-to-left text put each line in display order (:mod:`homeaudit.report.bidi`).

Names, addresses, notes, auditor names, room labels and answer notes are user text; checklist
wording is data too. Both go through :func:`markup`; only the report's own fixed words and tags
are written as markup directly.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any
from xml.sax.saxutils import escape as _xml_escape

from homeaudit.report import bidi, fonts

ELLIPSIS = "…"
# C0 and C1 control characters except tab and line feed; also lone surrogates, which cannot be
# encoded, and the non-characters U+FFFE/U+FFFF that XML forbids; and the invisible bidirectional
# controls (the marks U+061C, U+200E-F, the embeddings and overrides U+202A-E, the isolates
# U+2066-9), which no font here draws (they print as empty boxes) and which would turn text around
# (U+202E shows "exe.jpg" as "gpj.exe"): the report lays out right-to-left text itself.
_CONTROL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


def clean(text: Any) -> str:
    """User text as plain, printable Unicode: None is empty, NFC, no control characters (nor
    bidirectional controls)."""
    if text is None:
        return ""
    text = unicodedata.normalize("NFC", str(text))
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return _CONTROL.sub("", text).strip()


def shorten(text: str, limit: int | None) -> str:
    """At most ``limit`` characters, ending in an ellipsis when something was cut."""
    if limit is None or len(text) <= limit:
        return text
    return text[: max(limit - 1, 0)].rstrip() + ELLIPSIS


def escape(text: str) -> str:
    """Escape the three characters that Paragraph markup gives a meaning: &, < and >."""
    return _xml_escape(text)


def markup(text: Any, limit: int | None = None, *, one_line: bool = False) -> str:
    """Paragraph-safe markup for a piece of user (or checklist) text.

    ``limit`` shortens long text with an ellipsis (for table cells and headers, where a row must
    fit on a page); ``one_line`` folds line breaks into spaces instead of ``<br/>``.
    """
    plain = bidi.shape(shorten(clean(text), limit))
    if one_line:
        plain = " ".join(plain.split())
    parts = []
    for font, run in fonts.runs(plain):
        escaped = escape(run)
        parts.append(escaped if font is None else f'<font name="{font}">{escaped}</font>')
    return "".join(parts).replace("\n", "<br/>")


def plain(text: Any, limit: int | None = None) -> str:
    """Cleaned, shortened, single-line text for places that are not Paragraphs (PDF metadata,
    chart labels): no markup, so nothing to escape. In logical order and unshaped: a label drawn
    on the page goes through :func:`homeaudit.report.bidi.shape` and ``visual`` first."""
    return " ".join(shorten(clean(text), limit).split())
