"""The command line: each command, its formats and exit codes, and that the README documents it."""

from __future__ import annotations

import argparse
import csv
import io
import json
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from homeaudit import cli
from homeaudit.audit import AuditError

from audit_builders import EXAMPLES, ROOT

HAZARDOUS = str(EXAMPLES / "hazardous-house.yaml")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _readme_rows() -> dict[str, str]:
    """The README's command table: each `homeaudit <command>` row's text."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = {}
    for line in readme.splitlines():
        if line.startswith("| `homeaudit "):
            rows[line.split()[2].strip("`")] = line
    return rows


def test_every_command_and_option_of_the_parser_is_documented_in_the_readme():
    found = cli.commands()
    assert {"checklist", "validate", "template", "score", "report"} <= set(found)
    rows = _readme_rows()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for command, options in found.items():
        assert command in rows, f"README's command table has no row for `homeaudit {command}`"
        for spellings in options:
            if spellings == ("--checklists",):  # every command takes it; the README says so once
                assert "Every command takes `--checklists DIR`" in readme
                continue
            documented = any(
                f"{s} " in rows[command] or f"{s}`" in rows[command] or f"{s}\\|" in rows[command] for s in spellings
            )
            assert documented, f"README does not document `homeaudit {command} {' / '.join(spellings)}`"


def test_every_command_has_a_help_line_and_a_handler():
    parser = cli.build_parser()
    parser_help = parser.format_help()
    [commands] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    for name, command in commands.choices.items():
        assert name in parser_help and command.description
        assert callable(command.get_default("handler"))


def test_checklist_json_has_what_other_programs_need_to_build_audits(capsys, library):
    code, out, _ = run(capsys, "checklist", "--format", "json")
    items = json.loads(out)
    assert code == 0 and len(items) == len(library.items)
    keys = {
        "id",
        "room",
        "topic",
        "question",
        "answer_type",
        "options",
        "hazard_options",
        "unit",
        "range",
        "severity",
        "action",
        "who",
        "cost",
        "source",
    }
    assert all(keys <= set(i) for i in items)
    grab_bar = next(i for i in items if i["id"] == "bathroom.grab_bar_toilet")
    assert (
        grab_bar["answer_type"] == "yes_no"
        and grab_bar["options"] == ["yes", "no", "na"]
        and grab_bar["hazard_options"] == ["no"]
    )
    height = next(i for i in items if i["id"] == "bathroom.grab_bar_height")
    assert height["answer_type"] == "measurement" and height["unit"] == "cm"
    assert height["range"] == [33, 36] and height["range_unit"] == "in"  # ADA 609.4, in its own unit
    assert grab_bar["source_refs"] and all(isinstance(ref, str) for ref in grab_bar["source_refs"])


def test_checklist_table_lists_rooms_and_items(capsys):
    code, out, _ = run(capsys, "checklist")
    assert code == 0 and "Bathroom (bathroom," in out and "bathroom.grab_bar_toilet" in out


def test_validate_accepts_the_bundled_library(capsys, library):
    code, out, _ = run(capsys, "validate")
    assert code == 0 and f"ok: {len(library.items)} items" in out


def test_validate_reports_a_broken_directory_with_exit_code_2(capsys, tmp_path):
    (tmp_path / "bathroom.yaml").write_text("room: bathroom\nname: B\nitems:\n  - id: bathroom.x\n    topic: nope\n")
    code, out, err = run(capsys, "validate", str(tmp_path))
    assert code == 2 and out == ""
    assert f"{tmp_path / 'bathroom.yaml'}:5: item bathroom.x: field 'topic'" in err
    assert "Traceback" not in err


def test_template_writes_an_audit_that_scores_as_not_assessed(capsys, tmp_path):
    path = tmp_path / "new.yaml"
    code, _, err = run(capsys, "template", "--rooms", "bathroom,bedroom,bedroom", "-o", str(path))
    assert code == 0 and "wrote" in err
    code, out, _ = run(capsys, "score", str(path), "--format", "json")
    result = json.loads(out)
    assert [r["room"] for r in result["rooms"]] == ["bathroom", "bedroom", "bedroom"]
    assert result["overall"] == {**result["overall"], "score": None, "risk_level": "unknown", "coverage": 0.0}


def test_template_never_overwrites_an_existing_file(capsys, tmp_path):
    path = tmp_path / "audit.yaml"
    path.write_text("precious")
    code, _, err = run(capsys, "template", "-o", str(path))
    assert code == 2 and "already exists" in err and path.read_text() == "precious"


def test_template_rejects_an_unknown_room(capsys):
    code, _, err = run(capsys, "template", "--rooms", "ballroom")
    assert code == 2 and "unknown room(s) ballroom" in err


def test_score_json_has_the_documented_keys(capsys):
    code, out, _ = run(capsys, "score", HAZARDOUS, "--format", "json")
    result = json.loads(out)
    assert code == 0
    assert {"score", "risk_level", "coverage"} <= set(result["overall"])
    assert {"room", "label", "score", "hazards", "hazard_items"} <= set(result["rooms"][0])
    assert {"topic", "score", "hazards", "hazard_items"} <= set(result["topics"][0])
    for group in result["rooms"] + result["topics"]:
        assert group["hazards"] == len(group["hazard_items"])
    assert {"rank", "band", "item_id", "room", "label", "topic", "hazard", "action", "who", "cost"} <= set(result["actions"][0])
    assert [a["rank"] for a in result["actions"]] == list(range(1, len(result["actions"]) + 1))


def test_score_csv_is_the_action_plan(capsys):
    code, out, _ = run(capsys, "score", HAZARDOUS, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and rows[0]["rank"] == "1" and {"band", "hazard", "action", "who", "cost"} <= set(rows[0])


def test_score_table_reads_like_a_summary(capsys):
    code, out, _ = run(capsys, "score", HAZARDOUS)
    assert code == 0 and out.startswith("Overall:") and "risk: high" in out and "Action plan:" in out


def test_a_bad_audit_exits_2_with_the_error_on_stderr(capsys, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("format: homeaudit/1\nrooms:\n  - room: bathroom\n    answers:\n      bathroom.grab_bar_toilet: maybe\n")
    code, out, err = run(capsys, "score", str(path))
    assert code == 2 and out == ""
    assert err.startswith(f"homeaudit score: {path}:5: room 1 (bathroom): item bathroom.grab_bar_toilet")


def test_a_missing_audit_file_exits_2(capsys, tmp_path):
    code, _, err = run(capsys, "score", str(tmp_path / "nope.yaml"))
    assert code == 2 and "file not found" in err


def test_the_extra_checklists_option_is_used(capsys, tmp_path):
    (tmp_path / "garage.yaml").write_text(
        "room: garage\nname: Garage\nitems:\n  - id: garage.light\n    topic: lighting\n    question: Is it lit?\n"
        "    help: Look.\n    answer_type: yes_no\n    hazard: Dark garage\n    severity: 2\n    action: Fit a light.\n"
        "    who: handyperson\n    cost: 50_to_250\n    source: Test\n"
    )
    code, out, _ = run(capsys, "--checklists", str(tmp_path), "checklist", "--format", "json")
    assert code == 0 and "garage.light" in {i["id"] for i in json.loads(out)}


def test_a_reader_that_stops_early_is_not_an_error():
    """`homeaudit checklist --format json | head -1`: exit 0, nothing on stderr."""
    reader = subprocess.Popen(
        [sys.executable, "-m", "homeaudit", "checklist", "--format", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    assert reader.stdout is not None and reader.stderr is not None
    assert reader.stdout.readline().strip() == b"["
    reader.stdout.close()  # as `head -1` does after its line
    code = reader.wait(timeout=60)
    err = reader.stderr.read().decode()
    assert code == 0 and err == ""


@pytest.mark.parametrize("argv", [["--help"], ["validate"], ["checklist", "--format", "json"], ["template"]])
def test_commands_that_only_read_checklists_load_no_pandas_or_reportlab(argv):
    probe = (
        "import contextlib, io, sys\n"
        "from homeaudit import cli\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        f"    cli.main({argv!r})\n"
        "print(sorted(m for m in ('pandas', 'numpy', 'reportlab', 'streamlit') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_python_dash_m_works_like_the_console_script():
    done = subprocess.run(
        [sys.executable, "-m", "homeaudit", "score", HAZARDOUS, "--format", "json"], capture_output=True, text=True, cwd=ROOT
    )
    assert done.returncode == 0 and json.loads(done.stdout)["overall"]["risk_level"] == "high"
    bad = subprocess.run(
        [sys.executable, "-m", "homeaudit", "score", "/nonexistent.yaml"], capture_output=True, text=True, cwd=ROOT
    )
    assert bad.returncode == 2 and "file not found" in bad.stderr


# ---- report ---------------------------------------------------------------------------------------


def pdf_text(path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_report_writes_the_pdf_to_the_given_file(capsys, tmp_path):
    out = tmp_path / "plan.pdf"
    code, _, err = run(capsys, "report", HAZARDOUS, "-o", str(out), "--paper", "letter")
    assert code == 0 and f"wrote {out}" in err
    assert "Kowalczyk" in pdf_text(out)


def test_report_defaults_to_reports_client_date_pdf(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, _ = run(capsys, "report", HAZARDOUS)
    assert code == 0
    assert (tmp_path / "reports" / "zoe-kowalczyk-2026-11-20.pdf").is_file()


def test_report_all_writes_one_pdf_per_audit_and_names_the_bad_ones(capsys, tmp_path):
    folder = tmp_path / "audits"
    folder.mkdir()
    for name in ("safe-flat.yaml", "half-finished.yaml"):
        (folder / name).write_text((EXAMPLES / name).read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "broken.yaml").write_text("format: homeaudit/1\nrooms: [{room: ballroom}]\n")
    out = tmp_path / "pdfs"
    code, _, err = run(capsys, "report", "--all", str(folder), "-o", str(out))
    assert code == 2
    assert sorted(p.name for p in out.iterdir()) == ["grace-okafor-2026-10-02.pdf", "jan-novak-2026-11-22.pdf"]
    assert "broken.yaml" in err and "unknown room 'ballroom'" in err


def test_report_needs_a_file_or_a_folder(capsys):
    code, _, err = run(capsys, "report")
    assert code == 2 and "give an audit file" in err


def test_photos_outside_the_audits_folder_are_refused(tmp_path):
    loader = cli.file_photo_loader(tmp_path / "audit.yaml")
    (tmp_path / "ok.jpg").write_bytes(b"x")
    assert loader("ok.jpg") == b"x"
    with pytest.raises(AuditError, match="leads out of the audit file's folder"):
        loader("../../etc/passwd")


def test_the_progress_bar_draws_only_on_a_terminal():
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    quiet, loud = io.StringIO(), Terminal()
    for stream in (quiet, loud):
        bar = cli.Progress(2, stream)
        bar.step("a.yaml")
        bar.step("b.yaml")
        bar.done()
    assert quiet.getvalue() == ""
    assert "2/2" in loud.getvalue() and "#" * 30 in loud.getvalue()


@pytest.mark.parametrize(
    "text, message",
    [
        ("format: homeaudit/1\ndate: 2026-02-30\n", "a.yaml:2: cannot read '2026-02-30': day is out of range"),
        (
            (
                "format: homeaudit/1\nrooms:\n  - room: bathroom\n    answers:\n"
                "      bathroom.bath_mat: 'no'\n      bathroom.bath_mat: 'yes'\n"
            ),
            "a.yaml:6: field 'bathroom.bath_mat' is given twice",
        ),
        ("format: homeaudit/1\nclient: &c {name: A}\nauditor: *c\n", "aliases (*name) are not allowed"),
        ("", "a.yaml:1: an audit file is a mapping"),
        ("[" * 3000, "a.yaml"),
    ],
)
def test_malformed_files_get_a_message_not_a_traceback(capsys, tmp_path, text, message):
    path = tmp_path / "a.yaml"
    path.write_text(text)
    code, _, err = run(capsys, "score", str(path))
    assert code == 2 and message in err and "Traceback" not in err


def test_a_file_that_cannot_be_written_is_a_clear_error(capsys, tmp_path):
    code, _, err = run(capsys, "report", HAZARDOUS, "-o", str(tmp_path))
    assert code == 2 and "is a folder; give the PDF's file name" in err


def test_report_replaces_a_pdf_only_when_told_never_the_audit_file_and_never_through_a_link(capsys, tmp_path):
    audit = tmp_path / "mine.yaml"
    audit.write_bytes(Path(HAZARDOUS).read_bytes())
    shutil.copytree(EXAMPLES / "photos", tmp_path / "photos")  # the file's photos, beside it
    code, _, err = run(capsys, "report", str(audit), "-o", str(audit), "--force")
    assert code == 2 and "that is the audit file being reported" in err
    assert audit.read_bytes() == Path(HAZARDOUS).read_bytes()
    pdf = tmp_path / "plan.pdf"
    assert run(capsys, "report", str(audit), "-o", str(pdf))[0] == 0
    assert stat.S_IMODE(pdf.stat().st_mode) == 0o600  # it holds health details
    code, _, err = run(capsys, "report", str(audit), "-o", str(pdf))
    assert code == 2 and "already exists; add --force to replace it" in err
    assert run(capsys, "report", str(audit), "-o", str(pdf), "--force")[0] == 0
    precious = tmp_path / "precious.txt"
    precious.write_text("precious")
    (tmp_path / "link.pdf").symlink_to(precious)
    for extra in ((), ("--force",)):
        run(capsys, "report", str(audit), "-o", str(tmp_path / "link.pdf"), *extra)
        assert precious.read_text() == "precious"
    code, _, err = run(capsys, "template", "-o", str(tmp_path / "missing" / "x.yaml"))
    assert code == 2 and "No such file or directory" in err


def test_the_checklists_option_works_after_the_command_too(capsys, tmp_path):
    code, _, err = run(capsys, "score", HAZARDOUS, "--checklists", str(tmp_path / "nowhere"))
    assert code == 2 and "checklist directory not found" in err


def test_report_all_never_writes_two_audits_to_one_file(capsys, tmp_path):
    folder = tmp_path / "audits"
    folder.mkdir()
    for name in ("visit-1.yaml", "visit-2.yaml"):
        (folder / name).write_text((EXAMPLES / "safe-flat.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    code, _, _ = run(capsys, "report", "--all", str(folder), "-o", str(tmp_path / "out"))
    assert code == 0 and len(list((tmp_path / "out").iterdir())) == 2


# ---- the database from the command line ------------------------------------------------------------


def test_import_reports_each_file_goes_on_after_a_bad_one_and_exits_2(capsys, tmp_path):
    db = tmp_path / "h.db"
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: homeaudit/1\nrooms:\n  - room: ballroom\n")
    code, out, err = run(capsys, "import", HAZARDOUS, str(bad), str(EXAMPLES / "safe-flat.yaml"), "--db", str(db))
    assert code == 2
    assert "hazardous-house.yaml: imported as 2026-11-20-kowalczyk" in out and "safe-flat.yaml: imported as" in out
    assert f"{bad}:3: room 1 (ballroom): field 'room': unknown room 'ballroom'" in err and "1 of 3 file(s) not imported" in err
    code, out, _ = run(capsys, "import", HAZARDOUS, "--db", str(db))
    assert code == 0 and "already in the database as 2026-11-20-kowalczyk" in out


def test_import_brings_the_photos_beside_a_file_in_and_export_writes_them_back_out(capsys, tmp_path):
    db = tmp_path / "h.db"
    run(capsys, "import", HAZARDOUS, "--db", str(db))
    out_zip = tmp_path / "k.zip"
    code, _, err = run(capsys, "export", "2026-11-20-kowalczyk", "-o", str(out_zip), "--db", str(db))
    assert code == 0 and "wrote" in err
    with zipfile.ZipFile(out_zip) as archive:
        photos = [n for n in archive.namelist() if n.startswith("photos/")]
    assert len(photos) == 3
    code, _, err = run(capsys, "export", "2026-11-20-kowalczyk", "-o", str(out_zip), "--db", str(db))
    assert code == 2 and "already exists" in err


def test_delete_needs_yes_off_a_terminal_and_then_erases_the_audit(capsys, tmp_path, monkeypatch):
    db = tmp_path / "h.db"
    run(capsys, "import", HAZARDOUS, "--db", str(db))
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    code, _, err = run(capsys, "delete", "2026-11-20-kowalczyk", "--db", str(db))
    assert code == 2 and "add --yes" in err and "nothing was deleted" in err
    code, _, _ = run(capsys, "delete", "2026-11-20-kowalczyk", "--db", str(db), "--yes")
    assert code == 0
    code, out, _ = run(capsys, "list", "--db", str(db))
    assert code == 0 and out == ""
    code, _, err = run(capsys, "delete", "2026-11-20-kowalczyk", "--db", str(db), "--yes")
    assert code == 2 and "no audit with id '2026-11-20-kowalczyk'" in err


class _Terminal(io.StringIO):
    """A terminal whose person types ``text`` (empty: Ctrl-D at once)."""

    def isatty(self) -> bool:
        return True


def test_ctrl_d_at_the_delete_question_is_a_no(capsys, tmp_path, monkeypatch):
    db = tmp_path / "h.db"
    run(capsys, "import", HAZARDOUS, "--db", str(db))
    monkeypatch.setattr("sys.stdin", _Terminal(""))
    code, _, err = run(capsys, "delete", "2026-11-20-kowalczyk", "--db", str(db))
    assert code == 0 and "Nothing was deleted." in err and "Traceback" not in err
    assert "2026-11-20-kowalczyk" in run(capsys, "list", "--db", str(db))[1]


def test_escape_codes_in_a_file_are_shown_not_obeyed_by_import_list_and_delete(capsys, tmp_path, monkeypatch):
    """A hostile file's name could clear the screen, or rewrite the delete question to show
    another client: the terminal sees the codes written out."""
    text = (EXAMPLES / "hazardous-house.yaml").read_text(encoding="utf-8")
    path = tmp_path / "esc.yaml"
    shutil.copytree(EXAMPLES / "photos", tmp_path / "photos")
    path.write_text(
        text.replace("id: 2026-11-20-kowalczyk", 'id: "esc-\\e[31mred"').replace(
            "name: Zoë Kowalczyk", 'name: "Bob\\e[2J\\e[31mRED\\x9b31m"'
        ),
        encoding="utf-8",
    )
    db = tmp_path / "h.db"
    code, out, err = run(capsys, "import", str(path), "--db", str(db))
    assert code == 0, err
    code, listed, _ = run(capsys, "list", "--db", str(db))
    monkeypatch.setattr("sys.stdin", _Terminal("n\n"))
    [audit_id] = [line.split("\t")[0] for line in listed.splitlines()]
    code, asked, _ = run(capsys, "delete", "esc-\x1b[31mred", "--db", str(db))
    for shown in (out, listed, asked):
        assert "\x1b" not in shown and "\x9b" not in shown
    assert "esc-\\u001b[31mred" in out and audit_id == "esc-\\u001b[31mred"
    assert "Bob\\u001b[2J\\u001b[31mRED\\u009b31m" in listed


def test_a_database_that_is_not_one_is_named_and_left_alone(capsys, tmp_path):
    db = tmp_path / "h.db"
    db.write_text("not a database at all " * 50)
    code, _, err = run(capsys, "list", "--db", str(db))
    assert code == 2 and f"{db}: this is not a homeaudit database, or it is damaged" in err and "Traceback" not in err
    assert db.read_text().startswith("not a database at all")


def test_the_csv_plan_keeps_a_note_that_looks_like_a_formula_as_text(capsys, tmp_path):
    text = (EXAMPLES / "hazardous-house.yaml").read_text(encoding="utf-8")
    path = tmp_path / "h.yaml"
    shutil.copytree(EXAMPLES / "photos", tmp_path / "photos")
    path.write_text(
        text.replace("id: 2026-11-20-kowalczyk", "id: x").replace("label: Upstairs bathroom", 'label: "=HYPERLINK(1)"')
    )
    code, out, _ = run(capsys, "score", str(path), "--format", "csv")
    labels = {row["label"] for row in csv.DictReader(io.StringIO(out))}
    assert code == 0 and "'=HYPERLINK(1)" in labels and "=HYPERLINK(1)" not in labels


# ---- files from someone else: one line per bad file, and the others go on --------------------------


def _dot_zip(path) -> None:
    """A zip whose first member is named ".": it made the bundle reader raise IndexError."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("."), b"x")
        archive.writestr("audit.yaml", (EXAMPLES / "safe-flat.yaml").read_bytes())


def test_import_refuses_a_zip_with_an_odd_member_in_one_line_and_goes_on(capsys, tmp_path):
    dot = tmp_path / "dot.zip"
    _dot_zip(dot)
    db = tmp_path / "h.db"
    code, out, err = run(capsys, "import", HAZARDOUS, str(dot), str(EXAMPLES / "ot-visit.yaml"), "--db", str(db))
    assert code == 2 and "Traceback" not in err
    assert f"{dot}: member '.' has a name that is not allowed" in err
    assert "hazardous-house.yaml: imported as" in out and "ot-visit.yaml: imported as" in out
    assert "1 of 3 file(s) not imported" in err


def test_report_all_reports_a_zip_with_an_odd_member_and_goes_on(capsys, tmp_path):
    folder = tmp_path / "audits"
    folder.mkdir()
    _dot_zip(folder / "a-dot.zip")
    (folder / "b.yaml").write_text((EXAMPLES / "safe-flat.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "pdfs"
    code, _, err = run(capsys, "report", "--all", str(folder), "-o", str(out))
    assert code == 2 and "a-dot.zip: member '.' has a name that is not allowed" in err
    assert [p.name for p in out.iterdir()] == ["grace-okafor-2026-10-02.pdf"]


def test_an_unforeseen_error_in_one_file_is_one_line_and_the_others_go_on(capsys, tmp_path, monkeypatch):
    from homeaudit import store

    real = store.Store.import_file

    def flaky(self, data, library, source, **kwargs):
        if source.endswith("safe-flat.yaml"):
            raise RuntimeError("something homeaudit did not foresee\nsecond line")
        return real(self, data, library, source, **kwargs)

    monkeypatch.setattr(store.Store, "import_file", flaky)
    code, out, err = run(capsys, "import", str(EXAMPLES / "safe-flat.yaml"), HAZARDOUS, "--db", str(tmp_path / "h.db"))
    assert code == 2 and "hazardous-house.yaml: imported as" in out
    line = f"{EXAMPLES / 'safe-flat.yaml'}: could not be read: an unexpected RuntimeError (something homeaudit did not"
    assert line in err and "second line); please report this" in err and "Traceback" not in err


@pytest.mark.parametrize("command", ["score", "report", "import"])
def test_a_folder_or_a_device_given_as_an_audit_file_is_refused(capsys, tmp_path, command):
    folder = tmp_path / "audit.yaml"
    folder.mkdir()
    device = tmp_path / "zero.yaml"
    device.symlink_to("/dev/zero")  # read whole, it never ends: a MemoryError traceback
    extra = (
        ["--db", str(tmp_path / "h.db")]
        if command == "import"
        else ["-o", str(tmp_path / "r.pdf")]
        if command == "report"
        else []
    )
    code, _, err = run(capsys, command, str(folder), *extra)
    assert code == 2 and f"{folder}: a folder, not a file" in err
    code, _, err = run(capsys, command, str(device), *extra)
    assert code == 2 and f"{device}: not a regular file (a pipe, a socket or a device)" in err and "Traceback" not in err


@pytest.mark.parametrize("command", [["score"], ["import", "--db", "{db}"], ["validate"]])
def test_a_pipe_is_refused_at_once_not_read_for_ever(tmp_path, command):
    """`stat` says 0 bytes for a FIFO, and reading it blocks until someone writes: it hung import."""
    import os

    folder = tmp_path / "checklists"
    folder.mkdir()
    fifo = (folder if command == ["validate"] else tmp_path) / "fifo.yaml"
    os.mkfifo(fifo)
    argv = [a.replace("{db}", str(tmp_path / "h.db")) for a in command] + [str(folder if command == ["validate"] else fifo)]
    done = subprocess.run([sys.executable, "-m", "homeaudit", *argv], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 2 and f"{fifo}: not a regular file" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("command", [["list"], ["export", "x", "-o", "{out}"], ["delete", "x", "--yes"]])
def test_commands_that_only_read_never_create_a_database(capsys, tmp_path, command):
    db = tmp_path / "typo" / "deeper" / "n.db"
    argv = [a.replace("{out}", str(tmp_path / "x.zip")) for a in command]
    code, _, err = run(capsys, *argv, "--db", str(db))
    assert code == 2 and f"{db}: no database here (nothing was created)" in err
    assert not (tmp_path / "typo").exists() and not (tmp_path / "x.zip").exists()


def test_a_refusal_lists_twenty_problems_and_counts_the_rest(capsys, tmp_path):
    """60 rooms of 399 unknown answers made a refusal of 23,940 lines (2.6 MB)."""
    answers = ", ".join(f'"bathroom.x{n}": "no"' for n in range(399))
    rooms = ", ".join(f'{{"room": "bathroom", "answers": {{{answers}}}}}' for _ in range(60))
    path = tmp_path / "many.json"
    path.write_text(f'{{"format": "homeaudit/1", "rooms": [{rooms}]}}')
    code, _, err = run(capsys, "score", str(path))
    lines = err.strip().splitlines()
    assert code == 2 and len(lines) == 21
    assert "item bathroom.x0: unknown item id" in lines[0] and lines[-1] == "… and 23,920 more problems"


def test_the_table_shows_invisible_controls_from_the_file_as_escapes(capsys, tmp_path):
    """A room label "\\u202egpj.exe" printed raw turned the terminal's line around ("exe.jpg")."""
    text = (EXAMPLES / "hazardous-house.yaml").read_text(encoding="utf-8")
    path = tmp_path / "h.yaml"
    shutil.copytree(EXAMPLES / "photos", tmp_path / "photos")
    path.write_text(text.replace("label: Upstairs bathroom", 'label: "\\u202egpj.exe\\x1b[2J"'), encoding="utf-8")
    code, out, _ = run(capsys, "score", str(path))
    assert code == 0 and "\\u202egpj.exe\\u001b[2J" in out
    assert "\u202e" not in out and "\x1b" not in out


def test_an_exported_file_is_readable_by_its_owner_only_and_never_written_over(tmp_path):
    from homeaudit.cli import CommandError, write_private

    out = tmp_path / "plan.ics"
    write_private(out, b"one", replace=False)
    assert out.read_bytes() == b"one" and stat.S_IMODE(out.stat().st_mode) == 0o600
    with pytest.raises(CommandError, match="already exists"):
        write_private(out, b"two", replace=False)
    write_private(out, b"three", replace=True)
    assert out.read_bytes() == b"three" and stat.S_IMODE(out.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.ics"]  # no temporary file left


def test_a_missing_photo_stops_only_the_commands_that_read_photos(capsys, tmp_path):
    """score, compare and calendar never look at a photo; report and import do, and say which."""
    path = tmp_path / "h.yaml"
    path.write_bytes(Path(HAZARDOUS).read_bytes())  # its photos/ folder is not beside it
    assert run(capsys, "score", str(path))[0] == 0
    assert run(capsys, "compare", str(path), str(path))[0] == 0
    assert run(capsys, "calendar", str(path), "-o", str(tmp_path / "p.ics"))[0] == 0
    code, _, err = run(capsys, "report", str(path), "-o", str(tmp_path / "p.pdf"))
    assert code == 2 and "there is no such file in the audit file's folder" in err
    code, _, err = run(capsys, "import", str(path), "--db", str(tmp_path / "h.db"))
    assert code == 2 and "photo" in err
