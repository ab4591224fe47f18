"""Scoring: what a reader expects from the examples, the rules of docs/scoring.md, and properties
that must hold for any audit."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from homeaudit import audit as audit_mod
from homeaudit import scoring
from homeaudit.audit import Answer, Audit, RoomVisit
from homeaudit.units import DIMENSIONS, convert, dimension_of

from audit_builders import EXAMPLES, full_audit, hazard_value, safe_value
from plain_scoring import same_number, score_plain


def example(library, name):
    return audit_mod.load(EXAMPLES / name, library)


# ---- the examples score as a reader would expect --------------------------------------------------


def test_the_hazardous_house_is_high_risk(library):
    result = scoring.score(example(library, "hazardous-house.yaml"), library)
    assert result.overall["risk_level"] == "high"
    assert result.resident["at_risk"] is True
    assert result.actions.iloc[0]["band"] == "now"


def test_the_safe_flat_is_low_risk_with_nothing_to_do(library):
    result = scoring.score(example(library, "safe-flat.yaml"), library)
    assert result.overall["risk_level"] == "low"
    assert result.overall["score"] == 100
    assert result.actions.empty


def test_the_half_finished_audit_counts_only_what_was_answered(library):
    result = scoring.score(example(library, "half-finished.yaml"), library)
    assert 0 < result.overall["coverage"] < 0.5
    untouched = result.rooms[result.rooms["room"] == "kitchen"].iloc[0]
    assert untouched["answered"] == 0 and untouched["score"] != untouched["score"]  # NaN: not assessed


# ---- rules --------------------------------------------------------------------------------------------


def test_an_empty_audit_is_not_assessed_rather_than_safe(library):
    result = scoring.score(audit_mod.blank(library), library)
    assert result.overall["score"] is None
    assert result.overall["risk_level"] == "unknown"
    assert result.overall["coverage"] == 0


def test_not_applicable_items_leave_the_score_and_coverage_alone(library):
    audit = full_audit(library, ["bathroom"])
    before = scoring.score(audit, library).overall
    audit.rooms[0].answers["bathroom.bath_mat"] = Answer(value="na")
    after = scoring.score(audit, library).overall
    assert after["score"] == before["score"] == 100
    assert after["coverage"] == 1 and after["applicable"] == before["applicable"] - 1


def test_a_room_not_in_the_home_is_left_out(library):
    audit = full_audit(library, ["bathroom", "stairs"], value=hazard_value)
    audit.rooms[1].present = False
    result = scoring.score(audit, library)
    assert result.rooms["present"].tolist() == [True, False]
    assert set(result.actions["room"]) == {"bathroom"}


def test_two_rooms_of_a_kind_are_scored_apart(library):
    audit = full_audit(library, ["bedroom", "bedroom"])
    audit.rooms[1].label = "Spare room"
    audit.rooms[1].answers["bedroom.rugs"] = Answer(value="no")
    rooms = scoring.score(audit, library).rooms
    assert rooms["key"].tolist() == ["bedroom", "bedroom-2"]
    assert rooms["score"].iloc[0] == 100 and rooms["score"].iloc[1] < 100


def test_units_are_read_whatever_their_spelling(library):
    audit = full_audit(library, ["bathroom"])
    audit.rooms[0].answers["bathroom.grab_bar_height"] = Answer(value=34, unit="IN ")
    assert audit.rooms[0].answers["bathroom.grab_bar_height"].unit == "in"
    assert scoring.score(audit, library).actions.empty  # 34 in = 86.4 cm, inside 84-92 cm


def test_measurements_in_inches_are_compared_in_the_items_unit(library):
    audit = full_audit(library, ["bathroom"])
    audit.rooms[0].answers["bathroom.grab_bar_height"] = Answer(value=34, unit="in")  # 86.4 cm: inside 84-92
    assert scoring.score(audit, library).actions.empty
    audit.rooms[0].answers["bathroom.grab_bar_height"] = Answer(value=30, unit="in")  # 76.2 cm: too low
    action = scoring.score(audit, library).actions.iloc[0]
    assert action["item_id"] == "bathroom.grab_bar_height"
    assert "measured 30 in (76.2 cm)" in action["hazard"] and "target 33.1–36.2 in (84–92 cm)" in action["hazard"]


def test_the_hazard_is_said_in_the_items_own_words(library):
    audit = full_audit(library, ["bathroom"])
    audit.rooms[0].answers["bathroom.grab_bar_toilet"] = Answer(value="no", note="wobbly <b>rail</b>")
    action = scoring.score(audit, library).actions.iloc[0]
    assert action["hazard"] == library.items["bathroom.grab_bar_toilet"].hazard
    assert action["note"] == "wobbly <b>rail</b>"


def test_a_fall_in_the_past_year_means_at_risk_and_asks_for_an_ot_visit(library):
    audit = full_audit(library, ["hallway"])
    audit.resident["resident.fallen_past_year"] = Answer(value="yes")
    result = scoring.score(audit, library)
    assert result.resident["steadi_score"] == 2 and result.resident["at_risk"]
    ot = result.actions[result.actions["item_id"] == scoring.OT_VISIT_ID].iloc[0]
    assert ot["band"] == "now" and ot["rank"] == 1
    assert result.overall["risk_level"] == "moderate"  # a safe hallway, but a person at risk


def test_four_stay_independent_points_mean_at_risk(library):
    audit = full_audit(library, ["hallway"])
    one_pointers = [i.id for i in library.items_of("resident") if i.steadi_points == 1]
    for item_id in one_pointers[:3]:
        audit.resident[item_id] = Answer(value="yes")
    assert not scoring.score(audit, library).resident["at_risk"]
    audit.resident[one_pointers[3]] = Answer(value="yes")
    assert scoring.score(audit, library).resident["at_risk"]


def test_a_warning_sign_puts_see_a_doctor_first(library):
    audit = full_audit(library, ["bathroom"], value=hazard_value)
    audit.resident["resident.sudden_back_pain"] = Answer(value="yes")
    result = scoring.score(audit, library)
    assert result.resident["warning_signs"] == ["resident.sudden_back_pain"]
    first = result.actions.iloc[0]
    assert first["item_id"] == "resident.sudden_back_pain" and first["who"] == "doctor" and first["band"] == "now"


def test_osteoporosis_raises_the_priority_of_fall_hazards(library):
    audit = full_audit(library, ["hallway"])
    audit.rooms[0].answers["hallway.loose_rugs"] = Answer(value="no")
    before = scoring.score(audit, library).actions.iloc[0]["priority"]
    audit.resident["resident.osteoporosis"] = Answer(value="yes")
    after = scoring.score(audit, library).actions.iloc[0]["priority"]
    assert after == pytest.approx(before * scoring.PERSON_MULTIPLIER)


def test_among_equally_dangerous_hazards_the_cheap_fix_comes_first(library):
    audit = full_audit(library, [r.room for r in library.home_rooms], value=hazard_value)
    plan = scoring.score(audit, library).actions
    for _, group in plan.groupby("priority"):
        costs = [scoring.COSTS.index(c) for c in group["cost"]]
        assert costs == sorted(costs)
    assert plan["priority"].is_monotonic_decreasing
    assert list(plan["band"]) == sorted(plan["band"], key=scoring.BANDS.index)


def test_the_same_audit_always_gives_the_same_output(library):
    audit = example(library, "hazardous-house.yaml")
    first = json.dumps(scoring.score(audit, library).to_dict(), sort_keys=True)
    second = json.dumps(scoring.score(audit_mod.loads(audit_mod.dumps(audit), library), library).to_dict(), sort_keys=True)
    assert first == second


def test_scoring_many_audits_agrees_with_scoring_each(library):
    audits = [example(library, n) for n in ("safe-flat.yaml", "hazardous-house.yaml", "half-finished.yaml")]
    many = scoring.score_many(audits, library)
    for row, audit in zip(many.itertuples(), audits):
        one = scoring.score(audit, library).overall
        assert same_number(row.score, one["score"]) and row.risk_level == one["risk_level"]
        assert row.coverage == one["coverage"]


def test_an_answer_for_an_unknown_item_cannot_be_scored(library):
    audit = Audit(rooms=[RoomVisit(room="bathroom", answers={"bathroom.jacuzzi": Answer(value="no")})])
    with pytest.raises(scoring.ScoringError, match="bathroom.jacuzzi"):
        scoring.score(audit, library)


# ---- properties -------------------------------------------------------------------------------------


@st.composite
def audits(draw, library):
    """Random audits: any rooms (repeats allowed, some not present), any subset of answers."""
    home = [r.room for r in library.home_rooms]
    rooms = draw(st.lists(st.sampled_from(home), min_size=1, max_size=4))
    visits = []
    for room in rooms:
        answers = {}
        for item in library.items_of(room):
            choice = draw(st.sampled_from(["skip", "safe", "hazard", "na"]))
            if choice == "skip":
                continue
            if item.answer_type == "measurement" and choice != "na":
                unit = draw(st.sampled_from([None, *DIMENSIONS[dimension_of(item.unit)].units]))
                low, high = (convert(b, item.unit, unit or item.unit) for b in item.plausible)
                value = draw(st.floats(min_value=low, max_value=min(high, 400), allow_nan=False))
                answers[item.id] = Answer(value=value, unit=unit)
            else:
                value = {"safe": safe_value, "hazard": hazard_value}.get(choice, lambda i: "na")(item)
                answers[item.id] = Answer(value=value)
        visits.append(RoomVisit(room=room, present=draw(st.booleans()) or len(rooms) == 1, answers=answers))
    resident = {
        i.id: Answer(value=draw(st.sampled_from(["yes", "no"])))
        for i in library.items_of("resident")
        if draw(st.booleans())
    }
    return Audit(id="random", resident=resident, rooms=visits)


def scores(result) -> list[float]:
    values = [result.overall["score"]] + result.rooms["score"].tolist() + result.topics["score"].tolist()
    return [v for v in values if v is not None and v == v]


PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@PROPERTY
@given(data=st.data())
def test_every_score_stays_between_0_and_100(library, data):
    result = scoring.score(data.draw(audits(library)), library)
    assert all(0 <= s <= 100 for s in scores(result))
    assert 0 <= result.overall["coverage"] <= 1
    assert 0 <= result.resident["steadi_score"] <= 14


def _safe_answers(audit: Audit, library):
    for v, visit in enumerate(audit.rooms):
        for item_id, answer in visit.answers.items():
            item = library.items[item_id]
            if answer.value not in (None, "na") and item.answer_type != "measurement" and answer.value not in item.hazard_options:
                yield v, item_id


@PROPERTY
@given(data=st.data())
def test_turning_a_safe_answer_into_a_hazard_never_raises_a_score(library, data):
    audit = data.draw(audits(library))
    safe = list(_safe_answers(audit, library))
    if not safe:
        return
    v, item_id = data.draw(st.sampled_from(safe))
    before = scoring.score(audit, library)
    worse = audit.model_copy(deep=True)
    worse.rooms[v].answers[item_id] = Answer(value=hazard_value(library.items[item_id]))
    after = scoring.score(worse, library)
    if before.overall["score"] is not None:
        assert after.overall["score"] <= before.overall["score"]
    b, a = before.rooms["score"].iloc[v], after.rooms["score"].iloc[v]
    assert not (a > b)
    topics = before.topics.merge(after.topics, on="topic", suffixes=("_b", "_a"))
    assert not (topics["score_a"] > topics["score_b"]).any()
    order = ["unknown", "low", "moderate", "high"]
    assert order.index(after.overall["risk_level"]) >= order.index(before.overall["risk_level"])


@PROPERTY
@given(data=st.data())
def test_leaving_an_item_unanswered_never_raises_coverage(library, data):
    audit = data.draw(audits(library))
    answered = [(v, k) for v, r in enumerate(audit.rooms) for k in r.answers]
    if not answered:
        return
    v, item_id = data.draw(st.sampled_from(answered))
    before = scoring.score(audit, library).overall["coverage"]
    less = audit.model_copy(deep=True)
    del less.rooms[v].answers[item_id]
    assert scoring.score(less, library).overall["coverage"] <= before


@PROPERTY
@given(data=st.data())
def test_the_vectorised_scoring_agrees_with_the_plain_rules(library, data):
    audit = data.draw(audits(library))
    result = scoring.score(audit, library)
    plain = score_plain(audit, library)
    assert same_number(result.overall["score"], plain["score"])
    assert result.overall["risk_level"] == plain["risk_level"]
    assert result.overall["coverage"] == plain["coverage"]
    assert result.overall["hazards"] == plain["hazards"]
    assert result.resident["steadi_score"] == plain["steadi_score"]
    assert result.resident["at_risk"] == plain["at_risk"]
    assert all(same_number(a, b) for a, b in zip(result.rooms["score"].tolist(), plain["rooms"]))
    home_plan = result.actions[result.actions["visit"] >= 0]["item_id"].tolist()
    assert home_plan == plain["plan"]
    many = scoring.score_many([audit, audit], library)
    assert all(same_number(s, plain["score"]) for s in many["score"])
