"""``envmap brief`` as a user runs it: files written, one per county, and clear refusals."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from click.testing import CliRunner
from PIL import Image

from geodata.cli import main


@pytest.fixture(scope="module")
def store_file(tmp_path_factory):
    from geodata.store import open_store

    path = tmp_path_factory.mktemp("cli_brief") / "envmap.gpkg"
    open_store(path).close()
    return path


@pytest.fixture
def run(store_file, monkeypatch):
    monkeypatch.setenv("ENVMAP_DB", str(store_file))
    monkeypatch.delenv("ENVMAP_DATABASE_URL", raising=False)
    monkeypatch.delenv("ENVMAP_MAP_APPROVAL", raising=False)
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)

    return invoke


def test_the_issue_command_writes_the_picture_and_its_workbook(run, tmp_path):
    out = tmp_path / "襄垣县.png"
    result = run("brief", "--area", "襄垣县", "--subject", "water", "--year", "2023", "--month", "6", "--as-of", "2023-12-31",
                 "--layout", "slide", "--format", "png", "--out", out, "--dpi", "60")
    assert result.exit_code == 0, result.output
    assert "已导出" in result.output
    image = Image.open(io.BytesIO(out.read_bytes()))
    assert image.size == (round(13.333 * 60 - 0.5), 450)  # 16:9 at 60 dpi
    sheets = pd.read_excel(out.with_suffix(".xlsx"), sheet_name=None)
    assert "关键数字" in sheets and "断面" in sheets
    about = sheets["说明"].set_index("项目")["数值"].to_dict()
    assert about["时段"] == "2023年6月（当月）" and about["统计截至"] == "2023-12-31"


@pytest.mark.parametrize("layout, fmt", [("a4", "pdf"), ("a4-landscape", "pdf"), ("a4", "png")])
def test_every_layout_and_format(run, tmp_path, layout, fmt):
    out = tmp_path / f"x.{fmt}"
    result = run("brief", "--area", "运城市", "--subject", "tasks", "--year", "2023", "--as-of", "2023-12-31",
                 "--layout", layout, "--format", fmt, "--out", out, "--dpi", "40")
    assert result.exit_code == 0, result.output
    head = out.read_bytes()[:8]
    assert head.startswith(b"%PDF") if fmt == "pdf" else head.startswith(b"\x89PNG")


def test_all_counties_writes_one_per_county(run, tmp_path):
    result = run("brief", "--all-counties", "--area", "晋城市", "--subject", "enterprises", "--year", "2023",
                 "--as-of", "2023-12-31", "--out", tmp_path / "out", "--dpi", "30")
    assert result.exit_code == 0, result.output
    made = sorted(p.name for p in (tmp_path / "out").glob("*.png"))
    assert made == sorted(f"{c}-enterprises-2023-slide.png" for c in
                          ("城区", "开发区", "沁水县", "阳城县", "陵川县", "泽州县", "高平市"))
    assert len(list((tmp_path / "out").glob("*.xlsx"))) == len(made)


def test_a_configured_map_approval_number_is_printed(run, tmp_path, monkeypatch):
    monkeypatch.setenv("ENVMAP_MAP_APPROVAL", "晋S（2024）001号")
    out = tmp_path / "m.png"
    assert run("brief", "--area", "襄垣县", "--year", "2023", "--out", out, "--dpi", "30").exit_code == 0
    about = pd.read_excel(out.with_suffix(".xlsx"), sheet_name="说明").set_index("项目")["数值"].to_dict()
    assert about["地图使用标注"] == "晋S（2024）001号"


@pytest.mark.parametrize("args, words", [
    (["--area", "太原市"], "没有辖区“太原市”"),
    (["--area", "襄垣县", "--format", "pdf"], "扩展名应为 .pdf"),
    (["--all-counties", "--area", "襄垣县"], "--all-counties"),
])
def test_refusals_are_in_chinese_and_write_nothing(run, tmp_path, args, words):
    out = tmp_path / "x.png"
    result = run("brief", *args, "--out", out, "--dpi", "30")
    assert result.exit_code == 1
    assert words in result.output
    assert not out.exists()
