"""The action plan: a short first list with something cheap to do, dated rows, reasons that fit
the person, a referral list, and edits that record decisions without moving anything."""

from __future__ import annotations

import dataclasses
import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from homeaudit.plan import FIRST_LIST, SECOND_LIST, Need, Person, PlanEdit, apply_edits, compose, first_name, problem, reason
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


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(min_value=0.5, max_value=12, allow_nan=False),
            st.sampled_from(COSTS),
            st.sampled_from(WHO),
            st.booleans(),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_any_plan_keeps_its_promises(rows):
    needs = [
        need(f"hall.h{n}", priority, cost=cost, who=who, urgent=urgent and n < 3)
        for n, (priority, cost, who, urgent) in enumerate(rows)
    ]
    actions, _ = compose(needs, PERSON, DATE)
    first = [a for a in actions if a.band == "now"]
    urgent = sum(n.urgent for n in needs)
    assert len(first) <= max(FIRST_LIST, urgent)
    assert sorted(a.item_id for a in actions) == sorted(n.item_id for n in needs)  # nothing lost, nothing twice
    assert [a.rank for a in actions] == list(range(1, len(actions) + 1))
    assert all(n.band == "now" for n in actions if any(m.urgent and m.item_id == n.item_id for m in needs))
    if urgent < FIRST_LIST and any(n.who == "family" and n.cost in ("free", "under_50") and not n.urgent for n in needs):
        assert any(a.who == "family" and a.cost in ("free", "under_50") for a in first)
    order = {"now": 0, "soon": 1, "later": 2}
    assert [order[a.band] for a in actions] == sorted(order[a.band] for a in actions)
