"""Bring a database to the schema this version of homeaudit uses (Alembic), or refuse it.

Run each time a database is opened (:func:`homeaudit.store.connect`), once per process and
target. Three kinds of database arrive:

* **new** (no tables): every revision runs, from ``0001_baseline``;
* **made before Alembic** (a ``migrations`` table of homeaudit's own steps): the steps it lacks are
  applied (:mod:`homeaudit.store.legacy`), it is stamped ``0001_baseline``, then the newer
  revisions run. No answer is lost; ``tests/test_migrations.py`` compares every row;
* **made by a newer homeaudit** (a revision this version does not know): refused with a
  :class:`StoreError` that says so; nothing is changed.

Two traps, both met when this was first tried, and how they are avoided:

* SQLite changes a table by copying it into a new one and dropping the old (Alembic's batch
  mode). With ``PRAGMA foreign_keys = ON``, dropping ``audits`` deletes every row that refers to
  it, with no error: answers vanish. Migrations run on a connection with foreign keys **off**
  (:func:`homeaudit.store.engines.engine_for`), checked afterwards with ``foreign_key_check``.
* pysqlite commits by itself before DDL, so a migration that fails half-way would leave half its
  changes. The engine's connections have pysqlite's transaction handling off and say
  ``BEGIN IMMEDIATE`` themselves: the whole upgrade is one transaction, undone as a whole.

On PostgreSQL the upgrade is one transaction too (its DDL is transactional), and it holds the
store's write lock, so two replicas starting at once upgrade once.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect

from homeaudit.store import legacy
from homeaudit.store.engines import Target, engine_for
from homeaudit.store.errors import StoreError, database_errors

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
#: The revision a database made before Alembic is stamped with: the schema homeaudit's own steps left.
BASELINE = "0001_baseline"


def _config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def revisions() -> list[str]:
    """Every revision this version knows, oldest first."""
    script = ScriptDirectory.from_config(_config())
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def head() -> str:
    """The newest revision: the schema this version uses."""
    return revisions()[-1]


def current(connection: Connection) -> str | None:
    """The revision a database is at (None: never stamped, i.e. new or made before Alembic)."""
    if "alembic_version" not in inspect(connection).get_table_names():
        return None
    row = connection.exec_driver_sql("SELECT version_num FROM alembic_version").fetchone()
    return str(row[0]) if row else None


def upgrade(target: Target) -> None:
    """Bring ``target``'s database to :func:`head`, as the module says; :class:`StoreError` when it
    was made by a newer homeaudit, is not a homeaudit database, or a step fails (then nothing of
    the upgrade stays)."""
    engine = engine_for(target, foreign_keys=False)
    try:
        with database_errors(target.shown), engine.connect() as connection, connection.begin():
            upgrade_connection(connection, target)
    finally:
        engine.dispose()


def upgrade_connection(connection: Connection, target: Target) -> None:
    """:func:`upgrade` on a connection already inside its transaction (an in-memory database has one)."""
    known = revisions()
    found = current(connection)
    if found is not None and found not in known:
        raise StoreError(
            f"{target.shown}: made by a newer homeaudit (its schema is {found!r}; this version knows up to "
            f"{known[-1]!r}); update homeaudit to open it. Nothing was changed"
        )
    if found == known[-1]:
        return
    tables = set(inspect(connection).get_table_names())
    if found is None and "migrations" in tables:
        _from_homeaudits_own_steps(connection, target)
    elif found is None and tables - {"alembic_version"}:
        raise StoreError(
            f"{target.shown}: not a homeaudit database (it holds other tables: {', '.join(sorted(tables)[:5])}); "
            "nothing was changed"
        )
    command.upgrade(_config(connection), "head")
    if connection.dialect.name == "sqlite":
        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise StoreError(
                f"{target.shown}: the upgrade would leave rows that refer to nothing ({broken[:3]}); nothing was changed"
            )


def _from_homeaudits_own_steps(connection: Connection, target: Target) -> None:
    """Apply the steps of :mod:`homeaudit.store.legacy` the database lacks, then stamp it."""
    if connection.dialect.name != "sqlite":
        raise StoreError(f"{target.shown}: a homeaudit database from before version 0.2 is a SQLite file; nothing was changed")
    done = {str(row[0]) for row in connection.exec_driver_sql("SELECT name FROM migrations")}
    unknown = sorted(done - {name for name, _ in legacy.MIGRATIONS})
    if unknown:
        raise StoreError(
            f"{target.shown}: made by a newer homeaudit (its database has {', '.join(unknown)}); "
            "update homeaudit to open it. Nothing was changed"
        )
    legacy.apply(connection.connection.driver_connection, done)  # type: ignore[arg-type]
    command.stamp(_config(connection), BASELINE)


__all__ = ["BASELINE", "MIGRATIONS_DIR", "current", "head", "revisions", "upgrade", "upgrade_connection"]
