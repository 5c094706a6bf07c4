"""监测数据导入: a real platform export without years or known stations — the page asks, never guesses,
and what the preview accepts the import writes."""

from __future__ import annotations

import pytest

from tests.accounts import account
from tests.conftest import REPO
from tests.dashboard.helpers import new_app, open_page, sign_in, texts

# the 山西 rows of the national automatic-station platform's table (times like "11-18 16:00", no year),
# saved as GBK without 省份/流域: tests/fixtures/monitoring/README.md
EXPORT = REPO / "tests" / "fixtures" / "monitoring" / "variant_shanxi_no_province.csv"


@pytest.fixture
def app(db_path):
    return new_app()


def _upload(app, path=EXPORT):
    open_page(app, "monitoring")
    app.file_uploader(key="mon_file").set_value((path.name, path.read_bytes(), "text/csv")).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def _answer_year(app, year: int = 2025):
    (box,) = [n for n in app.number_input if n.key.startswith("mon_year_")]
    box.set_value(year).run()
    assert not app.exception


def _choose(app, choice: str):
    (radio,) = [r for r in app.radio if r.key.startswith("mon_new_sites_")]
    assert radio.options == ["作为新断面导入", "跳过这些站点"] and radio.value is None  # nothing chosen for the visitor
    radio.set_value(choice).run()
    assert not app.exception


def test_a_file_without_years_asks_for_the_year_and_imports_nothing_meanwhile(app):
    from geodata.store import open_store

    before = len(open_store().read_measurements())
    _upload(app)
    text = texts(app)
    assert "没有年份" in text and "程序不会猜测" in text
    (box,) = [n for n in app.number_input if n.key.startswith("mon_year_")]
    assert box.value is None  # no year is guessed
    assert "填写年份后再检查文件" in text
    assert not [b for b in app.button if b.key == "mon_do_import"]
    assert "已识别并保留：水质类别、站点情况" in text  # the importer's notices are shown
    assert len(open_store().read_measurements()) == before


def test_unknown_stations_are_listed_and_the_choice_is_the_visitors(app):
    _upload(app)
    _answer_year(app)
    assert "文件中有 33 个数据库中没有的站点" in texts(app)
    listed = [d.value for d in app.dataframe if "站点" in d.value.columns and "可能是" in d.value.columns]
    assert listed and "汾河水库出口" in set(listed[0]["站点"])
    assert not [b for b in app.button if b.key == "mon_do_import"]  # no import before the choice


@pytest.mark.parametrize("choice", ["作为新断面导入", "跳过这些站点"])
def test_the_import_writes_what_the_preview_showed(app, choice):
    from geodata.quality.monitoring import preview_monitoring
    from geodata.store import open_store

    store = open_store()
    new_sites = "import" if choice == "作为新断面导入" else "skip"
    expected = preview_monitoring(EXPORT.read_bytes(), EXPORT.name, store, "auto", year=2025, new_sites=new_sites)
    assert expected.ok
    sections_before = len(store.read_table("sections"))
    account(store, "管理员", "admin")  # importing is an administrator's (issue 12); anyone may preview
    _upload(app)
    sign_in(app, "管理员")
    _answer_year(app)
    _choose(app, choice)
    assert "检查通过，可以导入" in texts(app)
    assert app.metric[0].value == str(expected.counts["values"])
    if new_sites == "import":
        assert f"将新增 {len(expected.new_sites)} 个断面" in texts(app)
    app.button(key="mon_do_import").click().run()
    assert not app.exception
    assert any("已导入 variant_shanxi_no_province.csv" in s.value for s in app.success)
    stored = open_store().read_measurements()
    mine = stored[stored["source_file"] == EXPORT.name]
    real = expected.rows[expected.rows["item"] != "status"]
    assert len(mine[mine["item"] != "status"]) == len(real)
    assert set(mine["site_id"]) == set(expected.rows["site_id"])
    assert set(mine["date"].astype(str).str[:4]) == {"2025"}
    added = len(open_store().read_table("sections")) - sections_before
    assert added == (len(expected.new_sites) if new_sites == "import" else 0)


def test_another_file_asks_again(app):
    _upload(app)
    _answer_year(app)
    _choose(app, "跳过这些站点")
    other = REPO / "tests" / "fixtures" / "monitoring" / "variant_two_provinces.csv"
    app.file_uploader(key="mon_file").set_value((other.name, other.read_bytes(), "text/csv")).run()
    assert not app.exception
    (box,) = [n for n in app.number_input if n.key.startswith("mon_year_")]
    assert box.value is None  # the year given for one file is not carried to another
    _answer_year(app)
    (radio,) = [r for r in app.radio if r.key.startswith("mon_new_sites_")]
    assert radio.value is None  # nor the choice about its stations


def test_sample_data_stays_labelled_on_the_page(app):
    open_page(app, "monitoring")
    assert "示例数据（非实测）" in texts(app)
