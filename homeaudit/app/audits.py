"""Audits page: every saved audit; open, re-audit, export or delete one.

Each audit says its risk with how much of it was answered (:func:`risk_words`): "High risk" for
an audit half done would be a verdict on half a house. An audit is **finished** when every input
of its risk level is in: every question of the rooms present is answered (``answered ==
questions``, the coverage figure of :class:`homeaudit.results.Overall` at 100%; "not applicable"
counts as answered, :mod:`homeaudit.words`) and every question of the CDC Stay Independent falls
screen is answered (a person at risk raises the risk level, docs/scoring.md). The other questions
about the person (bone health, measurements) do not change the risk level and are not required.
Until then the page says "Not finished: 33% answered (high risk so far)": the percentage is the
share of the home's questions answered, rounded down (99.6% is not "100%"), the same count as
the results page and the report.

Headings: the page is h1 and each client's name h2 (axe ``heading-order``: no level skipped).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import streamlit as st

from homeaudit import Audit, Library, ScoringError, score_many
from homeaudit.app import plan, state, widgets
from homeaudit.app.widgets import md
from homeaudit.checklist import RESIDENT_ROOM
from homeaudit.store import Store, StoreError
from homeaudit.words import RISK_LABELS, ROLE_LABELS, counted, label, short_date, with_article

CONFIRM_KEY = "confirm_delete"
REAUDIT_KEY = "confirm_reaudit"
SHOWN_KEY = "audits_shown"
PAGE_SIZE = 25  # a practice may keep hundreds; cards are drawn a page at a time


def percent_answered(answered: int, questions: int) -> int:
    """The share answered, in whole percent rounded down, and at least 1 once anything is: 100
    only when all is answered, 0 only when nothing is."""
    if questions <= 0 or answered <= 0:
        return 0
    return max(1, math.floor(100 * min(answered, questions) / questions))


def falls_questions_left(audit: Audit, library: Library) -> int:
    """Questions of the Stay Independent falls screen not answered yet (the items with STEADI
    points): until they are, a person at risk could still raise the risk level."""
    items = library.items_of(RESIDENT_ROOM) if RESIDENT_ROOM in library.room_ids else ()
    answers = audit.resident
    return sum(1 for item in items if item.steadi_points and not (item.id in answers and answers[item.id].is_answered))


def risk_words(risk_level: str, answered: int, questions: int, falls_left: int = 0) -> str:
    """The risk in words, with how much it rests on: "High risk" for a finished audit (every
    question of the rooms present and of the falls screen answered), else "Not finished: 33%
    answered (high risk so far)"; nothing answered says so rather than guess a risk."""
    risk = label(RISK_LABELS, risk_level)
    if questions > 0 and answered >= questions and falls_left <= 0:
        return risk
    if answered <= 0:
        return "Not started: no question about the home answered yet"
    so_far = "too few answers to judge the risk yet" if risk_level == "unknown" else f"{risk.lower()} so far"
    if answered < questions:
        return f"Not finished: {percent_answered(answered, questions)}% answered ({so_far})"
    return f"Not finished: every room answered, {counted(falls_left, 'falls question')} about the person left ({so_far})"


def facts_line(record: dict[str, Any], row: dict[str, Any] | None, previous: dt.date | None) -> str:
    """The line under the risk: the date, who audited, the score (``row``: this audit's scores,
    None when it could not be scored) and the visit it repeats (``previous``: that visit's date)."""
    facts = [short_date(record["date"]), f"by {with_article(label(ROLE_LABELS, record['auditor_role']))}"]
    if row is not None:
        score = row["score"]
        facts.append("score —" if score != score else f"score {score:.0f} / 100")
    if previous is not None:
        facts.append(f"re-audit of the visit on {short_date(previous)}")
    return " · ".join(facts)


def _scores(store: Store, library: Library, ids: list[str]) -> dict[str, dict[str, Any]]:
    """Score and completion per audit id, all audits scored at once, with the falls-screen
    questions each has left (``falls_left``)."""
    audits = store.load_audits(ids)
    try:
        table = score_many(audits, library)
    except (ScoringError, KeyError, ValueError):
        return {}
    rows = {str(row["id"]): {str(k): v for k, v in row.items()} for row in table.to_dict("records")}
    for audit in audits:
        if audit.id in rows:
            rows[audit.id]["falls_left"] = falls_questions_left(audit, library)
    return rows


def _delete(audit_id: str) -> None:
    try:
        state.get_store().delete_audit(audit_id)
    except StoreError as error:
        state.flash(str(error))
    else:
        state.forget_audit(audit_id)
        state.flash("The audit was deleted.", "success")
    st.session_state.pop(CONFIRM_KEY, None)


def _reaudit(audit_id: str) -> None:
    st.session_state.pop(REAUDIT_KEY, None)
    try:
        new_id = state.get_store().duplicate_audit(audit_id)
    except StoreError as error:
        state.flash(str(error))
        return
    st.session_state["_go_walkthrough"] = new_id


def main() -> None:
    widgets.show_flashes()
    store, library = state.get_store(), state.get_library()
    if st.session_state.get("_go_walkthrough"):
        state.go("walkthrough", st.session_state.pop("_go_walkthrough"))
    st.title("Saved audits")
    saved = all_audits = store.list_audits()
    if not saved:
        st.info("No audits are saved yet.")
        st.page_link(str(state.PAGE_FILES["start"]), label="Start a new audit", icon=":material/add:")
        return
    search = st.text_input("Find a client", key="audit_search", placeholder="Type part of a name or address")
    if search:
        needle = search.strip().lower()
        saved = [a for a in saved if needle in (a["client"] or "").lower() or needle in (a["address"] or "").lower()]
        if not saved:
            st.info("No audit matches that.")
    saved = sorted(saved, key=lambda a: a["updated_at"], reverse=True)  # the latest work first
    shown = st.session_state.get(SHOWN_KEY, PAGE_SIZE)
    hidden = max(0, len(saved) - shown)
    saved = saved[:shown]
    scores = _scores(store, library, [a["id"] for a in saved])
    dates = {a["id"]: a["date"] for a in all_audits}
    for record in saved:
        audit_id = record["id"]
        with st.container(border=True, key=f"audit-{audit_id}"):
            st.header(md(record["client"] or "Unnamed client"), anchor=False)
            if record["address"]:
                st.text(record["address"])
            row = scores.get(audit_id)
            if row is not None:
                st.markdown(f"**{md(risk_words(row['risk_level'], row['answered'], row['questions'], row['falls_left']))}**")
            st.markdown(md(facts_line(record, row, dates.get(record["previous_id"]))))
            if st.session_state.get(REAUDIT_KEY) == audit_id:
                st.info(
                    md(
                        f"Start a new visit to {record['client'] or 'this client'}, dated today? It begins with the "
                        f"answers of {short_date(record['date'])}; change what is different now. This visit stays as it is."
                    )
                )
                with st.container(horizontal=True):
                    st.button(
                        "Yes, start the new visit",
                        key=f"really_reaudit|{audit_id}",
                        type="primary",
                        icon=":material/content_copy:",
                        on_click=_reaudit,
                        args=(audit_id,),
                    )
                    st.button("Not now", key=f"no_reaudit|{audit_id}", on_click=st.session_state.pop, args=(REAUDIT_KEY, None))
                continue
            if st.session_state.get(CONFIRM_KEY) == audit_id:
                st.warning(
                    md(
                        f"Delete the audit of {record['client'] or 'this client'} on {short_date(record['date'])}, "
                        "with its answers and photos? This cannot be undone."
                    )
                )
                with st.container(horizontal=True):
                    st.button(
                        "Yes, delete it",
                        key=f"really_delete|{audit_id}",
                        type="primary",
                        icon=":material/delete_forever:",
                        on_click=_delete,
                        args=(audit_id,),
                    )
                    st.button("No, keep it", key=f"keep|{audit_id}", on_click=st.session_state.pop, args=(CONFIRM_KEY, None))
                continue
            with st.container(horizontal=True, gap="small"):
                if st.button("Open", key=f"open|{audit_id}", icon=":material/play_arrow:", type="primary"):
                    state.go("walkthrough", audit_id)
                if st.button("Results", key=f"results|{audit_id}", icon=":material/bar_chart:"):
                    state.go("results", audit_id)
                st.button(
                    "New visit",
                    key=f"reaudit|{audit_id}",
                    icon=":material/content_copy:",
                    on_click=st.session_state.__setitem__,
                    args=(REAUDIT_KEY, audit_id),
                    help="A re-audit: a new audit of this home with today's date, starting from these answers.",
                )
                st.download_button(
                    "Export",
                    data=plan.saved_bundle_builder(store, audit_id),
                    file_name=f"{audit_id}.zip",
                    mime="application/zip",
                    help="The audit file (audit.yaml) and its photos in one zip, to keep or to import elsewhere.",
                    icon=":material/download:",
                    on_click="ignore",
                    key=f"export|{audit_id}",
                )
                st.button(
                    "Delete",
                    key=f"delete|{audit_id}",
                    icon=":material/delete:",
                    on_click=st.session_state.__setitem__,
                    args=(CONFIRM_KEY, audit_id),
                )
    _more(hidden, shown)


def _more(hidden: int, shown: int) -> None:
    if hidden:
        st.button(
            f"Show {min(hidden, PAGE_SIZE)} more of {hidden + shown}",
            key="audits_more",
            icon=":material/expand_more:",
            on_click=st.session_state.__setitem__,
            args=(SHOWN_KEY, shown + PAGE_SIZE),
        )


if __name__ == "__main__":
    widgets.run_page(main)
