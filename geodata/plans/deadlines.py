"""Deadlines as plans write them, normalised to a date.

Rules (each has a test cut from the seeds):

- "2023年6月底前", "2023 年 6 月底", "2022年5月" → the month's last day, 2023-06-30;
- "2022年5-9月份" → the end of the last month named, 2022-09-30;
- "5月底前" / "年底前" / "采暖季前" without a year → the plan year is assumed
  (``plan_year``), and the assumption is recorded in ``assumed_year``;
- "2023年12月31日前" → that day;
- "2023年上半年" → 06-30, "下半年" → 12-31; "（第）一季度" … "第四季度" → the quarter's last day;
- "二〇二三年十二月底前" (Chinese numerals) → as "2023年12月底前";
- "2023年4月—10月", "3月至10月" → the end of the range's last month;
- "采暖季前" → 10-31 of the plan year (the heating season of northern China starts in
  November; the assumption is recorded in ``assumed_year``); "采暖季结束前" → 03-15 of the year
  after the plan year;
- "长期坚持", "持续推进", "每月", "秋冬季" → no date; ``long_term`` for the first kind;
- "2022年开工" → no date (a start, not a completion); the text is kept verbatim.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from geodata.plans.text import normalize_digits

LONG_TERM_WORDS = ("长期坚持", "持续推进", "长期", "持续开展", "常态化", "持续")


@dataclass(frozen=True)
class Deadline:
    text: str
    date: dt.date | None
    long_term: bool = False
    assumed_year: bool = False

    @property
    def iso(self) -> str:
        return self.date.isoformat() if self.date else ""


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


_FULL = re.compile(r"(20\d{2})年(?:(\d{1,2})(?:[-—–~至](\d{1,2}))?月(?:(\d{1,2})日)?)?")
_MONTH_ONLY = re.compile(r"(?<!\d)(\d{1,2})(?:[-—–~至](\d{1,2}))?月(?:(\d{1,2})日)?")


_CN_DIGIT = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0", "○": "0", "O": "0"}
_CN_YEAR = re.compile(r"([〇○零一二三四五六七八九]{4})年")
_CN_MONTH_DAY = re.compile(r"(?<=[年\d])([一二三四五六七八九十]{1,3})(月|日)")
_MONTH_RANGE = re.compile(r"(\d{1,2})月(?:份)?[-—–~～至到](\d{1,2})月")
_HALF = re.compile(r"(20\d{2}年)?(上半年|下半年)")
_QUARTER = re.compile(r"(20\d{2}年)?(?:第)?([一二三四1-4])季度")


def _cn_to_digits(text: str) -> str:
    """"二〇二三年十二月底" → "2023年12月底" (years digit by digit, months and days as numbers)."""
    from geodata.plans.document import cn_number

    t = _CN_YEAR.sub(lambda m: "".join(_CN_DIGIT[c] for c in m.group(1)) + "年", text)
    prev = None
    while prev != t:
        prev = t
        t = _CN_MONTH_DAY.sub(lambda m: f"{cn_number(m.group(1))}{m.group(2)}", t)
    return t


def _period_end(t: str, plan_year: int | None) -> Deadline | None:
    """Half years and quarters: "2023年上半年" → 2023-06-30, "第三季度" → <plan year>-09-30."""
    m = _HALF.search(t)
    if m:
        year = int(m.group(1)[:4]) if m.group(1) else plan_year
        if year:
            month = 6 if m.group(2) == "上半年" else 12
            return Deadline(t, _month_end(year, month), assumed_year=not m.group(1))
    m = _QUARTER.search(t)
    if m:
        year = int(m.group(1)[:4]) if m.group(1) else plan_year
        q = "一二三四".find(m.group(2)) + 1 if m.group(2) in "一二三四" else int(m.group(2))
        if year:
            return Deadline(t, _month_end(year, 3 * q), assumed_year=not m.group(1))
    return None


def parse_deadline(text: str | None, plan_year: int | None = None) -> Deadline:
    """Normalise a deadline text; see the module docstring for the rules."""
    raw = (text or "").strip()
    t = normalize_digits(raw).replace(" ", "").replace("\u3000", "")
    if not t:
        return Deadline(raw, None)
    t = _MONTH_RANGE.sub(r"\1-\2月", _cn_to_digits(t))
    if not re.search(r"\d{1,2}月", t):
        period = _period_end(t, plan_year)
        if period is not None:
            return Deadline(raw, period.date, assumed_year=period.assumed_year)
    if "采暖季" in t and not re.search(r"\d{1,2}月", t) and plan_year:
        if "结束" in t:
            return Deadline(raw, dt.date(plan_year + 1, 3, 15), assumed_year=True)
        if "前" in t:
            return Deadline(raw, dt.date(plan_year, 10, 31), assumed_year=True)
    long_term = any(w in t for w in LONG_TERM_WORDS) and not re.search(r"20\d{2}年", t)
    if long_term:
        return Deadline(raw, None, long_term=True)
    if "开工" in t and "完成" not in t and "底" not in t:
        return Deadline(raw, None)
    # The latest date mentioned wins: "2023年10月底前完成焦化…，2023年12月底前完成水泥…" → 12-31.
    dates: list[dt.date] = []
    for m in _FULL.finditer(t):
        year = int(m.group(1))
        month = m.group(3) or m.group(2)
        day = m.group(4)
        if month is None:
            rest = t[m.end() :]
            if rest.startswith(("底", "内")) or rest in ("", "前", "完成", "底前"):
                dates.append(dt.date(year, 12, 31))
            continue
        month_i = int(month)
        if not 1 <= month_i <= 12:
            continue
        if day and not m.group(3):
            try:
                dates.append(dt.date(year, month_i, int(day)))
            except ValueError:
                continue
        else:
            dates.append(_month_end(year, month_i))
    if dates:
        return Deadline(raw, max(dates))
    if plan_year:
        m = _MONTH_ONLY.search(t)
        if m:
            month_i = int(m.group(2) or m.group(1))
            if 1 <= month_i <= 12:
                if m.group(3) and not m.group(2):
                    try:
                        return Deadline(raw, dt.date(plan_year, month_i, int(m.group(3))), assumed_year=True)
                    except ValueError:
                        pass
                return Deadline(raw, _month_end(plan_year, month_i), assumed_year=True)
        if "年底" in t or "年内" in t:
            return Deadline(raw, dt.date(plan_year, 12, 31), assumed_year=True)
    return Deadline(raw, None)


_DATE_PART = (
    r"(?:20\d{2}\s*年\s*)?(?:\d{1,2}\s*(?:[-—–~至]\s*\d{1,2}\s*)?月\s*(?:\d{1,2}\s*日)?(?:底|中旬|上旬|下旬)?|底)"
    r"|年底|(?:20\d{2}\s*年\s*)?(?:上半年|下半年|第?[一二三四]季度)"
)
_VERBS = r"完成|基本完成|全面完成|建成|实现|投运|达到|启动|建立|制定|编制|开展|公布|出台|上报"
# "2023年6月底前…" (a "before" is a deadline whatever follows) or "2023年12月完成…"
_IN_TEXT = re.compile(rf"((?:{_DATE_PART})\s*前|(?:{_DATE_PART})(?=[，,、。；;\s]*(?:{_VERBS})))")


def deadline_in_text(text: str, plan_year: int | None = None) -> Deadline | None:
    """Find a completion deadline stated inside a task's prose ("2023年6月底前完成…").

    Returns the latest date the text commits to, or ``None`` when it states none.
    """
    t = _MONTH_RANGE.sub(r"\1-\2月", _cn_to_digits(normalize_digits(text)))
    found: list[Deadline] = []
    for m in _IN_TEXT.finditer(t):
        d = parse_deadline(m.group(1), plan_year)
        if d.date:
            found.append(d)
    if not found:
        return None
    return max(found, key=lambda d: d.date)  # type: ignore[arg-type, return-value]
