"""The ``envmap`` command. Each command parses its arguments, calls one geodata function and
prints; errors from the core (:class:`geodata.errors.EnvmapError`) become a Chinese message
on stderr and exit status 1.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import click

from geodata import i18n
from geodata.errors import EnvmapError
from geodata.model import POINT_TABLES, TABLES


def _fail(exc: EnvmapError) -> None:
    click.echo(f"{i18n.t('error')}：{exc}", err=True)
    sys.exit(1)


@click.group(help=i18n.t("cli_help"))
@click.version_option(package_name="envmap")
def main() -> None:
    pass


@main.command("build")
@click.option("--seeds", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="行动计划原文目录（默认 data/seeds）。")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="输出目录（默认 data/plans）。")
def build(seeds: Path | None, out: Path | None) -> None:
    """从行动计划原文重新生成 data/plans/*.csv（确定性：同样的输入得到同样的字节）。"""
    from geodata.plans.dataset import build_dataset, data_dir, seed_files

    try:
        files = seed_files(seeds)
        target = out or data_dir() / "plans"
        click.echo(i18n.t("build_start", n=len(files), out=target))
        counts = build_dataset(files, target)
    except EnvmapError as exc:
        _fail(exc)
        return
    for name, n in counts.items():
        click.echo(f"  {name:<24}{n:>6}")


@main.command("import-plan")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=None, help="GeoPackage 路径（默认 ENVMAP_DB）。")
def import_plan(files: tuple[Path, ...], db: Path | None) -> None:
    """导入行动计划文件（.txt/.md，UTF-8 或 GBK；.docx）。同一文件再次导入时替换其原有记录。"""
    from geodata.plans.extract import extract_document
    from geodata.store import open_store

    try:
        store = open_store(db)
        for path in files:
            extraction = extract_document(path)
            written = store.replace_document(extraction)
            doc = extraction.document
            click.echo(i18n.t("imported", file=path.name, id=doc["id"], title=doc["title"]))
            for name, n in written.items():
                if n:
                    click.echo(f"  {name:<24}{n:>6}")
            for warning in extraction.warnings:
                click.echo(f"  {i18n.t('warning')}：{warning}")
    except EnvmapError as exc:
        _fail(exc)


@main.command("import-geo")
@click.argument("layer", type=click.Choice(list(POINT_TABLES)))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--crs", required=True, help="文件坐标系：wgs84 | cgcs2000 | gcj02（高德/腾讯）| bd09（百度）。")
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=None)
def import_geo(layer: str, file: Path, crs: str, db: Path | None) -> None:
    """导入更精确的点位坐标（GeoJSON、压缩的 Shapefile、GeoPackage、含经纬度列的 CSV）。

    按 id 或名称匹配已有记录，换算为 WGS84 后设为精度 exact；任何一行有问题则整个文件不导入。
    """
    from geodata.geo.geoimport import read_locations
    from geodata.store import open_store

    try:
        store = open_store(db)
        updates = read_locations(file, layer, crs, store.read_table(layer))
        store.set_locations(
            [
                {"layer": u.layer, "record_id": u.record_id, "lon": u.lon, "lat": u.lat, "precision": u.precision,
                 "method": u.method, "source": u.source_file, "source_row": u.source_row, "crs": u.crs}
                for u in updates
            ]
        )
    except EnvmapError as exc:
        _fail(exc)
        return
    click.echo(i18n.t("geo_imported", n=len(updates), layer=layer, file=file.name))
    for u in updates:
        click.echo(f"  {u.name}：{u.lon:.6f}, {u.lat:.6f}（第 {u.source_row} 行）")


@main.command("export")
@click.argument("table", type=click.Choice(list(TABLES)))
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "geojson"]), default="csv", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None, help="输出文件（默认标准输出，仅 csv/geojson）。")
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=None)
def export(table: str, fmt: str, out: Path | None, db: Path | None) -> None:
    """导出一张表：csv（默认，UTF-8）、xlsx 或 geojson（WGS84）。列名见 README。"""
    from geodata.export import to_csv, to_geojson, to_xlsx
    from geodata.store import open_store

    try:
        frame = open_store(db).read_table(table)
        if fmt == "xlsx":
            if out is None:
                raise EnvmapError("xlsx 格式需要用 --out 指定输出文件。")
            out.write_bytes(to_xlsx(frame, table))
        elif fmt == "geojson":
            text = json.dumps(to_geojson(frame, table), ensure_ascii=False, indent=1)
            _write_text(text, out)
        else:
            buf = io.StringIO()
            to_csv(frame, buf)
            _write_text(buf.getvalue(), out)
    except EnvmapError as exc:
        _fail(exc)
        return
    if out:
        click.echo(i18n.t("exported", n=len(frame), table=table, out=out), err=True)


def _write_text(text: str, out: Path | None) -> None:
    if out is None:
        click.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")


@main.command("serve")
@click.option("--port", default=8501, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址；内网部署用 0.0.0.0。")
def serve(port: int, host: str) -> None:
    """启动仪表盘（Streamlit）。"""
    from geodata.store import open_store

    try:
        open_store().close()  # create and fill the store before the first page loads
    except EnvmapError as exc:
        _fail(exc)
    app = Path(__file__).resolve().parents[1] / "dashboard" / "app.py"
    cmd = [sys.executable, "-m", "streamlit", "run", str(app), "--server.port", str(port),
           "--server.address", host, "--browser.gatherUsageStats", "false", "--server.headless", "true"]
    raise SystemExit(subprocess.call(cmd))


if __name__ == "__main__":
    main()
