"""The action plan: a short first list with something cheap to do, dated rows, reasons that fit
the person, a referral list, and edits that record decisions without moving anything."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from homeaudit.plan import (
    FIRST_LIST,
    SECOND_LIST,
    Need,
    Person,
    PlanEdit,
    apply_edits,
    compose,
    due_date,
    first_name,
    problem,
    reason,
    when_words,
)
from homeaudit.words import COSTS, WHO

DATE = dt.date(2026, 11, 20)


def need(item_id: str, priority: float, **changes: object) -> Need:
    base = Need(
        item_id=item_id,
        visit=0,
        room="hallway",
        topic="rugs_floors",
        hazard=f"Hazard {item_id}",
        finding=f"Hazard {item_id}",
        action="Fix it.",
        who="handyperson",
        cost="50_to_250",
        severity=3,
        priority=priority,
        sources=("A source",),
        order=0,
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


PERSON = Person(name="Zoë")


def test_the_first_list_holds_at_most_five_rows_by_priority():
    needs = [need(f"hall.h{n}", 6.0 - n * 0.1) for n in range(12)]
    actions, _ = compose(needs, PERSON, DATE)
    first = [a for a in actions if a.band == "now"]
    assert len(first) == FIRST_LIST == 5
    assert [a.item_id for a in first] == [f"hall.h{n}" for n in range(5)]
    assert {a.band for a in actions[5:]} == {"soon"}  # the rest, still urgent, come next


def test_warning_signs_always_stay_in_the_first_list_and_come_first_in_it():
    # a stair rail where the person fell can outrank a warning sign's priority; the sign still leads
    needs = [need(f"hall.h{n}", 20.0) for n in range(6)] + [need("resident.sign", 10.0, urgent=True, who="doctor")]
    actions, _ = compose(needs, PERSON, DATE)
    assert actions[0].item_id == "resident.sign" and actions[0].band == "now"
    assert sum(a.band == "now" for a in actions) == 5


def test_the_second_list_holds_the_next_ten_and_the_rest_are_later():
    needs = [need(f"hall.h{n:02d}", 9.0 - n * 0.1) for n in range(30)]
    actions, _ = compose(needs, PERSON, DATE)
    assert [sum(a.band == band for a in actions) for band in ("now", "soon", "later")] == [5, SECOND_LIST, 30 - 5 - SECOND_LIST]


def test_a_declined_recommendation_stays_in_the_plan_but_never_in_the_first_list():
    needs = [need("hall.rug", 9.0, declined="a family heirloom"), need("hall.rail", 5.0)]
    actions, _ = compose(needs, PERSON, DATE)
    rug = next(a for a in actions if a.item_id == "hall.rug")
    assert rug.band != "now" and rug.declined == "a family heirloom"
    assert [a.item_id for a in actions if a.band == "now"] == ["hall.rail"]


def test_a_cheap_family_fix_takes_the_last_place_when_none_made_the_first_list():
    costly = [need(f"hall.h{n}", 6.0 - n * 0.1) for n in range(6)]
    cheap = need("hall.rug", 2.5, who="family", cost="free")
    actions, _ = compose([*costly, cheap], PERSON, DATE)
    first = [a.item_id for a in actions if a.band == "now"]
    assert first == ["hall.h0", "hall.h1", "hall.h2", "hall.h3", "hall.rug"]
    assert next(a for a in actions if a.item_id == "hall.h4").band == "soon"


def test_a_cheap_fix_already_in_the_first_list_is_enough():
    needs = [need("hall.rug", 5.0, who="family", cost="under_50"), need("hall.bar", 4.0)]
    actions, _ = compose(needs, PERSON, DATE)
    assert [a.item_id for a in actions if a.band == "now"] == ["hall.rug", "hall.bar"]


def test_low_priority_rows_are_later_and_every_row_has_a_due_date_from_the_audit_date():
    needs = [need("hall.a", 5.0), need("hall.b", 2.5), need("hall.c", 1.0)]
    actions, _ = compose(needs, PERSON, DATE)
    assert [(a.band, a.due) for a in actions] == [
        ("now", DATE + dt.timedelta(days=7)),
        ("soon", DATE + dt.timedelta(days=30)),
        ("later", DATE + dt.timedelta(days=90)),
    ]
    assert [a.rank for a in actions] == [1, 2, 3]


def test_among_equals_the_cheaper_then_the_do_it_yourself_fix_then_walking_order_comes_first():
    needs = [
        need("hall.c", 3.0, cost="over_250", order=1),
        need("hall.b", 3.0, cost="free", who="handyperson", order=2),
        need("hall.a", 3.0, cost="free", who="family", order=3),
        need("hall.d", 3.0, cost="free", who="family", order=0),
    ]
    actions, _ = compose(needs, PERSON, DATE)
    assert [a.item_id for a in actions] == ["hall.d", "hall.a", "hall.b", "hall.c"]


def test_the_reason_names_what_bears_on_this_hazard_for_this_person():
    person = Person(name="Zoë", osteoporosis=True, fallen=True, fall_place="on the stairs")
    on_the_stairs = need("stairs.rail", 5.0, fall_room=True, why="Most falls happen on the top or bottom step.")
    assert (
        reason(on_the_stairs, person)
        == "Zoë has osteoporosis and fell on the stairs. Most falls happen on the top or bottom step."
    )
    elsewhere = need("kitchen.mat", 5.0)
    assert reason(elsewhere, person) == "Zoë has osteoporosis and fell in the past year."
    assert reason(need("hall.x", 5.0, incident="fell"), person) == "Zoë has osteoporosis and fell here."
    bending = need("kitchen.low", 3.0, fall_hazard=False, bone_back=True)
    assert reason(bending, Person(name="Bo", back_pain=True)) == "Bo has back pain."
    assert reason(need("hall.y", 3.0, fall_hazard=False), Person(name="Bo", fallen=True)) == ""


def test_the_name_is_the_first_name_or_the_person():
    assert first_name("Zoë Kowalczyk-Nguyễn") == "Zoë" and first_name("  ") == "The person"


@pytest.mark.parametrize(
    ("name", "called"),
    [
        ("Mr. Jan Novák", "Jan"),  # not "Mr."
        ("Mrs Margaret Ashworth", "Margaret"),
        ("Dr. Prof. Ana Silva", "Ana"),
        ("Mr Smith", "Mr Smith"),  # a title and a family name stay together
        ("王芳", "王芳"),  # family name first: the whole name, never the family name alone
        ("Wang 芳", "Wang 芳"),
        ("Dr.", "The client"),  # a title alone is no name
    ],
)
def test_the_name_leaves_titles_out_and_a_family_name_first_name_whole(name, called):
    assert first_name(name, "The client") == called


# ---- the first list holds five, whatever the plan holds (issue 9) -------------------------------


def test_more_than_five_warning_signs_fill_this_week_and_open_soon_the_one_for_today_first():
    signs = [need(f"resident.sign{n}", 10.0, urgent=True, who="doctor") for n in range(7)]
    today = need("resident.red_flags", 10.0, urgent=True, today=True, who="doctor", order=9)
    actions, _ = compose([*signs, today, need("hall.rug", 2.5, who="family", cost="free")], PERSON, DATE)
    bands = [(a.item_id, a.band) for a in actions]
    assert [a.band for a in actions].count("now") == FIRST_LIST
    assert bands[0] == ("resident.red_flags", "now")  # the sign that means "today" leads
    assert [band for _, band in bands[5:8]] == ["soon"] * 3  # the signs five rows could not hold open "Soon"
    assert all(a.urgent for a in actions[:8])


def test_a_sign_that_means_today_is_due_on_the_audit_date_and_says_today():
    actions, _ = compose([need("resident.red_flags", 10.0, urgent=True, today=True), need("hall.a", 5.0)], PERSON, DATE)
    flags = actions[0]
    assert (flags.item_id, flags.band, flags.due, flags.today) == ("resident.red_flags", "now", DATE, True)
    assert when_words(flags) == "today (20 Nov 2026)"  # never "by" a date a week away
    assert when_words(actions[1]) == "by 27 Nov 2026"
    # a date someone sets is theirs: no longer "today"
    moved = apply_edits(actions, [PlanEdit("resident.red_flags", 0, due=dt.date(2026, 11, 21))])[0]
    assert (moved.today, when_words(moved)) == (False, "by 21 Nov 2026")


@pytest.mark.parametrize("day", [dt.date(9999, 12, 30), dt.date.max, dt.date(9999, 10, 3)])
def test_a_far_future_audit_date_never_breaks_the_plan(day):
    needs = [need(f"hall.h{n:02d}", 9.0 - n * 0.2) for n in range(20)] + [need("resident.x", 10.0, urgent=True, today=True)]
    actions, _ = compose(needs, PERSON, day)
    assert {a.band for a in actions} == {"now", "soon", "later"}
    assert all(day <= a.due <= dt.date.max for a in actions)
    assert due_date(day, "later") == dt.date.max and due_date(day, "now", today=True) == day


def test_a_step_for_a_person_at_risk_is_never_later_than_soon():
    """Exercise, a medicine review, an alarm: never pushed into "Later" by fifteen home fixes."""
    needs = [need(f"hall.h{n:02d}", 20.0 - n * 0.1) for n in range(30)]
    needs.append(need("intervention.strength_balance", 4.5, lead=True, who="physiotherapist", cost="appointment"))
    actions, _ = compose(needs, PERSON, DATE)
    exercise = next(a for a in actions if a.item_id == "intervention.strength_balance")
    assert exercise.band == "soon"
    assert sum(a.band == "soon" for a in actions) == SECOND_LIST


def test_the_referral_list_gathers_the_rows_that_call_for_each_service():
    needs = [
        need("intervention.balance", 6.0, referral="physiotherapy", hazard="Strength and balance programme"),
        need("hall.rail", 5.0, referral="home_modification", hazard="No rail"),
        need("stairs.rail", 4.0, referral="home_modification", hazard="Short rail"),
    ]
    _, referrals = compose(needs, PERSON, DATE)
    assert [(r.service, r.ranks) for r in referrals] == [("physiotherapy", (1,)), ("home_modification", (2, 3))]
    assert referrals[1].reasons == ("No rail", "Short rail")


def test_edits_record_done_who_and_a_date_but_an_empty_date_keeps_the_suggested_one():
    actions, _ = compose([need("hall.a", 5.0), need("hall.b", 4.0)], PERSON, DATE)
    edited = apply_edits(
        actions, [PlanEdit("hall.a", 0, done=True), PlanEdit("hall.b", 0, who="family", due=dt.date(2027, 1, 1))]
    )
    assert (edited[0].done, edited[0].due) == (True, actions[0].due)
    assert (edited[1].who, edited[1].due) == ("family", dt.date(2027, 1, 1))


def test_the_problem_adds_what_was_found_when_it_says_more_than_the_hazard():
    actions, _ = compose(
        [need("office.screen", 3.0, hazard="Screen too high or too low", finding="above eye level")], PERSON, DATE
    )
    assert problem(actions[0]) == "Screen too high or too low: above eye level"
    plain, _ = compose([need("hall.a", 3.0)], PERSON, DATE)
    assert problem(plain[0]) == "Hazard hall.a"


@settings(max_examples=120, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(min_value=0.5, max_value=12, allow_nan=False),
            st.sampled_from(COSTS),
            st.sampled_from(WHO),
            st.sampled_from(["no", "urgent", "today", "lead"]),
        ),
        min_size=1,
        max_size=30,
    ),
    st.sampled_from([DATE, dt.date(9999, 12, 30)]),
)
def test_any_plan_keeps_its_promises(rows, day):
    """Any number of urgent rows, up to all of them (every warning sign answered yes)."""
    needs = [
        need(
            f"hall.h{n}",
            priority,
            cost=cost,
            who=who,
            urgent=kind in ("urgent", "today"),
            today=kind == "today",
            lead=kind == "lead",
        )
        for n, (priority, cost, who, kind) in enumerate(rows)
    ]
    actions, _ = compose(needs, PERSON, day)
    first = [a for a in actions if a.band == "now"]
    urgent = [n.item_id for n in sorted(needs, key=lambda n: (not n.today, -n.priority)) if n.urgent]
    assert len(first) <= FIRST_LIST  # five rows, however many are urgent
    assert sorted(a.item_id for a in actions) == sorted(n.item_id for n in needs)  # nothing lost, nothing twice
    assert [a.rank for a in actions] == list(range(1, len(actions) + 1))
    # The urgent rows come first: all of This week when there are five or more, then the top of Soon.
    assert [a.item_id for a in actions[: len(urgent)]] == [a.item_id for a in actions if a.urgent]
    assert all(a.band in ("now", "soon") for a in actions if a.urgent)
    assert all(a.band == "now" for a in actions[: min(len(urgent), FIRST_LIST)])
    # A sign that means "today" is never behind another row, and is due on the audit date.
    todays = [a for a in actions if a.today]
    assert all(a.today for a in actions[: len(todays)])
    assert all(a.due == day for a in todays)
    assert all(a.due is not None and a.due >= day for a in actions)
    assert all(a.band != "later" for a in actions if a.item_id in {n.item_id for n in needs if n.lead})
    if len(urgent) < FIRST_LIST and any(n.who == "family" and n.cost in ("free", "under_50") and not n.urgent for n in needs):
        assert any(a.who == "family" and a.cost in ("free", "under_50") for a in first)
    order = {"now": 0, "soon": 1, "later": 2}
    assert [order[a.band] for a in actions] == sorted(order[a.band] for a in actions)


def test_the_cost_bands_have_one_order_cheapest_first_with_an_appointment_before_fifty():
    """words.COSTS is the one list: the plan's tie-break reads it (it once kept its own copy)."""
    assert COSTS == ("free", "under_50", "appointment", "50_to_250", "over_250")
    needs = [need(f"hall.{cost}", 3.0, cost=cost, who="family") for cost in reversed(COSTS)]
    actions, _ = compose(needs, PERSON, DATE)
    assert [a.cost for a in actions] == list(COSTS)


def test_dates_are_written_one_way():
    from homeaudit.words import long_date, short_date

    assert long_date(dt.date(2025, 3, 3)) == "3 March 2025" and short_date(dt.date(2026, 12, 3)) == "3 Dec 2026"
    actions, _ = compose([need("hall.a", 2.5)], PERSON, DATE)
    assert when_words(actions[0]) == f"by {short_date(actions[0].due)}"  # not "03 Dec 2026"


def test_the_visit_details_template_links_a_declined_recommendation_to_its_row():
    """item_id is what joins a declined recommendation to its plan row (scoring reads it)."""
    from homeaudit.audit import VISIT_DETAILS_TEMPLATE

    [line] = [line for line in VISIT_DETAILS_TEMPLATE.splitlines() if "declined:" in line]
    assert 'item_id: ""' in line
