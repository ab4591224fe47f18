"""Audits built in code for the report tests, and helpers to read the PDFs back.

Items are chosen by answer type from the library, never by id (apart from the ids the scoring
engine itself names), so the tests survive changes to the checklist wording and content.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from pdf_text import flat, pages
from PIL import Image

import homeaudit
from homeaudit.audit import (
    OBSERVATIONS,
    Answer,
    Assessment,
    Audit,
    Auditor,
    Client,
    Consent,
    Contact,
    Declined,
    ReferredBy,
    blank,
)
from homeaudit.checklist import Item, Library
from homeaudit.report import ReportOptions, render
from homeaudit.results import Score

DATE = dt.date(2025, 3, 14)
NAMES = ("Zoë Kowalczyk-Nguyễn", "Małgorzata Wójcik", "Ελένη", "Ольга", "王芳")
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def hazard_answer(item: Item, **extra: Any) -> Answer:
    """An answer that makes this item a hazard, whatever its answer type."""
    if item.answer_type == "measurement":
        low, high = item.range
        value = low * 0.8 if low is not None else high * 1.5 + 1
        return Answer(value=round(value, 1), unit=item.range_unit or item.unit, **extra)  # the range's own unit
    return Answer(value=item.hazard_options[0], **extra)


def safe_answer(item: Item, **extra: Any) -> Answer:
    """An answer that makes this item safe."""
    if item.answer_type == "measurement":
        low, high = item.range
        if low is None:
            value = high * 0.5
        elif high is None:
            value = low * 1.2
        else:
            value = (low + high) / 2
        return Answer(value=round(value, 1), unit=item.range_unit or item.unit, **extra)
    if item.answer_type == "yes_no":
        return Answer(value="yes" if item.hazard_options[0] == "no" else "no", **extra)
    return Answer(value=next(o.value for o in item.options if o.value not in item.hazard_options), **extra)


@dataclass
class Reports:
    """Build audits, score and render them, and read the PDF back."""

    library: Library

    def blank(self, **meta: Any) -> Audit:
        meta.setdefault("date", DATE)
        return blank(self.library, **meta)

    def named(self, role: str = "family", **meta: Any) -> Audit:
        return self.blank(
            client=Client(name=NAMES[0], address="12 Ελένη Street, Ольга Town", notes="Lives with 王芳."),
            auditor=Auditor(name=NAMES[1], role=role),
            **meta,
        )

    def ot_visit(self, **meta: Any) -> Audit:
        """An occupational therapist's visit with every detail recorded: client, referral, goals,
        consent, observations, a declined recommendation, a follow-up date; in each room every
        third check a hazard and the rest safe (so there are measurements in range and out of
        it), the room answers observed and the resident's reported, and one near miss."""
        audit = self.blank(
            client=Client(
                name="Zoë Kowalczyk",
                address="12 Elm Street, Millbrook MB1 2CD",
                notes="Daughter visits twice a week.",
                date_of_birth=dt.date(1941, 2, 2),
                phone="01632 960123",
                lives_alone=True,
                mobility_aid="Walking stick",
                diagnoses=("Osteoporosis", "Chronic low back pain"),
                main_carer=Contact(name="Anna Kowalczyk", relationship="daughter", phone="07700 900123"),
                gp=Contact(name="Dr Priya Shah", relationship="Millbrook Surgery", phone="01632 960500"),
                funder="Millbrook Health Board",
                case_reference="OT-2025-0142",
            ),
            auditor=Auditor(
                name="Ann Lee",
                role="ot",
                organisation="Millbrook Community Occupational Therapy",
                registration="HCPC OT12345",
                contact="ann.lee@millbrook.example",
            ),
            assessment=Assessment(
                referred_by=ReferredBy(
                    by="Dr Priya Shah (GP)", date=dt.date(2025, 2, 20), reason="Fell on the stairs in January."
                ),
                goals=("Use the stairs safely to reach the bedroom.", "Get in and out of the bath without help."),
                consent=Consent(assessment=True, photos=False, sharing=True, share_with="GP and daughter"),
                observations={
                    key: f"Managed the {key.replace('_', ' ')} with one hand on the wall; slow but safe." for key in OBSERVATIONS
                },
                follow_up=dt.date(2025, 5, 14),
            ),
            **meta,
        )
        for visit in audit.rooms:
            for index, item in enumerate(self.library.items_of(visit.room)):
                make = hazard_answer if index % 3 == 0 else safe_answer
                visit.answers[item.id] = make(item, basis="observed")
        for index, item in enumerate(self.library.items_of("resident")):
            if item.answer_type == "yes_no":
                audit.resident[item.id] = Answer(value="yes" if index % 2 == 0 else "no", basis="reported")
        first = next(f for f in self.score(audit).actions if f.visit >= 0)
        near = audit.rooms[first.visit].answers[first.item_id]
        audit.rooms[first.visit].answers[first.item_id] = near.model_copy(update={"incident": "near_miss"})
        audit.assessment.declined = (
            Declined(
                recommendation=first.action[:80], reason="She would rather wait until after the summer.", item_id=first.item_id
            ),
        )
        return audit

    def all_safe(self, audit: Audit) -> Audit:
        for visit in audit.rooms:
            for item in self.library.items_of(visit.room):
                visit.answers[item.id] = safe_answer(item)
        for item in self.library.items_of("resident"):
            if item.answer_type != "measurement":  # the person's own measurements have no safe range
                audit.resident[item.id] = safe_answer(item)
        return audit

    def all_hazards(self, audit: Audit) -> Audit:
        for visit in audit.rooms:
            for item in self.library.items_of(visit.room):
                visit.answers[item.id] = hazard_answer(item)
        return audit

    def score(self, audit: Audit) -> Score:
        return homeaudit.score(audit, self.library)

    def pdf(self, audit: Audit, photo_loader: Callable[[str], bytes] | None = None, **options: Any) -> bytes:
        return render(audit, self.score(audit), self.library, ReportOptions(**options), photo_loader)

    def example(self, name: str) -> tuple[Audit, Callable[[str], bytes]]:
        """An example audit from examples/, and a loader for its photos (as the CLI reads them)."""
        path = EXAMPLES / name
        return homeaudit.load_audit(path, self.library), lambda ref: (path.parent / ref).read_bytes()

    def first_item(self, room: str, answer_type: str | None = None) -> Item:
        return next(i for i in self.library.items_of(room) if answer_type in (None, i.answer_type))

    # The module-level helpers, reachable from tests through the fixture.
    hazard_answer = staticmethod(lambda item, **extra: hazard_answer(item, **extra))
    safe_answer = staticmethod(lambda item, **extra: safe_answer(item, **extra))
    pages = staticmethod(lambda pdf: pages(pdf))
    flat = staticmethod(lambda text: flat(text))
    jpeg = staticmethod(lambda *args, **kwargs: jpeg(*args, **kwargs))


@pytest.fixture(scope="session")
def library() -> Library:
    return homeaudit.load_library()


@pytest.fixture(scope="session")
def reports(library: Library) -> Reports:
    return Reports(library)


def jpeg(
    width: int, height: int, *, orientation: int | None = None, gps: bool = False, seed: int = 0, noise: bool = False
) -> bytes:
    """A JPEG: red top half and blue bottom half once shown upright, or noise; with EXIF if asked.

    With an orientation, the pixels are stored turned so that a viewer that applies the EXIF
    orientation shows the red half on top.
    """
    if noise:
        rng = np.random.default_rng(seed)
        pixels = rng.integers(0, 256, (height, width, 3), dtype=np.uint8)
        upright = Image.fromarray(pixels)
    else:
        upright = Image.new("RGB", (width, height), (0, 0, 255))
        upright.paste((255, 0, 0), (0, 0, width, height // 2))
    stored = upright
    if orientation == 6:  # shown after turning 90° clockwise
        stored = upright.transpose(Image.Transpose.ROTATE_90)
    elif orientation == 3:
        stored = upright.transpose(Image.Transpose.ROTATE_180)
    elif orientation == 8:
        stored = upright.transpose(Image.Transpose.ROTATE_270)
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    if gps:
        exif[0x010F] = "PhoneMaker"
        exif[0x8825] = {1: "N", 2: (51.0, 30.0, 12.5), 3: "W", 4: (0.0, 7.0, 39.9)}
    out = io.BytesIO()
    stored.save(out, format="JPEG", quality=85 if noise else 92, exif=exif.tobytes() if (orientation or gps) else b"")
    return out.getvalue()
