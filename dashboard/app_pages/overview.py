"""总览: the headline figures of an area, a map of every layer, and a per-county summary."""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from dashboard import data, mapping, tables
from dashboard.components import layers, mapview, style
from dashboard.state import sidebar
from geodata import status as task_status
from geodata import views
from geodata.i18n import t

state = sidebar()
st.title(f"{t('app_title')} · {state.area.label}")

sections = data.sections(state.area, state.year)
previous = data.sections(state.area, state.year - 1)
tasks = data.tasks(state.area, state.as_of)
enterprises = data.enterprises(state.area, state.as_of)
now = views.headline(sections, tasks, enterprises)
before = views.headline(previous, tasks, enterprises)
sample = now.sample


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _delta(a: float | None, b: float | None, unit: str = "个百分点") -> str | None:
    if a is None or b is None:
        return None
    return f"{(a - b) * 100:+.1f} {unit}（较{state.year - 1}年）"


cols = st.columns(5)
cols[0].metric(
    t("kpi_good"), _pct(now.good_share), _delta(now.good_share, before.good_share),
    help=t("kpi_good_help", n=now.sections_evaluated),
)
cols[1].metric(
    t("kpi_worst"), f"{now.worst_count}" if now.sections_evaluated else "—",
    (f"{now.worst_count - before.worst_count:+d} 个（较{state.year - 1}年）" if before.sections_evaluated and now.sections_evaluated else None),
    delta_color="inverse",
)
cols[2].metric(t("kpi_met"), f"{now.met}/{now.with_target}" if now.with_target else "—", help=t("kpi_met_help"))
cols[3].metric(t("kpi_overdue"), f"{now.overdue_tasks}", help=t("kpi_overdue_help", asof=state.as_of.isoformat()))
cols[4].metric(
    t("kpi_enterprise"), _pct(now.enterprise_done_share),
    help=t("kpi_enterprise_help", n=now.enterprises_due, asof=state.as_of.isoformat()),
)
if sample:
    st.warning(t("sample_banner"))
elif not now.sections_evaluated:
    st.info(t("no_measurements"))

title = f"{state.area.label} 生态环境一张图（{state.year}年）"
m = mapping.base_map(state, title=title, sample=sample, height=620)
if "zones" in state.layers:
    zones = data.zones(state.area, state.display_crs)
    if len(zones):
        zones = zones.assign(label=zones.get("label", zones.get("name", "禁煤区")))
        layers.add_zones(m, data.frame_geojson(zones, ["label"]))
if "sections" in state.layers:
    layers.add_sections(m, sections, labels=False, to_display=mapping.to_display(state))
if "enterprises" in state.layers:
    layers.add_points(
        m, enterprises, name="重点企业", shape="diamond", to_display=mapping.to_display(state),
        color_of=lambda r: task_status.COLORS.get(r["status"], "#999"),
        tooltip_of=lambda r: f"<b>{r['name']}</b><br>状态：{r['status_label']}　时限：{r['deadline_text'] or '—'}<br>"
        f"{r['required_action']}<br>位置：{style.PRECISION_LABELS.get(r['precision'], r['precision'])}",
    )
legend = mapview.legend_html(
    "图例",
    [
        ("断面：实测类别（外圈 = 目标）", [(mapview.swatch(c, "circle"), k) for k, c in style.CLASS_COLORS.items()]
         + [(mapview.swatch(style.NO_DATA_COLOR, "circle"), "无数据")]),
        ("重点企业：整治状态", [(mapview.swatch(task_status.COLORS[s], "diamond"), task_status.LABELS_ZH[s])
                          for s in (task_status.DONE, task_status.IN_PROGRESS, task_status.OVERDUE, task_status.NOT_REPORTED)]),
        ("", [(mapview.swatch("#8d6e63", dashed=True), "禁煤区"), (mapview.swatch("#fff", "circle", dashed=True), "近似位置")]),
    ],
    ["示例数据（非实测）"] if sample else [],
)
mapping.add_legend(m, legend)
st_folium(m, key="overview_map", height=620, use_container_width=True, returned_objects=[])

st.subheader(t("county_summary"))
summary = views.county_summary(sections, tasks, enterprises)
if summary.empty:
    st.info(t("no_county_rows"))
else:
    columns = {
        "county": "县（市、区）", "sections": "考核断面", "evaluated": "有监测数据", "good_share": "优良比例(%)",
        "worst": "劣Ⅴ类", "met": "达标", "with_target": "有目标", "overdue_tasks": "逾期任务",
        "enterprises": "重点企业记录", "enterprises_overdue": "企业逾期",
    }
    tables.show(summary[list(columns)].rename(columns=columns), "county_summary", sample=sample)

st.subheader(t("late_owners"))
owners = views.overdue_by_unit(tasks)
if owners.empty:
    st.success(t("no_overdue"))
else:
    tables.owners_chart(owners)
