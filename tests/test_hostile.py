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
        "13000 x 13000 pixels; the limit is 60 million pixels",
    ),
    "lying-header.zip": (_lying_header, "photos/p.jpg: damaged or cut short"),
    "many-members.zip": (lambda: _zip({f"f{n}.txt": b"x" for n in range(limits.MAX_MEMBERS + 1)}), "the limit is 500"),
    # Folders were dropped before they were counted: 400,000 of them took 289 MB.
    "many-folders.zip": (
        lambda: _zip({**{f"d{n}/": b"" for n in range(limits.MAX_MEMBERS)}, "audit.yaml": AUDIT}),
        "501 files and folders in the zip; the limit is 500",
    ),
    # YAML 1.1's base-60 integer, converted in time that grows with the square of its length: 4.5 minutes.
    "base-60-5mb.yaml": (
        lambda: b"format: homeaudit/1\nresident:\n  resident.knee_height: 1" + b":00" * 1_600_000 + b"\n",
        "is a number of 4,800,001 characters; the limit is 100",
    ),
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
        "1:00:00:00",
        ":00" * 50,
        "9" * 5000,
        "!!bool ",
        "!!int ",
        "!!float ",
        "!!timestamp ",
        "!!binary ",
        "''",
        "=",
        "<<: ",
        "\u202e",
    ]
)


@FUZZ
@given(st.lists(YAML_BITS, max_size=60))
def test_any_yaml_loads_or_raises_the_readers_own_error(library, bits):
    _refuses_cleanly(lambda: loads("".join(bits), library, "fuzz.yaml"))


#: A member's name: any text at all (no lone surrogates: a zip cannot hold them), or one of the
#: names that matter.
MEMBER_NAMES = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12) | st.sampled_from(
    ["audit.yaml", "photos/p.jpg", "photos/q.png", "../x", "/abs", "a\\b", "d/", "x.json", "", ".", "./", "C:x"]
)


@pytest.mark.filterwarnings("ignore:Duplicate name:UserWarning")
@FUZZ
@given(
    st.lists(
        st.tuples(
            MEMBER_NAMES,
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
            archive.writestr(zipfile.ZipInfo(name), data)  # a ZipInfo: writestr("") itself fails
    data = out.getvalue()
    for variant in (data, data[: max(0, len(data) - cut)], zlib.compress(data)):
        _refuses_cleanly(lambda v=variant: bundle.unpack(v, library, "fuzz.zip"))


# ---- files too large to read, and photos large enough to keep ---------------------------------------


@pytest.mark.parametrize("command", ["score", "report", "import"])
@pytest.mark.parametrize("suffix", [".yaml", ".zip"])
def test_a_huge_file_is_refused_by_its_size_before_it_is_read(tmp_path, command, suffix):
    """`score` and `report` read a file whole before they checked its size: 3 GB took 30 s and 6.4 GB."""
    path = tmp_path / f"big{suffix}"
    with path.open("wb") as out:
        out.truncate(1024 * limits.MB)  # sparse: takes no disk, but reads as 1 GB of zeros
    extra = {"import": ["--db", str(tmp_path / "h.db")], "report": ["-o", str(tmp_path / "r.pdf")], "score": []}[command]
    returncode, _, stderr, peak_mb = _run_measured([command, str(path), *extra], tmp_path)
    assert returncode == 2 and f"{path}: the file is 1024.0 MB; the limit is" in stderr and "Traceback" not in stderr
    assert peak_mb < 200, f"{command} used {peak_mb:.0f} MB"


@pytest.fixture(scope="module")
def large_png(tmp_path_factory) -> Path:
    """A 247 kB PNG of 7740 x 7740 pixels with transparency: just under the pixel limit, 229 MB
    decoded; keeping it took 1 GB, and four in a report 2 GB."""
    image = Image.new("RGBA", (7740, 7740), (200, 100, 50, 128))
    image.paste((0, 0, 0, 255), (0, 0, 2000, 2000))
    path = tmp_path_factory.mktemp("large") / "large.png"
    image.save(path, "PNG")
    assert limits.MAX_PIXELS >= 7740 * 7740
    return path


def test_a_large_photo_is_imported_within_the_memory_bound(tmp_path, large_png):
    path = tmp_path / "large.zip"
    path.write_bytes(
        _zip({"audit.yaml": AUDIT.replace(b"photos/p.jpg", b"photos/p.png"), "photos/p.png": large_png.read_bytes()})
    )
    returncode, stdout, stderr, peak_mb = _run_measured(["import", str(path), "--db", str(tmp_path / "h.db")], tmp_path)
    assert returncode == 0 and "imported as" in stdout, stderr
    assert peak_mb < MEMORY_MB, f"the import used {peak_mb:.0f} MB"
    with connect(tmp_path / "h.db") as store:
        (record,) = store.list_audits()
        (answer,) = store.load_audit(record["id"]).rooms[0].answers.values()
        kept = Image.open(io.BytesIO(store.photo_bytes(answer.photos[0], record["id"])))
    assert kept.size == (limits.KEEP_SIDE, limits.KEEP_SIDE)


def test_four_large_photos_are_printed_within_the_memory_bound(tmp_path, large_png):
    """The report prepares photos in threads; large ones are decoded one at a time."""
    (tmp_path / "photos").mkdir()
    answers = ""
    items = ["bathroom.bath_mat", "bathroom.grab_bar_toilet", "bathroom.grab_bar_shower", "bathroom.grab_bar_entry"]
    for n, item in enumerate(items):
        (tmp_path / "photos" / f"p{n}.png").write_bytes(large_png.read_bytes())
        answers += f"      {item}: {{value: 'no', photos: [photos/p{n}.png]}}\n"
    audit = tmp_path / "audit.yaml"
    audit.write_text(f"format: homeaudit/1\nrooms:\n  - room: bathroom\n    answers:\n{answers}", encoding="utf-8")
    returncode, _, stderr, peak_mb = _run_measured(["report", str(audit), "-o", str(tmp_path / "r.pdf")], tmp_path)
    assert returncode == 0, stderr
    assert peak_mb < MEMORY_MB, f"the report used {peak_mb:.0f} MB"
    from pypdf import PdfReader

    pages = PdfReader(tmp_path / "r.pdf").pages
    text = " ".join(page.extract_text() for page in pages)
    assert any(page.images for page in pages) and not any(f"p{n}.png" in text for n in range(4))  # none left out
