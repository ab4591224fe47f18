"""What happens next (an occupational therapist's report): the services to refer to, with the
actions that call for them; the recommendations the client declined, with their reasons; and the
date of the follow-up visit. Each is left out when there is nothing to say."""

from __future__ import annotations

from reportlab.platypus import Flowable

from homeaudit.report.context import Context
from homeaudit.report.draw import CELL_LIMIT, LABEL_LIMIT, HeadedTable, grid_style, long_date, p, table
from homeaudit.report.sources import ranges
from homeaudit.report.text import markup
from homeaudit.report.titles import SECTION_TITLES


def referrals(ctx: Context) -> list[Flowable]:
    s = ctx.styles
    needs = ctx.score.referrals
    if not needs:
        return []
    data = [[p("Refer to", s.cell_head), p("Because of", s.cell_head), p("Actions", s.cell_head)]]
    for need in needs:
        reasons = "<br/>".join(markup(reason, limit=CELL_LIMIT) for reason in dict.fromkeys(need.reasons))
        noun = "Action" if len(need.ranks) == 1 else "Actions"
        data.append(
            [p(markup(need.label, limit=LABEL_LIMIT), s.cell_bold), p(reasons, s.cell), p(f"{noun} {ranges(need.ranks)}", s.cell)]
        )
    fractions = (0.3, 0.52, 0.18) if not s.large else (0.3, 0.45, 0.25)
    widths = [ctx.width * f for f in fractions]
    head = [
        p(SECTION_TITLES["referrals"], s.h1),
        p("Services this assessment refers the client to. The numbers are the actions in the plan.", s.body),
    ]
    return [HeadedTable(head, table(data, widths, grid_style(s), repeat_rows=1, page_height=ctx.height), ctx.height)]


def declined(ctx: Context) -> list[Flowable]:
    s = ctx.styles
    refused = [d for d in ctx.audit.assessment.declined if d.recommendation.strip()]
    if not refused:
        return []
    by_item = {action.item_id: action.rank for action in ctx.score.actions}
    data = [[p("Recommendation", s.cell_head), p("The client's reason", s.cell_head)]]
    for item in refused:
        rank = by_item.get(item.item_id) if item.item_id else None
        number = f" (action {rank})" if rank is not None else ""
        data.append(
            [
                p(markup(item.recommendation, limit=CELL_LIMIT) + number, s.cell),
                p(markup(item.reason, limit=CELL_LIMIT) or "No reason given", s.cell, user=True),
            ]
        )
    half = ctx.width / 2
    head = [
        p(SECTION_TITLES["declined"], s.h1),
        p("Recommendations the client chose not to take up at this visit, with the reason they gave.", s.body),
    ]
    grid = table(data, [half, ctx.width - half], grid_style(s), repeat_rows=1, page_height=ctx.height)
    return [HeadedTable(head, grid, ctx.height)]


def follow_up(ctx: Context) -> list[Flowable]:
    s = ctx.styles
    date = ctx.audit.assessment.follow_up
    if date is None:
        return []
    return [
        p(SECTION_TITLES["follow_up"], s.h1),
        p(f"A follow-up visit is planned for <b>{long_date(date)}</b>, to review the plan and what has been done.", s.body),
    ]


__all__ = ["declined", "follow_up", "referrals"]
