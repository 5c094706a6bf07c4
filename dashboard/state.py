"""The view every page shares: area, year, as-of date, layers, basemap, language.

The sidebar is drawn once per run by ``app.py`` (widgets of the entry script keep their value
across pages) and kept in the visitor's session; pages read it with :func:`view`. Nothing
here lives in module globals, so two visitors never see each other's choices.

The view is mirrored in the URL (``city``, ``county``, ``year``, ``asof``, ``basemap``,
``layers``, ``lang``): copying the address bar copies the view, and a link opens it.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field

import streamlit as st

from dashboard import data
from dashboard.components.mapview import BASEMAPS
from geodata.areas import Area
from geodata.i18n import LANGUAGES, set_language, t

LAYERS = ("sections", "reaches", "groundwater", "drinking", "enterprises", "zones", "towns")
DEFAULT_LAYERS = ("sections", "reaches", "groundwater", "enterprises", "zones")
URL_KEYS = ("city", "county", "year", "asof", "basemap", "layers", "lang")
_STATE = "envmap_view"
_KEPT = "envmap_kept_widgets"
_ADOPTED = "envmap_adopted_area"  # the area a report link named, once the sidebar followed it


@dataclass(frozen=True)
class ViewState:
    area: Area
    year: int
    as_of: dt.date
    basemap: str
    layers: frozenset[str] = field(default_factory=frozenset)
    tianditu_key: str = ""
    language: str = "zh"

    @property
    def display_crs(self) -> str:
        return "gcj02" if self.basemap == "gaode" else "wgs84"


def _url(name: str) -> str:
    value = st.query_params.get(name)
    return value if isinstance(value, str) else ""


def start_run() -> str:
    """Set this run's language from the visitor's choice (session, else the URL); returns it."""
    chosen = st.session_state.get("state_lang") or st.session_state.get(_KEPT, {}).get("state_lang") or _url("lang") or "zh"
    language = chosen if chosen in LANGUAGES else "zh"
    set_language(language)
    return language


def default_year(years: list[int], with_results: list[int], today: dt.date | None = None) -> int:
    """The latest year (not in the future) with targets or data; else the latest year offered."""
    today = today or dt.date.today()
    for candidates in ([y for y in with_results if y in years and y <= today.year], [y for y in years if y <= today.year]):
        if candidates:
            return max(candidates)
    return min(years) if years else today.year


def default_view() -> ViewState:
    """The view of a visitor who chose nothing (no URL parameters, nothing in the session): the whole area,
    the default year, today, the offline basemap and the default layers."""
    years = data.years() or [dt.date.today().year]
    return ViewState(Area("", ""), default_year(years, data.years_with_results()), dt.date.today(), "offline",
                     frozenset(DEFAULT_LAYERS))


def _tianditu_key() -> str:
    try:
        key = str(st.secrets.get("tianditu_key", ""))
    except Exception:  # noqa: BLE001 - no secrets file is the normal case
        key = ""
    return key or os.environ.get("ENVMAP_TIANDITU_KEY", "")


def _index(options: list, value: object, default: int = 0) -> int:
    return options.index(value) if value in options else default


def wkey(name: str) -> str:
    """The session key of a widget whose option labels are translated.

    Streamlit keeps a choice by its *label*: after a language switch the browser would send back a
    Chinese label the English options no longer have. Such widgets get a key per language, and
    start from the choice kept in the session or the URL (raw values), never from a stale label.
    """
    from geodata.i18n import language

    lang = language()
    return name if lang == "zh" else f"{name}.{lang}"


def _initial(key: str, from_url: object) -> object:
    """A widget's value: what the visitor chose (session), else what the URL says.

    Passing the same default on every run keeps the widget's identity stable across pages.
    """
    if wkey(key) in st.session_state:
        return st.session_state[wkey(key)]
    return st.session_state.get(_KEPT, {}).get(key, from_url)


def _keep(**values: object) -> None:
    """Remember widget values beyond the runs that draw them (a page without the layer list must
    not forget the layers chosen on the map pages)."""
    st.session_state.setdefault(_KEPT, {}).update(values)


def sidebar(*, show_layers: bool, show_basemap: bool) -> ViewState:
    """Draw the shared filters in the sidebar and return (and remember) the view they select."""
    sb = st.sidebar
    areas = data.areas()
    years = data.years() or [dt.date.today().year]

    city_options = ["", *areas]
    city = sb.selectbox(
        t("sidebar_city"), city_options, index=_index(city_options, _initial("state_city", _url_city(areas))),
        format_func=lambda c: c or t("all_cities"), key=wkey("state_city"),
    )
    county_options = ["", *areas.get(city, [])] if city else [""]
    county = sb.selectbox(
        t("sidebar_county"), county_options, index=_index(county_options, _initial(f"state_county_{city}", _url("county"))),
        format_func=lambda c: c or t("all_counties"), key=wkey(f"state_county_{city}"), disabled=not city,
        help=None if city else t("sidebar_county_help"),
    )
    defaults = default_view()
    url_year = int(_url("year")) if _url("year").isdigit() else None
    year = sb.selectbox(
        t("sidebar_year"), years, index=_index(years, _initial("state_year", url_year), years.index(defaults.year)), key="state_year",
        help=t("sidebar_year_help"),
    )
    try:
        as_of_default = dt.date.fromisoformat(_url("asof"))
    except ValueError:
        as_of_default = defaults.as_of
    as_of = sb.date_input(t("sidebar_asof"), _initial("state_asof", as_of_default), key="state_asof", help=t("sidebar_asof_help"),
                          format="YYYY-MM-DD")

    url_layers = set(_url("layers").split(",")) & set(LAYERS) if _url("layers") else set(DEFAULT_LAYERS)
    selected = {layer for layer in LAYERS if _initial(f"state_layer_{layer}", layer in url_layers)}
    if show_layers:
        with sb.expander(t("sidebar_layers"), expanded=False):
            selected = {
                layer for layer in LAYERS
                if st.checkbox(t(f"layer_{layer}"), value=bool(_initial(f"state_layer_{layer}", layer in url_layers)),
                               key=f"state_layer_{layer}")
            }
    basemap = str(_initial("state_basemap", _url("basemap") if _url("basemap") in BASEMAPS else "offline"))
    if show_basemap:
        basemap = sb.radio(
            t("sidebar_basemap"), BASEMAPS, index=_index(list(BASEMAPS), basemap), format_func=lambda b: t(f"basemap_{b}"),
            key=wkey("state_basemap"), help=t("sidebar_basemap_help"),
        )
    key = _tianditu_key()
    if show_basemap and basemap == "tianditu" and not key:
        sb.warning(t("tianditu_no_key"))

    language = sb.radio(
        "Language / 语言", LANGUAGES, index=_index(list(LANGUAGES), _initial("state_lang", _url("lang") or "zh")), horizontal=True,
        format_func=lambda x: "中文" if x == "zh" else "English", key="state_lang",
    )
    _keep(state_city=city, **{f"state_county_{city}": county}, state_year=year, state_asof=as_of, state_basemap=basemap,
          state_lang=language, **{f"state_layer_{layer}": layer in selected for layer in LAYERS})
    state = ViewState(Area(city, county), int(year), as_of, basemap, frozenset(selected), key, language)
    st.session_state[_STATE] = state
    _write_url(state)
    return state


def _url_city(areas: dict[str, list[str]]) -> str:
    """The URL's city, or the city of the URL's county (a link may name only the county: ?county=襄垣县)."""
    if _url("city"):
        return _url("city")
    county = _url("county")
    return next((city for city, counties in areas.items() if county and county in counties), "")


def adopt_url_area() -> None:
    """Make the sidebar show the area the URL names (a report link opened from another page), before it is drawn."""
    areas = data.areas()
    county, city = _url("county"), _url_city(areas)
    if not county or county not in areas.get(city, []) or st.session_state.get(_ADOPTED) == (city, county):
        return  # nothing named, or already followed (the visitor's own change in the sidebar wins)
    st.session_state[_ADOPTED] = (city, county)
    # the widgets start from the kept values (setting their own keys would clash with their defaults)
    for key in (wkey("state_city"), wkey(f"state_county_{city}")):
        st.session_state.pop(key, None)
    st.session_state.setdefault(_KEPT, {}).update({"state_city": city, f"state_county_{city}": county})


def _write_url(state: ViewState) -> None:
    params = {
        "city": state.area.city, "county": state.area.county, "year": str(state.year), "asof": state.as_of.isoformat(),
        "basemap": state.basemap if state.basemap != "offline" else "", "lang": state.language if state.language != "zh" else "",
        "layers": ",".join(sorted(state.layers)) if set(state.layers) != set(DEFAULT_LAYERS) else "",
    }
    for name, value in params.items():
        if value and st.query_params.get(name) != value:
            st.query_params[name] = value
        elif not value and name in st.query_params:
            del st.query_params[name]


def view() -> ViewState:
    """The view the sidebar selected in this run."""
    state = st.session_state.get(_STATE)
    if not isinstance(state, ViewState):
        raise RuntimeError("dashboard.state.sidebar() must run before a page reads the view")
    return state


def page_params(name: str) -> str:
    """A page's own URL parameter (filters that are not part of the shared view)."""
    return _url(name)


def set_page_param(name: str, value: str) -> None:
    if value:
        if st.query_params.get(name) != value:
            st.query_params[name] = value
    elif name in st.query_params:
        del st.query_params[name]
