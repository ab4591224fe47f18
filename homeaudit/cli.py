"""The command line: the same checklist, scoring and reports as the app, without a browser.

Each command gathers its arguments, calls one core function and prints the result. Errors
from the core (a broken checklist, a bad audit file) become one message on stderr and exit
code 2; nothing here knows how scoring works.

The commands that only read checklists (``checklist``, ``validate``, ``template``, ``--help``)
must start fast, so the scoring engine (pandas) and the report (reportlab) are imported inside
the commands that use them, never at the top of this module.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import stat
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from homeaudit import checklist, limits
from homeaudit.checklist import ChecklistError, Library
from homeaudit.money import cost_label, currency
from homeaudit.words import BAND_LABELS, RISK_LABELS, WHO_LABELS, label

if TYPE_CHECKING:
    from homeaudit import Comparison
    from homeaudit.audit import Audit
    from homeaudit.report import ReportOptions
    from homeaudit.results import Score
    from homeaudit.store import Store

EXIT_OK = 0
EXIT_BAD_INPUT = 2


class CommandError(Exception):
    """A problem the user can fix; printed on stderr, exit code 2."""


def _fixable(error: Exception) -> bool:
    """A problem the user can fix (a checklist, an audit file, an argument): one message on stderr
    with exit code 2, never a traceback. The audit and scoring modules' errors can only have been
    raised if those modules were loaded, so they are looked up only then (``validate`` loads
    neither)."""
    kinds: list[type[Exception]] = [ChecklistError, CommandError, limits.FileRefused]
    for module, name in (
        ("homeaudit.audit", "AuditError"),
        ("homeaudit.results", "ScoringError"),
        ("homeaudit.store", "StoreError"),
    ):
        if module in sys.modules:
            kinds.append(getattr(sys.modules[module], name))
    return isinstance(error, tuple(kinds))


def build_parser() -> argparse.ArgumentParser:
    """The argument parser; ``--checklists`` is accepted before or after the command."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--checklists",
        metavar="DIR",
        default=argparse.SUPPRESS,  # given before or after the command, never reset by the other
        help="an extra checklist directory whose items add to or override the bundled ones (default: $HOMEAUDIT_CHECKLISTS)",
    )
    # Given before or after the command (`homeaudit --db URL --practice north list`), never reset by the other.
    database = argparse.ArgumentParser(add_help=False)
    database.add_argument(
        "--db",
        metavar="PATH|URL",
        default=argparse.SUPPRESS,
        help="the database: a SQLite file, or a postgresql:// URL (default: the app's, $HOMEAUDIT_DB or data/homeaudit.db)",
    )
    database.add_argument(
        "--practice",
        metavar="NAME",
        default=argparse.SUPPRESS,
        help="the practice whose audits to use: needed with a server database ($HOMEAUDIT_PRACTICE; a laptop's has none)",
    )
    parser = argparse.ArgumentParser(
        prog="homeaudit",
        description="Home fall-risk and ergonomics audit: checklists, scoring and PDF action plans.",
        parents=[common, database],
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(
        name: str, handler: Callable[[argparse.Namespace], int], summary: str, *, store: bool = False
    ) -> argparse.ArgumentParser:
        found = sub.add_parser(name, help=summary, description=summary, parents=[common, database] if store else [common])
        found.set_defaults(handler=handler)
        return found

    p = command("checklist", cmd_checklist, "Print the checklist library (every room and item).")
    p.add_argument("--format", choices=["json", "table"], default="table")

    p = command("validate", cmd_validate, "Check checklist files and report every problem with file, line, item and field.")
    p.add_argument("dir", nargs="?", help="a checklist directory (default: the bundled library and --checklists)")

    p = command("template", cmd_template, "Write a blank audit file to fill in.")
    p.add_argument("--rooms", help="comma-separated room ids, a room repeated for each copy (default: every room)")
    p.add_argument("-o", "--output", help="file to write (.yaml or .json); default: standard output")
    p.add_argument("--format", choices=["yaml", "json"], default="yaml", help="YAML lists every question as a comment")

    p = command("score", cmd_score, "Score an audit file: overall, rooms, topics and the ranked action plan.")
    p.add_argument("audit", help="an audit file (homeaudit/1, YAML or JSON), or a .zip of one with its photos")
    p.add_argument("--format", choices=["json", "table", "csv"], default="table")

    p = command("report", cmd_report, "Write the PDF action plan for an audit file (or for every audit in a folder).")
    p.add_argument("audit", nargs="?", help="an audit file (homeaudit/1, YAML or JSON), or a .zip of one with its photos")
    p.add_argument("--all", metavar="DIR", help="write one report per audit file in DIR")
    p.add_argument("-o", "--output", help="the PDF file (with --all: the folder); default: reports/<client>-<date>.pdf")
    p.add_argument("--paper", choices=["a4", "letter"], help="paper size (default: from the locale)")
    p.add_argument("--large-print", action="store_true", help="body text of at least 14 pt")
    p.add_argument("--force", action="store_true", help="replace a PDF that is already there (never the audit file itself)")

    p = command(
        "import", cmd_import, "Import audit files and zips into the database, after every check; one line per file.", store=True
    )
    p.add_argument(
        "files", nargs="+", metavar="FILE", help="audit files (YAML or JSON) or .zip files of an audit with its photos"
    )

    p = command(
        "export",
        cmd_export,
        "Write an audit from the database as a zip with its photos, or every audit into a folder (--all).",
        store=True,
    )
    p.add_argument("audit", metavar="AUDIT", nargs="?", help="the audit's id (as `homeaudit list` or the app's URL shows it)")
    p.add_argument("-o", "--output", help="the zip to write for AUDIT; never over an existing file")
    p.add_argument(
        "--all",
        metavar="DIR",
        help="write every audit into DIR (new or empty): <id>.yaml with photos/<id>/, answers.csv and answers.xlsx",
    )

    p = command("backup", cmd_backup, "Copy the database to a new file, safely while the app is running.", store=True)
    p.add_argument("dest", metavar="DEST", help="the backup file to write; never over an existing file")

    p = command(
        "restore", cmd_restore, "Put a backup in place of the database (stop the app first); the old one is kept.", store=True
    )
    p.add_argument("backup", metavar="BACKUP", help="a backup written by `homeaudit backup`")

    p = command("delete", cmd_delete, "Erase an audit from the database: its answers, notes, photos and plan.", store=True)
    p.add_argument("audit", metavar="AUDIT", help="the audit's id")
    p.add_argument("--yes", action="store_true", help="do not ask first (needed when not run from a terminal)")

    p = command(
        "calendar", cmd_calendar, "Write the open actions with a due date as a calendar file (.ics) for a phone.", store=True
    )
    p.add_argument(
        "audit", metavar="AUDIT", help="an audit file (YAML, JSON or a .zip), or an audit's id in the database (with its dates)"
    )
    p.add_argument("-o", "--output", required=True, help="the .ics file to write")
    p.add_argument("--force", action="store_true", help="replace the output file if it exists")

    p = command("list", cmd_list, "List the audits in the database: id, date, client, who audited.", store=True)

    p = command(
        "migrate-db",
        cmd_migrate_db,
        "Copy every audit of one database into another (a laptop's SQLite file into a practice's server).",
    )
    p.add_argument(
        "source", metavar="SRC", help="the database to copy from: a SQLite file (never changed) or a postgresql:// URL"
    )
    p.add_argument("dest", metavar="DEST", help="the database to copy into: a postgresql:// URL or a SQLite file")
    p.add_argument(
        "--practice",
        metavar="NAME",
        default=argparse.SUPPRESS,
        help="the practice the copied clients and audits belong to in DEST (needed when DEST is a server)",
    )
    p.add_argument(
        "--from-practice", metavar="NAME", default="", help="the practice to copy from SRC (default: a laptop's, which has none)"
    )

    p = command("compare", cmd_compare, "Compare a visit with the one before: what was fixed, what is new, what remains.")
    p.add_argument("old", metavar="OLD", help="the earlier visit: an audit file (YAML or JSON) or a .zip of one")
    p.add_argument("new", metavar="NEW", help="the later visit: an audit file (YAML or JSON) or a .zip of one")
    p.add_argument("--format", choices=["json", "table"], default="table")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return its exit code (0 ok, 2 bad input or a file that cannot be written)."""
    args = build_parser().parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        code = handler(args)
        sys.stdout.flush()  # a reader that stopped early is found here, not at exit
        return code
    except BrokenPipeError:  # `homeaudit checklist | head -1`: the reader has all it wanted
        _silence_stdout()
        return EXIT_OK
    except OSError as error:
        print(f"homeaudit {args.command}: {error.filename or ''}: {error.strerror or error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as error:
        if not _fixable(error):
            raise
        print(f"homeaudit {args.command}: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT


def _silence_stdout() -> None:
    """Point standard output at the null device, so Python's own flush at exit cannot fail again
    on the closed pipe (the recipe of the Python docs, "Note on SIGPIPE")."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def _library(args: argparse.Namespace) -> Library:
    extra = getattr(args, "checklists", None)
    folder = extra if extra is not None else os.environ.get("HOMEAUDIT_CHECKLISTS")
    if folder:
        _check_checklist_files(Path(folder))
    return checklist.load(extra)


def _check_checklist_files(directory: Path) -> None:
    """The checklist files of a folder that is not homeaudit's own, checked as files from someone
    else before the loader reads them: each a regular file (a pipe would never end) within the
    size of an audit file."""
    if not directory.is_dir():
        return  # the loader says so, in its own words
    for path in sorted(directory.glob("*.yaml")) + sorted(directory.glob("*.yml")):
        try:
            info = path.stat()
        except OSError as error:
            raise CommandError(f"{path}: cannot be read ({error.strerror or error})") from None
        if not stat.S_ISREG(info.st_mode):
            raise CommandError(f"{path}: not a regular file (a folder, a pipe or a device)")
        if info.st_size > limits.MAX_AUDIT_BYTES:
            size = f"{info.st_size / limits.MB:.1f} MB"
            raise CommandError(f"{path}: the file is {size}; the limit is {limits.MAX_AUDIT_BYTES // limits.MB} MB")


# ---- commands ----------------------------------------------------------------------------------


def cmd_checklist(args: argparse.Namespace) -> int:
    """Print every item: JSON for programs that build audits, a table for people."""
    library = _library(args)
    items = [item.to_public_dict() for item in library.items.values()]
    if args.format == "json":
        print(json.dumps(items, ensure_ascii=False, indent=2))
        return EXIT_OK
    for room in library.rooms:
        print(f"\n{room.name} ({room.room}, {len(room.items)} items)")
        for item in room.items:
            kind = item.answer_type if item.answer_type != "measurement" else f"measurement, {item.unit}"
            print(f"  {item.id:<40} [{item.topic}, severity {item.severity}, {kind}]  {item.question}")
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    """Load the library (and a directory on top of it); any problem raises ChecklistError."""
    # A directory is checked as it will be used: on top of the bundled library.
    if args.dir:
        _check_checklist_files(Path(args.dir))
    library = checklist.load(args.dir) if args.dir else _library(args)
    print(f"ok: {len(library.items)} items in {len(library.rooms)} rooms")
    return EXIT_OK


def cmd_template(args: argparse.Namespace) -> int:
    """Write a blank audit; never over an existing file, since it may hold a finished audit."""
    library = _library(args)
    rooms = [r.strip() for r in args.rooms.split(",") if r.strip()] if args.rooms else None
    from homeaudit import audit as audit_mod

    audit = audit_mod.blank(library, rooms)
    text = audit_mod.template(audit, library) if args.format == "yaml" else audit_mod.dumps(audit, "json")
    if args.output:
        out = Path(args.output)
        if out.exists():
            raise CommandError(f"{out}: already exists; not overwriting an audit")
        if out.suffix.lower() == ".json":
            text = audit_mod.dumps(audit, "json")
        out.write_text(text, encoding="utf-8")
        print(f"wrote {out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return EXIT_OK


def read_audit(path: Path, library: Library, *, photos: bool = True) -> tuple[Audit, Callable[[str], bytes]]:
    """An audit file, or a zip of one with its photos (homeaudit.bundle), and where its photos are.
    A plain file's photos are checked only for a command that reads them (``photos``: report):
    ``score``, ``compare`` and ``calendar`` never look at a photo, so one missing is no reason to
    refuse them the file."""
    from homeaudit import audit as audit_mod
    from homeaudit import bundle

    if path.suffix.lower() == ".zip":
        audit, in_zip = bundle.unpack(_read_file(path, limits.MAX_BUNDLE_BYTES), library, str(path))
        return audit, lambda ref: in_zip[ref]
    audit = audit_mod.load(path, library)  # its size checked before it is read
    if photos:
        bundle.check_folder_photos(audit, path)  # every photo a file in its folder, or one message naming them
    return audit, bundle.folder_photo_loader(path)


def cmd_score(args: argparse.Namespace) -> int:
    """Score one audit file and print it as a table, JSON or the CSV action plan."""
    from homeaudit import score  # the engine (pandas) only for the commands that score

    library = _library(args)
    audit, _ = read_audit(Path(args.audit), library, photos=False)
    result = score(audit, library)
    if args.format == "json":
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    elif args.format == "csv":
        sys.stdout.write(action_plan_csv(result))
    else:
        print(summary_text(result))
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    """Write the PDF for one audit file, or for every audit file of a folder (--all)."""
    from homeaudit import report  # reportlab is imported only by the command that needs it

    library = _library(args)
    try:
        options = report.ReportOptions(
            page_size={"a4": "A4", "letter": "letter"}.get(args.paper or "", report.default_page_size()),
            large_print=args.large_print,
            currency=currency(),
        )
    except report.ReportError as error:
        raise CommandError(str(error)) from None
    if args.all:
        if args.audit:
            raise CommandError("give either an audit file or --all DIR, not both")
        return _report_all(Path(args.all), Path(args.output or "reports"), library, options, replace=args.force)
    if not args.audit:
        raise CommandError("give an audit file, or --all DIR")
    path = Path(args.audit)
    out = Path(args.output) if args.output else None
    written = _report_one(path, out, Path("reports"), library, options, replace=args.force)
    print(f"wrote {written}", file=sys.stderr)
    return EXIT_OK


def _report_one(
    path: Path,
    out: Path | None,
    folder: Path,
    library: Library,
    options: ReportOptions,
    taken: set[Path] | None = None,
    *,
    replace: bool = False,
) -> Path:
    """Read, score and render one audit file; ``taken`` keeps --all from writing a name twice.
    The PDF is written as every output of health details is (:func:`write_private`): owner-only,
    whole or not at all, over an existing file only with ``replace``, never through a link, and
    never over the audit file it was made from (``report a.yaml -o a.yaml`` once destroyed it)."""
    from homeaudit import report, score
    from homeaudit.audit import slug
    from homeaudit.plan import recorded_edits

    audit, photos = read_audit(path, library)
    if out is None:
        out = folder / report.report_filename(audit)
        if taken is not None and out in taken:  # same client and date: tell the files apart
            out = folder / f"{out.stem}-{slug(path.stem) or 'audit'}.pdf"
        n = 2
        while taken is not None and out in taken:
            out = out.with_name(f"{out.stem.rsplit('~', 1)[0]}~{n}.pdf")
            n += 1
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.is_dir():
        raise CommandError(f"{out}: is a folder; give the PDF's file name (or --all DIR -o FOLDER for one PDF per audit)")
    if out.exists() and out.resolve() == path.resolve():
        raise CommandError(f"{out}: that is the audit file being reported; give the PDF another name")
    if out.exists() and not replace:  # said before the PDF is drawn: --all refuses each at once
        raise CommandError(f"{out}: already exists; add --force to replace it")
    result = score(audit, library).with_edits(recorded_edits(audit))  # what the file says was done, declined, by whom
    try:
        pdf = report.render(audit, result, library, options, photo_loader=photos)
    except report.ReportError as error:
        raise CommandError(f"{path}: {error}") from None
    write_private(out, pdf, replace=replace)
    if taken is not None:
        taken.add(out)
    return out


def _report_all(folder: Path, out_dir: Path, library: Library, options: ReportOptions, *, replace: bool = False) -> int:
    if not folder.is_dir():
        raise CommandError(f"{folder}: not a folder")
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in {".yaml", ".yml", ".json", ".zip"})
    if not files:
        raise CommandError(f"{folder}: no audit files (*.yaml, *.yml, *.json, *.zip)")
    failures: list[str] = []
    taken: set[Path] = set()
    progress = Progress(len(files), sys.stderr)
    for path in files:
        try:
            _report_one(path, None, out_dir, library, options, taken, replace=replace)
        except Exception as error:  # noqa: BLE001 - one bad file must not stop the others; each is one line
            failures.append(_one_file_failed(path, error))
        progress.step(path.name)
    progress.done()
    print(f"wrote {len(files) - len(failures)} reports to {out_dir}", file=sys.stderr)
    if failures:
        raise CommandError(f"{len(failures)} audit file(s) could not be read:\n" + "\n".join(failures))
    return EXIT_OK


def _one_file_failed(path: Path, error: Exception) -> str:
    """One line for a file that could not be read, imported or reported, so that the command goes
    on with the next one: the error's own message, or, for an error homeaudit did not foresee (a
    bug), its kind and the first words of its message."""
    if _fixable(error):
        return str(error)
    words = " ".join(str(error).split())[:200]
    return f"{path}: could not be read: an unexpected {type(error).__name__} ({words}); please report this"


def _open_store(args: argparse.Namespace, *, create: bool = False) -> Store:
    """The database of ``--db`` (or the default one); only ``import`` creates it when it is missing,
    so that a mistyped path to ``list``, ``export`` or ``delete`` is an error, not a new empty database."""
    from homeaudit.store import StoreError, connect, default_target, is_url

    target = getattr(args, "db", None) or default_target()
    practice = getattr(args, "practice", None)
    practice = practice if practice is not None else os.environ.get("HOMEAUDIT_PRACTICE", "")
    if is_url(target) and not practice:
        raise StoreError(
            "a server database holds the audits of several practices: say whose with --practice NAME (or HOMEAUDIT_PRACTICE)"
        )
    return connect(target, create=create, practice=practice)


def _read_file(path: Path, limit: int) -> bytes:
    """A file from someone else, checked before it is read: a regular file (not a folder, a pipe or
    a device) within ``limit`` bytes (:func:`homeaudit.limits.read_file`)."""
    try:
        return limits.read_file(path, limit)
    except limits.FileRefused as error:
        raise CommandError(str(error)) from None


def cmd_import(args: argparse.Namespace) -> int:
    """Import each file in its own transaction; report each; go on after a bad one; exit 2 if any failed.

    An audit already in the database is skipped; a different audit with the same id is refused
    (the app imports such a file as a copy instead)."""
    library = _library(args)
    failed = 0
    with _open_store(args, create=True) as store:
        for name in args.files:
            path = Path(name)
            try:
                limit = limits.MAX_BUNDLE_BYTES if path.suffix.lower() == ".zip" else limits.MAX_AUDIT_BYTES
                done = store.import_file(
                    _read_file(path, limit), library, str(path), photo_loader=file_photo_loader(path), on_conflict="refuse"
                )
            except Exception as error:  # noqa: BLE001 - one bad file must not stop the others; each is one line
                failed += 1
                print(_one_file_failed(path, error), file=sys.stderr)
                continue
            word = "imported as" if done.status == "imported" else "already in the database as"
            print(f"{_shown(str(path))}: {word} {_shown(done.audit_id)}")
            client = store.load_audit(done.audit_id).client
            if done.status == "imported" and store.clients_like(client.name, client.address, besides=client.id):
                # Never joined without asking: two people can share a name and an address.
                print(
                    f"{path}: another client record has the same name and address; if it is the same person,"
                    " join them on the app's Audits page",
                    file=sys.stderr,
                )
    if failed:
        print(f"homeaudit import: {failed} of {len(args.files)} file(s) not imported", file=sys.stderr)
    return EXIT_BAD_INPUT if failed else EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    """Write one audit as a zip with its photos, or every audit into a folder (``--all``,
    :mod:`homeaudit.export_all`); never over an existing file."""
    if args.all is not None:
        if args.audit or args.output:
            raise CommandError("give either AUDIT -o FILE or --all DIR, not both")
        return _export_all(args)
    if not args.audit:
        raise CommandError("give an audit's id with -o FILE, or --all DIR")
    if not args.output:
        raise CommandError(f"give the zip to write: homeaudit export {args.audit} -o FILE")
    out = Path(args.output)
    if out.exists():
        raise CommandError(f"{out}: already exists; not overwriting it")
    with _open_store(args) as store:
        data = store.export_bundle(args.audit)
    write_private(out, data, replace=False)
    print(f"wrote {out}", file=sys.stderr)
    return EXIT_OK


def write_private(out: Path, data: bytes, *, replace: bool) -> None:
    """Write a file that holds health details: readable by its owner only, whole or not at all
    (a temporary file beside it, then renamed), and never over an existing file unless
    ``replace`` (a file that appeared meanwhile included)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=out.parent or ".")
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
        if replace:
            os.replace(tmp, out)
        else:
            try:
                os.link(tmp, out)  # fails if the file exists, never replaces it
            except FileExistsError:
                raise CommandError(f"{out}: already exists; not overwriting it") from None
            except OSError:  # a file system without hard links: create it, only if it is not there
                try:
                    made = os.open(out, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
                except FileExistsError:
                    raise CommandError(f"{out}: already exists; not overwriting it") from None
                with os.fdopen(made, "wb") as file:
                    file.write(data)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def _export_all(args: argparse.Namespace) -> int:
    """``export --all DIR``: every audit as a file with its photos, and the answers as CSV and XLSX."""
    from homeaudit.export_all import ExportError, export_all

    library = _library(args)
    with _open_store(args) as store:
        try:
            done = export_all(store, library, Path(args.all))
        except ExportError as error:
            raise CommandError(str(error)) from None
    print(
        f"wrote {done.audits} audit(s) with {done.photos} photo(s) and {done.rows} answer rows to {done.folder}",
        file=sys.stderr,
    )
    return EXIT_OK


def cmd_backup(args: argparse.Namespace) -> int:
    """Copy the database with SQLite's online backup (:meth:`homeaudit.store.Store.backup`): safe
    while the app is running; never over an existing file."""
    with _open_store(args) as store:
        store.backup(Path(args.dest))
    print(f"backed up {store.shown} to {args.dest}", file=sys.stderr)
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    """Put a backup in place of the database, keeping the old one beside it; refused while the
    database is in use (:meth:`homeaudit.store.Store.restore` says how that is told)."""
    from homeaudit.store import Store, StoreError, default_target, is_url

    given = getattr(args, "db", None)
    if is_url(given or default_target()):
        raise StoreError("a PostgreSQL database is restored with pg_restore on its server (docs/deploy.md)")
    target = Path(given or default_target())
    kept = Store.restore(Path(args.backup), target)
    print(f"restored {args.backup} to {target}", file=sys.stderr)
    if kept is not None:
        print(f"the database that was there is kept as {kept}", file=sys.stderr)
    return EXIT_OK


def cmd_migrate_db(args: argparse.Namespace) -> int:
    """Copy a database into another (:func:`homeaudit.store.copy.copy_database`), all or nothing."""
    from homeaudit.store import StoreError, copy_database, is_url

    practice = getattr(args, "practice", None)
    if practice is None:
        if is_url(args.dest):
            raise StoreError("a server database holds the audits of several practices: say whose these are with --practice NAME")
        practice = ""
    done = copy_database(args.source, args.dest, practice=practice, source_practice=args.from_practice)
    print(
        f"copied {done.audits} audits of {done.clients} clients ({done.answers} answers, {done.photos} photos, "
        f"{done.plan_edits} plan edits) into {practice or 'no practice'}",
        file=sys.stderr,
    )
    return EXIT_OK


def cmd_delete(args: argparse.Namespace) -> int:
    """Erase one audit; asks first on a terminal, needs --yes elsewhere."""
    with _open_store(args) as store:
        audit = store.load_audit(args.audit)
        # A file's words are shown, not obeyed: escape codes in a name could rewrite this very question.
        what = f"the audit {_shown(audit.id)} of {_shown(audit.client.name) or 'an unnamed client'} on {audit.date.isoformat()}"
        if not args.yes:
            if not sys.stdin.isatty():
                raise CommandError(f"add --yes to erase {what} (nothing was deleted)")
            try:
                reply = input(f"Erase {what}, with its answers, notes and photos? This cannot be undone. [y/N] ")
            except (EOFError, KeyboardInterrupt):  # Ctrl-D or Ctrl-C: a "no"
                reply = ""
                print(file=sys.stderr)
            if reply.strip().lower() not in ("y", "yes"):
                print("Nothing was deleted.", file=sys.stderr)
                return EXIT_OK
        store.delete_audit(audit.id)
    print(f"deleted {_shown(audit.id)}", file=sys.stderr)
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    """One line per audit: id, date, client, who audited."""
    with _open_store(args) as store:
        for record in store.list_audits():
            fields = (record["id"], record["date"].isoformat(), record["client"], record["auditor_role"])
            print("\t".join(_shown(str(field)) for field in fields))
    return EXIT_OK


def cmd_compare(args: argparse.Namespace) -> int:
    """Compare two visits of one home (audit files or zips): fixed, new, still to do, the score."""
    from homeaudit import compare_visits  # the engine (pandas) only for the commands that score

    library = _library(args)
    before, _ = read_audit(Path(args.old), library, photos=False)
    after, _ = read_audit(Path(args.new), library, photos=False)
    if before.date > after.date:
        raise CommandError(
            f"{args.old} is dated {before.date.isoformat()}, after {args.new} ({after.date.isoformat()}): "
            "give the earlier visit first"
        )
    from homeaudit.plan import recorded_edits

    # A file exported from the app carries what was decided about its plan: a fix marked done
    # that is still a hazard in the later visit is flagged.
    result = compare_visits(before, after, library, before_edits=recorded_edits(before))
    if args.format == "json":
        print(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    else:
        print(comparison_text(result))
    return EXIT_OK


def comparison_text(result: Comparison) -> str:
    """The comparison for a family to read: Fixed, New, Still to do (each hazard with where it
    is, and what to do for those left), then how the scores moved."""
    from homeaudit.checklist import TOPIC_LABELS
    from homeaudit.words import DONE_BUT_HAZARD, short_date

    lines = [f"Since the last visit ({short_date(result.before_date)} to {short_date(result.after_date)})"]
    for section in result.sections():
        lines += ["", f"{section.title} ({len(section.actions)}): {section.meaning}"]
        if not section.actions:
            lines.append(f"  {section.empty}")
        for one in section.actions:
            flag = f"  [{DONE_BUT_HAZARD.upper()}]" if one.done_but_still_hazard else ""
            lines.append(f"  - {_shown(one.title)}: {_shown(one.hazard)}{flag}")
            if section.kind != "fixed":
                lines.append(f"      -> {_shown(one.action)}")
    change = result.score_change
    lines += ["", f"Home safety score: {_moved(change.overall.before, change.overall.after, change.overall.change)}"]
    if change.rooms:
        lines.append("Rooms:")
        lines += [f"  {_shown(r.title):<32} {_moved(r.before, r.after, r.change)}" for r in change.rooms]
    if change.topics:
        lines.append("Topics:")
        lines += [f"  {label(TOPIC_LABELS, t.topic):<32} {_moved(t.before, t.after, t.change)}" for t in change.topics]
    return "\n".join(lines)


def _moved(before: float | None, after: float | None, change: float | None) -> str:
    """'62 -> 75 (+13)', 'not assessed -> 80'."""

    from homeaudit.words import points_moved, whole

    def shown(value: float | None) -> str:
        return "not assessed" if value is None else str(whole(value))

    moved = f"{shown(before)} -> {shown(after)}"
    points = points_moved(before, after) if change is not None else None
    if points is None:
        return moved
    return f"{moved} (no change)" if points == 0 else f"{moved} ({points:+d})"


#: What names an audit file rather than an audit's id: ``calendar`` says "no such file" for these.
AUDIT_FILE_SUFFIXES = frozenset({".yaml", ".yml", ".json", ".zip"})


def cmd_calendar(args: argparse.Namespace) -> int:
    """Write the open actions that have a due date as an iCalendar file, one event each. From an
    audit file the dates are the plan's suggestions; from the database (AUDIT is an id there) the
    dates, done, declined and helpers people recorded are applied. Never over an existing file
    unless --force."""
    from homeaudit import calendar_actions, calendar_file, score

    out = Path(args.output)
    if out.exists() and not args.force:
        raise CommandError(f"{out}: already exists; add --force to replace it")
    library = _library(args)
    source = Path(args.audit)
    if source.exists():
        from homeaudit.plan import recorded_edits

        audit, _ = read_audit(source, library, photos=False)
        result = score(audit, library).with_edits(recorded_edits(audit))  # a job the file says is done is no reminder
    elif source.suffix.lower() in AUDIT_FILE_SUFFIXES or os.sep in args.audit:
        raise CommandError(f"{source}: no such file")
    else:
        with _open_store(args) as store:
            audit = store.load_audit(args.audit)
            edits = store.plan_edits(audit.id)
        result = score(audit, library).with_edits(edits)
    events = len(calendar_actions(result))
    if not events:
        raise CommandError(f"{args.audit}: no open action has a due date, so there is nothing to remind of; nothing written")
    data = calendar_file(result, audit)
    try:
        write_private(out, data, replace=args.force)
    except CommandError:
        raise CommandError(f"{out}: already exists; add --force to replace it") from None
    print(f"wrote {out} ({events} event{'s' if events != 1 else ''})", file=sys.stderr)
    return EXIT_OK


def file_photo_loader(audit_path: Path) -> Callable[[str], bytes]:
    """Photos in an audit file are paths relative to the file: files inside its folder, or an
    AuditError naming the file, line and item (:func:`homeaudit.bundle.folder_photo_loader`)."""
    from homeaudit import bundle

    return bundle.folder_photo_loader(audit_path)


class Progress:
    """A one-line progress bar on a terminal; plain silence when stderr is a file or pipe."""

    def __init__(self, total: int, stream: TextIO, width: int = 30) -> None:
        self.total, self.stream, self.width, self.count = total, stream, width, 0
        self.live = hasattr(stream, "isatty") and stream.isatty()

    def step(self, label: str) -> None:
        self.count += 1
        if self.live:
            filled = int(self.width * self.count / self.total)
            bar = "#" * filled + "-" * (self.width - filled)
            self.stream.write(f"\r[{bar}] {self.count}/{self.total} {label[:30]:<30}")
            self.stream.flush()

    def done(self) -> None:
        if self.live:
            self.stream.write("\n")


# ---- output formats ----------------------------------------------------------------------------

CSV_COLUMNS = ["rank", "band", "due", "room", "label", "topic", "hazard", "why", "action", "who", "cost", "item_id"]


def action_plan_csv(result: Score) -> str:
    """The ranked action plan as CSV, one row per action; ``hazard`` holds what was found (a reading
    beside its target, the option chosen), ``room`` the kind of room and ``label`` the auditor's
    own name for it, ``due`` the suggested date."""
    from homeaudit.audit import RESIDENT_VISIT
    from homeaudit.plan import problem
    from homeaudit.sheets import csv_text

    rows = []
    for action in result.actions:
        room_label = result.rooms[action.visit].label if action.visit != RESIDENT_VISIT else ""
        due = action.due.isoformat() if action.due else ""
        row = [action.rank, action.band, due, action.room, room_label, action.topic, problem(action), action.why, action.action]
        rows.append([*row, action.who, action.cost, action.item_id])
    return csv_text(CSV_COLUMNS, rows)


def summary_text(result: Score) -> str:
    """The human-readable summary: overall, rooms, then the plan, one action per two lines."""
    from homeaudit.plan import problem
    from homeaudit.words import whole

    o, r = result.overall, result.resident
    score_text = "not assessed" if o.score is None else f"{whole(o.score)}/100"
    risk = label(RISK_LABELS, o.risk_level).lower()
    lines = [
        (
            f"Overall: {score_text}   risk: {risk}   coverage: {o.coverage:.0%} "
            f"({o.answered} of {o.questions} questions answered)   hazards: {o.hazards}"
        ),
        f"Resident: Stay Independent score {r.steadi_score}/14: {r.verdict}",
        "",
        "Rooms:",
    ]
    for room in result.rooms:
        title = _shown(room.title)
        if not room.present:
            lines.append(f"  {title:<32} not in this home")
            continue
        shown = "not assessed" if room.score is None else f"{whole(room.score):5d}"
        lines.append(f"  {title:<32} {shown:>12}   hazards: {room.hazards}   answered {room.answered}/{room.questions}")
    lines += ["", "Action plan:"]
    if not result.actions:
        lines.append("  nothing answered yet" if o.answered == 0 else "  no hazards found among the answered questions")
    for action in result.actions:
        where = _shown(result.title(action.visit))
        lines.append(f"  {action.rank:>3}. [{label(BAND_LABELS, action.band):<5}] {where}: {_shown(problem(action))}")
        if action.why:
            lines.append(f"        why: {_shown(action.why)}")
        due = f", by {action.due:%d %b %Y}" if action.due else ""
        lines.append(
            f"        -> {_shown(action.action)}  ({label(WHO_LABELS, action.who)}, "
            f"cost {cost_label(action.cost, currency())}{due})"
        )
    return "\n".join(lines)


#: Characters a terminal acts on or that turn the rest of a line around: control characters (an
#: escape sequence could clear the screen or set the window's title) and the invisible
#: bidirectional controls (U+202E shows "gpj.exe" for "exe.jpg").
_UNSHOWN = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _shown(text: str) -> str:
    """Text from an audit file as the terminal should show it: on one line, with every control
    character and bidirectional control written as its escape (``\\u202e``), so it is seen, not obeyed."""
    return _UNSHOWN.sub(lambda found: f"\\u{ord(found.group()):04x}" if found.group() not in "\n\t" else " ", text)


def commands(parser: argparse.ArgumentParser | None = None) -> dict[str, list[tuple[str, ...]]]:
    """Every command and its options (each with its spellings, ``("-o", "--output")``), read from
    the parser itself: what the README must document."""
    parser = parser or build_parser()
    found: dict[str, list[tuple[str, ...]]] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found[name] = [tuple(a.option_strings) for a in sub._actions if a.option_strings and a.dest != "help"]
    return found


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
