"""The schema steps homeaudit took before it used Alembic (0001_initial to 0007_clients), SQLite only.

A database made by such a version records them in its ``migrations`` table. When it is opened,
the steps it has not had yet are applied here, in order, and it is then stamped with Alembic's
``0001_baseline`` (which is this schema): :func:`homeaudit.store.migrate.upgrade`. Never edit a
step; they are history now.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from homeaudit import photos as photo_files
from homeaudit.store.values import PHOTO_PREFIX, new_client_id, now


def _clean_photos(db: sqlite3.Connection) -> None:
    """Re-encode every photo kept before photos were cleaned on the way in (homeaudit.photos.keep):
    no EXIF, GPS, XMP, ICC or comment, upright, at most 2048 px. A "photo" that is not one (an
    HTML page, a decompression bomb) is removed with its references: it was never a photo."""
    for (photo_id,) in db.execute("SELECT id FROM photos ORDER BY id").fetchall():
        filename, data = db.execute("SELECT filename, data FROM photos WHERE id = ?", (photo_id,)).fetchone()
        try:
            kept = photo_files.keep(filename, bytes(data))
        except photo_files.PhotoError:
            db.execute("DELETE FROM answer_photos WHERE ref = ?", (f"{PHOTO_PREFIX}{photo_id}",))
            db.execute("DELETE FROM photos WHERE id = ?", (photo_id,))
            continue
        db.execute(
            "UPDATE photos SET filename = ?, mime = ?, data = ? WHERE id = ?", (kept.filename, kept.mime, kept.data, photo_id)
        )


def _clients_from_chains(db: sqlite3.Connection) -> None:
    db.execute(
        "CREATE TABLE clients (id TEXT PRIMARY KEY, name TEXT NOT NULL DEFAULT '', address TEXT NOT NULL DEFAULT '',"
        " created_at TEXT NOT NULL)"
    )
    db.execute("ALTER TABLE audits ADD COLUMN client_id TEXT REFERENCES clients(id)")
    db.execute("ALTER TABLE answers ADD COLUMN carried INTEGER NOT NULL DEFAULT 0")
    rows = db.execute(
        "SELECT id, previous_id, client_name, client_address FROM audits ORDER BY audit_date, created_at, id"
    ).fetchall()
    client_of: dict[str, str] = {}
    for audit_id, previous_id, name, address in rows:
        client_id = client_of.get(previous_id or "")
        if client_id is None:
            client_id = new_client_id(db)
            db.execute(
                "INSERT INTO clients (id, name, address, created_at) VALUES (?, ?, ?, ?)", (client_id, name, address, now())
            )
        client_of[audit_id] = client_id
        db.execute("UPDATE audits SET client_id = ? WHERE id = ?", (client_id, audit_id))
    db.execute("CREATE INDEX audits_by_client ON audits (client_id, audit_date)")


#: A step is a list of SQL statements, or a function of the connection (run in the same transaction as its record).
Migration = list[str] | Callable[[sqlite3.Connection], None]

MIGRATIONS: list[tuple[str, Migration]] = [
    (
        "0001_initial",
        [
            """CREATE TABLE audits (
                id TEXT PRIMARY KEY,
                audit_date TEXT NOT NULL,
                auditor_name TEXT NOT NULL DEFAULT '',
                auditor_role TEXT NOT NULL DEFAULT 'family',
                client_name TEXT NOT NULL DEFAULT '',
                client_address TEXT NOT NULL DEFAULT '',
                client_notes TEXT NOT NULL DEFAULT '',
                previous_id TEXT,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            )""",
            """CREATE TABLE visits (
                audit_id TEXT NOT NULL REFERENCES audits(id) ON DELETE CASCADE,
                visit INTEGER NOT NULL,
                room TEXT NOT NULL,
                label TEXT NOT NULL DEFAULT '',
                present INTEGER NOT NULL DEFAULT 1,
                PRIMARY KEY (audit_id, visit)
            )""",
            """CREATE TABLE answers (
                audit_id TEXT NOT NULL REFERENCES audits(id) ON DELETE CASCADE,
                visit INTEGER NOT NULL,
                item_id TEXT NOT NULL,
                value_text TEXT,
                value_number REAL,
                unit TEXT,
                note TEXT NOT NULL DEFAULT '',
                updated_at TEXT NOT NULL,
                PRIMARY KEY (audit_id, visit, item_id)
            )""",
            """CREATE TABLE photos (
                id INTEGER PRIMARY KEY,
                audit_id TEXT NOT NULL REFERENCES audits(id) ON DELETE CASCADE,
                filename TEXT NOT NULL DEFAULT '',
                mime TEXT NOT NULL DEFAULT '',
                data BLOB NOT NULL,
                created_at TEXT NOT NULL
            )""",
            """CREATE TABLE answer_photos (
                audit_id TEXT NOT NULL REFERENCES audits(id) ON DELETE CASCADE,
                visit INTEGER NOT NULL,
                item_id TEXT NOT NULL,
                position INTEGER NOT NULL,
                ref TEXT NOT NULL,
                PRIMARY KEY (audit_id, visit, item_id, position)
            )""",
            """CREATE TABLE plan_edits (
                audit_id TEXT NOT NULL REFERENCES audits(id) ON DELETE CASCADE,
                item_id TEXT NOT NULL,
                visit INTEGER NOT NULL,
                done INTEGER NOT NULL DEFAULT 0,
                who TEXT,
                due TEXT,
                updated_at TEXT NOT NULL,
                PRIMARY KEY (audit_id, item_id, visit)
            )""",
            "CREATE INDEX photos_by_audit ON photos (audit_id)",
        ],
    ),
    (
        "0002_last_room",
        # Where the walkthrough was left, so 'continue' goes back to that room.
        ["ALTER TABLE audits ADD COLUMN last_room TEXT"],
    ),
    (
        "0003_visit_details",
        # What an OT's visit report needs (client details, the assessor's registration, referral,
        # goals, consent, observations, declined, follow-up), as JSON: optional fields that the
        # audit model checks; and per answer, observed or reported, and a fall or near miss there.
        [
            "ALTER TABLE audits ADD COLUMN details TEXT NOT NULL DEFAULT '{}'",
            "ALTER TABLE answers ADD COLUMN basis TEXT",
            "ALTER TABLE answers ADD COLUMN incident TEXT",
        ],
    ),
    ("0004_clean_photos", _clean_photos),
    (
        "0005_drafts",
        # A new audit's form as it is typed, before "Create": a reload or a locked phone must not
        # lose it. Kept under a random id carried in the page's address; dropped on "Create" and
        # after DRAFT_DAYS without a change.
        ["CREATE TABLE drafts (id TEXT PRIMARY KEY, data TEXT NOT NULL, updated_at TEXT NOT NULL)"],
    ),
    (
        "0006_follow_through",
        # Where each action stands (open, done, declined), the person doing it by name, and once
        # done when, by whom and a photo of the fix; once declined, why. ``done`` stays for
        # readers of older versions and always agrees with ``state``.
        [
            "ALTER TABLE plan_edits ADD COLUMN state TEXT NOT NULL DEFAULT 'open'",
            "UPDATE plan_edits SET state = 'done' WHERE done = 1",
            "ALTER TABLE plan_edits ADD COLUMN helper TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE plan_edits ADD COLUMN done_on TEXT",
            "ALTER TABLE plan_edits ADD COLUMN done_by TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE plan_edits ADD COLUMN reason TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE plan_edits ADD COLUMN photo TEXT",
        ],
    ),
    (
        "0007_clients",
        # A client is a record of its own with many audits (visits). Existing audits become one
        # client per chain of re-audits (an audit and its "New visit"s); two chains with the same
        # name and address stay two clients until someone joins them: never merged silently.
        # ``answers.carried``: an answer copied from the last visit, not yet confirmed or changed.
        _clients_from_chains,
    ),
]


def apply(db: sqlite3.Connection, done: set[str]) -> None:
    """Apply the steps not in ``done`` to ``db`` (inside the caller's transaction), each recorded."""
    db.execute("CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    for name, statements in MIGRATIONS:
        if name in done:
            continue
        if callable(statements):
            statements(db)
        else:
            for statement in statements:
                db.execute(statement)
        db.execute("INSERT INTO migrations (name, applied_at) VALUES (?, ?)", (name, now()))


__all__ = ["MIGRATIONS", "apply"]
