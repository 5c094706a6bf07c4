"""Rivers cut at their sections; each reach governed by the nearest section downstream.

**Flow direction.** The NGCC lines do not follow the flow, and a river's geometry is a small
network (both banks of the Yellow River's wide stretch, islands, braids). Each river gets a
known outflow point (``OUTLETS``, with the reason). In every connected part of the river's
network the node nearest that point is the sink; network (along-the-line) distances to the
sink orient every edge downstream, and the shortest path to the sink is "downstream" from
any node.

**Cutting.** Each placed section (precision ``river`` or ``exact``) is projected onto the
nearest edge of its river and the edge is cut there. Each piece is then governed by:

- ``downstream``: the first section met going downstream from the piece (the normal case —
  the section sits at the piece's downstream end or further down the same path);
- ``upstream``: no section below it, but it lies below a section (the stretch below the
  last section, e.g. the 黄河 below 风陵渡大桥 to 垣曲): the nearest such section upstream;
- ``nearest``: neither (an island outline, a braid arm that never meets a section): the
  section of the nearest governed piece, flagged so the UI can say so.

A section also cuts the edges parallel to its own (same end nodes, within ``PARALLEL_DEG``):
the other bank of the Yellow River's double-line stretch is cut at the same cross-section.

Pieces are then clipped to the plans' area (the covered counties buffered by
``AREA_BUFFER_DEG``), so the reaches of a river cover its clipped line without gaps or overlaps.
"""

from __future__ import annotations

import heapq
from typing import Any

import geopandas as gpd
import pandas as pd
from shapely import line_merge
from shapely.geometry import LineString, MultiLineString, Point
from shapely.geometry.base import BaseGeometry
from shapely.ops import substring, unary_union

AREA_BUFFER_DEG = 0.03  # ~3 km: keeps border rivers (黄河) along the county edges
SNAP_DEG = 1e-3  # a section this close to a line lies on it
PARALLEL_DEG = 0.1  # a parallel bank/arm this close to a section is cut at the same cross-section
LENGTH_CRS = "EPSG:4547"  # CGCS2000 / 3-degree Gauss-Kruger CM 114E: lengths in metres

# (lon, lat) of a point at or beyond where each river leaves the area, with the reason
OUTLETS: dict[str, tuple[float, float, str]] = {
    "黄河": (112.6, 34.95, "黄河沿运城西界南流至风陵渡折向东，沿南界东流，出垣曲县入河南"),
    "汾河": (110.5, 35.45, "汾河向西南在万荣县荣河镇庙前村一带汇入黄河"),
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

REACH_COLUMNS = ["river", "reach_no", "governing_section_id", "governing_section_name", "governing",
                 "length_km", "geometry"]
RULE = ("每段由其下游最近的断面控制（governing=downstream）；最下游断面以下的河段由其上游最近的断面控制"
        "（governing=upstream）；既不在断面上游也不在其下游的岛屿轮廓、支汊由最近的已划分河段的断面代表"
        "（governing=nearest）；黄河双线段两岸在同一断面处切分")


def _lines(geom: BaseGeometry) -> list[LineString]:
    if geom.is_empty:
        return []
    merged = line_merge(geom) if isinstance(geom, MultiLineString) else geom
    if isinstance(merged, LineString):
        return [merged]
    return [g for g in getattr(merged, "geoms", []) if isinstance(g, LineString) and g.length > 0]


def _key(xy: tuple[float, ...]) -> tuple[float, float]:
    return (round(xy[0], 7), round(xy[1], 7))


def river_graph(geom: BaseGeometry) -> tuple[list[LineString], dict[tuple[float, float], list[tuple[int, tuple[float, float]]]]]:
    """A river's lines (in a stable order) and the graph they make: node → [(edge index, other node)]."""
    edges = sorted(_lines(geom), key=lambda e: (e.coords[0], e.coords[-1], e.length))
    adjacency: dict[tuple[float, float], list[tuple[int, tuple[float, float]]]] = {}
    for i, e in enumerate(edges):
        a, b = _key(e.coords[0]), _key(e.coords[-1])
        adjacency.setdefault(a, []).append((i, b))
        adjacency.setdefault(b, []).append((i, a))
    return edges, adjacency


def drain(edges: list[LineString], adjacency: dict, components: list[list[tuple[float, float]]], outlet: Point
          ) -> tuple[dict, dict, list[tuple[float, float]]]:
    """Each node's distance along the network to its part's sink (the node of the part nearest
    ``outlet``) and the edge it drains by; with each part's sink (Dijkstra)."""

    dist: dict[tuple[float, float], float] = {}
    next_edge: dict[tuple[float, float], int] = {}
    sinks = []
    for component in components:
        sink = min(component, key=lambda n: (Point(n).distance(outlet), n))
        sinks.append(sink)
        dist[sink] = 0.0
        heap = [(0.0, sink)]
        while heap:
            d, node = heapq.heappop(heap)
            if d > dist[node]:
                continue
            for i, other in adjacency[node]:
                nd = d + edges[i].length
                if nd < dist.get(other, float("inf")) - 1e-12:
                    dist[other], next_edge[other] = nd, i
                    heapq.heappush(heap, (nd, other))
    return dist, next_edge, sinks


def oriented(edges: list[LineString], dist: dict) -> list[LineString]:
    """Each edge drawn in the direction of flow (towards the smaller distance to the sink)."""
    out = []
    for e in edges:
        a, b = _key(e.coords[0]), _key(e.coords[-1])
        out.append(e if dist[b] <= dist[a] else LineString(e.coords[::-1]))
    return out


class Network:
    """A river's lines as a graph oriented towards its outlet."""

    def __init__(self, geom: BaseGeometry, outlet: Point) -> None:
        edges, adjacency = river_graph(geom)
        dist, next_edge, _ = drain(edges, adjacency, connected_components(adjacency), outlet)
        self.edges: list[LineString] = oriented(edges, dist)
        self.dist, self.next_edge = dist, next_edge

    def end(self, i: int) -> tuple[float, float]:
        return _key(self.edges[i].coords[-1])

    def downstream_edges(self, i: int) -> list[int]:
        """The edges below edge ``i`` on the shortest path to its sink."""
        out, node, seen = [], self.end(i), {i}
        while node in self.next_edge:
            j = self.next_edge[node]
            if j in seen:  # a ring back to itself
                break
            seen.add(j)
            out.append(j)
            node = self.end(j)
        return out


def connected_components(adjacency: dict) -> list[list[tuple[float, float]]]:
    """The nodes of each connected part of a line network (``adjacency``: node → [(edge, other node)])."""
    seen: set = set()
    out = []
    for start in sorted(adjacency):
        if start in seen:
            continue
        stack, comp = [start], []
        seen.add(start)
        while stack:
            node = stack.pop()
            comp.append(node)
            for _, other in adjacency[node]:
                if other not in seen:
                    seen.add(other)
                    stack.append(other)
        out.append(comp)
    return out


def build_reaches(rivers: gpd.GeoDataFrame, sections: gpd.GeoDataFrame, area: BaseGeometry | None = None) -> gpd.GeoDataFrame:
    """Reaches of every river with placed sections (precision river or exact) on it.

    ``sections`` needs id, name, precision, geometry and ``line_river`` (the mapped river the
    point was placed on; falls back to ``river``). ``area`` clips the result (None: no clip).
    """
    rows: list[dict[str, Any]] = []
    placed = sections[sections["precision"].isin(["river", "exact"]) & sections.geometry.notna()]
    line_col = "line_river" if "line_river" in placed.columns else "river"
    for _, river in rivers.sort_values("name").iterrows():
        name = str(river["name"])
        mine = placed[placed[line_col] == name].sort_values("id")
        if mine.empty:
            continue
        if name not in OUTLETS:
            raise ValueError(f"no outlet (flow direction) known for {name}: add it to OUTLETS")
        net = Network(river.geometry, Point(OUTLETS[name][:2]))
        pieces = _pieces(net, [(str(s["id"]), str(s["name"]), s.geometry) for _, s in mine.iterrows()])
        groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for piece in pieces:
            groups.setdefault((piece["governing_section_id"], piece["governing"]), []).append(piece)
        # one reach per governing section and kind, numbered from upstream to downstream
        ordered = sorted(groups.values(), key=lambda g: (-max(p["order"] for p in g), g[0]["governing"],
                                                         g[0]["governing_section_id"]))
        number = 0
        for group in ordered:
            geom = unary_union([p["geometry"] for p in group])
            geom = _as_lines(geom if area is None else geom.intersection(area))
            if geom is None:
                continue
            number += 1
            rows.append({"river": name, "reach_no": number, **{k: group[0][k] for k in (
                "governing_section_id", "governing_section_name", "governing")},
                "length_km": _length_km(geom), "geometry": geom})
    if not rows:
        return gpd.GeoDataFrame(columns=REACH_COLUMNS, geometry="geometry", crs="EPSG:4326")
    return gpd.GeoDataFrame(pd.DataFrame(rows), geometry="geometry", crs="EPSG:4326")[REACH_COLUMNS]


def _pieces(net: Network, sections: list[tuple[str, str, Point]]) -> list[dict[str, Any]]:
    # cut positions per edge; a section also cuts the edges parallel to its own (the other bank
    # of a double-line stretch, the other arm of a braid): a section is a cross-section
    ends = [frozenset((_key(e.coords[0]), _key(e.coords[-1]))) for e in net.edges]
    cuts: dict[int, list[tuple[float, str, str]]] = {}
    for sid, sname, point in sections:
        i = min(range(len(net.edges)), key=lambda k: (net.edges[k].distance(point), k))
        if net.edges[i].distance(point) > SNAP_DEG:
            raise ValueError(f"section {sid} is not on its river")
        for j in range(len(net.edges)):
            if j == i or (ends[j] == ends[i] and len(ends[i]) == 2 and net.edges[j].distance(point) < PARALLEL_DEG):
                cuts.setdefault(j, []).append((net.edges[j].project(point), sid, sname))
    for c in cuts.values():
        c.sort()

    def first_below(i: int, position: float) -> tuple[str, str] | None:
        """The first section at or below ``position`` on edge ``i``, else further down."""
        for pos, sid, sname in cuts.get(i, []):
            if pos >= position - 1e-12:
                return sid, sname
        for j in net.downstream_edges(i):
            if cuts.get(j):
                return cuts[j][0][1], cuts[j][0][2]
        return None

    # pieces: (edge, start, end) along the oriented edge, upstream → downstream
    pieces: list[dict[str, Any]] = []
    for i, edge in enumerate(net.edges):
        bounds = [0.0] + [pos for pos, _, _ in cuts.get(i, []) if 0 < pos < edge.length] + [edge.length]
        for start, end in zip(bounds, bounds[1:], strict=False):
            if end - start <= 1e-12:
                continue
            below = first_below(i, end)
            piece = {"edge": i, "start": start, "end": end,
                     "geometry": substring(edge, start, end) if (start, end) != (0.0, edge.length) else edge}
            if below:
                piece.update(governing_section_id=below[0], governing_section_name=below[1], governing="downstream")
            pieces.append(piece)
    # below the last section: the nearest section upstream along the path
    for i, entries in sorted(cuts.items()):
        for pos, sid, sname in entries:
            walked = 0.0
            path = [(i, pos)] + [(j, 0.0) for j in net.downstream_edges(i)]
            for edge_no, from_pos in path:
                for piece in (p for p in pieces if p["edge"] == edge_no and p["end"] > from_pos + 1e-12):
                    walk = walked + piece["start"] - from_pos
                    if "governing" not in piece or (piece["governing"] == "upstream" and piece["walk"] > walk):
                        piece.update(governing_section_id=sid, governing_section_name=sname, governing="upstream",
                                     walk=walk)
                walked += net.edges[edge_no].length - from_pos
    # neither (an island outline, the far arm of a braid): the section of the nearest governed piece
    governed = [p for p in pieces if "governing" in p]
    for piece in pieces:
        if "governing" not in piece:
            near = min(governed, key=lambda g: (piece["geometry"].distance(g["geometry"]), g["edge"], g["start"]))
            piece.update(governing_section_id=near["governing_section_id"],
                         governing_section_name=near["governing_section_name"], governing="nearest")
    # number from upstream to downstream (network distance of the piece's lower end, descending)
    for piece in pieces:
        edge = net.edges[piece["edge"]]
        piece["order"] = net.dist[net.end(piece["edge"])] + (edge.length - piece["end"])
    pieces.sort(key=lambda p: (-p["order"], p["edge"], p["start"]))
    return pieces


def _as_lines(geom: BaseGeometry) -> BaseGeometry | None:
    lines = [g for g in getattr(geom, "geoms", [geom]) if isinstance(g, LineString) and not g.is_empty and g.length > 0]
    if not lines:
        return None
    merged = line_merge(MultiLineString(lines)) if len(lines) > 1 else lines[0]
    return merged


def _length_km(geom: BaseGeometry) -> float:
    metres = gpd.GeoSeries([geom], crs="EPSG:4326").to_crs(LENGTH_CRS).length.iloc[0]
    return round(float(metres) / 1000, 2)


def area_of(admin: gpd.GeoDataFrame) -> BaseGeometry:
    """The plans' area: the covered counties, buffered so border rivers stay whole."""
    return unary_union(list(admin[admin["level"] == "county"].geometry)).buffer(AREA_BUFFER_DEG)


def river_length_km(rivers: gpd.GeoDataFrame, name: str, area: BaseGeometry | None = None) -> float:
    geom = rivers.set_index("name").loc[name, "geometry"]
    return _length_km(geom if area is None else geom.intersection(area))
