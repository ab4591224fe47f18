"""Audits page: every saved audit with its score; open, re-audit, export, delete."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import zipfile

import pytest
from streamlit.testing.v1.element_tree import HeadingBase

from homeaudit import RESIDENT_VISIT, score
from homeaudit.app import plan
from homeaudit.app.audits import falls_questions_left, percent_answered, risk_words
from homeaudit.audit import Answer
from homeaudit.audit import loads as parse_audit

from apptools import all_text, headers, ok, open_page


def shown(at) -> str:
    """The page's text with the clients' names (each name is a heading of its card)."""
    return "\n".join([*headers(at), all_text(at)])


def test_the_list_shows_each_audit_with_client_date_score_and_completion(db, make_audit, library):
    ann = make_audit(name="Ann Smith", role="ot")
    make_audit(name="Bob Jones")
    for item in library.room("entrance").items:
        db.save_answer(ann, 0, item.id, "yes" if item.answer_type == "yes_no" else "na")
    at = open_page("audits")
    text = shown(at)
    assert "Ann Smith" in text and "Bob Jones" in text
    assert "by an occupational therapist" in text and "score 100 / 100" in text
    assert "% answered" in text


def test_the_search_box_narrows_the_list(make_audit):
    make_audit(name="Ann Smith")
    make_audit(name="Bob Jones")
    at = open_page("audits")
    ok(at.text_input(key="audit_search").input("bob").run())
    text = shown(at)
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


def test_the_occupational_therapist_can_say_the_new_visit_is_hers(db, make_audit, library):
    """The family audited first; the OT comes back. Her visit is recorded as hers, so her report
    does not say a family member did it, nor tell the client to ask for an OT's visit."""
    from homeaudit import score
    from homeaudit.audit import Answer
    from homeaudit.scoring import OT_VISIT_ID

    old = make_audit()
    db.save_answer(old, -1, "resident.fallen_past_year", "yes")
    assert OT_VISIT_ID in {a.item_id for a in score(db.load_audit(old), library).actions}
    at = open_page("audits")
    ok(at.button(key=f"reaudit|{old}").click().run())
    assert at.radio(key=f"reaudit_role|{old}").value == "family"  # whoever did the last visit, unless changed
    at.radio(key=f"reaudit_role|{old}").set_value("ot")
    at.text_input(key=f"reaudit_name|{old}").input("Priya Shah")
    ok(at.button(key=f"really_reaudit|{old}").click().run())
    new = db.load_audit(at.query_params["audit"])
    assert (new.auditor.role, new.auditor.name) == ("ot", "Priya Shah")
    assert db.load_audit(old).auditor.role == "family"
    assert new.resident["resident.fallen_past_year"] == Answer(value="yes")
    assert OT_VISIT_ID not in {a.item_id for a in score(new, library).actions}


def test_the_same_auditor_keeps_their_registration_and_a_colleague_does_not():
    from homeaudit.app.audits import next_auditor
    from homeaudit.audit import Auditor

    ot = Auditor(name="Priya Shah", role="ot", organisation="Northside OT", registration="OT12345", contact="01234 567890")
    assert next_auditor(ot, "ot", "Priya Shah") == ot
    assert next_auditor(ot, "ot", "  priya  shah ") == ot  # case and spaces aside, the same person
    assert next_auditor(ot, "ot", None) == ot
    # A colleague from the same service: never Priya's registration number on Anna's report.
    assert next_auditor(ot, "ot", "Anna Lee") == Auditor(name="Anna Lee", role="ot", organisation="Northside OT")
    assert next_auditor(ot, "family", "Kate") == Auditor(name="Kate", role="family")


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
    assert "Ann Smith" not in shown(at) and "deleted" in all_text(at)
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
    assert f"Client {PAGE_SIZE + 2:02d}" in shown(at)  # the latest
    ok(at.button(key="audits_more").click().run())
    assert sum(1 for b in at.button if b.label == "Open") == len(ids)


# --------------------------------------------------------------------------- the risk, with how much rests on it


def _answer_room(db, audit_id, library, visit, room, hazard):
    """Every question of a room answered: each a hazard (``hazard``) or safe/not applicable."""
    for item in library.room(room).items:
        if item.answer_type == "yes_no":
            db.save_answer(audit_id, visit, item.id, item.hazard_options[0] if hazard else "yes")
        elif item.answer_type == "choice" and hazard:
            db.save_answer(audit_id, visit, item.id, item.hazard_options[0])
        else:
            db.save_answer(audit_id, visit, item.id, "na")


def _answer_falls_screen(db, audit_id, library, value="no"):
    for item in library.room("resident").items:
        if item.steadi_points:
            db.save_answer(audit_id, RESIDENT_VISIT, item.id, value)


def _status(at, audit_id) -> str:
    """The bold line under a client's name: the risk, or how far the audit is."""
    [line] = [m.value for m in at.main.get_by_key(f"audit-{audit_id}").markdown if m.value.startswith("**")]
    return line.strip("*").replace("\\", "")


def test_an_unfinished_audit_says_how_much_was_answered_with_its_risk_so_far(db, make_audit, library):
    audit_id = make_audit(rooms=("entrance", "bathroom", "bedroom"))
    _answer_room(db, audit_id, library, 0, "entrance", hazard=True)
    overall = score(db.load_audit(audit_id), library).overall
    assert overall.risk_level == "high" and 0 < overall.answered < overall.questions
    status = _status(open_page("audits"), audit_id)
    assert status == f"Not finished: {percent_answered(overall.answered, overall.questions)}% answered (high risk so far)"


def test_a_finished_audit_says_its_risk(db, make_audit, library):
    audit_id = make_audit(rooms=("entrance",))
    _answer_room(db, audit_id, library, 0, "entrance", hazard=False)
    _answer_falls_screen(db, audit_id, library)
    assert _status(open_page("audits"), audit_id) == "Low risk"


def test_every_room_answered_but_the_falls_screen_is_not_finished(db, make_audit, library):
    audit_id = make_audit(rooms=("entrance",))
    _answer_room(db, audit_id, library, 0, "entrance", hazard=False)
    left = sum(1 for item in library.room("resident").items if item.steadi_points)
    assert _status(open_page("audits"), audit_id) == (
        f"Not finished: every room answered, {left} falls questions about the person left (low risk so far)"
    )


def test_an_audit_with_nothing_answered_does_not_guess_a_risk(db, make_audit):
    audit_id = make_audit()
    assert _status(open_page("audits"), audit_id) == "Not started: no question about the home answered yet"


@pytest.mark.parametrize(
    ("risk", "answered", "questions", "falls_left", "words"),
    [
        ("high", 40, 120, 0, "Not finished: 33% answered (high risk so far)"),
        ("high", 120, 120, 0, "High risk"),
        ("moderate", 119, 120, 0, "Not finished: 99% answered (moderate risk so far)"),
        ("low", 120, 120, 1, "Not finished: every room answered, 1 falls question about the person left (low risk so far)"),
        ("unknown", 3, 120, 0, "Not finished: 2% answered (too few answers to judge the risk yet)"),
        ("unknown", 0, 120, 12, "Not started: no question about the home answered yet"),
        ("unknown", 0, 0, 0, "Not started: no question about the home answered yet"),
    ],
)
def test_the_risk_words_say_the_risk_only_when_the_audit_is_finished(risk, answered, questions, falls_left, words):
    assert risk_words(risk, answered, questions, falls_left) == words


def test_the_percentage_is_rounded_down_and_never_0_once_anything_is_answered():
    assert [percent_answered(a, 1000) for a in (0, 1, 333, 996, 1000)] == [0, 1, 33, 99, 100]
    assert percent_answered(0, 0) == 0


def test_falls_questions_left_counts_the_stay_independent_questions_not_answered(library, db, make_audit):
    audit = db.load_audit(make_audit())
    steadi = [item for item in library.room("resident").items if item.steadi_points]
    assert falls_questions_left(audit, library) == len(steadi) == 12
    audit.resident[steadi[0].id] = Answer(value="no")
    assert falls_questions_left(audit, library) == 11


def test_the_audits_page_headings_never_skip_a_level(make_audit):
    """axe heading-order: the page is h1 and each client's name h2."""
    make_audit(name="Ann Smith")
    at = open_page("audits")
    levels = [int(node.proto.tag[1]) for node in at.main if isinstance(node, HeadingBase)]
    assert levels == [1, 2] and all(b <= a + 1 for a, b in itertools.pairwise(levels))
    assert not any(m.value.lstrip().startswith("#") for m in at.markdown)


# --------------------------------------------------------------------------- clients and their visits


def test_a_clients_visits_are_one_card_with_the_latest_in_full_and_the_score_over_time(db, make_audit, library):
    first = make_audit(name="Ann Smith", rooms=("bathroom",))
    _answer_room(db, first, library, 0, "bathroom", hazard=True)
    second = db.duplicate_audit(first)
    _answer_room(db, second, library, 0, "bathroom", hazard=False)
    make_audit(name="Bob Jones")
    at = open_page("audits")
    assert sorted(headers(at)) == ["Ann Smith", "Bob Jones"]  # one card per client, not per visit
    card = at.main.get_by_key(f"client-{db.load_audit(first).client.id}")
    text = "\n".join(m.value for m in card.markdown) + "\n".join(c.value for c in card.caption)
    scores = score_many_of(db, library, [first, second])
    assert f"2 visits. Score {scores[first]:.0f} on" in text.replace("\\", "")
    assert f"up {scores[second] - scores[first]:.0f} since the first visit" in text
    assert at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")
    # The latest visit is shown in full; the earlier one waits behind a fold.
    assert f"open|{second}" in [b.key for b in at.button] and f"open|{first}" not in [b.key for b in at.button]
    at.session_state[f"earlier|{db.load_audit(first).client.id}"] = True
    ok(at.run())
    assert f"open|{first}" in [b.key for b in at.button]
    assert f"reaudit|{first}" not in [b.key for b in at.button]  # a new visit starts from the latest


def score_many_of(db, library, ids):
    from homeaudit import score_many

    table = score_many(db.load_audits(ids), library)
    return dict(zip(table["id"], table["score"], strict=True))


def test_the_latest_visit_says_how_many_actions_are_still_to_do(db, make_audit, library):
    audit_id = make_audit(name="Ann Smith", rooms=("bathroom",))
    _answer_room(db, audit_id, library, 0, "bathroom", hazard=True)
    actions = score(db.load_audit(audit_id), library).actions
    db.save_plan_edit(audit_id, actions[0].item_id, actions[0].visit, state="done")
    db.save_plan_edit(audit_id, actions[1].item_id, actions[1].visit, state="declined", reason="Cost")
    text = all_text(open_page("audits")).replace("\\", "")
    assert f"{len(actions) - 2} actions still to do (1 done, 1 declined)" in text


def test_two_records_with_the_same_name_and_address_are_joined_only_when_asked(db, make_audit):
    one, two = make_audit(name="Ann Smith"), make_audit(name="ann smith ")
    a, b = db.load_audit(one).client.id, db.load_audit(two).client.id
    assert a != b
    at = open_page("audits")
    assert "Another client record has the same name and address" in all_text(at)
    ok(at.button(key=f"join|{b}|{a}").click().run())
    assert set(db.client_visits(a)) == {one, two}
    at = open_page("audits")
    assert "Another client record" not in all_text(at)
    assert len(headers(at)) == 1


def test_a_new_visit_is_not_finished_until_the_answers_copied_into_it_are_checked(db, make_audit, library):
    first = make_audit(name="Ann Smith", rooms=("bathroom",))
    _answer_room(db, first, library, 0, "bathroom", hazard=False)
    _answer_falls_screen(db, first, library)
    second = db.duplicate_audit(first)
    copied = len(db.carried(second))
    assert _status(open_page("audits"), second) == f"Not finished: {copied} answers from the last visit still to check"
    db.confirm_answers(second)
    assert _status(open_page("audits"), second) == "Low risk"
