"""The checklist library: what the bundled YAML must contain, and how broken files are reported."""

from __future__ import annotations

import collections
import textwrap
from pathlib import Path

import pytest

from homeaudit import checklist, words
from homeaudit.checklist import ChecklistError

BRIEF_TOPICS = ["lighting", "rugs_floors", "grab_bars", "chairs_seating", "screen_height", "sleeping_posture"]
ROOMS = [
    "entrance", "hallway", "living_room", "kitchen", "stairs", "bathroom", "bedroom", "garden", "office", "laundry", "resident",
]  # fmt: skip
RELEASED_IDS = Path(__file__).with_name("released_item_ids.txt")

GOOD_ITEM = """
  - id: bathroom.test_item
    topic: lighting
    question: Is there a light?
    help: Look up.
    answer_type: yes_no
    hazard: No light
    severity: 2
    action: Fit a light.
    who: family
    cost: under_50
    source: Test
"""


def write_room(directory: Path, body: str, name: str = "bathroom") -> Path:
    path = directory / f"{name}.yaml"
    path.write_text(f"room: {name}\nname: Test {name}\nitems:\n" + textwrap.dedent(body).strip("\n").replace("\n", "\n") + "\n")
    return path


# ---- the bundled library ------------------------------------------------------------------------


def test_the_library_has_every_room_of_the_brief(library):
    assert set(ROOMS) <= set(library.room_ids)


def test_the_library_has_at_least_80_items(library):
    assert len(library.items) >= 80


@pytest.mark.parametrize("topic", BRIEF_TOPICS)
def test_each_topic_of_the_brief_has_several_items_across_rooms(library, topic):
    items = [i for i in library.items.values() if i.topic == topic]
    assert len(items) >= 3
    assert len({i.room for i in items}) >= 2


def test_every_topic_is_one_of_the_closed_set(library):
    assert {i.topic for i in library.items.values()} <= set(checklist.TOPICS)


def test_item_ids_start_with_their_room(library):
    for item in library.items.values():
        assert item.id.split(".")[0] == item.room


def test_released_item_ids_are_never_removed(library):
    """A released id stays an item, or is taken over by one (``replaces``) that reads its answers."""
    released = [line.strip() for line in RELEASED_IDS.read_text().splitlines() if line.strip() and not line.startswith("#")]
    missing = sorted(set(released) - set(library.items) - set(library.replaced))
    assert not missing, f"released item ids must never change; missing: {missing}"
    for old, new in library.replaced.items():
        assert old in released and new in library.items


def test_yes_is_the_safe_answer_in_every_room(library):
    for item in library.items.values():
        if item.answer_type == "yes_no" and item.room != checklist.RESIDENT_ROOM:
            assert item.hazard_options == ("no",), item.id


def test_resident_questions_are_the_stay_independent_screen_worth_14_points(library):
    steadi = [i for i in library.items_of("resident") if i.screen == "steadi"]
    assert len(steadi) == 12
    assert sum(i.steadi_points for i in steadi) == 14
    assert sorted(i.steadi_points for i in steadi).count(2) == 2
    assert all(i.hazard_options == ("yes",) for i in steadi)


def test_resident_section_has_risk_factors_warning_signs_and_conditions(library):
    screens = collections.Counter(i.screen for i in library.items_of("resident"))
    assert screens["risk_factor"] >= 6
    assert screens["warning_sign"] >= 3
    for item_id in ("resident.fallen_past_year", "resident.osteoporosis", "resident.back_pain", "resident.low_vision"):
        assert item_id in library.items


def test_warning_signs_say_to_see_a_doctor(library):
    for item in library.items_of("resident"):
        if item.screen == "warning_sign":
            assert item.who == "doctor" and item.action


def test_measurements_have_a_unit_and_a_safe_range(library):
    """Every measurement of the home has a safe range; a measurement of the person (knee height) has none."""
    measurements = [i for i in library.items.values() if i.answer_type == "measurement" and i.screen != "body"]
    assert len(measurements) >= 6
    for item in measurements:
        assert item.unit in ("cm", "lux")
        assert item.range is not None and item.range != (None, None)


def test_every_item_cites_a_source_and_says_who_acts_and_what_it_costs(library):
    for item in library.items.values():
        assert item.citations and item.who in words.WHO and item.cost in words.COSTS


# ---- broken files ---------------------------------------------------------------------------------


def test_a_wrong_field_is_reported_with_file_line_item_and_field(tmp_path):
    path = write_room(tmp_path, GOOD_ITEM + GOOD_ITEM.replace("test_item", "second").replace("severity: 2", "severity: 7"))
    with pytest.raises(ChecklistError) as error:
        checklist.load_file(path)
    message = str(error.value)
    assert f"{path}:22: item bathroom.second: field 'severity'" in message
    assert "less than or equal to 3" in message


def test_an_unknown_topic_lists_the_item_and_field(tmp_path):
    path = write_room(tmp_path, GOOD_ITEM.replace("topic: lighting", "topic: lightning"))
    with pytest.raises(ChecklistError, match=r"item bathroom.test_item: field 'topic'"):
        checklist.load_file(path)


def test_only_a_question_about_the_person_can_be_a_fact_about_them(tmp_path):
    path = write_room(tmp_path, GOOD_ITEM.replace("    action: Fit a light.\n", "    action: Fit a light.\n    fact: true\n"))
    with pytest.raises(ChecklistError, match=r"bathroom.yaml:12: item bathroom.test_item: field 'fact': only a question about"):
        checklist.load_file(path)


def test_the_facts_about_the_person_are_what_no_fix_changes(library):
    facts = {i.id for i in library.items.values() if i.fact}
    assert {"resident.age_over_50", "resident.osteoporosis", "resident.fallen_past_year", "resident.lives_alone"} <= facts
    changeable = {"resident.medicine_dizzy_tired", "resident.smokes", "resident.low_calcium_vitamin_d", "resident.sleep_position"}
    assert not facts & changeable


def test_a_missing_action_is_an_error(tmp_path):
    path = write_room(tmp_path, GOOD_ITEM.replace("    action: Fit a light.\n", ""))
    with pytest.raises(ChecklistError, match=r"item bathroom.test_item: field 'action'"):
        checklist.load_file(path)


def test_hazard_options_must_be_among_the_options(tmp_path):
    body = GOOD_ITEM.replace(
        "answer_type: yes_no",
        "answer_type: choice\n    options: [{value: a, label: A}, {value: b, label: B}]\n    hazard_options: [c]",
    )
    path = write_room(tmp_path, body)
    with pytest.raises(ChecklistError, match=r"field 'hazard_options'.*not among the options"):
        checklist.load_file(path)


def test_a_measurement_needs_a_known_unit(tmp_path):
    body = GOOD_ITEM.replace("answer_type: yes_no", "answer_type: measurement\n    unit: furlong\n    range: [1, 2]")
    path = write_room(tmp_path, body)
    with pytest.raises(ChecklistError, match=r"field 'unit': unknown unit 'furlong'"):
        checklist.load_file(path)


def test_an_id_must_start_with_its_room(tmp_path):
    path = write_room(tmp_path, GOOD_ITEM.replace("bathroom.test_item", "kitchen.test_item"))
    with pytest.raises(ChecklistError, match=r"item kitchen.test_item: field 'id': must start with the room id"):
        checklist.load_file(path)


def test_a_duplicate_id_in_one_file_is_an_error(tmp_path):
    path = write_room(tmp_path, GOOD_ITEM + GOOD_ITEM)
    with pytest.raises(ChecklistError, match="used twice"):
        checklist.load_file(path)


def test_invalid_yaml_names_the_line(tmp_path):
    path = tmp_path / "bathroom.yaml"
    path.write_text("room: bathroom\nname: x\nitems:\n  - id: [unclosed\n")
    with pytest.raises(ChecklistError, match=rf"{path}:\d+: not valid YAML"):
        checklist.load_file(path)


def test_every_broken_file_of_a_directory_is_reported_at_once(tmp_path):
    write_room(tmp_path, GOOD_ITEM.replace("severity: 2", "severity: 0"), "bathroom")
    write_room(tmp_path, GOOD_ITEM.replace("bathroom.", "kitchen.").replace("cost: under_50", "cost: cheap"), "kitchen")
    with pytest.raises(ChecklistError) as error:
        checklist.load_dir(tmp_path)
    assert "bathroom.yaml" in str(error.value) and "kitchen.yaml" in str(error.value)


# ---- an OT's own checklists -----------------------------------------------------------------------


def test_an_extra_directory_adds_items_and_overrides_bundled_ones(tmp_path, library):
    bundled = library.items["bathroom.grab_bar_toilet"]
    override = GOOD_ITEM.replace("bathroom.test_item", "bathroom.grab_bar_toilet").replace("severity: 2", "severity: 1")
    write_room(tmp_path, GOOD_ITEM + override)
    merged = checklist.load(tmp_path)
    assert "bathroom.test_item" in merged.items
    assert merged.items["bathroom.grab_bar_toilet"].severity == 1 != bundled.severity
    assert len(merged.items) == len(library.items) + 1


def test_an_extra_directory_can_add_a_room(tmp_path, library):
    write_room(tmp_path, GOOD_ITEM.replace("bathroom.", "garage."), "garage")
    merged = checklist.load(tmp_path)
    assert "garage" in merged.room_ids and "garage.test_item" in merged.items


def test_the_extra_directory_can_come_from_the_environment(tmp_path, monkeypatch):
    write_room(tmp_path, GOOD_ITEM)
    monkeypatch.setenv("HOMEAUDIT_CHECKLISTS", str(tmp_path))
    assert "bathroom.test_item" in checklist.load().items


def test_a_missing_extra_directory_is_a_clear_error(tmp_path):
    with pytest.raises(ChecklistError, match="checklist directory not found"):
        checklist.load(tmp_path / "nope")


def test_adding_an_item_to_a_bundled_room_keeps_its_name_and_place(tmp_path, library):
    (tmp_path / "bathroom.yaml").write_text(
        "room: bathroom\nitems:\n" + textwrap.dedent(GOOD_ITEM).strip("\n").replace("\n", "\n  ").join(["  ", "\n"])
    )
    merged = checklist.load(tmp_path)
    assert merged.room_ids == library.room_ids
    assert merged.room("bathroom").name == library.room("bathroom").name
    assert merged.items_of("bathroom")[-1].id == "bathroom.test_item"


def test_a_key_given_twice_is_an_error(tmp_path):
    path = write_room(tmp_path, GOOD_ITEM.replace("    severity: 2\n", "    severity: 2\n    severity: 3\n"))
    with pytest.raises(ChecklistError, match=r"bathroom.yaml:\d+: field 'severity' is given twice"):
        checklist.load_file(path)


def test_a_bare_yes_in_hazard_options_means_the_word(tmp_path):
    path = write_room(tmp_path, GOOD_ITEM.replace("    hazard: No light", "    hazard_options: [yes]\n    hazard: No light"))
    assert checklist.load_file(path).items[0].hazard_options == ("yes",)


# ---- daily habits, urgency and what an intervention covers -------------------------------------------

HABIT = """
habits:
  - id: bending
    title: Bending, the OT's way
    advice: Bend the knees.
    why: It spares the back.
    when: {hazards: [resident.back_pain]}
    source_refs: [giangregorio-2015]
  - id: stairs_hand
    title: A hand on the rail
    advice: Keep one hand on the rail.
    why: A free hand can stop a slip.
    when: {topics: [stairs]}
    source_refs: [keall-2015]
"""


def test_the_daily_habits_are_in_the_library_and_an_ots_own_file_adds_or_replaces_them(tmp_path, library):
    assert library.habits and all(h.source_refs for h in library.habits.values())
    (tmp_path / checklist.HABITS_FILE).write_text(HABIT)
    merged = checklist.load(tmp_path)
    assert merged.habits["bending"].title == "Bending, the OT's way"  # same id: replaced
    assert "stairs_hand" in merged.habits and len(merged.habits) == len(library.habits) + 1
    assert list(merged.habits)[: len(library.habits)] == list(library.habits)  # the bundled order is kept


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ("giangregorio-2015", "no-such-ref"),
            r"habits.yaml:\d+: habit bending: field 'source_refs': unknown reference 'no-such-ref'",
        ),
        (("resident.back_pain", "resident.no_such"), r"habit bending: field 'when.hazards': unknown item 'resident.no_such'"),
        (("when: {topics: [stairs]}", "when: {topics: [stares]}"), r"habits.yaml:\d+: habit stairs_hand: field 'when.topics"),
    ],
)
def test_a_broken_habit_names_file_line_habit_and_field(tmp_path, change, message):
    (tmp_path / checklist.HABITS_FILE).write_text(HABIT.replace(*change))
    with pytest.raises(ChecklistError, match=message):
        checklist.load(tmp_path)


def test_only_a_warning_sign_has_an_urgency(tmp_path):
    path = write_room(tmp_path, GOOD_ITEM.replace("    who: family", "    urgency: today\n    who: family"))
    with pytest.raises(ChecklistError, match=r"field 'urgency': only a warning sign"):
        checklist.load_file(path)


def test_an_item_covered_by_an_unknown_intervention_is_an_error(tmp_path):
    write_room(tmp_path, GOOD_ITEM.replace("    who: family", "    covered_by: no_such_alarm\n    who: family"))
    with pytest.raises(
        ChecklistError, match=r"item bathroom.test_item: field 'covered_by': unknown intervention 'no_such_alarm'"
    ):
        checklist.load(tmp_path)


def test_a_checklist_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path):
    from homeaudit import limits

    big = tmp_path / "huge.yaml"
    with big.open("wb") as f:
        f.truncate(limits.MAX_AUDIT_BYTES + 1)
    with pytest.raises(checklist.ChecklistError, match=r"huge\.yaml: the file is 5,242,881 bytes; the limit is 5 MB"):
        checklist.load(tmp_path)
