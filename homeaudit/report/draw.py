"""Small drawing helpers the sections share: paragraphs, tables, the tick box, and the words for
a measurement (the hazard's own words come from :func:`homeaudit.plan.problem`, dates from
:mod:`homeaudit.words`, targets from :func:`homeaudit.units.format_target`).

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
from homeaudit.report import bidi, fonts
from homeaudit.report.styles import ACCENT, HEAD_FILL, INK, MUTED, MUTED_HEX, RULE, WHITE, ZEBRA, Styles
from homeaudit.results import Finding, Score
from homeaudit.units import Reading, format_measure
from homeaudit.words import BASIS_LABELS, INCIDENT_LABELS, long_date, short_date

if TYPE_CHECKING:
    from reportlab.platypus.tables import _TableCommand as TableCommand

#: What a table cell holds: a flowable, a list of them stacked, or plain text ("" for an empty cell).
Cell: TypeAlias = Flowable | Sequence[Flowable] | str

#: Limits that keep most table rows shorter than a page (a row taller than a page splits inside:
#: :class:`KeepRowsTable`).
LABEL_LIMIT: Final = 80
CELL_LIMIT: Final = 600
NOTE_LIMIT: Final = 5000
#: The least room, in points, in which a row taller than a page starts at the foot of a page (a
#: few lines of it); with less it starts on the next page.
MIN_PIECE: Final = 60.0

# --------------------------------------------------------------------------- words


def age_on(born: dt.date, day: dt.date) -> int:
    """Age in whole years on a day (negative for a birth date after it: the caller says so)."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


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


def has_target(reading: Reading) -> bool:
    return reading.low is not None or reading.high is not None


def measure_words(reading: Reading) -> str:
    """'86 cm (33.9 in)'."""
    return format_measure(reading.value, reading.unit)


def answer_marks(finding: Finding) -> str:
    """'(Observed)', '(Reported, Fell here)': where an answer came from and what happened there,
    in muted words after it; nothing when the audit does not say."""
    words = [BASIS_LABELS[finding.basis]] if finding.basis else []
    if finding.incident:
        words.append(INCIDENT_LABELS[finding.incident])
    return f" <font color='{MUTED_HEX}'>({', '.join(words)})</font>" if words else ""


def nothing_to_do(score: Score) -> str:
    """What page one and the plan say when the plan is empty."""
    if not score.overall.answered:
        return (
            "No checks have been answered yet, so there is no action to suggest. Walk through the "
            "rooms and answer the checks to get a plan."
        )
    return "No hazards were found in the checks that were answered: nothing needs doing now."


# --------------------------------------------------------------------------- flowables


def p(text: str, style: ParagraphStyle, *, user: bool = False) -> Paragraph:
    """A paragraph of markup (user text in it already passed through :func:`text.markup`); one
    that holds right-to-left letters is laid out by :mod:`homeaudit.report.bidi`.

    The report reads left to right, and so does a paragraph of its own words with a name or a
    note in it. A paragraph that is only user text (``user``: a name, an address, a note on its
    own) takes the direction of its first letter, so a note in Hebrew reads right to left."""
    return bidi.paragraph(text, style, base=None if user else 0)


def bullet(text: str, style: ParagraphStyle, *, user: bool = False) -> Paragraph:
    return bidi.paragraph(text, style, bullet="\u2022", base=None if user else 0)


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


class WriteLine(Flowable):
    """A line to write on by hand (a date, a signature), with its label under it in small print,
    or (``inline``) before it on the same line. ``written`` is what the app already knows for it
    (the date an action was done), printed on the line as if filled in: a form the app filled in
    reads the same as one filled in by hand. It is the report's own words (a date), drawn
    without markup, so never user text."""

    def __init__(
        self,
        width: float,
        label: str,
        size: float,
        height: float | None = None,
        *,
        inline: bool = False,
        written: str = "",
    ) -> None:
        super().__init__()
        self.width = width
        self.label = label
        self.size = size
        self.inline = inline
        self.written = written
        self.height = height if height is not None else size * (1.9 if inline else 3.2)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.setFillColor(MUTED)
        canvas.setFont(fonts.REGULAR, self.size)
        if self.inline:
            line_y = self.size * 0.35
            canvas.drawString(0, line_y + self.size * 0.15, self.label)
            start = canvas.stringWidth(self.label, fonts.REGULAR, self.size) + self.size * 0.4
            written_y = line_y + self.size * 0.15
        else:
            line_y = self.size * 1.35
            canvas.drawString(0, line_y - self.size * 1.15, self.label)
            start = 0
            written_y = line_y + self.size * 0.3
        canvas.setStrokeColor(INK)
        canvas.setLineWidth(0.8)
        canvas.line(start, line_y, self.width, line_y)
        if self.written:
            # On the line, never past its end: a date in a narrow column steps down to fit.
            room = self.width - start - self.size * 0.3
            size = min(self.size, self.size * room / max(canvas.stringWidth(self.written, fonts.BOLD, self.size), 1e-6))
            canvas.setFillColor(INK)
            canvas.setFont(fonts.BOLD, size)
            canvas.drawString(start + self.size * 0.3, written_y, self.written)


class KeepRowsTable(Table):
    """A table that splits between rows, with its header repeated, but never leaves fewer than
    ``min_rows`` rows at the foot of a page: it moves on whole instead (or, with ``keep_last``,
    gives the next page one more row so that its last row is not alone there either).

    A row taller than a page (an observation of 1,000 characters in large print, fifty diagnoses)
    cannot move on whole: it would not fit on the next page either, and the report could not be
    made. Such a row starts where it is and is split inside, between the lines of its cells, where
    the page ends; the rest goes on the next page under the repeated header, with the row's colour
    and rules."""

    #: The height of a whole frame: a table that starts at the top of a page splits where it must.
    page_height: float = 1e9
    #: Give the next page at least two rows (for a table that ends a report; elsewhere more
    #: follows the last row on its page, so it is not alone).
    keep_last: bool = False
    #: The fewest rows to leave at the foot of a page (two in normal print; one where rows are
    #: tall, in large print, so that half a page is not left empty).
    min_rows: int = 2

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        return self.split_leaving(availWidth, availHeight, self.min_rows)

    def split_leaving(self, availWidth: float, availHeight: float, min_rows: int) -> list[Flowable]:
        inside = self._split_in_row(availWidth, availHeight)
        if inside:
            return self._passed_on(inside)  # a row split inside it: this page is full
        parts = super().split(availWidth, availHeight)
        if len(parts) != 2:
            return parts
        head = self._head()
        first = len(parts[0]._cellvalues) - head  # type: ignore[attr-defined]  # reportlab's own
        rest = len(parts[1]._cellvalues) - head  # type: ignore[attr-defined]
        at_top = availHeight >= self.page_height * 0.95
        if first < min_rows and not at_top:
            return []  # the first row(s) go over to the next page with the rest
        if rest < 2 and first >= 3 and self.keep_last:
            last = self._rowHeights[head + first - 1]  # type: ignore[attr-defined]
            retry = super().split(availWidth, availHeight - last - 0.5)
            if len(retry) == 2:
                parts = retry
        return self._passed_on(parts)

    def _head(self) -> int:
        """How many header rows repeat on each page."""
        return self.repeatRows if isinstance(self.repeatRows, int) else len(self.repeatRows)

    def _split_in_row(self, availWidth: float, availHeight: float) -> list[Flowable]:
        """The table split inside its first row that does not fit here, when that row would not
        fit on a page of its own either (or this is the top of a page): the rows before it and
        as many of its lines as fit here, then the rest. Nothing when the row can move on whole,
        or when too little room is left here for a few of its lines (it then starts on the next
        page, and is split there)."""
        self._calc(availWidth, availHeight)  # type: ignore[attr-defined]  # reportlab's own
        heights: list[float] = self._rowHeights  # type: ignore[attr-defined]
        head = self._head()
        row, used = 0, 0.0
        while row < len(heights) and used + heights[row] <= availHeight:
            used += heights[row]
            row += 1
        if row == len(heights):
            return []  # the whole table fits
        if row < head:
            return []  # not even the header fits
        alone = row == head and availHeight >= self.page_height * 0.95  # at the top of a page
        too_tall = heights[row] > self.page_height - sum(heights[:head]) - self.getSpaceBefore()
        if not (too_tall or alone) or availHeight - used < min(MIN_PIECE, heights[row] / 2):
            return []
        parts: list[Flowable] = self._splitRows(availHeight, doInRowSplit=1)  # type: ignore[attr-defined]
        return parts if len(parts) == 2 else []

    def _passed_on(self, parts: list[Flowable]) -> list[Flowable]:
        """The parts, each knowing the page height and the rules of this table."""
        for part in parts:
            if isinstance(part, KeepRowsTable):
                part.page_height, part.keep_last, part.min_rows = self.page_height, self.keep_last, self.min_rows
        return parts


class HeadedTable(Flowable):
    """Headings (and an intro) that stay with the first rows of their table: never a heading
    alone at the foot of a page. Like reportlab's KeepTogether it always asks to be split, and
    splits into its parts: all of them where they fit, else the headings with the part of the
    table that fits here (at least two rows, :class:`KeepRowsTable`), else nothing here, so that
    the whole block starts on the next page."""

    def __init__(self, head: Sequence[Flowable], body: Table, page_height: float) -> None:
        super().__init__()
        self.head = list(head)
        self.body = body
        self.page_height = page_height

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return available_width, 0xFFFFFF  # always split (the frame then places the parts)

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        head_h = height_of(self.head, availWidth)
        body_h = self.body.wrap(availWidth, availHeight)[1] + self.body.getSpaceBefore()
        if head_h + body_h <= availHeight:
            return [*self.head, self.body]
        at_top = availHeight >= self.page_height * 0.95
        parts: list[Flowable] = []
        if availHeight > head_h:
            if isinstance(self.body, KeepRowsTable):
                # At the top of a page one row under the headings will do: two may not fit at all.
                rows = 1 if at_top else self.body.min_rows
                parts = self.body.split_leaving(availWidth, availHeight - head_h, rows)
            else:
                parts = self.body.split(availWidth, availHeight - head_h)
        if parts:
            return [*self.head, *parts]
        if at_top:  # flow as it must
            return [*self.head, self.body]
        return []

    def getKeepWithNext(self) -> bool:
        return False


def table(
    rows: Sequence[Sequence[Cell]],
    widths: Sequence[float],
    style: Iterable[TableCommand],
    *,
    repeat_rows: int = 0,
    space_before: float | None = None,
    page_height: float | None = None,
    min_rows: int = 2,
) -> Table:
    """A left-aligned table with these column widths and style commands. With ``page_height``
    (the frame's), a table that splits never leaves one row alone on a page, and a row taller than
    a page splits inside (:class:`KeepRowsTable`): give it to every table whose rows hold text of
    unbounded length. Without it, rows never split and each must be shorter than a page."""
    kind = KeepRowsTable if page_height is not None else Table
    made = kind(
        [list(row) for row in rows],
        colWidths=widths,
        repeatRows=repeat_rows,
        hAlign="LEFT",
        spaceBefore=space_before,
    )
    if isinstance(made, KeepRowsTable) and page_height is not None:
        made.page_height = page_height
        made.min_rows = min_rows
    made.setStyle(TableStyle(style))
    return made


def height_of(flowables: Sequence[Flowable], width: float) -> float:
    """The height these flowables take in a frame of this width (a slight overestimate)."""
    return sum(part.wrap(width, 1e6)[1] + part.getSpaceBefore() + part.getSpaceAfter() for part in flowables)


def label_table(
    rows: Sequence[tuple[str, str]],
    width: float,
    label_style: ParagraphStyle,
    value_style: ParagraphStyle,
    *,
    label_fraction: float,
    user: bool = True,
    extra: Iterable[TableCommand] = (),
    page_height: float | None = None,
) -> Table:
    """Two columns, a label and its value ("Address", "12 Elm Street"): the client's details,
    an assessor's, the method. ``user`` marks the values as the user's words (their own
    direction of writing, :func:`p`)."""
    label_w = width * label_fraction
    return table(
        [[p(key, label_style), p(value, value_style, user=user)] for key, value in rows],
        [label_w, width - label_w],
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            ("TOPPADDING", (0, 0), (-1, -1), 1.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            *extra,
        ],
        page_height=page_height,
    )


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
    "MIN_PIECE",
    "NOTE_LIMIT",
    "Cell",
    "HeadedTable",
    "KeepRowsTable",
    "TickBox",
    "WriteLine",
    "age_on",
    "answer_marks",
    "bullet",
    "counted",
    "grid_style",
    "has_target",
    "hazard_of",
    "height_of",
    "indented",
    "label_table",
    "long_date",
    "measure_words",
    "nothing_to_do",
    "p",
    "question_of",
    "short_date",
    "table",
]
