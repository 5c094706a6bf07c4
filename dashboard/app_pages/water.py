"""水环境: sections by measured class against their targets, rivers coloured reach by reach."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from dashboard import briefing, data, details, figures, headlines, mapping, tables
from dashboard.components import kpi, layers, popups, style
from dashboard.components import warnings as warning_rings
from dashboard.state import set_page_param, view
from geodata import views
from geodata.i18n import t

state = view()
st.title(t("page_water"))

period = figures.period_picker(state)
figs = figures.load(state, period)
sections = figs.sections
now = views.headline(sections)
month = period.month if period.mode == "month" else None

if sections.empty:
    st.info(t("no_sections_here", area=state.area.label))
    st.stop()

st.markdown(kpi.CSS, unsafe_allow_html=True)
cards = headlines.period_cards(figs.yoy, period) + [headlines.warning_card(figs.warnings, figs.warning_label)]
st.markdown(kpi.cards_html(cards), unsafe_allow_html=True)
st.caption(t("pv_scope", period=figs.label, area=state.area.label, previous=headlines.period_label(period.previous_year())))
if now.sample:
    st.warning(t("sample_banner_n", n=now.sample_sections, evaluated=now.evaluated))
elif not now.evaluated:
    st.info(t("no_measurements_year", year=state.year))

briefing.export_button("water", period=period)
title = t("pv_map_title", area=state.area.label, period=figs.label)
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
    drawn = layers.add_sections(m, sections, year=state.year, month=month, to_display=mapping.to_display(state),
                                period_text=figs.label)
    warning_rings.add_warnings(m, figs.warnings, to_display=mapping.to_display(state))
warning_legend = [(t("legend_warnings"), warning_rings.legend_rows(list(figs.warnings["level"])))]
mapping.add_legend(m, t("legend_water_title"), mapping.water_legend(now.sample, warning_legend))
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
        details.section_details(selected, sections, state, month, figs.label)
    else:
        st.info(t("click_section"))

compliance = sections["compliance"].map(lambda c: " ".join(style.compliance(str(c))))
table = pd.DataFrame({
    t("col_section"): sections["name"],
    t("col_river"): sections["river"],
    t("col_county"): sections["county"].replace("", t("county_unknown")),
    t("col_level"): sections["level"],
    t("col_measured"): sections["measured_class"].map(style.class_label),
    t("col_class_previous"): sections["class_previous"].map(lambda k: style.class_label(k) if k else "—"),
    t("col_class_change"): sections["class_change"].map(figures.class_change_text),
    t("col_target_class"): sections["target_class"].replace("", "—"),
    t("col_target_note"): [figures.target_note_text(n, y) for n, y in zip(sections["target_note"], sections["target_year"],
                                                                           strict=True)],
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
figures.figures_tabs(state, figs)
st.subheader(t("sections_table", n=len(sections)))
tables.show(table, "sections", sample_rows=sections["is_sample"].astype(int) > 0)
