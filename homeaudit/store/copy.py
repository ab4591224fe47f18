"""A whole database copied into another: a family's SQLite file into a practice's server.

``homeaudit migrate-db SRC DEST --practice NAME``: every client, audit, room, answer, note,
photo and plan edit of SRC goes into DEST under practice NAME, in one transaction (all of it or
nothing). Drafts of unfinished new audits are not copied (they are a form half typed).

* SRC is never changed. A SQLite file made by an older homeaudit is first copied aside (SQLite's
  backup API, into a private temporary folder) and that copy is upgraded and read.
* An id already in DEST (an audit or client, of any practice) refuses the whole copy, naming
  them: ids are unique across practices, and a copy never merges two people's records.
* Photos get new numbers in DEST; every reference to one (an answer's, a fix's) follows it.
"""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, insert, select

from homeaudit.store import engines, migrate, schema, sqlite_files
from homeaudit.store.engines import READ_ONLY, Target
from homeaudit.store.errors import StoreError, database_errors
from homeaudit.store.values import PHOTO_PREFIX


@dataclass(frozen=True)
class Copied:
    """How much went into the destination."""

    clients: int
    audits: int
    answers: int
    photos: int
    plan_edits: int


def copy_database(source: str, dest: str, *, practice: str, source_practice: str = "") -> Copied:
    """Copy the audits of ``source_practice`` in ``source`` into ``dest`` under ``practice``, as
    the module says. :class:`StoreError` names what stops it; then ``dest`` is as it was."""
    try:
        src, dst = engines.parse(source), engines.parse(dest)
    except engines.TargetError as error:
        raise StoreError(str(error)) from None
    if src.path is not None and not src.path.is_file():
        raise StoreError(f"{src.shown}: no database here")
    if src.url == dst.url or (src.path is not None and dst.path is not None and src.path.resolve() == dst.path.resolve()):
        raise StoreError(f"{dst.shown}: the source and the destination are the same database")
    with _readable(src) as readable:
        rows = _read_all(readable, source_practice)
    if dst.path is not None:
        sqlite_files.create_private(dst.path)
    migrate.upgrade(dst)
    engine = engines.engine_for(dst)
    try:
        with database_errors(dst.shown), engine.connect() as connection, connection.begin():
            return _write_all(connection, rows, practice, dst)
    finally:
        engine.dispose()


@contextmanager
def _readable(src: Target) -> Iterator[Target]:
    """``src`` at this version's schema without changing it: a SQLite file through an upgraded
    private copy; a server database as it is (its replicas keep it upgraded)."""
    if src.path is None:
        found = _revision(src)
        if found != migrate.head():
            raise StoreError(f"{src.shown}: its schema is {found!r}, not {migrate.head()!r}; open it with homeaudit first")
        yield src
        return
    with tempfile.TemporaryDirectory(prefix="homeaudit-copy-") as folder:
        copy = Path(folder) / "source.db"
        with database_errors(src.shown):
            original = sqlite3.connect(f"{src.path.resolve().as_uri()}?mode=ro", uri=True)
            try:
                target = sqlite3.connect(copy)
                try:
                    original.backup(target)
                finally:
                    target.close()
            finally:
                original.close()
        # Someone else's file: checked as a restore checks a backup before anything reads it.
        sqlite_files.checked_copy(copy, src.path, what="database", outcome="nothing was copied").close()
        copied = engines.parse(str(copy))
        try:
            migrate.upgrade(copied)
        except StoreError as error:
            raise StoreError(str(error).replace(str(copy), src.shown)) from None
        yield copied


def _revision(target: Target) -> str | None:
    engine = engines.engine_for(target)
    try:
        with database_errors(target.shown), engine.connect() as connection:
            return migrate.current(connection)
    finally:
        engine.dispose()


def _read_all(target: Target, practice: str) -> dict[str, list[dict[str, Any]]]:
    """Every row of ``practice`` in ``target``, per table, parents first (drafts left out)."""
    engine = engines.engine_for(target)
    try:
        with database_errors(target.shown), engine.connect() as connection:
            connection.execution_options(**{READ_ONLY: True})
            with connection.begin():
                audit_ids = select(schema.audits.c.id).where(schema.audits.c.practice == practice)
                wanted = {
                    "clients": select(schema.clients).where(schema.clients.c.practice == practice),
                    "audits": select(schema.audits).where(schema.audits.c.practice == practice),
                }
                for table in (schema.visits, schema.answers, schema.photos, schema.answer_photos, schema.plan_edits):
                    wanted[table.name] = select(table).where(table.c.audit_id.in_(audit_ids))
                return {name: [dict(row._mapping) for row in connection.execute(query)] for name, query in wanted.items()}
    finally:
        engine.dispose()


def _write_all(connection: Connection, rows: dict[str, list[dict[str, Any]]], practice: str, dst: Target) -> Copied:
    taken = [
        f"{kind} {row_id}"
        for kind, table in (("audit", schema.audits), ("client", schema.clients))
        for row_id in connection.execute(select(table.c.id).where(table.c.id.in_([r["id"] for r in rows[table.name]]))).scalars()
    ]
    if taken:
        raise StoreError(
            f"{dst.shown}: already holds {', '.join(sorted(taken)[:5])}{' …' if len(taken) > 5 else ''}; "
            "nothing was copied (was this database copied before?)"
        )
    for row in rows["clients"] + rows["audits"]:
        row["practice"] = practice
    for table in (schema.clients, schema.audits, schema.visits, schema.answers):
        if rows[table.name]:
            connection.execute(insert(table), rows[table.name])
    new_ref: dict[str, str] = {}
    for photo in rows["photos"]:
        old = photo.pop("id")
        new_id = connection.execute(insert(schema.photos).values(**photo).returning(schema.photos.c.id)).scalar_one()
        new_ref[f"{PHOTO_PREFIX}{old}"] = f"{PHOTO_PREFIX}{new_id}"
    for link in rows["answer_photos"]:
        link["ref"] = new_ref.get(link["ref"], link["ref"])
    for edit in rows["plan_edits"]:
        edit["photo"] = new_ref.get(edit["photo"], edit["photo"]) if edit["photo"] else edit["photo"]
    for table in (schema.answer_photos, schema.plan_edits):
        if rows[table.name]:
            connection.execute(insert(table), rows[table.name])
    return Copied(
        clients=len(rows["clients"]),
        audits=len(rows["audits"]),
        answers=len(rows["answers"]),
        photos=len(rows["photos"]),
        plan_edits=len(rows["plan_edits"]),
    )


__all__ = ["Copied", "copy_database"]
