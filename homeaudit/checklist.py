"""The checklist library: rooms, items, their sources and the interventions, loaded from YAML.

The library is data kept in ``checklists/*.yaml``: one file per room, ``resident.yaml`` for the
questions about the person, ``references.yaml`` with every source in full (items cite them by
key), ``interventions.yaml`` with what the answers about the person call for (the CDC STEADI
interventions: a medicine review, a strength and balance programme, …) and ``habits.yaml`` with
the daily habits the report advises, each with its sources and the answers that select it.
Audits refer to item ids, so an id never changes once released; everything else about an item
(wording, severity, sources) may be improved. An item that takes over a released one names it in
``replaces`` and old audits' answers are read into it (:func:`homeaudit.audit.upgrade`). An OT can
add a directory of their own whose files add items to a room, add new rooms, override a bundled
item by reusing its id, and add references, interventions and habits.

Validation is done with pydantic, but its errors are rewritten into one line per problem that
names the file, the line, the item id and the field, because the people who edit these files
are clinicians, not Python programmers.
"""

from __future__ import annotations

import os
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    ValidationError,
    model_validator,
)

from homeaudit import limits, yaml_source
from homeaudit.units import DIMENSIONS, dimension_of, normalise_unit
from homeaudit.words import Cost, Referral, Urgency, Who

#: The closed set of topics. Defined here and nowhere else.
Topic = Literal[
    "lighting",
    "rugs_floors",
    "grab_bars",
    "chairs_seating",
    "screen_height",
    "sleeping_posture",
    "stairs",
    "reaching_bending",
    "footwear",
    "clutter",
    "emergency",
    "health",
]
TOPICS: tuple[str, ...] = get_args(Topic)

TOPIC_LABELS: dict[str, str] = {
    "lighting": "Lighting",
    "rugs_floors": "Rugs and floors",
    "grab_bars": "Grab bars",
    "chairs_seating": "Chairs and seating",
    "screen_height": "Screen height",
    "sleeping_posture": "Sleeping posture",
    "stairs": "Stairs and steps",
    "reaching_bending": "Reaching and bending",
    "footwear": "Footwear",
    "clutter": "Clutter and paths",
    "emergency": "Getting help",
    "health": "Health and daily habits",
}

AnswerType = Literal["yes_no", "choice", "measurement"]

#: Why an item matters, which sets its place in the action plan (docs/scoring.md).
Evidence = Literal["structural", "common_fix", "bone_back", "general"]

#: What kind of source a reference is. A ``consumer`` article (a health website, a magazine) may
#: back an item up, but is never its only source.
ReferenceKind = Literal["standard", "code", "trial", "review", "guideline", "instrument", "government", "consumer"]

#: What a resident item feeds: the CDC Stay Independent screen, a bone-health risk factor,
#: a warning sign that means "see a doctor", or a condition that changes how hazards rank.
#: ``habit`` is how the person moves and dresses day to day (footwear, sleeping position): asked
#: once for the person, not once per room.
#: ``body`` is a measurement of the person (knee height) that other items are judged against.
#: ``living`` is how the person lives (alone or not): not a health condition, but it calls for
#: help that reaches them after a fall.
Screen = Literal["steadi", "risk_factor", "warning_sign", "condition", "living", "habit", "body"]
SCREENS: tuple[str, ...] = get_args(Screen)
SCREEN_LABELS: dict[str, str] = {
    "steadi": "Falls and balance (CDC Stay Independent)",
    "warning_sign": "Signs to tell a doctor about",
    "condition": "Health conditions",
    "living": "Living situation",
    "risk_factor": "Bone health",
    "habit": "Daily habits",
    "body": "Measurements of the person",
}

YES_NO_OPTIONS: tuple[str, ...] = ("yes", "no", "na")
RESIDENT_ROOM = "resident"
#: The resident items that scoring and the report name (an OT's own library may leave them out).
FALL_ITEM = "resident.fallen_past_year"
OSTEOPOROSIS_ITEM = "resident.osteoporosis"
BACK_PAIN_ITEM = "resident.back_pain"
LOW_VISION_ITEM = "resident.low_vision"
#: Where the person fell (a choice whose options are room ids): that room's fixes come first.
FALL_PLACE_ITEM = "resident.fall_where"
#: The person's knee height: chair, toilet and bed heights are judged against it where known.
KNEE_HEIGHT_ITEM = "resident.knee_height"

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
ItemId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")]
RoomId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
RefKey = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*$")]
#: A citation: a reference key, then optionally where in it ("ada-2010 609.4", "keall-2015").
Citation = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[a-z][a-z0-9-]*( .+)?$")]
InterventionId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]


def _yes_no_words(values: object) -> object:
    """YAML reads a bare ``[yes]`` as ``[True]``; an author means the word."""
    if isinstance(values, (list, tuple)):
        return [("yes" if v else "no") if isinstance(v, bool) else v for v in values]
    return values


class ChecklistError(ValueError):
    """A checklist file is broken; the message names the file, line, item and field."""


def cited_key(citation: str) -> str:
    """The reference key of a citation ('ada-2010 609.4' -> 'ada-2010')."""
    return citation.split(" ", 1)[0]


class Reference(BaseModel):
    """One source in full: who, when, what, published by whom. Items cite it by ``key``."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    key: RefKey
    authors: Text
    year: int | None = None  # an undated web page
    title: Text
    organisation: Text
    kind: ReferenceKind
    url: str = ""

    def full(self, pinpoint: str = "") -> str:
        """'U.S. Department of Justice (2010). 2010 ADA Standards for Accessible Design, 609.4.
        U.S. Department of Justice.' The organisation is left out when it is the author."""
        where = f", {pinpoint}" if pinpoint else ""
        publisher = "" if self.organisation == self.authors else f" {self.organisation}."
        return f"{self.authors} ({self.year or 'n.d.'}). {self.title}{where}.{publisher}"


class Option(BaseModel):
    """One named answer of a choice item; a hazard option may say its own fix ("Lower the
    screen" for a screen above eye level, "Raise it" for one below)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    value: Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]+$")]
    label: Text
    action: Text | None = None


class Item(BaseModel):
    """One question of the checklist, with everything needed to act on a hazardous answer."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: ItemId
    room: RoomId = ""
    topic: Topic
    question: Text
    help: Text
    answer_type: AnswerType
    options: tuple[Option, ...] = ()
    hazard_options: Annotated[tuple[str, ...], BeforeValidator(_yes_no_words)] = ()
    unit: str | None = None
    range: tuple[float | None, float | None] | None = None
    plausible: tuple[float, float] | None = None
    hazard: Text
    severity: Annotated[int, Field(ge=1, le=3)]
    evidence: Evidence = "general"
    fall_hazard: bool = True
    action: str | None = None
    #: The action as an OT's own report words it, where ``action`` tells a family to ask an OT.
    ot_action: Text | None = None
    who: Who
    cost: Cost
    #: Free-text source, for an OT's own items; the bundled items cite ``source_refs``.
    source: Text | None = None
    source_refs: tuple[Citation, ...] = ()
    #: The unit the range is written in, the one its source uses ("in" for ADA grab bars); the
    #: default is ``unit``, the unit the question is asked in.
    range_unit: str | None = None
    #: For a height that should fit the person (toilet seat, bed, chair): the safe range as
    #: offsets from the person's knee height (:data:`KNEE_HEIGHT_ITEM`), in ``range_unit``.
    #: ``range`` stays the fallback when the knee height was not measured.
    knee_range: tuple[float, float] | None = None
    #: Why the fix matters, in a sentence the person can believe (belief gets fixes done).
    why: Text | None = None
    #: What an installer or a funder needs to quote the fix from the plan (sizes, standard).
    spec: Text | None = None
    #: Released ids of items this one takes over: their answers in old audits are read into it.
    replaces: tuple[ItemId, ...] = ()
    #: For a question about the person: the intervention a "yes" calls for (interventions.yaml).
    intervention: InterventionId | None = None
    #: The service an occupational therapist refers to when this is a hazard.
    referral: Referral | None = None
    #: For a warning sign that cannot wait: ``today`` (the red flags of back pain). The plan dates
    #: it on the audit date and says "today"; the other warning signs are for this week.
    urgency: Urgency | None = None
    #: An intervention whose row takes this hazard in when the answers about the person call for
    #: it: "no phone within reach of the bed" is part of a personal alarm's row, not a row of its
    #: own, for someone who lives alone.
    covered_by: InterventionId | None = None
    screen: Screen | None = None
    steadi_points: Annotated[int, Field(ge=0, le=2)] = 0
    #: A fact about the person that no fix changes (over 50, osteoporosis, a fall in the past
    #: year): never "fixed" or "still to do" when two visits are compared, only new about the
    #: person when it was "no" last time (:mod:`homeaudit.compare`).
    fact: bool = False

    @property
    def citations(self) -> tuple[str, ...]:
        """Where this item comes from: its cited references, or its free-text source."""
        return self.source_refs or ((self.source,) if self.source else ())

    @model_validator(mode="after")
    def _answer_shape(self) -> Item:
        if self.fact and self.screen is None:
            raise ValueError("fact: only a question about the person (resident.yaml) is a fact about them")
        if self.answer_type == "yes_no":
            if self.options:
                raise ValueError("options: a yes_no item takes no options (they are yes, no, na)")
            hazards = self.hazard_options or ("no",)
            bad = set(hazards) - {"yes", "no"}
            if bad:
                raise ValueError(f"hazard_options: {sorted(bad)} is not yes or no")
            object.__setattr__(self, "hazard_options", tuple(hazards))
        elif self.answer_type == "choice":
            if len(self.options) < 2:
                raise ValueError("options: a choice item needs at least two options")
            values = [o.value for o in self.options]
            if len(set(values)) != len(values):
                raise ValueError("options: two options share a value")
            if not self.hazard_options and self.screen is None:  # a question about the person may record a fact
                raise ValueError("hazard_options: say which options are hazards")
            bad = set(self.hazard_options) - set(values)
            if bad:
                raise ValueError(f"hazard_options: {sorted(bad)} not among the options {values}")
        else:
            if self.unit is None:
                raise ValueError("unit: a measurement item needs a unit (cm, mm, in, lux)")
            try:
                dimension_of(self.unit)
            except KeyError:
                raise ValueError(f"unit: unknown unit {self.unit!r}; use one of {sorted(_all_units())}") from None
            if self.screen == "body":
                if self.range is not None:
                    raise ValueError("range: a measurement of the person has no safe range")
            elif self.range is None or (self.range[0] is None and self.range[1] is None):
                raise ValueError("range: a measurement item needs its safe range [min, max]")
            low, high = self.range or (None, None)
            if low is not None and high is not None and low > high:
                raise ValueError("range: min is above max")
            if self.knee_range is not None and self.knee_range[0] > self.knee_range[1]:
                raise ValueError("knee_range: min is above max")
            range_unit = normalise_unit(self.range_unit or self.unit)
            try:
                same = dimension_of(range_unit) == dimension_of(self.unit)
            except KeyError:
                raise ValueError(f"range_unit: unknown unit {self.range_unit!r}; use one of {sorted(_all_units())}") from None
            if not same:
                raise ValueError(f"range_unit: {self.range_unit!r} does not measure what {self.unit!r} measures")
            object.__setattr__(self, "range_unit", range_unit)
            if self.plausible is None:
                object.__setattr__(self, "plausible", DIMENSIONS[dimension_of(self.unit)].plausible_in(self.unit))
        if self.answer_type != "measurement" and (self.unit or self.range or self.range_unit or self.knee_range):
            raise ValueError("unit/range: only measurement items have a unit and a range")
        if self.screen is None and not self.action:
            raise ValueError("action: say what to do when the answer is a hazard")
        if not self.source and not self.source_refs:
            raise ValueError("source_refs: say where this item comes from (reference keys, or a source text)")
        if self.intervention and self.screen is None:
            raise ValueError("intervention: only questions about the person call for an intervention")
        if self.steadi_points and self.screen != "steadi":
            raise ValueError("steadi_points: only items with screen: steadi carry points")
        if self.urgency and self.screen != "warning_sign":
            raise ValueError("urgency: only a warning sign (screen: warning_sign) has an urgency")
        return self

    @property
    def option_values(self) -> tuple[str, ...]:
        """The allowed answer values (what an audit file may hold for this item)."""
        if self.answer_type == "yes_no":
            return YES_NO_OPTIONS
        if self.answer_type == "choice":
            return (*(o.value for o in self.options), "na")
        return ()

    def option_label(self, value: str) -> str:
        """The words shown for an answer value."""
        for option in self.options:
            if option.value == value:
                return option.label
        return {"yes": "Yes", "no": "No", "na": "Not applicable"}.get(value, value)

    def to_public_dict(self) -> dict[str, Any]:
        """The item as `homeaudit checklist --format json` prints it: a stable public shape."""
        return {
            "id": self.id,
            "room": self.room,
            "topic": self.topic,
            "question": self.question,
            "help": self.help,
            "answer_type": self.answer_type,
            "options": list(self.option_values),
            "option_labels": {o.value: o.label for o in self.options},
            "hazard_options": list(self.hazard_options),
            "unit": self.unit,
            "range": list(self.range) if self.range else None,
            "range_unit": self.range_unit,
            "knee_range": list(self.knee_range) if self.knee_range else None,
            "hazard": self.hazard,
            "severity": self.severity,
            "evidence": self.evidence,
            "fall_hazard": self.fall_hazard,
            "action": self.action,
            "ot_action": self.ot_action,
            "who": self.who,
            "cost": self.cost,
            "source": self.source,
            "source_refs": list(self.source_refs),
            "why": self.why,
            "spec": self.spec,
            "replaces": list(self.replaces),
            "intervention": self.intervention,
            "referral": self.referral,
            "urgency": self.urgency,
            "covered_by": self.covered_by,
            "screen": self.screen,
            "steadi_points": self.steadi_points,
        }


def _all_units() -> set[str]:
    return {u for d in DIMENSIONS.values() for u in d.units}


class Intervention(BaseModel):
    """What answers about the person call for (a medicine review, a strength and balance
    programme, …): one row of the plan however many answers call for it."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: InterventionId
    title: Text
    topic: Topic = "health"
    action: Text
    why: Text | None = None
    who: Who
    cost: Cost
    severity: Annotated[int, Field(ge=1, le=3)]
    evidence: Evidence = "general"
    fall_hazard: bool = True
    referral: Referral | None = None
    #: For a person at higher risk of falling, one of the steps the trials rest on (exercise, a
    #: medicine review, a falls check, an alarm for someone alone): ranked at least as high as
    #: the occupational therapist's visit, and never later than "Soon" (docs/scoring.md).
    first_when_at_risk: bool = False
    source_refs: tuple[Citation, ...] = Field(min_length=1)
    #: Where each field is ("file:line"), for messages about links between files.
    _where: dict[str, str] = PrivateAttr(default_factory=dict)


class HabitWhen(BaseModel):
    """What selects a daily habit: any one of these (a rule with nothing in it selects nothing)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    #: Questions answered as a hazard: a condition or risk factor answered yes, a habit that is one.
    hazards: tuple[ItemId, ...] = ()
    #: A hazard of one of these topics anywhere: in a room, or in the person's own habits.
    topics: tuple[Topic, ...] = ()
    #: The falls screen shows a higher risk of falling.
    at_risk: bool = False

    def matches(self, hazards: AbstractSet[str], topics: AbstractSet[str], at_risk: bool) -> bool:
        return bool(set(self.hazards) & hazards or set(self.topics) & topics or (self.at_risk and at_risk))


class Habit(BaseModel):
    """Daily advice for the person (bend at the hips and knees; shoes indoors), shown in the report
    when the answers make it fit (``when``) and none of ``unless`` holds, with its sources."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: InterventionId
    title: Text
    advice: Text
    why: Text
    when: HabitWhen
    unless: HabitWhen = HabitWhen()
    source_refs: tuple[Citation, ...] = Field(min_length=1)
    _where: dict[str, str] = PrivateAttr(default_factory=dict)

    def fits(self, hazards: AbstractSet[str], topics: AbstractSet[str], at_risk: bool) -> bool:
        """Whether this habit fits a person: the item ids answered as a hazard, the topics with a
        hazard (home and person), and whether the falls screen shows a higher risk."""
        return self.when.matches(hazards, topics, at_risk) and not self.unless.matches(hazards, topics, at_risk)


class Room(BaseModel):
    """A kind of room (bathroom, stairs, …) and its items, in the order they are asked."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    room: RoomId
    #: name and order may be left out by a file that only adds items to a room defined elsewhere
    name: Text | None = None
    order: int | None = None
    description: str = ""
    items: tuple[Item, ...] = ()
    #: Where each item's fields are: {item id: {field: "file:line"}}, for messages about links
    #: between files (a cited reference that does not exist).
    _where: dict[str, dict[str, str]] = PrivateAttr(default_factory=dict)


@dataclass(frozen=True)
class Parts:
    """What one checklist directory holds, before it is merged with the others."""

    rooms: list[Room] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    interventions: list[Intervention] = field(default_factory=list)
    habits: list[Habit] = field(default_factory=list)


@dataclass(frozen=True, eq=False)
class Library:
    """The whole checklist: rooms in walking order, an index of items by id, the references they
    cite and the interventions the answers about the person call for."""

    rooms: tuple[Room, ...]
    items: dict[str, Item] = field(default_factory=dict)
    sources: tuple[str, ...] = ()
    references: dict[str, Reference] = field(default_factory=dict)
    interventions: dict[str, Intervention] = field(default_factory=dict)
    #: A released id that an item took over -> the id of that item.
    replaced: dict[str, str] = field(default_factory=dict)
    #: The daily habits the report may advise, in the order they are listed.
    habits: dict[str, Habit] = field(default_factory=dict)

    def sources_of(self, citations: tuple[str, ...]) -> list[str]:
        """Citations in full: a reference key becomes its full reference (with any pinpoint);
        free text stays as it is."""
        out = []
        for citation in citations:
            key, _, pinpoint = citation.partition(" ")
            reference = self.references.get(key)
            out.append(reference.full(pinpoint) if reference else citation)
        return out

    def room(self, room_id: str) -> Room:
        """The room with this id; KeyError if the library has none."""
        for room in self.rooms:
            if room.room == room_id:
                return room
        raise KeyError(room_id)

    @property
    def room_ids(self) -> tuple[str, ...]:
        return tuple(r.room for r in self.rooms)

    @property
    def home_rooms(self) -> tuple[Room, ...]:
        """Every room but the resident section, in walking order."""
        return tuple(r for r in self.rooms if r.room != RESIDENT_ROOM)

    def items_of(self, room_id: str) -> tuple[Item, ...]:
        """The items of one room, in the order they are asked."""
        return self.room(room_id).items

    def room_name(self, room_id: str) -> str:
        """The room's name for people ('Living room'); the id made readable if it is unknown."""
        try:
            name = self.room(room_id).name
        except KeyError:
            name = None
        return name or room_id.replace("_", " ").capitalize()


def bundled_dir() -> Path:
    """The bundled YAML: package ``homeaudit.checklists``, the repository's ``checklists/`` folder."""
    try:
        directory = resources.files("homeaudit.checklists")
    except ModuleNotFoundError:
        raise ChecklistError("homeaudit.checklists is not installed; run: pip install -e .") from None
    if not isinstance(directory, Path):  # a zip import: the loader reads a folder on disk
        raise ChecklistError(f"{directory}: the bundled checklists are not a folder on disk")
    return directory


def load(extra: str | os.PathLike[str] | None = None, *, base: str | os.PathLike[str] | None = None) -> Library:
    """Load the bundled library, then the OT's own directory on top of it.

    ``extra`` defaults to the ``HOMEAUDIT_CHECKLISTS`` environment variable. Items in the extra
    directory with an id that already exists replace the bundled item; new ids are added to the
    room named by their file; new room files add rooms.
    """
    if extra is None:
        extra = os.environ.get("HOMEAUDIT_CHECKLISTS") or None
    dirs = [Path(base) if base else bundled_dir()]
    if extra:
        extra_path = Path(extra)
        if not extra_path.is_dir():
            raise ChecklistError(f"{extra_path}: checklist directory not found")
        dirs.append(extra_path)
    parts = [load_dir(d) for d in dirs]
    return merge_rooms(
        [room for part in parts for room in part.rooms],
        sources=[str(d) for d in dirs],
        references=[ref for part in parts for ref in part.references],
        interventions=[i for part in parts for i in part.interventions],
        habits=[h for part in parts for h in part.habits],
    )


#: The files of a checklist directory that are not rooms.
REFERENCES_FILE = "references.yaml"
INTERVENTIONS_FILE = "interventions.yaml"
HABITS_FILE = "habits.yaml"


def load_dir(directory: str | os.PathLike[str]) -> Parts:
    """Every ``*.yaml`` file of one directory, validated; all problems reported at once."""
    directory = Path(directory)
    files = sorted(directory.glob("*.yaml")) + sorted(directory.glob("*.yml"))
    if not files:
        raise ChecklistError(f"{directory}: no checklist files (*.yaml) found")
    parts, problems = Parts(), []
    for path in files:
        try:
            if path.name == REFERENCES_FILE:
                parts.references.extend(parse_references(_read(path), str(path)))
            elif path.name == INTERVENTIONS_FILE:
                parts.interventions.extend(parse_interventions(_read(path), str(path)))
            elif path.name == HABITS_FILE:
                parts.habits.extend(parse_habits(_read(path), str(path)))
            else:
                parts.rooms.append(load_file(path))
        except ChecklistError as error:
            problems.append(str(error))
    if problems:
        raise ChecklistError("\n".join(problems))
    return parts


def _read(path: Path) -> str:
    """A checklist file, which may come from another practice: a regular file within the audit
    file's size limit, checked before it is read (the YAML reader then limits depth and aliases)."""
    try:
        return limits.read_file(path, limits.MAX_AUDIT_BYTES).decode("utf-8")
    except limits.FileRefused as error:
        raise ChecklistError(str(error)) from None
    except UnicodeDecodeError as error:
        raise ChecklistError(f"{path}: not UTF-8 text (byte {error.start})") from None


def load_file(path: str | os.PathLike[str]) -> Room:
    """One room file. The error names file, line, item id and field for every problem found."""
    path = Path(path)
    return parse_room(_read(path), str(path))


def parse_references(text: str, filename: str = "<references>") -> list[Reference]:
    """The references file: ``references:`` a list of full references, each with a ``key``."""
    _, entries = _entries(text, filename, "references", Reference)
    return [Reference.model_validate(raw) for raw in entries]


def parse_interventions(text: str, filename: str = "<interventions>") -> list[Intervention]:
    """The interventions file: ``interventions:`` a list, each with an ``id`` the questions name."""
    document, entries = _entries(text, filename, "interventions", Intervention)
    out = []
    for index, raw in enumerate(entries):
        intervention = Intervention.model_validate(raw)
        intervention._where.update({key: f"{filename}:{document.line(('interventions', index, key))}" for key in raw})
        out.append(intervention)
    return out


def parse_habits(text: str, filename: str = "<habits>") -> list[Habit]:
    """The habits file: ``habits:`` a list, each with an ``id``, its advice, the answers that
    select it and its sources."""
    document, entries = _entries(text, filename, "habits", Habit)
    out = []
    for index, raw in enumerate(entries):
        habit = Habit.model_validate(raw)
        habit._where.update({key: f"{filename}:{document.line(('habits', index, key))}" for key in raw})
        out.append(habit)
    return out


def _entries(text: str, filename: str, key: str, model: type[BaseModel]) -> tuple[yaml_source.Document, list[dict[str, Any]]]:
    """The list under ``key``, each entry checked against ``model`` (errors name file and line)."""
    try:
        document = yaml_source.parse(text, filename)
    except yaml_source.YamlError as error:
        raise ChecklistError(str(error)) from None
    data = document.data
    if not isinstance(data, dict) or not isinstance(data.get(key), list):
        raise ChecklistError(f"{filename}:1: this file is a mapping with a list under '{key}:'")
    problems = []
    for index, raw in enumerate(data[key]):
        name = raw.get("key") or raw.get("id") if isinstance(raw, dict) else None
        try:
            model.model_validate(raw)
        except ValidationError as error:
            for problem in error.errors():
                field_name = ".".join(str(p) for p in problem["loc"]) or "?"
                line = document.line((key, index, *problem["loc"][:1]))
                message = problem["msg"].removeprefix("Value error, ")
                problems.append(f"{filename}:{line}: {key[:-1]} {name or f'#{index + 1}'}: field '{field_name}': {message}")
    if problems:
        raise ChecklistError("\n".join(problems))
    return document, list(data[key])


def parse_room(text: str, filename: str = "<checklist>") -> Room:
    """Parse and validate one room's YAML text; ``filename`` is only used in messages."""
    try:
        document = yaml_source.parse(text, filename)
    except yaml_source.YamlError as error:
        raise ChecklistError(str(error)) from None
    data = document.data
    if not isinstance(data, dict):
        raise ChecklistError(f"{filename}:1: a checklist file is a mapping with room, name and items")
    item_lines = _item_lines(document)
    room_id = data.get("room")
    raw_items = data.get("items") or []
    if isinstance(raw_items, list):
        for raw in raw_items:
            if isinstance(raw, dict) and "room" not in raw and isinstance(room_id, str):
                raw["room"] = room_id
    try:
        room = Room.model_validate(data)
    except ValidationError as error:
        raise ChecklistError(_describe(error, filename, data, item_lines)) from None
    for index, item in enumerate(room.items):
        if index < len(item_lines):
            lines = item_lines[index]
            room._where[item.id] = {name: f"{filename}:{line}" for name, line in lines.fields.items()}
            room._where[item.id][""] = f"{filename}:{int(lines)}"
    problems = []
    seen: set[str] = set()
    for index, item in enumerate(room.items):
        line = item_lines[index] if index < len(item_lines) else 1
        if item.room != room.room:
            problems.append(
                f"{filename}:{line}: item {item.id}: field 'room': {item.room!r} is not this file's room {room.room!r}"
            )
        if not item.id.startswith(room.room + "."):
            problems.append(f"{filename}:{line}: item {item.id}: field 'id': must start with the room id '{room.room}.'")
        if item.id in seen:
            problems.append(f"{filename}:{line}: item {item.id}: field 'id': used twice in this file")
        seen.add(item.id)
        if (item.room == RESIDENT_ROOM) != (item.screen is not None):
            problems.append(
                f"{filename}:{line}: item {item.id}: field 'screen': resident items need a screen "
                f"({', '.join(SCREENS)}) and only they may have one"
            )
    if problems:
        raise ChecklistError("\n".join(problems))
    return room


class _Lines(int):
    """The line an item starts on, that also knows the line of each of its fields."""

    fields: dict[str, int]

    def of(self, field: str) -> int:
        return self.fields.get(field.split(".")[0], int(self))


def _item_lines(document: yaml_source.Document) -> list[_Lines]:
    """For each entry of the top-level ``items`` list: its 1-based start line and field lines."""
    items = document.data.get("items") if isinstance(document.data, dict) else None
    out = []
    for index, raw in enumerate(items if isinstance(items, list) else []):
        lines = _Lines(document.line(("items", index)))
        lines.fields = {key: document.line(("items", index, key)) for key in raw} if isinstance(raw, dict) else {}
        out.append(lines)
    return out


def _describe(error: ValidationError, filename: str, data: dict[str, Any], item_lines: list[_Lines]) -> str:
    lines = []
    given = data.get("items")
    raw_items: list[Any] = given if isinstance(given, list) else []
    for problem in error.errors():
        loc = list(problem["loc"])
        message = problem["msg"]
        if loc[:1] == ["items"] and len(loc) >= 2 and isinstance(loc[1], int):
            index = loc[1]
            raw = raw_items[index] if index < len(raw_items) else {}
            item_id = raw.get("id", f"#{index + 1}") if isinstance(raw, dict) else f"#{index + 1}"
            fields = ".".join(str(p) for p in loc[2:])
            if not fields and message.startswith("Value error, "):
                fields, _, message = message.removeprefix("Value error, ").partition(": ")
            else:
                message = message.removeprefix("Value error, ")
            line = item_lines[index].of(fields.split("/")[0]) if index < len(item_lines) else 1
            lines.append(f"{filename}:{line}: item {item_id}: field '{fields or '?'}': {message}")
        else:
            fields = ".".join(str(p) for p in loc) or "?"
            lines.append(f"{filename}:1: field '{fields}': {message}")
    return "\n".join(lines)


def merge_rooms(
    rooms: list[Room],
    sources: list[str] | None = None,
    references: list[Reference] | None = None,
    interventions: list[Intervention] | None = None,
    habits: list[Habit] | None = None,
) -> Library:
    """Combine rooms from several files: later files add items and override same-id items.

    A later file's name, order and description replace the earlier ones only where it gives them,
    so an OT's file that adds one item to the bathroom keeps the bathroom where it was. Links
    between files are checked last: every cited reference and named intervention must exist, and
    a released id may be taken over by one item only.
    """
    merged: dict[str, dict[str, Any]] = {}
    where: dict[str, dict[str, str]] = {}
    for room in rooms:
        entry = merged.setdefault(room.room, {"name": None, "order": None, "description": "", "items": {}})
        for key in ("name", "order", "description"):
            if getattr(room, key) not in (None, ""):  # order 0 is an order (the resident comes first)
                entry[key] = getattr(room, key)
        for item in room.items:
            entry["items"][item.id] = item
        where.update(room._where)
    built = sorted(
        (
            Room(
                room=room_id,
                name=e["name"] or room_id.replace("_", " ").capitalize(),
                order=100 if e["order"] is None else e["order"],
                description=e["description"],
                items=tuple(e["items"].values()),
            )
            for room_id, e in merged.items()
        ),
        key=lambda r: (r.order, r.room),
    )
    items: dict[str, Item] = {}
    for room in built:
        for item in room.items:
            if item.id in items:
                raise ChecklistError(f"item {item.id}: defined in two rooms ({items[item.id].room}, {room.room})")
            items[item.id] = item
    library = Library(
        rooms=tuple(built),
        items=items,
        sources=tuple(sources or ()),
        references={r.key: r for r in references or ()},
        interventions={i.id: i for i in interventions or ()},
        replaced={old: item.id for item in items.values() for old in item.replaces},
        habits={h.id: h for h in habits or ()},
    )
    problems = _broken_links(library, where)
    if problems:
        raise ChecklistError("\n".join(problems))
    return library


def _broken_links(library: Library, where: dict[str, dict[str, str]]) -> list[str]:
    """Citations, interventions and taken-over ids that point nowhere, or twice, with file:line."""
    problems = []

    def at(item_id: str, field_name: str) -> str:
        place = where.get(item_id, {})
        return place.get(field_name) or place.get("") or "<checklist>"

    taken: dict[str, str] = {}
    for item in library.items.values():
        for citation in item.source_refs:
            if cited_key(citation) not in library.references:
                problems.append(
                    f"{at(item.id, 'source_refs')}: item {item.id}: field 'source_refs': unknown reference "
                    f"{cited_key(citation)!r} (add it to {REFERENCES_FILE})"
                )
        for name in ("intervention", "covered_by"):
            named = getattr(item, name)
            if named and named not in library.interventions:
                problems.append(
                    f"{at(item.id, name)}: item {item.id}: field '{name}': unknown intervention "
                    f"{named!r} (add it to {INTERVENTIONS_FILE})"
                )
        for old in item.replaces:
            if old in library.items:
                problems.append(f"{at(item.id, 'replaces')}: item {item.id}: field 'replaces': {old} is still an item")
            elif old in taken and taken[old] != item.id:
                problems.append(
                    f"{at(item.id, 'replaces')}: item {item.id}: field 'replaces': {old} is already taken over by {taken[old]}"
                )
            taken[old] = item.id
    for intervention in library.interventions.values():
        for citation in intervention.source_refs:
            if cited_key(citation) not in library.references:
                place = intervention._where.get("source_refs", INTERVENTIONS_FILE)
                problems.append(
                    f"{place}: intervention {intervention.id}: field 'source_refs': unknown reference {cited_key(citation)!r}"
                )
    for habit in library.habits.values():
        for citation in habit.source_refs:
            if cited_key(citation) not in library.references:
                place = habit._where.get("source_refs", HABITS_FILE)
                problems.append(f"{place}: habit {habit.id}: field 'source_refs': unknown reference {cited_key(citation)!r}")
        for rule in ("when", "unless"):
            for item_id in getattr(habit, rule).hazards:
                if item_id not in library.items:
                    place = habit._where.get(rule, HABITS_FILE)
                    problems.append(f"{place}: habit {habit.id}: field '{rule}.hazards': unknown item {item_id!r}")
    return problems


__all__ = [
    "BACK_PAIN_ITEM",
    "FALL_ITEM",
    "FALL_PLACE_ITEM",
    "HABITS_FILE",
    "INTERVENTIONS_FILE",
    "KNEE_HEIGHT_ITEM",
    "LOW_VISION_ITEM",
    "OSTEOPOROSIS_ITEM",
    "REFERENCES_FILE",
    "RESIDENT_ROOM",
    "SCREENS",
    "SCREEN_LABELS",
    "TOPICS",
    "TOPIC_LABELS",
    "YES_NO_OPTIONS",
    "ChecklistError",
    "Habit",
    "HabitWhen",
    "Intervention",
    "Item",
    "Library",
    "Option",
    "Parts",
    "Reference",
    "Room",
    "bundled_dir",
    "cited_key",
    "load",
    "load_dir",
    "load_file",
    "merge_rooms",
    "parse_habits",
    "parse_interventions",
    "parse_references",
    "parse_room",
]
