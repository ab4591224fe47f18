"""An audit and its photos in one zip: nothing is lost on the way out and back in."""

from __future__ import annotations

import io
import zipfile

import pytest
from PIL import Image

from homeaudit import audit as audit_mod
from homeaudit import bundle, limits
from homeaudit.audit import AuditError
from homeaudit.store import connect

from audit_builders import EXAMPLES

HAZARDOUS = EXAMPLES / "hazardous-house.yaml"


def example_bundle(library) -> bytes:
    audit = audit_mod.load(HAZARDOUS, library)
    return bundle.pack(audit, lambda ref: (EXAMPLES / ref).read_bytes())


def test_a_bundle_unzips_into_an_audit_folder_the_command_line_reads(library, tmp_path):
    with zipfile.ZipFile(io.BytesIO(example_bundle(library))) as archive:
        archive.extractall(tmp_path)
    audit = audit_mod.load(tmp_path / "audit.yaml", library)
    refs = [ref for v in audit.rooms for a in v.answers.values() for ref in a.photos]
    assert len(refs) == 3 and all((tmp_path / ref).read_bytes()[:3] == b"\xff\xd8\xff" for ref in refs)


def test_the_same_audit_packs_to_the_same_bytes(library):
    assert example_bundle(library) == example_bundle(library)


def test_photos_survive_export_and_import_through_the_store_re_encoded_without_metadata(library, tmp_path):
    store = connect(tmp_path / "a.db")
    first = store.import_bundle(example_bundle(library), library, "hz.zip")
    again = store.import_bundle(store.export_bundle(first), library, "export.zip")
    original = audit_mod.load(HAZARDOUS, library)
    for audit_id in (first, again):
        audit = store.load_audit(audit_id)
        for visit, source in zip(audit.rooms, original.rooms, strict=True):
            for item_id, answer in source.answers.items():
                kept = visit.answers[item_id].photos
                assert len(kept) == len(answer.photos)
                for ref, path in zip(kept, answer.photos, strict=True):
                    image = Image.open(io.BytesIO(store.photo_bytes(ref, audit_id)))
                    assert image.format == "JPEG" and not image.getexif()
                    assert image.size == Image.open(EXAMPLES / path).size  # small photos keep their size


def zip_of(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_a_photo_path_that_climbs_out_of_the_bundle_is_refused(library):
    text = HAZARDOUS.read_text(encoding="utf-8").replace("photos/hall-rug.jpg", "../../etc/passwd")
    with pytest.raises(AuditError, match="points outside the bundle"):
        bundle.unpack(zip_of({"audit.yaml": text.encode()}), library, "evil.zip")


def test_a_zip_without_an_audit_or_not_a_zip_is_a_clear_error(library):
    with pytest.raises(AuditError, match=r"no audit file \(audit.yaml\)"):
        bundle.unpack(zip_of({"photos/a.jpg": b"x"}), library, "x.zip")
    with pytest.raises(AuditError, match="not a zip file"):
        bundle.unpack(b"hello", library, "x.zip")


def test_a_broken_audit_in_a_bundle_saves_nothing(library, tmp_path):
    store = connect(tmp_path / "a.db")
    with pytest.raises(AuditError, match=r"x\.zip/audit\.yaml:1"):
        store.import_bundle(zip_of({"audit.yaml": b"format: nope\n"}), library, "x.zip")
    assert store.list_audits() == []


def test_the_command_line_scores_and_reports_a_bundle(library, tmp_path, capsys):
    from pypdf import PdfReader

    from homeaudit import cli

    path = tmp_path / "hz.zip"
    path.write_bytes(example_bundle(library))
    assert cli.main(["score", str(path), "--format", "json"]) == 0
    assert cli.main(["report", str(path), "-o", str(tmp_path / "hz.pdf")]) == 0
    assert len(PdfReader(tmp_path / "hz.pdf").pages[0].extract_text()) > 0
    images = sum(len(page.images) for page in PdfReader(tmp_path / "hz.pdf").pages)
    assert images == 3


def _zip_with(names: list[str], audit: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in names:
            archive.writestr(zipfile.ZipInfo(name), b"x")
        archive.writestr("audit.yaml", audit)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("", "empty"),
        (".", "no file or folder name"),
        ("./", "no file or folder name"),
        ("photos/\x1b[2Jp.jpg", "a control character"),
        ("photos/\u202egpj.exe", "a control character"),
        ("C:/x.jpg", "an absolute path"),
        ("a/../../x", "'..'"),
    ],
)
def test_a_member_with_an_odd_name_is_refused_naming_the_zip_and_the_member(library, name, why):
    """A member named "" or "." made ZipInfo.is_dir() and PurePosixPath(...).parts[0] raise
    IndexError: a traceback instead of a refusal."""
    audit = HAZARDOUS.read_bytes()
    with pytest.raises(AuditError) as refused:
        bundle.unpack(_zip_with([name], audit), library, "odd.zip")
    assert str(refused.value) == f"odd.zip: member {name!r} has a name that is not allowed ({why})"


def test_folders_count_against_the_limit_on_members(library):
    """400,000 folder entries (a 35 MB zip) were dropped before the count was checked."""
    data = _zip_with([f"d{n}/" for n in range(limits.MAX_MEMBERS)], HAZARDOUS.read_bytes())
    with pytest.raises(AuditError, match=f"{limits.MAX_MEMBERS + 1} files and folders in the zip; the limit is 500"):
        bundle.unpack(data, library, "dirs.zip")
    audit, _ = bundle.unpack(_zip_with(["photos/", "notes/"], HAZARDOUS.read_bytes()), library, "ok.zip")
    assert audit.id == "2026-11-20-kowalczyk"  # a few folders are fine
