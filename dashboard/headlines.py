"""The headline cards of an area, worded once: value, denominator in view, change against last year.

Used by 总览 and 水环境 so the same figure reads the same on both pages.
"""

from __future__ import annotations

import datetime as dt

from dashboard.components.kpi import NEUTRAL, Card, tone_of
from geodata.i18n import t
from geodata.views import Headline


def pct(value: float | None) -> str:
    return t("no_data") if value is None else f"{value * 100:.1f}%"


def _direction(change: float) -> int:
    return 0 if abs(change) < 1e-9 else (1 if change > 0 else -1)


def water_cards(now: Headline, before: Headline | None, year: int) -> list[Card]:
    """优良比例, 劣Ⅴ, 达标 — each with what it is a share of; ``before`` is the previous year's."""
    note = t("sample_watermark") if now.sample else ""
    good_change = worst_change = ""
    good_dir = worst_dir = 0
    good_tone = worst_tone = NEUTRAL
    if before is not None and now.good_share is not None and before.good_share is not None:
        change = (now.good_share - before.good_share) * 100
        good_dir, good_tone = _direction(round(change, 1)), tone_of(round(change, 1), True)
        good_change = t("change_points", change=f"{change:+.1f}", year=year - 1) if good_dir else t("change_flat", year=year - 1)
    if before is not None and now.evaluated and before.evaluated:
        change = now.worst - before.worst
        worst_dir, worst_tone = _direction(change), tone_of(change, False)
        worst_change = t("change_count", change=f"{change:+d}", year=year - 1) if change else t("change_flat", year=year - 1)
    return [
        Card(t("kpi_good"), pct(now.good_share),
             t("kpi_good_detail", good=now.good, evaluated=now.evaluated, sections=now.sections),
             good_change, good_dir, good_tone, note, t("kpi_good_help")),
        Card(t("kpi_worst"), str(now.worst) if now.evaluated else t("no_data"),
             t("kpi_worst_detail", share=pct(now.worst_share), evaluated=now.evaluated) if now.evaluated else
             t("kpi_no_evaluated", sections=now.sections),
             worst_change, worst_dir, worst_tone, note),
        Card(t("kpi_met"), f"{now.met} / {now.assessed}" if now.assessed else t("no_data"),
             t("kpi_met_detail", assessed=now.assessed, with_target=now.with_target, sections=now.sections),
             note=note, help=t("kpi_met_help")),
    ]


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
