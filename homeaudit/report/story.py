"""The story of the report: its five sections, in order, as reportlab flowables.

1. Summary (:mod:`.summary`): a first page a relative can read in ten seconds.
2. Action plan (:mod:`.plan`): a printable table per band, to tick off and date.
3. Findings room by room (:mod:`.findings`): hazards with notes, measurements and photos; what
   was not assessed.
4. The resident (:mod:`.resident`): screening answers, warning signs ("talk to a doctor
   about ..."), daily habits.
5. Sources and the disclaimer (:mod:`.sources`).

Each section module takes the :class:`~homeaudit.report.context.Context` and returns its
flowables, opening with its heading from :data:`homeaudit.report.titles.SECTION_TITLES`; they
share the helpers of :mod:`homeaudit.report.draw`. This module strings them together.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, PageBreak

from homeaudit.report.context import Context
from homeaudit.report.findings import findings
from homeaudit.report.plan import action_plan
from homeaudit.report.resident import resident
from homeaudit.report.sources import sources
from homeaudit.report.summary import summary


def story(ctx: Context) -> list[Flowable]:
    """All five sections in order; the summary has a page to itself, the plan starts on page 2."""
    flow: list[Flowable] = []
    flow += summary(ctx)
    flow.append(PageBreak())
    flow += action_plan(ctx)
    # A section starts on a new page unless there is room for a good part of it; the heading's
    # space above is dropped at the top of a page.
    flow.append(CondPageBreak(60 * mm))
    flow += findings(ctx)
    flow.append(CondPageBreak(70 * mm))
    flow += resident(ctx)
    flow.append(CondPageBreak(70 * mm))
    flow += sources(ctx)
    return flow


__all__ = ["story"]
