"""Where the app keeps things: the database (the truth), the URL, and a session cache.

* The database holds every answer; pages read the audit from it on every run and write each
  answer to it the moment it is given.
* The URL holds which audit and which room are open (``?audit=…&room=…``), so a refresh, a
  closed tab or a restarted server comes back to the same place.
* ``st.session_state`` holds no answer of its own. It keeps the widgets' values (set from the
  database on every run, so a stale value is overwritten), the open audit's id (also in the URL;
  clicking a page in the menu drops the URL's parameters), messages for the next run, and view
  state that is fine to lose (which confirmation is open, the unit last chosen for a reading).

Also here: the plain view-model the pages share (walking order, progress), computed from the
audit and the library without Streamlit, so it is tested without a browser. Progress counts
"answered" as :mod:`homeaudit.words` defines it, the same count scoring gives.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from homeaudit import checklist
from homeaudit.app import signin
from homeaudit.audit import RESIDENT_VISIT, Audit, visit_titles
from homeaudit.checklist import RESIDENT_ROOM, SCREEN_LABELS, TOPIC_LABELS, Item, Library
from homeaudit.store import Store, StoreError, connect, default_target, is_url

AUDIT_PARAM = "audit"
ROOM_PARAM = "room"
_AUDIT_KEY = "audit_id"
APP_DIR = Path(__file__).resolve().parent
PAGE_FILES = {
    "start": APP_DIR / "start.py",
    "walkthrough": APP_DIR / "walkthrough.py",
    "results": APP_DIR / "results.py",
    "audits": APP_DIR / "audits.py",
    "overview": APP_DIR / "overview.py",
}


# --------------------------------------------------------------------------- resources


def _db_argument(argv: list[str] | None = None) -> str | None:
    """The value of ``--db`` after ``streamlit run audit_app.py --``, if given."""
    args = list(sys.argv[1:] if argv is None else argv)
    for i, arg in enumerate(args):
        if arg == "--db" and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith("--db="):
            return arg.split("=", 1)[1]
    return None


def db_target(argv: list[str] | None = None) -> str:
    """The database to connect to, as :func:`homeaudit.store.connect` takes it: a URL
    (``postgresql://user@host/db``, from ``--db`` or ``HOMEAUDIT_DB``) unchanged, else the
    SQLite file's absolute path. (A URL made a Path would lose a ``/`` of its ``//`` and be
    resolved against the working directory.)"""
    given = _db_argument(argv)
    raw = given if given is not None else default_target()
    return raw if is_url(raw) else str(Path(raw).resolve())


@st.cache_resource(show_spinner=False)
def _store_at(target: str) -> Store:
    """One store per database for the whole server: its connections are shared by every session."""
    return connect(target)


class NotSignedIn(StoreError):
    """No store without a user: with sign-in on, a page asked for the store before the gate let
    it through (``audit_app.py`` stops first; this only makes sure nothing is read unscoped)."""


def get_store() -> Store:
    """The store for this session: the server's database, seeing only the signed-in user's
    practice (practice "" in single-user mode) and recording them as the author of new audits."""
    who = signin.current()
    if who is None:
        raise NotSignedIn("nobody is signed in to a practice")
    # A view of the server's store (no query, no new connection): what this user may see and sign.
    return _store_at(db_target()).for_practice(who.practice, who.author)


@st.cache_resource(show_spinner=False)
def get_library() -> Library:
    """The checklist library, loaded once per server (``HOMEAUDIT_CHECKLISTS`` adds an OT's own)."""
    return checklist.load()


# --------------------------------------------------------------------------- which audit, which room


def current_audit_id() -> str | None:
    """The open audit: from the URL, else the one this session had open (put back into the URL)."""
    from_url = st.query_params.get(AUDIT_PARAM)
    if from_url:
        st.session_state[_AUDIT_KEY] = from_url
        return from_url
    cached = st.session_state.get(_AUDIT_KEY)
    if cached:
        st.query_params[AUDIT_PARAM] = cached
    return cached


def forget_audit(audit_id: str | None = None) -> None:
    """Close the open audit (all of them, or only if it is ``audit_id``)."""
    if audit_id is None or st.session_state.get(_AUDIT_KEY) == audit_id:
        st.session_state.pop(_AUDIT_KEY, None)
    if audit_id is None or st.query_params.get(AUDIT_PARAM) == audit_id:
        for name in (AUDIT_PARAM, ROOM_PARAM):
            if name in st.query_params:
                del st.query_params[name]


def go(page: str, audit_id: str | None = None, room: str | None = None) -> None:
    """Switch to another page, carrying the audit (and room) in the URL."""
    params = {}
    if audit_id:
        st.session_state[_AUDIT_KEY] = audit_id
        params[AUDIT_PARAM] = audit_id
    if room:
        params[ROOM_PARAM] = room
    st.switch_page(str(PAGE_FILES[page]), query_params=params or None)


def flash(message: str, kind: str = "error") -> None:
    """A message to show at the top of the next run (callbacks cannot draw)."""
    st.session_state.setdefault("_flash", []).append((kind, message))


def take_flashes() -> list[tuple[str, str]]:
    flashes: list[tuple[str, str]] = st.session_state.pop("_flash", [])
    return flashes


# --------------------------------------------------------------------------- walking order and progress


@dataclass(frozen=True)
class Stop:
    """One place on the walk: the resident questions or one room of this home."""

    key: str
    visit: int
    room: str
    title: str
    description: str
    present: bool
    items: tuple[Item, ...]

    @property
    def is_resident(self) -> bool:
        return self.visit == RESIDENT_VISIT


def stops(audit: Audit, library: Library) -> list[Stop]:
    """The walk: the resident first, then the rooms in the library's walking order."""
    order = {r.room: i for i, r in enumerate(library.rooms)}
    out = []
    if RESIDENT_ROOM in library.room_ids:
        resident = library.room(RESIDENT_ROOM)
        out.append(
            Stop(
                RESIDENT_ROOM,
                RESIDENT_VISIT,
                RESIDENT_ROOM,
                library.room_name(RESIDENT_ROOM),
                resident.description,
                True,
                resident.items,
            )
        )
    keys, titles = audit.room_keys(), visit_titles(audit, library)
    visits = sorted(range(len(audit.rooms)), key=lambda v: (order.get(audit.rooms[v].room, len(order)), v))
    for v in visits:
        visit = audit.rooms[v]
        room = library.room(visit.room) if visit.room in order else None
        out.append(
            Stop(
                keys[v],
                v,
                visit.room,
                titles[v],
                room.description if room else "",
                visit.present,
                room.items if room else (),
            )
        )
    return out


def by_topic(items: tuple[Item, ...]) -> list[tuple[str, list[Item]]]:
    """Items grouped under headings, in the order they first come up, items in checklist order.

    Room questions go under their topic ('Lighting'); questions about the person go under what
    they screen for ('Falls and balance', 'Bone health'), not under a room's topic.
    """
    groups: dict[str, list[Item]] = {}
    for item in items:
        heading = SCREEN_LABELS[item.screen] if item.screen else TOPIC_LABELS.get(item.topic, item.topic)
        groups.setdefault(heading, []).append(item)
    return list(groups.items())


@dataclass(frozen=True)
class Progress:
    rooms_done: int
    rooms_total: int
    answered: int
    questions: int
    #: per stop key: (answered, questions); a room not in this home counts (0, 0)
    by_stop: dict[str, tuple[int, int]]

    @property
    def fraction(self) -> float:
        return self.answered / self.questions if self.questions else 0.0

    def done(self, key: str) -> bool:
        answered, questions = self.by_stop.get(key, (0, 0))
        return answered >= questions


def stop_label(stop: Stop, prog: Progress, here: str | None = None) -> str:
    """A room in the room list, with how far it has got: 'Bathroom (3 of 12)', '(done)', '(skipped)';
    the room on screen (``here``) says so instead of its count, so that the list does not change
    with each answer given in it (a changed list is a new control for the browser to build)."""
    answered, total = prog.by_stop[stop.key]
    if stop.key == here and stop.present and answered < total:
        return f"{stop.title} (this room)"
    if not stop.present:
        status = "skipped: not in this home"
    elif answered >= total:
        status = "done"
    else:
        status = f"{answered} of {total}"
    return f"{stop.title} ({status})"


def next_open(audit: Audit, library: Library, here: str) -> tuple[str, Item] | None:
    """The first question still open, looking from the top of the room ``here`` on through the
    rooms after it and then those before (rooms the home does not have are skipped); None when
    every question is answered."""
    walk = stops(audit, library)
    keys = [s.key for s in walk]
    start = keys.index(here) if here in keys else 0
    for stop in walk[start:] + walk[:start]:
        if not stop.present:
            continue
        answers = audit.resident if stop.is_resident else audit.rooms[stop.visit].answers
        for item in stop.items:
            if item.id not in answers or not answers[item.id].is_answered:
                return stop.key, item
    return None


def progress(audit: Audit, library: Library, walk: list[Stop] | None = None) -> Progress:
    """Rooms done (every question answered, or not in this home) and questions answered."""
    by_stop: dict[str, tuple[int, int]] = {}
    for stop in walk if walk is not None else stops(audit, library):
        if not stop.present:
            by_stop[stop.key] = (0, 0)
            continue
        answers = audit.resident if stop.is_resident else audit.rooms[stop.visit].answers
        ids = [item.id for item in stop.items]
        by_stop[stop.key] = (sum(1 for i in ids if i in answers and answers[i].value is not None), len(ids))
    rooms = [k for k in by_stop if k != RESIDENT_ROOM]
    return Progress(
        rooms_done=sum(1 for k in rooms if by_stop[k][0] >= by_stop[k][1]),
        rooms_total=len(rooms),
        answered=sum(a for a, _ in by_stop.values()),
        questions=sum(q for _, q in by_stop.values()),
        by_stop=by_stop,
    )
