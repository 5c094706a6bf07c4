"""水环境 and 总览 by period (全年 / 累计 / 当月): cards equal the table, 同比 equals year_on_year, 预警 equals early_warnings."""

from __future__ import annotations

import folium
import pytest

from dashboard.components.style import class_label
from geodata.quality.evaluations import Period
from tests.dashboard.helpers import cards, new_app, open_page, param, table, texts

GOOD = ("Ⅰ类", "Ⅱ类", "Ⅲ类")


@pytest.fixture
def app(db_path):
    return new_app()


def _pick(app, year: int, mode: str, month: int | None = None):
    app.segmented_control(key=f"water_period_{year}").set_value(mode).run()
    if month is not None:
        app.selectbox(key=f"water_period_month_{year}").select(month).run()
    assert not app.exception, [e.value for e in app.exception]


def _section_ids(app):
    from dashboard import data
    from geodata.areas import Area

    return list(data.sections(Area(), 2023)["id"])


def _check_cards_against_table_and_rule(app, period: Period):
    from geodata.quality.figures import year_on_year
    from geodata.store import open_store

    found = cards(app)
    frame = table(app, "断面", "实测类别", "上年同期类别", "同比变化")
    measured = frame["实测类别"]
    evaluated = int((measured != "无数据").sum())
    good = int(measured.isin(GOOD).sum())
    worst = int((measured == "劣Ⅴ类").sum())
    assert found["优良（Ⅰ–Ⅲ类）比例"].detail.startswith(f"优良 {good} / 有监测数据 {evaluated} 个断面")
    assert found["劣Ⅴ类比例"].detail.startswith(f"劣Ⅴ类 {worst} / 有监测数据 {evaluated}")
    met = int((frame["达标情况"].str.contains("达标") & ~frame["达标情况"].str.contains("未达标")).sum())
    assert found["达标率"].detail.startswith(f"达标 {met} /")
    store = open_store()
    rule = year_on_year(store, period, _section_ids(app))
    for label, attr in (("优良（Ⅰ–Ⅲ类）比例", "good_share"), ("劣Ⅴ类比例", "worst_share"), ("达标率", "met_share")):
        change = rule.change(attr)
        text = found[label].change
        if change is None:
            assert text == "无上年同期数据"
        elif change == 0:
            assert text.startswith("同比持平")
        else:
            assert f"同比 {change:+.1f} 个百分点" in text, (label, text, change)
        share = getattr(rule.current, attr)
        assert found[label].value == ("无数据" if share is None else f"{share:.1f}%")
    # per section: the class a year earlier and the change are those of the rule
    by_name = rule.sections.set_index("section_name")
    for name, before, change in zip(frame["断面"], frame["上年同期类别"], frame["同比变化"], strict=True):
        if name in by_name.index:
            expected = by_name.loc[name, "class_previous"]
            assert before == (class_label(expected) if expected else "—")
            assert change == (by_name.loc[name, "change_label"] or "—")
    return found, frame


def test_a_complete_year_opens_on_the_whole_year_with_yoy_against_the_same_period(app):
    open_page(app, "water")
    assert app.segmented_control(key="water_period_2023").value == "year"
    _check_cards_against_table_and_rule(app, Period(2023, None, "year"))
    assert "2022年全年" in cards(app)["优良（Ⅰ–Ⅲ类）比例"].change


@pytest.mark.parametrize(("mode", "month"), [("ytd", 6), ("month", 3), ("month", 12), ("ytd", 1)])
def test_each_period_mode_uses_one_set_of_classes(app, mode, month):
    open_page(app, "water")
    _pick(app, 2023, mode, month)
    found, _ = _check_cards_against_table_and_rule(app, Period(2023, month, mode))
    label = f"2022年{month}月" if mode == "month" or month == 1 else f"2022年1—{month}月累计"
    assert label in found["优良（Ⅰ–Ⅲ类）比例"].change
    assert param(app, "period") == mode and param(app, "month") == str(month)  # a link opens the same period


def test_a_year_without_previous_year_data_says_so(app):
    open_page(app, "water", year="2022")
    _pick(app, 2022, "ytd", 5)
    found, frame = _check_cards_against_table_and_rule(app, Period(2022, 5, "ytd"))
    for label in ("优良（Ⅰ–Ⅲ类）比例", "劣Ⅴ类比例", "达标率"):
        assert found[label].change == "无上年同期数据"
    assert (frame["同比变化"] == "—").all()
    html_text = "".join(m.value for m in app.markdown)
    assert 'envmap-kpi-change neutral">无上年同期数据' in html_text


def test_a_year_without_data_offers_only_the_whole_year(app):
    open_page(app, "water", year="2024")
    assert app.segmented_control(key="water_period_2024").options == ["全年"]
    assert "2024年没有监测数据" in texts(app)
    found = cards(app)
    assert found["优良（Ⅰ–Ⅲ类）比例"].value == "无数据" and found["达标率"].value == "无数据"
    assert found["预警断面"].value == "0"


def test_an_incomplete_year_opens_on_year_to_date_to_its_last_month(app):
    from geodata.quality.monitoring import import_monitoring
    from geodata.store import open_store

    rows = ["断面名称,监测日期,pH,溶解氧,高锰酸盐指数,氨氮,总磷"]
    rows += [f"台北村,2024-{m:02d}-10,7.9,6.4,5.1,1.2,0.19" for m in (1, 2, 3, 4)]
    import_monitoring("\n".join(rows).encode("utf-8"), open_store(), name="2024年1-4月.csv")
    open_page(app, "water", year="2024")
    assert app.segmented_control(key="water_period_2024").value == "ytd"
    assert app.selectbox(key="water_period_month_2024").options == ["1月", "2月", "3月", "4月"]
    assert app.selectbox(key="water_period_month_2024").value == 4
    found = cards(app)
    assert "优良 0 / 有监测数据 1 个断面" in found["优良（Ⅰ–Ⅲ类）比例"].detail  # 台北村, real results only
    assert found["优良（Ⅰ–Ⅲ类）比例"].note == ""  # nothing here rests on samples
    assert "2024年1—4月累计" in texts(app)
    overview = open_page(new_app(), "overview", year="2024")
    assert "水质按2024年1—4月累计统计（同比：与2023年1—4月累计比较）" in texts(overview)


def test_warnings_list_equals_the_rule_and_cites_it(app):
    from geodata.quality.figures import WARNING_SOURCE, early_warnings
    from geodata.store import open_store

    open_page(app, "water")
    _pick(app, 2023, "month", 5)
    expected = early_warnings(open_store(), 2023, 5)
    assert len(expected) == 2
    shown = table(app, "预警级别", "断面", "依据")
    assert sorted(shown["断面"]) == sorted(expected["section_name"])
    assert (shown["依据"] == WARNING_SOURCE).all()
    assert set(shown["预警级别"]) <= {"一级预警", "二级预警"}
    assert cards(app)["预警断面"].value == str(len(expected))
    assert "二级 2（2023年5月）" in cards(app)["预警断面"].detail


def test_a_month_without_warnings_shows_the_empty_state(app):
    open_page(app, "water")
    _pick(app, 2023, "month", 1)
    assert "本期无预警断面（2023年1月）" in texts(app)


def test_warnings_are_rings_on_the_map_with_a_legend_entry(db_path):
    from dashboard.components import warnings as rings
    from geodata import period_views
    from geodata.areas import Area
    from geodata.quality.evaluations import section_classes
    from geodata.quality.figures import early_warnings
    from geodata.store import open_store

    store = open_store()
    period = Period(2023, 5, "month")
    sections = period_views.period_sections_view(store.read_table("sections"), store.read_table("section_targets"),
                                                 section_classes(store, period), period=period, area=Area(),
                                                 documents=store.read_table("documents"))
    placed = period_views.warnings_in_view(early_warnings(store, 2023, 5), sections)
    m = folium.Map()
    drawn = rings.add_warnings(m, placed)
    page = m.get_root().render()
    assert drawn == len(placed) == 2
    assert page.count('class=\\"envmap-warning\\"') + page.count('class="envmap-warning"') >= 1
    for sid in placed["section_id"]:
        assert f"[{sid}]" in page  # a click on the ring selects its section
    legend = rings.legend_rows(list(placed["level"]))
    assert [label for _, label in legend] == ["二级预警"]


def test_progress_grades_and_ranking_cite_their_rules(app):
    from geodata.quality.cwqi import SOURCE as CWQI_SOURCE
    from geodata.quality.grades import SOURCE as GRADES_SOURCE

    open_page(app, "water", city="运城市")
    progress = table(app, "指标", "目标", "累计实际", "来源")
    assert progress["来源"].str.contains("第 .* 行", regex=True).all()
    assert not progress["来源"].str.contains(r"\.txt").any()  # the plan's name, not a file name
    grades = table(app, "河流", "水质状况", "评价方法")
    assert set(grades["水质状况"]) <= {"优", "良好", "轻度污染", "中度污染", "重度污染"}
    ranking = table(app, "排名", "CWQI")
    assert list(ranking["排名"]) == sorted(ranking["排名"], key=int)
    text = texts(app)
    assert GRADES_SOURCE in text and CWQI_SOURCE in text


def test_english_period_page_has_no_chinese_headers(app):
    import re

    from geodata.i18n import set_language

    open_page(app, "water")
    app.radio(key="state_lang").set_value("en").run()
    set_language("en")
    app.segmented_control(key="water_period_2023.en").set_value("ytd").run()
    assert not app.exception
    for frame in (d.value for d in app.dataframe):
        frame = frame.data if hasattr(frame, "data") else frame
        assert not [c for c in map(str, frame.columns) if re.search(r"[\u4e00-\u9fff]", c)], list(frame.columns)
    assert "Year to date" in texts(app) or "year to date" in texts(app)
