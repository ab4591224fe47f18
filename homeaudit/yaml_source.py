"""Reading YAML (and JSON) that people wrote by hand: strictly, and with line numbers.

Checklist files and audit files both come from people, so both are read here, once: the text is
parsed a single time, every mapping key's line is remembered for error messages, a key given
twice is an error (the last one silently winning would hide a hazard), aliases are refused (a
tiny file must not expand into a huge one) and every parse failure becomes a
:class:`YamlError` naming the file and line instead of a traceback.

The text is hostile until checked (:mod:`homeaudit.limits`): its size first, then its shape from
libyaml's event stream, which is read without recursion: nesting deeper than
:data:`~homeaudit.limits.MAX_DEPTH`, more than :data:`~homeaudit.limits.MAX_NODES` values or an
alias stop the read before anything is built. Only then is the document composed (libyaml's
composer recurses in C: 50,000 nested ``[`` would overflow its stack and kill the process).
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
            data = json.loads(text, object_pairs_hook=_json_object(source))
        except (json.JSONDecodeError, RecursionError):
            raise yaml_error from None
        _check_text(data, source)
        return Document(data=data, lines={})


def _check_shape(text: str, source: str) -> None:
    """Walk libyaml's events (no recursion, no document built): refuse deep nesting, too many
    values and aliases, with the line where the limit was passed."""
    loader = _BaseLoader(text)
    depth = nodes = 0
    try:
        while True:
            event = loader.get_event()
            if isinstance(event, yaml.StreamEndEvent):
                return
            if isinstance(event, yaml.AliasEvent):
                raise YamlError(f"{source}:{_line(event)}: aliases (*name) are not allowed in this file", shape=True)
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > limits.MAX_DEPTH:
                    raise YamlError(f"{source}:{_line(event)}: nested more than {limits.MAX_DEPTH} levels deep", shape=True)
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
            if isinstance(event, yaml.NodeEvent):
                nodes += 1
                if nodes > limits.MAX_NODES:
                    raise YamlError(f"{source}:{_line(event)}: more than {limits.MAX_NODES:,} values", shape=True)
    finally:
        loader.dispose()


def _line(event: yaml.Event) -> int:
    return event.start_mark.line + 1 if event.start_mark is not None else 1


def _check_text(data: Any, source: str, path: KeyPath = ()) -> None:
    """Refuse a string holding a lone surrogate anywhere in parsed JSON (its depth is checked)."""
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    for key, value in items:
        for text in (key, value):
            if isinstance(text, str) and _SURROGATE.search(text):
                where = ".".join(str(p) for p in (*path, key))
                raise YamlError(f"{source}: field '{where}': text with a broken character (a lone surrogate, {_escaped(text)})")
        _check_text(value, source, (*path, key))


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
        _check_shape(text, source)
        loader = _BaseLoader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"{source}:{mark.line + 1}" if mark else source
        raise YamlError(f"{where}: not valid YAML or JSON: {error.problem or error.context}") from None
    except (yaml.YAMLError, RecursionError) as error:
        raise YamlError(f"{source}: not valid YAML or JSON: {error}") from None
    if node is None:
        return Document(data=None, lines={})
    lines: dict[KeyPath, int] = {}
    data = _construct(node, (), lines, source, _Scalars())
    return Document(data=data, lines=lines)


class _Scalars(yaml.constructor.SafeConstructor):
    """Types scalars as YAML does, and remembers each node it has built (to spot aliases)."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: set[int] = set()


def _construct(node: yaml.Node, path: KeyPath, lines: dict[KeyPath, int], source: str, scalars: _Scalars) -> Any:
    """Build plain data from a node tree, recording lines, refusing duplicate keys and aliases."""
    if id(node) in scalars.seen and not isinstance(node, yaml.ScalarNode):
        raise YamlError(f"{source}:{node.start_mark.line + 1}: aliases (*name) are not allowed in this file")
    scalars.seen.add(id(node))
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node, source, scalars)
            if isinstance(key, (list, dict)):
                raise YamlError(f"{source}:{key_node.start_mark.line + 1}: a key must be a plain word")
            if key in out:
                raise YamlError(f"{source}:{key_node.start_mark.line + 1}: field '{key}' is given twice")
            sub = (*path, key)
            lines[sub] = key_node.start_mark.line + 1
            out[key] = _construct(value_node, sub, lines, source, scalars)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_construct(child, (*path, i), lines, source, scalars) for i, child in enumerate(node.value)]
    return _scalar(node, source, scalars)


def _scalar(node: yaml.Node, source: str, scalars: _Scalars) -> Any:
    """One scalar, typed as YAML types it (dates, numbers, booleans); a bad one names its line."""
    if not isinstance(node, yaml.ScalarNode):
        raise YamlError(f"{source}:{node.start_mark.line + 1}: a key must be a plain word")
    try:
        value = scalars.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError, TypeError, OverflowError) as error:
        message = getattr(error, "problem", None) or str(error)
        raise YamlError(f"{source}:{node.start_mark.line + 1}: cannot read {node.value[:80]!r}: {message}") from None
    if isinstance(value, str) and _SURROGATE.search(value):
        where = f"{source}:{node.start_mark.line + 1}"
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
