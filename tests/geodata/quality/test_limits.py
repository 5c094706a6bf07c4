"""The limit tables: completeness, shape and aliases."""

from __future__ import annotations

from decimal import Decimal

import pytest

from geodata.quality.limits import GB3838, GB14848, GROUNDWATER, SURFACE, item, lookup, split_header

EVALUATED_21 = {
    "pH", "DO", "CODMn", "COD", "BOD5", "NH3-N", "TP", "Cu", "Zn", "F", "Se", "As", "Hg", "Cd", "Cr6+",
    "Pb", "CN", "VPh", "Oil", "LAS", "S2-",
}


def _decimals(number: float) -> int:
    return max(0, -Decimal(repr(number)).normalize().as_tuple().exponent)


def test_surface_table_has_all_24_items_of_table_1_in_order():
    assert len(SURFACE) == 24
    assert [row.item_no for row in SURFACE] == [f"GB3838 表1 第{n}项" for n in range(1, 25)]
    assert {row.standard for row in SURFACE} == {GB3838}
    assert len({row.code for row in SURFACE}) == 24


def test_the_21_evaluated_items_exclude_water_temperature_total_nitrogen_and_fecal_coliforms():
    assert {row.code for row in SURFACE if row.evaluated} == EVALUATED_21
    assert {row.name for row in SURFACE if not row.evaluated} == {"水温", "总氮", "粪大肠菌群"}


@pytest.mark.parametrize("row", [r for r in SURFACE if r.direction != "none"], ids=lambda r: r.code)
def test_surface_rows_have_five_ordered_limits(row):
    assert len(row.limits) == 5
    if row.direction == "le":
        assert list(row.limits) == sorted(row.limits)
    elif row.direction == "ge":
        assert list(row.limits) == sorted(row.limits, reverse=True)


@pytest.mark.parametrize("row", [r for r in SURFACE if r.direction != "none"], ids=lambda r: r.code)
def test_rounding_keeps_every_limit_distinguishable(row):
    bounds = [b for limit in (row.limits + (row.lake_limits or ())) for b in (limit if isinstance(limit, tuple) else (limit,))]
    assert row.decimals is not None and row.decimals >= max(_decimals(b) for b in bounds)


def test_exceedance_is_not_computed_for_ph_do_and_temperature():
    assert {row.code for row in SURFACE if not row.exceedance} == {"WT", "pH", "DO"}


def test_total_phosphorus_has_lake_limits_and_total_nitrogen_is_for_lakes_only():
    assert item("TP").lake_limits == (0.01, 0.025, 0.05, 0.1, 0.2)
    assert item("TN").lake_only and item("TN").limits == (0.2, 0.5, 1.0, 1.5, 2.0)


@pytest.mark.parametrize("row", GROUNDWATER, ids=lambda r: r.code)
def test_groundwater_rows_list_four_limits_class_v_being_above_iv(row):
    assert row.standard == GB14848
    assert len(row.limits) == 4
    assert row.classes == ("Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ")
    if row.direction == "le":
        numbers = [b for b in row.limits if b is not None]
        assert numbers == sorted(numbers)


def test_groundwater_covers_the_conventional_indicators_asked_for():
    names = {row.name for row in GROUNDWATER}
    assert {
        "pH", "总硬度", "溶解性总固体", "硫酸盐", "氯化物", "铁", "锰", "铜", "锌", "挥发性酚类", "阴离子表面活性剂",
        "耗氧量", "氨氮", "硫化物", "钠", "总大肠菌群", "菌落总数", "亚硝酸盐", "硝酸盐", "氰化物", "氟化物", "碘化物",
        "汞", "砷", "硒", "镉", "铬(六价)", "铅",
    } <= names


SURFACE_ALIASES = [
    ("氨氮", "NH3-N"), ("NH3-N", "NH3-N"), ("NH3_N", "NH3-N"), ("氨氮(mg/L)", "NH3-N"), ("氨氮（mg/L）", "NH3-N"),
    ("nh3-n", "NH3-N"), ("高锰酸盐指数", "CODMn"), ("CODMn", "CODMn"), ("高锰酸钾指数", "CODMn"),
    ("化学需氧量", "COD"), ("COD", "COD"), ("CODcr", "COD"), ("五日生化需氧量", "BOD5"), ("BOD5", "BOD5"),
    ("总磷", "TP"), ("TP", "TP"), ("总磷(以P计)", "TP"), ("总氮", "TN"), ("TN", "TN"), ("溶解氧", "DO"),
    ("DO", "DO"), ("pH值", "pH"), ("pH", "pH"), ("石油类", "Oil"), ("挥发酚", "VPh"), ("氟化物", "F"),
    ("硫化物", "S2-"), ("氰化物", "CN"), ("阴离子表面活性剂", "LAS"), ("LAS", "LAS"), ("铜", "Cu"), ("锌", "Zn"),
    ("硒", "Se"), ("砷", "As"), ("汞", "Hg"), ("汞(μg/L)", "Hg"), ("镉", "Cd"), ("六价铬", "Cr6+"),
    ("铬(六价)", "Cr6+"), ("铅", "Pb"), ("粪大肠菌群", "FC"), ("粪大肠菌群(个/L)", "FC"), ("水温", "WT"),
]


@pytest.mark.parametrize(("alias", "code"), SURFACE_ALIASES)
def test_surface_aliases(alias, code):
    assert lookup(alias, "surface").code == code


@pytest.mark.parametrize(("alias", "code"), [
    ("总硬度", "TH"), ("总硬度(以CaCO3计)", "TH"), ("耗氧量", "CODMn"), ("耗氧量(CODMn法,以O2计)", "CODMn"),
    ("硝酸盐(以N计)", "NO3-N"), ("亚硝酸盐", "NO2-N"), ("挥发酚", "VPh"), ("六价铬", "Cr6+"), ("氨氮(mg/L)", "NH3-N"),
])
def test_groundwater_aliases(alias, code):
    assert lookup(alias, "groundwater").code == code


def test_unknown_names_are_not_guessed():
    assert lookup("叶绿素b", "surface") is None
    assert lookup("氨氮(ppm)", "surface") is None
    assert lookup("总硬度", "surface") is None


@pytest.mark.parametrize(("header", "code"), [
    ("溶氧量", "DO"), ("叶绿素α(mg/L)", "Chla"), ("电导率(μS/cm)", "EC"), ("浊度(NTU)", "NTU"),
    ("藻密度(cells/L)", "ALG"), ("透明度(m)", "SD"), ("水温(℃)", "WT"), ("pH(无量纲)", "pH"),
])
def test_every_column_of_the_national_platform_is_an_item(header, code):
    assert lookup(header, "surface").code == code


def test_split_header_keeps_a_bracket_that_is_not_a_unit():
    assert split_header("氨氮(mg/L)") == ("氨氮", "mg/L")
    assert split_header("汞（μg/L）") == ("汞", "μg/L")
    assert split_header("硝酸盐(以N计)") == ("硝酸盐(以N计)", "")
