"""What a file from someone else may hold: every limit in one place, checked before parsing,
decoding or showing anything.

homeaudit takes files from others (a relative emails a bundle, an OT imports last year's export),
so every file is hostile until checked. The command line and the app check the same limits with
the same code, and docs/privacy.md lists them. A refusal is one line naming the file, the member
or the field and the limit, and nothing is half-imported.

The numbers are generous for any real audit (a large house has 20 rooms and 200 answers; a phone
photo is 3-12 MB and 12-48 million pixels) and small enough that a refusal comes within seconds
and memory stays far under 500 MB.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

MB = 1024 * 1024

# --------------------------------------------------------------------------- an audit file
#: An audit file's text (YAML or JSON). A full audit with long notes is under 200 kB.
MAX_AUDIT_BYTES = 5 * MB
#: How deeply mappings and lists may nest. An audit nests five levels; checklist files four.
MAX_DEPTH = 16
#: How many values (scalars, mappings, lists) a file may hold: bounds the time a parse takes.
MAX_NODES = 200_000
#: Room visits in one audit (a large house has 20).
MAX_ROOMS = 60
#: Answers in one room visit or in the resident section.
MAX_ANSWERS = 400
#: A number, a date or a yes/no as written in the file. No real one is longer; YAML converts a long
#: one in time that grows with the square of its length (the base-60 "1:00:00:…" of YAML 1.1:
#: 4.8 MB of it took minutes), so it is refused before it is converted.
MAX_NUMBER = 100
#: A note on an answer, and the client's notes.
MAX_NOTE = 5_000
#: A name, a room label, a phone number, a reference: one line of text.
MAX_LABEL = 200
#: An address, a reason, a goal, an observation: a few lines.
MAX_TEXT = 1_000
#: Photos on one answer.
MAX_PHOTOS_PER_ANSWER = 20

# --------------------------------------------------------------------------- a zip of an audit and its photos
#: The zip file itself.
MAX_BUNDLE_BYTES = 200 * MB
#: Files in the zip.
MAX_MEMBERS = 500
#: One member, uncompressed (a photo or the audit file).
MAX_MEMBER_BYTES = 25 * MB
#: All members together, uncompressed.
MAX_TOTAL_BYTES = 400 * MB
#: How much a member may inflate: photos do not compress, so a member that inflates more than
#: this is a decompression bomb (a 390 kB zip that expands to 380 MB inflates about 1000 times).
MAX_RATIO = 100
#: A member's name (no absolute paths and no "..", checked by the importer).
MAX_NAME = 255
#: How much is read from a member at a time while it is inflated (a header can lie).
CHUNK = 1 * MB

# --------------------------------------------------------------------------- a photo
#: A photo file as uploaded or imported.
MAX_PHOTO_BYTES = 25 * MB
#: Pixels a photo may have, read from its header before it is decoded (a 48 MP phone photo is
#: 48.8 million; a 20 kB PNG of 13000 x 13000 pixels would take 1.5 GB to decode).
MAX_PIXELS = 60_000_000
#: The memory a photo may take while it is decoded, worked out from its header: its pixels times
#: what Pillow keeps of each (1 byte for grey, 4 for colour), plus the copy a HEIC's decoder keeps
#: while it hands the pixels over (3 or 4 bytes a pixel) or the coefficients a progressive JPEG's
#: decoder keeps (2 bytes a sample). A JPEG is decoded at a reduced scale and counts at that scale.
#: A 48 MP iPhone HEIC takes 326 MB; any PNG within MAX_PIXELS 229 MB. With it, keeping a photo or
#: printing it in the report stays under 500 MB of memory (tests/test_hostile.py measures it).
MAX_DECODED_BYTES = 330 * MB
#: The long side of a photo as it is kept: re-encoded, upright, without metadata.
KEEP_SIDE = 2048


def describe() -> list[tuple[str, str]]:
    """The limits in words, for the documentation and a test that keeps the two the same."""
    return [
        ("audit file", f"{MAX_AUDIT_BYTES // MB} MB of text"),
        ("nesting", f"{MAX_DEPTH} levels"),
        ("values in a file", f"{MAX_NODES:,}"),
        ("rooms", f"{MAX_ROOMS}"),
        ("answers per room", f"{MAX_ANSWERS}"),
        ("number or date", f"{MAX_NUMBER} characters"),
        ("note", f"{MAX_NOTE:,} characters"),
        ("name or label", f"{MAX_LABEL} characters"),
        ("address, reason, goal", f"{MAX_TEXT:,} characters"),
        ("photos per answer", f"{MAX_PHOTOS_PER_ANSWER}"),
        ("zip file", f"{MAX_BUNDLE_BYTES // MB} MB"),
        ("files in a zip", f"{MAX_MEMBERS}"),
        ("one file in a zip", f"{MAX_MEMBER_BYTES // MB} MB uncompressed"),
        ("all files in a zip", f"{MAX_TOTAL_BYTES // MB} MB uncompressed"),
        ("compression ratio", f"{MAX_RATIO} to 1"),
        ("photo file", f"{MAX_PHOTO_BYTES // MB} MB"),
        ("photo size", f"{MAX_PIXELS // 1_000_000} million pixels"),
        ("photo decoded", f"{MAX_DECODED_BYTES // MB} MB of memory"),
        ("photo as kept", f"{KEEP_SIDE} pixels on the long side"),
    ]


class FileRefused(ValueError):
    """A file that is not read: missing, not a regular file, or over its limit; the message names it."""


def read_file(path: str | os.PathLike[str], limit: int) -> bytes:
    """A file from someone else, checked before a byte is read: a regular file (not a folder, not a
    pipe that would never end, not a device such as /dev/zero) of at most ``limit`` bytes. It is
    opened without waiting (a pipe would block the open itself), checked on the open file (so it
    cannot be swapped after the check), and at most ``limit + 1`` bytes are read (a file that grows
    after the check is refused too)."""
    path = Path(path)

    def size(n: float) -> str:
        # in bytes when megabytes would round to the limit itself ("5.0 MB; the limit is 5 MB")
        return f"{n / MB:.1f} MB" if limit >= MB and abs(n - limit) >= MB / 10 else f"{n:,.0f} bytes"

    refused = f"the limit is {limit // MB} MB" if limit >= MB else f"the limit is {limit:,} bytes"
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise FileRefused(f"{path}: file not found") from None
    except OSError as error:
        raise FileRefused(f"{path}: cannot be read ({error.strerror or error})") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise FileRefused(f"{path}: a folder, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise FileRefused(f"{path}: not a regular file (a pipe, a socket or a device); save it as a file first")
        if info.st_size > limit:
            raise FileRefused(f"{path}: the file is {size(info.st_size)}; {refused}")
        stream = os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
    with stream:
        try:
            data = stream.read(limit + 1)
        except OSError as error:
            raise FileRefused(f"{path}: cannot be read ({error.strerror or error})") from None
    if len(data) > limit:
        raise FileRefused(f"{path}: the file is more than {size(limit)}; {refused}")
    return data


__all__ = [
    "CHUNK",
    "KEEP_SIDE",
    "MAX_ANSWERS",
    "MAX_AUDIT_BYTES",
    "MAX_BUNDLE_BYTES",
    "MAX_DECODED_BYTES",
    "MAX_DEPTH",
    "MAX_LABEL",
    "MAX_MEMBERS",
    "MAX_MEMBER_BYTES",
    "MAX_NAME",
    "MAX_NODES",
    "MAX_NOTE",
    "MAX_NUMBER",
    "MAX_PHOTOS_PER_ANSWER",
    "MAX_PHOTO_BYTES",
    "MAX_PIXELS",
    "MAX_RATIO",
    "MAX_ROOMS",
    "MAX_TEXT",
    "MAX_TOTAL_BYTES",
    "MB",
    "FileRefused",
    "describe",
    "read_file",
]
