"""Monthly air-quality targets: 陵川 附件1 (four places × six pollutants × 13 periods)."""

from __future__ import annotations

from pathlib import Path

import pytest

from geodata.plans.air_targets import place_of
from geodata.plans.extract import extract_document
from tests.conftest import seed as _seed


@pytest.fixture(scope="module")
def lingchuan() -> list[dict]:
    return extract_document(_seed("004")).tables["air_targets"]


def _cell(records: list[dict], place: str, pollutant: str, month: int | str) -> dict:
    (rec,) = [
        r for r in records if r["place"] == place and r["pollutant"] == pollutant and r["month"] == month
    ]
    return rec


def test_312_targets_four_places_six_pollutants_thirteen_periods(lingchuan):
    assert len(lingchuan) == 312
    places = {r["place"] for r in lingchuan}
    assert places == {"陵川县城", "礼义镇", "附城镇", "西河底镇"}
    for place in places:
        assert sum(r["place"] == place for r in lingchuan) == 78
    assert {r["pollutant"] for r in lingchuan} == {"SO2", "NO2", "PM10", "PM2.5", "CO", "O3"}
    assert {r["county"] for r in lingchuan} == {"陵川县"}
    assert {r["year"] for r in lingchuan} == {2023}
    assert {r["baseline_year"] for r in lingchuan} == {2022}
    periods = {r["period"] for r in lingchuan}
    assert periods == {f"2023-{m:02d}" for m in range(1, 13)} | {"2023"}


@pytest.mark.parametrize(
    ("place", "pollutant", "month", "baseline", "target"),
    [
        ("陵川县城", "SO2", 1, 31, 30),
        ("陵川县城", "PM2.5", 1, 49, 33),
        ("陵川县城", "O3", "", 166, 163),
        ("陵川县城", "CO", 12, 1.8, 1.7),
        ("礼义镇", "O3", "", 167, 165),
        ("礼义镇", "SO2", 1, 146, 119),
        ("附城镇", "PM10", 9, "", 25),
        ("附城镇", "PM2.5", 9, 28, 25),
        ("西河底镇", "PM10", 6, 45, 12),
        ("西河底镇", "NO2", "", 16, 14),
    ],
)
def test_cells(lingchuan, place, pollutant, month, baseline, target):
    rec = _cell(lingchuan, place, pollutant, month)
    assert rec["baseline_value"] == baseline
    assert rec["target_value"] == target
    assert rec["period"] == ("2023" if month == "" else f"2023-{month:02d}")


def test_blank_baseline_is_missing_not_same_as_above(lingchuan):
    blanks = [r for r in lingchuan if r["baseline_value"] == ""]
    assert [(r["place"], r["pollutant"], r["month"]) for r in blanks] == [("附城镇", "PM10", 9)]


def test_units(lingchuan):
    assert {r["unit"] for r in lingchuan if r["pollutant"] == "CO"} == {"mg/m³"}
    assert {r["unit"] for r in lingchuan if r["pollutant"] != "CO"} == {"μg/m³"}


def test_source_lines_are_the_table_rows(lingchuan):
    lines = Path(_seed("004")).read_text(encoding="utf-8").splitlines()
    for rec in lingchuan:
        row = lines[rec["source_line"] - 1]
        assert "\t" in row
        label = "全年" if rec["month"] == "" else f"{rec['month']} 月"
        assert row.startswith(label)


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003"])
def test_no_air_targets_elsewhere(prefix):
    assert extract_document(_seed(prefix)).tables["air_targets"] == []


@pytest.mark.parametrize(
    ("title", "place"),
    [
        ("2023 年陵川县城环境空气质量预控制目标", "陵川县城"),
        ("2023 年礼义镇环境空气质量预控制目标", "礼义镇"),
        ("2023 年县城环境空气质量预控制目标", "陵川县城"),
    ],
)
def test_place_of_title(title, place):
    assert place_of(title, "陵川县") == place


def test_any_table_of_that_shape_is_read(tmp_path):
    text = (
        "陵川县空气质量再提升2024年行动计划\n\n"
        "2024 年平城镇环境空气质量预控制目标\n\n"
        "月份\t2023 年\t2024 年\t2023 年\t2024 年\n"
        "\tCO\t\tPM _{2.5}\t\n"
        "1 月\t1.5\t1.4\t\t40\n"
        "全年\t1.2\t1.1\t35\t33\n"
    )
    path = tmp_path / "plan.txt"
    path.write_text(text, encoding="utf-8")
    records = extract_document(path).tables["air_targets"]
    assert len(records) == 4
    assert {r["place"] for r in records} == {"平城镇"}
    pm = [r for r in records if r["pollutant"] == "PM2.5" and r["month"] == 1][0]
    assert (pm["baseline_year"], pm["baseline_value"], pm["year"], pm["target_value"], pm["period"]) == (
        2023,
        "",
        2024,
        40,
        "2024-01",
    )
