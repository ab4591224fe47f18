"""The report's own headings, each written once: the document's title, the line in every
footer, and the heading of each section of the story (:mod:`homeaudit.report.story`).

The sections print their headings from :data:`SECTION_TITLES` and the tests look for the same
words in the PDF, so a heading reworded here is reworded everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final, Literal

#: On page one, in every header and in the PDF's metadata.
TITLE: Final = "Home safety action plan"
#: In every footer.
DISCLAIMER_SHORT: Final = "A safety checklist, not a medical diagnosis"

Section = Literal["summary", "plan", "findings", "resident", "sources"]

#: The heading of each section, in the order the report prints them (for page one, the heading
#: of its last part: the summary itself opens with the client's name).
SECTION_TITLES: Final[Mapping[Section, str]] = {
    "summary": "Most urgent actions",
    "plan": "Action plan",
    "findings": "Findings room by room",
    "resident": "About the resident",
    "sources": "Sources and notes",
}

__all__ = ["DISCLAIMER_SHORT", "SECTION_TITLES", "TITLE", "Section"]
