"""地下水: national groundwater points and drinking-water sources, class against target (GB/T 14848-2017).

Points are drawn with one shape per kind (区域 ○, 污染风险监控 ◇, 饮用水源 □): fill = class computed
from the stored measurements, ring = target class, a symbol for met ✓ / not met ✗ / no data ?,
dashed when the location is approximate. Classes resting on sample values say so on the map,
in the figures and on every row of the table and its downloads.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import briefing, data, mapping, tables
from dashboard.components import kpi, layers, mapview, popups, style
from dashboard.state import page_params, set_page_param, view, wkey
from geodata.brief import Filters
from geodata.i18n import has, t
from geodata.views import GROUNDWATER_CLASSES

STATES = ("met", "not_met", "no_data", "no_target")
URL_SEP = ","

state = view()
st.title(t("page_groundwater"))

points = data.groundwater(state.area, state.year)
sources = data.drinking_sources(state.area)
if points.empty and sources.empty:
    st.info(t("gw_none", area=state.area.label))
    st.stop()


def kind_label(kind: str) -> str:
    return t(f"gw_kind_{kind}") if has(f"gw_kind_{kind}") else kind


def _url_list(name: str, allowed: list[str]) -> list[str]:
    raw = page_params(name)
    return [v for v in raw.split(URL_SEP) if v in allowed] if raw else []


# -- filters (kept in the URL: gwkind, gwstate) -------------------------------------------------
kinds_here = list(dict.fromkeys(k for k in points["kind"].astype(str) if k)) if len(points) else []
f1, f2 = st.columns(2)
chosen_kinds = f1.multiselect(t("gw_filter_kind"), kinds_here, default=_url_list("gwkind", kinds_here), key=wkey("gw_kind"),
                              placeholder=t("all"), format_func=kind_label)
chosen_states = f2.multiselect(
    t("gw_filter_state"), list(STATES), default=_url_list("gwstate", list(STATES)), key=wkey("gw_state"),
    format_func=lambda s: " ".join(style.compliance(s)), placeholder=t("all"),
)
set_page_param("gwkind", URL_SEP.join(chosen_kinds))
set_page_param("gwstate", URL_SEP.join(chosen_states))
shown = points
if chosen_kinds and len(shown):
    shown = shown[shown["kind"].isin(chosen_kinds)]
if chosen_states and len(shown):
    shown = shown[shown["compliance"].isin(chosen_states)]

# -- figures of the points shown -----------------------------------------------------------------
evaluated = shown[shown["measured_class"] != ""] if len(shown) else shown
sample_points = int((evaluated["is_sample"] > 0).sum()) if len(evaluated) else 0
note = t("sample_watermark") if sample_points else ""
met = int((shown["compliance"] == "met").sum()) if len(shown) else 0
not_met = int((shown["compliance"] == "not_met").sum()) if len(shown) else 0
with_target = met + not_met
st.markdown(kpi.CSS, unsafe_allow_html=True)
st.markdown(kpi.cards_html([
    kpi.Card(t("gw_kpi_points"), str(len(shown)), t("gw_kpi_points_detail", total=len(points))),
    kpi.Card(t("gw_kpi_evaluated", year=state.year), str(len(evaluated)), t("gw_kpi_evaluated_detail", n=len(shown)), note=note),
    kpi.Card(t("gw_kpi_met"), f"{met} / {with_target}" if with_target else t("no_data"),
             t("gw_kpi_met_detail", met=met, not_met=not_met, n=with_target), note=note),
    kpi.Card(t("gw_kpi_sources"), str(len(sources)), t("gw_kpi_sources_detail", citywide=int(sources["citywide"].sum())
                                                        if len(sources) else 0)),
]), unsafe_allow_html=True)
if sample_points:
    st.warning(t("gw_sample_banner", n=sample_points, evaluated=len(evaluated)))
elif len(points) and not (points["measured_class"] != "").any():
    st.info(t("gw_no_data", year=state.year))

# -- map -----------------------------------------------------------------------------------------
show_points = "groundwater" in state.layers
show_sources = "drinking" in state.layers
to_display = mapping.to_display(state)
briefing.export_button("groundwater", Filters(kinds=tuple(chosen_kinds), compliance=tuple(chosen_states)))
m = mapping.base_map(state, title=t("gw_map_title", area=state.area.label, year=state.year), sample=bool(sample_points),
                     height=640)
markers: list[tuple[float, float, str, str]] = []
drawn_points = drawn_sources = 0
if show_points:
    for _, row in layers.placed(shown).iterrows():
        lon, lat = float(row["lon"]), float(row["lat"])
        if to_display:
            lon, lat = to_display(lon, lat)
        svg = layers.groundwater_marker_svg(
            layers.GROUNDWATER_SHAPES.get(str(row["kind"]), "circle"),
            style.class_color(row["measured_class"] or None),
            style.class_color(row["target_class"]) if row["target_class"] else "#ffffff",
            style.compliance(str(row["compliance"]))[0],
            approximate=row["precision"] in style.APPROXIMATE,
        )
        markers.append((lat, lon, svg, popups.groundwater_tooltip(row, state.year)))
        drawn_points += 1
if show_sources:
    for _, row in layers.placed(sources).iterrows():
        lon, lat = float(row["lon"]), float(row["lat"])
        if to_display:
            lon, lat = to_display(lon, lat)
        markers.append((lat, lon, layers.source_marker_svg(row["precision"] in style.APPROXIMATE, letter=t("source_letter")),
                        popups.source_tooltip(row)))
        drawn_sources += 1
layers.add_markers(m, markers, (24, 24))

kinds_legend = [(mapview.swatch("#fff", shape), kind_label(kind)) for kind, shape in layers.GROUNDWATER_SHAPES.items()]
if show_sources:
    kinds_legend.append((layers.source_marker_svg(False, 16, t("source_letter")), t("layer_drinking")))
marks = [row for row in mapping.compliance_legend_rows() if "∅" not in row[0]]
title_of_legend = t("gw_legend_title")
legend = mapview.legend_html(
    [("", mapping.class_legend_rows(GROUNDWATER_CLASSES)), (t("gw_legend_kinds"), kinds_legend), (t("legend_symbols"), marks)],
    [t("legend_fill_ring"), *([t("sample_watermark")] if sample_points else [])],
)
mapping.add_legend(m, title_of_legend, legend)
mapping.show(m, key="groundwater_map", height=640, returned_objects=[])
notes = [t("gw_drawn_points", drawn=drawn_points, total=len(shown)) if show_points
         else t("layer_off", layer=t("layer_groundwater"))]
notes.append(t("gw_drawn_sources", drawn=drawn_sources, total=len(sources)) if show_sources
             else t("layer_off", layer=t("layer_drinking")))
st.caption("　".join(notes))
st.caption(t("gw_precision_caption"))

# -- tables ---------------------------------------------------------------------------------------
st.subheader(t("gw_points_heading", n=len(shown)))
if points.empty:
    st.info(t("gw_no_points", area=state.area.label))
elif shown.empty:
    st.info(t("filtered_empty"))
else:
    table = pd.DataFrame({
        t("col_point"): shown["name"],
        t("col_county"): shown["county"],
        t("col_kind"): shown["kind"].map(kind_label),
        t("col_level"): shown["level"],
        t("gw_col_class", year=state.year): shown["measured_class"].map(style.class_label),
        t("gw_deciding"): shown["deciding"],
        t("col_target_class"): shown["target_class"].replace("", "—"),
        t("col_target_text"): shown["target_text"],
        t("col_compliance"): shown["compliance"].map(lambda c: " ".join(style.compliance(c))),
        t("col_precision"): [popups.precision_text(p, mth) for p, mth in zip(shown["precision"], shown["location_method"], strict=True)],
    })
    tables.show(tables.with_sources(table, shown), "groundwater_points", sample_rows=shown["is_sample"] > 0)

st.subheader(t("gw_sources_heading", n=len(sources)))
if sources.empty:
    st.info(t("gw_sources_none", area=state.area.label))
else:
    table = pd.DataFrame({
        t("col_source_name"): sources["name"],
        t("col_county"): sources["county"].where(~sources["citywide"], t("citywide")),
        t("col_scale"): sources["scale"],
        t("col_kind"): sources["kind"],
        t("col_requirement"): sources["requirement"],
        t("col_target_class"): sources["target_class"],
        t("col_deadline_text"): sources["deadline_text"],
        t("col_units"): sources["responsible_units"].astype(str).str.replace("；", "、"),
        t("col_precision"): [popups.precision_text(p, mth) for p, mth in zip(sources["precision"], sources["location_method"], strict=True)],
    })
    tables.show(tables.with_sources(table, sources), "drinking_water_sources")
    st.caption(t("gw_sources_caption"))
