"""Reading YAML (and JSON) that people wrote by hand: strictly, and with line numbers.

Checklist files and audit files both come from people, so both are read here, once: the text is
parsed a single time, every mapping key's line is remembered for error messages, a key given
twice is an error (the last one silently winning would hide a hazard), aliases are refused (a
tiny file must not expand into a huge one) and every parse failure becomes a
:class:`YamlError` naming the file and line instead of a traceback.

The text is hostile until checked (:mod:`homeaudit.limits`): its size first, then, as libyaml's
event stream is read (without recursion, in one pass that also builds the data), its shape:
nesting deeper than :data:`~homeaudit.limits.MAX_DEPTH`, more than
:data:`~homeaudit.limits.MAX_NODES` values or an alias stop the read at that line. libyaml's own
composer is never used: it recurses in C, and 50,000 nested ``[`` would overflow its stack and
kill the process. A value is text, a number, a date, yes/no or empty, typed as YAML 1.1 types it
(as PyYAML's safe loader does); any other tag is refused, and so is a number or date longer than
:data:`~homeaudit.limits.MAX_NUMBER` characters before it is converted (YAML 1.1's base-60
``1:00:00:…`` takes time that grows with the square of its length: 4.8 MB of it took minutes).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml

from homeaudit import limits

try:  # libyaml's parser is several times faster; fall back to pure Python where it is missing
    _BaseLoader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _BaseLoader = yaml.SafeLoader


class YamlError(ValueError):
    """The text is not valid YAML/JSON for a person to fix; the message names file and line.

    ``shape`` is set when the text broke a limit of :mod:`homeaudit.limits` (then it is not
    tried as JSON either)."""

    def __init__(self, message: str, *, shape: bool = False) -> None:
        super().__init__(message)
        self.shape = shape


#: A key path: ('rooms', 0, 'answers', 'bathroom.grab_bar_toilet').
KeyPath = tuple[str | int, ...]


@dataclass
class Document:
    """Parsed data and the line of every key path in it."""

    data: Any
    lines: dict[KeyPath, int] = field(default_factory=dict)

    def line(self, path: KeyPath) -> int:
        """The line of ``path``, or of its nearest ancestor that has one (1 at worst)."""
        while path and path not in self.lines:
            path = path[:-1]
        return self.lines.get(path, 1)


def parse(text: str, source: str) -> Document:
    """Parse YAML (JSON is YAML, so it reads too, with lines); raise YamlError with file:line.

    JSON that YAML refuses (tab indentation) is read by the JSON parser, without line numbers,
    after the same checks of size and nesting.
    """
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > limits.MAX_AUDIT_BYTES:
        raise YamlError(f"{source}: the file is {size / limits.MB:.1f} MB; the limit is {limits.MAX_AUDIT_BYTES // limits.MB} MB")
    broken = _SURROGATE.search(text)
    if broken:
        line = text.count("\n", 0, broken.start()) + 1
        raise YamlError(f"{source}:{line}: text with a broken character (a lone surrogate, {_escaped(broken.group())})")
    try:
        return _parse_yaml(text, source)
    except YamlError as yaml_error:
        if not text.lstrip().startswith(("{", "[")) or yaml_error.shape:
            raise
        _check_json_depth(text, source)
        try:
            data = json.loads(text, object_pairs_hook=_json_object(source), parse_int=_json_int, parse_float=_json_float)
        except YamlError:
            raise
        except (ValueError, RecursionError):  # JSONDecodeError, and anything else the parser meets
            raise yaml_error from None
        _check_text(data, source)
        return Document(data=data, lines={})


def _line(event: yaml.Event) -> int:
    return event.start_mark.line + 1 if event.start_mark is not None else 1


class _LongNumber(str):
    """A number in JSON text longer than :data:`~homeaudit.limits.MAX_NUMBER` characters, kept
    unconverted until :func:`_check_text` refuses it by its field."""


def _json_int(text: str) -> int | _LongNumber:
    return _LongNumber(text) if len(text) > limits.MAX_NUMBER else int(text)


def _json_float(text: str) -> float | _LongNumber:
    return _LongNumber(text) if len(text) > limits.MAX_NUMBER else float(text)


def _check_text(data: Any, source: str, path: KeyPath = ()) -> None:
    """Refuse a string holding a lone surrogate, or a number that is too long, anywhere in parsed
    JSON (its depth is checked)."""
    if not path and isinstance(data, _LongNumber):
        raise YamlError(_long_number(source, data))
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    for key, value in items:
        where = ".".join(str(p) for p in (*path, key))
        if isinstance(value, _LongNumber):
            raise YamlError(_long_number(f"{source}: field '{where}'", value))
        for text in (key, value):
            if isinstance(text, str) and _SURROGATE.search(text):
                raise YamlError(f"{source}: field '{where}': text with a broken character (a lone surrogate, {_escaped(text)})")
        _check_text(value, source, (*path, key))


def _long_number(where: str, text: str, kind: str = "a number") -> str:
    shown = text if len(text) <= 24 else text[:20] + "…"
    return f"{where}: {shown!r} is {kind} of {len(text):,} characters; the limit is {limits.MAX_NUMBER}"


def _check_json_depth(text: str, source: str) -> None:
    """The nesting of JSON text, strings skipped: refuse it before the JSON parser recurses."""
    depth = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limits.MAX_DEPTH:
                raise YamlError(f"{source}: nested more than {limits.MAX_DEPTH} levels deep")
        elif char in "]}":
            depth -= 1


def _parse_yaml(text: str, source: str) -> Document:
    try:
        return _build(text, source)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"{source}:{mark.line + 1}" if mark else source
        raise YamlError(f"{where}: not valid YAML or JSON: {error.problem or error.context}") from None
    except yaml.YAMLError as error:
        raise YamlError(f"{source}: not valid YAML or JSON: {error}") from None


class _Scalars(yaml.constructor.SafeConstructor):
    """Types scalars as YAML does (dates, numbers, booleans), one node at a time."""


@dataclass
class _Open:
    """A mapping or list being built: where it is, and (in a mapping) the key waiting for its value."""

    value: dict[Any, Any] | list[Any]
    path: KeyPath
    key: Any = None
    has_key: bool = False


def _build(text: str, source: str) -> Document:
    """Plain data from libyaml's event stream in one pass, with an explicit stack instead of
    recursion: nesting, the number of values and aliases are checked as each event arrives, so a
    hostile file stops at the line where it passed a limit and no document is ever composed
    (libyaml's own composer recurses in C: 50,000 nested ``[`` would overflow its stack)."""
    loader = _BaseLoader(text)
    scalars = _Scalars()
    lines: dict[KeyPath, int] = {}
    stack: list[_Open] = []
    root: Any = None
    documents = nodes = 0
    try:
        while True:
            event = loader.get_event()
            if isinstance(event, yaml.StreamEndEvent):
                break
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise YamlError(f"{source}:{_line(event)}: one document per file, and this is a second one")
                continue
            if isinstance(event, yaml.AliasEvent):
                raise YamlError(f"{source}:{_line(event)}: aliases (*name) are not allowed in this file", shape=True)
            if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                done = stack.pop()
                if not stack:
                    root = done.value
                continue
            if not isinstance(event, yaml.NodeEvent):
                continue  # stream and document ends
            nodes += 1
            if nodes > limits.MAX_NODES:
                raise YamlError(f"{source}:{_line(event)}: more than {limits.MAX_NODES:,} values", shape=True)
            parent = stack[-1] if stack else None
            if parent is not None and isinstance(parent.value, dict) and not parent.has_key:
                if not isinstance(event, yaml.ScalarEvent):
                    raise YamlError(f"{source}:{_line(event)}: a key must be a plain word")
                key = _scalar(loader, event, source, scalars)
                if isinstance(key, (list, dict)):  # pragma: no cover - a scalar is never a collection
                    raise YamlError(f"{source}:{_line(event)}: a key must be a plain word")
                if key in parent.value:
                    raise YamlError(f"{source}:{_line(event)}: field '{key}' is given twice")
                parent.key, parent.has_key = key, True
                lines[(*parent.path, key)] = _line(event)
                continue
            path: KeyPath = ()
            if parent is not None:
                path = (*parent.path, parent.key) if isinstance(parent.value, dict) else (*parent.path, len(parent.value))
            lines.setdefault(path, _line(event))
            if isinstance(event, yaml.ScalarEvent):
                value: Any = _scalar(loader, event, source, scalars)
            else:
                if len(stack) >= limits.MAX_DEPTH:
                    raise YamlError(f"{source}:{_line(event)}: nested more than {limits.MAX_DEPTH} levels deep", shape=True)
                value = {} if isinstance(event, yaml.MappingStartEvent) else []
            if parent is None:
                root = value
            elif isinstance(parent.value, dict):
                parent.value[parent.key] = value
                parent.has_key = False
            else:
                parent.value.append(value)
            if not isinstance(event, yaml.ScalarEvent):
                stack.append(_Open(value, path))
    finally:
        loader.dispose()
    if documents == 0 or (root is None and not lines):
        return Document(data=None, lines={})
    return Document(data=root, lines=lines)


#: What a value in a file may be, by its YAML tag: text, a number, a date, yes/no or empty (no
#: binary, no sets, no Python objects, no tags of one's own).
_KINDS: dict[str, str] = {
    "tag:yaml.org,2002:str": "text",
    "tag:yaml.org,2002:int": "a number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:bool": "a yes/no",
    "tag:yaml.org,2002:null": "an empty value",
    "tag:yaml.org,2002:timestamp": "a date",
}
_TEXT = "tag:yaml.org,2002:str"


def _scalar(loader: Any, event: yaml.ScalarEvent, source: str, scalars: _Scalars) -> Any:
    """One scalar, typed as YAML types it (dates, numbers, booleans); a bad one names its line.

    Only the types of :data:`_KINDS` are read, and anything but text is refused when it is longer
    than :data:`~homeaudit.limits.MAX_NUMBER` characters, before it is converted."""
    where = f"{source}:{_line(event)}"
    given = event.tag
    tag: str = given if given is not None and given != "!" else loader.resolve(yaml.ScalarNode, event.value, event.implicit)
    kind = _KINDS.get(tag)
    if kind is None:
        if given is not None and given != "!":
            shown = given.replace("tag:yaml.org,2002:", "!!")
            raise YamlError(f"{where}: the tag {shown!r} is not allowed: a value is text, a number, a date, yes/no or empty")
        raise YamlError(f"{where}: {event.value[:80]!r} has a meaning of its own in YAML; put it in quotes")
    if tag != _TEXT and len(event.value) > limits.MAX_NUMBER:
        raise YamlError(_long_number(where, event.value, kind), shape=True)
    node = yaml.ScalarNode(tag, event.value, None, None, style=event.style)  # messages name the line themselves
    try:
        value = scalars.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError, OverflowError) as error:
        message = getattr(error, "problem", None) or str(error)
        raise YamlError(f"{where}: cannot read {event.value[:80]!r}: {message}") from None
    except (LookupError, AttributeError, TypeError):  # PyYAML's own slips on an explicit tag: !!bool maybe, !!int ''
        raise YamlError(f"{where}: cannot read {event.value[:80]!r}: not {kind}") from None
    if isinstance(value, str) and _SURROGATE.search(value):
        raise YamlError(f"{where}: text with a broken character (a lone surrogate, {_escaped(value)})")
    return value


#: A lone UTF-16 surrogate: valid in a JSON or YAML escape, but not a character any file, database
#: or PDF can hold.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _escaped(text: str) -> str:
    found = _SURROGATE.search(text)
    return f"\\u{ord(found.group()):04x}" if found else ""


def _json_object(source: str) -> Callable[[list[tuple[str, Any]]], dict[str, Any]]:
    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in pairs:
            if key in out:
                raise YamlError(f"{source}: field '{key}' is given twice")
            out[key] = value
        return out

    return hook
