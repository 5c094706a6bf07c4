"""What the water pages show for one period (全年 / 累计 / 当月): sections, 同比, 预警, grades, ranking.

Every figure of a period page comes from one frame: the classes of
:func:`geodata.quality.evaluations.section_classes` for that period, joined to the sections of
the area by :func:`period_sections_view` (the same columns as :func:`geodata.views.sections_view`).
The headline is :func:`geodata.views.headline` of those rows, so cards, map, popups and the
section and county tables count the same sections; :func:`period_year_on_year` builds the
同比 of :func:`geodata.quality.figures.year_on_year` from the rows of this period and of the same
period of the previous year, so the change a card prints is the change the official rule gives.

Targets: the target of the period's year, else the latest earlier one — marked in
``target_note`` (“无当年目标，沿用2023年目标”) with that target's own source line — as
:class:`geodata.quality.evaluations.Targets` does for compliance.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from geodata.areas import EVERYWHERE, Area
from geodata.model import CLASSES
from geodata.quality.evaluations import Period
from geodata.quality.figures import Shares, YearOnYear, class_change
from geodata.views import (
    Headline,
    compliance_state,
    headline,
    one_target_per_section,
    sections_view,
    targets_for_year,
)

MODES = ("year", "ytd", "month")
__all__ = ["MODES", "choose_period", "default_period", "grade_rows", "headline_shares", "months_with_data",
           "period_sections_view", "period_year_on_year", "ranking_rows", "targets_up_to", "warning_month", "warnings_in_view"]


def months_with_data(evaluations: pd.DataFrame | None, year: int, section_ids: Iterable[str] | None = None) -> list[int]:
    """The months of ``year`` with a result (a class or a status such as 断流) for any of ``section_ids``."""
    if evaluations is None or evaluations.empty:
        return []
    e = evaluations[evaluations["year"].astype(str) == str(year)]
    if section_ids is not None:
        e = e[e["section_id"].isin(set(section_ids))]
    months = set()
    for value, klass, status in zip(e["month"], e["class"], e["status"], strict=True):
        text = str(value).strip()
        if not text or text in ("nan", "None", "<NA>"):
            continue
        if str(klass or "") or str(status or "") not in ("", "not_monitored"):
            months.add(int(float(text)))
    return sorted(months)


def default_period(year: int, months: list[int]) -> Period:
    """累计 to the latest month with data when the year is incomplete, else 全年 (also without any data)."""
    if months and max(months) < 12:
        return Period(year, max(months), "ytd")
    return Period(year, None, "year")


def warning_month(period: Period, months: list[int]) -> int | None:
    """The month the 预警 rule is applied to: the period's month, or for 全年 the latest month with data."""
    if period.mode != "year":
        return period.month
    return max(months) if months else None


def choose_period(year: int, months: list[int], mode: str | None, month: int | None) -> Period:
    """The period a visitor asked for, kept to what the data offer: an unknown mode or a month without
    data falls back to the latest month with data, and a year without months to 全年."""
    fallback = default_period(year, months)
    if mode not in MODES:
        return fallback
    if mode == "year" or not months:
        return Period(year, None, "year")
    chosen = month if month in months else max(months)
    return Period(year, chosen, mode)


def targets_up_to(targets: pd.DataFrame, year: int) -> pd.DataFrame:
    """One target per section for ``year``: that year's, else the latest earlier year's with a class.

    Columns of :func:`geodata.views.targets_for_year` plus ``target_year`` and ``target_note``.
    """
    current = targets_for_year(targets, year).assign(target_year=str(year), target_note="")
    t = targets[(targets["kind"] == "target") & (targets["target_class"].astype(str) != "")] if len(targets) else targets
    if t.empty:
        return current
    years = pd.to_numeric(t["year"], errors="coerce")
    with_class = set(t.loc[years == year, "section_id"].astype(str))
    earlier = t[years < year].assign(_y=years[years < year])
    if earlier.empty:
        return current
    latest = earlier.groupby("section_id")["_y"].max()
    # section → the year whose target it borrows (the sections with a class this year borrow nothing)
    year_of = latest[~latest.index.astype(str).isin(with_class)].astype(int).astype(str)
    rows = targets[targets["kind"] == "target"]
    borrowed = one_target_per_section(rows[rows["year"].astype(str) == rows["section_id"].map(year_of).fillna("")])
    if borrowed.empty:
        return current
    borrowed_year = borrowed["section_id"].map(year_of)
    borrowed = borrowed.assign(target_year=borrowed_year, target_note=[f"无当年目标，沿用{y}年目标" for y in borrowed_year])
    current = current[~current["section_id"].isin(set(borrowed["section_id"]))]
    return pd.concat([current, borrowed], ignore_index=True)


TARGET_COLUMNS = ["target_class", "target_text", "target_document", "target_line", "target_file"]


def period_sections_view(sections: pd.DataFrame, targets: pd.DataFrame, classes: pd.DataFrame | None, *,
                         period: Period, area: Area = EVERYWHERE, documents: pd.DataFrame | None = None) -> pd.DataFrame:
    """Sections of ``area`` with their class for ``period`` (``classes``: :func:`section_classes` of it).

    The columns of :func:`geodata.views.sections_view`, plus ``target_note`` and ``target_year``
    (the year the target was set for, when it is an earlier year's).
    """
    month = None if period.mode == "year" else period.month
    frame = sections_view(sections, targets, classes, year=period.year, area=area, month=month, documents=documents)
    chosen = targets_up_to(targets, period.year).set_index("section_id") if len(targets) else pd.DataFrame()
    notes, years = [], []
    for i, sid in enumerate(frame["id"]):
        if len(chosen) and sid in chosen.index and str(chosen.loc[sid, "target_note"]) and not frame.at[i, "target_class"]:
            for col in TARGET_COLUMNS:
                frame.at[i, col] = str(chosen.loc[sid, col])
            notes.append(str(chosen.loc[sid, "target_note"]))
            years.append(str(chosen.loc[sid, "target_year"]))
        else:
            notes.append("")
            years.append(str(period.year) if frame.at[i, "target_class"] else "")
    frame["target_note"] = notes
    frame["target_year"] = years
    frame["compliance"] = [compliance_state(m, t, s) for m, t, s in
                           zip(frame["measured_class"], frame["target_class"], frame["status"], strict=True)]
    return frame


def headline_shares(h: Headline, period: Period) -> Shares:
    """The :class:`~geodata.quality.figures.Shares` of a headline (the rows of a period view)."""
    return Shares(period_label=period.label, sections=h.sections, evaluated=h.evaluated, good=h.good, worst=h.worst,
                  assessed=h.assessed, met=h.met, uses_samples=h.sample)


def period_year_on_year(now: pd.DataFrame, previous: pd.DataFrame, period: Period) -> YearOnYear:
    """同比 of the rows of ``period`` (``now``) against the same sections in the same period a year
    earlier (``previous``, a :func:`period_sections_view` of ``period.previous_year()``).

    Equal to :func:`geodata.quality.figures.year_on_year` of the same sections; ``sections`` has
    one row per section with a class in either period.
    """
    before = previous.set_index("id")["measured_class"].to_dict() if len(previous) else {}
    rows = []
    for sid, name, klass in zip(now["id"], now["name"], now["measured_class"], strict=True):
        then = str(before.get(sid, "") or "")
        if not klass and not then:
            continue
        change, label = class_change(klass, then)
        rows.append({"section_id": sid, "section_name": name, "class": klass, "class_previous": then,
                     "change": change, "change_label": label})
    changes = pd.DataFrame(rows, columns=["section_id", "section_name", "class", "class_previous", "change", "change_label"])
    return YearOnYear(headline_shares(headline(now), period), headline_shares(headline(previous), period.previous_year()),
                      changes.sort_values("section_id").reset_index(drop=True))


def with_changes(now: pd.DataFrame, yoy: YearOnYear) -> pd.DataFrame:
    """``now`` plus ``class_previous`` and ``class_change`` (classes gained; "" without both) per section."""
    by_id = yoy.sections.set_index("section_id") if len(yoy.sections) else pd.DataFrame(columns=["class_previous", "change"])
    out = now.copy()
    out["class_previous"] = [str(by_id.loc[s, "class_previous"]) if s in by_id.index else "" for s in out["id"]]
    out["class_change"] = [by_id.loc[s, "change"] if s in by_id.index else "" for s in out["id"]]
    return out


def warnings_in_view(warnings: pd.DataFrame, sections: pd.DataFrame) -> pd.DataFrame:
    """The 预警 rows of the sections in view, with their place (lon, lat, precision, county, river)."""
    place = sections[["id", "lon", "lat", "precision", "county", "river", "level"]].rename(
        columns={"id": "section_id", "level": "section_level"})
    out = warnings.merge(place, on="section_id", how="inner")
    return out.sort_values(["level", "section_id"]).reset_index(drop=True)


def _classes_in_view(classes: pd.DataFrame, sections: pd.DataFrame) -> pd.DataFrame:
    if classes is None or classes.empty:
        return pd.DataFrame(columns=list(getattr(classes, "columns", [])))
    return classes[classes["section_id"].isin(set(sections["id"]))]


def grade_rows(classes: pd.DataFrame, sections: pd.DataFrame, by: str = "river") -> pd.DataFrame:
    """水质状况 of every river (``by="river"``) or basin of the sections in view, by
    :func:`geodata.quality.grades.grades` of the period's classes."""
    from geodata.quality.grades import grades

    mine = _classes_in_view(classes, sections)
    if mine.empty:
        return grades(pd.DataFrame(columns=[by, "class", "values", "basis", "is_sample"]), by)
    mine = mine[mine["class"].isin(CLASSES)]
    return grades(mine, by)


def ranking_rows(classes: pd.DataFrame, baseline: pd.DataFrame | None, sections: pd.DataFrame) -> pd.DataFrame:
    """Counties of the sections in view ranked by CWQI (:func:`geodata.quality.cwqi.ranking`), with
    ΔCWQI against ``baseline`` (the same period of the previous year) where it has data."""
    from geodata.quality.cwqi import ranking

    mine = _classes_in_view(classes, sections)
    base = _classes_in_view(baseline, sections) if baseline is not None and len(baseline) else None
    if mine.empty:
        mine = pd.DataFrame(columns=["county", "values", "basis", "is_sample"])
    return ranking(mine, "county", base if base is not None and len(base) else None)
