"""The action plan as values: a short first list, dated, each row saying what was found and why it
matters for this person, and what the family or OT decided about each action.

Scoring finds the hazards and their priority (:mod:`homeaudit.scoring`, the rules of
docs/scoring.md); :func:`compose` turns them into the plan people act on:

* **This week** (band ``now``): at most :data:`FIRST_LIST` rows, by priority, with at least one
  fix the family can do for free or for little when the plan has one. Warning signs about the
  person always stay in it. The rest are ``soon`` or ``later``.
* Every row has a suggested ``due`` date, counted from the audit date.
* Every row says what was found (``finding``: the hazard, the option chosen, the reading in both
  units) and why the fix matters for this person (``why``: "Zoë has osteoporosis and fell on the
  stairs."): belief that a change prevents falls is what gets it done.
* The services an OT refers to are gathered into :class:`ReferralNeed` rows.

The people acting on the plan record, per action, that it is done, who will do it and by when (a
:class:`PlanEdit`, kept by the store); :func:`apply_edits` joins them. The ranking stays the
plan's: an edit records a decision, it never moves an action.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from homeaudit.units import format_reading
from homeaudit.words import REFERRAL_LABELS, WHO, Band, Cost, Incident, Referral, Who

if TYPE_CHECKING:
    from homeaudit.results import Finding

#: At most this many rows in the first list ("This week").
FIRST_LIST = 5
#: At most this many more in the second ("Soon": this month); the rest are "Later". Nobody fixes
#: sixty things in a month: a plan that says so is not one people act on.
SECOND_LIST = 10
#: A suggested date per band, in days from the audit date.
DUE_DAYS: dict[str, int] = {"now": 7, "soon": 30, "later": 90}
#: Priority at or above which a row belongs in the first list (if it fits), and in "soon".
BAND_NOW = 3.75
BAND_SOON = 2.0
#: What a family can do for free or for little: one of these goes in the first list if any exists.
CHEAP: frozenset[str] = frozenset({"free", "under_50"})


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
    """One row of the plan: what was found, why it matters here, what to do, who, the rough cost,
    when.

    ``item_id`` is the checklist item (for an intervention the answers about the person call for,
    ``intervention.<id>``); with ``visit`` it is the key plan edits are kept under. ``answers`` are
    the answers the action comes from (with their readings, notes and photos); the action that
    asks for an occupational therapist's visit comes from the whole screen and has none.
    """

    rank: int
    band: Band
    item_id: str
    visit: int
    room: str
    topic: str
    hazard: str
    finding: str
    why: str
    action: str
    who: Who
    cost: Cost
    severity: int
    priority: float
    sources: tuple[str, ...]
    spec: str = ""
    referral: Referral | None = None
    answers: tuple[Finding, ...] = ()
    due: dt.date | None = None
    done: bool = False
    #: The client did not want this, with their reason as the OT recorded it.
    declined: str = ""

    @property
    def note(self) -> str:
        return "\n".join(a.note for a in self.answers if a.note)

    @property
    def photos(self) -> tuple[str, ...]:
        return tuple(ref for a in self.answers for ref in a.photos)


@dataclass(frozen=True, slots=True)
class ReferralNeed:
    """A service to refer to, with the actions (by rank) that call for it: an OT's referral list."""

    service: Referral
    label: str
    reasons: tuple[str, ...]
    ranks: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Need:
    """A hazard or an answer about the person that the plan may list (what scoring hands over)."""

    item_id: str
    visit: int
    room: str
    topic: str
    hazard: str
    finding: str
    action: str
    who: Who
    cost: Cost
    severity: int
    priority: float
    sources: tuple[str, ...]
    order: int  # walking order: the last tie-break
    answers: tuple[Finding, ...] = ()
    why: str = ""  # the checklist's reason, for anyone
    spec: str = ""
    referral: Referral | None = None
    urgent: bool = False  # a warning sign (or the OT visit a family needs): always first in the first list
    declined: str = ""  # the client did not want it, and why (an OT records it): never in the first list
    fall_hazard: bool = True
    bone_back: bool = False
    incident: Incident | None = None
    fall_room: bool = False  # in the kind of room where the person fell


@dataclass(frozen=True, slots=True)
class Person:
    """What the plan says about the person in its reasons."""

    name: str  # the first name, or "The person"
    osteoporosis: bool = False
    back_pain: bool = False
    fallen: bool = False
    at_risk: bool = False
    fall_place: str = ""  # where they fell, in words ("on the stairs"), if the audit says


def first_name(full_name: str) -> str:
    """'Zoë' for 'Zoë Kowalczyk'; 'The person' when no name was given."""
    parts = full_name.split()
    return parts[0] if parts else "The person"


def compose(needs: Sequence[Need], person: Person, date: dt.date) -> tuple[tuple[Action, ...], tuple[ReferralNeed, ...]]:
    """The plan: bands (a short first list), ranks, due dates, reasons; and the referral list."""
    ordered = sorted(needs, key=_rank_key)
    wanted = [n for n in ordered if not n.declined]
    first = [n for n in wanted if n.urgent]
    first += [n for n in wanted if not n.urgent and n.priority >= BAND_NOW][: max(0, FIRST_LIST - len(first))]
    cheap = next((n for n in wanted if _is_cheap(n)), None)
    if cheap is not None and not any(_is_cheap(n) for n in first):
        movable = [n for n in first if not n.urgent]
        if len(first) >= FIRST_LIST and movable:
            first.remove(movable[-1])  # the least urgent of the first list makes room
        if len(first) < FIRST_LIST:  # (five warning signs leave no room: they come first)
            first.append(cheap)
    chosen = {id(n) for n in first}
    rest = [n for n in ordered if id(n) not in chosen]
    second = [n for n in rest if n.priority >= BAND_SOON and not n.declined][:SECOND_LIST]
    chosen |= {id(n) for n in second}
    banded: list[tuple[Band, Need]] = [("now", n) for n in sorted(first, key=_first_key)]
    banded += [("soon", n) for n in second]
    banded += [("later", n) for n in rest if id(n) not in chosen]
    actions = tuple(
        Action(
            rank=rank,
            band=band,
            item_id=need.item_id,
            visit=need.visit,
            room=need.room,
            topic=need.topic,
            hazard=need.hazard,
            finding=need.finding,
            why=reason(need, person),
            action=need.action,
            who=need.who,
            cost=need.cost,
            severity=need.severity,
            priority=need.priority,
            sources=need.sources,
            spec=need.spec,
            referral=need.referral,
            answers=need.answers,
            due=date + dt.timedelta(days=DUE_DAYS[band]),
            declined=need.declined,
        )
        for rank, (band, need) in enumerate(banded, start=1)
    )
    return actions, referrals(actions)


def _rank_key(need: Need) -> tuple[float, int, int, int, int]:
    """Highest priority first; among equals the cheaper, then the do-it-yourself fix, then
    walking order (the last tie-break, never the reason one room outranks another)."""
    return (-need.priority, _COST_ORDER.get(need.cost, 9), _WHO_ORDER.get(need.who, 9), need.visit, need.order)


def _first_key(need: Need) -> tuple[int, tuple[float, int, int, int, int]]:
    """The first list: warning signs (and a family's OT visit) first, then by rank."""
    return (0 if need.urgent else 1, _rank_key(need))


_COST_ORDER = {"free": 0, "under_50": 1, "appointment": 2, "50_to_250": 3, "over_250": 4}
_WHO_ORDER = {who: n for n, who in enumerate(WHO)}


def _is_cheap(need: Need) -> bool:
    return need.who == "family" and need.cost in CHEAP and not need.urgent


def reason(need: Need, person: Person) -> str:
    """Why this fix matters for this person: their facts that bear on it, then the checklist's own
    reason. "Zoë has osteoporosis and fell here. A fall on the stairs is the most likely to break a
    bone." Facts are only given where they bear on the hazard (a fall hazard, a bending hazard)."""
    facts = []
    if person.osteoporosis and (need.fall_hazard or need.bone_back):
        facts.append("has osteoporosis")
    if person.back_pain and need.bone_back:
        facts.append("has back pain")
    if need.incident == "fell":
        facts.append("fell here")
    elif need.incident == "near_miss":
        facts.append("nearly fell here")
    elif need.fall_room and need.fall_hazard and person.fall_place:
        facts.append(f"fell {person.fall_place}")
    elif person.fallen and need.fall_hazard:
        facts.append("fell in the past year")
    elif person.at_risk and need.fall_hazard:
        facts.append("is at higher risk of falling (falls screen)")
    said = f"{person.name} {_and(facts)}." if facts else ""
    return " ".join(part for part in (said, need.why) if part)


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def referrals(actions: Iterable[Action]) -> tuple[ReferralNeed, ...]:
    """The services the plan refers to, in the order they first come up, each with its reasons."""
    found: dict[Referral, tuple[list[str], list[int]]] = {}
    for action in actions:
        if action.referral is None:
            continue
        reasons, ranks = found.setdefault(action.referral, ([], []))
        reasons.append(action.hazard)
        ranks.append(action.rank)
    return tuple(
        ReferralNeed(service=service, label=REFERRAL_LABELS[service], reasons=tuple(reasons), ranks=tuple(ranks))
        for service, (reasons, ranks) in found.items()
    )


def problem(action: Action) -> str:
    """The problem in plain words: the hazard, and what was found when that adds to it ("Screen
    is too high or too low: above eye level"; "Grab bar too low: measured 30 in (76.2 cm); target
    33–36 in (83.8–91.4 cm)")."""
    return action.hazard if action.finding in ("", action.hazard) else f"{action.hazard}: {action.finding}"


def found_words(hazard: str, finding: Finding, option_label: str = "") -> str:
    """What was found, in words: the reading in both units, the option chosen (a choice
    question's words, lower-cased to follow the hazard), or the hazard itself (a yes/no question)."""
    if finding.reading is not None:
        return format_reading(finding.reading)
    if option_label and option_label.lower() not in ("yes", "no"):
        return option_label[:1].lower() + option_label[1:] if option_label[1:2].islower() else option_label
    return hazard


def apply_edits(actions: Iterable[Action], edits: Iterable[PlanEdit]) -> tuple[Action, ...]:
    """The actions with the edits joined on (item id, visit): done, a due date, a changed "who".

    An edit for an action that is no longer in the plan (the hazard was fixed and re-answered)
    is kept by the store but has nothing to change here. A "who" that is not one of
    :data:`homeaudit.words.WHO` is ignored, so a hand-edited database cannot print nonsense. A
    due date left empty keeps the plan's suggested one.
    """
    by_key = {(edit.item_id, int(edit.visit)): edit for edit in edits}
    out = []
    for action in actions:
        edit = by_key.get((action.item_id, action.visit))
        if edit is None:
            out.append(action)
            continue
        who: Who = action.who
        for known in WHO:
            if edit.who == known:
                who = known
        out.append(dataclasses.replace(action, done=bool(edit.done), due=edit.due or action.due, who=who))
    return tuple(out)


__all__ = [
    "BAND_NOW",
    "BAND_SOON",
    "DUE_DAYS",
    "FIRST_LIST",
    "SECOND_LIST",
    "Action",
    "Need",
    "Person",
    "PlanEdit",
    "ReferralNeed",
    "apply_edits",
    "compose",
    "first_name",
    "found_words",
    "problem",
    "reason",
    "referrals",
]
