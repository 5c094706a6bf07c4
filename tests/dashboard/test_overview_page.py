"""总览: every headline states its denominator, the county table adds up to it, changes of 0 are neutral."""

from __future__ import annotations

import pytest

from tests.dashboard.helpers import cards, new_app, number, open_page, param, table, texts

LABELS = ["优良（Ⅰ–Ⅲ类）比例", "劣Ⅴ类比例", "达标率", "预警断面", "逾期任务数", "督办中", "重点企业整治完成率"]


@pytest.fixture
def app(db_path):
    return new_app()


def _totals(app):
    frame = table(app, "县（市、区）", "逾期任务")
    return frame.set_index("县（市、区）").loc["合计"], frame


def test_headlines_say_what_they_are_a_share_of(app):
    open_page(app, "overview")
    found = cards(app)
    assert list(found) == LABELS
    met = found["达标率"]
    totals, _ = _totals(app)
    assert met.detail.startswith(f"达标 {totals['达标']} / 有目标且有数据 {totals['有目标且有数据']} 个")
    assert met.value == f"{100 * totals['达标'] / totals['有目标且有数据']:.1f}%"
    assert "考核断面 38 个" in met.detail
    assert "有监测数据 38 个断面" in found["优良（Ⅰ–Ⅲ类）比例"].detail
    assert "逾期未报告" in found["逾期任务数"].detail
    assert found["优良（Ⅰ–Ⅲ类）比例"].note == "示例数据（非实测）"  # the classes rest on samples
    assert "水质按2023年全年统计（同比：与2022年全年比较）" in texts(app)  # the period, said
    assert found["逾期任务数"].note == ""  # task states do not


def test_the_county_table_sums_to_the_headline(app):
    open_page(app, "overview")
    found = cards(app)
    totals, frame = _totals(app)
    assert totals["逾期任务"] == number(found["逾期任务数"].value)
    assert totals["督办中"] == number(found["督办中"].value) > 0  # the demo history chases some tasks
    assert "申请销号待核验" in found["督办中"].detail
    assert totals["考核断面"] == 38
    assert f"达标 {totals['达标']} / 有目标且有数据 {totals['有目标且有数据']} 个" in found["达标率"].detail
    body = frame[frame["县（市、区）"] != "合计"]
    assert body["逾期任务"].sum() == totals["逾期任务"]
    assert not frame.astype(str).isin(["None", "nan", "NaN", "<NA>"]).any().any()
    assert frame["数据说明"].iloc[-1] == "示例数据（非实测）"


@pytest.mark.parametrize(("city", "county"), [("晋城市", "陵川县"), ("长治市", "襄垣县"), ("运城市", "河津市")])
def test_a_county_headline_equals_its_row_in_the_city_table(app, city, county):
    open_page(app, "overview", city=city)
    _, city_table = _totals(app)
    row = city_table.set_index("县（市、区）").loc[county]
    app.selectbox(key=f"state_county_{city}").select(county).run()
    assert not app.exception
    found = cards(app)
    assert number(found["逾期任务数"].value) == row["逾期任务"]
    totals, _ = _totals(app)
    assert totals["逾期任务"] == row["逾期任务"] and totals["考核断面"] == row["考核断面"]
    assert county in app.title[0].value
    assert param(app, "county") == county


def test_late_owners_of_a_county_are_its_own_units(app):
    open_page(app, "overview", city="晋城市", county="陵川县")
    chart_text = texts(app)
    assert "逾期任务的责任单位" in chart_text
    from geodata import views
    from geodata.areas import Area
    from geodata.store import open_store

    store = open_store()
    tasks = views.tasks_view(store.read_table("tasks"), store.task_events(), as_of=__import__("datetime").date.today(),
                             area=Area("晋城市", "陵川县"), year=2023, plans=store.read_table("plans"))
    owners, _ = views.late_owners(tasks, Area("晋城市", "陵川县"))
    assert len(owners) > 0
    assert set(owners["jurisdiction"]) == {"陵川县"}
    assert not owners["unit"].str.contains("泽州|高平|沁水|阳城").any()


def test_zero_change_is_neutral_and_said_in_words(app):
    open_page(app, "overview")
    worst = cards(app)["劣Ⅴ类比例"]
    assert worst.value == "0.0%" and worst.change == "同比持平（2022年全年）"
    html_text = "".join(m.value for m in app.markdown)
    assert 'envmap-kpi-change neutral">同比持平（2022年全年）' in html_text


def test_without_measurements_the_shares_say_no_data(app):
    from geodata.quality.samples import remove_samples
    from geodata.store import open_store

    remove_samples(open_store())
    open_page(app, "overview")
    found = cards(app)
    assert found["优良（Ⅰ–Ⅲ类）比例"].value == "无数据"
    assert found["达标率"].value == "无数据"
    assert found["优良（Ⅰ–Ⅲ类）比例"].change == "无上年同期数据"
    assert "尚无水质监测数据" in texts(app)
    assert "0.0%" != found["优良（Ⅰ–Ⅲ类）比例"].value


def test_url_state_round_trips(db_path):
    app = new_app()
    app.query_params["city"] = "运城市"
    app.query_params["year"] = "2022"
    app.run()
    assert app.selectbox(key="state_city").value == "运城市"
    assert app.selectbox(key="state_year").value == 2022
    assert "运城市" in app.title[0].value


def test_years_offered_are_those_of_the_data(app):
    open_page(app, "overview")
    assert app.selectbox(key="state_year").options == ["2020", "2021", "2022", "2023", "2024", "2025"]
    assert app.selectbox(key="state_year").value == 2023  # the latest year with targets or data


def test_an_imported_city_plan_adds_its_city_and_counties(db_path):
    from geodata.plans.importer import import_plan
    from geodata.store import open_store
    from tests.conftest import REPO

    store = open_store()
    before = new_app()
    before.run()
    assert "临汾市" not in before.selectbox(key="state_city").options
    import_plan(REPO / "tests" / "fixtures" / "plans" / "linfen_2018_water.md", store)
    app = new_app()
    app.run()
    assert "临汾市" in app.selectbox(key="state_city").options
    app.selectbox(key="state_city").select("临汾市").run()
    counties = app.selectbox(key="state_county_临汾市").options
    assert {"尧都区", "侯马市", "霍州市", "洪洞县"} <= set(counties) and len(counties) == 18  # 全市 + 17 units
    assert not app.exception
    assert "临汾市" in app.title[0].value


def test_an_imported_city_gets_its_own_map(db_path):
    from dashboard import data
    from geodata.areas import Area
    from geodata.plans.importer import import_plan
    from geodata.store import open_store
    from tests.conftest import REPO

    import_plan(REPO / "tests" / "fixtures" / "plans" / "linfen_2018_water.md", open_store())
    base = data.basemap(Area("临汾市"), "wgs84")
    _, counties = base["counties"]  # (polygons?, [(style, tooltip, encoded parts)]) — dashboard.components.vector
    assert len(counties) == 17 and "尧都区" in {tip for _, tip, _ in counties}
    _, cities = base["cities"]
    assert len(cities) == 1  # 临汾市 itself, from the national outlines
    minx, miny, maxx, maxy = base["bounds"]
    assert 110.0 < minx < maxx < 113.0 and 35.0 < miny < maxy < 37.5  # 临汾, not the bundled area
    everything = data.basemap(Area(), "wgs84")
    names = {tip for _, tip, _ in everything["counties"][1]}
    assert {"尧都区", "盐湖区", "陵川县"} <= names and "东城区" not in names  # the cities the data concern, not Beijing
