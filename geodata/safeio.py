"""File safety for everything a user can hand to envmap: size, archives, spreadsheets, rows, text.

A file arrives from an upload or the command line and is parsed by libraries (openpyxl,
python-docx, pyogrio) that trust what the file says about itself. A 2 KB .xlsx that claims
the range ``A1:XFD1048576``, a zip whose members inflate to gigabytes, a 1 MB "name" or a
one-line 10 MB "plan" make them run for minutes or exhaust memory. This module checks the
claims *before* a parser sees the file and bounds the work *while* it reads:

* :func:`check_size` — the file's size, before anything is read;
* :func:`inspect_zip` — every member's declared size, the total, the compression ratio and
  the number of members of a zip container (.xlsx, .docx, zipped Shapefile). Python's
  ``zipfile`` never inflates a member beyond its declared size, so bounding the declared sizes
  bounds the decompression (a "bounded unzip");
* :func:`xlsx_claimed_range` — the ``<dimension>`` a worksheet claims, read from the first
  bytes of its XML; readers ignore it (``reset_dimensions``) and count real rows instead;
* :class:`RowBudget` — rows, cells and columns counted while streaming, stopping at the limit;
* :func:`check_text` — the length of one cell, name or line.

Every refusal is an :class:`UnsafeFile` (an :class:`~geodata.errors.EnvmapError`) whose
Chinese message names the limit and what to do. The limits are declared once, per kind of
file, in :data:`MONITORING`, :data:`GEO` and :data:`PLAN` (documented in the README).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from geodata.errors import EnvmapError

MB = 1024 * 1024


class UnsafeFile(EnvmapError):
    """A file refused before or while parsing because it exceeds a documented limit."""


@dataclass(frozen=True)
class Limits:
    """What one kind of input may be; see the README table “文件限制”."""

    label: str  # 监测数据 | 地理数据 | 行动计划
    file_bytes: int  # the file as uploaded
    unzipped_bytes: int  # sum of a zip container's members, inflated
    member_bytes: int  # one member of a zip container, inflated
    ratio: int  # inflated / compressed size of one member (zip bombs reach 1000+)
    members: int  # entries of a zip container
    rows: int  # data rows of a table
    cells: int  # non-empty cells of a table
    columns: int  # columns of one row
    text_chars: int  # one cell or name
    line_chars: int  # one line of a text document


MONITORING = Limits("监测数据", file_bytes=100 * MB, unzipped_bytes=400 * MB, member_bytes=300 * MB, ratio=200,
                    members=500, rows=500_000, cells=10_000_000, columns=200, text_chars=2_000, line_chars=200_000)
GEO = Limits("地理数据", file_bytes=200 * MB, unzipped_bytes=500 * MB, member_bytes=400 * MB, ratio=200,
             members=200, rows=200_000, cells=5_000_000, columns=300, text_chars=2_000, line_chars=1_000_000)
PLAN = Limits("行动计划", file_bytes=50 * MB, unzipped_bytes=200 * MB, member_bytes=30 * MB, ratio=200,
              members=2_000, rows=200_000, cells=2_000_000, columns=100, text_chars=200_000, line_chars=20_000)
# A plain-text plan is far smaller than a .docx with pictures: ~100 KB for a city's four plans.
PLAN_TEXT_BYTES = 5 * MB
# A PDF plan: a city's 14th Five-Year plan runs to ~150 pages; text extraction takes ~0.1–0.5 s a page.
PLAN_PDF_PAGES = 1_000
# Names of sites, sections and features (a real one has fewer than 40 characters).
NAME_CHARS = 100
# Ratios are only meaningful for members big enough to matter.
_RATIO_FLOOR = 1 * MB


def _size_text(n: int) -> str:
    if n >= MB:
        return f"{n / MB:.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n} 字节"


def check_size(name: str, size: int, limit: int, label: str) -> None:
    """Refuse a file larger than ``limit`` bytes before reading it."""
    if size > limit:
        raise UnsafeFile(
            f"{name} 有 {_size_text(size)}，超过{label}文件的上限 {_size_text(limit)}。"
            "请把文件拆分成几个较小的文件（如按月份或按区县）后分别导入。"
        )


def file_size(source: str | Path | bytes) -> int:
    if isinstance(source, bytes | bytearray):
        return len(source)
    try:
        return Path(source).stat().st_size
    except OSError as exc:
        raise UnsafeFile(f"无法读取文件 {Path(source).name}（{exc.strerror}）。请检查路径和权限。") from exc


def inspect_zip(name: str, source: str | Path | bytes, limits: Limits) -> list[zipfile.ZipInfo]:
    """The members of a zip container, after checking their declared sizes against ``limits``.

    Raises :class:`UnsafeFile` for too many members, a member or a total that would inflate
    beyond the limits, or a compression ratio typical of a zip bomb; and for a damaged archive.
    """
    try:
        handle = io.BytesIO(source) if isinstance(source, bytes | bytearray) else source
        with zipfile.ZipFile(handle) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as exc:
        raise UnsafeFile(f"{name} 不是有效的 zip 压缩包（{type(exc).__name__}），可能已损坏。请重新导出后再导入。") from exc
    if len(infos) > limits.members:
        raise UnsafeFile(f"{name} 内含 {len(infos)} 个文件，超过上限 {limits.members} 个，不像正常的{limits.label}文件。")
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > limits.member_bytes:
            raise UnsafeFile(
                f"{name} 中的 {info.filename} 解压后有 {_size_text(info.file_size)}，超过上限 {_size_text(limits.member_bytes)}。"
                "请检查文件是否异常，或拆分后再导入。"
            )
        if info.file_size > _RATIO_FLOOR and info.file_size > limits.ratio * max(info.compress_size, 1):
            raise UnsafeFile(
                f"{name} 中的 {info.filename} 压缩比异常（{_size_text(info.compress_size)} 解压为 {_size_text(info.file_size)}），"
                "像是“压缩炸弹”，未打开。请用原始软件重新导出文件。"
            )
    if total > limits.unzipped_bytes:
        raise UnsafeFile(
            f"{name} 解压后共 {_size_text(total)}，超过{limits.label}文件的上限 {_size_text(limits.unzipped_bytes)}。"
            "请拆分文件后再导入。"
        )
    return infos


_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]{1,3})(\d{1,7})(?::([A-Z]{1,3})(\d{1,7}))?"')


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n


def xlsx_claimed_range(source: str | Path | bytes, sheet_member: str | None = None) -> tuple[int, int] | None:
    """(rows, columns) the first worksheet of an .xlsx claims in its ``<dimension>``, or None.

    Only the first 64 KB of the sheet's XML are inflated; the claim is never trusted for
    reading (readers reset it), it is reported when it is absurd.
    """
    handle = io.BytesIO(source) if isinstance(source, bytes | bytearray) else source
    try:
        with zipfile.ZipFile(handle) as archive:
            names = archive.namelist()
            member = sheet_member or next((n for n in sorted(names) if n.startswith("xl/worksheets/sheet")), None)
            if member is None:
                return None
            with archive.open(member) as fh:
                head = fh.read(65536)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return None
    match = _DIMENSION.search(head)
    if not match:
        return None
    first_col, first_row, last_col, last_row = match.groups()
    if last_col is None:
        return 1, 1
    rows = int(last_row) - int(first_row) + 1
    cols = _column_number(last_col) - _column_number(first_col) + 1
    return rows, cols


class RowBudget:
    """Counts rows and cells while a table streams in; refuses the file past ``limits``."""

    def __init__(self, name: str, limits: Limits) -> None:
        self.name = name
        self.limits = limits
        self.rows = 0
        self.cells = 0

    def row(self, cells: list[str], line: int | None = None) -> None:
        self.rows += 1
        if self.rows > self.limits.rows:
            raise UnsafeFile(
                f"{self.name} 超过 {self.limits.rows:,} 行（{self.limits.label}文件的上限）。请按月份或区县拆分后分别导入。"
            )
        if len(cells) > self.limits.columns:
            where = f"第 {line} 行" if line else "表中"
            raise UnsafeFile(f"{self.name} {where}有 {len(cells)} 列，超过上限 {self.limits.columns} 列。请删除多余的列后再导入。")
        filled = 0
        for cell in cells:
            if cell:
                filled += 1
                if len(cell) > self.limits.text_chars:
                    where = f"第 {line} 行" if line else "表中"
                    raise UnsafeFile(
                        f"{self.name} {where}有一个单元格长 {len(cell):,} 字，超过上限 {self.limits.text_chars:,} 字。"
                        "请检查该单元格是否误粘贴了大段内容。"
                    )
        self.cells += filled
        if self.cells > self.limits.cells:
            raise UnsafeFile(
                f"{self.name} 超过 {self.limits.cells:,} 个单元格（{self.limits.label}文件的上限）。请拆分后分别导入。"
            )


def check_text(text: str, limit: int, what: str, where: str = "") -> str | None:
    """A Chinese problem message when ``text`` is longer than ``limit`` characters, else None."""
    if len(text) <= limit:
        return None
    head = text[:20].replace("\n", " ")
    prefix = f"{where}" if where else ""
    return f"{prefix}{what}长 {len(text):,} 字（“{head}…”），超过上限 {limit} 字。请核对该单元格。"


def check_plan(name: str, source: str | Path | bytes) -> None:
    """Refuse a plan document that is too big to be a plan, before it is parsed.

    ``.docx`` (a zip): file size, inflated sizes and ratios (:data:`PLAN`); PDF: file size
    (the page count follows in :func:`check_pdf_pages` once the page tree is read); plain
    text: at most :data:`PLAN_TEXT_BYTES` and :attr:`Limits.line_chars` characters per line.
    """
    data = source if isinstance(source, bytes | bytearray) else None
    if data is None and not Path(source).is_file():
        return  # the reader reports a missing or unreadable file
    size = file_size(source)
    head = data[:5] if data is not None else _head(source)
    if head[:5] == b"%PDF-" or name.lower().endswith(".pdf"):
        check_size(name, size, PLAN.file_bytes, PLAN.label)
        return
    if head[:2] == b"PK":
        check_size(name, size, PLAN.file_bytes, PLAN.label)
        if zipfile.is_zipfile(io.BytesIO(data) if data is not None else source):
            inspect_zip(name, source, PLAN)  # a damaged archive is the reader's to report
        return
    check_size(name, size, PLAN_TEXT_BYTES, "文本格式的行动计划")
    raw = data if data is not None else Path(source).read_bytes()
    longest = max((len(line) for line in raw.splitlines()), default=0)
    # bytes per line bound the characters (UTF-8/GBK use 1–4 bytes per character)
    if longest > PLAN.line_chars:
        chars = max(len(line) for line in raw.decode("utf-8", errors="replace").splitlines())
        if chars > PLAN.line_chars:
            raise UnsafeFile(
                f"{name} 有一行长 {chars:,} 字，超过上限 {PLAN.line_chars:,} 字，不像行动计划的正文。"
                "请确认文件是计划原文（段落之间有换行），或另存为 .docx 后再导入。"
            )


def check_pdf_pages(name: str, pages: int) -> None:
    """Refuse a PDF with more pages than a plan has (:data:`PLAN_PDF_PAGES`), before any page is read."""
    if pages > PLAN_PDF_PAGES:
        raise UnsafeFile(f"{name} 有 {pages:,} 页，超过上限 {PLAN_PDF_PAGES:,} 页，不像一份行动计划。"
                         "请只导入计划正文与附件（可拆分为几个文件）。")


def _head(path: str | Path) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read(5)
    except OSError:
        return b""


__all__ = [
    "GEO", "MONITORING", "NAME_CHARS", "PLAN", "PLAN_PDF_PAGES", "PLAN_TEXT_BYTES", "Limits", "RowBudget", "UnsafeFile",
    "check_pdf_pages", "check_plan", "check_size", "check_text", "file_size", "inspect_zip", "xlsx_claimed_range",
]
