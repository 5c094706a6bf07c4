"""What the dashboard shows, computed from the store: one function per view, already filtered.

The dashboard never joins tables itself; it asks for a view of an area (a city, a county,
or everything), a year and an as-of date, and draws what it gets.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from geodata import admin
from geodata.model import CLASSES
from geodata.status import DONE, OVERDUE, with_status

GOOD_CLASSES = ("Ⅰ", "Ⅱ", "Ⅲ")


@dataclass(frozen=True)
class Area:
    """A city, a county of it, or everything (both empty)."""

    city: str = ""
    county: str = ""

    @property
    def label(self) -> str:
        return self.county or self.city or "全部辖区"

    def jurisdictions(self) -> set[str]:
        """Plan jurisdictions whose tasks concern this area."""
        if self.county:
            return {self.county}
        if self.city:
            return {self.city, *admin.CITY_COUNTIES.get(self.city, ())}
        return set()

    def names(self) -> list[str]:
        """Ways the area is written in task text (泽州县 / 泽州)."""
        if not self.county:
            return []
        short = [s for s, full in admin.SHORT_NAMES.items() if full == self.county]
        return [self.county, *short]


def class_rank(klass: str | None) -> int | None:
    return CLASSES.index(klass) if klass in CLASSES else None


def compliance_state(measured: str, target: str, status: str = "") -> str:
    """met / not_met / no_data / dry / no_target for one section and period."""
    if status in ("dry", "not_monitored", "断流", "未监测", "断流/未监测"):
        return "dry"
    if not measured:
        return "no_data"
    if not target:
        return "no_target"
    return "met" if class_rank(measured) <= class_rank(target) else "not_met"  # type: ignore[operator]


def _in_area(frame: pd.DataFrame, area: Area, county_col: str = "county", city_col: str | None = "city") -> pd.DataFrame:
    if area.county:
        return frame[frame[county_col] == area.county]
    if area.city:
        if city_col and city_col in frame.columns:
            return frame[frame[city_col] == area.city]
        return frame[frame[county_col].isin(admin.CITY_COUNTIES.get(area.city, ()))]
    return frame


def targets_for_year(targets: pd.DataFrame, year: int) -> pd.DataFrame:
    """One target per section for ``year`` (the annex row wins over a body restatement)."""
    t = targets[(targets["kind"] == "target") & (targets["year"].astype(str) == str(year))].copy()
    if t.empty:
        return t.assign(target_source="")
    t["target_source"] = t["source_file"].astype(str) + " 第 " + t["source_line"].astype(str) + " 行"
    t["_annex"] = t["target_text"].astype(str).str.len() < 12  # "II类"/"完成省定目标" vs a body sentence
    t = t.sort_values(["section_id", "_annex"], ascending=[True, False]).drop_duplicates("section_id")
    return t[["section_id", "target_class", "target_text", "target_source"]]


def sections_view(
    sections: pd.DataFrame,
    targets: pd.DataFrame,
    evaluations: pd.DataFrame | None,
    *,
    year: int,
    area: Area = Area(),
    month: int | None = None,
) -> pd.DataFrame:
    """Sections of ``area`` with the target of ``year`` and the measured class of the period.

    ``evaluations`` has section_id, year, month (None/"" for the year), class, status,
    main_pollutants, is_sample; the year's row is used unless ``month`` is given.
    """
    frame = _in_area(sections, area).merge(
        targets_for_year(targets, year), how="left", left_on="id", right_on="section_id"
    )
    frame = frame.drop(columns=["section_id"]).fillna({"target_class": "", "target_text": "", "target_source": ""})
    measured = pd.DataFrame(columns=["section_id", "class", "status", "main_pollutants", "exceedance", "is_sample"])
    if evaluations is not None and not evaluations.empty:
        e = evaluations[evaluations["year"].astype(str) == str(year)]
        month_col = e["month"].astype(str).replace({"nan": "", "None": "", "<NA>": ""})
        e = e[month_col == (str(month) if month else "")]
        measured = e.reindex(columns=["section_id", "class", "status", "main_pollutants", "exceedance", "is_sample"])
    frame = frame.merge(measured, how="left", left_on="id", right_on="section_id").drop(columns=["section_id"])
    frame = frame.rename(columns={"class": "measured_class"})
    frame = frame.fillna({"measured_class": "", "status": "", "main_pollutants": "", "exceedance": "", "is_sample": 0})
    frame["compliance"] = [
        compliance_state(m, t, s) for m, t, s in zip(frame["measured_class"], frame["target_class"], frame["status"], strict=True)
    ]
    return frame.reset_index(drop=True)


def tasks_view(tasks: pd.DataFrame, updates: pd.DataFrame, *, as_of: dt.date, area: Area = Area()) -> pd.DataFrame:
    """Tasks concerning ``area`` with their status as of ``as_of``."""
    frame = tasks
    if area.county:
        names = area.names()
        text = (frame["places"].astype(str) + "|" + frame["responsible_units"].astype(str) + "|" + frame["content"].astype(str))
        mentioned = text.apply(lambda t: any(n in t for n in names))
        frame = frame[(frame["jurisdiction"] == area.county) | mentioned]
    elif area.city:
        frame = frame[frame["jurisdiction"].isin(area.jurisdictions())]
    return with_status(frame, updates, as_of).reset_index(drop=True)


def enterprises_view(
    enterprises: pd.DataFrame, tasks_with_status: pd.DataFrame, updates: pd.DataFrame, *, as_of: dt.date, area: Area = Area()
) -> pd.DataFrame:
    """Enterprises with the status of their required action (already done / in progress / overdue / not reported)."""
    frame = enterprises
    if area.county:
        frame = frame[frame["county"] == area.county]
    elif area.city:
        docs = tasks_with_status.loc[tasks_with_status["jurisdiction"].isin(area.jurisdictions()), "id"]
        frame = frame[frame["county"].isin(admin.CITY_COUNTIES.get(area.city, ())) | frame["task_id"].isin(set(docs))]
    frame = frame.copy()
    shadow = pd.DataFrame(
        {"id": frame["id"], "deadline": frame["deadline"], "long_term": 0}
    )
    # an enterprise's progress is reported on its task (task_updates keyed by task id) or on itself
    linked = updates.copy()
    if not linked.empty:
        task_to_enterprises = frame.groupby("task_id")["id"].apply(list).to_dict()
        extra = [
            {**row, "task_id": eid}
            for row in updates.to_dict("records")
            for eid in task_to_enterprises.get(row["task_id"], [])
        ]
        linked = pd.concat([updates, pd.DataFrame(extra)], ignore_index=True) if extra else updates
    status = with_status(shadow, linked, as_of)
    frame["status"] = status["status"].to_numpy()
    frame["status_label"] = status["status_label"].to_numpy()
    frame["days_overdue"] = status["days_overdue"].to_numpy()
    return frame.reset_index(drop=True)


@dataclass(frozen=True)
class Headline:
    sections_evaluated: int
    good_share: float | None  # 断面优良（Ⅰ–Ⅲ类）比例
    worst_count: int  # 劣Ⅴ类断面数
    met: int
    with_target: int
    overdue_tasks: int
    enterprise_done_share: float | None
    enterprises_due: int
    sample: bool


def headline(sections: pd.DataFrame, tasks: pd.DataFrame, enterprises: pd.DataFrame) -> Headline:
    """The figures leaders read in official releases, for one area, year and date."""
    evaluated = sections[sections["measured_class"] != ""]
    good = evaluated["measured_class"].isin(GOOD_CLASSES).sum()
    assessed = sections[(sections["target_class"] != "") & (sections["measured_class"] != "")]
    due = enterprises[enterprises["status"].isin([DONE, OVERDUE])]
    return Headline(
        sections_evaluated=len(evaluated),
        good_share=(good / len(evaluated)) if len(evaluated) else None,
        worst_count=int((evaluated["measured_class"] == "劣Ⅴ").sum()),
        met=int((assessed["compliance"] == "met").sum()),
        with_target=len(assessed),
        overdue_tasks=int((tasks["status"] == OVERDUE).sum()),
        enterprise_done_share=((due["status"] == DONE).sum() / len(due)) if len(due) else None,
        enterprises_due=len(due),
        sample=bool(pd.to_numeric(sections.get("is_sample", pd.Series(dtype=int)), errors="coerce").fillna(0).astype(int).any()),
    )


def overdue_by_unit(tasks: pd.DataFrame) -> pd.DataFrame:
    """Overdue tasks counted per responsible unit (a task with two units counts for both)."""
    overdue = tasks[tasks["status"] == OVERDUE]
    units = overdue["responsible_units"].astype(str).str.split("；").explode()
    units = units[units.str.len() > 0]
    counts = units.value_counts().rename_axis("responsible_unit").reset_index(name="overdue")
    return counts


def county_summary(sections: pd.DataFrame, tasks: pd.DataFrame, enterprises: pd.DataFrame) -> pd.DataFrame:
    """Per county: sections, evaluated, good share, 劣Ⅴ, met/with target, overdue tasks, enterprises."""
    rows = []
    for county in sorted({c for c in sections["county"] if c} | {c for c in enterprises["county"] if c}):
        s = sections[sections["county"] == county]
        ev = s[s["measured_class"] != ""]
        assessed = s[(s["target_class"] != "") & (s["measured_class"] != "")]
        e = enterprises[enterprises["county"] == county]
        t = tasks[tasks["jurisdiction"] == county]
        rows.append(
            {
                "county": county,
                "sections": len(s),
                "evaluated": len(ev),
                "good_share": round(ev["measured_class"].isin(GOOD_CLASSES).mean() * 100, 1) if len(ev) else None,
                "worst": int((ev["measured_class"] == "劣Ⅴ").sum()),
                "met": int((assessed["compliance"] == "met").sum()),
                "with_target": len(assessed),
                "overdue_tasks": int((t["status"] == OVERDUE).sum()),
                "enterprises": len(e),
                "enterprises_overdue": int((e["status"] == OVERDUE).sum()),
            }
        )
    return pd.DataFrame(rows)
