"""River and basin grades (水质状况) by 《地表水环境质量评价办法（试行）》, checked against published reports."""

from __future__ import annotations

import pytest

from geodata.quality.grades import grade_by_shares, grade_of, river_grades, section_grade
from geodata.quality.values import Measurement


@pytest.mark.parametrize(("klass", "grade"), [
    ("Ⅰ", "优"), ("Ⅱ", "优"), ("Ⅲ", "良好"), ("Ⅳ", "轻度污染"), ("Ⅴ", "中度污染"), ("劣Ⅴ", "重度污染"), (None, ""),
])
def test_a_sections_grade(klass, grade):
    assert section_grade(klass) == grade


@pytest.mark.parametrize(("good", "worst", "grade"), [
    (100, 0, "优"), (90, 0, "优"), (89.9, 0, "良好"), (75, 5, "良好"), (74.9, 19.9, "轻度污染"),
    (60, 20, "中度污染"), (50, 39.9, "中度污染"), (50, 40, "重度污染"), (0, 100, "重度污染"),
])
def test_the_share_thresholds_of_the_rule(good, worst, grade):
    assert grade_by_shares(good, worst) == grade


@pytest.mark.parametrize(("river", "good", "iv", "v", "worst", "published"), [
    # 湖南省2017年11月地表水水质状况 (http://sthjt.hunan.gov.cn/sthjt/xxgk/zdly/hjjc/hjzl/shjzl/dbs/201801/t20180117_4927939.html)
    ("湘江流域", 169, 6, 0, 5, "优"),  # “180个省控断面中，Ⅰ~Ⅲ类169个，占93.9%；Ⅳ类6个；劣Ⅴ类5个” → 总体为优
    ("资江流域", 42, 1, 1, 0, "优"),  # “44个省控断面中，42个…达到或优于Ⅲ类标准”（邵水入河口Ⅴ类、志溪河Ⅳ类）
    ("沅江流域", 91, 1, 0, 0, "优"),  # “92个省控断面中，Ⅰ~Ⅲ类水质断面91个，占98.9%；Ⅳ类…1个”
])
def test_published_basin_grades_of_a_provincial_report(river, good, iv, v, worst, published):
    classes = ["Ⅱ"] * good + ["Ⅳ"] * iv + ["Ⅴ"] * v + ["劣Ⅴ"] * worst
    result = grade_of(classes)
    assert result["grade"] == published and result["method"] == "断面水质类别比例法"


def test_fewer_than_five_sections_are_graded_by_the_mean_of_their_items():
    """Three sections of classes Ⅱ, Ⅴ, Ⅲ (66.7% Ⅰ～Ⅲ, which by shares would be 轻度污染): the
    mean 氨氮 (0.4 + 1.7 + 0.9) / 3 = 1.0 is Ⅲ → 良好."""
    means = [{"NH3-N": Measurement(0.4)}, {"NH3-N": Measurement(1.7)}, {"NH3-N": Measurement(0.9)}]
    result = grade_of(["Ⅱ", "Ⅴ", "Ⅲ"], means)
    assert (result["grade"], result["class"], result["method"]) == ("良好", "Ⅲ", "断面均值法（不足5个断面）")
    assert result["good_share"] == 66.7


def test_no_sections_no_grade():
    assert grade_of([])["grade"] == ""


def test_river_grades_from_the_store(location, tmp_path, monkeypatch):
    from geodata.quality.evaluations import Period
    from geodata.quality.monitoring import import_monitoring
    from geodata.store import open_store

    monkeypatch.setenv("ENVMAP_SAMPLES", "0")
    store = open_store(location)
    path = tmp_path / "m.csv"
    path.write_text("断面名称,监测日期,氨氮\n柴村桥,2023-05,0.4\n庙前村,2023-05,1.7\n河津,2023-05,0.9\n龙门,2023-05,0.2\n",
                    encoding="utf-8")
    import_monitoring(path, store)
    grades = river_grades(store, Period(2023, 5, "month")).set_index("river")
    assert grades.loc["汾河", "grade"] == "良好" and grades.loc["汾河", "sections"] == 3
    assert grades.loc["黄河", "grade"] == "优"
