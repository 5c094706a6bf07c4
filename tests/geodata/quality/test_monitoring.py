"""Monitoring import as a bureau does it: real export formats land whole; bad files are refused row by row."""

from __future__ import annotations

import openpyxl
import pytest

from geodata.errors import ImportRejected
from geodata.quality.evaluations import section_evaluations
from geodata.quality.monitoring import import_monitoring, preview_monitoring
from geodata.quality.samples import load_samples, remove_samples
from geodata.store import open_store

WIDE = "断面名称,监测日期,pH,溶解氧,高锰酸盐指数,氨氮(mg/L),总磷,备注\n张留庄,2023-05,7.8,6.2,5.1,1.8,0.25,\n龙门,2023年5月,8.1,8.0,2.0,0.05L,0.05,\n"
LONG = "site,date,item,value,unit\n赵庄,2023-06-12,NH3-N,0.42,mg/L\n赵庄,2023-06-12,TP,150,μg/L\n赵庄,2023-06-12,CODMn,3.1,mg/L\n"


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("ENVMAP_SAMPLES", "0")
    return open_store(tmp_path / "m.gpkg")


def _values(store) -> int:
    return len(store.read_measurements(is_sample="0"))


def test_wide_gbk_export_with_chinese_headers_and_l_values(store, tmp_path):
    path = tmp_path / "月报.csv"
    path.write_bytes(WIDE.encode("gb18030"))
    preview = import_monitoring(path, store)
    assert len(preview.rows) == 10
    m = store.read_measurements(site_id="运城市:龙门").set_index("item")
    assert m.loc["NH3-N", "value"] == 0.05 and m.loc["NH3-N", "below_detection"] == 1
    assert set(m["source_file"]) == {"月报.csv"} and set(m["source_row"]) == {3}


def test_long_utf8_converts_micrograms(store, tmp_path):
    path = tmp_path / "long.csv"
    path.write_text(LONG, encoding="utf-8")
    import_monitoring(path, store)
    tp = store.read_measurements(site_id="晋城市:赵庄", item="TP")
    assert tp["value"].iloc[0] == pytest.approx(0.15)


def test_excel_file(store, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["断面名称", "采样日期", "氨氮", "总磷"])
    sheet.append(["台北村", "2023-07-05", 0.8, 0.12])
    path = tmp_path / "7月.xlsx"
    book.save(path)
    import_monitoring(path, store)
    assert _values(store) == 2


def test_reimport_replaces_and_does_not_double(store, tmp_path):
    path = tmp_path / "月报.csv"
    path.write_bytes(WIDE.encode("gb18030"))
    import_monitoring(path, store)
    import_monitoring(path, store)
    assert _values(store) == 10


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("断面名称,监测日期,氨氮\n张留桩,2023-05,1.0\n", "未知断面“张留桩”。是否为“张留庄”？"),
        ("断面名称,监测日期,氨氮\n张留庄,2023-05,-0.3\n", "为负数"),
        ("断面名称,监测日期,pH\n张留庄,2023-05,15\n", "pH"),
        ("断面名称,监测日期,氨氮\n张留庄,2023-05,1.0\n张留庄,2023-05,1.2\n", "重复"),
        ("site,date,item,value,unit\n张留庄,2023-05,NH3-N,1.0,mg/m3\n", "单位"),
        ("断面名称,监测日期,氨氮\n张留庄,2031-05,1.0\n", "不在行动计划年份"),
    ],
)
def test_malformed_files_are_refused_and_change_nothing(store, tmp_path, content, message):
    good = tmp_path / "good.csv"
    good.write_text(LONG, encoding="utf-8")
    import_monitoring(good, store)
    before = store.read_measurements()
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ImportRejected) as info:
        import_monitoring(path, store)
    assert message in str(info.value)
    assert "第 " in str(info.value)
    assert store.read_measurements().equals(before)


def test_another_file_cannot_silently_overwrite_a_value(store, tmp_path):
    first = tmp_path / "a.csv"
    first.write_text(LONG, encoding="utf-8")
    import_monitoring(first, store)
    second = tmp_path / "b.csv"
    second.write_text(LONG, encoding="utf-8")
    preview = preview_monitoring(second, store)
    assert any("已由文件 a.csv 导入" in str(p) for p in preview.problems)


def test_samples_are_flagged_removable_and_give_way_to_real_data(store, tmp_path):
    assert load_samples(store) > 1000
    path = tmp_path / "long.csv"
    path.write_text(LONG.replace("2023-06-12", "2023-06-10"), encoding="utf-8")
    import_monitoring(path, store)
    evaluations = section_evaluations(store, "month")
    sample_rows = evaluations[evaluations["is_sample"] == 1]
    assert (sample_rows["data_note"] == "示例数据（非实测）").all()
    removed = remove_samples(store)
    assert removed > 1000
    assert _values(store) == 3  # the imported values survive


def test_period_class_comes_from_period_means(store, tmp_path):
    path = tmp_path / "two.csv"
    path.write_text("断面名称,监测日期,氨氮\n张留庄,2023-05-03,1.4\n张留庄,2023-05-20,1.8\n", encoding="utf-8")
    import_monitoring(path, store)
    e = section_evaluations(store, "month")
    may = e[(e["section_id"] == "运城市:张留庄") & (e["month"] == 5)].iloc[0]
    assert may["class"] == "Ⅴ"  # mean 1.6 mg/L: Ⅳ limit 1.5 < 1.6 ≤ Ⅴ limit 2.0
    assert may["n_samples"] == 2
