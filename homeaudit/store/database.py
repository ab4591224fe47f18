"""The store: audits, answers, photos and action-plan edits in one database, SQLite or PostgreSQL.

The only module that speaks SQL to the data (with :mod:`homeaudit.store.migrate` for the schema);
the rest of homeaudit talks to the small :class:`Store` API in terms of the :mod:`homeaudit.audit`
model and :class:`homeaudit.plan.PlanEdit`, and does not know which backend is behind it. The
statements are plain SQL that both backends accept (placeholders are ``?``; the few places where
the backends differ ask :attr:`Store.backend`); :mod:`homeaudit.store.engines` makes the
connections behave alike.

Rules the app relies on:

* Every write is one transaction, and every answer is its own row (an upsert): two browser tabs,
  or two app replicas, on the same audit each write only the answers they change, so neither
  overwrites the other's. Write transactions take turns (:mod:`homeaudit.store.engines`).
* A store sees one **practice** only (:attr:`Store.practice`; "" on a single-user laptop): an
  audit, client, draft or photo of another practice is "not found", exactly like one that does
  not exist. Ids are unique in the whole database; on a server a new audit's id ends at random
  (:meth:`Store._unique_id`), so the id a practice is given never tells what another one holds.
* ``visit`` is an index into ``Audit.rooms`` (the order rooms were added);
  :data:`~homeaudit.audit.RESIDENT_VISIT` is the resident.
* Photos are kept in the database (BLOB, bytea); an answer refers to them as ``photo:<n>``. A
  photo belongs to one audit, and every read that names the audit (:meth:`Store.photo` with
  ``audit_id``, as the app and the report use it) refuses another audit's photo, so a reference
  copied into another audit (an imported file, a re-audit) never shows someone else's photo.
* The schema changes only through migrations (:mod:`homeaudit.store.migrate`), applied when a
  store opens the database.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Literal

import numpy as np
import pandas as pd
from sqlalchemy import Connection

from homeaudit import audit as audit_io
from homeaudit import bundle, limits
from homeaudit import photos as photo_files
from homeaudit.audit import RESIDENT_VISIT, Answer, Assessment, Audit, AuditError, Auditor, Client, RoomVisit
from homeaudit.checklist import Library
from homeaudit.plan import PlanEdit, action_records
from homeaudit.store import engines, migrate, sqlite_files, values
from homeaudit.store.engines import READ_ONLY, Target
from homeaudit.store.errors import StoreError, database_errors
from homeaudit.store.values import CLIENT_ID, PHOTO_PREFIX
from homeaudit.words import BASES, INCIDENTS

DEFAULT_PATH = Path("data") / "homeaudit.db"
ENV_VAR = "HOMEAUDIT_DB"
#: A draft of a new audit not touched for this many days is deleted (it may hold health details).
DRAFT_DAYS = 30
#: A unit as the frames read it: "" for none (so a group's joined list keeps its place).
_UNIT_OR_EMPTY = "COALESCE(unit, '')"
#: The frames' condition on ``audits`` (aliased ``au``) when no filter is given.
_PRACTICE_ONLY = "au.practice = ?"
#: A new answer's place in its audit's order: after every answer given before it (one parameter: the audit).
_NEXT_SEQ = "(SELECT COALESCE(MAX(seq), 0) + 1 FROM answers WHERE audit_id = ?)"


def default_target() -> str:
    """``HOMEAUDIT_DB`` if set (a file path or a ``postgresql://`` URL), else ``data/homeaudit.db``
    relative to the working directory."""
    return os.environ.get(ENV_VAR) or str(DEFAULT_PATH)


#: A plan edit's words as the person typed them on the card.
_PLAN_TEXT_WORDS: dict[str, str] = {"helper": "who does it, by name", "done_by": "done by", "reason": "why it was declined"}


def _plan_text_limit(name: str) -> int:
    """How long a plan edit's ``name`` may be: the audit file's action record says it (one place,
    so every saved edit can be exported: a 1,500-character reason once stopped every export)."""
    from homeaudit.audit import ActionRecord

    found = [m.max_length for m in ActionRecord.model_fields[name].metadata if getattr(m, "max_length", None)]
    return int(found[0])


def _check_plan_text(edit: PlanEdit) -> None:
    """:class:`StoreError` naming the field and its limit when a plan edit's words are too long."""
    for name, shown in _PLAN_TEXT_WORDS.items():
        length, limit = len(str(getattr(edit, name)).strip()), _plan_text_limit(name)
        if length > limit:
            raise StoreError(f"{shown!r} is {length:,} characters long; the limit is {limit:,}. Nothing was saved")


def connect(target: str | os.PathLike[str] | None = None, *, create: bool = True, practice: str = "", author: str = "") -> Store:
    """Open (and create or upgrade) the database ``target`` names (:func:`default_target` when
    None) as seen by ``practice``; audits created through it record ``author``. For a SQLite file
    the folder is created when missing; with ``create=False`` (the command line's ``list``,
    ``export`` and ``delete``, which only read or remove) a missing file is a :class:`StoreError`
    and nothing is created."""
    return Store(target, create=create, practice=practice, author=author)


class _Sql:
    """One connection inside one transaction, taking the store's ``?`` statements on either backend."""

    def __init__(self, connection: Connection, backend: engines.Backend) -> None:
        self._connection = connection
        self._backend = backend

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """The statement's result (a SQLAlchemy ``CursorResult``: ``fetchone``, ``one``, ``rowcount``…),
        typed loosely: its rows are tuples of whatever the columns hold."""
        return self._connection.exec_driver_sql(engines.placeholders(sql, self._backend), tuple(params))

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Every row of a query as plain tuples, through the driver's own cursor on the same
        connection and transaction: for the practice's tables, where wrapping each of a hundred
        thousand rows costs more than reading it."""
        cursor = self._connection.connection.cursor()
        try:
            cursor.execute(engines.placeholders(sql, self._backend), tuple(params))
            return list(cursor.fetchall())
        finally:
            cursor.close()

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        many = [tuple(row) for row in rows]
        if many:
            self._connection.exec_driver_sql(engines.placeholders(sql, self._backend), many)


class Store:
    """One database as one practice sees it. Safe to share between threads."""

    def __init__(
        self,
        target: str | os.PathLike[str] | None = None,
        *,
        create: bool = True,
        practice: str = "",
        author: str = "",
    ) -> None:
        try:
            self.target: Target = engines.parse(target if target is not None else default_target())
        except engines.TargetError as error:
            raise StoreError(str(error)) from None
        self.backend: engines.Backend = self.target.backend
        #: The SQLite file, or None for a server database.
        self.path: Path | None = self.target.path
        #: Whose audits and clients this store sees ("" on a single-user laptop).
        self.practice = practice
        #: Who audits created through this store are recorded as made by.
        self.author = author
        if self.path is not None and str(self.path) != ":memory:":
            if create:
                sqlite_files.create_private(self.path)
            elif not self.path.is_file():
                raise StoreError(f"{self.path}: no database here (nothing was created); check the path, or import a file first")
        # SQLite: one connection at a time per store (its writes take turns anyway); an in-memory
        # database is one connection, so the lock also keeps threads off it at once.
        self._lock: AbstractContextManager[Any] = threading.RLock() if self.backend == "sqlite" else nullcontext()
        self._local = threading.local()
        self._engine = engines.engine_for(self.target)
        self._owns_engine = True
        try:
            if str(self.path) == ":memory:":
                with self._engine.connect() as connection, connection.begin():
                    migrate.upgrade_connection(connection, self.target)
            else:
                migrate.upgrade(self.target)
            self._read("SELECT 1 FROM audits WHERE 1 = 0")  # opens it: a locked or damaged file says so now
        except BaseException:
            self._engine.dispose()
            raise

    def for_practice(self, practice: str, author: str = "") -> Store:
        """The same database as ``practice`` sees it, recording ``author``: a view that shares
        this store's connections (a server with many signed-in users keeps one pool, not one
        per user). Closing the view leaves the connections to this store."""
        view = object.__new__(Store)
        view.__dict__.update(self.__dict__)
        view.practice, view.author = practice, author
        view._local = threading.local()
        view._owns_engine = False
        return view

    @property
    def shown(self) -> str:
        """The database as messages name it: its file, or its server's URL without the password."""
        return self.target.shown

    # ------------------------------------------------------------------ plumbing

    def close(self) -> None:
        """Close the database's connections (a :meth:`for_practice` view leaves them open)."""
        if self._owns_engine:
            with self._lock:
                self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    @contextmanager
    def _transaction(self, *, read_only: bool, snapshot: bool = False) -> Iterator[_Sql]:
        """A transaction on a connection of its own; inside one already (a read inside a write),
        that one. A write transaction takes the write turn at its start, so reads inside it are
        current. ``snapshot``: every read sees the database as it was at the first."""
        inside: _Sql | None = getattr(self._local, "sql", None)
        if inside is not None:
            yield inside
            return
        with self._lock, database_errors(self.shown), self._engine.connect() as connection:
            if read_only:
                connection.execution_options(**{READ_ONLY: True})
            if snapshot and self.backend == "postgresql":
                connection.execution_options(isolation_level="REPEATABLE READ")
            with connection.begin():
                sql = _Sql(connection, self.backend)
                self._local.sql = sql
                try:
                    yield sql
                finally:
                    self._local.sql = None

    @contextmanager
    def _sqlite_file(self) -> Iterator[sqlite3.Connection]:
        """SQLite's own connection, outside any transaction: for what only the file can do (a
        checkpoint of its log, the online backup)."""
        with self._lock, database_errors(self.shown), self._engine.connect() as connection:
            raw: Any = connection.connection.driver_connection
            yield raw

    @contextmanager
    def _write(self) -> Iterator[_Sql]:
        """One write transaction: all of it is saved, or none of it."""
        with self._transaction(read_only=False) as sql:
            yield sql

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._transaction(read_only=True) as db:
            return [tuple(row) for row in db.execute(sql, params).fetchall()]

    def schema_revision(self) -> str | None:
        """The migration revision the database is at (:func:`homeaudit.store.migrate.head` once open)."""
        rows = self._read("SELECT version_num FROM alembic_version")
        return str(rows[0][0]) if rows else None

    def _concat(self, column: str) -> str:
        """SQL joining ``column`` over a group with the separator chr(31), in item order."""
        if self.backend == "sqlite":
            return f"group_concat({column}, char(31))"
        return f"string_agg({column}, chr(31) ORDER BY item_id)"

    def _require_audit(self, db: _Sql, audit_id: str) -> None:
        """An audit of this store's practice, or "no audit": another practice's is not told apart."""
        if not db.execute("SELECT 1 FROM audits WHERE id = ? AND practice = ?", (audit_id, self.practice)).fetchone():
            raise StoreError(f"no audit with id {audit_id!r} (it may have been deleted)")

    def _visible(self, audit_id: str) -> bool:
        """Whether this practice has the audit: a read of another practice's (or a deleted one's)
        parts gives nothing, as for an audit that never was."""
        return self.exists(audit_id)

    def _require_client(self, db: _Sql, client_id: str) -> None:
        if not db.execute("SELECT 1 FROM clients WHERE id = ? AND practice = ?", (client_id, self.practice)).fetchone():
            raise StoreError(f"no client with id {client_id!r}")

    def _require_visit(self, db: _Sql, audit_id: str, visit: int) -> None:
        self._require_audit(db, audit_id)
        if visit == RESIDENT_VISIT:
            return
        if not db.execute("SELECT 1 FROM visits WHERE audit_id = ? AND visit = ?", (audit_id, visit)).fetchone():
            raise StoreError(f"audit {audit_id!r} has no room number {visit}")

    @staticmethod
    def _touch(db: _Sql, audit_id: str) -> None:
        db.execute("UPDATE audits SET updated_at = ? WHERE id = ?", (values.now(), audit_id))

    def _unique_id(self, db: _Sql, wanted: str) -> str:
        """A new audit's id. Ids are unique in the whole database, so on a practice's server an id
        must not depend on other practices' audits (``wanted-2`` would tell that someone else
        audited that person that day): there every new id is ``wanted`` with a random ending. On a
        laptop (practice "") it is ``wanted``, or ``wanted-2``… if taken."""
        if self.practice:
            while True:
                candidate = f"{wanted}-{secrets.token_hex(3)}"
                if not db.execute("SELECT 1 FROM audits WHERE id = ?", (candidate,)).fetchone():
                    return candidate
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

    def _client_for(self, db: _Sql, audit: Audit, previous_id: str | None, client_id: str | None) -> str:
        if client_id is not None:
            self._require_client(db, client_id)
            return client_id
        if previous_id is not None:
            found = db.execute(
                "SELECT client_id FROM audits WHERE id = ? AND practice = ?", (previous_id, self.practice)
            ).fetchone()
            if found and found[0]:
                return str(found[0])
        given = audit.client.id if CLIENT_ID.fullmatch(audit.client.id) else ""  # only an id this app makes
        if given:
            owner = db.execute("SELECT practice FROM clients WHERE id = ?", (given,)).fetchone()
            if owner and owner[0] == self.practice:
                return given
            if owner:  # another practice's client: never joined, and not told apart from a new one
                given = ""
        new_id = given or values.new_client_id(db)  # a file's own client id is kept: a later visit joins it
        db.execute(
            "INSERT INTO clients (id, name, address, created_at, practice) VALUES (?, ?, ?, ?, ?)",
            (new_id, audit.client.name, audit.client.address, values.now(), self.practice),
        )
        return new_id

    def _insert_audit(
        self,
        db: _Sql,
        audit: Audit,
        previous_id: str | None,
        client_id: str | None = None,
        *,
        carried: bool = False,
    ) -> str:
        audit_id = self._unique_id(db, audit.id or audit_io.default_id(audit.date, audit.client.name))
        if (
            previous_id is not None
            and not db.execute("SELECT 1 FROM audits WHERE id = ? AND practice = ?", (previous_id, self.practice)).fetchone()
        ):
            raise StoreError(f"no audit with id {previous_id!r} (it may have been deleted)")
        stamp = values.now()
        client_id = self._client_for(db, audit, previous_id, client_id)
        db.execute(
            "INSERT INTO audits (id, audit_date, auditor_name, auditor_role, client_name, client_address, client_notes,"
            " previous_id, created_at, updated_at, details, client_id, practice, author)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                audit_id,
                audit.date.isoformat(),
                audit.auditor.name,
                audit.auditor.role,
                audit.client.name,
                audit.client.address,
                audit.client.notes,
                previous_id,
                stamp,
                stamp,
                values.details_json(audit.auditor, audit.client, audit.assessment),
                client_id,
                self.practice,
                self.author,
            ),
        )
        db.executemany(
            "INSERT INTO visits (audit_id, visit, room, label, present) VALUES (?, ?, ?, ?, ?)",
            [(audit_id, i, v.room, v.label, int(v.present)) for i, v in enumerate(audit.rooms)],
        )
        answer_rows, photo_rows = [], []
        for seq, (visit, item_id, answer) in enumerate(audit.answers(), start=1):
            text, number = values.split_value(answer.value)
            carried_now = int(carried and answer.is_answered)
            note, basis, incident = answer.note, answer.basis, answer.incident
            answer_rows.append(
                (audit_id, visit, item_id, text, number, answer.unit, note, basis, incident, stamp, carried_now, seq)
            )
            photo_rows += [(audit_id, visit, item_id, p, ref) for p, ref in enumerate(answer.photos)]
        db.executemany(  # one statement for all (a server is a round trip away)
            "INSERT INTO answers (audit_id, visit, item_id, value_text, value_number, unit, note, basis, incident,"
            " updated_at, carried, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            answer_rows,
        )
        db.executemany("INSERT INTO answer_photos (audit_id, visit, item_id, position, ref) VALUES (?, ?, ?, ?, ?)", photo_rows)
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
                    stamp,
                )
                for a in audit.actions
            ],
        )
        return audit_id

    def exists(self, audit_id: str) -> bool:
        """Whether this practice has an audit with this id."""
        return bool(self._read("SELECT 1 FROM audits WHERE id = ? AND practice = ?", (audit_id, self.practice)))

    def load_audit(self, audit_id: str) -> Audit:
        """The audit exactly as stored: metadata, rooms in order, every answer with unit, note, photos."""
        audits = self.load_audits([audit_id])
        if not audits:
            raise StoreError(f"no audit with id {audit_id!r} (it may have been deleted)")
        return audits[0]

    def load_audits(self, ids: list[str] | None = None) -> list[Audit]:
        """Several audits in a handful of queries (all of them when ``ids`` is None), newest first."""
        with self._transaction(read_only=True, snapshot=True) as db:
            where = " WHERE practice = ?"
            params: tuple[str, ...] = (self.practice,)
            if ids is not None:
                if not ids:
                    return []
                where += f" AND id IN ({', '.join('?' for _ in ids)})"
                params += tuple(ids)
            metas = db.rows(
                "SELECT id, audit_date, auditor_name, auditor_role, client_name, client_address, client_notes, details,"
                f" client_id FROM audits{where} ORDER BY audit_date DESC, updated_at DESC, id",
                params,
            )
            wanted = tuple(m[0] for m in metas)
            if not wanted:
                return []
            marks = ", ".join("?" for _ in wanted)
            visits = db.rows(
                f"SELECT audit_id, visit, room, label, present FROM visits WHERE audit_id IN ({marks}) ORDER BY audit_id, visit",
                wanted,
            )
            answers = db.rows(
                "SELECT audit_id, visit, item_id, value_text, value_number, unit, note, basis, incident FROM answers"
                f" WHERE audit_id IN ({marks}) ORDER BY audit_id, visit, seq, item_id",
                wanted,
            )
            photos = db.rows(
                f"SELECT audit_id, visit, item_id, ref FROM answer_photos WHERE audit_id IN ({marks})"
                " ORDER BY audit_id, visit, item_id, position",
                wanted,
            )
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
            extra = values.details(details)
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

    def last_worked_on(self) -> tuple[str, str, dt.date] | None:
        """The audit changed last among those this store's author made (id, client's name, date),
        or None: what the Start page offers to go back to when a person returns on a new phone
        session. On a practice's server, one's own audit, never a colleague's; on a laptop (no
        author), the last one."""
        rows = self._read(
            "SELECT id, client_name, audit_date FROM audits WHERE practice = ? AND author = ?"
            " ORDER BY updated_at DESC, id LIMIT 1",
            (self.practice, self.author),
        )
        if not rows:
            return None
        audit_id, name, date = rows[0]
        return str(audit_id), str(name or ""), dt.date.fromisoformat(str(date))

    def list_audits(self) -> list[dict[str, Any]]:
        """One summary per audit, newest first: id, client, address, date, auditor, times.

        How much of an audit is answered depends on the checklist, which the store does not
        know: scoring counts it (``Overall.answered``, ``score_many``'s ``coverage``).
        """
        rows = self._read(
            "SELECT a.id, a.client_name, a.client_address, a.audit_date, a.auditor_name, a.auditor_role,"
            " a.previous_id, a.created_at, a.updated_at, a.last_room, a.client_id"
            " FROM audits a WHERE a.practice = ? ORDER BY a.audit_date DESC, a.updated_at DESC, a.id",
            (self.practice,),
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
    def _snapshot(self) -> Iterator[_Sql]:
        """A read transaction: every query inside sees the database as it was at its first read."""
        with self._transaction(read_only=True, snapshot=True) as db:
            yield db

    def _audit_filter(self, since: dt.date | None, until: dt.date | None, auditor: str | None) -> tuple[str, tuple[Any, ...]]:
        """A condition on ``audits`` (aliased ``au``) for the frames' filters, with its parameters:
        always this store's practice."""
        conditions: list[str] = [_PRACTICE_ONLY]
        params: list[Any] = [self.practice]
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

    def _audit_frame(self, db: _Sql, where: str, params: tuple[Any, ...]) -> pd.DataFrame:
        found = db.rows(
            "SELECT au.id, au.audit_date, au.auditor_name, au.auditor_role, au.client_id, au.client_name,"
            " au.client_address, au.previous_id, au.details FROM audits au"
            f" WHERE {where} ORDER BY au.audit_date, au.created_at, au.id",
            params,
        )
        rows = [(*row[:8], values.details(row[8]).get("assessment", {}).get("follow_up")) for row in found]
        columns = ["audit_id", "audit_date", "auditor_name", "auditor_role", "client_id"]
        columns += ["client_name", "client_address", "previous_id", "follow_up"]
        frame = pd.DataFrame.from_records(rows, columns=columns)
        frame["client_id"] = frame["client_id"].fillna("").astype(str)
        for column in ("audit_date", "follow_up"):
            frame[column] = pd.to_datetime(frame[column], format="%Y-%m-%d", errors="coerce")
        return frame

    def _answer_frame(self, db: _Sql, where: str, params: tuple[Any, ...]) -> pd.DataFrame:
        audits = self._audit_frame(db, where, params)
        # Only this practice's answers; no condition at all when the database holds no other's (a
        # laptop's, always): the condition costs more than the query over 5,000 audits.
        others = db.rows("SELECT 1 FROM audits WHERE practice <> ? LIMIT 1", (self.practice,))
        scope = "" if where == _PRACTICE_ONLY and not others else f" AND audit_id IN (SELECT au.id FROM audits au WHERE {where})"
        params = params if scope else ()
        # Worded answers (most of them) come one row per room visit, their items, words and units
        # each joined by a separator (a Python object per answer is what costs time). The three
        # lists of a row are built from the same rows in the same order. Should some text hold the
        # separator after all, its list comes out too long, and each answer is read as a row.
        groups = db.rows(
            f"SELECT audit_id, visit, COUNT(*), {self._concat('item_id')}, {self._concat('value_text')},"
            f" {self._concat(_UNIT_OR_EMPTY)} FROM answers WHERE value_text IS NOT NULL{scope}"
            " GROUP BY audit_id, visit",
            params,
        )
        counts = np.array([g[2] for g in groups], dtype=np.int64)
        sep = chr(31)  # the separator of the SQL's group_concat
        items, words, units = (sep.join(g[i] for g in groups).split(sep) if groups else [] for i in (3, 4, 5))
        if len(items) == len(words) == len(units) == counts.sum():
            audit_ids = np.repeat(np.array([g[0] for g in groups], dtype=object), counts)
            visits = np.repeat(np.array([g[1] for g in groups], dtype=np.int64), counts)
        else:
            rows = db.rows(
                "SELECT audit_id, visit, item_id, value_text, COALESCE(unit, '') FROM answers"
                f" WHERE value_text IS NOT NULL{scope}",
                params,
            )
            audit_ids = np.array([r[0] for r in rows], dtype=object)
            visits = np.array([r[1] for r in rows], dtype=np.int64)
            items, words, units = ([r[i] for r in rows] for i in (2, 3, 4))
        numbers = db.rows(  # a measurement: a number and its unit
            "SELECT audit_id, visit, item_id, value_number, COALESCE(unit, '') FROM answers"
            f" WHERE value_text IS NULL AND value_number IS NOT NULL{scope}",
            params,
        )
        audit_ids = np.concatenate([audit_ids, np.array([r[0] for r in numbers], dtype=object)])
        visits = np.concatenate([visits, np.array([r[1] for r in numbers], dtype=np.int64)])
        item_ids = np.array(items + [r[2] for r in numbers], dtype=object)
        texts = np.array(words + [None] * len(numbers), dtype=object)
        value_numbers = np.concatenate([np.full(len(words), np.nan), np.array([r[3] for r in numbers], dtype=float)])
        unit_names = np.array([u or None for u in units] + [r[4] or None for r in numbers], dtype=object)
        # Each answer's audit (a row of ``audits``) and room visit (none for the resident's, visit −1).
        ids = pd.Index(audits["audit_id"].to_numpy(object), dtype=object)
        audit_at = ids.get_indexer(pd.Index(audit_ids, dtype=object))
        visit_rows = db.rows(f"SELECT audit_id, visit, room, label, present FROM visits WHERE 1 = 1{scope}", params)
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

    def _plan_edit_frame(self, db: _Sql, where: str, params: tuple[Any, ...]) -> pd.DataFrame:
        rows = db.rows(
            "SELECT pe.audit_id, pe.item_id, pe.visit, pe.state, pe.done_on, pe.updated_at"
            f" FROM plan_edits pe JOIN audits au ON au.id = pe.audit_id WHERE {where} ORDER BY pe.audit_id, pe.visit, pe.item_id",
            params,
        )
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
        """Where the walkthrough was left (:meth:`set_last_room`)."""
        return self._audit_text(audit_id, "last_room")

    def previous_id(self, audit_id: str) -> str | None:
        """The audit this one re-assesses, if it was started as a re-audit."""
        return self._audit_text(audit_id, "previous_id")

    def _audit_text(self, audit_id: str, column: Literal["last_room", "previous_id"]) -> str | None:
        """One text column of this practice's audit (None when empty); "no audit" if it has none."""
        rows = self._read(f"SELECT {column} FROM audits WHERE id = ? AND practice = ?", (audit_id, self.practice))
        if not rows:
            raise StoreError(f"no audit with id {audit_id!r} (it may have been deleted)")
        return None if rows[0][0] is None else str(rows[0][0])

    def delete_audit(self, audit_id: str) -> None:
        """Erase an audit with its answers, notes, photos and plan edits, so that none of it can be
        read back from the database file or its write-ahead log: deleted pages are zeroed
        (``secure_delete``), then the log is written into the file and emptied."""
        with self._write() as db:
            self._require_audit(db, audit_id)
            for table in ("answer_photos", "photos", "answers", "plan_edits", "visits"):
                db.execute(f"DELETE FROM {table} WHERE audit_id = ?", (audit_id,))
            (client_id,) = db.execute("SELECT client_id FROM audits WHERE id = ?", (audit_id,)).one()
            db.execute("DELETE FROM audits WHERE id = ?", (audit_id,))
            db.execute("UPDATE audits SET previous_id = NULL WHERE previous_id = ? AND practice = ?", (audit_id, self.practice))
            if client_id and not db.execute("SELECT 1 FROM audits WHERE client_id = ?", (client_id,)).fetchone():
                db.execute("DELETE FROM clients WHERE id = ?", (client_id,))  # their name and address go too
        self._checkpoint()

    def _checkpoint(self) -> None:
        """SQLite: write the log into the database file and truncate it (waits for other readers).
        PostgreSQL keeps no such log in the app's reach; its deleted rows go at its next VACUUM."""
        if self.backend != "sqlite" or str(self.path) == ":memory:":
            return
        with self._sqlite_file() as raw:
            busy, _, _ = raw.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            if busy:
                raise StoreError(
                    f"{self.shown}: the audit is deleted, but another program kept the database busy, so its "
                    "bytes may stay in the log file until it is closed; close the app and run the delete again"
                )

    def duplicate_audit(self, audit_id: str, date: dt.date | None = None, *, auditor: Auditor | None = None) -> str:
        """Start a re-audit: today's date, same client and rooms, the previous answers and notes,
        each answer marked "from the last visit" (:meth:`carried`) until it is confirmed or changed.

        Photos stay with the visit they were taken on (they show the home as it was then);
        the new audit remembers the old one as its ``previous_id``. What was decided about the
        actions carries over where it still holds: who does an open one and by when, and a
        declined one with its reason. A done one does not: the new visit sees whether the fix
        took (:mod:`homeaudit.compare` flags one done but still a hazard).

        ``auditor`` is who does the new visit, when not whoever did the last one: the family
        audits first, the occupational therapist comes back (and the plan then follows an OT's
        audit: no "ask the doctor for an OT visit" with the OT in the room).
        """
        old = self.load_audit(audit_id)
        new = old.model_copy(deep=True)
        new.date = date or dt.date.today()
        if auditor is not None:
            new.auditor = auditor.model_copy(deep=True)
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
                (new_id, new.date.isoformat(), values.now(), audit_id),
            )
            return new_id

    def carried(self, audit_id: str) -> set[tuple[int, str]]:
        """The answers (visit, item id) copied from the last visit and not yet confirmed or changed."""
        if not self._visible(audit_id):
            return set()
        rows = self._read("SELECT visit, item_id FROM answers WHERE audit_id = ? AND carried = 1", (audit_id,))
        return {(int(visit), str(item_id)) for visit, item_id in rows}

    def is_carried(self, audit_id: str, visit: int, item_id: str) -> bool:
        """Whether one answer is still as copied from the last visit (what its card re-reads)."""
        return self._visible(audit_id) and bool(
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
        return int(count)

    # ------------------------------------------------------------------ clients

    def clients(self) -> list[dict[str, Any]]:
        """Every client with their visits' ids, oldest visit first: id, name and address (of the
        latest visit), visits (ids), dates."""
        rows = self._read(
            "SELECT c.id, a.id, a.audit_date, a.client_name, a.client_address FROM clients c"
            " JOIN audits a ON a.client_id = c.id WHERE c.practice = ? AND a.practice = ?"
            " ORDER BY c.id, a.audit_date, a.created_at, a.id",
            (self.practice, self.practice),
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
            " AND p.practice = a.practice WHERE a.id = ? AND a.practice = ?"
            " ORDER BY p.audit_date DESC, p.created_at DESC LIMIT 1",
            (audit_id, self.practice),
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
            "SELECT id FROM audits WHERE client_id = ? AND practice = ? ORDER BY audit_date, created_at, id",
            (client_id, self.practice),
        )
        return [str(audit_id) for (audit_id,) in rows]

    def clients_like(self, name: str, address: str, *, besides: str | None = None) -> list[str]:
        """Other clients with the same name and address (case and spacing aside): to ask whether
        a new or imported audit is theirs. Never joined without asking."""

        def key(text: str) -> str:
            return " ".join(text.casefold().split())

        if not key(name):
            return []
        rows = self._read(
            "SELECT DISTINCT client_id, client_name, client_address FROM audits WHERE client_id IS NOT NULL AND practice = ?",
            (self.practice,),
        )
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
                self._require_client(db, wanted)
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
            self._require_client(db, client_id)
            (old,) = db.execute("SELECT client_id FROM audits WHERE id = ?", (audit_id,)).one()
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
            (details,) = db.execute("SELECT details FROM audits WHERE id = ?", (audit_id,)).one()
            extra = values.details(details)
            if auditor is not None:
                db.execute(
                    "UPDATE audits SET auditor_name = ?, auditor_role = ? WHERE id = ?",
                    (auditor.name, auditor.role, audit_id),
                )
                extra["auditor"] = values.extras(auditor, "name", "role")
            if client is not None:
                db.execute(
                    "UPDATE audits SET client_name = ?, client_address = ?, client_notes = ? WHERE id = ?",
                    (client.name, client.address, client.notes, audit_id),
                )
                extra["client"] = values.extras(client, "name", "address", "notes")
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
            (last,) = db.execute("SELECT MAX(visit) FROM visits WHERE audit_id = ?", (audit_id,)).one()
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
        text, number = values.split_value(value)
        with self._write() as db:
            self._require_visit(db, audit_id, visit)
            db.execute(
                "INSERT INTO answers (audit_id, visit, item_id, value_text, value_number, unit, note, updated_at, seq)"
                f" VALUES (?, ?, ?, ?, ?, ?, '', ?, {_NEXT_SEQ})"
                " ON CONFLICT (audit_id, visit, item_id) DO UPDATE SET value_text = excluded.value_text,"
                " value_number = excluded.value_number, unit = excluded.unit, updated_at = excluded.updated_at, carried = 0",
                (audit_id, visit, item_id, text, number, unit, values.now(), audit_id),
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
                "INSERT INTO answers (audit_id, visit, item_id, note, basis, incident, updated_at, seq)"
                f" VALUES (?, ?, ?, '', ?, ?, ?, {_NEXT_SEQ})"
                " ON CONFLICT (audit_id, visit, item_id) DO UPDATE SET basis = excluded.basis, incident = excluded.incident,"
                " updated_at = excluded.updated_at",
                (audit_id, visit, item_id, basis, incident, values.now(), audit_id),
            )
            self._drop_if_empty(db, audit_id, visit, item_id)
            self._touch(db, audit_id)

    def answer(self, audit_id: str, visit: int, item_id: str) -> Answer | None:
        """One answer as stored (None when there is none): what a single question card re-reads
        after it changes, without loading the whole audit."""
        if not self._visible(audit_id):
            return None
        with self._transaction(read_only=True) as db:
            row = db.execute(
                "SELECT value_text, value_number, unit, note, basis, incident FROM answers"
                " WHERE audit_id = ? AND visit = ? AND item_id = ?",
                (audit_id, visit, item_id),
            ).fetchone()
            refs = [
                ref
                for (ref,) in db.execute(
                    "SELECT ref FROM answer_photos WHERE audit_id = ? AND visit = ? AND item_id = ? ORDER BY position",
                    (audit_id, visit, item_id),
                )
            ]
        if row is None and not refs:
            return None
        text, number, unit, note, basis, incident = tuple(row) if row is not None else (None, None, None, "", None, None)
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
                (values.now(), audit_id, visit, item_id),
            )
            self._drop_if_empty(db, audit_id, visit, item_id)
            self._touch(db, audit_id)

    def save_note(self, audit_id: str, visit: int, item_id: str, note: str) -> None:
        """Set one answer's note (empty to remove it), keeping its value and photos."""
        with self._write() as db:
            self._require_visit(db, audit_id, visit)
            db.execute(
                f"INSERT INTO answers (audit_id, visit, item_id, note, updated_at, seq) VALUES (?, ?, ?, ?, ?, {_NEXT_SEQ})"
                " ON CONFLICT (audit_id, visit, item_id) DO UPDATE SET note = excluded.note, updated_at = excluded.updated_at",
                (audit_id, visit, item_id, note, values.now(), audit_id),
            )
            self._drop_if_empty(db, audit_id, visit, item_id)
            self._touch(db, audit_id)

    @staticmethod
    def _drop_if_empty(db: _Sql, audit_id: str, visit: int, item_id: str) -> None:
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
            saved = db.execute(  # another practice's draft under the same (random) id is left alone
                "INSERT INTO drafts (id, data, updated_at, practice) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at"
                " WHERE drafts.practice = excluded.practice",
                (draft_id, text, values.now(), self.practice),
            ).rowcount
            if not saved:
                raise StoreError("this form's draft could not be kept under its id; start the new audit again")
            db.execute("DELETE FROM drafts WHERE updated_at < ?", (cutoff,))

    def load_draft(self, draft_id: str) -> dict[str, Any] | None:
        """A saved draft's values, or None (never saved, created, or too old)."""
        rows = self._read("SELECT data FROM drafts WHERE id = ? AND practice = ?", (draft_id, self.practice))
        row = rows[0] if rows else None
        if row is None:
            return None
        data = json.loads(row[0])
        return data if isinstance(data, dict) else None

    def delete_draft(self, draft_id: str) -> None:
        with self._write() as db:
            db.execute("DELETE FROM drafts WHERE id = ? AND practice = ?", (draft_id, self.practice))

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
    def _insert_photo(db: _Sql, audit_id: str, visit: int, item_id: str, filename: str, data: bytes, mime: str) -> str:
        ref = Store._keep_photo(db, audit_id, filename, data, mime)
        db.execute(
            f"INSERT INTO answers (audit_id, visit, item_id, note, updated_at, seq) VALUES (?, ?, ?, '', ?, {_NEXT_SEQ})"
            " ON CONFLICT (audit_id, visit, item_id) DO NOTHING",
            (audit_id, visit, item_id, values.now(), audit_id),
        )
        (last,) = db.execute(
            "SELECT MAX(position) FROM answer_photos WHERE audit_id = ? AND visit = ? AND item_id = ?",
            (audit_id, visit, item_id),
        ).one()
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
    def _keep_photo(db: _Sql, audit_id: str, filename: str, data: bytes, mime: str) -> str:
        """Store a photo's bytes for an audit; its reference (``photo:<n>``)."""
        (photo_id,) = db.execute(
            "INSERT INTO photos (audit_id, filename, mime, data, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
            (audit_id, filename, mime, bytes(data), values.now()),
        ).one()
        return f"{PHOTO_PREFIX}{photo_id}"

    @classmethod
    def _require_own_photo(cls, db: _Sql, audit_id: str, ref: str) -> None:
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
        rows = self._read(
            "SELECT p.audit_id, p.filename, p.mime, p.data FROM photos p JOIN audits a ON a.id = p.audit_id"
            " WHERE p.id = ? AND a.practice = ?",
            (self._photo_id(ref), self.practice),
        )
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
            state="open" if state is None else values.action_state(state),
            helper=helper,
            done_on=done_on,
            done_by=done_by,
            reason=reason,
            photo=photo,
        )
        self._save_plan_edit(audit_id, edit)

    def _save_plan_edit(self, audit_id: str, edit: PlanEdit) -> None:
        _check_plan_text(edit)
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
                    values.now(),
                ),
            )
            replaced = before[0] if before else None
            if replaced and replaced != edit.photo:  # a photo of a fix no edit shows any more is not kept
                self._drop_loose_photo(db, audit_id, replaced)
            self._touch(db, audit_id)

    @classmethod
    def _drop_loose_photo(cls, db: _Sql, audit_id: str, ref: str) -> None:
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
        if not self._visible(audit_id):
            return []
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
                due=values.date_or_none(due),
                state=values.action_state(state),
                helper=helper or "",
                done_on=values.date_or_none(done_on),
                done_by=done_by or "",
                reason=reason or "",
                photo=photo,
            )
            for item_id, visit, who, due, state, helper, done_on, done_by, reason, photo in rows
        ]

    # ------------------------------------------------------------------ backup and restore

    def backup(self, dest: str | os.PathLike[str]) -> Path:
        """Copy a SQLite database, while the app runs, into the new file ``dest``
        (:func:`homeaudit.store.sqlite_files.backup`). A server database is backed up with
        ``pg_dump`` instead: :class:`StoreError` says so."""
        if self.backend != "sqlite":
            raise StoreError(
                f"{self.shown}: a PostgreSQL database is backed up with pg_dump on its server (docs/deploy.md); "
                "`homeaudit backup` copies a SQLite file"
            )
        with self._sqlite_file() as raw:
            return sqlite_files.backup(raw, dest)

    @staticmethod
    def restore(backup: str | os.PathLike[str], target: str | os.PathLike[str], *, wait: float = 1.0) -> Path | None:
        """Put the SQLite database ``backup`` in place of ``target``, after checking it
        (:func:`homeaudit.store.sqlite_files.restore`); where the old one is kept, if any."""
        return sqlite_files.restore(backup, target, wait=wait)

    # ------------------------------------------------------------------ files

    def with_actions(self, audit: Audit) -> Audit:
        """The audit as a file carries it: with what was recorded about each action of its plan
        (:class:`homeaudit.audit.ActionRecord`, from the plan edits), so an export loses none."""
        from pydantic import ValidationError

        try:
            records = action_records(self.plan_edits(audit.id))
        except ValidationError as error:  # text saved before the store checked its length
            where = ".".join(str(part) for part in error.errors()[0]["loc"])
            raise StoreError(
                f"audit {audit.id!r}: what was recorded about an action ({where}) is longer than an audit file may hold "
                f"({_plan_text_limit('helper')} characters for a name, {_plan_text_limit('reason'):,} for a reason); "
                "shorten it on the Results page"
            ) from None
        return audit.model_copy(update={"actions": records})

    def export_audit(self, audit_id: str, fmt: str = "yaml") -> str:
        """The audit as a homeaudit/1 file (YAML, or JSON with ``fmt='json'``)."""
        return audit_io.dumps(self.with_actions(self.load_audit(audit_id)), fmt)  # type: ignore[arg-type]

    def export_bundle(self, audit_id: str) -> bytes:
        """The audit with its photos as one zip (homeaudit.bundle): an export that loses nothing.

        A photo the database does not hold (an imported file that named its photos by path) is
        left out, its reference too: the zip must import again (:func:`homeaudit.bundle.pack`)."""

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
            # Only this practice's audits are looked at: its own with the file's id, and on a server
            # those given the file's id with a random ending by an earlier import of the same file.
            same_id = db.execute("SELECT 1 FROM audits WHERE id = ? AND practice = ?", (audit.id, self.practice)).fetchone()
            earlier = [audit.id] if same_id else []
            if self.practice:
                earlier += [
                    str(row[0])
                    for row in db.execute(
                        "SELECT id FROM audits WHERE id LIKE ? AND practice = ? ORDER BY id", (f"{audit.id}-%", self.practice)
                    ).fetchall()
                ]
            for stored in earlier:
                if _same_answers(self.with_actions(self.load_audit(stored)), audit):
                    return Imported(stored, "duplicate")
            if same_id and on_conflict == "refuse":
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
    """The same audit, photos aside (the database renames them), its id and client id aside (the
    store may have given it others: a random ending on a server, a client record of this
    practice's own): an import to skip."""

    def shape(audit: Audit) -> str:
        copy = audit.model_copy(deep=True)
        copy.id = ""  # on a server, the stored one's id has a random ending the file's lacks
        for _, _, answer in copy.answers():
            answer.photos = ()
        copy.actions = tuple(a.model_copy(update={"photo": None}) for a in copy.actions)
        copy.client.id = ""
        return audit_io.dumps(copy)

    return shape(stored) == shape(incoming)


__all__ = ["DEFAULT_PATH", "DRAFT_DAYS", "ENV_VAR", "Imported", "Store", "connect", "default_target"]
