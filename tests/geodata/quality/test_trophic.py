"""TLI(Σ) by 《湖泊（水库）富营养化评价方法及分级技术规定》, worked by hand."""

from __future__ import annotations

import math

import pytest

from geodata.quality.trophic import WEIGHTS, grade, parameter_index, tli


def test_the_weights_are_the_published_ones():
    # r² / Σr² with Σr² = 1 + 0.7056 + 0.6724 + 0.6889 + 0.6889 = 3.7558; published 0.2663, 0.1879,
    # 0.1790, 0.1834, 0.1834 (e.g. blog.csdn.net/weixin_44557372/article/details/127398661)
    assert {k: round(v, 4) for k, v in WEIGHTS.items()} == {"Chla": 0.2663, "TP": 0.1879, "TN": 0.1790, "SD": 0.1834,
                                                            "CODMn": 0.1834}


def test_a_worked_lake():
    """chla 10 mg/m³ (0.010 mg/L as the platform writes it), TP 0.05, TN 1.0, SD 1.0 m, CODMn 4.0:
    TLI(chla) = 10(2.5 + 1.086 ln 10) = 50.006; TLI(TP) = 10(9.436 + 1.624 ln 0.05) = 45.709;
    TLI(TN) = 54.53; TLI(SD) = 51.18; TLI(CODMn) = 10(0.109 + 2.661 ln 4) = 37.979;
    Σ W·TLI = 48.0 → 中营养."""
    assert parameter_index("Chla", 10) == pytest.approx(10 * (2.5 + 1.086 * math.log(10)))
    index = tli({"Chla": 0.010, "TP": 0.05, "TN": 1.0, "SD": 1.0, "CODMn": 4.0})
    assert index == 48.0 and grade(index) == "中营养"
    assert tli({"Chla": 10, "TP": 0.05, "TN": 1.0, "SD": 1.0, "CODMn": 4.0}, chla_unit="mg/m3") == 48.0


def test_no_index_without_all_five_parameters():
    assert tli({"Chla": 0.01, "TP": 0.05, "TN": 1.0, "CODMn": 4.0}) is None


@pytest.mark.parametrize(("index", "label"), [
    (29.9, "贫营养"), (30.0, "中营养"), (50.0, "中营养"), (50.1, "轻度富营养"), (60.0, "轻度富营养"),
    (60.1, "中度富营养"), (70.0, "中度富营养"), (70.1, "重度富营养"), (None, ""),
])
def test_grades(index, label):
    assert grade(index) == label
