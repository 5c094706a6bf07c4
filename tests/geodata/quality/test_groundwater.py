"""GB/T 14848-2017: single-indicator classes and the overall class."""

from __future__ import annotations

from decimal import Decimal

import pytest

from geodata.errors import EnvmapError
from geodata.model import CLASSES
from geodata.quality.groundwater import evaluate_groundwater, indicator_class
from geodata.quality.limits import GROUNDWATER

# Hand-written from the standard's 表1.
STANDARD_CASES = [
    ("总硬度", 150, "Ⅰ"), ("总硬度", 450, "Ⅲ"), ("总硬度", 451, "Ⅳ"), ("总硬度", 650, "Ⅳ"), ("总硬度", 651, "Ⅴ"),
    ("溶解性总固体", 1000, "Ⅲ"), ("溶解性总固体", 2001, "Ⅴ"), ("硫酸盐", 250, "Ⅲ"), ("氯化物", 251, "Ⅳ"),
    ("铁", 0.3, "Ⅲ"), ("铁", 2.1, "Ⅴ"), ("锰", 0.05, "Ⅰ"), ("锰", 0.1, "Ⅲ"), ("铜", 1.0, "Ⅲ"), ("锌", 1.0, "Ⅲ"),
    ("锌", 5.0, "Ⅳ"), ("挥发性酚类", 0.001, "Ⅰ"), ("挥发性酚类", 0.002, "Ⅲ"), ("阴离子表面活性剂", "0.05L", "Ⅰ"),
    ("阴离子表面活性剂", 0.05, "Ⅱ"), ("阴离子表面活性剂", 0.3, "Ⅲ"), ("阴离子表面活性剂", 0.31, "Ⅴ"),
    ("耗氧量", 3.0, "Ⅲ"), ("耗氧量", 3.1, "Ⅳ"), ("氨氮", 0.02, "Ⅰ"), ("氨氮", 0.5, "Ⅲ"), ("氨氮", 1.6, "Ⅴ"),
    ("硫化物", 0.02, "Ⅲ"), ("钠", 200, "Ⅲ"), ("总大肠菌群", 3, "Ⅰ"), ("总大肠菌群", 4, "Ⅳ"), ("菌落总数", 100, "Ⅰ"),
    ("菌落总数", 1001, "Ⅴ"), ("亚硝酸盐", 1.0, "Ⅲ"), ("亚硝酸盐", 4.8, "Ⅳ"), ("硝酸盐", 20, "Ⅲ"),
    ("硝酸盐", 20.1, "Ⅳ"), ("硝酸盐", 30.1, "Ⅴ"), ("氰化物", 0.05, "Ⅲ"), ("氟化物", 1.0, "Ⅰ"), ("氟化物", 1.1, "Ⅳ"),
    ("氟化物", 2.1, "Ⅴ"), ("碘化物", 0.08, "Ⅲ"), ("汞", 0.0001, "Ⅰ"), ("汞", 0.001, "Ⅲ"), ("砷", 0.01, "Ⅲ"),
    ("硒", 0.01, "Ⅰ"), ("镉", 0.0001, "Ⅰ"), ("镉", 0.005, "Ⅲ"), ("六价铬", 0.05, "Ⅲ"), ("铅", 0.01, "Ⅲ"),
    ("铅", 0.11, "Ⅴ"),
]


@pytest.mark.parametrize(("name", "value", "expected"), STANDARD_CASES)
def test_classes_from_the_standard(name, value, expected):
    assert indicator_class(name, value) == expected


@pytest.mark.parametrize(("value", "expected"), [
    (6.5, "Ⅰ"), (7.0, "Ⅰ"), (8.5, "Ⅰ"), (8.51, "Ⅳ"), (9.0, "Ⅳ"), (9.01, "Ⅴ"), (6.49, "Ⅳ"), (5.5, "Ⅳ"), (5.49, "Ⅴ"),
])
def test_ph(value, expected):
    assert indicator_class("pH", value) == expected


def _boundary_cases():
    for row in GROUNDWATER:
        if row.direction != "le":
            continue
        for index, bound in enumerate(row.limits):
            if bound is None:
                continue
            d = Decimal(repr(bound))
            beyond = d + Decimal(1).scaleb(d.as_tuple().exponent - 1)  # one digit finer than the limit
            at = CLASSES[next(i for i, b in enumerate(row.limits) if b is not None and Decimal(repr(b)) == d)]
            after = next((CLASSES[i] for i, b in enumerate(row.limits) if b is not None and Decimal(repr(b)) >= beyond),
                         "Ⅴ")
            yield pytest.param(row.code, bound, at, id=f"{row.code}-{index}-at")
            yield pytest.param(row.code, float(beyond), after, id=f"{row.code}-{index}-beyond")


@pytest.mark.parametrize(("code", "value", "expected"), list(_boundary_cases()))
def test_every_limit_is_inclusive_and_values_above_it_are_the_next_class(code, value, expected):
    assert indicator_class(code, value) == expected


def test_overall_class_is_the_worst_indicator_and_names_the_deciding_ones():
    result = evaluate_groundwater({"总硬度": 451, "硝酸盐": 20, "氟化物": 1.0, "pH": 8.6, "氨氮": "0.025L"})
    assert result.item_classes == {"pH": "Ⅳ", "TH": "Ⅳ", "NH3-N": "Ⅱ", "NO3-N": "Ⅲ", "F": "Ⅰ"}
    assert result.klass == "Ⅳ"
    assert result.deciding == ["pH", "TH"]


def test_unmonitored_points_have_no_class():
    result = evaluate_groundwater({"总硬度": 451}, status="not_monitored")
    assert result.klass is None and result.deciding == []


def test_refusals():
    with pytest.raises(EnvmapError, match="GB/T 14848"):
        evaluate_groundwater({"溶解氧": 5})
    with pytest.raises(EnvmapError, match="负数"):
        evaluate_groundwater({"总硬度": -3})
    with pytest.raises(EnvmapError, match="0～14"):
        evaluate_groundwater({"pH": 14.5})
