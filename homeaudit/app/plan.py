"""The action plan as the app shows, edits and downloads it, and the three downloads.

The ranking is the scoring module's; this module only joins the user's edits (done, who, due)
onto it and turns it into words. The download builders take plain arguments and open the store
themselves, because Streamlit runs them in another thread when the button is clicked.
"""

from __future__ import annotations

import datetime as dt
from typing import Callable

import pandas as pd

from homeaudit import audit as audit_io
from homeaudit import scoring
from homeaudit.audit import Audit, visit_titles
from homeaudit.checklist import COST_LABELS, WHO, WHO_LABELS, Library
from homeaudit.store import Store, StoreError

WHEN_LABELS = {"now": "Now", "soon": "Soon", "later": "Later"}
WHO_BY_LABEL = {label: code for code, label in WHO_LABELS.items()}
EDITABLE = ["Done", "Who", "Due"]
PLAN_COLUMNS = ["Done", "#", "When", "Where", "Problem", "Who", "Due", "What to do", "Cost", "Note"]
#: What the on-screen editor shows, the columns a person acts on first (a phone sees the left ones);
#: the CSV keeps them all.
EDITOR_COLUMNS = ["Done", "Problem", "Who", "Due", "When", "Where", "What to do", "Cost"]


def plan_frame(score: scoring.Score, audit: Audit, library: Library, edits: pd.DataFrame) -> pd.DataFrame:
    """The ranked plan with the user's edits (scoring.with_edits, as the PDF prints them), in words."""
    actions = scoring.with_edits(score.actions, edits)
    titles = visit_titles(audit, library)
    frame = pd.DataFrame(
        {
            "item_id": actions["item_id"],
            "visit": actions["visit"].astype(int),
            "Done": actions["done"].astype(bool),
            "#": actions["rank"].astype(int),
            "When": [WHEN_LABELS.get(b, b) for b in actions["band"]],
            "Where": [titles.get(int(v), r) for v, r in zip(actions["visit"], actions["room"])],
            "Problem": actions["hazard"],
            "Who": [WHO_LABELS.get(w, w) for w in actions["who"]],
            "Due": pd.Series([d if isinstance(d, dt.date) else None for d in actions["due"]], dtype=object),
            "What to do": actions["action"],
            "Cost": [COST_LABELS.get(c, c) for c in actions["cost"]],
            "Note": [n or "" for n in actions["note"]],
        },
        columns=["item_id", "visit"] + PLAN_COLUMNS,
    )
    return frame.reset_index(drop=True)


def _as_date(value) -> dt.date | None:
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value.strip():
        return dt.date.fromisoformat(value.strip()[:10])
    return None


def changed_rows(before: pd.DataFrame, after: pd.DataFrame) -> list[dict]:
    """The edits to save: rows whose Done, Who or Due differ, as save_plan_edit arguments."""
    out = []
    for old, new in zip(before.to_dict("records"), after.to_dict("records")):
        due = _as_date(new["Due"])
        if bool(new["Done"]) == bool(old["Done"]) and new["Who"] == old["Who"] and due == _as_date(old["Due"]):
            continue
        who = WHO_BY_LABEL.get(new["Who"], new["Who"] if new["Who"] in WHO else None)
        out.append({"item_id": old["item_id"], "visit": int(old["visit"]), "done": bool(new["Done"]), "who": who, "due": due})
    return out


def plan_csv(frame: pd.DataFrame) -> str:
    """The plan as a spreadsheet: one row per action, dates as YYYY-MM-DD."""
    out = frame[PLAN_COLUMNS].copy()
    out["Done"] = out["Done"].map({True: "yes", False: "no"})
    out["Due"] = [d.isoformat() if isinstance(d, dt.date) else "" for d in out["Due"]]
    return out.to_csv(index=False)


# --------------------------------------------------------------------------- downloads (built on click)


def photo_loader(store: Store, audit_id: str) -> Callable[[str], bytes]:
    """Photo bytes for the report; a photo that is not this audit's reads as missing."""

    def load(ref: str) -> bytes:
        try:
            return store.photo_bytes(ref, audit_id)
        except StoreError as error:
            raise KeyError(str(error)) from None

    return load


def pdf_builder(store: Store, library: Library, audit_id: str, page_size: str, large_print: bool) -> Callable[[], bytes]:
    def build() -> bytes:
        from homeaudit.report import ReportOptions, render

        audit = store.load_audit(audit_id)
        return render(
            audit,
            scoring.score(audit, library),
            library,
            ReportOptions(page_size=page_size, large_print=large_print),
            photo_loader=photo_loader(store, audit_id),
            edits=store.plan_edits(audit_id),
        )

    return build


def yaml_builder(store: Store, audit_id: str) -> Callable[[], str]:
    return lambda: store.export_audit(audit_id)


def bundle_builder(store: Store, audit_id: str) -> Callable[[], bytes]:
    """The audit with its photos (a zip), built when the button is clicked."""
    return lambda: store.export_bundle(audit_id)


def csv_builder(store: Store, library: Library, audit_id: str) -> Callable[[], str]:
    def build() -> str:
        audit = store.load_audit(audit_id)
        return plan_csv(plan_frame(scoring.score(audit, library), audit, library, store.plan_edits(audit_id)))

    return build


def report_filename(audit: Audit) -> str:
    try:
        from homeaudit.report import report_filename as name
    except ImportError:  # pragma: no cover - the report package ships with the app
        return f"{audit_io.slug(audit.client.name) or 'audit'}-{audit.date.isoformat()}.pdf"
    return name(audit)
