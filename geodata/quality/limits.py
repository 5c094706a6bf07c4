"""The water-quality standards' limits, declared once as tables.

``SURFACE`` is GB 3838-2002《地表水环境质量标准》表1 (basic items, all 24 rows);
``GROUNDWATER`` is GB/T 14848-2017《地下水质量标准》表1 (conventional indicators, the
quantitative ones). Every other module of :mod:`geodata.quality` reads limits, units, rounding
and aliases from these rows; nothing else writes a limit value.

Conventions of a :class:`Limit` row
-----------------------------------
``limits`` holds one entry per class starting at Ⅰ. A value is of the *best* class whose limit
it meets (GB/T 14848-2017 §9.1 “指标限值相同时，从优不从劣”; the same reading is used for
GB 3838, e.g. COD 15 mg/L is Ⅰ, not Ⅱ). A value meeting none of the listed limits is of the
next class: 劣Ⅴ for GB 3838 (five limits listed), Ⅴ for GB/T 14848 (four limits listed, its
Ⅴ being “> Ⅳ limit”).

* ``direction="le"``: the limit is a maximum (value ≤ limit). ``None`` as a limit means
  “不得检出” (GB/T 14848 阴离子表面活性剂 Ⅰ类): only a result below the detection limit meets it.
* ``direction="ge"``: the limit is a minimum (溶解氧, value ≥ limit).
* ``direction="range"``: each limit is a closed ``(low, high)`` interval (pH).
* ``direction="none"``: the item has no class limits (水温).

Rounding (数值修约, GB/T 8170-2008 “四舍六入五成双”): ``decimals`` is the number of decimal
places a value is rounded to before it is classed — the 评价数据修约 table of
《地表水环境质量监测数据统计技术规定（试行）》(环办监测函〔2020〕82号). ``hourly_decimals`` is
the precision of one automatic-station reading (小时数据修约, 《地表水自动监测数据处理方法及修约
规则（试行）》总站水字〔2020〕90号): a single reading is classed at that precision, period means
at ``decimals``. Sources of the numbers: the public transcriptions of both tables (the
SurfaceWater library's ``StatisticalTechnicalRegulations``, citing both documents), and the
national automatic-station platform itself, whose November 2025 pages show values at
``decimals`` (pH 9, DO 12.1, NH3-N 0.02 for a raw 0.025) and whose February 2026 pages show
readings at ``hourly_decimals`` (pH 7.91, CODMn 2.63, NH3-N 0.122) with the class computed at
that precision (tests/fixtures/monitoring/README.md; ``tests/geodata/quality/test_rounding.py``).
A rounded result of 0 keeps one significant figure (总站水字〔2018〕87号 《国家地表水环境质量监测
数据修约处理规则（试行）》). For GB/T 14848 ``decimals`` is ``None``: values are compared as
reported (GB/T 8170-2008 §4.3 全数值比较法, the standard fixes no rounding).

``physical`` is the range a real result can have (pH 0–14, a concentration below an extreme
that no natural or polluted water reaches); a value outside it is refused at import with the
row named, so “1e25”, “1e309” (inf) or “NaN” never reach an evaluation. ``method_dl`` is the
lowest detection limit of the first analytical method GB 3838-2002 表4 lists for the item; a
result written “未检出”/“ND” without its own limit is taken at that limit.

``evaluated`` marks the 21 items of 《地表水环境质量评价办法（试行）》(环办〔2011〕22号) —
表1 less 水温、粪大肠菌群、总氮. 总氮 is classed and reported separately for lakes and
reservoirs only. ``exceedance`` marks items for which an exceedance multiple is computed
(not 水温、pH、溶解氧). ``priority`` marks cyanide and the heavy metals, which the 办法 puts
first among the main pollutants when they exceed Ⅲ.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from geodata.model import CLASSES

GB3838 = "GB 3838-2002"
GB14848 = "GB/T 14848-2017"
STANDARDS = {"surface": GB3838, "groundwater": GB14848}
# waterbody types evaluated with the lake/reservoir limits (GB 3838-2002 表1 “湖、库”)
LAKE_BASES = ("lake", "reservoir")


@dataclass(frozen=True)
class Limit:
    """One row of a standard's limit table."""

    standard: str
    item_no: str
    code: str
    name: str
    unit: str
    direction: str  # "le" | "ge" | "range" | "none"
    limits: tuple[Any, ...]  # per class from Ⅰ: float | None | (low, high)
    decimals: int | None
    exceedance: bool = True
    evaluated: bool = True
    lake_limits: tuple[float, ...] | None = None  # 湖、库 limits (总磷)
    lake_only: bool = False  # classed only for lakes and reservoirs (总氮)
    priority: bool = False  # 氰化物、重金属: first among the main pollutants when > Ⅲ
    aliases: tuple[str, ...] = ()
    note: str = ""
    hourly_decimals: int | None = None  # one automatic-station reading (总站水字〔2020〕90号)
    physical: tuple[float, float] = (0.0, 1e5)  # a real result lies inside; outside is refused
    method_dl: float | None = None  # GB 3838-2002 表4: lowest detection limit of the first method

    @property
    def classes(self) -> tuple[str, ...]:
        """The classes this row can yield: one per limit, plus the class beyond the last."""
        return CLASSES[: len(self.limits) + 1]

    def limits_for(self, waterbody: str = "river") -> tuple[Any, ...]:
        """The limits for a river or for a lake/reservoir (湖、库: 总磷's own limits)."""
        if waterbody in LAKE_BASES and self.lake_limits is not None:
            return self.lake_limits
        return self.limits


def _s(no: int, code: str, name: str, unit: str, direction: str, limits: tuple[Any, ...], decimals: int | None,
       *aliases: str, **kw: Any) -> Limit:
    return Limit(GB3838, f"GB3838 表1 第{no}项", code, name, unit, direction, limits, decimals,
                 aliases=(name, code, *aliases), **kw)


def _g(no: int, code: str, name: str, unit: str, limits: tuple[Any, ...], *aliases: str,
       direction: str = "le", **kw: Any) -> Limit:
    return Limit(GB14848, f"GB/T14848 表1 第{no}项", code, name, unit, direction, limits, None,
                 exceedance=False, aliases=(name, code, *aliases), **kw)


MG = "mg/L"
PH_SURFACE = (6.0, 9.0)

# GB 3838-2002 表1 地表水环境质量标准基本项目标准限值（单位 mg/L，另注者除外）. Per row: limits,
# evaluation decimals (环办监测函〔2020〕82号), hourly decimals (总站水字〔2020〕90号, automatic
# items only), physical range, GB 3838-2002 表4 lowest detection limit.
SURFACE: tuple[Limit, ...] = (
    _s(1, "WT", "水温", "℃", "none", (), 1, "温度", "T", exceedance=False, evaluated=False, hourly_decimals=1,
       physical=(-5.0, 50.0),
       note="人为造成的环境水温变化应限制在：周平均最大温升≤1，周平均最大温降≤2；无分类限值，不参与评价"),
    _s(2, "pH", "pH值", "无量纲", "range", (PH_SURFACE,) * 5, 0, "pH", "PH值", "酸碱度", exceedance=False,
       hourly_decimals=2, physical=(0.0, 14.0), note="各类均为 6～9；超出即劣Ⅴ类。评价修约至整数，均值经氢离子浓度计算"),
    _s(3, "DO", "溶解氧", "mg/L", "ge", (7.5, 6.0, 5.0, 3.0, 2.0), 1, "DO(溶解氧)", "溶氧量", "溶氧", exceedance=False,
       hourly_decimals=2, physical=(0.0, 50.0), method_dl=0.2,
       note="Ⅰ类为饱和率 90%（或 7.5）；本表以 7.5 mg/L 计。表4 碘量法 0.2"),
    _s(4, "CODMn", "高锰酸盐指数", MG, "le", (2.0, 4.0, 6.0, 10.0, 15.0), 1, "高锰酸钾指数", "COD_Mn",
       "CODmn", "IMn", hourly_decimals=2, physical=(0.0, 1000.0), method_dl=0.5, note="表4 GB 11892-89，0.5"),
    _s(5, "COD", "化学需氧量", MG, "le", (15.0, 15.0, 20.0, 30.0, 40.0), 1, "CODcr", "COD_Cr", "CODCr",
       physical=(0.0, 10000.0), method_dl=10.0, note="表4 重铬酸盐法 GB 11914-89，10"),
    _s(6, "BOD5", "五日生化需氧量", MG, "le", (3.0, 3.0, 4.0, 6.0, 10.0), 1, "BOD", "BOD_5", "BOD₅",
       "生化需氧量", physical=(0.0, 5000.0), method_dl=2.0, note="表4 稀释与接种法 GB 7488-87，2"),
    _s(7, "NH3-N", "氨氮", MG, "le", (0.15, 0.5, 1.0, 1.5, 2.0), 2, "NH3_N", "NH3N", "NH₃-N", "氨氮(NH3-N)",
       hourly_decimals=3, physical=(0.0, 1000.0), method_dl=0.05, note="以 N 计；表4 纳氏试剂比色法 GB 7479-87，0.05"),
    _s(8, "TP", "总磷", MG, "le", (0.02, 0.1, 0.2, 0.3, 0.4), 3, "总磷(以P计)", "T-P",
       lake_limits=(0.01, 0.025, 0.05, 0.1, 0.2), hourly_decimals=3, physical=(0.0, 500.0), method_dl=0.01,
       note="以 P 计；湖、库限值另列；表4 钼酸铵分光光度法 GB 11893-89，0.01"),
    _s(9, "TN", "总氮", MG, "le", (0.2, 0.5, 1.0, 1.5, 2.0), 2, "总氮(以N计)", "T-N", evaluated=False,
       lake_only=True, hourly_decimals=2, physical=(0.0, 1000.0), method_dl=0.05,
       note="湖、库，以 N 计；不参与断面类别评价，湖库单独评价；表4 碱性过硫酸钾消解紫外分光光度法，0.05"),
    _s(10, "Cu", "铜", MG, "le", (0.01, 1.0, 1.0, 1.0, 1.0), 3, "总铜", physical=(0.0, 1000.0), method_dl=0.001,
       note="表4 原子吸收分光光度法（螯合萃取法）0.001"),
    _s(11, "Zn", "锌", MG, "le", (0.05, 1.0, 1.0, 2.0, 2.0), 3, "总锌", physical=(0.0, 1000.0), method_dl=0.05,
       note="表4 原子吸收分光光度法 0.05"),
    _s(12, "F", "氟化物", MG, "le", (1.0, 1.0, 1.0, 1.5, 1.5), 3, "氟化物(以F-计)", "F-", "氟", physical=(0.0, 1000.0),
       method_dl=0.05, note="表4 氟试剂分光光度法 0.05"),
    _s(13, "Se", "硒", MG, "le", (0.01, 0.01, 0.01, 0.02, 0.02), 4, "总硒", physical=(0.0, 100.0), method_dl=0.00025,
       note="表4 2,3-二氨基萘荧光法 0.00025"),
    _s(14, "As", "砷", MG, "le", (0.05, 0.05, 0.05, 0.1, 0.1), 4, "总砷", priority=True, physical=(0.0, 100.0),
       method_dl=0.007, note="表4 二乙基二硫代氨基甲酸银分光光度法 0.007"),
    _s(15, "Hg", "汞", MG, "le", (0.00005, 0.00005, 0.0001, 0.001, 0.001), 5, "总汞", priority=True,
       physical=(0.0, 100.0), method_dl=0.00005, note="表4 冷原子吸收分光光度法 0.00005"),
    _s(16, "Cd", "镉", MG, "le", (0.001, 0.005, 0.005, 0.005, 0.01), 5, "总镉", priority=True, physical=(0.0, 100.0),
       method_dl=0.001, note="表4 原子吸收分光光度法（螯合萃取法）0.001"),
    _s(17, "Cr6+", "六价铬", MG, "le", (0.01, 0.05, 0.05, 0.05, 0.1), 3, "铬(六价)", "铬（六价）", "Cr(VI)",
       "Cr6", "CrVI", priority=True, physical=(0.0, 100.0), method_dl=0.004, note="表4 二苯碳酰二肼分光光度法 0.004"),
    _s(18, "Pb", "铅", MG, "le", (0.01, 0.01, 0.05, 0.05, 0.1), 3, "总铅", priority=True, physical=(0.0, 100.0),
       method_dl=0.01, note="表4 原子吸收分光光度法（螯合萃取法）0.01"),
    _s(19, "CN", "氰化物", MG, "le", (0.005, 0.05, 0.2, 0.2, 0.2), 3, "总氰化物", "CN-", priority=True,
       physical=(0.0, 100.0), method_dl=0.004, note="表4 异烟酸-吡唑啉酮比色法 0.004"),
    _s(20, "VPh", "挥发酚", MG, "le", (0.002, 0.002, 0.005, 0.01, 0.1), 4, "挥发性酚类", "挥发酚类", "酚",
       physical=(0.0, 1000.0), method_dl=0.002, note="表4 蒸馏后4-氨基安替比林分光光度法 0.002"),
    _s(21, "Oil", "石油类", MG, "le", (0.05, 0.05, 0.05, 0.5, 1.0), 2, "石油", "油类", physical=(0.0, 10000.0),
       method_dl=0.01, note="表4 红外分光光度法 0.01"),
    _s(22, "LAS", "阴离子表面活性剂", MG, "le", (0.2, 0.2, 0.2, 0.3, 0.3), 2, "阴离子表面活性剂(LAS)",
       physical=(0.0, 1000.0), method_dl=0.05, note="表4 亚甲蓝分光光度法 0.05"),
    _s(23, "S2-", "硫化物", MG, "le", (0.05, 0.1, 0.2, 0.5, 1.0), 3, "S2", "S²⁻", "硫化物(以S2-计)",
       physical=(0.0, 1000.0), method_dl=0.005, note="表4 亚甲基蓝分光光度法 0.005"),
    _s(24, "FC", "粪大肠菌群", "个/L", "le", (200.0, 2000.0, 10000.0, 20000.0, 40000.0), 0,
       "粪大肠杆菌", "粪大肠菌", evaluated=False, physical=(0.0, 1e10), note="不参与断面类别评价；单独报告"),
)

# Items an automatic station or a lake survey reports beside 表1: they have no class limits, are
# kept with the readings and feed the trophic state (叶绿素a、透明度, 《湖泊（水库）富营养化评价方法
# 及分级技术规定》) or nothing at all (电导率、浊度、藻密度).
AUXILIARY: tuple[Limit, ...] = (
    Limit(GB3838, "自动站参数", "EC", "电导率", "μS/cm", "none", (), 1, exceedance=False, evaluated=False,
          aliases=("电导率", "EC", "电导", "电导率(μS/cm)"), hourly_decimals=1, physical=(0.0, 200000.0)),
    Limit(GB3838, "自动站参数", "NTU", "浊度", "NTU", "none", (), 1, exceedance=False, evaluated=False,
          aliases=("浊度", "NTU", "浑浊度", "Turbidity"), hourly_decimals=1, physical=(0.0, 10000.0)),
    Limit(GB3838, "营养状态指标", "Chla", "叶绿素a", MG, "none", (), 3, exceedance=False, evaluated=False,
          aliases=("叶绿素a", "叶绿素α", "叶绿素", "Chla", "Chl-a", "chla", "叶绿素A"), hourly_decimals=3,
          physical=(0.0, 10.0), note="平台以 mg/L 发布；营养状态指数按 mg/m³（×1000）计算"),
    Limit(GB3838, "自动站参数", "ALG", "藻密度", "cells/L", "none", (), 0, exceedance=False, evaluated=False,
          aliases=("藻密度", "藻类密度", "ALG"), hourly_decimals=0, physical=(0.0, 1e13)),
    Limit(GB3838, "营养状态指标", "SD", "透明度", "m", "none", (), 2, exceedance=False, evaluated=False,
          aliases=("透明度", "SD", "透明度(m)"), physical=(0.0, 100.0)),
)

PH_GW = ((6.5, 8.5), (6.5, 8.5), (6.5, 8.5), (5.5, 9.0))

# GB/T 14848-2017 表1 地下水质量常规指标及限值（可定量的 35 项；嗅和味、肉眼可见物为定性
# 指标，总α、总β放射性的Ⅳ、Ⅴ类限值相同（>0.5、>1.0），均未列入）. Ⅴ类 = 超过Ⅳ类限值.
GROUNDWATER: tuple[Limit, ...] = (
    _g(1, "color", "色", "铂钴色度单位", (5.0, 5.0, 15.0, 25.0), "色度"),
    _g(3, "turbidity", "浑浊度", "NTU", (3.0, 3.0, 3.0, 10.0), "浊度"),
    _g(5, "pH", "pH", "无量纲", PH_GW, "pH值", "PH值", direction="range", physical=(0.0, 14.0),
       note="Ⅰ–Ⅲ 6.5≤pH≤8.5；Ⅳ 5.5≤pH<6.5 或 8.5<pH≤9.0；Ⅴ pH<5.5 或 pH>9.0"),
    _g(6, "TH", "总硬度", MG, (150.0, 300.0, 450.0, 650.0), "总硬度(以CaCO3计)", "硬度"),
    _g(7, "TDS", "溶解性总固体", MG, (300.0, 500.0, 1000.0, 2000.0), "溶解性固体"),
    _g(8, "SO4", "硫酸盐", MG, (50.0, 150.0, 250.0, 350.0), "SO42-", "SO4²⁻"),
    _g(9, "Cl", "氯化物", MG, (50.0, 150.0, 250.0, 350.0), "Cl-"),
    _g(10, "Fe", "铁", MG, (0.1, 0.2, 0.3, 2.0)),
    _g(11, "Mn", "锰", MG, (0.05, 0.05, 0.10, 1.50)),
    _g(12, "Cu", "铜", MG, (0.01, 0.05, 1.00, 1.50)),
    _g(13, "Zn", "锌", MG, (0.05, 0.5, 1.00, 5.00)),
    _g(14, "Al", "铝", MG, (0.01, 0.05, 0.20, 0.50)),
    _g(15, "VPh", "挥发性酚类", MG, (0.001, 0.001, 0.002, 0.01), "挥发酚", "挥发性酚类(以苯酚计)"),
    _g(16, "LAS", "阴离子表面活性剂", MG, (None, 0.1, 0.3, 0.3), note="Ⅰ类：不得检出"),
    _g(17, "CODMn", "耗氧量", MG, (1.0, 2.0, 3.0, 10.0), "耗氧量(CODMn法)", "耗氧量(CODMn法,以O2计)",
       "高锰酸盐指数", "高锰酸钾指数"),
    _g(18, "NH3-N", "氨氮", MG, (0.02, 0.10, 0.50, 1.50), "NH3_N", "NH3N", "氨氮(以N计)"),
    _g(19, "S2-", "硫化物", MG, (0.005, 0.01, 0.02, 0.10)),
    _g(20, "Na", "钠", MG, (100.0, 150.0, 200.0, 400.0)),
    _g(21, "TC", "总大肠菌群", "MPN/100mL", (3.0, 3.0, 3.0, 100.0), "总大肠菌", physical=(0.0, 1e10),
       note="MPN/100mL 或 CFU/100mL"),
    _g(22, "TPC", "菌落总数", "CFU/mL", (100.0, 100.0, 100.0, 1000.0), "细菌总数", physical=(0.0, 1e10)),
    _g(23, "NO2-N", "亚硝酸盐", MG, (0.01, 0.10, 1.00, 4.80), "亚硝酸盐(以N计)", "亚硝酸盐氮", "NO2_N"),
    _g(24, "NO3-N", "硝酸盐", MG, (2.0, 5.0, 20.0, 30.0), "硝酸盐(以N计)", "硝酸盐氮", "NO3_N"),
    _g(25, "CN", "氰化物", MG, (0.001, 0.01, 0.05, 0.1)),
    _g(26, "F", "氟化物", MG, (1.0, 1.0, 1.0, 2.0)),
    _g(27, "I", "碘化物", MG, (0.04, 0.04, 0.08, 0.50)),
    _g(28, "Hg", "汞", MG, (0.0001, 0.0001, 0.001, 0.002)),
    _g(29, "As", "砷", MG, (0.001, 0.001, 0.01, 0.05)),
    _g(30, "Se", "硒", MG, (0.01, 0.01, 0.01, 0.1)),
    _g(31, "Cd", "镉", MG, (0.0001, 0.001, 0.005, 0.01)),
    _g(32, "Cr6+", "铬(六价)", MG, (0.005, 0.01, 0.05, 0.10), "六价铬", "铬（六价）", "Cr(VI)", "Cr6"),
    _g(33, "Pb", "铅", MG, (0.005, 0.005, 0.01, 0.10)),
    _g(34, "CHCl3", "三氯甲烷", "μg/L", (0.5, 6.0, 60.0, 300.0), "氯仿"),
    _g(35, "CCl4", "四氯化碳", "μg/L", (0.5, 0.5, 2.0, 50.0)),
    _g(36, "C6H6", "苯", "μg/L", (0.5, 1.0, 10.0, 120.0)),
    _g(37, "C7H8", "甲苯", "μg/L", (0.5, 140.0, 700.0, 1400.0)),
)

TABLES: dict[str, tuple[Limit, ...]] = {"surface": SURFACE, "groundwater": GROUNDWATER}
# every row a file column may name, per standard (表1 plus the auxiliary items of surface water)
NAMED: dict[str, tuple[Limit, ...]] = {"surface": SURFACE + AUXILIARY, "groundwater": GROUNDWATER}

_UNIT_SUFFIX = re.compile(r"[（(][^（()）]*[)）]\s*$")
_IGNORED = re.compile(r"[\s_\-－—·.．]")


def split_header(header: str) -> tuple[str, str]:
    """``"氨氮(mg/L)"`` → ``("氨氮", "mg/L")``; a parenthesised part that is not a unit stays."""
    text = header.strip()
    match = _UNIT_SUFFIX.search(text)
    if match:
        inner = match.group(0).strip()[1:-1].strip()
        from geodata.quality.values import is_unit  # late import: values imports this module

        if is_unit(inner):
            return text[: match.start()].strip(), inner
    return text, ""


def normalize_name(name: str) -> str:
    """The form aliases are compared in: lower case, no spaces/underscores/hyphens, ASCII brackets."""
    text = name.strip().replace("（", "(").replace("）", ")").replace("₃", "3").replace("₅", "5")
    return _IGNORED.sub("", text).lower()


def _index(table: tuple[Limit, ...]) -> dict[str, Limit]:
    index: dict[str, Limit] = {}
    for row in table:
        for alias in row.aliases:
            key = normalize_name(alias)
            if key in index and index[key] is not row:  # pragma: no cover - guarded by a test
                raise ValueError(f"alias {alias!r} names two items")
            index[key] = row
    return index


_INDEX = {standard: _index(table) for standard, table in NAMED.items()}


def lookup(name: str, standard: str = "surface") -> Limit | None:
    """The row named ``name`` (code, Chinese name or alias, with or without a unit suffix)."""
    index = _INDEX[standard]
    key = normalize_name(name)
    if key in index:
        return index[key]
    bare, _unit = split_header(name)
    return index.get(normalize_name(bare))


def item(code: str, standard: str = "surface") -> Limit:
    """The row with ``code``; KeyError when there is none."""
    for row in NAMED[standard]:
        if row.code == code:
            return row
    raise KeyError(code)
