"""A monitoring file as readings: what bureaus actually have, read safely, every oddity reported.

Files (CSV in UTF-8/GBK with comma, tab or semicolon; Excel .xlsx/.xlsm) come in three layouts:

* **wide** — one row per site and time, one column per item: the national automatic-station
  platform's table (省份, 流域, 断面名称, 监测时间 “11-18 16:00”, 水质类别, 水温, pH, 溶解氧, 电导率,
  浊度, 高锰酸盐指数, 氨氮, 总磷, 总氮, 叶绿素α, 藻密度, 站点情况) and the monthly manual tables of
  provincial and city reports (Chinese headers with units in brackets, a title row above the
  header, the item names in a second header row under a merged “监测项目(mg/L)” cell);
* **long** — site, date, item, value (and unit) columns.

Columns are recognised by role: the site (断面名称 …), its province (省份), basin (流域), city
(所在地市), county, river (所属河流), waterbody type (水体类型, overrides the section's), date and
time (one column, or 日期 + 时间), the source's own class (水质类别, stored beside the computed
one), the station's state (站点情况: 正常/维护/不具备运行条件), a status (断流/未监测), a target
(水质目标), and the items of the standard with their unit. Columns that are not monitoring
items (序号, 备注, 主要污染指标, 经纬度 …) are ignored with a notice; an unknown column is a
notice naming it, never a refusal.

Times: ISO dates and date-times, ``2024/1/5``, ``2024年1月5日 16时``, ``202401`` (a month), Excel
serial dates (45611, 45611.5) and Excel date cells. A time without a year (``11-18 16:00``,
``1月5日``) takes ``year``; without it the file is refused with one message asking for the
year (the preview asks for it; nothing is guessed). Several readings of a site on one day are
kept as readings (their time distinguishes them); an exact repeat of a reading (a snapshot
pasted twice) is dropped with a notice, a conflicting repeat is a problem.

Values: see :mod:`geodata.quality.values` (“--”, “*”, 未检出, 0.01L, 维护 …). Every problem is
a :class:`~geodata.errors.RowProblem` naming the row; parsing never stops at the first.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from geodata import safeio
from geodata.errors import EnvmapError, RowProblem
from geodata.model import CLASSES
from geodata.quality.limits import NAMED, STANDARDS, Limit, lookup, normalize_name, split_header
from geodata.quality.values import (
    STATUS_LABELS,
    STATUS_WORDS,
    Measurement,
    ValueProblem,
    cell_status,
    convert,
    is_unit,
    parse_value,
)
from geodata.quality.waterbody import parse_waterbody
from geodata.textio import decode_text

ROLE_HEADERS: dict[str, tuple[str, ...]] = {
    "site": ("site", "section", "断面", "断面名称", "点位", "点位名称", "监测点位", "监测断面", "站点", "站点名称",
             "水站名称", "断面(点位)名称", "断面（点位）名称", "监测点", "监测点名称", "站名", "测站名称"),
    "date": ("date", "month", "日期", "采样日期", "监测日期", "月份", "监测时间", "采样时间", "年月", "时间",
             "datetime", "监测月份", "采样月份", "数据时间", "日期时间"),
    "time": ("time", "时刻", "采样时刻", "小时"),
    "item": ("item", "项目", "指标", "监测项目", "监测指标", "评价项目", "参数", "因子"),
    "value": ("value", "值", "监测值", "浓度", "结果", "监测结果", "测定值", "实测值"),
    "unit": ("unit", "单位"),
    "status": ("status", "状态", "监测状态", "采样情况"),
    "station_state": ("站点情况", "站点状态", "运行状态", "站房状态", "仪器状态"),
    "target": ("target", "target_class", "目标", "水质目标", "目标类别", "目标水质", "考核目标", "水质目标类别"),
    "reported_class": ("水质类别", "类别", "水质", "reported_class", "class", "本周水质类别", "本月水质类别",
                       "当月水质类别", "水质现状", "实测类别"),
    "province": ("省份", "省", "省（区、市）", "省(区、市)", "province", "所在省份"),
    "basin": ("流域", "basin", "所属流域", "水系"),
    "city": ("所在地市", "地市", "城市", "市", "city", "所在市", "所属地市", "所在市州", "市州"),
    "county": ("县", "区县", "县（市、区）", "县(市、区)", "所在县", "county", "所在区县", "行政区域"),
    "river": ("所属河流", "河流", "所在河流", "河流名称", "river", "所在水体", "河流（湖库）", "河流(湖库)", "水体"),
    "waterbody": ("水体类型", "断面类型", "waterbody", "水域类型", "断面性质"),
}
# known columns that are not monitoring data: ignored with a notice
IGNORED_HEADERS = (
    "序号", "编号", "备注", "note", "remark", "断面编码", "点位编码", "站点编码", "level", "级别", "考核级别", "断面级别",
    "lon", "lat", "经度", "纬度", "主要污染指标", "主要超标项目", "超标倍数", "超标项目", "上周", "上月", "上周水质类别",
    "上月水质类别", "上年同期", "上年同期水质类别", "发布日期", "断面情况", "水站属性", "断面属性", "功能区类别",
    "达标情况", "是否达标", "达标", "交接关系", "责任城市", "水质状况", "定性评价", "营养状态", "综合营养状态指数",
)
_ROLE_OF = {normalize_name(name): role for role, names in ROLE_HEADERS.items() for name in names}
_IGNORED = {normalize_name(name) for name in IGNORED_HEADERS}
_STATION_OK = {"正常", "在线", "运行", "ok", "正常运行", ""}
_ROMAN = {"I": "Ⅰ", "II": "Ⅱ", "III": "Ⅲ", "IV": "Ⅳ", "V": "Ⅴ", "1": "Ⅰ", "2": "Ⅱ", "3": "Ⅲ", "4": "Ⅳ", "5": "Ⅴ"}
_PAREN = re.compile(r"[（(]([^（()）]*)[)）]\s*$")
_GENERIC_GROUP = re.compile(r"(监测项目|主要监测项目|评价项目|监测结果|单位)")
_UNIT_IN_GROUP = re.compile(r"(?:单位[:：]?\s*)?((?:mg|μg|µg|ug)/[lL])")

# dates and times
_TIME = r"(?:\s*T?\s*(\d{1,2})\s*(?:[:：时点]\s*(?:(\d{1,2})\s*分?)?(?:[:：]\s*\d{1,2}(?:\.\d+)?\s*秒?)?)?)?"
_YMD = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*(?:[-/.月]\s*(\d{1,2})\s*日?)?\s*月?" + _TIME + "$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})?(?:\s*(\d{2}):?(\d{2}))?$")
_MD = re.compile(r"^(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?" + _TIME + "$")
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
_YEARS = (1970, 2100)  # monitoring years a date may have (any of them is accepted)
_UNSAFE_NAME = re.compile(r"^[=+@]|[<>]")
_SERIAL_RANGE = (25569.0, 73415.0)  # 1970-01-01 … 2100-12-31 as Excel serial numbers


@dataclass
class Column:
    index: int
    header: str
    role: str  # a key of ROLE_HEADERS, "item", "ignored" or "unknown"
    limit: Limit | None = None
    unit: str = ""


@dataclass
class Reading:
    """One site at one time (a row of a wide file, or the rows of a long file sharing site and time)."""

    line: int
    site: str
    date: str  # YYYY-MM-DD, or YYYY-MM for a monthly value
    time: str = ""  # HH:MM, "" for none
    province: str = ""
    basin: str = ""
    city: str = ""
    county: str = ""
    river: str = ""
    waterbody: str = ""  # river | lake | reservoir from the file, "" for the section's own
    status: str = "ok"
    station_state: str = ""
    target: str | None = None
    reported_class: str = ""  # the source's own 水质类别
    values: dict[Limit, tuple[Measurement, int, str]] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, str, str, str, str]:
        return (self.province, self.basin, self.site, self.date, self.time)

    @property
    def site_key(self) -> tuple[str, str, str]:
        return (self.province, self.basin, self.site)


@dataclass
class ParsedFile:
    """What a monitoring file says, before it meets the store."""

    file: str
    standard: str
    layout: str  # "wide" | "long"
    method: str  # "auto" (automatic station) | "manual"
    readings: list[Reading]
    problems: list[RowProblem]
    notices: list[str]
    needs_year: bool = False
    columns: list[Column] = field(default_factory=list)
    # every station the file names (also those of rows without data): site key → a Reading
    # carrying its place (province, basin, city, county, river) and its first row
    stations: dict[tuple[str, str, str], Reading] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def parse_class(text: object) -> str | None:
    """A class as people write it (Ⅲ, III, 3, Ⅲ类, 劣V, Ⅳ类水) → one of CLASSES; None if not a class."""
    if text is None:
        return None
    raw = unicodedata.normalize("NFKC", str(text)).strip()
    raw = raw.removesuffix("类水").removesuffix("类").removesuffix("类水质").strip()
    raw = raw.replace("Ｖ", "V").replace("Ｉ", "I")
    # NFKC turns the Roman numerals Ⅰ…Ⅴ into I…V
    worse = raw.startswith("劣")
    core = raw[1:] if worse else raw
    klass = core if core in CLASSES else _ROMAN.get(core.upper())
    if klass is None:
        return None
    if worse:
        return "劣Ⅴ" if klass == "Ⅴ" else None
    return klass


def normalize_date(text: str, year: int | None = None) -> tuple[str, str] | None:
    """(date, time) for a date or date-time as written; None if it is not one.

    ``date`` is ``YYYY-MM-DD`` or ``YYYY-MM``; ``time`` is ``HH:MM`` or "". A text without a
    year (“11-18 16:00”) uses ``year``; with ``year`` None it gives ``("?", text)``.
    """
    when = _when(text, year)
    return None if when is None else when[:2]


def _when(text: str, year: int | None) -> tuple[str, str, bool] | None:
    """(date, time, year_was_supplied) — see :func:`normalize_date`."""
    raw = unicodedata.normalize("NFKC", text).strip()
    if not raw:
        return None
    serial = _excel_serial(raw)
    if serial is not None:
        return (*serial, False)
    match = _YMD.match(raw) or _COMPACT.match(raw)
    if match:
        y, m, d, hh, mm = (int(g) if g else None for g in match.groups()[:5])
        composed = _compose(y, m, d, hh, mm)
        return None if composed is None else (*composed, False)
    match = _MD.match(raw)
    if match:
        m, d, hh, mm = (int(g) if g else None for g in match.groups()[:4])
        if year is None:
            return ("?", raw, True)
        composed = _compose(year, m, d, hh, mm)
        return None if composed is None else (*composed, True)
    return None


def _compose(y: int | None, m: int | None, d: int | None, hh: int | None, mm: int | None) -> tuple[str, str] | None:
    try:
        if d is None:
            dt.date(y, m, 1)  # type: ignore[arg-type]
            return f"{y:04d}-{m:02d}", ""
        day = dt.date(y, m, d)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    if hh is None:
        return day.isoformat(), ""
    if hh == 24 and not mm:  # “24:00” closes the day
        return (day + dt.timedelta(days=1)).isoformat(), "00:00"
    if not (0 <= hh <= 23 and 0 <= (mm or 0) <= 59):
        return None
    return day.isoformat(), f"{hh:02d}:{mm or 0:02d}"


def _excel_serial(raw: str) -> tuple[str, str] | None:
    if not re.fullmatch(r"\d{5}(?:\.\d+)?", raw):
        return None
    number = float(raw)
    if not _SERIAL_RANGE[0] <= number <= _SERIAL_RANGE[1]:
        return None
    moment = _EXCEL_EPOCH + dt.timedelta(days=number)
    moment = (moment + dt.timedelta(seconds=30)).replace(second=0, microsecond=0)
    time = "" if number.is_integer() else moment.strftime("%H:%M")
    return moment.date().isoformat(), time


# ----------------------------------------------------------------------------- reading cells


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.hour or value.minute:
            return value.strftime("%Y-%m-%d %H:%M")
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        if value != value:
            return ""
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    return str(value).strip()


def read_table(path: Path, name: str | None = None, limits: safeio.Limits = safeio.MONITORING,
               notices: list[str] | None = None) -> list[tuple[int, list[str]]]:
    """The non-empty rows (line number, cells as text) of a CSV or the first sheet of an .xlsx.

    Checks the file against ``limits`` first (size; for .xlsx the zip container and the claimed
    sheet range) and counts rows and cells while reading. Raises :class:`safeio.UnsafeFile` or
    :class:`EnvmapError` with a Chinese message.
    """
    name = name or path.name
    notices = notices if notices is not None else []
    safeio.check_size(name, safeio.file_size(path), limits.file_bytes, limits.label)
    suffix = path.suffix.lower()
    with open(path, "rb") as fh:
        head = fh.read(8)
    if head[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        if suffix in (".xlsx", ".xlsm"):
            raise EnvmapError(f"{name} 是加密（设了打开密码）的 Excel 文件，无法读取。请在 Excel/WPS 中取消密码后另存为 .xlsx。")
        raise EnvmapError(f"{name} 是旧版 Excel（.xls）文件。请在 Excel/WPS 中另存为 .xlsx 或 CSV 后再导入。")
    if suffix == ".xls":
        raise EnvmapError(f"{name} 是旧版 Excel（.xls）文件。请在 Excel/WPS 中另存为 .xlsx 或 CSV 后再导入。")
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise EnvmapError(f"{name} 是 UTF-16 编码的文本。请另存为 UTF-8 或 GBK 编码的 CSV 后再导入。")
    if head[:2] == b"PK" or suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, name, limits, notices)
    return _read_csv(path, name, limits)


def _read_csv(path: Path, name: str, limits: safeio.Limits) -> list[tuple[int, list[str]]]:
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        raise EnvmapError(f"{name} 是二进制文件，不是 CSV。请导入 CSV（UTF-8 或 GBK）或 Excel .xlsx 文件。")
    decoded = decode_text(data)
    if decoded is None:
        raise EnvmapError(f"{name} 的编码无法识别：既不是 UTF-8 也不是 GBK。请另存为 UTF-8 编码的 CSV。")
    text = decoded[0]
    first = text.split("\n", 1)[0]
    delimiter = max(("\t", ",", ";"), key=first.count) if any(d in first for d in "\t,;") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    budget = safeio.RowBudget(name, limits)
    rows: list[tuple[int, list[str]]] = []
    try:
        for cells in reader:
            line = reader.line_num
            cleaned = [c.strip() for c in cells]
            budget.row(cleaned, line)
            if any(cleaned):
                rows.append((line, cleaned))
    except csv.Error as exc:
        raise EnvmapError(f"{name} 第 {reader.line_num} 行无法按 CSV 读取（{exc}）。单元格可能过长或引号不成对，请检查该行。") from exc
    return rows


def _read_xlsx(path: Path, name: str, limits: safeio.Limits, notices: list[str]) -> list[tuple[int, list[str]]]:
    import openpyxl

    safeio.inspect_zip(name, path, limits)
    claimed = safeio.xlsx_claimed_range(path)
    if claimed and (claimed[0] > limits.rows or claimed[1] > limits.columns):
        notices.append(f"工作表声明的范围为 {claimed[0]:,} 行 × {claimed[1]:,} 列，远大于实际内容；已忽略该声明，按实际行读取。")
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise EnvmapError(f"无法打开 Excel 文件 {name}（{type(exc).__name__}）。请另存为 .xlsx 或 CSV 后再导入。") from exc
    try:
        sheets = book.worksheets
        if not sheets:
            raise EnvmapError(f"{name} 中没有工作表。")
        if len(sheets) > 1:
            notices.append(f"文件有 {len(sheets)} 个工作表，只读取第一个“{sheets[0].title}”。")
        sheet = sheets[0]
        if hasattr(sheet, "reset_dimensions"):
            sheet.reset_dimensions()  # never trust <dimension>: read the rows that exist
        budget = safeio.RowBudget(name, limits)
        rows: list[tuple[int, list[str]]] = []
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            if len(row) > limits.columns:
                if any(v is not None for v in row[limits.columns:]):
                    budget.row([""] * len(row), number)
                row = row[: limits.columns]
            cells = [_cell_text(v) for v in row]
            while cells and not cells[-1]:
                cells.pop()
            budget.row(cells, number)
            if any(cells):
                rows.append((number, cells))
    except (OSError, ValueError, KeyError, EOFError) as exc:
        raise EnvmapError(f"{name} 的工作表无法读取（{type(exc).__name__}），文件可能已损坏。请重新导出后再导入。") from exc
    finally:
        book.close()
    return rows


# ----------------------------------------------------------------------------- columns


def _role(header: str) -> str | None:
    key = normalize_name(header)
    role = _ROLE_OF.get(key)
    if role:
        return role
    bare = split_header(header)[0]
    return _ROLE_OF.get(normalize_name(bare))


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


def _header_score(cells: list[str], standard: str) -> int:
    roles = {_role(c) for c in cells if c}
    items = sum(1 for c in cells if c and _role(c) is None and _header_item(c, standard)[0] is not None)
    return (3 if "site" in roles else 0) + (2 if "date" in roles else 0) + min(items, 5)


def _find_header(rows: list[tuple[int, list[str]]], standard: str) -> int:
    """Index of the header row among the first rows (title rows above it are skipped)."""
    best, best_score = 0, -1
    for k, (_line, cells) in enumerate(rows[:15]):
        score = _header_score(cells, standard)
        if score > best_score:
            best, best_score = k, score
    return best


def _merge_second_header(header: list[str], below: list[str], standard: str) -> tuple[list[str], str] | None:
    """A header whose item names sit in the row below a merged group cell (“监测项目(mg/L)”)."""
    items_below = sum(1 for c in below if c and _header_item(c, standard)[0] is not None)
    if items_below < 2:
        return None
    unit = ""
    for cell in header:
        match = _UNIT_IN_GROUP.search(cell or "")
        if match and _GENERIC_GROUP.search(cell):
            unit = match.group(1)
    width = max(len(header), len(below))
    merged = []
    for k in range(width):
        top = header[k] if k < len(header) else ""
        low = below[k] if k < len(below) else ""
        merged.append(low if low and (not top or _GENERIC_GROUP.search(top) or _header_item(low, standard)[0]) else top)
    return merged, unit


@dataclass
class _Layout:
    columns: list[Column]
    roles: dict[str, int]
    items: dict[int, Column]
    notices: list[str]
    problems: list[RowProblem]
    default_unit: str = ""


def _columns(header: list[str], line: int, standard: str, default_unit: str = "") -> _Layout:
    columns: list[Column] = []
    roles: dict[str, int] = {}
    items: dict[int, Column] = {}
    ignored: list[str] = []
    unknown: list[str] = []
    problems: list[RowProblem] = []
    for index, name in enumerate(header):
        name = (name or "").strip()
        if not name:
            columns.append(Column(index, name, "ignored"))
            continue
        message = safeio.check_text(name, 200, "列名")
        if message:
            problems.append(RowProblem(line, message))
            columns.append(Column(index, name[:40], "ignored"))
            continue
        role = _role(name)
        if role and role not in roles:
            roles[role] = index
            columns.append(Column(index, name, role))
            continue
        if role:  # a second column of the same role (two 备注, 上周/本周 水质类别)
            ignored.append(name)
            columns.append(Column(index, name, "ignored"))
            continue
        row, unit, problem = _header_item(name, standard)
        if row is None and normalize_name(name) in _IGNORED:
            ignored.append(name)
            columns.append(Column(index, name, "ignored"))
            continue
        if row is None:
            if problem:
                problems.append(RowProblem(line, problem))
            else:
                unknown.append(name)
            columns.append(Column(index, name, "unknown"))
            continue
        if not unit and default_unit and row.unit in ("mg/L", "μg/L"):
            unit = default_unit  # the group header's unit applies to the concentrations under it
        if unit:
            try:
                convert(1.0, unit, row.unit, row.name)
            except ValueProblem as exc:
                problems.append(RowProblem(line, f"列“{name}”：{exc}"))
                columns.append(Column(index, name, "unknown"))
                continue
        if any(other.limit is row for other in items.values()):
            problems.append(RowProblem(line, f"项目“{row.name}”有两列（“{name}”）。每个项目只能有一列，请删除或合并重复的列。"))
            columns.append(Column(index, name, "unknown"))
            continue
        column = Column(index, name, "item", row, unit)
        items[index] = column
        columns.append(column)
    notices: list[str] = []
    if ignored:
        notices.append(f"以下列不是监测项目，已忽略：{'、'.join(ignored)}。")
    if unknown:
        notices.append(f"以下列无法识别，已忽略（不影响导入；若是监测项目请改用 {STANDARDS[standard]} 的名称）：{'、'.join(unknown)}。")
    kept = [label for role, label in (("province", "省份"), ("basin", "流域"), ("city", "所在地市"), ("river", "所属河流"),
                                      ("reported_class", "水质类别"), ("station_state", "站点情况")) if role in roles]
    if kept:
        notices.append(f"已识别并保留：{'、'.join(kept)}（用于区分同名断面、记录来源自带的类别与站点情况）。")
    return _Layout(columns, roles, items, notices, problems, default_unit)


# ----------------------------------------------------------------------------- parsing


def parse_file(path: str | Path, standard: str = "surface", *, name: str | None = None, year: int | None = None,
               method: str = "detect") -> ParsedFile:
    """Read and parse a monitoring file; see the module doc. Never raises for a bad row.

    ``method`` is "auto" (automatic station), "manual", or "detect" (auto when readings carry a
    time of day or a 站点情况 column exists). Raises :class:`EnvmapError` only when the file as
    a whole cannot be read (too large, damaged, not a table).
    """
    path = Path(path)
    name = name or path.name
    if standard not in NAMED:
        raise EnvmapError(f"标准“{standard}”无法识别。请用 surface（地表水）或 groundwater（地下水）。")
    if method not in ("auto", "manual", "detect"):
        raise EnvmapError(f"监测方式“{method}”无法识别。请用 auto（自动监测）、manual（手工监测）或 detect（自动判断）。")
    notices: list[str] = []
    rows = read_table(path, name, notices=notices)
    return parse_rows(rows, name, standard, year=year, method=method, notices=notices)


def site_places(rows: list[tuple[int, list[str]]]) -> list[Reading]:
    """The stations (name and place, no values) of a table's rows: enough to tell its standard."""
    if not rows:
        return []
    at = max(range(min(len(rows), 15)), key=lambda k: _header_score(rows[k][1], "surface") + _header_score(rows[k][1], "groundwater"))
    header = rows[at][1]
    roles: dict[str, int] = {}
    for index, name in enumerate(header):
        role = _role(name or "")
        if role and role not in roles:
            roles[role] = index
    if "site" not in roles:
        return []

    def get(cells: list[str], role: str) -> str:
        k = roles.get(role)
        return cells[k].strip() if k is not None and k < len(cells) else ""

    seen: dict[tuple[str, str, str], Reading] = {}
    for line, cells in rows[at + 1:]:
        site = get(cells, "site")
        if site and len(site) <= safeio.NAME_CHARS:
            place = Reading(line, site, "", province=get(cells, "province"), basin=get(cells, "basin"),
                            city=get(cells, "city"), county=get(cells, "county"))
            seen.setdefault(place.site_key, place)
    return list(seen.values())


def parse_rows(rows: list[tuple[int, list[str]]], name: str, standard: str = "surface", *, year: int | None = None,
               method: str = "detect", notices: list[str] | None = None) -> ParsedFile:
    """Parse the rows :func:`read_table` gave (see :func:`parse_file`)."""
    if standard not in NAMED:
        raise EnvmapError(f"标准“{standard}”无法识别。请用 surface（地表水）或 groundwater（地下水）。")
    if method not in ("auto", "manual", "detect"):
        raise EnvmapError(f"监测方式“{method}”无法识别。请用 auto（自动监测）、manual（手工监测）或 detect（自动判断）。")
    notices = list(notices or [])
    if not rows:
        return ParsedFile(name, standard, "wide", "manual", [], [RowProblem(None, "文件是空的，没有任何数据行。")], notices)
    at = _find_header(rows, standard)
    if at:
        notices.append(f"表头在第 {rows[at][0]} 行，上面的 {at} 行（标题等）已跳过。")
    header_line, header = rows[at]
    body = rows[at + 1:]
    default_unit = ""
    if body:
        merged = _merge_second_header(header, body[0][1], standard)
        if merged:
            header, default_unit = merged
            header_line = body[0][0]
            body = body[1:]
            notices.append("表头占两行（项目名称在合并单元格“监测项目”之下），已合并读取。")
    layout = _columns(header, header_line, standard, default_unit)
    notices += layout.notices
    problems = list(layout.problems)
    roles = layout.roles
    long = "item" in roles and "value" in roles
    missing = [label for role, label in (("site", "断面/点位名称"), ("date", "监测日期或时间")) if role not in roles]
    if long and layout.items:
        problems.append(RowProblem(header_line, "文件既有“项目/值”列又有项目列。请只用一种格式：宽表（每个项目一列）或长表（项目、值两列）。"))
    if not long and not layout.items:
        missing.append("监测项目（宽表每个项目一列，或长表的“项目”“值”两列）")
    if missing:
        problems.append(RowProblem(header_line, (
            f"找不到{'、'.join(missing)}列（表头在第 {header_line} 行）。断面列可写作 "
            f"{'/'.join(ROLE_HEADERS['site'][2:8])}；日期列可写作 {'/'.join(ROLE_HEADERS['date'][2:9])}。")))
    if problems:
        return ParsedFile(name, standard, "long" if long else "wide", "manual", [], problems, notices,
                          columns=layout.columns)
    state = _State(standard, year, layout, problems, notices)
    for line, cells in body:
        state.row(line, cells, long)
    state.finish()
    readings = list(state.readings.values())
    detected = "auto" if (any(r.time for r in readings) or "station_state" in roles) else "manual"
    chosen = detected if method == "detect" else method
    return ParsedFile(name, standard, "long" if long else "wide", chosen, readings, sorted(problems, key=lambda p: p.line or 0),
                      notices, needs_year=state.needs_year, columns=layout.columns, stations=state.stations)


class _State:
    """Rows → readings, collecting problems and notices."""

    def __init__(self, standard: str, year: int | None, layout: _Layout, problems: list[RowProblem],
                 notices: list[str]) -> None:
        self.standard = standard
        self.year = year
        self.layout = layout
        self.problems = problems
        self.notices = notices
        self.readings: dict[tuple[str, str, str, str, str], Reading] = {}
        self.needs_year = False
        self.yearless_example = ""
        self.yearless_months: set[int] = set()
        self.skipped_empty: list[int] = []
        self.skipped_status: dict[str, int] = {}
        self.repeats = 0
        self.unknown_items: dict[str, int] = {}
        self.station_states: dict[str, int] = {}
        self.forms: set[str] = set()
        self.stations: dict[tuple[str, str, str], Reading] = {}

    def cell(self, cells: list[str], role: str) -> str:
        index = self.layout.roles.get(role)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    def row(self, line: int, cells: list[str], long: bool) -> None:
        site = self.cell(cells, "site")
        date_text = self.cell(cells, "date")
        time_text = self.cell(cells, "time")
        values_present = self._any_value(cells, long)
        if not site and not date_text and not values_present:
            return
        if not site:
            self.problems.append(RowProblem(line, "断面/点位名称为空。请填写断面名称。"))
            return
        too_long = safeio.check_text(site, safeio.NAME_CHARS, "断面/点位名称")
        if too_long:
            self.problems.append(RowProblem(line, too_long))
            return
        if _UNSAFE_NAME.search(site):
            self.problems.append(RowProblem(line, (
                f"断面/点位名称“{site[:30]}”含有公式或网页标记符号（开头的 = + @，或 < >），不像断面名称。请核对该单元格。")))
            return
        place = Reading(line, site, "", province=self.cell(cells, "province"), basin=self.cell(cells, "basin"),
                        city=self.cell(cells, "city"), county=self.cell(cells, "county"), river=self.cell(cells, "river"))
        if all(len(getattr(place, a)) <= safeio.NAME_CHARS for a in ("province", "basin", "city", "county", "river")):
            self.stations.setdefault(place.site_key, place)
        if not date_text:
            state = cell_status(self.cell(cells, "station_state")) or cell_status(self.cell(cells, "status"))
            if not values_present:
                self.skipped_empty.append(line)
                if state:
                    self.skipped_status[state] = self.skipped_status.get(state, 0) + 1
                return
            self.problems.append(RowProblem(line, f"“{site}”没有监测日期/时间，但有监测值。请填写日期（如 2024-01-15 或 2024-01）。"))
            return
        when = _when(f"{date_text} {time_text}".strip() if time_text else date_text, self.year)
        if when is None:
            self.problems.append(RowProblem(line, (
                f"日期“{date_text}{(' ' + time_text) if time_text else ''}”无法识别。请写作 2024-01-15、"
                "2024-01-15 16:00 或 2024-01（月份）；Excel 日期单元格也可以。")))
            return
        date, time, supplied = when
        if date != "?" and not _YEARS[0] <= int(date[:4]) <= _YEARS[1]:
            self.problems.append(RowProblem(line, (
                f"日期“{date_text}”的年份 {date[:4]} 不可能是监测年份（应在 {_YEARS[0]}–{_YEARS[1]} 年之间）。请核对日期。")))
            return
        if date == "?":
            self.needs_year = True
            self.yearless_example = self.yearless_example or time
            return
        if supplied:
            self.yearless_months.add(int(date[5:7]))
        reading = Reading(line, site, date, time, province=self.cell(cells, "province"), basin=self.cell(cells, "basin"),
                          city=self.cell(cells, "city"), county=self.cell(cells, "county"), river=self.cell(cells, "river"))
        for attr in ("province", "basin", "city", "county", "river"):
            message = safeio.check_text(getattr(reading, attr), safeio.NAME_CHARS, attr_label(attr))
            if message:
                self.problems.append(RowProblem(line, message))
                return
        wb_text = self.cell(cells, "waterbody")
        if wb_text:
            wb = parse_waterbody(wb_text)
            if wb is None:
                self.problems.append(RowProblem(line, f"水体类型“{wb_text}”无法识别。请写 河流、湖泊 或 水库（或留空，按断面登记的类型）。"))
            else:
                reading.waterbody = wb
        existing = self.readings.get(reading.key)
        target = existing or reading
        # a long file spreads one reading over rows: its state goes to the reading; a repeated
        # wide row is compared with the first one (_merge)
        self._status(target if long else reading, cells, line)
        self._reported(target if long else reading, cells, line)
        if long:
            self._long(target, cells, line)
        else:
            for index, column in self.layout.items.items():
                text = cells[index] if index < len(cells) else ""
                self._add(target, column.limit, text, column.unit, line)  # type: ignore[arg-type]
        if existing is None:
            self.readings[reading.key] = reading
        elif not long:
            self._merge(existing, reading, line)

    def _any_value(self, cells: list[str], long: bool) -> bool:
        if long:
            text = self.cell(cells, "value")
            return bool(text) and parse_missing(text) is False
        for index in self.layout.items:
            text = cells[index] if index < len(cells) else ""
            if text and parse_missing(text) is False:
                return True
        return False

    def _status(self, reading: Reading, cells: list[str], line: int) -> None:
        text = self.cell(cells, "status")
        if text:
            status = STATUS_WORDS.get(text) or ({"正常": "ok", "ok": "ok", "dry": "dry", "not_monitored": "not_monitored"}
                                                .get(text.lower() if text.isascii() else text))
            if status is None:
                self.problems.append(RowProblem(line, f"状态“{text}”无法识别。请写 断流、冰封、未监测、维护，或留空。"))
            elif status != "ok":
                reading.status = status
        state = self.cell(cells, "station_state")
        if state and state not in _STATION_OK:
            reading.station_state = state
            self.station_states[state] = self.station_states.get(state, 0) + 1
        target = self.cell(cells, "target")
        if target:
            klass = parse_class(target)
            if klass is None:
                self.problems.append(RowProblem(line, f"水质目标“{target}”无法识别。请写作 Ⅰ…Ⅴ 或 劣Ⅴ。"))
            else:
                reading.target = klass

    def _reported(self, reading: Reading, cells: list[str], line: int) -> None:
        text = self.cell(cells, "reported_class")
        if not text or parse_missing(text) is not False:
            return
        klass = parse_class(text)
        if klass is None:
            self.forms.add(f"水质类别“{text}”")
            return
        reading.reported_class = klass

    def _long(self, reading: Reading, cells: list[str], line: int) -> None:
        name = self.cell(cells, "item")
        value = self.cell(cells, "value")
        unit = self.cell(cells, "unit")
        row, header_unit, problem = _header_item(name, self.standard)
        if row is None:
            if problem:
                self.problems.append(RowProblem(line, problem))
            else:
                self.unknown_items[name] = self.unknown_items.get(name, 0) + 1
            return
        if unit and not is_unit(unit):
            self.problems.append(RowProblem(line, f"{row.name}的单位“{unit}”无法识别。请写作 {row.unit}（或 mg/L、μg/L）。"))
            return
        self._add(reading, row, value, unit or header_unit, line)

    def _add(self, reading: Reading, row: Limit, text: str, unit: str, line: int) -> None:
        status = cell_status(text)
        if status:
            if reading.status == "ok":
                reading.status = status
            self.forms.add(f"“{text.strip()}”")
            return
        try:
            measurement = parse_value(text, row, unit)
        except ValueProblem as exc:
            self.problems.append(RowProblem(line, f"{reading.site} {reading.date}{(' ' + reading.time) if reading.time else ''}：{exc}"))
            return
        if measurement is None:
            return
        if row in reading.values:
            first, first_line, first_text = reading.values[row]
            if first == measurement:
                self.repeats += 1
                return
            when = f"{reading.date}{(' ' + reading.time) if reading.time else ''}"
            self.problems.append(RowProblem(line, (
                f"{reading.site} {when} 的“{row.name}”重复且数值不同（第 {first_line} 行 {first_text}，本行 {text}）。"
                "同一断面同一时间的每个项目只能有一个值，请删除错误的一行。")))
            return
        reading.values[row] = (measurement, line, text.strip())

    def _merge(self, existing: Reading, new: Reading, line: int) -> None:
        if new.reported_class and existing.reported_class and new.reported_class != existing.reported_class:
            self.problems.append(RowProblem(line, (
                f"{new.site} {new.date} {new.time} 在第 {existing.line} 行和本行的水质类别不同"
                f"（{existing.reported_class}、{new.reported_class}）。请删除重复的一行。")))
        existing.reported_class = existing.reported_class or new.reported_class
        if new.target and existing.target not in (None, new.target):
            self.problems.append(RowProblem(line, f"{new.site} {new.date} 的水质目标前后不一致（{existing.target}、{new.target}）。"))

    def finish(self) -> None:
        if self.needs_year:
            self.problems.append(RowProblem(None, (
                f"监测时间“{self.yearless_example}”没有年份，无法确定是哪一年的数据。请指定年份后再导入"
                "（命令行：--year 2025；导入页面：在“年份”框中填写），年份不会被猜测。")))
        if {12, 1} <= self.yearless_months:
            self.notices.append("文件中既有 12 月又有 1 月的无年份时间，全部按指定年份计；如跨年，请分成两个文件分别导入。")
        if self.skipped_empty:
            states = "、".join(f"{STATUS_LABELS[k]} {v} 行" for k, v in self.skipped_status.items())
            detail = f"（其中站点情况为{states}）" if states else ""
            self.notices.append(f"{len(self.skipped_empty)} 行没有监测时间，也没有任何数值{detail}，未导入："
                                f"{_lines(self.skipped_empty)}。")
        if self.repeats:
            self.notices.append(f"{self.repeats} 个值与前面的行完全相同（同一断面、时间、项目与数值），按一次计。")
        if self.unknown_items:
            names = "、".join(f"“{k}”（{v} 行）" for k, v in self.unknown_items.items())
            self.notices.append(f"以下项目不是 {STANDARDS[self.standard]} 的项目，已忽略：{names}。")
        if self.station_states:
            states = "、".join(f"{k} {v} 行" for k, v in self.station_states.items())
            self.notices.append(f"站点情况：{states}；这些行发布的数值照常导入（与国家平台一致），没有数值的项目按缺测处理。")
        if self.forms:
            self.notices.append(f"以下写法按约定处理（见 README“监测值的写法”）：{'、'.join(sorted(self.forms))}。")


def attr_label(attr: str) -> str:
    return {"province": "省份", "basin": "流域", "city": "所在地市", "county": "县", "river": "所属河流"}[attr]


def parse_missing(text: str) -> bool | None:
    """True for a missing-value form, None for a status word, False for anything else."""
    from geodata.quality.values import MISSING

    raw = unicodedata.normalize("NFKC", text).strip()
    if raw in MISSING:
        return True
    if STATUS_WORDS.get(text.strip()):
        return None
    return False


def _lines(lines: list[int]) -> str:
    shown = "第 " + "、".join(str(n) for n in lines[:10]) + " 行"
    return shown + (f"等 {len(lines)} 行" if len(lines) > 10 else "")
