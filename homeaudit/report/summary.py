"""1. Summary: a first page a relative can read in ten seconds.

Who, where, when; the risk in words and colour; the score; a bar per room; and the three to
five most urgent actions, as many as fit on the page (never fewer than three). An action marked
done in the app is not urgent any more: it leaves this list (the plan keeps it, ticked).
"""

from __future__ import annotations

from typing import Final

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table

from homeaudit.plan import Action, problem
from homeaudit.report.charts import Bar, room_charts
from homeaudit.report.context import Context
from homeaudit.report.draw import (
    CELL_LIMIT,
    LABEL_LIMIT,
    counted,
    height_of,
    label_table,
    long_date,
    nothing_to_do,
    p,
    table,
)
from homeaudit.report.styles import ACCENT_HEX, PANEL, RISK_COLOURS, WHITE
from homeaudit.report.text import markup
from homeaudit.report.titles import SECTION_TITLES, TITLE
from homeaudit.words import BAND_TITLES, RISK_LABELS, ROLE_LABELS, label, whole, with_article

CLIENT_NOTE_LIMIT: Final = 600
#: The fewest and the most urgent actions page one lists.
TOP_ACTIONS: Final = (3, 5)

#: What the risk level means, under the score ("none": low risk and not one hazard).
RISK_SENTENCES: Final = {
    "high": "Serious hazards were found, or the answers about the resident show a higher risk of "
    f"falling. Start with the actions marked \u201c{BAND_TITLES['now']}\u201d.",
    "moderate": "Some hazards need fixing. The action plan lists what to do first.",
    "low": "Few hazards were found in the checks that were answered. Keep the home this way and check again in a year.",
    "none": "No hazards were found in the checks that were answered. Keep the home this way and check again in a year.",
    "unknown": "Too few checks were answered to judge the risk. Checks that were not answered are not counted as safe.",
}


def summary(ctx: Context) -> list[Flowable]:
    """The summary page, ending with the most urgent actions. An occupational therapist's report
    has the visit's details on its front page, so here only the name heads the page."""
    s, audit = ctx.styles, ctx.audit
    story: list[Flowable] = [p(TITLE.upper(), s.kicker)]
    story.append(p(markup(audit.client.name, limit=160) or "Home safety audit", s.title, user=True))
    if audit.auditor.role != "ot":
        story += _details(ctx)
    story.append(Spacer(1, s.gap * 1.2))
    story.append(_risk_panel(ctx))
    story.append(Spacer(1, s.gap * 0.6))
    # What the page holds so far, with the chart's parts one by one, to measure it.
    measured = list(story)

    bars = [Bar(room.title, room.score) for room in ctx.score.rooms if room.present]
    if bars:
        head: list[Flowable] = [
            p("Score by room", s.h2),
            p("100 means no hazard was found in the checks that were answered.", s.muted),
            Spacer(1, s.gap * 0.4),
        ]
        # Many rooms make a chart taller than a page: it goes on in parts, the first with its heading.
        parts = room_charts(bars, ctx.width, ctx.height - height_of(head, ctx.width), s.chart_size)
        chart = [*head, parts[0]]
        story.append(KeepTogether(chart))
        story += parts[1:]
        measured += [*chart, *parts[1:]]

    heading = p(SECTION_TITLES["summary"], s.h2)
    actions = ctx.score.actions
    if not actions:
        return [*story, heading, p(nothing_to_do(ctx.score), s.body)]
    return story + _urgent(ctx, heading, measured)


def _details(ctx: Context) -> list[Flowable]:
    """Where, when, who audited, and the client's notes."""
    s, audit = ctx.styles, ctx.audit
    auditor = markup(audit.auditor.name, limit=LABEL_LIMIT)
    role = label(ROLE_LABELS, audit.auditor.role)
    someone = with_article(role)  # "a family member", "an occupational therapist"
    details = [
        ("Address", markup(audit.client.address, limit=300) or "Not recorded"),
        ("Date of audit", long_date(audit.date)),
        ("Audited by", f"{auditor} ({role})" if auditor else f"{someone[0].upper()}{someone[1:]} (name not recorded)"),
    ]
    if audit.client.notes.strip():
        details.append(("Notes", markup(audit.client.notes, limit=CLIENT_NOTE_LIMIT)))
    return [label_table(details, ctx.width, s.muted, s.body, label_fraction=0.27 if s.large else 0.2)]


def _urgent(ctx: Context, heading: Flowable, above: list[Flowable]) -> list[Flowable]:
    """The heading and the most urgent actions not yet done: all of "Do now" within
    TOP_ACTIONS, fewer if that many do not fit under what is ``above`` them on the page (but
    never fewer than three; in large print as many as fit, or a line that says where the plan
    is). A plan whose every action is done says so instead."""
    actions = ctx.score.open_actions()
    finished = len(ctx.score.actions) - len(actions)
    if not actions:
        everything = (
            "Nothing left to do: every action in the plan is marked done (the plan on the next pages lists them, ticked)."
        )
        return [heading, p(everything, ctx.styles.body)]
    low, high = TOP_ACTIONS
    now = sum(action.band == "now" for action in actions)
    wanted = min(high, len(actions), max(low, now))
    for count in range(wanted, min(low, wanted) - 1, -1):
        tail = [heading, *(_urgent_row(ctx, action) for action in actions[:count])]
        more = len(actions) - count
        if more > 0 or finished:
            tail.append(p(_rest(more, finished), ctx.styles.muted))
        if height_of(above + tail, ctx.width) <= ctx.height:
            return tail
        if count == min(low, wanted) and not ctx.styles.large:
            return tail
    # Large print, and not even the first action fits under the chart: say where the plan is
    # rather than start a page for a few lines.
    pointer: list[Flowable] = [
        Spacer(1, ctx.styles.gap),
        p(f"{counted(len(actions), 'action')} to do in the plan on the next pages, the most urgent first.", ctx.styles.body),
    ]
    return pointer if height_of(above + pointer, ctx.width) <= ctx.height else []


def _rest(more: int, finished: int) -> str:
    """What the plan holds beyond page one: the actions still to do, and those marked done."""
    done = f"{counted(finished, 'action')} marked done"
    if more <= 0:
        return f"The plan on the next pages also lists {done}."
    if not finished:
        return f"{counted(more, 'more action')} in the plan on the next pages."
    return f"{counted(more, 'more action')} to do in the plan on the next pages, and {done}."


def _urgent_row(ctx: Context, action: Action) -> Table:
    """One urgent action: its number, where and what, and what to do. One table per action, so
    the list can break between actions."""
    s = ctx.styles
    where = ctx.score.title(action.visit)
    text = (
        f"<b>{markup(where, limit=LABEL_LIMIT)}: {markup(problem(action), limit=CELL_LIMIT)}</b><br/>"
        f"{markup(action.action, limit=CELL_LIMIT)}"
    )
    number_w = 28 if s.large else 18
    return table(
        [[p(f"<b><font color='{ACCENT_HEX}'>{action.rank}</font></b>", s.body), p(text, s.body)]],
        [number_w, ctx.width - number_w],
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 2),
            ("TOPPADDING", (0, 0), (-1, -1), 0.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ],
    )


def _risk_panel(ctx: Context) -> Table:
    """The risk in words on its colour, beside the score, what it means and how much was answered."""
    s, overall = ctx.styles, ctx.score.overall
    level = overall.risk_level
    answered, questions, hazards = overall.answered, overall.questions, overall.hazards
    coverage = f"{answered} of {questions} checks answered" if questions else "No checks answered"
    if questions:
        coverage += f" ({round(100 * answered / questions)}%)."
    left = [
        p("Overall risk", _white(s.muted)),
        p(RISK_LABELS[level], s.risk_word),
    ]
    score_text = (
        f"{whole(overall.score)} <font size={s.body.fontSize}>out of 100: home safety score</font>"
        if overall.score is not None
        else "No score yet"
    )
    right = [
        p(score_text, s.score),
        Spacer(1, 3),
        p(RISK_SENTENCES["none" if level == "low" and not hazards else level], s.body),
        p(f"{coverage} {counted(hazards, 'hazard')} found.", s.muted),
    ]
    left_w = ctx.width * (0.36 if s.large else 0.3)
    return table(
        [[left, right]],
        [left_w, ctx.width - left_w],
        [
            ("BACKGROUND", (0, 0), (0, 0), RISK_COLOURS[level]),
            ("BACKGROUND", (1, 0), (1, 0), PANEL),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 10),
            ("RIGHTPADDING", (0, 0), (-1, -1), 10),
            ("TOPPADDING", (0, 0), (-1, -1), 7),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
        ],
    )


def _white(style: ParagraphStyle) -> ParagraphStyle:
    return ParagraphStyle(style.name + "_white", parent=style, textColor=WHITE)


__all__ = ["RISK_SENTENCES", "summary"]
