"""An action marked done in the app: it leaves page one's "Most urgent actions" (it is not urgent
any more) and stays in the plan, ticked, so the printout still shows what was done."""

from __future__ import annotations

import datetime as dt
import io

import pypdf
import pytest
from pypdf.generic import ContentStream

from homeaudit.plan import PlanEdit
from homeaudit.report import render
from homeaudit.report.titles import FAMILY_SECTIONS, OT_SECTIONS, SECTION_TITLES


def _hazardous(reports, role: str):
    """An audit whose plan has more actions than page one lists, each with its own hazard words."""
    audit = reports.named(role=role)
    for visit in audit.rooms:
        for item in reports.library.items_of(visit.room):
            if item.answer_type == "yes_no":
                visit.answers[item.id] = reports.hazard_answer(item)
    return audit


def _section(pages: list[str], section: str, role: str = "family") -> list[str]:
    """The pages of a section: from the page that holds its heading up to the page that holds
    the heading of a section after it (that page too: a section can end mid-page)."""
    order = OT_SECTIONS if role == "ot" else FAMILY_SECTIONS
    later = [SECTION_TITLES[s] for s in order[order.index(section) + 1 :]]
    start = next(n for n, page in enumerate(pages) if SECTION_TITLES[section] in page)
    end = next((n for n in range(start + 1, len(pages)) if any(title in pages[n] for title in later)), len(pages) - 1)
    return pages[start : end + 1]


def _line_segments(pdf: bytes, page: int) -> int:
    """How many straight lines are drawn on a page: a ticked box adds the two strokes of its tick."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return sum(op == b"l" for _, op in ContentStream(reader.pages[page].get_contents(), reader).operations)


@pytest.mark.parametrize("role", ["family", "ot"])
def test_an_action_marked_done_leaves_page_one_and_stays_in_the_plan_ticked(reports, role):
    audit = _hazardous(reports, role)
    score = reports.score(audit)
    first, second = score.actions[0], score.actions[1]
    assert len(score.actions) > 6 and first.hazard != second.hazard
    before = render(audit, score, reports.library)
    done = score.with_edits([PlanEdit(item_id=first.item_id, visit=first.visit, done=True)])
    after = render(audit, done, reports.library)

    pages_before = [reports.flat(page) for page in reports.pages(before)]
    pages_after = [reports.flat(page) for page in reports.pages(after)]
    summary_before = _section(pages_before, "summary", role)[0]
    summary_after = _section(pages_after, "summary", role)[0]
    assert first.hazard in summary_before  # listed while it was to do
    assert first.hazard not in summary_after
    assert second.hazard in summary_after  # the next one moves up
    assert "1 action marked done" in summary_after

    plan_after = " ".join(_section(pages_after, "plan", role))
    assert first.hazard in plan_after and second.hazard in plan_after
    plan_page = next(n for n, page in enumerate(pages_after) if SECTION_TITLES["plan"] in page and first.hazard in page)
    same_page = next(n for n, page in enumerate(pages_before) if SECTION_TITLES["plan"] in page and first.hazard in page)
    assert _line_segments(after, plan_page) == _line_segments(before, same_page) + 2  # its box is ticked


def test_a_plan_all_done_says_so_on_page_one_instead_of_listing_actions(reports):
    audit = _hazardous(reports, "family")
    score = reports.score(audit)
    done = score.with_edits([PlanEdit(item_id=a.item_id, visit=a.visit, done=True) for a in score.actions])
    pages = [reports.flat(page) for page in reports.pages(render(audit, done, reports.library))]
    summary = _section(pages, "summary")[0]
    assert "every action in the plan is marked done" in summary
    assert not any(action.hazard in summary for action in score.actions[:5])


def test_the_plan_prints_who_by_name_and_when_and_by_whom_a_fix_was_done(reports):
    audit = _hazardous(reports, "ot")
    score = reports.score(audit)
    first, second = score.actions[0], score.actions[1]
    edits = [
        PlanEdit(first.item_id, first.visit, state="done", done_on=dt.date(2026, 11, 2), done_by="Joe <b>Fix</b>"),
        PlanEdit(second.item_id, second.visit, helper="Sam (son)"),
    ]
    pages = [reports.flat(page) for page in reports.pages(render(audit, score.with_edits(edits), reports.library))]
    plan = " ".join(_section(pages, "plan", "ot"))
    assert "Done on 2 November 2026 by Joe <b>Fix</b>." in plan  # the name as typed, never markup
    assert "Sam (son) (" in plan
