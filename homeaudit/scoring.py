"""Scoring: answers and checklist items meet as DataFrames and become a :class:`Score`.

The rules (weights, bands, thresholds and their sources) are written out in docs/scoring.md;
this module is their only implementation. Everything is vectorised over one long table with a
row per (audit, room visit, item), so scoring one audit and scoring ten thousand are the same
code: :func:`score_many` gives a row per audit for a practice overview, and :func:`score` turns
one audit's rows into the frozen values of :mod:`homeaudit.results`. DataFrames never leave this
module except through :func:`score_many` and :func:`summarise`, which are tables by nature.
"""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, cast

import numpy as np
import pandas as pd

from homeaudit.audit import RESIDENT_TITLE, RESIDENT_VISIT, Audit, room_keys, visit_titles
from homeaudit.checklist import (
    BACK_PAIN_ITEM,
    FALL_ITEM,
    FALL_PLACE_ITEM,
    KNEE_HEIGHT_ITEM,
    LOW_VISION_ITEM,
    OSTEOPOROSIS_ITEM,
    RESIDENT_ROOM,
    TOPICS,
    Intervention,
    Item,
    Library,
    Option,
)
from homeaudit.plan import Need, Person, compose, first_name, found_words
from homeaudit.results import (
    HIGH_SCORE_BELOW,
    MODERATE_SCORE_BELOW,
    Finding,
    Overall,
    ResidentScreen,
    RoomScore,
    Score,
    ScoringError,
    TopicScore,
)
from homeaudit.units import DIMENSIONS, Reading, normalise_unit
from homeaudit.words import COSTS, STATUSES, WHO, RiskLevel

# ---- the rules (docs/scoring.md explains each number) --------------------------------------
EVIDENCE_WEIGHT = {"structural": 1.5, "common_fix": 1.3, "bone_back": 1.1, "general": 1.0}
PERSON_MULTIPLIER = 1.5  # fall hazards, when the resident is at higher risk of falling
BONE_MULTIPLIER = 1.5  # bending, seating, bed and posture items, with osteoporosis or back pain
FALL_ROOM_MULTIPLIER = 1.5  # fall hazards in the kind of room where the person fell
INCIDENT_MULTIPLIER = {"fell": 2.0, "near_miss": 1.5}  # a hazard where someone fell, or nearly fell
STEADI_AT_RISK = 4
HIGH_SEVERE_HAZARDS = 3
WARNING_SIGN_PRIORITY = 10.0
OT_VISIT_PRIORITY = 9.0
#: For a person at higher risk of falling, the floor of the steps the trials rest on (exercise, a
#: medicine review, a falls check, an alarm for someone alone: ``first_when_at_risk`` in
#: interventions.yaml): as high as the occupational therapist's visit a family is advised to ask
#: for, above every home fix but the ones in the room where the person fell (docs/scoring.md).
PERSON_STEP_PRIORITY = OT_VISIT_PRIORITY
#: How the report and the plan's "where" name the person, by who audited: an OT's client.
RESIDENT_TITLES = {"ot": "The client"}
PERSON_WORDS = {"ot": "The client", "family": "The resident"}
#: A reading meets a limit within half of its last digit: readings are typed to a tenth of a unit.
READING_PRECISION = 0.05

OT_VISIT_ID = "resident.ot_home_visit"
OT_VISIT_HAZARD = "Screening shows a higher risk of falling"
OT_VISIT_WHY = (
    "Home changes cut falls by about a third for people at higher risk, when an occupational "
    "therapist looks at the home with them."
)
OT_VISIT_ACTION = (
    "Ask the doctor for an occupational therapist's home visit. The screening answers show a "
    "higher risk of falling, and home changes prevent the most falls when an occupational "
    "therapist assesses the home with the person."
)
OT_VISIT_SOURCES = (
    (
        "Clemson L, Stark S, Pighills AC, et al. (2023). Environmental interventions for preventing falls in older people "
        "living in the community. Cochrane Database of Systematic Reviews."
    ),
    (
        "Pighills AC, Torgerson DJ, Sheldon TA, et al. (2011). Environmental assessment and modification to prevent falls "
        "in older people. Journal of the American Geriatrics Society 59(1)."
    ),
)
#: The id under which an intervention's row (and its plan edits) is kept: "intervention.medicine_review".
INTERVENTION_PREFIX = "intervention."


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
    knee_pos: int  # the position of the person's knee height item, or -1
    arrays: dict[str, np.ndarray]  # the frame's columns as numpy arrays, for fast indexing


@lru_cache(maxsize=8)
def item_table(library: Library) -> ItemTable:
    """One row per checklist item with the numbers scoring needs, grouped by room, walking order."""
    rows = []
    for order, item in enumerate(library.items.values()):
        factor = range_factor = np.nan
        if item.unit:
            factor = _unit_factors()[normalise_unit(item.unit)]
            range_factor = _unit_factors()[normalise_unit(item.range_unit or item.unit)]
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
                "range_unit": item.range_unit or "",
                "range_factor": range_factor,
                "range_lo": np.nan if not item.range or item.range[0] is None else item.range[0],
                "range_hi": np.nan if not item.range or item.range[1] is None else item.range[1],
                "knee_lo": item.knee_range[0] if item.knee_range else np.nan,
                "knee_hi": item.knee_range[1] if item.knee_range else np.nan,
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
            hazard_matrix[position, vocabulary.get_indexer(pd.Index(list(item.hazard_options), dtype=object))] = True
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
        na_code=int(vocabulary.get_indexer(pd.Index(["na"], dtype=object))[0]),
        item_index=pd.Index(frame["item_id"].to_numpy(object), dtype=object),
        knee_pos=list(library.items).index(KNEE_HEIGHT_ITEM) if KNEE_HEIGHT_ITEM in library.items else -1,
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
    #: value, unit, note and photos per answer row, as given (for people to read, one audit at a time)
    notes: dict[str, np.ndarray] | None = None


_VALUE, _UNIT = operator.attrgetter("value"), operator.attrgetter("unit")


def answer_table(audits: Sequence[Audit], library: Library, *, with_notes: bool = False) -> AnswerTable:
    """Flatten audits into an AnswerTable. The only per-answer Python in scoring lives here."""
    table = item_table(library)
    resident = table.room_codes.get(RESIDENT_ROOM, -1)
    v_audit: list[int] = []
    v_visit: list[int] = []
    v_room: list[int] = []
    v_present: list[bool] = []
    a_row: list[int] = []
    lengths: list[int] = []
    ids: list[str] = []
    values: list[str | float | None] = []
    units: list[str | None] = []
    notes: list[str] = []
    photos: list[tuple[str, ...]] = []
    bases: list[str | None] = []
    incidents: list[str | None] = []
    for a, audit in enumerate(audits):
        sections = [(RESIDENT_VISIT, resident, True, audit.resident)] + [
            (v, table.room_codes.get(r.room, -1), r.present, r.answers) for v, r in enumerate(audit.rooms)
        ]
        for v, room_code, present, section in sections:
            if room_code < 0:
                raise ScoringError(f"unknown room in audit {audit.id!r}: check the audit against the library first")
            v_audit.append(a)
            v_visit.append(v)
            v_room.append(room_code)
            v_present.append(present)
            if section:
                a_row.append(len(v_audit) - 1)
                lengths.append(len(section))
                ids.extend(section)
                given = section.values()
                values.extend(map(_VALUE, given))
                units.extend(map(_UNIT, given))
                if with_notes:
                    notes.extend([x.note for x in given])
                    photos.extend([x.photos for x in given])
                    bases.extend([x.basis for x in given])
                    incidents.extend([x.incident for x in given])
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
        },
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
        extra = {
            "value": value_array,
            "unit": unit_array,
            "note": _object_array(notes),
            "photos": _object_array(photos),
            "basis": _object_array(bases),
            "incident": _object_array(incidents),
        }
    return AnswerTable(visits=visits, answers=answers, notes=extra)


#: A table as named numpy arrays of one length: what the engine passes between its steps.
#: (A DataFrame per step costs more than the arithmetic for one audit; the tables that leave the
#: engine, :func:`score_table` and :func:`summarise`, are DataFrames.)
Columns = dict[str, np.ndarray]


def score_table(data: AnswerTable, library: Library) -> pd.DataFrame:
    """The long table as a DataFrame (see :func:`score_columns`)."""
    return _frame(score_columns(data, library))


def score_columns(data: AnswerTable, library: Library) -> Columns:
    """The long table: one row per (audit, room visit, item) with its status and points.

    Resident items appear once per audit with ``visit`` RESIDENT_VISIT. An item with no answer is
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

    # Measurements (a few rows): the reading in the range's unit, compared with the safe range.
    reading = np.full(len(row_visit), np.nan)
    low = np.full(len(row_visit), np.nan)
    high = np.full(len(row_visit), np.nan)
    personal = np.zeros(len(row_visit), dtype=bool)
    rows = np.flatnonzero(col["measurement"][item_pos] & ~np.isnan(number))
    if len(rows):
        pos, u = item_pos[rows], unit[rows]
        factor = np.where(u >= 0, table.unit_factor[np.maximum(u, 0)], col["unit_factor"][pos])
        to_range = factor / col["range_factor"][pos]
        reading[rows] = number[rows] * to_range
        low[rows], high[rows] = col["range_lo"][pos], col["range_hi"][pos]
        # A height that should fit the person is judged against their knee height when it was
        # measured (the checklist's range is then only the fallback).
        knee = _knee_heights(table, item_pos, audit_of_row, number, unit, int(visits["audit"].max()) + 1)[audit_of_row[rows]]
        fits = ~np.isnan(knee) & ~np.isnan(col["knee_lo"][pos])
        if fits.any():
            in_range_unit = knee[fits] / col["range_factor"][pos[fits]]
            low[rows[fits]] = in_range_unit + col["knee_lo"][pos[fits]]
            high[rows[fits]] = in_range_unit + col["knee_hi"][pos[fits]]
            personal[rows[fits]] = True
        # A reading meets a limit to the precision it is taken in (a tenth of its unit): 83.8 cm is on
        # a 33 in limit (83.82 cm), 83.7 cm is under it. The tolerance is that half-tenth in the
        # range's unit, plus a hair for floating point.
        tolerance = READING_PRECISION * to_range + 1e-9
        with np.errstate(invalid="ignore"):
            hazard_if_assessed[rows] = (reading[rows] < low[rows] - tolerance) | (reading[rows] > high[rows] + tolerance)

    present = visits["present"].to_numpy()[row_visit]
    assessed = present & answered & ~is_na
    hazard = assessed & hazard_if_assessed
    severity = col["severity"][item_pos]
    out: Columns = {
        "audit": audit_of_row,
        "visit": visit_no,
        "row_visit": row_visit,
        "item_pos": item_pos,
        "present": present,
        "reading": reading,
        "hazard": hazard,
        "answered": present & answered,
        "assessed": assessed,
        "lost": np.where(hazard, severity, 0),
        "possible": np.where(assessed, severity, 0),
    }
    if data.notes is not None:  # one audit, for people to read: the answers and their status
        out["number"] = number
        out["low"], out["high"], out["personal"] = low, high, personal
        code = STATUSES.index
        out["status_code"] = np.select(
            [~present, ~answered, is_na, hazard], [code("absent"), code("not_assessed"), code("na"), code("hazard")], code("safe")
        )
        notes = data.notes
        for column, fill in (("value", None), ("unit", None), ("note", ""), ("photos", ()), ("basis", None), ("incident", None)):
            values = notes[column]
            picked = np.empty(len(row_visit), dtype=object)
            picked.fill(fill)
            picked[found] = values[source[found]]
            out[column] = picked
        out["status"] = np.array(STATUSES, dtype=object)[out["status_code"]]
    return out


def _knee_heights(
    table: ItemTable, item_pos: np.ndarray, audit_of_row: np.ndarray, number: np.ndarray, unit: np.ndarray, n_audits: int
) -> np.ndarray:
    """Each audit's measured knee height in the base unit of length (NaN where not measured)."""
    knee = np.full(n_audits, np.nan)
    if table.knee_pos < 0:
        return knee
    given = np.flatnonzero((item_pos == table.knee_pos) & ~np.isnan(number))
    factor = np.where(
        unit[given] >= 0, table.unit_factor[np.maximum(unit[given], 0)], table.arrays["unit_factor"][table.knee_pos]
    )
    knee[audit_of_row[given]] = number[given] * factor
    return knee


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


def _object_array(values: Sequence[Any]) -> np.ndarray:
    """A list as a 1-d object array (no string inference, tuples kept whole)."""
    return np.fromiter(values, dtype=object, count=len(values))


def _positions(index: pd.Index, values: np.ndarray) -> np.ndarray:
    """Where each value stands in ``index`` (−1: absent), hashing plain objects.

    Wrapping the values in an object Index first stops pandas from converting them to Arrow
    strings, which costs more than the look-up itself.
    """
    return index.get_indexer(pd.Index(values, dtype=object, copy=False))


def _frame(columns: Columns, index: pd.Index | None = None) -> pd.DataFrame:
    """Named arrays as a DataFrame; text stays plain ``object`` columns (see :func:`_objects`)."""
    data = {name: _objects(values) if values.dtype == object else values for name, values in columns.items()}
    if index is not None:
        for values in data.values():
            if isinstance(values, pd.Series):
                values.index = index
    return pd.DataFrame(data, index=index, copy=False)


def _objects(values: np.ndarray | Sequence[Any]) -> pd.Series:
    """A column of plain Python objects: strings stay ``object`` (fast to index) rather than Arrow."""
    return pd.Series(values if isinstance(values, np.ndarray) else list(values), dtype=object)


# ---- the resident ----------------------------------------------------------------------------


def resident_columns(rows: Columns, library: Library, n_audits: int) -> Columns:
    """Per audit: Stay Independent score, at-risk flag and the conditions that change ranking."""
    table = item_table(library)
    resident = rows["visit"] == RESIDENT_VISIT
    audit = rows["audit"][resident]
    pos = rows["item_pos"][resident]
    yes = rows["hazard"][resident]
    total = _group_sums(audit, n_audits)

    def flag(item_id: str) -> np.ndarray:
        if item_id not in table.item_index:  # an OT's library may leave a condition out
            return np.zeros(n_audits, dtype=bool)
        return total(yes & (pos == table.item_index.get_loc(item_id))) > 0

    steadi = total(table.arrays["steadi_points"][pos] * yes).astype(int)
    fallen = flag(FALL_ITEM)
    at_risk = (steadi >= STEADI_AT_RISK) | fallen
    osteoporosis, back_pain, low_vision = flag(OSTEOPOROSIS_ITEM), flag(BACK_PAIN_ITEM), flag(LOW_VISION_ITEM)
    return {
        "steadi_score": steadi,
        "fallen": fallen,
        "at_risk": at_risk,
        "osteoporosis": osteoporosis,
        "back_pain": back_pain,
        "low_vision": low_vision,
        "higher_fall_risk": at_risk | osteoporosis | low_vision,
        "bone_or_back": osteoporosis | back_pain,
        "answered": total(rows["answered"][resident]).astype(int),
    }


def priorities(rows: Columns, person: Columns, library: Library, extra: np.ndarray | None = None) -> np.ndarray:
    """The priority of every row (docs/scoring.md, 'Ranking the action plan'); ``extra`` is a
    further multiplier per row (where the person fell, a fall noted on the answer)."""
    col = item_table(library).arrays
    pos = rows["item_pos"]
    audit = rows["audit"]
    return _priority(
        col["weight"][pos],
        col["fall_hazard"][pos],
        col["bone_back"][pos],
        person["higher_fall_risk"][audit],
        person["bone_or_back"][audit],
        extra,
    )


def priority_of(severity: int, evidence: str, fall_hazard: bool, bone_back: bool, person: Columns) -> float:
    """The same rule (:func:`_priority`) for one thing that is not a row of an audit, for the one
    audit: an intervention, which has no room, so no place or incident multiplier."""
    one = _priority(
        np.array([EVIDENCE_WEIGHT[evidence] * severity], dtype=float),
        np.array([fall_hazard]),
        np.array([bone_back]),
        person["higher_fall_risk"][:1],
        person["bone_or_back"][:1],
    )
    return float(one[0])


def _priority(
    weight: np.ndarray,
    fall_hazard: np.ndarray,
    bone_back: np.ndarray,
    higher: np.ndarray,
    bone: np.ndarray,
    extra: np.ndarray | None = None,
) -> np.ndarray:
    """The rule itself, written once: severity × evidence weight (``weight``) × the person
    multiplier for a fall hazard when the person is at higher risk × the bone multiplier for a
    bending or seating item with osteoporosis or back pain × any further multiplier per row."""
    multiplier = np.where(fall_hazard & higher, PERSON_MULTIPLIER, 1.0)
    multiplier *= np.where(bone_back & bone, BONE_MULTIPLIER, 1.0)
    if extra is not None:
        multiplier = multiplier * extra
    return np.round(weight * multiplier, 3)


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


def overall_columns(rows: Columns, person: Columns, library: Library) -> Columns:
    """Per audit: score, risk level, coverage and hazard counts (rooms of the home only)."""
    n = len(person["at_risk"])
    home = rows["visit"] >= 0
    hazard = rows["hazard"] & home
    severe_hazard = hazard & (item_table(library).arrays["severity"][rows["item_pos"]] == 3)

    total = _group_sums(rows["audit"], n)
    answered = total(rows["answered"] & home)
    questions = total(rows["present"] & home)
    severe = total(severe_hazard)
    score_ = _score(total(np.where(home, rows["lost"], 0)), total(np.where(home, rows["possible"], 0)))
    with np.errstate(invalid="ignore", divide="ignore"):
        coverage = np.where(questions > 0, np.round(answered / np.maximum(questions, 1), 3), 0.0)
    return {
        "score": score_,
        "risk_level": risk_levels(score_, severe, person["at_risk"]),
        "coverage": coverage,
        "hazards": total(hazard).astype(int),
        "severe_hazards": severe.astype(int),
        "answered": answered.astype(int),
        "questions": questions.astype(int),
        "steadi_score": person["steadi_score"],
        "at_risk": person["at_risk"],
    }


def score_many(audits: Sequence[Audit], library: Library) -> pd.DataFrame:
    """Score many audits at once: one row per audit (id, score, risk_level, coverage, …), same order."""
    out = summarise(answer_table(audits, library), library)
    out.insert(0, "id", _objects([a.id for a in audits]))
    return out


def summarise(data: AnswerTable, library: Library) -> pd.DataFrame:
    """Per-audit scores from audits already held as an AnswerTable (the vectorised hot path)."""
    rows = score_columns(data, library)
    n_audits = int(data.visits["audit"].max()) + 1 if len(data.visits) else 0
    person = resident_columns(rows, library, n_audits)
    return _frame(overall_columns(rows, person, library), index=pd.RangeIndex(n_audits, name="audit"))


def score(audit: Audit, library: Library) -> Score:
    """Score one audit: the values behind the app's results page, the report and the CLI."""
    columns = score_columns(answer_table([audit], library, with_notes=True), library)
    person = resident_columns(columns, library, 1)
    overall = overall_columns(columns, person, library)
    rows = _Rows(columns, library)
    fall_place = _fall_place(audit, library)
    priority = priorities(columns, person, library, _incident_multiplier(rows, fall_place))
    findings = _findings(rows)
    rooms = _rooms(rows, audit, library)
    resident = _resident(rows, person)
    needs = _needs(rows, findings, priority, person, audit, library, fall_place)
    role = audit.auditor.role
    facts = Person(
        name=first_name(audit.client.name, PERSON_WORDS.get(role, "The person")),
        osteoporosis=resident.osteoporosis,
        back_pain=resident.back_pain,
        fallen=resident.fallen,
        at_risk=resident.at_risk,
        fall_place=_place_words(fall_place, library),
    )
    actions, referrals = compose(needs, facts, audit.date)
    return Score(
        audit_id=audit.id,
        overall=Overall(
            score=_optional(overall["score"][0]),
            risk_level=cast(RiskLevel, overall["risk_level"][0]),
            coverage=float(overall["coverage"][0]),
            hazards=int(overall["hazards"][0]),
            severe_hazards=int(overall["severe_hazards"][0]),
            answered=int(overall["answered"][0]),
            questions=int(overall["questions"][0]),
        ),
        resident=resident,
        rooms=rooms,
        topics=_topics(rows),
        findings=findings,
        actions=actions,
        referrals=referrals,
        resident_title=RESIDENT_TITLES.get(role, RESIDENT_TITLE),
    )


class _Rows:
    """One audit's long table as numpy arrays, with the checklist's columns looked up per row."""

    def __init__(self, columns: Columns, library: Library) -> None:
        self.table = item_table(library)
        self.pos = columns["item_pos"]
        self.visit = columns["visit"]
        self.present = columns["present"]
        self.hazard = columns["hazard"]
        self.answered = columns["answered"]
        self.lost = columns["lost"]
        self.possible = columns["possible"]
        self.status = columns["status"]
        self.value = columns["value"]
        self.number = columns["number"]
        self.low, self.high, self.personal = columns["low"], columns["high"], columns["personal"]
        self.unit = columns["unit"]
        self.note = columns["note"]
        self.photos = columns["photos"]
        self.incident = columns["incident"]
        self.basis = columns["basis"]
        self.home = self.visit >= 0

    def item(self, column: str) -> np.ndarray:
        """A checklist column (``item_id``, ``topic``, ``severity`` …) for every row."""
        return self.table.arrays[column][self.pos]


def _findings(rows: _Rows) -> tuple[Finding, ...]:
    """A Finding per row; a measurement's number becomes a Reading with the item's range."""
    readings: list[Reading | None] = [None] * len(rows.pos)
    measured = np.flatnonzero(rows.item("measurement") & ~np.isnan(rows.number))
    if len(measured):
        col = rows.table.arrays
        for r in measured.tolist():
            p = rows.pos[r]
            readings[r] = Reading(
                value=float(rows.number[r]),
                unit=normalise_unit(rows.unit[r] or col["item_unit"][p]),
                low=_optional(rows.low[r]),
                high=_optional(rows.high[r]),
                range_unit=col["range_unit"][p],
                personal=bool(rows.personal[r]),
            )
    return tuple(
        map(
            Finding,
            rows.item("item_id").tolist(),
            rows.visit.tolist(),
            rows.item("room").tolist(),
            rows.item("topic").tolist(),
            rows.status.tolist(),
            rows.value.tolist(),
            readings,
            rows.note.tolist(),
            rows.photos.tolist(),
            rows.basis.tolist(),
            rows.incident.tolist(),
        )
    )


def _rooms(rows: _Rows, audit: Audit, library: Library) -> tuple[RoomScore, ...]:
    n = len(audit.rooms)
    home = rows.home
    visit = rows.visit[home]

    def total(values: np.ndarray) -> np.ndarray:
        return np.bincount(visit, weights=values[home].astype(float), minlength=n)

    scores = _score(total(rows.lost), total(rows.possible))
    hazards = total(rows.hazard).astype(int)
    answered = total(rows.answered).astype(int)
    questions = total(rows.present).astype(int)
    found = _ids_by(visit[rows.hazard[home]], rows.item("item_id")[home][rows.hazard[home]], n)
    titles, keys = visit_titles(audit, library), room_keys(audit.rooms)
    return tuple(
        RoomScore(
            visit=v,
            room=room.room,
            key=keys[v],
            label=room.label,
            title=titles[v],
            present=room.present,
            score=_optional(scores[v]),
            hazards=int(hazards[v]),
            hazard_items=found[v],
            answered=int(answered[v]),
            questions=int(questions[v]),
        )
        for v, room in enumerate(audit.rooms)
    )


def _topics(rows: _Rows) -> tuple[TopicScore, ...]:
    """The topics asked in the rooms present, in the order of TOPICS."""
    keep = rows.home & rows.present
    code = rows.item("topic_code")[keep]
    n = len(TOPICS)

    def total(values: np.ndarray) -> np.ndarray:
        return np.bincount(code, weights=values[keep].astype(float), minlength=n)

    asked = np.bincount(code, minlength=n) > 0
    scores = _score(total(rows.lost), total(rows.possible))
    hazards = total(rows.hazard).astype(int)
    is_hazard = rows.hazard[keep]
    found = _ids_by(code[is_hazard], rows.item("item_id")[keep][is_hazard], n)
    return tuple(
        TopicScore(topic=TOPICS[t], score=_optional(scores[t]), hazards=int(hazards[t]), hazard_items=found[t])
        for t in np.flatnonzero(asked).tolist()
    )


def _ids_by(group: np.ndarray, ids: np.ndarray, n: int) -> list[tuple[str, ...]]:
    """The ids of each group 0..n-1, in row order."""
    out: list[list[str]] = [[] for _ in range(n)]
    for g, item_id in zip(group.tolist(), ids.tolist(), strict=True):
        out[g].append(item_id)
    return [tuple(ids_) for ids_ in out]


def _resident(rows: _Rows, person: Columns) -> ResidentScreen:
    mine = rows.visit == RESIDENT_VISIT
    yes = mine & rows.hazard
    screen = rows.item("screen")
    ids = rows.item("item_id")

    def said_yes(kind: str) -> tuple[str, ...]:
        return tuple(ids[yes & (screen == kind)].tolist())

    return ResidentScreen(
        steadi_score=int(person["steadi_score"][0]),
        at_risk=bool(person["at_risk"][0]),
        fallen=bool(person["fallen"][0]),
        osteoporosis=bool(person["osteoporosis"][0]),
        back_pain=bool(person["back_pain"][0]),
        low_vision=bool(person["low_vision"][0]),
        steadi_items=tuple(ids[yes & (rows.item("steadi_points") > 0)].tolist()),
        warning_signs=said_yes("warning_sign"),
        risk_factors=said_yes("risk_factor"),
        conditions=said_yes("condition"),
        living_situation=said_yes("living"),
        answered=int(rows.answered[mine].sum()),
        questions=int(mine.sum()),
        steadi_unanswered=int((mine & (rows.item("steadi_points") > 0) & ~rows.answered).sum()),
    )


def _fall_place(audit: Audit, library: Library) -> str:
    """The kind of room where the person fell, if the audit says (a room id), else ""."""
    answer = audit.resident.get(FALL_PLACE_ITEM)
    value = answer.value if answer is not None else None
    return value if isinstance(value, str) and value in library.room_ids else ""


def _place_words(place: str, library: Library) -> str:
    """'on the stairs', 'in the bathroom': where the person fell, to follow 'fell'."""
    if not place:
        return ""
    return PLACE_WORDS.get(place) or f"in the {library.room_name(place).lower()}"


#: Where a fall happened, in words, where "in the <room name>" would read badly.
PLACE_WORDS = {"stairs": "on the stairs", "entrance": "at the entrance or on the outside steps"}


def _incident_multiplier(rows: _Rows, fall_place: str) -> np.ndarray:
    """Per row: how much what the auditor wrote down raises the priority: a fall hazard in the
    kind of room where the person fell, a hazard where someone fell or nearly fell."""
    multiplier = np.ones(len(rows.pos))
    if fall_place:
        multiplier *= np.where((rows.item("room") == fall_place) & rows.item("fall_hazard"), FALL_ROOM_MULTIPLIER, 1.0)
    for incident, factor in INCIDENT_MULTIPLIER.items():
        multiplier *= np.where(rows.incident == incident, factor, 1.0)
    return multiplier


def _needs(
    rows: _Rows,
    findings: tuple[Finding, ...],
    priority: np.ndarray,
    person: Columns,
    audit: Audit,
    library: Library,
    fall_place: str,
) -> list[Need]:
    """Everything the plan may list: each hazard of the home and each habit of the person that is
    one; each warning sign (see a doctor: always first); one row per intervention the answers
    about the person call for; and, for a family's audit of a person at higher risk of falling,
    an occupational therapist's visit (an OT's own audit never recommends one).

    One need, one row: a warning sign that calls for an intervention is that intervention's row
    (a recent fall and the falls check are one visit to the doctor), and a hazard an intervention
    covers joins its row when the intervention is called for (a phone out of reach is part of a
    personal alarm's row for someone who lives alone)."""
    col = rows.table.arrays
    screen = rows.item("screen")
    called = _called(rows, library)
    picked = np.flatnonzero(rows.hazard & (rows.home | (screen == "habit") | (screen == "warning_sign")))
    needs = []
    covered: dict[str, list[tuple[Finding, float]]] = {}
    for row in picked.tolist():
        p = rows.pos[row]
        item = library.items[col["item_id"][p]]
        finding = findings[row]
        if item.screen == "warning_sign" and item.intervention in called:
            continue  # the intervention's row (urgent) holds it
        if item.covered_by in called:
            covered.setdefault(item.covered_by, []).append((finding, float(priority[row])))
            continue
        urgent = item.screen == "warning_sign"
        option = next((o for o in item.options if o.value == finding.value), None)
        needs.append(
            Need(
                item_id=item.id,
                visit=finding.visit,
                room=item.room,
                topic=item.topic,
                hazard=item.hazard,
                finding=found_words(item.hazard, finding, option.label if option else ""),
                action=_action_words(item, option, audit),
                who=item.who,
                cost=item.cost,
                severity=item.severity,
                priority=WARNING_SIGN_PRIORITY if urgent else float(priority[row]),
                sources=tuple(library.sources_of(item.citations)),
                order=int(col["order"][p]),
                answers=(finding,),
                why=item.why or "",
                spec=item.spec or "",
                referral=item.referral,
                urgent=urgent,
                today=urgent and item.urgency == "today",
                fall_hazard=item.fall_hazard,
                bone_back=item.evidence == "bone_back",
                incident=rows.incident[row],
                fall_room=bool(fall_place) and item.room == fall_place,
            )
        )
    needs += _interventions(called, findings, person, library, covered)
    if bool(person["at_risk"][0]) and audit.auditor.role != "ot":
        needs.append(_ot_visit())
    declined = {d.item_id: d.reason or "declined" for d in audit.assessment.declined if d.item_id}
    if declined:
        needs = [dataclasses.replace(n, declined=declined[n.item_id]) if n.item_id in declined else n for n in needs]
    return needs


def _action_words(item: Item, option: Option | None, audit: Audit) -> str:
    """What to do: the chosen option's own fix, else the item's; in an OT's own audit, the OT's
    wording where the checklist has one (an OT does not tell the client to ask an OT)."""
    if option is not None and option.action:
        return option.action
    if audit.auditor.role == "ot" and item.ot_action:
        return item.ot_action
    return item.action or ""


def _called(rows: _Rows, library: Library) -> dict[str, list[int]]:
    """The interventions the answers about the person call for, each with the rows that call for
    it: the warning signs first (they make it urgent), then the others in the order asked."""
    called: dict[str, list[int]] = {}
    wanted = rows.hazard & (rows.visit == RESIDENT_VISIT)
    for row in np.flatnonzero(wanted).tolist():
        item = library.items[rows.table.arrays["item_id"][rows.pos[row]]]
        if item.intervention:
            called.setdefault(item.intervention, []).append(row)
    signs = rows.item("warning_sign")
    return {key: sorted(found, key=lambda r: not signs[r]) for key, found in called.items()}


def _interventions(
    called: dict[str, list[int]],
    findings: tuple[Finding, ...],
    person: Columns,
    library: Library,
    covered: dict[str, list[tuple[Finding, float]]],
) -> list[Need]:
    """One row per intervention that answers about the person call for, with those answers and
    the hazards it covers."""
    at_risk = bool(person["at_risk"][0])
    needs = []
    for number, (key, found_rows) in enumerate(called.items()):
        intervention = library.interventions[key]
        joined = covered.get(key, [])
        answers = tuple(findings[r] for r in found_rows) + tuple(finding for finding, _ in joined)
        signs = [library.items[a.item_id] for a in answers if library.items[a.item_id].screen == "warning_sign"]
        priority = intervention_priority(intervention, person, [p for _, p in joined], urgent=bool(signs))
        needs.append(
            Need(
                item_id=f"{INTERVENTION_PREFIX}{intervention.id}",
                visit=RESIDENT_VISIT,
                room=RESIDENT_ROOM,
                topic=intervention.topic,
                hazard=intervention.title,
                finding="; ".join(library.items[a.item_id].hazard for a in answers),
                action=intervention.action,
                who=intervention.who,
                cost=intervention.cost,
                severity=intervention.severity,
                priority=priority,
                sources=tuple(library.sources_of(intervention.source_refs)),
                order=-len(called) + number,  # the person before the rooms, in the order asked
                answers=answers,
                why=intervention.why or "",
                referral=intervention.referral,
                urgent=bool(signs),
                today=any(sign.urgency == "today" for sign in signs),
                lead=intervention.first_when_at_risk and at_risk,
                fall_hazard=intervention.fall_hazard,
                bone_back=intervention.evidence == "bone_back",
            )
        )
    return needs


def intervention_priority(
    intervention: Intervention, person: Columns, covered: Sequence[float] = (), *, urgent: bool = False
) -> float:
    """An intervention's priority (docs/scoring.md, "The person's own steps"): a warning sign's
    when one calls for it; else the item rule (:func:`priority_of`: no room, so no place or
    incident multiplier), raised to :data:`PERSON_STEP_PRIORITY` for one of the steps the trials
    rest on when the person is at higher risk, and to the priority of any hazard it covers (the
    strongest reason of the row wins)."""
    if urgent:
        return WARNING_SIGN_PRIORITY
    priority = priority_of(
        intervention.severity, intervention.evidence, intervention.fall_hazard, intervention.evidence == "bone_back", person
    )
    if intervention.first_when_at_risk and bool(person["at_risk"][0]):
        priority = max(priority, PERSON_STEP_PRIORITY)
    return max([priority, *covered])


def _ot_visit() -> Need:
    return Need(
        item_id=OT_VISIT_ID,
        visit=RESIDENT_VISIT,
        room=RESIDENT_ROOM,
        topic="emergency",
        hazard=OT_VISIT_HAZARD,
        finding=OT_VISIT_HAZARD,
        action=OT_VISIT_ACTION,
        who="doctor",  # the family asks the doctor; the OT visit is what comes of it
        cost="appointment",
        severity=3,
        priority=OT_VISIT_PRIORITY,
        sources=OT_VISIT_SOURCES,
        order=-1000,
        why=OT_VISIT_WHY,
        urgent=True,  # for a family, the step the trials rest on: first, beside the warning signs
    )


# ---- helpers -----------------------------------------------------------------------------------


def _optional(value: Any) -> float | None:
    """A number for a result field: NaN (nothing assessed) becomes None."""
    number = float(value)
    return None if number != number else number
