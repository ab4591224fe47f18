"""The story of the report: its five sections, in order, as reportlab flowables.

1. Summary: a first page a relative can read in ten seconds.
2. Action plan: a printable table per band, to tick off and date.
3. Findings room by room: hazards with notes, measurements and photos; what was not assessed.
4. The resident: screening answers, warning signs ("talk to a doctor about ..."), daily habits.
5. Sources and the disclaimer.

Every piece of user or checklist text reaches a Paragraph through :func:`text.markup`; the
words written here are the report's own.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from dataclasses import dataclass, field
from typing import Any
from collections.abc import Iterable

import pandas as pd
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    Image,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from homeaudit.audit import Audit
from homeaudit.checklist import COST_LABELS, WHO_LABELS, Library
from homeaudit.report import habits as habit_rules
from homeaudit.report.charts import Bar, room_chart
from homeaudit.report.photos import Photo
from homeaudit.report.styles import (
    ACCENT,
    ACCENT_HEX,
    BAND_COLOURS,
    DOCTOR_EDGE,
    DOCTOR_FILL,
    HEAD_FILL,
    INK,
    MUTED_HEX,
    PANEL,
    RISK_COLOURS,
    RISK_WORDS,
    RULE,
    WHITE,
    ZEBRA,
    Styles,
)
from homeaudit.report.text import markup
from homeaudit.scoring import FALL_ITEM, Score
from homeaudit.units import format_measure

TITLE = "Home safety action plan"
DISCLAIMER_SHORT = "A safety checklist, not a medical diagnosis"
ROLE_WORDS = {"family": "family member", "ot": "occupational therapist"}
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)
BAND_TITLES = {"now": "Do now", "soon": "Do soon", "later": "Plan for later"}
BAND_INTROS = {
    "now": "The most serious hazards for this person. Fix these first, this week if you can.",
    "soon": "Important, but after the first group: plan them for the coming weeks.",
    "later": "Smaller risks. Worth doing when you can.",
}
RISK_SENTENCES = {
    "high": "Serious hazards were found, or the answers about the resident show a higher risk of "
    "falling. Start with the actions marked \u201cDo now\u201d.",
    "moderate": "Some hazards need fixing. The action plan lists what to do first.",
    "low": "Few hazards were found in the checks that were answered. Keep the home this way and "
    "check again in a year.",
    "none": "No hazards were found in the checks that were answered. Keep the home this way and "
    "check again in a year.",
    "unknown": "Too few checks were answered to judge the risk. Checks that were not answered are "
    "not counted as safe.",
}
#: A heading of each section, in order (for page one, the heading of its last part).
SECTION_TITLES = (
    "Most urgent actions",
    "Action plan",
    "Findings room by room",
    "About the resident",
    "Sources and notes",
)
#: Limits that keep every table row shorter than a page (rows never split).
LABEL_LIMIT = 80
CELL_LIMIT = 600
NOTE_LIMIT = 5000
CLIENT_NOTE_LIMIT = 600
TOP_ACTIONS = (3, 5)


@dataclass
class Context:
    """Everything the layout needs, worked out once."""

    audit: Audit
    score: Score
    library: Library
    styles: Styles
    width: float
    height: float  # of the frame: what fits on one page
    photos: dict[str, Photo | str] = field(default_factory=dict)
    titles: dict[int, str] = field(default_factory=dict)  # visit -> room name, from audit.visit_titles


# --------------------------------------------------------------------------- helpers


def long_date(date: dt.date) -> str:
    """'3 March 2025': the same in every country, unlike 3/4/2025."""
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


def room_title(ctx: Context, visit: int) -> str:
    """How a room of this home is named (audit.visit_titles: the same words as in the app)."""
    return ctx.titles.get(int(visit), "")


def photo_name(ref: str) -> str:
    return ref.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1] or ref


def _p(text: str, style) -> Paragraph:
    return Paragraph(text, style)


def _number(value: Any) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


class TickBox(Flowable):
    """A square to tick by hand, or already ticked for an action marked done in the app."""

    def __init__(self, size: float, ticked: bool = False) -> None:
        super().__init__()
        self.size = size
        self.ticked = ticked
        self.width = self.height = size

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        self.canv.setStrokeColor(INK)
        self.canv.setLineWidth(0.9)
        self.canv.rect(0, 0, self.size, self.size, stroke=1, fill=0)
        if self.ticked:
            n = self.size
            self.canv.setLineWidth(1.4)
            self.canv.lines([(0.2 * n, 0.5 * n, 0.42 * n, 0.22 * n), (0.42 * n, 0.22 * n, 0.85 * n, 0.85 * n)])


def _table(rows: list[list[Any]], widths: list[float], style: list[tuple], **kwargs: Any) -> Table:
    table = Table(rows, colWidths=widths, **kwargs)
    table.setStyle(TableStyle(style))
    return table


def _grid_style(styles: Styles) -> list[tuple]:
    """A table with a tinted header row, light rules between rows and zebra stripes."""
    pad = 4.5 if styles.large else 3.5
    return [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), pad),
        ("RIGHTPADDING", (0, 0), (-1, -1), pad),
        ("TOPPADDING", (0, 0), (-1, -1), pad),
        ("BOTTOMPADDING", (0, 0), (-1, -1), pad + 1),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL),
        ("LINEBELOW", (0, 0), (-1, 0), 0.9, ACCENT),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [WHITE, ZEBRA]),
    ]


# --------------------------------------------------------------------------- 1. summary


def _nothing_to_do(ctx: Context) -> str:
    if not int(ctx.score.overall.get("answered") or 0):
        return (
            "No checks have been answered yet, so there is no action to suggest. Walk through the "
            "rooms and answer the checks to get a plan."
        )
    return "No hazards were found in the checks that were answered: nothing needs doing now."


def summary(ctx: Context) -> list[Flowable]:
    """Page one: who, where, when, the risk in words and colour, the score, the chart and the
    three to five most urgent actions (as many as fit on the page, never fewer than three)."""
    s, audit = ctx.styles, ctx.audit
    story: list[Flowable] = [_p(TITLE.upper(), s.kicker)]
    story.append(_p(markup(audit.client.name, limit=160) or "Home safety audit", s.title))
    auditor = markup(audit.auditor.name, limit=LABEL_LIMIT)
    role = ROLE_WORDS.get(audit.auditor.role, audit.auditor.role)
    details = [
        ("Address", markup(audit.client.address, limit=300) or "Not recorded"),
        ("Date of audit", long_date(audit.date)),
        ("Audited by", f"{auditor} ({role})" if auditor else f"A {role} (name not recorded)"),
    ]
    if audit.client.notes.strip():
        details.append(("Notes", markup(audit.client.notes, limit=CLIENT_NOTE_LIMIT)))
    label_w = ctx.width * (0.27 if s.large else 0.2)
    story.append(
        _table(
            [[_p(k, s.muted), _p(v, s.body)] for k, v in details],
            [label_w, ctx.width - label_w],
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ],
            hAlign="LEFT",
        )
    )
    story.append(Spacer(1, s.gap * 1.2))
    story.append(_risk_panel(ctx))
    story.append(Spacer(1, s.gap * 0.6))

    rooms = ctx.score.rooms
    present = rooms[rooms["present"]] if len(rooms) else rooms
    if len(present):
        bars = [Bar(room_title(ctx, r.visit), _number(r.score)) for r in present.itertuples()]
        chart = [
            _p("Score by room", s.h2),
            _p("100 means no hazard was found in the checks that were answered.", s.muted),
            Spacer(1, s.gap * 0.4),
            room_chart(bars, ctx.width, s.chart_size),
        ]
        story.append(KeepTogether(chart))

    heading = _p("Most urgent actions", s.h2)
    actions = ctx.score.actions
    if not len(actions):
        return story + [heading, _p(_nothing_to_do(ctx), s.body)]
    low, high = TOP_ACTIONS
    wanted = min(high, len(actions), max(low, int((actions["band"] == "now").sum())))
    for count in range(wanted, min(low, wanted) - 1, -1):
        tail = [heading] + [_urgent_row(ctx, row) for row in actions.head(count).itertuples()]
        more = len(actions) - count
        if more > 0:
            tail.append(_p(f"{more} more action{'s' if more != 1 else ''} in the plan on the next pages.", s.muted))
        if _height(story + tail, ctx.width) <= ctx.height:
            break
    return story + tail


def _height(flowables: list[Flowable], width: float) -> float:
    """The height these flowables take in a frame of this width (a slight overestimate)."""
    total = 0.0
    for flowable in flowables:
        parts = flowable._content if isinstance(flowable, KeepTogether) else [flowable]
        for part in parts:
            total += part.wrap(width, 1e6)[1] + part.getSpaceBefore() + part.getSpaceAfter()
    return total


def _urgent_row(ctx: Context, row: Any) -> Table:
    """One urgent action: its number, where and what, and what to do. One table per action, so
    the list can break between actions."""
    s = ctx.styles
    where = room_title(ctx, row.visit)
    text = (
        f"<b>{markup(where, limit=LABEL_LIMIT)}: {markup(row.hazard, limit=CELL_LIMIT)}</b><br/>"
        f"{markup(row.action, limit=CELL_LIMIT)}"
    )
    number_w = 28 if s.large else 18
    return _table(
        [[_p(f"<b><font color='{ACCENT_HEX}'>{row.rank}</font></b>", s.body), _p(text, s.body)]],
        [number_w, ctx.width - number_w],
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 2),
            ("TOPPADDING", (0, 0), (-1, -1), 0.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ],
        hAlign="LEFT",
    )


def _risk_panel(ctx: Context) -> Table:
    s, overall = ctx.styles, ctx.score.overall
    level = overall.get("risk_level") or "unknown"
    level = level if level in RISK_WORDS else "unknown"
    score = _number(overall.get("score"))
    answered, applicable = int(overall.get("answered") or 0), int(overall.get("applicable") or 0)
    coverage = f"{answered} of {applicable} checks answered" if applicable else "No checks answered"
    if applicable:
        coverage += f" ({round(100 * answered / applicable)}%)."
    hazards = int(overall.get("hazards") or 0)
    left = [
        _p("Overall risk", _white(s.muted)),
        _p(RISK_WORDS[level], s.risk_word),
    ]
    score_text = (
        f"{score:.0f} <font size={s.body.fontSize}>out of 100: home safety score</font>" if score is not None else "No score yet"
    )
    right = [
        _p(score_text, s.score),
        Spacer(1, 3),
        _p(RISK_SENTENCES["none" if level == "low" and not hazards else level], s.body),
        _p(f"{coverage} {hazards} hazard{'s' if hazards != 1 else ''} found.", s.muted),
    ]
    left_w = ctx.width * (0.36 if s.large else 0.3)
    return _table(
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
        hAlign="LEFT",
    )


def _white(style: ParagraphStyle) -> ParagraphStyle:
    return ParagraphStyle(style.name + "_white", parent=style, textColor=WHITE)


# --------------------------------------------------------------------------- 2. action plan


def action_plan(ctx: Context) -> list[Flowable]:
    s, actions = ctx.styles, ctx.score.actions
    story: list[Flowable] = [_p("Action plan", s.h1)]
    if not len(actions):
        story.append(_p(_nothing_to_do(ctx), s.body))
        return story
    story.append(
        _p(
            "In order of priority: start at the top. When a job is done, tick its box and write the "
            "date. Costs are rough bands, not quotes.",
            s.body,
        )
    )
    for band in ("now", "soon", "later"):
        rows = actions[actions["band"] == band]
        if not len(rows):
            continue
        story.append(CondPageBreak(60 * mm if not s.large else 80 * mm))
        story.append(_band_heading(ctx, band, len(rows)))
        story.append(_p(BAND_INTROS[band], s.muted))
        story.append(Spacer(1, s.gap * 0.5))
        story.append(_plan_table(ctx, rows))
    return story


def _band_heading(ctx: Context, band: str, count: int) -> Table:
    s = ctx.styles
    title = _p(f"{BAND_TITLES[band]} <font color='{MUTED_HEX}'>({count})</font>", s.h2)
    marker_w = 5 if not s.large else 7
    return _table(
        [["", title]],
        [marker_w, ctx.width - marker_w],
        [
            ("BACKGROUND", (0, 0), (0, 0), BAND_COLOURS[band]),
            ("LEFTPADDING", (0, 0), (0, 0), 0),
            ("RIGHTPADDING", (0, 0), (0, 0), 0),
            ("LEFTPADDING", (1, 0), (1, 0), 7),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ],
        hAlign="LEFT",
        spaceBefore=s.gap * 0.6,
    )


def _plan_table(ctx: Context, rows: pd.DataFrame) -> Table:
    s, w = ctx.styles, ctx.width
    box_size = 13 if s.large else 9.5
    data: list[list[Any]] = []
    if not s.large:
        fractions = [0.055, 0.115, 0.18, 0.29, 0.13, 0.075, 0.065, 0.09]
        head = ["No.", "Room", "Hazard", "What to do", "Who", "Cost", "Done", "Done on"]
        data.append([_p(h, s.cell_head) for h in head])
        for row in rows.itertuples():
            data.append(
                [
                    _p(str(row.rank), s.cell_bold),
                    _p(markup(room_title(ctx, row.visit), limit=LABEL_LIMIT), s.cell),
                    _p(markup(row.hazard, limit=CELL_LIMIT), s.cell),
                    _p(markup(row.action, limit=CELL_LIMIT), s.cell),
                    _p(markup(WHO_LABELS.get(row.who, row.who)) + _due(row), s.cell),
                    _p(markup(COST_LABELS.get(row.cost, row.cost)), s.cell),
                    TickBox(box_size, bool(getattr(row, "done", False))),
                    "",
                ]
            )
    else:
        fractions = [0.085, 0.26, 0.425, 0.11, 0.12]
        head = ["No.", "Where and what", "What to do", "Done", "Date"]
        data.append([_p(h, s.cell_head) for h in head])
        for row in rows.itertuples():
            where = markup(room_title(ctx, row.visit), limit=LABEL_LIMIT)
            who = markup(WHO_LABELS.get(row.who, row.who))
            cost = markup(COST_LABELS.get(row.cost, row.cost))
            data.append(
                [
                    _p(str(row.rank), s.cell_bold),
                    _p(f"<b>{where}</b><br/>{markup(row.hazard, limit=CELL_LIMIT)}", s.cell),
                    _p(f"{markup(row.action, limit=CELL_LIMIT)}<br/><b>Who:</b> {who}{_due(row)} · <b>Cost:</b> {cost}", s.cell),
                    TickBox(box_size, bool(getattr(row, "done", False))),
                    "",
                ]
            )
    widths = [w * f for f in fractions]
    widths[-1] = w - sum(widths[:-1])
    done = len(fractions) - 2
    style = _grid_style(s) + [("ALIGN", (done, 1), (done, -1), "CENTER"), ("LINEBEFORE", (done, 0), (done, -1), 0.4, RULE)]
    return _table(data, widths, style, repeatRows=1, hAlign="LEFT")


def _due(row: Any) -> str:
    """', by 1 Dec 2026' when the app gave the action a due date."""
    due = getattr(row, "due", None)
    return f"<br/>by {due.day} {due:%b} {due.year}" if isinstance(due, dt.date) else ""


# --------------------------------------------------------------------------- 3. findings


def findings(ctx: Context) -> list[Flowable]:
    s, items = ctx.styles, ctx.score.items
    story: list[Flowable] = [_p("Findings room by room", s.h1)]
    home = items[items["visit"] >= 0]
    rooms = ctx.score.rooms
    if not len(rooms):
        story.append(_p("No rooms were added to this audit.", s.body))
        return story
    ranks = {(int(r.visit), r.item_id): (int(r.rank), r.hazard) for r in ctx.score.actions.itertuples()}
    story.append(
        _p(
            "Each hazard with the auditor's note and photos, and measurements beside the standard "
            "they miss. The numbers refer to the action plan.",
            s.body,
        )
    )
    absent = []
    for room in rooms.itertuples():
        title = room_title(ctx, room.visit)
        if not room.present:
            absent.append(title)
            continue
        rows = home[home["visit"] == room.visit]
        story += _room_findings(ctx, title, room, rows, ranks)
    if absent:
        story.append(_p("Not in this home", s.h2))
        story.append(_p(markup(", ".join(absent)) + ".", s.body))
    return story


def _room_findings(ctx: Context, title: str, room: Any, rows: pd.DataFrame, ranks: dict) -> list[Flowable]:
    s = ctx.styles
    score = _number(room.score)
    facts = []
    if score is not None:
        facts.append(f"score {score:.0f}")
    facts.append(f"{room.hazards} hazard{'s' if room.hazards != 1 else ''}")
    facts.append(f"{room.answered} of {room.applicable} checks answered")
    heading = _p(f"{markup(title, limit=120)} <font size={s.small.fontSize} color='{MUTED_HEX}'>&nbsp; {' · '.join(facts)}</font>", s.h2)
    # Groups of flowables kept together on a page: a hazard with its note and photos.
    blocks: list[list[Flowable]] = []
    hazards = rows[rows["status"] == "hazard"]
    for row in hazards.itertuples():
        rank, words = ranks.get((int(row.visit), row.item_id), (None, row.hazard_text))
        reference = f" <font color='{MUTED_HEX}'>(action {rank})</font>" if rank else ""
        first = _p(_hazard_line(str(words), str(row.hazard_text)) + reference, s.body)
        blocks.append([first] + _note_and_photos(ctx, row))
    if not len(hazards) and room.answered:
        blocks.append([_p("No hazards found in this room.", s.body)])
    noted = rows[rows["status"].isin(["safe", "na"]) & ((rows["note"].astype(str).str.strip() != "") | rows["photos"].map(bool))]
    if len(noted):
        also = _p("Also noted", s.h3)
        for index, row in enumerate(noted.itertuples()):
            item = ctx.library.items.get(row.item_id)
            question = item.question if item else row.item_id
            answer = _answer_words(item, row)
            line = _p(f"{markup(question, limit=CELL_LIMIT)} <font color='{MUTED_HEX}'>{markup(answer)}</font>", s.body)
            blocks.append(([also] if index == 0 else []) + [line] + _note_and_photos(ctx, row))
    missing = rows[rows["status"] == "not_assessed"]
    if len(missing) and not room.answered and not len(noted):
        blocks.append([_p(f"Not assessed: none of the {len(missing)} checks in this room were answered.", s.muted)])
    elif len(missing):
        questions = "; ".join(markup(ctx.library.items[i].question if i in ctx.library.items else i, limit=160) for i in missing["item_id"])
        blocks.append([_p(f"<b>Not assessed ({len(missing)}):</b> {questions}", s.muted)])
    # The room's heading stays with its first block (never nest KeepTogether: it always splits).
    if not blocks:
        return [heading]
    blocks[0].insert(0, heading)
    return [KeepTogether(block) for block in blocks]


def _hazard_line(words: str, hazard: str) -> str:
    """The hazard in bold; a measurement's reading and target after it in regular weight."""
    if words.startswith(hazard + ":"):
        detail = words[len(hazard) + 1 :]
        return f"<b>{markup(hazard, limit=CELL_LIMIT)}:</b> {markup(detail, limit=CELL_LIMIT)}"
    return f"<b>{markup(words, limit=CELL_LIMIT)}</b>"


def _answer_words(item: Any, row: Any) -> str:
    if row.status == "na":
        return "(not applicable)"
    if item is not None and item.answer_type == "measurement":
        value = _number(row.value)
        if value is not None:
            return f"(measured {format_measure(value, row.unit or item.unit or '')})"
    if item is not None and row.value is not None:
        return f"({item.option_label(str(row.value))})"
    return ""


def _note_and_photos(ctx: Context, row: Any) -> list[Flowable]:
    s = ctx.styles
    out: list[Flowable] = []
    note = str(row.note or "").strip()
    if note:
        out.append(_p(f"<b>Auditor's note:</b> {markup(note, limit=NOTE_LIMIT)}", _indented(s.body)))
    refs = tuple(row.photos or ())
    if refs:
        out.append(_photo_grid(ctx, refs))
        out.append(Spacer(1, s.gap * 0.5))
    return out


def _indented(style: ParagraphStyle) -> ParagraphStyle:
    return ParagraphStyle(style.name + "_indented", parent=style, leftIndent=style.fontSize * 1.2)


def _photo_grid(ctx: Context, refs: Iterable[str]) -> Table:
    s = ctx.styles
    columns = 2 if s.large else 3
    indent = s.body.fontSize * 1.2  # in line with the auditor's note above
    cell_w = ctx.width / columns
    max_w, max_h = cell_w - indent, (72 if s.large else 58) * mm
    cells: list[Any] = []
    for ref in refs:
        photo = ctx.photos.get(ref, "photo missing")
        if isinstance(photo, Photo):
            scale = min(max_w / photo.width, max_h / photo.height)
            cells.append(Image(io.BytesIO(photo.data), width=photo.width * scale, height=photo.height * scale, hAlign="LEFT"))
        else:
            cells.append(_p(f"{markup(photo.capitalize())}: {markup(photo_name(ref), limit=60)}", s.muted))
    rows = [cells[i : i + columns] for i in range(0, len(cells), columns)]
    rows[-1] += [""] * (columns - len(rows[-1]))
    return _table(
        rows,
        [cell_w] * columns,
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), indent),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 4),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ],
        hAlign="LEFT",
    )


# --------------------------------------------------------------------------- 4. resident


def resident(ctx: Context) -> list[Flowable]:
    s, info, lib = ctx.styles, ctx.score.resident, ctx.library
    story: list[Flowable] = [_p("About the resident", s.h1)]
    rows = ctx.score.items[ctx.score.items["visit"] == -1]
    if not int(info.get("answered") or 0):
        story.append(
            _p(
                "The questions about the resident were not answered. They matter: hazards are most "
                "worth fixing for someone at higher risk of falling. Answer them at the next visit.",
                s.body,
            )
        )
        return story + _habits(ctx)

    def words(item_id: str) -> str:
        item = lib.items.get(item_id)
        return item.hazard if item else item_id

    fell = bool(rows.loc[rows["item_id"] == FALL_ITEM, "hazard"].any())
    doctor = list(info.get("warning_signs") or []) + ([FALL_ITEM] if fell else [])
    if doctor:
        story.append(_doctor_box(ctx, [words(i) for i in doctor]))
        story.append(Spacer(1, s.gap))

    points = int(info.get("steadi_score") or 0)
    at_risk = bool(info.get("at_risk"))
    story.append(_p("Risk of falling", s.h2))
    story.append(
        _p(
            f"Stay Independent screen (CDC STEADI): <b>{points} of 14 points</b>. "
            + (
                "<b>This means a higher risk of falling</b> (4 points or more, or a fall in the past year), "
                "so the fixes for falls come first in the plan and an occupational therapist's home visit is advised."
                if at_risk
                else "Under 4 points and no fall in the past year: no higher risk of falling shown by the screen."
            ),
            s.body,
        )
    )
    steadi = rows[(rows["screen"] == "steadi") & rows["hazard"]]
    if len(steadi):
        story.append(_p("Answers that add to the risk of falling:", s.body))
        story += [_p_bullet(markup(t), s.bullet) for t in steadi["hazard_text"]]
    factors = list(info.get("risk_factors") or [])
    conditions = list(info.get("conditions") or [])
    if conditions:
        story.append(_p("Health conditions noted", s.h2))
        story.append(
            _p(
                "These change which fixes come first: bending, seating and bed height matter more "
                "with thin bones or back pain.",
                s.body,
            )
        )
        story += [_p_bullet(markup(words(i)), s.bullet) for i in conditions]
    if factors:
        story.append(_p("Risk factors for weak bones", s.h2))
        story += [_p_bullet(markup(words(i)), s.bullet) for i in factors]
    noted = rows[rows["note"].astype(str).str.strip() != ""]
    if len(noted):
        story.append(_p("Notes", s.h2))
        for row in noted.itertuples():
            item = lib.items.get(row.item_id)
            question = item.question if item else row.item_id
            story.append(_p(f"<b>{markup(question, limit=CELL_LIMIT)}</b> {markup(row.note, limit=NOTE_LIMIT)}", s.body))
    unanswered = int(info.get("questions") or 0) - int(info.get("answered") or 0)
    if unanswered > 0:
        counted = f"{unanswered} question{'s' if unanswered != 1 else ''} about the resident"
        story.append(_p(f"{counted} {'were' if unanswered != 1 else 'was'} not answered.", s.muted))
    return story + _habits(ctx)


def _p_bullet(text: str, style) -> Paragraph:
    return Paragraph(text, style, bulletText="\u2022")


def _doctor_box(ctx: Context, signs: list[str]) -> Table:
    s = ctx.styles
    inner: list[Flowable] = [_p("Talk to a doctor about", s.h2)]
    inner += [_p_bullet(markup(sign), s.bullet) for sign in signs]
    inner.append(
        _p(
            "These can be signs of thinning bones or a fracture in the spine, which need a doctor's "
            "opinion. This checklist cannot tell what causes them. Take this page to the appointment.",
            s.body,
        )
    )
    return _table(
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
        hAlign="LEFT",
    )


def _habit_answers(ctx: Context) -> habit_rules.Answers:
    items = ctx.score.items
    hazards = items[(items["visit"] >= 0) & (items["status"] == "hazard")]
    info = ctx.score.resident
    return habit_rules.Answers(
        conditions=frozenset(info.get("conditions") or ()),
        risk_factors=frozenset(info.get("risk_factors") or ()),
        hazard_topics=frozenset(hazards["topic"]),
        at_risk=bool(info.get("at_risk")),
    )


def _habits(ctx: Context) -> list[Flowable]:
    s = ctx.styles
    chosen = habit_rules.fitting(_habit_answers(ctx))
    if not chosen:
        return []
    story: list[Flowable] = [_p("Daily habits that fit these answers", s.h2)]
    for habit in chosen:
        story.append(_p_bullet(f"<b>{markup(habit.text)}</b> {markup(habit.why)}", s.bullet))
    return story


# --------------------------------------------------------------------------- 5. sources


def sources(ctx: Context) -> list[Flowable]:
    s = ctx.styles
    story: list[Flowable] = [_p("Sources and notes", s.h1)]
    actions = ctx.score.actions
    cited: dict[str, list[int]] = {}
    for row in actions.itertuples():
        source = str(row.source or "").strip()
        if source:
            cited.setdefault(source, []).append(int(row.rank))
    if not cited:
        story.append(_p("This report makes no recommendation, so it lists no sources.", s.body))
    else:
        story.append(_p("Where each recommendation comes from. The numbers are the actions in the plan.", s.body))
        for source, ranks in cited.items():
            label = "action" if len(ranks) == 1 else "actions"
            story.append(_p_bullet(f"{markup(source)} <font color='{MUTED_HEX}'>({label} {_ranges(ranks)})</font>", s.bullet))
    chosen = habit_rules.fitting(_habit_answers(ctx))
    if chosen:
        story.append(_p("Daily habits", s.h3))
        for habit in chosen:
            story.append(_p_bullet(f"{markup(habit.title)}: {markup(habit.source)}", s.bullet))
    story.append(Spacer(1, s.gap))
    story.append(_about_box(ctx))
    return story


def _ranges(numbers: list[int]) -> str:
    """'1–3, 7' for [1, 2, 3, 7]."""
    numbers = sorted(set(numbers))
    parts, start = [], None
    for index, number in enumerate(numbers):
        if start is None:
            start = number
        if index + 1 == len(numbers) or numbers[index + 1] != number + 1:
            parts.append(str(start) if start == number else f"{start}\u2013{number}")
            start = None
    return ", ".join(parts)


def _about_box(ctx: Context) -> Table:
    s = ctx.styles
    lines = [
        _p("About this report", s.h3),
        _p(
            "<b>This is a home safety checklist, not a medical diagnosis.</b> It does not replace "
            "advice from a doctor, physiotherapist or occupational therapist. If you are worried "
            "about a symptom, see a doctor.",
            s.body,
        ),
        _p(
            "Measurements are compared with public-building standards (ADA 2010) and building codes, "
            "used here as good-practice targets for a home, not legal duties. Costs are rough bands, "
            "not quotes. Checks that were not answered are not counted as safe. The ranking of the "
            "plan follows published trials but is not a validated algorithm.",
            s.body,
        ),
    ]
    if ctx.audit.auditor.role == "family":
        lines.append(
            _p(
                "This audit was done by a family member. An occupational therapist's home visit can "
                "check what a checklist cannot, and prevents the most falls for people at higher risk.",
                s.body,
            )
        )
    return _table(
        [[lines]],
        [ctx.width],
        [
            ("BACKGROUND", (0, 0), (-1, -1), PANEL),
            ("LEFTPADDING", (0, 0), (-1, -1), 12),
            ("RIGHTPADDING", (0, 0), (-1, -1), 12),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ],
        hAlign="LEFT",
    )


# --------------------------------------------------------------------------- the whole story


def story(ctx: Context) -> list[Flowable]:
    """All five sections in order; the summary has a page to itself, the plan starts on page 2."""
    flow: list[Flowable] = []
    flow += summary(ctx)
    flow.append(PageBreak())
    flow += action_plan(ctx)
    # A section starts on a new page unless there is room for a good part of it; the heading's
    # space above is dropped at the top of a page.
    flow.append(CondPageBreak(60 * mm))
    flow += findings(ctx)
    flow.append(CondPageBreak(70 * mm))
    flow += resident(ctx)
    flow.append(CondPageBreak(70 * mm))
    flow += sources(ctx)
    return flow
