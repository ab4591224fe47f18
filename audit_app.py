"""homeaudit's app: `make run` (streamlit run audit_app.py). Only the navigation lives here."""

import streamlit as st

from homeaudit.app import pages
from homeaudit.app.widgets import phone_menu, setup_page

setup_page()
page = st.navigation(pages(), position="top")
phone_menu()
page.run()
