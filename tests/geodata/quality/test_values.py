"""Parsing measured values: detection limits, units, refusals."""

from __future__ import annotations

import pytest

from geodata.quality.limits import item
from geodata.quality.values import (
    Measurement,
    ValueProblem,
    cell_status,
    convert,
    mean,
    parse_value,
    round_half_even,
)

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


@pytest.mark.parametrize("text", ["", "  ", "-", "--", "—", "——", "/", "*", "NA", "N/A", "#N/A", None, float("nan")])
def test_missing_forms_are_no_value(text):
    assert parse_value(text, NH3) is None


@pytest.mark.parametrize(("text", "expected"), [
    ("未检出", Measurement(0.05, True, "method")), ("ND", Measurement(0.05, True, "method")),
    (".03", Measurement(0.03)), ("1,000", Measurement(1000.0)), ("０．５", Measurement(0.5)), ("﹤0.05", Measurement(0.05, True)),
])
def test_written_forms(text, expected):
    """未检出 alone takes GB 3838-2002 表4's lowest detection limit of the item (氨氮 纳氏试剂比色法 0.05)."""
    assert parse_value(text, NH3) == expected


def test_undetected_without_a_limit_classes_by_the_method_limit_and_says_so():
    m = parse_value("未检出", item("Hg"))
    assert m == Measurement(0.00005, True, "method")
    assert "表4" in m.display
    assert parse_value("ND", item("TH", "groundwater")) == Measurement(0.0, True, "none")


@pytest.mark.parametrize(("text", "fragment"), [
    ("-0.2", "负数"), ("−0.2", "负数"), ("abc", "不是数字"), ("1.2.3", "不是数字"), ("0.5mg/L", "不是数字"),
    ("NaN", "不是有效数字"), ("nan", "不是有效数字"), ("inf", "不是有效数字"), ("-Infinity", "不是有效数字"),
    (float("inf"), "无穷大"), ("1e25", "超出可能的范围"), (1e25, "超出可能的范围"), ("1e308", "大得不可能"),
    ("1e309", "大得不可能"), ("#DIV/0!", "Excel"), ("1000.1", "超出可能的范围"),
])
def test_refused(text, fragment):
    with pytest.raises(ValueProblem, match=fragment):
        parse_value(text, NH3)


@pytest.mark.parametrize(("code", "text"), [("pH", "14.5"), ("DO", "51"), ("WT", "60"), ("Chla", "11")])
def test_values_outside_the_physical_range_are_refused(code, text):
    with pytest.raises(ValueProblem):
        parse_value(text, item(code))


@pytest.mark.parametrize(("text", "status"), [
    ("维护", "out_of_service"), ("不具备运行条件", "out_of_service"), ("故障", "out_of_service"), ("断流", "dry"),
    ("冰封", "frozen"), ("未监测", "not_monitored"), ("0.5", None), ("--", None),
])
def test_status_words(text, status):
    assert cell_status(text) == status


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
    (0.025, 2, 0.02), (0.0004, 3, 0.0004), (0.00046, 3, 0.0005), (0.0, 2, 0.0),  # a 0 keeps one significant figure
])
def test_round_half_even(value, decimals, expected):
    assert round_half_even(value, decimals) == expected


def test_mean():
    assert mean([]) is None
    assert mean([Measurement(1.0), Measurement(0.2, True)]) == Measurement(0.55)
    assert mean([Measurement(0.1, True), Measurement(0.2, True)]) == Measurement(0.2, True)


def test_ph_means_go_through_the_hydrogen_ion_concentration():
    """pH 6 and pH 8: H⁺ 1e-6 and 1e-8, mean 5.05e-7, pH 6.2967 — not the arithmetic 7.0."""
    result = mean([Measurement(6.0), Measurement(8.0)], item("pH"))
    assert result.value == pytest.approx(6.29671, abs=1e-5)
    assert mean([Measurement(7.5)] * 3, item("pH")).value == pytest.approx(7.5)
