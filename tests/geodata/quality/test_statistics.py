"""Period statistics by 《地表水环境质量监测数据统计技术规定（试行）》(2020), checked by hand."""

from __future__ import annotations

import math

import pytest

from geodata.quality.evaluations import Period, section_classes
from geodata.quality.monitoring import import_monitoring
from geodata.quality.samples import load_samples
from geodata.quality.statistics import RULE_SETS
from geodata.store import open_store


@pytest.fixture
def store(location, monkeypatch):
    """The bundled store without samples, on each backend (GeoPackage, PostGIS)."""
    monkeypatch.setenv("ENVMAP_SAMPLES", "0")
    s = open_store(location)
    yield s
    s.close()


def _import(store, tmp_path, text, name="m.csv", **options):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return import_monitoring(path, store, **options)


def _values(store, period, section="运城市:张留庄"):
    frame = section_classes(store, period)
    return frame.set_index("section_id").loc[section]


def test_the_day_is_the_mean_of_its_readings_and_the_month_the_mean_of_its_days(store, tmp_path):
    # 1 May: 0.8, 1.0, 1.2 (mean 1.0); 2 May: 2.0 → month (1.0 + 2.0) / 2 = 1.5, not (0.8+1.0+1.2+2.0)/4 = 1.25
    _import(store, tmp_path, "断面名称,监测时间,氨氮\n张留庄,2023-05-01 00:00,0.8\n张留庄,2023-05-01 04:00,1.0\n"
                             "张留庄,2023-05-01 08:00,1.2\n张留庄,2023-05-02 00:00,2.0\n")
    row = _values(store, Period(2023, 5, "month"))
    assert row["values"]["NH3-N"].value == pytest.approx(1.5)
    assert row["class"] == "Ⅳ" and row["readings"] == 4 and row["method"] == "自动监测"


def test_ph_is_averaged_through_hydrogen_ions_at_every_level(store, tmp_path):
    _import(store, tmp_path, "断面名称,监测时间,pH\n张留庄,2023-05-01 00:00,6.0\n张留庄,2023-05-01 04:00,8.0\n"
                             "张留庄,2023-06-01 00:00,7.0\n")
    may = _values(store, Period(2023, 5, "month"))["values"]["pH"].value
    assert may == pytest.approx(-math.log10((1e-6 + 1e-8) / 2))  # 6.2967
    ytd = _values(store, Period(2023, 6, "ytd"))["values"]["pH"].value
    assert ytd == pytest.approx(-math.log10(((1e-6 + 1e-8) / 2 + 1e-7) / 2))


def test_undetected_results_count_as_half_the_limit_and_an_all_undetected_period_stays_undetected(store, tmp_path):
    _import(store, tmp_path, "断面名称,监测日期,氨氮,汞\n张留庄,2023-05-03,0.05L,0.00004L\n张留庄,2023-05-20,0.5,0.00001L\n"
                             "张留庄,2023-06-20,0.3,0.00001L\n")
    may = _values(store, Period(2023, 5, "month"))["values"]
    assert may["NH3-N"].value == pytest.approx((0.025 + 0.5) / 2)
    assert may["Hg"].below_detection and may["Hg"].value == 0.00004
    ytd = _values(store, Period(2023, 6, "ytd"))["values"]
    assert ytd["NH3-N"].value == pytest.approx(((0.025 + 0.5) / 2 + 0.3) / 2)
    assert ytd["Hg"].below_detection and ytd["Hg"].value == 0.00004


def test_year_to_date_is_the_mean_of_the_monthly_means_and_says_how_many_months(store, tmp_path):
    _import(store, tmp_path, "断面名称,监测日期,氨氮\n张留庄,2023-01,1.8\n张留庄,2023-02,1.2\n张留庄,2023-02-20,1.4\n"
                             "张留庄,2023-04,0.6\n")
    ytd = _values(store, Period(2023, 4, "ytd"))
    # January 1.8, February (1.2 + 1.4) / 2 = 1.3, April 0.6 → (1.8 + 1.3 + 0.6) / 3 = 1.2333 → 1.23: Ⅳ
    assert ytd["values"]["NH3-N"].value == pytest.approx((1.8 + 1.3 + 0.6) / 3)
    assert (ytd["class"], ytd["months"], ytd["period_label"], ytd["mode"]) == ("Ⅳ", 3, "2023年1—4月", "ytd")
    assert _values(store, Period(2023, 2, "month"))["class"] == "Ⅳ"  # February 1.3: 1.0 < 1.3 ≤ 1.5
    assert Period(2023, 4, "month").label == "2023年4月" and Period(2023, 1, "ytd").label == "2023年1月"


def test_automatic_results_are_preferred_for_their_six_items_manual_for_the_rest(store, tmp_path):
    _import(store, tmp_path, "断面名称,监测日期,氨氮,化学需氧量\n张留庄,2023-05-10,1.9,35\n", "manual.csv")
    _import(store, tmp_path, "断面名称,监测时间,氨氮\n张留庄,2023-05-10 08:00,0.4\n张留庄,2023-05-11 08:00,0.6\n", "auto.csv")
    row = _values(store, Period(2023, 5, "month"))
    assert row["values"]["NH3-N"].value == pytest.approx(0.5)  # automatic, not the manual 1.9
    assert row["values"]["COD"].value == 35  # manual only
    assert row["method"] == "自动+手工（融合）" and row["class"] == "Ⅴ"


def test_a_site_year_with_real_results_ignores_its_sample_months_and_counts_them(store, tmp_path):
    load_samples(store)
    _import(store, tmp_path, "断面名称,监测日期,氨氮\n后湾水库出口,2023-01-10,0.2\n后湾水库出口,2023-02-10,0.3\n"
                             "后湾水库出口,2023-03-10,0.4\n")
    year = _values(store, Period(2023, mode="year"), "长治市:后湾水库出口")
    assert (year["months"], year["sample_months_ignored"], year["is_sample"], year["data_note"]) == (3, 9, 0, "")
    assert year["values"]["NH3-N"].value == pytest.approx(0.3)
    other = _values(store, Period(2023, mode="year"), "长治市:甘村")
    assert (other["is_sample"], other["data_note"], other["months"]) == (1, "示例数据（非实测）", 12)


def test_the_rule_sets_are_kept_apart_and_described():
    assert RULE_SETS["auto"].items == ("WT", "pH", "DO", "EC", "NTU", "CODMn", "NH3-N", "TP", "TN")
    assert len([c for c in RULE_SETS["manual"].items if c not in ("TN", "FC")]) == 21
    assert RULE_SETS["auto"].reading_precision == "hourly" and RULE_SETS["manual"].reading_precision == "evaluation"
    assert "优先采用自动数据" in RULE_SETS["fused"].description


def test_a_year_of_four_hourly_readings_is_reduced(store):
    """A year of four-hourly readings of 10 stations, 6 items: 131 400 values (no timing asserted;
    the 1.3-million-value case of 100 stations is measured outside the tests)."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(1)
    sites = np.array([f"运城市:S{k:03d}" for k in range(10)])
    days = pd.date_range("2023-01-01", "2023-12-31", freq="D").strftime("%Y-%m-%d").to_numpy()
    hours = np.array([f"{h:02d}:00" for h in range(0, 24, 4)])
    codes = np.array(["pH", "DO", "CODMn", "NH3-N", "TP", "TN"])
    scale = np.array([8.0, 8.0, 3.0, 0.4, 0.08, 3.0])
    n = len(sites) * len(days) * len(hours) * len(codes)
    grid = np.indices((len(sites), len(days), len(hours), len(codes))).reshape(4, -1)
    frame = pd.DataFrame({
        "site_type": "section", "site_id": sites[grid[0]], "date": days[grid[1]], "time": hours[grid[2]],
        "item": codes[grid[3]], "value": scale[grid[3]] * (0.9 + 0.2 * rng.random(n)), "below_detection": 0,
        "unit": "mg/L", "method": "auto", "is_sample": 0, "source_file": "big.csv", "source_row": 1,
    })
    frame["period"] = frame["date"].str[:7]
    assert len(frame) == 131_400
    store.write_measurements(frame)
    classes = section_classes(store, Period(2023, mode="year"))
    assert len(classes) == 10 and set(classes["months"]) == {12}
    assert (classes["readings"] == 365 * 6).all()
    assert set(classes["class"]) <= {"Ⅰ", "Ⅱ", "Ⅲ"}
