"""Responsible-unit cells: separators, PDF line-wrap spaces, parentheses."""

from __future__ import annotations

import pytest

from geodata.plans.units import split_persons, split_units, units_from_parenthetical


@pytest.mark.parametrize(
    ("cell", "units"),
    [
        ("市生态环境局 襄垣分局 县水利局", ["市生态环境局襄垣分局", "县水利局"]),  # 001 项目清单
        ("古韩镇政府 市生态环境局 襄垣分局", ["古韩镇政府", "市生态环境局襄垣分局"]),
        ("市生态环境局 襄垣分局 经开区管委会 涉及企业", ["市生态环境局襄垣分局", "经开区管委会", "涉及企业"]),
        ("山西陵川 崇安苏村煤业 有限公司", ["山西陵川崇安苏村煤业有限公司"]),  # 004 重点工程
        ("市生态环境局，各县（市、区）人民政府、开发区管委会", ["市生态环境局", "各县（市、区）人民政府", "开发区管委会"]),
        ("泽州县政府 丹河新城建设投资集团有限公司", ["泽州县政府", "丹河新城建设投资集团有限公司"]),
        ("市生态环境局、市工信", ["市生态环境局", "市工信"]),
        ("", []),
    ],
)
def test_split_units(cell, units):
    assert split_units(cell) == units


@pytest.mark.parametrize(
    ("text", "units"),
    [
        (
            "市生态环境局、市水务局按职责牵头，市财政局配合，各县[市、区]人民政府负责。以下各项任务均需各县[市、区]人民政府负责，不再列出",
            ["市生态环境局", "市水务局", "市财政局", "各县[市、区]人民政府"],
        ),
        ("责任单位：市生态环境局，各县（市、区）人民政府、开发区管委会", ["市生态环境局", "各县（市、区）人民政府", "开发区管委会"]),
        ("市农业农村局、市生态环境局、市市场监管局、市发展改革委等按职责分工负责", ["市农业农村局", "市生态环境局", "市市场监管局", "市发展改革委"]),
        ("县水利局牵头，县自然资源局、县林业局、县后湾水库服务中心按职责分工配合", ["县水利局", "县自然资源局", "县林业局", "县后湾水库服务中心"]),
    ],
)
def test_units_from_parenthetical(text, units):
    assert units_from_parenthetical(text) == units


def test_split_persons():
    assert split_persons("赵志清 石建祥 李向阳") == ["赵志清", "石建祥", "李向阳"]
