"""The envmap command as a user runs it: exit codes, output, and refusals that change nothing."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import geopandas as gpd
import openpyxl
import pytest
import shapely
from click.testing import CliRunner
from shapely.geometry import Point

from geodata.cli import main
from geodata.export import layer_table
from geodata.model import LAYERS, POINT_TABLES, TABLES, column_names, stored_columns
from geodata.store import open_store
from tests.conftest import REPO, seed


@pytest.fixture
def run(db_path):
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)

    return invoke


def _snapshot() -> dict[str, int]:
    store = open_store()
    try:
        return {name: len(store.read_table(name)) for name in TABLES}
    finally:
        store.close()


def test_import_plan_reports_what_it_stored_and_reimport_changes_nothing(run):
    result = run("import-plan", seed("004"))
    assert result.exit_code == 0, result.output
    assert "陵政办发〔2023〕13号" in result.output
    assert "air_targets" in result.output and "312" in result.output
    before = _snapshot()
    assert run("import-plan", seed("004")).exit_code == 0
    assert _snapshot() == before


BROKEN_TABLE = """运城市示例 2023 年行动计划

一、重点任务
1. 示例任务。（市生态环境局牵头）

序号\t重点工作\t主要任务\t完成时限\t工程措施\t牵头单位
1\t产业结构调整\t退城入园\t2023年6月底前\t完成搬迁。\t市工信局
2\t\t粗钢调控\t2023年12月底前\t压减产量。\t市工信局\t多出的一格\t又一格
第三行\t\t错位\t\t\t
"""


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "文件为空"),
        ("binary.txt", bytes(range(256)) * 40, "二进制"),
        ("novel.txt", "从前有座山，山上有座庙。\n庙里有个老和尚。\n".encode(), "没有找到行动计划的标题或任何表格"),
        ("broken.txt", BROKEN_TABLE.encode("gb18030"), "第 8 行"),
    ],
)
def test_bad_files_are_refused_in_chinese_and_the_store_is_unchanged(run, tmp_path, name, content, message):
    assert run("import-plan", seed("004")).exit_code == 0
    before = _snapshot()
    path = tmp_path / name
    path.write_bytes(content)
    result = run("import-plan", path)
    assert result.exit_code == 1
    assert message in result.output
    assert name in result.output
    assert _snapshot() == before


def test_broken_rows_are_all_named(run, tmp_path):
    path = tmp_path / "broken.txt"
    path.write_text(BROKEN_TABLE, encoding="utf-8")
    result = run("import-plan", path)
    assert "第 8 行" in result.output and "多出" in result.output
    assert "第 9 行" in result.output and "序号“第三行”不是数字" in result.output
    assert "未导入（数据库未作任何修改）" in result.output


def test_export_csv_to_stdout_has_the_documented_columns(run):
    result = run("export", "sections")
    assert result.exit_code == 0
    rows = list(csv.reader(io.StringIO(result.output)))
    assert rows[0] == stored_columns("sections")
    assert {"id", "name", "river", "county", "city", "level", "lon", "lat", "precision", "source_file", "source_line"} <= set(rows[0])
    assert len(rows) > 30


def test_export_xlsx_and_geojson(run, tmp_path):
    xlsx = tmp_path / "tasks.xlsx"
    assert run("export", "tasks", "--format", "xlsx", "--out", xlsx).exit_code == 0
    sheet = openpyxl.load_workbook(xlsx).active
    assert [c.value for c in sheet[1]] == column_names("tasks")
    assert sheet.max_row > 300
    out = tmp_path / "sections.geojson"
    assert run("export", "sections", "--format", "geojson", "--out", out).exit_code == 0
    fc = json.loads(out.read_text(encoding="utf-8"))
    assert fc["type"] == "FeatureCollection"
    assert all("precision" in f["properties"] for f in fc["features"])


def test_export_xlsx_needs_an_output_file(run):
    result = run("export", "tasks", "--format", "xlsx")
    assert result.exit_code == 1
    assert "--out" in result.output


def test_build_reproduces_the_bundled_dataset_byte_for_byte(run, tmp_path):
    result = run("build", "--out", tmp_path)
    assert result.exit_code == 0, result.output
    bundled = REPO / "data"
    fresh = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert {str(p) for p in fresh} >= {f"plans/{name}.csv" for name in TABLES}
    for rel in fresh:
        assert (tmp_path / rel).read_bytes() == (bundled / rel).read_bytes(), f"data/{rel} is stale: run `envmap build`"


def test_bundled_files_are_small():
    assert all(p.stat().st_size < 5 * 1024 * 1024 for p in Path(REPO / "data").rglob("*") if p.is_file())


def test_import_geo_sets_exact_locations_that_survive_a_plan_reimport(run, tmp_path):
    path = tmp_path / "points.csv"
    path.write_text("断面名称,经度,纬度\n赵庄,112.93,35.79\n台北村,113.28,35.77\n", encoding="gb18030")
    result = run("import-geo", "sections", path, "--crs", "gcj02")
    assert result.exit_code == 0, result.output
    assert "2 个位置" in result.output
    run("import-plan", seed("003"))  # re-importing the plan keeps the imported coordinates
    sections = open_store().read_table("sections").set_index("name")
    row = sections.loc["赵庄"]
    assert (row["precision"], row["location_method"]) == ("exact", "imported")
    assert 112.92 < float(row["lon"]) < 112.93  # shifted west from GCJ-02 to WGS84


def test_import_geo_refuses_a_bad_file_and_changes_nothing(run, tmp_path):
    path = tmp_path / "points.csv"
    path.write_text("断面名称,经度,纬度\n赵庄,112.93,35.79\n不存在的断面,113.28,35.77\n台北村,35.77,113.28\n", encoding="utf-8")
    result = run("import-geo", "sections", path, "--crs", "wgs84")
    assert result.exit_code == 1
    assert "第 3 行" in result.output and "第 4 行" in result.output
    assert "经纬度可能写反" in result.output
    assert set(open_store().read_table("sections")["precision"]) <= {"none", "river", "town", "county", "village"}


@pytest.mark.parametrize("table", [*TABLES, *LAYERS, "measurements", "task_events"])
def test_every_table_and_layer_exports_as_csv(run, table):
    result = run("export", table)
    assert result.exit_code == 0, result.output
    header = next(csv.reader(io.StringIO(result.output)))
    if table in TABLES:
        assert header == stored_columns(table)
    elif table in LAYERS:
        assert header[: len(LAYERS[table].columns)] == [c.name for c in LAYERS[table].columns]
        assert header[-1] in ("lat", "geometry_wkt")


@pytest.mark.parametrize("table", [*POINT_TABLES, *LAYERS])
def test_layers_and_point_tables_export_as_geojson_with_their_geometry(run, tmp_path, table):
    out = tmp_path / f"{table}.geojson"
    result = run("export", table, "--format", "geojson", "--out", out)
    assert result.exit_code == 0, result.output
    fc = json.loads(out.read_text(encoding="utf-8"))
    assert fc["name"] == table and fc["features"]
    kinds = {f["geometry"]["type"] for f in fc["features"] if f["geometry"]}
    assert kinds == {({"POINT": "Point", "MULTILINESTRING": "MultiLineString", "MULTIPOLYGON": "MultiPolygon"}
                      [LAYERS[table].geometry] if table in LAYERS else "Point")}
    if table in POINT_TABLES:
        assert all("precision" in f["properties"] and "lon" not in f["properties"] for f in fc["features"])


@pytest.mark.parametrize("table", ["tasks", "documents", "section_targets", "measurements", "evaluations", "task_events"])
def test_tables_without_geometry_are_refused_for_geojson(run, tmp_path, table):
    out = tmp_path / "x.geojson"
    result = run("export", table, "--format", "geojson", "--out", out)
    assert result.exit_code == 1
    assert f"{table} 没有几何" in result.output and "--format csv" in result.output and "sections" in result.output
    assert not out.exists()


def test_a_polygon_layer_in_excel_carries_its_geometry_as_wkt_when_a_cell_can_hold_it(run, tmp_path):
    out = tmp_path / "admin_units.xlsx"
    result = run("export", "admin_units", "--format", "xlsx", "--out", out)
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(out).active
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["adcode", "name", "level"] and header[-1] == "geometry_wkt"
    assert sheet.max_row == 25
    assert shapely.from_wkt(sheet.cell(row=2, column=len(header)).value).geom_type == "MultiPolygon"


def test_geometry_too_large_for_an_excel_cell_is_left_out_and_said_so():
    big = gpd.GeoDataFrame({"name": ["县"]}, geometry=[Point(113, 35).buffer(0.5, quad_segs=2000)], crs="EPSG:4326")
    table, omitted = layer_table(big, for_excel=True)
    assert omitted and list(table.columns) == ["name"]
    table, omitted = layer_table(big)
    assert not omitted and len(table["geometry_wkt"].iloc[0]) > 32767  # CSV keeps it
