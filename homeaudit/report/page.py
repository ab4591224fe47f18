"""The page: sizes, margins, and the furniture on every page (header, footer, "Page N of M").

"Page N of M" needs M, which is only known once the story has been laid out, so the canvas
keeps each finished page and draws header and footer on all of them at the end (one layout
pass, not two). The document's dates are the audit date and its ID is derived from the
content (reportlab's invariant mode), so the same audit gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from reportlab import rl_config
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from homeaudit.report import bidi, fonts
from homeaudit.report.styles import RULE, Styles
from homeaudit.report.text import clean, markup

# Write streams (photos, fonts, pages) as binary instead of ASCII85 text: a quarter smaller, and
# reportlab's pure-Python ASCII85 encoder took a third of the time of a report with photos. Only
# the report uses reportlab in homeaudit, so this process-wide setting touches nothing else.
rl_config.useA85 = 0

PAGE_SIZES = {"a4": A4, "letter": LETTER}
MARGIN_X = 18 * mm
MARGIN_TOP = 22 * mm
MARGIN_BOTTOM = 19 * mm


@dataclass(frozen=True)
class Furniture:
    """What the header and footer say; markup already escaped."""

    header_left: str
    header_right: str
    footer_left: str
    styles: Styles
    #: Width of the header's left-hand piece; the right-hand one (the title) gets the rest.
    left_width: float
    #: Width of the footer's left-hand piece; "Page N of M" gets the rest.
    footer_width: float


def frame_width(page_size: tuple[float, float]) -> float:
    return page_size[0] - 2 * MARGIN_X


def fit(text: str, width: float, size: float, font: str = fonts.REGULAR) -> str:
    """Markup for ``text`` on one line of ``width`` points, shortened with an ellipsis if need be."""
    plain = " ".join(clean(text).split())
    if stringWidth(plain, font, size) <= width:
        return markup(plain)
    low, high = 0, len(plain)
    while low < high:
        middle = (low + high + 1) // 2
        if stringWidth(plain[:middle] + "…", font, size) <= width:
            low = middle
        else:
            high = middle - 1
    return markup(plain, limit=low + 1)


def margins(large: bool) -> tuple[float, float]:
    """Top and bottom margins (header and footer live in them); larger for large print."""
    return MARGIN_TOP + (5 * mm if large else 0), MARGIN_BOTTOM + (4 * mm if large else 0)


def frame_height(page_size: tuple[float, float], large: bool) -> float:
    top, bottom = margins(large)
    return page_size[1] - top - bottom


def document(
    buffer: Any, page_size: tuple[float, float], *, title: str, author: str, subject: str, large: bool
) -> BaseDocTemplate:
    """A document template with one frame per page, inside the header and footer."""
    top, bottom = margins(large)
    doc = BaseDocTemplate(
        buffer,
        pagesize=page_size,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=top,
        bottomMargin=bottom,
        title=title,
        author=author,
        subject=subject,
        creator="homeaudit",
        producer="homeaudit (ReportLab)",
        keywords=[],
        invariant=1,
        lang="en",
        initialFontName=fonts.REGULAR,
        initialFontSize=10,
        initialLeading=13,
    )
    body = Frame(
        MARGIN_X,
        bottom,
        frame_width(page_size),
        page_size[1] - top - bottom,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[body])])
    return doc


def canvas_maker(furniture: Furniture, date: dt.date) -> type[Canvas]:
    """A Canvas class that adds the header and footer to every page once the count is known."""
    stamp = f"D:{date:%Y%m%d}000000+00'00'"

    class FurnishedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []
            self.setDateFormatter(lambda *parts: stamp)

        def showPage(self) -> None:  # reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()  # type: ignore[attr-defined]  # reportlab's own, missing from its stubs

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self._furnish(number, total)
                Canvas.showPage(self)
            Canvas.save(self)

        def _furnish(self, number: int, total: int) -> None:
            styles = furniture.styles
            width, height = self._pagesize  # type: ignore[attr-defined]  # as above
            inner = width - 2 * MARGIN_X
            size = styles.header_size
            top_rule = height - MARGIN_TOP + 3.5 * mm
            bottom_rule = MARGIN_BOTTOM - 5 * mm
            self.saveState()
            self.setStrokeColor(RULE)
            self.setLineWidth(0.6)
            self.line(MARGIN_X, top_rule, width - MARGIN_X, top_rule)
            self.line(MARGIN_X, bottom_rule, width - MARGIN_X, bottom_rule)
            self.restoreState()
            right = inner - furniture.left_width
            foot = inner - furniture.footer_width
            pieces = (
                (furniture.header_left, styles.header, MARGIN_X, top_rule + 2.2 * mm, furniture.left_width),
                (furniture.header_right, styles.header_right, width - MARGIN_X - right, top_rule + 2.2 * mm, right),
                (furniture.footer_left, styles.header, MARGIN_X, 0, furniture.footer_width),
                (f"Page {number} of {total}", styles.header_right, width - MARGIN_X - foot, 0, foot),
            )
            for index, (text, style, x, y, w) in enumerate(pieces):
                paragraph = bidi.paragraph(text, style, base=0)  # left to right, whatever the name
                _, h = paragraph.wrapOn(self, w, size * 4)
                # Header text sits on its rule; footer text hangs below its rule.
                paragraph.drawOn(self, x, y if index < 2 else bottom_rule - 1.8 * mm - h)

    FurnishedCanvas.__name__ = "FurnishedCanvas"
    return FurnishedCanvas
