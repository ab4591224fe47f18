"""A private PostgreSQL server for the tests (a pytest plugin: tests/conftest.py loads it).

The server starts only when a test asks for it, once per session: Debian's initdb and pg_ctl make a
throwaway cluster in a temporary directory, listening on 127.0.0.1 only (a free port) and trusting
loopback connections only, with the C locale so text orders by bytes, as in SQLite. As root (CI)
initdb and pg_ctl run as the ``postgres`` system user, since PostgreSQL refuses to run as root.

Fixtures:
- ``postgres_server`` (session): the running server; ``url(dbname)``, ``new_database()``, ``drop_database(url)``.
- ``postgres_url``: a fresh empty database for one test, dropped after it.
- ``db_target``: the same test on both backends, a SQLite file path (id "sqlite") or a PostgreSQL URL
  (id "postgresql"); for ``connect(db_target)``. Runs on SQLite alone (``-k sqlite``) never start PostgreSQL.

Without PostgreSQL the tests that need it are skipped, saying why; in CI (CI=true) they fail.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import pytest

SUPERUSER = "postgres"
START_ATTEMPTS = 5  # a free port can be taken between choosing it and the server binding it
HBA = "local all all trust\nhost all all 127.0.0.1/32 trust\n"  # loopback only: nothing else may connect
SETTINGS = {
    "listen_addresses": "127.0.0.1",
    "unix_socket_directories": None,  # the data directory (set below)
    # A throwaway cluster: durability buys nothing and costs time.
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "200",
}
INSTALL_HINT = "(.ci/run installs Debian's postgresql)"


def unavailable(why: str, log: str = "") -> NoReturn:
    """Fail in CI (CI=true) when PostgreSQL is missing or does not start; elsewhere skip, saying why."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{why} {INSTALL_HINT}" + (f"\nserver log (last lines):\n{log}" if log else ""))
    pytest.skip(f"{why} {INSTALL_HINT}")


def find_bindir() -> Path | None:
    """Where initdb and pg_ctl are: ``pg_config --bindir``, then PATH, then the newest /usr/lib/postgresql/*/bin."""
    candidates: list[Path] = []
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, timeout=10, check=True)
        candidates.append(Path(out.stdout.strip()))
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(on_path).resolve().parent)
    debian = glob.glob("/usr/lib/postgresql/*/bin")
    candidates += sorted((Path(d) for d in debian), key=lambda d: _version(d.parent.name), reverse=True)
    for bindir in candidates:
        if all(os.access(bindir / tool, os.X_OK) for tool in ("initdb", "pg_ctl", "postgres")):
            return bindir
    return None


def _version(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in name.split(".") if part.isdigit())


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _tail(path: Path, start: int = 0, lines: int = 30) -> str:
    try:
        with open(path, "rb") as f:
            f.seek(start)
            text = f.read().decode(errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


@dataclass(frozen=True)
class PostgresServer:
    """The running server: its port and how to name, make and drop its databases."""

    port: int
    datadir: Path

    def url(self, dbname: str) -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{dbname}"

    def new_database(self) -> str:
        """A new, empty, uniquely named database; its URL."""
        import psycopg
        from psycopg import sql

        name = f"test_{uuid.uuid4().hex[:16]}"
        with psycopg.connect(self.url("postgres"), autocommit=True, connect_timeout=10) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return self.url(name)

    def drop_database(self, url: str) -> None:
        """Drop the database at ``url``, closing whatever connections a test left open."""
        import psycopg
        from psycopg import conninfo, sql

        name = conninfo.conninfo_to_dict(url)["dbname"]
        with psycopg.connect(self.url("postgres"), autocommit=True, connect_timeout=10) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(str(name))))


class _Cluster:
    """initdb, pg_ctl start and stop, in a temporary data directory, as the right user."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.as_user: list[str] = []
        owner = None
        if os.geteuid() == 0:
            try:
                owner = pwd.getpwnam(SUPERUSER)
            except KeyError:
                unavailable(f"PostgreSQL cannot run as root and there is no {SUPERUSER!r} system user to run it as")
            runuser = shutil.which("runuser") or "/usr/sbin/runuser"
            self.as_user = [runuser, "-u", SUPERUSER, "--"]
        # The data directory holds the Unix socket too, whose path must stay under ~107 bytes; when
        # run as root its parent must let the postgres user through.
        parent = tempfile.gettempdir()
        if len(parent) > 60 or (owner and not os.stat(parent).st_mode & 0o001):
            parent = "/tmp"
        self.datadir = Path(tempfile.mkdtemp(prefix="homeaudit-pg-", dir=parent))
        if owner:
            os.chown(self.datadir, owner.pw_uid, owner.pw_gid)
        os.chmod(self.datadir, 0o700)
        self.log = self.datadir / "log"

    def run(self, tool: str, *args: str, timeout: float) -> subprocess.CompletedProcess[str]:
        # cwd: the postgres user may not be able to enter the caller's directory (/root, say).
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        command: Sequence[str] = [*self.as_user, str(self.bindir / tool), *args]
        return subprocess.run(command, cwd=self.datadir, env=env, capture_output=True, text=True, timeout=timeout)

    def init(self) -> None:
        try:
            done = self.run(
                "initdb",
                *("-D", str(self.datadir), "-U", SUPERUSER, "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"),
                timeout=120,
            )
        except (OSError, subprocess.TimeoutExpired) as e:
            unavailable(f"PostgreSQL could not make a cluster: initdb: {e}")
        if done.returncode != 0:
            unavailable(f"PostgreSQL could not make a cluster: initdb exited {done.returncode}", done.stderr + done.stdout)
        # Written as root, the file keeps its owner (postgres): it is rewritten, not replaced.
        (self.datadir / "pg_hba.conf").write_text(HBA)

    def start(self) -> int:
        """Start on a free loopback port, trying another if one is taken meanwhile; the port."""
        why, log = "", ""
        for _ in range(START_ATTEMPTS):
            port = _free_port()
            settings = {**SETTINGS, "unix_socket_directories": str(self.datadir)}
            options = " ".join([f"-p {port}", *(f"-c {k}={v}" for k, v in settings.items())])
            log_start = self.log.stat().st_size if self.log.exists() else 0
            try:
                done = self.run(
                    "pg_ctl", "-D", str(self.datadir), "-w", "-t", "60", "-l", str(self.log), "start", "-o", options, timeout=90
                )
            except (OSError, subprocess.TimeoutExpired) as e:
                why = f"pg_ctl start: {e}"
            else:
                if done.returncode == 0:
                    return port
                why = f"pg_ctl start exited {done.returncode}: {done.stderr.strip() or done.stdout.strip()}"
            log = _tail(self.log, log_start)
            self.stop()  # in case it came up after all (pg_ctl timed out waiting)
            if "Address already in use" not in log:
                break
        unavailable(f"PostgreSQL could not start: {why}", log)

    def stop(self) -> None:
        with contextlib.suppress(OSError, subprocess.TimeoutExpired):
            self.run("pg_ctl", "-D", str(self.datadir), "-m", "immediate", "-w", "-t", "30", "stop", timeout=60)

    def remove(self) -> None:
        shutil.rmtree(self.datadir, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A private PostgreSQL server on 127.0.0.1, started the first time a test asks, stopped at the end."""
    with running_server() as server:
        yield server


@contextlib.contextmanager
def running_server() -> Iterator[PostgresServer]:
    """A private PostgreSQL server for the block (also bench/store.py's); stopped and removed after it."""
    bindir = find_bindir()
    if bindir is None:
        unavailable(
            "PostgreSQL is not installed: no initdb, pg_ctl and postgres via pg_config, PATH or /usr/lib/postgresql/*/bin"
        )
    cluster = _Cluster(bindir)
    try:
        cluster.init()
        port = cluster.start()
        try:
            yield PostgresServer(port=port, datadir=cluster.datadir)
        finally:
            cluster.stop()
    finally:
        cluster.remove()


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    """A fresh, empty database for this test (its URL), dropped after it."""
    url = postgres_server.new_database()
    try:
        yield url
    finally:
        postgres_server.drop_database(url)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a store lives, once per backend: a SQLite file's path, or a fresh PostgreSQL database's URL."""
    if request.param == "sqlite":
        return str(tmp_path / "homeaudit.db")
    return str(request.getfixturevalue("postgres_url"))
