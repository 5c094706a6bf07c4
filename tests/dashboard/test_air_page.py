"""空气质量目标: 陵川县's monthly targets by place and pollutant; URL state; honest about missing actuals."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import REPO

APP = str(REPO / "dashboard" / "app.py")
PLACES = ["陵川县城", "礼义镇", "附城镇", "西河底镇"]


@pytest.fixture
def app(db_path):
    return AppTest.from_file(APP, default_timeout=60)


def _open(app: AppTest, **params: str) -> AppTest:
    app.run()
    app.switch_page("app_pages/air.py")
    for name, value in params.items():
        app.query_params[name] = value
    app.run()
    assert not app.exception, app.exception
    return app


def test_targets_of_every_place_are_shown_with_the_annual_row(app):
    _open(app)
    assert app.title[0].value == "空气质量目标"
    assert [m.label for m in app.metric] == PLACES
    assert app.metric[0].value == "22 μg/m³"  # 陵川县城 PM2.5 全年 (line 132)
    heat = app.dataframe[0].value
    assert list(heat.index) == PLACES
    assert list(heat.columns) == [f"{k}月" for k in range(1, 13)] + ["全年"]
    assert heat.loc["陵川县城", "1月"] == 33.0
    table = app.dataframe[-1].value
    assert len(table) == 312
    assert table["来源"].str.startswith("004_4f158027f32d157e.txt 第").all()
    assert any("暂无空气质量实测数据导入，图中仅显示目标与基准值" in c.value for c in app.caption)
    assert len(app.get("vega_lite_chart")) == 4  # one chart per place


def test_place_and_pollutant_filters_change_the_view_and_the_url(app):
    _open(app)
    app.multiselect(key="air_places").set_value(["礼义镇"]).run()
    app.radio(key="air_pollutant").set_value("CO").run()
    assert not app.exception, app.exception
    assert [m.label for m in app.metric] == ["礼义镇"]
    assert app.metric[0].value.endswith("mg/m³")
    assert list(app.dataframe[0].value.index) == ["礼义镇"]
    assert len(app.dataframe[-1].value) == 78
    assert app.query_params["airplaces"] in ("礼义镇", ["礼义镇"])
    assert app.query_params["pollutant"] in ("CO", ["CO"])
    assert len(app.get("vega_lite_chart")) == 1


def test_url_state_is_restored(app):
    _open(app, airplaces="附城镇,西河底镇", pollutant="O3")
    assert app.multiselect(key="air_places").value == ["附城镇", "西河底镇"]
    assert app.radio(key="air_pollutant").value == "O3"
    assert [m.label for m in app.metric] == ["附城镇", "西河底镇"]


def test_another_area_is_told_only_lingchuan_has_monthly_targets(app):
    _open(app, city="运城市", county="盐湖区")
    assert any("只有 陵川县" in i.value and "盐湖区" in i.value for i in app.info)
    assert len(app.dataframe[-1].value) == 312  # shown anyway


def test_lingchuan_itself_gets_no_note(app):
    _open(app, city="晋城市", county="陵川县")
    assert not app.info
