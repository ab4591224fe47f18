"""Results page: risk and score, charts, the ranked plan to edit, and the three downloads."""

from __future__ import annotations

import datetime as dt

from homeaudit import RESIDENT_VISIT, PlanEdit, score
from homeaudit.app import plan
from homeaudit.report import ReportOptions

from apptools import all_text, ok, open_page


def hazardous(db, make_audit, library):
    """An audit with a few hazards in the bathroom and a resident who fell this year."""
    audit_id = make_audit(rooms=("entrance", "bathroom"))
    for item in library.room("bathroom").items:
        if item.answer_type == "yes_no":
            db.save_answer(audit_id, 1, item.id, "no" if "no" in item.hazard_options else "yes")
    db.save_answer(audit_id, RESIDENT_VISIT, "resident.fallen_past_year", "yes")
    return audit_id


def test_results_show_the_risk_the_score_and_what_to_do_first(db, make_audit, library):
    audit_id = hazardous(db, make_audit, library)
    at = open_page("results", audit_id)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Risk of a fall at home"] == "High risk"
    assert metrics["Home safety score"].endswith("/ 100")
    assert int(metrics["Things to do"]) > 0
    assert "Do these first" in [s.value for s in at.subheader]
    assert "not answered yet" in all_text(at)
    assert len(at.get("vega_lite_chart")) == 2


def test_the_plan_table_lists_every_action_in_rank_order_with_its_room(db, make_audit, library):
    audit_id = hazardous(db, make_audit, library)
    at = open_page("results", audit_id)
    [table] = at.data_editor
    shown = table.value
    assert list(shown["#"]) == list(range(1, len(shown) + 1))
    assert set(shown["Where"]) <= {"Bathroom", "The resident"}
    assert not shown["Done"].any()


def test_marking_an_action_done_choosing_who_and_a_due_date_is_saved(db, make_audit, library):
    audit_id = hazardous(db, make_audit, library)
    at = open_page("results", audit_id)
    [table] = at.data_editor
    first = table.value.iloc[1]
    at.session_state[table.key] = {
        "edited_rows": {1: {"Done": True, "Who": "Handyperson", "Due": "2030-05-01"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    ok(at.run())
    assert db.plan_edits(audit_id) == [
        PlanEdit(first["item_id"], int(first["visit"]), done=True, who="handyperson", due=dt.date(2030, 5, 1))
    ]
    again = open_page("results", audit_id)
    row = again.data_editor[0].value.iloc[1]
    assert (row["Done"], row["Who"]) == (True, "Handyperson")
    assert "1 of" in all_text(again)


def test_downloads_offer_the_audit_file_and_the_csv_built_only_when_clicked_and_the_pdf_when_asked(db, make_audit, library):
    audit_id = hazardous(db, make_audit, library)
    at = open_page("results", audit_id)
    labels = {b.label for b in at.get("download_button")}
    assert labels == {"Audit file (YAML)", "Action plan (CSV)"}
    assert all(b.proto.deferred_file_id for b in at.get("download_button"))
    ok(at.button(key="make_pdf").click().run())
    [pdf_button] = [b for b in at.get("download_button") if b.label == "Download the action plan (PDF)"]
    assert pdf_button.proto.file_name if hasattr(pdf_button.proto, "file_name") else True
    audit = db.load_audit(audit_id)
    result = score(audit, library)
    pdf = plan.pdf_builder(audit, result, library, plan.photo_loader(db, audit_id), ReportOptions())()
    assert pdf.startswith(b"%PDF")
    csv = plan.csv_builder(plan.plan_frame(result))()
    assert csv.splitlines()[0] == ",".join(plan.PLAN_COLUMNS)
    assert plan.yaml_builder(audit)().startswith("format: homeaudit/1")


def test_a_report_that_cannot_be_made_says_why_on_the_page(db, make_audit, library, monkeypatch):
    from homeaudit.app import results
    from homeaudit.report import ReportError

    def broken(*args, **kwargs):
        return lambda: (_ for _ in ()).throw(ReportError("the report could not be laid out: a row is taller than a page"))

    audit_id = hazardous(db, make_audit, library)
    monkeypatch.setattr(results.plan, "pdf_builder", broken)
    at = open_page("results", audit_id)
    ok(at.button(key="make_pdf").click().run())
    assert any("The PDF could not be made" in e.value for e in at.error)


def test_a_warning_sign_tells_the_reader_to_see_a_doctor(db, make_audit, library):
    audit_id = make_audit()
    sign = next(i for i in library.room("resident").items if i.screen == "warning_sign")
    db.save_answer(audit_id, RESIDENT_VISIT, sign.id, "yes")
    at = open_page("results", audit_id)
    assert any("See a doctor" in e.value for e in at.error)


def test_without_an_open_audit_results_point_to_the_start_page(db):
    assert "Open an audit first" in all_text(open_page("results"))
