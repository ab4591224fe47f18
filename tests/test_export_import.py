"""`homeaudit export --all` and `import`: every audit as files, the answers in long form, and a round
trip through a new database that gives back the same bytes."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from homeaudit import cli, export_all, score
from homeaudit.audit import RESIDENT_VISIT
from homeaudit.store import connect

from audit_builders import EXAMPLES

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture()
def db(tmp_path, capsys) -> Path:
    """A database holding every example audit (two of them with photos)."""
    path = tmp_path / "h.db"
    code, _, err = run(capsys, "import", *map(str, EXAMPLE_FILES), "--db", str(path))
    assert code == 0, err
    return path


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_export_all_writes_each_audit_with_its_photos_beside_it_and_the_answers(capsys, tmp_path, db):
    out = tmp_path / "export"
    code, _, err = run(capsys, "export", "--all", str(out), "--db", str(db))
    assert code == 0 and "wrote 5 audit(s) with 5 photo(s)" in err
    files = _files(out)
    with connect(db, create=False) as store:
        ids = [r["id"] for r in store.list_audits()]
    assert {f"{i}.yaml" for i in ids} | {"answers.csv", "answers.xlsx"} == {n for n in files if "/" not in n}
    photos = sorted(n for n in files if n.startswith("photos/"))
    assert photos == [
        "photos/2026-11-20-kowalczyk/001.jpg",
        "photos/2026-11-20-kowalczyk/002.jpg",
        "photos/2026-11-20-kowalczyk/003.jpg",
        "photos/2026-11-26-ashworth/001.jpg",
        "photos/2026-11-26-ashworth/002.jpg",
    ]
    text = files["2026-11-20-kowalczyk.yaml"].decode()
    assert text.startswith("format: homeaudit/1") and "photos/2026-11-20-kowalczyk/001.jpg" in text and "photo:" not in text
    # The file, read as the command line reads a file, finds its photos beside it.
    audit, load = cli.read_audit(out / "2026-11-20-kowalczyk.yaml", _library())
    refs = [ref for _, _, answer in audit.answers() for ref in answer.photos]
    assert [load(ref) for ref in refs] == [files[ref] for ref in refs]


def _library():
    from homeaudit import checklist

    return checklist.load(extra="")


def test_answers_csv_has_every_question_of_every_audit_with_its_status(capsys, tmp_path, db, library):
    out = tmp_path / "export"
    run(capsys, "export", "--all", str(out), "--db", str(db))
    with (out / "answers.csv").open(encoding="utf-8", newline="") as file:
        reader = csv.DictReader(file)
        assert reader.fieldnames == list(export_all.ANSWER_COLUMNS)
        rows = list(reader)
    with connect(db, create=False) as store:
        audits = sorted(store.load_audits(), key=lambda a: (a.date, a.id))
    expected = []
    for audit in audits:
        result = score(audit, library)
        for finding in result.findings:
            answer = (audit.resident if finding.visit == RESIDENT_VISIT else audit.rooms[finding.visit].answers).get(
                finding.item_id
            )
            value = "" if finding.value is None else finding.value
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            expected.append(
                {
                    "audit": audit.id,
                    "client": audit.client.name,
                    "date": audit.date.isoformat(),
                    "auditor_role": audit.auditor.role,
                    "room": finding.room,
                    "label": audit.rooms[finding.visit].label if finding.visit != RESIDENT_VISIT else "",
                    "item": finding.item_id,
                    "value": str(value),
                    "unit": (answer.unit if answer is not None else None) or "",
                    "status": finding.status,
                }
            )
    assert rows == expected
    assert {r["status"] for r in rows} >= {"hazard", "safe", "not_assessed"}
    assert any(r["unit"] for r in rows)  # measurements keep their unit


def test_answers_xlsx_holds_the_same_cells_as_the_csv(capsys, tmp_path, db):
    out = tmp_path / "export"
    run(capsys, "export", "--all", str(out), "--db", str(db))
    with (out / "answers.csv").open(encoding="utf-8", newline="") as file:
        rows = list(csv.reader(file))
    sheet = load_workbook(out / "answers.xlsx", read_only=True).active
    cells = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    assert cells == rows
    numbers = [row[7] for row in sheet.iter_rows(min_row=2, values_only=True) if isinstance(row[7], (int, float))]
    assert numbers  # readings are numbers in the workbook, not text


def test_a_label_that_looks_like_a_formula_stays_text_in_both_files(capsys, tmp_path):
    text = (EXAMPLES / "hazardous-house.yaml").read_text(encoding="utf-8")
    audit_file = tmp_path / "f.yaml"
    audit_file.write_text(text.replace("label: Upstairs bathroom", 'label: "=HYPERLINK(1)"'), encoding="utf-8")
    shutil.copytree(EXAMPLES / "photos", tmp_path / "photos")  # a link out of the folder is refused
    db = tmp_path / "h.db"
    run(capsys, "import", str(audit_file), "--db", str(db))
    out = tmp_path / "export"
    assert run(capsys, "export", "--all", str(out), "--db", str(db))[0] == 0
    labels = {row["label"] for row in csv.DictReader(io.StringIO((out / "answers.csv").read_text(encoding="utf-8")))}
    assert "'=HYPERLINK(1)" in labels and "=HYPERLINK(1)" not in labels
    sheet = load_workbook(out / "answers.xlsx").active
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert "'=HYPERLINK(1)" in {row[5] for row in sheet.iter_rows(values_only=True)}


def test_export_import_export_gives_back_the_same_files_byte_for_byte(capsys, tmp_path, db):
    first = tmp_path / "first"
    assert run(capsys, "export", "--all", str(first), "--db", str(db))[0] == 0
    fresh = tmp_path / "fresh.db"
    code, out, err = run(capsys, "import", *map(str, sorted(first.glob("*.yaml"))), "--db", str(fresh))
    assert code == 0, err
    assert out.count("imported as") == 5
    second = tmp_path / "second"
    assert run(capsys, "export", "--all", str(second), "--db", str(fresh))[0] == 0
    before, after = _files(first), _files(second)
    assert sorted(before) == sorted(after)
    for name, data in before.items():
        assert after[name] == data, f"{name} differs after the round trip"


def test_importing_an_exported_file_again_skips_it_as_a_duplicate(capsys, tmp_path, db):
    out = tmp_path / "export"
    run(capsys, "export", "--all", str(out), "--db", str(db))
    code, stdout, _ = run(capsys, "import", *map(str, sorted(out.glob("*.yaml"))), "--db", str(db))
    assert code == 0 and stdout.count("already in the database as") == 5
    with connect(db, create=False) as store:
        assert len(store.list_audits()) == 5


def test_a_different_audit_with_the_same_id_is_refused_with_the_reason_and_the_others_go_on(capsys, tmp_path, db):
    changed = tmp_path / "changed.yaml"
    changed.write_text(
        (EXAMPLES / "safe-flat.yaml").read_text(encoding="utf-8").replace("Grace Okafor", "Someone Else"), encoding="utf-8"
    )
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: homeaudit/1\nrooms: [1, 2\n", encoding="utf-8")
    other = tmp_path / "other.yaml"
    other.write_text(
        (EXAMPLES / "safe-flat.yaml").read_text(encoding="utf-8").replace("id: 2026-10-02-okafor", "id: another-one"),
        encoding="utf-8",
    )
    code, out, err = run(capsys, "import", str(changed), str(bad), str(other), "--db", str(db))
    assert code == 2
    assert f"{changed}: a different audit with the id '2026-10-02-okafor' is already in the database; nothing was imported" in err
    assert f"{bad}:" in err and "2 of 3 file(s) not imported" in err
    assert f"{other}: imported as another-one" in out
    with connect(db, create=False) as store:
        assert store.load_audit("2026-10-02-okafor").client.name == "Grace Okafor"  # nothing overwritten
        assert store.exists("another-one")


def test_export_all_never_writes_into_a_folder_that_holds_anything(capsys, tmp_path, db):
    out = tmp_path / "export"
    out.mkdir()
    (out / "mine.txt").write_text("keep me")
    code, _, err = run(capsys, "export", "--all", str(out), "--db", str(db))
    assert code == 2 and f"{out}: the folder is not empty" in err and "nothing was written" in err
    assert [p.name for p in out.iterdir()] == ["mine.txt"] and (out / "mine.txt").read_text() == "keep me"
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run(capsys, "export", "--all", str(empty), "--db", str(db))[0] == 0
    assert (empty / "answers.csv").is_file()
    assert not [p for p in tmp_path.iterdir() if ".part-" in p.name]  # no work folder left behind


def test_export_takes_either_an_audit_or_all(capsys, tmp_path, db):
    assert run(capsys, "export", "--db", str(db))[0] == 2
    code, _, err = run(capsys, "export", "2026-10-02-okafor", "--all", str(tmp_path / "x"), "--db", str(db))
    assert code == 2 and "not both" in err and not (tmp_path / "x").exists()
    code, _, err = run(capsys, "export", "2026-10-02-okafor", "--db", str(db))
    assert code == 2 and "-o FILE" in err
    code, _, _ = run(capsys, "export", "2026-10-02-okafor", "-o", str(tmp_path / "one.zip"), "--db", str(db))
    assert code == 0 and (tmp_path / "one.zip").is_file()


def test_export_all_of_a_missing_database_is_an_error_not_a_new_one(capsys, tmp_path):
    code, _, err = run(capsys, "export", "--all", str(tmp_path / "out"), "--db", str(tmp_path / "none.db"))
    assert code == 2 and "no database here" in err and not (tmp_path / "none.db").exists()


def test_file_names_are_safe_and_stable():
    names = export_all.file_names(["b", "../etc/passwd", "B", "answers.csv", "a b"])
    assert names["b"] != names["B"] and names["B"].casefold() != names["b"].casefold()
    assert "/" not in names["../etc/passwd"] and names["answers.csv"] != "answers.csv"
    assert export_all.file_names(["B", "b", "a b", "../etc/passwd", "answers.csv"]) == names


def test_a_photo_already_as_homeaudit_keeps_it_is_kept_byte_for_byte_and_others_are_re_encoded():
    from homeaudit.photos import keep

    original = (EXAMPLES / "photos" / "hall-rug.jpg").read_bytes()
    once = keep("a.jpg", original).data
    assert keep("b.jpg", once).data == once
    with_comment = once[:2] + b"\xff\xfe\x00\x07hello" + once[2:]  # a comment segment: re-encoded
    assert b"hello" not in keep("c.jpg", with_comment).data
    trailing = once + b"secret"
    assert b"secret" not in keep("d.jpg", trailing).data
