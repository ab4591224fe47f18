"""Visit details: what an occupational therapist's report needs beyond the answers.

The client's details (date of birth, phone, carer, GP, diagnoses, lives alone, walking aid,
funder), the assessor's (organisation, registration, contact), the referral, the client's goals,
consent, the functional observations, recommendations declined and the follow-up date. A family
can leave all of it out, so the panel starts closed for a family and open for an OT.

:func:`fields` draws the inputs (inside a form); :func:`read` turns their values back into the
audit's models without Streamlit, so it is tested on its own.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from homeaudit.app import widgets
from homeaudit.app.widgets import md
from homeaudit.audit import (
    OBSERVATION_LABELS,
    OBSERVATIONS,
    Assessment,
    Audit,
    Auditor,
    Client,
    Consent,
    Contact,
    Declined,
    ReferredBy,
)

#: The consent questions: (field, label). Each is asked Yes / No / Not asked.
CONSENT = (
    ("assessment", "Consent to the assessment"),
    ("photos", "Consent to photos"),
    ("sharing", "Consent to share the report"),
)
_CONSENT_CHOICES = {"yes": "Yes", "no": "No", "": "Not asked"}


def _yes_no(value: bool | None) -> str:
    return "" if value is None else "yes" if value else "no"


def _bool(value: Any) -> bool | None:
    return {"yes": True, "no": False}.get(str(value or ""))


def _lines(text: Any) -> tuple[str, ...]:
    return tuple(line.strip() for line in str(text or "").splitlines() if line.strip())


def _contact(values: dict[str, Any], key: str) -> Contact | None:
    found = Contact(
        name=str(values.get(f"{key}_name") or "").strip(),
        relationship=str(values.get(f"{key}_relationship") or "").strip(),
        phone=str(values.get(f"{key}_phone") or "").strip(),
    )
    return found if found != Contact() else None


def read(values: dict[str, Any], client: Client, auditor: Auditor) -> tuple[Client, Auditor, Assessment]:
    """The visit details from the form's values (keys without the form's prefix), on top of the
    client's and auditor's name, address and role, which other fields set."""
    text = {key: str(value or "").strip() for key, value in values.items() if isinstance(value, str) or value is None}
    declined = []
    for line in _lines(values.get("declined")):
        recommendation, _, why = line.partition(" - ")
        declined.append(Declined(recommendation=recommendation.strip(), reason=why.strip()))
    referred = ReferredBy(
        by=text.get("referred_by", ""), date=values.get("referred_date"), reason=text.get("referral_reason", "")
    )
    consent = Consent(
        **{name: _bool(values.get(f"consent_{name}")) for name, _ in CONSENT}, share_with=text.get("share_with", "")
    )
    return (
        client.model_copy(
            update={
                "date_of_birth": values.get("date_of_birth"),
                "phone": text.get("phone", ""),
                "lives_alone": _bool(values.get("lives_alone")),
                "mobility_aid": text.get("mobility_aid", ""),
                "diagnoses": tuple(d.strip() for d in text.get("diagnoses", "").split(",") if d.strip()),
                "main_carer": _contact(values, "carer"),
                "gp": _contact(values, "gp"),
                "funder": text.get("funder", ""),
                "case_reference": text.get("case_reference", ""),
            }
        ),
        auditor.model_copy(
            update={
                "organisation": text.get("organisation", ""),
                "registration": text.get("registration", ""),
                "contact": text.get("contact", ""),
            }
        ),
        Assessment(
            referred_by=referred if referred != ReferredBy() else None,
            goals=_lines(values.get("goals")),
            consent=consent if consent != Consent() else None,
            observations={name: text[f"observe_{name}"] for name in OBSERVATIONS if text.get(f"observe_{name}")},
            declined=tuple(declined),
            follow_up=values.get("follow_up"),
        ),
    )


def fields(prefix: str, audit: Audit | None = None, *, observations: bool = True, keep_typed: bool = False) -> None:
    """The inputs, filled from ``audit`` when given; each key is ``prefix + name`` (for :func:`read`).

    ``keep_typed``: values already in the session (a draft being typed, brought back after a
    reload) win over ``audit``'s; otherwise the saved values are shown every time."""
    client = audit.client if audit else Client()
    auditor = audit.auditor if audit else Auditor()
    found = audit.assessment if audit else Assessment()

    def init(name: str, value: Any) -> str:
        key = prefix + name
        if keep_typed:
            st.session_state.setdefault(key, value)
        else:
            st.session_state[key] = value
        return key

    def text(name: str, label: str, value: str, **kwargs: Any) -> None:
        st.text_input(label, key=init(name, value), **kwargs)

    st.markdown("**The client**")
    with st.container(horizontal=True, gap="medium"):
        st.date_input(
            "Date of birth",
            key=init("date_of_birth", client.date_of_birth),
            min_value=dt.date(1900, 1, 1),
            format=widgets.picker_format(),
        )
        text("phone", "Phone", client.phone)
    st.segmented_control(
        "Lives alone?",
        ["yes", "no"],
        format_func={"yes": "Yes", "no": "No"}.__getitem__,
        key=init("lives_alone", _yes_no(client.lives_alone) or None),
    )
    text("mobility_aid", "Usual walking aid", client.mobility_aid, placeholder="For example: walking stick, frame, none")
    text("diagnoses", "Diagnoses (separate with commas)", ", ".join(client.diagnoses))
    for key, label, person in (("carer", "Main carer", client.main_carer), ("gp", "GP (family doctor)", client.gp)):
        person = person or Contact()
        with st.container(horizontal=True, gap="small"):
            text(f"{key}_name", f"{label}: name", person.name)
            text(f"{key}_relationship", "Relationship" if key == "carer" else "Practice", person.relationship)
            text(f"{key}_phone", "Phone", person.phone)
    with st.container(horizontal=True, gap="small"):
        text("funder", "Funder", client.funder, placeholder="For example: NHS, Medicare, private")
        text("case_reference", "Case or funder reference", client.case_reference)

    st.markdown("**The assessor**")
    with st.container(horizontal=True, gap="small"):
        text("organisation", "Organisation", auditor.organisation)
        text("registration", "Registration number", auditor.registration)
        text("contact", "Contact (phone or email)", auditor.contact)

    st.markdown("**The referral and the client's goals**")
    referred = found.referred_by or ReferredBy()
    with st.container(horizontal=True, gap="small"):
        text("referred_by", "Referred by", referred.by)
        st.date_input("Referral date", key=init("referred_date", referred.date), format=widgets.picker_format())
    text("referral_reason", "Reason for referral", referred.reason)
    st.text_area("The client's own goals (one per line)", key=init("goals", "\n".join(found.goals)), height=90)

    st.markdown("**Consent**")
    consent = found.consent or Consent()
    for name, label in CONSENT:
        st.segmented_control(
            label,
            list(_CONSENT_CHOICES),
            format_func=_CONSENT_CHOICES.__getitem__,
            key=init(f"consent_{name}", _yes_no(getattr(consent, name))),
        )
    text("share_with", "Share the report with", consent.share_with, placeholder="For example: GP, daughter")

    if observations:
        st.markdown("**What you saw (functional observations)**")
        for name in OBSERVATIONS:
            text(f"observe_{name}", OBSERVATION_LABELS[name], found.observations.get(name, ""))  # type: ignore[call-overload]
    st.text_area(
        "Recommendations the client declined (one per line: what - why)",
        key=init(
            "declined",
            "\n".join(f"{d.recommendation} - {d.reason}" if d.reason else d.recommendation for d in found.declined),
        ),
        height=90,
    )
    st.date_input("Follow-up date", key=init("follow_up", found.follow_up), format=widgets.picker_format())


def values(prefix: str) -> dict[str, Any]:
    """The inputs' values from the session, without the prefix (for :func:`read`)."""
    return {str(k)[len(prefix) :]: v for k, v in st.session_state.items() if str(k).startswith(prefix)}


def panel_title(audit: Audit) -> str:
    return md("Visit details for an occupational therapist's report" if audit.auditor.role != "ot" else "Visit details")


__all__ = ["CONSENT", "fields", "panel_title", "read", "values"]
