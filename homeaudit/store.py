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
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from homeaudit import audit as audit_io
from homeaudit import bundle, limits
from homeaudit import photos as photo_files
from homeaudit.audit import RESIDENT_VISIT, Answer, Assessment, Audit, AuditError, Auditor, Client, RoomVisit
from homeaudit.checklist import Library
from homeaudit.plan import PlanEdit
from homeaudit.words import BASES, INCIDENTS

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
        "client": _extras(client, "name", "address", "notes"),
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

    def create_audit(self, audit: Audit, *, previous_id: str | None = None) -> str:
        """Store a whole audit (metadata, rooms, answers); returns its id, made unique if taken."""
        with self._write() as db:
            return self._insert_audit(db, audit, previous_id)

    def _insert_audit(self, db: sqlite3.Connection, audit: Audit, previous_id: str | None) -> str:
        audit_id = self._unique_id(db, audit.id or audit_io.default_id(audit.date, audit.client.name))
        now = _now()
        db.execute(
            "INSERT INTO audits (id, audit_date, auditor_name, auditor_role, client_name, client_address, client_notes,"
            " previous_id, created_at, updated_at, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (audit_id, visit, item_id, text, number, answer.unit, answer.note, answer.basis, answer.incident, now),
            )
            db.executemany(
                "INSERT INTO answer_photos (audit_id, visit, item_id, position, ref) VALUES (?, ?, ?, ?, ?)",
                [(audit_id, visit, item_id, p, ref) for p, ref in enumerate(answer.photos)],
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
                "SELECT id, audit_date, auditor_name, auditor_role, client_name, client_address, client_notes, details"
                f" FROM audits{where} ORDER BY audit_date DESC, updated_at DESC, id",
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
        for audit_id, date, a_name, a_role, c_name, c_address, c_notes, details in metas:
            extra = _details(details)
            out.append(
                Audit(
                    id=audit_id,
                    date=dt.date.fromisoformat(date),
                    auditor=Auditor.model_validate({**extra.get("auditor", {}), "name": a_name, "role": a_role}),
                    client=Client.model_validate(
                        {**extra.get("client", {}), "name": c_name, "address": c_address, "notes": c_notes}
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
            " a.previous_id, a.created_at, a.updated_at, a.last_room"
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
        )
        out = []
        for row in rows:
            record = dict(zip(keys, row, strict=True))
            record["date"] = dt.date.fromisoformat(record["date"])
            out.append(record)
        return out

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
            db.execute("DELETE FROM audits WHERE id = ?", (audit_id,))
            db.execute("UPDATE audits SET previous_id = NULL WHERE previous_id = ?", (audit_id,))
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
        """Start a re-audit: today's date, same client and rooms, the previous answers and notes.

        Photos stay with the visit they were taken on (they show the home as it was then);
        the new audit remembers the old one as its ``previous_id``.
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
            return self._insert_audit(db, new, previous_id=audit_id)

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
        """Set one answer's value (and unit), keeping its note and photos. Touches no other answer."""
        text, number = _split_value(value)
        with self._write() as db:
            self._require_visit(db, audit_id, visit)
            db.execute(
                "INSERT INTO answers (audit_id, visit, item_id, value_text, value_number, unit, note, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, '', ?)"
                " ON CONFLICT (audit_id, visit, item_id) DO UPDATE SET value_text = excluded.value_text,"
                " value_number = excluded.value_number, unit = excluded.unit, updated_at = excluded.updated_at",
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
                "UPDATE answers SET value_text = NULL, value_number = NULL, unit = NULL, updated_at = ?"
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
        cursor = db.execute(
            "INSERT INTO photos (audit_id, filename, mime, data, created_at) VALUES (?, ?, ?, ?, ?)",
            (audit_id, filename, mime, bytes(data), now),
        )
        ref = f"{PHOTO_PREFIX}{cursor.lastrowid}"
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
    ) -> None:
        """Record what the user set for one action: done or not, who does it, by when."""
        with self._write() as db:
            self._require_audit(db, audit_id)
            db.execute(
                "INSERT INTO plan_edits (audit_id, item_id, visit, done, who, due, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (audit_id, item_id, visit) DO UPDATE SET done = excluded.done, who = excluded.who,"
                " due = excluded.due, updated_at = excluded.updated_at",
                (audit_id, item_id, visit, int(bool(done)), who or None, due.isoformat() if due else None, _now()),
            )
            self._touch(db, audit_id)

    def plan_edits(self, audit_id: str) -> list[PlanEdit]:
        """Every edited action of an audit (for :meth:`homeaudit.results.Score.with_edits`)."""
        rows = self._read(
            "SELECT item_id, visit, done, who, due FROM plan_edits WHERE audit_id = ? ORDER BY visit, item_id",
            (audit_id,),
        )
        return [
            PlanEdit(item_id=item_id, visit=int(visit), done=bool(done), who=who, due=dt.date.fromisoformat(due) if due else None)
            for item_id, visit, done, who, due in rows
        ]

    # ------------------------------------------------------------------ files

    def export_audit(self, audit_id: str, fmt: str = "yaml") -> str:
        """The audit as a homeaudit/1 file (YAML, or JSON with ``fmt='json'``)."""
        return audit_io.dumps(self.load_audit(audit_id), fmt)  # type: ignore[arg-type]

    def export_bundle(self, audit_id: str) -> bytes:
        """The audit with its photos as one zip (homeaudit.bundle): an export that loses nothing.

        A photo the database does not hold (an imported file that named its photos by path) keeps
        its reference and is left out, as for any photo that cannot be loaded."""

        def load(ref: str) -> bytes:
            try:
                return self.photo_bytes(ref, audit_id)
            except StoreError as error:
                raise LookupError(str(error)) from None

        return bundle.pack(self.load_audit(audit_id), load)

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
                if _same_answers(self.load_audit(audit.id), audit):
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
        for ref in sorted({ref for _, _, answer in audit.answers() for ref in answer.photos}):
            try:
                photos[ref] = photo_files.keep(ref, photo_loader(ref)).data
            except (OSError, LookupError):
                continue  # not there: the reference stays, and the report says "photo missing"
            except photo_files.PhotoError as error:
                raise AuditError(f"{source}: photo {ref}: {error}") from None
    return audit, photos


def _same_answers(stored: Audit, incoming: Audit) -> bool:
    """The same audit, photos aside (the database renames them): an import to skip."""

    def shape(audit: Audit) -> str:
        copy = audit.model_copy(deep=True)
        for _, _, answer in copy.answers():
            answer.photos = ()
        return audit_io.dumps(copy)

    return shape(stored) == shape(incoming)


__all__ = ["DEFAULT_PATH", "ENV_VAR", "MIGRATIONS", "Imported", "Store", "StoreError", "connect", "default_path"]
