"""Builders for audits in tests: every item answered safe, or as a hazard.

Imported by name (``from audit_builders import ...``); fixtures live in conftest.py.
"""

from __future__ import annotations

from pathlib import Path

from homeaudit import checklist
from homeaudit.audit import Answer, Audit, RoomVisit

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def safe_value(item: checklist.Item):
    """An answer that is not a hazard for this item."""
    if item.answer_type == "measurement":
        low, high = item.range
        if low is not None and high is not None:
            return (low + high) / 2
        return (low if low is not None else high) * (1.1 if low is not None else 0.9)
    return next(v for v in item.option_values if v not in item.hazard_options and v != "na")


def hazard_value(item: checklist.Item):
    """An answer that is a hazard for this item."""
    if item.answer_type == "measurement":
        low, high = item.range
        return low * 0.5 if low is not None else high * 1.5
    return item.hazard_options[0]


def full_audit(library: checklist.Library, rooms: list[str] | None = None, value=safe_value) -> Audit:
    """Every item of every (given) room answered with ``value(item)``; resident answered 'no'."""
    rooms = rooms or [r.room for r in library.home_rooms]
    visits = [RoomVisit(room=r, answers={i.id: Answer(value=value(i)) for i in library.items_of(r)}) for r in rooms]
    resident = {i.id: Answer(value="no") for i in library.items_of(checklist.RESIDENT_ROOM)}
    return Audit(id="test", client={"name": "Test Client"}, resident=resident, rooms=visits)
