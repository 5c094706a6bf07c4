"""任务台账: every status apart with counts, filters in the URL, each step lands on the task the user opened,
recorded as the signed-in account; what each role sees and may do; the two-writer conflict; the 通报."""

from __future__ import annotations

import datetime as dt

import pytest

from geodata.status import LATE
from tests.accounts import account
from tests.dashboard.helpers import cards, new_app, number, open_page, param, sign_in, table, texts

STATUS_LABELS = ["逾期未报告", "逾期", "临期", "推进中", "未报告", "逾期完成", "按期完成", "长期坚持", "无明确时限"]
WORKFLOW_CARDS = ["督办中", "办理·未交办", "办理·已交办", "办理·推进中", "办理·申请销号", "办理·退回", "办理·已销号"]


@pytest.fixture
def app(db_path, monkeypatch):
    monkeypatch.setenv("ENVMAP_SAMPLES", "0")  # no demo history: the ledger starts as a bureau's does
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
    assert list(found) == ["任务数", *STATUS_LABELS, *WORKFLOW_CARDS]
    assert number(found["办理·未交办"].value) == len(_ledger(app))  # nothing recorded yet
    ledger = _ledger(app)
    assert number(found["任务数"].value) == len(ledger)
    assert sum(number(found[s].value) for s in STATUS_LABELS) == len(ledger)
    # as of today nobody has reported on the 2023 plans: late means 逾期未报告, not 逾期
    assert number(found["逾期未报告"].value) > 0 and number(found["逾期"].value) == 0
    assert ledger["状态"].iloc[0].startswith("逾期未报告")  # what needs attention first
    assert {"状态", "办理状态", "辖区", "计划", "类别", "序号", "任务内容", "完成时限（原文）", "截止日期", "责任单位", "责任人", "来源",
            "原文", "编号"} <= set(ledger.columns)
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
    store = open_store()
    store.record_event(task["id"], "progress", by=account(store), event_date=dt.date(2023, 1, 5), note="已开工")
    open_page(app, "tasks", task=task["id"])
    ledger = _ledger(app).set_index("编号")
    assert ledger.loc[task["id"], "状态"].startswith("逾期（")  # reported, not done: 逾期
    assert ledger.loc[task["id"], "办理状态"] == "推进中"
    assert number(cards(app)["逾期"].value) == 1


def _form(app, kind: str | None = None, **fields):  # noqa: ANN001, ANN003, ANN202
    if kind is not None:
        app.radio(key="tasks_action").set_value(kind).run()
    for key, value in fields.items():
        widget = {"date": app.date_input, "note": app.text_area, "doc": app.text_input}[key](key=f"tasks_form_{key}")
        widget.set_value(value) if key == "date" else widget.input(value)
    return app


def _submit(app, label: str):  # noqa: ANN001, ANN202
    [button] = [b for b in app.button if b.label == label]
    button.click().run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def test_signed_out_visitors_see_the_ledger_and_a_hint_but_no_form(app):
    task = _a_task()
    open_page(app, "tasks", task=task["id"])
    assert "登录后可登记" in texts(app)
    assert not [b for b in app.button if b.label in ("保存进展", "交办", "提交销号申请")]
    assert len(_ledger(app)) > 0  # viewing needs no account


def test_a_reporter_reports_progress_and_applies_with_evidence_for_its_own_task(app):
    from geodata.store import open_store

    task = _a_task()
    store = open_store()
    unit = task["responsible_units"].split("；")[0]
    from geodata.areas import unit_key, unit_name

    account(store, "本单位填报", "reporter", (unit_name(unit_key(unit, task["jurisdiction"])),))
    open_page(app, "tasks", task=task["id"])
    sign_in(app, "本单位填报")
    assert app.radio(key="tasks_action").options == ["报告进展", "申请销号"]  # a reporter cannot assign or close
    _form(app, "progress", date=dt.date(2023, 5, 1), note="已完成招标")
    _submit(app, "保存进展")
    assert any(task["id"] in s.value and "进展报告" in s.value for s in app.success)
    assert param(app, "task") == task["id"]  # the same task stays open although the ledger re-sorted
    assert any(h.value == (task["title"] or task["category"]) for h in app.subheader)
    _form(app, "apply_close", date=dt.date(2023, 6, 1), note="已完成验收", doc="运环函〔2023〕5号")
    _submit(app, "提交销号申请")
    events = store.task_events(task["id"])
    assert events[["kind", "actor", "actor_role", "note"]].values.tolist() == [
        ["progress", "本单位填报", "reporter", "已完成招标"], ["apply_close", "本单位填报", "reporter", "已完成验收"]]
    history = table(app, "日期", "事项", "记录人")
    assert list(history["事项"]) == ["申请销号", "进展报告"] and set(history["记录人"]) == {"本单位填报（填报）"}
    assert "等待督办人员核验" in texts(app)
    assert _ledger(app).set_index("编号").loc[task["id"], "办理状态"] == "申请销号"


def test_a_supervisor_assigns_chases_and_verifies_and_the_counts_follow(app):
    from geodata.store import open_store

    task = _a_task()
    store = open_store()
    account(store, "督办员", "supervisor")
    account(store, "另一督办", "supervisor")
    store.record_event(task["id"], "apply_close", by="另一督办", event_date=dt.date(2023, 5, 20), note="完成", doc_number="x〔2023〕1号")
    open_page(app, "tasks", task=task["id"])
    sign_in(app, "督办员")
    assert app.radio(key="tasks_action").options == ["交办", "督办", "核验销号", "退回"]
    _form(app, "reject", date=dt.date(2023, 5, 25))
    _submit(app, "退回")
    assert "退回需要写明理由" in texts(app)  # refused with the reason, nothing written
    assert len(store.task_events(task["id"])) == 1
    _form(app, "reject", note="缺验收报告")  # what was typed stays in the form
    _submit(app, "退回")
    assert _ledger(app).set_index("编号").loc[task["id"], "办理状态"] == "退回"
    _form(app, "supervise", note="请一周内补充")
    _submit(app, "督办")
    assert number(cards(app)["督办中"].value) == 1
    assert "督办：请一周内补充" in texts(app)
    app.toggle(key="tasks_supervised").set_value(True).run()
    assert list(_ledger(app)["编号"]) == [task["id"]] and param(app, "sv") == "1"
    app.toggle(key="tasks_supervised").set_value(False).run()
    store.record_event(task["id"], "apply_close", by="另一督办", event_date=dt.date(2023, 6, 10), note="已补充", doc_number="x")
    open_page(app, "tasks", task=task["id"])
    _form(app, "close", date=dt.date(2023, 6, 12))
    _submit(app, "核验通过，销号")
    ledger = _ledger(app).set_index("编号")
    assert ledger.loc[task["id"], "办理状态"] == "已销号"
    assert ledger.loc[task["id"], "状态"].startswith(("按期完成", "逾期完成"))
    assert number(cards(app)["督办中"].value) == 0  # closed: no longer chased
    assert "已销号的任务不再登记" in texts(app)


def test_the_second_writer_is_shown_the_newer_event_and_keeps_the_text(app):
    from geodata.store import open_store

    task = _a_task()
    store = open_store()
    account(store, "督办员", "supervisor")
    account(store, "同事", "supervisor")
    open_page(app, "tasks", task=task["id"])
    sign_in(app, "督办员")
    _form(app, "progress", date=dt.date(2023, 5, 1), note="我的进展说明")
    store.record_event(task["id"], "progress", by="同事", event_date=dt.date(2023, 5, 1), note="同事先写的")  # meanwhile
    _submit(app, "保存进展")
    assert "在您打开之后已有 1 条新记录" in texts(app)
    assert "同事先写的" in table(app, "日期", "事项", "说明")["说明"].tolist()
    assert app.text_area(key="tasks_form_note").value == "我的进展说明"  # nothing lost
    assert list(store.task_events(task["id"])["note"]) == ["同事先写的"]
    _submit(app, "保存进展")  # having seen it, the second save goes through
    assert list(store.task_events(task["id"])["note"]) == ["同事先写的", "我的进展说明"]


def test_a_viewer_account_sees_no_form_and_the_store_refuses_it_too(app):
    from geodata.errors import NotAllowed
    from geodata.store import open_store

    task = _a_task()
    store = open_store()
    account(store, "查看员", "viewer")
    open_page(app, "tasks", task=task["id"])
    sign_in(app, "查看员")
    assert "查看员（查看）不能做这一步" in texts(app)
    with pytest.raises(NotAllowed):
        store.record_event(task["id"], "progress", by="查看员", event_date=dt.date(2023, 5, 1), note="绕过页面")


def test_the_bulletin_ranks_units_and_downloads(app):
    open_page(app, "tasks", view="bulletin")
    bulletin = table(app, "排名", "责任单位", "逾期")
    assert list(bulletin["排名"]) == list(range(1, len(bulletin) + 1))
    assert list(bulletin["逾期"]) == sorted(bulletin["逾期"], reverse=True)
    assert any(b.label == "下载 Excel" or "Excel" in b.label for b in app.get("download_button"))


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
    tasks = views.tasks_view(store.read_table("tasks"), store.task_events(), as_of=dt.date(2023, 12, 31))
    owners, _ = views.late_owners(tasks, Area())
    late = tasks[tasks["status"].isin(LATE)]
    assert owners["late"].max() <= len(late)
    units = set(owners["unit"])
    assert "市生态环境局（运城市）" in units and "市生态环境局（晋城市）" in units  # two units, not one
    assert "市生态环境局陵川分局" in units and "各乡镇政府（陵川县）" in units
