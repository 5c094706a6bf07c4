"""重点企业: enterprises coloured by the status of their required action, with the plan's words.

Filters (industry, status) live on the page and in the URL (``industry``, ``status``); a link
from the task ledger adds ``task`` to show only the enterprises of one task. The figures, the map
and the table under it hold exactly the same records, placed or not.
"""

from __future__ import annotations

import urllib.parse

import pandas as pd
import streamlit as st

from dashboard import briefing, data, mapping, tables
from dashboard.components import kpi, layers, mapview, popups
from dashboard.state import page_params, set_page_param, view, wkey
from geodata.brief import Filters
from geodata.i18n import t
from geodata.status import COLORS, STATUSES, label, status_text

state = view()
st.title(t("page_enterprises"))
enterprises = data.enterprises(state.area, state.as_of).copy()
if enterprises.empty:
    st.info(t("no_enterprises", area=state.area.label))
    st.stop()
unlabelled = t("ent_unlabelled")
enterprises["industry"] = enterprises["industry"].astype(str).str.strip().replace("", unlabelled)


def _url_list(name: str, allowed: list[str]) -> list[str]:
    raw = page_params(name)
    return [v for v in raw.split(",") if v in allowed] if raw else []


industries_all = sorted(enterprises["industry"].unique(), key=lambda s: (s == unlabelled, s))
statuses_all = [s for s in STATUSES if (enterprises["status"] == s).any()]
c1, c2 = st.columns(2)
industries = c1.multiselect(t("col_industry"), industries_all, default=_url_list("industry", industries_all),
                            key="ent_industry", placeholder=t("all"))
statuses = c2.multiselect(t("filter_status"), statuses_all, default=_url_list("status", statuses_all), format_func=label,
                          key=wkey("ent_status"), placeholder=t("all"))
set_page_param("industry", ",".join(industries))
set_page_param("status", ",".join(statuses))

view_frame = enterprises
task_id = page_params("task")
if task_id:
    view_frame = view_frame[view_frame["task_id"] == task_id]
    n1, n2 = st.columns([5, 1], vertical_alignment="center")
    n1.info(t("ent_from_task", task=task_id, n=len(view_frame)))
    if n2.button(t("ent_show_all"), key="ent_clear_task"):
        set_page_param("task", "")
        st.rerun()
if industries:
    view_frame = view_frame[view_frame["industry"].isin(industries)]
if statuses:
    view_frame = view_frame[view_frame["status"].isin(statuses)]
order = {s: i for i, s in enumerate(STATUSES)}
view_frame = view_frame.assign(_order=view_frame["status"].map(order).fillna(99)).sort_values(
    ["_order", "days_overdue", "county", "name"], ascending=[True, False, True, True], kind="stable"
).drop(columns="_order")

counts = view_frame["status"].value_counts()
st.markdown(kpi.CSS, unsafe_allow_html=True)
cards = [kpi.Card(t("ent_records"), str(len(view_frame)), t("ent_records_detail", total=len(enterprises)))]
cards += [kpi.Card(label(s), str(int(counts.get(s, 0)))) for s in statuses_all]
st.markdown(kpi.cards_html(cards), unsafe_allow_html=True)
st.caption(t("ent_status_note", asof=state.as_of.isoformat()))

if view_frame.empty:
    st.info(t("filtered_empty"))
    st.stop()

# -- the map ------------------------------------------------------------------------------------
briefing.export_button("enterprises", Filters(industries=tuple(industries), statuses=tuple(statuses), task_id=task_id))
m = mapping.base_map(state, title=t("ent_map_title", area=state.area.label, asof=state.as_of.isoformat()), sample=False,
                     height=620)
drawn = 0
if "enterprises" in state.layers:
    drawn = layers.add_points(
        m, view_frame, name="enterprises", shape="diamond", to_display=mapping.to_display(state),
        color_of=lambda r: COLORS.get(r["status"], "#999"), tooltip_of=popups.enterprise_tooltip,
        categories=layers.status_categories(view_frame),
    )
present = [s for s in STATUSES if counts.get(s, 0)]
mapping.add_legend(m, t("legend_enterprises"), mapview.legend_html(
    [("", [(mapview.swatch(COLORS[s], "diamond"), f"{label(s)}（{int(counts.get(s, 0))}）") for s in present]),
     (t("location"), [(mapview.swatch("#fff", "diamond"), t("precision_exact")),
                      (mapview.swatch("#fff", "diamond", dashed=True), t("ent_legend_approx"))])],
    [t("ent_legend_foot", asof=state.as_of.isoformat())],
))
mapping.show(m, key="enterprises_map", height=620, returned_objects=[])
is_placed = (view_frame["lon"].astype(str) != "") & (view_frame["lat"].astype(str) != "")
if "enterprises" not in state.layers:
    st.caption(t("layer_off", layer=t("layer_enterprises")))
else:
    st.caption(t("ent_drawn_full", drawn=drawn, total=len(view_frame), unplaced=int((~is_placed).sum())))
exact = int((view_frame["precision"] == "exact").sum())
st.info(t("ent_import_info", exact=exact, total=len(view_frame)))

# -- the table: the same records as the figures and the map --------------------------------------
st.subheader(t("ent_table", n=len(view_frame)))
table = pd.DataFrame({
    t("ent_col_name"): view_frame["name"],
    t("col_county"): view_frame["county"].replace("", t("county_unknown")),
    t("col_industry"): view_frame["industry"],
    t("col_action"): view_frame["required_action"],
    t("col_deadline_text"): view_frame["deadline_text"],
    t("col_deadline"): view_frame["deadline"],
    t("col_status"): [status_text(s, int(d or 0), int(left or 0)) for s, d, left in
                      zip(view_frame["status"], view_frame["days_overdue"], view_frame["days_left"], strict=True)],
    t("col_units"): view_frame["responsible_units"],
    t("col_precision"): [popups.precision_text(p, mth) for p, mth in zip(view_frame["precision"], view_frame["location_method"], strict=True)],
    t("ent_col_on_map"): is_placed.map({True: t("ent_on_map"), False: t("ent_not_on_map")}),
    t("col_id"): view_frame["task_id"],
    t("rp_col_report"): ["enterprise_report?" + urllib.parse.urlencode({"enterprise": i}) for i in view_frame["id"]],
})
tables.show(tables.with_sources(table, view_frame), "enterprises", column_config={
    t("rp_col_report"): st.column_config.LinkColumn(display_text=t("rp_open_report"), width="small")})
