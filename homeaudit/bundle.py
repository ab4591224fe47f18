"""An audit and its photos in one file: a zip with ``audit.yaml`` and a ``photos/`` folder.

A homeaudit/1 file refers to photos by paths relative to itself, so the bundle is just that file
and those paths, zipped: unzipped, it is an ordinary audit folder that the command line reads.
The app exports one when an audit has photos (a YAML file alone would lose them) and imports it
back. Reading is defensive: the zip comes from outside. Its size, its members' names, count and
declared sizes and how much each would inflate are checked before anything is read
(:mod:`homeaudit.limits`); a member is then inflated in chunks and refused the moment it passes
its limit (a header can lie, and ``ZipFile.read`` inflates a member whole before it checks);
encrypted and damaged zips are refused; only the audit file and the photos it names are read,
and every photo is re-encoded (:func:`homeaudit.photos.keep`) so that nothing but pixels comes in.
Every refusal is one line naming the file, the member and the limit.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
import zlib
from collections.abc import Callable
from pathlib import PurePosixPath

from homeaudit import audit as audit_io
from homeaudit import limits
from homeaudit.audit import Audit, AuditError
from homeaudit.checklist import Library
from homeaudit.photos import PhotoError, keep

AUDIT_NAME = "audit.yaml"
PHOTO_DIR = "photos"
#: Characters that change how the rest of a line is shown (bidirectional controls): never in a name.
_INVISIBLE = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def with_photo_files(
    audit: Audit, photo_loader: Callable[[str], bytes], folder: str = PHOTO_DIR
) -> tuple[Audit, dict[str, bytes]]:
    """A copy of the audit whose photo references are file paths (``photos/001.jpg``, …, in
    ``folder``), and each photo's bytes by its path: how an audit leaves the database (a zip, a
    folder of files). A photo that cannot be loaded keeps its reference, so the report says
    "photo missing" instead of the audit losing the mention."""
    copy = audit.model_copy(deep=True)
    files: dict[str, bytes] = {}

    def as_file(ref: str) -> str:
        try:
            data = photo_loader(ref)
        except (OSError, LookupError, ValueError):
            return ref
        name = f"{folder}/{len(files) + 1:03d}{_suffix(ref, data)}"
        files[name] = data
        return name

    for _, _, answer in copy.answers():
        answer.photos = tuple(as_file(ref) for ref in answer.photos)
    copy.actions = tuple(a.model_copy(update={"photo": as_file(a.photo)}) if a.photo else a for a in copy.actions)
    return copy, files


def pack(audit: Audit, photo_loader: Callable[[str], bytes]) -> bytes:
    """Zip the audit with every photo it refers to; photos that cannot be loaded are left out
    (their reference stays, so the report says "photo missing")."""
    copy, files = with_photo_files(audit, photo_loader)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(_entry(AUDIT_NAME), audit_io.dumps(copy, "yaml"))
        for name, data in files.items():
            archive.writestr(_entry(name, deflate=False), data)
    return out.getvalue()


def unpack(data: bytes, library: Library, source: str = "<bundle>") -> tuple[Audit, dict[str, bytes]]:
    """The checked audit and its photos (re-encoded JPEGs) by the paths the audit uses.

    :class:`AuditError` on any problem, naming the zip, the member and the limit; nothing is
    returned half-read."""
    mb = limits.MB
    if len(data) > limits.MAX_BUNDLE_BYTES:
        raise AuditError(f"{source}: the zip is {len(data) / mb:.1f} MB; the limit is {limits.MAX_BUNDLE_BYTES // mb} MB")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise AuditError(f"{source}: not a zip file, or a damaged one") from None
    with archive:
        names = _check_members(entries, source)
        audit_name = (
            AUDIT_NAME
            if AUDIT_NAME in names
            else next((n for n in names if "/" not in n and n.lower().endswith((".yaml", ".yml", ".json"))), None)
        )
        if audit_name is None:
            raise AuditError(f"{source}: no audit file ({AUDIT_NAME}) in the zip")
        raw = _read(archive, names[audit_name], min(limits.MAX_AUDIT_BYTES, limits.MAX_MEMBER_BYTES), source)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise AuditError(f"{source}/{audit_name}: not UTF-8 text") from None
        audit = audit_io.loads(text, library, f"{source}/{audit_name}")
        photos: dict[str, bytes] = {}
        for ref in sorted(audit.photo_refs()):
            path = PurePosixPath(ref)
            if path.is_absolute() or ".." in path.parts:
                raise AuditError(f"{source}: photo path {ref!r} points outside the bundle")
            member = names.get(str(path))
            if member is None:
                continue  # the report says "photo missing", as for a file on disk
            try:
                photos[ref] = keep(ref, _read(archive, member, limits.MAX_PHOTO_BYTES, source)).data
            except PhotoError as error:
                raise AuditError(f"{source}/{member.filename}: {error}") from None
    return audit, photos


def _check_members(entries: list[zipfile.ZipInfo], source: str) -> dict[str, zipfile.ZipInfo]:
    """Names, count, encryption and the declared sizes of every entry (folders count against
    :data:`~homeaudit.limits.MAX_MEMBERS` too), before anything is inflated; the files by name."""
    mb = limits.MB
    if len(entries) > limits.MAX_MEMBERS:
        raise AuditError(f"{source}: {len(entries)} files and folders in the zip; the limit is {limits.MAX_MEMBERS}")
    total = 0
    for member in entries:
        name = member.filename
        problem = _name_problem(name)
        if problem:
            raise AuditError(f"{source}: member {name[:80]!r} has a name that is not allowed ({problem})")
        if member.flag_bits & 0x1:
            raise AuditError(f"{source}/{name}: the zip is encrypted; export it again without a password")
        if member.file_size > limits.MAX_MEMBER_BYTES:
            raise AuditError(
                f"{source}/{name}: {member.file_size / mb:.1f} MB uncompressed; the limit is {limits.MAX_MEMBER_BYTES // mb} MB"
            )
        if member.compress_size and member.file_size / member.compress_size > limits.MAX_RATIO:
            ratio = member.file_size // member.compress_size
            raise AuditError(f"{source}/{name}: it would inflate {ratio} times; the limit is {limits.MAX_RATIO} times")
        total += member.file_size
    if total > limits.MAX_TOTAL_BYTES:
        raise AuditError(f"{source}: {total / mb:.0f} MB uncompressed; the limit is {limits.MAX_TOTAL_BYTES // mb} MB")
    # A folder is a name ending in "/" (ZipInfo.is_dir() fails on an empty name); only files are read.
    return {m.filename: m for m in entries if not m.filename.endswith("/")}


def _name_problem(name: str) -> str:
    """Why a member's name is not allowed, or "" when it is: it must name something inside the
    zip, in printable characters."""
    path = PurePosixPath(name.replace("\\", "/"))
    if not name.strip():
        return "empty"
    if len(name) > limits.MAX_NAME:
        return f"longer than {limits.MAX_NAME} characters"
    if any(unicodedata.category(char) in ("Cc", "Cs") or char in _INVISIBLE for char in name):
        return "a control character"
    if path.is_absolute() or (path.parts and ":" in path.parts[0]):
        return "an absolute path"
    if ".." in path.parts:
        return "'..'"
    if not path.parts:  # "." or "./"
        return "no file or folder name"
    return ""


def _read(archive: zipfile.ZipFile, member: zipfile.ZipInfo, cap: int, source: str) -> bytes:
    """A member inflated a chunk at a time, refused as soon as it passes its declared size or
    ``cap`` (whichever is smaller) or inflates more than the ratio allows."""
    limit = min(cap, member.file_size)
    ratio_limit = max(member.compress_size, 1) * limits.MAX_RATIO
    out = bytearray()
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(limits.CHUNK):
                out += chunk
                if len(out) > limit or len(out) > ratio_limit:
                    raise AuditError(
                        f"{source}/{member.filename}: inflates to more than its header says or the limit allows "
                        f"({min(limit, ratio_limit) / limits.MB:.1f} MB)"
                    )
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError) as error:
        raise AuditError(f"{source}/{member.filename}: damaged or cut short ({type(error).__name__})") from None
    return bytes(out)


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


__all__ = ["AUDIT_NAME", "PHOTO_DIR", "pack", "unpack", "with_photo_files"]
