"""The GeoPackage as GIS tools see it: GDAL's validator, ogrinfo, ogr2ogr, GDAL's own edits.

These run Debian's GDAL (gdal-bin, python3-gdal), the library QGIS reads GeoPackages through.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

import pytest
from click.testing import CliRunner

from geodata.cli import main
from geodata.model import LAYERS, POINT_TABLES
from geodata.store import GeoPackageStore, open_store
from geodata.store.gpkg_spec import decode
from geodata.store.schema import FEATURE_TABLES, STORED_TABLES
from tests.accounts import account, report
from tests.conftest import seed
from tests.geodata.store import gdal

OGR_TYPES = {"POINT": "Point", "MULTILINESTRING": "Multi Line String", "MULTIPOLYGON": "Multi Polygon"}
MONITORING = "断面名称,监测日期,pH,溶解氧,高锰酸盐指数,氨氮(mg/L),总磷,备注\n张留庄,2023-05,7.8,6.2,5.1,1.8,0.25,\n龙门,2023年5月,8.1,8.0,2.0,0.05L,0.05,\n"
POINTS = "断面名称,经度,纬度\n赵庄,112.93,35.79\n台北村,113.28,35.77\n"


@pytest.fixture
def fresh(db_path):
    open_store().close()
    return db_path


@pytest.fixture
def used(db_path, tmp_path):
    """A store after what a bureau does in its first weeks: plans, coordinates, results, progress."""
    run = CliRunner()
    (tmp_path / "points.csv").write_text(POINTS, encoding="gb18030")
    (tmp_path / "2023年5月.csv").write_bytes(MONITORING.encode("gb18030"))
    for args in (["import-plan", str(seed("004")), str(seed("003"))],
                 ["import-geo", "sections", str(tmp_path / "points.csv"), "--crs", "gcj02"],
                 ["import-monitoring", str(tmp_path / "2023年5月.csv")]):
        result = run.invoke(main, args, catch_exceptions=False)
        assert result.exit_code == 0, result.output
    store = open_store()
    task = store.read_table("tasks")["id"].iloc[0]
    account(store, "县局")
    report(store, task, "已开工", dt.date(2023, 5, 8), by="县局")
    store.close()
    return db_path


def _rtree_consistent(path) -> None:
    conn = sqlite3.connect(path)
    for name in FEATURE_TABLES:
        located = conn.execute(f'SELECT fid, geom FROM "{name}" WHERE geom IS NOT NULL').fetchall()
        index = dict((r[0], r[1:]) for r in conn.execute(f'SELECT id, minx, maxx, miny, maxy FROM "rtree_{name}_geom"'))
        assert set(index) == {fid for fid, _ in located}, name
        for fid, blob in located:
            minx, miny, maxx, maxy = decode(blob).bounds
            lo_x, hi_x, lo_y, hi_y = index[fid]  # 32-bit floats, rounded outwards: the box contains the feature
            assert lo_x <= minx < lo_x + 2e-5 and hi_x - 2e-5 < maxx <= hi_x, name
            assert lo_y <= miny < lo_y + 2e-5 and hi_y - 2e-5 < maxy <= hi_y, name
    conn.close()


def test_a_fresh_store_passes_gdals_validator(fresh):
    result = gdal.validate(fresh)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Req" not in result.stdout


def test_the_store_still_passes_after_imports(used):
    result = gdal.validate(used)
    assert result.returncode == 0, result.stdout + result.stderr
    _rtree_consistent(used)


def test_ogrinfo_lists_every_layer_with_its_type_and_feature_count(used):
    listing = gdal.run("ogrinfo", "-ro", "-so", "-q", str(used))
    store = GeoPackageStore(used)
    counts = store.table_counts()
    store.close()
    for name, table in STORED_TABLES.items():
        kind = OGR_TYPES[table.geometry] if table.geometry else "None"
        assert f": {name} ({kind})" in listing, name
        summary = gdal.run("ogrinfo", "-ro", "-so", str(used), name)
        assert f"Feature Count: {counts[name]}" in summary, name
        if table.geometry:
            assert 'ID["EPSG",4326]' in summary, name


def test_gdal_maps_every_located_section_where_envmap_has_it(used, tmp_path):
    out = tmp_path / "sections.geojson"
    gdal.run("ogr2ogr", "-f", "GeoJSON", str(out), str(used), "sections")
    features = json.loads(out.read_text(encoding="utf-8"))["features"]
    store = GeoPackageStore(used)
    rows = store.read_table("sections")
    located = {(r["id"], r["lon"], r["lat"]) for r in rows.to_dict("records") if r["lon"] != ""}
    in_box = {r["name"] for r in rows.to_dict("records")
              if r["lon"] != "" and 113.2 <= r["lon"] <= 113.6 and 35.6 <= r["lat"] <= 35.95}
    store.close()
    mapped = {(f["properties"]["id"], *f["geometry"]["coordinates"]) for f in features if f["geometry"]}
    assert mapped == located and len(located) >= 30
    by_id = {f["properties"]["id"]: f["properties"] for f in features if f["geometry"]}
    assert (by_id["晋城市:赵庄"]["precision"], by_id["晋城市:赵庄"]["location_method"]) == ("exact", "imported")
    # drawing the map around 陵川县: GDAL's spatial filter (through the R-tree) finds what envmap has there
    near = gdal.run("ogrinfo", "-ro", "-q", "-spat", "113.2", "35.6", "113.6", "35.95", str(used), "sections")
    names = {line.split("=", 1)[1].strip() for line in near.splitlines() if line.strip().startswith("name (String)")}
    assert names == in_box and {"台北村", "桥西村"} <= names


def test_gdal_edits_keep_the_index_right_and_envmap_reads_them(used):
    """A GIS user moves one section in QGIS, deletes a town, adds one: the file stays valid."""
    script = """
import sys
from osgeo import ogr
ds = ogr.Open(sys.argv[1], update=1)
layer = ds.GetLayerByName("sections")
layer.SetAttributeFilter("id = '晋城市:桥西村'")
for feature in layer:
    feature.SetGeometry(ogr.CreateGeometryFromWkt("POINT (113.3012 35.7688)"))
    feature.SetField("precision", "exact")
    feature.SetField("location_method", "qgis")
    layer.SetFeature(feature)
towns = ds.GetLayerByName("towns")
first = towns.GetNextFeature()
towns.DeleteFeature(first.GetFID())
new = ogr.Feature(towns.GetLayerDefn())
new.SetField("name", "平城镇")
new.SetField("county", "陵川县")
new.SetGeometry(ogr.CreateGeometryFromWkt("POINT (113.40 35.70)"))
towns.CreateFeature(new)
ds = None
"""
    gdal.osgeo(script, str(used))
    _rtree_consistent(used)
    assert gdal.validate(used).returncode == 0
    store = GeoPackageStore(used)
    moved = store.read_table("sections").set_index("id").loc["晋城市:桥西村"]
    assert (moved["lon"], moved["lat"], moved["location_method"]) == (113.3012, 35.7688, "qgis")
    assert "平城镇" in set(store.read_layer("towns")["name"])
    store.close()


def test_the_store_is_in_wal_mode_and_one_file_when_closed(fresh):
    conn = sqlite3.connect(fresh)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA application_id").fetchone()[0] == 0x47504B47
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 10300
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    assert not fresh.with_name(fresh.name + "-wal").exists()


def test_every_feature_table_is_registered_as_the_spec_asks(fresh):
    conn = sqlite3.connect(fresh)
    registered = dict(conn.execute("SELECT table_name, geometry_type_name FROM gpkg_geometry_columns"))
    assert registered == {name: t.geometry for name, t in STORED_TABLES.items() if t.geometry}
    assert set(registered) == set(POINT_TABLES) | set(LAYERS)
    indexed = {r[0] for r in conn.execute("SELECT table_name FROM gpkg_extensions WHERE extension_name = 'gpkg_rtree_index'")}
    assert indexed == set(registered)
    assert not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'locations'").fetchone()
    conn.close()
