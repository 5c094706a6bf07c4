"""The water-quality index CWQI and the ranking by it, per 《城市地表水环境质量排名技术规定（试行）》.

(环境保护部办公厅 环办监测〔2017〕51号.) For each of the 21 items of GB 3838-2002 表1 that are
evaluated (not 水温, 总氮, 粪大肠菌群), with C the period mean and S the Ⅲ class limit (the 湖、库
limit of 总磷 for lakes and reservoirs):

    CWQI(i)  = C(i) / S(i)
    CWQI(DO) = S(DO) / C(DO)
    CWQI(pH) = (7.0 − pH) / (7.0 − pH_sd)   for pH ≤ 7, pH_sd = 6
             = (pH − 7.0) / (pH_su − 7.0)   for pH > 7, pH_su = 9

A section's CWQI is the sum over its items; a result below the detection limit counts as half
the limit. A river's (湖库's) CWQI is the mean over its sections (points); an area's is
(CWQI_河流 × m + CWQI_湖库 × n) / (m + n) with m river sections and n lake points. Areas are
ranked from the smallest CWQI (the best water) up; equal indices share a rank. The change
ΔCWQI = (CWQI − CWQI_基准) / CWQI_基准 × 100% ranks improvement (the most negative first).
Indices are rounded to four decimals as published.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from geodata.quality.limits import SURFACE, Limit
from geodata.quality.values import Measurement, round_half_even

ITEMS: tuple[Limit, ...] = tuple(row for row in SURFACE if row.evaluated)
PH_SD, PH_SU = 6.0, 9.0
SOURCE = "《城市地表水环境质量排名技术规定（试行）》（环办监测〔2017〕51号）"


def item_index(row: Limit, value: Measurement | float, waterbody: str = "river") -> float:
    """CWQI of one item (not rounded)."""
    if isinstance(value, Measurement):
        number = value.value / 2 if value.below_detection else value.value
    else:
        number = float(value)
    if row.code == "pH":
        return (7.0 - number) / (7.0 - PH_SD) if number <= 7.0 else (number - 7.0) / (PH_SU - 7.0)
    limit = row.limits_for(waterbody)[2]
    if row.code == "DO":
        return limit / number if number > 0 else float("inf")
    return number / limit


def section_cwqi(values: Mapping[str, Measurement | float], waterbody: str = "river") -> tuple[float | None, list[str]]:
    """(CWQI of a section, the items it rests on); None without any of the 21 items."""
    used = []
    total = 0.0
    for row in ITEMS:
        if row.code in values and values[row.code] is not None:
            total += item_index(row, values[row.code], waterbody)
            used.append(row.code)
    return (round_half_even(total, 4) if used else None), used


def area_cwqi(river: list[float], lake: list[float]) -> float | None:
    """(CWQI_河流 × m + CWQI_湖库 × n) / (m + n) from the sections' indices."""
    m, n = len(river), len(lake)
    if not m and not n:
        return None
    river_index = sum(river) / m if m else 0.0
    lake_index = sum(lake) / n if n else 0.0
    return round_half_even((river_index * m + lake_index * n) / (m + n), 4)


def ranking(classes: pd.DataFrame, by: str = "county", baseline: pd.DataFrame | None = None) -> pd.DataFrame:
    """Areas ranked by CWQI from a :func:`~geodata.quality.evaluations.section_classes` frame.

    ``classes`` needs ``values`` (item means), ``basis`` and the area column ``by`` (join the
    sections' county first). With ``baseline`` (the same frame for the base period) ΔCWQI and its
    rank are added. Columns: ``by``, ``cwqi``, ``river_cwqi``, ``lake_cwqi``, ``sections``,
    ``rank``, ``delta_cwqi`` (%), ``delta_rank``, ``uses_samples``.
    """
    def per_area(frame: pd.DataFrame) -> dict[str, dict[str, object]]:
        out: dict[str, dict[str, object]] = {}
        for area, group in frame.groupby(by):
            if not str(area).strip():
                continue
            river, lake = [], []
            for values, basis in zip(group["values"], group["basis"], strict=True):
                waterbody = "lake" if str(basis).startswith("湖库") else "river"
                index, _used = section_cwqi(values or {}, waterbody)
                if index is not None:
                    (lake if waterbody == "lake" else river).append(index)
            total = area_cwqi(river, lake)
            if total is None:
                continue
            out[str(area)] = {
                by: area, "cwqi": total,
                "river_cwqi": round_half_even(sum(river) / len(river), 4) if river else None,
                "lake_cwqi": round_half_even(sum(lake) / len(lake), 4) if lake else None,
                "sections": len(river) + len(lake),
                "uses_samples": int(pd.to_numeric(group["is_sample"]).astype(int).any()),
            }
        return out

    current = per_area(classes)
    frame = pd.DataFrame(list(current.values()), columns=[by, "cwqi", "river_cwqi", "lake_cwqi", "sections",
                                                          "uses_samples"])
    frame["rank"] = frame["cwqi"].rank(method="min").astype("Int64") if len(frame) else pd.Series(dtype="Int64")
    if baseline is not None:
        base = per_area(baseline)
        frame["delta_cwqi"] = [
            round_half_even((r["cwqi"] - base[str(r[by])]["cwqi"]) / base[str(r[by])]["cwqi"] * 100, 2)
            if str(r[by]) in base and base[str(r[by])]["cwqi"] else None for r in frame.to_dict("records")
        ]
        frame["delta_rank"] = pd.to_numeric(frame["delta_cwqi"]).rank(method="min").astype("Int64")
    return frame.sort_values(["rank", by]).reset_index(drop=True)


def county_ranking(store, period, section_ids=None, baseline=None) -> pd.DataFrame:  # noqa: ANN001
    """Counties ranked by CWQI for ``period`` (a :class:`~geodata.quality.evaluations.Period`).

    ``section_ids`` limits the sections (e.g. the 国考 sections of a city); ``baseline`` is the
    base period for ΔCWQI (e.g. ``period.previous_year()``).
    """
    from geodata.quality.evaluations import SectionEvaluator, section_classes

    evaluator = SectionEvaluator(store)  # both periods from one reading of the measurements
    classes = section_classes(store, period, section_ids, evaluator=evaluator)
    base = section_classes(store, baseline, section_ids, evaluator=evaluator) if baseline is not None else None
    return ranking(classes, "county", base)
