"""One helper's list: the open jobs of the plan that one person (or one kind of helper) does, on a
page or two to hand over, print or pin up.

Relatives who help are among the strongest reasons a change gets made; a list with their name on
it, the client's first name and address, and for each job where it is, what to do, by when and a
box to tick, is what they take to the house. It says what was found in the home (the hazard, a
reading), never why the fix matters for this person: the reasons name their health, and this list
goes to a handyperson too. The jobs are the ones :func:`homeaudit.reminders.helper_lists` gives,
in plan order, numbered as in the plan.

    pdf = helper_list_pdf(audit, score.with_edits(edits), "Sam (son)", ReportOptions(page_size="letter"))
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Final

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Spacer, Table
from reportlab.platypus.doctemplate import LayoutError

from homeaudit.audit import Audit
from homeaudit.money import cost_label, doctor_word
from homeaudit.plan import Action, first_name, problem, when_words
from homeaudit.reminders import helper_actions, helper_lists, helper_name
from homeaudit.report import ReportError, ReportOptions, fonts, page
from homeaudit.report.draw import CELL_LIMIT, LABEL_LIMIT, Cell, TickBox, WriteLine, counted, p, table
from homeaudit.report.styles import ACCENT_HEX, RULE, Styles
from homeaudit.report.styles import make as make_styles
from homeaudit.report.text import markup, plain
from homeaudit.report.titles import CONFIDENTIAL, DISCLAIMER_SHORT
from homeaudit.results import Score
from homeaudit.words import long_date, who_label

#: In the header of every page and in the PDF's metadata.
LIST_TITLE = "Home safety jobs"
#: Type sizes to try, largest first: (what to do, the details) in normal and in large print; a
#: smaller size is used only when it saves a page.
SIZES: Final = {False: ((12.0, 10.0), (11.0, 9.5)), True: ((16.0, 14.0), (15.0, 14.0), (14.0, 14.0))}
#: The line to write the date on: wide enough for "21/11/2026" in handwriting.
DATE_LINE = 34 * mm


def helper_list_pdf(audit: Audit, score: Score, helper: str, options: ReportOptions | None = None) -> bytes:
    """The PDF list of one helper's open jobs, as bytes.

    ``helper`` is a name as :func:`homeaudit.reminders.helper_lists` gives it (a named helper, or
    a kind of helper such as "Handyperson"; any case). ``score`` carries the plan as people left
    it (``score.with_edits(edits)``); ``options`` the paper, print size and currency (the report's
    defaults when None). A helper with no open job gets a page that says so.
    """
    options = options or ReportOptions()
    size = page.PAGE_SIZES.get(str(options.page_size).strip().lower())
    if size is None:
        raise ReportError(f"page size {options.page_size!r} is not supported; use 'A4' or 'letter'")
    fonts.register()
    styles = make_styles(bool(options.large_print))
    name = next((key for key in helper_lists(score) if key.casefold() == helper_name(helper).casefold()), helper_name(helper))
    jobs = helper_actions(score, helper)
    width = page.frame_width(size)
    client = first_name(plain(audit.client.name, limit=200), fallback="")
    furniture = _furniture(audit, styles, width, name, client)
    height = page.frame_height(size, styles.large)
    best: tuple[int, bytes] | None = None
    for sizes in SIZES[styles.large]:  # the largest type that needs no more pages than the smallest
        story = _story(audit, score, name, client, jobs, styles, width, height, options.currency, sizes)
        buffer = io.BytesIO()
        doc = page.document(
            buffer,
            size,
            title=f"{LIST_TITLE} for {plain(name, limit=200)}",
            author=plain(audit.auditor.name, limit=200),
            subject=LIST_TITLE,
            large=styles.large,
        )
        try:
            doc.build(story, canvasmaker=page.canvas_maker(furniture, audit.date))
        except LayoutError as error:  # pragma: no cover - every row is kept shorter than a page
            raise ReportError(f"the list could not be laid out: {error}") from None
        if best is None or doc.page < best[0]:
            best = (doc.page, buffer.getvalue())
        if doc.page == 1:
            break
    assert best is not None  # SIZES is never empty
    return best[1]


def _furniture(audit: Audit, styles: Styles, width: float, name: str, client: str) -> page.Furniture:
    """Header: whose home and the date of the check, and whose list. Footer: what this is (and
    that it holds health information, in an occupational therapist's), and "Page N of M"."""
    size = styles.header_size
    right = f"{LIST_TITLE} for {plain(name, limit=80)}"
    right_width = min(stringWidth(right, fonts.REGULAR, size) + 4, width / 2)
    left_width = width - right_width - size
    date = long_date(audit.date)
    left = f"{client}'s home \u00b7 {date}" if client else date
    footer_width = width - stringWidth("Page 999 of 999", fonts.REGULAR, size) - size
    footer = f"<b>{CONFIDENTIAL}</b> \u00b7 {DISCLAIMER_SHORT}" if audit.auditor.role == "ot" else DISCLAIMER_SHORT
    if stringWidth(plain(footer.replace("<b>", "").replace("</b>", "")), fonts.BOLD, size) > footer_width:
        footer = f"<b>{CONFIDENTIAL}</b>" if audit.auditor.role == "ot" else DISCLAIMER_SHORT
    return page.Furniture(
        header_left=page.fit(left, left_width, size),
        header_right=page.fit(right, right_width, size),
        footer_left=footer,
        styles=styles,
        left_width=left_width,
        footer_width=footer_width,
    )


def _story(
    audit: Audit,
    score: Score,
    name: str,
    client: str,
    jobs: Sequence[Action],
    styles: Styles,
    width: float,
    height: float,
    currency: str,
    sizes: tuple[float, float],
) -> list[Flowable]:
    s = styles
    main_size, meta_size = sizes
    main = ParagraphStyle("helper_main", parent=s.fridge, fontSize=main_size, leading=round(main_size * 1.28, 1))
    meta = ParagraphStyle("helper_meta", parent=s.fridge_meta, fontSize=meta_size, leading=round(meta_size * 1.3, 1))
    home = f"{markup(client, limit=80)}'s home" if client else "the home"
    story: list[Flowable] = [
        p(f"{LIST_TITLE.upper()} \u00b7 {home}", s.kicker),
        p(f"For {markup(name, limit=LABEL_LIMIT)}", s.fridge_title),
    ]
    address = markup(audit.client.address, limit=400)
    if address:
        story.append(p(f"<b>Address:</b> {address}", s.lead))
    checked = f"From the home safety check of {long_date(audit.date)}"
    if not jobs:
        story += [
            p(f"{checked}.", meta),
            Spacer(1, s.gap),
            p("No open jobs on this list: everything on it is done or was set aside.", main),
        ]
        return story
    story += [
        p(f"{checked}: {counted(len(jobs), 'job')}, the most urgent first (numbered as in the plan).", meta),
        Spacer(1, s.gap * 0.4),
        p("Tick each job when it is done and write the date beside it.", main),
        Spacer(1, s.gap * 0.6),
        _rows(audit, score, jobs, main, meta, width, height, currency),
    ]
    return story


def _rows(
    audit: Audit,
    score: Score,
    jobs: Sequence[Action],
    main: ParagraphStyle,
    meta: ParagraphStyle,
    width: float,
    height: float,
    currency: str,
) -> Table:
    """A row per job: the box, the words, and a line for the date it was done."""
    box = main.fontSize * 1.4
    text_w = width - box - 10 - DATE_LINE - 12
    rows: list[list[Cell]] = []
    for action in jobs:
        where = markup(score.title(action.visit), limit=LABEL_LIMIT)
        what = markup(action.action, limit=None if action.today else CELL_LIMIT)
        job = p(f"<font color='{ACCENT_HEX}'><b>{action.rank}.</b></font> <b>{where}:</b> {what}", main)
        details = [f"<b>Found:</b> {markup(problem(action), limit=300)}"]
        due = when_words(action)
        if due:
            details.append(f"<b>{markup(due[:1].upper() + due[1:])}</b>")
        details.append(markup(cost_label(action.cost, currency)))
        if action.helper:  # a named helper's list also says what kind of job it is
            details.append(markup(who_label(action.who, audit.auditor.role, doctor_word(currency))))
        line = WriteLine(DATE_LINE, "Done on", meta.fontSize, height=max(box, meta.fontSize * 3.2))
        rows.append([TickBox(box), [job, Spacer(1, 2), p(" \u00b7 ".join(details), meta)], line])
    return table(
        rows,
        [box + 10, text_w, DATE_LINE + 12],
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 6),
            ("LEFTPADDING", (2, 0), (2, -1), 8),
            ("RIGHTPADDING", (2, 0), (2, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 8),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 9),
            ("LINEBELOW", (0, 0), (-1, -1), 0.6, RULE),
            ("LINEABOVE", (0, 0), (-1, 0), 0.6, RULE),
        ],
        page_height=height,
    )


__all__ = ["DATE_LINE", "LIST_TITLE", "SIZES", "helper_list_pdf"]
