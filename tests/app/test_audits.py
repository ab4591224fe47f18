"""Audits page: every saved audit with its score; open, re-audit, export, delete."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from homeaudit.app import plan
from homeaudit.audit import loads as parse_audit

from apptools import all_text, headers, ok, open_page


def test_the_list_shows_each_audit_with_client_date_score_and_completion(db, make_audit, library):
    ann = make_audit(name="Ann Smith", role="ot")
    make_audit(name="Bob Jones")
    for item in library.room("entrance").items:
        db.save_answer(ann, 0, item.id, "yes" if item.answer_type == "yes_no" else "na")
    at = open_page("audits")
    text = all_text(at)
    assert "Ann Smith" in text and "Bob Jones" in text
    assert "by an occupational therapist" in text and "score 100 / 100" in text
    assert "% answered" in text


def test_the_search_box_narrows_the_list(make_audit):
    make_audit(name="Ann Smith")
    make_audit(name="Bob Jones")
    at = open_page("audits")
    ok(at.text_input(key="audit_search").input("bob").run())
    text = all_text(at)
    assert "Bob Jones" in text and "Ann Smith" not in text


def test_open_takes_the_audit_to_the_walkthrough(make_audit):
    audit_id = make_audit()
    at = open_page("audits")
    ok(at.button(key=f"open|{audit_id}").click().run())
    assert headers(at) == ["About the resident"] and at.query_params["audit"] == audit_id


def test_a_re_audit_is_a_new_visit_that_starts_from_the_previous_answers(db, make_audit, library):
    old = make_audit()
    item = library.room("bathroom").items[0]
    db.save_answer(old, 1, item.id, "no")
    at = open_page("audits")
    ok(at.button(key=f"reaudit|{old}").click().run())
    assert "Start a new visit" in all_text(at) and len(db.list_audits()) == 1  # asks first
    ok(at.button(key=f"really_reaudit|{old}").click().run())
    new = at.query_params["audit"]
    assert new != old and headers(at) == ["About the resident"]
    assert db.load_audit(new).rooms[1].answers[item.id].value == "no"
    assert db.load_audit(new).date == dt.date.today()
    assert db.previous_id(new) == old
    assert "re-audit of the visit" in all_text(open_page("audits"))


def test_a_new_visit_not_confirmed_creates_nothing(db, make_audit):
    old = make_audit()
    at = open_page("audits")
    ok(at.button(key=f"reaudit|{old}").click().run())
    ok(at.button(key=f"no_reaudit|{old}").click().run())
    assert [a["id"] for a in db.list_audits()] == [old]


def test_delete_asks_first_and_keeping_the_audit_changes_nothing(db, make_audit):
    audit_id = make_audit()
    at = open_page("audits")
    ok(at.button(key=f"delete|{audit_id}").click().run())
    assert "cannot be undone" in all_text(at)
    ok(at.button(key=f"keep|{audit_id}").click().run())
    assert [a["id"] for a in db.list_audits()] == [audit_id]
    assert "cannot be undone" not in all_text(at)


def test_delete_after_confirming_removes_the_audit_and_closes_it(db, make_audit):
    gone, kept = make_audit(name="Ann Smith"), make_audit(name="Bob Jones")
    at = open_page("audits", gone)
    ok(at.button(key=f"delete|{gone}").click().run())
    ok(at.button(key=f"really_delete|{gone}").click().run())
    assert [a["id"] for a in db.list_audits()] == [kept]
    assert "Ann Smith" not in all_text(at) and "deleted" in all_text(at)
    assert "audit" not in at.query_params


def test_each_audit_can_be_exported_as_a_file_built_when_clicked(db, make_audit):
    audit_id = make_audit()
    at = open_page("audits")
    [export] = [b for b in at.get("download_button") if b.label == "Export"]
    assert export.proto.deferred_file_id
    bundle = plan.saved_bundle_builder(db, audit_id)()
    with zipfile.ZipFile(io.BytesIO(bundle)) as opened:
        assert parse_audit(opened.read("audit.yaml").decode()) == db.load_audit(audit_id)


def test_with_no_audits_the_page_says_so(db):
    assert "No audits are saved yet" in all_text(open_page("audits"))


def test_a_long_list_is_shown_a_page_at_a_time_latest_first(db, make_audit):
    from homeaudit.app.audits import PAGE_SIZE

    ids = [make_audit(name=f"Client {n:02d}") for n in range(PAGE_SIZE + 3)]
    at = open_page("audits")
    assert sum(1 for b in at.button if b.label == "Open") == PAGE_SIZE
    assert f"Client {PAGE_SIZE + 2:02d}" in all_text(at)  # the latest
    ok(at.button(key="audits_more").click().run())
    assert sum(1 for b in at.button if b.label == "Open") == len(ids)
