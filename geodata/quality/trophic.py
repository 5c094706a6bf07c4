"""Trophic state of lakes and reservoirs: the comprehensive trophic level index TLI(Σ).

《湖泊（水库）富营养化评价方法及分级技术规定》(中国环境监测总站, 2001; annex of
《地表水环境质量评价办法（试行）》环办〔2011〕22号):

    TLI(Σ) = Σ W_j · TLI(j),   W_j = r_ij² / Σ r_ij²   (chla as the reference parameter)

with the correlations of Chinese lakes r_ij: chla 1, TP 0.84, TN 0.82, SD −0.83, CODMn 0.83, and

    TLI(chla)  = 10 (2.5   + 1.086 ln chla)     chla in mg/m³
    TLI(TP)    = 10 (9.436 + 1.624 ln TP)       mg/L
    TLI(TN)    = 10 (5.453 + 1.694 ln TN)       mg/L
    TLI(SD)    = 10 (5.118 − 1.94  ln SD)       m
    TLI(CODMn) = 10 (0.109 + 2.661 ln CODMn)    mg/L

Grades: TLI < 30 贫营养; 30 ≤ TLI ≤ 50 中营养; TLI > 50 富营养, of which 50 < TLI ≤ 60 轻度,
60 < TLI ≤ 70 中度, TLI > 70 重度富营养. The index is computed only when all five parameters
are present, as the rule defines it for five; the result is rounded to one decimal as reports
publish it. 叶绿素a is stored as the platform publishes it (mg/L) and converted (×1000).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from geodata.quality.values import Measurement, round_half_even

R = {"Chla": 1.0, "TP": 0.84, "TN": 0.82, "SD": -0.83, "CODMn": 0.83}
_SUM_R2 = sum(r * r for r in R.values())
WEIGHTS = {code: r * r / _SUM_R2 for code, r in R.items()}
PARAMETERS = tuple(R)
_FORMULAS = {
    "Chla": (2.5, 1.086),
    "TP": (9.436, 1.624),
    "TN": (5.453, 1.694),
    "SD": (5.118, -1.94),
    "CODMn": (0.109, 2.661),
}
GRADES = (
    (30.0, "贫营养"), (50.0, "中营养"), (60.0, "轻度富营养"), (70.0, "中度富营养"), (math.inf, "重度富营养"),
)


def _number(value: object) -> float | None:
    if isinstance(value, Measurement):
        value = value.value / 2 if value.below_detection else value.value
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if number > 0 and math.isfinite(number) else None


def parameter_index(code: str, value: float) -> float:
    """TLI(j) of one parameter (``Chla`` in mg/m³, ``SD`` in m, the others in mg/L)."""
    a, b = _FORMULAS[code]
    return 10 * (a + b * math.log(value))


def tli(values: Mapping[str, object], chla_unit: str = "mg/L") -> float | None:
    """TLI(Σ) of one lake sample or period mean, rounded to 0.1; None unless all five exist.

    ``values`` maps ``Chla``, ``TP``, ``TN``, ``SD``, ``CODMn`` to numbers or Measurements
    (undetected results count as half their limit). ``chla_unit`` is the unit of ``Chla``:
    "mg/L" as the national platform publishes it, or "mg/m3".
    """
    numbers = {code: _number(values.get(code)) for code in PARAMETERS}
    if any(v is None for v in numbers.values()):
        return None
    chla = numbers["Chla"] * (1000.0 if chla_unit == "mg/L" else 1.0)  # type: ignore[operator]
    numbers["Chla"] = chla
    total = sum(WEIGHTS[code] * parameter_index(code, numbers[code]) for code in PARAMETERS)  # type: ignore[arg-type]
    return round_half_even(total, 1)


def grade(index: float | None) -> str:
    """贫营养 / 中营养 / 轻度富营养 / 中度富营养 / 重度富营养, or "" without an index."""
    if index is None:
        return ""
    if index < 30:
        return "贫营养"
    for bound, label in GRADES[1:]:
        if index <= bound:
            return label
    return "重度富营养"  # pragma: no cover - math.inf bounds the loop
