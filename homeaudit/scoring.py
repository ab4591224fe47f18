"""Scoring: answers and checklist items meet as DataFrames and become scores and a ranked plan.

The rules (weights, bands, thresholds and their sources) are written out in docs/scoring.md;
this module is their only implementation. Everything is vectorised over one long table with a
row per (audit, room visit, item), so scoring one audit and scoring ten thousand are the same
code: the app rescores on every answer, and a practice overview scores every client at once.
"""

from __future__ import annotations

import math
import operator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable, Sequence

import numpy as np
import pandas as pd

from homeaudit.audit import Audit, room_keys
from homeaudit.checklist import COSTS, RESIDENT_ROOM, TOPICS, WHO, Library
from homeaudit.units import DIMENSIONS, format_measure, format_range, normalise_unit

# ---- the rules (docs/scoring.md explains each number) --------------------------------------
EVIDENCE_WEIGHT = {"structural": 1.5, "common_fix": 1.3, "bone_back": 1.1, "general": 1.0}
PERSON_MULTIPLIER = 1.5  # fall hazards, when the resident is at higher risk of falling
BONE_MULTIPLIER = 1.5  # bending, seating, bed and posture items, with osteoporosis or back pain
BAND_NOW = 3.75  # priority at or above: "now"
BAND_SOON = 2.0  # priority at or above: "soon"; below: "later"
STEADI_AT_RISK = 4
HIGH_SCORE_BELOW = 60
MODERATE_SCORE_BELOW = 85
HIGH_SEVERE_HAZARDS = 3
WARNING_SIGN_PRIORITY = 10.0
OT_VISIT_PRIORITY = 9.0
BANDS = ("now", "soon", "later")

FALL_ITEM = "resident.fallen_past_year"
OSTEOPOROSIS_ITEM = "resident.osteoporosis"
BACK_PAIN_ITEM = "resident.back_pain"
LOW_VISION_ITEM = "resident.low_vision"
OT_VISIT_ID = "resident.ot_home_visit"
OT_VISIT_ACTION = (
    "Ask the doctor for an occupational therapist's home visit. The screening answers show a "
    "higher risk of falling, and home changes prevent the most falls when an occupational "
    "therapist assesses the home with the person."
)
OT_VISIT_SOURCE = "CDC STEADI; Clemson et al., Cochrane 2023; Pighills 2011"

STATUSES = ("hazard", "safe", "na", "not_assessed", "absent")


class ScoringError(ValueError):
    """The audit cannot be scored against this library (it was not checked first)."""


@dataclass(frozen=True)
class Score:
    """A scored audit: tables for the report and the app, and the summary the CLI prints."""

    items: pd.DataFrame
    rooms: pd.DataFrame
    topics: pd.DataFrame
    actions: pd.DataFrame
    overall: dict[str, Any]
    resident: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of `homeaudit score --format json` (documented in the README)."""
        rooms = _records(self.rooms, ["room", "label", "key", "present", "score", "hazards", "answered", "applicable"])
        topics = _records(self.topics, ["topic", "score", "hazards"])
        found = self.items[self.items["hazard"].to_numpy(bool) & (self.items["visit"].to_numpy() >= 0)]
        by_visit = found.groupby("visit")["item_id"].agg(list).to_dict()
        by_topic = found.groupby("topic")["item_id"].agg(list).to_dict()
        for visit, room in enumerate(rooms):
            room["hazard_items"] = by_visit.get(visit, [])
        for topic in topics:
            topic["hazard_items"] = by_topic.get(topic["topic"], [])
        return {
            "overall": self.overall,
            "resident": self.resident,
            "rooms": rooms,
            "topics": topics,
            "actions": _records(
                self.actions,
                ["rank", "band", "item_id", "room", "label", "topic", "hazard", "action", "who", "cost", "severity", "priority", "note"],
            ),
        }


# ---- the item table --------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class ItemTable:
    """The library as arrays, built once per library: what the vectorised scoring indexes into."""

    frame: pd.DataFrame  # one row per item, library (walking) order; descriptive columns
    room_codes: dict[str, int]
    room_start: np.ndarray  # first item position of each room code (items are grouped by room)
    room_count: np.ndarray
    vocabulary: pd.Index  # every yes/no/choice value the library knows
    hazard_matrix: np.ndarray  # [item, vocabulary code] -> is this answer a hazard
    unit_index: pd.Index
    unit_factor: np.ndarray
    na_code: int  # the vocabulary code of "na"
    item_index: pd.Index  # item id -> position
    arrays: dict[str, np.ndarray]  # the frame's columns as numpy arrays, for fast indexing


@lru_cache(maxsize=8)
def item_table(library: Library) -> ItemTable:
    """One row per checklist item with the numbers scoring needs, grouped by room, walking order."""
    rows = []
    for order, item in enumerate(library.items.values()):
        factor = np.nan
        if item.unit:
            factor = _unit_factors()[normalise_unit(item.unit)]
        rows.append(
            {
                "item_id": item.id,
                "room": item.room,
                "order": order,
                "topic": item.topic,
                "answer_type": item.answer_type,
                "severity": item.severity,
                "evidence": item.evidence,
                "fall_hazard": item.fall_hazard,
                "who": item.who,
                "cost": item.cost,
                "hazard_text": item.hazard,
                "action": item.action or "",
                "source": item.source,
                "screen": item.screen or "",
                "steadi_points": item.steadi_points,
                "item_unit": item.unit or "",
                "unit_factor": factor,
                "range_lo": np.nan if not item.range or item.range[0] is None else item.range[0],
                "range_hi": np.nan if not item.range or item.range[1] is None else item.range[1],
                "weight": EVIDENCE_WEIGHT[item.evidence] * item.severity,
                "cost_order": COSTS.index(item.cost),
                "who_order": WHO.index(item.who),
            }
        )
    frame = pd.DataFrame(rows)
    for column in frame.columns:
        if frame[column].dtype != object and not pd.api.types.is_numeric_dtype(frame[column]):
            frame[column] = frame[column].astype(object)  # plain object strings: cheap to take()
    room_ids = list(dict.fromkeys(frame["room"]))
    room_codes = {room: code for code, room in enumerate(room_ids)}
    codes = frame["room"].map(room_codes).to_numpy(np.int64)
    if np.any(np.diff(codes) < 0):  # the library lists each room's items together
        raise ScoringError("library items are not grouped by room")
    room_count = np.bincount(codes, minlength=len(room_ids))
    room_start = np.concatenate([[0], np.cumsum(room_count)[:-1]])
    frame["room_code"] = codes
    frame["topic_code"] = frame["topic"].map({t: i for i, t in enumerate(TOPICS)}).to_numpy(np.int64)
    frame["measurement"] = frame["answer_type"] == "measurement"
    frame["bone_back"] = frame["evidence"] == "bone_back"
    frame["warning_sign"] = frame["screen"] == "warning_sign"

    vocabulary = pd.Index(sorted({v for item in library.items.values() for v in item.option_values}), dtype=object)
    hazard_matrix = np.zeros((len(frame), len(vocabulary) + 1), dtype=bool)  # last column: unknown
    for position, item in enumerate(library.items.values()):
        if item.answer_type != "measurement":
            hazard_matrix[position, vocabulary.get_indexer(list(item.hazard_options))] = True
    factors = _unit_factors()
    return ItemTable(
        frame=frame,
        room_codes=room_codes,
        room_start=room_start,
        room_count=room_count,
        vocabulary=vocabulary,
        hazard_matrix=hazard_matrix,
        unit_index=pd.Index(list(factors), dtype=object),
        unit_factor=np.array(list(factors.values()), dtype=float),  # by unit_index position
        na_code=int(vocabulary.get_loc("na")),
        item_index=pd.Index(frame["item_id"].to_numpy(object), dtype=object),
        arrays={column: frame[column].to_numpy() for column in frame.columns},
    )


@lru_cache(maxsize=1)
def _unit_factors() -> dict[str, float]:
    """Each unit's factor to its dimension's base unit (answers hold units in their short form)."""
    return {unit: factor for d in DIMENSIONS.values() for unit, factor in d.factors.items()}


# ---- audits as columns ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerTable:
    """Audits as columns of numbers: the form the scoring works on.

    ``visits`` has a row per room visit (each audit's resident section is visit −1);
    ``answers`` a row per given answer: the visit's row, the item's position in the library,
    the word (a code into the library's answer vocabulary, −1 for none), the number and the
    unit code. A practice overview or a
    server can keep audits in this form; :func:`answer_table` builds it from Audit objects.
    """

    visits: pd.DataFrame  # audit, visit, room_code, present
    answers: pd.DataFrame  # row (into visits), item, word, number, unit
    notes: pd.DataFrame | None = None  # value, unit, note, photos per answer row (for reports)


_VALUE, _UNIT = operator.attrgetter("value"), operator.attrgetter("unit")


def answer_table(audits: Sequence[Audit], library: Library, *, with_notes: bool = False) -> AnswerTable:
    """Flatten audits into an AnswerTable. The only per-answer Python in scoring lives here."""
    table = item_table(library)
    resident = table.room_codes.get(RESIDENT_ROOM, -1)
    v_audit, v_visit, v_room, v_present = [], [], [], []
    a_row, lengths, ids, values, units, notes, photos = [], [], [], [], [], [], []
    for a, audit in enumerate(audits):
        sections = [(-1, resident, True, audit.resident)] + [
            (v, table.room_codes.get(r.room, -1), r.present, r.answers) for v, r in enumerate(audit.rooms)
        ]
        for v, room_code, present, answers in sections:
            if room_code < 0:
                raise ScoringError(f"unknown room in audit {audit.id!r}: check the audit against the library first")
            v_audit.append(a)
            v_visit.append(v)
            v_room.append(room_code)
            v_present.append(present)
            if answers:
                a_row.append(len(v_audit) - 1)
                lengths.append(len(answers))
                ids.extend(answers)
                given = answers.values()
                values.extend(map(_VALUE, given))
                units.extend(map(_UNIT, given))
                if with_notes:
                    notes.extend([x.note for x in given])
                    photos.extend([x.photos for x in given])
    item = _positions(table.item_index, _object_array(ids)) if ids else np.array([], dtype=np.int64)
    if np.any(item < 0):
        unknown = ids[int(np.flatnonzero(item < 0)[0])]
        raise ScoringError(f"unknown item id {unknown!r}: check the audit against the library first")
    value_array = _object_array(values)
    word = _positions(table.vocabulary, value_array) if len(values) else np.array([], dtype=np.int64)
    number = np.full(len(values), np.nan)
    numeric = (word < 0) & pd.notna(value_array)
    if numeric.any():
        number[numeric] = pd.to_numeric(pd.Series(value_array[numeric], dtype=object), errors="coerce").to_numpy(float)
    unit_array = _object_array(units)
    unit = _positions(table.unit_index, unit_array) if len(units) else np.array([], dtype=np.int64)
    answers = pd.DataFrame(
        copy=False,
        data={
            "row": np.repeat(np.array(a_row, dtype=np.int64), lengths),
            "item": item.astype(np.int64),
            "word": word.astype(np.int64),
            "number": number,
            "unit": unit.astype(np.int64),
        }
    )
    visits = pd.DataFrame(
        {
            "audit": np.array(v_audit, dtype=np.int64),
            "visit": np.array(v_visit, dtype=np.int64),
            "room_code": np.array(v_room, dtype=np.int64),
            "present": np.array(v_present, dtype=bool),
        }
    )
    extra = None
    if with_notes:
        extra = pd.DataFrame(
            {"value": _objects(value_array), "unit": _objects(unit_array), "note": _objects(notes), "photos": _objects(photos)}
        )
    return AnswerTable(visits=visits, answers=answers, notes=extra)


def item_frame(audits: Sequence[Audit], library: Library, *, with_notes: bool = False) -> pd.DataFrame:
    """The long table for Audit objects: see :func:`score_table`."""
    return score_table(answer_table(audits, library, with_notes=with_notes), library)


def score_table(data: AnswerTable, library: Library) -> pd.DataFrame:
    """The long table: one row per (audit, room visit, item) with its status and points.

    Resident items appear once per audit with ``visit`` −1. An item with no answer is
    ``not_assessed``, never safe; an item in a room marked not present is ``absent``.
    Numbers only, indexed with numpy: the app rescores on every answer and a practice
    overview scores thousands of audits.
    """
    table = item_table(library)
    col = table.arrays
    visits, answers = data.visits, data.answers
    v_room = visits["room_code"].to_numpy()

    # The grid: every visit repeated once per item of its room.
    counts = table.room_count[v_room]
    row_visit = np.repeat(np.arange(len(counts)), counts)
    first_row = np.repeat(np.cumsum(counts) - counts, counts)
    item_pos = table.room_start[v_room][row_visit] + (np.arange(len(row_visit)) - first_row)
    audit_of_row = visits["audit"].to_numpy()[row_visit]
    visit_no = visits["visit"].to_numpy()[row_visit]

    # Each answer lands on its grid row: its visit's first row plus the item's place in the room.
    # (A visit's answers are a dict, so no two answers land on one row.)
    a_row = answers["row"].to_numpy()
    a_item = answers["item"].to_numpy()
    first_of_visit = np.cumsum(counts) - counts
    a_room = v_room[a_row]
    offset = a_item - table.room_start[a_room]
    if np.any((offset < 0) | (offset >= counts[a_row])):
        bad = int(np.flatnonzero((offset < 0) | (offset >= counts[a_row]))[0])
        raise ScoringError(
            f"item {col['item_id'][a_item[bad]]!r} is not in the room {col['room'][table.room_start[a_room[bad]]]!r}: "
            "check the audit against the library first"
        )
    target = first_of_visit[a_row] + offset
    source = np.full(len(row_visit), -1, dtype=np.int64)
    source[target] = np.arange(len(a_row))
    found = source >= 0

    def pick(values: np.ndarray, fill: Any) -> np.ndarray:
        out = np.full(len(row_visit), fill, dtype=values.dtype)
        out[found] = values[source[found]]
        return out

    word = pick(answers["word"].to_numpy(), -1)
    number = pick(answers["number"].to_numpy(), np.nan)
    unit = pick(answers["unit"].to_numpy(), -1)

    is_na = word == table.na_code
    answered = found & ((word >= 0) | ~np.isnan(number))

    # Yes/no and choices: look the (item, word) pair up in the hazard matrix.
    hazard_if_assessed = table.hazard_matrix[item_pos, np.where(word >= 0, word, table.hazard_matrix.shape[1] - 1)]

    # Measurements (a few rows): the reading in the item's unit, compared with the safe range.
    reading = np.full(len(row_visit), np.nan)
    rows = np.flatnonzero(col["measurement"][item_pos] & ~np.isnan(number))
    if len(rows):
        pos, u = item_pos[rows], unit[rows]
        factor = np.where(u >= 0, table.unit_factor[np.maximum(u, 0)], col["unit_factor"][pos])
        reading[rows] = number[rows] * factor / col["unit_factor"][pos]
        with np.errstate(invalid="ignore"):
            hazard_if_assessed[rows] = (reading[rows] < col["range_lo"][pos]) | (reading[rows] > col["range_hi"][pos])

    present = visits["present"].to_numpy()[row_visit]
    assessed = present & answered & ~is_na
    hazard = assessed & hazard_if_assessed
    severity = col["severity"][item_pos]
    frame = pd.DataFrame(
        {
            "audit": audit_of_row,
            "visit": visit_no,
            "row_visit": row_visit,
            "item_pos": item_pos,
            "present": present,
            "reading": reading,
            "hazard": hazard,
            "assessed": assessed,
            "applicable": present & ~is_na,
            "lost": np.where(hazard, severity, 0),
            "possible": np.where(assessed, severity, 0),
        },
        copy=False,
    )
    if data.notes is not None:  # one audit, for people to read: the answers and their status
        code = STATUSES.index
        frame["status_code"] = np.select(
            [~present, ~answered, is_na, hazard], [code("absent"), code("not_assessed"), code("na"), code("hazard")], code("safe")
        )
        notes = data.notes
        for column, fill in (("value", None), ("unit", None), ("note", ""), ("photos", ())):
            values = notes[column].to_numpy(object)
            picked = np.empty(len(frame), dtype=object)
            picked.fill(fill)
            picked[found] = values[source[found]]
            frame[column] = _objects(picked)
        frame["status"] = _objects(np.array(STATUSES, dtype=object)[frame["status_code"].to_numpy()])
    return frame


def _group_sums(groups: np.ndarray, n: int) -> Callable[[np.ndarray], np.ndarray]:
    """A function that sums any column per group 0..n-1 (as floats; 0 for an empty group).

    Rows come grouped by audit, so contiguous runs are summed with ``np.add.reduceat``, several
    times faster than ``np.bincount``; unsorted groups fall back to ``np.bincount``.
    """
    if len(groups) == 0 or np.any(groups[1:] < groups[:-1]):
        return lambda values: np.bincount(groups, weights=values, minlength=n).astype(float)
    starts = np.searchsorted(groups, np.arange(n))
    empty = starts == np.append(starts[1:], len(groups))

    def total(values: np.ndarray) -> np.ndarray:
        values = values.view(np.int8) if values.dtype == bool else values
        padded = np.append(values, np.zeros(1, dtype=values.dtype))  # an empty last group starts past the end
        out = np.add.reduceat(padded, starts, dtype=np.float64)
        out[empty] = 0.0
        return out

    return total


def _object_array(values: list) -> np.ndarray:
    """A list as a 1-d object array (no string inference, tuples kept whole)."""
    return np.fromiter(values, dtype=object, count=len(values))


def _positions(index: pd.Index, values: np.ndarray) -> np.ndarray:
    """Where each value stands in ``index`` (−1: absent), hashing plain objects.

    Wrapping the values in an object Index first stops pandas from converting them to Arrow
    strings, which costs more than the look-up itself.
    """
    return index.get_indexer(pd.Index(values, dtype=object, copy=False))


class _Columns(dict):
    """A frame's columns as numpy arrays, each converted once, on first use."""

    def __init__(self, frame: pd.DataFrame) -> None:
        super().__init__()
        self.frame = frame

    def __missing__(self, column: str) -> np.ndarray:
        self[column] = array = self.frame[column].to_numpy()
        return array


def _objects(values: Sequence) -> pd.Series:
    """A column of plain Python objects: strings stay ``object`` (fast to index) rather than Arrow."""
    return pd.Series(values if isinstance(values, np.ndarray) else list(values), dtype=object)


def describe(frame: pd.DataFrame, audits: Sequence[Audit], library: Library, **extra: np.ndarray) -> pd.DataFrame:
    """Add the words (item, room, label, topic, action …) to an item frame, for people to read."""
    col = item_table(library).arrays
    pos = frame["item_pos"].to_numpy()
    labels = {(a, -1): ("", RESIDENT_ROOM) for a in range(len(audits))}
    for a, audit in enumerate(audits):
        for v, (visit, key) in enumerate(zip(audit.rooms, room_keys(audit.rooms))):
            labels[(a, v)] = (visit.label, key)
    pairs = [labels[(a, v)] for a, v in zip(frame["audit"].tolist(), frame["visit"].tolist())]
    columns = {c: frame[c] for c in frame.columns}
    for column, values in col.items():
        if column not in columns:
            data = values[pos]
            columns[column] = _objects(data) if data.dtype == object else data
    for name, values in extra.items():
        columns[name] = _objects(values) if values.dtype == object else values
    columns["label"] = _objects([p[0] for p in pairs])
    columns["key"] = _objects([p[1] for p in pairs])
    return pd.DataFrame(columns)


# ---- the resident ----------------------------------------------------------------------------


def resident_frame(frame: pd.DataFrame, library: Library, n_audits: int) -> pd.DataFrame:
    """Per audit: Stay Independent score, at-risk flag and the conditions that change ranking."""
    table = item_table(library)
    resident = frame["visit"].to_numpy() == -1
    audit = frame["audit"].to_numpy()[resident]
    pos = frame["item_pos"].to_numpy()[resident]
    yes = frame["hazard"].to_numpy(bool)[resident]
    total = _group_sums(audit, n_audits)

    def flag(item_id: str) -> np.ndarray:
        if item_id not in table.item_index:  # an OT's library may leave a condition out
            return np.zeros(n_audits, dtype=bool)
        return total(yes & (pos == table.item_index.get_loc(item_id))) > 0

    steadi = total(table.arrays["steadi_points"][pos] * yes).astype(int)
    fallen = flag(FALL_ITEM)
    at_risk = (steadi >= STEADI_AT_RISK) | fallen
    osteoporosis, back_pain, low_vision = flag(OSTEOPOROSIS_ITEM), flag(BACK_PAIN_ITEM), flag(LOW_VISION_ITEM)
    assessed = frame["assessed"].to_numpy(bool)[resident]
    return pd.DataFrame(
        {
            "steadi_score": steadi,
            "fallen": fallen,
            "at_risk": at_risk,
            "osteoporosis": osteoporosis,
            "back_pain": back_pain,
            "low_vision": low_vision,
            "higher_fall_risk": at_risk | osteoporosis | low_vision,
            "bone_or_back": osteoporosis | back_pain,
            "answered": total(assessed).astype(int),
        },
        index=pd.RangeIndex(n_audits, name="audit"),
    )


def priorities(frame: pd.DataFrame, person: pd.DataFrame, library: Library) -> tuple[np.ndarray, np.ndarray]:
    """Priority and band of every row (docs/scoring.md, 'Ranking the action plan')."""
    col = item_table(library).arrays
    pos = frame["item_pos"].to_numpy()
    audit = frame["audit"].to_numpy()
    higher = person["higher_fall_risk"].to_numpy(bool)[audit]
    bone = person["bone_or_back"].to_numpy(bool)[audit]
    multiplier = np.where(col["fall_hazard"][pos] & higher, PERSON_MULTIPLIER, 1.0)
    multiplier *= np.where(col["bone_back"][pos] & bone, BONE_MULTIPLIER, 1.0)
    priority = np.round(col["weight"][pos] * multiplier, 3)
    band = np.select([priority >= BAND_NOW, priority >= BAND_SOON], ["now", "soon"], "later").astype(object)
    return priority, band


# ---- summaries --------------------------------------------------------------------------------


def _score(lost: np.ndarray, possible: np.ndarray) -> np.ndarray:
    """0-100: the share of assessed severity points that are safe; NaN when nothing was assessed."""
    lost, possible = np.asarray(lost, float), np.asarray(possible, float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(possible > 0, np.round(100.0 * (1.0 - lost / possible), 1), np.nan)


def risk_levels(score: np.ndarray, severe: np.ndarray, at_risk: np.ndarray) -> np.ndarray:
    """low | moderate | high from the home score, severe hazards and the person (docs/scoring.md).

    'unknown' when no home item has been assessed: an empty audit is not a safe home.
    """
    score, severe, at_risk = np.asarray(score, float), np.asarray(severe), np.asarray(at_risk, bool)
    with np.errstate(invalid="ignore"):
        high = (score < HIGH_SCORE_BELOW) | (severe >= HIGH_SEVERE_HAZARDS) | (at_risk & (severe >= 1))
        moderate = (score < MODERATE_SCORE_BELOW) | (severe >= 1) | at_risk
    return np.select([np.isnan(score), high, moderate], ["unknown", "high", "moderate"], "low").astype(object)


def overall_frame(frame: pd.DataFrame, person: pd.DataFrame, library: Library) -> pd.DataFrame:
    """Per audit: score, risk level, coverage and hazard counts (rooms of the home only)."""
    n = len(person)
    audit = frame["audit"].to_numpy()
    home = frame["visit"].to_numpy() >= 0
    hazard = frame["hazard"].to_numpy() & home
    severe_hazard = hazard & (item_table(library).arrays["severity"][frame["item_pos"].to_numpy()] == 3)

    total = _group_sums(audit, n)
    answered = total(frame["assessed"].to_numpy() & home)
    applicable = total(frame["applicable"].to_numpy() & home)
    severe = total(severe_hazard)
    score_ = _score(total(np.where(home, frame["lost"].to_numpy(), 0)), total(np.where(home, frame["possible"].to_numpy(), 0)))
    with np.errstate(invalid="ignore", divide="ignore"):
        coverage = np.where(applicable > 0, np.round(answered / np.maximum(applicable, 1), 3), 0.0)
    return pd.DataFrame(
        {
            "score": score_,
            "risk_level": _objects(risk_levels(score_, severe, person["at_risk"].to_numpy())),
            "coverage": coverage,
            "hazards": total(hazard).astype(int),
            "severe_hazards": severe.astype(int),
            "answered": answered.astype(int),
            "applicable": applicable.astype(int),
            "steadi_score": person["steadi_score"].to_numpy(),
            "at_risk": person["at_risk"].to_numpy(),
        },
        index=pd.RangeIndex(n, name="audit"),
    )


def score_many(audits: Sequence[Audit], library: Library) -> pd.DataFrame:
    """Score many audits at once: one row per audit (score, risk_level, coverage, …), same order."""
    out = summarise(answer_table(audits, library), library)
    out.insert(0, "id", _objects([a.id for a in audits]))
    return out


def summarise(data: AnswerTable, library: Library) -> pd.DataFrame:
    """Per-audit scores from audits already held as an AnswerTable (the vectorised hot path)."""
    frame = score_table(data, library)
    n_audits = int(data.visits["audit"].max()) + 1 if len(data.visits) else 0
    person = resident_frame(frame, library, n_audits)
    return overall_frame(frame, person, library)


def score(audit: Audit, library: Library) -> Score:
    """Score one audit: the tables behind the app's results page, the report and the CLI."""
    frame = item_frame([audit], library, with_notes=True)
    person = resident_frame(frame, library, 1)
    row = overall_frame(frame, person, library).iloc[0]
    priority, band = priorities(frame, person, library)
    items = describe(frame, [audit], library, priority=priority, band=band)
    overall = {
        "score": _clean(row["score"]),
        "risk_level": row["risk_level"],
        "coverage": float(row["coverage"]),
        "hazards": int(row["hazards"]),
        "severe_hazards": int(row["severe_hazards"]),
        "answered": int(row["answered"]),
        "applicable": int(row["applicable"]),
    }
    return Score(
        items=items,
        rooms=_room_table(items, audit),
        topics=_topic_table(items),
        actions=_action_table(items, bool(person["at_risk"].iloc[0])),
        overall=overall,
        resident=_resident_summary(items, person.iloc[0]),
    )


def _room_table(items: pd.DataFrame, audit: Audit) -> pd.DataFrame:
    col = _Columns(items)
    n = len(audit.rooms)
    home = col["visit"] >= 0
    visit = col["visit"][home]

    def total(column: str) -> np.ndarray:
        return np.bincount(visit, weights=col[column][home].astype(float), minlength=n)

    return pd.DataFrame(
        {
            "visit": np.arange(n),
            "room": _objects([r.room for r in audit.rooms]),
            "label": _objects([r.label for r in audit.rooms]),
            "key": _objects(audit.room_keys()),
            "present": np.array([r.present for r in audit.rooms], dtype=bool),
            "score": _score(total("lost"), total("possible")),
            "hazards": total("hazard").astype(int),
            "answered": total("assessed").astype(int),
            "applicable": total("applicable").astype(int),
        }
    )


def _topic_table(items: pd.DataFrame) -> pd.DataFrame:
    col = _Columns(items)
    rows = (col["visit"] >= 0) & col["present"]
    code = col["topic_code"][rows]
    n = len(TOPICS)

    def total(column: str) -> np.ndarray:
        return np.bincount(code, weights=col[column][rows].astype(float), minlength=n)

    counts = np.bincount(code, minlength=n)
    keep = counts > 0
    return pd.DataFrame(
        {
            "topic": _objects(np.array(TOPICS, dtype=object)[keep]),
            "score": _score(total("lost"), total("possible"))[keep],
            "hazards": total("hazard").astype(int)[keep],
        }
    )


def _resident_summary(items: pd.DataFrame, person: pd.Series) -> dict[str, Any]:
    col = _Columns(items)
    resident = col["visit"] == -1
    yes = resident & col["hazard"]
    screen = col["screen"]
    ids = col["item_id"]
    return {
        "steadi_score": int(person["steadi_score"]),
        "at_risk": bool(person["at_risk"]),
        "warning_signs": ids[yes & (screen == "warning_sign")].tolist(),
        "risk_factors": ids[yes & (screen == "risk_factor")].tolist(),
        "conditions": ids[yes & (screen == "condition")].tolist(),
        "answered": int(person["answered"]),
        "questions": int(resident.sum()),
    }


def _hazard_words(rows: pd.DataFrame) -> list[str]:
    """The hazard in plain words; for a measurement, the reading beside the standard it misses."""
    words = []
    for text, atype, value, unit, item_unit, lo, hi in zip(
        rows["hazard_text"], rows["answer_type"], rows["value"], rows["unit"], rows["item_unit"], rows["range_lo"], rows["range_hi"]
    ):
        if atype == "measurement":
            shown = normalise_unit(unit or item_unit)
            words.append(
                f"{text}: measured {format_measure(float(value), shown)}; "
                f"target {format_range(_none(lo), _none(hi), item_unit, shown)}"
            )
        else:
            words.append(text)
    return words


ACTION_COLUMNS = [
    "rank", "band", "item_id", "room", "label", "key", "visit", "topic", "hazard", "action",
    "who", "cost", "severity", "priority", "note", "photos", "source",
]


def _action_table(items: pd.DataFrame, at_risk: bool) -> pd.DataFrame:
    """One row per hazard, most dangerous first and, among equals, cheap and do-it-yourself first."""
    col = _Columns(items)
    rows = np.flatnonzero(col["hazard"] & ((col["visit"] >= 0) | col["warning_sign"]))
    picked = {c: col[c][rows] for c in ACTION_COLUMNS if c not in ("rank", "hazard")}
    picked.update({c: col[c][rows] for c in ("cost_order", "who_order", "order")})
    picked["hazard"] = _object_array(_hazard_words(items.iloc[rows]))
    is_sign = picked["visit"] == -1
    picked["priority"] = np.where(is_sign, WARNING_SIGN_PRIORITY, picked["priority"].astype(float))
    picked["band"] = np.where(is_sign, "now", picked["band"]).astype(object)
    if at_risk:
        ot_visit = {
            "item_id": OT_VISIT_ID, "room": RESIDENT_ROOM, "label": "", "key": RESIDENT_ROOM, "visit": -1,
            "topic": "emergency", "hazard": "Screening shows a higher risk of falling",
            "action": OT_VISIT_ACTION, "who": "ot", "cost": "free", "severity": 3,
            "priority": OT_VISIT_PRIORITY, "band": "now", "note": "", "photos": (), "source": OT_VISIT_SOURCE,
            "cost_order": 0, "who_order": WHO.index("ot"), "order": -1,
        }
        for column, value in ot_visit.items():
            extra = np.empty(1, dtype=object if picked[column].dtype == object else picked[column].dtype)
            extra[0] = value
            picked[column] = np.concatenate([picked[column], extra])
    # Highest priority first; among equals cheaper, then do-it-yourself, then walking order.
    order = np.lexsort((picked["order"], picked["visit"], picked["who_order"], picked["cost_order"], -picked["priority"]))
    plan = {c: picked[c][order] for c in ACTION_COLUMNS if c != "rank"}
    plan["rank"] = np.arange(1, len(order) + 1)
    plan["severity"] = plan["severity"].astype(int)
    plan["visit"] = plan["visit"].astype(int)
    plan["priority"] = plan["priority"].astype(float)
    return pd.DataFrame({c: _objects(plan[c]) if plan[c].dtype == object else plan[c] for c in ACTION_COLUMNS})


def with_edits(actions: pd.DataFrame, edits: pd.DataFrame | None) -> pd.DataFrame:
    """The plan with the user's edits joined on (item_id, visit): ``done``, ``due`` and a changed ``who``.

    The ranking stays the scoring's; edits only record what the family or OT decided.
    """
    out = actions.copy()
    out["done"] = False
    out["due"] = None
    if edits is None or not len(edits) or not len(out):
        return out
    edit_of = {(row.item_id, int(row.visit)): row for row in edits.itertuples(index=False)}
    keys = list(zip(out["item_id"], out["visit"].astype(int)))
    found = [edit_of.get(key) for key in keys]
    out["done"] = [bool(e.done) if e is not None else False for e in found]
    out["due"] = _objects([getattr(e, "due", None) if e is not None else None for e in found])
    out["who"] = _objects([e.who if e is not None and getattr(e, "who", None) in WHO else w for e, w in zip(found, out["who"])])
    return out


# ---- helpers -----------------------------------------------------------------------------------


def _none(value: Any) -> Any:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def _clean(value: Any) -> Any:
    """Plain Python values for JSON: NaN becomes None, numpy numbers become int/float."""
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else float(value)
    if isinstance(value, tuple):
        return list(value)
    return value


def _records(frame: pd.DataFrame, columns: list[str]) -> list[dict[str, Any]]:
    present = [c for c in columns if c in frame.columns]
    return [{c: _clean(v) for c, v in zip(present, row)} for row in frame[present].itertuples(index=False, name=None)]
