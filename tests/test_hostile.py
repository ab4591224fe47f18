"""Files from anyone: every hostile file is refused with one clear line naming the file and the
limit, exit code 2, nothing stored, within seconds and memory bounds; and no bytes, YAML or zip
whatsoever make the reader raise anything but its own error (property tests)."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from homeaudit import bundle, limits
from homeaudit.audit import AuditError, loads
from homeaudit.store import connect

from audit_builders import ROOT

HOSTILE = Path(__file__).with_name("hostile")
EXPECTED: dict[str, str] = yaml.safe_load((HOSTILE / "expected.yaml").read_text(encoding="utf-8"))
AUDIT = (
    b"format: homeaudit/1\nrooms:\n  - room: bathroom\n    answers:\n"
    b"      bathroom.bath_mat: {value: 'no', photos: [photos/p.jpg]}\n"
)
MEMORY_MB = 500


def _zip(members: dict[str, bytes], stored: bool = False) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def _png_bomb() -> bytes:
    out = io.BytesIO()
    Image.new("1", (13000, 13000)).save(out, "PNG", optimize=True)
    return out.getvalue()


def _lying_header() -> bytes:
    """A member whose header says 1 kB but which inflates to 60 MB (the ratio check on the header
    passes; only inflating in chunks with a cap catches it)."""
    data = bytearray(_zip({"audit.yaml": AUDIT, "photos/p.jpg": b"\0" * (60 * limits.MB)}))
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = data.find(signature, data.find(b"photos/p.jpg") - 60 if signature == b"PK\x03\x04" else 0)
        while start != -1:
            name_at = start + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_at : name_at + 12] == b"photos/p.jpg":
                data[start + offset : start + offset + 4] = (1024).to_bytes(4, "little")
                break
            start = data.find(signature, start + 4)
    return bytes(data)


#: Hostile files built at test time (too big, or too easy to misuse, to keep in the repository).
BUILT = {
    "zip-bomb.zip": (lambda: _zip({"audit.yaml": AUDIT, "photos/p.jpg": b"\0" * (300 * limits.MB)}), "the limit is 25 MB"),
    "png-bomb.zip": (
        lambda: _zip({"audit.yaml": AUDIT, "photos/p.jpg": _png_bomb()}),
        "would inflate 118 times; the limit is 100",
    ),
    "png-bomb-stored.zip": (
        lambda: _zip({"audit.yaml": AUDIT, "photos/p.jpg": _png_bomb()}, stored=True),
        "more pixels than the limit of 60 million",
    ),
    "lying-header.zip": (_lying_header, "photos/p.jpg: damaged or cut short"),
    "many-members.zip": (lambda: _zip({f"f{n}.txt": b"x" for n in range(limits.MAX_MEMBERS + 1)}), "the limit is 500"),
    "huge-audit.yaml": (
        lambda: b"format: homeaudit/1\nclient: {notes: '" + b"x" * (6 * limits.MB) + b"'}\n",
        "the limit is 5 MB",
    ),
}


#: Runs ``python -m homeaudit`` and, on the way out, writes the process's own peak resident memory
#: (VmHWM, in kB) to the file named in HOSTILE_PEAK. VmHWM belongs to the address space the program
#: got at exec, so, unlike ``ru_maxrss``, it does not inherit the test runner's size through fork.
_MEASURED = """
import atexit, os, re, runpy, sys
def _peak():
    status = open("/proc/self/status").read()
    open(os.environ["HOSTILE_PEAK"], "w").write(re.search(r"VmHWM:\\s+(\\d+)", status).group(1))
atexit.register(_peak)
sys.argv = ["homeaudit", *sys.argv[1:]]
runpy.run_module("homeaudit", run_name="__main__", alter_sys=True)
"""


def _run_measured(arguments: list[str], tmp_path: Path) -> tuple[int, str, str, float]:
    """Run the CLI (bounded in time); its exit code, its output, and its own peak memory in MB."""
    peak_file = tmp_path / "peak-kb"
    env = {**os.environ, "HOSTILE_PEAK": str(peak_file)}
    proc = subprocess.run(
        [sys.executable, "-c", _MEASURED, *arguments], capture_output=True, text=True, cwd=ROOT, env=env, timeout=60
    )
    return proc.returncode, proc.stdout, proc.stderr, int(peak_file.read_text()) / 1024


def _cases() -> list[str]:
    return sorted(EXPECTED) + sorted(BUILT)


@pytest.mark.parametrize("name", _cases())
def test_a_hostile_file_is_refused_by_name_with_exit_2_and_nothing_stored(name, tmp_path):
    if name in BUILT:
        path = tmp_path / name
        path.write_bytes(BUILT[name][0]())
        expected = BUILT[name][1]
    else:
        path, expected = HOSTILE / name, EXPECTED[name]
    db = tmp_path / "h.db"
    start = time.monotonic()
    returncode, stdout, stderr, peak_mb = _run_measured(["import", str(path), "--db", str(db)], tmp_path)
    seconds = time.monotonic() - start
    assert returncode == 2, stdout + stderr
    assert str(path) in stderr and expected in stderr, stderr
    assert "Traceback" not in stderr and stdout == ""
    assert seconds < 20, f"a refusal took {seconds:.1f} s"
    assert peak_mb < MEMORY_MB, f"the import used {peak_mb:.0f} MB"
    with connect(db) as store:
        assert store.list_audits() == []


def test_the_corpus_and_its_expectations_list_the_same_files():
    on_disk = {p.name for p in HOSTILE.iterdir() if p.name != "expected.yaml"}
    assert on_disk == set(EXPECTED)


# ---- anything at all: only the reader's own error ---------------------------------------------------

FUZZ = settings(
    max_examples=150, deadline=2000, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


def _refuses_cleanly(call) -> None:
    start = time.monotonic()
    with contextlib.suppress(AuditError):
        call()
    assert time.monotonic() - start < 2


@FUZZ
@given(st.binary(max_size=4000))
def test_any_bytes_as_an_audit_file_load_or_raise_the_readers_own_error(library, data):
    _refuses_cleanly(lambda: loads(data.decode("utf-8", "surrogateescape"), library, "fuzz.yaml"))


YAML_BITS = st.sampled_from(
    [
        "format: homeaudit/1\n",
        "rooms:\n",
        "  - room: bathroom\n",
        "    answers:\n",
        "      bathroom.bath_mat: no\n",
        "[",
        "]",
        "{",
        "}",
        "- ",
        "&a ",
        "*a ",
        "!!python/object ",
        "'",
        '"',
        "\\ud800",
        "\t",
        ": ",
        "\n",
        "  ",
        "? ",
        "resident: {resident.fallen_past_year: yes}\n",
        "client: {name: x}\n",
        "date: 2026-02-30\n",
        "~",
        "null",
        "1e999",
    ]
)


@FUZZ
@given(st.lists(YAML_BITS, max_size=60))
def test_any_yaml_loads_or_raises_the_readers_own_error(library, bits):
    _refuses_cleanly(lambda: loads("".join(bits), library, "fuzz.yaml"))


@FUZZ
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["audit.yaml", "photos/p.jpg", "photos/q.png", "../x", "/abs", "a\\b", "d/", "x.json"]),
            st.one_of(st.binary(max_size=300), st.sampled_from([AUDIT, b"\0" * 20000, b"\x89PNG\r\n\x1a\n"])),
        ),
        max_size=6,
    ),
    st.integers(min_value=0, max_value=400),
)
def test_any_zip_loads_or_raises_the_readers_own_error(library, members, cut):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    data = out.getvalue()
    for variant in (data, data[: max(0, len(data) - cut)], zlib.compress(data)):
        _refuses_cleanly(lambda v=variant: bundle.unpack(v, library, "fuzz.zip"))
