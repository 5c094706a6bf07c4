"""数据说明: every source, licence and precision label, so a leader can tell exact from approximate.

The geographic sources are read from the ``metadata`` member of each bundled
``data/geo/*.geojson`` (never typed in here); the precision counts from the store, so an
import of official coordinates shows up as “精确坐标” at once.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from dashboard import data
from dashboard.components import style
from dashboard.state import sidebar
from geodata import admin
from geodata.i18n import t

state = sidebar(show_layers=False, show_basemap=False)
st.title(t("page_sources"))
st.write(t("srcp_intro"))

POINT_LAYERS = {"sections": "考核断面", "groundwater_points": "地下水国考点位",
                "drinking_water_sources": "饮用水水源", "enterprises": "重点企业"}
GEO_LAYERS = {"admin_units": "行政区划", "rivers": "主要河流", "yellow_river_surface": "黄河河面", "towns": "乡镇驻地",
              "reaches": "河段", "sections": "考核断面位置", "groundwater_points": "地下水点位位置",
              "drinking_water_sources": "饮用水水源位置", "enterprises": "重点企业位置", "no_coal_zones": "禁煤区范围"}
TABLE_NAMES = {"sections": "考核断面", "enterprises": "重点企业", "tasks": "任务", "groundwater_points": "地下水点位",
               "drinking_water_sources": "饮用水水源"}
FIELD_NAMES = {"county": "所在县", "river": "所在河流", "same_as": "同一断面", "category": "任务类别", "name": "名称"}
PRECISION_COLORS = {"exact": "#2e7d32", "village": "#66bb6a", "town": "#9ccc65", "river": "#4fc3f7",
                    "county": "#ffb74d", "none": "#bdbdbd"}

# -- at a glance: exact vs approximate ---------------------------------------------------------


def _in_area(frame: pd.DataFrame) -> pd.DataFrame:
    if frame.empty or "county" not in frame:
        return frame
    if state.area.county:
        return frame[frame["county"] == state.area.county]
    if state.area.city:
        return frame[frame["county"].isin(admin.CITY_COUNTIES.get(state.area.city, ()))]
    return frame


counts = []
for table, label in POINT_LAYERS.items():
    frame = _in_area(data.table(table))
    precision = frame["precision"].astype(str).replace("", "none") if len(frame) else pd.Series(dtype=str)
    values = precision.value_counts()
    counts.append({"layer": label, **{k: int(values.get(k, 0)) for k in style.PRECISION_LABELS}})
count_frame = pd.DataFrame(counts)
total = int(count_frame[list(style.PRECISION_LABELS)].to_numpy().sum())
exact = int(count_frame["exact"].sum())
unplaced = int(count_frame["none"].sum())

st.subheader(t("srcp_glance", area=state.area.label))
k1, k2, k3, k4 = st.columns(4)
k1.metric(t("srcp_kpi_records"), total)
k2.metric(t("srcp_kpi_exact"), exact)
k3.metric(t("srcp_kpi_approx"), total - exact - unplaced)
k4.metric(t("srcp_kpi_none"), unplaced)
if exact == 0 and total:
    st.warning(t("srcp_all_approx"))

if total:
    long = count_frame.melt(id_vars="layer", var_name="precision", value_name="n")
    long = long[long["n"] > 0]
    long["精度"] = long["precision"].map(style.PRECISION_LABELS)
    order = list(style.PRECISION_LABELS)
    labels = [style.PRECISION_LABELS[k] for k in order]
    long["order"] = long["precision"].map(order.index)
    chart = alt.Chart(long).mark_bar().encode(
        y=alt.Y("layer:N", title=None, sort=list(POINT_LAYERS.values()), axis=alt.Axis(labelFontSize=13, labelOverlap=False)),
        x=alt.X("n:Q", title=t("srcp_chart_x"), stack="zero", axis=alt.Axis(tickMinStep=1, tickCount=8)),
        color=alt.Color("精度:N", title=None, sort=labels,
                        scale=alt.Scale(domain=labels, range=[PRECISION_COLORS[k] for k in order]),
                        legend=alt.Legend(orient="top", labelFontSize=12)),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("layer:N", title="图层"), alt.Tooltip("精度:N", title="位置精度"), alt.Tooltip("n:Q", title="记录数")],
    ).properties(height=alt.Step(40))
    st.altair_chart(chart, width="stretch")

# -- precision labels -----------------------------------------------------------------------------

st.subheader(t("src_precision"))
meaning = pd.DataFrame({
    "标签": [style.PRECISION_LABELS[k] for k in style.PRECISION_LABELS],
    "代码": list(style.PRECISION_LABELS),
    "含义": [t(f"srcp_precision_{k}") for k in style.PRECISION_LABELS],
    "地图画法": [t("srcp_drawn_exact") if k == "exact" else t("srcp_drawn_none") if k == "none" else t("srcp_drawn_approx")
             for k in style.PRECISION_LABELS],
})
st.dataframe(meaning, hide_index=True, width="stretch")
table = count_frame.rename(columns={"layer": "图层", **style.PRECISION_LABELS})
table["合计"] = count_frame[list(style.PRECISION_LABELS)].sum(axis=1)
st.markdown(f"**{t('srcp_counts_heading', area=state.area.label)}**")
st.dataframe(table, hide_index=True, width="stretch")
st.caption(t("src_precision_note"))

# -- plans ------------------------------------------------------------------------------------------

st.subheader(t("src_plans"))
documents = data.table("documents")
if documents.empty:
    st.info(t("srcp_no_documents"))
else:
    st.dataframe(
        pd.DataFrame({
            "辖区": documents["jurisdiction"],
            "发文机关": documents["issuer"].replace("", "（原文未载）"),
            "文号": documents["doc_number"].replace("", "（原文未载）"),
            "成文日期": documents["issue_date"].replace("", "（原文未载）"),
            "标题": documents["title"],
            "文件": documents["source_file"],
            "SHA-256（前 12 位）": documents["sha256"].astype(str).str[:12],
        }),
        hide_index=True, width="stretch",
    )
    dates = sorted(d for d in documents["issue_date"] if d)
    st.caption(t("srcp_plans_caption", n=len(documents), first=dates[0] if dates else "—", last=dates[-1] if dates else "—"))

# -- geographic data: read from each layer's metadata ------------------------------------------------

st.subheader(t("src_geo"))
metadata = data.layer_metadata()
if not metadata:
    st.info(t("srcp_no_geo"))
else:
    attributions = sorted({m.get("attribution", "") for m in metadata.values()} - {""})
    # the layers that name an attribution are the upstream sources; the derived layers combine their licences
    licences = list(dict.fromkeys(str(m.get("licence", "")) for m in metadata.values() if m.get("attribution") and m.get("licence")))
    st.markdown(t("srcp_attribution", names="；".join(attributions)))
    st.markdown("\n".join(f"- {part}" for part in licences))
    rows = []
    for layer_id, meta in metadata.items():
        rows.append({
            "图层": GEO_LAYERS.get(layer_id, layer_id),
            "文件": f"data/geo/{layer_id}.geojson",
            "内容": meta.get("title", ""),
            "来源": meta.get("source", ""),
            "许可与署名": meta.get("licence", ""),
            "精度": meta.get("precision_note") or meta.get("precision", ""),
        })
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    with st.expander(t("srcp_geo_details")):
        for layer_id, meta in metadata.items():
            notes = []
            if meta.get("note"):
                notes.append(str(meta["note"]))
            if meta.get("missing_rivers"):
                notes.append(t("srcp_missing_rivers", names="、".join(meta["missing_rivers"])))
            if meta.get("dropped"):
                notes.append(t("srcp_dropped", what=meta["dropped"]))
            if meta.get("rule"):
                notes.append(str(meta["rule"]))
            if notes:
                st.markdown(f"**{GEO_LAYERS.get(layer_id, layer_id)}**（`{layer_id}`）")
                st.markdown("\n".join(f"- {n}" for n in notes))

    not_drawn = [
        {"图层": GEO_LAYERS.get(layer_id, layer_id), "记录": u.get("name") or u.get("area_name") or u.get("id", ""),
         "辖区": u.get("jurisdiction", ""), "原因": u.get("reason", "")}
        for layer_id, meta in metadata.items()
        for u in [*(meta.get("unplaced") or []), *(meta.get("notes") or [])] if isinstance(u, dict)
    ]
    st.markdown(f"**{t('srcp_unplaced_heading', n=len(not_drawn))}**")
    if not_drawn:
        st.dataframe(pd.DataFrame(not_drawn), hide_index=True, width="stretch")
    else:
        st.caption(t("srcp_unplaced_none"))

# -- curation -------------------------------------------------------------------------------------

st.subheader(t("src_curation"))
st.caption(t("srcp_curation_caption"))
curation = data.curation()
if curation.empty:
    st.info(t("srcp_no_curation"))
else:
    st.table(
        pd.DataFrame({
            "表": curation["table"].map(lambda x: TABLE_NAMES.get(x, x)),
            "记录": curation["key"],
            "字段": curation["field"].map(lambda x: FIELD_NAMES.get(x, x)),
            "判断结果": curation["value"],
            "理由": curation["reason"],
            "依据": curation["source_file"].astype(str) + " 第 " + curation["source_line"].astype(str) + " 行",
        }).set_index("表"),
    )

# -- sample data, dates, coordinate systems ------------------------------------------------------------

st.subheader(t("srcp_samples_heading"))
real = samples = 0
latest = ""
try:
    measurements = data.store().read_measurements()
except Exception:  # noqa: BLE001 - a store without measurements
    measurements = pd.DataFrame()
if len(measurements):
    flags = measurements["is_sample"].astype(int)
    samples, real = int(flags.sum()), int((flags == 0).sum())
    imported = measurements.loc[flags == 0, "imported_at"] if "imported_at" in measurements else pd.Series(dtype=str)
    latest = str(imported.max())[:10] if len(imported) else ""
st.markdown(t("srcp_samples_text"))
if samples:
    st.warning(t("srcp_samples_present", samples=samples, real=real))
else:
    st.success(t("srcp_samples_absent", real=real))
st.markdown(t("srcp_dates", latest=latest or t("srcp_no_import")))

st.subheader(t("srcp_crs_heading"))
st.markdown(t("srcp_crs_text"))
