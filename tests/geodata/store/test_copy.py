"""`envmap db copy`: a whole store moves GeoPackage → PostGIS → GeoPackage, checked by counts and checksums."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from click.testing import CliRunner

from geodata.cli import main
from geodata.errors import StoreError
from geodata.store import connect, open_store
from geodata.store.copy import copy_store, table_checksums
from geodata.store.schema import SCHEMA_VERSION, STORED_TABLES
from geodata.supervision import check_evidence
from tests.accounts import account
from tests.accounts import report as progress
from tests.geodata.store import gdal

TAIBEI = "晋城市:台北村"


@pytest.fixture
def source(tmp_path):
    """A GeoPackage as a bureau's would be after a while: bundled data plus its own records."""
    store = open_store(tmp_path / "bureau.gpkg")
    store.set_locations([{"layer": "sections", "record_id": TAIBEI, "lon": 113.27401, "lat": 35.77152,
                          "precision": "exact", "method": "imported", "source": "points.csv", "source_row": 3,
                          "crs": "gcj02"}])
    task = store.read_table("tasks")["id"].iloc[3]
    account(store, "县局")
    for k in range(3):
        progress(store, task, f"第{k}次 <script>", dt.date(2023, 5, 1 + k), by="县局")
    store.record_event(task, "apply_close", by="县局", event_date=dt.date(2023, 5, 9), note="已完成",
                       evidence=check_evidence([("验收报告.pdf", b"%PDF-1.4 evidence\x00\xff bytes")]))
    store.write_measurements(pd.DataFrame([{
        "site_type": "section", "site_id": TAIBEI, "date": "2023-05-10", "period": "2023-05", "item": "COD", "value": 14.2,
        "below_detection": 0, "unit": "mg/L", "status": "ok", "is_sample": 0, "source_file": "2023年5月.xlsx",
        "source_row": 2}]))
    yield store
    store.close()


def test_a_store_copied_to_postgis_and_back_is_the_same_store(source, pg_schema, tmp_path):
    checksums = table_checksums(source)
    server = connect(pg_schema)
    report = copy_store(source, server)
    assert all(item.matches for item in report)
    assert {item.table: item.rows for item in report} == source.table_counts()
    assert table_checksums(server) == checksums
    assert server.meta("bundle") == source.meta("bundle")
    assert server.read_table("sections").equals(source.read_table("sections"))
    assert server.read_layer("admin_units").geometry.geom_equals(source.read_layer("admin_units").geometry).all()

    last = int(source.task_events()["fid"].max())
    fid = progress(server, source.read_table("tasks")["id"].iloc[5], "复制之后", dt.date(2023, 6, 1), by="县局")
    assert fid > last  # ids continue after the copied ones
    [evidence] = server.evidence().itertuples()
    assert server.evidence_content(evidence.fid) == ("验收报告.pdf", "application/pdf", b"%PDF-1.4 evidence\x00\xff bytes")

    back = connect(tmp_path / "back.gpkg")
    assert all(item.matches for item in copy_store(server, back))
    assert table_checksums(back) == table_checksums(server)
    row = back.read_table("sections").set_index("id").loc[TAIBEI]
    assert (row["lon"], row["precision"], row["location_method"], row["location_crs"]) == (113.27401, "exact", "imported", "gcj02")
    recorded = back.task_events()
    assert list(recorded[recorded["is_sample"].astype(int) == 0]["note"])[:3] == ["第0次 <script>", "第1次 <script>",
                                                                                   "第2次 <script>"]
    assert back.evidence_content(int(back.evidence()["fid"].iloc[0]))[2] == b"%PDF-1.4 evidence\x00\xff bytes"
    back.close()
    server.close()
    assert gdal.validate(tmp_path / "back.gpkg").returncode == 0


def test_checksums_tell_a_changed_row_from_a_copy(source, tmp_path):
    target = connect(tmp_path / "copy.gpkg")
    copy_store(source, target)
    progress(target, source.read_table("tasks")["id"].iloc[5], "复制之后", dt.date(2023, 5, 20), by="县局")
    differ = {name for name, value in table_checksums(target).items() if value != table_checksums(source)[name]}
    assert differ == {"task_events"}
    target.close()


def test_a_copy_into_a_store_that_holds_data_needs_replace(source, tmp_path):
    target = connect(tmp_path / "copy.gpkg")
    copy_store(source, target)
    with pytest.raises(StoreError, match="已有数据.*--replace"):
        copy_store(source, target)
    assert all(item.matches for item in copy_store(source, target, replace=True))
    with pytest.raises(StoreError, match="同一个数据库"):
        copy_store(source, source)
    target.close()


def test_envmap_db_copy_both_ways_reports_every_table(source, pg_schema, tmp_path):
    run = CliRunner()
    source.close()
    there = run.invoke(main, ["db", "copy", "--from", str(tmp_path / "bureau.gpkg"), "--to", pg_schema], catch_exceptions=False)
    assert there.exit_code == 0, there.output
    for name in STORED_TABLES:
        assert f"  {name}" in there.output
    assert "不一致" not in there.output and "行数与校验值全部一致" in there.output
    assert "***" not in there.output or "@" in there.output  # no password printed (the test URL has none)
    back = run.invoke(main, ["db", "copy", "--from", pg_schema, "--to", str(tmp_path / "back.gpkg")], catch_exceptions=False)
    assert back.exit_code == 0, back.output
    again = run.invoke(main, ["db", "copy", "--from", pg_schema, "--to", str(tmp_path / "back.gpkg")])
    assert again.exit_code == 1 and "--replace" in again.output
    info = run.invoke(main, ["db", "info", "--db", str(tmp_path / "back.gpkg")], catch_exceptions=False)
    assert info.exit_code == 0, info.output
    assert f"结构版本 {SCHEMA_VERSION}" in info.output and "可读写" in info.output
    assert "sections" in info.output and "POINT" in info.output and "MULTIPOLYGON" in info.output


def test_copying_from_a_missing_store_says_so_and_creates_nothing(tmp_path):
    result = CliRunner().invoke(main, ["db", "copy", "--from", str(tmp_path / "nope.gpkg"), "--to", str(tmp_path / "t.gpkg")])
    assert result.exit_code == 1
    assert "不存在" in result.output
    assert not (tmp_path / "nope.gpkg").exists() and not (tmp_path / "t.gpkg").exists()


def test_envmap_database_url_selects_postgis(pg_schema, monkeypatch, tmp_path):
    monkeypatch.setenv("ENVMAP_DATABASE_URL", pg_schema)
    monkeypatch.setenv("ENVMAP_DB", str(tmp_path / "unused.gpkg"))
    monkeypatch.setenv("ENVMAP_SAMPLES", "0")
    store = open_store()
    assert store.backend == "postgis" and len(store.document_ids()) == 5
    store.close()
    info = CliRunner().invoke(main, ["db", "info"], catch_exceptions=False)
    assert info.exit_code == 0 and "postgis" in info.output and "POINT" in info.output
    assert not (tmp_path / "unused.gpkg").exists()


def test_an_unknown_database_address_is_refused_with_the_valid_forms(monkeypatch):
    monkeypatch.setenv("ENVMAP_DATABASE_URL", "mysql://localhost/envmap")
    with pytest.raises(StoreError, match="GeoPackage 文件路径.*postgresql://"):
        open_store()
