"""Finding tables: headers, page-break repeats, "same as above" cells, wrapped rows."""

from __future__ import annotations

from geodata.plans.reader import read_document
from geodata.plans.structure import read_structure
from geodata.plans.tables import fill_down, find_tables
from tests.conftest import seed

LEDGER = """附件

示例任务台账

任务类别\t序号\t具体措施\t完成时限\t牵头单位\t备注
一、产业\t1\t甲措施\t长期坚持\t市工信局\t
\t2\t乙措施\t2022年5月底前\t市生态环境局\t

任务类别\t序号\t具体措施\t完成时限\t牵头单位\t备注
\t3\t丙措施\t长期坚持\t市能源局\t
二、能源\t4\t丁措施\t长期坚持\t市能源局\t
\t5\t戊措施，
跨行续写\t长期坚持\t市能源局\t
"""


def test_page_break_repeats_merge_into_one_table_with_segments(tmp_path):
    path = tmp_path / "ledger.txt"
    path.write_text(LEDGER, encoding="utf-8")
    (table,) = find_tables(read_document(path))
    assert table.title == "示例任务台账"
    assert [r.cells[1] for r in table.rows] == ["1", "2", "3", "4", "5"]
    assert [r.segment for r in table.rows] == [0, 0, 1, 1, 1]
    # blank category: same as above, except at the top of a page segment (centred merged cell)
    assert fill_down(table, 0) == ["一、产业", "一、产业", "一、产业", "二、能源", "二、能源"]
    assert fill_down(table, 0, segment_start_takes_next=True) == ["一、产业", "一、产业", "二、能源", "二、能源", "二、能源"]


def test_a_wrapped_cell_is_joined_to_its_row(tmp_path):
    path = tmp_path / "ledger.txt"
    path.write_text(LEDGER, encoding="utf-8")
    (table,) = find_tables(read_document(path))
    assert table.rows[-1].cells[2] == "戊措施，跨行续写"


def test_seed_tables_are_all_found():
    found = {p: [(t.title, len(t.rows)) for t in find_tables(read_document(seed(p)))] for p in ("000", "001", "003", "004")}
    assert found["000"] == [("运城市空气质量再提升2023年行动计划措施任务表", 22)]
    assert [n for _, n in found["001"]] == [3, 2, 3, 3, 3, 1]
    assert ("2022 年地表水水质改善目标明细表", 22) in found["003"]
    assert ("晋城市 2022 年大气污染防治重点工作任务台账", 55) in found["003"]
    assert ("晋城市水环境质量巩固提升 2022 年行动计划任务台账", 41) in found["003"]
    assert sum(1 for title, n in found["004"] if "预控制目标" in title and n == 14) == 4


def test_sub_tables_carry_their_annex_title():
    tables = find_tables(read_document(seed("001")))
    assert tables[2].full_title == "襄垣县 2022 年—2023 年保水环境质量稳定行动计划重点项目清单／二、农村环境治理（3个）"


def test_document_structure_of_every_seed():
    expected = {
        "000": ("运政办发〔2023〕15号", "运城市人民政府办公室", "2023-06-16", "运城市", "山西省", ["water", "air", "soil", "groundwater"]),
        "001": ("襄政办发〔2023〕17号", "襄垣县人民政府办公室", "2023-07-12", "襄垣县", "长治市", ["water", "air", "soil", "groundwater"]),
        "002": ("", "", None, "运城市", "山西省", ["comprehensive"]),
        "003": ("晋市政办〔2022〕11号", "晋城市人民政府办公室", "2022-05-18", "晋城市", "山西省", ["air", "water", "soil"]),
        "004": ("陵政办发〔2023〕13号", "陵川县人民政府办公室", "2023-06-12", "陵川县", "晋城市", ["air", "water", "soil"]),
    }
    for prefix, (number, issuer, date, jurisdiction, parent, domains) in expected.items():
        ctx = read_structure(read_document(seed(prefix)))
        meta = ctx.meta
        assert (meta.doc_number, meta.issuer, meta.jurisdiction, meta.parent) == (number, issuer, jurisdiction, parent)
        assert (meta.issue_date.isoformat() if meta.issue_date else None) == date
        assert [p.domain for p in ctx.plans] == domains


def test_plan_periods():
    ctx = read_structure(read_document(seed("001")))
    assert ctx.plans[0].title == "襄垣县2022年—2023年保水环境质量稳定行动计划"
    assert (ctx.plans[0].period_start, ctx.plans[0].period_end) == (2022, 2023)
    fyp = read_structure(read_document(seed("002")))
    assert fyp.plans[0].title == "运城市生态环境保护“十四五”规划"
    assert (fyp.plans[0].period_start, fyp.plans[0].period_end) == (2021, 2025)
