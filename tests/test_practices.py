"""Each practice sees only its own clients (homeaudit/store: ``connect(..., practice=...)``), on
both backends: another practice's audit, client, photo or draft is "not found", exactly like one
that does not exist; and the command line against a server database asks whose audits to use."""

from __future__ import annotations

import datetime as dt

import pytest

from homeaudit.audit import Answer, Audit, Client, RoomVisit
from homeaudit.store import StoreError, connect

JPEG = bytes.fromhex("ffd8ffe000104a46494600010100000100010000ffdb004300") + b"\x08" * 64 + bytes.fromhex("ffd9")


def _visit(audit_id: str, name: str) -> Audit:
    return Audit(
        id=audit_id,
        date=dt.date(2026, 11, 2),
        client=Client(name=name, address="1 High St"),
        rooms=[RoomVisit(room="bathroom", answers={"bathroom.grab_bar_toilet": Answer(value="no", note="Loose bar")})],
    )


@pytest.fixture
def north_and_south(db_target):
    """Two practices on one database: north has Ann's audit (with a photo and a plan edit)."""
    north = connect(db_target, practice="north", author="alice@north.example")
    south = connect(db_target, practice="south", author="bob@south.example")
    audit_id = north.create_audit(_visit("2026-11-02-ann", "Ann Smith"))
    ref = north.add_photo(audit_id, 0, "bathroom.grab_bar_toilet", "bar.jpg", JPEG, "image/jpeg")
    north.save_plan_edit(audit_id, "bathroom.grab_bar_toilet", 0, who="family")
    yield north, south, audit_id, ref
    north.close()
    south.close()


def test_another_practices_audit_is_not_found_by_any_read(north_and_south):
    north, south, audit_id, ref = north_and_south
    assert north.exists(audit_id) and not south.exists(audit_id)
    with pytest.raises(StoreError, match=f"no audit with id '{audit_id}'"):
        south.load_audit(audit_id)
    assert south.list_audits() == [] and south.clients() == [] and south.load_audits() == []
    assert south.answer(audit_id, 0, "bathroom.grab_bar_toilet") is None
    assert south.plan_edits(audit_id) == [] and south.carried(audit_id) == set()
    with pytest.raises(StoreError, match="no photo"):
        south.photo(ref)
    with pytest.raises(StoreError, match="no photo"):
        south.photo(ref, audit_id)
    with pytest.raises(StoreError, match="no audit"):
        south.last_room(audit_id)
    with pytest.raises(StoreError, match="no audit"):
        south.export_bundle(audit_id)
    client_id = north.load_audit(audit_id).client.id
    assert south.client_visits(client_id) == [] and south.clients_like("Ann Smith", "1 High St") == []
    frames = south.practice_frames()
    assert all(frame.empty for frame in frames.values())
    assert len(north.practice_frames()["answers"]) == 1


def test_another_practices_audit_cannot_be_changed_or_deleted(north_and_south):
    north, south, audit_id, _ = north_and_south
    for change in (
        lambda: south.save_answer(audit_id, 0, "bathroom.grab_bar_toilet", "yes"),
        lambda: south.save_note(audit_id, 0, "bathroom.grab_bar_toilet", "mine now"),
        lambda: south.add_room(audit_id, "kitchen"),
        lambda: south.save_plan_edit(audit_id, "bathroom.grab_bar_toilet", 0, state="declined"),
        lambda: south.duplicate_audit(audit_id),
        lambda: south.delete_audit(audit_id),
    ):
        with pytest.raises(StoreError, match="no audit"):
            change()
    client_id = north.load_audit(audit_id).client.id
    with pytest.raises(StoreError, match="no client"):
        south.create_audit(_visit("bob", "Bo Li"), client_id=client_id)
    answer = north.load_audit(audit_id).rooms[0].answers["bathroom.grab_bar_toilet"]
    assert (answer.value, answer.note) == ("no", "Loose bar")


def test_an_audit_records_its_practice_and_author(north_and_south):
    north, _, audit_id, _ = north_and_south
    with north._transaction(read_only=True) as db:
        row = db.execute("SELECT practice, author FROM audits WHERE id = ?", (audit_id,)).one()
    assert tuple(row) == ("north", "alice@north.example")


def test_a_file_carrying_another_practices_ids_comes_in_as_new_never_joined(north_and_south, library):
    north, south, audit_id, _ = north_and_south
    file_bytes = north.export_audit(audit_id).encode()
    imported = south.import_file(file_bytes, library, "ann.yaml", on_conflict="refuse")
    assert imported.status == "imported" and imported.audit_id != audit_id
    theirs, ours = north.load_audit(audit_id), south.load_audit(imported.audit_id)
    assert ours.client.id != theirs.client.id  # not joined to north's client record
    assert north.client_visits(theirs.client.id) == [audit_id]
    assert [a["id"] for a in south.list_audits()] == [imported.audit_id]


def test_drafts_of_new_audits_are_kept_per_practice(db_target):
    north, south = connect(db_target, practice="north"), connect(db_target, practice="south")
    north.save_draft("draft-abc", {"client": "Ann"})
    assert south.load_draft("draft-abc") is None
    with pytest.raises(StoreError, match="could not be kept"):  # the same id cannot overwrite north's, and says so
        south.save_draft("draft-abc", {"client": "Mallory"})
    south.delete_draft("draft-abc")
    assert north.load_draft("draft-abc") == {"client": "Ann"}
    north.close()
    south.close()


def test_the_command_line_on_a_server_database_asks_whose_audits(postgres_url, capsys, monkeypatch, tmp_path):
    from homeaudit.cli import main

    monkeypatch.delenv("HOMEAUDIT_PRACTICE", raising=False)
    with connect(postgres_url, practice="north") as north:
        audit_id = north.create_audit(_visit("2026-11-02-ann", "Ann Smith"))
    assert main(["list", "--db", postgres_url]) == 2
    assert "--practice" in capsys.readouterr().err
    assert main(["list", "--db", postgres_url, "--practice", "south"]) == 0
    assert "Ann Smith" not in capsys.readouterr().out
    assert main(["list", "--db", postgres_url, "--practice", "north"]) == 0
    assert "Ann Smith" in capsys.readouterr().out
    monkeypatch.setenv("HOMEAUDIT_PRACTICE", "north")
    assert main(["export", audit_id, "-o", str(tmp_path / "ann.zip"), "--db", postgres_url]) == 0
    assert (tmp_path / "ann.zip").stat().st_size > 0


def test_a_server_that_cannot_be_reached_is_named_without_its_password(capsys):
    from homeaudit.cli import main

    url = "postgresql://homeaudit:s3cret-pw@127.0.0.1:1/practice"  # nothing listens on port 1
    assert main(["list", "--db", url, "--practice", "north"]) == 2
    err = capsys.readouterr().err
    assert "s3cret-pw" not in err and "127.0.0.1:1/practice" in err and "cannot be reached" in err
    assert main(["list", "--db", "postgresql://homeaudit:se@cret@127.0.0.1:1/practice", "--practice", "north"]) == 2
    err = capsys.readouterr().err
    assert "cret" not in err and "127.0.0.1:1/practice" in err, err


def test_the_database_and_practice_can_be_named_before_the_command_too(postgres_url, capsys, monkeypatch):
    from homeaudit.cli import main

    monkeypatch.delenv("HOMEAUDIT_PRACTICE", raising=False)
    with connect(postgres_url, practice="north") as north:
        north.create_audit(_visit("2026-11-02-ann", "Ann Smith"))
    assert main(["--db", postgres_url, "--practice", "north", "list"]) == 0
    assert "Ann Smith" in capsys.readouterr().out
    assert main(["--db", postgres_url, "--practice", "south", "list"]) == 0
    assert "Ann Smith" not in capsys.readouterr().out


def test_a_view_for_another_practice_shares_the_connections_and_sees_only_its_own(db_target):
    with connect(db_target) as server:
        north = server.for_practice("north", "alice@north.example")
        south = server.for_practice("south", "bob@south.example")
        audit_id = north.create_audit(_visit("2026-11-02-ann", "Ann Smith"))
        assert north._engine is server._engine is south._engine
        assert not south.exists(audit_id) and not server.exists(audit_id) and north.exists(audit_id)
        south.close()  # a view's close leaves the database open for the others
        assert north.load_audit(audit_id).client.name == "Ann Smith"


def test_an_audits_id_on_a_server_says_nothing_of_other_practices(db_target, library):
    """Ids are unique in the whole database; on a server a new one ends at random, so the id a
    practice gets never tells that another practice audited the same person that day."""
    north, south = connect(db_target, practice="north"), connect(db_target, practice="south")
    theirs = north.create_audit(_visit("2026-11-02-ann", "Ann Smith"))
    ours = south.create_audit(_visit("2026-11-02-ann", "Ann Smith"))
    alone = south.create_audit(_visit("2026-11-02-cy", "Cy Young"))  # nobody else has this one
    for made, wanted in ((theirs, "2026-11-02-ann"), (ours, "2026-11-02-ann"), (alone, "2026-11-02-cy")):
        assert made.startswith(wanted + "-") and len(made) == len(wanted) + 7
    file_bytes = north.export_audit(theirs).encode()
    probe = south.import_file(file_bytes, library, "probe.yaml", on_conflict="refuse")
    assert probe.status == "imported" and probe.audit_id.startswith(theirs + "-")
    # The same file again is found as this practice's own earlier import, not as north's audit.
    assert south.import_file(file_bytes, library, "probe.yaml") == probe.__class__(probe.audit_id, "duplicate")
    north.close()
    south.close()


def test_deleting_an_audit_touches_no_other_practices_rows(db_target):
    north, south = connect(db_target, practice="north"), connect(db_target, practice="south")
    theirs = north.create_audit(_visit("2026-11-02-ann", "Ann Smith"))
    with pytest.raises(StoreError, match="no audit"):  # a re-audit of another practice's audit
        south.create_audit(_visit("x", "Bo Li"), previous_id=theirs)
    mine = north.duplicate_audit(theirs, dt.date(2026, 12, 1))
    south.create_audit(_visit("y", "Bo Li"))
    north.delete_audit(theirs)
    assert north.previous_id(mine) is None
    north.close()
    south.close()


def test_the_audit_offered_to_go_back_to_is_ones_own_never_a_colleagues_or_another_practices(north_and_south):
    north, south, audit_id, _ = north_and_south
    assert north.last_worked_on()[0] == audit_id
    assert south.last_worked_on() is None
    colleague = north.for_practice("north", "carol@north.example")
    assert colleague.last_worked_on() is None
    colleague.create_audit(_visit("2026-11-03-bea", "Bea Jones"))
    assert colleague.last_worked_on()[1] == "Bea Jones"
    assert north.last_worked_on()[0] == audit_id  # Carol's newer audit is not Alice's to go back to
