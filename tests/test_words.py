"""The vocabulary's small helpers: the words every page, report and command prints alike."""

from __future__ import annotations

import datetime as dt

from homeaudit.words import counted, long_date, short_date


def test_a_count_takes_its_noun_in_the_singular_only_for_one():
    assert counted(1, "photo") == "1 photo"
    assert [counted(n, "photo") for n in (0, 2, 12)] == ["0 photos", "2 photos", "12 photos"]
    assert counted(3, "falls question") == "3 falls questions"


def test_dates_are_written_in_words_the_same_in_every_country():
    assert long_date(dt.date(2025, 3, 3)) == "3 March 2025"
    assert short_date(dt.date(2025, 3, 3)) == "3 Mar 2025"
