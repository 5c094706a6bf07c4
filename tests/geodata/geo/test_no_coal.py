"""禁煤区: only commitments naming an area get a polygon; the rest stay notes on their jurisdiction."""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd

from geodata.geo.no_coal import ELEVATION_NOTE, build_no_coal
from tests.conftest import REPO

GEO = REPO / "data" / "geo"
PLANS = REPO / "data" / "plans"


def test_the_yanhu_no_coal_zone_is_the_district_polygon_with_its_elevation_caveat():
    zones = gpd.read_file(GEO / "no_coal_zones.geojson")
    admin = gpd.read_file(GEO / "admin_units.geojson")
    yanhu = admin[(admin["level"] == "county") & (admin["name"] == "盐湖区")].geometry.iloc[0]
    assert set(zones["area_name"]) == {"盐湖区全域"}
    assert set(zones["county"]) == {"盐湖区"}
    assert zones["note"].eq(ELEVATION_NOTE).all()
    assert "海拔500米以上区域未精确扣除" in ELEVATION_NOTE
    for geom in zones.geometry:
        assert geom.symmetric_difference(yanhu).area < 1e-6 * yanhu.area


def test_commitments_without_an_area_are_listed_as_notes():
    table = pd.read_csv(PLANS / "no_coal_zones.csv", dtype=str, keep_default_na=False)
    meta = json.loads((GEO / "no_coal_zones.geojson").read_text(encoding="utf-8"))["metadata"]
    zones = gpd.read_file(GEO / "no_coal_zones.geojson")
    noted = {n["id"] for n in meta["notes"]}
    assert noted | set(zones["id"]) == set(table["id"])
    assert noted.isdisjoint(set(zones["id"]))
    assert {n["jurisdiction"] for n in meta["notes"]} == {"运城市", "晋城市", "陵川县"}
    key_counties = [n for n in meta["notes"] if n["area_name"] == "重点县（市、区）"]
    assert len(key_counties) == 1 and "未指明" in key_counties[0]["reason"]
    assert meta["precision_note"] == ELEVATION_NOTE


def test_only_a_whole_county_becomes_a_polygon():
    admin = gpd.read_file(GEO / "admin_units.geojson")
    zones = pd.DataFrame([
        {"id": "a", "jurisdiction": "x", "area_name": "泽州县全域", "exclusions": "", "source_file": "f", "source_line": "1"},
        {"id": "b", "jurisdiction": "x", "area_name": "中心城区", "exclusions": "", "source_file": "f", "source_line": "2"},
        {"id": "c", "jurisdiction": "x", "area_name": "", "exclusions": "", "source_file": "f", "source_line": "3"},
        {"id": "d", "jurisdiction": "x", "area_name": "某某区全域", "exclusions": "", "source_file": "f", "source_line": "4"},
    ])
    frame, notes = build_no_coal(zones, admin)
    assert list(frame["id"]) == ["a"] and frame["note"].iloc[0] == ""
    assert [n["id"] for n in notes] == ["b", "c", "d"]
