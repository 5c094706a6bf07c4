"""All caching of the dashboard: the store as a resource, views and GeoJSON as data.

Every cached function takes the store's ``data_version`` so an import shows up on the next
rerun without a restart; GeoJSON is prepared once per layer, area and display CRS
(rounded to ~1 m, simplified where it is only drawn).
"""

from __future__ import annotations

import datetime as dt
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


@st.cache_data(show_spinner=False, max_entries=16)
def _layer(name: str, data_version: int) -> gpd.GeoDataFrame:
    return store().read_layer(name)


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
    return views.sections_view(table("sections"), table("section_targets"), evaluations(), year=year, area=area, month=month)


def sections(area: views.Area, year: int, month: int | None = None) -> pd.DataFrame:
    return _sections(area, year, month, version())


@st.cache_data(show_spinner=False, max_entries=64)
def _tasks(area: views.Area, as_of: dt.date, data_version: int) -> pd.DataFrame:
    return views.tasks_view(table("tasks"), updates(), as_of=as_of, area=area)


def tasks(area: views.Area, as_of: dt.date) -> pd.DataFrame:
    return _tasks(area, as_of, version())


@st.cache_data(show_spinner=False, max_entries=64)
def _enterprises(area: views.Area, as_of: dt.date, data_version: int) -> pd.DataFrame:
    all_tasks = views.tasks_view(table("tasks"), updates(), as_of=as_of)
    return views.enterprises_view(table("enterprises"), all_tasks, updates(), as_of=as_of, area=area)


def enterprises(area: views.Area, as_of: dt.date) -> pd.DataFrame:
    return _enterprises(area, as_of, version())


# -- GeoJSON for the map --------------------------------------------------------------------


def _to_display(geoms: gpd.GeoSeries, display_crs: str) -> gpd.GeoSeries:
    if display_crs == "gcj02":  # a display copy for Gaode tiles; stored data stay WGS84
        return geoms.apply(lambda g: transform_geometry(g, wgs84_to_gcj02))
    return geoms


def frame_geojson(frame: gpd.GeoDataFrame, properties: list[str], display_crs: str = "wgs84", tolerance: float = 0.0) -> dict[str, Any]:
    """A compact FeatureCollection: chosen properties, rounded (and optionally simplified) geometry."""
    geoms = frame.geometry
    if tolerance:
        geoms = geoms.simplify(tolerance, preserve_topology=True)
    geoms = _to_display(geoms, display_crs)
    geoms = gpd.GeoSeries(shapely.set_precision(geoms.values, 10 ** -DECIMALS), index=frame.index, crs=frame.crs)
    out = gpd.GeoDataFrame(frame[properties].copy(), geometry=geoms, crs=frame.crs)
    return json.loads(out.to_json(drop_id=True))


def _area_counties(area: views.Area) -> gpd.GeoDataFrame:
    """The county polygons of ``area`` (all of them for the whole area)."""
    admin_units = layer("admin_units")
    counties = admin_units[admin_units["level"] == "county"]
    if area.city:
        counties = counties[counties["city"] == area.city]
    if area.county:
        counties = counties[counties["name"] == area.county]
    return counties


@st.cache_data(show_spinner=False, max_entries=32)
def _basemap(area: views.Area, display_crs: str, data_version: int) -> dict[str, Any]:
    admin_units = layer("admin_units")
    counties = _area_counties(area)
    cities = admin_units[admin_units["level"] == "city"]
    if area.city:
        cities = cities[cities["name"] == area.city]
    focus = counties.union_all() if len(counties) else None
    rivers = layer("rivers")
    if focus is not None and len(rivers):
        rivers = rivers[rivers.intersects(focus.buffer(0.05))].copy()
        rivers["geometry"] = rivers.intersection(focus.buffer(0.05))
    surface = layer("yellow_river_surface")
    if focus is not None and len(surface):
        surface = surface[surface.intersects(focus.buffer(0.05))]
    towns = layer("towns")
    if len(counties):
        towns = towns[towns["county"].isin(set(counties["name"]))]
    bounds = tuple(counties.total_bounds) if len(counties) else (110.2, 34.5, 114.6, 37.0)
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


@st.cache_data(show_spinner=False, max_entries=16)
def _groundwater_classes(year: int, data_version: int) -> dict[str, str]:
    try:
        from geodata.quality.evaluations import groundwater_evaluations
    except ImportError:
        return {}
    frame = groundwater_evaluations(store(), "year")
    if frame is None or frame.empty:
        return {}
    frame = frame[frame["year"].astype(str) == str(year)]
    return dict(zip(frame["point_id"] if "point_id" in frame else frame["site_id"], frame["class"], strict=False))


def groundwater_classes(year: int) -> dict[str, str]:
    """groundwater point id → class of ``year`` (empty until monitoring data exist)."""
    return _groundwater_classes(year, version())


@st.cache_data(show_spinner=False, max_entries=64)
def _section_measurements(section_id: str, data_version: int) -> pd.DataFrame:
    return store().read_measurements(site_type="section", site_id=section_id)


def section_measurements(section_id: str) -> pd.DataFrame:
    return _section_measurements(section_id, version())
