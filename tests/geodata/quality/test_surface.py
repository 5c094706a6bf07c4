"""GB 3838-2002 classes, exceedance multiples, main pollutants, periods and compliance."""

from __future__ import annotations

from decimal import Decimal

import pytest

from geodata.errors import EnvmapError
from geodata.model import CLASSES
from geodata.quality.limits import SURFACE
from geodata.quality.surface import compliance, evaluate_period, evaluate_sample, item_class, period_means
from geodata.quality.values import Measurement, ValueProblem

# Hand-written from the standard (not read from the limits table), so the table is checked.
STANDARD_CASES = [
    ("氨氮", 0.15, "river", "Ⅰ"), ("氨氮", 0.16, "river", "Ⅱ"), ("氨氮", 0.5, "river", "Ⅱ"),
    ("氨氮", 0.51, "river", "Ⅲ"), ("氨氮", 2.0, "river", "Ⅴ"), ("氨氮", 2.01, "river", "劣Ⅴ"),
    ("溶解氧", 7.5, "river", "Ⅰ"), ("溶解氧", 7.4, "river", "Ⅱ"), ("溶解氧", 5, "river", "Ⅲ"),
    ("溶解氧", 2, "river", "Ⅴ"), ("溶解氧", 1.9, "river", "劣Ⅴ"),
    ("总磷", 0.2, "river", "Ⅲ"), ("总磷", 0.2, "lake", "Ⅴ"), ("总磷", 0.025, "lake", "Ⅱ"),
    ("总磷", 0.026, "lake", "Ⅲ"), ("总磷", 0.41, "river", "劣Ⅴ"), ("总磷", 0.02, "river", "Ⅰ"),
    ("pH", 10, "river", "劣Ⅴ"), ("pH", 9, "river", "Ⅰ"), ("pH", 6, "river", "Ⅰ"), ("pH", 5, "river", "劣Ⅴ"),
    ("化学需氧量", 15, "river", "Ⅰ"), ("化学需氧量", 16, "river", "Ⅲ"), ("化学需氧量", 40, "river", "Ⅴ"),
    ("化学需氧量", 40.1, "river", "劣Ⅴ"), ("镉", 0.00101, "river", "Ⅱ"),
    ("汞", 0.00005, "river", "Ⅰ"), ("汞", 0.00006, "river", "Ⅲ"), ("汞", 0.0001, "river", "Ⅲ"),
    ("汞", 0.001, "river", "Ⅳ"), ("汞", 0.00101, "river", "劣Ⅴ"),
    ("高锰酸盐指数", 6, "river", "Ⅲ"), ("高锰酸盐指数", 6.1, "river", "Ⅳ"), ("高锰酸盐指数", 15.1, "river", "劣Ⅴ"),
    ("五日生化需氧量", 3, "river", "Ⅰ"), ("五日生化需氧量", 4, "river", "Ⅲ"),
    ("镉", 0.001, "river", "Ⅰ"), ("镉", 0.005, "river", "Ⅱ"), ("镉", 0.0051, "river", "Ⅴ"),
    ("铜", 0.01, "river", "Ⅰ"), ("铜", 0.011, "river", "Ⅱ"), ("锌", 1.5, "river", "Ⅳ"),
    ("铅", 0.01, "river", "Ⅰ"), ("铅", 0.011, "river", "Ⅲ"), ("六价铬", 0.1, "river", "Ⅴ"),
    ("氰化物", 0.005, "river", "Ⅰ"), ("氰化物", 0.2, "river", "Ⅲ"), ("氰化物", 0.201, "river", "劣Ⅴ"),
    ("挥发酚", 0.002, "river", "Ⅰ"), ("挥发酚", 0.1, "river", "Ⅴ"), ("石油类", 0.05, "river", "Ⅰ"),
    ("石油类", 0.5, "river", "Ⅳ"), ("氟化物", 1.0, "river", "Ⅰ"), ("氟化物", 1.01, "river", "Ⅳ"),
    ("氟化物", 1.51, "river", "劣Ⅴ"), ("硒", 0.02, "river", "Ⅳ"), ("砷", 0.051, "river", "Ⅳ"),
    ("硫化物", 0.5, "river", "Ⅳ"), ("阴离子表面活性剂", 0.3, "river", "Ⅳ"),
    ("总氮", 1.0, "lake", "Ⅲ"), ("粪大肠菌群", 2000, "river", "Ⅱ"), ("粪大肠菌群", 40001, "river", "劣Ⅴ"),
]


@pytest.mark.parametrize(("name", "value", "waterbody", "expected"), STANDARD_CASES)
def test_classes_from_the_standard(name, value, waterbody, expected):
    assert item_class(name, value, waterbody) == expected


def _boundary_cases():
    """(code, waterbody, value, expected) at and just past every limit of the table."""
    for row in SURFACE:
        if row.direction not in ("le", "ge"):
            continue
        step = Decimal(1).scaleb(-row.decimals)
        for waterbody, limits in (("river", row.limits), ("lake", row.lake_limits or row.limits)):
            ds = [Decimal(repr(b)) for b in limits]
            for bound in ds:
                at = CLASSES[ds.index(bound)]  # equal limits: the better class
                if row.direction == "le":
                    beyond = bound + step
                    after = next((CLASSES[i] for i, b in enumerate(ds) if b >= beyond), "劣Ⅴ")
                else:
                    beyond = bound - step
                    after = next((CLASSES[i] for i, b in enumerate(ds) if b <= beyond), "劣Ⅴ")
                yield pytest.param(row.code, waterbody, float(bound), at, id=f"{row.code}-{waterbody}-{bound}")
                yield pytest.param(row.code, waterbody, float(beyond), after, id=f"{row.code}-{waterbody}-{beyond}")


@pytest.mark.parametrize(("code", "waterbody", "value", "expected"), list(_boundary_cases()))
def test_every_limit_is_inclusive_and_the_next_representable_value_is_the_next_class(code, waterbody, value, expected):
    assert item_class(code, value, waterbody) == expected


@pytest.mark.parametrize(("value", "expected"), [
    # 2020 rules: pH is rounded to a whole number (四舍六入五成双) before it is classed
    (5.4, "劣Ⅴ"), (5.5, "Ⅰ"), (5.99, "Ⅰ"), (6.0, "Ⅰ"), (9.0, "Ⅰ"), (9.4, "Ⅰ"), (9.5, "劣Ⅴ"), (9.51, "劣Ⅴ"),
    (0, "劣Ⅴ"), (14, "劣Ⅴ"),
])
def test_ph_range(value, expected):
    assert item_class("pH", value) == expected


@pytest.mark.parametrize(("name", "value", "expected"), [
    ("氨氮", 0.504, "Ⅱ"),  # → 0.50
    ("氨氮", 0.505, "Ⅱ"),  # 五成双 → 0.50
    ("氨氮", 0.515, "Ⅲ"),  # 五成双 → 0.52
    ("化学需氧量", 15.04, "Ⅰ"),  # → 15.0
    ("化学需氧量", 15.05, "Ⅰ"),  # 五成双 → 15.0
    ("化学需氧量", 15.06, "Ⅲ"),  # → 15.1
    ("化学需氧量", 20.05, "Ⅲ"),  # → 20.0
    ("总磷", 0.2004, "Ⅲ"),
    ("溶解氧", 7.45, "Ⅱ"),  # 五成双 → 7.4
    ("溶解氧", 7.46, "Ⅰ"),  # → 7.5
    ("pH", 9.4, "Ⅰ"),
])
def test_values_are_rounded_half_even_to_the_items_decimals_before_classing(name, value, expected):
    assert item_class(name, value) == expected


def test_water_temperature_has_no_class():
    assert item_class("水温", 25.3) is None
    assert evaluate_sample({"水温": 25.3}).item_classes == {}


# Results below the detection limit.

@pytest.mark.parametrize(("name", "text", "expected"), [
    ("氨氮", "0.025L", "Ⅰ"),
    ("氨氮", "<0.025", "Ⅰ"),
    ("汞", "0.00004L", "Ⅰ"),
    ("汞", "0.0001L", "Ⅲ"),  # the detection limit is above Ⅰ's 0.00005: best class it still meets
    ("汞", "ND(0.00004)", "Ⅰ"),
    ("挥发酚", "0.0003L", "Ⅰ"),
    ("石油类", "0.01L", "Ⅰ"),
    ("六价铬", "0.004L", "Ⅰ"),
])
def test_results_below_the_detection_limit_are_classed_by_the_detection_limit(name, text, expected):
    assert item_class(name, text) == expected


def test_an_undetected_result_has_no_exceedance_and_is_no_main_pollutant():
    result = evaluate_sample({"汞": "0.002L", "氨氮": 0.3})
    assert result.klass == "劣Ⅴ"
    assert result.exceedance == {}
    assert result.main_pollutants == []
    assert result.values["Hg"] == Measurement(0.002, below_detection=True)
    assert result.values["Hg"].display.startswith("未检出")


# A whole sample.

SAMPLE = {"pH": 7.5, "溶解氧": 4.0, "高锰酸盐指数": 8.0, "化学需氧量": 32, "氨氮": 2.5, "总磷": 0.35,
          "汞": "0.00004L", "石油类": "0.01L", "水温": 18.2}


def test_section_class_is_the_worst_item_and_exceedance_is_against_class_iii():
    result = evaluate_sample(SAMPLE)
    assert result.klass == "劣Ⅴ"
    assert result.item_classes == {"pH": "Ⅰ", "DO": "Ⅳ", "CODMn": "Ⅳ", "COD": "Ⅴ", "NH3-N": "劣Ⅴ", "TP": "Ⅴ",
                                   "Hg": "Ⅰ", "Oil": "Ⅰ"}
    # (C − C_Ⅲ)/C_Ⅲ: NH3-N (2.5−1)/1; TP (0.35−0.2)/0.2; COD (32−20)/20; CODMn (8−6)/6; not DO.
    assert result.exceedance == {"NH3-N": 1.5, "TP": 0.75, "COD": 0.6, "CODMn": 0.33}
    assert result.main_pollutants == ["NH3-N", "TP", "COD"]
    assert result.status == "ok"


def test_exceedance_against_a_target_class():
    result = evaluate_sample(SAMPLE, target_class="Ⅳ")
    # NH3-N (2.5−1.5)/1.5; TP (0.35−0.3)/0.3; COD (32−30)/30; CODMn is Ⅳ (meets the target).
    assert result.exceedance_vs_target == {"NH3-N": 0.67, "TP": 0.17, "COD": 0.07}
    assert result.compliant is False
    assert evaluate_sample({"氨氮": 0.9}, target_class="Ⅲ").compliant is True


def test_main_pollutants_worst_class_first_then_largest_exceedance():
    # CODMn 15 is Ⅴ with multiple 1.5; NH3-N 2.1 is 劣Ⅴ with 1.1: the worse class comes first.
    result = evaluate_sample({"高锰酸盐指数": 15, "氨氮": 2.1, "总磷": 0.3, "化学需氧量": 25})
    assert result.exceedance == {"CODMn": 1.5, "NH3-N": 1.1, "TP": 0.5, "COD": 0.25}
    assert result.main_pollutants == ["NH3-N", "CODMn", "TP"]


def test_cyanide_and_heavy_metals_come_first_among_main_pollutants():
    result = evaluate_sample({"铅": 0.06, "氨氮": 2.5, "总磷": 0.5, "化学需氧量": 45})
    assert result.exceedance == {"Pb": 0.2, "NH3-N": 1.5, "TP": 1.5, "COD": 1.25}
    assert result.main_pollutants == ["Pb", "NH3-N", "TP"]


def test_no_main_pollutants_when_the_section_meets_class_iii():
    result = evaluate_sample({"氨氮": 1.0, "总磷": 0.2, "溶解氧": 5})
    assert result.klass == "Ⅲ"
    assert result.main_pollutants == [] and result.exceedance == {}


def test_dissolved_oxygen_can_be_a_main_pollutant_without_a_multiple():
    result = evaluate_sample({"溶解氧": 1.5, "氨氮": 2.5})
    assert result.exceedance == {"NH3-N": 1.5}
    assert result.main_pollutants == ["NH3-N", "DO"]


@pytest.mark.parametrize("waterbody", ["lake", "reservoir"])
def test_lakes_use_lake_phosphorus_limits_and_report_total_nitrogen_separately(waterbody):
    lake = evaluate_sample({"总磷": 0.06, "总氮": 1.8, "氨氮": 0.3}, waterbody=waterbody)
    assert lake.klass == "Ⅳ"  # TP 0.06 > lake Ⅲ 0.05; TN does not count
    assert lake.exceedance == {"TP": 0.2}
    assert lake.separate == {"TN": "Ⅴ"}
    river = evaluate_sample({"总磷": 0.06, "总氮": 1.8, "氨氮": 0.3})
    assert river.klass == "Ⅱ" and river.separate == {}


def test_fecal_coliforms_are_classed_but_not_evaluated():
    result = evaluate_sample({"粪大肠菌群": 30000, "氨氮": 0.3})
    assert result.klass == "Ⅱ"
    assert result.separate == {"FC": "Ⅴ"}


# Periods and states.

def test_period_class_from_the_means_of_the_months():
    months = [{"氨氮": 0.8, "溶解氧": 6}, {"氨氮": 1.2, "溶解氧": 5}, {"氨氮": 1.3, "溶解氧": 4}]
    result = evaluate_period(months)
    assert result.values["NH3-N"].value == 1.1  # mean 1.1 → Ⅳ, though two months are Ⅲ/Ⅳ
    assert result.item_classes == {"DO": "Ⅲ", "NH3-N": "Ⅳ"}
    assert result.klass == "Ⅳ"
    assert result.exceedance == {"NH3-N": 0.1}


def test_period_means_count_undetected_results_as_half_the_detection_limit():
    means = period_means([{"氨氮": "0.025L"}, {"氨氮": 0.5}, {"氨氮": 0.7}])
    assert means["NH3-N"].value == pytest.approx((0.0125 + 0.5 + 0.7) / 3)
    assert evaluate_period([{"氨氮": "0.025L"}, {"氨氮": 0.5}, {"氨氮": 0.7}]).item_classes == {"NH3-N": "Ⅱ"}
    all_undetected = period_means([{"汞": "0.00004L"}, {"汞": "0.00001L"}])
    assert all_undetected["Hg"] == Measurement(0.00004, below_detection=True)


@pytest.mark.parametrize("status", ["dry", "not_monitored", "frozen", "out_of_service"])
def test_dry_or_unmonitored_sections_have_no_class(status):
    result = evaluate_sample({"氨氮": 3}, status=status, target_class="Ⅲ")
    assert result.klass is None and result.status == status
    assert result.item_classes == {} and result.main_pollutants == []
    assert result.compliant is None


def test_a_period_without_samples_is_not_monitored():
    assert evaluate_period([]).status == "not_monitored"


@pytest.mark.parametrize(("klass", "target", "expected"), [
    ("Ⅰ", "Ⅲ", True), ("Ⅲ", "Ⅲ", True), ("Ⅳ", "Ⅲ", False), ("劣Ⅴ", "Ⅴ", False), ("Ⅴ", "劣Ⅴ", True),
    ("Ⅱ", "Ⅱ", True), (None, "Ⅲ", None),
])
def test_compliance(klass, target, expected):
    assert compliance(klass, target) is expected


# Refusals.

@pytest.mark.parametrize(("values", "fragment"), [
    ({"氨氮": "-0.1"}, "负数"),
    ({"氨氮": "abc"}, "不是数字"),
    ({"pH": 15}, "0～14"),
    ({"pH": "6L"}, "检出限"),
    ({"溶解氧": "0.5L"}, "检出限"),
    ({"氨氮": Measurement(-1.0)}, "负数"),
])
def test_unusable_values_are_refused(values, fragment):
    with pytest.raises(ValueProblem, match=fragment):
        evaluate_sample(values)


def test_unknown_items_and_options_are_refused():
    with pytest.raises(EnvmapError, match="叶绿素b"):
        evaluate_sample({"叶绿素b": 3})
    assert evaluate_sample({"叶绿素a": 0.003, "氨氮": 0.2}).klass == "Ⅱ"  # known, not classed
    with pytest.raises(EnvmapError, match="两次"):
        evaluate_sample({"氨氮": 1, "NH3-N": 1})
    with pytest.raises(EnvmapError, match="水体类型"):
        evaluate_sample({"氨氮": 1}, waterbody="sea")
    with pytest.raises(EnvmapError, match="水质类别"):
        evaluate_sample({"氨氮": 1}, target_class="III")
    with pytest.raises(EnvmapError, match="监测状态"):
        evaluate_sample({"氨氮": 1}, status="flooded")
