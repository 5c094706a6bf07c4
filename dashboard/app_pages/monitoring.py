"""监测数据导入: upload a results file, see every problem row, import it whole or not at all.

The upload is read from memory: its name is only recorded as the source file, never used as a
path, and nothing is left behind on disk. Anyone may preview a file; importing it and removing
the sample data need an administrator's account, and go through the store as that account sees
it (``dashboard.auth.acting_store``: refused without the role, logged with the user).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import auth, data
from dashboard.components.uploader import uploader_css
from dashboard.state import view, wkey
from geodata.errors import EnvmapError
from geodata.i18n import t
from geodata.quality.monitoring import import_monitoring, preview_monitoring
from geodata.quality.samples import remove_samples

view()
st.title(t("page_monitoring"))
st.markdown(t("mon_intro"))
standard = st.radio(t("mon_standard"), ("auto", "surface", "groundwater"), horizontal=True, key=wkey("mon_standard"),
                    format_func=lambda s: t(f"monitoring_kind_{s}"))
st.markdown(uploader_css(t("upload_button"), t("upload_hint", mb=st.get_option("server.maxUploadSize"), types="CSV、XLSX")),
            unsafe_allow_html=True)
upload = st.file_uploader(t("mon_file"), type=["csv", "xlsx"], key="mon_file", help=t("mon_file_help"))

if upload is not None:
    content, name = upload.getvalue(), upload.name
    try:
        with st.spinner(t("mon_checking")):
            preview = preview_monitoring(content, name, data.store(), standard)
    except EnvmapError as exc:
        st.error(str(exc))
        st.stop()
    counts = preview.counts
    c1, c2, c3 = st.columns(3)
    c1.metric(t("mon_values"), counts["values"])
    c2.metric(t("mon_sites"), counts["sites"])
    c3.metric(t("mon_problems"), len(preview.problems))
    if preview.problems:
        st.error(t("mon_refused", n=len(preview.problems)))
        st.dataframe(pd.DataFrame({t("col_row"): [p.line or "—" for p in preview.problems],
                                   t("col_problem"): [p.message for p in preview.problems]}), hide_index=True, width="stretch")
    else:
        st.success(t("mon_ready"))
        summary = preview.summary()
        st.dataframe(pd.DataFrame({
            t("col_point"): summary["site_name"], t("col_id"): summary["site_id"], t("mon_col_samples"): summary["samples"],
            t("mon_values"): summary["values"], t("mon_col_first"): summary["first"], t("mon_col_last"): summary["last"],
        }), hide_index=True, width="stretch")
        if preview.replaced_same_file:
            st.caption(t("monitoring_preview_reimport", n=preview.replaced_same_file))
        if not auth.may("import"):
            auth.hint("import")
        elif st.button(t("mon_import"), type="primary", key="mon_do_import"):
            try:
                result = import_monitoring(content, auth.acting_store(), name=name, standard=standard)
            except EnvmapError as exc:
                st.error(str(exc))
            else:
                st.success(t("monitoring_imported", n=result["values"], file=result["file"], sites=result["sites"]))
                st.page_link("app_pages/water.py", label=t("mon_see_map"), icon=":material/map:")

st.divider()
stored = data.store().read_measurements()
samples = int(stored["is_sample"].astype(int).sum()) if len(stored) else 0
st.markdown(t("mon_stored", real=len(stored) - samples, samples=samples))
if samples and auth.may("remove_samples") and st.button(t("mon_remove_samples"), key="mon_remove_samples"):
    try:
        st.success(t("samples_removed", n=remove_samples(auth.acting_store())))
    except EnvmapError as exc:
        st.error(str(exc))
    else:
        st.rerun()
