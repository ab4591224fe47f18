"""The practice overview: figures across every client, from pandas over all the answers at once.

A practice (an OT's caseload, a falls service) asks: which hazards do we keep finding, are the
fixes getting done, how quickly, how many visits a month, whose home is getting less safe, whose
follow-up is overdue. :func:`practice_overview` answers from the tables the store gives
(:meth:`homeaudit.store.Store.practice_frames`: audits, answers in long form, plan edits), turned
into the scoring engine's column form (:class:`homeaudit.scoring.AnswerTable`) and scored by the
same vectorised rules as one audit (:func:`homeaudit.scoring.score_columns`, which marks the
hazards, and :func:`homeaudit.scoring.overall_columns`, which gives each audit's score): no
audit is loaded or scored one at a time.

What each figure means (the filters are a date range and an auditor, applied to the audits):

* **Homes**: the clients with an audit in range. A client is the store's client record; audits
  from before clients had records count by name and address.
* **Most common hazards**: for each checklist item, the number of homes whose *latest* audit in
  range finds it a hazard (rooms of the home only; two bedrooms with the same hazard count once),
  and its share of the homes.
* **Actions**: every hazard found in the rooms of the audits in range, plus every action someone
  recorded a decision for (the person's own steps included). Done and declined are shares of
  them; the rest are open. **Median days to done**: from the audit date to the day the action
  was done (``done_on``, else the day it was marked done).
* **Audits per month**: the audits in range by month, months without one included.
* **Risk rose**: clients whose latest audit in range scores lower (less safe) than their audit
  before it, whenever that was.
* **Follow-up due**: clients whose latest audit of all set a follow-up date that has passed
  (a later visit is the follow-up); that audit must be in range.

:func:`to_csv` and :func:`to_xlsx` write the same tables for a spreadsheet; every text cell goes
through :func:`homeaudit.sheets.cell` (a client named ``=HYPERLINK(…)`` stays text).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from homeaudit import sheets
from homeaudit.audit import RESIDENT_VISIT
from homeaudit.checklist import RESIDENT_ROOM, Library
from homeaudit.scoring import AnswerTable, item_table, overall_columns, resident_columns, score_columns
from homeaudit.words import RISK_LABELS, label

if TYPE_CHECKING:
    from homeaudit.store import Store


@dataclass(frozen=True)
class PracticeFrames:
    """What the overview is computed from, as the store gives it (see
    :meth:`homeaudit.store.Store.practice_frames` for the columns)."""

    audits: pd.DataFrame
    answers: pd.DataFrame
    plan_edits: pd.DataFrame


def read(store: Store) -> PracticeFrames:
    """Every audit, answer and plan edit of the database, from one snapshot."""
    frames = store.practice_frames()
    return PracticeFrames(audits=frames["audits"], answers=frames["answers"], plan_edits=frames["plan_edits"])


@dataclass(frozen=True)
class CommonHazard:
    item_id: str
    room: str  # the kind of room, in words ("Bathroom")
    hazard: str  # the checklist's words for it
    homes: int
    share: float  # of the homes in the overview, 0..1


@dataclass(frozen=True)
class ActionFigures:
    total: int
    done: int
    declined: int
    open: int
    done_share: float | None  # None when there is no action
    declined_share: float | None
    median_days_to_done: float | None  # None when nothing is done


@dataclass(frozen=True)
class MonthCount:
    month: str  # "2026-11"
    audits: int


@dataclass(frozen=True)
class RiskRise:
    client: str
    address: str
    previous_date: dt.date
    latest_date: dt.date
    previous_score: float
    latest_score: float
    previous_risk: str  # a risk level code: low, moderate, high, unknown
    latest_risk: str
    auditor: str  # who did the latest audit

    @property
    def change(self) -> float:
        return round(self.latest_score - self.previous_score, 1)


@dataclass(frozen=True)
class FollowUpDue:
    client: str
    address: str
    last_visit: dt.date
    follow_up: dt.date
    days_overdue: int
    auditor: str


@dataclass(frozen=True)
class Overview:
    """The practice's figures for the audits in range (``since``..``until``, by ``auditor``)."""

    today: dt.date
    since: dt.date | None
    until: dt.date | None
    auditor: str | None
    audits: int
    homes: int
    hazards: tuple[CommonHazard, ...]  # most homes first
    actions: ActionFigures
    months: tuple[MonthCount, ...]
    risk_rose: tuple[RiskRise, ...]  # the largest fall in score first
    follow_up_due: tuple[FollowUpDue, ...]  # the longest overdue first
    #: every auditor's name in the database (for the filter), and its date span
    auditors: tuple[str, ...] = ()
    first_date: dt.date | None = None
    last_date: dt.date | None = None


def practice_overview(
    frames: PracticeFrames,
    library: Library,
    *,
    today: dt.date,
    since: dt.date | None = None,
    until: dt.date | None = None,
    auditor: str | None = None,
) -> Overview:
    """The overview of the audits dated ``since``..``until`` (either may be open) by the auditor
    named ``auditor`` (None: everyone). The module's docstring says what each figure means."""
    audits = _audits(frames.audits)
    scores = _scores(frames.answers, audits, library)
    audits["score"], audits["risk_level"] = scores["score"], scores["risk_level"]
    date = audits["audit_date"]
    chosen = pd.Series(True, index=audits.index)
    if since is not None:
        chosen &= date >= pd.Timestamp(since)
    if until is not None:
        chosen &= date <= pd.Timestamp(until)
    if auditor is not None:
        chosen &= audits["auditor_name"] == auditor
    latest_ids = audits[chosen].groupby("client_key", sort=False).tail(1).index.to_numpy()
    latest = np.zeros(len(audits), dtype=bool)
    latest[latest_ids] = True
    in_range = chosen.to_numpy(bool)
    names = sorted({str(n) for n in audits["auditor_name"] if str(n).strip()})
    return Overview(
        today=today,
        since=since,
        until=until,
        auditor=auditor,
        audits=int(in_range.sum()),
        homes=int(latest.sum()),
        hazards=_common_hazards(scores["rows"], latest, library),
        actions=_actions(frames.plan_edits, audits, in_range, scores["rows"], library),
        months=_months(date[in_range]),
        risk_rose=_risk_rose(audits, latest),
        follow_up_due=_follow_up_due(audits, in_range, today),
        auditors=tuple(names),
        first_date=date.min().date() if len(audits) else None,
        last_date=date.max().date() if len(audits) else None,
    )


# ---- the steps ------------------------------------------------------------------------------


def _audits(frame: pd.DataFrame) -> pd.DataFrame:
    """The audits oldest first, indexed 0..n-1 (the engine's audit number), with a client key:
    the client record's id, else the name and address as typed (case and spaces aside)."""
    audits = frame.reset_index(drop=True).copy()
    typed = (
        audits["client_name"].fillna("").astype(str).str.strip().str.casefold()
        + "\n"
        + audits["client_address"].fillna("").astype(str).str.strip().str.casefold()
    )
    client_id = audits["client_id"].fillna("").astype(str)
    audits["client_key"] = np.where(client_id != "", "id:" + client_id, "typed:" + typed)
    return audits


def _codes(column: pd.Series, index: pd.Index) -> np.ndarray:
    """Each value's position in ``index`` (−1: missing or unknown), through the categories."""
    values = column.astype("category") if column.dtype.name != "category" else column
    lookup = index.get_indexer(pd.Index(values.cat.categories.astype(object), dtype=object))
    codes = values.cat.codes.to_numpy()
    return np.where(codes >= 0, np.append(lookup, -1)[codes], -1).astype(np.int64)


def _scores(answers: pd.DataFrame, audits: pd.DataFrame, library: Library) -> dict[str, Any]:
    """The long table of the engine for every audit (``rows``) and each audit's ``score`` and
    ``risk_level`` (by audit number). Answers the library cannot place (an item or room it no
    longer has, an item outside its room) are left out, as if not given."""
    table = item_table(library)
    n = len(audits)
    audit = _codes(answers["audit_id"], pd.Index(audits["audit_id"].astype(object), dtype=object))
    visit = answers["visit"].to_numpy(np.int64)
    resident = table.room_codes.get(RESIDENT_ROOM, -1)
    room_code = np.where(
        visit == RESIDENT_VISIT, resident, _codes(answers["room"], pd.Index(list(table.room_codes), dtype=object))
    )
    item = _codes(answers["item_id"], table.item_index)
    keep = (audit >= 0) & (room_code >= 0) & (item >= 0)
    keep[keep] = table.arrays["room_code"][item[keep]] == room_code[keep]
    word = _codes(answers["value_text"], table.vocabulary)
    number = answers["value_number"].to_numpy(float).copy()
    # A word the library does not know may be a number typed as text, as scoring.answer_table reads it.
    text = answers["value_text"].astype("category")
    as_number = pd.to_numeric(pd.Series(text.cat.categories.astype(object), dtype=object), errors="coerce").to_numpy(float)
    text_codes = text.cat.codes.to_numpy()
    typed = np.where(text_codes >= 0, np.append(as_number, np.nan)[text_codes], np.nan)
    number = np.where(np.isnan(number) & (word < 0), typed, number)
    unit = _codes(answers["unit"], table.unit_index)
    present = answers["present"].to_numpy(bool)

    audit, visit, room_code, item, word, number, unit, present = (
        a[keep] for a in (audit, visit, room_code, item, word, number, unit, present)
    )
    # One row per room visit that has answers, and one resident section per audit.
    resident = max(resident, 0)
    visits = pd.DataFrame({"audit": audit, "visit": visit, "room_code": room_code, "present": present})
    visits = pd.concat(
        [
            visits.drop_duplicates(["audit", "visit"]),
            pd.DataFrame({"audit": np.arange(n), "visit": RESIDENT_VISIT, "room_code": resident, "present": True}).astype(
                {"audit": np.int64, "visit": np.int64, "room_code": np.int64, "present": bool}
            ),
        ],
        ignore_index=True,
    ).drop_duplicates(["audit", "visit"])
    visits = visits.sort_values(["audit", "visit"], kind="stable").reset_index(drop=True)
    span = int(max(visits["visit"].max(), 0)) + 2 if len(visits) else 2
    keys = visits["audit"].to_numpy() * span + visits["visit"].to_numpy() + 1
    row = np.searchsorted(keys, audit * span + visit + 1)
    data = AnswerTable(
        visits=visits,
        answers=pd.DataFrame({"row": row, "item": item, "word": word, "number": number, "unit": unit}),
    )
    if n == 0:
        none = np.array([], dtype=np.int64)
        rows_: dict[str, np.ndarray] = {
            "audit": none,
            "visit": none,
            "item_pos": none,
            "hazard": none.astype(bool),
            "assessed": none.astype(bool),
        }
        return {"rows": rows_, "score": np.array([]), "risk_level": np.array([], dtype=object)}
    rows = score_columns(data, library)
    person = resident_columns(rows, library, n)
    overall = overall_columns(rows, person, library)
    return {"rows": rows, "score": overall["score"], "risk_level": overall["risk_level"]}


def _common_hazards(rows: dict[str, np.ndarray], latest: np.ndarray, library: Library) -> tuple[CommonHazard, ...]:
    """``latest``: per audit number, whether it is a home's latest audit in range."""
    homes = int(latest.sum())
    if not homes:
        return ()
    found = rows["hazard"] & (rows["visit"] >= 0) & latest[rows["audit"]]
    table = item_table(library).arrays
    n_items = len(table["item_id"])
    pairs = np.unique(rows["audit"][found] * n_items + rows["item_pos"][found])  # two bedrooms count once
    counts = np.bincount(pairs % n_items, minlength=n_items)
    order = sorted(np.flatnonzero(counts).tolist(), key=lambda pos: (-int(counts[pos]), int(table["order"][pos])))
    return tuple(
        CommonHazard(
            item_id=str(table["item_id"][pos]),
            room=library.room_name(str(table["room"][pos])),
            hazard=str(table["hazard_text"][pos]),
            homes=int(counts[pos]),
            share=int(counts[pos]) / homes,
        )
        for pos in order
    )


def _actions(
    edits: pd.DataFrame, audits: pd.DataFrame, chosen: np.ndarray, rows: dict[str, np.ndarray], library: Library
) -> ActionFigures:
    """``chosen``: per audit number, whether the audit is in range.

    An action is a hazard of a room in an audit; what was recorded about it (done, declined)
    counts only while it is one (an edit a new visit copied for a hazard it no longer finds is
    not an action of that visit). A hazard found safe at the client's next visit counts as done
    even if nobody ticked it: the fix was made."""
    key = ["audit_id", "item_id", "visit"]
    ids, items = audits["audit_id"].to_numpy(object), item_table(library).arrays["item_id"]

    def keyed(mask: np.ndarray) -> pd.DataFrame:
        return pd.DataFrame(
            {"audit_id": ids[rows["audit"][mask]], "item_id": items[rows["item_pos"][mask]], "visit": rows["visit"][mask]}
        ).astype({"audit_id": object, "item_id": object})

    hazards = keyed(rows["hazard"] & (rows["visit"] >= 0) & chosen[rows["audit"]])
    in_range = audits[chosen]
    recorded = edits.astype({"audit_id": object, "item_id": object}).merge(hazards, on=key)
    total = len(hazards.drop_duplicates())
    state = recorded["state"].astype(str)
    next_visit = dict(zip(ids, audits["audit_id"].groupby(audits["client_key"], sort=False).shift(-1), strict=True))
    safe_later = keyed(rows["assessed"] & ~rows["hazard"] & (rows["visit"] >= 0)).rename(columns={"audit_id": "next"})
    unticked = hazards.merge(recorded[key], on=key, how="left", indicator=True)
    unticked = unticked[unticked["_merge"] == "left_only"].drop(columns="_merge")
    fixed_later = unticked.assign(next=unticked["audit_id"].map(next_visit).astype(object)).merge(
        safe_later, on=["next", "item_id", "visit"]
    )
    done = int((state == "done").sum()) + len(fixed_later.drop_duplicates(subset=key))
    declined = int((state == "declined").sum())
    finished = recorded[state == "done"].merge(in_range[["audit_id", "audit_date"]], on="audit_id")
    marked = finished["updated_at"].dt.tz_convert(None).dt.normalize().astype("datetime64[us]")
    on = finished["done_on"].astype("datetime64[us]").where(finished["done_on"].notna(), marked)
    days = (on.dt.normalize() - finished["audit_date"].astype("datetime64[us]")).dt.days.dropna()
    return ActionFigures(
        total=total,
        done=done,
        declined=declined,
        open=total - done - declined,
        done_share=done / total if total else None,
        declined_share=declined / total if total else None,
        median_days_to_done=float(days.median()) if len(days) else None,
    )


def _months(dates: pd.Series) -> tuple[MonthCount, ...]:
    if not len(dates):
        return ()
    counts = dates.dt.to_period("M").value_counts()
    span = pd.period_range(counts.index.min(), counts.index.max(), freq="M")
    return tuple(MonthCount(month=str(p), audits=int(counts.get(p, 0))) for p in span)


def _risk_rose(audits: pd.DataFrame, latest: np.ndarray) -> tuple[RiskRise, ...]:
    """Each home's latest audit in range against the client's audit before it."""
    previous = audits.index.to_series().groupby(audits["client_key"], sort=False).shift(1)
    pairs = pd.DataFrame({"now": audits.index[latest], "then": previous[latest].to_numpy()}).dropna()
    now = audits.loc[pairs["now"].astype(np.int64)].reset_index(drop=True)
    then = audits.loc[pairs["then"].astype(np.int64)].reset_index(drop=True)
    rose = (now["score"] < then["score"]).to_numpy(bool)  # NaN (nothing assessed) never rose
    now, then = now[rose], then[rose]
    out = [
        RiskRise(
            client=str(client),
            address=str(address),
            previous_date=before,
            latest_date=after,
            previous_score=float(old),
            latest_score=float(new),
            previous_risk=str(old_risk),
            latest_risk=str(new_risk),
            auditor=str(auditor),
        )
        for client, address, before, after, old, new, old_risk, new_risk, auditor in zip(
            now["client_name"].tolist(),
            now["client_address"].tolist(),
            then["audit_date"].dt.date.tolist(),
            now["audit_date"].dt.date.tolist(),
            then["score"].tolist(),
            now["score"].tolist(),
            then["risk_level"].tolist(),
            now["risk_level"].tolist(),
            now["auditor_name"].tolist(),
            strict=True,
        )
    ]
    return tuple(sorted(out, key=lambda r: (r.change, r.client)))


def _follow_up_due(audits: pd.DataFrame, chosen: np.ndarray, today: dt.date) -> tuple[FollowUpDue, ...]:
    """Each client's latest audit of all, when it is in range and its follow-up date has passed."""
    last = audits.groupby("client_key", sort=False).tail(1)
    due = last[
        chosen[last.index.to_numpy()]
        & last["follow_up"].notna().to_numpy()
        & (last["follow_up"] < pd.Timestamp(today)).to_numpy()
    ]
    out = [
        FollowUpDue(
            client=str(client),
            address=str(address),
            last_visit=visit,
            follow_up=follow_up,
            days_overdue=(today - follow_up).days,
            auditor=str(auditor),
        )
        for client, address, visit, follow_up, auditor in zip(
            due["client_name"].tolist(),
            due["client_address"].tolist(),
            due["audit_date"].dt.date.tolist(),
            due["follow_up"].dt.date.tolist(),
            due["auditor_name"].tolist(),
            strict=True,
        )
    ]
    return tuple(sorted(out, key=lambda f: (-f.days_overdue, f.client)))


# ---- for a spreadsheet --------------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    """One table of the overview as it goes into a file: a title, a header and rows of values."""

    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]


def _share(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def tables(overview: Overview) -> tuple[Table, ...]:
    """The overview as tables (a summary, then one per figure), for :func:`to_csv` and :func:`to_xlsx`."""
    a = overview.actions
    summary = (
        ("Audits from", overview.since),
        ("Audits until", overview.until),
        ("Auditor", overview.auditor if overview.auditor is not None else "Everyone"),
        ("Made on", overview.today),
        ("Audits", overview.audits),
        ("Homes", overview.homes),
        ("Actions", a.total),
        ("Actions done", a.done),
        ("Actions declined", a.declined),
        ("Actions open", a.open),
        ("Share done", _share(a.done_share)),
        ("Share declined", _share(a.declined_share)),
        ("Median days from audit to done", a.median_days_to_done),
        ("Clients whose risk rose", len(overview.risk_rose)),
        ("Clients with a follow-up due", len(overview.follow_up_due)),
    )
    return (
        Table("Summary", ("Figure", "Value"), summary),
        Table(
            "Most common hazards",
            ("Item", "Room", "Hazard", "Homes", "Share of homes"),
            tuple((h.item_id, h.room, h.hazard, h.homes, _share(h.share)) for h in overview.hazards),
        ),
        Table("Audits per month", ("Month", "Audits"), tuple((m.month, m.audits) for m in overview.months)),
        Table(
            "Risk rose",
            (
                "Client",
                "Address",
                "Previous visit",
                "Previous score",
                "Previous risk",
                "Latest visit",
                "Latest score",
                "Latest risk",
                "Change",
                "Auditor",
            ),
            tuple(
                (
                    r.client,
                    r.address,
                    r.previous_date,
                    r.previous_score,
                    label(RISK_LABELS, r.previous_risk),
                    r.latest_date,
                    r.latest_score,
                    label(RISK_LABELS, r.latest_risk),
                    r.change,
                    r.auditor,
                )
                for r in overview.risk_rose
            ),
        ),
        Table(
            "Follow-up due",
            ("Client", "Address", "Last visit", "Follow-up date", "Days overdue", "Auditor"),
            tuple((f.client, f.address, f.last_visit, f.follow_up, f.days_overdue, f.auditor) for f in overview.follow_up_due),
        ),
    )


def _text(value: Any) -> Any:
    """A value for a CSV cell: dates as ISO dates, nothing as empty, text made safe."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return sheets.cell(value)


def to_csv(overview: Overview) -> str:
    """Every table of the overview in one CSV file: each starts with its title on a line of its
    own and ends with an empty line; text that could start a formula is made literal."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for table in tables(overview):
        writer.writerow([_text(table.title)])
        writer.writerow([_text(h) for h in table.header])
        writer.writerows([_text(v) for v in row] for row in table.rows)
        writer.writerow([])
    return buffer.getvalue()


#: The sheets' names (at most 31 characters, none of []:*?/\ in them).
SHEET_NAMES = {"Summary": "Summary", "Most common hazards": "Hazards", "Audits per month": "Audits per month"}


def to_xlsx(overview: Overview) -> bytes:
    """The overview as a workbook, one sheet per table (shares as percentages, dates as dates);
    text that could start a formula is made literal. The same overview gives the same bytes."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    made = dt.datetime.combine(overview.today, dt.time())
    book.properties.created = book.properties.modified = made
    book.remove(book.active)  # type: ignore[arg-type]
    for table in tables(overview):
        sheet = book.create_sheet(SHEET_NAMES.get(table.title, table.title))
        sheet.append([sheets.xlsx_cell(h) for h in table.header])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([sheets.xlsx_cell(v) for v in row])
        shares = [i for i, h in enumerate(table.header, start=1) if h.startswith("Share")]
        for number, row_cells in enumerate(sheet.iter_rows(min_row=2)):
            share_row = table.title == "Summary" and str(table.rows[number][0]).startswith("Share")
            for cell in row_cells:
                if isinstance(cell.value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
                elif isinstance(cell.value, float) and (share_row or cell.column in shares):
                    cell.number_format = "0.0%"
        _widths(sheet, table)
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return sheets.dated_xlsx(out.getvalue(), made)


def _widths(sheet: Any, table: Table) -> None:
    """Columns wide enough for their header and values (within reason)."""
    from openpyxl.utils import get_column_letter

    for i, header in enumerate(table.header, start=1):
        longest = max([len(header), *(len(str(row[i - 1])) for row in table.rows)])
        sheet.column_dimensions[get_column_letter(i)].width = min(60, longest + 2)


def percent(share: float | None) -> str:
    """A share in words for people: "42%", or "—" when there is nothing to share."""
    return "—" if share is None else f"{round(100 * share):.0f}%"


__all__ = [
    "ActionFigures",
    "CommonHazard",
    "FollowUpDue",
    "MonthCount",
    "Overview",
    "PracticeFrames",
    "RiskRise",
    "Table",
    "practice_overview",
    "read",
    "tables",
    "to_csv",
    "to_xlsx",
]
