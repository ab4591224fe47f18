"""The walkthrough in a real browser, where only a browser can tell: touch, scrolling, the size
of what a finger has to hit, a bookmark, a server that goes away.

Debian's Chromium through Playwright, on a loopback port, one server for the module (each test
makes its own audit). In CI a missing browser fails; elsewhere these are skipped, saying why.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser import BROWSER_ARGS, CHROMIUM, drawn, free_port, need_browser, running, settle, wait_for

from homeaudit import checklist
from homeaudit.audit import Auditor, Client, blank
from homeaudit.store import connect

from apptools import png_bytes

pytestmark = pytest.mark.e2e

PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}
TABLET = {"viewport": {"width": 1280, "height": 800}}
COMPACT = "compact=1&only=0&units=asked"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, list[str]]]:
    need_browser()
    folder = tmp_path_factory.mktemp("walk")
    db = folder / "homeaudit.db"
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", "audit_app.py", "--server.port", str(port), "--server.headless", "true"]
    log = folder / "streamlit.log"
    with running(command, port, log, {**os.environ, "HOMEAUDIT_DB": str(db)}) as proc:
        yield f"http://127.0.0.1:{port}", db, [str(proc.pid), str(log)]


@pytest.fixture(scope="module")
def browser(app: Any) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=BROWSER_ARGS)
        yield launched
        launched.close()


def _audit(db: Path, rooms: tuple[str, ...] = ("bathroom", "bedroom"), role: str = "family") -> str:
    library = checklist.load()
    with connect(db) as store:
        return store.create_audit(blank(library, list(rooms), client=Client(name="Test Person"), auditor=Auditor(role=role)))


def _page(browser: Any, url: str, device: dict[str, Any], cookie: str | None = None) -> Any:
    context = browser.new_context(**device)
    if cookie:
        context.add_cookies([{"name": "homeaudit_view", "value": cookie, "url": url}])
    return context.new_page()


def _scroll_top(page: Any) -> float:
    return float(
        page.evaluate(
            """() => { const m = document.querySelector('[data-testid="stMain"]');
                       return Math.max(m ? m.scrollTop : 0, document.scrollingElement.scrollTop); }"""
        )
    )


def test_a_note_typed_then_a_photo_chosen_on_a_phone_are_both_saved(app, browser, tmp_path):
    """How OTs record evidence, on a touch screen: type the note, then choose the photo, then Save."""
    url, db, _ = app
    audit_id = _audit(db)
    item = next(i for i in checklist.load().room("bathroom").items if i.answer_type == "yes_no")
    photo = tmp_path / "rail.png"
    photo.write_bytes(png_bytes((320, 240)))
    page = _page(browser, url, PHONE)
    page.goto(f"{url}/walkthrough?audit={audit_id}&room=bathroom")
    settle(page)
    card = page.locator(f'[class*="st-key-item-"][class*="{item.id.replace(".", "-")}"]').first
    card.get_by_role("button", name="Note or photo").tap()
    box = page.get_by_label("Note (optional)")
    box.wait_for()
    box.tap()
    box.fill("Rail loose at the left fixing")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(photo))
    time.sleep(1.0)  # a touch screen closes the keyboard and the file chooser here: nothing may run
    assert box.is_visible(), "the panel closed before Save"
    assert box.input_value() == "Rail loose at the left fixing"
    save = page.get_by_role("button", name="Save note and photos")
    inside = page.evaluate(
        "(el) => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }", save.element_handle()
    )
    assert inside, "Save is off the screen: the panel runs off the bottom of the phone"
    save.tap()

    def both() -> bool:
        with connect(db) as store:
            answer = store.load_audit(audit_id).rooms[0].answers.get(item.id)
        return answer is not None and answer.note == "Rail loose at the left fixing" and len(answer.photos) == 1

    try:
        wait_for(both, "the note and the photo saved together")
    except AssertionError:
        page.screenshot(path=str(tmp_path / "note.png"))
        with connect(db) as store:
            raise AssertionError(f"saved: {store.load_audit(audit_id).rooms[0].answers.get(item.id)}; see {tmp_path}") from None
    assert not page.get_by_text("Ctrl+Enter").count() and not page.get_by_text("⌘+Enter").count()


def test_create_opens_the_walkthrough_at_its_top(app, browser):
    """The Start page is long; the room that opens after "Create" must start at its top."""
    url, _, _ = app
    page = _page(browser, url, PHONE)
    for attempt in range(3):
        page.goto(f"{url}/")
        settle(page)
        page.get_by_label("Whose home is it? (their name)").fill(f"Person {attempt}")
        page.keyboard.press("Tab")
        settle(page)
        create = page.get_by_role("button", name="Create the audit and start")
        create.scroll_into_view_if_needed()
        assert _scroll_top(page) > 300
        create.tap()
        try:
            page.get_by_role("heading", name="About the resident").wait_for(timeout=60_000)
        except Exception as error:  # said with what the page showed instead
            shown = page.locator('[data-testid="stMain"]').inner_text()[:600]
            raise AssertionError(f"attempt {attempt}: no walkthrough after Create; the page shows: {shown!r}") from error
        settle(page)
        page.wait_for_timeout(400)
        assert _scroll_top(page) < 5, f"attempt {attempt}: the walkthrough opened {_scroll_top(page):.0f} px down"


def test_an_answer_brings_the_next_open_question_into_view(app, browser):
    url, db, _ = app
    audit_id = _audit(db, role="ot")
    page = _page(browser, url, TABLET, COMPACT)
    page.goto(f"{url}/walkthrough?audit={audit_id}&room=bathroom")
    settle(page)
    cards = page.locator('[data-testid="stVerticalBlock"][class*="st-key-item-"]')
    # The room's cards, not an earlier stage of the page (a loaded machine draws them later).
    page.locator('[data-testid="stVerticalBlock"][class*="st-key-item-yes_no"]').nth(3).wait_for(state="attached")
    settle(page)
    yes_no = next(i for i in range(2, cards.count() - 1) if "st-key-item-yes_no" in (cards.nth(i).get_attribute("class") or ""))
    # That card at the foot of the screen, so the question after it is out of sight.
    cards.nth(yes_no).evaluate("(el) => el.scrollIntoView({block: 'end', behavior: 'instant'})")
    page.wait_for_timeout(300)
    following = cards.nth(yes_no + 1)
    assert following.bounding_box()["y"] + following.bounding_box()["height"] > 800
    cards.nth(yes_no).get_by_role("radio", name="Yes", exact=True).click()
    wait_for(
        lambda: (b := following.bounding_box()) is not None and b["y"] >= 0 and b["y"] + b["height"] <= 800,
        "the next open question scrolled into view",
    )


def test_a_tap_redraws_only_its_card_and_the_progress(app, browser):
    """A tap re-runs the card and the progress (fragments), so the rest of the page never goes stale."""
    url, db, _ = app
    audit_id = _audit(db)
    page = _page(browser, url, TABLET)
    page.goto(f"{url}/walkthrough?audit={audit_id}&room=bathroom")
    settle(page)
    progress = page.locator('[data-testid="stProgress"]')
    before = progress.inner_text()
    page.evaluate("() => { window.__header = document.querySelector('h2'); }")
    page.locator('[class*="st-key-item-yes_no"]').first.get_by_role("radio", name="No", exact=True).click()
    wait_for(lambda: progress.inner_text() != before, "the progress to count the answer")
    settle(page)
    assert "Questions answered: 1 of" in progress.inner_text()
    # The room's heading is the same element: the page around the card was not drawn again.
    assert page.evaluate("() => window.__header === document.querySelector('h2') && window.__header.isConnected")


def test_a_bookmark_of_the_start_page_opens_it(app, browser):
    url, _, _ = app
    page = _page(browser, url, TABLET)
    page.goto(f"{url}/start")
    page.get_by_role("heading", name="Home safety audit").wait_for()
    settle(page)
    assert not page.get_by_text("Page not found").count()
    for path in ("walkthrough", "results", "audits"):
        page.goto(f"{url}/{path}")
        settle(page)
        assert not page.get_by_text("Page not found").count(), path


def test_the_text_read_while_walking_round_is_at_least_18_px(app, browser):
    """No small print in the controls read while walking round, on a phone, in both layouts
    (what a finger taps, 44 px at least, is checked on every page by test_accessibility.py)."""
    url, db, _ = app
    audit_id = _audit(db)
    for cookie in (None, COMPACT):
        page = _page(browser, url, PHONE, cookie)
        page.goto(f"{url}/walkthrough?audit={audit_id}&room=bathroom")
        drawn(page)
        read = page.evaluate(
            """() => [...document.querySelectorAll('[data-testid="stMain"] p, [data-testid="stMain"] label, '
                  + '[data-testid="stTopNavLink"] p, [data-testid="stSelectbox"] div')]
                // the size of the text itself: an element with words of its own, not one wrapping a <p>
                .filter((el) => [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim()))
                .filter((el) => el.getBoundingClientRect().height > 0)
                .filter((el) => !el.closest('[data-testid="stCaptionContainer"]'))
                .map((el) => [el.innerText.trim().slice(0, 30), parseFloat(getComputedStyle(el).fontSize)])"""
        )
        assert len(read) >= 20, read  # the questions, the room list, the menu: there is text to measure
        tiny = [f"{words} {size}px" for words, size in read if size < 17.9]
        assert tiny == [], tiny
        page.context.close()


def test_import_a_file_is_on_screen_on_a_phone(app, browser):
    url, _, _ = app
    page = _page(browser, url, PHONE)
    page.goto(f"{url}/")
    settle(page)
    choice = page.get_by_role("radio", name="Import a file")
    box = choice.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    choice.tap()
    settle(page)
    page.get_by_text("An audit file (.yaml or .json").wait_for()


def test_a_lost_connection_says_the_answers_are_saved(tmp_path, browser):
    """Streamlit's own words ("Are you connected to the internet?") frighten and mislead; ours say
    what is true. A server of its own, stopped in the middle of the test."""
    port = free_port()
    db = tmp_path / "homeaudit.db"
    audit_id = _audit(db)
    command = [sys.executable, "-m", "streamlit", "run", "audit_app.py", "--server.port", str(port), "--server.headless", "true"]
    url = f"http://127.0.0.1:{port}"
    with running(command, port, tmp_path / "log", {**os.environ, "HOMEAUDIT_DB": str(db)}) as proc:
        page = _page(browser, url, TABLET)
        page.goto(f"{url}/walkthrough?audit={audit_id}&room=bathroom")
        settle(page)
        os.killpg(proc.pid, 15)
        proc.wait(15)
        banner = page.get_by_role("alert").filter(has_text="Lost the connection. Everything you answered is saved.")
        banner.wait_for(timeout=45_000)
        assert not page.get_by_text("Are you connected to the internet?").is_visible()
        assert not page.get_by_text("Is Streamlit still running?").is_visible()


def test_a_re_audit_is_checked_on_a_phone_one_tap_per_answer_still_true(app, browser):
    """A new visit: each copied answer says so; a tap on "Still the same?" confirms it where the
    finger is (the page does not jump away), and the count at the top goes down."""
    url, db, _ = app
    first = _audit(db, rooms=("bathroom",))
    library = checklist.load()
    items = [i for i in library.room("bathroom").items if i.answer_type == "yes_no"][:3]
    with connect(db) as store:
        for item in items:
            store.save_answer(first, 0, item.id, "yes")
        second = store.duplicate_audit(first)
    page = _page(browser, url, PHONE)
    page.goto(f"{url}/walkthrough?audit={second}&room=bathroom")
    confirm = page.get_by_role("button", name="From the last visit. Still the same? Tap to confirm")
    confirm.first.wait_for()
    drawn(page)
    assert confirm.count() == 3
    page.get_by_text("3 answers still to check (3 in this room)").wait_for()
    target = confirm.nth(1)
    target.scroll_into_view_if_needed()
    box = target.bounding_box()
    assert box is not None and box["height"] >= 44, "a finger's target"
    before = _scroll_top(page)
    target.tap()
    with connect(db) as store:
        wait_for(lambda: len(store.carried(second)) == 2, "the answer confirmed")
    settle(page)
    page.get_by_text("2 answers still to check (2 in this room)").wait_for()
    assert confirm.count() == 2
    assert abs(_scroll_top(page) - before) < 400, "the page stayed where the finger was"
