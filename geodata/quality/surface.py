"""Surface-water evaluation: GB 3838-2002 classes by 《地表水环境质量评价办法（试行）》.

* Item class: the value, rounded to the item's decimals (see :mod:`geodata.quality.limits`:
  评价数据 decimals for a manual result or a period mean, 小时数据 decimals for one
  automatic-station reading), is of the best class whose limit it meets; a value equal to a
  limit is of that (better) class.
  pH outside 6～9 is 劣Ⅴ; 溶解氧 is classed by ≥ limits.
* Section class: the worst item class among the 21 evaluated items (single-factor method).
  总氮 (lakes and reservoirs only) and 粪大肠菌群 are classed but reported separately
  (``separate``); 水温 is not classed.
* Exceedance multiple: (C − C_Ⅲ) / C_Ⅲ, rounded to 2 decimals, for items worse than Ⅲ (not
  pH、溶解氧、水温; not for results below the detection limit). ``exceedance_vs_target`` is the same
  against the target class's limit, for items worse than the target.
* Main pollutants (section worse than Ⅲ): the items worse than Ⅲ, cyanide and heavy metals
  first, then by worst class, then by exceedance multiple (largest first); the first three.
  This is the 办法's rule (“先按照不同指标对应水质类别的优劣…类别相同时…按超标倍数大小排列…
  氰化物或铅、铬等重金属超标时，优先作为主要污染指标”).
* Period class: the arithmetic mean of each item over the period's samples, then classed.
* A section that is dry (断流), frozen, out of service or not monitored has no class.
* Waterbody: ``river``, ``lake`` or ``reservoir``; lakes and reservoirs are evaluated with the
  湖、库 limits of 总磷 and report 总氮 separately (:mod:`geodata.quality.waterbody`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal

from geodata.errors import EnvmapError
from geodata.model import CLASSES
from geodata.quality.limits import LAKE_BASES, SURFACE, Limit, lookup
from geodata.quality.values import (
    STATUS_LABELS,
    Measurement,
    ValueProblem,
    as_measurement,
    classify,
    mean,
    rounded,
)
from geodata.quality.waterbody import WATERBODIES

STATUSES = tuple(STATUS_LABELS)
MAX_MAIN_POLLUTANTS = 3


@dataclass(frozen=True)
class SurfaceResult:
    """The evaluation of one sample or one period of a section."""

    klass: str | None
    item_classes: dict[str, str] = field(default_factory=dict)
    exceedance: dict[str, float] = field(default_factory=dict)
    exceedance_vs_target: dict[str, float] = field(default_factory=dict)
    main_pollutants: list[str] = field(default_factory=list)
    status: str = "ok"
    separate: dict[str, str] = field(default_factory=dict)  # 总氮（湖库）、粪大肠菌群
    values: dict[str, Measurement] = field(default_factory=dict)  # rounded values used
    target_class: str | None = None

    @property
    def compliant(self) -> bool | None:
        return compliance(self.klass, self.target_class) if self.target_class else None


def class_index(klass: str) -> int:
    if klass not in CLASSES:
        raise EnvmapError(f"水质类别“{klass}”无法识别。请写作 {'、'.join(CLASSES)} 之一。")
    return CLASSES.index(klass)


def compliance(klass: str | None, target_class: str) -> bool | None:
    """True when ``klass`` is no worse than ``target_class``; None when there is no class."""
    if klass is None:
        return None
    return class_index(klass) <= class_index(target_class)


def worst(classes: Iterable[str]) -> str | None:
    found = [class_index(c) for c in classes]
    return CLASSES[max(found)] if found else None


def exceedance_multiple(value: float, limit: float) -> float:
    """(C − C_limit) / C_limit, rounded to 2 decimals (四舍六入五成双)."""
    ratio = (Decimal(repr(value)) - Decimal(repr(limit))) / Decimal(repr(limit))
    return float(ratio.quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN))


def _check_options(waterbody: str, status: str, target_class: str | None) -> None:
    if waterbody not in WATERBODIES:
        raise EnvmapError(f"水体类型“{waterbody}”无法识别。请用 river（河流）、lake（湖泊）或 reservoir（水库）。")
    if status not in STATUSES:
        raise EnvmapError(f"监测状态“{status}”无法识别。请用 {'、'.join(STATUSES)}。")
    if target_class is not None:
        class_index(target_class)


def resolve(values: Mapping[str, object]) -> dict[Limit, object]:
    """Key the values by their table row (keys may be codes, Chinese names or aliases)."""
    resolved: dict[Limit, object] = {}
    for name, value in values.items():
        row = lookup(name, "surface")
        if row is None:
            raise EnvmapError(f"监测项目“{name}”不是 GB 3838-2002 表1 的项目。请使用标准中的项目名称，如 氨氮、总磷。")
        if row in resolved:
            raise EnvmapError(f"监测项目“{row.name}”出现了两次（“{name}”）。每个项目只能有一个值。")
        resolved[row] = value
    return resolved


def evaluate_sample(
    values: Mapping[str, object],
    waterbody: str = "river",
    target_class: str | None = None,
    status: str = "ok",
    precision: str = "evaluation",
) -> SurfaceResult:
    """Evaluate one sample (or one set of period means): ``values`` maps item → value.

    Values may be numbers, strings as in a report (``"0.01L"``, ``"<0.01"``) or
    :class:`~geodata.quality.values.Measurement`; raises ValueProblem for unusable values.
    ``precision`` is "evaluation" (manual results, period means) or "hourly" (one
    automatic-station reading), see :func:`~geodata.quality.values.rounded`.
    """
    _check_options(waterbody, status, target_class)
    if status != "ok":
        return SurfaceResult(None, status=status, target_class=target_class)
    measured: dict[Limit, Measurement] = {}
    for row, value in resolve(values).items():
        measurement = as_measurement(value, row)
        if measurement is not None:
            measured[row] = rounded(measurement, row, precision)
    return _evaluate(measured, waterbody, target_class)


def _evaluate(measured: dict[Limit, Measurement], waterbody: str, target_class: str | None) -> SurfaceResult:
    item_classes: dict[str, str] = {}
    separate: dict[str, str] = {}
    exceedance: dict[str, float] = {}
    vs_target: dict[str, float] = {}
    target = class_index(target_class) if target_class else None
    for row in SURFACE:
        measurement = measured.get(row)
        if measurement is None:
            continue
        klass = classify(row, measurement, waterbody)
        if klass is None or (row.lake_only and waterbody not in LAKE_BASES):
            continue
        if not row.evaluated:
            separate[row.code] = klass
            continue
        item_classes[row.code] = klass
        if not row.exceedance or measurement.below_detection:
            continue
        limits = row.limits_for(waterbody)
        index = class_index(klass)
        if index > 2:
            exceedance[row.code] = exceedance_multiple(measurement.value, limits[2])
        if target is not None and target < len(limits) and index > target:
            vs_target[row.code] = exceedance_multiple(measurement.value, limits[target])
    klass = worst(item_classes.values())
    main = _main_pollutants(item_classes, exceedance, measured) if klass and class_index(klass) > 2 else []
    return SurfaceResult(
        klass, item_classes, exceedance, vs_target, main, "ok", separate,
        {row.code: m for row, m in measured.items()}, target_class,
    )


def _main_pollutants(item_classes: dict[str, str], exceedance: dict[str, float],
                     measured: dict[Limit, Measurement]) -> list[str]:
    rows = {row.code: row for row in measured}
    order = [row.code for row in SURFACE]
    candidates = [
        code for code, klass in item_classes.items()
        if class_index(klass) > 2 and not measured[rows[code]].below_detection
    ]
    candidates.sort(key=lambda code: (
        not rows[code].priority,
        -class_index(item_classes[code]),
        -exceedance.get(code, float("-inf")),
        order.index(code),
    ))
    return candidates[:MAX_MAIN_POLLUTANTS]


def item_class(name: str, value: object, waterbody: str = "river") -> str | None:
    """The class of one item's value (rounded first); None for 水温 or an empty value."""
    _check_options(waterbody, "ok", None)
    ((row, raw),) = resolve({name: value}).items()
    measurement = as_measurement(raw, row)
    return None if measurement is None else classify(row, rounded(measurement, row), waterbody)


def period_means(samples: Iterable[Mapping[str, object]]) -> dict[str, Measurement]:
    """Mean of each item over ``samples`` by the 2020 rules (item code → mean, not yet rounded).

    Undetected results count as half the detection limit; pH is averaged through H⁺.
    """
    collected: dict[Limit, list[Measurement]] = {}
    for sample in samples:
        for row, value in resolve(sample).items():
            measurement = as_measurement(value, row)
            if measurement is not None:
                collected.setdefault(row, []).append(measurement)
    means = {row.code: mean(found, row) for row, found in collected.items()}
    return {code: m for code, m in means.items() if m is not None}


def evaluate_period(
    samples: Iterable[Mapping[str, object]],
    waterbody: str = "river",
    target_class: str | None = None,
    status: str = "ok",
) -> SurfaceResult:
    """Evaluate a period (month, quarter, year) from its samples' item means.

    Leave dry or unmonitored samples out; with no samples at all the result is “未监测”.
    """
    samples = list(samples)
    if status == "ok" and not samples:
        status = "not_monitored"
    if status != "ok":
        return evaluate_sample({}, waterbody, target_class, status)
    return evaluate_sample(period_means(samples), waterbody, target_class)


__all__ = [
    "SurfaceResult", "ValueProblem", "compliance", "evaluate_period", "evaluate_sample",
    "exceedance_multiple", "item_class", "period_means", "worst",
]
