"""CWQI and the county ranking by 《城市地表水环境质量排名技术规定（试行）》(环办监测〔2017〕51号), by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from geodata.quality.cwqi import area_cwqi, item_index, ranking, section_cwqi
from geodata.quality.limits import item
from geodata.quality.values import Measurement

SECTION = {"pH": 7.5, "DO": 6.0, "CODMn": 4.0, "NH3-N": 0.5, "TP": 0.1, "COD": 15.0, "BOD5": 2.0}


@pytest.mark.parametrize(("code", "value", "expected"), [
    ("pH", 7.5, 0.25),  # (7.5 − 7) / (9 − 7)
    ("pH", 6.5, 0.5),  # (7 − 6.5) / (7 − 6)
    ("pH", 7.0, 0.0),
    ("DO", 6.0, 5 / 6),  # S(DO) / C(DO), S = Ⅲ 5 mg/L
    ("CODMn", 4.0, 4 / 6),  # C / S, S = Ⅲ 6 mg/L
    ("NH3-N", 0.5, 0.5),
    ("Hg", Measurement(0.00004, True), 0.2),  # undetected: half the limit, 0.00002 / 0.0001
])
def test_item_indices(code, value, expected):
    assert item_index(item(code), value) == pytest.approx(expected)


def test_a_sections_index_is_the_sum_of_its_items():
    # 0.25 + 0.8333 + 0.6667 + 0.5 + 0.5 (TP 0.1 / 0.2) + 0.75 (COD 15 / 20) + 0.5 (BOD5 2 / 4) = 4.0
    assert section_cwqi(SECTION) == (4.0, ["pH", "DO", "CODMn", "COD", "BOD5", "NH3-N", "TP"])
    # a lake: TP 0.1 / 0.05 = 2.0 instead of 0.5
    assert section_cwqi(SECTION, "lake")[0] == 5.5
    assert section_cwqi({"TN": 1.0})[0] is None  # 总氮 is not one of the 21 items


def test_an_areas_index_weights_rivers_and_lakes_by_their_counts():
    # rivers 4.0 and 2.0 (mean 3.0, m = 2), a lake point 3.0 (n = 1): (3.0·2 + 3.0·1) / 3 = 3.0
    assert area_cwqi([4.0, 2.0], [3.0]) == 3.0
    assert area_cwqi([4.0, 2.0], [6.0]) == 4.0  # (3.0·2 + 6.0·1) / 3
    assert area_cwqi([], []) is None


def test_counties_are_ranked_from_the_smallest_index_and_ties_share_a_rank():
    def row(county, values, basis="河流标准（GB 3838-2002 表1）"):
        return {"county": county, "values": {k: Measurement(v) for k, v in values.items()}, "basis": basis, "is_sample": 0}

    frame = pd.DataFrame([
        row("甲县", {"NH3-N": 1.0, "TP": 0.2}),  # 1 + 1 = 2.0
        row("乙县", {"NH3-N": 0.5, "TP": 0.1}),  # 1.0
        row("丙县", {"NH3-N": 0.5, "TP": 0.1}),  # 1.0
        row("丁县", {"NH3-N": 2.0}), row("丁县", {"NH3-N": 1.0}),  # mean (2 + 1) / 2 = 1.5
    ])
    base = pd.DataFrame([row("甲县", {"NH3-N": 2.0, "TP": 0.4}), row("乙县", {"NH3-N": 0.5, "TP": 0.1})])
    ranked = ranking(frame, "county", base)
    assert list(zip(ranked["county"], ranked["cwqi"], ranked["rank"], strict=True)) == [
        ("丙县", 1.0, 1), ("乙县", 1.0, 1), ("丁县", 1.5, 3), ("甲县", 2.0, 4)]
    deltas = ranked.set_index("county")["delta_cwqi"]
    assert deltas["甲县"] == -50.0 and deltas["乙县"] == 0.0 and pd.isna(deltas["丙县"])
