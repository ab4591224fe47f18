"""Since the last visit: what was fixed, what is new, what is still to do, and how the scores
moved (:mod:`homeaudit.compare`).

A re-audit is where a family sees that the work paid off, and where an occupational therapist
finds the fixes that did not hold: a hazard still there after the plan said "done" is flagged in
red words (never colour alone, so it survives a black-and-white printer). The section follows the
summary and is left out when there is no earlier visit to compare with.

The comparison is passed in finished (the report neither scores nor imports the engine).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from reportlab.platypus import Flowable, Spacer

from homeaudit.report.context import Context
from homeaudit.report.draw import CELL_LIMIT, LABEL_LIMIT, HeadedTable, counted, grid_style, long_date, p, table
from homeaudit.report.styles import RISK_COLOURS
from homeaudit.report.text import markup
from homeaudit.words import DONE_BUT_HAZARD, points_moved, whole

if TYPE_CHECKING:
    from homeaudit.compare import ChangeList, Comparison

#: The section's heading.
TITLE: Final = "Since the last visit"
#: The colour of the "done but still a hazard" words (the report's red for a high risk).
FLAG_HEX: Final = RISK_COLOURS["high"].hexval().replace("0x", "#")


def since_last_visit(ctx: Context, comparison: Comparison) -> list[Flowable]:
    """The section: a line that says what changed, the score change, then the three lists."""
    s = ctx.styles
    flagged = len(comparison.done_but_still_hazard)
    counts = (
        f"{counted(len(comparison.fixed), 'hazard')} fixed, {len(comparison.new)} new, {len(comparison.remaining)} still to do"
        + (f", {len(comparison.person)} new about the person" if comparison.person else "")
    )
    story: list[Flowable] = [
        p(TITLE, s.h1),
        p(f"Compared with the visit of <b>{long_date(comparison.before_date)}</b>: {counts}.", s.lead),
    ]
    if flagged:
        story.append(
            p(
                f"<font color='{FLAG_HEX}'><b>{DONE_BUT_HAZARD}: {flagged}.</b></font> The last plan marked "
                f"{'this' if flagged == 1 else 'these'} done, but the hazard was found again: check the fix.",
                s.body,
            )
        )
    story += _scores(ctx, comparison)
    for section in comparison.sections():
        story += _changes(ctx, section)
    return story


def _moved(before: float | None, after: float | None, change: float | None) -> tuple[str, str, str]:
    def shown(value: float | None) -> str:
        return "not assessed" if value is None else str(whole(value))

    points = points_moved(before, after) if change is not None else None
    moved = "" if points is None else "no change" if points == 0 else f"{points:+d}"
    return shown(before), shown(after), moved


def _scores(ctx: Context, comparison: Comparison) -> list[Flowable]:
    """The home's score and each room's, at the last visit and now (topics are in the app and
    the command line: one table is what a family reads here)."""
    s = ctx.styles
    change = comparison.score_change
    data = [[p("Where", s.cell_head), p("Last visit", s.cell_head), p("This visit", s.cell_head), p("Change", s.cell_head)]]
    whole = _moved(change.overall.before, change.overall.after, change.overall.change)
    data.append([p("The whole home", s.cell_bold), *(p(f"<b>{v}</b>", s.cell) for v in whole)])
    for room in change.rooms:
        data.append(
            [
                p(markup(room.title, limit=LABEL_LIMIT), s.cell, user=True),
                *(p(v, s.cell) for v in _moved(room.before, room.after, room.change)),
            ]
        )
    number = 0.17 if not s.large else 0.2
    widths = [ctx.width * (1 - 3 * number), *(ctx.width * number for _ in range(3))]
    head = [
        p("Safety score", s.h2),
        p("100 means no hazard was found in the checks that were answered; a higher score is safer.", s.muted),
        Spacer(1, s.gap * 0.3),
    ]
    return [HeadedTable(head, table(data, widths, grid_style(s), repeat_rows=1, page_height=ctx.height), ctx.height)]


def _changes(ctx: Context, section: ChangeList) -> list[Flowable]:
    """One list: where and what; for the new hazards, what to do (the hazards still there are in
    the action plan already, with what to do: the list says where and what, and flags a fix
    marked done that did not hold)."""
    s = ctx.styles
    heading = p(f"{section.title} ({len(section.actions)})", s.h2)
    if not section.actions:
        return [heading, p(section.empty, s.body)]
    fixed = section.kind not in ("new", "person")
    columns = ["Where", "Hazard"] if fixed else ["Where", "Hazard", "What to do"]
    data = [[p(name, s.cell_head) for name in columns]]
    for one in section.actions:
        hazard = markup(one.hazard, limit=CELL_LIMIT)
        if one.done_but_still_hazard:
            hazard += f"<br/><font color='{FLAG_HEX}'><b>{DONE_BUT_HAZARD}</b></font>"
        row = [p(markup(one.title, limit=LABEL_LIMIT), s.cell, user=True), p(hazard, s.cell)]
        if not fixed:
            row.append(p(markup(one.action, limit=CELL_LIMIT), s.cell))
        data.append(row)
    where = 0.22 if not s.large else 0.28
    if fixed:
        widths = [ctx.width * where, ctx.width * (1 - where)]
    else:
        widths = [ctx.width * where, ctx.width * 0.33, ctx.width * (1 - where - 0.33)]
    meaning = f"{section.meaning[:1].upper()}{section.meaning[1:]}."
    if section.kind == "remaining":
        meaning += " What to do about each is in the action plan."
    head = [heading, p(meaning, s.muted), Spacer(1, s.gap * 0.3)]
    return [HeadedTable(head, table(data, widths, grid_style(s), repeat_rows=1, page_height=ctx.height), ctx.height)]


__all__ = ["FLAG_HEX", "TITLE", "since_last_visit"]
