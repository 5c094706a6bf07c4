"""水环境: sections by measured class against their targets, rivers coloured reach by reach."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from dashboard import briefing, data, details, headlines, mapping, tables
from dashboard.components import kpi, layers, popups, style
from dashboard.state import page_params, set_page_param, view, wkey
from geodata import views
from geodata.i18n import t

state = view()
st.title(t("page_water"))

months = [0, *range(1, 13)]
url_month = int(page_params("month")) if page_params("month").isdigit() and int(page_params("month")) in months else 0
month = st.segmented_control(
    t("period"), months, default=url_month, format_func=lambda k: t("whole_year") if k == 0 else t("month_short", month=k),
    key=wkey("water_month"),
) or 0
set_page_param("month", str(month) if month else "")
sections = data.sections(state.area, state.year, month or None)
now = views.headline(sections)
previous = data.sections(state.area, state.year - 1, month or None) if state.year - 1 in data.years() else None
before = views.headline(previous) if previous is not None else None

if sections.empty:
    st.info(t("no_sections_here", area=state.area.label))
    st.stop()

period = t("period_month", year=state.year, month=month) if month else t("period_year", year=state.year)
st.markdown(kpi.CSS, unsafe_allow_html=True)
st.markdown(kpi.cards_html(headlines.water_cards(now, before, state.year)), unsafe_allow_html=True)
st.caption(t("water_scope", period=period, area=state.area.label))
if now.sample:
    st.warning(t("sample_banner_n", n=now.sample_sections, evaluated=now.evaluated))
elif not now.evaluated:
    st.info(t("no_measurements_year", year=state.year))

briefing.export_button("water", month=month or None)
title = t("water_map_title", area=state.area.label, period=period)
m = mapping.base_map(state, title=title, sample=now.sample, height=700)
if "reaches" in state.layers:
    reaches = data.reaches(state.area, state.display_crs)
    if len(reaches):
        classes = sections.set_index("id")["measured_class"].to_dict()
        reaches = reaches.copy()
        reaches["measured_class"] = reaches["governing_section_id"].map(classes).fillna("")
        reaches["measured_class_label"] = reaches["measured_class"].map(style.class_label)
        layers.add_reaches(m, reaches, *mapping.scale(state)[::-1])
drawn = 0
if "sections" in state.layers:
    drawn = layers.add_sections(m, sections, year=state.year, month=month or None, to_display=mapping.to_display(state))
mapping.add_legend(m, t("legend_water_title"), mapping.water_legend(now.sample))
col_map, col_info = st.columns([7, 3], gap="medium")
with col_map:
    clicked = mapping.show(m, key="water_map", height=700, returned_objects=["last_object_clicked_tooltip"])
    if "sections" not in state.layers:
        st.caption(t("layer_off", layer=t("layer_sections")))
    else:
        st.caption(t("sections_drawn", drawn=drawn, total=len(sections), unplaced=len(sections) - drawn))
picked = ""
if clicked and clicked.get("last_object_clicked_tooltip"):
    found = re.match(r"\s*\[([^\]]+)\]", clicked["last_object_clicked_tooltip"])
    picked = found.group(1) if found else ""
options = sections["id"].tolist()
if picked in options and picked != st.session_state.get("water_last_click"):
    st.session_state["water_last_click"] = picked
    st.session_state["water_section"] = picked
elif st.query_params.get("section") in options and "water_section" not in st.session_state:
    st.session_state["water_section"] = st.query_params["section"]
with col_info:
    names = sections.set_index("id")["name"].to_dict()
    selected = st.selectbox(
        t("pick_section"), options, format_func=lambda i: f"{names[i]}（{i.split(':')[0]}）",
        index=None, key="water_section", placeholder=t("pick_section_hint"),
    )
    set_page_param("section", selected or "")
    if selected:
        details.section_details(selected, sections, state, month or None)
    else:
        st.info(t("click_section"))

compliance = sections["compliance"].map(lambda c: " ".join(style.compliance(str(c))))
table = pd.DataFrame({
    t("col_section"): sections["name"],
    t("col_river"): sections["river"],
    t("col_county"): sections["county"].replace("", t("county_unknown")),
    t("col_level"): sections["level"],
    t("col_measured"): sections["measured_class"].map(style.class_label),
    t("col_target_class"): sections["target_class"].replace("", "—"),
    t("col_target_text"): sections["target_text"],
    t("col_compliance"): compliance,
    t("main_pollutants"): sections["main_pollutants"],
    t("col_basis"): sections["evaluated_as"].map(popups.waterbody_basis),
    t("col_precision"): sections["precision"].map(style.precision_label),
})
table = tables.with_sources(table, sections.assign(
    document_id=sections["target_document"].where(sections["target_document"] != "", sections["document_id"]),
    source_line=sections["target_line"].where(sections["target_line"] != "", sections["source_line"]),
))
st.subheader(t("sections_table", n=len(sections)))
tables.show(table, "sections", sample_rows=sections["is_sample"].astype(int) > 0)
