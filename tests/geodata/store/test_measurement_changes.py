"""The store says which sites an import of results changed (``measurement_changes``), so evaluations are brought
up to date for those sites alone; where it cannot say, it says so (None) and everything is evaluated again.
Runs on both backends (``conftest.py``)."""

from __future__ import annotations

import pandas as pd
from pandas.testing import assert_frame_equal

from geodata.store import sqlstore


def _rows(sites: list[str], date: str, value: float, source: str = "m.csv") -> pd.DataFrame:
    frame = pd.DataFrame([{"site_type": "section", "site_id": s, "date": date, "period": date[:7], "item": "NH3-N",
                           "value": value, "below_detection": 0, "unit": "mg/L", "status": "ok", "is_sample": 0,
                           "source_file": source, "source_row": 0} for s in sites])
    frame["source_row"] = range(2, len(frame) + 2)
    return frame


def _sections(store, n: int) -> list[str]:  # noqa: ANN001
    return [str(i) for i in store.read_table("sections")["id"].iloc[:n]]


def test_an_import_names_the_sites_it_changed_across_several_imports(bundled):
    a, b, c = _sections(bundled, 3)
    since = bundled.table_versions()["measurements"]
    assert bundled.measurement_changes(since) == set()
    bundled.write_measurements(_rows([a], "2023-03-10", 0.4))
    bundled.log_action("tester", "note")  # writes that change no measurements break nothing
    bundled.write_measurements(_rows([b], "2023-03-10", 0.5, source="n.csv"))
    assert bundled.measurement_changes(since) == {("section", a), ("section", b)}
    middle = bundled.table_versions()["measurements"]
    assert bundled.measurement_changes(middle) == set()
    # a file imported again replaces its earlier rows: the sites of those rows changed too
    bundled.write_measurements(_rows([c], "2023-04-10", 0.6), replace_file="m.csv")
    assert bundled.measurement_changes(middle) == {("section", a), ("section", c)}


def test_changes_the_store_cannot_name_read_as_unknown(bundled):
    (a,) = _sections(bundled, 1)
    since = bundled.table_versions()["measurements"]
    bundled.write_measurements(_rows([a], "2023-03-10", 0.4))
    assert bundled.measurement_changes(since) == {("section", a)}
    bundled.delete_samples()  # every sample value of every site
    assert bundled.measurement_changes(since) is None
    after = bundled.table_versions()["measurements"]
    bundled.write_measurements(_rows([a], "2023-05-10", 0.4), replace_samples=True)  # a fresh set of samples
    assert bundled.measurement_changes(after) is None
    assert bundled.measurement_changes(bundled.table_versions()["measurements"] + 5) is None  # a version never had


def test_a_change_older_than_the_log_keeps_reads_as_unknown(bundled, monkeypatch):
    monkeypatch.setattr(sqlstore, "MEASURED_KEPT", 3)
    a, b = _sections(bundled, 2)
    since = bundled.table_versions()["measurements"]
    for day in range(1, 6):
        bundled.write_measurements(_rows([a if day % 2 else b], f"2023-03-{day:02d}", 0.4))
    assert bundled.measurement_changes(since) is None
    logged = [k for k in bundled.meta_items() if k.startswith(sqlstore.MEASURED_PREFIX)]
    assert len(logged) == 3  # the log stays small


def test_a_dry_run_changes_nothing_and_logs_nothing(bundled):
    (a,) = _sections(bundled, 1)
    since = bundled.table_versions()["measurements"]
    bundled.write_measurements(_rows([a], "2023-03-10", 0.4), dry_run=True)
    assert bundled.table_versions()["measurements"] == since
    assert bundled.measurement_changes(since) == set()


def test_reading_the_results_of_some_sites_is_the_whole_read_filtered(bundled, monkeypatch):
    monkeypatch.setattr(sqlstore, "_IDS_PER_QUERY", 2)  # several batches of ids
    everything = bundled.read_measurements()
    wanted = sorted(set(everything["site_id"]))[::2][:7]
    assert len(wanted) > 2
    some = bundled.read_measurements(sites=set(wanted))
    expected = everything[everything["site_id"].isin(wanted)].reset_index(drop=True)
    assert_frame_equal(some.reset_index(drop=True), expected)
    sections_only = bundled.read_measurements(columns=["site_id", "item", "value"], sites=wanted, site_type="section")
    assert set(sections_only["site_id"]) <= set(wanted) and len(sections_only)
    assert bundled.read_measurements(sites=[]).empty
