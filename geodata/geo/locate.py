"""Placing the plans' records on the map, each with an honest precision and the method used.

No source gives the coordinates of a section, well or enterprise (see
``data/geo/sources/README.md``), so every placement is approximate and says how it was made:

- a **section** whose river and county are known: the point of that river inside the county
  (within 2 km of it, for border rivers such as the Yellow River) nearest to the GeoNames town
  of the section's name when there is one, else to the county's representative point —
  precision ``river``;
- a section on a reservoir the river data lacks but that lies on a mapped river (张峰水库 on
  the 沁河 …): the same, on that river; otherwise the county point — precision ``county``;
- a section, groundwater point, water source or enterprise with a known county only: the
  GeoNames town named in its name (``town``) or the county point (``county``);
- no county: not placed (precision ``none``), and listed as such.

A user's exact coordinates (``envmap import-geo``) always take precedence over these.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point
from shapely.ops import nearest_points

# 2 km in degrees at ~35°N (latitude degree 111 km; longitude degree ~91 km)
BORDER_TOLERANCE_DEG = 0.02

# water bodies the river data lacks, placed on the mapped river they belong to
RESERVOIR_RIVERS: dict[str, tuple[str, str]] = {
    "张峰水库": ("沁河", "张峰水库是沁河干流上的水库（沁水县）"),
    "小浪底水库": ("黄河", "小浪底水库是黄河干流水库"),
    "三门峡水库": ("黄河", "三门峡水库是黄河干流水库"),
    "后湾水库": ("浊漳西源", "后湾水库位于浊漳河西源（计划附件1 河流栏）"),
}
# plan wording that is not the name of one river
NOT_A_RIVER = {"浊漳支流": "原文“浊漳 支流”只说明是浊漳河的支流，未写明哪一条"}


@dataclass(frozen=True)
class Placement:
    lon: float | None
    lat: float | None
    precision: str
    method: str
    line_river: str = ""  # the mapped river the point lies on (for reaches)


def _town_index(towns: gpd.GeoDataFrame) -> dict[str, list[tuple[str, Point]]]:
    """county → [(town name, point)]; names without their 镇/乡/街道 suffix are matched too."""
    out: dict[str, list[tuple[str, Point]]] = {}
    for _, t in towns.iterrows():
        out.setdefault(t["county"], []).append((t["name"], t.geometry))
    return out


def _bare(name: str) -> str:
    for suffix in ("街道", "镇", "乡"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def find_town(text: str, county: str, towns: dict[str, list[tuple[str, Point]]]) -> tuple[str, Point] | None:
    """The GeoNames town of ``county`` whose name (or bare name, 2+ characters) occurs in ``text``."""
    best: tuple[str, Point] | None = None
    for name, point in towns.get(county, []):
        for candidate in (name, _bare(name)):
            if len(candidate) >= 2 and candidate in text and (best is None or len(name) > len(best[0])):
                best = (name, point)
    return best


class Locator:
    """Places records using the county polygons, the river lines and the GeoNames towns."""

    def __init__(self, admin_units: gpd.GeoDataFrame, rivers: gpd.GeoDataFrame, towns: gpd.GeoDataFrame) -> None:
        counties = admin_units[admin_units["level"] == "county"]
        self.counties = {row["name"]: row.geometry for _, row in counties.iterrows()}
        self.rivers = {row["name"]: row.geometry for _, row in rivers.iterrows()}
        self.towns = _town_index(towns)

    def county_point(self, county: str) -> Point | None:
        polygon = self.counties.get(county)
        return polygon.representative_point() if polygon is not None else None

    def place_point(self, name: str, county: str) -> Placement:
        """A groundwater point, water source or enterprise: town named in it, else the county point."""
        if not county or county not in self.counties:
            reason = "原文未写明所在县，未定位" if not county else f"“{county}”没有行政区边界数据，未定位"
            return Placement(None, None, "none", reason)
        town = find_town(name, county, self.towns)
        if town:
            return Placement(town[1].x, town[1].y, "town", f"名称中的乡镇“{town[0]}”的 GeoNames 点位")
        point = self.county_point(county)
        return Placement(point.x, point.y, "county", f"{county}代表点")  # type: ignore[union-attr]

    def place_section(self, name: str, river: str, county: str) -> Placement:
        if not county or county not in self.counties:
            reason = "原文未写明所在县，未定位" if not county else f"“{county}”没有行政区边界数据（如开发区），未定位"
            return Placement(None, None, "none", reason)
        polygon = self.counties[county]
        town = find_town(name, county, self.towns)
        anchor, anchor_text = (town[1], f"乡镇“{town[0]}”") if town else (self.county_point(county), f"{county}代表点")
        line_name, why = river, ""
        if river in RESERVOIR_RIVERS:
            line_name, why = RESERVOIR_RIVERS[river]
        line = self.rivers.get(line_name) if line_name and line_name not in NOT_A_RIVER else None
        if line is not None:
            inside = line.intersection(polygon.buffer(BORDER_TOLERANCE_DEG))
            if not inside.is_empty:
                point = nearest_points(inside, anchor)[0]
                method = f"{line_name}上距{anchor_text}最近的点" + (f"（{why}）" if why else "")
                return Placement(round(point.x, 5), round(point.y, 5), "river", method, line_name)
        if town:
            return Placement(town[1].x, town[1].y, "town", f"断面名称中的乡镇“{town[0]}”的 GeoNames 点位")
        note = ""
        if river and line is None:
            note = "；" + (NOT_A_RIVER.get(river) or f"河流“{river}”不在 1:400万水系数据中")
        elif line is not None:
            note = f"；{line_name}不经过{county}"
        point = self.county_point(county)
        return Placement(round(point.x, 5), round(point.y, 5), "county", f"{county}代表点{note}")  # type: ignore[union-attr]


def place_sections(sections: pd.DataFrame, locator: Locator) -> gpd.GeoDataFrame:
    """One row per section id with lon, lat, precision, method and a Point (or no) geometry."""
    unique = sections.drop_duplicates("id")
    rows = []
    for _, s in unique.iterrows():
        p = locator.place_section(str(s["name"]), str(s.get("river") or ""), str(s.get("county") or ""))
        rows.append({"id": s["id"], "name": s["name"], "river": s.get("river") or "", "county": s.get("county") or "",
                     "lon": p.lon, "lat": p.lat, "precision": p.precision, "method": p.method, "line_river": p.line_river})
    frame = pd.DataFrame(rows)
    geometry = [Point(x, y) if x is not None and not pd.isna(x) else None for x, y in zip(frame["lon"], frame["lat"], strict=True)]
    return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")


def place_records(records: pd.DataFrame, locator: Locator) -> gpd.GeoDataFrame:
    """Groundwater points, drinking-water sources, enterprises: one row per id."""
    unique = records.drop_duplicates("id")
    rows = []
    for _, r in unique.iterrows():
        p = locator.place_point(str(r["name"]), str(r.get("county") or ""))
        rows.append({"id": r["id"], "name": r["name"], "county": r.get("county") or "",
                     "lon": p.lon, "lat": p.lat, "precision": p.precision, "method": p.method})
    frame = pd.DataFrame(rows, columns=["id", "name", "county", "lon", "lat", "precision", "method"])
    geometry = [Point(x, y) if x is not None and not pd.isna(x) else None for x, y in zip(frame["lon"], frame["lat"], strict=True)]
    return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")


def placed_only(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return frame[frame.geometry.notna()]


__all__ = ["Locator", "Placement", "place_records", "place_sections", "placed_only"]
