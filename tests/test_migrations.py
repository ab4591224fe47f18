"""Schema migrations (homeaudit/store/migrate.py): a database from before Alembic is upgraded in
place with every row kept, a failed step leaves nothing behind, a newer schema is refused, and
the migrations build exactly the tables homeaudit/store/schema.py describes, on both backends."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect

from homeaudit.store import StoreError, connect, engines, migrate, schema
from homeaudit.store.legacy import MIGRATIONS

JPEG = bytes.fromhex("ffd8ffe000104a46494600010100000100010000ffdb004300") + b"\x08" * 64 + bytes.fromhex("ffd9")


def _database_as_the_last_version_left_it(path: Path) -> None:
    """A database made by homeaudit before Alembic (its own steps 0001 to 0007), holding two clients'
    audits with answers, notes, measurements, photos, a re-audit, plan edits and a draft."""
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    for name, statements in MIGRATIONS:
        if isinstance(statements, list):
            for statement in statements:
                db.execute(statement)
        else:
            statements(db)
        db.execute("INSERT INTO migrations VALUES (?, '2026-06-01T00:00:00+00:00')", (name,))
    db.executemany(
        "INSERT INTO clients (id, name, address, created_at) VALUES (?, ?, ?, '2026-01-01')",
        [("client-00000000000a", "Ann Smith", "1 High St"), ("client-00000000000b", "Bo Li", "2 Low Rd")],
    )
    audits = [
        ("ann-1", "2026-01-05", "client-00000000000a", None),
        ("ann-2", "2026-06-01", "client-00000000000a", "ann-1"),
        ("bo-1", "2026-03-01", "client-00000000000b", None),
    ]
    for audit_id, date, client_id, previous in audits:
        db.execute(
            "INSERT INTO audits (id, audit_date, auditor_name, auditor_role, client_name, client_address, previous_id,"
            " created_at, updated_at, details, client_id, last_room) VALUES (?, ?, 'Dee OT', 'ot', 'Ann Smith', '1 High St',"
            ' ?, ?, ?, \'{"assessment": {"follow_up": "2026-09-01"}}\', ?, \'bathroom-1\')',
            (audit_id, date, previous, date, date, client_id),
        )
        db.executemany(
            "INSERT INTO visits (audit_id, visit, room, label, present) VALUES (?, ?, ?, ?, ?)",
            [(audit_id, 0, "bathroom", "", 1), (audit_id, 1, "bedroom", "Main bedroom", 0)],
        )
        answers = [
            (audit_id, 0, "bathroom.grab_bar_toilet", "no", None, None, "Loose bar", "observed", None, 0),
            (audit_id, 0, "bathroom.grab_bar_height", None, 33.5, "in", "", None, None, 1),
            (audit_id, -1, "resident.fallen_past_year", "yes", None, None, "Tripped", "reported", "fall", 0),
        ]
        db.executemany(
            "INSERT INTO answers (audit_id, visit, item_id, value_text, value_number, unit, note, basis, incident, carried,"
            " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '2026-06-01')",
            answers,
        )
        photo = db.execute(
            "INSERT INTO photos (audit_id, filename, mime, data, created_at) VALUES (?, 'bar.jpg', 'image/jpeg', ?, 'x')",
            (audit_id, JPEG),
        ).lastrowid
        db.execute(
            "INSERT INTO answer_photos VALUES (?, 0, 'bathroom.grab_bar_toilet', 0, ?)",
            (audit_id, f"photo:{photo}"),
        )
        db.execute(
            "INSERT INTO plan_edits (audit_id, item_id, visit, done, who, due, updated_at, state, helper, done_on, done_by,"
            " reason, photo) VALUES (?, 'bathroom.grab_bar_toilet', 0, 1, 'family', '2026-07-01', 'x', 'done', 'Sam',"
            " '2026-06-20', 'Sam', '', ?)",
            (audit_id, f"photo:{photo}"),
        )
    db.execute("INSERT INTO drafts VALUES ('draft-1', '{\"client\": \"Cy\"}', '2026-06-01')")
    db.commit()
    db.close()


def _rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table the last version had, in its columns, in a stable order."""
    db = sqlite3.connect(path)
    try:
        out = {}
        for table in ("clients", "audits", "visits", "answers", "photos", "answer_photos", "plan_edits", "drafts"):
            columns = [row[1] for row in db.execute(f"PRAGMA table_info({table})")]
            old = [c for c in columns if c not in ("practice", "author", "seq")]
            out[table] = sorted(db.execute(f"SELECT {', '.join(old)} FROM {table}").fetchall(), key=repr)
        return out
    finally:
        db.close()


def test_a_database_from_before_alembic_is_upgraded_in_place_with_every_row_kept(tmp_path):
    path = tmp_path / "homeaudit.db"
    _database_as_the_last_version_left_it(path)
    before = _rows(path)
    assert sum(len(rows) for rows in before.values()) == 2 + 3 + 6 + 9 + 3 + 3 + 3 + 1

    with connect(path) as store:
        assert store.schema_revision() == migrate.head()
        ann = store.load_audit("ann-1")
        assert ann.rooms[0].answers["bathroom.grab_bar_toilet"].photos == ("photo:1",)
        assert ann.rooms[0].answers["bathroom.grab_bar_height"].value == 33.5
        assert [e.state for e in store.plan_edits("ann-1")] == ["done"]
        assert store.photo_bytes("photo:1", "ann-1") == JPEG

    assert _rows(path) == before
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.execute("SELECT COUNT(*) FROM audits WHERE practice = '' AND author = ''").fetchone()[0] == 3
    # The order answers were given in survives (a file written from the database keeps it).
    order = db.execute("SELECT item_id FROM answers WHERE audit_id = 'ann-1' AND visit = 0 ORDER BY seq").fetchall()
    assert order == [("bathroom.grab_bar_toilet",), ("bathroom.grab_bar_height",)]


def test_with_foreign_keys_on_the_same_upgrade_would_have_deleted_the_answers(tmp_path):
    """Why migrations run with foreign keys off: SQLite rebuilds ``audits`` to make ``client_id``
    NOT NULL, and dropping the old table with foreign keys on deletes every row that refers to it."""
    path = tmp_path / "homeaudit.db"
    _database_as_the_last_version_left_it(path)
    target = engines.parse(str(path))
    engine = engines.engine_for(target, foreign_keys=True)
    try:
        with engine.connect() as connection, connection.begin():
            db = connection.connection.driver_connection
            db.execute("CREATE TABLE IF NOT EXISTS alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)")
            db.execute("INSERT INTO alembic_version VALUES ('0001_baseline')")
            from alembic import command

            command.upgrade(migrate._config(connection), "head")
            answers_left = db.execute("SELECT COUNT(*) FROM answers").fetchone()[0]
            connection.rollback()
    finally:
        engine.dispose()
    assert answers_left == 0  # the trap is real...
    with connect(path) as store:  # ...and the store's own upgrade does not fall into it
        assert len(store.load_audit("ann-1").rooms[0].answers) == 2


def test_a_migration_that_fails_half_way_leaves_nothing_of_itself(tmp_path, monkeypatch):
    path = tmp_path / "homeaudit.db"
    _database_as_the_last_version_left_it(path)
    scripts = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "0099_broken.py").write_text(
        "from alembic import op\nimport sqlalchemy as sa\n\n"
        f"revision = '0099_broken'\ndown_revision = {migrate.head()!r}\nbranch_labels = None\ndepends_on = None\n\n\n"
        "def upgrade():\n"
        "    op.add_column('audits', sa.Column('half_done', sa.Text))\n"
        "    op.execute(\"UPDATE answers SET note = 'overwritten'\")\n"
        "    raise RuntimeError('the step breaks here')\n"
    )
    before = _rows(path)
    schema_before = sqlite3.connect(path).execute("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL").fetchall()
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", scripts)
    with pytest.raises(RuntimeError, match="breaks here"):
        connect(path)
    db = sqlite3.connect(path)
    assert db.execute("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL").fetchall() == schema_before
    assert db.execute("SELECT name FROM sqlite_master WHERE name = 'alembic_version'").fetchall() == []
    db.close()
    assert _rows(path) == before  # not even the legacy steps' stamp or the first half of the upgrade
    monkeypatch.undo()
    with connect(path) as store:
        assert store.schema_revision() == migrate.head()


def test_a_database_made_by_a_newer_homeaudit_is_refused_and_left_as_it_was(db_target):
    connect(db_target).close()
    engine = create_engine(engines.parse(db_target).url)
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '0999_from_the_future'")
    engine.dispose()
    with pytest.raises(StoreError, match=r"made by a newer homeaudit .*0999_from_the_future.*update homeaudit"):
        connect(db_target)
    engine = create_engine(engines.parse(db_target).url)
    with engine.connect() as connection:
        assert migrate.current(connection) == "0999_from_the_future"
    engine.dispose()


def test_a_database_with_a_step_of_the_old_kind_this_version_does_not_know_is_refused(tmp_path):
    path = tmp_path / "homeaudit.db"
    _database_as_the_last_version_left_it(path)
    with sqlite3.connect(path) as db:
        db.execute("INSERT INTO migrations VALUES ('0008_from_a_fork', 'x')")
    db.close()
    with pytest.raises(StoreError, match=r"made by a newer homeaudit .*0008_from_a_fork"):
        connect(path)


def test_a_database_of_another_program_is_refused_not_taken_over(tmp_path):
    path = tmp_path / "notes.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE notes (text TEXT)")
    db.close()
    with pytest.raises(StoreError, match=r"not a homeaudit database .*notes"):
        connect(path)
    assert [r[0] for r in sqlite3.connect(path).execute("SELECT name FROM sqlite_master")] == ["notes"]


def test_the_migrations_build_the_tables_the_schema_module_describes(db_target):
    connect(db_target).close()
    engine = create_engine(engines.parse(db_target).url)
    try:
        found = inspect(engine)
        assert set(found.get_table_names()) == {t.name for t in schema.metadata.sorted_tables} | {"alembic_version"}
        for table in schema.metadata.sorted_tables:
            columns = {c["name"]: c for c in found.get_columns(table.name)}
            assert set(columns) == {c.name for c in table.columns}, table.name
            for column in table.columns:
                assert columns[column.name]["nullable"] == column.nullable, (table.name, column.name)
            primary = found.get_pk_constraint(table.name)["constrained_columns"]
            assert primary == [c.name for c in table.primary_key.columns], table.name
            indexes = {i["name"] for i in found.get_indexes(table.name)}
            assert {i.name for i in table.indexes} <= indexes, table.name
    finally:
        engine.dispose()


def test_two_stores_opening_a_new_database_at_once_upgrade_it_once(db_target):
    import threading

    errors: list[BaseException] = []

    def open_it() -> None:
        try:
            connect(db_target).close()
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=open_it) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    with connect(db_target) as store:
        assert store.schema_revision() == migrate.head()
