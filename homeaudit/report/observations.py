"""Functional observations (an occupational therapist's report): how the person manages each
transfer the therapist watched, in the therapist's words, in the order of
:data:`homeaudit.audit.OBSERVATIONS`. Left out when none was recorded."""

from __future__ import annotations

from reportlab.platypus import Flowable

from homeaudit.audit import OBSERVATION_LABELS, OBSERVATIONS
from homeaudit.report.context import Context
from homeaudit.report.draw import NOTE_LIMIT, HeadedTable, grid_style, p, table
from homeaudit.report.text import markup
from homeaudit.report.titles import SECTION_TITLES


def observations(ctx: Context) -> list[Flowable]:
    s = ctx.styles
    recorded: dict[str, str] = {str(key): text for key, text in ctx.audit.assessment.observations.items()}
    rows = [(key, recorded[key]) for key in OBSERVATIONS if (recorded.get(key) or "").strip()]
    if not rows:
        return []
    label_w = ctx.width * (0.34 if s.large else 0.26)
    data = [[p("Activity", s.cell_head), p("What the assessor saw", s.cell_head)]]
    data += [
        [p(markup(OBSERVATION_LABELS.get(key, key)), s.cell_bold), p(markup(text, limit=NOTE_LIMIT), s.cell, user=True)]
        for key, text in rows
    ]
    head = [
        p(SECTION_TITLES["observations"], s.h1),
        p("How the client managed each activity on the day, as the assessor watched it.", s.body),
    ]
    grid = table(data, [label_w, ctx.width - label_w], grid_style(s), repeat_rows=1, page_height=ctx.height)
    return [HeadedTable(head, grid, ctx.height)]


__all__ = ["observations"]
