"""The report's look: colours, type sizes and paragraph styles, in normal and large print.

Calm and high-contrast: near-black text on white, one navy accent, and colour only where it
carries meaning (risk level, action band, score bars), always beside the same meaning in words
or numbers. Large print sets every piece of text at 14 pt or more.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle

from homeaudit.report import fonts
from homeaudit.words import Band, RiskLevel

MUTED_HEX = "#4B5563"  # 7.6:1 on white
ACCENT_HEX = "#1F3A5F"
INK = colors.HexColor("#1B1F24")
MUTED = colors.HexColor(MUTED_HEX)
ACCENT = colors.HexColor(ACCENT_HEX)
RULE = colors.HexColor("#C3C9D1")
HEAD_FILL = colors.HexColor("#E6EBF1")
ZEBRA = colors.HexColor("#F6F7F9")
PANEL = colors.HexColor("#F3F5F8")
WHITE = colors.white

#: Risk levels: the colour behind the words (white text on each is at least 4.5:1); the words
#: are :data:`homeaudit.words.RISK_LABELS`.
RISK_COLOURS: dict[RiskLevel, colors.Color] = {
    "high": colors.HexColor("#B42318"),
    "moderate": colors.HexColor("#A04A06"),
    "low": colors.HexColor("#067647"),
    "unknown": colors.HexColor("#475467"),
}
BAND_COLOURS: dict[Band, colors.Color] = {
    "now": RISK_COLOURS["high"],
    "soon": RISK_COLOURS["moderate"],
    "later": colors.HexColor("#344054"),
}
#: Score bars: the same thresholds as the risk levels (docs/scoring.md).
BAR_HIGH = colors.HexColor("#C4320A")
BAR_MODERATE = colors.HexColor("#E3A008")
BAR_LOW = colors.HexColor("#2E7D4F")
DOCTOR_FILL = colors.HexColor("#FEF3F2")
DOCTOR_EDGE = RISK_COLOURS["high"]


@dataclass(frozen=True)
class Styles:
    """Every paragraph style the layout uses, sized for normal or large print."""

    large: bool
    body: ParagraphStyle
    lead: ParagraphStyle
    small: ParagraphStyle
    muted: ParagraphStyle
    bullet: ParagraphStyle
    kicker: ParagraphStyle
    title: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    h3: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_head: ParagraphStyle
    cell_right: ParagraphStyle
    cell_muted: ParagraphStyle
    fridge: ParagraphStyle
    fridge_meta: ParagraphStyle
    fridge_title: ParagraphStyle
    label: ParagraphStyle
    signature: ParagraphStyle
    risk_word: ParagraphStyle
    score: ParagraphStyle
    header: ParagraphStyle
    header_right: ParagraphStyle
    #: Sizes for things drawn outside paragraphs (chart, tick boxes, header rules).
    chart_size: float
    header_size: float
    gap: float  # the unit of vertical space between blocks


def make(large: bool = False) -> Styles:
    """The styles for normal print (10 pt body) or large print (14 pt and up everywhere).

    The plan's cells are 10 pt (14 pt in large print), "why" included: people act on what they
    can read. The fridge page is 13 pt with 12 pt details (16 and 14 in large print).
    """
    fonts.register()
    body_size = 14.0 if large else 10.0
    small_size = 14.0 if large else 8.5
    cell_size = 14.0 if large else 10.0
    header_size = 14.0 if large else 8.0
    leading = 1.32

    def style(name: str, size: float, *, bold: bool = False, colour: colors.Color = INK, **extra: Any) -> ParagraphStyle:
        return ParagraphStyle(
            name,
            fontName=fonts.BOLD if bold else fonts.REGULAR,
            bulletFontName=fonts.REGULAR,
            fontSize=size,
            bulletFontSize=size,
            leading=round(size * leading, 1),
            textColor=colour,
            alignment=TA_LEFT,
            splitLongWords=1,
            spaceShrinkage=0,  # reportlab's default lets a left-aligned line overflow its box a little
            allowWidows=0,  # never one line of a paragraph alone at the top of a page
            allowOrphans=0,  # nor alone at the foot
            **extra,
        )

    return Styles(
        large=large,
        body=style("body", body_size, spaceAfter=body_size * 0.45),
        lead=style("lead", body_size + (1 if large else 1.5), spaceAfter=body_size * 0.6),
        small=style("small", small_size),
        muted=style("muted", small_size, colour=MUTED),
        bullet=style("bullet", body_size, leftIndent=body_size * 1.3, bulletIndent=body_size * 0.2, spaceAfter=body_size * 0.3),
        kicker=style("kicker", 14.0 if large else 9.0, bold=True, colour=ACCENT),
        title=style("title", 26.0 if large else 21.0, bold=True, spaceBefore=2, spaceAfter=4),
        h1=style(
            "h1",
            21.0 if large else 15.5,
            bold=True,
            colour=ACCENT,
            spaceBefore=body_size * 2,
            spaceAfter=body_size * 0.7,
            keepWithNext=1,
        ),
        h2=style(
            "h2", 17.0 if large else 12.0, bold=True, spaceBefore=body_size * 1.1, spaceAfter=body_size * 0.35, keepWithNext=1
        ),
        h3=style(
            "h3", 15.0 if large else 10.0, bold=True, spaceBefore=body_size * 0.5, spaceAfter=body_size * 0.15, keepWithNext=1
        ),
        cell=style("cell", cell_size),
        cell_bold=style("cell_bold", cell_size, bold=True),
        cell_head=style("cell_head", cell_size, bold=True, colour=ACCENT),
        cell_right=_right(style("cell_right", cell_size)),
        cell_muted=style("cell_muted", cell_size, colour=MUTED),
        fridge=style("fridge", 16.0 if large else 13.0),
        fridge_meta=style("fridge_meta", 14.0 if large else 12.0, colour=MUTED),
        fridge_title=style("fridge_title", 30.0 if large else 26.0, bold=True, spaceAfter=4),
        label=style("label", small_size, colour=MUTED),
        signature=style("signature", body_size, colour=MUTED),
        risk_word=style("risk_word", 20.0 if large else 16.0, bold=True, colour=WHITE),
        score=style("score", 20.0 if large else 16.0, bold=True),
        header=style("header", header_size, colour=MUTED),
        header_right=_right(style("header_right", header_size, colour=MUTED)),
        chart_size=14.0 if large else 8.5,
        header_size=header_size,
        gap=body_size * 0.8,
    )


def _right(style: ParagraphStyle) -> ParagraphStyle:
    style.alignment = TA_RIGHT
    return style
