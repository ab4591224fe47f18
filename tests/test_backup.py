"""`homeaudit backup` while another process writes, and `homeaudit restore`, which keeps the old
database and refuses one that is in use."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from homeaudit import cli
from homeaudit.audit import Audit, RoomVisit
from homeaudit.store import connect, migrate

from audit_builders import EXAMPLES

ITEM = "bathroom.grab_bar_toilet"

#: Creates audits and saves answers until told to stop (a file appears) or a bound is reached;
#: prints each audit's id once it is committed.
WRITER = textwrap.dedent(
    f"""
    import sys
    from pathlib import Path
    from homeaudit.audit import Audit, RoomVisit
    from homeaudit.store import Store

    store, stop = Store(sys.argv[1]), Path(sys.argv[2])
    for i in range(5000):
        if stop.exists():
            break
        audit_id = store.create_audit(Audit(id=f"w-{{i:04d}}", rooms=[RoomVisit(room="bathroom")]))
        for j in range(3):
            store.save_answer(audit_id, 0, "{ITEM}", "yes" if j % 2 else "no")
        print(audit_id, flush=True)
    store.close()
    """
)

#: Holds the database open, as the app does, until its standard input closes.
HOLDER = textwrap.dedent(
    """
    import sys
    from homeaudit.store import Store

    store = Store(sys.argv[1])
    store.list_audits()
    print("ready", flush=True)
    sys.stdin.read()
    store.close()
    """
)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _ids(path: Path) -> set[str]:
    with connect(path, create=False) as store:
        return {r["id"] for r in store.list_audits()}


def _integrity(path: Path) -> list[str]:
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return [row[0] for row in db.execute("PRAGMA integrity_check")]
    finally:
        db.close()


@pytest.fixture()
def db(tmp_path) -> Path:
    path = tmp_path / "h.db"
    with connect(path) as store:
        store.create_audit(Audit(id="first", rooms=[RoomVisit(room="bathroom")]))
    return path


def test_a_backup_made_while_another_process_writes_holds_every_audit_committed_before_it(capsys, tmp_path, db):
    stop = tmp_path / "stop"
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db), str(stop)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert writer.stdout is not None
        committed = {"first"} | {writer.stdout.readline().strip() for _ in range(20)}
        dest = tmp_path / "backup.db"
        code, _, err = run(capsys, "backup", str(dest), "--db", str(db))
        still_writing = writer.poll() is None
    finally:
        stop.touch()
        rest, problems = writer.communicate(timeout=120)
    assert code == 0 and f"backed up {db} to {dest}" in err
    assert still_writing and writer.returncode == 0, problems  # the writer never failed or waited too long
    assert _integrity(dest) == ["ok"]
    saved = _ids(dest)
    assert committed <= saved
    with connect(dest, create=False) as copy:
        for audit_id in committed - {"first"}:
            assert copy.answer(audit_id, 0, ITEM) is not None
    assert Path(f"{dest}-wal").exists() is False  # one self-contained file
    assert len(_ids(db)) > len(committed) and rest  # the writer went on after the backup
    assert dest.stat().st_mode & 0o777 == 0o600


def test_backup_never_overwrites_a_file(capsys, tmp_path, db):
    dest = tmp_path / "backup.db"
    dest.write_text("my notes")
    code, _, err = run(capsys, "backup", str(dest), "--db", str(db))
    assert code == 2 and f"{dest}: already exists" in err and dest.read_text() == "my notes"
    code, _, err = run(capsys, "backup", str(tmp_path / "b.db"), "--db", str(tmp_path / "none.db"))
    assert code == 2 and "no database here" in err


def test_restore_refuses_a_database_another_process_has_open_and_changes_nothing(capsys, tmp_path, db):
    backup = tmp_path / "backup.db"
    assert run(capsys, "backup", str(backup), "--db", str(db))[0] == 0
    with connect(db) as store:
        store.create_audit(Audit(id="after-the-backup"))
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        code, _, err = run(capsys, "restore", str(backup), "--db", str(db))
    finally:
        holder.communicate(input="", timeout=60)
    assert code == 2 and f"{db}: the database is in use" in err and "nothing was restored" in err
    assert _ids(db) == {"first", "after-the-backup"}
    assert sorted(p.name for p in tmp_path.iterdir() if "restor" in p.name) == []


def test_restore_puts_the_backup_in_place_and_keeps_the_old_database(capsys, tmp_path, db):
    backup = tmp_path / "backup.db"
    assert run(capsys, "backup", str(backup), "--db", str(db))[0] == 0
    with connect(db) as store:
        store.create_audit(Audit(id="after-the-backup"))
    code, _, err = run(capsys, "restore", str(backup), "--db", str(db))
    assert code == 0 and f"restored {backup} to {db}" in err
    [kept] = [p for p in tmp_path.iterdir() if p.name.startswith("h.db.before-restore-")]
    assert f"kept as {kept}" in err
    assert _ids(db) == {"first"} and _ids(kept) == {"first", "after-the-backup"}
    assert _integrity(db) == ["ok"] and _integrity(kept) == ["ok"]
    assert not [p for p in tmp_path.iterdir() if ".restoring-" in p.name]
    assert backup.stat().st_size > 0 and _ids(backup) == {"first"}  # the backup itself is left as it was


def test_restore_to_a_new_place_makes_the_database(capsys, tmp_path, db):
    backup = tmp_path / "backup.db"
    run(capsys, "backup", str(backup), "--db", str(db))
    target = tmp_path / "new" / "h.db"
    code, _, err = run(capsys, "restore", str(backup), "--db", str(target))
    assert code == 0 and "kept as" not in err and _ids(target) == {"first"}


def test_restore_refuses_what_is_not_a_homeaudit_backup(capsys, tmp_path, db):
    before = db.read_bytes()
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"not a database " * 100)
    code, _, err = run(capsys, "restore", str(garbage), "--db", str(db))
    assert code == 2 and f"{garbage}: not a homeaudit backup (not a database)" in err

    other = tmp_path / "other.db"
    with sqlite3.connect(other) as plain:
        plain.execute("CREATE TABLE notes (text TEXT)")
    plain.close()
    code, _, err = run(capsys, "restore", str(other), "--db", str(db))
    assert code == 2 and f"{other}: not a homeaudit database" in err

    newer = tmp_path / "newer.db"
    run(capsys, "backup", str(newer), "--db", str(db))
    with sqlite3.connect(newer) as raw:
        raw.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    raw.close()
    code, _, err = run(capsys, "restore", str(newer), "--db", str(db))
    assert code == 2 and "made by a newer homeaudit" in err and "9999_from_the_future" in err

    rigged = tmp_path / "rigged.db"  # a trigger runs by itself inside the app once restored
    run(capsys, "backup", str(rigged), "--db", str(db))
    with sqlite3.connect(rigged) as raw:
        raw.execute("CREATE TRIGGER leak AFTER INSERT ON answers BEGIN DELETE FROM audits; END")
    raw.close()
    code, _, err = run(capsys, "restore", str(rigged), "--db", str(db))
    assert code == 2 and "trigger leak" in err and "nothing was restored" in err

    code, _, err = run(capsys, "restore", str(tmp_path / "missing.db"), "--db", str(db))
    assert code == 2 and "no such backup file" in err
    assert db.read_bytes() == before and _ids(db) == {"first"}
    assert not [p for p in tmp_path.iterdir() if "restor" in p.name]


def test_restore_refuses_a_live_database_with_its_log_beside_it(capsys, tmp_path, db):
    live = tmp_path / "live.db"
    live.write_bytes(db.read_bytes())
    Path(f"{live}-wal").write_bytes(b"x" * 100)
    code, _, err = run(capsys, "restore", str(live), "--db", str(tmp_path / "t.db"))
    assert code == 2 and "write-ahead log" in err and not (tmp_path / "t.db").exists()


def test_a_restored_database_opens_and_upgrades_as_the_app_opens_it(capsys, tmp_path, db):
    backup = tmp_path / "backup.db"
    run(capsys, "backup", str(backup), "--db", str(db))
    run(capsys, "restore", str(backup), "--db", str(db))
    with connect(db, create=False) as store:
        assert store.schema_revision() == migrate.head()
        store.import_file((EXAMPLES / "safe-flat.yaml").read_bytes(), _library(), "safe-flat.yaml")


def _library():
    from homeaudit import checklist

    return checklist.load(extra="")
