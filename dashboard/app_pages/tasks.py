"""任务台账: every task of every plan, filterable, downloadable."""

from __future__ import annotations

import streamlit as st

from dashboard import data
from geodata.i18n import t

st.title(t("page_tasks"))
tasks = data.table("tasks")
if tasks.empty:
    st.warning(t("no_tasks"))
    st.stop()

jurisdictions = sorted(j for j in tasks["jurisdiction"].unique() if j)
options = [t("all"), *jurisdictions]
current = st.query_params.get("j", t("all"))
choice = st.sidebar.selectbox(t("sidebar_jurisdiction"), options, index=options.index(current) if current in options else 0, key="tasks_j")
st.query_params["j"] = choice
domains = sorted(d for d in tasks["domain"].unique() if d)
domain_choice = st.sidebar.multiselect(t("filter_domain"), domains, format_func=lambda d: t(f"domain_{d}"), key="tasks_domain")
query = st.sidebar.text_input(t("search"), key="tasks_q")

view = tasks
if choice != t("all"):
    view = view[view["jurisdiction"] == choice]
if domain_choice:
    view = view[view["domain"].isin(domain_choice)]
if query:
    view = view[view["content"].astype(str).str.contains(query, regex=False) | view["title"].astype(str).str.contains(query, regex=False)]

columns = {
    "jurisdiction": "辖区", "plan": "计划", "table": "表格", "category": "类别", "seq": "序号", "title": "任务",
    "content": "内容", "deadline_text": "完成时限", "deadline": "截止日期", "responsible_units": "责任单位",
    "persons": "责任人", "source_file": "来源文件", "source_line": "行号",
}
st.caption(f"共 {len(view)} 条")
if view.empty:
    st.info(t("no_tasks"))
else:
    st.dataframe(view[list(columns)].rename(columns=columns), hide_index=True, width="stretch", height=600)
    st.download_button(t("download_csv"), view.to_csv(index=False).encode("utf-8-sig"), "tasks.csv", "text/csv")
