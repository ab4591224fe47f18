"""How the report is built: one module per section, headings from one place, the typed results
as its only input (no pandas, nothing from the scoring engine), and one way to print a hazard."""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from reportlab.platypus import KeepTogether, Paragraph

import homeaudit.report
from homeaudit.audit import Answer
from homeaudit.plan import problem
from homeaudit.report import story
from homeaudit.report.context import Context
from homeaudit.report.draw import CELL_LIMIT, HeadedTable
from homeaudit.report.findings import findings
from homeaudit.report.method import method
from homeaudit.report.observations import observations
from homeaudit.report.plan import action_plan, found_cell
from homeaudit.report.referrals import declined, follow_up, referrals
from homeaudit.report.resident import resident
from homeaudit.report.signoff import sign_off
from homeaudit.report.sources import ranges, sources
from homeaudit.report.styles import make
from homeaudit.report.summary import summary
from homeaudit.report.text import markup
from homeaudit.report.titles import FAMILY_SECTIONS, OT_SECTIONS, SECTION_TITLES

REPORT_DIR = Path(homeaudit.report.__file__).parent
FORBIDDEN = ("pandas", "homeaudit.scoring")


def report_modules() -> list[str]:
    return ["homeaudit.report", *(m.name for m in pkgutil.walk_packages([str(REPORT_DIR)], "homeaudit.report."))]


def imported_names(path: Path) -> set[str]:
    """Every module a source file imports, anywhere in it (functions and TYPE_CHECKING too);
    ``from homeaudit import scoring`` counts as ``homeaudit.scoring``."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def is_forbidden(name: str) -> bool:
    return any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN) or name in (
        "homeaudit.score",
        "homeaudit.score_many",
    )


def test_the_report_is_one_module_per_section_and_layout_is_gone():
    modules = set(report_modules())
    sections = ("summary", "plan", "findings", "resident", "sources", "fridge", "front", "observations")
    for section in (*sections, "referrals", "method", "signoff", "bidi", "fonts"):
        assert f"homeaudit.report.{section}" in modules
    assert {"homeaudit.report.story", "homeaudit.report.titles", "homeaudit.report.context", "homeaudit.report.draw"} <= modules
    assert "homeaudit.report.layout" not in modules


@pytest.mark.parametrize("path", sorted(REPORT_DIR.rglob("*.py")), ids=lambda p: str(p.relative_to(REPORT_DIR)))
def test_no_report_module_imports_pandas_or_the_scoring_engine(path):
    assert not {name for name in imported_names(path) if is_forbidden(name)}


def test_importing_every_report_module_loads_neither_pandas_nor_the_scoring_engine():
    script = textwrap.dedent(
        f"""
        import importlib, sys
        for name in {report_modules()!r}:
            importlib.import_module(name)
        print(sorted(m for m in sys.modules if m.split(".")[0] == "pandas" or m == "homeaudit.scoring"))
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --------------------------------------------------------------------------- the sections


@pytest.fixture(scope="module")
def context(reports):
    audit = reports.all_hazards(reports.named())
    for item in reports.library.items_of("resident"):
        audit.resident[item.id] = Answer(value="yes")
    return Context(
        audit=audit,
        score=reports.score(audit),
        library=reports.library,
        styles=make(False),
        width=480.0,
        height=700.0,
        photos={},
    )


def texts(flowables) -> list[str]:
    return [f.getPlainText() for f in flowables if isinstance(f, Paragraph)]


def first(flowable):
    """The first flowable, looking inside a heading kept with its table or with what follows."""
    if isinstance(flowable, HeadedTable):
        return first(flowable.head[0])
    if isinstance(flowable, KeepTogether):
        return first(flowable._content[0])
    return flowable


@pytest.fixture(scope="module")
def ot_context(reports):
    audit = reports.ot_visit()
    return Context(
        audit=audit,
        score=reports.score(audit),
        library=reports.library,
        styles=make(False),
        width=480.0,
        height=700.0,
        photos={},
    )


SECTIONS = [
    ("plan", action_plan),
    ("findings", findings),
    ("resident", resident),
    ("sources", sources),
    ("observations", observations),
    ("referrals", referrals),
    ("declined", declined),
    ("follow_up", follow_up),
    ("method", method),
]


@pytest.mark.parametrize(("section", "draw"), SECTIONS, ids=[name for name, _ in SECTIONS])
def test_each_section_opens_with_its_title(ot_context, section, draw):
    flowables = draw(ot_context)
    opening = first(flowables[0])
    assert isinstance(opening, Paragraph)
    assert opening.getPlainText() == SECTION_TITLES[section]


def test_the_sign_off_keeps_its_title_with_the_signatures(ot_context):
    (block,) = sign_off(ot_context)
    assert isinstance(block, KeepTogether)
    assert block._content[0].getPlainText() == SECTION_TITLES["sign_off"]


def test_every_section_has_a_module_and_each_role_a_list_of_sections():
    assert set(SECTION_TITLES) == set(story.SECTIONS)
    assert set(FAMILY_SECTIONS) | set(OT_SECTIONS) == set(SECTION_TITLES)
    assert FAMILY_SECTIONS[0] == "fridge" and OT_SECTIONS[0] == "visit" and OT_SECTIONS[-1] == "sign_off"


def test_page_one_ends_with_its_title_and_the_most_urgent_actions(context):
    assert SECTION_TITLES["summary"] in texts(summary(context))


# --------------------------------------------------------------------------- words


def paragraphs(flowables) -> list[str]:
    """The markup of every paragraph, looking inside blocks kept together and headed tables."""
    out: list[str] = []
    for flowable in flowables:
        if isinstance(flowable, HeadedTable):
            out += paragraphs(flowable.head)
        elif isinstance(flowable, KeepTogether):
            out += paragraphs(flowable._content)
        elif isinstance(flowable, Paragraph):
            out.append(flowable.text)
    return out


def measured(actions):
    return [a for a in actions if any(f.reading is not None for f in a.answers)]


def test_the_plan_prints_a_hazard_in_the_same_words_as_the_app(reports, context):
    assert measured(context.score.actions) and len(measured(context.score.actions)) < len(context.score.actions)
    for action in context.score.actions:
        assert f":</b> {markup(problem(action), limit=CELL_LIMIT)}" in found_cell(context, action)


def test_the_findings_set_the_hazard_in_bold_and_its_reading_in_regular_weight(context):
    """Read from the findings the report prints (not a helper it might not call)."""
    printed = paragraphs(findings(context))
    action = next(a for a in measured(context.score.actions) if a.visit >= 0)
    hazard, detail = problem(action).split(": ", 1)
    assert detail.startswith("measured ") and "; target " in detail
    assert any(text.startswith(f"<b>{markup(hazard)}:</b> {markup(detail)}") for text in printed)
    plain = next(a for a in context.score.actions if a.visit >= 0 and a.finding == a.hazard)
    assert any(text.startswith(f"<b>{markup(plain.hazard)}</b>") for text in printed)


def test_ranges_of_action_numbers_are_joined_with_an_en_dash():
    assert ranges([7, 1, 2, 3, 3]) == "1\u20133, 7"
    assert ranges([4]) == "4"
    assert ranges([]) == ""
