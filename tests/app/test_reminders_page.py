"""Results page: the calendar download and a button per helper for their list, built on click."""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar

from homeaudit import RESIDENT_VISIT, calendar_actions, helper_lists, score
from homeaudit.app import reminders
from homeaudit.app.reminders import CALENDAR_KEY, CALENDAR_LABEL, helper_key
from homeaudit.app.widgets import md

from apptools import all_text, hazardous, open_page

HELPER = "Sam [son] *the* <b>best</b>"


def plan_of(db, library, audit_id):
    return score(db.load_audit(audit_id), library).with_edits(db.plan_edits(audit_id))


def buttons(at):
    return {b.key: b for b in at.get("download_button") if b.key}


def test_results_offer_the_calendar_and_a_list_for_each_helper(db, make_audit, library):
    audit_id = hazardous(db, make_audit, library)
    first = next(a for a in plan_of(db, library, audit_id).actions if a.visit != RESIDENT_VISIT)
    db.save_plan_edit(audit_id, first.item_id, first.visit, helper=HELPER)
    at = open_page("results", audit_id)
    found = buttons(at)
    assert found[CALENDAR_KEY].label == CALENDAR_LABEL
    assert found[CALENDAR_KEY].proto.deferred_file_id  # built when clicked
    lists = helper_lists(plan_of(db, library, audit_id))
    assert next(iter(lists)) == HELPER
    for helper, jobs in lists.items():
        button = found[helper_key(helper)]
        assert button.label == f"{md(helper)} ({len(jobs)} job{'s' if len(jobs) != 1 else ''})"
        assert button.proto.deferred_file_id
    assert "Reminders and helpers' lists" in [h.value for h in at.subheader]
    dated = len(calendar_actions(plan_of(db, library, audit_id)))
    assert f"each of the {dated} open jobs with a date" in all_text(at)


def test_nothing_to_remind_of_when_every_action_is_done(db, make_audit, library):
    audit_id = hazardous(db, make_audit, library)
    for action in plan_of(db, library, audit_id).actions:
        db.save_plan_edit(audit_id, action.item_id, action.visit, done=True)
    at = open_page("results", audit_id)
    assert CALENDAR_KEY not in buttons(at)
    assert not [k for k in buttons(at) if k.startswith("download_helper_")]


def test_without_dates_the_lists_stay_and_the_calendar_says_how_to_get_one(db, make_audit, library, monkeypatch):
    audit_id = hazardous(db, make_audit, library)
    monkeypatch.setattr(reminders, "calendar_actions", lambda result: ())
    at = open_page("results", audit_id)
    assert CALENDAR_KEY not in buttons(at)
    assert "No open job has a date yet" in all_text(at)
    assert [k for k in buttons(at) if k.startswith("download_helper_")]


def test_the_files_are_built_from_the_edits_saved_when_clicked(db, make_audit, library):
    audit_id = hazardous(db, make_audit, library)
    audit = db.load_audit(audit_id)
    base = score(audit, library)
    build = reminders._calendar_builder(db, audit, base)
    first = next(a for a in base.actions if a.visit != RESIDENT_VISIT)
    db.save_plan_edit(audit_id, first.item_id, first.visit, due=dt.date(2031, 1, 2), helper="Sam")
    dates = [e.decoded("dtstart") for e in Calendar.from_ical(build()).walk("VEVENT")]
    assert dt.date(2031, 1, 2) in dates
    pdf = reminders._list_builder(db, audit, base, "Sam", reminders.ReportOptions())()
    assert pdf.startswith(b"%PDF")
