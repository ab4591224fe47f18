"""Daily habits for the resident section: which habits of the checklist library fit this person.

The advice, its reasons, its sources and the rules that pick it are checklist content
(``checklists/habits.yaml``, :class:`homeaudit.checklist.Habit`), so an occupational therapist's
own checklist can change them and the content tests hold them to the checklist's rules (plain
words, full references, never a consumer article alone). This module only reads from a score the
facts those rules look at: the questions about the person answered as a hazard, the topics of
every hazard found (in the rooms and in the person's own habits, such as footwear and sleeping
position), and whether the falls screen shows a higher risk of falling.
"""

from __future__ import annotations

from dataclasses import dataclass

from homeaudit.audit import RESIDENT_VISIT
from homeaudit.checklist import Habit, Library
from homeaudit.results import Score


@dataclass(frozen=True)
class Facts:
    """What the habits' rules look at."""

    hazards: frozenset[str]  # the questions about the person answered as a hazard
    topics: frozenset[str]  # the topics with a hazard, in the rooms or about the person
    at_risk: bool


def facts(score: Score) -> Facts:
    """The facts of a scored audit that select habits."""
    found = [f for f in score.findings if f.is_hazard]
    return Facts(
        hazards=frozenset(f.item_id for f in found if f.visit == RESIDENT_VISIT),
        topics=frozenset(f.topic for f in found),
        at_risk=score.resident.at_risk,
    )


def fitting(library: Library, score: Score) -> list[Habit]:
    """The library's habits that fit this person, in the library's order."""
    known = facts(score)
    return [habit for habit in library.habits.values() if habit.fits(known.hazards, known.topics, known.at_risk)]


__all__ = ["Facts", "facts", "fitting"]
