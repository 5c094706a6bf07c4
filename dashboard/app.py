"""Entry point: page config and navigation only."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from geodata.i18n import t

PAGES = Path(__file__).resolve().parent / "app_pages"

st.set_page_config(page_title=t("app_title"), page_icon="🗺️", layout="wide")
navigation = st.navigation(
    [
        st.Page(PAGES / "overview.py", title=t("page_overview"), default=True, url_path="overview"),
        st.Page(PAGES / "water.py", title=t("page_water"), url_path="water"),
        st.Page(PAGES / "groundwater.py", title=t("page_groundwater"), url_path="groundwater"),
        st.Page(PAGES / "zones.py", title=t("page_zones"), url_path="zones"),
        st.Page(PAGES / "enterprises.py", title=t("page_enterprises"), url_path="enterprises"),
        st.Page(PAGES / "tasks.py", title=t("page_tasks"), url_path="tasks"),
        st.Page(PAGES / "air.py", title=t("page_air"), url_path="air"),
        st.Page(PAGES / "monitoring.py", title=t("page_monitoring"), url_path="monitoring"),
        st.Page(PAGES / "sources.py", title=t("page_sources"), url_path="sources"),
    ]
)
navigation.run()
