"""How often stores opening one new database at once fail: four threads open (and so create and
upgrade) a new SQLite file together, again and again, and the failures are counted. It should be 0.
Before 5fe5225 it was 6 rounds in 200 on an idle machine, 3 in 600 under load: SQLite does not
wait for a lock while it switches a file to WAL.

Run: .venv/bin/python bench/opening.py [--rounds 200] [--stores 4]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from homeaudit.store import connect  # noqa: E402


def one_round(folder: Path, stores: int) -> list[str]:
    """The errors of ``stores`` threads opening one new file at once (empty: all opened it)."""
    errors: list[str] = []
    target = folder / "homeaudit.db"

    def open_it() -> None:
        try:
            connect(target).close()
        except Exception as error:  # noqa: BLE001 - counted below
            errors.append(str(error).rsplit(": ", 1)[-1])

    threads = [threading.Thread(target=open_it) for _ in range(stores)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--stores", type=int, default=4)
    args = parser.parse_args()
    failed = 0
    kinds: Counter[str] = Counter()
    started = time.perf_counter()
    for _ in range(args.rounds):
        with tempfile.TemporaryDirectory() as folder:
            errors = one_round(Path(folder), args.stores)
        failed += bool(errors)
        kinds.update(errors)
    seconds = time.perf_counter() - started
    print(f"{args.rounds} rounds of {args.stores} stores opening one new file: {failed} rounds failed ({seconds:.1f} s)")
    for kind, count in kinds.most_common():
        print(f"  {count} x {kind}")


if __name__ == "__main__":
    main()
