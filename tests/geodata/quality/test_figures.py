"""The figures leaders read — 当月/累计/同比 shares, 预警, 时序进度 — on hand-made months of 襄垣 and 运城.

The months (manual monthly 氨氮, 2022 and 2023):

=========== ====== ==================== ==================== ============================
section     target 2022-01…05           2023-01…05           so
=========== ====== ==================== ==================== ============================
后湾水库出口 Ⅱ      0.4 (Ⅱ)              1.2 (Ⅳ)              fell 2 classes, month and 累计
甘村         Ⅲ      0.8 (Ⅲ)              1.2 (Ⅳ)              fell 1 class, below Ⅲ
小蛟         Ⅲ      0.4 (Ⅱ)              0.9 (Ⅲ)              fell 1 class, not below Ⅲ
西营         —      0.4 (Ⅱ)              1.8 (Ⅴ)              no target
张留庄       —      0.9 (Ⅲ)              2.5 (劣Ⅴ)
龙门/上亳城  —      0.3 (Ⅱ)              0.3 (Ⅱ)
=========== ====== ==================== ==================== ============================
"""

from __future__ import annotations

import pytest

from geodata.quality.evaluations import Period
from geodata.quality.figures import early_warnings, period_shares, progress, shares, year_on_year
from geodata.quality.monitoring import import_monitoring
from geodata.store import open_store

MONTHS = {
    "后湾水库出口": (0.4, 1.2), "甘村": (0.8, 1.2), "小蛟": (0.4, 0.9), "西营": (0.4, 1.8),
    "张留庄": (0.9, 2.5), "龙门": (0.3, 0.3), "上亳城": (0.3, 0.3),
}
XIANGYUAN = ["长治市:后湾水库出口", "长治市:甘村", "长治市:小蛟", "长治市:西营"]


@pytest.fixture(scope="module")
def store(module_location, tmp_path_factory):
    """Five months of two years at three sections, on each backend."""
    import os

    os.environ["ENVMAP_SAMPLES"] = "0"
    folder = tmp_path_factory.mktemp("figures")
    store = open_store(module_location)
    lines = ["断面名称,监测日期,氨氮"]
    for site, (then, now) in MONTHS.items():
        for month in range(1, 6):
            lines += [f"{site},2022-{month:02d},{then}", f"{site},2023-{month:02d},{now}"]
    path = folder / "months.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    import_monitoring(path, store)
    os.environ.pop("ENVMAP_SAMPLES", None)
    return store


def test_shares_state_their_numerators_and_denominators(store):
    s = period_shares(store, Period(2023, 5, "month"), XIANGYUAN)
    assert (s.sections, s.evaluated, s.good, s.worst, s.assessed, s.met) == (4, 4, 1, 0, 3, 1)
    assert (s.good_share, s.worst_share, s.met_share) == (25.0, 0.0, 33.3)
    text = s.describe()
    assert text["good"] == "25.0%（优良 1 / 有监测 4，断面 4）"
    assert text["met"] == "33.3%（达标 1 / 有目标且有数据 3，断面 4）"


def test_shares_without_data_say_no_data(store):
    s = period_shares(store, Period(2021, 5, "month"), XIANGYUAN)
    assert s.good_share is None and s.describe()["good"].startswith("无数据")


def test_year_on_year_compares_the_same_period_of_the_previous_year(store):
    yoy = year_on_year(store, Period(2023, 5, "ytd"), XIANGYUAN)
    assert yoy.current.period_label == "2023年1—5月" and yoy.previous.period_label == "2022年1—5月"
    assert (yoy.previous.good_share, yoy.current.good_share, yoy.change("good_share")) == (100.0, 25.0, -75.0)
    changes = yoy.sections.set_index("section_id")
    assert changes.loc["长治市:后湾水库出口", "change_label"] == "下降2个类别"
    assert changes.loc["长治市:小蛟", "change_label"] == "下降1个类别"
    assert changes.loc["长治市:后湾水库出口", "change"] == -2


def test_early_warnings_by_the_basin_rule(store):
    """二级: month and 累计 both fell ≥ 1 class, below Ⅲ, 累计 misses the target (“由Ⅲ类下降为Ⅳ类”);
    一级: both fell ≥ 2 classes (“由Ⅲ类下降为Ⅴ类”). 小蛟 fell to Ⅲ (not below); 西营 has no target."""
    w = early_warnings(store, 2023, 5).set_index("section_id")
    assert set(w.index) == {"长治市:后湾水库出口", "长治市:甘村"}
    assert w.loc["长治市:后湾水库出口", "level"] == "一级"
    assert (w.loc["长治市:甘村", "level"], w.loc["长治市:甘村", "month_drop"], w.loc["长治市:甘村", "ytd_drop"]) == ("二级", 1, 1)
    assert "未达到目标 Ⅲ" in w.loc["长治市:甘村", "reason"]
    assert list(early_warnings(store, 2023, 5)["level"]) == ["一级", "二级"]


def test_no_warning_without_the_previous_year(store):
    assert early_warnings(store, 2022, 5).empty


def test_progress_against_the_plan_indicators(store):
    """运城 2023: 国考断面优良比例 ≥ 80%, 无劣Ⅴ类断面; 襄垣 2023: 国考断面优良比例 100%."""
    p = progress(store, 2023, 5).set_index("indicator")
    good = p.loc["全市地表水国考断面达到或优于Ⅲ类比例"]
    # 国考 sections of 运城 with data: 张留庄 劣Ⅴ, 龙门 Ⅱ, 上亳城 Ⅱ → 2/3
    assert (good["actual"], good["numerator"], good["denominator"], good["on_track"], good["gap"]) == (66.7, 2, 3, 0, -13.3)
    worst = p.loc["劣Ⅴ类断面"]
    assert (worst["kind"], worst["actual"], worst["on_track"]) == ("worst_count", 1.0, 0)
    county = p.loc["境内3个地表水国考断面优良（达到或优于Ⅲ类）比例"]
    assert (county["jurisdiction"], county["actual"], county["denominator"], county["on_track"]) == ("襄垣县", 50.0, 2, 0)
    assert "第" in county["source"]


def test_shares_of_a_classes_frame_count_targets_met():
    import pandas as pd

    frame = pd.DataFrame({"class": ["Ⅱ", "Ⅳ", "劣Ⅴ", ""], "target_class": ["Ⅲ", "Ⅲ", "", "Ⅲ"],
                          "is_sample": [0, 0, 0, 0], "period_label": ["2023年5月"] * 4})
    s = shares(frame)
    assert (s.evaluated, s.good, s.worst, s.assessed, s.met) == (3, 1, 1, 2, 1)
