"""The address "/" opens 总览 at /overview, keeping the link's view (query parameters)."""

import streamlit as st

st.switch_page("app_pages/overview.py", query_params=st.query_params.to_dict())
