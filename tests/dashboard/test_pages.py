"""Every page renders from the store without an exception, and filters change what is shown."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import REPO

APP = str(REPO / "dashboard" / "app.py")


@pytest.fixture
def app(db_path):
    return AppTest.from_file(APP, default_timeout=60)


@pytest.mark.parametrize("page", ["app_pages/overview.py", "app_pages/tasks.py", "app_pages/sources.py"])
def test_page_renders(app, page):
    app.run()
    app.switch_page(page).run()
    assert not app.exception, app.exception
    assert app.title[0].value


def test_overview_counts_the_bundled_plans(app):
    app.run()
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["行动计划文件"] == "5"
    assert int(metrics["任务（含台账行）"]) > 300


def test_task_filter_by_jurisdiction_narrows_the_table_and_lands_in_the_url(app):
    app.run()
    app.switch_page("app_pages/tasks.py").run()
    total = len(app.dataframe[0].value)
    app.selectbox(key="tasks_j").select("陵川县").run()
    assert not app.exception
    narrowed = app.dataframe[0].value
    assert 0 < len(narrowed) < total
    assert set(narrowed["辖区"]) == {"陵川县"}
    assert app.query_params["j"] == ["陵川县"] or app.query_params["j"] == "陵川县"
