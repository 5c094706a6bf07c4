"""Upgrading stores in place: a store written by the previous release keeps every user's record.

The fixture ``fixtures/envmap-ce1109a.gpkg.gz`` was written by the code of commit ce1109a
(``fixtures/make_previous_release_store.py`` says how): two plans, layers, built placements,
an imported exact location, a progress report, real and sample monitoring values.
"""

from __future__ import annotations

import gzip
import hashlib
import re
import shutil
import sqlite3
from pathlib import Path

import geopandas as gpd
import pytest
from click.testing import CliRunner
from shapely.geometry import Point

from geodata.cli import main
from geodata.errors import SchemaError, StoreError
from geodata.store import GeoPackageStore, open_store
from geodata.store import migrations as migrations_module
from geodata.store.migrations import LEGACY_ACTOR, LEGACY_ROLE
from geodata.store.schema import SCHEMA_VERSION, STORED_TABLES
from tests.geodata.store import gdal

FIXTURE = Path(__file__).parent / "fixtures" / "envmap-ce1109a.gpkg.gz"
TAIBEI = "晋城市:台北村"


@pytest.fixture
def old_store(tmp_path) -> Path:
    path = tmp_path / "envmap.gpkg"
    with gzip.open(FIXTURE) as src, path.open("wb") as dst:
        shutil.copyfileobj(src, dst)
    return path


def _raw(path: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_envmap_db_upgrade_upgrades_the_previous_release_in_place(old_store, monkeypatch):
    before_counts = {name: _raw(old_store, f'SELECT count(*) FROM "{name}"')[0][0] for name in STORED_TABLES
                     if _raw(old_store, f"SELECT 1 FROM sqlite_master WHERE name = '{name}'")}
    updates = _raw(old_store, "SELECT fid, task_id, status, note, reported_by, reported_on, recorded_at, source FROM task_updates")
    results = _raw(old_store, "SELECT fid, site_id, date, item, value, below_detection, is_sample, source_file, source_row "
                              "FROM measurements ORDER BY fid")
    side = dict(((r[0], r[1]), r[2:]) for r in _raw(old_store, "SELECT layer, record_id, lon, lat, precision, method FROM locations"))
    original = _digest(old_store)
    monkeypatch.setenv("ENVMAP_SAMPLES", "0")

    result = CliRunner().invoke(main, ["db", "upgrade", "--db", str(old_store)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert f"从结构版本 1 升级到 {SCHEMA_VERSION}" in result.output
    backup = old_store.with_name("envmap.v1-backup.gpkg")
    assert f"升级前的备份：{backup}" in result.output
    assert _digest(backup) == original or _raw(backup, "SELECT count(*) FROM locations")[0][0] == len(side)

    store = GeoPackageStore(old_store)
    assert store.schema_version() == SCHEMA_VERSION
    counts = store.table_counts()
    assert {name: counts[name] for name in before_counts} == before_counts  # not one row lost
    events = store.task_events()
    assert [(r.fid, r.task_id, "apply_close" if r.kind == "apply_close" else "in_progress", r.note, r.actor,
             r.event_date, r.recorded_at, r.source) for r in events.itertuples()] == [
        (fid, task, "apply_close" if status == "done" else status, note, by or LEGACY_ACTOR, on, at, f"task_updates:{source}")
        for fid, task, status, note, by, on, at, source in updates]
    assert set(events["actor_role"]) == {LEGACY_ROLE}
    held = store.read_measurements()
    assert [(r.fid, r.site_id, r.date, r.item, r.value, r.below_detection, r.is_sample, r.source_file,
             None if r.source_row is None or str(r.source_row) == "<NA>" else r.source_row)
            for r in held.itertuples()] == results
    sections = store.read_table("sections").set_index("id")
    row = sections.loc[TAIBEI]
    assert (row["lon"], row["lat"], row["precision"], row["location_method"]) == (113.27401, 35.77152, "exact", "imported")
    assert (row["location_source"], row["location_source_row"], row["location_crs"]) == ("points.csv", 3, "gcj02")
    for (layer, record_id), (lon, lat, precision, method) in side.items():
        if record_id in sections.index and layer == "sections":
            got = sections.loc[record_id]
            assert (got["lon"], got["lat"], got["precision"], got["location_method"]) == (lon, lat, precision, method)
    assert list(store.read_layer("admin_units").geom_type) == ["MultiPolygon"]
    assert _raw(old_store, "SELECT count(*) FROM sqlite_master WHERE name = 'locations'") == [(0,)]
    store.close()
    checked = gdal.validate(old_store)
    assert checked.returncode == 0, checked.stdout + checked.stderr

    again = CliRunner().invoke(main, ["db", "upgrade", "--db", str(old_store)], catch_exceptions=False)
    assert again.exit_code == 0 and "已是最新结构" in again.output


def test_the_next_start_loads_the_new_bundle_and_keeps_the_users_records(old_store, monkeypatch):
    monkeypatch.setenv("ENVMAP_SAMPLES", "1")
    store = open_store(old_store)  # what `envmap serve` does after an update: upgrade, then the new bundle
    assert len(store.document_ids()) == 5
    row = store.read_table("sections").set_index("id").loc[TAIBEI]
    assert (row["lon"], row["precision"], row["location_method"]) == (113.27401, "exact", "imported")
    assert list(store.task_events()["note"]) == ["已完成招标"]
    real = store.read_measurements(is_sample="0")
    assert list(real["source_file"]) == ["2023年5月.xlsx", "2023年5月.xlsx"]
    assert old_store.with_name("envmap.v1-backup.gpkg").exists()
    store.close()


def _schema(path: Path) -> set[tuple[str, str, str]]:
    rows = _raw(path, "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")
    return {(t, n, re.sub(r"\s+", " ", s or "").replace('"', "")) for t, n, s in rows}


def test_an_upgraded_store_has_exactly_the_schema_of_a_new_one(old_store, tmp_path):
    GeoPackageStore(old_store).close()
    fresh = tmp_path / "fresh.gpkg"
    GeoPackageStore(fresh).close()
    assert _schema(old_store) == _schema(fresh)
    for meta in ("SELECT table_name, data_type, srs_id FROM gpkg_contents",
                 "SELECT * FROM gpkg_geometry_columns", "SELECT * FROM gpkg_extensions"):
        assert sorted(_raw(old_store, meta)) == sorted(_raw(fresh, meta)), meta


def test_an_upgrade_that_fails_midway_changes_nothing(old_store, monkeypatch):
    original = _digest(old_store)
    side = _raw(old_store, "SELECT count(*) FROM locations")
    real_rebuild = migrations_module.rebuild_table

    def failing(tx, table, hook=None):  # noqa: ANN001
        if table.name == "measurements":
            raise StoreError("磁盘出错（测试）")
        return real_rebuild(tx, table, hook)

    monkeypatch.setattr(migrations_module, "rebuild_table", failing)
    with pytest.raises(StoreError, match="测试"):
        GeoPackageStore(old_store)
    assert _digest(old_store) == original  # rolled back whole: the file is byte for byte what it was
    assert _raw(old_store, "SELECT count(*) FROM locations") == side
    monkeypatch.undo()
    assert GeoPackageStore(old_store).schema_version() == SCHEMA_VERSION  # the next try succeeds


def test_a_read_only_old_store_asks_for_an_upgrade(old_store):
    with pytest.raises(SchemaError, match="envmap db upgrade"):
        GeoPackageStore(old_store, read_only=True)


def test_a_store_from_a_newer_release_is_refused_untouched(tmp_path):
    path = tmp_path / "s.gpkg"
    GeoPackageStore(path).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE envmap_meta SET value = '99' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    digest = _digest(path)
    with pytest.raises(SchemaError, match="更新版本的 envmap"):
        GeoPackageStore(path)
    assert _digest(path) == digest


def test_a_geopackage_that_is_not_envmaps_is_refused_untouched(tmp_path):
    path = tmp_path / "qgis.gpkg"
    gpd.GeoDataFrame({"name": ["井"]}, geometry=[Point(113, 35)], crs="EPSG:4326").to_file(path, layer="wells", driver="GPKG")
    digest = _digest(path)
    with pytest.raises(SchemaError, match="不是 envmap 的数据库"):
        GeoPackageStore(path)
    assert _digest(path) == digest
    not_sqlite = tmp_path / "notes.gpkg"
    not_sqlite.write_text("这不是数据库" * 200, encoding="utf-8")
    with pytest.raises(SchemaError, match="不是可用的 GeoPackage"):
        GeoPackageStore(not_sqlite)
