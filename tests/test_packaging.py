"""The package installs like one: a wheel built from this checkout works in a fresh venv, elsewhere.

The wheel is built from a copy of the sources (so no ``build/`` or ``*.egg-info`` lands in the
checkout), installed with ``--no-deps`` into a venv made in tmp_path, and run from a folder outside
the checkout. The runtime dependencies come from this interpreter's site-packages through a .pth
line; such a folder is not itself scanned for .pth files, so this venv's editable install of
homeaudit stays out, and the test checks that homeaudit is imported from the fresh venv.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: What the build reads: the project file, its readme, and the two folders that ship.
SOURCES = ("pyproject.toml", "README.md", "homeaudit", "checklists")


def run(args: list[str | Path], cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False)
    if done.returncode:
        pytest.fail(f"{' '.join(map(str, args))} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}", pytrace=False)
    return done.stdout


def build_wheel(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    src.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(ROOT / name, src / name)
    dist = tmp_path / "dist"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input"]
    run([*pip, "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q", "-w", dist, src], cwd=tmp_path)
    (wheel,) = dist.glob("homeaudit-*.whl")
    return wheel


def test_the_wheel_ships_the_checklists_fonts_and_py_typed_and_works_from_a_fresh_venv(tmp_path):
    wheel = build_wheel(tmp_path)

    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    yaml_files = {n for n in names if n.startswith("homeaudit/checklists/") and n.endswith(".yaml")}
    assert len(yaml_files) >= 10, sorted(names)
    assert {f"homeaudit/checklists/{p.name}" for p in (ROOT / "checklists").glob("*.yaml")} == yaml_files
    assert "homeaudit/py.typed" in names
    assert {"homeaudit/report/fonts/DejaVuSans.ttf", "homeaudit/report/fonts/DejaVuSans-Bold.ttf"} <= names
    # pyproject.toml lists the packages by name: a new subpackage left off the list fails here.
    modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "homeaudit").rglob("*.py")}
    assert modules - names == set()

    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", venv], cwd=tmp_path)
    python = venv / "bin" / "python"
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "HOMEAUDIT_CHECKLISTS"}}
    env["PYTHONNOUSERSITE"] = "1"
    paths = json.loads(run([python, "-c", "import json, sysconfig; print(json.dumps(sysconfig.get_paths()))"], tmp_path, env))
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input", "--python", python]
    run([*pip, "install", "--no-deps", "--no-index", "-q", wheel], cwd=tmp_path, env=env)
    # The dependencies (pandas, reportlab, pydantic, ...) from this interpreter, without installing them again.
    outer = dict.fromkeys(sysconfig.get_paths()[key] for key in ("purelib", "platlib"))
    Path(paths["purelib"], "outer_site_packages.pth").write_text("".join(f"{p}\n" for p in outer), encoding="utf-8")

    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(ROOT / "examples" / "photos", elsewhere / "photos")
    audit = shutil.copy2(ROOT / "examples" / "hazardous-house.yaml", elsewhere / "hazardous-house.yaml")

    where = run(
        [python, "-c", "import homeaudit, homeaudit.checklist as c; print(homeaudit.__file__); print(c.bundled_dir())"],
        elsewhere,
        env,
    )
    module, bundled = (Path(line).resolve() for line in where.splitlines())
    assert module.is_relative_to(venv.resolve()), f"homeaudit imported from {module}, not from the fresh venv"
    assert bundled.is_relative_to(venv.resolve()) and bundled.name == "checklists", bundled

    homeaudit = Path(paths["scripts"]) / "homeaudit"
    items = json.loads(run([homeaudit, "checklist", "--format", "json"], elsewhere, env))
    assert "bathroom.grab_bar_toilet" in {item["id"] for item in items}
    assert {item["room"] for item in items} >= {"bathroom", "stairs", "resident"}

    scored = json.loads(run([homeaudit, "score", audit, "--format", "json"], elsewhere, env))
    assert scored["actions"] and scored["rooms"]

    run([homeaudit, "report", audit, "-o", "out.pdf"], elsewhere, env)
    assert (elsewhere / "out.pdf").read_bytes().startswith(b"%PDF")

    # The migrations ship with the package: a new database is made from them, away from the repository.
    run([homeaudit, "import", audit, "--db", "h.db"], elsewhere, env)
    listed = run([homeaudit, "list", "--db", "h.db"], elsewhere, env)
    assert "Zoë Kowalczyk" in listed, listed
