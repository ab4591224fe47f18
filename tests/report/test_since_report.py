"""The report's "Since the last visit" section: there only when an earlier visit is compared, right
after the summary, with the three lists, the score change and "done but still a hazard"; the
auditor's room labels printed as text, never as markup."""

from __future__ import annotations

import datetime as dt

from pdf_text import flat, pages

import homeaudit
from homeaudit import PlanEdit
from homeaudit.audit import RoomVisit
from homeaudit.report import ReportOptions, render
from homeaudit.report.since import TITLE
from homeaudit.report.titles import SECTION_TITLES
from homeaudit.words import DONE_BUT_HAZARD

LABEL = "Upstairs <b>bath</b> & co"


def two_visits(reports):
    """The same bathroom twice: one check fixed, one new, one still a hazard though marked done."""
    fixed, new, still = [i for i in reports.library.items_of("bathroom") if i.answer_type == "yes_no"][:3]
    hazard, safe = reports.hazard_answer, reports.safe_answer
    before = reports.named()
    before.rooms = [
        RoomVisit(room="bathroom", label=LABEL, answers={fixed.id: hazard(fixed), new.id: safe(new), still.id: hazard(still)})
    ]
    after = reports.named(date=dt.date(2025, 9, 1))
    after.id = "later"
    after.rooms = [
        RoomVisit(room="bathroom", label=LABEL, answers={fixed.id: safe(fixed), new.id: hazard(new), still.id: hazard(still)})
    ]
    return before, after, (fixed, new, still)


def test_the_section_is_there_only_when_an_earlier_visit_is_compared(reports):
    before, after, (fixed, new, still) = two_visits(reports)
    comparison = homeaudit.compare_visits(before, after, reports.library, before_edits=[PlanEdit(still.id, 0, done=True)])
    with_it = [
        flat(page) for page in pages(render(after, reports.score(after), reports.library, ReportOptions(), comparison=comparison))
    ]
    without = " ".join(flat(page) for page in pages(reports.pdf(after)))
    assert TITLE not in without and DONE_BUT_HAZARD not in without

    [page] = [text for text in with_it if TITLE in text]
    assert with_it.index(page) == 2, "after the fridge page and the summary"
    assert "Compared with the visit of 14 March 2025" in page
    for words in ("Fixed (1)", "New (1)", "Still to do (1)", "The whole home", DONE_BUT_HAZARD):
        assert words in page
    assert fixed.hazard in page and new.hazard in page and still.hazard in page
    assert LABEL in page, "the room's label is printed as typed, not read as markup"


def test_an_ot_report_has_it_between_its_summary_and_the_observations(reports):
    before, after, _ = two_visits(reports)
    after.auditor.role = "ot"
    after.assessment.observations = {"stairs": "Managed the stairs with one hand on the rail."}
    comparison = homeaudit.compare_visits(before, after, reports.library)
    pdf = render(after, reports.score(after), reports.library, ReportOptions(large_print=True), comparison=comparison)
    texts = [flat(page) for page in pages(pdf)]

    def first(words: str) -> int:
        return next(n for n, text in enumerate(texts) if words in text)

    assert first(SECTION_TITLES["summary"]) < first(TITLE) < first(SECTION_TITLES["observations"])
    assert DONE_BUT_HAZARD not in " ".join(texts), "nothing was marked done"


def test_the_change_column_is_the_difference_of_the_scores_printed_beside_it():
    """An OT doing the subtraction on paper: 54 -> 62 is +8, and a half rounds up as on screen."""
    from homeaudit.report.since import _moved

    assert _moved(54.4, 61.6, 7.2) == ("54", "62", "+8")
    assert _moved(38.4, 81.2, 42.8) == ("38", "81", "+43")
    assert _moved(54.5, 54.5, 0.0) == ("55", "55", "no change")
    assert _moved(None, 70.0, None) == ("not assessed", "70", "")
