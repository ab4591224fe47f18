"""Sign-in on a practice's server: which practice a user's claims name, and what each page shows
before and after sign-in (AppTest seeds ``st.user`` and the secrets; the browser tests go through
a real identity provider)."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from homeaudit import store
from homeaudit.app import signin, state
from homeaudit.app.signin import (
    Who,
    author_from_claims,
    claim_settings,
    link_practice,
    practice_from_claims,
    signin_configured,
    who_from_claims,
)
from homeaudit.audit import Auditor, Client, blank

from apptools import APP, PAGES, all_text, headers, ok, open_page

AUTH = {
    "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
    "cookie_secret": "not-a-secret-only-a-test",
    "client_id": "homeaudit",
    "client_secret": "unused",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}
ALICE = {"is_logged_in": True, "sub": "alice", "email": "alice@north.example", "name": "Alice North", "practice": "north"}
BOB = {"is_logged_in": True, "sub": "bob", "email": "bob@south.example", "practice": "south"}


# --------------------------------------------------------------------------- the rules


def test_a_text_claim_names_the_practice():
    assert practice_from_claims({"practice": "north"}, "practice", "") == "north"
    assert practice_from_claims({"practice": "  north "}, "practice", "") == "north"


def test_in_a_list_of_groups_only_the_entries_with_the_prefix_count_with_the_prefix_removed():
    groups = {"groups": ["staff", "homeaudit-north", "everyone"]}
    assert practice_from_claims(groups, "groups", "homeaudit-") == "north"
    assert practice_from_claims({"groups": ["homeaudit-north", "homeaudit-north"]}, "groups", "homeaudit-") == "north"


def test_a_text_claim_must_carry_the_prefix_too():
    """A provider that gives one group as text instead of a list: ``staff`` never becomes a practice."""
    assert practice_from_claims({"groups": "staff"}, "groups", "homeaudit-") is None
    assert practice_from_claims({"groups": "homeaudit-south"}, "groups", "homeaudit-") == "south"


def test_no_practice_is_refused():
    assert link_practice({}, "practice", "").why == "no 'practice' claim"
    assert practice_from_claims({"practice": None}, "practice", "") is None
    assert practice_from_claims({"practice": ""}, "practice", "") is None
    assert practice_from_claims({"practice": []}, "practice", "") is None
    assert practice_from_claims({"groups": ["staff", "everyone"]}, "groups", "homeaudit-") is None
    # the prefix alone would be the single-user practice "": never given to a signed-in user
    assert practice_from_claims({"groups": ["homeaudit-"]}, "groups", "homeaudit-") is None


def test_several_practices_are_refused_not_guessed():
    linked = link_practice({"groups": ["homeaudit-north", "homeaudit-south"]}, "groups", "homeaudit-")
    assert linked.practice is None
    assert linked.why == "several practices in the 'groups' claim: north, south"


@pytest.mark.parametrize("value", [7, True, {"name": "north"}, ["north", 7]])
def test_a_claim_that_is_not_text_or_a_list_of_text_is_refused(value):
    assert practice_from_claims({"practice": value}, "practice", "") is None


def test_the_author_is_the_email_else_the_subject():
    assert author_from_claims({"email": "alice@north.example", "sub": "a1"}) == "alice@north.example"
    assert author_from_claims({"email": "", "sub": "a1"}) == "a1"
    assert author_from_claims({"sub": "a1"}) == "a1"
    assert author_from_claims({}) == ""


def test_sign_in_is_on_when_the_secrets_have_an_auth_section():
    assert signin_configured({"auth": AUTH})
    assert not signin_configured({})
    assert not signin_configured({"auth": {}})
    assert not signin_configured({"other": {"auth": 1}})


def test_the_claim_and_the_prefix_come_from_the_environment():
    assert claim_settings({}) == ("practice", "")
    assert claim_settings({"HOMEAUDIT_PRACTICE_CLAIM": "groups", "HOMEAUDIT_PRACTICE_PREFIX": "homeaudit-"}) == (
        "groups",
        "homeaudit-",
    )


def test_a_user_is_someone_signed_in_and_linked_to_one_practice():
    assert who_from_claims(ALICE, {}) == Who("north", "alice@north.example", "Alice North (alice@north.example)", True)
    assert who_from_claims({**ALICE, "is_logged_in": False}, {}) is None
    assert who_from_claims({**ALICE, "practice": ["north", "south"]}, {}) is None
    env = {"HOMEAUDIT_PRACTICE_CLAIM": "groups", "HOMEAUDIT_PRACTICE_PREFIX": "ha-"}
    assert who_from_claims({"is_logged_in": True, "sub": "b", "groups": ["ha-south", "x"]}, env) == Who("south", "b", "b", True)


def test_a_database_url_is_passed_on_unchanged_and_a_file_path_made_absolute(monkeypatch, tmp_path):
    url = "postgresql://homeaudit@db.internal:5432/homeaudit"
    monkeypatch.setenv("HOMEAUDIT_DB", url)
    assert state.db_target([]) == url
    assert state.db_target(["--db", "postgresql+psycopg://h/x"]) == "postgresql+psycopg://h/x"
    monkeypatch.chdir(tmp_path)
    assert state.db_target(["--db=rel.db"]) == str(tmp_path / "rel.db")
    monkeypatch.setenv("HOMEAUDIT_DB", "data/x.db")
    assert state.db_target([]) == str(tmp_path / "data" / "x.db")


# --------------------------------------------------------------------------- the app


def _app(user: dict | None, page: str = "start", audit_id: str | None = None) -> AppTest:
    """A new session on a server with sign-in configured, as ``user`` (None: nobody signed in)."""
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.secrets["auth"] = dict(AUTH)
    at.user = dict(user) if user is not None else {"is_logged_in": False}
    if audit_id:
        at.query_params["audit"] = audit_id
    at.run()
    if page != "start":
        at.switch_page(PAGES[page]).run()
    return at


def _has(at: AppTest, key: str) -> bool:
    return any(b.key == key for b in at.button)


def _practice_audit(target: str, practice: str, name: str, library) -> str:
    with store.connect(target, practice=practice, author=f"someone@{practice}.example") as s:
        return s.create_audit(blank(library, ["entrance", "bathroom"], client=Client(name=name), auditor=Auditor(role="ot")))


@pytest.fixture
def practices(db_target, monkeypatch, library):
    """One database (a SQLite file, or a PostgreSQL URL passed to the app as it is) holding a
    client of the north practice and one of the south."""
    monkeypatch.setenv("HOMEAUDIT_DB", db_target)
    north = _practice_audit(db_target, "north", "Nora Northcott", library)
    return db_target, north, _practice_audit(db_target, "south", "Sam Southey", library)


def test_without_sign_in_the_start_page_says_it_is_single_user(db):
    at = open_page("start")
    assert signin.SINGLE_USER in [c.value for c in at.caption]
    assert not _has(at, "sign_out")


def test_with_sign_in_configured_nobody_sees_a_page_before_signing_in(db, make_audit):
    make_audit(name="Ann Smith")
    at = _app(None)
    ok(at)
    assert [t.value for t in at.title] == ["Home safety audit"]
    assert [b.key for b in at.button] == ["sign_in"]
    assert [b.label for b in at.button] == ["Sign in"]
    text = all_text(at)
    assert signin.SIGN_IN_TEXT in text
    assert "Ann Smith" not in text and signin.SINGLE_USER not in text
    assert not at.selectbox and not at.text_input and not headers(at)  # no form, no page of the app


def test_a_deep_link_before_sign_in_shows_only_the_sign_in_screen(db, make_audit):
    audit_id = make_audit(name="Ann Smith")
    at = ok(_app(None, page="results", audit_id=audit_id))
    assert [b.key for b in at.button] == ["sign_in"]
    assert "Ann Smith" not in all_text(at) and not headers(at)


def test_a_signed_in_user_without_a_practice_is_refused_and_can_sign_out(db, make_audit):
    make_audit(name="Ann Smith")
    at = ok(_app({"is_logged_in": True, "sub": "carol", "email": "carol@example.org"}))
    assert signin.NOT_LINKED in [w.value for w in at.warning]
    assert [b.key for b in at.button] == ["sign_out"]
    assert "Ann Smith" not in all_text(at) and not headers(at)
    ok(at.button(key="sign_out").click().run())
    assert at.user == {"is_logged_in": False}  # st.logout() ran
    ok(at.run())  # the page the browser is sent back to
    assert [b.key for b in at.button] == ["sign_in"]


def test_a_user_in_two_practices_is_refused(practices):
    at = ok(_app({**ALICE, "practice": ["north", "south"]}, page="audits"))
    assert signin.NOT_LINKED in [w.value for w in at.warning]
    text = all_text(at)
    assert "Nora Northcott" not in text and "Sam Southey" not in text


def test_a_signed_in_user_sees_who_they_are_and_no_single_user_sentence(practices):
    at = ok(_app(ALICE))
    shown = [re.sub(r"\\(.)", r"\1", m.value).replace("\u2060", "") for m in at.sidebar.markdown]
    assert "Signed in as **Alice North (alice@north.example)**" in shown
    assert "Practice: north" in [c.value for c in at.sidebar.caption]
    assert _has(at, "sign_out")
    assert signin.SINGLE_USER not in [c.value for c in at.caption]


def test_each_practice_sees_only_its_own_clients(practices):
    alice = ok(_app(ALICE, page="audits"))
    text = "\n".join([*headers(alice), all_text(alice)])
    assert "Nora Northcott" in text and "Sam Southey" not in text
    bob = ok(_app(BOB, page="audits"))
    text = "\n".join([*headers(bob), all_text(bob)])
    assert "Sam Southey" in text and "Nora Northcott" not in text


@pytest.mark.parametrize("page", ["results", "walkthrough"])
def test_another_practices_audit_is_not_found_even_by_its_id(practices, page):
    _, north, _ = practices
    at = ok(_app(BOB, page=page, audit_id=north))
    text = all_text(at)
    assert f"There is no audit {north} in this database" in text.replace("\\", "")
    assert "Nora Northcott" not in text


def test_groups_with_a_prefix_choose_the_practice(practices, monkeypatch):
    monkeypatch.setenv("HOMEAUDIT_PRACTICE_CLAIM", "groups")
    monkeypatch.setenv("HOMEAUDIT_PRACTICE_PREFIX", "homeaudit-")
    user = {"is_logged_in": True, "sub": "dan", "groups": ["staff", "homeaudit-south"]}
    at = ok(_app(user, page="audits"))
    text = "\n".join([*headers(at), all_text(at)])
    assert "Sam Southey" in text and "Nora Northcott" not in text


def test_an_audit_created_by_a_signed_in_user_belongs_to_their_practice(practices, library):
    path, _, _ = practices
    at = ok(_app(ALICE))
    at.text_input(key="client_name").input("Nina New")
    ok(at.run())
    ok(at.button(key="create").click().run())
    audit_id = at.query_params["audit"]
    with store.connect(path, practice="north") as north:
        assert north.load_audit(audit_id).client.name == "Nina New"
    with store.connect(path, practice="south") as south, pytest.raises(store.StoreError):
        south.load_audit(audit_id)


def test_a_server_database_without_sign_in_opens_no_page(postgres_url, monkeypatch, library):
    """A PostgreSQL URL and no [auth] (a typo, the wrong secrets file): single-user mode would show
    every practice's clients to whoever reaches the app, so nothing opens unless asked for."""
    monkeypatch.setenv("HOMEAUDIT_DB", postgres_url)
    _practice_audit(postgres_url, "north", "Nora Northcott", library)
    _practice_audit(postgres_url, "", "Sam Southey", library)
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.user = {"is_logged_in": False}
    at.run()
    assert [e.value for e in at.error] == [signin.SignInMissing.shown]
    text = all_text(at)
    assert "Nora Northcott" not in text and "Sam Southey" not in text and not at.button
    monkeypatch.setenv(signin.SINGLE_USER_ENV, "1")  # one trusted user, said so on purpose
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.run()
    assert not at.error and signin.SINGLE_USER in [c.value for c in at.caption]
