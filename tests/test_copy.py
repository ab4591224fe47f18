"""Moving a family's database into a practice's server (``homeaudit migrate-db``,
homeaudit/store/copy.py): everything comes across under the practice, photos follow their new
numbers, the source is never changed, and a second copy is refused whole."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import replace

from homeaudit.audit import Answer, Audit, Client, RoomVisit
from homeaudit.cli import main
from homeaudit.store import connect

JPEG = bytes.fromhex("ffd8ffe000104a46494600010100000100010000ffdb004300") + b"\x08" * 64 + bytes.fromhex("ffd9")


def _family_laptop(path) -> list[str]:
    """A laptop's database: Ann's two visits (a re-audit), answers, notes, photos, plan edits."""
    with connect(path) as store:
        first = store.create_audit(
            Audit(
                id="2026-01-05-ann",
                date=dt.date(2026, 1, 5),
                client=Client(name="Ann Smith", address="1 High St"),
                rooms=[
                    RoomVisit(
                        room="bathroom",
                        answers={
                            "bathroom.grab_bar_toilet": Answer(value="no", note="Loose bar"),
                            "bathroom.grab_bar_height": Answer(value=33.5, unit="in"),
                        },
                    )
                ],
            )
        )
        store.add_photo(first, 0, "bathroom.grab_bar_toilet", "bar.jpg", JPEG, "image/jpeg")
        fix = store.add_fix_photo(first, "fixed.jpg", JPEG + b"fix", "image/jpeg")
        store.save_plan_edit(first, "bathroom.grab_bar_toilet", 0, state="done", done_by="Sam", photo=fix)
        second = store.duplicate_audit(first, dt.date(2026, 6, 1))
        store.add_photo(second, 0, "bathroom.grab_bar_toilet", "again.jpg", JPEG + b"2", "image/jpeg")
        return [first, second]


def test_a_family_database_moves_into_a_practice_server_whole(tmp_path, postgres_url, capsys):
    laptop = tmp_path / "homeaudit.db"
    ids = _family_laptop(laptop)
    with connect(postgres_url, practice="elsewhere") as other:  # the server already has a photo or two
        bo = other.create_audit(Audit(id="x", client=Client(name="Bo")))
        other.add_fix_photo(bo, "p.jpg", JPEG, "image/jpeg")
    digest = hashlib.sha256(laptop.read_bytes()).hexdigest()

    assert main(["migrate-db", str(laptop), postgres_url, "--practice", "north"]) == 0
    assert "copied 2 audits of 1 clients" in capsys.readouterr().err
    assert hashlib.sha256(laptop.read_bytes()).hexdigest() == digest  # the source is untouched

    with connect(laptop) as source, connect(postgres_url, practice="north") as server:
        assert [a["id"] for a in server.list_audits()] == [a["id"] for a in source.list_audits()]
        assert len(server.clients()) == 1 and server.clients()[0]["visits"] == ids
        for audit_id in ids:
            theirs, ours = source.load_audit(audit_id), server.load_audit(audit_id)
            assert ours.model_dump(exclude={"rooms"}) == theirs.model_dump(exclude={"rooms"})
            for before, after in zip(theirs.rooms, ours.rooms, strict=True):
                for item_id, answer in before.answers.items():
                    moved = after.answers[item_id]
                    assert (moved.value, moved.unit, moved.note) == (answer.value, answer.unit, answer.note)
                    assert [server.photo_bytes(r, audit_id) for r in moved.photos] == [
                        source.photo_bytes(r, audit_id) for r in answer.photos
                    ]
            edits_before, edits_after = source.plan_edits(audit_id), server.plan_edits(audit_id)
            assert [replace(e, photo=None) for e in edits_after] == [replace(e, photo=None) for e in edits_before]
            for a, b in zip(edits_before, edits_after, strict=True):
                assert (a.photo is None) == (b.photo is None)
                if a.photo:
                    assert server.photo_bytes(b.photo, audit_id) == source.photo_bytes(a.photo, audit_id)
        assert server.carried(ids[1]) == source.carried(ids[1])
    with connect(postgres_url, practice="") as nobody:
        assert nobody.list_audits() == []  # under the practice named, nowhere else


def test_copying_the_same_database_again_is_refused_whole(tmp_path, postgres_url, capsys):
    laptop = tmp_path / "homeaudit.db"
    _family_laptop(laptop)
    assert main(["migrate-db", str(laptop), postgres_url, "--practice", "north"]) == 0
    capsys.readouterr()
    with connect(laptop) as source:
        source.create_audit(Audit(id="2026-07-01-new", client=Client(name="Cy")))
    assert main(["migrate-db", str(laptop), postgres_url, "--practice", "north"]) == 2
    err = capsys.readouterr().err
    assert "already holds audit 2026-01-05-ann" in err and "nothing was copied" in err
    with connect(postgres_url, practice="north") as server:
        assert not server.exists("2026-07-01-new")


def test_a_missing_source_is_one_clear_message(tmp_path, capsys):
    assert main(["migrate-db", str(tmp_path / "nope.db"), str(tmp_path / "dest.db")]) == 2
    assert "nope.db: no database here" in capsys.readouterr().err
    assert not (tmp_path / "dest.db").exists()


def test_a_copy_into_a_server_must_say_whose_audits_they_are(tmp_path, postgres_url, capsys):
    laptop = tmp_path / "homeaudit.db"
    _family_laptop(laptop)
    assert main(["migrate-db", str(laptop), postgres_url]) == 2
    assert "--practice NAME" in capsys.readouterr().err
    assert main(["--practice", "north", "migrate-db", str(laptop), postgres_url]) == 0  # before the command too
    with connect(postgres_url, practice="north") as server:
        assert len(server.list_audits()) == 2


def test_a_source_file_that_is_not_a_plain_homeaudit_database_is_refused_before_anything_reads_it(tmp_path, capsys):
    laptop = tmp_path / "homeaudit.db"
    _family_laptop(laptop)
    import sqlite3

    with sqlite3.connect(laptop) as raw:  # runs by itself once opened: homeaudit never makes one
        raw.execute("CREATE TRIGGER spy AFTER INSERT ON answers BEGIN DELETE FROM audits; END")
    raw.close()
    dest = tmp_path / "dest.db"
    assert main(["migrate-db", str(laptop), str(dest)]) == 2
    err = capsys.readouterr().err
    assert f"{laptop}: not a homeaudit database: it holds trigger spy" in err and "nothing was copied" in err
    assert not dest.exists()
