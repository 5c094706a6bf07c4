"""空气质量目标: 陵川县's monthly pre-control targets for its county seat and three towns.

Targets of the target year against the baseline year's same month, per place and pollutant;
measured air data, once imported (``site_type="air"``), are drawn against them. Nothing is
estimated: a blank baseline in the plan stays blank.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from dashboard import data, tables
from dashboard.state import sidebar
from geodata import admin
from geodata.i18n import t

POLLUTANT_NAMES = {"PM2.5": "PM2.5（细颗粒物）", "PM10": "PM10（可吸入颗粒物）", "SO2": "SO₂（二氧化硫）",
                   "NO2": "NO₂（二氧化氮）", "CO": "CO（一氧化碳）", "O3": "O₃（臭氧）"}
MONTHS = [f"{k}月" for k in range(1, 13)]
TARGET_COLOR = "#1e5aa8"
BASELINE_COLOR = "#b0b7c3"
ACTUAL_COLOR = "#c62828"
URL_SEP = ","

state = sidebar(show_layers=False, show_basemap=False)
st.title(t("page_air"))

targets = data.table("air_targets")
if targets.empty:
    st.info(t("air_none"))
    st.stop()

targets = targets.copy()
for column in ("month", "target_value", "baseline_value", "year", "baseline_year"):
    targets[column] = pd.to_numeric(targets[column], errors="coerce")
counties = list(dict.fromkeys(targets["county"]))
places = list(dict.fromkeys(targets["place"]))
pollutants = list(dict.fromkeys(targets["pollutant"]))
target_year = int(targets["year"].max())
baseline_year = int(targets["baseline_year"].max())
document = targets["document_id"].iloc[0]

st.caption(t("airp_intro", counties="、".join(counties), year=target_year, baseline=baseline_year, document=document))

# the sidebar area: only counties with monthly targets have them; others see them with a note
area = state.area
covered = (not area.city and not area.county) or bool(
    set(counties) & ({area.county} if area.county else set(admin.CITY_COUNTIES.get(area.city, ())))
)
if not covered:
    st.info(t("airp_other_area", area=area.label, counties="、".join(counties)))
elif area.city and not area.county and len(counties) < len(admin.CITY_COUNTIES.get(area.city, ())):
    st.caption(t("airp_city_note", city=area.city, counties="、".join(counties)))

# -- filters (URL: airplaces, pollutant) -------------------------------------------------------

raw_places = st.query_params.get("airplaces", "")
url_places = [p for p in raw_places.split(URL_SEP) if p in places] if raw_places else []
url_pollutant = st.query_params.get("pollutant", "")
c1, c2 = st.columns([3, 4])
chosen = c1.multiselect(t("air_places"), places, default=url_places or places, key="air_places",
                        placeholder=t("airp_all_places"))
pollutant = c2.radio(
    t("air_pollutant"), pollutants, horizontal=True, key="air_pollutant",
    index=pollutants.index(url_pollutant) if url_pollutant in pollutants else pollutants.index("PM2.5") if "PM2.5" in pollutants else 0,
    format_func=lambda p: POLLUTANT_NAMES.get(p, p),
)
chosen = chosen or places
value = URL_SEP.join(chosen) if set(chosen) != set(places) else ""
if value and st.query_params.get("airplaces") != value:
    st.query_params["airplaces"] = value
elif not value and "airplaces" in st.query_params:
    del st.query_params["airplaces"]
if st.query_params.get("pollutant") != pollutant:
    st.query_params["pollutant"] = pollutant

selected = targets[targets["place"].isin(chosen) & (targets["pollutant"] == pollutant)]
monthly = selected[selected["month"].notna()].copy()
annual = selected[selected["month"].isna()].copy()
unit = str(selected["unit"].iloc[0]) if len(selected) else ""
name = POLLUTANT_NAMES.get(pollutant, pollutant)


# -- measured air data, when imported -----------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=4)
def _air_measurements(data_version: int) -> pd.DataFrame:
    """Monthly means of imported air data (site = place, item = pollutant); empty until imported."""
    try:
        frame = data.store().read_measurements(site_type="air")
    except Exception:  # noqa: BLE001 - a store without measurements shows targets only
        return pd.DataFrame()
    if frame.empty:
        return pd.DataFrame()
    frame = frame[frame["item"] != "status"].copy()
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce")
    frame["year"] = frame["date"].str[:4].astype(int)
    frame["month"] = frame["date"].str[5:7].astype(int)
    return frame.groupby(["site_id", "item", "year", "month"], as_index=False).agg(
        value=("value", "mean"), is_sample=("is_sample", "max"))


measured = _air_measurements(data.version())
actual = pd.DataFrame()
if len(measured):
    actual = measured[(measured["item"] == pollutant) & measured["site_id"].isin(chosen) & (measured["year"] == target_year)]
if actual.empty:
    st.caption(t("airp_no_actuals"))

# -- headline: the annual row ---------------------------------------------------------------------

st.subheader(t("airp_annual", pollutant=name, year=target_year))
if annual.empty:
    st.info(t("airp_no_annual"))
else:
    columns = st.columns(min(len(annual), 4))
    for column, (_, row) in zip(columns, annual.iterrows(), strict=False):
        delta = None
        if pd.notna(row["baseline_value"]) and row["baseline_value"]:
            change = (row["target_value"] - row["baseline_value"]) / row["baseline_value"] * 100
            delta = t("airp_delta", baseline=baseline_year, change=f"{change:+.1f}%")  # starts with the sign: arrow follows it
        column.metric(
            row["place"], f"{row['target_value']:g} {unit}", delta, delta_color="inverse",
            help=t("airp_annual_help", baseline=baseline_year,
                   value="—" if pd.isna(row["baseline_value"]) else f"{row['baseline_value']:g} {unit}",
                   file=row["source_file"], line=row["source_line"]),
        )

# -- chart: target vs baseline (and measured) per month -------------------------------------------

st.subheader(t("airp_chart_heading", pollutant=name))
if monthly.empty:
    st.info(t("airp_no_monthly"))
else:
    target_label = f"{target_year}年目标"
    baseline_label = f"{baseline_year}年同期（基准）"
    actual_label = f"{target_year}年实测"
    long = pd.concat([
        monthly.assign(系列=baseline_label, 数值=monthly["baseline_value"]),
        monthly.assign(系列=target_label, 数值=monthly["target_value"]),
    ]).dropna(subset=["数值"])
    long["月份"] = long["month"].astype(int)
    series = [baseline_label, target_label]
    colors = [BASELINE_COLOR, TARGET_COLOR]
    y_title = f"{pollutant}（{unit}）"
    observed = pd.DataFrame()
    if len(actual):
        observed = actual.rename(columns={"site_id": "place", "month": "月份", "value": "数值"}).assign(系列=actual_label)
        series, colors = [*series, actual_label], [*colors, ACTUAL_COLOR]
    color = alt.Color("系列:N", title=None, sort=series, scale=alt.Scale(domain=series, range=colors),
                      legend=None)
    top = long["数值"].max() if observed.empty else max(long["数值"].max(), observed["数值"].max())
    y_scale = alt.Scale(domain=[0, float(top) * 1.08])

    def _place_chart(place: str, height: int) -> alt.Chart:
        bars = alt.Chart(long[long["place"] == place]).mark_bar().encode(
            x=alt.X("月份:O", title=None, axis=alt.Axis(labelAngle=0, labelExpr="datum.value + '月'")),
            xOffset=alt.XOffset("系列:N", sort=series),
            y=alt.Y("数值:Q", title=y_title, scale=y_scale, axis=alt.Axis(tickCount=4)),
            color=color,
            tooltip=[alt.Tooltip("place:N", title="地点"), alt.Tooltip("月份:O", title="月份"),
                     alt.Tooltip("系列:N", title="系列"), alt.Tooltip("数值:Q", title=f"数值（{unit}）")],
        )
        layer = bars
        mine = observed[observed["place"] == place] if len(observed) else observed
        if len(mine):
            line = alt.Chart(mine).mark_line(point=True, strokeWidth=2.5).encode(
                x=alt.X("月份:O"), y=alt.Y("数值:Q", scale=y_scale), color=color,
                tooltip=[alt.Tooltip("place:N", title="地点"), alt.Tooltip("月份:O", title="月份"),
                         alt.Tooltip("数值:Q", title=f"实测（{unit}）", format=".1f")],
            )
            layer = alt.layer(bars, line)
        return layer.properties(title=alt.TitleParams(place, fontSize=15, anchor="start"), height=height, width="container")

    swatch = '<span style="display:inline-block;width:14px;height:14px;background:{};margin:0 6px 0 16px;vertical-align:-2px"></span>{}'
    st.markdown("".join(swatch.format(c, s) for s, c in zip(series, colors, strict=True)), unsafe_allow_html=True)
    shown_places = [p for p in places if p in set(long["place"])]
    if len(shown_places) == 1:
        chart = _place_chart(shown_places[0], 340)
        st.altair_chart(chart.configure_axis(labelFontSize=12, titleFontSize=13), width="stretch")
    else:
        for pair in (shown_places[i:i + 2] for i in range(0, len(shown_places), 2)):
            for column, place in zip(st.columns(2), pair, strict=False):
                with column:
                    st.altair_chart(_place_chart(place, 250).configure_axis(labelFontSize=12, titleFontSize=13), width="stretch")
    st.caption(t("airp_chart_caption", unit=unit))
    if len(actual) and int(actual["is_sample"].astype(int).any()):
        st.warning(t("sample_banner"))

# -- heat-table: places × months of targets ---------------------------------------------------------

st.subheader(t("airp_heat_heading", pollutant=name, unit=unit))
grid = targets[targets["pollutant"] == pollutant].copy()
grid["月份"] = grid["month"].map(lambda m: "全年" if pd.isna(m) else f"{int(m)}月")
pivot = grid.pivot_table(index="place", columns="月份", values="target_value", aggfunc="first")
pivot = pivot[[c for c in [*MONTHS, "全年"] if c in pivot.columns]]
pivot = pivot.loc[[p for p in places if p in pivot.index and p in chosen]].rename_axis("地点")
if pivot.empty:
    st.info(t("airp_no_monthly"))
else:
    month_cols = [c for c in MONTHS if c in pivot.columns]
    low, high = pivot[month_cols].min().min(), pivot[month_cols].max().max()

    def _shade(value: object) -> str:
        if pd.isna(value) or high == low:
            return ""
        share = (float(value) - low) / (high - low)
        red, green, blue = 255, int(247 - share * 120), int(236 - share * 190)  # light cream → orange
        return f"background-color: rgb({red},{green},{blue}); color: #000"

    styled = pivot.style.map(_shade, subset=month_cols).format(lambda v: "—" if pd.isna(v) else f"{v:g}")
    if "全年" in pivot.columns:
        styled = styled.set_properties(subset=["全年"], **{"font-weight": "bold", "background-color": "#eef3fb"})
    st.dataframe(styled, width="stretch")
    st.caption(t("airp_heat_caption"))

# -- the downloadable table: every target of the chosen places -------------------------------------

st.subheader(t("airp_table_heading"))
rows = targets[targets["place"].isin(chosen)]
export = pd.DataFrame({
    "地点": rows["place"],
    "所属县": rows["county"],
    "污染物": rows["pollutant"],
    "时段": rows["month"].map(lambda m: "全年" if pd.isna(m) else f"{int(m)}月"),
    f"{baseline_year}年同期（基准）": rows["baseline_value"],
    f"{target_year}年目标": rows["target_value"],
    "较基准变化": [
        "" if pd.isna(b) or not b else f"{(tv - b) / b * 100:+.1f}%" for tv, b in zip(rows["target_value"], rows["baseline_value"], strict=True)
    ],
    "单位": rows["unit"],
    "来源": rows["source_file"].astype(str) + " 第 " + rows["source_line"].astype(str) + " 行",
})
tables.show(export, "air_targets")
