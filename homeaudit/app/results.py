"""Results page: the risk and score, where the problems are, the plan to edit, and downloads."""

from __future__ import annotations

import zlib

import altair as alt
import pandas as pd
import streamlit as st

from homeaudit import scoring
from homeaudit.audit import visit_titles
from homeaudit.app import plan, state, widgets
from homeaudit.app.widgets import md
from homeaudit.checklist import TOPIC_LABELS, WHO_LABELS

RISK_WORDS = {
    "high": ("High risk", "error"),
    "moderate": ("Moderate risk", "warning"),
    "low": ("Low risk", "success"),
    "unknown": ("Not enough answers yet", "info"),
}


def _score_chart(frame: pd.DataFrame, label: str) -> alt.Chart:
    data = frame.dropna(subset=["Score"])
    base = alt.Chart(data).encode(
        y=alt.Y(f"{label}:N", sort=None, title=None,
                axis=alt.Axis(labelFontSize=15, labelLimit=170, labelColor="#111111", ticks=False, domain=False)),
        x=alt.X("Score:Q", scale=alt.Scale(domain=[0, 105]), title="Score (higher is safer)",
                axis=alt.Axis(labelFontSize=14, titleFontSize=14, labelColor="#111111", titleColor="#111111",
                              values=[0, 20, 40, 60, 80, 100])),
    )
    bars = base.mark_bar(cornerRadiusEnd=3).encode(
        color=alt.Color(
            "Level:N",
            scale=alt.Scale(domain=["Needs work", "Some problems", "Good"], range=["#B3261E", "#B26A00", "#1E6B3A"]),
            legend=None,
        ),
        tooltip=[f"{label}:N", "Score:Q", "Hazards:Q"],
    )
    text = base.mark_text(align="left", dx=5, fontSize=15, color="#111111").encode(text=alt.Text("Score:Q", format=".0f"))
    return (bars + text).properties(height=alt.Step(44))


def _level(score: pd.Series) -> pd.Series:
    return pd.Series(
        ["Needs work" if s < scoring.HIGH_SCORE_BELOW else "Some problems" if s < scoring.MODERATE_SCORE_BELOW else "Good" for s in score],
        index=score.index,
    )


def _summary(result: scoring.Score, library) -> None:
    overall = result.overall
    words, kind = RISK_WORDS.get(overall["risk_level"], (overall["risk_level"], "info"))
    with st.container(horizontal=True, gap="medium"):
        st.metric("Risk of a fall at home", words, border=True)
        st.metric("Home safety score", "—" if overall["score"] is None else f"{overall['score']:.0f} / 100", border=True)
        st.metric("Things to do", f"{len(result.actions)}", border=True)  # the plan's rows, the person's too
    missing = overall["applicable"] - overall["answered"]
    if missing > 0:
        st.info(f"{missing} of {overall['applicable']} questions about the home are not answered yet. "
                "The score counts only what was answered.")
    res = result.resident
    signs = [library.items[i].hazard for i in res["warning_signs"] if i in library.items]
    if signs:
        st.error(md("See a doctor soon about: " + "; ".join(signs) + ". This audit cannot tell the cause."))
    if res["answered"]:
        at_risk = "at higher risk of falling" if res["at_risk"] else "not at higher risk by this screen"
        st.markdown(md(f"Fall-risk screen (CDC Stay Independent): {res['steadi_score']} of 14 points, {at_risk}."))


def _do_first(frame: pd.DataFrame) -> None:
    todo = frame[~frame["Done"]].head(3)
    if todo.empty:
        return
    st.subheader("Do these first", anchor=False)
    for n, row in enumerate(todo.to_dict("records"), start=1):
        with st.container(border=True):
            st.markdown(f"**{n}. {md(row['Where'])}: {md(row['Problem'])}**")
            st.markdown(md(row["What to do"]))


def _plan_editor(store, audit, frame: pd.DataFrame) -> None:
    st.subheader("Action plan", anchor=False)
    if frame.empty:
        st.success("No problems found in what was answered.")
        return
    st.caption("Tick what is done, choose who will do it and when. Changes are saved at once.")
    identity = "|".join(f"{i}@{v}" for i, v in zip(frame["item_id"], frame["visit"]))
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
            widgets.save(lambda s, c=change: s.save_plan_edit(audit.id, **c))
        st.rerun()
    done = int(frame["Done"].sum())
    st.caption(f"{done} of {len(frame)} done.")


def _downloads(store, library, audit) -> None:
    st.subheader("Take it with you", anchor=False)
    with st.container(horizontal=True, vertical_alignment="bottom"):
        size = st.segmented_control(
            "Paper size", ["A4", "letter"], format_func={"A4": "A4", "letter": "US Letter"}.get,
            key="pdf_size", required=True, default=_default_paper(),
        )
        large = st.toggle("Large print", key="pdf_large")
    downloads = [
        ("Action plan (PDF)", plan.pdf_builder(store, library, audit.id, size or "A4", bool(large)),
         plan.report_filename(audit), "application/pdf", ":material/picture_as_pdf:", "pdf"),
        ("Audit file (YAML)", plan.yaml_builder(store, audit.id), f"{audit.id}.yaml", "application/x-yaml",
         ":material/description:", "yaml"),
    ]
    if audit.has_photos:  # a YAML file alone would leave them behind
        downloads.append(("Audit file with photos (zip)", plan.bundle_builder(store, audit.id), f"{audit.id}.zip",
                          "application/zip", ":material/folder_zip:", "zip"))
    downloads.append(("Action plan (CSV)", plan.csv_builder(store, library, audit.id), f"{audit.id}-action-plan.csv",
                      "text/csv", ":material/table:", "csv"))
    with st.container(horizontal=True):
        for label, build, name, mime, icon, kind in downloads:
            # data is a function: the file is built only when the button is clicked
            st.download_button(label, data=build, file_name=name, mime=mime, icon=icon, on_click="ignore",
                               type="primary" if kind == "pdf" else "secondary", key=f"download_{kind}")


def _default_paper() -> str:
    locale = (st.context.locale or "").replace("_", "-")
    territory = locale.split("-")[1].upper() if "-" in locale else ""
    try:
        from homeaudit.report import LETTER_TERRITORIES
    except ImportError:  # pragma: no cover
        LETTER_TERRITORIES = {"US", "CA"}
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
    result = scoring.score(audit, library)
    _summary(result, library)

    frame = plan.plan_frame(result, audit, library, store.plan_edits(audit.id))
    _do_first(frame)

    st.subheader("Where the problems are", anchor=False)
    by_room, by_topic = st.tabs(["By room", "By topic"])
    titles = visit_titles(audit, library)
    rooms = result.rooms[result.rooms["present"]].copy()
    rooms["Room"] = [titles[v] for v in rooms["visit"]]
    rooms = rooms.rename(columns={"score": "Score", "hazards": "Hazards"})
    rooms["Level"] = _level(rooms["Score"].fillna(100))
    topics = result.topics.copy()
    topics["Topic"] = [TOPIC_LABELS.get(t, t) for t in topics["topic"]]
    topics = topics.rename(columns={"score": "Score", "hazards": "Hazards"})
    topics["Level"] = _level(topics["Score"].fillna(100))
    low, good = scoring.HIGH_SCORE_BELOW, scoring.MODERATE_SCORE_BELOW
    st.caption(f"Red: needs work (under {low}). Orange: some problems ({low} to {good - 1}). Green: good ({good} or more).")
    with by_room:
        if rooms["Score"].notna().any():
            st.altair_chart(_score_chart(rooms[["Room", "Score", "Hazards", "Level"]], "Room"), width="stretch")
        else:
            st.info("Answer some questions to see the rooms' scores.")
    with by_topic:
        if topics["Score"].notna().any():
            st.altair_chart(_score_chart(topics[["Topic", "Score", "Hazards", "Level"]], "Topic"), width="stretch")
        else:
            st.info("Answer some questions to see the topics' scores.")

    _plan_editor(store, audit, frame)
    _downloads(store, library, audit)


if __name__ == "__main__":
    widgets.run_page(main)
