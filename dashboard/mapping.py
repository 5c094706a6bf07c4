"""Assembling a page's map: basemap, frame, legend and the layers a page asks for.

This is the only place that turns view state into a folium map; pages call
:func:`base_map` and then add their own layers with ``dashboard.components.layers``.
"""

from __future__ import annotations

import folium

from dashboard import data
from dashboard.assets import ensure_vendor_assets, static_url
from dashboard.components import mapview, style
from dashboard.state import ViewState
from geodata.geo.crs import wgs84_to_gcj02
from geodata.i18n import t

# `envmap serve` and `make` have copied the files already; a plain `streamlit run` gets them
# here, on the first import, before any map refers to them (a no-op when they are in place).
ensure_vendor_assets()


def assets() -> dict[str, str]:
    """Leaflet's files as the map iframe loads them: relative URLs, right under any base path."""
    return {
        "leaflet_js": static_url("vendor/leaflet/leaflet.js"),
        "leaflet_css": static_url("vendor/leaflet/leaflet.css"),
        "markercluster_js": static_url("vendor/markercluster/leaflet.markercluster.js"),
        "markercluster_css": static_url("vendor/markercluster/MarkerCluster.css"),
        "markercluster_default_css": static_url("vendor/markercluster/MarkerCluster.Default.css"),
    }


def to_display(state: ViewState):  # noqa: ANN201
    """A function shifting WGS84 lon/lat to what the basemap expects (GCJ-02 for Gaode)."""
    if state.display_crs == "gcj02":
        return lambda lon, lat: tuple(float(v) for v in wgs84_to_gcj02(lon, lat))
    return None


def base_map(state: ViewState, *, title: str, sample: bool, height: int = 660) -> folium.Map:
    """The map every page starts from: fitted to the area, basemap, frame."""
    base = data.basemap(state.area, state.display_crs)
    m = mapview.new_map(base["bounds"], assets=assets(), height=height)
    mapview.add_tiles(m, state.basemap, state.tianditu_key)
    mapview.add_vector_basemap(
        m, counties=base["counties"], cities=base["cities"], rivers=base["rivers"],
        yellow_river=base["yellow_river"], filled=state.basemap == "offline",
    )
    labels = [lab for lab in base["labels"] if lab[3] != "town" or "towns" in state.layers]
    mapview.add_labels(m, labels)
    note = t("map_note", area=state.area.label, year=state.year, asof=state.as_of.isoformat())
    mapview.add_frame(m, title=title, data_note=note, sample=sample, sample_text=t("sample_watermark"))
    return m


def water_legend(sample: bool) -> str:
    classes = [(mapview.swatch(c, "circle"), f"{k}类") for k, c in style.CLASS_COLORS.items()]
    classes.append((mapview.swatch(style.NO_DATA_COLOR, "circle"), "无数据"))
    marks = [
        (mapview.swatch("#fff", "circle", border="#43a047", symbol="✓"), "达标（外圈 = 目标类别）"),
        (mapview.swatch("#fff", "circle", border="#e53935", symbol="✗"), "未达标"),
        (mapview.swatch("#fff", "circle", symbol="?"), "无数据"),
        (mapview.swatch("#fff", "circle", symbol="∅"), "断流/未监测"),
        (mapview.swatch("#fff", "circle", dashed=True), "近似位置（虚线）"),
    ]
    footer = ["填色 = 实测类别；外圈 = 目标类别"]
    if sample:
        footer.append("示例数据（非实测）")
    return mapview.legend_html("水质类别（GB 3838-2002）", [("", classes), ("符号", marks)], footer)


def add_legend(m: folium.Map, legend: str) -> None:
    mapview.add_overlay(m, legend, "bottomleft", "envmap-legend")
