"""Since the last visit, on the Results page: what was fixed, what is new, what is still to do,
and how the score moved (:func:`homeaudit.compare_visits`).

A family repeating the audit after the handyperson's visit wants to see the fixes count; an
occupational therapist wants the fixes that did not hold. So a hazard still there after the last
plan marked it done is said in words (a red badge and a warning above the lists), never by colour
alone. Shown for a visit that follows another of the same client (``store.previous_visit``).
Answers copied from the last visit and not yet confirmed are left out until they are: nobody has
looked yet, so they say nothing about what was fixed. Every word from an audit or the checklist
goes through :func:`homeaudit.app.widgets.md`.
"""

from __future__ import annotations

from typing import Final

import pandas as pd
import streamlit as st

from homeaudit import ChangedAction, Comparison
from homeaudit.app import plan, state
from homeaudit.app.widgets import md
from homeaudit.words import DONE_BUT_HAZARD, counted, long_date, points_moved, whole

#: The section's heading (an h2, as the page's other sections).
TITLE: Final = "Since the last visit"
#: Lists longer than this show their first rows, and the rest one tap away: the lists stay short.
SHOWN: Final = 8


def show_since_last_visit(audit_id: str) -> None:
    """The comparison of this visit with the one before it; nothing when there is none."""
    store, library = state.get_store(), state.get_library()
    result = plan.since_last_visit(store, store.load_audit(audit_id), library)
    if result is None:
        return
    show_comparison(result)
    unchecked = len(store.carried(audit_id))
    if unchecked:
        st.caption(
            f"{counted(unchecked, 'answer')} copied from the last visit and not confirmed yet "
            f"{'is' if unchecked == 1 else 'are'} left out until confirmed or changed in the Walkthrough."
        )


def show_comparison(result: Comparison) -> None:
    """The score change, a warning for fixes that did not hold, then Fixed, New and Still to do."""
    st.header(TITLE, anchor=False)
    st.caption(
        f"Compared with the visit of {long_date(result.before_date)}: {len(result.fixed)} fixed, "
        f"{len(result.new)} new, {len(result.remaining)} still to do"
        + (f", {len(result.person)} new about the person." if result.person else ".")
    )
    overall = result.score_change.overall
    moved = points_moved(overall.before, overall.after) if overall.change is not None else None
    delta = None if moved is None else "no change" if moved == 0 else f"{moved:+d}"
    with st.container(horizontal=True, gap="medium"):
        st.metric(
            "Home safety score now",
            "—" if overall.after is None else f"{whole(overall.after)} / 100",
            delta=None if delta is None else f"{delta} since the last visit",
            delta_color="off" if moved == 0 else "normal",
            border=True,
        )
        st.metric("Fixed", str(len(result.fixed)), border=True)
        st.metric("New hazards", str(len(result.new)), border=True)
    flagged = result.done_but_still_hazard
    if flagged:
        where = "; ".join(f"{a.title}: {a.hazard}" for a in flagged)
        st.warning(md(f"{DONE_BUT_HAZARD} ({len(flagged)}): marked done after the last visit, but found again: {where}."))
    for section in result.sections():
        st.subheader(f"{section.title} ({len(section.actions)})", anchor=False)
        if not section.actions:
            st.caption(section.empty)
            continue
        st.caption(f"{section.meaning[:1].upper()}{section.meaning[1:]}.")
        ordered = sorted(section.actions, key=lambda a: not a.done_but_still_hazard)  # stable: plan order kept
        for one in ordered[:SHOWN]:
            st.markdown(_line(one, with_action=section.kind in ("new", "person")))
        if len(ordered) > SHOWN:
            with st.expander(f"{len(ordered) - SHOWN} more", key=f"since-more-{section.kind}"):
                for one in ordered[SHOWN:]:
                    st.markdown(_line(one, with_action=section.kind in ("new", "person")))
    rooms = result.score_change.rooms
    if rooms:
        with st.expander("Scores by room, then and now", key="since-rooms"):
            st.dataframe(_rooms_frame(result), hide_index=True, width="stretch")


def _line(one: ChangedAction, *, with_action: bool) -> str:
    """A list item: where and what (escaped), flagged when a fix marked done did not hold; for a
    new hazard, what to do."""
    flag = f":red-badge[:material/error: {DONE_BUT_HAZARD}] " if one.done_but_still_hazard else ""
    text = f"- {flag}**{md(one.title)}**: {md(one.hazard)}"
    if with_action and one.action:
        text += f"  \n  {md(one.action)}"
    return text


def _rooms_frame(result: Comparison) -> pd.DataFrame:
    """The rooms' scores as a table (a data frame shows its text as text: nothing to escape), to
    the whole point and the change between the figures shown, as the PDF and the command line."""
    rooms = result.score_change.rooms
    return pd.DataFrame(
        {
            "Room": [r.title for r in rooms],
            "Last visit": pd.array([None if r.before is None else whole(r.before) for r in rooms], dtype="Int64"),
            "This visit": pd.array([None if r.after is None else whole(r.after) for r in rooms], dtype="Int64"),
            "Change": pd.array([points_moved(r.before, r.after) if r.change is not None else None for r in rooms], dtype="Int64"),
        }
    )


__all__ = ["SHOWN", "TITLE", "show_comparison", "show_since_last_visit"]
