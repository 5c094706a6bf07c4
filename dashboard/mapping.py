"""Assembling a page's map: basemap, frame, legend and the layers a page asks for.

This is the only place that turns view state into a folium map; pages call
:func:`base_map` and then add their own layers with ``dashboard.components.layers``.
"""

from __future__ import annotations

import folium

from dashboard import briefing, data
from dashboard.assets import ensure_vendor_assets, static_url
from dashboard.components import mapview, style, vector
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
        yellow_river=base["yellow_river"], decimals=base["decimals"], filled=state.basemap == "offline",
    )
    labels = [lab for lab in base["labels"] if lab[3] != "town" or "towns" in state.layers]
    mapview.add_labels(m, labels)
    note = t("map_note", area=state.area.label, year=state.year, asof=state.as_of.isoformat())
    mapview.add_frame(m, title=title, data_note=note, sample=sample, sample_text=t("sample_watermark"))
    briefing.style_map(m)  # ?mode=briefing: larger title and legend
    return m


def scale(state: ViewState) -> tuple[float, int]:
    """The simplification tolerance (degrees) and coordinate decimals of the area's map at screen resolution."""
    _, tolerance, decimals = data.scale_of(state.area)
    return tolerance, decimals


def show(m: folium.Map, *, key: str, height: int, returned_objects: list[str] | None = None) -> dict | None:
    """Send the map to the browser (one stable ``key``, only the ``returned_objects`` a page reads), with
    the counts of what it draws for those who wait for it to be drawn."""
    from streamlit_folium import st_folium

    vector.finish(m)
    return st_folium(m, key=key, height=height, use_container_width=True, returned_objects=returned_objects or [])


def class_legend_rows(classes: tuple[str, ...] = tuple(style.CLASS_COLORS)) -> list[tuple[str, str]]:
    rows = [(mapview.swatch(style.CLASS_COLORS[k], "circle"), style.class_label(k)) for k in classes]
    rows.append((mapview.swatch(style.NO_DATA_COLOR, "circle"), t("no_data")))
    return rows


def compliance_legend_rows() -> list[tuple[str, str]]:
    return [
        (mapview.swatch("#fff", "circle", border="#43a047", symbol="✓"), t("legend_met")),
        (mapview.swatch("#fff", "circle", border="#e53935", symbol="✗"), t("compliance_not_met")),
        (mapview.swatch("#fff", "circle", symbol="?"), t("no_data")),
        (mapview.swatch("#fff", "circle", symbol="∅"), t("compliance_dry")),
        (mapview.swatch("#fff", "circle", dashed=True), t("legend_approximate")),
    ]


def water_legend(sample: bool, extra: list[tuple[str, list[tuple[str, str]]]] | None = None) -> str:
    """The water legend; ``extra`` adds headed groups (the 预警 rings)."""
    footer = [t("legend_fill_ring")]
    if sample:
        footer.append(t("sample_watermark"))
    groups = [("", class_legend_rows()), (t("legend_symbols"), compliance_legend_rows()), *(extra or [])]
    return mapview.legend_html(groups, footer)


def add_legend(m: folium.Map, title: str, body: str, bounds: tuple[float, float, float, float] | None = None) -> None:
    """The page's legend (folds at its title) and the map's fit clear of it."""
    mapview.add_legend(m, title, body, t("legend_fold_hint"), bounds)
