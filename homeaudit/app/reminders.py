"""Reminders and each helper's list, on the Results page beside the other downloads.

The open jobs that have a date go into a calendar file (``.ics``) that a phone's calendar imports,
one event per job with a reminder the day before: no server, no account, nothing sent anywhere.
Each helper (a person named on a job's card, or, for the jobs nobody is named for, the kind of
helper: "Handyperson") gets a button for a short PDF of their own jobs with boxes to tick.

The files are built when a button is clicked, from the plan edits the database holds then (a
card's change may be newer than the page's last run), as the other downloads are. Helper names
and everything else typed by people reach a label only through :func:`homeaudit.app.widgets.md`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import streamlit as st

from homeaudit import Audit, Score, calendar_actions, calendar_file, helper_list_pdf, helper_lists, score
from homeaudit.app import state
from homeaudit.app.widgets import md
from homeaudit.audit import slug
from homeaudit.reminders import MEDIA_TYPE
from homeaudit.report import ReportOptions
from homeaudit.store import Store, StoreError

CALENDAR_LABEL = "Add the dates to your phone's calendar"
CALENDAR_KEY = "download_ics"


def show_reminders_and_lists(
    audit_id: str, *, audit: Audit | None = None, base: Score | None = None, options: ReportOptions | None = None
) -> None:
    """The calendar download and a PDF list per helper, for the open jobs of this audit's plan.

    The Results page passes what it already has (the audit, its score without edits, the paper
    and print size chosen for the PDF) so that nothing is scored twice; alone, this loads and
    scores the audit itself."""
    store = state.get_store()
    try:
        if audit is None:
            audit = store.load_audit(audit_id)
        if base is None:
            base = score(audit, state.get_library())
        result = base.with_edits(store.plan_edits(audit_id))
    except StoreError as error:
        st.warning(md(f"The reminders could not be made: {error}"))
        return
    lists = helper_lists(result)
    if not lists:
        return  # nothing left to do, nothing to remind of
    st.subheader("Reminders and helpers' lists", anchor=False)
    dated = len(calendar_actions(result))
    if dated:
        st.download_button(
            CALENDAR_LABEL,
            data=_calendar_builder(store, audit, base),
            file_name=f"{slug(audit.id) or 'audit'}-reminders.ics",
            mime=MEDIA_TYPE,
            icon=":material/event:",
            on_click="ignore",
            key=CALENDAR_KEY,
        )
        jobs = "job" if dated == 1 else "jobs"
        st.caption(
            f"One event for each of the {dated} open {jobs} with a date, on that date, with a reminder the day before. "
            "Open the file on the phone, or import it into its calendar; importing it again after a date changed "
            "updates the events instead of adding new ones."
        )
    else:
        st.caption("No open job has a date yet: set one on a job's card to have it in the phone's calendar.")
    st.caption("A list for each helper, to print or send: their jobs, where, by when, with a box to tick.")
    paper = options or ReportOptions()
    with st.container(horizontal=True):
        for helper, actions in lists.items():
            count = f"{len(actions)} job{'s' if len(actions) != 1 else ''}"
            st.download_button(
                f"{md(helper)} ({count})",
                data=_list_builder(store, audit, base, helper, paper),
                file_name=f"{slug(audit.id) or 'audit'}-jobs-{slug(helper) or 'helper'}.pdf",
                mime="application/pdf",
                icon=":material/checklist:",
                on_click="ignore",
                key=helper_key(helper),
            )


def helper_key(helper: str) -> str:
    """The widget key of a helper's button: the same for the same name, whatever it holds."""
    return "download_helper_" + hashlib.sha256(helper.casefold().encode("utf-8")).hexdigest()[:16]


def _current(store: Store, base: Score) -> Score:
    return base.with_edits(store.plan_edits(base.audit_id))


def _calendar_builder(store: Store, audit: Audit, base: Score) -> Callable[[], bytes]:
    """The calendar file with the edits saved when the button is clicked."""
    return lambda: calendar_file(_current(store, base), audit)


def _list_builder(store: Store, audit: Audit, base: Score, helper: str, options: ReportOptions) -> Callable[[], bytes]:
    """One helper's PDF with the edits saved when the button is clicked."""
    return lambda: helper_list_pdf(audit, _current(store, base), helper, options)


__all__ = ["CALENDAR_KEY", "CALENDAR_LABEL", "helper_key", "show_reminders_and_lists"]
