"""Reminders without a server: the open actions as an iCalendar file a phone's calendar imports,
and each helper's own list of jobs.

:func:`calendar_file` turns the open actions that have a due date (not done, not declined) into
one all-day event each, on the due date: the summary is what to do; the description says what was
found, where and who does it; the location is the room. Not why the fix matters for this person:
those reasons name their health, and a phone's calendar is often kept on someone's servers. Each
event's ``UID`` is derived from the audit id, the item id and the room visit only, so importing
the file again after a date changed updates the event instead of adding a second one. A display
alarm reminds at nine in the morning the day before.

The file holds no address, no web link, no organiser and no attendee: nothing in it points
anywhere or asks a calendar to send anything. Text typed by people (names, room labels, notes) is
data: control characters are dropped here and the ``icalendar`` package escapes the rest (commas,
semicolons, line breaks), so no text can end an event or start another.

:func:`helper_lists` groups the open actions by who does them: the named helper recorded in the
app ("Sam (son)", "Joe the handyman"), or, for an action without one, the kind of helper
(:data:`homeaudit.words.WHO_LABELS`, "Handyperson"). :mod:`homeaudit.report.helper_list` prints
one such list.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import uuid
from collections.abc import Iterable

from icalendar import Alarm, Calendar, Event

from homeaudit.audit import RESIDENT_VISIT, Audit
from homeaudit.plan import Action, first_name, problem
from homeaudit.results import Score
from homeaudit.words import WHO_LABELS, label, who_label

#: The calendar's product identifier (RFC 5545 ``PRODID``).
PRODID = "-//homeaudit//Home safety plan reminders//EN"
#: The media type and file extension of the calendar file.
MEDIA_TYPE = "text/calendar"
#: UIDs are name-based UUIDs (version 5) in this namespace, so the same action always has the same one.
UID_NAMESPACE = uuid.UUID("6f1d3c52-8a0e-5b7c-9d43-2e6a1f0b7c58")
#: The alarm: nine in the morning the day before (an all-day event starts at midnight).
ALARM_BEFORE = dt.timedelta(hours=-15)
#: Longest text kept per field: a calendar is no place for a whole note.
TEXT_LIMIT = 2000

# C0 and C1 controls except tab and line feed, lone surrogates, U+FFFE/U+FFFF, and the invisible
# bidirectional controls (they turn text around: "exe.jpg" shown as "gpj.exe").
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def is_open(action: Action) -> bool:
    """Still to do: neither done nor declined."""
    return action.state == "open" and not action.done and not action.declined


def open_actions(score: Score) -> tuple[Action, ...]:
    """The open actions, in plan order."""
    return tuple(a for a in score.actions if is_open(a))


def calendar_actions(score: Score) -> tuple[Action, ...]:
    """The open actions that have a due date, in plan order: one calendar event each."""
    return tuple(a for a in open_actions(score) if a.due is not None)


def event_uid(audit_id: str, item_id: str, visit: int) -> str:
    """The event's UID: the same audit, item and room visit always give the same one, whatever
    the dates, texts or order (so a calendar updates the event when the file is imported again).
    It holds no name: the audit id is hashed."""
    name = "\n".join((audit_id, item_id, str(int(visit))))
    return f"{uuid.uuid5(UID_NAMESPACE, name)}@homeaudit"


def clean(text: object, limit: int = TEXT_LIMIT) -> str:
    """Text for a calendar field: NFC, line breaks as ``\\n``, no control characters, at most
    ``limit`` characters (ending in an ellipsis when cut). Escaping is the library's."""
    if text is None:
        return ""
    plain = unicodedata.normalize("NFC", str(text)).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    plain = _CONTROL.sub("", plain).strip()
    return plain if len(plain) <= limit else plain[: limit - 1].rstrip() + "…"


def who_words(action: Action, role: str = "family") -> str:
    """Who does it: the named helper with the kind of helper ("Sam (son), Resident or family"),
    or the kind alone."""
    kind = who_label(action.who, role)
    name = helper_name(action.helper)
    return f"{name}, {kind}" if name and name.casefold() != kind.casefold() else kind


def _description(action: Action, score: Score, audit: Audit) -> str:
    lines = [f"Found: {problem(action)}"]
    if action.visit != RESIDENT_VISIT:
        lines.append(f"Where: {score.title(action.visit)}")
    lines.append(f"Who: {who_words(action, audit.auditor.role)}")
    lines.append(f"Action {action.rank} of the home safety plan of {audit.date.isoformat()}.")
    return clean("\n".join(lines))


def calendar_name(audit: Audit) -> str:
    """The calendar's name: "Home safety plan: Zoë" (the first name only), or "Home safety plan"."""
    name = first_name(clean(audit.client.name, 200), fallback="")
    return f"Home safety plan: {name}" if name else "Home safety plan"


def calendar_file(score: Score, audit: Audit, *, today: dt.date | None = None) -> bytes:
    """The open actions with a due date as an iCalendar file (RFC 5545), one all-day event each.

    ``score`` carries the plan as people left it (``score.with_edits(edits)``: a date someone
    set, done, declined, the named helper). ``today`` is the date the file is made, written as
    each event's ``DTSTAMP`` (by default the computer's date); the same inputs and ``today`` give
    the same bytes.
    """
    made = today or dt.date.today()
    stamp = dt.datetime(made.year, made.month, made.day, tzinfo=dt.UTC)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", calendar_name(audit))
    for action in calendar_actions(score):
        assert action.due is not None  # calendar_actions keeps only these
        where = "" if action.visit == RESIDENT_VISIT else clean(score.title(action.visit), 200)
        summary = clean(action.action, 500)
        event = Event()
        event.add("uid", event_uid(score.audit_id or audit.id, action.item_id, action.visit))
        event.add("dtstamp", stamp)
        event.add("dtstart", action.due)
        event.add("dtend", _next_day(action.due))
        event.add("summary", summary)
        event.add("description", _description(action, score, audit))
        if where:  # the rows about the person happen in no room
            event.add("location", where)
        event.add("transp", "TRANSPARENT")  # a reminder, not a busy day
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", clean(f"{summary} ({where})" if where else summary, 500))
        alarm.add("trigger", ALARM_BEFORE)
        event.add_component(alarm)
        cal.add_component(event)
    return bytes(cal.to_ical())


def _next_day(day: dt.date) -> dt.date:
    """The end of an all-day event (exclusive): the next day, or the same for the last date there is."""
    return day + dt.timedelta(days=1) if day < dt.date.max else day


# --------------------------------------------------------------------------- each helper's list


def helper_name(helper: str) -> str:
    """A helper's name as shown and grouped: cleaned, on one line, spaces folded."""
    return " ".join(clean(helper, 200).split())


def helper_key(action: Action) -> str:
    """Whose list an action is on: its named helper, else the kind of helper in words."""
    return helper_name(action.helper) or label(WHO_LABELS, action.who)


def helper_lists(score: Score) -> dict[str, tuple[Action, ...]]:
    """The open actions grouped by who does them, each list in plan order.

    A named helper's list comes first (in the order their first job comes in the plan), then the
    lists of the kinds of helper for the actions nobody is named for ("Handyperson"). Names that
    differ only in case or spacing ("sam (son)", "Sam  (son)") are one helper, under the spelling
    seen first."""
    return _grouped(open_actions(score))


def _grouped(actions: Iterable[Action]) -> dict[str, tuple[Action, ...]]:
    named: dict[str, list[Action]] = {}
    kinds: dict[str, list[Action]] = {}
    spelling: dict[str, str] = {}
    for action in actions:
        name = helper_name(action.helper)
        if name:
            key = spelling.setdefault(name.casefold(), name)
            named.setdefault(key, []).append(action)
        else:
            kinds.setdefault(label(WHO_LABELS, action.who), []).append(action)
    out = {key: tuple(found) for key, found in named.items()}
    for kind, found in kinds.items():
        key = spelling.get(kind.casefold(), kind)  # a helper named "Handyperson" shares that list
        out[key] = (*out.get(key, ()), *found)
    return out


def helper_actions(score: Score, helper: str) -> tuple[Action, ...]:
    """One helper's open actions (the name as :func:`helper_lists` gives it, in any case)."""
    wanted = helper_name(helper).casefold()
    return next((found for key, found in helper_lists(score).items() if key.casefold() == wanted), ())


__all__ = [
    "ALARM_BEFORE",
    "MEDIA_TYPE",
    "PRODID",
    "UID_NAMESPACE",
    "calendar_actions",
    "calendar_file",
    "calendar_name",
    "clean",
    "event_uid",
    "helper_actions",
    "helper_key",
    "helper_lists",
    "helper_name",
    "is_open",
    "open_actions",
    "who_words",
]
