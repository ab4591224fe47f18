"""The audit: who audited whose home when, the resident's answers and each room's answers.

Audits are exchanged as ``homeaudit/1`` files (YAML or JSON, see docs/audit-format.md), a public
format that other tools write too, so reading one is strict: every problem is reported with the
file, line, room and item it concerns, and nothing is guessed. Two steps keep this testable:
:func:`parse` checks the shape of the file, :func:`check` checks the answers against the
checklist library (known ids, answer types, units, plausible measurements).

A room of a home has one name per meaning, here and everywhere else in homeaudit:

* ``room``: the kind of room, a room id of the checklist ("bedroom");
* ``visit``: the room's place in ``Audit.rooms`` (0, 1, …); the resident's answers are
  :data:`RESIDENT_VISIT`, never written as a number;
* ``key``: a key that tells twins apart in URLs and the store, stable while rooms keep their order
  ("bedroom", "bedroom-2"; :func:`room_keys`);
* ``label``: the auditor's own name for it ("Spare room"), often empty;
* ``title``: what people read: the label, else the room's name, numbered when the home has
  several ("Bedroom 2"; :func:`visit_titles`).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, ValidationError, field_validator

from homeaudit import limits, yaml_source
from homeaudit.checklist import RESIDENT_ROOM, Library
from homeaudit.units import DIMENSIONS, convert, dimension_of, normalise_unit
from homeaudit.words import ActionState, Basis, Incident, Role
from homeaudit.yaml_source import KeyPath

FORMAT: Literal["homeaudit/1"] = "homeaudit/1"
RESIDENT_VISIT = -1  # the visit number of the resident's answers, wherever visits are numbered
#: The resident section's title where a room's would stand (the "where" of a plan row).
RESIDENT_TITLE = "The resident"

_YES = {"yes", "y", "true"}
_NO = {"no", "n", "false"}
_NA = {"na", "n/a", "not applicable", "not_applicable"}


class AuditError(ValueError):
    """An audit file or answer is wrong; the message says where and what."""


def _normalise_value(value: Any) -> Any:
    """YAML 1.1 reads a bare ``yes`` as True; treat booleans and spelling variants as yes/no/na."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        text = value.strip()
        low = text.lower()
        if low in _YES:
            return "yes"
        if low in _NO:
            return "no"
        if low in _NA:
            return "na"
        if low == "":
            return None
        return text
    return value


AnswerValue = Annotated[str | float | None, BeforeValidator(_normalise_value)]

#: Text fields, each held to its limit (homeaudit.limits): a file from someone else is checked
#: before anything is stored or shown.
Label = Annotated[str, StringConstraints(max_length=limits.MAX_LABEL)]
Note = Annotated[str, StringConstraints(max_length=limits.MAX_NOTE)]
Text = Annotated[str, StringConstraints(max_length=limits.MAX_TEXT)]


class Answer(BaseModel):
    """One answer: a value, and for measurements the unit; optionally a note and photos, whether
    the assessor saw it or was told (``basis``), and whether someone fell or nearly fell there
    (``incident``, which raises the fix's priority)."""

    model_config = ConfigDict(extra="forbid")
    value: AnswerValue = None
    unit: Annotated[str, StringConstraints(max_length=20)] | None = None
    note: Note = ""
    photos: Annotated[tuple[Label, ...], Field(max_length=limits.MAX_PHOTOS_PER_ANSWER)] = ()
    basis: Basis | None = None
    incident: Incident | None = None

    @field_validator("value", mode="before")
    @classmethod
    def _reject_lists(cls, value: Any) -> Any:
        if isinstance(value, (list, dict)):
            raise ValueError("an answer value is a word or a number")
        return value

    @field_validator("unit", mode="before")
    @classmethod
    def _normalise_unit(cls, unit: Any) -> Any:
        """'IN', 'inches ' and 'in' are one unit; stored in its short form."""
        return normalise_unit(unit) if isinstance(unit, str) else unit

    @property
    def is_answered(self) -> bool:
        return self.value is not None

    def to_file(self) -> Any:
        """The shortest form of this answer in a file: the bare value when that is all there is."""
        if self.unit is None and not self.note and not self.photos and not self.basis and not self.incident:
            return self.value
        data: dict[str, Any] = {"value": self.value}
        if self.unit is not None:
            data["unit"] = self.unit
        if self.note:
            data["note"] = self.note
        if self.photos:
            data["photos"] = list(self.photos)
        if self.basis:
            data["basis"] = self.basis
        if self.incident:
            data["incident"] = self.incident
        return data


def _coerce_answer(raw: Any) -> Any:
    if isinstance(raw, (Answer, dict)):
        return raw
    return {"value": raw}


AnswerField = Annotated[Answer, BeforeValidator(_coerce_answer)]


class Auditor(BaseModel):
    """Who did the audit; an OT's report also names their organisation and registration."""

    model_config = ConfigDict(extra="forbid")
    name: Label = ""
    role: Role = "family"
    organisation: Label = ""
    registration: Label = ""  # professional registration number (HCPC, AHPRA, state licence, …)
    contact: Label = ""


class Contact(BaseModel):
    """Someone the report names: the main carer, the GP."""

    model_config = ConfigDict(extra="forbid")
    name: Label = ""
    relationship: Label = ""  # "daughter", "GP practice", …
    phone: Label = ""


class Client(BaseModel):
    """Whose home it is. Every field beyond the name is optional: a family fills in what it likes,
    an OT's visit report uses them all."""

    model_config = ConfigDict(extra="forbid")
    #: The client's record in a database (kept by the store; a file carries it so that importing
    #: a later visit joins the same client). Empty in a file written by hand.
    id: Label = ""
    name: Label = ""
    address: Text = ""
    notes: Note = ""
    date_of_birth: dt.date | None = None
    phone: Label = ""
    lives_alone: bool | None = None
    mobility_aid: Label = ""  # usual walking aid: "walking stick", "frame", "none"
    diagnoses: Annotated[tuple[Label, ...], Field(max_length=50)] = ()
    main_carer: Contact | None = None
    gp: Contact | None = None
    funder: Label = ""  # who pays: "NHS", "Medicare", "private", an insurer
    case_reference: Label = ""


class ReferredBy(BaseModel):
    """Who asked for the assessment, when and why."""

    model_config = ConfigDict(extra="forbid")
    by: Label = ""
    date: dt.date | None = None
    reason: Text = ""


class Consent(BaseModel):
    """What the client agreed to. None: not asked (a family's audit)."""

    model_config = ConfigDict(extra="forbid")
    assessment: bool | None = None
    photos: bool | None = None
    sharing: bool | None = None
    share_with: Text = ""  # with whom the report may be shared


#: The functional observations of an OT's visit: how the person manages each transfer.
OBSERVATIONS: tuple[str, ...] = ("toilet", "bath_shower", "bed", "chair", "stairs", "walking")
OBSERVATION_LABELS: dict[str, str] = {
    "toilet": "Toilet transfer",
    "bath_shower": "Bath or shower transfer",
    "bed": "Bed transfer",
    "chair": "Chair transfer",
    "stairs": "Stairs",
    "walking": "Walking indoors",
}


class Declined(BaseModel):
    """A recommendation the client did not want, with their reason (an OT records it)."""

    model_config = ConfigDict(extra="forbid")
    recommendation: Text
    reason: Text = ""
    item_id: Label = ""


class Assessment(BaseModel):
    """What an OT's visit report needs beyond the answers: the referral, the client's goals,
    consent, functional observations, recommendations declined, and when to follow up."""

    model_config = ConfigDict(extra="forbid")
    referred_by: ReferredBy | None = None
    goals: Annotated[tuple[Text, ...], Field(max_length=20)] = ()
    consent: Consent | None = None
    #: short structured notes, keyed by :data:`OBSERVATIONS`
    observations: dict[Literal["toilet", "bath_shower", "bed", "chair", "stairs", "walking"], Text] = Field(default_factory=dict)
    declined: Annotated[tuple[Declined, ...], Field(max_length=100)] = ()
    follow_up: dt.date | None = None

    @property
    def is_empty(self) -> bool:
        return self == Assessment()


class RoomVisit(BaseModel):
    """One room of this home: a kind of room from the library, told apart from its twins by a label."""

    model_config = ConfigDict(extra="forbid")
    room: Label
    label: Label = ""
    present: bool = True
    answers: Annotated[dict[Label, AnswerField], Field(max_length=limits.MAX_ANSWERS)] = Field(default_factory=dict)


class ActionRecord(BaseModel):
    """What the people acting on the plan recorded about one action (the store's plan edits):
    where it stands, who does it and by when, when and by whom it was done (with a photo of the
    fix), why it was declined. A file carries them so that an export loses none of it; the app
    reads and writes them through :meth:`homeaudit.store.Store.plan_edits`.

    ``item`` is the plan row's item id (a checklist item, or ``intervention.<id>`` for a step the
    answers about the person call for) and ``visit`` the room visit (−1: the person)."""

    model_config = ConfigDict(extra="forbid")
    item: Label
    visit: Annotated[int, Field(ge=-1, lt=limits.MAX_ROOMS)]
    state: ActionState = "open"
    who: Label | None = None
    due: dt.date | None = None
    helper: Label = ""
    done_on: dt.date | None = None
    done_by: Label = ""
    reason: Text = ""
    photo: Label | None = None


class Audit(BaseModel):
    """A whole audit. ``id`` is stable: the store, the URL and later re-audits refer to it."""

    model_config = ConfigDict(extra="forbid")
    format: Literal["homeaudit/1"] = FORMAT
    id: Label = ""
    date: dt.date = Field(default_factory=dt.date.today)
    auditor: Auditor = Field(default_factory=Auditor)
    client: Client = Field(default_factory=Client)
    assessment: Assessment = Field(default_factory=Assessment)
    resident: Annotated[dict[Label, AnswerField], Field(max_length=limits.MAX_ANSWERS)] = Field(default_factory=dict)
    rooms: Annotated[list[RoomVisit], Field(max_length=limits.MAX_ROOMS)] = Field(default_factory=list)
    #: The follow-through of the plan, as a file carries it (:class:`ActionRecord`); empty in an
    #: audit loaded for the app, which reads plan edits from the store.
    actions: Annotated[tuple[ActionRecord, ...], Field(max_length=limits.MAX_ANSWERS)] = ()

    def model_post_init(self, context: Any) -> None:
        if not self.id:
            self.id = default_id(self.date, self.client.name)

    def room_keys(self) -> list[str]:
        """A key per room visit, stable while rooms keep their order: 'bathroom', 'bathroom-2'."""
        return room_keys(self.rooms)

    def sections(self) -> list[tuple[int, dict[str, Answer]]]:
        """Every group of answers with its visit number: the resident's (−1), then each room's."""
        return [(RESIDENT_VISIT, self.resident)] + [(v, visit.answers) for v, visit in enumerate(self.rooms)]

    def answers(self) -> Iterator[tuple[int, str, Answer]]:
        """Every answer as (visit, item id, answer), the resident's first."""
        for visit, answers in self.sections():
            for item_id, answer in answers.items():
                yield visit, item_id, answer

    @property
    def has_photos(self) -> bool:
        return bool(self.photo_refs())

    def photo_refs(self) -> set[str]:
        """Every photo the audit refers to: the answers' and the fixes' (``actions``)."""
        refs = {ref for _, _, answer in self.answers() for ref in answer.photos}
        return refs | {a.photo for a in self.actions if a.photo}

    def to_file_dict(self) -> dict[str, Any]:
        """The audit in the homeaudit/1 shape, ready for YAML or JSON (``actions`` only when there
        are any, so a file without follow-through reads as it always did)."""
        auditor = {"name": self.auditor.name, "role": self.auditor.role, **_set_fields(self.auditor)}
        client = {"name": self.client.name, "address": self.client.address, "notes": self.client.notes}
        data: dict[str, Any] = {
            "format": FORMAT,
            "id": self.id,
            "date": self.date.isoformat(),
            "auditor": auditor,
            "client": {**client, **_set_fields(self.client)},
        }
        if not self.assessment.is_empty:
            data["assessment"] = _set_fields(self.assessment)
        return (
            data
            | {
                "resident": {k: a.to_file() for k, a in self.resident.items()},
                "rooms": [
                    {
                        "room": r.room,
                        **({"label": r.label} if r.label else {}),
                        "present": r.present,
                        "answers": {k: a.to_file() for k, a in r.answers.items()},
                    }
                    for r in self.rooms
                ],
            }
            | ({"actions": [_set_fields(a) for a in self.actions]} if self.actions else {})
        )


def _set_fields(model: BaseModel) -> dict[str, Any]:
    """The fields given a value other than their default, as plain data (dates as text)."""
    return model.model_dump(mode="json", exclude_defaults=True)


def room_keys(rooms: list[RoomVisit]) -> list[str]:
    """Keys that tell room visits apart in URLs, the store and scores: 'bedroom', 'bedroom-2'."""
    seen: dict[str, int] = {}
    keys = []
    for visit in rooms:
        seen[visit.room] = seen.get(visit.room, 0) + 1
        keys.append(visit.room if seen[visit.room] == 1 else f"{visit.room}-{seen[visit.room]}")
    return keys


def visit_titles(audit: Audit, library: Library) -> dict[int, str]:
    """What people call each room of this home, by visit (−1: the resident).

    The auditor's label when there is one ('Downstairs toilet'); else the room's name, numbered
    when the home has several ('Bedroom 1', 'Bedroom 2'). The app, the report and the command
    line all name rooms with this, so a family sees the same words everywhere.
    """
    totals = Counter(visit.room for visit in audit.rooms)
    seen: Counter[str] = Counter()
    titles = {RESIDENT_VISIT: RESIDENT_TITLE}  # in a plan's "where" column: the person, not a room
    for index, visit in enumerate(audit.rooms):
        seen[visit.room] += 1
        name = library.room_name(visit.room)
        if visit.label.strip():
            titles[index] = visit.label.strip()
        else:
            titles[index] = f"{name} {seen[visit.room]}" if totals[visit.room] > 1 else name
    return titles


#: Letters that Unicode does not split into a base letter and an accent.
_LATIN = str.maketrans(
    {
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ı": "i",
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "þ": "th",
        "Þ": "Th",
    }
)


def slug(text: str, limit: int = 40) -> str:
    """A file- and URL-safe form of a name: 'Zoë Kowalczyk' → 'zoe-kowalczyk', 'Małgorzata' → 'malgorzata'."""
    plain = unicodedata.normalize("NFKD", text.translate(_LATIN)).encode("ascii", "ignore").decode("ascii")
    cleaned = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")
    return cleaned[:limit].strip("-")


def default_id(date: dt.date, client_name: str) -> str:
    """The id an audit without one gets: date and client, readable in a URL ('2026-11-20-zoe')."""
    return "-".join(p for p in (date.isoformat(), slug(client_name) or "audit") if p)


# --------------------------------------------------------------------------- reading


def parse(data: Any, source: str = "<audit>", lines: dict[KeyPath, int] | None = None) -> Audit:
    """Check the shape of a homeaudit/1 mapping and build the Audit (no library needed)."""
    if not isinstance(data, dict):
        raise AuditError(f"{source}:1: an audit file is a mapping that starts with format: {FORMAT}")
    if data.get("format") != FORMAT:
        raise AuditError(f"{source}:{_line(lines, ('format',))}: field 'format': expected '{FORMAT}', got {data.get('format')!r}")
    try:
        return Audit.model_validate(data)
    except ValidationError as error:
        raise AuditError(_describe(error, source, data, lines)) from None


def check(audit: Audit, library: Library, source: str = "<audit>", lines: dict[KeyPath, int] | None = None) -> Audit:
    """Check every answer against the library; raise one AuditError listing every problem."""
    problems = []
    for item_id, answer in audit.resident.items():
        problems += _check_answer(
            library, RESIDENT_ROOM, "resident", item_id, answer, source, _line(lines, ("resident", item_id))
        )
    for index, visit in enumerate(audit.rooms):
        where = f"room {index + 1} ({_short(visit.label or visit.room)})"
        if visit.room not in library.room_ids or visit.room == RESIDENT_ROOM:
            known = ", ".join(r for r in library.room_ids if r != RESIDENT_ROOM)
            line = _line(lines, ("rooms", index, "room"))
            problems.append(f"{source}:{line}: {where}: field 'room': unknown room {visit.room!r}; known rooms: {known}")
            continue
        for item_id, answer in visit.answers.items():
            problems += _check_answer(
                library, visit.room, where, item_id, answer, source, _line(lines, ("rooms", index, "answers", item_id))
            )
    seen: set[tuple[str, int]] = set()
    for index, action in enumerate(audit.actions):
        line = _line(lines, ("actions", index))
        if action.visit >= len(audit.rooms):
            problems.append(f"{source}:{line}: action {index + 1} ({_short(action.item)}): no room number {action.visit + 1}")
        if (action.item, action.visit) in seen:
            problems.append(f"{source}:{line}: action {index + 1} ({_short(action.item)}): given twice for the same room")
        seen.add((action.item, action.visit))
    if problems:
        raise AuditError(_joined(problems))
    return audit


def _check_answer(library: Library, room: str, where: str, item_id: str, answer: Answer, source: str, line: int) -> list[str]:
    prefix = f"{source}:{line}: {where}: item {item_id}"
    item = library.items.get(item_id)
    if item is None:
        return [f"{prefix}: unknown item id (see `homeaudit checklist` for the ids)"]
    if item.room != room:
        return [f"{prefix}: this item belongs to the room {item.room!r}, not {room!r}"]
    value = answer.value
    if value is None:
        return []
    if item.answer_type == "measurement":
        if value == "na":
            return []
        if isinstance(value, str):
            try:
                value = float(value)
            except ValueError:
                return [f"{prefix}: field 'value': {value!r} is not a number (this item is a measurement in {item.unit})"]
        unit = normalise_unit(answer.unit or item.unit or "")
        try:
            same = dimension_of(unit) == dimension_of(item.unit or "")
        except KeyError:
            units = ", ".join(DIMENSIONS[dimension_of(item.unit or "")].units)
            return [f"{prefix}: field 'unit': unknown unit {answer.unit!r}; use one of {units}"]
        if not same:
            units = ", ".join(DIMENSIONS[dimension_of(item.unit or "")].units)
            return [f"{prefix}: field 'unit': {answer.unit!r} does not measure this; use one of {units}"]
        low, high = (convert(bound, item.unit or unit, unit) for bound in item.plausible or (0.0, float("inf")))
        if not (low <= value <= high):
            return [f"{prefix}: field 'value': {value:g} {unit} is not a possible reading (expected {low:g} to {high:g} {unit})"]
        return []
    if answer.unit is not None:
        return [f"{prefix}: field 'unit': only measurements take a unit"]
    if value not in item.option_values:
        allowed = ", ".join(item.option_values)
        return [f"{prefix}: field 'value': {value!r} is not an allowed answer ({allowed})"]
    return []


def upgrade(audit: Audit, library: Library) -> Audit:
    """The audit with the answers to released items that another item took over (its checklist
    ``replaces``) read into that item: a question about the person once asked in each bedroom is
    now asked once, in the resident section. An answer already given to the new item wins; else
    the first one in walking order. The audit given is not changed."""
    moving = [(visit, item_id) for visit, item_id, _ in audit.answers() if item_id in library.replaced]
    if not moving:
        return audit
    out = audit.model_copy(deep=True)
    sections = dict(out.sections())
    for visit, old_id in moving:
        new_id = library.replaced[old_id]
        target = out.resident if library.items[new_id].room == RESIDENT_ROOM else sections[visit]
        answer = sections[visit].pop(old_id)
        kept = target.get(new_id)
        if kept is None or (kept.value is None and answer.value is not None):
            target[new_id] = answer
    return out


def loads(text: str, library: Library | None = None, source: str = "<audit>") -> Audit:
    """Read an audit from YAML or JSON text; check it against the library if one is given (and
    read answers to taken-over items into the items that replaced them, :func:`upgrade`)."""
    try:
        document = yaml_source.parse(text, source)
    except yaml_source.YamlError as error:
        raise AuditError(str(error)) from None
    audit = parse(document.data, source, document.lines)
    if library is None:
        return audit
    return check(upgrade(audit, library), library, source, document.lines)


def load(path: str | os.PathLike[str], library: Library | None = None) -> Audit:
    """Read and check an audit file (``.yaml``, ``.yml`` or ``.json``): a regular file whose size
    is checked before it is read (:func:`homeaudit.limits.read_file`)."""
    path = Path(path)
    try:
        data = limits.read_file(path, limits.MAX_AUDIT_BYTES)
    except limits.FileRefused as error:
        raise AuditError(str(error)) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise AuditError(f"{path}: not a text file (UTF-8): choose the .yaml, .json or .zip audit file") from None
    return loads(text, library, str(path))


def dumps(audit: Audit, fmt: Literal["yaml", "json"] = "yaml") -> str:
    """The audit as homeaudit/1 text; YAML keeps non-Latin names readable (no escapes)."""
    data = audit.to_file_dict()
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def save(audit: Audit, path: str | os.PathLike[str]) -> Path:
    """Write an audit file; JSON for a ``.json`` name, YAML otherwise. Written whole, then renamed."""
    path = Path(path)
    text = dumps(audit, "json" if path.suffix.lower() == ".json" else "yaml")
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return path


def blank(library: Library, rooms: list[str] | None = None, **meta: Any) -> Audit:
    """A new audit with every room (or the given ones) present and nothing answered."""
    wanted = rooms or [r.room for r in library.home_rooms]
    unknown = [r for r in wanted if r not in library.room_ids or r == RESIDENT_ROOM]
    if unknown:
        known = ", ".join(r.room for r in library.home_rooms)
        raise AuditError(f"unknown room(s) {', '.join(unknown)}; known rooms: {known}")
    return Audit(rooms=[RoomVisit(room=r) for r in wanted], **meta)


#: The visit report's optional fields, as the template shows them (commented out, to fill in).
VISIT_DETAILS_TEMPLATE = """\
# The fields below are optional. An occupational therapist's visit report uses them; a family can
# leave them out. Remove the "# " in front of a line to fill it in.
# auditor (add under auditor:):  organisation: "", registration: "", contact: ""
# client (add under client:):    date_of_birth: 1941-05-02, phone: "", lives_alone: true,
#   mobility_aid: "walking stick", diagnoses: [osteoporosis], funder: "", case_reference: "",
#   main_carer: {name: "", relationship: daughter, phone: ""}, gp: {name: "", relationship: GP, phone: ""}
# assessment:
#   referred_by: {by: "", date: 2026-11-01, reason: ""}
#   goals: ["Get in and out of the bath safely"]
#   consent: {assessment: true, photos: true, sharing: false, share_with: ""}
#   observations: {toilet: "", bath_shower: "", bed: "", chair: "", stairs: "", walking: ""}
#   declined: [{recommendation: "", reason: "", item_id: ""}]   (item_id: the checklist item of the plan row)
#   follow_up: 2027-02-01
# An answer can say where it comes from and what happened there:
#   item.id: {value: "no", basis: observed, incident: fell}     (basis: observed | reported;
#   incident: fell | near_miss raises the fix's priority)"""


def template(audit: Audit, library: Library) -> str:
    """A homeaudit/1 file to fill in by hand: every item listed, its question as a comment, and the
    visit report's optional fields as comments.

    Values left empty (``null``) are read back as not assessed, so a half-filled template is a
    valid audit.
    """
    head = {k: v for k, v in audit.to_file_dict().items() if k in ("format", "id", "date", "auditor", "client", "assessment")}
    out = [yaml.safe_dump(head, allow_unicode=True, sort_keys=False, width=100).rstrip(), VISIT_DETAILS_TEMPLATE, "resident:"]
    out += _template_answers(library, RESIDENT_ROOM, audit.resident, indent="  ")
    out.append("rooms:")
    for visit in audit.rooms:
        out.append(f"  - room: {visit.room}")
        if visit.label:
            out.append(f"    label: {json.dumps(visit.label, ensure_ascii=False)}")
        out.append(f"    present: {'true' if visit.present else 'false'}")
        out.append("    answers:")
        out += _template_answers(library, visit.room, visit.answers, indent="      ")
    return "\n".join(out) + "\n"


def _template_answers(library: Library, room: str, answers: dict[str, Answer], indent: str) -> list[str]:
    lines = []
    for item in library.items_of(room):
        given = answers.get(item.id)
        value = "" if given is None or given.value is None else " " + json.dumps(given.to_file(), ensure_ascii=False)
        if item.answer_type == "measurement":
            hint = f"number in {item.unit}; or {{value: N, unit: in}}"
        else:
            hint = " / ".join(item.option_values)
        lines.append(f"{indent}{item.id}:{value}  # {item.question} ({hint})")
    return lines


# --------------------------------------------------------------------------- messages


def _short(text: str, limit: int = 40) -> str:
    """A name from the file, cut short for a message (the file may hold anything at all)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _line(lines: dict[KeyPath, int] | None, path: KeyPath) -> int:
    if not lines:
        return 1
    while path and path not in lines:
        path = path[:-1]
    return lines.get(path, 1)


def _describe(error: ValidationError, source: str, data: dict[str, Any], lines: dict[KeyPath, int] | None) -> str:
    out = []
    for problem in error.errors():
        loc = tuple(problem["loc"])
        # pydantic inserts validator names into the location of Annotated fields; drop them.
        loc = tuple(p for p in loc if not (isinstance(p, str) and ("[" in p or p.startswith("function-"))))
        where = ""
        if loc[:1] == ("rooms",) and len(loc) > 1 and isinstance(loc[1], int):
            rooms = data.get("rooms") or []
            raw = rooms[loc[1]] if loc[1] < len(rooms) and isinstance(rooms[loc[1]], dict) else {}
            where = f"room {loc[1] + 1} ({_short(str(raw.get('label') or raw.get('room', '?')))}): "
            if len(loc) > 3 and loc[2] == "answers":
                where += f"item {loc[3]}: "
                field = ".".join(str(p) for p in loc[4:]) or "value"
            else:
                field = ".".join(str(p) for p in loc[2:])
        elif loc[:1] == ("resident",) and len(loc) > 1:
            where = f"resident: item {loc[1]}: "
            field = ".".join(str(p) for p in loc[2:]) or "value"
        else:
            field = ".".join(str(p) for p in loc)
        message = problem["msg"].removeprefix("Value error, ")
        if problem["type"] == "extra_forbidden":
            message = "unknown field"
        elif problem["type"] in ("model_type", "dict_type"):
            message = "should be a mapping of fields (name: value)"
        what = f"field '{field}': " if field else ""
        out.append(f"{source}:{_line(lines, loc)}: {where}{what}{message}")
    return _joined(out)


#: A refusal lists at most this many problems, then says how many more there are: a file with
#: 60 rooms of 399 unknown answers would otherwise give 24,000 lines.
SHOWN_PROBLEMS = 20
#: Characters a terminal acts on, or that turn a line around (bidirectional controls): a message
#: quotes the file, and shows them as escapes.
_UNSHOWN = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _joined(problems: list[str]) -> str:
    """The problems, one a line: the first :data:`SHOWN_PROBLEMS`, each cut to 500 characters and
    with control characters shown as escapes, then how many more there are."""
    shown = [_UNSHOWN.sub(lambda c: f"\\u{ord(c.group()):04x}", _short(p, 500)) for p in problems[:SHOWN_PROBLEMS]]
    hidden = len(problems) - len(shown)
    if hidden:
        shown.append(f"… and {hidden:,} more problem{'s' if hidden > 1 else ''}")
    return "\n".join(shown)


__all__ = [
    "FORMAT",
    "OBSERVATIONS",
    "OBSERVATION_LABELS",
    "RESIDENT_TITLE",
    "RESIDENT_VISIT",
    "Answer",
    "Assessment",
    "Audit",
    "AuditError",
    "Auditor",
    "Client",
    "Consent",
    "Contact",
    "Declined",
    "ReferredBy",
    "RoomVisit",
    "blank",
    "check",
    "default_id",
    "dumps",
    "load",
    "loads",
    "parse",
    "room_keys",
    "save",
    "slug",
    "template",
    "upgrade",
    "visit_titles",
]
