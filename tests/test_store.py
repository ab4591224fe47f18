"""The store keeps every audit exactly as given, one answer per write, and survives restarts."""

from __future__ import annotations

import datetime as dt
import sqlite3
import stat
import threading

import pytest

from homeaudit.audit import (
    RESIDENT_VISIT,
    Answer,
    Assessment,
    Audit,
    AuditError,
    Auditor,
    Client,
    Consent,
    Contact,
    Declined,
    ReferredBy,
    RoomVisit,
    dumps,
)
from homeaudit.checklist import merge_rooms, parse_room
from homeaudit.plan import PlanEdit
from homeaudit.store import StoreError, connect, engines, migrate
from homeaudit.store.legacy import MIGRATIONS


def as_written(audit: Audit) -> Audit:
    """The audit as it was given to the store: without the client id the store gave it."""
    return audit.model_copy(update={"client": audit.client.model_copy(update={"id": ""})})


BATHROOM = """
room: bathroom
name: Bathroom
order: 60
items:
  - id: bathroom.grab_bar_toilet
    topic: grab_bars
    question: Is there a grab bar beside the toilet?
    help: Look at the wall beside the toilet.
    answer_type: yes_no
    hazard: No grab bar beside the toilet
    severity: 3
    action: Fit a grab bar.
    who: handyperson
    cost: 50_to_250
    source: ADA 2010
  - id: bathroom.grab_bar_height
    topic: grab_bars
    question: How high is the grab bar?
    help: Measure from the floor to the top of the bar.
    answer_type: measurement
    unit: cm
    range: [84, 92]
    hazard: Grab bar at the wrong height
    severity: 2
    action: Move the grab bar.
    who: handyperson
    cost: 50_to_250
    source: ADA 2010
"""

RESIDENT = """
room: resident
name: About the resident
order: 0
items:
  - id: resident.fallen_past_year
    topic: emergency
    question: Has the resident fallen in the past year?
    help: Any fall counts.
    answer_type: yes_no
    hazard_options: ["yes"]
    hazard: Fell in the past year
    severity: 3
    who: doctor
    cost: free
    source: CDC STEADI
    screen: steadi
    steadi_points: 2
"""


@pytest.fixture
def library():
    return merge_rooms([parse_room(BATHROOM, "bathroom.yaml"), parse_room(RESIDENT, "resident.yaml")])


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "nested" / "dir" / "homeaudit.db"


@pytest.fixture
def store(db_target):
    """A new database on each backend (SQLite, PostgreSQL): the same behaviour is asked of both."""
    with connect(db_target) as s:
        yield s


def read_only(store) -> None:
    """Make every connection of ``store`` from now on refuse writes, as a database that became read-only."""
    from sqlalchemy import event

    store._engine.dispose()
    event.listen(store._engine, "connect", lambda connection, _: connection.execute("PRAGMA query_only = ON"))


def full_audit() -> Audit:
    return Audit(
        id="2025-03-01-ann-smith",
        date=dt.date(2025, 3, 1),
        auditor=Auditor(name="Kim OT", role="ot"),
        client=Client(name="Ann Smith", address="1 High St", notes="Uses a stick"),
        resident={"resident.fallen_past_year": Answer(value="yes", note="Tripped on the rug")},
        rooms=[
            RoomVisit(
                room="bathroom",
                answers={
                    "bathroom.grab_bar_toilet": Answer(value="no", photos=("photo:99", "photos/bath.jpg")),
                    "bathroom.grab_bar_height": Answer(value=33.5, unit="in"),
                },
            ),
            RoomVisit(room="bathroom", label="Upstairs bathroom", present=False),
        ],
    )


def test_the_database_directory_is_created_on_first_connect(db_path):
    assert not db_path.parent.exists()
    connect(db_path).close()
    assert db_path.is_file()


def test_the_path_comes_from_HOMEAUDIT_DB_when_none_is_given(tmp_path, monkeypatch):
    monkeypatch.setenv("HOMEAUDIT_DB", str(tmp_path / "from-env.db"))
    with connect() as store:
        assert store.path == tmp_path / "from-env.db"
    assert (tmp_path / "from-env.db").is_file()


def test_without_HOMEAUDIT_DB_the_database_is_data_homeaudit_db_under_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.delenv("HOMEAUDIT_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    connect().close()
    assert (tmp_path / "data" / "homeaudit.db").is_file()


def test_the_database_uses_write_ahead_logging(db_path):
    connect(db_path).close()
    assert sqlite3.connect(db_path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_new_database_is_at_the_newest_revision_and_opening_it_again_changes_nothing(db_path):
    connect(db_path).close()
    schema = sqlite3.connect(db_path).execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall()
    with connect(db_path) as again:
        assert again.schema_revision() == migrate.head() == migrate.revisions()[-1]
    assert sqlite3.connect(db_path).execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall() == schema
    assert sqlite3.connect(db_path).execute("SELECT COUNT(*) FROM alembic_version").fetchone()[0] == 1


def test_a_database_made_by_an_older_version_is_upgraded_in_place(db_path):
    old = sqlite3.connect(db_path.parent.mkdir(parents=True) or db_path)
    old.execute("CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    for statement in MIGRATIONS[0][1]:
        old.execute(statement)
    old.execute("INSERT INTO migrations VALUES ('0001_initial', '2025-01-01T00:00:00+00:00')")
    old.execute("INSERT INTO audits (id, audit_date, created_at, updated_at) VALUES ('kept', '2025-01-01', 'x', 'x')")
    old.commit()
    old.close()
    with connect(db_path) as store:
        assert store.schema_revision() == migrate.head()
        assert store.load_audit("kept").date == dt.date(2025, 1, 1)
        store.set_last_room("kept", "bathroom-2")
        assert store.last_room("kept") == "bathroom-2"


def test_reopening_the_database_keeps_the_audits(db_path):
    with connect(db_path) as store:
        audit_id = store.create_audit(full_audit())
    with connect(db_path) as store:
        assert as_written(store.load_audit(audit_id)) == full_audit()


def test_an_audit_round_trips_exactly_with_units_notes_photos_and_absent_rooms(store):
    original = full_audit()
    audit_id = store.create_audit(original)
    assert audit_id == original.id
    loaded = store.load_audit(audit_id)
    assert as_written(loaded) == original
    assert dumps(as_written(loaded)) == dumps(original)
    assert f"id: {loaded.client.id}" in dumps(loaded)  # a later visit imported elsewhere joins this client


def _visit_report_audit() -> Audit:
    audit = full_audit()
    audit.auditor = Auditor(name="Ann Lee", role="ot", organisation="Eastside OT", registration="OT12345", contact="ann@ot")
    audit.client = Client(
        name="Ann Smith",
        address="1 High St",
        date_of_birth=dt.date(1941, 5, 2),
        lives_alone=True,
        diagnoses=("osteoporosis", "atrial fibrillation"),
        main_carer=Contact(name="Jo Smith", relationship="daughter", phone="0123"),
        case_reference="CASE-9",
    )
    audit.assessment = Assessment(
        referred_by=ReferredBy(by="Dr Patel", date=dt.date(2025, 2, 20), reason="two falls at home"),
        goals=("Get in and out of the bath safely",),
        consent=Consent(assessment=True, photos=True, sharing=False),
        observations={"toilet": "Pulls on the towel rail to stand", "stairs": "One rail, leads with the left leg"},
        declined=(
            Declined(recommendation="Remove the hall rug", reason="a family heirloom", item_id="bathroom.grab_bar_toilet"),
        ),
        follow_up=dt.date(2025, 6, 1),
    )
    answer = audit.rooms[0].answers["bathroom.grab_bar_toilet"]
    audit.rooms[0].answers["bathroom.grab_bar_toilet"] = answer.model_copy(update={"basis": "observed", "incident": "fell"})
    return audit


def test_the_visit_report_details_and_each_answers_basis_round_trip(store):
    original = _visit_report_audit()
    audit_id = store.create_audit(original)
    assert as_written(store.load_audit(audit_id)) == original


def test_visit_details_and_an_answers_basis_can_be_changed_alone(store):
    audit_id = store.create_audit(full_audit())
    report = _visit_report_audit()
    store.update_meta(audit_id, client=report.client)
    store.update_meta(audit_id, assessment=report.assessment)
    store.save_answer_details(audit_id, 0, "bathroom.grab_bar_height", basis="reported", incident="near_miss")
    loaded = store.load_audit(audit_id)
    assert (as_written(loaded).client, loaded.assessment) == (report.client, report.assessment)
    answer = loaded.rooms[0].answers["bathroom.grab_bar_height"]
    assert (answer.value, answer.unit, answer.basis, answer.incident) == (33.5, "in", "reported", "near_miss")
    with pytest.raises(StoreError):
        store.save_answer_details(audit_id, 0, "bathroom.grab_bar_height", basis="guessed")


def test_a_re_audit_keeps_the_client_but_starts_its_own_visit_details(store):
    old = store.create_audit(_visit_report_audit())
    new = store.load_audit(store.duplicate_audit(old))
    assert as_written(new).client == _visit_report_audit().client and new.assessment == Assessment()
    assert new.client.id == store.load_audit(old).client.id != ""
    assert new.rooms[0].answers["bathroom.grab_bar_toilet"].incident is None


def test_a_taken_id_is_made_unique(store):
    first = store.create_audit(full_audit())
    second = store.create_audit(full_audit())
    assert first == "2025-03-01-ann-smith"
    assert second == "2025-03-01-ann-smith-2"
    assert store.load_audit(second).id == second


def test_loading_an_unknown_audit_says_which_id(store):
    with pytest.raises(StoreError, match="no audit with id 'nope'"):
        store.load_audit("nope")


def test_saving_an_answer_keeps_its_note_and_photos(store):
    audit_id = store.create_audit(full_audit())
    store.save_answer(audit_id, 0, "bathroom.grab_bar_toilet", "yes")
    store.save_answer(audit_id, RESIDENT_VISIT, "resident.fallen_past_year", "no")
    audit = store.load_audit(audit_id)
    assert audit.rooms[0].answers["bathroom.grab_bar_toilet"] == Answer(value="yes", photos=("photo:99", "photos/bath.jpg"))
    assert audit.resident["resident.fallen_past_year"] == Answer(value="no", note="Tripped on the rug")


def test_a_measurement_is_kept_as_a_number_with_its_unit(store):
    audit_id = store.create_audit(Audit(id="a", rooms=[RoomVisit(room="bathroom")]))
    store.save_answer(audit_id, 0, "bathroom.grab_bar_height", 86, "cm")
    answer = store.load_audit(audit_id).rooms[0].answers["bathroom.grab_bar_height"]
    assert answer.value == 86.0 and isinstance(answer.value, float) and answer.unit == "cm"


def test_clearing_an_answer_makes_it_not_assessed_but_keeps_the_note(store):
    audit_id = store.create_audit(full_audit())
    store.clear_answer(audit_id, RESIDENT_VISIT, "resident.fallen_past_year")
    store.clear_answer(audit_id, 0, "bathroom.grab_bar_height")
    audit = store.load_audit(audit_id)
    assert audit.resident["resident.fallen_past_year"] == Answer(value=None, note="Tripped on the rug")
    assert "bathroom.grab_bar_height" not in audit.rooms[0].answers


def test_a_note_can_be_written_before_the_answer_and_removed_again(store):
    audit_id = store.create_audit(Audit(id="a", rooms=[RoomVisit(room="bathroom")]))
    store.save_note(audit_id, 0, "bathroom.grab_bar_toilet", "![x](http://example.com/t.png)")
    assert store.load_audit(audit_id).rooms[0].answers["bathroom.grab_bar_toilet"].note == "![x](http://example.com/t.png)"
    store.save_note(audit_id, 0, "bathroom.grab_bar_toilet", "")
    assert store.load_audit(audit_id).rooms[0].answers == {}


def test_writing_to_a_room_the_audit_does_not_have_is_refused(store):
    audit_id = store.create_audit(Audit(id="a", rooms=[RoomVisit(room="bathroom")]))
    with pytest.raises(StoreError, match="no room number 5"):
        store.save_answer(audit_id, 5, "bathroom.grab_bar_toilet", "yes")
    with pytest.raises(StoreError, match="no audit with id 'b'"):
        store.save_answer("b", 0, "bathroom.grab_bar_toilet", "yes")


def test_two_connections_answering_the_same_audit_do_not_overwrite_each_other(db_path):
    with connect(db_path) as first, connect(db_path) as second:
        audit_id = first.create_audit(Audit(id="a", rooms=[RoomVisit(room="bathroom")]))
        first.load_audit(audit_id)
        second.load_audit(audit_id)
        first.save_answer(audit_id, 0, "bathroom.grab_bar_toilet", "no")
        second.save_answer(audit_id, 0, "bathroom.grab_bar_height", 90, "cm")
        second.save_note(audit_id, 0, "bathroom.grab_bar_toilet", "loose")
        answers = first.load_audit(audit_id).rooms[0].answers
    assert answers == {
        "bathroom.grab_bar_toilet": Answer(value="no", note="loose"),
        "bathroom.grab_bar_height": Answer(value=90.0, unit="cm"),
    }


def test_many_threads_writing_answers_at_once_lose_none(db_path):
    with connect(db_path) as setup:
        audit_id = setup.create_audit(Audit(id="a", rooms=[RoomVisit(room="bathroom")] * 8))

    def answer_room(visit: int) -> None:
        with connect(db_path) as mine:
            for _ in range(5):
                mine.save_answer(audit_id, visit, "bathroom.grab_bar_toilet", "yes")
                mine.save_answer(audit_id, visit, "bathroom.grab_bar_height", 85.0 + visit, "cm")

    threads = [threading.Thread(target=answer_room, args=(v,)) for v in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with connect(db_path) as check:
        rooms = check.load_audit(audit_id).rooms
    assert [r.answers["bathroom.grab_bar_height"].value for r in rooms] == [85.0 + v for v in range(8)]
    assert all(r.answers["bathroom.grab_bar_toilet"].value == "yes" for r in rooms)


def test_a_photo_is_kept_as_bytes_and_listed_on_its_answer(store):
    audit_id = store.create_audit(Audit(id="a", rooms=[RoomVisit(room="bathroom")]))
    first = store.add_photo(audit_id, 0, "bathroom.grab_bar_toilet", "bar.jpg", b"\xff\xd8jpeg", "image/jpeg")
    second = store.add_photo(audit_id, 0, "bathroom.grab_bar_toilet", "bar2.jpg", b"\xff\xd8two", "image/jpeg")
    assert first.startswith("photo:") and first != second
    assert store.photo_bytes(first) == b"\xff\xd8jpeg"
    assert store.photo(second) == ("bar2.jpg", "image/jpeg", b"\xff\xd8two")
    assert store.load_audit(audit_id).rooms[0].answers["bathroom.grab_bar_toilet"].photos == (first, second)


def test_a_removed_photo_is_gone_from_the_answer_and_the_database(store):
    audit_id = store.create_audit(Audit(id="a", rooms=[RoomVisit(room="bathroom")]))
    ref = store.add_photo(audit_id, 0, "bathroom.grab_bar_toilet", "bar.jpg", b"img")
    store.remove_photo(audit_id, 0, "bathroom.grab_bar_toilet", ref)
    assert store.load_audit(audit_id).rooms[0].answers == {}
    with pytest.raises(StoreError, match="no photo"):
        store.photo_bytes(ref)


def test_a_photo_of_another_audit_is_not_shown_for_this_one(store):
    mine = store.create_audit(Audit(id="mine", rooms=[RoomVisit(room="bathroom")]))
    theirs = store.create_audit(Audit(id="theirs", rooms=[RoomVisit(room="bathroom")]))
    ref = store.add_photo(theirs, 0, "bathroom.grab_bar_toilet", "bar.jpg", b"private")
    with pytest.raises(StoreError, match="in audit 'mine'"):
        store.photo_bytes(ref, audit_id=mine)
    with pytest.raises(StoreError, match="not a photo kept in this database"):
        store.photo_bytes("photos/bath.jpg")


def test_metadata_rooms_and_presence_can_be_changed(store):
    audit_id = store.create_audit(Audit(id="a", rooms=[RoomVisit(room="bathroom")]))
    store.update_meta(audit_id, client=Client(name="Bo"), auditor=Auditor(name="Al", role="ot"), date=dt.date(2025, 1, 2))
    visit = store.add_room(audit_id, "bathroom", "Ensuite")
    store.set_present(audit_id, 0, False)
    store.rename_room(audit_id, 0, "Main bathroom")
    audit = store.load_audit(audit_id)
    assert (audit.client.name, audit.auditor.role, audit.date) == ("Bo", "ot", dt.date(2025, 1, 2))
    assert visit == 1
    assert [(r.label, r.present) for r in audit.rooms] == [("Main bathroom", False), ("Ensuite", True)]


def test_the_list_of_audits_shows_client_date_and_role_latest_first(store):
    store.create_audit(full_audit())
    store.create_audit(Audit(id="later", date=dt.date(2025, 6, 1), client=Client(name="Bo")))
    listed = store.list_audits()
    assert [a["id"] for a in listed] == ["later", "2025-03-01-ann-smith"]
    ann = listed[1]
    assert (ann["client"], ann["date"], ann["auditor_role"]) == ("Ann Smith", dt.date(2025, 3, 1), "ot")
    assert ann["updated_at"]


def test_a_re_audit_starts_from_the_previous_answers_with_a_new_id_and_todays_date(store):
    old_id = store.create_audit(full_audit())
    store.save_plan_edit(old_id, "bathroom.grab_bar_toilet", 0, done=True)
    new_id = store.duplicate_audit(old_id)
    old, new = store.load_audit(old_id), store.load_audit(new_id)
    assert new_id != old_id
    assert new.date == dt.date.today()
    assert new.client == old.client and [(r.room, r.label, r.present) for r in new.rooms] == [
        (r.room, r.label, r.present) for r in old.rooms
    ]
    assert new.rooms[0].answers["bathroom.grab_bar_height"] == Answer(value=33.5, unit="in")
    assert new.resident["resident.fallen_past_year"] == Answer(value="yes", note="Tripped on the rug")
    assert new.rooms[0].answers["bathroom.grab_bar_toilet"].photos == ()
    assert store.previous_id(new_id) == old_id
    assert store.plan_edits(new_id) == []
    assert as_written(store.load_audit(old_id)) == full_audit()


def test_deleting_an_audit_removes_it_with_its_photos_and_plan(store):
    audit_id = store.create_audit(full_audit())
    keep = store.create_audit(Audit(id="keep"))
    ref = store.add_photo(audit_id, 0, "bathroom.grab_bar_toilet", "x.jpg", b"img")
    store.save_plan_edit(audit_id, "bathroom.grab_bar_toilet", 0, done=True)
    store.delete_audit(audit_id)
    assert [a["id"] for a in store.list_audits()] == [keep]
    with pytest.raises(StoreError):
        store.photo_bytes(ref)
    with pytest.raises(StoreError, match="no audit"):
        store.delete_audit(audit_id)
    assert store.plan_edits(audit_id) == []


def test_plan_edits_are_kept_per_action_and_replaced_when_edited_again(store):
    audit_id = store.create_audit(full_audit())
    store.save_plan_edit(audit_id, "bathroom.grab_bar_toilet", 0, done=False, who="family", due=dt.date(2025, 4, 1))
    store.save_plan_edit(audit_id, "bathroom.grab_bar_height", 0, done=True)
    store.save_plan_edit(audit_id, "bathroom.grab_bar_toilet", 0, done=True, who="handyperson", due=None)
    assert store.plan_edits(audit_id) == [
        PlanEdit("bathroom.grab_bar_height", 0, done=True, who=None, due=None),
        PlanEdit("bathroom.grab_bar_toilet", 0, done=True, who="handyperson", due=None),
    ]


PLAN_TEXT = [("helper", "who does it, by name", 200), ("done_by", "done by", 200), ("reason", "why it was declined", 1000)]


@pytest.mark.parametrize(("field", "words", "limit"), PLAN_TEXT)
def test_a_plan_edit_longer_than_an_audit_file_holds_is_refused_and_the_audit_still_exports(store, field, words, limit):
    """A 1,500-character reason was once saved, then stopped every export of the database."""
    audit_id = store.create_audit(full_audit())
    store.save_plan_edit(audit_id, "bathroom.grab_bar_toilet", 0, state="declined", **{field: "x" * limit})
    with pytest.raises(StoreError, match=rf"'{words}' is {limit + 1:,} characters long; the limit is {limit:,}"):
        store.save_plan_edit(audit_id, "bathroom.grab_bar_toilet", 0, state="declined", **{field: "x" * (limit + 1)})
    [kept] = store.plan_edits(audit_id)
    assert getattr(kept, field) == "x" * limit
    assert "x" * limit in store.export_audit(audit_id).replace("\n", "").replace(" ", "")


def test_a_too_long_plan_edit_saved_before_the_check_makes_export_say_so(tmp_path):
    with connect(tmp_path / "h.db") as store:
        audit_id = store.create_audit(full_audit())
        store.save_plan_edit(audit_id, "bathroom.grab_bar_toilet", 0, state="declined", reason="short")
    with sqlite3.connect(tmp_path / "h.db") as raw:
        raw.execute("UPDATE plan_edits SET reason = ?", ("z" * 1500,))
    raw.close()
    with connect(tmp_path / "h.db") as store, pytest.raises(StoreError, match=r"longer than an audit file may hold.*Results"):
        store.export_audit(audit_id)


def test_importing_an_audit_that_is_already_there_is_skipped_as_a_duplicate(store, library):
    audit_id = store.create_audit(full_audit())
    text = store.export_audit(audit_id)
    assert text.startswith("format: homeaudit/1")
    again = store.import_file(text.encode(), library, "again.yaml")
    assert (again.audit_id, again.status) == (audit_id, "duplicate")
    assert [a["id"] for a in store.list_audits()] == [audit_id]


def test_a_different_audit_with_a_taken_id_is_a_copy_or_is_refused(store, library):
    audit_id = store.create_audit(full_audit())
    changed = store.export_audit(audit_id).replace("Uses a stick", "Uses a frame")
    with pytest.raises(StoreError, match=rf"changed.yaml: a different audit with the id '{audit_id}' is already in the database"):
        store.import_file(changed.encode(), library, "changed.yaml", on_conflict="refuse")
    assert len(store.list_audits()) == 1
    copy = store.import_file(changed.encode(), library, "changed.yaml")
    assert (copy.audit_id, copy.status) == (audit_id + "-2", "imported")
    assert store.load_audit(copy.audit_id).client.notes == "Uses a frame"


def test_a_broken_import_names_file_line_and_field_and_saves_nothing(store, library):
    text = dumps(full_audit()).replace("value: 33.5", "value: 3300.5")
    with pytest.raises(AuditError, match=r"visit\.yaml:\d+: room 1 \(bathroom\): item bathroom.grab_bar_height: field 'value'"):
        store.import_audit(text, library, source="visit.yaml")
    with pytest.raises(AuditError, match="not valid YAML"):
        store.import_audit("format: [", library)
    assert store.list_audits() == []


def test_a_locked_database_is_a_store_error_and_the_answer_can_be_saved_later(db_path, monkeypatch):
    monkeypatch.setattr(engines, "BUSY_TIMEOUT_MS", 50)
    store = connect(db_path)
    audit_id = store.create_audit(full_audit())
    blocker = sqlite3.connect(str(db_path), isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    try:
        with pytest.raises(StoreError, match="busy"):
            store.save_answer(audit_id, 0, "bathroom.grab_bar_toilet", "yes")
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    store.save_answer(audit_id, 0, "bathroom.grab_bar_toilet", "yes")
    assert store.load_audit(audit_id).rooms[0].answers["bathroom.grab_bar_toilet"].value == "yes"


# ---- private, honest about faults, and erase means gone ---------------------------------------------


def test_a_new_database_and_its_folder_are_private_to_their_owner(tmp_path):
    path = tmp_path / "new" / "homeaudit.db"
    with connect(path) as store:
        store.create_audit(full_audit())
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    for sidecar in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if sidecar.exists():
            assert stat.S_IMODE(sidecar.stat().st_mode) & 0o077 == 0, sidecar


def test_a_file_that_is_not_a_database_is_refused_by_name_and_left_as_it_was(tmp_path):
    path = tmp_path / "homeaudit.db"
    path.write_bytes(b"my tax return, not a database " * 100)
    before = path.read_bytes()
    with pytest.raises(StoreError, match=rf"{path}: this is not a homeaudit database, or it is damaged"):
        connect(path)
    assert path.read_bytes() == before


def test_a_write_to_a_database_that_became_read_only_is_a_store_error_naming_the_file(tmp_path):
    path = tmp_path / "homeaudit.db"
    with connect(path) as store:
        audit_id = store.create_audit(full_audit())
    store = connect(path)
    read_only(store)
    with pytest.raises(StoreError, match=rf"{path}: the database is read-only"):
        store.save_answer(audit_id, 0, "bathroom.grab_bar_toilet", "yes")
    store.close()
    with connect(path) as again:
        assert again.load_audit(audit_id).rooms[0].answers["bathroom.grab_bar_toilet"].value == "no"


def test_a_deleted_audit_leaves_no_trace_in_the_database_file_or_its_log(tmp_path):
    path = tmp_path / "homeaudit.db"
    secret_note, secret_photo = "Keysafe code 4417 behind the bins", b"\xff\xd8\xff" + b"PHOTO-OF-THE-HALL" * 500
    with connect(path) as store:
        keep = store.create_audit(full_audit())
        gone = store.create_audit(_visit_report_audit())
        store.save_note(gone, 0, "bathroom.grab_bar_toilet", secret_note)
        store.add_photo(gone, 0, "bathroom.grab_bar_toilet", "hall.jpg", secret_photo)
        reader = connect(path)  # the app, with the database open at the same time
        assert reader.load_audit(gone).rooms[0].answers["bathroom.grab_bar_toilet"].note == secret_note
        store.delete_audit(gone)
        raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("homeaudit.db"))
        for trace in (secret_note.encode(), b"PHOTO-OF-THE-HALL", b"Eastside OT", b"Dr Patel"):
            assert trace not in raw, trace
        assert reader.exists(keep) and not reader.exists(gone)
        reader.close()


def test_photos_kept_before_cleaning_are_re_encoded_once_and_a_non_photo_is_removed(db_path):
    from test_photos import jpeg_with_gps

    old = sqlite3.connect(db_path.parent.mkdir(parents=True) or db_path)
    old.execute("CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    for name, statements in MIGRATIONS[:3]:
        for statement in statements:
            old.execute(statement)
        old.execute("INSERT INTO migrations VALUES (?, '2025-01-01T00:00:00+00:00')", (name,))
    old.execute("INSERT INTO audits (id, audit_date, created_at, updated_at) VALUES ('a', '2025-01-01', 'x', 'x')")
    old.execute("INSERT INTO visits (audit_id, visit, room) VALUES ('a', 0, 'bathroom')")
    old.execute(
        "INSERT INTO answers (audit_id, visit, item_id, value_text, updated_at) "
        "VALUES ('a', 0, 'bathroom.grab_bar_toilet', 'no', 'x')"
    )
    for number, data in ((1, jpeg_with_gps()), (2, b"<html><script>alert(1)</script></html>")):
        old.execute(
            "INSERT INTO photos (id, audit_id, filename, data, created_at) VALUES (?, 'a', 'p.jpg', ?, 'x')", (number, data)
        )
        old.execute("INSERT INTO answer_photos VALUES ('a', 0, 'bathroom.grab_bar_toilet', ?, ?)", (number, f"photo:{number}"))
    old.commit()
    old.close()
    with connect(db_path) as store:
        steps = {row[0] for row in sqlite3.connect(db_path).execute("SELECT name FROM migrations")}
        assert "0004_clean_photos" in steps and store.schema_revision() == migrate.head()
        assert store.load_audit("a").rooms[0].answers["bathroom.grab_bar_toilet"].photos == ("photo:1",)
        cleaned = store.photo_bytes("photo:1", "a")
        assert b"Exif" not in cleaned and b"PhoneMaker" not in cleaned and cleaned[:3] == b"\xff\xd8\xff"
        with pytest.raises(StoreError):
            store.photo_bytes("photo:2", "a")
