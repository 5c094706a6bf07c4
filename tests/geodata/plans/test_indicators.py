"""Quantitative goals: the 14th FYP indicator table (PDF text) and numbers in 目标 sections."""

from __future__ import annotations

import pytest

from geodata.plans.extract import extract_document
from tests.conftest import seed as _seed


@pytest.fixture(scope="module")
def indicators() -> dict[str, list[dict]]:
    return {p: extract_document(_seed(p)).tables["indicators"] for p in ("000", "001", "002", "003", "004")}


@pytest.fixture(scope="module")
def fyp(indicators) -> list[dict]:
    return [r for r in indicators["002"] if r["indicator_type"]]


def test_fyp_table_has_every_row(fyp, indicators):
    # 表2 as printed numbers its rows 1–23 (two pages; the page header repeats before 15).
    assert len(fyp) == 23
    assert len(indicators["002"]) == 23  # the plan's 主要指标 paragraphs state no numbers
    assert {r["category"] for r in fyp} == {"环境治理", "环境风险", "应对气候变化", "生态保护"}
    assert {r["target_year"] for r in fyp} == {2025}
    assert {r["plan"] for r in fyp} == {"运城市生态环境保护“十四五”规划"}
    assert {r["jurisdiction"] for r in fyp} == {"运城市"}
    assert [r["id"] for r in fyp] == [f"002_4170045ae78128c7/I{n}" for n in range(1, 24)]


def _row(fyp: list[dict], name: str) -> dict:
    (rec,) = [r for r in fyp if r["name"] == name]
    return rec


@pytest.mark.parametrize(
    ("name", "category", "unit", "baseline", "target", "number", "kind"),
    [
        ("化学需氧量重点工程减排量", "环境治理", "万吨", "2.65", "完成下达指标", "", "约束性"),
        ("挥发性有机物排放重点工程减排量", "环境治理", "万吨", "", "完成下达指标", "", "约束性"),
        ("城市细颗粒物（PM2.5）浓度", "环境治理", "μg/m³", "57", "完成下达指标", "", "约束性"),
        ("地表水质量劣Ⅴ类水体比例", "环境治理", "%", "0", "0", 0.0, "约束性"),
        ("农村生活污水治理率", "环境治理", "%", "17", "25", 25.0, "预期性"),
        ("重点建设用地安全利用", "环境风险", "", "", "有效保障", "", "预期性"),
        ("放射源辐射事故发生率", "环境风险", "起/每万枚", "0", "0", 0.0, "预期性"),
        ("单位地区生产总值二氧化碳排放降低比例", "应对气候变化", "%", "3.2*", "完成下达指标", "", "约束性"),
        ("森林覆盖率", "生态保护", "%", "29.7", "31.77", 31.77, "约束性"),
        (
            "生态保护红线占国土面积比例",
            "生态保护",
            "%",
            "21.03",
            "不减少，功能不降低，性质不改变",
            "",
            "预期性",
        ),
    ],
)
def test_fyp_rows(fyp, name, category, unit, baseline, target, number, kind):
    rec = _row(fyp, name)
    assert (rec["category"], rec["unit"], rec["baseline_value"]) == (category, unit, baseline)
    assert (rec["target_value"], rec["target_number"], rec["indicator_type"]) == (target, number, kind)


def test_starred_baseline_keeps_star_and_takes_the_noted_year(fyp):
    rec = _row(fyp, "单位地区生产总值二氧化碳排放降低比例")
    assert rec["baseline_value"] == "3.2*"
    assert rec["baseline_year"] == 2019  # 注 1：*代表 2019 年数据
    assert _row(fyp, "农村生活污水治理率")["baseline_year"] == 2020


def test_fyp_rows_cite_their_number_line(fyp):
    lines = _seed("002").read_text(encoding="utf-8").splitlines()
    for n, rec in enumerate(fyp, start=1):
        assert lines[rec["source_line"] - 1].strip().split(" ")[0] == str(n)


def test_yuncheng_water_goals(indicators):
    recs = indicators["000"]
    share = [r for r in recs if "Ⅲ类比例" in r["name"]]
    assert len(share) == 1
    assert share[0]["target_number"] == 80.0
    assert share[0]["unit"] == "%"
    assert share[0]["comparison"] == ">="
    assert share[0]["target_year"] == 2023
    assert share[0]["source_line"] == 27
    assert share[0]["plan"] == "运城市水环境质量再提升2023年行动计划"
    worst = [r for r in recs if r["name"] == "劣Ⅴ类断面"]
    assert len(worst) == 1 and worst[0]["target_number"] == 0.0 and worst[0]["comparison"] == "="


def test_xiangyuan_excellent_share(indicators):
    (rec,) = indicators["001"]
    assert rec["target_number"] == 100.0 and rec["unit"] == "%" and rec["source_line"] == 27


def test_jincheng_so2_below_10(indicators):
    (rec,) = indicators["003"]
    assert rec["name"] == "二氧化硫平均浓度"
    assert (rec["target_number"], rec["unit"], rec["comparison"], rec["target_year"]) == (
        10.0,
        "μg/m³",
        "<=",
        2022,
    )


def test_lingchuan_county_seat_goals(indicators):
    recs = {r["name"]: r for r in indicators["004"]}
    assert set(recs) == {"县城PM2.5平均浓度", "O3平均浓度"}
    assert recs["县城PM2.5平均浓度"]["target_number"] == 22.0
    assert recs["O3平均浓度"]["target_number"] == 163.0
    for rec in recs.values():
        assert rec["unit"] == "μg/m³" and rec["comparison"] == "<=" and rec["source_line"] == 35
        assert rec["id"].startswith("陵政办发〔2023〕13号/I")


def test_every_text_goal_cites_a_line_with_its_number(indicators):
    for prefix, recs in indicators.items():
        lines = _seed(prefix).read_text(encoding="utf-8").splitlines()
        for rec in recs:
            if rec["indicator_type"] or rec["target_number"] == "":
                continue
            if rec["target_number"] == 0.0:
                continue
            assert f"{rec['target_number']:g}" in lines[rec["source_line"] - 1]
