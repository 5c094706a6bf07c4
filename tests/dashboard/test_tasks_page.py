"""任务台账: filters narrow the ledger and live in the URL; a task opens from the URL; progress is appended."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import REPO, bundled_task_id

APP = str(REPO / "dashboard" / "app.py")
TASK = bundled_task_id("运政办发〔2023〕15号", 283)  # 措施任务表 row 16: 扩大“禁煤区”


def _param(app: AppTest, name: str):
    value = app.query_params.get(name)
    return value[0] if isinstance(value, list) else value


@pytest.fixture
def app(db_path):
    return AppTest.from_file(APP, default_timeout=120)


def _open(app: AppTest, **params: str) -> AppTest:
    app.run()
    for name, value in params.items():
        app.query_params[name] = value
    app.switch_page("app_pages/tasks.py").run()
    assert not app.exception, app.exception
    return app


def _table(app: AppTest):
    return app.dataframe[0].value


def test_headline_counts_and_ledger_columns(app):
    _open(app)
    assert app.title[0].value == "任务台账"
    assert [m.label for m in app.metric] == ["任务数", "逾期", "未报告", "已完成", "长期坚持"]
    table = _table(app)
    assert int(app.metric[0].value) == len(table) > 400
    assert {"状态", "辖区", "计划", "类别", "序号", "任务内容", "完成时限（原文）", "截止日期", "责任单位", "责任人", "来源", "编号"} <= set(table.columns)
    assert int(app.metric[1].value) == table["状态"].str.startswith("逾期").sum() > 0
    assert table["状态"].iloc[0].startswith("逾期")  # late tasks first
    assert table["来源"].str.contains(r"\.txt 第 \d+ 行").all()
    assert any(s.value == "逾期任务的责任单位" for s in app.subheader)


def test_status_filter_narrows_counts_and_lands_in_the_url(app):
    _open(app)
    everything = len(_table(app))
    app.multiselect(key="tasks_status").select("long_term").run()
    table = _table(app)
    assert 0 < len(table) < everything
    assert set(table["状态"]) == {"长期坚持"}
    assert int(app.metric[0].value) == int(app.metric[4].value) == len(table)
    assert int(app.metric[1].value) == 0
    assert _param(app, "status") == "long_term"


def test_unit_and_text_filters(app):
    _open(app)
    everything = len(_table(app))
    app.multiselect(key="tasks_unit").select("市生态环境局").run()
    table = _table(app)
    assert 0 < len(table) < everything
    assert table["责任单位"].map(lambda cell: "市生态环境局" in cell.split("；")).all()
    assert _param(app, "unit") == "市生态环境局"
    app.multiselect(key="tasks_unit").unselect("市生态环境局").run()
    app.text_input(key="tasks_q").input("禁煤区").run()
    table = _table(app)
    assert 0 < len(table) < everything
    assert _param(app, "q") == "禁煤区"
    assert "unit" not in app.query_params


def test_filters_are_read_back_from_the_url(app):
    _open(app, status="overdue", q="散煤", domain="air")
    assert app.multiselect(key="tasks_status").value == ["overdue"]
    assert app.text_input(key="tasks_q").value == "散煤"
    table = _table(app)
    assert len(table) > 0
    assert table["状态"].str.startswith("逾期").all()
    assert table["任务内容"].str.contains("散煤").all()


def test_a_filter_leaving_nothing_says_so(app):
    _open(app)
    app.text_input(key="tasks_q").input("没有这样的任务内容").run()
    assert not app.exception, app.exception
    assert int(app.metric[0].value) == 0
    assert any(i.value == "没有符合条件的任务。" for i in app.info)


def test_open_task_from_the_url_and_report_progress(app):
    from geodata.store import open_store

    _open(app, task=TASK)
    assert any("尚无进展报告" in c.value for c in app.caption)
    app.radio(key="tasks_form_status").set_value("done")
    app.text_input(key="tasks_form_reporter").input("运城市生态环境局 张三")
    app.text_area(key="tasks_form_note").input("已完成验收")
    [save] = [b for b in app.button if b.label == "保存进展"]
    save.click().run()
    assert not app.exception, app.exception
    updates = open_store().task_updates(TASK)
    assert updates[["status", "reported_by", "note"]].values.tolist() == [["done", "运城市生态环境局 张三", "已完成验收"]]
    assert any(s.value == "已保存，地图与统计已按新进展更新。" for s in app.success)
    app.multiselect(key="tasks_status").select("done").run()
    assert _table(app)["编号"].tolist() == [TASK]
    history = [d.value for d in app.dataframe[1:]]
    assert any("报告日期" in h.columns and (h["状态"] == "已完成").any() for h in history)


def test_progress_needs_a_reporter(app):
    from geodata.store import open_store

    _open(app, task=TASK)
    [save] = [b for b in app.button if b.label == "保存进展"]
    save.click().run()
    assert any("请填写报告单位/人" in e.value for e in app.error)
    assert open_store().task_updates(TASK).empty


def test_unknown_task_in_the_url_is_reported(app):
    _open(app, task="不存在/1")
    assert any("没有编号为“不存在/1”的任务" in w.value for w in app.warning)
