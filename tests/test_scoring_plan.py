"""From an audit to its plan: the readings against the source's own numbers, what the auditor
noted (where the person fell, a fall on an item), the falls screen's interventions, and who
audited. A small library written here keeps each rule visible."""

from __future__ import annotations

import datetime as dt

import pytest

from homeaudit import audit as audit_mod
from homeaudit import scoring
from homeaudit.audit import RESIDENT_VISIT, Answer, Assessment, Audit, Auditor, Client, Declined, RoomVisit
from homeaudit.checklist import merge_rooms, parse_interventions, parse_references, parse_room

REFERENCES = """
references:
  - {key: ada-2010, authors: U.S. Department of Justice, year: 2010, title: 2010 ADA Standards for Accessible Design,
     organisation: U.S. Department of Justice, kind: standard}
  - {key: steadi-2019, authors: Centers for Disease Control and Prevention, year: 2019, title: STEADI Algorithm,
     organisation: CDC, kind: guideline}
"""
INTERVENTIONS = """
interventions:
  - id: strength_balance
    title: Strength and balance programme
    action: Ask for a strength and balance programme with a physiotherapist.
    who: physiotherapist
    cost: appointment
    severity: 3
    referral: physiotherapy
    source_refs: [steadi-2019]
"""
HALLWAY = """
room: hallway
name: Hallway
order: 20
items:
  - {id: hallway.rug, topic: rugs_floors, question: No loose rugs?, help: Look., answer_type: yes_no, hazard: Loose rug,
     severity: 2, evidence: common_fix, action: Take it up., who: family, cost: free, source_refs: [ada-2010]}
"""
STAIRS = """
room: stairs
name: Stairs
order: 50
items:
  - {id: stairs.rail, topic: stairs, question: A rail?, help: Look., answer_type: yes_no, hazard: No rail,
     severity: 2, evidence: common_fix, action: Fit one., who: family, cost: free, source_refs: [ada-2010]}
"""
BATHROOM = """
room: bathroom
name: Bathroom
order: 60
items:
  - id: bathroom.grab_bar_height
    topic: grab_bars
    question: How high is the grab bar?
    help: Measure.
    answer_type: measurement
    unit: cm
    range: [33, 36]
    range_unit: in
    hazard: Grab bar at the wrong height
    severity: 2
    action: Move it to 33-36 in.
    who: handyperson
    cost: 50_to_250
    source_refs: [ada-2010 609.4]
  - id: bathroom.toilet_height
    topic: chairs_seating
    question: How high is the toilet seat?
    help: Measure.
    answer_type: measurement
    unit: cm
    range: [17, 19]
    range_unit: in
    knee_range: [0, 2]
    hazard: Toilet seat too low or too high
    severity: 2
    fall_hazard: false
    action: Raise the seat.
    who: ot
    cost: under_50
    source_refs: [ada-2010 604.4]
  - id: bathroom.mirror
    topic: reaching_bending
    question: Where is the mirror?
    help: Look.
    answer_type: choice
    options:
      - {value: right, label: At eye level}
      - {value: high, label: Above eye level, action: Lower the mirror.}
      - {value: low, label: Below eye level, action: Raise the mirror.}
    hazard_options: [high, low]
    hazard: Mirror at the wrong height
    severity: 1
    action: Move the mirror.
    who: family
    cost: free
    source_refs: [ada-2010]
"""
RESIDENT = """
room: resident
name: About the person
order: 0
items:
  - {id: resident.fallen_past_year, topic: emergency, question: Fallen?, help: Ask., answer_type: yes_no,
     hazard_options: ["yes"], hazard: Fell in the past year, severity: 3, who: doctor, cost: appointment,
     source_refs: [steadi-2019], screen: steadi, steadi_points: 2}
  - {id: resident.unsteady, topic: emergency, question: Unsteady?, help: Ask., answer_type: yes_no,
     hazard_options: ["yes"], hazard: Feels unsteady, severity: 2, who: doctor, cost: appointment,
     source_refs: [steadi-2019], screen: steadi, steadi_points: 1, intervention: strength_balance}
  - {id: resident.push_up, topic: emergency, question: Pushes up?, help: Ask., answer_type: yes_no,
     hazard_options: ["yes"], hazard: Pushes up from a chair, severity: 2, who: doctor, cost: appointment,
     source_refs: [steadi-2019], screen: steadi, steadi_points: 1, intervention: strength_balance}
  - {id: resident.footwear, topic: footwear, question: Firm shoes indoors?, help: Look., answer_type: yes_no,
     hazard: Loose slippers, severity: 2, action: Wear firm shoes., who: family, cost: under_50,
     source_refs: [ada-2010], screen: habit, replaces: [bedroom.footwear]}
  - {id: resident.knee_height, topic: chairs_seating, question: Knee height?, help: Measure., answer_type: measurement,
     unit: cm, hazard: none, severity: 1, who: family, cost: free, source_refs: [ada-2010], screen: body}
  - id: resident.fall_where
    topic: emergency
    question: Where was the fall?
    help: Ask.
    answer_type: choice
    options: [{value: hallway, label: Hallway}, {value: stairs, label: Stairs}, {value: unknown, label: Not known}]
    hazard_options: [unknown]
    hazard: Where the fall happened is not known
    severity: 1
    who: family
    cost: free
    source_refs: [steadi-2019]
    screen: condition
"""
BEDROOM = """
room: bedroom
name: Bedroom
order: 70
items:
  - {id: bedroom.light, topic: lighting, question: A light?, help: Look., answer_type: yes_no, hazard: Dark,
     severity: 1, action: Fit a lamp., who: family, cost: under_50, source_refs: [ada-2010]}
"""


@pytest.fixture(scope="module")
def small():
    rooms = [
        parse_room(text, f"{name}.yaml")
        for name, text in (
            ("hallway", HALLWAY),
            ("stairs", STAIRS),
            ("bathroom", BATHROOM),
            ("resident", RESIDENT),
            ("bedroom", BEDROOM),
        )
    ]
    return merge_rooms(rooms, references=parse_references(REFERENCES), interventions=parse_interventions(INTERVENTIONS))


def audit_of(role: str = "family", resident: dict | None = None, **rooms: dict) -> Audit:
    return Audit(
        id="t",
        date=dt.date(2026, 11, 20),
        auditor=Auditor(role=role),
        client=Client(name="Zoë Kowalczyk"),
        resident={k: Answer.model_validate(v if isinstance(v, dict) else {"value": v}) for k, v in (resident or {}).items()},
        rooms=[
            RoomVisit(
                room=room,
                answers={k: Answer.model_validate(v if isinstance(v, dict) else {"value": v}) for k, v in answers.items()},
            )
            for room, answers in rooms.items()
        ],
    )


def hazard_ids(result) -> set[str]:
    return {f.item_id for f in result.findings if f.status == "hazard"}


# ---- readings against the source's own numbers -------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "unit", "hazard"),
    [
        (33, "in", False),
        (36, "in", False),
        (32.9, "in", True),
        (36.1, "in", True),
        (83.8, "cm", False),
        (91.4, "cm", False),
        (83.7, "cm", True),
        (91.5, "cm", True),
    ],
)
def test_a_reading_on_a_limit_is_safe_and_a_tenth_outside_is_a_hazard_in_either_unit(small, value, unit, hazard):
    audit = audit_of(bathroom={"bathroom.grab_bar_height": {"value": value, "unit": unit}})
    assert ("bathroom.grab_bar_height" in hazard_ids(scoring.score(audit, small))) is hazard


def test_the_target_prints_as_the_source_writes_it(small):
    audit = audit_of(bathroom={"bathroom.grab_bar_height": {"value": 80, "unit": "cm"}})
    [action] = scoring.score(audit, small).actions
    assert action.finding == "measured 80 cm (31.5 in); target 33–36 in (83.8–91.4 cm)"


def test_a_height_that_should_fit_the_person_is_judged_against_their_knee_height(small):
    # 19 in is inside the ADA fallback, but far above a knee height of 40 cm (15.7 in).
    fallback = audit_of(bathroom={"bathroom.toilet_height": {"value": 19, "unit": "in"}})
    assert "bathroom.toilet_height" not in hazard_ids(scoring.score(fallback, small))
    fitted = audit_of(
        resident={"resident.knee_height": {"value": 40, "unit": "cm"}},
        bathroom={"bathroom.toilet_height": {"value": 19, "unit": "in"}},
    )
    result = scoring.score(fitted, small)
    assert "bathroom.toilet_height" in hazard_ids(result)
    [reading] = [f.reading for f in result.findings if f.item_id == "bathroom.toilet_height"]
    assert reading is not None and reading.personal
    assert reading.low == pytest.approx(40 / 2.54) and reading.high == pytest.approx(40 / 2.54 + 2)
    right = audit_of(
        resident={"resident.knee_height": {"value": 16, "unit": "in"}},
        bathroom={"bathroom.toilet_height": {"value": 17, "unit": "in"}},
    )
    assert "bathroom.toilet_height" not in hazard_ids(scoring.score(right, small))


# ---- what the auditor noted --------------------------------------------------------------------------


def test_the_room_where_the_person_fell_comes_before_the_same_hazard_elsewhere(small):
    both = {"hallway": {"hallway.rug": "no"}, "stairs": {"stairs.rail": "no"}}
    plain = scoring.score(audit_of(**both), small)
    assert [a.item_id for a in plain.actions][:2] == ["hallway.rug", "stairs.rail"]  # walking order breaks the tie
    fell = scoring.score(audit_of(resident={"resident.fallen_past_year": "yes", "resident.fall_where": "stairs"}, **both), small)
    rows = [a for a in fell.actions if a.item_id in ("hallway.rug", "stairs.rail")]
    assert [a.item_id for a in rows] == ["stairs.rail", "hallway.rug"]
    assert rows[0].priority == pytest.approx(rows[1].priority * scoring.FALL_ROOM_MULTIPLIER)
    assert rows[0].why.startswith("Zoë fell on the stairs.")


def test_a_fall_noted_on_an_answer_raises_that_fix(small):
    noted = audit_of(hallway={"hallway.rug": "no"}, stairs={"stairs.rail": {"value": "no", "incident": "near_miss"}})
    actions = scoring.score(noted, small).actions
    assert [a.item_id for a in actions] == ["stairs.rail", "hallway.rug"]
    assert actions[0].why == "Zoë nearly fell here."


# ---- the answers about the person ---------------------------------------------------------------------


def test_the_falls_screen_calls_for_one_intervention_however_many_answers_point_to_it(small):
    audit = audit_of(resident={"resident.unsteady": "yes", "resident.push_up": "yes"}, hallway={"hallway.rug": "yes"})
    result = scoring.score(audit, small)
    [row] = [a for a in result.actions if a.item_id == "intervention.strength_balance"]
    assert row.hazard == "Strength and balance programme" and row.who == "physiotherapist" and row.cost == "appointment"
    assert row.finding == "Feels unsteady; Pushes up from a chair"
    assert [a.item_id for a in row.answers] == ["resident.unsteady", "resident.push_up"]
    assert row.sources == ("Centers for Disease Control and Prevention (2019). STEADI Algorithm. CDC.",)
    assert [(r.service, r.ranks) for r in result.referrals] == [("physiotherapy", (row.rank,))]


def test_a_habit_of_the_person_is_a_row_of_the_plan(small):
    result = scoring.score(audit_of(resident={"resident.footwear": "no"}), small)
    [row] = result.actions
    assert (row.item_id, row.visit, row.who) == ("resident.footwear", RESIDENT_VISIT, "family")


def test_an_old_audit_that_asked_about_footwear_in_the_bedroom_is_read_into_the_new_question(small):
    text = (
        "format: homeaudit/1\nrooms:\n  - room: bedroom\n    answers:\n      bedroom.footwear: 'no'\n      bedroom.light: 'yes'\n"
    )
    audit = audit_mod.loads(text, small)
    assert audit.resident["resident.footwear"].value == "no" and "bedroom.footwear" not in audit.rooms[0].answers
    given = (
        "format: homeaudit/1\nresident:\n  resident.footwear: 'yes'\n"
        "rooms:\n  - room: bedroom\n    answers:\n      bedroom.footwear: 'no'\n"
    )
    assert audit_mod.loads(given, small).resident["resident.footwear"].value == "yes"  # the person's own answer wins


# ---- who audited ------------------------------------------------------------------------------------


def test_a_family_audit_of_a_person_at_risk_asks_for_an_ot_visit_and_an_ot_audit_never_does(small):
    answers = {"resident.fallen_past_year": "yes"}
    hazards = {"hallway": {"hallway.rug": "no"}, "stairs": {"stairs.rail": {"value": "no", "incident": "fell"}}}
    family = scoring.score(audit_of("family", resident=answers, **hazards), small)
    first = family.actions[0]
    assert (first.item_id, first.band) == (scoring.OT_VISIT_ID, "now")  # before a stair rail where she fell
    assert first.why == "Zoë fell in the past year. " + scoring.OT_VISIT_WHY
    ot = scoring.score(audit_of("ot", resident=answers), small)
    assert scoring.OT_VISIT_ID not in {a.item_id for a in ot.actions}


def test_a_recommendation_the_client_declined_is_marked_and_kept_out_of_the_first_list(small):
    audit = audit_of("ot", hallway={"hallway.rug": "no"})
    audit.assessment = Assessment(
        declined=(Declined(recommendation="Take up the rug", reason="her late husband's", item_id="hallway.rug"),)
    )
    [row] = scoring.score(audit, small).actions
    assert (row.declined, row.band) == ("her late husband's", "later")
    assert scoring.score(audit, small).to_dict()["actions"][0]["declined"] == "her late husband's"


# ---- what was found ------------------------------------------------------------------------------------


def test_a_choice_says_what_was_found_and_its_own_fix(small):
    [row] = scoring.score(audit_of(bathroom={"bathroom.mirror": "high"}), small).actions
    assert (row.finding, row.action) == ("above eye level", "Lower the mirror.")
    [row] = scoring.score(audit_of(bathroom={"bathroom.mirror": "low"}), small).actions
    assert (row.finding, row.action) == ("below eye level", "Raise the mirror.")


# ---- one visit to the doctor ------------------------------------------------------------------------


def test_the_doctors_jobs_are_one_appointment_as_an_ot_would_write_it(library):
    """A family's first look: this week asks the doctor for an OT visit and about the pain, and
    the falls check, the physiotherapy referral and the bone-health check come later. One
    appointment covers them all, instead of four in one week and the bones three months on."""
    from homeaudit import load_audit
    from homeaudit.plan import PlanEdit, doctor_visit_words, one_doctor_visit

    from audit_builders import EXAMPLES

    result = scoring.score(load_audit(EXAMPLES / "family-first-look.yaml", library), library)
    visit = one_doctor_visit(result.actions)
    assert visit is not None
    assert all(a.who == "doctor" and a.band == "now" for a in visit.now) and len(visit.now) >= 2
    also = {a.item_id for a in visit.also}
    assert {"intervention.falls_check", "intervention.bone_health_check", "intervention.strength_balance"} <= also
    assert all(a.band != "now" and not a.urgent for a in visit.also)
    words = doctor_visit_words(visit)
    ranks = [str(a.rank) for a in visit.now]
    assert words.startswith(f" can cover jobs {', '.join(ranks[:-1])} and {ranks[-1]}: take the action plan with you.")
    assert "Falls check with the doctor" in words

    done = [PlanEdit(a.item_id, a.visit, done=True) for a in (*visit.now[1:], *visit.also)]
    assert one_doctor_visit(result.with_edits(done).actions) is None  # one job left: nothing to put together
