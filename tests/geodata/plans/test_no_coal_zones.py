"""禁煤区 commitments in the body and the task ledgers of the seed plans."""

from __future__ import annotations

import pytest

from geodata.plans.extract import extract_document
from geodata.plans.no_coal_zones import action_of, area_of, exclusions_of
from tests.conftest import seed as _seed

PREFIXES = ("000", "001", "002", "003", "004")


@pytest.fixture(scope="module")
def zones() -> dict[str, list[dict]]:
    return {p: extract_document(_seed(p)).tables["no_coal_zones"] for p in PREFIXES}


def test_counts(zones):
    assert {p: len(r) for p, r in zones.items()} == {"000": 7, "001": 0, "002": 2, "003": 4, "004": 2}


@pytest.mark.parametrize("prefix", PREFIXES)
def test_every_record_cites_a_line_naming_the_zone(zones, prefix):
    lines = _seed(prefix).read_text(encoding="utf-8").splitlines()
    for rec in zones[prefix]:
        assert "禁煤" in lines[rec["source_line"] - 1], rec
        assert rec["action"] in ("划定", "扩大", "巩固", "清零")
        assert "禁煤" in rec["description"]


def test_yanhu_whole_district(zones):
    recs = [r for r in zones["000"] if r["area_name"] == "盐湖区全域"]
    assert [r["source_line"] for r in recs] == [169, 283]  # body item 15 and annex row 16
    for rec in recs:
        assert rec["jurisdiction"] == "盐湖区"
        assert rec["action"] == "扩大"
        assert "海拔500米以上区域" in rec["exclusions"].split("；")
        assert rec["deadline"] == "2023-06-30"
        assert rec["deadline_text"] == "2023年6月底前"
    body = recs[0]
    assert "煤电、集中供热和原料用煤企业" in body["exclusions"].split("；")


def test_key_counties_expand_by_august(zones):
    (rec,) = [r for r in zones["000"] if r["area_name"] == "重点县（市、区）"]
    assert (rec["action"], rec["deadline"], rec["jurisdiction"]) == ("扩大", "2023-08-31", "运城市")


def test_loose_coal_cleared_by_october(zones):
    recs = [r for r in zones["000"] if r["action"] == "清零" and "散煤" in r["description"]]
    assert [r["source_line"] for r in recs] == [171, 280]
    assert {r["deadline"] for r in recs} == {"2023-10-31"}
    assert recs[1]["deadline_text"] == "2023年10月底前"


def test_yuncheng_fyp(zones):
    past, future = zones["002"]
    assert past["source_line"] == 50
    assert past["action"] == "扩大" and past["area_km2"] == 83.95
    assert past["description"].startswith("（已完成")
    assert past["deadline"] == "" and past["deadline_text"] == ""
    assert future["source_line"] == 940
    assert future["action"] == "扩大"
    assert future["exclusions"] == "煤电、集中供热和原料用煤企业"
    assert "禁止储存、销售、燃用煤炭" in future["description"]


@pytest.mark.parametrize(
    ("prefix", "line", "action"),
    [
        ("003", 90, "巩固"),
        ("003", 92, "划定"),
        ("003", 202, "巩固"),
        ("003", 203, "划定"),
        ("004", 61, "划定"),
        ("004", 206, "划定"),
    ],
)
def test_long_term_ledger_commitments(zones, prefix, line, action):
    (rec,) = [r for r in zones[prefix] if r["source_line"] == line]
    assert rec["action"] == action
    assert rec["long_term"] == 1
    assert rec["deadline_text"] == "长期坚持"
    assert rec["deadline"] == ""


def test_ids_are_unique_and_task_id_optional(zones):
    for recs in zones.values():
        ids = [r["id"] for r in recs]
        assert len(set(ids)) == len(ids)
        assert all(isinstance(r["task_id"], str) for r in recs)


@pytest.mark.parametrize(
    ("sentence", "action"),
    [
        ("在2020年已划定的禁煤区基础上，进一步扩大“禁煤区”范围", "扩大"),
        ("依法划定（扩大）“禁煤区”或高污染燃料禁燃区范围", "划定"),
        ("持续巩固“禁煤区”双清零成效", "巩固"),
        ("在“禁煤区”内开展地毯式排查，全面开展散煤清零工作", "清零"),
        ("对无环保手续违法生产劣质型煤或者禁煤区违法使用燃煤的行为进行举报", ""),
    ],
)
def test_action_of(sentence, action):
    assert action_of(sentence) == action


def test_area_and_exclusions():
    s = "将盐湖区全域纳入“禁煤区”（海拔500米以上区域除外），“禁煤区”范围内除煤电、集中供热和原料用煤企业外，禁止使用燃煤"
    assert area_of(s) == "盐湖区全域"
    assert exclusions_of(s) == ["海拔500米以上区域", "煤电、集中供热和原料用煤企业"]


def test_task_id_is_filled_from_tasks_by_source_line():
    from geodata.plans import no_coal_zones
    from geodata.plans.reader import read_document
    from geodata.plans.structure import read_structure

    ctx = read_structure(read_document(_seed("004")))
    found = {"tasks": [{"id": "T-206", "source_line": 206, "content": ""}]}
    recs = no_coal_zones.extract(ctx, found)["no_coal_zones"]
    assert {r["source_line"]: r["task_id"] for r in recs} == {61: "", 206: "T-206"}
