"""Two app processes on one database, answering the same audit at the same moment, keep every
answer: each answer is its own row, written in its own transaction, and writes take turns
(BEGIN IMMEDIATE on SQLite, an advisory lock on PostgreSQL). On both backends."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time

from homeaudit.audit import Answer, Audit, Client, RoomVisit
from homeaudit.store import connect

ANSWERS_PER_WRITER = 500

WRITER = textwrap.dedent(
    """
    import pathlib, sys, time
    from homeaudit.store import connect

    target, audit_id, name, start, count = sys.argv[1], sys.argv[2], sys.argv[3], pathlib.Path(sys.argv[4]), int(sys.argv[5])
    store = connect(target)
    deadline = time.monotonic() + 60
    while not start.exists() and time.monotonic() < deadline:  # both begin together
        time.sleep(0.01)
    for n in range(count):
        store.save_answer(audit_id, 0, f"{name}.item_{n:04d}", "yes" if n % 2 else "no")
        if n % 50 == 0:  # the same answer's note from both processes: the last one wins, nothing breaks
            store.save_note(audit_id, 0, "bathroom.grab_bar_toilet", f"{name} {n}")
    store.close()
    """
)


def test_two_processes_writing_500_answers_each_to_one_audit_lose_none(db_target, tmp_path):
    with connect(db_target) as store:
        audit_id = store.create_audit(
            Audit(
                client=Client(name="Ann Smith"),
                rooms=[RoomVisit(room="bathroom", answers={"bathroom.grab_bar_toilet": Answer(value="no")})],
            )
        )
    start = tmp_path / "go"
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, db_target, audit_id, name, str(start), str(ANSWERS_PER_WRITER)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("alpha", "beta")
    ]
    time.sleep(0.5)
    start.touch()
    results = [w.communicate(timeout=240) for w in writers]
    assert [w.returncode for w in writers] == [0, 0], [err[-2000:] for _, err in results]

    with connect(db_target) as store:
        answers = store.load_audit(audit_id).rooms[0].answers
    for name in ("alpha", "beta"):
        mine = {k: a.value for k, a in answers.items() if k.startswith(f"{name}.")}
        lost = ANSWERS_PER_WRITER - len(mine)
        assert lost == 0, f"{name}: {lost} answers lost"
        assert all(value == ("yes" if int(k[-4:]) % 2 else "no") for k, value in mine.items())
    note = answers["bathroom.grab_bar_toilet"]
    assert note.value == "no" and note.note in {"alpha 450", "beta 450"}


def test_opening_a_file_another_program_is_writing_waits_for_it_instead_of_failing(tmp_path):
    """SQLite does not wait by itself while it switches a file to WAL: the store must, as it
    waits for every other lock (four stores opening one new file at once once failed here)."""
    import sqlite3
    import threading

    path = tmp_path / "homeaudit.db"
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")  # another program holds the write lock of a file still in rollback mode
    threading.Timer(0.5, other.rollback).start()
    started = time.monotonic()
    with connect(path) as store:
        assert store.list_audits() == []
    assert time.monotonic() - started >= 0.4
    other.close()
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone() == ("wal",)
