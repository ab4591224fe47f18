"""Practice overview page: the figures, the filters and the downloads; an empty database says so."""

from __future__ import annotations

import datetime as dt

from streamlit.testing.v1 import AppTest

from homeaudit.audit import Answer, Audit, Auditor, Client, RoomVisit

from apptools import APP, all_text, headers, ok

PAGE = "homeaudit/app/overview.py"


def open_overview() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.run()
    return ok(at.switch_page(PAGE).run())


def _visit(db, library, client, date, auditor, hazard):
    items = library.items_of("bathroom")
    answers = {i.id: Answer(value=("no" if hazard else "yes")) for i in items if i.answer_type == "yes_no"}
    return db.create_audit(
        Audit(
            id=f"{client.id}-{date}",
            date=date,
            auditor=auditor,
            client=client,
            rooms=[RoomVisit(room="bathroom", answers=answers)],
        )
    )


def _practice(db, library):
    ann, bob = Auditor(name="Ann Lee", role="ot"), Auditor(name="Bob <b>Jones</b>", role="family")
    zoe = Client(id="client-00000000000a", name="Zoë *Kowalczyk*", address="12 Elm St")
    ray = Client(id="client-00000000000b", name="Ray Smith", address="3 Oak Rd")
    _visit(db, library, zoe, dt.date(2026, 3, 2), ann, hazard=False)
    _visit(db, library, zoe, dt.date(2026, 5, 4), ann, hazard=True)  # worse than before: risk rose
    first = _visit(db, library, ray, dt.date(2026, 4, 6), bob, hazard=True)
    db.save_plan_edit(first, "bathroom.grab_bar_toilet", 0, state="done", done_on=dt.date(2026, 4, 20))


def test_an_empty_database_says_there_are_no_audits_yet(db):
    at = open_overview()
    assert "Practice overview" in [t.value for t in at.title]
    assert "No audits yet" in all_text(at)
    assert not at.get("download_button")


def test_the_page_shows_the_figures_and_the_downloads(db, library):
    _practice(db, library)
    at = open_overview()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Audits"] == "3" and metrics["Homes"] == "2"
    assert metrics["Median days to done"] == "14"
    assert metrics["Actions done"].endswith("%")
    assert headers(at)[:2] == ["Most common hazards", "Audits per month"]
    assert "Risk rose (1)" in headers(at)
    text = all_text(at)
    assert "Zoë *Kowalczyk*" in text  # shown literally: no Markdown made of a name
    assert len(at.get("download_button")) == 2


def test_choosing_an_auditor_narrows_the_figures(db, library):
    _practice(db, library)
    at = open_overview()
    ok(at.selectbox(key="overview_auditor").select("Bob <b>Jones</b>").run())
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Audits"] == "1" and metrics["Homes"] == "1"
    assert "Risk rose (0)" in headers(at)


def test_a_date_range_with_no_audit_says_so(db, library):
    _practice(db, library)
    at = open_overview()
    at.date_input(key="overview_since").set_value(dt.date(2026, 3, 10))
    ok(at.date_input(key="overview_until").set_value(dt.date(2026, 3, 20)).run())
    assert "No audit matches these dates and auditor." in all_text(at)
