"""Monitoring import as a bureau does it: real export formats land whole; bad files are refused row by row."""

from __future__ import annotations

import openpyxl
import pytest

from geodata.errors import ImportRejected, StoreError
from geodata.quality.evaluations import section_evaluations
from geodata.quality.monitoring import close_names, import_monitoring, preview_monitoring
from geodata.quality.samples import load_samples, remove_samples
from geodata.store import open_store
from tests.conftest import REPO

WIDE = "断面名称,监测日期,pH,溶解氧,高锰酸盐指数,氨氮(mg/L),总磷,备注\n张留庄,2023-05,7.8,6.2,5.1,1.8,0.25,\n龙门,2023年5月,8.1,8.0,2.0,0.05L,0.05,\n"
LONG = "site,date,item,value,unit\n赵庄,2023-06-12,NH3-N,0.42,mg/L\n赵庄,2023-06-12,TP,150,μg/L\n赵庄,2023-06-12,CODMn,3.1,mg/L\n"


@pytest.fixture
def store(location, monkeypatch):
    """The bundled store without samples, on each backend (GeoPackage, PostGIS)."""
    monkeypatch.setenv("ENVMAP_SAMPLES", "0")
    s = open_store(location)
    yield s
    s.close()


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
        ("site,date,item,value,unit\n张留庄,2023-05,NH3-N,1.0,ppb\n", "单位"),
        ("断面名称,监测日期,氨氮\n张留庄,2023-05,1e309\n", "大得不可能"),
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


def test_unparseable_value_is_refused_with_its_row(store, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("断面名称,监测日期,氨氮\n张留庄,2023-05,1.0\n张留庄,2023-06,abc\n", encoding="utf-8")
    preview = preview_monitoring(path, None, store)
    assert [p.line for p in preview.problems] == [3]
    with pytest.raises(ImportRejected):
        import_monitoring(path, store)
    assert _values(store) == 0


def test_month_is_stored_as_its_first_day_with_period_and_source(store, tmp_path):
    path = tmp_path / "月报.csv"
    path.write_bytes(WIDE.encode("gbk"))
    preview = preview_monitoring(path, None, store)
    row = preview.rows[(preview.rows["site_name"] == "张留庄") & (preview.rows["item"] == "NH3-N")].iloc[0]
    assert (row["date"], row["time"], row["period"], row["value"], row["unit"], row["site_type"]) == (
        "2023-05-01", "", "2023-05", 1.8, "mg/L", "section")
    assert (row["source_file"], row["source_row"], row["raw_value"], row["method"]) == ("月报.csv", 2, "1.8", "manual")
    assert preview.counts == {"values": 10, "sites": 2, "samples": 2, "problems": 0,
                              "replaced_same_file": 0, "conflicts": 0, "new_sites": 0}
    summary = preview.summary().set_index("site_name")
    assert summary.loc["张留庄", "values"] == 5 and summary.loc["龙门", "first"] == "2023-05-01"


def test_bytes_from_an_upload_with_a_name(store):
    preview = preview_monitoring(LONG.encode("utf-8"), "上传.csv", store)
    assert preview.ok and preview.file == "上传.csv" and len(preview.rows) == 3
    result = import_monitoring(LONG.encode("utf-8"), store, name="上传.csv")
    assert result["values"] == 3 and result["sites"] == 1 and len(result.rows) == 3
    assert set(store.read_measurements()["source_file"]) == {"上传.csv"}


def test_site_by_id_and_header_aliases(store, tmp_path):
    path = tmp_path / "ids.csv"
    path.write_text("点位,采样日期,NH3-N,CODMn,总磷(以P计)\n运城市:张留庄,2023-05-03,1.0,5.0,0.2\n", encoding="utf-8")
    import_monitoring(path, store)
    assert set(store.read_measurements()["item"]) == {"NH3-N", "CODMn", "TP"}


def test_groundwater_points_are_recognised_by_their_sites(store, tmp_path):
    path = tmp_path / "地下水.csv"
    path.write_text("点位名称,采样日期,总硬度,硝酸盐(以N计),氨氮\n东埝村,2023-05-15,700,25,0.3\n", encoding="utf-8")
    result = import_monitoring(path, store)
    assert result["standard"] == "groundwater" and result["site_type"] == "groundwater"
    m = store.read_measurements(site_type="groundwater")
    assert set(m["item"]) == {"TH", "NO3-N", "NH3-N"} and set(m["site_id"]) == {"运城市:东埝村"}


def test_a_file_mixing_sections_and_groundwater_points_is_refused(store, tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_text("断面名称,监测日期,氨氮\n张留庄,2023-05,1.0\n东埝村,2023-05,0.3\n", encoding="utf-8")
    with pytest.raises(ImportRejected, match="分成两个文件"):
        import_monitoring(path, store)


def test_a_month_and_its_first_day_are_a_duplicate(store, tmp_path):
    path = tmp_path / "dup.csv"
    path.write_text("断面名称,监测日期,氨氮\n张留庄,2023-05,1.0\n张留庄,2023-05-01,1.1\n", encoding="utf-8")
    preview = preview_monitoring(path, None, store)
    assert [p.line for p in preview.problems] == [3] and "重复" in preview.problems[0].message


def test_replace_lets_a_later_file_win(store, tmp_path):
    first = tmp_path / "a.csv"
    first.write_text(LONG, encoding="utf-8")
    import_monitoring(first, store)
    second = tmp_path / "b.csv"
    second.write_text(LONG.replace("0.42", "0.55"), encoding="utf-8")
    with pytest.raises(ImportRejected, match="a.csv"):
        import_monitoring(second, store)
    result = import_monitoring(second, store, replace=True)
    assert result["replaced_other"] == 3
    assert result["replaced"] == ["a.csv：晋城市:赵庄 2023-06-12 至 2023-06-12 的 3 个值"]
    m = store.read_measurements(is_sample="0")
    assert len(m) == 3 and set(m["source_file"]) == {"b.csv"}
    assert m.set_index("item").loc["NH3-N", "value"] == 0.55


def test_reimport_of_an_edited_file_replaces_its_old_values(store, tmp_path):
    path = tmp_path / "long.csv"
    path.write_text(LONG, encoding="utf-8")
    import_monitoring(path, store)
    path.write_text(LONG.replace("2023-06-12", "2023-07-12"), encoding="utf-8")
    result = import_monitoring(path, store)
    assert result["replaced_same_file"] == 3
    assert set(store.read_measurements()["date"]) == {"2023-07-12"}


def test_import_writes_one_transaction_and_bumps_the_data_version(store, tmp_path):
    path = tmp_path / "long.csv"
    path.write_text(LONG, encoding="utf-8")
    before = store.data_version()
    import_monitoring(path, store)
    assert store.data_version() == before + 1


def test_legacy_call_order_still_works(store, tmp_path):
    path = tmp_path / "long.csv"
    path.write_text(LONG, encoding="utf-8")
    assert preview_monitoring(path, store, "surface").ok
    assert len(import_monitoring(path, store, "surface").rows) == 3


# The national platform's export and what bureaus really have.

FIXTURES = REPO / "tests" / "fixtures" / "monitoring"
SHANXI_KNOWN = {"运城市:龙门", "运城市:张留庄", "运城市:上亳城", "运城市:小韩村（西曲村）", "晋城市:拴驴泉", "晋城市:张峰水库出口"}


def test_the_platform_export_of_shanxi_imports_with_no_manual_edit(store):
    path = FIXTURES / "variant_shanxi_pasted.tsv"  # the platform table pasted as it is
    asked = preview_monitoring(path, None, store, year=2025)
    unknown = {p.message.split("“")[1].split("”")[0] for p in asked.problems}
    assert "韩武村" in unknown and "龙门" not in unknown  # ours are found, the others are asked about
    assert all("--new-sites import" in p.message or "是否为" in p.message for p in asked.problems)
    result = import_monitoring(path, store, year=2025, new_sites="skip")
    m = store.read_measurements(is_sample="0")
    assert set(m["site_id"]) == SHANXI_KNOWN  # 后湾水库出口 is 维护 with no value that hour
    assert result["method"] == "auto" and set(m["time"]) == {"16:00"} and set(m["method"]) == {"auto"}
    zhang = m[m["site_id"] == "运城市:张留庄"].set_index("item")
    assert zhang.loc["NH3-N", "value"] == 1.08 and zhang.loc["NH3-N", "reported_class"] == "Ⅳ"
    assert zhang.loc["NH3-N", "station_state"] == "维护"
    assert "跳过" in " ".join(result["notices"])


def test_new_stations_become_sections_with_their_province_and_no_location(store):
    result = import_monitoring(FIXTURES / "variant_shanxi_pasted.tsv", store, year=2025, new_sites="import")
    sections = store.read_table("sections").set_index("id")
    assert result["new_sites"] == len(sections) - 38
    han = sections.loc["山西省:韩武村"]
    assert (han["province"], han["basin"], han["precision"], han["location_method"]) == (
        "山西省", "黄河流域", "none", "监测数据导入（未定位）")
    assert han["source_file"] == "variant_shanxi_pasted.tsv"
    assert sections.loc["运城市:龙门", "document_id"]  # a plan's section stays the plan's


def test_stations_sharing_a_name_in_two_provinces_stay_apart(store):
    result = import_monitoring(FIXTURES / "variant_two_provinces.csv", store, year=2025, new_sites="import")
    ids = set(store.read_measurements(is_sample="0")["site_id"])
    assert {"北京市:大关桥", "贵州省:大关桥", "天津市:三岔口", "黑龙江省:三岔口"} <= ids
    assert result["sites"] == len(ids) == 8


def test_another_provinces_station_of_the_same_name_is_not_ours(store, tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("省份,断面名称,监测日期,氨氮\n河南省,张留庄,2023-05,1.0\n山西省,张留庄,2023-05,0.9\n", encoding="utf-8")
    preview = preview_monitoring(path, None, store, new_sites="skip")
    assert preview.ok and set(preview.rows["site_id"]) == {"运城市:张留庄"}
    assert set(preview.rows["value"]) == {0.9}


def test_a_shared_section_matches_under_the_neighbouring_province_as_curated(store, tmp_path):
    """运城's 三门峡水库 and 小浪底水库南山 are listed by the platform under 河南省 (as 三门峡水库 and 南山)."""
    path = tmp_path / "henan.csv"
    path.write_text("省份,断面名称,监测时间,总磷(mg/L)\n河南省,三门峡水库,2025-11-18 16:00,0.06\n"
                    "河南省,南山,2025-11-18 16:00,0.02\n", encoding="utf-8")
    preview = preview_monitoring(path, None, store)
    assert preview.ok, preview.problems
    assert set(preview.rows["site_id"]) == {"运城市:三门峡水库", "运城市:小浪底水库南山"}


@pytest.mark.parametrize(("typo", "suggestion"), [("张留桩", "张留庄"), ("龙门 ", None), ("后湾水库出囗", "后湾水库出口")])
def test_suggestions_only_when_genuinely_close(store, tmp_path, typo, suggestion):
    path = tmp_path / "s.csv"
    path.write_text(f"断面名称,监测日期,氨氮\n{typo},2023-05,1.0\n", encoding="utf-8")
    preview = preview_monitoring(path, None, store)
    if suggestion is None:
        assert preview.ok  # spaces are not a different name
    else:
        assert f"是否为“{suggestion}”" in preview.problems[0].message


@pytest.mark.parametrize("name", ["汾河水库出口", "东焦河水库", "龙头", "某某桥"])
def test_no_suggestion_for_names_that_only_share_a_common_ending(store, tmp_path, name):
    path = tmp_path / "s.csv"
    path.write_text(f"断面名称,监测日期,氨氮\n{name},2023-05,1.0\n", encoding="utf-8")
    (problem,) = preview_monitoring(path, None, store).problems
    assert "是否为" not in problem.message and "--new-sites" in problem.message


def test_close_names_compares_the_distinctive_part():
    assert close_names("张留桩", ["张留庄", "张峰水库出口"]) == ["张留庄"]
    assert close_names("汾河水库出口", ["东焦河水库出口", "汇源水库出口", "后湾水库出口"]) == []
    assert close_names("汇源水库出口", ["汇原水库出口"]) == ["汇原水库出口"]
    assert close_names("龙门", ["龙头"]) == []


@pytest.mark.parametrize("year", [2019, 2024, 2026, 2031])
def test_values_of_any_year_are_accepted(store, tmp_path, year):
    path = tmp_path / "y.csv"
    path.write_text(f"断面名称,监测日期,氨氮\n张留庄,{year}-05,1.0\n", encoding="utf-8")
    assert import_monitoring(path, store)["values"] == 1


def test_sub_daily_readings_are_kept_and_averaged_by_day_and_month(store):
    import_monitoring(FIXTURES / "variant_subdaily.csv", store)
    m = store.read_measurements(site_id="运城市:张留庄", item="NH3-N")
    assert len(m) == 12 and m["time"].nunique() == 6
    e = section_evaluations(store, "month")
    nov = e[(e["section_id"] == "运城市:张留庄") & (e["period"] == "2025-11")].iloc[0]
    assert nov["readings"] == 12 and nov["method"] == "自动监测"


DRY_RUN_FILES = [
    "variant_shanxi_pasted.tsv", "variant_manual_monthly.xlsx", "variant_long_gbk.csv", "variant_value_forms.csv",
    "variant_subdaily.csv", "hostile/typo_site.csv", "hostile/conflicting_duplicate.csv", "hostile/1e25.csv",
    "hostile/yearless_no_year.csv", "hostile/mixed_standards.csv",
]


@pytest.mark.parametrize("name", DRY_RUN_FILES)
@pytest.mark.parametrize("options", [{}, {"year": 2025, "new_sites": "skip"}, {"year": 2025, "new_sites": "import"}])
def test_the_dry_run_is_the_import_rolled_back(store, name, options):
    """What the preview accepts the import accepts; what it refuses the import refuses, with the same rows."""
    path = FIXTURES / name
    before = store.data_version()
    preview = preview_monitoring(path, None, store, **options)
    assert store.data_version() == before and store.read_measurements(is_sample="0").empty
    if preview.problems:
        with pytest.raises(ImportRejected) as info:
            import_monitoring(path, store, **options)
        assert [str(p) for p in info.value.problems] == [str(p) for p in preview.problems]
        assert store.data_version() == before
    else:
        result = import_monitoring(path, store, **options)
        assert result.rows.equals(preview.rows)
        stored = store.read_measurements(is_sample="0")
        assert len(stored) == len(preview.rows) and result["new_sites"] == len(preview.new_sites)


def test_a_dry_run_reports_a_conflict_the_database_would_refuse(store, tmp_path):
    first = tmp_path / "a.csv"
    first.write_text(LONG, encoding="utf-8")
    import_monitoring(first, store)
    second = tmp_path / "b.csv"
    second.write_text(LONG, encoding="utf-8")
    preview = preview_monitoring(second, None, store)
    assert [p.line for p in preview.problems] == [2, 3, 4]
    assert all("a.csv" in p.message and "--replace" in p.message for p in preview.problems)
    replaced = preview_monitoring(second, None, store, replace=True)
    assert replaced.ok and replaced.replaced_text() == ["a.csv：晋城市:赵庄 2023-06-12 至 2023-06-12 的 3 个值"]


def test_no_raw_database_error_reaches_a_user(store):
    import pandas as pd

    row = {"site_type": "section", "site_id": "运城市:张留庄", "date": "2023-05-01", "time": "", "period": "2023-05",
           "item": "NH3-N", "value": 1.0, "is_sample": 0, "source_file": "x.csv", "source_row": 2}
    with pytest.raises(StoreError) as info:
        store.write_measurements(pd.DataFrame([row, row]))
    assert "数据库未作任何修改" in str(info.value) and "UNIQUE" not in str(info.value)
    assert store.read_measurements().empty


def test_the_waterbody_can_be_overridden_at_import(store, tmp_path):
    """九女湖 is a lake by its name; a file saying 河流, or --waterbody, evaluates it as a river."""
    path = tmp_path / "wb.csv"
    path.write_text("断面名称,监测日期,总磷\n九女湖,2023-05,0.06\n", encoding="utf-8")
    import_monitoring(path, store)
    e = section_evaluations(store, "month")
    assert tuple(e[e["period"] == "2023-05"][["waterbody", "class"]].iloc[0]) == ("lake", "Ⅳ")
    path.write_text("断面名称,监测日期,水体类型,总磷\n九女湖,2023-05,河流,0.06\n", encoding="utf-8")
    import_monitoring(path, store)
    e = section_evaluations(store, "month")
    assert tuple(e[e["period"] == "2023-05"][["waterbody", "class"]].iloc[0]) == ("river", "Ⅱ")
    path.write_text("断面名称,监测日期,总磷\n九女湖,2023-05,0.06\n", encoding="utf-8")
    import_monitoring(path, store, waterbody={"九女湖": "reservoir"})
    assert set(store.read_measurements(site_id="晋城市:九女湖")["waterbody"]) == {"reservoir"}
