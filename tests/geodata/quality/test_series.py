"""An item over time: undetected results are plotted at their limit and labelled 未检出."""

from __future__ import annotations

from geodata.quality.monitoring import import_monitoring
from geodata.quality.samples import load_samples
from geodata.quality.series import item_series
from geodata.store import open_store


def test_undetected_points_are_labelled_not_drawn_as_zero(location, tmp_path, monkeypatch):
    monkeypatch.setenv("ENVMAP_SAMPLES", "0")
    store = open_store(location)
    path = tmp_path / "m.csv"
    path.write_text("断面名称,监测日期,氨氮\n张留庄,2023-05-01,0.01L\n张留庄,2023-06-01,0.8\n张留庄,2023-07-01,未检出\n",
                    encoding="utf-8")
    import_monitoring(path, store)
    s = item_series(store, "运城市:张留庄", "NH3-N")
    assert list(s["plotted"]) == [0.01, 0.8, 0.05]
    assert list(s["below_detection"]) == [1, 0, 1]
    assert s["value"].isna().tolist() == [True, False, True]
    assert list(s["label"]) == ["未检出（检出限 0.01）", "0.8", "未检出（检出限 0.05，按 GB 3838 表4 方法检出限）"]
    assert list(s["class"]) == ["Ⅰ", "Ⅲ", "Ⅰ"]
    assert item_series(store, "运城市:张留庄", "TP").empty


def test_sample_points_carry_the_note(location, tmp_path, monkeypatch):
    monkeypatch.setenv("ENVMAP_SAMPLES", "0")
    store = open_store(location)
    load_samples(store)
    s = item_series(store, "运城市:张留庄", "NH3-N")
    assert len(s) and (s["data_note"] == "示例数据（非实测）").all()
