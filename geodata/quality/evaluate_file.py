"""``envmap evaluate``: the class of every reading of a file, and its agreement with the file's own class.

The file is read by :mod:`geodata.quality.readings` (the same reader as the import: the
platform's export as it is, monthly manual tables, long format, “--”, 0.01L, 维护, times
without a year given ``year``). One output row per reading (site and time): the computed class,
the source's own 水质类别 where the file has one and whether they agree, the basis (河流/湖库)
and why, the main pollutants, and per item its class and exceedance multiple.

A reading of an automatic station is classed at the precision of one reading (小时数据修约),
a manual result at the 2020 evaluation precision (see :mod:`geodata.quality.limits`). The
waterbody is the file's 水体类型 column, else ``waterbody`` when it is given, else what a site
list (``sites``: a CSV of 断面名称 with 省份/流域/所属河流/水体类型, e.g. the station list of the
national platform) says, else the naming rule on the site and its 所属河流
(:mod:`geodata.quality.waterbody`).

Any problem — unparseable, negative or impossible value, bad date, a time without a year and no
``year``, conflicting repeats — rejects the whole file with :class:`ImportRejected` listing every
problem; unknown columns are notices (:attr:`Evaluation.notices`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from geodata.errors import EnvmapError, ImportRejected
from geodata.model import LIST_SEP
from geodata.quality.groundwater import evaluate_groundwater
from geodata.quality.limits import NAMED, TABLES
from geodata.quality.readings import (
    ParsedFile,
    Reading,
    _role,
    normalize_date,
    parse_class,
    parse_file,
    read_table,
)
from geodata.quality.surface import evaluate_sample
from geodata.quality.values import STATUS_LABELS
from geodata.quality.waterbody import BASIS_LABELS, WATERBODIES, basis_of, by_rule, parse_waterbody

__all__ = ["Evaluation", "SiteList", "agreement", "evaluate_csv", "evaluate_file", "normalize_date", "parse_class", "write_evaluation"]


@dataclass
class Evaluation:
    """The per-reading evaluation of a file and what the reader noticed."""

    frame: pd.DataFrame
    notices: list[str] = field(default_factory=list)
    method: str = "manual"

    @property
    def agreement(self) -> dict[str, object]:
        return agreement(self.frame)


def _names(codes: list[str], standard: str) -> str:
    by_code = {row.code: row.name for row in NAMED[standard]}
    return LIST_SEP.join(by_code[code] for code in codes)


class SiteList:
    """Sites with their waterbody, from a CSV (断面名称 and any of 省份, 流域, 所属河流, 水体类型)."""

    def __init__(self, rows: list[dict[str, str]]) -> None:
        self.by_key: dict[tuple[str, str], dict[str, str]] = {}
        self.by_name: dict[str, list[dict[str, str]]] = {}
        for row in rows:
            self.by_key[(row.get("province", ""), row["site"])] = row
            self.by_name.setdefault(row["site"], []).append(row)

    @classmethod
    def read(cls, path: str | Path) -> SiteList:
        path = Path(path)
        rows = read_table(path)
        if not rows:
            raise EnvmapError(f"断面清单 {path.name} 是空的。")
        header = [c.strip() for c in rows[0][1]]
        roles = {_role(h): k for k, h in enumerate(header) if _role(h)}
        if "site" not in roles:
            raise EnvmapError(f"断面清单 {path.name} 找不到断面名称列（断面名称/点位名称/站点名称）。")
        out = []
        for _line, cells in rows[1:]:
            def get(role: str, cells: list[str] = cells) -> str:
                k = roles.get(role)
                return cells[k].strip() if k is not None and k < len(cells) else ""
            if get("site"):
                out.append({"site": get("site"), "province": get("province"), "basin": get("basin"),
                            "river": get("river"), "waterbody": get("waterbody")})
        return cls(out)

    def find(self, reading: Reading) -> dict[str, str] | None:
        found = self.by_key.get((reading.province, reading.site))
        if found:
            return found
        same = self.by_name.get(reading.site, [])
        return same[0] if len(same) == 1 else None


def reading_waterbody(reading: Reading, default: str, sites: SiteList | None = None) -> tuple[str, str]:
    """(waterbody, why) of one reading: the file's column, else ``default`` (unless "auto"), else
    the site list, else the naming rule."""
    if reading.waterbody:
        return reading.waterbody, "文件的水体类型列"
    if default != "auto":
        return default, "按 --waterbody 指定"
    site = sites.find(reading) if sites else None
    if site:
        stated = parse_waterbody(site.get("waterbody"))
        if stated:
            return stated, "断面清单的水体类型"
        assigned = by_rule(reading.site, site.get("river", ""))
        return assigned.waterbody, f"断面清单：{assigned.reason}"
    assigned = by_rule(reading.site, reading.river)
    return assigned.waterbody, assigned.reason


def evaluate_file(path: str | Path, standard: str = "surface", waterbody: str = "auto", *, year: int | None = None,
                  method: str = "detect", sites: str | Path | SiteList | None = None) -> Evaluation:
    """Evaluate every reading of the file at ``path`` (see the module doc).

    ``standard`` is "surface" (GB 3838-2002) or "groundwater" (GB/T 14848-2017); ``waterbody``
    "auto", "river", "lake" or "reservoir" (surface water only); ``year`` for times written
    without one; ``method`` "detect", "auto" or "manual"; ``sites`` a site list (path or
    :class:`SiteList`) giving each site's waterbody.
    """
    site_list = SiteList.read(sites) if isinstance(sites, str | Path) else sites
    path = Path(path)
    if standard not in TABLES:
        raise EnvmapError(f"标准“{standard}”无法识别。请用 surface（地表水）或 groundwater（地下水）。")
    if waterbody not in ("auto", *WATERBODIES):
        raise EnvmapError(f"水体类型“{waterbody}”无法识别。请用 auto（按名称判断）、river、lake 或 reservoir。")
    parsed = parse_file(path, standard, year=year, method=method)
    if parsed.problems:
        hint = "请修正这些行后重新评价。" + ("缺少年份时用 --year 指定。" if parsed.needs_year else "")
        raise ImportRejected(parsed.file, parsed.problems, hint=hint)
    return Evaluation(_frame(parsed, waterbody, site_list), parsed.notices, parsed.method)


def evaluate_csv(path: str | Path, standard: str = "surface", waterbody: str = "auto", *, year: int | None = None,
                 method: str = "detect") -> pd.DataFrame:
    """The frame of :func:`evaluate_file` (kept for callers of the earlier name)."""
    return evaluate_file(path, standard, waterbody, year=year, method=method).frame


def _frame(parsed: ParsedFile, default_waterbody: str, sites: SiteList | None = None) -> pd.DataFrame:
    standard = parsed.standard
    present = {row for reading in parsed.readings for row in reading.values}
    table = [row for row in NAMED[standard] if row in present and row.direction != "none"]
    with_target = any(r.target for r in parsed.readings)
    with_reported = any(r.reported_class for r in parsed.readings)
    with_place = any(r.province or r.basin for r in parsed.readings)
    with_time = any(r.time for r in parsed.readings)
    precision = "hourly" if parsed.method == "auto" else "evaluation"
    records: list[dict[str, object]] = []
    for reading in parsed.readings:
        values = {row.code: m for row, (m, _line, _raw) in reading.values.items()}
        record: dict[str, object] = {"site": reading.site}
        if with_place:
            record |= {"province": reading.province, "basin": reading.basin}
        record["date"] = reading.date
        if with_time:
            record["time"] = reading.time
        record["status"] = STATUS_LABELS[reading.status]
        if standard == "surface":
            waterbody, why = reading_waterbody(reading, default_waterbody, sites)
            result = evaluate_sample(values, waterbody, reading.target, reading.status, precision=precision)
            classes = {**result.item_classes, **result.separate}
            record |= {"class": result.klass or ""}
            if with_reported:
                record |= {"reported_class": reading.reported_class,
                           "agrees": "" if not reading.reported_class else int(reading.reported_class == (result.klass or ""))}
            record |= {"waterbody": waterbody, "basis": BASIS_LABELS[basis_of(waterbody)], "basis_reason": why,
                       "main_pollutants": _names(result.main_pollutants, standard)}
            if with_target:
                compliant = result.compliant
                record |= {"target_class": reading.target or "",
                           "compliant": "" if compliant is None else ("达标" if compliant else "未达标")}
            for row in table:
                record[f"{row.code}_class"] = classes.get(row.code, "")
                if row.exceedance and row.evaluated:
                    record[f"{row.code}_exceedance"] = result.exceedance.get(row.code)
                    if with_target:
                        record[f"{row.code}_exceedance_vs_target"] = result.exceedance_vs_target.get(row.code)
        else:
            gw = evaluate_groundwater(values, reading.status)
            record |= {"class": gw.klass or "", "deciding": _names(gw.deciding, standard)}
            if with_reported:
                record |= {"reported_class": reading.reported_class,
                           "agrees": "" if not reading.reported_class else int(reading.reported_class == (gw.klass or ""))}
            for row in table:
                record[f"{row.code}_class"] = gw.item_classes.get(row.code, "")
        record["source_row"] = reading.line
        records.append(record)
    return pd.DataFrame.from_records(records)


def agreement(frame: pd.DataFrame) -> dict[str, object]:
    """How often the computed class equals the file's own 水质类别 (rows where the file has one).

    ``rows`` the rows with a reported class, ``agree`` those equal, ``share`` in percent (None
    without any), ``unclassed_reported`` rows the file leaves without a class that are computed
    here, ``differences`` those rows that differ.
    """
    if frame.empty or "reported_class" not in frame:
        return {"rows": 0, "agree": 0, "share": None, "unclassed_reported": 0, "differences": frame.iloc[0:0]}
    reported = frame[frame["reported_class"] != ""]
    agree = int((reported["reported_class"] == reported["class"]).sum())
    unclassed = int(((frame["reported_class"] == "") & (frame["class"] != "")).sum())
    share = round(100 * agree / len(reported), 2) if len(reported) else None
    return {"rows": len(reported), "agree": agree, "share": share, "unclassed_reported": unclassed,
            "differences": reported[reported["reported_class"] != reported["class"]]}


def write_evaluation(frame: pd.DataFrame, out_path: str | Path) -> Path:
    """Write an evaluation: ``.csv`` as UTF-8 with BOM (opens in Excel), or ``.xlsx``."""
    out = Path(out_path)
    suffix = out.suffix.lower()
    if suffix == ".csv":
        frame.to_csv(out, index=False, encoding="utf-8-sig", lineterminator="\n")
    elif suffix == ".xlsx":
        frame.to_excel(out, sheet_name="水质评价", index=False, engine="openpyxl")
    else:
        raise EnvmapError(f"不支持的输出格式“{out.suffix}”。请用 .csv 或 .xlsx。")
    return out
