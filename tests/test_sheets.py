"""Text in a spreadsheet download stays text: a note that starts like a formula never runs."""

from __future__ import annotations

import csv
import io

import pytest

from homeaudit.sheets import cell, csv_text


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
