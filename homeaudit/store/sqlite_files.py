"""The SQLite file itself: a backup copy made while the app runs, and a restore that checks first.

For a family's laptop, whose database is one file. A practice's PostgreSQL server is backed up
with ``pg_dump`` (docs/deploy.md); :meth:`homeaudit.store.Store.backup` says so.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from pathlib import Path

from homeaudit.store import legacy, migrate
from homeaudit.store.errors import StoreError, database_errors, in_words


def create_private(path: Path) -> None:
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


def backup(db: sqlite3.Connection, dest: str | os.PathLike[str]) -> Path:
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
        with database_errors(str(target_path)):
            target = sqlite3.connect(target_path, isolation_level=None)
            try:
                db.backup(target)
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
        new = checked_copy(candidate, source)
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


def checked_copy(copy: Path, source: Path, *, what: str = "backup", outcome: str = "nothing was restored") -> sqlite3.Connection:
    """A private copy of a database file from elsewhere (a backup to restore, a family's file to
    move into a server), open, once it has passed as a homeaudit database: ``integrity_check``,
    the ``migrations`` and ``audits`` tables, no migration this version does not know, and nothing
    that runs by itself (a trigger or a view from someone else's file would run inside the app).
    Its journal mode is set to DELETE (one self-contained file). :class:`StoreError` names
    ``source`` (the file the person gave), calls it a ``what`` and ends with ``outcome``."""
    db = sqlite3.connect(copy, isolation_level=None)
    try:
        try:
            db.execute("PRAGMA trusted_schema = OFF")
            problems = [row[0] for row in db.execute("PRAGMA integrity_check").fetchall()]
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.DatabaseError as error:
            words = "a damaged database" if "malformed" in str(error) else "not a database"
            raise StoreError(f"{source}: not a homeaudit {what} ({words}); {outcome}") from None
        if problems != ["ok"]:
            raise StoreError(f"{source}: the {what} is damaged ({'; '.join(problems[:3])}); {outcome}")
        if "audits" not in tables or not {"migrations", "alembic_version"} & tables:
            raise StoreError(f"{source}: not a homeaudit database (it has no audits or migrations table); {outcome}")
        running = [
            f"{kind} {name}"
            for kind, name in db.execute("SELECT type, name FROM sqlite_master WHERE type IN ('trigger', 'view')")
        ]
        if running:
            raise StoreError(
                f"{source}: not a homeaudit {what}: it holds {', '.join(running[:3])}, which homeaudit never makes; {outcome}"
            )
        known = {name for name, _ in legacy.MIGRATIONS} | set(migrate.revisions())
        steps = "SELECT version_num FROM alembic_version" if "alembic_version" in tables else "SELECT name FROM migrations"
        unknown = sorted({row[0] for row in db.execute(steps)} - known)
        if unknown:
            raise StoreError(
                f"{source}: made by a newer homeaudit (its database has {', '.join(unknown)}); "
                f"open it with that version; {outcome}"
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
                raise StoreError(f"{target}: {in_words(error)}; nothing was restored") from None
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
        raise StoreError(f"{target}: {in_words(error)}; nothing was restored") from None
    finally:
        db.close()


def _set_aside(target: Path, kept: Path) -> None:
    """Rename a damaged database, with its log, to the kept name (it cannot be copied as one)."""
    for suffix in ("-wal", ""):
        if Path(f"{target}{suffix}").exists():
            os.rename(f"{target}{suffix}", f"{kept}{suffix}")
    Path(f"{target}-shm").unlink(missing_ok=True)


__all__ = ["backup", "checked_copy", "create_private", "restore"]
