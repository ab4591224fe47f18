"""Photos taken during an audit: accepted only if they really are JPEG, PNG or HEIC images.

A photo is checked by decoding it, never by its name. What is kept is a fresh JPEG, upright,
at most :data:`KEEP_SIDE` pixels on its long side and without EXIF (which often holds the GPS
position of the client's home); the decoding and clean-up are :func:`homeaudit.photos.prepare`,
so there is one way to read a photo in the project.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import PurePath

from PIL import Image

from homeaudit.photos import PhotoError, prepare

MAX_BYTES = 15 * 1024 * 1024
KEEP_SIDE = 1600
ALLOWED_FORMATS = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "HEIF": "HEIC", "HEIC": "HEIC", "AVIF": "HEIC"}
UPLOAD_TYPES = ["jpg", "jpeg", "png", "heic", "heif"]


class PhotoRejected(ValueError):
    """Why a file cannot be kept as a photo, in words for the person who chose it."""


@dataclass(frozen=True)
class KeptPhoto:
    filename: str
    mime: str
    data: bytes


_heif_registered = False


def _register_heif() -> None:
    global _heif_registered
    if not _heif_registered:
        from pillow_heif import register_heif_opener

        register_heif_opener()
        _heif_registered = True


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def check_photo(filename: str, data: bytes) -> KeptPhoto:
    """Decode and clean one uploaded photo; :class:`PhotoRejected` says why it is refused."""
    name = PurePath(filename or "photo").name
    if len(data) > MAX_BYTES:
        raise PhotoRejected(
            f"The photo {name} is {_megabytes(len(data))}; the limit is {_megabytes(MAX_BYTES)}. "
            "Take it again at a lower resolution, or send a smaller copy."
        )
    if not data:
        raise PhotoRejected(f"The file {name} is empty.")
    _register_heif()
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format or ""
    except Exception:  # noqa: BLE001 - whatever a non-image makes Pillow raise, it is not a photo
        kind = ""
    if kind not in ALLOWED_FORMATS:
        raise PhotoRejected(f"The file {name} is not a photo. Choose a JPEG, PNG or HEIC (iPhone) picture.")
    try:
        photo = prepare(data, max_side=KEEP_SIDE, quality=85, budget=1_500_000)
    except PhotoError:
        raise PhotoRejected(f"The photo {name} is damaged and cannot be opened. Take it again.") from None
    stem = PurePath(name).stem or "photo"
    return KeptPhoto(filename=f"{stem}.jpg", mime="image/jpeg", data=photo.data)
