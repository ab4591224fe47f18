"""homeaudit: a home fall-risk and ergonomics audit, scored, with a printable action plan.

The public surface: the app, the command line and other programs use these names. Each name is
loaded from its module on first use, so that a command that only reads checklists starts fast
and the scoring engine (pandas) loads only for :func:`score` and :func:`score_many`.

    from homeaudit import load_audit, load_library, score
    library = load_library()
    result = score(load_audit("examples/hazardous-house.yaml", library), library)
    result.overall.risk_level, [action.hazard for action in result.actions[:3]]
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from homeaudit.audit import RESIDENT_VISIT, Answer, Audit, AuditError, Auditor, Client, RoomVisit, visit_titles
    from homeaudit.audit import blank as blank_audit
    from homeaudit.audit import dumps as dump_audit
    from homeaudit.audit import load as load_audit
    from homeaudit.audit import loads as parse_audit
    from homeaudit.audit import save as save_audit
    from homeaudit.checklist import TOPICS, ChecklistError, Item, Library, Room
    from homeaudit.checklist import load as load_library
    from homeaudit.compare import ChangedAction, Comparison
    from homeaudit.compare import compare as compare_visits
    from homeaudit.plan import Action, PlanEdit
    from homeaudit.reminders import calendar_actions, calendar_file, helper_lists
    from homeaudit.report.helper_list import helper_list_pdf
    from homeaudit.results import Finding, Overall, ResidentScreen, RoomScore, Score, ScoringError, TopicScore
    from homeaudit.scoring import score, score_many
    from homeaudit.units import Reading

__version__ = "0.1.0"

#: Where each public name lives: ``name: (module, name there)``. Each module is imported on first
#: use, so ``homeaudit validate`` loads no pandas and no audit model it does not need.
_WHERE: dict[str, tuple[str, str]] = {
    **{n: ("homeaudit.audit", n) for n in ("RESIDENT_VISIT", "Answer", "Audit", "AuditError", "Auditor", "Client", "RoomVisit")},
    "visit_titles": ("homeaudit.audit", "visit_titles"),
    "blank_audit": ("homeaudit.audit", "blank"),
    "dump_audit": ("homeaudit.audit", "dumps"),
    "load_audit": ("homeaudit.audit", "load"),
    "parse_audit": ("homeaudit.audit", "loads"),
    "save_audit": ("homeaudit.audit", "save"),
    **{n: ("homeaudit.checklist", n) for n in ("TOPICS", "ChecklistError", "Item", "Library", "Room")},
    "load_library": ("homeaudit.checklist", "load"),
    **{n: ("homeaudit.compare", n) for n in ("ChangedAction", "Comparison")},
    # Not "compare": that name is the module homeaudit.compare, which an import puts on the package.
    "compare_visits": ("homeaudit.compare", "compare"),
    "Action": ("homeaudit.plan", "Action"),
    "PlanEdit": ("homeaudit.plan", "PlanEdit"),
    **{
        n: ("homeaudit.results", n)
        for n in ("Finding", "Overall", "ResidentScreen", "RoomScore", "Score", "ScoringError", "TopicScore")
    },
    **{n: ("homeaudit.reminders", n) for n in ("calendar_actions", "calendar_file", "helper_lists")},
    "helper_list_pdf": ("homeaudit.report.helper_list", "helper_list_pdf"),
    "score": ("homeaudit.scoring", "score"),
    "score_many": ("homeaudit.scoring", "score_many"),
    "Reading": ("homeaudit.units", "Reading"),
}


def __getattr__(name: str) -> Any:
    try:
        module, attribute = _WHERE[name]
    except KeyError:
        raise AttributeError(f"module 'homeaudit' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value  # looked up once
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "RESIDENT_VISIT",
    "TOPICS",
    "Action",
    "Answer",
    "Audit",
    "AuditError",
    "Auditor",
    "ChangedAction",
    "ChecklistError",
    "Client",
    "Comparison",
    "Finding",
    "Item",
    "Library",
    "Overall",
    "PlanEdit",
    "Reading",
    "ResidentScreen",
    "Room",
    "RoomScore",
    "RoomVisit",
    "Score",
    "ScoringError",
    "TopicScore",
    "__version__",
    "blank_audit",
    "calendar_actions",
    "calendar_file",
    "compare_visits",
    "dump_audit",
    "helper_list_pdf",
    "helper_lists",
    "load_audit",
    "load_library",
    "parse_audit",
    "save_audit",
    "score",
    "score_many",
    "visit_titles",
]
