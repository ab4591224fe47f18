"""Results page, "Since the last visit": shown for a re-audit, with what was fixed, what is new,
what is still to do (a fix marked done that did not hold said in words) and the score change;
absent for a first visit. Labels typed by the user are shown as text."""

from __future__ import annotations

from homeaudit.app.since import TITLE
from homeaudit.app.widgets import md
from homeaudit.words import DONE_BUT_HAZARD, whole

from apptools import all_text, headers, open_page

LABEL = "**Main** [bathroom](http://x.example)"


def revisit(db, make_audit, library):
    """A first visit with three bathroom hazards, one marked done; a re-audit with one fixed,
    one still there (the one marked done) and one new."""
    first = make_audit(rooms=("entrance", "bathroom"))
    db.rename_room(first, 1, LABEL)
    fixed, still, new = [i for i in library.room("bathroom").items if i.answer_type == "yes_no"][:3]

    def hazard(item):
        return item.hazard_options[0]

    def safe(item):
        return next(v for v in item.option_values if v not in item.hazard_options and v != "na")

    for item, value in ((fixed, hazard(fixed)), (still, hazard(still)), (new, safe(new))):
        db.save_answer(first, 1, item.id, value)
    db.save_plan_edit(first, item_id=still.id, visit=1, done=True)
    second = db.duplicate_audit(first)
    db.save_answer(second, 1, fixed.id, safe(fixed))
    db.save_answer(second, 1, new.id, hazard(new))
    db.confirm_answers(second, [(1, still.id)])  # looked at again: still there
    return first, second, (fixed, still, new)


def test_an_answer_copied_from_the_last_visit_says_nothing_until_it_is_confirmed(db, make_audit, library):
    """Straight after "New visit" nobody has looked: a fix marked done is not "still a hazard" yet."""
    first = make_audit(rooms=("entrance", "bathroom"))
    item = next(i for i in library.room("bathroom").items if i.answer_type == "yes_no")
    db.save_answer(first, 1, item.id, item.hazard_options[0])
    db.save_plan_edit(first, item_id=item.id, visit=1, state="done")
    second = db.duplicate_audit(first)
    at = open_page("results", second)
    assert DONE_BUT_HAZARD not in all_text(at)
    assert "1 answer copied from the last visit and not confirmed yet is left out" in all_text(at)
    db.confirm_answers(second)
    assert DONE_BUT_HAZARD in all_text(open_page("results", second))


def test_a_re_audit_shows_what_changed_since_the_last_visit(db, make_audit, library):
    _, second, (fixed, still, new) = revisit(db, make_audit, library)
    at = open_page("results", second)
    assert TITLE in headers(at)
    subheaders = [h.value for h in at.subheader]
    assert {"Fixed (1)", "New (1)", "Still to do (1)"} <= set(subheaders)
    text = all_text(at)
    assert fixed.hazard in text and new.hazard in text and still.hazard in text
    assert DONE_BUT_HAZARD in " ".join(w.value for w in at.warning)
    assert any(DONE_BUT_HAZARD in m.value and md(still.hazard) in m.value for m in at.markdown)
    assert any(m.label == "Home safety score now" for m in at.metric)
    assert r"\*\*Main\*\* \[bathroom\]" in " ".join(m.value for m in at.markdown), "the label is escaped, not Markdown"


def test_a_first_visit_has_no_such_section(db, make_audit, library):
    first, _, _ = revisit(db, make_audit, library)
    at = open_page("results", first)
    assert TITLE not in headers(at)
    assert DONE_BUT_HAZARD not in all_text(at)


def test_the_score_change_is_the_visits_own_while_answers_wait_to_be_confirmed(db, make_audit, library):
    from homeaudit import score

    first, second, _ = revisit(db, make_audit, library)
    db.save_answer(first, 0, library.room("entrance").items[0].id, "yes")
    again = db.duplicate_audit(second)  # every answer waits to be confirmed
    at = open_page("results", again)
    [metric] = [m for m in at.metric if m.label == "Home safety score now"]
    assert metric.value == f"{whole(score(db.load_audit(again), library).overall.score)} / 100"


def test_the_rooms_table_shows_the_figures_the_pdf_and_the_command_line_show():
    import datetime as dt

    import pandas as pd

    from homeaudit.app.since import _rooms_frame
    from homeaudit.compare import Change, Comparison, RoomChange, ScoreChange

    rooms = (
        RoomChange("hallway", "", "Hallway", 1, 1, 54.4, 61.6, 7.2),
        RoomChange("kitchen", "", "Kitchen", 2, 2, 54.5, 54.5, 0.0),
        RoomChange("stairs", "", "Stairs", None, 3, None, 70.0, None),
    )
    day = dt.date(2026, 12, 3)
    change = ScoreChange(Change.between(54.0, 60.0), rooms, ())
    frame = _rooms_frame(Comparison("a", "b", day, day, (), (), (), change))
    assert frame["Last visit"].tolist() == [54, 55, pd.NA]
    assert frame["This visit"].tolist() == [62, 55, 70]
    assert frame["Change"].tolist() == [8, 0, pd.NA]  # 54 -> 62 is +8, as printed beside it
