"""重点企业: enterprises coloured by the status of their required action, with the plan's words.

Filters (industry, status) live on the page and in the URL (``industry``, ``status``); a link
from the task ledger adds ``task`` to show only the enterprises of one task. The table under
the map holds exactly the records counted above it, placed or not.
"""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from dashboard import data, mapping, tables
from dashboard.components import layers, mapview, style
from dashboard.state import sidebar
from geodata.i18n import t
from geodata.status import COLORS, DONE, IN_PROGRESS, LABELS_ZH, NO_DEADLINE, NOT_REPORTED, OVERDUE

STATES = (OVERDUE, NOT_REPORTED, IN_PROGRESS, DONE, NO_DEADLINE)


def _url_list(name: str, allowed) -> list[str]:  # noqa: ANN001
    raw = st.query_params.get(name, "")
    return [v for v in raw.split(",") if v in allowed] if raw else []


def _set_url(name: str, value: str) -> None:
    if value:
        if st.query_params.get(name) != value:
            st.query_params[name] = value
    elif name in st.query_params:
        del st.query_params[name]


def _placed(frame: pd.DataFrame) -> pd.Series:
    return (frame["lon"].astype(str) != "") & (frame["lat"].astype(str) != "")


def _status_text(row: pd.Series) -> str:
    days = int(row["days_overdue"] or 0)
    return t("tk_overdue_days_short", d=days) if row["status"] == OVERDUE and days else row["status_label"]


def _precision(row: pd.Series) -> str:
    label = style.PRECISION_LABELS.get(row["precision"], row["precision"] or "—")
    method = str(row.get("location_method") or "")
    return label + (f"（{method}）" if method and row["precision"] != "exact" else "")


def tooltip(row: pd.Series) -> str:
    esc = lambda v, n=80: html.escape(str(v or "—")[:n] + ("…" if len(str(v or "")) > n else ""))  # noqa: E731
    lines = [
        f"<b>{esc(row['name'])}</b>（{esc(row['county'] or t('ent_county_unknown'))}）",
        f"{t('status')}：<b style='color:{COLORS.get(row['status'], '#333')}'>{html.escape(_status_text(row))}</b>",
        f"{t('filter_industry')}：{esc(row['industry'])}",
        f"{t('ent_tip_action')}：{esc(row['required_action'])}",
        f"{t('deadline')}：{esc(row['deadline_text'])}" + (f"（{row['deadline']}）" if row["deadline"] else ""),
        f"{t('owners')}：{esc(row['responsible_units'], 50)}",
        f"{t('ent_tip_location')}：{html.escape(_precision(row))}",
    ]
    if row["precision"] in style.APPROXIMATE:
        lines.append(f"<span style='color:#8a5a00'>{html.escape(t('ent_tip_approximate'))}</span>")
    return "<br>".join(lines)


state = sidebar()
st.title(t("page_enterprises"))
enterprises = data.enterprises(state.area, state.as_of).copy()
if enterprises.empty:
    st.info(t("no_enterprises", area=state.area.label))
    st.stop()
unlabelled = t("ent_unlabelled")
enterprises["industry"] = enterprises["industry"].astype(str).str.strip().replace("", unlabelled)

industries_all = sorted(enterprises["industry"].unique(), key=lambda s: (s == unlabelled, s))
c1, c2 = st.columns(2)
industries = c1.multiselect(t("filter_industry"), industries_all, default=_url_list("industry", industries_all),
                            key="ent_industry", placeholder=t("all"))
statuses = c2.multiselect(t("filter_status"), STATES, default=_url_list("status", STATES), format_func=LABELS_ZH.get,
                          key="ent_status", placeholder=t("all"))
_set_url("industry", ",".join(industries))
_set_url("status", ",".join(statuses))

view = enterprises
task_id = st.query_params.get("task", "")
if task_id:
    view = view[view["task_id"] == task_id]
    n1, n2 = st.columns([5, 1], vertical_alignment="center")
    n1.info(t("ent_from_task", task=task_id, n=len(view)))
    if n2.button(t("ent_show_all"), key="ent_clear_task"):
        del st.query_params["task"]
        st.rerun()
if industries:
    view = view[view["industry"].isin(industries)]
if statuses:
    view = view[view["status"].isin(statuses)]
view = view.assign(_order=view["status"].map({s: i for i, s in enumerate(STATES)}).fillna(9)).sort_values(
    ["_order", "days_overdue", "county", "name"], ascending=[True, False, True, True], kind="stable"
).drop(columns="_order")

counts = view["status"].value_counts()
cols = st.columns(len(STATES) + 1)
cols[0].metric(t("ent_records"), len(view))
for col, s in zip(cols[1:], STATES, strict=True):
    col.metric(LABELS_ZH[s], int(counts.get(s, 0)))
st.caption(t("ent_status_note", asof=state.as_of.isoformat()))

if view.empty:
    st.info(t("no_enterprises", area=state.area.label))
    st.stop()

# -- the map --------------------------------------------------------------------------------
title = t("ent_map_title", area=state.area.label, asof=state.as_of.isoformat())
m = mapping.base_map(state, title=title, sample=False, height=620)
drawn = 0
if "enterprises" in state.layers:
    drawn = layers.add_points(
        m, view, name="重点企业", shape="diamond", to_display=mapping.to_display(state),
        color_of=lambda r: COLORS.get(r["status"], "#999"), tooltip_of=tooltip,
    )
present = [s for s in STATES if counts.get(s, 0)] or list(STATES)
mapping.add_legend(m, mapview.legend_html(
    t("ent_legend_title"),
    [("", [(mapview.swatch(COLORS[s], "diamond"), f"{LABELS_ZH[s]}（{int(counts.get(s, 0))}）") for s in present]),
     (t("ent_legend_location"), [(mapview.swatch("#fff", "diamond"), style.PRECISION_LABELS["exact"]),
                                 (mapview.swatch("#fff", "diamond", dashed=True), t("ent_legend_approx"))])],
    [t("ent_legend_foot", asof=state.as_of.isoformat())],
))
st_folium(m, key="enterprises_map", height=620, use_container_width=True, returned_objects=[])
placed = _placed(view)
if "enterprises" not in state.layers:
    st.caption(t("ent_layer_off"))
else:
    st.caption(t("ent_drawn_full", drawn=drawn, total=len(view), unplaced=int((~placed).sum())))
exact = int((view["precision"] == "exact").sum())
st.info(t("ent_import_info", exact=exact, total=len(view)))

# -- records without a location -------------------------------------------------------------
unplaced = view[~placed]
if len(unplaced):
    with st.expander(t("ent_unplaced", n=len(unplaced)), expanded=False):
        st.caption(t("ent_unplaced_note"))
        st.dataframe(
            pd.DataFrame({
                t("ent_col_name"): unplaced["name"], t("ent_col_action"): unplaced["required_action"],
                t("col_status"): unplaced.apply(_status_text, axis=1), t("col_units"): unplaced["responsible_units"],
                t("col_source"): unplaced["source_file"].astype(str) + " 第 " + unplaced["source_line"].astype(str) + " 行",
            }),
            hide_index=True, width="stretch",
        )

# -- the table: the same records as the counts and the map ---------------------------------
st.subheader(t("ent_table", n=len(view)))
table = pd.DataFrame({
    t("ent_col_name"): view["name"],
    t("ent_col_county"): view["county"].replace("", t("ent_county_unknown")),
    t("filter_industry"): view["industry"],
    t("ent_col_action"): view["required_action"],
    t("col_deadline_text"): view["deadline_text"],
    t("col_deadline"): view["deadline"],
    t("col_status"): view.apply(_status_text, axis=1),
    t("col_units"): view["responsible_units"],
    t("ent_col_precision"): view.apply(_precision, axis=1),
    t("ent_col_on_map"): placed.map({True: t("ent_on_map"), False: t("ent_not_on_map")}),
    t("ent_col_task"): view["task_id"],
    t("col_source"): view["source_file"].astype(str) + " 第 " + view["source_line"].astype(str) + " 行",
})
tables.show(table, "enterprises")
