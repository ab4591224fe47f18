"""The PDF action plan, read back with pypdf: what it says, in what order, on which pages."""

from __future__ import annotations

import datetime as dt
import hashlib
import inspect
import io
import os
import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import pypdf
import pytest
from pdf_text import body_text
from reportlab.pdfbase.pdfmetrics import stringWidth

from homeaudit import limits
from homeaudit.audit import Answer, Audit, Auditor, Client, RoomVisit, visit_titles
from homeaudit.money import cost_label
from homeaudit.plan import PlanEdit, problem
from homeaudit.report import ReportError, ReportOptions, default_page_size, render, report_filename
from homeaudit.report import fonts as report_fonts
from homeaudit.report.plan import HEAD
from homeaudit.report.titles import FAMILY_SECTIONS, SECTION_TITLES
from homeaudit.units import convert, format_measure, format_range
from homeaudit.words import BAND_TITLES, RISK_LABELS, WHO_LABELS

NAMES = ("Zoë Kowalczyk-Nguyễn", "Małgorzata Wójcik", "Ελένη", "Ольга", "王芳")


def some_hazards(reports, audit: Audit, every: int = 3) -> Audit:
    """Every third item of each room a hazard, the rest safe, and every seventh left unanswered."""
    for visit in audit.rooms:
        for index, item in enumerate(reports.library.items_of(visit.room)):
            if index % 7 == 6:
                continue
            answer = reports.hazard_answer if index % every == 0 else reports.safe_answer
            visit.answers[item.id] = answer(item)
    return audit


@pytest.fixture(scope="module")
def hazardous(reports):
    audit = some_hazards(reports, reports.named())
    for item in reports.library.items_of("resident"):
        audit.resident[item.id] = Answer(value="yes")
    return audit


@pytest.fixture(scope="module")
def hazardous_pdf(reports, hazardous):
    return reports.pdf(hazardous)


@pytest.fixture(scope="module")
def hazardous_pages(reports, hazardous_pdf):
    return [reports.flat(page) for page in reports.pages(hazardous_pdf)]


# --------------------------------------------------------------------------- file name, options


def test_report_filename_is_the_client_slug_and_date(reports):
    assert report_filename(reports.blank(client=Client(name="Zoë Kowalczyk-Nguyễn"))) == "zoe-kowalczyk-nguyen-2025-03-14.pdf"


def test_report_filename_falls_back_to_audit_when_the_name_has_no_letters(reports):
    assert report_filename(reports.blank()) == "audit-2025-03-14.pdf"
    assert report_filename(reports.blank(client=Client(name="王芳"))) == "audit-2025-03-14.pdf"
    assert report_filename(reports.blank(client=Client(name="../../etc/passwd"))) == "etc-passwd-2025-03-14.pdf"


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"LANG": "en_US.UTF-8"}, "letter"),
        ({"LANG": "fr_CA.UTF-8"}, "letter"),
        ({"LANG": "es_MX"}, "letter"),
        ({"LANG": "en_PH.UTF-8"}, "letter"),
        ({"LANG": "en_GB.UTF-8"}, "A4"),
        ({"LANG": "de_DE@euro"}, "A4"),
        ({"LANG": "C.UTF-8"}, "A4"),
        ({}, "A4"),
        ({"LANG": "en_GB.UTF-8", "LC_PAPER": "en_US.UTF-8"}, "letter"),
        ({"LC_ALL": "en_AU.UTF-8", "LC_PAPER": "en_US.UTF-8"}, "A4"),
    ],
)
def test_default_page_size_follows_the_locale(environ, expected):
    assert default_page_size(environ) == expected


def test_page_size_option_sets_the_paper(reports):
    audit = reports.blank()
    a4 = pypdf.PdfReader(io.BytesIO(reports.pdf(audit, page_size="A4"))).pages[0].mediabox
    letter = pypdf.PdfReader(io.BytesIO(reports.pdf(audit, page_size="letter"))).pages[0].mediabox
    assert (round(a4.width), round(a4.height)) == (595, 842)
    assert (round(letter.width), round(letter.height)) == (612, 792)


def test_an_unknown_page_size_is_a_report_error(reports):
    audit = reports.blank()
    with pytest.raises(ReportError, match="A4"):
        render(audit, reports.score(audit), reports.library, ReportOptions(page_size="A3"))


# --------------------------------------------------------------------------- structure


def heading(section: str) -> str:
    """How a section's title is printed (the fridge page's is its kicker, in capitals)."""
    return SECTION_TITLES[section].upper() if section == "fridge" else SECTION_TITLES[section]


def test_a_family_report_has_its_sections_in_order(hazardous_pages):
    text = " ".join(hazardous_pages)
    assert FAMILY_SECTIONS == ("fridge", "summary", "plan", "findings", "resident", "sources")
    positions = [text.find(heading(section)) for section in FAMILY_SECTIONS]
    assert -1 not in positions
    assert positions == sorted(positions)


def test_the_fridge_page_comes_first_then_the_summary_then_the_plan(hazardous_pages):
    assert hazardous_pages[0].startswith(heading("fridge"))
    assert SECTION_TITLES["summary"] in hazardous_pages[1]
    assert SECTION_TITLES["plan"] not in " ".join(hazardous_pages[:2])
    assert hazardous_pages[2].startswith(SECTION_TITLES["plan"])


def test_every_page_has_the_client_date_and_page_n_of_m(hazardous_pages):
    total = len(hazardous_pages)
    assert total > 3
    for number, text in enumerate(hazardous_pages, start=1):
        assert NAMES[0] in text
        assert "14 March 2025" in text
        assert f"Page {number} of {total}" in text


def test_summary_page_has_who_where_when_risk_score_chart_and_top_actions(reports, hazardous, hazardous_pages):
    score = reports.score(hazardous)
    first = hazardous_pages[1]  # after the fridge page
    for expected in (NAMES[0], "12 Ελένη Street, Ольга Town", "14 March 2025", f"{NAMES[1]} (family member)"):
        assert expected in first
    assert score.overall.risk_level in ("high", "moderate", "low")
    assert RISK_LABELS[score.overall.risk_level] in first
    assert score.overall.score is not None
    assert f"{score.overall.score:.0f} out of 100" in first
    assert "Score by room" in first
    for visit in hazardous.rooms:  # each room's bar, labelled with the start of its name
        assert reports.library.room(visit.room).name[:12] in first
    for action in score.actions[:3]:  # the hazard, and a measurement's reading beside its target
        assert reports.flat(problem(action)) in first


def test_not_applicable_counts_as_answered_on_page_one_and_in_the_room(reports, library):
    audit = reports.all_safe(reports.named())
    visit = audit.rooms[0]
    items = library.items_of(visit.room)
    skipped = next(i for i in items if "na" in i.option_values)
    visit.answers[skipped.id] = Answer(value="na")
    score = reports.score(audit)
    assert score.overall.answered == score.overall.questions  # "not applicable" is an answer
    pages = [reports.flat(p) for p in reports.pages(reports.pdf(audit))]
    total = score.overall.questions
    summary = pages[1] if pages[0].startswith(heading("fridge")) else pages[0]
    assert f"{total} of {total} checks answered (100%)." in summary
    n = len(items)
    assert f"{score.title(0)} score 100 · 0 hazards · {n} of {n} checks answered" in " ".join(pages[1:])


def test_plan_is_grouped_by_band_in_order(reports, hazardous, hazardous_pages):
    text = " ".join(hazardous_pages[1:])
    bands = list(dict.fromkeys(action.band for action in reports.score(hazardous).actions))
    assert bands == [b for b in ("now", "soon", "later") if b in bands] and len(bands) >= 2
    positions = [text.find(BAND_TITLES[band]) for band in bands]
    assert -1 not in positions and positions == sorted(positions)


def test_plan_rows_show_who_and_cost_in_words(reports, hazardous, hazardous_pages):
    plan = reports.score(hazardous).actions
    text = " ".join(hazardous_pages[1:])
    for who in {action.who for action in plan}:
        assert WHO_LABELS[who] in text
    for cost in {action.cost for action in plan}:
        assert cost_label(cost, "USD") in text


@pytest.fixture(scope="module")
def long_plan(reports):
    audit = reports.all_hazards(reports.named())
    return audit, reports.score(audit), [reports.flat(p) for p in reports.pages(reports.pdf(audit))]


def test_long_plan_repeats_the_table_header_on_every_page(long_plan):
    _, _, pages = long_plan
    plan_pages = [p for p in pages if "What to do" in p]
    assert len(plan_pages) >= 3
    for page in plan_pages:
        assert " ".join(HEAD) in page


def test_long_plan_never_splits_a_row_across_pages(reports, long_plan):
    audit, score, pages = long_plan
    for action in score.actions:
        cells = row_text(reports, audit, action, large=False)
        assert any(cells in page for page in pages), f"row {action.rank} is not whole on one page"


def test_large_print_plan_still_keeps_each_row_on_one_page(reports, long_plan):
    audit, score, _ = long_plan
    pages = [reports.flat(p) for p in reports.pages(reports.pdf(audit, large_print=True, page_size="letter"))]
    for action in score.actions:
        cells = row_text(reports, audit, action, large=True)
        assert any(cells in page for page in pages), f"row {action.rank} is not whole on one page"


def row_text(reports, audit, action, *, large: bool) -> str:
    """A plan row's words as they read in the PDF: where and what was found, why, what to do
    (with the installer's specification), who, cost, by when, and the date line."""
    where = visit_titles(audit, reports.library)[action.visit]
    found = f"{where}: {problem(action)} {action.why}"
    todo = action.action + (f" For the installer: {action.spec}" if action.spec else "")
    who, cost, due = WHO_LABELS[action.who], cost_label(action.cost, "USD"), action.due
    by = f"{due.day} {due:%b} {due.year}"
    if large:
        return reports.flat(f"{action.rank} {found} What to do: {todo} Who: {who} · Cost: {cost} · By: {by} Date done")
    return reports.flat(f"{action.rank} {found} {todo} {who} {cost} by {by} Date done")


# --------------------------------------------------------------------------- findings


def test_findings_show_measurements_in_the_auditors_unit_with_the_other_in_brackets(reports):
    audit = reports.named()
    visit, item = next(
        (v, i)
        for v in audit.rooms
        for i in reports.library.items_of(v.room)
        if i.answer_type == "measurement" and i.unit in ("cm", "in") and i.range
    )
    low, high = item.range  # in the range's own unit, as its source writes it
    range_unit = item.range_unit or item.unit
    other = "in" if range_unit != "in" else "cm"
    value = round(convert(low * 0.5 if low is not None else high * 2, range_unit, other), 1)
    visit.answers[item.id] = Answer(value=value, unit=other)
    text = reports.flat(" ".join(reports.pages(reports.pdf(audit))))
    findings = text.split("Findings room by room", 1)[1]
    assert f"measured {format_measure(value, other)}; target {format_range(low, high, range_unit)}" in findings


def test_a_room_without_hazards_says_so_in_one_line(reports):
    audit = reports.all_safe(reports.named())
    text = reports.flat(" ".join(reports.pages(reports.pdf(audit))))
    assert text.count("No hazards found in this room.") == len(audit.rooms)


def test_items_not_assessed_are_listed_by_their_question(reports):
    audit = reports.all_safe(reports.named())
    visit = audit.rooms[0]
    skipped = reports.library.items_of(visit.room)[0]
    del visit.answers[skipped.id]
    text = reports.flat(" ".join(reports.pages(reports.pdf(audit))))
    assert f"Not assessed (1): {reports.flat(skipped.question)}" in text


def test_a_room_with_nothing_answered_is_one_not_assessed_line(reports):
    text = reports.flat(" ".join(reports.pages(reports.pdf(reports.blank()))))
    first = reports.library.items_of(reports.blank().rooms[0].room)
    assert f"Not assessed: none of the {len(first)} checks in this room were answered." in text


def test_rooms_marked_absent_are_named_once(reports):
    audit = reports.all_safe(reports.named())
    audit.rooms[-1].present = False
    name = reports.library.room(audit.rooms[-1].room).name
    text = reports.flat(" ".join(reports.pages(reports.pdf(audit))))
    assert f"Not in this home {name}." in text


def test_twin_rooms_are_told_apart_by_label_or_number(reports):
    room = reports.library.home_rooms[0]
    audit = reports.all_safe(reports.named(rooms=[room.room] * 3))
    audit.rooms[1].label = "upstairs"
    text = reports.flat(" ".join(reports.pages(reports.pdf(audit))))
    assert "upstairs" in text  # the auditor's own label, as the app shows it
    assert f"{room.name} 1" in text and f"{room.name} 3" in text


@pytest.mark.parametrize(("page_size", "large_print"), [("A4", False), ("letter", True)])
def test_the_largest_audit_the_limits_allow_lays_out(reports, library, page_size, large_print):
    """As many rooms as an import allows, each with the longest label (one unbreakable word) and a
    long note: the room chart goes on over pages, labels wrap, and every room is in the report."""
    kinds = library.home_rooms
    word = "Wohnzimmerfensterbank" * 10
    rooms = []
    for index in range(limits.MAX_ROOMS):
        kind = kinds[index % len(kinds)]
        visit = RoomVisit(room=kind.room, label=f"{index:02d}{word}"[: limits.MAX_LABEL])
        first = library.items_of(kind.room)[0]
        visit.answers[first.id] = reports.hazard_answer(first, note=("Note " + word * 4)[: limits.MAX_NOTE])
        rooms.append(visit)
    audit = Audit(client=Client(name="N" * limits.MAX_LABEL), auditor=Auditor(name="A" * limits.MAX_LABEL), rooms=rooms)
    text = reports.flat(" ".join(reports.pages(reports.pdf(audit, page_size=page_size, large_print=large_print))))
    for index in range(limits.MAX_ROOMS):
        assert f"{index:02d}Wohnzimmer" in text


# --------------------------------------------------------------------------- resident


def test_a_warning_sign_puts_a_talk_to_a_doctor_box_in_the_report(reports, library):
    sign = next(i for i in library.items_of("resident") if i.screen == "warning_sign")
    audit = reports.all_safe(reports.named())
    audit.resident[sign.id] = Answer(value="yes")
    text = reports.flat(" ".join(reports.pages(reports.pdf(audit))))
    box = text.split("Talk to a doctor about", 1)
    assert len(box) == 2 and reports.flat(sign.hazard) in box[1][:300]


def test_no_doctor_box_without_warning_signs_or_a_fall(reports):
    audit = reports.all_safe(reports.named())
    assert "Talk to a doctor about" not in " ".join(reports.pages(reports.pdf(audit)))


def test_a_fall_in_the_past_year_also_means_talk_to_a_doctor(reports):
    audit = reports.all_safe(reports.named())
    audit.resident["resident.fallen_past_year"] = Answer(value="yes")
    text = reports.flat(" ".join(reports.pages(reports.pdf(audit))))
    assert "Talk to a doctor about" in text


def test_each_sign_in_the_doctor_box_says_why_it_needs_a_doctor(reports, library):
    """A fall is not a sign of thin bones: each sign carries its own reason, not one shared one."""
    audit = reports.all_safe(reports.named())
    signs = ["resident.fallen_past_year", "resident.height_loss"]
    for item_id in signs:
        audit.resident[item_id] = Answer(value="yes")
    box = reports.flat(" ".join(reports.pages(reports.pdf(audit)))).split("Talk to a doctor about", 1)[1][:900]
    for item_id in signs:
        assert reports.flat(library.items[item_id].why) in box
    assert "thinning bones" not in box


@pytest.mark.parametrize(("role", "advised"), [("family", True), ("ot", False)])
def test_only_a_family_report_advises_an_occupational_therapists_visit(reports, role, advised):
    """An occupational therapist's own report does not advise the visit it records."""
    audit = reports.all_safe(reports.named(role=role))
    audit.resident["resident.fallen_past_year"] = Answer(value="yes")
    text = reports.flat(" ".join(reports.pages(reports.pdf(audit))))
    assert ("occupational therapist's home visit is advised" in text) is advised


def test_daily_habits_follow_the_answers(reports):
    audit = reports.all_safe(reports.named())
    without = reports.flat(" ".join(reports.pages(reports.pdf(audit))))
    audit.resident["resident.osteoporosis"] = Answer(value="yes")
    with_osteoporosis = reports.flat(" ".join(reports.pages(reports.pdf(audit))))
    habit = "Bend at the hips and knees, not at the waist"
    assert habit not in without
    assert habit in with_osteoporosis
    assert reports.flat(reports.library.habits["calcium"].advice) in with_osteoporosis


def test_unanswered_resident_section_says_so(reports):
    text = reports.flat(" ".join(reports.pages(reports.pdf(reports.blank()))))
    assert "The questions about the resident were not answered." in text


# --------------------------------------------------------------------------- sources, disclaimer


def test_every_recommendation_has_its_source_listed(reports, hazardous, hazardous_pdf):
    sources_part = body_text(hazardous_pdf).split(SECTION_TITLES["sources"], 1)[1]
    references = reports.library.references.values()
    for source in {source for action in reports.score(hazardous).actions for source in action.sources}:
        # A reference prints once, in full, with the parts of it each action rests on after it.
        ref = next((r for r in references if source.startswith(f"{r.authors} ({r.year}). {r.title}")), None)
        assert reports.flat(ref.full() if ref else source) in sources_part


def test_report_says_it_is_not_a_medical_diagnosis(hazardous_pages):
    assert "This is a home safety checklist, not a medical diagnosis." in hazardous_pages[-1]


# --------------------------------------------------------------------------- text is data


def test_names_in_every_script_come_back_out_of_the_pdf(hazardous_pages):
    text = " ".join(hazardous_pages)
    for name in NAMES:
        assert name in text


def test_user_text_prints_literally(reports):
    audit = reports.named()
    audit.client.notes = "<b>bold</b> & <script>"
    visit = audit.rooms[0]
    item = reports.first_item(visit.room, "yes_no")
    visit.answers[item.id] = reports.hazard_answer(item, note="1 < 2 > 0 & done")
    visit.label = "<i>front</i>"
    text = reports.flat(" ".join(reports.pages(reports.pdf(audit))))
    for literal in ("<b>bold</b> & <script>", "1 < 2 > 0 & done", "<i>front</i>"):
        assert literal in text


def test_text_is_set_in_the_embedded_font_or_a_cjk_cid_font(hazardous_pdf):
    used = {}

    def visit(text, cm, tm, font, size):
        if text.strip() and font:
            used[str(font["/BaseFont"])] = font

    for page in pypdf.PdfReader(io.BytesIO(hazardous_pdf)).pages:
        page.extract_text(visitor_text=visit)
    assert any("DejaVuSans" in name and "/FontFile2" in font["/FontDescriptor"] for name, font in used.items())
    for name, font in used.items():
        embedded = "/FontDescriptor" in font and "/FontFile2" in font["/FontDescriptor"]
        assert embedded or font["/Subtype"] == "/Type0", f"{name} is neither embedded nor a CID font"


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda a: setattr(a.client, "name", "Zoë " * 125), id="500-character name"),
        pytest.param(lambda a: setattr(a.client, "notes", "word " * 4000 + "x" * 20000), id="very long client note"),
        pytest.param(lambda a: setattr(a.rooms[0], "label", "L" * 3000), id="very long room label"),
        pytest.param(lambda a: setattr(a.auditor, "name", "\x00\x07\ufffe"), id="control characters"),
        pytest.param(lambda a: a.rooms.clear(), id="no rooms at all"),
    ],
)
def test_extreme_input_still_gives_a_valid_pdf(reports, change):
    audit = some_hazards(reports, reports.named())
    change(audit)
    for large in (False, True):
        reader = pypdf.PdfReader(io.BytesIO(reports.pdf(audit, large_print=large)))
        assert len(reader.pages) >= 1
        # The report runs to its end: the last page closes with the disclaimer.
        assert "not a medical diagnosis." in " ".join(reader.pages[-1].extract_text().split())


def test_very_long_note_on_a_hazard_flows_over_pages_and_is_marked_as_shortened(reports):
    audit = reports.named()
    visit = audit.rooms[0]
    item = reports.first_item(visit.room, "yes_no")
    # Audit files hold notes of at most 5,000 characters; the report cuts longer ones itself
    # (an audit built in code skips the file's checks).
    answer = reports.hazard_answer(item)
    visit.answers[item.id] = Answer.model_construct(**{**dict(answer), "note": "word " * 3000})
    text = reports.flat(" ".join(reports.pages(reports.pdf(audit))))
    assert "word word…" in text


def test_empty_audit_gives_a_valid_report_that_says_nothing_was_answered(reports):
    pages = [reports.flat(p) for p in reports.pages(reports.pdf(reports.blank()))]
    assert RISK_LABELS["unknown"] == "Not enough answers"
    assert "Not enough answers" in pages[0]
    assert "No checks have been answered yet" in pages[0]
    assert "A family member (name not recorded)" in pages[0]


def test_an_auditor_without_a_name_is_named_by_role_with_the_right_article(reports):
    audit = reports.blank(auditor=Auditor(name="", role="ot"))
    first = reports.flat(reports.pages(reports.pdf(audit))[0])
    assert "An occupational therapist (name not recorded)" in first


# --------------------------------------------------------------------------- print sizes


def text_runs(pdf: bytes) -> list[tuple[float, float, float, float]]:
    """Every run of text drawn: (page width, left x, right x, font size in points)."""
    runs: list[tuple[float, float, float, float]] = []
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        page_width = float(page.mediabox.width)

        def visit(text, cm, tm, font, size, page_width=page_width):
            if not text.strip() or not font:
                return
            scale = (tm[0] ** 2 + tm[1] ** 2) ** 0.5 * (cm[0] ** 2 + cm[1] ** 2) ** 0.5
            points = size * scale
            left = tm[4] * cm[0] + cm[4]
            name = str(font["/BaseFont"])
            if "DejaVuSans" in name:  # measure with the same font the report used
                ours = report_fonts.BOLD if "Bold" in name else report_fonts.REGULAR
                right = left + stringWidth(text.rstrip(), ours, points)
            else:
                right = left
            runs.append((page_width, left, right, points))

        page.extract_text(visitor_text=visit)
    return runs


def test_large_print_sets_every_piece_of_text_at_14_pt_or_more(reports, hazardous):
    normal = [size for *_, size in text_runs(reports.pdf(hazardous))]
    large = [size for *_, size in text_runs(reports.pdf(hazardous, large_print=True))]
    assert min(normal) < 14
    assert min(large) >= 14


@pytest.mark.parametrize("large_print", [False, True])
@pytest.mark.parametrize("page_size", ["A4", "letter"])
def test_no_text_runs_off_the_page_margins(reports, hazardous, page_size, large_print):
    runs = text_runs(reports.pdf(hazardous, page_size=page_size, large_print=large_print))
    margin = 18 * 72 / 25.4 - 1  # 18 mm, less a point for rounding
    for page_width, left, right, _ in runs:
        assert left >= margin
        assert right <= page_width - margin


# --------------------------------------------------------------------------- reproducible


def test_same_audit_gives_the_same_bytes(reports, hazardous, hazardous_pdf):
    assert reports.pdf(hazardous) == hazardous_pdf
    assert reports.pdf(hazardous, large_print=True) != hazardous_pdf


def test_document_dates_are_the_audit_date(hazardous_pdf):
    metadata = pypdf.PdfReader(io.BytesIO(hazardous_pdf)).metadata
    assert metadata.creation_date.date().isoformat() == "2025-03-14"
    assert metadata.modification_date.date().isoformat() == "2025-03-14"


def test_same_bytes_in_another_process_with_another_hash_seed(reports, hazardous_pdf, tmp_path):
    script = textwrap.dedent(
        """
        import sys, hashlib
        sys.path.insert(0, sys.argv[1])
        from conftest import Reports
        from test_report_layout import some_hazards
        import homeaudit
        from homeaudit.audit import Answer
        reports = Reports(homeaudit.load_library())
        audit = some_hazards(reports, reports.named())
        for item in reports.library.items_of("resident"):
            audit.resident[item.id] = Answer(value="yes")
        sys.stdout.write(hashlib.sha256(reports.pdf(audit)).hexdigest())
        """
    )
    env = dict(os.environ, PYTHONHASHSEED="12345")
    here = os.path.dirname(__file__)
    out = subprocess.run([sys.executable, "-c", script, here], capture_output=True, text=True, env=env, cwd=tmp_path, check=True)
    assert out.stdout == hashlib.sha256(hazardous_pdf).hexdigest()


def test_renders_in_parallel_threads_do_not_mix(reports, hazardous, hazardous_pdf):
    # The app renders from several sessions at once, in threads.
    empty = reports.blank()
    empty_pdf = reports.pdf(empty)
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda n: reports.pdf(hazardous if n % 2 else empty), range(8)))
    assert results == [hazardous_pdf if n % 2 else empty_pdf for n in range(8)]


@pytest.mark.parametrize("hazards", [1, 2])
def test_a_plan_of_one_or_two_actions_fits_the_summary_page_without_a_count_of_more(reports, hazards):
    audit = reports.blank()
    items = [i for i in reports.library.items_of(audit.rooms[0].room) if i.answer_type == "yes_no"][:hazards]
    for item in items:
        audit.rooms[0].answers[item.id] = reports.hazard_answer(item)
    pages = [reports.flat(page) for page in reports.pages(reports.pdf(audit))]
    summary = next(page for page in pages if SECTION_TITLES["summary"] in page)
    assert "more action" not in summary
    for item in items:
        assert item.hazard in summary


def test_edits_from_the_app_print_the_new_who_and_due_date(reports):
    audit = reports.blank()
    item = next(i for i in reports.library.items_of(audit.rooms[0].room) if i.answer_type == "yes_no" and i.who != "ot")
    audit.rooms[0].answers[item.id] = reports.hazard_answer(item)
    edits = [PlanEdit(item_id=item.id, visit=0, done=True, who="ot", due=dt.date(2026, 12, 1))]
    score = reports.score(audit).with_edits(edits)
    plain = reports.flat(" ".join(reports.pages(render(audit, score, reports.library))))
    assert "by 1 Dec 2026" in plain
    assert "Occupational therapist" in plain


def test_render_takes_a_finished_plan_and_no_edits(reports):
    params = ["audit", "score", "library", "options", "photo_loader", "comparison"]
    assert list(inspect.signature(render).parameters) == params
    audit = reports.blank()
    with pytest.raises(TypeError):
        render(audit, reports.score(audit), reports.library, edits=[])  # type: ignore[call-arg]


# --------------------------------------------------------------------------- review of issues 9 and 10


def test_the_reasons_name_the_person_without_a_title(reports):
    audit = reports.all_hazards(reports.blank(client=Client(name="Mr. Jan Novák")))
    audit.resident["resident.osteoporosis"] = Answer(value="yes")
    text = reports.flat(" ".join(reports.pages(reports.pdf(audit))))
    assert "Jan has osteoporosis" in text and "Mr. has" not in text


def test_a_far_future_audit_date_gives_a_report(reports):
    audit = reports.all_hazards(reports.named(date=dt.date(9999, 12, 30)))
    audit.resident["resident.back_pain_red_flags"] = Answer(value="yes")
    text = reports.flat(" ".join(reports.pages(reports.pdf(audit))))
    assert "today (30 Dec 9999)" in text and "by 31 Dec 9999" in text  # the last date there is


def test_the_daily_habits_print_full_references_and_never_a_seed_article(reports):
    audit, photos = reports.example("ot-visit.yaml")
    text = reports.flat(" ".join(reports.pages(reports.pdf(audit, photos))))
    sources = text.split(SECTION_TITLES["sources"], 1)[1]
    assert "Seed article" not in text and "Healthusias" not in text
    habits = sources.split("Daily habits", 1)[1]
    for habit in ("bending", "shoes", "exercise_with_support"):
        chosen = reports.library.habits[habit]
        reference = reports.library.references[chosen.source_refs[0].split(" ", 1)[0]]
        assert reports.flat(f"{chosen.title}: {reference.authors} ({reference.year}). {reference.title}") in habits
    # at higher risk, furniture-walking: exercise as the physiotherapist shows, not a walk alone
    assert reports.flat(reports.library.habits["exercise_with_support"].advice) in text
    assert reports.flat(reports.library.habits["walking"].advice) not in text
    # backless slippers, answered about the person: the shoes habit fits
    assert reports.flat(reports.library.habits["shoes"].advice) in text


def test_the_currency_and_the_doctors_name_follow_the_audit_when_it_says(reports):
    from homeaudit import money

    audit = reports.blank()
    assert money.currency({"LANG": "en_US.UTF-8"}, audit_currency="GBP") == "GBP"  # the client's home, not the machine
    assert money.currency({"LANG": "en_US.UTF-8", money.ENV_VAR: "EUR"}, audit_currency="GBP") == "EUR"  # the override
    assert money.currency({"LANG": "en_US.UTF-8"}) == "USD"
    assert money.of_audit(audit) == ""  # an audit that records no currency (the field is proposed, not yet in the model)
    assert money.of_audit(SimpleNamespace(client=SimpleNamespace(currency="gbp"))) == "GBP"
    audit = reports.all_safe(reports.named())
    audit.resident["resident.sudden_back_pain"] = Answer(value="yes")
    text = reports.flat(" ".join(reports.pages(reports.pdf(audit, currency="GBP"))))
    assert "GP · Appointment" in text
