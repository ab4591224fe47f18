"""Walkthrough page: one room at a time, every answer saved the moment it is given."""

from __future__ import annotations

import pytest

from homeaudit import limits

from apptools import all_text, answer_key, headers, ok, open_page, png_bytes, whole


def first_item(library, room, answer_type="yes_no"):
    return next(i for i in library.room(room).items if i.answer_type == answer_type)


def test_a_tap_saves_the_answer_before_anything_else_happens(db, make_audit, library):
    audit_id = make_audit()
    item = first_item(library, "bathroom")
    at = open_page("walkthrough", audit_id, "bathroom")
    ok(at.segmented_control(key=answer_key(audit_id, 1, item.id)).set_value("no").run())
    assert db.load_audit(audit_id).rooms[1].answers[item.id].value == "no"
    ok(at.segmented_control(key=answer_key(audit_id, 1, item.id)).set_value(None).run())
    assert item.id not in db.load_audit(audit_id).rooms[1].answers


def test_answers_in_two_rooms_are_all_back_after_a_refresh_at_the_same_room(db, make_audit, library):
    audit_id = make_audit()
    entrance, bathroom = first_item(library, "entrance"), first_item(library, "bathroom")
    at = open_page("walkthrough", audit_id, "entrance")
    ok(at.segmented_control(key=answer_key(audit_id, 0, entrance.id)).set_value("yes").run())
    ok(whole(at).button(key="walk_next").click().run())
    assert at.query_params["room"] == "bathroom"
    ok(at.segmented_control(key=answer_key(audit_id, 1, bathroom.id)).set_value("na").run())

    again = open_page("walkthrough", audit_id, at.query_params["room"])  # a new tab / restarted server
    assert headers(again) == ["Bathroom"]
    assert again.segmented_control(key=answer_key(audit_id, 1, bathroom.id)).value == "na"
    again.button(key="walk_back").click().run()
    assert again.segmented_control(key=answer_key(audit_id, 0, entrance.id)).value == "yes"


def test_rooms_come_in_walking_order_starting_with_the_resident_and_next_and_back_follow_it(make_audit):
    audit_id = make_audit(rooms=("bedroom", "bathroom", "entrance"))
    at = open_page("walkthrough", audit_id)
    seen = [headers(at)[0]]
    while at.button(key="walk_next") if any(b.key == "walk_next" for b in at.button) else None:
        ok(at.button(key="walk_next").click().run())
        seen.append(headers(at)[0])
    assert seen == ["About the resident", "Entrance and outside steps", "Bathroom", "Bedroom"]
    ok(at.button(key="walk_back").click().run())
    assert headers(at) == ["Bathroom"] and at.query_params["room"] == "bathroom"


def test_opening_the_audit_again_without_a_room_returns_to_where_an_answer_was_last_given(db, make_audit, library):
    audit_id = make_audit()
    at = open_page("walkthrough", audit_id, "bedroom")
    item = first_item(library, "bedroom")
    ok(at.button_group(key=answer_key(audit_id, 2, item.id, "value")).set_value("yes").run())
    assert headers(open_page("walkthrough", audit_id)) == ["Bedroom"]


def test_opening_a_room_to_look_at_it_writes_nothing(db, make_audit):
    audit_id = make_audit()
    before = [(a["updated_at"], a["last_room"]) for a in db.list_audits()]
    open_page("walkthrough", audit_id, "bedroom")
    open_page("results", audit_id)
    assert [(a["updated_at"], a["last_room"]) for a in db.list_audits()] == before


def test_the_room_list_jumps_to_any_room(make_audit):
    audit_id = make_audit()
    at = open_page("walkthrough", audit_id)
    jump = next(s for s in at.selectbox if s.label == "Go to a room")
    ok(jump.set_value("bedroom").run())
    assert headers(at) == ["Bedroom"] and at.query_params["room"] == "bedroom"


def test_two_tabs_on_one_audit_do_not_overwrite_each_others_answers(db, make_audit, library):
    audit_id = make_audit()
    one, two = [i for i in library.room("bathroom").items if i.answer_type == "yes_no"][:2]
    tab_a = open_page("walkthrough", audit_id, "bathroom")
    tab_b = open_page("walkthrough", audit_id, "bathroom")
    ok(tab_a.segmented_control(key=answer_key(audit_id, 1, one.id)).set_value("no").run())
    ok(tab_b.segmented_control(key=answer_key(audit_id, 1, two.id)).set_value("yes").run())
    answers = db.load_audit(audit_id).rooms[1].answers
    assert (answers[one.id].value, answers[two.id].value) == ("no", "yes")
    assert whole(tab_b).segmented_control(key=answer_key(audit_id, 1, one.id)).value == "no"


def test_a_room_not_in_this_home_hides_its_questions_and_counts_as_done(db, make_audit):
    audit_id = make_audit()
    at = open_page("walkthrough", audit_id, "bedroom")
    assert "Rooms done: 0 of 3" in at.get("progress")[0].proto.text
    ok(at.toggle(key=f"present|{audit_id}|2").set_value(False).run())
    assert db.load_audit(audit_id).rooms[2].present is False
    assert not [s for s in at.segmented_control if s.key and s.key.startswith(f"{audit_id}|2|")]
    assert "Rooms done: 1 of 3" in at.get("progress")[0].proto.text


def test_a_measurement_is_saved_with_the_unit_chosen_and_an_impossible_reading_is_refused(db, make_audit, library):
    audit_id = make_audit()
    item = first_item(library, "bathroom", "measurement")
    at = open_page("walkthrough", audit_id, "bathroom")
    ok(at.segmented_control(key=answer_key(audit_id, 1, item.id, "unit")).set_value("in").run())
    ok(at.number_input(key=answer_key(audit_id, 1, item.id, "number")).set_value(34.5).run())
    answer = db.load_audit(audit_id).rooms[1].answers[item.id]
    assert (answer.value, answer.unit) == (34.5, "in")

    ok(at.number_input(key=answer_key(audit_id, 1, item.id, "number")).set_value(9000).run())
    assert "not a possible reading" in all_text(at)
    assert db.load_audit(audit_id).rooms[1].answers[item.id].value == 34.5

    ok(at.checkbox(key=answer_key(audit_id, 1, item.id, "na")).check().run())
    assert db.load_audit(audit_id).rooms[1].answers[item.id].value == "na"


def test_a_reading_no_home_gives_asks_whether_the_other_unit_was_meant(db, make_audit, library):
    audit_id = make_audit()
    item = library.items["bathroom.grab_bar_height"]  # safe: 33-36 in (83.8-91.4 cm)
    at = open_page("walkthrough", audit_id, "bathroom")
    ok(at.segmented_control(key=answer_key(audit_id, 1, item.id, "unit")).set_value("cm").run())
    ok(at.number_input(key=answer_key(audit_id, 1, item.id, "number")).set_value(34.0).run())
    assert "34 cm is far outside what a home usually measures here. If you measured in inches" in all_text(at)
    ok(at.number_input(key=answer_key(audit_id, 1, item.id, "number")).set_value(80.0).run())
    assert "far outside" not in all_text(at)  # a low grab bar is a real hazard: no talk of another unit


def test_a_real_hazard_just_outside_the_range_is_never_questioned(db, make_audit, library):
    """90 lux in a hallway at night is dim, not '90 foot-candles'; the warning would invite a wrong fix."""
    audit_id = make_audit(rooms=("hallway",))
    item = next(i for i in library.room("hallway").items if i.answer_type == "measurement" and i.unit == "lux")
    at = open_page("walkthrough", audit_id, "hallway")
    ok(at.segmented_control(key=answer_key(audit_id, 0, item.id, "unit")).set_value("lux").run())
    ok(at.number_input(key=answer_key(audit_id, 0, item.id, "number")).set_value(90.0).run())
    assert db.load_audit(audit_id).rooms[0].answers[item.id].value == 90.0
    assert "far outside" not in all_text(at) and "foot-candle" not in all_text(at)


def test_a_saved_reading_without_a_unit_shows_in_the_items_unit_even_after_inches_were_used(db, make_audit, library):
    audit_id = make_audit()
    db.save_answer(audit_id, 1, "bathroom.toilet_seat_height", 45)  # no unit: cm, the item's unit
    db.save_answer(audit_id, 1, "bathroom.grab_bar_height", 34, "in")  # the auditor has used inches
    at = open_page("walkthrough", audit_id, "bathroom")
    assert at.segmented_control(key=answer_key(audit_id, 1, "bathroom.toilet_seat_height", "unit")).value == "cm"


def _open_extras(at, audit_id, visit, item_id):
    at.session_state[answer_key(audit_id, visit, item_id, "more")] = True
    at.run()
    at.session_state[answer_key(audit_id, visit, item_id, "more")] = True
    return ok(at)


def _save_panel(at):
    """The note-and-photo panel's one Save button."""
    return next(b for b in at.button if b.label.startswith("Save note")).click().run()


def test_a_note_is_saved_and_shown_as_plain_text_never_as_markdown(db, make_audit, library):
    audit_id = make_audit()
    item = first_item(library, "bathroom")
    note = "![x](http://example.com/t.png) <img src=x> **loose**"
    at = _open_extras(open_page("walkthrough", audit_id, "bathroom"), audit_id, 1, item.id)
    at.text_area(key=answer_key(audit_id, 1, item.id, "note")).input(note)
    ok(_save_panel(at))
    assert db.load_audit(audit_id).rooms[1].answers[item.id].note == note
    assert "Saved: note." in all_text(at)
    at = whole(at)
    assert f"Note: {note}" in [t.value for t in at.text]
    assert not [m.value for m in at.markdown if "](" in m.value.replace("\\]\\(", "")]


def test_the_note_button_opens_the_panel_in_its_card_and_closes_it_again(db, make_audit, library):
    """The panel is built only while open (a page of forty cards stays light), and its button
    says what a tap will do."""
    audit_id = make_audit()
    item = first_item(library, "bathroom")
    at = open_page("walkthrough", audit_id, "bathroom")
    button = at.button(key=answer_key(audit_id, 1, item.id, "panel_button"))
    assert button.label == "Note or photo"
    assert not [t for t in at.text_area if t.label == "Note (optional)"]
    at = ok(button.click().run())
    assert [t.label for t in at.text_area] == ["Note (optional)"]
    button = at.button(key=answer_key(audit_id, 1, item.id, "panel_button"))
    assert button.label == "Close note and photos"
    at = ok(button.click().run())
    assert not at.text_area
    assert at.button(key=answer_key(audit_id, 1, item.id, "panel_button")).label == "Note or photo"


def test_typing_a_note_does_not_save_or_close_anything_until_save(db, make_audit, library):
    """Text typed in the panel stays in the box (nothing runs) until the one Save button."""
    audit_id = make_audit()
    item = first_item(library, "bathroom")
    at = _open_extras(open_page("walkthrough", audit_id, "bathroom"), audit_id, 1, item.id)
    at.text_area(key=answer_key(audit_id, 1, item.id, "note")).input("half a thought")
    assert item.id not in db.load_audit(audit_id).rooms[1].answers
    assert not [t for t in at.text_area if "Ctrl" in (t.placeholder or "")]


def test_a_note_typed_then_a_photo_chosen_are_both_saved_by_one_button(db, make_audit, library):
    """How occupational therapists record evidence: the note first, then the photo. Choosing the
    photo must not save the note on its own, close the panel or drop the photo."""
    audit_id = make_audit()
    item = first_item(library, "bathroom")
    at = _open_extras(open_page("walkthrough", audit_id, "bathroom"), audit_id, 1, item.id)
    at.text_area(key=answer_key(audit_id, 1, item.id, "note")).input("Bar loose at the left fixing")
    at.file_uploader(key=answer_key(audit_id, 1, item.id, "upload|0")).upload("bar.png", png_bytes(), "image/png")
    ok(_save_panel(at))
    answer = db.load_audit(audit_id).rooms[1].answers[item.id]
    assert answer.note == "Bar loose at the left fixing"
    [ref] = answer.photos
    assert db.photo_bytes(ref, audit_id)[:3] == b"\xff\xd8\xff"  # kept as a clean JPEG
    assert "Saved: note and 1 photo." in all_text(at)


def test_a_photo_is_decoded_and_saved_with_its_answer(db, make_audit, library):
    audit_id = make_audit()
    item = first_item(library, "bathroom")
    at = _open_extras(open_page("walkthrough", audit_id, "bathroom"), audit_id, 1, item.id)
    at.file_uploader(key=answer_key(audit_id, 1, item.id, "upload|0")).upload("bar.png", png_bytes(), "image/png")
    ok(_save_panel(at))
    [ref] = db.load_audit(audit_id).rooms[1].answers[item.id].photos
    assert db.photo_bytes(ref, audit_id)[:3] == b"\xff\xd8\xff"  # kept as a clean JPEG
    assert "Saved: 1 photo." in all_text(at)


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("bar.jpg", b"this is not an image", "is not a photo"),
        ("huge.jpg", b"\xff\xd8" + b"0" * (limits.MAX_PHOTO_BYTES + 1), "the limit is 25.0 MB"),
    ],
)
def test_a_file_that_is_not_a_photo_or_too_big_is_refused_with_a_clear_message(db, make_audit, library, name, data, message):
    audit_id = make_audit()
    item = first_item(library, "bathroom")
    at = _open_extras(open_page("walkthrough", audit_id, "bathroom"), audit_id, 1, item.id)
    at.file_uploader(key=answer_key(audit_id, 1, item.id, "upload|0")).upload(name, data, "image/jpeg")
    ok(_save_panel(at))
    assert message in all_text(at)
    assert item.id not in db.load_audit(audit_id).rooms[1].answers


def test_progress_counts_rooms_done_and_questions_answered(db, make_audit, library):
    audit_id = make_audit(rooms=("laundry",))
    for item in library.room("laundry").items:
        db.save_answer(audit_id, 0, item.id, "na")
    at = open_page("walkthrough", audit_id, "laundry")
    total = len(library.room("laundry").items) + len(library.room("resident").items)
    text = at.get("progress")[0].proto.text
    assert "Rooms done: 1 of 1" in text and f"Questions answered: {len(library.room('laundry').items)} of {total}" in text


def test_a_room_can_be_added_during_the_walk(db, make_audit):
    audit_id = make_audit(rooms=("bathroom",))
    at = open_page("walkthrough", audit_id)
    at.session_state["add_room_open"] = True
    ok(at.run())
    at.session_state["add_room_open"] = True
    at.selectbox(key="add_room_kind").set_value("bathroom")
    at.text_input(key="add_room_label").input("Ensuite")
    ok(at.button(key="add_room").click().run())
    assert [(r.room, r.label) for r in db.load_audit(audit_id).rooms] == [("bathroom", ""), ("bathroom", "Ensuite")]
    assert headers(at) == ["Ensuite"] and at.query_params["room"] == "bathroom-2"


def test_without_an_open_audit_the_walkthrough_points_to_the_start_page(db):
    at = open_page("walkthrough")
    assert "Open an audit first" in all_text(at)


def test_an_audit_id_that_is_not_in_the_database_is_explained(db):
    at = open_page("walkthrough", "2020-01-01-nobody")
    assert "no audit 2020" in all_text(at)


def test_a_write_that_fails_says_so_until_a_write_succeeds_and_never_claims_all_is_saved(db, make_audit, library):
    from homeaudit.app import state

    audit_id = make_audit()
    item = first_item(library, "bathroom")
    at = open_page("walkthrough", audit_id, "bathroom")
    from sqlalchemy import event

    app_store = state._store_at(str(db.path.resolve()))  # the server's own store

    def query_only(connection, _record):
        connection.execute("PRAGMA query_only = ON")  # as a database that became read-only

    app_store._engine.dispose()
    event.listen(app_store._engine, "connect", query_only)
    try:
        ok(at.segmented_control(key=answer_key(audit_id, 1, item.id)).set_value("no").run())
        banner = [e.value.replace("\\", "") for e in at.error]  # as shown: Markdown escapes removed
        assert any("Your last change was NOT saved" in b and "read-only" in b for b in banner), banner
        assert item.id not in db.load_audit(audit_id).rooms[1].answers
    finally:
        event.remove(app_store._engine, "connect", query_only)
        app_store._engine.dispose()
    ok(at.segmented_control(key=answer_key(audit_id, 1, item.id)).set_value("yes").run())
    assert not any("NOT saved" in e.value for e in at.error)
    assert db.load_audit(audit_id).rooms[1].answers[item.id].value == "yes"


def test_a_room_can_be_given_its_own_name(db, make_audit):
    audit_id = make_audit(rooms=("bathroom", "bathroom"))
    at = open_page("walkthrough", audit_id, "bathroom-2")
    assert headers(at) == ["Bathroom 2"]
    at.text_input(key=f"rename|{audit_id}|1").input("Downstairs toilet")
    ok(next(b for b in at.button if b.label == "Save the name").click().run())
    assert db.load_audit(audit_id).rooms[1].label == "Downstairs toilet"
    assert headers(at) == ["Downstairs toilet"]


def test_the_room_switch_says_what_it_means_without_a_double_negative(make_audit):
    audit_id = make_audit()
    at = open_page("walkthrough", audit_id, "bedroom")
    switch = at.toggle(key=f"present|{audit_id}|2")
    assert switch.label == "This home has this room" and switch.value is True
    assert "not in this home" not in switch.label


def test_a_new_reading_starts_in_the_questions_own_unit_not_the_last_one_used(db, make_audit, library):
    """Inches used for a grab bar must not carry over to a bed height the checklist asks in cm."""
    audit_id = make_audit()
    db.save_answer(audit_id, 1, "bathroom.grab_bar_height", 34, "in")
    at = open_page("walkthrough", audit_id, "bathroom")
    item = library.items["bathroom.toilet_seat_height"]
    assert at.segmented_control(key=answer_key(audit_id, 1, item.id, "unit")).value == item.unit


def test_this_devices_unit_setting_chooses_where_new_readings_start(db, make_audit, library):
    audit_id = make_audit()
    at = open_page("walkthrough", audit_id, "bathroom")
    ok(at.segmented_control(key="view_units").set_value("imperial").run())
    assert at.segmented_control(key=answer_key(audit_id, 1, "bathroom.toilet_seat_height", "unit")).value == "in"
    ok(at.segmented_control(key="view_units").set_value("metric").run())
    assert at.segmented_control(key=answer_key(audit_id, 1, "bathroom.grab_bar_height", "unit")).value == "cm"


def test_compact_rows_still_save_every_kind_of_answer(db, make_audit, library):
    audit_id = make_audit()
    at = open_page("walkthrough", audit_id, "bathroom")
    ok(at.toggle(key="view_compact").set_value(True).run())
    yes_no = first_item(library, "bathroom")
    measured = first_item(library, "bathroom", "measurement")
    ok(at.segmented_control(key=answer_key(audit_id, 1, yes_no.id)).set_value("no").run())
    at = whole(at)
    ok(at.number_input(key=answer_key(audit_id, 1, measured.id, "number")).set_value(80.0).run())
    answers = db.load_audit(audit_id).rooms[1].answers
    assert answers[yes_no.id].value == "no" and answers[measured.id].value == 80.0
    assert at.session_state["_view"].compact is True


def test_only_open_questions_can_be_shown(db, make_audit, library):
    audit_id = make_audit()
    first = first_item(library, "bathroom")
    db.save_answer(audit_id, 1, first.id, "yes")
    at = open_page("walkthrough", audit_id, "bathroom")
    ok(at.toggle(key="view_only_open").set_value(True).run())
    assert not [s for s in at.segmented_control if s.key == answer_key(audit_id, 1, first.id)]
    others = [s for s in at.segmented_control if s.key and s.key.startswith(f"{audit_id}|1|") and s.key.endswith("|value")]
    assert len(others) == len([i for i in library.room("bathroom").items if i.answer_type != "measurement"]) - 1


def test_next_open_question_goes_to_the_next_room_with_one(db, make_audit, library):
    audit_id = make_audit(rooms=("entrance", "bathroom"))
    for item in library.room("resident").items:
        if item.answer_type != "measurement":
            db.save_answer(audit_id, -1, item.id, "no")
        else:
            db.save_answer(audit_id, -1, item.id, "na")
    for item in library.room("entrance").items:
        db.save_answer(audit_id, 0, item.id, "na")
    at = open_page("walkthrough", audit_id, "resident")
    ok(at.button(key="next_open").click().run())
    at = whole(at)
    assert at.query_params["room"] == "bathroom" and headers(at) == ["Bathroom"]
