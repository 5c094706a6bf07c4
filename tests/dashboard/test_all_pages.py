"""Every page renders without an exception; page filters change what is shown and land in the URL."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import REPO, bundled_task_id

APP = str(REPO / "dashboard" / "app.py")
PAGES = ["overview", "water", "groundwater", "zones", "enterprises", "tasks", "air", "monitoring", "sources"]


@pytest.fixture
def app(db_path):
    return AppTest.from_file(APP, default_timeout=120)


def _open(app: AppTest, page: str) -> AppTest:
    app.run()
    app.switch_page(f"app_pages/{page}.py").run()
    assert not app.exception, app.exception
    return app


@pytest.mark.parametrize("page", PAGES)
def test_page_renders(app, page):
    _open(app, page)
    assert app.title[0].value


def test_tasks_status_filter_narrows_the_table_and_the_url_keeps_it(app):
    _open(app, "tasks")
    everything = len(app.dataframe[0].value)
    app.multiselect(key="tasks_status").select("overdue").run()
    overdue = app.dataframe[0].value
    assert 0 < len(overdue) < everything
    assert set(overdue["状态"].str[:2]) == {"逾期"}
    assert app.query_params["status"] in ("overdue", ["overdue"])


def test_tasks_county_filter_keeps_only_tasks_concerning_it(app):
    _open(app, "tasks")
    app.selectbox(key="state_city").select("晋城市").run()
    app.selectbox(key="state_county_晋城市").select("陵川县").run()
    table = app.dataframe[0].value
    assert len(table) > 20
    assert set(table["辖区"]) <= {"陵川县", "晋城市"}


def test_enterprise_industry_filter(app):
    _open(app, "enterprises")
    total = int(app.metric[0].value)
    app.multiselect(key="ent_industry").select("焦化").run()
    assert 0 < int(app.metric[0].value) < total


def test_air_page_switches_pollutant(app):
    _open(app, "air")
    app.radio(key="air_pollutant").set_value("O3").run()
    assert not app.exception
    table = app.dataframe[-1].value
    assert len(table) == 312


def test_zone_commitments_are_all_listed(app):
    _open(app, "zones")
    assert any("禁煤区承诺（15 条）" in h.value for h in app.subheader)


def test_progress_report_changes_the_status(app):
    from geodata.store import open_store

    store = open_store()
    import datetime as dt

    store.add_task_update(bundled_task_id("运政办发〔2023〕15号", 283), "done", reported_on=dt.date(2023, 6, 20))
    _open(app, "tasks")
    app.multiselect(key="tasks_status").select("done").run()
    assert len(app.dataframe[0].value) == 1


def test_section_details_show_targets_classes_and_the_sample_label(app):
    _open(app, "water")
    app.selectbox(key="water_section").select("晋城市:台北村").run()
    assert not app.exception, app.exception
    assert any(h.value == "台北村" for h in app.subheader)
    markdown = " ".join(m.value for m in app.markdown)
    assert "各年目标（含来源）" in markdown and "逐月水质类别" in markdown
    assert any("示例数据（非实测）" in c.value for c in app.caption)


def test_overview_figures_come_from_the_evaluations(app):
    _open(app, "overview")
    good = app.metric[0].value
    assert good.endswith("%")  # 断面优良比例 computed from the (sample) measurements
    assert any("示例数据（非实测）" in w.value for w in app.warning)


def test_an_import_recolours_the_map_without_a_restart(app, tmp_path):
    from geodata.quality.monitoring import import_monitoring
    from geodata.store import open_store

    _open(app, "water")
    before = app.dataframe[-1].value.set_index("断面").loc["汇源水库出口", "实测类别"]
    path = tmp_path / "m.csv"
    lines = ["断面名称,监测日期,氨氮,总磷"] + [f"汇源水库出口,2023-{m:02d},2.5,0.5" for m in range(1, 13)]
    path.write_text("\n".join(lines), encoding="utf-8")
    import_monitoring(path, open_store())
    app.run()
    after = app.dataframe[-1].value.set_index("断面").loc["汇源水库出口", "实测类别"]
    assert after == "劣Ⅴ" and after != before
