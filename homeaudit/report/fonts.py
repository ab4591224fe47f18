"""Fonts for the report: DejaVu Sans for most scripts, WenQuanYi Micro Hei for Chinese, Japanese
and Korean, the PDF standard CID fonts as the last resort.

DejaVu Sans (shipped in ``fonts/`` beside this module, with its licence) covers Latin with every
accent, Greek, Cyrillic, Vietnamese, Hebrew, Arabic (with its presentation forms, which
:mod:`homeaudit.report.bidi` shapes into) and many symbols; it is embedded in the PDF as a
subset, so a name prints the same on any machine.

It has no Han, kana or Hangul. Those are set in **WenQuanYi Micro Hei**, a TrueType (glyf)
font that reportlab can embed and subset (Apache-2.0, or GPL-3+ with the font exception; about
5 MB on disk, a few kB per report). It is not shipped in the wheel: it comes from Debian's
``fonts-wqy-microhei`` (installed by ``.ci/run``) and is read from :data:`CJK_PATHS`, or from the
file named by ``HOMEAUDIT_CJK_FONT``. It is loaded the first time a text needs it, so a report
without CJK text never pays for it. Where the file is missing, CJK runs fall back to the CID
fonts every PDF reader knows (STSong-Light, HeiseiKakuGo-W5, HYGothic-Medium: named in the PDF,
not embedded, so the reader supplies the glyphs) and a warning is logged once.

:func:`runs` says which font each run of a text needs; :mod:`homeaudit.report.text` turns that
into Paragraph markup. The fonts are registered with reportlab once per process.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

logger = logging.getLogger(__name__)

FONT_DIR = Path(__file__).resolve().parent / "fonts"

#: The names the report's styles use.
REGULAR = "HomeAuditSans"
BOLD = "HomeAuditSans-Bold"
#: Chinese, Japanese and Korean, embedded (WenQuanYi Micro Hei; one weight, bold prints regular).
CJK = "HomeAuditCJK"
#: reportlab's built-in CID fonts (not embedded: PDF readers supply them); the fallback.
CHINESE = "STSong-Light"
JAPANESE = "HeiseiKakuGo-W5"
KOREAN = "HYGothic-Medium"

#: The environment variable that names another CJK TrueType font file (.ttf or .ttc).
CJK_ENV = "HOMEAUDIT_CJK_FONT"
#: Debian's package that provides the CJK font, and where it puts it (Debian and Ubuntu first;
#: Fedora's and Arch's paths for the same font after).
CJK_PACKAGE = "fonts-wqy-microhei"
CJK_PATHS: tuple[str, ...] = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
    "/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc",
)

_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}
_lock = threading.Lock()
_covered: frozenset[int] | None = None
#: What the CJK font covers; None until first needed, empty when the font is missing.
_cjk_covered: frozenset[int] | None = None


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
        _same_for_every_weight(cid)
    _covered = frozenset(fonts[REGULAR].face.charToGlyph) & frozenset(fonts[BOLD].face.charToGlyph)


def _same_for_every_weight(name: str) -> None:
    for bold in (0, 1):
        for italic in (0, 1):
            addMapping(name, bold, italic, name)


def cjk_font_path(environ: dict[str, str] | None = None) -> Path | None:
    """The CJK TrueType font to embed: ``HOMEAUDIT_CJK_FONT`` if it names a file, else the first
    of :data:`CJK_PATHS` that exists; None when there is none (the CID fonts stand in)."""
    env = os.environ if environ is None else environ
    chosen = (env.get(CJK_ENV) or "").strip()
    candidates = [chosen] if chosen else []
    for candidate in [*candidates, *CJK_PATHS]:
        path = Path(candidate)
        if path.is_file():
            return path
    return None


def _cjk_coverage() -> frozenset[int]:
    """Load and register the CJK font the first time a text needs it; what it covers."""
    global _cjk_covered
    if _cjk_covered is not None:
        return _cjk_covered
    register()
    with _lock:
        if _cjk_covered is None:
            path = cjk_font_path()
            covered: frozenset[int] = frozenset()
            if path is None:
                logger.warning(
                    "no CJK TrueType font found (install Debian's %s, or set %s): Chinese, Japanese and "
                    "Korean text uses the PDF's standard CID fonts, which are not embedded",
                    CJK_PACKAGE,
                    CJK_ENV,
                )
            else:
                try:
                    font = TTFont(CJK, str(path), subfontIndex=0)
                except Exception:  # a broken or CFF font file: fall back, never fail the report
                    logger.exception("the CJK font %s could not be loaded; using the CID fonts", path)
                else:
                    pdfmetrics.registerFont(font)
                    _same_for_every_weight(CJK)
                    covered = frozenset(font.face.charToGlyph)
            _cjk_covered = covered
    return _cjk_covered


def cjk_embedded() -> bool:
    """True when CJK text is set in the embedded TrueType font (False: the CID fallback)."""
    return bool(_cjk_coverage())


def _coverage() -> frozenset[int]:
    register()
    assert _covered is not None
    return _covered


def covered(char: str) -> bool:
    """True if DejaVu Sans (regular and bold) has a glyph for this character."""
    return ord(char) in _coverage()


def cid_font_for(char: str) -> str | None:
    """The CID font for a CJK character, or None for a character of another script."""
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


def fallback_for(char: str) -> str | None:
    """The font for a character DejaVu lacks: the embedded CJK font when it has the glyph, else
    the CID font for its script, else None (no font here has it)."""
    cid = cid_font_for(char)
    if cid is None:
        return None
    return CJK if ord(char) in _cjk_coverage() else cid


def runs(text: str) -> list[tuple[str | None, str]]:
    """Split text into runs of one font: (None, text) for the body font, (font, text) else.

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
