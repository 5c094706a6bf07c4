"""Evaluating a CSV of monitoring results, wide or long, UTF-8 or GBK; refusals."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from geodata.errors import ImportRejected
from geodata.quality.evaluate_file import (
    evaluate_csv,
    evaluate_file,
    normalize_date,
    parse_class,
    write_evaluation,
)

WIDE = """断面名称,监测日期,河流,pH值,溶解氧(mg/L),高锰酸盐指数(mg/L),化学需氧量,氨氮(mg/L),总磷（mg/L）,汞(μg/L),石油类
王过桥,2024-01-15,涑水河,7.62,4.1,8.0,32,2.5,0.35,0.04L,0.01L
王过桥,2024/2/14,涑水河,7.80,6.5,5.2,18,0.62,0.12,0.04L,0.01L
张留庄,2024-01-15,涑水河,断流,,,,,,,
"""


def _write(tmp_path: Path, text: str, encoding: str = "utf-8", name: str = "data.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_wide_gbk_with_chinese_headers_units_and_undetected_values(tmp_path):
    frame = evaluate_csv(_write(tmp_path, WIDE, "gbk"))  # 河流 涑水河: a river by the naming rule
    assert list(frame["site"]) == ["王过桥", "王过桥", "张留庄"]
    assert list(frame["date"]) == ["2024-01-15", "2024-02-14", "2024-01-15"]
    assert list(frame["class"]) == ["劣Ⅴ", "Ⅲ", ""]
    assert list(frame["status"]) == ["", "", "断流"]
    first = frame.iloc[0]
    assert first["NH3-N_class"] == "劣Ⅴ" and first["NH3-N_exceedance"] == 1.5
    assert first["TP_exceedance"] == 0.75 and first["COD_exceedance"] == 0.6 and first["CODMn_exceedance"] == 0.33
    assert first["Hg_class"] == "Ⅰ"  # 0.04 μg/L undetected = 0.00004 mg/L
    assert first["Oil_class"] == "Ⅰ"
    assert first["main_pollutants"] == "氨氮；总磷；化学需氧量"
    assert "DO_exceedance" not in frame.columns and "pH_exceedance" not in frame.columns
    assert pd.isna(frame.iloc[1]["NH3-N_exceedance"])


def test_long_utf8_with_units_per_row(tmp_path):
    text = """site,date,item,value,unit
S1,2024-03,NH3-N,1200,μg/L
S1,2024-03,总磷,0.18,mg/L
S1,2024-03,DO,7.6,mg/L
S2,2024-03,氨氮,0.025L,mg/L
S2,2024-03,汞,0.00004L,
"""
    frame = evaluate_csv(_write(tmp_path, text))
    assert list(frame["date"]) == ["2024-03", "2024-03"]
    s1, s2 = frame.iloc[0], frame.iloc[1]
    assert s1["NH3-N_class"] == "Ⅳ" and s1["class"] == "Ⅳ" and s1["NH3-N_exceedance"] == 0.2
    assert s1["main_pollutants"] == "氨氮"
    assert s2["class"] == "Ⅰ" and s2["main_pollutants"] == ""


def test_lakes_and_targets(tmp_path):
    text = "断面,日期,水质目标,总磷,总氮,氨氮\n湖心,2024-05-01,Ⅲ类,0.06,1.8,0.3\n湖湾,2024-05-01,II,0.02,0.4,0.2\n"
    frame = evaluate_csv(_write(tmp_path, text), waterbody="lake")
    assert list(frame["class"]) == ["Ⅳ", "Ⅱ"]
    assert list(frame["compliant"]) == ["未达标", "达标"]
    assert list(frame["TN_class"]) == ["Ⅴ", "Ⅱ"]
    assert frame.iloc[0]["TP_exceedance_vs_target"] == 0.2


def test_groundwater_csv(tmp_path):
    text = "点位名称,采样日期,总硬度(mg/L),硝酸盐(以N计),氟化物,pH\nG1,2024-06-01,451,20,1.0,7.2\nG2,2024-06-01,300,3,0.5,7.0\n"
    frame = evaluate_csv(_write(tmp_path, text), standard="groundwater")
    assert list(frame["class"]) == ["Ⅳ", "Ⅱ"]
    assert list(frame["deciding"]) == ["总硬度", "总硬度；硝酸盐"]
    assert list(frame["NO3-N_class"]) == ["Ⅲ", "Ⅱ"]


def test_an_unknown_column_is_a_notice_and_a_bad_unit_a_problem(tmp_path):
    text = """断面,日期,氨氮,pH,叶绿素b,总磷(ppm)
A,2024-01-01,abc,7,1,0.1
"""
    with pytest.raises(ImportRejected) as info:
        evaluate_csv(_write(tmp_path, text))
    messages = [p.message for p in info.value.problems]
    assert len(messages) == 1 and "ppm" in messages[0]
    assert "未导入" in str(info.value)
    ok = evaluate_file(_write(tmp_path, "断面,日期,氨氮,叶绿素b,风向\nA,2024-01-01,0.3,1,东\n", name="ok.csv"))
    assert "叶绿素b、风向" in " ".join(ok.notices) and list(ok.frame["class"]) == ["Ⅱ"]


def test_bad_rows_are_all_reported_with_their_lines(tmp_path):
    text = """site,date,item,value
A,2024-01-01,氨氮,abc
A,2024-01-01,总磷,-0.1
A,2024-01-01,pH,15
A,2024-13-01,氨氮,0.5
,2024-01-01,氨氮,0.5
B,2024-01-01,氨氮,0.5
B,2024-01-01,NH3-N,0.6
B,2024-01-01,叶绿素b,3
"""
    with pytest.raises(ImportRejected) as info:
        evaluate_csv(_write(tmp_path, text))
    problems = info.value.problems
    assert [p.line for p in problems] == [2, 3, 4, 5, 6, 8]
    texts = [p.message for p in problems]
    assert "不是数字" in texts[0]
    assert "负数" in texts[1]
    assert "0～14" in texts[2]
    assert "日期" in texts[3]
    assert "断面" in texts[4]
    assert "重复" in texts[5] and "第 7 行" in texts[5]


def test_duplicate_wide_rows_are_refused(tmp_path):
    text = "断面,日期,氨氮\nA,2024-01,0.5\nA,2024年1月,0.6\n"
    with pytest.raises(ImportRejected, match="重复"):
        evaluate_csv(_write(tmp_path, text))


def test_missing_key_columns_are_refused(tmp_path):
    with pytest.raises(ImportRejected, match="找不到"):
        evaluate_csv(_write(tmp_path, "氨氮,总磷\n0.5,0.1\n"))
    with pytest.raises(ImportRejected, match="空"):
        evaluate_csv(_write(tmp_path, ""))


def test_write_evaluation_round_trips(tmp_path):
    frame = evaluate_csv(_write(tmp_path, WIDE, "gbk"))
    out = write_evaluation(frame, tmp_path / "out.csv")
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(out, encoding="utf-8-sig", keep_default_na=False)
    assert list(back["class"]) == ["劣Ⅴ", "Ⅲ", ""]
    assert write_evaluation(frame, tmp_path / "out.xlsx").stat().st_size > 0


@pytest.mark.parametrize(("text", "expected"), [
    ("2024-01-15", "2024-01-15"), ("2024/1/5", "2024-01-05"), ("2024年1月5日", "2024-01-05"), ("2024年1月", "2024-01"),
    ("2024-01", "2024-01"), ("202401", "2024-01"), ("20240105", "2024-01-05"), ("2024-02-30", None), ("一月", None),
    ("45611", "2024-11-15"), ("2024-01-15 16:00", "2024-01-15"),
])
def test_dates(text, expected):
    found = normalize_date(text)
    assert (found[0] if found else None) == expected


@pytest.mark.parametrize(("text", "year", "expected"), [
    ("2024-01-15 16:00", None, ("2024-01-15", "16:00")), ("2024/1/15 16:00:00", None, ("2024-01-15", "16:00")),
    ("2024-01-15T08:00", None, ("2024-01-15", "08:00")), ("2024年1月15日16时", None, ("2024-01-15", "16:00")),
    ("2024-01-15 24:00", None, ("2024-01-16", "00:00")), ("45611.5", None, ("2024-11-15", "12:00")),
    ("11-18 16:00", 2025, ("2025-11-18", "16:00")), ("1月5日", 2025, ("2025-01-05", "")),
    ("11-18 16:00", None, ("?", "11-18 16:00")), ("2024-01-15 25:00", None, None),
])
def test_date_times_and_times_without_a_year(text, year, expected):
    assert normalize_date(text, year) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Ⅲ", "Ⅲ"), ("Ⅲ类", "Ⅲ"), ("III", "Ⅲ"), ("3", "Ⅲ"), ("劣Ⅴ", "劣Ⅴ"), ("劣V类", "劣Ⅴ"), ("Ⅵ", None), ("劣Ⅲ", None),
])
def test_classes_as_written(text, expected):
    assert parse_class(text) == expected
