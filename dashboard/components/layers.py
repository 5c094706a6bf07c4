"""Thematic layers: sections, reaches, point layers, no-coal zones. Pure folium, no st calls.

Sections are drawn as SVG markers: fill = measured class, ring = target class, a symbol for
met ✓ / not met ✗ / no data ? / 断流 ∅, and a dashed outline when the location is
approximate — so nothing relies on colour alone. Each marker's tooltip starts with the
section id in brackets, which is what a click returns to the page.
"""

from __future__ import annotations

import html
import json
import math
import re

import folium
import pandas as pd
from branca.element import MacroElement
from jinja2 import Template

from dashboard.components import popups, style, vector
from dashboard.components.mapview import marker_cluster, marker_svg
from geodata.i18n import t

CLUSTER_THRESHOLD = 400
AGGREGATE_THRESHOLD = 2000  # more points than this in one layer: one bubble per county (per city when counties > 800)
AGGREGATE_COUNTY_LIMIT = 800
SECTION_ATTENTION = ("劣Ⅴ", "Ⅴ", "Ⅳ", "", "Ⅲ", "Ⅱ", "Ⅰ")  # a bubble takes the colour of its most worrying class
_TAGS = re.compile(r"<(?!br>)[^>]+>")


class PointLayer(MacroElement):
    """Many point markers in one compact script: icons are listed once and referenced by index.

    Each marker is a real Leaflet layer with a tooltip, so streamlit-folium reports clicks
    (``last_object_clicked_tooltip``). Above ``CLUSTER_THRESHOLD`` markers are clustered.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var payload = {{ this.payload_json }};
            var layer = {{ "L.markerClusterGroup({disableClusteringAtZoom: 11, chunkedLoading: true})" if this.cluster else "L.featureGroup()" }};
            var icons = payload.icons.map(function (h) {
                return L.divIcon({html: h, className: "", iconSize: payload.size, iconAnchor: [payload.size[0] / 2, payload.size[1] / 2]});
            });
            payload.points.forEach(function (p) {
                var icon = icons[p[2]];
                if (p[4] || p[5]) {  // records sharing one approximate location, fanned out for display only
                    icon = L.divIcon({html: payload.icons[p[2]], className: "",
                        iconSize: payload.size, iconAnchor: [payload.size[0] / 2 - p[4], payload.size[1] / 2 - p[5]]});
                }
                var marker = L.marker([p[0], p[1]], {icon: icon, riseOnHover: true});
                if (p[3]) { marker.bindTooltip(p[3], {sticky: true}); }
                layer.addLayer(marker);
            });
            layer.addTo({{ this._parent.get_name() }});
            var added = window.envmapAdded = window.envmapAdded || {paths: 0, markers: 0};
            added.markers += payload.points.length;
        })();
        {% endmacro %}
        """
    )

    def __init__(self, points: list[tuple[float, float, str, str]], size: tuple[int, int], cluster: bool) -> None:
        super().__init__()
        self._name = "PointLayer"
        icons: dict[str, int] = {}
        rows = []
        offsets = fan_out([(round(lat, 5), round(lon, 5)) for lat, lon, _, _ in points], spacing=size[0] * 0.9)
        for (lat, lon, icon, tooltip), (dx, dy) in zip(points, offsets, strict=True):
            index = icons.setdefault(icon, len(icons))
            rows.append([round(lat, 5), round(lon, 5), index, tooltip, dx, dy])
        payload = {"icons": list(icons), "points": rows, "size": list(size)}
        # UTF-8 rather than \\u escapes: Chinese tooltips would otherwise be three times larger
        self.payload_json = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
        self.cluster = cluster


def fan_out(keys: list[tuple[float, float]], spacing: float) -> list[tuple[int, int]]:
    """Pixel offsets that spread markers sharing one location around it (display only; data unchanged)."""
    groups: dict[tuple[float, float], list[int]] = {}
    for i, key in enumerate(keys):
        groups.setdefault(key, []).append(i)
    offsets = [(0, 0)] * len(keys)
    for members in groups.values():
        n = len(members)
        if n == 1 or n > 60:  # a crowd that large is left to clustering
            continue
        radius = max(spacing, spacing * n / (2 * math.pi))
        for k, i in enumerate(members):
            angle = 2 * math.pi * k / n - math.pi / 2
            offsets[i] = (round(radius * math.cos(angle)), round(radius * math.sin(angle)))
    return offsets


def _add_point_layer(m: folium.Map, points: list[tuple[float, float, str, str]], size: tuple[int, int]) -> None:
    cluster = len(points) > CLUSTER_THRESHOLD
    if cluster:  # thousands of markers: the first two tooltip lines (name, state) as plain text bound the payload
        points = [(lat, lon, icon, _TAGS.sub("", "<br>".join(tip.split("<br>")[:2])).replace("<br>", " · ")
                   if tip else tip) for lat, lon, icon, tip in points]
    if cluster:
        m.add_child(marker_cluster(m, "_assets"))  # loads the MarkerCluster code from the app
    m.add_child(PointLayer(points, size, cluster))
    vector.expect(m, markers=len(points))


def add_sections(m: folium.Map, sections: pd.DataFrame, *, year: int, month: int | None = None, labels: bool = True,
                 to_display=None, period_text: str | None = None) -> int:  # noqa: ANN001
    """Section markers; returns how many were drawn (sections without a location are skipped)."""
    placed = sections[(sections["lon"].astype(str) != "") & (sections["lat"].astype(str) != "")]
    if len(placed) > AGGREGATE_THRESHOLD:
        classes = [str(c or "") for c in placed["measured_class"]]
        categories = [(style.class_label(c or None), style.class_color(c or None)) for c in SECTION_ATTENTION]
        return add_aggregate(m, placed, [SECTION_ATTENTION.index(c) if c in SECTION_ATTENTION else 3 for c in classes],
                             categories, noun=t("agg_sections"), to_display=to_display)
    points = []
    for _, row in placed.iterrows():
        lon, lat = float(row["lon"]), float(row["lat"])
        if to_display:
            lon, lat = to_display(lon, lat)
        symbol = style.compliance(str(row["compliance"]))[0]
        svg = marker_svg(
            style.class_color(row["measured_class"] or None),
            style.class_color(row["target_class"] or None) if row["target_class"] else "#ffffff",
            symbol,
            approximate=row["precision"] in style.APPROXIMATE,
        )
        label = f'<div class="envmap-label section">{html.escape(str(row["name"]))}</div>' if labels else ""
        points.append((lat, lon, f'<div class="envmap-section">{svg}{label}</div>', popups.section_tooltip(row, year, month, period_text)))
    _add_point_layer(m, points, (26, 26))
    return len(points)


def status_categories(frame: pd.DataFrame) -> tuple[list[int], list[tuple[str, str]]]:
    """Task-status categories of ``frame``'s rows for :func:`add_points` (most urgent first)."""
    from geodata.status import COLORS, STATUSES, label

    last = len(STATUSES) - 1
    index = [STATUSES.index(s) if s in STATUSES else last for s in frame["status"]] if "status" in frame else [last] * len(frame)
    return index, [(label(s), COLORS[s]) for s in STATUSES]


def add_aggregate(m: folium.Map, placed: pd.DataFrame, category: list[int], categories: list[tuple[str, str]], *,
                  noun: str, to_display=None) -> int:  # noqa: ANN001
    """One bubble per county (per city when the view has more than :data:`AGGREGATE_COUNTY_LIMIT` counties)
    with the number of records, ringed in the colour of its most urgent category; the tooltip counts each.
    Returns how many records the bubbles stand for. A note on the map says so and how to see each point."""
    frame = pd.DataFrame({
        "city": placed["area_city"].astype(str).to_numpy() if "area_city" in placed else "",
        "county": placed["area_county"].astype(str).to_numpy() if "area_county" in placed else placed["county"].astype(str).to_numpy(),
        "lon": pd.to_numeric(placed["lon"]).to_numpy(), "lat": pd.to_numeric(placed["lat"]).to_numpy(),
        "category": category,
    })
    by_city = frame.groupby(["city", "county"]).ngroups > AGGREGATE_COUNTY_LIMIT
    keys = ["city"] if by_city else ["city", "county"]
    points = []
    for key, group in frame.groupby(keys, sort=True):
        city, county = (key[0], "") if by_city else key
        lon, lat = float(group["lon"].mean()), float(group["lat"].mean())
        if to_display:
            lon, lat = to_display(lon, lat)
        counts = group["category"].value_counts()
        worst = int(counts.index.min())
        n = len(group)
        size = int(18 + 6 * min(3.0, math.log10(max(n, 1))))
        icon = (f'<div class="envmap-aggregate" style="width:{size}px;height:{size}px;line-height:{size - 6}px;'
                f'border-color:{categories[worst][1]}">{n}</div>')
        name = county or city or t("county_unknown")
        parts = "、".join(f"{html.escape(categories[c][0])} {int(counts[c])}" for c in sorted(counts.index))
        title = f"{html.escape(city)}·{html.escape(name)}" if county and city else html.escape(name)
        points.append((lat, lon, icon, f"<b>{title}</b><br>{html.escape(noun)} {n}：{parts}"))
    m.add_child(PointLayer(points, (32, 32), cluster=False))
    vector.expect(m, markers=len(points))
    from dashboard.components.mapview import add_overlay

    add_overlay(m, html.escape(t("map_aggregated", n=len(frame), noun=noun, level=t("agg_city" if by_city else "agg_county"))),
                "bottomright", "envmap-note envmap-aggregate-note")
    return len(frame)


def add_reaches(m: folium.Map, reaches: pd.DataFrame, decimals: int = 5, tolerance: float = 0.0) -> int:
    """River reaches coloured by the measured class of their governing section (``measured_class``)."""
    if reaches is None or len(reaches) == 0:
        return 0
    classes = [str(c or "") for c in reaches["measured_class"]]
    palette = sorted(set(classes))
    tips = [f"{t('col_river')}: {r} · {t('col_governing_section')}: {g} · {t('col_class')}: {style.class_label(c or None)}"
            for r, g, c in zip(reaches["river"], reaches["governing_section_name"], classes, strict=True)]
    return vector.add_vector(
        m, vector.simplify(reaches.geometry.values, tolerance), decimals=decimals, tooltips=tips,
        style_index=[palette.index(c) for c in classes], name=t("layer_reaches"),
        styles=[{"color": style.class_color(c or None), "weight": 5, "opacity": 0.85} for c in palette],
    )


def add_points(
    m: folium.Map,
    frame: pd.DataFrame,
    *,
    name: str,
    color_of,  # noqa: ANN001 - row -> colour
    tooltip_of,  # noqa: ANN001 - row -> html
    shape: str = "circle",
    to_display=None,  # noqa: ANN001
    categories: tuple[list[int], list[tuple[str, str]]] | None = None,
) -> int:
    """Point records (groundwater points, drinking-water sources, enterprises); returns how many were drawn.

    ``categories`` — (category index per row, (label, colour) per category, most urgent first) — lets
    more than :data:`AGGREGATE_THRESHOLD` points be drawn as one bubble per county or city.
    """
    placed = frame[(frame["lon"].astype(str) != "") & (frame["lat"].astype(str) != "")]
    if categories is not None and len(placed) > AGGREGATE_THRESHOLD:
        index, labels = categories
        keep = [i for i, ok in enumerate((frame["lon"].astype(str) != "") & (frame["lat"].astype(str) != "")) if ok]
        return add_aggregate(m, placed, [index[i] for i in keep], labels, noun=t(f"agg_{name}"), to_display=to_display)
    points = []
    for _, row in placed.iterrows():
        lon, lat = float(row["lon"]), float(row["lat"])
        if to_display:
            lon, lat = to_display(lon, lat)
        approximate = row.get("precision") in style.APPROXIMATE
        radius = "50%" if shape == "circle" else "2px"
        border = "2px dashed #333" if approximate else "2px solid #333"
        turn = "transform:rotate(45deg);" if shape == "diamond" else ""
        icon_html = (
            f'<div class="envmap-point" data-layer="{html.escape(name)}" style="width:14px;height:14px;'
            f"background:{color_of(row)};border:{border};border-radius:{radius};box-sizing:border-box;{turn}\"></div>"
        )
        points.append((lat, lon, icon_html, tooltip_of(row)))
    _add_point_layer(m, points, (14, 14))
    return len(points)


def add_zones(m: folium.Map, zones: pd.DataFrame, decimals: int = 5, tolerance: float = 0.0) -> int:
    """No-coal zones (their ``label`` as tooltip)."""
    if zones is None or len(zones) == 0:
        return 0
    return vector.add_vector(
        m, vector.simplify(zones.geometry.values, tolerance), decimals=decimals, tooltips=list(zones["label"].astype(str)),
        name=t("layer_zones"),
        styles=[{"color": "#5d4037", "weight": 2, "fillColor": "#8d6e63", "fillOpacity": 0.25, "dashArray": "4 3"}],
    )


GROUNDWATER_SHAPES = {"区域点位": "circle", "污染风险监控点位": "diamond", "饮用水源点位": "square"}
SOURCE_COLOR = "#0277bd"


def groundwater_marker_svg(shape: str, fill: str, ring: str, symbol: str, approximate: bool, size: int = 24) -> str:
    """One groundwater point: shape = kind, fill = class, ring = target class, symbol = compliance."""
    dash = ' stroke-dasharray="3 2"' if approximate else ""
    c = size / 2
    if shape == "diamond":
        inner = f'<polygon points="{c},2.5 {size - 2.5},{c} {c},{size - 2.5} 2.5,{c}" fill="{fill}" stroke="{ring}" stroke-width="3.5"{dash}/>'
        outer = f'<polygon points="{c},0.5 {size - 0.5},{c} {c},{size - 0.5} 0.5,{c}" fill="none" stroke="#333" stroke-width="1"/>'
    elif shape == "square":
        inner = f'<rect x="3" y="3" width="{size - 6}" height="{size - 6}" fill="{fill}" stroke="{ring}" stroke-width="3.5"{dash}/>'
        outer = f'<rect x="1" y="1" width="{size - 2}" height="{size - 2}" fill="none" stroke="#333" stroke-width="1"/>'
    else:
        inner = f'<circle cx="{c}" cy="{c}" r="{c - 3}" fill="{fill}" stroke="{ring}" stroke-width="3.5"{dash}/>'
        outer = f'<circle cx="{c}" cy="{c}" r="{c - 1}" fill="none" stroke="#333" stroke-width="1"/>'
    dark_text = fill in (style.CLASS_COLORS["Ⅰ"], style.CLASS_COLORS["Ⅳ"], style.CLASS_COLORS["Ⅴ"], style.NO_DATA_COLOR, "#ffffff")
    text = (
        f'<text x="{c}" y="{c + 4.5}" text-anchor="middle" font-size="12" font-weight="bold" '
        f'fill="{"#000" if dark_text else "#fff"}">{html.escape(symbol)}</text>'
    )
    return f'<svg width="{size}" height="{size}" viewBox="0 0 {size} {size}">{inner}{outer}{text}</svg>'


def source_marker_svg(approximate: bool, size: int = 22, letter: str = "水") -> str:
    """A drinking-water source: a blue drop, dashed when approximate."""
    dash = ' stroke-dasharray="3 2"' if approximate else ""
    return (
        f'<svg width="{size}" height="{size}" viewBox="0 0 22 22">'
        f'<path d="M11 1.5 C11 1.5 3.5 10 3.5 14 A7.5 7.5 0 0 0 18.5 14 C18.5 10 11 1.5 11 1.5 Z" fill="#e1f5fe" '
        f'stroke="{SOURCE_COLOR}" stroke-width="2.2"{dash}/>'
        f'<text x="11" y="17" text-anchor="middle" font-size="9" font-weight="bold" fill="{SOURCE_COLOR}">{html.escape(letter)}</text></svg>'
    )


def placed(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows that have a location."""
    if frame.empty:
        return frame
    return frame[(frame["lon"].astype(str) != "") & (frame["lat"].astype(str) != "")]


def add_markers(m: folium.Map, markers: list[tuple[float, float, str, str]], size: tuple[int, int]) -> None:
    """Pre-built (lat, lon, icon html, tooltip html) markers in one layer."""
    if markers:
        _add_point_layer(m, markers, size)
