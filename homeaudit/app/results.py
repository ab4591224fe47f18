"""Results page: the risk and score, where the problems are, the plan to act on, and downloads.

The plan shows as cards by default (:mod:`homeaudit.app.plan` has their rules): on a phone in a
client's hallway a grid of sixty rows cut to two columns is no way to tick off a grab bar. Each
card is a fragment of its own (``@st.fragment`` with a key per card), so a tick re-draws that one
card and not the page (scoring again, two charts and every card sent to a phone again; for the
76 actions of examples/hazardous-house.yaml the server's part alone is about four times a card's).
The change is written by the control's callback and confirmed in a toast.

What else a change must update re-draws with it, by the keys of its fragments: the "Do these
first" list, the plan's progress bar and the downloads (a PDF made before the tick is offered
again, made anew). Those fragments run with the arguments of the page's last full run, so they
take the score *without* edits and join the edits as they are now: read from the store once per
full run into the session (:data:`EDITS_KEY`) and updated there after each successful save. The
database stays the truth; the session copy only saves a query per card.

The table (the grid an OT at a desk may prefer) stays one tap away: "Cards / Table" above the plan.

Headings go h1 (the page), h2 (each section), h3 (a band of the plan), so a screen reader's list
of headings is the page's outline (axe ``heading-order``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import zlib
from collections.abc import Callable

import altair as alt
import pandas as pd
import streamlit as st

from homeaudit import Audit, Library, Score, limits, score
from homeaudit.app import plan, reminders, state, widgets
from homeaudit.app.since import show_since_last_visit
from homeaudit.app.widgets import md
from homeaudit.checklist import TOPIC_LABELS
from homeaudit.limits import MAX_PHOTO_BYTES, MB
from homeaudit.money import cost_label, currency
from homeaudit.photos import UPLOAD_TYPES, PhotoError, keep
from homeaudit.plan import DOCTOR_VISIT_LEAD, Action, PlanEdit, apply_edits, doctor_visit_words, one_doctor_visit, problem
from homeaudit.report import LETTER_TERRITORIES, PhotoLoader, ReportError, ReportOptions, report_filename
from homeaudit.results import HIGH_SCORE_BELOW, MODERATE_SCORE_BELOW, score_level
from homeaudit.store import Store, StoreError
from homeaudit.words import BAND_TITLES, RISK_LABELS, SCORE_LEVEL_LABELS, SCORE_LEVELS, WHO_LABELS, label, long_date, whole

#: The results page's own look: the plan's cards and their big Done box, and a focus ring a
#: keyboard user can see on what Streamlit draws without one here (the parts of a date). Fixed text, no user text ever
#: goes in (rendered with st.html on this page only).
RESULTS_STYLE = """
<style>
[class*="st-key-plan-open-"], [class*="st-key-plan-done-"] {
  border-color: var(--ha-line, #5B6B7F) !important; gap: 0.35rem; max-width: 56rem; }
.st-key-plan-progress-bar { max-width: 56rem; }
[class*="st-key-plan-done-"] { background: #F1F8F3; border-color: #1E6B3A !important; }
[class*="st-key-plan-done-"] del { text-decoration-thickness: 2px; }
[class*="st-key-plan-open-"] p, [class*="st-key-plan-done-"] p { overflow-wrap: anywhere; line-height: 1.45; }
[class*="st-key-plan-controls-"] { margin-top: 0.35rem; }
[class*="st-key-plan-controls-"] [data-testid="stCheckbox"] label {
  min-height: 3rem; align-items: center; gap: 0.25rem; padding: 0 1.1rem 0 0.75rem;
  border: 2px solid var(--ha-line, #5B6B7F); border-radius: 0.5rem; background: #FFFFFF; cursor: pointer; }
[class*="st-key-plan-controls-"] [data-testid="stCheckbox"] label > span + div {
  width: 1.6rem; height: 1.6rem; border-width: 2px; }
[class*="st-key-plan-controls-"] [data-testid="stCheckbox"] label p { font-size: 1.15rem; font-weight: 700; }
[class*="st-key-plan-done-"] [data-testid="stCheckbox"] label { border-color: #1E6B3A; background: #E3F1E7; }
[class*="st-key-plan-controls-"] [data-testid="stCheckbox"] label:has(input:focus-visible) {
  outline: 3px solid var(--ha-blue, #0B5394); outline-offset: 2px; }
[class*="st-key-plan-controls-"] [data-testid="stSelectbox"] [role="group"],
[class*="st-key-plan-controls-"] [data-testid="stDateInputField"] { min-height: 3rem; }
[class*="st-key-plan-controls-"] [data-testid="stSelectbox"] input,
[class*="st-key-plan-controls-"] [data-testid="stDateInputField"] [role="group"] { font-size: 1.05rem; }
[data-testid="stDateInputField"] [role="spinbutton"]:focus {
  outline: 2px solid var(--ha-blue, #0B5394) !important; outline-offset: -2px; border-radius: 4px; }
</style>
"""

#: The two views' switch, and the view last chosen (kept while the session lasts).
VIEW_KEY = "plan_view"
VIEW_CHOSEN = "_plan_view"
#: The folded band ("Later"): its cards are only drawn while it is open, a page at a time.
LATER_KEY = "plan_later"
LATER_SHOWN = "_plan_later_shown"
#: The session's copy of the open audit's plan edits: (audit id, {(item id, visit): edit}).
EDITS_KEY = "_plan_edits"
MAX_PHOTO_MB = MAX_PHOTO_BYTES // MB
#: The card whose control just changed: it shows the toast (the page's own run does not come).
CHANGED_KEY = "_plan_changed"
#: The fragments a change re-draws besides its card.
FIRST_FRAGMENT, PROGRESS_FRAGMENT, DOWNLOADS_FRAGMENT = "plan-first", "plan-progress", "plan-downloads"


def _score_chart(frame: pd.DataFrame, name: str) -> alt.Chart:
    data = frame.dropna(subset=["Score"])
    data = data.assign(Shown=[whole(score) for score in data["Score"]])  # as the PDF and the words round it
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
        tooltip=[f"{name}:N", alt.Tooltip("Shown:Q", title="Score"), "Hazards:Q"],
    )
    text = base.mark_text(align="left", dx=5, fontSize=15, color="#111111").encode(text=alt.Text("Shown:Q"))
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
        st.metric("Home safety score", "—" if overall.score is None else f"{whole(overall.score)} / 100", border=True)
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


# --------------------------------------------------------------------------- the plan's edits, in the session


def _load_edits(store: Store, audit_id: str) -> list[PlanEdit]:
    """The audit's plan edits from the database (once per full run), kept for the fragments."""
    edits = store.plan_edits(audit_id)
    st.session_state[EDITS_KEY] = (audit_id, {(e.item_id, e.visit): e for e in edits})
    return edits


def _edits(audit_id: str) -> list[PlanEdit]:
    """The plan edits as they are now: the session's copy, or the database's if it has none."""
    kept = st.session_state.get(EDITS_KEY)
    if kept is None or kept[0] != audit_id:
        return _load_edits(state.get_store(), audit_id)
    return list(kept[1].values())


def _remember(audit_id: str, edit: PlanEdit) -> None:
    """A saved edit into the session's copy (called only after the database took it)."""
    kept = st.session_state.get(EDITS_KEY)
    if kept is not None and kept[0] == audit_id:
        kept[1][(edit.item_id, edit.visit)] = edit


# --------------------------------------------------------------------------- do these first


@st.fragment(key=FIRST_FRAGMENT)
def _do_first(base: Score) -> None:
    """The first three actions not done yet (a fragment: a tick on a card re-draws it), each with
    its number in the plan, as on its card and in the PDF."""
    result = base.with_edits(_edits(base.audit_id))
    todo = result.open_actions()[:3]
    if not todo:
        return
    st.header("Do these first", anchor=False)
    for action in todo:
        with st.container(border=True):
            st.markdown(f"**{action.rank}. {md(result.title(action.visit))}: {md(problem(action))}**")
            st.markdown(md(action.action))
            if action.why:
                st.caption(md(action.why))


def _referrals(result: Score) -> None:
    """The services the plan calls for, each with the actions (by number) that call for it."""
    if not result.referrals:
        return
    st.header("Referrals", anchor=False)
    for referral in result.referrals:
        numbers = ", ".join(str(rank) for rank in referral.ranks)
        st.markdown(md(f"{referral.label}: {'; '.join(referral.reasons)} (action {numbers})"))


# --------------------------------------------------------------------------- the action plan


def _plan(store: Store, audit: Audit, base: Score, result: Score) -> None:
    """The plan, as cards (the default) or as the table, with a switch between the two."""
    st.header("Action plan", anchor=False)
    if not result.actions:
        st.success("No problems found in what was answered.")
        return
    st.session_state[VIEW_KEY] = st.session_state.get(VIEW_CHOSEN, "cards")
    view = st.segmented_control(
        "Show the plan as",
        list(plan.VIEWS),
        format_func=plan.VIEWS.__getitem__,
        key=VIEW_KEY,
        required=True,
        on_change=lambda: st.session_state.__setitem__(VIEW_CHOSEN, st.session_state[VIEW_KEY]),
    )
    if view == "table":
        _plan_table(audit, plan.plan_frame(result))
    else:
        _plan_cards(audit, base, result)


def _plan_cards(audit: Audit, base: Score, result: Score) -> None:
    """One card per action under its band's heading: this week and soon open, later folded (its
    cards are only drawn while it is open, ten at a time: a long plan's later band holds most of
    its rows)."""
    st.caption("Tick what is done, choose who will do it and by when. Each change is saved at once.")
    _progress(base)
    fmt = widgets.picker_format()
    for band, actions in plan.bands(base.actions):
        st.subheader(label(BAND_TITLES, band), anchor=False)
        visit = one_doctor_visit(result.actions) if band == "now" else None
        if visit is not None:
            st.info(f"**{DOCTOR_VISIT_LEAD}** {md(doctor_visit_words(visit))}", icon=":material/stethoscope:")
        if band in plan.OPEN_BANDS:
            for action in actions:
                _card(audit, action, result.title(action.visit), fmt)
            continue
        folded = st.expander(plan.folded_label(len(actions)), key=LATER_KEY, on_change="rerun")
        if folded.open:
            with folded:
                shown = min(len(actions), max(plan.LATER_PAGE, int(st.session_state.get(LATER_SHOWN, plan.LATER_PAGE))))
                for action in actions[:shown]:
                    _card(audit, action, result.title(action.visit), fmt)
                if shown < len(actions):
                    st.button(
                        plan.more_label(shown, len(actions)),
                        key="plan_later_more",
                        icon=":material/expand_more:",
                        on_click=st.session_state.__setitem__,
                        args=(LATER_SHOWN, shown + plan.LATER_PAGE),
                    )


@st.fragment(key=PROGRESS_FRAGMENT)
def _progress(base: Score) -> None:
    """How much of the plan is done (a fragment: re-drawn with the card that changed it)."""
    actions = base.with_edits(_edits(base.audit_id)).actions
    done = sum(action.done for action in actions)
    with st.container(key="plan-progress-bar"):
        st.progress(done / len(actions), text=plan.done_count(actions))


def _card(audit: Audit, action: Action, where: str, fmt: str) -> None:
    """An action's card as a fragment of its own: a function per card, under the card's key, so
    that its change re-runs it alone (and the other fragments named in the callback)."""
    st.fragment(key=_fragment_key(action))(_draw_card)(audit, action, where, fmt)


def _fragment_key(action: Action) -> str:
    return "plan-card-" + plan.card_key(action)


def _draw_card(audit: Audit, base: Action, where: str, fmt: str) -> None:
    """One action: where, what was found, what to do, why it matters, the cost, then Done, Who and
    the due date. ``base`` is the action without edits; the edits are joined here, each run, so a
    re-run of this card alone shows what was just saved."""
    [action] = apply_edits([base], _edits(audit.id))
    key = plan.card_key(action)
    if st.session_state.get(CHANGED_KEY) == key:
        st.session_state.pop(CHANGED_KEY)
        widgets.show_flashes()
    with st.container(border=True, key=f"plan-{'done' if action.done else 'open'}-{key}"):
        title = f"{action.rank}. {md(where)}: {md(problem(action))}"
        if action.done:
            st.markdown(f":green-badge[:material/check: Done] ~~**{title}**~~")
        else:
            st.markdown(f"**{title}**")
        st.markdown(f"**What to do:** {md(action.action)}")
        if action.why:
            st.markdown(f"**Why it matters:** {md(action.why)}")
        st.markdown(f"**Cost:** {md(cost_label(action.cost, currency()))}")
        if action.declined:
            st.markdown(f"**The client declined this:** {md(action.declined)}")
        if action.note:
            st.text(f"Note: {action.note}")
        if action.helper:
            st.markdown(f"**Who, by name:** {md(action.helper)}")
        if action.done and (action.done_on or action.done_by):
            by = f" by {action.done_by}" if action.done_by else ""
            when = f" on {long_date(action.done_on)}" if action.done_on else ""
            st.markdown(md(f"Done{when}{by}."))
        if action.fix_photo:
            with contextlib.suppress(StoreError):
                st.image(state.get_store().photo_bytes(action.fix_photo, audit.id), width=200, caption="The fix")
        _card_controls(audit, base, action, fmt)
        _follow_through(audit, base, action)


def _card_controls(audit: Audit, base: Action, action: Action, fmt: str) -> None:
    """Done, Who and the due date; each is set from the plan on every run and saved by its callback."""
    keys = {part: plan.widget_key(audit.id, action, part) for part in ("done", "who", "due")}
    st.session_state[keys["done"]] = action.done
    st.session_state[keys["who"]] = action.who
    st.session_state[keys["due"]] = action.due
    low, high = plan.due_bounds(audit.date, action.due, dt.date.today())
    with st.container(horizontal=True, gap="small", vertical_alignment="bottom", key="plan-controls-" + plan.card_key(action)):
        st.checkbox("Done", key=keys["done"], on_change=_save_card, args=(audit.id, audit.date, base, "done"))
        st.selectbox(
            "Who",
            plan.who_options(action.who),
            format_func=functools.partial(label, WHO_LABELS),
            key=keys["who"],
            on_change=_save_card,
            args=(audit.id, audit.date, base, "who"),
            filter_mode=None,  # nine choices: a tap opens the list, no keyboard over it on a phone
            width=250,
        )
        st.date_input(
            "Due by",
            value=None,
            min_value=low,
            max_value=high,
            format=fmt,
            key=keys["due"],
            on_change=_save_card,
            args=(audit.id, audit.date, base, "due"),
            width=300,  # day, month and year at 44 px a tap target each, and two buttons: 210 hid the year
        )


def _save_card(audit_id: str, audit_date: dt.date, action: Action, part: plan.Part) -> None:
    """A card's control changed: save the card's three values as one edit, say so, and re-draw
    this card and what depends on it (not the page)."""
    keys = {name: plan.widget_key(audit_id, action, name) for name in ("done", "who", "due")}
    kept = _kept_edit(audit_id, action)
    edit = plan.card_edit(
        action, st.session_state[keys["done"]], st.session_state[keys["who"]], st.session_state[keys["due"]], kept
    )
    saved = widgets.save(lambda s: _store_edit(s, audit_id, edit))
    if saved:
        _remember(audit_id, edit)
        state.flash(plan.saved_message(action, part, edit, audit_date), "success")
    st.session_state[CHANGED_KEY] = plan.card_key(action)
    st.session_state.pop(PDF_KEY, None)  # a PDF made before the change is made again when asked
    again = [_fragment_key(action), DOWNLOADS_FRAGMENT]
    if part == "done":
        again += [FIRST_FRAGMENT, PROGRESS_FRAGMENT]
    st.rerun(again)


def _kept_edit(audit_id: str, action: Action) -> PlanEdit | None:
    return next((e for e in _edits(audit_id) if (e.item_id, e.visit) == (action.item_id, action.visit)), None)


def _store_edit(store: Store, audit_id: str, edit: PlanEdit) -> None:
    store.save_plan_edit(
        audit_id,
        edit.item_id,
        edit.visit,
        who=edit.who,
        due=edit.due,
        state=edit.state,
        helper=edit.helper,
        done_on=edit.done_on,
        done_by=edit.done_by,
        reason=edit.reason,
        photo=edit.photo,
    )


def _follow_through(audit: Audit, base: Action, action: Action) -> None:
    """Who does it by name, when it was done and by whom (with a photo of the fix), or that the
    client declined it and why: behind a fold, built only while open (a plan has many cards)."""
    key = plan.widget_key(audit.id, action, "more")
    fold = st.expander("Who by name, when done, or declined", key=key, on_change="rerun", icon=":material/assignment_ind:")
    if not fold.open:
        return
    with fold, st.form(key + "|form", border=False, enter_to_submit=False, clear_on_submit=True):
        st.text_input(
            "Who will do it, by name",
            value=action.helper,
            key=key + "|helper",
            placeholder="Sam (son), Joe the handyman",
            max_chars=limits.MAX_LABEL,
        )
        st.date_input(
            "Done on", value=action.done_on, key=key + "|done_on", max_value=dt.date.today(), format=widgets.picker_format()
        )
        st.text_input("Done by", value=action.done_by, key=key + "|done_by", max_chars=limits.MAX_LABEL)
        st.file_uploader(
            "A photo of the fix (optional)", type=list(UPLOAD_TYPES), key=key + "|photo", max_upload_size=MAX_PHOTO_MB
        )
        st.checkbox("The client declined this", value=action.state == "declined", key=key + "|declined")
        st.text_area(
            "Why they declined",
            value=action.declined if action.state == "declined" else "",
            key=key + "|reason",
            max_chars=limits.MAX_TEXT,
        )
        st.form_submit_button("Save", type="primary", on_click=_save_follow_through, args=(audit.id, audit.auditor.role, base))


def _save_follow_through(audit_id: str, role: str, action: Action) -> None:
    """Check what the form holds first; then keep the photo of the fix (only with a done action)
    and save the edit. Nothing is kept when anything is refused."""
    key = plan.widget_key(audit_id, action, "more")
    uploaded = st.session_state.get(key + "|photo")
    try:
        edit = plan.follow_through_edit(
            action,
            _kept_edit(audit_id, action),
            helper=st.session_state.get(key + "|helper") or "",
            done_on=st.session_state.get(key + "|done_on"),
            done_by=st.session_state.get(key + "|done_by") or "",
            declined=bool(st.session_state.get(key + "|declined")),
            reason=st.session_state.get(key + "|reason") or "",
            photo=None,
            reason_required=role == "ot",
        )
        if uploaded is not None:
            if edit.state != "done":
                raise ValueError("A photo of the fix goes with the day it was done: give the date, then Save.")
            fixed = keep(uploaded.name, uploaded.getvalue())
            ref = state.get_store().add_fix_photo(audit_id, fixed.filename, fixed.data, fixed.mime)
            edit = dataclasses.replace(edit, photo=ref)
    except (ValueError, PhotoError, StoreError) as error:
        state.flash(f"Not saved: {error}")
        st.session_state[CHANGED_KEY] = plan.card_key(action)
        return
    if widgets.save(lambda s: _store_edit(s, audit_id, edit)):
        _remember(audit_id, edit)
        words = {"done": "marked done", "declined": "marked declined", "open": "saved"}[edit.state]
        state.flash(f"Saved: action {action.rank} {words}.", "success")
    st.session_state[CHANGED_KEY] = plan.card_key(action)
    st.session_state.pop(PDF_KEY, None)
    st.rerun()


def _plan_table(audit: Audit, frame: pd.DataFrame) -> None:
    """The plan as one grid (for a wide screen); a change runs the page again."""
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
        kept = {(e.item_id, e.visit): e for e in _edits(audit.id)}
        for change in changes:
            base = kept.get((change["item_id"], change["visit"])) or PlanEdit(change["item_id"], change["visit"])
            edit = plan.merged_edit(base, change["done"], change["who"], change["due"])
            if widgets.save(functools.partial(_store_edit, audit_id=audit.id, edit=edit)):
                _remember(audit.id, edit)
        st.session_state.pop(PDF_KEY, None)
        st.rerun()
    done = int(frame["Done"].sum())
    st.caption(f"{done} of {len(frame)} done.")


# --------------------------------------------------------------------------- downloads


@st.fragment(key=DOWNLOADS_FRAGMENT)
def _downloads(audit: Audit, base: Score, library: Library) -> None:
    """The PDF, the audit file and the plan as a spreadsheet (a fragment: a change to the plan
    re-draws it, so a PDF made before the change is never the one offered)."""
    store = state.get_store()
    result = base.with_edits(_edits(audit.id))
    st.header("Take it with you", anchor=False)
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
        ("Action plan (CSV)", plan.csv_builder(store, base), f"{audit.id}-action-plan.csv", "text/csv", ":material/table:", "csv")
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
    reminders.show_reminders_and_lists(audit.id, audit=audit, base=base, options=options)


#: The PDF made for this page, with what it was made from (so a change of answers makes it again).
PDF_KEY = "_pdf"


def _pdf(audit: Audit, result: Score, library: Library, photos: PhotoLoader, options: ReportOptions) -> None:
    """The action plan as a PDF: made when asked (it takes a second), then offered for download
    in the button's place (no run of the page again). A report that cannot be made says why here,
    instead of a download that does nothing."""
    made_from = (audit.id, hash(result), options)
    made = st.session_state.get(PDF_KEY)
    slot = st.empty()
    if made is None or made[0] != made_from:
        if not slot.button("Make the action plan (PDF)", icon=":material/picture_as_pdf:", type="primary", key="make_pdf"):
            return
        with st.spinner("Making the PDF…"):
            try:
                since = plan.since_last_visit(state.get_store(), audit, library)
                pdf = plan.pdf_builder(audit, result, library, photos, options, since)()
            except ReportError as error:
                st.error(md(f"The PDF could not be made: {error}"))
                return
        made = st.session_state[PDF_KEY] = (made_from, pdf)
    slot.download_button(
        "Download the action plan (PDF)",
        data=made[1],
        file_name=report_filename(audit),
        mime="application/pdf",
        icon=":material/picture_as_pdf:",
        on_click="ignore",
        type="primary",
        key="download_pdf",
    )


def _default_paper() -> str:
    locale = (st.context.locale or "").replace("_", "-")
    territory = locale.split("-")[1].upper() if "-" in locale else ""
    return "letter" if territory in LETTER_TERRITORIES else "A4"


def main() -> None:
    widgets.show_flashes()
    st.session_state.pop(CHANGED_KEY, None)  # this run shows every message
    st.html(RESULTS_STYLE)
    store, library = state.get_store(), state.get_library()
    audit = widgets.load_open_audit(store)
    st.title("Results")
    if audit is None:
        widgets.no_audit_yet("its results")
        return
    widgets.audit_caption(audit)
    # One load and one score per run: the summary, the plan and every download share them. The
    # fragments take the score without edits and join the edits as they are when they run.
    base = score(audit, library)
    result = base.with_edits(_load_edits(store, audit.id))
    _summary(result, library)
    _do_first(base)
    show_since_last_visit(audit.id)  # a later visit: what changed since the last one

    st.header("Where the problems are", anchor=False)
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

    _plan(store, audit, base, result)
    _referrals(result)
    _downloads(audit, base, library)


if __name__ == "__main__":
    widgets.run_page(main)
