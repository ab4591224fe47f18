"""An audit zip is read one way only: a zip that two readers could read as two different audits
(two members with one name, or more than one audit file) is refused, naming the zip and the
members, by the reader and by every command that takes a zip (exit 2, nothing stored)."""

from __future__ import annotations

import io
import warnings
import zipfile
from pathlib import Path

import pytest

from homeaudit import audit as audit_mod
from homeaudit import bundle, cli
from homeaudit.audit import AuditError
from homeaudit.store import connect

from audit_builders import EXAMPLES

SAFE = (EXAMPLES / "safe-flat.yaml").read_bytes()
HAZARDOUS = (EXAMPLES / "hazardous-house.yaml").read_bytes()


def zip_of(*members: tuple[str, bytes]) -> bytes:
    """A zip with these members in this order; a name may come twice, as zipfile allows."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive, warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Duplicate name", UserWarning)  # zipfile warns, and writes both
        for name, data in members:
            archive.writestr(zipfile.ZipInfo(name), data)
    return out.getvalue()


def test_two_members_named_audit_yaml_are_refused_where_a_viewer_and_the_reader_would_see_different_audits(library):
    """A viewer showed the first (a safe flat), the import took the last (a hazardous house)."""
    data = zip_of(("audit.yaml", SAFE), ("audit.yaml", HAZARDOUS))
    with pytest.raises(AuditError) as refused:
        bundle.unpack(data, library, "twice.zip")
    assert str(refused.value) == (
        "twice.zip: two members are named 'audit.yaml'; a zip viewer and homeaudit could read different ones, "
        "so the zip is refused (make it again with one of them)"
    )


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("photos/001.jpg", "photos/001.jpg"),  # any member, not only the audit file
        ("photos/", "photos/"),  # a folder too
        ("Audit.yaml", "audit.yaml"),  # one file on a Mac or on Windows
        ("photos/001.jpg", "PHOTOS/001.JPG"),
        ("photos/001.jpg", "photos\\001.jpg"),  # one file on Windows
        ("photos/001.jpg", "./photos/001.jpg"),
        ("photos", "photos/"),  # a file and a folder cannot both be called photos
        ("caf\u00e9.jpg", "cafe\u0301.jpg"),  # é as one character or as e and an accent
    ],
)
def test_any_two_members_that_are_one_name_once_unzipped_are_refused_naming_both(library, first, second):
    data = zip_of(("audit.yaml", HAZARDOUS), (first, b"x"), (second, b"y"))
    with pytest.raises(AuditError) as refused:
        bundle.unpack(data, library, "odd.zip")
    message = str(refused.value)
    assert message.startswith("odd.zip: ") and "\n" not in message
    named = [f"named {first!r}"] if first == second else [repr(first), repr(second)]
    assert all(name in message for name in named)
    assert "zip is refused" in message


def test_a_zip_with_two_audit_files_and_no_audit_yaml_is_refused_instead_of_dropping_one(library):
    """The first one was imported and the other dropped without a word."""
    data = zip_of(("b.yaml", HAZARDOUS), ("a.yaml", SAFE))
    with pytest.raises(AuditError) as refused:
        bundle.unpack(data, library, "two.zip")
    assert str(refused.value) == (
        "two.zip: 2 audit files in the zip ('a.yaml', 'b.yaml'); an audit zip holds one (audit.yaml) "
        "with its photos, so it is refused rather than one of them chosen"
    )


@pytest.mark.parametrize("other", ["notes.yaml", "audit.json", "old.YML"])
def test_audit_yaml_with_another_audit_file_beside_it_is_refused_too(library, other):
    with pytest.raises(AuditError, match=r"two\.zip: 2 audit files in the zip \(.*'audit\.yaml'.*\)"):
        bundle.unpack(zip_of(("audit.yaml", HAZARDOUS), (other, SAFE)), library, "two.zip")


def test_a_zip_with_many_audit_files_names_the_first_five_and_counts_the_rest(library):
    data = zip_of(*((f"{n}.yaml", SAFE) for n in range(8)))
    with pytest.raises(AuditError, match=r"8 audit files in the zip \('0\.yaml', .*, '4\.yaml' and 3 more\)"):
        bundle.unpack(data, library, "many.zip")


def test_one_audit_file_of_any_name_and_files_below_the_top_are_still_read(library):
    """An audit file in a folder of the zip is not an audit file of the zip (as before)."""
    audit, _ = bundle.unpack(zip_of(("visit.yaml", HAZARDOUS), ("notes/old.yaml", SAFE)), library, "one.zip")
    assert audit.id == "2026-11-20-kowalczyk"


def test_a_zip_homeaudit_wrote_has_one_of_each_name_and_reads_back(library):
    audit = audit_mod.load(EXAMPLES / "hazardous-house.yaml", library)
    data = bundle.pack(audit, lambda ref: (EXAMPLES / ref).read_bytes())
    read, photos = bundle.unpack(data, library, "hz.zip")
    assert read.id == audit.id and len(photos) == 3


# ---- the commands that take a zip --------------------------------------------------------------


AMBIGUOUS = {
    "twice.zip": (zip_of(("audit.yaml", SAFE), ("audit.yaml", HAZARDOUS)), "two members are named 'audit.yaml'"),
    "two.zip": (zip_of(("a.yaml", SAFE), ("b.yaml", HAZARDOUS)), "2 audit files in the zip ('a.yaml', 'b.yaml')"),
}


@pytest.mark.parametrize("name", sorted(AMBIGUOUS))
def test_import_refuses_an_ambiguous_zip_with_exit_2_and_stores_nothing(tmp_path, capsys, name):
    data, why = AMBIGUOUS[name]
    path = tmp_path / name
    path.write_bytes(data)
    db = tmp_path / "a.db"
    assert cli.main(["import", str(path), "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert f"{path}: {why}" in err and "not imported" in err
    assert connect(db).list_audits() == []


@pytest.mark.parametrize("name", sorted(AMBIGUOUS))
@pytest.mark.parametrize("command", ["score", "report"])
def test_score_and_report_refuse_an_ambiguous_zip_with_exit_2_and_write_nothing(tmp_path, capsys, name, command):
    data, why = AMBIGUOUS[name]
    path = tmp_path / name
    path.write_bytes(data)
    out: list[str] = ["-o", str(tmp_path / "r.pdf")] if command == "report" else []
    assert cli.main([command, str(path), *out]) == 2
    captured = capsys.readouterr()
    assert f"{path}: {why}" in captured.err and captured.out == ""
    assert not Path(tmp_path / "r.pdf").exists()
