"""地下水: points with targets, classes from measurements labelled where they rest on samples, filters in the URL."""

from __future__ import annotations

import pytest

from tests.dashboard.helpers import cards, new_app, open_page, param, table, texts


@pytest.fixture
def app(db_path):
    return new_app()


def _points(app):
    return table(app, "点位", "达标情况")


def test_points_and_sources_are_listed_with_targets_and_sources(app):
    open_page(app, "groundwater")
    points = _points(app)
    assert len(points) == 8
    assert set(points["类型"]) == {"区域点位", "污染风险监控点位", "饮用水源点位"}
    assert points["目标原文"].str.contains("地下水").all()
    assert points["原文"].str.startswith("sources?doc=").all()
    assert points["位置精度"].str.contains("近似").all()
    sources = table(app, "水源", "规模")
    assert len(sources) == 30
    assert "县代表点" in texts(app)


def test_sample_classes_are_labelled_on_every_row_and_in_the_figures(app):
    open_page(app, "groundwater")
    points = _points(app)
    assert set(points["2023年类别"]) <= {f"{k}类" for k in ("Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ")}
    assert (points["数据说明"] == "示例数据（非实测）").all()
    found = cards(app)
    assert found["2023年有监测评价"].note == "示例数据（非实测）"
    assert "来自示例数据（非实测）" in texts(app)


def test_without_measurements_targets_show_and_classes_say_no_data(app):
    from geodata.store import open_store

    open_store().delete_samples()
    open_page(app, "groundwater")
    points = _points(app)
    assert set(points["2023年类别"]) == {"无数据"}
    assert set(points["达标情况"]) == {"? 无数据"}
    assert "尚无地下水监测数据" in texts(app)
    assert "数据说明" not in points.columns


def test_kind_filter_narrows_the_table_and_lands_in_the_url(app):
    open_page(app, "groundwater")
    app.multiselect(key="gw_kind").set_value(["区域点位"]).run()
    points = _points(app)
    assert len(points) == 4 and set(points["类型"]) == {"区域点位"}
    assert param(app, "gwkind") == "区域点位"


def test_county_filter_keeps_its_points_and_city_wide_sources(app):
    open_page(app, "groundwater", city="长治市", county="襄垣县")
    assert set(_points(app)["县（市、区）"]) == {"襄垣县"}
    assert set(table(app, "水源")["县（市、区）"]) <= {"襄垣县", "全市"}


def test_an_area_without_points_says_so(app):
    open_page(app, "groundwater", city="晋城市", county="陵川县")
    assert "未列出地下水考核点位" in texts(app) or "没有列出地下水考核点位" in texts(app)
