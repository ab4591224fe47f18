"""The package's public surface: what `homeaudit` offers, and that the shell (the app and the CLI)
uses only that and the modules meant for it, never an engine's or a report section's insides."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

import homeaudit

from audit_builders import ROOT

PACKAGE = ROOT / "homeaudit"
#: The shell: code that only gathers input and shows output.
SHELL = [*sorted((PACKAGE / "app").glob("*.py")), PACKAGE / "cli.py", ROOT / "audit_app.py"]
#: Modules whose public names (their ``__all__``) the shell may import, beside ``homeaudit`` itself.
#: Not here on purpose: the scoring engine (the shell calls ``homeaudit.score``), the YAML reader,
#: and the report's sections (the shell calls ``homeaudit.report.render``).
MEANT_FOR_THE_SHELL = {
    "homeaudit.audit",
    "homeaudit.bundle",
    "homeaudit.checklist",
    "homeaudit.export_all",
    "homeaudit.limits",
    "homeaudit.overview",
    "homeaudit.money",
    "homeaudit.photos",
    "homeaudit.plan",
    "homeaudit.reminders",
    "homeaudit.report",
    "homeaudit.results",
    "homeaudit.sheets",
    "homeaudit.store",
    "homeaudit.units",
    "homeaudit.words",
}


def test_every_public_name_resolves():
    for name in homeaudit.__all__:
        assert getattr(homeaudit, name) is not None, name
    with pytest.raises(AttributeError):
        homeaudit.no_such_name  # noqa: B018


def test_importing_the_package_loads_no_engine():
    probe = "import sys, homeaudit; print(sorted(m for m in ('pandas', 'reportlab', 'streamlit') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.stdout.strip() == "[]", done.stderr


def _imports(path: Path) -> list[tuple[int, str, str | None]]:
    """(line, module, name) for each homeaudit import of a file; name is None for `import x`."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "homeaudit":
            found += [(node.lineno, node.module, alias.name) for alias in node.names]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name, None) for alias in node.names if alias.name.split(".")[0] == "homeaudit"]
    return found


def _allowed(module: str, name: str | None) -> bool:
    if module.startswith("homeaudit.app"):  # the app's own pages and widgets
        return True
    if module == "homeaudit" and name is not None:
        return name in homeaudit.__all__ or f"homeaudit.{name}" in MEANT_FOR_THE_SHELL
    if module not in MEANT_FOR_THE_SHELL:
        return False
    return name is None or name in importlib.import_module(module).__all__


@pytest.mark.parametrize("path", SHELL, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_app_and_the_cli_import_only_the_public_surface(path):
    wrong = [
        f"{path.relative_to(ROOT)}:{line}: {module}{'.' + name if name else ''}"
        for line, module, name in _imports(path)
        if not _allowed(module, name)
    ]
    assert not wrong, "not in homeaudit.__all__ nor in the __all__ of a module meant for the shell:\n" + "\n".join(wrong)


def test_every_module_meant_for_the_shell_declares_its_public_names():
    for module in sorted(MEANT_FOR_THE_SHELL):
        names = importlib.import_module(module).__all__
        assert names and all(hasattr(importlib.import_module(module), n) for n in names), module
