"""地下水: points by class against target, drinking-water sources, filters in the URL, honest empty states."""

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
    app.switch_page("app_pages/groundwater.py")
    for name, value in params.items():
        app.query_params[name] = value
    app.run()
    assert not app.exception, app.exception
    return app


def _points(app: AppTest):
    return app.dataframe[0].value


def test_points_and_sources_are_listed_with_targets_and_sources(app):
    _open(app)
    assert app.title[0].value == "地下水"
    points = _points(app)
    assert len(points) == 8
    assert set(points["类型"]) == {"区域点位", "污染风险监控点位", "饮用水源点位"}
    assert points["目标（原文）"].str.contains("地下水").all()
    assert points["来源"].str.contains(r"\.txt 第 \d+ 行").all()
    assert points["位置精度"].str.contains("近似").all()
    sources = app.dataframe[1].value
    assert len(sources) == 30
    assert {"水源", "规模", "类型", "要求（原文）", "目标类别", "完成时限", "责任单位", "来源"} <= set(sources.columns)
    assert any("县代表点" in c.value and "近似" in c.value for c in app.caption)


def test_classes_come_from_the_sample_measurements_and_are_labelled(app):
    _open(app)
    points = _points(app)
    assert set(points["2023年类别"]) <= {"Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ"}
    assert set(points["达标情况"].str[-3:].str.strip()) <= {"达标", "未达标"}
    assert any("示例数据（非实测）" in w.value for w in app.warning)
    metrics = {m.label: int(m.value) for m in app.metric}
    assert metrics["达标点位"] + metrics["未达标点位"] == metrics["2023年有监测评价"] == 8


def test_without_measurements_targets_show_and_classes_say_no_data(app):
    from geodata.store import open_store

    open_store().delete_samples()
    _open(app)
    points = _points(app)
    assert set(points["2023年类别"]) == {"无数据"}
    assert set(points["达标情况"]) == {"? 无数据"}
    assert any("尚无地下水监测数据" in i.value for i in app.info)
    assert not any("示例数据（非实测）" in w.value for w in app.warning)


def test_kind_filter_narrows_the_table_and_lands_in_the_url(app):
    _open(app)
    app.multiselect(key="gw_kind").set_value(["区域点位"]).run()
    assert not app.exception, app.exception
    points = _points(app)
    assert len(points) == 4 and set(points["类型"]) == {"区域点位"}
    assert app.query_params["gwkind"] in ("区域点位", ["区域点位"])


def test_url_state_is_restored(app):
    _open(app, gwkind="污染风险监控点位", city="运城市")
    points = _points(app)
    assert set(points["类型"]) == {"污染风险监控点位"}
    assert set(points["县（市、区）"]) <= {"河津市", "盐湖区"}


def test_county_filter_keeps_its_points_and_city_wide_sources(app):
    _open(app)
    app.selectbox(key="state_city").select("长治市").run()
    app.selectbox(key="state_county_长治市").select("襄垣县").run()
    assert not app.exception, app.exception
    assert set(_points(app)["县（市、区）"]) == {"襄垣县"}
    assert set(app.dataframe[1].value["县（市、区）"]) == {"襄垣县"}
    assert app.query_params["county"] in ("襄垣县", ["襄垣县"])


def test_an_area_without_points_says_so(app):
    _open(app, city="晋城市", county="陵川县")
    assert any("未列出地下水考核点位" in i.value for i in app.info)
    assert not app.exception
