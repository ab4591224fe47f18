"""The private PostgreSQL server the storage tests run on (tests/pgserver.py)."""

from __future__ import annotations

import os
from pathlib import Path

import psycopg
import pytest

import pgserver

pytest_plugins = ["pytester"]

TESTS = Path(__file__).resolve().parent
SERVER_SETUP = "SETUP    S postgres_server"  # how --setup-show reports the session fixture starting


def fetch(url: str, query: str) -> list[tuple[object, ...]]:
    with psycopg.connect(url, connect_timeout=10) as conn:
        return conn.execute(query).fetchall()


def run_inner(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, source: str, *args: str, conftest: str = ""
) -> pytest.RunResult:
    """Run ``source`` as a test file in its own pytest process, with the plugin loaded as tests/conftest.py loads it."""
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(TESTS), os.environ.get("PYTHONPATH")])))
    pytester.makeconftest('pytest_plugins = ["pgserver"]\n' + conftest)
    pytester.makepyfile(test_inner=source)
    return pytester.runpytest_subprocess("--setup-show", "-p", "no:randomly", *args, timeout=300)


def test_the_server_answers_on_127_0_0_1_at_its_port_and_listens_nowhere_else(postgres_server):
    url = postgres_server.url("postgres")
    assert url == f"postgresql://postgres@127.0.0.1:{postgres_server.port}/postgres"
    assert fetch(url, "SELECT host(inet_server_addr()), inet_server_port()") == [("127.0.0.1", postgres_server.port)]
    assert fetch(url, "SHOW listen_addresses") == [("127.0.0.1",)]


def test_only_loopback_and_the_local_socket_are_trusted(postgres_server):
    rules = fetch(postgres_server.url("postgres"), "SELECT type, address, netmask, auth_method FROM pg_hba_file_rules")
    assert sorted(rules, key=str) == sorted(
        [("local", None, None, "trust"), ("host", "127.0.0.1", "255.255.255.255", "trust")], key=str
    )


def test_text_is_utf8_and_orders_by_bytes_as_in_sqlite(postgres_url):
    assert fetch(postgres_url, "SHOW server_encoding") == [("UTF8",)]
    ordered = fetch(postgres_url, "SELECT w FROM (VALUES ('b'), ('É'), ('a'), ('B')) AS t(w) ORDER BY w")
    assert [w for (w,) in ordered] == sorted(["b", "É", "a", "B"], key=lambda w: w.encode())  # B, a, b, É


def test_a_new_database_is_gone_after_drop_database(postgres_server):
    url = postgres_server.new_database()
    name = url.rsplit("/", 1)[1]
    exists = f"SELECT count(*) FROM pg_database WHERE datname = '{name}'"
    assert fetch(postgres_server.url("postgres"), exists) == [(1,)]
    left_open = psycopg.connect(url)  # dropped anyway (WITH (FORCE)), as a test's forgotten connection would be
    try:
        postgres_server.drop_database(url)
    finally:
        left_open.close()
    assert fetch(postgres_server.url("postgres"), exists) == [(0,)]


def test_new_database_names_a_different_database_each_time(postgres_server):
    first, second = postgres_server.new_database(), postgres_server.new_database()
    try:
        assert first != second
    finally:
        postgres_server.drop_database(first)
        postgres_server.drop_database(second)


def test_each_test_gets_a_separate_empty_database_dropped_after_it_from_one_server(postgres_server, pytester, monkeypatch):
    result = run_inner(
        pytester,
        monkeypatch,
        """
        from pathlib import Path

        import psycopg

        FIRST = Path(__file__).parent / "first_url"

        def test_first(postgres_url):
            with psycopg.connect(postgres_url) as conn:
                conn.execute("CREATE TABLE audits (id int)")
            FIRST.write_text(postgres_url)

        def test_second(postgres_url):
            first = FIRST.read_text()
            assert postgres_url != first
            with psycopg.connect(postgres_url) as conn:
                assert conn.execute("SELECT to_regclass('audits')").fetchone() == (None,)
                names = [name for (name,) in conn.execute("SELECT datname FROM pg_database")]
            assert first.rsplit("/", 1)[1] not in names
        """,
    )
    result.assert_outcomes(passed=2)
    assert result.stdout.str().count(SERVER_SETUP) == 1


def test_db_target_runs_a_test_once_per_backend_with_the_ids_sqlite_and_postgresql(pytester, monkeypatch):
    result = run_inner(pytester, monkeypatch, "def test_store(db_target):\n    pass\n", "--collect-only", "-q")
    result.stdout.fnmatch_lines(["*::test_store[[]sqlite[]]", "*::test_store[[]postgresql[]]", "2 tests collected*"])


def test_a_sqlite_only_run_never_starts_postgresql(pytester, monkeypatch):
    result = run_inner(pytester, monkeypatch, "def test_store(db_target):\n    pass\n", "-k", "sqlite")
    result.assert_outcomes(passed=1, deselected=1)
    assert "postgres_server" not in result.stdout.str()


def test_db_target_is_a_sqlite_file_path_or_a_fresh_postgresql_url(db_target, request, tmp_path):
    if request.node.callspec.params["db_target"] == "sqlite":
        assert db_target == str(tmp_path / "homeaudit.db")
        assert Path(db_target).parent.is_dir()
        assert not Path(db_target).exists()
    else:
        assert db_target.startswith("postgresql://postgres@127.0.0.1:")
        tables = "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        assert fetch(db_target, tables) == [(0,)]


def test_without_postgresql_a_test_is_skipped_saying_how_to_install_it(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(
        pytest.skip.Exception, match=r"PostgreSQL is not installed: no initdb \(\.ci/run installs Debian's postgresql\)"
    ):
        pgserver.unavailable("PostgreSQL is not installed: no initdb", "the log")


def test_in_ci_a_missing_postgresql_fails_the_test_with_the_server_log(monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=r"(?s)could not start: port taken \(\.ci/run .*\).*FATAL: the log"):
        pgserver.unavailable("PostgreSQL could not start: port taken", "FATAL: the log")


NOT_INSTALLED = "import pgserver\n\npgserver.find_bindir = lambda: None\n"


def test_without_postgresql_the_tests_needing_it_skip_saying_why_and_the_sqlite_ones_run(pytester, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    result = run_inner(pytester, monkeypatch, "def test_store(db_target):\n    pass\n", "-rs", conftest=NOT_INSTALLED)
    result.assert_outcomes(passed=1, skipped=1)
    result.stdout.fnmatch_lines(["SKIPPED*PostgreSQL is not installed: *(.ci/run installs Debian's postgresql)"])


def test_in_ci_without_postgresql_the_tests_needing_it_fail(pytester, monkeypatch):
    monkeypatch.setenv("CI", "true")
    result = run_inner(pytester, monkeypatch, "def test_store(db_target):\n    pass\n", conftest=NOT_INSTALLED)
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*Failed: PostgreSQL is not installed: *(.ci/run installs Debian's postgresql)"])
