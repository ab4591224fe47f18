"""Scoring: what a reader expects from the examples, the rules of docs/scoring.md, and properties
that must hold for any audit."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from homeaudit import audit as audit_mod
from homeaudit import scoring
from homeaudit.audit import RESIDENT_VISIT, Answer, Audit, RoomVisit
from homeaudit.plan import PlanEdit
from homeaudit.results import Score
from homeaudit.units import DIMENSIONS, Reading, convert, dimension_of
from homeaudit.words import BANDS, COSTS, RISK_LEVELS

from audit_builders import EXAMPLES, full_audit, hazard_value, safe_value
from plain_scoring import same_number, score_plain


def example(library, name):
    return audit_mod.load(EXAMPLES / name, library)


def only(actions, item_id):
    [found] = [a for a in actions if a.item_id == item_id]
    return found


# ---- the examples score as a reader would expect --------------------------------------------------


def test_the_hazardous_house_is_high_risk(library):
    result = scoring.score(example(library, "hazardous-house.yaml"), library)
    assert result.overall.risk_level == "high"
    assert result.resident.at_risk is True and result.resident.fallen is True
    assert result.actions[0].band == "now"


def test_the_safe_flat_is_low_risk_with_nothing_to_fix_in_the_home(library):
    result = scoring.score(example(library, "safe-flat.yaml"), library)
    assert result.overall.risk_level == "low"
    assert result.overall.score == 100
    assert [a for a in result.actions if a.visit != RESIDENT_VISIT] == []
    # what the person said (worried about falling, past the menopause) still calls for its steps
    assert all(a.item_id.startswith(scoring.INTERVENTION_PREFIX) for a in result.actions)


def test_the_half_finished_audit_counts_only_what_was_answered(library):
    result = scoring.score(example(library, "half-finished.yaml"), library)
    assert 0 < result.overall.coverage < 0.5
    [untouched] = [room for room in result.rooms if room.room == "kitchen"]
    assert untouched.answered == 0 and untouched.score is None  # not assessed, not safe


# ---- rules --------------------------------------------------------------------------------------------


def test_an_empty_audit_is_not_assessed_rather_than_safe(library):
    result = scoring.score(audit_mod.blank(library), library)
    assert result.overall.score is None
    assert result.overall.risk_level == "unknown"
    assert result.overall.coverage == 0


def test_not_applicable_is_answered_but_leaves_the_score_alone(library):
    audit = full_audit(library, ["bathroom"])
    before = scoring.score(audit, library).overall
    audit.rooms[0].answers["bathroom.bath_mat"] = Answer(value="na")
    after = scoring.score(audit, library).overall
    assert after.score == before.score == 100
    assert after.coverage == 1 and after.answered == before.answered == after.questions


def test_a_room_not_in_the_home_is_left_out(library):
    audit = full_audit(library, ["bathroom", "stairs"], value=hazard_value)
    audit.rooms[1].present = False
    result = scoring.score(audit, library)
    assert [room.present for room in result.rooms] == [True, False]
    assert {action.room for action in result.actions} == {"bathroom"}
    assert {f.status for f in result.findings_in(1)} == {"absent"}


def test_two_rooms_of_a_kind_are_scored_apart(library):
    audit = full_audit(library, ["bedroom", "bedroom"])
    audit.rooms[1].label = "Spare room"
    audit.rooms[1].answers["bedroom.rugs"] = Answer(value="no")
    rooms = scoring.score(audit, library).rooms
    assert [room.key for room in rooms] == ["bedroom", "bedroom-2"]
    assert [room.title for room in rooms] == ["Bedroom 1", "Spare room"]
    assert rooms[0].score == 100 and rooms[1].score < 100
    assert rooms[1].hazard_items == ("bedroom.rugs",)


def test_units_are_read_whatever_their_spelling(library):
    audit = full_audit(library, ["bathroom"])
    audit.rooms[0].answers["bathroom.grab_bar_height"] = Answer(value=34, unit="IN ")
    assert audit.rooms[0].answers["bathroom.grab_bar_height"].unit == "in"
    assert scoring.score(audit, library).actions == ()  # 34 in = 86.4 cm, inside 84-92 cm


def test_a_reading_travels_as_a_value_with_its_unit_and_range(library):
    audit = full_audit(library, ["bathroom"])
    audit.rooms[0].answers["bathroom.grab_bar_height"] = Answer(value=34, unit="in")  # 86.4 cm: inside 84-92
    assert scoring.score(audit, library).actions == ()
    audit.rooms[0].answers["bathroom.grab_bar_height"] = Answer(value=30, unit="in")  # 76.2 cm: too low
    action = scoring.score(audit, library).actions[0]
    item = library.items["bathroom.grab_bar_height"]
    assert action.item_id == item.id and action.hazard == item.hazard
    [answer] = action.answers
    assert answer.status == "hazard"
    assert answer.reading == Reading(value=30.0, unit="in", low=item.range[0], high=item.range[1], range_unit=item.range_unit)
    assert action.finding.startswith("measured 30 in (76.2 cm); target ")


def test_every_question_has_a_finding_whatever_its_status(library):
    audit = full_audit(library, ["bathroom", "kitchen"])
    del audit.rooms[1].answers["kitchen.worktop_shadow_free"]
    result = scoring.score(audit, library)
    questions = len(library.items_of("bathroom")) + len(library.items_of("kitchen")) + len(library.items_of("resident"))
    assert len(result.findings) == questions
    [missing] = [f for f in result.findings if f.status == "not_assessed" and f.visit != RESIDENT_VISIT]
    assert (missing.visit, missing.item_id, missing.value) == (1, "kitchen.worktop_shadow_free", None)


def test_the_hazard_is_said_in_the_items_own_words(library):
    audit = full_audit(library, ["bathroom"])
    audit.rooms[0].answers["bathroom.grab_bar_toilet"] = Answer(value="no", note="wobbly <b>rail</b>")
    action = scoring.score(audit, library).actions[0]
    assert action.hazard == library.items["bathroom.grab_bar_toilet"].hazard
    assert action.note == "wobbly <b>rail</b>"
    assert action.answers[0].value == "no" and action.finding == action.hazard


def test_a_fall_in_the_past_year_means_at_risk_and_asks_for_an_ot_visit(library):
    audit = full_audit(library, ["hallway"])
    audit.resident["resident.fallen_past_year"] = Answer(value="yes")
    result = scoring.score(audit, library)
    assert result.resident.steadi_score == 2 and result.resident.at_risk and result.resident.fallen
    ot = only(result.actions, scoring.OT_VISIT_ID)
    assert ot.band == "now" and ot.answers == () and ot.visit == RESIDENT_VISIT
    assert ot.who == "doctor"  # the family asks the doctor for it: not a job on the OT's own list
    assert result.overall.risk_level == "moderate"  # a safe hallway, but a person at risk


def test_four_stay_independent_points_mean_at_risk(library):
    audit = full_audit(library, ["hallway"])
    one_pointers = [i.id for i in library.items_of("resident") if i.steadi_points == 1]
    for item_id in one_pointers[:3]:
        audit.resident[item_id] = Answer(value="yes")
    assert not scoring.score(audit, library).resident.at_risk
    audit.resident[one_pointers[3]] = Answer(value="yes")
    result = scoring.score(audit, library)
    assert result.resident.at_risk and not result.resident.fallen
    assert result.resident.steadi_items == tuple(one_pointers[:4])


def test_a_screen_with_questions_left_never_says_no_higher_risk(library):
    """Three points and nine questions unanswered could still be twelve points: say what is missing."""
    audit = full_audit(library, ["hallway"])
    steadi = [i for i in library.items_of("resident") if i.steadi_points]
    audit.resident = {
        i.id: Answer(value="no") for i in library.items_of("resident") if not i.steadi_points and i.answer_type == "yes_no"
    }
    for item in steadi[:3]:
        audit.resident[item.id] = Answer(value="no")
    partial = scoring.score(audit, library).resident
    assert not partial.at_risk and partial.steadi_unanswered == len(steadi) - 3
    assert "no higher risk" not in partial.verdict and f"{len(steadi) - 3} of its questions not answered" in partial.verdict
    for item in steadi:
        audit.resident[item.id] = Answer(value="no")
    finished = scoring.score(audit, library).resident
    assert finished.steadi_unanswered == 0 and finished.verdict.startswith("no higher risk of falling")


def test_a_warning_sign_puts_see_a_doctor_first(library):
    audit = full_audit(library, ["bathroom"], value=hazard_value)
    audit.resident["resident.sudden_back_pain"] = Answer(value="yes")
    result = scoring.score(audit, library)
    assert result.resident.warning_signs == ("resident.sudden_back_pain",)
    first = result.actions[0]
    assert (first.item_id, first.who, first.band) == ("resident.sudden_back_pain", "doctor", "now")


def test_osteoporosis_raises_the_priority_of_fall_hazards(library):
    audit = full_audit(library, ["hallway"])
    audit.rooms[0].answers["hallway.loose_rugs"] = Answer(value="no")
    before = scoring.score(audit, library).actions[0].priority
    audit.resident["resident.osteoporosis"] = Answer(value="yes")
    after = scoring.score(audit, library).actions[0].priority
    assert after == pytest.approx(before * scoring.PERSON_MULTIPLIER)


def test_among_equally_dangerous_hazards_the_cheap_fix_comes_first(library):
    audit = full_audit(library, [r.room for r in library.home_rooms], value=hazard_value)
    plan = scoring.score(audit, library).actions
    for band in BANDS:
        rows = [a for a in plan if a.band == band]
        assert [a.priority for a in rows] == sorted((a.priority for a in rows), reverse=True)
        for priority in {a.priority for a in rows}:
            costs = [COSTS.index(a.cost) for a in rows if a.priority == priority and a.cost != "appointment"]
            assert costs == sorted(costs)
    assert [a.band for a in plan] == sorted((a.band for a in plan), key=BANDS.index)
    assert [a.rank for a in plan] == list(range(1, len(plan) + 1))
    assert sum(a.band == "now" for a in plan) <= 5


def test_the_same_audit_always_gives_the_same_output(library):
    audit = example(library, "hazardous-house.yaml")
    first = json.dumps(scoring.score(audit, library).to_dict(), sort_keys=True)
    second = json.dumps(scoring.score(audit_mod.loads(audit_mod.dumps(audit), library), library).to_dict(), sort_keys=True)
    assert first == second


def test_scoring_many_audits_agrees_with_scoring_each(library):
    audits = [example(library, n) for n in ("safe-flat.yaml", "hazardous-house.yaml", "half-finished.yaml")]
    many = scoring.score_many(audits, library)
    for row, audit in zip(many.itertuples(), audits, strict=True):
        one = scoring.score(audit, library).overall
        assert row.id == audit.id
        assert same_number(row.score, one.score) and row.risk_level == one.risk_level
        assert (row.coverage, row.answered, row.questions) == (one.coverage, one.answered, one.questions)


def test_an_answer_for_an_unknown_item_cannot_be_scored(library):
    audit = Audit(rooms=[RoomVisit(room="bathroom", answers={"bathroom.jacuzzi": Answer(value="no")})])
    with pytest.raises(scoring.ScoringError, match=r"bathroom\.jacuzzi"):
        scoring.score(audit, library)


# ---- the plan's edits and the plan as a table ---------------------------------------------------------


def test_edits_mark_actions_done_and_change_who_and_when_but_never_the_order(library):
    result = scoring.score(example(library, "hazardous-house.yaml"), library)
    first, second = result.actions[0], result.actions[1]
    due = dt.date(2026, 12, 24)
    edited = result.with_edits(
        [
            PlanEdit(first.item_id, first.visit, done=True),
            PlanEdit(second.item_id, second.visit, who="handyperson", due=due),
            PlanEdit("bathroom.no_such_item", 0, done=True),  # an action no longer in the plan
        ]
    )
    assert isinstance(edited, Score) and edited is not result
    assert edited.actions[0].done and not result.actions[0].done  # values: the original is unchanged
    assert (edited.actions[1].who, edited.actions[1].due, edited.actions[1].done) == ("handyperson", due, False)
    assert [a.item_id for a in edited.actions] == [a.item_id for a in result.actions]
    assert [a.item_id for a in edited.open_actions()] == [a.item_id for a in result.actions[1:]]


def test_an_unknown_who_in_an_edit_keeps_the_plans_own(library):
    result = scoring.score(example(library, "hazardous-house.yaml"), library)
    first = result.actions[0]
    edited = result.with_edits([PlanEdit(first.item_id, first.visit, who="<script>")])
    assert edited.actions[0].who == first.who


def test_the_plan_as_a_table_has_a_row_per_action_built_from_the_values(library):
    result = scoring.score(example(library, "hazardous-house.yaml"), library)
    frame = result.actions_frame()
    assert len(frame) == len(result.actions)
    assert frame["item_id"].tolist() == [a.item_id for a in result.actions]
    assert frame["title"].tolist() == [result.title(a.visit) for a in result.actions]
    measured = [i for i, a in enumerate(result.actions) if any(f.reading for f in a.answers)]
    assert measured and all(": measured " in frame["problem"].iloc[i] for i in measured)
    assert frame["problem"].iloc[0] == result.actions[0].hazard  # a warning sign: no reading
    assert frame["why"].tolist() == [a.why for a in result.actions]


def test_the_json_shape_holds_plain_values(library):
    result = scoring.score(example(library, "hazardous-house.yaml"), library)
    data = json.loads(json.dumps(result.to_dict()))
    assert set(data) == {"overall", "resident", "rooms", "topics", "actions", "referrals"}
    assert data["overall"]["risk_level"] in RISK_LEVELS
    assert data["rooms"][0]["hazard_items"] == list(result.rooms[0].hazard_items)
    measured = [a for a in data["actions"] if a["reading"] is not None]
    assert measured and set(measured[0]["reading"]) == {"value", "unit", "low", "high", "range_unit", "personal"}


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
        i.id: Answer(value=draw(st.sampled_from([safe_value, hazard_value]))(i))
        for i in library.items_of("resident")
        if draw(st.booleans())
    }
    role = draw(st.sampled_from(["family", "ot"]))
    return Audit(id="random", auditor={"role": role}, resident=resident, rooms=visits)


def scores(result) -> list[float]:
    values = [result.overall.score] + [r.score for r in result.rooms] + [t.score for t in result.topics]
    return [v for v in values if v is not None]


PROPERTY = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


@PROPERTY
@given(data=st.data())
def test_every_score_stays_between_0_and_100(library, data):
    result = scoring.score(data.draw(audits(library)), library)
    assert all(0 <= s <= 100 for s in scores(result))
    assert 0 <= result.overall.coverage <= 1
    assert 0 <= result.resident.steadi_score <= 14


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
    assume(safe)
    v, item_id = data.draw(st.sampled_from(safe))
    before = scoring.score(audit, library)
    worse = audit.model_copy(deep=True)
    worse.rooms[v].answers[item_id] = Answer(value=hazard_value(library.items[item_id]))
    after = scoring.score(worse, library)
    if before.overall.score is not None:
        assert after.overall.score <= before.overall.score
    b, a = before.rooms[v].score, after.rooms[v].score
    assert b is None or a <= b
    topics_before = {t.topic: t.score for t in before.topics}
    for topic in after.topics:
        if topics_before.get(topic.topic) is not None:
            assert topic.score <= topics_before[topic.topic]
    assert RISK_LEVELS.index(after.overall.risk_level) >= RISK_LEVELS.index(before.overall.risk_level)


@PROPERTY
@given(data=st.data())
def test_leaving_an_item_unanswered_never_raises_coverage(library, data):
    audit = data.draw(audits(library))
    answered = [(v, k) for v, r in enumerate(audit.rooms) for k in r.answers]
    assume(answered)
    v, item_id = data.draw(st.sampled_from(answered))
    before = scoring.score(audit, library).overall.coverage
    less = audit.model_copy(deep=True)
    del less.rooms[v].answers[item_id]
    assert scoring.score(less, library).overall.coverage <= before


def _fields(value) -> dict:
    return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}


def _same(mine: dict, plain: dict) -> None:
    """Every field the plain scorer computes, compared (numbers within rounding, tuples as lists)."""
    for name, expected in plain.items():
        got = mine[name]
        if isinstance(expected, float) or expected is None:
            assert same_number(got, expected), (name, got, expected)
        elif isinstance(got, tuple):
            assert list(got) == expected, (name, got, expected)
        else:
            assert got == expected, (name, got, expected)


@PROPERTY
@given(data=st.data())
def test_the_vectorised_scoring_agrees_with_the_plain_rules_field_by_field(library, data):
    audit = data.draw(audits(library))
    result = scoring.score(audit, library)
    plain = score_plain(audit, library)
    _same(_fields(result.overall), plain["overall"])
    _same(_fields(result.resident), plain["resident"])
    assert len(result.rooms) == len(plain["rooms"])
    for room, expected in zip(result.rooms, plain["rooms"], strict=True):
        _same(_fields(room), expected)
    assert len(result.topics) == len(plain["topics"])
    for topic, expected in zip(result.topics, plain["topics"], strict=True):
        _same(_fields(topic), expected)
    assert {(f.visit, f.item_id): f.status for f in result.findings} == plain["statuses"]
    mine = {(a.item_id, a.visit): a.priority for a in result.actions}
    assert mine.keys() == plain["plan"].keys()
    assert all(same_number(mine[key], plain["plan"][key]) for key in mine)
    if result.resident.at_risk:  # the person's own steps are never pushed into "Later"
        steps = {scoring.INTERVENTION_PREFIX + i.id for i in library.interventions.values() if i.first_when_at_risk}
        assert all(a.band != "later" for a in result.actions if a.item_id in steps)
    many = scoring.score_many([audit, audit], library)
    assert all(same_number(s, plain["overall"]["score"]) for s in many["score"])
    assert many["coverage"].tolist() == [plain["overall"]["coverage"]] * 2


# ---- what an occupational therapist expects of the examples' plans --------------------------------


def _rank(result, item_id):
    return only(result.actions, item_id).rank


def _top_of_soon(result, item_id) -> bool:
    """In This week, or in Soon with nothing but urgent rows and other steps for the person before it."""
    action = only(result.actions, item_id)
    if action.band == "now":
        return True
    before = [a for a in result.actions if a.band == "soon" and a.rank < action.rank]
    return action.band == "soon" and all(a.urgent or a.item_id.startswith(scoring.INTERVENTION_PREFIX) for a in before)


def test_margaret_sees_the_doctor_about_her_falls_once_first_this_week(library):
    """Two falls, a recent one, dizzy on standing on blood-pressure tablets: one falls check, first."""
    result = scoring.score(example(library, "ot-visit.yaml"), library)
    first = result.actions[0]
    assert (first.item_id, first.band, first.who) == ("intervention.falls_check", "now", "doctor")
    assert {a.item_id for a in first.answers} >= {
        "resident.fall_or_fracture_recent",
        "resident.fallen_past_year",
        "resident.dizzy_on_standing",
    }
    assert "resident.fall_or_fracture_recent" not in {a.item_id for a in result.actions}  # not a second row
    assert sum(a.band == "now" for a in result.actions) <= 5


def test_margaret_gets_exercise_a_medicine_review_and_an_alarm_at_the_top_of_soon(library):
    """TUG 19 s, furniture-walking, a 2-hour lie on the floor, living alone, amlodipine and ramipril."""
    result = scoring.score(example(library, "ot-visit.yaml"), library)
    for item_id in ("intervention.strength_balance", "intervention.personal_alarm", "intervention.medicine_review"):
        assert _top_of_soon(result, item_id), (item_id, _rank(result, item_id))
        assert only(result.actions, item_id).due <= result.actions[0].due + dt.timedelta(days=30)
    # ahead of a step-stool fix and a dressing chair (which came first before)
    for home_fix in ("kitchen.step_stool_safe", "bedroom.dressing_chair"):
        rows = [a for a in result.actions if a.item_id == home_fix]
        assert all(row.rank > _rank(result, "intervention.medicine_review") for row in rows)


def test_margaret_has_one_row_for_an_alarm_not_four(library):
    result = scoring.score(example(library, "ot-visit.yaml"), library)
    alarm = only(result.actions, "intervention.personal_alarm")
    covered = {i.id for i in library.items.values() if i.covered_by == "personal_alarm"}
    hazards = {f.item_id for f in result.findings if f.status == "hazard"}
    assert covered & hazards  # the phone by the bed, in the bathroom, carried: hazards in her home
    assert not covered & {a.item_id for a in result.actions}  # none a row of its own
    assert covered & hazards <= {a.item_id for a in alarm.answers}  # all in the alarm's row
    assert alarm.priority == max(a.priority for a in result.actions if a.item_id == "intervention.personal_alarm")


def test_margaret_on_bone_medicine_is_not_told_to_ask_for_one(library):
    result = scoring.score(example(library, "ot-visit.yaml"), library)
    bone = only(result.actions, "intervention.bone_health_check")
    assert "bone medicine is due" not in bone.action and "reviewed" in bone.action


def test_an_ots_own_plan_books_no_ot_appointment_and_refers_for_equipment_and_adaptations(library):
    result = scoring.score(example(library, "ot-visit.yaml"), library)
    assert not [a for a in result.actions if a.who == "ot" and a.cost == "appointment"]
    services = {r.service for r in result.referrals}
    assert {"home_modification", "equipment"} <= services
    equipment = next(r for r in result.referrals if r.service == "equipment")
    assert only(result.actions, "bathroom.bath_board").rank in equipment.ranks  # her goal: a bath again
    assert result.title(RESIDENT_VISIT) == "The client"  # an OT's report calls the person the client


def test_zoe_gets_her_sleeping_tablet_reviewed_soon_not_last(library):
    """Before: the medicine review was 65th of 76, "Later"."""
    result = scoring.score(example(library, "hazardous-house.yaml"), library)
    for item_id in ("intervention.medicine_review", "intervention.strength_balance", "intervention.personal_alarm"):
        assert _top_of_soon(result, item_id), (item_id, _rank(result, item_id))
    first = result.actions[0]
    assert (first.item_id, first.band) == ("resident.height_loss", "now")
    assert [a.item_id for a in result.actions if a.band == "now"][1:3] == [
        "stairs.step_edges_visible",
        "stairs.handrail_both_sides",
    ]


def test_the_red_flags_of_back_pain_are_due_the_day_of_the_audit(library):
    audit = full_audit(library, ["hallway"])
    audit.resident["resident.back_pain_red_flags"] = Answer(value="yes")
    for item_id in ("resident.sudden_back_pain", "resident.height_loss", "resident.stoop_getting_worse"):
        audit.resident[item_id] = Answer(value="yes")
    result = scoring.score(audit, library)
    flags = result.actions[0]
    assert (flags.item_id, flags.today, flags.due, flags.band) == ("resident.back_pain_red_flags", True, audit.date, "now")
    assert all(not a.today and a.due > audit.date for a in result.actions[1:])
    assert library.items["resident.back_pain_red_flags"].urgency == "today"  # said in the checklist, not read from its words


def test_every_warning_sign_answered_yes_still_leaves_five_rows_this_week(library):
    audit = full_audit(library, ["bathroom"], value=hazard_value)
    audit.auditor.role = "family"
    for item in library.items_of("resident"):
        if item.screen in ("warning_sign", "steadi"):
            audit.resident[item.id] = Answer(value="yes")
    result = scoring.score(audit, library)
    assert sum(a.band == "now" for a in result.actions) == 5
    assert result.actions[0].item_id == "resident.back_pain_red_flags"
    assert all(a.band == "soon" for a in result.actions if a.urgent and a.band != "now")


def test_a_far_future_audit_date_scores(library):
    audit = example(library, "hazardous-house.yaml")
    audit.date = dt.date(9999, 12, 30)
    result = scoring.score(audit, library)
    assert all(a.due is not None and audit.date <= a.due <= dt.date.max for a in result.actions)


def test_living_alone_is_a_living_situation_not_a_health_condition(library):
    result = scoring.score(example(library, "ot-visit.yaml"), library)
    assert "resident.lives_alone" in result.resident.living_situation
    assert "resident.lives_alone" not in result.resident.conditions


def test_an_intervention_takes_the_same_priority_rule_as_an_item(library):
    """One rule (scoring._priority): an intervention is a row with no room, so no place multiplier."""
    person = {"higher_fall_risk": np.array([True]), "bone_or_back": np.array([True]), "at_risk": np.array([False])}
    for intervention in library.interventions.values():
        row = scoring._priority(
            np.array([scoring.EVIDENCE_WEIGHT[intervention.evidence] * intervention.severity]),
            np.array([intervention.fall_hazard]),
            np.array([intervention.evidence == "bone_back"]),
            person["higher_fall_risk"],
            person["bone_or_back"],
        )[0]
        assert scoring.intervention_priority(intervention, person) == row
    at_risk = {**person, "at_risk": np.array([True])}
    exercise = library.interventions["strength_balance"]
    assert scoring.intervention_priority(exercise, at_risk) == scoring.PERSON_STEP_PRIORITY
