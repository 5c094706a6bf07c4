"""Plans nobody on the team wrote: public plans of other cities and provinces, in every format.

The corpus is ``tests/fixtures/plans/`` (sources and licences in its README): faithful excerpts
of nine public plans from 山西, 广东, 黑龙江, 青海, 陕西 and 福建 (2018–2023) as .txt, .md, .docx
and text PDF, a scanned PDF, and seed 001 rendered to PDF and .docx with real (merged) tables.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from geodata.errors import PlanParseError
from geodata.model import LIST_SEP
from geodata.plans.extract import extract_document
from geodata.plans.importer import is_empty
from tests.conftest import REPO, seed

CORPUS = REPO / "tests" / "fixtures" / "plans"


def _list(value: object) -> list[str]:
    return [v for v in str(value).split(LIST_SEP) if v]


@pytest.fixture(scope="module")
def corpus() -> dict[str, object]:
    return {p.name: extract_document(p) for p in sorted(CORPUS.iterdir()) if p.is_file() and p.suffix != ".py"
            and "scanned" not in p.name and p.name != "README.md"}


@pytest.mark.parametrize(
    ("file", "jurisdiction", "level", "parent", "title_start"),
    [
        ("changzhi_2019_water.txt", "长治市", "city", "山西省", "长治市水污染防治2019年行动计划"),
        ("changzhi_2021_water.pdf", "长治市", "city", "山西省", "长治市人民政府办公室关于印发长治市水环境质量巩固提升"),
        ("changzhi_rivers.txt", "长治市", "city", "山西省", "长治市河湖生态修复综合治理工作方案"),
        ("linfen_2018_water.md", "临汾市", "city", "山西省", "临汾市水污染防治2018年行动计划"),
        ("chaozhou_2019_air.docx", "潮州市", "city", "广东省", "潮州市打赢蓝天保卫战实施方案(2019-2020年)"),
        ("jiamusi_2018_water.pdf", "佳木斯市", "city", "黑龙江省", "关于印发佳木斯市2018年度水污染防治重点工作实施方案的通知"),
        ("huzhu_2023_air.docx", "互助土族自治县", "county", "海东市", "互助土族自治县人民政府办公室关于转发"),
        ("yanan_2018_air.txt", "延安市", "city", "陕西省", "延安市人民政府关于印发"),
        ("shaowu_2018_water.txt", "邵武市", "county", "南平市", "邵武市水污染防治2018年度工作计划"),
        ("xiangyuan_2023_seed001.pdf", "襄垣县", "county", "长治市", "襄垣县人民政府办公室关于印发"),
    ],
)
def test_every_corpus_plan_gets_its_jurisdiction_and_parent(corpus, file, jurisdiction, level, parent, title_start):
    doc = corpus[file].document
    assert (doc["jurisdiction"], doc["jurisdiction_level"], doc["parent"]) == (jurisdiction, level, parent)
    assert str(doc["title"]).startswith(title_start)
    assert corpus[file].tables["plans"], file


def test_signature_block_gives_issuer_and_date_without_a_doc_number(corpus):
    doc = corpus["changzhi_2019_water.txt"].document
    assert doc["doc_number"] == ""
    assert (doc["issuer"], doc["issue_date"]) == ("长治市人民政府办公室", "2019-07-16")
    assert doc["id"] == "changzhi_2019_water"  # no 文号: the file stem


def test_wrapped_titles_and_bracketed_years(corpus):
    [jiamusi] = corpus["jiamusi_2018_water.pdf"].tables["plans"]
    assert jiamusi["title"] == "佳木斯市2018年度水污染防治重点工作实施方案"  # wrapped over two lines
    [huzhu] = corpus["huzhu_2023_air.docx"].tables["plans"]
    assert huzhu["title"] == "互助县深入打好柴油货车污染治理、臭氧污染防治和重污染天气消除攻坚战行动实施方案"
    assert huzhu["domain"] == "air"
    [chaozhou] = corpus["chaozhou_2019_air.docx"].tables["plans"]
    assert (chaozhou["period_start"], chaozhou["period_end"]) == (2019, 2020)
    [rivers] = corpus["changzhi_rivers.txt"].tables["plans"]
    assert rivers["title"] == "长治市河湖生态修复综合治理工作方案"  # named only in "印发《…》"
    assert rivers["domain"] == "water"


def test_changzhi_2019_sections_are_real_and_zero_targets_are_indicators(corpus):
    e = corpus["changzhi_2019_water.txt"]
    assert [(s["name"], s["county"], s["city"]) for s in e.tables["sections"]] == [("东沟站", "沁源县", "长治市")]
    [target] = e.tables["section_targets"]
    assert (target["section_name"], target["year"], target["target_class"], target["kind"]) == ("东沟站", 2019, "Ⅲ", "target")
    zero = [i for i in e.tables["indicators"] if i["target_number"] == 0.0]
    assert {i["name"] for i in zero} == {"劣V类的水体断面比例", "地下水质量考核点位水质极差比例"}
    assert all(i["comparison"] == "=" and i["target_year"] == 2019 for i in zero)
    assert not any("类的水体" in s["name"] for s in e.tables["sections"])


def test_changzhi_2019_units_and_the_default_clause(corpus):
    first, second = corpus["changzhi_2019_water.txt"].tables["tasks"]
    assert _list(first["lead_units"]) == ["市住建局"]
    assert _list(first["support_units"]) == ["市生态环境局"]
    assert _list(first["responsible_units"]) == ["市住建局", "市生态环境局", "各相关县区人民政府"]
    assert first["deadline"] == "2019-12-31"
    # "以下均需各县区人民政府及开发区管委会落实，不再列出" binds the tasks after it
    assert _list(second["responsible_units"]) == ["各县区人民政府", "开发区管委会"]


def test_linfen_development_zones_stay_one_unit(corpus):
    tasks = corpus["linfen_2018_water.md"].tables["tasks"]
    second = next(t for t in tasks if t["seq"] == "2")
    assert _list(second["responsible_units"])[-1] == "临汾、侯马、洪洞经济开发区管委会"
    assert _list(second["lead_units"]) == ["市环保局"]
    assert _list(second["support_units"]) == ["市经信委", "市住房和城乡建设局"]


def test_chaozhou_roles_and_percentage_cuts(corpus):
    e = corpus["chaozhou_2019_air.docx"]
    first = e.tables["tasks"][0]
    assert _list(first["lead_units"]) == ["市生态环境局", "市场监管局"]
    assert _list(first["support_units"]) == ["市发展和改革局", "工业和信息化局", "自然资源局"]  # "参与"
    cuts = {i["name"]: i for i in e.tables["indicators"] if i["baseline_year"] == 2015}
    assert {n: c["target_number"] for n, c in cuts.items()} == {
        "二氧化硫(SO2)排放总量": 15.0, "氮氧化物(NOX)排放总量": 10.0, "挥发性有机物(VOCs)排放总量": 26.0,
    }
    assert all(c["target_value"].startswith("下降") and c["target_year"] == 2020 for c in cuts.values())


def test_jiamusi_square_bracket_units_and_pdf_page_refs(corpus):
    e = corpus["jiamusi_2018_water.pdf"]
    [task] = e.tables["tasks"]
    assert _list(task["lead_units"]) == ["市水务局"]
    assert _list(task["support_units"]) == ["市工信委", "城乡建设局"]
    assert re.fullmatch(r"第1页第\d+行", str(task["source_ref"]))
    assert all(re.fullmatch(r"第\d+页第\d+行", str(t["source_ref"])) for t in e.tables["tasks"])


def test_rivers_default_clause_ends_with_any_verb(corpus):
    tasks = corpus["changzhi_rivers.txt"].tables["tasks"]
    assert len(tasks) == 4
    assert "相关县区人民政府" not in _list(tasks[0]["responsible_units"])  # the clause binds what follows
    assert all("相关县区人民政府" in _list(t["responsible_units"]) for t in tasks[1:])


def test_shaowu_section_named_after_de(corpus):
    e = corpus["shaowu_2018_water.txt"]
    [section] = e.tables["sections"]
    assert (section["name"], section["river"], section["level"]) == ("晒口大桥", "富屯溪", "国考")
    [target] = e.tables["section_targets"]
    assert target["year"] == 2018 and target["target_class"] == "" and "国家考核要求" in target["target_text"]


def test_title_only_excerpts_are_empty_and_say_so(corpus):
    for name in ("huzhu_2023_air.docx", "changzhi_2021_water.pdf"):
        assert is_empty(corpus[name]), name
    assert not is_empty(corpus["changzhi_2019_water.txt"])


def test_a_scanned_pdf_is_refused_with_the_reason():
    with pytest.raises(PlanParseError, match="扫描件.*OCR"):
        extract_document(CORPUS / "jiamusi_2018_water_scanned.pdf")


def _content(e) -> dict[str, object]:
    def squash(text: object) -> str:
        return re.sub(r"\s+", "", str(text))

    return {
        "sections": sorted((s["name"], s["county"], s["level"], s["river"]) for s in e.tables["sections"]),
        "targets": sorted((t["section_name"], t["year"], t["target_class"]) for t in e.tables["section_targets"]),
        "tasks": sorted((squash(t["category"]), squash(t["title"]), squash(t["content"])[:60], t["deadline"],
                         t["responsible_units"]) for t in e.tables["tasks"] if t["plan"].endswith("保水环境质量稳定行动计划")),
    }


@pytest.mark.parametrize("file", ["xiangyuan_2023_seed001.pdf", "xiangyuan_2023_seed001.docx"])
def test_seed_rendered_as_pdf_or_docx_reads_like_the_text(tmp_path: Path, corpus, file):
    """Seed 001's first 160 lines (water plan, target table with a merged 河流 cell, project lists)."""
    text = tmp_path / "001.txt"
    text.write_text("\n".join(seed("001").read_text(encoding="utf-8").splitlines()[:160]), encoding="utf-8")
    expected = _content(extract_document(text))
    got = _content(corpus[file])
    assert got["sections"] == expected["sections"]
    assert got["targets"] == expected["targets"]
    assert got["tasks"] == expected["tasks"]
    assert len(got["tasks"]) == 18 + 12


def test_linfen_development_zones_given_an_action_are_parks(corpus):
    parks = [e for e in corpus["linfen_2018_water.md"].tables["enterprises"] if e["kind"] == "park"]
    assert [p["name"] for p in parks] == ["临汾经济开发区", "侯马经济开发区", "洪洞经济开发区"]
    assert all(p["required_action"].startswith("加强监管，完善污水管网") for p in parks)
