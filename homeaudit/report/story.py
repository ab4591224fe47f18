"""The story of the report: its sections, in order, as reportlab flowables.

Who audited decides which sections there are (:data:`homeaudit.report.titles.FAMILY_SECTIONS`,
:data:`~homeaudit.report.titles.OT_SECTIONS`):

* **A family member's audit** opens with the fridge page (:mod:`.fridge`: this week's jobs,
  big, with boxes to tick), then the summary (:mod:`.summary`), the action plan (:mod:`.plan`),
  the findings room by room (:mod:`.findings`), the resident (:mod:`.resident`) and the sources
  (:mod:`.sources`).
* **An occupational therapist's visit report** opens with the visit's details (:mod:`.front`),
  then the summary, the functional observations (:mod:`.observations`), the resident, the
  findings with every measurement, the plan, the referrals, the recommendations declined and the
  follow-up (:mod:`.referrals`), the assessment method (:mod:`.method`), the sources, and the
  signatures with the professional disclaimer (:mod:`.signoff`).

Each section module takes the :class:`~homeaudit.report.context.Context` and returns its
flowables, opening with its heading from :data:`homeaudit.report.titles.SECTION_TITLES` (or
nothing, when it has nothing to say); they share the helpers of :mod:`homeaudit.report.draw`.
This module strings them together: the first pages each have a page to themselves, the rest
start on a new page only when there is not room for a good part of them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, PageBreak

from homeaudit.report.context import Context
from homeaudit.report.findings import findings
from homeaudit.report.fridge import fridge
from homeaudit.report.front import front_page
from homeaudit.report.method import method
from homeaudit.report.observations import observations
from homeaudit.report.plan import action_plan
from homeaudit.report.referrals import declined, follow_up, referrals
from homeaudit.report.resident import resident
from homeaudit.report.signoff import sign_off
from homeaudit.report.sources import sources
from homeaudit.report.summary import summary
from homeaudit.report.titles import FAMILY_SECTIONS, OT_SECTIONS, Section

SECTIONS: dict[Section, Callable[[Context], list[Flowable]]] = {
    "fridge": fridge,
    "visit": front_page,
    "summary": summary,
    "observations": observations,
    "plan": action_plan,
    "findings": findings,
    "resident": resident,
    "referrals": referrals,
    "declined": declined,
    "follow_up": follow_up,
    "method": method,
    "sources": sources,
    "sign_off": sign_off,
}
#: Sections that have a page (or more) to themselves: the next one starts on a new page.
OWN_PAGE: frozenset[Section] = frozenset({"fridge", "visit", "summary"})
#: Room a section needs at the foot of a page to start there (else it starts on the next page).
ROOM_TO_START = 60 * mm


def sections_for(ctx: Context) -> tuple[Section, ...]:
    return OT_SECTIONS if ctx.audit.auditor.role == "ot" else FAMILY_SECTIONS


def story(ctx: Context, since: Sequence[Flowable] = ()) -> list[Flowable]:
    """The sections in order: the first pages each on their own, the rest flowing on. ``since``
    (the comparison with the last visit, :mod:`.since`) comes right after the summary."""
    parts: list[tuple[str, Sequence[Flowable]]] = []
    for section in sections_for(ctx):
        parts.append((section, SECTIONS[section](ctx)))
        if section == "summary":
            parts.append(("since", since))
    flow: list[Flowable] = []
    previous: str | None = None
    for name, part in parts:
        if not part:
            continue
        if previous is not None:
            flow.append(PageBreak() if previous in OWN_PAGE else CondPageBreak(ROOM_TO_START))
        flow += part
        previous = name
    return flow


__all__ = ["SECTIONS", "sections_for", "story"]
