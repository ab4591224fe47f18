"""One helper's list as a PDF: their open jobs and nobody else's, with the client's first name and
address, on A4 and Letter, in large print, user text shown as typed."""

from __future__ import annotations

import io

import pypdf
import pytest
from pdf_text import flat, pages, text_runs

from homeaudit import PlanEdit, helper_list_pdf, helper_lists, load_audit, score
from homeaudit.audit import RESIDENT_VISIT
from homeaudit.report import ReportError, ReportOptions

from audit_builders import EXAMPLES


@pytest.fixture(scope="module")
def plan(library):
    """The hazardous house's plan with three jobs for Sam, one for Joe, and one of each done and declined."""
    audit = load_audit(EXAMPLES / "hazardous-house.yaml", library)
    base = score(audit, library)
    rooms = [a for a in base.actions if a.visit != RESIDENT_VISIT]
    sam, joe = rooms[2:5], rooms[5]
    edits = [PlanEdit(a.item_id, a.visit, helper="Sam (son)") for a in sam]
    edits += [PlanEdit(joe.item_id, joe.visit, helper="Joe the handyman")]
    edits += [PlanEdit(rooms[0].item_id, rooms[0].visit, state="done", helper="Sam (son)")]
    edits += [PlanEdit(rooms[1].item_id, rooms[1].visit, state="declined", reason="No", helper="Sam (son)")]
    return audit, base.with_edits(edits)


def text_of(pdf: bytes) -> str:
    return flat(" ".join(pages(pdf)))


def test_the_list_holds_the_helpers_open_jobs_with_the_client_and_address(plan):
    audit, result = plan
    jobs = helper_lists(result)["Sam (son)"]
    assert len(jobs) == 3
    text = text_of(helper_list_pdf(audit, result, "Sam (son)"))
    assert "For Sam (son)" in text and "Zoë's home" in text and flat(audit.client.address) in text
    assert "Kowalczyk" not in text  # the first name only
    for job in jobs:
        assert flat(job.action) in text and f"{job.rank}. {result.title(job.visit)}:" in text
    assert text.count("Done on") == 3
    assert "3 jobs" in text


def test_the_list_holds_no_other_helpers_job_nor_one_done_or_declined(plan):
    audit, result = plan
    lists = helper_lists(result)
    mine = {flat(a.action) for a in lists["Sam (son)"]}
    text = text_of(helper_list_pdf(audit, result, "Sam (son)"))
    others = [a for name, jobs in lists.items() if name != "Sam (son)" for a in jobs if flat(a.action) not in mine]
    assert others
    for job in others:
        assert flat(job.action) not in text, job.action
    closed = [a for a in result.actions if a.helper == "Sam (son)" and (a.done or a.declined)]
    assert len(closed) == 2 and all(flat(a.action) not in text for a in closed if flat(a.action) not in mine)


def test_a_kind_of_helpers_list_leaves_out_the_jobs_of_named_helpers(plan):
    audit, result = plan
    joe = helper_lists(result)["Joe the handyman"][0]
    kind = next(name for name, jobs in helper_lists(result).items() if any(a.who == joe.who and not a.helper for a in jobs))
    text = text_of(helper_list_pdf(audit, result, kind))
    assert f"{joe.rank}. {result.title(joe.visit)}:" not in text
    assert f"For {kind}" in text


def test_the_list_says_what_was_found_and_by_when_but_not_why_it_matters_for_the_person(plan):
    audit, result = plan
    [job] = helper_lists(result)["Joe the handyman"]
    text = text_of(helper_list_pdf(audit, result, "joe the HANDYMAN"))  # any case
    assert "For Joe the handyman" in text
    assert f"Found: {flat(job.hazard)}" in text and f"By {job.due.day} " in text
    assert job.why and flat(job.why) not in text and "osteoporosis" not in text


@pytest.mark.parametrize(("paper", "large"), [("A4", False), ("letter", False), ("A4", True), ("letter", True)])
def test_the_list_fits_the_paper_and_large_print_is_large(plan, paper, large):
    audit, result = plan
    pdf = helper_list_pdf(audit, result, "Sam (son)", ReportOptions(page_size=paper, large_print=large))
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    width, height = {"A4": (595.3, 841.9), "letter": (612.0, 792.0)}[paper]
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx((width, height), abs=0.5)
    assert len(reader.pages) == 1  # three jobs: one page
    runs = text_runs(pdf)
    assert all(0 < run.x < width - 40 and 0 < run.y < height for run in runs)
    if large:
        assert min(run.size for run in runs) >= 14


def test_user_text_is_shown_as_typed(plan, library):
    audit, result = plan
    odd = audit.model_copy(
        update={"client": audit.client.model_copy(update={"name": "<b>Zoë</b> & co", "address": "1 <i>Elm</i> St & 2 > 1"})}
    )
    sam = helper_lists(result)["Sam (son)"][0]
    hostile = score(odd, library).with_edits([PlanEdit(sam.item_id, sam.visit, helper="<font size=40>Sam</font> & <b>")])
    text = text_of(helper_list_pdf(odd, hostile, "<font size=40>Sam</font> & <b>"))
    assert "For <font size=40>Sam</font> & <b>" in text
    assert "<b>Zoë</b>'s home" in text and "1 <i>Elm</i> St & 2 > 1" in text


def test_a_helper_with_nothing_open_gets_a_page_that_says_so(plan):
    audit, result = plan
    text = text_of(helper_list_pdf(audit, result, "Nobody"))
    assert "For Nobody" in text and "No open jobs" in text


def test_an_unknown_paper_size_is_a_report_error(plan):
    audit, result = plan
    with pytest.raises(ReportError, match="A3"):
        helper_list_pdf(audit, result, "Sam (son)", ReportOptions(page_size="A3"))
