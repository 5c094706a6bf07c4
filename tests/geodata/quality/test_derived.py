"""Results kept in the store (:mod:`geodata.derived`): the evaluations and the attribution of sites and
tasks to areas, computed when the data change, read (not recomputed) by pages and new processes, never
stale — a changed input table or changed code computes them again."""

from __future__ import annotations

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from geodata import areas, views
from geodata import derived as kept
from geodata.plans.extract import extract_document
from geodata.quality import derived, evaluations, figures, values
from geodata.quality.monitoring import import_monitoring
from geodata.store import open_store

MAY = "断面名称,监测日期,pH,溶解氧,高锰酸盐指数,氨氮,总磷\n张留庄,2023-05,7.8,6.2,5.1,1.8,0.25\n"


@pytest.fixture
def store(location, monkeypatch):
    monkeypatch.setenv("ENVMAP_SAMPLES", "1")  # the bundled samples give every section classes
    s = open_store(location)
    yield s
    s.close()


def _refuse(monkeypatch, owner, *names: str) -> None:  # noqa: ANN001
    """``owner.name`` fails the test when called: what was kept must be read, not computed again."""
    for name in names:
        monkeypatch.setattr(owner, name, lambda *a, _n=name, **k: pytest.fail(f"{_n} again although nothing changed"))


def _no_compute(monkeypatch) -> None:  # noqa: ANN001
    _refuse(monkeypatch, evaluations, "section_evaluations", "groundwater_evaluations")


def test_the_kept_result_is_the_computed_one_and_is_read_not_recomputed(store, monkeypatch):
    computed = evaluations.section_evaluations(store, "month").reset_index(drop=True)
    groundwater = evaluations.groundwater_evaluations(store, "year").reset_index(drop=True)
    versions = store.table_versions()
    kept.refresh(store)
    assert store.table_versions() == versions  # keeping a result changes no data: no page cache is dropped
    _no_compute(monkeypatch)
    assert_frame_equal(derived.section_evaluations(store), computed)
    assert_frame_equal(derived.groundwater_evaluations(store), groundwater)


def test_an_import_computes_the_new_classes_at_once(store, tmp_path, monkeypatch):
    kept.refresh(store)
    before = derived.section_evaluations(store)
    path = tmp_path / "5月.csv"
    path.write_text(MAY, encoding="utf-8")
    import_monitoring(path, store)
    _no_compute(monkeypatch)  # the import already computed them: a visitor only reads
    after = derived.section_evaluations(store)
    may = after[(after["section_id"] == "运城市:张留庄") & (after["period"] == "2023-05")]
    assert list(may["class"]) == ["Ⅴ"] and list(may["is_sample"]) == [0]  # 氨氮 1.8 → Ⅴ (GB 3838: Ⅳ ≤ 1.5, Ⅴ ≤ 2.0)
    assert not before.equals(after)


def test_a_change_of_an_input_table_by_any_path_is_never_served_stale(store):
    kept.refresh(store)
    site = "运城市:张留庄"
    row = {"site_type": "section", "site_id": site, "date": "2023-05-10", "period": "2023-05", "item": "NH3-N",
           "value": 2.5, "below_detection": 0, "unit": "mg/L", "status": "ok", "is_sample": 0, "source_file": "直写.csv",
           "source_row": 2}
    store.write_measurements(pd.DataFrame([row]))  # written without the importer (no refresh)
    fresh = derived.section_evaluations(store)
    assert_frame_equal(fresh, evaluations.section_evaluations(store, "month").reset_index(drop=True))


def test_new_evaluation_code_recomputes(store, monkeypatch):
    kept.refresh(store)
    calls = []
    real = evaluations.section_evaluations
    monkeypatch.setattr(evaluations, "section_evaluations", lambda s, p: calls.append(p) or real(s, p))
    monkeypatch.setattr(derived, "rules_fingerprint", lambda: "a-new-release")
    derived.section_evaluations(store)
    derived.section_evaluations(store)
    assert calls == ["month"]  # once for the new rules, then kept


def test_a_read_only_store_still_gets_its_classes(store, location, monkeypatch):
    kept.refresh(store)
    store.write_measurements(pd.DataFrame([{  # a change nobody evaluated yet
        "site_type": "section", "site_id": "运城市:张留庄", "date": "2023-06-10", "period": "2023-06", "item": "TP",
        "value": 0.1, "below_detection": 0, "unit": "mg/L", "status": "ok", "is_sample": 0, "source_file": "6月.csv",
        "source_row": 2}]))
    if not location.endswith(".gpkg"):
        pytest.skip("read-only opening is a GeoPackage file mode")
    reader = open_store(location, read_only=True)
    try:
        got = derived.section_evaluations(reader)
        assert "2023-06" in set(got[got["section_id"] == "运城市:张留庄"]["period"])
    finally:
        reader.close()


def _attributed_now(store, name: str) -> pd.DataFrame:  # noqa: ANN001
    frame = store.read_table(name)
    if name in ("tasks", "no_coal_zones"):
        return areas.attribute_tasks(frame)
    return areas.attribute_sites(frame, store.read_table("documents"))


def test_the_kept_attribution_of_every_table_is_the_computed_one_and_is_read_not_recomputed(store, monkeypatch):
    expected = {name: _attributed_now(store, name) for name in kept.ATTRIBUTED}
    assert any((frame["area_county"] != "").any() for frame in expected.values())  # something to attribute
    pairs = {pair for name in kept.AREA_INPUTS[1:]
             for pair in zip(expected[name]["area_city"], expected[name]["area_county"], strict=True)}
    choices = views.areas_of(store.read_table("documents"), pairs)
    kept.refresh(store)
    _refuse(monkeypatch, areas, "attribute_sites", "attribute_tasks")
    _refuse(monkeypatch, views, "areas_of")
    for name, frame in expected.items():
        assert_frame_equal(kept.attributed(store, name), frame, obj=name)
    assert kept.areas(store) == choices and "运城市" in choices


def test_a_changed_table_is_attributed_again(store, tmp_path):
    kept.refresh(store)
    before = len(store.read_table("tasks"))
    plan = tmp_path / "平顺县2024年水污染防治工作方案.txt"
    plan.write_text("平顺县2024年水污染防治工作方案\n\n一、重点任务\n\n1. 整治入河排污口。2024年6月底前完成。（县生态环境分局牵头）\n",
                    encoding="utf-8")
    store.replace_document(extract_document(plan))  # a plan of another county imported
    got = kept.attributed(store, "tasks")
    assert len(got) > before
    assert_frame_equal(got, _attributed_now(store, "tasks"))
    assert "平顺县" in set(got["area_county"]) and "长治市" in set(got["area_city"])


def test_new_attribution_code_attributes_again(store, monkeypatch):
    kept.refresh(store)
    calls = []
    real = areas.attribute_sites
    monkeypatch.setattr(areas, "attribute_sites", lambda *a: calls.append(1) or real(*a))
    kept.code_fingerprint.cache_clear()
    monkeypatch.setattr(kept, "AREA_CODE", (*kept.AREA_CODE, "model.py"))
    kept.attributed(store, "sections")
    kept.attributed(store, "sections")
    kept.code_fingerprint.cache_clear()
    assert calls == [1]  # once for the new code, then kept


PERIODS = [evaluations.Period(2023, None, "year"), evaluations.Period(2023, 5, "month"),
           evaluations.Period(2023, 5, "ytd"), evaluations.Period(2024, None, "year")]


class Evaluators:
    """The ``evaluator`` argument of the kept period figures, counting how often it had to be made."""

    def __init__(self, store) -> None:  # noqa: ANN001
        self.store, self.made = store, 0

    def __call__(self, ids: set[str] | None = None) -> evaluations.SectionEvaluator:
        self.made += 1
        return evaluations.SectionEvaluator(self.store, sites=ids)


def test_the_figures_of_a_period_are_kept_equal_to_the_computed_ones_and_a_new_reader_needs_no_evaluator(store, location):
    evaluator = evaluations.SectionEvaluator(store)
    expected = {p: evaluations.section_classes(store, p, evaluator=evaluator) for p in PERIODS}
    assert len(expected[PERIODS[0]]) and expected[PERIODS[0]]["values"].map(bool).any()  # classes with their values
    warnings = figures.early_warnings(store, 2023, 5, evaluator=evaluator)
    first = Evaluators(store)
    for period, frame in expected.items():
        assert_frame_equal(derived.period_classes(store, period, first), frame, obj=period.key)
    assert_frame_equal(derived.early_warnings(store, 2023, 5, first), warnings)
    months = derived.result_months(store, first)
    # each period once, the two periods of 2022 预警 compares with (the 2023 ones are kept already), the months
    assert first.made == len(PERIODS) + 2 + 1
    again = Evaluators(store)  # another process on the same store: reads what the first one kept
    for period, frame in expected.items():
        got = derived.period_classes(store, period, again)
        assert_frame_equal(got, frame, obj=period.key)
        assert all(isinstance(m, values.Measurement) for v in got["values"] for m in v.values())
    assert_frame_equal(derived.early_warnings(store, 2023, 5, again), warnings)
    assert_frame_equal(derived.result_months(store, again), months)
    assert again.made == 0
    for year in (2022, 2023, 2024):
        assert evaluations.months_of_year(months, year) == evaluator.months_with_results(year)


def test_the_kept_figures_of_a_period_follow_an_import(store, tmp_path):
    before = derived.period_classes(store, evaluations.Period(2023, 5, "month"), Evaluators(store))
    path = tmp_path / "5月.csv"
    path.write_text(MAY, encoding="utf-8")
    import_monitoring(path, store)
    after = derived.period_classes(store, evaluations.Period(2023, 5, "month"), Evaluators(store))
    assert_frame_equal(after, evaluations.section_classes(store, evaluations.Period(2023, 5, "month")))
    may = after[after["section_id"] == "运城市:张留庄"]
    assert list(may["class"]) == ["Ⅴ"] and not before.equals(after)


def test_progress_from_the_kept_classes_equals_progress_computed_and_needs_no_evaluator(store):
    """时序进度 as the dashboard makes it (classes of its period kept in the store) is the computed one."""
    expected = figures.progress(store, 2023, 5, evaluator=evaluations.SectionEvaluator(store))
    assert len(expected) and expected["denominator"].astype(int).gt(0).any()  # indicators with sections evaluated
    first = Evaluators(store)
    assert_frame_equal(figures.progress(store, 2023, 5, classes=lambda p: derived.period_classes(store, p, first)),
                       expected)
    assert first.made == 1  # the year-to-date classes, once
    again = Evaluators(store)
    assert_frame_equal(figures.progress(store, 2023, 5, classes=lambda p: derived.period_classes(store, p, again)),
                       expected)
    assert again.made == 0  # a later reader: no evaluator at all


# -- after an import: only the sections it touched are evaluated again, with the same result as from scratch

def _import_for(store, sites: list[str], date: str = "2023-05-10"):  # noqa: ANN001, ANN202
    rows = [{"site_type": "section", "site_id": s, "date": date, "period": date[:7], "item": code, "value": value,
             "below_detection": 0, "unit": "mg/L", "status": "ok", "is_sample": 0, "source_file": "部分.csv",
             "source_row": 2} for s in sites for code, value in (("NH3-N", 1.8), ("TP", 0.1))]
    return store.write_measurements(pd.DataFrame(rows), replace_keys=True)


def _changed_ids(store) -> list[str]:  # noqa: ANN001
    return sorted(str(i) for i in store.read_table("sections")["id"])[:2]


def test_an_evaluator_brought_up_to_date_equals_a_new_one(store):
    before = evaluations.SectionEvaluator(store)
    _import_for(store, _changed_ids(store))
    updated = evaluations.SectionEvaluator(store, previous=before)
    fresh = evaluations.SectionEvaluator(store)
    assert not updated.month.equals(before.month)
    assert_frame_equal(updated.month, fresh.month)
    assert_frame_equal(updated.prepared.values, fresh.prepared.values)
    assert_frame_equal(updated.prepared.statuses, fresh.prepared.statuses)
    assert updated.prepared.sample_months_ignored == fresh.prepared.sample_months_ignored
    assert updated.overrides == fresh.overrides
    period = evaluations.Period(2023, 5, "ytd")
    assert_frame_equal(evaluations.section_classes(store, period, evaluator=updated),
                       evaluations.section_classes(store, period, evaluator=fresh))


def test_an_evaluator_is_made_from_scratch_when_the_store_cannot_say_what_changed(store, monkeypatch):
    before = evaluations.SectionEvaluator(store)
    store.delete_samples()
    reads = []
    real = store.read_measurements
    monkeypatch.setattr(store, "read_measurements", lambda *a, **k: reads.append(k.get("sites")) or real(*a, **k))
    updated = evaluations.SectionEvaluator(store, previous=before)
    assert reads == [None]  # the whole store read again
    assert updated.month is None or not updated.month["is_sample"].astype(int).any()


def test_the_latest_evaluator_is_shared_and_follows_imports(store):
    latest = evaluations.LatestEvaluator(store)
    first = latest.current()
    assert latest.current() is first  # nothing changed: the same one
    _import_for(store, _changed_ids(store))
    second = latest.current()
    assert second is not first
    assert_frame_equal(second.month, evaluations.SectionEvaluator(store).month)


def test_kept_figures_brought_up_to_date_after_an_import_equal_those_computed_afresh(store, monkeypatch):
    period = evaluations.Period(2023, 5, "month")
    kept.refresh(store)
    derived.period_classes(store, period, Evaluators(store))
    derived.result_months(store, Evaluators(store))
    ids = _changed_ids(store)
    _import_for(store, ids)
    asked: list[set[str] | None] = []
    real = evaluations.section_classes
    monkeypatch.setattr(evaluations, "section_classes",
                        lambda s, p, sites=None, **k: asked.append(None if sites is None else set(sites)) or real(s, p, sites, **k))
    counting = Evaluators(store)
    kept.refresh(store)
    classes = derived.period_classes(store, period, counting)
    months = derived.result_months(store, counting)
    assert asked == [set(ids)]  # only the imported sections classed again
    monkeypatch.setattr(evaluations, "section_classes", real)
    whole = evaluations.SectionEvaluator(store)
    assert_frame_equal(derived.section_evaluations(store), evaluations.section_evaluations(store, "month"))
    expected = evaluations.section_classes(store, period, evaluator=whole)
    assert_frame_equal(classes.drop(columns="values"), expected.drop(columns="values"))
    assert list(classes["values"]) == list(expected["values"])
    assert_frame_equal(months, whole.result_months())
    imported = classes[classes["section_id"].isin(ids)]
    assert len(imported) == len(ids) and set(imported["class"]) == {"Ⅴ"}  # 氨氮 1.8 → Ⅴ


def test_kept_figures_are_computed_afresh_when_the_sections_changed_too(store, monkeypatch):
    period = evaluations.Period(2023, 5, "month")
    derived.period_classes(store, period, Evaluators(store))
    ids = _changed_ids(store)
    rows = [{"site_type": "section", "site_id": "新断面甲", "date": "2023-05-10", "period": "2023-05", "item": "NH3-N",
             "value": 0.3, "below_detection": 0, "unit": "mg/L", "status": "ok", "is_sample": 0, "source_file": "新.csv",
             "source_row": 2}]
    store.write_measurements(pd.DataFrame(rows), new_sites=[{"id": "新断面甲", "name": "新断面甲"}])
    asked: list[set[str] | None] = []
    real = evaluations.section_classes
    monkeypatch.setattr(evaluations, "section_classes",
                        lambda s, p, sites=None, **k: asked.append(sites) or real(s, p, sites, **k))
    classes = derived.period_classes(store, period, Evaluators(store))
    assert asked == [None]  # a new section: everything classed again
    assert "新断面甲" in set(classes["section_id"]) and set(ids) <= set(classes["section_id"])
