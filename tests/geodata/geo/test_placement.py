"""Placed records: inside their county, on their river, honest about precision; reaches without gaps."""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
import pytest
from shapely.ops import unary_union

from geodata.geo.build import build_placements
from geodata.geo.locate import NOT_A_RIVER, RESERVOIR_RIVERS
from geodata.geo.rivers import MISSING_RIVERS
from tests.conftest import REPO

GEO = REPO / "data" / "geo"
PLANS = REPO / "data" / "plans"


def _layer(name: str) -> gpd.GeoDataFrame:
    return gpd.read_file(GEO / f"{name}.geojson")


@pytest.fixture(scope="module")
def counties():
    admin = _layer("admin_units")
    return admin[admin["level"] == "county"].set_index("name")


def test_every_placed_section_lies_in_its_county_or_within_2_km_of_it(counties):
    sections = _layer("sections")
    assert len(sections) >= 30
    for _, s in sections.iterrows():
        polygon = counties.loc[s["county"], "geometry"]
        assert polygon.buffer(0.02).contains(s.geometry), (s["id"], s["method"])


def test_every_point_of_every_layer_is_inside_the_area(counties):
    area = unary_union(list(counties.geometry)).buffer(0.02)
    for name in ("sections", "groundwater_points", "drinking_water_sources", "enterprises"):
        frame = _layer(name)
        assert frame.geometry.within(area).all(), name
        assert set(frame["precision"]) <= {"exact", "village", "town", "river", "county"}, name
        assert frame["method"].str.len().gt(0).all(), name


def test_sections_on_a_river_are_on_that_river():
    rivers = _layer("rivers").set_index("name")
    for _, s in _layer("sections").iterrows():
        if s["precision"] != "river":
            continue
        line_name = RESERVOIR_RIVERS.get(s["river"], (s["river"], ""))[0]
        assert rivers.loc[line_name, "geometry"].distance(s.geometry) < 1e-4, s["id"]


def test_every_river_named_by_a_section_is_mapped_or_listed_as_missing():
    mapped = set(_layer("rivers")["name"])
    named = set(pd.read_csv(PLANS / "sections.csv", dtype=str, keep_default_na=False)["river"]) - {""}
    unknown = {r for r in named if r not in mapped and r not in MISSING_RIVERS and r not in NOT_A_RIVER}
    assert unknown == set()


def test_unplaced_sections_are_exactly_those_without_a_county():
    meta = json.loads((GEO / "sections.geojson").read_text(encoding="utf-8"))["metadata"]
    unplaced = {u["name"]: u["reason"] for u in meta["unplaced"]}
    assert set(unplaced) == {"小浪底水库南山", "三门峡水库", "柴村桥", "小韩村（西曲村）", "曾家营", "寺底南桥"}
    assert unplaced["寺底南桥"].startswith("“开发区”没有行政区边界数据")


def test_reaches_cover_their_river_without_gaps():
    reaches = _layer("reaches")
    rivers = _layer("rivers").set_index("name")
    counties = _layer("admin_units")
    area = unary_union(list(counties[counties["level"] == "county"].geometry)).buffer(0.03)
    for river, pieces in reaches.groupby("river"):
        covered = unary_union(list(pieces.geometry))
        clipped = rivers.loc[river, "geometry"].intersection(area)
        assert abs(covered.length - clipped.length) / clipped.length < 0.001, river
        # the files round coordinates to ~1 m, so coverage is checked at that tolerance
        assert clipped.difference(covered.buffer(2e-5)).length < 0.001 * clipped.length, river


def test_each_reach_ends_at_its_governing_section():
    reaches = _layer("reaches")
    sections = _layer("sections").set_index("id")
    for _, r in reaches[reaches["governing"] == "downstream"].iterrows():
        end = r.geometry.boundary.geoms[-1] if hasattr(r.geometry.boundary, "geoms") else r.geometry
        assert end.distance(sections.loc[r["governing_section_id"], "geometry"]) < 1e-4, r["reach_no"]


def test_the_yanhu_no_coal_zone_is_drawn_with_its_elevation_caveat():
    zones = _layer("no_coal_zones")
    assert set(zones["area_name"]) == {"盐湖区全域"}
    assert zones["note"].str.contains("海拔500米以上区域未精确扣除").all()
    notes = json.loads((GEO / "no_coal_zones.geojson").read_text(encoding="utf-8"))["metadata"]["notes"]
    assert len(notes) == 13  # commitments without an area stay notes on their jurisdiction


def test_placement_build_is_deterministic(tmp_path):
    for name in ("admin_units", "rivers", "towns"):
        (tmp_path / f"{name}.geojson").write_bytes((GEO / f"{name}.geojson").read_bytes())
    build_placements(PLANS, tmp_path)
    first = {p.name: p.read_bytes() for p in tmp_path.glob("*.geojson")}
    build_placements(PLANS, tmp_path)
    assert first == {p.name: p.read_bytes() for p in tmp_path.glob("*.geojson")}
    for name in ("sections", "reaches", "enterprises", "no_coal_zones"):
        assert first[f"{name}.geojson"] == (GEO / f"{name}.geojson").read_bytes(), name
