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

import datetime as dt
import math
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

#: When to act (docs/scoring.md, "Ranking the action plan"): a short first list for this week,
#: then this month, then the next three months (homeaudit.plan.DUE_DAYS).
Band = Literal["now", "soon", "later"]
BANDS: tuple[Band, ...] = get_args(Band)
#: In a table column.
BAND_LABELS: dict[str, str] = {"now": "This week", "soon": "Soon", "later": "Later"}
#: As a heading over the band's actions.
BAND_TITLES: dict[str, str] = {"now": "This week", "soon": "Soon: this month", "later": "Later: in the next three months"}

#: How soon a warning sign needs a doctor: ``today`` (the red flags of back pain) is due on the
#: audit date and says "today", never "by" a later date.
Urgency = Literal["today"]
URGENCIES: tuple[Urgency, ...] = get_args(Urgency)

#: Who can do a job, in the order the plan prefers among equals: what the family can do first.
Who = Literal[
    "family", "handyperson", "electrician", "ot", "physiotherapist", "podiatrist", "optometrist", "pharmacist", "doctor"
]
WHO: tuple[Who, ...] = get_args(Who)
WHO_LABELS: dict[str, str] = {
    "family": "Resident or family",
    "handyperson": "Handyperson",
    "electrician": "Electrician",
    "ot": "Occupational therapist",
    "physiotherapist": "Physiotherapist",
    "podiatrist": "Podiatrist",
    "optometrist": "Optometrist",
    "pharmacist": "Pharmacist",
    "doctor": "Doctor",
}
#: Where an action of the plan stands, carried from visit to visit: still to do, done (with a date
#: and who did it), or declined by the client (with their reason, which an OT must record).
ActionState = Literal["open", "done", "declined"]
ACTION_STATES: tuple[ActionState, ...] = get_args(ActionState)
#: An action marked done whose hazard the next visit still found: said in the app, the PDF and
#: the comparison of two visits.
DONE_BUT_HAZARD = "Done but still a hazard"

#: In an occupational therapist's own audit, a job whose ``who`` is ``ot`` is equipment or an
#: adaptation the assessor arranges (a referral), not an appointment to book with another OT.
ASSESSOR_ARRANGES = "Arranged by the assessor"


def who_label(who: str, role: str = "family", doctor: str = "") -> str:
    """Who does a job, in words for this audience: "Occupational therapist" in a family's plan,
    "Arranged by the assessor" in the OT's own report; the family doctor as ``doctor`` says
    where given ("GP" where the audit's currency says the UK: homeaudit.money.doctor_word)."""
    if who == "ot" and role == "ot":
        return ASSESSOR_ARRANGES
    if who == "doctor" and doctor:
        return doctor
    return label(WHO_LABELS, who)


#: Rough cost bands, in the local currency (homeaudit.money); never a quote. A visit to a doctor,
#: pharmacist or therapist is an "appointment": what it costs depends on the health system.
#: Listed cheapest first, the order the plan prefers among equals (an appointment after the fixes
#: under 50 and before the ones that cost 50 or more): this order is the only one.
Cost = Literal["free", "under_50", "appointment", "50_to_250", "over_250"]
COSTS: tuple[Cost, ...] = get_args(Cost)
#: The words for each band; {money} is the currency symbol (homeaudit.money.cost_label fills it).
COST_WORDS: dict[str, str] = {
    "free": "Free",
    "under_50": "Under {money}50",
    "50_to_250": "{money}50 to {money}250",
    "over_250": "Over {money}250",
    "appointment": "Appointment",
}

#: Services an occupational therapist refers to (the referral list of an OT's report).
Referral = Literal[
    "physiotherapy",
    "gp",
    "pharmacist",
    "optometry",
    "podiatry",
    "continence",
    "personal_alarm",
    "home_modification",
    "equipment",
]
REFERRALS: tuple[Referral, ...] = get_args(Referral)
REFERRAL_LABELS: dict[str, str] = {
    "physiotherapy": "Physiotherapy (strength and balance)",
    "gp": "GP (family doctor)",
    "pharmacist": "Pharmacist (medicine review)",
    "optometry": "Optometrist (eye test)",
    "podiatry": "Podiatrist (feet)",
    "continence": "Continence service",
    "personal_alarm": "Personal alarm service",
    "home_modification": "Home modification service (rails, ramps, adaptations)",
    "equipment": "Community equipment service",
}

#: Where an answer comes from, for an OT's report: seen by the assessor, or told by the client.
Basis = Literal["observed", "reported"]
BASES: tuple[Basis, ...] = get_args(Basis)
BASIS_LABELS: dict[str, str] = {"observed": "Observed", "reported": "Reported"}

#: What happened at a hazard, as the auditor noted it on the answer: it raises the fix's priority.
Incident = Literal["fell", "near_miss"]
INCIDENTS: tuple[Incident, ...] = get_args(Incident)
INCIDENT_LABELS: dict[str, str] = {"fell": "Fell here", "near_miss": "Near miss here"}


def label(words: dict[str, str], code: str) -> str:
    """The words for a code; the code itself when it is not known (an OT's own checklist)."""
    return words.get(code, code)


def with_article(noun: str) -> str:
    """'a family member', 'an occupational therapist'."""
    return ("an " if noun[:1].lower() in "aeiou" else "a ") + noun


# --------------------------------------------------------------------------- dates

MONTHS: tuple[str, ...] = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def counted(n: int, noun: str) -> str:
    """'1 photo', '3 photos', '0 falls questions': a count and its noun (a regular plural)."""
    return f"{n} {noun}" + ("" if n == 1 else "s")


def whole(score: float) -> int:
    """A score as people read it, to the whole point, halves up (54.5 is 55): the app's charts
    round so, and Python's own rounding (halves to even) printed 54 in the PDF beside the
    screen's 55. The app, the report and the command line show scores through this."""
    return math.floor(score + 0.5)


def points_moved(before: float | None, after: float | None) -> int | None:
    """How far a score moved, from the figures as shown: 54 -> 62 is +8, whatever the tenths
    (the difference of the unrounded scores, 7.2, was printed "+7" beside "54 -> 62")."""
    return None if before is None or after is None else whole(after) - whole(before)


def long_date(date: dt.date) -> str:
    """'3 March 2025': a date in words, the same in every country (unlike 3/4/2025). The app, the
    report and the command line print dates with this and :func:`short_date`, nothing else."""
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


def short_date(date: dt.date) -> str:
    """'3 Mar 2025', where a table column has little room."""
    return f"{date.day} {MONTHS[date.month - 1][:3]} {date.year}"


__all__ = [
    "ACTION_STATES",
    "ASSESSOR_ARRANGES",
    "BANDS",
    "BAND_LABELS",
    "BAND_TITLES",
    "BASES",
    "BASIS_LABELS",
    "COSTS",
    "COST_WORDS",
    "DONE_BUT_HAZARD",
    "INCIDENTS",
    "INCIDENT_LABELS",
    "MONTHS",
    "REFERRALS",
    "REFERRAL_LABELS",
    "RISK_LABELS",
    "RISK_LEVELS",
    "ROLES",
    "ROLE_CHOICES",
    "ROLE_LABELS",
    "SCORE_LEVELS",
    "SCORE_LEVEL_LABELS",
    "STATUSES",
    "STATUS_LABELS",
    "URGENCIES",
    "WHO",
    "WHO_LABELS",
    "ActionState",
    "Band",
    "Basis",
    "Cost",
    "Incident",
    "Referral",
    "RiskLevel",
    "Role",
    "ScoreLevel",
    "Status",
    "Urgency",
    "Who",
    "counted",
    "label",
    "long_date",
    "points_moved",
    "short_date",
    "who_label",
    "whole",
    "with_article",
]
