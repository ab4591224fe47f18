"""An audit and its photos in one zip: nothing is lost on the way out and back in."""

from __future__ import annotations

import io
import json
import os
import zipfile
from collections.abc import Callable
from pathlib import Path

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


# ---- an audit file's photos: files in its folder, or the file is refused ------------------------

#: The line of the first photo of :func:`audit_folder`'s file.
FIRST_PHOTO_LINE = 8
WHERE = "room 1 (bathroom): item bathroom.grab_bar_toilet"
OUTSIDE = "it leads out of the audit file's folder ('..'); put the photo in that folder or below it"
ABSOLUTE = "it is an absolute path; name a photo by its path from the audit file's folder (photos/rug.jpg)"


def audit_folder(tmp_path: Path, *refs: str, extra: str = "") -> Path:
    """``tmp_path/audit/p.yaml``: one bathroom whose toilet grab bar has these photos, one a line
    from :data:`FIRST_PHOTO_LINE`, and a real photo beside it at ``photos/rug.jpg``."""
    folder = tmp_path / "audit"
    (folder / "photos").mkdir(parents=True, exist_ok=True)
    (folder / "photos" / "rug.jpg").write_bytes((EXAMPLES / "photos" / "hall-rug.jpg").read_bytes())
    lines = [
        "format: homeaudit/1",
        "rooms:",
        "  - room: bathroom",
        "    answers:",
        "      bathroom.grab_bar_toilet:",
        "        value: 'no'",
        "        photos:",
        *(f"          - {json.dumps(ref)}" for ref in refs),
    ]
    path = folder / "p.yaml"
    path.write_text("\n".join(lines) + "\n" + extra, encoding="utf-8")
    return path


def _symlink_out(folder: Path) -> str:
    (folder / "out.jpg").symlink_to("/etc/hostname")
    return "out.jpg"


def _pipe(folder: Path) -> str:
    os.mkfifo(folder / "pipe.jpg")  # opened, it would wait for a writer for ever
    return "pipe.jpg"


def _huge(folder: Path) -> str:
    with open(folder / "huge.jpg", "wb") as file:
        file.truncate(limits.MAX_PHOTO_BYTES + 1)  # sparse: no disk used
    return "huge.jpg"


def _beside(folder: Path) -> str:
    (folder.parent / "x.jpg").write_bytes((EXAMPLES / "photos" / "hall-rug.jpg").read_bytes())  # there, but outside
    return "../x.jpg"


#: A photo reference that names no photo file inside the audit's folder, made under tmp_path, and why.
HOSTILE_REFS: dict[str, tuple[Callable[[Path], str], str]] = {
    "absolute": (lambda folder: "/etc/hostname", ABSOLUTE),
    "a device": (lambda folder: "/dev/zero", ABSOLUTE),
    "a drive": (lambda folder: "C:\\photos\\rug.jpg", ABSOLUTE),
    "up and out": (_beside, OUTSIDE),
    "down, then out": (lambda folder: "photos/../../x.jpg", OUTSIDE),
    "missing": (lambda folder: "missing.jpg", "there is no such file in the audit file's folder"),
    "empty": (lambda folder: "", "it is empty"),
    "the folder itself": (lambda folder: ".", "it names the folder itself, not a photo file"),
    "a folder": (lambda folder: "photos", "it is a folder, not a photo file"),
    "a link out": (_symlink_out, "it is a link to a file outside the audit file's folder"),
    "a pipe": (_pipe, "it is not a regular file (a pipe, a socket or a device)"),
    "too large": (_huge, f"the file is 25.0 MB; the limit is {limits.MAX_PHOTO_BYTES // limits.MB} MB"),
    "a control character": (lambda folder: "photos/\x1b[2Jrug.jpg", "it holds a control character"),
}


def _hostile_audit(tmp_path: Path, case: str) -> tuple[Path, str, str]:
    """The audit file of a HOSTILE_REFS case, its reference and the one message that refuses it."""
    make, why = HOSTILE_REFS[case]
    folder = tmp_path / "audit"
    folder.mkdir(parents=True, exist_ok=True)
    ref = make(folder)
    path = audit_folder(tmp_path, ref)
    return path, ref, f"{path}:{FIRST_PHOTO_LINE}: {WHERE}: photo {ref!r}: {why}"


@pytest.mark.parametrize("case", sorted(HOSTILE_REFS))
def test_a_photo_that_is_not_a_file_in_the_audits_folder_is_refused_naming_file_line_item_and_why(library, tmp_path, case):
    path, _, message = _hostile_audit(tmp_path, case)
    audit = audit_mod.load(path, library)  # the file itself is fine
    with pytest.raises(AuditError) as refused:
        bundle.check_folder_photos(audit, path)
    assert str(refused.value) == message


@pytest.mark.parametrize("case", sorted(HOSTILE_REFS))
def test_loading_such_a_photo_is_a_mistake_in_the_file_not_a_missing_photo(library, tmp_path, case):
    """OSError and LookupError mean "photo missing" to the report and to an import, which then
    kept the reference (``/etc/hostname``) and went on without a word."""
    path, ref, message = _hostile_audit(tmp_path, case)
    load = bundle.folder_photo_loader(path)
    with pytest.raises(AuditError) as refused:
        load(ref)
    assert str(refused.value) == message
    assert not isinstance(refused.value, (OSError, LookupError))


@pytest.mark.parametrize("case", sorted(HOSTILE_REFS))
def test_importing_such_a_file_stores_nothing(library, tmp_path, case):
    path, _, message = _hostile_audit(tmp_path, case)
    store = connect(tmp_path / "a.db")
    with pytest.raises(AuditError) as refused:
        store.import_file(path.read_bytes(), library, str(path), photo_loader=bundle.folder_photo_loader(path))
    assert str(refused.value) == message
    assert store.list_audits() == []


def test_photos_in_the_folder_below_it_or_linked_within_it_are_read(library, tmp_path):
    path = audit_folder(tmp_path, "photos/rug.jpg", "rug-link.jpg", "./photos/rug.jpg")
    (path.parent / "rug-link.jpg").symlink_to("photos/rug.jpg")
    audit = audit_mod.load(path, library)
    bundle.check_folder_photos(audit, path)
    load = bundle.folder_photo_loader(path)
    assert load("rug-link.jpg") == load("photos/rug.jpg") == (EXAMPLES / "photos" / "hall-rug.jpg").read_bytes()
    store = connect(tmp_path / "a.db")
    stored = store.import_file(path.read_bytes(), library, str(path), photo_loader=load).audit_id
    refs = store.load_audit(stored).rooms[0].answers["bathroom.grab_bar_toilet"].photos
    assert len(refs) == 3 and all(store.photo_bytes(ref, stored)[:3] == b"\xff\xd8\xff" for ref in refs)


def test_every_bad_photo_of_a_file_is_named_in_one_message_in_the_files_order(library, tmp_path):
    path = audit_folder(tmp_path, "photos/rug.jpg", "missing.jpg", "/etc/hostname", *(f"gone-{n}.jpg" for n in range(10)))
    with pytest.raises(AuditError) as refused:
        bundle.check_folder_photos(audit_mod.load(path, library), path)
    lines = str(refused.value).splitlines()
    assert lines[:2] == [
        f"{path}:9: {WHERE}: photo 'missing.jpg': there is no such file in the audit file's folder",
        f"{path}:10: {WHERE}: photo '/etc/hostname': {ABSOLUTE}",
    ]
    assert len(lines) == 11 and lines[-1] == "… and 2 more photos"
    with pytest.raises(AuditError) as loaded:
        bundle.folder_photo_loader(path)("gone-3.jpg")
    assert str(loaded.value) == str(refused.value)  # the loader names them all too


def test_a_bad_photo_of_the_person_or_of_a_fix_is_named_by_its_own_item_and_line(library, tmp_path):
    extra = (
        "resident:\n"
        "  resident.back_pain:\n"
        "    value: 'yes'\n"
        "    photos: [../knee.jpg]\n"
        "actions:\n"
        "  - {item: bathroom.grab_bar_toilet, visit: 0, state: done, photo: /tmp/fix.jpg}\n"
    )
    path = audit_folder(tmp_path, "photos/rug.jpg", extra=extra)
    with pytest.raises(AuditError) as refused:
        bundle.check_folder_photos(audit_mod.load(path, library), path)
    assert str(refused.value).splitlines() == [
        f"{path}:12: resident: item resident.back_pain: photo '../knee.jpg': {OUTSIDE}",
        f"{path}:14: action 1 (bathroom.grab_bar_toilet): photo '/tmp/fix.jpg': {ABSOLUTE}",
    ]


def test_an_audit_without_photos_is_not_held_to_its_folder(library, tmp_path):
    path = tmp_path / "plain.yaml"
    path.write_bytes((EXAMPLES / "safe-flat.yaml").read_bytes())
    bundle.check_folder_photos(audit_mod.load(path, library), path)


# ---- what is exported imports again -------------------------------------------------------------


def test_an_export_names_only_the_photos_it_carries(library):
    audit = audit_mod.load(HAZARDOUS, library)
    first_ref = next(ref for _, _, answer in audit.answers() for ref in answer.photos)

    def load(ref: str) -> bytes:
        if ref == first_ref:
            raise LookupError(ref)  # the database does not hold it
        return (EXAMPLES / ref).read_bytes()

    copy, files = bundle.with_photo_files(audit, load)
    refs = [ref for _, _, answer in copy.answers() for ref in answer.photos]
    assert refs == sorted(files) == ["photos/001.jpg", "photos/002.jpg"]


def test_an_audit_stored_with_photo_paths_it_never_had_exports_as_a_zip_and_a_folder_that_import_again(library, tmp_path):
    """An audit imported without its folder (the app's upload) or by an older homeaudit keeps the
    paths as written: its export once named /etc/hostname, and that zip was refused."""
    path = audit_folder(tmp_path, "/etc/hostname", "../x.jpg", "missing.jpg", "")
    store = connect(tmp_path / "a.db")
    stored = store.import_file(path.read_bytes(), library, "upload.yaml").audit_id  # no photo loader: paths kept
    assert store.load_audit(stored).rooms[0].answers["bathroom.grab_bar_toilet"].photos == (
        "/etc/hostname",
        "../x.jpg",
        "missing.jpg",
        "",
    )
    data = store.export_bundle(stored)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert "/etc/hostname" not in archive.read("audit.yaml").decode()
        archive.extractall(tmp_path / "unzipped")
    again = connect(tmp_path / "b.db").import_bundle(data, library, "export.zip")
    assert connect(tmp_path / "b.db").load_audit(again).rooms[0].answers["bathroom.grab_bar_toilet"].value == "no"
    unzipped = tmp_path / "unzipped" / "audit.yaml"
    bundle.check_folder_photos(audit_mod.load(unzipped, library), unzipped)  # the command line reads it as a folder
    assert store.load_audit(stored).rooms[0].answers["bathroom.grab_bar_toilet"].photos[0] == "/etc/hostname"  # kept


def test_an_exported_zip_unzips_into_a_folder_whose_photos_all_pass(library, tmp_path):
    with zipfile.ZipFile(io.BytesIO(example_bundle(library))) as archive:
        archive.extractall(tmp_path)
    bundle.check_folder_photos(audit_mod.load(tmp_path / "audit.yaml", library), tmp_path / "audit.yaml")


# ---- the commands that read an audit file -------------------------------------------------------

CLI_CASES = ["absolute", "a device", "up and out", "missing", "empty", "the folder itself"]


@pytest.mark.parametrize("case", CLI_CASES)
def test_import_refuses_a_file_with_such_a_photo_with_exit_2_and_stores_nothing(tmp_path, capsys, case):
    from homeaudit import cli

    path, _, message = _hostile_audit(tmp_path, case)
    db = tmp_path / "a.db"
    assert cli.main(["import", str(path), "--db", str(db)]) == 2
    captured = capsys.readouterr()
    assert message in captured.err and "imported as" not in captured.out
    assert connect(db).list_audits() == []


@pytest.mark.parametrize("case", CLI_CASES)
def test_report_refuses_a_file_with_such_a_photo_with_exit_2_and_score_which_reads_none_goes_on(tmp_path, capsys, case):
    from homeaudit import cli

    path, _, message = _hostile_audit(tmp_path, case)
    pdf = tmp_path / "r.pdf"
    assert cli.main(["report", str(path), "-o", str(pdf)]) == 2
    assert message in capsys.readouterr().err
    assert not pdf.exists()
    assert cli.main(["score", str(path)]) == 0  # it never opens a photo: nothing is read through the path


def test_an_audit_the_command_line_imported_exports_as_a_zip_it_imports_again(tmp_path, capsys):
    from homeaudit import cli

    path = audit_folder(tmp_path, "photos/rug.jpg")
    db, out = tmp_path / "a.db", tmp_path / "out.zip"
    assert cli.main(["import", str(path), "--db", str(db)]) == 0
    [row] = connect(db).list_audits()
    assert cli.main(["export", str(row["id"]), "-o", str(out), "--db", str(db)]) == 0
    assert cli.main(["import", str(out), "--db", str(tmp_path / "b.db")]) == 0
    capsys.readouterr()
