"""Whether a JPEG is already a photo as :func:`homeaudit.photos.keep` writes it.

``keep`` re-encodes every photo that comes in, so that nothing but pixels is kept. A photo it
wrote once and that comes back (an audit exported with ``homeaudit export --all`` or as a zip,
then imported) would be re-encoded again: JPEG is lossy, so each round loses a little quality and
the bytes change, and an export, import and export would not give back the same files.

:func:`is_kept` recognises such a photo by its structure, strictly: the JFIF header exactly as
Pillow writes it (no thumbnail), then only quantisation tables, one baseline frame (8-bit, three
components, within the kept size), Huffman tables, one scan of entropy-coded data and the end
marker as the last two bytes. No metadata segment (EXIF, XMP, ICC, comment), no second image, no
byte after the end; then Pillow decodes all of it. Anything else is re-encoded as before.
"""

from __future__ import annotations

import io

#: The JFIF APP0 segment Pillow writes (version 1.1, no units, 1:1 density, no thumbnail).
JFIF_APP0 = b"\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
_SOI, _EOI = b"\xff\xd8", b"\xff\xd9"
_DQT, _SOF0, _DHT, _SOS = 0xDB, 0xC0, 0xC4, 0xDA


def is_kept(data: bytes, max_side: int, budget: int) -> bool:
    """True when ``data`` is a baseline JPEG of at most ``max_side`` px and ``budget`` bytes with
    nothing in it but what :func:`homeaudit.photos.keep` writes, and it decodes whole."""
    if len(data) > budget or not data.startswith(_SOI + JFIF_APP0) or not data.endswith(_EOI):
        return False
    size = _structure(data, max_side)
    return size is not None and _decodes(data, size)


def _structure(data: bytes, max_side: int) -> tuple[int, int] | None:
    """The frame's (width, height) when the segments are only those allowed, in a sane order."""
    pos = len(_SOI + JFIF_APP0)
    frame: tuple[int, int] | None = None
    tables = 0
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        length = int.from_bytes(data[pos + 2 : pos + 4], "big")
        body = data[pos + 4 : pos + 2 + length]
        if length < 2 or len(body) != length - 2:
            return None
        if marker in (_DQT, _DHT):
            tables += 1
        elif marker == _SOF0 and frame is None:
            if len(body) != 15 or body[0] != 8 or body[5] != 3:
                return None  # 8-bit, three components (Pillow keeps every photo as RGB)
            height, width = int.from_bytes(body[1:3], "big"), int.from_bytes(body[3:5], "big")
            if not (0 < width <= max_side and 0 < height <= max_side):
                return None
            frame = (width, height)
        elif marker == _SOS and frame is not None and tables >= 3:
            return frame if _one_scan(data, pos + 2 + length) else None
        else:
            return None  # metadata, a second frame, a restart interval, progressive: not ours
        pos += 2 + length
    return None


def _one_scan(data: bytes, start: int) -> bool:
    """Entropy-coded data from ``start`` to the end marker, which is the file's last two bytes:
    every 0xFF in it is a stuffed 0xFF00 (there are no restart markers without an interval)."""
    end = len(data) - 2
    at = data.find(b"\xff", start, end)
    while at != -1:
        if data[at + 1] != 0x00:
            return False
        at = data.find(b"\xff", at + 2, end)
    return True


def _decodes(data: bytes, size: tuple[int, int]) -> bool:
    """Pillow reads it whole, as an RGB image of the frame's size."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != "JPEG" or image.mode != "RGB" or image.size != size:
                return False
            image.load()
    except Exception:  # noqa: BLE001 - anything Pillow cannot read whole is simply re-encoded
        return False
    return True


__all__ = ["JFIF_APP0", "is_kept"]
