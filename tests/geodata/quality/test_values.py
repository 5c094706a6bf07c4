"""Parsing measured values: detection limits, units, refusals."""

from __future__ import annotations

import pytest

from geodata.quality.limits import item
from geodata.quality.values import Measurement, ValueProblem, convert, mean, parse_value, round_half_even

NH3 = item("NH3-N")


@pytest.mark.parametrize(("text", "expected"), [
    ("0.5", Measurement(0.5)), (" 1.25 ", Measurement(1.25)), (0.3, Measurement(0.3)), (2, Measurement(2.0)),
    ("5E-05", Measurement(0.00005)), ("0.025L", Measurement(0.025, True)), ("0.025 L", Measurement(0.025, True)),
    ("<0.025", Measurement(0.025, True)), ("＜0.025", Measurement(0.025, True)),
    ("ND(0.025)", Measurement(0.025, True)), ("ND（0.025）", Measurement(0.025, True)),
    ("未检出(0.025)", Measurement(0.025, True)),
])
def test_parse(text, expected):
    assert parse_value(text, NH3) == expected


@pytest.mark.parametrize("text", ["", "  ", "-", "—", "/", None, float("nan")])
def test_empty_cells_are_missing_values(text):
    assert parse_value(text, NH3) is None


@pytest.mark.parametrize(("text", "fragment"), [
    ("-0.2", "负数"), ("−0.2", "负数"), ("abc", "不是数字"), ("1.2.3", "不是数字"), ("ND", "未给出检出限"),
    ("未检出", "未给出检出限"),
])
def test_refused(text, fragment):
    with pytest.raises(ValueProblem, match=fragment):
        parse_value(text, NH3)


def test_microgram_values_are_converted_to_milligrams():
    assert parse_value("0.05", item("Hg"), unit="μg/L") == Measurement(0.00005)
    assert parse_value("0.04L", item("Hg"), unit="ug/L") == Measurement(0.00004, True)
    assert parse_value("500", NH3, unit="µg/L") == Measurement(0.5)
    assert parse_value("0.5", NH3, unit="mg/l") == Measurement(0.5)
    assert convert(0.5, "mg/L", "μg/L") == 500


def test_unit_mismatches_are_refused():
    with pytest.raises(ValueProblem, match="无法换算"):
        parse_value("3", NH3, unit="个/L")
    with pytest.raises(ValueProblem, match="无法识别"):
        parse_value("3", NH3, unit="ppm")


def test_display_of_undetected_results():
    assert Measurement(0.025, True).display == "未检出（检出限 0.025）"
    assert str(Measurement(0.00004, True)) == "0.00004L"
    assert Measurement(1.5).display == "1.5"


@pytest.mark.parametrize(("value", "decimals", "expected"), [
    (0.125, 2, 0.12), (0.135, 2, 0.14), (0.1251, 2, 0.13), (15.5, 0, 16), (16.5, 0, 16), (2.345, 2, 2.34),
])
def test_round_half_even(value, decimals, expected):
    assert round_half_even(value, decimals) == expected


def test_mean():
    assert mean([]) is None
    assert mean([Measurement(1.0), Measurement(0.2, True)]) == Measurement(0.55)
    assert mean([Measurement(0.1, True), Measurement(0.2, True)]) == Measurement(0.2, True)
