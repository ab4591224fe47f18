"""Fixtures for the app tests: a fresh database per test, and audits in it."""

from __future__ import annotations

import pytest

from homeaudit import checklist, store
from homeaudit.audit import Auditor, Client, blank


@pytest.fixture(scope="session")
def library():
    return checklist.load()


@pytest.fixture
def db(tmp_path, monkeypatch):
    """A fresh database for the app (through HOMEAUDIT_DB) and a store on it for the test."""
    path = tmp_path / "data" / "homeaudit.db"
    monkeypatch.setenv("HOMEAUDIT_DB", str(path))
    with store.connect(path) as s:
        yield s


@pytest.fixture
def make_audit(db, library):
    def make(rooms=("entrance", "bathroom", "bedroom"), name="Ann Smith", role="family"):
        return db.create_audit(
            blank(library, list(rooms), client=Client(name=name, address="1 High St"), auditor=Auditor(role=role))
        )

    return make
