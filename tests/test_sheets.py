"""Text in a spreadsheet download stays text: a note that starts like a formula never runs."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile

import pytest

from homeaudit.sheets import cell, csv_text, dated_xlsx


@pytest.mark.parametrize(
    "text",
    ['=HYPERLINK("http://example.com/steal","click")', "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1", "\r=1"],
)
def test_text_that_would_start_a_formula_is_kept_as_text(text):
    assert cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Loose rug", "", "3 = three", 42, -3.5, True, None])
def test_ordinary_text_and_numbers_are_left_as_they_are(value):
    assert cell(value) == value


def test_every_cell_of_a_csv_is_made_safe_and_numbers_stay_numbers():
    text = csv_text(["rank", "note"], [[1, "=cmd|' /C calc'!A0"], [-2, "fine"]])
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [["rank", "note"], ["1", "'=cmd|' /C calc'!A0"], ["-2", "fine"]]


@pytest.mark.parametrize("text", [" =1+1", "   +SUM(A1)", "\u00a0-2+3", "\n@A1", " \t=1"])
def test_a_formula_behind_leading_spaces_is_kept_as_text_too(text):
    """Some spreadsheets trim a cell on import, and then " =1+1" is a formula."""
    assert cell(text) == "'" + text


def test_a_workbook_cell_drops_the_control_characters_a_workbook_cannot_hold_and_stays_safe():
    from homeaudit.sheets import xlsx_cell

    assert xlsx_cell("Bob\x01 Smith\x1f") == "Bob Smith"
    assert xlsx_cell("\x02=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert xlsx_cell("line\nbreak\ttab") == "line\nbreak\ttab"
    assert xlsx_cell(3.5) == 3.5


def _workbook_saved_at(when: dt.datetime) -> bytes:
    """A one-sheet workbook as openpyxl saves it, with its zip members and "modified" stamped ``when``
    (what a save a second later than another looks like)."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Item", "Homes"])  # type: ignore[union-attr]
    raw = io.BytesIO()
    book.save(raw)
    out = io.BytesIO()
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(out, "w") as target:
        for member in source.infolist():
            content = source.read(member)
            if member.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(<)", rb"\g<1>" + stamp + rb"\g<2>", content)
            target.writestr(zipfile.ZipInfo(member.filename, date_time=when.timetuple()[:6]), content)
    return out.getvalue()


def test_a_workbook_saved_a_second_later_gives_the_same_bytes_once_dated():
    first = _workbook_saved_at(dt.datetime(2026, 12, 3, 9, 0, 0))
    later = _workbook_saved_at(dt.datetime(2026, 12, 3, 9, 0, 2))
    assert first != later
    day = dt.datetime(2026, 12, 3)
    assert dated_xlsx(first, day) == dated_xlsx(later, day)
    with zipfile.ZipFile(io.BytesIO(dated_xlsx(later, day))) as book:
        assert {m.date_time for m in book.infolist()} == {(2026, 12, 3, 0, 0, 0)}
        assert b"<dcterms:modified" in book.read("docProps/core.xml")
        assert b"2026-12-03T00:00:00Z</dcterms:modified>" in book.read("docProps/core.xml")
