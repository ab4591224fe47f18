"""Builders for audits in tests: every item answered safe, or as a hazard.

Imported by name (``from audit_builders import ...``); fixtures live in conftest.py.
"""

from __future__ import annotations

from pathlib import Path

from homeaudit import checklist
from homeaudit.audit import Answer, Audit, RoomVisit
from homeaudit.units import convert

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def safe_value(item: checklist.Item):
    """An answer that is not a hazard for this item, in the unit the question is asked in."""
    if item.answer_type == "measurement":
        if item.range is None:  # a measurement of the person: a knee height of 48 cm
            return round(convert(48, "cm", item.unit), 1)
        low, high = item.range
        if low is not None and high is not None:
            middle = (low + high) / 2
        else:
            middle = (low if low is not None else high) * (1.1 if low is not None else 0.9)
        return convert(middle, item.range_unit, item.unit)
    return next(v for v in item.option_values if v not in item.hazard_options and v != "na")


def hazard_value(item: checklist.Item):
    """An answer that is a hazard for this item, in the unit the question is asked in (a
    measurement of the person, or a question that only records a fact, is never one)."""
    if item.answer_type == "measurement":
        if item.range is None:
            return safe_value(item)
        low, high = item.range
        return convert(low * 0.5 if low is not None else high * 1.5, item.range_unit, item.unit)
    return item.hazard_options[0] if item.hazard_options else safe_value(item)


def resident_safe(item: checklist.Item):
    """A reassuring answer about the person: "no" to a risk, the safe habit, a knee height."""
    if item.answer_type == "yes_no" and item.hazard_options == ("yes",):
        return "no"
    return safe_value(item)


def full_audit(library: checklist.Library, rooms: list[str] | None = None, value=safe_value) -> Audit:
    """Every item of every (given) room answered with ``value(item)``; resident answered 'no'."""
    rooms = rooms or [r.room for r in library.home_rooms]
    visits = [RoomVisit(room=r, answers={i.id: Answer(value=value(i)) for i in library.items_of(r)}) for r in rooms]
    # No knee height: the heights that should fit the person are judged against the checklist's range.
    resident = {i.id: Answer(value=resident_safe(i)) for i in library.items_of(checklist.RESIDENT_ROOM) if i.screen != "body"}
    return Audit(id="test", client={"name": "Test Client"}, resident=resident, rooms=visits)
