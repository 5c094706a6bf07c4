"""The Excel workbook behind an export: its key figures and every table it was drawn from.

One sheet per table of :attr:`BriefContent.tables` (关键数字, 分县汇总, the subject's records, 说明),
the same numbers as the picture. Cells that would run as formulas in Excel are defused (``'=``), and
the file is byte-stable (fixed document dates).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pandas as pd

from geodata.brief.content import BriefContent

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
FIXED_TIME = (2000, 1, 1, 0, 0, 0)  # zip member times: the file does not change with the clock


def _defuse(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _sheet_name(name: str, used: set[str]) -> str:
    clean = "".join("_" if ch in "[]:*?/\\" else ch for ch in name)[:31] or "Sheet"
    candidate, n = clean, 2
    while candidate in used:
        candidate = f"{clean[:28]}_{n}"
        n += 1
    used.add(candidate)
    return candidate


def workbook_bytes(content: BriefContent) -> bytes:
    """An .xlsx of the export's tables (one sheet each)."""
    buf = io.BytesIO()
    used: set[str] = set()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        book = writer.book
        stamp = dt.datetime(*FIXED_TIME)
        book.properties.created = stamp
        book.properties.modified = stamp
        book.properties.creator = "envmap"
        book.properties.title = content.title
        for name, frame in content.tables.items():
            sheet = _sheet_name(name, used)
            frame.map(_defuse).to_excel(writer, index=False, sheet_name=sheet)
            ws = writer.sheets[sheet]
            for i, column in enumerate(frame.columns, start=1):
                values = [str(column), *map(str, frame[column].head(200))]
                width = min(60, max(8, *(sum(2 if ord(ch) > 0x2E80 else 1 for ch in v) for v in values)) + 2)
                ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = width
            ws.freeze_panes = "A2"
    return _fixed_zip_times(buf.getvalue())


def _fixed_zip_times(data: bytes) -> bytes:
    """The same workbook with every member's time and the document's dates fixed (openpyxl stamps the clock)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = info.external_attr
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps "modified" with the clock on save
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rb"\g<1>2000-01-01T00:00:00Z\g<2>", data)
            target.writestr(member, data)
    return out.getvalue()
