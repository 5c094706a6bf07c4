"""Task status as of a date, from deadlines and the append-only progress history."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from geodata.errors import EnvmapError, StoreError
from geodata.i18n import set_language
from geodata.plans.extract import extract_document
from geodata.status import (
    DONE_LATE,
    DONE_ON_TIME,
    DUE_SOON,
    IN_PROGRESS,
    LONG_TERM,
    NO_DEADLINE,
    NOT_REPORTED,
    OVERDUE,
    OVERDUE_UNREPORTED,
    REPORT_DONE,
    REPORT_IN_PROGRESS,
    STATUSES,
    label,
    status_text,
    task_status,
    with_status,
)
from geodata.store import GeoPackageStore
from tests.accounts import account, report
from tests.conftest import seed

AS_OF = dt.date(2023, 7, 1)


@pytest.mark.parametrize(
    ("deadline", "long_term", "latest", "status"),
    [
        ("2023-06-30", 0, None, OVERDUE_UNREPORTED),  # the day after the deadline, nothing ever reported
        ("2023-06-30", 0, (REPORT_IN_PROGRESS, "2023-05-02"), OVERDUE),  # reporting progress does not stop the clock
        ("2023-07-01", 0, None, DUE_SOON),  # due today: not late yet, but due
        ("2023-07-31", 0, None, DUE_SOON),  # 30 days left
        ("2023-08-01", 0, None, NOT_REPORTED),  # 31 days left
        ("2023-07-15", 0, (REPORT_IN_PROGRESS, "2023-06-01"), DUE_SOON),  # in progress but due within 30 days
        ("2023-12-31", 0, (REPORT_IN_PROGRESS, "2023-06-01"), IN_PROGRESS),
        ("2023-06-30", 0, (REPORT_DONE, "2023-06-30"), DONE_ON_TIME),  # done on the deadline day
        ("2023-06-30", 0, (REPORT_DONE, "2023-07-01"), DONE_LATE),
        ("2023-12-31", 0, (REPORT_DONE, "2023-06-01"), DONE_ON_TIME),  # done early
        ("", 1, None, LONG_TERM),
        ("", 1, (REPORT_IN_PROGRESS, "2023-06-01"), LONG_TERM),  # long-term tasks are never late nor closed
        ("", 0, None, NO_DEADLINE),
        ("", 0, (REPORT_IN_PROGRESS, "2023-06-01"), IN_PROGRESS),
        ("", 0, (REPORT_DONE, "2023-06-01"), DONE_ON_TIME),  # no deadline to miss
    ],
)
def test_task_status(deadline, long_term, latest, status):
    assert task_status(deadline, long_term, latest, AS_OF) == status


def test_every_status_has_a_label_in_both_languages():
    for language in ("zh", "en"):
        set_language(language)
        labels = [label(s) for s in STATUSES]
        assert len(set(labels)) == len(STATUSES), labels
    set_language("zh")
    assert [label(s) for s in (OVERDUE, OVERDUE_UNREPORTED, DUE_SOON, DONE_ON_TIME, DONE_LATE, LONG_TERM)] == [
        "逾期", "逾期未报告", "临期", "按期完成", "逾期完成", "长期坚持"]


def test_history_is_read_as_of_a_date(tmp_path):
    store = GeoPackageStore(tmp_path / "s.gpkg")
    store.replace_document(extract_document(seed("000")))
    task = store.read_table("tasks").query("deadline == '2023-06-30'").iloc[0]
    account(store, "市生态环境局 张三")
    account(store, "督办员")
    report(store, task["id"], "已起草方案", dt.date(2023, 5, 1), by="市生态环境局 张三")
    store.record_event(task["id"], "apply_close", by="市生态环境局 张三", event_date=dt.date(2023, 6, 20), note="已完成",
                       doc_number="运环函〔2023〕8号")
    store.record_event(task["id"], "close", by="督办员", event_date=dt.date(2023, 7, 3), note="核验通过")
    tasks = store.read_table("tasks")
    updates = store.task_events()
    status = lambda day: with_status(tasks, updates, day).set_index("id").loc[task["id"], "status"]  # noqa: E731
    assert status(dt.date(2023, 4, 1)) == NOT_REPORTED
    assert status(dt.date(2023, 5, 10)) == IN_PROGRESS
    assert status(dt.date(2023, 6, 10)) == DUE_SOON
    assert status(dt.date(2023, 7, 1)) == OVERDUE  # applied before the deadline, not yet verified
    assert status(dt.date(2023, 7, 3)) == DONE_ON_TIME  # verified: done as of the application
    assert len(updates) == 3  # appended, never overwritten


def test_days_are_counted_and_said():
    set_language("zh")
    tasks = pd.DataFrame({"id": ["a", "b", "c"], "deadline": ["2023-06-30", "2023-07-10", "2023-06-20"],
                          "long_term": [0, 0, 0]})
    updates = pd.DataFrame({"task_id": ["c", "c"], "kind": ["apply_close", "close"],
                            "event_date": ["2023-06-25", "2023-07-01"], "fid": [1, 2], "actor": ["县局", "督办员"]})
    frame = with_status(tasks, updates, dt.date(2023, 7, 5)).set_index("id")
    assert frame.loc["a", "days_overdue"] == 5
    assert status_text(OVERDUE_UNREPORTED, 5) == "逾期未报告（5 天）"
    assert frame.loc["b", "days_left"] == 5
    assert status_text(DUE_SOON, 0, 5) == "临期（剩 5 天）"
    assert frame.loc["c", "status"] == DONE_LATE and frame.loc["c", "days_overdue"] == 5


def test_updates_are_checked(tmp_path):
    store = GeoPackageStore(tmp_path / "s.gpkg")
    store.replace_document(extract_document(seed("004")))
    task_id = store.read_table("tasks")["id"].iloc[0]
    by = account(store)
    with pytest.raises(EnvmapError, match="逾期等状态由完成时限自动计算"):
        store.record_event(task_id, OVERDUE, by=by, event_date=AS_OF)
    with pytest.raises(StoreError, match="没有编号为"):
        store.record_event("nope", "progress", by=by, event_date=AS_OF, note="x")
