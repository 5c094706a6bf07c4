"""The ``envmap`` command. Each command parses its arguments, calls one geodata function and
prints; errors from the core (:class:`geodata.errors.EnvmapError`) become a Chinese message
on stderr and exit status 1.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import click

from geodata import i18n
from geodata.errors import EnvmapError
from geodata.model import LAYERS, POINT_TABLES, TABLES

DB_HELP = "数据库：GeoPackage 文件路径或 postgresql://… 地址（默认 ENVMAP_DATABASE_URL，否则 ENVMAP_DB）。"


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
              help="数据集目录（默认 data/），生成 plans/*.csv 与 geo/*.geojson。")
@click.option("--plans-only", is_flag=True, help="只重新生成 plans/*.csv（不需要构建期的地理数据包）。")
def build(seeds: Path | None, out: Path | None, plans_only: bool) -> None:
    """从行动计划原文与地理数据源重新生成 data/（确定性：同样的输入得到同样的字节）。"""
    from geodata.plans.dataset import build_dataset, data_dir, seed_files

    root = out or data_dir()
    try:
        files = seed_files(seeds)
        click.echo(i18n.t("build_start", n=len(files), out=root / "plans"))
        counts = build_dataset(files, root / "plans")
        if not plans_only:
            from geodata.geo.build import build_geo, build_placements

            click.echo(i18n.t("build_geo", out=root / "geo"))
            counts |= build_geo(root / "geo")
            counts |= {f"geo:{k}": v for k, v in build_placements(root / "plans", root / "geo").items()}
    except (EnvmapError, ImportError) as exc:
        _fail(exc if isinstance(exc, EnvmapError) else EnvmapError(str(exc)))
        return
    for name, n in counts.items():
        click.echo(f"  {name:<28}{n:>6}")


@main.command("import-plan")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True,
              help="文件标识（文号或文件名）与已导入的另一文件相同时，以本文件替换它（默认拒绝并指出是哪份文件）。")
@click.option("--allow-empty", is_flag=True,
              help="找到标题但没有任何任务、断面、断面目标时仍然导入（默认拒绝并说明）。")
@click.option("--db", default=None, help=DB_HELP)
def import_plan(files: tuple[Path, ...], replace: bool, allow_empty: bool, db: str | None) -> None:
    """导入行动计划文件（.txt/.md，UTF-8 或 GBK；.docx；有文字层的 .pdf）。每个文件一个事务。"""
    from geodata.plans.importer import import_plan as run_import
    from geodata.store import open_store

    try:
        store = open_store(db)
        for path in files:
            result = run_import(path, store, replace=replace, allow_empty=allow_empty)
            doc = result.extraction.document
            click.echo(i18n.t("imported", file=path.name, id=doc["id"], title=doc["title"]))
            if doc["jurisdiction"]:
                click.echo(i18n.t("imported_where", jurisdiction=doc["jurisdiction"],
                                  level=doc["jurisdiction_level"], parent=doc["parent"] or "—"))
            if result.replaced is not None and result.replaced.get("sha256") != doc["sha256"]:
                click.echo(i18n.t("imported_replaced", title=result.replaced.get("title", ""),
                                  file=result.replaced.get("source_file", "")))
            for name, n in result.written.items():
                if n and not name.startswith("task_updates"):
                    click.echo(f"  {name:<24}{n:>6}")
            if result.rekeyed:
                click.echo(i18n.t("imported_rekeyed", n=result.rekeyed))
            if result.orphaned:
                click.echo(i18n.t("imported_orphaned", n=len(result.orphaned), ids="、".join(result.orphaned[:10])))
            for warning in result.warnings:
                click.echo(f"  {i18n.t('warning')}：{warning}")
    except EnvmapError as exc:
        _fail(exc)


@main.command("import-geo")
@click.argument("layer", type=click.Choice(list(POINT_TABLES)))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--crs", required=True, help="文件坐标系：wgs84 | cgcs2000 | gcj02（高德/腾讯）| bd09（百度）。")
@click.option("--db", default=None, help=DB_HELP)
def import_geo(layer: str, file: Path, crs: str, db: str | None) -> None:
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


@main.command("evaluate")
@click.argument("infile", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--standard", type=click.Choice(["surface", "groundwater"]), default="surface", show_default=True,
              help="surface = GB 3838-2002 地表水；groundwater = GB/T 14848-2017 地下水。")
@click.option("--waterbody", type=click.Choice(["river", "lake"]), default="river", show_default=True,
              help="河流或湖库（总磷限值不同，湖库另报总氮）。")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None, help="输出 .csv 或 .xlsx（默认标准输出）。")
def evaluate(infile: Path, standard: str, waterbody: str, out: Path | None) -> None:
    """按国家标准评价监测结果：逐项类别、水质类别、超标倍数、主要污染指标。"""
    from geodata.quality import evaluate_csv, write_evaluation

    try:
        frame = evaluate_csv(infile, standard=standard, waterbody=waterbody)
        if out:
            write_evaluation(frame, out)
        else:
            buf = io.StringIO()
            frame.to_csv(buf, index=False, lineterminator="\n")
            click.echo(buf.getvalue(), nl=False)
    except EnvmapError as exc:
        _fail(exc)
        return
    if out:
        click.echo(i18n.t("evaluated", n=len(frame), out=out), err=True)


@main.command("import-monitoring")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True,
              help="其他文件已有同一点位、日期、项目的值时，以本文件为准覆盖（默认拒绝并指出是哪个文件）。")
@click.option("--dry-run", is_flag=True, help="只预览：按点位列出将导入的数据和所有问题行，不写入。")
@click.option("--standard", type=click.Choice(["auto", "surface", "groundwater"]), default="auto", show_default=True,
              help="auto = 按点位判断；surface = 地表水断面（GB 3838）；groundwater = 地下水点位（GB/T 14848）。")
@click.option("--db", default=None, help=DB_HELP)
def import_monitoring_cmd(file: Path, replace: bool, dry_run: bool, standard: str, db: str | None) -> None:
    """导入监测结果（CSV/Excel，UTF-8 或 GBK，宽表或长表）。整个文件一次导入，有任何问题则不导入。"""
    from geodata.quality.monitoring import import_monitoring, preview_monitoring
    from geodata.store import open_store

    try:
        store = open_store(db)
        if dry_run:
            preview = preview_monitoring(file, None, store, standard, replace=replace)
            _echo_preview(preview)
            sys.exit(1 if preview.problems else 0)
        result = import_monitoring(file, store, replace, standard=standard)
    except EnvmapError as exc:
        _fail(exc)
        return
    click.echo(i18n.t("monitoring_imported", n=result["values"], file=result["file"], sites=result["sites"]))
    if result["replaced_same_file"] or result["replaced_other"]:
        click.echo(i18n.t("monitoring_replaced", same=result["replaced_same_file"], other=result["replaced_other"]))


def _echo_preview(preview) -> None:  # noqa: ANN001 - MonitoringPreview
    counts = preview.counts
    click.echo(i18n.t("monitoring_preview_head", file=preview.file, kind=i18n.t(f"monitoring_kind_{preview.standard}"),
                      sites=counts["sites"], samples=counts["samples"], n=counts["values"]))
    for r in preview.summary().itertuples(index=False):
        click.echo(i18n.t("monitoring_preview_site", name=r.site_name, id=r.site_id, samples=r.samples,
                          values=r.values, first=r.first, last=r.last))
    if preview.replaced_same_file:
        click.echo(i18n.t("monitoring_preview_reimport", n=preview.replaced_same_file))
    if preview.conflicts:
        click.echo(i18n.t("monitoring_preview_conflicts", n=preview.conflicts))
    if preview.problems:
        click.echo(i18n.t("monitoring_problems_head", n=len(preview.problems)))
        for problem in preview.problems:
            click.echo(f"  - {problem}")
    click.echo(i18n.t("preview_done", n=counts["values"], problems=len(preview.problems)))


@main.command("samples")
@click.option("--seed", type=int, default=20231, show_default=True, help="随机种子：同一种子生成同样的数据。")
@click.option("--remove", is_flag=True, help="删除全部示例数据（导入的实测数据不受影响）。")
@click.option("--db", default=None, help=DB_HELP)
def samples(seed: int, remove: bool, db: str | None) -> None:
    """生成或删除示例监测数据（示例数据（非实测），仅用于演示；每个断面、地下水点位逐月）。"""
    from geodata.quality.samples import load_samples, remove_samples
    from geodata.store import open_store

    try:
        store = open_store(db)
        if remove:
            click.echo(i18n.t("samples_removed", n=remove_samples(store)))
            return
        before = store.data_version()
        n = load_samples(store, seed)
    except EnvmapError as exc:
        _fail(exc)
        return
    key = "samples_unchanged" if store.data_version() == before else "samples_loaded"
    click.echo(i18n.t(key, n=n, seed=seed))


EXPORTABLE = [*TABLES, *LAYERS, "measurements", "evaluations", "task_updates"]


@main.command("export")
@click.argument("table", type=click.Choice(EXPORTABLE))
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "geojson"]), default="csv", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None, help="输出文件（默认标准输出，仅 csv/geojson）。")
@click.option("--db", default=None, help=DB_HELP)
def export(table: str, fmt: str, out: Path | None, db: str | None) -> None:
    """导出一张表或一个图层：csv（默认，UTF-8）、xlsx 或 geojson（WGS84，仅有几何的表与图层）。列名见 README。"""
    from geodata.export import export_frame, geometry_tables, has_geometry, to_csv, to_geojson, to_xlsx
    from geodata.store import open_store

    note = ""
    try:
        if fmt == "geojson" and not has_geometry(table):
            raise EnvmapError(i18n.t("export_no_geometry", table=table, layers="、".join(geometry_tables())))
        if fmt == "xlsx" and out is None:
            raise EnvmapError("xlsx 格式需要用 --out 指定输出文件。")
        store = open_store(db)
        if fmt == "geojson":
            layer = store.read_layer(table)
            frame = layer
            text = json.dumps(to_geojson(layer, table), ensure_ascii=False, indent=1)
            _write_text(text, out)
        else:
            frame, omitted = export_frame(store, table, for_excel=fmt == "xlsx")
            note = i18n.t("export_xlsx_no_geometry", table=table) if omitted else ""
            if fmt == "xlsx":
                out.write_bytes(to_xlsx(frame, table))  # type: ignore[union-attr]
            else:
                buf = io.StringIO()
                to_csv(frame, buf)
                _write_text(buf.getvalue(), out)
    except EnvmapError as exc:
        _fail(exc)
        return
    if note:
        click.echo(note, err=True)
    if out:
        click.echo(i18n.t("exported", n=len(frame), table=table, out=out), err=True)


def _write_text(text: str, out: Path | None) -> None:
    if out is None:
        click.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")


REPO = Path(__file__).resolve().parents[1]
STREAMLIT_CONFIG = REPO / ".streamlit" / "config.toml"
_BASE_PATH = re.compile(r"[A-Za-z0-9._~-]+(/[A-Za-z0-9._~-]+)*")


def _base_path(value: str) -> str:
    """``/envmap/`` -> ``envmap`` (Streamlit's ``server.baseUrlPath``); ``""`` or ``/`` -> ``""``."""
    path = value.strip().strip("/")
    if path and (not _BASE_PATH.fullmatch(path) or any(part in {".", ".."} for part in path.split("/"))):
        raise click.BadParameter(i18n.t("serve_bad_base_path", value=value), param_hint="--base-path")
    return path


def _flags(table: dict, prefix: str = "") -> list[str]:
    """``{"server": {"headless": True}}`` -> ``["--server.headless=true"]`` (nested tables too)."""
    flags: list[str] = []
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flags += _flags(value, f"{name}.")
        else:
            for item in value if isinstance(value, list) else [value]:
                text = ("true" if item else "false") if isinstance(item, bool) else str(item)
                flags.append(f"--{name}={text}")
    return flags


def streamlit_command(*, port: int, host: str, base_path: str, config: Path | None = None) -> list[str]:
    """The ``streamlit run`` command line of ``envmap serve``: every setting of the repository's
    ``.streamlit/config.toml`` (so the working directory does not matter), then the options."""
    config = config or STREAMLIT_CONFIG
    if not config.is_file():
        raise EnvmapError(i18n.t("serve_no_config", path=config))
    settings = tomllib.loads(config.read_text(encoding="utf-8"))
    # where Streamlit looks for secrets.toml (user, working directory, next to the app), plus the
    # repository's .streamlit/, which Streamlit only finds when started from the repository
    secrets = [Path.home() / ".streamlit" / "secrets.toml", REPO / ".streamlit" / "secrets.toml",
               Path.cwd() / ".streamlit" / "secrets.toml", REPO / "dashboard" / ".streamlit" / "secrets.toml"]
    return [
        sys.executable, "-m", "streamlit", "run", str(REPO / "dashboard" / "app.py"),
        *_flags(settings),
        *[f"--secrets.files={p}" for p in dict.fromkeys(str(s) for s in secrets)],
        f"--server.port={port}", f"--server.address={host}", f"--server.baseUrlPath={base_path}",
    ]


@main.group("db")
def db_group() -> None:
    """数据库维护：升级结构（envmap db upgrade）、查看状态（info）、在 GeoPackage 与 PostGIS 之间复制（copy）。"""


@db_group.command("upgrade")
@click.option("--db", default=None, help=DB_HELP)
def db_upgrade(db: str | None) -> None:
    """把旧版本建立的数据库升级到当前结构（原地升级，保留全部数据；GeoPackage 先自动备份）。"""
    from geodata.store import connect

    try:
        store = connect(db, upgrade=False)
        result = store.upgrade()  # type: ignore[attr-defined]
    except EnvmapError as exc:
        _fail(exc)
        return
    if result["from"] == result["to"]:
        click.echo(i18n.t("db_current", location=store.location, new=result["to"]))
    else:
        click.echo(i18n.t("db_upgraded", location=store.location, old=result["from"] or 0, new=result["to"]))
        for step in result["steps"]:
            click.echo(f"  {step}")
    if result.get("backup"):
        click.echo(i18n.t("db_backup", path=result["backup"]))
    store.close()


@db_group.command("info")
@click.option("--db", default=None, help=DB_HELP)
def db_info(db: str | None) -> None:
    """数据库的位置、结构版本、状态，以及每张表（图层）的几何类型与行数。"""
    from geodata.store import connect
    from geodata.store.schema import STORED_TABLES

    try:
        store = connect(db, upgrade=False)
        state = store.status()
        click.echo(i18n.t("db_info_head", location=store.location, backend=store.backend,
                          schema=store.schema_version(), data=store.data_version()))
        click.echo(i18n.t("db_info_writable") if state.writable and not state.message
                   else i18n.t("db_info_state", message=state.message))
        counts = store.table_counts()
    except EnvmapError as exc:
        _fail(exc)
        return
    for name, table in STORED_TABLES.items():
        kind = table.geometry or "—"
        click.echo(f"  {name:<26}{kind:<17}{counts[name]:>8}")
    store.close()


@db_group.command("copy")
@click.option("--from", "source", required=True, help="来源数据库（GeoPackage 路径或 postgresql://…），只读打开。")
@click.option("--to", "target", required=True, help="目标数据库；不存在时新建（GeoPackage 文件或 PostgreSQL 中的空 schema）。")
@click.option("--replace", is_flag=True, help="目标库已有数据时用来源库覆盖（默认拒绝）。")
def db_copy(source: str, target: str, replace: bool) -> None:
    """复制整个数据库（GeoPackage ⇄ PostGIS），按每张表的行数与校验值核对。"""
    from geodata.store import connect
    from geodata.store.copy import copy_store

    try:
        src = connect(source, read_only=True)
        dst = connect(target)
        click.echo(i18n.t("db_copy_head", source=src.location, target=dst.location))
        report = copy_store(src, dst, replace=replace)
    except EnvmapError as exc:
        _fail(exc)
        return
    for item in report:
        click.echo(i18n.t("db_copy_table", table=item.table, rows=item.rows, checksum=item.target_checksum[:12],
                          result=i18n.t("db_copy_ok" if item.matches else "db_copy_mismatch")))
    bad = [item.table for item in report if not item.matches]
    if bad:
        click.echo(f"{i18n.t('error')}：{i18n.t('db_copy_failed', tables='、'.join(bad))}", err=True)
        sys.exit(1)
    click.echo(i18n.t("db_copy_done", tables=len(report), rows=sum(item.rows for item in report)))
    src.close()
    dst.close()


@main.command("brief")
@click.option("--area", default="", help="市或县（市、区）名称，如 襄垣县、运城市；不写为全部辖区。")
@click.option("--subject", type=click.Choice(["water", "groundwater", "enterprises", "tasks"]), default="water",
              show_default=True, help="主题：水环境 | 地下水 | 重点企业 | 挂图作战（任务与企业进展）。")
@click.option("--year", type=int, default=None, help="年份（默认：有目标或监测数据的最近一年）。")
@click.option("--month", type=click.IntRange(1, 12), default=None, help="月份 1–12：当月类别（不写为全年）。")
@click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="统计截至日期 YYYY-MM-DD（任务状态按这一天；默认今天）。")
@click.option("--layout", type=click.Choice(["slide", "a4", "a4-landscape"]), default="slide", show_default=True,
              help="版式：16:9 幻灯片 | A4 纵向 | A4 横向。")
@click.option("--format", "fmt", type=click.Choice(["png", "pdf"]), default="png", show_default=True)
@click.option("--dpi", type=click.IntRange(30, 600), default=None,
              help="PNG 分辨率（默认 150，屏幕与幻灯片；印刷用 300）。")
@click.option("--out", type=click.Path(path_type=Path), required=True,
              help="输出文件；--all-counties 时为目录。同名 .xlsx（图中数字与所依据的表）写在旁边。")
@click.option("--all-counties", is_flag=True, help="每个县（市、区）各出一张（--area 为市时只出该市的县）。")
@click.option("--db", default=None, help=DB_HELP)
def brief(area: str, subject: str, year: int | None, month: int | None, as_of, layout: str, fmt: str,  # noqa: ANN001
          dpi: int | None, out: Path, all_counties: bool, db: str | None) -> None:
    """导出简报图（PNG/PDF，可直接放进幻灯片）及同名 Excel：标题、数据日期、地图、图例、比例尺、指北针、关键数字、来源。"""
    import datetime as dt

    from geodata.brief import SCREEN_DPI, BriefRequest, StoreSource, make_brief, map_mark
    from geodata.brief.request import default_year, resolve_area
    from geodata.store import open_store

    try:
        source = StoreSource(open_store(db))
        areas = source.areas()
        chosen = resolve_area(area, areas)
        years = source.years()
        the_year = year if year is not None else default_year(years, source.years_with_results())
        day = as_of.date() if as_of else dt.date.today()
        base = dict(subject=subject, year=the_year, month=month, as_of=day, layout=layout, fmt=fmt,
                    dpi=dpi or SCREEN_DPI, map_mark=map_mark())
        if all_counties:
            if chosen.county:
                raise EnvmapError(f"--all-counties 与县级 --area（{chosen.county}）不能同用：--area 写市名或不写。")
            targets = _county_areas(areas, chosen.city)
            if not targets:
                raise EnvmapError("数据中没有县（市、区）可导出。")
            out.mkdir(parents=True, exist_ok=True)
            paths = []
            for target in targets:
                made = make_brief(source, BriefRequest(area=target, **base))
                paths.append(_write_brief(made, out / made.filename))
        else:
            if out.suffix.lower() != f".{fmt}":
                raise EnvmapError(f"输出文件 {out} 的扩展名应为 .{fmt}（或用 --format 指定格式）。")
            made = make_brief(source, BriefRequest(area=chosen, **base))
            paths = [_write_brief(made, out)]
    except EnvmapError as exc:
        _fail(exc)
        return
    for path in paths:
        click.echo(i18n.t("brief_written", out=path, workbook=path.with_suffix(".xlsx").name))


def _county_areas(areas: dict[str, list[str]], city: str) -> list:
    from geodata.areas import Area

    return [Area(c, county) for c, counties in areas.items() if not city or c == city for county in counties]


def _write_brief(made, path: Path) -> Path:  # noqa: ANN001 - geodata.brief.Brief
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(made.image)
    path.with_suffix(".xlsx").write_bytes(made.workbook)
    return path


@main.command("serve")
@click.option("--port", default=8501, show_default=True, help="监听端口。")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="监听地址；经反向代理时保持 127.0.0.1，不经代理直接供内网访问时用 0.0.0.0。")
@click.option("--base-path", default="", metavar="/PREFIX",
              help="反向代理下的路径前缀，如 /envmap：代理原样转发前缀时设置；代理去掉前缀时不要设置。")
def serve(port: int, host: str, base_path: str) -> None:
    """启动仪表盘（Streamlit）。本进程被 Streamlit 取代，按 PID 停止即停止服务。"""
    from geodata.store import open_store

    try:
        cmd = streamlit_command(port=port, host=host, base_path=_base_path(base_path))
        open_store().close()  # create and fill the store before the first page loads
    except EnvmapError as exc:
        _fail(exc)
        return
    # Leaflet's files in dashboard/static/vendor before the server starts (dashboard's own command:
    # geodata does not import the UI); it prints its own message when it cannot.
    if subprocess.call([sys.executable, "-m", "dashboard.assets"], stdout=subprocess.DEVNULL) != 0:
        sys.exit(1)
    sys.stdout.flush()
    sys.stderr.flush()
    if os.name == "posix":
        os.execv(sys.executable, cmd)  # same PID: SIGTERM/SIGINT to it reach the server itself
    raise SystemExit(subprocess.call(cmd))  # Windows: Ctrl+C reaches the whole console group


if __name__ == "__main__":
    main()
