"""Compact map layers: polygons, lines and labels in one small script each, sized for the screen.

folium's ``GeoJson`` sends every coordinate as a decimal string inside a FeatureCollection and
one ``Marker`` + ``DivIcon`` script per label. Here a layer is one JSON payload:

* coordinates are integers on a grid of ``10**-decimals`` degrees, each ring delta-encoded
  (``[x0, y0, dx1, dy1, …]``), so most vertices cost a few characters;
* styles and tooltips are listed per feature by index into a style table;
* labels are ``[lat, lon, text, class]`` rows turned into Leaflet markers by one loop.

The geometry is simplified for the scale the area is drawn at (:func:`screen_tolerance`): half
a pixel of the fitted map, so nothing visible is lost at the first view and one zoom step in.
Every layer adds its feature count to ``window.envmapExpected`` (paths, markers) and, once added,
to ``window.envmapAdded``: ``make bench`` waits for the DOM to hold that many before it calls a
map drawn. Pure folium/branca, no st calls.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Sequence
from typing import Any

import folium
import numpy as np
import shapely
from branca.element import MacroElement
from jinja2 import Template

MAP_PIXELS = (1100, 650)  # the map as most pages draw it (wide layout): width, height in CSS pixels


def screen_tolerance(bounds: Sequence[float], pixels: tuple[int, int] = MAP_PIXELS, fraction: float = 0.5) -> float:
    """Degrees per ``fraction`` of a pixel when ``bounds`` (minx, miny, maxx, maxy) are fitted to the map."""
    minx, miny, maxx, maxy = bounds
    lat = math.radians(max(min((miny + maxy) / 2, 80.0), -80.0))
    per_px = max((maxx - minx) / pixels[0], (maxy - miny) / math.cos(lat) / pixels[1], 1e-6)
    return per_px * fraction


def grid_decimals(tolerance: float) -> int:
    """Decimals of the coordinate grid for a simplification ``tolerance`` (a quarter of it, 2–5 decimals)."""
    return int(min(5, max(2, math.ceil(-math.log10(tolerance / 4)))))


def _ring(coords: np.ndarray, scale: float) -> list[int]:
    grid = np.round(coords[:, :2] * scale).astype(np.int64)
    if len(grid) > 1:  # consecutive points that fall on one grid cell are one point
        keep = np.concatenate([[True], np.any(np.diff(grid, axis=0) != 0, axis=1)])
        grid = grid[keep]
    deltas = np.vstack([grid[:1], np.diff(grid, axis=0)])
    return deltas.ravel().tolist()


def encode(geom: Any, decimals: int) -> list:
    """A geometry as nested lists of delta-encoded integer rings: polygons → [[ring, hole…], …], lines → [line, …]."""
    scale = 10.0 ** decimals
    if geom is None or geom.is_empty:
        return []
    kind = geom.geom_type
    if kind in ("Polygon", "MultiPolygon"):
        polys = geom.geoms if kind == "MultiPolygon" else [geom]
        out = []
        for poly in polys:
            rings = [_ring(np.asarray(poly.exterior.coords), scale)]
            rings += [_ring(np.asarray(r.coords), scale) for r in poly.interiors]
            if len(rings[0]) >= 6:
                out.append(rings)
        return out
    if kind in ("LineString", "MultiLineString"):
        lines = geom.geoms if kind == "MultiLineString" else [geom]
        return [r for r in (_ring(np.asarray(line.coords), scale) for line in lines) if len(r) >= 4]
    if kind == "GeometryCollection":
        return [part for g in geom.geoms for part in encode(g, decimals)]
    return []


def simplify(geoms: Sequence[Any], tolerance: float, *, coverage: bool = False) -> list[Any]:
    """``geoms`` simplified by ``tolerance`` degrees; ``coverage`` keeps borders shared by neighbouring
    polygons shared (GEOS coverage simplification), so no gap or overlap opens between counties."""
    values = np.asarray(list(geoms), dtype=object)
    if not len(values) or tolerance <= 0:
        return list(values)
    if coverage:
        try:
            return list(shapely.coverage_simplify(values, tolerance))
        except Exception:  # noqa: BLE001 - not a valid coverage (overlapping inputs): simplify one by one
            pass
    return list(shapely.simplify(values, tolerance, preserve_topology=True))


class VectorLayer(MacroElement):
    """Polygons or lines as one compact payload (see the module); tooltips are sticky, like folium's."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var p = {{ this.payload_json }};
            var k = Math.pow(10, -p.d);
            function ring(a) {
                var out = [], x = 0, y = 0;
                for (var i = 0; i < a.length; i += 2) { x += a[i]; y += a[i + 1]; out.push([y * k, x * k]); }
                return out;
            }
            var group = L.featureGroup();
            p.f.forEach(function (f) {
                var style = Object.assign({interactive: p.interactive}, p.s[f[0]]);
                var layer = p.polygon
                    ? L.polygon(f[2].map(function (poly) { return poly.map(ring); }), style)
                    : L.polyline(f[2].map(ring), style);
                if (f[1]) { layer.bindTooltip(f[1], {sticky: true}); }
                group.addLayer(layer);
            });
            group.addTo({{ this._parent.get_name() }});
            var added = window.envmapAdded = window.envmapAdded || {paths: 0, markers: 0};
            added.paths += p.f.length;
        })();
        {% endmacro %}
        """
    )

    def __init__(self, features: list[tuple[int, str, list]], styles: list[dict[str, Any]], *, polygon: bool,
                 decimals: int, interactive: bool = True, name: str = "") -> None:
        super().__init__()
        self._name = "VectorLayer"
        self.layer_name = name
        self.count = len(features)
        payload = {"d": decimals, "s": styles, "f": [list(f) for f in features], "polygon": polygon,
                   "interactive": interactive}
        self.payload_json = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


Features = list[tuple[int, str, list]]  # (style index, escaped tooltip, encoded parts)


def features_of(geoms: Sequence[Any], *, decimals: int, tooltips: Sequence[str] | None = None,
                style_index: Sequence[int] | None = None) -> tuple[bool, Features]:
    """Encoded features of ``geoms`` (one kind: polygons or lines) and whether they are polygons; tooltips
    are plain text, escaped here. Cacheable: the map is built from it on every rerun."""
    features: Features = []
    polygon = None
    for i, geom in enumerate(geoms):
        if geom is None or geom.is_empty:
            continue
        polygon = geom.geom_type in ("Polygon", "MultiPolygon") if polygon is None else polygon
        parts = encode(geom, decimals)
        if not parts:
            continue
        tip = html.escape(str(tooltips[i])) if tooltips is not None and tooltips[i] else ""
        features.append((int(style_index[i]) if style_index is not None else 0, tip, parts))
    return bool(polygon), features


def add_features(m: folium.Map, encoded: tuple[bool, Features], *, styles: list[dict[str, Any]], decimals: int,
                 interactive: bool = True, name: str = "") -> int:
    """Add encoded features (:func:`features_of`) to ``m``; returns how many."""
    polygon, features = encoded
    if not features:
        return 0
    layer = VectorLayer(features, styles, polygon=polygon, decimals=decimals, interactive=interactive, name=name)
    m.add_child(layer)
    expect(m, paths=layer.count)
    return layer.count


def add_vector(m: folium.Map, geoms: Sequence[Any], *, styles: list[dict[str, Any]], style_index: Sequence[int] | None = None,
               tooltips: Sequence[str] | None = None, decimals: int = 5, interactive: bool = True, name: str = "") -> int:
    """Add polygons or lines (one kind per call) to ``m``; tooltips are plain text (escaped here). Returns the count."""
    encoded = features_of(geoms, decimals=decimals, tooltips=tooltips, style_index=style_index)
    return add_features(m, encoded, styles=styles, decimals=decimals, interactive=interactive, name=name)


class LabelLayer(MacroElement):
    """Text labels (county, river, town names) as one payload and one loop, never one script per label."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var p = {{ this.payload_json }};
            var group = L.featureGroup();
            p.labels.forEach(function (l) {
                var icon = L.divIcon({html: '<div class="envmap-label ' + p.classes[l[3]] + '">' + l[2] + '</div>',
                                      className: "", iconSize: [0, 0]});
                group.addLayer(L.marker([l[0], l[1]], {icon: icon, interactive: false, keyboard: false}));
            });
            group.addTo({{ this._parent.get_name() }});
            var added = window.envmapAdded = window.envmapAdded || {paths: 0, markers: 0};
            added.markers += p.labels.length;
        })();
        {% endmacro %}
        """
    )

    def __init__(self, labels: list[tuple[float, float, str, str]]) -> None:
        super().__init__()
        self._name = "LabelLayer"
        classes: dict[str, int] = {}
        rows = [[round(lat, 4), round(lon, 4), html.escape(text), classes.setdefault(css, len(classes))]
                for lat, lon, text, css in labels]
        self.count = len(rows)
        payload = {"classes": list(classes), "labels": rows}
        self.payload_json = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


def add_labels(m: folium.Map, labels: list[tuple[float, float, str, str]]) -> None:
    if labels:
        layer = LabelLayer(labels)
        m.add_child(layer)
        expect(m, markers=layer.count)


def expect(m: folium.Map, *, paths: int = 0, markers: int = 0) -> None:
    """Count what a layer puts on the map (``data-envmap-expected`` of the map's page, see :class:`Expected`)."""
    counts = m.__dict__.setdefault("envmap_expected", {"paths": 0, "markers": 0})
    counts["paths"] += paths
    counts["markers"] += markers


class Expected(MacroElement):
    """What this map should show once drawn: the page's own count of paths and markers, for ``make bench``
    and the browser tests to wait for (``document.documentElement.dataset.envmapExpected``)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        document.documentElement.dataset.envmapExpected = {{ this.counts_json|tojson }};
        {% endmacro %}
        """
    )

    def __init__(self, counts: dict[str, int]) -> None:
        super().__init__()
        self._name = "Expected"
        self.counts_json = json.dumps(counts)


def finish(m: folium.Map) -> folium.Map:
    """Add the expected counts (call once, after every layer)."""
    m.add_child(Expected(dict(m.__dict__.get("envmap_expected", {"paths": 0, "markers": 0}))), name="envmap_expected")
    return m
