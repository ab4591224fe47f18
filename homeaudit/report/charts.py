"""The small chart on the first page: the score of each room as a horizontal bar.

Each bar is coloured by the same thresholds as the overall risk level, and its number is printed
beside it, so the chart reads the same in black and white. A room with nothing answered gets
the words "not assessed" instead of a bar (an empty bar would read as a score of 0).
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from homeaudit.report import bidi, fonts
from homeaudit.report.styles import BAR_HIGH, BAR_LOW, BAR_MODERATE, INK, MUTED, RULE
from homeaudit.report.text import plain
from homeaudit.results import score_level
from homeaudit.words import ScoreLevel, whole

TRACK = colors.HexColor("#ECEFF3")
#: A bar's colour by what its score means (the thresholds are :func:`homeaudit.results.score_level`'s).
BAR_COLOURS: dict[ScoreLevel, colors.Color] = {"needs_work": BAR_HIGH, "some_problems": BAR_MODERATE, "good": BAR_LOW}


@dataclass(frozen=True)
class Bar:
    label: str
    score: float | None


def bar_colour(score: float) -> colors.Color:
    return BAR_COLOURS[score_level(score)]


def _bar(x: float, y: float, width: float, height: float, colour: colors.Color) -> Rect:
    """A filled rectangle without an outline."""
    rect = Rect(x, y, width, height)
    # Set after construction: the stubs of Rect's keyword arguments are wrong (no Unpack).
    rect.fillColor = colour
    rect.strokeColor = None
    return rect


def _runs(text: str) -> list[tuple[str, str]]:
    """The text in runs of one font each (a label may mix scripts: "Kitchen 厨房 مطبخ")."""
    return [(font or fonts.REGULAR, run) for font, run in fonts.runs(text)]


def _width(text: str, size: float) -> float:
    return sum(stringWidth(run, font, size) for font, run in _runs(text))


def _fit(text: str, size: float, width: float) -> str:
    """The text (in logical order), cut with an ellipsis where it is wider than ``width``."""
    if _width(text, size) <= width:
        return text
    low, high = 0, len(text)  # the longest start of the text that fits with the ellipsis
    while low < high:
        middle = (low + high + 1) // 2
        if _width(text[:middle] + "…", size) <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + "…"


def _label(drawing: Drawing, right: float, baseline: float, text: str, size: float, width: float) -> None:
    """A label set flush right at ``right``, in display order, each run in the font that has its
    letters (one font for the whole label would drop the letters of every other script)."""
    runs = _runs(bidi.visual(_fit(bidi.shape(text), size, width)))
    x = right - sum(stringWidth(run, font, size) for font, run in runs)
    for font, run in runs:
        drawing.add(String(x, baseline, run, fontName=font, fontSize=size, fillColor=INK))
        x += stringWidth(run, font, size)


def _row_height(size: float) -> float:
    return round(size * (1.85 if size < 12 else 1.6), 1)


def room_charts(bars: list[Bar], width: float, height: float, size: float = 8.5) -> list[Drawing]:
    """The room chart in as many parts as it takes for each to fit in ``height`` (a page's frame,
    less room for the heading): a home audited room by room can have up to 60 rooms, and a
    drawing cannot be split across pages. Each part has its own axis."""
    per_part = max(1, int((height - size * 1.9) // _row_height(size)))
    return [room_chart(bars[start : start + per_part], width, size) for start in range(0, max(len(bars), 1), per_part)]


def room_chart(bars: list[Bar], width: float, size: float = 8.5) -> Drawing:
    """A bar per room, 0-100, with the room's name on the left and its score on the right."""
    fonts.register()
    row = _row_height(size)
    bar_h = round(size * (1.15 if size < 12 else 1.05), 1)
    label_w = width * 0.34
    value_w = size * 5.5
    x0 = label_w + size * 0.8
    x1 = width - value_w
    span = x1 - x0
    axis_h = size * 1.9
    height = row * max(len(bars), 1) + axis_h
    drawing = Drawing(width, height)
    for index, bar in enumerate(bars):
        y = height - (index + 1) * row + (row - bar_h) / 2
        baseline = y + (bar_h - size * 0.72) / 2
        _label(drawing, label_w, baseline, plain(bar.label), size, label_w)
        drawing.add(_bar(x0, y, span, bar_h, TRACK))
        if bar.score is None:
            drawing.add(String(x0 + size * 0.5, baseline, "not assessed", fontName=fonts.REGULAR, fontSize=size, fillColor=MUTED))
            continue
        score = max(0.0, min(100.0, float(bar.score)))
        if score > 0:
            drawing.add(_bar(x0, y, span * score / 100.0, bar_h, bar_colour(score)))
        drawing.add(String(x1 + size * 0.6, baseline, str(whole(score)), fontName=fonts.BOLD, fontSize=size, fillColor=INK))
    axis_y = axis_h - size * 0.5
    drawing.add(Line(x0, axis_y, x1, axis_y, strokeColor=RULE, strokeWidth=0.6))
    for tick in (0, 25, 50, 75, 100):
        x = x0 + span * tick / 100
        drawing.add(Line(x, axis_y, x, axis_y - size * 0.35, strokeColor=RULE, strokeWidth=0.6))
        drawing.add(
            String(x, axis_y - size * 1.3, str(tick), fontName=fonts.REGULAR, fontSize=size, fillColor=MUTED, textAnchor="middle")
        )
    return drawing
