"""Importing a bureau's monitoring results: preview every problem, then land the file whole or not at all.

The file (CSV in UTF-8 or GBK, or Excel .xlsx; wide or long — see ``evaluate_file``) is read
with the same parser as ``envmap evaluate`` (header aliases, “0.01L”, μg/L ↔ mg/L, negative
values, impossible pH, duplicate (site, date, item) in the file). On top of it the import checks
what only the store knows:

* each site is a known section (surface water, GB 3838) or groundwater point (GB/T 14848),
  by id or name; a near miss gets a suggestion (difflib). Which of the two a file holds is
  decided by its sites (``standard="auto"``); a file mixing both is refused;
* dates fall in the plan years (min/max of ``section_targets.year`` and ``plans.period_*``);
* a (site, date, item) is not already held by *another* file (refused, naming that file,
  unless ``replace=True``). A re-import of the same file (same name) replaces what it wrote;
  sample values (示例数据（非实测）) for the same site and month give way to real ones.

A month (“2023-05”) is stored as its first day (``date`` 2023-05-01) with ``period`` 2023-05.
Every stored value keeps its ``source_file`` and ``source_row``.
"""

from __future__ import annotations

import difflib
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from geodata.errors import EnvmapError, ImportRejected, RowProblem, StoreConflict
from geodata.quality.evaluate_file import _ROLE_OF, _read_rows, collect_groups
from geodata.quality.limits import normalize_name, split_header

SITE_TABLES = {"surface": ("section", "sections"), "groundwater": ("groundwater", "groundwater_points")}
SITE_LABELS = {"surface": "断面", "groundwater": "地下水点位"}
ROW_COLUMNS = ["site_type", "site_id", "site_name", "date", "period", "item", "value", "below_detection", "unit",
               "status", "is_sample", "source_file", "source_row"]


@dataclass
class MonitoringPreview:
    """What an import would write (``rows``), and every reason it would not (``problems``)."""

    file: str
    standard: str
    rows: pd.DataFrame
    problems: list[RowProblem] = field(default_factory=list)
    replaced_same_file: int = 0  # values an earlier import of this file holds (re-import replaces them)
    conflicts: int = 0  # values another file holds at the same (site, date, item)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def site_type(self) -> str:
        return SITE_TABLES[self.standard][0]

    @property
    def counts(self) -> dict[str, int]:
        values = self.rows[self.rows["item"] != "status"] if len(self.rows) else self.rows
        return {
            "values": len(values),
            "sites": int(self.rows["site_id"].nunique()) if len(self.rows) else 0,
            "samples": int(self.rows[["site_id", "date"]].drop_duplicates().shape[0]) if len(self.rows) else 0,
            "problems": len(self.problems),
            "replaced_same_file": self.replaced_same_file,
            "conflicts": self.conflicts,
        }

    def summary(self) -> pd.DataFrame:
        """Counts by site: samples (dates), values, first and last date."""
        if self.rows.empty:
            return pd.DataFrame(columns=["site_id", "site_name", "samples", "values", "first", "last"])
        g = self.rows.groupby(["site_id", "site_name"])
        return pd.DataFrame({
            "samples": g["date"].nunique(), "values": g.size(), "first": g["date"].min(), "last": g["date"].max(),
        }).reset_index()


class ImportSummary(dict):
    """The result of :func:`import_monitoring`: a dict of counts; ``.rows`` is what was written."""

    @property
    def rows(self) -> pd.DataFrame:
        return self["rows"]


def _key(text: object) -> str:
    return "".join(str(text).split())


def plan_years(store) -> tuple[int, int]:  # noqa: ANN001 - Store
    """The years the plans cover (targets and plan periods), e.g. (2020, 2025)."""
    years: list[int] = []
    targets = store.read_table("section_targets")
    years += [int(float(y)) for y in targets["year"] if str(y).strip() not in ("", "nan")]
    plans = store.read_table("plans")
    for col in ("period_start", "period_end"):
        years += [int(float(y)) for y in plans[col] if str(y).strip() not in ("", "nan")]
    return (min(years), max(years)) if years else (2020, 2025)


class _Sites:
    """The sections or groundwater points of the store, found by id or name."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.names = {str(i): str(n) for i, n in zip(frame["id"], frame["name"], strict=True)}
        self.by_name: dict[str, set[str]] = {}
        for sid, name in self.names.items():
            self.by_name.setdefault(_key(name), set()).add(sid)

    def find(self, site: str) -> list[str]:
        if site in self.names:
            return [site]
        return sorted(self.by_name.get(_key(site), ()))

    def suggest(self, site: str) -> str | None:
        close = difflib.get_close_matches(_key(site), list(self.by_name), n=1, cutoff=0.5)
        if close:
            return self.names[sorted(self.by_name[close[0]])[0]]
        close = difflib.get_close_matches(site, list(self.names), n=1, cutoff=0.6)
        return self.names[close[0]] if close else None


def _site_values(header: list[str], rows: list[tuple[int, list[str]]]) -> set[str]:
    for index, name in enumerate(header):
        if (_ROLE_OF.get(normalize_name(name)) or _ROLE_OF.get(normalize_name(split_header(name)[0]))) == "site":
            return {cells[index].strip() for _line, cells in rows if index < len(cells) and cells[index].strip()}
    return set()


def _choose_standard(names: set[str], sites: dict[str, _Sites]) -> tuple[str, RowProblem | None]:
    hits = {standard: {n for n in names if s.find(n)} for standard, s in sites.items()}
    if hits["surface"] and hits["groundwater"]:
        return "surface", RowProblem(None, (
            f"文件同时包含地表水断面（如“{sorted(hits['surface'])[0]}”）和地下水点位（如“{sorted(hits['groundwater'])[0]}”）。"
            "两者按不同标准评价，请分成两个文件分别导入。"))
    return ("groundwater" if hits["groundwater"] else "surface"), None


def _as_path(source: str | Path | bytes, name: str | None, folder: list[tempfile.TemporaryDirectory]) -> Path:
    if isinstance(source, bytes | bytearray):
        if not name:
            raise EnvmapError("上传的内容缺少文件名。请提供文件名（如“5月.csv”），以便识别格式并记录来源。")
        tmp = tempfile.TemporaryDirectory(prefix="envmap-monitoring-")
        folder.append(tmp)
        path = Path(tmp.name) / Path(name).name
        path.write_bytes(bytes(source))
        return path
    return Path(source)


def preview_monitoring(source: str | Path | bytes, name: str | None = None, store=None,  # noqa: ANN001 - Store
                       standard: str = "auto", *, replace: bool = False) -> MonitoringPreview:
    """Parse and check a monitoring file against the store without writing anything.

    ``source`` is a path or the file's bytes (an upload; then ``name`` is its file name, which
    is recorded as ``source_file``); ``name`` defaults to the path's name. ``standard`` is
    "auto" (by the sites), "surface" or "groundwater". ``replace`` lets values held by other
    files be overwritten instead of reported. The legacy call ``preview_monitoring(path, store,
    standard)`` still works.
    """
    if name is not None and not isinstance(name, str):  # legacy order (path, store, standard)
        standard = store if isinstance(store, str) else standard
        name, store = None, name
    if store is None:
        raise EnvmapError("预览监测数据需要数据库（store）。")
    if standard not in ("auto", *SITE_TABLES):
        raise EnvmapError(f"标准“{standard}”无法识别。请用 surface（地表水断面）或 groundwater（地下水点位）。")
    folder: list[tempfile.TemporaryDirectory] = []
    try:
        path = _as_path(source, name, folder)
        file_name = Path(name).name if name else path.name
        header, rows = _read_rows(path)
    finally:
        for tmp in folder:
            tmp.cleanup()
    sites = {s: _Sites(store.read_table(table)) for s, (_type, table) in SITE_TABLES.items()}
    problems: list[RowProblem] = []
    if standard == "auto":
        standard, mixed = _choose_standard(_site_values(header, rows), sites)
        if mixed:
            return MonitoringPreview(file_name, standard, pd.DataFrame(columns=ROW_COLUMNS), [mixed])
    site_type, _table = SITE_TABLES[standard]
    known = sites[standard]
    groups, parse_problems = collect_groups(header, rows, standard, file_name)
    problems += parse_problems
    first_year, last_year = plan_years(store)
    existing = store.read_measurements(site_type=site_type)
    real = existing[existing["is_sample"].astype(int) == 0]
    held = {(r.site_id, r.date, r.item): r.source_file for r in real.itertuples() if r.source_file != file_name}
    replaced_same_file = int((real["source_file"] == file_name).sum())
    conflicts = 0
    label = SITE_LABELS[standard]
    seen: dict[tuple[str, str, str], int] = {}
    records: list[dict[str, object]] = []
    for (site, date), group in groups.items():
        ids = known.find(site)
        if not ids:
            close = known.suggest(site)
            hint = (f"是否为“{close}”？" if close else
                    f"请核对{label}名称或编号，或先导入包含该{label}的行动计划。")
            problems.append(RowProblem(group.line, f"未知{label}“{site}”。{hint}"))
            continue
        if len(ids) > 1:
            problems.append(RowProblem(group.line, f"“{site}”对应多个{label}（{'、'.join(ids)}）。请改用编号（如“{ids[0]}”）。"))
            continue
        year = int(date[:4])
        if not first_year <= year <= last_year:
            problems.append(RowProblem(group.line, f"日期 {date} 不在行动计划年份（{first_year}–{last_year}）内。"
                                                   "请核对年份，或先导入覆盖该年份的行动计划。"))
            continue
        sid = ids[0]
        day = date if len(date) == 10 else f"{date}-01"
        base = {"site_type": site_type, "site_id": sid, "site_name": known.names[sid], "date": day,
                "period": date[:7], "is_sample": 0, "source_file": file_name}
        entries: list[tuple[str, dict[str, object], int]] = []
        if group.status != "ok":
            entries.append(("status", {"value": None, "below_detection": 0, "unit": "", "status": group.status},
                            group.line))
        for limit, (measurement, line) in group.values.items():
            entries.append((limit.code, {"value": measurement.value, "below_detection": int(measurement.below_detection),
                                         "unit": limit.unit, "status": "ok"}, line))
        for code, values, line in entries:
            key = (sid, day, code)
            if key in seen:  # e.g. "2023-05" and "2023-05-01" in one file
                problems.append(RowProblem(line, f"{site} {day} 的“{code}”重复（第 {seen[key]} 行已有）。"
                                                 "同一点位同一日期的每个项目只能有一个值，请删除重复行。"))
                continue
            seen[key] = line
            if key in held:
                if not replace:
                    problems.append(RowProblem(line, f"{site} {date} 的“{code}”已由文件 {held[key]} 导入。"
                                                     "如要以本文件为准，请使用 --replace（或先删除该文件的数据）。"))
                    continue
                conflicts += 1
            records.append({**base, "item": code, **values, "source_row": line})
    problems.sort(key=lambda p: p.line or 0)
    frame = pd.DataFrame(records, columns=ROW_COLUMNS)
    return MonitoringPreview(file_name, standard, frame, problems, replaced_same_file, conflicts)


def import_monitoring(source: str | Path | bytes, store, replace: bool = False, *,  # noqa: ANN001 - Store
                      name: str | None = None, standard: str = "auto") -> ImportSummary:
    """Import a monitoring file in one transaction, or raise :class:`ImportRejected` listing every problem.

    Returns counts: ``file``, ``standard``, ``site_type``, ``values``, ``sites``, ``samples``
    (site-dates), ``replaced_same_file`` (values of an earlier import of this file, replaced),
    ``replaced_other`` (values of other files overwritten with ``replace=True``) and ``rows``
    (the written frame, also ``.rows``). The legacy call ``import_monitoring(path, store,
    standard)`` still works.
    """
    if isinstance(replace, str):  # legacy: import_monitoring(path, store, "surface")
        standard, replace = replace, False
    preview = preview_monitoring(source, name, store, standard, replace=replace)
    if preview.problems:
        raise ImportRejected(preview.file, preview.problems, hint="请修正这些行后重新导入；数据库未作任何修改。")
    if preview.rows.empty:
        raise ImportRejected(preview.file, [RowProblem(None, "文件中没有可导入的监测值。")])
    try:
        store.write_measurements(preview.rows, replace_file=preview.file, replace_keys=replace)
    except StoreConflict as exc:
        raise ImportRejected(preview.file, [RowProblem(None, f"与已有数据冲突（{exc}）。")]) from exc
    counts = preview.counts
    return ImportSummary(
        file=preview.file, standard=preview.standard, site_type=preview.site_type, values=counts["values"],
        sites=counts["sites"], samples=counts["samples"], replaced_same_file=preview.replaced_same_file,
        replaced_other=preview.conflicts, rows=preview.rows,
    )
