"""An occupational therapist's report as large as the limits allow: it lays out on any paper."""

from __future__ import annotations

import re

import pytest

from homeaudit import limits
from homeaudit.audit import RoomVisit
from homeaudit.report.titles import SECTION_TITLES


@pytest.mark.parametrize(("page_size", "large_print"), [("A4", False), ("letter", True)])
def test_the_largest_ot_audit_the_limits_allow_lays_out(reports, library, page_size, large_print):
    """60 rooms with the longest labels in an OT's report: the method's list of the rooms assessed
    goes over several rows (one cell of 12,000 characters would not fit on a page)."""
    audit = reports.ot_visit()
    kinds = library.home_rooms
    word = "Wohnzimmerfensterbank" * 10
    rooms = []
    for index in range(limits.MAX_ROOMS):
        kind = kinds[index % len(kinds)]
        label = f"{index:02d} {word} Room with a long name" if index % 2 else f"{index:02d}{word}"
        visit = RoomVisit(room=kind.room, label=label[: limits.MAX_LABEL])
        first = library.items_of(kind.room)[0]
        visit.answers[first.id] = reports.hazard_answer(first, basis="observed")
        rooms.append(visit)
    audit.rooms = rooms
    text = reports.flat(" ".join(reports.pages(reports.pdf(audit, page_size=page_size, large_print=large_print))))
    method = text.split(SECTION_TITLES["method"], 1)[1].split("Checklist", 1)[0]
    assert "Rooms assessed 60: " in method
    for index in range(limits.MAX_ROOMS):
        assert re.search(f"{index:02d} ?Wohnzimmer", method), index


def test_a_room_with_nothing_answered_is_not_counted_as_assessed(reports):
    audit = reports.ot_visit()
    audit.rooms[-1].answers.clear()
    score = reports.score(audit)
    title = score.rooms[-1].title
    text = reports.flat(" ".join(reports.pages(reports.pdf(audit))))
    method = text.split(SECTION_TITLES["method"], 1)[1].split("Checklist", 1)[0]
    assert f"Rooms assessed {len(audit.rooms) - 1}: " in method
    assert f"Not assessed (nothing answered) 1: {title}" in method
