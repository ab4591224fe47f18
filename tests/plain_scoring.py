"""The scoring rules of docs/scoring.md written the slow, obvious way: one item at a time.

Not used by the product. Two jobs: the property tests check that the vectorised pandas scoring
agrees with this readable version on random audits, and bench/score.py times it as the
plain-Python baseline.
"""

from __future__ import annotations

import math
from typing import Any

from homeaudit import scoring
from homeaudit.audit import Audit
from homeaudit.checklist import COSTS, RESIDENT_ROOM, WHO, Item, Library
from homeaudit.units import convert, normalise_unit


def is_hazard(item: Item, value: Any, unit: str | None) -> bool:
    if item.answer_type == "measurement":
        reading = convert(float(value), normalise_unit(unit or item.unit), item.unit)
        low, high = item.range
        return (low is not None and reading < low) or (high is not None and reading > high)
    return value in item.hazard_options


def score_plain(audit: Audit, library: Library) -> dict[str, Any]:
    """Overall score, risk level, coverage, hazards, Stay Independent score and room scores."""
    steadi, yes = 0, set()
    for item in library.items_of(RESIDENT_ROOM):
        answer = audit.resident.get(item.id)
        if answer is not None and answer.value not in (None, "na") and is_hazard(item, answer.value, answer.unit):
            steadi += item.steadi_points
            yes.add(item.id)
    fallen = scoring.FALL_ITEM in yes
    at_risk = steadi >= scoring.STEADI_AT_RISK or fallen
    higher = at_risk or scoring.OSTEOPOROSIS_ITEM in yes or scoring.LOW_VISION_ITEM in yes
    bone = scoring.OSTEOPOROSIS_ITEM in yes or scoring.BACK_PAIN_ITEM in yes

    lost = possible = answered = applicable = hazards = severe = 0
    rooms, plan = [], []
    for v, visit in enumerate(audit.rooms):
        room_lost = room_possible = 0
        if visit.present:
            for item in library.items_of(visit.room):
                answer = visit.answers.get(item.id)
                value = None if answer is None else answer.value
                if value == "na":
                    continue
                applicable += 1
                if value is None:
                    continue
                answered += 1
                room_possible += item.severity
                if is_hazard(item, value, answer.unit):
                    hazards += 1
                    severe += item.severity == 3
                    room_lost += item.severity
                    weight = scoring.EVIDENCE_WEIGHT[item.evidence] * item.severity
                    if item.fall_hazard and higher:
                        weight *= scoring.PERSON_MULTIPLIER
                    if item.evidence == "bone_back" and bone:
                        weight *= scoring.BONE_MULTIPLIER
                    plan.append((-round(weight, 3), COSTS.index(item.cost), WHO.index(item.who), v, list(library.items).index(item.id), item.id))
        lost += room_lost
        possible += room_possible
        rooms.append(round(100 * (1 - room_lost / room_possible), 1) if room_possible else None)

    score = round(100 * (1 - lost / possible), 1) if possible else None
    if score is None:
        level = "unknown"
    elif score < scoring.HIGH_SCORE_BELOW or severe >= scoring.HIGH_SEVERE_HAZARDS or (at_risk and severe >= 1):
        level = "high"
    elif score < scoring.MODERATE_SCORE_BELOW or severe >= 1 or at_risk:
        level = "moderate"
    else:
        level = "low"
    return {
        "score": score,
        "risk_level": level,
        "coverage": round(answered / applicable, 3) if applicable else 0.0,
        "hazards": hazards,
        "steadi_score": steadi,
        "at_risk": at_risk,
        "rooms": rooms,
        "plan": [entry[-1] for entry in sorted(plan)],
    }


def same_number(a: float | None, b: float | None) -> bool:
    if a is None or b is None or (isinstance(a, float) and math.isnan(a)) or (isinstance(b, float) and math.isnan(b)):
        return (a is None or a != a) and (b is None or b != b)
    return abs(a - b) < 1e-9
