"""Audit files (homeaudit/1): reading, writing, and the errors a bad file gets."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from homeaudit import audit as audit_mod
from homeaudit.audit import Answer, AuditError

from audit_builders import EXAMPLES

HEADER = "format: homeaudit/1\ndate: 2026-11-20\n"


def load_text(text: str, library, tmp_path, name: str = "a.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return audit_mod.load(path, library)


@pytest.mark.parametrize("name", ["safe-flat.yaml", "hazardous-house.yaml", "half-finished.yaml"])
def test_the_examples_are_valid_audits(library, name):
    audit = audit_mod.load(EXAMPLES / name, library)
    assert audit.id and audit.rooms


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_an_audit_survives_a_round_trip_through_its_file_format(library, fmt):
    original = audit_mod.load(EXAMPLES / "hazardous-house.yaml", library)
    again = audit_mod.loads(audit_mod.dumps(original, fmt), library)
    assert again == original


def test_the_documented_example_reads_as_documented(library, tmp_path):
    text = (
        HEADER
        + """id: 2026-11-20-kowalczyk
auditor: {name: Ann Lee, role: ot}
client: {name: Zoë Kowalczyk, address: 12 Elm St, notes: ""}
resident:
  resident.osteoporosis: "yes"
rooms:
  - room: bathroom
    label: Upstairs bathroom
    present: true
    answers:
      bathroom.grab_bar_toilet: "no"
      bathroom.grab_bar_height: {value: 34, unit: in, note: "loose", photos: [photos/gb.jpg]}
"""
    )
    audit = load_text(text, library, tmp_path)
    assert audit.client.name == "Zoë Kowalczyk"
    assert audit.auditor.role == "ot"
    answer = audit.rooms[0].answers["bathroom.grab_bar_height"]
    assert answer == Answer(value=34, unit="in", note="loose", photos=("photos/gb.jpg",))


def test_bare_yes_and_no_are_answers_not_booleans(library, tmp_path):
    text = HEADER + "rooms:\n  - room: bathroom\n    answers:\n      bathroom.grab_bar_toilet: yes\n      bathroom.bath_mat: no\n"
    audit = load_text(text, library, tmp_path)
    assert audit.rooms[0].answers["bathroom.grab_bar_toilet"].value == "yes"
    assert audit.rooms[0].answers["bathroom.bath_mat"].value == "no"


def test_json_audits_are_read_too(library, tmp_path):
    data = {
        "format": "homeaudit/1",
        "date": "2026-11-20",
        "rooms": [{"room": "kitchen", "answers": {"kitchen.light_level": 600}}],
    }
    audit = load_text(json.dumps(data), library, tmp_path, "a.json")
    assert audit.rooms[0].answers["kitchen.light_level"].value == 600


def test_a_missing_id_is_assigned_from_date_and_client(library, tmp_path):
    audit = load_text(HEADER + "client: {name: Zoë Kowalczyk}\nrooms: []\n", library, tmp_path)
    assert audit.id == "2026-11-20-zoe-kowalczyk"
    assert audit.date == dt.date(2026, 11, 20)


def test_an_empty_answer_means_not_assessed(library, tmp_path):
    text = HEADER + "rooms:\n  - room: bathroom\n    answers:\n      bathroom.grab_bar_toilet:\n"
    audit = load_text(text, library, tmp_path)
    assert not audit.rooms[0].answers["bathroom.grab_bar_toilet"].is_answered


# ---- errors name the file, the line, the room and the item ---------------------------------------


def bad(library, tmp_path, answers: str, room: str = "bathroom") -> str:
    text = HEADER + f"rooms:\n  - room: {room}\n    label: Upstairs\n    answers:\n{answers}"
    with pytest.raises(AuditError) as error:
        load_text(text, library, tmp_path)
    return str(error.value)


def test_an_unknown_item_id_is_named_with_its_room_and_line(library, tmp_path):
    message = bad(library, tmp_path, "      bathroom.grab_bar_toilet: 'no'\n      bathroom.jacuzzi: 'no'\n")
    where = f"{tmp_path / 'a.yaml'}:8: room 1 (Upstairs): item bathroom.jacuzzi"
    assert message == f"{where}: unknown item id (see `homeaudit checklist` for the ids)"


def test_an_item_of_another_room_is_an_error(library, tmp_path):
    message = bad(library, tmp_path, "      kitchen.light_level: 300\n")
    assert "item kitchen.light_level: this item belongs to the room 'kitchen'" in message


def test_a_wrong_answer_type_lists_the_allowed_answers(library, tmp_path):
    message = bad(library, tmp_path, "      bathroom.grab_bar_toilet: maybe\n")
    assert "item bathroom.grab_bar_toilet: field 'value': 'maybe' is not an allowed answer (yes, no, na)" in message


def test_a_word_where_a_measurement_belongs_is_an_error(library, tmp_path):
    message = bad(library, tmp_path, "      bathroom.grab_bar_height: high\n")
    assert "'high' is not a number (this item is a measurement in cm)" in message


def test_an_impossible_measurement_is_an_error(library, tmp_path):
    message = bad(library, tmp_path, "      bathroom.grab_bar_height: {value: 3400, unit: in}\n")
    assert "item bathroom.grab_bar_height: field 'value': 3400 in is not a possible reading" in message


def test_a_negative_measurement_is_an_error(library, tmp_path):
    assert "not a possible reading" in bad(library, tmp_path, "      bathroom.grab_bar_height: -5\n")


def test_an_unknown_unit_is_an_error(library, tmp_path):
    message = bad(library, tmp_path, "      bathroom.grab_bar_height: {value: 34, unit: cubits}\n")
    assert "field 'unit': unknown unit 'cubits'; use one of cm, mm, in" in message


def test_a_unit_of_the_wrong_kind_is_an_error(library, tmp_path):
    assert "'lux' does not measure this" in bad(library, tmp_path, "      bathroom.grab_bar_height: {value: 34, unit: lux}\n")


def test_an_unknown_room_lists_the_known_rooms(library, tmp_path):
    message = bad(library, tmp_path, "      {}\n", room="ballroom")
    assert "room 1 (Upstairs): field 'room': unknown room 'ballroom'; known rooms: entrance" in message


def test_every_problem_in_a_file_is_reported_at_once(library, tmp_path):
    message = bad(library, tmp_path, "      bathroom.jacuzzi: 'no'\n      bathroom.bath_mat: perhaps\n")
    assert len(message.splitlines()) == 2


def test_a_wrong_format_is_refused(library, tmp_path):
    with pytest.raises(AuditError, match=r"a.yaml:1: field 'format': expected 'homeaudit/1', got 'homeaudit/9'"):
        load_text("format: homeaudit/9\n", library, tmp_path)


def test_an_unknown_field_is_named(library, tmp_path):
    with pytest.raises(AuditError, match=r"a.yaml:3: field 'colour': unknown field"):
        load_text(HEADER + "colour: blue\n", library, tmp_path)


def test_a_bad_role_and_a_bad_date_are_named(library, tmp_path):
    text = "format: homeaudit/1\ndate: 20 November\nauditor: {name: A, role: nurse}\n"
    with pytest.raises(AuditError) as error:
        load_text(text, library, tmp_path)
    assert "a.yaml:2: field 'date'" in str(error.value)
    assert "a.yaml:3: field 'auditor.role'" in str(error.value)


def test_invalid_yaml_names_its_line(library, tmp_path):
    with pytest.raises(AuditError, match=r"a.yaml:3: not valid YAML or JSON"):
        load_text(HEADER + "rooms: x: y\n", library, tmp_path)


def test_a_missing_file_is_a_clear_error(library, tmp_path):
    with pytest.raises(AuditError, match="file not found"):
        audit_mod.load(tmp_path / "nope.yaml", library)


# ---- templates --------------------------------------------------------------------------------------


def test_a_blank_template_is_a_valid_audit_with_nothing_answered(library):
    blank = audit_mod.blank(library, ["bedroom", "bedroom", "stairs"])
    text = audit_mod.template(blank, library)
    again = audit_mod.loads(text, library)
    assert [r.room for r in again.rooms] == ["bedroom", "bedroom", "stairs"]
    assert again.room_keys() == ["bedroom", "bedroom-2", "stairs"]
    assert not any(a.is_answered for r in again.rooms for a in r.answers.values())
    assert "# Is there a grab bar" not in text and "bedroom.bed_height:" in text


def test_a_template_for_an_unknown_room_is_refused(library):
    with pytest.raises(AuditError, match="unknown room"):
        audit_mod.blank(library, ["ballroom"])


def test_rooms_are_named_as_people_call_them(library):
    audit = audit_mod.blank(library, ["bedroom", "bedroom", "kitchen", "bathroom"])
    audit.rooms[3].label = "Downstairs toilet"
    titles = audit_mod.visit_titles(audit, library)
    assert [titles[v] for v in range(4)] == ["Bedroom 1", "Bedroom 2", "Kitchen", "Downstairs toilet"]
    assert titles[-1] == "The resident"


def test_file_names_keep_the_letters_of_a_name():
    assert audit_mod.slug("Małgorzata Wójcik") == "malgorzata-wojcik"
    assert audit_mod.slug("Zoë Kowalczyk-Nguyễn") == "zoe-kowalczyk-nguyen"
    assert audit_mod.slug("王芳") == ""
