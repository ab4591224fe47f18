"""The plan as cards in a real browser, on a phone: a tap on Done is saved at once and the card
shows it, and no card's words are cut off. `streamlit run` on a loopback port, Debian's Chromium
via Playwright (never a downloaded one); in CI (CI=true) a missing browser fails the test.

Screenshots at 390 x 844 (a phone, touch) and 1280 x 800 go to
test-artifacts/screenshots/results-cards-*.png, to be looked at: a cramped card is a bug too.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest
from browser import BROWSER_ARGS, CHROMIUM, ROOT, free_port, need_browser, running, settle, wait_for

from homeaudit import checklist, load_audit, score, store
from homeaudit.app import plan

ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
EXAMPLE = ROOT / "examples" / "hazardous-house.yaml"  # a long plan: 70-odd actions, notes, readings

pytestmark = pytest.mark.e2e

CARDS = '[class*="st-key-plan-open-"], [class*="st-key-plan-done-"]'
# Every element of every card whose content is wider than its box: text cut off, or pushed out of
# sight. Elements hidden on purpose (Streamlit's visually hidden inputs are clipped) are skipped.
CUT_OFF = """(selector) => {
  const cut = [];
  document.querySelectorAll(selector).forEach((card, n) => {
    const parts = card.querySelectorAll('p, input, [data-testid="stWidgetLabel"], [data-testid="stText"]');
    for (const el of [card, ...parts]) {
      const style = getComputedStyle(el);
      if (el.offsetParent === null || style.clip !== 'auto' || style.clipPath !== 'none') continue;
      const words = (el.innerText || el.value || '').slice(0, 60);
      const sizes = `${el.scrollWidth}>${el.clientWidth}`;
      if (el.scrollWidth > el.clientWidth + 1) cut.push(`card ${n + 1}, ${el.tagName} ${sizes}: ${words}`);
    }
  });
  return cut;
}"""


@pytest.fixture
def server(tmp_path: Path):
    need_browser()
    library = checklist.load()
    db_path = tmp_path / "cards" / "homeaudit.db"
    with store.connect(db_path) as db:
        audit_id = db.create_audit(load_audit(EXAMPLE, library))
    port = free_port()
    env = {**os.environ, "HOMEAUDIT_DB": str(db_path)}
    command = [sys.executable, "-m", "streamlit", "run", "audit_app.py", "--server.port", str(port), "--server.headless", "true"]
    with running(command, port, tmp_path / "streamlit.log", env):
        yield f"http://127.0.0.1:{port}", db_path, audit_id, library


def _show_plan(page) -> None:
    """Scroll the page so that the first band's heading is at the top, under the app's bar."""
    page.get_by_role("heading", name="This week").evaluate("el => el.scrollIntoView({block: 'start'})")
    page.evaluate("""() => { const m = document.querySelector('[data-testid="stMain"]');
                           if (m) m.scrollBy(0, -70); window.scrollBy(0, -70); }""")
    page.wait_for_timeout(400)


def test_on_a_phone_a_tap_on_done_saves_the_card_at_once_and_no_card_is_cut_off(server):
    from playwright.sync_api import sync_playwright

    url, db_path, audit_id, library = server
    with store.connect(db_path) as db:
        first = score(db.load_audit(audit_id), library).actions[0]
    key = plan.card_key(first)
    outside: list[str] = []
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=BROWSER_ARGS)
        try:
            phone = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True, locale="en-GB")
            page = phone.new_page()
            page.on("request", lambda r: outside.append(r.url) if urlparse(r.url).hostname not in ("127.0.0.1", None) else None)
            page.goto(f"{url}/results?audit={audit_id}")
            page.get_by_role("heading", name="Results").wait_for()
            settle(page)
            card = page.locator(f".st-key-plan-open-{key}")
            card.wait_for()
            _show_plan(page)

            cards = page.locator(CARDS)
            assert cards.count() >= 10
            assert page.evaluate(CUT_OFF, CARDS) == [], "cut off at 390 px"
            assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways"

            tapped = time.monotonic()
            card.locator('[data-testid="stCheckbox"] label').tap()
            with store.connect(db_path) as db:
                wait_for(
                    lambda: any(e.item_id == first.item_id and e.done for e in db.plan_edits(audit_id)),
                    "the tick in the database",
                )
            done = page.locator(f".st-key-plan-done-{key}")
            done.wait_for(timeout=10_000)
            shown_after = time.monotonic() - tapped
            page.get_by_text("Saved: action 1 marked done").wait_for(timeout=10_000)
            assert done.get_by_role("checkbox", name="Done").is_checked()
            total = len(score(load_audit(EXAMPLE, library), library).actions)
            page.get_by_text(f"1 of {total} done").wait_for(timeout=5_000)  # the progress, re-drawn with the card
            assert page.evaluate(CUT_OFF, f".st-key-plan-done-{key}") == []
            assert shown_after < 5, f"the card took {shown_after:.1f} s to show the tick"
            page.wait_for_timeout(300)
            page.screenshot(path=str(ARTIFACTS / "results-cards-390.png"))

            # The folded band: its cards, inside the expander's narrower box, are not cut off either.
            before = cards.count()
            page.get_by_text("Show its").first.tap()
            wait_for(lambda: cards.count() == min(total, before + plan.LATER_PAGE), "the first later cards")
            settle(page)
            assert page.evaluate(CUT_OFF, CARDS) == [], "cut off at 390 px, the later band open"
            phone.close()

            desk = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB")
            page = desk.new_page()
            page.on("request", lambda r: outside.append(r.url) if urlparse(r.url).hostname not in ("127.0.0.1", None) else None)
            page.goto(f"{url}/results?audit={audit_id}")
            page.get_by_role("heading", name="Results").wait_for()
            settle(page)
            page.locator(f".st-key-plan-done-{key}").wait_for()  # the tick is there on a new visit
            _show_plan(page)
            assert page.evaluate(CUT_OFF, CARDS) == [], "cut off at 1280 px"
            page.screenshot(path=str(ARTIFACTS / "results-cards-1280.png"))
            desk.close()
        except Exception:
            page.screenshot(path=str(ARTIFACTS / "results-cards-failure.png"))
            raise
        finally:
            browser.close()
    assert outside == [], f"the browser called outside this machine: {outside}"
