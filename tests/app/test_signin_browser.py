"""Sign-in end to end, in Chromium on a phone's screen: a practice's server (``[auth]`` in its
secrets) signs in through an OpenID Connect provider (oidc-provider-mock on loopback), and each
practice sees only its own clients, even when it asks for another practice's audit by its id.

Alice belongs to the north practice and Bob to the south; the database holds one client of each.
Screenshots of the sign-in screen go to test-artifacts/screenshots/. In CI (CI=true) a missing
browser or identity provider fails the test; elsewhere it is skipped, saying why.
"""

from __future__ import annotations

import os

import pytest
from browser import (
    BROWSER_ARGS,
    CHROMIUM,
    ROOT,
    app_command,
    app_home,
    free_port,
    identity_provider,
    need_browser,
    serving,
    settle,
    sign_in_as,
)

from homeaudit import checklist, store
from homeaudit.audit import Auditor, Client, blank

pytestmark = pytest.mark.e2e

ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
PHONE = {"width": 390, "height": 844}
SIGN_IN = "Sign in with your practice's account"
USERS = [
    {"sub": "alice", "email": "alice@north.example", "name": "Alice North", "practice": "north"},
    {"sub": "bob", "email": "bob@south.example", "name": "Bob South", "practice": "south"},
]


@pytest.fixture
def practice_server(tmp_path):
    """The app as a practice's server, its database holding a north client and a south client."""
    need_browser()
    library = checklist.load()
    db_path = tmp_path / "server" / "homeaudit.db"
    ids = {}
    for practice, name in (("north", "Nora Northcott"), ("south", "Sam Southey")):
        with store.connect(db_path, practice=practice, author=f"admin@{practice}.example") as s:
            audit = blank(library, ["entrance", "bathroom"], client=Client(name=name), auditor=Auditor(role="ot"))
            ids[practice] = s.create_audit(audit)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with identity_provider(tmp_path, USERS) as provider:
        home = app_home(tmp_path, provider, url)
        env = {**os.environ, "HOMEAUDIT_DB": str(db_path)}
        with serving(app_command(port), f"{url}/_stcore/health", tmp_path / "streamlit.log", env=env, cwd=home):
            yield url, ids


def _main_text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def _shown_once(page, name: str) -> str:
    """The main area's text once the list of clients is drawn (``name`` is in it)."""
    settle(page)
    page.get_by_text(name).first.wait_for()
    return _main_text(page)


def _when_shown(page, words: str) -> str:
    """Everything on screen once ``words`` are (a page's main area is drawn after its menu)."""
    settle(page)
    page.get_by_text(words).first.wait_for()
    return _page_text(page)


def _page_text(page) -> str:
    """Everything on screen, the sidebar too (where the signed-in user is named)."""
    return page.locator('[data-testid="stApp"]').inner_text().replace("\u2060", "")  # the joiner that keeps an email plain


def _sign_out(page) -> None:
    """Sign out from the sidebar (on a phone, opened from its button first), then end the
    session at the identity provider, which sends the browser back to the app."""
    if page.viewport_size["width"] < 640:  # a phone: the sidebar folds away once the page is drawn
        page.locator('[data-testid="stExpandSidebarButton"]').click()
    page.locator('[data-testid="stSidebar"] button', has_text="Sign out").click()
    page.get_by_role("button", name="End session").click(timeout=20_000)
    settle(page)


def _screenshots(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for size in (PHONE, {"width": 1280, "height": 800}):
        page.set_viewport_size(size)
        page.wait_for_timeout(500)
        page.screenshot(path=str(ARTIFACTS / f"{name}-{size['width']}.png"))
    page.set_viewport_size(PHONE)


def test_each_practice_signs_in_and_sees_only_its_own_clients(practice_server):
    from playwright.sync_api import sync_playwright

    url, ids = practice_server
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=BROWSER_ARGS)
        try:
            alice = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
            alice.set_default_timeout(20_000)

            # Not signed in: the sign-in screen and nothing else, whichever page is asked for.
            for path in ("/", f"/audits?audit={ids['north']}", f"/results?audit={ids['north']}"):
                alice.goto(url + path)
                text = _when_shown(alice, SIGN_IN)
                assert SIGN_IN in text
                assert "Nora Northcott" not in text and "Sam Southey" not in text
                button = alice.get_by_role("button").filter(has_text="Sign in")
                button.first.wait_for()  # drawn a moment after the words above it on a busy machine
                assert button.count() == 1
                assert alice.locator('[data-testid="stPageLink"], [data-testid="stTopNavLink"]').count() == 0
            alice.goto(url)
            _when_shown(alice, SIGN_IN)
            _screenshots(alice, "sign-in")

            # Alice signs in: her practice's client, never the other practice's.
            sign_in_as(alice, "alice")
            assert "kept on this computer only" not in _when_shown(alice, "What would you like to do?")
            alice.goto(f"{url}/audits")
            text = _shown_once(alice, "Nora Northcott")
            assert "Nora Northcott" in text and "Sam Southey" not in text

            # Bob, on another phone: the south client only; north's audit by its id is not found.
            bob = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
            bob.set_default_timeout(20_000)
            bob.goto(url)
            sign_in_as(bob, "bob")
            bob.goto(f"{url}/audits")
            text = _shown_once(bob, "Sam Southey")
            assert "Sam Southey" in text and "Nora Northcott" not in text
            for page_path in ("results", "walkthrough"):
                bob.goto(f"{url}/{page_path}?audit={ids['north']}")
                text = _when_shown(bob, "There is no audit")
                assert f"There is no audit {ids['north']} in this database" in text, page_path
                assert "Nora Northcott" not in text, page_path

            # Signing out ends it: back to the sign-in screen, and the audits are out of reach.
            bob.set_viewport_size({"width": 1280, "height": 800})
            bob.goto(f"{url}/audits")
            assert "Signed in as Bob South (bob@south.example)" in _when_shown(bob, "Sam Southey")
            _sign_out(bob)
            bob.goto(f"{url}/audits")
            text = _when_shown(bob, SIGN_IN)
            assert SIGN_IN in text and "Sam Southey" not in text

            # On the phone the way out is in the sidebar's menu: Alice is still signed in, and signs out.
            alice.goto(f"{url}/audits")
            _shown_once(alice, "Nora Northcott")
            _screenshots(alice, "signed-in-audits")
            _sign_out(alice)
            alice.goto(f"{url}/audits")
            text = _when_shown(alice, SIGN_IN)
            assert SIGN_IN in text and "Nora Northcott" not in text
        finally:
            browser.close()
