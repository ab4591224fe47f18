"""The practice overview: every figure, over 36 audits of 12 clients by three auditors, against
the same figures computed the plain way (each audit loaded and scored item by item with
tests/plain_scoring.py, then counted in loops), with and without filters; and its CSV and XLSX."""

from __future__ import annotations

import collections
import csv
import datetime as dt
import io
import random
import statistics

import pandas as pd
import pytest
from openpyxl import load_workbook

from homeaudit import overview, scoring
from homeaudit.audit import RESIDENT_VISIT, Answer, Assessment, Audit, Auditor, Client, RoomVisit
from homeaudit.checklist import RESIDENT_ROOM
from homeaudit.store import connect

from plain_scoring import score_plain

TODAY = dt.date(2026, 12, 1)
AUDITORS = [("Ann Lee", "ot"), ("Priya Shah", "ot"), ("Chidi Okafor", "family")]
ROOMS = ["entrance", "hallway", "bathroom", "bedroom", "kitchen", "stairs"]
HOSTILE = '=HYPERLINK("http://evil.example","click")'


def _value(item, rng):
    if item.answer_type == "measurement":
        if item.range is None:
            return round(rng.uniform(40, 55), 1)
        low, high = item.range
        centre = low if high is None else high if low is None else (low + high) / 2
        return round(centre * rng.uniform(0.6, 1.4), 1)
    return rng.choice(item.option_values)


def _audit(library, rng, n, client, date, auditor):
    rooms = rng.sample(ROOMS, 3) + (["bedroom"] if n % 4 == 0 else [])  # some homes have two bedrooms
    visits = []
    for room in rooms:
        items = [i for i in library.items_of(room) if rng.random() < 0.8]  # some left unanswered
        visits.append(RoomVisit(room=room, answers={i.id: Answer(value=_value(i, rng)) for i in items}))
    if n % 9 == 0:
        visits[0].present = False  # a room not in this home: its answers are not hazards
    resident = {i.id: Answer(value=_value(i, rng)) for i in library.items_of(RESIDENT_ROOM) if rng.random() < 0.7}
    name, role = auditor
    follow_up = date + dt.timedelta(days=rng.choice([30, 90, 400])) if n % 3 else None
    if client == 0:
        follow_up = date + dt.timedelta(days=1)  # the client named like a formula is overdue
    return Audit(
        id=f"audit-{n:02d}",
        date=date,
        auditor=Auditor(name=name, role=role),
        client=Client(
            id=f"client-{client:012x}",
            name=HOSTILE if client == 0 else f"Client {client}",
            address=f"{client} Elm Street",
        ),
        assessment=Assessment(follow_up=follow_up),
        resident=resident,
        rooms=visits,
    )


@pytest.fixture(scope="module")
def practice(tmp_path_factory, library):
    """36 audits: 12 clients seen three times in 2026, by three auditors, with plan edits."""
    rng = random.Random(12)
    store = connect(tmp_path_factory.mktemp("overview") / "practice.db")
    n = 0
    for client in range(12):
        days = [dt.date(2026, 1, 5) + dt.timedelta(days=d) for d in range(320)]
        for k, date in enumerate(sorted(rng.sample([d for d in days if d.month != 7], 3))):  # none in July
            audit_id = store.create_audit(_audit(library, rng, n, client, date, AUDITORS[(client + k) % 3]))
            n += 1
            hazards = sorted(
                key
                for key, status in score_plain(store.load_audit(audit_id), library)["statuses"].items()
                if status == "hazard" and key[0] >= 0
            )
            for (visit, item_id), kind in zip(hazards, ["done", "done_undated", "declined", "open", "done"], strict=False):
                if kind == "done":
                    store.save_plan_edit(
                        audit_id, item_id, visit, state="done", done_on=date + dt.timedelta(days=rng.randrange(1, 60))
                    )
                elif kind == "done_undated":
                    store.save_plan_edit(audit_id, item_id, visit, done=True)
                elif kind == "declined":
                    store.save_plan_edit(audit_id, item_id, visit, state="declined", reason="Likes the rug")
                else:
                    store.save_plan_edit(audit_id, item_id, visit, helper="Tom")
            if n % 5 == 0:  # an action of the person's own, not a hazard of a room
                store.save_plan_edit(audit_id, "intervention.medicine_review", RESIDENT_VISIT, state="done", done_on=date)
    yield store
    store.close()


# ---- the plain computation ----------------------------------------------------------------------


def plain_overview(store, library, since=None, until=None, auditor=None):
    """The figures the slow, obvious way, from Audit objects and PlanEdit values."""
    audits = sorted(store.load_audits(), key=lambda a: a.date)
    scored = {a.id: score_plain(a, library) for a in audits}

    def hazards_of(audit):
        return {(v, i) for (v, i), s in scored[audit.id]["statuses"].items() if s == "hazard" and v >= 0}

    def in_range(a):
        return (since is None or a.date >= since) and (until is None or a.date <= until) and auditor in (None, a.auditor.name)

    by_client = collections.defaultdict(list)
    for a in audits:
        by_client[a.client.id].append(a)
    chosen = [a for a in audits if in_range(a)]
    latest = {}
    for a in chosen:
        latest[a.client.id] = a  # oldest first: the last one wins

    counts = collections.Counter()
    for a in latest.values():
        counts.update({item for _, item in hazards_of(a)})

    # An action is a room's hazard in an audit; what was recorded about it counts while it is one;
    # a hazard with nothing recorded that the client's next visit found safe was fixed: done.
    actions, done, declined, days = set(), 0, 0, []
    for a in chosen:
        found = hazards_of(a)
        actions |= {(a.id, item, visit) for visit, item in found}
        recorded = set()
        for edit in store.plan_edits(a.id):
            if (edit.visit, edit.item_id) not in found:
                continue
            recorded.add((edit.visit, edit.item_id))
            done += edit.state == "done"
            declined += edit.state == "declined"
            if edit.state == "done":
                day = edit.done_on or dt.datetime.now(dt.UTC).date()  # undated: the day it was marked done
                days.append((day - a.date).days)
        visits = by_client[a.client.id]
        later = visits[visits.index(a) + 1] if visits.index(a) + 1 < len(visits) else None
        if later is not None:
            safe_then = {k for k, s in scored[later.id]["statuses"].items() if s == "safe"}
            done += len((found - recorded) & safe_then)

    months = collections.Counter(f"{a.date:%Y-%m}" for a in chosen)
    if months:
        first, last = min(months), max(months)
        y, m = int(first[:4]), int(first[5:])
        while f"{y:04d}-{m:02d}" <= last:
            months.setdefault(f"{y:04d}-{m:02d}", 0)
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)

    rose = set()
    for client, a in latest.items():
        visits = by_client[client]
        at = visits.index(a)
        if at == 0:
            continue
        before, now = scored[visits[at - 1].id]["overall"]["score"], scored[a.id]["overall"]["score"]
        if before is not None and now is not None and now < before:
            rose.add((a.client.name, visits[at - 1].date, a.date, round(before, 1), round(now, 1)))

    due = set()
    for visits in by_client.values():
        last = visits[-1]
        follow = last.assessment.follow_up
        if in_range(last) and follow is not None and follow < TODAY:
            due.add((last.client.name, follow, (TODAY - follow).days))

    return {
        "audits": len(chosen),
        "homes": len(latest),
        "hazards": {item: (n, n / len(latest)) for item, n in counts.items()},
        "actions": (len(actions), done, declined),
        "median_days": statistics.median(days) if days else None,
        "months": dict(months),
        "rose": rose,
        "due": due,
    }


def figures(result):
    return {
        "audits": result.audits,
        "homes": result.homes,
        "hazards": {h.item_id: (h.homes, pytest.approx(h.share)) for h in result.hazards},
        "actions": (result.actions.total, result.actions.done, result.actions.declined),
        "median_days": result.actions.median_days_to_done,
        "months": {m.month: m.audits for m in result.months},
        "rose": {
            (r.client, r.previous_date, r.latest_date, round(r.previous_score, 1), round(r.latest_score, 1))
            for r in result.risk_rose
        },
        "due": {(f.client, f.follow_up, f.days_overdue) for f in result.follow_up_due},
    }


def _overview(store, library, **filters):
    return overview.practice_overview(overview.read(store), library, today=TODAY, **filters)


FILTERS = [
    {},
    {"since": dt.date(2026, 4, 1)},
    {"until": dt.date(2026, 6, 30)},
    {"since": dt.date(2026, 3, 1), "until": dt.date(2026, 9, 30), "auditor": "Ann Lee"},
    {"auditor": "Chidi Okafor"},
]


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: ",".join(f"{k}={v}" for k, v in f.items()) or "all")
def test_every_figure_matches_the_plain_computation(practice, library, filters):
    expected = plain_overview(practice, library, **filters)
    got = figures(_overview(practice, library, **filters))
    assert got["audits"] == expected["audits"] and got["homes"] == expected["homes"]
    assert got["hazards"] == expected["hazards"]
    assert got["actions"] == expected["actions"]
    assert got["median_days"] == expected["median_days"]
    assert got["months"] == expected["months"]
    assert got["rose"] == expected["rose"]
    assert got["due"] == expected["due"]


def test_the_fixture_exercises_every_figure(practice, library):
    result = _overview(practice, library)
    assert result.audits == 36 and result.homes == 12
    assert result.actions.done and result.actions.declined and result.actions.open
    assert result.risk_rose and len(result.risk_rose) < 12
    assert result.follow_up_due and len(result.follow_up_due) < 12
    months = {m.month: m.audits for m in result.months}
    assert sum(months.values()) == 36 and months["2026-07"] == 0  # a month without an audit is there too
    assert list(months) == sorted(months) and min(months) == "2026-01"
    assert result.auditors == ("Ann Lee", "Chidi Okafor", "Priya Shah")


def test_hazards_come_most_common_first_with_their_words(practice, library):
    hazards = _overview(practice, library).hazards
    assert [h.homes for h in hazards] == sorted((h.homes for h in hazards), reverse=True)
    top = hazards[0]
    item = library.items[top.item_id]
    assert top.hazard == item.hazard and top.room == library.room_name(item.room)


def test_shares_of_actions_add_up(practice, library):
    actions = _overview(practice, library).actions
    assert actions.done + actions.declined + actions.open == actions.total
    assert actions.done_share == pytest.approx(actions.done / actions.total)
    assert actions.declined_share == pytest.approx(actions.declined / actions.total)


def test_the_scores_from_the_frames_are_the_engines_scores(practice, library):
    frames = overview.read(practice)
    audits = overview._audits(frames.audits)
    scores = overview._scores(frames.answers, audits, library)
    engine = scoring.score_many(practice.load_audits(list(audits["audit_id"])), library).set_index("id")
    for audit_id, score, risk in zip(audits["audit_id"], scores["score"], scores["risk_level"], strict=True):
        assert scoring._optional(score) == scoring._optional(engine.loc[audit_id, "score"])
        assert risk == engine.loc[audit_id, "risk_level"]


def test_a_risk_rise_is_a_lower_score_than_the_visit_before(practice, library):
    for rise in _overview(practice, library).risk_rose:
        assert rise.latest_score < rise.previous_score and rise.change < 0
        assert rise.previous_date < rise.latest_date


def test_an_empty_database_gives_an_empty_overview(tmp_path, library):
    with connect(tmp_path / "empty.db") as store:
        result = _overview(store, library)
    assert (result.audits, result.homes, result.hazards, result.months, result.risk_rose, result.follow_up_due) == (
        0,
        0,
        (),
        (),
        (),
        (),
    )
    assert result.actions.total == 0 and result.actions.done_share is None and result.actions.median_days_to_done is None
    assert "Audits,0" in overview.to_csv(result)
    assert load_workbook(io.BytesIO(overview.to_xlsx(result))).sheetnames


def test_an_answer_the_library_no_longer_has_is_left_out(tmp_path, library):
    with connect(tmp_path / "old.db") as store:
        audit = Audit(
            id="old",
            date=dt.date(2026, 2, 1),
            client=Client(name="Old"),
            rooms=[RoomVisit(room="bathroom", answers={"bathroom.grab_bar_toilet": Answer(value="no")})],
        )
        store.create_audit(audit)
        with store._write() as db:  # an item the checklist no longer has
            db.execute("UPDATE answers SET item_id = 'bathroom.gone' WHERE audit_id = 'old'")
        store.create_audit(audit.model_copy(update={"id": "new"}))
        result = _overview(store, library)
    assert [(h.item_id, h.homes) for h in result.hazards] == [("bathroom.grab_bar_toilet", 1)]


# ---- the store's tables ---------------------------------------------------------------------------


def test_the_answer_frame_holds_every_given_answer_once(practice):
    frame = practice.answer_frame()
    given = [(a.id, v, i, x.value) for a in practice.load_audits() for v, i, x in a.answers() if x.value is not None]
    rows = [
        (a, v, i, t if isinstance(t, str) else n)
        for a, v, i, t, n in zip(frame.audit_id, frame.visit, frame.item_id, frame.value_text, frame.value_number, strict=True)
    ]
    assert sorted(rows, key=str) == sorted(given, key=str)
    assert set(frame.columns) >= {"audit_date", "client_name", "auditor_name", "auditor_role", "room", "label", "present", "unit"}
    resident = frame[frame.visit == RESIDENT_VISIT]
    assert resident.room.isna().all() and resident.present.all()


def test_the_answer_frame_filters_by_date_and_auditor(practice):
    frame = practice.answer_frame(since=dt.date(2026, 5, 1), until=dt.date(2026, 8, 31), auditor="Ann Lee")
    assert len(frame) and set(frame.auditor_name) == {"Ann Lee"}
    assert frame.audit_date.min() >= dt.datetime(2026, 5, 1) and frame.audit_date.max() <= dt.datetime(2026, 8, 31)


def test_a_word_holding_the_separator_is_still_read_whole(tmp_path, library):
    with connect(tmp_path / "odd.db") as store:
        store.create_audit(
            Audit(
                id="odd",
                client=Client(name="Odd"),
                rooms=[RoomVisit(room="bathroom", answers={"bathroom.grab_bar_toilet": Answer(value="no")})],
            )
        )
        store.save_answer("odd", 0, "bathroom.grab_bar_toilet", "a\x1fb")
        frame = store.answer_frame()
    assert list(frame.value_text) == ["a\x1fb"]


def test_plan_edits_come_with_their_state_and_day(practice):
    edits = practice.plan_edit_frame()
    assert set(edits.state) == {"open", "done", "declined"}
    done = edits[edits.state == "done"]
    assert done.done_on.notna().any() and done.done_on.isna().any()  # some marked done without a day
    assert edits.updated_at.notna().all()


# ---- downloads ----------------------------------------------------------------------------------


def _csv_tables(text):
    tables, current = {}, None
    for row in csv.reader(io.StringIO(text)):
        if not row:
            current = None
        elif current is None:
            current = tables.setdefault(row[0], [])
        else:
            current.append(row)
    return tables


def test_the_csv_holds_every_table(practice, library):
    result = _overview(practice, library)
    tables = _csv_tables(overview.to_csv(result))
    assert list(tables) == ["Summary", "Most common hazards", "Audits per month", "Risk rose", "Follow-up due"]
    summary = dict(tables["Summary"][1:])
    assert summary["Audits"] == "36" and summary["Homes"] == "12"
    assert summary["Actions done"] == str(result.actions.done)
    hazards = tables["Most common hazards"]
    assert hazards[0] == ["Item", "Room", "Hazard", "Homes", "Share of homes"]
    assert [row[0] for row in hazards[1:]] == [h.item_id for h in result.hazards]
    assert tables["Audits per month"][1:] == [[m.month, str(m.audits)] for m in result.months]
    assert len(tables["Follow-up due"]) == len(result.follow_up_due) + 1


def test_the_xlsx_has_one_sheet_per_table(practice, library):
    result = _overview(practice, library)
    book = load_workbook(io.BytesIO(overview.to_xlsx(result)))
    assert book.sheetnames == ["Summary", "Hazards", "Audits per month", "Risk rose", "Follow-up due"]
    hazards = list(book["Hazards"].values)
    assert hazards[0] == ("Item", "Room", "Hazard", "Homes", "Share of homes")
    assert [(row[0], row[3]) for row in hazards[1:]] == [(h.item_id, h.homes) for h in result.hazards]
    assert book["Hazards"]["E2"].number_format == "0.0%"
    due = list(book["Follow-up due"].values)[1:]
    assert [(row[3].date(), row[4]) for row in due] == [(f.follow_up, f.days_overdue) for f in result.follow_up_due]
    assert overview.to_xlsx(result) == overview.to_xlsx(result)  # the same bytes each time


def test_a_client_named_like_a_formula_stays_text(practice, library):
    result = _overview(practice, library)
    shown = [r.client for r in result.risk_rose] + [f.client for f in result.follow_up_due]
    text = overview.to_csv(result)
    book = load_workbook(io.BytesIO(overview.to_xlsx(result)))
    cells = [c.value for sheet in book for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@"))]
    assert "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text
    assert HOSTILE in shown and "'" + HOSTILE in cells


def test_a_formula_in_a_hazard_table_is_made_literal():
    result = overview.Overview(
        today=TODAY,
        since=None,
        until=None,
        auditor="@SUM(A1)",
        audits=1,
        homes=1,
        hazards=(overview.CommonHazard("x.y", "+Room", "-Hazard", 1, 1.0),),
        actions=overview.ActionFigures(0, 0, 0, 0, None, None, None),
        months=(),
        risk_rose=(),
        follow_up_due=(overview.FollowUpDue(HOSTILE, " =1+1", TODAY, TODAY, 0, "\tTab"),),
    )
    rows = list(csv.reader(io.StringIO(overview.to_csv(result))))
    flat = [cell for row in rows for cell in row]
    assert "'@SUM(A1)" in flat and "'+Room" in flat and "'-Hazard" in flat and "'" + HOSTILE in flat and "' =1+1" in flat
    book = load_workbook(io.BytesIO(overview.to_xlsx(result)))
    assert book["Hazards"]["B2"].value == "'+Room" and book["Follow-up due"]["A2"].value == "'" + HOSTILE
    assert book["Summary"]["B4"].value == "'@SUM(A1)"


def test_a_practice_server_gives_the_same_tables_as_the_sqlite_file(practice, postgres_url, library):
    """The overview's tables read the same from PostgreSQL (its own string aggregation, filters and
    types) as from SQLite, for the same 36 audits, plan edits and filters."""
    with connect(postgres_url) as server:
        for audit in practice.load_audits():
            server.create_audit(audit)
            for edit in practice.plan_edits(audit.id):
                server.save_plan_edit(
                    audit.id,
                    edit.item_id,
                    edit.visit,
                    state=edit.state,
                    done_on=edit.done_on,
                    who=edit.who,
                    due=edit.due,
                    helper=edit.helper,
                    reason=edit.reason,
                )
        for filters in ({}, {"since": dt.date(2026, 4, 1), "until": dt.date(2026, 9, 30)}, {"auditor": AUDITORS[1][0]}):
            sqlite_frames, server_frames = practice.practice_frames(**filters), server.practice_frames(**filters)
            for name in ("audits", "answers", "plan_edits"):
                ours, theirs = (
                    frame.drop(columns=["updated_at"], errors="ignore").astype(object).fillna(-1)
                    for frame in (server_frames[name], sqlite_frames[name])
                )
                key = [c for c in ("audit_id", "visit", "item_id") if c in ours.columns]
                ours, theirs = (f.sort_values(key).reset_index(drop=True) for f in (ours, theirs))
                assert len(ours) > 0, (name, filters)
                pd.testing.assert_frame_equal(ours, theirs, check_dtype=False, obj=f"{name} {filters}")
