"""Rules of the genre, each with a text cut from a real plan or a realistic variant of one.

Variants are written in the forms published plans use (the corpus in tests/fixtures/plans shows
the real ones); place names are real, so jurisdictions resolve through the national gazetteer.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from geodata.model import LIST_SEP
from geodata.plans.deadlines import parse_deadline
from geodata.plans.extract import extract_document
from geodata.plans.reader import read_document
from geodata.plans.structure import read_structure


def _list(value: object) -> list[str]:
    return [v for v in str(value).split(LIST_SEP) if v]


def _extract(tmp_path: Path, text: str, name: str = "plan.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return extract_document(path)


# ------------------------------------------------------------------------- titles


@pytest.mark.parametrize(
    ("lines", "title", "years"),
    [
        (["长治市打赢蓝天保卫战三年行动计划（2018-2020年）"], "长治市打赢蓝天保卫战三年行动计划（2018-2020年）", (2018, 2020)),
        (["关于落实《水污染防治行动计划》的实施方案"], None, (None, None)),  # no jurisdiction: not a plan title
        (["襄垣县关于落实《山西省空气质量再提升行动计划》的实施方案"], "襄垣县关于落实《山西省空气质量再提升行动计划》的实施方案", (None, None)),
        (["沁源县2023年生态环境保护工作要点"], "沁源县2023年生态环境保护工作要点", (2023, 2023)),
        (["晋城市城区2022年臭氧污染防治攻坚方案"], "晋城市城区2022年臭氧污染防治攻坚方案", (2022, 2022)),
        (["屯留区2021年水污染防治", "工作方案"], "屯留区2021年水污染防治工作方案", (2021, 2021)),  # wrapped
        (["阿鲁科尔沁旗2020年度大气污染防治实施方案"], "阿鲁科尔沁旗2020年度大气污染防治实施方案", (2020, 2020)),
    ],
)
def test_plan_titles_of_the_genre(tmp_path, lines, title, years):
    path = tmp_path / "t.txt"
    path.write_text("\n".join([*lines, "", "为改善环境质量，制定本方案。", "一、重点任务", "1. 开展整治。（县生态环境局牵头）"]), encoding="utf-8")
    ctx = read_structure(read_document(path))
    if title is None:
        assert ctx.plans == []
        return
    assert [p.title for p in ctx.plans] == [title]
    assert (ctx.plans[0].period_start, ctx.plans[0].period_end) == years


def test_jurisdiction_levels_and_parents(tmp_path):
    cases = {
        "晋城市城区2022年臭氧污染防治攻坚方案": ("城区", "county", "晋城市"),
        "屯留区2021年水污染防治工作方案": ("屯留区", "county", "长治市"),
        "阿鲁科尔沁旗2020年度大气污染防治实施方案": ("阿鲁科尔沁旗", "county", "赤峰市"),
        "山西省2023年水污染防治工作方案": ("山西省", "province", ""),
        "长治县2017年水污染防治工作方案": ("上党区", "county", "长治市"),  # 长治县 became 上党区 in 2018
    }
    for title, expected in cases.items():
        e = _extract(tmp_path, f"{title}\n\n一、重点任务\n\n1. 开展整治。（县生态环境局牵头）\n")
        doc = e.document
        assert (doc["jurisdiction"], doc["jurisdiction_level"], doc["parent"]) == expected, title


def test_signature_with_chinese_numeral_date(tmp_path):
    e = _extract(tmp_path, "沁源县人民政府办公室\n二〇二三年三月八日\n\n沁源县2023年水污染防治工作方案\n\n一、重点任务\n\n1. 开展整治。（县水利局牵头）\n")
    assert (e.document["issuer"], e.document["issue_date"]) == ("沁源县人民政府办公室", "2023-03-08")


# ------------------------------------------------------------------------- numbering

NESTED = """襄垣县2023年水污染防治工作方案

一、工作目标

1. 到2023年，全县地表水国考断面水质优良比例达到100%。

二、重点任务

（一）工业污染防治

1. 开展工业园区整治。2023年6月底前完成。（县工信局牵头，市生态环境局襄垣分局配合）

（1）完成王桥工业园区污水管网建设。

（2）完成富阳工业园区雨污分流。

2、推进煤矿矿井水治理。一是完成矿井水处理站提标；二是开展排污口规范化整治。（县能源局牵头）

(二) 生活污染治理

3. 城镇污水处理厂提标改造。

①县城污水处理厂完成提标。②侯堡镇污水处理站完成改造。

三、保障措施

1. 加强组织领导。
"""


def test_numbering_nests_and_sub_items_link_to_their_parent(tmp_path):
    tasks = _extract(tmp_path, NESTED).tables["tasks"]
    by_seq = {(t["seq"], t["title"][:6]): t for t in tasks}
    assert len(tasks) == 3 + 2 + 2 + 2
    first = next(t for t in tasks if t["title"] == "开展工业园区整治")
    subs = [t for t in tasks if t["parent_task"] == first["id"]]
    assert [t["seq"] for t in subs] == ["（1）", "（2）"]
    assert subs[0]["content"] == "完成王桥工业园区污水管网建设。"
    second = next(t for t in tasks if t["title"] == "推进煤矿矿井水治理")  # "2、" numbering
    assert [t["seq"] for t in tasks if t["parent_task"] == second["id"]] == ["一是", "二是"]
    third = next(t for t in tasks if t["title"] == "城镇污水处理厂提标改造")
    assert [t["seq"] for t in tasks if t["parent_task"] == third["id"]] == ["①", "②"]
    assert third["category"] == "生活污染治理"
    assert all(not t["content"].startswith("到2023年") for t in tasks)  # the goal item is not a task
    assert all("组织领导" not in t["content"] for t in tasks)  # 保障措施 are not tasks
    assert by_seq


def test_a_goal_statement_in_a_task_section_is_not_forced_into_a_task(tmp_path):
    text = "长治市2019年水污染防治工作方案\n\n一、重点任务\n\n1. 到2019年底，全市建成区黑臭水体消除比例达到90%以上。\n\n2. 完成黑臭水体整治。（市住建局牵头）\n"
    tasks = _extract(tmp_path, text).tables["tasks"]
    assert [t["title"] for t in tasks] == ["完成黑臭水体整治"]


# ------------------------------------------------------------------------- responsible units


@pytest.mark.parametrize(
    ("note", "lead", "support", "all_units"),
    [
        ("（牵头单位：区经信局、发改局，责任单位：各乡镇街道园区）", ["区经信局", "发改局"], [], ["区经信局", "发改局", "各乡镇街道园区"]),
        ("（牵头部门：市生态环境局；配合部门：市公安局、市交通运输局）", ["市生态环境局"], ["市公安局", "市交通运输局"], None),
        ("（市生态环境局、市水务局按职责牵头，市财政局参与）", ["市生态环境局", "市水务局"], ["市财政局"], None),
        ("（市生态环境局、发展和改革局牵头督导，市公安局配合）", ["市生态环境局", "发展和改革局"], ["市公安局"], None),
        ("〔责任单位：市城市管理局，各县（市、区）人民政府〕", ["市城市管理局", "各县（市、区）人民政府"], [], None),
        ("（市环保局牵头，临汾、侯马、洪洞经济开发区管委会负责落实）", ["市环保局"], [], ["市环保局", "临汾、侯马、洪洞经济开发区管委会"]),
    ],
)
def test_lead_and_support_units(tmp_path, note, lead, support, all_units):
    text = f"临汾市2018年水污染防治工作方案\n\n一、重点任务\n\n1. 开展整治。{note}\n"
    [task] = _extract(tmp_path, text).tables["tasks"]
    assert _list(task["lead_units"]) == lead
    assert _list(task["support_units"]) == support
    if all_units is not None:
        assert _list(task["responsible_units"]) == all_units
    assert not any(w in u for u in _list(task["responsible_units"]) for w in ("牵头", "配合", "参与", "督导", "按职责"))


@pytest.mark.parametrize("verb", ["负责落实", "落实", "负责", "承担"])
def test_default_units_clause_whatever_its_verb(tmp_path, verb):
    text = (
        "长治市2021年水环境质量巩固提升行动计划\n\n一、重点任务\n\n"
        f"1. 推进雨污分流。（市住建局牵头。以下各项任务均需各县区人民政府{verb}，不再列出）\n\n"
        "2. 整治入河排污口。（市生态环境局配合）\n\n3. 开展黑臭水体排查。\n"
    )
    first, second, third = _extract(tmp_path, text).tables["tasks"]
    assert "各县区人民政府" not in _list(first["responsible_units"])
    assert "各县区人民政府" in _list(second["responsible_units"])
    assert _list(third["responsible_units"]) == ["各县区人民政府"]


# ------------------------------------------------------------------------- tables

TABLE_HEADERS = [
    "序号\t重点任务\t工作措施\t牵头单位\t配合单位\t完成时限",
    "序号\t重点任务\t具体措施\t牵头部门\t配合部门\t完成期限",
    "序号\t任务内容\t责任单位\t时间节点",
    "序号\t工作任务\t任务内容\t责任单位\t完成时间",
]


@pytest.mark.parametrize("header", TABLE_HEADERS)
def test_task_table_header_vocabulary(tmp_path, header):
    cols = header.split("\t")
    values = {"序号": "1", "重点任务": "扬尘治理", "工作任务": "扬尘治理", "工作措施": "完成建筑工地扬尘整治",
              "具体措施": "完成建筑工地扬尘整治", "任务内容": "完成建筑工地扬尘整治", "牵头单位": "市住建局",
              "牵头部门": "市住建局", "责任单位": "市住建局", "配合单位": "市城管局", "配合部门": "市城管局",
              "完成时限": "2023年上半年", "完成期限": "2023年上半年", "时间节点": "2023年上半年", "完成时间": "2023年上半年"}
    text = "长治市2023年大气污染防治工作方案\n\n附件\n\n重点任务清单\n\n" + header + "\n" + "\t".join(values[c] for c in cols) + "\n"
    [task] = [t for t in _extract(tmp_path, text).tables["tasks"] if t["table"]]
    assert "完成建筑工地扬尘整治" in f"{task['title']}{task['content']}"
    assert task["deadline"] == "2023-06-30"
    assert _list(task["lead_units"]) == ["市住建局"]
    if "配合单位" in cols or "配合部门" in cols:
        assert _list(task["support_units"]) == ["市城管局"]


MARKDOWN = """长治市2023年大气污染防治工作方案

附件

重点任务清单

| 序号 | 重点任务 | 具体措施 | 牵头单位 | 完成时限 |
|---|---|---|---|---|
| 1 | 扬尘治理 | 完成建筑工地扬尘整治 | 市住建局 | 2023年4月—10月 |
| 2 | | 渣土车全密闭运输 | 市城管局 | 第三季度 |
"""

ALIGNED = """长治市2023年大气污染防治工作方案

附件

重点任务清单

序号  重点任务      具体措施                    牵头单位      完成时限
1     扬尘治理      完成建筑工地扬尘整治        市住建局      2023年4月—10月
2                   渣土车全密闭运输            市城管局      第三季度
"""


@pytest.mark.parametrize("text", [MARKDOWN, ALIGNED], ids=["markdown", "space-aligned"])
def test_markdown_and_space_aligned_tables(tmp_path, text):
    rows = [t for t in _extract(tmp_path, text, "plan.md").tables["tasks"] if t["table"]]
    assert [(r["seq"], r["title"], r["content"], r["deadline"]) for r in rows] == [
        ("1", "扬尘治理", "完成建筑工地扬尘整治", "2023-10-31"),
        ("2", "扬尘治理", "渣土车全密闭运输", "2023-09-30"),  # blank = same as above; 第三季度 of the plan year
    ]


def test_docx_table_with_merged_cells(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("长治市2023年水污染防治工作方案")
    document.add_paragraph("附件")
    document.add_paragraph("重点任务清单")
    table = document.add_table(rows=4, cols=4)
    for r, cells in enumerate([["序号", "重点任务", "具体措施", "责任单位"], ["1", "黑臭水体整治", "完成排查", "市住建局"],
                               ["2", "", "完成整治", "市住建局"], ["3", "管网建设", "完成雨污分流", "市住建局"]]):
        for c, value in enumerate(cells):
            table.cell(r, c).text = value
    table.cell(1, 1).merge(table.cell(2, 1))  # 黑臭水体整治 spans rows 1–2
    table.cell(1, 1).text = "黑臭水体整治"
    path = tmp_path / "plan.docx"
    document.save(path)
    rows = [t for t in extract_document(path).tables["tasks"] if t["table"]]
    assert [(r["title"], r["content"]) for r in rows] == [
        ("黑臭水体整治", "完成排查"), ("黑臭水体整治", "完成整治"), ("管网建设", "完成雨污分流"),
    ]
    assert rows[0]["source_ref"] == "表1第2行"


# ------------------------------------------------------------------------- deadlines


@pytest.mark.parametrize(
    ("text", "iso", "assumed"),
    [
        ("2023年上半年", "2023-06-30", False),
        ("2023年下半年", "2023-12-31", False),
        ("第三季度", "2023-09-30", True),
        ("一季度", "2023-03-31", True),
        ("二〇二三年十二月底前", "2023-12-31", False),
        ("二〇二二年六月三十日前", "2022-06-30", False),
        ("2023年4月—10月", "2023-10-31", False),
        ("3月至10月", "2023-10-31", True),
        ("采暖季前", "2023-10-31", True),  # northern heating starts in November (documented)
        ("采暖季结束前", "2024-03-15", True),
    ],
)
def test_genre_deadlines(text, iso, assumed):
    d = parse_deadline(text, 2023)
    assert (d.iso, d.assumed_year) == (iso, assumed)


# ------------------------------------------------------------------------- sections and indicators

WATER = """长治市水污染防治2019年行动计划

一、工作目标

国省考17个地表水监测断面中水质优良（达到或优于Ⅲ类）断面比例达到88.24%（15个）；劣V类的水体断面比例为0。市考9个地表水监测断面中水质优良比例达到55.6%（5个，新增沁源县东沟站断面，目标Ⅲ类），劣V类的水体断面比例为0。

二、重点任务

1. 加强漳泽水库断面周边污染治理。（市生态环境局牵头）
"""


def test_sections_only_from_real_section_mentions(tmp_path):
    e = _extract(tmp_path, WATER)
    names = {s["name"]: s for s in e.tables["sections"]}
    assert set(names) == {"东沟站", "漳泽水库"}
    assert names["东沟站"]["county"] == "沁源县"
    assert names["漳泽水库"]["river"] == "漳泽水库"
    [target] = e.tables["section_targets"]
    assert (target["section_name"], target["year"], target["target_class"]) == ("东沟站", 2019, "Ⅲ")
    zero = [i for i in e.tables["indicators"] if i["target_number"] == 0.0]
    assert len(zero) == 2 and all(i["name"] == "劣V类的水体断面比例" for i in zero)


def test_plants_and_parks_are_enterprises_with_a_kind(tmp_path):
    text = (
        "晋城市2022年水污染防治工作方案\n\n一、重点任务\n\n"
        "1. 完善污水处理设施。投运泽州川底、周村、犁川3个污水处理厂。2022年6月底前完成泽州县恒光热力东沟供热站超低排放改造，"
        "巴公工业园区完成污水管网建设，晋城市清源水务有限公司完成提标改造。（市住建局牵头）\n"
    )
    found = {r["name"]: r["kind"] for r in _extract(tmp_path, text).tables["enterprises"]}
    assert found == {
        "川底污水处理厂": "plant", "周村污水处理厂": "plant", "犁川污水处理厂": "plant",
        "泽州县恒光热力东沟供热站": "plant", "巴公工业园区": "park", "晋城市清源水务有限公司": "enterprise",
    }


def test_generic_facilities_are_not_named(tmp_path):
    text = "长治市2023年土壤污染防治工作方案\n\n一、重点任务\n\n1. 开展生活垃圾填埋场、危险废物填埋场和城镇污水处理厂地下水监测。（市生态环境局牵头）\n"
    assert _extract(tmp_path, text).tables["enterprises"] == []
