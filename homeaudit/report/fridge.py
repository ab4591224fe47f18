"""The fridge page: a family's first page, the few jobs to do this week, big enough to read
across a kitchen.

Families carry out about half of the advice they get; a short, visible list with a box to tick
helps. So a family member's report opens with the first band of the plan (at most five rows,
:data:`homeaudit.plan.FIRST_LIST`) on a page of its own: each row in 13 pt (16 pt in large
print), with a box to tick, what to do and where, who does it, the rough cost and the suggested
date, and a line wide enough to write the date it was done (beside the row; in large print under
the words, beside who and cost, so that the words have the page's width: there the suggested
date is left out, the page's title says "this week"). A job already marked done in the app has
its box ticked, the date it was done written on its line and by whom under it (in large print
after who and cost), as the app recorded them; the plan's "Done" words say the same. A long name
is shortened, and names are left out before the type steps down or an action is shortened. Under it, a line says where the
rest of the plan is. The page always fits on one sheet: the type steps down a point, long
actions are shortened (the plan on the next pages has them whole), and only then is the type
set at its smallest, 12 pt (14 pt in large print). A warning sign that means "today" is never
shortened: its words ("go to an emergency department now") are the ones this page is for.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Spacer, Table

from homeaudit.money import cost_label, doctor_word
from homeaudit.plan import DOCTOR_VISIT_LEAD, Action, doctor_visit_words, is_open_doctors_job, one_doctor_visit, when_words
from homeaudit.report import fonts
from homeaudit.report.context import Context
from homeaudit.report.draw import LABEL_LIMIT, Cell, TickBox, WriteLine, counted, height_of, p, table
from homeaudit.report.styles import ACCENT_HEX, RULE
from homeaudit.report.text import markup
from homeaudit.report.titles import SECTION_TITLES
from homeaudit.words import BAND_TITLES, short_date, who_label

#: Type sizes to try, largest first: (what to do, who/cost) in normal and in large print.
SIZES: Final = {False: ((13.0, 12.0), (12.0, 12.0)), True: ((16.0, 14.0), (15.0, 14.0), (14.0, 14.0))}
#: How long an action may be on the fridge page, longest first (the plan has it whole).
LIMITS: Final = (600, 300, 180, 110)
PADDINGS: Final = ("LEFTPADDING", "RIGHTPADDING", "TOPPADDING", "BOTTOMPADDING")
#: The line to write the date on: wide enough for "21/11/2026" in handwriting.
DATE_LINE: Final = 42 * mm
#: The most of the name of whoever did a job the page prints (less where two lines of the date's
#: column hold less; the plan has it whole).
DONE_BY_LIMIT: Final = 40


def fridge(ctx: Context) -> list[Flowable]:
    """The fridge page, or nothing when the plan has no row for this week."""
    now = [action for action in ctx.score.actions if action.band == "now"]
    if not now:
        return []
    large = ctx.styles.large
    # Larger type first, shortening long actions before stepping down to the smallest size.
    *larger, smallest = SIZES[large]
    options = [(sizes, limit) for limit in LIMITS[:2] for sizes in larger]
    options += [(smallest, limit) for limit in LIMITS] + [(sizes, limit) for limit in LIMITS[2:] for sizes in larger]
    # The line that puts the doctor's jobs into one visit goes last (one appointment instead of
    # several is worth a point of type); who did the jobs already done is left out before the type
    # steps down or an action is shortened (the plan on the next pages has them).
    for doctor in (True, False):
        for sizes, limit in options:
            for names in (True, False):
                page = _page(ctx, now, sizes, limit, names, doctor)
                if height_of(page, ctx.width) <= ctx.height:
                    return page
    return page  # the shortest try: it fits unless the page is absurdly small


def _page(
    ctx: Context, now: Sequence[Action], sizes: tuple[float, float], limit: int, names: bool = True, doctor: bool = True
) -> list[Flowable]:
    s = ctx.styles
    main_size, meta_size = sizes
    main = ParagraphStyle("fridge_main", parent=s.fridge, fontSize=main_size, leading=round(main_size * 1.28, 1))
    meta = ParagraphStyle("fridge_meta_now", parent=s.fridge_meta, fontSize=meta_size, leading=round(meta_size * 1.28, 1))
    client = markup(ctx.audit.client.name, limit=80)
    kicker = SECTION_TITLES["fridge"].upper() + (f" \u00b7 {client}" if client else "")
    story: list[Flowable] = [
        p(kicker, s.kicker),
        p(markup(BAND_TITLES["now"]), s.fridge_title),
        p("Do these first. Tick each one when it is done and write the date beside it.", main),
        Spacer(1, s.gap),
        _rows(ctx, now, main, meta, limit, names),
        Spacer(1, s.gap),
    ]
    visit = one_doctor_visit(ctx.score.actions) if doctor else None
    if visit is not None:
        story.append(p(f"<b>{DOCTOR_VISIT_LEAD}</b>{doctor_visit_words(visit, markup, named=False)}", meta))
        story.append(Spacer(1, s.gap * 0.5))
    later_signs = [a for a in ctx.score.actions if a.urgent and a.band != "now" and is_open_doctors_job(a)]
    if later_signs:
        # Warning signs that five rows could not hold: one visit to the doctor covers them too.
        signs = "; ".join(markup(a.hazard) for a in later_signs)
        ranks = ", ".join(str(a.rank) for a in later_signs)
        story.append(p(f"<b>At the same doctor's visit, also tell them about:</b> {signs} (action {ranks}).", meta))
        story.append(Spacer(1, s.gap * 0.5))
    rest = len(ctx.score.actions) - len(now)
    if rest:
        story.append(
            p(
                f"<b>Then:</b> {counted(rest, 'more action')} in the action plan on the next pages, "
                "in order: start at the top when these are done.",
                meta,
            )
        )
    else:
        story.append(p("<b>Then:</b> that is the whole plan. The next pages say why each job matters.", meta))
    return story


def done_words(action: Action) -> tuple[str, str]:
    """What the app recorded about an action done: the date, printed on its "Done on" line
    ("3 Dec 2026", the report's short date), and by whom ("Helen (daughter)", plain text).
    Nothing for an action not done, or for what was not recorded: its line is then left to
    write on, as on paper."""
    if not action.done:
        return "", ""
    when = short_date(action.done_on) if action.done_on is not None else ""
    return when, " ".join(action.done_by.split())


def done_by_lines(name: str, width: float, style: ParagraphStyle, lines: int = 2) -> Flowable:
    """Who did a job ("by Helen (daughter)") in at most ``lines`` lines of this width, under its
    "Done on" line: the name shortened to fit (the plan on the next pages has it whole), so that
    a job done grows by two lines at most. It is measured as laid out (a name in Chinese is set
    in another font than the report's)."""

    def line(limit: int) -> Flowable:
        return p(f"by {markup(name, limit=limit, one_line=True)}", style)

    def fits(limit: int) -> bool:
        return line(limit).wrap(width, 1e6)[1] <= style.leading * (lines + 0.5)

    low, high = 1, min(len(name), DONE_BY_LIMIT)
    if fits(high):
        return line(high)
    while low < high:  # the longest that fits
        middle = (low + high + 1) // 2
        low, high = (middle, high) if fits(middle) else (low, middle - 1)
    return line(low)


def _rows(ctx: Context, now: Sequence[Action], main: ParagraphStyle, meta: ParagraphStyle, limit: int, names: bool) -> Table:
    """A row per job: the box, the words, and the date line in a column of its own at the right
    (in large print under the words, "Done on: ____", so the words have the page's width)."""
    large = ctx.styles.large
    box = main.fontSize * 1.5
    date_w = DATE_LINE
    text_w = ctx.width - box - 10 - (0 if large else date_w + 14)
    rows: list[list[Cell]] = []
    for action in now:
        where = markup(ctx.score.title(action.visit), limit=LABEL_LIMIT)
        what = markup(action.action, limit=None if action.today else limit)  # "today" is never cut
        who = markup(who_label(action.who, ctx.audit.auditor.role, doctor_word(ctx.currency)))
        cost = markup(cost_label(action.cost, ctx.currency))
        due = markup(when_words(action))
        job = p(f"<font color='{ACCENT_HEX}'><b>{action.rank}.</b></font> <b>{where}:</b> {what}", main)
        done_on, done_by = done_words(action)
        done_by = done_by if names else ""
        if large:
            # Who and cost (and who did it), and the date line beside them: the heading says "this week".
            by = f" \u00b7 done by {markup(done_by, limit=DONE_BY_LIMIT, one_line=True)}" if done_by else ""
            label_w = stringWidth("Done on:", fonts.REGULAR, meta.fontSize) + meta.fontSize * 0.4
            line = WriteLine(label_w + date_w, "Done on:", meta.fontSize, inline=True, written=done_on)
            foot = table(
                [[p(f"{who} \u00b7 {cost}{by}", meta), line]],
                [text_w - line.width - 6, line.width + 6],
                [("VALIGN", (0, 0), (-1, -1), "BOTTOM"), *[(k, (0, 0), (-1, -1), 0) for k in PADDINGS]],
            )
            rows.append([TickBox(box, action.done), [job, Spacer(1, 4), foot]])
        else:
            details = p(f"{who} \u00b7 {cost}" + (f" \u00b7 {due}" if due else ""), meta)
            line = WriteLine(date_w, "Done on", meta.fontSize, height=max(box, meta.fontSize * 3.4), written=done_on)
            under = [done_by_lines(done_by, date_w, meta)] if done_by else []
            rows.append([TickBox(box, action.done), [job, Spacer(1, 2), details], [line, *under]])
    widths = [box + 10, text_w] + ([] if large else [date_w + 14])
    pad = (6, 8) if large else (9, 11)
    return table(
        rows,
        widths,
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 6),
            ("LEFTPADDING", (2, 0), (2, -1), 8),
            ("TOPPADDING", (0, 0), (-1, -1), pad[0]),
            ("BOTTOMPADDING", (0, 0), (-1, -1), pad[1]),
            ("LINEBELOW", (0, 0), (-1, -1), 0.6, RULE),
            ("LINEABOVE", (0, 0), (-1, 0), 0.6, RULE),
        ],
    )


__all__ = ["DATE_LINE", "DONE_BY_LIMIT", "LIMITS", "SIZES", "done_by_lines", "done_words", "fridge"]
