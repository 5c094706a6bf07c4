"""Monthly air-quality targets per place: the 陵川 附件1 tables and any table shaped like them.

Such a table has a header row ``月份 | 2022 年 | 2023 年 | 2022 年 | 2023 年 …`` (a baseline
year and a target year alternating), a pollutant row whose names each span the two year
columns below them (``| SO ₂ | | NO ₂ | | …``), then one row per month (``1 月`` … ``12 月``)
and a ``全年`` row. The place is named in the title ("2023 年礼义镇环境空气质量预控制目标").

A blank cell is missing data, not "same as above": it stays empty.
"""

from __future__ import annotations

import re

from geodata import admin
from geodata.plans.structure import DocumentContext
from geodata.plans.tables import Table
from geodata.plans.text import normalize_digits, normalize_pollutant, squash_cjk_spaces

POLLUTANTS = ("SO2", "NO2", "PM10", "PM2.5", "CO", "O3")
_YEAR_CELL = re.compile(r"^(20\d{2})年?$")
_MONTH = re.compile(r"^(\d{1,2})月(份)?$")
_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")


def unit_of(pollutant: str) -> str:
    return "mg/m³" if pollutant == "CO" else "μg/m³"


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", normalize_digits(squash_cjk_spaces(text)))


def _year_columns(table: Table) -> dict[int, int] | None:
    """Column index → year for a 月份 table whose other header cells are all years."""
    if not table.header or _compact(table.header[0]) not in ("月份", "月"):
        return None
    years: dict[int, int] = {}
    for i, cell in enumerate(table.header[1:], start=1):
        m = _YEAR_CELL.match(_compact(cell))
        if not m:
            return None
        years[i] = int(m.group(1))
    if len(set(years.values())) < 2:
        return None
    return years


def place_of(title: str, county: str) -> str:
    """ "2023 年礼义镇环境空气质量预控制目标" → 礼义镇; "…县城…" without a county name → <county>城."""
    t = _compact(title)
    t = re.sub(r"^(附件\d*)?20\d{2}年(度)?", "", t)
    m = re.match(r"^(.+?)(环境)?空气质量", t)
    place = m.group(1) if m else t
    if place in ("县城", "城区") and county:
        return county + place[-1]  # 县城 → 陵川县城
    return place


def _county_of(ctx: DocumentContext, place: str) -> str:
    if ctx.meta.jurisdiction_level == "county" or ctx.meta.jurisdiction.endswith("县"):
        return ctx.meta.jurisdiction
    found = admin.counties_in(place)
    return found[0] if found else ""


def _number(cell: str) -> float | None:
    t = normalize_digits(cell).strip()
    return float(t) if _NUMBER.match(t) else None


def _table_records(ctx: DocumentContext, table: Table, years: dict[int, int]) -> list[dict[str, object]]:
    county = ctx.meta.jurisdiction if ctx.meta.jurisdiction.endswith("县") else ""
    place = place_of(table.title, county)
    county = county or _county_of(ctx, place)
    # the pollutant row: names in some year columns; a name spans the columns up to the next name
    pollutant_at: dict[int, str] = {}
    data_rows = []
    for row in table.rows:
        first = _compact(row.get(0))
        names = {i: normalize_pollutant(row.get(i)) for i in years if row.get(i).strip()}
        if not first and names and all(n in POLLUTANTS for n in names.values()):
            current = ""
            for i in sorted(years):
                current = names.get(i, current)
                if current:
                    pollutant_at[i] = current
            continue
        data_rows.append(row)
    if not pollutant_at:
        return []
    target_year = max(years.values())
    records: list[dict[str, object]] = []
    for row in data_rows:
        label = _compact(row.get(0))
        m = _MONTH.match(label)
        if m and 1 <= int(m.group(1)) <= 12:
            month: int | None = int(m.group(1))
        elif label in ("全年", "年均", "年平均"):
            month = None
        else:
            continue
        for pollutant in dict.fromkeys(pollutant_at.values()):
            cols = [i for i, p in pollutant_at.items() if p == pollutant]
            target_cols = [i for i in cols if years[i] == target_year]
            base_cols = [i for i in cols if years[i] < target_year]
            if not target_cols:
                continue
            target = _number(row.get(target_cols[0]))
            baseline = _number(row.get(base_cols[-1])) if base_cols else None
            if target is None and baseline is None:
                continue
            records.append(
                {
                    "place": place,
                    "county": county,
                    "pollutant": pollutant,
                    "year": target_year,
                    "month": month if month is not None else "",
                    "period": f"{target_year}-{month:02d}" if month is not None else str(target_year),
                    "baseline_year": years[base_cols[-1]] if base_cols else "",
                    "baseline_value": baseline if baseline is not None else "",
                    "target_value": target if target is not None else "",
                    "unit": unit_of(pollutant),
                    **ctx.source(row.line),
                }
            )
    return records


def extract(ctx: DocumentContext, found: dict) -> dict[str, list[dict[str, object]]]:  # noqa: ARG001
    records: list[dict[str, object]] = []
    for table in ctx.tables:
        years = _year_columns(table)
        if years:
            records.extend(_table_records(ctx, table, years))
    return {"air_targets": records}
