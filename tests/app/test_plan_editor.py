"""The rules of the plan's cards, without a browser: bands, keys, the edit a card saves, the words
of its toast, the date picker's format and range."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from homeaudit.app import plan
from homeaudit.plan import Action, PlanEdit
from homeaudit.words import WHO

AUDIT_DATE = dt.date(2026, 3, 14)


BASE = Action(
    rank=1,
    band="now",
    item_id="bathroom.grab_bar",
    visit=2,
    room="bathroom",
    topic="grab_bars",
    hazard="No grab bar",
    finding="",
    why="",
    action="Fit a grab bar.",
    who="handyperson",
    cost="under_50",
    severity=3,
    priority=4.0,
    sources=(),
    due=AUDIT_DATE + dt.timedelta(days=7),
)


def _action(rank: int = 1, band: str = "now", **changes) -> Action:
    return dataclasses.replace(BASE, rank=rank, band=band, **changes)


def test_actions_are_grouped_this_week_soon_later_in_plan_order_leaving_out_empty_bands():
    actions = [_action(1, "now"), _action(2, "now", state="done"), _action(3, "later"), _action(4, "later")]
    grouped = plan.bands(actions)
    assert [band for band, _ in grouped] == ["now", "later"]
    assert [[a.rank for a in rows] for _, rows in grouped] == [[1, 2], [3, 4]]  # a done action keeps its place
    assert plan.bands([]) == []


def test_card_keys_are_safe_for_css_and_never_shared_by_two_actions():
    a, b = _action(item_id="a.b", visit=0), _action(item_id="a-b", visit=0)
    resident = _action(item_id="resident.height_loss", visit=-1)
    keys = [plan.card_key(x) for x in (a, b, resident)]
    assert len(set(keys)) == 3
    assert all(k.replace("-", "").replace("_", "").isalnum() for k in keys)
    assert keys[2].startswith("resident-height_loss-m1-")
    assert plan.card_key(a) == plan.card_key(dataclasses.replace(a, state="done", rank=9))  # the key outlives edits


def test_a_card_saves_its_three_values_as_one_edit():
    action = _action()
    today = dt.date(2030, 1, 1)
    assert plan.card_edit(action, True, "family", dt.date(2030, 1, 2), today=today) == PlanEdit(
        "bathroom.grab_bar", 2, done=True, who="family", due=dt.date(2030, 1, 2), done_on=today
    )
    assert plan.card_edit(action, False, "", None) == PlanEdit("bathroom.grab_bar", 2)


def test_a_card_keeps_what_its_other_controls_recorded_and_unticking_done_forgets_when():
    action = _action()
    kept = PlanEdit("bathroom.grab_bar", 2, helper="Joe", state="declined", reason="Too dear")
    assert plan.card_edit(action, False, "handyperson", None, kept) == dataclasses.replace(kept, who="handyperson")
    done = PlanEdit("bathroom.grab_bar", 2, helper="Joe", state="done", done_on=dt.date(2030, 1, 1), done_by="Joe")
    assert plan.card_edit(action, True, "family", None, done).done_on == dt.date(2030, 1, 1)  # the date recorded stays
    again = plan.card_edit(action, False, "family", None, done)
    assert (again.state, again.done_on, again.done_by, again.helper) == ("open", None, "", "Joe")


def test_the_follow_through_form_records_done_declined_and_who_by_name():
    action = _action()
    done = plan.follow_through_edit(
        action,
        None,
        helper="Sam",
        done_on=dt.date(2030, 2, 1),
        done_by="Joe",
        declined=False,
        reason="",
        photo="photo:3",
        reason_required=True,
    )
    assert (done.state, done.done, done.helper, done.done_on, done.done_by, done.photo) == (
        "done",
        True,
        "Sam",
        dt.date(2030, 2, 1),
        "Joe",
        "photo:3",
    )
    declined = plan.follow_through_edit(
        action,
        done,
        helper="Sam",
        done_on=None,
        done_by="",
        declined=True,
        reason=" Cost ",
        photo=None,
        reason_required=True,
    )
    assert (declined.state, declined.reason, declined.done_on, declined.photo) == ("declined", "Cost", None, None)
    with pytest.raises(ValueError, match="why the client declined"):
        plan.follow_through_edit(
            action, None, helper="", done_on=None, done_by="", declined=True, reason=" ", photo=None, reason_required=True
        )
    family = plan.follow_through_edit(
        action, None, helper="", done_on=None, done_by="", declined=True, reason="", photo=None, reason_required=False
    )
    assert family.state == "declined"
    named = plan.follow_through_edit(
        action,
        None,
        helper="Sam (son)",
        done_on=None,
        done_by="",
        declined=False,
        reason="",
        photo=None,
        reason_required=True,
    )
    assert (named.state, named.helper) == ("open", "Sam (son)")


@pytest.mark.parametrize(
    ("part", "edit", "words"),
    [
        ("done", PlanEdit("x", 0, done=True), "Saved: action 3 marked done"),
        ("done", PlanEdit("x", 0, done=False), "Saved: action 3 marked not done"),
        ("who", PlanEdit("x", 0, who="electrician"), "Saved: action 3 to be done by: electrician"),
        ("due", PlanEdit("x", 0, due=dt.date(2026, 5, 1)), "Saved: action 3 due by 1 May 2026"),
        ("due", PlanEdit("x", 0, due=None), "Saved: action 3 back to the suggested date, 21 March 2026"),
    ],
)
def test_the_toast_names_the_action_and_says_what_was_saved_in_words(part, edit, words):
    assert plan.saved_message(_action(rank=3), part, edit, AUDIT_DATE) == words


def test_the_suggested_date_is_the_bands_from_the_audit_date():
    assert plan.suggested_due(_action(band="now"), AUDIT_DATE) == dt.date(2026, 3, 21)
    assert plan.suggested_due(_action(band="later"), AUDIT_DATE) == AUDIT_DATE + dt.timedelta(days=90)


@pytest.mark.parametrize(
    ("locale", "fmt"),
    [("en-US", "MM/DD/YYYY"), ("en_US", "MM/DD/YYYY"), ("en-GB", "DD/MM/YYYY"), ("de-DE", "DD/MM/YYYY"), (None, "DD/MM/YYYY")],
)
def test_the_date_picker_writes_the_date_the_way_the_locale_does(locale, fmt):
    """Every date picker of the app (the visit, due by, done on, the overview's range) alike."""
    from homeaudit.app.widgets import date_format

    assert date_format(locale) == fmt


def test_the_date_picker_range_always_holds_the_date_set_and_years_ahead():
    today = dt.date(2027, 1, 1)
    low, high = plan.due_bounds(AUDIT_DATE, None, today)
    assert low == AUDIT_DATE and high > today + dt.timedelta(days=4 * 365)
    early = dt.date(2025, 1, 1)
    assert plan.due_bounds(AUDIT_DATE, early, today)[0] == early
    late = dt.date(2040, 1, 1)
    assert plan.due_bounds(AUDIT_DATE, late, today)[1] > late


def test_who_offers_every_known_person_and_keeps_an_unknown_code():
    assert plan.who_options("family") == list(WHO)
    assert plan.who_options("builder") == [*WHO, "builder"]


def test_the_progress_words_count_done_actions():
    assert plan.done_count([_action(state="done"), _action(), _action()]) == "1 of 3 done"


def test_the_folded_band_says_how_many_actions_it_holds():
    assert [plan.folded_label(n) for n in (1, 61)] == ["Show its action", "Show its 61 actions"]


def test_the_folded_band_offers_its_cards_a_page_at_a_time():
    assert plan.more_label(10, 61) == "Show 10 more of 61"
    assert plan.more_label(60, 61) == "Show 1 more of 61"
