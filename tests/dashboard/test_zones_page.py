"""禁煤区: every commitment is listed with its deadline, source and task; the map is honest when empty."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import REPO

APP = str(REPO / "dashboard" / "app.py")


@pytest.fixture
def app(db_path):
    return AppTest.from_file(APP, default_timeout=120)


def _open(app: AppTest, **params: str) -> AppTest:
    app.run()
    for name, value in params.items():
        app.query_params[name] = value
    app.switch_page("app_pages/zones.py").run()
    assert not app.exception, app.exception
    return app


def _markdown(app: AppTest) -> str:
    return "\n".join(m.value for m in app.markdown)


def test_every_commitment_is_listed_with_its_source_and_task(app):
    _open(app)
    assert app.title[0].value == "禁煤区"
    assert any(h.value == "禁煤区承诺（15 条）" for h in app.subheader)
    metrics = {m.label: int(m.value) for m in app.metric}
    assert metrics["禁煤区承诺"] == 15 and metrics["已上图"] == 2
    text = _markdown(app)
    for jurisdiction in ("运城市", "盐湖区", "晋城市", "陵川县"):
        assert f"#### {jurisdiction}" in text
    assert text.count("000_e229c82bcd1df28b.txt 第 169 行") >= 1
    assert "海拔500米以上区域" in text  # exclusions
    assert "（长期坚持）" in text and "（2023-06-30）" in text  # deadlines: text and normalised
    assert "原文未给出可绘制的范围" in text  # why a commitment is not on the map
    assert "对应任务" in text


def test_related_tasks_mention_no_coal_zones_or_loose_coal(app):
    _open(app)
    table = app.dataframe[-1].value
    assert len(table) > 0
    assert table["任务内容"].str.contains("禁煤区|散煤").all()


def test_county_filter_keeps_the_city_commitments_and_lands_in_the_url(app):
    app.run()
    app.switch_page("app_pages/zones.py").run()
    app.selectbox(key="state_city").select("晋城市").run()
    app.selectbox(key="state_county_晋城市").select("陵川县").run()
    assert not app.exception, app.exception
    assert app.query_params["county"] in ("陵川县", ["陵川县"])
    assert any(h.value == "禁煤区承诺（6 条）" for h in app.subheader)  # 陵川县's 2 and 晋城市's 4
    assert any("没有原文指明范围、可以上图的禁煤区" in i.value for i in app.info)
    assert "#### 运城市" not in _markdown(app)


def test_an_empty_layer_is_said_so_and_commitments_are_still_listed(app):
    import geopandas as gpd

    from geodata.store import open_store

    store = open_store()
    store.write_layer("no_coal_zone_areas", gpd.GeoDataFrame({"label": []}, geometry=[], crs="EPSG:4326"))
    _open(app)
    assert any("禁煤区范围图层尚未生成" in i.value for i in app.info)
    assert any(h.value == "禁煤区承诺（15 条）" for h in app.subheader)
    assert {m.label: int(m.value) for m in app.metric}["已上图"] == 0
