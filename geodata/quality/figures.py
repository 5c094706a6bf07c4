"""The figures leaders read: 优良比例, 劣Ⅴ比例, 达标率, 同比, 预警 and 时序进度, for a set of sections and a period.

Every function takes the store (or the classes of :func:`~geodata.quality.evaluations.section_classes`),
a :class:`~geodata.quality.evaluations.Period` — 当月 (``mode="month"``), 累计 (``"ytd"``,
January to the month) or 全年 — and optionally the sections in view (``section_ids``, e.g. the
国考 sections of a county). Each figure states its numerator and denominator.

* **优良比例**: sections of class Ⅰ–Ⅲ among the sections with a class in the period;
  **劣Ⅴ比例**: sections of 劣Ⅴ among them; **达标率**: sections no worse than their target among the
  sections with a target and a class (the target of that year, else the latest earlier one).
* **同比** (:func:`year_on_year`): the same figures for the same period of the previous year
  (2023年1—5月 against 2022年1—5月, not against the whole of 2022), their change in percentage
  points, and each section's class then and now.
* **预警** (:func:`early_warnings`), 《长江流域水环境质量监测预警办法（试行）》 (生态环境部, 2018; the same
  grading is applied to every basin): **二级** when a section's class of the month *and* its
  year-to-date class have both fallen by at least one class against the same period of the
  previous year and fallen below Ⅲ (“如水质同比由Ⅲ类下降为Ⅳ类”), and its year-to-date class misses
  this year's target; **一级** when both fell by two classes or more (“由Ⅲ类下降为Ⅴ类”) under the
  same conditions. A section of 一级 is not also listed as 二级.
* **时序进度** (:func:`progress`): the year-to-date 优良/劣Ⅴ figures of a jurisdiction against the
  annual targets of its plans' indicators (``indicators``: “国考断面优良比例 80%”, “无劣Ⅴ类断面”).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pandas as pd

from geodata.i18n import t
from geodata.model import CLASSES
from geodata.quality.evaluations import Period, SectionEvaluator, section_classes

GOOD = ("Ⅰ", "Ⅱ", "Ⅲ")
WORST = "劣Ⅴ"
WARNING_LEVELS = ("一级", "二级")
WARNING_SOURCE = "《长江流域水环境质量监测预警办法（试行）》（生态环境部，2018）"


def _rank(klass: object) -> int | None:
    return CLASSES.index(klass) if klass in CLASSES else None


def share_text(share: float | None) -> str:
    """A share as every card and export writes it: “68.4%”, or 无数据."""
    return t("no_data") if share is None else f"{share:.1f}%"


def _share(n: int, d: int) -> float | None:
    return round(100.0 * n / d, 1) if d else None


@dataclass(frozen=True)
class Shares:
    """优良比例, 劣Ⅴ比例 and 达标率 of a set of sections in one period, with their denominators."""

    period_label: str
    sections: int  # sections in view
    evaluated: int  # with a class in the period
    good: int
    worst: int
    assessed: int  # with a target and a class
    met: int
    uses_samples: bool

    @property
    def good_share(self) -> float | None:
        return _share(self.good, self.evaluated)

    @property
    def worst_share(self) -> float | None:
        return _share(self.worst, self.evaluated)

    @property
    def met_share(self) -> float | None:
        return _share(self.met, self.assessed)

    def describe(self) -> dict[str, str]:
        """Headline texts that state their denominators (“优良 5 / 有监测 6，断面 38”)."""
        def pct(value: float | None) -> str:
            return "无数据" if value is None else f"{value:.1f}%"

        return {
            "good": f"{pct(self.good_share)}（优良 {self.good} / 有监测 {self.evaluated}，断面 {self.sections}）",
            "worst": f"{pct(self.worst_share)}（劣Ⅴ {self.worst} / 有监测 {self.evaluated}）",
            "met": f"{pct(self.met_share)}（达标 {self.met} / 有目标且有数据 {self.assessed}，断面 {self.sections}）",
        }


def shares(classes: pd.DataFrame, sections: int | None = None, period_label: str = "") -> Shares:
    """The shares of a frame of :func:`section_classes` (one row per section)."""
    evaluated = classes[classes["class"].isin(CLASSES)] if len(classes) else classes
    assessed = evaluated[evaluated["target_class"].isin(CLASSES)] if len(evaluated) else evaluated
    met = int(sum(1 for c, t in zip(assessed["class"], assessed["target_class"], strict=True) if _rank(c) <= _rank(t)))
    label = period_label or (str(classes["period_label"].iloc[0]) if len(classes) else "")
    return Shares(
        period_label=label, sections=len(classes) if sections is None else sections, evaluated=len(evaluated),
        good=int(evaluated["class"].isin(GOOD).sum()) if len(evaluated) else 0,
        worst=int((evaluated["class"] == WORST).sum()) if len(evaluated) else 0,
        assessed=len(assessed), met=met,
        uses_samples=bool(len(evaluated) and pd.to_numeric(evaluated["is_sample"]).astype(int).any()),
    )


def period_shares(store, period: Period, section_ids: Iterable[str] | None = None, *,  # noqa: ANN001
                  classes: pd.DataFrame | None = None) -> Shares:
    """优良比例, 劣Ⅴ比例, 达标率 of ``section_ids`` (all sections when None) for ``period`` (``classes``: the
    period's classes of every section, already computed)."""
    ids = list(section_ids) if section_ids is not None else None
    if classes is None:
        classes = section_classes(store, period, ids)
    elif ids is not None:
        classes = classes[classes["section_id"].isin(ids)]
    total = len(ids) if ids is not None else len(store.read_table("sections"))
    return shares(classes, total, period.label)


@dataclass(frozen=True)
class YearOnYear:
    """同比: the figures of a period and of the same period a year earlier."""

    current: Shares
    previous: Shares
    sections: pd.DataFrame  # section_id, section_name, class, class_previous, change, change_label

    def change(self, attr: str) -> float | None:
        """Change of ``good_share`` / ``worst_share`` / ``met_share`` in percentage points; None without both."""
        now, then = getattr(self.current, attr), getattr(self.previous, attr)
        return None if now is None or then is None else round(now - then, 1)


def class_change(now: object, then: object) -> tuple[object, str]:
    """(classes gained, words) of a section's class ``now`` against ``then``: (1, "好转1个类别"), (-2, "下降2个类别"),
    (0, "持平"); ("", "") when either has no class."""
    return _change_label(now, then)


def _change_label(now: object, then: object) -> tuple[object, str]:
    a, b = _rank(now), _rank(then)
    if a is None or b is None:
        return "", ""
    if a == b:
        return 0, "持平"
    return b - a, (f"好转{b - a}个类别" if a < b else f"下降{a - b}个类别")


def year_on_year(store, period: Period, section_ids: Iterable[str] | None = None) -> YearOnYear:  # noqa: ANN001
    """同比 of ``period`` (当月, 累计 or 全年) against the same period of the previous year.

    ``sections.change`` is positive when a section improved (classes better), negative when it
    fell; ``change_label`` says it in words (好转1个类别 / 下降2个类别 / 持平).
    """
    ids = list(section_ids) if section_ids is not None else None
    total = len(ids) if ids is not None else len(store.read_table("sections"))
    evaluator = SectionEvaluator(store)  # both periods from one reading of the measurements
    now = section_classes(store, period, ids, evaluator=evaluator)
    then = section_classes(store, period.previous_year(), ids, evaluator=evaluator)
    merged = now[["section_id", "section_name", "class"]].merge(
        then[["section_id", "section_name", "class"]].rename(columns={"class": "class_previous",
                                                                      "section_name": "_name"}),
        on="section_id", how="outer")
    merged["section_name"] = merged["section_name"].astype(object).where(merged["section_name"].notna(),
                                                                         merged["_name"].astype(object))
    merged = merged.drop(columns="_name")
    for column in ("class", "class_previous"):  # an empty frame's class column is float: make it text first
        merged[column] = merged[column].astype(object).where(merged[column].notna(), "")
    changes = [_change_label(a, b) for a, b in zip(merged["class"], merged["class_previous"], strict=True)]
    merged["change"] = [c[0] for c in changes]
    merged["change_label"] = [c[1] for c in changes]
    return YearOnYear(shares(now, total, period.label), shares(then, total, period.previous_year().label),
                      merged.sort_values("section_id").reset_index(drop=True))


WARNING_COLUMNS = ["section_id", "section_name", "level", "month_class", "month_class_previous", "month_drop",
                   "ytd_class", "ytd_class_previous", "ytd_drop", "target_class", "target_note", "reason", "is_sample"]


def early_warnings(store, year: int, month: int, section_ids: Iterable[str] | None = None, *,  # noqa: ANN001
                   evaluator: SectionEvaluator | None = None,
                   classes: Callable[[Period], pd.DataFrame] | None = None) -> pd.DataFrame:
    """The 预警 list of ``year``-``month`` (see the module doc), 一级 first; empty without any.

    Columns: :data:`WARNING_COLUMNS`; ``month_drop``/``ytd_drop`` are the number of classes fallen. The four
    periods compared are evaluated from one reading of the measurements (``evaluator``, made here if None), or
    given by ``classes`` (a period → every section's :func:`~geodata.quality.evaluations.section_classes`, e.g.
    as kept in the store).
    """
    ids = list(section_ids) if section_ids is not None else None
    if classes is None:
        ev = evaluator or SectionEvaluator(store)

        def classes(period: Period) -> pd.DataFrame:
            return section_classes(store, period, ids, evaluator=ev)

    wanted = set(ids) if ids is not None else None
    fields = ["class", "section_name", "target_class", "target_note", "is_sample"]

    def records(mode: str, offset: int) -> dict[str, dict[str, object]]:
        frame = classes(Period(year - offset, month, mode))
        if wanted is not None:
            frame = frame[frame["section_id"].isin(wanted)]
        return {str(sid): dict(zip(fields, values, strict=True))
                for sid, *values in zip(frame["section_id"], *(frame[f] for f in fields), strict=True)}

    m_now_of, m_then_of, y_now_of, y_then_of = (records(mode, offset) for mode in ("month", "ytd") for offset in (0, 1))
    rows = []
    for sid, m_now in m_now_of.items():
        m_then, y_now, y_then = m_then_of.get(sid), y_now_of.get(sid), y_then_of.get(sid)
        if m_then is None or y_now is None or y_then is None:
            continue
        ranks = [_rank(x["class"]) for x in (m_now, m_then, y_now, y_then)]
        if any(r is None for r in ranks):
            continue
        month_drop, ytd_drop = ranks[0] - ranks[1], ranks[2] - ranks[3]
        below_iii = ranks[0] > 2 and ranks[2] > 2
        target = _rank(y_now["target_class"])
        misses = target is not None and ranks[2] > target
        if not (below_iii and misses and month_drop >= 1 and ytd_drop >= 1):
            continue
        level = "一级" if month_drop >= 2 and ytd_drop >= 2 else "二级"
        reason = (f"当月 {m_then['class']}→{m_now['class']}（下降{month_drop}个类别），累计 {y_then['class']}→{y_now['class']}"
                  f"（下降{ytd_drop}个类别），累计类别未达到目标 {y_now['target_class']}")
        rows.append({
            "section_id": sid, "section_name": m_now["section_name"], "level": level,
            "month_class": m_now["class"], "month_class_previous": m_then["class"], "month_drop": month_drop,
            "ytd_class": y_now["class"], "ytd_class_previous": y_then["class"], "ytd_drop": ytd_drop,
            "target_class": y_now["target_class"], "target_note": y_now["target_note"], "reason": reason,
            "is_sample": int(max(int(m_now["is_sample"] or 0), int(y_now["is_sample"] or 0),
                                 int(m_then["is_sample"] or 0), int(y_then["is_sample"] or 0))),
        })
    frame = pd.DataFrame(rows, columns=WARNING_COLUMNS)
    return frame.sort_values(["level", "section_id"]).reset_index(drop=True)


PROGRESS_COLUMNS = ["indicator_id", "jurisdiction", "indicator", "kind", "target_year", "target_value", "target_number",
                    "comparison", "actual", "numerator", "denominator", "on_track", "gap", "note", "source"]
_GOOD_NAME = re.compile(r"(优良|达到或优于Ⅲ类|Ⅰ[~～—-]Ⅲ类|好于Ⅲ类)")
_WORST_NAME = re.compile(r"劣Ⅴ")
_SKIP_NAME = re.compile(r"(饮用水|水源地|地下水|黑臭|近岸|海)")


def _indicator_kind(name: str, unit: str) -> str | None:
    if _SKIP_NAME.search(name):
        return None
    if _WORST_NAME.search(name):
        return "worst_count" if unit in ("个", "") and "比例" not in name else "worst_share"
    if _GOOD_NAME.search(name) and ("比例" in name or unit == "%"):
        return "good_share"
    return None


def _level_of(name: str) -> str:
    for level in ("国考", "省考", "市考", "县考"):
        if level in name or level.replace("考", "控") in name:
            return level
    return ""


def progress(store, year: int, month: int, jurisdiction: str | None = None, *,  # noqa: ANN001
             evaluator: SectionEvaluator | None = None,
             classes: Callable[[Period], pd.DataFrame] | None = None) -> pd.DataFrame:
    """时序进度: year-to-date shares against the annual targets of the plans' water indicators.

    One row per indicator of ``year`` (or whose target year is later, the latest plan target
    being the one to keep on track with) that is a 优良比例, 劣Ⅴ比例 or 劣Ⅴ count: ``actual`` is
    the year-to-date (1–``month``) value over the sections of the indicator's jurisdiction (city
    or county) and level (国考… when the name says so); ``on_track`` compares it with the target
    (``comparison``); ``gap`` is actual − target (percentage points or sections). ``classes(period)``, when
    given, is every section's class for a period (a caller's kept :func:`section_classes`); otherwise they
    are computed with ``evaluator``.
    """
    indicators = store.read_table("indicators")
    sections = store.read_table("sections")
    rows = []
    period = Period(year, month, "ytd")
    cache: dict[tuple[str, str], Shares] = {}
    ytd: pd.DataFrame | None = None  # every section's year-to-date class, once, when an indicator needs it
    for r in indicators.to_dict("records"):
        kind = _indicator_kind(str(r["name"]), str(r.get("unit", "") or ""))
        place = str(r["jurisdiction"])
        if kind is None or (jurisdiction and place != jurisdiction):
            continue
        try:
            target_year = int(float(r["target_year"]))
            target = float(r["target_number"])
        except (TypeError, ValueError):
            continue
        if target_year < year:
            continue
        level = _level_of(str(r["name"]))
        scope = sections[(sections["city"] == place) | (sections["county"] == place)]
        if level:
            scope = scope[scope["level"] == level]
        key = (place, level)
        if key not in cache:
            if ytd is None:
                ytd = classes(period) if classes else section_classes(store, period, evaluator=evaluator)
            cache[key] = period_shares(store, period, list(scope["id"]), classes=ytd)
        s = cache[key]
        if kind == "good_share":
            actual, numerator, denominator = s.good_share, s.good, s.evaluated
        elif kind == "worst_share":
            actual, numerator, denominator = s.worst_share, s.worst, s.evaluated
        else:
            actual, numerator, denominator = (float(s.worst) if s.evaluated else None), s.worst, s.evaluated
        comparison = str(r.get("comparison", "") or "") or (">=" if kind == "good_share" else "<=")
        if comparison == "=" and kind != "good_share":
            comparison = "<="
        on_track: object = ""
        gap: object = ""
        if actual is not None:
            on_track = int(actual >= target if comparison == ">=" else actual <= target)
            gap = round(actual - target, 1)
        note = "" if target_year == year else f"{target_year}年目标"
        if s.uses_samples:
            note = "；".join(x for x in (note, "含示例数据（非实测）") if x)
        rows.append({
            "indicator_id": r["id"], "jurisdiction": place, "indicator": r["name"], "kind": kind, "target_year": target_year,
            "target_value": r["target_value"], "target_number": target, "comparison": comparison, "actual": actual,
            "numerator": numerator, "denominator": denominator, "on_track": on_track, "gap": gap,
            "note": note or f"{period.label}累计", "source": f"{r['source_file']} 第 {r['source_line']} 行",
        })
    return pd.DataFrame(rows, columns=PROGRESS_COLUMNS)


__all__ = ["PROGRESS_COLUMNS", "Shares", "WARNING_COLUMNS", "WARNING_LEVELS", "WARNING_SOURCE", "YearOnYear",
           "class_change", "early_warnings", "period_shares", "progress", "shares", "year_on_year"]
