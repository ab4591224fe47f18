"""Getting the fixes done, on the Results page: each action's helper by name, when it was done
and by whom, or that the client declined it and why (an OT must record the reason)."""

from __future__ import annotations

import datetime as dt

from homeaudit import score
from homeaudit.app import plan

from apptools import all_text, hazardous, ok, open_page


def _audit(db, make_audit, library, role="family"):
    audit_id = hazardous(db, make_audit, library, role)
    return audit_id, score(db.load_audit(audit_id), library).actions[0]


def _card_text(at, action, state):
    """What an action's card says, as read (Markdown's escapes removed)."""
    drawn = at.main.get_by_key(f"plan-{state}-{plan.card_key(action)}")
    return "\n".join(m.value for m in drawn.markdown).replace("\\", "").replace("**", "")


def _open_form(at, audit_id, action):
    key = plan.widget_key(audit_id, action, "more")
    at.session_state[key] = True
    return ok(at.run()), key


def test_a_helper_by_name_and_the_day_it_was_done_are_saved_and_shown(db, make_audit, library):
    audit_id, first = _audit(db, make_audit, library)
    at, key = _open_form(open_page("results", audit_id), audit_id, first)
    at.text_input(key=key + "|helper").input("Sam (son)")
    at.date_input(key=key + "|done_on").set_value(dt.date(2026, 11, 30))
    at.text_input(key=key + "|done_by").input("Joe the <b>handyman</b>")
    at = ok(next(b for b in at.button if b.label == "Save").click().run())
    [edit] = db.plan_edits(audit_id)
    assert (edit.state, edit.helper, edit.done_on, edit.done_by) == (
        "done",
        "Sam (son)",
        dt.date(2026, 11, 30),
        "Joe the <b>handyman</b>",
    )
    assert "Saved: action 1 marked done." in all_text(at)
    text = _card_text(ok(at.run()), first, "done")
    assert "Who, by name: Sam (son)" in text
    assert "Done on 30 November 2026 by Joe the <b>handyman</b>." in text  # shown as text, not markup


def test_an_ot_cannot_mark_an_action_declined_without_the_reason(db, make_audit, library):
    audit_id, first = _audit(db, make_audit, library, role="ot")
    at, key = _open_form(open_page("results", audit_id), audit_id, first)
    at.checkbox(key=key + "|declined").check()
    at = ok(next(b for b in at.button if b.label == "Save").click().run())
    assert db.plan_edits(audit_id) == []
    assert "Write down why the client declined this" in all_text(at)
    at.checkbox(key=key + "|declined").check()
    at.text_area(key=key + "|reason").input("Wants to wait until spring")
    at = ok(next(b for b in at.button if b.label == "Save").click().run())
    [edit] = db.plan_edits(audit_id)
    assert (edit.state, edit.reason) == ("declined", "Wants to wait until spring")
    assert "Saved: action 1 marked declined." in all_text(at)
    assert "The client declined this: Wants to wait until spring" in _card_text(ok(at.run()), first, "open")
