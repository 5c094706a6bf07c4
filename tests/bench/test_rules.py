"""The benchmark's own rules (bench/rules.py, bench/run.py): what it calls a first visit, drawn, a figure."""

from __future__ import annotations

import pytest

from bench import rules
from bench.run import BUDGETS, report
from bench.synthetic import PER_SCALE, SCALES
from dashboard.components import layers, mapview, vector

AREAS = {"甲市": ["A县", "B县", "C县"], "乙市": ["D县", "E县"], "丙市": []}


@pytest.mark.parametrize("n", [1, 4, 5, 9, 17])
def test_no_county_is_visited_twice_before_every_county_was_visited(n):
    sequence = rules.county_sequence(AREAS, n)
    assert len(sequence) == n
    every = {(c, k) for c, ks in AREAS.items() for k in ks}
    for start in range(0, n, len(every)):
        window = sequence[start:start + len(every)]
        assert len(set(window)) == len(window)  # a round has no repeat
        assert set(window) <= every
    assert all(county for _, county in sequence)  # a city alone is not a county visit


def test_year_changes_go_to_years_not_yet_shown():
    assert rules.year_sequence([2020, 2021, 2022, 2023], 2023, 3) == [2022, 2021, 2020]
    assert 2023 not in rules.year_sequence([2020, 2021, 2022, 2023], 2023, 5)[:3]


def test_a_figure_is_the_median_with_its_range_and_needs_the_runs():
    figure = rules.summary([3.0, 1.0, 2.0, 10.0, 2.5])
    assert figure == {"median": 2.5, "min": 1.0, "max": 10.0, "runs": 5}
    assert rules.summary([None, None]) == {"median": None, "min": None, "max": None, "runs": 0}
    assert rules.fmt(figure, " s") == "2.50 [1.00–10.00] s"
    assert rules.within(figure, 3.0) is True and rules.within(figure, 2.0) is False
    assert rules.within(rules.summary([]), 1.0) is None  # no figure is not a pass
    assert rules.MIN_RUNS >= 5


def test_drawn_waits_for_every_marker_and_path_the_page_reports():
    # the rule reads what the page wrote (envmapExpected) and counts clusters by their members
    assert "envmapExpected" in rules.DRAWN_JS and "marker-cluster" in rules.DRAWN_JS
    assert "paths >= expected.paths && markers >= expected.markers" in rules.DRAWN_JS
    m = mapview.new_map((112.0, 35.0, 113.0, 36.0), assets={k: f"{k}.js" for k in (
        "leaflet_js", "leaflet_css", "markercluster_js", "markercluster_css", "markercluster_default_css")})
    layers.add_markers(m, [(35.0 + i * 0.01, 112.0, "<i></i>", "") for i in range(450)], (10, 10))  # clustered
    vector.finish(m)
    assert '\\"markers\\": 450' in m.get_root().render()  # every member, not the cluster icons


def test_a_figure_over_its_budget_is_named():
    figure = rules.summary([6.0] * 5)
    results = {"sizes": {"1x": {"browser": {"cold_s": figure}, "server": {}}}}
    lines, over = report(results)
    assert over == ["1x cold start → 总览 drawn: median 6.0 s > 5.0 s"]
    assert "over budget:" in lines


def test_national_size_is_the_issues_size():
    national = {k: round(v * SCALES["national"]) for k, v in PER_SCALE.items()}
    assert national == {"counties": 2900, "sections": 3800, "enterprises": 40000, "tasks": 100000}
    assert set(BUDGETS) == set(SCALES)


def _screen(n: int) -> dict:
    paths = [[f"M{i} {2 * i}L{i + 40} {3 * i % 700}L{5 * i % 900} {i + 7}z", "#3388ff", "none"] for i in range(n)]
    return {"paths": paths, "markers": [[i, 2 * i, "rgb(0, 128, 0)", ""] for i in range(n)]}


def test_the_physical_minimum_is_the_screen_gzipd_and_grows_with_what_is_shown():
    import gzip
    import json

    small, large = _screen(10), _screen(400)
    assert rules.screen_minimum_bytes(small) < rules.screen_minimum_bytes(large)
    raw = len(json.dumps(large, separators=(",", ":")).encode())
    assert rules.screen_minimum_bytes(large) < raw  # compressed, as the websocket sends it
    assert rules.screen_minimum_bytes(large) == len(gzip.compress(json.dumps(large, separators=(",", ":")).encode(), 9,
                                                                  mtime=0))
    # the rule reads every drawn path and marker, in screen pixels
    assert ".leaflet-overlay-pane path" in rules.SCREEN_JS and ".leaflet-marker-icon" in rules.SCREEN_JS
    assert "getBoundingClientRect" in rules.SCREEN_JS


def test_no_ratio_of_bytes_or_time_against_a_naive_page_that_never_drew():
    from bench.run import ratios

    envmap = {"cold_s": rules.summary([10.0]), "overview": {k: rules.summary([v]) for k, v in (
        ("drawn_s", 3.0), ("repeat_drawn_s", 2.0), ("ws_wire_mb", 0.2), ("server_cpu_s", 1.0))}}
    never = {"cold_s": rules.summary([100.0]), "overview": {"drawn_s": rules.summary([None]), "repeat_drawn_s":
             rules.summary([None]), "ws_wire_mb": rules.summary([0.001]), "server_cpu_s": rules.summary([200.0])}}
    got = ratios(envmap, never)
    assert got["drawn"] is None and got["ws bytes"] is None  # not "156× the bytes" of a map never sent
    assert got["cold"] == 0.1 and got["server CPU"] == 0.01
