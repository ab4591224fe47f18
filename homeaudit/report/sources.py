"""5. Sources and the disclaimer: where each recommendation comes from, and what this report is not."""

from __future__ import annotations

from collections.abc import Iterable

from reportlab.platypus import Flowable, Spacer, Table

from homeaudit.report import habits
from homeaudit.report.context import Context
from homeaudit.report.draw import bullet, p, table
from homeaudit.report.styles import MUTED_HEX, PANEL
from homeaudit.report.text import markup
from homeaudit.report.titles import SECTION_TITLES


def sources(ctx: Context) -> list[Flowable]:
    s = ctx.styles
    story: list[Flowable] = [p(SECTION_TITLES["sources"], s.h1)]
    cited: dict[str, list[int]] = {}
    for action in ctx.score.actions:
        source = action.source.strip()
        if source:
            cited.setdefault(source, []).append(action.rank)
    if not cited:
        story.append(p("This report makes no recommendation, so it lists no sources.", s.body))
    else:
        story.append(p("Where each recommendation comes from. The numbers are the actions in the plan.", s.body))
        for source, ranks in cited.items():
            noun = "action" if len(ranks) == 1 else "actions"
            story.append(bullet(f"{markup(source)} <font color='{MUTED_HEX}'>({noun} {ranges(ranks)})</font>", s.bullet))
    chosen = habits.fitting(habits.answers(ctx.score))
    if chosen:
        story.append(p("Daily habits", s.h3))
        for habit in chosen:
            story.append(bullet(f"{markup(habit.title)}: {markup(habit.source)}", s.bullet))
    story.append(Spacer(1, s.gap))
    story.append(_about_box(ctx))
    return story


def ranges(numbers: Iterable[int]) -> str:
    """[1, 2, 3, 7] as "1-3, 7", the runs joined by an en dash."""
    ordered = sorted(set(numbers))
    parts: list[str] = []
    start: int | None = None
    for index, number in enumerate(ordered):
        if start is None:
            start = number
        if index + 1 == len(ordered) or ordered[index + 1] != number + 1:
            parts.append(str(start) if start == number else f"{start}\u2013{number}")
            start = None
    return ", ".join(parts)


def _about_box(ctx: Context) -> Table:
    s = ctx.styles
    lines = [
        p("About this report", s.h3),
        p(
            "<b>This is a home safety checklist, not a medical diagnosis.</b> It does not replace "
            "advice from a doctor, physiotherapist or occupational therapist. If you are worried "
            "about a symptom, see a doctor.",
            s.body,
        ),
        p(
            "Measurements are compared with public-building standards (ADA 2010) and building codes, "
            "used here as good-practice targets for a home, not legal duties. Costs are rough bands, "
            "not quotes. Checks that were not answered are not counted as safe. The ranking of the "
            "plan follows published trials but is not a validated algorithm.",
            s.body,
        ),
    ]
    if ctx.audit.auditor.role == "family":
        lines.append(
            p(
                "This audit was done by a family member. An occupational therapist's home visit can "
                "check what a checklist cannot, and prevents the most falls for people at higher risk.",
                s.body,
            )
        )
    return table(
        [[lines]],
        [ctx.width],
        [
            ("BACKGROUND", (0, 0), (-1, -1), PANEL),
            ("LEFTPADDING", (0, 0), (-1, -1), 12),
            ("RIGHTPADDING", (0, 0), (-1, -1), 12),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ],
    )


__all__ = ["ranges", "sources"]
