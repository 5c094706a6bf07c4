"""地下水: national groundwater points and drinking-water sources, class against target (GB/T 14848)."""

from __future__ import annotations

import html

import streamlit as st
from streamlit_folium import st_folium

from dashboard import data, mapping, tables
from dashboard.components import layers, mapview, style
from dashboard.state import sidebar
from geodata import admin
from geodata.i18n import t

KIND_SHAPES = {"区域点位": "circle", "污染风险监控点位": "diamond", "饮用水源点位": "square"}

state = sidebar()
st.title(t("page_groundwater"))


def in_area(frame):  # noqa: ANN001, ANN201
    if state.area.county:
        return frame[frame["county"] == state.area.county]
    if state.area.city:
        return frame[frame["county"].isin(admin.CITY_COUNTIES.get(state.area.city, ()))]
    return frame


points = in_area(data.table("groundwater_points"))
sources = in_area(data.table("drinking_water_sources"))
classes = data.groundwater_classes(state.year)
points = points.assign(measured_class=[classes.get(i, "") for i in points["id"]])
sample = False


def point_tooltip(row) -> str:  # noqa: ANN001
    return (
        f"<b>{html.escape(row['name'])}</b>（{html.escape(row['county'])}）<br>{html.escape(row['level'])}{html.escape(row['kind'])}<br>"
        f"实测：{row['measured_class'] or '无数据'}　目标：{html.escape(row['target_text'] or '—')}<br>"
        f"位置：{style.PRECISION_LABELS.get(row['precision'], row['precision'])}"
    )


m = mapping.base_map(state, title=f"{state.area.label} 地下水监测点位与饮用水水源（{state.year}年）", sample=sample)
drawn = 0
for kind, shape in KIND_SHAPES.items():
    subset = points[points["kind"] == kind]
    if len(subset):
        drawn += layers.add_points(
            m, subset, name=kind, shape=shape, to_display=mapping.to_display(state),
            color_of=lambda r: style.class_color(r["measured_class"] or None), tooltip_of=point_tooltip,
        )
if "drinking" in state.layers or True:
    layers.add_points(
        m, sources, name="饮用水水源", shape="square", to_display=mapping.to_display(state),
        color_of=lambda r: "#b3e5fc",
        tooltip_of=lambda r: f"<b>{html.escape(r['name'])}</b><br>{html.escape(str(r['requirement'])[:60])}<br>"
        f"位置：{style.PRECISION_LABELS.get(r['precision'], r['precision'])}",
    )
mapping.add_legend(m, mapview.legend_html(
    "地下水质量类别（GB/T 14848-2017）",
    [("", [(mapview.swatch(c, "circle"), f"{k}类") for k, c in style.CLASS_COLORS.items() if k != "劣Ⅴ"]
      + [(mapview.swatch(style.NO_DATA_COLOR, "circle"), "无数据")]),
     ("点位类型", [(mapview.swatch("#ddd", s), k) for k, s in KIND_SHAPES.items()]
      + [(mapview.swatch("#b3e5fc", "square"), "饮用水水源"), (mapview.swatch("#fff", "circle", dashed=True), "近似位置")])],
    [],
))
st_folium(m, key="groundwater_map", height=600, use_container_width=True, returned_objects=[])
st.caption(t("gw_caption", drawn=drawn, total=len(points)))

st.subheader(t("gw_points"))
if points.empty:
    st.info(t("gw_none", area=state.area.label))
else:
    columns = {"name": "点位", "county": "县（市、区）", "kind": "类型", "level": "级别", "measured_class": "实测类别",
               "target_text": "目标（原文）", "precision": "位置精度", "source_file": "来源文件", "source_line": "行号"}
    table = points[list(columns)].rename(columns=columns)
    table["实测类别"] = table["实测类别"].replace("", "无数据")
    table["位置精度"] = table["位置精度"].map(lambda p: style.PRECISION_LABELS.get(p, p))
    tables.show(table, "groundwater_points")
st.subheader(t("dw_sources"))
columns = {"name": "水源", "county": "县（市、区）", "scale": "规模", "kind": "类型", "requirement": "要求（原文）",
           "target_class": "水质目标", "deadline_text": "完成时限", "responsible_units": "责任单位",
           "source_file": "来源文件", "source_line": "行号"}
tables.show(sources[list(columns)].rename(columns=columns), "drinking_water_sources")
