"""How the store's values look in its tables: the conversions between the audit model and columns.

Dates and times are ISO 8601 text (they sort as text, on either backend); an answer's value is a
word or a number in two columns; the visit report's optional fields are JSON in ``details``;
a photo is referred to as ``photo:<n>``; a client's id is random (it may be shown in a URL).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
from typing import Any

from homeaudit.audit import Assessment, Auditor, Client
from homeaudit.store.errors import StoreError
from homeaudit.words import ACTION_STATES, ActionState

PHOTO_PREFIX = "photo:"

#: A client id as :func:`new_client_id` makes it; any other id a file gives is not taken.
CLIENT_ID = re.compile(r"client-[0-9a-f]{12}")


def new_client_id(db: Any) -> str:
    """A client id nobody can guess from the name (it may be shown in a URL or a file)."""
    while True:
        candidate = "client-" + secrets.token_hex(6)
        if not db.execute("SELECT 1 FROM clients WHERE id = ?", (candidate,)).fetchone():
            return candidate


def details_json(auditor: Auditor, client: Client, assessment: Assessment) -> str:
    """The visit details that have no column of their own, as JSON (only what was filled in)."""
    extra = {
        "auditor": extras(auditor, "name", "role"),
        "client": extras(client, "id", "name", "address", "notes"),
        "assessment": assessment.model_dump(mode="json", exclude_defaults=True),
    }
    return json.dumps({k: v for k, v in extra.items() if v}, ensure_ascii=False)


def extras(model: Auditor | Client, *columns: str) -> dict[str, Any]:
    """A model's fields that were filled in, but for those kept in columns of their own."""
    return {k: v for k, v in model.model_dump(mode="json", exclude_defaults=True).items() if k not in columns}


def details(text: str | None) -> dict[str, Any]:
    try:
        found = json.loads(text or "{}")
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")  # orders quick edits too


def date_or_none(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def action_state(text: str) -> ActionState:
    """A stored or given action state, checked: a hand-edited database cannot invent a fourth."""
    for state in ACTION_STATES:
        if text == state:
            return state
    raise StoreError(f"{text!r} is not a state of an action (expected one of: {', '.join(ACTION_STATES)})")


def split_value(value: Any) -> tuple[str | None, float | None]:
    """An answer value as (text, number): exactly one is set, or neither for no answer."""
    if value is None:
        return None, None
    if isinstance(value, bool):
        return ("yes" if value else "no"), None
    if isinstance(value, (int, float)):
        return None, float(value)
    if isinstance(value, str):
        return value, None
    raise StoreError(f"an answer is a word or a number, not {type(value).__name__}")


__all__ = [
    "CLIENT_ID",
    "PHOTO_PREFIX",
    "action_state",
    "date_or_none",
    "details",
    "details_json",
    "extras",
    "new_client_id",
    "now",
    "split_value",
]
