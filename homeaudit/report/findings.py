"""3. Findings room by room: hazards with notes, measurements and photos; what was not assessed.

Read from the findings of each room visit (:meth:`homeaudit.results.Score.findings_in`), in
checklist order: the hazards first, each with the number of its action in the plan, then the
safe or not applicable answers that carry a note or a photo ("Also noted"), then the questions
nobody answered, because "not assessed" is never "safe".

Photos print only with the client's consent: when the audit records that the client refused
photos (``assessment.consent.photos`` is false), each photo's place says so instead.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Final

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Image, KeepTogether, Spacer, Table

from homeaudit.checklist import Item
from homeaudit.photos import Photo
from homeaudit.plan import Action, problem_parts
from homeaudit.report.context import Context
from homeaudit.report.draw import (
    CELL_LIMIT,
    NOTE_LIMIT,
    Cell,
    HeadedTable,
    answer_marks,
    counted,
    grid_style,
    has_target,
    hazard_of,
    indented,
    measure_words,
    p,
    question_of,
    table,
)
from homeaudit.report.styles import MUTED_HEX
from homeaudit.report.text import markup
from homeaudit.report.titles import SECTION_TITLES
from homeaudit.results import Finding, RoomScore
from homeaudit.units import format_measure, format_reading, format_target
from homeaudit.words import BASIS_LABELS, whole

#: The length a room's name is cut to in its heading.
ROOM_TITLE_LIMIT: Final = 120
#: Where a photo would be, when the client did not agree to photos.
NO_PHOTO_CONSENT: Final = "Photos not printed: the client did not consent to photos."

ActionsByAnswer = Mapping[tuple[int, str], Action]


def findings(ctx: Context) -> list[Flowable]:
    s, score = ctx.styles, ctx.score
    story: list[Flowable] = [p(SECTION_TITLES["findings"], s.h1)]
    if not score.rooms:
        story.append(p("No rooms were added to this audit.", s.body))
        return story
    # Each answer's row of the plan: its own, or the one it joined (a phone out of reach is part of
    # the personal alarm's row for someone who lives alone).
    actions = {(answer.visit, answer.item_id): action for action in score.actions for answer in action.answers}
    actions.update({(action.visit, action.item_id): action for action in score.actions})
    intro = (
        "Each hazard with the auditor's note and photos, and measurements beside the standard "
        "they miss. The numbers refer to the action plan."
    )
    if ctx.audit.auditor.role == "ot":
        intro += " Every measurement taken is listed under its room with its target, met or not."
    if any(f.basis for f in score.findings):
        intro += " Answers are marked observed (seen by the assessor) or reported (told by the client or carer)."
    # The section's heading and introduction stay with the first room's first block.
    lead: list[Flowable] = [*story, p(intro, s.body)]
    story = []
    absent = []
    for room in score.rooms:
        if not room.present:
            absent.append(room.title)
            continue
        story += _room_findings(ctx, room, actions, lead)
        lead = []
    story = lead + story
    if absent:
        story.append(p("Not in this home", s.h2))
        story.append(p(markup(", ".join(absent)) + ".", s.body))
    return story


def _room_findings(ctx: Context, room: RoomScore, actions: ActionsByAnswer, lead: list[Flowable]) -> list[Flowable]:
    s = ctx.styles
    facts = []
    if room.score is not None:
        facts.append(f"score {whole(room.score)}")
    facts.append(counted(room.hazards, "hazard"))
    facts.append(f"{room.answered} of {room.questions} checks answered")
    answers = ctx.score.findings_in(room.visit)
    for basis in ("observed", "reported"):
        count = sum(f.basis == basis and f.is_answered for f in answers)
        if count:
            facts.append(f"{count} {BASIS_LABELS[basis].lower()}")
    heading = p(
        f"{markup(room.title, limit=ROOM_TITLE_LIMIT)} "
        f"<font size={s.small.fontSize} color='{MUTED_HEX}'>&nbsp; {' · '.join(facts)}</font>",
        s.h2,
    )
    # Groups of flowables kept together on a page: a hazard with its note and photos.
    blocks: list[list[Flowable]] = []
    hazards = [finding for finding in answers if finding.status == "hazard"]
    for finding in hazards:
        action = actions.get((finding.visit, finding.item_id))
        if action is not None and action.item_id == finding.item_id:
            words, found = action.hazard, action.finding
        else:
            words = hazard_of(ctx.library, finding.item_id)
            found = format_reading(finding.reading) if finding.reading is not None else ""
        reference = f" <font color='{MUTED_HEX}'>(action {action.rank})</font>" if action is not None else ""
        first = p(hazard_markup(words, found) + answer_marks(finding) + reference, s.body)
        blocks.append([first, *_note_and_photos(ctx, finding)])
    if not hazards and room.answered:
        blocks.append([p("No hazards found in this room.", s.body)])
    noted = [f for f in answers if f.status in ("safe", "na") and (f.note.strip() or f.photos)]
    if noted:
        also = p("Also noted", s.h3)
        for index, finding in enumerate(noted):
            question = question_of(ctx.library, finding.item_id)
            answer = _answer_words(ctx.library.items.get(finding.item_id), finding)
            line = p(
                f"{markup(question, limit=CELL_LIMIT)} <font color='{MUTED_HEX}'>{markup(answer)}</font>{answer_marks(finding)}",
                s.body,
            )
            blocks.append([*([also] if index == 0 else []), line, *_note_and_photos(ctx, finding)])
    measured = [f for f in answers if f.reading is not None and f.status in ("hazard", "safe")]
    if measured and ctx.audit.auditor.role == "ot":
        blocks.append(_measurements(ctx, room.title, measured))
    missing = [finding for finding in answers if finding.status == "not_assessed"]
    if missing and not room.answered and not noted:
        blocks.append([p(f"Not assessed: none of the {len(missing)} checks in this room were answered.", s.muted)])
    elif missing:
        questions = "; ".join(markup(question_of(ctx.library, f.item_id), limit=160) for f in missing)
        blocks.append([p(f"<b>Not assessed ({len(missing)}):</b> {questions}", s.muted)])
    # The room's heading stays with its first block (never nest KeepTogether: it always splits).
    if not blocks:
        return [*lead, heading]
    blocks[0][:0] = [*lead, heading]
    return [block[0] if len(block) == 1 and isinstance(block[0], HeadedTable) else KeepTogether(block) for block in blocks]


def _measurements(ctx: Context, title: str, measured: Sequence[Finding]) -> list[Flowable]:
    """Every measurement taken in a room, within its target or not (an OT's report)."""
    s = ctx.styles
    data: list[list[Cell]] = [[p(h, s.cell_head) for h in ("Measured", "Reading", "Target", "Result")]]
    for finding in measured:
        reading = finding.reading
        assert reading is not None
        result = "Outside the target" if finding.status == "hazard" else "Meets the target"
        data.append(
            [
                p(markup(question_of(ctx.library, finding.item_id), limit=CELL_LIMIT), s.cell),
                p(markup(measure_words(reading)) + answer_marks(finding), s.cell),
                p(markup(format_target(reading)) if has_target(reading) else "No target", s.cell),
                p(f"<b>{result}</b>" if finding.status == "hazard" else result, s.cell),
            ]
        )
    fractions = (0.38, 0.2, 0.26, 0.16) if not s.large else (0.34, 0.22, 0.26, 0.18)
    widths = [ctx.width * f for f in fractions]
    grid = table(data, widths, grid_style(s), repeat_rows=1, page_height=ctx.height)
    return [HeadedTable([p(f"Measurements: {markup(title, limit=ROOM_TITLE_LIMIT)}", s.h3)], grid, ctx.height)]


def hazard_markup(hazard: str, finding: str) -> str:
    """A hazard in bold and, after a colon in regular weight, what was found when it says more
    (the reading beside its target, the option chosen): the words of
    :func:`homeaudit.plan.problem`, in two weights."""
    words, found = problem_parts(hazard, finding)
    if not found:
        return f"<b>{markup(words, limit=CELL_LIMIT)}</b>"
    return f"<b>{markup(words, limit=CELL_LIMIT)}:</b> {markup(found, limit=CELL_LIMIT)}"


def photos_refused(ctx: Context) -> bool:
    """The client refused photos (consent recorded as not given): none is printed."""
    consent = ctx.audit.assessment.consent
    return consent is not None and consent.photos is False


def _answer_words(item: Item | None, finding: Finding) -> str:
    """The answer to a safe or not applicable question, in brackets after it."""
    if finding.status == "na":
        return "(not applicable)"
    if finding.reading is not None:
        return f"(measured {format_measure(finding.reading.value, finding.reading.unit)})"
    if item is not None and finding.value is not None:
        return f"({item.option_label(str(finding.value))})"
    return ""


def _note_and_photos(ctx: Context, finding: Finding) -> list[Flowable]:
    s = ctx.styles
    out: list[Flowable] = []
    note = finding.note.strip()
    if note:
        out.append(p(f"<b>Auditor's note:</b> {markup(note, limit=NOTE_LIMIT)}", indented(s.body)))
    if finding.photos and photos_refused(ctx):
        out.append(p(NO_PHOTO_CONSENT, indented(s.muted)))
    elif finding.photos:
        out.append(_photo_grid(ctx, finding.photos))
        out.append(Spacer(1, s.gap * 0.5))
    return out


def photo_name(ref: str) -> str:
    """The file name of a photo reference ("photos/hall-rug.jpg" -> "hall-rug.jpg")."""
    return ref.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1] or ref


def _photo_grid(ctx: Context, refs: Iterable[str]) -> Table:
    """Photos three to a row (two in large print), in line with the auditor's note; a photo that
    could not be had is named in its place."""
    s = ctx.styles
    columns = 2 if s.large else 3
    indent = s.body.fontSize * 1.2  # in line with the auditor's note above
    cell_w = ctx.width / columns
    max_w, max_h = cell_w - indent, (72 if s.large else 58) * mm
    cells: list[Cell] = []
    for ref in refs:
        photo = ctx.photos.get(ref, "photo missing")
        if isinstance(photo, Photo):
            scale = min(max_w / photo.width, max_h / photo.height)
            cells.append(Image(io.BytesIO(photo.data), width=photo.width * scale, height=photo.height * scale, hAlign="LEFT"))
        else:
            cells.append(p(f"{markup(photo.capitalize())}: {markup(photo_name(ref), limit=60)}", s.muted))
    rows: list[Sequence[Cell]] = [cells[i : i + columns] for i in range(0, len(cells), columns)]
    rows[-1] = [*rows[-1], *[""] * (columns - len(rows[-1]))]
    return table(
        rows,
        [cell_w] * columns,
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), indent),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 4),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ],
    )


__all__ = ["NO_PHOTO_CONSENT", "findings", "hazard_markup", "photo_name", "photos_refused"]
