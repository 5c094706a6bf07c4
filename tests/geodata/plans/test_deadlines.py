"""Deadline normalisation, one row per rule, cases cut from the seeds."""

from __future__ import annotations

import datetime as dt

import pytest

from geodata.plans.deadlines import deadline_in_text, parse_deadline


@pytest.mark.parametrize(
    ("text", "plan_year", "date", "long_term", "assumed"),
    [
        ("2023年6月底前", 2023, dt.date(2023, 6, 30), False, False),  # 000 措施任务表
        ("2023 年 6 月底", 2023, dt.date(2023, 6, 30), False, False),  # PDF spacing
        ("2022 年 8 月底前", 2022, dt.date(2022, 8, 31), False, False),
        ("2023 年 12 月", 2023, dt.date(2023, 12, 31), False, False),  # 001 重点项目清单
        ("2022年5-9月份", 2022, dt.date(2022, 9, 30), False, False),  # 003 大气台账
        ("2023年2月底前", 2023, dt.date(2023, 2, 28), False, False),
        ("2024年2月底前", 2024, dt.date(2024, 2, 29), False, False),  # leap year
        ("年底前", 2023, dt.date(2023, 12, 31), False, True),  # the plan year
        ("5月底前", 2022, dt.date(2022, 5, 31), False, True),
        ("长期坚持", 2022, None, True, False),
        ("持续推进", 2022, None, True, False),
        ("2022年开工", 2022, None, False, False),  # a start, not a completion
        ("秋冬季", 2022, None, False, False),
        ("", 2022, None, False, False),
        ("2023年10月底前完成焦化企业超低排放改造，2023年12月底前完成水泥企业超低排放改造。", 2023, dt.date(2023, 12, 31), False, False),
        ("2025 年 12 月底", 2022, dt.date(2025, 12, 31), False, False),
    ],
)
def test_parse_deadline(text, plan_year, date, long_term, assumed):
    d = parse_deadline(text, plan_year)
    assert (d.date, d.long_term, d.assumed_year) == (date, long_term, assumed)
    assert d.text == text


def test_year_less_deadline_without_plan_year_stays_empty():
    assert parse_deadline("年底前", None).date is None


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("各县（市、区）要持续推进报废矿井排查登记，并于2023年6月底前建立报废矿井、钻井、取水井清单。", "2023-06-30"),
        ("采暖季前，在“禁煤区”内开展地毯式排查，全面开展散煤清零工作，坚决杜绝储存、燃用散煤，2023年10月底前完成。", "2023-10-31"),
        ("深化县级及以上饮用水水源保护区规范化建设，5 月底前完成环境问题和风险隐患排查整治工作。", "2022-05-31"),
        ("充分发挥“河长制”作用，持续开展河湖“清四乱”。", None),
    ],
)
def test_deadline_in_prose(text, iso):
    d = deadline_in_text(text, 2022)
    assert (d.iso if d else None) == iso
