"""An audit and its photos in one file: a zip with ``audit.yaml`` and a ``photos/`` folder.

A homeaudit/1 file refers to photos by paths relative to itself, so the bundle is just that file
and those paths, zipped: unzipped, it is an ordinary audit folder that the command line reads.
The app exports one when an audit has photos (a YAML file alone would lose them) and imports it
back. Reading is defensive: the zip comes from outside. Its size, its members' names, count and
declared sizes and how much each would inflate are checked before anything is read
(:mod:`homeaudit.limits`); a member is then inflated in chunks and refused the moment it passes
its limit (a header can lie, and ``ZipFile.read`` inflates a member whole before it checks);
encrypted and damaged zips are refused; so is an ambiguous zip, where two readers could see two
different audits: two members with one name (a viewer shows the first, a reader may take the last;
names that differ only in case, ``\\`` or ``./`` are one name on many computers) or more than one audit
file. Only the audit file and the photos it names are read, and every photo is re-encoded
(:func:`homeaudit.photos.keep`) so that nothing but pixels comes in. Every refusal is one line
naming the file, the member and the limit.

An audit file on disk names its photos the same way, by paths from its folder, and the command
line holds them to the same rule before it reads one (:func:`check_folder_photos`,
:func:`folder_photo_loader`): a photo that is missing, not a regular file, too large, named by an
absolute path or by one that leaves the folder is refused, naming the file, the line and the
item, instead of its reference being kept to point at nothing (or at a file elsewhere). So an
audit exported never names a photo it does not carry (:func:`with_photo_files`), and whatever
the command line imports it exports as a zip or a folder that imports again.
"""

from __future__ import annotations

import io
import os
import re
import stat
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from homeaudit import audit as audit_io
from homeaudit import limits, yaml_source
from homeaudit.audit import Audit, AuditError
from homeaudit.checklist import Library
from homeaudit.photos import PhotoError, keep

AUDIT_NAME = "audit.yaml"
PHOTO_DIR = "photos"
#: Characters that change how the rest of a line is shown (bidirectional controls): never in a name.
_INVISIBLE = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
#: What an audit file may be called at the top of a zip; more than one of them makes the zip ambiguous.
_AUDIT_SUFFIXES = (".yaml", ".yml", ".json")
#: Members named in a message about several of them, at most.
_NAMED = 5
#: Problems listed in one refusal, at most (then how many more).
_SHOWN = 10
#: A Windows drive ("C:photo.jpg", "c:/x.jpg"): absolute, or relative to another folder.
_DRIVE = re.compile(r"[A-Za-z]:")


def without_photos(audit: Audit) -> Audit:
    """A copy of the audit that names no photo: what a plain audit file from the database carries
    (its photos travel in the zip). A database's own references (``photo:1``) in a file would make
    a file that no other homeaudit can read its photos from."""

    def none(ref: str) -> bytes:
        raise LookupError(ref)

    return with_photo_files(audit, none)[0]


def with_photo_files(
    audit: Audit, photo_loader: Callable[[str], bytes], folder: str = PHOTO_DIR
) -> tuple[Audit, dict[str, bytes]]:
    """A copy of the audit whose photo references are file paths (``photos/001.jpg``, …, in
    ``folder``), and each photo's bytes by its path: how an audit leaves the database (a zip, a
    folder of files).

    A reference whose photo cannot be loaded (the database does not hold it: an old import kept
    a path it could not read, such as ``/etc/hostname``) is left out of the copy. Kept, it would
    make a file that does not import again: a zip that names ``/etc/hostname`` is refused, and a
    folder whose audit names a photo that is not there is refused too (:func:`check_folder_photos`);
    and ``photos/003.jpg`` kept from an earlier zip could name another photo of this one. The
    database itself keeps it."""
    copy = audit.model_copy(deep=True)
    files: dict[str, bytes] = {}

    def as_file(ref: str) -> str | None:
        try:
            data = photo_loader(ref)
        except (OSError, LookupError, ValueError):
            return None
        name = f"{folder}/{len(files) + 1:03d}{_suffix(ref, data)}"
        files[name] = data
        return name

    for _, _, answer in copy.answers():
        answer.photos = tuple(name for name in map(as_file, answer.photos) if name is not None)
    copy.actions = tuple(a.model_copy(update={"photo": as_file(a.photo)}) if a.photo else a for a in copy.actions)
    return copy, files


def pack(audit: Audit, photo_loader: Callable[[str], bytes]) -> bytes:
    """Zip the audit with every photo it refers to; a photo that cannot be loaded is left out,
    and so is its reference (:func:`with_photo_files`), so the zip always imports again."""
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
        audit_name = _audit_member(names, source)
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


def check_folder_photos(audit: Audit, audit_path: str | os.PathLike[str]) -> None:
    """Refuse an audit file whose photos are not all files in its folder, before it is scored,
    reported or imported: every reference must be a relative path that stays inside the folder of
    ``audit_path`` and names a regular file within :data:`~homeaudit.limits.MAX_PHOTO_BYTES` there
    (nothing is read yet; :func:`folder_photo_loader` reads them). One :class:`AuditError` names
    the file, the line and the item of every reference that is not, and why; an audit without
    photos passes without its folder being looked at.

    A reference that points at nothing was once kept as written: the report said "photo missing"
    and the database kept ``/etc/hostname`` or ``../x.jpg``, which no export could carry."""
    path = Path(audit_path)
    refs = audit.photo_refs()
    if not refs:
        return
    base = path.resolve().parent
    problems = {ref: why for ref in sorted(refs) if (why := _folder_problem(base, ref))}
    if problems:
        raise AuditError(_photo_problems(path, problems))


def folder_photo_loader(audit_path: str | os.PathLike[str]) -> Callable[[str], bytes]:
    """The photos of an audit file, by the paths it names them with (relative to its folder): the
    bytes of a regular file inside that folder, within :data:`~homeaudit.limits.MAX_PHOTO_BYTES`.

    Any other reference raises :class:`AuditError`, never :class:`OSError` or :class:`LookupError`:
    those mean "photo missing" to the report and to an import, which would keep the reference
    and go on; this is a mistake in the file, to be told, naming the file, the line and the item
    (with every other such reference of the file, as :func:`check_folder_photos` does)."""
    path = Path(audit_path)
    base = path.resolve().parent

    def load(ref: str) -> bytes:
        why = _folder_problem(base, ref)
        if not why:
            try:
                return limits.read_file(_inside(base, ref), limits.MAX_PHOTO_BYTES)  # checked on the open file
            except limits.FileRefused as error:
                why = str(error).removeprefix(f"{_inside(base, ref)}: ")
        problems = {ref: why}
        for other in sorted(_places(path)):
            if other != ref and (other_why := _folder_problem(base, other)):
                problems[other] = other_why
        raise AuditError(_photo_problems(path, problems))

    return load


def _folder_problem(base: Path, ref: str) -> str:
    """Why ``ref`` does not name a photo file in the folder ``base`` (already resolved), or ""."""
    why = _photo_path_problem(ref)
    if why:
        return why
    target = base / ref
    try:
        real = target.resolve(strict=True)
        info = real.stat()
    except FileNotFoundError:
        return "there is no such file in the audit file's folder"
    except (OSError, RuntimeError) as error:  # a loop of links, no permission
        return f"it cannot be opened ({getattr(error, 'strerror', None) or type(error).__name__})"
    if base not in real.parents:
        return "it is a link to a file outside the audit file's folder"
    if stat.S_ISDIR(info.st_mode):
        return "it is a folder, not a photo file"
    if not stat.S_ISREG(info.st_mode):
        return "it is not a regular file (a pipe, a socket or a device)"
    if info.st_size > limits.MAX_PHOTO_BYTES:
        mb = limits.MB
        return f"the file is {info.st_size / mb:.1f} MB; the limit is {limits.MAX_PHOTO_BYTES // mb} MB"
    return ""


def _inside(base: Path, ref: str) -> Path:
    return (base / ref).resolve()


def _photo_path_problem(ref: str) -> str:
    """Why a photo reference cannot be a path from the audit file's folder to a file inside it,
    whatever is on the disk, or "" when it can."""
    path = PurePosixPath(ref.replace("\\", "/"))
    if not ref.strip():
        return "it is empty"
    if any(unicodedata.category(char) in ("Cc", "Cs") or char in _INVISIBLE for char in ref):
        return "it holds a control character"
    if path.is_absolute() or _DRIVE.match(ref):
        return "it is an absolute path; name a photo by its path from the audit file's folder (photos/rug.jpg)"
    if ".." in path.parts:
        return "it leads out of the audit file's folder ('..'); put the photo in that folder or below it"
    if not path.parts:
        return "it names the folder itself, not a photo file"
    return ""


def _photo_problems(path: Path, problems: dict[str, str]) -> str:
    """One message for the bad photo references of an audit file, one a line in the file's order,
    each with its line and item (the first :data:`_SHOWN` of them, then how many more)."""
    places = _places(path)
    lines = []
    for ref, why in sorted(problems.items(), key=lambda problem: (places.get(problem[0], (0, ""))[0], problem[0])):
        line, where = places.get(ref, (0, ""))
        prefix = f"{path}:{line}: {where}: " if line else f"{path}: "
        shown = ref if len(ref) <= 80 else ref[:79] + "…"
        lines.append(f"{prefix}photo {shown!r}: {why}")
    hidden = len(lines) - _SHOWN
    text = "\n".join(lines[:_SHOWN]) + (f"\n… and {hidden} more photo{'s' if hidden > 1 else ''}" if hidden > 0 else "")
    return "".join(c if c == "\n" or c.isprintable() else f"\\u{ord(c):04x}" for c in text)


def _places(path: Path) -> dict[str, tuple[int, str]]:
    """Where each photo reference first appears in the audit file: its line, and the item (or the
    action) it belongs to, as the checks of :mod:`homeaudit.audit` name them. Read again from
    the file (as checked as the first time); {} when it no longer reads."""
    try:
        text = limits.read_file(path, limits.MAX_AUDIT_BYTES).decode("utf-8")
        document = yaml_source.parse(text, str(path))
    except (limits.FileRefused, UnicodeDecodeError, yaml_source.YamlError):
        return {}
    places: dict[str, tuple[int, str]] = {}
    for key_path, ref, where in _photo_paths(document.data):
        places.setdefault(ref, (document.line(key_path), where))
    return places


def _photo_paths(data: Any) -> Iterator[tuple[yaml_source.KeyPath, str, str]]:
    """Every photo reference of a homeaudit/1 mapping with its key path and a name for its item:
    the resident's answers, each room's, then the photos of fixes (``actions``)."""
    if not isinstance(data, dict):
        return
    sections: list[tuple[yaml_source.KeyPath, Any, str]] = [(("resident",), data.get("resident"), "resident")]
    rooms = data.get("rooms")
    for index, visit in enumerate(rooms if isinstance(rooms, list) else []):
        if isinstance(visit, dict):
            name = str(visit.get("label") or visit.get("room") or "")
            sections.append((("rooms", index, "answers"), visit.get("answers"), f"room {index + 1} ({_short(name)})"))
    for key_path, answers, where in sections:
        for item_id, answer in answers.items() if isinstance(answers, dict) else ():
            photos = answer.get("photos") if isinstance(answer, dict) else None
            for n, ref in enumerate(photos if isinstance(photos, list) else []):
                if isinstance(ref, str):
                    yield (*key_path, item_id, "photos", n), ref, f"{where}: item {_short(str(item_id))}"
    actions = data.get("actions")
    for index, action in enumerate(actions if isinstance(actions, list) else []):
        if isinstance(action, dict) and isinstance(action.get("photo"), str):
            yield ("actions", index, "photo"), action["photo"], f"action {index + 1} ({_short(str(action.get('item', '')))})"


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


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
    _check_one_name_each(entries, source)
    # A folder is a name ending in "/" (ZipInfo.is_dir() fails on an empty name); only files are read.
    return {m.filename: m for m in entries if not m.filename.endswith("/")}


def _check_one_name_each(entries: list[zipfile.ZipInfo], source: str) -> None:
    """Refuse two members with one name. A zip may hold both: a viewer (and unzip, asking first)
    takes the first, :mod:`zipfile` the last, so the audit checked by one could be another than
    the audit shown by the other. Names that differ only in case, in ``\\`` for ``/`` or in a
    leading ``./`` are one file once unzipped on Windows or a Mac (and ``photos/`` the folder and
    ``photos`` a file cannot both be), so they count as one name too."""
    seen: dict[str, str] = {}
    for member in entries:
        name = member.filename
        key = _one_name(name)
        if key not in seen:
            seen[key] = name
            continue
        first = seen[key]
        if first == name:
            raise AuditError(
                f"{source}: two members are named {name!r}; a zip viewer and homeaudit could read different ones, "
                "so the zip is refused (make it again with one of them)"
            )
        raise AuditError(
            f"{source}: members {first!r} and {name!r} are one name once unzipped (case, '\\' or './' aside); "
            "a zip viewer and homeaudit could read different ones, so the zip is refused (make it again with one of them)"
        )


def _one_name(name: str) -> str:
    """The name a member has once unzipped anywhere: ``/`` for ``\\``, without ``./`` or a final
    ``/``, in one Unicode form and one case."""
    return unicodedata.normalize("NFC", str(PurePosixPath(name.replace("\\", "/")))).casefold()


def _audit_member(names: dict[str, zipfile.ZipInfo], source: str) -> str:
    """The one audit file of the zip: the YAML or JSON file at its top (``audit.yaml`` when homeaudit
    made it). Two of them are refused rather than one chosen: a zip with ``a.yaml`` and
    ``b.yaml`` once imported the first and dropped the other without a word, and one with
    ``audit.yaml`` and ``notes.yaml`` may be read by a person as the other."""
    found = sorted(n for n in names if "/" not in n and n.lower().endswith(_AUDIT_SUFFIXES))
    if not found:
        raise AuditError(f"{source}: no audit file ({AUDIT_NAME}) in the zip")
    if len(found) > 1:
        shown = ", ".join(repr(n) for n in found[:_NAMED]) + (f" and {len(found) - _NAMED} more" if len(found) > _NAMED else "")
        raise AuditError(
            f"{source}: {len(found)} audit files in the zip ({shown}); an audit zip holds one ({AUDIT_NAME}) "
            "with its photos, so it is refused rather than one of them chosen"
        )
    return found[0]


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


__all__ = [
    "AUDIT_NAME",
    "PHOTO_DIR",
    "check_folder_photos",
    "folder_photo_loader",
    "pack",
    "unpack",
    "with_photo_files",
    "without_photos",
]
