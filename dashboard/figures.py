"""Page parts of the figures of a period: the period choice, 预警, 时序进度, 河流水质状况 and CWQI 排名.

Each part asks :mod:`dashboard.data` for its figures (computed in :mod:`geodata`) and draws them;
every table cites the rule it follows and every plan fact its source.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dashboard import data, tables
from dashboard.components import style
from dashboard.headlines import period_label
from dashboard.state import ViewState, page_params, set_page_param, wkey
from geodata import period_views
from geodata.i18n import t
from geodata.quality.evaluations import Period
from geodata.quality.figures import WARNING_SOURCE, YearOnYear


@dataclass(frozen=True)
class PeriodView:
    """Everything a page shows for one area and period, from one frame of classes."""

    period: Period
    months: list[int]  # months of the year with data in the area
    sections: pd.DataFrame  # period_sections_view rows, with class_previous / class_change
    previous: pd.DataFrame  # the same sections in the same period a year earlier
    yoy: YearOnYear
    warning_month: int | None  # the month the 预警 rule is applied to
    warnings: pd.DataFrame  # 预警 rows of the sections in view, placed

    @property
    def label(self) -> str:
        return period_label(self.period)

    @property
    def warning_label(self) -> str:
        return t("pv_label_month", year=self.period.year, month=self.warning_month) if self.warning_month else self.label


def load(state: ViewState, period: Period | None = None) -> PeriodView:
    """The figures of ``period`` (the default period of the view's year when None) for the view's area."""
    months = data.period_months(state.area, state.year)
    period = period or period_views.default_period(state.year, months)
    now = data.period_sections(state.area, period)
    previous = data.period_sections(state.area, period.previous_year())
    yoy = period_views.period_year_on_year(now, previous, period)
    warning_month = period_views.warning_month(period, months)
    warnings = pd.DataFrame(columns=["section_id", "level", "is_sample", "lon", "lat"])
    if warning_month and months:
        warnings = period_views.warnings_in_view(data.early_warnings(period.year, warning_month), now)
    return PeriodView(period, months, period_views.with_changes(now, yoy), previous, yoy, warning_month, warnings)


def period_picker(state: ViewState) -> Period:
    """全年 / 累计 / 当月 and a month box with the months of the year that have data; mirrored in the URL
    (``period``, ``month``). Default: 累计 to the latest month with data when the year is incomplete."""
    months = data.period_months(state.area, state.year)
    default = period_views.default_period(state.year, months)
    url_mode = page_params("period")
    url_month = int(page_params("month")) if page_params("month").isdigit() else None
    wanted = period_views.choose_period(state.year, months, url_mode or default.mode, url_month or default.month)
    modes = list(period_views.MODES) if months else ["year"]
    c1, c2, _ = st.columns([3, 1.4, 2.6])
    with c1:
        mode = st.segmented_control(
            t("pv_mode"), modes, default=wanted.mode, format_func=lambda m: t(f"pv_mode_{m}"),
            key=wkey(f"water_period_{state.year}"), help=t("pv_mode_help"),
        ) or wanted.mode
    month = None
    if mode != "year":
        with c2:
            index = months.index(wanted.month) if wanted.month in months else len(months) - 1
            month = st.selectbox(t("pv_month"), months, index=index, format_func=lambda k: t("month_short", month=k),
                                 key=wkey(f"water_period_month_{state.year}"), help=t("pv_month_help"))
    chosen = period_views.choose_period(state.year, months, mode, month)
    set_page_param("period", "" if chosen == default else chosen.mode)
    set_page_param("month", str(chosen.month) if chosen.month and chosen != default else "")
    if not months:
        st.caption(t("pv_no_months", year=state.year))
    return chosen


def class_change_text(change: object) -> str:
    if change == "" or change is None or (isinstance(change, float) and pd.isna(change)):
        return "—"
    n = int(change)
    if n == 0:
        return t("pv_change_flat")
    return t("pv_change_up", n=n) if n > 0 else t("pv_change_down", n=-n)


def target_note_text(note: str, target_year: str) -> str:
    return t("pv_no_target_year", year=target_year) if note else ""


def warnings_table(view: PeriodView) -> None:
    """The 预警 list of the period's month, 一级 first, with the rule cited; an empty state when none."""
    w = view.warnings
    if w.empty:
        st.success(t("pv_warnings_none", month=view.warning_label))
    else:
        st.markdown(f"**{t('pv_warnings_head', month=view.warning_label)}**")
        shown = pd.DataFrame({
            t("col_warning_level"): w["level"].map(lambda lv: t(f"pv_warning_level_{lv}")),
            t("col_section"): w["section_name"],
            t("col_county"): w["county"].replace("", t("county_unknown")),
            t("col_river"): w["river"],
            t("col_month_change"): [t("pv_class_fall", then=a, now=b, n=n) for a, b, n in
                                    zip(w["month_class_previous"], w["month_class"], w["month_drop"], strict=True)],
            t("col_ytd_change"): [t("pv_class_fall", then=a, now=b, n=n) for a, b, n in
                                  zip(w["ytd_class_previous"], w["ytd_class"], w["ytd_drop"], strict=True)],
            t("col_target_class"): w["target_class"],
            t("col_rule"): WARNING_SOURCE,
        })
        tables.show(shown, "warnings", sample_rows=w["is_sample"].astype(int) > 0)
    if view.period.mode == "year" and view.warning_month:
        st.caption(t("pv_warnings_year_note", month=view.warning_month))
    st.caption(t("pv_warnings_rule", source=WARNING_SOURCE))


def progress_table(state: ViewState, view: PeriodView) -> None:
    """时序进度: the year-to-date shares of the area against its plans' annual targets, each with its source."""
    month = view.warning_month
    rows = data.progress(state.area.county or state.area.city, view.period.year, month) if month else pd.DataFrame()
    if rows.empty:
        st.info(t("pv_progress_none", area=state.area.label))
        return
    indicators = data.table("indicators").set_index("id")
    docs = [str(indicators.loc[i, "document_id"]) if i in indicators.index else "" for i in rows["indicator_id"]]
    lines = [str(indicators.loc[i, "source_line"]) if i in indicators.index else "" for i in rows["indicator_id"]]

    def actual(r: pd.Series) -> str:
        if r["actual"] is None or r["actual"] == "" or pd.isna(r["actual"]):
            return t("no_data")
        return f"{float(r['actual']):.1f}%" if r["kind"] != "worst_count" else f"{int(r['actual'])}"

    def gap(r: pd.Series) -> str:
        if r["gap"] == "" or r["gap"] is None:
            return "—"
        value = f"{float(r['gap']):+.1f}" if r["kind"] != "worst_count" else f"{int(float(r['gap'])):+d}"
        return t("pv_unit_sections", gap=value) if r["kind"] == "worst_count" else t("pv_unit_points", gap=value)

    def on_track(value: object) -> str:
        if value == "" or value is None:
            return t("pv_on_track_na")
        return t("pv_on_track_yes") if int(value) else t("pv_on_track_no")

    ytd = Period(view.period.year, month, "ytd")
    notes = [t("pv_progress_later", year=y) if int(y) != view.period.year else period_label(ytd) for y in rows["target_year"]]
    shown = pd.DataFrame({
        t("col_jurisdiction"): rows["jurisdiction"],
        t("col_indicator"): rows["indicator"],
        t("col_target_value"): rows["target_value"],
        t("col_actual"): [actual(r) for _, r in rows.iterrows()],
        t("col_fraction"): [f"{n} / {d}" for n, d in zip(rows["numerator"], rows["denominator"], strict=True)],
        t("col_on_track"): rows["on_track"].map(on_track),
        t("col_gap"): [gap(r) for _, r in rows.iterrows()],
        t("col_note"): notes,
    })
    shown = tables.with_sources(shown, pd.DataFrame({"document_id": docs, "source_line": lines}))
    st.markdown(f"**{t('pv_progress_head', period=period_label(ytd))}**")
    sample = rows["note"].astype(str).str.contains("示例数据", regex=False)
    tables.show(shown, "progress", sample_rows=sample.reset_index(drop=True))
    st.caption(t("pv_progress_caption", month=month))


def grades_table(view: PeriodView) -> None:
    """水质状况 of each river of the sections in view (优 / 良好 / 轻度污染 …), citing its rule."""
    from geodata.quality.grades import SOURCE

    rows = data.river_grades(view.period, view.sections)
    if rows.empty:
        st.info(t("pv_grades_none"))
    else:
        method = rows["method"].map(lambda m: t("pv_method_share") if "比例" in str(m) else t("pv_method_mean"))
        shown = pd.DataFrame({
            t("col_river"): rows["river"],
            t("col_grade"): rows["grade"].map(lambda g: t(f"pv_grade_{g}") if g else "—"),
            t("col_method"): method,
            t("col_evaluated"): rows["sections"],
            t("col_good_share"): rows["good_share"].map(lambda v: "—" if v is None or pd.isna(v) else f"{v:.1f}%"),
            t("col_worst_share"): rows["worst_share"].map(lambda v: "—" if v is None or pd.isna(v) else f"{v:.1f}%"),
            t("col_mean_class"): rows["class"].map(lambda k: style.class_label(k) if k else "—"),
        })
        tables.show(shown, "river_grades", sample_rows=rows["uses_samples"].astype(int) > 0)
    st.caption(t("pv_grades_rule", source=SOURCE))


def ranking_table(view: PeriodView) -> None:
    """Counties of the view ranked by CWQI, with ΔCWQI against the same period of the previous year."""
    from geodata.quality.cwqi import SOURCE

    previous = view.period.previous_year()
    rows = data.cwqi_ranking(view.period, view.sections)
    if rows.empty:
        st.info(t("pv_ranking_none"))
    else:
        def num(v: object, fmt: str = "{:.4f}") -> str:
            return "—" if v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NA else fmt.format(v)

        shown = pd.DataFrame({
            t("col_rank"): rows["rank"].map(lambda v: num(v, "{}")),
            t("col_county"): rows["county"],
            t("col_cwqi"): rows["cwqi"].map(num),
            t("col_river_cwqi"): rows["river_cwqi"].map(num),
            t("col_lake_cwqi"): rows["lake_cwqi"].map(num),
            t("col_evaluated"): rows["sections"],
            t("col_delta_cwqi"): rows["delta_cwqi"].map(lambda v: num(v, "{:+.2f}")) if "delta_cwqi" in rows else "—",
            t("col_delta_rank"): rows["delta_rank"].map(lambda v: num(v, "{}")) if "delta_rank" in rows else "—",
        })
        tables.show(shown, "cwqi_ranking", sample_rows=rows["uses_samples"].astype(int) > 0)
    st.caption(t("pv_ranking_rule", source=SOURCE, previous=period_label(previous)))


def figures_tabs(state: ViewState, view: PeriodView) -> None:
    """预警 / 时序进度 / 河流水质状况 / CWQI 排名 under the map."""
    tabs = st.tabs([t("pv_tab_warnings", n=len(view.warnings)), t("pv_tab_progress"), t("pv_tab_grades"),
                    t("pv_tab_ranking")])
    with tabs[0]:
        warnings_table(view)
    with tabs[1]:
        progress_table(state, view)
    with tabs[2]:
        grades_table(view)
    with tabs[3]:
        ranking_table(view)
