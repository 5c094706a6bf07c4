"""Sample data (示例数据（非实测）): every site, plausible and deterministic, flagged, removable, giving way to real data."""

from __future__ import annotations

import pytest

from geodata.model import CLASSES
from geodata.quality.evaluations import groundwater_evaluations, section_evaluations
from geodata.quality.monitoring import import_monitoring
from geodata.quality.samples import generate_samples, load_samples, remove_samples
from geodata.store import open_store


@pytest.fixture
def store(location, monkeypatch):
    """The bundled store without samples, on each backend (GeoPackage, PostGIS)."""
    monkeypatch.setenv("ENVMAP_SAMPLES", "0")
    s = open_store(location)
    yield s
    s.close()


def _inputs(store):
    return store.read_table("sections"), store.read_table("section_targets"), store.read_table("groundwater_points")


def test_every_section_and_point_gets_monthly_values_for_the_target_years(store):
    sections, targets, points = _inputs(store)
    frame = generate_samples(sections, targets, points, seed=1)
    s = frame[frame["site_type"] == "section"]
    g = frame[frame["site_type"] == "groundwater"]
    assert set(s["site_id"]) == set(sections["id"]) and set(g["site_id"]) == set(points["id"])
    target_years = {str(y) for y in targets.loc[targets["kind"] == "target", "year"]}
    assert set(g["date"].str[:4]) == target_years == {"2022", "2023"}
    observed = set(targets.loc[targets["kind"] == "observed", "section_id"])
    in_2020 = set(s.loc[s["date"].str[:4] == "2020", "site_id"])
    assert in_2020 == observed and len(observed) == 7
    one = s[(s["site_id"] == s["site_id"].iloc[0]) & (s["date"].str[:4] == "2022")]
    assert sorted(one["period"].unique()) == [f"2022-{m:02d}" for m in range(1, 13)]
    assert (frame["is_sample"] == 1).all() and frame["source_file"].str.startswith("示例数据（非实测）").all()
    assert (frame["value"] >= 0).all()


def test_deterministic_for_a_seed(store):
    a = generate_samples(*_inputs(store), seed=7)
    b = generate_samples(*_inputs(store), seed=7)
    c = generate_samples(*_inputs(store), seed=8)
    assert a.equals(b) and not a.equals(c)


def test_years_are_near_their_targets_with_some_misses(store):
    load_samples(store)
    e = section_evaluations(store, "year")
    judged = e[e["target_class"] != ""]
    met = judged["compliant"].astype(int)
    assert 0.5 <= met.mean() < 1.0  # mostly met, some misses
    gap = [CLASSES.index(k) - CLASSES.index(t) for k, t in zip(judged["class"], judged["target_class"], strict=True)]
    assert max(abs(d) for d in gap) <= 2
    g = groundwater_evaluations(store)
    assert set(g["period"]) == {"2022", "2023"} and g["class"].isin(CLASSES).all()


def test_load_is_idempotent_and_remove_is_exact(store, tmp_path):
    n = load_samples(store)
    assert n > 1000
    version = store.data_version()
    assert load_samples(store) == n and store.data_version() == version  # nothing rewritten
    path = tmp_path / "real.csv"
    path.write_text("断面名称,监测日期,氨氮\n张留庄,2023-05-10,1.0\n", encoding="utf-8")
    import_monitoring(path, store)
    m = store.read_measurements(site_id="运城市:张留庄")
    assert set(m.loc[m["period"] == "2023-05", "is_sample"]) == {0}  # the month's samples gave way
    assert load_samples(store) < n  # reloading keeps the real month free of samples
    assert set(store.read_measurements(site_id="运城市:张留庄", period="2023-05")["is_sample"]) == {0}
    removed = remove_samples(store)
    left = store.read_measurements()
    assert removed > 1000 and len(left) == 1 and left.iloc[0]["source_file"] == "real.csv"
    assert load_samples(store) == removed  # after a removal, loading writes them again


def test_another_seed_replaces_the_samples(store):
    n = load_samples(store, seed=1)
    assert load_samples(store, seed=2) == n
    assert set(store.read_measurements()["source_file"]) == {"示例数据（非实测） envmap samples --seed 2"}
