"""The action plan as the app shows, edits and downloads it.

The ranking is the scoring's and the edits (done, who, due) are joined by
:meth:`homeaudit.results.Score.with_edits` before anything here sees the plan; this module only
turns the finished plan into words and files, with no Streamlit in it, so that every rule of the
page is a plain function tested without a browser.

Two views of one plan: **cards** (the default: one card per action, every word wrapped, grouped
by band, each change saved alone) for a phone or a tablet in a client's hallway, and the **table**
(a grid of every action) for an OT at a desk. :func:`bands`, :func:`card_key`, :func:`card_edit`
and :func:`saved_message` are the cards' rules; :func:`plan_frame` and :func:`changed_rows` the
table's.

The download builders run when the button is clicked, in another thread. The plan's builders
read the edits from the store at that moment (:func:`current_plan`): a card saves a tick without
running the page again, so a plan captured when the page last ran could be a tick behind.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import zlib
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Literal

import pandas as pd

from homeaudit import Audit, Comparison, Library, Score, compare_visits, dump_audit
from homeaudit.bundle import pack, without_photos
from homeaudit.money import cost_label, currency
from homeaudit.plan import DUE_DAYS, Action, PlanEdit
from homeaudit.report import PhotoLoader, ReportOptions, render
from homeaudit.sheets import csv_text
from homeaudit.store import Store, StoreError
from homeaudit.words import BAND_LABELS, BANDS, WHO, WHO_LABELS, ActionState, Band, label, long_date

WHO_BY_LABEL = {words: code for code, words in WHO_LABELS.items()}
EDITABLE = ["Done", "Who", "Due"]
PLAN_COLUMNS = ["Done", "#", "When", "Where", "Problem", "Why it matters", "Who", "Due", "What to do", "Cost", "Note"]
#: What the on-screen editor shows, the columns a person acts on first (a phone sees the left ones);
#: the CSV keeps them all.
EDITOR_COLUMNS = ["Done", "Problem", "Who", "Due", "When", "Where", "What to do", "Cost"]


def plan_frame(score: Score) -> pd.DataFrame:
    """The plan (edits already joined) in words, one row per action, for the editor and the CSV."""
    actions = score.actions_frame()
    frame = pd.DataFrame(
        {
            "item_id": actions["item_id"],
            "visit": actions["visit"].astype(int),
            "Done": actions["done"].astype(bool),
            "#": actions["rank"].astype(int),
            "When": [label(BAND_LABELS, b) for b in actions["band"]],
            "Where": actions["title"],
            "Problem": actions["problem"],
            "Why it matters": actions["why"],
            "Who": [label(WHO_LABELS, w) for w in actions["who"]],
            "Due": pd.Series([d if isinstance(d, dt.date) else None for d in actions["due"]], dtype=object),
            "What to do": actions["action"],
            "Cost": [cost_label(c, currency()) for c in actions["cost"]],
            "Note": actions["note"],
        },
        columns=["item_id", "visit", *PLAN_COLUMNS],
    )
    return frame.reset_index(drop=True)


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value.strip():
        return dt.date.fromisoformat(value.strip()[:10])
    return None


def changed_rows(before: pd.DataFrame, after: pd.DataFrame) -> list[dict[str, Any]]:
    """The table's changes: rows whose Done, Who or Due differ (item id, visit, done, who, due),
    to be merged over what the store holds (:func:`merged_edit`)."""
    out = []
    for old, new in zip(before.to_dict("records"), after.to_dict("records"), strict=False):
        due = _as_date(new["Due"])
        if bool(new["Done"]) == bool(old["Done"]) and new["Who"] == old["Who"] and due == _as_date(old["Due"]):
            continue
        who = WHO_BY_LABEL.get(new["Who"], new["Who"] if new["Who"] in WHO else None)
        out.append({"item_id": old["item_id"], "visit": int(old["visit"]), "done": bool(new["Done"]), "who": who, "due": due})
    return out


def done_count(actions: Sequence[Action]) -> str:
    """'3 of 24 done': how far the plan has got, under its heading."""
    return f"{sum(action.done for action in actions)} of {len(actions)} done"


# --------------------------------------------------------------------------- the plan as cards

#: The bands drawn open; the others fold away (a long plan's "Later" holds most of its rows,
#: and scrolling past forty cards to reach the downloads is no way to use a phone).
OPEN_BANDS: tuple[Band, ...] = ("now", "soon")
#: The two views of the plan, for the switch above it: cards first (phones, tablets).
VIEWS: dict[str, str] = {"cards": "Cards", "table": "Table"}
#: The folded band's cards are drawn this many at a time: sixty cards at once take seconds to draw
#: on a phone, and nobody reads sixty at once.
LATER_PAGE = 10
#: Which part of a card changed, for the saved message.
Part = Literal["done", "who", "due"]
#: How far ahead a due date may be set.
DUE_YEARS_AHEAD = 5


def bands(actions: Iterable[Action]) -> list[tuple[Band, tuple[Action, ...]]]:
    """The actions under their bands, in the order of :data:`homeaudit.words.BANDS` (this week,
    soon, later) and in plan order within each; a band with no action is left out. A done action
    stays where it was: the plan's order is the scoring's, a tick never moves a row."""
    grouped: dict[Band, list[Action]] = {band: [] for band in BANDS}
    for action in actions:
        grouped.setdefault(action.band, []).append(action)
    return [(band, tuple(rows)) for band, rows in grouped.items() if rows]


def folded_label(count: int) -> str:
    """The folded band's switch: "Show its 61 actions" (the band's title is the heading above)."""
    return "Show its action" if count == 1 else f"Show its {count} actions"


def more_label(shown: int, total: int) -> str:
    """The button under the folded band's cards: "Show 10 more of 61"."""
    return f"Show {min(LATER_PAGE, total - shown)} more of {total}"


def card_key(action: Action) -> str:
    """A name for an action's card, fit for a widget key and a CSS class (``st-key-…``): the
    item id made safe, the visit, and a checksum of the raw id so that two ids that differ only
    in a character made safe ("a.b", "a-b") never share a card."""
    slug = re.sub(r"[^A-Za-z0-9_-]", "-", action.item_id)
    visit = f"m{-action.visit}" if action.visit < 0 else str(action.visit)
    return f"{slug}-{visit}-{zlib.crc32(action.item_id.encode()):08x}"


def widget_key(audit_id: str, action: Action, part: str) -> str:
    """The key of one control of a card; the audit is part of it, so opening another audit in the
    same session starts from that audit's values."""
    return f"plan|{audit_id}|{action.visit}|{action.item_id}|{part}"


def who_options(current: str) -> list[str]:
    """The choices of "Who", in the order the plan prefers; a code an OT's own checklist uses
    that the app does not know stays choosable, so showing the card never changes it."""
    return list(WHO) if current in WHO else [*WHO, current]


def card_edit(
    action: Action, done: bool, who: str | None, due: dt.date | None, kept: PlanEdit | None = None, today: dt.date | None = None
) -> PlanEdit:
    """What to save when one control of a card changes: the three values as the card shows them,
    over what the store already holds for the action (``kept``: the helper's name, when and by
    whom it was done, why it was declined, which the card's other controls set), keyed by the
    action's item and visit. Ticking Done dates it today unless a date was recorded; unticking
    it makes the action open again (or declined, if it was)."""
    return merged_edit(kept or PlanEdit(item_id=action.item_id, visit=action.visit), done, who, due, today)


def merged_edit(base: PlanEdit, done: bool, who: str | None, due: dt.date | None, today: dt.date | None = None) -> PlanEdit:
    """Done, Who and Due as set (a card's controls, a row of the table) over what the store holds
    for the action (``base``), keeping the rest: the helper's name, when and by whom it was done,
    why it was declined."""
    if done:
        return dataclasses.replace(
            base, done=True, state="done", who=who or None, due=due, done_on=base.done_on or today or dt.date.today()
        )
    state: ActionState = "declined" if base.state == "declined" else "open"
    return dataclasses.replace(base, done=False, state=state, who=who or None, due=due, done_on=None, done_by="", photo=None)


def follow_through_edit(
    action: Action,
    kept: PlanEdit | None,
    *,
    helper: str,
    done_on: dt.date | None,
    done_by: str,
    declined: bool,
    reason: str,
    photo: str | None,
    reason_required: bool,
) -> PlanEdit:
    """What the card's follow-through form saves: the helper by name, when and by whom it was
    done (a date marks it done), or that the client declined it and why. An occupational
    therapist must record the reason (``reason_required``): a :class:`ValueError` says so."""
    base = kept or PlanEdit(item_id=action.item_id, visit=action.visit)  # the plan's who and date stay suggestions
    helper, done_by, reason = helper.strip(), done_by.strip(), reason.strip()
    if declined:
        if reason_required and not reason:
            raise ValueError("Write down why the client declined this: an OT's record needs the reason.")
        return dataclasses.replace(
            base, state="declined", done=False, helper=helper, reason=reason, done_on=None, done_by="", photo=None
        )
    if done_on is not None or base.state == "done":
        return dataclasses.replace(
            base,
            state="done",
            done=True,
            helper=helper,
            done_on=done_on or base.done_on or dt.date.today(),
            done_by=done_by,
            reason="",
            photo=photo or base.photo,
        )
    return dataclasses.replace(base, state="open", done=False, helper=helper, reason="", done_on=None, done_by="", photo=None)


def suggested_due(action: Action, audit_date: dt.date) -> dt.date:
    """The date the plan suggests for an action's band, counted from the audit date; an emptied
    date picker goes back to it (:func:`homeaudit.plan.apply_edits`)."""
    return audit_date + dt.timedelta(days=DUE_DAYS.get(action.band, DUE_DAYS["later"]))


def saved_message(action: Action, part: Part, edit: PlanEdit, audit_date: dt.date) -> str:
    """The words of the toast after a save, naming the action by its number so that a tick far
    down a long list is confirmed where the eye is: "Saved: action 3 marked done". A date is said
    in words ("1 May 2026"), whichever way round the date picker writes it."""
    head = f"Saved: action {action.rank}"
    if part == "done":
        return f"{head} marked done" if edit.done else f"{head} marked not done"
    if part == "who":
        return f"{head} to be done by: {label(WHO_LABELS, edit.who or action.who).lower()}"
    if edit.due is None:
        return f"{head} back to the suggested date, {long_date(suggested_due(action, audit_date))}"
    return f"{head} due by {long_date(edit.due)}"


def due_bounds(audit_date: dt.date, due: dt.date | None, today: dt.date) -> tuple[dt.date, dt.date]:
    """The dates the picker offers: from the audit (or an earlier date already set, which must
    stay showable) to :data:`DUE_YEARS_AHEAD` years after the latest of today, the audit and
    the date set."""
    low = min(audit_date, due or audit_date)
    high = max(today, audit_date, due or audit_date)
    return low, high + dt.timedelta(days=366 * DUE_YEARS_AHEAD)


def plan_csv(frame: pd.DataFrame) -> str:
    """The plan as a spreadsheet: one row per action, dates as YYYY-MM-DD, every text cell safe
    to open (homeaudit.sheets: a note that starts with "=" stays text)."""
    out = frame[PLAN_COLUMNS].copy()
    out["Done"] = out["Done"].map({True: "yes", False: "no"})
    out["Due"] = [d.isoformat() if isinstance(d, dt.date) else "" for d in out["Due"]]
    return csv_text(PLAN_COLUMNS, out.itertuples(index=False, name=None))


# --------------------------------------------------------------------------- downloads (built on click)


def photo_loader(store: Store, audit_id: str) -> PhotoLoader:
    """Photo bytes for the report; a photo that is not this audit's reads as missing."""

    def load(ref: str) -> bytes:
        try:
            return store.photo_bytes(ref, audit_id)
        except StoreError as error:
            raise KeyError(str(error)) from None

    return load


def current_plan(store: Store, base: Score) -> Score:
    """The plan with the edits the store holds now (``base`` is the score without edits)."""
    return base.with_edits(store.plan_edits(base.audit_id))


def pdf_builder(
    audit: Audit,
    score: Score,
    library: Library,
    photos: PhotoLoader,
    options: ReportOptions,
    comparison: Comparison | None = None,
) -> Callable[[], bytes]:
    """The PDF of the plan as the page shows it (edits included, and "Since the last visit" when
    there was one), drawn when the button is clicked."""
    return lambda: render(audit, score, library, options, photo_loader=photos, comparison=comparison)


def since_last_visit(store: Store, audit: Audit, library: Library) -> Comparison | None:
    """This visit compared with the one before it (None for a first visit). An answer copied
    from the last visit and not yet confirmed or changed counts as not looked at: a fix marked
    done is never "still a hazard" before anyone has checked."""
    previous = store.previous_visit(audit.id)
    if previous is None:
        return None
    before, edits, carried = store.load_audit(previous), store.plan_edits(previous), store.carried(audit.id)
    result = compare_visits(before, unconfirmed_left_out(audit, carried), library, before_edits=edits)
    if carried:  # the scores are the visits' own, whatever is still to confirm
        whole = compare_visits(before, audit, library, before_edits=edits)
        result = dataclasses.replace(result, score_change=whole.score_change)
    return result


def unconfirmed_left_out(audit: Audit, carried: set[tuple[int, str]]) -> Audit:
    """The audit without the answers copied from the last visit and not yet confirmed."""
    if not carried:
        return audit
    copy = audit.model_copy(deep=True)
    for visit, answers in copy.sections():
        for item_id in [i for i in answers if (visit, i) in carried]:
            del answers[item_id]
    return copy


def yaml_builder(audit: Audit) -> Callable[[], str]:
    """The audit file without its photos' references (the zip carries the photos): one naming the
    database's ``photo:1`` was refused by the command line."""
    return lambda: dump_audit(without_photos(audit))


def bundle_builder(audit: Audit, photos: PhotoLoader) -> Callable[[], bytes]:
    """The audit with its photos (a zip), built when the button is clicked."""
    return lambda: pack(audit, photos)


def saved_bundle_builder(store: Store, audit_id: str) -> Callable[[], bytes]:
    """A saved audit's zip, read from the database only when its button is clicked (the Audits
    page lists many audits and loads none of them whole)."""
    return lambda: store.export_bundle(audit_id)


def csv_builder(store: Store, base: Score) -> Callable[[], str]:
    """The plan as a spreadsheet with the edits saved when the button is clicked (a card's tick
    may be newer than the page's last run)."""
    return lambda: plan_csv(plan_frame(current_plan(store, base)))
