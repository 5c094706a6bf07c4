"""数据说明: every source, licence and precision label, so a leader can tell exact from approximate."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import data
from dashboard.components import style
from dashboard.state import sidebar
from geodata.i18n import t

sidebar(show_layers=False, show_basemap=False)
st.title(t("page_sources"))
st.write(t("sources_intro"))

st.subheader(t("src_plans"))
documents = data.table("documents")
st.dataframe(
    documents[["jurisdiction", "issuer", "doc_number", "issue_date", "title", "source_file"]].rename(columns={
        "jurisdiction": "辖区", "issuer": "发文机关", "doc_number": "文号", "issue_date": "成文日期", "title": "标题", "source_file": "文件",
    }).replace({"发文机关": {"": "（原文未载）"}, "文号": {"": "（原文未载）"}}),
    hide_index=True, width="stretch",
)

st.subheader(t("src_geo"))
rows = []
for name, meta in data.layer_metadata().items():
    rows.append({"图层": name, "内容": meta.get("title", ""), "来源": meta.get("source", ""),
                 "许可与署名": meta.get("licence", ""), "精度说明": meta.get("precision_note") or meta.get("precision", "")})
st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")

st.subheader(t("src_precision"))
st.markdown("\n".join(f"- **{label}**（`{key}`）" for key, label in style.PRECISION_LABELS.items()))
counts = []
for table in ("sections", "groundwater_points", "drinking_water_sources", "enterprises"):
    frame = data.table(table)
    vc = frame["precision"].replace("", "none").value_counts()
    counts.append({"图层": table, **{style.PRECISION_LABELS[k]: int(vc.get(k, 0)) for k in style.PRECISION_LABELS}})
st.dataframe(pd.DataFrame(counts), hide_index=True, width="stretch")
st.caption(t("src_precision_note"))

st.subheader(t("src_curation"))
curation = data.curation()
st.dataframe(curation.rename(columns={"table": "表", "key": "记录", "field": "字段", "value": "取值", "reason": "理由",
                                      "source_file": "依据文件", "source_line": "依据行"}), hide_index=True, width="stretch")

st.subheader(t("src_notes"))
st.markdown(t("src_notes_text"))
