"""The ``envmap`` command. Each command parses its arguments, calls one geodata function and
prints; errors from the core (:class:`geodata.errors.EnvmapError`) become a Chinese message
on stderr and exit status 1.
"""

from __future__ import annotations

import io
import json
import re
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
            store.log_action(cli_actor(), "import-plan", f"{path.name} → {doc['id']}")
            click.echo(i18n.t("imported", file=path.name, id=doc["id"], title=doc["title"]))
            if doc["jurisdiction"]:
                click.echo(i18n.t("imported_where", jurisdiction=doc["jurisdiction"],
                                  level=doc["jurisdiction_level"], parent=doc["parent"] or "—"))
            if result.replaced is not None and result.replaced.get("sha256") != doc["sha256"]:
                click.echo(i18n.t("imported_replaced", title=result.replaced.get("title", ""),
                                  file=result.replaced.get("source_file", "")))
            for name, n in result.written.items():
                if n and not name.startswith("task_events"):
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
        store.log_action(cli_actor(), "import-geo", f"{file.name} → {layer}（{len(updates)}）")
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
@click.option("--db", default=None, help=DB_HELP)
def import_monitoring_cmd(file: Path, replace: bool, dry_run: bool, standard: str, year: int | None, new_sites: str,
                          method: str, waterbody: tuple[str, ...], db: str | None) -> None:
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
        store.log_action(cli_actor(), "import-monitoring", f"{file.name}（{result['values']}）")
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
@click.option("--db", default=None, help=DB_HELP)
def samples(seed: int, remove: bool, db: str | None) -> None:
    """生成或删除示例监测数据（示例数据（非实测），仅用于演示；每个断面、地下水点位逐月）。"""
    from geodata.quality.samples import load_samples, remove_samples
    from geodata.store import open_store

    try:
        store = open_store(db)
        if remove:
            n = remove_samples(store)
            store.log_action(cli_actor(), "samples --remove", str(n))
            click.echo(i18n.t("samples_removed", n=n))
            return
        before = store.data_version()
        n = load_samples(store, seed)
    except EnvmapError as exc:
        _fail(exc)
        return
    key = "samples_unchanged" if store.data_version() == before else "samples_loaded"
    click.echo(i18n.t(key, n=n, seed=seed))


EXPORTABLE = [*TABLES, *LAYERS, "measurements", "evaluations", "task_events"]


@main.command("export")
@click.argument("table", type=click.Choice(EXPORTABLE))
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "geojson"]), default="csv", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None, help="输出文件（默认标准输出，仅 csv/geojson）。")
@click.option("--db", default=None, help=DB_HELP)
def export(table: str, fmt: str, out: Path | None, db: str | None) -> None:
    """导出一张表或一个图层：csv（默认，UTF-8）、xlsx 或 geojson（WGS84，仅有几何的表与图层）。列名见 README。"""
    from geodata.export import export_frame, geometry_tables, has_geometry, to_geojson
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
            _write_frame(frame, table, out, excel=fmt == "xlsx")
    except EnvmapError as exc:
        _fail(exc)
        return
    if note:
        click.echo(note, err=True)
    if out:
        click.echo(i18n.t("exported", n=len(frame), table=table, out=out), err=True)


def _write_frame(frame, sheet: str, out: Path | None, *, excel: bool) -> None:  # noqa: ANN001 - a DataFrame
    """A table as Excel (sheet ``sheet``) or CSV, formulas neutralised, to ``out`` or standard output."""
    from geodata.export import to_csv, to_xlsx

    if excel:
        out.write_bytes(to_xlsx(frame, sheet))  # type: ignore[union-attr]
        return
    buf = io.StringIO()
    to_csv(frame, buf)
    _write_text(buf.getvalue(), out)


def _write_text(text: str, out: Path | None) -> None:
    if out is None:
        click.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")


# -- accounts and supervision --------------------------------------------------------------------


def cli_actor() -> str:
    """Who a command-line write is recorded as: ``cli:<operating-system user>`` (the audit log)."""
    import getpass

    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def _read_password(prompt: str) -> str:
    """The new password twice: from the terminal without echo, or as two lines of standard input (scripts)."""
    import getpass

    if sys.stdin.isatty():
        first = getpass.getpass(f"{prompt}：")
        second = getpass.getpass(f"{i18n.t('cli_password_again')}：")
    else:
        lines = sys.stdin.read().splitlines()
        if len(lines) < 2:
            raise EnvmapError(i18n.t("cli_password_two_lines"))
        first, second = lines[0], lines[1]
    if first != second:
        raise EnvmapError(i18n.t("cli_password_mismatch"))
    return first


@main.group("user")
def user_group() -> None:
    """本地账户：添加（add）、改口令（passwd）、列出（list）、停用/启用（disable/enable）、登录记录（sign-ins）。"""


@user_group.command("add")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(["viewer", "reporter", "supervisor", "admin"]),
              help="viewer 查看；reporter 填报本单位任务；supervisor 交办、督办、销号、退回；admin 管理员（导入、删除示例数据）。")
@click.option("--unit", "units", multiple=True,
              help="所属单位全称，如“晋城市生态环境局”“陵川县水利局”，或“市生态环境局（晋城市）”；可多次给出。填报账户必填。")
@click.option("--jurisdiction", default="", help="单位名称未写辖区时（如“市生态环境局”）所属的市或县。")
@click.option("--db", default=None, help=DB_HELP)
def user_add(name: str, role: str, units: tuple[str, ...], jurisdiction: str, db: str | None) -> None:
    """添加账户。口令从终端输入两次（不回显）；非终端时从标准输入读两行（用于脚本）。"""
    from geodata.accounts import add_user, check_name, check_role
    from geodata.store import open_store

    try:
        check_name(name)
        check_role(role)
        from geodata.accounts import account_units

        account_units(units, jurisdiction)  # refuse an ambiguous unit before asking for a password
        password = _read_password(i18n.t("cli_password_for", name=name))
        store = open_store(db)
        user = add_user(store, name, role, password, units, jurisdiction=jurisdiction, by=cli_actor())
    except EnvmapError as exc:
        _fail(exc)
        return
    click.echo(i18n.t("cli_user_added", name=user.name, role=i18n.t(f"role_{user.role}"),
                      units="、".join(user.units) or "—"))


@user_group.command("passwd")
@click.argument("name")
@click.option("--db", default=None, help=DB_HELP)
def user_passwd(name: str, db: str | None) -> None:
    """重设账户口令（输入两次；非终端时从标准输入读两行）。"""
    from geodata.accounts import set_password
    from geodata.store import open_store

    try:
        store = open_store(db)
        if store.user_record(name) is None:
            raise EnvmapError(i18n.t("acct_no_such_user", name=name))
        set_password(store, name, _read_password(i18n.t("cli_password_for", name=name)), by=cli_actor())
    except EnvmapError as exc:
        _fail(exc)
        return
    click.echo(i18n.t("cli_user_passwd", name=name))


@user_group.command("list")
@click.option("--db", default=None, help=DB_HELP)
def user_list(db: str | None) -> None:
    """列出全部账户：名称、角色、所属单位、是否停用、建立时间与建立者（不显示口令）。"""
    from geodata.store import open_store

    try:
        users = open_store(db).users()
    except EnvmapError as exc:
        _fail(exc)
        return
    if users.empty:
        click.echo(i18n.t("cli_no_users"))
        return
    for r in users.itertuples():
        state = i18n.t("cli_user_disabled") if int(r.disabled or 0) else ""
        click.echo(f"{r.name}\t{r.role}（{i18n.t(f'role_{r.role}')}）\t{r.units or '—'}\t{r.created_at} {r.created_by}\t{state}")


def _set_disabled(name: str, disabled: bool, db: str | None) -> None:
    from geodata.accounts import set_disabled
    from geodata.store import open_store

    try:
        set_disabled(open_store(db), name, disabled, by=cli_actor())
    except EnvmapError as exc:
        _fail(exc)
        return
    click.echo(i18n.t("cli_user_disabled_now" if disabled else "cli_user_enabled_now", name=name))


@user_group.command("disable")
@click.argument("name")
@click.option("--db", default=None, help=DB_HELP)
def user_disable(name: str, db: str | None) -> None:
    """停用账户：立即不能登录、不能写入（已登录的会话下一次操作即失效）；历史记录保留。"""
    _set_disabled(name, True, db)


@user_group.command("enable")
@click.argument("name")
@click.option("--db", default=None, help=DB_HELP)
def user_enable(name: str, db: str | None) -> None:
    """重新启用已停用的账户。"""
    _set_disabled(name, False, db)


@user_group.command("sign-ins")
@click.option("--name", default=None, help="只看这个账户。")
@click.option("--limit", default=50, show_default=True, help="最多列出多少条（最新的在前）。")
@click.option("--db", default=None, help=DB_HELP)
def user_sign_ins(name: str | None, limit: int, db: str | None) -> None:
    """登录记录：时间、账户、结果（ok 成功、wrong_password 口令错误、unknown_user 无此账户、locked 已暂停、disabled 已停用）。"""
    from geodata.store import open_store

    try:
        rows = open_store(db).sign_ins(name, limit)
    except EnvmapError as exc:
        _fail(exc)
        return
    for r in rows.itertuples():
        click.echo(f"{r.at}\t{r.name}\t{r.outcome}\t{r.client or ''}")


@main.command("import-progress")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--by", "by", required=True, help="以哪个账户的名义登记（账户须有填报或督办权限；填报账户只能登记本单位任务）。")
@click.option("--dry-run", is_flag=True, help="只预览：列出将登记的记录和全部问题行，不写入。")
@click.option("--db", default=None, help=DB_HELP)
def import_progress_cmd(file: Path, by: str, dry_run: bool, db: str | None) -> None:
    """批量登记进展（CSV/Excel：任务编号、状态、日期、说明、文号）。整个文件一次登记，有任何问题则不登记。"""
    from geodata.progress_import import import_progress, preview_progress
    from geodata.store import open_store

    try:
        store = open_store(db)
        content = file.read_bytes()
        if dry_run:
            preview = preview_progress(content, file.name, store, by=by)
            for line, event in zip(preview.lines, preview.events, strict=True):
                click.echo(f"  第 {line} 行：{event.task_id} {i18n.t(f'ev_{event.kind}')} {event.event_date.isoformat()}")
            for problem in preview.problems:
                click.echo(f"  - {problem}")
            click.echo(i18n.t("cli_progress_preview", n=len(preview.events), problems=len(preview.problems)))
            sys.exit(1 if preview.problems else 0)
        written = import_progress(content, file.name, store, by=by)
    except EnvmapError as exc:
        _fail(exc)
        return
    click.echo(i18n.t("cli_progress_imported", n=len(written), file=file.name, by=by))


@main.command("bulletin")
@click.option("--as-of", "as_of", default=None, help="截至日期 YYYY-MM-DD（默认今天）。")
@click.option("--days", default=7, show_default=True, help="统计“本期未报告”的天数：7 为周通报，1 为日调度。")
@click.option("--city", default="", help="只列这个市的单位。")
@click.option("--county", default="", help="只列这个县的单位。")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None, help="输出 .xlsx 或 .csv（默认标准输出 CSV）。")
@click.option("--db", default=None, help=DB_HELP)
def bulletin_cmd(as_of: str | None, days: int, city: str, county: str, out: Path | None, db: str | None) -> None:
    """督办通报：按逾期、逾期未报告、本期未报告任务数给责任单位排名（领导看的周通报）。"""
    import datetime as dt

    from geodata.areas import Area
    from geodata.export import bulletin_frame
    from geodata.store import open_store

    try:
        day = dt.date.fromisoformat(as_of) if as_of else dt.date.today()
    except ValueError:
        _fail(EnvmapError(i18n.t("cli_bad_date", value=as_of)))
        return
    try:
        frame = bulletin_frame(open_store(db), day, days=days, area=Area(city, county))
        _write_frame(frame, i18n.t("bulletin_sheet"), out, excel=out is not None and out.suffix.lower() == ".xlsx")
    except EnvmapError as exc:
        _fail(exc)
        return
    if out:
        click.echo(i18n.t("exported", n=len(frame), table=i18n.t("bulletin_sheet"), out=out), err=True)


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
    """What ``envmap serve`` runs in its own process: ``streamlit run`` through ``dashboard.server`` (which copies
    the map's front-end files and warms the default views in the same process), with every setting of the
    repository's ``.streamlit/config.toml`` (so the working directory does not matter), then the options."""
    config = config or STREAMLIT_CONFIG
    if not config.is_file():
        raise EnvmapError(i18n.t("serve_no_config", path=config))
    settings = tomllib.loads(config.read_text(encoding="utf-8"))
    # where Streamlit looks for secrets.toml (user, working directory, next to the app), plus the
    # repository's .streamlit/, which Streamlit only finds when started from the repository
    secrets = [Path.home() / ".streamlit" / "secrets.toml", REPO / ".streamlit" / "secrets.toml",
               Path.cwd() / ".streamlit" / "secrets.toml", REPO / "dashboard" / ".streamlit" / "secrets.toml"]
    return [
        sys.executable, "-m", "dashboard.server", "run", str(REPO / "dashboard" / "app.py"),
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
@click.option("--cumulative", is_flag=True, help="累计：1 月至 --month 的类别（同页面的“累计”）。")
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
def brief(area: str, subject: str, year: int | None, month: int | None, cumulative: bool, as_of, layout: str,  # noqa: ANN001
          fmt: str, dpi: int | None, out: Path, all_counties: bool, db: str | None) -> None:
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
        base = dict(subject=subject, year=the_year, month=month, cumulative=cumulative, as_of=day, layout=layout, fmt=fmt,
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
    """启动仪表盘（Streamlit，在本进程内运行：按 PID 停止即停止服务）。"""
    from geodata.store import open_store

    try:
        cmd = streamlit_command(port=port, host=host, base_path=_base_path(base_path))
        store = open_store()  # create and fill the store before the first page loads
        from geodata.derived import refresh

        refresh(store)  # and the evaluations the pages read
        store.close()
    except EnvmapError as exc:
        _fail(exc)
        return
    # dashboard.server copies Leaflet's files into dashboard/static/vendor before Streamlit starts (and
    # says why, with status 1, when it cannot), then warms the default views beside it
    sys.stdout.flush()
    sys.stderr.flush()
    _run_in_this_process(cmd)


def _run_in_this_process(cmd: list[str]) -> None:
    """Run ``python -m MODULE ARGS`` (``cmd``) in this process rather than a new one: the same PID (SIGTERM or
    Ctrl+C to it reach the server itself, on every system), and what opening the store loaded (pandas,
    geopandas, shapely: ≈0.7 s of CPU) is not loaded a second time on a cold start."""
    import runpy

    module, args = cmd[2], cmd[3:]
    sys.argv = [module, *args]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
