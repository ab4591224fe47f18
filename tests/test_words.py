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


def test_a_score_is_shown_to_the_whole_point_halves_up_everywhere_alike():
    """54.5 was 55 on the screen's chart and 54 in the PDF (Python rounds halves to even)."""
    from homeaudit.words import points_moved, whole

    assert [whole(s) for s in (54.5, 54.49, 0.5, 99.5, 100.0, 0.0, 61.6)] == [55, 54, 1, 100, 100, 0, 62]
    # The change is the difference of the figures shown: 54.4 -> 61.6 reads "54 -> 62", so +8 (not +7).
    assert points_moved(54.4, 61.6) == 8 and points_moved(38.4, 81.2) == 43
    assert points_moved(None, 80.0) is None and points_moved(50.0, None) is None
