"""How long scoring takes: one full audit turned into a typed Score (the Results page, the
report and the CLI), and 10,000 audits already in memory (a practice overview), against the same
rules applied one item at a time in plain Python (tests/plain_scoring.py).

Run: .venv/bin/python bench/score.py   (targets on 2 cores: one audit < 5 ms median; 10,000 < 2 s)
"""

from __future__ import annotations

import gc
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from homeaudit import audit as audit_mod  # noqa: E402
from homeaudit import checklist, scoring  # noqa: E402
from homeaudit.audit import Answer, Audit, RoomVisit  # noqa: E402

from plain_scoring import score_plain  # noqa: E402

N_AUDITS = 10_000


def random_audit(library: checklist.Library, rng: random.Random, n: int) -> Audit:
    """Every room of the library, every item answered at random (a full audit)."""
    rooms = []
    for room in library.home_rooms:
        answers = {}
        for item in room.items:
            if item.answer_type == "measurement":
                low, high = item.range
                centre = low if high is None else high if low is None else (low + high) / 2
                answers[item.id] = Answer(value=round(centre * rng.uniform(0.6, 1.4), 1))
            else:
                answers[item.id] = Answer(value=rng.choice(item.option_values))
        rooms.append(RoomVisit(room=room.room, answers=answers))
    resident = {i.id: Answer(value=rng.choice(["yes", "no"])) for i in library.items_of("resident")}
    return Audit(id=f"bench-{n}", resident=resident, rooms=rooms)


def timed(fn, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    library = checklist.load(extra="")
    example = audit_mod.load(ROOT / "examples" / "hazardous-house.yaml", library)
    items = sum(len(r.answers) for r in example.rooms) + len(example.resident)
    scoring.score(example, library)  # warm the per-library cache, as the app's first rerun does
    one = timed(lambda: scoring.score(example, library), 200)
    print(
        f"one full audit ({items} answers, {len(example.rooms)} rooms), scoring.score -> Score: "
        f"median {statistics.median(one) * 1000:.2f} ms, min {min(one) * 1000:.2f} ms  (target < 5 ms median)"
    )
    engine = timed(lambda: scoring.score_many([example], library), 200)
    print(f"  the engine alone, score_many([audit]):     median {statistics.median(engine) * 1000:.2f} ms")

    rng = random.Random(20261123)
    audits = [random_audit(library, rng, n) for n in range(N_AUDITS)]
    answers = sum(len(r.answers) for a in audits for r in a.rooms) + sum(len(a.resident) for a in audits)
    print(
        f"{N_AUDITS:,} full audits in memory as Audit objects ({answers:,} answers); "
        "timings are the best of 3 with the garbage collector paused, as timeit does"
    )
    gc.collect()
    gc.disable()
    try:
        whole = min(timed(lambda: scoring.score_many(audits, library), 3))
        flatten = min(timed(lambda: scoring.answer_table(audits, library), 3))
        table = scoring.answer_table(audits, library)
        hot = min(timed(lambda: scoring.summarise(table, library), 3))
        start = time.perf_counter()
        plain = [score_plain(a, library) for a in audits]
        plain_time = time.perf_counter() - start
    finally:
        gc.enable()
    print(f"  score_many(audits), all of it:              {whole:6.2f} s  (target < 2 s)")
    print(f"    of which flattening objects into columns:  {flatten:6.2f} s  (per-answer Python, done once)")
    print(f"    of which scoring the columns (pandas):     {hot:6.2f} s")
    print(f"  plain Python, one item at a time:            {plain_time:6.2f} s")
    print(f"  speed-up, scoring columns vs plain Python:   {plain_time / hot:6.1f}x")
    print(f"  speed-up, whole score_many vs plain Python:  {plain_time / whole:6.1f}x")

    frame = scoring.score_many(audits, library)
    agree = sum(
        (p["overall"]["score"] == s or (p["overall"]["score"] is None and s != s)) and p["overall"]["risk_level"] == r
        for p, s, r in zip(plain, frame["score"], frame["risk_level"], strict=True)
    )
    print(f"  results agree on {agree:,} of {N_AUDITS:,} audits")


if __name__ == "__main__":
    main()
