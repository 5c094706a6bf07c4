"""断面报告 (``?section=<id>``): one section on a page of its own, to link, print and compare over years.

Where it is (and how precisely), its targets per year with their source lines, its class per month
and per year over every year with data against the target, main pollutants and exceedance, what
lies upstream in its catchment (rivers, reaches, sections, enterprises, no-coal zones, open tasks:
from the river network, :mod:`geodata.upstream`), and the tasks that name it.
"""

from __future__ import annotations

import html

import altair as alt
import pandas as pd
import streamlit as st

from dashboard import data, reports, tables
from dashboard.components import popups, style
from dashboard.state import view
from geodata import status as task_status
from geodata.areas import Area
from geodata.i18n import t
from geodata.model import CLASSES

state = view()
everything = data.sections(Area(), state.year)
row = reports.subject("section", everything, lambda: data.sections(state.area, state.year), kind="section",
                      empty=t("no_sections_here", area=state.area.label), label=lambda i, name: f"{name}（{i.split(':')[0]}）")
section_id = str(row.name)
name = str(row["name"])
st.title(t("rp_section_title", name=name))
reports.print_css()
facts = [
    (t("col_river"), row["river"] or "—"), (t("col_county"), row["county"] or t("county_unknown")),
    (t("col_level"), row["level"] or "—"),
    (t("location"), popups.precision_text(row["precision"], row.get("location_method", ""))),
]
st.markdown("　·　".join(f"**{html.escape(k)}**：{html.escape(str(v))}" for k, v in facts), unsafe_allow_html=True)
if str(row["precision"]) in style.APPROXIMATE:
    st.caption(t("approximate_note"))
links = st.columns([1, 1, 1, 3])
links[0].page_link("app_pages/water.py", label=t("rp_on_water_map"), icon=":material/map:", query_params={"section": section_id})
if row["county"]:
    links[1].page_link("app_pages/county_report.py", label=t("rp_county_report", county=row["county"]),
                       icon=":material/summarize:", query_params={"county": str(row["county"]), "city": str(row["area_city"])})
links[2].markdown(f"[{html.escape(t('rp_source'))}]({tables.source_url(row['document_id'], row['source_line'])})")

# -- this year ---------------------------------------------------------------------------------
symbol, compliance = style.compliance(str(row["compliance"]))
target = style.class_label(row["target_class"]) if row["target_class"] else (row["target_text"] or t("rp_no_target"))
st.subheader(t("rp_this_year", year=state.year))
cols = st.columns(4)
cols[0].metric(t("col_measured"), style.class_label(row["measured_class"]))
cols[1].metric(t("col_target"), target)
cols[2].metric(t("col_compliance"), (compliance if symbol == "·" else f"{symbol} {compliance}").strip() or "—")
history = reports.section_history(section_id)
months_this_year = int(((history["year"] == state.year) & (history["month"] != "")).sum()) if len(history) else 0
cols[3].metric(t("rp_months"), str(months_this_year))
if int(row["is_sample"] or 0):
    st.warning(t("sample_watermark"))
basis = popups.waterbody_basis(row.get("evaluated_as"))
if basis:
    st.caption(basis)
if row["main_pollutants"]:
    st.markdown(f"**{t('main_pollutants')}**：{html.escape(str(row['main_pollutants']))}", unsafe_allow_html=True)
if row["exceedance"]:
    st.markdown(f"**{t('exceedance')}**：{html.escape(reports.exceedance_text(str(row['exceedance'])))}", unsafe_allow_html=True)

# -- targets per year ----------------------------------------------------------------------------
st.subheader(t("targets_by_year"))
targets = data.table("section_targets")
mine = targets[targets["section_id"] == section_id].sort_values("year", kind="stable")
if mine.empty:
    st.info(t("rp_no_targets"))
else:
    shown = pd.DataFrame({
        t("col_year"): mine["year"].astype(str),
        t("col_kind"): mine["kind"].map(lambda k: t(f"target_kind_{k}") if k in ("target", "observed") else k),
        t("col_class"): mine["target_class"].replace("", "—"),
        t("col_target_text"): mine["target_text"],
    })
    tables.show(tables.with_sources(shown, mine), f"targets_{section_id.replace(':', '_')}")

# -- class over all years --------------------------------------------------------------------------
st.subheader(t("rp_history"))
if history.empty:
    st.info(t("rp_no_history"))
else:
    monthly = history[history["month"] != ""]
    yearly = history[history["month"] == ""]
    ranks = {k: i for i, k in enumerate(CLASSES)}
    chart_rows = monthly.assign(
        when=pd.to_datetime(monthly["period"] + "-15"), rank=monthly["class"].map(ranks), label=monthly["class"].map(style.class_label),
        note=monthly["is_sample"].map({1: t("sample_watermark"), 0: t("chart_real")}))
    y = alt.Y("rank:Q", title=t("col_class"), scale=alt.Scale(domain=[len(CLASSES) - 0.5, -0.5]),
              axis=alt.Axis(values=list(range(len(CLASSES))), labelExpr=reports.class_axis_expr()))
    colors = alt.Scale(domain=list(style.CLASS_COLORS), range=list(style.CLASS_COLORS.values()))
    points = alt.Chart(chart_rows).mark_point(size=70, filled=True).encode(
        x=alt.X("when:T", title=t("chart_month"), axis=alt.Axis(format="%Y-%m", labelAngle=0)), y=y,
        color=alt.Color("class:N", scale=colors, title=t("col_class"), legend=alt.Legend(orient="bottom")),
        shape=alt.Shape("note:N", title=None, legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("period:N", title=t("chart_date")), alt.Tooltip("label:N", title=t("col_class")),
                 alt.Tooltip("note:N", title=t("col_data_note"))])
    # one line per year: a year without data is a gap, not a slope
    layers = [alt.Chart(chart_rows).mark_line(color="#9aa4af", strokeWidth=1).encode(x="when:T", y=y, detail="year:N"), points]
    goal = reports.target_steps(mine)
    if len(goal):
        layers.append(alt.Chart(goal).mark_rule(color="#c62828", strokeDash=[6, 3], strokeWidth=2).encode(
            x="start:T", x2="end:T", y=alt.Y("rank:Q", scale=alt.Scale(domain=[len(CLASSES) - 0.5, -0.5])),
            tooltip=[alt.Tooltip("label:N", title=t("col_target"))]))
    st.altair_chart(alt.layer(*layers).properties(height=260), width="stretch")
    st.caption(t("rp_history_caption"))
    table = pd.DataFrame({
        t("col_year"): yearly["year"].astype(str), t("rp_col_year_class"): yearly["class"].map(style.class_label),
        t("col_target"): yearly["target"].replace("", "—"),
        t("col_compliance"): yearly["compliance"].map(lambda c: " ".join(style.compliance(c)) or "—"),
        t("rp_months"): yearly["n_months"].astype(int), t("main_pollutants"): yearly["main_pollutants"],
        t("exceedance"): yearly["exceedance"].map(reports.exceedance_text),
    })
    tables.show(table, f"classes_{section_id.replace(':', '_')}", sample_rows=yearly["is_sample"].astype(int) > 0)

# -- upstream ------------------------------------------------------------------------------------
st.subheader(t("rp_upstream"))
up = data.upstream(section_id)
if not up.on_network:
    st.info(t(f"rp_upstream_{up.reason}", river=row["river"] or "—"))
else:
    reports.upstream_block(up, row, state)

# -- tasks naming it -------------------------------------------------------------------------------
st.subheader(t("related_tasks"))
tasks = data.tasks(Area(), state.as_of)
related = tasks[tasks["content"].astype(str).str.contains(name, regex=False)
                | tasks["places"].astype(str).str.contains(name, regex=False)] if len(name) >= 2 else tasks.iloc[0:0]
if related.empty:
    st.caption(t("no_related_tasks"))
else:
    tables.show(reports.task_table(related), f"tasks_{section_id.replace(':', '_')}")
st.caption(t("rp_asof", asof=state.as_of.isoformat(), states="、".join(task_status.label(s) for s in task_status.LATE)))
