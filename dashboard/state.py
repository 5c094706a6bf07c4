"""The sidebar every page shares, kept in the URL so a link reproduces the view.

URL keys: ``city``, ``county``, ``year``, ``asof`` (YYYY-MM-DD), ``basemap``, ``layers``
(comma-separated layer ids), ``lang``. Widgets read their defaults from the URL and write
their values back, so copying the address bar copies the view.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import streamlit as st

from dashboard.components.mapview import BASEMAP_LABELS, BASEMAPS
from geodata import admin
from geodata.i18n import set_language, t
from geodata.views import Area

YEARS = (2020, 2021, 2022, 2023, 2024, 2025)
DEFAULT_YEAR = 2023
LAYERS = {
    "sections": "考核断面",
    "reaches": "河段（按断面水质着色）",
    "groundwater": "地下水点位",
    "drinking": "饮用水水源",
    "enterprises": "重点企业",
    "zones": "禁煤区",
    "towns": "乡镇名称",
}
DEFAULT_LAYERS = ("sections", "reaches", "groundwater", "enterprises", "zones")


@dataclass
class ViewState:
    area: Area
    year: int
    as_of: dt.date
    basemap: str
    layers: set[str] = field(default_factory=set)
    tianditu_key: str = ""

    @property
    def display_crs(self) -> str:
        return "gcj02" if self.basemap == "gaode" else "wgs84"


def _param(name: str, default: str = "") -> str:
    """The URL's value, else the value chosen on the previous page, else ``default``.

    Switching pages clears the URL's query string and page widgets are per page, so the
    view is also kept in the session: a county chosen on 总览 is still chosen on 水环境.
    """
    value = st.query_params.get(name)
    if isinstance(value, str) and value:
        return value
    saved = st.session_state.get("envmap_view", {}).get(name)
    return saved if isinstance(saved, str) and saved else default


def sidebar(*, show_layers: bool = True, show_basemap: bool = True) -> ViewState:
    """Render the shared sidebar and return the view it selects."""
    lang = _param("lang", "zh")
    set_language(lang)
    sb = st.sidebar
    sb.markdown(f"### {t('app_title')}")

    cities = list(admin.CITY_COUNTIES)
    city_options = ["", *cities]
    city = _param("city")
    city = sb.selectbox(
        t("sidebar_city"), city_options, index=city_options.index(city) if city in city_options else 0,
        format_func=lambda c: c or t("all_cities"), key="state_city",
    )
    county_options = ["", *admin.CITY_COUNTIES.get(city, ())] if city else [""]
    county = _param("county")
    county = sb.selectbox(
        t("sidebar_county"), county_options, index=county_options.index(county) if county in county_options else 0,
        format_func=lambda c: c or t("all_counties"), key=f"state_county_{city}", disabled=not city,
    )
    year_text = _param("year", str(DEFAULT_YEAR))
    year = int(year_text) if year_text.isdigit() and int(year_text) in YEARS else DEFAULT_YEAR
    year = sb.selectbox(t("sidebar_year"), YEARS, index=YEARS.index(year), key="state_year")
    try:
        as_of_default = dt.date.fromisoformat(_param("asof"))
    except ValueError:
        as_of_default = dt.date.today()
    as_of = sb.date_input(t("sidebar_asof"), as_of_default, key="state_asof", help=t("sidebar_asof_help"))

    basemap = _param("basemap", "offline")
    basemap = basemap if basemap in BASEMAPS else "offline"
    layers_param = _param("layers")
    selected = set(layers_param.split(",")) & set(LAYERS) if layers_param else set(DEFAULT_LAYERS)
    if show_layers:
        with sb.expander(t("sidebar_layers"), expanded=False):
            selected = {
                layer_id for layer_id, label in LAYERS.items()
                if st.checkbox(label, value=layer_id in selected, key=f"state_layer_{layer_id}")
            }
    if show_basemap:
        basemap = sb.radio(
            t("sidebar_basemap"), BASEMAPS, index=BASEMAPS.index(basemap), format_func=BASEMAP_LABELS.get,
            key="state_basemap", help=t("sidebar_basemap_help"),
        )
    key = ""
    try:
        key = st.secrets.get("tianditu_key", "")  # type: ignore[assignment]
    except Exception:  # noqa: BLE001 - no secrets file is the normal case
        key = ""
    import os

    key = key or os.environ.get("ENVMAP_TIANDITU_KEY", "")
    if basemap == "tianditu" and not key:
        sb.warning(t("tianditu_no_key"))

    new_lang = sb.radio("Language / 语言", ("zh", "en"), index=0 if lang == "zh" else 1, horizontal=True,
                        format_func=lambda x: "中文" if x == "zh" else "English", key="state_lang")
    params = {
        "city": city, "county": county, "year": str(year), "asof": as_of.isoformat(), "basemap": basemap,
        "layers": ",".join(sorted(selected)), "lang": new_lang,
    }
    st.session_state["envmap_view"] = params
    for name, value in params.items():
        if value and st.query_params.get(name) != value:
            st.query_params[name] = value
        elif not value and name in st.query_params:
            del st.query_params[name]
    if new_lang != lang:
        set_language(new_lang)
        st.rerun()
    return ViewState(Area(city, county), int(year), as_of, basemap, selected, key)
