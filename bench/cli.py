"""How fast the command line starts: each command run as a user runs it, a fresh process each time.

The commands that only read checklists load neither pandas nor reportlab (see homeaudit/cli.py),
so they start in a fraction of the time of the ones that score or draw.

Run: .venv/bin/python bench/cli.py   (target on 2 cores: `homeaudit validate` under 0.3 s median)
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = str(ROOT / "examples" / "hazardous-house.yaml")
RUNS = 9
COMMANDS = [
    ["--help"],
    ["validate"],
    ["checklist", "--format", "json"],
    ["score", EXAMPLE, "--format", "json"],
]


def wall_time(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "homeaudit", *argv], check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
    return time.perf_counter() - start


def main() -> None:
    for argv in COMMANDS:
        wall_time(argv)  # warm the file cache
        times = [wall_time(argv) for _ in range(RUNS)]
        shown = " ".join("AUDIT" if a == EXAMPLE else a for a in argv)
        target = "  (target < 0.3 s)" if argv == ["validate"] else ""
        print(f"homeaudit {shown:<32} median {statistics.median(times):.3f} s, min {min(times):.3f} s{target}")


if __name__ == "__main__":
    main()
