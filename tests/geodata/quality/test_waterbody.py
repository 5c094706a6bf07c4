"""The waterbody type of a section and the limits it is evaluated by."""

from __future__ import annotations

import pandas as pd
import pytest

from geodata.quality.waterbody import assign, basis_of, by_rule, parse_waterbody, section_waterbody
from tests.conftest import REPO


@pytest.mark.parametrize(("name", "river", "expected"), [
    ("汾河水库出口", "汾河", "river"),  # the platform: river limits
    ("后湾水库出口", "浊漳西源", "river"),
    ("张峰水库出口", "张峰水库", "river"),  # an outlet, even when the river recorded is the reservoir
    ("南太子河入库口", "太子河南支", "river"),
    ("三门峡水库", "三门峡水库", "reservoir"),
    ("小浪底水库南山", "小浪底水库", "reservoir"),
    ("九女湖", "", "lake"),
    ("兰山嘴", "太湖", "lake"),
    ("草海中心", "滇池", "lake"),
    ("邛海湖心", "邛海", "lake"),
    ("采蒲台", "白洋淀", "lake"),
    ("湘家荡", "湘家荡", "lake"),
    ("大黑汀水库", "滦河", "river"),  # the platform evaluates it as a river: its 所属河流 is the 滦河
    ("新河村", "四湖总干渠", "river"),  # 湖 inside a canal's name
    ("蔺家坝", "京杭大运河苏北段（湖西段-不牢河段）", "river"),
    ("尤甪村", "海盐塘", "river"),
    ("五里湖心", "", "lake"),
    ("张留庄", "涑水河", "river"),
    ("某某", "", "river"),
])
def test_the_naming_rule(name, river, expected):
    assert by_rule(name, river).waterbody == expected


def test_the_plan_then_the_curation_then_the_rule():
    assert assign("某断面", "某河", stated="湖库").source == "plan"
    curated = assign("某断面", "某河", curated=("reservoir", "原文第3行写明为水库"))
    assert (curated.waterbody, curated.source, curated.reason) == ("reservoir", "curation", "原文第3行写明为水库")
    assert assign("九女湖").source == "rule"


@pytest.mark.parametrize(("text", "value"), [("河流", "river"), ("湖库", "lake"), ("水库", "reservoir"), ("Lake", "lake"),
                                             ("海洋", None)])
def test_words(text, value):
    assert parse_waterbody(text) == value


def test_lakes_and_reservoirs_use_the_lake_limits():
    assert (basis_of("river"), basis_of("lake"), basis_of("reservoir"), basis_of(None)) == ("river", "lake", "lake", "river")


def test_every_bundled_section_has_a_waterbody_and_its_source():
    sections = pd.read_csv(REPO / "data" / "plans" / "sections.csv", keep_default_na=False)
    assert set(sections["waterbody"]) <= {"river", "lake", "reservoir"} and "" not in set(sections["waterbody"])
    by_id = sections.drop_duplicates("id").set_index("id")
    assert by_id.loc["晋城市:九女湖", "waterbody"] == "lake"
    assert by_id.loc["运城市:三门峡水库", "waterbody"] == "reservoir"
    assert by_id.loc["长治市:后湾水库出口", "waterbody"] == "river"
    assert section_waterbody({"name": "九女湖", "river": ""}) == "lake"
