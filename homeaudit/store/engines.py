"""Which database a target names, and a SQLAlchemy engine for it that behaves as the store needs.

A *target* is what ``HOMEAUDIT_DB`` or ``--db`` holds: a file path (the embedded SQLite database,
the family laptop's default) or a ``postgresql://`` URL (a practice's server; psycopg 3 speaks to
it). Everything that differs between the two backends below the store's own statements lives here:

* **Write transactions are one at a time**, as the store's read-then-write steps (the next room
  number, a unique id) assume. SQLite: ``BEGIN IMMEDIATE`` takes the database's write lock at the
  start (pysqlite's own transaction handling is switched off, since it would begin later or not at
  all). PostgreSQL: the first statement of a write takes a transaction-level advisory lock
  (:data:`WRITE_LOCK`), so two app replicas writing at once queue instead of colliding; reads
  never wait for it.
* **SQLite's settings** per connection: wait up to :data:`BUSY_TIMEOUT_MS` for a lock, WAL
  journal, foreign keys on, and ``secure_delete`` (deleted health details are overwritten, not
  left in free pages).
* **Placeholders**: the store writes ``?`` (its statements are plain SQL that both backends
  accept); psycopg wants ``%s``, and a literal ``%`` doubled.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, event, pool
from sqlalchemy.engine import URL, Connection, make_url

BUSY_TIMEOUT_MS = 10_000
#: The advisory lock every PostgreSQL write transaction holds (an arbitrary constant: "homeaudit").
WRITE_LOCK = 0x686F6D65
#: Engine option that marks a connection as read-only work: it begins a plain (deferred) transaction.
READ_ONLY = "homeaudit_read_only"

Backend = Literal["sqlite", "postgresql"]
_URL_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


class TargetError(ValueError):
    """A ``--db`` or ``HOMEAUDIT_DB`` value that names no database homeaudit can use."""


@dataclass(frozen=True)
class Target:
    """A database to open: its backend, its file (SQLite) or URL (PostgreSQL), and how to name it
    in a message without its password."""

    backend: Backend
    path: Path | None
    url: URL

    @property
    def shown(self) -> str:
        """The target as messages show it: the file's path, or the URL with its password hidden."""
        if self.path is not None:
            return str(self.path)
        return _hide_password(self.url.set(drivername="postgresql").render_as_string(hide_password=False))


def is_url(text: str | os.PathLike[str]) -> bool:
    """Whether a ``--db`` value is a URL (``postgresql://…``) rather than a file path."""
    return isinstance(text, str) and bool(_URL_SCHEME.match(text))


def parse(target: str | os.PathLike[str]) -> Target:
    """The :class:`Target` a ``--db`` value names; :class:`TargetError` for a URL of another kind."""
    if not is_url(target):
        path = Path(target)
        return Target("sqlite", path, URL.create("sqlite+pysqlite", database=str(path)))
    text = _quoted_password(str(target))
    try:
        url = make_url(text)
    except Exception as error:  # noqa: BLE001 - SQLAlchemy raises several kinds for a malformed URL
        raise TargetError(f"{_hide_password(text)}: not a database URL ({error})") from None
    if url.get_backend_name() in ("postgresql", "postgres"):
        return Target("postgresql", None, url.set(drivername="postgresql+psycopg"))
    if url.get_backend_name() == "sqlite" and url.database:
        return parse(url.database)
    raise TargetError(
        f"{_hide_password(text)}: homeaudit keeps its data in a SQLite file (give its path) or in PostgreSQL "
        "(a postgresql://user:password@host:5432/database URL)"
    )


def _quoted_password(text: str) -> str:
    """The URL with its password percent-encoded when it holds an ``@`` typed as it is (the host
    comes after the last one): read otherwise, part of the password would become the host name,
    and show in the driver's messages."""
    found = re.match(r"^([a-z][a-z0-9+.-]*://)([^/?#]*)(.*)$", text, re.IGNORECASE | re.DOTALL)
    if not found or found.group(2).count("@") < 2:
        return text
    user_info, host = found.group(2).rsplit("@", 1)
    user, _, password = user_info.partition(":")
    return f"{found.group(1)}{user}:{quote(password, safe='')}@{host}{found.group(3)}"


def _hide_password(text: str) -> str:
    """The URL with whatever stands between the user name's ``:`` and the host's ``@`` hidden
    (up to the last ``@``: a password may hold one)."""
    return re.sub(r"(://[^:/@]*:).*@", r"\1***@", text)


def engine_for(target: Target, *, foreign_keys: bool = True) -> Engine:
    """An engine for ``target`` with the behaviour the module describes. ``foreign_keys=False``
    is for migrations only: SQLite rebuilds a table to change it, and with foreign keys on,
    dropping the old table would delete every row that refers to it (answers of audits)."""
    if target.backend == "sqlite":
        return _sqlite_engine(target, foreign_keys=foreign_keys)
    engine = create_engine(
        target.url,
        pool_pre_ping=True,
        pool_size=5,
        max_overflow=10,
        connect_args={"connect_timeout": 10, "application_name": "homeaudit"},
    )

    @event.listens_for(engine, "begin")
    def _one_writer(conn: Connection) -> None:
        if not conn.get_execution_options().get(READ_ONLY):
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")

    return engine


def _sqlite_engine(target: Target, *, foreign_keys: bool) -> Engine:
    assert target.path is not None
    memory = str(target.path) == ":memory:"
    location = str(target.path) if memory else f"{target.path.resolve().as_uri()}?mode=rw"
    engine = create_engine(
        "sqlite+pysqlite://",
        creator=lambda: _sqlite_connection(location, uri=not memory),
        # One connection for an in-memory database (each would be a database of its own).
        poolclass=pool.StaticPool if memory else pool.QueuePool,
        **({} if memory else {"pool_size": 5, "max_overflow": 10}),
    )

    @event.listens_for(engine, "connect")
    def _settings(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        dbapi_connection.execute("PRAGMA secure_delete = ON")
        if not memory:
            _write_ahead_log(dbapi_connection)
        dbapi_connection.execute("PRAGMA synchronous = NORMAL")
        dbapi_connection.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN" if conn.get_execution_options().get(READ_ONLY) else "BEGIN IMMEDIATE")

    return engine


def _write_ahead_log(dbapi_connection: Any) -> None:
    """Switch the file to WAL (a no-op once it is). SQLite does not wait for a lock while it
    changes a file's journal mode: two stores opening a new file at once, one of them already
    writing its schema, saw "database is locked" at once. It is tried again here, for up to
    :data:`BUSY_TIMEOUT_MS`, as every other statement waits."""
    import sqlite3

    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            dbapi_connection.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if ("locked" not in str(error) and "busy" not in str(error)) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _sqlite_connection(location: str, *, uri: bool) -> Any:
    """A pysqlite connection with its own transaction handling off: the engine's ``begin`` event
    says BEGIN IMMEDIATE itself, so DDL in a migration is inside the transaction too."""
    import sqlite3

    return sqlite3.connect(location, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False, uri=uri)


def placeholders(sql: str, backend: Backend) -> str:
    """The store's ``?`` statement in the driver's own style (psycopg: ``%s``, ``%%``)."""
    return sql if backend == "sqlite" else sql.replace("%", "%%").replace("?", "%s")


__all__ = ["BUSY_TIMEOUT_MS", "READ_ONLY", "WRITE_LOCK", "Backend", "Target", "TargetError", "engine_for", "is_url", "parse"]
