"""Rounding per 《地表水环境质量监测数据统计技术规定（试行）》(环办监测函〔2020〕82号), every item at its boundary.

The decimals are written here by hand from the public transcription of the rule's table (the
SurfaceWater library's ``StatisticalTechnicalRegulations``, citing 环办监测函〔2020〕82号 for the
evaluation data and 总站水字〔2020〕90号 for hourly data, and the issue's transcription: pH 0,
DO/CODMn/COD/BOD5 1, NH3-N 2, TP 3, TN 2, Cu/Zn/F 3, Se/As 4, Hg/Cd 5, Cr⁶⁺/Pb/CN 3, 挥发酚 4,
石油类/LAS 2, 硫化物 3), so the limits table is checked, not echoed.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from geodata.model import CLASSES
from geodata.quality.limits import SURFACE, item
from geodata.quality.surface import evaluate_sample, item_class
from tests.conftest import REPO

EVALUATION_DECIMALS = {
    "pH": 0, "DO": 1, "CODMn": 1, "COD": 1, "BOD5": 1, "NH3-N": 2, "TP": 3, "TN": 2, "Cu": 3, "Zn": 3, "F": 3,
    "Se": 4, "As": 4, "Hg": 5, "Cd": 5, "Cr6+": 3, "Pb": 3, "CN": 3, "VPh": 4, "Oil": 2, "LAS": 2, "S2-": 3,
    "WT": 1, "FC": 0,
}
HOURLY_DECIMALS = {"WT": 1, "pH": 2, "DO": 2, "EC": 1, "NTU": 1, "CODMn": 2, "NH3-N": 3, "TP": 3, "TN": 2}


@pytest.mark.parametrize(("code", "decimals"), EVALUATION_DECIMALS.items())
def test_the_evaluation_decimals_are_the_2020_table(code, decimals):
    assert item(code).decimals == decimals


@pytest.mark.parametrize(("code", "decimals"), HOURLY_DECIMALS.items())
def test_the_hourly_decimals_of_the_nine_automatic_items(code, decimals):
    assert item(code).hourly_decimals == decimals


@pytest.mark.parametrize(("name", "value", "expected"), [
    ("化学需氧量", 40.1, "劣Ⅴ"),  # 40.1 stays 40.1 > 40 (it was 40 → Ⅴ with 0 decimals)
    ("化学需氧量", 40.04, "Ⅴ"),
    ("镉", 0.00101, "Ⅱ"),  # 0.00101 > Ⅰ 0.001 (it was 0.0010 → Ⅰ with 4 decimals)
    ("镉", 0.001004, "Ⅰ"),
    ("溶解氧", 4.95, "Ⅲ"),  # 4.9|5 → 5.0: Ⅲ (五成双: 9 is odd)
    ("溶解氧", 4.94, "Ⅳ"),
    ("氟化物", 1.0004, "Ⅰ"),
    ("氟化物", 1.0005, "Ⅰ"),  # 五成双 → 1.000
    ("氟化物", 1.0015, "Ⅳ"),  # → 1.002
    ("pH", 9.5, "劣Ⅴ"),  # → 10
    ("pH", 8.5, "Ⅰ"),  # → 8
])
def test_the_issues_boundary_examples(name, value, expected):
    assert item_class(name, value) == expected


def _boundary_cases():
    """Every limit of every item: at the limit, half a unit beyond (rounds back), one unit beyond."""
    for row in SURFACE:
        if row.direction not in ("le", "ge"):
            continue
        unit = Decimal(1).scaleb(-EVALUATION_DECIMALS[row.code])
        for waterbody, limits in (("river", row.limits), ("lake", row.lake_limits or row.limits)):
            bounds = [Decimal(repr(b)) for b in limits]
            for bound in bounds:
                at = CLASSES[bounds.index(bound)]
                sign = 1 if row.direction == "le" else -1
                beyond = bound + sign * unit
                if row.direction == "le":
                    after = next((CLASSES[i] for i, b in enumerate(bounds) if b >= beyond), "劣Ⅴ")
                else:
                    after = next((CLASSES[i] for i, b in enumerate(bounds) if b <= beyond), "劣Ⅴ")
                half = bound + sign * unit * Decimal("0.4")
                for value, expected in ((bound, at), (half, at), (beyond, after)):
                    yield pytest.param(row.code, waterbody, float(value), expected,
                                       id=f"{row.code}-{waterbody}-{value}")


@pytest.mark.parametrize(("code", "waterbody", "value", "expected"), list(_boundary_cases()))
def test_every_item_at_every_class_boundary(code, waterbody, value, expected):
    assert item_class(code, value, waterbody) == expected


def test_a_reading_is_classed_at_hourly_precision_and_a_mean_at_evaluation_precision():
    """CODMn 6.05: one automatic reading is 6.05 > 6 → Ⅳ; a manual result or a mean rounds to 6.0 → Ⅲ."""
    assert evaluate_sample({"CODMn": 6.05}, precision="hourly").klass == "Ⅳ"
    assert evaluate_sample({"CODMn": 6.05}).klass == "Ⅲ"
    assert evaluate_sample({"CODMn": 2.04}, precision="hourly").klass == "Ⅱ"
    assert evaluate_sample({"CODMn": 2.04}).klass == "Ⅰ"


def test_the_platform_classes_its_hourly_readings_at_hourly_precision():
    """大红桥 (天津) 2026-02-06 10:00 publishes CODMn 6.05 and class Ⅳ; 堰后 (浙江) 02-08 10:00 CODMn 2.04 → Ⅱ."""
    text = (REPO / "tests/fixtures/monitoring/cnemc_2026-02_hourly.csv").read_text(encoding="utf-8-sig")
    rows = {(cells[2], cells[3]): cells for cells in (line.split(",") for line in text.splitlines()[1:])}
    assert rows[("大红桥", "02-06 10:00")][4] == "Ⅳ" and rows[("大红桥", "02-06 10:00")][10] == "6.05"
    assert rows[("堰后", "02-08 10:00")][4] == "Ⅱ" and rows[("堰后", "02-08 10:00")][10] == "2.04"


def test_the_platform_shows_values_at_the_evaluation_decimals_in_november_2025():
    """南大荒桥 11-18 16:00: raw pH 8.6 shown 9, NH3-N 0.025 shown 0.02 (五成双), CODMn 3 shown 3.0."""
    text = (REPO / "tests/fixtures/monitoring/cnemc_2025-11-18.csv").read_text(encoding="utf-8-sig")
    row = next(line.split(",") for line in text.splitlines() if line.split(",")[2] == "南大荒桥")
    assert (row[6], row[10], row[11]) == ("9", "3.0", "0.02")
