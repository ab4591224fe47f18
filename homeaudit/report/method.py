"""How the assessment was done (an occupational therapist's report): the date, the rooms
assessed and those not in the home, the checklist (homeaudit's version and the checklist
folders it read), how many checks were answered, and how many answers the assessor saw for
themself and how many the client reported."""

from __future__ import annotations

from pathlib import Path

from reportlab.platypus import Flowable

import homeaudit
from homeaudit.checklist import ChecklistError, bundled_dir
from homeaudit.report.context import Context
from homeaudit.report.draw import counted, label_table, long_date, p
from homeaudit.report.text import markup
from homeaudit.report.titles import SECTION_TITLES
from homeaudit.words import BASIS_LABELS


def checklist_words(ctx: Context) -> str:
    """'homeaudit 0.1.0, built-in checklist library', plus the assessor's own checklist folders."""
    try:
        bundled = bundled_dir().resolve()
    except ChecklistError:  # pragma: no cover - an installed homeaudit always has its checklists
        bundled = None
    own = []
    for source in ctx.library.sources:
        path = Path(source)
        if bundled is not None and path.resolve() == bundled:
            continue
        own.append(path.name or str(path))
    words = f"homeaudit {homeaudit.__version__}, built-in checklist library ({counted(len(ctx.library.items), 'check')})"
    if own:
        words += "; with the assessor's own checklists from " + ", ".join(markup(name, limit=80) for name in own)
    return words


#: A row of the rooms list holds about this many characters of room names: a table row cannot be
#: split across pages, and 60 rooms with 200-character names in one row would not fit on one.
ROOMS_PER_ROW = 500


def room_rows(label: str, titles: list[str], counted: bool = True) -> list[tuple[str, str]]:
    """The rooms named after ``label`` (and counted), over as many rows as their names need."""
    chunks: list[list[str]] = [[]]
    length = 0
    for title in titles:
        if chunks[-1] and length + len(title) > ROOMS_PER_ROW:
            chunks.append([])
            length = 0
        chunks[-1].append(title)
        length += len(title) + 2
    rows = [("" if n else label, ", ".join(markup(t) for t in chunk)) for n, chunk in enumerate(chunks)]
    if counted:
        rows[0] = (label, f"{len(titles)}: {rows[0][1]}")
    return rows


def method(ctx: Context) -> list[Flowable]:
    s, score = ctx.styles, ctx.score
    present = [room.title for room in score.rooms if room.present and room.answered]
    unanswered = [room.title for room in score.rooms if room.present and not room.answered]
    absent = [room.title for room in score.rooms if not room.present]
    answered = [f for f in score.findings if f.status != "absent" and f.is_answered]
    observed = sum(f.basis == "observed" for f in answered)
    reported = sum(f.basis == "reported" for f in answered)
    unsaid = len(answered) - observed - reported
    resident = score.resident
    rows = [("Date of visit", long_date(ctx.audit.date))]
    rows += room_rows("Rooms assessed", present) if present else [("Rooms assessed", "None")]
    if unanswered:
        rows += room_rows("Not assessed (nothing answered)", unanswered)
    if absent:
        rows += room_rows("Not in this home", absent, counted=False)
    rows.append(("Checklist", checklist_words(ctx)))
    rows.append(
        (
            "Checks answered",
            (
                f"{score.overall.answered} of {score.overall.questions} in the rooms; "
                f"{resident.answered} of {resident.questions} about the client"
            ),
        )
    )
    if observed or reported:
        basis = (
            f"{BASIS_LABELS['observed']} by the assessor: {observed}; "
            f"{BASIS_LABELS['reported'].lower()} by the client or carer: {reported}"
        )
        if unsaid:
            basis += f"; not marked: {unsaid}"
        rows.append(("How answers were obtained", basis + "."))
    else:
        rows.append(("How answers were obtained", "Not recorded: no answer is marked observed or reported."))
    rows.append(
        (
            "Screening",
            (
                "CDC STEADI Stay Independent questionnaire (12 questions, 0-14 points; 4 or more: at risk); "
                "bone-health risk factors and warning signs."
            ),
        )
    )
    rows.append(
        (
            "Measurements",
            (
                "Compared with ADA 2010 and building-code figures used as good-practice targets in a home; "
                "chair, bed and toilet heights fitted to the client's knee height where it was measured."
            ),
        )
    )
    grid = label_table(
        rows, ctx.width, s.label, s.body, label_fraction=0.32 if s.large else 0.24, user=False, page_height=ctx.height
    )
    return [p(SECTION_TITLES["method"], s.h1), grid]


__all__ = ["ROOMS_PER_ROW", "checklist_words", "method", "room_rows"]
