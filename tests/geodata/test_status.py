"""Task status as of a date, from deadlines and the append-only progress history."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from geodata.errors import StoreError
from geodata.plans.extract import extract_document
from geodata.status import (
    DONE,
    IN_PROGRESS,
    LONG_TERM,
    NO_DEADLINE,
    NOT_REPORTED,
    OVERDUE,
    task_status,
    with_status,
)
from geodata.store import GeoPackageStore
from tests.conftest import bundled_task_id, seed

AS_OF = dt.date(2023, 7, 1)


@pytest.mark.parametrize(
    ("deadline", "long_term", "latest", "status"),
    [
        ("2023-06-30", 0, None, OVERDUE),  # the day after the deadline
        ("2023-07-01", 0, None, NOT_REPORTED),  # due today: not late yet
        ("2023-06-30", 0, IN_PROGRESS, OVERDUE),  # reporting progress does not stop the clock
        ("2023-06-30", 0, DONE, DONE),
        ("2023-12-31", 0, IN_PROGRESS, IN_PROGRESS),
        ("", 1, None, LONG_TERM),
        ("", 0, None, NO_DEADLINE),
        ("", 0, IN_PROGRESS, IN_PROGRESS),
    ],
)
def test_task_status(deadline, long_term, latest, status):
    assert task_status(deadline, long_term, latest, AS_OF) == status


def test_history_is_read_as_of_a_date(tmp_path):
    store = GeoPackageStore(tmp_path / "s.gpkg")
    store.replace_document(extract_document(seed("000")))
    task_id = bundled_task_id("运政办发〔2023〕15号", 283)  # 扩大“禁煤区”, 2023年6月底前
    store.add_task_update(task_id, IN_PROGRESS, reported_on=dt.date(2023, 5, 1), note="已起草方案")
    store.add_task_update(task_id, DONE, reported_on=dt.date(2023, 6, 20), reported_by="市生态环境局")
    tasks = store.read_table("tasks")
    updates = store.task_updates()
    status = lambda day: with_status(tasks, updates, day).set_index("id").loc[task_id, "status"]  # noqa: E731
    assert status(dt.date(2023, 4, 1)) == NOT_REPORTED
    assert status(dt.date(2023, 6, 1)) == IN_PROGRESS
    assert status(dt.date(2023, 7, 1)) == DONE
    assert len(updates) == 2  # appended, never overwritten


def test_overdue_days_are_counted(tmp_path):
    tasks = pd.DataFrame({"id": ["a"], "deadline": ["2023-06-30"], "long_term": [0]})
    frame = with_status(tasks, pd.DataFrame(columns=["task_id", "status", "reported_on"]), dt.date(2023, 7, 10))
    assert frame.loc[0, "days_overdue"] == 10
    assert frame.loc[0, "status_label"] == "逾期"


def test_updates_are_checked(tmp_path):
    store = GeoPackageStore(tmp_path / "s.gpkg")
    store.replace_document(extract_document(seed("004")))
    with pytest.raises(StoreError, match="逾期等状态由截止日期自动计算"):
        store.add_task_update(bundled_task_id("陵政办发〔2023〕13号", 194), OVERDUE, reported_on=AS_OF)
    with pytest.raises(StoreError, match="没有编号为"):
        store.add_task_update("nope", DONE, reported_on=AS_OF)
