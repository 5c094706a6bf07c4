"""Parts of the import page: what the importer noticed, the stations it does not know, class differences."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from geodata.i18n import t

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")


def plain(text: str) -> str:
    """``text`` shown as written: Markdown characters of a file's names escaped."""
    return _MARKDOWN.sub(r"\\\1", str(text))


def notices(preview) -> None:  # noqa: ANN001 - geodata.quality.monitoring.MonitoringPreview
    """The importer's notices (columns kept or ignored, value forms counted, agreement with the file's own class)
    and the rows whose computed class differs from the class the file gives."""
    if preview.notices:
        with st.expander(t("mon_notices", n=len(preview.notices)), expanded=True):
            st.markdown("\n".join(f"- {plain(n)}" for n in preview.notices))
    differences = preview.agreement.get("differences", []) if preview.agreement else []
    if differences:
        with st.expander(t("mon_differences", n=len(differences))):
            frame = pd.DataFrame(differences)
            st.dataframe(pd.DataFrame({
                t("col_row"): frame["line"], t("col_station"): frame["site"], t("col_date"): frame["date"],
                t("col_time"): frame["time"], t("col_computed_class"): frame["class"].replace("", "—"),
                t("col_reported_class"): frame["reported_class"],
            }), hide_index=True, width="stretch")


def unknown_sites(preview) -> None:  # noqa: ANN001
    """The stations of the file the store does not know, with where the file places them."""
    sites = preview.unknown_sites
    st.warning(t("mon_unknown_head", n=len(sites)))
    st.dataframe(pd.DataFrame({
        t("col_station"): [s.name for s in sites],
        t("col_province"): [s.province or "—" for s in sites],
        t("col_basin"): [s.basin or "—" for s in sites],
        t("col_rows"): [len(s.rows) for s in sites],
        t("col_suggestion"): [s.suggestion or "—" for s in sites],
    }), hide_index=True, width="stretch", height=min(38 + 35 * len(sites), 300))
