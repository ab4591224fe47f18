"""What every section of the report is drawn from, worked out once per report."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from homeaudit.audit import Audit
from homeaudit.checklist import Library
from homeaudit.photos import Photo
from homeaudit.report.styles import Styles
from homeaudit.results import Score


@dataclass(frozen=True)
class Context:
    """The audit and its score (with the plan edits already joined), the checklist, the look,
    the size of the frame and the photos, loaded and prepared (or the words that stand in for
    a photo that could not be had, "photo missing")."""

    audit: Audit
    score: Score
    library: Library
    styles: Styles
    width: float  # of the frame
    height: float  # of the frame: what fits on one page
    photos: Mapping[str, Photo | str]
    currency: str = "USD"  # cost bands' currency (homeaudit.money)


__all__ = ["Context"]
