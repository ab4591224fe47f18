"""User text is text on every page: names, addresses, room labels, notes and an OT's own checklist
wording full of Markdown and HTML show exactly as typed in a real browser, and nothing they name
is fetched.

The hostile words point at 127.0.0.9, a loopback address nothing listens on: a request to it means
the page turned text into an image or a link it followed.
"""

from __future__ import annotations

import os
import textwrap
import time

import pytest
from browser import BROWSER_ARGS, CHROMIUM, ROOT, free_port, need_browser, running, settle

from homeaudit import checklist
from homeaudit.audit import Answer, Audit, Auditor, Client, RoomVisit
from homeaudit.store import connect

pytestmark = pytest.mark.e2e

BAIT = "http://127.0.0.9:9"
NAME = f"**Zoë** <b>bold</b> [link]({BAIT}/n) :material/skull: :streamlit: :smile: zoe@127.0.0.9.example"
ADDRESS = "1. Not a list <script>window.hit=1</script> & Elm St"
LABEL = f"![img]({BAIT}/i.png) :red[Hall] $x^2$ <img src={BAIT}/x.png>"
NOTE = '=HYPERLINK("x") # heading _it_ `code`'
AUDITOR = "<i>Ann</i> ~~Lee~~"
QUESTION = f"Is the **rail** <i>firm</i>? [see]({BAIT}/q)"
OPTION = f"![o]({BAIT}/o.png) Firm *enough*"
ROOM_NAME = "Sun <u>room</u> **lounge**"

EXTRA_ROOM = textwrap.dedent(
    f"""
    room: sunroom
    name: "{ROOM_NAME}"
    order: 45
    description: "A room *in the sun* <em>bright</em>"
    items:
      - id: sunroom.rail
        topic: stairs
        question: "{QUESTION}"
        help: "Pull it. <b>Hard</b> [help]({BAIT}/h)"
        answer_type: choice
        options:
          - {{value: firm, label: "{OPTION}"}}
          - {{value: loose, label: "Loose <s>rail</s>"}}
        hazard_options: [loose]
        hazard: "Rail is **loose** <b>!</b>"
        severity: 3
        action: "Fix the rail [now]({BAIT}/a)"
        who: handyperson
        cost: under_50
        source: "An OT's own note"
    """
)


def _audit(library: checklist.Library) -> Audit:
    return Audit(
        id="hostile",
        client=Client(name=NAME, address=ADDRESS),
        auditor=Auditor(name=AUDITOR, role="ot"),
        rooms=[
            RoomVisit(room="hallway", label=LABEL, answers={"hallway.loose_rugs": Answer(value="no", note=NOTE)}),
            RoomVisit(room="sunroom", answers={"sunroom.rail": Answer(value="loose", note=NOTE)}),
        ],
    )


def _shown(page) -> str:
    """The page's text as a person reads it (the invisible word joiner that keeps a web address
    from turning into a link is not something anyone sees)."""
    return page.evaluate("""() => document.querySelector('[data-testid="stMain"]').innerText""").replace("\u2060", "")


def _wait_shown(page, text: str, message: str, timeout: float = 15) -> None:
    """Wait (bounded) for the text to appear as typed; fail with what the page shows instead."""
    deadline = time.monotonic() + timeout
    while text not in (shown := _shown(page)):
        if time.monotonic() > deadline:
            pytest.fail(f"{message}; the page shows:\n{shown[:3000]}")
        page.wait_for_timeout(200)


def test_user_and_checklist_text_shows_literally_on_every_page_and_nothing_is_fetched(tmp_path):
    need_browser()
    from playwright.sync_api import sync_playwright

    extra = tmp_path / "checklists"
    extra.mkdir()
    (extra / "sunroom.yaml").write_text(EXTRA_ROOM, encoding="utf-8")
    library = checklist.load(extra)
    db = tmp_path / "h.db"
    with connect(db) as store:
        audit_id = store.create_audit(_audit(library))
    port = free_port()
    env = {**os.environ, "HOMEAUDIT_DB": str(db), "HOMEAUDIT_CHECKLISTS": str(extra)}
    command = [str(ROOT / ".venv" / "bin" / "streamlit"), "run", "audit_app.py", f"--server.port={port}"]
    if not (ROOT / ".venv" / "bin" / "streamlit").exists():
        command = ["streamlit", "run", "audit_app.py", f"--server.port={port}"]
    fetched: list[str] = []
    with running(command, port, tmp_path / "server.log", env), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on("request", lambda request: fetched.append(request.url) if "127.0.0.9" in request.url else None)
        base = f"http://127.0.0.1:{port}"
        pages = {
            "start": [NAME],
            "walkthrough&room=hallway": [NAME, LABEL, NOTE, f"Next: {ROOM_NAME}"],
            "walkthrough&room=sunroom": [
                ROOM_NAME,
                "A room *in the sun* <em>bright</em>",
                QUESTION,
                OPTION,
                "Loose <s>rail</s>",
                NOTE,
            ],
            "results": [NAME, "Rail is **loose** <b>!</b>", f"Fix the rail [now]({BAIT}/a)"],
            "audits": [NAME, ADDRESS],
        }
        for path, expected in pages.items():
            name, _, room = path.partition("&")
            page.goto(f"{base}/{name}?audit={audit_id}" + (f"&{room}" if room else ""))
            settle(page)
            for text in expected:
                _wait_shown(page, text, f"{name}: {text!r} is not shown as typed")
            assert page.evaluate("() => window.hit === undefined"), f"{name}: a script from user text ran"
            html = page.content()
            assert f'src="{BAIT}' not in html and f'href="{BAIT}' not in html, f"{name}: user text became a link or an image"
            assert "mailto:" not in html, f"{name}: an e-mail address in user text became a link"
        page.goto(f"{base}/walkthrough?audit={audit_id}&room=hallway")
        settle(page)
        page.get_by_role("combobox", name="Go to a room").click()
        options = page.get_by_role("option").all_inner_texts()
        assert any(LABEL in option for option in options), options
        browser.close()
    assert fetched == [], f"the page fetched what user text named: {fetched}"
