"""Every audit within the file format's limits lays out, in normal and large print, on A4 and US
Letter, with its long text all there.

A table row longer than a page (an observation of 1,000 characters in large print, fifty
diagnoses) once stopped the report: reportlab moves a row that does not fit to the next page
whole, and a row taller than a page fits on none. Such a row now starts where it is and splits
between its lines (:class:`homeaudit.report.draw.KeepRowsTable`). The audits here hold the longest
text each free-text field may have (homeaudit/limits.py), in Latin and in Chinese, and as many
items as the format allows where that is cheap; each test reads the text back from the PDF.
Fields the report shortens on purpose (an address on the front page, a diagnosis in its list)
are checked up to the length it prints.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from pdf_text import body_text
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate

from homeaudit import limits
from homeaudit.audit import (
    OBSERVATIONS,
    ActionRecord,
    Answer,
    Assessment,
    Auditor,
    Client,
    Consent,
    Contact,
    Declined,
    ReferredBy,
)
from homeaudit.plan import recorded_edits
from homeaudit.report import ReportOptions, render
from homeaudit.report.draw import CELL_LIMIT, LABEL_LIMIT, table
from homeaudit.report.front import FIELD_LIMIT

PRINTS = [("A4", False), ("letter", False), ("A4", True), ("letter", True)]
SCRIPTS = ["latin", "cjk"]
#: What the front page prints of a referral's reason and the client's notes.
FRONT_LONG_LIMIT = 600

# --------------------------------------------------------------------------- text to find again


#: A piece of each kind of text, after its tag and number: words, or Chinese with no spaces.
PIECE = {"latin": " stands slowly", "cjk": "厨房浴室楼梯扶手照明"}


def long_text(tag: str, length: int, script: str) -> str:
    """Text of exactly ``length`` characters made of numbered pieces ("o1-003 stands slowly", or
    "o1-003厨房浴室楼梯扶手照明"), so that each piece can be found in the PDF again. ``tag`` is
    lower-case letters and digits."""
    pieces: list[str] = []
    while sum(map(len, pieces)) + len(pieces) <= length:
        pieces.append(f"{tag}-{len(pieces) + 1:03d}{PIECE[script]}")
    return (" " if script == "latin" else "").join(pieces)[:length]


def printed(text: str, limit: int | None) -> str:
    """What the report prints of a text it shortens to ``limit`` characters (the ellipsis aside)."""
    return text if limit is None or len(text) <= limit else text[: limit - 1]


def pieces_of(text: str, script: str) -> list[str]:
    """The whole numbered pieces of a (perhaps shortened) text: the last, if cut short, is left out."""
    return re.findall(r"[a-z0-9]+-\d{3}" + PIECE[script], text)


def squeezed(text: str) -> str:
    """Text without white space: lines of Chinese break anywhere, and extraction puts a space or
    a line break there."""
    return re.sub(r"\s+", "", text)


def assert_all_printed(pdf: bytes, texts: list[tuple[str, int | None]], script: str, *, large: bool) -> None:
    """Every whole piece of every text (as far as the report prints it) is in the PDF's body, in
    the text's order; a text may run over a page break, so the pieces are looked for in the
    body's text without its headers, footers and repeated table headings."""
    body = body_text(pdf, large=large)
    for heading in ("Activity What the assessor saw", "Recommendation The client's reason"):
        body = body.replace(heading, " ")
    haystack = squeezed(body)
    for text, limit in texts:
        pieces = pieces_of(printed(text, limit), script)
        assert len(pieces) > 1, text[:40]
        start = 0
        for piece in pieces:
            found = haystack.find(squeezed(piece), start)
            assert found >= 0, f"{piece!r} is missing from the report"
            start = found + 1


def pdf_of(reports, audit, page_size: str, large_print: bool) -> bytes:
    score = reports.score(audit).with_edits(recorded_edits(audit))
    return render(audit, score, reports.library, ReportOptions(page_size=page_size, large_print=large_print))


def ot_audit(reports, **assessment):
    """An occupational therapist's audit with nothing answered: only what the test gives it."""
    return reports.blank(auditor=Auditor(name="Ann Lee", role="ot"), assessment=Assessment(**assessment))


# --------------------------------------------------------------------------- the sections


@pytest.mark.parametrize("script", SCRIPTS)
@pytest.mark.parametrize(("page_size", "large_print"), PRINTS)
def test_every_observation_at_its_longest_prints_whole(reports, script, page_size, large_print):
    """Six observations of 1,000 characters: in large print each is a row taller than a page."""
    observations = {key: long_text(f"o{n}", limits.MAX_TEXT, script) for n, key in enumerate(OBSERVATIONS)}
    pdf = pdf_of(reports, ot_audit(reports, observations=observations), page_size, large_print)
    assert_all_printed(pdf, [(text, None) for text in observations.values()], script, large=large_print)


@pytest.mark.parametrize("script", SCRIPTS)
@pytest.mark.parametrize(("page_size", "large_print"), PRINTS)
def test_the_front_page_at_the_limits_lays_out(reports, script, page_size, large_print):
    """Every field of the client, the referral, the goals, the assessor and the consent at its
    longest, and fifty diagnoses of 200 characters: one row of diagnoses is longer than a page in
    any print."""
    label = lambda tag: long_text(tag, limits.MAX_LABEL, script)  # noqa: E731
    contact = lambda tag: Contact(name=label(tag + "n"), relationship=label(tag + "r"), phone=label(tag + "p"))  # noqa: E731
    diagnoses = tuple(label(f"d{n:02d}") for n in range(50))
    goals = tuple(long_text(f"g{n:02d}", limits.MAX_TEXT, script) for n in range(20))
    reason, share_with = long_text("why", limits.MAX_TEXT, script), long_text("share", limits.MAX_TEXT, script)
    address, notes = long_text("addr", limits.MAX_TEXT, script), long_text("note", limits.MAX_NOTE, script)
    audit = reports.blank(
        client=Client(
            name=label("name"),
            address=address,
            notes=notes,
            date_of_birth=dt.date(1940, 1, 1),
            phone=label("phone"),
            lives_alone=True,
            mobility_aid=label("aid"),
            diagnoses=diagnoses,
            main_carer=contact("carer"),
            gp=contact("gp"),
            funder=label("funder"),
            case_reference=label("case"),
        ),
        auditor=Auditor(
            name=label("ot"), role="ot", organisation=label("org"), registration=label("reg"), contact=label("contact")
        ),
        assessment=Assessment(
            referred_by=ReferredBy(by=label("by"), date=dt.date(2025, 1, 2), reason=reason),
            goals=goals,
            consent=Consent(assessment=True, photos=True, sharing=True, share_with=share_with),
        ),
    )
    pdf = pdf_of(reports, audit, page_size, large_print)
    assert_all_printed(
        pdf,
        [
            (address, FIELD_LIMIT),
            *[(d, LABEL_LIMIT) for d in diagnoses],
            (notes, FRONT_LONG_LIMIT),
            (reason, FRONT_LONG_LIMIT),
            *[(goal, FIELD_LIMIT) for goal in goals],
            (share_with, FIELD_LIMIT),
        ],
        script,
        large=large_print,
    )


@pytest.mark.parametrize(("page_size", "large_print", "script"), [("A4", True, "cjk"), ("letter", False, "latin")])
def test_a_hundred_declined_recommendations_at_their_longest_lay_out(reports, page_size, large_print, script):
    declined = tuple(
        Declined(
            recommendation=long_text(f"rec{n:02d}", limits.MAX_TEXT, script),
            reason=long_text(f"why{n:02d}", limits.MAX_TEXT, script),
        )
        for n in range(100)
    )
    pdf = pdf_of(reports, ot_audit(reports, declined=declined), page_size, large_print)
    texts = [(text, CELL_LIMIT) for item in declined for text in (item.recommendation, item.reason)]
    assert_all_printed(pdf, texts, script, large=large_print)


@pytest.mark.parametrize("role", ["family", "ot"])
@pytest.mark.parametrize(("page_size", "large_print"), [("A4", False), ("letter", True)])
def test_notes_and_plan_edits_at_their_longest_lay_out(reports, role, page_size, large_print):
    """A room and the person answered with the longest notes, and every action of the plan
    edited with the longest helper's name, name of who did it and reason for declining."""
    audit = reports.named(role=role)
    room = audit.rooms[0]
    items = reports.library.items_of(room.room)
    notes = [long_text(f"n{n:02d}", limits.MAX_NOTE, "latin") for n in range(len(items))]
    for item, note in zip(items, notes, strict=True):
        room.answers[item.id] = reports.hazard_answer(item, note=note)
    resident = [item for item in reports.library.items_of("resident") if item.answer_type == "yes_no"][:3]
    resident_notes = [long_text(f"r{n}", limits.MAX_NOTE, "cjk") for n in range(len(resident))]
    for item, note in zip(resident, resident_notes, strict=True):
        audit.resident[item.id] = Answer(value="yes", note=note)
    actions = reports.score(audit).actions
    audit.actions = tuple(
        ActionRecord(
            item=action.item_id,
            visit=action.visit,
            state=("open", "done", "declined")[n % 3],
            helper=long_text(f"h{n:02d}", limits.MAX_LABEL, "latin"),
            done_on=dt.date(2025, 4, 1) if n % 3 == 1 else None,
            done_by=long_text(f"b{n:02d}", limits.MAX_LABEL, "latin") if n % 3 == 1 else "",
            reason=long_text(f"x{n:02d}", limits.MAX_TEXT, "latin") if n % 3 == 2 else "",
        )
        for n, action in enumerate(actions)
    )
    pdf = pdf_of(reports, audit, page_size, large_print)
    assert_all_printed(pdf, [(note, None) for note in notes], "latin", large=large_print)
    assert_all_printed(pdf, [(note, None) for note in resident_notes], "cjk", large=large_print)
    edited = [(a.helper, None) for a in audit.actions] + [(a.done_by, None) for a in audit.actions if a.done_by]
    edited += [(a.reason, CELL_LIMIT) for a in audit.actions if a.reason]
    assert_all_printed(pdf, edited, "latin", large=large_print)


# --------------------------------------------------------------------------- the table itself


def _build(flowables) -> list[str]:
    """The text of each page of a plain A4 document holding these flowables."""
    import pypdf

    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4).build(list(flowables))
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(out.getvalue())).pages]


def _row(tag: str, words: int) -> list[Paragraph]:
    style = ParagraphStyle("cell", fontSize=10, leading=12)
    return [Paragraph(tag, style), Paragraph(" ".join(f"{tag}{n:03d}" for n in range(words)), style)]


def test_a_row_taller_than_a_page_starts_where_it_is_and_splits_between_its_lines():
    frame = A4[1] - 144  # SimpleDocTemplate's frame: one-inch margins
    grid = table([_row("first", 5), _row("tall", 1500)], [100, 300], [("VALIGN", (0, 0), (-1, -1), "TOP")], page_height=frame)
    pages = _build([Paragraph("Before the table"), grid])
    assert "first004" in pages[0] and "tall000" in pages[0]  # no page left empty before it
    assert len(pages) >= 3
    text = " ".join(pages)
    assert all(f"tall{n:03d}" in text for n in range(1500))


def test_a_row_that_fits_on_a_page_still_moves_on_whole():
    frame = A4[1] - 144
    style = [("VALIGN", (0, 0), (-1, -1), "TOP")]
    filler = [Paragraph(f"line {n}") for n in range(40)]  # most of the first page
    grid = table([_row("one", 20), _row("two", 20), _row("long", 300)], [100, 300], style, page_height=frame)
    pages = _build([*filler, grid])
    assert "long000" not in pages[0] and "long299" in pages[1]
    assert "long000" in pages[1]
