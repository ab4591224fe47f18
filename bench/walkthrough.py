"""A whole audit typed into the real app, as a person would, in headless Chromium: how many taps
and keypresses each answer costs, how long each tap takes to settle, how far one scrolls.

The app runs with `streamlit run` on a loopback port and a fresh temporary database. For each
pass (1280x800 with a mouse; 390x844 with touch), the bench creates a new audit on the Start page
with the rooms of examples/hazardous-house.yaml, then walks the Walkthrough from the first stop to
the last: each question the file answers gets the file's answer (the option's button; for a
reading, the unit switched if needed, a tap in the number box unless the app has already put the
cursor there, the number typed and Enter; "Can't measure" ticked), then
"Next" to the next room. Notes, photos, "seen or told" and "did someone fall here" are not
entered (the output says how many). At the end the database must hold exactly the file's answers.

What is counted:
* interactions: every click or tap, every typed value (one per field, whatever its length) and
  every keypress (Enter), in the walkthrough (answers, unit switches, moving to the next room);
  the Start page's own (name, room counts, create) are shown apart.
* tap-to-settled: measured in the page with performance.now(), from the tap's pointerdown (for a
  typed reading: the Enter) to the last change of the page after the run has finished: the
  server's "script finished" message has come on the app's WebSocket since the tap (the bench
  reads the top level of each message), there is no status widget and no element with
  data-stale="true", and neither the page (a MutationObserver) nor the connection has changed
  for 100 ms; the time is that of the last change before the quiet. (Waiting for stale elements
  alone is not enough: a quick run can be drawn in one go, never showing one, and the server
  answers a tap at once with a status message, before the run.) Answer taps only (the answer
  buttons and "Can't measure"); typed readings and Next are shown apart.
* screens of scrolling: before each question (and the Next button) the bench scrolls the main
  scroll container just far enough for the question's card to be wholly in view below the
  header, as a person would; the sum of the distances it scrolled (each measured on the scroll
  container), divided by the viewport height. The app's own jump to the top after Next is not
  counted. Also shown room by room.
* wall time: from opening the Start page to the last room answered, the screenshots left out; it
  includes the bench's own waits (the 100 ms of quiet after each run, Playwright's checks).

Targets: at most 25 screens of scrolling at 1280x800 and 35 at 390x844; at most 1.2 interactions
per answered item; for the largest room, median tap-to-settled under 150 ms and p90 under 250 ms.

Needs Playwright (requirements-test.txt) and Debian's /usr/bin/chromium (never a downloaded one).
Screenshots, one per room at each width: test-artifacts/bench-walkthrough/.

Run: .venv/bin/python bench/walkthrough.py [--width 1280|390|both] [--rooms N] [--timeout S]
     (--rooms N: only the first N stops, for a quick run; the whole run stops itself after S s)
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

EXAMPLE = ROOT / "examples" / "hazardous-house.yaml"
ARTIFACTS = ROOT / "test-artifacts" / "bench-walkthrough"
CHROMIUM = "/usr/bin/chromium"
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSES = {1280: {"width": 1280, "height": 800, "touch": False}, 390: {"width": 390, "height": 844, "touch": True}}
CLIENT_NAME = "Bench Walkthrough"
STEP_TIMEOUT_MS = 20_000  # any one wait in the page
START_TIMEOUT_S = 90  # the server's health check
GLOBAL_TIMEOUT_S = 900  # the whole run
QUIET_MS = 100  # a run counts as settled when nothing went stale again for this long
MAX_SHOT_HEIGHT = 16_000  # Chromium cannot capture a taller page in one image

TARGET_SCREENS = {1280: 25.0, 390: 35.0}
TARGET_INTERACTIONS = 1.2
TARGET_MEDIAN_MS = 150.0
TARGET_P90_MS = 250.0

# --------------------------------------------------------------------------- selectors
# What the bench looks for on the page. They rely on what a redesign keeps: the question as the
# widget's label (the accessible name of its radio group or number field), the answer's words on
# its button (role=radio), the "Next" button and the room list by their names.

UNIT_WORDS = {"cm": ("cm",), "mm": ("mm",), "in": ("inches", "in"), "lux": ("lux",), "fc": ("foot-candles", "fc")}
# Labels are Markdown, and the app escapes them ("the person\'s"); an accessible name may keep
# the backslashes, so a name matches with or without them.
_MD_SPECIAL = set("\\`*_{}[]()<>#+-.!|~$:=^&\"'")


def named(text: str) -> re.Pattern[str]:
    """The exact name, with or without Markdown's backslashes."""
    body = "".join((r"\\?" if c in _MD_SPECIAL else "") + re.escape(c) for c in text)
    return re.compile(rf"^\s*{body}\s*$")


def answer_group(page: Any, question: str) -> Any:
    """The answer buttons of one question (a radio group named by the question)."""
    return page.get_by_role("radiogroup", name=named(question))


def answer_button(page: Any, question: str, label: str) -> Any:
    return answer_group(page, question).get_by_role("radio", name=named(label))


def number_field(page: Any, question: str) -> Any:
    """The number box of a reading, found by its label (the question)."""
    return page.get_by_role("spinbutton", name=named(question))


def question_card(page: Any, question: str) -> Any:
    """The smallest block holding the question's control: what a person must see to answer it."""
    control = answer_group(page, question).or_(number_field(page, question))
    return control.first.locator('xpath=ancestor::div[@data-testid="stVerticalBlock"][1]')


def unit_buttons(card: Any) -> Any:
    return card.get_by_role("radio")


def unit_button(card: Any, unit: str) -> Any:
    names = "|".join(re.escape(n) for n in UNIT_WORDS.get(unit, (unit,)))
    return card.get_by_role("radio", name=re.compile(rf"^\s*({names})\s*$"))


def not_measured_box(card: Any) -> Any:
    """The 'Can't measure or not applicable' tick box of a reading."""
    return card.get_by_role("checkbox", name=re.compile(r"not applicable", re.I))


def not_in_home_switch(page: Any) -> tuple[Any, bool]:
    """The switch that says a room is not in the home, and whether it is on when the room is
    missing: "This home has this room" (off) today, "This room is not in this home" (on) before."""
    has = page.get_by_label("This home has this room", exact=True)
    if has.count():
        return has, False
    return page.get_by_label("This room is not in this home", exact=True), True


def next_button(page: Any) -> Any:
    return page.get_by_role("button", name=re.compile(r"^\s*Next:"))


def room_list(page: Any) -> Any:
    return page.get_by_role("combobox", name="Go to a room")


def room_option(page: Any, title: str) -> Any:
    return page.get_by_role("option", name=re.compile(rf"^\s*{re.escape(title)}(\s*\(|$)"))


def room_heading(page: Any, title: str) -> Any:
    return page.get_by_role("heading", name=title, exact=True)


def start_heading(page: Any) -> Any:
    return page.get_by_role("heading", name="Home safety audit")


def start_name_field(page: Any) -> Any:
    return page.get_by_label("Whose home is it? (their name)")


def start_room_count(page: Any, room_name: str) -> Any:
    return page.get_by_role("spinbutton", name=room_name, exact=True)


def start_room_step(page: Any, room_name: str, up: bool) -> Any:
    box = page.locator('[data-testid="stNumberInput"]').filter(has=start_room_count(page, room_name))
    return box.get_by_role("button", name="Increment" if up else "Decrement")


def start_create_button(page: Any) -> Any:
    return page.get_by_role("button", name="Create the audit and start")


def label_of(control: Any) -> Any:
    """What a person taps for a visually hidden tick box or switch: its label."""
    return control.locator("xpath=ancestor::label[1]")


# --------------------------------------------------------------------------- in-page probes

TRACKER = """
(() => {
  if (window.__bench) return;
  const B = window.__bench = {busy: false, actAt: null, finishedSinceAct: false, finishedAt: 0,
                              lastMsgAt: 0, lastMutAt: 0};
  // The server's messages (ForwardMsg, protobuf): a run has finished when one carries the
  // top-level field script_finished (SCRIPT_FINISHED_FIELD); only the top level is read.
  const fields = data => {
    const b = new Uint8Array(data), out = [];
    let i = 0;
    const varint = () => {
      let x = 0, s = 1, c;
      do { c = b[i++]; x += (c & 0x7f) * s; s *= 128; } while (c & 0x80 && i < b.length);
      return x;
    };
    while (i < b.length) {
      const key = varint(), wire = key % 8;
      out.push(Math.floor(key / 8));
      if (wire === 0) varint();
      else if (wire === 1) i += 8;
      else if (wire === 2) i += varint();
      else if (wire === 5) i += 4;
      else break;
    }
    return out;
  };
  const read = data => {
    if (!fields(data).includes(SCRIPT_FINISHED_FIELD)) return;
    B.finishedAt = performance.now();
    if (B.actAt !== null) B.finishedSinceAct = true;
  };
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', e => {
        B.lastMsgAt = performance.now();
        if (e.data instanceof ArrayBuffer) read(e.data);
        else if (e.data instanceof Blob) e.data.arrayBuffer().then(read);
      });
    }
  };
  const busyNow = () => !!document.querySelector('[data-testid="stStatusWidget"], [data-stale="true"]');
  const changed = () => { B.lastMutAt = performance.now(); B.busy = busyNow(); };
  const act = () => { B.actAt = performance.now(); B.finishedSinceAct = false; };
  const start = () => new MutationObserver(changed).observe(document.documentElement,
      {subtree: true, childList: true, attributes: true, characterData: true});
  if (document.documentElement) start(); else addEventListener('DOMContentLoaded', start);
  addEventListener('pointerdown', act, true);
  addEventListener('keydown', e => { if (e.key === 'Enter') act(); }, true);
  B.quietFor = () => performance.now() - Math.max(B.lastMsgAt, B.lastMutAt, B.finishedAt);
  B.scroller = () => {
    const m = document.querySelector('[data-testid="stMain"]');
    return m && m.scrollHeight > m.clientHeight + 1 && getComputedStyle(m).overflowY !== 'visible'
      ? m : document.scrollingElement;
  };
})();
"""


def script_finished_field() -> int:
    """The number of ForwardMsg's script_finished field, from the installed Streamlit."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    return int(ForwardMsg.DESCRIPTOR.fields_by_name["script_finished"].number)


# Scroll the scroll container just far enough that the element is wholly in view below the
# app's header (its top in view if it is taller than the screen), as a person would; the distance
# actually scrolled is added up. The app's own scrolling (to the top after Next) is not counted.
REACH = """
el => {
  const B = window.__bench;
  const header = document.querySelector('[data-testid="stHeader"]');
  const top = header ? Math.max(0, header.getBoundingClientRect().bottom) + 8 : 8;
  const bottom = window.innerHeight - 8;
  const r = el.getBoundingClientRect();
  let dy = 0;
  if (r.top < top) dy = r.top - top;
  else if (r.bottom > bottom) dy = Math.min(r.bottom - bottom, r.top - top);
  if (!dy) return 0;
  const scroller = B.scroller(), before = scroller.scrollTop;
  scroller.scrollBy({top: dy, behavior: 'instant'});
  return scroller.scrollTop - before;
}
"""

# Settled: the run that the last tap started has finished (its script_finished message came after
# the tap), nothing is stale or running, and neither the page nor the connection has changed for
# QUIET_MS. The time: from the tap to the last change of the page (or message) before that quiet.
SETTLED = f"""
() => {{
  const B = window.__bench;
  if (!B || B.actAt === null || !B.finishedSinceAct || B.busy || B.quietFor() < {QUIET_MS}) return false;
  return Math.max(B.lastMsgAt, B.lastMutAt, B.finishedAt) - B.actAt;
}}
"""

SCROLL_BACK = "t => { const s = window.__bench.scroller(); s.scrollTo({top: t, behavior: 'instant'}); return s.scrollTop; }"

IDLE = f"""
() => {{
  const B = window.__bench;
  const main = document.querySelector('[data-testid="stMain"]');
  return !!B && !B.busy && !!main && main.innerText.trim().length > 0 && B.quietFor() >= {QUIET_MS};
}}
"""


# --------------------------------------------------------------------------- the server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """`streamlit run audit_app.py` on loopback, in its own process group, with its own database."""

    def __init__(self, db_path: Path, log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "HOMEAUDIT_DB": str(db_path)}
        env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])
        command = [sys.executable, "-m", "streamlit", "run", "audit_app.py", "--server.port", str(self.port)]
        command += ["--server.headless", "true", "--server.address", "127.0.0.1"]
        self.log = log
        self._out = open(log, "wb")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=self._out, stderr=subprocess.STDOUT, start_new_session=True
        )

    def wait_healthy(self, timeout: float = START_TIMEOUT_S) -> None:
        deadline = time.monotonic() + timeout
        while True:
            with contextlib.suppress(OSError), urllib.request.urlopen(self.url + "/_stcore/health", timeout=1) as response:
                if response.status == 200:
                    return
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the app did not start:\n" + self.log.read_text(errors="replace")[-3000:])
            time.sleep(0.25)

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(5)
        self._out.close()


# --------------------------------------------------------------------------- what the file asks


@dataclass
class Stop:
    """One page of the walk: the resident questions or one room, with the file's answers for it."""

    key: str  # the app's room key in the URL ('resident', 'bathroom-2')
    title: str  # the heading the app shows
    visit: int  # the database's visit number (-1: the resident)
    room: str
    present: bool
    answers: dict[str, Any]  # item id -> the file's Answer
    items: dict[str, Any]  # item id -> checklist Item


def walk_of(file_audit: Any, db_audit: Any, library: Any) -> list[Stop]:
    """The walk in the app's order (the resident, then the rooms in the checklist's walking
    order); each room of the new audit paired with the file's room of the same kind and rank."""
    from homeaudit import RESIDENT_VISIT, visit_titles

    order = {r.room: i for i, r in enumerate(library.rooms)}
    titles = visit_titles(db_audit, library)
    keys = db_audit.room_keys()
    file_visits: dict[str, list[Any]] = {}
    for visit in file_audit.rooms:
        file_visits.setdefault(visit.room, []).append(visit)
    rank: Counter[str] = Counter()
    stops = [
        Stop(
            "resident",
            library.room_name("resident"),
            RESIDENT_VISIT,
            "resident",
            True,
            dict(file_audit.resident),
            {i.id: i for i in library.items_of("resident")},
        )
    ]
    for v in sorted(range(len(db_audit.rooms)), key=lambda v: (order.get(db_audit.rooms[v].room, len(order)), v)):
        room = db_audit.rooms[v].room
        source = file_visits[room][rank[room]]
        rank[room] += 1
        items = {i.id: i for i in library.items_of(room)}
        stops.append(Stop(keys[v], titles[v], v, room, source.present, dict(source.answers), items))
    return stops


def not_entered(stops: list[Stop]) -> str:
    notes = sum(1 for s in stops for a in s.answers.values() if a.note)
    photos = sum(len(a.photos) for s in stops for a in s.answers.values())
    basis = sum(1 for s in stops for a in s.answers.values() if a.basis)
    incidents = sum(1 for s in stops for a in s.answers.values() if a.incident)
    return f"{notes} notes, {photos} photos, {basis} 'seen or told', {incidents} 'did someone fall here'"


def compare(stops: list[Stop], db_audit: Any, library: Any) -> list[str]:
    """Every difference between the file's answers (values and units) and the database's."""
    from homeaudit.units import normalise_unit

    def unit_of(answer: Any, item: Any) -> str | None:
        if item is None or item.answer_type != "measurement" or answer.value in (None, "na"):
            return None
        return normalise_unit(answer.unit or item.unit or "")

    def same(a: Any, b: Any) -> bool:
        if isinstance(a, (int, float)) and isinstance(b, (int, float)):
            return math.isclose(float(a), float(b), abs_tol=1e-6)
        return a == b

    def show(answer: Any, item: Any) -> str:
        if answer is None or answer.value is None:
            return "no answer"
        unit = unit_of(answer, item)
        return f"{answer.value!r}" + (f" {unit}" if unit else "")

    diffs = []
    for stop in stops:
        held = db_audit.resident if stop.visit < 0 else db_audit.rooms[stop.visit].answers
        if stop.visit >= 0 and db_audit.rooms[stop.visit].present != stop.present:
            diffs.append(f"{stop.title}: present file {stop.present}, database {db_audit.rooms[stop.visit].present}")
        for item_id in sorted(set(stop.answers) | {i for i, a in held.items() if a.value is not None}):
            want, got = stop.answers.get(item_id), held.get(item_id)
            item = stop.items.get(item_id)
            want_v = want.value if want else None
            got_v = got.value if got else None
            if not same(want_v, got_v) or (want and got and unit_of(want, item) != unit_of(got, item)):
                diffs.append(f"{stop.title}: {item_id}: file {show(want, item)}, database {show(got, item)}")
    return diffs


# --------------------------------------------------------------------------- one pass


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


@dataclass
class Pass:
    width: int
    height: int
    touch: bool
    counts: Counter[str] = field(default_factory=Counter)  # interactions by kind
    answer_ms: list[tuple[str, float]] = field(default_factory=list)  # (stop key, ms)
    typed_ms: list[float] = field(default_factory=list)
    next_ms: list[float] = field(default_factory=list)
    scrolled: dict[str, float] = field(default_factory=dict)  # stop key -> px scrolled to reach its questions and Next
    scrolled_up: dict[str, float] = field(default_factory=dict)  # the part of it scrolled back up
    answered: int = 0
    not_offered: list[str] = field(default_factory=list)
    shot_s: float = 0.0
    wall_s: float = 0.0
    load: tuple[float, float] = (0.0, 0.0)  # the machine's 1-minute load average at the start and the end
    audit_id: str = ""
    stops: list[Stop] = field(default_factory=list)
    done_stops: list[Stop] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"{self.width}x{self.height} " + ("touch" if self.touch else "mouse")


class Driver:
    """Taps, types and waits as a person would, counting each interaction and measuring each wait."""

    def __init__(self, page: Any, run: Pass) -> None:
        self.page, self.run = page, run

    def reach(self, target: Any, stop: str) -> None:
        """Scroll until the target is in view; the distance is counted for this stop."""
        target.wait_for(state="visible")
        moved = float(target.evaluate(REACH))
        self.run.scrolled[stop] = self.run.scrolled.get(stop, 0.0) + abs(moved)
        if moved < 0:
            self.run.scrolled_up[stop] = self.run.scrolled_up.get(stop, 0.0) - moved

    def tap(self, target: Any, kind: str) -> None:
        self.run.counts[kind] += 1
        if self.run.touch:
            target.tap()
        else:
            target.click()

    def type(self, text: str, kind: str) -> None:
        self.run.counts[kind] += 1
        self.page.keyboard.type(text)

    def press(self, key: str, kind: str) -> None:
        self.run.counts[kind] += 1
        self.page.keyboard.press(key)

    def settled(self) -> float:
        """Wait until the run that the last tap started has finished; its time in ms (in the page)."""
        handle = self.page.wait_for_function(SETTLED, polling="raf", timeout=STEP_TIMEOUT_MS)
        return float(handle.json_value())

    def idle(self) -> None:
        self.page.wait_for_function(IDLE, polling="raf", timeout=STEP_TIMEOUT_MS)


def screenshot(page: Any, run: Pass, name: str) -> None:
    """The whole page (the app scrolls inside its main element, so the window is made as tall as
    it), then the window and the scroll position put back; not counted in any figure (and taken
    once the Next button is in view, so that nothing is scrolled again because of it)."""
    start = time.perf_counter()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    top = page.evaluate("() => window.__bench.scroller().scrollTop")
    height = page.evaluate(
        """() => { const m = document.querySelector('[data-testid="stMain"]');
                   return Math.max(m ? m.scrollHeight : 0, document.body.scrollHeight); }"""
    )
    page.set_viewport_size({"width": run.width, "height": min(int(height) + 40, MAX_SHOT_HEIGHT)})
    page.wait_for_timeout(400)
    page.screenshot(path=str(ARTIFACTS / f"{name}-{run.width}.png"))
    page.set_viewport_size({"width": run.width, "height": run.height})
    for _ in range(40):  # the layout may take a moment to come back after the resize
        page.wait_for_timeout(50)
        if abs(float(page.evaluate(SCROLL_BACK, top)) - top) < 1:
            break
    run.shot_s += time.perf_counter() - start


def create_audit(d: Driver, url: str, file_audit: Any, library: Any) -> str:
    """The Start page: the client's name and how many of each room, then Create. Returns the id."""
    page = d.page
    page.goto(url + "/", timeout=STEP_TIMEOUT_MS)
    start_heading(page).wait_for(timeout=STEP_TIMEOUT_MS)
    d.idle()
    d.reach(start_name_field(page), "start")
    d.tap(start_name_field(page), "setup")
    d.type(CLIENT_NAME, "setup")
    wanted = Counter(v.room for v in file_audit.rooms)
    for room in library.home_rooms:
        name = library.room_name(room.room)
        field_ = start_room_count(page, name)
        shown = int(field_.input_value() or 0)
        for _ in range(abs(wanted[room.room] - shown)):
            step = start_room_step(page, name, up=wanted[room.room] > shown)
            d.reach(step, "start")
            d.tap(step, "setup")
        assert int(field_.input_value() or 0) == wanted[room.room], f"{name}: could not set {wanted[room.room]}"
    d.reach(start_create_button(page), "start")
    d.tap(start_create_button(page), "setup")
    page.wait_for_url(re.compile(r"[?&]audit="), timeout=STEP_TIMEOUT_MS)
    d.idle()
    match = re.search(r"[?&]audit=([^&#]+)", page.url)
    assert match, page.url
    return urllib.request.unquote(match.group(1))


def page_order(page: Any, stop: Stop) -> list[str]:
    """The file's items for this stop in the order the page shows them, top to bottom."""
    ys = page.evaluate(
        """questions => {
             const main = document.querySelector('[data-testid="stMain"]');
             const off = (main ? main.scrollTop : 0) + (document.scrollingElement.scrollTop || 0);
             const pos = {};
             for (const el of document.querySelectorAll('[role="radiogroup"][aria-label], input[aria-label]')) {
               const q = el.getAttribute('aria-label').replace(/\\\\(.)/g, '$1');
               if (questions.includes(q) && !(q in pos)) pos[q] = el.getBoundingClientRect().top + off;
             }
             return pos;
           }""",
        [stop.items[i].question for i in stop.answers if i in stop.items],
    )
    far = float("inf")
    return sorted(stop.answers, key=lambda i: ys.get(stop.items[i].question, far) if i in stop.items else far)


def answer_stop(d: Driver, stop: Stop) -> None:
    page, run = d.page, d.run
    if not stop.present:
        switch, missing_when_on = not_in_home_switch(page)
        if switch.is_checked() != missing_when_on:
            d.reach(label_of(switch), stop.key)
            d.tap(label_of(switch), "room not in this home")
            run.answer_ms.append((stop.key, d.settled()))
        return
    for item_id in page_order(page, stop):
        item, answer = stop.items.get(item_id), stop.answers[item_id]
        if item is None or answer.value is None:
            run.not_offered.append(f"{stop.title}: {item_id} (not in the checklist)")
            continue
        question = item.question
        if item.answer_type == "measurement":
            card = question_card(page, question)
            if answer.value == "na":
                box = not_measured_box(card)
                if not box.is_checked():
                    d.reach(card, stop.key)
                    d.tap(label_of(box), "answer")
                    run.answer_ms.append((stop.key, d.settled()))
                run.answered += 1
                continue
            from homeaudit.units import normalise_unit

            unit = normalise_unit(answer.unit or item.unit or "")
            d.reach(card, stop.key)
            wanted = unit_button(card, unit)
            if wanted.count() == 0 and unit_buttons(card).count() > 0:
                run.not_offered.append(f"{stop.title}: {item_id} (no unit '{unit}' offered)")
                continue
            if wanted.count() and wanted.first.get_attribute("aria-checked") != "true":
                d.tap(wanted.first, "unit switch")
                d.settled()
                d.reach(card, stop.key)
            box = number_field(page, question)
            if not box.evaluate("(el) => el === document.activeElement"):  # the app may have put the cursor there
                d.tap(box, "answer")
            # A person looks at the keyboard before typing: start once the page is quiet (keys
            # sent within a few ms of the tap, while the last answer's redraw lands, were lost).
            d.idle()
            d.type(f"{float(answer.value):g}", "answer")
            d.press("Enter", "answer")
            run.typed_ms.append(d.settled())
            run.answered += 1
            continue
        label = item.option_label(str(answer.value))
        button = answer_button(page, question, label)
        if button.count() == 0:
            run.not_offered.append(f"{stop.title}: {item_id} = {answer.value!r} (no '{label}' button)")
            continue
        if button.get_attribute("aria-checked") != "true":
            d.reach(question_card(page, question), stop.key)
            d.tap(button, "answer")
            run.answer_ms.append((stop.key, d.settled()))
        run.answered += 1


def go_next(d: Driver, stop: Stop, following: Stop, shoot: Callable[[], None]) -> None:
    """To the next stop: its Next button if it leads there, else the room list. ``shoot`` takes
    the room's screenshot once the control is in view, just before the tap."""
    page = d.page
    button = next_button(page)
    if button.count() and following.title in (button.first.inner_text() or ""):
        d.reach(button.first, stop.key)
        shoot()
        d.tap(button.first, "move to the next room")
        d.run.next_ms.append(d.settled())
    else:
        d.reach(room_list(page), stop.key)
        shoot()
        d.tap(room_list(page), "move to the next room")
        d.tap(room_option(page, following.title), "move to the next room")
        d.run.next_ms.append(d.settled())
    room_heading(page, following.title).wait_for(timeout=STEP_TIMEOUT_MS)
    d.idle()


def run_pass(pw: Any, url: str, db_path: Path, width: int, rooms: int | None) -> Pass:
    from homeaudit import load_audit, load_library, store

    library = load_library()
    file_audit = load_audit(EXAMPLE, library)
    spec = PASSES[width]
    run = Pass(spec["width"], spec["height"], spec["touch"])
    browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=BROWSER_ARGS)
    try:
        context = browser.new_context(
            viewport={"width": run.width, "height": run.height},
            device_scale_factor=1,
            has_touch=run.touch,
            is_mobile=run.touch,
        )
        context.add_init_script(TRACKER.replace("SCRIPT_FINISHED_FIELD", str(script_finished_field())))
        context.set_default_timeout(STEP_TIMEOUT_MS)
        page = context.new_page()
        d = Driver(page, run)
        started = time.perf_counter()
        load_before = os.getloadavg()[0]
        try:
            run.audit_id = create_audit(d, url, file_audit, library)
            with store.connect(db_path) as db:
                run.stops = walk_of(file_audit, db.load_audit(run.audit_id), library)
            walk = run.stops[:rooms] if rooms else run.stops
            for n, stop in enumerate(walk):
                room_heading(page, stop.title).wait_for(timeout=STEP_TIMEOUT_MS)
                d.idle()
                answer_stop(d, stop)
                run.done_stops.append(stop)
                name = f"{n + 1:02d}-{stop.key}"
                if n + 1 < len(walk):
                    go_next(d, stop, walk[n + 1], lambda name=name: screenshot(page, run, name))
                else:
                    screenshot(page, run, name)
        except Exception:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            with contextlib.suppress(Exception):
                page.screenshot(path=str(ARTIFACTS / f"failure-{run.width}.png"))
            print(f"failed at {page.url}", file=sys.stderr)
            with contextlib.suppress(Exception):
                focus = page.evaluate(
                    "() => { const e = document.activeElement; "
                    "return e ? `${e.tagName} ${e.getAttribute('aria-label')} value=${e.value}` : null; }"
                )
                print(f"the focus was on: {focus}", file=sys.stderr)
            raise
        run.wall_s = time.perf_counter() - started - run.shot_s
        run.load = (load_before, os.getloadavg()[0])
    finally:
        browser.close()
    return run


# --------------------------------------------------------------------------- the report


def report(run: Pass, db_path: Path, library: Any) -> None:
    from homeaudit import store

    walk_counts = {k: v for k, v in run.counts.items() if k != "setup"}
    interactions = sum(walk_counts.values())
    given = sum(len(s.answers) for s in run.done_stops)
    per_item = interactions / run.answered if run.answered else float("nan")
    scrolled_px = sum(px for key, px in run.scrolled.items() if key != "start")
    up_px = sum(px for key, px in run.scrolled_up.items() if key != "start")
    screens = scrolled_px / run.height
    print(f"\n== {run.name}: {len(run.done_stops)} stops, audit {run.audit_id}")
    print(f"items answered: {run.answered} of the file's {given}")
    for line in run.not_offered:
        print(f"  could not be answered: {line}")
    kinds = ", ".join(f"{k} {v}" for k, v in sorted(walk_counts.items()))
    print(
        f"interactions per answered item: {per_item:.2f}  ({interactions} in the walkthrough: {kinds})"
        f"  (target <= {TARGET_INTERACTIONS})"
    )
    print(f"  plus {run.counts['setup']} on the Start page (name, room counts, create)")
    times = [ms for _, ms in run.answer_ms]
    if times:
        print(
            f"tap-to-settled, answer taps: median {statistics.median(times):.0f} ms, p90 {percentile(times, 90):.0f} ms,"
            f" max {max(times):.0f} ms  ({len(times)} taps)"
        )
        largest = max(run.done_stops, key=lambda s: len(s.items) if s.present else 0)
        in_largest = [ms for key, ms in run.answer_ms if key == largest.key]
        if in_largest:
            median, p90 = statistics.median(in_largest), percentile(in_largest, 90)
            ok = median < TARGET_MEDIAN_MS and p90 < TARGET_P90_MS
            print(
                f"  largest room '{largest.title}' ({len(largest.items)} questions, {len(in_largest)} taps):"
                f" median {median:.0f} ms, p90 {p90:.0f} ms  (target < {TARGET_MEDIAN_MS:.0f} / < {TARGET_P90_MS:.0f} ms)"
                + ("" if ok else "  OVER TARGET")
            )
        by_room = {}
        for key, ms in run.answer_ms:
            by_room.setdefault(key, []).append(ms)
        titles = {s.key: s.title for s in run.done_stops}
        print("  median by room: " + ", ".join(f"{titles[k]} {statistics.median(v):.0f}" for k, v in by_room.items()))
    if run.typed_ms:
        print(
            f"readings typed (Enter to settled): median {statistics.median(run.typed_ms):.0f} ms,"
            f" p90 {percentile(run.typed_ms, 90):.0f} ms  ({len(run.typed_ms)})"
        )
    if run.next_ms:
        print(
            f"Next (tap to settled): median {statistics.median(run.next_ms):.0f} ms,"
            f" p90 {percentile(run.next_ms, 90):.0f} ms  ({len(run.next_ms)})"
        )
    target = TARGET_SCREENS[run.width]
    print(
        f"screens of scrolling: {screens:.1f}  ({scrolled_px:.0f} px / {run.height} px; {up_px:.0f} px of it back up)"
        f"  (target <= {target:.0f})" + ("" if screens <= target else "  OVER TARGET")
    )
    titles = {s.key: s.title for s in run.done_stops}
    print("  by room: " + ", ".join(f"{titles[k]} {px / run.height:.1f}" for k, px in run.scrolled.items() if k in titles))
    print(f"wall time: {run.wall_s:.1f} s  (plus {run.shot_s:.1f} s taking screenshots, left out)")
    print(f"machine load (1-min average, {os.cpu_count()} cores): {run.load[0]:.1f} at the start, {run.load[1]:.1f} at the end")
    print(f"not entered (not part of this measurement): {not_entered(run.done_stops)}")
    with store.connect(db_path) as db:
        diffs = compare(run.done_stops, db.load_audit(run.audit_id), library)
    scope = "" if len(run.done_stops) == len(run.stops) else f" (its first {len(run.done_stops)} stops)"
    print(f"database matches the file{scope}: {'yes' if not diffs else 'no'} ({len(diffs)} differences)")
    for line in diffs[:8]:
        print(f"  {line}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--width", choices=["1280", "390", "both"], default="both")
    parser.add_argument("--rooms", type=int, default=None, help="only the first N stops (the resident is the first)")
    parser.add_argument("--timeout", type=float, default=GLOBAL_TIMEOUT_S, help="stop the whole run after this many seconds")
    args = parser.parse_args()
    widths = [1280, 390] if args.width == "both" else [int(args.width)]

    from playwright.sync_api import sync_playwright

    import homeaudit
    from homeaudit import load_library

    code = Path(homeaudit.__file__).resolve().parent
    try:
        checklists = Path(str(resources.files("homeaudit.checklists"))).resolve()
    except (ModuleNotFoundError, TypeError):
        checklists = Path("(not found)")
    print(f"code under test: {code}, checklists: {checklists}")
    if not (code.is_relative_to(ROOT.resolve()) and checklists.is_relative_to(ROOT.resolve())):
        print(
            f"not this checkout's homeaudit ({ROOT}): run with a Python where it is installed (pip install -e .)", file=sys.stderr
        )
        return 2
    if not Path(CHROMIUM).exists():
        print(f"no browser at {CHROMIUM}: apt-get install chromium", file=sys.stderr)
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="homeaudit-bench-walk-"))
    db_path = tmp / "h.db"
    server = Server(db_path, tmp / "streamlit.log")

    def give_up() -> None:
        print(f"\nTIMED OUT after {args.timeout:.0f} s: stopping.", file=sys.stderr, flush=True)
        with contextlib.suppress(Exception):
            os.killpg(server.proc.pid, signal.SIGKILL)
        os._exit(3)

    watchdog = threading.Timer(args.timeout, give_up)
    watchdog.daemon = True
    watchdog.start()
    began = time.perf_counter()
    try:
        print(f"server log: {server.log}")
        server.wait_healthy()
        library = load_library()
        with sync_playwright() as pw:
            # Warm the server (imports, checklist, first run of each page) so that the first
            # pass is not charged for it.
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=BROWSER_ARGS)
            try:
                warm = browser.new_page()
                for path in ("/", "/walkthrough"):
                    warm.goto(server.url + path, timeout=STEP_TIMEOUT_MS)
                    warm.locator('[data-testid="stMain"] h1').first.wait_for(timeout=STEP_TIMEOUT_MS)
            finally:
                browser.close()
            runs = [run_pass(pw, server.url, db_path, width, args.rooms) for width in widths]
        for run in runs:
            report(run, db_path, library)
        print(f"\nscreenshots: {ARTIFACTS}")
        print(f"whole run: {time.perf_counter() - began:.1f} s")
    finally:
        server.stop()
        watchdog.cancel()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
