"""Headlines and the tables under them count the same rows, for random filters (≥200 combinations)."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from geodata import views
from geodata.areas import Area
from geodata.quality.evaluations import section_evaluations
from geodata.status import LATE, STATUSES, with_status
from geodata.store import open_store

COMBINATIONS = 240


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    store = open_store(tmp_path_factory.mktemp("views") / "envmap.gpkg")
    tables = {name: store.read_table(name) for name in
              ("sections", "section_targets", "tasks", "enterprises", "plans", "documents")}
    # some history, so that every status can occur: in progress, done early, done late, under 督办
    tasks = tables["tasks"]
    dated = tasks[tasks["deadline"] != ""].sample(60, random_state=1)
    rows = []
    for i, (tid, deadline) in enumerate(zip(dated["id"], dated["deadline"], strict=True)):
        due = dt.date.fromisoformat(deadline)
        kind = i % 3
        day = due - dt.timedelta(days=20) if kind < 2 else due + dt.timedelta(days=15)
        rows.append({"fid": 3 * i + 1, "task_id": tid, "kind": "progress" if kind == 0 else "apply_close",
                     "event_date": day.isoformat(), "actor": "县局"})
        if kind:  # verified a week later: done as of the application
            rows.append({"fid": 3 * i + 2, "task_id": tid, "kind": "close", "actor": "督办员",
                         "event_date": (day + dt.timedelta(days=7)).isoformat()})
        if i % 4 == 0:
            rows.append({"fid": 3 * i + 3, "task_id": tid, "kind": "supervise", "actor": "督办员", "note": "请加快",
                         "event_date": (due - dt.timedelta(days=40)).isoformat()})
    import pandas as pd

    updates = pd.DataFrame(rows)
    areas = [Area()]
    for city, counties in views.areas_of(tables["documents"], set()).items():
        areas.append(Area(city))
        areas += [Area(city, county) for county in counties]
    return {"tables": tables, "updates": updates, "evaluations": section_evaluations(store, "month"), "areas": areas}


def _views(data, area, year, month, as_of):
    t = data["tables"]
    sections = views.sections_view(t["sections"], t["section_targets"], data["evaluations"], year=year, area=area,
                                   month=month, documents=t["documents"])
    tasks = views.tasks_view(t["tasks"], data["updates"], as_of=as_of, area=area, year=year, plans=t["plans"])
    enterprises = views.enterprises_view(t["enterprises"], data["updates"], as_of=as_of, area=area, documents=t["documents"])
    return sections, tasks, enterprises


def _combinations(data):
    rng = random.Random(20231)
    for _ in range(COMBINATIONS):
        yield (rng.choice(data["areas"]), rng.choice(range(2020, 2026)), rng.choice([None, *range(1, 13)]),
               dt.date(2021, 1, 1) + dt.timedelta(days=rng.randrange(0, 6 * 365)))


def test_the_per_county_table_sums_to_the_headline_for_random_filters(data):
    checked = 0
    for area, year, month, as_of in _combinations(data):
        sections, tasks, enterprises = _views(data, area, year, month, as_of)
        headline = views.headline(sections, tasks, enterprises)
        table = views.county_summary(sections, tasks, enterprises)
        for field in views.COUNT_FIELDS:
            total = int(table[field].sum()) if len(table) else 0
            assert total == getattr(headline, field), (area, year, month, as_of, field)
        # each status counted once: the status counts add up to the tasks
        assert sum(int((tasks["status"] == s).sum()) for s in STATUSES) == headline.tasks
        assert headline.late == int(tasks["status"].isin(LATE).sum())
        assert headline.met <= headline.assessed <= min(headline.evaluated, headline.with_target) <= headline.sections
        checked += 1
    assert checked >= 200


def test_a_county_headline_equals_its_row_in_its_city_table(data):
    rng = random.Random(7)
    counties = [a for a in data["areas"] if a.county]
    for _ in range(60):
        county = rng.choice(counties)
        year, as_of = rng.choice(range(2020, 2026)), dt.date(2021, 1, 1) + dt.timedelta(days=rng.randrange(0, 2000))
        own = views.headline(*_views(data, county, year, None, as_of))
        table = views.county_summary(*_views(data, Area(county.city), year, None, as_of))
        row = table[table["county"] == county.county]
        for field in views.COUNT_FIELDS:
            expected = int(row[field].iloc[0]) if len(row) else 0
            assert getattr(own, field) == expected, (county, year, as_of, field)


def test_late_owners_belong_to_the_area_and_count_late_tasks_only(data):
    for area, year, _month, as_of in list(_combinations(data))[:80]:
        _sections, tasks, _enterprises = _views(data, area, year, None, as_of)
        owners, _outside = views.late_owners(tasks, area)
        late = int(tasks["status"].isin(LATE).sum())
        assert (owners["late"] <= late).all()
        assert (owners["late_unreported"] <= owners["late"]).all()
        if area.county:
            assert set(owners["jurisdiction"]) <= {area.county}, (area, set(owners["jurisdiction"]))
        elif area.city:
            from geodata.areas import city_of

            assert all(j == area.city or city_of(j) == area.city for j in owners["jurisdiction"]), area


def test_the_status_of_every_task_is_one_of_the_nine(data):
    t = data["tables"]
    frame = with_status(t["tasks"], data["updates"], dt.date(2023, 7, 1))
    assert set(frame["status"]) <= set(STATUSES)
    assert {"overdue", "overdue_unreported", "done_on_time", "done_late", "due_soon", "long_term"} <= set(frame["status"])
