"""4. The resident: screening answers, warning signs ("talk to a doctor about ..."), daily habits.

Everything here is read from :class:`homeaudit.results.ResidentScreen` (the score, the answers
that add to it, a fall in the past year) and the resident's findings (their notes); the words
of each answer are the checklist's, and the daily habits are the checklist library's
(:mod:`homeaudit.report.habits` picks the ones that fit).
"""

from __future__ import annotations

from reportlab.platypus import Flowable, Spacer, Table

from homeaudit.audit import RESIDENT_VISIT
from homeaudit.checklist import FALL_ITEM, Library
from homeaudit.report import habits
from homeaudit.report.context import Context
from homeaudit.report.draw import (
    CELL_LIMIT,
    NOTE_LIMIT,
    answer_marks,
    bullet,
    counted,
    hazard_of,
    measure_words,
    p,
    question_of,
    table,
)
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

    doctor = doctor_signs(lib, info.warning_signs, info.fallen)
    if doctor:
        story.append(_doctor_box(ctx, [_sign_and_why(lib, item_id) for item_id in doctor]))
        story.append(Spacer(1, s.gap))

    story.append(p("Risk of falling", s.h2))
    story.append(
        p(
            f"Stay Independent screen (CDC STEADI): <b>{info.steadi_score} of 14 points</b>. "
            + (
                "<b>This means a higher risk of falling</b> (4 points or more, or a fall in the past year), "
                + (
                    "so the fixes for falls come first in the plan."
                    if ctx.audit.auditor.role == "ot"
                    else "so the fixes for falls come first in the plan and an occupational therapist's home visit is advised."
                )
                if info.at_risk
                else f"The screen shows {markup(info.verdict)}."
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
    if info.living_situation:
        story.append(p("Living situation", s.h2))
        story += [bullet(markup(hazard_of(lib, item_id)), s.bullet) for item_id in info.living_situation]
    if info.risk_factors:
        story.append(p("Risk factors for weak bones", s.h2))
        story += [bullet(markup(hazard_of(lib, item_id)), s.bullet) for item_id in info.risk_factors]
    measured = [f for f in ctx.score.findings_in(RESIDENT_VISIT) if f.reading is not None and f.status != "absent"]
    if measured:
        story.append(p("Measurements of the person", s.h2))
        for finding in measured:
            assert finding.reading is not None
            question = question_of(lib, finding.item_id)
            value = f"<b>{markup(measure_words(finding.reading))}</b>{answer_marks(finding)}"
            story.append(bullet(f"{markup(question, limit=CELL_LIMIT)} {value}", s.bullet))
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


def doctor_signs(library: Library, warning_signs: tuple[str, ...], fallen: bool) -> list[str]:
    """What the "Talk to a doctor about" box lists: the warning signs, and a fall in the past
    year unless a warning sign already sends the person to the doctor about it (a recent fall
    calls for the same falls check: one line, not two about the same fall)."""
    if not fallen:
        return list(warning_signs)
    fall = library.items.get(FALL_ITEM)
    check = fall.intervention if fall is not None else None
    signs = [library.items.get(sign) for sign in warning_signs]
    if check is not None and any(sign is not None and sign.intervention == check for sign in signs):
        return list(warning_signs)
    return [*warning_signs, FALL_ITEM]


def _sign_and_why(library: Library, item_id: str) -> str:
    """A warning sign in bold and, after it, why it needs a doctor (each sign has its own reason:
    a fall needs its cause found, height loss can be a silent break in the spine)."""
    item = library.items.get(item_id)
    why = (item.why or "").strip() if item else ""
    return f"<b>{markup(hazard_of(library, item_id))}.</b>" + (f" {markup(why)}" if why else "")


def _doctor_box(ctx: Context, signs: list[str]) -> Table:
    s = ctx.styles
    inner: list[Flowable] = [p("Talk to a doctor about", s.h2)]
    inner += [bullet(sign, s.bullet) for sign in signs]
    inner.append(
        p(
            "This checklist cannot tell what causes these; a doctor can. Take this page to the appointment.",
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
    """The daily habits of the checklist library that fit the answers (:mod:`homeaudit.report.habits`),
    each with why; their sources are on the Sources page."""
    s = ctx.styles
    chosen = habits.fitting(ctx.library, ctx.score)
    if not chosen:
        return []
    story: list[Flowable] = [p("Daily habits that fit these answers", s.h2)]
    for habit in chosen:
        story.append(bullet(f"<b>{markup(habit.advice)}</b> {markup(habit.why)}", s.bullet))
    return story


__all__ = ["daily_habits", "doctor_signs", "resident"]
