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
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from homeaudit import Audit, Library, ScoringError, limits, score, score_many
from homeaudit.app import plan, state, widgets
from homeaudit.app.widgets import md
from homeaudit.audit import Auditor
from homeaudit.checklist import RESIDENT_ROOM
from homeaudit.store import Store, StoreError
from homeaudit.words import RISK_LABELS, ROLE_CHOICES, ROLE_LABELS, counted, label, short_date, whole, with_article

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
        facts.append("score —" if score != score else f"score {whole(score)} / 100")
    if previous is not None:
        facts.append(f"re-audit of the visit on {short_date(previous)}")
    return " · ".join(facts)


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
    store = state.get_store()
    try:
        before = store.load_audit(audit_id).auditor
        role = st.session_state.get(f"reaudit_role|{audit_id}", before.role)
        auditor = next_auditor(before, role, st.session_state.get(f"reaudit_name|{audit_id}"))
        new_id = store.duplicate_audit(audit_id, auditor=auditor)
    except StoreError as error:
        state.flash(str(error))
        return
    st.session_state["_go_walkthrough"] = new_id


def next_auditor(before: Auditor, role: str, name: str | None) -> Auditor:
    """Who does the new visit, from the question the page asks: the same person (the same name,
    case and spaces aside) keeps their organisation, registration and contact; a colleague keeps
    the organisation only (a registration number is a person's own: another OT's on the report
    would be wrong); someone in another role (the OT after the family) starts afresh."""
    name = before.name if name is None else " ".join(name.split())
    if role == before.role and name.casefold() == " ".join(before.name.split()).casefold():
        return before
    if role == before.role:
        return Auditor(name=name, role=before.role, organisation=before.organisation)
    return Auditor(name=name, role="ot" if role == "ot" else "family")


# --------------------------------------------------------------------------- clients


@dataclass(frozen=True)
class ClientCard:
    """One client on the page: their visits, newest first (``visits[0]`` is the one shown in
    full), and other client records with the same name and address (to ask about, never joined
    without asking)."""

    client_id: str
    visits: tuple[dict[str, Any], ...]
    namesakes: tuple[str, ...] = ()

    @property
    def latest(self) -> dict[str, Any]:
        return self.visits[0]

    @property
    def updated_at(self) -> str:
        return max(str(v["updated_at"]) for v in self.visits)


def _same_person_key(record: dict[str, Any]) -> tuple[str, str]:
    return (" ".join((record["client"] or "").casefold().split()), " ".join((record["address"] or "").casefold().split()))


def client_cards(records: list[dict[str, Any]], search: str = "") -> list[ClientCard]:
    """The audits grouped by client, the client with the latest work first, each client's visits
    newest first; ``search`` keeps the clients with a visit whose name or address holds it. An
    audit without a client record (none should be) is a client of its own."""
    grouped: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        grouped.setdefault(record.get("client_id") or f"audit:{record['id']}", []).append(record)
    by_person: dict[tuple[str, str], list[str]] = {}
    for client_id, visits in grouped.items():
        latest = max(visits, key=lambda v: (v["date"], v["created_at"]))
        if latest["client"]:
            by_person.setdefault(_same_person_key(latest), []).append(client_id)
    cards = []
    needle = search.strip().casefold()
    for client_id, visits in grouped.items():
        if needle and not any(needle in f"{v['client'] or ''}\n{v['address'] or ''}".casefold() for v in visits):
            continue
        ordered = tuple(sorted(visits, key=lambda v: (v["date"], v["created_at"]), reverse=True))
        others = tuple(c for c in by_person.get(_same_person_key(ordered[0]), []) if c != client_id)
        cards.append(ClientCard(client_id, ordered, others if ordered[0]["client"] else ()))
    return sorted(cards, key=lambda c: c.updated_at, reverse=True)


def trend_words(points: list[tuple[dt.date, float]]) -> str:
    """The score over the visits in words (the chart's text for those who cannot see it):
    "Score 48 on 3 Jan 2026, 71 on 2 Jun 2026: up 23 since the first visit"."""
    if not points:
        return ""
    parts = ", ".join(f"{whole(score)} on {short_date(date)}" for date, score in points)
    if len(points) < 2:
        return f"Score {parts}."
    change = whole(points[-1][1]) - whole(points[0][1])
    how = "no change" if change == 0 else (f"up {change}" if change > 0 else f"down {-change}")
    return f"Score {parts}: {how} since the first visit (higher is safer)."


def _trend_chart(points: list[tuple[dt.date, float]]) -> alt.Chart:
    frame = pd.DataFrame({"Visit": [d.isoformat() for d, _ in points], "Score": [s for _, s in points]})
    chart: alt.Chart = (
        alt.Chart(frame, height=110)
        .mark_line(point=alt.OverlayMarkDef(size=70), strokeWidth=3)
        .encode(
            x=alt.X("Visit:O", title=None, axis=alt.Axis(labelAngle=0, labelFontSize=13)),
            y=alt.Y("Score:Q", scale=alt.Scale(domain=[0, 100]), title="Score", axis=alt.Axis(tickCount=3, labelFontSize=13)),
            tooltip=["Visit", "Score"],
        )
    )
    return chart


def _open_actions(store: Store, library: Library, audit: Audit) -> str:
    """'7 actions still to do (3 done, 1 declined)' for the latest visit's plan."""
    try:
        actions = score(audit, library).with_edits(store.plan_edits(audit.id)).actions
    except (ScoringError, KeyError, ValueError):
        return ""
    done = sum(a.state == "done" for a in actions)
    declined = sum(a.state == "declined" or bool(a.declined) for a in actions if a.state != "done")
    todo = len(actions) - done - declined
    if not actions:
        return "No actions in the plan."
    extra = [f"{done} done"] * bool(done) + [f"{declined} declined"] * bool(declined)
    return counted(todo, "action") + " still to do" + (f" ({', '.join(extra)})" if extra else "")


def _join(client_id: str, into: str) -> None:
    """Put a client's visits under another record with the same name and address (after asking)."""
    try:
        state.get_store().join_clients(client_id, into)
    except StoreError as error:
        state.flash(str(error))
    else:
        state.flash("The visits are now under one client.", "success")


def main() -> None:
    widgets.show_flashes()
    store, library = state.get_store(), state.get_library()
    if st.session_state.get("_go_walkthrough"):
        state.go("walkthrough", st.session_state.pop("_go_walkthrough"))
    st.title("Saved audits")
    all_audits = store.list_audits()
    if not all_audits:
        st.info("No audits are saved yet.")
        st.page_link(str(state.PAGE_FILES["start"]), label="Start a new audit", icon=":material/add:")
        return
    st.caption("Each client with their visits: the latest in full, how the score has moved, and what is still to do.")
    search = st.text_input("Find a client", key="audit_search", placeholder="Type part of a name or address")
    cards = client_cards(all_audits, search or "")
    if search and not cards:
        st.info("No audit matches that.")
    shown = st.session_state.get(SHOWN_KEY, PAGE_SIZE)
    hidden = max(0, len(cards) - shown)
    cards = cards[:shown]
    ids = [v["id"] for c in cards for v in c.visits]
    audits = {a.id: a for a in store.load_audits(ids)}
    scores = _scores_of(library, list(audits.values()))
    dates = {a["id"]: a["date"] for a in all_audits}
    everyone = {c.client_id: c for c in client_cards(all_audits)}
    for client in cards:
        latest = client.latest
        with st.container(border=True, key=f"client-{client.client_id}"):
            st.header(md(latest["client"] or "Unnamed client"), anchor=False)
            if latest["address"]:
                st.text(latest["address"])
            points = [
                (v["date"], float(scores[v["id"]]["score"]))
                for v in reversed(client.visits)
                if v["id"] in scores and scores[v["id"]]["score"] == scores[v["id"]]["score"]
            ]
            if len(points) >= 2:
                st.altair_chart(_trend_chart(points), width="stretch")
            if len(client.visits) >= 2:
                st.caption(md(f"{counted(len(client.visits), 'visit')}. {trend_words(points)}"))
            for other in client.namesakes:
                if other in everyone:
                    _ask_join(client, everyone[other])
            _visit(store, library, latest, audits.get(latest["id"]), scores.get(latest["id"]), dates, latest=True)
            earlier = client.visits[1:]
            if earlier:
                title, key = f"Earlier visits ({len(earlier)})", f"earlier|{client.client_id}"
                fold = st.expander(title, key=key, on_change="rerun", icon=":material/history:")
                if fold.open:
                    with fold:
                        for record in earlier:
                            row = scores.get(record["id"])
                            _visit(store, library, record, audits.get(record["id"]), row, dates, latest=False)
    _more(hidden, shown)


def _scores_of(library: Library, audits: list[Audit]) -> dict[str, dict[str, Any]]:
    """Score and completion per audit id, all audits scored at once, with the falls-screen
    questions each has left (``falls_left``)."""
    try:
        table = score_many(audits, library)
    except (ScoringError, KeyError, ValueError):
        return {}
    rows = {str(row["id"]): {str(k): v for k, v in row.items()} for row in table.to_dict("records")}
    for audit in audits:
        if audit.id in rows:
            rows[audit.id]["falls_left"] = falls_questions_left(audit, library)
    return rows


def _ask_join(client: ClientCard, other: ClientCard) -> None:
    """Ask whether another record with the same name and address is the same person."""
    visits = counted(len(other.visits), "visit")
    with st.container(key=f"namesake-{client.client_id}-{other.client_id}"):
        st.info(
            md(
                f"Another client record has the same name and address: {visits}, the latest on "
                f"{short_date(other.latest['date'])} by {with_article(label(ROLE_LABELS, other.latest['auditor_role']))}. "
                "If it is the same person, put the visits together so that they can be compared."
            ),
            icon=":material/group:",
        )
        st.button(
            "Yes, the same person: put the visits together",
            key=f"join|{client.client_id}|{other.client_id}",
            icon=":material/merge:",
            on_click=_join,
            args=(client.client_id, other.client_id),
        )


def _yes_or_no(audit_id: str, yes: tuple[str, str, str, Callable[[str], None]], no: tuple[str, str], asking: str) -> None:
    """The two buttons under a question the page asks before acting (a new visit, a deletion):
    ``yes`` (label, key, icon, what it does to the audit) and ``no`` (label, key), which only
    forgets the question (``asking``)."""
    label_yes, key_yes, icon, act = yes
    with st.container(horizontal=True):
        st.button(label_yes, key=key_yes, type="primary", icon=icon, on_click=act, args=(audit_id,))
        st.button(no[0], key=no[1], on_click=st.session_state.pop, args=(asking, None))


def _visit(
    store: Store,
    library: Library,
    record: dict[str, Any],
    audit: Audit | None,
    row: dict[str, Any] | None,
    dates: dict[str, dt.date],
    *,
    latest: bool,
) -> None:
    """One visit: its risk with how much was answered, its facts, what is still to do (the latest
    visit), and its buttons."""
    audit_id = record["id"]
    with st.container(key=f"audit-{audit_id}", border=not latest):
        if not latest:
            st.markdown(md(f"Visit of {short_date(record['date'])}"))
        unchecked = len(store.carried(audit_id))
        if row is not None:
            words = risk_words(row["risk_level"], row["answered"], row["questions"], row["falls_left"])
            if unchecked:  # a new visit's copied answers are answered, but nobody has looked yet
                words = f"Not finished: {counted(unchecked, 'answer')} from the last visit still to check"
            st.markdown(f"**{md(words)}**")
        st.markdown(md(facts_line(record, row, dates.get(record["previous_id"]))))
        if latest and audit is not None:
            todo = _open_actions(store, library, audit)
            if todo:
                st.markdown(md(todo))
        who = record["client"] or "this client"
        if st.session_state.get(REAUDIT_KEY) == audit_id:
            st.info(
                md(
                    f"Start a new visit to {who}, dated today? It begins with the answers of {short_date(record['date'])}, "
                    'each marked "from the last visit" until you confirm or change it. This visit stays as it is.'
                )
            )
            last = audit.auditor if audit is not None else Auditor(role=record["auditor_role"])
            st.radio(
                "Who is doing this visit?",
                options=list(ROLE_CHOICES),
                format_func=lambda role: ROLE_CHOICES[role],
                index=list(ROLE_CHOICES).index(last.role),
                key=f"reaudit_role|{audit_id}",
            )
            st.text_input("Their name (optional)", value=last.name, key=f"reaudit_name|{audit_id}", max_chars=limits.MAX_LABEL)
            yes = ("Yes, start the new visit", f"really_reaudit|{audit_id}", ":material/content_copy:", _reaudit)
            _yes_or_no(audit_id, yes, ("Not now", f"no_reaudit|{audit_id}"), REAUDIT_KEY)
            return
        if st.session_state.get(CONFIRM_KEY) == audit_id:
            st.warning(
                md(
                    f"Delete the audit of {who} on {short_date(record['date'])}, with its answers and photos? "
                    "This cannot be undone."
                )
            )
            yes = ("Yes, delete it", f"really_delete|{audit_id}", ":material/delete_forever:", _delete)
            _yes_or_no(audit_id, yes, ("No, keep it", f"keep|{audit_id}"), CONFIRM_KEY)
            return
        with st.container(horizontal=True, gap="small"):
            if st.button("Open", key=f"open|{audit_id}", icon=":material/play_arrow:", type="primary" if latest else "secondary"):
                state.go("walkthrough", audit_id)
            if st.button("Results", key=f"results|{audit_id}", icon=":material/bar_chart:"):
                state.go("results", audit_id)
            if latest:
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
