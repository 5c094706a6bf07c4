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


@main.command("evaluate")
@click.argument("infile", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--standard", type=click.Choice(["surface", "groundwater"]), default="surface", show_default=True,
              help="surface = GB 3838-2002 地表水；groundwater = GB/T 14848-2017 地下水。")
@click.option("--waterbody", type=click.Choice(["auto", "river", "lake", "reservoir"]), default="auto", show_default=True,
              help="auto = 按文件的水体类型列、断面清单或名称判断；river 河流；lake/reservoir 湖库（总磷限值不同，另报总氮）。")
@click.option("--year", type=click.IntRange(1970, 2100), default=None,
              help="监测时间没有年份时（如国家平台的“11-18 16:00”）所属的年份。")
@click.option("--source", "method", type=click.Choice(["detect", "auto", "manual"]), default="detect", show_default=True,
              help="auto = 自动站读数（按小时数据修约评价）；manual = 手工监测；detect = 按时间和列自动判断。")
@click.option("--sites", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="断面清单（CSV/Excel：断面名称，可含省份、流域、所属河流、水体类型），用于判断湖库。")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None, help="输出 .csv 或 .xlsx（默认标准输出）。")
def evaluate(infile: Path, standard: str, waterbody: str, year: int | None, method: str, sites: Path | None,
             out: Path | None) -> None:
    """按国家标准评价监测结果：逐项类别、水质类别、超标倍数、主要污染指标；与文件自带水质类别比对。"""
    from geodata.quality.evaluate_file import evaluate_file, write_evaluation
    from geodata.safeio import MONITORING, check_size, file_size

    try:
        check_size(infile.name, file_size(infile), MONITORING.file_bytes, MONITORING.label)
        result = evaluate_file(infile, standard=standard, waterbody=waterbody, year=year, method=method, sites=sites)
        frame = result.frame
        if out:
            write_evaluation(frame, out)
        else:
            buf = io.StringIO()
            frame.to_csv(buf, index=False, lineterminator="\n")
            click.echo(buf.getvalue(), nl=False)
    except EnvmapError as exc:
        _fail(exc)
        return
    for notice in result.notices:
        click.echo(f"{i18n.t('warning')}：{notice}", err=True)
    agreement = result.agreement
    if agreement["rows"]:
        click.echo(i18n.t("evaluate_agreement", agree=agreement["agree"], rows=agreement["rows"], share=agreement["share"]),
                   err=True)
    if out:
        click.echo(i18n.t("evaluated", n=len(frame), out=out), err=True)


def _waterbody_option(values: tuple[str, ...]) -> str | dict[str, str] | None:
    if not values:
        return None
    if len(values) == 1 and "=" not in values[0]:
        return values[0]
    pairs: dict[str, str] = {}
    for value in values:
        if "=" not in value:
            raise EnvmapError(f"--waterbody “{value}” 应写作 断面名称=类型（如 九女湖=lake），或只写一个类型用于整个文件。")
        site, kind = value.split("=", 1)
        pairs[site.strip()] = kind.strip()
    return pairs


@main.command("import-monitoring")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True,
              help="其他文件已有同一点位、时间、项目的值时，以本文件为准替换，并列出被替换的文件和断面（默认拒绝并指出文件）。")
@click.option("--dry-run", is_flag=True, help="只预览：执行与导入完全相同的检查（在回滚的事务中写入），列出将导入的数据和全部问题。")
@click.option("--standard", type=click.Choice(["auto", "surface", "groundwater"]), default="auto", show_default=True,
              help="auto = 按点位判断；surface = 地表水断面（GB 3838）；groundwater = 地下水点位（GB/T 14848）。")
@click.option("--year", type=click.IntRange(1970, 2100), default=None,
              help="监测时间没有年份时（如国家平台的“11-18 16:00”）所属的年份；不会被猜测。")
@click.option("--new-sites", type=click.Choice(["ask", "import", "skip"]), default="ask", show_default=True,
              help="文件中有未登记的断面时：ask 列出并拒绝导入；import 作为新断面导入（未定位）；skip 跳过这些断面的数据。")
@click.option("--source", "method", type=click.Choice(["detect", "auto", "manual"]), default="detect", show_default=True,
              help="auto = 自动站数据；manual = 手工监测；detect = 按时间和列自动判断。")
@click.option("--waterbody", multiple=True, metavar="[断面=]类型",
              help="覆盖断面的水体类型（river/lake/reservoir 或 河流/湖泊/水库）：一个类型用于整个文件，或 断面名称=类型，可重复。")
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=None)
def import_monitoring_cmd(file: Path, replace: bool, dry_run: bool, standard: str, year: int | None, new_sites: str,
                          method: str, waterbody: tuple[str, ...], db: Path | None) -> None:
    """导入监测结果（CSV/Excel，UTF-8 或 GBK，宽表或长表，含国家平台导出表）。整个文件一次导入，有任何问题则不导入。"""
    from geodata.quality.monitoring import import_monitoring, preview_monitoring
    from geodata.store import open_store

    try:
        store = open_store(db)
        options = {"replace": replace, "year": year, "new_sites": new_sites, "method": method,
                   "waterbody": _waterbody_option(waterbody)}
        if dry_run:
            preview = preview_monitoring(file, None, store, standard, **options)
            _echo_preview(preview)
            sys.exit(1 if preview.problems else 0)
        result = import_monitoring(file, store, standard=standard, **options)
    except EnvmapError as exc:
        _fail(exc)
        return
    for notice in result["notices"]:
        click.echo(f"{i18n.t('warning')}：{notice}")
    _echo_differences(result["agreement"])
    click.echo(i18n.t("monitoring_imported", n=result["values"], file=result["file"], sites=result["sites"]))
    if result["new_sites"]:
        click.echo(i18n.t("monitoring_new_sites", n=result["new_sites"]))
    if result["replaced_same_file"] or result["replaced_other"]:
        click.echo(i18n.t("monitoring_replaced", same=result["replaced_same_file"], other=result["replaced_other"]))
    for line in result["replaced"]:
        click.echo(f"  {i18n.t('monitoring_replaced_item')}{line}")


def _echo_differences(agreement: dict) -> None:
    differences = agreement.get("differences") or []
    for d in differences[:20]:
        click.echo(i18n.t("monitoring_class_difference", line=d["line"], site=d["site"], when=f"{d['date']} {d['time']}".strip(),
                          computed=d["class"] or "—", reported=d["reported_class"]))
    if len(differences) > 20:
        click.echo(i18n.t("monitoring_more_differences", n=len(differences) - 20))


def _echo_preview(preview) -> None:  # noqa: ANN001 - MonitoringPreview
    counts = preview.counts
    click.echo(i18n.t("monitoring_preview_head", file=preview.file, kind=i18n.t(f"monitoring_kind_{preview.standard}"),
                      sites=counts["sites"], samples=counts["samples"], n=counts["values"]))
    click.echo(i18n.t("monitoring_preview_method", method=i18n.t(f"monitoring_method_{preview.method}")))
    for r in preview.summary().itertuples(index=False):
        click.echo(i18n.t("monitoring_preview_site", name=r.site_name, id=r.site_id, samples=r.samples,
                          values=r.values, first=r.first, last=r.last))
    for notice in preview.notices:
        click.echo(f"{i18n.t('warning')}：{notice}")
    _echo_differences(preview.agreement)
    if preview.new_sites:
        click.echo(i18n.t("monitoring_preview_new_sites", n=len(preview.new_sites)))
    if preview.replaced_same_file:
        click.echo(i18n.t("monitoring_preview_reimport", n=preview.replaced_same_file))
    if preview.replaced_other:
        click.echo(i18n.t("monitoring_preview_conflicts", n=preview.conflicts))
        for line in preview.replaced_text():
            click.echo(f"  {i18n.t('monitoring_replaced_item')}{line}")
    if preview.problems:
        click.echo(i18n.t("monitoring_problems_head", n=len(preview.problems)))
        for problem in preview.problems[:100]:
            click.echo(f"  - {problem}")
        if len(preview.problems) > 100:
            click.echo(i18n.t("monitoring_more_problems", n=len(preview.problems) - 100))
    click.echo(i18n.t("preview_done", n=counts["values"], problems=len(preview.problems)))


@main.command("samples")
@click.option("--seed", type=int, default=20231, show_default=True, help="随机种子：同一种子生成同样的数据。")
@click.option("--remove", is_flag=True, help="删除全部示例数据（导入的实测数据不受影响）。")
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=None)
def samples(seed: int, remove: bool, db: Path | None) -> None:
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


EXPORTABLE = [*TABLES, "measurements", "evaluations"]


@main.command("export")
@click.argument("table", type=click.Choice(EXPORTABLE))
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "geojson"]), default="csv", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None, help="输出文件（默认标准输出，仅 csv/geojson）。")
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=None)
def export(table: str, fmt: str, out: Path | None, db: Path | None) -> None:
    """导出一张表：csv（默认，UTF-8）、xlsx 或 geojson（WGS84）。列名见 README。"""
    from geodata.export import to_csv, to_geojson, to_xlsx
    from geodata.store import open_store

    try:
        store = open_store(db)
        if table == "measurements":
            from geodata.quality.evaluations import SAMPLE_NOTE

            frame = store.read_measurements().drop(columns=["fid"])
            frame["data_note"] = frame["is_sample"].map(lambda v: SAMPLE_NOTE if int(v) else "")
        elif table == "evaluations":
            from geodata.quality.evaluations import section_evaluations

            frame = section_evaluations(store, "month")
        else:
            frame = store.read_table(table)
        if fmt == "xlsx":
            if out is None:
                raise EnvmapError("xlsx 格式需要用 --out 指定输出文件。")
            out.write_bytes(to_xlsx(frame, table))
        elif fmt == "geojson":
            if table not in TABLES:
                raise EnvmapError(f"{table} 没有位置，不能导出为 geojson。请用 csv 或 xlsx。")
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
           "--server.address", host, "--browser.gatherUsageStats", "false", "--server.headless", "true",
           "--server.enableStaticServing", "true", "--client.toolbarMode", "minimal",
           "--theme.base", "light", "--theme.primaryColor", "#1e5aa8"]
    raise SystemExit(subprocess.call(cmd))


if __name__ == "__main__":
    main()
