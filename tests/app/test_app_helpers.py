"""The plain helpers under the pages: safe text, photo checks, walking order, the plan table."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from homeaudit import score
from homeaudit.app import plan, state
from homeaudit.app.start import new_audit_from_form
from homeaudit.app.widgets import WORD_JOINER, md
from homeaudit.audit import Answer, Audit, RoomVisit, visit_titles
from homeaudit.checklist import SCREEN_LABELS, TOPIC_LABELS


@pytest.mark.parametrize(
    "text",
    [
        "![x](http://example.com/t.png)",
        "<img src=x onerror=alert(1)>",
        "[click](javascript:alert(1))",
        "$x^2$ and :red[alarm] and :material/home:",
        "# heading",
        "1. not a list",
        "**bold** _it_ `code` ~~gone~~ | a | b |",
    ],
)
def test_md_escapes_every_markdown_special_so_user_text_is_shown_as_typed(text):
    escaped = md(text)
    for special in "![]()<>`*_$:#|~.":
        assert special not in escaped.replace("\\" + special, ""), special
    assert escaped.replace("\\", "").replace(WORD_JOINER, "") == text


def test_md_keeps_web_addresses_from_becoming_links_and_keeps_line_breaks():
    assert "http" + WORD_JOINER in md("see http://example.com")
    assert "www" + WORD_JOINER in md("www.example.com")
    assert md("one\ntwo") == "one  \ntwo"


def test_the_walk_starts_with_the_resident_then_follows_the_librarys_room_order(library):
    audit = Audit(
        rooms=[
            RoomVisit(room="bedroom"),
            RoomVisit(room="bathroom", label="Ensuite"),
            RoomVisit(room="bedroom"),
            RoomVisit(room="entrance", present=False),
        ]
    )
    walk = state.stops(audit, library)
    assert [(s.key, s.title) for s in walk] == [
        ("resident", "About the resident"),
        ("entrance", "Entrance and outside steps"),
        ("bathroom", "Ensuite"),
        ("bedroom", "Bedroom 1"),
        ("bedroom-2", "Bedroom 2"),
    ]


def test_progress_counts_a_room_not_in_the_home_as_done_and_only_given_answers(library):
    bathroom = library.room("bathroom").items
    audit = Audit(
        rooms=[
            RoomVisit(room="bathroom", answers={bathroom[0].id: Answer(value="no"), bathroom[1].id: Answer(note="only a note")}),
            RoomVisit(room="laundry", present=False),
        ],
    )
    progress = state.progress(audit, library)
    assert (progress.rooms_done, progress.rooms_total) == (1, 2)
    assert progress.by_stop["bathroom"] == (1, len(bathroom))
    assert progress.questions == len(bathroom) + len(library.room("resident").items)


def test_progress_counts_answered_as_scoring_does(library):
    """One meaning of "answered": the walkthrough's progress and the score's counts agree."""
    bathroom, laundry = library.room("bathroom").items, library.room("laundry").items
    audit = Audit(
        resident={library.room("resident").items[0].id: Answer(value="yes")},
        rooms=[
            RoomVisit(
                room="bathroom",
                answers={
                    bathroom[0].id: Answer(value="na"),
                    bathroom[1].id: Answer(value="no"),
                    bathroom[2].id: Answer(note="a note, no answer"),
                },
            ),
            RoomVisit(room="laundry", present=False, answers={laundry[0].id: Answer(value="yes")}),
        ],
    )
    progress, result = state.progress(audit, library), score(audit, library)
    assert progress.answered == result.overall.answered + result.resident.answered == 3
    assert progress.questions == result.overall.questions + result.resident.questions
    assert progress.by_stop["bathroom"] == (result.rooms[0].answered, result.rooms[0].questions)


def test_room_questions_are_grouped_under_their_topic_and_none_is_lost(library):
    items = library.room("bathroom").items
    groups = state.by_topic(items)
    first = items[0]
    assert groups[0][0] == "Grab bars" and groups[0][1][0] == first  # the bathroom starts with grab bars
    for heading, group in groups:
        assert {TOPIC_LABELS[i.topic] for i in group} == {heading}
    assert sorted(i.id for _, g in groups for i in g) == sorted(i.id for i in items)


def test_questions_about_the_person_are_grouped_by_what_they_screen_for(library):
    groups = dict(state.by_topic(library.room("resident").items))
    assert set(groups) == set(SCREEN_LABELS.values())
    assert len(groups[SCREEN_LABELS["steadi"]]) == 12
    assert all(i.screen == "warning_sign" for i in groups[SCREEN_LABELS["warning_sign"]])


def test_the_database_comes_from_a_db_argument_first_and_a_url_stays_as_it_is(monkeypatch, tmp_path):
    monkeypatch.setenv("HOMEAUDIT_DB", str(tmp_path / "env.db"))
    assert state.db_target(["--db", "x/one.db"]) == str(Path("x/one.db").resolve())
    assert state.db_target(["--db=two.db"]) == str(Path("two.db").resolve())
    assert state.db_target([]) == str(tmp_path / "env.db")
    url = "postgresql://homeaudit@db.example:5432/practice"
    assert state.db_target(["--db", url]) == url
    monkeypatch.setenv("HOMEAUDIT_DB", url)
    assert state.db_target([]) == url


def test_the_new_audit_form_gives_numbered_rooms_and_the_resident_answers_given(library):
    resident = library.room("resident").items
    values = {
        "client_name": " Ann ",
        "role": "ot",
        "count_bedroom": 2,
        "count_kitchen": 1,
        f"res_{resident[0].id}": "yes",
        f"res_{resident[1].id}": None,
        "date": dt.date(2025, 1, 2),
    }
    audit = new_audit_from_form(library, values)
    assert [(r.room, r.label) for r in audit.rooms] == [("kitchen", ""), ("bedroom", ""), ("bedroom", "")]
    assert list(visit_titles(audit, library).values())[1:] == ["Kitchen", "Bedroom 1", "Bedroom 2"]
    assert audit.resident == {resident[0].id: Answer(value="yes")}
    assert (audit.client.name, audit.auditor.role, audit.id) == ("Ann", "ot", "2025-01-02-ann")


def _plan() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "item_id": ["a.x", "b.y"],
            "visit": [0, 1],
            "Done": [False, True],
            "#": [1, 2],
            "When": ["Now", "Soon"],
            "Where": ["Hall", "Bath"],
            "Problem": ["p1", "p2"],
            "Why it matters": ["", "y2"],
            "Who": ["Handyperson", "Resident or family"],
            "Due": pd.Series([None, dt.date(2030, 1, 1)], dtype=object),
            "What to do": ["w1", "w2"],
            "Cost": ["Free", "Free"],
            "Note": ["", "n"],
        }
    )


def test_only_rows_whose_done_who_or_due_changed_are_saved():
    before = _plan()
    after = before.copy()
    after.loc[0, "Due"] = pd.Timestamp("2031-02-03")
    after.loc[0, "Who"] = "Occupational therapist"
    assert plan.changed_rows(before, after) == [
        {"item_id": "a.x", "visit": 0, "done": False, "who": "ot", "due": dt.date(2031, 2, 3)}
    ]
    assert plan.changed_rows(before, before.copy()) == []


def test_the_plan_csv_has_one_row_per_action_with_plain_dates():
    lines = plan.plan_csv(_plan()).splitlines()
    assert lines[0] == ",".join(plan.PLAN_COLUMNS)
    assert lines[2].startswith("yes,2,Soon,Bath,p2,y2,Resident or family,2030-01-01,")
