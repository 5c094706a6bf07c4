"""Tasks: numbered body tasks, task-table rows, fill-down rules, units, deadlines, links."""

from __future__ import annotations

from pathlib import Path

import pytest

from geodata.model import LIST_SEP, TABLES
from geodata.plans import tasks
from geodata.plans.curation import all_entries
from geodata.plans.extract import extract_document
from geodata.plans.reader import read_document
from geodata.plans.structure import read_structure
from tests.conftest import seed as _seed


def _tasks(prefix: str) -> dict[str, dict]:
    extraction = extract_document(_seed(prefix))
    return {str(t["id"]): t for t in extraction.tables["tasks"]}


def _list(value: object) -> list[str]:
    return [v for v in str(value).split(LIST_SEP) if v]


@pytest.fixture(scope="module")
def yuncheng() -> dict[str, dict]:
    return _tasks("000")


@pytest.fixture(scope="module")
def xiangyuan() -> dict[str, dict]:
    return _tasks("001")


@pytest.fixture(scope="module")
def fyp() -> dict[str, dict]:
    return _tasks("002")


@pytest.fixture(scope="module")
def jincheng() -> dict[str, dict]:
    return _tasks("003")


@pytest.fixture(scope="module")
def lingchuan() -> dict[str, dict]:
    return _tasks("004")


def _row_of_plan(records: dict[str, dict], plan_word: str, seq: int) -> dict:
    found = [t for t in _body(records) if plan_word in str(t["plan"]) and t["seq"] == str(seq)]
    assert len(found) == 1, (plan_word, seq, len(found))
    return found[0]


def _rows(records: dict[str, dict], table_word: str) -> list[dict]:
    return [t for t in records.values() if table_word in str(t["table"])]


def _body(records: dict[str, dict]) -> list[dict]:
    """Top-level body tasks (sub-items such as "一是…" are counted separately)."""
    return [t for t in records.values() if not t["table"] and not t["parent_task"]]


def _at(records: dict[str, dict], line: int) -> dict:
    """The task stated at ``line`` of the seed (ids are content digests, so tests look up by place)."""
    found = [t for t in records.values() if t["source_line"] == line and not t["parent_task"]]
    assert len(found) == 1, (line, [t["id"] for t in found])
    return found[0]


def _row(records: dict[str, dict], table_word: str, seq: str | int) -> dict:
    """The row numbered ``seq`` of the task table whose title contains ``table_word``."""
    found = [t for t in _rows(records, table_word) if t["seq"] == str(seq)]
    assert len(found) == 1, (table_word, seq, len(found))
    return found[0]


# ------------------------------------------------------------------------- counts


def test_counts_per_document(yuncheng, xiangyuan, fyp, jincheng, lingchuan):
    assert len(_body(yuncheng)) == 18 + 32 + 16 + 16
    assert len(_rows(yuncheng, "措施任务表")) == 22
    assert len(_body(xiangyuan)) == 18 + 23 + 15 + 14
    assert len(_rows(xiangyuan, "重点项目清单")) == 2 + 3 + 3 + 3 + 1
    assert len(_body(jincheng)) == 30 + 27 + 20
    assert len(_body(lingchuan)) == 17 + 13 + 14
    assert len(_rows(fyp, "重大工程项目表")) == 24
    assert len(_body(fyp)) >= 100  # the measures of its 三、… sections (issue 13)


def test_ledgers_have_every_row_once(jincheng, lingchuan):
    air = _rows(jincheng, "大气污染防治重点工作任务台账")
    assert [t["seq"] for t in air] == [str(k) for k in range(1, 56)]
    water = _rows(jincheng, "行动计划任务台账")
    assert [t["seq"] for t in water] == [str(k) for k in range(1, 42)]
    assert len(_rows(jincheng, "重点工作工程")) == 26
    assert [t["seq"] for t in _rows(lingchuan, "任务台账")] == [str(k) for k in range(1, 30)]
    assert len(_rows(lingchuan, "重点工程")) == 3


def test_no_target_tables_become_tasks(xiangyuan, jincheng, lingchuan):
    for records in (xiangyuan, jincheng, lingchuan):
        assert not _rows(records, "水质目标")
        assert not _rows(records, "目标明细表")
        assert not _rows(records, "预控制目标")


def test_ids_unique_and_columns_complete(yuncheng, xiangyuan, jincheng):
    cols = {c.name for c in TABLES["tasks"]}
    for records in (yuncheng, xiangyuan, jincheng):
        for rec in records.values():
            assert cols <= set(rec)
            assert rec["jurisdiction"]
            assert rec["source_line"]
    # 襄垣 restarts numbering under 三、专项行动
    assert _at(xiangyuan, 81)["title"] == "开展农业灌溉污染防治专项行动"


# ----------------------------------------------------------------------- body tasks


def test_body_task_fields(yuncheng):
    t = _at(yuncheng, 131)
    assert t["plan"] == "运城市空气质量再提升2023年行动计划"
    assert t["domain"] == "air"
    assert t["category"] == "深入推进产业结构优化调整"
    assert t["title"] == "加快推进退城入园"
    assert t["content"].startswith("加快推进退城入园。排查中心城区")
    assert t["deadline"] == "2023-06-30"
    assert "运城制版有限公司" in _list(t["places"])
    assert "稷山县" in _list(t["places"])
    assert t["source_line"] == 131


def test_units_from_parenthesis_on_a_later_line(yuncheng):
    # task 5 of the water plan breaks mid-sentence; its units close the second line
    t = _at(yuncheng, 41)
    assert t["source_line"] == 41
    assert "制定系统化整治方案" in t["content"]
    assert _list(t["responsible_units"])[:2] == ["市城市管理局", "市生态环境局"]
    # the air plan's first parenthesis opens "(市" on one line and closes on the next
    first = _at(yuncheng, 127)
    assert _list(first["responsible_units"])[:3] == ["市发展改革委", "市工信局", "市能源局"]


def test_default_unit_applies_to_later_tasks(yuncheng):
    # "以下各项任务均需各县[市、区]人民政府负责，不再列出" (water plan, task 1)
    for seq in (1, 2, 10, 18):
        assert "各县（市、区）人民政府" in _list(
            _row_of_plan(yuncheng, "水环境", seq)["responsible_units"]
        )
    # the air plan adds 运城开发区管委会 too
    units = _list(_at(yuncheng, 187)["responsible_units"])
    assert units == ["市城市管理局", "各县（市、区）人民政府", "运城开发区管委会"]
    # each plan states its own default: the soil plan's includes 运城开发区管委会, the groundwater plan's does not
    assert _list(_at(yuncheng, 313)["responsible_units"])[-2:] == [
        "各县（市、区）人民政府",
        "运城开发区管委会",
    ]
    groundwater = _list(_at(yuncheng, 445)["responsible_units"])
    assert "各县（市、区）人民政府" in groundwater and "运城开发区管委会" not in groundwater


def test_task_with_two_unit_parentheses(yuncheng):
    t = _at(yuncheng, 189)
    assert "鼓励推动实施“阳光施工”" in t["content"]
    assert _list(t["responsible_units"])[:2] == ["市住建局", "市城市管理局"]


def test_markdown_heading_tasks(jincheng):
    t = _at(jincheng, 474)
    assert t["title"] == "严格控制涉重金属行业企业污染物排放"
    assert t["category"] == "加强耕地污染源头控制"
    bold = _at(jincheng, 281)
    assert bold["title"] == "开展农村黑臭水体整治"
    assert "**" not in bold["content"]


def test_responsible_unit_bracket_closing_on_next_page(lingchuan):
    t = _at(lingchuan, 374)
    assert _list(t["responsible_units"]) == [
        "市生态环境局陵川分局",
        "县农业农村局",
        "县自然资源局",
        "县公安局",
    ]


# ------------------------------------------------------------------------ table rows


def test_measure_table_row(yuncheng):
    t = _at(yuncheng, 266)
    assert t["category"] == "产业结构调整"  # filled down from row 1
    assert t["title"] == "粗钢总量调控"
    assert t["deadline_text"] == "2023年12月底前"
    assert t["deadline"] == "2023-12-31"
    assert t["responsible_units"] == "市工信局"
    five = _at(yuncheng, 268)
    assert five["long_term"] == 1 and five["deadline"] == ""
    six = _at(yuncheng, 271)
    assert six["deadline"] == "2023-12-31"  # the later of two dates


def test_project_list_rows(xiangyuan):
    first = _at(xiangyuan, 124)
    assert first["category"] == "一、饮用水水源地保护区划分"
    assert first["title"] == "农村千人饮用水水源"
    assert _list(first["responsible_units"]) == ["市生态环境局襄垣分局", "县水利局"]
    assert _list(first["persons"]) == ["赵志清", "武化域"]
    assert first["deadline"] == "2023-12-31"
    third = _at(xiangyuan, 132)
    assert third["title"] == "九龙村"
    assert third["category"] == "二、农村环境治理"
    assert third["content"] == _at(xiangyuan, 130)["content"]
    assert third["content"].startswith("生活污水治理率达到60%")
    assert _list(third["responsible_units"]) == ["夏店镇政府", "市生态环境局襄垣分局"]
    companies = _at(xiangyuan, 137)
    assert companies["title"].startswith("山西石泉煤业有限责任公司、山西襄矿晋平煤业有限公司")
    assert "山西襄矿上良煤业有限公司" in _list(companies["places"])


def test_ledger_segment_rule_and_curation(jincheng):
    assert _row(jincheng, "大气污染防治重点工作任务台账", 21)["category"] == "三、强化扬尘综合管控和治理"
    assert _row(jincheng, "大气污染防治重点工作任务台账", 23)["category"] == "三、强化扬尘综合管控和治理"
    assert _row(jincheng, "大气污染防治重点工作任务台账", 32)["category"] == "四、强力推进冬季清洁取暖工程"
    assert _row(jincheng, "大气污染防治重点工作任务台账", 34)["category"] == "五、强化煤炭管控"
    assert _row(jincheng, "大气污染防治重点工作任务台账", 41)["category"] == "六、深入开展锅炉综合整治"
    assert _row(jincheng, "大气污染防治重点工作任务台账", 42)["category"] == "七、强化露天烧烤、焚烧和喷涂管控"
    assert _row(jincheng, "大气污染防治重点工作任务台账", 47)["category"] == "八、强化餐饮油烟管控"
    assert _row(jincheng, "行动计划任务台账", 3)["category"] == "一、巩固提升水环境质量"
    assert _row(jincheng, "行动计划任务台账", 5)["category"] == "二、持续深化工业污染防治"
    assert _row(jincheng, "行动计划任务台账", 14)["category"] == "三、加快补齐生活污水处理短板"
    assert _row(jincheng, "行动计划任务台账", 32)["category"] == "六、科学实施水资源管控"


def test_every_curated_task_exists_and_cites_its_line(jincheng):
    entries = {k: v for k, v in all_entries().items() if k[0] == "tasks"}
    assert entries
    for (_, key, field), cur in entries.items():
        assert key in jincheng, key  # curation keys are the stable ids
        assert field == "category"
        assert jincheng[key]["category"] == cur.value
        assert int(cur.source_line) == jincheng[key]["source_line"]
        assert cur.reason


def test_ledger_deadlines(jincheng, lingchuan):
    assert _row(jincheng, "大气污染防治重点工作任务台账", 4)["deadline"] == "2022-08-31"  # "2022 年 8 月底前"
    assert _row(jincheng, "大气污染防治重点工作任务台账", 1)["long_term"] == 1
    assert _row(jincheng, "大气污染防治重点工作任务台账", 48)["deadline"] == "2022-09-30"  # "2022年5-9月份"
    assert _row(jincheng, "大气污染防治重点工作任务台账", 54)["deadline"] == "" and _row(jincheng, "大气污染防治重点工作任务台账", 54)["long_term"] == 0  # 秋冬季
    assert _row(jincheng, "大气污染防治重点工作任务台账", 19)["deadline"] == ""  # 每月一次
    assert _at(jincheng, 413)["long_term"] == 1  # 持续推进
    started = _at(jincheng, 376)
    assert started["deadline_text"] == "2022 年开工" and started["deadline"] == ""
    assert _at(lingchuan, 214)["deadline"] == "2023-07-01"


def test_project_rows_fill_down_work_item(jincheng):
    for seq in range(12, 18):
        t = _row(jincheng, "重点工作工程", seq)
        assert t["title"] == "厂区雨水收集排放系统工程"
    assert _at(jincheng, 388)["responsible_units"] == "天源山西化工有限公司"
    assert _list(_at(jincheng, 381)["responsible_units"]) == [
        "泽州县政府",
        "丹河新城建设投资集团有限公司",
    ]


def test_pdf_spaces_squashed(lingchuan):
    t = _at(lingchuan, 320)
    assert t["title"] == "山西陵川崇安苏村煤业有限公司矿井水处理扩建工程"
    assert t["responsible_units"] == "山西陵川崇安苏村煤业有限公司"
    assert _list(_at(lingchuan, 322)["places"]) == ["附城镇", "丈河村"]


def test_fyp_major_projects(fyp):
    projects = _rows(fyp, "重大工程项目表")
    first = projects[0]
    assert first["category"] == "大气环境质量改善"
    assert first["title"] == "重点行业大气污染治理工程"
    assert first["content"].endswith("重点企业 VOCs 深度治理及精细化管控。")
    assert all(p["deadline"] == "" and p["deadline_text"] == "" for p in projects)
    vehicles = next(p for p in projects if p["title"] == "机动车污染控制工程")
    assert "加强机动车排放检验检测机构监管" in vehicles["content"]
    assert {p["category"] for p in projects} == {
        "大气环境质量改善",
        "水环境质量改善",
        "土壤环境保护",
        "应对气候变化",
        "生态修复治理",
        "环境风险防范",
        "环境监管能力",
    }


# ----------------------------------------------------------------------------- links


def test_body_annex_link_for_no_coal_zone(yuncheng):
    body = _at(yuncheng, 169)
    row = _at(yuncheng, 283)
    assert body["title"] == row["title"] == "扩大“禁煤区”"
    assert _list(body["linked_task"]) == [row["id"]]
    assert _list(row["linked_task"]) == [body["id"]]


def test_links_are_symmetric_and_within_plan(yuncheng, jincheng, lingchuan):
    for records in (yuncheng, jincheng, lingchuan):
        for rec in records.values():
            for other in _list(rec["linked_task"]):
                assert rec["id"] in _list(records[other]["linked_task"])
                assert records[other]["plan"] == rec["plan"]
    body4 = _list(_at(jincheng, 255)["linked_task"])
    rows = {_row(jincheng, "行动计划任务台账", n)["id"] for n in (4, 5)}
    assert rows <= set(body4)
    # no link for a row that only shares generic words
    assert _at(jincheng, 226)["linked_task"] == ""


# ------------------------------------------------------------------------- synthetic

PLAN = """长治市人民政府办公室文件

长政办发〔2023〕1号

长治市空气质量再提升2023年行动计划

一、主要目标

1. 这不是任务。目标段落里的编号不算任务。

二、重点任务

（一）产业调整

1. 淘汰落后产能。2023年6月底前完成淘汰，

关停一批企业。（市工信局牵头，市生态环境局配合。以下各项任务均需各县[市、区]人民政府负责，不再列出）

**2. 推进退城入园。**襄垣县侯堡镇西周村的示例化工有限公司完成搬迁。（市工信局、

市发展改革委按职责分工负责）

(二) 面源治理

#### 3. 强化扬尘管控

长期坚持扬尘治理。〔责任单位：市住建局〕

三、保障措施

1. 这也不是任务。
"""


def _synthetic(tmp_path: Path) -> list[dict]:
    path = tmp_path / "plan.txt"
    path.write_text(PLAN, encoding="utf-8")
    ctx = read_structure(read_document(path))
    return tasks.extract(ctx, {})["tasks"]


def test_synthetic_numbered_tasks(tmp_path):
    records = _synthetic(tmp_path)
    assert [r["seq"] for r in records] == ["1", "2", "3"]
    first, second, third = records
    assert first["category"] == "产业调整"
    assert first["title"] == "淘汰落后产能"
    assert (
        first["content"]
        == "淘汰落后产能。2023年6月底前完成淘汰，关停一批企业。（市工信局牵头，市生态环境局配合。以下各项任务均需各县[市、区]人民政府负责，不再列出）"
    )
    assert first["deadline"] == "2023-06-30"
    assert first["responsible_units"] == ["市工信局", "市生态环境局"]  # "以下…" binds the later tasks only
    assert second["title"] == "推进退城入园"
    assert second["responsible_units"] == ["市工信局", "市发展改革委", "各县（市、区）人民政府"]
    assert second["places"] == ["襄垣县", "侯堡镇", "西周村", "示例化工有限公司"]
    assert third["category"] == "面源治理"
    assert third["title"] == "强化扬尘管控"
    assert third["long_term"] == 1 and third["deadline"] == ""
    assert third["responsible_units"] == ["市住建局", "各县（市、区）人民政府"]


def test_units_and_default_helper():
    units, default = tasks.units_and_default(
        "任务。（市生态环境局、市水务局按职责牵头，市财政局配合，各县[市、区]人民政府负责。以下各项任务均需各县[市、区]人民政府负责，不再列出）"
    )
    assert units == ["市生态环境局", "市水务局", "市财政局", "各县（市、区）人民政府"]
    assert default == ["各县（市、区）人民政府"]
    units, default = tasks.units_and_default(
        "任务（含网约车）。（各县〔市、区〕人民政府和运城开发区管委会牵头）"
    )
    assert units == ["各县（市、区）人民政府", "运城开发区管委会"]
    assert default == []


def test_places_helper():
    assert tasks.places_in("夏店镇、侯堡镇侯堡村生活污水处理站") == ["夏店镇", "侯堡镇", "侯堡村"]
    assert tasks.places_in("补齐城镇生活污水处理短板，各乡镇、农村地区全面推进") == []
    assert tasks.places_in("河津市山西阳光焦化集团股份有限公司等7家焦化企业") == [
        "河津市",
        "山西阳光焦化集团股份有限公司",
    ]
