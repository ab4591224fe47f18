"""Comparing a visit with the one before: fixed, new and remaining hazards, rooms matched by label
then by order, the person's answers, the score change, "done but still a hazard", and the
`homeaudit compare` command."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from homeaudit import PlanEdit, cli
from homeaudit.audit import RESIDENT_VISIT, Answer, Audit, RoomVisit, save
from homeaudit.compare import Comparison, compare, match_rooms

from audit_builders import hazard_value, safe_value

BEFORE, AFTER = dt.date(2025, 3, 1), dt.date(2025, 9, 1)


def checks(library, room: str, n: int):
    """The first ``n`` yes/no items of a room (chosen by answer type, never by id)."""
    return [item for item in library.items_of(room) if item.answer_type == "yes_no"][:n]


def visit(audit_id: str, date: dt.date, rooms: list[RoomVisit], resident: dict[str, Answer] | None = None) -> Audit:
    return Audit(id=audit_id, date=date, client={"name": "Zoë Kowalczyk"}, resident=resident or {}, rooms=rooms)


def room(kind: str, answers: dict, label: str = "", present: bool = True) -> RoomVisit:
    return RoomVisit(room=kind, label=label, present=present, answers={k: Answer(value=v) for k, v in answers.items()})


def ids(changed) -> list[tuple[str, str]]:
    return [(a.title, a.item_id) for a in changed]


# --------------------------------------------------------------------------- fixed, new, remaining


def test_a_hazard_then_safe_now_is_fixed_safe_or_unanswered_then_is_new_and_a_hazard_twice_remains(library):
    fixed, new, unanswered_then, remaining, unanswered_now, safe_twice = checks(library, "bathroom", 6)
    before = visit(
        "v1",
        BEFORE,
        [
            room(
                "bathroom",
                {
                    fixed.id: hazard_value(fixed),
                    new.id: safe_value(new),
                    remaining.id: hazard_value(remaining),
                    unanswered_now.id: hazard_value(unanswered_now),
                    safe_twice.id: safe_value(safe_twice),
                },
            )
        ],
    )
    after = visit(
        "v2",
        AFTER,
        [
            room(
                "bathroom",
                {
                    fixed.id: safe_value(fixed),
                    new.id: hazard_value(new),
                    unanswered_then.id: hazard_value(unanswered_then),
                    remaining.id: hazard_value(remaining),
                    safe_twice.id: safe_value(safe_twice),
                },
            )
        ],
    )
    result = compare(before, after, library)
    assert ids(result.fixed) == [("Bathroom", fixed.id)]
    assert ids(result.new) == [("Bathroom", new.id), ("Bathroom", unanswered_then.id)]
    assert ids(result.remaining) == [("Bathroom", remaining.id)]
    [changed] = result.fixed
    assert (changed.room, changed.label, changed.hazard) == ("bathroom", "", fixed.hazard)
    assert changed.action == (fixed.action or fixed.hazard)
    assert not changed.done_but_still_hazard


def test_a_hazard_not_answered_again_or_in_a_room_gone_is_neither_fixed_nor_remaining(library):
    [item] = checks(library, "kitchen", 1)
    [other] = checks(library, "bathroom", 1)
    before = visit(
        "v1", BEFORE, [room("kitchen", {item.id: hazard_value(item)}), room("bathroom", {other.id: hazard_value(other)})]
    )
    after = visit("v2", AFTER, [room("kitchen", {item.id: "na"}, present=True), room("bathroom", {}, present=False)])
    result = compare(before, after, library)
    assert result.is_empty


def test_two_bedrooms_whose_order_changed_are_matched_by_their_labels(library):
    [item] = checks(library, "bedroom", 1)
    before = visit(
        "v1",
        BEFORE,
        [
            room("bedroom", {item.id: hazard_value(item)}, "Main bedroom"),
            room("bedroom", {item.id: safe_value(item)}, "Spare room"),
        ],
    )
    after = visit(
        "v2",
        AFTER,
        [
            room("kitchen", {}),
            room("bedroom", {item.id: safe_value(item)}, "Spare room"),
            room("bedroom", {item.id: hazard_value(item)}, "main  Bedroom"),
        ],
    )
    result = compare(before, after, library)
    assert (result.fixed, result.new) == ((), ())
    [still] = result.remaining
    assert (still.label, still.title, still.visit_before, still.visit_after) == ("main  Bedroom", "main  Bedroom", 0, 2)


def test_rooms_without_matching_labels_are_matched_by_order_within_their_kind(library):
    before = visit(
        "v1", BEFORE, [room("bedroom", {}), room("bathroom", {}), room("bedroom", {}, "Spare room"), room("hallway", {})]
    )
    after = visit(
        "v2", AFTER, [room("bedroom", {}, "Spare room"), room("bedroom", {}), room("bedroom", {}), room("bathroom", {})]
    )
    pairs = [(s.room, s.before, s.after) for s in match_rooms(before, after)]
    assert pairs == [
        ("resident", RESIDENT_VISIT, RESIDENT_VISIT),
        ("bedroom", 2, 0),  # by label
        ("bedroom", 0, 1),  # the first unlabelled bedroom of each
        ("bedroom", None, 2),  # new this visit
        ("bathroom", 1, 3),
        ("hallway", 3, None),  # only the earlier visit had it
    ]


def test_a_hazard_in_a_room_added_since_is_new(library):
    [item] = checks(library, "stairs", 1)
    result = compare(
        visit("v1", BEFORE, []), visit("v2", AFTER, [room("stairs", {item.id: hazard_value(item)}, "Cellar stairs")]), library
    )
    [new] = result.new
    assert (new.item_id, new.label, new.visit_before, new.visit_after) == (item.id, "Cellar stairs", None, 0)


def test_answers_about_the_person_count_too(library):
    habits = [i for i in library.items_of("resident") if i.screen == "habit" and i.hazard_options][:2]
    sign = next(i for i in library.items_of("resident") if i.screen == "warning_sign")
    before = visit(
        "v1", BEFORE, [], {habits[0].id: Answer(value=hazard_value(habits[0])), habits[1].id: Answer(value=safe_value(habits[1]))}
    )
    after = visit(
        "v2",
        AFTER,
        [],
        {
            habits[0].id: Answer(value=safe_value(habits[0])),
            habits[1].id: Answer(value=hazard_value(habits[1])),
            sign.id: Answer(value="yes"),
        },
    )
    result = compare(before, after, library)
    assert [(a.item_id, a.visit_before, a.title) for a in result.fixed] == [(habits[0].id, RESIDENT_VISIT, "The resident")]
    assert {a.item_id for a in result.new} == {habits[1].id, sign.id}  # a warning sign is no fixed fact
    assert all(a.room == "resident" and a.action for a in result.new)
    assert not sign.fact and result.person == ()


# --------------------------------------------------------------------------- the score change


def plain_score(answers: dict[str, str], library) -> float | None:
    """A room's score the obvious way: the share of assessed severity points that are safe."""
    lost = sum(library.items[i].severity for i, v in answers.items() if v in library.items[i].hazard_options)
    possible = sum(library.items[i].severity for i, v in answers.items() if v != "na")
    return round(100 * (1 - lost / possible), 1) if possible else None


def test_the_score_change_of_the_home_each_room_and_each_topic_is_after_minus_before(library):
    bath = checks(library, "bathroom", 4)
    bed = checks(library, "bedroom", 3)
    was_bath = {i.id: hazard_value(i) for i in bath[:3]} | {bath[3].id: safe_value(bath[3])}
    now_bath = {i.id: safe_value(i) for i in bath[:2]} | {i.id: hazard_value(i) for i in bath[2:]}
    was_bed = {i.id: safe_value(i) for i in bed}
    now_bed = {bed[0].id: hazard_value(bed[0])} | {i.id: safe_value(i) for i in bed[1:]}
    before = visit("v1", BEFORE, [room("bedroom", was_bed, "Main bedroom"), room("bathroom", was_bath)])
    after = visit("v2", AFTER, [room("bathroom", now_bath), room("bedroom", now_bed, "Main bedroom")])
    change = compare(before, after, library).score_change

    rooms = {r.title: (r.before, r.after, r.change) for r in change.rooms}
    for title, was, now in (("Bathroom", was_bath, now_bath), ("Main bedroom", was_bed, now_bed)):
        expected = plain_score(was, library), plain_score(now, library)
        assert rooms[title] == (*expected, round(expected[1] - expected[0], 1))
    overall = plain_score(was_bath | was_bed, library), plain_score(now_bath | now_bed, library)
    assert (change.overall.before, change.overall.after) == overall
    assert change.overall.change == round(overall[1] - overall[0], 1)

    topics = {t.topic: t for t in change.topics}
    every = {*bath, *bed}
    for topic in {i.topic for i in every}:
        mine = [i.id for i in every if i.topic == topic]
        was = plain_score({i: v for i, v in (was_bath | was_bed).items() if i in mine}, library)
        now = plain_score({i: v for i, v in (now_bath | now_bed).items() if i in mine}, library)
        assert (topics[topic].before, topics[topic].after) == (was, now)


def test_a_room_in_one_visit_only_has_no_change(library):
    [item] = checks(library, "hallway", 1)
    change = compare(
        visit("v1", BEFORE, [room("hallway", {item.id: safe_value(item)})]), visit("v2", AFTER, []), library
    ).score_change
    [hallway] = change.rooms
    assert (hallway.before, hallway.after, hallway.change) == (100.0, None, None)
    assert change.overall.change is None


# --------------------------------------------------------------------------- done but still a hazard


def test_a_hazard_still_there_after_its_action_was_marked_done_is_flagged(library):
    done, open_, fixed = checks(library, "bathroom", 3)
    before = visit("v1", BEFORE, [room("hallway", {}), room("bathroom", {i.id: hazard_value(i) for i in (done, open_, fixed)})])
    after = visit(
        "v2", AFTER, [room("bathroom", {done.id: hazard_value(done), open_.id: hazard_value(open_), fixed.id: safe_value(fixed)})]
    )
    edits = [
        PlanEdit(done.id, 1, done=True),  # kept under the earlier visit's room number
        PlanEdit(open_.id, 1, done=False, who="family"),
        PlanEdit(fixed.id, 1, done=True),
    ]
    result = compare(before, after, library, before_edits=edits)
    assert [(a.item_id, a.done_but_still_hazard) for a in result.remaining] == [(done.id, True), (open_.id, False)]
    assert [a.item_id for a in result.done_but_still_hazard] == [done.id]
    assert [a.item_id for a in result.fixed] == [fixed.id] and not result.fixed[0].done_but_still_hazard
    assert not any(a.done_but_still_hazard for a in compare(before, after, library).remaining)


FACTS = {"resident.age_over_50": "yes", "resident.postmenopausal": "yes", "resident.osteoporosis": "yes"}


def test_facts_about_the_person_are_never_hazards_still_to_do(library):
    """Over 50, postmenopausal, osteoporosis: true at every visit, and nothing anyone can fix.
    Listed as "still to do", they came first and hid the loose rug that was."""
    answers = {item: Answer(value=value) for item, value in FACTS.items()}
    before = visit("v1", BEFORE, [], {**answers, "resident.fallen_past_year": Answer(value="yes")})
    after = visit("v2", AFTER, [], {**answers, "resident.fallen_past_year": Answer(value="no")})
    result = compare(before, after, library)
    assert result.is_empty
    assert [s.kind for s in result.sections()] == ["fixed", "new", "remaining", "person"]


def test_a_fact_not_asked_at_the_last_visit_is_not_called_new(library):
    """The family skipped the questions about the person; the OT answers them: "over 50" is not
    news about the person, nobody knows whether it changed."""
    before = visit("v1", BEFORE, [])
    after = visit("v2", AFTER, [], {item: Answer(value=value) for item, value in FACTS.items()})
    assert compare(before, after, library).person == ()


def test_a_medicine_review_that_worked_is_fixed_and_one_marked_done_that_did_not_is_flagged(library):
    """What a fix or a treatment changes is compared as the rooms' hazards are, through the plan
    row it belongs to (the medicine review)."""
    item = "resident.medicine_dizzy_tired"
    assert not library.items[item].fact
    before = visit("v1", BEFORE, [], {item: Answer(value="yes")})
    assert [a.item_id for a in compare(before, visit("v2", AFTER, [], {item: Answer(value="no")}), library).fixed] == [item]
    after = visit("v2", AFTER, [], {item: Answer(value="yes")})
    [row] = compare(before, after, library).remaining
    from homeaudit import score

    [action] = [a for a in score(before, library).actions if any(f.item_id == item for f in a.answers)]
    assert action.item_id == "intervention.medicine_review" and row.action == action.action
    flagged = compare(before, after, library, before_edits=[PlanEdit(action.item_id, action.visit, done=True)])
    assert flagged.remaining[0].done_but_still_hazard


def test_a_fall_since_the_last_visit_is_new_about_the_person_with_what_the_plan_says(library):
    from homeaudit import score

    before = visit("v1", BEFORE, [], {"resident.fallen_past_year": Answer(value="no")})
    after = visit("v2", AFTER, [], {"resident.fallen_past_year": Answer(value="yes")})
    result = compare(before, after, library)
    assert (result.fixed, result.new, result.remaining) == ((), (), ())
    [fall] = result.person
    [action] = [a for a in score(after, library).actions if any(f.item_id == fall.item_id for f in a.answers)]
    assert (fall.title, fall.action) == ("The resident", action.action)
    assert "doctor" in action.action.lower()


# --------------------------------------------------------------------------- the command


@pytest.fixture
def two_visits(tmp_path, library):
    done, fixed = checks(library, "bathroom", 2)
    before = visit(
        "v1", BEFORE, [room("bathroom", {done.id: hazard_value(done), fixed.id: hazard_value(fixed)}, "Upstairs <b>bath</b>")]
    )
    after = visit(
        "v2", AFTER, [room("bathroom", {done.id: hazard_value(done), fixed.id: safe_value(fixed)}, "Upstairs <b>bath</b>")]
    )
    return save(before, tmp_path / "old.yaml"), save(after, tmp_path / "new.yaml"), (done, fixed)


def test_compare_json_is_the_comparison_as_a_dict(capsys, library, two_visits):
    old, new, (done, fixed) = two_visits
    code = cli.main(["compare", str(old), str(new), "--format", "json"])
    out, err = capsys.readouterr()
    data = json.loads(out)
    assert (code, err) == (0, "")
    assert data == compare(*(cli.read_audit(p, library)[0] for p in (old, new)), library).as_dict()
    assert [a["item_id"] for a in data["fixed"]] == [fixed.id]
    assert [a["item_id"] for a in data["remaining"]] == [done.id]
    assert data["remaining"][0]["label"] == "Upstairs <b>bath</b>"
    assert set(data["score_change"]) == {"overall", "rooms", "topics"}
    assert set(data["score_change"]["overall"]) == {"before", "after", "change"}
    assert data["before"] == {"id": "v1", "date": "2025-03-01"}


def test_compare_table_has_fixed_new_still_to_do_and_the_score(capsys, two_visits):
    old, new, (done, fixed) = two_visits
    assert cli.main(["compare", str(old), str(new)]) == 0
    out = capsys.readouterr().out
    assert out.index("Fixed") < out.index("New") < out.index("Still to do") < out.index("Home safety score")
    assert fixed.hazard in out and done.hazard in out


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["missing.yaml", "{new}"], "missing.yaml"),
        (["{bad}", "{new}"], "bad.yaml"),
        (["{new}", "{old}"], "earlier visit first"),
    ],
)
def test_compare_refuses_bad_input_with_one_line_and_exit_2(capsys, tmp_path, two_visits, argv, words):
    old, new, _ = two_visits
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: homeaudit/1\nrooms: [oops\n", encoding="utf-8")
    args = [a.format(old=old, new=new, bad=bad) for a in argv]
    code = cli.main(["compare", *args])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert words in err and "Traceback" not in err
    assert err.startswith("homeaudit compare:") and err.count("\n") == 1


def test_a_comparison_is_a_frozen_value(library):
    result = compare(visit("v1", BEFORE, []), visit("v2", AFTER, []), library)
    assert isinstance(result, Comparison) and result.is_empty
    with pytest.raises(AttributeError):
        result.fixed = ()  # type: ignore[misc]
