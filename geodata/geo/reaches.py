"""Rivers cut at their sections, each reach governed by the nearest section downstream.

A river line's direction is not guaranteed by the source, so each river is oriented with a
known outflow point (``OUTLETS``): every connected part runs towards the end nearer the
outlet. The river is clipped to the plans' area, cut where its placed sections project onto
it, and each piece is governed by the section at its downstream end; the piece below the
last section is governed by that last section (``governing = "upstream"``), and a part of
the river with no section on it (where the line leaves and re-enters the area) by the section
nearest its downstream end (``governing = "nearest"``), so the reaches cover the river
without gaps.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from shapely import line_merge
from shapely.geometry import LineString, MultiLineString, Point
from shapely.ops import substring

# (lon, lat) of a point downstream of the area where each river leaves it, with the reason
OUTLETS: dict[str, tuple[float, float, str]] = {
    "黄河": (112.6, 34.95, "黄河沿运城西界南流、再沿南界东流，出垣曲县入河南"),
    "汾河": (110.5, 35.45, "汾河在万荣县荣河镇一带汇入黄河"),
    "涑水河": (110.3, 34.8, "涑水河向西南经永济（伍姓湖）入黄河"),
    "姚暹渠": (110.3, 34.8, "姚暹渠向西南经永济入伍姓湖"),
    "浍河": (110.9, 35.6, "浍河向西在新绛县汇入汾河"),
    "亳清河": (111.75, 35.0, "亳清河向南在垣曲县汇入黄河"),
    "沁河": (112.8, 35.1, "沁河向南出阳城、泽州入河南"),
    "丹河": (113.0, 35.1, "丹河向南出泽州入河南"),
    "蟒河": (112.6, 35.1, "蟒河向东南出阳城入河南"),
    "浊漳西源": (113.2, 36.55, "浊漳西源向东在襄垣汇入浊漳河"),
    "浊漳南源": (113.2, 36.6, "浊漳南源向北在襄垣与北源、西源汇合"),
    "浊漳北源": (113.2, 36.55, "浊漳北源向南在襄垣汇合"),
    "浊漳河": (113.8, 36.6, "浊漳河向东出襄垣"),
    "淇河": (113.9, 35.6, "淇河向东南出陵川入河南"),
}


def _parts(geom) -> list[LineString]:  # noqa: ANN001
    merged = line_merge(geom) if isinstance(geom, MultiLineString) else geom
    if isinstance(merged, LineString):
        return [merged]
    return [g for g in getattr(merged, "geoms", []) if isinstance(g, LineString)]


def orient(line: LineString, outlet: Point) -> LineString:
    """``line`` running towards ``outlet`` (its last point is the end nearer the outlet)."""
    start, end = Point(line.coords[0]), Point(line.coords[-1])
    return line if end.distance(outlet) <= start.distance(outlet) else LineString(line.coords[::-1])


def build_reaches(rivers: gpd.GeoDataFrame, sections: gpd.GeoDataFrame, area) -> gpd.GeoDataFrame:  # noqa: ANN001
    """Reaches of every river that has placed sections (precision river or exact)."""
    rows = []
    on_rivers = sections[sections["precision"].isin(["river", "exact"]) & sections.geometry.notna()]
    for _, river in rivers.iterrows():
        name = river["name"]
        mine = on_rivers[on_rivers["line_river"] == name] if "line_river" in on_rivers else on_rivers.iloc[0:0]
        if mine.empty or name not in OUTLETS:
            continue
        outlet = Point(OUTLETS[name][:2])
        clipped = river.geometry.intersection(area)
        for part_no, part in enumerate(_parts(clipped)):
            if part.length == 0:
                continue
            line = orient(part, outlet)
            cuts = sorted(
                ((line.project(s.geometry), s["id"], s["name"]) for _, s in mine.iterrows() if line.distance(s.geometry) < 1e-3),
                key=lambda c: c[0],
            )
            if not cuts:
                # a part of the river with no section on it (it leaves and re-enters the area):
                # governed by the section nearest to its downstream end
                end = Point(line.coords[-1])
                nearest = min(mine.itertuples(), key=lambda s: s.geometry.distance(end))
                rows.append(_reach(name, part_no, 0, line, nearest.id, nearest.name, "nearest"))
                continue
            start = 0.0
            for k, (position, sid, sname) in enumerate(cuts):
                if position > start:
                    rows.append(_reach(name, part_no, k, substring(line, start, position), sid, sname, "downstream"))
                start = position
            if start < line.length:
                _, sid, sname = cuts[-1]
                rows.append(_reach(name, part_no, len(cuts), substring(line, start, line.length), sid, sname, "upstream"))
    columns = ["river", "reach_no", "governing_section_id", "governing_section_name", "governing", "length_km", "geometry"]
    if not rows:
        return gpd.GeoDataFrame(columns=columns, geometry="geometry", crs="EPSG:4326")
    return gpd.GeoDataFrame(pd.DataFrame(rows), geometry="geometry", crs="EPSG:4326")[columns]


def _reach(river: str, part: int, k: int, geom, sid: str, sname: str, governing: str) -> dict:  # noqa: ANN001
    length_km = gpd.GeoSeries([geom], crs="EPSG:4326").to_crs("EPSG:4547").length.iloc[0] / 1000
    return {
        "river": river, "reach_no": f"{part}-{k}", "governing_section_id": sid, "governing_section_name": sname,
        "governing": governing, "length_km": round(float(length_km), 2), "geometry": geom,
    }
