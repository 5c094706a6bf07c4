"""任务台账: every task of every plan, its status as of the chosen date, who owns the late ones."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard import data, tables
from dashboard.state import sidebar
from geodata import views
from geodata.errors import EnvmapError
from geodata.i18n import t
from geodata.status import DONE, IN_PROGRESS, LABELS_ZH, LONG_TERM, NOT_REPORTED, OVERDUE, STATUSES

state = sidebar(show_layers=False, show_basemap=False)
st.title(t("page_tasks"))
tasks = data.tasks(state.area, state.as_of)
if tasks.empty:
    st.info(t("no_tasks_area", area=state.area.label))
    st.stop()

units = sorted({u for cell in tasks["responsible_units"].astype(str) for u in cell.split("；") if u})
c1, c2, c3, c4 = st.columns([2, 1, 2, 2])
plans = c1.multiselect(t("filter_plan"), sorted(tasks["plan"].unique()), key="tasks_plan", placeholder="全部")
domains = c2.multiselect(
    t("filter_domain"), sorted(d for d in tasks["domain"].unique() if d), format_func=lambda d: t(f"domain_{d}"), key="tasks_domain",
    placeholder="全部",
)
status_default = [s for s in st.query_params.get("status", "").split(",") if s in STATUSES]
statuses = c3.multiselect(t("filter_status"), STATUSES, default=status_default, format_func=LABELS_ZH.get, key="tasks_status", placeholder="全部")
unit_default = [u for u in st.query_params.get("unit", "").split("，") if u in units]
chosen_units = c4.multiselect(t("filter_unit"), units, default=unit_default, key="tasks_unit", placeholder="全部")
c5, c6 = st.columns([3, 2])
query = c5.text_input(t("search"), value=st.query_params.get("q", ""), key="tasks_q", placeholder=t("search_hint"))
due_range = c6.date_input(t("filter_deadline"), value=(), key="tasks_due", help=t("filter_deadline_help"))

view = tasks
if plans:
    view = view[view["plan"].isin(plans)]
if domains:
    view = view[view["domain"].isin(domains)]
if statuses:
    view = view[view["status"].isin(statuses)]
if chosen_units:
    view = view[view["responsible_units"].astype(str).apply(lambda cell: any(u in cell.split("；") for u in chosen_units))]
if query:
    text = view["content"].astype(str) + view["title"].astype(str) + view["places"].astype(str)
    view = view[text.str.contains(query, regex=False)]
if isinstance(due_range, tuple) and len(due_range) == 2:
    start, end = (d.isoformat() for d in due_range)
    view = view[(view["deadline"].astype(str) >= start) & (view["deadline"].astype(str) <= end)]
for key, value in {"status": ",".join(statuses), "unit": "，".join(chosen_units), "q": query}.items():
    if value:
        st.query_params[key] = value
    elif key in st.query_params:
        del st.query_params[key]

ORDER = {OVERDUE: 0, NOT_REPORTED: 1, IN_PROGRESS: 2, LONG_TERM: 3, DONE: 4}
view = view.assign(_order=view["status"].map(ORDER).fillna(5)).sort_values(
    ["_order", "days_overdue", "deadline"], ascending=[True, False, True], kind="stable"
).drop(columns="_order")
counts = view["status"].value_counts()
m = st.columns(5)
m[0].metric(t("tasks_total"), len(view))
m[1].metric(LABELS_ZH[OVERDUE], int(counts.get(OVERDUE, 0)))
m[2].metric(LABELS_ZH[NOT_REPORTED], int(counts.get(NOT_REPORTED, 0)))
m[3].metric(LABELS_ZH[DONE], int(counts.get(DONE, 0)))
m[4].metric(LABELS_ZH[LONG_TERM], int(counts.get(LONG_TERM, 0)))
st.caption(t("tasks_asof", asof=state.as_of.isoformat()))

if view.empty:
    st.info(t("no_tasks"))
    st.stop()

left, right = st.columns([3, 2], gap="large")
with right:
    st.subheader(t("late_owners"))
    owners = views.overdue_by_unit(view)
    if owners.empty:
        st.success(t("no_overdue"))
    else:
        tables.owners_chart(owners)
with left:
    st.subheader(t("task_list"))
    shown = view.assign(
        状态=view["status_label"] + view["days_overdue"].map(lambda d: f"（逾期{d}天）" if d else ""),
        来源=view["source_file"].astype(str) + " 第 " + view["source_line"].astype(str) + " 行",
    )
    columns = {
        "状态": "状态", "jurisdiction": "辖区", "content": "任务内容", "deadline_text": "完成时限", "responsible_units": "责任单位",
        "deadline": "截止日期", "plan": "计划", "category": "类别", "seq": "序号", "persons": "责任人", "来源": "来源", "id": "编号",
    }
    table = pd.DataFrame(shown)[list(columns)].rename(columns=columns)
    visible = table.head(tables.MAX_ROWS)
    picked = st.dataframe(
        visible, hide_index=True, width="stretch", height=480, on_select="rerun", selection_mode="single-row", key="tasks_table",
        column_config={"任务内容": st.column_config.TextColumn(width="large")},
    )
    if len(table) > tables.MAX_ROWS:
        st.caption(t("rows_capped", shown=tables.MAX_ROWS, total=len(table)))
tables.downloads(table, "tasks")  # the same rows and columns as the table

rows = picked.selection.rows if picked and picked.selection else []
if rows:
    task = view.iloc[rows[0]]
    st.divider()
    st.subheader(f"{task['title'] or task['category'] or t('task')}（{task['id']}）")
    st.markdown(f"{tables.status_badge(task['status'])} {task['content']}", unsafe_allow_html=True)
    st.markdown(
        f"**{t('deadline')}**：{task['deadline_text'] or '—'}（{task['deadline'] or '无日期'}）　"
        f"**{t('owners')}**：{task['responsible_units'] or '—'}　**{t('persons')}**：{task['persons'] or '—'}  \n"
        f"**{t('source')}**：{task['source_file']} 第 {task['source_line']} 行　{task['plan']}"
    )
    if task["places"]:
        st.markdown(f"**{t('places')}**：{task['places']}")
        names = set(str(task["places"]).split("；"))
        sections = data.table("sections")
        hit = sections[sections["name"].isin(names)]
        if len(hit):
            st.page_link("app_pages/water.py", label=t("see_on_map", what="、".join(hit["name"])), icon="🗺️",
                         query_params={"section": hit["id"].iloc[0]})
        if data.table("enterprises")["name"].isin(names).any():
            st.page_link("app_pages/enterprises.py", label=t("see_enterprises"), icon="🏭")
    history = data.updates()
    history = history[history["task_id"] == task["id"]]
    st.markdown(f"**{t('history')}**")
    if history.empty:
        st.caption(t("no_history"))
    else:
        st.dataframe(history[["reported_on", "status", "note", "reported_by", "recorded_at"]].replace({"status": LABELS_ZH}),
                     hide_index=True, width="stretch")
    with st.form(f"progress_{task['id']}", clear_on_submit=True):
        st.markdown(f"**{t('report_progress')}**")
        f1, f2, f3 = st.columns([1, 1, 2])
        new_status = f1.radio(t("status"), (IN_PROGRESS, DONE), format_func=LABELS_ZH.get, horizontal=True)
        reported_on = f2.date_input(t("reported_on"), value=min(state.as_of, dt.date.today()))
        reporter = f3.text_input(t("reported_by"), placeholder=t("reported_by_hint"))
        note = st.text_area(t("note"), placeholder=t("note_hint"))
        if st.form_submit_button(t("save_progress"), type="primary"):
            try:
                data.store().add_task_update(task["id"], new_status, reported_on=reported_on, note=note, reported_by=reporter)
            except EnvmapError as exc:
                st.error(str(exc))
            else:
                st.success(t("progress_saved"))
                st.rerun()
