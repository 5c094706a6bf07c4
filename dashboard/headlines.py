"""The headline cards of an area, worded once: value, denominator in view, change against last year.

Used by 总览 and 水环境 so the same figure reads the same on both pages.
"""

from __future__ import annotations

import datetime as dt

from dashboard.components.kpi import NEUTRAL, Card, tone_of
from geodata.i18n import t
from geodata.quality.figures import share_text
from geodata.views import Headline


def pct(value: float | None) -> str:
    return t("no_data") if value is None else f"{value * 100:.1f}%"


def _direction(change: float) -> int:
    return 0 if abs(change) < 1e-9 else (1 if change > 0 else -1)


def task_cards(now: Headline, as_of: dt.date) -> list[Card]:
    """逾期任务 (with 逾期未报告 and 临期 beside it), 督办中 (with 申请销号 awaiting verification) and 企业整治完成率."""
    return [
        Card(t("kpi_overdue"), str(now.late),
             t("kpi_overdue_detail", unreported=now.late_unreported, due_soon=now.due_soon, tasks=now.tasks),
             help=t("kpi_overdue_help", asof=as_of.isoformat())),
        Card(t("kpi_supervised"), str(now.supervised), t("kpi_supervised_detail", pending=now.pending_close, tasks=now.tasks),
             help=t("kpi_supervised_help")),
        Card(t("kpi_enterprise"), pct(now.enterprise_done_share),
             t("kpi_enterprise_detail", done=now.enterprises_done, due=now.enterprises_due, total=now.enterprises),
             help=t("kpi_enterprise_help", asof=as_of.isoformat())),
    ]


# -- the cards of a period (全年 / 累计 / 当月) with 同比 against the same period of the previous year ------


def period_label(period) -> str:  # noqa: ANN001 - geodata.quality.evaluations.Period
    """“2023年1—6月累计”, “2023年6月”, “2023年全年” in the visitor's language."""
    if period.mode == "year":
        return t("pv_label_year", year=period.year)
    if period.mode == "ytd":
        return t("pv_label_ytd_1", year=period.year) if period.month == 1 else t("pv_label_ytd", year=period.year,
                                                                                 month=period.month)
    return t("pv_label_month", year=period.year, month=period.month)


def _yoy(yoy, attr: str, previous: str, higher_is_better: bool) -> tuple[str, int, str]:  # noqa: ANN001
    change = yoy.change(attr)
    if change is None:
        return t("pv_yoy_none"), 0, NEUTRAL
    if abs(change) < 1e-9:
        return t("pv_yoy_flat", previous=previous), 0, NEUTRAL
    return t("pv_yoy_points", change=f"{change:+.1f}", previous=previous), _direction(change), tone_of(change, higher_is_better)


def period_cards(yoy, period) -> list[Card]:  # noqa: ANN001 - geodata.quality.figures.YearOnYear, Period
    """优良比例, 劣Ⅴ比例, 达标率 of ``yoy.current`` with numerator / denominator and 同比 in percentage points."""
    now = yoy.current
    note = t("sample_watermark") if now.uses_samples else ""
    previous = period_label(period.previous_year())
    good = _yoy(yoy, "good_share", previous, True)
    worst = _yoy(yoy, "worst_share", previous, False)
    met = _yoy(yoy, "met_share", previous, True)
    return [
        Card(t("pv_kpi_good"), share_text(now.good_share),
             t("pv_kpi_good_detail", good=now.good, evaluated=now.evaluated, sections=now.sections), *good, note,
             t("pv_kpi_good_help")),
        Card(t("pv_kpi_worst"), share_text(now.worst_share),
             t("pv_kpi_worst_detail", worst=now.worst, evaluated=now.evaluated), *worst, note),
        Card(t("pv_kpi_met"), share_text(now.met_share),
             t("pv_kpi_met_detail", met=now.met, assessed=now.assessed, sections=now.sections), *met, note,
             t("pv_kpi_met_help")),
    ]


def warning_card(warnings, month_label: str) -> Card:  # noqa: ANN001 - a frame of early_warnings
    """预警断面: how many, 一级 and 二级, for the month the rule was applied to."""
    from geodata.quality.figures import WARNING_SOURCE

    first = int((warnings["level"] == "一级").sum()) if len(warnings) else 0
    second = int((warnings["level"] == "二级").sum()) if len(warnings) else 0
    samples = bool(len(warnings) and warnings["is_sample"].astype(int).any())
    return Card(t("pv_kpi_warnings"), str(first + second),
                t("pv_kpi_warnings_detail", first=first, second=second, month=month_label),
                note=t("sample_watermark") if samples else "", help=t("pv_kpi_warnings_help", source=WARNING_SOURCE))
