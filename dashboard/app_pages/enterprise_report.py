"""企业报告 (``?enterprise=<id>``): one enterprise's required action, its state, where it is and where it drains.

The plan's words (with source), the state as of the sidebar's date and the progress history, the
task it comes from and the tasks naming it, its location with its precision, and the river it
drains to with the sections below it (from the river network; for an approximate location, said so).
"""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from dashboard import data, reports, tables, task_panel
from dashboard.state import view
from geodata import status as task_status
from geodata import upstream as upstream_analysis
from geodata.areas import Area
from geodata.i18n import t

state = view()
everything = data.enterprises(Area(), state.as_of)
row = reports.subject("enterprise", everything, lambda: data.enterprises(state.area, state.as_of), kind="enterprise",
                      empty=t("no_enterprises", area=state.area.label))
enterprise_id = str(row.name)
name = str(row["name"])
st.title(t("rp_enterprise_title", name=name))
reports.print_css()
state_text = task_status.status_text(str(row["status"]), int(row["days_overdue"] or 0), int(row["days_left"] or 0))
kind = t(f"rp_kind_{row['kind']}") if str(row.get("kind") or "") in ("enterprise", "plant", "park") else str(row.get("kind") or "—")
facts = [(t("col_kind"), kind), (t("col_county"), row["county"] or t("county_unknown")),
         (t("col_industry"), row["industry"] or t("ent_unlabelled")), (t("location"), reports.precision_text(row))]
st.markdown("　·　".join(f"**{html.escape(k)}**：{html.escape(str(v))}" for k, v in facts), unsafe_allow_html=True)
cols = st.columns(3)
cols[0].metric(t("col_status"), state_text)
cols[1].metric(t("col_deadline"), str(row["deadline"] or "—"))
cols[2].metric(t("col_units"), str(row["responsible_units"] or "—").replace("；", "、")[:30] or "—")
st.markdown(f"**{t('col_action')}**")
st.text(str(row["required_action"] or "—"))
st.markdown(f"**{t('col_deadline_text')}**：{reports.escape(row['deadline_text'] or '—')}　"
            f"[{html.escape(tables.source_label(row['document_id'], row['source_line']))}]"
            f"({tables.source_url(row['document_id'], row['source_line'])})", unsafe_allow_html=True)
links = st.columns([1, 1, 3])
links[0].page_link("app_pages/enterprises.py", label=t("rp_on_enterprise_map"), icon=":material/factory:",
                   query_params={"task": str(row["task_id"])} if row.get("task_id") else None)
if row["county"]:
    links[1].page_link("app_pages/county_report.py", label=t("rp_county_report", county=row["county"]),
                       icon=":material/summarize:", query_params={"county": str(row["county"]), "city": str(row["area_city"])})

history = reports.enterprise_history(row.to_frame().T.assign(id=enterprise_id).iloc[0])
task_panel.show_history(str(row.get("task_id") or enterprise_id), history, state.as_of)

# -- where it drains ----------------------------------------------------------------------------
st.subheader(t("rp_downstream"))
lon, lat = pd.to_numeric(row.get("lon"), errors="coerce"), pd.to_numeric(row.get("lat"), errors="coerce")
if pd.isna(lon) or pd.isna(lat):
    st.info(t("rp_not_placed"))
else:
    river, below = upstream_analysis.downstream_of(float(lon), float(lat), data.river_system(), data.table("sections"))
    approximate = str(row.get("precision") or "") not in upstream_analysis.PRECISE or str(row.get("precision")) == "county"
    if approximate:
        st.warning(t("rp_downstream_approximate", where=reports.precision_text(row)))
    sections = data.sections(Area(), state.year).set_index("id")
    if not river:
        st.info(t("rp_downstream_none", km=int(upstream_analysis.CATCHMENT_KM)))
    else:
        st.markdown(t("rp_downstream_river", river=river))
        if below:
            shown = sections.loc[[b for b in below if b in sections.index]]
            st.dataframe(pd.DataFrame({
                t("col_section"): shown["name"], t("col_river"): shown["river"], t("col_county"): shown["county"],
                t("rp_col_this_year", year=state.year): shown["measured_class"].map(lambda k: t("class_label", klass=k) if k
                                                                                   else t("no_data")),
                t("col_target_class"): shown["target_class"].replace("", "—"),
                t("rp_col_report"): ["section_report?" + reports._query(section=i) for i in shown.index],
            }), hide_index=True, width="stretch", column_config={
                t("rp_col_report"): st.column_config.LinkColumn(display_text=t("rp_open_report"), width="small")})
        else:
            st.caption(t("rp_no_sections_below"))
    from geodata.brief.minimap import MapPoint, MiniMap

    rivers = data.layer("rivers")
    lines = rivers[rivers["name"] == river] if river else rivers.iloc[0:0]
    points = [MapPoint(float(lon), float(lat), name[:14], "D", task_status.COLORS.get(str(row["status"]), "#999999"),
                       "#111111", 10, 0, dashed=approximate)]
    for sid in below[:4]:
        if sid in sections.index and str(sections.loc[sid, "lon"]) not in ("", "nan"):
            s = sections.loc[sid]
            points.append(MapPoint(float(s["lon"]), float(s["lat"]), str(s["name"]), "o", "#ffffff", "#e65100", 9, 1))
    from shapely.geometry import Point

    focus = Point(float(lon), float(lat)).buffer(0.25)
    spec = MiniMap(focus=focus, lines=lines.clip(focus.buffer(0.2)) if len(lines) else None, points=points,
                   legend=[("line", "#e65100", t("rp_legend_drains")), ("D:" + task_status.COLORS.get(str(row["status"]), "#999"),
                                                                      "#111111", name[:14])])
    try:
        st.image(reports._minimap(spec), width="stretch")
    except Exception as exc:  # noqa: BLE001 - the list above still answers
        st.warning(t("rp_map_failed", error=type(exc).__name__))

# -- tasks ---------------------------------------------------------------------------------------
st.subheader(t("rp_enterprise_tasks"))
tasks = data.tasks(Area(), state.as_of)
mentions = tasks["content"].astype(str).str.contains(name, regex=False) | tasks["places"].astype(str).str.contains(name, regex=False)
related = tasks[(tasks["id"] == str(row.get("task_id") or "")) | (mentions if len(name) >= 4 else False)]
if related.empty:
    st.caption(t("rp_no_enterprise_tasks"))
else:
    tables.show(reports.task_table(related), f"enterprise_tasks_{enterprise_id[-12:]}")
