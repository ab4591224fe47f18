"""The Streamlit app: pages (start, walkthrough, results, audits) and their shared widgets.

Pages hold no domain logic: they call the checklist, scoring, store and report modules.
``audit_app.py`` at the top of the repository is the entry point (``make run``).
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from streamlit.navigation.page import StreamlitPage


def _start_alias() -> None:
    """``/start``: the start page is the app's root (``/``), but a bookmark of ``/start`` must
    not say "Page not found"."""
    import streamlit as st

    from homeaudit.app.state import PAGE_FILES

    st.switch_page(str(PAGE_FILES["start"]), query_params=st.query_params.to_dict())


def wide_layout(url_path: str) -> bool:
    """Results, and the walkthrough in compact rows (a question and its answer side by side), use
    the screen's width; the other pages read better in a narrow column."""
    if url_path in ("results", "overview"):  # the practice overview: figures and charts side by side
        return True
    if url_path != "walkthrough":
        return False
    from homeaudit.app import state, view
    from homeaudit.store import StoreError

    audit_id = state.current_audit_id()
    ot = False
    if audit_id:
        with contextlib.suppress(StoreError):  # the page says what is wrong
            ot = state.get_store().load_audit(audit_id).auditor.role == "ot"
    return view.current(default_compact=ot).compact


def pages() -> list[StreamlitPage]:
    """The app's pages for ``st.navigation``, in menu order (and ``/start``, kept out of the menu)."""
    import streamlit as st

    from homeaudit.app.state import PAGE_FILES

    return [
        st.Page(PAGE_FILES["start"], title="Start", icon=":material/home:", url_path="home", default=True),
        st.Page(_start_alias, title="Start", url_path="start", visibility="hidden"),
        st.Page(PAGE_FILES["walkthrough"], title="Walkthrough", icon=":material/checklist:", url_path="walkthrough"),
        st.Page(PAGE_FILES["results"], title="Results", icon=":material/bar_chart:", url_path="results"),
        st.Page(PAGE_FILES["audits"], title="Audits", icon=":material/folder_open:", url_path="audits"),
        st.Page(
            PAGE_FILES["overview"],
            title="Practice overview",
            icon=":material/insights:",
            url_path="overview",
        ),
    ]
