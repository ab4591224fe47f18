"""The fridge page of an action marked done in the app: its box is ticked, and its "Done on" line
holds the date the app recorded (and under it who did it), in the report's own short date; an
action done without a date keeps its line to write on."""

from __future__ import annotations

import datetime as dt

import pytest

from homeaudit.plan import PlanEdit
from homeaudit.report import ReportOptions, render
from homeaudit.report.fridge import DONE_BY_LIMIT
from homeaudit.report.titles import SECTION_TITLES
from homeaudit.words import short_date

DONE_ON = dt.date(2026, 12, 3)


def _family_audit(reports):
    """A family member's audit (so the report opens with the fridge page) with hazards in every
    room, dated so that no suggested date falls on ``DONE_ON``."""
    audit = reports.named(role="family", date=dt.date(2026, 11, 19))
    for visit in audit.rooms:
        for item in reports.library.items_of(visit.room):
            if item.answer_type == "yes_no":
                visit.answers[item.id] = reports.hazard_answer(item)
    return audit


def _fridge_page(reports, audit, edits, **options) -> str:
    score = reports.score(audit).with_edits(edits)
    pdf = render(audit, score, reports.library, ReportOptions(**options))
    first = reports.flat(reports.pages(pdf)[0])
    assert SECTION_TITLES["fridge"].upper() in first  # the fridge page opens the report
    return first


@pytest.mark.parametrize(("page_size", "large_print"), [("A4", False), ("letter", False), ("A4", True), ("letter", True)])
def test_a_job_done_in_the_app_prints_the_date_and_who_did_it_on_its_done_on_line(reports, page_size, large_print):
    audit = _family_audit(reports)
    job = next(a for a in reports.score(audit).actions if a.band == "now")
    assert all(a.due != DONE_ON for a in reports.score(audit).actions)  # the date can only be the done date
    done = PlanEdit(item_id=job.item_id, visit=job.visit, state="done", done_on=DONE_ON, done_by="Helen (daughter)")

    before = _fridge_page(reports, audit, [], page_size=page_size, large_print=large_print)
    after = _fridge_page(reports, audit, [done], page_size=page_size, large_print=large_print)

    assert short_date(DONE_ON) == "3 Dec 2026"
    assert "3 Dec 2026" not in before
    assert "3 Dec 2026" in after
    assert "by Helen (daughter)" in after
    assert "Done on" in after  # the line keeps its label: the other rows still have one to write on


def test_a_job_done_without_a_date_keeps_its_line_to_write_on(reports):
    """Ticked, and nothing written on its line: the page reads as it did before (the tick is drawn)."""
    audit = _family_audit(reports)
    job = next(a for a in reports.score(audit).actions if a.band == "now")
    before = _fridge_page(reports, audit, [])
    after = _fridge_page(reports, audit, [PlanEdit(item_id=job.item_id, visit=job.visit, done=True)])
    assert after == before


def test_a_date_recorded_for_a_job_not_done_is_not_printed_as_done(reports):
    """A job reopened in the app (open again) is not done: nothing is written on its line."""
    audit = _family_audit(reports)
    job = next(a for a in reports.score(audit).actions if a.band == "now")
    reopened = PlanEdit(item_id=job.item_id, visit=job.visit, state="open", done_on=DONE_ON, done_by="Helen")
    assert _fridge_page(reports, audit, [reopened]) == _fridge_page(reports, audit, [])


@pytest.mark.parametrize("large_print", [False, True])
def test_long_names_of_who_did_it_never_push_a_job_or_its_date_off_the_page(reports, large_print):
    """Every job of the week done by someone with a 200-character name: each date is printed and
    the page still ends with its "Then:" line on the first sheet. A name is cut to two lines under
    its date (in large print, where the names would need smaller type, they are left out: the
    plan on the next pages has them whole)."""
    audit = _family_audit(reports)
    now = [a for a in reports.score(audit).actions if a.band == "now"]
    name = ("Wójcik-Kowalczyk " * 12)[:200]
    edits = [PlanEdit(item_id=a.item_id, visit=a.visit, state="done", done_on=DONE_ON, done_by=name) for a in now]
    fridge = _fridge_page(reports, audit, edits, large_print=large_print)
    assert fridge.count("3 Dec 2026") == len(now)
    assert "Then:" in fridge  # the last line of the page is on the first sheet
    assert "Wójcik-Kowalczyk " * 3 not in fridge and len(name) > DONE_BY_LIMIT
    if not large_print:
        assert fridge.count("by Wójcik-Kowalczyk…") == len(now)


def test_a_name_of_who_did_it_is_text_not_markup(reports):
    audit = _family_audit(reports)
    job = next(a for a in reports.score(audit).actions if a.band == "now")
    edit = PlanEdit(item_id=job.item_id, visit=job.visit, state="done", done_on=DONE_ON, done_by="<b>Sam</b> & 王芳")
    assert "by <b>Sam</b> & 王芳" in _fridge_page(reports, audit, [edit])


@pytest.mark.parametrize("large_print", [False, True])
def test_the_action_plan_writes_the_done_date_on_its_date_done_line_too(reports, large_print):
    """The plan's own "Date done" line was left blank beside "Done on …" in the to-do text."""
    audit = _family_audit(reports)
    job = next(a for a in reports.score(audit).actions if a.band == "now")
    done = PlanEdit(item_id=job.item_id, visit=job.visit, state="done", done_on=DONE_ON, done_by="Helen (daughter)")
    pdf = render(audit, reports.score(audit).with_edits([done]), reports.library, ReportOptions(large_print=large_print))
    after_the_fridge = " ".join(reports.flat(page) for page in reports.pages(pdf)[1:])
    assert "3 Dec 2026" in after_the_fridge


def test_a_written_date_stays_on_its_line_however_narrow_the_column():
    """The plan's "Date done" column is about 57 pt; "28 May 2026" in bold needs 75 at 10 pt."""
    from reportlab.pdfgen.canvas import Canvas

    from homeaudit.report import fonts
    from homeaudit.report.draw import WriteLine

    drawn: list[tuple[str, float, float]] = []

    class Recording(Canvas):
        def drawString(self, x, y, text, *args, **kwargs):  # reportlab's own name
            drawn.append((text, x, self.stringWidth(text, self._fontname, self._fontsize)))
            return super().drawString(x, y, text, *args, **kwargs)

    import io

    fonts.register()
    for inline in (False, True):
        line = WriteLine(57.0, "Date done", 10.0, inline=inline, written="28 May 2026")
        line.canv = Recording(io.BytesIO())
        drawn.clear()
        line.draw()
        [(_, x, width)] = [d for d in drawn if d[0] == "28 May 2026"]
        assert x + width <= 57.0 + 0.01
