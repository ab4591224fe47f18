"""Photos: upright, small, and carrying nothing but pixels (one way to read a photo in homeaudit).

Every photo that enters homeaudit, taken in the app or imported in a zip, goes through
:func:`keep`: checked as a file from someone else (its size, then its format and pixel count from
the header, before a single pixel is decoded: a 20 kB PNG can declare 13000 x 13000 pixels and
take 1.5 GB to decode), decoded, turned upright, scaled to at most
:data:`~homeaudit.limits.KEEP_SIDE` pixels on its long side and saved as a new JPEG with no
metadata at all. A file that is not a JPEG, PNG or HEIC photo is refused with its name. The
report reads kept photos with :func:`prepare` (smaller still, with the same checks).


A phone photo is 3 to 12 MB and carries EXIF: the camera, the time and often the GPS position of
the home. A report is emailed around, so every photo is decoded, turned upright from its EXIF
orientation, scaled down to at most :data:`MAX_SIDE` pixels on its long side (plenty for a
print a third of a page wide) and re-encoded as a fresh JPEG with no metadata at all: no EXIF,
no GPS, no XMP, no ICC profile, no comment. If the JPEG is still over :data:`BUDGET` bytes (a
photo of gravel or a patterned carpet), it is re-encoded smaller, so twenty photos stay well
under 10 MB. HEIC/HEIF photos from iPhones are read through pillow-heif.
"""

from __future__ import annotations

import io
import os
import threading
import warnings
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import PurePosixPath

from PIL import Image, ImageOps, UnidentifiedImageError

from homeaudit import limits

#: What a photo may be, by the format Pillow reads from its header.
FORMATS = frozenset({"JPEG", "MPO", "PNG", "HEIF", "HEIC", "AVIF"})
#: What the app's upload offers.
UPLOAD_TYPES = ("jpg", "jpeg", "png", "heic", "heif")
#: A kept photo: re-encoded as a JPEG of this quality, under this many bytes.
KEEP_QUALITY = 85
KEEP_BUDGET = 1_500_000
# Pillow refuses to open an image of more than twice this many pixels, and warns above it;
# homeaudit refuses anything above it itself (from the header, before decoding), so the warning
# says nothing it does not act on.
Image.MAX_IMAGE_PIXELS = limits.MAX_PIXELS
warnings.filterwarnings("ignore", category=Image.DecompressionBombWarning)

# 1000 px: a 12 MP (4000x3000 or 4032x3024) or 48 MP photo decodes at 1/4 or 1/8 scale to just this.
MAX_SIDE = 1000
QUALITY = 72
BUDGET = 300_000
_MIN_QUALITY = 45

_heif_lock = threading.Lock()
_heif_ready = False


class PhotoError(ValueError):
    """The bytes are not a photo homeaudit keeps or prints; the message says why in plain words,
    naming the file."""


@dataclass(frozen=True)
class Kept:
    """A photo as homeaudit keeps it: a fresh JPEG, upright, without metadata."""

    filename: str
    mime: str
    data: bytes


@dataclass(frozen=True)
class Photo:
    """A photo ready for the PDF: baseline JPEG bytes without metadata, and its pixel size."""

    data: bytes
    width: int
    height: int


def _register_heif() -> None:
    global _heif_ready
    if _heif_ready:
        return
    with _heif_lock:
        if not _heif_ready:
            try:
                from pillow_heif import register_heif_opener
            except ImportError:  # pragma: no cover - pillow-heif is a pinned dependency
                pass
            else:
                register_heif_opener()
            _heif_ready = True


def _draft_box(size: tuple[int, int], max_side: int) -> tuple[int, int]:
    """The smallest size a JPEG may be decoded at (DCT scaling) and still fill ``max_side``."""
    width, height = size
    scale = max_side / max(width, height, 1)
    return (max(1, int(width * scale)), max(1, int(height * scale)))


def _to_rgb(image: Image.Image) -> Image.Image:
    """Plain 8-bit RGB; transparent parts become white, as on paper."""
    if image.mode == "RGB":
        return image
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    if image.mode.startswith("I;16") or image.mode in ("I", "F"):
        image = image.convert("I").point(lambda v: v / 256).convert("L")
    return image.convert("RGB")


def _encode(image: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    # No exif=, icc_profile=, comment= or xmp= arguments: Pillow writes none of them then.
    image.save(out, format="JPEG", quality=quality, optimize=True, subsampling="4:2:0")
    return out.getvalue()


def _megabytes(size: int) -> str:
    return f"{size / limits.MB:.1f} MB"


def prepare(
    data: bytes, max_side: int = MAX_SIDE, quality: int = QUALITY, budget: int = BUDGET, name: str = "The photo"
) -> Photo:
    """Decode a photo (JPEG, PNG, HEIC, …), turn it upright, shrink it and strip its metadata.

    Raises :class:`PhotoError` when the bytes are not an image that can be read, or break a limit
    of :mod:`homeaudit.limits` (checked before decoding).
    """
    if not data:
        raise PhotoError(f"{name} is empty.")
    if len(data) > limits.MAX_PHOTO_BYTES:
        raise PhotoError(
            f"{name} is {_megabytes(len(data))}; the limit is {_megabytes(limits.MAX_PHOTO_BYTES)}. "
            "Take it again at a lower resolution, or send a smaller copy."
        )
    _register_heif()
    try:
        with Image.open(io.BytesIO(data)) as source:
            if (source.format or "") not in FORMATS:
                raise PhotoError(f"{name} is not a photo. Choose a JPEG, PNG or HEIC (iPhone) picture.")
            width, height = source.size
            if width * height > limits.MAX_PIXELS:
                raise PhotoError(
                    f"{name} is {width} x {height} pixels; the limit is {limits.MAX_PIXELS // 1_000_000} million pixels."
                )
            if source.format == "JPEG":
                # Decode at 1/2, 1/4 or 1/8 scale straight from the DCT: 5-10x faster for phone photos.
                source.draft("RGB", _draft_box(source.size, max_side))
            upright = ImageOps.exif_transpose(source)
            upright.load()
    except PhotoError:
        raise
    except UnidentifiedImageError:
        raise PhotoError(f"{name} is not a photo. Choose a JPEG, PNG or HEIC (iPhone) picture.") from None
    except Image.DecompressionBombError:
        raise PhotoError(f"{name} has more pixels than the limit of {limits.MAX_PIXELS // 1_000_000} million.") from None
    except Exception as error:
        raise PhotoError(f"{name} is damaged or not a photo, and cannot be opened ({type(error).__name__}).") from error
    image = _to_rgb(upright)
    image.thumbnail((max_side, max_side), Image.Resampling.BICUBIC, reducing_gap=3.0)
    # Copy the pixels into a new image so that no info dict (exif, xmp, icc) travels along.
    image = Image.frombytes("RGB", image.size, image.tobytes())
    encoded = _encode(image, quality)
    while len(encoded) > budget and (quality > _MIN_QUALITY or max(image.size) > 320):
        if quality > _MIN_QUALITY:
            quality = max(_MIN_QUALITY, quality - 12)
        else:
            image = image.resize((max(1, image.width * 3 // 4), max(1, image.height * 3 // 4)), Image.Resampling.LANCZOS)
        encoded = _encode(image, quality)
    return Photo(data=encoded, width=image.width, height=image.height)


def keep(filename: str, data: bytes) -> Kept:
    """A photo as homeaudit keeps it, from an upload or an imported zip: re-encoded as a new JPEG,
    at most :data:`~homeaudit.limits.KEEP_SIDE` px, upright, with no EXIF, GPS, XMP, ICC or
    comment. :class:`PhotoError` names the file when it cannot be kept."""
    name = PurePosixPath((filename or "photo").replace("\\", "/")).name or "photo"
    photo = prepare(data, max_side=limits.KEEP_SIDE, quality=KEEP_QUALITY, budget=KEEP_BUDGET, name=f"The file {name}")
    stem = PurePosixPath(name).stem[:80] or "photo"
    return Kept(filename=f"{stem}.jpg", mime="image/jpeg", data=photo.data)


def prepare_many(blobs: Iterable[bytes], workers: int | None = None) -> list[Photo | PhotoError]:
    """:func:`prepare` for many photos at once, in threads (Pillow decodes without the GIL).

    Returns, in order, a Photo or the PhotoError for each input; never raises for a bad photo.
    """
    blobs = list(blobs)

    def one(data: bytes) -> Photo | PhotoError:
        try:
            return prepare(data)
        except PhotoError as error:
            return error

    if len(blobs) <= 1:
        return [one(b) for b in blobs]
    workers = workers or min(4, os.cpu_count() or 1, len(blobs))
    if workers <= 1:
        return [one(b) for b in blobs]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(one, blobs))


__all__ = [
    "BUDGET",
    "FORMATS",
    "MAX_SIDE",
    "QUALITY",
    "UPLOAD_TYPES",
    "Kept",
    "Photo",
    "PhotoError",
    "keep",
    "prepare",
    "prepare_many",
]
