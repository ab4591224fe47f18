"""Reading YAML people wrote: the same data PyYAML's safe loader gives, with the line of every key,
and a clear refusal (file:line) of what a hand-written file must not hold."""

from __future__ import annotations

import datetime as dt
import time

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from homeaudit import limits
from homeaudit.yaml_source import YamlError, parse

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(10**12), 10**12)
    | st.floats(allow_nan=False, allow_infinity=False, width=32)
    | st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1))
    | st.text(st.characters(blacklist_categories=("Cs",)), max_size=20)
)
KEYS = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=10) | st.integers(0, 99)
DATA = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4), max_leaves=25)


@settings(max_examples=300, deadline=None)
@given(DATA, st.booleans())
def test_any_document_reads_as_pyyamls_safe_loader_reads_it(data, flow):
    text = yaml.safe_dump(data, default_flow_style=flow, allow_unicode=True)
    assert parse(text, "f.yaml").data == yaml.safe_load(text)


def test_every_key_and_list_entry_has_its_line():
    document = parse("client:\n  name: Ann\nrooms:\n  - room: hallway\n  - room: stairs\n", "a.yaml")
    assert document.lines[("client", "name")] == 2
    assert document.lines[("rooms",)] == 3
    assert document.lines[("rooms", 1)] == 5 and document.lines[("rooms", 1, "room")] == 5
    assert document.line(("rooms", 1, "answers", "x")) == 5  # the nearest ancestor that has a line


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: 1\nb: 2\na: 3\n", "f.yaml:3: field 'a' is given twice"),
        ("a: &x [1]\nb: *x\n", "f.yaml:2: aliases (*name) are not allowed in this file"),
        ("--- 1\n--- 2\n", "f.yaml:2: one document per file, and this is a second one"),
        ("? [1, 2]\n: x\n", "f.yaml:1: a key must be a plain word"),
        ("a: !!int nope\n", "f.yaml:1: cannot read 'nope'"),
        ("a: [1, 2\n", "f.yaml:2: not valid YAML or JSON"),
        ("[" * (limits.MAX_DEPTH + 1) + "]" * (limits.MAX_DEPTH + 1), f"nested more than {limits.MAX_DEPTH} levels deep"),
        ('{"a": "\\ud800"}', "f.yaml: field 'a': text with a broken character (a lone surrogate, \\ud800)"),
        # PyYAML's constructors slip on these (KeyError, IndexError, AttributeError): a traceback.
        ("a: !!bool maybe\n", "f.yaml:1: cannot read 'maybe': not a yes/no"),
        ("a: !!int ''\n", "f.yaml:1: cannot read '': not a number"),
        ("a: !!float _\n", "f.yaml:1: cannot read '_': not a number"),
        ("a: !!timestamp nope\n", "f.yaml:1: cannot read 'nope': not a date"),
        ("a: !!binary aGk=\n", "f.yaml:1: the tag '!!binary' is not allowed: a value is text, a number, a date, yes/no or empty"),
        ("a: !mine x\n", "f.yaml:1: the tag '!mine' is not allowed"),
        ("a: =\n", "f.yaml:1: '=' has a meaning of its own in YAML; put it in quotes"),
        ("a: 1" + ":00" * 40 + "\n", "f.yaml:1: '1:00:00:00:00:00:00:…' is a number of 121 characters; the limit is 100"),
        ("a: " + "9" * 5000 + "\n", "f.yaml:1: '99999999999999999999…' is a number of 5,000 characters; the limit is 100"),
    ],
)
def test_what_a_hand_written_file_must_not_hold_is_refused_with_its_line(text, message):
    with pytest.raises(YamlError) as refused:
        parse(text, "f.yaml")
    assert message in str(refused.value)


def test_nesting_as_deep_as_allowed_reads():
    depth = limits.MAX_DEPTH
    assert parse("[" * depth + "]" * depth, "f.yaml").data is not None


def test_a_deep_file_is_refused_at_once_without_building_anything():
    """50,000 nested brackets crashed libyaml's recursive composer: now the limit is met at once."""
    with pytest.raises(YamlError, match=r"f\.yaml:1: nested more than"):
        parse("[" * 50_000, "f.yaml")


def test_an_empty_file_is_no_data():
    assert parse("", "f.yaml").data is None
    assert parse("# only a comment\n", "f.yaml").data is None


def test_a_number_as_long_as_allowed_reads():
    assert parse("a: " + "9" * limits.MAX_NUMBER + "\n", "f.yaml").data == {"a": int("9" * limits.MAX_NUMBER)}
    assert parse("a: 1:30\n", "f.yaml").data == {"a": 90}  # YAML 1.1 base 60, as PyYAML reads it


def test_a_long_base_60_number_is_refused_in_well_under_a_second():
    """YAML 1.1 reads "1:00:00:…" as a base-60 integer, and PyYAML converts it in time that grows with
    the square of its length: 0.9 MB of it took 9 s, 4.8 MB took 4.5 minutes. It is refused by its
    length before it is converted."""
    text = "format: homeaudit/1\nresident:\n  resident.knee_height: 1" + ":00" * 300_000 + "\n"
    start = time.monotonic()
    with pytest.raises(YamlError, match=r"f\.yaml:3: '1:00:00:00:00:00:00:…' is a number of 900,001 characters"):
        parse(text, "f.yaml")
    assert time.monotonic() - start < 3


def test_a_huge_integer_in_json_that_yaml_refuses_names_its_field():
    """Tab-indented JSON (or a key longer than YAML allows) is read by the JSON parser, whose int()
    refused 4,300 digits or more with a ValueError: a traceback, not a refusal."""
    text = '{"' + "k" * 1100 + '": 1,\n\t"resident": {"resident.knee_height": ' + "9" * 5000 + "}}"
    with pytest.raises(YamlError) as refused:
        parse(text, "big.json")
    assert str(refused.value) == (
        "big.json: field 'resident.resident.knee_height': '99999999999999999999…' is a number of 5,000 characters; "
        "the limit is 100"
    )
    text = '{"' + "k" * 1100 + '": 1, "n": [0.' + "5" * 5000 + "]}"
    with pytest.raises(YamlError, match=r"^big\.json: field 'n\.0': '0\.555555555555555555…' is a number of 5,002 characters"):
        parse(text, "big.json")
