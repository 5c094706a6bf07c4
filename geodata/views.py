"""What the dashboard shows, computed from the store's tables: one function per view, already filtered.

The dashboard never joins tables itself; it asks for a view of an area (a city, a county, or
everything), a year and an as-of date, and draws what it gets. Records are attributed to areas
by :mod:`geodata.areas`, so a headline and the per-county table under it count the same rows:
:func:`county_summary` is :func:`headline` applied to each county's share of the rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from geodata.areas import (
    CITY_LEVEL,
    EVERYWHERE,
    Area,
    attribute_sites,
    attribute_tasks,
    city_of,
    in_area,
    unit_jurisdiction,
    unit_label,
)
from geodata.model import CLASSES, LIST_SEP
from geodata.status import DONE, LATE, OVERDUE_UNREPORTED, with_status
from geodata.supervision import APPLIED, CLOSED

GOOD_CLASSES = ("Ⅰ", "Ⅱ", "Ⅲ")
__all__ = ["Area", "Headline", "available_years", "bulletin", "county_summary", "enterprises_view", "headline",
           "late_owners", "sections_view", "tasks_view"]


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


def _year(value: object) -> int | None:
    try:
        return int(float(str(value)))
    except ValueError:
        return None


def available_years(targets: pd.DataFrame, plans: pd.DataFrame, measurement_years: list[int] | None = None) -> list[int]:
    """The years the data speak of: target years, plan periods, years with measurements."""
    years: set[int] = set()
    for value in targets.get("year", []):
        if (y := _year(value)) is not None:
            years.add(y)
    for start, end in zip(plans.get("period_start", []), plans.get("period_end", []), strict=True):
        a, b = _year(start), _year(end)
        if a is not None:
            years.update(range(a, (b if b is not None and b >= a else a) + 1))
    years.update(measurement_years or [])
    return sorted(y for y in years if 1990 <= y <= 2100)


def targets_for_year(targets: pd.DataFrame, year: int) -> pd.DataFrame:
    """One target per section for ``year`` (the annex row wins over a body restatement)."""
    return one_target_per_section(targets[(targets["kind"] == "target") & (targets["year"].astype(str) == str(year))])


TARGET_VIEW_COLUMNS = ["section_id", "target_class", "target_text", "target_document", "target_line", "target_file"]


def one_target_per_section(rows: pd.DataFrame) -> pd.DataFrame:
    """One of ``rows`` (target rows of one year per section) per section: the annex row wins over a body
    restatement; sorted by section."""
    if rows.empty:
        return pd.DataFrame(columns=TARGET_VIEW_COLUMNS)
    t = rows.copy()
    t["target_document"] = t["document_id"].astype(str)
    t["target_line"] = t["source_line"].astype(str)
    t["target_file"] = t["source_file"].astype(str)
    t["_annex"] = t["target_text"].astype(str).str.len() < 12  # "II类"/"完成省定目标" vs a body sentence
    t = t.sort_values(["section_id", "_annex"], ascending=[True, False]).drop_duplicates("section_id")
    return t[TARGET_VIEW_COLUMNS]


MEASURED_COLUMNS = ["class", "status", "main_pollutants", "exceedance", "is_sample", "n_samples", "n_months",
                    "n_sample_months", "waterbody"]
_EVALUATION_NAMES = {"months": "n_months", "sample_months_ignored": "n_sample_months"}


def sections_view(
    sections: pd.DataFrame,
    targets: pd.DataFrame,
    evaluations: pd.DataFrame | None,
    *,
    year: int,
    area: Area = EVERYWHERE,
    month: int | None = None,
    documents: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Sections of ``area`` with the target of ``year`` and the measured class of the period.

    ``evaluations`` has section_id, year, month ("" for the year), class, status,
    main_pollutants, exceedance, is_sample (and, where known, n_samples/n_months/waterbody);
    the year's row is used unless ``month`` is given. Columns are always present, so a year
    without targets or data gives empty cells, never a missing column.
    """
    frame = in_area(attribute_sites(sections, documents), area)
    frame = frame.merge(targets_for_year(targets, year), how="left", left_on="id", right_on="section_id")
    frame = frame.drop(columns=["section_id"])
    measured = pd.DataFrame(columns=["section_id", *MEASURED_COLUMNS])
    if evaluations is not None and not evaluations.empty:
        e = evaluations[evaluations["section_id"].isin(frame["id"])]  # the area's rows first: fewer to test
        e = e[e["year"].astype(str) == str(year)]
        month_col = e["month"].astype(str).replace({"nan": "", "None": "", "<NA>": ""})
        month_col = month_col.map(lambda v: str(int(float(v))) if v else "")
        e = e[month_col == (str(month) if month else "")]
        # geodata.quality.evaluations names the months a class rests on ``months`` / ``sample_months_ignored``
        e = e.rename(columns={k: v for k, v in _EVALUATION_NAMES.items() if k in e.columns and v not in e.columns})
        measured = e.reindex(columns=["section_id", *MEASURED_COLUMNS])
    # the evaluation's waterbody is the type the class was computed with; the section's own
    # ``waterbody`` column (its registered type) stays as it is
    measured = measured.rename(columns={"class": "measured_class", "waterbody": "evaluated_as"})
    frame = frame.merge(measured, how="left", left_on="id", right_on="section_id").drop(columns=["section_id"])
    text_cols = ["target_class", "target_text", "target_document", "target_line", "target_file", "measured_class",
                 "status", "main_pollutants", "exceedance", "evaluated_as"]
    for col in text_cols:
        frame[col] = frame[col].astype(object).where(frame[col].notna(), "").astype(str)
    for col in ("is_sample", "n_samples", "n_months", "n_sample_months"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce").fillna(0).astype(int)
    frame["compliance"] = [
        compliance_state(m, t, s) for m, t, s in zip(frame["measured_class"], frame["target_class"], frame["status"], strict=True)
    ]
    return frame.reset_index(drop=True)


def _plan_years(plans: pd.DataFrame | None) -> dict[tuple[str, str], tuple[int | None, int | None]]:
    if plans is None or plans.empty:
        return {}
    return {(str(d), str(t)): (_year(a), _year(b)) for d, t, a, b in
            zip(plans["document_id"], plans["title"], plans["period_start"], plans["period_end"], strict=True)}


def tasks_in_year(tasks: pd.DataFrame, plans: pd.DataFrame | None, year: int | None) -> pd.DataFrame:
    """Tasks of the plans whose period covers ``year`` (tasks of a plan without a period always count)."""
    if year is None or tasks.empty:
        return tasks
    periods = _plan_years(plans)

    def covers(doc: str, plan: str) -> bool:
        start, end = periods.get((doc, plan), (None, None))
        if start is None:
            return True
        return start <= year <= (end if end is not None else start)

    keep = [covers(str(d), str(p)) for d, p in zip(tasks["document_id"], tasks["plan"], strict=True)]
    return tasks[keep]


def tasks_view(
    tasks: pd.DataFrame,
    updates: pd.DataFrame,
    *,
    as_of: dt.date,
    area: Area = EVERYWHERE,
    year: int | None = None,
    plans: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Tasks attributed to ``area`` (of the plans covering ``year``) with their status as of ``as_of``."""
    frame = tasks_in_year(in_area(attribute_tasks(tasks), area), plans, year)  # the area's rows first: fewer to test
    return with_status(frame, updates, as_of).reset_index(drop=True)


def enterprises_view(
    enterprises: pd.DataFrame,
    updates: pd.DataFrame,
    *,
    as_of: dt.date,
    area: Area = EVERYWHERE,
    documents: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Enterprises of ``area`` with the status of their required action as of ``as_of``.

    Progress on an enterprise is reported on its own record or on the task it comes from.
    """
    frame = in_area(attribute_sites(enterprises, documents), area).copy()
    if frame.empty:
        return frame.assign(status=pd.Series(dtype=str), days_overdue=pd.Series(dtype=int), days_left=pd.Series(dtype=int))
    shadow = pd.DataFrame({"id": frame["id"], "deadline": frame["deadline"], "long_term": 0})
    status = with_status(shadow, _reports_of_records(frame, updates), as_of)
    for col in ("status", "days_overdue", "days_left"):
        frame[col] = status[col].to_numpy()
    return frame.reset_index(drop=True)


# -- the figures ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Headline:
    """The figures leaders read, each with the denominator it is a share of."""

    sections: int  # 考核断面 in view
    evaluated: int  # with a measured class in the period
    good: int  # Ⅰ–Ⅲ among evaluated
    worst: int  # 劣Ⅴ among evaluated
    with_target: int  # with a target class for the year
    assessed: int  # with a target class and a measured class
    met: int  # assessed and no worse than the target
    sample_sections: int  # evaluated sections whose class rests on sample values
    tasks: int
    late: int  # 逾期 + 逾期未报告
    late_unreported: int  # of which nothing was ever reported
    due_soon: int
    done: int
    supervised: int  # under 督办 (not closed)
    pending_close: int  # 申请销号 awaiting verification
    enterprises: int
    enterprises_due: int  # actions done or past their deadline
    enterprises_done: int
    enterprises_late: int

    @property
    def good_share(self) -> float | None:
        return self.good / self.evaluated if self.evaluated else None

    @property
    def worst_share(self) -> float | None:
        return self.worst / self.evaluated if self.evaluated else None

    @property
    def enterprise_done_share(self) -> float | None:
        return self.enterprises_done / self.enterprises_due if self.enterprises_due else None

    @property
    def sample(self) -> bool:
        return self.sample_sections > 0


COUNT_FIELDS = ("sections", "evaluated", "good", "worst", "with_target", "assessed", "met", "sample_sections", "tasks",
                "late", "late_unreported", "due_soon", "done", "supervised", "pending_close", "enterprises", "enterprises_due",
                "enterprises_done", "enterprises_late")


def headline(sections: pd.DataFrame, tasks: pd.DataFrame | None = None, enterprises: pd.DataFrame | None = None) -> Headline:
    """The figures of one area, year and as-of date (views as returned above; tasks/enterprises optional)."""
    tasks = tasks if tasks is not None else pd.DataFrame(columns=["status"])
    enterprises = enterprises if enterprises is not None else pd.DataFrame(columns=["status"])
    measured = sections["measured_class"] if len(sections) else pd.Series(dtype=str)
    evaluated = sections[measured != ""] if len(sections) else sections
    has_target = (sections["target_class"] != "") if len(sections) else pd.Series(dtype=bool)
    assessed = evaluated[evaluated["target_class"] != ""] if len(evaluated) else evaluated
    task_status = tasks["status"] if len(tasks) else pd.Series(dtype=str)
    ent_status = enterprises["status"] if len(enterprises) else pd.Series(dtype=str)
    return Headline(
        sections=len(sections),
        evaluated=len(evaluated),
        good=int(evaluated["measured_class"].isin(GOOD_CLASSES).sum()) if len(evaluated) else 0,
        worst=int((evaluated["measured_class"] == "劣Ⅴ").sum()) if len(evaluated) else 0,
        with_target=int(has_target.sum()),
        assessed=len(assessed),
        met=int((assessed["compliance"] == "met").sum()) if len(assessed) else 0,
        sample_sections=int((evaluated["is_sample"].astype(int) > 0).sum()) if len(evaluated) else 0,
        tasks=len(tasks),
        late=int(task_status.isin(LATE).sum()),
        late_unreported=int((task_status == OVERDUE_UNREPORTED).sum()),
        due_soon=int((task_status == "due_soon").sum()),
        done=int(task_status.isin(DONE).sum()),
        supervised=int(tasks["supervised"].astype(bool).sum()) if len(tasks) and "supervised" in tasks else 0,
        pending_close=int((tasks["workflow"] == APPLIED).sum()) if len(tasks) and "workflow" in tasks else 0,
        enterprises=len(enterprises),
        enterprises_due=int(ent_status.isin((*DONE, *LATE)).sum()),
        enterprises_done=int(ent_status.isin(DONE).sum()),
        enterprises_late=int(ent_status.isin(LATE).sum()),
    )


def _group(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    return frame[frame["area_county"] == key] if len(frame) else frame


def _flags(frame: pd.DataFrame, columns: dict[str, pd.Series]) -> pd.DataFrame:
    out = pd.DataFrame({name: values.astype(int).to_numpy() for name, values in columns.items()}, index=frame.index)
    out["city"] = frame["area_city"].astype(str).to_numpy()
    out["county"] = frame["area_county"].astype(str).to_numpy()
    return out


def county_summary(sections: pd.DataFrame, tasks: pd.DataFrame, enterprises: pd.DataFrame) -> pd.DataFrame:
    """One row per county of the rows given (plus a city-level row ``county`` == ""): headline counts each.

    The rows partition the input, so every count column sums to :func:`headline` of the whole (each
    count is the same test as in :func:`headline`, applied per row and summed per county).
    """
    parts = []
    if len(sections):
        measured = sections["measured_class"].astype(str)
        evaluated = measured != ""
        target = sections["target_class"].astype(str) != ""
        parts.append(_flags(sections, {
            "sections": pd.Series(True, index=sections.index), "evaluated": evaluated,
            "good": evaluated & measured.isin(GOOD_CLASSES), "worst": evaluated & (measured == "劣Ⅴ"),
            "with_target": target, "assessed": evaluated & target,
            "met": evaluated & target & (sections["compliance"] == "met"),
            "sample_sections": evaluated & (pd.to_numeric(sections["is_sample"], errors="coerce").fillna(0).astype(int) > 0),
        }))
    if len(tasks):
        status = tasks["status"]
        parts.append(_flags(tasks, {
            "tasks": pd.Series(True, index=tasks.index), "late": status.isin(LATE),
            "late_unreported": status == OVERDUE_UNREPORTED, "due_soon": status == "due_soon", "done": status.isin(DONE),
            "supervised": (tasks["supervised"].astype(bool) if "supervised" in tasks
                           else pd.Series(False, index=tasks.index)),
            "pending_close": (tasks["workflow"] == APPLIED) if "workflow" in tasks else pd.Series(False, index=tasks.index),
        }))
    if len(enterprises):
        status = enterprises["status"]
        parts.append(_flags(enterprises, {
            "enterprises": pd.Series(True, index=enterprises.index), "enterprises_due": status.isin((*DONE, *LATE)),
            "enterprises_done": status.isin(DONE), "enterprises_late": status.isin(LATE),
        }))
    columns = ["city", "county", *COUNT_FIELDS]
    if not parts:
        return pd.DataFrame(columns=columns)
    rows = pd.concat(parts, ignore_index=True).reindex(columns=columns).fillna(0)
    summary = rows.groupby(["city", "county"], as_index=False, sort=False)[list(COUNT_FIELDS)].sum()
    summary[list(COUNT_FIELDS)] = summary[list(COUNT_FIELDS)].astype(int)
    order = sorted(range(len(summary)), key=lambda i: (summary["city"].iloc[i], summary["county"].iloc[i] == CITY_LEVEL,
                                                       summary["county"].iloc[i]))
    return summary.iloc[order].reset_index(drop=True)[columns]


def late_owners(tasks: pd.DataFrame, area: Area = EVERYWHERE) -> tuple[pd.DataFrame, int]:
    """Late tasks per responsible unit of ``area``, and how many units of other jurisdictions were left out.

    A unit is its name plus its jurisdiction (晋城's and 运城's 市生态环境局 are two units); a task
    with several units counts for each. Columns: unit, jurisdiction, late, late_unreported.
    """
    columns = ["unit", "jurisdiction", "late", "late_unreported"]
    late = tasks[tasks["status"].isin(LATE)] if len(tasks) else tasks
    counts: dict[tuple[str, str], list[int]] = {}
    outside: set[tuple[str, str]] = set()
    for units, jurisdiction, status in zip(late.get("responsible_units", []), late.get("jurisdiction", []),
                                           late.get("status", []), strict=True):
        for unit in dict.fromkeys(u.strip() for u in str(units or "").split(LIST_SEP) if u.strip()):
            owner = unit_jurisdiction(unit, str(jurisdiction))
            key = (unit, owner)
            if not _owner_in_area(owner, area):
                outside.add(key)
                continue
            entry = counts.setdefault(key, [0, 0])
            entry[0] += 1
            entry[1] += int(status == OVERDUE_UNREPORTED)
    rows = [{"unit": unit_label(u, j), "jurisdiction": j, "late": n, "late_unreported": m}
            for (u, j), (n, m) in counts.items()]
    frame = pd.DataFrame(rows, columns=columns)
    frame = frame.groupby(["unit", "jurisdiction"], as_index=False)[["late", "late_unreported"]].sum()
    frame = frame.sort_values(["late", "unit"], ascending=[False, True]).reset_index(drop=True)
    return frame, len(outside)


BULLETIN_COUNTS = ("tasks", "late", "late_unreported", "unreported_in_period", "supervised", "pending_close", "closed")


def bulletin(tasks: pd.DataFrame, as_of: dt.date, *, days: int = 7, area: Area = EVERYWHERE) -> pd.DataFrame:
    """The 周通报 (or 日调度 with ``days=1``): responsible units ranked by overdue and unreported tasks.

    ``tasks`` is a :func:`tasks_view` (status and workflow as of ``as_of``). A task counts for
    each unit it was assigned to (交办), else for each unit its plan names; units are one name
    whoever writes them (``晋城市生态环境局`` = "市生态环境局" in 晋城's plan). Per unit: tasks,
    ``late`` (逾期 + 逾期未报告), ``late_unreported``, ``unreported_in_period`` (open tasks —
    long-term ones included — without a report in the ``days`` days up to ``as_of``),
    ``supervised`` (督办), ``pending_close`` (申请销号 awaiting verification), ``closed``.
    Ranked by late, then late_unreported, then unreported_in_period (most first); ``rank`` 1 is
    the unit a leader calls first.
    """
    from geodata.areas import account_unit_key, unit_key, unit_name

    columns = ["rank", "unit", "jurisdiction", *BULLETIN_COUNTS]
    if tasks is None or tasks.empty:
        return pd.DataFrame(columns=columns)
    start = (as_of - dt.timedelta(days=days - 1)).isoformat()
    counts: dict[tuple[str, str], dict[str, int]] = {}
    assigned = _assigned_units(tasks)
    for row in tasks.to_dict("records"):
        jurisdiction = str(row.get("jurisdiction") or "")
        units = assigned.get(str(row["id"]))
        if units:
            keys = [k for k in (account_unit_key(u, jurisdiction) for u in units) if k is not None]
        else:
            keys = [unit_key(u.strip(), jurisdiction) for u in str(row.get("responsible_units") or "").split(LIST_SEP)
                    if u.strip()]
        status, workflow = str(row.get("status")), str(row.get("workflow") or "")
        open_task = workflow != CLOSED
        quiet = open_task and workflow != APPLIED and str(row.get("last_report") or "") < start
        for key in dict.fromkeys(keys):
            if not _owner_in_area(key[0], area):
                continue
            entry = counts.setdefault(key, dict.fromkeys(BULLETIN_COUNTS, 0))
            entry["tasks"] += 1
            entry["late"] += int(status in LATE)
            entry["late_unreported"] += int(status == OVERDUE_UNREPORTED)
            entry["unreported_in_period"] += int(quiet)
            entry["supervised"] += int(bool(row.get("supervised")))
            entry["pending_close"] += int(workflow == APPLIED)
            entry["closed"] += int(workflow == CLOSED)
    rows = [{"unit": unit_name(key), "jurisdiction": key[0], **values} for key, values in counts.items()]
    frame = pd.DataFrame(rows, columns=columns[1:])
    frame = frame.sort_values(["late", "late_unreported", "unreported_in_period", "unit"],
                              ascending=[False, False, False, True], kind="stable").reset_index(drop=True)
    frame.insert(0, "rank", range(1, len(frame) + 1))
    return frame


def _assigned_units(tasks: pd.DataFrame) -> dict[str, list[str]]:
    if "assigned_units" not in tasks:
        return {}
    return {str(i): [u for u in str(v or "").split(LIST_SEP) if u] for i, v in zip(tasks["id"], tasks["assigned_units"],
                                                                                    strict=True) if v}


def _owner_in_area(owner: str, area: Area) -> bool:
    if area.county:
        return owner == area.county
    if area.city:
        return owner == area.city or city_of(owner) == area.city
    return True


def areas_of(documents: pd.DataFrame, pairs: set[tuple[str, str]]) -> dict[str, list[str]]:
    """city → county-level units to offer, following the data: the cities the documents and records
    concern; a city's own plan brings all its counties, a county plan its county, and any other county
    a record is attributed to comes too."""
    from geodata import admin

    jurisdictions = [str(j) for j in documents.get("jurisdiction", []) if str(j)]
    choices = admin.area_choices(jurisdictions)
    wanted = {city_of(j) or str(p) for j, p in zip(documents.get("jurisdiction", []), documents.get("parent", []),
                                                      strict=True)} | {c for c, _ in pairs}
    out: dict[str, list[str]] = {}
    for city, counties in choices.items():
        if city in wanted:
            out[city] = [c for c in counties if c]
    for city, county in sorted(pairs):
        if city and city not in out:
            out[city] = []
        if city and county and county not in out[city]:
            out[city].append(county)
    return out


def plan_name(title: str) -> str:
    """A document title as a reader names the plan: "…办公室关于印发X的通知" → "X"."""
    import re

    name = re.sub(r"^.*?关于印发", "", str(title or "").strip())
    name = re.sub(r"的通知$", "", name)
    return name.strip("《》") or str(title or "")


GROUNDWATER_CLASSES = ("Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ")  # GB/T 14848 has no 劣Ⅴ


def groundwater_compliance(measured: str, target: str) -> str:
    """met / not_met / no_data / no_target of one groundwater point (GB/T 14848 classes)."""
    if not measured or measured not in GROUNDWATER_CLASSES:
        return "no_data"
    if not target or target not in GROUNDWATER_CLASSES:
        return "no_target"
    return "met" if GROUNDWATER_CLASSES.index(measured) <= GROUNDWATER_CLASSES.index(target) else "not_met"


def groundwater_view(
    points: pd.DataFrame,
    evaluations: pd.DataFrame | None,
    *,
    year: int,
    area: Area = EVERYWHERE,
    documents: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Groundwater points of ``area`` with the class of ``year`` (``measured_class``, ``deciding``,
    ``is_sample``, ``n_months``) and ``compliance`` against the point's target class."""
    frame = in_area(attribute_sites(points, documents), area).copy()
    year_rows = pd.DataFrame(columns=["point_id", "class", "deciding", "is_sample", "n_months"])
    if evaluations is not None and len(evaluations):
        month = evaluations["month"].astype(str).replace({"nan": "", "None": "", "<NA>": ""})
        e = evaluations[(evaluations["year"].astype(str) == str(year)) & (month == "")]
        year_rows = e.drop_duplicates("point_id").reindex(columns=["point_id", "class", "deciding", "is_sample", "n_months"])
    frame = frame.merge(year_rows, how="left", left_on="id", right_on="point_id").drop(columns=["point_id"])
    frame = frame.rename(columns={"class": "measured_class"})
    for col in ("measured_class", "deciding"):
        frame[col] = frame[col].astype(object).where(frame[col].notna(), "").astype(str)
    for col in ("is_sample", "n_months"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce").fillna(0).astype(int)
    frame["compliance"] = [groundwater_compliance(m, str(tc)) for m, tc in
                           zip(frame["measured_class"], frame["target_class"], strict=True)]
    return frame.reset_index(drop=True)


def with_citywide(frame: pd.DataFrame, area: Area) -> pd.DataFrame:
    """The attributed rows of ``area``; in a county, its city's city-wide rows (attributed to no county)
    too — requirements that apply to every county — flagged ``citywide``."""
    if frame.empty:
        return frame.assign(citywide=pd.Series(dtype=bool))
    citywide = frame["area_county"] == CITY_LEVEL
    if area.county:
        keep = (frame["area_county"] == area.county) | (citywide & (frame["area_city"] == area.city))
    elif area.city:
        keep = frame["area_city"] == area.city
    else:
        keep = pd.Series(True, index=frame.index)
    return frame[keep].assign(citywide=citywide[keep]).reset_index(drop=True)


def _reports_of_records(frame: pd.DataFrame, updates: pd.DataFrame) -> pd.DataFrame:
    """Progress reports that speak of ``frame``'s records: reported on a record itself, or on the task
    it comes from (``task_id``), re-keyed to the record's id."""
    if updates.empty or frame.empty:
        return updates
    by_task = frame.groupby("task_id")["id"].apply(list).to_dict()
    extra = [{**row, "task_id": rid} for row in updates.to_dict("records") for rid in by_task.get(row["task_id"], [])]
    return pd.concat([updates, pd.DataFrame(extra, columns=updates.columns)], ignore_index=True) if extra else updates


def sources_view(sources: pd.DataFrame, *, area: Area = EVERYWHERE, documents: pd.DataFrame | None = None) -> pd.DataFrame:
    """Drinking-water sources of ``area`` (with the city-wide ones in a county: :func:`with_citywide`)."""
    return with_citywide(attribute_sites(sources, documents), area)


def zones_view(commitments: pd.DataFrame, updates: pd.DataFrame, *, as_of: dt.date, area: Area = EVERYWHERE) -> pd.DataFrame:
    """No-coal-zone commitments of ``area`` with their status; in a county, the city's own city-wide
    commitments (attributed to no county) are listed too, flagged ``citywide``.

    Progress on a commitment is reported on the task it comes from.
    """
    frame = with_citywide(attribute_tasks(commitments), area)
    if frame.empty:
        return frame.assign(status=pd.Series(dtype=str), days_overdue=pd.Series(dtype=int), days_left=pd.Series(dtype=int))
    status = with_status(frame[["id", "deadline", "long_term"]], _reports_of_records(frame, updates), as_of)
    for col in ("status", "days_overdue", "days_left"):
        frame[col] = status[col].to_numpy()
    return frame
