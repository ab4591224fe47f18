"""An audit and its photos in one file: a zip with ``audit.yaml`` and a ``photos/`` folder.

A homeaudit/1 file refers to photos by paths relative to itself, so the bundle is just that file
and those paths, zipped: unzipped, it is an ordinary audit folder that the command line reads.
The app exports one when an audit has photos (a YAML file alone would lose them) and imports it
back. Reading is defensive: the zip comes from outside, so names that climb out of the folder,
oversized members and non-audit contents are refused with a clear message.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import PurePosixPath

from homeaudit import audit as audit_io
from homeaudit.audit import Audit, AuditError
from homeaudit.checklist import Library

AUDIT_NAME = "audit.yaml"
PHOTO_DIR = "photos"
MAX_MEMBER = 20 * 1024 * 1024  # one photo, uncompressed
MAX_TOTAL = 400 * 1024 * 1024  # the whole bundle, uncompressed
MAX_MEMBERS = 2000


def pack(audit: Audit, photo_loader: Callable[[str], bytes]) -> bytes:
    """Zip the audit with every photo it refers to; photos that cannot be loaded are left out
    (their reference stays, so the report says "photo missing")."""
    copy = audit.model_copy(deep=True)
    files: dict[str, bytes] = {}
    for _, _, answer in copy.answers():
        kept = []
        for ref in answer.photos:
            try:
                data = photo_loader(ref)
            except (OSError, LookupError, ValueError):
                kept.append(ref)
                continue
            name = f"{PHOTO_DIR}/{len(files) + 1:03d}{_suffix(ref, data)}"
            files[name] = data
            kept.append(name)
        answer.photos = tuple(kept)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(_entry(AUDIT_NAME), audit_io.dumps(copy, "yaml"))
        for name, data in files.items():
            archive.writestr(_entry(name, deflate=False), data)
    return out.getvalue()


def unpack(data: bytes, library: Library, source: str = "<bundle>") -> tuple[Audit, dict[str, bytes]]:
    """The checked audit and its photos by the paths the audit uses. AuditError on any problem."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise AuditError(f"{source}: not a zip file") from None
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > MAX_TOTAL:
            raise AuditError(f"{source}: too large to be an audit with its photos")
        names = {m.filename: m for m in members}
        audit_name = (
            AUDIT_NAME
            if AUDIT_NAME in names
            else next((n for n in names if "/" not in n and n.lower().endswith((".yaml", ".yml", ".json"))), None)
        )
        if audit_name is None:
            raise AuditError(f"{source}: no audit file ({AUDIT_NAME}) in the zip")
        try:
            text = archive.read(names[audit_name]).decode("utf-8")
        except UnicodeDecodeError:
            raise AuditError(f"{source}/{audit_name}: not UTF-8 text") from None
        audit = audit_io.loads(text, library, f"{source}/{audit_name}")
        photos: dict[str, bytes] = {}
        wanted = {ref for _, _, answer in audit.answers() for ref in answer.photos}
        for ref in sorted(wanted):
            path = PurePosixPath(ref)
            if path.is_absolute() or ".." in path.parts:
                raise AuditError(f"{source}: photo path {ref!r} points outside the bundle")
            member = names.get(str(path))
            if member is None:
                continue  # the report says "photo missing", as for a file on disk
            if member.file_size > MAX_MEMBER:
                raise AuditError(f"{source}: photo {ref!r} is larger than {MAX_MEMBER // (1024 * 1024)} MB")
            photos[ref] = archive.read(member)
    return audit, photos


def _entry(name: str, deflate: bool = True) -> zipfile.ZipInfo:
    """A member with a fixed date, so the same audit always packs to the same bytes."""
    info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED  # JPEGs do not shrink
    return info


def _suffix(ref: str, data: bytes) -> str:
    if data[:3] == b"\xff\xd8\xff":
        return ".jpg"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return ".png"
    suffix = PurePosixPath(ref).suffix.lower()
    return suffix if suffix in (".jpg", ".jpeg", ".png", ".heic", ".heif") else ".jpg"


__all__ = ["AUDIT_NAME", "MAX_MEMBER", "MAX_MEMBERS", "MAX_TOTAL", "PHOTO_DIR", "pack", "unpack"]
