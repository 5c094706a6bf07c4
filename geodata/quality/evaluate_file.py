"""Evaluate a CSV of monitoring results: one output row per (site, date).

The CSV (UTF-8, with or without BOM, or GBK) is either

* **wide**: a site column, a date (or month) column and one column per item, the header being the
  item's name, code or alias, optionally with the unit in brackets (“氨氮(mg/L)”, “汞（μg/L）”);
* **long**: site, date, item, value and (optionally) unit columns.

Optional columns: status (状态: 断流 / 未监测), target class (水质目标, for compliance and the
exceedance against the target); a few descriptive columns (河流、县、备注、经纬度…) are ignored.
A value cell may also say 断流 or 未监测. Any problem — unknown header, unparseable, negative or
impossible value, bad date, duplicate (site, date, item) — rejects the whole file with
:class:`~geodata.errors.ImportRejected` listing every problem.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from geodata.errors import EnvmapError, ImportRejected, RowProblem
from geodata.model import CLASSES, LIST_SEP
from geodata.quality.groundwater import evaluate_groundwater
from geodata.quality.limits import STANDARDS, TABLES, Limit, lookup, normalize_name, split_header
from geodata.quality.surface import STATUS_LABELS, WATERBODIES, evaluate_sample
from geodata.quality.values import STATUS_WORDS, Measurement, ValueProblem, convert, is_unit, parse_value
from geodata.textio import decode_text

SITE_COLUMNS = ("site", "section", "断面", "断面名称", "点位", "点位名称", "监测点位", "监测断面", "站点", "站点名称")
DATE_COLUMNS = ("date", "month", "日期", "采样日期", "监测日期", "月份", "监测时间", "采样时间", "时间", "年月")
ITEM_COLUMNS = ("item", "项目", "指标", "监测项目", "监测指标", "评价项目")
VALUE_COLUMNS = ("value", "值", "监测值", "浓度", "结果", "监测结果", "测定值")
UNIT_COLUMNS = ("unit", "单位")
STATUS_COLUMNS = ("status", "状态", "监测状态")
TARGET_COLUMNS = ("target", "target_class", "目标", "水质目标", "目标类别", "目标水质", "考核目标")
IGNORED_COLUMNS = (
    "river", "河流", "所在河流", "河流名称", "county", "县", "区县", "县（市、区）", "所在县", "city", "市",
    "备注", "note", "remark", "断面编码", "点位编码", "level", "级别", "lon", "lat", "经度", "纬度", "序号",
)
_ROLES = {
    "site": SITE_COLUMNS, "date": DATE_COLUMNS, "item": ITEM_COLUMNS, "value": VALUE_COLUMNS,
    "unit": UNIT_COLUMNS, "status": STATUS_COLUMNS, "target": TARGET_COLUMNS,
}
_ROLE_OF = {normalize_name(name): role for role, names in _ROLES.items() for name in names}
_IGNORED = {normalize_name(name) for name in IGNORED_COLUMNS}
_STATUS_VALUES = {**STATUS_WORDS, "dry": "dry", "not_monitored": "not_monitored", "正常": "ok", "ok": "ok", "": "ok"}
_PAREN = re.compile(r"[（(]([^（()）]*)[)）]\s*$")

_ROMAN = {"I": "Ⅰ", "II": "Ⅱ", "III": "Ⅲ", "IV": "Ⅳ", "V": "Ⅴ", "1": "Ⅰ", "2": "Ⅱ", "3": "Ⅲ", "4": "Ⅳ", "5": "Ⅴ"}
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})(?:\s*[-/.月]\s*(\d{1,2})\s*日?)?\s*月?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})?$")


@dataclass
class _Group:
    line: int
    values: dict[Limit, tuple[Measurement, int]] = field(default_factory=dict)
    status: str = "ok"
    target: str | None = None


def _decode(data: bytes) -> str:
    decoded = decode_text(data)
    if decoded is None:
        raise EnvmapError("无法识别文件编码：既不是 UTF-8 也不是 GBK。请另存为 UTF-8 编码的 CSV。")
    return decoded[0]


def normalize_date(text: str) -> str | None:
    """``2024/1/5`` → ``2024-01-05``; ``2024年1月`` / ``202401`` → ``2024-01``; None if not a date."""
    text = text.strip()
    match = _DATE.match(text) or _COMPACT_DATE.match(text)
    if not match:
        return None
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        if day is None:
            dt.date(year, month, 1)  # type: ignore[arg-type]
            return f"{year:04d}-{month:02d}"
        return dt.date(year, month, day).isoformat()  # type: ignore[arg-type]
    except ValueError:
        return None


def parse_class(text: str) -> str | None:
    """A class as people write it (Ⅲ, III, 3, Ⅲ类, 劣V) → one of CLASSES; None if not a class."""
    raw = text.strip().removesuffix("类").removesuffix("类水").strip()
    raw = raw.replace("Ｖ", "V").replace("Ｉ", "I")
    worse = raw.startswith("劣")
    core = raw[1:] if worse else raw
    klass = core if core in CLASSES else _ROMAN.get(core.upper())
    if klass is None:
        return None
    if worse:
        return "劣Ⅴ" if klass == "Ⅴ" else None
    return klass


def _header_item(header: str, standard: str) -> tuple[Limit | None, str, str | None]:
    """(row, unit, problem) for an item column header."""
    row = lookup(header, standard)
    if row is not None:
        return row, split_header(header)[1], None
    match = _PAREN.search(header)
    if match:
        bare = lookup(header[: match.start()], standard)
        if bare is not None:
            return None, "", (f"列“{header}”的单位“{match.group(1)}”无法识别。请写作 {bare.unit}"
                              f"（或 mg/L、μg/L），如“{bare.name}({bare.unit})”。")
    return None, "", None


def _unknown_header(header: str, standard: str) -> str:
    examples = "氨氮、总磷、高锰酸盐指数" if standard == "surface" else "总硬度、硝酸盐、氨氮"
    return (f"无法识别的列名“{header}”：既不是断面、日期列，也不是 {STANDARDS[standard]} 表1 的项目。"
            f"请改用标准中的项目名称或代码（如 {examples}），单位可写在括号里，如“氨氮(mg/L)”。")


def _read_rows(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and (line, cells) rows of a CSV (UTF-8/GBK) or the first sheet of an .xlsx."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    text = _decode(path.read_bytes())
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first and "," not in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise ImportRejected(path.name, [RowProblem(None, "文件是空的。")]) from None
    rows = [(reader.line_num, row) for row in reader if any(cell.strip() for cell in row)]
    return header, rows


def _read_xlsx(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several types for damaged files
        raise EnvmapError(f"无法打开 Excel 文件 {path.name}（{type(exc).__name__}）。请另存为 .xlsx 或 CSV 后再导入。") from exc
    sheet = book.worksheets[0]

    def text(value: object) -> str:
        if value is None:
            return ""
        if isinstance(value, dt.datetime):
            return value.date().isoformat()
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value).strip()

    all_rows = [(k, [text(v) for v in row]) for k, row in enumerate(sheet.iter_rows(values_only=True), start=1)]
    book.close()
    all_rows = [(k, cells) for k, cells in all_rows if any(cells)]
    if not all_rows:
        raise ImportRejected(path.name, [RowProblem(None, "文件是空的。")])
    (_, header), rows = all_rows[0], all_rows[1:]
    return header, rows


def evaluate_csv(path: str | Path, standard: str = "surface", waterbody: str = "river") -> pd.DataFrame:
    """Evaluate every (site, date) of the CSV at ``path``; see the module doc for the format.

    ``standard`` is "surface" (GB 3838-2002) or "groundwater" (GB/T 14848-2017); ``waterbody``
    ("river" | "lake") matters for surface water only.
    """
    path = Path(path)
    if standard not in TABLES:
        raise EnvmapError(f"标准“{standard}”无法识别。请用 surface（地表水）或 groundwater（地下水）。")
    if waterbody not in WATERBODIES:
        raise EnvmapError(f"水体类型“{waterbody}”无法识别。请用 river（河流）或 lake（湖库）。")
    header, rows = _read_rows(path)
    groups, problems = collect_groups(header, rows, standard, path.name)
    if problems:
        raise ImportRejected(path.name, problems)
    return _frame(groups, standard, waterbody)


def collect_groups(
    header: list[str], rows: list[tuple[int, list[str]]], standard: str, name: str = ""
) -> tuple[dict[tuple[str, str], _Group], list[RowProblem]]:
    """Parse a table of results (wide or long) into (site, date) groups, listing every problem."""
    problems: list[RowProblem] = []
    roles: dict[str, int] = {}
    items: dict[int, tuple[Limit, str]] = {}
    for index, name in enumerate(header):
        key = normalize_name(name)
        role = _ROLE_OF.get(key) or _ROLE_OF.get(normalize_name(split_header(name)[0]))
        if role and role not in roles:
            roles[role] = index
            continue
        if key in _IGNORED:
            continue
        row, unit, problem = _header_item(name, standard)
        if row is None:
            problems.append(RowProblem(1, problem or _unknown_header(name, standard)))
            continue
        if unit:
            try:
                convert(1.0, unit, row.unit, row.name)
            except ValueProblem as exc:
                problems.append(RowProblem(1, f"列“{name}”：{exc}"))
                continue
        if any(other is row for other, _ in items.values()):
            problems.append(RowProblem(1, f"项目“{row.name}”有两列（“{name}”）。每个项目只能有一列。"))
            continue
        items[index] = (row, unit)
    long = "item" in roles and "value" in roles
    missing = [label for role, label in (("site", "断面/点位"), ("date", "日期/月份")) if role not in roles]
    if long and items:
        problems.append(RowProblem(1, "文件既有“项目/值”列又有项目列。请只用一种格式：宽表（每个项目一列）或长表（项目、值两列）。"))
    if not long and not items:
        missing.append("监测项目（宽表每个项目一列，或长表的“项目”“值”两列）")
    if missing:
        problems.append(RowProblem(1, f"找不到{'、'.join(missing)}列。断面列可写作 {'/'.join(SITE_COLUMNS)}；"
                                      f"日期列可写作 {'/'.join(DATE_COLUMNS)}。"))
    if problems:
        return {}, problems

    groups: dict[tuple[str, str], _Group] = {}
    for line, cells in rows:
        cells = cells + [""] * (len(header) - len(cells))
        site = cells[roles["site"]].strip()
        date_text = cells[roles["date"]].strip()
        date = normalize_date(date_text)
        row_problems: list[str] = []
        if not site:
            row_problems.append("断面/点位名称为空。请填写断面名称。")
        if date is None:
            row_problems.append(f"日期“{date_text}”无法识别。请写作 2024-01-15 或 2024-01（月份）。")
        if row_problems:
            problems += [RowProblem(line, p) for p in row_problems]
            continue
        group = groups.setdefault((site, date), _Group(line))
        if "status" in roles:
            _read_status(cells[roles["status"]], group, line, problems)
        if "target" in roles and cells[roles["target"]].strip():
            target = parse_class(cells[roles["target"]])
            if target is None:
                problems.append(RowProblem(line, f"水质目标“{cells[roles['target']]}”无法识别。请写作 Ⅰ…Ⅴ 或 劣Ⅴ。"))
            elif group.target not in (None, target):
                problems.append(RowProblem(line, f"{site} {date} 的水质目标前后不一致（{group.target}、{target}）。"))
            else:
                group.target = target
        if long:
            _read_long(cells, roles, standard, site, date, group, line, problems)
        else:
            for index, (row, unit) in items.items():
                _add(group, row, cells[index], unit, site, date, line, problems)
    problems.sort(key=lambda p: p.line or 0)
    return groups, problems


def _read_status(text: str, group: _Group, line: int, problems: list[RowProblem]) -> None:
    status = _STATUS_VALUES.get(text.strip(), _STATUS_VALUES.get(text.strip().lower()))
    if status is None:
        problems.append(RowProblem(line, f"状态“{text.strip()}”无法识别。请写 断流、未监测，或留空。"))
    elif status != "ok":
        group.status = status


def _read_long(cells: list[str], roles: dict[str, int], standard: str, site: str, date: str, group: _Group,
               line: int, problems: list[RowProblem]) -> None:
    name = cells[roles["item"]].strip()
    value = cells[roles["value"]]
    unit = cells[roles["unit"]].strip() if "unit" in roles else ""
    row, header_unit, problem = _header_item(name, standard)
    if row is None:
        problems.append(RowProblem(line, problem or f"监测项目“{name}”不是 {STANDARDS[standard]} 表1 的项目。"
                                                    "请使用标准中的项目名称或代码，如 氨氮、总磷。"))
        return
    if unit and not is_unit(unit):
        problems.append(RowProblem(line, f"{row.name}的单位“{unit}”无法识别。请写作 {row.unit}（或 mg/L、μg/L）。"))
        return
    _add(group, row, value, unit or header_unit, site, date, line, problems)


def _add(group: _Group, row: Limit, text: str, unit: str, site: str, date: str, line: int,
         problems: list[RowProblem]) -> None:
    status = STATUS_WORDS.get(text.strip())
    if status:
        group.status = status
        return
    try:
        measurement = parse_value(text, row, unit)
    except ValueProblem as exc:
        problems.append(RowProblem(line, str(exc)))
        return
    if measurement is None:
        return
    if row in group.values:
        first = group.values[row][1]
        problems.append(RowProblem(line, f"{site} {date} 的“{row.name}”重复（第 {first} 行已有）。"
                                         "同一断面同一日期的每个项目只能有一个值，请删除重复行。"))
        return
    group.values[row] = (measurement, line)


def _names(codes: list[str], standard: str) -> str:
    by_code = {row.code: row.name for row in TABLES[standard]}
    return LIST_SEP.join(by_code[code] for code in codes)


def _frame(groups: dict[tuple[str, str], _Group], standard: str, waterbody: str) -> pd.DataFrame:
    present = {row for group in groups.values() for row in group.values}
    table = [row for row in TABLES[standard] if row in present and row.direction != "none"]
    with_target = any(group.target for group in groups.values())
    records: list[dict[str, object]] = []
    for (site, date), group in groups.items():
        values = {row.code: m for row, (m, _line) in group.values.items()}
        record: dict[str, object] = {"site": site, "date": date, "status": STATUS_LABELS[group.status]}
        if standard == "surface":
            result = evaluate_sample(values, waterbody, group.target, group.status)
            classes = {**result.item_classes, **result.separate}
            record |= {"class": result.klass or "", "main_pollutants": _names(result.main_pollutants, standard)}
            if with_target:
                compliant = result.compliant
                record |= {"target_class": group.target or "",
                           "compliant": "" if compliant is None else ("达标" if compliant else "未达标")}
            for row in table:
                record[f"{row.code}_class"] = classes.get(row.code, "")
                if row.exceedance and row.evaluated:
                    record[f"{row.code}_exceedance"] = result.exceedance.get(row.code)
                    if with_target:
                        record[f"{row.code}_exceedance_vs_target"] = result.exceedance_vs_target.get(row.code)
        else:
            gw = evaluate_groundwater(values, group.status)
            record |= {"class": gw.klass or "", "deciding": _names(gw.deciding, standard)}
            for row in table:
                record[f"{row.code}_class"] = gw.item_classes.get(row.code, "")
        records.append(record)
    return pd.DataFrame.from_records(records)


def write_evaluation(frame: pd.DataFrame, out_path: str | Path) -> Path:
    """Write an :func:`evaluate_csv` result: ``.csv`` as UTF-8 with BOM (opens in Excel), or ``.xlsx``."""
    out = Path(out_path)
    suffix = out.suffix.lower()
    if suffix == ".csv":
        frame.to_csv(out, index=False, encoding="utf-8-sig", lineterminator="\n")
    elif suffix == ".xlsx":
        frame.to_excel(out, sheet_name="水质评价", index=False, engine="openpyxl")
    else:
        raise EnvmapError(f"不支持的输出格式“{out.suffix}”。请用 .csv 或 .xlsx。")
    return out
