"""Fonts for the report: DejaVu Sans for most scripts, CID fonts for Chinese, Japanese and Korean.

DejaVu Sans (shipped in ``fonts/`` beside this module, with its licence) covers Latin with every
accent, Greek, Cyrillic, Vietnamese and many symbols; it is embedded in the PDF as a subset, so
a name prints the same on any machine. It has no Han, kana or Hangul, and a CJK TTF would be
megabytes, so runs of those characters are set in the CID fonts every PDF reader knows
(Adobe's Asian font packs; the PDF names them, it does not carry them). :func:`runs` says which
font each run of a text needs; :mod:`homeaudit.report.text` turns that into Paragraph markup.

The fonts are registered with reportlab once per process, from the package directory only.
"""

from __future__ import annotations

import threading
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parent / "fonts"

#: The names the report's styles use.
REGULAR = "HomeAuditSans"
BOLD = "HomeAuditSans-Bold"
#: reportlab's built-in CID fonts (not embedded: PDF readers supply them).
CHINESE = "STSong-Light"
JAPANESE = "HeiseiKakuGo-W5"
KOREAN = "HYGothic-Medium"

_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}
_lock = threading.Lock()
_covered: frozenset[int] | None = None


def register() -> None:
    """Register the report's fonts with reportlab (once; safe to call from several threads)."""
    if _covered is None:
        with _lock:
            _register_once()


def _register_once() -> None:
    """Register the fonts, unless another thread did while this one waited for the lock."""
    global _covered
    if _covered is not None:
        return
    fonts = {name: TTFont(name, str(FONT_DIR / filename)) for name, filename in _FILES.items()}
    for font in fonts.values():
        pdfmetrics.registerFont(font)
    for name in (CHINESE, JAPANESE, KOREAN):
        pdfmetrics.registerFont(UnicodeCIDFont(name))
    # <b> inside a Paragraph switches to the bold face; there is no italic face.
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, REGULAR)
    addMapping(REGULAR, 1, 1, BOLD)
    for cid in (CHINESE, JAPANESE, KOREAN):
        for bold in (0, 1):
            for italic in (0, 1):
                addMapping(cid, bold, italic, cid)
    _covered = frozenset(fonts[REGULAR].face.charToGlyph) & frozenset(fonts[BOLD].face.charToGlyph)


def _coverage() -> frozenset[int]:
    register()
    assert _covered is not None
    return _covered


def covered(char: str) -> bool:
    """True if DejaVu Sans (regular and bold) has a glyph for this character."""
    return ord(char) in _coverage()


def fallback_for(char: str) -> str | None:
    """The CID font for a character DejaVu lacks, or None when no font here has it."""
    code = ord(char)
    if 0xAC00 <= code <= 0xD7AF or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F:
        return KOREAN
    if 0x3040 <= code <= 0x30FF or 0x31F0 <= code <= 0x31FF or 0xFF65 <= code <= 0xFF9F:
        return JAPANESE
    if (
        0x2E80 <= code <= 0x2FDF  # radicals
        or 0x3000 <= code <= 0x303F  # CJK punctuation
        or 0x3100 <= code <= 0x312F  # bopomofo
        or 0x3200 <= code <= 0x33FF  # enclosed CJK, compatibility
        or 0x3400 <= code <= 0x4DBF  # extension A
        or 0x4E00 <= code <= 0x9FFF  # unified ideographs
        or 0xF900 <= code <= 0xFAFF  # compatibility ideographs
        or 0xFE30 <= code <= 0xFE4F  # compatibility forms
        or 0xFF00 <= code <= 0xFF64  # full-width forms
        or 0x20000 <= code <= 0x2FFFF  # extensions B and later
    ):
        return CHINESE
    return None


def runs(text: str) -> list[tuple[str | None, str]]:
    """Split text into runs of one font: (None, text) for the body font, (cid_font, text) else.

    Spaces and characters that no font here covers stay in the surrounding run, so a name such
    as "王芳 Wang" is two runs, not three.
    """
    have = _coverage()
    out: list[tuple[str | None, str]] = []
    current: str | None = None
    buffer: list[str] = []
    for char in text:
        if char.isspace():
            font = current
        elif ord(char) in have:
            font = None
        else:
            font = fallback_for(char) or current
        if font != current and buffer:
            out.append((current, "".join(buffer)))
            buffer = []
        current = font
        buffer.append(char)
    if buffer:
        out.append((current, "".join(buffer)))
    return out


def font_for(text: str) -> str:
    """One font for a whole string where runs cannot be mixed (chart labels): the CID font if
    the text needs one, else the body font."""
    for font, _ in runs(text):
        if font is not None:
            return font
    return REGULAR
