"""Practice overview page: the figures across every client (homeaudit.overview), filtered by a
date range and an auditor, with small charts and downloads (CSV, XLSX).

Every figure comes from :func:`homeaudit.overview.practice_overview` over the answers of all
audits at once; the page only draws it. Names and addresses are the users' text: Markdown goes
through :func:`~homeaudit.app.widgets.md`, tables and charts show it as plain text.

Headings: the page is h1, each part h2 (axe ``heading-order``: no level skipped).
"""

from __future__ import annotations

import datetime as dt
import textwrap

import altair as alt
import pandas as pd
import streamlit as st

from homeaudit import overview as practice
from homeaudit.app import state, widgets
from homeaudit.app.widgets import md
from homeaudit.words import RISK_LABELS, label, short_date, whole

EVERYONE = "Everyone"
SINCE_KEY, UNTIL_KEY, AUDITOR_KEY = "overview_since", "overview_until", "overview_auditor"
#: The most common hazards shown in the chart (the downloads hold them all).
TOP_HAZARDS = 10
#: A hazard's words wrap after this many characters (two lines at most: a phone's width).
HAZARD_LINE = 40
#: Clients listed under each heading before "more".
SHOWN = 10
EMPTY = "No audits yet. The overview fills in as audits are saved: start one, or import audit files."


def _filters(frames: practice.PracticeFrames) -> tuple[dt.date | None, dt.date | None, str | None]:
    """The date range and the auditor chosen (by default every audit: both ends open, so an audit
    saved later in the session is counted). Side by side on a wide screen; one under the other on
    a phone (columns stack), each as wide as the screen."""
    names = sorted({str(n) for n in frames.audits["auditor_name"] if str(n).strip()})
    start, end, who = st.columns(3, gap="medium")
    fmt = widgets.picker_format()
    since = start.date_input(
        "From", value=None, format=fmt, key=SINCE_KEY, help="The first day of the audits to count (empty: the first)."
    )
    until = end.date_input(
        "Until", value=None, format=fmt, key=UNTIL_KEY, help="The last day of the audits to count (empty: today)."
    )
    auditor = who.selectbox("Auditor", [EVERYONE, *names], key=AUDITOR_KEY)
    return since, until, None if auditor == EVERYONE else auditor


def _figures(result: practice.Overview) -> None:
    actions = result.actions
    median = actions.median_days_to_done
    with st.container(horizontal=True, gap="medium"):
        st.metric("Audits", f"{result.audits:,}", border=True)
        st.metric("Homes", f"{result.homes:,}", border=True)
        st.metric("Actions done", practice.percent(actions.done_share), border=True)
        st.metric("Actions declined", practice.percent(actions.declined_share), border=True)
        st.metric("Median days to done", "—" if median is None else f"{median:.0f}", border=True)
    st.caption(
        f"{actions.total:,} actions in these audits: {actions.done:,} done, {actions.declined:,} declined, "
        f"{actions.open:,} open. An action is a hazard found in a room, or any action someone recorded. "
        "Done: ticked done, or found fixed at the client's next visit."
    )


def _hazard_chart(result: practice.Overview) -> alt.Chart:
    """A bar per hazard with its words just above it, wrapped into two lines when long (on a
    phone there is no room beside the bar for "Bed is too low or too high to get in and out of
    safely"), and under it the share, the number of homes and the room."""
    rows = result.hazards[:TOP_HAZARDS]
    lines = [textwrap.wrap(h.hazard, HAZARD_LINE)[:2] or [""] for h in rows]
    data = pd.DataFrame(
        {
            "Hazard": [h.hazard for h in rows],
            "Upper": [words[0] if len(words) > 1 else "" for words in lines],  # the line next to the bar is the last
            "Lower": [words[-1] for words in lines],
            "Homes": [h.homes for h in rows],
            "Share": [round(100 * h.share) for h in rows],
            "Figure": [
                f"{round(100 * h.share)}% · {h.homes} {'home' if h.homes == 1 else 'homes'} · {h.room.lower()}" for h in rows
            ],
        }
    )
    base = alt.Chart(data).encode(y=alt.Y("Hazard:N", sort=None, title=None, axis=None))
    share = alt.X("Share:Q", scale=alt.Scale(domain=[0, 100]), title=None, axis=None)
    bars = base.mark_bar(color="#B26A00", height=14, yOffset=10, cornerRadiusEnd=3).encode(
        x=share, tooltip=["Hazard:N", "Homes:Q", "Share:Q"]
    )

    def text(column: str, dy: int, size: int = 14, color: str = "#111111") -> alt.Chart:
        mark = base.mark_text(align="left", baseline="middle", dy=dy, fontSize=size, color=color)
        layer: alt.Chart = mark.encode(x=alt.value(0), text=f"{column}:N")
        return layer

    chart: alt.Chart = (bars + text("Upper", -25) + text("Lower", -8) + text("Figure", 28, 13, "#333333")).properties(
        height=alt.Step(80)
    )
    return chart


def _month_chart(result: practice.Overview) -> alt.Chart:
    data = pd.DataFrame({"Month": [m.month for m in result.months], "Audits": [m.audits for m in result.months]})
    chart: alt.Chart = (
        alt.Chart(data)
        .mark_bar(color="#1E6B3A")
        .encode(
            x=alt.X("Month:O", title=None, axis=alt.Axis(labelFontSize=13, labelColor="#111111", labelAngle=-45)),
            y=alt.Y("Audits:Q", title="Audits", axis=alt.Axis(labelFontSize=13, titleFontSize=13, tickMinStep=1)),
            tooltip=["Month:O", "Audits:Q"],
        )
        .properties(height=220)
    )
    return chart


def _client(name: str, address: str) -> str:
    who = md(name or "Unnamed client")
    return f"**{who}**" + (f", {md(address)}" if address else "")


def _risk_line(rise: practice.RiskRise) -> str:
    before, after = label(RISK_LABELS, rise.previous_risk).lower(), label(RISK_LABELS, rise.latest_risk).lower()
    risk = f"still {after}" if before == after else f"{before} → {after}"
    return (
        f"{_client(rise.client, rise.address)}: score {whole(rise.previous_score)} on {short_date(rise.previous_date)}, "
        f"{whole(rise.latest_score)} on {short_date(rise.latest_date)} ({risk})"
    )


def _follow_up_line(due: practice.FollowUpDue) -> str:
    by = f", last seen by {md(due.auditor)}" if due.auditor else ""
    days = "1 day" if due.days_overdue == 1 else f"{due.days_overdue:,} days"
    return f"{_client(due.client, due.address)}: follow-up was due {short_date(due.follow_up)} ({days} ago){by}"


def _listed(lines: list[str], key: str, empty: str) -> None:
    if not lines:
        st.caption(empty)
        return
    st.markdown("\n".join(f"- {line}" for line in lines[:SHOWN]))
    if len(lines) > SHOWN:
        with st.expander(f"{len(lines) - SHOWN} more", key=key):
            st.markdown("\n".join(f"- {line}" for line in lines[SHOWN:]))


def _downloads(result: practice.Overview) -> None:
    name = f"practice-overview-{result.today.isoformat()}"
    with st.container(horizontal=True, gap="small"):
        st.download_button(
            "Download CSV",
            data=lambda: practice.to_csv(result).encode("utf-8"),
            file_name=f"{name}.csv",
            mime="text/csv",
            icon=":material/download:",
            on_click="ignore",
            key="overview_csv",
        )
        st.download_button(
            "Download XLSX",
            data=lambda: practice.to_xlsx(result),
            file_name=f"{name}.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            icon=":material/table:",
            on_click="ignore",
            key="overview_xlsx",
        )


def main() -> None:
    widgets.show_flashes()
    store, library = state.get_store(), state.get_library()
    st.title("Practice overview")
    frames = practice.read(store)
    if frames.audits.empty:
        st.info(EMPTY)
        st.page_link(str(state.PAGE_FILES["start"]), label="Start a new audit", icon=":material/add:")
        return
    since, until, auditor = _filters(frames)
    result = practice.practice_overview(frames, library, today=dt.date.today(), since=since, until=until, auditor=auditor)
    if not result.audits:
        st.info("No audit matches these dates and auditor.")
        return
    _figures(result)
    _downloads(result)

    st.header("Most common hazards", anchor=False)
    if result.hazards:
        homes = f"{result.homes:,} home" + ("" if result.homes == 1 else "s")
        st.caption(f"In the latest audit of each home ({homes}). The downloads list every hazard.")
        st.altair_chart(_hazard_chart(result), width="stretch")
    else:
        st.caption("No hazard found in these homes.")

    st.header("Audits per month", anchor=False)
    st.altair_chart(_month_chart(result), width="stretch")

    st.header(f"Risk rose ({len(result.risk_rose)})", anchor=False)
    st.caption("Clients whose latest visit scored lower (less safe) than the visit before.")
    _listed([_risk_line(r) for r in result.risk_rose], "overview-more-risk", "No client's score fell since their last visit.")

    st.header(f"Follow-up due ({len(result.follow_up_due)})", anchor=False)
    st.caption("Clients whose follow-up date has passed with no visit since.")
    _listed([_follow_up_line(f) for f in result.follow_up_due], "overview-more-follow-up", "No follow-up is overdue.")


if __name__ == "__main__":
    widgets.run_page(main)
