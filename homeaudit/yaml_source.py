"""Reading YAML (and JSON) that people wrote by hand: strictly, and with line numbers.

Checklist files and audit files both come from people, so both are read here, once: the text is
parsed a single time, every mapping key's line is remembered for error messages, a key given
twice is an error (the last one silently winning would hide a hazard), aliases are refused (a
tiny file must not expand into a huge one) and every parse failure becomes a
:class:`YamlError` naming the file and line instead of a traceback.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml

try:  # libyaml's parser is several times faster; fall back to pure Python where it is missing
    _BaseLoader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _BaseLoader = yaml.SafeLoader


class YamlError(ValueError):
    """The text is not valid YAML/JSON for a person to fix; the message names file and line."""


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

    JSON that YAML refuses (tab indentation) is read by the JSON parser, without line numbers.
    """
    try:
        return _parse_yaml(text, source)
    except YamlError as yaml_error:
        if not text.lstrip().startswith(("{", "[")):
            raise
        try:
            return Document(data=json.loads(text, object_pairs_hook=_json_object(source)), lines={})
        except (json.JSONDecodeError, RecursionError):
            raise yaml_error from None


def _parse_yaml(text: str, source: str) -> Document:
    try:
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
        return scalars.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError, TypeError, OverflowError) as error:
        message = getattr(error, "problem", None) or str(error)
        raise YamlError(f"{source}:{node.start_mark.line + 1}: cannot read {node.value!r}: {message}") from None


def _json_object(source: str) -> Callable[[list[tuple[str, Any]]], dict[str, Any]]:
    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in pairs:
            if key in out:
                raise YamlError(f"{source}: field '{key}' is given twice")
            out[key] = value
        return out

    return hook
