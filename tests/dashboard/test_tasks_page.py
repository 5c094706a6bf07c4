"""任务台账: every status apart with counts, filters in the URL, progress lands on the task the user opened."""

from __future__ import annotations

import datetime as dt

import pytest

from geodata.status import LATE
from tests.dashboard.helpers import cards, new_app, number, open_page, param, table, texts

STATUS_LABELS = ["逾期未报告", "逾期", "临期", "推进中", "未报告", "逾期完成", "按期完成", "长期坚持", "无明确时限"]


@pytest.fixture
def app(db_path):
    return new_app()


def _ledger(app):
    return table(app, "状态", "编号")


def _a_task(deadline_before: str = "2023-07-01"):
    from geodata.store import open_store

    tasks = open_store().read_table("tasks")
    tasks = tasks[(tasks["deadline"] != "") & (tasks["deadline"] < deadline_before) & (tasks["jurisdiction"] == "运城市")]
    return tasks.iloc[0]


def test_every_status_is_counted_apart_and_the_counts_add_up(app):
    open_page(app, "tasks")
    found = cards(app)
    assert list(found) == ["任务数", *STATUS_LABELS]
    ledger = _ledger(app)
    assert number(found["任务数"].value) == len(ledger)
    assert sum(number(found[s].value) for s in STATUS_LABELS) == len(ledger)
    # as of today nobody has reported on the 2023 plans: late means 逾期未报告, not 逾期
    assert number(found["逾期未报告"].value) > 0 and number(found["逾期"].value) == 0
    assert ledger["状态"].iloc[0].startswith("逾期未报告")  # what needs attention first
    assert {"状态", "辖区", "计划", "类别", "序号", "任务内容", "完成时限（原文）", "截止日期", "责任单位", "责任人", "来源", "原文", "编号"} <= set(ledger.columns)
    assert not ledger["来源"].str.contains(r"\.txt").any()


def test_status_filter_narrows_counts_and_lands_in_the_url(app):
    open_page(app, "tasks")
    everything = len(_ledger(app))
    app.multiselect(key="tasks_status").select("long_term").run()
    ledger = _ledger(app)
    assert 0 < len(ledger) < everything
    assert set(ledger["状态"]) == {"长期坚持"}
    assert number(cards(app)["长期坚持"].value) == len(ledger)
    assert param(app, "status") == "long_term"


def test_unit_and_text_filters(app):
    open_page(app, "tasks")
    everything = len(_ledger(app))
    app.multiselect(key="tasks_unit").select("市生态环境局").run()
    ledger = _ledger(app)
    assert 0 < len(ledger) < everything
    assert ledger["责任单位"].map(lambda cell: "市生态环境局" in cell.split("；")).all()
    assert param(app, "unit") == "市生态环境局"
    app.multiselect(key="tasks_unit").unselect("市生态环境局").run()
    app.text_input(key="tasks_q").input("禁煤区").run()
    assert 0 < len(_ledger(app)) < everything
    assert param(app, "q") == "禁煤区" and "unit" not in app.query_params


def test_filters_are_read_back_from_the_url(app):
    open_page(app, "tasks", status="overdue_unreported", q="散煤", domain="air")
    assert app.multiselect(key="tasks_status").value == ["overdue_unreported"]
    ledger = _ledger(app)
    assert len(ledger) > 0 and ledger["状态"].str.startswith("逾期未报告").all()
    assert ledger["任务内容"].str.contains("散煤").all()


def test_a_filter_leaving_nothing_says_so(app):
    open_page(app, "tasks")
    app.text_input(key="tasks_q").input("没有这样的任务内容").run()
    assert not app.exception
    assert number(cards(app)["任务数"].value) == 0
    assert "没有符合条件的任务。" in texts(app)


def test_reported_late_and_never_reported_are_told_apart(app):
    from geodata.store import open_store

    task = _a_task()
    open_store().add_task_update(task["id"], "in_progress", reported_on=dt.date(2023, 1, 5), reported_by="市生态环境局")
    open_page(app, "tasks", task=task["id"])
    ledger = _ledger(app).set_index("编号")
    assert ledger.loc[task["id"], "状态"].startswith("逾期（")  # reported, not done: 逾期
    assert number(cards(app)["逾期"].value) == 1


def test_progress_lands_on_the_opened_task_and_is_confirmed(app):
    from geodata.store import open_store

    task = _a_task()
    open_page(app, "tasks", task=task["id"])
    assert "尚无进展报告" in texts(app)
    app.radio(key="tasks_form_status").set_value("done")
    app.date_input(key="tasks_form_date").set_value(dt.date(2023, 6, 1))
    app.text_input(key="tasks_form_reporter").input("运城市生态环境局 张三")
    app.text_area(key="tasks_form_note").input("已完成验收")
    [save] = [b for b in app.button if b.label == "保存进展"]
    save.click().run()
    assert not app.exception, app.exception
    updates = open_store().task_updates(task["id"])
    assert updates[["status", "reported_by", "note"]].values.tolist() == [["done", "运城市生态环境局 张三", "已完成验收"]]
    assert param(app, "task") == task["id"]  # the same task stays open although the ledger re-sorted
    assert any(task["id"] in s.value and "已完成" in s.value for s in app.success)
    assert any(h.value == (task["title"] or task["category"]) for h in app.subheader)
    app.multiselect(key="tasks_status").select("done_on_time").run()
    assert task["id"] in _ledger(app)["编号"].tolist()


def test_progress_needs_a_reporter(app):
    from geodata.store import open_store

    task = _a_task()
    open_page(app, "tasks", task=task["id"])
    [save] = [b for b in app.button if b.label == "保存进展"]
    save.click().run()
    assert "请填写报告单位/人" in texts(app)
    assert open_store().task_updates(task["id"]).empty


def test_unknown_task_in_the_url_is_reported(app):
    open_page(app, "tasks", task="不存在/1")
    assert "没有编号为“不存在/1”的任务" in texts(app)


def test_a_county_can_include_the_city_tasks_naming_it(app):
    open_page(app, "tasks", city="运城市", county="河津市")
    own = len(_ledger(app))
    app.toggle(key="tasks_mentions").set_value(True).run()
    assert not app.exception
    with_mentions = _ledger(app)
    assert len(with_mentions) > own
    assert number(cards(app)["任务数"].value) == len(with_mentions)
    assert param(app, "mentions") == "1"


def test_late_owners_chart_counts_only_late_tasks(app):
    from geodata import views
    from geodata.areas import Area
    from geodata.store import open_store

    store = open_store()
    tasks = views.tasks_view(store.read_table("tasks"), store.task_updates(), as_of=dt.date(2023, 12, 31))
    owners, _ = views.late_owners(tasks, Area())
    late = tasks[tasks["status"].isin(LATE)]
    assert owners["late"].max() <= len(late)
    units = set(owners["unit"])
    assert "市生态环境局（运城市）" in units and "市生态环境局（晋城市）" in units  # two units, not one
    assert "市生态环境局陵川分局" in units and "各乡镇政府（陵川县）" in units
