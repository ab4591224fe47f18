"""The action plan as values: a short first list, dated, each row saying what was found and why it
matters for this person, and what the family or OT decided about each action.

Scoring finds the hazards and their priority (:mod:`homeaudit.scoring`, the rules of
docs/scoring.md); :func:`compose` turns them into the plan people act on:

* **This week** (band ``now``): at most :data:`FIRST_LIST` rows, whatever the plan holds. Warning
  signs about the person come first (one that means "today" before the rest); when there are more
  than five, the ones that do not fit open "Soon". Then the rows by priority, with at least one
  fix the family can do for free or for little when the plan has one.
* **Soon** (this month): the urgent rows This week could not hold, then the rows by priority, up
  to :data:`SECOND_LIST`; a falls-prevention step for a person at higher risk (``Need.lead``:
  exercise, a medicine review, a falls check, an alarm) is never pushed past it into "Later".
* Every row has a suggested ``due`` date, counted from the audit date (the audit date itself for
  a sign that means "today"), never past the last date there is.
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
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from homeaudit.units import format_reading
from homeaudit.words import COSTS, REFERRAL_LABELS, WHO, ActionState, Band, Cost, Incident, Referral, Who, short_date

if TYPE_CHECKING:
    from homeaudit.audit import ActionRecord, Audit
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
    """What someone set for one action (``visit`` is the room visit; the resident's is −1): where
    it stands (:data:`homeaudit.words.ACTION_STATES`), who does it (a kind of helper, and the
    person by name), by when; once done, when, by whom and a photo of the fix; once declined, why.

    ``done`` and ``state`` say the same thing twice (``done`` came first and files and callers use
    it): either may be given, and they are made to agree; a ``state`` other than open wins
    (``done=True, state="declined"`` is declined).
    """

    item_id: str
    visit: int
    done: bool = False
    who: str | None = None
    due: dt.date | None = None
    state: ActionState = "open"
    helper: str = ""
    done_on: dt.date | None = None
    done_by: str = ""
    reason: str = ""
    photo: str | None = None

    def __post_init__(self) -> None:
        state: ActionState = "done" if self.done and self.state == "open" else self.state
        object.__setattr__(self, "state", state)
        object.__setattr__(self, "done", state == "done")


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
    #: The client did not want this, with their reason as the OT recorded it.
    declined: str = ""
    #: Where it stands: open, done or declined (``declined`` holds the reason).
    state: ActionState = "open"
    #: The person doing it, by name ("Sam, her son"), beside the kind of helper in ``who``.
    helper: str = ""
    #: Once done: when, by whom, and a photo of the fix (``photo:<n>``).
    done_on: dt.date | None = None
    done_by: str = ""
    fix_photo: str | None = None
    #: A warning sign that cannot wait: due on the audit date, and said "today" (:func:`when_words`).
    today: bool = False
    #: A warning sign (or a family's OT visit): first in "This week", or, when five rows could not
    #: hold them all, first in "Soon".
    urgent: bool = False

    @property
    def done(self) -> bool:
        return self.state == "done"

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
    urgent: bool = False  # a warning sign (or the OT visit a family needs): first in the first list
    today: bool = False  # a warning sign that means "today": before every other row, due on the audit date
    lead: bool = False  # a falls-prevention step for a person at higher risk: never later than "Soon"
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


#: Words before a name that are not the name: "Mr. Jan Novák" is "Jan" in the plan's reasons.
TITLES = frozenset(
    {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "rev", "revd", "lady", "lord", "madam"}
)


def first_name(full_name: str, fallback: str = "The person") -> str:
    """How the plan's reasons name the person: the first word of their name after any title
    ("Zoë" for "Zoë Kowalczyk", "Jan" for "Mr. Jan Novák", but "Mr Smith" whole). A name in
    Chinese, Japanese or Korean characters is written family name first, so it is used whole;
    ``fallback`` when no name was given."""
    given = full_name.split()
    parts = given
    while len(parts) > 1 and parts[0].rstrip(".").lower() in TITLES:
        parts = parts[1:]
    if not parts or parts[0].rstrip(".").lower() in TITLES:
        return fallback
    if len(parts) == 1 and len(given) > 1:  # "Mr Smith": a title and a family name, kept together
        return " ".join(given)
    if any(_family_name_first(char) for char in full_name):
        return " ".join(parts)
    return parts[0]


def _family_name_first(char: str) -> bool:
    name = unicodedata.name(char, "")
    return name.startswith(("CJK ", "HIRAGANA", "KATAKANA", "HANGUL"))


def due_date(date: dt.date, band: Band, today: bool = False) -> dt.date:
    """The suggested date for a row of this band, counted from the audit date: the audit date
    itself for a sign that means "today", and never past the last date there is (an audit dated
    9999-12-30 gets 31 December 9999, not an error)."""
    if today:
        return date
    try:
        return date + dt.timedelta(days=DUE_DAYS[band])
    except OverflowError:
        return dt.date.max


def when_words(action: Action) -> str:
    """By when, in words: "today" for a sign that cannot wait, else "by 3 Dec 2026" (the plan's
    suggestion or the date set in the app); nothing when there is no date."""
    if action.today:
        return "today" if action.due is None else f"today ({short_date(action.due)})"
    return f"by {short_date(action.due)}" if action.due is not None else ""


def compose(needs: Sequence[Need], person: Person, date: dt.date) -> tuple[tuple[Action, ...], tuple[ReferralNeed, ...]]:
    """The plan: bands (a short first list), ranks, due dates, reasons; and the referral list."""
    ordered = sorted(needs, key=_rank_key)
    wanted = [n for n in ordered if not n.declined]
    urgent = sorted((n for n in wanted if n.urgent), key=_first_key)
    first, overflow = urgent[:FIRST_LIST], urgent[FIRST_LIST:]  # what five rows cannot hold opens "Soon"
    first += [n for n in wanted if not n.urgent and n.priority >= BAND_NOW][: max(0, FIRST_LIST - len(first))]
    cheap = next((n for n in wanted if _is_cheap(n)), None)
    if cheap is not None and not any(_is_cheap(n) for n in first):
        movable = [n for n in first if not n.urgent]
        if len(first) >= FIRST_LIST and movable:
            first.remove(movable[-1])  # the least urgent of the first list makes room
        if len(first) < FIRST_LIST:  # (five warning signs leave no room: they come first)
            first.append(cheap)
    chosen = {id(n) for n in first} | {id(n) for n in overflow}
    rest = [n for n in ordered if id(n) not in chosen]
    leads = [n for n in rest if n.lead and not n.declined]
    others = [n for n in rest if not n.lead and n.priority >= BAND_SOON and not n.declined]
    room = max(0, SECOND_LIST - len(overflow) - len(leads))
    picked = {id(n) for n in leads} | {id(n) for n in others[:room]}
    second = overflow + [n for n in rest if id(n) in picked]
    chosen |= picked
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
            due=due_date(date, band, need.today),
            declined=need.declined,
            state="declined" if need.declined else "open",
            today=need.today,
            urgent=need.urgent,
        )
        for rank, (band, need) in enumerate(banded, start=1)
    )
    return actions, referrals(actions)


def _rank_key(need: Need) -> tuple[float, int, int, int, int]:
    """Highest priority first; among equals the cheaper, then the do-it-yourself fix, then
    walking order (the last tie-break, never the reason one room outranks another)."""
    return (-need.priority, _COST_ORDER.get(need.cost, 9), _WHO_ORDER.get(need.who, 9), need.visit, need.order)


def _first_key(need: Need) -> tuple[int, int, tuple[float, int, int, int, int]]:
    """The first list: a sign that means "today", then the other warning signs (and a family's OT
    visit), then by rank."""
    return (0 if need.today else 1, 0 if need.urgent else 1, _rank_key(need))


_COST_ORDER = {cost: n for n, cost in enumerate(COSTS)}  # cheapest first (homeaudit.words.COSTS)
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


@dataclass(frozen=True, slots=True)
class DoctorVisit:
    """This week's jobs that are the doctor's (``now``), and the doctor's later ones to raise at the
    same appointment (``also``): one visit, as an occupational therapist would write it, not four
    appointments in one week and the bone-health check three months on."""

    now: tuple[Action, ...]
    also: tuple[Action, ...]


def is_open_doctors_job(action: Action) -> bool:
    """A job for the doctor still to do: neither done nor declined (the fridge sheet's lines
    about the doctor's visit use this one rule)."""
    return action.who == "doctor" and not action.done and action.state != "declined"


def one_doctor_visit(actions: Iterable[Action]) -> DoctorVisit | None:
    """The open doctor's jobs of this week and the open ones after it, when one appointment
    would cover more than one job (None otherwise). A warning sign is never put off to "also":
    it has its own line where it is due."""
    open_jobs = [a for a in actions if is_open_doctors_job(a)]
    now = tuple(a for a in open_jobs if a.band == "now")
    also = tuple(a for a in open_jobs if a.band != "now" and not a.urgent)
    if not now or len(now) + len(also) < 2:
        return None
    return DoctorVisit(now=now, also=also)


#: How many of the doctor's later jobs the "one visit" line names (the plan lists them all).
ALSO_NAMED = 4


#: The words that lead the line (set in bold where it is shown).
DOCTOR_VISIT_LEAD = "One visit to the doctor"


def doctor_visit_words(visit: DoctorVisit, shown: Callable[[str], str] = str, *, named: bool = True) -> str:
    """What follows :data:`DOCTOR_VISIT_LEAD`: " can cover jobs 1 and 2: take the action plan with you.
    At the same visit, also ask about: …", with ``shown`` making each job's words safe where they
    go (the report's markup, the app's Markdown); the rest is the plan's own plain words. Not
    ``named`` (the fridge page, where room is short), the later jobs are given by their numbers."""
    jobs = _and([str(a.rank) for a in visit.now])
    words = f" can cover job{'s' if len(visit.now) > 1 else ''} {jobs}: take the action plan with you."
    if visit.also and not named:
        later = _and([str(a.rank) for a in visit.also])
        words += f" At the same visit, also ask about job{'s' if len(visit.also) > 1 else ''} {later} of the plan."
    elif visit.also:
        jobs_named = [f"{shown(a.hazard)} ({a.rank})" for a in visit.also[:ALSO_NAMED]]
        more = len(visit.also) - ALSO_NAMED
        words += " At the same visit, also ask about: " + "; ".join(jobs_named) + (f"; and {more} more" if more > 0 else "") + "."
    return words


def problem(action: Action) -> str:
    """The problem in plain words: the hazard, and what was found when that adds to it ("Screen
    is too high or too low: above eye level"; "Grab bar too low: measured 30 in (76.2 cm); target
    33–36 in (83.8–91.4 cm)")."""
    hazard, found = problem_parts(action.hazard, action.finding)
    return f"{hazard}: {found}" if found else hazard


def problem_parts(hazard: str, finding: str) -> tuple[str, str]:
    """The hazard, and what was found when it says more than the hazard ("" when it does not):
    the two halves of :func:`problem`, for a page that sets them in different weights."""
    return hazard, "" if finding in ("", hazard) else finding


def found_words(hazard: str, finding: Finding, option_label: str = "") -> str:
    """What was found, in words: the reading in both units, the option chosen (a choice
    question's words, lower-cased to follow the hazard), or the hazard itself (a yes/no question)."""
    if finding.reading is not None:
        return format_reading(finding.reading)
    if option_label and option_label.lower() not in ("yes", "no"):
        return option_label[:1].lower() + option_label[1:] if option_label[1:2].islower() else option_label
    return hazard


#: The fields a plan edit and an audit file's action record share, by the same names (the file
#: names the item ``item``; the rest are alike).
RECORDED: tuple[str, ...] = ("visit", "state", "who", "due", "helper", "done_on", "done_by", "reason", "photo")


def recorded_edits(audit: Audit) -> list[PlanEdit]:
    """The plan edits an audit file carries (its ``actions``): what a store holds for an audit
    read from a file instead of from the database."""
    return [PlanEdit(item_id=a.item, **{name: getattr(a, name) for name in RECORDED}) for a in audit.actions]


def action_records(edits: Iterable[PlanEdit]) -> tuple[ActionRecord, ...]:
    """The plan edits as an audit file carries them (:class:`homeaudit.audit.ActionRecord`)."""
    from homeaudit.audit import ActionRecord

    return tuple(ActionRecord(item=e.item_id, **{name: getattr(e, name) for name in RECORDED}) for e in edits)


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
        who: Who = edit.who if edit.who in WHO else action.who  # narrowed by the membership test
        # A date someone set replaces the plan's; it is theirs, not "today" any more.
        today = action.today and edit.due is None
        declined = (edit.reason or action.declined or "declined") if edit.state == "declined" else action.declined
        state: ActionState = "declined" if declined and edit.state == "open" else edit.state
        out.append(
            dataclasses.replace(
                action,
                due=edit.due or action.due,
                who=who,
                today=today,
                state=state,
                declined=declined,
                helper=edit.helper,
                done_on=edit.done_on if edit.state == "done" else None,
                done_by=edit.done_by if edit.state == "done" else "",
                fix_photo=edit.photo if edit.state == "done" else None,
            )
        )
    return tuple(out)


__all__ = [
    "ALSO_NAMED",
    "BAND_NOW",
    "BAND_SOON",
    "DOCTOR_VISIT_LEAD",
    "DUE_DAYS",
    "FIRST_LIST",
    "SECOND_LIST",
    "TITLES",
    "Action",
    "DoctorVisit",
    "Need",
    "Person",
    "PlanEdit",
    "ReferralNeed",
    "action_records",
    "apply_edits",
    "compose",
    "doctor_visit_words",
    "due_date",
    "first_name",
    "found_words",
    "is_open_doctors_job",
    "one_doctor_visit",
    "problem",
    "problem_parts",
    "reason",
    "recorded_edits",
    "referrals",
    "when_words",
]
