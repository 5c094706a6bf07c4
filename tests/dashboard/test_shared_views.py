"""Views are shared between visitors (``cache_resource``): no page may change one in place.

Every page runs in AppTest; afterwards each cached view still equals a view computed afresh from the
store's tables. A page that wrote into a shared frame would show its change to every other visitor.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from pandas.testing import assert_frame_equal

from geodata import views
from geodata.areas import Area
from geodata.quality.evaluations import section_evaluations
from tests.dashboard.helpers import new_app, open_page

PAGES = ("overview", "water", "groundwater", "zones", "enterprises", "tasks", "air", "sources")


def test_no_page_changes_a_shared_view(db_path):
    from dashboard import data

    app = new_app(timeout=180)
    for page in PAGES:
        open_page(app, page)
        assert not app.exception, page
        open_page(app, page, city="晋城市", county="陵川县")
        assert not app.exception, page
    store = data.store()
    as_of = dt.date.today()
    year = int(app.selectbox(key="state_year").value)
    tables = {name: store.read_table(name) for name in ("sections", "section_targets", "documents", "tasks", "plans",
                                                         "enterprises")}
    updates = store.task_events()
    evaluations = section_evaluations(store, "month")
    for area in (Area(), Area("晋城市", "陵川县")):
        fresh = {
            "sections": views.sections_view(tables["sections"], tables["section_targets"], evaluations, year=year,
                                            area=area, documents=tables["documents"]),
            "tasks": views.tasks_view(tables["tasks"], updates, as_of=as_of, area=area, year=year, plans=tables["plans"]),
            "enterprises": views.enterprises_view(tables["enterprises"], updates, as_of=as_of, area=area,
                                                  documents=tables["documents"]),
        }
        shared = {"sections": data.sections(area, year), "tasks": data.tasks(area, as_of, year),
                  "enterprises": data.enterprises(area, as_of)}
        for name, frame in fresh.items():
            assert_frame_equal(shared[name].reset_index(drop=True), frame.reset_index(drop=True), check_dtype=False,
                               obj=f"{name} of {area}")
    assert isinstance(data.table("tasks"), pd.DataFrame) and data.table("tasks").equals(tables["tasks"])
    # the classes of a period and the 预警 list are shared too (one evaluator serves every period)
    from geodata.quality.evaluations import Period, section_classes
    from geodata.quality.figures import early_warnings

    for period in (Period(year, None, "year"), Period(year, 6, "ytd"), Period(year - 1, 6, "month")):
        assert_frame_equal(data.period_classes(period).reset_index(drop=True),
                           section_classes(store, period).reset_index(drop=True), obj=f"classes of {period}")
    assert_frame_equal(data.early_warnings(year, 12).reset_index(drop=True),
                       early_warnings(store, year, 12).reset_index(drop=True), obj="预警")
