"""Per-table versions: a write marks exactly the tables it changed, so caches of the others stay valid.

Runs on both backends (``conftest.py``).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from geodata.store.schema import STORED_TABLES
from geodata.store.sqlstore import table_versions_of
from tests.accounts import account, report


def _changed(before: dict[str, int], after: dict[str, int]) -> set[str]:
    return {name for name in STORED_TABLES if after[name] != before[name]}


def _measurement(site: str, date: str, value: float, source: str = "m.csv") -> dict[str, object]:
    return {"site_type": "section", "site_id": site, "date": date, "period": date[:7], "item": "NH3-N", "value": value,
            "below_detection": 0, "unit": "mg/L", "status": "ok", "is_sample": 0, "source_file": source, "source_row": 2}


def test_every_table_has_a_version_and_a_write_raises_only_its_own(bundled):
    before = bundled.table_versions()
    assert set(before) == set(STORED_TABLES)
    section = str(bundled.read_table("sections")["id"].iloc[0])
    bundled.write_measurements(pd.DataFrame([_measurement(section, "2023-03-10", 0.4)]))
    after = bundled.table_versions()
    assert _changed(before, after) == {"measurements"}
    assert after["measurements"] == bundled.data_version()


def test_a_progress_report_changes_task_events_and_nothing_else(bundled):
    account(bundled)
    before = bundled.table_versions()
    task = str(bundled.read_table("tasks")["id"].iloc[0])
    report(bundled, task, day=dt.date(2023, 5, 1))
    assert _changed(before, bundled.table_versions()) == {"task_events"}


def test_a_document_import_changes_the_document_tables_not_the_layers(bundled):
    from geodata.model import TABLES
    from geodata.plans.dataset import data_dir, read_dataset

    before = bundled.table_versions()
    extraction = read_dataset(data_dir() / "plans")[0]
    bundled.replace_document(extraction)
    changed = _changed(before, bundled.table_versions())
    assert changed <= set(TABLES) and "tasks" in changed
    assert not changed & {"admin_units", "rivers", "measurements", "task_events"}


def test_a_failed_write_changes_no_version(bundled):
    account(bundled)
    before = bundled.table_versions()
    try:
        report(bundled, "不存在的任务", day=dt.date(2023, 6, 1))
    except Exception:  # noqa: BLE001 - the rejection is the point
        pass
    assert bundled.table_versions() == before


def test_a_write_that_names_no_table_invalidates_every_table():
    meta = {"data_version": "9", "changed:tasks": "7", "changed:*": "8"}
    versions = table_versions_of(meta)
    assert versions["tasks"] == 8 and versions["measurements"] == 8  # nothing stays cached past an unnamed write
    assert table_versions_of({"data_version": "5"})["sections"] == 5  # a store older than per-table versions
    assert table_versions_of({"data_version": "5", "changed:tasks": "5"})["tasks"] == 5
    assert table_versions_of({"data_version": "5", "changed:tasks": "5"})["sections"] == 0
