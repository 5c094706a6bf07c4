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
import uuid
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from click.testing import CliRunner
from shapely.geometry import Point

from geodata.cli import main
from geodata.errors import MeasurementConflict, SchemaError, StoreError
from geodata.store import GeoPackageStore, connect, open_store
from geodata.store import migrations as migrations_module
from geodata.store.migrations import LEGACY_ACTOR, LEGACY_ROLE
from geodata.store.schema import SCHEMA_VERSION, STORED_TABLES
from tests.geodata.store import gdal
from tests.geodata.store.postgres import fresh_schema, schema_url

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


def _reports_became_events(store, updates: list[tuple]) -> None:  # noqa: ANN001
    """Each progress report of the old ``task_updates`` is now a supervision event (schema 4)."""
    events = store.task_events()
    events = events[events["is_sample"].astype(int) == 0]
    assert [(r.fid, r.task_id, "apply_close" if r.kind == "apply_close" else "in_progress", r.note, r.actor,
             str(r.event_date)[:10], r.recorded_at, r.source) for r in events.itertuples()] == [
        (fid, task, "apply_close" if status == "done" else status, note, by or LEGACY_ACTOR, str(on)[:10], at,
         f"task_updates:{source}") for fid, task, status, note, by, on, at, source in updates]
    assert set(events["actor_role"]) == {LEGACY_ROLE}


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
    events = store.task_events()
    assert list(events[events["is_sample"].astype(int) == 0]["note"]) == ["已完成招标"]  # the demo history is apart
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


# -- version 2 → 3: readings with a time, sections with their waterbody ------------------------------
#
# ``fixtures/envmap-fa9db27.gpkg.gz`` and ``fixtures/envmap-fa9db27.postgis.sql.gz`` were written by
# the code of commit fa9db27 (schema version 2; ``fixtures/make_v2_store.py`` says how): measurements
# unique on (site, date, item) without time, method, waterbody …; sections without waterbody,
# province, basin.

V2_GPKG = Path(__file__).parent / "fixtures" / "envmap-fa9db27.gpkg.gz"
V2_POSTGIS = Path(__file__).parent / "fixtures" / "envmap-fa9db27.postgis.sql.gz"
V2_RESULTS = [  # (site, date, item, value, below_detection, is_sample, source_file, source_row) as release 2 held them
    ("晋城市:台北村", "2023-05-10", "COD", 14.2, 0, 0, "2023年5月.xlsx", 2),
    ("晋城市:台北村", "2023-05-10", "NH3-N", 0.02, 1, 0, "2023年5月.xlsx", 3),
    ("晋城市:桥西村", "2023-05-15", "COD", 18.0, 0, 1, "示例数据（非实测） envmap samples --seed 20231", None),
]
NEW_DEFAULTS = {"time": "", "method": "manual", "waterbody": "", "raw_value": None, "reported_class": "",
                "station_state": "", "detection_source": ""}


@pytest.fixture
def v2_store(tmp_path) -> Path:
    path = tmp_path / "envmap.gpkg"
    with gzip.open(V2_GPKG) as src, path.open("wb") as dst:
        shutil.copyfileobj(src, dst)
    return path


def _results(store) -> list[tuple]:  # noqa: ANN001 - Store
    held = store.read_measurements()
    return [(r.site_id, r.date, r.item, r.value, r.below_detection, r.is_sample, r.source_file,
             None if pd.isna(r.source_row) else int(r.source_row)) for r in held.itertuples()]


def _check_v3_readings(store, fids: list[int]) -> None:  # noqa: ANN001 - Store
    """Release 2's results are all there, with their ids and the new columns' defaults, and the
    new key lets one site have several readings a day while a repeated reading still conflicts."""
    assert _results(store) == V2_RESULTS
    held = store.read_measurements()
    assert list(held["fid"]) == fids
    for column, default in NEW_DEFAULTS.items():
        assert [None if pd.isna(v) else v for v in held[column]] == [default] * 3, column
    readings = pd.DataFrame([{"site_type": "section", "site_id": TAIBEI, "date": "2023-05-10", "time": time,
                              "period": "2023-05", "item": "COD", "value": value, "method": "auto",
                              "source_file": "自动站.csv", "source_row": row}
                             for row, (time, value) in enumerate([("08:00", 13.0), ("12:00", 15.0)], start=2)])
    result = store.write_measurements(readings)
    assert result["written"] == 2 and result["replaced_other"] == []
    assert list(store.read_measurements(site_id=TAIBEI, item="COD")["time"]) == ["", "08:00", "12:00"]
    assert int(store.read_measurements(source_file="自动站.csv")["fid"].min()) > max(fids)  # ids go on after the old ones
    with pytest.raises(MeasurementConflict, match="冲突"):
        store.write_measurements(readings.assign(source_file="另一个.csv"))


def test_a_version_2_geopackage_is_upgraded_in_place_keeping_every_record(v2_store, monkeypatch):
    before = {name: _raw(v2_store, f'SELECT count(*) FROM "{name}"')[0][0] for name in STORED_TABLES
              if _raw(v2_store, f"SELECT 1 FROM sqlite_master WHERE name = '{name}'")}
    fids = [r[0] for r in _raw(v2_store, "SELECT fid FROM measurements ORDER BY fid")]
    updates = _raw(v2_store, "SELECT fid, task_id, status, note, reported_by, reported_on, recorded_at, source FROM task_updates")
    monkeypatch.setenv("ENVMAP_SAMPLES", "0")

    result = CliRunner().invoke(main, ["db", "upgrade", "--db", str(v2_store)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert f"从结构版本 2 升级到 {SCHEMA_VERSION}" in result.output
    assert "rebuild measurements (3)" in result.output and "rebuild sections (25)" in result.output
    backup = v2_store.with_name("envmap.v2-backup.gpkg")  # release 2's store as it was
    assert _raw(backup, "SELECT value FROM envmap_meta WHERE key = 'schema_version'") == [("2",)]
    assert _raw(backup, "SELECT fid FROM measurements ORDER BY fid") == [(f,) for f in fids]

    store = GeoPackageStore(v2_store)
    assert store.schema_version() == SCHEMA_VERSION
    counts = store.table_counts()
    assert {name: counts[name] for name in before} == before  # not one row lost
    _reports_became_events(store, updates)
    row = store.read_table("sections").set_index("id").loc[TAIBEI]
    assert (row["lon"], row["lat"], row["precision"], row["location_method"], row["location_crs"]) == (
        113.27401, 35.77152, "exact", "imported", "gcj02")
    _check_v3_readings(store, fids)
    store.close()
    assert gdal.validate(v2_store).returncode == 0


def test_an_upgraded_version_2_geopackage_has_exactly_the_schema_of_a_new_one(v2_store, tmp_path):
    GeoPackageStore(v2_store).close()
    fresh = tmp_path / "fresh.gpkg"
    GeoPackageStore(fresh).close()
    assert _schema(v2_store) == _schema(fresh)
    for meta in ("SELECT table_name, data_type, srs_id FROM gpkg_contents",
                 "SELECT * FROM gpkg_geometry_columns", "SELECT * FROM gpkg_extensions"):
        assert sorted(_raw(v2_store, meta)) == sorted(_raw(fresh, meta)), meta


def test_after_the_upgrade_the_next_start_gives_the_sections_their_waterbody(v2_store, monkeypatch):
    monkeypatch.setenv("ENVMAP_SAMPLES", "0")
    store = open_store(v2_store)  # `envmap serve` after an update: upgrade, then the new bundle
    sections = store.read_table("sections").set_index("id")
    assert (sections.loc[TAIBEI, "precision"], sections.loc[TAIBEI, "location_method"]) == ("exact", "imported")
    assert sections.loc["晋城市:九女湖", "waterbody"] == "lake" and sections.loc[TAIBEI, "waterbody"] == "river"
    assert set(sections["province"]) == {"山西省", "河南省"}  # 三门峡水库, 小浪底水库南山: listed under 河南省
    assert [r[:7] for r in _results(store) if r[5] == 0] == [r[:7] for r in V2_RESULTS[:2]]
    store.close()


def test_a_version_2_upgrade_that_fails_midway_changes_nothing(v2_store, monkeypatch):
    original = _digest(v2_store)
    real_rebuild = migrations_module.rebuild_table

    def failing(tx, table, hook=None):  # noqa: ANN001
        if table.name == "sections":  # after measurements was rebuilt
            raise StoreError("磁盘出错（测试）")
        return real_rebuild(tx, table, hook)

    monkeypatch.setattr(migrations_module, "rebuild_table", failing)
    with pytest.raises(StoreError, match="测试"):
        GeoPackageStore(v2_store)
    assert _digest(v2_store) == original
    assert _raw(v2_store, "SELECT value FROM envmap_meta WHERE key = 'schema_version'") == [("2",)]


# PostGIS: the dump of a release-2 store, loaded into a schema of the test server

def _load_v2_postgis(server: str) -> str:
    """A fresh schema holding release 2's PostGIS store (as a store URL)."""
    import psycopg

    schema = f"envmap_v2_{uuid.uuid4().hex[:10]}"
    script = gzip.decompress(V2_POSTGIS.read_bytes()).decode("utf-8").replace("envmap_v2", schema)
    with psycopg.connect(server) as conn:  # one transaction
        conn.execute(script)
    return schema


def _pg_layout(server: str, schema: str) -> dict[str, object]:
    """What a schema's tables look like: columns in order, constraints, indexes, comments."""
    import psycopg

    with psycopg.connect(server) as conn:
        columns = conn.execute(
            "SELECT table_name, ordinal_position, column_name, data_type, udt_name, is_nullable, column_default, "
            "is_identity FROM information_schema.columns WHERE table_schema = %s ORDER BY 1, 2", (schema,)).fetchall()
        constraints = conn.execute(
            "SELECT rel.relname, con.conname, con.contype, pg_get_constraintdef(con.oid) FROM pg_constraint con "
            "JOIN pg_class rel ON rel.oid = con.conrelid JOIN pg_namespace ns ON ns.oid = rel.relnamespace "
            "WHERE ns.nspname = %s ORDER BY 1, 2", (schema,)).fetchall()
        indexes = conn.execute("SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = %s ORDER BY 1, 2",
                               (schema,)).fetchall()
        comments = conn.execute(
            "SELECT c.relname, obj_description(c.oid) FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace "
            "WHERE ns.nspname = %s AND c.relkind = 'r' ORDER BY 1", (schema,)).fetchall()
        geometry = conn.execute("SELECT f_table_name, f_geometry_column, type, srid FROM geometry_columns "
                                "WHERE f_table_schema = %s ORDER BY 1", (schema,)).fetchall()
    return {"columns": [(t, c, d, u, n, (default or "").replace(schema, "S"), i) for t, _p, c, d, u, n, default, i in columns],
            "constraints": constraints, "indexes": [(t, n, d.replace(schema, "S")) for t, n, d in indexes],
            "comments": comments, "geometry": geometry}


def test_a_version_2_postgis_store_is_upgraded_in_place_keeping_every_record(postgres_server, monkeypatch):
    import psycopg

    schema = _load_v2_postgis(postgres_server)
    url = schema_url(postgres_server, schema)
    try:
        old = connect(url, upgrade=False)  # opened as it is: release 2's tables
        assert old.schema_version() == 2
        old.close()
        with psycopg.connect(url) as conn:
            present = {r[0] for r in conn.execute("SELECT table_name FROM information_schema.tables "
                                                   "WHERE table_schema = current_schema()")}
            before = {name: conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in STORED_TABLES
                      if name in present}
            updates = [tuple(r) for r in conn.execute(
                "SELECT fid, task_id, status, note, reported_by, reported_on, recorded_at, source FROM task_updates "
                "ORDER BY fid")]
            fids = [r[0] for r in conn.execute("SELECT fid FROM measurements ORDER BY fid")]
            taibei = conn.execute("SELECT ST_X(geom), ST_Y(geom) FROM sections WHERE id = %s", (TAIBEI,)).fetchall()
        assert len(set(taibei)) == 1
        monkeypatch.setenv("ENVMAP_SAMPLES", "0")

        result = CliRunner().invoke(main, ["db", "upgrade", "--db", url], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        assert f"从结构版本 2 升级到 {SCHEMA_VERSION}" in result.output
        assert "rebuild measurements (3)" in result.output and "rebuild sections (25)" in result.output

        store = connect(url)
        assert store.schema_version() == SCHEMA_VERSION
        counts = store.table_counts()
        assert {name: counts[name] for name in before} == before  # not one row lost
        _reports_became_events(store, updates)
        row = store.read_table("sections").set_index("id").loc[TAIBEI]
        assert (row["lon"], row["lat"], row["precision"], row["location_method"]) == (*taibei[0], "exact", "imported")
        _check_v3_readings(store, fids)
        store.close()

        with fresh_schema(postgres_server) as fresh_url:
            connect(fresh_url).close()
            fresh = fresh_url.split("search_path%3D", 1)[1].split(",", 1)[0]
            assert _pg_layout(postgres_server, schema) == _pg_layout(postgres_server, fresh)
    finally:
        with psycopg.connect(postgres_server, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
