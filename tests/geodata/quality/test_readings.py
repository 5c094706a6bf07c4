"""Reading monitoring files as bureaus have them: layouts, columns, times, repeats, notices."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from geodata.errors import EnvmapError
from geodata.quality.readings import parse_file
from tests.conftest import REPO

FIXTURES = REPO / "tests" / "fixtures" / "monitoring"


def _write(tmp_path, text: str, name: str = "f.csv", encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_the_platform_export_as_saved_is_read_whole():
    parsed = parse_file(FIXTURES / "cnemc_2025-11-18.csv", year=2025)
    assert parsed.ok and parsed.method == "auto" and parsed.layout == "wide"
    assert len(parsed.readings) == 1646  # 1770 rows, 124 of them without time or values
    nandaheng = next(r for r in parsed.readings if r.site == "南大荒桥")
    assert (nandaheng.province, nandaheng.basin, nandaheng.date, nandaheng.time) == ("北京市", "海河流域", "2025-11-18", "16:00")
    assert nandaheng.reported_class == "Ⅱ"
    assert {row.code for row in nandaheng.values} == {"WT", "pH", "DO", "EC", "NTU", "CODMn", "NH3-N", "TP", "TN"}
    notices = "\n".join(parsed.notices)
    assert "124 行没有监测时间" in notices and "站点情况：维护" in notices


def test_a_time_without_a_year_asks_for_the_year_and_guesses_nothing():
    parsed = parse_file(FIXTURES / "cnemc_2025-11-18.csv")
    assert parsed.needs_year and not parsed.readings
    (problem,) = parsed.problems
    assert "11-18 16:00" in problem.message and "--year" in problem.message and "不会被猜测" in problem.message


def test_without_province_and_basin_and_pasted_with_tabs():
    bare = parse_file(FIXTURES / "variant_shanxi_no_province.csv", year=2025)
    pasted = parse_file(FIXTURES / "variant_shanxi_pasted.tsv", year=2025)
    assert bare.ok and pasted.ok
    assert [r.site for r in bare.readings] == [r.site for r in pasted.readings]
    assert {r.province for r in bare.readings} == {""} and {r.province for r in pasted.readings} == {"山西省"}


def test_sub_daily_readings_are_readings_not_duplicates():
    parsed = parse_file(FIXTURES / "variant_subdaily.csv")
    assert parsed.ok and parsed.method == "auto"
    zhang = [r for r in parsed.readings if r.site == "张留庄"]
    assert len(zhang) == 12 and {r.time for r in zhang} == {"00:00", "04:00", "08:00", "12:00", "16:00", "20:00"}


def test_an_exact_repeat_is_counted_once_and_a_conflicting_one_is_a_problem(tmp_path):
    text = "断面名称,监测时间,氨氮\n张留庄,2025-11-18 16:00,1.08\n张留庄,2025-11-18 16:00,1.08\n"
    parsed = parse_file(_write(tmp_path, text))
    assert parsed.ok and len(parsed.readings) == 1 and "按一次计" in " ".join(parsed.notices)
    conflict = parse_file(_write(tmp_path, text.replace("1.08\n张", "1.10\n张", 1), "c.csv"))
    assert "重复且数值不同" in conflict.problems[0].message and conflict.problems[0].line == 3


def test_the_monthly_manual_excel_table_with_a_title_and_two_header_rows():
    parsed = parse_file(FIXTURES / "variant_manual_monthly.xlsx")
    assert parsed.ok and parsed.method == "manual"
    notices = "\n".join(parsed.notices)
    assert "表头在第 2 行" in notices and "合并读取" in notices and "序号、备注" in notices
    by_site = {r.site: r for r in parsed.readings}
    assert by_site["龙门"].date == "2023-05-08"  # an Excel date cell
    assert by_site["张留庄"].date == "2023-05-10"  # an Excel serial number (45056)
    assert by_site["上亳城"].date == "2023-05-09"  # a date typed as text
    assert by_site["庙前村"].status == "dry"
    nh3 = next(m for row, (m, _l, _r) in by_site["上亳城"].values.items() if row.code == "NH3-N")
    assert nh3.below_detection and nh3.dl_source == "method"  # 未检出 → GB 3838 表4 limit


def test_long_format_converts_units_and_notices_an_unknown_item():
    parsed = parse_file(FIXTURES / "variant_long_gbk.csv")
    assert parsed.ok and parsed.layout == "long"
    zhang = next(r for r in parsed.readings if r.site == "张留庄")
    values = {row.code: m for row, (m, _l, _r) in zhang.values.items()}
    assert values["TP"].value == pytest.approx(0.28) and values["Hg"].value == pytest.approx(0.00004)
    assert "叶绿素b" in " ".join(parsed.notices)


def test_every_documented_value_form():
    parsed = parse_file(FIXTURES / "variant_value_forms.csv")
    assert parsed.ok
    by_time = {(r.date, r.time): r for r in parsed.readings}
    forms = {}
    for (_date, _time), reading in sorted(by_time.items()):
        nh3 = next((m for row, (m, _l, raw) in reading.values.items() if row.code == "NH3-N"), None)
        forms[reading.line] = (reading.status, nh3)
    statuses = [s for s, _ in forms.values()]
    assert statuses.count("out_of_service") == 2 and statuses.count("dry") == 1
    assert statuses.count("frozen") == 1 and statuses.count("not_monitored") == 1
    undetected = [m for _s, m in forms.values() if m is not None and m.below_detection]
    assert len(undetected) == 7  # 未检出, ND, <0.05, ＜0.05, 0.05L, ND(0.05), 未检出(0.05)
    missing = [line for line, (s, m) in forms.items() if s == "ok" and m is None]
    assert len(missing) == 6  # --, —, /, blank, *, NA


def test_excel_date_cells_serials_and_date_time_cells(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["断面名称", "监测时间", "氨氮"])
    sheet.append(["张留庄", dt.datetime(2024, 3, 1, 8, 0), 0.5])
    sheet.append(["张留庄", 45352.5, 0.6])  # 2024-03-01 12:00 as an unformatted serial
    sheet.append(["张留庄", dt.date(2024, 3, 2), 0.7])
    path = tmp_path / "dates.xlsx"
    book.save(path)
    parsed = parse_file(path)
    assert [(r.date, r.time) for r in parsed.readings] == [("2024-03-01", "08:00"), ("2024-03-01", "12:00"),
                                                           ("2024-03-02", "")]


def test_a_separate_time_column_joins_the_date(tmp_path):
    parsed = parse_file(_write(tmp_path, "断面名称,日期,时刻,氨氮\n张留庄,2024-03-01,08:00,0.5\n张留庄,2024-03-01,12:00,0.6\n"))
    assert [(r.date, r.time) for r in parsed.readings] == [("2024-03-01", "08:00"), ("2024-03-01", "12:00")]


def test_non_item_columns_are_kept_or_ignored_with_a_notice(tmp_path):
    text = "序号,省份,流域,断面名称,所在地市,所属河流,监测时间,水质类别,主要污染指标,风向,氨氮\n1,山西省,黄河流域,张留庄,运城市,涑水河,2024-03-01,Ⅲ,,东,0.9\n"
    parsed = parse_file(_write(tmp_path, text))
    reading = parsed.readings[0]
    assert (reading.province, reading.basin, reading.city, reading.river, reading.reported_class) == (
        "山西省", "黄河流域", "运城市", "涑水河", "Ⅲ")
    notices = "\n".join(parsed.notices)
    assert "序号、主要污染指标" in notices and "风向" in notices and "已识别并保留" in notices


def test_a_december_january_file_without_a_year_is_flagged(tmp_path):
    parsed = parse_file(_write(tmp_path, "断面名称,监测时间,氨氮\n张留庄,12-31 20:00,0.5\n张留庄,01-01 00:00,0.6\n"), year=2024)
    assert parsed.ok and "跨年" in " ".join(parsed.notices)


def test_the_method_can_be_stated(tmp_path):
    path = _write(tmp_path, "断面名称,监测日期,氨氮\n张留庄,2024-03-01,0.5\n")
    assert parse_file(path).method == "manual"
    assert parse_file(path, method="auto").method == "auto"
    with pytest.raises(EnvmapError, match="监测方式"):
        parse_file(path, method="robot")
