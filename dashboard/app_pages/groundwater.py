"""地下水: national groundwater points and drinking-water sources, class against target (GB/T 14848-2017).

Points are drawn with one shape per kind (区域 ○, 污染风险监控 ◇, 饮用水源 □): fill = class
computed from the stored measurements, ring = target class, a symbol for met ✓ / not met ✗ /
no data ?, dashed when the location is approximate. Until measurements are imported every
point says “无数据”; nothing is filled in by hand.
"""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from dashboard import data, mapping, tables
from dashboard.components import mapview, style
from dashboard.components.layers import PointLayer
from dashboard.state import sidebar
from geodata import admin
from geodata.i18n import t

GW_CLASSES = ("Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ")  # GB/T 14848 has no 劣Ⅴ
KINDS = {"区域点位": "circle", "污染风险监控点位": "diamond", "饮用水源点位": "square"}
STATES = ("met", "not_met", "no_data", "no_target")
SOURCE_COLOR = "#0277bd"
URL_SEP = ","

state = sidebar()
st.title(t("page_groundwater"))


# -- data -------------------------------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=8)
def _evaluations(data_version: int) -> pd.DataFrame | None:
    """Yearly classes of the groundwater points (None when the evaluation module is absent)."""
    try:
        from geodata.quality.evaluations import groundwater_evaluations
    except ImportError:
        return None
    try:
        frame = groundwater_evaluations(data.store(), "year")
    except Exception:  # noqa: BLE001 - a store without measurements support shows targets only
        return None
    return frame if frame is not None else None


def _jurisdictions() -> dict[str, str]:
    documents = data.table("documents")
    return dict(zip(documents["id"], documents["jurisdiction"], strict=False)) if len(documents) else {}


def in_area(frame: pd.DataFrame) -> pd.DataFrame:
    """Records of the area; city-wide records (no county written) count for every county of that city."""
    if frame.empty:
        return frame
    jurisdiction = frame["document_id"].map(_jurisdictions()).fillna("")
    county = frame["county"].astype(str)
    if state.area.county:
        return frame[(county == state.area.county) | ((county == "") & (jurisdiction == state.area.city))]
    if state.area.city:
        counties = admin.CITY_COUNTIES.get(state.area.city, ())
        return frame[county.isin(counties) | ((county == "") & (jurisdiction == state.area.city))]
    return frame


def compliance(measured: str, target: str) -> str:
    if not target:
        return "no_target" if measured else "no_data"
    if not measured:
        return "no_data"
    if measured not in GW_CLASSES or target not in GW_CLASSES:
        return "no_data"
    return "met" if GW_CLASSES.index(measured) <= GW_CLASSES.index(target) else "not_met"


def _url_list(name: str, allowed) -> list[str]:  # noqa: ANN001
    raw = st.query_params.get(name, "")
    return [v for v in raw.split(URL_SEP) if v in allowed] if raw else []


def _set_url(name: str, values: list[str], everything) -> None:  # noqa: ANN001
    value = URL_SEP.join(values) if set(values) != set(everything) else ""
    if value:
        if st.query_params.get(name) != value:
            st.query_params[name] = value
    elif name in st.query_params:
        del st.query_params[name]


points = in_area(data.table("groundwater_points"))
sources = in_area(data.table("drinking_water_sources"))
evaluations = _evaluations(data.version())
year_rows = pd.DataFrame()
if evaluations is not None and len(evaluations):
    year_rows = evaluations[evaluations["year"].astype(str) == str(state.year)].drop_duplicates("point_id").set_index("point_id")


def _evaluated(column: str, default: object = "") -> list:
    return [year_rows[column].get(i, default) if len(year_rows) else default for i in points["id"]]


points = points.assign(
    measured_class=_evaluated("class"),
    deciding=_evaluated("deciding"),
    is_sample=[int(v or 0) for v in _evaluated("is_sample", 0)],
)
points["compliance"] = [compliance(str(m), str(tc)) for m, tc in zip(points["measured_class"], points["target_class"], strict=True)]
sample = bool(points["is_sample"].astype(int).any()) if len(points) else False

# -- headline figures -------------------------------------------------------------------------

evaluated = points[points["measured_class"] != ""]
k1, k2, k3, k4, k5 = st.columns(5)
k1.metric(t("gwp_kpi_points"), len(points))
k2.metric(t("gwp_kpi_evaluated", year=state.year), len(evaluated))
k3.metric(t("gwp_kpi_met"), int((points["compliance"] == "met").sum()))
k4.metric(t("gwp_kpi_not_met"), int((points["compliance"] == "not_met").sum()))
k5.metric(t("gwp_kpi_sources"), len(sources))
if evaluations is None:
    st.info(t("gwp_no_module"))
elif evaluated.empty and len(points):
    st.info(t("gwp_no_data", year=state.year))

# -- filters (kept in the URL: gwkind, gwstate) -----------------------------------------------

kinds_here = [k for k in KINDS if k in set(points["kind"])] or list(KINDS)
f1, f2 = st.columns([3, 3])
chosen_kinds = f1.multiselect(
    t("gwp_filter_kind"), kinds_here, default=_url_list("gwkind", kinds_here) or kinds_here, key="gw_kind",
    placeholder=t("gwp_filter_all"),
)
state_labels = {s: style.COMPLIANCE_SYMBOLS[s][1] for s in STATES}
chosen_states = f2.multiselect(
    t("gwp_filter_state"), list(STATES), default=_url_list("gwstate", STATES) or list(STATES), key="gw_state",
    format_func=lambda s: f"{style.COMPLIANCE_SYMBOLS[s][0]} {state_labels[s]}", placeholder=t("gwp_filter_all"),
)
_set_url("gwkind", chosen_kinds, kinds_here)
_set_url("gwstate", chosen_states, STATES)
shown = points[points["kind"].isin(chosen_kinds or kinds_here) & points["compliance"].isin(chosen_states or STATES)]

# -- map --------------------------------------------------------------------------------------


def _shape_svg(shape: str, fill: str, ring: str, symbol: str, approximate: bool, size: int = 24) -> str:
    """One point marker: shape = kind, fill = class, ring = target class, symbol = compliance."""
    dash = ' stroke-dasharray="3 2"' if approximate else ""
    c = size / 2
    if shape == "diamond":
        inner = f'<polygon points="{c},2.5 {size - 2.5},{c} {c},{size - 2.5} 2.5,{c}" fill="{fill}" stroke="{ring}" stroke-width="3.5"{dash}/>'
        outer = f'<polygon points="{c},0.5 {size - 0.5},{c} {c},{size - 0.5} 0.5,{c}" fill="none" stroke="#333" stroke-width="1"/>'
    elif shape == "square":
        inner = f'<rect x="3" y="3" width="{size - 6}" height="{size - 6}" fill="{fill}" stroke="{ring}" stroke-width="3.5"{dash}/>'
        outer = f'<rect x="1" y="1" width="{size - 2}" height="{size - 2}" fill="none" stroke="#333" stroke-width="1"/>'
    else:
        inner = f'<circle cx="{c}" cy="{c}" r="{c - 3}" fill="{fill}" stroke="{ring}" stroke-width="3.5"{dash}/>'
        outer = f'<circle cx="{c}" cy="{c}" r="{c - 1}" fill="none" stroke="#333" stroke-width="1"/>'
    dark_text = fill in (style.CLASS_COLORS["Ⅰ"], style.CLASS_COLORS["Ⅳ"], style.CLASS_COLORS["Ⅴ"], style.NO_DATA_COLOR, "#ffffff")
    text = (
        f'<text x="{c}" y="{c + 4.5}" text-anchor="middle" font-size="12" font-weight="bold" '
        f'fill="{"#000" if dark_text else "#fff"}">{html.escape(symbol)}</text>'
    )
    return f'<svg width="{size}" height="{size}" viewBox="0 0 {size} {size}">{inner}{outer}{text}</svg>'


def _source_svg(approximate: bool, size: int = 22) -> str:
    """A drinking-water source: a blue drop, dashed when approximate."""
    dash = ' stroke-dasharray="3 2"' if approximate else ""
    return (
        f'<svg width="{size}" height="{size}" viewBox="0 0 22 22">'
        f'<path d="M11 1.5 C11 1.5 3.5 10 3.5 14 A7.5 7.5 0 0 0 18.5 14 C18.5 10 11 1.5 11 1.5 Z" fill="#e1f5fe" '
        f'stroke="{SOURCE_COLOR}" stroke-width="2.2"{dash}/>'
        f'<text x="11" y="17" text-anchor="middle" font-size="9" font-weight="bold" fill="{SOURCE_COLOR}">水</text></svg>'
    )


def _location(row: pd.Series) -> str:
    label = style.PRECISION_LABELS.get(str(row["precision"] or "none"), str(row["precision"]))
    method = str(row.get("location_method") or "")
    return label + (f"（{method}）" if method and row["precision"] != "exact" else "")


def _source_ref(row: pd.Series) -> str:
    return t("gwp_source_ref", file=row["source_file"], line=row["source_line"])


def point_tooltip(row: pd.Series) -> str:
    symbol, label = style.COMPLIANCE_SYMBOLS[row["compliance"]]
    measured = row["measured_class"] and f"{row['measured_class']}类" or t("gwp_no_class")
    lines = [
        f"<b>{html.escape(str(row['name']))}</b>（{html.escape(str(row['county'] or '—'))}）",
        f"{html.escape(str(row['level']))} · {html.escape(str(row['kind']))}",
        f"{t('gwp_tip_target')}：{html.escape(str(row['target_text'] or '—'))}",
        f"{t('gwp_tip_class', year=state.year)}：{html.escape(measured)}　{symbol} {label}",
    ]
    if row["deciding"]:
        lines.append(f"{t('gwp_tip_deciding')}：{html.escape(str(row['deciding']))}")
    lines.append(f"{t('gwp_tip_location')}：{html.escape(_location(row))}")
    lines.append(f"<small>{html.escape(_source_ref(row))}</small>")
    if int(row["is_sample"]):
        lines.append(f'<span style="color:#c62828">{t("sample_watermark")}</span>')
    return "<br>".join(lines)


def source_tooltip(row: pd.Series) -> str:
    requirement = str(row["requirement"] or "")
    short = requirement if len(requirement) <= 70 else requirement[:70] + "…"
    lines = [
        f"<b>{html.escape(str(row['name']))}</b>（{html.escape(str(row['county'] or '—'))}）",
        f"{t('gwp_col_scale')}：{html.escape(str(row['scale'] or '—'))} · {t('gwp_col_kind')}：{html.escape(str(row['kind'] or '—'))}",
        f"{t('gwp_tip_target')}：{html.escape(str(row['target_class'] or '—'))}",
        f"{t('gwp_tip_requirement')}：{html.escape(short)}",
        f"{t('gwp_tip_location')}：{html.escape(_location(row))}",
        f"<small>{html.escape(_source_ref(row))}</small>",
    ]
    return "<br>".join(lines)


def _placed(frame: pd.DataFrame) -> pd.DataFrame:
    if frame.empty:
        return frame
    return frame[(frame["lon"].astype(str) != "") & (frame["lat"].astype(str) != "")]


def _legend(show_sources: bool) -> str:
    classes = [(mapview.swatch(style.CLASS_COLORS[k], "circle"), f"{k}类") for k in GW_CLASSES]
    classes.append((mapview.swatch(style.NO_DATA_COLOR, "circle"), t("gwp_no_class")))
    kinds = [(mapview.swatch("#fff", shape), kind) for kind, shape in KINDS.items()]
    if show_sources:
        kinds.append((_source_svg(False, 16), t("gwp_legend_source")))
    marks = [
        (mapview.swatch("#fff", "circle", border="#43a047", symbol="✓"), t("gwp_legend_met")),
        (mapview.swatch("#fff", "circle", border="#e53935", symbol="✗"), t("gwp_legend_not_met")),
        (mapview.swatch("#fff", "circle", symbol="?"), t("gwp_no_class")),
        (mapview.swatch("#fff", "circle", dashed=True), t("gwp_legend_approx")),
    ]
    footer = [t("gwp_intro_short"), t("gwp_legend_foot")]
    if sample:
        footer.append(t("sample_watermark"))
    return mapview.legend_html(t("gwp_legend_title"), [("", classes), (t("gwp_legend_kinds"), kinds), (t("gwp_legend_marks"), marks)], footer)


show_points = "groundwater" in state.layers
show_sources = "drinking" in state.layers
to_display = mapping.to_display(state)
title = t("gwp_map_title", area=state.area.label, year=state.year)
m = mapping.base_map(state, title=title, sample=sample, height=640)
markers: list[tuple[float, float, str, str]] = []
drawn_points = drawn_sources = 0
if show_points:
    for _, row in _placed(shown).iterrows():
        lon, lat = float(row["lon"]), float(row["lat"])
        if to_display:
            lon, lat = to_display(lon, lat)
        svg = _shape_svg(
            KINDS.get(row["kind"], "circle"),
            style.class_color(row["measured_class"] or None),
            style.class_color(row["target_class"]) if row["target_class"] else "#ffffff",
            style.COMPLIANCE_SYMBOLS[row["compliance"]][0],
            approximate=row["precision"] in style.APPROXIMATE,
        )
        markers.append((lat, lon, svg, point_tooltip(row)))
        drawn_points += 1
if show_sources:
    for _, row in _placed(sources).iterrows():
        lon, lat = float(row["lon"]), float(row["lat"])
        if to_display:
            lon, lat = to_display(lon, lat)
        markers.append((lat, lon, _source_svg(row["precision"] in style.APPROXIMATE), source_tooltip(row)))
        drawn_sources += 1
if markers:
    m.add_child(PointLayer(markers, (24, 24), cluster=False))
mapping.add_legend(m, _legend(show_sources))
st_folium(m, key="groundwater_map", height=640, use_container_width=True, returned_objects=[])

notes = []
if show_points:
    notes.append(t("gwp_drawn_points", drawn=drawn_points, total=len(shown)))
else:
    notes.append(t("gwp_layer_off", layer="地下水点位"))
if show_sources:
    notes.append(t("gwp_drawn_sources", drawn=drawn_sources, total=len(sources)))
else:
    notes.append(t("gwp_layer_off", layer="饮用水水源"))
if sample:
    st.warning(t("sample_banner"))
st.caption("　".join(notes))
st.caption(t("gwp_precision_caption"))

# -- tables -----------------------------------------------------------------------------------

st.subheader(t("gwp_points_heading", n=len(shown)))
if points.empty:
    st.info(t("gw_none", area=state.area.label))
elif shown.empty:
    st.info(t("gwp_filtered_empty"))
else:
    view = pd.DataFrame({
        "点位": shown["name"],
        "县（市、区）": shown["county"],
        "类型": shown["kind"],
        "级别": shown["level"],
        f"{state.year}年类别": shown["measured_class"].replace("", t("gwp_no_class")),
        "决定类别的指标": shown["deciding"],
        "目标类别": shown["target_class"],
        "目标（原文）": shown["target_text"],
        "达标情况": shown["compliance"].map(lambda c: " ".join(style.COMPLIANCE_SYMBOLS[c])),
        "位置精度": shown.apply(_location, axis=1),
        "来源": shown.apply(_source_ref, axis=1),
    })
    # the sample banner is shown once above the map; the download files are labelled too
    st.dataframe(view, hide_index=True, width="stretch")
    tables.downloads(view, "groundwater_points", sample=bool(shown["is_sample"].astype(int).any()))

st.subheader(t("gwp_sources_heading", n=len(sources)))
if sources.empty:
    st.info(t("gwp_sources_none", area=state.area.label))
else:
    view = pd.DataFrame({
        "水源": sources["name"],
        "县（市、区）": sources["county"].replace("", t("gwp_citywide")),
        "规模": sources["scale"],
        "类型": sources["kind"],
        "要求（原文）": sources["requirement"],
        "目标类别": sources["target_class"],
        "完成时限": sources["deadline_text"],
        "责任单位": sources["responsible_units"].astype(str).str.replace("；", "、"),
        "位置精度": sources.apply(_location, axis=1),
        "来源": sources.apply(_source_ref, axis=1),
    })
    tables.show(view, "drinking_water_sources")
    st.caption(t("gwp_sources_caption"))
