"""Supervision in a real browser: two people on one task at once, markup in notes and plan text shown and
never run (task details, map tooltips), formula-like notes inert in the downloaded files."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import sqlite3

import openpyxl
import pytest

from tests.accounts import PASSWORD, account
from tests.browser.harness import Visit, start_server, stop_server

XSS = '<img src=x onerror="window.__envmapXss=1;alert(1)">'
FORMULA = '=HYPERLINK("http://evil.example/","点我")'


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    """A server on a store with two supervisors, a task with markup and a formula in its history, and an
    enterprise whose required action carries markup (as a plan could)."""
    from geodata.store import open_store

    path = tmp_path_factory.mktemp("supervision") / "envmap.gpkg"
    old = os.environ.get("ENVMAP_SAMPLES")
    os.environ["ENVMAP_SAMPLES"] = "0"
    try:
        store = open_store(path)
    finally:
        if old is None:
            os.environ.pop("ENVMAP_SAMPLES")
        else:
            os.environ["ENVMAP_SAMPLES"] = old
    account(store, "督办甲", "supervisor")
    account(store, "督办乙", "supervisor")
    tasks = store.read_table("tasks")
    dated = tasks[(tasks["deadline"] != "") & (tasks["jurisdiction"] == "运城市")]
    conflict, marked = str(dated["id"].iloc[0]), str(dated["id"].iloc[1])
    store.record_event(marked, "supervise", by="督办甲", event_date=dt.date(2023, 5, 1), note=XSS)
    store.record_event(marked, "progress", by="督办甲", event_date=dt.date(2023, 5, 2), note=FORMULA)
    enterprise = str(store.read_table("enterprises")["id"].iloc[0])
    store.close()
    from geodata.store import gpkg_spec

    conn = sqlite3.connect(path)
    gpkg_spec.register_functions(conn)  # the spec's R-tree triggers call ST_IsEmpty …
    conn.execute("UPDATE enterprises SET required_action = ? WHERE id = ?", (XSS + "停产整治", enterprise))
    conn.commit()
    conn.close()
    proc, url = start_server(path, env={"ENVMAP_SAMPLES": "0"})
    yield {"url": url, "conflict": conflict, "marked": marked, "db": str(path)}
    stop_server(proc)


def _sign_in(visit: Visit, name: str) -> None:
    visit.page.get_by_label("账户名").fill(name)
    visit.page.get_by_label("口令").fill(PASSWORD)
    visit.page.get_by_role("button", name="登录").click()
    visit.page.get_by_text(f"已登录：{name}").wait_for(timeout=60_000)


def _open_task(visit: Visit, task: str, who: str) -> None:
    visit.page.goto(f"{visit.base_url}/tasks?task={task}")
    visit.page.wait_for_selector("h1", timeout=90_000)
    _sign_in(visit, who)
    visit.page.get_by_text("报告进展", exact=True).click()
    visit.page.get_by_label("进展情况").wait_for(timeout=30_000)


def test_two_sessions_on_one_task_the_second_is_told_and_keeps_its_text(browser, prepared):
    a, b = Visit(browser, prepared["url"]), Visit(browser, prepared["url"])
    try:
        _open_task(a, prepared["conflict"], "督办甲")
        _open_task(b, prepared["conflict"], "督办乙")  # both have the task open, with no events yet
        a.page.get_by_label("进展情况").fill("甲：已完成方案编制")
        a.page.get_by_role("button", name="保存进展").click()
        a.page.get_by_text("已登记任务").wait_for(timeout=60_000)
        b.page.get_by_label("进展情况").fill("乙：现场检查已完成")
        b.page.get_by_role("button", name="保存进展").click()
        b.page.get_by_text("在您打开之后已有 1 条新记录").wait_for(timeout=60_000)
        assert b.page.get_by_label("进展情况").input_value() == "乙：现场检查已完成"  # nothing lost
        b.screenshot("supervision_conflict")
        b.page.get_by_role("button", name="保存进展").click()  # having seen the newer event
        b.page.get_by_text("已登记任务").wait_for(timeout=60_000)
        from geodata.store import connect

        store = connect(prepared["db"], read_only=True)
        assert list(store.task_events(prepared["conflict"])["note"]) == ["甲：已完成方案编制", "乙：现场检查已完成"]
        assert list(store.task_events(prepared["conflict"])["actor"]) == ["督办甲", "督办乙"]
        store.close()
        assert a.errors() == [] and b.errors() == []
    finally:
        a.close()
        b.close()


def test_markup_in_a_note_is_shown_not_run_and_formulas_stay_text_in_downloads(browser, prepared, tmp_path):
    visit = Visit(browser, prepared["url"], accept_downloads=True)
    dialogs: list[str] = []
    visit.page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        visit.page.goto(f"{visit.base_url}/tasks?task={prepared['marked']}")
        warning = visit.page.locator("[data-testid='stAlert']", has_text="督办：")
        warning.wait_for(timeout=90_000)
        assert "<img src=x onerror=" in warning.inner_text()  # the note, as typed
        visit.page.wait_for_timeout(1500)
        assert visit.page.evaluate("window.__envmapXss") is None and dialogs == []
        assert visit.page.locator("img[src='x']").count() == 0
        with visit.page.expect_download() as xlsx:
            visit.page.locator(".st-key-dl_xlsx_task_history button").click()
        saved = tmp_path / xlsx.value.suggested_filename
        xlsx.value.save_as(saved)
        assert saved.suffix == ".xlsx"
        sheet = openpyxl.load_workbook(saved).active
        notes = [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)]
        assert "'" + FORMULA in notes and "'" + FORMULA[:1] != FORMULA[:1]
        assert all(c.data_type == "s" for row in sheet.iter_rows(min_row=2) for c in row[2:3])
        with visit.page.expect_download() as text:
            visit.page.locator(".st-key-dl_csv_task_history button").click()
        rows = list(csv.reader(io.StringIO(open(text.value.path(), encoding="utf-8-sig").read())))
        assert any(cell == "'" + FORMULA for row in rows for cell in row)
        visit.screenshot("supervision_markup_as_text")
    finally:
        visit.close()


def test_markup_in_a_plans_text_stays_text_in_a_map_tooltip(browser, prepared):
    visit = Visit(browser, prepared["url"])
    dialogs: list[str] = []
    visit.page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        visit.open("重点企业")
        frame = visit.map_frame()
        # every tooltip's content put into the page the way Leaflet shows it (innerHTML), clustered ones too
        shown = frame.evaluate("""() => {
            const maps = Object.values(window).filter(v => v && v instanceof L.Map);
            const texts = [];
            const walk = (l) => {
                if (l.getLayers) { l.getLayers().forEach(walk); return; }
                const tip = l.getTooltip && l.getTooltip();
                if (!tip) return;
                const box = document.createElement('div');
                document.body.appendChild(box);
                box.innerHTML = tip.getContent();
                texts.push(box.innerText);
            };
            maps.forEach(m => m.eachLayer(walk));
            return texts.filter(t => t.includes('onerror'));
        }""")
        visit.page.wait_for_timeout(1000)
        assert shown and "<img src=x onerror=" in shown[0]  # the text, not an element
        assert frame.evaluate("window.__envmapXss") is None and dialogs == []
        assert frame.locator("img[src='x']").count() == 0
    finally:
        visit.close()
