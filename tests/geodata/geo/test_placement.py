"""Placed records: inside their county, on their river, honest about precision and sources."""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import LineString, Point, box
from shapely.ops import unary_union

from geodata.geo.area import AREA_BOUNDS, in_area
from geodata.geo.build import build_placements
from geodata.geo.placement import (
    BORDER_TOLERANCE_DEG,
    MOUTH_TOLERANCE_DEG,
    NOT_A_RIVER,
    PLACEMENT_SOURCES,
    RESERVOIR_RIVERS,
    RIVER_MOUTHS,
    place_points,
    place_sections,
)
from geodata.geo.rivers import MISSING_RIVERS
from tests.conftest import REPO

GEO = REPO / "data" / "geo"
PLANS = REPO / "data" / "plans"
POINT_LAYERS = ("sections", "groundwater_points", "drinking_water_sources", "enterprises")


def _layer(name: str) -> gpd.GeoDataFrame:
    return gpd.read_file(GEO / f"{name}.geojson")


def _meta(name: str) -> dict:
    return json.loads((GEO / f"{name}.geojson").read_text(encoding="utf-8"))["metadata"]


@pytest.fixture(scope="module")
def counties():
    admin = _layer("admin_units")
    return admin[admin["level"] == "county"].set_index("name")


def test_every_placed_section_lies_in_its_county_or_within_2_km_of_it(counties):
    sections = _layer("sections")
    assert len(sections) >= 30
    for _, s in sections.iterrows():
        polygon = counties.loc[s["county"], "geometry"]
        tolerance = MOUTH_TOLERANCE_DEG if s["id"] in RIVER_MOUTHS else BORDER_TOLERANCE_DEG
        assert polygon.buffer(tolerance).contains(s.geometry), (s["id"], s["method"])
        if s["precision"] == "county":
            assert polygon.contains(s.geometry), s["id"]


def test_only_border_and_mouth_sections_lie_outside_their_county(counties):
    outside = {s["id"] for _, s in _layer("sections").iterrows() if not counties.loc[s["county"], "geometry"].contains(s.geometry)}
    # 黄河 along the 运城 border, 沁河 along the 阳城/泽州 border at 拴驴泉, the 汾河 mouth
    assert outside <= {"运城市:龙门", "运城市:风陵渡大桥", "运城市:庙前村", "晋城市:拴驴泉"}, outside


def test_every_point_of_every_layer_is_inside_the_area(counties):
    area = unary_union(list(counties.geometry)).buffer(MOUTH_TOLERANCE_DEG)
    for name in POINT_LAYERS:
        frame = _layer(name)
        assert len(frame) > 0, name
        assert frame.geometry.within(area).all(), name
        assert all(in_area(p.x, p.y, AREA_BOUNDS) for p in frame.geometry), name
        assert set(frame["precision"]) <= {"exact", "village", "town", "river", "county"}, name
        assert frame["method"].str.len().gt(0).all(), name
        assert (frame["lon"].round(5) == frame.geometry.x.round(5)).all(), name


def test_point_records_in_a_county_are_placed_and_the_rest_are_listed_as_unplaced(counties):
    for name in POINT_LAYERS[1:]:
        table = pd.read_csv(PLANS / f"{name}.csv", dtype=str, keep_default_na=False).drop_duplicates("id")
        frame = _layer(name)
        unplaced = {u["id"] for u in _meta(name)["unplaced"]}
        assert set(frame["id"]) | unplaced == set(table["id"]), name
        assert set(frame["id"]).isdisjoint(unplaced), name
        with_county = set(table.loc[table["county"].isin(counties.index), "id"])
        assert set(frame["id"]) == with_county, name
        for _, r in frame[frame["precision"] == "county"].iterrows():
            # records sharing a county share its representative point: no invented offsets
            point = counties.loc[r["county"], "geometry"].representative_point()
            assert r.geometry.distance(point) < 1e-5, r["id"]


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
    unknown = {r for r in named if r not in mapped and r not in MISSING_RIVERS and r not in NOT_A_RIVER
               and r not in RESERVOIR_RIVERS}
    assert unknown == set()
    assert {line for line, _ in RESERVOIR_RIVERS.values()} <= mapped


def test_unplaced_sections_are_listed_explicitly():
    unplaced = {u["id"]: u["reason"] for u in _meta("sections")["unplaced"]}
    assert sorted(unplaced) == [
        "晋城市:寺底南桥", "运城市:三门峡水库", "运城市:小浪底水库南山", "运城市:小韩村（西曲村）", "运城市:曾家营", "运城市:柴村桥",
    ]
    assert unplaced["晋城市:寺底南桥"].startswith("“开发区”没有行政区边界数据")
    for sid in ("运城市:柴村桥", "运城市:小韩村（西曲村）", "运城市:曾家营", "运城市:三门峡水库", "运城市:小浪底水库南山"):
        assert unplaced[sid].startswith("原文未写明所在县，未定位"), sid


def test_precision_of_the_sections_is_as_expected():
    sections = _layer("sections").set_index("id")
    on_river = set(sections.index[sections["precision"] == "river"])
    assert on_river == {
        "晋城市:张峰水库出口", "晋城市:拴驴泉", "晋城市:润城", "晋城市:牛村", "晋城市:赵庄", "晋城市:青天河",
        "运城市:上亳城", "运城市:庙前村", "运城市:张留庄", "运城市:河津", "运城市:风陵渡大桥", "运城市:龙门",
        "长治市:后湾水库出口", "长治市:甘村",
    }
    assert "浊漳 支流" in sections.loc["长治市:小蛟", "method"]
    assert sections.loc["长治市:小蛟", "precision"] == "county"


def test_placement_reads_only_wgs84_sources():
    text = " ".join(PLACEMENT_SOURCES.values())
    assert "天地图" in PLACEMENT_SOURCES["admin_units"]
    assert "国家基础地理信息中心" in PLACEMENT_SOURCES["rivers"]
    assert "GeoNames" in PLACEMENT_SOURCES["towns"]
    for forbidden in ("cnmaps", "Amap", "高德", "GCJ", "Baidu", "百度", "Tencent", "腾讯"):
        assert forbidden.lower() not in text.lower()
    for name in ("admin_units", "rivers", "towns", *POINT_LAYERS, "reaches", "no_coal_zones"):
        meta = _meta(name)
        assert meta["crs"] == "EPSG:4326", name
        assert "gcj" not in json.dumps(meta, ensure_ascii=False).lower(), name


def test_placement_build_is_deterministic_and_matches_the_committed_files(tmp_path):
    for name in ("admin_units", "rivers", "towns"):
        (tmp_path / f"{name}.geojson").write_bytes((GEO / f"{name}.geojson").read_bytes())
    counts = build_placements(PLANS, tmp_path)
    first = {p.name: p.read_bytes() for p in tmp_path.glob("*.geojson")}
    build_placements(PLANS, tmp_path)
    assert first == {p.name: p.read_bytes() for p in tmp_path.glob("*.geojson")}
    for name in (*POINT_LAYERS, "reaches", "no_coal_zones"):
        assert first[f"{name}.geojson"] == (GEO / f"{name}.geojson").read_bytes(), name
    assert counts["sections"] == len(_layer("sections"))


# --- the rules on small made-up inputs -------------------------------------------------------

def _toy():
    admin = gpd.GeoDataFrame(
        {"name": ["甲县", "乙县"], "level": ["county", "county"]},
        geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)], crs="EPSG:4326",
    )
    rivers = gpd.GeoDataFrame({"name": ["沁河", "丹河"]},
                              geometry=[LineString([(0.5, 1), (0.5, 0)]), LineString([(1.5, 1), (1.5, 0)])], crs="EPSG:4326")
    towns = gpd.GeoDataFrame(
        {"name": ["润城镇", "甲县", "北留镇"], "county": ["甲县", "甲县", "乙县"], "geonameid": [1, 2, 3]},
        geometry=[Point(0.6, 0.8), Point(0.3, 0.3), Point(1.2, 0.2)], crs="EPSG:4326",
    )
    return admin, rivers, towns


def test_a_section_goes_to_its_river_nearest_the_town_it_is_named_after():
    admin, rivers, towns = _toy()
    sections = pd.DataFrame([
        {"id": "a", "name": "润城", "river": "沁河", "county": "甲县"},
        {"id": "b", "name": "某桥", "river": "沁河", "county": "甲县"},
        {"id": "c", "name": "某村", "river": "丹河", "county": "甲县"},
        {"id": "d", "name": "某库", "river": "张峰水库", "county": "甲县"},
        {"id": "e", "name": "某处", "river": "", "county": ""},
        {"id": "f", "name": "小蛟", "river": "浊漳支流", "county": "乙县"},
    ])
    placed = place_sections(sections, admin, rivers, towns).set_index("id")
    assert placed.loc["a", "precision"] == "river" and (placed.loc["a", "lon"], placed.loc["a", "lat"]) == (0.5, 0.8)
    assert "润城镇" in placed.loc["a", "method"]
    assert placed.loc["b", "precision"] == "river" and placed.loc["b", "lon"] == 0.5
    assert placed.loc["c", "precision"] == "county" and "不经过甲县" in placed.loc["c", "method"]
    assert placed.loc["d", "precision"] == "river" and "张峰水库" in placed.loc["d", "method"]
    assert placed.loc["e", "precision"] == "none" and placed.loc["e", "geometry"] is None
    assert placed.loc["f", "precision"] == "county" and "未写明哪一条" in placed.loc["f", "method"]


def test_points_use_a_town_named_in_them_else_the_shared_county_point():
    admin, _, towns = _toy()
    records = pd.DataFrame([
        {"id": "1", "name": "北留工业园区", "county": "乙县", "required_action": ""},
        {"id": "2", "name": "某公司", "county": "乙县", "required_action": "在北留镇建设"},
        {"id": "3", "name": "某厂", "county": "乙县", "required_action": ""},
        {"id": "4", "name": "另一厂", "county": "乙县", "required_action": ""},
        {"id": "5", "name": "甲县某厂", "county": "甲县", "required_action": ""},
        {"id": "6", "name": "无县厂", "county": "", "required_action": ""},
    ])
    placed = place_points(records, "enterprises", admin, towns).set_index("id")
    assert placed.loc["1", "precision"] == "town" and placed.loc["2", "precision"] == "town"
    assert placed.loc["3", "precision"] == "county"
    assert placed.loc["3", "geometry"].equals(placed.loc["4", "geometry"])  # same point, no jitter
    # a "town" named like the county says no more than the county
    assert placed.loc["5", "precision"] == "county"
    assert placed.loc["6", "precision"] == "none"
