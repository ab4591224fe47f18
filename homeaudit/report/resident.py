"""4. The resident: screening answers, warning signs ("talk to a doctor about ..."), daily habits.

Everything here is read from :class:`homeaudit.results.ResidentScreen` (the score, the answers
that add to it, a fall in the past year) and the resident's findings (their notes); the words
of each answer are the checklist's.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, Spacer, Table

from homeaudit.audit import RESIDENT_VISIT
from homeaudit.checklist import FALL_ITEM
from homeaudit.report import habits
from homeaudit.report.context import Context
from homeaudit.report.draw import CELL_LIMIT, NOTE_LIMIT, bullet, counted, hazard_of, p, question_of, table
from homeaudit.report.styles import DOCTOR_EDGE, DOCTOR_FILL
from homeaudit.report.text import markup
from homeaudit.report.titles import SECTION_TITLES


def resident(ctx: Context) -> list[Flowable]:
    s, info, lib = ctx.styles, ctx.score.resident, ctx.library
    story: list[Flowable] = [p(SECTION_TITLES["resident"], s.h1)]
    if not info.answered:
        story.append(
            p(
                "The questions about the resident were not answered. They matter: hazards are most "
                "worth fixing for someone at higher risk of falling. Answer them at the next visit.",
                s.body,
            )
        )
        return story + daily_habits(ctx)

    doctor = [*info.warning_signs, *([FALL_ITEM] if info.fallen else [])]
    if doctor:
        story.append(_doctor_box(ctx, [hazard_of(lib, item_id) for item_id in doctor]))
        story.append(Spacer(1, s.gap))

    story.append(p("Risk of falling", s.h2))
    story.append(
        p(
            f"Stay Independent screen (CDC STEADI): <b>{info.steadi_score} of 14 points</b>. "
            + (
                "<b>This means a higher risk of falling</b> (4 points or more, or a fall in the past year), "
                "so the fixes for falls come first in the plan and an occupational therapist's home visit is advised."
                if info.at_risk
                else "Under 4 points and no fall in the past year: no higher risk of falling shown by the screen."
            ),
            s.body,
        )
    )
    if info.steadi_items:
        story.append(p("Answers that add to the risk of falling:", s.body))
        story += [bullet(markup(hazard_of(lib, item_id)), s.bullet) for item_id in info.steadi_items]
    if info.conditions:
        story.append(p("Health conditions noted", s.h2))
        story.append(
            p(
                "These change which fixes come first: bending, seating and bed height matter more with thin bones or back pain.",
                s.body,
            )
        )
        story += [bullet(markup(hazard_of(lib, item_id)), s.bullet) for item_id in info.conditions]
    if info.risk_factors:
        story.append(p("Risk factors for weak bones", s.h2))
        story += [bullet(markup(hazard_of(lib, item_id)), s.bullet) for item_id in info.risk_factors]
    noted = [finding for finding in ctx.score.findings_in(RESIDENT_VISIT) if finding.note.strip()]
    if noted:
        story.append(p("Notes", s.h2))
        for finding in noted:
            question = question_of(lib, finding.item_id)
            story.append(p(f"<b>{markup(question, limit=CELL_LIMIT)}</b> {markup(finding.note, limit=NOTE_LIMIT)}", s.body))
    unanswered = info.questions - info.answered
    if unanswered > 0:
        verb = "were" if unanswered != 1 else "was"
        story.append(p(f"{counted(unanswered, 'question')} about the resident {verb} not answered.", s.muted))
    return story + daily_habits(ctx)


def _doctor_box(ctx: Context, signs: list[str]) -> Table:
    s = ctx.styles
    inner: list[Flowable] = [p("Talk to a doctor about", s.h2)]
    inner += [bullet(markup(sign), s.bullet) for sign in signs]
    inner.append(
        p(
            "These can be signs of thinning bones or a fracture in the spine, which need a doctor's "
            "opinion. This checklist cannot tell what causes them. Take this page to the appointment.",
            s.body,
        )
    )
    return table(
        [[inner]],
        [ctx.width],
        [
            ("BACKGROUND", (0, 0), (-1, -1), DOCTOR_FILL),
            ("LINEBEFORE", (0, 0), (0, -1), 4, DOCTOR_EDGE),
            ("BOX", (0, 0), (-1, -1), 0.8, DOCTOR_EDGE),
            ("LEFTPADDING", (0, 0), (-1, -1), 12),
            ("RIGHTPADDING", (0, 0), (-1, -1), 12),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
        ],
    )


def daily_habits(ctx: Context) -> list[Flowable]:
    """The daily habits that fit the answers (:mod:`homeaudit.report.habits`), with why."""
    s = ctx.styles
    chosen = habits.fitting(habits.answers(ctx.score))
    if not chosen:
        return []
    story: list[Flowable] = [p("Daily habits that fit these answers", s.h2)]
    for habit in chosen:
        story.append(bullet(f"<b>{markup(habit.text)}</b> {markup(habit.why)}", s.bullet))
    return story


__all__ = ["daily_habits", "resident"]
