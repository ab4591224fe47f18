"""Sources and the disclaimer: where each recommendation comes from (each reference once, with
the parts of it that the actions rest on), where each daily habit comes from (the full
references of checklists/habits.yaml), and what this report is not."""

from __future__ import annotations

from collections.abc import Iterable

from reportlab.lib.styles import ParagraphStyle
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
    cited = citations(ctx)
    if not cited:
        story.append(p("This report makes no recommendation, so it lists no sources.", s.body))
    else:
        story.append(
            p(
                "Where each recommendation comes from, each source once, with the part of it each "
                "recommendation rests on. The numbers are the actions in the plan.",
                ParagraphStyle("body_keep", parent=s.body, keepWithNext=1),  # with the first source
            )
        )
        for reference, parts in cited.items():
            where = "; ".join(
                f"{markup(part)}: {actions_words(ranks)}" if part else actions_words(ranks) for part, ranks in parts.items()
            )
            story.append(bullet(f"{markup(reference)} <font color='{MUTED_HEX}'>({where})</font>", s.bullet))
    chosen = habits.fitting(ctx.library, ctx.score)
    if chosen:
        story.append(p("Daily habits", s.h3))
        for habit in chosen:
            story.append(bullet(f"{markup(habit.title)}: {habit_sources(ctx, habit.source_refs)}", s.bullet))
    story.append(Spacer(1, s.gap))
    story.append(_about_box(ctx))
    return story


def habit_sources(ctx: Context, citations: Iterable[str]) -> str:
    """A habit's references in full, each with the part of it the habit rests on in brackets."""
    out = []
    for citation in citations:
        key, _, pinpoint = citation.partition(" ")
        reference = ctx.library.references.get(key)
        words = reference.full() if reference is not None else citation
        part = pinpoint.strip().removeprefix("(").removesuffix(")")
        out.append(markup(words) + (f" <font color='{MUTED_HEX}'>({markup(part)})</font>" if part else ""))
    return " ".join(out)


def citations(ctx: Context) -> dict[str, dict[str, list[int]]]:
    """The full references the plan cites, in the order the plan first cites them, each with
    its pinpoints ("609.4", "step edges"; "" for the work as a whole) and the actions citing
    each. A citation of the library's references is grouped under its reference; any other
    source text (an OT's own item) stands alone."""
    references = sorted(
        ((ref.full(), f"{ref.authors} ({ref.year}). {ref.title}") for ref in ctx.library.references.values()),
        key=lambda pair: -len(pair[1]),
    )
    cited: dict[str, dict[str, list[int]]] = {}
    for action in ctx.score.actions:
        for source in action.sources:
            whole, part = _split(source, references)
            ranks = cited.setdefault(whole, {}).setdefault(part, [])
            if action.rank not in ranks:
                ranks.append(action.rank)
    return cited


def _split(source: str, references: list[tuple[str, str]]) -> tuple[str, str]:
    """A full citation as (the reference without pinpoint, the pinpoint)."""
    for whole, head in references:
        if source == whole:
            return whole, ""
        tail = whole[len(head) :]  # ". Publisher." after the title
        if source.startswith(head + ", ") and source.endswith(tail):
            part = source[len(head) + 2 : len(source) - len(tail)]
            return whole, part[1:-1] if part.startswith("(") and part.endswith(")") else part
    return source, ""


def actions_words(ranks: Iterable[int]) -> str:
    """'action 4', 'actions 1–3, 7'."""
    ranks = list(ranks)
    return f"{'action' if len(set(ranks)) == 1 else 'actions'} {ranges(ranks)}"


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
    advisers = (
        "a doctor or physiotherapist" if ctx.audit.auditor.role == "ot" else "a doctor, physiotherapist or occupational therapist"
    )
    lines = [
        p("About this report", s.h3),
        p(
            "<b>This is a home safety checklist, not a medical diagnosis.</b> It does not replace "
            f"advice from {advisers}. If you are worried about a symptom, see a doctor.",
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


__all__ = ["actions_words", "citations", "ranges", "sources"]
