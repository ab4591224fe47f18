"""Comparing a visit with the one before: what was fixed, what is new, what remains, and how the
scores moved.

A re-audit is worth doing only if someone can see what changed: the family wants to know that
the grab bar the handyperson fitted counts, and an occupational therapist wants the hazards that
are still there after the plan said "done". Both visits go through the scoring engine's own column
form (:func:`homeaudit.scoring.answer_table` and :func:`~homeaudit.scoring.score_table`) in one
table, so a hazard here is exactly what the score calls one (measurements against their range,
a height against the person's knee height, "not applicable" never a hazard), and nothing is
re-derived by hand.

Rooms are not numbered the same way twice: a room can be added, removed or moved in the list.
Room instances are therefore matched first by kind and label ("Main bedroom" with "Main
bedroom", whatever their order), then, among those left of the same kind, by order
(:func:`match_rooms`). The resident's answers (visit −1) are always matched with each other.

* **fixed**: a hazard at the earlier visit, safe now;
* **new**: safe, unanswered or not there at the earlier visit, a hazard now;
* **remaining**: a hazard both times; flagged :attr:`ChangedAction.done_but_still_hazard` when the
  earlier visit's plan said the action was done.

A hazard then that is unanswered, "not applicable" or in a room not there now is in none of the
three lists: nobody knows whether it was fixed.

The three lists hold what can change: the rooms' hazards, and the answers about the person that a
fix or a treatment changes (a medicine that makes them dizzy, smoking, their footwear). Facts about
the person that nothing changes (``fact: true`` in the checklist: over 50, osteoporosis, a fall in
the past year) are not hazards to fix: listed as "still to do" at every visit, they buried the
loose rug that was. A fact that was "no" at the earlier visit and is "yes" now (a new fall, a new
diagnosis of osteoporosis) is in a list of its own, **person**: what to tell the doctor. One not
asked then is in none: nobody knows whether it is new.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from homeaudit.audit import RESIDENT_VISIT, Audit
from homeaudit.checklist import RESIDENT_ROOM, TOPICS, Library
from homeaudit.plan import PlanEdit
from homeaudit.results import Score
from homeaudit.scoring import answer_table, item_table, score, score_table
from homeaudit.words import DONE_BUT_HAZARD

#: The kinds of change, in the order people read them.
KINDS: tuple[str, ...] = ("fixed", "new", "remaining", "person")
#: Their headings and what each means, the same in the app, the report and the command line.
KIND_TITLES: dict[str, str] = {"fixed": "Fixed", "new": "New", "remaining": "Still to do", "person": "New about the person"}
KIND_MEANINGS: dict[str, str] = {
    "fixed": "a hazard at the last visit, safe now",
    "new": "not a hazard (or not checked) at the last visit, a hazard now",
    "remaining": "a hazard at both visits",
    "person": "true of the person now, and not at the last visit (a new fall, a new diagnosis): worth telling the doctor",
}
#: What each list says when it is empty.
KIND_EMPTY: dict[str, str] = {
    "fixed": "None of the hazards of the last visit was found safe this time.",
    "new": "No new hazards.",
    "remaining": "None: no hazard of the last visit was found again.",
    "person": "Nothing new about the person since the last visit.",
}


@dataclass(frozen=True, slots=True)
class ChangedAction:
    """One hazard that changed (or did not) between the visits, with the fix it calls for.

    ``room`` is the kind of room ("bedroom", "resident" for the person), ``label`` the auditor's
    own name for the room instance ("Spare room", often empty) and ``title`` what people read
    ("Spare room", "Bedroom 2", "The resident"). ``visit_before`` and ``visit_after`` are the room's
    place in each visit's list of rooms (−1 for the person; None where the room was not there).
    ``action`` is what the plan says to do: the earlier plan's words for a fixed hazard, the new
    plan's for the others.
    """

    item_id: str
    room: str
    label: str
    title: str
    visit_before: int | None
    visit_after: int | None
    hazard: str
    action: str
    #: The earlier visit's plan said this was done, yet the hazard is still there.
    done_but_still_hazard: bool = False

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(frozen=True, slots=True)
class Change:
    """A score at each visit (0–100, None where nothing was assessed) and how far it moved
    (None unless both are known)."""

    before: float | None
    after: float | None
    change: float | None

    @classmethod
    def between(cls, before: float | None, after: float | None) -> Change:
        change = None if before is None or after is None else round(after - before, 1)
        return cls(before=before, after=after, change=change)


@dataclass(frozen=True, slots=True)
class RoomChange:
    """A room instance's score at each visit, matched as :func:`match_rooms` matches them."""

    room: str
    label: str
    title: str
    visit_before: int | None
    visit_after: int | None
    before: float | None
    after: float | None
    change: float | None


@dataclass(frozen=True, slots=True)
class TopicChange:
    """A topic's score (lighting, stairs, …) across the home at each visit."""

    topic: str
    before: float | None
    after: float | None
    change: float | None


@dataclass(frozen=True, slots=True)
class ScoreChange:
    """The home's score, each room's and each topic's: before, after and the change."""

    overall: Change
    rooms: tuple[RoomChange, ...]
    topics: tuple[TopicChange, ...]


@dataclass(frozen=True, slots=True)
class ChangeList:
    """One of the three lists, as a page shows it: its kind, heading, meaning and hazards."""

    kind: str
    title: str
    meaning: str
    actions: tuple[ChangedAction, ...]
    #: What to say when there are none.
    empty: str = ""


@dataclass(frozen=True, slots=True)
class Comparison:
    """What changed from one visit (``before``) to the next (``after``)."""

    before_id: str
    after_id: str
    before_date: dt.date
    after_date: dt.date
    fixed: tuple[ChangedAction, ...]
    new: tuple[ChangedAction, ...]
    remaining: tuple[ChangedAction, ...]
    score_change: ScoreChange
    #: Facts about the person true now and not at the earlier visit (a new fall, a warning sign).
    person: tuple[ChangedAction, ...] = ()

    @property
    def done_but_still_hazard(self) -> tuple[ChangedAction, ...]:
        """The remaining hazards whose action the earlier plan said was done: the ones to ask about."""
        return tuple(a for a in self.remaining if a.done_but_still_hazard)

    def sections(self) -> tuple[ChangeList, ...]:
        """The lists with their headings, in the order people read them: Fixed, New, Still to do,
        then what is new about the person."""
        return tuple(
            ChangeList(kind, KIND_TITLES[kind], KIND_MEANINGS[kind], getattr(self, kind), KIND_EMPTY[kind]) for kind in KINDS
        )

    @property
    def is_empty(self) -> bool:
        """Nothing fixed, nothing new, nothing remaining, nothing new about the person (e.g. two
        empty visits)."""
        return not (self.fixed or self.new or self.remaining or self.person)

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of ``homeaudit compare --format json`` (documented in the README)."""
        return {
            "before": {"id": self.before_id, "date": self.before_date.isoformat()},
            "after": {"id": self.after_id, "date": self.after_date.isoformat()},
            "fixed": [a.as_dict() for a in self.fixed],
            "new": [a.as_dict() for a in self.new],
            "remaining": [a.as_dict() for a in self.remaining],
            "person": [a.as_dict() for a in self.person],
            "done_but_still_hazard": len(self.done_but_still_hazard),
            "score_change": {
                "overall": dataclasses.asdict(self.score_change.overall),
                "rooms": [dataclasses.asdict(r) for r in self.score_change.rooms],
                "topics": [dataclasses.asdict(t) for t in self.score_change.topics],
            },
        }


def compare(before: Audit, after: Audit, library: Library, *, before_edits: Iterable[PlanEdit] = ()) -> Comparison:
    """Compare a visit (``after``) with the one before it.

    ``before_edits`` are the earlier visit's plan edits (:meth:`homeaudit.store.Store.plan_edits`):
    a remaining hazard whose action they mark done is flagged "done but still a hazard".
    """
    scores = score(before, library), score(after, library)
    slots = _named(match_rooms(before, after), scores[0], scores[1])
    states = _states(before, after, library, slots)
    edits = {(e.item_id, int(e.visit)): e for e in before_edits}
    kinds: dict[str, list[ChangedAction]] = {kind: [] for kind in KINDS}
    changed = states[states["kind"] != ""]
    for slot_no, item_id, kind, then in zip(
        changed["slot"].tolist(), changed["item_id"].tolist(), changed["kind"].tolist(), changed["before"].tolist(), strict=True
    ):
        slot = slots[slot_no]
        if slot.room == RESIDENT_ROOM and library.items[item_id].fact:
            if kind != "new" or then != "safe":
                continue  # a fact about the person, not a hazard to fix; or not asked then (the module says why)
            kind = "person"
        shown = scores[0] if kind == "fixed" else scores[1]
        visit = slot.before if kind == "fixed" else slot.after
        assert visit is not None  # a fixed hazard was in the earlier visit, the others are in this one
        done = kind == "remaining" and slot.before is not None and _marked_done(scores[0], edits, item_id, slot.before)
        kinds[kind].append(
            ChangedAction(
                item_id=item_id,
                room=slot.room,
                label=slot.label,
                title=slot.title,
                visit_before=slot.before,
                visit_after=slot.after,
                hazard=library.items[item_id].hazard,
                action=_action_words(shown, library, item_id, visit),
                done_but_still_hazard=done,
            )
        )
    return Comparison(
        before_id=before.id,
        after_id=after.id,
        before_date=before.date,
        after_date=after.date,
        fixed=tuple(kinds["fixed"]),
        new=tuple(kinds["new"]),
        remaining=tuple(kinds["remaining"]),
        person=tuple(kinds["person"]),
        score_change=score_change(scores[0], scores[1], slots),
    )


# ---- matching rooms ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Slot:
    """A room instance of the home as both visits know it: its visit number in each (None where
    it was not there) and how people name it (the later visit's words when it has the room)."""

    room: str
    label: str
    title: str
    before: int | None
    after: int | None


def match_rooms(before: Audit, after: Audit) -> tuple[Slot, ...]:
    """The room instances of two visits, paired: first by kind and label (case and spaces aside),
    then the rest of each kind by order. The person comes first, then the rooms in the later
    visit's order, then the rooms only the earlier visit had.

    Titles are left empty here; :func:`compare` and :func:`score_change` name rooms from the scores."""

    def rooms(audit: Audit) -> pd.DataFrame:
        frame = pd.DataFrame(
            {
                "visit": np.arange(len(audit.rooms), dtype=np.int64),
                "room": pd.Series([r.room for r in audit.rooms], dtype=object),
                "key": pd.Series([" ".join(r.label.split()).casefold() for r in audit.rooms], dtype=object),
            }
        )
        frame["nth"] = frame.groupby(["room", "key"]).cumcount()
        return frame

    old, new = rooms(before), rooms(after)
    by_label = old[old["key"] != ""].merge(new[new["key"] != ""], on=["room", "key", "nth"], suffixes=("_before", "_after"))
    by_label = by_label[["room", "visit_before", "visit_after"]]
    left_old = old[~old["visit"].isin(by_label["visit_before"])].copy()
    left_new = new[~new["visit"].isin(by_label["visit_after"])].copy()
    for frame in (left_old, left_new):
        frame["nth"] = frame.groupby("room").cumcount()
    by_order = left_old.merge(left_new, on=["room", "nth"], how="outer", suffixes=("_before", "_after"))
    pairs = pd.concat([by_label, by_order[["room", "visit_before", "visit_after"]]], ignore_index=True)
    pairs["order"] = pairs["visit_after"].fillna(len(after.rooms) + pairs["visit_before"])
    pairs = pairs.sort_values("order", kind="stable")
    slots = [Slot(room="resident", label="", title="", before=RESIDENT_VISIT, after=RESIDENT_VISIT)]
    for room, b, a in zip(pairs["room"], pairs["visit_before"], pairs["visit_after"], strict=True):
        vb, va = _visit(b), _visit(a)
        label = after.rooms[va].label if va is not None else before.rooms[vb].label if vb is not None else ""
        slots.append(Slot(room=str(room), label=label.strip(), title="", before=vb, after=va))
    return tuple(slots)


def _visit(value: Any) -> int | None:
    return None if pd.isna(value) else int(value)


# ---- the answers of both visits, side by side ----------------------------------------------------------


def _states(before: Audit, after: Audit, library: Library, slots: tuple[Slot, ...]) -> pd.DataFrame:
    """One row per (slot, item) either visit asked: the slot's number, the item, its state at
    each visit ("hazard", "safe", or "unknown": unanswered, not applicable, not there) and the
    ``kind`` of change ("fixed", "new", "remaining", or "" for none of them)."""
    rows = score_table(answer_table([before, after], library), library)
    rows = rows[rows["present"]]
    ids = item_table(library).frame["item_id"].to_numpy(object)
    state = np.select([rows["hazard"].to_numpy(bool), rows["assessed"].to_numpy(bool)], ["hazard", "safe"], "unknown")
    long = pd.DataFrame(
        {
            "audit": rows["audit"].to_numpy(),
            "visit": rows["visit"].to_numpy(),
            "item_pos": rows["item_pos"].to_numpy(),
            "item_id": ids[rows["item_pos"].to_numpy()],
            "state": state,
        }
    )
    numbered = pd.DataFrame(
        {
            "slot": np.arange(len(slots)),
            "visit_before": pd.array([s.before for s in slots], dtype="Int64"),
            "visit_after": pd.array([s.after for s in slots], dtype="Int64"),
        }
    )
    sides = []
    for audit, side in ((0, "before"), (1, "after")):
        mine = long[long["audit"] == audit].merge(
            numbered.dropna(subset=[f"visit_{side}"]).astype({f"visit_{side}": "int64"}),
            left_on="visit",
            right_on=f"visit_{side}",
        )
        sides.append(mine[["slot", "item_pos", "item_id", "state"]].rename(columns={"state": side}))
    both = sides[0].merge(sides[1], on=["slot", "item_pos", "item_id"], how="outer")
    both[["before", "after"]] = both[["before", "after"]].fillna("unknown")
    was, now = both["before"] == "hazard", both["after"] == "hazard"
    both["kind"] = np.select([was & (both["after"] == "safe"), was & now, now], ["fixed", "remaining", "new"], "")
    both = both.sort_values(["slot", "item_pos"], kind="stable").reset_index(drop=True)
    return both


# ---- words ---------------------------------------------------------------------------------------


def _named(slots: tuple[Slot, ...], before: Score, after: Score) -> tuple[Slot, ...]:
    """The slots with the titles people read: the later visit's where it has the room (a room
    renamed "Spare room" is called so), else the earlier one's; the person as the later report
    calls them ("The resident", or "The client" in an OT's audit)."""
    named = []
    for slot in slots:
        if slot.before == RESIDENT_VISIT:
            title = after.resident_title
        elif slot.after is not None:
            title = after.title(slot.after)
        else:
            assert slot.before is not None  # a slot has a room in at least one visit
            title = before.title(slot.before)
        named.append(dataclasses.replace(slot, title=title))
    return tuple(named)


def _plan_row(result: Score, item_id: str, visit: int) -> tuple[str, int] | None:
    """The plan row that holds this answer (its own row, or the row of the intervention a
    resident's answer calls for: a fall in the past year is part of "Ask for a falls check"),
    as the (item id, visit) key plan edits are kept under."""
    for action in result.actions:
        if (action.item_id, action.visit) == (item_id, visit) or any(
            (a.item_id, a.visit) == (item_id, visit) for a in action.answers
        ):
            return action.item_id, action.visit
    return None


def _action_words(result: Score, library: Library, item_id: str, visit: int) -> str:
    """What to do about this hazard: the plan's words (which may be a chosen option's own fix, or
    the intervention the answer calls for), else the checklist's (an answer about the person that
    is a risk factor and no row of the plan), else the hazard itself."""
    key = _plan_row(result, item_id, visit)
    if key is not None:
        return next(a.action for a in result.actions if (a.item_id, a.visit) == key)
    item = library.items[item_id]
    return item.action or item.hazard


def _marked_done(result: Score, edits: dict[tuple[str, int], PlanEdit], item_id: str, visit: int) -> bool:
    """Did the earlier visit's plan mark the action for this hazard done? (Code reads ``.done``,
    which a plan edit has whatever else it records.)"""
    key = _plan_row(result, item_id, visit) or (item_id, visit)
    edit = edits.get(key)
    return edit is not None and bool(edit.done)


# ---- scores --------------------------------------------------------------------------------------


def score_change(before: Score, after: Score, slots: tuple[Slot, ...]) -> ScoreChange:
    """How the home's score, each matched room's and each topic's moved. A room in one visit
    only has None on the other side; a topic asked at one visit only likewise."""
    rooms = []
    for slot in slots:
        if slot.before == RESIDENT_VISIT:
            continue
        was = before.rooms[slot.before].score if slot.before is not None else None
        now = after.rooms[slot.after].score if slot.after is not None else None
        change = Change.between(was, now)
        rooms.append(
            RoomChange(
                room=slot.room,
                label=slot.label,
                title=slot.title,
                visit_before=slot.before,
                visit_after=slot.after,
                before=change.before,
                after=change.after,
                change=change.change,
            )
        )
    old = {t.topic: t.score for t in before.topics}
    new = {t.topic: t.score for t in after.topics}
    topics = []
    for topic in TOPICS:
        if topic in old or topic in new:
            change = Change.between(old.get(topic), new.get(topic))
            topics.append(TopicChange(topic=topic, before=change.before, after=change.after, change=change.change))
    return ScoreChange(
        overall=Change.between(before.overall.score, after.overall.score), rooms=tuple(rooms), topics=tuple(topics)
    )


__all__ = [
    "DONE_BUT_HAZARD",
    "KINDS",
    "KIND_EMPTY",
    "KIND_MEANINGS",
    "KIND_TITLES",
    "Change",
    "ChangeList",
    "ChangedAction",
    "Comparison",
    "RoomChange",
    "ScoreChange",
    "Slot",
    "TopicChange",
    "compare",
    "match_rooms",
    "score_change",
]
