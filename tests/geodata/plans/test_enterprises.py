"""Enterprises, plants and parks named with a required action (geodata.plans.enterprises)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from geodata.plans import enterprises
from geodata.plans.extract import extract_document
from geodata.plans.reader import read_document
from geodata.plans.structure import read_structure
from tests.conftest import SEEDS
from tests.conftest import seed as _seed

needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="seed plans not available")


@pytest.fixture(scope="module")
def extracted() -> dict[str, tuple[list[dict[str, object]], list[str]]]:
    if not SEEDS.is_dir():
        pytest.skip("seed plans not available")
    out = {}
    for prefix in ("000", "001", "002", "003", "004"):
        path = _seed(prefix)
        ex = extract_document(path)
        out[prefix] = (ex.tables["enterprises"], path.read_text(encoding="utf-8").split("\n"))
    return out


def _by_name(rows: list[dict[str, object]], name: str) -> list[dict[str, object]]:
    return [r for r in rows if r["name"] == name]


# (seed, name, county, county_source, action contains, deadline)
EXPECTED = [
    ("000", "山西曙光船窝煤业有限公司", "河津市", "plan", "淘汰4座4.3米焦炉", "2023-10-31"),
    ("000", "山西发鑫集团有限公司", "", "", "淘汰4座4.3米焦炉", "2023-10-31"),
    ("000", "稷山县东方资源发展有限公司", "稷山县", "plan", "淘汰4座4.3米焦炉", "2023-10-31"),
    ("000", "新绛县同瑞煤化有限公司", "新绛县", "plan", "淘汰4座4.3米焦炉", "2023-10-31"),
    ("000", "晋控电力蒲洲热电山西有限公司", "", "", "4台锅炉完成升级改造", "2023-12-31"),
    ("000", "山西志信化工有限公司", "", "", "4台锅炉完成升级改造", "2023-12-31"),
    ("000", "运城关铝热电有限公司", "", "", "4台锅炉完成升级改造", "2023-12-31"),
    ("000", "山西永祥煤焦集团有限公司", "", "", "完成工业炉窑综合治理", "2023-12-31"),
    ("000", "新绛信义源钢铁", "新绛县", "plan", "完成超低排放改造", "2023-12-31"),
    ("000", "山西阳光焦化集团股份有限公司", "河津市", "plan", "完成超低排放改造", "2023-10-31"),
    ("000", "山西北方铜业有限公司垣曲冶炼厂", "垣曲县", "plan", "完成无组织排放治理", "2023-12-31"),
    ("001", "山西石泉煤业有限责任公司", "襄垣县", "plan", "第三方运营", "2023-12-31"),
    ("001", "山西襄矿晋平煤业有限公司", "襄垣县", "plan", "第三方运营", "2023-12-31"),
    ("001", "山西潞安环保能源开发股份有限公司漳村煤矿", "襄垣县", "plan", "第三方运营", "2023-12-31"),
    ("001", "王桥污水处理厂", "襄垣县", "plan", "竣工验收", "2023-12-31"),
    ("001", "襄垣县恒祥焦化有限公司", "襄垣县", "plan", "雨污分流", "2023-12-31"),
    ("001", "山西富阳园科贸有限公司", "襄垣县", "plan", "雨污分流", "2023-12-31"),
    ("002", "闻喜惠万家污水处理厂", "闻喜县", "plan", "扩容工程", ""),
    ("003", "山西兰花清洁能源有限公司", "", "", "淘汰26台固定床间歇式气化炉", "2022-12-31"),
    ("003", "晋能控股装备制造集团天源山西化工有限公司", "", "", "淘汰26台固定床间歇式气化炉", "2022-12-31"),
    ("003", "山西金象煤化工有限公司", "", "", "淘汰26台固定床间歇式气化炉", "2022-12-31"),
    ("003", "山西晋丰煤化工有限责任公司", "", "", "厂区雨水收集排放系统工程", "2022-06-30"),
    ("003", "高平市三甲炼焦有限责任公司", "高平市", "plan", "厂区雨水收集排放系统工程", "2022-08-31"),
    ("003", "丹河新城生活污水处理厂", "泽州县", "plan", "投运", "2022-08-31"),
    ("003", "阳城县第二生活污水处理厂", "阳城县", "plan", "投运", "2022-06-30"),
    ("003", "巴公工业园区", "泽州县", "curation", "完成整治", "2022-10-31"),
    ("003", "北留周村工业园区", "", "", "完成整治", "2022-10-31"),
    ("003", "马村工业园区", "", "", "完成整治", "2022-10-31"),
    ("003", "阳城陶瓷工业园", "阳城县", "plan", "完成整治", "2022-10-31"),
    ("004", "陵川鑫源冶炼有限公司", "陵川县", "plan", "完成CO无组织深度治理", "2023-09-30"),
    ("004", "陵川金隅冀东环保科技有限公司", "陵川县", "plan", "全面完成超低排放改造", "2023-09-30"),
    ("004", "陵川县晋易通钙业有限公司", "陵川县", "plan", "工业炉窑实施提升整治", "2023-09-30"),
    ("004", "陵川县顺达公路建材有限公司", "陵川县", "plan", "安装污染源在线监控设施", "2023-09-30"),
    ("004", "山西陵川崇安苏村煤业有限公司", "陵川县", "plan", "矿井水处理扩建工程", "2023-08-31"),
]


@needs_seeds
@pytest.mark.parametrize(("prefix", "name", "county", "county_source", "action", "deadline"), EXPECTED)
def test_expected_enterprises(extracted, prefix, name, county, county_source, action, deadline) -> None:
    rows, _lines = extracted[prefix]
    matches = [r for r in _by_name(rows, name) if action in str(r["required_action"])]
    assert matches, f"{name} / {action} not in {[(r['name'], r['required_action']) for r in rows]}"
    rec = matches[0]
    assert rec["county"] == county
    assert rec["county_source"] == county_source
    assert rec["deadline"] == deadline
    assert rec["precision"] == "none"
    assert rec["lon"] == "" and rec["lat"] == ""


@needs_seeds
def test_industry_hints(extracted) -> None:
    rows = extracted["000"][0]
    assert _by_name(rows, "山西发鑫集团有限公司")[0]["industry"] == "焦化"  # from "（焦化）"
    assert _by_name(rows, "新绛信义源钢铁")[0]["industry"] == "钢铁"
    assert _by_name(rows, "运城关铝热电有限公司")[0]["industry"] == "电力"
    assert _by_name(extracted["004"][0], "陵川金隅冀东环保科技有限公司")[0]["industry"] == "水泥"


@needs_seeds
def test_damaged_list_invents_no_name(extracted) -> None:
    rows = extracted["003"][0]
    line171 = [r["name"] for r in rows if r["source_line"] == 171]
    assert sorted(line171) == sorted(
        ["山西兰花清洁能源有限公司", "晋能控股装备制造集团天源山西化工有限公司", "山西金象煤化工有限公司"]
    )


@needs_seeds
def test_blank_task_cell_means_same_as_above(extracted) -> None:
    rows = extracted["003"][0]
    same = [r for r in rows if r["required_action"] == "厂区雨水收集排放系统工程"]
    assert len(same) == 6
    tianyuan = _by_name(rows, "天源山西化工有限公司")
    assert {r["required_action"] for r in tianyuan} == {"厂区雨水收集排放系统工程", "事故池建设项目"}


@needs_seeds
def test_body_and_annex_are_one_record(extracted) -> None:
    rows = extracted["000"][0]
    (rec,) = _by_name(rows, "新绛信义源钢铁")
    assert rec["source_line"] == 271  # the annex row, not the body line 141
    (jinyu,) = _by_name(extracted["004"][0], "陵川金隅冀东环保科技有限公司")
    assert jinyu["source_line"] == 195


@needs_seeds
@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_no_government_units_or_generic_phrases(extracted, prefix) -> None:
    rows, _lines = extracted[prefix]
    for r in rows:
        name = str(r["name"])
        assert not re.search(r"(局|政府|管委会)$", name), name
        assert name not in ("焦化企业", "重点企业", "涉VOCs企业", "公司", "城镇污水处理厂", "工业园区")
        assert "等" not in name and "企业" not in name, name
        assert not name.startswith(("城镇", "乡镇", "各", "全市", "市污水")), name


@needs_seeds
@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_unique_and_cited(extracted, prefix) -> None:
    rows, lines = extracted[prefix]
    keys = [(r["name"], r["required_action"]) for r in rows]
    assert len(keys) == len(set(keys))
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids))
    # stable ids: the document and a digest of name and action, not the position
    assert all(re.fullmatch(rf"{re.escape(str(r['document_id']))}/E-[0-9a-f]{{8}}(-\d+)?", str(r["id"])) for r in rows)
    for r in rows:
        n = int(r["source_line"])
        # a PDF-extracted name may run on over the next (blank-separated) line
        line = re.sub(r"\s+", "", "".join(lines[n - 1 : n + 2]).replace("#", ""))
        name = str(r["name"])
        # "川底、周村…6个污水处理厂": a listed plant is its own name plus the shared facility word
        listed = re.fullmatch(r"(.+?[镇乡村]?)(生活污水处理厂|生活污水处理站|污水处理厂|污水处理站|供热站|净化水厂)", name)
        listed_ok = listed and re.search(re.escape(listed.group(1)) + r"[、\d新建]", line) and listed.group(2) in line
        assert name in line or listed_ok, (name, n)
        assert str(r["name"])[:2] in re.sub(r"\s+", "", lines[n - 1]), (r["name"], n)
        assert r["required_action"]


@needs_seeds
def test_counts(extracted) -> None:
    counts = {k: len(v[0]) for k, v in extracted.items()}
    assert counts["000"] >= 15 and counts["003"] >= 25 and counts["004"] >= 6


# ---------------------------------------------------------------- synthetic cases


def _run(tmp_path: Path, text: str, name: str = "plan.txt") -> list[dict[str, object]]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    ctx = read_structure(read_document(path))
    return enterprises.extract(ctx, {})["enterprises"]


HEAD = "运城市空气质量再提升2023年行动计划\n\n"


def test_list_with_he_and_county_prefixes(tmp_path: Path) -> None:
    rows = _run(
        tmp_path,
        HEAD + "1. 淘汰焦炉。2023年10月底前，全面淘汰河津市山西甲煤业有限公司、山西乙集团有限公司（焦化）"
        "和稷山县丙发展有限公司3座焦炉。（市工信局牵头）\n",
    )
    names = {r["name"]: r for r in rows}
    assert set(names) == {"山西甲煤业有限公司", "山西乙集团有限公司", "稷山县丙发展有限公司"}
    assert names["山西甲煤业有限公司"]["county"] == "河津市"
    assert names["稷山县丙发展有限公司"]["county"] == "稷山县"
    assert names["山西乙集团有限公司"]["industry"] == "焦化"
    assert all(r["required_action"] == "全面淘汰3座焦炉" for r in rows)
    assert all(r["deadline"] == "2023-10-31" for r in rows)
    assert all(r["responsible_units"] == "市工信局" for r in rows)


def test_etc_counts_and_generic_mentions_make_no_names(tmp_path: Path) -> None:
    rows = _run(
        tmp_path,
        HEAD + "2. 治理。山西丁化工有限公司等21家企业完成工业炉窑综合治理，焦化企业完成超低排放改造，"
        "城镇污水处理厂全部完成改造。新绛戊钢铁完成超低排放改造，钢铁企业持续巩固成效。\n",
    )
    assert [(r["name"], r["required_action"]) for r in rows] == [
        ("山西丁化工有限公司", "完成工业炉窑综合治理"),
        ("新绛戊钢铁", "完成超低排放改造"),
    ]
    assert rows[1]["county"] == "新绛县"


def test_tab_table_with_space_separated_companies(tmp_path: Path) -> None:
    table = (
        "重点项目清单\n\n序号\t项目名称\t整治内容\t责任单位\t完工时间\n"
        "1\t山西甲煤业有限责任公司 山西乙煤业有限公司\t实施污水处理第三方运营。\t市生态环境局 涉及企业\t2023年12月\n"
        "2\t山西 丙煤业 有限公司\t矿井水处理工程\t县住建局\t2023年8月\n"
    )
    rows = _run(tmp_path, HEAD + table)
    got = {(r["name"], r["required_action"], r["deadline"]) for r in rows}
    assert ("山西甲煤业有限责任公司", "实施污水处理第三方运营", "2023-12-31") in got
    assert ("山西乙煤业有限公司", "实施污水处理第三方运营", "2023-12-31") in got
    assert ("山西丙煤业有限公司", "矿井水处理工程", "2023-08-31") in got
    assert len(rows) == 3
    assert all(str(r["id"]).startswith("plan/E") for r in rows)


def test_responsible_column_and_same_as_above(tmp_path: Path) -> None:
    table = (
        "重点工程\n\n序号\t工作任务\t责任主体\t完成时限\n"
        "1\t厂区雨水收集工程\t山西甲化工有限公司\t2022年6月\n"
        "2\t\t山西乙化工有限公司\t2022年8月\n"
        "3\t某河人工湿地\t县政府\t2022年8月\n"
    )
    rows = _run(tmp_path, HEAD + table)
    assert [(r["name"], r["required_action"], r["deadline"]) for r in rows] == [
        ("山西甲化工有限公司", "厂区雨水收集工程", "2022-06-30"),
        ("山西乙化工有限公司", "厂区雨水收集工程", "2022-08-31"),
    ]


def test_parenthesised_list_and_damaged_tail(tmp_path: Path) -> None:
    rows = _run(
        tmp_path,
        HEAD + "3. 淘汰 8 台气化炉（其中山西甲能源有限公司 5 台、公司 3 台）。山西乙化工有限公司 3 台）。\n",
    )
    assert [r["name"] for r in rows] == ["山西甲能源有限公司", "山西乙化工有限公司"]
    assert [r["required_action"] for r in rows] == ["淘汰8台气化炉", "淘汰8台气化炉"]
