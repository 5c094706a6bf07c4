"""Measured values: what a cell may say, detection limits, units, ranges, rounding and means.

What a cell may say (:data:`CELL_FORMS`; the README lists them)
----------------------------------------------------------------
* a number: ``0.5``, ``.03``, ``5E-05``, ``10,000`` (thousands separators), full-width digits;
* **missing** (缺测, no value, nothing is refused): blank, ``--``, ``-``, ``—``, ``——``, ``/``,
  ``*`` (the national platform's “not measured at this station”), ``NA``, ``N/A``, ``#N/A``;
* **below the detection limit** (低于检出限): ``0.01L`` (HJ/T 91-2002), ``<0.01``, ``＜0.01``,
  ``ND(0.01)``, ``未检出(0.01)``; and ``未检出``/``ND`` alone, whose limit is then the lowest
  detection limit GB 3838-2002 表4 gives for the item's first method (``Limit.method_dl``;
  marked ``dl_source = "method"``), or unknown (groundwater: classed as detected nowhere, counted
  as 0 in means);
* **the station or site could not give a value** (a status, no value): ``维护``, ``故障``,
  ``停运``, ``调试``, ``校准``, ``停电``, ``通讯中断``, ``离线``, ``不具备运行条件`` → out of service;
  ``断流``/``干涸`` → dry; ``冰封``/``结冰`` → frozen; ``未监测``/``未采样`` → not monitored.

Refused, with the row named: negative numbers, text that is no number (``abc``, ``1.2.3``,
``0.5mg/L``), ``NaN``/``inf`` and numbers outside the item's physical range (``Limit.physical``:
pH 0–14, 1e25 mg/L …), Excel error values (``#DIV/0!``), a detection-limit form for 溶解氧 or pH.

Results below the detection limit
---------------------------------
Such a result is ``Measurement(value=<detection limit>, below_detection=True)``, shown as
“未检出（检出限 …）”.

* **Classing one result**: the true value is at or below the detection limit, so it is classed
  by the limit itself: the best class whose limit is ≥ the detection limit — normally Ⅰ; when a
  method's limit lies above a class limit (汞 0.0001L cannot be shown to meet Ⅰ's 0.00005) the
  best class it still meets. The published Hunan weekly report (tests/fixtures/monitoring) classes
  镉 “0.002L” as Ⅱ the same way. No exceedance multiple, never a main pollutant.
* **Means**: 《地表水环境质量监测数据统计技术规定（试行）》(环办监测函〔2020〕82号): a result below
  the detection limit takes part as half the detection limit; when every result of the period
  is below the detection limit the mean is itself “未检出” at the largest detection limit.

Units: μg/L ↔ mg/L (and mg/m³ = μg/L), mS/cm → μS/cm, 个/L = MPN/L = CFU/L. Any other
difference from the standard's unit is refused rather than guessed.

Means of pH go through the hydrogen-ion concentration: pH = −lg(mean(10^−pH)) (the same 2020
rules; the SurfaceWater library's ``GetPhAverage`` transcribes it the same way).
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from geodata.errors import EnvmapError
from geodata.model import CLASSES
from geodata.quality.limits import Limit


class ValueProblem(EnvmapError):
    """A measured value that cannot be used; the message (Chinese) says why and what to write."""


@dataclass(frozen=True)
class Measurement:
    """A measured value in the standard's unit; ``value`` is the detection limit when not detected.

    ``dl_source`` says where a detection limit came from: "" (written in the file), "method"
    (GB 3838-2002 表4, the file said only 未检出), "none" (unknown; ``value`` is 0).
    """

    value: float
    below_detection: bool = False
    dl_source: str = ""

    @property
    def display(self) -> str:
        if not self.below_detection:
            return _plain(self.value)
        if self.dl_source == "none":
            return "未检出（检出限未给出）"
        suffix = "，按 GB 3838 表4 方法检出限" if self.dl_source == "method" else ""
        return f"未检出（检出限 {_plain(self.value)}{suffix}）"

    def __str__(self) -> str:
        if self.below_detection:
            return "未检出" if self.dl_source == "none" else f"{_plain(self.value)}L"
        return _plain(self.value)


def _plain(value: float) -> str:
    return format(Decimal(repr(float(value))).normalize(), "f")


# Units, normalised.
_UNIT_FORMS = {
    "mg/L": ("mg/l", "毫克/升", "mg/dm3"),
    "μg/L": ("μg/l", "µg/l", "ug/l", "微克/升", "mg/m3", "mg/m³", "毫克/立方米"),
    "无量纲": ("无量纲", "无", "-", "ph", "ph单位"),
    "℃": ("℃", "°c", "摄氏度", "度"),
    "个/L": ("个/l", "mpn/l", "cfu/l"),
    "MPN/100mL": ("mpn/100ml", "cfu/100ml", "个/100ml"),
    "CFU/mL": ("cfu/ml", "个/ml"),
    "NTU": ("ntu", "度(浊度)"),
    "铂钴色度单位": ("铂钴色度单位", "度(铂钴)", "pt-co", "铂钴"),
    "μS/cm": ("μs/cm", "µs/cm", "us/cm", "微西门子/厘米"),
    "mS/cm": ("ms/cm",),
    "cells/L": ("cells/l", "个细胞/l", "cell/l"),
    "m": ("m", "米"),
    "cm": ("cm", "厘米"),
}
_UNITS = {form: unit for unit, forms in _UNIT_FORMS.items() for form in forms}
_FACTORS = {
    ("μg/L", "mg/L"): Decimal("0.001"), ("mg/L", "μg/L"): Decimal("1000"),
    ("mS/cm", "μS/cm"): Decimal("1000"), ("cm", "m"): Decimal("0.01"),
}


def normalize_unit(unit: str) -> str | None:
    """The canonical spelling of ``unit``, or None when it is not a unit this module knows."""
    key = unicodedata.normalize("NFKC", unit).strip().replace(" ", "").replace("（", "(").replace("）", ")").lower()
    key = key.replace("µ", "μ")
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
_THOUSANDS = re.compile(r"^[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?$")
_BELOW = (
    re.compile(rf"^{_NUMBER}\s*[Ll]$"),
    re.compile(rf"^[<＜﹤]\s*{_NUMBER}$"),
    re.compile(rf"^(?:ND|nd|未检出)\s*[(（]\s*{_NUMBER}\s*[)）]$"),
)
_PLAIN = re.compile(rf"^[+]?{_NUMBER}$")
_NEGATIVE = re.compile(rf"^[-－−]\s*{_NUMBER}\s*[Ll]?$")
_NOT_A_NUMBER = re.compile(r"^[+-]?(?:nan|inf|infinity)$", re.IGNORECASE)

MISSING = ("", "-", "--", "---", "—", "——", "－", "－－", "/", "／", "*", "＊", "NA", "N/A", "n/a", "#N/A")
BELOW_WORDS = ("未检出", "ND", "nd", "N.D.", "低于检出限")
# a value cell or a 站点情况/状态 cell that says why there is no value
STATUS_WORDS: dict[str, str] = {
    "断流": "dry", "干涸": "dry", "河干": "dry",
    "冰封": "frozen", "结冰": "frozen",
    "未监测": "not_monitored", "未采样": "not_monitored", "未测": "not_monitored",
    "维护": "out_of_service", "故障": "out_of_service", "停运": "out_of_service", "调试": "out_of_service",
    "校准": "out_of_service", "停电": "out_of_service", "通讯中断": "out_of_service", "离线": "out_of_service",
    "不具备运行条件": "out_of_service", "仪器故障": "out_of_service", "设备故障": "out_of_service",
    "站房维护": "out_of_service", "停测": "out_of_service",
}
STATUS_LABELS = {"ok": "", "dry": "断流", "frozen": "冰封", "not_monitored": "未监测", "out_of_service": "停运/维护"}

# The documented forms, for the README and the preview's notices.
CELL_FORMS: dict[str, str] = {
    "数值": "0.5、.03、5E-05、10,000、全角数字",
    "缺测（无数值，不影响导入）": "空白、" + "、".join(f"“{m}”" for m in MISSING if m),
    "低于检出限": "0.01L、<0.01、＜0.01、ND(0.01)、未检出(0.01)；只写“未检出”“ND”时取 GB 3838-2002 表4 方法检出限",
    "站点停运或无法采样（记为状态，无数值）": "、".join(f"“{w}”" for w in STATUS_WORDS),
}


def cell_status(text: object) -> str | None:
    """The status a cell states (``"dry"``, ``"out_of_service"`` …), or None."""
    if not isinstance(text, str):
        return None
    return STATUS_WORDS.get(text.strip())


def _normalize(text: str) -> str:
    raw = unicodedata.normalize("NFKC", text).strip()
    return raw.replace("，", ".").replace("．", ".")


def parse_value(text: object, limit: Limit | None = None, unit: str = "") -> Measurement | None:
    """Parse one measured value into the unit of ``limit``'s standard; None for a missing value.

    Raises :class:`ValueProblem` (Chinese, says what to write) for the refused forms listed in
    the module doc. Status words (维护, 断流 …) are not values: test them with :func:`cell_status`.
    """
    if text is None:
        return None
    name = f"{limit.name}" if limit else "监测值"
    if isinstance(text, bool):
        raise ValueProblem(f"{name}的值“{text}”不是数字。")
    if isinstance(text, int | float):
        if isinstance(text, float) and math.isnan(text):
            return None  # an empty spreadsheet cell read by a library
        if isinstance(text, float) and math.isinf(text):
            raise ValueProblem(f"{name}的值“{text}”不是有效数字（无穷大）。请核对原始记录。")
        raw = repr(float(text))
    else:
        raw = _normalize(str(text))
    if raw in MISSING:
        return None
    if raw in BELOW_WORDS:
        return _undetected_without_limit(limit, name, raw)
    if _NOT_A_NUMBER.match(raw):
        raise ValueProblem(f"{name}的值“{raw}”不是有效数字。请填写实测值；没有结果时留空或写“--”。")
    if raw.startswith("#"):
        raise ValueProblem(f"{name}的值“{raw}”是 Excel 的错误值（公式出错）。请在原表中改为实测值后再导入。")
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
        elif _THOUSANDS.match(raw):
            number = raw.replace(",", "")
        elif _NEGATIVE.match(raw):
            raise ValueProblem(f"{name}的值“{raw}”为负数。浓度不能为负，请核对原始记录。")
        else:
            shown = raw if len(raw) <= 30 else raw[:30] + "…"
            raise ValueProblem(
                f"{name}的值“{shown}”不是数字。请填写数字；低于检出限时写“检出限L”（如 0.01L）或“<0.01”；"
                "没有结果时留空或写“--”。"
            )
    try:
        decimal = Decimal(number)
    except InvalidOperation:  # pragma: no cover - the patterns admit only decimals
        raise ValueProblem(f"{name}的值“{raw}”不是数字。") from None
    if not decimal.is_finite() or decimal > Decimal("1e30"):
        raise ValueProblem(f"{name}的值“{raw}”大得不可能。请核对原始记录和单位。")
    value = float(decimal)
    if limit is not None:
        if unit:
            value = convert(value, unit, limit.unit, name)
        if below and limit.direction in ("ge", "range"):
            raise ValueProblem(f"{name}不应有低于检出限的结果（“{raw}”）。请填写实测值。")
        check_range(value, limit, raw)
    return Measurement(value, below)


def check_range(value: float, limit: Limit, raw: object = None) -> None:
    """Refuse ``value`` (in the standard's unit) outside the item's physical range."""
    low, high = limit.physical
    if math.isnan(value) or not low <= value <= high:
        shown = raw if raw is not None else _plain(value)
        unit = "" if limit.unit == "无量纲" else f" {limit.unit}"
        if limit.direction == "range":
            raise ValueProblem(f"{limit.name}的值“{shown}”不可能：pH 只能在 0～14 之间。请核对原始记录。")
        raise ValueProblem(
            f"{limit.name}的值“{shown}”超出可能的范围（{_plain(low)}～{_plain(high)}{unit}）。请核对原始记录和单位。"
        )


def _undetected_without_limit(limit: Limit | None, name: str, raw: str) -> Measurement:
    if limit is None:
        raise ValueProblem(f"{name}写作“{raw}”但未给出检出限。请写成“检出限L”，如 0.01L。")
    if limit.direction in ("ge", "range"):
        raise ValueProblem(f"{name}不应有低于检出限的结果（“{raw}”）。请填写实测值。")
    if limit.method_dl is not None:
        return Measurement(limit.method_dl, True, "method")
    return Measurement(0.0, True, "none")


def as_measurement(value: object, limit: Limit) -> Measurement | None:
    """``value`` as a Measurement: Measurements pass through (range-checked), others are parsed."""
    if isinstance(value, Measurement):
        if value.value < 0:
            raise ValueProblem(f"{limit.name}的值“{value}”为负数。浓度不能为负，请核对原始记录。")
        check_range(value.value, limit, value)
        return value
    return parse_value(value, limit)


def round_half_even(value: float, decimals: int) -> float:
    """GB/T 8170-2008 数值修约（四舍六入五成双） of ``value`` to ``decimals`` places.

    A non-zero value that would round to 0 keeps one significant figure (总站水字〔2018〕87号).
    """
    exact = Decimal(repr(float(value)))
    quantum = Decimal(1).scaleb(-decimals)
    result = exact.quantize(quantum, rounding=ROUND_HALF_EVEN)
    if result == 0 and exact != 0:
        first = exact.adjusted()  # exponent of the first significant digit
        result = exact.quantize(Decimal(1).scaleb(first), rounding=ROUND_HALF_EVEN)
    return float(result)


def rounded(measurement: Measurement, limit: Limit, precision: str = "evaluation") -> Measurement:
    """The value used for classing, rounded to the item's decimals; detection limits stay as given.

    ``precision`` is "evaluation" (a manual result or a period mean: ``Limit.decimals``) or
    "hourly" (one automatic-station reading: ``Limit.hourly_decimals``, else the evaluation
    decimals).
    """
    decimals = limit.decimals
    if precision == "hourly" and limit.hourly_decimals is not None:
        decimals = limit.hourly_decimals
    if measurement.below_detection or decimals is None:
        return measurement
    return replace(measurement, value=round_half_even(measurement.value, decimals))


def mean(measurements: list[Measurement], limit: Limit | None = None) -> Measurement | None:
    """The mean of a period's results by the 2020 rules (see the module doc); None for none.

    Undetected results count as half the detection limit; pH (``limit.direction == "range"``)
    is averaged through the hydrogen-ion concentration. Not rounded.
    """
    if not measurements:
        return None
    if all(m.below_detection for m in measurements):
        top = max(measurements, key=lambda m: m.value)
        return Measurement(top.value, True, top.dl_source)
    if limit is not None and limit.direction == "range":
        hydrogen = sum(10.0 ** -m.value for m in measurements) / len(measurements)
        return Measurement(-math.log10(hydrogen))
    total = sum(Decimal(repr(m.value)) / (2 if m.below_detection else 1) for m in measurements)
    return Measurement(float(total / len(measurements)))


def classify(limit: Limit, measurement: Measurement, waterbody: str = "river") -> str | None:
    """The class of one (already rounded) result: the best class whose limit it meets.

    A result below the detection limit is classed by the detection limit (see the module doc);
    a “不得检出” limit (``None``) is met only by such a result; an undetected result with no
    known limit meets every limit. None for items without limits.
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
