"""Persistence: audits, answers, photos and action-plan edits in one SQLite database file.

The only module that speaks SQL (one file, ``HOMEAUDIT_DB`` or ``data/homeaudit.db``); the rest of
homeaudit talks to the small :class:`Store` API in terms of the :mod:`homeaudit.audit` model and
:class:`homeaudit.plan.PlanEdit`, so that a server database can be put behind the same API
later. The SQL is SQLite's (its pragmas, ``BEGIN IMMEDIATE``, ``rowid``): a second backend will
need its own statements, not just another connection string.

Rules the app relies on:

* Every write is one transaction, and every answer is its own row: two browser tabs on the same
  audit each write only the answers they change, so neither overwrites the other's.
* ``visit`` is an index into ``Audit.rooms`` (the order rooms were added);
  :data:`~homeaudit.audit.RESIDENT_VISIT` is the resident.
* Photos are kept as BLOBs; an answer refers to them as ``photo:<n>``. A photo belongs to one
  audit, and every read that names the audit (:meth:`Store.photo` with ``audit_id``, as the app
  and the report use it) refuses another audit's photo, so a reference copied into another audit
  (an imported file, a re-audit) never shows someone else's photo.
* The schema evolves through named migrations, applied in order when a connection opens and
  recorded in ``migrations(name, applied_at)``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import secrets
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Literal

import numpy as np
import pandas as pd

from homeaudit import audit as audit_io
from homeaudit import bundle, limits
from homeaudit import photos as photo_files
from homeaudit.audit import RESIDENT_VISIT, Answer, Assessment, Audit, AuditError, Auditor, Client, RoomVisit
from homeaudit.checklist import Library
from homeaudit.plan import PlanEdit, action_records
from homeaudit.words import ACTION_STATES, BASES, INCIDENTS, ActionState

DEFAULT_PATH = Path("data") / "homeaudit.db"
ENV_VAR = "HOMEAUDIT_DB"
BUSY_TIMEOUT_MS = 10_000
PHOTO_PREFIX = "photo:"


#: Named schema steps, applied in this order, each once. Never edit a released step; add one.
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
            client_id = _new_client_id(db)
            db.execute(
                "INSERT INTO clients (id, name, address, created_at) VALUES (?, ?, ?, ?)", (client_id, name, address, _now())
            )
        client_of[audit_id] = client_id
        db.execute("UPDATE audits SET client_id = ? WHERE id = ?", (client_id, audit_id))
    db.execute("CREATE INDEX audits_by_client ON audits (client_id, audit_date)")


#: A client id as :func:`_new_client_id` makes it; any other id a file gives is not taken.
CLIENT_ID = re.compile(r"client-[0-9a-f]{12}")


def _new_client_id(db: sqlite3.Connection) -> str:
    """A client id nobody can guess from the name (it may be shown in a URL or a file)."""
    while True:
        candidate = "client-" + secrets.token_hex(6)
        if not db.execute("SELECT 1 FROM clients WHERE id = ?", (candidate,)).fetchone():
            return candidate


#: A migration is a list of SQL statements, or a function of the connection (run in the same
#: transaction as its record).
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

#: A draft of a new audit not touched for this many days is deleted (it may hold health details).
DRAFT_DAYS = 30


class StoreError(Exception):
    """Something the store cannot do (unknown audit, unknown room, bad photo reference, …)."""


def _create_private(path: Path) -> None:
    """Create the database file (and any missing folder) readable by its owner only: it holds
    health information. An existing file is never touched here, whatever it holds."""
    if path.exists():
        return
    missing = [p for p in [path.parent, *path.parent.parents] if not p.exists()]
    for folder in reversed(missing):
        folder.mkdir(mode=0o700)
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        pass  # another process created it a moment ago
    except OSError as error:
        raise StoreError(f"{path}: the database cannot be created ({error.strerror})") from None


def default_path() -> Path:
    """``HOMEAUDIT_DB`` if set, else ``data/homeaudit.db`` relative to the working directory."""
    return Path(os.environ.get(ENV_VAR) or DEFAULT_PATH)


def connect(path: str | os.PathLike[str] | None = None, *, create: bool = True) -> Store:
    """Open (and create or upgrade) the database; the directory is created when missing. With
    ``create=False`` (the command line's ``list``, ``export`` and ``delete``, which only read or
    remove) a missing database is a :class:`StoreError` and nothing is created."""
    return Store(path, create=create)


def _details_json(auditor: Auditor, client: Client, assessment: Assessment) -> str:
    """The visit details that have no column of their own, as JSON (only what was filled in)."""
    extra = {
        "auditor": _extras(auditor, "name", "role"),
        "client": _extras(client, "id", "name", "address", "notes"),
        "assessment": assessment.model_dump(mode="json", exclude_defaults=True),
    }
    return json.dumps({k: v for k, v in extra.items() if v}, ensure_ascii=False)


def _extras(model: Auditor | Client, *columns: str) -> dict[str, Any]:
    """A model's fields that were filled in, but for those kept in columns of their own."""
    return {k: v for k, v in model.model_dump(mode="json", exclude_defaults=True).items() if k not in columns}


def _details(text: str | None) -> dict[str, Any]:
    try:
        found = json.loads(text or "{}")
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")  # orders quick edits too


def _date_or_none(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _action_state(text: str) -> ActionState:
    """A stored or given action state, checked: a hand-edited database cannot invent a fourth."""
    for state in ACTION_STATES:
        if text == state:
            return state
    raise StoreError(f"{text!r} is not a state of an action (expected one of: {', '.join(ACTION_STATES)})")


def _split_value(value: Any) -> tuple[str | None, float | None]:
    """An answer value as (text, number): exactly one is set, or neither for no answer."""
    if value is None:
        return None, None
    if isinstance(value, bool):
        return ("yes" if value else "no"), None
    if isinstance(value, (int, float)):
        return None, float(value)
    if isinstance(value, str):
        return value, None
    raise StoreError(f"an answer is a word or a number, not {type(value).__name__}")


@contextmanager
def _database_errors(path: Path) -> Iterator[None]:
    """A locked, full, read-only or damaged database becomes a StoreError that names the file and
    says what is wrong in words: the CLI prints it, the app shows it and stops saying "saved"."""
    try:
        yield
    except sqlite3.Error as error:
        raise StoreError(f"{path}: {_in_words(error)}") from error


def _in_words(error: sqlite3.Error) -> str:
    text = str(error)
    if "locked" in text or "busy" in text:
        return "the database is busy (another program is writing to it); try again in a moment"
    if "readonly" in text or "read-only" in text:
        return "the database is read-only; nothing can be saved until its file (and folder) can be written"
    if "disk is full" in text or "full" in text:
        return "the disk is full; nothing was saved (free some space and try again)"
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return "this is not a homeaudit database, or it is damaged; it was left as it is (restore it from a backup)"
    if "unable to open" in text:
        return "the database cannot be opened (check that its folder exists and can be read and written)"
    return f"the database could not be used ({text})"


class Store:
    """One database. Safe to share between threads (each call takes a lock)."""

    def __init__(self, path: str | os.PathLike[str] | None = None, *, create: bool = True) -> None:
        self.path = Path(path) if path is not None else default_path()
        target, uri = str(self.path), False
        if target != ":memory:" and create:
            _create_private(self.path)
        elif target != ":memory:":
            if not self.path.is_file():
                raise StoreError(f"{self.path}: no database here (nothing was created); check the path, or import a file first")
            # mode=rw: SQLite must not create the file either, should it go in the meantime.
            target, uri = f"{self.path.resolve().as_uri()}?mode=rw", True
        self._lock = threading.RLock()
        with _database_errors(self.path):
            self._db = sqlite3.connect(
                target, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False, uri=uri
            )
            try:
                self._db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
                # Deleted content is overwritten with zeros, not left in free pages of the file.
                self._db.execute("PRAGMA secure_delete = ON")
                self._db.execute("PRAGMA journal_mode = WAL")
                self._db.execute("PRAGMA synchronous = NORMAL")
                self._db.execute("PRAGMA foreign_keys = ON")
                self._migrate()
            except BaseException:
                self._db.close()
                raise

    # ------------------------------------------------------------------ plumbing

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; the write lock is taken at the start so reads inside are current."""
        with self._lock, _database_errors(self.path):
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            else:
                self._db.execute("COMMIT")

    def _read(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self._lock, _database_errors(self.path):
            return self._db.execute(sql, params).fetchall()

    def _migrate(self) -> None:
        with self._lock:
            self._db.execute("CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
            for name, statements in MIGRATIONS:
                with self._write() as db:
                    # Checked inside the write lock: two servers starting at once apply it once.
                    if db.execute("SELECT 1 FROM migrations WHERE name = ?", (name,)).fetchone():
                        continue
                    if callable(statements):
                        statements(db)
                    else:
                        for statement in statements:
                            db.execute(statement)
                    db.execute("INSERT INTO migrations (name, applied_at) VALUES (?, ?)", (name, _now()))

    def applied_migrations(self) -> list[str]:
        """The names of the migrations this database has had, oldest first."""
        return [r[0] for r in self._read("SELECT name FROM migrations ORDER BY applied_at, name")]

    @staticmethod
    def _require_audit(db: sqlite3.Connection, audit_id: str) -> None:
        if not db.execute("SELECT 1 FROM audits WHERE id = ?", (audit_id,)).fetchone():
            raise StoreError(f"no audit with id {audit_id!r} (it may have been deleted)")

    @classmethod
    def _require_visit(cls, db: sqlite3.Connection, audit_id: str, visit: int) -> None:
        cls._require_audit(db, audit_id)
        if visit == RESIDENT_VISIT:
            return
        if not db.execute("SELECT 1 FROM visits WHERE audit_id = ? AND visit = ?", (audit_id, visit)).fetchone():
            raise StoreError(f"audit {audit_id!r} has no room number {visit}")

    @staticmethod
    def _touch(db: sqlite3.Connection, audit_id: str) -> None:
        db.execute("UPDATE audits SET updated_at = ? WHERE id = ?", (_now(), audit_id))

    @staticmethod
    def _unique_id(db: sqlite3.Connection, wanted: str) -> str:
        candidate, n = wanted, 1
        while db.execute("SELECT 1 FROM audits WHERE id = ?", (candidate,)).fetchone():
            n += 1
            candidate = f"{wanted}-{n}"
        return candidate

    # ------------------------------------------------------------------ audits

    def create_audit(self, audit: Audit, *, previous_id: str | None = None, client_id: str | None = None) -> str:
        """Store a whole audit (metadata, rooms, answers); returns its id, made unique if taken.

        The audit joins a client (:meth:`_client_for`): the one given, the previous visit's, the
        one whose id the audit carries, or a new one. Never a client found by name alone: two
        people can share a name, and the app asks first (:meth:`clients_like`, :meth:`join_client`)."""
        with self._write() as db:
            return self._insert_audit(db, audit, previous_id, client_id)

    @staticmethod
    def _client_for(db: sqlite3.Connection, audit: Audit, previous_id: str | None, client_id: str | None) -> str:
        if client_id is not None:
            if not db.execute("SELECT 1 FROM clients WHERE id = ?", (client_id,)).fetchone():
                raise StoreError(f"no client with id {client_id!r}")
            return client_id
        if previous_id is not None:
            found = db.execute("SELECT client_id FROM audits WHERE id = ?", (previous_id,)).fetchone()
            if found and found[0]:
                return str(found[0])
        given = audit.client.id if CLIENT_ID.fullmatch(audit.client.id) else ""  # only an id this app makes
        if given and db.execute("SELECT 1 FROM clients WHERE id = ?", (given,)).fetchone():
            return given
        new_id = given or _new_client_id(db)  # a file's own client id is kept: a later visit joins it
        db.execute(
            "INSERT INTO clients (id, name, address, created_at) VALUES (?, ?, ?, ?)",
            (new_id, audit.client.name, audit.client.address, _now()),
        )
        return new_id

    def _insert_audit(
        self,
        db: sqlite3.Connection,
        audit: Audit,
        previous_id: str | None,
        client_id: str | None = None,
        *,
        carried: bool = False,
    ) -> str:
        audit_id = self._unique_id(db, audit.id or audit_io.default_id(audit.date, audit.client.name))
        now = _now()
        client_id = self._client_for(db, audit, previous_id, client_id)
        db.execute(
            "INSERT INTO audits (id, audit_date, auditor_name, auditor_role, client_name, client_address, client_notes,"
            " previous_id, created_at, updated_at, details, client_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                audit_id,
                audit.date.isoformat(),
                audit.auditor.name,
                audit.auditor.role,
                audit.client.name,
                audit.client.address,
                audit.client.notes,
                previous_id,
                now,
                now,
                _details_json(audit.auditor, audit.client, audit.assessment),
                client_id,
            ),
        )
        db.executemany(
            "INSERT INTO visits (audit_id, visit, room, label, present) VALUES (?, ?, ?, ?, ?)",
            [(audit_id, i, v.room, v.label, int(v.present)) for i, v in enumerate(audit.rooms)],
        )
        for visit, item_id, answer in audit.answers():
            text, number = _split_value(answer.value)
            db.execute(
                "INSERT INTO answers (audit_id, visit, item_id, value_text, value_number, unit, note, basis, incident,"
                " updated_at, carried) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    audit_id,
                    visit,
                    item_id,
                    text,
                    number,
                    answer.unit,
                    answer.note,
                    answer.basis,
                    answer.incident,
                    now,
                    int(carried and answer.is_answered),
                ),
            )
            db.executemany(
                "INSERT INTO answer_photos (audit_id, visit, item_id, position, ref) VALUES (?, ?, ?, ?, ?)",
                [(audit_id, visit, item_id, p, ref) for p, ref in enumerate(answer.photos)],
            )
        # What a file says was decided about the plan; a photo of a fix is added by the import
        # that has its bytes (a reference into another database means nothing here).
        db.executemany(
            "INSERT INTO plan_edits (audit_id, item_id, visit, done, who, due, state, helper, done_on, done_by, reason,"
            " photo, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)",
            [
                (
                    audit_id,
                    a.item,
                    a.visit,
                    int(a.state == "done"),
                    a.who,
                    a.due.isoformat() if a.due else None,
                    a.state,
                    a.helper,
                    a.done_on.isoformat() if a.done_on else None,
                    a.done_by,
                    a.reason,
                    now,
                )
                for a in audit.actions
            ],
        )
        return audit_id

    def exists(self, audit_id: str) -> bool:
        return bool(self._read("SELECT 1 FROM audits WHERE id = ?", (audit_id,)))

    def load_audit(self, audit_id: str) -> Audit:
        """The audit exactly as stored: metadata, rooms in order, every answer with unit, note, photos."""
        audits = self.load_audits([audit_id])
        if not audits:
            raise StoreError(f"no audit with id {audit_id!r} (it may have been deleted)")
        return audits[0]

    def load_audits(self, ids: list[str] | None = None) -> list[Audit]:
        """Several audits in a handful of queries (all of them when ``ids`` is None), newest first."""
        with self._lock, _database_errors(self.path):
            where = ""
            params: tuple[str, ...] = ()
            if ids is not None:
                if not ids:
                    return []
                where = f" WHERE id IN ({', '.join('?' for _ in ids)})"
                params = tuple(ids)
            metas = self._db.execute(
                "SELECT id, audit_date, auditor_name, auditor_role, client_name, client_address, client_notes, details,"
                f" client_id FROM audits{where} ORDER BY audit_date DESC, updated_at DESC, id",
                params,
            ).fetchall()
            wanted = tuple(m[0] for m in metas)
            if not wanted:
                return []
            marks = ", ".join("?" for _ in wanted)
            visits = self._db.execute(
                f"SELECT audit_id, visit, room, label, present FROM visits WHERE audit_id IN ({marks}) ORDER BY audit_id, visit",
                wanted,
            ).fetchall()
            answers = self._db.execute(
                "SELECT audit_id, visit, item_id, value_text, value_number, unit, note, basis, incident FROM answers"
                f" WHERE audit_id IN ({marks}) ORDER BY audit_id, visit, rowid",
                wanted,
            ).fetchall()
            photos = self._db.execute(
                f"SELECT audit_id, visit, item_id, ref FROM answer_photos WHERE audit_id IN ({marks})"
                " ORDER BY audit_id, visit, item_id, position",
                wanted,
            ).fetchall()
        refs: dict[tuple[str, int, str], list[str]] = {}
        for audit_id, visit, item_id, ref in photos:
            refs.setdefault((audit_id, visit, item_id), []).append(ref)
        rooms: dict[str, list[RoomVisit]] = {}
        by_visit: dict[tuple[str, int], RoomVisit] = {}
        for audit_id, visit, room, label, present in visits:
            by_visit[(audit_id, visit)] = RoomVisit(room=room, label=label, present=bool(present))
            rooms.setdefault(audit_id, []).append(by_visit[(audit_id, visit)])
        resident: dict[str, dict[str, Answer]] = {}
        for audit_id, visit, item_id, text, number, unit, note, basis, incident in answers:
            photo_refs = tuple(refs.get((audit_id, visit, item_id), ()))
            if text is None and number is None and not note and not photo_refs and not basis and not incident:
                continue
            answer = Answer.model_construct(
                value=text if text is not None else number,
                unit=unit,
                note=note or "",
                photos=photo_refs,
                basis=basis,
                incident=incident,
            )
            if visit == RESIDENT_VISIT:
                resident.setdefault(audit_id, {})[item_id] = answer
            elif (audit_id, visit) in by_visit:
                by_visit[(audit_id, visit)].answers[item_id] = answer
        out = []
        for audit_id, date, a_name, a_role, c_name, c_address, c_notes, details, client_id in metas:
            extra = _details(details)
            out.append(
                Audit(
                    id=audit_id,
                    date=dt.date.fromisoformat(date),
                    auditor=Auditor.model_validate({**extra.get("auditor", {}), "name": a_name, "role": a_role}),
                    client=Client.model_validate(
                        {**extra.get("client", {}), "id": client_id or "", "name": c_name, "address": c_address, "notes": c_notes}
                    ),
                    assessment=Assessment.model_validate(extra.get("assessment", {})),
                    resident=resident.get(audit_id, {}),
                    rooms=rooms.get(audit_id, []),
                )
            )
        return out

    def list_audits(self) -> list[dict[str, Any]]:
        """One summary per audit, newest first: id, client, address, date, auditor, times.

        How much of an audit is answered depends on the checklist, which the store does not
        know: scoring counts it (``Overall.answered``, ``score_many``'s ``coverage``).
        """
        rows = self._read(
            "SELECT a.id, a.client_name, a.client_address, a.audit_date, a.auditor_name, a.auditor_role,"
            " a.previous_id, a.created_at, a.updated_at, a.last_room, a.client_id"
            " FROM audits a ORDER BY a.audit_date DESC, a.updated_at DESC, a.id"
        )
        keys = (
            "id",
            "client",
            "address",
            "date",
            "auditor",
            "auditor_role",
            "previous_id",
            "created_at",
            "updated_at",
            "last_room",
            "client_id",
        )
        out = []
        for row in rows:
            record = dict(zip(keys, row, strict=True))
            record["date"] = dt.date.fromisoformat(record["date"])
            out.append(record)
        return out

    # ------------------------------------------------------------------ the practice as tables

    def answer_frame(
        self, since: dt.date | None = None, until: dt.date | None = None, auditor: str | None = None
    ) -> pd.DataFrame:
        """Every given answer of every audit (or of the audits dated ``since``..``until`` by the
        auditor named ``auditor``) in long form, one row per answer with a value, in a single
        query: ``audit_id``, ``audit_date``, ``client_name``, ``auditor_name``, ``auditor_role``,
        ``visit`` (the resident's is −1), ``room`` (None for the resident), ``label``, ``present``,
        ``item_id``, ``value_text``, ``value_number``, ``unit``. Text columns are categorical:
        5,000 audits of 150 answers stay small. For pandas (the practice overview, exports), not
        for showing one audit (:meth:`load_audit`)."""
        with self._snapshot() as db:
            return self._answer_frame(db, *self._audit_filter(since, until, auditor))

    def audit_frame(self, since: dt.date | None = None, until: dt.date | None = None, auditor: str | None = None) -> pd.DataFrame:
        """One row per audit (filtered as :meth:`answer_frame`), oldest first: ``audit_id``,
        ``audit_date``, ``auditor_name``, ``auditor_role``, ``client_id`` (empty before clients
        had records of their own), ``client_name``, ``client_address``, ``previous_id``,
        ``follow_up`` (the visit report's follow-up date, or NaT)."""
        with self._snapshot() as db:
            return self._audit_frame(db, *self._audit_filter(since, until, auditor))

    def plan_edit_frame(
        self, since: dt.date | None = None, until: dt.date | None = None, auditor: str | None = None
    ) -> pd.DataFrame:
        """Every recorded action decision (filtered as :meth:`answer_frame`): ``audit_id``,
        ``item_id``, ``visit``, ``state`` (open, done, declined), ``done_on`` (NaT when not
        recorded) and ``updated_at`` (UTC)."""
        with self._snapshot() as db:
            return self._plan_edit_frame(db, *self._audit_filter(since, until, auditor))

    def practice_frames(
        self, since: dt.date | None = None, until: dt.date | None = None, auditor: str | None = None
    ) -> dict[str, pd.DataFrame]:
        """:meth:`audit_frame`, :meth:`answer_frame` and :meth:`plan_edit_frame` read from one
        snapshot of the database (a write in between cannot make them disagree), as
        ``{"audits": …, "answers": …, "plan_edits": …}``."""
        where, params = self._audit_filter(since, until, auditor)
        with self._snapshot() as db:
            return {
                "audits": self._audit_frame(db, where, params),
                "answers": self._answer_frame(db, where, params),
                "plan_edits": self._plan_edit_frame(db, where, params),
            }

    @contextmanager
    def _snapshot(self) -> Iterator[sqlite3.Connection]:
        """A read transaction: every query inside sees the database as it was at its first read."""
        with self._lock, _database_errors(self.path):
            self._db.execute("BEGIN")
            try:
                yield self._db
            finally:
                self._db.execute("COMMIT")

    @staticmethod
    def _audit_filter(since: dt.date | None, until: dt.date | None, auditor: str | None) -> tuple[str, tuple[Any, ...]]:
        """A condition on ``audits`` (aliased ``au``) for the frames' filters, with its parameters."""
        conditions, params = ["1"], []
        if since is not None:
            conditions.append("au.audit_date >= ?")
            params.append(since.isoformat())
        if until is not None:
            conditions.append("au.audit_date <= ?")
            params.append(until.isoformat())
        if auditor is not None:
            conditions.append("au.auditor_name = ?")
            params.append(auditor)
        return " AND ".join(conditions), tuple(params)

    def _audit_frame(self, db: sqlite3.Connection, where: str, params: tuple[Any, ...]) -> pd.DataFrame:
        rows = db.execute(
            "SELECT au.id, au.audit_date, au.auditor_name, au.auditor_role, au.client_id, au.client_name,"
            " au.client_address, au.previous_id, json_extract(CASE WHEN json_valid(au.details) THEN au.details END,"
            " '$.assessment.follow_up') FROM audits au"
            f" WHERE {where} ORDER BY au.audit_date, au.created_at, au.id",
            params,
        ).fetchall()
        columns = ["audit_id", "audit_date", "auditor_name", "auditor_role", "client_id"]
        columns += ["client_name", "client_address", "previous_id", "follow_up"]
        frame = pd.DataFrame.from_records(rows, columns=columns)
        frame["client_id"] = frame["client_id"].fillna("").astype(str)
        for column in ("audit_date", "follow_up"):
            frame[column] = pd.to_datetime(frame[column], format="%Y-%m-%d", errors="coerce")
        return frame

    def _answer_frame(self, db: sqlite3.Connection, where: str, params: tuple[Any, ...]) -> pd.DataFrame:
        audits = self._audit_frame(db, where, params)
        scope = "" if where == "1" else f" AND audit_id IN (SELECT au.id FROM audits au WHERE {where})"
        # Worded answers (most of them) come one row per room visit, their items, words and units
        # each joined by a separator (a Python object per answer is what costs time). The three
        # lists of a row are built from the same rows in the same order. Should some text hold the
        # separator after all, its list comes out too long, and each answer is read as a row.
        groups = db.execute(
            "SELECT audit_id, visit, COUNT(*), group_concat(item_id, char(31)), group_concat(value_text, char(31)),"
            f" group_concat(COALESCE(unit, ''), char(31)) FROM answers WHERE value_text IS NOT NULL{scope}"
            " GROUP BY audit_id, visit",
            params,
        ).fetchall()
        counts = np.array([g[2] for g in groups], dtype=np.int64)
        sep = chr(31)  # the separator of the SQL's group_concat
        items, words, units = (sep.join(g[i] for g in groups).split(sep) if groups else [] for i in (3, 4, 5))
        if len(items) == len(words) == len(units) == counts.sum():
            audit_ids = np.repeat(np.array([g[0] for g in groups], dtype=object), counts)
            visits = np.repeat(np.array([g[1] for g in groups], dtype=np.int64), counts)
        else:
            rows = db.execute(
                "SELECT audit_id, visit, item_id, value_text, COALESCE(unit, '') FROM answers"
                f" WHERE value_text IS NOT NULL{scope}",
                params,
            ).fetchall()
            audit_ids = np.array([r[0] for r in rows], dtype=object)
            visits = np.array([r[1] for r in rows], dtype=np.int64)
            items, words, units = ([r[i] for r in rows] for i in (2, 3, 4))
        numbers = db.execute(  # a measurement: a number and its unit
            "SELECT audit_id, visit, item_id, value_number, COALESCE(unit, '') FROM answers"
            f" WHERE value_text IS NULL AND value_number IS NOT NULL{scope}",
            params,
        ).fetchall()
        audit_ids = np.concatenate([audit_ids, np.array([r[0] for r in numbers], dtype=object)])
        visits = np.concatenate([visits, np.array([r[1] for r in numbers], dtype=np.int64)])
        item_ids = np.array(items + [r[2] for r in numbers], dtype=object)
        texts = np.array(words + [None] * len(numbers), dtype=object)
        value_numbers = np.concatenate([np.full(len(words), np.nan), np.array([r[3] for r in numbers], dtype=float)])
        unit_names = np.array([u or None for u in units] + [r[4] or None for r in numbers], dtype=object)
        # Each answer's audit (a row of ``audits``) and room visit (none for the resident's, visit −1).
        ids = pd.Index(audits["audit_id"].to_numpy(object), dtype=object)
        audit_at = ids.get_indexer(pd.Index(audit_ids, dtype=object))
        visit_rows = db.execute(f"SELECT audit_id, visit, room, label, present FROM visits WHERE 1{scope}", params)
        rooms = [r for r in visit_rows if r[0] in ids]
        room_audit = ids.get_indexer(pd.Index([r[0] for r in rooms], dtype=object))
        room_visit = np.array([r[1] for r in rooms], dtype=np.int64)
        span = int(max(room_visit.max(initial=0), visits.max(initial=0))) + 2
        room_at = pd.Index(room_audit * span + room_visit + 1).get_indexer(audit_at * span + visits + 1)
        keep = audit_at >= 0
        at = audit_at[keep]

        def categories(values: np.ndarray, at: np.ndarray | None = None) -> pd.Categorical[Any]:
            """Text as a categorical column (codes into its distinct values, −1 for none): with
            ``at``, ``values`` are per audit or per room visit and ``at`` says which (−1: none)."""
            codes, uniques = pd.factorize(values[keep] if at is None else values)
            if at is not None:
                codes = np.append(codes, -1)[at]
            return pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype(pd.Index(uniques, dtype=object)))

        def of_rooms(index: int) -> np.ndarray:
            return np.array([r[index] for r in rooms], dtype=object)

        present = np.append(np.array([bool(r[4]) for r in rooms], dtype=bool), True)[room_at]
        return pd.DataFrame(
            {
                "audit_id": categories(audits["audit_id"].to_numpy(object), at),
                "audit_date": audits["audit_date"].to_numpy()[at],
                "client_name": categories(audits["client_name"].to_numpy(object), at),
                "auditor_name": categories(audits["auditor_name"].to_numpy(object), at),
                "auditor_role": categories(audits["auditor_role"].to_numpy(object), at),
                "visit": visits[keep],
                "room": categories(of_rooms(2), room_at[keep]),
                "label": categories(of_rooms(3), room_at[keep]),
                "present": present[keep],
                "item_id": categories(item_ids),
                "value_text": categories(texts),
                "value_number": value_numbers[keep],
                "unit": categories(unit_names),
            }
        )

    def _plan_edit_frame(self, db: sqlite3.Connection, where: str, params: tuple[Any, ...]) -> pd.DataFrame:
        rows = db.execute(
            "SELECT pe.audit_id, pe.item_id, pe.visit, pe.state, pe.done_on, pe.updated_at"
            f" FROM plan_edits pe JOIN audits au ON au.id = pe.audit_id WHERE {where} ORDER BY pe.audit_id, pe.visit, pe.item_id",
            params,
        ).fetchall()
        frame = pd.DataFrame.from_records(rows, columns=["audit_id", "item_id", "visit", "state", "done_on", "updated_at"])
        frame["visit"] = frame["visit"].astype("int64")
        frame["done_on"] = pd.to_datetime(frame["done_on"], format="%Y-%m-%d", errors="coerce")
        frame["updated_at"] = pd.to_datetime(frame["updated_at"], format="ISO8601", utc=True, errors="coerce")
        return frame

    def set_last_room(self, audit_id: str, room_key: str | None) -> None:
        """Remember where the walkthrough is (a room key such as 'bathroom-2'); not a change to the audit."""
        with self._write() as db:
            self._require_audit(db, audit_id)
            db.execute("UPDATE audits SET last_room = ? WHERE id = ?", (room_key, audit_id))

    def last_room(self, audit_id: str) -> str | None:
        rows = self._read("SELECT last_room FROM audits WHERE id = ?", (audit_id,))
        if not rows:
            raise StoreError(f"no audit with id {audit_id!r} (it may have been deleted)")
        room: str | None = rows[0][0]
        return room

    def previous_id(self, audit_id: str) -> str | None:
        """The audit this one re-assesses, if it was started as a re-audit."""
        rows = self._read("SELECT previous_id FROM audits WHERE id = ?", (audit_id,))
        if not rows:
            raise StoreError(f"no audit with id {audit_id!r} (it may have been deleted)")
        previous: str | None = rows[0][0]
        return previous

    def delete_audit(self, audit_id: str) -> None:
        """Erase an audit with its answers, notes, photos and plan edits, so that none of it can be
        read back from the database file or its write-ahead log: deleted pages are zeroed
        (``secure_delete``), then the log is written into the file and emptied."""
        with self._write() as db:
            self._require_audit(db, audit_id)
            for table in ("answer_photos", "photos", "answers", "plan_edits", "visits"):
                db.execute(f"DELETE FROM {table} WHERE audit_id = ?", (audit_id,))
            (client_id,) = db.execute("SELECT client_id FROM audits WHERE id = ?", (audit_id,)).fetchone()
            db.execute("DELETE FROM audits WHERE id = ?", (audit_id,))
            db.execute("UPDATE audits SET previous_id = NULL WHERE previous_id = ?", (audit_id,))
            if client_id and not db.execute("SELECT 1 FROM audits WHERE client_id = ?", (client_id,)).fetchone():
                db.execute("DELETE FROM clients WHERE id = ?", (client_id,))  # their name and address go too
        self._checkpoint()

    def _checkpoint(self) -> None:
        """Write the log into the database file and truncate it (waits for other readers)."""
        with self._lock, _database_errors(self.path):
            busy, _, _ = self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            if busy:
                raise StoreError(
                    f"{self.path}: the audit is deleted, but another program kept the database busy, so its "
                    "bytes may stay in the log file until it is closed; close the app and run the delete again"
                )

    def duplicate_audit(self, audit_id: str, date: dt.date | None = None) -> str:
        """Start a re-audit: today's date, same client and rooms, the previous answers and notes,
        each answer marked "from the last visit" (:meth:`carried`) until it is confirmed or changed.

        Photos stay with the visit they were taken on (they show the home as it was then);
        the new audit remembers the old one as its ``previous_id``. What was decided about the
        actions carries over where it still holds: who does an open one and by when, and a
        declined one with its reason. A done one does not: the new visit sees whether the fix
        took (:mod:`homeaudit.compare` flags one done but still a hazard).
        """
        old = self.load_audit(audit_id)
        new = old.model_copy(deep=True)
        new.date = date or dt.date.today()
        new.id = audit_io.default_id(new.date, new.client.name)
        new.assessment = Assessment()  # the new visit has its own referral, consent, observations, follow-up
        for answers in [new.resident] + [v.answers for v in new.rooms]:
            for item_id, answer in list(answers.items()):
                answers[item_id] = Answer.model_construct(
                    value=answer.value, unit=answer.unit, note=answer.note, photos=(), basis=answer.basis, incident=None
                )
        with self._write() as db:
            self._require_audit(db, audit_id)
            new_id = self._insert_audit(db, new, previous_id=audit_id, carried=True)
            # A date already past at the new visit is not carried: the new plan suggests its own.
            db.execute(
                "INSERT INTO plan_edits (audit_id, item_id, visit, done, who, due, state, helper, done_on, done_by, reason,"
                " photo, updated_at) SELECT ?, item_id, visit, 0, who, CASE WHEN due >= ? THEN due END, state, helper,"
                " NULL, '', reason, NULL, ? FROM plan_edits WHERE audit_id = ? AND state IN ('open', 'declined')",
                (new_id, new.date.isoformat(), _now(), audit_id),
            )
            return new_id

    def carried(self, audit_id: str) -> set[tuple[int, str]]:
        """The answers (visit, item id) copied from the last visit and not yet confirmed or changed."""
        rows = self._read("SELECT visit, item_id FROM answers WHERE audit_id = ? AND carried = 1", (audit_id,))
        return {(int(visit), str(item_id)) for visit, item_id in rows}

    def is_carried(self, audit_id: str, visit: int, item_id: str) -> bool:
        """Whether one answer is still as copied from the last visit (what its card re-reads)."""
        return bool(
            self._read(
                "SELECT 1 FROM answers WHERE audit_id = ? AND visit = ? AND item_id = ? AND carried = 1",
                (audit_id, visit, item_id),
            )
        )

    def confirm_answers(self, audit_id: str, keys: list[tuple[int, str]] | None = None) -> int:
        """Mark answers copied from the last visit as still true (all of them with ``keys=None``);
        returns how many were confirmed."""
        with self._write() as db:
            self._require_audit(db, audit_id)
            if keys is None:
                count = db.execute("UPDATE answers SET carried = 0 WHERE audit_id = ? AND carried = 1", (audit_id,)).rowcount
            else:
                count = sum(
                    db.execute(
                        "UPDATE answers SET carried = 0 WHERE audit_id = ? AND visit = ? AND item_id = ? AND carried = 1",
                        (audit_id, visit, item_id),
                    ).rowcount
                    for visit, item_id in keys
                )
            if count:
                self._touch(db, audit_id)
        return count

    # ------------------------------------------------------------------ clients

    def clients(self) -> list[dict[str, Any]]:
        """Every client with their visits' ids, oldest visit first: id, name and address (of the
        latest visit), visits (ids), dates."""
        rows = self._read(
            "SELECT c.id, a.id, a.audit_date, a.client_name, a.client_address FROM clients c"
            " JOIN audits a ON a.client_id = c.id ORDER BY c.id, a.audit_date, a.created_at, a.id"
        )
        out: dict[str, dict[str, Any]] = {}
        for client_id, audit_id, date, name, address in rows:
            record = out.setdefault(client_id, {"id": client_id, "visits": [], "dates": []})
            record.update(name=name, address=address)
            record["visits"].append(audit_id)
            record["dates"].append(dt.date.fromisoformat(date))
        return list(out.values())

    def previous_visit(self, audit_id: str) -> str | None:
        """The visit this one follows: the one it was started from ("New visit"), else the
        client's visit just before it by date (an imported later visit, visits put together)."""
        rows = self._read(
            "SELECT a.previous_id, p.id FROM audits a LEFT JOIN audits p ON p.client_id = a.client_id AND p.id != a.id"
            " AND (p.audit_date < a.audit_date OR (p.audit_date = a.audit_date AND p.created_at < a.created_at))"
            " WHERE a.id = ? ORDER BY p.audit_date DESC, p.created_at DESC LIMIT 1",
            (audit_id,),
        )
        if not rows:
            return None
        started_from, before = rows[0]
        if started_from and self.exists(started_from):
            return str(started_from)
        return str(before) if before else None

    def client_visits(self, client_id: str) -> list[str]:
        """A client's audits, oldest first."""
        rows = self._read(
            "SELECT id FROM audits WHERE client_id = ? ORDER BY audit_date, created_at, id",
            (client_id,),
        )
        return [str(audit_id) for (audit_id,) in rows]

    def clients_like(self, name: str, address: str, *, besides: str | None = None) -> list[str]:
        """Other clients with the same name and address (case and spacing aside): to ask whether
        a new or imported audit is theirs. Never joined without asking."""

        def key(text: str) -> str:
            return " ".join(text.casefold().split())

        if not key(name):
            return []
        rows = self._read("SELECT DISTINCT client_id, client_name, client_address FROM audits WHERE client_id IS NOT NULL")
        return sorted(
            {
                str(client_id)
                for client_id, c_name, c_address in rows
                if client_id != besides and key(c_name) == key(name) and key(c_address) == key(address)
            }
        )

    def join_clients(self, client_id: str, into: str) -> int:
        """Put every visit of one client record under another (after someone said they are the
        same person), in one transaction; the emptied record goes. Returns how many moved."""
        with self._write() as db:
            for wanted in (client_id, into):
                if not db.execute("SELECT 1 FROM clients WHERE id = ?", (wanted,)).fetchone():
                    raise StoreError(f"no client with id {wanted!r}")
            if client_id == into:
                return 0
            moved = db.execute("UPDATE audits SET client_id = ? WHERE client_id = ?", (into, client_id)).rowcount
            db.execute("DELETE FROM clients WHERE id = ?", (client_id,))
        return int(moved)

    def join_client(self, audit_id: str, client_id: str) -> None:
        """Move an audit to another client's record (after someone said it is the same person);
        a client left without audits is removed."""
        with self._write() as db:
            self._require_audit(db, audit_id)
            if not db.execute("SELECT 1 FROM clients WHERE id = ?", (client_id,)).fetchone():
                raise StoreError(f"no client with id {client_id!r}")
            (old,) = db.execute("SELECT client_id FROM audits WHERE id = ?", (audit_id,)).fetchone()
            db.execute("UPDATE audits SET client_id = ? WHERE id = ?", (client_id, audit_id))
            if old and not db.execute("SELECT 1 FROM audits WHERE client_id = ?", (old,)).fetchone():
                db.execute("DELETE FROM clients WHERE id = ?", (old,))
            self._touch(db, audit_id)

    def update_meta(
        self,
        audit_id: str,
        *,
        auditor: Auditor | None = None,
        client: Client | None = None,
        assessment: Assessment | None = None,
        date: dt.date | None = None,
    ) -> None:
        """Change who audited, whose home it is, the visit details, or the date; what is not
        given stays as it is."""
        with self._write() as db:
            self._require_audit(db, audit_id)
            (details,) = db.execute("SELECT details FROM audits WHERE id = ?", (audit_id,)).fetchone()
            extra = _details(details)
            if auditor is not None:
                db.execute(
                    "UPDATE audits SET auditor_name = ?, auditor_role = ? WHERE id = ?",
                    (auditor.name, auditor.role, audit_id),
                )
                extra["auditor"] = _extras(auditor, "name", "role")
            if client is not None:
                db.execute(
                    "UPDATE audits SET client_name = ?, client_address = ?, client_notes = ? WHERE id = ?",
                    (client.name, client.address, client.notes, audit_id),
                )
                extra["client"] = _extras(client, "name", "address", "notes")
            if assessment is not None:
                extra["assessment"] = assessment.model_dump(mode="json", exclude_defaults=True)
            db.execute("UPDATE audits SET details = ? WHERE id = ?", (json.dumps(extra, ensure_ascii=False), audit_id))
            if date is not None:
                db.execute("UPDATE audits SET audit_date = ? WHERE id = ?", (date.isoformat(), audit_id))
            self._touch(db, audit_id)

    # ------------------------------------------------------------------ rooms

    def set_present(self, audit_id: str, visit: int, present: bool) -> None:
        """Mark a room as in this home or not (its answers are kept either way)."""
        with self._write() as db:
            self._require_visit(db, audit_id, visit)
            if visit == RESIDENT_VISIT:
                raise StoreError("the resident section cannot be marked as not present")
            db.execute("UPDATE visits SET present = ? WHERE audit_id = ? AND visit = ?", (int(present), audit_id, visit))
            self._touch(db, audit_id)

    def add_room(self, audit_id: str, room: str, label: str = "") -> int:
        """Add a room to the end of the audit's list; returns its visit number."""
        with self._write() as db:
            self._require_audit(db, audit_id)
            (last,) = db.execute("SELECT MAX(visit) FROM visits WHERE audit_id = ?", (audit_id,)).fetchone()
            visit = 0 if last is None else last + 1
            db.execute(
                "INSERT INTO visits (audit_id, visit, room, label, present) VALUES (?, ?, ?, ?, 1)",
                (audit_id, visit, room, label),
            )
            self._touch(db, audit_id)
            return visit

    def rename_room(self, audit_id: str, visit: int, label: str) -> None:
        """Give a room its own name ('Main bedroom'); an empty label means the room's kind."""
        with self._write() as db:
            self._require_visit(db, audit_id, visit)
            db.execute("UPDATE visits SET label = ? WHERE audit_id = ? AND visit = ?", (label, audit_id, visit))
            self._touch(db, audit_id)

    # ------------------------------------------------------------------ answers

    def save_answer(self, audit_id: str, visit: int, item_id: str, value: Any, unit: str | None = None) -> None:
        """Set one answer's value (and unit), keeping its note and photos. Touches no other answer.
        An answer from the last visit given again (or changed) is no longer "from the last visit"."""
        text, number = _split_value(value)
        with self._write() as db:
            self._require_visit(db, audit_id, visit)
            db.execute(
                "INSERT INTO answers (audit_id, visit, item_id, value_text, value_number, unit, note, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, '', ?)"
                " ON CONFLICT (audit_id, visit, item_id) DO UPDATE SET value_text = excluded.value_text,"
                " value_number = excluded.value_number, unit = excluded.unit, updated_at = excluded.updated_at, carried = 0",
                (audit_id, visit, item_id, text, number, unit, _now()),
            )
            self._touch(db, audit_id)

    def save_answer_details(
        self, audit_id: str, visit: int, item_id: str, *, basis: str | None = None, incident: str | None = None
    ) -> None:
        """Set whether an answer was observed or reported, and whether someone fell or nearly fell
        there (None clears either), keeping its value, note and photos."""
        if basis not in (None, *BASES) or incident not in (None, *INCIDENTS):
            raise StoreError(f"basis must be one of {BASES}, incident one of {INCIDENTS}")
        with self._write() as db:
            self._require_visit(db, audit_id, visit)
            db.execute(
                "INSERT INTO answers (audit_id, visit, item_id, note, basis, incident, updated_at) VALUES (?, ?, ?, '', ?, ?, ?)"
                " ON CONFLICT (audit_id, visit, item_id) DO UPDATE SET basis = excluded.basis, incident = excluded.incident,"
                " updated_at = excluded.updated_at",
                (audit_id, visit, item_id, basis, incident, _now()),
            )
            self._drop_if_empty(db, audit_id, visit, item_id)
            self._touch(db, audit_id)

    def answer(self, audit_id: str, visit: int, item_id: str) -> Answer | None:
        """One answer as stored (None when there is none): what a single question card re-reads
        after it changes, without loading the whole audit."""
        with self._lock, _database_errors(self.path):
            row = self._db.execute(
                "SELECT value_text, value_number, unit, note, basis, incident FROM answers"
                " WHERE audit_id = ? AND visit = ? AND item_id = ?",
                (audit_id, visit, item_id),
            ).fetchone()
            refs = [
                ref
                for (ref,) in self._db.execute(
                    "SELECT ref FROM answer_photos WHERE audit_id = ? AND visit = ? AND item_id = ? ORDER BY position",
                    (audit_id, visit, item_id),
                )
            ]
        if row is None and not refs:
            return None
        text, number, unit, note, basis, incident = row if row is not None else (None, None, None, "", None, None)
        return Answer.model_construct(
            value=text if text is not None else number,
            unit=unit,
            note=note or "",
            photos=tuple(refs),
            basis=basis,
            incident=incident,
        )

    def clear_answer(self, audit_id: str, visit: int, item_id: str) -> None:
        """Forget one answer's value (it becomes 'not assessed'); its note and photos stay."""
        with self._write() as db:
            self._require_visit(db, audit_id, visit)
            db.execute(
                "UPDATE answers SET value_text = NULL, value_number = NULL, unit = NULL, updated_at = ?, carried = 0"
                " WHERE audit_id = ? AND visit = ? AND item_id = ?",
                (_now(), audit_id, visit, item_id),
            )
            self._drop_if_empty(db, audit_id, visit, item_id)
            self._touch(db, audit_id)

    def save_note(self, audit_id: str, visit: int, item_id: str, note: str) -> None:
        """Set one answer's note (empty to remove it), keeping its value and photos."""
        with self._write() as db:
            self._require_visit(db, audit_id, visit)
            db.execute(
                "INSERT INTO answers (audit_id, visit, item_id, note, updated_at) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (audit_id, visit, item_id) DO UPDATE SET note = excluded.note, updated_at = excluded.updated_at",
                (audit_id, visit, item_id, note, _now()),
            )
            self._drop_if_empty(db, audit_id, visit, item_id)
            self._touch(db, audit_id)

    @staticmethod
    def _drop_if_empty(db: sqlite3.Connection, audit_id: str, visit: int, item_id: str) -> None:
        db.execute(
            "DELETE FROM answers WHERE audit_id = ? AND visit = ? AND item_id = ?"
            " AND value_text IS NULL AND value_number IS NULL AND note = '' AND basis IS NULL AND incident IS NULL"
            " AND NOT EXISTS (SELECT 1 FROM answer_photos p WHERE p.audit_id = answers.audit_id"
            "   AND p.visit = answers.visit AND p.item_id = answers.item_id)",
            (audit_id, visit, item_id),
        )

    # ------------------------------------------------------------------ drafts of new audits

    def save_draft(self, draft_id: str, data: dict[str, Any]) -> None:
        """Keep what the new-audit form holds so far (plain JSON values); drafts older than
        :data:`DRAFT_DAYS` go at the same time."""
        text = json.dumps(data, ensure_ascii=False, default=str)
        if len(text) > limits.MAX_AUDIT_BYTES:
            raise StoreError(f"the form holds more than {limits.MAX_AUDIT_BYTES // limits.MB} MB")
        cutoff = (dt.datetime.now(dt.UTC) - dt.timedelta(days=DRAFT_DAYS)).isoformat()
        with self._write() as db:
            db.execute(
                "INSERT INTO drafts (id, data, updated_at) VALUES (?, ?, ?)"
                " ON CONFLICT (id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
                (draft_id, text, _now()),
            )
            db.execute("DELETE FROM drafts WHERE updated_at < ?", (cutoff,))

    def load_draft(self, draft_id: str) -> dict[str, Any] | None:
        """A saved draft's values, or None (never saved, created, or too old)."""
        with self._lock, _database_errors(self.path):
            row = self._db.execute("SELECT data FROM drafts WHERE id = ?", (draft_id,)).fetchone()
        if row is None:
            return None
        data = json.loads(row[0])
        return data if isinstance(data, dict) else None

    def delete_draft(self, draft_id: str) -> None:
        with self._write() as db:
            db.execute("DELETE FROM drafts WHERE id = ?", (draft_id,))

    # ------------------------------------------------------------------ photos

    def add_photo(self, audit_id: str, visit: int, item_id: str, filename: str, data: bytes, mime: str = "") -> str:
        """Keep a photo for one answer; returns its reference ('photo:<n>'), already added to the answer.

        The store keeps the bytes it is given: checking and shrinking images is the caller's job.
        """
        if not isinstance(data, (bytes, bytearray)) or not data:
            raise StoreError("a photo needs its bytes")
        with self._write() as db:
            self._require_visit(db, audit_id, visit)
            ref = self._insert_photo(db, audit_id, visit, item_id, filename, data, mime)
            self._touch(db, audit_id)
        return ref

    @staticmethod
    def _insert_photo(
        db: sqlite3.Connection, audit_id: str, visit: int, item_id: str, filename: str, data: bytes, mime: str
    ) -> str:
        now = _now()
        ref = Store._keep_photo(db, audit_id, filename, data, mime)
        db.execute(
            "INSERT INTO answers (audit_id, visit, item_id, note, updated_at) VALUES (?, ?, ?, '', ?)"
            " ON CONFLICT (audit_id, visit, item_id) DO NOTHING",
            (audit_id, visit, item_id, now),
        )
        (last,) = db.execute(
            "SELECT MAX(position) FROM answer_photos WHERE audit_id = ? AND visit = ? AND item_id = ?",
            (audit_id, visit, item_id),
        ).fetchone()
        db.execute(
            "INSERT INTO answer_photos (audit_id, visit, item_id, position, ref) VALUES (?, ?, ?, ?, ?)",
            (audit_id, visit, item_id, 0 if last is None else last + 1, ref),
        )
        return ref

    def add_fix_photo(self, audit_id: str, filename: str, data: bytes, mime: str = "") -> str:
        """Keep a photo of a fix (already cleaned by :func:`homeaudit.photos.keep`); the action's
        plan edit refers to it. It belongs to the audit like the answers' photos."""
        with self._write() as db:
            self._require_audit(db, audit_id)
            ref = self._keep_photo(db, audit_id, filename, data, mime)
            self._touch(db, audit_id)
        return ref

    @staticmethod
    def _keep_photo(db: sqlite3.Connection, audit_id: str, filename: str, data: bytes, mime: str) -> str:
        """Store a photo's bytes for an audit; its reference (``photo:<n>``)."""
        cursor = db.execute(
            "INSERT INTO photos (audit_id, filename, mime, data, created_at) VALUES (?, ?, ?, ?, ?)",
            (audit_id, filename, mime, bytes(data), _now()),
        )
        return f"{PHOTO_PREFIX}{cursor.lastrowid}"

    @classmethod
    def _require_own_photo(cls, db: sqlite3.Connection, audit_id: str, ref: str) -> None:
        found = db.execute("SELECT audit_id FROM photos WHERE id = ?", (cls._photo_id(ref),)).fetchone()
        if found is None or found[0] != audit_id:
            raise StoreError(f"no photo {ref!r} in audit {audit_id!r}")

    @staticmethod
    def _photo_id(ref: str) -> int:
        if not isinstance(ref, str) or not ref.startswith(PHOTO_PREFIX) or not ref[len(PHOTO_PREFIX) :].isdigit():
            raise StoreError(f"{ref!r} is not a photo kept in this database (expected 'photo:<number>')")
        return int(ref[len(PHOTO_PREFIX) :])

    def photo(self, ref: str, audit_id: str | None = None) -> tuple[str, str, bytes]:
        """(filename, mime, bytes) of a kept photo; with ``audit_id``, only if it belongs to that audit."""
        rows = self._read("SELECT audit_id, filename, mime, data FROM photos WHERE id = ?", (self._photo_id(ref),))
        if not rows or (audit_id is not None and rows[0][0] != audit_id):
            raise StoreError(f"no photo {ref!r}" + (f" in audit {audit_id!r}" if audit_id else ""))
        _, filename, mime, data = rows[0]
        return filename, mime, bytes(data)

    def photo_bytes(self, ref: str, audit_id: str | None = None) -> bytes:
        """The bytes of a kept photo; with ``audit_id``, only if it belongs to that audit."""
        return self.photo(ref, audit_id)[2]

    def remove_photo(self, audit_id: str, visit: int, item_id: str, ref: str) -> None:
        """Take a photo off an answer; the image itself is deleted when no answer refers to it."""
        with self._write() as db:
            self._require_visit(db, audit_id, visit)
            gone = db.execute(
                "DELETE FROM answer_photos WHERE audit_id = ? AND visit = ? AND item_id = ? AND ref = ?",
                (audit_id, visit, item_id, ref),
            ).rowcount
            if not gone:
                raise StoreError(f"answer {item_id} has no photo {ref!r}")
            still_used = db.execute("SELECT 1 FROM answer_photos WHERE audit_id = ? AND ref = ?", (audit_id, ref)).fetchone()
            if ref.startswith(PHOTO_PREFIX) and ref[len(PHOTO_PREFIX) :].isdigit() and not still_used:
                db.execute("DELETE FROM photos WHERE id = ? AND audit_id = ?", (self._photo_id(ref), audit_id))
            self._drop_if_empty(db, audit_id, visit, item_id)
            self._touch(db, audit_id)

    # ------------------------------------------------------------------ action plan

    def save_plan_edit(
        self,
        audit_id: str,
        item_id: str,
        visit: int,
        done: bool = False,
        who: str | None = None,
        due: dt.date | None = None,
        *,
        state: str | None = None,
        helper: str = "",
        done_on: dt.date | None = None,
        done_by: str = "",
        reason: str = "",
        photo: str | None = None,
    ) -> None:
        """Record what the user set for one action: where it stands (``state``, or ``done`` as
        before), who does it (the kind of helper and the person by name), by when; when and by
        whom it was done, with a photo of the fix; why it was declined."""
        edit = PlanEdit(
            item_id=item_id,
            visit=visit,
            done=done,
            who=who,
            due=due,
            state="open" if state is None else _action_state(state),
            helper=helper,
            done_on=done_on,
            done_by=done_by,
            reason=reason,
            photo=photo,
        )
        self._save_plan_edit(audit_id, edit)

    def _save_plan_edit(self, audit_id: str, edit: PlanEdit) -> None:
        with self._write() as db:
            self._require_audit(db, audit_id)
            if edit.photo is not None:
                self._require_own_photo(db, audit_id, edit.photo)
            before = db.execute(
                "SELECT photo FROM plan_edits WHERE audit_id = ? AND item_id = ? AND visit = ?",
                (audit_id, edit.item_id, edit.visit),
            ).fetchone()
            db.execute(
                "INSERT INTO plan_edits (audit_id, item_id, visit, done, who, due, state, helper, done_on, done_by, reason,"
                " photo, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (audit_id, item_id, visit) DO UPDATE SET done = excluded.done, who = excluded.who,"
                " due = excluded.due, state = excluded.state, helper = excluded.helper, done_on = excluded.done_on,"
                " done_by = excluded.done_by, reason = excluded.reason, photo = excluded.photo, updated_at = excluded.updated_at",
                (
                    audit_id,
                    edit.item_id,
                    edit.visit,
                    int(edit.done),
                    edit.who or None,
                    edit.due.isoformat() if edit.due else None,
                    edit.state,
                    edit.helper.strip(),
                    edit.done_on.isoformat() if edit.done_on else None,
                    edit.done_by.strip(),
                    edit.reason.strip(),
                    edit.photo,
                    _now(),
                ),
            )
            replaced = before[0] if before else None
            if replaced and replaced != edit.photo:  # a photo of a fix no edit shows any more is not kept
                self._drop_loose_photo(db, audit_id, replaced)
            self._touch(db, audit_id)

    @classmethod
    def _drop_loose_photo(cls, db: sqlite3.Connection, audit_id: str, ref: str) -> None:
        """Delete a photo of this audit that no answer and no plan edit refers to."""
        in_use = db.execute(
            "SELECT 1 FROM answer_photos WHERE audit_id = ? AND ref = ? UNION ALL"
            " SELECT 1 FROM plan_edits WHERE audit_id = ? AND photo = ?",
            (audit_id, ref, audit_id, ref),
        ).fetchone()
        if not in_use:
            db.execute("DELETE FROM photos WHERE id = ? AND audit_id = ?", (cls._photo_id(ref), audit_id))

    def plan_edits(self, audit_id: str) -> list[PlanEdit]:
        """Every edited action of an audit (for :meth:`homeaudit.results.Score.with_edits`)."""
        rows = self._read(
            "SELECT item_id, visit, who, due, state, helper, done_on, done_by, reason, photo FROM plan_edits"
            " WHERE audit_id = ? ORDER BY visit, item_id",
            (audit_id,),
        )
        return [
            PlanEdit(
                item_id=item_id,
                visit=int(visit),
                who=who,
                due=_date_or_none(due),
                state=_action_state(state),
                helper=helper or "",
                done_on=_date_or_none(done_on),
                done_by=done_by or "",
                reason=reason or "",
                photo=photo,
            )
            for item_id, visit, who, due, state, helper, done_on, done_by, reason, photo in rows
        ]

    # ------------------------------------------------------------------ backup and restore

    def backup(self, dest: str | os.PathLike[str]) -> Path:
        """Copy the whole database into the new file ``dest`` (readable by its owner only), as it
        is at one moment, with SQLite's online backup API: safe while the app is running.

        The copy is made in one step, inside one read transaction: it holds every change
        committed before it started and none half-made, and in WAL mode writers go on meanwhile
        (a copy made page by page would start over at every write and might never finish under a
        steady writer). The copy is a single self-contained file (its journal mode is set back to
        DELETE, so it needs no ``-wal`` beside it) and passes ``PRAGMA integrity_check``. An
        existing ``dest`` is never touched; a failed copy is removed."""
        target_path = Path(dest)
        _new_private_file(target_path, "the backup")
        try:
            with self._lock, _database_errors(target_path):
                target = sqlite3.connect(target_path, isolation_level=None)
                try:
                    self._db.backup(target)
                    target.execute("PRAGMA journal_mode = DELETE")
                    problems = [row[0] for row in target.execute("PRAGMA integrity_check").fetchall()]
                finally:
                    target.close()
            if problems != ["ok"]:
                raise StoreError(f"{target_path}: the copy is damaged ({'; '.join(problems[:3])}); it was removed")
        except BaseException:
            _remove_database_files(target_path)
            raise
        return target_path

    @staticmethod
    def restore(backup: str | os.PathLike[str], target: str | os.PathLike[str], *, wait: float = 1.0) -> Path | None:
        """Put the database ``backup`` in place of ``target``; returns where the database that was
        there is kept (``<target>.before-restore-<time>``), or None when there was none.

        The backup is checked first, on a private copy beside ``target`` (the backup itself is
        never opened for writing): a homeaudit database (``migrations`` and ``audits`` tables, no
        migration this version does not know) that passes ``PRAGMA integrity_check``.

        *In use* means another connection has the database open: the app holds one for as long
        as it runs, idle most of the time. ``BEGIN EXCLUSIVE`` alone does not see an idle one in
        WAL mode (there it only keeps out other writers), and a ``-wal`` or ``-shm`` file is left
        behind by a process that was killed, so neither is the test. What is: in WAL mode every
        connection that has read the database holds a shared lock on the database file for as long
        as it is open (:class:`Store` reads when it opens), and a connection in
        ``locking_mode=EXCLUSIVE`` must take an exclusive lock on the file before it may read.
        That lock is tried for ``wait`` seconds; if any other process has the database open, the
        restore is refused and nothing changes. Once taken it is held to the end, so nobody opens
        the database in between. (A database in rollback mode, which homeaudit never leaves one
        in, is in use only while a transaction runs; an idle connection to it cannot be seen.)

        Holding the lock, the current database, its log included, is copied to the kept file
        with the backup API, then the backup is copied over it in one transaction: the
        database file keeps its place and permissions and is never half-restored. A database that
        is damaged (not readable as one) is renamed to the kept name instead. If the kept name is
        taken, or the database is in use, :class:`StoreError` says so and nothing changes."""
        source, target_path = Path(backup), Path(target)
        if not source.is_file():
            raise StoreError(f"{source}: no such backup file")
        if target_path.exists() and source.resolve() == target_path.resolve():
            raise StoreError(f"{source}: the backup is the database itself; nothing was done")
        wal = Path(f"{source}-wal")
        if wal.exists() and wal.stat().st_size > 0:
            raise StoreError(
                f"{source}: a write-ahead log ({wal.name}) is beside it, so it is a database in use, not a backup; "
                "make a backup with `homeaudit backup`"
            )
        kept = None
        if target_path.exists():
            kept = target_path.with_name(f"{target_path.name}.before-restore-{dt.datetime.now():%Y%m%d-%H%M%S}")
            if kept.exists() or Path(f"{kept}-wal").exists():
                raise StoreError(f"{kept}: already exists; the current database would have nowhere to go (try again in a second)")
        elif not target_path.parent.is_dir():
            target_path.parent.mkdir(mode=0o700, parents=True)
        candidate = target_path.with_name(f".{target_path.name}.restoring-{os.getpid()}")
        _new_private_file(candidate, "a copy of the backup")
        try:
            with open(source, "rb") as read, open(candidate, "wb") as write:
                import shutil

                shutil.copyfileobj(read, write, 1 << 20)
            new = _checked_backup(candidate, source)
            try:
                if kept is None:
                    new.close()
                    try:
                        os.link(candidate, target_path)  # never over a database that appeared meanwhile
                    except FileExistsError:
                        raise StoreError(f"{target_path}: a database appeared meanwhile; nothing was restored") from None
                    return None
                _replace_database(new, target_path, kept, wait)
            finally:
                new.close()
        finally:
            _remove_database_files(candidate)
        return kept

    # ------------------------------------------------------------------ files

    def with_actions(self, audit: Audit) -> Audit:
        """The audit as a file carries it: with what was recorded about each action of its plan
        (:class:`homeaudit.audit.ActionRecord`, from the plan edits), so an export loses none."""
        records = action_records(self.plan_edits(audit.id))
        return audit.model_copy(update={"actions": records})

    def export_audit(self, audit_id: str, fmt: str = "yaml") -> str:
        """The audit as a homeaudit/1 file (YAML, or JSON with ``fmt='json'``)."""
        return audit_io.dumps(self.with_actions(self.load_audit(audit_id)), fmt)  # type: ignore[arg-type]

    def export_bundle(self, audit_id: str) -> bytes:
        """The audit with its photos as one zip (homeaudit.bundle): an export that loses nothing.

        A photo the database does not hold (an imported file that named its photos by path) keeps
        its reference and is left out, as for any photo that cannot be loaded."""

        def load(ref: str) -> bytes:
            try:
                return self.photo_bytes(ref, audit_id)
            except StoreError as error:
                raise LookupError(str(error)) from None

        return bundle.pack(self.with_actions(self.load_audit(audit_id)), load)

    def import_file(
        self,
        data: bytes,
        library: Library,
        source: str = "<upload>",
        *,
        photo_loader: Callable[[str], bytes] | None = None,
        on_conflict: Literal["copy", "refuse"] = "copy",
    ) -> Imported:
        """Store an audit file (YAML or JSON) or a zip of one with its photos, after every check of
        :mod:`homeaudit.limits`, in one transaction: all of it or nothing.

        Photos come from the zip, or for a plain file through ``photo_loader`` (the folder beside
        it); each is re-encoded (:func:`homeaudit.photos.keep`), and one that cannot be had keeps
        its reference (the report says "photo missing"). An audit with the same id that holds the
        same answers is a duplicate and is skipped; a different audit with that id is imported as
        a copy under a new id, or refused with ``on_conflict="refuse"``.
        :class:`~homeaudit.audit.AuditError` or :class:`StoreError` names the file and the problem.
        """
        audit, photos = _read_import(data, library, source, photo_loader)
        with self._write() as db:
            if db.execute("SELECT 1 FROM audits WHERE id = ?", (audit.id,)).fetchone():
                if _same_answers(self.with_actions(self.load_audit(audit.id)), audit):
                    return Imported(audit.id, "duplicate")
                if on_conflict == "refuse":
                    raise StoreError(
                        f"{source}: a different audit with the id {audit.id!r} is already in the database; "
                        "nothing was imported (give the file another id, or delete the one in the database first)"
                    )
            wanted = [(visit, item_id, answer.photos) for visit, item_id, answer in audit.answers() if answer.photos]
            for _, _, answer in audit.answers():  # the database gives the photos it keeps new references
                answer.photos = tuple(ref for ref in answer.photos if ref not in photos)
            audit_id = self._insert_audit(db, audit, None)
            for visit, item_id, refs in wanted:
                for ref in refs:
                    if ref in photos:
                        name = f"{PurePosixPath(ref).stem or 'photo'}.jpg"
                        self._insert_photo(db, audit_id, visit, item_id, name, photos[ref], "image/jpeg")
            for action in audit.actions:  # a photo of a fix: kept like the others, then named on its action
                if action.photo in photos:
                    name = f"{PurePosixPath(action.photo).stem or 'fix'}.jpg"
                    ref = self._keep_photo(db, audit_id, name, photos[action.photo], "image/jpeg")
                    db.execute(
                        "UPDATE plan_edits SET photo = ? WHERE audit_id = ? AND item_id = ? AND visit = ?",
                        (ref, audit_id, action.item, action.visit),
                    )
        return Imported(audit_id, "imported")

    def import_bundle(self, data: bytes, library: Library, source: str = "<upload>") -> str:
        """Store an audit zip and its photos (:meth:`import_file`); returns the id it was stored under."""
        return self.import_file(data, library, source).audit_id

    def import_audit(self, text: str, library: Library, source: str = "<upload>") -> str:
        """Read and check a homeaudit/1 file, then store it (:meth:`import_file`); returns the id.

        A file with any problem raises :class:`homeaudit.audit.AuditError` naming file, line and
        field, and nothing is saved.
        """
        return self.import_file(text.encode("utf-8", "surrogatepass"), library, source).audit_id


@dataclass(frozen=True)
class Imported:
    """What an import did: the id the audit is stored under, and whether it was already there."""

    audit_id: str
    status: Literal["imported", "duplicate"]


def _read_import(
    data: bytes, library: Library, source: str, photo_loader: Callable[[str], bytes] | None
) -> tuple[Audit, dict[str, bytes]]:
    """The checked audit and its re-encoded photos, from a zip or from a YAML/JSON file."""
    if data[:4] == b"PK\x03\x04" or source.lower().endswith(".zip"):
        return bundle.unpack(data, library, source)
    if len(data) > limits.MAX_AUDIT_BYTES:
        size = f"{len(data) / limits.MB:.1f} MB"
        raise AuditError(f"{source}: the file is {size}; the limit is {limits.MAX_AUDIT_BYTES // limits.MB} MB")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise AuditError(f"{source}: not a text file (UTF-8): choose the .yaml, .json or .zip audit file") from None
    audit = audit_io.loads(text, library, source)
    photos: dict[str, bytes] = {}
    if photo_loader is not None:
        for ref in sorted(audit.photo_refs()):
            try:
                photos[ref] = photo_files.keep(ref, photo_loader(ref)).data
            except (OSError, LookupError):
                continue  # not there: the reference stays, and the report says "photo missing"
            except photo_files.PhotoError as error:
                raise AuditError(f"{source}: photo {ref}: {error}") from None
    return audit, photos


def _same_answers(stored: Audit, incoming: Audit) -> bool:
    """The same audit, photos aside (the database renames them), and the client id aside when the
    file has none (the store gave the stored one its id): an import to skip."""

    def shape(audit: Audit) -> str:
        copy = audit.model_copy(deep=True)
        for _, _, answer in copy.answers():
            answer.photos = ()
        copy.actions = tuple(a.model_copy(update={"photo": None}) for a in copy.actions)
        if not incoming.client.id:
            copy.client.id = ""
        return audit_io.dumps(copy)

    return shape(stored) == shape(incoming)


__all__ = ["DEFAULT_PATH", "ENV_VAR", "MIGRATIONS", "Imported", "Store", "StoreError", "connect", "default_path"]


# ---------------------------------------------------------------------- backup and restore helpers


def _new_private_file(path: Path, what: str) -> None:
    """Create ``path`` empty and readable by its owner only; refuse if anything is there already."""
    if not path.parent.is_dir():
        raise StoreError(f"{path.parent}: no such folder for {what}")
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        raise StoreError(f"{path}: already exists; not overwriting it") from None
    except OSError as error:
        raise StoreError(f"{path}: {what} cannot be written ({error.strerror or error})") from None


def _remove_database_files(path: Path) -> None:
    """A database file we made and no longer want, with its journal, log and index."""
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _checked_backup(copy: Path, source: Path) -> sqlite3.Connection:
    """The copy of a backup, open, once it has passed as a homeaudit database: ``integrity_check``,
    the ``migrations`` and ``audits`` tables, no migration this version does not know, and nothing
    that runs by itself (a trigger or a view from someone else's file would run inside the app).
    Its journal mode is set to DELETE (one self-contained file). :class:`StoreError` names the
    backup."""
    db = sqlite3.connect(copy, isolation_level=None)
    try:
        try:
            db.execute("PRAGMA trusted_schema = OFF")
            problems = [row[0] for row in db.execute("PRAGMA integrity_check").fetchall()]
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.DatabaseError as error:
            words = "a damaged database" if "malformed" in str(error) else "not a database"
            raise StoreError(f"{source}: not a homeaudit backup ({words}); nothing was restored") from None
        if problems != ["ok"]:
            raise StoreError(f"{source}: the backup is damaged ({'; '.join(problems[:3])}); nothing was restored")
        if not {"migrations", "audits"} <= tables:
            raise StoreError(f"{source}: not a homeaudit database (it has no audits or migrations table); nothing was restored")
        running = [
            f"{kind} {name}"
            for kind, name in db.execute("SELECT type, name FROM sqlite_master WHERE type IN ('trigger', 'view')")
        ]
        if running:
            raise StoreError(
                f"{source}: not a homeaudit backup: it holds {', '.join(running[:3])}, which homeaudit never makes; "
                "nothing was restored"
            )
        known = {name for name, _ in MIGRATIONS}
        unknown = sorted({row[0] for row in db.execute("SELECT name FROM migrations")} - known)
        if unknown:
            raise StoreError(
                f"{source}: made by a newer homeaudit (its database has {', '.join(unknown)}); "
                "restore it with that version; nothing was restored"
            )
        db.execute("PRAGMA journal_mode = DELETE")
    except BaseException:
        db.close()
        raise
    return db


def _replace_database(new: sqlite3.Connection, target: Path, kept: Path, wait: float) -> None:
    """Hold ``target`` exclusively (or refuse: in use), copy it to ``kept``, then copy ``new`` over
    it (:meth:`Store.restore`). A file that is not a database is renamed to ``kept`` instead."""
    db = sqlite3.connect(target, timeout=wait, isolation_level=None)
    try:
        try:
            db.execute("PRAGMA locking_mode = EXCLUSIVE")
            db.execute("BEGIN EXCLUSIVE")
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
            db.execute("COMMIT")
        except sqlite3.DatabaseError as error:
            kind = getattr(error, "sqlite_errorname", "")
            if kind in ("SQLITE_BUSY", "SQLITE_LOCKED") or "locked" in str(error) or "busy" in str(error):
                raise StoreError(
                    f"{target}: the database is in use (the app or another homeaudit command has it open); "
                    "stop the app, then restore again; nothing was restored"
                ) from None
            if kind not in ("SQLITE_NOTADB", "SQLITE_CORRUPT") and "not a database" not in str(error):
                raise StoreError(f"{target}: {_in_words(error)}; nothing was restored") from None
            db.close()
            _set_aside(target, kept)
            new_path = Path(new.execute("PRAGMA database_list").fetchone()[2])
            new.close()
            os.link(new_path, target)
            return
        _new_private_file(kept, "the current database's copy")
        try:
            copy = sqlite3.connect(kept, isolation_level=None)
            try:
                db.backup(copy)
                copy.execute("PRAGMA journal_mode = DELETE")
            finally:
                copy.close()
        except BaseException:
            _remove_database_files(kept)
            raise
        try:
            db.execute("PRAGMA journal_mode = DELETE")  # the backup's pages whatever their size; WAL again on open
            new.backup(db)
        except BaseException:
            _remove_database_files(kept)  # the database is as it was: its copy is not needed
            raise
    except sqlite3.Error as error:
        raise StoreError(f"{target}: {_in_words(error)}; nothing was restored") from None
    finally:
        db.close()


def _set_aside(target: Path, kept: Path) -> None:
    """Rename a damaged database, with its log, to the kept name (it cannot be copied as one)."""
    for suffix in ("-wal", ""):
        if Path(f"{target}{suffix}").exists():
            os.rename(f"{target}{suffix}", f"{kept}{suffix}")
    Path(f"{target}-shm").unlink(missing_ok=True)
