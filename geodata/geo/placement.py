"""Placing the plans' records on the map, each with an honest precision and the method used.

No offline source gives the coordinates of a monitoring section, well, water source or
enterprise (see ``/work/shared/geo-sources/README.md``): every placement here is approximate
and says how it was made, in Chinese, in its ``method``. Only WGS84 sources are used (天地图
county polygons, NGCC river lines, GeoNames towns — ``PLACEMENT_SOURCES``); nothing from
GCJ-02 (Amap) data.

Sections (``place_sections``):

- river and county known, river in the river layer: the point of that river inside the county
  (within ``BORDER_TOLERANCE_DEG`` ≈ 2 km of it, for border rivers such as the Yellow River)
  nearest to the GeoNames town named by the section (the name itself or its leading place
  word: 润城 → 润城镇) when that town lies in the county, else to the county's representative
  point — precision ``river``;
- a reservoir the river data lacks but that lies on a mapped river (``RESERVOIR_RIVERS``):
  the same, on that river;
- a section at a river mouth that the generalised 1:4M line misses by a little
  (``RIVER_MOUTHS``): the point of the river nearest to the county — precision ``river``;
- river not mapped / not one river (``NOT_A_RIVER``) / not passing the county: the GeoNames
  town named by the section (``town``) or the county point (``county``), saying why;
- no county (or a county without a polygon, e.g. 开发区): not placed (precision ``none``).

Groundwater points, water sources, enterprises (``place_points``): the GeoNames town whose name
occurs in the record's name (or, with its 镇/乡/街道 suffix, in its text) within its county
(``town``), else the county point (``county``), else not placed (``none``). Records sharing a
county point keep the same coordinates: spreading them apart is a display matter.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
from shapely import line_merge
from shapely.geometry import Point
from shapely.ops import nearest_points

from geodata.geo.sources import GEONAMES_SOURCE, NGCC_RIVERS_SOURCE, TIANDITU_SOURCE

# the sources placement reads; all WGS84 (CGCS2000 treated as equal). No GCJ-02 source.
PLACEMENT_SOURCES: dict[str, str] = {
    "admin_units": TIANDITU_SOURCE,
    "rivers": NGCC_RIVERS_SOURCE,
    "towns": GEONAMES_SOURCE,
}

# ~2 km in degrees at ~35°N (a latitude degree is 111 km, a longitude degree ~91 km)
BORDER_TOLERANCE_DEG = 0.02
DECIMALS = 5
UNPLACED_NO_COUNTY = "原文未写明所在县，未定位"

# water bodies the river data lacks, placed on the mapped river they lie on
RESERVOIR_RIVERS: dict[str, tuple[str, str]] = {
    "张峰水库": ("沁河", "张峰水库是沁水县境内沁河干流上的水库"),
    "小浪底水库": ("黄河", "小浪底水库是黄河干流水库"),
    "三门峡水库": ("黄河", "三门峡水库是黄河干流水库"),
    "后湾水库": ("浊漳西源", "后湾水库位于浊漳西源（计划附件1 河流栏写“浊漳西源”）"),
}

# sections at a river mouth on the county border: the generalised 1:4M line ends short of the
# county polygon, so the section goes to the river's end point nearest the county (the mouth)
RIVER_MOUTHS: dict[str, tuple[str, str]] = {
    "运城市:庙前村": (
        "汾河",
        "汾河入黄口：庙前村断面在汾河汇入黄河处（万荣县荣河镇庙前村）；1:400万汾河线的入黄端点"
        "落在河津市一侧、距万荣县界约4 km，取该端点",
    ),
}
MOUTH_TOLERANCE_DEG = 0.045  # a mouth section may lie this far (~4 km) outside its county

# why a section without a county was not curated to one
UNPLACED_NOTES: dict[str, str] = {
    "运城市:小浪底水库南山": "（小浪底水库北岸的山西一侧跨垣曲、夏县、平陆三县，断面所在县无据可查）",
    "运城市:三门峡水库": "（三门峡库区的山西一侧跨永济、芮城、平陆等县，断面所在县无据可查）",
}

# plan wording that is not the name of one river
NOT_A_RIVER: dict[str, str] = {"浊漳支流": "原文“浊漳 支流”只说明是浊漳河的一条支流，未写明哪一条"}

# plan spellings of a river → the river layer's name (same river)
RIVER_SPELLINGS: dict[str, str] = {"毫清河": "亳清河", "浊漳河西源": "浊漳西源", "浊漳河南源": "浊漳南源", "浊漳河北源": "浊漳北源"}

TOWN_SUFFIXES = ("街道", "镇", "乡")


@dataclass(frozen=True)
class Placement:
    lon: float | None
    lat: float | None
    precision: str
    method: str
    line_river: str = ""  # the mapped river the point lies on (for the reaches)


def bare_town_name(name: str) -> str:
    """``润城镇`` → ``润城``: the town name without its 镇/乡/街道 suffix (kept when 1 character would remain)."""
    for suffix in TOWN_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def _line_parts(geom) -> list:  # noqa: ANN001
    merged = line_merge(geom) if geom.geom_type == "MultiLineString" else geom
    return list(getattr(merged, "geoms", [merged]))


def normalise_river(river: str) -> str:
    return RIVER_SPELLINGS.get(river, river)


class Places:
    """County polygons, river lines and GeoNames towns, indexed for placement."""

    def __init__(self, admin: gpd.GeoDataFrame, rivers: gpd.GeoDataFrame | None, towns: gpd.GeoDataFrame) -> None:
        counties = admin[admin["level"] == "county"]
        self.counties = {str(r["name"]): r.geometry for _, r in counties.iterrows()}
        admin_names = set(admin["name"])
        admin_short = {n[:-1] for n in admin_names if len(n) > 2 and n[-1] in "市县区"}
        self.rivers = {str(r["name"]): r.geometry for _, r in rivers.iterrows()} if rivers is not None else {}
        self.towns: dict[str, list[tuple[str, Point]]] = {}
        for _, t in towns.sort_values("geonameid").iterrows():
            name = str(t["name"])
            # a "town" named after a city or county (运城市, 永济市, 晋城市) says no more than the county
            if name in admin_names or name in admin_short:
                continue
            self.towns.setdefault(str(t["county"]), []).append((name, t.geometry))

    def county_point(self, county: str) -> Point:
        point = self.counties[county].representative_point()
        return Point(round(point.x, DECIMALS), round(point.y, DECIMALS))

    def section_town(self, name: str, county: str) -> tuple[str, Point] | None:
        """The town of ``county`` the section is named after: name == town (bare) name, or starts with it."""
        best = None
        for town, point in self.towns.get(county, []):
            bare = bare_town_name(town)
            if name in (town, bare) or (len(bare) >= 2 and name.startswith(bare)):
                if best is None or len(bare) > len(bare_town_name(best[0])):
                    best = (town, point)
        return best

    def text_town(self, name: str, text: str, county: str) -> tuple[str, Point] | None:
        """The town of ``county`` whose name occurs in the record's name (bare name, 2+ characters)
        or, with its suffix, in its text."""
        best = None
        for town, point in self.towns.get(county, []):
            bare = bare_town_name(town)
            hit = (len(bare) >= 2 and bare in name) or (town != bare and town in text)
            if hit and (best is None or len(town) > len(best[0])):
                best = (town, point)
        return best

    def place_section(self, sid: str, name: str, river: str, county: str) -> Placement:
        if not county:
            return Placement(None, None, "none", UNPLACED_NO_COUNTY + UNPLACED_NOTES.get(sid, ""))
        if county not in self.counties:
            return Placement(None, None, "none", f"“{county}”没有行政区边界数据（不是县级行政区，原文未写明属哪个县），未定位")
        polygon = self.counties[county]
        river = normalise_river(river)
        town = self.section_town(name, county)
        anchor, anchor_text = (town[1], f"乡镇“{town[0]}”") if town else (self.county_point(county), f"{county}代表点")
        if sid in RIVER_MOUTHS:
            line_name, why = RIVER_MOUTHS[sid]
            ends = [Point(c) for part in _line_parts(self.rivers[line_name]) for c in (part.coords[0], part.coords[-1])]
            point = min(ends, key=lambda e: (e.distance(polygon), e.x, e.y))
            return Placement(round(point.x, DECIMALS), round(point.y, DECIMALS), "river", why, line_name)
        line_name, why = river, ""
        if river in RESERVOIR_RIVERS:
            line_name, why = RESERVOIR_RIVERS[river]
        line = self.rivers.get(line_name) if line_name and line_name not in NOT_A_RIVER else None
        note = ""
        if line is not None:
            inside = line.intersection(polygon.buffer(BORDER_TOLERANCE_DEG))
            if not inside.is_empty:
                point = nearest_points(inside, anchor)[0]
                method = f"{line_name}上距{anchor_text}最近的点" + (f"（{why}）" if why else "")
                return Placement(round(point.x, DECIMALS), round(point.y, DECIMALS), "river", method, line_name)
            note = f"；1:400万{line_name}线不经过{county}"
        elif river:
            note = "；" + (NOT_A_RIVER.get(river) or f"“{river}”不在 1:400万水系数据中")
        if town:
            return Placement(town[1].x, town[1].y, "town", f"断面名称中的乡镇“{town[0]}”的 GeoNames 点位{note}")
        point = self.county_point(county)
        return Placement(point.x, point.y, "county", f"{county}代表点{note}")

    def place_point(self, name: str, text: str, county: str) -> Placement:
        if not county:
            return Placement(None, None, "none", UNPLACED_NO_COUNTY)
        if county not in self.counties:
            return Placement(None, None, "none", f"“{county}”没有行政区边界数据，未定位")
        town = self.text_town(name, text, county)
        if town:
            where = "名称" if bare_town_name(town[0]) in name else "原文"
            return Placement(town[1].x, town[1].y, "town", f"{where}中的乡镇“{town[0]}”的 GeoNames 点位")
        point = self.county_point(county)
        return Placement(point.x, point.y, "county", f"{county}代表点")


def _frame(rows: list[dict], columns: list[str]) -> gpd.GeoDataFrame:
    frame = pd.DataFrame(rows, columns=columns)
    geometry = [
        Point(x, y) if x is not None and not pd.isna(x) else None
        for x, y in zip(frame["lon"], frame["lat"], strict=True)
    ]
    return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")


SECTION_COLUMNS = ["id", "name", "river", "county", "lon", "lat", "precision", "method", "line_river"]
POINT_COLUMNS = ["id", "name", "county", "lon", "lat", "precision", "method"]
# the free-text column searched for town names, per point layer
TEXT_COLUMNS = {"groundwater_points": "target_text", "drinking_water_sources": "requirement",
                "enterprises": "required_action"}


def place_sections(sections: pd.DataFrame, admin: gpd.GeoDataFrame, rivers: gpd.GeoDataFrame,
                   towns: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """One row per section id: id, name, river, county, lon, lat, precision, method, line_river, geometry
    (no geometry when not placed)."""
    places = Places(admin, rivers, towns)
    rows = []
    for _, s in sections.drop_duplicates("id").iterrows():
        river, county = str(s.get("river") or ""), str(s.get("county") or "")
        p = places.place_section(str(s["id"]), str(s["name"]), river, county)
        rows.append({"id": s["id"], "name": s["name"], "river": river, "county": county, "lon": p.lon, "lat": p.lat,
                     "precision": p.precision, "method": p.method, "line_river": p.line_river})
    return _frame(rows, SECTION_COLUMNS)


def place_points(records: pd.DataFrame, layer: str, admin: gpd.GeoDataFrame, towns: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Groundwater points, drinking-water sources or enterprises (``layer``): one row per id."""
    places = Places(admin, None, towns)
    text_column = TEXT_COLUMNS.get(layer, "")
    rows = []
    for _, r in records.drop_duplicates("id").iterrows():
        p = places.place_point(str(r["name"]), str(r.get(text_column) or ""), str(r.get("county") or ""))
        rows.append({"id": r["id"], "name": r["name"], "county": r.get("county") or "", "lon": p.lon, "lat": p.lat,
                     "precision": p.precision, "method": p.method})
    return _frame(rows, POINT_COLUMNS)


def placed_only(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return frame[frame.geometry.notna()]


__all__ = [
    "NOT_A_RIVER", "PLACEMENT_SOURCES", "RESERVOIR_RIVERS", "RIVER_MOUTHS", "Places", "Placement",
    "place_points", "place_sections", "placed_only",
]
