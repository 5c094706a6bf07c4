"""Every page under every option it offers: years, cities, counties, languages, as-of dates, store states.

Each test opens one page in one store state and walks the sidebar through the options the page
offers (the ones the data has), as a visitor clicking through would. Nothing may raise; no cell or
message may read "None"/"nan"; a page with nothing to show says so.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geodata.i18n import set_language
from tests.dashboard.helpers import PAGES, new_app, texts

BAD_CELLS = {"None", "nan", "NaN", "<NA>", "NaT"}
CJK = re.compile(r"[\u4e00-\u9fff]")


def _problems(app: AppTest, where: str) -> list[str]:
    found = [f"{where}: exception {e.value}" for e in app.exception]
    for frame in (d.value for d in app.dataframe):
        frame = frame.data if hasattr(frame, "data") else frame
        bad = frame.astype(str).isin(BAD_CELLS)
        if bad.any().any():
            found.append(f"{where}: table cell {frame.columns[bad.any()].tolist()} reads None/nan")
    text = texts(app)
    for token in ("None", "nan", "NaT"):
        if re.search(rf"(?<![A-Za-z]){token}(?![A-Za-z])", text):
            found.append(f"{where}: text shows {token!r}")
    prose = [m for m in app.markdown if not m.value.lstrip().startswith("<style>")]
    shows_something = bool(app.dataframe) or bool(app.info) or bool(prose)
    if not shows_something:
        found.append(f"{where}: neither content nor an empty-state message")
    return found


def _store(tmp_path_factory, name: str, prepare) -> Path:  # noqa: ANN001
    path = tmp_path_factory.mktemp(name) / "envmap.gpkg"
    prepare(path)
    return path


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    """Store files in the states a visitor can meet: bundled (with samples), without samples, empty, after an import."""
    import os

    from geodata.quality.monitoring import import_monitoring
    from geodata.store import open_store

    def bundled(path: Path) -> None:
        open_store(path).close()

    def no_samples(path: Path) -> None:
        store = open_store(path)
        store.delete_samples()

    def empty(path: Path) -> None:
        from geodata.store import GeoPackageStore

        GeoPackageStore(path).close()

    def after_import(path: Path) -> None:
        store = open_store(path)
        csv = path.parent / "results.csv"
        rows = ["断面名称,监测日期,pH,溶解氧,高锰酸盐指数,氨氮,总磷"]
        rows += [f"汇源水库出口,2023-{m:02d},7.6,7.1,3.2,0.31,0.04" for m in (1, 2, 3)]
        rows += [f"台北村,2024-{m:02d},7.9,6.4,5.1,1.2,0.19" for m in (5, 6)]
        csv.write_text("\n".join(rows), encoding="utf-8")
        import_monitoring(csv, store)

    made = {"bundled": _store(tmp_path_factory, "bundled", bundled)}
    made["no_samples"] = _store(tmp_path_factory, "no_samples", no_samples)
    old = os.environ.get("ENVMAP_BUNDLED")
    os.environ["ENVMAP_BUNDLED"] = "0"
    made["empty"] = _store(tmp_path_factory, "empty", empty)
    if old is None:
        del os.environ["ENVMAP_BUNDLED"]
    else:
        os.environ["ENVMAP_BUNDLED"] = old
    made["after_import"] = _store(tmp_path_factory, "after_import", after_import)
    return made


@pytest.fixture
def use_store(stores, tmp_path, monkeypatch):
    def choose(state: str) -> None:
        copy = tmp_path / f"{state}.gpkg"
        shutil.copyfile(stores[state], copy)
        monkeypatch.setenv("ENVMAP_DB", str(copy))
        monkeypatch.delenv("ENVMAP_DATABASE_URL", raising=False)
        if state == "empty":
            monkeypatch.setenv("ENVMAP_BUNDLED", "0")

    return choose


def _start(page: str) -> AppTest:
    app = new_app()
    app.run()
    app.switch_page(f"app_pages/{page}.py").run()
    return app


def _walk_years_and_cities(app: AppTest, page: str) -> list[str]:
    problems = _problems(app, f"{page} default")
    years = [int(y) for y in app.selectbox(key="state_year").options]
    cities = list(app.selectbox(key="state_city").options)
    for year in years:
        app.selectbox(key="state_year").select(year).run()
        for index in range(len(cities)):
            app.selectbox(key="state_city").select_index(index).run()
            problems += _problems(app, f"{page} {year} city#{index}")
    return problems


def _walk_counties(app: AppTest, page: str) -> list[str]:
    problems = []
    cities = app.selectbox(key="state_city").options
    for city in cities[1:]:
        app.selectbox(key="state_city").select(city).run()
        counties = app.selectbox(key=f"state_county_{city}").options
        for county in counties[1:]:
            app.selectbox(key=f"state_county_{city}").select(county).run()
            problems += _problems(app, f"{page} {city}/{county}")
        app.selectbox(key=f"state_county_{city}").select_index(0).run()
    return problems


@pytest.mark.parametrize("page", PAGES)
def test_every_year_and_city_and_county(use_store, page):
    use_store("bundled")
    app = _start(page)
    problems = _walk_years_and_cities(app, page) + _walk_counties(app, page)
    assert problems == []


@pytest.mark.parametrize("page", PAGES)
def test_as_of_the_start_middle_and_end_of_the_data(use_store, page):
    use_store("bundled")
    app = _start(page)
    problems = []
    for day in (dt.date(2022, 1, 1), dt.date(2023, 6, 30), dt.date(2025, 12, 31), dt.date.today()):
        app.date_input(key="state_asof").set_value(day).run()
        problems += _problems(app, f"{page} as of {day}")
    assert problems == []


@pytest.mark.parametrize("page", PAGES)
def test_english_everywhere_and_no_chinese_headers(use_store, page):
    use_store("bundled")
    app = _start(page)
    app.radio(key="state_lang").set_value("en").run()
    # AppTest formats widget values in the test's own thread: from now on it must speak English too
    set_language("en")
    problems = _problems(app, f"{page} en")
    for index in range(len(app.selectbox(key="state_city.en").options)):
        app.selectbox(key="state_city.en").select_index(index).run()
        problems += _problems(app, f"{page} en city#{index}")
        for frame in (d.value for d in app.dataframe):
            frame = frame.data if hasattr(frame, "data") else frame
            chinese = [c for c in map(str, frame.columns) if CJK.search(c) and not re.search(r"\d{4}", c)]
            if chinese:
                problems.append(f"{page} en: untranslated table headers {chinese}")
    assert app.title[0].value and not CJK.search(app.title[0].value.split("·")[0])
    for label in [w.label for w in app.selectbox] + [w.label for w in app.multiselect]:
        if CJK.search(label):
            problems.append(f"{page} en: untranslated widget label {label}")
    assert problems == []


@pytest.mark.parametrize("state", ["no_samples", "empty", "after_import"])
@pytest.mark.parametrize("page", PAGES)
def test_other_store_states(use_store, page, state):
    use_store(state)
    app = _start(page)
    problems = _walk_years_and_cities(app, page)
    if state == "empty":
        assert "还没有行动计划" in texts(app), "an empty store must say how to start"
    assert problems == []


ROLES = [None, "viewer", "reporter", "supervisor", "admin"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", PAGES)
def test_every_page_signed_out_and_signed_in_in_each_role(use_store, page, role):
    """Each page as a visitor without an account and as each role sees it, with a task open (the ledger's
    forms differ by role); the sidebar says who is signed in."""
    import os

    from geodata.store import open_store
    from geodata.supervision import task_units
    from tests.accounts import account
    from tests.dashboard.helpers import sign_in

    use_store("bundled")
    store = open_store(os.environ["ENVMAP_DB"])
    tasks = store.read_table("tasks")
    fresh = tasks[~tasks["id"].isin(store.task_events()["task_id"]) & (tasks["responsible_units"] != "")].iloc[0]
    task = str(fresh["id"])
    if role:  # a reporter of the task's own units
        units = tuple(sorted(task_units(fresh["responsible_units"], fresh["jurisdiction"]))) if role == "reporter" else ()
        account(store, f"测试{role}", role, units)
    app = new_app()
    app.query_params["task"] = task
    app.run()
    if role:
        sign_in(app, f"测试{role}")
        assert any(f"测试{role}" in m.value for m in app.sidebar.markdown)
    app.switch_page(f"app_pages/{page}.py")
    app.query_params["task"] = task
    app.run()
    problems = _problems(app, f"{page} as {role or 'nobody'}")
    if page == "tasks":
        can_record = role in ("reporter", "supervisor", "admin")
        forms = [b for b in app.button if b.label in ("保存进展", "交办", "督办", "提交销号申请", "核验通过，销号", "退回")]
        assert bool(forms) == can_record, (role, [b.label for b in app.button])
        if can_record:
            expected = ["报告进展", "申请销号"] if role == "reporter" else ["交办", "督办", "报告进展", "申请销号"]
            assert [o for o in app.radio(key="tasks_action").options if o != "定期报告"] == expected or \
                app.radio(key="tasks_action").options == [k.replace("报告进展", "定期报告") for k in expected if k != "申请销号"]
        else:
            assert "登录后可登记" in texts(app) or "不能做这一步" in texts(app)
    assert problems == []


@pytest.mark.parametrize("state", ["bundled", "after_import"])
def test_water_and_overview_every_period_offered(use_store, state):
    """水环境 under each period mode (全年/累计/当月) and the first and last month offered, for every year;
    总览 for every year (it follows the default period). Sampled, not multiplied by cities."""
    use_store(state)
    app = _start("water")
    problems = []
    years = [int(y) for y in app.selectbox(key="state_year").options]
    for year in years:
        app.selectbox(key="state_year").select(year).run()
        control = app.segmented_control(key=f"water_period_{year}")
        for mode in control.options:
            app.segmented_control(key=f"water_period_{year}").set_value(
                {"全年": "year", "累计": "ytd", "当月": "month"}[mode]).run()
            boxes = [s for s in app.selectbox if s.key == f"water_period_month_{year}"]
            months = [int(re.match(r"\d+", m).group()) for m in boxes[0].options] if boxes else [None]
            for month in dict.fromkeys([months[0], months[-1]]):
                if month is not None:
                    app.selectbox(key=f"water_period_month_{year}").select(month).run()
                problems += _problems(app, f"water {year} {mode} {month}")
    overview = _start("overview")
    for year in years:
        overview.selectbox(key="state_year").select(year).run()
        problems += _problems(overview, f"overview {year}")
    assert problems == []
