"""禁煤区: the zones the plans draw, and every commitment with its deadline, exclusions and tasks."""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from dashboard import data, mapping, tables
from dashboard.components import layers, mapview
from dashboard.state import sidebar
from geodata.i18n import t
from geodata.status import LABELS_ZH, latest_updates, task_status
from geodata.views import Area

state = sidebar()
st.title(t("page_zones"))
zones = data.zones(state.area, state.display_crs)
commitments = data.table("no_coal_zones")
area_names = state.area.jurisdictions()
if area_names:
    commitments = commitments[commitments["jurisdiction"].isin(area_names)]
all_tasks = data.tasks(Area(), state.as_of).set_index("id")
reported = latest_updates(data.updates(), state.as_of)

m = mapping.base_map(state, title=f"{state.area.label} 禁煤区", sample=False)
if len(zones):
    labelled = zones.assign(label=zones["label"].where(zones["label"].astype(str) != "", zones["area_name"]))
    layers.add_zones(m, data.frame_geojson(labelled, ["label"]))
mapping.add_legend(m, mapview.legend_html(
    "禁煤区",
    [("", [(mapview.swatch("#8d6e63", dashed=True), "原文指明范围的禁煤区")])],
    ["未指明范围的承诺见地图下方清单"],
))
st_folium(m, key="zones_map", height=560, use_container_width=True, returned_objects=[])
if len(zones) == 0:
    st.info(t("zones_no_polygon"))
else:
    for _, z in zones.drop_duplicates("area_name").iterrows():
        st.caption(f"{z['label']}（{z['source']}）")

st.subheader(t("zone_commitments", n=len(commitments)))
if commitments.empty:
    st.info(t("no_zone_commitments", area=state.area.label))
for jurisdiction, group in commitments.groupby("jurisdiction", sort=False):
    st.markdown(f"#### {jurisdiction}")
    for _, z in group.iterrows():
        task = all_tasks.loc[z["task_id"]] if z["task_id"] in all_tasks.index else None
        with st.container(border=True):
            head = f"**{z['action'] or '—'}** · {z['area_name'] or t('zone_no_area')}"
            # the commitment's own deadline (from the annex where the body has none), progress from its task
            zone_status = task_status(z["deadline"], z["long_term"], reported.get(z["task_id"]), state.as_of)
            head += f" · {tables.status_badge(zone_status)}"
            st.markdown(head, unsafe_allow_html=True)
            st.write(z["description"])
            details = [f"时限：{z['deadline_text'] or ('长期坚持' if str(z['long_term']) == '1' else '—')}"]
            if z["exclusions"]:
                details.append(f"除外：{z['exclusions']}")
            if z["area_km2"]:
                details.append(f"面积：{z['area_km2']} 平方公里")
            details.append(f"来源：{z['source_file']} 第 {z['source_line']} 行")
            st.caption("　".join(details))
            if task is not None:
                st.caption(f"对应任务 {z['task_id']}：{task['responsible_units'] or '—'}，{LABELS_ZH[zone_status]}")

related = data.tasks(state.area, state.as_of)
related = related[related["content"].astype(str).str.contains("禁煤区|散煤", regex=True)]
st.subheader(t("zone_tasks", n=len(related)))
columns = {"jurisdiction": "辖区", "content": "任务内容", "deadline_text": "完成时限", "status_label": "状态",
           "responsible_units": "责任单位", "source_file": "来源文件", "source_line": "行号"}
tables.show(related[list(columns)].rename(columns=columns), "no_coal_tasks")
