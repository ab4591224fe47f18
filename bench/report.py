"""How long the PDF report takes: the hazardous example without photos and with 20 phone photos,
and the throughput of rendering 100 audits in a loop (the same work as `homeaudit report --all`).

Run: .venv/bin/python bench/report.py   (targets on 2 cores: < 0.5 s without photos, < 2 s with
20 photos). Times are the median of several runs, wall clock and CPU; the first render in a
process (fonts registered, modules warmed) is shown apart, since the CLI renders once per run.
"""

from __future__ import annotations

import functools
import io
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import homeaudit  # noqa: E402
from homeaudit.audit import Answer, Audit, Auditor, Client  # noqa: E402
from homeaudit.report import ReportOptions, render  # noqa: E402

EXAMPLE = ROOT / "examples" / "hazardous-house.yaml"
N_PHOTOS = 20
N_AUDITS = 100
RUNS = 5


def hazardous(library: homeaudit.Library) -> tuple[Audit, str]:
    """The hazardous example, or (before examples/ exists) one built like it."""
    if EXAMPLE.exists():
        return homeaudit.load_audit(EXAMPLE, library), EXAMPLE.name
    audit = homeaudit.blank_audit(library, client=Client(name="Zoë Kowalczyk"), auditor=Auditor(name="Ann Lee", role="ot"))
    for visit in audit.rooms:
        for index, item in enumerate(library.items_of(visit.room)):
            if index % 3 == 0:
                value = item.hazard_options[0] if item.answer_type != "measurement" else (item.range[0] or item.range[1]) * 0.7
                visit.answers[item.id] = Answer(value=value, unit=item.unit)
    for item in library.items_of("resident"):
        audit.resident[item.id] = Answer(value="yes")
    return audit, "built in code (examples/hazardous-house.yaml not found)"


def phone_photo(seed: int) -> bytes:
    """A 12-megapixel (4000x3000) JPEG like a phone's: smooth shapes plus sensor noise, ~3 MB."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:3000, 0:4000].astype(np.float32)
    base = 128 + 60 * np.sin(x / (300 + seed * 7)) * np.cos(y / (250 + seed * 5))
    pixels = np.stack([base, base * 0.9 + 20, base * 0.7 + 40], axis=-1) + rng.normal(0, 6, (3000, 4000, 3))
    out = io.BytesIO()
    Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)).save(out, format="JPEG", quality=92)
    return out.getvalue()


def noise_photo(seed: int) -> bytes:
    """A 4000x3000 JPEG of pure noise: the worst case for size and decoding (~9 MB)."""
    pixels = np.random.default_rng(seed).integers(0, 256, (3000, 4000, 3), dtype=np.uint8)
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, format="JPEG", quality=85)
    return out.getvalue()


def with_photos(audit: Audit, library: homeaudit.Library, refs: list[str]) -> Audit:
    """A copy of the audit with the photos spread over its hazards, two per hazard."""
    audit = audit.model_copy(deep=True)
    score = homeaudit.score(audit, library)
    hazards = [f for f in score.findings if f.visit != homeaudit.RESIDENT_VISIT and f.is_hazard]
    pairs = [refs[i : i + 2] for i in range(0, len(refs), 2)]
    for finding, pair in zip(hazards, pairs, strict=False):  # the first hazards get photos
        answer = audit.rooms[finding.visit].answers[finding.item_id]
        audit.rooms[finding.visit].answers[finding.item_id] = answer.model_copy(update={"photos": tuple(pair)})
    return audit


def timed(function, runs: int = RUNS) -> tuple[float, float, object]:
    """Median wall and CPU seconds over runs, and the last result."""
    walls, cpus, result = [], [], None
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        result = function()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), result


def main() -> None:
    library = homeaudit.load_library()
    audit, source = hazardous(library)
    score = homeaudit.score(audit, library)
    print(f"hazardous example: {source}: {len(score.actions)} actions, {score.overall.hazards} hazards")

    wall, cpu, pdf = timed(lambda: render(audit, score, library), runs=1)
    print(f"first render in this process:        {wall:6.3f} s wall  {cpu:6.3f} s CPU")
    wall, cpu, pdf = timed(lambda: render(audit, score, library))
    print(
        f"report without photos:               {wall:6.3f} s wall  {cpu:6.3f} s CPU  {len(pdf) / 1e3:8.0f} kB  (target < 0.5 s)"
    )
    wall, cpu, pdf = timed(lambda: render(audit, score, library, ReportOptions(page_size="letter", large_print=True)))
    print(f"same, large print on Letter:         {wall:6.3f} s wall  {cpu:6.3f} s CPU  {len(pdf) / 1e3:8.0f} kB")

    for label, make in (("phone-like", phone_photo), ("pure noise", noise_photo)):
        blobs = {f"photos/{label}-{n}.jpg": make(n) for n in range(N_PHOTOS)}
        shot = with_photos(audit, library, list(blobs))
        shot_score = homeaudit.score(shot, library)
        size_in = sum(map(len, blobs.values())) / 1e6
        wall, cpu, pdf = timed(functools.partial(render, shot, shot_score, library, photo_loader=blobs.__getitem__), runs=3)
        print(
            f"report with {N_PHOTOS} {label} photos:   {wall:6.3f} s wall  {cpu:6.3f} s CPU  "
            f"{len(pdf) / 1e6:6.2f} MB from {size_in:.0f} MB of photos  (target < 2 s, < 10 MB)"
        )

    examples = [homeaudit.load_audit(p, library) for p in sorted((ROOT / "examples").glob("*.yaml"))] or [audit]
    scored = [(a, homeaudit.score(a, library)) for a in examples]
    wall, cpu = time.perf_counter(), time.process_time()
    for n in range(N_AUDITS):
        one, one_score = scored[n % len(scored)]
        render(one, one_score, library)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(
        f"{N_AUDITS} reports in a loop ({len(scored)} examples in turn): {wall:6.2f} s wall  {cpu:6.2f} s CPU  "
        f"= {N_AUDITS / wall:5.1f} reports/s, {1000 * wall / N_AUDITS:5.0f} ms each"
    )


if __name__ == "__main__":
    main()
