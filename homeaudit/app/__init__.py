"""The Streamlit app: pages (start, walkthrough, results, audits) and their shared widgets.

Pages hold no domain logic: they call the checklist, scoring, store and report modules.
``audit_app.py`` at the top of the repository is the entry point (``make run``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from streamlit.navigation.page import StreamlitPage


def pages() -> list[StreamlitPage]:
    """The app's pages for ``st.navigation``, in menu order."""
    import streamlit as st

    from homeaudit.app.state import PAGE_FILES

    return [
        st.Page(PAGE_FILES["start"], title="Start", icon=":material/home:", url_path="start", default=True),
        st.Page(PAGE_FILES["walkthrough"], title="Walkthrough", icon=":material/checklist:", url_path="walkthrough"),
        st.Page(PAGE_FILES["results"], title="Results", icon=":material/bar_chart:", url_path="results"),
        st.Page(PAGE_FILES["audits"], title="Audits", icon=":material/folder_open:", url_path="audits"),
    ]
