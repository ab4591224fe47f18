"""2. Action plan: a printable table per band, to tick off and date.

The order is the scoring's (:mod:`homeaudit.plan`); the plan edits (done, who, due) are joined
before the report sees it, so a done action prints ticked and a due date under "who".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Spacer, Table

from homeaudit.plan import Action
from homeaudit.report.context import Context
from homeaudit.report.draw import (
    CELL_LIMIT,
    LABEL_LIMIT,
    Cell,
    TickBox,
    due_words,
    grid_style,
    hazard_markup,
    nothing_to_do,
    p,
    reading_of,
    table,
)
from homeaudit.report.styles import BAND_COLOURS, MUTED_HEX, RULE
from homeaudit.report.text import markup
from homeaudit.report.titles import SECTION_TITLES
from homeaudit.words import BAND_TITLES, BANDS, COST_LABELS, WHO_LABELS, Band, label

#: Under each band's heading: what the band means.
BAND_INTROS: Final[dict[Band, str]] = {
    "now": "The most serious hazards for this person. Fix these first, this week if you can.",
    "soon": "Important, but after the first group: plan them for the coming weeks.",
    "later": "Smaller risks. Worth doing when you can.",
}


def action_plan(ctx: Context) -> list[Flowable]:
    s, actions = ctx.styles, ctx.score.actions
    story: list[Flowable] = [p(SECTION_TITLES["plan"], s.h1)]
    if not actions:
        story.append(p(nothing_to_do(ctx.score), s.body))
        return story
    story.append(
        p(
            "In order of priority: start at the top. When a job is done, tick its box and write the "
            "date. Costs are rough bands, not quotes.",
            s.body,
        )
    )
    for band in BANDS:
        rows = [action for action in actions if action.band == band]
        if not rows:
            continue
        story.append(CondPageBreak(60 * mm if not s.large else 80 * mm))
        story.append(_band_heading(ctx, band, len(rows)))
        story.append(p(BAND_INTROS[band], s.muted))
        story.append(Spacer(1, s.gap * 0.5))
        story.append(_plan_table(ctx, rows))
    return story


def _band_heading(ctx: Context, band: Band, count: int) -> Table:
    s = ctx.styles
    title = p(f"{BAND_TITLES[band]} <font color='{MUTED_HEX}'>({count})</font>", s.h2)
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


def _plan_table(ctx: Context, actions: Sequence[Action]) -> Table:
    """Eight columns in normal print; in large print five, "where and what" and "who, cost"
    folded into the hazard and the action so that the text can stay at 14 pt."""
    s, w = ctx.styles, ctx.width
    box_size = 13 if s.large else 9.5
    data: list[list[Cell]] = []
    if not s.large:
        fractions = [0.055, 0.115, 0.18, 0.29, 0.13, 0.075, 0.065, 0.09]
        head = ["No.", "Room", "Hazard", "What to do", "Who", "Cost", "Done", "Done on"]
        data.append([p(h, s.cell_head) for h in head])
        for action in actions:
            data.append(
                [
                    p(str(action.rank), s.cell_bold),
                    p(markup(ctx.score.title(action.visit), limit=LABEL_LIMIT), s.cell),
                    p(hazard_markup(action.hazard, reading_of(action)), s.cell),
                    p(markup(action.action, limit=CELL_LIMIT), s.cell),
                    p(markup(label(WHO_LABELS, action.who)) + due_words(action.due), s.cell),
                    p(markup(label(COST_LABELS, action.cost)), s.cell),
                    TickBox(box_size, action.done),
                    "",
                ]
            )
    else:
        fractions = [0.085, 0.26, 0.425, 0.11, 0.12]
        head = ["No.", "Where and what", "What to do", "Done", "Date"]
        data.append([p(h, s.cell_head) for h in head])
        for action in actions:
            where = markup(ctx.score.title(action.visit), limit=LABEL_LIMIT)
            who = markup(label(WHO_LABELS, action.who))
            cost = markup(label(COST_LABELS, action.cost))
            what = markup(action.action, limit=CELL_LIMIT)
            data.append(
                [
                    p(str(action.rank), s.cell_bold),
                    p(f"<b>{where}</b><br/>{hazard_markup(action.hazard, reading_of(action))}", s.cell),
                    p(f"{what}<br/><b>Who:</b> {who}{due_words(action.due)} · <b>Cost:</b> {cost}", s.cell),
                    TickBox(box_size, action.done),
                    "",
                ]
            )
    widths = [w * f for f in fractions]
    widths[-1] = w - sum(widths[:-1])
    done = len(fractions) - 2
    style = [*grid_style(s), ("ALIGN", (done, 1), (done, -1), "CENTER"), ("LINEBEFORE", (done, 0), (done, -1), 0.4, RULE)]
    return table(data, widths, style, repeat_rows=1)


__all__ = ["BAND_INTROS", "action_plan"]
