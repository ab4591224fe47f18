"""The scoring rules of docs/scoring.md written the slow, obvious way: one item at a time.

Not used by the product. Two jobs: the property tests check that the vectorised pandas scoring
agrees with this readable version on random audits, field by field, and bench/score.py times it
as the plain-Python baseline.
"""

from __future__ import annotations

import math
from typing import Any

from homeaudit import scoring
from homeaudit.audit import RESIDENT_VISIT, Audit
from homeaudit.checklist import FALL_PLACE_ITEM, KNEE_HEIGHT_ITEM, RESIDENT_ROOM, TOPICS, Item, Library
from homeaudit.units import convert, normalise_unit


def is_hazard(item: Item, value: Any, unit: str | None, knee_cm: float | None = None) -> bool:
    if item.answer_type == "measurement":
        if item.range is None:  # a measurement of the person (knee height): never a hazard
            return False
        unit = normalise_unit(unit or item.unit)
        low, high = item.range
        if item.knee_range is not None and knee_cm is not None:  # fitted to the person's knee height
            knee = convert(knee_cm, "cm", item.range_unit)
            low, high = knee + item.knee_range[0], knee + item.knee_range[1]
        reading = convert(float(value), unit, item.range_unit)
        # A reading on a limit, to a tenth of the unit it was taken in, meets it.
        tolerance = convert(scoring.READING_PRECISION, unit, item.range_unit) + 1e-9
        return (low is not None and reading < low - tolerance) or (high is not None and reading > high + tolerance)
    return value in item.hazard_options


def status(item: Item, value: Any, unit: str | None, present: bool, knee_cm: float | None = None) -> str:
    if not present:
        return "absent"
    if value is None:
        return "not_assessed"
    if value == "na":
        return "na"
    return "hazard" if is_hazard(item, value, unit, knee_cm) else "safe"


def _score(lost: int, possible: int) -> float | None:
    return round(100 * (1 - lost / possible), 1) if possible else None


def score_plain(audit: Audit, library: Library) -> dict[str, Any]:
    """Every field of a Score that the rules decide, as plain dicts and lists."""
    statuses: dict[tuple[int, str], str] = {}
    knee_answer = audit.resident.get(KNEE_HEIGHT_ITEM)
    knee_cm = None
    if knee_answer is not None and isinstance(knee_answer.value, (int, float)):
        knee_cm = convert(float(knee_answer.value), knee_answer.unit or library.items[KNEE_HEIGHT_ITEM].unit, "cm")
    place = audit.resident.get(FALL_PLACE_ITEM)
    fall_place = place.value if place is not None else None

    # The person.
    steadi, yes, resident_answered, steadi_unanswered = 0, [], 0, 0
    for item in library.items_of(RESIDENT_ROOM):
        answer = audit.resident.get(item.id)
        value = None if answer is None else answer.value
        statuses[(RESIDENT_VISIT, item.id)] = found = status(item, value, None if answer is None else answer.unit, True, knee_cm)
        resident_answered += value is not None
        steadi_unanswered += value is None and item.steadi_points > 0
        if found == "hazard":
            steadi += item.steadi_points
            yes.append(item)
    said = {item.id for item in yes}
    fallen = scoring.FALL_ITEM in said
    at_risk = steadi >= scoring.STEADI_AT_RISK or fallen
    higher = at_risk or scoring.OSTEOPOROSIS_ITEM in said or scoring.LOW_VISION_ITEM in said
    bone = scoring.OSTEOPOROSIS_ITEM in said or scoring.BACK_PAIN_ITEM in said

    def priority(item: Item, room: str) -> float:
        weight = scoring.EVIDENCE_WEIGHT[item.evidence] * item.severity
        if item.fall_hazard and higher:
            weight *= scoring.PERSON_MULTIPLIER
        if item.evidence == "bone_back" and bone:
            weight *= scoring.BONE_MULTIPLIER
        if item.fall_hazard and room == fall_place:
            weight *= scoring.FALL_ROOM_MULTIPLIER
        return round(weight, 3)

    # The interventions the answers about the person call for, each with the answers that call for it.
    called: dict[str, list[Item]] = {}
    for item in yes:
        if item.intervention:
            called.setdefault(item.intervention, []).append(item)
    # A hazard an intervention covers joins that intervention's row; its priority is one of the row's reasons.
    covered: dict[str, list[float]] = {}

    plan: dict[tuple[str, int], float] = {}
    for item in yes:
        if item.screen == "warning_sign" and item.intervention not in called:
            plan[(item.id, RESIDENT_VISIT)] = scoring.WARNING_SIGN_PRIORITY
        elif item.screen == "habit" and item.covered_by in called:
            covered.setdefault(item.covered_by, []).append(priority(item, RESIDENT_ROOM))
        elif item.screen == "habit":
            plan[(item.id, RESIDENT_VISIT)] = priority(item, RESIDENT_ROOM)
    if at_risk and audit.auditor.role != "ot":
        plan[(scoring.OT_VISIT_ID, RESIDENT_VISIT)] = scoring.OT_VISIT_PRIORITY

    # The rooms.
    lost = possible = answered = questions = hazards = severe = 0
    rooms = []
    topics: dict[str, dict[str, Any]] = {}
    for v, visit in enumerate(audit.rooms):
        room = {"score": None, "hazards": 0, "hazard_items": [], "answered": 0, "questions": 0}
        room_lost = room_possible = 0
        for item in library.items_of(visit.room):
            answer = visit.answers.get(item.id)
            value = None if answer is None else answer.value
            found = status(item, value, None if answer is None else answer.unit, visit.present, knee_cm)
            statuses[(v, item.id)] = found
            if not visit.present:
                continue
            topic = topics.setdefault(item.topic, {"lost": 0, "possible": 0, "hazards": 0, "hazard_items": []})
            room["questions"] += 1
            room["answered"] += value is not None
            if found not in ("safe", "hazard"):
                continue
            room_possible += item.severity
            topic["possible"] += item.severity
            if found == "hazard":
                room["hazards"] += 1
                room["hazard_items"].append(item.id)
                topic["hazards"] += 1
                topic["hazard_items"].append(item.id)
                severe += item.severity == 3
                room_lost += item.severity
                topic["lost"] += item.severity
                if item.covered_by in called:
                    covered.setdefault(item.covered_by, []).append(priority(item, visit.room))
                else:
                    plan[(item.id, v)] = priority(item, visit.room)
        room["score"] = _score(room_lost, room_possible)
        rooms.append(room)
        lost, possible = lost + room_lost, possible + room_possible
        answered, questions, hazards = answered + room["answered"], questions + room["questions"], hazards + room["hazards"]

    # One row per intervention: a warning sign's priority when a warning sign calls for it, else the
    # item rule without a room (no place multiplier), at least the person's-step floor for a person
    # at higher risk, and at least the priority of any hazard it covers.
    for key, items in called.items():
        intervention = library.interventions[key]
        if any(item.screen == "warning_sign" for item in items):
            value = scoring.WARNING_SIGN_PRIORITY
        else:
            weight = scoring.EVIDENCE_WEIGHT[intervention.evidence] * intervention.severity
            if intervention.fall_hazard and higher:
                weight *= scoring.PERSON_MULTIPLIER
            if intervention.evidence == "bone_back" and bone:
                weight *= scoring.BONE_MULTIPLIER
            value = round(weight, 3)
            if intervention.first_when_at_risk and at_risk:
                value = max(value, scoring.PERSON_STEP_PRIORITY)
            value = max([value, *covered.get(key, [])])
        plan[(scoring.INTERVENTION_PREFIX + key, RESIDENT_VISIT)] = value

    score = _score(lost, possible)
    if score is None:
        level = "unknown"
    elif score < scoring.HIGH_SCORE_BELOW or severe >= scoring.HIGH_SEVERE_HAZARDS or (at_risk and severe >= 1):
        level = "high"
    elif score < scoring.MODERATE_SCORE_BELOW or severe >= 1 or at_risk:
        level = "moderate"
    else:
        level = "low"
    return {
        "overall": {
            "score": score,
            "risk_level": level,
            "coverage": round(answered / questions, 3) if questions else 0.0,
            "hazards": hazards,
            "severe_hazards": severe,
            "answered": answered,
            "questions": questions,
        },
        "resident": {
            "steadi_score": steadi,
            "at_risk": at_risk,
            "fallen": fallen,
            "steadi_items": [i.id for i in yes if i.steadi_points],
            "warning_signs": [i.id for i in yes if i.screen == "warning_sign"],
            "risk_factors": [i.id for i in yes if i.screen == "risk_factor"],
            "conditions": [i.id for i in yes if i.screen == "condition"],
            "living_situation": [i.id for i in yes if i.screen == "living"],
            "answered": resident_answered,
            "questions": len(library.items_of(RESIDENT_ROOM)),
            "steadi_unanswered": steadi_unanswered,
        },
        "rooms": rooms,
        "topics": [
            {
                "topic": t,
                "score": _score(topics[t]["lost"], topics[t]["possible"]),
                "hazards": topics[t]["hazards"],
                "hazard_items": topics[t]["hazard_items"],
            }
            for t in TOPICS
            if t in topics
        ],
        "statuses": statuses,
        "plan": plan,  # (item id, visit) -> priority, for every row of the plan
    }


def same_number(a: float | None, b: float | None) -> bool:
    if a is None or b is None or (isinstance(a, float) and math.isnan(a)) or (isinstance(b, float) and math.isnan(b)):
        return (a is None or a != a) and (b is None or b != b)
    return abs(a - b) < 1e-9
