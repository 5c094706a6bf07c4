"""监测数据导入: upload a monthly results file, see every problem row, import it whole or not at all."""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from dashboard import data
from dashboard.state import sidebar
from geodata.errors import EnvmapError
from geodata.i18n import t
from geodata.quality.monitoring import import_monitoring, preview_monitoring
from geodata.quality.samples import remove_samples

sidebar(show_layers=False, show_basemap=False)
st.title(t("page_monitoring"))
st.markdown(t("mon_intro"))
standard = st.radio(t("mon_standard"), ("surface", "groundwater"), horizontal=True, key="mon_standard",
                    format_func=lambda s: "地表水断面（GB 3838-2002）" if s == "surface" else "地下水点位（GB/T 14848-2017）")
upload = st.file_uploader(t("mon_file"), type=["csv", "xlsx"], key="mon_file")

if upload is not None:
    folder = Path(tempfile.mkdtemp(prefix="envmap-upload-"))
    path = folder / upload.name
    path.write_bytes(upload.getvalue())
    try:
        with st.spinner(t("mon_checking")):
            preview = preview_monitoring(path, data.store(), standard)
    except EnvmapError as exc:
        st.error(str(exc))
        st.stop()
    c1, c2, c3 = st.columns(3)
    c1.metric(t("mon_values"), len(preview.rows))
    c2.metric(t("mon_sites"), preview.rows["site_id"].nunique() if len(preview.rows) else 0)
    c3.metric(t("mon_problems"), len(preview.problems))
    if preview.problems:
        st.error(t("mon_refused", n=len(preview.problems)))
        st.dataframe(
            [{"行": p.line or "—", "问题": p.message} for p in preview.problems], hide_index=True, width="stretch"
        )
    else:
        st.success(t("mon_ready"))
        st.dataframe(preview.summary().rename(columns={"site_name": "点位", "samples": "采样次数", "values": "监测值",
                                                       "first": "最早", "last": "最晚"}), hide_index=True, width="stretch")
        if st.button(t("mon_import"), type="primary", key="mon_do_import"):
            try:
                result = import_monitoring(path, data.store(), standard)
            except EnvmapError as exc:
                st.error(str(exc))
            else:
                st.success(t("monitoring_imported", n=len(result.rows), file=upload.name, sites=result.rows["site_id"].nunique()))
                st.page_link("app_pages/water.py", label=t("mon_see_map"), icon="🗺️")

st.divider()
stored = data.store().read_measurements()
samples = int(stored["is_sample"].astype(int).sum()) if len(stored) else 0
st.markdown(t("mon_stored", real=len(stored) - samples, samples=samples))
if samples and st.button(t("mon_remove_samples"), key="mon_remove_samples"):
    st.success(t("samples_removed", n=remove_samples(data.store())))
    st.rerun()
