"""Report pages, the export of a view and the screenshot mode, driven as a visitor would (AppTest)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from geodata.areas import Area
from geodata.brief import BriefRequest, Filters, StoreSource, build_content
from tests.dashboard.helpers import cards, new_app, open_page, param, texts

AS_OF = "2023-12-31"


@pytest.fixture(scope="module")
def store_file(tmp_path_factory):
    from geodata.store import open_store

    path = tmp_path_factory.mktemp("reports") / "envmap.gpkg"
    open_store(path).close()
    return path


@pytest.fixture(autouse=True)
def use_store(store_file, monkeypatch):
    monkeypatch.setenv("ENVMAP_DB", str(store_file))
    monkeypatch.delenv("ENVMAP_DATABASE_URL", raising=False)


def popovers(app) -> list[str]:  # noqa: ANN001
    return [p.proto.popover.label for p in app.get("popover")]


def source(store_file) -> StoreSource:
    from geodata.store import open_store

    return StoreSource(open_store(store_file))


# -- the export carries the screen's numbers ---------------------------------------------------------


@pytest.mark.parametrize("params, month, cumulative", [
    ({"city": "运城市", "year": "2023", "asof": AS_OF}, None, False),
    ({"city": "长治市", "county": "襄垣县", "year": "2023", "asof": AS_OF, "period": "month", "month": "6"}, 6, False),
    ({"city": "运城市", "year": "2023", "asof": AS_OF, "period": "ytd", "month": "6"}, 6, True),  # 累计 1—6月
    ({"year": "2022", "asof": "2022-06-30"}, None, False),
])
def test_water_export_has_the_water_cards_numbers(store_file, params, month, cumulative):
    app = open_page(new_app(), "water", **params)
    shown = cards(app)
    area = Area(params.get("city", ""), params.get("county", ""))
    content = build_content(source(store_file), BriefRequest(area=area, subject="water", year=int(params["year"]), month=month,
                                                            cumulative=cumulative, as_of=dt.date.fromisoformat(params["asof"])))
    figures = {f.label: f for f in content.figures}
    for label in ("优良（Ⅰ–Ⅲ类）比例", "劣Ⅴ类比例", "达标率", "预警断面"):
        assert figures[label].value == shown[label].value, label
        assert figures[label].detail == shown[label].detail, label


@pytest.mark.parametrize("params", [
    {"city": "晋城市", "year": "2023", "asof": AS_OF},
    {"city": "晋城市", "county": "陵川县", "year": "2023", "asof": "2023-06-30"},
    {"year": "2023", "asof": AS_OF},
])
def test_every_subjects_key_figures_are_the_overview_cards(store_file, params):
    app = open_page(new_app(), "overview", **params)
    shown = cards(app)
    area = Area(params.get("city", ""), params.get("county", ""))
    for subject in ("water", "tasks", "enterprises", "groundwater"):
        content = build_content(source(store_file), BriefRequest(area=area, subject=subject, year=int(params["year"]),
                                                                as_of=dt.date.fromisoformat(params["asof"])))
        figures = {f.label: f.value for f in content.figures}
        for label in ("优良（Ⅰ–Ⅲ类）比例", "劣Ⅴ类比例", "达标率", "逾期任务数"):
            assert figures[label] == shown[label].value, (subject, label)


def test_the_ledger_export_counts_the_filtered_tasks(store_file):
    app = open_page(new_app(), "tasks", city="晋城市", county="陵川县", year="2023", asof=AS_OF, status="overdue_unreported")
    shown = cards(app)
    content = build_content(source(store_file), BriefRequest(
        area=Area("晋城市", "陵川县"), subject="tasks", year=2023, as_of=dt.date(2023, 12, 31),
        filters=Filters(statuses=("overdue_unreported",))))
    assert next(f.value for f in content.subject_figures if f.key == "tasks") == shown["任务数"].value
    assert int(content.bars.set_index("county").loc["陵川县", "overdue_unreported"]) == int(shown["逾期未报告"].value)


def test_the_page_source_is_the_store_source(store_file):
    """The dashboard's views and the command line's are the same frames (no drift between screen and CLI)."""
    from dashboard.briefing import PageSource

    page, cli = PageSource(), source(store_file)
    area, as_of = Area("运城市"), dt.date(2023, 12, 31)
    pd.testing.assert_frame_equal(page.sections(area, 2023, 6), cli.sections(area, 2023, 6))
    pd.testing.assert_frame_equal(page.tasks(area, as_of, 2023), cli.tasks(area, as_of, 2023))
    pd.testing.assert_frame_equal(page.enterprises(area, as_of), cli.enterprises(area, as_of))
    pd.testing.assert_frame_equal(page.groundwater(area, 2023), cli.groundwater(area, 2023))
    pd.testing.assert_frame_equal(page.commitments(area, as_of), cli.commitments(area, as_of))
    pd.testing.assert_frame_equal(page.sampling_dates(), cli.sampling_dates())
    assert page.areas() == cli.areas() and page.years() == cli.years()


def test_every_map_page_has_the_export_button():
    for page in ("overview", "water", "groundwater", "zones", "enterprises", "tasks"):
        app = open_page(new_app(), page, city="运城市", year="2023", asof=AS_OF)
        assert "导出简报图" in popovers(app), page


# -- report pages ---------------------------------------------------------------------------------


def test_section_report_has_its_own_address_and_every_part(store_file):
    app = open_page(new_app(), "section_report", section="运城市:风陵渡大桥", year="2023", asof=AS_OF)
    text = texts(app)
    assert app.title[0].value == "断面报告：风陵渡大桥"
    assert "黄河" in text and "芮城县" in text and "国考" in text and "所在河流上（近似）" in text
    for part in ("各年目标（含来源）", "历年逐月与全年水质类别", "上游：水从哪里来", "提及该断面的任务"):
        assert part in text, part
    rivers = [f for f in (d.value for d in app.dataframe) if "汇入" in f.columns]
    assert set(rivers[0]["河流"]) == {"黄河", "汾河", "浍河", "涑水河", "姚暹渠"}
    upstream_sections = [f for f in (d.value for d in app.dataframe) if "2023年类别" in f.columns and "断面" in f.columns]
    assert {"龙门", "庙前村", "河津", "张留庄"} <= set(upstream_sections[0]["断面"])
    years = [f for f in (d.value for d in app.dataframe) if "全年类别" in f.columns][0]
    assert {"2020", "2022", "2023"} <= set(years["年份"])
    assert "示例数据（非实测）" in set(years["数据说明"])
    assert len(app.get("image")) == 1  # the upstream map


def test_section_report_says_why_there_is_no_upstream_answer():
    app = open_page(new_app(), "section_report", section="晋城市:汇源水库出口", year="2023")
    assert "不在河流线上" in texts(app)


def test_section_report_without_a_section_offers_a_choice():
    app = open_page(new_app(), "section_report", section="no:such", city="运城市", year="2023")
    assert "没有标识为“no:such”的断面" in texts(app)
    picker = app.selectbox(key="rp_section_pick")
    picker.select("运城市:张留庄").run()
    assert param(app, "section") == "运城市:张留庄"
    assert app.title[0].value == "断面报告：张留庄"


def test_enterprise_report(store_file):
    from geodata.store import open_store

    enterprises = open_store(store_file).read_table("enterprises")
    row = enterprises[enterprises["name"] == "万荣县生活污水处理厂"].iloc[0]
    app = open_page(new_app(), "enterprise_report", enterprise=row["id"], year="2023", asof=AS_OF)
    text = texts(app)
    assert app.title[0].value == "企业报告：万荣县生活污水处理厂"
    assert "万荣县" in text and "县代表点（近似）" in text
    assert "排向哪里" in text and "位置为近似" in text
    assert "办理记录" in text


def test_county_report_follows_a_shared_link_and_prints_the_county():
    app = open_page(new_app(), "county_report", county="襄垣县", year="2023", asof=AS_OF)
    assert app.title[0].value == "襄垣县 生态环境简报（2023年）"
    assert app.selectbox(key="state_city").value == "长治市"
    assert param(app, "county") == "襄垣县"
    text = texts(app)
    for part in ("考核断面（4 个）", "逾期任务的责任单位", "地下水点位"):
        assert part in text, part
    assert "@media print" in "".join(m.value for m in app.markdown)


def test_county_report_cards_are_the_overview_cards_of_the_county():
    report = cards(open_page(new_app(), "county_report", county="陵川县", year="2023", asof=AS_OF))
    overview = cards(open_page(new_app(), "overview", city="晋城市", county="陵川县", year="2023", asof=AS_OF))
    assert {k: v.value for k, v in report.items()} == {k: v.value for k, v in overview.items()}


def test_county_report_without_a_county_lists_the_counties():
    app = open_page(new_app(), "county_report", city="运城市", year="2023")
    text = "".join(m.value for m in app.markdown)
    assert "county_report?city=" in text and "%E6%B0%B8%E6%B5%8E%E5%B8%82" in text  # 永济市


def test_the_water_details_panel_links_to_the_reports():
    app = open_page(new_app(), "water", city="运城市", year="2023", section="运城市:张留庄")
    links = {p.proto.page: p.proto.query_string for p in app.get("page_link")}
    assert "section=%E8%BF%90%E5%9F%8E%E5%B8%82%3A%E5%BC%A0%E7%95%99%E5%BA%84" in links["section_report"]
    assert "county=%E6%B0%B8%E6%B5%8E%E5%B8%82" in links["county_report"]  # 张留庄 is in 永济市


def test_briefing_mode_hides_the_chrome_and_enlarges_the_map():
    app = open_page(new_app(), "water", city="运城市", year="2023", mode="briefing")
    css = "".join(m.value for m in app.markdown)
    assert '[data-testid="stSidebar"]' in css and "display: none" in css
    assert "导出简报图" not in popovers(app)  # no export button in a screenshot
    normal = open_page(new_app(), "water", city="运城市", year="2023")
    assert '[data-testid="stSidebar"]' not in "".join(m.value for m in normal.markdown)


def test_report_pages_in_english():
    from geodata.i18n import set_language

    set_language("en")  # AppTest formats widget values in the test's thread: it must speak English too
    try:
        app = open_page(new_app(), "section_report", section="运城市:风陵渡大桥", year="2023", lang="en")
        assert app.title[0].value == "Section report: 风陵渡大桥"
        assert "Upstream: where the water comes from" in texts(app)
    finally:
        set_language("zh")
