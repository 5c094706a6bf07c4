"""River lines from the NGCC 1:4,000,000 data, named as the plans spell them.

The source (``data/geo/sources/ngcc_rivers_1to4m_shanxi.geojson``) covers Shanxi and a 0.1° buffer.
Only rivers the plans name, or main rivers of the covered counties, are kept; their NGCC names
are normalised (``RIVER_NAMES``):

- ``毫清河`` is a misspelling of 亳清河;
- ``漳河(浊漳河、浊漳南源)`` is one feature holding both 浊漳南源 and the 浊漳河 main stem. It is
  split where 浊漳北源 joins at 襄垣县 合河口 (where the three sources meet and the river takes the
  name 浊漳河): upstream is 浊漳南源 (including the stretch below the 西源 confluence at 甘村),
  downstream is 浊漳河;
- names containing ``_`` lost characters in the original GBK encoding and are dropped.

Pieces of one river are merged into a single MultiLineString. Plan water bodies absent from
the source are listed in ``MISSING_RIVERS``: they are shown through their sections only.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import shapely
from shapely.geometry import LineString, MultiLineString, Point
from shapely.ops import substring

from geodata.geo.sources import (
    CRS,
    NGCC_LICENCE,
    NGCC_RIVERS_SOURCE,
    NGCC_SURFACE_SOURCE,
    SOURCES_DIR,
    round_geometry,
)

RIVERS_FILE = "ngcc_rivers_1to4m_shanxi.geojson"
SCALE = "1:4000000"
ZHANG = "漳河(浊漳河、浊漳南源)"

# NGCC name → the plans' name, for every line kept.
RIVER_NAMES: dict[str, str] = {
    "黄河": "黄河",
    "汾河": "汾河",
    "涑水河": "涑水河",
    "姚暹渠": "姚暹渠",
    "毫清河": "亳清河",
    "浍河": "浍河",
    "沁河": "沁河",
    "丹河": "丹河",
    "浊漳西源": "浊漳西源",
    "浊漳北源": "浊漳北源",
    ZHANG: "浊漳南源",  # split: downstream of the 北源 confluence becomes 浊漳河
    "蟒河": "蟒河",
    "淇河": "淇河",
}
# Rivers the plans name (their spelling).
PLAN_RIVERS: frozenset[str] = frozenset(
    {"黄河", "汾河", "涑水河", "姚暹渠", "亳清河", "浍河", "沁河", "丹河", "浊漳河", "浊漳南源", "浊漳西源", "浊漳北源"}
)
# Main rivers of the covered counties that the plans do not name (阳城县, 陵川县).
AREA_RIVERS: frozenset[str] = frozenset({"蟒河", "淇河"})
# Rivers, lakes and reservoirs the plans name that no offline source has.
MISSING_RIVERS: tuple[str, ...] = (
    "长河", "白水河", "芦苇河", "获泽河", "板涧河", "曹河", "申匠河", "青天河",
    "伍姓湖", "盐湖", "圣天湖", "九女湖",
    "后湾水库", "张峰水库", "上马水库", "东焦河水库", "汇源水库", "三门峡水库", "小浪底水库",
)
COLUMNS = ["name", "name_ngcc", "in_plans", "scale", "source", "licence", "geometry"]


def _parts(geom) -> list[LineString]:
    return list(geom.geoms) if hasattr(geom, "geoms") else [geom]


def _split_zhang(zhang, north_source) -> tuple[list[LineString], list[LineString]]:
    """(浊漳南源 pieces, 浊漳河 pieces): split the piece that 浊漳北源 joins at the confluence."""
    north_vertices = [Point(c) for part in _parts(north_source) for c in part.coords]
    south, main = [], []
    split_done = False
    for part in _parts(zhang):
        confluence = min(north_vertices, key=part.distance)
        if part.distance(confluence) > 1e-6 or split_done:
            south.append(part)
            continue
        # the 浊漳河 flows east: orient the piece from its western (upstream) end
        if part.coords[0][0] > part.coords[-1][0]:
            part = LineString(part.coords[::-1])
        at = part.project(confluence)
        south.append(substring(part, 0, at))
        main.append(substring(part, at, part.length))
        split_done = True
    if not split_done:
        raise ValueError("浊漳北源 does not meet the 浊漳河 line: cannot split 浊漳南源 / 浊漳河")
    return south, main


def _merge(pieces: list[LineString]) -> MultiLineString:
    merged = shapely.line_merge(MultiLineString([p for p in pieces if not p.is_empty]))
    return MultiLineString(_parts(merged))


def rivers(path: Path | None = None) -> gpd.GeoDataFrame:
    """The kept rivers, one MultiLineString per plan name, EPSG:4326."""
    source = gpd.read_file(path or SOURCES_DIR / RIVERS_FILE).set_crs(CRS, allow_override=True)
    by_ngcc: dict[str, list[LineString]] = {}
    for _, row in source.iterrows():
        name = str(row["name_ngcc"]).strip()
        if "_" in name or name not in RIVER_NAMES:
            continue
        by_ngcc.setdefault(name, []).extend(_parts(row.geometry))

    lines: dict[str, tuple[str, list[LineString]]] = {}
    for ngcc, pieces in by_ngcc.items():
        if ngcc == ZHANG:
            south, main = _split_zhang(MultiLineString(pieces), MultiLineString(by_ngcc["浊漳北源"]))
            lines["浊漳南源"] = (ngcc, south)
            lines["浊漳河"] = (ngcc, main)
        else:
            lines[RIVER_NAMES[ngcc]] = (ngcc, pieces)

    names = sorted(lines)
    frame = gpd.GeoDataFrame(
        {
            "name": names,
            "name_ngcc": [lines[n][0] for n in names],
            "in_plans": [n in PLAN_RIVERS for n in names],
            "scale": SCALE,
            "source": NGCC_RIVERS_SOURCE,
            "licence": NGCC_LICENCE,
        },
        geometry=[round_geometry(_merge(lines[n][1])) for n in names],
        crs=CRS,
    )
    return frame[COLUMNS]


def rivers_in(frame: gpd.GeoDataFrame, area) -> gpd.GeoDataFrame:
    """Rows of ``frame`` whose line crosses ``area`` (a polygon)."""
    return frame[frame.geometry.intersects(area)].reset_index(drop=True)


SURFACE_FILE = "ngcc_yellow_river_surface_shanxi.geojson"


def yellow_river_surface(path: Path | None = None) -> gpd.GeoDataFrame:
    """The Yellow River's double-line water surface along Shanxi, as the source has it."""
    source = gpd.read_file(path or SOURCES_DIR / SURFACE_FILE).set_crs(CRS, allow_override=True)
    frame = gpd.GeoDataFrame(
        {
            "name": "黄河",
            "name_ngcc": source["name_ngcc"].astype(str).tolist(),
            "scale": SCALE,
            "source": NGCC_SURFACE_SOURCE,
            "licence": NGCC_LICENCE,
        },
        geometry=[round_geometry(g) for g in source.geometry],
        crs=CRS,
    )
    if not frame.geometry.is_valid.all():
        frame["geometry"] = frame.geometry.make_valid()
    return frame
