"""A re-audit in the Walkthrough: the last visit's answers, each marked until confirmed or
changed, and a way to see only those still to check (a re-audit in minutes, not an hour)."""

from __future__ import annotations

from apptools import all_text, answer_key, ok, open_page, whole


def _reaudit(db, make_audit, library):
    first = make_audit(rooms=("bathroom",))
    items = [i for i in library.room("bathroom").items if i.answer_type == "yes_no"][:3]
    for item in items:
        db.save_answer(first, 0, item.id, "yes")
    return db.duplicate_audit(first), items


def _confirm_buttons(at):
    return [b for b in at.button if b.label.startswith("From the last visit")]


def test_each_copied_answer_says_it_is_from_the_last_visit_until_confirmed(db, make_audit, library):
    new, items = _reaudit(db, make_audit, library)
    at = open_page("walkthrough", new, "bathroom")
    assert len(_confirm_buttons(at)) == 3
    assert "3 answers still to check (3 in this room)" in all_text(at)
    button = at.button(key=answer_key(new, 0, items[0].id, "confirm"))
    ok(button.click().run())
    assert (0, items[0].id) not in db.carried(new)
    assert db.load_audit(new).rooms[0].answers[items[0].id].value == "yes"
    at = whole(at)
    assert len(_confirm_buttons(at)) == 2
    assert "2 answers still to check" in all_text(at)


def test_changing_a_copied_answer_confirms_it_too(db, make_audit, library):
    new, items = _reaudit(db, make_audit, library)
    at = open_page("walkthrough", new, "bathroom")
    ok(at.segmented_control(key=answer_key(new, 0, items[1].id)).set_value("no").run())
    assert db.carried(new) == {(0, items[0].id), (0, items[2].id)}
    assert db.load_audit(new).rooms[0].answers[items[1].id].value == "no"


def test_the_room_can_show_only_what_is_still_to_check_and_be_confirmed_at_once(db, make_audit, library):
    new, items = _reaudit(db, make_audit, library)
    at = open_page("walkthrough", new, "bathroom")
    shown_before = len(at.segmented_control)
    at = ok(at.toggle(key=f"only_carried|{new}").set_value(True).run())
    answer_controls = [c for c in at.segmented_control if c.key and c.key.endswith("|value")]
    assert sorted(c.key for c in answer_controls) == sorted(answer_key(new, 0, i.id) for i in items)
    assert len(at.segmented_control) < shown_before
    at = ok(next(b for b in at.button if b.label == "Nothing has changed in this room").click().run())
    assert db.carried(new) == set()
    assert "Confirmed: 3 answers as at the last visit." in all_text(at)
    assert not _confirm_buttons(at)


def test_a_first_visit_says_nothing_about_a_last_one(make_audit):
    at = open_page("walkthrough", make_audit(rooms=("bathroom",)), "bathroom")
    assert not _confirm_buttons(at)
    assert "still to check" not in all_text(at)
