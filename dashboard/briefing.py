"""Exports of the view on screen, and the screenshot mode.

``export_button(subject, filters)`` is the one call a map page makes: a popover with the layout
(16:9 slide, A4 portrait, A4 landscape), the format (PNG for the screen, PNG at 300 dpi, PDF) and
downloads of the picture and of the workbook behind it. The export is made of the very views the
page shows (:class:`PageSource` reads ``dashboard.data``), for the visitor's area, year, as-of date,
layers, period and page filters, in the visitor's language. Files are rendered only when asked for.

``?mode=briefing`` (:func:`apply_mode`) hides Streamlit's chrome and the sidebar, enlarges the
title and legend and fits the map to the selected area: a clean screenshot.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import folium
import geopandas as gpd
import pandas as pd
import streamlit as st

from dashboard import data
from dashboard.components import mapview
from dashboard.state import view, wkey
from geodata.areas import Area
from geodata.brief import PRINT_DPI, SCREEN_DPI, BriefRequest, Filters, make_brief, map_mark
from geodata.errors import EnvmapError
from geodata.i18n import language, set_language, t

MODE_PARAM = "mode"
BRIEFING = "briefing"
QUALITIES = ("png", "png300", "pdf")
LAYOUTS = ("slide", "a4", "a4-landscape")


class PageSource:
    """:class:`geodata.brief.ViewSource` over the dashboard's cached views: an export is the screen."""

    def sections(self, area: Area, year: int, month: int | None = None) -> pd.DataFrame:
        return data.sections(area, year, month)

    def period_sections(self, area: Area, period) -> pd.DataFrame:  # noqa: ANN001
        return data.period_sections(area, period)

    def period_months(self, area: Area, year: int) -> list[int]:
        return data.period_months(area, year)

    def early_warnings(self, year: int, month: int) -> pd.DataFrame:
        return data.early_warnings(year, month)

    def tasks(self, area: Area, as_of: dt.date, year: int | None = None) -> pd.DataFrame:
        return data.tasks(area, as_of, year)

    def enterprises(self, area: Area, as_of: dt.date) -> pd.DataFrame:
        return data.enterprises(area, as_of)

    def groundwater(self, area: Area, year: int) -> pd.DataFrame:
        return data.groundwater(area, year)

    def drinking_sources(self, area: Area) -> pd.DataFrame:
        return data.drinking_sources(area)

    def commitments(self, area: Area, as_of: dt.date) -> pd.DataFrame:
        return data.commitments(area, as_of)

    def table(self, name: str) -> pd.DataFrame:
        return data.table(name)

    def layer(self, name: str) -> gpd.GeoDataFrame:
        return data.layer(name)

    def sampling_dates(self) -> pd.DataFrame:
        return data.sampling_dates()

    def updates(self) -> pd.DataFrame:
        return data.events()

    def years(self) -> list[int]:
        return data.years()

    def years_with_results(self) -> list[int]:
        return data.years_with_results()

    def areas(self) -> dict[str, list[str]]:
        return data.areas()


def request_for(subject: str, *, filters: Filters | None = None, month: int | None = None, layout: str = "slide",
                quality: str = "png", area: Area | None = None, period=None) -> BriefRequest:  # noqa: ANN001
    """The export of the visitor's view (area, year, as-of date, layers) with a page's period and filters
    (``period``: the water pages' 全年/当月/累计; else ``month`` for 当月, none for 全年)."""
    state = view()
    cumulative = False
    if period is not None:
        month = period.month if period.mode != "year" else None
        cumulative = period.mode == "ytd"
    return BriefRequest(
        area=area if area is not None else state.area, subject=subject, year=state.year, month=month or None,
        cumulative=cumulative,
        as_of=state.as_of, layout=layout, fmt="pdf" if quality == "pdf" else "png",
        dpi=PRINT_DPI if quality in ("png300", "pdf") else SCREEN_DPI, layers=frozenset(state.layers),
        filters=filters or Filters(), map_mark=map_mark(),
    )


def _deferred(request: BriefRequest, part: str) -> Callable[[], bytes]:
    """The bytes of an export, made when the visitor clicks (in Streamlit's worker thread: the visitor's
    language is set there for this call only)."""
    chosen = language()

    def build() -> bytes:
        set_language(chosen)
        try:
            made = make_brief(PageSource(), request)
        except EnvmapError as exc:  # e.g. the Chinese font is missing: say so in the file, never a traceback
            return str(exc).encode("utf-8")
        return made.image if part == "image" else made.workbook

    return build


def export_button(subject: str, filters: Filters | None = None, *, month: int | None = None, key: str = "",
                  subjects: tuple[str, ...] = (), period=None) -> None:  # noqa: ANN001 - quality.evaluations.Period
    """The page's export popover; ``subjects`` offers a choice (总览: water map or 挂图作战)."""
    if is_on():
        return
    key = key or subject
    with st.popover(t("br_export"), icon=":material/download:"):
        st.caption(t("br_export_help"))
        chosen = subject
        if subjects:
            chosen = st.radio(t("br_export_subject"), subjects, format_func=lambda s: t(f"br_subject_{s}"),
                              key=wkey(f"brief_subject_{key}"), horizontal=True)
        layout = st.radio(t("br_export_layout"), LAYOUTS, format_func=lambda x: t(f"br_layout_{x}"),
                          key=wkey(f"brief_layout_{key}"), horizontal=True)
        quality = st.radio(t("br_export_quality"), QUALITIES, format_func=lambda x: t(f"br_quality_{x}"),
                           key=wkey(f"brief_quality_{key}"), horizontal=True)
        try:
            request = request_for(chosen, filters=filters, month=month, layout=layout, quality=quality, period=period)
        except EnvmapError as exc:
            st.error(str(exc))
            return
        ext = request.fmt
        mime = "application/pdf" if ext == "pdf" else "image/png"
        c1, c2 = st.columns(2)
        c1.download_button(t("br_download_image", fmt=ext.upper()), _deferred(request, "image"),
                           f"{request.file_stem}.{ext}", mime, key=f"brief_dl_image_{key}", on_click="ignore",
                           type="primary")
        c2.download_button(t("br_download_workbook"), _deferred(request, "workbook"), f"{request.file_stem}.xlsx",
                           "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           key=f"brief_dl_workbook_{key}", on_click="ignore")
        st.caption(t("br_export_same", asof=request.as_of.isoformat()))


# -- screenshot mode ------------------------------------------------------------------------------

BRIEFING_PAGE_CSS = """<style>
header[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"],
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stSidebarNav"],
[data-testid="stExpandSidebarButton"], footer { display: none !important; }
.block-container { padding-top: 1rem !important; max-width: 100% !important; }
h1 { font-size: 2.6rem !important; }
</style>"""

BRIEFING_MAP_CSS = """
.envmap-title-box .envmap-title { font-size: 26px !important; padding: 6px 16px !important; }
.envmap-legend { font-size: 15px !important; line-height: 21px !important; max-width: 320px !important; }
.envmap-legend-toggle { font-size: 17px !important; }
.envmap-swatch { width: 18px !important; height: 18px !important; }
.envmap-note { font-size: 13px !important; }
.envmap-label.county { font-size: 16px !important; }
"""


def is_on() -> bool:
    """Whether the visitor opened the page in screenshot mode (``?mode=briefing``)."""
    value = st.query_params.get(MODE_PARAM)
    return value == BRIEFING


def apply_mode() -> None:
    """In screenshot mode, hide Streamlit's chrome and the sidebar and enlarge the title (page CSS)."""
    if is_on():
        st.markdown(BRIEFING_PAGE_CSS, unsafe_allow_html=True)


def style_map(m: folium.Map) -> None:
    """In screenshot mode, enlarge the map's title and legend (inside the map's frame)."""
    if is_on():
        m.get_root().header.add_child(mapview.Html(f"<style>{BRIEFING_MAP_CSS}</style>"), name="envmap_briefing_css")


# -- pictures for the report pages ----------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=32)
def _brief_png(request: BriefRequest, lang: str, data_version: int) -> bytes:
    set_language(lang)
    return make_brief(PageSource(), request).image


def brief_png(request: BriefRequest) -> bytes:
    """An export as PNG bytes for a report page (cached per request, language and data version)."""
    return _brief_png(request, language(), data.version())
