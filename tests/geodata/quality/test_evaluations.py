"""Classes recomputed from stored measurements agree with cases checked by hand against GB 3838 / GB/T 14848."""

from __future__ import annotations

import pytest

from geodata.quality.evaluations import COLUMNS, groundwater_evaluations, section_evaluations
from geodata.quality.monitoring import import_monitoring
from geodata.quality.samples import load_samples
from geodata.store import open_store

LAKE = (
    "断面名称,监测日期,总磷,氨氮\n"
    "后湾水库出口,2023-05-03,0.08,0.05L\n"
    "后湾水库出口,2023-05-20,0.06,0.5\n"
    "后湾水库出口,2023-06-20,0.02,0.1\n"
)


@pytest.fixture
def store(location, monkeypatch):
    """The bundled store without samples, on each backend (GeoPackage, PostGIS)."""
    monkeypatch.setenv("ENVMAP_SAMPLES", "0")
    s = open_store(location)
    yield s
    s.close()


def _import(store, tmp_path, text, name="m.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return import_monitoring(path, store)


def _row(frame, section, period):
    return frame[(frame["section_id"] == section) & (frame["period"] == period)].iloc[0]


def test_empty_store_gives_empty_frames_with_columns(store):
    assert list(section_evaluations(store)) == COLUMNS
    assert groundwater_evaluations(store).empty


def test_a_lake_month_uses_lake_limits_means_and_half_detection_limit(store, tmp_path):
    _import(store, tmp_path, LAKE.replace("后湾水库出口", "九女湖").replace("2023", "2022"))
    e = section_evaluations(store, "month")
    may = _row(e, "晋城市:九女湖", "2022-05")
    # TP mean (0.08 + 0.06) / 2 = 0.07: lake Ⅳ (0.05 < 0.07 ≤ 0.1); as a river it would be Ⅱ.
    # NH3-N mean (0.05/2 + 0.5) / 2 = 0.2625 → 0.26: Ⅱ.
    assert (may["waterbody"], may["class"], may["target_class"], may["compliant"]) == ("lake", "Ⅳ", "Ⅲ", 0)
    assert may["main_pollutants"] == "总磷" and may["basis"].startswith("湖库")
    assert may["exceedance"] == "TP:0.4"  # (0.07 − 0.05) / 0.05, over the Ⅲ lake limit
    assert may["exceedance_vs_target"] == "TP:0.4"
    assert may["n_samples"] == 2 and may["months"] == 1 and may["is_sample"] == 0 and may["data_note"] == ""
    june = _row(e, "晋城市:九女湖", "2022-06")
    assert (june["class"], june["compliant"], june["main_pollutants"]) == ("Ⅱ", 1, "")


def test_a_reservoir_outlet_is_a_river_section(store, tmp_path):
    """后湾水库出口: the water below the dam, evaluated with river limits as the national platform does."""
    _import(store, tmp_path, LAKE)
    may = _row(section_evaluations(store, "month"), "长治市:后湾水库出口", "2023-05")
    assert (may["waterbody"], may["class"]) == ("river", "Ⅱ")  # TP 0.07 ≤ river Ⅱ 0.1


def test_the_year_is_the_mean_of_the_monthly_means(store, tmp_path):
    """2020 rules: each month counts once. TP: May (0.08 + 0.06)/2 = 0.07, June 0.02 → year 0.045
    (lake Ⅲ: 0.025 < 0.045 ≤ 0.05); the mean of the three samples, 0.0533, would be Ⅳ."""
    _import(store, tmp_path, LAKE.replace("后湾水库出口", "九女湖").replace("2023", "2022"))
    e = section_evaluations(store, "month")
    year = _row(e, "晋城市:九女湖", "2022")
    assert (year["month"], year["class"], year["exceedance"], year["n_samples"], year["months"]) == ("", "Ⅲ", "", 3, 2)
    yearly = section_evaluations(store, "year")
    assert list(yearly["period"]) == ["2022"]
    assert yearly.iloc[0]["class"] == "Ⅲ"


def test_a_year_without_a_target_uses_the_latest_earlier_one_and_says_so(store, tmp_path):
    _import(store, tmp_path, "断面名称,监测日期,总磷\n九女湖,2024-05,0.04\n")
    row = _row(section_evaluations(store, "month"), "晋城市:九女湖", "2024")
    assert (row["target_class"], row["target_year"], row["target_note"], row["compliant"]) == (
        "Ⅲ", 2022, "无当年目标，沿用2022年目标", 1)


def test_river_period_mean_and_target_of_that_year(store, tmp_path):
    _import(store, tmp_path, "断面名称,监测日期,氨氮\n张留庄,2023-05-03,1.4\n张留庄,2023-05-20,1.8\n张留庄,2020-05-20,1.8\n")
    e = section_evaluations(store, "month")
    may = _row(e, "运城市:张留庄", "2023-05")
    assert may["class"] == "Ⅴ"  # mean 1.6 mg/L: Ⅳ limit 1.5 < 1.6 ≤ Ⅴ limit 2.0
    assert (may["waterbody"], may["n_samples"]) == ("river", 2)
    # 张留庄 has an observed 2020 class, not a target: no compliance is claimed
    assert _row(e, "运城市:张留庄", "2020")["target_class"] == ""
    assert _row(e, "运城市:张留庄", "2020")["compliant"] == ""


def test_a_dry_month_has_no_class(store, tmp_path):
    _import(store, tmp_path, "断面名称,监测日期,氨氮\n张留庄,2023-05,断流\n")
    may = _row(section_evaluations(store, "month"), "运城市:张留庄", "2023-05")
    assert (may["status"], may["class"], may["n_samples"]) == ("dry", "", 0)


def test_groundwater_point_worst_indicator_decides(store, tmp_path):
    _import(store, tmp_path, "点位名称,采样日期,总硬度,硝酸盐(以N计),氨氮\n"
                             "张郭店,2023-05-15,700,25,0.3\n张郭店,2023-08-15,500,15,0.3\n", "gw.csv")
    g = groundwater_evaluations(store, "year")
    row = g.iloc[0]
    # means: 总硬度 600 → Ⅳ (450 < 600 ≤ 650); 硝酸盐 20 → Ⅲ; 氨氮 0.3 → Ⅲ. Target Ⅲ → not met.
    assert (row["point_id"], row["year"], row["class"], row["deciding"]) == ("运城市:张郭店", 2023, "Ⅳ", "总硬度")
    assert (row["target_class"], row["compliant"], row["n_samples"]) == ("Ⅲ", 0, 2)
    monthly = groundwater_evaluations(store, "month")
    assert set(monthly["period"]) == {"2023", "2023-05", "2023-08"}
    assert monthly.set_index("period").loc["2023-05", "class"] == "Ⅴ"  # 总硬度 700 > 650


def test_sample_rows_are_flagged_and_noted(store):
    load_samples(store)
    e = section_evaluations(store, "month")
    assert (e["is_sample"] == 1).all() and (e["data_note"] == "示例数据（非实测）").all()
    g = groundwater_evaluations(store)
    assert (g["data_note"] == "示例数据（非实测）").all()


def test_unknown_period_is_refused(store):
    from geodata.errors import EnvmapError

    with pytest.raises(EnvmapError, match="month"):
        section_evaluations(store, "quarter")
