"""The action plan as values: the ranked actions, and what the family or OT decided about them.

Scoring ranks the actions (:mod:`homeaudit.scoring`); the people who act on the plan record, per
action, that it is done, who will do it and by when (a :class:`PlanEdit`, kept by the store).
:func:`apply_edits` joins the two, so the app, the PDF and the downloads print the same plan.
The ranking stays the scoring's: an edit records a decision, it never moves an action.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from homeaudit.units import format_reading
from homeaudit.words import WHO, Band, Cost, Who

if TYPE_CHECKING:
    from homeaudit.results import Finding


@dataclass(frozen=True, slots=True)
class PlanEdit:
    """What someone set for one action (``visit`` is the room visit; the resident's is −1)."""

    item_id: str
    visit: int
    done: bool = False
    who: str | None = None
    due: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Action:
    """One row of the plan: a hazard found, what to do about it, who, the rough cost, and when.

    ``finding`` is the answer the action comes from (with its reading, note and photos); the
    action that asks for an occupational therapist's visit comes from the whole screen and has
    none. ``hazard`` is the checklist's words for the problem; a measured reading travels as a
    value in ``finding.reading`` and is formatted where it is shown.
    """

    rank: int
    band: Band
    item_id: str
    visit: int
    room: str
    topic: str
    hazard: str
    action: str
    who: Who
    cost: Cost
    severity: int
    priority: float
    source: str
    finding: Finding | None = None
    done: bool = False
    due: dt.date | None = None

    @property
    def note(self) -> str:
        return self.finding.note if self.finding is not None else ""

    @property
    def photos(self) -> tuple[str, ...]:
        return self.finding.photos if self.finding is not None else ()


def problem(action: Action) -> str:
    """The problem in plain words: the hazard, and after it a measured reading beside its target
    ("Grab bar too low: measured 30 in (76.2 cm); target 33.1–36.2 in (84–92 cm)")."""
    reading = action.finding.reading if action.finding is not None else None
    return f"{action.hazard}: {format_reading(reading)}" if reading is not None else action.hazard


def apply_edits(actions: Iterable[Action], edits: Iterable[PlanEdit]) -> tuple[Action, ...]:
    """The actions with the edits joined on (item id, visit): done, due, and a changed "who".

    An edit for an action that is no longer in the plan (the hazard was fixed and re-answered)
    is kept by the store but has nothing to change here. A "who" that is not one of
    :data:`homeaudit.words.WHO` is ignored, so a hand-edited database cannot print nonsense.
    """
    by_key = {(edit.item_id, int(edit.visit)): edit for edit in edits}
    out = []
    for action in actions:
        edit = by_key.get((action.item_id, action.visit))
        if edit is None:
            out.append(dataclasses.replace(action, done=False, due=None))
            continue
        who: Who = action.who
        for known in WHO:
            if edit.who == known:
                who = known
        out.append(dataclasses.replace(action, done=bool(edit.done), due=edit.due, who=who))
    return tuple(out)


__all__ = ["Action", "PlanEdit", "apply_edits", "problem"]
