"""envmap import-monitoring / samples / export measurements|evaluations as a user runs them."""

from __future__ import annotations

import csv
import io

import pytest
from click.testing import CliRunner

from geodata.cli import main
from geodata.store import open_store
from tests.conftest import REPO

WIDE = "断面名称,监测日期,pH,溶解氧,高锰酸盐指数,氨氮(mg/L),总磷,备注\n张留庄,2023-05,7.8,6.2,5.1,1.8,0.25,\n龙门,2023年5月,8.1,8.0,2.0,0.05L,0.05,\n"
NOTE = "示例数据（非实测）"


@pytest.fixture
def run(configured_location, monkeypatch):
    """`envmap …` against the configured store, on each backend (GeoPackage, PostGIS)."""
    monkeypatch.setenv("ENVMAP_SAMPLES", "0")
    runner = CliRunner()

    def invoke(*args: object):
        return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)

    return invoke


def _measurements():
    store = open_store()
    try:
        return store.read_measurements()
    finally:
        store.close()


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def test_dry_run_lists_sites_and_writes_nothing(run, tmp_path):
    path = tmp_path / "月报.csv"
    path.write_bytes(WIDE.encode("gbk"))
    result = run("import-monitoring", path, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "张留庄（运城市:张留庄）" in result.output and "龙门" in result.output
    assert "10" in result.output and "未写入" in result.output
    assert _measurements().empty


def test_dry_run_shows_every_problem_and_exits_1(run, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("断面名称,监测日期,氨氮,pH\n张留桩,2023-05,1.0,7\n张留庄,2023-05,-0.3,15\n", encoding="utf-8")
    result = run("import-monitoring", path, "--dry-run")
    assert result.exit_code == 1
    assert "第 2 行：未知断面“张留桩”。是否为“张留庄”？" in result.output
    assert "第 3 行" in result.output and "负数" in result.output and "pH" in result.output


def test_import_reimport_and_conflict(run, tmp_path):
    path = tmp_path / "月报.csv"
    path.write_bytes(WIDE.encode("gbk"))
    first = run("import-monitoring", path)
    assert first.exit_code == 0, first.output
    assert "已导入 月报.csv：2 个点位共 10 个监测值" in first.output
    again = run("import-monitoring", path)
    assert again.exit_code == 0 and "替换本文件上次导入的值 10 个" in again.output
    assert len(_measurements()) == 10
    other = tmp_path / "复核.csv"
    other.write_text("断面名称,监测日期,氨氮\n张留庄,2023-05,1.7\n", encoding="utf-8")
    refused = run("import-monitoring", other)
    assert refused.exit_code == 1 and "已由文件 月报.csv 导入" in refused.output
    assert len(_measurements()) == 10
    replaced = run("import-monitoring", other, "--replace")
    assert replaced.exit_code == 0, replaced.output
    m = _measurements().set_index(["site_id", "item"])
    assert m.loc[("运城市:张留庄", "NH3-N"), "source_file"] == "复核.csv" and len(m) == 10


def test_samples_remove_and_exports_carry_the_note(run, tmp_path):
    path = tmp_path / "real.csv"
    path.write_text("断面名称,监测日期,氨氮\n张留庄,2023-05-10,1.0\n", encoding="utf-8")
    assert run("import-monitoring", path).exit_code == 0
    loaded = run("samples", "--seed", 5)
    assert loaded.exit_code == 0 and "示例数据（非实测）" in loaded.output
    assert "未作修改" in run("samples", "--seed", 5).output

    rows = _csv(run("export", "measurements").output)
    real = [r for r in rows if r["source_file"] == "real.csv"]
    sample = [r for r in rows if r["is_sample"] == "1"]
    assert len(real) == 1 and real[0]["data_note"] == ""
    assert sample and all(r["data_note"] == NOTE for r in sample)

    evaluations = _csv(run("export", "evaluations").output)
    assert {"section_id", "period", "class", "compliant", "data_note"} <= set(evaluations[0])
    may = [r for r in evaluations if r["section_id"] == "运城市:张留庄" and r["period"] == "2023-05"]
    assert may[0]["data_note"] == "" and may[0]["class"] == "Ⅲ"  # 氨氮 1.0 ≤ Ⅲ limit 1.0
    assert any(r["data_note"] == NOTE for r in evaluations)

    out = tmp_path / "m.xlsx"
    assert run("export", "measurements", "--format", "xlsx", "--out", out).exit_code == 0

    removed = run("samples", "--remove")
    assert removed.exit_code == 0 and "已删除示例数据" in removed.output
    left = _measurements()
    assert len(left) == 1 and left.iloc[0]["source_file"] == "real.csv"


def test_first_run_loads_samples_by_default(configured_location, monkeypatch):
    monkeypatch.delenv("ENVMAP_SAMPLES", raising=False)
    result = CliRunner().invoke(main, ["export", "measurements"], catch_exceptions=False)
    assert result.exit_code == 0
    rows = _csv(result.output)
    assert rows and all(r["data_note"] == NOTE for r in rows)


FIXTURES = REPO / "tests" / "fixtures" / "monitoring"


def test_the_platform_export_asks_for_its_year_then_imports(run):
    path = FIXTURES / "variant_shanxi_pasted.tsv"
    asked = run("import-monitoring", path, "--dry-run")
    assert asked.exit_code == 1 and "--year" in asked.output and "不会被猜测" in asked.output
    unknown = run("import-monitoring", path, "--dry-run", "--year", 2025)
    assert unknown.exit_code == 1 and "未知断面“韩武村”" in unknown.output and "--new-sites import" in unknown.output
    assert "监测方式：自动监测" in unknown.output
    ok = run("import-monitoring", path, "--year", 2025, "--new-sites", "import")
    assert ok.exit_code == 0, ok.output
    assert "新增断面" in ok.output and "与文件自带的水质类别一致：36/37" in ok.output
    assert "类别不同 第 " in ok.output and "万家寨水库" in ok.output  # a reservoir on the 黄河, no 所属河流 here
    assert "已识别并保留：省份、流域、水质类别、站点情况" in ok.output


def test_replace_names_the_file_and_sites_it_replaced(run, tmp_path):
    first = tmp_path / "a.csv"
    first.write_text("断面名称,监测日期,氨氮\n张留庄,2023-05-10,1.0\n", encoding="utf-8")
    second = tmp_path / "b.csv"
    second.write_text("断面名称,监测日期,氨氮\n张留庄,2023-05-10,1.2\n", encoding="utf-8")
    assert run("import-monitoring", first).exit_code == 0
    preview = run("import-monitoring", second, "--dry-run", "--replace")
    assert preview.exit_code == 0 and "a.csv：运城市:张留庄 2023-05-10 至 2023-05-10 的 1 个值" in preview.output
    done = run("import-monitoring", second, "--replace")
    assert done.exit_code == 0 and "已替换：a.csv：运城市:张留庄" in done.output


def test_a_waterbody_override_on_the_command_line(run, tmp_path):
    path = tmp_path / "w.csv"
    path.write_text("断面名称,监测日期,总磷\n九女湖,2023-05,0.06\n", encoding="utf-8")
    assert run("import-monitoring", path, "--waterbody", "九女湖=河流").exit_code == 0
    assert set(_measurements()["waterbody"]) == {"river"}
    bad = run("import-monitoring", path, "--waterbody", "九女湖=海洋")
    assert bad.exit_code == 1 and "水体类型" in bad.output


def test_evaluate_reports_the_agreement_with_the_files_own_class(run, tmp_path):
    out = tmp_path / "e.csv"
    result = CliRunner().invoke(main, ["evaluate", str(FIXTURES / "cnemc_2026-02_hourly.csv"), "--year", "2026",
                                       "--sites", str(FIXTURES / "cnemc_sites.csv"), "--out", str(out)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "计算类别与文件自带水质类别一致：342/343（99.71%）" in result.output
    rows = _csv(out.read_text(encoding="utf-8-sig"))
    assert {"site", "province", "date", "time", "class", "reported_class", "agrees", "basis"} <= set(rows[0])


def test_evaluate_without_a_year_says_what_to_do(run):
    result = run("evaluate", FIXTURES / "cnemc_2025-11-18.csv")
    assert result.exit_code == 1 and "--year" in result.output and "Traceback" not in result.output
