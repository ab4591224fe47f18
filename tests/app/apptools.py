"""Helpers for driving the app with streamlit.testing.v1.AppTest (no browser)."""

from __future__ import annotations

import io
import re
from pathlib import Path

from PIL import Image
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "audit_app.py"
PAGES = {
    "start": "homeaudit/app/start.py",
    "walkthrough": "homeaudit/app/walkthrough.py",
    "results": "homeaudit/app/results.py",
    "audits": "homeaudit/app/audits.py",
    "overview": "homeaudit/app/overview.py",
}


def open_page(page: str, audit_id: str | None = None, room: str | None = None) -> AppTest:
    """A new browser session opening a page at a URL like /walkthrough?audit=…&room=…"""
    at = AppTest.from_file(str(APP), default_timeout=30)
    if audit_id:
        at.query_params["audit"] = audit_id
    if room:
        at.query_params["room"] = room
    at.run()
    if page != "start":
        at.switch_page(PAGES[page]).run()
    return ok(at)


def ok(at: AppTest) -> AppTest:
    """The run ended without an exception or the page's 'something went wrong' message."""
    assert not at.exception, [e.message for e in at.exception]
    assert "_last_error" not in at.session_state, at.session_state["_last_error"]
    return at


def whole(at: AppTest) -> AppTest:
    """The whole page drawn again. A tap on a question re-draws only its card and the progress
    (fragments); AppTest then holds only those, so a test that goes on to the rest of the page
    (Next, the room list) draws it all first, as the browser still shows it."""
    return ok(at.run())


def answer_key(audit_id: str, visit: int, item_id: str, part: str = "value") -> str:
    return f"{audit_id}|{visit}|{item_id}|{part}"


def png_bytes(size=(64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def headers(at: AppTest) -> list[str]:
    return [h.value for h in at.header]


def all_text(at: AppTest) -> str:
    """Everything the page shows as text or Markdown, as the reader sees it (escapes removed)."""
    parts = [m.value for m in at.markdown] + [t.value for t in at.text] + [c.value for c in at.caption]
    parts += [h.value for h in at.header] + [h.value for h in at.subheader]
    parts += (
        [e.value for e in at.error] + [e.value for e in at.warning] + [e.value for e in at.info] + [e.value for e in at.success]
    )
    parts += [m.value for m in at.metric] + [m.label for m in at.metric] + [t.value for t in at.toast]
    return re.sub(r"\\(.)", r"\1", "\n".join(str(p) for p in parts))  # Markdown escapes removed


def hazardous(db, make_audit, library, role: str = "family") -> str:
    """An audit with a few hazards in the bathroom and a resident who fell this year."""
    audit_id = make_audit(rooms=("entrance", "bathroom"), role=role)
    for item in library.room("bathroom").items:
        if item.answer_type == "yes_no":
            db.save_answer(audit_id, 1, item.id, "no" if "no" in item.hazard_options else "yes")
    db.save_answer(audit_id, -1, "resident.fallen_past_year", "yes")
    return audit_id
