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
from typing import Any

import folium
import pandas as pd
from branca.element import MacroElement
from jinja2 import Template

from dashboard.components import popups, style
from dashboard.components.mapview import marker_cluster, marker_svg
from geodata.i18n import t

CLUSTER_THRESHOLD = 400
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


def add_sections(m: folium.Map, sections: pd.DataFrame, *, year: int, month: int | None = None, labels: bool = True,
                 to_display=None, period_text: str | None = None) -> int:  # noqa: ANN001
    """Section markers; returns how many were drawn (sections without a location are skipped)."""
    placed = sections[(sections["lon"].astype(str) != "") & (sections["lat"].astype(str) != "")]
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


def add_reaches(m: folium.Map, reaches_geojson: dict[str, Any]) -> None:
    """River reaches coloured by the measured class of their governing section."""
    folium.GeoJson(
        reaches_geojson,
        name=t("layer_reaches"),
        style_function=lambda f: {
            "color": style.class_color(f["properties"].get("measured_class") or None),
            "weight": 5,
            "opacity": 0.85,
        },
        tooltip=folium.GeoJsonTooltip(
            fields=["river", "governing_section_name", "measured_class_label"],
            aliases=[t("col_river"), t("col_governing_section"), t("col_class")],
        ) if reaches_geojson.get("features") else None,
    ).add_to(m)


def add_points(
    m: folium.Map,
    frame: pd.DataFrame,
    *,
    name: str,
    color_of,  # noqa: ANN001 - row -> colour
    tooltip_of,  # noqa: ANN001 - row -> html
    shape: str = "circle",
    to_display=None,  # noqa: ANN001
) -> int:
    """Point records (groundwater points, drinking-water sources, enterprises); returns how many were drawn."""
    placed = frame[(frame["lon"].astype(str) != "") & (frame["lat"].astype(str) != "")]
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


def add_zones(m: folium.Map, zones_geojson: dict[str, Any]) -> None:
    folium.GeoJson(
        zones_geojson,
        name=t("layer_zones"),
        style_function=lambda _f: {"color": "#5d4037", "weight": 2, "fillColor": "#8d6e63", "fillOpacity": 0.25, "dashArray": "4 3"},
        tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False) if zones_geojson.get("features") else None,
    ).add_to(m)


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
