"""水环境: sections with targets and sources, details with the basis and labels, imports recolour the map."""

from __future__ import annotations

import pytest

from tests.dashboard.helpers import cards, new_app, open_page, table, texts


@pytest.fixture
def app(db_path):
    return new_app()


def test_sections_are_listed_with_targets_sources_and_basis(app):
    open_page(app, "water")
    frame = table(app, "断面", "目标类别", "达标情况")
    row = frame.set_index("断面").loc["汇源水库出口"]
    assert row["目标类别"] == "Ⅲ"
    assert row["来源"].startswith("《") and "第" in row["来源"]  # a plan's name, not a file name
    assert not frame["来源"].str.contains(r"\.txt").any()
    assert frame["原文"].str.startswith("sources?doc=").all()
    assert row["评价依据"].startswith("评价依据：GB 3838-2002")
    assert (frame["数据说明"] == "示例数据（非实测）").all()  # every class here rests on samples
    assert list(cards(app)) == ["优良（Ⅰ–Ⅲ类）比例", "劣Ⅴ类比例", "达标率", "预警断面"]


def test_section_details_show_targets_classes_and_labels(app):
    open_page(app, "water")
    app.selectbox(key="water_section").select("晋城市:台北村").run()
    assert not app.exception, app.exception
    assert any(h.value == "台北村" for h in app.subheader)
    text = texts(app)
    assert "各年目标（含来源）" in text and "逐月水质类别" in text
    assert "示例数据（非实测）" in text
    assert "评价依据：GB 3838-2002 河流限值" in text
    targets = table(app, "年份", "原文")
    assert targets["原文"].str.startswith("sources?doc=").all()


def test_a_month_shows_that_month(app):
    open_page(app, "water")
    app.segmented_control(key="water_period_2023").set_value("month").run()
    app.selectbox(key="water_period_month_2023").select(6).run()
    assert not app.exception
    assert "2023年6月" in texts(app)


def test_an_import_recolours_the_map_and_real_results_are_not_labelled(app, tmp_path):
    from geodata.quality.monitoring import import_monitoring
    from geodata.store import open_store

    open_page(app, "water")
    path = tmp_path / "m.csv"
    lines = ["断面名称,监测日期,氨氮,总磷"] + [f"汇源水库出口,2023-{m:02d},2.5,0.5" for m in range(1, 13)]
    path.write_text("\n".join(lines), encoding="utf-8")
    import_monitoring(path, open_store())
    app.run()
    frame = table(app, "断面", "实测类别")
    row = frame.set_index("断面").loc["汇源水库出口"]
    assert row["实测类别"] == "劣Ⅴ类"
    assert row["数据说明"] == ""  # twelve real months: nothing rests on samples


def test_an_area_without_sections_says_so(app):
    open_page(app, "water", city="运城市", county="新绛县")
    assert "没有考核断面记录" in texts(app)
