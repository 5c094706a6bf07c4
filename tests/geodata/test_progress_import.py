"""Bulk progress from a spreadsheet: every problem row listed, the file lands whole or not at all;
exports keep formula-like notes as text; the demo history is labelled and removed with the samples."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest
from click.testing import CliRunner

from geodata.cli import main
from geodata.errors import ImportRejected, TaskChanged
from geodata.plans.dataset import data_dir, read_dataset
from geodata.progress_import import import_progress, parse_date, preview_progress
from geodata.store import GeoPackageStore, open_store
from tests.accounts import account

LINGCHUAN = "陵政办发〔2023〕13号"
TODAY = dt.date(2024, 1, 15)


@pytest.fixture
def store(tmp_path):
    s = GeoPackageStore(tmp_path / "s.gpkg")
    (doc,) = [e for e in read_dataset(data_dir() / "plans") if e.document["id"] == LINGCHUAN]
    s.replace_document(doc)
    account(s, "分局填报", "reporter", ("陵川县生态环境局陵川分局",))
    account(s, "督办员", "supervisor")
    yield s
    s.close()


def _ids(store, unit: str = "市生态环境局陵川分局", n: int = 3) -> list[str]:  # noqa: ANN001
    tasks = store.read_table("tasks")
    mine = tasks[tasks["responsible_units"].str.split("；").map(lambda us: unit in us)
                 & ~tasks["long_term"].astype(str).isin(["1", "True"])]
    return list(mine["id"].head(n))


def _csv(rows: list[list[str]], header=("任务编号", "状态", "日期", "说明", "文号"), encoding="utf-8") -> bytes:  # noqa: ANN001
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue().encode(encoding)


def _xlsx(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["编号", "进展状态", "报告日期", "进展情况", "佐证文号"])
    for row in rows:
        sheet.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def test_a_good_sheet_lands_whole_with_the_user_recorded(store):
    a, b, c = _ids(store)
    content = _csv([[a, "推进中", "2023-05-10", "已开工", ""], [a, "已完成", "2023/6/30", "已验收", "陵环函〔2023〕7号"],
                    [b, "定期报告", "2023年7月1日", "本月进展", ""], [c, "进展", "2023.8.1", "推进中", ""]], encoding="gb18030")
    preview = preview_progress(content, "7月周报.csv", store, by="分局填报", today=TODAY)
    assert preview.problems == [] and preview.lines == [2, 3, 4, 5]
    written = import_progress(content, "7月周报.csv", store, by="分局填报", today=TODAY)
    events = store.task_events()
    assert list(events["fid"]) == written and set(events["actor"]) == {"分局填报"}
    assert list(events["kind"]) == ["progress", "apply_close", "progress", "progress"]  # "已完成" is an application
    assert set(events["source"]) == {"file:7月周报.csv"}


def test_an_excel_sheet_with_other_headers_and_real_dates(store):
    a, b, _ = _ids(store)
    content = _xlsx([[a, "推进中", dt.datetime(2023, 5, 10), "已开工", None], [b, "申请销号", dt.date(2023, 6, 1), "完成", "x〔2023〕1号"]])
    assert len(import_progress(content, "进展.xlsx", store, by="分局填报", today=TODAY)) == 2


def test_every_problem_row_is_listed_and_nothing_is_written(store):
    a, b, _ = _ids(store)
    tasks = store.read_table("tasks")
    other = tasks[~tasks["responsible_units"].str.contains("陵川分局")]["id"].iloc[0]
    content = _csv([
        [a, "推进中", "2023-05-10", "好的一行", ""],
        ["不存在/1", "推进中", "2023-05-10", "x", ""],
        [b, "差不多完成了", "2023-05-10", "x", ""],
        [b, "推进中", "昨天", "x", ""],
        [b, "申请销号", "2023-05-10", "没有文号", ""],
        [other, "推进中", "2023-05-10", "别人的任务", ""],
        [a, "推进中", "2030-01-01", "将来", ""],
    ])
    with pytest.raises(ImportRejected) as refused:
        import_progress(content, "周报.csv", store, by="分局填报", today=TODAY)
    lines = [p.line for p in refused.value.problems]
    assert lines == [3, 4, 5, 6, 7, 8]
    text = str(refused.value)
    for needle in ("没有编号为“不存在/1”的任务", "状态“差不多完成了”无法识别", "日期“昨天”无法识别", "需要佐证材料",
                   "不是该任务的责任单位", "晚于今天", "数据库未作任何修改"):
        assert needle in text, needle
    assert store.task_events().empty


def test_rows_apply_in_order_and_the_state_is_checked_across_them(store):
    a, _, _ = _ids(store)
    content = _csv([[a, "申请销号", "2023-06-01", "完成", "x〔2023〕1号"], [a, "推进中", "2023-06-02", "又报进展", ""]])
    preview = preview_progress(content, "周报.csv", store, by="分局填报", today=TODAY)
    assert [p.line for p in preview.problems] == [3] and "正在等待核验" in preview.problems[0].message


def test_a_task_changed_between_preview_and_import_is_refused(store, monkeypatch):
    a, _, _ = _ids(store)
    content = _csv([[a, "推进中", "2023-05-10", "周报", ""]])
    import geodata.progress_import as module

    real = module.preview_progress

    def preview_then_someone_writes(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        preview = real(*args, **kwargs)
        store.record_event(a, "progress", by="督办员", event_date=dt.date(2023, 5, 11), note="另一人先写", today=TODAY)
        return preview

    monkeypatch.setattr(module, "preview_progress", preview_then_someone_writes)
    with pytest.raises(TaskChanged):
        import_progress(content, "周报.csv", store, by="分局填报", today=TODAY)
    assert list(store.task_events()["note"]) == ["另一人先写"]


@pytest.mark.parametrize(("content", "message"), [
    (b"", "没有进展记录"),
    (b"\x00\x01\x02binary", "不是 CSV"),
    (b"PK\x03\x04broken", "无法打开 Excel 文件"),
    ("编号,状态\n1,推进中\n".encode(), "缺少列：日期、说明"),
])
def test_files_that_are_not_progress_sheets_are_refused_clearly(store, content, message):
    with pytest.raises(ImportRejected, match=message):
        preview_progress(content, "x.csv", store, by="分局填报", today=TODAY)


@pytest.mark.parametrize(("text", "day"), [
    ("2023-06-01", dt.date(2023, 6, 1)), ("2023/6/1", dt.date(2023, 6, 1)), ("2023.06.01", dt.date(2023, 6, 1)),
    ("2023年6月1日", dt.date(2023, 6, 1)), ("2023-06-01 00:00:00", dt.date(2023, 6, 1)), ("2023-02-30", None),
    ("6月1日", None), ("", None),
])
def test_dates_as_bureaus_write_them(text, day):
    assert parse_date(text) == day


def test_the_cli_imports_and_previews(db_path, monkeypatch, tmp_path):
    monkeypatch.setenv("ENVMAP_SAMPLES", "0")
    store = open_store()
    account(store, "督办员", "supervisor")
    task = store.read_table("tasks")["id"].iloc[0]
    sheet = tmp_path / "周报.csv"
    sheet.write_bytes(_csv([[task, "推进中", "2023-05-10", "已开工", ""]]))
    run = CliRunner()
    dry = run.invoke(main, ["import-progress", str(sheet), "--by", "督办员", "--dry-run"], catch_exceptions=False)
    assert dry.exit_code == 0 and "可登记 1 条，0 处问题" in dry.output
    assert store.task_events().empty
    done = run.invoke(main, ["import-progress", str(sheet), "--by", "督办员"], catch_exceptions=False)
    assert done.exit_code == 0 and "登记 1 条进展" in done.output
    nobody = run.invoke(main, ["import-progress", str(sheet), "--by", "冒名者"], catch_exceptions=False)
    assert nobody.exit_code == 1 and "请先登录" in nobody.output


# -- exports: formulas stay text --------------------------------------------------------------------

FORMULAS = ['=HYPERLINK("http://evil.example/","点我")', "=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)"]


def test_exported_files_keep_formula_like_notes_as_text(db_path, monkeypatch, tmp_path):
    monkeypatch.setenv("ENVMAP_SAMPLES", "0")
    store = open_store()
    account(store, "督办员", "supervisor")
    task = store.read_table("tasks")["id"].iloc[0]
    for k, note in enumerate(FORMULAS):
        store.record_event(task, "progress", by="督办员", event_date=dt.date(2023, 5, 1 + k), note=note)
    run = CliRunner()
    out = tmp_path / "events.xlsx"
    assert run.invoke(main, ["export", "task_events", "--format", "xlsx", "--out", str(out)]).exit_code == 0
    sheet = openpyxl.load_workbook(out).active
    header = [c.value for c in sheet[1]]
    cells = [row[header.index("note")].value for row in sheet.iter_rows(min_row=2)]
    assert cells == ["'" + f for f in FORMULAS]
    assert all(row[header.index("note")].data_type == "s" for row in sheet.iter_rows(min_row=2))
    text = run.invoke(main, ["export", "task_events"]).output
    notes = [r["note"] for r in csv.DictReader(io.StringIO(text))]
    assert notes == ["'" + f for f in FORMULAS]
    bulletin = tmp_path / "通报.xlsx"
    result = run.invoke(main, ["bulletin", "--as-of", "2023-12-31", "--out", str(bulletin)])
    assert result.exit_code == 0, result.output
    rows = list(openpyxl.load_workbook(bulletin).active.iter_rows(values_only=True))
    assert rows[0][:5] == ("排名", "责任单位", "所属辖区", "任务数", "逾期") and rows[1][0] == 1


# -- the demo history -------------------------------------------------------------------------------


def test_the_demo_history_is_labelled_valid_and_removed_with_the_samples(tmp_path):
    from geodata.sample_history import REPORTER, SAMPLE_LABEL, SUPERVISOR
    from geodata.supervision import KINDS, current_state

    store = open_store(tmp_path / "demo.gpkg")  # the bundled store with its samples, as on a first start
    events = store.task_events()
    assert len(events) > 100 and set(events["is_sample"].astype(int)) == {1}
    assert set(events["kind"]) == set(KINDS)  # assignments, reports, applications, 销号, 退回, 督办
    assert events["note"].str.startswith(SAMPLE_LABEL).all() and set(events["actor"]) == {SUPERVISOR, REPORTER}
    assert (events["event_date"] <= dt.date.today().isoformat()).all()
    assert store.user_record(SUPERVISOR) is None  # nobody can sign in as a sample actor
    for _tid, rows in events.groupby("task_id"):  # each history is one the rules accept, in order
        current_state(rows.to_dict("records"))
    account(store, "督办员", "supervisor")
    untouched = store.read_table("tasks")
    untouched = untouched[~untouched["id"].isin(events["task_id"])]["id"].iloc[0]
    real = store.record_event(untouched, "progress", by="督办员", event_date=dt.date(2023, 5, 1), note="真实记录")
    result = CliRunner().invoke(main, ["samples", "--remove", "--db", str(tmp_path / "demo.gpkg")], catch_exceptions=False)
    assert result.exit_code == 0
    assert list(store.task_events()["fid"]) == [real]  # the demo is gone, the real record stays
