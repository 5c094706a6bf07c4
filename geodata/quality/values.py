"""Measured values: parsing, detection limits, units and rounding.

Results below the detection limit
---------------------------------
HJ/T 91-2002 reports a result below the method's detection limit as the detection limit
followed by “L” (``0.01L``); files also write ``<0.01``, ``＜0.01``, ``ND(0.01)`` or
``未检出(0.01)``. Such a result becomes ``Measurement(value=<detection limit>,
below_detection=True)`` and is shown as “未检出”.

* **Classing one result**: the true value is somewhere at or below the detection limit, so the
  result is classed *by the detection limit itself*: it is of the best class whose limit is ≥ the
  detection limit. Normally the limit of Ⅰ; when a method's detection limit lies above a class
  limit (e.g. 汞 0.00004 is fine, but a 0.0001L result cannot be shown to meet Ⅰ's 0.00005)
  the class is the best one the detection limit still meets — never better than can be shown.
  The detection limit is not rounded. No exceedance multiple is computed for such a result and it
  is never a main pollutant (nothing was detected).
* **Period means**: 《地表水环境质量监测数据统计技术规定（试行）》(环办监测函〔2020〕82号) 第七点:
  a result below the detection limit takes part in means as half the detection limit. When
  *every* result of the period is below the detection limit the mean is itself “未检出” at the
  largest detection limit.
* A result below the detection limit is refused for items with a lower limit or a range (溶解氧,
  pH): it cannot be classed.

Units: μg/L and mg/L convert into each other (×0.001 / ×1000); 个/L, MPN/L and CFU/L are the
same count. Any other difference from the standard's unit is refused rather than guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from geodata.errors import EnvmapError
from geodata.model import CLASSES
from geodata.quality.limits import Limit


class ValueProblem(EnvmapError):
    """A measured value that cannot be used; the message (Chinese) says why and what to write."""


@dataclass(frozen=True)
class Measurement:
    """A measured value in the standard's unit; ``value`` is the detection limit when not detected."""

    value: float
    below_detection: bool = False

    @property
    def display(self) -> str:
        return f"未检出（检出限 {_plain(self.value)}）" if self.below_detection else _plain(self.value)

    def __str__(self) -> str:
        return f"{_plain(self.value)}L" if self.below_detection else _plain(self.value)


def _plain(value: float) -> str:
    text = format(Decimal(repr(value)).normalize(), "f")
    return text


# Units, normalised.
_UNIT_FORMS = {
    "mg/L": ("mg/l", "毫克/升", "mg/dm3"),
    "μg/L": ("μg/l", "µg/l", "ug/l", "微克/升"),
    "无量纲": ("无量纲", "无", "-", "ph", "ph单位"),
    "℃": ("℃", "°c", "摄氏度"),
    "个/L": ("个/l", "mpn/l", "cfu/l"),
    "MPN/100mL": ("mpn/100ml", "cfu/100ml", "个/100ml"),
    "CFU/mL": ("cfu/ml", "个/ml"),
    "NTU": ("ntu",),
    "铂钴色度单位": ("铂钴色度单位", "度(铂钴)", "pt-co", "铂钴"),
}
_UNITS = {form: unit for unit, forms in _UNIT_FORMS.items() for form in forms}
_FACTORS = {("μg/L", "mg/L"): Decimal("0.001"), ("mg/L", "μg/L"): Decimal("1000")}


def normalize_unit(unit: str) -> str | None:
    """The canonical spelling of ``unit``, or None when it is not a unit this module knows."""
    key = unit.strip().replace(" ", "").replace("（", "(").replace("）", ")").lower()
    return _UNITS.get(key)


def is_unit(text: str) -> bool:
    return normalize_unit(text) is not None


def convert(value: float, from_unit: str, to_unit: str, item_name: str = "") -> float:
    """``value`` in ``from_unit`` expressed in ``to_unit``; ValueProblem when not convertible."""
    source, target = normalize_unit(from_unit), normalize_unit(to_unit)
    if source is None:
        raise ValueProblem(f"{item_name}的单位“{from_unit}”无法识别。请使用 {to_unit}（或 mg/L、μg/L）。")
    if source == target:
        return value
    factor = _FACTORS.get((source, target or ""))
    if factor is None:
        raise ValueProblem(
            f"{item_name}的单位“{from_unit}”与标准单位“{to_unit}”不一致，且无法换算。请换算为 {to_unit} 后再导入。"
        )
    return float(Decimal(repr(value)) * factor)


_NUMBER = r"((?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?)"
_BELOW = (
    re.compile(rf"^{_NUMBER}\s*[Ll]$"),
    re.compile(rf"^[<＜]\s*{_NUMBER}$"),
    re.compile(rf"^(?:ND|nd|未检出)\s*[(（]\s*{_NUMBER}\s*[)）]$"),
)
_PLAIN = re.compile(rf"^[+]?{_NUMBER}$")
_NEGATIVE = re.compile(rf"^[-－−]\s*{_NUMBER}\s*[Ll]?$")
MISSING = ("", "-", "—", "——", "－", "/", "／", "nan", "NaN", "NA", "N/A")
STATUS_WORDS = {"断流": "dry", "干涸": "dry", "未监测": "not_monitored", "未采样": "not_monitored"}


def parse_value(text: object, limit: Limit | None = None, unit: str = "") -> Measurement | None:
    """Parse one measured value into the unit of ``limit``'s standard; None for an empty cell.

    Raises :class:`ValueProblem` for a negative or non-numeric value, an impossible pH, an
    undetected pH/溶解氧, or a unit that cannot be converted.
    """
    if text is None or (isinstance(text, float) and text != text):
        return None
    if isinstance(text, int | float):
        raw = repr(float(text))
    else:
        raw = str(text).strip().replace("，", ".").replace("．", ".")
    if raw in MISSING:
        return None
    name = f"{limit.name}" if limit else "监测值"
    below = False
    number: str | None = None
    for pattern in _BELOW:
        match = pattern.match(raw)
        if match:
            number, below = match.group(1), True
            break
    if number is None:
        match = _PLAIN.match(raw)
        if match:
            number = match.group(1)
        elif _NEGATIVE.match(raw):
            raise ValueProblem(f"{name}的值“{raw}”为负数。浓度不能为负，请核对原始记录。")
        elif raw.upper() in ("ND", "未检出", "L"):
            raise ValueProblem(f"{name}写作“{raw}”但未给出检出限。请写成“检出限L”，如 0.01L。")
        else:
            raise ValueProblem(
                f"{name}的值“{raw}”不是数字。请填写数字；低于检出限时写“检出限L”（如 0.01L）或“<0.01”。"
            )
    try:
        value = float(Decimal(number))
    except InvalidOperation:  # pragma: no cover - the patterns admit only decimals
        raise ValueProblem(f"{name}的值“{raw}”不是数字。") from None
    if limit is not None:
        if unit:
            value = convert(value, unit, limit.unit, name)
        if limit.direction == "range" and not 0 <= value <= 14:
            raise ValueProblem(f"{name}的值“{raw}”不可能：pH 只能在 0～14 之间。请核对原始记录。")
        if below and limit.direction in ("ge", "range"):
            raise ValueProblem(f"{name}不应有低于检出限的结果（“{raw}”）。请填写实测值。")
    return Measurement(value, below)


def as_measurement(value: object, limit: Limit) -> Measurement | None:
    """``value`` as a Measurement: Measurements pass through, numbers and strings are parsed."""
    if isinstance(value, Measurement):
        if limit.direction == "range" and not 0 <= value.value <= 14:
            raise ValueProblem(f"{limit.name}的值“{value}”不可能：pH 只能在 0～14 之间。")
        if value.value < 0:
            raise ValueProblem(f"{limit.name}的值“{value}”为负数。浓度不能为负，请核对原始记录。")
        return value
    return parse_value(value, limit)


def round_half_even(value: float, decimals: int) -> float:
    """GB/T 8170-2008 数值修约（四舍六入五成双） of ``value`` to ``decimals`` places."""
    quantum = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_EVEN))


def rounded(measurement: Measurement, limit: Limit) -> Measurement:
    """The value used for classing: rounded to the item's decimals; detection limits stay as given."""
    if measurement.below_detection or limit.decimals is None:
        return measurement
    return replace(measurement, value=round_half_even(measurement.value, limit.decimals))


def mean(measurements: list[Measurement]) -> Measurement | None:
    """Arithmetic mean of a period's results (undetected ones count as half the detection limit)."""
    if not measurements:
        return None
    if all(m.below_detection for m in measurements):
        return Measurement(max(m.value for m in measurements), True)
    total = sum(Decimal(repr(m.value / 2 if m.below_detection else m.value)) for m in measurements)
    return Measurement(float(total / len(measurements)))


def classify(limit: Limit, measurement: Measurement, waterbody: str = "river") -> str | None:
    """The class of one (already rounded) result: the best class whose limit it meets.

    A result below the detection limit is classed by the detection limit (see the module doc);
    a “不得检出” limit (``None``) is met only by such a result. None for items without limits.
    """
    if limit.direction == "none":
        return None
    limits = limit.limits_for(waterbody)
    value = measurement.value
    for klass, bound in zip(CLASSES, limits, strict=False):
        if bound is None:
            ok = measurement.below_detection
        elif limit.direction == "le":
            ok = value <= bound
        elif limit.direction == "ge":
            ok = value >= bound
        else:
            low, high = bound
            ok = low <= value <= high
        if ok:
            return klass
    return CLASSES[len(limits)]
