"""禁煤区: every commitment is listed with its deadline, source and task; the map is honest when empty."""

from __future__ import annotations

import pytest

from tests.dashboard.helpers import cards, new_app, number, open_page, param, table, texts


@pytest.fixture
def app(db_path):
    return new_app()


def test_every_commitment_is_listed_with_its_source_and_task(app):
    open_page(app, "zones")
    assert any(h.value == "禁煤区承诺（15 条）" for h in app.subheader)
    found = cards(app)
    assert number(found["禁煤区承诺"].value) == 15 and number(found["已上图"].value) == 2
    text = texts(app)
    for jurisdiction in ("运城市", "盐湖区", "晋城市", "陵川县"):
        assert f"#### {jurisdiction}" in text
    assert "海拔500米以上区域" in text
    assert "（2023-06-30）" in text
    assert "原文未给出可绘制的范围" in text
    assert "sources?doc=" in text and ".txt 第" not in text


def test_related_tasks_mention_no_coal_zones_or_loose_coal(app):
    open_page(app, "zones")
    frame = table(app, "任务内容", "状态")
    assert len(frame) > 0 and frame["任务内容"].str.contains("禁煤区|散煤").all()


def test_county_filter_keeps_the_city_commitments(app):
    open_page(app, "zones", city="晋城市", county="陵川县")
    assert param(app, "county") == "陵川县"
    assert any(h.value == "禁煤区承诺（6 条）" for h in app.subheader)  # 陵川县's 2 and 晋城市's 4
    assert "#### 运城市" not in texts(app)


def test_an_empty_layer_is_said_so_and_commitments_are_still_listed(app):
    import geopandas as gpd

    from geodata.store import open_store

    open_store().write_layer("no_coal_zone_areas", gpd.GeoDataFrame({"label": []}, geometry=[], crs="EPSG:4326"))
    open_page(app, "zones")
    assert "禁煤区范围图层尚未生成" in texts(app)
    assert any(h.value == "禁煤区承诺（15 条）" for h in app.subheader)
    assert number(cards(app)["已上图"].value) == 0
