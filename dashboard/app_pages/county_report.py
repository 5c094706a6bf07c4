"""县域简报 (``?county=<name>``): the printable one-page brief of a county.

The county's headline (the same figures as 总览 for that county), its water-class map and its
挂图作战 map (the exports, so the page prints as it reads), its sections against their targets, who
owns the overdue tasks, the overdue tasks and enterprises, and its groundwater points. The county
follows the sidebar (and the link's ``county``); a PDF of the maps comes from the export button.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import briefing, data, figures, headlines, reports, tables
from dashboard.components import kpi, style
from dashboard.state import view
from geodata import status as task_status
from geodata import views
from geodata.i18n import t

state = view()
area = state.area
if not area.county:
    st.title(t("rp_county_title_none"))
    options = [(city, county) for city, counties in data.areas().items() if not area.city or city == area.city
               for county in counties]
    if not options:
        st.info(t("rp_no_counties"))
        st.stop()
    st.info(t("rp_county_hint"))
    st.markdown("　".join(f"[{county}](county_report?{reports._query(city=city, county=county)})" for city, county in options))
    st.stop()

st.title(t("rp_county_title", county=area.county, year=state.year))
reports.print_css()
st.caption(t("rp_county_caption", city=area.city, asof=state.as_of.isoformat()))
figs = figures.load(state)  # the default period of the year, as 总览 shows it
sections = figs.sections
tasks = data.tasks(area, state.as_of, state.year)
enterprises = data.enterprises(area, state.as_of)
now = views.headline(sections, tasks, enterprises)
st.markdown(kpi.CSS, unsafe_allow_html=True)
st.markdown(kpi.cards_html(headlines.period_cards(figs.yoy, figs.period)), unsafe_allow_html=True)
st.markdown(kpi.cards_html([headlines.warning_card(figs.warnings, figs.warning_label),
                            *headlines.task_cards(now, state.as_of)]), unsafe_allow_html=True)
st.caption(t("pv_overview_scope", period=figs.label, previous=headlines.period_label(figs.period.previous_year()),
             year=state.year, asof=state.as_of.isoformat()))
if now.sample:
    st.warning(t("sample_banner_n", n=now.sample_sections, evaluated=now.evaluated))
briefing.export_button("water", key="county_report", subjects=("water", "tasks", "enterprises", "groundwater"),
                       period=figs.period)

left, right = st.columns(2, gap="medium")
with left:
    st.image(briefing.brief_png(briefing.request_for("water", layout="a4-landscape")), width="stretch")
with right:
    st.image(briefing.brief_png(briefing.request_for("tasks", layout="a4-landscape")), width="stretch")

st.subheader(t("rp_county_sections", n=len(sections)))
if sections.empty:
    st.info(t("no_sections_here", area=area.label))
else:
    table = pd.DataFrame({
        t("col_section"): sections["name"], t("col_river"): sections["river"], t("col_level"): sections["level"],
        t("col_measured"): sections["measured_class"].map(style.class_label),
        t("col_target_class"): sections["target_class"].replace("", "—"),
        t("col_compliance"): sections["compliance"].map(lambda c: " ".join(style.compliance(str(c))) or "—"),
        t("main_pollutants"): sections["main_pollutants"],
        t("rp_col_report"): ["section_report?" + reports._query(section=i) for i in sections["id"]],
    })
    tables.show(table, f"county_sections_{area.county}", sample_rows=sections["is_sample"].astype(int) > 0,
                column_config={t("rp_col_report"): st.column_config.LinkColumn(display_text=t("rp_open_report"), width="small")})

st.subheader(t("late_owners"))
owners, outside = views.late_owners(tasks, area)
if owners.empty:
    st.success(t("no_overdue")) if now.tasks else st.info(t("no_tasks_area", area=area.label))
else:
    st.caption(t("late_owners_caption", n=now.late, units=len(owners)))
    tables.owners_chart(owners, height=max(160, 26 * min(len(owners), 15)))

late = tasks[tasks["status"].isin(task_status.LATE)] if len(tasks) else tasks
st.subheader(t("rp_county_late_tasks", n=len(late)))
if late.empty:
    st.caption(t("no_overdue"))
else:
    tables.show(reports.task_table(late), f"county_late_{area.county}")

late_enterprises = enterprises[enterprises["status"].isin(task_status.LATE)] if len(enterprises) else enterprises
st.subheader(t("rp_county_late_enterprises", n=len(late_enterprises), total=len(enterprises)))
if late_enterprises.empty:
    st.caption(t("rp_none"))
else:
    table = pd.DataFrame({
        t("ent_col_name"): late_enterprises["name"], t("col_industry"): late_enterprises["industry"],
        t("col_status"): [task_status.status_text(s, int(d or 0), int(x or 0)) for s, d, x in
                          zip(late_enterprises["status"], late_enterprises["days_overdue"], late_enterprises["days_left"],
                              strict=True)],
        t("col_units"): late_enterprises["responsible_units"],
        t("rp_col_report"): ["enterprise_report?" + reports._query(enterprise=i) for i in late_enterprises["id"]],
    })
    tables.show(table, f"county_enterprises_{area.county}",
                column_config={t("rp_col_report"): st.column_config.LinkColumn(display_text=t("rp_open_report"), width="small")})

points = data.groundwater(area, state.year)
st.subheader(t("rp_county_groundwater", n=len(points)))
if points.empty:
    st.caption(t("gw_no_points", area=area.label))
else:
    table = pd.DataFrame({
        t("col_point"): points["name"], t("col_kind"): points["kind"],
        t("gw_col_class", year=state.year): points["measured_class"].map(style.class_label),
        t("col_target_class"): points["target_class"].replace("", "—"),
        t("col_compliance"): points["compliance"].map(lambda c: " ".join(style.compliance(str(c))) or "—"),
    })
    tables.show(table, f"county_groundwater_{area.county}", sample_rows=points["is_sample"] > 0)
