"""homeaudit's app: `make run` (streamlit run audit_app.py). Only the navigation lives here."""

import streamlit as st

from homeaudit.app import pages, signin, wide_layout
from homeaudit.app.widgets import page_layout, phone_menu, setup_page

setup_page()  # before the navigation: its page icons must not become the favicon
who = signin.require_signin()  # with sign-in on, no page (nor its menu) before a linked user is signed in
if who is None:
    st.stop()
page = st.navigation(pages(), position="top")
page_layout(wide=wide_layout(page.url_path))
phone_menu()
signin.show_who(who)
page.run()
