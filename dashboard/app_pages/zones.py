"""禁煤区: the zones the plans draw, and every commitment with its deadline, exclusions and tasks.

Most commitments name no drawable area ("划定禁煤区" without a boundary); they are listed as
cards by jurisdiction with the reason they are not on the map. A missing or empty zone layer
is said so, and every commitment is still listed.
"""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from dashboard import briefing, data, details, mapping, tables
from dashboard.components import kpi, layers, mapview
from dashboard.state import view
from geodata.areas import Area
from geodata.i18n import t
from geodata.status import LATE, STATUSES, label, status_text

ZONE_COLOR = "#8d6e63"


def _text(row: pd.Series, name: str) -> str:
    value = row.get(name, "")
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value).strip()


def _not_drawn_reasons() -> dict[str, str]:
    """commitment id → why it is not on the map, as written by ``envmap build``."""
    notes = data.layer_metadata().get("no_coal_zones", {}).get("notes", [])
    return {str(n.get("id")): str(n.get("reason") or "") for n in notes if isinstance(n, dict) and n.get("id")}


state = view()
st.title(t("page_zones"))
zones = data.zones(state.area, state.display_crs)
layer_built = len(data.layer("no_coal_zone_areas")) > 0
commitments = data.commitments(state.area, state.as_of)
reasons = _not_drawn_reasons()

if len(zones):
    zones = zones.copy()
    for name in ("label", "area_name", "note", "source", "id", "exclusions"):
        zones[name] = zones[name].fillna("").astype(str) if name in zones.columns else ""
    zones["label"] = zones["label"].where(zones["label"] != "", zones["area_name"]).replace("", t("page_zones"))
drawn_ids = set(zones["id"]) if len(zones) else set()
if commitments.empty and zones.empty:
    st.info(t("no_zone_commitments", area=state.area.label))
    st.stop()

st.markdown(kpi.CSS, unsafe_allow_html=True)
late = int(commitments["status"].isin(LATE).sum()) if len(commitments) else 0
st.markdown(kpi.cards_html([
    kpi.Card(t("zn_metric_commitments"), str(len(commitments)),
             t("zn_metric_commitments_detail", citywide=int(commitments["citywide"].sum()) if len(commitments) else 0)),
    kpi.Card(t("zn_metric_mapped"), str(int(commitments["id"].isin(drawn_ids).sum()) if len(commitments) else 0),
             help=t("zn_metric_mapped_help")),
    kpi.Card(label("long_term"), str(int((commitments["status"] == "long_term").sum()) if len(commitments) else 0)),
    kpi.Card(t("kpi_overdue"), str(late), help=t("kpi_overdue_help", asof=state.as_of.isoformat())),
]), unsafe_allow_html=True)

# -- the map ------------------------------------------------------------------------------------
briefing.export_button("tasks", key="zones")
col_map, col_list = st.columns([3, 2], gap="medium")
with col_map:
    m = mapping.base_map(state, title=t("zn_map_title", area=state.area.label), sample=False, height=560)
    bounds = None
    if len(zones) and "zones" in state.layers:
        layers.add_zones(m, zones, *mapping.scale(state)[::-1])
        minx, miny, maxx, maxy = zones.total_bounds  # the zones are small against a city: frame them, with context
        pad = max(maxx - minx, maxy - miny) * 0.6
        bounds = (minx - pad, miny - pad, maxx + pad, maxy + pad)
    mapping.add_legend(m, t("zn_legend_title"), mapview.legend_html(
        [("", [(mapview.swatch(ZONE_COLOR, dashed=True, border="#5d4037"), t("zn_legend_zone"))])],
        [t("zn_legend_foot")],
    ), bounds)
    mapping.show(m, key="zones_map", height=560, returned_objects=[])
with col_list:
    st.subheader(t("zn_drawn_heading"))
    if not layer_built:
        st.info(t("zones_no_polygon"))
    elif zones.empty:
        st.info(t("zn_none_here", area=state.area.label))
    else:
        if "zones" not in state.layers:
            st.caption(t("layer_off", layer=t("layer_zones")))
        st.caption(t("zn_drawn_caption", n=zones["label"].nunique()))
        for zone_label, group in zones.groupby("label", sort=False):
            with st.container(border=True):
                st.markdown(f"**{html.escape(str(zone_label))}**", unsafe_allow_html=True)
                notes = sorted({n for n in group["note"] if n and n not in str(zone_label)})
                if notes:
                    st.caption("；".join(notes))
                ids = "、".join(sorted({i for i in group["id"] if i}))
                st.caption(t("zn_drawn_ids", ids=ids or "—"))
    not_drawn = commitments[~commitments["id"].isin(drawn_ids)] if len(commitments) else commitments
    if len(not_drawn):
        st.caption(t("zn_not_drawn_count", n=len(not_drawn)))

# -- every commitment, by jurisdiction ------------------------------------------------------
st.subheader(t("zone_commitments", n=len(commitments)))
if commitments.empty:
    st.info(t("no_zone_commitments", area=state.area.label))
elif state.area.county and commitments["citywide"].any():
    st.caption(t("zn_city_level", city=state.area.city, county=state.area.county))
all_tasks = data.tasks(Area(), state.as_of).set_index("id")


def card(z: pd.Series) -> None:
    zone_id, task_id = _text(z, "id"), _text(z, "task_id")
    area_name = _text(z, "area_name") or t("zone_no_area")
    action = _text(z, "action")
    state_text = status_text(str(z["status"]), int(z["days_overdue"] or 0), int(z["days_left"] or 0))
    with st.container(border=True):
        st.markdown(
            (f"<b style='background:#efebe9;color:#4e342e;padding:1px 6px;border-radius:3px'>{html.escape(action)}</b> "
             if action else "") + f"<b>{html.escape(area_name)}</b> {details.status_badge(str(z['status']), state_text)}",
            unsafe_allow_html=True,
        )
        st.text(_text(z, "description") or "—")
        deadline = _text(z, "deadline_text") or ("—" if str(z["status"]) != "long_term" else label("long_term"))
        if _text(z, "deadline"):
            deadline += f"（{_text(z, 'deadline')}）"
        lines = [f"**{t('deadline')}**：{html.escape(deadline)}"]
        if _text(z, "exclusions"):
            lines.append(f"**{t('zn_exclusions')}**：{html.escape(_text(z, 'exclusions'))}")
        if _text(z, "area_km2"):
            lines.append(t("zn_area", km2=html.escape(_text(z, "area_km2"))))
        lines.append(f"**{t('zn_on_map')}**" if zone_id in drawn_ids else
                     t("zn_not_on_map", reason=html.escape(reasons.get(zone_id) or t("zn_no_boundary"))))
        lines.append(f"**{t('source')}**：<a href='{html.escape(tables.source_url(z['document_id'], z['source_line']))}' "
                     f"target='_self'>{html.escape(tables.source_label(z['document_id'], z['source_line']))}</a>")
        st.markdown("  \n".join(lines), unsafe_allow_html=True)
        if task_id and task_id in all_tasks.index:
            task = all_tasks.loc[task_id]
            task_state = status_text(str(task["status"]), int(task["days_overdue"] or 0), int(task["days_left"] or 0))
            st.markdown(
                f"{t('zn_task')}：{details.status_badge(str(task['status']), task_state)} "
                f"<small>{html.escape(task_id)} · {html.escape(str(task['responsible_units'] or '—'))}</small>",
                unsafe_allow_html=True,
            )
            st.page_link("app_pages/tasks.py", label=t("zn_open_task"), icon=":material/assignment:", query_params={"task": task_id})
        else:
            st.caption(t("zn_no_task"))


order = {s: i for i, s in enumerate(STATUSES)}
for jurisdiction, group in commitments.groupby("jurisdiction", sort=False):
    st.markdown(f"#### {html.escape(str(jurisdiction))}（{len(group)}）", unsafe_allow_html=True)
    group = group.assign(_drawn=group["id"].isin(drawn_ids), _order=group["status"].map(order).fillna(99))
    group = group.sort_values(["_drawn", "_order"], ascending=[False, True], kind="stable")
    columns = st.columns(2, gap="small")
    for i, (_, z) in enumerate(group.iterrows()):
        with columns[i % 2]:
            card(z)

# -- related tasks: 禁煤区 and 散煤清零 -------------------------------------------------------
related = data.tasks(state.area, state.as_of, state.year)
related = related[related["content"].astype(str).str.contains("禁煤区|散煤", regex=True)] if len(related) else related
st.subheader(t("zone_tasks", n=len(related)))
if related.empty:
    st.info(t("zn_no_related", area=state.area.label))
else:
    related = related.assign(_order=related["status"].map(order).fillna(99)).sort_values(
        ["_order", "days_overdue"], ascending=[True, False], kind="stable")
    table = pd.DataFrame({
        t("col_jurisdiction"): related["jurisdiction"],
        t("col_content"): related["content"],
        t("col_deadline_text"): related["deadline_text"],
        t("col_deadline"): related["deadline"],
        t("col_status"): [status_text(s, int(d or 0), int(left or 0)) for s, d, left in
                          zip(related["status"], related["days_overdue"], related["days_left"], strict=True)],
        t("col_units"): related["responsible_units"],
        t("col_id"): related["id"],
    })
    tables.show(tables.with_sources(table, related), "no_coal_tasks")
