"""Groundwater evaluation by GB/T 14848-2017.

§9.1 单指标评价: each indicator is of the class whose limit range holds its value; where limits of
two classes are equal, the better class (“从优不从劣”). §9.2 综合评价: the worst single-indicator
class, naming the indicators of that class (“决定类别的指标”). Values are compared as reported
(no rounding, GB/T 8170-2008 全数值比较法). Ⅴ is “above the Ⅳ limit”; there is no 劣Ⅴ.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from geodata.errors import EnvmapError
from geodata.quality.limits import GROUNDWATER, Limit, lookup
from geodata.quality.surface import STATUSES, class_index, worst
from geodata.quality.values import Measurement, as_measurement, classify, rounded


@dataclass(frozen=True)
class GroundwaterResult:
    klass: str | None
    item_classes: dict[str, str] = field(default_factory=dict)
    deciding: list[str] = field(default_factory=list)  # 决定类别的指标 (codes, table order)
    status: str = "ok"
    values: dict[str, Measurement] = field(default_factory=dict)


def resolve(values: Mapping[str, object]) -> dict[Limit, object]:
    resolved: dict[Limit, object] = {}
    for name, value in values.items():
        row = lookup(name, "groundwater")
        if row is None:
            raise EnvmapError(
                f"监测指标“{name}”不是 GB/T 14848-2017 表1 的常规指标。请使用标准中的指标名称，如 总硬度、硝酸盐。"
            )
        if row in resolved:
            raise EnvmapError(f"监测指标“{row.name}”出现了两次（“{name}”）。每个指标只能有一个值。")
        resolved[row] = value
    return resolved


def evaluate_groundwater(values: Mapping[str, object], status: str = "ok") -> GroundwaterResult:
    """Classify one groundwater sample; ``values`` maps indicator (code/name/alias) → value."""
    if status not in STATUSES:
        raise EnvmapError(f"监测状态“{status}”无法识别。请用 ok、dry 或 not_monitored（未监测）。")
    if status != "ok":
        return GroundwaterResult(None, status=status)
    measured: dict[Limit, Measurement] = {}
    for row, value in resolve(values).items():
        measurement = as_measurement(value, row)
        if measurement is not None:
            measured[row] = rounded(measurement, row)
    item_classes: dict[str, str] = {}
    for row in GROUNDWATER:
        if row in measured:
            klass = classify(row, measured[row])
            if klass is not None:
                item_classes[row.code] = klass
    klass = worst(item_classes.values())
    deciding = [code for code, c in item_classes.items() if klass and class_index(c) == class_index(klass)]
    return GroundwaterResult(klass, item_classes, deciding, "ok", {row.code: m for row, m in measured.items()})


def indicator_class(name: str, value: object) -> str | None:
    """The GB/T 14848 class of one indicator's value; None for an empty value."""
    ((row, raw),) = resolve({name: value}).items()
    measurement = as_measurement(raw, row)
    return None if measurement is None else classify(row, rounded(measurement, row))
