"""空气质量目标: 陵川县's monthly pre-control targets for its county seat and three towns."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from dashboard import data, tables
from dashboard.state import sidebar
from geodata.i18n import t

state = sidebar(show_layers=False, show_basemap=False)
st.title(t("page_air"))
targets = data.table("air_targets")
if targets.empty:
    st.info(t("air_none"))
    st.stop()
counties = sorted(targets["county"].unique())
if state.area.county and state.area.county not in counties or (state.area.city and state.area.city != "晋城市"):
    st.info(t("air_only", counties="、".join(counties)))
places = list(dict.fromkeys(targets["place"]))
pollutants = list(dict.fromkeys(targets["pollutant"]))
c1, c2 = st.columns([3, 2])
chosen = c1.multiselect(t("air_places"), places, default=places[:1], key="air_places", placeholder="全部")
pollutant = c2.radio(t("air_pollutant"), pollutants, horizontal=True, index=pollutants.index("PM2.5"), key="air_pollutant")
st.caption(t("air_no_actuals"))

frame = targets[targets["place"].isin(chosen or places[:1]) & (targets["pollutant"] == pollutant)].copy()
frame["month"] = pd.to_numeric(frame["month"], errors="coerce")
frame["target_value"] = pd.to_numeric(frame["target_value"], errors="coerce")
frame["baseline_value"] = pd.to_numeric(frame["baseline_value"], errors="coerce")
monthly = frame[frame["month"].notna()]
unit = monthly["unit"].iloc[0] if len(monthly) else ""
long = pd.concat([
    monthly.assign(series=monthly["year"].astype(str) + "年目标", value=monthly["target_value"]),
    monthly.assign(series=monthly["baseline_year"].astype(str) + "年基准", value=monthly["baseline_value"]),
])
chart = (
    alt.Chart(long.dropna(subset=["value"]))
    .mark_line(point=True)
    .encode(
        x=alt.X("month:O", title="月份", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("value:Q", title=f"{pollutant}（{unit}）"),
        color=alt.Color("series:N", title=""),
        strokeDash=alt.StrokeDash("place:N", title="地点"),
        tooltip=[alt.Tooltip("place:N", title="地点"), alt.Tooltip("month:O", title="月份"),
                 alt.Tooltip("series:N", title="系列"), alt.Tooltip("value:Q", title="数值")],
    )
    .properties(height=360, title=f"{pollutant} 月度预控制目标与上年同期")
)
st.altair_chart(chart, width="stretch")

st.subheader(t("air_table"))
grid = targets[targets["pollutant"] == pollutant].copy()
grid["月份"] = grid["month"].map(lambda m: f"{int(float(m))}月" if str(m) not in ("", "nan") else "全年")
pivot = grid.pivot_table(index="place", columns="月份", values="target_value", aggfunc="first")
order = [f"{k}月" for k in range(1, 13)] + ["全年"]
pivot = pivot[[c for c in order if c in pivot.columns]].loc[[p for p in places if p in pivot.index]].rename_axis("地点")
st.dataframe(pivot, width="stretch")
columns = {"place": "地点", "pollutant": "污染物", "period": "时段", "baseline_value": "基准值（上年同期）",
           "target_value": "目标值", "unit": "单位", "source_file": "来源文件", "source_line": "行号"}
export = targets[list(columns)].rename(columns=columns)
for numeric in ("基准值（上年同期）", "目标值"):
    export[numeric] = pd.to_numeric(export[numeric], errors="coerce")
tables.show(export, "air_targets")
