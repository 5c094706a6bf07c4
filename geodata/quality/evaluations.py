"""Classes computed from the stored measurements: per section (or groundwater point) and month or year.

Never typed in: every class here is recomputed from the values by the GB 3838 / GB/T 14848
rules (period class from period means). Sample values are flagged so every view can label them.
"""

from __future__ import annotations

import pandas as pd

from geodata.quality.groundwater import evaluate_groundwater
from geodata.quality.limits import item
from geodata.quality.surface import evaluate_period
from geodata.quality.values import Measurement

SAMPLE_NOTE = "示例数据（非实测）"
COLUMNS = ["section_id", "year", "month", "class", "status", "target_class", "compliant", "main_pollutants",
           "exceedance", "n_samples", "is_sample", "data_note"]


def _name(code: str, standard: str = "surface") -> str:
    try:
        return item(code, standard).name
    except KeyError:
        return code


def _waterbody(name: str, river: str) -> str:
    return "lake" if any(w in f"{name}{river}" for w in ("水库", "湖")) else "river"


def _targets(store) -> dict[tuple[str, int], str]:  # noqa: ANN001
    t = store.read_table("section_targets")
    t = t[(t["kind"] == "target") & (t["target_class"] != "")]
    return {(r.section_id, int(r.year)): r.target_class for r in t.itertuples()}


def section_evaluations(store, period: str = "month") -> pd.DataFrame:  # noqa: ANN001 - Store
    """One row per section and month (``period="month"``, also the year rows) or year."""
    m = store.read_measurements(site_type="section")
    if m.empty:
        return pd.DataFrame(columns=COLUMNS)
    sections = store.read_table("sections").set_index("id")
    targets = _targets(store)
    m["year"] = m["date"].str[:4].astype(int)
    m["month"] = m["date"].str[5:7].astype(int)
    rows = []
    keys = ["site_id", "year", "month"] if period == "month" else ["site_id", "year"]
    groupings = [keys] if period == "year" else [keys, ["site_id", "year"]]
    for grouping in groupings:
        for key, frame in m.groupby(grouping):
            sid, year = key[0], int(key[1])
            month = int(key[2]) if len(grouping) == 3 else ""
            info = sections.loc[sid] if sid in sections.index else None
            waterbody = _waterbody(str(info["name"]), str(info["river"])) if info is not None else "river"
            samples = []
            statuses = set(frame.loc[frame["item"] == "status", "status"])
            for _, sample in frame[frame["item"] != "status"].groupby("date"):
                samples.append({r.item: Measurement(float(r.value), bool(r.below_detection)) for r in sample.itertuples()})
            status = "ok" if samples else (next(iter(statuses)) if statuses else "not_monitored")
            target = targets.get((sid, year))
            result = evaluate_period(samples, waterbody, target, status)
            is_sample = int(frame["is_sample"].astype(int).any())
            rows.append({
                "section_id": sid, "year": year, "month": month, "class": result.klass or "", "status": result.status,
                "target_class": target or "", "compliant": "" if result.compliant is None else int(result.compliant),
                "main_pollutants": "；".join(_name(code) for code in result.main_pollutants),
                "exceedance": "；".join(f"{k}:{v}" for k, v in sorted(result.exceedance.items())),
                "n_samples": len(samples), "is_sample": is_sample, "data_note": SAMPLE_NOTE if is_sample else "",
            })
    return pd.DataFrame(rows, columns=COLUMNS)


def groundwater_evaluations(store, period: str = "year") -> pd.DataFrame:  # noqa: ANN001 - Store
    """One row per groundwater point and year: the worst single-indicator class and what decides it."""
    m = store.read_measurements(site_type="groundwater")
    columns = ["point_id", "year", "class", "deciding", "is_sample", "data_note"]
    if m.empty:
        return pd.DataFrame(columns=columns)
    m["year"] = m["date"].str[:4].astype(int)
    rows = []
    for (pid, year), frame in m[m["item"] != "status"].groupby(["site_id", "year"]):
        means = frame.groupby("item")["value"].mean()
        result = evaluate_groundwater({k: float(v) for k, v in means.items()})
        is_sample = int(frame["is_sample"].astype(int).any())
        rows.append({"point_id": pid, "year": int(year), "class": result.klass or "", "deciding": "；".join(_name(c, "groundwater") for c in result.deciding),
                     "is_sample": is_sample, "data_note": SAMPLE_NOTE if is_sample else ""})
    return pd.DataFrame(rows, columns=columns)
