"""Monitoring results in the store, on both backends: readings with a time, conflicts with other
files, replacements named, new sections, and a dry run that is the write rolled back.

Every test runs on a GeoPackage file and on PostGIS (``tests/geodata/conftest.py``); the same SQL
runs on both (a temporary table of the incoming rows, set operations, row counts).
"""

from __future__ import annotations

import pandas as pd
import pytest

from geodata.errors import MeasurementConflict, StoreConflict, StoreError
from geodata.plans.dataset import data_dir, read_dataset
from geodata.store.schema import MEASUREMENT_COLUMNS, MEASUREMENTS

JINCHENG = "晋市政办〔2022〕11号"
TAIBEI = "晋城市:台北村"
QIAOXI = "晋城市:桥西村"


@pytest.fixture
def plan_store(store):
    """A store holding the 晋城市 plan (its sections, 台北村 and 桥西村 among them)."""
    (jincheng,) = [e for e in read_dataset(data_dir() / "plans") if e.document["id"] == JINCHENG]
    store.replace_document(jincheng)
    return store


def readings(site: str = TAIBEI, file: str = "自动站.csv", times: tuple[str, ...] = ("00:00", "04:00", "08:00"),
             day: str = "2025-11-18", item: str = "NH3-N", value: float = 0.5, **extra: object) -> pd.DataFrame:
    """Sub-daily readings of one station and item, as the monitoring import writes them."""
    return pd.DataFrame([{
        "site_type": "section", "site_id": site, "date": day, "time": t, "period": day[:7], "item": item,
        "value": value + k / 10, "unit": "mg/L", "raw_value": f"{value + k / 10:g}", "method": "auto",
        "reported_class": "Ⅱ", "station_state": "", "is_sample": 0, "source_file": file, "source_row": k + 2, **extra,
    } for k, t in enumerate(times)])


def _rows(store) -> list[tuple]:  # noqa: ANN001 - Store
    held = store.read_measurements()
    return [(r.site_id, r.date, r.time, r.item, r.value, r.source_file) for r in held.itertuples()]


def test_readings_of_one_day_at_different_times_are_kept_with_their_columns(plan_store):
    result = plan_store.write_measurements(readings())
    assert result == {"written": 3, "replaced_same_file": 0, "replaced_other": [], "samples_replaced": 0, "new_sites": 0}
    held = plan_store.read_measurements()
    assert list(held.columns) == ["fid", *MEASUREMENTS.column_names]
    assert list(held["time"]) == ["00:00", "04:00", "08:00"] and list(held["value"]) == [0.5, 0.6, 0.7]
    first = held.iloc[0]
    assert (first["date"], first["method"], first["raw_value"], first["reported_class"], first["source_row"]) == (
        "2025-11-18", "auto", "0.5", "Ⅱ", 2)
    assert (first["waterbody"], first["station_state"], first["detection_source"], first["status"]) == ("", "", "", "ok")
    assert first["imported_at"].endswith("Z")


def test_columns_a_frame_leaves_out_take_their_defaults(plan_store):
    frame = readings().drop(columns=["time", "method", "raw_value", "reported_class", "station_state"]).head(1)
    plan_store.write_measurements(frame)
    row = plan_store.read_measurements().iloc[0]
    assert (row["time"], row["method"], row["reported_class"], row["below_detection"], row["is_sample"]) == (
        "", "manual", "", 0, 0)
    assert row["raw_value"] is None


def test_read_measurements_gives_only_the_columns_asked_for(plan_store):
    plan_store.write_measurements(readings())
    part = plan_store.read_measurements(columns=["site_id", "time", "value"], item="NH3-N")
    assert list(part.columns) == ["site_id", "time", "value"] and len(part) == 3
    assert part["value"].dtype == float
    with pytest.raises(StoreError, match="没有列"):
        plan_store.read_measurements(columns=["site_id", "colour"])
    with pytest.raises(StoreError, match="没有列"):
        plan_store.read_measurements(colour="red")
    assert list(MEASUREMENT_COLUMNS) == [c for c in MEASUREMENTS.column_names if c != "imported_at"]


def test_another_files_values_are_a_conflict_listed_row_by_row_and_nothing_is_written(plan_store):
    plan_store.write_measurements(readings(file="a.csv"))
    version = plan_store.data_version()
    clash = pd.concat([readings(file="b.csv", item="TP"), readings(file="b.csv", times=("04:00", "08:00"))])
    with pytest.raises(MeasurementConflict, match="冲突") as info:
        plan_store.write_measurements(clash)
    assert info.value.held == [("a.csv", TAIBEI, "2025-11-18", "2025-11-18", 2)]
    assert info.value.examples == [(2, "a.csv", TAIBEI, "2025-11-18", "04:00", "NH3-N"),
                                   (3, "a.csv", TAIBEI, "2025-11-18", "08:00", "NH3-N")]
    assert isinstance(info.value, StoreConflict)
    assert {r[5] for r in _rows(plan_store)} == {"a.csv"} and len(_rows(plan_store)) == 3  # not even the TP rows
    assert plan_store.data_version() == version
    assert plan_store.write_measurements(readings(file="c.csv", day="2025-11-19"))["written"] == 3  # the store writes on


def test_replace_deletes_the_other_files_values_and_names_them(plan_store):
    plan_store.write_measurements(readings(file="a.csv"))
    plan_store.write_measurements(readings(file="a.csv", site=QIAOXI, day="2025-11-17"))
    result = plan_store.write_measurements(readings(file="b.csv", times=("04:00", "08:00"), value=0.9), replace_keys=True)
    assert result["replaced_other"] == [{"source_file": "a.csv", "site_id": TAIBEI, "first": "2025-11-18",
                                         "last": "2025-11-18", "values": 2}]
    held = plan_store.read_measurements(site_id=TAIBEI)
    assert list(zip(held["time"], held["source_file"], strict=True)) == [("00:00", "a.csv"), ("04:00", "b.csv"),
                                                                         ("08:00", "b.csv")]
    assert len(plan_store.read_measurements(site_id=QIAOXI)) == 3  # other sites and days untouched


def test_a_reimport_replaces_the_same_files_values_and_counts_them(plan_store):
    plan_store.write_measurements(readings(file="a.csv"))
    result = plan_store.write_measurements(readings(file="a.csv", times=("12:00",)), replace_file="a.csv")
    assert result["replaced_same_file"] == 3
    assert [r[2] for r in _rows(plan_store)] == ["12:00"]


def test_real_readings_replace_the_months_samples_and_say_how_many(plan_store):
    samples = readings(file="示例数据（非实测）", times=("",), day="2025-11-15", is_sample=1, method="manual")
    samples = pd.concat([samples, samples.assign(item="TP"), samples.assign(site_id=QIAOXI)])
    plan_store.write_measurements(samples, replace_samples=True)
    result = plan_store.write_measurements(readings())
    assert result["samples_replaced"] == 2  # 台北村's two sample values of 2025-11; 桥西村's stays
    assert set(plan_store.read_measurements(is_sample="1")["site_id"]) == {QIAOXI}


def test_new_sections_are_added_with_the_readings_and_known_ids_left_alone(plan_store):
    before = len(plan_store.read_table("sections"))
    new = [{"id": "山西省:韩武村", "name": "韩武村", "name_as_written": "韩武村", "province": "山西省", "basin": "黄河流域",
            "waterbody": "river", "waterbody_source": "rule", "precision": "none", "location_method": "监测数据导入（未定位）",
            "source_file": "自动站.csv", "source_line": 5},
           {"id": TAIBEI, "name": "台北村", "source_file": "自动站.csv"}]
    result = plan_store.write_measurements(readings(site="山西省:韩武村"), new_sites=new)
    assert result["new_sites"] == 1
    sections = plan_store.read_table("sections").set_index("id")
    assert len(sections) == before + 1
    han = sections.loc["山西省:韩武村"]
    assert (han["province"], han["basin"], han["precision"], han["lon"], han["document_id"]) == (
        "山西省", "黄河流域", "none", "", "")
    assert sections.loc[TAIBEI, "document_id"] == JINCHENG


def test_a_dry_run_does_everything_and_rolls_it_back(plan_store):
    plan_store.write_measurements(readings(file="a.csv"))
    version, before, sections = plan_store.data_version(), _rows(plan_store), len(plan_store.read_table("sections"))
    new = [{"id": "山西省:韩武村", "name": "韩武村", "source_file": "b.csv"}]
    frame = pd.concat([readings(file="b.csv"), readings(site="山西省:韩武村", file="b.csv")])
    planned = plan_store.write_measurements(frame, replace_keys=True, new_sites=new, dry_run=True)
    assert planned["new_sites"] == 1 and planned["replaced_other"][0]["values"] == 3 and planned["written"] == 6
    assert (plan_store.data_version(), _rows(plan_store), len(plan_store.read_table("sections"))) == (
        version, before, sections)  # nothing landed, not even the new section
    done = plan_store.write_measurements(frame, replace_keys=True, new_sites=new)
    assert done == planned  # what the dry run said is what the write does
    assert plan_store.data_version() == version + 1 and len(plan_store.read_table("sections")) == sections + 1


def test_a_dry_run_refuses_what_the_write_refuses(plan_store):
    plan_store.write_measurements(readings(file="a.csv"))
    with pytest.raises(MeasurementConflict):
        plan_store.write_measurements(readings(file="b.csv"), dry_run=True)
    twice = pd.concat([readings(file="b.csv", day="2025-11-20"), readings(file="b.csv", day="2025-11-20")])
    with pytest.raises(StoreConflict) as info:
        plan_store.write_measurements(twice, dry_run=True)
    assert "数据库未作任何修改" in str(info.value) and "UNIQUE" not in str(info.value).upper()


def test_database_errors_reach_the_user_in_chinese_and_change_nothing(plan_store):
    twice = pd.concat([readings(), readings()])
    with pytest.raises(StoreConflict) as info:
        plan_store.write_measurements(twice)
    message = str(info.value)
    assert "同一点位、同一时间的同一项目出现了两次" in message and "UNIQUE" not in message.upper()
    assert "constraint" not in message.lower()
    with pytest.raises(StoreError, match="第 3 行缺少 site_id"):
        plan_store.write_measurements(readings().assign(site_id=[TAIBEI, None, TAIBEI]))
    with pytest.raises(StoreError, match="列 value 不能保存"):
        plan_store.write_measurements(readings(value=float("inf")))
    assert plan_store.read_measurements().empty


def test_the_years_with_results_come_from_the_stored_dates(plan_store):
    assert plan_store.measurement_years() == []
    plan_store.write_measurements(pd.concat([readings(day="2025-11-18"), readings(day="2021-01-31", file="b.csv"),
                                             readings(day="2025-02-01", file="c.csv")]))
    assert plan_store.measurement_years() == [2021, 2025]
    assert plan_store.measurement_years() == sorted({int(d[:4]) for d in plan_store.read_measurements()["date"]})
