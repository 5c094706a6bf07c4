"""预警 on the map: a ring around each warned section (一级 red, 二级 orange), and its legend rows.

Pure folium/HTML, no ``st`` calls. The ring is larger than a section marker and hollow, so the
section's own class colour stays readable inside it; its tooltip starts with the section id in
brackets like every section marker, so a click on the ring selects the section.
"""

from __future__ import annotations

import html

import folium
import pandas as pd

from dashboard.components.layers import add_markers, placed
from dashboard.components.popups import esc
from geodata.i18n import t

RING_COLORS = {"一级": "#b71c1c", "二级": "#ef6c00"}
RING_SIZE = 44


def ring_svg(level: str, size: int = RING_SIZE) -> str:
    """A hollow double ring in the colour of ``level`` (一级 / 二级)."""
    color = RING_COLORS.get(level, RING_COLORS["二级"])
    c = size / 2
    dash = "" if level == "一级" else ' stroke-dasharray="6 3"'
    return (
        f'<svg class="envmap-warning" data-level="{html.escape(level)}" width="{size}" height="{size}" '
        f'viewBox="0 0 {size} {size}"><circle cx="{c}" cy="{c}" r="{c - 3}" fill="none" stroke="#fff" stroke-width="6"/>'
        f'<circle cx="{c}" cy="{c}" r="{c - 3}" fill="none" stroke="{color}" stroke-width="3.5"{dash}/></svg>'
    )


def legend_swatch(level: str) -> str:
    color = RING_COLORS.get(level, RING_COLORS["二级"])
    style = "dashed" if level == "二级" else "solid"
    return (f'<i class="envmap-swatch" style="background:transparent;border:3px {style} {color};border-radius:50%;'
            'width:16px;height:16px"></i>')


def legend_rows(levels: list[str]) -> list[tuple[str, str]]:
    """One legend row per warning level present (both when ``levels`` is empty: the legend says what a ring means)."""
    shown = [lv for lv in ("一级", "二级") if lv in levels] or ["一级", "二级"]
    return [(legend_swatch(lv), t(f"pv_warning_level_{lv}")) for lv in shown]


def warning_tooltip(row: pd.Series) -> str:
    level = t(f"pv_warning_level_{row['level']}")
    month = t("pv_class_fall", then=row["month_class_previous"], now=row["month_class"], n=row["month_drop"])
    ytd = t("pv_class_fall", then=row["ytd_class_previous"], now=row["ytd_class"], n=row["ytd_drop"])
    return "<br>".join([
        f"<b>[{html.escape(str(row['section_id']))}]</b>",
        f"<b>{esc(row['section_name'])}</b> · <b style='color:{RING_COLORS.get(str(row['level']), '#333')}'>{html.escape(level)}</b>",
        f"{html.escape(t('col_month_change'))}：{html.escape(month)}",
        f"{html.escape(t('col_ytd_change'))}：{html.escape(ytd)}",
        f"{html.escape(t('col_target'))}：{esc(row['target_class'])}",
    ])


def add_warnings(m: folium.Map, warnings: pd.DataFrame, to_display=None) -> int:  # noqa: ANN001
    """A ring around every located warned section; returns how many were drawn."""
    if warnings.empty:
        return 0
    markers = []
    for _, row in placed(warnings).iterrows():
        lon, lat = float(row["lon"]), float(row["lat"])
        if to_display:
            lon, lat = to_display(lon, lat)
        markers.append((lat, lon, ring_svg(str(row["level"])), warning_tooltip(row)))
    add_markers(m, markers, (RING_SIZE, RING_SIZE))
    return len(markers)
