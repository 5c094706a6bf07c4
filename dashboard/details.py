"""Detail panels: everything about one section, with every target and class traced to its source."""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from dashboard import data, tables
from dashboard.components import popups, style
from dashboard.state import ViewState
from geodata import status as task_status
from geodata.i18n import t
from geodata.model import CLASSES
from geodata.quality.limits import item


def status_badge(status: str, text: str | None = None) -> str:
    return (
        f'<span style="background:{task_status.COLORS.get(status, "#999")};color:#fff;padding:1px 6px;border-radius:3px;'
        f'font-size:12px">{html.escape(text or task_status.label(status))}</span>'
    )


def class_badge(klass: str) -> str:
    color = style.class_color(klass or None)
    text = style.TEXT_ON.get(klass, "#000")
    return (
        f'<span style="background:{color};color:{text};padding:1px 7px;border-radius:3px;font-weight:600">'
        f"{html.escape(style.class_label(klass))}</span>"
    )


def _item_name(code: str) -> str:
    try:
        return item(code).name
    except KeyError:
        return code


def item_chart(section_id: str, target_class: str, year: int) -> None:
    """Monthly values of one item against the limit of the target class; below detection drawn at the
    detection limit as hollow points and said so."""
    values = data.section_measurements(section_id)
    values = values[(values["item"] != "status") & (values["date"].astype(str).str[:4] == str(year))]
    if values.empty:
        return
    codes = sorted(values["item"].unique())
    default = "NH3-N" if "NH3-N" in codes else codes[0]
    code = st.selectbox(t("item_chart"), codes, index=codes.index(default), format_func=_item_name, key=f"item_{section_id}")
    series = values[values["item"] == code].copy()
    series["month"] = series["date"].astype(str).str[5:7].astype(int)
    series["detected"] = series["below_detection"].astype(int) == 0
    series["shown"] = [
        t("below_detection_value", limit=f"{v:g}") if not d else f"{v:g}" for v, d in zip(series["value"], series["detected"], strict=True)
    ]
    series["kind"] = series["detected"].map({True: t("chart_measured"), False: t("chart_below_detection")})
    series["data_note"] = series["is_sample"].astype(int).map({1: t("sample_watermark"), 0: t("chart_real")})
    unit = str(series["unit"].iloc[0] or "")
    import altair as alt  # only when a chart is drawn: its import costs a cold page 0.3 s

    x = alt.X("month:O", title=t("chart_month"), axis=alt.Axis(labelAngle=0))
    y = alt.Y("value:Q", title=f"{_item_name(code)}（{unit}）" if unit else _item_name(code))
    tooltip = [alt.Tooltip("date:N", title=t("chart_date")), alt.Tooltip("shown:N", title=t("chart_value")),
               alt.Tooltip("data_note:N", title=t("col_data_note"))]
    line = alt.Chart(series).mark_line(color="#1e5aa8").encode(x=x, y=y)
    points = alt.Chart(series).mark_point(size=60, filled=True).encode(
        x=x, y=y, tooltip=tooltip,
        shape=alt.Shape("kind:N", title=None, legend=alt.Legend(orient="bottom"),
                        scale=alt.Scale(domain=[t("chart_measured"), t("chart_below_detection")], range=["circle", "triangle-down"])),
        fill=alt.Fill("kind:N", legend=None,
                      scale=alt.Scale(domain=[t("chart_measured"), t("chart_below_detection")], range=["#1e5aa8", "#ffffff"])),
        color=alt.value("#1e5aa8"),
    )
    layers = [line, points]
    if target_class in CLASSES[:5]:
        try:
            limit = item(code).limits[CLASSES.index(target_class)]
        except (KeyError, IndexError):
            limit = None
        if isinstance(limit, (int, float)):
            rule = pd.DataFrame({"limit": [limit], "label": [t("chart_limit", klass=style.class_label(target_class), limit=limit)]})
            layers.append(alt.Chart(rule).mark_rule(color="#c62828", strokeDash=[6, 3]).encode(y="limit:Q", tooltip="label:N"))
    st.altair_chart(alt.layer(*layers).properties(height=230), width="stretch")
    if (~series["detected"]).any():
        st.caption(t("chart_below_detection_note"))
    if int(series["is_sample"].astype(int).any()):
        st.caption(t("sample_watermark"))


def section_details(section_id: str, sections: pd.DataFrame, state: ViewState, month: int | None = None,
                    period_text: str | None = None) -> None:
    """Where the section is, its target (with source), its classes over the year, and the tasks naming it."""
    row = sections.set_index("id").loc[section_id]
    st.subheader(str(row["name"]))
    st.markdown(
        f"**{html.escape(str(row['level'] or '—'))}** · {t('col_river')}：{html.escape(str(row['river'] or '—'))} · "
        f"{html.escape(str(row['county'] or '—'))} · {t('location')}：{html.escape(popups.precision_text(row['precision']))}",
        unsafe_allow_html=True,
    )
    links = st.columns(2)
    links[0].page_link("app_pages/section_report.py", label=t("rp_open_section_report"), icon=":material/description:",
                       query_params={"section": section_id})
    if row["county"]:
        links[1].page_link("app_pages/county_report.py", label=t("rp_county_report", county=row["county"]),
                           icon=":material/summarize:", query_params={"county": str(row["county"]),
                                                                      "city": str(row.get("area_city") or "")})
    symbol, state_label = style.compliance(str(row["compliance"]))
    period = period_text or (t("period_month", year=state.year, month=month) if month else t("period_year", year=state.year))
    target_html = class_badge(row["target_class"]) if row["target_class"] else html.escape(row["target_text"] or "—")
    st.markdown(
        f"{period} {class_badge(row['measured_class'])} · {t('col_target')} {target_html} · "
        f"**{symbol} {html.escape(state_label)}**",
        unsafe_allow_html=True,
    )
    basis = popups.waterbody_basis(row.get("evaluated_as"))
    if row["measured_class"] and basis:
        months = int(row.get("n_months") or 0)
        st.caption(basis + (t("basis_months", n=months) if months and not month else ""))
    if int(row.get("is_sample") or 0):
        st.caption(t("sample_watermark"))
    if row.get("main_pollutants"):
        st.markdown(f"{t('main_pollutants')}：{html.escape(str(row['main_pollutants']))}", unsafe_allow_html=True)
    if row.get("exceedance"):
        parts = []
        for pair in str(row["exceedance"]).split("；"):
            code, _, multiple = pair.partition(":")
            parts.append(t("exceedance_item", name=_item_name(code), n=multiple))
        st.markdown(f"{t('exceedance')}：{'；'.join(parts)}")

    targets = data.table("section_targets")
    mine = targets[targets["section_id"] == section_id]
    if len(mine):
        st.markdown(f"**{t('targets_by_year')}**")
        shown = pd.DataFrame({
            t("col_year"): mine["year"],
            t("col_kind"): mine["kind"].map(lambda k: t(f"target_kind_{k}") if k in ("target", "observed") else k),
            t("col_class"): mine["target_class"],
            t("col_target_text"): mine["target_text"],
        })
        shown = tables.with_sources(shown, mine)
        st.dataframe(shown, hide_index=True, width="stretch", column_config={
            t("col_original"): st.column_config.LinkColumn(display_text=t("open_original"), width="small")})
    evaluations = data.evaluations()
    if evaluations is not None and len(evaluations):
        month_text = evaluations["month"].astype(str)
        history = evaluations[(evaluations["section_id"] == section_id) & (evaluations["year"].astype(str) == str(state.year))
                              & month_text.isin([str(i) for i in range(1, 13)] + [f"{i}.0" for i in range(1, 13)])]
        st.markdown(f"**{t('class_strip')}**")
        if len(history):
            cells = "".join(
                f'<span title="{html.escape(f"{r.year}-{int(float(r.month)):02d} {style.class_label(r.klass)}")}" '
                f'style="display:inline-block;width:24px;height:24px;margin:1px;background:{style.class_color(r.klass or None)};'
                f"color:{style.TEXT_ON.get(r.klass, '#000')};font-size:10px;text-align:center;line-height:24px;"
                f'{"outline:2px dashed #c62828;" if int(r.is_sample or 0) else ""}">{int(float(r.month))}</span>'
                for r in history.rename(columns={"class": "klass"})[["year", "month", "klass", "is_sample"]].itertuples(index=False)
            )
            st.markdown(cells, unsafe_allow_html=True)
            if history["is_sample"].astype(int).any():
                st.caption(t("class_strip_sample"))
        else:
            st.caption(t("no_data_year"))
    item_chart(section_id, str(row["target_class"]), state.year)
    tasks = data.tasks(state.area, state.as_of)
    name = str(row["name"])
    related = tasks[tasks["content"].astype(str).str.contains(name, regex=False)
                    | tasks["places"].astype(str).str.contains(name, regex=False)]
    st.markdown(f"**{t('related_tasks')}**（{len(related)}）")
    if related.empty:
        st.caption(t("no_related_tasks"))
    for _, task in related.head(10).iterrows():
        status = task_status.status_text(str(task["status"]), int(task["days_overdue"] or 0), int(task["days_left"] or 0))
        content = str(task["content"])
        st.markdown(
            f"{status_badge(str(task['status']), status)} {html.escape(content[:80])}{'…' if len(content) > 80 else ''}<br>"
            f"<small>{html.escape(str(task['responsible_units'] or '—'))} · {html.escape(str(task['deadline_text'] or t('no_deadline_short')))}"
            f" · <a href='{html.escape(tables.source_url(task['document_id'], task['source_line']))}' target='_self'>"
            f"{html.escape(tables.source_label(task['document_id'], task['source_line']))}</a></small>",
            unsafe_allow_html=True,
        )
