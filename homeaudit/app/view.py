"""How this device shows the walkthrough: compact rows or roomy cards, all questions or only the
unanswered ones, and the unit a new measurement starts in.

A setting of the person at this device, not of an audit: an occupational therapist on a tablet
wants compact rows in every audit, a family member on a phone wants the roomy cards. There are no
accounts, so it is kept in a cookie on this device (read from the request with
``st.context.cookies``; written by a line of fixed JavaScript, no user text in it) and cached in
the session for the rest of the visit. Nothing of it reaches the server's database.

:func:`parse` and :func:`dump` are plain functions, so the cookie's format is tested on its own.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Literal, get_args
from urllib.parse import parse_qsl, urlencode

import streamlit as st

#: The cookie's name. Its value is a short query string ("compact=1&only=0&units=metric").
COOKIE = "homeaudit_view"
#: How long the device remembers (a year), in seconds.
MAX_AGE = 365 * 24 * 3600
_SESSION_KEY = "_view"
_WRITE_KEY = "_view_to_write"

Units = Literal["asked", "metric", "imperial"]
UNIT_CHOICES: dict[Units, str] = {
    "asked": "As each question asks",
    "metric": "Centimetres and lux",
    "imperial": "Inches and foot-candles",
}


@dataclass(frozen=True)
class View:
    """``compact``: a question and its answer on one row, fewer words around them. ``only_open``:
    show only the questions not answered yet. ``units``: the unit a new reading starts in."""

    compact: bool = False
    only_open: bool = False
    units: Units = "asked"


def parse(text: str | None) -> View | None:
    """The view a cookie holds, or None when there is none (or it cannot be read: it is only a
    preference, so a damaged cookie falls back to the defaults)."""
    if not text:
        return None
    try:
        fields = dict(parse_qsl(text, strict_parsing=True))
    except ValueError:
        return None
    units = fields.get("units", "asked")
    return View(
        compact=fields.get("compact") == "1",
        only_open=fields.get("only") == "1",
        units=units if units in get_args(Units) else "asked",  # type: ignore[arg-type]  # checked just here
    )


def dump(view: View) -> str:
    return urlencode({"compact": int(view.compact), "only": int(view.only_open), "units": view.units})


def current(default_compact: bool = False) -> View:
    """This device's view: the session's, else the cookie's, else the default (compact for an
    occupational therapist's audit, roomy for a family's)."""
    cached = st.session_state.get(_SESSION_KEY)
    if isinstance(cached, View):
        return cached
    saved = parse(st.context.cookies.get(COOKIE)) if st.context.cookies is not None else None
    view = saved or View(compact=default_compact)
    st.session_state[_SESSION_KEY] = view
    return view


def change(**fields: object) -> None:
    """Change the view (from a widget's callback) and remember it on this device."""
    view = replace(current(), **fields)  # type: ignore[arg-type]  # the callers pass View's own fields
    st.session_state[_SESSION_KEY] = view
    st.session_state[_WRITE_KEY] = view


def write_cookie() -> None:
    """Store a changed view in the cookie (a run draws the script; a callback cannot)."""
    view = st.session_state.pop(_WRITE_KEY, None)
    if not isinstance(view, View):
        return
    value = json.dumps(f"{COOKIE}={dump(view)}; path=/; max-age={MAX_AGE}; SameSite=Strict")
    st.html(f"<script>document.cookie = {value};</script>", unsafe_allow_javascript=True, width=1)


__all__ = ["COOKIE", "UNIT_CHOICES", "Units", "View", "change", "current", "dump", "parse", "write_cookie"]
