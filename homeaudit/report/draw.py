"""Small drawing helpers the sections share: paragraphs, tables, the tick box, dates, and the
words for a hazard with its measurement.

Every piece of user or checklist text reaches a Paragraph through :func:`text.markup`; the
sections write only the report's own words and tags as markup.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Final, TypeAlias

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from homeaudit.checklist import Library
from homeaudit.plan import Action
from homeaudit.report.styles import ACCENT, HEAD_FILL, INK, RULE, WHITE, ZEBRA, Styles
from homeaudit.report.text import markup
from homeaudit.results import Score
from homeaudit.units import Reading, format_reading

if TYPE_CHECKING:
    from reportlab.platypus.tables import _TableCommand as TableCommand

#: What a table cell holds: a flowable, a list of them stacked, or plain text ("" for an empty cell).
Cell: TypeAlias = Flowable | Sequence[Flowable] | str

#: Limits that keep every table row shorter than a page (rows never split).
LABEL_LIMIT: Final = 80
CELL_LIMIT: Final = 600
NOTE_LIMIT: Final = 5000

MONTHS: Final = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


# --------------------------------------------------------------------------- words


def long_date(date: dt.date) -> str:
    """'3 March 2025': the same in every country, unlike 3/4/2025."""
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


def due_words(due: dt.date | None) -> str:
    """'<br/>by 1 Dec 2026' under "who" when the app gave the action a due date, else nothing."""
    return f"<br/>by {due.day} {MONTHS[due.month - 1][:3]} {due.year}" if due is not None else ""


def counted(number: int, noun: str) -> str:
    """'1 hazard', '3 hazards'."""
    return f"{number} {noun}{'s' if number != 1 else ''}"


def question_of(library: Library, item_id: str) -> str:
    """The checklist's question for an item (its id, for an item the library no longer has)."""
    item = library.items.get(item_id)
    return item.question if item else item_id


def hazard_of(library: Library, item_id: str) -> str:
    """The checklist's words for the hazard an item finds ("Loose rug in the hallway")."""
    item = library.items.get(item_id)
    return item.hazard if item else item_id


def reading_of(action: Action) -> Reading | None:
    """The measurement an action comes from, if it comes from one."""
    return action.finding.reading if action.finding is not None else None


def hazard_markup(hazard: str, reading: Reading | None, *, bold: bool = False) -> str:
    """A hazard in words and, for a measurement, the reading beside its target after a colon:
    "Hallway too dark: measured 90 lux (8.4 fc); target at least 300 lux (at least 27.9 fc)".

    The plan and page one print it as one run of text; the findings (``bold``) set the hazard's
    words in bold and the reading in regular weight.
    """
    if reading is None:
        words = markup(hazard, limit=CELL_LIMIT)
        return f"<b>{words}</b>" if bold else words
    if bold:
        return f"<b>{markup(hazard, limit=CELL_LIMIT)}:</b> {markup(format_reading(reading), limit=CELL_LIMIT)}"
    return markup(f"{hazard}: {format_reading(reading)}", limit=CELL_LIMIT)


def nothing_to_do(score: Score) -> str:
    """What page one and the plan say when the plan is empty."""
    if not score.overall.answered:
        return (
            "No checks have been answered yet, so there is no action to suggest. Walk through the "
            "rooms and answer the checks to get a plan."
        )
    return "No hazards were found in the checks that were answered: nothing needs doing now."


# --------------------------------------------------------------------------- flowables


def p(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of markup (user text in it already passed through :func:`text.markup`)."""
    return Paragraph(text, style)


def bullet(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(text, style, bulletText="\u2022")


def indented(style: ParagraphStyle) -> ParagraphStyle:
    """The style moved in by about one letter's width (an auditor's note under its hazard)."""
    return ParagraphStyle(style.name + "_indented", parent=style, leftIndent=style.fontSize * 1.2)


class TickBox(Flowable):
    """A square to tick by hand, or already ticked for an action marked done in the app."""

    def __init__(self, size: float, ticked: bool = False) -> None:
        super().__init__()
        self.size = size
        self.ticked = ticked
        self.width = self.height = size

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        self.canv.setStrokeColor(INK)
        self.canv.setLineWidth(0.9)
        self.canv.rect(0, 0, self.size, self.size, stroke=1, fill=0)
        if self.ticked:
            n = self.size
            self.canv.setLineWidth(1.4)
            self.canv.lines([(0.2 * n, 0.5 * n, 0.42 * n, 0.22 * n), (0.42 * n, 0.22 * n, 0.85 * n, 0.85 * n)])


def table(
    rows: Sequence[Sequence[Cell]],
    widths: Sequence[float],
    style: Iterable[TableCommand],
    *,
    repeat_rows: int = 0,
    space_before: float | None = None,
) -> Table:
    """A left-aligned table with these column widths and style commands."""
    made = Table(
        [list(row) for row in rows],
        colWidths=widths,
        repeatRows=repeat_rows,
        hAlign="LEFT",
        spaceBefore=space_before,
    )
    made.setStyle(TableStyle(style))
    return made


def grid_style(styles: Styles) -> list[TableCommand]:
    """A table with a tinted header row, light rules between rows and zebra stripes."""
    pad = 4.5 if styles.large else 3.5
    return [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), pad),
        ("RIGHTPADDING", (0, 0), (-1, -1), pad),
        ("TOPPADDING", (0, 0), (-1, -1), pad),
        ("BOTTOMPADDING", (0, 0), (-1, -1), pad + 1),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL),
        ("LINEBELOW", (0, 0), (-1, 0), 0.9, ACCENT),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [WHITE, ZEBRA]),
    ]


__all__ = [
    "CELL_LIMIT",
    "LABEL_LIMIT",
    "NOTE_LIMIT",
    "Cell",
    "TickBox",
    "bullet",
    "counted",
    "due_words",
    "grid_style",
    "hazard_markup",
    "hazard_of",
    "indented",
    "long_date",
    "nothing_to_do",
    "p",
    "question_of",
    "reading_of",
    "table",
]
