"""Entry point: the visitor's language, page config, navigation, the shared sidebar with the sign-in form,
and a banner when the store cannot be written (or read)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboard import auth, briefing, data, state
from geodata.accounts import login_required
from geodata.errors import EnvmapError
from geodata.i18n import t

PAGES = Path(__file__).resolve().parent / "app_pages"
MAP_PAGES = ("overview", "water", "groundwater", "zones", "enterprises")
# a leader's laptop (1280×720) should see the figures and the top of the map without scrolling
PAGE_CSS = """<style>
.block-container { padding-top: 2.2rem; padding-bottom: 2rem; }
h1 { font-size: 1.9rem !important; padding-top: 0.2rem !important; }
h2 { font-size: 1.35rem !important; }
h3 { font-size: 1.15rem !important; }
</style>"""

state.start_run()
st.set_page_config(page_title=t("app_title"), page_icon="🗺️", layout="wide")
try:
    data.store()
except EnvmapError as exc:  # the store cannot be opened at all: say why, show nothing half-loaded
    st.error(t("store_banner_unavailable", message=str(exc)))
    st.stop()
if login_required() and auth.user() is None:  # ENVMAP_REQUIRE_LOGIN=1: nothing before sign-in
    st.title(t("app_title"))
    st.info(t("auth_required"))
    auth.sidebar()
    st.stop()
pages = {
    name: st.Page(PAGES / f"{name}.py", title=t(f"page_{name}"), url_path=name)
    for name in ("overview", "water", "groundwater", "zones", "enterprises", "tasks", "air", "monitoring", "sources")
}
# report pages: one per section, enterprise and county, opened by their links (?section= / ?enterprise= / ?county=)
REPORTS = ("section_report", "enterprise_report", "county_report")
pages |= {name: st.Page(PAGES / f"{name}.py", title=t(f"page_{name}"), url_path=name, visibility="hidden")
          for name in REPORTS}
# "/" opens 总览 at its own address, so /overview is a real link (the default page has no path of its own)
home = st.Page(PAGES / "home.py", title=t("page_overview"), default=True, visibility="hidden")
current = st.navigation([home, *pages.values()])
st.markdown(PAGE_CSS, unsafe_allow_html=True)
briefing.apply_mode()
page_name = next((name for name, page in pages.items() if page.url_path == current.url_path), "overview")
if page_name == "county_report":  # a shared link names the county: the sidebar follows it
    state.adopt_url_area()
state.sidebar(show_layers=page_name in MAP_PAGES, show_basemap=page_name in MAP_PAGES)
auth.sidebar()
store_state = data.store_status()
if not store_state.readable:
    st.error(t("store_banner_unreadable", message=store_state.message))
    st.stop()
elif not store_state.writable:
    st.warning(t("store_banner_read_only", message=store_state.message))
elif store_state.message:
    st.info(store_state.message)
if data.table("documents").empty:
    st.info(t("store_empty"))
current.run()
