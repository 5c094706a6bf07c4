"""Period views: for random areas and periods the headline equals the county table, 同比 equals the rule,
borrowed targets are marked, and the default period follows the months with data."""

from __future__ import annotations

import random

import pandas as pd
import pytest

from geodata import period_views, views
from geodata.areas import Area
from geodata.quality.evaluations import Period, section_classes, section_evaluations
from geodata.quality.figures import year_on_year
from geodata.store import open_store

COMBINATIONS = 40


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    store = open_store(tmp_path_factory.mktemp("periods") / "envmap.gpkg")
    tables = {name: store.read_table(name) for name in ("sections", "section_targets", "documents")}
    areas = [Area()]
    for city, counties in views.areas_of(tables["documents"], set()).items():
        areas.append(Area(city))
        areas += [Area(city, county) for county in counties]
    return {"store": store, "tables": tables, "areas": areas, "classes": {}}


def _classes(data, period):
    if period not in data["classes"]:
        data["classes"][period] = section_classes(data["store"], period)
    return data["classes"][period]


def _view(data, area, period):
    t = data["tables"]
    return period_views.period_sections_view(t["sections"], t["section_targets"], _classes(data, period), period=period,
                                             area=area, documents=t["documents"])


def _periods():
    rng = random.Random(2023)
    for _ in range(COMBINATIONS):
        mode = rng.choice(period_views.MODES)
        yield Period(rng.choice([2021, 2022, 2023, 2024]), None if mode == "year" else rng.randint(1, 12), mode)


@pytest.mark.parametrize("period", list(dict.fromkeys(_periods())), ids=lambda p: p.key)
def test_headline_table_and_year_on_year_agree(data, period):
    area = random.Random(period.key).choice(data["areas"])
    now, before = _view(data, area, period), _view(data, area, period.previous_year())
    head = views.headline(now)
    summary = views.county_summary(now, pd.DataFrame(columns=["status", "area_city", "area_county"]),
                                   pd.DataFrame(columns=["status", "area_city", "area_county"]))
    for field in ("sections", "evaluated", "good", "worst", "assessed", "met", "sample_sections"):
        assert int(summary[field].sum()) == getattr(head, field), field
    mine = period_views.period_year_on_year(now, before, period)
    rule = year_on_year(data["store"], period, list(now["id"]))
    assert mine.current == rule.current and mine.previous == rule.previous
    for attr in ("good_share", "worst_share", "met_share"):
        assert mine.change(attr) == rule.change(attr)
    assert list(mine.sections["section_id"]) == list(rule.sections["section_id"])
    assert list(mine.sections["change_label"]) == list(rule.sections["change_label"])


def test_a_year_without_targets_borrows_the_latest_earlier_one_and_says_so(data):
    t = data["tables"]["section_targets"]
    view = _view(data, Area(), Period(2024, None, "year"))
    borrowed = view[view["target_note"] != ""]
    assert len(borrowed) > 0
    assert borrowed["target_note"].str.startswith("无当年目标，沿用").all()
    for sid, year, line in zip(borrowed["id"], borrowed["target_year"], borrowed["target_line"], strict=True):
        rows = t[(t["section_id"] == sid) & (t["year"].astype(str) == year)]
        assert str(line) in set(rows["source_line"].astype(str))  # the borrowed target keeps its own source
    own = view[(view["target_note"] == "") & (view["target_class"] != "")]
    assert (own["target_year"] == "2024").all()


@pytest.mark.parametrize(("months", "expected"), [
    ([], Period(2023, None, "year")),
    (list(range(1, 13)), Period(2023, None, "year")),
    ([1, 2, 3, 4, 5, 6], Period(2023, 6, "ytd")),
    ([3, 7], Period(2023, 7, "ytd")),
])
def test_default_period(months, expected):
    assert period_views.default_period(2023, months) == expected


def test_a_chosen_month_without_data_falls_back_to_the_latest_with_data():
    assert period_views.choose_period(2023, [1, 2, 3], "month", 9) == Period(2023, 3, "month")
    assert period_views.choose_period(2023, [1, 2, 3], "nonsense", None) == Period(2023, 3, "ytd")
    assert period_views.choose_period(2023, [], "month", 2) == Period(2023, None, "year")


def test_months_with_data_are_those_of_the_year_and_the_sections(data):
    evaluations = section_evaluations(data["store"], "month")
    assert period_views.months_with_data(evaluations, 2023) == list(range(1, 13))
    assert period_views.months_with_data(evaluations, 2024) == []
    assert period_views.months_with_data(evaluations, 2023, ["no-such-section"]) == []


def test_the_evaluators_months_are_the_months_the_monthly_evaluations_hold(tmp_path):
    """One rule, two ways to reach it: the page (and the export) ask the evaluator for the months with
    results; they must be the months section_evaluations has a class or a state for, in every area and
    year, including a month with only a recorded state (断流) and one only 未监测."""
    import pandas as pd

    from geodata.areas import attribute_sites, in_area
    from geodata.quality.evaluations import SectionEvaluator

    store = open_store(tmp_path / "envmap.gpkg")
    sections = store.read_table("sections")
    first, second = str(sections["id"].iloc[0]), str(sections["id"].iloc[1])
    store.write_measurements(pd.DataFrame([
        {"site_type": "section", "site_id": first, "date": "2019-03-15", "period": "2019-03", "item": "status",
         "value": None, "unit": "", "status": "dry", "is_sample": 0, "source_file": "状态.csv", "source_row": 2},
        {"site_type": "section", "site_id": second, "date": "2019-05-15", "period": "2019-05", "item": "status",
         "value": None, "unit": "", "status": "not_monitored", "is_sample": 0, "source_file": "状态.csv", "source_row": 3},
    ]))
    evaluations = section_evaluations(store, "month")
    evaluator = SectionEvaluator(store)
    attributed = attribute_sites(store.read_table("sections"), store.read_table("documents"))
    areas = [Area()]
    for city, counties in views.areas_of(store.read_table("documents"), set()).items():
        areas += [Area(city), *(Area(city, county) for county in counties)]
    assert evaluator.months_with_results(2019, [first]) == [3]  # the 断流 month counts, 未监测 does not
    assert evaluator.months_with_results(2019, [second]) == []
    for year in (2019, 2022, 2023, 2024):
        for area in areas:
            ids = list(in_area(attributed, area)["id"])
            assert evaluator.months_with_results(year, ids) == period_views.months_with_data(evaluations, year, ids), (
                year, area)
    store.close()


def _borrowed_one_section_at_a_time(targets: pd.DataFrame, year: int) -> pd.DataFrame:
    """The rule of :func:`period_views.targets_up_to` as it was first written, one section at a time (the
    reference: the vectorised version must give the same rows)."""
    current = views.targets_for_year(targets, year).assign(target_year=str(year), target_note="")
    t = targets[(targets["kind"] == "target") & (targets["target_class"].astype(str) != "")]
    years = pd.to_numeric(t["year"], errors="coerce")
    with_class = set(t.loc[years == year, "section_id"].astype(str))
    earlier = t[years < year].assign(_y=years[years < year])
    rows = []
    for sid, y in earlier.groupby("section_id")["_y"].max().items():
        if str(sid) in with_class:
            continue
        found = views.targets_for_year(targets[targets["section_id"] == sid], int(y))
        if len(found):
            rows.append(found.iloc[0].to_dict() | {"target_year": str(int(y)), "target_note": f"无当年目标，沿用{int(y)}年目标"})
    if not rows:
        return current
    borrowed = pd.DataFrame(rows)
    current = current[~current["section_id"].isin(set(borrowed["section_id"]))]
    return pd.concat([current, borrowed], ignore_index=True)


@pytest.mark.parametrize("seed", range(12))
def test_borrowed_targets_equal_the_one_section_at_a_time_rule(seed):
    """Random target tables (years with and without a class, annex rows and body restatements, other kinds,
    a year written as text): every section gets the same target, year and note as the reference rule."""
    rng = random.Random(seed)
    rows = []
    for s in range(rng.randint(1, 40)):
        for year in rng.sample(range(2019, 2027), rng.randint(0, 4)):
            for _ in range(rng.randint(1, 2)):
                annex = rng.random() < 0.6
                rows.append({"section_id": f"S{s:02d}", "kind": rng.choice(["target", "target", "target", "limit"]),
                             "year": str(year), "target_class": rng.choice(["II", "III", "IV", ""]),
                             "target_text": "III类" if annex else "到2025年水质稳定达到III类标准要求",
                             "document_id": f"d{rng.randint(1, 3)}", "source_line": str(rng.randint(1, 400)),
                             "source_file": "plan.txt"})
    targets = pd.DataFrame(rows, columns=["section_id", "kind", "year", "target_class", "target_text", "document_id",
                                          "source_line", "source_file"])
    year = rng.choice([2021, 2024, 2026])

    def keyed(frame):
        return {r["section_id"]: (r["target_class"], r["target_text"], r["target_year"], r["target_note"],
                                  r["target_line"]) for r in frame.to_dict("records")}

    got, expected = period_views.targets_up_to(targets, year), _borrowed_one_section_at_a_time(targets, year)
    assert keyed(got) == keyed(expected)
    assert len(got) == len(expected) == got["section_id"].nunique()
