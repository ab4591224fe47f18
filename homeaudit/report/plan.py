"""The action plan: a printable table per band, to tick off and date.

The order is the scoring's (:mod:`homeaudit.plan`); the plan edits (done, who, due) are joined
before the report sees it, so a done action prints ticked and a changed due date prints as set.
Each row says what was found, why it matters for this person, what to do (with the
specification an installer needs, when there is one), who does it, the rough cost, by when,
and has a box to tick and a line to write the date on. Every cell is at least 10 pt (14 pt in
large print). The photos and notes of a row stay in the findings. A recommendation the client
declined stays in the plan (never in the first band), marked "Declined by the client" with their
reason; a job the OT's own report arranges says "Arranged by the assessor" (words.who_label).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table

from homeaudit.money import cost_label, doctor_word
from homeaudit.plan import Action, problem, when_words
from homeaudit.report.context import Context
from homeaudit.report.draw import (
    CELL_LIMIT,
    LABEL_LIMIT,
    Cell,
    HeadedTable,
    TickBox,
    WriteLine,
    grid_style,
    nothing_to_do,
    p,
    table,
)
from homeaudit.report.fridge import done_words
from homeaudit.report.styles import BAND_COLOURS, MUTED_HEX, RULE
from homeaudit.report.text import markup
from homeaudit.report.titles import SECTION_TITLES
from homeaudit.words import BAND_TITLES, BANDS, Band, long_date, who_label

#: Under each band's heading: what the band means.
BAND_INTROS: Final[dict[Band, str]] = {
    "now": "The most serious hazards for this person. Fix these first, this week if you can.",
    "soon": "Important, but after the first group: plan them for the coming weeks.",
    "later": "Smaller risks. Worth doing when you can.",
}
#: The column heads, in normal and in large print (two columns, so the text can stay at 14 pt).
HEAD: Final = ("No.", "What was found, and why it matters", "What to do", "Who, cost, by when", "Done")
HEAD_LARGE: Final = ("No.", "What was found, why it matters, what to do, who, cost, by when")
#: Words before a specification, for whoever installs or quotes the fix.
SPEC_LABEL: Final = "For the installer:"
#: Words before the reason a client gave for not wanting a recommendation.
DECLINED_LABEL: Final = "Declined by the client:"


def action_plan(ctx: Context) -> list[Flowable]:
    s, actions = ctx.styles, ctx.score.actions
    heading = p(SECTION_TITLES["plan"], s.h1)
    if not actions:
        return [heading, p(nothing_to_do(ctx.score), s.body)]
    opening: list[Flowable] = [
        heading,
        p(
            "In order of priority: start at the top. When a job is done, tick its box and write the "
            "date. The dates are suggestions; costs are rough bands, not quotes.",
            s.body,
        ),
    ]
    story: list[Flowable] = []
    for band in BANDS:
        rows = [action for action in actions if action.band == band]
        if not rows:
            continue
        opening += [_band_heading(ctx, band, len(rows)), p(BAND_INTROS[band], s.cell_muted), Spacer(1, s.gap * 0.5)]
        # The headings stay with the table's head and its first two rows (or the whole band).
        story.append(HeadedTable(opening, plan_table(ctx, rows), ctx.height))
        opening = []
    return story


def _band_heading(ctx: Context, band: Band, count: int) -> Table:
    s = ctx.styles
    title = p(f"{markup(BAND_TITLES[band])} <font color='{MUTED_HEX}'>({count})</font>", s.h2)
    marker_w = 5 if not s.large else 7
    return table(
        [["", title]],
        [marker_w, ctx.width - marker_w],
        [
            ("BACKGROUND", (0, 0), (0, 0), BAND_COLOURS[band]),
            ("LEFTPADDING", (0, 0), (0, 0), 0),
            ("RIGHTPADDING", (0, 0), (0, 0), 0),
            ("LEFTPADDING", (1, 0), (1, 0), 7),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ],
        space_before=s.gap * 0.6,
    )


def found_cell(ctx: Context, action: Action) -> str:
    """Where, what was found, and (smaller, muted) why it matters for this person."""
    where = markup(ctx.score.title(action.visit), limit=LABEL_LIMIT)
    text = f"<b>{where}:</b> {markup(problem(action), limit=CELL_LIMIT)}"
    if action.why.strip():
        text += f"<br/><font color='{MUTED_HEX}'>{markup(action.why, limit=CELL_LIMIT)}</font>"
    return text


def todo_cell(action: Action) -> str:
    """What to do, the specification for an installer when there is one, and the client's
    reason when they declined it."""
    text = markup(action.action, limit=CELL_LIMIT)
    if action.spec.strip():
        text += f"<br/><b>{SPEC_LABEL}</b> {markup(action.spec, limit=CELL_LIMIT)}"
    if action.declined.strip():
        text += f"<br/><b>{DECLINED_LABEL}</b> {markup(action.declined, limit=CELL_LIMIT)}"
    if action.done and (action.done_on or action.done_by):
        when = [f"on {long_date(action.done_on)}"] if action.done_on else []
        by = [f"by {action.done_by}"] if action.done_by else []
        text += f"<br/><b>Done</b> {markup(' '.join(when + by), limit=CELL_LIMIT)}."
    return text


def plan_table(ctx: Context, actions: Sequence[Action]) -> Table:
    """Five columns in normal print: number, what was found and why, what to do, who-cost-by
    when, and the box to tick with a line for the date. In large print two: the number with
    the box, and the whole row's words stacked at full width, so that 14 pt text keeps the rows
    short enough to print several to a page."""
    s, w = ctx.styles, ctx.width
    pad = 4.5 if s.large else 3.5
    data: list[list[Cell]] = []
    if not s.large:
        fractions = [0.06, 0.28, 0.355, 0.175, 0.13]
        widths = [w * f for f in fractions]
        widths[-1] = w - sum(widths[:-1])
        done_w = widths[-1] - 2 * pad
        data.append([p(h, s.cell_head) for h in HEAD])
        for action in actions:
            who, cost, due = _who_cost_due(ctx, action)
            data.append(
                [
                    p(str(action.rank), s.cell_bold),
                    p(found_cell(ctx, action), s.cell),
                    p(todo_cell(action), s.cell),
                    p("<br/>".join(part for part in (who, cost, due) if part), s.cell),
                    [
                        TickBox(11, action.done),
                        Spacer(1, 3),
                        WriteLine(done_w, "Date done", s.cell.fontSize, written=done_words(action)[0]),
                    ],
                ]
            )
        style = [*grid_style(s), ("LINEBEFORE", (4, 0), (4, -1), 0.4, RULE)]
        return table(data, widths, style, repeat_rows=1, page_height=ctx.height)
    number_w = 3.6 * s.cell.fontSize
    widths = [number_w, w - number_w]
    text_w = widths[1] - 2 * pad
    data.append([p(HEAD_LARGE[0], s.cell_head), p(HEAD_LARGE[1], s.cell_head)])
    for action in actions:
        who, cost, due = _who_cost_due(ctx, action)
        meta = f"<b>Who:</b> {who} · <b>Cost:</b> {cost}" + (f" · <b>By:</b> {due.removeprefix('by ')}" if due else "")
        data.append(
            [
                [p(str(action.rank), s.cell_bold), Spacer(1, 4), TickBox(18, action.done)],
                [
                    p(found_cell(ctx, action), s.cell),
                    Spacer(1, 3),
                    p(f"<b>What to do:</b> {todo_cell(action)}", s.cell),
                    Spacer(1, 3),
                    p(meta, s.cell),
                    Spacer(1, 4),
                    WriteLine(min(text_w, 85 * mm), "Date done:", s.cell.fontSize, inline=True, written=done_words(action)[0]),
                ],
            ]
        )
    return table(data, widths, grid_style(s), repeat_rows=1, page_height=ctx.height, min_rows=1)


def _who_cost_due(ctx: Context, action: Action) -> tuple[str, str, str]:
    who = markup(who_label(action.who, ctx.audit.auditor.role, doctor_word(ctx.currency)))
    if action.helper.strip():  # the person by name, then the kind of helper: "Sam (son) (Resident or family)"
        who = f"{markup(action.helper, limit=CELL_LIMIT)} ({who})"
    cost = markup(cost_label(action.cost, ctx.currency))
    return who, cost, markup(when_words(action))


__all__ = [
    "BAND_INTROS",
    "DECLINED_LABEL",
    "HEAD",
    "HEAD_LARGE",
    "SPEC_LABEL",
    "action_plan",
    "found_cell",
    "plan_table",
    "todo_cell",
]
