"""总览: what the bundled plans contain, per jurisdiction."""

from __future__ import annotations

import streamlit as st

from dashboard import data
from geodata.i18n import t

st.title(t("app_title"))
st.info(t("map_pending"))

documents = data.table("documents")
st.subheader(t("counts"))
tasks = data.table("tasks")
sections = data.table("sections")
enterprises = data.table("enterprises")
cols = st.columns(5)
cols[0].metric("行动计划文件", len(documents))
cols[1].metric("任务（含台账行）", len(tasks))
cols[2].metric("考核断面", len(sections))
cols[3].metric("重点企业记录", len(enterprises))
cols[4].metric("长期任务", int((tasks["long_term"].astype(str) == "1").sum()) if len(tasks) else 0)

if len(tasks):
    summary = (
        tasks.assign(有截止日期=tasks["deadline"].astype(str) != "")
        .groupby("jurisdiction")
        .agg(任务数=("id", "count"), 有截止日期=("有截止日期", "sum"))
        .reset_index()
        .rename(columns={"jurisdiction": "辖区"})
    )
    st.dataframe(summary, hide_index=True, use_container_width=True)

st.subheader(t("documents"))
st.dataframe(
    documents[["jurisdiction", "title", "doc_number", "issue_date", "source_file"]].rename(
        columns={"jurisdiction": "辖区", "title": "标题", "doc_number": "文号", "issue_date": "成文日期", "source_file": "来源文件"}
    ),
    hide_index=True,
    use_container_width=True,
)
