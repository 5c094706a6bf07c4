"""The overview and water pages render from the store, filters change what is shown, the URL keeps the view."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import REPO

APP = str(REPO / "dashboard" / "app.py")


@pytest.fixture
def app(db_path):
    return AppTest.from_file(APP, default_timeout=90)


def test_overview_shows_the_headline_figures(app):
    app.run()
    assert not app.exception, app.exception
    labels = [m.label for m in app.metric]
    assert labels == ["断面优良（Ⅰ–Ⅲ类）比例", "劣Ⅴ类断面数", "达标断面/考核断面", "逾期任务数", "重点企业整治完成率"]
    assert int(app.metric[3].value) > 0  # as of today, the 2022–2023 deadlines have passed


def test_county_filter_changes_the_overview_and_lands_in_the_url(app):
    app.run()
    everything = int(app.metric[3].value)
    app.selectbox(key="state_city").select("晋城市").run()
    app.selectbox(key="state_county_晋城市").select("陵川县").run()
    assert not app.exception, app.exception
    assert app.query_params["city"] == ["晋城市"] or app.query_params["city"] == "晋城市"
    assert 0 < int(app.metric[3].value) < everything
    assert "陵川县" in app.title[0].value


def test_url_state_round_trips(db_path):
    app = AppTest.from_file(APP, default_timeout=90)
    app.query_params["city"] = "运城市"
    app.query_params["year"] = "2022"
    app.run()
    assert app.selectbox(key="state_city").value == "运城市"
    assert app.selectbox(key="state_year").value == 2022


def test_water_page_lists_sections_with_targets(app):
    app.run()
    app.switch_page("app_pages/water.py").run()
    assert not app.exception, app.exception
    table = app.dataframe[-1].value
    assert {"断面", "目标类别", "达标情况"} <= set(table.columns)
    row = table.set_index("断面").loc["汇源水库出口"]
    assert row["目标类别"] == "Ⅲ"
