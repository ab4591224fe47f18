"""Shared fixtures: the bundled checklist library, loaded once."""

from __future__ import annotations

import pytest

from homeaudit import checklist


@pytest.fixture(scope="session")
def library() -> checklist.Library:
    return checklist.load(extra="")
