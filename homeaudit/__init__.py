"""homeaudit: a home fall-risk and ergonomics audit, scored, with a printable action plan.

The public surface. The app and the CLI use only these names; so can other programs.
"""

from homeaudit.audit import Answer, Audit, AuditError, Auditor, Client, RoomVisit
from homeaudit.audit import blank as blank_audit
from homeaudit.audit import dumps as dump_audit
from homeaudit.audit import load as load_audit
from homeaudit.audit import loads as parse_audit
from homeaudit.audit import save as save_audit
from homeaudit.checklist import TOPICS, ChecklistError, Item, Library, Room
from homeaudit.checklist import load as load_library
from homeaudit.scoring import Score, score, score_many

__version__ = "0.1.0"

__all__ = [
    "Answer",
    "Audit",
    "AuditError",
    "Auditor",
    "ChecklistError",
    "Client",
    "Item",
    "Library",
    "Room",
    "RoomVisit",
    "Score",
    "TOPICS",
    "blank_audit",
    "dump_audit",
    "load_audit",
    "load_library",
    "parse_audit",
    "save_audit",
    "score",
    "score_many",
    "__version__",
]
