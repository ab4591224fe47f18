"""The domain's words, each defined once: the codes that files and the database hold, and the
words people read for them.

The app, the report and the command line all take their words from here, so that a family sees
"High risk" on the screen and on paper, and a checklist author and a programmer share one list
of who can do a job and what it costs. A code (``"ot"``, ``"under_50"``) never changes once
released: audit files and databases hold it. The words may be improved.

Two words have a precise meaning throughout homeaudit:

* **answered**: a question that has a value, "not applicable" included. Progress in the app,
  coverage in the score and the counts in the report and the CLI all count this.
* **assessed**: answered with something other than "not applicable": the answers a score is made
  of (an unanswered question is never counted as safe).
"""

from __future__ import annotations

from typing import Literal, get_args

# --------------------------------------------------------------------------- who audits

#: Who did the audit. Self-raters report more hazards than therapists, so every audit says.
Role = Literal["family", "ot"]
ROLES: tuple[Role, ...] = get_args(Role)
#: In a sentence: "audited by a family member".
ROLE_LABELS: dict[str, str] = {"family": "family member", "ot": "occupational therapist"}
#: As the choice on the start form.
ROLE_CHOICES: dict[str, str] = {
    "family": "A family member, or the person who lives there",
    "ot": "An occupational therapist",
}

# --------------------------------------------------------------------------- risk

#: The home's overall risk; ``unknown`` when nothing was assessed (an empty audit is not safe).
RiskLevel = Literal["unknown", "low", "moderate", "high"]
#: From least to most worrying: a change of answers that only adds hazards never moves left.
RISK_LEVELS: tuple[RiskLevel, ...] = get_args(RiskLevel)
RISK_LABELS: dict[str, str] = {
    "high": "High risk",
    "moderate": "Moderate risk",
    "low": "Low risk",
    "unknown": "Not enough answers",
}

#: What a score of a room, a topic or the home means (thresholds: homeaudit.results).
ScoreLevel = Literal["needs_work", "some_problems", "good"]
SCORE_LEVELS: tuple[ScoreLevel, ...] = get_args(ScoreLevel)
SCORE_LEVEL_LABELS: dict[str, str] = {"needs_work": "Needs work", "some_problems": "Some problems", "good": "Good"}

# --------------------------------------------------------------------------- one answer

#: What an answer makes of a question (docs/scoring.md, "Answers and their status").
Status = Literal["hazard", "safe", "na", "not_assessed", "absent"]
STATUSES: tuple[Status, ...] = get_args(Status)
STATUS_LABELS: dict[str, str] = {
    "hazard": "Hazard",
    "safe": "Safe",
    "na": "Not applicable",
    "not_assessed": "Not assessed",
    "absent": "Not in this home",
}

# --------------------------------------------------------------------------- the action plan

#: When to act, from the priority (docs/scoring.md, "Ranking the action plan").
Band = Literal["now", "soon", "later"]
BANDS: tuple[Band, ...] = get_args(Band)
#: In a table column.
BAND_LABELS: dict[str, str] = {"now": "Now", "soon": "Soon", "later": "Later"}
#: As a heading over the band's actions.
BAND_TITLES: dict[str, str] = {"now": "Do now", "soon": "Do soon", "later": "Plan for later"}

#: Who can do a job.
Who = Literal["family", "handyperson", "ot", "doctor"]
WHO: tuple[Who, ...] = get_args(Who)
WHO_LABELS: dict[str, str] = {
    "family": "Resident or family",
    "handyperson": "Handyperson",
    "ot": "Occupational therapist",
    "doctor": "Doctor",
}

#: Rough cost bands, in the local currency; never a quote.
Cost = Literal["free", "under_50", "50_to_250", "over_250"]
COSTS: tuple[Cost, ...] = get_args(Cost)
COST_LABELS: dict[str, str] = {
    "free": "Free",
    "under_50": "Under 50",
    "50_to_250": "50 to 250",
    "over_250": "Over 250",
}


def label(words: dict[str, str], code: str) -> str:
    """The words for a code; the code itself when it is not known (an OT's own checklist)."""
    return words.get(code, code)


def with_article(noun: str) -> str:
    """'a family member', 'an occupational therapist'."""
    return ("an " if noun[:1].lower() in "aeiou" else "a ") + noun


__all__ = [
    "BANDS",
    "BAND_LABELS",
    "BAND_TITLES",
    "COSTS",
    "COST_LABELS",
    "RISK_LABELS",
    "RISK_LEVELS",
    "ROLES",
    "ROLE_CHOICES",
    "ROLE_LABELS",
    "SCORE_LEVELS",
    "SCORE_LEVEL_LABELS",
    "STATUSES",
    "STATUS_LABELS",
    "WHO",
    "WHO_LABELS",
    "Band",
    "Cost",
    "RiskLevel",
    "Role",
    "ScoreLevel",
    "Status",
    "Who",
    "label",
    "with_article",
]
