"""Daily habits for the resident section: advice from the seed articles, chosen by the answers.

Each habit says what to do and why, in plain words, and names where it comes from. A habit is
shown only when the answers make it fit: bending advice for someone with osteoporosis, back pain
or a reaching hazard; screen advice where a screen was found too low; and so on. The choice
rests on the conditions the scoring engine knows (``resident.osteoporosis``,
``resident.back_pain``), the topics that have hazards, and the risk factors answered yes:
:func:`answers` reads them from a score.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from homeaudit.audit import RESIDENT_VISIT
from homeaudit.results import Score

SEED_ARTICLE = "Seed article: Hidden dangers of osteoporosis-related back pain (Healthusias)"
SEED_OVERVIEW = "Seed article: Does osteoporosis cause pain? A clinical overview"


@dataclass(frozen=True)
class Answers:
    """What the habits look at: conditions and risk factors answered yes, topics with hazards."""

    conditions: frozenset[str] = field(default_factory=frozenset)
    risk_factors: frozenset[str] = field(default_factory=frozenset)
    hazard_topics: frozenset[str] = field(default_factory=frozenset)
    at_risk: bool = False

    @property
    def bones_or_back(self) -> bool:
        return bool({"resident.osteoporosis", "resident.back_pain"} & self.conditions)

    def risk_factor_like(self, *words: str) -> bool:
        return any(word in item_id for item_id in self.risk_factors for word in words)


def answers(score: Score) -> Answers:
    """What the habits look at in a scored audit: the resident's conditions, risk factors and
    fall risk from the screen, and the topics of the hazards found in the home."""
    return Answers(
        conditions=frozenset(score.resident.conditions),
        risk_factors=frozenset(score.resident.risk_factors),
        hazard_topics=frozenset(f.topic for f in score.findings if f.visit != RESIDENT_VISIT and f.is_hazard),
        at_risk=score.resident.at_risk,
    )


@dataclass(frozen=True)
class Habit:
    key: str
    title: str
    text: str
    why: str
    source: str
    fits: Callable[[Answers], bool]


HABITS: tuple[Habit, ...] = (
    Habit(
        "bending",
        "Bending and lifting",
        "Bend at the hips and knees, not at the waist, to pick something up; keep your back "
        "straight and use a long-handled reacher for things on the floor.",
        "Bending forward from the waist loads the spine and can cause a fracture in thin bones.",
        f"{SEED_ARTICLE}; Giangregorio 2015 (Too Fit To Fracture)",
        lambda a: a.bones_or_back or "reaching_bending" in a.hazard_topics,
    ),
    Habit(
        "sleeping",
        "Sleeping position",
        "Sleep on your side with a pillow between your knees, or on your back with a pillow "
        "under your knees. Roll onto your side to get out of bed.",
        "These positions keep the spine in line and take strain off the lower back.",
        f"{SEED_ARTICLE}; Mayo Clinic",
        lambda a: a.bones_or_back or "sleeping_posture" in a.hazard_topics,
    ),
    Habit(
        "screens",
        "Screens at eye level",
        "Raise screens to eye level: the top line of the screen at or just below your eyes, an arm's length away.",
        "Looking down at a low screen makes you slouch, which strains the neck and back.",
        f"{SEED_ARTICLE}; OSHA Computer Workstations eTool",
        lambda a: "screen_height" in a.hazard_topics,
    ),
    Habit(
        "calcium",
        "Calcium and vitamin D",
        "Take calcium and vitamin D as your doctor prescribed, and set a reminder if that helps.",
        "Both keep bones as strong as they can be.",
        SEED_OVERVIEW,
        lambda a: "resident.osteoporosis" in a.conditions or a.risk_factor_like("calcium", "vitamin"),
    ),
    Habit(
        "walking",
        "Daily walks",
        "Take a short walk every day, for example 5 to 10 minutes after meals, in supportive shoes.",
        "Weight-bearing activity helps bones, balance and mood.",
        f"{SEED_ARTICLE}; {SEED_OVERVIEW}",
        lambda a: a.bones_or_back or a.at_risk or a.risk_factor_like("sedentary", "inactive", "exercise", "active"),
    ),
    Habit(
        "shoes",
        "Shoes indoors",
        "Wear shoes indoors too: a low heel and a firm, non-slip sole, not socks or loose slippers.",
        "Walking in socks or bare feet makes a fall far more likely than walking in firm shoes.",
        f"{SEED_ARTICLE}; Koepsell 2004",
        lambda a: "footwear" in a.hazard_topics,
    ),
)


def fitting(answers: Answers) -> list[Habit]:
    """The habits that fit these answers, in a fixed order."""
    return [habit for habit in HABITS if habit.fits(answers)]
