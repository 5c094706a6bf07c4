"""Groundwater monitoring points and drinking-water sources, checked against the seed plans."""

from __future__ import annotations

from pathlib import Path

import pytest

from geodata.model import LIST_SEP
from geodata.plans.extract import Extraction, extract_document
from geodata.plans.text import squash_cjk_spaces
from tests.conftest import seed as _seed


@pytest.fixture(scope="module")
def docs() -> dict[str, Extraction]:
    return {prefix: extract_document(_seed(prefix)) for prefix in ("000", "001", "002", "003", "004")}


def _line(path: Path, n: int) -> str:
    return squash_cjk_spaces(path.read_text(encoding="utf-8").splitlines()[n - 1])


# ------------------------------------------------------------------ groundwater points


@pytest.mark.parametrize(
    ("name", "county", "kind", "target_class"),
    [
        ("东埝村", "万荣县", "区域点位", "Ⅴ"),
        ("李家窑村", "垣曲县", "区域点位", "Ⅴ"),
        ("裴村", "闻喜县", "区域点位", "Ⅴ"),
        ("西陌村", "芮城县", "区域点位", "Ⅴ"),
        ("天城堡村", "河津市", "污染风险监控点位", "Ⅴ"),
        ("王桐村", "盐湖区", "污染风险监控点位", "Ⅴ"),
        ("张郭店", "夏县", "饮用水源点位", "Ⅲ"),
    ],
)
def test_000_seven_national_points(docs, name, county, kind, target_class):
    points = {p["name"]: p for p in docs["000"].tables["groundwater_points"]}
    p = points[name]
    assert (p["county"], p["city"], p["kind"], p["level"]) == (county, "运城市", kind, "国考")
    assert p["target_class"] == target_class
    assert p["target_text"].startswith("地下水国考" + kind.removesuffix("点位"))  # the plan's own sentence
    assert (p["lon"], p["lat"], p["precision"]) == ("", "", "none")
    assert name in _line(_seed("000"), p["source_line"])


def test_000_exactly_seven_and_no_warning(docs):
    ex = docs["000"]
    assert ex.count("groundwater_points") == 7
    assert not [w for w in ex.warnings if "点位" in w]
    assert len({p["id"] for p in ex.tables["groundwater_points"]}) == 7


def test_001_single_named_point(docs):
    (p,) = docs["001"].tables["groundwater_points"]
    assert (p["name"], p["county"], p["city"], p["kind"], p["level"], p["target_class"]) == (
        "西水源地",
        "襄垣县",
        "长治市",
        "饮用水源点位",
        "国考",
        "Ⅲ",
    )
    assert p["source_line"] == 345


@pytest.mark.parametrize("prefix", ["002", "003", "004"])
def test_no_points_invented(docs, prefix):
    assert docs[prefix].count("groundwater_points") == 0


# ------------------------------------------------------------------ drinking-water sources


def _by_name(ex: Extraction) -> dict[str, dict]:
    return {r["name"]: r for r in ex.tables["drinking_water_sources"]}


def test_000_city_level_sources_class(docs):
    src = _by_name(docs["000"])["市级集中式饮用水水源"]
    assert (src["scale"], src["target_class"], src["source_line"]) == ("市级", "Ⅲ", 27)
    assert "全部达到或优于Ⅲ类" in src["requirement"]
    rural = _by_name(docs["000"])["农村千人供水工程饮用水水源"]
    assert rural["scale"] == "农村千人"
    assert rural["responsible_units"].split(LIST_SEP) == ["市生态环境局", "市水务局"]
    gw = _by_name(docs["000"])["“千吨万人”及以上规模集中式地下水型饮用水源"]
    assert (gw["kind"], gw["deadline"], gw["deadline_text"]) == ("地下水", "2023-12-31", "2023 年底前")


def test_001_project_list_sources(docs):
    srcs = _by_name(docs["001"])
    rural = srcs["农村千人饮用水水源"]
    assert (rural["scale"], rural["deadline"], rural["county"]) == ("农村千人", "2023-12-31", "襄垣县")
    assert rural["responsible_units"].split(LIST_SEP) == ["市生态环境局襄垣分局", "县水利局"]
    for owner in ("潞安化工集团", "襄矿集团"):
        rec = srcs[f"{owner}“千吨万人”饮用水水源"]
        assert rec["scale"] == "千吨万人" and rec["deadline"] == "2023-12-31" and rec["source_line"] == 125
    assert srcs["西水源地"]["kind"] == "地下水" and srcs["西水源地"]["target_class"] == "Ⅲ"
    assert srcs["“千吨万人”以上的集中式饮用水水源"]["target_class"] == "Ⅲ"


def test_002_city_wide_commitment(docs):
    src = _by_name(docs["002"])["集中式饮用水水源"]
    assert src["target_class"] == "Ⅲ" and src["deadline"] == "2025-12-31"
    assert "100%达到或优于Ⅲ类" in src["requirement"]


def test_003_named_reservoir_source(docs):
    src = _by_name(docs["003"])["张峰水库水源地"]
    assert (src["county"], src["kind"], src["deadline"], src["responsible_units"]) == (
        "沁水县",
        "地表水",
        "2022-12-31",
        "沁水县政府",
    )
    county_level = _by_name(docs["003"])["县级及以上饮用水水源"]
    assert county_level["deadline"] == "2022-05-31" and county_level["deadline_text"] == "5 月底前"


def test_004_county_and_township_sources(docs):
    srcs = _by_name(docs["004"])
    assert {"县级集中式饮用水水源", "乡镇级集中式饮用水水源", "集中式饮用水水源"} <= set(srcs)
    assert srcs["集中式饮用水水源"]["target_class"] == "Ⅲ"
    assert all(r["county"] == "陵川县" for r in srcs.values())


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_sources_one_per_category_and_cited(docs, prefix):
    ex = docs[prefix]
    rows = ex.tables["drinking_water_sources"]
    assert rows, "every seed commits to something about drinking-water sources"
    assert len({r["id"] for r in rows}) == len(rows)
    text = _seed(prefix).read_text(encoding="utf-8").splitlines()
    for r in rows:
        assert r["source_file"] == _seed(prefix).name and r["precision"] == "none" and r["lon"] == ""
        line = squash_cjk_spaces(text[r["source_line"] - 1]).replace(" ", "")
        assert "水源" in line or "源" in line, r
