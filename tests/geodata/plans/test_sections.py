"""Surface-water sections and their targets, checked against the five seed plans."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from geodata.plans.extract import Extraction, extract_document
from geodata.plans.text import squash_cjk_spaces
from tests.conftest import seed as _seed


@pytest.fixture(scope="module")
def docs() -> dict[str, Extraction]:
    return {prefix: extract_document(_seed(prefix)) for prefix in ("000", "001", "002", "003", "004")}


def _sections(ex: Extraction) -> dict[str, dict]:
    return {r["name"]: r for r in ex.tables["sections"]}


def _targets(ex: Extraction) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for r in ex.tables["section_targets"]:
        out.setdefault(r["section_name"], []).append(r)
    return out


# ------------------------------------------------------------------ 003 晋城市 附件1


def test_003_has_the_22_table_sections(docs):
    ex = docs["003"]
    assert ex.count("sections") == 22
    assert ex.count("section_targets") == 22
    assert {r["level"] for r in ex.tables["sections"]} == {"国考", "省考", "市考"}
    assert all(r["city"] == "晋城市" for r in ex.tables["sections"])


@pytest.mark.parametrize(
    ("name", "county", "level", "target_class", "target_text"),
    [
        ("赵庄", "高平市", "国考", "", "完成省定目标"),
        ("张峰水库出口", "沁水县", "国考", "", "完成省定目标"),
        ("拴驴泉", "泽州县", "国考", "", "完成省定目标"),
        ("尉迟", "沁水县", "省考", "", "完成省定目标"),
        ("白水河", "城区", "省考", "", "完成省定目标"),
        ("寺底南桥", "开发区", "市考", "Ⅴ", "V类"),
        ("东焦河水库出口", "泽州县", "市考", "Ⅲ", "III类"),
        ("北焦庄", "泽州县", "市考", "Ⅳ", "IV类"),
        ("高平河西", "高平市", "市考", "Ⅳ", "IV类"),
        ("台北村", "陵川县", "市考", "Ⅳ", "IV类"),
        ("郑庄", "沁水县", "市考", "Ⅲ", "III类"),
    ],
)
def test_003_rows(docs, name, county, level, target_class, target_text):
    sec = _sections(docs["003"])[name]
    assert (sec["county"], sec["level"], sec["city"]) == (county, level, "晋城市")
    assert sec["id"] == f"晋城市:{name}"
    (target,) = _targets(docs["003"])[name]
    assert (target["year"], target["target_class"], target["target_text"], target["kind"]) == (
        2022,
        target_class,
        target_text,
        "target",
    )
    assert target["county"] == county


def test_003_rivers_are_plan_or_curation_never_guessed(docs):
    secs = _sections(docs["003"])
    assert (secs["赵庄"]["river"], secs["赵庄"]["river_source"]) == ("丹河", "curation")
    assert (secs["润城"]["river"], secs["润城"]["river_source"]) == ("沁河", "curation")
    assert (secs["张峰水库出口"]["river"], secs["张峰水库出口"]["river_source"]) == ("张峰水库", "plan")
    assert (secs["洞头"]["river"], secs["洞头"]["river_source"]) == ("", "")  # nothing to go on
    assert all(
        r["lon"] == "" and r["lat"] == "" and r["precision"] == "none" for r in docs["003"].tables["sections"]
    )


# ------------------------------------------------------------------ 001 襄垣县


def test_001_table_sections(docs):
    secs = _sections(docs["001"])
    houwan = secs["后湾水库出口"]
    assert (houwan["level"], houwan["level_as_written"], houwan["river"], houwan["river_source"]) == (
        "国考",
        "国控",
        "浊漳西源",
        "plan",
    )
    assert (houwan["county"], houwan["city"], houwan["id"]) == ("襄垣县", "长治市", "长治市:后湾水库出口")
    # the blank 河流 cell of 甘村 is "same as above" (a merged cell): 浊漳西源
    assert (secs["甘村"]["name_as_written"], secs["甘村"]["level"], secs["甘村"]["river"]) == (
        "甘 村",
        "省考",
        "浊漳西源",
    )
    assert (secs["小蛟"]["river"], secs["小蛟"]["level"]) == ("浊漳支流", "国考")


def test_001_annex_targets_are_2023_only_and_the_body_restates_them_for_the_period(docs):
    targets = docs["001"].tables["section_targets"]
    annex = {(t["section_name"], t["year"], t["target_class"]) for t in targets if t["source_line"] != 27}
    assert annex == {("后湾水库出口", 2023, "Ⅱ"), ("甘村", 2023, "Ⅲ"), ("小蛟", 2023, "Ⅲ")}
    # line 27 "国考后湾水库断面要稳定保持地表水Ⅱ类；国考小蛟断面和省考甘村断面水质保持地表水Ⅲ类"
    body = {(t["section_name"], t["year"], t["target_class"]) for t in targets if t["source_line"] == 27}
    assert body == {(n, y, c) for n, c in (("后湾水库出口", "Ⅱ"), ("甘村", "Ⅲ"), ("小蛟", "Ⅲ")) for y in (2022, 2023)}


def test_001_text_only_section_xiying(docs):
    secs = _sections(docs["001"])
    assert set(secs) == {"后湾水库出口", "甘村", "小蛟", "西营"}  # line 27 restates the table
    xiying = secs["西营"]
    assert (xiying["county"], xiying["city"], xiying["level"], xiying["source_line"]) == (
        "襄垣县",
        "长治市",
        "",
        77,
    )
    assert "西营" not in _targets(docs["001"])


# ------------------------------------------------------------------ 004 陵川县


def test_004_three_sections_2023(docs):
    ex = docs["004"]
    assert {r["name"] for r in ex.tables["sections"]} == {"台北村", "桥西村", "汇源水库出口"}
    assert {(t["year"], t["target_class"], t["kind"]) for t in ex.tables["section_targets"]} == {
        (2023, "Ⅲ", "target")
    }
    assert all(r["level"] == "市考" and r["level_as_written"] == "市考" for r in ex.tables["sections"])


def test_same_section_same_id_across_documents(docs):
    ids_003 = {r["name"]: r["id"] for r in docs["003"].tables["sections"]}
    ids_004 = {r["name"]: r["id"] for r in docs["004"].tables["sections"]}
    assert ids_003["台北村"] == ids_004["台北村"] == "晋城市:台北村"
    assert ids_003["桥西村"] == ids_004["桥西村"] == "晋城市:桥西村"
    again = extract_document(_seed("004"))
    assert [r["id"] for r in again.tables["sections"]] == [r["id"] for r in docs["004"].tables["sections"]]


# ------------------------------------------------------------------ 002 运城 十四五 (PDF text)


def test_002_sections_named_in_text(docs):
    secs = _sections(docs["002"])
    assert len(secs) >= 11
    assert {
        "柴村桥",
        "庙前村",
        "小韩村（西曲村）",
        "张留庄",
        "曾家营",
        "风陵渡大桥",
        "三门峡水库",
        "小浪底水库南山",
        "河津",
    } <= set(secs)
    assert "庙前" not in secs and "南山" not in secs  # merged by curation (same_as)
    assert all(r["city"] == "运城市" for r in secs.values())


def test_002_national_sections_with_2020_classes(docs):
    secs = _sections(docs["002"])
    national = {n for n, r in secs.items() if r["level"] == "国考"}
    assert national == {"龙门", "风陵渡大桥", "小浪底水库南山", "三门峡水库", "上亳城", "庙前村", "张留庄"}
    observed = {
        t["section_name"]: t for t in docs["002"].tables["section_targets"] if t["kind"] == "observed"
    }
    assert set(observed) == national
    assert all(t["year"] == 2020 for t in observed.values())
    classes = [t["target_class"] for t in observed.values()]
    assert classes.count("Ⅲ") == 5 and classes.count("Ⅴ") == 2
    assert observed["张留庄"]["target_class"] == observed["庙前村"]["target_class"] == "Ⅴ"


def test_002_river_prefix_and_curated_county(docs):
    secs = _sections(docs["002"])
    assert (secs["龙门"]["name_as_written"], secs["龙门"]["river"], secs["龙门"]["river_source"]) == (
        "黄河龙门",
        "黄河",
        "plan",
    )
    assert (secs["张留庄"]["river"], secs["张留庄"]["county"]) == ("涑水河", "永济市")
    assert secs["庙前村"]["river"] == "汾河"
    assert secs["龙门"]["county"] == "河津市"
    assert secs["曾家营"]["river"] == "" and secs["曾家营"]["county"] == ""  # not confident: left empty


def test_000_names_no_section(docs):
    assert docs["000"].count("sections") == 0


# ------------------------------------------------------------------ provenance


def _line_and_next(path: Path, line: int) -> str:
    lines = path.read_text(encoding="utf-8").splitlines()
    following = [x for x in lines[line:] if x.strip()][:1]
    return squash_cjk_spaces(lines[line - 1] + "".join(following)).replace(" ", "")


@pytest.mark.parametrize("prefix", ["001", "002", "003", "004"])
def test_every_record_points_at_its_name(docs, prefix):
    ex = docs[prefix]
    path = _seed(prefix)
    for rec in ex.tables["sections"]:
        assert rec["source_file"] == path.name and rec["document_id"] == ex.document["id"]
        text = _line_and_next(path, rec["source_line"])
        assert squash_cjk_spaces(rec["name_as_written"]).replace(" ", "") in text, rec
        if rec["name"] not in ("庙前村",):  # merged spelling: written 汾河庙前 where first named
            assert rec["name"] in text, rec
    names = {r["id"]: r for r in ex.tables["sections"]}
    for t in ex.tables["section_targets"]:
        sec = names[t["section_id"]]
        # a body statement may use the short name ("后湾水库断面" for 后湾水库出口)
        short = re.sub(r"(出口|入口)$", "", squash_cjk_spaces(sec["name_as_written"]).replace(" ", ""))
        assert short in _line_and_next(path, t["source_line"])
        assert t["source_file"] == path.name
