"""空气质量目标: monthly targets by place and pollutant; URL state; honest about missing actuals and other areas."""

from __future__ import annotations

import pytest

from tests.dashboard.helpers import cards, new_app, open_page, param, table, texts

PLACES = ["陵川县城", "礼义镇", "附城镇", "西河底镇"]


@pytest.fixture
def app(db_path):
    return new_app(timeout=60)


def test_targets_of_every_place_are_shown_with_the_annual_row(app):
    open_page(app, "air")
    found = cards(app)
    assert list(found) == PLACES
    assert found["陵川县城"].value == "22 μg/m³"  # 陵川县城 PM2.5 全年
    heat = app.dataframe[0].value
    assert list(heat.index) == PLACES
    assert list(heat.columns) == [f"{k}月" for k in range(1, 13)] + ["全年"]
    assert heat.loc["陵川县城", "1月"] == 33.0
    frame = table(app, "地点", "污染物")
    assert len(frame) == 312
    assert frame["来源"].str.startswith("《").all()
    assert "暂无空气质量实测数据导入" in texts(app)
    assert len(app.get("vega_lite_chart")) == 4


def test_place_and_pollutant_filters_change_the_view_and_the_url(app):
    open_page(app, "air")
    app.multiselect(key="air_places").set_value(["礼义镇"]).run()
    app.radio(key="air_pollutant").set_value("CO").run()
    assert not app.exception
    assert list(cards(app)) == ["礼义镇"]
    assert cards(app)["礼义镇"].value.endswith("mg/m³")
    assert len(table(app, "地点", "污染物")) == 78
    assert param(app, "airplaces") == "礼义镇" and param(app, "pollutant") == "CO"


def test_url_state_is_restored(app):
    open_page(app, "air", airplaces="附城镇,西河底镇", pollutant="O3")
    assert app.multiselect(key="air_places").value == ["附城镇", "西河底镇"]
    assert app.radio(key="air_pollutant").value == "O3"
    assert list(cards(app)) == ["附城镇", "西河底镇"]


def test_another_area_is_told_which_counties_have_monthly_targets(app):
    open_page(app, "air", city="运城市", county="盐湖区")
    assert "盐湖区 的行动计划没有给出月度空气质量目标" in texts(app)
    assert len(table(app, "地点", "污染物")) == 312


def test_another_year_is_told_which_year_is_shown(app):
    open_page(app, "air", year="2022")
    assert "2022年没有空气质量预控制目标；以下为2023年的目标" in texts(app)
