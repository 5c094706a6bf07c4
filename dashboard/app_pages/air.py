"""空气质量目标: 陵川县's monthly pre-control targets for its county seat and three towns.

Targets of the target year against the baseline year's same month, per place and pollutant;
measured air data, once imported (``site_type="air"``), are drawn against them. Nothing is
estimated: a blank baseline in the plan stays blank.
"""

from __future__ import annotations

import html

import altair as alt
import pandas as pd
import streamlit as st

from dashboard import data, tables
from dashboard.components import kpi
from dashboard.state import page_params, set_page_param, view, wkey
from geodata.areas import attribute_sites, in_area
from geodata.i18n import t

POLLUTANTS = ("PM2.5", "PM10", "SO2", "NO2", "CO", "O3")  # names: i18n pollutant_<code>
TARGET_COLOR = "#1e5aa8"
BASELINE_COLOR = "#b0b7c3"
ACTUAL_COLOR = "#c62828"
URL_SEP = ","


def pollutant_name(code: str) -> str:
    return t(f"pollutant_{code}") if code in POLLUTANTS else code


def month_label(month: object) -> str:
    return t("whole_year") if pd.isna(month) else t("month_short", month=int(month))


state = view()
st.title(t("page_air"))

everything = data.table("air_targets")
if everything.empty:
    st.info(t("air_none"))
    st.stop()

everything = everything.copy()
for column in ("month", "target_value", "baseline_value", "year", "baseline_year"):
    everything[column] = pd.to_numeric(everything[column], errors="coerce")
all_counties = list(dict.fromkeys(everything["county"]))
targets = in_area(attribute_sites(everything, data.table("documents")), state.area)
if targets.empty:  # only some counties set monthly targets: show them, saying so
    st.info(t("airp_other_area", area=state.area.label, counties="、".join(all_counties)))
    targets = everything
years_here = sorted(int(y) for y in targets["year"].dropna().unique())
target_year = state.year if state.year in years_here else max(years_here)
if state.year not in years_here:
    st.info(t("airp_other_year", year=state.year, target_year=target_year))
targets = targets[targets["year"] == target_year]
counties = list(dict.fromkeys(targets["county"]))
places = list(dict.fromkeys(targets["place"]))
pollutants = [p for p in POLLUTANTS if p in set(targets["pollutant"])] + sorted(set(targets["pollutant"]) - set(POLLUTANTS))
baseline_year = int(targets["baseline_year"].max())
st.caption(t("airp_intro", counties="、".join(counties), year=target_year, baseline=baseline_year,
             document=tables.source_label(targets["document_id"].iloc[0], "")))

# -- filters (URL: airplaces, pollutant) -------------------------------------------------------

raw_places = page_params("airplaces")
url_places = [p for p in raw_places.split(URL_SEP) if p in places] if raw_places else []
url_pollutant = page_params("pollutant")
c1, c2 = st.columns([3, 4])
chosen = c1.multiselect(t("air_places"), places, default=url_places or places, key="air_places",
                        placeholder=t("airp_all_places"))
pollutant = c2.radio(
    t("air_pollutant"), pollutants, horizontal=True, key=wkey("air_pollutant"),
    index=pollutants.index(url_pollutant) if url_pollutant in pollutants else pollutants.index("PM2.5") if "PM2.5" in pollutants else 0,
    format_func=pollutant_name,
)
chosen = chosen or places
set_page_param("airplaces", URL_SEP.join(chosen) if set(chosen) != set(places) else "")
set_page_param("pollutant", pollutant)

selected = targets[targets["place"].isin(chosen) & (targets["pollutant"] == pollutant)]
monthly = selected[selected["month"].notna()].copy()
annual = selected[selected["month"].isna()].copy()
unit = str(selected["unit"].iloc[0]) if len(selected) else ""
name = pollutant_name(pollutant)


# -- measured air data, when imported -----------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=4)
def _air_measurements(data_version: int) -> pd.DataFrame:
    """Monthly means of imported air data (site = place, item = pollutant); empty until imported."""
    frame = data.store().read_measurements(site_type="air")
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
    cards = []
    for _, row in annual.iterrows():
        change, direction, tone = "", 0, kpi.NEUTRAL
        if pd.notna(row["baseline_value"]) and row["baseline_value"]:
            pct = round((row["target_value"] - row["baseline_value"]) / row["baseline_value"] * 100, 1)
            direction = 0 if pct == 0 else (1 if pct > 0 else -1)
            tone = kpi.tone_of(pct, higher_is_better=False)
            change = t("airp_delta", baseline=baseline_year, change=f"{pct:+.1f}%") if pct else t("change_flat", year=baseline_year)
        baseline = "—" if pd.isna(row["baseline_value"]) else f"{row['baseline_value']:g} {unit}"
        cards.append(kpi.Card(row["place"], f"{row['target_value']:g} {unit}", t("airp_baseline", year=baseline_year, value=baseline),
                              change, direction, tone, help=tables.source_label(row["document_id"], row["source_line"])))
    st.markdown(kpi.CSS + kpi.cards_html(cards), unsafe_allow_html=True)

# -- chart: target vs baseline (and measured) per month -------------------------------------------

st.subheader(t("airp_chart_heading", pollutant=name))
if monthly.empty:
    st.info(t("airp_no_monthly"))
else:
    target_label = t("airp_series_target", year=target_year)
    baseline_label = t("airp_series_baseline", year=baseline_year)
    actual_label = t("airp_series_actual", year=target_year)
    long = pd.concat([
        monthly.assign(series=baseline_label, value=monthly["baseline_value"]),
        monthly.assign(series=target_label, value=monthly["target_value"]),
    ]).dropna(subset=["value"])
    long["month"] = long["month"].astype(int)
    series = [baseline_label, target_label]
    colors = [BASELINE_COLOR, TARGET_COLOR]
    y_title = f"{pollutant}（{unit}）"
    observed = pd.DataFrame()
    if len(actual):
        observed = actual.rename(columns={"site_id": "place"}).assign(series=actual_label)
        series, colors = [*series, actual_label], [*colors, ACTUAL_COLOR]
    color = alt.Color("series:N", title=None, sort=series, scale=alt.Scale(domain=series, range=colors),
                      legend=None)
    top = long["value"].max() if observed.empty else max(long["value"].max(), observed["value"].max())
    y_scale = alt.Scale(domain=[0, float(top) * 1.08])

    def _place_chart(place: str, height: int) -> alt.Chart:
        bars = alt.Chart(long[long["place"] == place]).mark_bar().encode(
            x=alt.X("month:O", title=t("chart_month"), axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("series:N", sort=series),
            y=alt.Y("value:Q", title=y_title, scale=y_scale, axis=alt.Axis(tickCount=4)),
            color=color,
            tooltip=[alt.Tooltip("place:N", title=t("air_places")), alt.Tooltip("month:O", title=t("chart_month")),
                     alt.Tooltip("series:N", title=t("airp_series")), alt.Tooltip("value:Q", title=f"{t('chart_value')}（{unit}）")],
        )
        layer = bars
        mine = observed[observed["place"] == place] if len(observed) else observed
        if len(mine):
            line = alt.Chart(mine).mark_line(point=True, strokeWidth=2.5).encode(
                x=alt.X("month:O"), y=alt.Y("value:Q", scale=y_scale), color=color,
                tooltip=[alt.Tooltip("place:N", title=t("air_places")), alt.Tooltip("month:O", title=t("chart_month")),
                         alt.Tooltip("value:Q", title=f"{t('chart_measured')}（{unit}）", format=".1f")],
            )
            layer = alt.layer(bars, line)
        return layer.properties(title=alt.TitleParams(place, fontSize=15, anchor="start"), height=height, width="container")

    swatch = '<span style="display:inline-block;width:14px;height:14px;background:{};margin:0 6px 0 16px;vertical-align:-2px"></span>{}'
    st.markdown("".join(swatch.format(c, html.escape(s)) for s, c in zip(series, colors, strict=True)), unsafe_allow_html=True)
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
        st.warning(t("sample_watermark"))

# -- heat-table: places × months of targets ---------------------------------------------------------

st.subheader(t("airp_heat_heading", pollutant=name, unit=unit))
grid = targets[targets["pollutant"] == pollutant].copy()
grid["period_label"] = grid["month"].map(month_label)
pivot = grid.pivot_table(index="place", columns="period_label", values="target_value", aggfunc="first")
MONTHS = [t("month_short", month=k) for k in range(1, 13)]
whole = t("whole_year")
pivot = pivot[[c for c in [*MONTHS, whole] if c in pivot.columns]]
pivot = pivot.loc[[p for p in places if p in pivot.index and p in chosen]].rename_axis(t("air_places"))
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
    if whole in pivot.columns:
        styled = styled.set_properties(subset=[whole], **{"font-weight": "bold", "background-color": "#eef3fb"})
    st.dataframe(styled, width="stretch")
    st.caption(t("airp_heat_caption"))

# -- the downloadable table: every target of the chosen places -------------------------------------

st.subheader(t("airp_table_heading"))
rows = targets[targets["place"].isin(chosen)]
export = pd.DataFrame({
    t("air_places"): rows["place"],
    t("col_county"): rows["county"],
    t("air_pollutant"): rows["pollutant"],
    t("period"): rows["month"].map(month_label),
    t("airp_series_baseline", year=baseline_year): rows["baseline_value"],
    t("airp_series_target", year=target_year): rows["target_value"],
    t("airp_change"): [
        "" if pd.isna(b) or not b else f"{(tv - b) / b * 100:+.1f}%" for tv, b in zip(rows["target_value"], rows["baseline_value"], strict=True)
    ],
    t("col_unit"): rows["unit"],
})
tables.show(tables.with_sources(export, rows), "air_targets")
