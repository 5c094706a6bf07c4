"""Importing a bureau's monitoring results: preview every problem, then land the file whole or not at all.

The file (CSV in UTF-8 or GBK, or Excel; wide or long — see ``evaluate_file``) is read with the
same parser as ``envmap evaluate``. On top of it the import checks what only the store knows:
that each site is a known section (surface water) or groundwater point, that dates fall in
the plan years, and that a (site, date, item) is not already held by another file. A
re-import of the same file replaces what that file wrote; sample values give way to real ones.
"""

from __future__ import annotations

import difflib
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from geodata.errors import EnvmapError, ImportRejected, RowProblem
from geodata.quality.evaluate_file import _read_rows, collect_groups

SITE_TABLES = {"surface": ("section", "sections"), "groundwater": ("groundwater", "groundwater_points")}


@dataclass
class MonitoringPreview:
    """What an import would write, and every reason it would not."""

    file: str
    standard: str
    rows: pd.DataFrame
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> pd.DataFrame:
        if self.rows.empty:
            return pd.DataFrame(columns=["site_name", "samples", "values", "first", "last"])
        g = self.rows.groupby("site_name")
        return pd.DataFrame({
            "samples": g["date"].nunique(), "values": g.size(), "first": g["date"].min(), "last": g["date"].max(),
        }).reset_index()


def _key(text: str) -> str:
    return "".join(str(text).split())


def plan_years(store) -> tuple[int, int]:  # noqa: ANN001 - Store
    """The years the plans cover (targets and plan periods), e.g. (2020, 2025)."""
    years: list[int] = []
    targets = store.read_table("section_targets")
    years += [int(y) for y in targets["year"] if str(y).isdigit()]
    plans = store.read_table("plans")
    for col in ("period_start", "period_end"):
        years += [int(float(y)) for y in plans[col] if str(y) not in ("", "nan")]
    return (min(years), max(years)) if years else (2020, 2025)


def preview_monitoring(path: str | Path, store, standard: str = "surface") -> MonitoringPreview:  # noqa: ANN001
    """Parse and check ``path`` against the store without writing anything."""
    path = Path(path)
    if standard not in SITE_TABLES:
        raise EnvmapError(f"标准“{standard}”无法识别。请用 surface（地表水断面）或 groundwater（地下水点位）。")
    site_type, table = SITE_TABLES[standard]
    header, rows = _read_rows(path)
    groups, problems = collect_groups(header, rows, standard, path.name)
    sites = store.read_table(table)
    by_id = {str(i): str(i) for i in sites["id"]}
    by_name: dict[str, list[str]] = {}
    for sid, name in zip(sites["id"], sites["name"], strict=True):
        by_name.setdefault(_key(name), []).append(str(sid))
    names = {str(i): str(n) for i, n in zip(sites["id"], sites["name"], strict=True)}
    first_year, last_year = plan_years(store)
    existing = store.read_measurements(site_type=site_type)
    held = {
        (r.site_id, r.date, r.item): r.source_file
        for r in existing.itertuples() if not r.is_sample and r.source_file != path.name
    }
    records: list[dict[str, object]] = []
    for (site, date), group in groups.items():
        ids = [by_id[site]] if site in by_id else by_name.get(_key(site), [])
        if not ids:
            close = difflib.get_close_matches(site, list(names.values()), n=1, cutoff=0.5)
            hint = f"是否为“{close[0]}”？" if close else "请核对断面名称，或先导入包含该断面的行动计划。"
            label = "断面" if standard == "surface" else "地下水点位"
            problems.append(RowProblem(group.line, f"未知{label}“{site}”。{hint}"))
            continue
        if len(ids) > 1:
            problems.append(RowProblem(group.line, f"“{site}”对应多个记录（{'、'.join(ids)}）。请改用编号（id 列）。"))
            continue
        year = int(date[:4])
        if not first_year <= year <= last_year:
            problems.append(RowProblem(group.line, f"日期 {date} 不在行动计划年份（{first_year}–{last_year}）内。请核对年份。"))
            continue
        day = date if len(date) == 10 else f"{date}-01"
        base = {"site_type": site_type, "site_id": ids[0], "site_name": names[ids[0]], "date": day, "period": date[:7],
                "is_sample": 0, "source_file": path.name}
        if group.status != "ok":
            records.append({**base, "item": "status", "value": None, "below_detection": 0, "unit": "",
                            "status": group.status, "source_row": group.line})
        for limit, (measurement, line) in group.values.items():
            key = (ids[0], day, limit.code)
            if key in held:
                problems.append(RowProblem(line, f"{site} {date} 的“{limit.name}”已由文件 {held[key]} 导入。"
                                                 "如要以本文件为准，请先删除该文件的数据，或使用 --replace。"))
                continue
            records.append({**base, "item": limit.code, "value": measurement.value,
                            "below_detection": int(measurement.below_detection), "unit": limit.unit,
                            "status": "ok", "source_row": line})
    problems.sort(key=lambda p: p.line or 0)
    return MonitoringPreview(path.name, standard, pd.DataFrame(records), problems)


def import_monitoring(path: str | Path, store, standard: str = "surface") -> MonitoringPreview:  # noqa: ANN001
    """Import ``path`` in one transaction, or raise :class:`ImportRejected` listing every problem."""
    preview = preview_monitoring(path, store, standard)
    if preview.problems:
        raise ImportRejected(preview.file, preview.problems, hint="请修正这些行后重新导入；数据库未作任何修改。")
    if preview.rows.empty:
        raise ImportRejected(preview.file, [RowProblem(None, "文件中没有可导入的监测值。")])
    try:
        store.write_measurements(preview.rows, replace_file=preview.file)
    except sqlite3.IntegrityError as exc:
        raise ImportRejected(preview.file, [RowProblem(None, f"与已有数据冲突（{exc}）。")]) from exc
    return preview
