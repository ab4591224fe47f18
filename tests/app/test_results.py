"""Results page: risk and score, charts, the ranked plan as cards (or the table), and the downloads.

A tap on a card re-runs that card (and the few fragments that show the plan's state), not the page:
AppTest then holds only what was re-drawn, which is how these tests see that the page did not run.
"""

from __future__ import annotations

import datetime as dt
import itertools

from streamlit.testing.v1.element_tree import HeadingBase

from homeaudit import RESIDENT_VISIT, PlanEdit, score
from homeaudit.app import plan
from homeaudit.app.results import LATER_KEY, VIEW_KEY
from homeaudit.report import ReportOptions

from apptools import all_text, hazardous, ok, open_page


def test_results_show_the_risk_the_score_and_what_to_do_first(db, make_audit, library):
    audit_id = hazardous(db, make_audit, library)
    at = open_page("results", audit_id)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Risk of a fall at home"] == "High risk"
    assert metrics["Home safety score"].endswith("/ 100")
    assert int(metrics["Things to do"]) > 0
    assert "Do these first" in [h.value for h in at.header]
    assert "not answered yet" in all_text(at)
    assert len(at.get("vega_lite_chart")) == 2


def test_the_plan_table_lists_every_action_in_rank_order_with_its_room(db, make_audit, library):
    audit_id = hazardous(db, make_audit, library)
    at = table_view(open_page("results", audit_id))
    [table] = at.data_editor
    shown = table.value
    assert list(shown["#"]) == list(range(1, len(shown) + 1))
    assert set(shown["Where"]) <= {"Bathroom", "The resident"}
    assert not shown["Done"].any()


def test_the_table_view_still_saves_done_who_and_a_due_date(db, make_audit, library):
    audit_id = hazardous(db, make_audit, library)
    at = table_view(open_page("results", audit_id))
    [table] = at.data_editor
    first = table.value.iloc[1]
    at.session_state[table.key] = {
        "edited_rows": {1: {"Done": True, "Who": "Handyperson", "Due": "2030-05-01"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    ok(at.run())
    item_id, visit = first["item_id"], int(first["visit"])
    assert db.plan_edits(audit_id) == [
        PlanEdit(item_id, visit, done=True, who="handyperson", due=dt.date(2030, 5, 1), done_on=dt.date.today())
    ]
    assert at.data_editor, "the table stays the view chosen"
    again = table_view(open_page("results", audit_id))
    row = again.data_editor[0].value.iloc[1]
    assert (row["Done"], row["Who"]) == (True, "Handyperson")
    assert "1 of" in all_text(again)


def test_the_table_view_keeps_what_the_cards_recorded_beyond_done_who_and_due(db, make_audit, library):
    audit_id = hazardous(db, make_audit, library)
    at = table_view(open_page("results", audit_id))
    [table] = at.data_editor
    first = table.value.iloc[0]
    item_id, visit = first["item_id"], int(first["visit"])
    db.save_plan_edit(audit_id, item_id, visit, state="declined", reason="Not now", helper="Sam")
    at = table_view(open_page("results", audit_id))
    [table] = at.data_editor
    at.session_state[table.key] = {"edited_rows": {0: {"Due": "2030-05-01"}}, "added_rows": [], "deleted_rows": []}
    ok(at.run())
    [edit] = db.plan_edits(audit_id)
    assert (edit.state, edit.reason, edit.helper, edit.due) == ("declined", "Not now", "Sam", dt.date(2030, 5, 1))


def table_view(at):
    """The page with the plan shown as the table (the OT's view on a wide screen)."""
    return ok(at.segmented_control(key=VIEW_KEY).set_value("table").run())


def actions_of(db, library, audit_id):
    return score(db.load_audit(audit_id), library).actions


def card(at, action, state="open"):
    """An action's card as drawn ("open" or "done")."""
    return at.main.get_by_key(f"plan-{state}-{plan.card_key(action)}")


def control(audit_id, action, part):
    return plan.widget_key(audit_id, action, part)


# --------------------------------------------------------------------------- the plan as cards


def test_the_plan_shows_as_cards_by_band_with_every_word_of_each_action(db, make_audit, library):
    audit_id = hazardous(db, make_audit, library)
    at = open_page("results", audit_id)
    assert at.segmented_control(key=VIEW_KEY).value == "cards" and not at.data_editor
    assert [h.value for h in at.subheader][:3] == ["This week", "Soon: this month", "Later: in the next three months"]
    actions = actions_of(db, library, audit_id)
    first = actions[0]
    text = " ".join(m.value for m in card(at, first).markdown).replace("\\", "")
    assert first.action in text and first.why in text and "Cost:" in text
    assert at.checkbox(key=control(audit_id, first, "done")).label == "Done"
    assert at.selectbox(key=control(audit_id, first, "who")).value == first.who
    assert at.date_input(key=control(audit_id, first, "due")).value == first.due
    assert "0 of" in at.get("progress")[0].proto.text


def test_later_is_folded_and_its_cards_are_drawn_only_when_it_is_opened(db, make_audit, library):
    audit_id = hazardous(db, make_audit, library)
    later = [a for a in actions_of(db, library, audit_id) if a.band == "later"]
    assert later
    at = open_page("results", audit_id)
    [folded] = [e for e in at.expander if e.label.startswith("Show its")]
    assert folded.label == ("Show its action" if len(later) == 1 else f"Show its {len(later)} actions")
    assert control(audit_id, later[0], "done") not in [c.key for c in at.checkbox]
    at.session_state[LATER_KEY] = True
    ok(at.run())
    assert card(at, later[0]).checkbox[0].key == control(audit_id, later[0], "done")


def test_a_long_later_band_is_drawn_ten_cards_at_a_time(db, make_audit, library):
    audit_id = make_audit(rooms=("entrance", "hallway", "living_room", "kitchen", "bathroom", "bedroom"))
    for visit, room in enumerate(("entrance", "hallway", "living_room", "kitchen", "bathroom", "bedroom")):
        for item in library.room(room).items:
            if item.answer_type == "yes_no":
                db.save_answer(audit_id, visit, item.id, item.hazard_options[0])
    later = [a for a in actions_of(db, library, audit_id) if a.band == "later"]
    assert len(later) > plan.LATER_PAGE + 1
    at = open_page("results", audit_id)
    at.session_state[LATER_KEY] = True
    ok(at.run())

    def drawn() -> int:
        keys = {c.key for c in at.checkbox}
        return sum(1 for a in later if control(audit_id, a, "done") in keys)

    assert drawn() == plan.LATER_PAGE
    ok(at.button(key="plan_later_more").click().run())
    assert drawn() == min(len(later), 2 * plan.LATER_PAGE)


def test_ticking_done_on_a_card_saves_it_at_once_and_redraws_that_card_as_done(db, make_audit, library):
    audit_id = hazardous(db, make_audit, library)
    first, second = actions_of(db, library, audit_id)[:2]
    at = open_page("results", audit_id)
    ok(at.checkbox(key=control(audit_id, first, "done")).check().run())
    assert db.plan_edits(audit_id) == [
        PlanEdit(first.item_id, first.visit, done=True, who=first.who, due=first.due, done_on=dt.date.today())
    ]
    assert [t.value for t in at.toast] == ["Saved\\: action 1 marked done"]
    done = card(at, first, "done")
    assert done.markdown[0].value.startswith(":green-badge[:material/check: Done] ~~")
    # Only the card and what shows the plan's state ran again: not the charts, not the title.
    assert not at.title and not at.get("vega_lite_chart")
    assert "1 of" in at.get("progress")[0].proto.text
    assert second.hazard in " ".join(m.value for m in at.markdown).replace("\\", "")  # "Do these first" moved on
    # ... and it can be undone.
    ok(at.checkbox(key=control(audit_id, first, "done")).uncheck().run())
    assert db.plan_edits(audit_id)[0].done is False
    assert card(at, first, "open").checkbox[0].value is False
    assert "marked not done" in all_text(at)


def test_who_and_the_due_date_are_saved_from_the_card_with_the_change_in_words(db, make_audit, library):
    audit_id = hazardous(db, make_audit, library)
    first = actions_of(db, library, audit_id)[1]
    at = open_page("results", audit_id)
    ok(at.selectbox(key=control(audit_id, first, "who")).set_value("electrician").run())
    assert db.plan_edits(audit_id) == [PlanEdit(first.item_id, first.visit, done=False, who="electrician", due=first.due)]
    assert "action 2 to be done by: electrician" in all_text(at)
    ok(at.date_input(key=control(audit_id, first, "due")).set_value(dt.date(2030, 5, 1)).run())
    assert db.plan_edits(audit_id)[0].due == dt.date(2030, 5, 1)
    assert "action 2 due by 1 May 2030" in all_text(at)
    again = open_page("results", audit_id)  # a new visit of the page shows what was saved
    assert again.selectbox(key=control(audit_id, first, "who")).value == "electrician"
    assert again.date_input(key=control(audit_id, first, "due")).value == dt.date(2030, 5, 1)


def test_a_tick_the_database_refuses_says_so_and_the_card_stays_as_saved(db, make_audit, library, monkeypatch):
    from homeaudit.store import Store, StoreError

    audit_id = hazardous(db, make_audit, library)
    first = actions_of(db, library, audit_id)[0]
    at = open_page("results", audit_id)

    def locked(*args, **kwargs):
        raise StoreError("the database is busy")

    monkeypatch.setattr(Store, "save_plan_edit", locked)
    ok(at.checkbox(key=control(audit_id, first, "done")).check().run())
    assert db.plan_edits(audit_id) == []
    assert card(at, first, "open").checkbox[0].value is False
    assert "NOT saved: the database is busy" in all_text(at)
    assert not any(t.value.startswith("Saved") for t in at.toast)


def test_an_emptied_date_goes_back_to_the_suggested_one_and_no_none_is_ever_shown(db, make_audit, library):
    audit_id = hazardous(db, make_audit, library)
    first = actions_of(db, library, audit_id)[0]
    db.save_plan_edit(audit_id, first.item_id, first.visit, due=dt.date(2030, 5, 1))
    at = open_page("results", audit_id)
    ok(at.date_input(key=control(audit_id, first, "due")).set_value(None).run())
    assert db.plan_edits(audit_id)[0].due is None
    assert at.date_input(key=control(audit_id, first, "due")).value == first.due
    assert "back to the suggested date" in all_text(at)
    whole = open_page("results", audit_id)
    shown = all_text(whole) + " ".join(str(w.value) for w in [*whole.selectbox, *whole.date_input])
    assert "None" not in shown and "none" not in shown.replace("nonetheless", "")


def test_a_change_on_a_card_offers_the_pdf_made_again_and_the_csv_as_saved(db, make_audit, library):
    audit_id = hazardous(db, make_audit, library)
    first = actions_of(db, library, audit_id)[0]
    at = open_page("results", audit_id)
    ok(at.button(key="make_pdf").click().run())
    assert [b for b in at.get("download_button") if b.label.startswith("Download the action plan")]
    ok(at.checkbox(key=control(audit_id, first, "done")).check().run())
    assert [b.key for b in at.button if b.key == "make_pdf"], "the PDF made before the tick is not offered"
    csv = plan.csv_builder(db, score(db.load_audit(audit_id), library))()
    assert csv.splitlines()[1].startswith("yes,1,")


def test_headings_never_skip_a_level(db, make_audit, library):
    """axe heading-order: h1, then h2 for each section, h3 only under an h2."""
    audit_id = hazardous(db, make_audit, library)
    at = open_page("results", audit_id)
    levels = [int(node.proto.tag[1]) for node in at.main if isinstance(node, HeadingBase)]
    assert levels[0] == 1 and all(b <= a + 1 for a, b in itertools.pairwise(levels)), levels
    assert not any(m.value.lstrip().startswith("#") for m in at.markdown)


def test_downloads_offer_the_audit_file_and_the_csv_built_only_when_clicked_and_the_pdf_when_asked(db, make_audit, library):
    audit_id = hazardous(db, make_audit, library)
    at = open_page("results", audit_id)
    labels = {b.label for b in at.get("download_button")}
    assert {"Audit file (YAML)", "Action plan (CSV)"} <= labels  # and the reminders (tests/app/test_reminders_page.py)
    assert all(b.proto.deferred_file_id for b in at.get("download_button"))
    ok(at.button(key="make_pdf").click().run())
    [pdf_button] = [b for b in at.get("download_button") if b.label == "Download the action plan (PDF)"]
    assert pdf_button.proto.file_name if hasattr(pdf_button.proto, "file_name") else True
    audit = db.load_audit(audit_id)
    result = score(audit, library)
    pdf = plan.pdf_builder(audit, result, library, plan.photo_loader(db, audit_id), ReportOptions())()
    assert pdf.startswith(b"%PDF")
    csv = plan.csv_builder(db, result)()
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


def test_this_week_says_one_visit_to_the_doctor_covers_the_doctors_jobs(db, library):
    from homeaudit import load_audit
    from homeaudit.plan import doctor_visit_words, one_doctor_visit

    from audit_builders import EXAMPLES

    audit = load_audit(EXAMPLES / "family-first-look.yaml", library)
    audit_id = db.create_audit(audit)
    visit = one_doctor_visit(score(audit, library).actions)
    assert visit is not None
    at = open_page("results", audit_id)
    [box] = [i.value.replace("\\", "").replace("\u2060", "") for i in at.info if "One visit to the doctor" in i.value]
    assert box == "**One visit to the doctor** " + doctor_visit_words(visit).strip()
    assert all(f"({action.rank})" in box for action in visit.also)


def test_the_audit_file_download_names_no_photo_the_command_line_cannot_read(db, make_audit, library, tmp_path):
    """The database's own photo references (photo:1) in the YAML made every command refuse it;
    the photos travel in the zip."""
    from homeaudit import cli

    from apptools import png_bytes

    audit_id = make_audit()
    item = library.room("bathroom").items[0]
    visit = next(n for n, room in enumerate(db.load_audit(audit_id).rooms) if room.room == "bathroom")
    db.save_answer(audit_id, visit, item.id, "no")
    db.add_photo(audit_id, visit, item.id, "rail.png", png_bytes((40, 30)), "image/png")
    assert db.load_audit(audit_id).rooms[visit].answers[item.id].photos  # the database names it photo:…
    text = plan.yaml_builder(db.load_audit(audit_id))()
    assert "photo:" not in text
    path = tmp_path / "download.yaml"
    path.write_text(text, encoding="utf-8")
    assert cli.main(["score", str(path)]) == 0
    assert cli.main(["report", str(path), "-o", str(tmp_path / "plan.pdf")]) == 0
