"""Read point locations a user supplies for an existing layer ("better geometry" import).

``read_locations`` reads GeoJSON, a zipped Shapefile, a GeoPackage or a CSV of lon/lat columns,
matches every row to an existing record of the layer (by ``id`` column, else by name), converts
the coordinates from the stated CRS to WGS84 and checks them. It returns one
:class:`LocationUpdate` per row, or raises :class:`~geodata.errors.ImportRejected` listing every
problem of the file: never a partial result. Writing the updates is the store's job.
"""

from __future__ import annotations

import csv
import difflib
import io
import math
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from geodata import safeio
from geodata.errors import ImportRejected, RowProblem, UnknownTable
from geodata.geo.area import AREA_BOUNDS, AREA_NAME, describe_bounds, in_area
from geodata.geo.crs import CRS_LABELS, SUPPORTED_CRS, UnknownCRS, normalize_crs, to_wgs84
from geodata.model import POINT_TABLES
from geodata.textio import decode_text

LAYER_LABELS: dict[str, str] = {
    "sections": "断面",
    "enterprises": "企业",
    "groundwater_points": "地下水点位",
    "drinking_water_sources": "饮用水源",
}
FORMATS = "GeoJSON（.geojson/.json）、压缩的 Shapefile（.zip）、GeoPackage（.gpkg）、CSV（.csv）"

# Column names recognised in the file (compared lower-cased, without a trailing "(…)"/"（…）").
LON_COLUMNS = ("lon", "lng", "long", "longitude", "经度", "x")
LAT_COLUMNS = ("lat", "latitude", "纬度", "y")
ID_COLUMNS = ("id",)
NAME_COLUMNS = ("name", "名称", "断面名称", "点位名称", "企业名称", "水源地名称", "水源名称")
COUNTY_COLUMNS = ("county", "县", "区县", "所在县", "县（市、区）", "所在县（市、区）")

# Geographic CRSs that equal WGS84 at this scale (EPSG:4326 WGS84, EPSG:4490 CGCS2000).
_ACCEPTED_EPSG = {4326, 4490}
_ACCEPTED_DATUMS = ("world geodetic system 1984", "china 2000", "china geodetic coordinate system 2000")

_SPACES = re.compile(r"\s+")
DECIMALS = 6


@dataclass(frozen=True)
class LocationUpdate:
    """A new location for one existing record, as read from a user's file (WGS84)."""

    layer: str
    record_id: str
    name: str
    lon: float
    lat: float
    precision: str = "exact"
    method: str = "imported"
    crs: str = "wgs84"  # the CRS the file was stated to be in (coordinates are already WGS84)
    source_file: str = ""
    source_row: int = 0  # 1-based data row; for CSV the line number including the header


@dataclass
class _Row:
    """One data row of the file, before matching: its attributes and raw coordinates."""

    row: int
    attrs: dict[str, str]
    lon: float | None = None
    lat: float | None = None
    problem: str | None = None  # a geometry/coordinate problem found while reading


class _FileProblem(Exception):
    """The file as a whole cannot be read; becomes a single RowProblem without a line."""


# --- public ------------------------------------------------------------------------------


def read_locations(
    path: str | Path,
    layer: str,
    crs: str,
    records: pd.DataFrame,
    *,
    bounds: tuple[float, float, float, float] = AREA_BOUNDS,
) -> list[LocationUpdate]:
    """The location updates in ``path`` for ``layer`` (one of ``POINT_TABLES``).

    ``crs`` is the stated coordinate system of the file (wgs84 | cgcs2000 | gcj02 | bd09);
    ``records`` holds the layer's existing records (columns ``id``, ``name``; ``county`` is used
    to tell apart records of the same name). Raises ``ImportRejected`` on any problem.
    """
    path = Path(path)
    file_name = path.name
    if layer not in POINT_TABLES:
        raise UnknownTable(layer, list(POINT_TABLES))
    hint = (
        f"请修改文件后重新导入。支持的格式：{FORMATS}；坐标系用 --crs 指定："
        + "、".join(SUPPORTED_CRS)
        + f"；坐标须在{AREA_NAME}范围内（{describe_bounds(bounds)}）。"
    )
    try:
        crs_name = normalize_crs(crs)
    except UnknownCRS as exc:
        raise ImportRejected(file_name, [RowProblem(None, str(exc))], hint=hint) from None

    try:
        _check_file(path)
        rows = _read_rows(path, layer, crs_name)
    except (_FileProblem, safeio.UnsafeFile) as exc:
        raise ImportRejected(file_name, [RowProblem(None, str(exc))], hint=hint) from None
    if len(rows) > safeio.GEO.rows:
        raise ImportRejected(file_name, [RowProblem(None, f"文件有 {len(rows):,} 行，超过上限 {safeio.GEO.rows:,} 行。请拆分后再导入。")],
                             hint=hint)
    if not rows:
        raise ImportRejected(file_name, [RowProblem(None, "文件中没有数据行。")], hint=hint)

    problems: list[RowProblem] = []
    matched: list[tuple[_Row, str, str, float, float]] = []
    matcher = _Matcher(records, layer)
    first_row_of: dict[str, int] = {}
    for row in rows:
        row_problems: list[str] = [m for m in (safeio.check_text(str(v), safeio.NAME_CHARS, "名称/编号")
                                               for v in row.attrs.values() if v is not None) if m]
        if row_problems:
            problems += [RowProblem(row.row, msg) for msg in row_problems]
            continue
        coords = _check_coordinates(row, crs_name, bounds, row_problems)
        record = matcher.match(row, row_problems)
        if record is not None:
            record_id, record_name = record
            if record_id in first_row_of:
                row_problems.append(
                    f"与第 {first_row_of[record_id]} 行匹配到同一条{LAYER_LABELS[layer]}记录"
                    f"“{record_name}”（id {record_id}），每条记录只能出现一次。"
                )
            else:
                first_row_of[record_id] = row.row
                if coords is not None:
                    matched.append((row, record_id, record_name, *coords))
        problems += [RowProblem(row.row, msg) for msg in row_problems]

    if problems:
        raise ImportRejected(file_name, problems, hint=hint)
    return [
        LocationUpdate(
            layer=layer,
            record_id=record_id,
            name=name,
            lon=round(lon, DECIMALS),
            lat=round(lat, DECIMALS),
            crs=crs_name,
            source_file=file_name,
            source_row=row.row,
        )
        for row, record_id, name, lon, lat in matched
    ]


# --- coordinates -------------------------------------------------------------------------


def _check_coordinates(
    row: _Row, crs: str, bounds: tuple[float, float, float, float], problems: list[str]
) -> tuple[float, float] | None:
    """The row's WGS84 (lon, lat), or None after appending the reason to ``problems``."""
    if row.problem:
        problems.append(row.problem)
        return None
    assert row.lon is not None and row.lat is not None
    lon, lat = row.lon, row.lat
    where = describe_bounds(bounds)
    if not in_area(lon, lat, bounds) and in_area(lat, lon, bounds):
        problems.append(
            f"经纬度可能写反：经度 {lon:g}、纬度 {lat:g} 不在{AREA_NAME}范围内（{where}），"
            f"对调后（经度 {lat:g}、纬度 {lon:g}）才在范围内。请检查经度、纬度两列。"
        )
        return None
    wlon, wlat = to_wgs84(lon, lat, crs)
    if not in_area(wlon, wlat, bounds):
        problems.append(
            f"坐标（经度 {lon:g}、纬度 {lat:g}）不在{AREA_NAME}范围内（{where}）。"
            "请确认坐标是经纬度（度）而不是投影坐标（米），并检查数值。"
        )
        return None
    return wlon, wlat


def _number(text: str, what: str) -> tuple[float | None, str | None]:
    value = text.strip().replace("，", ",")
    if not value:
        return None, f"缺少{what}。"
    try:
        number = float(value)
    except ValueError:
        return None, f"{what}“{text.strip()}”不是数字（应为十进制度数，如 111.0123）。"
    if not math.isfinite(number):
        return None, f"{what}“{text.strip()}”不是有效数字。"
    return number, None


def _point_of(geom: Any) -> tuple[float | None, float | None, str | None]:
    """(x, y, problem) of a feature's geometry: points only; a one-point MultiPoint is fine."""
    if geom is None or geom.is_empty:
        return None, None, "几何为空（没有坐标）。"
    kind = geom.geom_type
    if kind == "MultiPoint":
        parts = list(geom.geoms)
        if len(parts) != 1:
            return None, None, f"多点要素（MultiPoint）含 {len(parts)} 个点；每条记录只能有一个点。"
        geom = parts[0]
        kind = geom.geom_type
    if kind != "Point":
        return None, None, f"几何类型为 {kind}；本图层只接受点（Point）。"
    x, y = geom.x, geom.y
    if not (math.isfinite(x) and math.isfinite(y)):
        return None, None, "几何无效：坐标不是有效数字。"
    return float(x), float(y), None


# --- matching ----------------------------------------------------------------------------


def _norm(text: Any) -> str:
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return ""
    return _SPACES.sub("", str(text))


def _id_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer():
            return str(int(value))
    return str(value).strip()


class _Matcher:
    def __init__(self, records: pd.DataFrame, layer: str) -> None:
        self.label = LAYER_LABELS[layer]
        self.by_id: dict[str, str] = {}
        self.by_name: dict[str, list[tuple[str, str, str]]] = {}
        counties = records["county"] if "county" in records.columns else [""] * len(records)
        for rid, name, county in zip(records["id"], records["name"], counties, strict=True):
            rid_text, name_text = _id_text(rid), _norm(name)
            self.by_id[rid_text] = name_text
            if name_text:
                self.by_name.setdefault(name_text, []).append((rid_text, name_text, _norm(county)))

    def _suggest(self, text: str, choices: list[str]) -> str:
        close = difflib.get_close_matches(text, choices, n=1, cutoff=0.5)
        return f"是否为“{close[0]}”？" if close else ""

    def match(self, row: _Row, problems: list[str]) -> tuple[str, str] | None:
        rid = _id_text(row.attrs.get("id", ""))
        if rid:
            if rid in self.by_id:
                return rid, self.by_id[rid]
            problems.append(f"id“{rid}”在{self.label}表中不存在。" + self._suggest(rid, list(self.by_id)))
            return None
        name = _norm(row.attrs.get("name", ""))
        if not name:
            problems.append("缺少名称（也没有 id），无法对应到已有记录。")
            return None
        candidates = self.by_name.get(name, [])
        if len(candidates) > 1:
            county = _norm(row.attrs.get("county", ""))
            if county:
                candidates = [c for c in candidates if c[2] == county] or candidates
        if len(candidates) == 1:
            return candidates[0][0], candidates[0][1]
        if not candidates:
            problems.append(
                f"名称“{name}”在{self.label}表中找不到。" + self._suggest(name, list(self.by_name))
            )
            return None
        ids = "、".join(f"{c[0]}（{c[2] or '县未知'}）" for c in candidates)
        problems.append(f"名称“{name}”对应多条{self.label}记录：{ids}。请在文件中加 id 列按编号匹配。")
        return None


# --- reading -----------------------------------------------------------------------------


def _canon(header: Any) -> tuple[str, str]:
    """The header lower-cased, and the same without a trailing "(…)"/"（…）" note."""
    text = str(header).replace("\ufeff", "").strip().lower()
    return text, re.split(r"[（(]", text, maxsplit=1)[0].strip()


def _find(columns: list[str], aliases: tuple[str, ...]) -> str | None:
    """The first column (in alias order) whose header is one of ``aliases``."""
    for alias in aliases:
        for column in columns:
            if alias in _canon(column):
                return column
    return None


def _roles(columns: list[str]) -> dict[str, str]:
    """role (id/name/county/lon/lat) → the file's column name, for the roles present."""
    found = {
        "id": _find(columns, ID_COLUMNS),
        "name": _find(columns, NAME_COLUMNS),
        "county": _find(columns, COUNTY_COLUMNS),
        "lon": _find(columns, LON_COLUMNS),
        "lat": _find(columns, LAT_COLUMNS),
    }
    return {role: col for role, col in found.items() if col is not None}


def _require_key(roles: dict[str, str]) -> None:
    if "id" not in roles and "name" not in roles:
        raise _FileProblem(
            "找不到用于对应记录的列：需要 id 列，或名称列（" + "、".join(NAME_COLUMNS) + "）。"
        )


def _check_file(path: Path) -> None:
    """File size for every format; the zip container of a zipped Shapefile (bounded unzip)."""
    if not path.is_file():
        return
    safeio.check_size(path.name, safeio.file_size(path), safeio.GEO.file_bytes, safeio.GEO.label)
    if path.suffix.lower() == ".zip":
        safeio.inspect_zip(path.name, path, safeio.GEO)


def _read_rows(path: Path, layer: str, crs: str) -> list[_Row]:
    if not path.is_file():
        raise _FileProblem(f"文件不存在：{path}")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path)
    if suffix in (".geojson", ".json"):
        frame = _read_frame(str(path))
    elif suffix == ".zip":
        frame = _read_zipped_shapefile(path)
    elif suffix == ".gpkg":
        frame = _read_frame(str(path), layer=_gpkg_layer(path, layer))
    elif suffix == ".shp":
        raise _FileProblem("Shapefile 请把 .shp、.dbf、.shx、.prj（及 .cpg）一起压缩成 .zip 后导入。")
    else:
        raise _FileProblem(f"不支持的文件格式“{path.suffix}”。支持：{FORMATS}。")
    _check_file_crs(frame, crs)
    return _frame_rows(frame)


def _read_frame(source: str, **kwargs: Any) -> Any:
    import geopandas

    try:
        return geopandas.read_file(source, engine="pyogrio", **kwargs)
    except UnicodeDecodeError:
        if "encoding" in kwargs:
            raise
        raise _FileProblem("属性文字的编码无法识别；GeoJSON 和 GeoPackage 须为 UTF-8 编码。") from None
    except Exception as exc:  # pyogrio raises DataSourceError, DataLayerError, …
        raise _FileProblem(f"无法读取文件：{exc}") from None


def _frame_rows(frame: Any) -> list[_Row]:
    columns = [c for c in frame.columns if c != frame.geometry.name]
    roles = _roles(columns)
    _require_key(roles)
    rows: list[_Row] = []
    keys = {role: frame[col].tolist() for role, col in roles.items() if role in ("id", "name", "county")}
    for index, geom in enumerate(frame.geometry.array):
        attrs = {role: values[index] for role, values in keys.items()}
        x, y, problem = _point_of(geom)
        rows.append(_Row(index + 1, attrs, x, y, problem))
    return rows


def _check_file_crs(frame: Any, stated: str) -> None:
    """Refuse a file whose own CRS contradicts the stated one (projected, or another datum)."""
    file_crs = frame.crs
    if file_crs is None:
        return
    epsg = file_crs.to_epsg()
    if epsg in _ACCEPTED_EPSG:
        return
    datum = (file_crs.datum.name if file_crs.datum else "").lower()
    if file_crs.is_geographic and any(datum.startswith(d) for d in _ACCEPTED_DATUMS):
        return
    code = f"（EPSG:{epsg}）" if epsg else ""
    kind = "投影坐标系（单位为米）" if file_crs.is_projected else "坐标系"
    raise _FileProblem(
        f"文件自带的{kind}为“{file_crs.name}”{code}，与 --crs 指定的 {CRS_LABELS[stated]} 不符。"
        "请先在 GIS 软件中把数据转换为经纬度（EPSG:4326 或 EPSG:4490），再以正确的 --crs 导入。"
    )


# CSV


def _decode(data: bytes) -> str:
    decoded = decode_text(data)
    if decoded is None:
        raise _FileProblem("无法识别文件编码：既不是 UTF-8 也不是 GBK。请另存为 UTF-8 编码的 CSV。")
    return decoded[0]


def _read_csv(path: Path) -> list[_Row]:
    text = _decode(path.read_bytes())
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first and "," not in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise _FileProblem("文件是空的。") from None
    except csv.Error as exc:
        raise _FileProblem(f"表头无法按 CSV 读取（{exc}）。") from None
    roles = _roles(header)
    _require_key(roles)
    missing = [what for role, what in (("lon", "经度"), ("lat", "纬度")) if role not in roles]
    if missing:
        raise _FileProblem(
            f"找不到{'、'.join(missing)}列。经度列可写作 {'/'.join(LON_COLUMNS)}，"
            f"纬度列可写作 {'/'.join(LAT_COLUMNS)}。"
        )
    index = {role: header.index(col) for role, col in roles.items()}
    rows: list[_Row] = []
    budget = safeio.RowBudget(path.name, safeio.GEO)
    for cells in _guarded(reader, path.name):
        line = reader.line_num
        budget.row(cells, line)
        if not any(c.strip() for c in cells):
            continue

        def cell(role: str, cells: list[str] = cells) -> str:
            i = index.get(role)
            return cells[i] if i is not None and i < len(cells) else ""

        attrs = {role: cell(role) for role in ("id", "name", "county") if role in index}
        lon, lon_problem = _number(cell("lon"), "经度")
        lat, lat_problem = _number(cell("lat"), "纬度")
        problem = " ".join(p for p in (lon_problem, lat_problem) if p) or None
        rows.append(_Row(line, attrs, lon, lat, problem))
    return rows


def _guarded(reader: Any, name: str) -> Any:
    """Rows of a csv.reader; a malformed or oversized field becomes a Chinese message."""
    try:
        yield from reader
    except csv.Error as exc:
        raise _FileProblem(f"第 {reader.line_num} 行无法按 CSV 读取（单元格过长或引号不成对：{exc}）。") from None


# Zipped Shapefile


_CPG_ENCODINGS = {
    "utf8": "UTF-8",
    "utf-8": "UTF-8",
    "65001": "UTF-8",
    "gbk": "GBK",
    "cp936": "GBK",
    "936": "GBK",
    "gb2312": "GBK",
    "gb18030": "GB18030",
}


def _read_zipped_shapefile(path: Path) -> Any:
    try:
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.namelist() if not m.startswith("__MACOSX/")]
            shps = [m for m in members if m.lower().endswith(".shp")]
            if len(shps) != 1:
                found = "、".join(shps) if shps else "没有"
                raise _FileProblem(f"压缩包中应恰有一个 .shp 文件，实际：{found}。")
            stem = shps[0][:-4]
            lower = {m.lower(): m for m in members}
            absent = [ext for ext in (".dbf", ".shx") if (stem + ext).lower() not in lower]
            if absent:
                raise _FileProblem(
                    f"压缩包中缺少 {'、'.join(absent)} 文件（Shapefile 须含 .shp、.dbf、.shx）。"
                )
            cpg = lower.get((stem + ".cpg").lower())
            stated = archive.read(cpg).decode("ascii", errors="ignore").strip() if cpg else ""
    except zipfile.BadZipFile:
        raise _FileProblem("不是有效的 zip 压缩包。") from None
    source = f"zip://{path.resolve()}!{shps[0]}"
    if stated:
        encodings = [_CPG_ENCODINGS.get(stated.lower(), stated)]
    else:
        encodings = ["UTF-8", "GBK"]
    for encoding in encodings:
        try:
            return _read_frame(source, encoding=encoding)
        except UnicodeDecodeError:
            continue
    tried = "、".join(encodings)
    raise _FileProblem(f"属性表无法按 {tried} 编码读取。请在压缩包中加入 .cpg 文件写明编码（如 GBK）。")


# GeoPackage


def _gpkg_layer(path: Path, layer: str) -> str:
    import pyogrio

    try:
        layers = [(str(name), geom) for name, geom in pyogrio.list_layers(path)]
    except Exception as exc:
        raise _FileProblem(f"无法读取 GeoPackage：{exc}") from None
    spatial = [name for name, geom in layers if geom]
    if not spatial:
        raise _FileProblem("GeoPackage 中没有含几何的图层。")
    wanted = {layer.lower(), LAYER_LABELS[layer]}
    for name in spatial:
        if name.lower() in wanted:
            return name
    return spatial[0]
