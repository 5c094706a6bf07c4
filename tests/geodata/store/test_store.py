"""The Store protocol on both backends: what the CLI and the dashboard rely on.

Every test runs on a GeoPackage file and on PostGIS (see ``conftest.py``).
"""

from __future__ import annotations

import copy
import datetime as dt
import os
import subprocess
import sys
import textwrap

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import LineString, MultiLineString, Point, Polygon

from geodata.errors import EnvmapError, StoreConflict, StoreError, UnknownTable
from geodata.model import LAYERS, POINT_TABLES, TABLES, stored_columns
from geodata.plans.dataset import data_dir, read_dataset
from geodata.store.schema import SCHEMA_VERSION, STORED_TABLES
from tests.accounts import account, report
from tests.conftest import REPO

JINCHENG = "晋市政办〔2022〕11号"
LINGCHUAN = "陵政办发〔2023〕13号"
TAIBEI = "晋城市:台北村"


@pytest.fixture(scope="module")
def extractions():
    return {str(e.document["id"]): e for e in read_dataset(data_dir() / "plans")}


def _counts(store) -> dict[str, int]:
    return {name: len(store.read_table(name)) for name in TABLES}


def _imported(lon: float = 113.27401, lat: float = 35.77152, record: str = TAIBEI) -> dict[str, object]:
    return {"layer": "sections", "record_id": record, "lon": lon, "lat": lat, "precision": "exact", "method": "imported",
            "source": "points.csv", "source_row": 3, "crs": "gcj02"}


# -- the schema -------------------------------------------------------------------------------


def test_a_new_store_has_every_table_and_the_current_schema(store):
    assert store.schema_version() == SCHEMA_VERSION
    assert store.table_counts() == {name: 0 for name in STORED_TABLES}
    assert store.data_version() >= 0
    assert set(store.layer_names()) == set(LAYERS) | set(POINT_TABLES)
    assert store.status().writable and store.status().message == ""


def test_a_new_store_is_filled_from_the_bundled_dataset(bundled):
    assert len(bundled.document_ids()) == 5
    assert len(bundled.read_table("air_targets")) == 312
    located = bundled.read_table("sections")
    assert (located["lon"] != "").sum() >= 30  # the bundled placements are in the feature table
    assert set(located.loc[located["lon"] != "", "precision"]) <= {"river", "town", "county", "village"}
    assert bundled.read_measurements(is_sample="1").shape[0] > 1000


# -- documents --------------------------------------------------------------------------------


def test_reimporting_a_document_replaces_only_its_records(store, extractions):
    store.replace_document(extractions[LINGCHUAN])
    store.replace_document(extractions[JINCHENG])
    before = _counts(store)
    version = store.data_version()
    store.replace_document(extractions[JINCHENG])
    assert _counts(store) == before
    assert store.data_version() == version + 1
    assert store.document_ids() == [LINGCHUAN, JINCHENG]


def test_a_value_of_the_wrong_type_is_refused_by_name_and_changes_nothing(store, extractions):
    store.replace_document(extractions[JINCHENG])
    before, version = _counts(store), store.data_version()
    broken = copy.deepcopy(extractions[JINCHENG])
    broken.tables["tasks"][2]["long_term"] = "有时"
    with pytest.raises(StoreError, match="表 tasks 的列 long_term 不能保存“有时”"):
        store.replace_document(broken)
    broken = copy.deepcopy(extractions[JINCHENG])
    broken.tables["section_targets"][0]["year"] = "2023年"
    with pytest.raises(StoreError, match="列 year .*应为整数"):
        store.replace_document(broken)
    assert _counts(store) == before
    assert store.data_version() == version


def test_a_write_failing_midway_leaves_the_store_unchanged(store, extractions):
    store.replace_document(extractions[JINCHENG])
    sid = TAIBEI
    rows = pd.DataFrame([
        {"site_type": "section", "site_id": sid, "date": "2023-05-10", "period": "2023-05", "item": "COD", "value": 14.2,
         "below_detection": 0, "unit": "mg/L", "status": "ok", "is_sample": 0, "source_file": "a.csv", "source_row": 2},
    ])
    store.write_measurements(rows)
    clash = pd.concat([rows.assign(item="TP", source_file="b.csv"), rows.assign(source_file="b.csv")])
    version = store.data_version()
    with pytest.raises(StoreConflict, match="冲突"):
        store.write_measurements(clash)  # the first row is fine, the second clashes: neither lands
    held = store.read_measurements()
    assert list(held["item"]) == ["COD"] and list(held["source_file"]) == ["a.csv"]
    assert store.data_version() == version


def test_read_table_filters_and_names_unknown_tables_and_columns(store, extractions):
    store.replace_document(extractions[JINCHENG])
    assert set(store.read_table("sections", county="陵川县")["name"]) == {"台北村", "桥西村"}
    assert len(store.read_table("section_targets", year="2022")) == len(store.read_table("section_targets", year=2022)) > 0
    with pytest.raises(UnknownTable, match="可用的表"):
        store.read_table("nope")
    with pytest.raises(StoreError, match="没有列"):
        store.read_table("sections", colour="red")
    with pytest.raises(StoreError, match="由位置几何得出"):
        store.read_table("sections", lon="113")


def test_columns_come_in_model_order_and_integers_stay_integers(store, extractions):
    store.replace_document(extractions[LINGCHUAN])
    for name in TABLES:
        assert list(store.read_table(name).columns) == stored_columns(name)
    air = store.read_table("air_targets")
    months = [m for m in air["month"] if m != ""]
    assert months and all(isinstance(m, int) for m in months)  # not 1.0, 2.0 … beside blank months
    assert set(store.read_table("tasks")["long_term"]) <= {0, 1}


def test_a_section_named_by_two_documents_is_one_row(store, extractions):
    store.replace_document(extractions[JINCHENG])
    store.replace_document(extractions[LINGCHUAN])
    sections = store.read_table("sections")
    assert sections["id"].is_unique
    assert (sections["id"] == TAIBEI).sum() == 1
    targets = store.read_table("section_targets", section_id=TAIBEI)
    assert sorted(zip(targets["year"], targets["target_class"], strict=True)) == [(2022, "Ⅳ"), (2023, "Ⅲ")]


# -- locations --------------------------------------------------------------------------------


def test_an_imported_location_survives_plan_reimports_and_rebuilt_placements(store, extractions):
    store.replace_document(extractions[JINCHENG])
    store.replace_document(extractions[LINGCHUAN])
    store.set_locations([{"layer": "sections", "record_id": TAIBEI, "lon": 113.2, "lat": 35.7, "precision": "county",
                          "method": "陵川县代表点", "source": "data/geo/sections.geojson"}], built=True)
    store.set_locations([_imported()])
    for _ in range(2):  # the plan again, the bundled placements again: the user's location stays
        store.replace_document(extractions[LINGCHUAN])
        store.replace_document(extractions[JINCHENG])
        store.set_locations([{"layer": "sections", "record_id": TAIBEI, "lon": 113.0, "lat": 35.0, "precision": "county",
                              "method": "陵川县代表点", "source": "data/geo/sections.geojson"}], built=True)
    row = store.read_table("sections").set_index("id").loc[TAIBEI]
    assert (row["lon"], row["lat"], row["precision"], row["location_method"]) == (113.27401, 35.77152, "exact", "imported")
    assert (row["location_source"], row["location_source_row"], row["location_crs"]) == ("points.csv", 3, "gcj02")
    layer = store.read_layer("sections")
    located = layer[layer["id"] == TAIBEI]
    assert located.geometry.iloc[0].equals(Point(113.27401, 35.77152))


def test_built_placements_replace_built_ones_and_unplace_what_they_no_longer_place(store, extractions):
    store.replace_document(extractions[JINCHENG])
    built = {"layer": "sections", "lon": 113.0, "lat": 35.5, "precision": "county", "method": "泽州县代表点",
             "source": "data/geo/sections.geojson"}
    store.set_locations([{**built, "record_id": "晋城市:后寨"}, {**built, "record_id": "晋城市:黑龙潭"}], built=True)
    store.set_locations([{**built, "record_id": "晋城市:后寨", "lon": 112.9, "precision": "river", "method": "丹河上最近点"}],
                        built=True)
    sections = store.read_table("sections").set_index("id")
    assert (sections.loc["晋城市:后寨", "lon"], sections.loc["晋城市:后寨", "precision"]) == (112.9, "river")
    assert (sections.loc["晋城市:黑龙潭", "lon"], sections.loc["晋城市:黑龙潭", "precision"]) == ("", "none")
    located = store.locations("sections")
    assert list(located["record_id"]) == ["晋城市:后寨"]
    assert list(located.columns) == ["layer", "record_id", "lon", "lat", "precision", "method", "source", "source_row",
                                     "crs", "updated_at"]


def test_coordinates_written_in_a_plan_beat_a_placement_but_not_an_import(store, extractions):
    planned = copy.deepcopy(extractions[JINCHENG])
    for row in planned.tables["sections"]:
        if row["id"] in (TAIBEI, "晋城市:桥西村"):
            row.update(lon="113.31", lat="35.76", precision="village")
    store.replace_document(planned)
    store.set_locations([_imported(record="晋城市:桥西村")])
    store.set_locations([{"layer": "sections", "record_id": rid, "lon": 113.0, "lat": 35.0, "precision": "county",
                          "method": "陵川县代表点"} for rid in (TAIBEI, "晋城市:桥西村")], built=True)
    store.replace_document(extractions[LINGCHUAN])  # a second plan naming both, without coordinates
    sections = store.read_table("sections").set_index("id")
    assert (sections.loc[TAIBEI, "lon"], sections.loc[TAIBEI, "location_method"]) == (113.31, "plan")
    assert sections.loc[TAIBEI, "location_source"] == planned.document["source_file"]
    assert sections.loc["晋城市:桥西村", "location_method"] == "imported"


def test_locations_are_refused_without_coordinates_or_for_unknown_layers(store, extractions):
    store.replace_document(extractions[JINCHENG])
    version = store.data_version()
    with pytest.raises(StoreError, match="没有有效的经纬度"):
        store.set_locations([_imported(), {**_imported(), "lon": "东经113度"}])
    with pytest.raises(UnknownTable):
        store.set_locations([{**_imported(), "layer": "rivers"}])
    assert store.data_version() == version and store.locations().empty


# -- map layers -------------------------------------------------------------------------------


def test_layers_keep_their_declared_geometry_type_and_columns(store):
    lines = gpd.GeoDataFrame(
        {"river": ["丹河", "丹河"], "reach_no": [1, 2], "governing": ["downstream"] * 2,
         "governing_section_id": ["晋城市:牛村", "晋城市:青天河"], "governing_section_name": ["牛村", "青天河"],
         "length_km": [21.67, 3.5]},
        geometry=[LineString([(112.9, 35.8), (112.95, 35.7)]),
                  MultiLineString([[(112.95, 35.7), (113.0, 35.6)], [(113.0, 35.6), (113.05, 35.5)]])],
        crs="EPSG:4326",
    )
    assert store.write_layer("reaches", lines) == 2
    back = store.read_layer("reaches")
    assert list(back.geom_type) == ["MultiLineString", "MultiLineString"]  # a LineString is stored as one part
    assert back.geometry.iloc[0].equals(MultiLineString([[(112.9, 35.8), (112.95, 35.7)]]))
    assert list(back["reach_no"]) == [1, 2] and list(back["length_km"]) == [21.67, 3.5]
    assert list(back.columns[:-1]) == [c.name for c in LAYERS["reaches"].columns]
    assert back.crs.to_epsg() == 4326


def test_a_layer_is_replaced_whole_or_not_at_all(store):
    towns = gpd.GeoDataFrame({"name": ["礼义镇"], "county": ["陵川县"], "geonameid": [1803]},
                             geometry=[Point(113.35, 35.78)], crs="EPSG:4326")
    store.write_layer("towns", towns)
    wrong = gpd.GeoDataFrame({"name": ["a", "b"]}, geometry=[Point(113, 35), Polygon([(0, 0), (1, 0), (1, 1)])],
                             crs="EPSG:4326")
    with pytest.raises(StoreError, match="第 2 个要素是 Polygon"):
        store.write_layer("towns", wrong)
    with pytest.raises(StoreError, match="没有这些列：colour"):
        store.write_layer("towns", towns.assign(colour="red"))
    with pytest.raises(StoreError, match="不是 WGS84"):
        store.write_layer("towns", towns.to_crs("EPSG:3857"))
    with pytest.raises(UnknownTable):
        store.write_layer("sections", towns)
    assert list(store.read_layer("towns")["name"]) == ["礼义镇"]


def test_point_tables_read_as_layers_with_unlocated_records_kept(store, extractions):
    store.replace_document(extractions[JINCHENG])
    store.set_locations([_imported()])
    layer = store.read_layer("sections")
    assert len(layer) == len(store.read_table("sections"))
    assert layer.geometry.notna().sum() == 1


# -- progress reports and monitoring results --------------------------------------------------


def test_progress_reports_are_appended_with_increasing_ids(store, extractions):
    store.replace_document(extractions[LINGCHUAN])
    task = extractions[LINGCHUAN].tables["tasks"][0]["id"]
    account(store, "张三")
    first = report(store, task, "已完成招标", dt.date(2023, 5, 8), by="张三")
    second = store.record_event(task, "apply_close", by="张三", event_date=dt.date(2023, 6, 1), note="<b>已验收</b>",
                                doc_number="陵环函〔2023〕3号")
    assert second > first
    history = store.task_events(task)
    assert list(history["kind"]) == ["progress", "apply_close"]
    assert list(history["note"]) == ["已完成招标", "<b>已验收</b>"]
    assert list(history["event_date"]) == ["2023-05-08", "2023-06-01"]
    assert list(history["actor"]) == ["张三", "张三"] and list(history["actor_role"]) == ["supervisor", "supervisor"]
    with pytest.raises(StoreError, match="没有编号为"):
        report(store, "不存在的任务", by="张三")
    with pytest.raises(EnvmapError, match="逾期等状态由完成时限自动计算"):
        store.record_event(task, "overdue", by="张三", event_date=dt.date(2023, 6, 1))
    assert len(store.task_events()) == 2


def test_real_results_replace_a_months_samples_and_samples_are_removable(store, extractions):
    store.replace_document(extractions[JINCHENG])
    base = {"site_type": "section", "site_id": TAIBEI, "period": "2023-05", "below_detection": 0, "unit": "mg/L",
            "status": "ok", "source_row": None}
    samples = pd.DataFrame([{**base, "date": "2023-05-15", "item": i, "value": 10.0, "is_sample": 1,
                             "source_file": "示例数据（非实测）"} for i in ("COD", "TP")])
    store.write_measurements(samples, replace_samples=True)
    real = pd.DataFrame([{**base, "date": "2023-05-10", "item": "COD", "value": 14.2, "is_sample": 0,
                          "source_file": "2023年5月.xlsx", "source_row": 2}])
    store.write_measurements(real)
    held = store.read_measurements()
    assert list(zip(held["date"], held["item"], held["is_sample"], strict=True)) == [("2023-05-10", "COD", 0)]
    assert held["source_row"].tolist() == [2]
    store.write_measurements(samples.assign(period="2023-06", date="2023-06-15"), replace_samples=True)
    assert store.delete_samples() == 2
    assert list(store.read_measurements()["source_file"]) == ["2023年5月.xlsx"]
    assert store.read_measurements(site_id=TAIBEI, is_sample="0").shape[0] == 1


def test_metadata_is_kept_without_changing_the_data_version(store):
    version = store.data_version()
    store.set_meta("bundle", "abc")
    store.set_meta("bundle", "def")
    assert store.meta("bundle") == "def" and store.meta("nothing") == ""
    assert store.data_version() == version
    assert store.meta_items()["bundle"] == "def"


# -- several processes ------------------------------------------------------------------------

_WRITER = textwrap.dedent("""
    import datetime as dt, sys
    from geodata.store import connect
    store = connect(sys.argv[1])
    fid = store.record_event(sys.argv[2], "progress", event_date=dt.date(2023, 7, 1), note="另一进程写入", by="进程B")
    print(fid, store.data_version())
""")


def test_a_write_through_one_process_is_seen_by_another(store, extractions, location):
    """Two dashboard processes on one store: the data version lives in the store itself."""
    store.replace_document(extractions[LINGCHUAN])
    task = extractions[LINGCHUAN].tables["tasks"][0]["id"]
    account(store, "进程B")
    assert store.task_events(task).empty
    before = store.data_version()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    out = subprocess.run([sys.executable, "-c", _WRITER, location, task], capture_output=True, text=True, env=env,
                         timeout=120, cwd=REPO)
    assert out.returncode == 0, out.stderr
    fid, their_version = (int(x) for x in out.stdout.split())
    assert store.data_version() == their_version > before  # this process sees the change: caches refresh
    history = store.task_events(task)
    assert list(history["fid"]) == [fid] and list(history["actor"]) == ["进程B"]
    mine = report(store, task, "本进程写入", dt.date(2023, 8, 1), by="进程B")
    reader = ("import sys; from geodata.store import connect; s = connect(sys.argv[1]); "
              "print(s.data_version(), ','.join(str(f) for f in s.task_events(sys.argv[2])['fid']))")
    back = subprocess.run([sys.executable, "-c", reader, location, task], capture_output=True, text=True, env=env,
                          timeout=120, cwd=REPO)
    assert back.returncode == 0, back.stderr
    assert back.stdout.split() == [str(store.data_version()), f"{fid},{mine}"]
