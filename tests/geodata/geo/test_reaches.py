"""Reaches: oriented downstream, cover their river without gaps, end at their governing section."""

from __future__ import annotations

import json

import geopandas as gpd
import pytest
from shapely.geometry import LineString, MultiLineString, Point
from shapely.ops import unary_union

from geodata.geo.reaches import OUTLETS, Network, area_of, build_reaches
from tests.conftest import REPO

GEO = REPO / "data" / "geo"


def _layer(name: str) -> gpd.GeoDataFrame:
    return gpd.read_file(GEO / f"{name}.geojson")


@pytest.fixture(scope="module")
def layers():
    return _layer("reaches"), _layer("rivers").set_index("name"), _layer("sections").set_index("id"), _layer("admin_units")


def test_every_river_with_sections_on_it_has_reaches_and_a_documented_outlet(layers):
    reaches, rivers, sections, _ = layers
    on_rivers = sections[sections["precision"].isin(["river", "exact"])]
    assert set(reaches["river"]) == {"丹河", "亳清河", "汾河", "沁河", "浊漳西源", "涑水河", "黄河"}
    assert set(reaches["river"]) <= set(OUTLETS)
    # sections placed at the same point as another (both at the point of the river nearest the
    # county point) do not govern a reach of their own
    assert set(on_rivers.index) - set(reaches["governing_section_id"]) == {"晋城市:赵庄", "长治市:甘村"}
    meta = json.loads((GEO / "reaches.geojson").read_text(encoding="utf-8"))["metadata"]
    assert set(meta["flow_direction"]) == set(OUTLETS)
    assert "governing=upstream" in meta["rule"]


def test_reaches_cover_their_river_without_gaps_or_overlaps(layers):
    reaches, rivers, _, admin = layers
    area = area_of(admin)
    for river, pieces in reaches.groupby("river"):
        covered = unary_union(list(pieces.geometry))
        clipped = rivers.loc[river, "geometry"].intersection(area)
        assert abs(covered.length - clipped.length) / clipped.length < 0.001, river
        assert abs(pieces.geometry.length.sum() - clipped.length) / clipped.length < 0.001, river  # no overlaps
        # the files round coordinates to ~1 m, so coverage is checked at that tolerance
        assert clipped.difference(covered.buffer(2e-5)).length < 0.001 * clipped.length, river
        assert covered.difference(clipped.buffer(2e-5)).length < 0.001 * clipped.length, river


def test_lengths_are_in_kilometres(layers):
    reaches, _, _, _ = layers
    projected = reaches.to_crs("EPSG:4547").length / 1000
    assert ((projected - reaches["length_km"]).abs() < 0.02).all()


def _ends(geom) -> list[Point]:
    parts = geom.geoms if isinstance(geom, MultiLineString) else [geom]
    return [Point(p.coords[i]) for p in parts for i in (0, -1)]


def test_each_governing_section_lies_at_an_end_of_its_reach(layers):
    reaches, _, sections, _ = layers
    for _, r in reaches[reaches["governing"] == "downstream"].iterrows():
        point = sections.loc[r["governing_section_id"], "geometry"]
        assert min(e.distance(point) for e in _ends(r.geometry)) < 1e-4, (r["river"], r["reach_no"])


def test_flow_directions(layers):
    reaches, rivers, sections, _ = layers
    # sections in downstream order along each river; reaches numbered upstream → downstream
    expected = {
        "沁河": ["晋城市:张峰水库出口", "晋城市:润城", "晋城市:拴驴泉"],
        "汾河": ["运城市:河津", "运城市:庙前村"],
        "黄河": ["运城市:龙门", "运城市:风陵渡大桥"],
    }
    for river, order in expected.items():
        mine = reaches[(reaches["river"] == river) & (reaches["governing"] == "downstream")].sort_values("reach_no")
        assert list(mine["governing_section_id"]) == order, river
    # the main stem of each river runs towards its outlet
    for river, (lon, lat, _) in OUTLETS.items():
        net = Network(rivers.loc[river, "geometry"], Point(lon, lat))
        main = max(net.edges, key=lambda e: e.length)
        assert Point(main.coords[-1]).distance(Point(lon, lat)) < Point(main.coords[0]).distance(Point(lon, lat)), river
    yellow = Network(rivers.loc["黄河", "geometry"], Point(OUTLETS["黄河"][:2]))
    along_west = [e for e in yellow.edges if e.length > 2 and e.coords[0][0] < 111]
    assert all(e.coords[-1][1] < e.coords[0][1] for e in along_west)  # southward along the 运城 west border


def test_the_stretch_below_the_last_section_is_governed_from_upstream(layers):
    reaches, _, _, _ = layers
    below = reaches[reaches["governing"] == "upstream"].set_index("river")["governing_section_id"].to_dict()
    assert below["黄河"] == "运城市:风陵渡大桥"
    assert below["沁河"] == "晋城市:拴驴泉"
    assert below["丹河"] == "晋城市:青天河"


def _toy_sections(points: dict[str, tuple[float, float]], river: str) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"id": list(points), "name": list(points), "precision": "river", "line_river": river},
        geometry=[Point(p) for p in points.values()], crs="EPSG:4326",
    )


def test_a_line_drawn_against_the_flow_is_reversed_and_cut_at_its_sections():
    # drawn from the outlet (south) to the source (north): the flow is southwards
    rivers = gpd.GeoDataFrame({"name": ["沁河"]}, geometry=[LineString([(112.5, 35.2), (112.5, 36.0)])], crs="EPSG:4326")
    sections = _toy_sections({"上": (112.5, 35.8), "下": (112.5, 35.4)}, "沁河")
    reaches = build_reaches(rivers, sections).set_index("reach_no")
    assert list(reaches["governing_section_id"]) == ["上", "下", "下"]
    assert list(reaches["governing"]) == ["downstream", "downstream", "upstream"]
    assert reaches.loc[1, "geometry"].coords[-1] == (112.5, 35.8)
    assert reaches.loc[2, "geometry"].coords[0] == (112.5, 35.8) and reaches.loc[2, "geometry"].coords[-1] == (112.5, 35.4)
    assert abs(sum(reaches.geometry.length) - 0.8) < 1e-9


def test_both_banks_of_a_double_line_stretch_are_cut_at_the_same_section():
    # a single line above and below a stretch drawn as two banks; the 黄河 outlet is to the south-east
    upper, lower = [(110.3, 36.5), (110.3, 36.0)], [(110.3, 35.0), (110.5, 35.0)]
    banks = [[(110.3, 36.0), (110.3, 35.0)], [(110.3, 36.0), (110.35, 35.5), (110.3, 35.0)]]
    rivers = gpd.GeoDataFrame({"name": ["黄河"]}, geometry=[MultiLineString([upper, lower, *banks])], crs="EPSG:4326")
    sections = _toy_sections({"S": (110.3, 35.5)}, "黄河")
    reaches = build_reaches(rivers, sections).set_index("governing")
    assert list(reaches.index) == ["downstream", "upstream"]
    above, below = reaches.loc["downstream", "geometry"], reaches.loc["upstream", "geometry"]
    bank_length = sum(LineString(b).length for b in banks)
    assert abs(above.length - (0.5 + bank_length / 2)) < 0.01  # the upper halves of both banks
    assert abs(below.length - (0.2 + bank_length / 2)) < 0.01
