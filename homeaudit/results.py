"""What scoring gives back: a scored audit as frozen values.

:func:`homeaudit.scoring.score` fills these; the app, the report and the command line read them.
Nothing here knows pandas (a consumer that wants a table asks for one with
:meth:`Score.actions_frame`), so a module that only shows results imports no engine, and a type
checker follows every field from the scoring to the page.

How rooms are named (see :mod:`homeaudit.audit`): ``room`` is the kind of room from the checklist
("bedroom"), ``visit`` its place in the audit's list of rooms (the resident's answers are
:data:`~homeaudit.audit.RESIDENT_VISIT`), ``key`` tells twins apart in URLs ("bedroom-2"),
``label`` is the auditor's own name for it ("Spare room", often empty) and ``title`` what
people read ("Spare room", or "Bedroom 2").
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from homeaudit.audit import RESIDENT_TITLE, RESIDENT_VISIT
from homeaudit.plan import Action, PlanEdit, ReferralNeed, apply_edits, problem
from homeaudit.units import Reading
from homeaudit.words import Basis, Incident, RiskLevel, ScoreLevel, Status

if TYPE_CHECKING:
    import pandas as pd


class ScoringError(ValueError):
    """The audit cannot be scored against this library (it was not checked against it first)."""


#: A score (0-100) under this "needs work", and a home with such a score is at high risk.
HIGH_SCORE_BELOW = 60
#: A score under this (and at least HIGH_SCORE_BELOW) has "some problems"; from it on, "good".
MODERATE_SCORE_BELOW = 85


def score_level(score: float) -> ScoreLevel:
    """What a room, topic or home score means, as the bars of the app and the report colour it."""
    if score < HIGH_SCORE_BELOW:
        return "needs_work"
    return "some_problems" if score < MODERATE_SCORE_BELOW else "good"


AnswerValue = str | float | None


@dataclass(frozen=True, slots=True)
class Finding:
    """One question of this audit and what the answer made of it.

    There is a finding for every question of every room visit and of the resident section,
    whatever its ``status`` (so a report can also list what was not assessed). ``value`` is the
    answer as given ("no", "above", 30.0, "na" or None); a measurement's ``reading`` holds it
    with its unit and the item's safe range.
    """

    item_id: str
    visit: int
    room: str
    topic: str
    status: Status
    value: AnswerValue
    reading: Reading | None
    note: str
    photos: tuple[str, ...]
    basis: Basis | None = None  # observed by the assessor, or reported by the client
    incident: Incident | None = None  # someone fell, or nearly fell, here

    @property
    def is_hazard(self) -> bool:
        return self.status == "hazard"

    @property
    def is_answered(self) -> bool:
        """Has a value, "not applicable" included (:mod:`homeaudit.words`)."""
        return self.status in ("hazard", "safe", "na")


@dataclass(frozen=True, slots=True)
class Overall:
    """The whole home (the rooms present; the resident is reported apart)."""

    score: float | None  # 0-100, None when nothing was assessed
    risk_level: RiskLevel
    coverage: float  # answered / questions, 0-1
    hazards: int
    severe_hazards: int
    answered: int
    questions: int


@dataclass(frozen=True, slots=True)
class ResidentScreen:
    """The questions about the person: the falls screen, bone health, warning signs."""

    steadi_score: int  # CDC Stay Independent, 0-14
    at_risk: bool  # 4 points or more, or a fall in the past year
    fallen: bool  # fell in the past year
    osteoporosis: bool
    back_pain: bool
    low_vision: bool
    steadi_items: tuple[str, ...]  # the Stay Independent answers that add points
    warning_signs: tuple[str, ...]
    risk_factors: tuple[str, ...]
    conditions: tuple[str, ...]  # health conditions that change the ranking (osteoporosis, …)
    answered: int
    questions: int
    #: Stay Independent questions not answered: until they are, a low total proves nothing.
    steadi_unanswered: int = 0
    #: How the person lives that calls for help after a fall ("Lives alone"): not a health condition.
    living_situation: tuple[str, ...] = ()

    @property
    def verdict(self) -> str:
        """What the falls screen shows, in words every shell prints the same way. A screen with
        questions left never says "no higher risk": the points it lacks could be in them."""
        if self.at_risk:
            return "a higher risk of falling (4 points or more, or a fall in the past year)"
        if self.steadi_unanswered:
            asked = "question" if self.steadi_unanswered == 1 else "questions"
            return (
                f"not finished: {self.steadi_unanswered} of its {asked} not answered, so it cannot yet "
                "show whether the risk of falling is higher"
            )
        return "no higher risk of falling shown by the screen (under 4 points and no fall in the past year)"


@dataclass(frozen=True, slots=True)
class RoomScore:
    """One room visit of this home."""

    visit: int
    room: str
    key: str
    label: str
    title: str
    present: bool
    score: float | None
    hazards: int
    hazard_items: tuple[str, ...]
    answered: int
    questions: int


@dataclass(frozen=True, slots=True)
class TopicScore:
    """One topic (lighting, stairs, …) across the rooms present; only topics that were asked."""

    topic: str
    score: float | None
    hazards: int
    hazard_items: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Score:
    """A scored audit: the overall result, the person, each room and topic, every finding and
    the ranked action plan (with the plan edits, once :meth:`with_edits` has joined them)."""

    audit_id: str
    overall: Overall
    resident: ResidentScreen
    rooms: tuple[RoomScore, ...]
    topics: tuple[TopicScore, ...]
    findings: tuple[Finding, ...]
    actions: tuple[Action, ...]
    #: The services the plan refers to (an OT's referral list), with the actions that call for them.
    referrals: tuple[ReferralNeed, ...] = ()
    #: What the rows about the person say for "where": "The resident", or in an occupational
    #: therapist's audit "The client" (one name for the person per audience, docs/report.md).
    resident_title: str = RESIDENT_TITLE

    def title(self, visit: int) -> str:
        """What people call the room of this visit (the person's own rows for −1)."""
        if visit == RESIDENT_VISIT:
            return self.resident_title
        return self.rooms[visit].title

    def findings_in(self, visit: int) -> tuple[Finding, ...]:
        """The findings of one room visit (or of the resident section), in checklist order."""
        return tuple(f for f in self.findings if f.visit == visit)

    def with_edits(self, edits: Iterable[PlanEdit]) -> Score:
        """The same score with what the people acting on the plan recorded (done, who, due)."""
        return dataclasses.replace(self, actions=apply_edits(self.actions, edits))

    def open_actions(self) -> tuple[Action, ...]:
        """The actions not yet marked done, in plan order."""
        return tuple(a for a in self.actions if not a.done)

    def actions_frame(self) -> pd.DataFrame:
        """The plan as a table, for an editor grid or a spreadsheet: one row per action, the fields
        of :class:`Action` as columns, plus ``done``, ``title`` (where), ``problem`` (the hazard
        with any reading, :func:`homeaudit.plan.problem`) and ``note``."""
        import pandas as pd

        columns = [f.name for f in dataclasses.fields(Action) if f.name != "answers"]
        rows = []
        for action in self.actions:
            row = {name: getattr(action, name) for name in columns}
            row.update(done=action.done, title=self.title(action.visit), problem=problem(action), note=action.note)
            rows.append(row)
        return pd.DataFrame(rows, columns=[*columns, "done", "title", "problem", "note"])

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``homeaudit score --format json`` (documented in the README)."""
        return {
            "overall": _plain(self.overall),
            "resident": _plain(self.resident),
            "rooms": [_plain(room) for room in self.rooms],
            "topics": [_plain(topic) for topic in self.topics],
            "actions": [_action_dict(self, action) for action in self.actions],
            "referrals": [_plain(referral) for referral in self.referrals],
        }


def _plain(value: Any) -> Any:
    """A value as JSON-ready Python: dataclasses as dicts, tuples as lists, dates as ISO text."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _action_dict(score: Score, action: Action) -> dict[str, Any]:
    readings = [a.reading for a in action.answers if a.reading is not None]
    return {
        "rank": action.rank,
        "band": action.band,
        "item_id": action.item_id,
        "visit": action.visit,
        "room": action.room,
        "label": score.rooms[action.visit].label if action.visit != RESIDENT_VISIT else "",
        "title": score.title(action.visit),
        "topic": action.topic,
        "hazard": action.hazard,
        "finding": action.finding,
        "why": action.why,
        "reading": _plain(readings[0]) if readings else None,
        "action": action.action,
        "spec": action.spec,
        "who": action.who,
        "cost": action.cost,
        "due": action.due.isoformat() if action.due else None,
        "done": action.done,
        "severity": action.severity,
        "priority": action.priority,
        "referral": action.referral,
        "sources": list(action.sources),
        "note": action.note,
        "photos": list(action.photos),
        "declined": action.declined,
        "today": action.today,
        "answers": [
            {"item_id": a.item_id, "visit": a.visit, "value": a.value, "basis": a.basis, "incident": a.incident}
            for a in action.answers
        ],
    }


__all__ = [
    "HIGH_SCORE_BELOW",
    "MODERATE_SCORE_BELOW",
    "Finding",
    "Overall",
    "ResidentScreen",
    "RoomScore",
    "Score",
    "ScoringError",
    "TopicScore",
    "score_level",
]
