"""Shared fixtures: the bundled checklist library, loaded once."""

from __future__ import annotations

import pytest

from homeaudit import checklist

# A private PostgreSQL server for the storage tests (postgres_server, postgres_url, db_target).
pytest_plugins = ["pgserver"]


@pytest.fixture(scope="session")
def library() -> checklist.Library:
    return checklist.load(extra="")
