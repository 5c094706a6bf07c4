"""Classes computed from the stored measurements: per section (or groundwater point) and month or year.

Never typed in: every class here is recomputed from the stored values by the GB 3838 /
GB/T 14848 rules — a period's class from the period means of its samples (a sample = one
site and date; undetected results count as half the detection limit). Sections whose name
or river contains 水库 or 湖 are evaluated as lakes (总磷 lake limits). Compliance is against
the section's target of *that* year (``section_targets``, kind ``target``). Rows that use
any sample value carry ``is_sample = 1`` and ``data_note`` “示例数据（非实测）”.

A pure function of the store content (cache on ``store.data_version()``).
"""

from __future__ import annotations

from collections import defaultdict

import pandas as pd

from geodata.model import CLASSES, LIST_SEP
from geodata.quality.groundwater import evaluate_groundwater
from geodata.quality.limits import item
from geodata.quality.surface import compliance, evaluate_period
from geodata.quality.values import Measurement, mean

SAMPLE_NOTE = "示例数据（非实测）"
COLUMNS = ["section_id", "section_name", "year", "month", "period", "waterbody", "class", "status", "target_class",
           "compliant", "main_pollutants", "exceedance", "exceedance_vs_target", "n_samples", "is_sample", "data_note"]
GROUNDWATER_COLUMNS = ["point_id", "point_name", "year", "month", "period", "class", "deciding", "target_class",
                       "compliant", "n_samples", "is_sample", "data_note"]
PERIODS = ("month", "year")


def _name(code: str, standard: str = "surface") -> str:
    try:
        return item(code, standard).name
    except KeyError:
        return code


def _waterbody(name: object, river: object) -> str:
    return "lake" if any(w in f"{name}{river}" for w in ("水库", "湖")) else "river"


def _targets(store) -> dict[tuple[str, int], str]:  # noqa: ANN001
    t = store.read_table("section_targets")
    t = t[(t["kind"] == "target") & (t["target_class"] != "")]
    return {(str(r.section_id), int(float(r.year))): str(r.target_class) for r in t.itertuples()}


def _multiples(values: dict[str, float], standard: str = "surface") -> str:
    return LIST_SEP.join(f"{code}:{v}" for code, v in sorted(values.items()))


def _check_period(period: str) -> None:
    if period not in PERIODS:
        from geodata.errors import EnvmapError

        raise EnvmapError(f"评价时段“{period}”无法识别。请用 month（逐月，另附全年）或 year（全年）。")


def _collect(m: pd.DataFrame) -> tuple[dict, dict, dict]:
    """(site, date) → {item: Measurement}; (site, date) → status; (site, date) → is_sample."""
    samples: dict[tuple[str, str], dict[str, Measurement]] = defaultdict(dict)
    statuses: dict[tuple[str, str], str] = {}
    flagged: dict[tuple[str, str], int] = defaultdict(int)
    for sid, date, code, value, below, status, is_sample in zip(
        m["site_id"], m["date"], m["item"], m["value"], m["below_detection"], m["status"], m["is_sample"], strict=True
    ):
        key = (str(sid), str(date))
        flagged[key] |= int(is_sample)
        if code == "status":
            statuses[key] = str(status)
        elif value is not None and value == value:
            samples[key][str(code)] = Measurement(float(value), bool(int(below)))
    return samples, statuses, flagged


def _groups(keys: set[tuple[str, str]], period: str) -> dict[tuple[str, int, object], list[tuple[str, str]]]:
    """Period key (site, year, month or "") → the (site, date) samples in it; month mode adds the year rows."""
    groups: dict[tuple[str, int, object], list[tuple[str, str]]] = defaultdict(list)
    for sid, date in sorted(keys):
        year, month = int(date[:4]), int(date[5:7])
        if period == "month":
            groups[(sid, year, month)].append((sid, date))
        groups[(sid, year, "")].append((sid, date))
    return groups


def section_evaluations(store, period: str = "month") -> pd.DataFrame:  # noqa: ANN001 - Store
    """One row per section and month plus one per section and year (``period="month"``), or per year only.

    Year rows have ``month`` "" and ``period`` "2023"; month rows ``period`` "2023-05".
    ``compliant`` is 1/0 against the target of that year ("" without a target or data);
    ``exceedance`` / ``exceedance_vs_target`` are "code:multiple" pairs joined by "；"
    (multiples over the Ⅲ limit / over the target class's limit).
    """
    _check_period(period)
    m = store.read_measurements(site_type="section")
    if m.empty:
        return pd.DataFrame(columns=COLUMNS)
    sections = store.read_table("sections")
    info = {str(r.id): (str(r.name), _waterbody(r.name, r.river)) for r in sections.itertuples()}
    targets = _targets(store)
    samples, statuses, flagged = _collect(m)
    rows = []
    for (sid, year, month), members in _groups(set(samples) | set(statuses), period).items():
        name, waterbody = info.get(sid, (sid, "river"))
        values = [samples[k] for k in members if samples.get(k)]
        status = "ok" if values else next((statuses[k] for k in members if k in statuses), "not_monitored")
        target = targets.get((sid, year))
        result = evaluate_period(values, waterbody, target, status)
        is_sample = int(any(flagged[k] for k in members))
        rows.append({
            "section_id": sid, "section_name": name, "year": year, "month": month,
            "period": f"{year}-{month:02d}" if month != "" else str(year), "waterbody": waterbody,
            "class": result.klass or "", "status": result.status, "target_class": target or "",
            "compliant": "" if result.compliant is None else int(result.compliant),
            "main_pollutants": LIST_SEP.join(_name(code) for code in result.main_pollutants),
            "exceedance": _multiples(result.exceedance), "exceedance_vs_target": _multiples(result.exceedance_vs_target),
            "n_samples": len(values), "is_sample": is_sample, "data_note": SAMPLE_NOTE if is_sample else "",
        })
    frame = pd.DataFrame(rows, columns=COLUMNS)
    order = frame["month"].map(lambda v: 0 if v == "" else int(v))
    return frame.assign(_o=order).sort_values(["section_id", "year", "_o"]).drop(columns="_o").reset_index(drop=True)


def groundwater_evaluations(store, period: str = "year") -> pd.DataFrame:  # noqa: ANN001 - Store
    """One row per groundwater point and year (``period="year"``), or per month plus the year rows.

    GB/T 14848 §9: each indicator's period mean is classed; the point's class is the worst,
    ``deciding`` names the indicators of that class. ``compliant`` compares with the point's
    target class (``groundwater_points.target_class``).
    """
    _check_period(period)
    m = store.read_measurements(site_type="groundwater")
    if m.empty:
        return pd.DataFrame(columns=GROUNDWATER_COLUMNS)
    points = store.read_table("groundwater_points")
    info = {str(r.id): (str(r.name), str(r.target_class or "")) for r in points.itertuples()}
    samples, statuses, flagged = _collect(m)
    rows = []
    for (pid, year, month), members in _groups(set(samples) | set(statuses), period).items():
        name, target = info.get(pid, (pid, ""))
        by_item: dict[str, list[Measurement]] = defaultdict(list)
        for key in members:
            for code, measurement in samples.get(key, {}).items():
                by_item[code].append(measurement)
        means = {code: mean(values) for code, values in by_item.items()}
        status = "ok" if means else next((statuses[k] for k in members if k in statuses), "not_monitored")
        result = evaluate_groundwater(means if status == "ok" else {}, status)
        ok = result.klass is not None and target in CLASSES
        is_sample = int(any(flagged[k] for k in members))
        rows.append({
            "point_id": pid, "point_name": name, "year": year, "month": month,
            "period": f"{year}-{month:02d}" if month != "" else str(year), "class": result.klass or "",
            "deciding": LIST_SEP.join(_name(c, "groundwater") for c in result.deciding), "target_class": target,
            "compliant": int(bool(compliance(result.klass, target))) if ok else "",
            "n_samples": sum(1 for k in members if samples.get(k)), "is_sample": is_sample,
            "data_note": SAMPLE_NOTE if is_sample else "",
        })
    frame = pd.DataFrame(rows, columns=GROUNDWATER_COLUMNS)
    if period == "year":
        frame = frame[frame["month"] == ""]
    order = frame["month"].map(lambda v: 0 if v == "" else int(v))
    return frame.assign(_o=order).sort_values(["point_id", "year", "_o"]).drop(columns="_o").reset_index(drop=True)
