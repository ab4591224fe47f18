"""3. Findings room by room: hazards with notes, measurements and photos; what was not assessed.

Read from the findings of each room visit (:meth:`homeaudit.results.Score.findings_in`), in
checklist order: the hazards first, each with the number of its action in the plan, then the
safe or not applicable answers that carry a note or a photo ("Also noted"), then the questions
nobody answered, because "not assessed" is never "safe".
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Final

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Image, KeepTogether, Spacer, Table

from homeaudit.checklist import Item
from homeaudit.photos import Photo
from homeaudit.plan import Action
from homeaudit.report.context import Context
from homeaudit.report.draw import (
    CELL_LIMIT,
    NOTE_LIMIT,
    Cell,
    counted,
    hazard_markup,
    hazard_of,
    indented,
    p,
    question_of,
    table,
)
from homeaudit.report.styles import MUTED_HEX
from homeaudit.report.text import markup
from homeaudit.report.titles import SECTION_TITLES
from homeaudit.results import Finding, RoomScore
from homeaudit.units import format_measure

#: The length a room's name is cut to in its heading.
ROOM_TITLE_LIMIT: Final = 120

ActionsByAnswer = Mapping[tuple[int, str], Action]


def findings(ctx: Context) -> list[Flowable]:
    s, score = ctx.styles, ctx.score
    story: list[Flowable] = [p(SECTION_TITLES["findings"], s.h1)]
    if not score.rooms:
        story.append(p("No rooms were added to this audit.", s.body))
        return story
    actions = {(action.visit, action.item_id): action for action in score.actions}
    story.append(
        p(
            "Each hazard with the auditor's note and photos, and measurements beside the standard "
            "they miss. The numbers refer to the action plan.",
            s.body,
        )
    )
    absent = []
    for room in score.rooms:
        if not room.present:
            absent.append(room.title)
            continue
        story += _room_findings(ctx, room, actions)
    if absent:
        story.append(p("Not in this home", s.h2))
        story.append(p(markup(", ".join(absent)) + ".", s.body))
    return story


def _room_findings(ctx: Context, room: RoomScore, actions: ActionsByAnswer) -> list[Flowable]:
    s = ctx.styles
    facts = []
    if room.score is not None:
        facts.append(f"score {room.score:.0f}")
    facts.append(counted(room.hazards, "hazard"))
    facts.append(f"{room.answered} of {room.questions} checks answered")
    heading = p(
        f"{markup(room.title, limit=ROOM_TITLE_LIMIT)} "
        f"<font size={s.small.fontSize} color='{MUTED_HEX}'>&nbsp; {' · '.join(facts)}</font>",
        s.h2,
    )
    answers = ctx.score.findings_in(room.visit)
    # Groups of flowables kept together on a page: a hazard with its note and photos.
    blocks: list[list[Flowable]] = []
    hazards = [finding for finding in answers if finding.status == "hazard"]
    for finding in hazards:
        action = actions.get((finding.visit, finding.item_id))
        words = action.hazard if action is not None else hazard_of(ctx.library, finding.item_id)
        reference = f" <font color='{MUTED_HEX}'>(action {action.rank})</font>" if action is not None else ""
        first = p(hazard_markup(words, finding.reading, bold=True) + reference, s.body)
        blocks.append([first, *_note_and_photos(ctx, finding)])
    if not hazards and room.answered:
        blocks.append([p("No hazards found in this room.", s.body)])
    noted = [f for f in answers if f.status in ("safe", "na") and (f.note.strip() or f.photos)]
    if noted:
        also = p("Also noted", s.h3)
        for index, finding in enumerate(noted):
            question = question_of(ctx.library, finding.item_id)
            answer = _answer_words(ctx.library.items.get(finding.item_id), finding)
            line = p(f"{markup(question, limit=CELL_LIMIT)} <font color='{MUTED_HEX}'>{markup(answer)}</font>", s.body)
            blocks.append([*([also] if index == 0 else []), line, *_note_and_photos(ctx, finding)])
    missing = [finding for finding in answers if finding.status == "not_assessed"]
    if missing and not room.answered and not noted:
        blocks.append([p(f"Not assessed: none of the {len(missing)} checks in this room were answered.", s.muted)])
    elif missing:
        questions = "; ".join(markup(question_of(ctx.library, f.item_id), limit=160) for f in missing)
        blocks.append([p(f"<b>Not assessed ({len(missing)}):</b> {questions}", s.muted)])
    # The room's heading stays with its first block (never nest KeepTogether: it always splits).
    if not blocks:
        return [heading]
    blocks[0].insert(0, heading)
    return [KeepTogether(block) for block in blocks]


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
    if finding.photos:
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


__all__ = ["findings", "photo_name"]
