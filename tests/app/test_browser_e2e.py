"""End to end in a real browser: `streamlit run` on a loopback port, Debian's Chromium via Playwright.

A whole audit: create it, answer questions in two rooms, reload and find every answer, finish,
download the PDF and read it back. Screenshots of every page at 390 px (a phone) and 1280 px
go to test-artifacts/screenshots/. The browser must make no request beyond this machine.

Chromium is never downloaded: the test uses /usr/bin/chromium (`.ci/run` installs it with
apt-get). In CI (CI=true) a missing browser fails the test; elsewhere it is skipped, saying why.
"""

from __future__ import annotations

import os
import sys
from urllib.parse import parse_qs, urlparse

import pytest
from browser import BROWSER_ARGS, CHROMIUM, ROOT, free_port, need_browser, running, settle, wait_for

from homeaudit import checklist, store
from homeaudit.audit import RESIDENT_VISIT

ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
WIDTHS = (390, 1280)
NOTE = "Rug curls ![x](http://example.com/t.png)"

pytestmark = pytest.mark.e2e


@pytest.fixture
def server(tmp_path):
    need_browser()
    port = free_port()
    db_path = tmp_path / "e2e" / "homeaudit.db"
    env = {**os.environ, "HOMEAUDIT_DB": str(db_path)}
    command = [sys.executable, "-m", "streamlit", "run", "audit_app.py", "--server.port", str(port), "--server.headless", "true"]
    with running(command, port, tmp_path / "streamlit.log", env):
        yield f"http://127.0.0.1:{port}", db_path


def _screenshots(page, name: str) -> None:
    """The whole page at phone and desktop widths (the app scrolls inside its main element)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(600)
        height = page.evaluate(
            """() => { const m = document.querySelector('[data-testid="stMain"]');
                       return Math.max(m ? m.scrollHeight : 0, document.body.scrollHeight); }"""
        )
        page.set_viewport_size({"width": width, "height": min(int(height) + 40, 16000)})
        page.wait_for_timeout(600)
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.wait_for_timeout(300)


def _card(page, question: str):
    """The bordered card of one question, found by its text."""
    return page.locator('[data-testid="stVerticalBlock"][class*="st-key-item-"]').filter(has_text=question).first


def _pressed(card) -> list[str]:
    return [b.inner_text() for b in card.locator('[role="radio"][aria-checked="true"]').all()]


def test_a_whole_audit_in_the_browser_survives_a_reload_and_ends_with_the_pdf(server, tmp_path):
    from playwright.sync_api import sync_playwright
    from pypdf import PdfReader

    url, db_path = server
    library = checklist.load()
    entrance = [i for i in library.room("entrance").items if i.answer_type == "yes_no"][:3]
    hallway = [i for i in library.room("hallway").items if i.answer_type == "yes_no"][:2]
    outside: list[str] = []

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=BROWSER_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
        page = context.new_page()
        page.on("request", lambda r: outside.append(r.url) if urlparse(r.url).hostname not in ("127.0.0.1", None) else None)
        try:
            page.goto(url)
            page.get_by_role("heading", name="Home safety audit").wait_for()
            settle(page)
            _screenshots(page, "1-start")

            page.get_by_label("Whose home is it? (their name)").fill("Margaret Jones")
            page.get_by_label("Address (optional)").fill("12 Elm Road")
            page.get_by_role("button", name="Create the audit and start").click()
            page.get_by_role("heading", name="About the resident").wait_for()
            settle(page)
            audit_id = parse_qs(urlparse(page.url).query)["audit"][0]
            db = store.connect(db_path)

            def saved(visit: int, item_id: str):
                audit = db.load_audit(audit_id)
                answers = audit.resident if visit == RESIDENT_VISIT else audit.rooms[visit].answers
                answer = answers.get(item_id)
                return answer.value if answer else None

            # Room 1: the entrance.
            page.get_by_role("button", name="Next: Entrance and outside steps").click()
            page.get_by_role("heading", name="Entrance and outside steps").wait_for()
            settle(page)
            for item, value, label in zip(entrance, ["yes", "no", "na"], ["Yes", "No", "Not applicable"], strict=False):
                _card(page, item.question).get_by_role("radio", name=label, exact=True).click()
                wait_for(lambda i=item.id, v=value: saved(0, i) == v, f"{item.id} = {value} in the database")
            settle(page)
            card = _card(page, entrance[0].question)
            card.get_by_role("button", name="Note or photo").click()
            note_box = page.get_by_label("Note (optional)")
            note_box.fill(NOTE)
            page.get_by_role("button", name="Save note and photos").click()
            wait_for(lambda: db.load_audit(audit_id).rooms[0].answers[entrance[0].id].note == NOTE, "the note saved")
            card.get_by_role("button", name="Close note and photos").click()
            settle(page)
            _screenshots(page, "2-walkthrough-entrance")

            # Room 2: the hallway.
            page.get_by_role("button", name="Next: Hallway").click()
            page.get_by_role("heading", name="Hallway").wait_for()
            settle(page)
            for item, value, label in zip(hallway, ["no", "yes"], ["No", "Yes"], strict=False):
                _card(page, item.question).get_by_role("radio", name=label, exact=True).click()
                wait_for(lambda i=item.id, v=value: saved(1, i) == v, f"{item.id} = {value} in the database")
            assert parse_qs(urlparse(page.url).query)["room"] == ["hallway"]

            # A reload comes back to the same audit, the same room, every answer in place.
            page.reload()
            page.get_by_role("heading", name="Hallway").wait_for()
            settle(page)
            assert [_pressed(_card(page, i.question)) for i in hallway] == [["No"], ["Yes"]]
            page.get_by_role("button", name="Back").click()
            page.get_by_role("heading", name="Entrance and outside steps").wait_for()
            settle(page)
            assert [_pressed(_card(page, i.question)) for i in entrance] == [["Yes"], ["No"], ["Not applicable"]]
            assert page.get_by_text(f"Note: {NOTE}", exact=True).is_visible()

            # Finish: the results, then the PDF.
            page.get_by_role("link", name="Results").click()
            page.get_by_role("heading", name="Results").wait_for()
            settle(page)
            page.get_by_text("Action plan", exact=True).wait_for()
            _screenshots(page, "3-results")
            # Making the PDF is a separate step, so that a tap elsewhere on the page never waits for it.
            page.get_by_role("button", name="Make the action plan (PDF)").click()
            ready = page.get_by_role("button", name="Download the action plan (PDF)")
            ready.wait_for(timeout=60_000)
            with page.expect_download(timeout=60_000) as download_info:
                ready.click()
            download = download_info.value
            pdf_path = tmp_path / download.suggested_filename
            download.save_as(pdf_path)

            page.get_by_role("link", name="Audits").click()
            page.get_by_role("heading", name="Saved audits").wait_for()
            settle(page)
            _screenshots(page, "4-audits")
        except Exception:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "failure.png"))
            print("failed at", page.url)
            raise
        finally:
            browser.close()

    assert download.suggested_filename == "margaret-jones-" + audit_id[:10] + ".pdf"
    text = "\n".join(page.extract_text() or "" for page in PdfReader(pdf_path).pages)
    assert "Margaret Jones" in text
    assert outside == [], f"the browser called outside this machine: {outside}"
