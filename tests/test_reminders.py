"""Reminders: the open actions with a date as an iCalendar file that parses back, and each
helper's list; `homeaudit calendar` writes the file and never over another."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from icalendar import Calendar

from homeaudit import PlanEdit, Score, cli, load_audit, score
from homeaudit.audit import RESIDENT_VISIT, Audit
from homeaudit.reminders import (
    ALARM_BEFORE,
    calendar_actions,
    calendar_file,
    event_uid,
    helper_actions,
    helper_lists,
    open_actions,
)
from homeaudit.store import connect
from homeaudit.words import WHO_LABELS

from audit_builders import EXAMPLES

HAZARDOUS = EXAMPLES / "hazardous-house.yaml"
TODAY = dt.date(2026, 12, 1)
HOSTILE = 'Sam, "the son"; \\ back\nslash\r\nBEGIN:VEVENT\nUID:evil\nEND:VEVENT\nEND:VCALENDAR'


@pytest.fixture(scope="module")
def house(library) -> tuple[Audit, Score]:
    audit = load_audit(HAZARDOUS, library)
    return audit, score(audit, library)


def rooms_only(result: Score) -> list:
    return [a for a in result.actions if a.visit != RESIDENT_VISIT]


def edited(house) -> tuple[Audit, Score, dict[str, object]]:
    """The plan with one action done, one declined, one with no date, two for Sam (one with a
    date he set), one for Joe: what people record in the app."""
    audit, base = house
    first, second, third, fourth, fifth, sixth = rooms_only(base)[:6]
    edits = [
        PlanEdit(first.item_id, first.visit, state="done", done_on=TODAY, done_by="Sam"),
        PlanEdit(second.item_id, second.visit, state="declined", reason="Does not want it"),
        PlanEdit(fourth.item_id, fourth.visit, helper="Sam (son)", due=dt.date(2027, 1, 15)),
        PlanEdit(fifth.item_id, fifth.visit, helper="Joe the handyman"),
        PlanEdit(sixth.item_id, sixth.visit, helper="  sam   (SON) "),
    ]
    result = base.with_edits(edits)
    undated = [
        dataclasses.replace(a, due=None) if a.item_id == third.item_id and a.visit == third.visit else a for a in result.actions
    ]
    result = dataclasses.replace(result, actions=tuple(undated))
    return audit, result, {"done": first, "declined": second, "undated": third, "sam": fourth, "joe": fifth, "sam2": sixth}


def events(data: bytes) -> list:
    return list(Calendar.from_ical(data).walk("VEVENT"))


def key(action) -> tuple[str, int]:
    return action.item_id, action.visit


def event_key(result: Score, audit: Audit) -> dict[str, tuple[str, int]]:
    return {event_uid(audit.id, a.item_id, a.visit): key(a) for a in result.actions}


# --------------------------------------------------------------------------- the calendar file


def test_the_calendar_parses_back_with_one_event_per_open_action_that_has_a_date(house):
    audit, result, _ = edited(house)
    data = calendar_file(result, audit, today=TODAY)
    cal = Calendar.from_ical(data)
    assert str(cal["version"]) == "2.0" and "homeaudit" in str(cal["prodid"])
    found = events(data)
    wanted = [a for a in result.actions if not a.done and not a.declined and a.due is not None]
    assert len(found) == len(wanted) == len(calendar_actions(result)) > 0
    uids = event_key(result, audit)
    assert [uids[str(e["uid"])] for e in found] == [key(a) for a in wanted]


def test_done_declined_and_undated_actions_have_no_event(house):
    audit, result, picked = edited(house)
    shown = {event_key(result, audit)[str(e["uid"])] for e in events(calendar_file(result, audit, today=TODAY))}
    for name in ("done", "declined", "undated"):
        assert key(picked[name]) not in shown, name
    assert key(picked["sam"]) in shown and key(picked["joe"]) in shown


def test_each_event_is_all_day_on_its_due_date_with_the_action_what_was_found_the_room_and_who(house):
    audit, result, picked = edited(house)
    by_key = {event_key(result, audit)[str(e["uid"])]: e for e in events(calendar_file(result, audit, today=TODAY))}
    sam = next(a for a in result.actions if key(a) == key(picked["sam"]))
    event = by_key[key(sam)]
    assert event.decoded("dtstart") == dt.date(2027, 1, 15)  # the date Sam set, a date and not a time
    assert event.decoded("dtend") == dt.date(2027, 1, 16)
    assert str(event["summary"]) == sam.action
    assert str(event["location"]) == result.title(sam.visit)
    description = str(event["description"])
    assert f"Where: {result.title(sam.visit)}" in description
    assert f"Who: Sam (son), {WHO_LABELS[sam.who]}" in description
    assert sam.hazard in description
    assert sam.why and sam.why not in description and "Why" not in description  # no reasons about the person's health
    for action in calendar_actions(result):
        assert by_key[key(action)].decoded("dtstart") == action.due


def test_the_rows_about_the_person_have_no_room_for_a_location(house):
    audit, result = house
    person = [a for a in calendar_actions(result) if a.visit == RESIDENT_VISIT]
    assert person, "the example's plan has rows about the person"
    by_key = {event_key(result, audit)[str(e["uid"])]: e for e in events(calendar_file(result, audit, today=TODAY))}
    assert all("location" not in by_key[key(a)] for a in person)


def test_each_event_reminds_the_day_before_on_the_screen(house):
    audit, result = house
    for event in events(calendar_file(result, audit, today=TODAY)):
        [alarm] = event.walk("VALARM")
        assert str(alarm["action"]) == "DISPLAY" and alarm.decoded("trigger") == ALARM_BEFORE
        assert str(event["summary"]) in str(alarm["description"])


def test_uids_are_the_same_when_dates_and_text_change_and_differ_between_actions_and_audits(house):
    audit, base = house
    first = calendar_file(base, audit, today=TODAY)
    later = base.with_edits([PlanEdit(a.item_id, a.visit, due=dt.date(2028, 2, 2), helper="Ann") for a in base.actions])
    renamed = audit.model_copy(update={"client": audit.client.model_copy(update={"name": "Someone Else"})})
    again = calendar_file(later, renamed, today=TODAY + dt.timedelta(days=30))
    uids = [str(e["uid"]) for e in events(first)]
    assert uids == [str(e["uid"]) for e in events(again)]
    assert len(set(uids)) == len(uids)
    assert all(uid.endswith("@homeaudit") and audit.id not in uid for uid in uids)
    other = audit.model_copy(update={"id": "another-audit"})
    assert not set(uids) & {str(e["uid"]) for e in events(calendar_file(dataclasses.replace(base, audit_id=other.id), other))}


def test_the_same_plan_on_the_same_day_gives_the_same_bytes_stamped_with_that_day(house):
    audit, result = house
    data = calendar_file(result, audit, today=TODAY)
    assert data == calendar_file(result, audit, today=TODAY)
    assert {e.decoded("dtstamp") for e in events(data)} == {dt.datetime(2026, 12, 1, tzinfo=dt.UTC)}


def test_user_text_round_trips_as_text_and_starts_no_event(house, library):
    audit, base = house
    room = rooms_only(base)[0]
    rooms = [r.model_copy(update={"label": HOSTILE}) if v == room.visit else r for v, r in enumerate(audit.rooms)]
    hostile = audit.model_copy(update={"rooms": rooms, "client": audit.client.model_copy(update={"name": HOSTILE})})
    result = score(hostile, library).with_edits([PlanEdit(room.item_id, room.visit, helper=HOSTILE)])
    data = calendar_file(result, hostile, today=TODAY)
    found = events(data)
    assert len(found) == len(calendar_actions(result)) == len(calendar_actions(base))
    lines = data.split(b"\r\n")  # the text is in them, escaped, but never a line of its own
    assert lines.count(b"BEGIN:VEVENT") == len(found) and lines.count(b"END:VCALENDAR") == 1
    assert b"UID:evil" not in lines and all(not line.startswith(b"UID:evil") for line in lines)
    [event] = [e for e in found if str(e["uid"]) == event_uid(audit.id, room.item_id, room.visit)]
    label = HOSTILE.replace("\r\n", "\n")
    assert str(event["location"]) == label  # the label, commas, semicolons, backslash, breaks and all
    assert f"Where: {label}" in str(event["description"])
    assert f"Who: {' '.join(label.split())}, " in str(event["description"])  # a helper's name on one line
    assert str(Calendar.from_ical(data)["x-wr-calname"]) == "Home safety plan: Sam,"  # the first word of the name


def test_control_characters_and_direction_marks_never_reach_the_file(house, library):
    audit, base = house
    room = rooms_only(base)[0]
    label = "Hall\x1b[2J\x07 \u202egpj.exe\u0000"
    rooms = [r.model_copy(update={"label": label}) if v == room.visit else r for v, r in enumerate(audit.rooms)]
    odd = audit.model_copy(update={"rooms": rooms})
    data = calendar_file(score(odd, library), odd, today=TODAY)
    assert not any(ch in data.decode("utf-8") for ch in "\x1b\x07\u202e\x00")
    [event] = [e for e in events(data) if str(e["uid"]) == event_uid(audit.id, room.item_id, room.visit)]
    assert str(event["location"]) == "Hall[2J gpj.exe"


def test_the_calendar_holds_no_address_link_organiser_or_attendee(house):
    audit, result = house
    data = calendar_file(result, audit, today=TODAY)
    text = data.decode("utf-8")
    for word in ("http", "mailto", "ORGANIZER", "ATTENDEE", "URL:", audit.client.address.split(",")[0]):
        assert word not in text, word
    assert str(Calendar.from_ical(data)["x-wr-calname"]) == "Home safety plan: Zoë"  # the first name only


def test_a_plan_with_nothing_open_and_dated_gives_a_calendar_without_events(house):
    audit, base = house
    done = base.with_edits([PlanEdit(a.item_id, a.visit, state="done") for a in base.actions])
    data = calendar_file(done, audit, today=TODAY)
    assert calendar_actions(done) == () and events(data) == []
    assert Calendar.from_ical(data)["prodid"]


# --------------------------------------------------------------------------- each helper's list


def test_open_actions_are_grouped_by_named_helper_first_then_by_kind_of_helper(house):
    _, result, picked = edited(house)
    lists = helper_lists(result)
    names = list(lists)
    assert names[:2] == ["Sam (son)", "Joe the handyman"]  # in the order their first job comes
    assert set(names[2:]) <= set(WHO_LABELS.values())
    assert [key(a) for a in lists["Sam (son)"]] == [key(picked["sam"]), key(picked["sam2"])]  # case and spaces aside
    assert [key(a) for a in lists["Joe the handyman"]] == [key(picked["joe"])]
    for kind in names[2:]:
        assert all(not a.helper and WHO_LABELS[a.who] == kind for a in lists[kind])
        assert [a.rank for a in lists[kind]] == sorted(a.rank for a in lists[kind])


def test_every_open_action_is_on_exactly_one_list_and_no_done_or_declined_one_is(house):
    _, result, picked = edited(house)
    listed = [key(a) for actions in helper_lists(result).values() for a in actions]
    assert sorted(listed) == sorted(key(a) for a in open_actions(result))
    assert len(listed) == len(set(listed))
    assert key(picked["done"]) not in listed and key(picked["declined"]) not in listed
    assert key(picked["undated"]) in listed  # a list holds jobs without a date too


def test_a_helper_named_as_a_kind_of_helper_shares_that_list(house):
    _, base = house
    handy = [a for a in rooms_only(base) if a.who == "handyperson"]
    result = base.with_edits([PlanEdit(handy[0].item_id, handy[0].visit, helper="handyperson")])
    lists = helper_lists(result)
    assert "Handyperson" not in lists or "handyperson" not in lists
    assert len(helper_actions(result, "HANDYPERSON")) == len(handy)


def test_a_plan_with_nothing_open_has_no_lists(house):
    _, base = house
    assert helper_lists(base.with_edits([PlanEdit(a.item_id, a.visit, state="done") for a in base.actions])) == {}
    assert helper_actions(base, "Nobody") == ()


# --------------------------------------------------------------------------- homeaudit calendar


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_calendar_writes_an_ics_file_from_an_audit_file(capsys, tmp_path, house):
    _, result = house
    out = tmp_path / "plan.ics"
    code, stdout, err = run(capsys, "calendar", str(HAZARDOUS), "-o", str(out))
    assert code == 0 and stdout == "" and str(out) in err
    assert len(events(out.read_bytes())) == len(calendar_actions(result))


def test_calendar_and_report_from_a_file_follow_what_the_file_says_was_done(capsys, tmp_path, house):
    """An exported audit carries its plan's record (done, by whom, declined): a job done is no
    reminder, and the PDF says who did it, as the app's would."""
    import shutil

    from pypdf import PdfReader

    audit, result = house
    done = calendar_actions(result)[0]
    with connect(tmp_path / "h.db") as store:
        audit_id = store.create_audit(audit)
        store.save_plan_edit(audit_id, done.item_id, done.visit, state="done", done_on=audit.date, done_by="Helen (daughter)")
        exported = tmp_path / "exported.yaml"
        exported.write_text(store.export_audit(audit_id), encoding="utf-8")
    shutil.copytree(EXAMPLES / "photos", tmp_path / "photos")
    assert run(capsys, "calendar", str(exported), "-o", str(tmp_path / "plan.ics"))[0] == 0
    assert len(events((tmp_path / "plan.ics").read_bytes())) == len(calendar_actions(result)) - 1
    assert run(capsys, "report", str(exported), "-o", str(tmp_path / "plan.pdf"))[0] == 0
    text = " ".join(page.extract_text() for page in PdfReader(tmp_path / "plan.pdf").pages)
    assert "Helen (daughter)" in " ".join(text.split())


def test_calendar_never_overwrites_a_file_without_force(capsys, tmp_path):
    out = tmp_path / "plan.ics"
    out.write_text("mine", encoding="utf-8")
    code, _, err = run(capsys, "calendar", str(HAZARDOUS), "-o", str(out))
    assert code == 2 and out.read_text(encoding="utf-8") == "mine"
    assert err.count("\n") == 1 and "already exists" in err and "--force" in err
    code, _, _ = run(capsys, "calendar", str(HAZARDOUS), "-o", str(out), "--force")
    assert code == 0 and events(out.read_bytes())
    assert not list(tmp_path.glob("*.part"))


def test_calendar_reads_an_audit_from_the_database_with_the_dates_people_set(capsys, tmp_path, house):
    audit, base = house
    db = tmp_path / "homeaudit.db"
    with connect(db) as store:
        audit_id = store.create_audit(audit)
        first, second = rooms_only(base)[:2]
        store.save_plan_edit(audit_id, first.item_id, first.visit, due=dt.date(2027, 3, 4), helper="Sam")
        store.save_plan_edit(audit_id, second.item_id, second.visit, done=True)
    out = tmp_path / "plan.ics"
    code, _, err = run(capsys, "calendar", audit_id, "--db", str(db), "-o", str(out))
    assert code == 0, err
    found = {str(e["uid"]): e for e in events(out.read_bytes())}
    assert found[event_uid(audit_id, first.item_id, first.visit)].decoded("dtstart") == dt.date(2027, 3, 4)
    assert event_uid(audit_id, second.item_id, second.visit) not in found
    assert len(found) == len(calendar_actions(base)) - 1


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["no-such-file.yaml"], "no such file"),
        (["no-such-audit", "--db", "{tmp}/missing.db"], "missing.db"),
        ([str(EXAMPLES / "half-finished.yaml")], None),
    ],
)
def test_calendar_says_what_is_wrong_in_one_line_and_exits_2(capsys, tmp_path, argv, words):
    out = tmp_path / "plan.ics"
    code, _, err = run(capsys, "calendar", *[a.replace("{tmp}", str(tmp_path)) for a in argv], "-o", str(out))
    if words is None:  # an example with dated actions: fine
        assert code == 0
        return
    assert code == 2 and err.startswith("homeaudit calendar: ") and err.count("\n") == 1 and words in err
    assert not out.exists()


def test_calendar_writes_nothing_when_no_open_action_has_a_date(capsys, tmp_path, library):
    from homeaudit.audit import blank, save

    source = tmp_path / "blank.yaml"
    save(blank(library, ["bathroom"]), source)
    out = tmp_path / "plan.ics"
    code, _, err = run(capsys, "calendar", str(source), "-o", str(out))
    assert code == 2 and "no open action has a due date" in err and not out.exists()
