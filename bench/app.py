"""How long one rerun of the Walkthrough page takes on the server, against a one-widget page.

A rerun happens on every tap, so it is what an OT feels between two answers. Measured with
streamlit.testing.v1.AppTest (the server side only: no browser, no network): the Walkthrough
page showing the largest stop of the checklist, half its questions answered, versus a minimal
page with one button, in the same process. Targets: a rerun under 100 ms, and under 5x the
minimal page.

Run: .venv/bin/python bench/app.py   (uses a temporary database; prints the medians)
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RUNS = 30
WARMUP = 3
TARGET_MS = 100.0
TARGET_RATIO = 5.0
MINIMAL = """
import streamlit as st
st.button("One button")
"""


def _median_ms(at, runs: int) -> tuple[float, float]:
    for _ in range(WARMUP):
        at.run()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        at.run()
        times.append((time.perf_counter() - start) * 1000)
        assert not at.exception, [e.message for e in at.exception]
    return statistics.median(times), min(times)


def main() -> int:
    tmp = tempfile.mkdtemp(prefix="homeaudit-bench-")
    os.environ["HOMEAUDIT_DB"] = str(Path(tmp) / "bench.db")
    from streamlit.testing.v1 import AppTest

    from homeaudit import checklist, store
    from homeaudit.app import state
    from homeaudit.audit import Auditor, Client, blank

    library = checklist.load()
    db = store.connect()
    audit_id = db.create_audit(blank(library, client=Client(name="Bench Mark"), auditor=Auditor(role="ot")))
    audit = db.load_audit(audit_id)
    walk = state.stops(audit, library)
    largest = max(walk, key=lambda s: len(s.items))
    for n, item in enumerate(largest.items):
        if n % 2 == 0 and item.answer_type != "measurement":
            db.save_answer(audit_id, largest.visit, item.id, item.option_values[0])

    page = AppTest.from_file(str(ROOT / "audit_app.py"), default_timeout=60)
    page.query_params["audit"] = audit_id
    page.query_params["room"] = largest.key
    page.run()
    page.switch_page("homeaudit/app/walkthrough.py").run()
    assert [h.value for h in page.header] == [largest.title], [h.value for h in page.header]
    walk_median, walk_best = _median_ms(page, RUNS)

    minimal = AppTest.from_string(MINIMAL, default_timeout=60)
    minimal_median, minimal_best = _median_ms(minimal, RUNS)

    ratio = walk_median / minimal_median
    print(f"Walkthrough rerun, largest stop '{largest.title}' ({len(largest.items)} questions):")
    print(f"  median {walk_median:6.1f} ms   best {walk_best:6.1f} ms   (target < {TARGET_MS:.0f} ms)")
    print("Minimal one-button page rerun:")
    print(f"  median {minimal_median:6.1f} ms   best {minimal_best:6.1f} ms")
    print(f"Ratio walkthrough / minimal: {ratio:.1f}x   (target < {TARGET_RATIO:.0f}x)")
    ok = walk_median < TARGET_MS and ratio < TARGET_RATIO
    print("Within target" if ok else "OVER TARGET")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
