"""Upstream of a section: the river network above it and what lies in its catchment.

"Where does this come from?" is what a leader asks of a failing section. The answer is read off
the bundled river network (:mod:`geodata.geo.reaches`: every river oriented towards its known
outlet, ``OUTLETS``) and the placed sections:

* **On its own river**: every piece of the river whose way downstream passes the section. The
  river's main network (its largest connected part) is the reference; a piece of a detached part
  (an island outline, a braid arm of the Yellow River) counts by where it lies along the main
  one. A section also stands for the parallel bank of a double-line stretch (as in the reaches).
* **Tributaries**: a river whose outlet end lies on another river's line (within
  :data:`CONFLUENCE_DEG`) flows into it, unless that other river ends there too (two sources
  meeting). A tributary joining the section's river above the section is upstream as a whole,
  with its own tributaries.
* **Sections upstream**: placed on an upstream piece (precision ``river`` or ``exact``), or lying
  on an upstream tributary by the river the plan names. Sections at the very same point as this
  one are listed apart (the map cannot tell their order).
* **Catchment** (approximate — there is no elevation data offline): the land within
  :data:`CATCHMENT_KM` of an upstream piece that is nearer to it than to any other river of the
  network (the rivers' Thiessen areas). Records located at a town, village, river point or by
  exact coordinates are *in the catchment* when their point is; records placed at a county's
  representative point only say *their county is crossed by the catchment* (``relation`` =
  ``county``), which a page must show as such.

Only the rivers the plans mention are in the layer (1:4M); smaller streams are not, so the
catchment is that of the mapped rivers. A section not placed on a river (a county point, a
reservoir the layer lacks) has no upstream answer, and :attr:`Upstream.reason` says why.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import LineString, MultiLineString, MultiPoint, Point
from shapely.geometry.base import BaseGeometry
from shapely.ops import substring, unary_union

from geodata.geo.placement import RESERVOIR_RIVERS, normalise_river
from geodata.geo.reaches import (
    LENGTH_CRS,
    OUTLETS,
    PARALLEL_DEG,
    SNAP_DEG,
    _lines,
    connected_components,
    drain,
    oriented,
    river_graph,
)
from geodata.model import LIST_SEP
from geodata.status import DONE

CONFLUENCE_DEG = 0.002  # ~200 m: a river ending this close to another's line flows into it
CATCHMENT_KM = 10.0  # the catchment reaches this far from its upstream rivers
SAMPLE_M = 750.0  # spacing of the points that divide the land between rivers
ON_LINE = ("river", "exact")  # precisions that place a section on its river's line
PRECISE = ("exact", "village", "town", "river")  # a record's point says where it is (not a county point)
IN_CATCHMENT, IN_COUNTY = "catchment", "county"


def _key(xy: tuple[float, ...]) -> tuple[float, float]:
    return (round(xy[0], 7), round(xy[1], 7))


class RiverNetwork:
    """One river's lines oriented towards its outlet, with locations (edge, position) on the main part."""

    def __init__(self, name: str, geom: BaseGeometry) -> None:
        self.name = name
        outlet = Point(OUTLETS[name][:2]) if name in OUTLETS else None
        edges, adjacency = river_graph(geom)
        components = connected_components(adjacency)
        if outlet is None:  # no known outlet: the end of the longest line nearest the layer's lowest point
            ends = [Point(n) for n in adjacency]
            outlet = min(ends, key=lambda p: (p.y, p.x)) if ends else Point(0, 0)
        dist, next_edge, sink_list = drain(edges, adjacency, components, outlet)
        component_of = {node: c for c, nodes in enumerate(components) for node in nodes}
        sinks: dict[int, tuple[float, float]] = dict(enumerate(sink_list))
        self.edges: list[LineString] = oriented(edges, dist)
        self.dist, self.next_edge = dist, next_edge
        self.component = [component_of[_key(e.coords[0])] for e in self.edges]
        lengths: dict[int, float] = {}
        for i, e in enumerate(self.edges):
            lengths[self.component[i]] = lengths.get(self.component[i], 0.0) + e.length
        self.main = max(lengths, key=lambda c: (lengths[c], -c)) if lengths else 0
        self.main_edges = [i for i, c in enumerate(self.component) if c == self.main]
        self.outlet_point = Point(sinks[self.main]) if sinks else outlet

    def end(self, i: int) -> tuple[float, float]:
        return _key(self.edges[i].coords[-1])

    @functools.cache  # noqa: B019 - a network lives as long as its analysis
    def downstream_edges(self, i: int) -> frozenset[int]:
        out, node, seen = set(), self.end(i), {i}
        while node in self.next_edge:
            j = self.next_edge[node]
            if j in seen:
                break
            seen.add(j)
            out.add(j)
            node = self.end(j)
        return frozenset(out)

    def locate(self, point: Point) -> tuple[int, float, float]:
        """(edge, position along it, distance) of the nearest point of the main part."""
        i = min(self.main_edges, key=lambda k: (self.edges[k].distance(point), k))
        return i, self.edges[i].project(point), self.edges[i].distance(point)

    def cross_section(self, point: Point) -> list[tuple[int, float]]:
        """The locations a section at ``point`` stands for: its edge and the parallel ones (other bank)."""
        i, position, _ = self.locate(point)
        ends = frozenset((_key(self.edges[i].coords[0]), self.end(i)))
        out = [(i, position)]
        for j in self.main_edges:
            if j != i and frozenset((_key(self.edges[j].coords[0]), self.end(j))) == ends and len(ends) == 2 \
                    and self.edges[j].distance(point) < PARALLEL_DEG:
                out.append((j, self.edges[j].project(point)))
        return out

    def above(self, edge: int, position: float, section: list[tuple[int, float]]) -> bool:
        """Whether the location (edge, position) lies upstream of (or at) the cross-section ``section``."""
        for k, p in section:
            if edge == k and position <= p + 1e-12:
                return True
            if k in self.downstream_edges(edge):
                return True
        return False

    def upstream_lines(self, section: list[tuple[int, float]]) -> list[LineString]:
        """The pieces of this river above the cross-section."""
        out: list[LineString] = []
        cut = dict(section)
        for j, edge in enumerate(self.edges):
            if self.component[j] == self.main:
                if j in cut:
                    if cut[j] > 1e-9:
                        out.append(substring(edge, 0, cut[j]))
                elif self.above(j, edge.length, section):
                    out.append(edge)
            else:  # a detached arm or island outline: by where its middle lies along the main part
                k, position, _ = self.locate(edge.interpolate(0.5, normalized=True))
                if self.above(k, position, section):
                    out.append(edge)
        return [g for g in out if g.length > 0]


def mapped_river(river: str) -> str:
    """The river layer's name for the river a plan writes (spellings, reservoirs on a mapped river)."""
    name = normalise_river(str(river or "").strip())
    return RESERVOIR_RIVERS[name][0] if name in RESERVOIR_RIVERS else name


@dataclass
class Upstream:
    """What lies upstream of one section."""

    section_id: str
    section_name: str
    river: str = ""
    on_network: bool = False
    reason: str = ""  # why there is no answer, when ``on_network`` is False
    lines: gpd.GeoDataFrame = field(default_factory=lambda: gpd.GeoDataFrame(columns=["river", "geometry"],
                                                                             geometry="geometry", crs="EPSG:4326"))
    rivers: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["river", "relation", "joins", "length_km"]))
    reaches: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["river", "reach_no", "governing_section_id", "governing_section_name", "upstream_km"]))
    sections: pd.DataFrame = field(default_factory=pd.DataFrame)  # rows of the sections table, plus ``relation``
    colocated: list[str] = field(default_factory=list)  # section ids at the very same point
    catchment: BaseGeometry | None = None  # WGS84
    counties: list[str] = field(default_factory=list)  # counties the catchment covers

    @property
    def river_names(self) -> list[str]:
        return self.rivers["river"].astype(str).tolist()


class RiverSystem:
    """Every river of the layer as a network, and which river each flows into."""

    def __init__(self, rivers: gpd.GeoDataFrame) -> None:
        self.geoms = {str(r["name"]): r.geometry for _, r in rivers.iterrows() if r.geometry is not None
                      and not r.geometry.is_empty}
        self.networks = {name: RiverNetwork(name, geom) for name, geom in sorted(self.geoms.items())}
        self.receiver: dict[str, tuple[str, Point]] = {}
        for name, net in self.networks.items():
            mouth = net.outlet_point
            best = None
            for other, geom in self.geoms.items():
                if other == name:
                    continue
                d = geom.distance(mouth)
                ends_here = self.networks[other].outlet_point.distance(mouth) <= CONFLUENCE_DEG
                if d <= CONFLUENCE_DEG and not ends_here and (best is None or d < best[0]):
                    best = (d, other)
            if best is not None:
                self.receiver[name] = (best[1], mouth)

    def tributaries(self, river: str) -> list[str]:
        return sorted(n for n, (r, _) in self.receiver.items() if r == river)

    def upstream(self, section_id: str, name: str, river: str, point: Point | None) -> tuple[
            list[tuple[str, LineString]], list[tuple[str, str, str]]]:
        """(river, line) pieces and (river, relation, joins) of what is upstream of a section at ``point``."""
        net = self.networks[river]
        cross = net.cross_section(point)
        pieces = [(river, g) for g in net.upstream_lines(cross)]
        relations = [(river, "self", "")]
        todo = [t for t in self.tributaries(river)
                if net.above(*net.locate(self.receiver[t][1])[:2], cross)]
        seen = {river}
        while todo:
            trib = todo.pop(0)
            if trib in seen:
                continue
            seen.add(trib)
            relations.append((trib, "tributary", self.receiver[trib][0]))
            pieces += [(trib, g) for g in _lines(self.geoms[trib])]
            todo += self.tributaries(trib)
        return pieces, relations


def upstream_of(section_id: str, sections: pd.DataFrame, rivers: gpd.GeoDataFrame, reaches: gpd.GeoDataFrame,
                admin_units: gpd.GeoDataFrame, system: RiverSystem | None = None) -> Upstream:
    """What lies upstream of section ``section_id`` (rows of ``sections`` need id, name, river, precision, lon, lat)."""
    row = sections[sections["id"].astype(str) == str(section_id)]
    if row.empty:
        return Upstream(section_id, "", reason="unknown_section")
    s = row.iloc[0]
    name, river = str(s["name"]), mapped_river(s.get("river"))
    result = Upstream(section_id, name, river)
    system = system or RiverSystem(rivers)
    lon, lat = pd.to_numeric(s.get("lon"), errors="coerce"), pd.to_numeric(s.get("lat"), errors="coerce")
    if str(s.get("precision") or "") not in ON_LINE or pd.isna(lon) or pd.isna(lat):
        result.reason = "not_on_river"
        return result
    if river not in system.networks:
        result.reason = "river_not_mapped"
        return result
    point = Point(float(lon), float(lat))
    if system.geoms[river].distance(point) > SNAP_DEG:
        result.reason = "not_on_river"
        return result
    pieces, relations = system.upstream(section_id, name, river, point)
    result.on_network = True
    result.lines = gpd.GeoDataFrame({"river": [r for r, _ in pieces]}, geometry=[g for _, g in pieces], crs="EPSG:4326")
    lengths = _lengths_km(result.lines)
    result.rivers = pd.DataFrame([{"river": r, "relation": rel, "joins": joins, "length_km": lengths.get(r, 0.0)}
                                  for r, rel, joins in relations], columns=["river", "relation", "joins", "length_km"])
    result.reaches = _reaches_upstream(reaches, result.lines)
    result.sections, result.colocated = _sections_upstream(sections, section_id, point, system, relations)
    result.catchment = catchment(result.lines, system, admin_units)
    result.counties = counties_in(result.catchment, admin_units)
    return result


def _lengths_km(lines: gpd.GeoDataFrame) -> dict[str, float]:
    if lines.empty:
        return {}
    metres = lines.to_crs(LENGTH_CRS).length
    return {str(r): round(float(metres[lines["river"] == r].sum()) / 1000, 1) for r in lines["river"].unique()}


def _reaches_upstream(reaches: gpd.GeoDataFrame, lines: gpd.GeoDataFrame) -> pd.DataFrame:
    columns = ["river", "reach_no", "governing_section_id", "governing_section_name", "upstream_km"]
    if reaches.empty or lines.empty:
        return pd.DataFrame(columns=columns)
    rows = []
    metric = lines.to_crs(LENGTH_CRS)
    for _, reach in reaches.to_crs(LENGTH_CRS).iterrows():
        mine = metric[metric["river"] == reach["river"]]
        if mine.empty:
            continue
        shared = reach.geometry.intersection(unary_union(list(mine.geometry)).buffer(5))
        km = round(float(shared.length) / 1000, 1)
        if km >= 0.5:
            rows.append({"river": reach["river"], "reach_no": int(reach["reach_no"]),
                         "governing_section_id": reach["governing_section_id"],
                         "governing_section_name": reach["governing_section_name"], "upstream_km": km})
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values(["river", "reach_no"], kind="stable").reset_index(drop=True)


def _sections_upstream(sections: pd.DataFrame, section_id: str, point: Point, system: RiverSystem,
                       relations: list[tuple[str, str, str]]) -> tuple[pd.DataFrame, list[str]]:
    own = relations[0][0]
    tributaries = {r for r, rel, _ in relations if rel == "tributary"}
    net = system.networks[own]
    cross = net.cross_section(point)
    keep, why, colocated = [], [], []
    for _, s in sections.drop_duplicates("id").iterrows():
        sid = str(s["id"])
        if sid == str(section_id):
            continue
        river = mapped_river(s.get("river"))
        lon, lat = pd.to_numeric(s.get("lon"), errors="coerce"), pd.to_numeric(s.get("lat"), errors="coerce")
        on_line = str(s.get("precision") or "") in ON_LINE and not pd.isna(lon) and not pd.isna(lat)
        if river in tributaries:
            keep.append(sid)
            why.append("tributary")
        elif river == own and on_line:
            p = Point(float(lon), float(lat))
            if p.distance(point) < 1e-6:
                colocated.append(sid)
                continue
            edge, position, distance = net.locate(p)
            if distance <= SNAP_DEG and net.above(edge, position, cross):
                keep.append(sid)
                why.append("same_river")
    frame = sections.drop_duplicates("id").set_index("id").loc[keep].reset_index() if keep else sections.iloc[0:0].copy()
    frame["relation"] = why if keep else pd.Series(dtype=str)
    return frame, colocated


def catchment(lines: gpd.GeoDataFrame, system: RiverSystem, admin_units: gpd.GeoDataFrame) -> BaseGeometry | None:
    """The land nearer to ``lines`` than to any other river of ``system``, within :data:`CATCHMENT_KM` (WGS84)."""
    if lines.empty:
        return None
    up = unary_union(list(lines.geometry))
    others = [g.difference(up.buffer(1e-5)) for g in system.geoms.values()]
    others = unary_union([g for g in others if not g.is_empty])
    metric = pyproj_transformer()
    up_m = shapely.transform(up, metric)
    other_m = shapely.transform(others, metric) if not others.is_empty else None
    up_points = _samples(up_m)
    other_points = _samples(other_m) if other_m is not None else []
    limit = up_m.buffer(CATCHMENT_KM * 1000)
    if other_points:
        points = up_points + other_points
        cells = shapely.voronoi_polygons(MultiPoint(points), extend_to=limit.envelope.buffer(CATCHMENT_KM * 2000),
                                         ordered=True)
        mine = unary_union(list(cells.geoms)[: len(up_points)])
        area = mine.intersection(limit)
    else:
        area = limit
    if admin_units is not None and len(admin_units) and "level" in admin_units:
        counties = admin_units[admin_units["level"] == "county"]
        if len(counties):
            land = shapely.transform(unary_union(list(counties.geometry)), metric).buffer(3000)
            area = area.intersection(land)
    back = pyproj_transformer(inverse=True)
    result = shapely.transform(area.buffer(0), back)
    return shapely.set_precision(result, 1e-5) if not result.is_empty else None


def _samples(geom: BaseGeometry | None) -> list[Point]:
    if geom is None or geom.is_empty:
        return []
    out = []
    for line in getattr(geom, "geoms", [geom]):
        if not isinstance(line, LineString | MultiLineString):
            continue
        for part in getattr(line, "geoms", [line]):
            n = max(2, int(part.length // SAMPLE_M) + 1)
            out += [part.interpolate(d) for d in np.linspace(0, part.length, n)]
    # a point twice would make Voronoi fail; keep the first of each
    seen, unique = set(), []
    for p in out:
        k = (round(p.x, 1), round(p.y, 1))
        if k not in seen:
            seen.add(k)
            unique.append(p)
    return unique


@functools.cache
def _transformers() -> tuple:
    import pyproj

    forward = pyproj.Transformer.from_crs("EPSG:4326", LENGTH_CRS, always_xy=True)
    backward = pyproj.Transformer.from_crs(LENGTH_CRS, "EPSG:4326", always_xy=True)
    return forward, backward


def pyproj_transformer(inverse: bool = False):  # noqa: ANN201 - a coordinate function for shapely.transform
    forward, backward = _transformers()
    tr = backward if inverse else forward

    def apply(coords: np.ndarray) -> np.ndarray:
        x, y = tr.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return apply


def counties_in(area: BaseGeometry | None, admin_units: gpd.GeoDataFrame, min_share: float = 0.02) -> list[str]:
    """Counties the catchment covers (more than ``min_share`` of the county, or of the catchment)."""
    if area is None or admin_units is None or admin_units.empty or "level" not in admin_units:
        return []
    out = []
    for _, county in admin_units[admin_units["level"] == "county"].sort_values("name").iterrows():
        shared = county.geometry.intersection(area).area
        if shared and (shared / county.geometry.area > min_share or shared / area.area > min_share):
            out.append(str(county["name"]))
    return out


# -- what lies in the catchment ---------------------------------------------------------------------


def locate_records(up: Upstream, records: pd.DataFrame) -> pd.DataFrame:
    """``records`` (lon, lat, precision, county) in the catchment: ``relation`` catchment (their point is
    in it) or county (placed at a county point, and that county is crossed by the catchment)."""
    if records.empty or up.catchment is None:
        return records.iloc[0:0].assign(relation=pd.Series(dtype=str))
    relation = []
    prepared = shapely.prepared.prep(up.catchment) if hasattr(shapely, "prepared") else None
    counties = set(up.counties)
    for _, r in records.iterrows():
        lon, lat = pd.to_numeric(r.get("lon"), errors="coerce"), pd.to_numeric(r.get("lat"), errors="coerce")
        precision = str(r.get("precision") or "")
        if precision in PRECISE and not pd.isna(lon):
            p = Point(float(lon), float(lat))
            inside = prepared.contains(p) if prepared is not None else up.catchment.contains(p)
            relation.append(IN_CATCHMENT if inside else "")
        elif precision == "county" and str(r.get("county") or "") in counties:
            relation.append(IN_COUNTY)
        else:
            relation.append("")
    out = records.assign(relation=relation)
    return out[out["relation"] != ""].reset_index(drop=True)


def zones_in(up: Upstream, zones: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Drawn no-coal zones that reach into the catchment."""
    if zones.empty or up.catchment is None:
        return zones.iloc[0:0]
    return zones[zones.intersects(up.catchment)].reset_index(drop=True)


def tasks_in(up: Upstream, tasks: pd.DataFrame, *, enterprises: pd.DataFrame | None = None,
             towns: gpd.GeoDataFrame | None = None) -> pd.DataFrame:
    """Open tasks (not done) about what lies upstream: naming an upstream river, section, enterprise or a
    town in the catchment (``relation`` catchment, ``why`` says which), or water tasks of a county the
    catchment crosses that name none of these (``relation`` county)."""
    columns = [*tasks.columns, "relation", "why"]
    if tasks.empty or not up.on_network:
        return pd.DataFrame(columns=columns)
    open_tasks = tasks[~tasks["status"].isin(DONE)] if "status" in tasks else tasks
    names: list[tuple[str, str]] = [(r, "river") for r in up.river_names]
    names += [(str(n), "section") for n in up.sections.get("name", []) if len(str(n)) >= 2]
    names.append((up.section_name, "section"))
    enterprise_tasks: set[str] = set()
    if enterprises is not None and len(enterprises):
        names += [(str(n), "enterprise") for n in enterprises["name"] if len(str(n)) >= 4]
        enterprise_tasks = {str(t) for t in enterprises.get("task_id", []) if str(t)}
    if towns is not None and len(towns) and up.catchment is not None:
        inside = towns[towns.within(up.catchment)]
        for _, town in inside.iterrows():
            if not str(town.get("seat_of") or ""):
                names.append((str(town["name"]), "town"))
    counties = set(up.counties)
    relation, why = [], []
    for _, task in open_tasks.iterrows():
        text = "|".join(str(task.get(c) or "") for c in ("title", "content", "places"))
        hit = next((f"{kind}:{name}" for name, kind in names if name and name in text), "")
        if not hit and str(task["id"]) in enterprise_tasks:
            hit = "enterprise:" + str(task["id"])
        if hit:
            relation.append(IN_CATCHMENT)
            why.append(hit)
        elif str(task.get("area_county") or "") in counties and str(task.get("domain") or "") == "water":
            relation.append(IN_COUNTY)
            why.append("county:" + str(task.get("area_county")))
        else:
            relation.append("")
            why.append("")
    out = open_tasks.assign(relation=relation, why=why)
    return out[out["relation"] != ""].reset_index(drop=True)


def downstream_of(point_lon: float, point_lat: float, system: RiverSystem, sections: pd.DataFrame,
                  max_km: float = CATCHMENT_KM) -> tuple[str, list[str]]:
    """For a record's location: the river it drains to (nearest within ``max_km``) and the sections below it
    on that river and further down (nearest first) — the enterprise report's "where it goes"."""
    point = Point(point_lon, point_lat)
    forward, _ = _transformers()
    best = None
    for name, geom in system.geoms.items():
        d = geom.distance(point)
        if best is None or d < best[0]:
            best = (d, name)
    if best is None:
        return "", []
    river = best[1]
    nearest = shapely.ops.nearest_points(system.geoms[river], point)[0]
    a = forward.transform(point.x, point.y)
    b = forward.transform(nearest.x, nearest.y)
    if np.hypot(a[0] - b[0], a[1] - b[1]) > max_km * 1000:
        return "", []
    found: list[str] = []
    current, at = river, nearest
    for _ in range(len(system.networks)):
        net = system.networks[current]
        edge, position, _ = net.locate(at)
        below = []
        for _, s in sections.drop_duplicates("id").iterrows():
            if mapped_river(s.get("river")) != current or str(s.get("precision") or "") not in ON_LINE:
                continue
            lon, lat = pd.to_numeric(s.get("lon"), errors="coerce"), pd.to_numeric(s.get("lat"), errors="coerce")
            if pd.isna(lon):
                continue
            p = Point(float(lon), float(lat))
            cross = net.cross_section(p)
            if net.above(edge, position, cross):
                below.append((net.dist.get(net.end(cross[0][0]), 0.0) + net.edges[cross[0][0]].length - cross[0][1],
                              str(s["id"])))
        found += [sid for _, sid in sorted(below, reverse=True) if sid not in found]
        if current not in system.receiver:
            break
        current, at = system.receiver[current]
    return river, found


def owned_units(task: pd.Series) -> list[str]:
    return [u.strip() for u in str(task.get("responsible_units") or "").split(LIST_SEP) if u.strip()]
