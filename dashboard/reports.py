"""Pieces of the report pages (断面、企业、县域): tables, the upstream block, print layout.

Reads only ``dashboard.data``; every figure comes from the views the map pages use.
"""

from __future__ import annotations

import html
from collections.abc import Callable

import pandas as pd
import streamlit as st

from dashboard import briefing, data, tables
from dashboard.components import popups, style
from dashboard.state import ViewState, page_params, set_page_param
from geodata import status as task_status
from geodata import upstream as upstream_analysis
from geodata import views
from geodata.areas import Area
from geodata.i18n import t
from geodata.model import CLASSES
from geodata.quality.limits import item

# printing a report: no sidebar, no header, no widgets that mean nothing on paper
PRINT_CSS = """<style>
@media print {
  header[data-testid="stHeader"], [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
  [data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stDownloadButton"], [data-testid="stPopover"],
  [data-testid="stExpandSidebarButton"], footer { display: none !important; }
  .block-container { padding: 0 !important; max-width: 100% !important; }
  .stAltairChart, img { break-inside: avoid; }
}
</style>"""


def subject(param: str, everything: pd.DataFrame, choices: Callable[[], pd.DataFrame], *, kind: str, empty: str,
            label: Callable[[str, str], str] = lambda _id, name: name) -> pd.Series:
    """The record a report page is about: the one ``?param=`` names among ``everything``; otherwise a
    title, a warning for an unknown id and a picker among ``choices()`` (the visitor's area), then stop.
    ``kind`` names the texts (``rp_{kind}_title_none``, ``rp_{kind}_unknown``, ``rp_pick_{kind}``,
    ``rp_pick_{kind}_hint``, ``rp_{kind}_hint``); ``empty`` is said when the area has none."""
    wanted = page_params(param)
    if len(everything) and wanted in set(everything["id"].astype(str)):
        return everything.set_index("id").loc[wanted]
    st.title(t(f"rp_{kind}_title_none"))
    if wanted:
        st.warning(t(f"rp_{kind}_unknown", id=wanted))
    options = choices()
    if options.empty:
        st.info(empty)
        st.stop()
    names = options.set_index("id")["name"].to_dict()
    picked = st.selectbox(t(f"rp_pick_{kind}"), list(names), index=None, format_func=lambda i: label(i, str(names[i])),
                          placeholder=t(f"rp_pick_{kind}_hint"), key=f"rp_{kind}_pick")
    if picked:
        set_page_param(param, picked)
        st.rerun()
    st.info(t(f"rp_{kind}_hint"))
    st.stop()
    raise AssertionError("unreachable")  # st.stop() ends the run


def print_css() -> None:
    st.markdown(PRINT_CSS, unsafe_allow_html=True)


def _item_name(code: str) -> str:
    try:
        return item(code).name
    except KeyError:
        return code


def exceedance_text(value: str) -> str:
    """"NH3-N:0.69；TP:0.41" → "氨氮 超标 0.69 倍；总磷 超标 0.41 倍"."""
    parts = []
    for pair in str(value or "").split("；"):
        code, _, multiple = pair.partition(":")
        if code.strip():
            parts.append(t("exceedance_item", name=_item_name(code.strip()), n=multiple))
    return "；".join(parts)


def class_axis_expr() -> str:
    """A Vega expression labelling the class axis (0 → Ⅰ类 … 5 → 劣Ⅴ类)."""
    labels = [style.class_label(k) for k in CLASSES]
    return "[" + ",".join(f"'{x}'" for x in labels) + "][datum.value]"


def section_history(section_id: str) -> pd.DataFrame:
    """Every month and year with a class for the section: class, target of the year, compliance, months."""
    columns = ["year", "month", "period", "class", "target", "compliance", "n_months", "main_pollutants", "exceedance",
               "is_sample"]
    evaluations = data.evaluations()
    if evaluations is None or evaluations.empty:
        return pd.DataFrame(columns=columns)
    rows = evaluations[evaluations["section_id"] == section_id].copy()
    if rows.empty:
        return pd.DataFrame(columns=columns)
    rows["month"] = rows["month"].astype(str).replace({"nan": "", "None": "", "<NA>": ""})
    rows["month"] = rows["month"].map(lambda v: str(int(float(v))) if v else "")
    rows["year"] = rows["year"].astype(int)
    targets = data.table("section_targets")
    mine = targets[(targets["section_id"] == section_id) & (targets["kind"] == "target")]
    by_year = {}
    for _, r in mine.iterrows():
        year = int(float(r["year"]))
        by_year.setdefault(year, str(r["target_class"] or ""))
    rows["target"] = rows["year"].map(lambda y: by_year.get(int(y), ""))
    rows["compliance"] = [views.compliance_state(str(c or ""), str(tc or ""), str(s or ""))
                          for c, tc, s in zip(rows["class"], rows["target"], rows["status"], strict=True)]
    months = rows[rows["month"] != ""].groupby("year").size().to_dict()
    rows["n_months"] = rows["year"].map(months).fillna(0).astype(int)
    rows["is_sample"] = pd.to_numeric(rows["is_sample"], errors="coerce").fillna(0).astype(int)
    for col in ("class", "main_pollutants", "exceedance"):
        rows[col] = rows[col].fillna("").astype(str)
    rows = rows.sort_values(["year", "month"], key=lambda s: s.map(lambda v: int(v) if str(v).isdigit() else 0), kind="stable")
    return rows[columns].reset_index(drop=True)


def target_steps(targets: pd.DataFrame) -> pd.DataFrame:
    """One horizontal segment per target year (its class's rank) for the history chart."""
    rows = []
    ranks = {k: i for i, k in enumerate(CLASSES)}
    for _, r in targets[(targets["kind"] == "target") & (targets["target_class"].isin(CLASSES))].iterrows():
        year = int(float(r["year"]))
        rows.append({"start": pd.Timestamp(year, 1, 1), "end": pd.Timestamp(year, 12, 31), "rank": ranks[r["target_class"]],
                     "label": t("chart_target_year", year=year, klass=style.class_label(r["target_class"]))})
    return pd.DataFrame(rows, columns=["start", "end", "rank", "label"]).drop_duplicates(["start", "rank"])


def task_table(tasks: pd.DataFrame) -> pd.DataFrame:
    """Tasks with their state as of the sidebar's date, owners and source, most urgent first."""
    order = {s: i for i, s in enumerate(task_status.STATUSES)}
    tasks = tasks.assign(_order=tasks["status"].map(order).fillna(99)).sort_values(
        ["_order", "days_overdue"], ascending=[True, False], kind="stable")
    table = pd.DataFrame({
        t("col_status"): [task_status.status_text(s, int(d or 0), int(left or 0)) for s, d, left in
                          zip(tasks["status"], tasks["days_overdue"], tasks["days_left"], strict=True)],
        t("col_jurisdiction"): tasks["jurisdiction"], t("col_content"): tasks["content"],
        t("col_deadline_text"): tasks["deadline_text"], t("col_units"): tasks["responsible_units"],
        t("col_id"): tasks["id"],
    })
    return tables.with_sources(table, tasks)


_REASON_LABELS = {"river": "rp_why_river", "section": "rp_why_section", "enterprise": "rp_why_enterprise",
                  "town": "rp_why_town", "county": "rp_why_county"}


def _why(value: str) -> str:
    kind, _, what = str(value).partition(":")
    return t(_REASON_LABELS[kind], what=what) if kind in _REASON_LABELS else value


def upstream_block(up: upstream_analysis.Upstream, row: pd.Series, state: ViewState) -> None:
    """The rivers, reaches, sections, enterprises, zones and open tasks upstream of a section, and a small map."""
    from geodata.brief.minimap import MapPoint, MiniMap, points_of

    rivers = up.rivers
    enterprises = upstream_analysis.locate_records(up, data.enterprises(Area(), state.as_of))
    zones = upstream_analysis.zones_in(up, data.layer("no_coal_zone_areas"))
    everything = data.sections(Area(), state.year)
    above = everything[everything["id"].isin(up.sections["id"])] if len(up.sections) else everything.iloc[0:0]
    tasks = upstream_analysis.tasks_in(up, data.tasks(Area(), state.as_of, state.year), enterprises=enterprises,
                                       towns=data.layer("towns"))
    st.caption(t("rp_upstream_method", km=int(upstream_analysis.CATCHMENT_KM)))
    left, right = st.columns([3, 2], gap="medium")
    with left:
        points = [MapPoint(float(row["lon"]), float(row["lat"]), str(row["name"]), "*", style.class_color(row["measured_class"]
                                                                                                           or None),
                           "#111111", 15, 0)]
        points += points_of(above, marker="o", face="#ffffff", edge="#e65100", size=8, priority=1)
        points += points_of(enterprises.assign(name=""), marker="D", face="#6d4c41", edge="#333333", size=6, priority=3)
        legend = [("line", "#e65100", t("rp_legend_upstream")), ("patch", "#ffe0b2", t("rp_legend_catchment")),
                  ("*:" + style.class_color(row["measured_class"] or None), "#111111", t("rp_legend_section")),
                  ("o:#ffffff", "#e65100", t("rp_legend_sections_up")), ("D:#6d4c41", "#333333", t("rp_legend_enterprises"))]
        spec = MiniMap(focus=up.catchment if up.catchment is not None else up.lines.union_all(), lines=up.lines,
                       area=up.catchment, polygons=zones if len(zones) else None, points=points, legend=legend)
        try:
            st.image(_minimap(spec), width="stretch")
        except Exception as exc:  # noqa: BLE001 - the lists below still answer the question
            st.warning(t("rp_map_failed", error=type(exc).__name__))
    with right:
        st.markdown(f"**{t('rp_upstream_rivers')}**")
        st.dataframe(pd.DataFrame({
            t("col_river"): rivers["river"],
            t("rp_col_relation"): rivers["relation"].map({"self": t("rp_rel_self"), "tributary": t("rp_rel_tributary")}),
            t("rp_col_joins"): rivers["joins"].replace("", "—"), t("rp_col_km"): rivers["length_km"],
        }), hide_index=True, width="stretch")
        if len(up.reaches):
            st.markdown(f"**{t('rp_upstream_reaches')}**")
            st.dataframe(pd.DataFrame({
                t("col_river"): up.reaches["river"], t("rp_col_reach"): up.reaches["reach_no"],
                t("col_governing_section"): up.reaches["governing_section_name"], t("rp_col_km"): up.reaches["upstream_km"],
            }), hide_index=True, width="stretch")
        if up.colocated:
            names = everything.set_index("id")["name"].to_dict()
            st.caption(t("rp_colocated", names="、".join(names.get(i, i) for i in up.colocated)))
        if up.counties:
            st.caption(t("rp_catchment_counties", counties="、".join(up.counties)))
    st.markdown(f"**{t('rp_upstream_sections', n=len(above))}**")
    if above.empty:
        st.caption(t("rp_none_upstream"))
    else:
        st.dataframe(pd.DataFrame({
            t("col_section"): above["name"], t("col_river"): above["river"], t("col_county"): above["county"],
            t("rp_col_this_year", year=state.year): above["measured_class"].map(style.class_label),
            t("col_target_class"): above["target_class"].replace("", "—"),
            t("col_compliance"): above["compliance"].map(lambda c: " ".join(style.compliance(str(c))) or "—"),
            t("col_precision"): above["precision"].map(style.precision_label),
            t("rp_col_report"): ["section_report?" + _query(section=i) for i in above["id"]],
        }), hide_index=True, width="stretch", column_config={
            t("rp_col_report"): st.column_config.LinkColumn(display_text=t("rp_open_report"), width="small")})
    st.markdown(f"**{t('rp_upstream_enterprises', n=len(enterprises))}**")
    if enterprises.empty:
        st.caption(t("rp_none_upstream"))
    else:
        st.dataframe(pd.DataFrame({
            t("ent_col_name"): enterprises["name"], t("col_county"): enterprises["county"],
            t("rp_col_relation"): enterprises["relation"].map({upstream_analysis.IN_CATCHMENT: t("rp_in_catchment"),
                                                               upstream_analysis.IN_COUNTY: t("rp_in_county")}),
            t("col_status"): [task_status.status_text(s, int(d or 0), int(x or 0)) for s, d, x in
                              zip(enterprises["status"], enterprises["days_overdue"], enterprises["days_left"], strict=True)],
            t("col_action"): enterprises["required_action"], t("col_units"): enterprises["responsible_units"],
            t("rp_col_report"): ["enterprise_report?" + _query(enterprise=i) for i in enterprises["id"]],
        }), hide_index=True, width="stretch", column_config={
            t("rp_col_report"): st.column_config.LinkColumn(display_text=t("rp_open_report"), width="small")})
    commitments = data.commitments(Area(), state.as_of)
    county_commitments = commitments[commitments["area_county"].isin(up.counties)] if len(commitments) else commitments
    st.markdown(f"**{t('rp_upstream_zones', drawn=len(zones), n=len(county_commitments))}**")
    if len(zones):
        st.caption("；".join(dict.fromkeys(str(z) for z in zones["label"].fillna(""))))
    if len(county_commitments):
        st.dataframe(pd.DataFrame({
            t("col_jurisdiction"): county_commitments["jurisdiction"], t("col_county"): county_commitments["area_county"],
            t("zn_commitment"): county_commitments["description"].astype(str).str.slice(0, 80),
            t("col_status"): county_commitments["status"].map(task_status.label),
        }), hide_index=True, width="stretch")
    st.markdown(f"**{t('rp_upstream_tasks', n=len(tasks))}**")
    if tasks.empty:
        st.caption(t("rp_none_upstream"))
    else:
        table = task_table(tasks)
        table.insert(1, t("rp_col_why"), tasks.set_index("id").loc[table[t("col_id")], "why"].map(_why).to_numpy())
        tables.show(table, f"upstream_tasks_{up.section_id.replace(':', '_')}")


def _query(**params: str) -> str:
    import urllib.parse

    return urllib.parse.urlencode(params)


@st.cache_data(show_spinner=False, max_entries=32)
def _minimap_cached(spec_key: str, _spec, lang: str, data_version: int) -> bytes:  # noqa: ANN001
    from geodata.brief.minimap import minimap_png

    return minimap_png(briefing.PageSource(), _spec)


def _minimap(spec) -> bytes:  # noqa: ANN001
    """The small map of a report (cached on what it shows)."""
    from geodata.i18n import language

    key = "|".join([spec.focus.wkt[:200], str(len(spec.points)), *(f"{p.label}{p.lon:.4f}{p.lat:.4f}" for p in spec.points),
                    str(spec.lines.shape if spec.lines is not None else ""), str(spec.area.area if spec.area is not None else "")])
    return _minimap_cached(key, spec, language(), data.version())


def enterprise_history(enterprise: pd.Series) -> pd.DataFrame:
    updates = data.events()
    if updates.empty:
        return updates
    return updates[updates["task_id"].isin([str(enterprise["id"]), str(enterprise.get("task_id") or "")])]


def precision_text(row: pd.Series) -> str:
    return popups.precision_text(row.get("precision"), row.get("location_method", ""))


def escape(value: object) -> str:
    return html.escape("" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value))
