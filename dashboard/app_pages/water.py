"""水环境: sections by measured class against their targets, rivers coloured reach by reach."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from dashboard import data, mapping, tables
from dashboard.components import layers, style
from dashboard.state import sidebar
from geodata.i18n import t

state = sidebar()
st.title(t("page_water"))

months = [0, *range(1, 13)]
month = st.segmented_control(
    t("period"), months, default=0, format_func=lambda k: t("whole_year") if k == 0 else f"{k}月", key="water_month"
) or 0
sections = data.sections(state.area, state.year, month or None)
sample = bool(sections["is_sample"].astype(int).any()) if len(sections) else False

if sections.empty:
    st.info(t("no_sections_here", area=state.area.label))
else:
    title = f"{state.area.label} {state.year}年{'' if not month else f'{month}月'} 地表水考核断面水质"
    m = mapping.base_map(state, title=title, sample=sample, height=700)
    if "reaches" in state.layers:
        reaches = data.reaches(state.area, state.display_crs)
        if len(reaches):
            classes = sections.set_index("id")["measured_class"].to_dict()
            reaches = reaches.copy()
            reaches["measured_class"] = reaches["governing_section_id"].map(classes).fillna("")
            reaches["measured_class_label"] = reaches["measured_class"].replace("", "无数据")
            layers.add_reaches(
                m,
                data.frame_geojson(reaches, ["river", "governing_section_name", "measured_class", "measured_class_label"]),
            )
    drawn = 0
    if "sections" in state.layers:
        drawn = layers.add_sections(m, sections, to_display=mapping.to_display(state))
    mapping.add_legend(m, mapping.water_legend(sample))
    col_map, col_info = st.columns([7, 3], gap="medium")
    with col_map:
        clicked = st_folium(
            m, key="water_map", height=700, use_container_width=True,
            returned_objects=["last_object_clicked_tooltip"],
        )
        unplaced = len(sections) - drawn
        st.caption(t("sections_drawn", drawn=drawn, total=len(sections), unplaced=unplaced))
    picked = ""
    if clicked and clicked.get("last_object_clicked_tooltip"):
        found = re.match(r"\s*\[([^\]]+)\]", clicked["last_object_clicked_tooltip"])
        picked = found.group(1) if found else ""
    options = sections["id"].tolist()
    if picked in options:
        st.session_state["water_section"] = picked
        st.query_params["section"] = picked
    elif st.query_params.get("section") in options and "water_section" not in st.session_state:
        st.session_state["water_section"] = st.query_params["section"]
    with col_info:
        names = sections.set_index("id")["name"].to_dict()
        selected = st.selectbox(
            t("pick_section"), options, format_func=lambda i: f"{names[i]}（{i.split(':')[0]}）",
            index=None, key="water_section", placeholder=t("pick_section_hint"),
        )
        if selected:
            st.query_params["section"] = selected
            tables.section_details(selected, sections, state)
        else:
            st.info(t("click_section"))

    view = sections.assign(
        达标情况=sections["compliance"].map(lambda c: style.COMPLIANCE_SYMBOLS.get(c, ("", ""))[1]),
        位置精度=sections["precision"].map(lambda p: style.PRECISION_LABELS.get(p, p)),
    )
    columns = {
        "name": "断面", "river": "河流", "county": "县（市、区）", "level": "级别", "measured_class": "实测类别",
        "target_class": "目标类别", "target_text": "目标原文", "达标情况": "达标情况", "main_pollutants": "主要污染指标",
        "位置精度": "位置精度", "target_source": "目标来源",
    }
    tables.show(pd.DataFrame(view)[list(columns)].rename(columns=columns), "sections", sample=sample)
