"""Clients over time in the store: a client record with many visits, answers carried from the last
visit until confirmed, and what was decided about each action carried across visits."""

from __future__ import annotations

import datetime as dt
import io
import sqlite3

import pytest
from PIL import Image

from homeaudit.audit import Answer, Audit, Client, RoomVisit, dumps, loads
from homeaudit.plan import PlanEdit
from homeaudit.store import StoreError, connect, migrate
from homeaudit.store.legacy import MIGRATIONS


@pytest.fixture
def store(db_target):
    with connect(db_target) as s:
        yield s


def visit(name: str = "Ann Smith", address: str = "1 High St", *, audit_id: str = "", client_id: str = "") -> Audit:
    return Audit(
        id=audit_id,
        date=dt.date(2026, 1, 10),
        client=Client(id=client_id, name=name, address=address),
        resident={"resident.fallen_past_year": Answer(value="yes")},
        rooms=[
            RoomVisit(room="bathroom", answers={"bathroom.grab_bar_toilet": Answer(value="no", note="Towel rail used")}),
            RoomVisit(room="bedroom", label="Spare room"),
        ],
    )


def test_each_new_audit_gets_a_client_record_and_a_re_audit_joins_it(store):
    first = store.create_audit(visit())
    again = store.duplicate_audit(first, dt.date(2026, 6, 1))
    other = store.create_audit(visit("Bo Jones", "2 Low Rd"))
    clients = {c["name"]: c for c in store.clients()}
    assert clients["Ann Smith"]["visits"] == [first, again]
    assert clients["Ann Smith"]["dates"] == [dt.date(2026, 1, 10), dt.date(2026, 6, 1)]
    assert clients["Bo Jones"]["visits"] == [other]
    assert store.client_visits(clients["Ann Smith"]["id"]) == [first, again]


def test_the_same_name_and_address_is_never_joined_without_asking(store):
    first = store.create_audit(visit())
    second = store.create_audit(visit(name="ann  SMITH", address="1 high st"))
    one, two = store.load_audit(first).client.id, store.load_audit(second).client.id
    assert one != two
    assert store.clients_like("Ann Smith", "1 High St", besides=two) == [one]
    store.join_client(second, one)  # after someone said it is the same person
    assert store.client_visits(one) == [first, second]
    assert two not in {c["id"] for c in store.clients()}  # the empty record is gone
    with pytest.raises(StoreError, match="no client"):
        store.join_client(first, "client-nobody")


def test_an_imported_visit_carrying_a_known_client_id_joins_that_client(store, tmp_path):
    first = store.create_audit(visit())
    client_id = store.load_audit(first).client.id
    later = visit(audit_id="ann-later", client_id=client_id)
    later.date = dt.date(2026, 9, 1)
    assert store.load_audit(store.create_audit(later)).client.id == client_id
    assert store.client_visits(client_id) == [first, "ann-later"]
    # A file from another database keeps its client id here, so its own later visits join it too.
    with connect(tmp_path / "other.db") as elsewhere:
        moved = elsewhere.create_audit(loads(dumps(store.load_audit(first))))
        assert elsewhere.load_audit(moved).client.id == client_id


def test_a_re_audit_marks_every_copied_answer_from_the_last_visit_until_confirmed_or_changed(store):
    first = store.create_audit(visit())
    new = store.duplicate_audit(first)
    assert store.carried(new) == {(-1, "resident.fallen_past_year"), (0, "bathroom.grab_bar_toilet")}
    assert store.carried(first) == set()
    store.save_answer(new, 0, "bathroom.grab_bar_toilet", "yes")  # changed
    assert store.carried(new) == {(-1, "resident.fallen_past_year")}
    store.save_note(new, -1, "resident.fallen_past_year", "Twice, in the garden")  # a note confirms nothing
    assert store.carried(new) == {(-1, "resident.fallen_past_year")}
    assert store.confirm_answers(new, [(-1, "resident.fallen_past_year")]) == 1
    assert store.carried(new) == set()
    assert store.load_audit(new).resident["resident.fallen_past_year"].value == "yes"


def test_confirming_a_whole_visit_at_once_counts_what_it_confirmed(store):
    new = store.duplicate_audit(store.create_audit(visit()))
    assert store.confirm_answers(new) == 2
    assert store.confirm_answers(new) == 0


def test_an_action_has_a_state_and_the_follow_through_details_round_trip(store):
    audit_id = store.create_audit(visit())
    ref = store.add_fix_photo(audit_id, "rail.jpg", b"\xff\xd8\xffjpeg", "image/jpeg")
    store.save_plan_edit(
        audit_id,
        "bathroom.grab_bar_toilet",
        0,
        state="done",
        helper="Sam (son)",
        done_on=dt.date(2026, 2, 1),
        done_by="Joe the handyman",
        photo=ref,
    )
    store.save_plan_edit(audit_id, "resident.fallen_past_year", -1, state="declined", reason="Does not want a referral")
    done, declined = sorted(store.plan_edits(audit_id), key=lambda e: e.visit, reverse=True)
    assert done == PlanEdit(
        "bathroom.grab_bar_toilet",
        0,
        state="done",
        helper="Sam (son)",
        done_on=dt.date(2026, 2, 1),
        done_by="Joe the handyman",
        photo=ref,
    )
    assert done.done and not declined.done
    assert (declined.state, declined.reason) == ("declined", "Does not want a referral")


def test_a_state_that_is_not_one_and_another_audits_photo_are_refused(store):
    one, two = store.create_audit(visit()), store.create_audit(visit("Bo Jones"))
    theirs = store.add_fix_photo(two, "x.jpg", b"\xff\xd8\xff", "image/jpeg")
    with pytest.raises(StoreError, match="not a state"):
        store.save_plan_edit(one, "bathroom.grab_bar_toilet", 0, state="maybe")
    with pytest.raises(StoreError, match="no photo"):
        store.save_plan_edit(one, "bathroom.grab_bar_toilet", 0, state="done", photo=theirs)
    assert store.plan_edits(one) == []


def test_a_new_visit_carries_who_and_declined_but_not_done(store):
    first = store.create_audit(visit())
    store.save_plan_edit(first, "bathroom.grab_bar_toilet", 0, who="handyperson", helper="Joe", due=dt.date(2026, 2, 1))
    store.save_plan_edit(first, "resident.fallen_past_year", -1, state="declined", reason="Not now")
    store.save_plan_edit(first, "bathroom.other", 0, state="done", done_on=dt.date(2026, 1, 20))
    carried = {e.item_id: e for e in store.plan_edits(store.duplicate_audit(first))}
    assert set(carried) == {"bathroom.grab_bar_toilet", "resident.fallen_past_year"}
    assert (carried["bathroom.grab_bar_toilet"].helper, carried["bathroom.grab_bar_toilet"].state) == ("Joe", "open")
    assert carried["resident.fallen_past_year"].reason == "Not now"


def test_an_old_database_gets_one_client_per_chain_of_visits_and_done_becomes_a_state(tmp_path):
    path = tmp_path / "old.db"
    steps = [name for name, _ in MIGRATIONS]
    upto = steps.index("0006_follow_through")
    db = sqlite3.connect(path)  # as a version before 0006 left it: its own steps, no Alembic
    db.execute("CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    for name, statements in MIGRATIONS[:upto]:
        for statement in statements if isinstance(statements, list) else []:
            db.execute(statement)
        db.execute("INSERT INTO migrations VALUES (?, 'x')", (name,))
    for audit_id, date, previous in (
        ("ann-1", "2026-01-05", None),
        ("ann-2", "2026-05-01", "ann-1"),
        ("ann-elsewhere", "2026-02-01", None),
    ):
        db.execute(
            "INSERT INTO audits (id, audit_date, client_name, client_address, previous_id, created_at, updated_at)"
            " VALUES (?, ?, 'Ann Smith', '1 High St', ?, 'x', 'x')",
            (audit_id, date, previous),
        )  # ann-elsewhere: same name and address, not a re-audit
    db.execute(
        "INSERT INTO plan_edits (audit_id, item_id, visit, done, updated_at)"
        " VALUES ('ann-1', 'bathroom.grab_bar_toilet', 0, 1, 'x')"
    )
    db.commit()
    db.close()
    with connect(path) as s:
        assert s.schema_revision() == migrate.head()
        chains = sorted(c["visits"] for c in s.clients())
        assert len(chains) == 2 and sorted(len(c) for c in chains) == [1, 2]
        assert [e.state for e in s.plan_edits("ann-1")] == ["done"]


def test_the_cli_import_says_when_a_client_with_the_same_name_and_address_exists(tmp_path, capsys):
    from homeaudit.cli import main

    db = tmp_path / "cli.db"
    with connect(db) as s:
        s.create_audit(visit(audit_id="ann-1"))
    other = tmp_path / "ann-2.yaml"
    other.write_text(dumps(visit(audit_id="ann-2")))
    assert main(["import", str(other), "--db", str(db)]) == 0
    err = capsys.readouterr().err
    assert "another client record has the same name and address" in err
    with connect(db) as s:
        assert s.load_audit("ann-1").client.id != s.load_audit("ann-2").client.id  # not joined silently


def test_a_client_id_this_app_would_not_make_is_not_taken_from_a_file(store):
    odd = visit(audit_id="odd", client_id="x|y' OR 1=1")
    assert store.load_audit(store.create_audit(odd)).client.id.startswith("client-")
    assert store.load_audit("odd").client.id != "x|y' OR 1=1"


def test_two_records_are_joined_in_one_step(store):
    one, two, three = (store.create_audit(visit(audit_id=f"ann-{n}")) for n in (1, 2, 3))
    a, b = store.load_audit(one).client.id, store.load_audit(two).client.id
    store.join_client(three, b)
    assert store.join_clients(b, a) == 2
    assert set(store.client_visits(a)) == {one, two, three}
    assert b not in {c["id"] for c in store.clients()}
    with pytest.raises(StoreError, match="no client"):
        store.join_clients(b, a)


def test_deleting_a_clients_last_visit_removes_their_record(store):
    only = store.create_audit(visit("Cy Young", "9 Hill Rd"))
    client_id = store.load_audit(only).client.id
    store.delete_audit(only)
    assert client_id not in {c["id"] for c in store.clients()}


def test_a_file_carries_what_was_decided_about_the_plan_with_the_photo_of_the_fix(store, tmp_path):
    from homeaudit import checklist
    from homeaudit.photos import keep

    library = checklist.load()
    audit_id = store.create_audit(visit(audit_id="ann-plan"))
    picture = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(picture, "PNG")
    fixed = keep("rail.png", picture.getvalue())
    ref = store.add_fix_photo(audit_id, fixed.filename, fixed.data, fixed.mime)
    store.save_plan_edit(audit_id, "bathroom.grab_bar_toilet", 0, state="done", done_on=dt.date(2026, 2, 1), photo=ref)
    store.save_plan_edit(audit_id, "intervention.falls_check", -1, state="declined", reason="Not now", helper="Sam")
    zipped = store.export_bundle(audit_id)
    assert "actions:" in store.export_audit(audit_id)
    with connect(tmp_path / "elsewhere.db") as other:
        moved = other.import_file(zipped, library, "ann.zip").audit_id
        edits = {e.item_id: e for e in other.plan_edits(moved)}
        assert (edits["intervention.falls_check"].state, edits["intervention.falls_check"].reason) == ("declined", "Not now")
        done = edits["bathroom.grab_bar_toilet"]
        assert (done.state, done.done_on) == ("done", dt.date(2026, 2, 1))
        assert other.photo_bytes(done.photo, moved) == fixed.data  # the photo came along, kept in this database
        assert other.export_bundle(moved) == zipped  # and goes out again the same
        assert other.import_file(zipped, library, "ann.zip").status == "duplicate"


def test_an_action_for_a_room_the_file_does_not_have_is_refused_by_line(tmp_path):
    from homeaudit import checklist
    from homeaudit.audit import AuditError

    text = dumps(visit(audit_id="bad")) + "actions:\n- item: bathroom.grab_bar_toilet\n  visit: 7\n  state: done\n"
    with pytest.raises(AuditError, match=r"action 1 .*no room number 8"):
        loads(text, checklist.load(), "bad.yaml")
