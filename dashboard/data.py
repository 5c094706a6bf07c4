"""All caching of the dashboard: the store as a resource, views and GeoJSON as data.

Every cached function takes the store's ``data_version`` so an import shows up on the next
rerun without a restart; GeoJSON is prepared once per layer, area and display CRS
(rounded to ~1 m, simplified where it is only drawn).
"""

from __future__ import annotations

import datetime as dt
import html
import json
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely
import streamlit as st

from geodata import views
from geodata.geo.crs import transform_geometry, wgs84_to_gcj02
from geodata.store import Store, open_store

DECIMALS = 5
CHINA_BOUNDS = (73.5, 18.0, 135.0, 53.5)  # the map's extent when the store has no boundaries yet


@st.cache_resource(show_spinner="正在打开数据库…")
def store() -> Store:
    return open_store()


def version() -> int:
    return store().data_version()


@st.cache_data(show_spinner=False, max_entries=64)
def _table(name: str, data_version: int) -> pd.DataFrame:
    return store().read_table(name)


def table(name: str) -> pd.DataFrame:
    """Table ``name`` from the store; refreshed whenever the data changes."""
    return _table(name, version())


# the attributes pages read from each map layer: a layer that is missing (an empty store) still has them
LAYER_COLUMNS = {
    "admin_units": ["name", "level", "city"],
    "china_counties": ["name", "level", "city", "province"],
    "china_cities": ["name", "level", "city", "province"],
    "rivers": ["name"],
    "towns": ["name", "county"],
    "yellow_river_surface": [],
    "reaches": ["river", "governing_section_id", "governing_section_name"],
    "no_coal_zone_areas": ["id", "label", "area_name", "note", "source", "exclusions"],
}


@st.cache_data(show_spinner=False, max_entries=16)
def _layer(name: str, data_version: int) -> gpd.GeoDataFrame:
    frame = store().read_layer(name)
    missing = [c for c in LAYER_COLUMNS.get(name, []) if c not in frame.columns]
    for column in missing:
        frame[column] = pd.Series(dtype=object)
    return frame


def layer(name: str) -> gpd.GeoDataFrame:
    return _layer(name, version())


@st.cache_data(show_spinner=False, max_entries=8)
def _updates(data_version: int) -> pd.DataFrame:
    return store().task_updates()


def updates() -> pd.DataFrame:
    return _updates(version())


@st.cache_data(show_spinner=False, max_entries=8)
def _evaluations(data_version: int) -> pd.DataFrame | None:
    try:
        from geodata.quality.evaluations import section_evaluations
    except ImportError:
        return None
    return section_evaluations(store(), "month")


def evaluations() -> pd.DataFrame | None:
    return _evaluations(version())


@st.cache_data(show_spinner=False, max_entries=64)
def _sections(area: views.Area, year: int, month: int | None, data_version: int) -> pd.DataFrame:
    return views.sections_view(table("sections"), table("section_targets"), evaluations(), year=year, area=area,
                               month=month, documents=table("documents"))


def sections(area: views.Area, year: int, month: int | None = None) -> pd.DataFrame:
    """Sections of ``area`` with the target of ``year`` and the class of the year (or of ``month``)."""
    return _sections(area, year, month, version())


@st.cache_data(show_spinner=False, max_entries=64)
def _tasks(area: views.Area, as_of: dt.date, year: int | None, data_version: int) -> pd.DataFrame:
    return views.tasks_view(table("tasks"), updates(), as_of=as_of, area=area, year=year, plans=table("plans"))


def tasks(area: views.Area, as_of: dt.date, year: int | None = None) -> pd.DataFrame:
    """Tasks attributed to ``area`` (of the plans covering ``year``; all plans when None), status as of ``as_of``."""
    return _tasks(area, as_of, year, version())


@st.cache_data(show_spinner=False, max_entries=64)
def _enterprises(area: views.Area, as_of: dt.date, data_version: int) -> pd.DataFrame:
    return views.enterprises_view(table("enterprises"), updates(), as_of=as_of, area=area, documents=table("documents"))


def enterprises(area: views.Area, as_of: dt.date) -> pd.DataFrame:
    return _enterprises(area, as_of, version())


@st.cache_data(show_spinner=False, max_entries=8)
def _years(data_version: int) -> list[int]:
    measured = store().read_measurements()
    years = sorted({int(d[:4]) for d in measured["date"].astype(str) if d[:4].isdigit()}) if len(measured) else []
    return views.available_years(table("section_targets"), table("plans"), years)


def years() -> list[int]:
    """The years the data speak of (targets, plan periods, measurements)."""
    return _years(version())


@st.cache_data(show_spinner=False, max_entries=8)
def _years_with_results(data_version: int) -> list[int]:
    measured = store().read_measurements()
    years = {int(d[:4]) for d in measured["date"].astype(str) if d[:4].isdigit()} if len(measured) else set()
    targets = table("section_targets")
    years |= {int(float(y)) for y in targets["year"] if str(y).strip()} if len(targets) else set()
    return sorted(years)


def years_with_results() -> list[int]:
    """Years with targets or measurements: the ones worth opening first."""
    return _years_with_results(version())


@st.cache_data(show_spinner=False, max_entries=8)
def _areas(data_version: int) -> dict[str, list[str]]:
    from geodata.areas import attribute_sites, attribute_tasks

    documents = table("documents")
    pairs: set[tuple[str, str]] = set()
    for name in ("sections", "enterprises", "groundwater_points", "drinking_water_sources"):
        frame = attribute_sites(table(name), documents)
        if len(frame):
            pairs.update(zip(frame["area_city"], frame["area_county"], strict=True))
    tasks_frame = attribute_tasks(table("tasks"))
    if len(tasks_frame):
        pairs.update(zip(tasks_frame["area_city"], tasks_frame["area_county"], strict=True))
    return views.areas_of(documents, pairs)


def areas() -> dict[str, list[str]]:
    """city → its county-level units, for the cities the data concern."""
    return _areas(version())


# -- GeoJSON for the map --------------------------------------------------------------------


def _to_display(geoms: gpd.GeoSeries, display_crs: str) -> gpd.GeoSeries:
    if display_crs == "gcj02":  # a display copy for Gaode tiles; stored data stay WGS84
        return geoms.apply(lambda g: transform_geometry(g, wgs84_to_gcj02))
    return geoms


def frame_geojson(frame: gpd.GeoDataFrame, properties: list[str], display_crs: str = "wgs84", tolerance: float = 0.0,
                  *, escape: bool = True) -> dict[str, Any]:
    """A compact FeatureCollection: chosen properties, rounded (and optionally simplified) geometry.

    Text properties are HTML-escaped (``escape``): Leaflet tooltips insert them as markup.
    """
    geoms = frame.geometry
    if tolerance:
        geoms = geoms.simplify(tolerance, preserve_topology=True)
    geoms = _to_display(geoms, display_crs)
    geoms = gpd.GeoSeries(shapely.set_precision(geoms.values, 10 ** -DECIMALS), index=frame.index, crs=frame.crs)
    props = frame.reindex(columns=properties).fillna("")
    if escape:
        for col in properties:
            if props[col].dtype == object:
                props[col] = props[col].map(lambda v: html.escape(v) if isinstance(v, str) else v)
    out = gpd.GeoDataFrame(props, geometry=geoms, crs=frame.crs)
    return json.loads(out.to_json(drop_id=True))


def _area_counties(area: views.Area) -> gpd.GeoDataFrame:
    """The county polygons of ``area``; for the whole area, those of every city the data concern.

    The detailed boundaries (``admin_units``) are used where they cover a city, the simplified
    national layer (``china_counties``) elsewhere, so a plan of any city gets its own map. A unit
    without a polygon of its own (a 开发区) is shown within its city's counties.
    """
    detailed = layer("admin_units")
    detailed = detailed[detailed["level"] == "county"] if len(detailed) else detailed
    national = layer("china_counties")
    cities = [area.city] if area.city else list(areas())

    def of_city(city: str) -> gpd.GeoDataFrame:
        here = detailed[detailed["city"] == city] if len(detailed) else detailed
        return here if len(here) or national.empty else national[national["city"] == city]

    parts = [of_city(c) for c in cities]
    parts = [p[["name", "city", "geometry"]] for p in parts if len(p)]
    if not parts:  # no city known yet (an empty store): whatever boundaries we have
        return detailed if len(detailed) else national
    counties = gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), geometry="geometry", crs="EPSG:4326")
    if area.county and (counties["name"] == area.county).any():
        counties = counties[counties["name"] == area.county]
    return counties


@st.cache_data(show_spinner=False, max_entries=32)
def _basemap(area: views.Area, display_crs: str, data_version: int) -> dict[str, Any]:
    admin_units = layer("admin_units")
    counties = _area_counties(area)
    cities = admin_units[admin_units["level"] == "city"] if "level" in admin_units else admin_units
    wanted = [area.city] if area.city else list(areas())
    national = layer("china_cities")
    missing = [c for c in wanted if not (cities["name"] == c).any()] if len(cities) else wanted
    if missing and len(national):
        cities = pd.concat([cities[["name", "geometry"]], national[national["name"].isin(missing)][["name", "geometry"]]],
                           ignore_index=True).pipe(gpd.GeoDataFrame, geometry="geometry", crs="EPSG:4326")
    if len(cities):
        cities = cities[cities["name"].isin(wanted)] if wanted else cities
    focus = counties.union_all() if len(counties) else None
    rivers = layer("rivers")
    if focus is not None and len(rivers):
        rivers = rivers[rivers.intersects(focus.buffer(0.05))].copy()
        rivers["geometry"] = rivers.intersection(focus.buffer(0.05))
    surface = layer("yellow_river_surface")
    if focus is not None and len(surface):
        surface = surface[surface.intersects(focus.buffer(0.05))]
    towns = layer("towns")
    if len(counties) and len(towns):
        towns = towns[towns["county"].isin(set(counties["name"]))]
    bounds = tuple(counties.total_bounds) if len(counties) else CHINA_BOUNDS
    county_points = counties.representative_point()
    labels = [(p.y, p.x, n, "county") for p, n in zip(_to_display(county_points, display_crs), counties["name"], strict=True)]
    town_points = _to_display(towns.geometry, display_crs)
    labels += [(p.y, p.x, n, "town") for p, n in zip(town_points, towns["name"], strict=True)]
    river_labels = []
    for _, r in rivers.iterrows():
        if r.geometry.is_empty:
            continue
        p = _to_display(gpd.GeoSeries([r.geometry.interpolate(0.5, normalized=True)]), display_crs).iloc[0]
        river_labels.append((p.y, p.x, r["name"], "river"))
    return {
        "bounds": bounds,
        "counties": frame_geojson(counties, ["name", "city"], display_crs),
        "cities": frame_geojson(cities, ["name"], display_crs),
        "rivers": frame_geojson(rivers, ["name"], display_crs, tolerance=0.0005),
        "yellow_river": frame_geojson(surface, [], display_crs, tolerance=0.0005) if len(surface) else None,
        "labels": labels + river_labels,
    }


def basemap(area: views.Area, display_crs: str) -> dict[str, Any]:
    """County polygons, city outlines, rivers and labels of ``area``, prepared for folium."""
    return _basemap(area, display_crs, version())


@st.cache_data(show_spinner=False, max_entries=32)
def _reaches(area: views.Area, display_crs: str, data_version: int) -> gpd.GeoDataFrame:
    reaches = layer("reaches")
    if reaches.empty:
        return reaches
    counties = _area_counties(area)
    if len(counties):
        reaches = reaches[reaches.intersects(counties.union_all().buffer(0.02))]
    reaches = reaches.copy()
    reaches["geometry"] = _to_display(reaches.geometry.simplify(0.0003), display_crs)
    return reaches


def reaches(area: views.Area, display_crs: str) -> gpd.GeoDataFrame:
    return _reaches(area, display_crs, version())


@st.cache_data(show_spinner=False, max_entries=32)
def _zones(area: views.Area, display_crs: str, data_version: int) -> gpd.GeoDataFrame:
    zones = layer("no_coal_zone_areas")
    if zones.empty:
        return zones
    counties = _area_counties(area)
    if len(counties):
        zones = zones[zones.intersects(counties.union_all().buffer(-0.001))]
    zones = zones.copy()
    zones["geometry"] = _to_display(zones.geometry, display_crs)
    return zones


def zones(area: views.Area, display_crs: str) -> gpd.GeoDataFrame:
    return _zones(area, display_crs, version())


@st.cache_data(show_spinner=False)
def layer_metadata() -> dict[str, dict]:
    from geodata.geo.bundle import layer_metadata as read_metadata
    from geodata.plans.dataset import data_dir

    return read_metadata(data_dir() / "geo")


@st.cache_data(show_spinner=False)
def curation() -> pd.DataFrame:
    from geodata.plans.curation import all_entries

    return pd.DataFrame(
        [{"table": k[0], "key": k[1], "field": k[2], "value": v.value, "reason": v.reason,
          "source_file": v.source_file, "source_line": v.source_line} for k, v in all_entries().items()]
    )


@st.cache_data(show_spinner=False, max_entries=8)
def _groundwater_evaluations(data_version: int) -> pd.DataFrame:
    from geodata.quality.evaluations import groundwater_evaluations

    return groundwater_evaluations(store(), "year")


@st.cache_data(show_spinner=False, max_entries=32)
def _groundwater(area: views.Area, year: int, data_version: int) -> pd.DataFrame:
    return views.groundwater_view(table("groundwater_points"), _groundwater_evaluations(data_version), year=year,
                                  area=area, documents=table("documents"))


def groundwater(area: views.Area, year: int) -> pd.DataFrame:
    """Groundwater points of ``area`` with their class of ``year`` and compliance."""
    return _groundwater(area, year, version())


@st.cache_data(show_spinner=False, max_entries=32)
def _drinking_sources(area: views.Area, data_version: int) -> pd.DataFrame:
    return views.sources_view(table("drinking_water_sources"), area=area, documents=table("documents"))


def drinking_sources(area: views.Area) -> pd.DataFrame:
    return _drinking_sources(area, version())


@st.cache_data(show_spinner=False, max_entries=64)
def _section_measurements(section_id: str, data_version: int) -> pd.DataFrame:
    return store().read_measurements(site_type="section", site_id=section_id)


def section_measurements(section_id: str) -> pd.DataFrame:
    return _section_measurements(section_id, version())


@st.cache_data(show_spinner=False, max_entries=8)
def _document_titles(data_version: int) -> dict[str, str]:
    from geodata.views import plan_name

    documents = table("documents")
    return {str(i): plan_name(str(title)) for i, title in zip(documents["id"], documents["title"], strict=True)}


def document_titles() -> dict[str, str]:
    """document id → the plan's name as a reader says it."""
    return _document_titles(version())


@st.cache_data(show_spinner=False, max_entries=16)
def _document_text(document_id: str, data_version: int) -> list[str]:
    return store().document_text(document_id)


def document_text(document_id: str) -> list[str]:
    return _document_text(document_id, version())


@st.cache_data(show_spinner=False, max_entries=32)
def _commitments(area: views.Area, as_of: dt.date, data_version: int) -> pd.DataFrame:
    return views.zones_view(table("no_coal_zones"), updates(), as_of=as_of, area=area)


def commitments(area: views.Area, as_of: dt.date) -> pd.DataFrame:
    """No-coal-zone commitments of ``area`` (and, in a county, its city's city-wide ones) with status."""
    return _commitments(area, as_of, version())


# -- figures of a period (全年 / 累计 / 当月): one frame of classes per period, shared by every part --------


@st.cache_data(show_spinner=False, max_entries=32)
def _period_classes(year: int, month: int | None, mode: str, data_version: int) -> pd.DataFrame:
    from geodata.quality.evaluations import Period, section_classes

    return section_classes(store(), Period(year, month, mode))


def period_classes(period) -> pd.DataFrame:  # noqa: ANN001 - geodata.quality.evaluations.Period
    """Every section's class for ``period`` (:func:`geodata.quality.evaluations.section_classes`)."""
    return _period_classes(period.year, period.month, period.mode, version())


@st.cache_data(show_spinner=False, max_entries=64)
def _period_sections(area: views.Area, year: int, month: int | None, mode: str, data_version: int) -> pd.DataFrame:
    from geodata.period_views import period_sections_view
    from geodata.quality.evaluations import Period

    period = Period(year, month, mode)
    return period_sections_view(table("sections"), table("section_targets"), period_classes(period), period=period,
                                area=area, documents=table("documents"))


def period_sections(area: views.Area, period) -> pd.DataFrame:  # noqa: ANN001
    """Sections of ``area`` with their class, target and compliance for ``period``."""
    return _period_sections(area, period.year, period.month, period.mode, version())


@st.cache_data(show_spinner=False, max_entries=16)
def _period_months(area: views.Area, year: int, data_version: int) -> list[int]:
    from geodata.period_views import months_with_data

    ids = sections(area, year)["id"]
    return months_with_data(evaluations(), year, list(ids))


def period_months(area: views.Area, year: int) -> list[int]:
    """The months of ``year`` with results for the sections of ``area``."""
    return _period_months(area, year, version())


@st.cache_data(show_spinner=False, max_entries=32)
def _early_warnings(year: int, month: int, data_version: int) -> pd.DataFrame:
    from geodata.quality.figures import early_warnings

    return early_warnings(store(), year, month)


def early_warnings(year: int, month: int) -> pd.DataFrame:
    """The 预警 list of every section for ``year``-``month`` (:func:`geodata.quality.figures.early_warnings`)."""
    return _early_warnings(year, month, version())


@st.cache_data(show_spinner=False, max_entries=32)
def _progress(jurisdiction: str, year: int, month: int, data_version: int) -> pd.DataFrame:
    from geodata.quality.figures import progress as progress_of

    return progress_of(store(), year, month, jurisdiction or None)


def progress(jurisdiction: str, year: int, month: int) -> pd.DataFrame:
    """时序进度 of ``jurisdiction`` ("" for every plan's) to ``month`` of ``year``."""
    return _progress(jurisdiction, year, month, version())


@st.cache_data(show_spinner=False, max_entries=8)
def _monitoring_preview(content: bytes, name: str, standard: str, year: int | None, new_sites: str, replace: bool,
                        data_version: int):  # noqa: ANN202 - a MonitoringPreview
    from geodata.quality.monitoring import preview_monitoring

    return preview_monitoring(content, name, store(), standard, replace=replace, year=year, new_sites=new_sites)


def monitoring_preview(content: bytes, name: str, standard: str, *, year: int | None = None, new_sites: str = "ask",
                       replace: bool = False):  # noqa: ANN201
    """The import's own checks of an upload, rolled back (:func:`geodata.quality.monitoring.preview_monitoring`)."""
    return _monitoring_preview(content, name, standard, year, new_sites, replace, version())
