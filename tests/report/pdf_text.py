"""Reading a report back: the text of each page, and each run of text as drawn, with its place,
size and font (pypdf's visitor), so that tests can check what a reader sees: sizes, pages that hold a
lone line, the body without its headers and footers.

A module of its own (not the conftest), so that test modules import it by a name no other test
folder uses.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import pypdf


def pages(pdf: bytes) -> list[str]:
    """The text of each page, as pypdf extracts it."""
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    """Text with every run of white space folded into one space (line breaks move around)."""
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True)
class Run:
    """A run of text as drawn: its page (from 0), where its baseline starts, its size and font."""

    page: int
    text: str
    x: float
    y: float
    size: float
    font: str
    embedded: bool


def text_runs(pdf: bytes) -> list[Run]:
    """Every run of text drawn in the PDF, in the order it is drawn (pypdf's visitor)."""
    runs: list[Run] = []
    for number, page in enumerate(pypdf.PdfReader(io.BytesIO(pdf)).pages):

        def visit(text, cm, tm, font, size, number=number):
            if not text.strip() or not font:
                return
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            scale = (tm[0] ** 2 + tm[1] ** 2) ** 0.5 * (cm[0] ** 2 + cm[1] ** 2) ** 0.5
            descriptor = font.get("/FontDescriptor") or font.get("/DescendantFonts", [{}])[0].get_object().get(
                "/FontDescriptor", {}
            )
            embedded = "/FontFile2" in descriptor
            runs.append(Run(number, text, x, y, size * scale, str(font.get("/BaseFont", "")), embedded))

        page.extract_text(visitor_text=visit)
    return runs


def body_runs(pdf: bytes, *, large: bool = False) -> list[Run]:
    """The runs inside the body frame of each page: not the header or footer."""
    from homeaudit.report.page import margins

    top, bottom = margins(large)
    height = float(pypdf.PdfReader(io.BytesIO(pdf)).pages[0].mediabox.height)
    return [run for run in text_runs(pdf) if bottom - 2 <= run.y <= height - top + 2]


def lines_per_page(pdf: bytes, *, large: bool = False) -> dict[int, int]:
    """How many lines of text each page's body holds (distinct baselines)."""
    pages = len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
    baselines: dict[int, set[int]] = {n: set() for n in range(pages)}
    for run in body_runs(pdf, large=large):
        baselines[run.page].add(round(run.y))
    return {n: len(found) for n, found in baselines.items()}


def body_text(pdf: bytes, *, large: bool = False) -> str:
    """The text of every page's body, pages joined, without headers and footers: a paragraph
    that runs over a page break reads as one."""
    from homeaudit.report.page import margins

    top, bottom = margins(large)
    parts: list[str] = []
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        height = float(page.mediabox.height)

        def visit(text, cm, tm, font, size, height=height):
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            if bottom - 2 <= y <= height - top + 2:
                parts.append(text)

        page.extract_text(visitor_text=visit)
        parts.append(" ")
    return flat("".join(parts))
