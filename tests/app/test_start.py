"""Start page: a new audit, continuing a saved one, importing a file."""

from __future__ import annotations

import io

from PIL import Image
from streamlit.testing.v1 import AppTest

from homeaudit.audit import dumps, visit_titles

from apptools import APP, all_text, headers, ok, open_page, png_bytes


def _submit(at):
    next(b for b in at.button if b.label == "Create the audit and start").click()
    return at.run()


def test_creating_an_audit_saves_who_whose_home_its_rooms_and_resident_answers_then_opens_the_walkthrough(db, library):
    at = open_page("start")
    resident_item = library.room("resident").items[0]
    at.text_input(key="client_name").input("Ann Smith")
    at.text_input(key="address").input("1 High Street")
    at.radio(key="role").set_value("ot")
    at.number_input(key="count_bedroom").set_value(2)
    at.number_input(key="count_stairs").set_value(0)
    at.number_input(key="count_office").set_value(1)
    at.segmented_control(key=f"res_{resident_item.id}").set_value("yes")
    ok(_submit(at))

    [saved] = db.list_audits()
    audit = db.load_audit(saved["id"])
    assert (audit.client.name, audit.client.address, audit.auditor.role) == ("Ann Smith", "1 High Street", "ot")
    rooms = [r.room for r in audit.rooms]
    assert rooms.count("bedroom") == 2 and "stairs" not in rooms and "office" in rooms
    titles = visit_titles(audit, library)
    assert [titles[v] for v, r in enumerate(audit.rooms) if r.room == "bedroom"] == ["Bedroom 1", "Bedroom 2"]
    assert audit.resident[resident_item.id].value == "yes"
    assert at.query_params["audit"] == audit.id
    assert headers(at) == [library.room("resident").name]


def test_a_new_audit_needs_the_name_of_whose_home_it_is(db):
    at = ok(_submit(open_page("start")))
    assert "Please type the name" in all_text(at)
    assert db.list_audits() == []


def test_an_open_audit_can_be_continued_from_the_start_page(make_audit):
    audit_id = make_audit()
    at = open_page("start", audit_id)
    assert "Ann Smith" in all_text(at)
    ok(at.button(key="continue_open").click().run())
    assert headers(at) == ["About the resident"]
    assert at.query_params["audit"] == audit_id


def test_coming_back_on_a_new_session_offers_the_audit_worked_on_last_first(db, make_audit, library):
    """A family member opening the app again on a new phone session: their saved audit, not an
    empty form they might start over in."""
    first = make_audit(name="Ann Smith")
    make_audit(name="Bob Jones")
    db.save_answer(first, 0, library.room("bathroom").items[0].id, "no")  # Ann's is the one worked on last
    at = open_page("start")
    assert "Last worked on: Ann Smith" in all_text(at).replace("*", "")
    ok(at.button(key="continue_open").click().run())
    assert at.query_params["audit"] == first


def test_the_start_page_of_an_empty_database_offers_only_a_new_audit(db):
    at = open_page("start")
    assert "Last worked on" not in all_text(at) and not [b for b in at.button if b.key == "continue_open"]


def _choose(at, mode):
    return ok(at.segmented_control(key="start_mode").set_value(mode).run())


def test_a_saved_audit_is_continued_by_choosing_it_from_the_list(make_audit):
    first = make_audit(name="Ann Smith")
    second = make_audit(name="Bob Jones")
    at = _choose(open_page("start"), "resume")
    at.selectbox(key="resume_choice").set_value(first)
    ok(at.button(key="resume").click().run())
    assert at.query_params["audit"] == first != second
    assert "Ann Smith" in all_text(at)


def test_importing_an_audit_file_saves_it_and_opens_its_results(db, make_audit):
    source = make_audit(name="Cara Diaz")
    db.save_answer(source, 1, "bathroom.grab_bar_toilet", "no")
    text = dumps(db.load_audit(source))
    db.delete_audit(source)

    at = _choose(open_page("start"), "import")
    at.file_uploader(key="import_file").upload("cara.yaml", text.encode(), "application/x-yaml")
    at.run()
    ok(at.button(key="import").click().run())

    [saved] = db.list_audits()
    assert db.load_audit(saved["id"]).rooms[1].answers["bathroom.grab_bar_toilet"].value == "no"
    assert [t.value for t in at.title] == ["Results"]
    assert at.query_params["audit"] == saved["id"]


def test_importing_an_exported_zip_brings_its_photos_back(db, make_audit):
    source = make_audit(name="Cara Diaz")
    ref = db.add_photo(source, 1, "bathroom.grab_bar_toilet", "gb.png", png_bytes())
    data = db.export_bundle(source)
    original = db.photo_bytes(ref)
    db.delete_audit(source)

    at = _choose(open_page("start"), "import")
    at.file_uploader(key="import_file").upload("cara.zip", data, "application/zip")
    at.run()
    ok(at.button(key="import").click().run())

    [saved] = db.list_audits()
    [kept] = db.load_audit(saved["id"]).rooms[1].answers["bathroom.grab_bar_toilet"].photos
    back = Image.open(io.BytesIO(db.photo_bytes(kept, saved["id"])))
    assert back.format == "JPEG" and back.size == Image.open(io.BytesIO(original)).size  # re-encoded on the way in


def test_a_broken_audit_file_is_refused_with_the_line_of_each_problem_and_nothing_is_saved(db, make_audit):
    source = make_audit()
    text = dumps(db.load_audit(source)).replace("room: bathroom", "room: ballroom")
    db.delete_audit(source)

    at = _choose(open_page("start"), "import")
    at.file_uploader(key="import_file").upload("broken.yaml", text.encode(), "application/x-yaml")
    at.run()
    ok(at.button(key="import").click().run())

    assert "cannot be imported" in all_text(at)
    [problems] = [c.value for c in at.code]
    assert "broken.yaml:" in problems and "unknown room 'ballroom'" in problems
    assert db.list_audits() == []


def test_what_was_typed_before_create_comes_back_after_a_reload(db):
    """A reload, a locked phone or a restarted server starts a new session: the form is kept in a
    draft under the id in the page's address, and comes back from it."""
    at = open_page("start")
    draft = at.query_params["draft"]
    at.text_input(key="client_name").input("Ann Smith").run()
    at.number_input(key="count_bedroom").set_value(3).run()
    ok(at.radio(key="role").set_value("ot").run())

    again = AppTest.from_file(str(APP), default_timeout=30)
    again.query_params["draft"] = draft
    ok(again.run())
    assert again.text_input(key="client_name").value == "Ann Smith"
    assert again.number_input(key="count_bedroom").value == 3
    assert again.radio(key="role").value == "ot"
    ok(_submit(again))
    assert [a["client"] for a in db.list_audits()] == ["Ann Smith"]
    assert db.load_draft(draft) is None  # created: the draft is gone


def test_opening_the_start_page_writes_no_draft(db):
    at = open_page("start")
    assert db.load_draft(at.query_params["draft"]) is None


def test_the_start_form_offers_the_same_answers_about_the_person_as_the_walkthrough(db, library):
    """A yes/no question about the person is Yes or No on both pages ("Not applicable" there
    showed as nothing chosen in the walkthrough); a choice keeps "Not applicable" (where the
    last fall was, when there was none) on both."""
    at = open_page("start")
    item = next(i for i in library.room("resident").items if i.answer_type == "yes_no")
    assert at.segmented_control(key=f"res_{item.id}").options == ["Yes", "No"]
    fall_where = at.segmented_control(key="res_resident.fall_where")
    assert fall_where.options[0] == "Entrance or outside steps" and fall_where.options[-1] == "Not applicable"


def test_import_is_one_of_three_choices_that_fit_a_phone(db):
    at = open_page("start")
    assert at.segmented_control(key="start_mode").options == ["Start a new audit", "Continue a saved audit", "Import a file"]
