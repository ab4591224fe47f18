"""Results page: the risk and score, where the problems are, the plan to edit, and downloads."""

from __future__ import annotations

import functools
import zlib
from collections.abc import Callable
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from homeaudit import Audit, Library, Score, score
from homeaudit.app import plan, state, widgets
from homeaudit.app.widgets import md
from homeaudit.checklist import TOPIC_LABELS
from homeaudit.money import currency
from homeaudit.plan import problem
from homeaudit.report import LETTER_TERRITORIES, PhotoLoader, ReportError, ReportOptions, report_filename
from homeaudit.results import HIGH_SCORE_BELOW, MODERATE_SCORE_BELOW, score_level
from homeaudit.store import Store
from homeaudit.words import RISK_LABELS, SCORE_LEVEL_LABELS, SCORE_LEVELS, WHO_LABELS, label


def _score_chart(frame: pd.DataFrame, name: str) -> alt.Chart:
    data = frame.dropna(subset=["Score"])
    base = alt.Chart(data).encode(
        y=alt.Y(
            f"{name}:N",
            sort=None,
            title=None,
            axis=alt.Axis(labelFontSize=15, labelLimit=170, labelColor="#111111", ticks=False, domain=False),
        ),
        x=alt.X(
            "Score:Q",
            scale=alt.Scale(domain=[0, 105]),
            title="Score (higher is safer)",
            axis=alt.Axis(
                labelFontSize=14, titleFontSize=14, labelColor="#111111", titleColor="#111111", values=[0, 20, 40, 60, 80, 100]
            ),
        ),
    )
    bars = base.mark_bar(cornerRadiusEnd=3).encode(
        color=alt.Color(
            "Level:N",
            scale=alt.Scale(domain=[SCORE_LEVEL_LABELS[lv] for lv in SCORE_LEVELS], range=["#B3261E", "#B26A00", "#1E6B3A"]),
            legend=None,
        ),
        tooltip=[f"{name}:N", "Score:Q", "Hazards:Q"],
    )
    text = base.mark_text(align="left", dx=5, fontSize=15, color="#111111").encode(text=alt.Text("Score:Q", format=".0f"))
    chart: alt.Chart = (bars + text).properties(height=alt.Step(44))
    return chart


def _bars(rows: list[tuple[str, float | None, int]], name: str) -> pd.DataFrame:
    """(name, score, hazards) rows with a score, as the chart's table."""
    scored = [(n, s, h) for n, s, h in rows if s is not None]
    return pd.DataFrame(
        {
            name: [n for n, _, _ in scored],
            "Score": [s for _, s, _ in scored],
            "Hazards": [h for _, _, h in scored],
            "Level": [SCORE_LEVEL_LABELS[score_level(s)] for _, s, _ in scored],
        }
    )


def _summary(result: Score, library: Library) -> None:
    overall = result.overall
    with st.container(horizontal=True, gap="medium"):
        st.metric("Risk of a fall at home", label(RISK_LABELS, overall.risk_level), border=True)
        st.metric("Home safety score", "—" if overall.score is None else f"{overall.score:.0f} / 100", border=True)
        st.metric("Things to do", f"{len(result.actions)}", border=True)  # the plan's rows, the person's too
    missing = overall.questions - overall.answered
    if missing > 0:
        st.info(
            f"{missing} of {overall.questions} questions about the home are not answered yet. "
            "The score counts only what was answered."
        )
    res = result.resident
    signs = [library.items[i].hazard for i in res.warning_signs if i in library.items]
    if signs:
        st.error(md("See a doctor soon about: " + "; ".join(signs) + ". This audit cannot tell the cause."))
    if res.answered:
        st.markdown(md(f"Fall-risk screen (CDC Stay Independent): {res.steadi_score} of 14 points: {res.verdict}."))


def _do_first(result: Score) -> None:
    todo = result.open_actions()[:3]
    if not todo:
        return
    st.subheader("Do these first", anchor=False)
    for n, action in enumerate(todo, start=1):
        with st.container(border=True):
            st.markdown(f"**{n}. {md(result.title(action.visit))}: {md(problem(action))}**")
            st.markdown(md(action.action))
            if action.why:
                st.caption(md(action.why))


def _referrals(result: Score) -> None:
    """The services the plan calls for, each with the actions (by number) that call for it."""
    if not result.referrals:
        return
    st.subheader("Referrals", anchor=False)
    for referral in result.referrals:
        numbers = ", ".join(str(rank) for rank in referral.ranks)
        st.markdown(md(f"{referral.label}: {'; '.join(referral.reasons)} (action {numbers})"))


def _save_edit(store: Store, audit_id: str, change: dict[str, Any]) -> None:
    store.save_plan_edit(audit_id, **change)


def _plan_editor(store: Store, audit: Audit, frame: pd.DataFrame) -> None:
    st.subheader("Action plan", anchor=False)
    if frame.empty:
        st.success("No problems found in what was answered.")
        return
    st.caption("Tick what is done, choose who will do it and when. Changes are saved at once.")
    identity = "|".join(f"{i}@{v}" for i, v in zip(frame["item_id"], frame["visit"], strict=True))
    key = f"plan|{audit.id}|{zlib.crc32(identity.encode()):08x}"
    edited = st.data_editor(
        frame,
        key=key,
        hide_index=True,
        width="stretch",
        num_rows="fixed",
        column_order=plan.EDITOR_COLUMNS,
        disabled=[c for c in frame.columns if c not in plan.EDITABLE],
        column_config={
            "Done": st.column_config.CheckboxColumn("Done", width="small"),
            "#": st.column_config.NumberColumn("#", width="small"),
            "When": st.column_config.TextColumn("When", width="small"),
            "Where": st.column_config.TextColumn("Where", width="small"),
            "Problem": st.column_config.TextColumn("Problem", width="medium"),
            "What to do": st.column_config.TextColumn("What to do", width="large"),
            "Who": st.column_config.SelectboxColumn("Who", options=list(WHO_LABELS.values()), required=True, width="medium"),
            "Due": st.column_config.DateColumn("Due", format="D MMM YYYY", width="small"),
            "Cost": st.column_config.TextColumn("Cost", width="small"),
            "Note": st.column_config.TextColumn("Note", width="medium"),
        },
    )
    changes = plan.changed_rows(frame, edited)
    if changes:
        for change in changes:
            widgets.save(functools.partial(_save_edit, audit_id=audit.id, change=change))
        st.rerun()
    done = int(frame["Done"].sum())
    st.caption(f"{done} of {len(frame)} done.")


def _downloads(store: Store, library: Library, audit: Audit, result: Score, frame: pd.DataFrame) -> None:
    st.subheader("Take it with you", anchor=False)
    with st.container(horizontal=True, vertical_alignment="bottom"):
        size = st.segmented_control(
            "Paper size",
            ["A4", "letter"],
            format_func={"A4": "A4", "letter": "US Letter"}.__getitem__,
            key="pdf_size",
            required=True,
            default=_default_paper(),
        )
        large = st.toggle("Large print", key="pdf_large")
    photos = plan.photo_loader(store, audit.id)
    options = ReportOptions(page_size=size or "A4", large_print=bool(large), currency=currency())
    _pdf(audit, result, library, photos, options)
    downloads: list[tuple[str, Callable[[], str | bytes], str, str, str, str]] = [
        (
            "Audit file (YAML)",
            plan.yaml_builder(audit),
            f"{audit.id}.yaml",
            "application/x-yaml",
            ":material/description:",
            "yaml",
        ),
    ]
    if audit.has_photos:  # a YAML file alone would leave them behind
        downloads.append(
            (
                "Audit file with photos (zip)",
                plan.bundle_builder(audit, photos),
                f"{audit.id}.zip",
                "application/zip",
                ":material/folder_zip:",
                "zip",
            )
        )
    downloads.append(
        ("Action plan (CSV)", plan.csv_builder(frame), f"{audit.id}-action-plan.csv", "text/csv", ":material/table:", "csv")
    )
    with st.container(horizontal=True):
        for text, build, name, mime, icon, kind in downloads:
            # data is a function: the file is built only when the button is clicked
            st.download_button(
                text,
                data=build,
                file_name=name,
                mime=mime,
                icon=icon,
                on_click="ignore",
                type="primary" if kind == "pdf" else "secondary",
                key=f"download_{kind}",
            )


#: The PDF made for this page, with what it was made from (so a change of answers makes it again).
PDF_KEY = "_pdf"


def _pdf(audit: Audit, result: Score, library: Library, photos: PhotoLoader, options: ReportOptions) -> None:
    """The action plan as a PDF: made when asked (it takes a second), then offered for download.
    A report that cannot be made says why here, instead of a download that does nothing."""
    made_from = (audit.id, hash(result), options)
    made = st.session_state.get(PDF_KEY)
    if made is not None and made[0] == made_from:
        st.download_button(
            "Download the action plan (PDF)",
            data=made[1],
            file_name=report_filename(audit),
            mime="application/pdf",
            icon=":material/picture_as_pdf:",
            on_click="ignore",
            type="primary",
            key="download_pdf",
        )
        return
    if st.button("Make the action plan (PDF)", icon=":material/picture_as_pdf:", type="primary", key="make_pdf"):
        with st.spinner("Making the PDF…"):
            try:
                pdf = plan.pdf_builder(audit, result, library, photos, options)()
            except ReportError as error:
                st.error(md(f"The PDF could not be made: {error}"))
                return
        st.session_state[PDF_KEY] = (made_from, pdf)
        st.rerun()


def _default_paper() -> str:
    locale = (st.context.locale or "").replace("_", "-")
    territory = locale.split("-")[1].upper() if "-" in locale else ""
    return "letter" if territory in LETTER_TERRITORIES else "A4"


def main() -> None:
    widgets.show_flashes()
    st.set_page_config(layout="wide")
    store, library = state.get_store(), state.get_library()
    audit = widgets.load_open_audit(store)
    st.title("Results")
    if audit is None:
        widgets.no_audit_yet("its results")
        return
    widgets.audit_caption(audit)
    # One load and one score per run: the summary, the editor and every download share them.
    result = score(audit, library).with_edits(store.plan_edits(audit.id))
    _summary(result, library)
    _do_first(result)

    st.subheader("Where the problems are", anchor=False)
    by_room, by_topic = st.tabs(["By room", "By topic"])
    rooms = _bars([(r.title, r.score, r.hazards) for r in result.rooms if r.present], "Room")
    topics = _bars([(label(TOPIC_LABELS, t.topic), t.score, t.hazards) for t in result.topics], "Topic")
    low, good = HIGH_SCORE_BELOW, MODERATE_SCORE_BELOW
    st.caption(f"Red: needs work (under {low}). Orange: some problems ({low} to {good - 1}). Green: good ({good} or more).")
    with by_room:
        if len(rooms):
            st.altair_chart(_score_chart(rooms, "Room"), width="stretch")
        else:
            st.info("Answer some questions to see the rooms' scores.")
    with by_topic:
        if len(topics):
            st.altair_chart(_score_chart(topics, "Topic"), width="stretch")
        else:
            st.info("Answer some questions to see the topics' scores.")

    frame = plan.plan_frame(result)
    _plan_editor(store, audit, frame)
    _referrals(result)
    _downloads(store, library, audit, result, frame)


if __name__ == "__main__":
    widgets.run_page(main)
