"""What a printed page looks like, read back from the PDF: the fridge page of a family's report,
type sizes in the plan, and no page that holds a single line."""

from __future__ import annotations

import io

import pypdf
import pytest
from pdf_text import body_runs, lines_per_page, text_runs
from pypdf.generic import ContentStream

from homeaudit.report.fridge import SIZES
from homeaudit.report.titles import SECTION_TITLES
from homeaudit.words import BAND_TITLES


@pytest.fixture(scope="module")
def family(reports):
    audit, photos = reports.example("hazardous-house.yaml")
    audit.auditor.role = "family"
    return audit, photos


@pytest.fixture(scope="module")
def family_pdf(reports, family):
    return reports.pdf(*family)


def squares(pdf: bytes, page: int) -> list[float]:
    """The sides of the squares drawn on a page (tick boxes), in points."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    stream = ContentStream(reader.pages[page].get_contents(), reader)
    return [float(ops[2]) for ops, op in stream.operations if op == b"re" and abs(float(ops[2]) - float(ops[3])) < 0.01]


# --------------------------------------------------------------------------- the fridge page


def test_a_family_report_opens_with_this_weeks_rows_big_with_tick_boxes(reports, family, family_pdf):
    score = reports.score(family[0])
    now = [action for action in score.actions if action.band == "now"]
    assert 1 <= len(now) <= 5
    first = reports.flat(reports.pages(family_pdf)[0])
    assert first.startswith(SECTION_TITLES["fridge"].upper())
    assert BAND_TITLES["now"] in first
    for action in now:
        assert f"{action.rank}. {score.title(action.visit)}: {reports.flat(action.action)}" in first
    assert first.count("Done on") == len(now)
    rest = len(score.actions) - len(now)
    assert f"Then: {rest} more actions in the action plan" in first
    assert SECTION_TITLES["summary"] not in first and SECTION_TITLES["plan"] not in first
    boxes = [side for side in squares(family_pdf, 0) if side >= 12]
    assert len(boxes) == len(now)


@pytest.mark.parametrize(("page_size", "large_print"), [("A4", False), ("letter", False), ("A4", True), ("letter", True)])
def test_the_fridge_page_puts_the_doctors_jobs_into_one_visit(reports, family, page_size, large_print):
    """Worth a point of type: the line is left out only when the smallest type cannot hold it."""
    from homeaudit.plan import DOCTOR_VISIT_LEAD, doctor_visit_words, one_doctor_visit

    score = reports.score(family[0])
    visit = one_doctor_visit(score.actions)
    assert visit is not None
    first = reports.flat(reports.pages(reports.pdf(*family, page_size=page_size, large_print=large_print))[0])
    assert reports.flat(DOCTOR_VISIT_LEAD + doctor_visit_words(visit, named=False)) in first
    assert f"also ask about jobs {visit.also[0].rank}," in first
    assert first.startswith(SECTION_TITLES["fridge"].upper()) and "Then:" in first  # still one page, whole


@pytest.mark.parametrize("large_print", [False, True])
def test_the_fridge_rows_are_12_pt_or_more_and_larger_in_large_print(reports, family, large_print):
    pdf = reports.pdf(*family, large_print=large_print)
    runs = [run for run in body_runs(pdf, large=large_print) if run.page == 0]
    title = next(run for run in runs if run.text.strip() == BAND_TITLES["now"])
    rows = [run for run in runs if run.y < title.y]
    assert rows
    smallest = min(min(sizes) for sizes in SIZES[large_print])
    assert smallest >= (14 if large_print else 12)
    assert min(run.size for run in rows) >= smallest - 0.01
    biggest = max(run.size for run in rows)
    assert biggest >= (14 if large_print else 13)


def test_the_date_line_is_wide_enough_to_write_a_date(reports, family_pdf):
    from homeaudit.report.fridge import DATE_LINE

    assert DATE_LINE >= 100  # points: about 35 mm, "21/11/2026" in handwriting


def test_no_fridge_page_without_rows_for_this_week(reports):
    audit = reports.all_safe(reports.named())
    first = reports.flat(reports.pages(reports.pdf(audit))[0])
    assert not first.startswith(SECTION_TITLES["fridge"].upper())


def test_an_ot_report_has_no_fridge_page(reports):
    audit, photos = reports.example("hazardous-house.yaml")
    assert audit.auditor.role == "ot"
    text = " ".join(reports.pages(reports.pdf(audit, photos)))
    assert SECTION_TITLES["fridge"].upper() not in text


def test_every_fridge_page_fits_one_page_even_with_long_actions(reports):
    audit = reports.all_hazards(reports.named())
    pages = [reports.flat(page) for page in reports.pages(reports.pdf(audit, large_print=True))]
    assert pages[0].startswith(SECTION_TITLES["fridge"].upper())
    assert "Then:" in pages[0]
    assert not pages[1].startswith(SECTION_TITLES["fridge"].upper())


# --------------------------------------------------------------------------- the plan's type sizes


def plan_runs(pdf: bytes, large: bool):
    """The runs from the plan's heading to the next section's heading."""
    runs = body_runs(pdf, large=large)
    start = next(i for i, run in enumerate(runs) if run.text.strip() == SECTION_TITLES["plan"])
    end = next(i for i, run in enumerate(runs) if i > start and run.text.strip() == SECTION_TITLES["findings"])
    return runs[start:end]


@pytest.mark.parametrize(("large_print", "smallest"), [(False, 10), (True, 14)])
def test_every_cell_of_the_plan_is_10_pt_or_14_in_large_print(reports, family, large_print, smallest):
    runs = plan_runs(reports.pdf(*family, large_print=large_print), large_print)
    assert len(runs) > 100
    assert min(run.size for run in runs) >= smallest - 0.01
    why = reports.score(family[0]).actions[1].why.split(".")[0]
    assert any(why.startswith(run.text.strip()[:20]) for run in runs if run.text.strip())  # "why" is in the plan too


# --------------------------------------------------------------------------- no page holds a single line


def audits(reports):
    yield "hazardous (OT)", *reports.example("hazardous-house.yaml")
    yield "safe-flat", *reports.example("safe-flat.yaml")
    yield "half-finished", *reports.example("half-finished.yaml")
    yield "OT visit with everything", reports.ot_visit(), None
    yield "every hazard", reports.all_hazards(reports.named()), None


@pytest.mark.parametrize(("large_print", "page_size"), [(False, "A4"), (True, "letter"), (False, "letter")])
def test_no_page_holds_a_single_line(reports, large_print, page_size):
    for name, audit, photos in audits(reports):
        pdf = reports.pdf(audit, photos, large_print=large_print, page_size=page_size)
        lines = lines_per_page(pdf, large=large_print)
        alone = {page + 1: count for page, count in lines.items() if count < 2}
        assert not alone, f"{name}: pages with fewer than two lines: {alone}"


def test_large_print_sets_the_whole_report_at_14_pt_or_more(reports):
    pdf = reports.pdf(reports.ot_visit(), large_print=True)
    assert min(run.size for run in text_runs(pdf)) >= 14


# --------------------------------------------------------------------------- every warning sign at once


@pytest.fixture(scope="module")
def alarming(reports):
    """A family's audit with every warning sign answered yes and a fall: more urgent rows than five."""
    audit = reports.all_hazards(reports.named())
    for item in reports.library.items_of("resident"):
        if item.screen in ("warning_sign", "steadi"):
            audit.resident[item.id] = reports.hazard_answer(item)
    return audit


@pytest.mark.parametrize("large_print", [False, True])
def test_every_warning_sign_at_once_still_fits_the_fridge_page_with_the_emergency_advice_whole(reports, alarming, large_print):
    score = reports.score(alarming)
    urgent = [a for a in score.actions if a.urgent]
    assert len(urgent) > 5  # more than five rows would want "This week"
    now = [a for a in score.actions if a.band == "now"]
    assert len(now) == 5 and now[0].today
    pages = [reports.flat(page) for page in reports.pages(reports.pdf(alarming, large_print=large_print))]
    first = pages[0]
    assert first.startswith(SECTION_TITLES["fridge"].upper()) and not pages[1].startswith(SECTION_TITLES["fridge"].upper())
    assert first.count("Done on") == 5
    flags = reports.library.items["resident.back_pain_red_flags"]
    assert reports.flat(flags.action) in first  # never shortened: "go to an emergency department now"
    assert "emergency department now" in first
    # the warning signs five rows could not hold: named on the page, for the same doctor's visit
    later = [a for a in urgent if a.band != "now" and a.who == "doctor"]
    assert later and "At the same doctor's visit, also tell them about:" in first
    for action in later:
        assert reports.flat(action.hazard) in first


def test_a_sign_that_means_today_says_today_not_a_date_a_week_away(reports, alarming):
    score = reports.score(alarming)
    flags = score.actions[0]
    assert flags.today and flags.due == alarming.date
    first = reports.flat(reports.pages(reports.pdf(alarming))[0])
    assert "Doctor · Appointment · today (14 Mar 2025)" in first
    assert "by 14 Mar 2025" not in first
