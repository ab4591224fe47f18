"""The front page of an occupational therapist's visit report: who, where, why, and with what
consent.

The client (name, date of birth and age at the visit, address, phone, whether they live alone,
usual mobility aid, diagnoses, main carer, GP, funder, case reference), the referral (by whom,
when, why), the client's goals, the assessor (name, organisation, registration number, contact)
and the consent given (to the assessment, to photos, to sharing the report, and with whom).
What was not recorded is left out: no empty "Phone:" line. Consent is the exception: a report
whose consent was not recorded says so ("Consent: not recorded"), and each consent not recorded
says "Not recorded". A date of birth after the visit is printed with a word to check it, never
as a negative age.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from reportlab.platypus import Flowable, KeepTogether, Spacer

from homeaudit.audit import Contact
from homeaudit.report.context import Context
from homeaudit.report.draw import LABEL_LIMIT, age_on, bullet, label_table, long_date, p
from homeaudit.report.styles import RULE
from homeaudit.report.text import markup
from homeaudit.report.titles import OT_TITLE, SECTION_TITLES
from homeaudit.words import ROLE_LABELS, label, with_article

#: How a yes/no fact and a consent print.
YES_NO: Final = {True: "Yes", False: "No"}
CONSENT_WORDS: Final = {True: "Given", False: "Not given", None: "Not recorded"}
#: Where the consent block would be, when the audit recorded none.
NO_CONSENT: Final = "<b>Consent:</b> not recorded"
FIELD_LIMIT: Final = 300

Row = tuple[str, str]


def front_page(ctx: Context) -> list[Flowable]:
    """The visit's details, in blocks of label and value; blocks with nothing recorded are left out."""
    s, audit = ctx.styles, ctx.audit
    client, assessment = audit.client, audit.assessment
    story: list[Flowable] = [
        p(OT_TITLE.upper(), s.kicker),
        p(markup(client.name, limit=160) or "Home safety assessment", s.title, user=True),
        p(f"{SECTION_TITLES['visit']}: home visit on <b>{long_date(audit.date)}</b>", s.lead),
    ]
    blocks: list[tuple[str, list[Row]]] = [("Client", _client_rows(ctx)), ("Referral", _referral_rows(ctx))]
    blocks.append(("Assessor", _assessor_rows(ctx)))
    blocks.append(("Consent", _consent_rows(ctx)))
    for title, rows in blocks[:2]:
        story += _block(ctx, title, rows)
    if assessment.goals:
        goals: list[Flowable] = [p("The client's goals", s.h3)]
        goals += [bullet(markup(goal, limit=FIELD_LIMIT), s.bullet, user=True) for goal in assessment.goals if goal.strip()]
        story.append(KeepTogether(goals))
    for title, rows in blocks[2:]:
        story += _block(ctx, title, rows)
    if not blocks[-1][1]:
        story.append(p(NO_CONSENT, s.body))
    return story


def _block(ctx: Context, title: str, rows: Sequence[Row]) -> list[Flowable]:
    s = ctx.styles
    if not rows:
        return []
    grid = label_table(
        rows,
        ctx.width,
        s.label,
        s.body,
        label_fraction=0.32 if s.large else 0.24,
        # the small label's first line sits on the value's first baseline
        extra=[
            ("TOPPADDING", (0, 0), (0, -1), 1.5 + s.body.fontSize - s.label.fontSize),
            ("LINEABOVE", (0, 0), (-1, 0), 0.4, RULE),
        ],
        page_height=ctx.height,
    )
    return [p(title, s.h3), grid, Spacer(1, s.gap * 0.3)]


def text(value: str, limit: int = FIELD_LIMIT) -> str:
    return markup(value, limit=limit)


def contact_words(contact: Contact | None) -> str:
    """'Anna Kowalczyk (daughter), 07700 900123'; empty when nothing was recorded."""
    if contact is None:
        return ""
    name, relationship, phone = (text(v, LABEL_LIMIT) for v in (contact.name, contact.relationship, contact.phone))
    words = f"{name} ({relationship})" if name and relationship else name or relationship
    return ", ".join(part for part in (words, phone) if part)


def _client_rows(ctx: Context) -> list[Row]:
    audit = ctx.audit
    client = audit.client
    rows: list[Row] = [("Name", text(client.name, 160))]
    if client.date_of_birth is not None:
        age = age_on(client.date_of_birth, audit.date)
        when = f"age {age} on the day of the visit" if age >= 0 else "after the date of the visit: check it"
        rows.append(("Date of birth", f"{long_date(client.date_of_birth)} ({when})"))
    rows.append(("Address", text(client.address)))
    rows.append(("Phone", text(client.phone, LABEL_LIMIT)))
    if client.lives_alone is not None:
        rows.append(("Lives alone", YES_NO[client.lives_alone]))
    rows.append(("Usual mobility aid", text(client.mobility_aid, LABEL_LIMIT)))
    rows.append(("Diagnoses", "; ".join(text(d, LABEL_LIMIT) for d in client.diagnoses if d.strip())))
    rows.append(("Main carer", contact_words(client.main_carer)))
    rows.append(("GP", contact_words(client.gp)))
    rows.append(("Funder", text(client.funder, LABEL_LIMIT)))
    rows.append(("Case reference", text(client.case_reference, LABEL_LIMIT)))
    rows.append(("Notes", text(client.notes, 600)))
    return [(key, value) for key, value in rows if value]


def _referral_rows(ctx: Context) -> list[Row]:
    referral = ctx.audit.assessment.referred_by
    if referral is None:
        return []
    rows: list[Row] = [
        ("Referred by", text(referral.by, LABEL_LIMIT)),
        ("Date of referral", long_date(referral.date) if referral.date else ""),
        ("Reason", text(referral.reason, 600)),
    ]
    return [(key, value) for key, value in rows if value]


def assessor_name(ctx: Context) -> str:
    """The assessor's name, or 'An occupational therapist (name not recorded)'."""
    name = text(ctx.audit.auditor.name, LABEL_LIMIT)
    if name:
        return name
    someone = with_article(label(ROLE_LABELS, ctx.audit.auditor.role))
    return f"{someone[0].upper()}{someone[1:]} (name not recorded)"


def _assessor_rows(ctx: Context) -> list[Row]:
    auditor = ctx.audit.auditor
    role = label(ROLE_LABELS, auditor.role)
    rows: list[Row] = [
        ("Name", assessor_name(ctx)),
        ("Profession", role[:1].upper() + role[1:]),
        ("Organisation", text(auditor.organisation, LABEL_LIMIT)),
        ("Registration number", text(auditor.registration, LABEL_LIMIT)),
        ("Contact", text(auditor.contact, LABEL_LIMIT)),
        ("Date of visit", long_date(ctx.audit.date)),
    ]
    return [(key, value) for key, value in rows if value]


def _consent_rows(ctx: Context) -> list[Row]:
    """Each consent, given, not given or not recorded; nothing at all when no consent was
    recorded (the page then says "Consent: not recorded")."""
    consent = ctx.audit.assessment.consent
    if consent is None or (
        consent.assessment is None and consent.photos is None and consent.sharing is None and not consent.share_with.strip()
    ):
        return []
    shared = CONSENT_WORDS[consent.sharing]
    with_whom = text(consent.share_with)
    if with_whom and consent.sharing:
        shared = f"{shared}, with: {with_whom}"
    elif with_whom and consent.sharing is None:
        shared = f"{shared} (named to share with: {with_whom})"
    return [
        ("To the assessment", CONSENT_WORDS[consent.assessment]),
        ("To photos", CONSENT_WORDS[consent.photos]),
        ("To sharing this report", shared),
    ]


__all__ = ["CONSENT_WORDS", "NO_CONSENT", "YES_NO", "assessor_name", "contact_words", "front_page"]
