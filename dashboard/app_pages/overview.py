"""总览: the headline figures of an area, a map of every layer, and the per-county table they add up to."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import briefing, data, figures, headlines, mapping, tables
from dashboard.components import kpi, layers, mapview, popups
from dashboard.components import warnings as warning_rings
from dashboard.state import view
from geodata import status as task_status
from geodata import views
from geodata.areas import CITY_LEVEL
from geodata.i18n import t

state = view()
st.title(t("overview_title", area=state.area.label))

# the water figures of the year's default period (累计 to the latest month with data, or 全年), 同比 against
# the same period of the previous year: the same figures as 水环境 opens with
figs = figures.load(state)
sections = figs.sections
tasks = data.tasks(state.area, state.as_of, state.year)
enterprises = data.enterprises(state.area, state.as_of)
now = views.headline(sections, tasks, enterprises)

st.markdown(kpi.CSS, unsafe_allow_html=True)
# two rows of three at a laptop's width: the water figures, then 预警 beside the task figures
st.markdown(kpi.cards_html(headlines.period_cards(figs.yoy, figs.period)), unsafe_allow_html=True)
cards = [headlines.warning_card(figs.warnings, figs.warning_label), *headlines.task_cards(now, state.as_of)]
st.markdown(kpi.cards_html(cards), unsafe_allow_html=True)
st.caption(t("pv_overview_scope", period=figs.label, previous=headlines.period_label(figs.period.previous_year()),
             year=state.year, asof=state.as_of.isoformat()))
if len(figs.warnings):
    with st.expander(t("pv_tab_warnings", n=len(figs.warnings))):
        figures.warnings_table(figs)
if now.sample:
    st.warning(t("sample_banner_n", n=now.sample_sections, evaluated=now.evaluated))
elif not now.evaluated and now.sections:
    st.info(t("no_measurements_year", year=state.year))
if not (now.sections or now.tasks or now.enterprises):
    st.info(t("overview_empty", area=state.area.label, year=state.year))

# -- the map ------------------------------------------------------------------------------------
briefing.export_button("water", key="overview", subjects=("water", "tasks"), period=figs.period)
title = t("overview_map_title", area=state.area.label, year=state.year)
m = mapping.base_map(state, title=title, sample=now.sample, height=620)
if "zones" in state.layers:
    zones = data.zones(state.area, state.display_crs)
    if len(zones):
        zones = zones.assign(label=zones.get("label", zones.get("name", t("layer_zones"))))
        layers.add_zones(m, zones, *mapping.scale(state)[::-1])
if "sections" in state.layers:
    layers.add_sections(m, sections, year=state.year, labels=False, to_display=mapping.to_display(state),
                        period_text=figs.label)
    warning_rings.add_warnings(m, figs.warnings, to_display=mapping.to_display(state))
if "enterprises" in state.layers:
    layers.add_points(
        m, enterprises, name="enterprises", shape="diamond", to_display=mapping.to_display(state),
        color_of=lambda r: task_status.COLORS.get(r["status"], "#999"), tooltip_of=popups.enterprise_tooltip,
        categories=layers.status_categories(enterprises),
    )
present = [s for s in task_status.STATUSES if (enterprises["status"] == s).any()] if len(enterprises) else []
legend = mapview.legend_html(
    [
        (t("legend_sections"), mapping.class_legend_rows()),
        *([(t("legend_warnings"), warning_rings.legend_rows(list(figs.warnings["level"])))] if len(figs.warnings) else []),
        (t("legend_enterprises"), [(mapview.swatch(task_status.COLORS[s], "diamond"), task_status.label(s)) for s in present]),
        ("", [(mapview.swatch("#8d6e63", dashed=True), t("layer_zones")),
              (mapview.swatch("#fff", "circle", dashed=True), t("legend_approximate"))]),
    ],
    [t("sample_watermark")] if now.sample else [],
)
mapping.add_legend(m, t("legend"), legend)
mapping.show(m, key="overview_map", height=620, returned_objects=[])

# -- per county: the same rows as the headline --------------------------------------------------
st.subheader(t("county_summary"))
summary = views.county_summary(sections, tasks, enterprises)
if summary.empty:
    st.info(t("no_county_rows"))
else:
    several_cities = summary["city"].nunique() > 1
    label = summary["county"].where(summary["county"] != CITY_LEVEL, t("city_level_row"))
    if several_cities:
        label = summary["city"] + "·" + label
    share = [headlines.pct(g / e if e else None) for g, e in zip(summary["good"], summary["evaluated"], strict=True)]
    table = pd.DataFrame({
        t("col_area"): label,
        t("col_sections"): summary["sections"],
        t("col_evaluated"): summary["evaluated"],
        t("col_good"): summary["good"],
        t("col_good_share"): share,
        t("col_worst"): summary["worst"],
        t("col_assessed"): summary["assessed"],
        t("col_met"): summary["met"],
        t("col_tasks"): summary["tasks"],
        t("col_late"): summary["late"],
        t("col_late_unreported"): summary["late_unreported"],
        t("col_due_soon"): summary["due_soon"],
        t("col_supervised"): summary["supervised"],
        t("col_enterprises"): summary["enterprises"],
        t("col_enterprises_late"): summary["enterprises_late"],
    })
    totals = {c: int(table[c].sum()) for c in table.columns if c not in (t("col_area"), t("col_good_share"))}
    totals[t("col_area")] = t("total_row")
    totals[t("col_good_share")] = headlines.pct(now.good_share)
    table = pd.concat([table, pd.DataFrame([totals])], ignore_index=True)
    sample_rows = pd.concat([summary["sample_sections"] > 0, pd.Series([now.sample])], ignore_index=True)
    tables.show(table, "county_summary", sample_rows=sample_rows)
    st.caption(t("county_summary_note"))

# -- who owns the late tasks ---------------------------------------------------------------------
st.subheader(t("late_owners"))
owners, outside = views.late_owners(tasks, state.area)
if owners.empty:
    st.success(t("no_overdue")) if now.tasks else st.info(t("no_tasks_area", area=state.area.label))
else:
    st.caption(t("late_owners_caption", n=now.late, units=len(owners)))
    tables.owners_chart(owners, height=max(160, 26 * min(len(owners), 15)))
    if len(owners) > 15:
        st.caption(t("tk_owners_more", n=len(owners) - 15))
if outside:
    st.caption(t("late_owners_outside", n=outside, area=state.area.label))
