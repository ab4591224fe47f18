"""The PDF action plan: a pure function from a scored audit to PDF bytes.

The CLI (``homeaudit report``) and the Streamlit app both call :func:`render`; nothing else in
homeaudit knows about reportlab. The same audit, score and options always give the same bytes.

    from homeaudit.report import ReportOptions, render, report_filename
    pdf = render(audit, score(audit, library), library, ReportOptions(page_size="letter"))

The report reads the typed results only (:mod:`homeaudit.results`, :mod:`homeaudit.plan`): it
imports neither pandas nor the scoring engine. A plan with edits is passed in finished, as
``score.with_edits(edits)``.
"""

from __future__ import annotations

import io
import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus.doctemplate import LayoutError

from homeaudit import money, photos
from homeaudit.audit import Audit, slug
from homeaudit.checklist import Library
from homeaudit.report import fonts, page, since, story
from homeaudit.report.context import Context
from homeaudit.report.draw import long_date
from homeaudit.report.styles import Styles
from homeaudit.report.styles import make as make_styles
from homeaudit.report.text import plain
from homeaudit.report.titles import CONFIDENTIAL, DISCLAIMER_SHORT, TITLE
from homeaudit.results import Score

if TYPE_CHECKING:
    from homeaudit.compare import Comparison

PhotoLoader = Callable[[str], bytes]

logger = logging.getLogger(__name__)

#: Territories that use US Letter paper (the rest of the world uses A4).
LETTER_TERRITORIES = frozenset({"US", "CA", "MX", "PH", "CL", "CO", "VE", "CR", "GT", "NI", "PA", "SV", "DO", "PR", "BZ"})


class ReportError(ValueError):
    """The report cannot be made with these inputs; the message says why."""


@dataclass(frozen=True)
class ReportOptions:
    page_size: str = "A4"  # "A4" | "letter"
    large_print: bool = False  # body text >= 14 pt
    currency: str = money.DEFAULT  # cost bands' currency (homeaudit.money.currency() reads the locale)


def default_page_size(environ: Mapping[str, str] | None = None) -> str:
    """'letter' where the locale's territory uses US Letter (US, CA, MX, PH, …), else 'A4'.

    Reads LC_ALL, then LC_PAPER, then LANG, as the C library does (``en_US.UTF-8`` → US).
    """
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_PAPER", "LANG"):
        value = (env.get(name) or "").strip()
        if not value:
            continue
        base = value.split(".", 1)[0].split("@", 1)[0]
        territory = base.split("_", 1)[1].upper() if "_" in base else ""
        return "letter" if territory in LETTER_TERRITORIES else "A4"
    return "A4"


def report_filename(audit: Audit) -> str:
    """A safe file name for the report: '<client-slug>-<date>.pdf', or 'audit-<date>.pdf'."""
    name = slug(audit.client.name) or "audit"
    return f"{name}-{audit.date.isoformat()}.pdf"


def _page_size(options: ReportOptions) -> tuple[float, float]:
    key = str(options.page_size).strip().lower()
    if key not in page.PAGE_SIZES:
        raise ReportError(f"page size {options.page_size!r} is not supported; use 'A4' or 'letter'")
    return page.PAGE_SIZES[key]


def _photo_refs(score: Score) -> list[str]:
    """Every photo the report shows, once, in the order it first appears (the findings are in
    the order of the report: the resident's, then room by room in checklist order)."""
    refs: dict[str, None] = {}
    for finding in score.findings:
        if finding.status != "absent":
            for ref in finding.photos:
                refs.setdefault(ref, None)
    return list(refs)


def _load_photos(refs: list[str], loader: PhotoLoader | None) -> dict[str, photos.Photo | str]:
    """Load (in this thread: the app's loader may hold a database connection) then prepare in
    parallel. A photo that cannot be had is a message for the report, never an exception."""
    found: dict[str, photos.Photo | str] = {}
    blobs: dict[str, bytes] = {}
    for ref in refs:
        if loader is None:
            found[ref] = "photo not included"
            continue
        try:
            blobs[ref] = bytes(loader(ref))
        except (OSError, LookupError):
            found[ref] = "photo missing"
        except Exception:  # a loader's own failure must not cost the family the whole report
            logger.exception("photo %r could not be loaded for the report", ref)
            found[ref] = "photo could not be loaded"
    for ref, result in zip(blobs, photos.prepare_many(blobs.values()), strict=True):
        found[ref] = result if isinstance(result, photos.Photo) else "photo could not be read"
    return found


def _furniture(audit: Audit, styles: Styles, width: float, client: str, date: str) -> page.Furniture:
    """Header: the client and date, the title. Footer: what this is, and "Page N of M". An
    occupational therapist's report says in every footer that it holds health information (and
    the short disclaimer after it, where the line has room)."""
    size = styles.header_size
    tail = f" · {date}"
    left_width = width - stringWidth(TITLE, fonts.REGULAR, size) - 4 - size
    room_for_name = left_width - stringWidth(tail, fonts.REGULAR, size) - 4
    footer_width = width - stringWidth("Page 999 of 999", fonts.REGULAR, size) - size
    footer = DISCLAIMER_SHORT
    if audit.auditor.role == "ot":
        both = f"{CONFIDENTIAL} · {DISCLAIMER_SHORT}"
        fits = stringWidth(both, fonts.BOLD, size) <= footer_width
        footer = f"<b>{CONFIDENTIAL}</b> · {DISCLAIMER_SHORT}" if fits else f"<b>{CONFIDENTIAL}</b>"
    return page.Furniture(
        header_left=page.fit(client, room_for_name, size) + tail if client else date,
        header_right=TITLE,
        footer_left=footer,
        styles=styles,
        left_width=left_width,
        footer_width=footer_width,
    )


def render(
    audit: Audit,
    score: Score,
    library: Library,
    options: ReportOptions = ReportOptions(),
    photo_loader: PhotoLoader | None = None,
    comparison: Comparison | None = None,
) -> bytes:
    """The PDF action plan for a scored audit, as bytes.

    ``score`` carries the plan as it should print: pass ``score.with_edits(edits)`` for the
    user's changes (a done action prints ticked, a changed "who" and a due date print as given).

    ``photo_loader`` turns a photo reference from ``Answer.photos`` into the photo's bytes; it
    raises OSError or KeyError when the photo is missing, and the report then says "photo
    missing" in its place. Without a loader the report says where photos were left out.

    ``comparison`` (:func:`homeaudit.compare_visits` of the visit before and this one) adds the
    section "Since the last visit" after the summary; without it there is none.
    """
    page_size = _page_size(options)
    fonts.register()
    styles = make_styles(bool(options.large_print))
    ctx = Context(
        audit=audit,
        score=score,
        library=library,
        styles=styles,
        width=page.frame_width(page_size),
        height=page.frame_height(page_size, styles.large),
        photos=_load_photos(_photo_refs(score), photo_loader),
        currency=options.currency,
    )
    client = plain(audit.client.name, limit=200)
    date = long_date(audit.date)
    furniture = _furniture(audit, styles, page.frame_width(page_size), client, date)
    buffer = io.BytesIO()
    doc = page.document(
        buffer,
        page_size,
        title=f"{TITLE}: {client}, {date}" if client else f"{TITLE}, {date}",
        author=plain(audit.auditor.name, limit=200),
        subject=TITLE,
        large=styles.large,
    )
    try:
        since_part = since.since_last_visit(ctx, comparison) if comparison is not None else []
        doc.build(story.story(ctx, since_part), canvasmaker=page.canvas_maker(furniture, audit.date))
    except LayoutError as error:  # pragma: no cover - a row taller than a page is split (draw.KeepRowsTable)
        logger.error("layout failed: %s", error)  # reportlab's own words, for a developer
        raise ReportError(
            "the report could not be laid out: some text is too long to fit on a page. Shorten the longest notes, "
            "observations or diagnoses, and try again (or turn large print off)"
        ) from None
    return buffer.getvalue()


__all__ = [
    "LETTER_TERRITORIES",
    "PhotoLoader",
    "ReportError",
    "ReportOptions",
    "default_page_size",
    "render",
    "report_filename",
]
