"""Photos: upright, small, and carrying nothing but pixels (one way to read a photo in homeaudit).

Every photo goes through :func:`prepare`, in one of two sizes: :func:`keep` makes the copy that
homeaudit keeps (from the app's camera or upload, or from an imported zip) at most
:data:`~homeaudit.limits.KEEP_SIDE` (2048) pixels on its long side, and the report prints the kept
photo at most :data:`MAX_SIDE` (1000) pixels, plenty for a print a third of a page wide. Either
way the bytes are a file from someone else (:mod:`homeaudit.limits`): their size is checked
first, then their format and pixel count from the header and the memory they would take decoded,
before a single pixel is decoded (a 20 kB PNG can declare 13000 x 13000 pixels and take 1.5 GB).
A file that is not a JPEG, PNG or HEIC photo is refused with its name.

A phone photo is 3 to 12 MB and carries EXIF: the camera, the time and often the GPS position of
the home. So every photo is decoded, reduced, turned upright from its EXIF orientation, scaled
and re-encoded as a fresh JPEG with no metadata at all: no EXIF, no GPS, no XMP, no ICC profile,
no comment. If the JPEG is still over its budget (a photo of gravel or a patterned carpet), it is
re-encoded smaller, so twenty photos in a report stay well under 10 MB. HEIC/HEIF photos from
iPhones are read through pillow-heif.

Memory stays far under 500 MB for any photo within the limits: a JPEG is decoded at 1/2, 1/4 or
1/8 scale straight from the DCT; any other photo is decoded once, then reduced a tile at a time
(no full-size copy is made: not to turn it, not to flatten its transparency); and a large photo is
decoded only while no other large one is (the report prepares photos in threads).

Importing this module changes nothing in Pillow: the HEIF opener is registered on first use, and
Pillow's own decompression-bomb limit is left as it is (homeaudit's lower one is checked here).
"""

from __future__ import annotations

import contextlib
import io
import os
import threading
import warnings
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import PurePosixPath

from PIL import ExifTags, Image, UnidentifiedImageError

from homeaudit import limits

#: What a photo may be, by the format Pillow reads from its header.
FORMATS = frozenset({"JPEG", "MPO", "PNG", "HEIF", "HEIC", "AVIF"})
#: What the app's upload offers.
UPLOAD_TYPES = ("jpg", "jpeg", "png", "heic", "heif")
#: A kept photo: re-encoded as a JPEG of this quality, under this many bytes.
KEEP_QUALITY = 85
KEEP_BUDGET = 1_500_000

# 1000 px: a 12 MP (4000x3000 or 4032x3024) or 48 MP photo decodes at 1/4 or 1/8 scale to just this.
MAX_SIDE = 1000
QUALITY = 72
BUDGET = 300_000
_MIN_QUALITY = 45

#: Formats whose decoder (libheif) holds its own copy of the pixels while it hands them to Pillow.
_OWN_BUFFER = frozenset({"HEIF", "HEIC", "AVIF"})
#: A photo that takes more than this decoded waits until no other such photo is being decoded.
_LARGE_BYTES = 64 * limits.MB
#: The side of a tile, in pixels, when a large photo is reduced.
_TILE = 1024
#: How to turn a photo upright for each EXIF orientation (as ``ImageOps.exif_transpose`` does).
_TURNS = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}

_open_lock = threading.Lock()
_large = threading.Lock()
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


def _open(data: bytes) -> Image.Image:
    """``Image.open``, without Pillow's decompression-bomb warning, which fires above its own limit
    (89 million pixels, where homeaudit's is lower and is checked right after). The warning is
    silenced for this call only: the filter is changed under a lock and put back at once."""
    with _open_lock, warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        return Image.open(io.BytesIO(data))


def _decoded_bytes(image: Image.Image, full: tuple[int, int]) -> int:
    """The memory decoding the photo takes, from its header (``full`` is its size there; a JPEG's
    ``image.size`` is already its draft size): Pillow keeps 1 byte a pixel for grey and palette
    images, 2 for 16-bit grey and 4 for colour; a HEIC's decoder holds its own copy (3 or 4 bytes a
    pixel) while it hands the pixels over; a progressive JPEG's decoder holds every coefficient of
    the full-size photo (2 bytes a sample, fewer samples for subsampled colour)."""
    width, height = image.size
    mode = image.mode
    per_pixel = 1 if mode in ("1", "L", "P") else 2 if mode.startswith("I;16") else 4
    total = width * height * per_pixel
    pixels = full[0] * full[1]
    if (image.format or "") in _OWN_BUFFER:
        total += pixels * len(image.getbands())
    layers = getattr(image, "layer", None)
    if image.format in ("JPEG", "MPO") and image.info.get("progressive") and layers:
        most = max(h * v for _, h, v, _ in layers) or 1
        total += pixels * 2 * sum(h * v for _, h, v, _ in layers) // most
    return total


def _shrunk(image: Image.Image, max_side: int) -> Image.Image:
    """The decoded photo as plain RGB, reduced by a whole factor (each block of pixels averaged)
    to between ``max_side`` and twice that on its long side. A large photo is reduced a tile at a
    time, so that no full-size copy is ever made (``Image.reduce`` would copy an RGBA photo whole,
    and flattening its transparency would too)."""
    width, height = image.size
    factor = max(1, max(width, height) // max_side)
    if factor == 1:
        return _to_rgb(image)
    fx, fy = min(factor, width), min(factor, height)
    out = Image.new("RGB", (-(-width // fx), -(-height // fy)))
    step_x, step_y = fx * max(1, _TILE // fx), fy * max(1, _TILE // fy)
    for top in range(0, height, step_y):
        for left in range(0, width, step_x):
            tile = image.crop((left, top, min(width, left + step_x), min(height, top + step_y)))
            out.paste(_to_rgb(tile).reduce((fx, fy)), (left // fx, top // fy))
    return out


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
        with _open(data) as source:
            if (source.format or "") not in FORMATS:
                raise PhotoError(f"{name} is not a photo. Choose a JPEG, PNG or HEIC (iPhone) picture.")
            width, height = source.size
            if width * height > limits.MAX_PIXELS:
                raise PhotoError(
                    f"{name} is {width} x {height} pixels; the limit is {limits.MAX_PIXELS // 1_000_000} million pixels."
                )
            if source.format in ("JPEG", "MPO"):
                # Decode at 1/2, 1/4 or 1/8 scale straight from the DCT: 5-10x faster for phone photos.
                source.draft("RGB", _draft_box(source.size, max_side))
            decoded = _decoded_bytes(source, (width, height))
            if decoded > limits.MAX_DECODED_BYTES:
                raise PhotoError(
                    f"{name} would take {decoded // limits.MB} MB to decode ({width} x {height} pixels, {source.mode}); "
                    f"the limit is {limits.MAX_DECODED_BYTES // limits.MB} MB."
                )
            # A large photo is decoded while no other large one is: the app and the report prepare
            # photos in threads, and four 60-million-pixel photos at once would take gigabytes.
            with _large if decoded > _LARGE_BYTES else contextlib.nullcontext():
                source.load()
                turn = _TURNS.get(source.getexif().get(ExifTags.Base.Orientation, 1))
                image = _shrunk(source, max_side)
                if turn is not None:
                    image = image.transpose(turn)
                image.thumbnail((max_side, max_side), Image.Resampling.BICUBIC, reducing_gap=3.0)
                # Copy the pixels into a new image so that no info dict (exif, xmp, icc) travels along.
                image = Image.frombytes("RGB", image.size, image.tobytes())
                source.close()  # its pixels are freed before the next large photo starts
    except PhotoError:
        raise
    except UnidentifiedImageError:
        raise PhotoError(f"{name} is not a photo. Choose a JPEG, PNG or HEIC (iPhone) picture.") from None
    except Image.DecompressionBombError:
        raise PhotoError(f"{name} has more pixels than the limit of {limits.MAX_PIXELS // 1_000_000} million.") from None
    except Exception as error:
        raise PhotoError(f"{name} is damaged or not a photo, and cannot be opened ({type(error).__name__}).") from error
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
    stem = PurePosixPath(name).stem[:80] or "photo"
    from homeaudit.kept_jpeg import is_kept

    if is_kept(data, limits.KEEP_SIDE, KEEP_BUDGET):
        # Already as keep() writes it (an exported photo coming back): nothing but pixels, and a
        # second encoding would only lose quality and change the bytes an export gives back.
        return Kept(filename=f"{stem}.jpg", mime="image/jpeg", data=bytes(data))
    photo = prepare(data, max_side=limits.KEEP_SIDE, quality=KEEP_QUALITY, budget=KEEP_BUDGET, name=f"The file {name}")
    return Kept(filename=f"{stem}.jpg", mime="image/jpeg", data=photo.data)


def prepare_many(blobs: Iterable[bytes], workers: int | None = None) -> list[Photo | PhotoError]:
    """:func:`prepare` for many photos at once, in threads (Pillow decodes without the GIL); a
    large photo (over 64 MB decoded, by its header) is prepared in the calling thread, one at a
    time, so that memory freed by one is used again by the next.

    Returns, in order, a Photo or the PhotoError for each input; never raises for a bad photo.
    """
    blobs = list(blobs)

    def one(data: bytes) -> Photo | PhotoError:
        try:
            return prepare(data)
        except PhotoError as error:
            return error

    large = {index for index, data in enumerate(blobs) if _decoded_estimate(data) > _LARGE_BYTES}
    small = [index for index in range(len(blobs)) if index not in large]
    workers = workers or min(4, os.cpu_count() or 1, len(small))
    out: dict[int, Photo | PhotoError] = {}
    if workers > 1 and len(small) > 1:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            pending = {index: pool.submit(one, blobs[index]) for index in small}
            out.update((index, one(blobs[index])) for index in sorted(large))
            out.update((index, future.result()) for index, future in pending.items())
    else:
        out.update((index, one(data)) for index, data in enumerate(blobs))
    return [out[index] for index in range(len(blobs))]


def _decoded_estimate(data: bytes) -> int:
    """What :func:`_decoded_bytes` says from the header alone (0 when the header cannot be read:
    :func:`prepare` then gives the reason)."""
    if not data or len(data) > limits.MAX_PHOTO_BYTES:
        return 0
    _register_heif()
    try:
        with _open(data) as source:
            size = source.size
            if source.format in ("JPEG", "MPO"):
                source.draft("RGB", _draft_box(size, MAX_SIDE))
            return _decoded_bytes(source, size)
    except Exception:  # noqa: BLE001 - any header that cannot be read: prepare() gives the reason
        return 0


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
