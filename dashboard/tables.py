"""Tables shared by pages: shown with their sources as links, downloadable with the same rows.

Downloads carry exactly the rows and columns on screen; a row whose values rest on sample data
is labelled 示例数据（非实测） in its own ``数据说明`` cell, and only such rows are. Spreadsheet cells
that start like a formula are neutralised (``'=``) so a plan's text never runs in Excel.
"""

from __future__ import annotations

import io
import urllib.parse

import pandas as pd
import streamlit as st

from dashboard import data
from geodata.export import neutralise_formulas
from geodata.i18n import t

PAGE_ROWS = 500  # rows sent to the browser at once (one page); downloads always hold every row
MAX_ROWS = PAGE_ROWS  # kept for callers that ask how many rows one table shows


def source_url(document_id: object, line: object) -> str:
    """A relative link that opens the original text of a document at a line (数据说明 page)."""
    query = {"doc": str(document_id)}
    if str(line or "").strip():
        query["line"] = str(line)
    return "sources?" + urllib.parse.urlencode(query)


def source_label(document_id: object, line: object, titles: dict[str, str] | None = None) -> str:
    """"运城市2023年…行动计划 第 33 行": the plan's name, never a hash file name."""
    titles = data.document_titles() if titles is None else titles
    title = titles.get(str(document_id), "") or str(document_id)
    line_text = str(line or "").strip()
    return t("source_at_line", title=title, line=line_text) if line_text else title


def with_sources(frame: pd.DataFrame, records: pd.DataFrame, doc_col: str = "document_id", line_col: str = "source_line",
                 ) -> pd.DataFrame:
    """``frame`` plus the 来源 label and the 原文 link of ``records`` (same index order)."""
    out = frame.copy()
    titles = data.document_titles()  # once, not once a row
    out[t("col_source")] = [source_label(d, n, titles) for d, n in zip(records[doc_col], records[line_col], strict=True)]
    out[t("col_original")] = [source_url(d, n) for d, n in zip(records[doc_col], records[line_col], strict=True)]
    return out


def page_number(name: str, total: int) -> int:
    """The page of table ``name`` the visitor is on (1-based, within the table's pages)."""
    pages = max(1, -(-total // PAGE_ROWS))
    try:
        chosen = int(st.session_state.get(f"table_page_{name}", 1) or 1)
    except (TypeError, ValueError):
        chosen = 1
    return min(max(chosen, 1), pages)


def page_of(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """The rows of ``frame`` on the visitor's page of table ``name`` (:data:`PAGE_ROWS` a page)."""
    start = (page_number(name, len(frame)) - 1) * PAGE_ROWS
    return frame.iloc[start:start + PAGE_ROWS]


def show(frame: pd.DataFrame, name: str, *, sample_rows: pd.Series | None = None, height: int | None = None,
         column_config: dict | None = None, **dataframe_args) -> object:
    """A table, one page of :data:`PAGE_ROWS` rows at a time (a page picker under it when there are more),
    with CSV and Excel downloads of all its rows."""
    config = dict(column_config or {})
    if t("col_original") in frame.columns:
        config.setdefault(t("col_original"), st.column_config.LinkColumn(display_text=t("open_original"), width="small"))
    page = page_number(name, len(frame))
    start = (page - 1) * PAGE_ROWS
    shown = page_of(frame, name)
    if sample_rows is not None and bool(sample_rows.any()):
        notes = _notes(sample_rows).iloc[start:start + len(shown)]
        shown = shown.assign(**{t("col_data_note"): notes.to_numpy()})
    event = st.dataframe(shown, hide_index=True, width="stretch", height=height or "auto", column_config=config,
                         **dataframe_args)
    if len(frame) > PAGE_ROWS:
        pages = -(-len(frame) // PAGE_ROWS)
        left, right = st.columns([1, 4])
        left.number_input(t("table_page"), min_value=1, max_value=pages, value=page, step=1, key=f"table_page_{name}")
        right.caption(t("table_rows_paged", first=start + 1, last=start + len(shown), total=len(frame), pages=pages))
    downloads(frame, name, sample_rows=sample_rows)
    return event


def _notes(sample_rows: pd.Series) -> pd.Series:
    return sample_rows.astype(bool).map({True: t("sample_watermark"), False: ""}).reset_index(drop=True)


def export_frame(frame: pd.DataFrame, sample_rows: pd.Series | None = None) -> pd.DataFrame:
    """What a download holds: the table without link columns, sample rows labelled, formulas defused."""
    export = frame.drop(columns=[c for c in (t("col_original"),) if c in frame.columns]).reset_index(drop=True)
    if sample_rows is not None and bool(sample_rows.any()):
        export.insert(0, t("col_data_note"), _notes(sample_rows).to_numpy())
    return neutralise_formulas(export)


def downloads(frame: pd.DataFrame, name: str, *, sample_rows: pd.Series | None = None) -> None:
    """CSV (UTF-8 with BOM, opens in Excel) and Excel downloads of exactly ``frame``'s rows.

    The files (and the export frame they hold) are built only when a visitor asks for them: a rerun
    pays for neither.
    """
    def export() -> pd.DataFrame:
        return export_frame(frame, sample_rows)

    c1, c2, _ = st.columns([1, 1, 4])
    c1.download_button(t("download_csv"), lambda: export().to_csv(index=False).encode("utf-8-sig"), f"{name}.csv",
                       "text/csv", key=f"dl_csv_{name}", on_click="ignore")
    c2.download_button(t("download_xlsx"), lambda: _xlsx(export(), name), f"{name}.xlsx",
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=f"dl_xlsx_{name}", on_click="ignore")


def _xlsx(frame: pd.DataFrame, name: str) -> bytes:
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        frame.to_excel(writer, index=False, sheet_name=name[:31])
    return buf.getvalue()


OWNER_COLORS = {"overdue_unreported": "#8e0000", "overdue": "#e57373"}
_BARS_CSS = """<style>
.envmap-bars { font-size: 12.5px; line-height: 18px; }
.envmap-bars .legend { margin-bottom: 6px; color: #333; }
.envmap-bars .legend i { display: inline-block; width: 10px; height: 10px; margin: 0 4px 0 10px; vertical-align: -1px; }
.envmap-bars .row { display: grid; grid-template-columns: minmax(8em, 42%) 1fr 2.5em; align-items: center; gap: 6px;
  margin: 3px 0; }
.envmap-bars .unit { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; text-align: right; }
.envmap-bars .bar { display: flex; height: 14px; background: #f2f2f2; }
.envmap-bars .bar i { display: block; height: 100%; }
.envmap-bars .n { font-variant-numeric: tabular-nums; }
</style>"""


def owners_bars_html(owners: pd.DataFrame, limit: int = 15) -> str:
    """Late tasks per responsible unit as plain HTML bars (逾期未报告 dark, 逾期 light), longest first;
    every bar labelled with its unit and count. No chart library: the page loads no Vega for it."""
    import html

    top = owners.head(limit)
    most = max(int(top["late"].max()) if len(top) else 1, 1)
    unreported, late = t("status_overdue_unreported"), t("status_overdue")
    rows = []
    for unit, n, m in zip(top["unit"], top["late"], top["late_unreported"], strict=True):
        n, m = int(n), int(m)
        title = html.escape(f"{unit}：{late} {n - m}，{unreported} {m}")
        rows.append(
            f'<div class="row" title="{title}"><span class="unit">{html.escape(str(unit))}</span><span class="bar">'
            f'<i style="width:{100 * m / most:.1f}%;background:{OWNER_COLORS["overdue_unreported"]}"></i>'
            f'<i style="width:{100 * (n - m) / most:.1f}%;background:{OWNER_COLORS["overdue"]}"></i></span>'
            f'<span class="n">{n}</span></div>'
        )
    legend = (f'<div class="legend">{html.escape(t("chart_late_tasks"))}'
              f'<i style="background:{OWNER_COLORS["overdue_unreported"]}"></i>{html.escape(unreported)}'
              f'<i style="background:{OWNER_COLORS["overdue"]}"></i>{html.escape(late)}</div>')
    return f'<div class="envmap-bars">{legend}{"".join(rows)}</div>'


def owners_chart(owners: pd.DataFrame, height: int = 420) -> None:
    """Late tasks per responsible unit (逾期 and 逾期未报告 stacked), longest bar first (``height`` is kept for
    callers; the bars take the room they need)."""
    st.markdown(_BARS_CSS + owners_bars_html(owners), unsafe_allow_html=True)
