"""数据说明: every source, licence and precision label, and the original plan texts to read.

``?doc=<document id>&line=<n>`` opens a plan's text at that line (every 来源 link of the other
pages points here). The geographic sources are read from the ``metadata`` member of each bundled
``data/geo/*.geojson`` (never typed in here); the precision counts from the store, so an import of
official coordinates shows up as exact at once.
"""

from __future__ import annotations

import html

import altair as alt
import pandas as pd
import streamlit as st

from dashboard import data, tables
from dashboard.components import style
from dashboard.state import page_params, set_page_param, view
from geodata.areas import attribute_sites, in_area
from geodata.i18n import has, t

POINT_LAYERS = ("sections", "groundwater_points", "drinking_water_sources", "enterprises")
PRECISION_COLORS = {"exact": "#2e7d32", "village": "#66bb6a", "town": "#9ccc65", "river": "#4fc3f7",
                    "county": "#ffb74d", "none": "#bdbdbd"}
CONTEXT_LINES = 12

state = view()
st.title(t("page_sources"))
documents = data.table("documents")
titles = data.document_titles()

# -- the original text of a plan -----------------------------------------------------------------
st.subheader(t("srcp_read_heading"))
doc_ids = documents["id"].astype(str).tolist()
wanted = page_params("doc")
if wanted and wanted not in doc_ids:
    st.warning(t("srcp_unknown_doc", id=wanted))
if doc_ids:
    picked = st.selectbox(t("srcp_pick_doc"), doc_ids, index=doc_ids.index(wanted) if wanted in doc_ids else None,
                          format_func=lambda i: titles.get(i, i), key=f"src_doc_{wanted}", placeholder=t("srcp_pick_doc_hint"))
    if picked:
        if picked != wanted:
            set_page_param("doc", picked)
            set_page_param("line", "")
        lines = data.document_text(picked)
        row = documents[documents["id"].astype(str) == picked].iloc[0]
        st.markdown(f"**{html.escape(titles.get(picked, picked))}**  \n"
                    + html.escape(t("srcp_doc_meta", issuer=row["issuer"] or t("not_stated"), number=row["doc_number"] or t("not_stated"),
                                    date=row["issue_date"] or t("not_stated"), file=row["source_file"])),
                    unsafe_allow_html=True)
        if not lines:
            st.info(t("srcp_no_text"))
        else:
            line_text = page_params("line") if picked == wanted else ""
            target = int(line_text) if line_text.isdigit() and 1 <= int(line_text) <= len(lines) else 0
            if target:
                start, end = max(1, target - CONTEXT_LINES), min(len(lines), target + CONTEXT_LINES)
                st.caption(t("srcp_at_line", line=target, start=start, end=end, total=len(lines)))
                body = "".join(
                    f'<div class="envmap-src-line{" hit" if n == target else ""}"><span>{n}</span>{html.escape(lines[n - 1]) or "&nbsp;"}</div>'
                    for n in range(start, end + 1)
                )
                st.markdown(
                    "<style>.envmap-src-line{font-family:monospace;font-size:13px;white-space:pre-wrap;padding:1px 4px}"
                    ".envmap-src-line span{display:inline-block;width:3.5em;color:#888;user-select:none}"
                    ".envmap-src-line.hit{background:#fff3bf;border-left:3px solid #f08c00}</style>" + body,
                    unsafe_allow_html=True,
                )
            with st.expander(t("srcp_full_text", n=len(lines)), expanded=not target):
                st.text("\n".join(f"{n:>5}  {text}" for n, text in enumerate(lines, start=1)))
            st.download_button(t("srcp_download_text"), "\n".join(lines).encode("utf-8"), f"{picked}.txt", "text/plain",
                               key="src_download_text", on_click="ignore")
else:
    st.info(t("srcp_no_documents"))

# -- plans ----------------------------------------------------------------------------------------
st.subheader(t("src_plans"))
if documents.empty:
    st.info(t("srcp_no_documents"))
else:
    table = pd.DataFrame({
        t("col_jurisdiction"): documents["jurisdiction"],
        t("srcp_col_title"): documents["id"].astype(str).map(lambda i: titles.get(i, i)),
        t("srcp_col_issuer"): documents["issuer"].replace("", t("not_stated")),
        t("srcp_col_number"): documents["doc_number"].replace("", t("not_stated")),
        t("srcp_col_date"): documents["issue_date"].replace("", t("not_stated")),
        t("srcp_col_file"): documents["source_file"],
        t("srcp_col_sha"): documents["sha256"].astype(str).str[:12],
        t("col_original"): [tables.source_url(i, "") for i in documents["id"]],
    })
    tables.show(table, "documents")
    dates = sorted(d for d in documents["issue_date"] if d)
    st.caption(t("srcp_plans_caption", n=len(documents), first=dates[0] if dates else "—", last=dates[-1] if dates else "—"))

# -- at a glance: exact vs approximate -----------------------------------------------------------
counts = []
for layer in POINT_LAYERS:
    frame = in_area(attribute_sites(data.table(layer), documents), state.area)
    precision = frame["precision"].astype(str).replace("", "none") if len(frame) else pd.Series(dtype=str)
    values = precision.value_counts()
    counts.append({"layer": t(f"srcp_layer_{layer}"), **{k: int(values.get(k, 0)) for k in style.PRECISIONS}})
count_frame = pd.DataFrame(counts)
total = int(count_frame[list(style.PRECISIONS)].to_numpy().sum())
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
    labels = [style.precision_label(k) for k in style.PRECISIONS]
    long["label"] = long["precision"].map(style.precision_label)
    long["order"] = long["precision"].map(list(style.PRECISIONS).index)
    chart = alt.Chart(long).mark_bar().encode(
        y=alt.Y("layer:N", title=None, sort=count_frame["layer"].tolist(), axis=alt.Axis(labelFontSize=13, labelOverlap=False)),
        x=alt.X("n:Q", title=t("srcp_chart_x"), stack="zero", axis=alt.Axis(tickMinStep=1, tickCount=8)),
        color=alt.Color("label:N", title=None, sort=labels,
                        scale=alt.Scale(domain=labels, range=[PRECISION_COLORS[k] for k in style.PRECISIONS]),
                        legend=alt.Legend(orient="top", labelFontSize=12)),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("layer:N", title=t("srcp_col_layer")), alt.Tooltip("label:N", title=t("col_precision")),
                 alt.Tooltip("n:Q", title=t("srcp_chart_x"))],
    ).properties(height=alt.Step(40))
    st.altair_chart(chart, width="stretch")

st.subheader(t("src_precision"))
st.dataframe(pd.DataFrame({
    t("srcp_col_label"): [style.precision_label(k) for k in style.PRECISIONS],
    t("srcp_col_code"): list(style.PRECISIONS),
    t("srcp_col_meaning"): [t(f"srcp_precision_{k}") for k in style.PRECISIONS],
    t("srcp_col_drawn"): [t("srcp_drawn_exact") if k == "exact" else t("srcp_drawn_none") if k == "none" else t("srcp_drawn_approx")
                          for k in style.PRECISIONS],
}), hide_index=True, width="stretch")
table = count_frame.rename(columns={"layer": t("srcp_col_layer"), **{k: style.precision_label(k) for k in style.PRECISIONS}})
table[t("total_row")] = count_frame[list(style.PRECISIONS)].sum(axis=1)
st.markdown(f"**{t('srcp_counts_heading', area=state.area.label)}**")
st.dataframe(table, hide_index=True, width="stretch")
st.caption(t("src_precision_note"))

# -- geographic data: read from each layer's metadata ------------------------------------------------
st.subheader(t("src_geo"))
metadata = data.layer_metadata()
if not metadata:
    st.info(t("srcp_no_geo"))
else:
    attributions = sorted({m.get("attribution", "") for m in metadata.values()} - {""})
    licences = list(dict.fromkeys(str(m.get("licence", "")) for m in metadata.values() if m.get("attribution") and m.get("licence")))
    st.markdown(t("srcp_attribution", names="；".join(attributions)))
    st.markdown("\n".join(f"- {part}" for part in licences))
    st.dataframe(pd.DataFrame([{
        t("srcp_col_layer"): t(f"srcp_geo_{layer_id}") if has(f"srcp_geo_{layer_id}") else layer_id,
        t("srcp_col_file"): f"data/geo/{layer_id}.geojson",
        t("srcp_col_content"): meta.get("title", ""),
        t("col_source"): meta.get("source", ""),
        t("srcp_col_licence"): meta.get("licence", ""),
        t("col_precision"): meta.get("precision_note") or meta.get("precision", ""),
    } for layer_id, meta in metadata.items()]), hide_index=True, width="stretch")
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
                st.markdown(f"**{layer_id}**")
                st.markdown("\n".join(f"- {n}" for n in notes))
    not_drawn = [
        {t("srcp_col_layer"): layer_id, t("srcp_col_record"): u.get("name") or u.get("area_name") or u.get("id", ""),
         t("col_jurisdiction"): u.get("jurisdiction", ""), t("srcp_col_reason"): u.get("reason", "")}
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
    doc_of_file = dict(zip(documents["source_file"].astype(str), documents["id"].astype(str), strict=False))
    cited = curation.assign(document_id=[doc_of_file.get(str(f), "") for f in curation["source_file"]])
    tables.show(tables.with_sources(pd.DataFrame({
        t("srcp_col_table"): curation["table"].map(lambda x: t(f"srcp_layer_{x}") if has(f"srcp_layer_{x}") else x),
        t("srcp_col_record"): curation["key"],
        t("srcp_col_field"): curation["field"],
        t("srcp_col_value"): curation["value"],
        t("srcp_col_reason"): curation["reason"],
    }), cited), "curation")

# -- sample data, dates, coordinate systems ------------------------------------------------------------
st.subheader(t("srcp_samples_heading"))
measurements = data.store().read_measurements()
real = samples = 0
latest = ""
if len(measurements):
    flags = measurements["is_sample"].astype(int)
    samples, real = int(flags.sum()), int((flags == 0).sum())
    imported = measurements.loc[flags == 0, "imported_at"]
    latest = str(imported.max())[:10] if len(imported) else ""
st.markdown(t("srcp_samples_text"))
if samples:
    st.warning(t("srcp_samples_present", samples=samples, real=real))
else:
    st.success(t("srcp_samples_absent", real=real))
st.markdown(t("srcp_dates", latest=latest or t("srcp_no_import")))
st.subheader(t("srcp_crs_heading"))
st.markdown(t("srcp_crs_text"))
