"""How fast the database is for the app and a practice, on both backends side by side: one answer
saved, one audit with photos loaded, the Audits page's data and the practice overview over 5,000
audits of 150 answers each, and the overview's peak memory. Everything on a temporary database
(a SQLite file; a private PostgreSQL server on 127.0.0.1, as the tests start it), deleted afterwards.

Run: .venv/bin/python bench/store.py [--backend sqlite|postgresql]   (targets on 2 cores: save
< 20 ms; load < 200 ms; Audits page < 1 s; overview < 3 s; overview memory < 500 MB)
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gc
import io
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from PIL import Image  # noqa: E402
from score import timed  # noqa: E402  (bench/score.py, beside this file)

from homeaudit import checklist, overview, scoring  # noqa: E402
from homeaudit.app.audits import PAGE_SIZE, client_cards  # noqa: E402
from homeaudit.audit import Answer, Assessment, Audit, Auditor, Client, RoomVisit  # noqa: E402
from homeaudit.store import Store, connect  # noqa: E402

N_AUDITS = 5_000
ANSWERS = 150
PHOTOS = 20
AUDITORS = [("Ann Lee", "ot"), ("Priya Shah", "ot"), ("Tom Berg", "ot"), ("Chidi Okafor", "family"), ("Karen Doyle", "family")]
START = dt.date(2024, 1, 1)


def answer_for(item: checklist.Item, rng: random.Random) -> Answer:
    if item.answer_type == "measurement":
        low, high = item.range or (40.0, 60.0)
        centre = low if high is None else high if low is None else (low + high) / 2
        return Answer.model_construct(value=round(centre * rng.uniform(0.6, 1.4), 1), unit=None, note="", photos=())
    return Answer.model_construct(value=rng.choice(item.option_values), unit=None, note="", photos=())


def random_audit(library: checklist.Library, rng: random.Random, n: int, client: int, date: dt.date) -> Audit:
    """The person's questions, then rooms in the library's order until 150 answers."""
    resident = {i.id: answer_for(i, rng) for i in library.items_of(checklist.RESIDENT_ROOM)}
    left = ANSWERS - len(resident)
    rooms = []
    for room in library.home_rooms:
        items = room.items[:left]
        if not items:
            break
        rooms.append(RoomVisit(room=room.room, answers={i.id: answer_for(i, rng) for i in items}))
        left -= len(items)
    name, role = AUDITORS[n % len(AUDITORS)]
    follow_up = date + dt.timedelta(days=rng.choice([60, 90, 180])) if rng.random() < 0.5 else None
    return Audit(
        id=f"bench-{n:05d}",
        date=date,
        auditor=Auditor(name=name, role=role),
        client=Client(id=f"client-{client:012x}", name=f"Client {client}", address=f"{client} High Street"),
        assessment=Assessment(follow_up=follow_up),
        resident=resident,
        rooms=rooms,
    )


def jpeg(rng: random.Random) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1600, 1200), (rng.randrange(256), 90, 40)).save(out, "JPEG", quality=85)
    return out.getvalue()


#: Each backend's figures, for the table side by side at the end: {what: {backend: text}}.
FIGURES: dict[str, dict[str, str]] = {}
TARGETS: dict[str, str] = {}
BACKEND = ["sqlite"]


def line(what: str, seconds: float, target: str) -> None:
    print(f"{what:<62} {seconds * 1000:9.1f} ms   (target {target})")
    FIGURES.setdefault(what, {})[BACKEND[0]] = f"{seconds * 1000:.1f} ms"
    TARGETS[what] = target


def fill(store: Store, library: checklist.Library, rng: random.Random) -> None:
    """5,000 audits of about 1,700 clients (re-visits months apart), three plan edits each."""
    clients = N_AUDITS // 3
    for n in range(N_AUDITS):
        client = rng.randrange(clients)
        date = START + dt.timedelta(days=rng.randrange(730))
        audit_id = store.create_audit(random_audit(library, rng, n, client, date))
        for k in range(3):
            item = library.home_rooms[k].items[0]
            state = rng.choice(["open", "done", "declined"])
            done_on = date + dt.timedelta(days=rng.randrange(1, 90)) if state == "done" else None
            store.save_plan_edit(audit_id, item.id, k, state=state, done_on=done_on)


@contextlib.contextmanager
def database(backend: str):
    """A new empty database of ``backend``: its target (a file path or a URL)."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            yield str(Path(folder) / "bench.db")
        return
    from pgserver import running_server

    with running_server() as server:
        yield server.new_database()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], action="append")
    for backend in parser.parse_args().backend or ["sqlite", "postgresql"]:
        print(f"\n== {backend} ==")
        BACKEND[0] = backend
        try:
            with database(backend) as target:
                measure(connect(target))
        except BaseException as error:  # pytest's skip (PostgreSQL missing) is a BaseException
            if isinstance(error, KeyboardInterrupt):
                raise
            print(f"not measured: {error}")
    print(f"\n{'':<62} {'SQLite':>12} {'PostgreSQL':>12}   target")
    for what, found in FIGURES.items():
        print(f"{what:<62} {found.get('sqlite', '-'):>12} {found.get('postgresql', '-'):>12}   {TARGETS[what]}")


def measure(store: Store) -> None:
    library = checklist.load(extra="")
    rng = random.Random(20261124)
    # One answer, as a tap in the walkthrough saves it.
    one = store.create_audit(random_audit(library, rng, 99_999, 99_999, START))
    items = library.home_rooms[0].items
    save = timed(lambda: store.save_answer(one, 0, rng.choice(items).id, rng.choice(["yes", "no"])), 200)
    line("save one answer (median of 200)", statistics.median(save), "< 20 ms")

    # A 150-item audit with 20 photos, as the Results page and the report load it.
    for p in range(PHOTOS):
        item = items[p % len(items)]
        store.add_photo(one, 0, item.id, f"p{p}.jpg", jpeg(rng), "image/jpeg")
    answers = sum(len(r.answers) for r in store.load_audit(one).rooms) + len(store.load_audit(one).resident)
    load = timed(lambda: store.load_audit(one), 50)
    line(f"load one audit ({answers} answers, {PHOTOS} photos; median of 50)", statistics.median(load), "< 200 ms")
    store.delete_audit(one)

    start = time.perf_counter()
    fill(store, library, rng)
    built = time.perf_counter() - start
    print(f"(built {N_AUDITS:,} audits of {ANSWERS} answers with 3 plan edits each in {built:.1f} s)")

    def audits_page() -> None:
        # What homeaudit/app/audits.py reads and scores on one run: every audit's summary,
        # grouped into client cards; the first page of cards' visits loaded and scored at
        # once; each card's latest visit scored with its plan edits (its open actions).
        cards = client_cards(store.list_audits())[:PAGE_SIZE]
        audits = {a.id: a for a in store.load_audits([v["id"] for c in cards for v in c.visits])}
        scoring.score_many(list(audits.values()), library)
        for card in cards:
            latest = audits[card.latest["id"]]
            scoring.score(latest, library).with_edits(store.plan_edits(latest.id))

    page = timed(audits_page, 5)
    line(f"Audits page data over {N_AUDITS:,} audits (best of 5)", min(page), "< 1 s")

    today = START + dt.timedelta(days=800)

    def practice() -> overview.Overview:
        return overview.practice_overview(overview.read(store), library, today=today)

    gc.collect()
    runs = timed(practice, 3)
    line(f"practice overview over {N_AUDITS:,} audits (best of 3)", min(runs), "< 3 s")
    read = timed(lambda: overview.read(store), 3)
    print(f"  of which reading the tables from the database: {min(read) * 1000:.0f} ms")
    result = practice()
    print(
        f"  ({result.audits:,} audits, {result.homes:,} homes, {len(result.hazards)} hazards, "
        f"{result.actions.total:,} actions, {len(result.risk_rose):,} risk rose, "
        f"{len(result.follow_up_due):,} follow-ups due)"
    )

    gc.collect()
    tracemalloc.start()
    practice()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{'practice overview peak memory (tracemalloc)':<62} {peak / 2**20:9.1f} MB   (target < 500 MB)")
    FIGURES.setdefault("practice overview peak memory", {})[BACKEND[0]] = f"{peak / 2**20:.0f} MB"
    TARGETS["practice overview peak memory"] = "< 500 MB"
    store.close()


if __name__ == "__main__":
    main()
