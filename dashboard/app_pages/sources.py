"""数据说明: where every record comes from."""

from __future__ import annotations

import streamlit as st

from dashboard import data
from geodata.i18n import t

st.title(t("page_sources"))
st.write(t("sources_intro"))
documents = data.table("documents")
st.dataframe(documents, hide_index=True, width="stretch")
st.markdown(
    "- 位置精度：`exact` 官方坐标；`village`/`town` 村/镇点位；`river` 落在所在河流上；"
    "`county` 县代表点；`none` 尚未定位。\n"
    "- 整理判断（原文未明确的河流、所在县等）见 `data/plans/curation_*.csv`，每条注明理由与原文行号。"
)
