"""An occupational therapist's visit report: the front page with the visit's details, "Confidential"
on every page, every measurement (in range or not), answers marked observed or reported, the
referral list, the observations, what was declined, the follow-up, the method, the signature
lines and the professional disclaimer."""

from __future__ import annotations

import pytest

import homeaudit
from homeaudit.audit import OBSERVATION_LABELS, Auditor, Client, Consent
from homeaudit.report.draw import has_target, measure_words
from homeaudit.report.signoff import DISCLAIMER
from homeaudit.report.titles import CONFIDENTIAL, OT_SECTIONS, SECTION_TITLES
from homeaudit.units import format_target
from homeaudit.words import BASIS_LABELS, INCIDENT_LABELS


@pytest.fixture(scope="module")
def visit(reports):
    return reports.ot_visit()


@pytest.fixture(scope="module")
def score(reports, visit):
    return reports.score(visit)


@pytest.fixture(scope="module")
def pdf(reports, visit):
    return reports.pdf(visit)


@pytest.fixture(scope="module")
def pages(reports, pdf):
    return [reports.flat(page) for page in reports.pages(pdf)]


@pytest.fixture(scope="module")
def text(pages):
    return " ".join(pages)


def test_the_front_page_has_every_detail_of_the_visit(pages):
    front = pages[0]
    for expected in (
        SECTION_TITLES["visit"],
        "Zoë Kowalczyk",
        "2 February 1941 (age 84 on the day of the visit)",
        "12 Elm Street, Millbrook MB1 2CD",
        "Phone 01632 960123",
        "Lives alone Yes",
        "Usual mobility aid Walking stick",
        "Diagnoses Osteoporosis; Chronic low back pain",
        "Main carer Anna Kowalczyk (daughter), 07700 900123",
        "GP Dr Priya Shah (Millbrook Surgery), 01632 960500",
        "Funder Millbrook Health Board",
        "Case reference OT-2025-0142",
        "Referred by Dr Priya Shah (GP)",
        "Date of referral 20 February 2025",
        "Reason Fell on the stairs in January.",
        "The client's goals",
        "Use the stairs safely to reach the bedroom.",
        "Get in and out of the bath without help.",
        "Name Ann Lee",
        "Organisation Millbrook Community Occupational Therapy",
        "Registration number HCPC OT12345",
        "Contact ann.lee@millbrook.example",
        "To the assessment Given",
        "To photos Not given",
        "To sharing this report Given, with: GP and daughter",
        "14 March 2025",
    ):
        assert expected in front, expected
    assert SECTION_TITLES["summary"] not in front  # the visit's details have the page to themselves


def test_what_was_not_recorded_is_left_out(reports):
    audit = reports.blank(client=Client(name="Ada Byrne", address="1 Quay Road"), auditor=Auditor(name="Ann Lee", role="ot"))
    front = reports.flat(reports.pages(reports.pdf(audit))[0])
    assert "Address 1 Quay Road" in front
    for label in ("Phone", "Date of birth", "Lives alone", "Main carer", "GP", "Funder", "Referral", "goals", "To photos"):
        assert label not in front, label
    assert "Consent: not recorded" in front  # consent is the one thing an OT's report says was not recorded


def test_a_consent_not_given_says_so_and_sharing_with_nobody_names_nobody(reports):
    audit = reports.blank(auditor=Auditor(name="Ann Lee", role="ot"))
    audit.assessment.consent = Consent(assessment=True, sharing=False, share_with="GP")
    front = reports.flat(reports.pages(reports.pdf(audit))[0])
    assert "To sharing this report Not given" in front
    assert "with: GP" not in front


def test_confidential_is_on_every_page(pages):
    assert len(pages) > 5
    for page in pages:
        assert CONFIDENTIAL in page


@pytest.mark.parametrize("large_print", [False, True])
def test_confidential_is_on_every_page_in_large_print_too(reports, visit, large_print):
    pages = reports.pages(reports.pdf(visit, large_print=large_print, page_size="letter"))
    for page in pages:
        assert CONFIDENTIAL in reports.flat(page)


def test_a_family_report_is_not_marked_confidential(reports):
    audit = reports.all_hazards(reports.named(role="family"))
    assert CONFIDENTIAL not in " ".join(reports.pages(reports.pdf(audit)))


def test_the_sections_come_in_order(text):
    present = [s for s in OT_SECTIONS if s != "summary"]  # the summary's title closes its page
    positions = [text.find(SECTION_TITLES[section]) for section in present]
    assert -1 not in positions, dict(zip(present, positions, strict=True))
    assert positions == sorted(positions)


def test_every_measurement_is_listed_with_its_target_met_or_not(reports, score, text):
    findings = text.split(SECTION_TITLES["findings"], 1)[1].split(SECTION_TITLES["plan"], 1)[0]
    measured = [f for f in score.findings if f.reading is not None and has_target(f.reading) and f.visit >= 0]
    results = {f.status for f in measured}
    assert results == {"hazard", "safe"}  # in range and out of it
    for finding in measured:
        reading = finding.reading
        row = f"{measure_words(reading)} ({BASIS_LABELS['observed']}) {format_target(reading)}"
        assert reports.flat(row) in findings, row
    assert findings.count("Meets the target") == sum(f.status == "safe" for f in measured)
    assert findings.count("Outside the target") == sum(f.status == "hazard" for f in measured)


def test_answers_are_marked_observed_or_reported_and_near_misses_named(score, text):
    findings = text.split(SECTION_TITLES["findings"], 1)[1]
    assert f"({BASIS_LABELS['observed']})" in findings
    assert f"{BASIS_LABELS['observed']}, {INCIDENT_LABELS['near_miss']}" in findings
    method = text.split(SECTION_TITLES["method"], 1)[1]
    observed = sum(f.basis == "observed" and f.is_answered for f in score.findings)
    reported = sum(f.basis == "reported" and f.is_answered for f in score.findings)
    assert observed and reported
    assert f"{BASIS_LABELS['observed']} by the assessor: {observed}; reported by the client or carer: {reported}." in method


def test_the_referral_list_names_each_service_with_its_actions(score, text):
    assert score.referrals
    part = text.split(SECTION_TITLES["referrals"], 1)[1].split(SECTION_TITLES["declined"], 1)[0]
    for need in score.referrals:
        assert need.label in part
        for reason in need.reasons:
            assert reason in part
        assert f"Action{'s' if len(need.ranks) > 1 else ''} {need.ranks[0]}" in part


def test_functional_observations_declined_recommendations_and_the_follow_up(visit, text):
    part = text.split(SECTION_TITLES["observations"], 1)[1]
    for key, note in visit.assessment.observations.items():
        assert f"{OBSERVATION_LABELS[key]} {note}" in part
    declined = text.split(SECTION_TITLES["declined"], 1)[1]
    (item,) = visit.assessment.declined
    assert item.reason in declined
    assert "(action 1)" in declined or "(action " in declined
    follow = text.split(SECTION_TITLES["follow_up"], 1)[1]
    assert "A follow-up visit is planned for 14 May 2025" in follow


def test_the_method_says_which_rooms_and_which_checklist(reports, score, text):
    method = text.split(SECTION_TITLES["method"], 1)[1].split(SECTION_TITLES["sources"], 1)[0]
    assert f"Rooms assessed {len(score.rooms)}: " in method
    for room in score.rooms:
        assert room.title in method
    assert f"homeaudit {homeaudit.__version__}" in method
    assert f"{len(reports.library.items)} checks" in method
    assert f"{score.overall.answered} of {score.overall.questions} in the rooms" in method


def test_signature_lines_and_the_professional_disclaimer_end_the_report(pages):
    last = pages[-1]
    sign = last.split(SECTION_TITLES["sign_off"], 1)[1]
    assert sign.count("Signature") == 2 and sign.count("Date") >= 2 and sign.count("Name") == 2
    assert "Assessor Ann Lee" in sign and "Client Zoë Kowalczyk" in sign
    disclaimer = DISCLAIMER.format(date="14 March 2025")
    assert disclaimer.split(". ")[1] in last  # "It is not a structural, building or electrical survey, ..."
    for words in ("not a structural", "building codes", "maker's instructions", "valid for", "date of the visit"):
        assert words in last


def test_signature_lines_print_even_with_no_names(reports):
    audit = reports.blank(auditor=Auditor(role="ot"))
    last = reports.flat(reports.pages(reports.pdf(audit))[-1])
    assert last.count("Signature") == 2
    assert "An occupational therapist (name not recorded)" in last


def test_sections_with_nothing_recorded_are_left_out(reports):
    text = " ".join(reports.pages(reports.pdf(reports.blank(auditor=Auditor(name="Ann Lee", role="ot")))))
    for section in ("observations", "referrals", "declined", "follow_up"):
        assert SECTION_TITLES[section] not in text
    for section in ("visit", "method", "sign_off"):
        assert SECTION_TITLES[section] in text


# --------------------------------------------------------------------------- the plan an OT signs


@pytest.fixture(scope="module")
def margaret(reports):
    audit, photos = reports.example("ot-visit.yaml")
    return audit, [reports.flat(page) for page in reports.pages(reports.pdf(audit, photos))]


def _part(pages, section, until):
    text = " ".join(pages)
    return text.split(SECTION_TITLES[section], 1)[1].split(SECTION_TITLES[until], 1)[0]


def test_an_ots_plan_says_the_assessor_arranges_equipment_and_books_no_ot_appointment(reports, margaret):
    _audit, pages = margaret
    plan = _part(pages, "plan", "referrals")
    assert "Arranged by the assessor" in plan
    assert "Occupational therapist" not in plan  # an OT's own report never sends the client to an OT
    referrals = _part(pages, "referrals", "declined")
    assert "Home modification service" in referrals and "Community equipment service" in referrals


def test_a_declined_recommendation_says_so_on_its_plan_row(reports, margaret):
    audit, pages = margaret
    plan = _part(pages, "plan", "referrals")
    (declined,) = audit.assessment.declined
    assert f"Declined by the client: {reports.flat(declined.reason)}" in plan


def test_the_doctor_box_names_a_fall_once_and_living_alone_is_not_a_health_condition(reports, margaret):
    _audit, pages = margaret
    about = _part(pages, "resident", "findings")
    box = about.split("Talk to a doctor about", 1)[1].split("Risk of falling", 1)[0]
    assert "Recent fall or suspected minor fracture" in box and "Fell in the past year" not in box
    conditions = about.split("Health conditions noted", 1)[1].split("Living situation", 1)[0]
    assert "Lives alone" not in conditions
    assert "Living situation • Lives alone" in about


def test_the_plan_calls_the_person_the_client_in_an_ots_report(reports, margaret):
    _audit, pages = margaret
    plan = _part(pages, "plan", "referrals")
    assert "The client:" in plan and "The resident:" not in plan


def test_a_date_of_birth_after_the_visit_is_never_a_negative_age(reports):
    import datetime as dt

    audit = reports.blank(client=Client(name="Ada Byrne", date_of_birth=dt.date(2030, 1, 1)), auditor=Auditor(role="ot"))
    front = reports.flat(reports.pages(reports.pdf(audit))[0])
    assert "1 January 2030 (after the date of the visit: check it)" in front
    assert "age -" not in front


def test_a_consent_not_recorded_says_not_recorded(reports):
    audit = reports.blank(auditor=Auditor(name="Ann Lee", role="ot"))
    audit.assessment.consent = Consent(assessment=True)
    front = reports.flat(reports.pages(reports.pdf(audit))[0])
    assert "To the assessment Given" in front
    assert "To photos Not recorded" in front and "To sharing this report Not recorded" in front
