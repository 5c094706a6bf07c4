"""Tooltips of the map's features: what a leader reads on hover. Pure functions returning HTML.

Every value that comes from data (names, plan text, units, notes) is escaped here; the
only markup is ours. Section tooltips start with the section id in brackets, which is what a
click returns to the page.
"""

from __future__ import annotations

import html

import pandas as pd

from dashboard.components import style
from geodata.i18n import t
from geodata.status import COLORS, status_text


def esc(value: object, limit: int | None = None) -> str:
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    if limit and len(text) > limit:
        text = text[:limit] + "…"
    return html.escape(text or "—")


def precision_text(precision: object, method: object = "") -> str:
    key = str(precision or "none")
    label = style.precision_label(key)
    method = str(method or "")
    return label + (f"（{method}）" if method and key != "exact" else "")


def waterbody_basis(evaluated_as: object) -> str:
    """Which limits a class was computed with: 河流 or 湖库 (GB 3838-2002 总磷)."""
    key = str(evaluated_as or "")
    if key in ("lake", "reservoir"):
        return t("basis_lake")
    if key == "river":
        return t("basis_river")
    return ""


def section_tooltip(row: pd.Series, year: int, month: int | None = None, period_text: str | None = None) -> str:
    symbol, state = style.compliance(str(row["compliance"]))
    measured = str(row["measured_class"] or "")
    target = str(row["target_class"] or row["target_text"] or "")
    period = period_text or (t("period_month", year=year, month=month) if month else t("period_year", year=year))
    lines = [
        f"<b>[{html.escape(str(row['id']))}]</b>",
        f"<b>{esc(row['name'])}</b>（{esc(row['level'])}）",
        f"{t('col_river')}：{esc(row['river'])}　{t('col_county')}：{esc(row['county'])}",
        f"{period}：{esc(style.class_label(measured))}　{t('col_target')}：{esc(target or '—')}　{symbol} {html.escape(state)}",
    ]
    basis = waterbody_basis(row.get("evaluated_as"))
    if measured and basis:
        months = int(row.get("n_months") or 0)
        lines.append(html.escape(basis + (t("basis_months", n=months) if months and not month else "")))
    if row.get("target_note"):
        lines.append(esc(t("pv_no_target_year", year=row.get("target_year", ""))))
    if row.get("main_pollutants"):
        lines.append(f"{t('main_pollutants')}：{esc(row['main_pollutants'])}")
    lines.append(f"{t('location')}：{esc(precision_text(row['precision'], row.get('location_method', '')))}")
    if int(row.get("is_sample") or 0):
        lines.append(f'<span style="color:#c62828">{html.escape(t("sample_watermark"))}</span>')
    return "<br>".join(lines)


def enterprise_tooltip(row: pd.Series) -> str:
    state = status_text(str(row["status"]), int(row.get("days_overdue") or 0), int(row.get("days_left") or 0))
    lines = [
        f"<b>{esc(row['name'], 60)}</b>（{esc(row['county'] or t('county_unknown'))}）",
        f"{t('col_status')}：<b style='color:{COLORS.get(str(row['status']), '#333')}'>{html.escape(state)}</b>",
        f"{t('col_industry')}：{esc(row.get('industry'))}",
        f"{t('col_action')}：{esc(row.get('required_action'), 80)}",
        f"{t('col_deadline_text')}：{esc(row.get('deadline_text'))}" + (f"（{esc(row['deadline'])}）" if row.get("deadline") else ""),
        f"{t('col_units')}：{esc(row.get('responsible_units'), 50)}",
        f"{t('location')}：{esc(precision_text(row.get('precision'), row.get('location_method', '')))}",
    ]
    if str(row.get("precision") or "") in style.APPROXIMATE:
        lines.append(f"<span style='color:#8a5a00'>{html.escape(t('approximate_note'))}</span>")
    return "<br>".join(lines)


def enterprise_tooltip_short(row: pd.Series) -> str:
    """Two plain lines for thousands of clustered markers (name; state)."""
    state = status_text(str(row["status"]), int(row.get("days_overdue") or 0), int(row.get("days_left") or 0))
    return f"{esc(row['name'], 40)}<br>{html.escape(state)}"


def groundwater_tooltip(row: pd.Series, year: int) -> str:
    symbol, label = style.compliance(str(row["compliance"]))
    lines = [
        f"<b>{esc(row['name'])}</b>（{esc(row['county'])}）",
        f"{esc(row['level'])} · {esc(row['kind'])}",
        f"{t('col_target')}：{esc(row['target_text'] or row['target_class'])}",
        f"{t('period_year', year=year)}：{esc(style.class_label(str(row['measured_class'])))}　{symbol} {html.escape(label)}",
    ]
    if row.get("deciding"):
        lines.append(f"{t('gw_deciding')}：{esc(row['deciding'])}")
    lines.append(f"{t('location')}：{esc(precision_text(row['precision'], row.get('location_method', '')))}")
    if int(row.get("is_sample") or 0):
        lines.append(f'<span style="color:#c62828">{html.escape(t("sample_watermark"))}</span>')
    return "<br>".join(lines)


def source_tooltip(row: pd.Series) -> str:
    lines = [
        f"<b>{esc(row['name'])}</b>（{esc(row['county'] or t('citywide'))}）",
        f"{t('col_scale')}：{esc(row.get('scale'))} · {t('col_kind')}：{esc(row.get('kind'))}",
        f"{t('col_target')}：{esc(row.get('target_class'))}",
        f"{t('col_requirement')}：{esc(row.get('requirement'), 70)}",
        f"{t('location')}：{esc(precision_text(row.get('precision'), row.get('location_method', '')))}",
    ]
    return "<br>".join(lines)
