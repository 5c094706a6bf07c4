"""All caching of the dashboard: the store as a resource, views and GeoJSON as data.

Every cached function is keyed by the versions of the tables it reads (``Store.table_versions``:
the data version at which each table last changed), so an import shows up on the next rerun
without a restart and invalidates only what read the tables it changed: new monitoring results
leave the task views cached, a progress report leaves the sections and the map layers cached.

Whole tables are read once per version and attributed to areas once (:func:`attributed`); a view of
an area filters those rows. Tables and views are shared between sessions as they are (``cache_resource``:
a cache hit costs nothing, where ``cache_data`` would unpickle a copy of 100,000 tasks on every rerun), so
callers never modify a returned frame in place (they ``.copy()`` first; tests/dashboard/test_shared_views.py).
GeoJSON is prepared once per layer, area and display CRS, simplified and rounded for the scale at
which the area is drawn.
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
from geodata.derived import AREA_INPUTS, ATTRIBUTED
from geodata.geo.crs import transform_geometry, wgs84_to_gcj02
from geodata.quality.derived import GROUNDWATER_INPUTS
from geodata.quality.derived import SECTION_INPUTS as EVALUATION_INPUTS
from geodata.store import Store, open_store

DECIMALS = 5
CHINA_BOUNDS = (73.5, 18.0, 135.0, 53.5)  # the map's extent when the store has no boundaries yet


@st.cache_resource(show_spinner="正在打开数据库…")
def store() -> Store:
    return open_store()


def version() -> int:
    return store().data_version()


def versions(*tables: str) -> tuple[int, ...]:
    """The versions of ``tables`` (a cache key that changes exactly when one of them changes)."""
    known = store().table_versions()
    return tuple(known.get(name, 0) for name in tables)


@st.cache_resource(show_spinner=False, max_entries=64)
def _table(name: str, key: tuple[int, ...]) -> pd.DataFrame:
    return store().read_table(name)


def table(name: str) -> pd.DataFrame:
    """Table ``name`` from the store; refreshed whenever it changes. Shared: never modify it in place."""
    return _table(name, versions(name))


@st.cache_resource(show_spinner=False, max_entries=32)
def _attributed(name: str, key: tuple[int, ...]) -> pd.DataFrame:
    from geodata.derived import attributed as attributed_table

    return attributed_table(store(), name, table(name), lambda: table("documents"))


def attributed(name: str) -> pd.DataFrame:
    """Table ``name`` with ``area_city``/``area_county`` (:mod:`geodata.areas`), computed once per change of
    the tables it rests on, not on every change of area. Shared: never modify it in place."""
    return _attributed(name, versions(*ATTRIBUTED[name]))


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


@st.cache_resource(show_spinner=False, max_entries=16)
def _layer(name: str, key: tuple[int, ...]) -> gpd.GeoDataFrame:
    frame = store().read_layer(name)
    missing = [c for c in LAYER_COLUMNS.get(name, []) if c not in frame.columns]
    for column in missing:
        frame[column] = pd.Series(dtype=object)
    return frame


def layer(name: str) -> gpd.GeoDataFrame:
    """Map layer ``name``; refreshed whenever it changes. Shared: never modify it in place."""
    return _layer(name, versions(name))


@st.cache_resource(show_spinner=False, max_entries=8)
def _events(key: tuple[int, ...]) -> pd.DataFrame:
    return store().task_events()


def events() -> pd.DataFrame:
    """The supervision history of every task (``task_events``), in the order recorded. Shared: never modify it."""
    return _events(versions("task_events"))


@st.cache_data(show_spinner=False, max_entries=64)
def _evidence(task_id: str, key: tuple[int, ...]) -> pd.DataFrame:
    return store().evidence(task_id)


def evidence(task_id: str) -> pd.DataFrame:
    """The evidence files (without their bytes) of one task's applications."""
    return _evidence(task_id, versions("task_evidence"))


@st.cache_data(show_spinner=False, max_entries=256)
def _account(name: str, key: tuple[int, ...]):  # noqa: ANN202 - geodata.accounts.User | None
    from geodata.accounts import current_user

    return current_user(store(), name)


def account(name: str):  # noqa: ANN201 - geodata.accounts.User | None
    """The enabled account ``name`` as the store holds it (refreshed when accounts change)."""
    return _account(name, versions("users"))


@st.cache_data(show_spinner=False, ttl=5)
def store_status():  # noqa: ANN201 - geodata.store.StoreStatus
    """Can the store be read and written now (checked at most every 5 seconds)."""
    return store().status()




@st.cache_resource(show_spinner=False, max_entries=8)
def _evaluations(key: tuple[int, ...]) -> pd.DataFrame | None:
    from geodata.quality.derived import section_evaluations

    return section_evaluations(store())  # computed when the data changed, read here


def evaluations() -> pd.DataFrame | None:
    """Section classes per month and year, computed once per change of measurements, sections or targets."""
    return _evaluations(versions(*EVALUATION_INPUTS))


SECTION_INPUTS = ("sections", "section_targets", "documents", *EVALUATION_INPUTS)
TASK_INPUTS = ("tasks", "task_events", "plans")
ENTERPRISE_INPUTS = ("enterprises", "task_events", "documents")


@st.cache_resource(show_spinner=False, max_entries=64)
def _sections(area: views.Area, year: int, month: int | None, key: tuple[int, ...]) -> pd.DataFrame:
    return views.sections_view(attributed("sections"), table("section_targets"), evaluations(), year=year, area=area,
                               month=month, documents=table("documents"))


def sections(area: views.Area, year: int, month: int | None = None) -> pd.DataFrame:
    """Sections of ``area`` with the target of ``year`` and the class of the year (or of ``month``)."""
    return _sections(area, year, month, versions(*SECTION_INPUTS))


@st.cache_resource(show_spinner=False, max_entries=64)
def _tasks(area: views.Area, as_of: dt.date, year: int | None, key: tuple[int, ...]) -> pd.DataFrame:
    return views.tasks_view(attributed("tasks"), events(), as_of=as_of, area=area, year=year, plans=table("plans"))


def tasks(area: views.Area, as_of: dt.date, year: int | None = None) -> pd.DataFrame:
    """Tasks attributed to ``area`` (of the plans covering ``year``; all plans when None), status as of ``as_of``."""
    return _tasks(area, as_of, year, versions(*TASK_INPUTS))


@st.cache_resource(show_spinner=False, max_entries=64)
def _enterprises(area: views.Area, as_of: dt.date, key: tuple[int, ...]) -> pd.DataFrame:
    return views.enterprises_view(attributed("enterprises"), events(), as_of=as_of, area=area,
                                  documents=table("documents"))


def enterprises(area: views.Area, as_of: dt.date) -> pd.DataFrame:
    return _enterprises(area, as_of, versions(*ENTERPRISE_INPUTS))


@st.cache_resource(show_spinner=False, max_entries=8)
def _measurement_years(key: tuple[int, ...]) -> list[int]:
    return store().measurement_years()


@st.cache_data(show_spinner=False, max_entries=8)
def _years(key: tuple[int, ...]) -> list[int]:
    return views.available_years(table("section_targets"), table("plans"), _measurement_years(versions("measurements")))


def years() -> list[int]:
    """The years the data speak of (targets, plan periods, measurements)."""
    return _years(versions("measurements", "section_targets", "plans"))


@st.cache_data(show_spinner=False, max_entries=8)
def _years_with_results(key: tuple[int, ...]) -> list[int]:
    years = set(_measurement_years(versions("measurements")))
    targets = table("section_targets")
    years |= {int(float(y)) for y in targets["year"] if str(y).strip()} if len(targets) else set()
    return sorted(years)


def years_with_results() -> list[int]:
    """Years with targets or measurements: the ones worth opening first."""
    return _years_with_results(versions("measurements", "section_targets"))


@st.cache_data(show_spinner=False, max_entries=8)
def _areas(key: tuple[int, ...]) -> dict[str, list[str]]:
    from geodata.derived import areas as area_choices

    return area_choices(store(), attributed)


def areas() -> dict[str, list[str]]:
    """city → its county-level units, for the cities the data concern."""
    return _areas(versions(*AREA_INPUTS))


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
    without a polygon of its own (a 开发区) is shown within its city's counties. Shared (never modify it).
    """
    return _area_counties_of(area, versions("admin_units", "china_counties", *AREA_INPUTS))


@st.cache_resource(show_spinner=False, max_entries=64)
def _area_counties_of(area: views.Area, key: tuple[int, ...]) -> gpd.GeoDataFrame:
    detailed = layer("admin_units")
    detailed = detailed[detailed["level"] == "county"] if len(detailed) else detailed
    national = layer("china_counties")
    cities = [area.city] if area.city else list(areas())

    def by_city(frame: gpd.GeoDataFrame) -> dict[str, gpd.GeoDataFrame]:
        if frame.empty:
            return {}
        if len(cities) == 1:  # one city: one filter
            here = frame[frame["city"] == cities[0]]
            return {cities[0]: here} if len(here) else {}
        return dict(tuple(frame.groupby("city", sort=False)))  # many: one grouping, not one scan per city

    detailed_of, national_of = by_city(detailed), by_city(national)

    def of_city(city: str) -> gpd.GeoDataFrame | None:
        return detailed_of.get(city) if city in detailed_of else national_of.get(city)

    parts = [p[["name", "city", "geometry"]] for p in map(of_city, cities) if p is not None and len(p)]
    if not parts:  # no city known yet (an empty store): whatever boundaries we have
        return detailed if len(detailed) else national
    counties = gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), geometry="geometry", crs="EPSG:4326")
    if area.county and (counties["name"] == area.county).any():
        counties = counties[counties["name"] == area.county]
    return counties


COUNTY_FILL_LIMIT = 600  # more counties than this in view: the basemap fills their cities instead
LABEL_LIMIT = 120  # more names than this in view: none of that kind is written (they would overlap)
TOWN_LABEL_LIMIT = 60  # town names only in views of at most this many counties
BASEMAP_INPUTS = ("admin_units", "rivers", "yellow_river_surface", "towns")


def _near(frame: gpd.GeoDataFrame, counties: gpd.GeoDataFrame, margin: float) -> gpd.GeoDataFrame:
    """The features of ``frame`` near ``counties`` (their bounding boxes grown by ``margin`` degrees; spatial index)."""
    if frame.empty or counties.empty:
        return frame
    b = counties.geometry.bounds
    boxes = shapely.box(b["minx"] - margin, b["miny"] - margin, b["maxx"] + margin, b["maxy"] + margin)
    hits = frame.sindex.query(boxes, predicate="intersects")[1]
    return frame.iloc[sorted(set(hits.tolist()))]


def scale_of(area: views.Area) -> tuple[tuple[float, float, float, float], float, int]:
    """The area's bounds, the simplification tolerance for them at screen resolution and the grid decimals."""
    from dashboard.components.vector import grid_decimals, screen_tolerance

    counties = _area_counties(area)
    bounds = tuple(float(v) for v in counties.total_bounds) if len(counties) else CHINA_BOUNDS
    tolerance = screen_tolerance(bounds)
    return bounds, tolerance, grid_decimals(tolerance)  # type: ignore[return-value]


@st.cache_data(show_spinner=False, max_entries=32)
def _basemap(area: views.Area, display_crs: str, key: tuple[int, ...]) -> dict[str, Any]:
    from dashboard.components.vector import features_of, simplify

    admin_units = layer("admin_units")
    counties = _area_counties(area)
    bounds, tolerance, decimals = scale_of(area)
    cities = admin_units[admin_units["level"] == "city"] if "level" in admin_units else admin_units
    wanted = [area.city] if area.city else list(areas())
    national = layer("china_cities")
    missing = [c for c in wanted if not (cities["name"] == c).any()] if len(cities) else wanted
    if missing and len(national):  # a city of an imported plan outside the bundled map: its national outline
        cities = pd.concat([cities[["name", "geometry"]], national[national["name"].isin(missing)][["name", "geometry"]]],
                           ignore_index=True).pipe(gpd.GeoDataFrame, geometry="geometry", crs="EPSG:4326")
    if len(cities) and wanted:
        cities = cities[cities["name"].isin(wanted)]
    many = len(counties) > COUNTY_FILL_LIMIT
    fill = cities if many and len(cities) else counties  # a whole country of counties: their cities are filled
    clip = len(counties) <= 200
    focus = counties.union_all().buffer(0.05) if clip and len(counties) else None
    rivers = _near(layer("rivers"), counties, 0.05)
    if focus is not None and len(rivers):
        rivers = rivers[rivers.intersects(focus)].copy()
        rivers["geometry"] = rivers.intersection(focus)
    surface = _near(layer("yellow_river_surface"), counties, 0.05)
    towns = layer("towns")
    if len(counties) and len(towns):
        towns = towns[towns["county"].isin(set(counties["name"]))] if len(counties) <= TOWN_LABEL_LIMIT else towns.iloc[0:0]

    def shown(geoms: gpd.GeoSeries, coverage: bool = False) -> list:
        return list(_to_display(gpd.GeoSeries(simplify(geoms.values, tolerance, coverage=coverage), crs=geoms.crs),
                                display_crs))

    named = fill if len(fill) <= LABEL_LIMIT else fill.iloc[0:0]
    label_points = _to_display(named.representative_point(), display_crs)
    kind = "city" if fill is cities and many else "county"
    labels = [(p.y, p.x, n, kind) for p, n in zip(label_points, named["name"], strict=True)]
    labels += [(p.y, p.x, n, "town") for p, n in zip(_to_display(towns.geometry, display_crs), towns["name"], strict=True)]
    for geom, name in zip(rivers.geometry, rivers["name"], strict=True):
        if geom is not None and not geom.is_empty and len(rivers) <= LABEL_LIMIT:
            p = _to_display(gpd.GeoSeries([geom.interpolate(0.5, normalized=True)]), display_crs).iloc[0]
            labels.append((p.y, p.x, name, "river"))
    return {
        "bounds": bounds,
        "decimals": decimals,
        "fill_level": kind,
        "counties": features_of(shown(fill.geometry, coverage=True), decimals=decimals, tooltips=list(fill["name"])),
        "cities": features_of(shown(cities.geometry, coverage=True), decimals=decimals) if not many else (True, []),
        "rivers": features_of(shown(rivers.geometry), decimals=decimals, tooltips=list(rivers["name"])),
        "yellow_river": features_of(shown(surface.geometry), decimals=decimals) if len(surface) else (True, []),
        "labels": labels,
    }


def basemap(area: views.Area, display_crs: str) -> dict[str, Any]:
    """County polygons (their cities' for a whole country), city outlines, rivers and labels of ``area``,
    simplified for the scale the area is drawn at and encoded for :mod:`dashboard.components.vector`."""
    return _basemap(area, display_crs, versions(*BASEMAP_INPUTS))


@st.cache_data(show_spinner=False, max_entries=32)
def _reaches(area: views.Area, display_crs: str, key: tuple[int, ...]) -> gpd.GeoDataFrame:
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
    return _reaches(area, display_crs, versions("reaches", "admin_units"))


@st.cache_data(show_spinner=False, max_entries=32)
def _zones(area: views.Area, display_crs: str, key: tuple[int, ...]) -> gpd.GeoDataFrame:
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
    return _zones(area, display_crs, versions("no_coal_zone_areas", "admin_units"))


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


@st.cache_resource(show_spinner=False, max_entries=8)
def _groundwater_evaluations(key: tuple[int, ...]) -> pd.DataFrame:
    from geodata.quality.derived import groundwater_evaluations

    return groundwater_evaluations(store())


@st.cache_resource(show_spinner=False, max_entries=32)
def _groundwater(area: views.Area, year: int, key: tuple[int, ...]) -> pd.DataFrame:
    return views.groundwater_view(attributed("groundwater_points"), _groundwater_evaluations(versions(*GROUNDWATER_INPUTS)),
                                  year=year,
                                  area=area, documents=table("documents"))


def groundwater(area: views.Area, year: int) -> pd.DataFrame:
    """Groundwater points of ``area`` with their class of ``year`` and compliance."""
    return _groundwater(area, year, versions(*GROUNDWATER_INPUTS, "documents"))


@st.cache_resource(show_spinner=False, max_entries=32)
def _drinking_sources(area: views.Area, key: tuple[int, ...]) -> pd.DataFrame:
    return views.sources_view(attributed("drinking_water_sources"), area=area, documents=table("documents"))


def drinking_sources(area: views.Area) -> pd.DataFrame:
    return _drinking_sources(area, versions("drinking_water_sources", "documents"))


@st.cache_data(show_spinner=False, max_entries=64)
def _section_measurements(section_id: str, key: tuple[int, ...]) -> pd.DataFrame:
    return store().read_measurements(site_type="section", site_id=section_id)


def section_measurements(section_id: str) -> pd.DataFrame:
    return _section_measurements(section_id, versions("measurements"))


@st.cache_data(show_spinner=False, max_entries=8)
def _document_titles(key: tuple[int, ...]) -> dict[str, str]:
    from geodata.views import plan_name

    documents = table("documents")
    return {str(i): plan_name(str(title)) for i, title in zip(documents["id"], documents["title"], strict=True)}


def document_titles() -> dict[str, str]:
    """document id → the plan's name as a reader says it."""
    return _document_titles(versions("documents"))


@st.cache_data(show_spinner=False, max_entries=16)
def _document_text(document_id: str, key: tuple[int, ...]) -> list[str]:
    return store().document_text(document_id)


def document_text(document_id: str) -> list[str]:
    return _document_text(document_id, versions("document_texts"))


@st.cache_resource(show_spinner=False, max_entries=32)
def _commitments(area: views.Area, as_of: dt.date, key: tuple[int, ...]) -> pd.DataFrame:
    return views.zones_view(attributed("no_coal_zones"), events(), as_of=as_of, area=area)


def commitments(area: views.Area, as_of: dt.date) -> pd.DataFrame:
    """No-coal-zone commitments of ``area`` (and, in a county, its city's city-wide ones) with status."""
    return _commitments(area, as_of, versions("no_coal_zones", "task_events"))


@st.cache_data(show_spinner=False, max_entries=4)
def _sampling_dates(key: tuple[int, ...]) -> pd.DataFrame:
    from geodata.brief.source import sampling_dates as dates_of

    return dates_of(store().read_measurements())


def sampling_dates() -> pd.DataFrame:
    """One row per site, sampling date and sample flag (the data dates of exports and reports)."""
    return _sampling_dates(versions("measurements"))


@st.cache_resource(show_spinner=False, max_entries=4)
def _river_system(key: tuple[int, ...]):  # noqa: ANN202 - geodata.upstream.RiverSystem
    from geodata.upstream import RiverSystem

    return RiverSystem(layer("rivers"))


def river_system():  # noqa: ANN201
    return _river_system(versions("rivers"))


UPSTREAM_INPUTS = ("sections", "rivers", "reaches", "admin_units")


@st.cache_data(show_spinner=False, max_entries=64)
def _upstream(section_id: str, key: tuple[int, ...]):  # noqa: ANN202 - geodata.upstream.Upstream
    from geodata.upstream import upstream_of

    return upstream_of(section_id, table("sections"), layer("rivers"), layer("reaches"), layer("admin_units"),
                       river_system())


def upstream(section_id: str):  # noqa: ANN201
    """What lies upstream of a section (rivers, reaches, sections, catchment), from the river network."""
    return _upstream(section_id, versions(*UPSTREAM_INPUTS))


# -- figures of a period (全年 / 累计 / 当月): one frame of classes per period, shared by every part --------


@st.cache_resource(show_spinner=False)
def _latest_evaluator():  # noqa: ANN202 - geodata.quality.evaluations.LatestEvaluator
    from geodata.quality.evaluations import LatestEvaluator

    return LatestEvaluator(store())


def section_evaluator(ids: set[str] | None = None):  # noqa: ANN201
    """The measurements prepared for evaluation (of the sections ``ids``, all when None: see
    :meth:`geodata.quality.evaluations.LatestEvaluator.__call__`), made again once per change of measurements,
    sections or targets (after an import, from the previous one and the sites it touched): every period (a year
    change, 同比, 预警's four periods) is then computed from it, not from a new read."""
    return _latest_evaluator()(ids)


@st.cache_resource(show_spinner=False, max_entries=32)
def _period_classes(year: int, month: int | None, mode: str, key: tuple[int, ...]) -> pd.DataFrame:
    from geodata.quality.derived import period_classes as kept_classes
    from geodata.quality.evaluations import Period

    return kept_classes(store(), Period(year, month, mode), section_evaluator)


def period_classes(period) -> pd.DataFrame:  # noqa: ANN001 - geodata.quality.evaluations.Period
    """Every section's class for ``period`` (:func:`geodata.quality.evaluations.section_classes`)."""
    return _period_classes(period.year, period.month, period.mode, versions(*EVALUATION_INPUTS))


@st.cache_data(show_spinner=False, max_entries=64)
def _period_sections(area: views.Area, year: int, month: int | None, mode: str, key: tuple[int, ...]) -> pd.DataFrame:
    from geodata.period_views import period_sections_view
    from geodata.quality.evaluations import Period

    period = Period(year, month, mode)
    return period_sections_view(attributed("sections"), table("section_targets"), period_classes(period),
                                period=period, area=area, documents=table("documents"))


def period_sections(area: views.Area, period) -> pd.DataFrame:  # noqa: ANN001
    """Sections of ``area`` with their class, target and compliance for ``period``."""
    return _period_sections(area, period.year, period.month, period.mode, versions(*SECTION_INPUTS))


@st.cache_data(show_spinner=False, max_entries=16)
def _period_months(area: views.Area, year: int, key: tuple[int, ...]) -> list[int]:
    from geodata.areas import in_area
    from geodata.quality.evaluations import months_of_year

    return months_of_year(_result_months(versions(*EVALUATION_INPUTS)), year, in_area(attributed("sections"), area)["id"])


@st.cache_resource(show_spinner=False, max_entries=2)
def _result_months(key: tuple[int, ...]) -> pd.DataFrame:
    from geodata.quality.derived import result_months

    return result_months(store(), section_evaluator)


def period_months(area: views.Area, year: int) -> list[int]:
    """The months of ``year`` with results for the sections of ``area``."""
    return _period_months(area, year, versions(*SECTION_INPUTS))


@st.cache_resource(show_spinner=False, max_entries=32)
def _early_warnings(year: int, month: int, key: tuple[int, ...]) -> pd.DataFrame:
    from geodata.quality.derived import early_warnings as kept_warnings

    return kept_warnings(store(), year, month, section_evaluator, classes=period_classes)


def early_warnings(year: int, month: int) -> pd.DataFrame:
    """The 预警 list of every section for ``year``-``month`` (:func:`geodata.quality.figures.early_warnings`)."""
    return _early_warnings(year, month, versions(*EVALUATION_INPUTS))


@st.cache_resource(show_spinner=False, max_entries=32)
def _cwqi_ranking(year: int, month: int | None, mode: str, ids: tuple[str, ...], key: tuple[int, ...]) -> pd.DataFrame:
    from geodata.period_views import ranking_rows
    from geodata.quality.evaluations import Period

    period = Period(year, month, mode)
    return ranking_rows(period_classes(period), period_classes(period.previous_year()), pd.DataFrame({"id": list(ids)}))


def cwqi_ranking(period, sections: pd.DataFrame) -> pd.DataFrame:  # noqa: ANN001 - Period
    """CWQI ranking of the counties of ``sections`` for ``period`` (:func:`geodata.period_views.ranking_rows`)."""
    return _cwqi_ranking(period.year, period.month, period.mode, tuple(sorted(sections["id"])),
                         versions(*EVALUATION_INPUTS))


@st.cache_resource(show_spinner=False, max_entries=32)
def _river_grades(year: int, month: int | None, mode: str, ids: tuple[str, ...], key: tuple[int, ...]) -> pd.DataFrame:
    from geodata.period_views import grade_rows
    from geodata.quality.evaluations import Period

    return grade_rows(period_classes(Period(year, month, mode)), pd.DataFrame({"id": list(ids)}), "river")


def river_grades(period, sections: pd.DataFrame) -> pd.DataFrame:  # noqa: ANN001 - Period
    """水质状况 of the rivers of ``sections`` for ``period`` (:func:`geodata.period_views.grade_rows`)."""
    return _river_grades(period.year, period.month, period.mode, tuple(sorted(sections["id"])),
                         versions(*EVALUATION_INPUTS))


@st.cache_resource(show_spinner=False, max_entries=32)
def _progress(jurisdiction: str, year: int, month: int, key: tuple[int, ...]) -> pd.DataFrame:
    from geodata.quality.figures import progress as progress_of

    return progress_of(store(), year, month, jurisdiction or None, classes=period_classes)


def progress(jurisdiction: str, year: int, month: int) -> pd.DataFrame:
    """时序进度 of ``jurisdiction`` ("" for every plan's) to ``month`` of ``year``."""
    return _progress(jurisdiction, year, month, versions(*EVALUATION_INPUTS, "indicators", "documents"))


@st.cache_data(show_spinner=False, max_entries=8)
def _monitoring_preview(content: bytes, name: str, standard: str, year: int | None, new_sites: str, replace: bool,
                        key: tuple[int, ...]):  # noqa: ANN202 - a MonitoringPreview
    from geodata.quality.monitoring import preview_monitoring

    return preview_monitoring(content, name, store(), standard, replace=replace, year=year, new_sites=new_sites)


def monitoring_preview(content: bytes, name: str, standard: str, *, year: int | None = None, new_sites: str = "ask",
                       replace: bool = False):  # noqa: ANN201
    """The import's own checks of an upload, rolled back (:func:`geodata.quality.monitoring.preview_monitoring`)."""
    return _monitoring_preview(content, name, standard, year, new_sites, replace, versions("measurements", "sections", "groundwater_points"))
