"""Every audit of a database as plain files: ``homeaudit export --all DIR``.

The folder holds, for each audit, its homeaudit/1 file (``<id>.yaml``, the text
:meth:`homeaudit.store.Store.export_audit` writes) with its photos beside it under
``photos/<id>/001.jpg`` (the paths the file names, as :func:`homeaudit.cli.file_photo_loader`
reads them), plus ``answers.csv`` and ``answers.xlsx``: every question of every audit in long form
(:data:`ANSWER_COLUMNS`) with the status scoring gives it (``hazard``, ``safe``, ``na``,
``not_assessed``, ``absent``), for records and research.

The same database always gives the same bytes: files are named after the audits' ids, photos are
numbered in the order the audit names them, rows are ordered by date, id, room and checklist, and
the XLSX carries fixed dates (a workbook stamps the time it was saved). So exporting, importing
into a new database and exporting again gives back the same files byte for byte.

Everything is written into a new folder beside ``DIR`` and moved into place at the end: a failure
leaves no half-written export, and a folder that holds anything is never written into.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from homeaudit import audit as audit_io
from homeaudit.audit import RESIDENT_VISIT, Audit, slug
from homeaudit.bundle import PHOTO_DIR, with_photo_files
from homeaudit.checklist import Library
from homeaudit.sheets import csv_text, dated_xlsx, xlsx_cell

if TYPE_CHECKING:
    from homeaudit.store import Store

#: The long table's columns, one row per question of every room visit and of the resident.
ANSWER_COLUMNS = ("audit", "client", "date", "auditor_role", "room", "label", "item", "value", "unit", "status")
CSV_NAME = "answers.csv"
XLSX_NAME = "answers.xlsx"
#: Audits loaded and scored at a time: memory stays flat over thousands of audits.
CHUNK = 200
#: Every member of the XLSX gets this date, so the same answers always give the same file.
FIXED_TIME = dt.datetime(2000, 1, 1)
_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


class ExportError(Exception):
    """The export cannot be written (the folder is not empty, an audit cannot be scored)."""


@dataclass(frozen=True)
class Exported:
    """What ``export --all`` wrote: the folder, how many audits, photos and answer rows."""

    folder: Path
    audits: int
    photos: int
    rows: int


def file_names(ids: Sequence[str]) -> dict[str, str]:
    """Each audit id's file name (without ``.yaml``): the id itself when it is a plain file name,
    else a slug of it; two ids that would share a name (also on a case-blind file system) are told
    apart with ``~2``, ``~3`` in the order of the ids, so the same ids always get the same names."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for audit_id in sorted(ids):
        base = audit_id if _SAFE_NAME.fullmatch(audit_id) and not audit_id.endswith(".") else slug(audit_id) or "audit"
        name, n = base, 1
        while name.casefold() in taken or name.casefold() in {CSV_NAME, XLSX_NAME, PHOTO_DIR}:
            n += 1
            name = f"{base}~{n}"
        taken.add(name.casefold())
        names[audit_id] = name
    return names


def audit_files(store: Store, audit: Audit, name: str) -> tuple[str, dict[str, bytes]]:
    """The audit's homeaudit/1 text, with what was recorded about its plan (``actions``) and its
    photos renamed to ``photos/<name>/001.jpg``, and those photos' bytes by that path. A photo the
    database does not hold is left out, its reference too, as :func:`homeaudit.bundle.pack`
    does: a reference to nothing would make the exported file one that import refuses."""
    from homeaudit.store import StoreError

    def load(ref: str) -> bytes:
        try:
            return store.photo_bytes(ref, audit.id)
        except StoreError as error:
            raise LookupError(str(error)) from None

    copy, files = with_photo_files(store.with_actions(audit), load, f"{PHOTO_DIR}/{name}")
    return audit_io.dumps(copy, "yaml"), files


def answer_rows(audits: Sequence[Audit], library: Library) -> list[list[Any]]:
    """The long table of these audits, in their order: every question of each room visit (the
    resident's first), in checklist order, with the answer as given and its scoring status."""
    if not audits:
        return []
    from homeaudit.results import ScoringError
    from homeaudit.scoring import answer_table, item_table, score_columns

    try:
        columns = score_columns(answer_table(audits, library, with_notes=True), library)
    except ScoringError as error:
        ids = ", ".join(a.id for a in audits[:3]) + (", …" if len(audits) > 3 else "")
        raise ExportError(
            f"an audit ({ids}) does not fit the checklists: {error}; give --checklists DIR with the checklists it was made with"
        ) from None
    items = item_table(library).arrays
    item_ids = items["item_id"][columns["item_pos"]].tolist()
    rooms = items["room"][columns["item_pos"]].tolist()
    rows: list[list[Any]] = []
    for a, visit, item_id, room, value, unit, status in zip(
        columns["audit"].tolist(),
        columns["visit"].tolist(),
        item_ids,
        rooms,
        columns["value"].tolist(),
        columns["unit"].tolist(),
        columns["status"].tolist(),
        strict=True,
    ):
        audit = audits[a]
        label = audit.rooms[visit].label if visit != RESIDENT_VISIT else ""
        rows.append(
            [
                audit.id,
                audit.client.name,
                audit.date.isoformat(),
                audit.auditor.role,
                room,
                label,
                item_id,
                _value(value),
                unit or "",
                status,
            ]
        )
    return rows


def _value(value: Any) -> Any:
    """An answer as a cell: a word, a number (a whole number without ``.0``), or empty."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    return value


def answers_xlsx(rows: Sequence[Sequence[Any]]) -> bytes:
    """The long table as a workbook of one sheet, the same cells as the CSV (numbers as numbers),
    with fixed dates so that the same rows always give the same bytes."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    book.properties.created = book.properties.modified = FIXED_TIME
    book.properties.creator = "homeaudit"
    sheet = book.create_sheet("answers")
    sheet.append(list(ANSWER_COLUMNS))
    for row in rows:
        sheet.append(list(row))
    raw = io.BytesIO()
    book.save(raw)
    return dated_xlsx(raw.getvalue(), FIXED_TIME)


def export_all(store: Store, library: Library, folder: Path) -> Exported:
    """Write every audit of ``store`` into ``folder`` (new or empty), as the module says.

    :class:`ExportError` when the folder holds anything or an audit cannot be scored; nothing is
    left behind then."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise ExportError(f"{folder}: not a folder")
    if folder.is_dir() and any(folder.iterdir()):
        raise ExportError(
            f"{folder}: the folder is not empty; export --all writes only into a new or empty folder, "
            "so that no file is overwritten (nothing was written)"
        )
    parent = folder.resolve().parent
    if not parent.is_dir():
        raise ExportError(f"{folder.parent}: no such folder")
    work = parent / f".{folder.name}.part-{os.getpid()}"
    work.mkdir(mode=0o700)
    try:
        summary = _write(store, library, work)
        if folder.is_dir():
            folder.rmdir()  # empty (checked above); a file added meanwhile stops the export here
        work.rename(folder)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return Exported(folder, summary.audits, summary.photos, summary.rows)


def _write(store: Store, library: Library, work: Path) -> Exported:
    records = sorted(store.list_audits(), key=lambda r: (r["date"], r["id"]))
    names = file_names([r["id"] for r in records])
    rows: list[list[Any]] = []
    photos = 0
    for chunk in _chunks([r["id"] for r in records], CHUNK):
        by_id = {a.id: a for a in store.load_audits(chunk)}
        audits = [by_id[i] for i in chunk if i in by_id]  # one deleted meanwhile is left out
        for audit in audits:
            text, files = audit_files(store, audit, names[audit.id])
            _new_file(work / f"{names[audit.id]}.yaml", text.encode("utf-8"))
            for path, data in files.items():
                target = work / path
                target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
                _new_file(target, data)
            photos += len(files)
        rows.extend(answer_rows(audits, library))
    cells = [[xlsx_cell(v) for v in row] for row in rows]
    _new_file(work / CSV_NAME, csv_text(ANSWER_COLUMNS, cells).encode("utf-8"))
    _new_file(work / XLSX_NAME, answers_xlsx(cells))
    return Exported(work, len(records), photos, len(rows))


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _new_file(path: Path, data: bytes) -> None:
    """Write a file that must not exist yet, readable by its owner only (audits hold health details)."""
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)


__all__ = ["ANSWER_COLUMNS", "CSV_NAME", "XLSX_NAME", "ExportError", "Exported", "answer_rows", "export_all", "file_names"]
