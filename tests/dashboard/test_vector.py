"""Compact map layers: what the browser decodes is the geometry we meant, smaller than GeoJSON."""

from __future__ import annotations

import gzip
import json
import re

import folium
import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import LineString, MultiPolygon, Polygon

from dashboard.components import layers, vector


def _decode(parts: list, decimals: int, polygon: bool) -> list:
    """What the layer's JavaScript does: cumulative sums of the deltas, scaled."""
    k = 10.0 ** -decimals

    def ring(a: list[int]) -> list[tuple[float, float]]:
        out, x, y = [], 0, 0
        for i in range(0, len(a), 2):
            x += a[i]
            y += a[i + 1]
            out.append((round(x * k, decimals), round(y * k, decimals)))
        return out

    return [[ring(r) for r in poly] for poly in parts] if polygon else [ring(line) for line in parts]


def _payload(m: folium.Map, name: str) -> dict:
    html = m.get_root().render()
    found = [json.loads(p) for p in re.findall(r"var p = (\{.*?\});\n", html)]
    return next(p for p in found if name == "any" or p.get("polygon") == (name == "polygon"))


def test_polygons_with_holes_and_lines_survive_the_encoding():
    square = Polygon([(110, 35), (111, 35), (111, 36), (110, 36)], [[(110.2, 35.2), (110.4, 35.2), (110.4, 35.4)]])
    multi = MultiPolygon([square, Polygon([(112, 35), (112.5, 35), (112.5, 35.5)])])
    polygon, features = vector.features_of([multi], decimals=4)
    assert polygon and len(features) == 1
    decoded = _decode(features[0][2], 4, True)
    assert shapely.equals_exact(MultiPolygon([Polygon(p[0], p[1:]) for p in decoded]), multi, 1e-4)
    line = LineString([(110.123456, 35.654321), (110.2, 35.7), (110.3, 35.65)])
    polygon, features = vector.features_of([line], decimals=5)
    assert not polygon
    assert _decode(features[0][2], 5, False)[0] == [(110.12346, 35.65432), (110.2, 35.7), (110.3, 35.65)]


def test_points_that_fall_on_one_grid_cell_are_sent_once_and_empty_geometry_is_skipped():
    line = LineString([(110.0, 35.0), (110.00001, 35.00001), (110.5, 35.5)])
    _, features = vector.features_of([line, LineString(), None], decimals=3)
    assert len(features) == 1 and len(features[0][2][0]) == 4  # two points, not three


def test_tooltips_are_escaped_text():
    _, features = vector.features_of([LineString([(0, 0), (1, 1)])], decimals=3, tooltips=["<script>x</script>"])
    assert features[0][1] == "&lt;script&gt;x&lt;/script&gt;"


def test_the_tolerance_follows_the_drawn_scale():
    county = vector.screen_tolerance((112.0, 35.0, 112.5, 35.5))
    country = vector.screen_tolerance((73.5, 18.0, 135.0, 53.5))
    assert country > 50 * county  # a whole country is simplified far more than one county
    assert vector.grid_decimals(county) >= 4 and vector.grid_decimals(country) <= 3  # ≤ a quarter of the tolerance


def test_a_national_basemap_is_far_smaller_than_geojson_and_keeps_shared_borders():
    from bench.synthetic import national_counties

    counties, _, _ = national_counties()
    geoms = [c.geometry for c in counties[:600]]
    minx = min(g.bounds[0] for g in geoms)
    miny = min(g.bounds[1] for g in geoms)
    maxx = max(g.bounds[2] for g in geoms)
    maxy = max(g.bounds[3] for g in geoms)
    tolerance = vector.screen_tolerance((minx, miny, maxx, maxy))
    decimals = vector.grid_decimals(tolerance)
    simplified = vector.simplify(geoms, tolerance, coverage=True)
    _, features = vector.features_of(simplified, decimals=decimals)
    compact = json.dumps(features, separators=(",", ":")).encode()
    geojson = gpd.GeoSeries(geoms).to_json().encode()
    assert len(gzip.compress(compact)) * 8 < len(gzip.compress(geojson))
    # simplified as a coverage: neighbouring counties still share their borders (no gaps or slivers)
    gaps = shapely.union_all(simplified).area - sum(g.area for g in simplified)
    assert abs(gaps) < 1e-6 * sum(g.area for g in simplified)


def test_the_map_page_reports_what_it_draws():
    m = folium.Map()
    vector.add_vector(m, [Polygon([(0, 0), (1, 0), (1, 1)])], styles=[{}], decimals=3)
    vector.add_labels(m, [(0.5, 0.5, "县", "county"), (0.6, 0.6, "河", "river")])
    layers.add_markers(m, [(0.1, 0.1, "<i></i>", "tip")], (10, 10))
    vector.finish(m)
    html = m.get_root().render()
    assert 'envmapExpected = "{\\"paths\\": 1, \\"markers\\": 3}"' in html


def test_many_points_are_drawn_as_one_bubble_per_county_with_counts_per_status():
    n = layers.AGGREGATE_THRESHOLD + 10
    frame = pd.DataFrame({
        "lon": [112.0 + (i % 2) for i in range(n)], "lat": [35.0] * n, "status": ["overdue", "done_on_time"] * (n // 2),
        "area_city": ["甲市"] * n, "area_county": [("A县", "B县")[i % 2] for i in range(n)], "county": "",
    })
    m = folium.Map()
    drawn = layers.add_points(m, frame, name="enterprises", color_of=lambda r: "#000", tooltip_of=lambda r: "",
                              categories=layers.status_categories(frame))
    assert drawn == n
    payload = json.loads(re.search(r"var payload = (\{.*?\});\n", m.get_root().render()).group(1))
    assert len(payload["points"]) == 2  # A县 and B县
    tips = sorted(p[3] for p in payload["points"])
    assert f"企业 {n // 2}：逾期 {n // 2}" in tips[0] and "A县" in tips[0]
    assert m.envmap_expected["markers"] == 2
