"""重点企业: enterprises coloured by the status of their required action, with the plan's words."""

from __future__ import annotations

import html

import streamlit as st
from streamlit_folium import st_folium

from dashboard import data, mapping, tables
from dashboard.components import layers, mapview, style
from dashboard.state import sidebar
from geodata.i18n import t
from geodata.status import COLORS, DONE, IN_PROGRESS, LABELS_ZH, NO_DEADLINE, NOT_REPORTED, OVERDUE

STATES = (DONE, IN_PROGRESS, OVERDUE, NOT_REPORTED, NO_DEADLINE)

state = sidebar()
st.title(t("page_enterprises"))
enterprises = data.enterprises(state.area, state.as_of).copy()
enterprises["industry"] = enterprises["industry"].replace("", "未标注")
c1, c2 = st.columns(2)
industries = c1.multiselect(t("filter_industry"), sorted(enterprises["industry"].unique()), key="ent_industry", placeholder="全部")
statuses = c2.multiselect(t("filter_status"), STATES, format_func=LABELS_ZH.get, key="ent_status", placeholder="全部")
view = enterprises
if industries:
    view = view[view["industry"].isin(industries)]
if statuses:
    view = view[view["status"].isin(statuses)]

counts = view["status"].value_counts()
cols = st.columns(len(STATES) + 1)
cols[0].metric(t("ent_records"), len(view))
for col, s in zip(cols[1:], STATES, strict=True):
    col.metric(LABELS_ZH[s], int(counts.get(s, 0)))

if view.empty:
    st.info(t("no_enterprises", area=state.area.label))
    st.stop()


def tooltip(row) -> str:  # noqa: ANN001
    return (
        f"<b>{html.escape(row['name'])}</b>（{html.escape(row['county'] or '县未写明')}）<br>"
        f"状态：<b>{row['status_label']}</b>　时限：{html.escape(row['deadline_text'] or '—')}<br>"
        f"行业：{html.escape(row['industry'])}<br>要求：{html.escape(str(row['required_action'])[:60])}<br>"
        f"责任单位：{html.escape(str(row['responsible_units'])[:40] or '—')}<br>"
        f"位置：{style.PRECISION_LABELS.get(row['precision'], row['precision'])}（{html.escape(str(row.get('location_method', '')))}）"
    )


m = mapping.base_map(state, title=f"{state.area.label} 重点企业整治状态（截至 {state.as_of.isoformat()}）", sample=False)
drawn = layers.add_points(
    m, view, name="重点企业", shape="diamond", to_display=mapping.to_display(state),
    color_of=lambda r: COLORS.get(r["status"], "#999"), tooltip_of=tooltip,
)
mapping.add_legend(m, mapview.legend_html(
    "重点企业：整治状态",
    [("", [(mapview.swatch(COLORS[s], "diamond"), LABELS_ZH[s]) for s in STATES]),
     ("", [(mapview.swatch("#fff", "diamond", dashed=True), "近似位置（县/乡镇代表点）")])],
    [f"截至 {state.as_of.isoformat()}"],
))
st_folium(m, key="enterprises_map", height=640, use_container_width=True, returned_objects=[])
st.caption(t("ent_drawn", drawn=drawn, total=len(view)))
st.info(t("ent_locations_hint"))

columns = {
    "name": "企业/项目", "county": "县（市、区）", "industry": "行业", "required_action": "要求的整治措施（原文）",
    "deadline_text": "完成时限", "deadline": "截止日期", "status_label": "状态", "responsible_units": "责任单位",
    "precision": "位置精度", "source_file": "来源文件", "source_line": "行号",
}
table = view[list(columns)].rename(columns=columns)
table["位置精度"] = table["位置精度"].map(lambda p: style.PRECISION_LABELS.get(p, p))
tables.show(table, "enterprises")
