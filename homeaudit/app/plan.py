"""The action plan as the app shows, edits and downloads it.

The ranking is the scoring's and the edits (done, who, due) are joined by
:meth:`homeaudit.results.Score.with_edits` before anything here sees the plan; this module only
turns the finished plan into words and files. The download builders close over values the page
already has (one load and one score per run): Streamlit runs them in another thread when the
button is clicked, and frozen values are safe to share.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pandas as pd

from homeaudit import Audit, Library, Score, dump_audit
from homeaudit.bundle import pack
from homeaudit.money import cost_label, currency
from homeaudit.report import PhotoLoader, ReportOptions, render
from homeaudit.sheets import csv_text
from homeaudit.store import Store, StoreError
from homeaudit.words import BAND_LABELS, WHO, WHO_LABELS, label

WHO_BY_LABEL = {words: code for code, words in WHO_LABELS.items()}
EDITABLE = ["Done", "Who", "Due"]
PLAN_COLUMNS = ["Done", "#", "When", "Where", "Problem", "Why it matters", "Who", "Due", "What to do", "Cost", "Note"]
#: What the on-screen editor shows, the columns a person acts on first (a phone sees the left ones);
#: the CSV keeps them all.
EDITOR_COLUMNS = ["Done", "Problem", "Who", "Due", "When", "Where", "What to do", "Cost"]


def plan_frame(score: Score) -> pd.DataFrame:
    """The plan (edits already joined) in words, one row per action, for the editor and the CSV."""
    actions = score.actions_frame()
    frame = pd.DataFrame(
        {
            "item_id": actions["item_id"],
            "visit": actions["visit"].astype(int),
            "Done": actions["done"].astype(bool),
            "#": actions["rank"].astype(int),
            "When": [label(BAND_LABELS, b) for b in actions["band"]],
            "Where": actions["title"],
            "Problem": actions["problem"],
            "Why it matters": actions["why"],
            "Who": [label(WHO_LABELS, w) for w in actions["who"]],
            "Due": pd.Series([d if isinstance(d, dt.date) else None for d in actions["due"]], dtype=object),
            "What to do": actions["action"],
            "Cost": [cost_label(c, currency()) for c in actions["cost"]],
            "Note": actions["note"],
        },
        columns=["item_id", "visit", *PLAN_COLUMNS],
    )
    return frame.reset_index(drop=True)


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value.strip():
        return dt.date.fromisoformat(value.strip()[:10])
    return None


def changed_rows(before: pd.DataFrame, after: pd.DataFrame) -> list[dict[str, Any]]:
    """The edits to save: rows whose Done, Who or Due differ, as save_plan_edit arguments."""
    out = []
    for old, new in zip(before.to_dict("records"), after.to_dict("records"), strict=False):
        due = _as_date(new["Due"])
        if bool(new["Done"]) == bool(old["Done"]) and new["Who"] == old["Who"] and due == _as_date(old["Due"]):
            continue
        who = WHO_BY_LABEL.get(new["Who"], new["Who"] if new["Who"] in WHO else None)
        out.append({"item_id": old["item_id"], "visit": int(old["visit"]), "done": bool(new["Done"]), "who": who, "due": due})
    return out


def plan_csv(frame: pd.DataFrame) -> str:
    """The plan as a spreadsheet: one row per action, dates as YYYY-MM-DD, every text cell safe
    to open (homeaudit.sheets: a note that starts with "=" stays text)."""
    out = frame[PLAN_COLUMNS].copy()
    out["Done"] = out["Done"].map({True: "yes", False: "no"})
    out["Due"] = [d.isoformat() if isinstance(d, dt.date) else "" for d in out["Due"]]
    return csv_text(PLAN_COLUMNS, out.itertuples(index=False, name=None))


# --------------------------------------------------------------------------- downloads (built on click)


def photo_loader(store: Store, audit_id: str) -> PhotoLoader:
    """Photo bytes for the report; a photo that is not this audit's reads as missing."""

    def load(ref: str) -> bytes:
        try:
            return store.photo_bytes(ref, audit_id)
        except StoreError as error:
            raise KeyError(str(error)) from None

    return load


def pdf_builder(audit: Audit, score: Score, library: Library, photos: PhotoLoader, options: ReportOptions) -> Callable[[], bytes]:
    """The PDF of the plan as the page shows it (edits included), drawn when the button is clicked."""
    return lambda: render(audit, score, library, options, photo_loader=photos)


def yaml_builder(audit: Audit) -> Callable[[], str]:
    return lambda: dump_audit(audit)


def bundle_builder(audit: Audit, photos: PhotoLoader) -> Callable[[], bytes]:
    """The audit with its photos (a zip), built when the button is clicked."""
    return lambda: pack(audit, photos)


def saved_bundle_builder(store: Store, audit_id: str) -> Callable[[], bytes]:
    """A saved audit's zip, read from the database only when its button is clicked (the Audits
    page lists many audits and loads none of them whole)."""
    return lambda: store.export_bundle(audit_id)


def csv_builder(frame: pd.DataFrame) -> Callable[[], str]:
    return lambda: plan_csv(frame)
