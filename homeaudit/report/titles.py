"""The report's own headings, each written once: the document's title, the lines in every header
and footer, and the heading of each section of the story (:mod:`homeaudit.report.story`).

The sections print their headings from :data:`SECTION_TITLES` and the tests look for the same
words in the PDF, so a heading reworded here is reworded everywhere. Which sections a report has,
and in what order, depends on who audited: :data:`FAMILY_SECTIONS` for a family member's audit,
:data:`OT_SECTIONS` for an occupational therapist's visit report.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final, Literal

#: On page one, in every header and in the PDF's metadata.
TITLE: Final = "Home safety action plan"
#: On the front page of an occupational therapist's report (the kicker above the client's name).
OT_TITLE: Final = "Home safety assessment: occupational therapy visit report"
#: In every header of an occupational therapist's report, on every page.
CONFIDENTIAL: Final = "Confidential: contains health information"
#: In every footer.
DISCLAIMER_SHORT: Final = "A safety checklist, not a medical diagnosis"

Section = Literal[
    "fridge",
    "visit",
    "summary",
    "observations",
    "plan",
    "findings",
    "resident",
    "referrals",
    "declined",
    "follow_up",
    "method",
    "sources",
    "sign_off",
]

#: The heading of each section (for the summary page, the heading of its last part: the summary
#: itself opens with the client's name; the fridge page's big title is the first band's title).
SECTION_TITLES: Final[Mapping[Section, str]] = {
    "fridge": "For the fridge",
    "visit": "Visit details",
    "summary": "Most urgent actions",
    "observations": "Functional observations",
    "plan": "Action plan",
    "findings": "Findings room by room",
    "resident": "About the resident",
    "referrals": "Referrals",
    "declined": "Recommendations declined",
    "follow_up": "Follow-up",
    "method": "Assessment method",
    "sources": "Sources and notes",
    "sign_off": "Sign-off",
}

#: A family member's audit: the fridge list first, then the report as before.
FAMILY_SECTIONS: Final[tuple[Section, ...]] = ("fridge", "summary", "plan", "findings", "resident", "sources")
#: An occupational therapist's visit report: the visit, what was seen, what to do, who else to
#: involve, how the assessment was done, and the signatures.
OT_SECTIONS: Final[tuple[Section, ...]] = (
    "visit",
    "summary",
    "observations",
    "resident",
    "findings",
    "plan",
    "referrals",
    "declined",
    "follow_up",
    "method",
    "sources",
    "sign_off",
)

__all__ = [
    "CONFIDENTIAL",
    "DISCLAIMER_SHORT",
    "FAMILY_SECTIONS",
    "OT_SECTIONS",
    "OT_TITLE",
    "SECTION_TITLES",
    "TITLE",
    "Section",
]
