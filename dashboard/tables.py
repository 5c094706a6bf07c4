"""Tables and detail panels shared by pages: every table can be downloaded with the map's numbers."""

from __future__ import annotations

import io

import pandas as pd
import streamlit as st

from dashboard import data
from dashboard.components import style
from dashboard.state import ViewState
from geodata.i18n import t
from geodata.status import COLORS, LABELS_ZH

SAMPLE_NOTE = "示例数据（非实测）"
MAX_ROWS = 2000  # rows sent to the browser; downloads always hold every row


def show(frame: pd.DataFrame, name: str, *, sample: bool = False, height: int | None = None) -> None:
    """A table with CSV and Excel downloads; sample data are labelled in the file too."""
    if sample:
        st.warning(t("sample_banner"))
    shown = frame if len(frame) <= MAX_ROWS else frame.head(MAX_ROWS)
    st.dataframe(shown, hide_index=True, width="stretch", height=height or "auto")
    if len(frame) > MAX_ROWS:
        st.caption(t("rows_capped", shown=MAX_ROWS, total=len(frame)))
    downloads(frame, name, sample=sample)


def downloads(frame: pd.DataFrame, name: str, *, sample: bool = False) -> None:
    """CSV (UTF-8 with BOM, opens in Excel) and Excel downloads of exactly ``frame``."""
    export = frame.copy()
    if sample:
        export.insert(0, "数据说明", SAMPLE_NOTE)
    c1, c2, _ = st.columns([1, 1, 4])
    c1.download_button(
        t("download_csv"), export.to_csv(index=False).encode("utf-8-sig"), f"{name}.csv", "text/csv", key=f"dl_csv_{name}"
    )
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        export.to_excel(writer, index=False, sheet_name=name[:31])
    c2.download_button(
        t("download_xlsx"), buf.getvalue(), f"{name}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=f"dl_xlsx_{name}",
    )


def owners_chart(owners: pd.DataFrame, height: int = 420) -> None:
    """Overdue tasks per responsible unit, longest bar first."""
    import altair as alt

    top = owners.head(15)
    chart = (
        alt.Chart(top)
        .mark_bar(color="#c62828")
        .encode(
            x=alt.X("overdue:Q", title="逾期任务数"),
            y=alt.Y("responsible_unit:N", sort="-x", title=None, axis=alt.Axis(labelLimit=220)),
            tooltip=[alt.Tooltip("responsible_unit:N", title="责任单位"), alt.Tooltip("overdue:Q", title="逾期任务")],
        )
        .properties(height=height)
    )
    st.altair_chart(chart, width="stretch")


def status_badge(status: str) -> str:
    return (
        f'<span style="background:{COLORS.get(status, "#999")};color:#fff;padding:1px 6px;border-radius:3px;'
        f'font-size:12px">{LABELS_ZH.get(status, status)}</span>'
    )


def class_badge(klass: str) -> str:
    color = style.class_color(klass or None)
    text = style.TEXT_ON.get(klass, "#000")
    return (
        f'<span style="background:{color};color:{text};padding:1px 7px;border-radius:3px;font-weight:600">'
        f"{klass or '无数据'}</span>"
    )


def _item_chart(section_id: str, row: pd.Series, state: ViewState) -> None:
    """Monthly values of one item against the limit of the section's target class."""
    import altair as alt

    from geodata.model import CLASSES
    from geodata.quality.limits import item

    values = data.section_measurements(section_id)
    values = values[(values["item"] != "status") & (values["date"].str[:4] == str(state.year))]
    if values.empty:
        return
    codes = sorted(values["item"].unique())
    names = {c: item(c).name for c in codes}
    default = "NH3-N" if "NH3-N" in codes else codes[0]
    code = st.selectbox(t("item_chart"), codes, index=codes.index(default), format_func=names.get, key=f"item_{section_id}")
    series = values[values["item"] == code].assign(月份=lambda f: f["date"].str[5:7].astype(int))
    unit = series["unit"].iloc[0]
    base = alt.Chart(series).mark_line(point=True, color="#1e5aa8").encode(
        x=alt.X("月份:O", axis=alt.Axis(labelAngle=0)), y=alt.Y("value:Q", title=f"{names[code]}（{unit}）"),
        tooltip=[alt.Tooltip("date:N", title="日期"), alt.Tooltip("value:Q", title="监测值")],
    )
    layers = [base]
    target = row["target_class"]
    if target in CLASSES[:5]:
        limit = item(code).limits[CLASSES.index(target)]
        if isinstance(limit, (int, float)):
            rule = pd.DataFrame({"limit": [limit], "label": [f"{target}类限值 {limit}"]})
            layers.append(alt.Chart(rule).mark_rule(color="#c62828", strokeDash=[6, 3]).encode(y="limit:Q", tooltip="label:N"))
    st.altair_chart(alt.layer(*layers).properties(height=220), width="stretch")
    if int(values["is_sample"].astype(int).any()):
        st.caption(SAMPLE_NOTE)


def section_details(section_id: str, sections: pd.DataFrame, state: ViewState) -> None:
    """Everything about one section: where, what target (with source), classes over time, tasks."""
    row = sections.set_index("id").loc[section_id]
    st.subheader(f"{row['name']}")
    st.markdown(
        f"**{row['level'] or '—'}** · 河流：{row['river'] or '—'} · {row['county'] or '—'} · "
        f"位置：{style.PRECISION_LABELS.get(row['precision'], row['precision'])}"
    )
    symbol, state_label = style.COMPLIANCE_SYMBOLS.get(row["compliance"], ("", ""))
    st.markdown(
        f"{state.year} 年实测 {class_badge(row['measured_class'])} · 目标 "
        f"{class_badge(row['target_class']) if row['target_class'] else (row['target_text'] or '—')} · "
        f"**{symbol} {state_label}**",
        unsafe_allow_html=True,
    )
    if int(row.get("is_sample") or 0):
        st.caption(SAMPLE_NOTE)
    if row.get("main_pollutants"):
        st.markdown(f"主要污染指标：{row['main_pollutants']}")
    if row.get("exceedance"):
        from geodata.quality.limits import item

        parts = []
        for pair in str(row["exceedance"]).split("；"):
            code, _, multiple = pair.partition(":")
            try:
                parts.append(f"{item(code).name} {multiple} 倍")
            except KeyError:
                parts.append(pair)
        st.markdown(f"超标倍数（相对Ⅲ类）：{'；'.join(parts)}")

    targets = data.table("section_targets")
    mine = targets[targets["section_id"] == section_id]
    if len(mine):
        st.markdown(f"**{t('targets_by_year')}**")
        st.dataframe(
            mine.assign(来源=mine["source_file"].astype(str) + " 第 " + mine["source_line"].astype(str) + " 行")[
                ["year", "kind", "target_class", "target_text", "来源"]
            ].rename(columns={"year": "年份", "kind": "类型", "target_class": "类别", "target_text": "原文"})
            .replace({"类型": {"target": "目标", "observed": "实测（原文陈述）"}}),
            hide_index=True, width="stretch",
        )
    evaluations = data.evaluations()
    if evaluations is not None and len(evaluations):
        history = evaluations[(evaluations["section_id"] == section_id) & (evaluations["month"].astype(str).isin([str(i) for i in range(1, 13)]))]
        if len(history):
            st.markdown(f"**{t('class_strip')}**")
            cells = "".join(
                f'<span title="{r.year}-{int(float(r.month)):02d}" style="display:inline-block;width:22px;height:22px;'
                f"margin:1px;background:{style.class_color(r[3] or None)};color:{style.TEXT_ON.get(r[3], '#000')};"
                f'font-size:10px;text-align:center;line-height:22px">{int(float(r.month))}</span>'
                for r in history[["year", "month", "class", "class"]].itertuples(index=False)
                if str(r.year) == str(state.year)
            )
            st.markdown(cells or t("no_data_year"), unsafe_allow_html=True)
    _item_chart(section_id, row, state)
    tasks = data.tasks(state.area, state.as_of)
    name = str(row["name"])
    related = tasks[tasks["content"].astype(str).str.contains(name, regex=False) | tasks["places"].astype(str).str.contains(name, regex=False)]
    st.markdown(f"**{t('related_tasks')}**（{len(related)}）")
    if related.empty:
        st.caption(t("no_related_tasks"))
    for _, task in related.head(10).iterrows():
        st.markdown(
            f"{status_badge(task['status'])} {task['content'][:80]}… <br><small>{task['responsible_units'] or '—'} · "
            f"{task['deadline_text'] or '无时限'} · {task['source_file']} 第 {task['source_line']} 行</small>",
            unsafe_allow_html=True,
        )
