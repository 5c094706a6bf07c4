"""禁煤区: the zones the plans draw, and every commitment with its deadline, exclusions and tasks.

Most commitments name no drawable area ("划定禁煤区" without a boundary); they are listed
as cards by jurisdiction with the reason they are not on the map. A missing or empty
zone layer is said so, and every commitment is still listed.
"""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from dashboard import data, mapping, tables
from dashboard.components import layers, mapview
from dashboard.state import sidebar
from geodata.i18n import t
from geodata.status import COLORS, LABELS_ZH, LONG_TERM, OVERDUE, latest_updates, task_status
from geodata.views import Area

ZONE_COLOR = "#8d6e63"
ORDER = {OVERDUE: 0, "not_reported": 1, "in_progress": 2, LONG_TERM: 3, "no_deadline": 4, "done": 5}


def _text(row: pd.Series | dict, name: str) -> str:
    value = row.get(name, "") if hasattr(row, "get") else ""
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value).strip()


def _long_term(value: object) -> bool:
    return str(value).strip() in ("1", "1.0", "True", "true")


def _not_drawn_reasons() -> dict[str, str]:
    """commitment id → why it is not on the map, as written by ``envmap build``."""
    try:
        notes = data.layer_metadata().get("no_coal_zones", {}).get("notes", [])
    except Exception:  # noqa: BLE001 - the metadata are a courtesy; the page works without them
        return {}
    return {str(n.get("id")): str(n.get("reason") or "") for n in notes if isinstance(n, dict) and n.get("id")}


state = sidebar()
st.title(t("page_zones"))

# -- data, defensively: the layer may be missing, empty or lack columns --------------------
try:
    zones = data.zones(state.area, state.display_crs)
except Exception:  # noqa: BLE001 - an absent layer is an expected state, not an error page
    zones = pd.DataFrame()
try:
    layer_built = len(data.layer("no_coal_zone_areas")) > 0
except Exception:  # noqa: BLE001
    layer_built = False
commitments = data.table("no_coal_zones")
if state.area.county:  # the city's own commitments apply to its counties too
    commitments = commitments[commitments["jurisdiction"].isin({state.area.county, state.area.city})]
elif state.area.city:
    commitments = commitments[commitments["jurisdiction"].isin(state.area.jurisdictions())]
all_tasks = data.tasks(Area(), state.as_of).set_index("id")
reported = latest_updates(data.updates(), state.as_of)
reasons = _not_drawn_reasons()

if len(zones):
    zones = zones.copy()
    for name in ("label", "area_name", "note", "source", "id", "exclusions"):
        if name not in zones.columns:
            zones[name] = ""
        zones[name] = zones[name].fillna("").astype(str)
    zones["label"] = zones["label"].where(zones["label"] != "", zones["area_name"]).replace("", t("page_zones"))
drawn_ids = set(zones["id"]) if len(zones) else set()

statuses = [
    task_status(_text(z, "deadline"), _text(z, "long_term"), reported.get(_text(z, "task_id")), state.as_of)
    for _, z in commitments.iterrows()
]
commitments = commitments.assign(_status=statuses)

m1, m2, m3, m4 = st.columns(4)
m1.metric(t("zn_metric_commitments"), len(commitments))
m2.metric(t("zn_metric_mapped"), int(commitments["id"].isin(drawn_ids).sum()), help=t("zn_metric_mapped_help"))
m3.metric(LABELS_ZH[LONG_TERM], int(commitments["long_term"].apply(_long_term).sum()))
m4.metric(LABELS_ZH[OVERDUE], int((commitments["_status"] == OVERDUE).sum()), help=t("kpi_overdue_help", asof=state.as_of.isoformat()))

# -- the map --------------------------------------------------------------------------------
col_map, col_list = st.columns([3, 2], gap="medium")
with col_map:
    m = mapping.base_map(state, title=t("zn_map_title", area=state.area.label), sample=False, height=560)
    if len(zones) and "zones" in state.layers:
        layers.add_zones(m, data.frame_geojson(zones, ["label"]))
        minx, miny, maxx, maxy = zones.total_bounds  # the zones are small against a city: frame them, with context
        pad = max(maxx - minx, maxy - miny) * 0.6
        m.fit_bounds([[miny - pad, minx - pad], [maxy + pad, maxx + pad]])
    mapping.add_legend(m, mapview.legend_html(
        t("zn_legend_title"),
        [("", [(mapview.swatch(ZONE_COLOR, dashed=True, border="#5d4037"), t("zn_legend_zone"))])],
        [t("zn_legend_foot")],
    ))
    st_folium(m, key="zones_map", height=560, use_container_width=True, returned_objects=[])
with col_list:
    st.subheader(t("zn_drawn_heading"))
    if not layer_built:
        st.info(t("zones_no_polygon"))
    elif zones.empty:
        st.info(t("zn_none_here", area=state.area.label))
    else:
        if "zones" not in state.layers:
            st.caption(t("zn_layer_off"))
        st.caption(t("zn_drawn_caption", n=zones["label"].nunique()))
        for label, group in zones.groupby("label", sort=False):
            with st.container(border=True):
                st.markdown(f"**{label}**")
                notes = sorted({n for n in group["note"] if n and n not in str(label)})
                if notes:
                    st.caption("；".join(notes))
                sources = "、".join(sorted({s for s in group["source"] if s}))
                ids = "、".join(sorted({i for i in group["id"] if i}))
                st.caption(t("zn_drawn_source", source=sources or "—", ids=ids or "—"))
    not_drawn = commitments[~commitments["id"].isin(drawn_ids)]
    if len(not_drawn):
        st.caption(t("zn_not_drawn_count", n=len(not_drawn)))

# -- every commitment, by jurisdiction ------------------------------------------------------
st.subheader(t("zone_commitments", n=len(commitments)))
if commitments.empty:
    st.info(t("no_zone_commitments", area=state.area.label))
elif state.area.county and (commitments["jurisdiction"] == state.area.city).any():
    st.caption(t("zn_city_level", city=state.area.city, county=state.area.county))


def card(z: pd.Series) -> None:
    zone_id, task_id = _text(z, "id"), _text(z, "task_id")
    area_name = _text(z, "area_name") or t("zone_no_area")
    action = _text(z, "action")
    with st.container(border=True):
        st.markdown(
            (f"<b style='background:#efebe9;color:#4e342e;padding:1px 6px;border-radius:3px'>{html.escape(action)}</b> "
             if action else "")
            + f"<b>{html.escape(area_name)}</b> {tables.status_badge(z['_status'])}",
            unsafe_allow_html=True,
        )
        st.markdown(_text(z, "description") or "—")
        if _long_term(z.get("long_term")):
            deadline = f"{_text(z, 'deadline_text') or LABELS_ZH[LONG_TERM]}（{LABELS_ZH[LONG_TERM]}）"
        else:
            deadline = _text(z, "deadline_text") or "—"
            if _text(z, "deadline"):
                deadline += f"（{_text(z, 'deadline')}）"
        lines = [f"**{t('deadline')}**：{deadline}"]
        if _text(z, "exclusions"):
            lines.append(f"**{t('zn_exclusions')}**：{_text(z, 'exclusions')}")
        if _text(z, "area_km2"):
            lines.append(t("zn_area", km2=_text(z, "area_km2")))
        if zone_id in drawn_ids:
            lines.append(f"**{t('zn_on_map')}**")
        else:
            lines.append(t("zn_not_on_map", reason=reasons.get(zone_id) or t("zn_no_boundary")))
        lines.append(f"**{t('source')}**：{_text(z, 'source_file')} 第 {_text(z, 'source_line')} 行")
        st.markdown("  \n".join(lines))
        if task_id and task_id in all_tasks.index:
            task = all_tasks.loc[task_id]
            days = int(task["days_overdue"] or 0)
            st.markdown(
                f"{t('zn_task')}：{tables.status_badge(task['status'])}"
                + (f" <span style='color:{COLORS[OVERDUE]}'>{t('tk_days_overdue', d=days)}</span>" if days else "")
                + f" <small>{html.escape(task_id)} · {html.escape(str(task['responsible_units'] or '—'))}</small>",
                unsafe_allow_html=True,
            )
            st.page_link("app_pages/tasks.py", label=t("zn_open_task"), icon=":material/assignment:", query_params={"task": task_id})
        else:
            st.caption(t("zn_no_task"))


for jurisdiction, group in commitments.groupby("jurisdiction", sort=False):
    st.markdown(f"#### {jurisdiction}（{len(group)}）")
    group = group.assign(_drawn=group["id"].isin(drawn_ids), _order=group["_status"].map(ORDER).fillna(9))
    group = group.sort_values(["_drawn", "_order"], ascending=[False, True], kind="stable")
    columns = st.columns(2, gap="small")
    for i, (_, z) in enumerate(group.iterrows()):
        with columns[i % 2]:
            card(z)

# -- related tasks: 禁煤区 and 散煤清零 -------------------------------------------------------
related = data.tasks(state.area, state.as_of)
related = related[related["content"].astype(str).str.contains("禁煤区|散煤", regex=True)]
st.subheader(t("zone_tasks", n=len(related)))
if related.empty:
    st.info(t("zn_no_related", area=state.area.label))
else:
    related = related.assign(_order=related["status"].map(ORDER).fillna(9)).sort_values(
        ["_order", "days_overdue"], ascending=[True, False], kind="stable")
    table = pd.DataFrame({
        t("col_jurisdiction"): related["jurisdiction"],
        t("col_content"): related["content"],
        t("col_deadline_text"): related["deadline_text"],
        t("col_deadline"): related["deadline"],
        t("col_status"): [t("tk_overdue_days_short", d=int(d)) if s == OVERDUE and d else lab
                          for s, lab, d in zip(related["status"], related["status_label"], related["days_overdue"], strict=True)],
        t("col_units"): related["responsible_units"],
        t("col_source"): related["source_file"].astype(str) + " 第 " + related["source_line"].astype(str) + " 行",
        t("col_id"): related["id"],
    })
    tables.show(table, "no_coal_tasks")
