"""Sign-in and roles on the pages: what each visitor may do, the store's state on the banner, sign-in
required when configured, expiry, imports for administrators only, uploads never used as paths,
evidence limits in the form, user text shown as text."""

from __future__ import annotations

import datetime as dt
import glob
import tempfile
from pathlib import Path

import pytest

from tests.accounts import account
from tests.dashboard.helpers import new_app, open_page, sign_in, table, texts

MONITORING = "断面名称,监测日期,pH,溶解氧,高锰酸盐指数,氨氮,总磷\n汇源水库出口,2023-05,7.6,7.1,3.2,0.31,0.04\n"
XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture
def store(db_path, monkeypatch):
    from geodata.store import open_store

    monkeypatch.setenv("ENVMAP_SAMPLES", "0")
    s = open_store()
    for name, role, units in (("管理员", "admin", ()), ("督办员", "supervisor", ()), ("查看员", "viewer", ()),
                              ("填报员", "reporter", ("运城市生态环境局",))):
        account(s, name, role, units)
    return s


def _a_task(store, unit: str = "市生态环境局"):  # noqa: ANN001, ANN202
    tasks = store.read_table("tasks")
    tasks = tasks[(tasks["jurisdiction"] == "运城市") & (tasks["deadline"] != "")
                  & tasks["responsible_units"].str.split("；").map(lambda us: unit in us)]
    return tasks.iloc[0]


def _uploader(app, key: str):  # noqa: ANN001, ANN202
    [found] = [u for u in app.get("file_uploader") if u.key == key]
    return found


# -- monitoring import: administrators only; the upload's name is never a path ------------------------


def test_anyone_previews_an_upload_but_only_an_administrator_imports_it(store):
    app = open_page(new_app(), "monitoring")
    _uploader(app, "mon_file").set_value(("5月.csv", MONITORING.encode("utf-8"), "text/csv")).run()
    assert "可以导入" in texts(app) or "检查通过" in texts(app) or app.success
    assert not [b for b in app.button if b.key == "mon_do_import"]
    assert "登录后可登记（需要“管理员”" in texts(app)
    sign_in(app, "督办员")
    assert not [b for b in app.button if b.key == "mon_do_import"] and "需要“管理员”角色" in texts(app)
    [out] = [b for b in app.button if b.label == "退出登录"]
    out.click().run()
    sign_in(app, "管理员")
    [button] = [b for b in app.button if b.key == "mon_do_import"]
    button.click().run()
    assert not app.exception
    held = store.read_measurements(is_sample="0")
    assert set(held["source_file"]) == {"5月.csv"}
    log = store.audit_log()
    assert (log["actor"].iloc[0], log["action"].iloc[0]) == ("管理员", "write_measurements")


def test_an_upload_named_like_a_path_writes_nothing_outside_and_leaves_nothing_behind(store, tmp_path):
    target = tmp_path / "escaped.csv"
    name = "../" * 12 + str(target).lstrip("/")
    before = set(glob.glob(str(Path(tempfile.gettempdir()) / "envmap-*")))
    app = open_page(new_app(), "monitoring")
    sign_in(app, "管理员")
    _uploader(app, "mon_file").set_value((name, MONITORING.encode("utf-8"), "text/csv")).run()
    [button] = [b for b in app.button if b.key == "mon_do_import"]
    button.click().run()
    assert not app.exception
    assert not target.exists()
    assert set(store.read_measurements(is_sample="0")["source_file"]) == {"escaped.csv"}  # the name is a label
    assert set(glob.glob(str(Path(tempfile.gettempdir()) / "envmap-*"))) <= before


def test_sample_removal_needs_an_administrator(db_path, monkeypatch):
    from geodata.store import open_store

    s = open_store()  # with samples
    account(s, "管理员", "admin")
    account(s, "督办员", "supervisor")
    app = open_page(new_app(), "monitoring")
    assert not [b for b in app.button if b.key == "mon_remove_samples"]
    sign_in(app, "督办员")
    assert not [b for b in app.button if b.key == "mon_remove_samples"]
    [b for b in app.button if b.label == "退出登录"][0].click().run()
    sign_in(app, "管理员")
    [b for b in app.button if b.key == "mon_remove_samples"][0].click().run()
    assert not app.exception
    assert s.read_measurements(is_sample="1").empty and s.task_events().empty


# -- the sign-in ---------------------------------------------------------------------------------------


def test_a_wrong_password_is_refused_and_logged(store):
    app = open_page(new_app(), "tasks")
    sign_in(app, "督办员", "not-the-password1")
    assert "账户名或口令不正确" in [e.value for e in app.sidebar.error][0]
    assert store.sign_ins("督办员")["outcome"].tolist() == ["wrong_password"]
    assert not [m for m in app.sidebar.markdown if "已登录" in m.value]


def test_require_login_hides_everything_until_sign_in(store, monkeypatch):
    monkeypatch.setenv("ENVMAP_REQUIRE_LOGIN", "1")
    task = _a_task(store)
    app = new_app()
    app.query_params["task"] = task["id"]
    app.run()
    assert not app.exception
    assert "本系统需要登录后使用" in texts(app)
    assert not app.dataframe and task["content"][:20] not in texts(app)
    assert not [e for e in app.selectbox]  # not even the filters
    sign_in(app, "查看员")
    app.switch_page("app_pages/tasks.py").run()
    assert not app.exception
    assert len(table(app, "状态", "编号")) > 0


def test_an_idle_session_expires(store, monkeypatch):
    monkeypatch.setenv("ENVMAP_SESSION_MINUTES", "5")
    app = open_page(new_app(), "tasks")
    sign_in(app, "督办员")
    assert any("已登录" in m.value for m in app.sidebar.markdown)
    app.session_state["envmap_user_seen"] = app.session_state["envmap_user_seen"] - 6 * 60
    app.run()
    assert "超过 5 分钟没有操作，已自动退出登录" in texts(app) + "\n".join(w.value for w in app.sidebar.warning)
    assert not any("已登录" in m.value for m in app.sidebar.markdown)


def test_a_disabled_account_is_signed_out_at_its_next_click(store):
    from geodata import accounts

    app = open_page(new_app(), "tasks")
    sign_in(app, "督办员")
    accounts.set_disabled(store, "督办员", True, by="test")
    app.run()
    assert "已停用或被删除，已退出登录" in "\n".join(w.value for w in app.sidebar.warning)


# -- the store's state -----------------------------------------------------------------------------------


def test_a_read_only_store_shows_a_banner_and_refuses_writes_with_a_message(store, monkeypatch):
    task = _a_task(store)
    monkeypatch.setenv("ENVMAP_READ_ONLY", "1")
    app = open_page(new_app(), "tasks", task=task["id"])
    assert "数据库当前只能查看、不能写入" in texts(app)
    sign_in(app, "督办员")
    app.radio(key="tasks_action").set_value("progress").run()
    app.text_area(key="tasks_form_note").input("只读时登记")
    [b for b in app.button if b.label == "保存进展"][0].click().run()
    assert not app.exception
    assert any("只读" in e.value for e in app.error)
    assert store.task_events(task["id"]).empty


def test_a_store_that_is_gone_says_so_instead_of_failing(db_path, store, monkeypatch, tmp_path):
    monkeypatch.setenv("ENVMAP_DB", str(tmp_path / "nowhere" / "missing.gpkg"))
    monkeypatch.setenv("ENVMAP_READ_ONLY", "1")
    app = new_app()
    app.run()
    assert not app.exception
    assert "无法打开数据库" in texts(app)


# -- evidence and user text -------------------------------------------------------------------------------


def test_evidence_is_checked_in_the_form_and_offered_for_download(store):
    task = _a_task(store)
    app = open_page(new_app(), "tasks", task=task["id"])
    sign_in(app, "填报员")
    app.radio(key="tasks_action").set_value("apply_close").run()
    app.text_area(key="tasks_form_note").input("已完成")
    _uploader(app, "tasks_form_files").set_value(("恶意.pdf", b"MZ\x90\x00 this is an exe", "application/pdf"))
    [b for b in app.button if b.label == "提交销号申请"][0].click().run()
    assert any("不是允许的类型" in e.value for e in app.error)
    assert store.task_events(task["id"]).empty
    _uploader(app, "tasks_form_files").set_value(("验收报告.pdf", b"%PDF-1.7 report", "application/pdf"))
    [b for b in app.button if b.label == "提交销号申请"][0].click().run()
    assert not app.exception
    [event] = store.task_events(task["id"]).itertuples()
    assert event.kind == "apply_close"
    assert [d.label for d in app.get("download_button") if "验收报告" in str(d.label)]


def test_a_note_with_markup_is_shown_as_text(store):
    task = _a_task(store)
    store.record_event(task["id"], "supervise", by="督办员", event_date=dt.date(2023, 5, 1), note=XSS)
    store.record_event(task["id"], "progress", by="督办员", event_date=dt.date(2023, 5, 2), note=XSS + "**粗体**")
    app = open_page(new_app(), "tasks", task=task["id"])
    history = table(app, "日期", "事项", "说明")
    assert XSS in history["说明"].tolist()  # a table cell is text
    raw = "\n".join(m.value for m in app.markdown)
    assert "<img" not in raw  # no markup of ours carries it unescaped
    assert any("onerror" in w.value and "\\<img" in w.value for w in app.warning)  # 督办 note: Markdown signs escaped


def test_a_locked_store_says_a_write_is_running_and_a_refused_save_keeps_the_text(store, monkeypatch):
    import sqlite3

    task = _a_task(store)
    monkeypatch.setenv("ENVMAP_BUSY_TIMEOUT", "0.5")
    app = open_page(new_app(), "tasks", task=task["id"])
    sign_in(app, "督办员")
    app.radio(key="tasks_action").set_value("progress").run()
    held = sqlite3.connect(store.path, isolation_level=None)
    held.execute("BEGIN IMMEDIATE")  # another program (a long import) holds the write lock
    try:
        app.text_area(key="tasks_form_note").input("锁定时登记")
        [b for b in app.button if b.label == "保存进展"][0].click().run()
        assert not app.exception
        assert any("数据库正忙" in e.value for e in app.error)
        assert app.text_area(key="tasks_form_note").value == "锁定时登记"
    finally:
        held.execute("ROLLBACK")
        held.close()
    assert store.task_events(task["id"]).empty  # nothing half-written
    [b for b in app.button if b.label == "保存进展"][0].click().run()
    assert list(store.task_events(task["id"])["note"]) == ["锁定时登记"]


def test_bulk_progress_on_the_page_previews_refuses_and_records(store):
    task = _a_task(store)
    app = open_page(new_app(), "tasks")
    assert "登录后可登记" in texts(app)
    sign_in(app, "填报员")
    bad = f"任务编号,状态,日期,说明\n{task['id']},推进中,2023-05-01,已开工\n不存在/9,推进中,2023-05-01,x\n"
    _uploader(app, "tasks_bulk_file").set_value(("周报.csv", bad.encode("gb18030"), "text/csv")).run()
    assert any("整个文件不登记" in e.value for e in app.error)
    problems = table(app, "行号", "问题") if any("行号" in d.value.columns for d in app.dataframe) else None
    assert problems is None or "不存在/9" in "".join(problems["问题"])
    assert not [b for b in app.button if b.key == "tasks_bulk_import"]
    good = f"任务编号,状态,日期,说明\n{task['id']},推进中,2023-05-01,已开工\n"
    _uploader(app, "tasks_bulk_file").set_value(("周报.csv", good.encode("utf-8"), "text/csv")).run()
    [b for b in app.button if b.key == "tasks_bulk_import"][0].click().run()
    assert not app.exception
    [event] = store.task_events(task["id"]).itertuples()
    assert (event.actor, event.kind, event.source) == ("填报员", "progress", "file:周报.csv")
