"""Building the folium map: offline assets, basemaps, legend, scale bar, north arrow, watermark.

Every map starts from :func:`new_map`, which points Leaflet at the files the app serves
itself; no element added here references a CDN. The default basemap is our own vector map
(county polygons, rivers, the Yellow River surface, names) so the map is complete with the
network cut off. Tile basemaps are options: OpenStreetMap, Tianditu (needs a key) and
Gaode (GCJ-02: the caller shifts display copies of our vectors, never stored data).
"""

from __future__ import annotations

import html
import json
from typing import Any

import folium
from branca.element import Element, MacroElement
from jinja2 import Template

from dashboard.components import style, vector

BASEMAPS = ("offline", "osm", "tianditu", "gaode")  # labels: i18n basemap_<id>
# tile templates: not assets of the app, only used when a user picks an online basemap
_TILES = {
    "osm": ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "© OpenStreetMap contributors"),
    "tianditu": (
        "https://t{s}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=vec"
        "&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=",
        "© 天地图",
    ),
    "tianditu_labels": (
        "https://t{s}.tianditu.gov.cn/cva_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=cva"
        "&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=",
        "© 天地图",
    ),
    "gaode": (
        "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}",
        "© 高德地图",
    ),
}


def new_map(
    bounds: tuple[float, float, float, float],
    *,
    assets: dict[str, str],
    height: int = 640,
) -> folium.Map:
    """An empty map fitted to ``bounds`` (minx, miny, maxx, maxy), loading Leaflet from the app.

    ``assets`` maps leaflet_js, leaflet_css, markercluster_js, markercluster_css,
    markercluster_default_css to URLs the app serves.
    """
    minx, miny, maxx, maxy = bounds
    m = folium.Map(
        location=[(miny + maxy) / 2, (minx + maxx) / 2],
        tiles=None,
        control_scale=False,
        prefer_canvas=False,
        zoom_snap=0.25,
        zoom_start=7,
        height=height,
        attribution_control=True,
    )
    # without tiles Leaflet knows no zoom range, and MarkerCluster needs one
    m.options["maxZoom"] = 18
    m.options["minZoom"] = 3  # a whole country fits the map
    m.default_js = [("leaflet", assets["leaflet_js"])]
    m.default_css = [("leaflet_css", assets["leaflet_css"])]
    m.envmap_assets = assets  # type: ignore[attr-defined]
    # fitted to these bounds clear of the title and the legend by add_legend (folium's own fit_bounds
    # would run after it and undo that)
    m.envmap_bounds = bounds  # type: ignore[attr-defined]
    m.add_child(_MetricScale())
    m.get_root().header.add_child(Html(f"<style>{_MAP_CSS}</style>"), name="envmap_css")
    return m


def marker_cluster(m: folium.Map, name: str) -> folium.plugins.MarkerCluster:
    """A MarkerCluster that loads its code from the app, not from a CDN."""
    from folium.plugins import MarkerCluster

    assets = m.envmap_assets  # type: ignore[attr-defined]
    cluster = MarkerCluster(name=name, disable_clustering_at_zoom=11)
    cluster.default_js = [("markerclusterjs", assets["markercluster_js"])]
    cluster.default_css = [
        ("markerclustercss", assets["markercluster_css"]),
        ("markerclusterdefaultcss", assets["markercluster_default_css"]),
    ]
    return cluster


def add_tiles(m: folium.Map, basemap: str, tianditu_key: str = "") -> None:
    """Add an online tile basemap under our vectors (nothing for ``offline``)."""
    if basemap == "osm":
        url, attr = _TILES["osm"]
        folium.TileLayer(url, attr=attr, name="OpenStreetMap", max_zoom=18).add_to(m)
    elif basemap == "tianditu" and tianditu_key:
        for key in ("tianditu", "tianditu_labels"):
            url, attr = _TILES[key]
            folium.TileLayer(url + tianditu_key, attr=attr, subdomains="01234567", name="天地图", max_zoom=18).add_to(m)
    elif basemap == "gaode":
        url, attr = _TILES["gaode"]
        folium.TileLayer(url, attr=attr, subdomains="1234", name="高德地图", max_zoom=18).add_to(m)


def add_vector_basemap(
    m: folium.Map,
    *,
    counties: tuple[bool, list],
    cities: tuple[bool, list],
    rivers: tuple[bool, list],
    yellow_river: tuple[bool, list] | None,
    decimals: int,
    filled: bool = True,
) -> None:
    """Our own basemap: county polygons, city outlines, rivers and the Yellow River surface, each one
    compact layer (:mod:`dashboard.components.vector`: encoded by ``dashboard.data.basemap``)."""
    vector.add_features(m, counties, decimals=decimals, name="县界", styles=[{
        "fillColor": style.COUNTY_FILL if filled else "#ffffff", "fillOpacity": 0.85 if filled else 0.0,
        "color": style.COUNTY_LINE, "weight": 1}])
    vector.add_features(m, cities, decimals=decimals, name="市界", interactive=False,
                        styles=[{"fill": False, "color": style.CITY_LINE, "weight": 2.2, "dashArray": "6 3"}])
    if yellow_river:
        vector.add_features(m, yellow_river, decimals=decimals, name="黄河水面", interactive=False, styles=[{
            "fillColor": style.WATER_FILL, "fillOpacity": 0.9, "color": style.RIVER_COLOR, "weight": 0.5}])
    vector.add_features(m, rivers, decimals=decimals, name="河流",
                        styles=[{"color": style.RIVER_COLOR, "weight": 1.6, "opacity": 0.9}])


def add_labels(m: folium.Map, labels: list[tuple[float, float, str, str]]) -> None:
    """Text labels (lat, lon, text, css class): county names, river names, town names, in one layer."""
    vector.add_labels(m, labels)


class _MetricScale(MacroElement):
    """A metric-only scale bar, and an attribution line without a flag."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        L.control.scale({metric: true, imperial: false, position: "bottomleft", maxWidth: 160})
            .addTo({{ this._parent.get_name() }});
        {{ this._parent.get_name() }}.attributionControl.setPrefix("Leaflet");
        (function (map) {
            // Leaflet focuses the map on mousedown (for keyboard navigation); focusing scrolls the page to
            // show the whole map, which moves the marker away between press and release and loses the
            // click. Keep the keyboard navigation, focus without scrolling.
            if (map.keyboard) {
                map.keyboard.disable();
                map.keyboard._onMouseDown = function () {
                    if (this._focused) { return; }
                    this._map._container.focus({preventScroll: true});
                };
                map.keyboard.enable();
            }
        })({{ this._parent.get_name() }});
        (function (map) {  // small labels only once zoomed in, so the whole-area view stays readable
            function zoomClass() { map.getContainer().classList.toggle("envmap-zoomed", map.getZoom() >= 8.75); }
            map.on("zoomend", zoomClass);
            zoomClass();
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )


class _Overlay(MacroElement):
    """A fixed HTML box inside the map (north arrow, watermark, title, data note)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var box = L.control({position: {{ this.position|tojson }}});
            box.onAdd = function () {
                var div = L.DomUtil.create('div', {{ this.css_class|tojson }});
                div.innerHTML = {{ this.html|tojson }};
                L.DomEvent.disableClickPropagation(div);
                return div;
            };
            box.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(self, html_text: str, position: str, css_class: str) -> None:
        super().__init__()
        self._name = "Overlay"
        self.html = html_text
        self.position = position
        self.css_class = css_class


def add_overlay(m: folium.Map, html_text: str, position: str, css_class: str) -> None:
    m.add_child(_Overlay(html_text, position, css_class))


class _Legend(MacroElement):
    """The legend: a box in the lower left that folds to a button, and a fit that keeps data clear of it.

    The map is fitted to its area with padding for the title (top) and for the legend: a strip
    on the left or a band at the bottom, whichever costs less room; when neither leaves half of
    the map, the legend starts folded. Folding and unfolding refits, so nothing stays hidden.
    Only the box itself catches clicks; the rest of the map stays clickable.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function(map) {
            var bounds = L.latLngBounds({{ this.bounds|tojson }});
            var box = L.control({position: "bottomleft"});
            var div;
            box.onAdd = function () {
                div = L.DomUtil.create("div", "envmap-legend");
                div.innerHTML = '<button type="button" class="envmap-legend-toggle" aria-expanded="true" title='
                    + JSON.stringify({{ this.hint|tojson }}) + '>'
                    + {{ this.toggle_label|tojson }} + '</button><div class="envmap-legend-body">'
                    + {{ this.html|tojson }} + '</div>';
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            box.addTo(map);
            function corner(selector) {
                var el = map.getContainer().querySelector(selector) || document.querySelector(selector);
                return el ? el.getBoundingClientRect() : {width: 0, height: 0};
            }
            var userMoved = false;
            ["mousedown", "wheel", "touchstart", "keydown"].forEach(function (name) {
                map.getContainer().addEventListener(name, function () { userMoved = true; }, {passive: true});
            });
            var decided = false;
            function fit() {
                var size = map.getSize();
                div.querySelector(".envmap-legend-body").style.maxHeight = Math.max(size.y - 130, 80) + "px";
                if (!decided && size.y > 100 && div.offsetWidth > 0) {  // the first real layout: fold if it leaves no room
                    decided = true;
                    if ((div.offsetWidth + 18) / size.x > 0.5 && (div.offsetHeight + 40) / size.y > 0.5) { fold(true); }
                }
                var title = corner(".envmap-title-box .envmap-title");
                var top = Math.max((title.bottom || 0), 10) + 8;
                var note = corner(".leaflet-bottom.leaflet-right");
                var pad = {paddingTopLeft: [12, top], paddingBottomRight: [12, Math.max(note.height || 0, 10) + 6], animate: false};
                if (!div.classList.contains("folded")) {
                    var w = div.offsetWidth + 18, h = div.offsetHeight + 40;
                    if (w / size.x <= h / size.y) { pad.paddingTopLeft[0] = w; } else { pad.paddingBottomRight[1] = h; }
                }
                map.fitBounds(bounds, pad);
            }
            function fold(folded) {
                div.classList.toggle("folded", folded);
                div.querySelector(".envmap-legend-toggle").setAttribute("aria-expanded", folded ? "false" : "true");
            }
            div.querySelector(".envmap-legend-toggle").addEventListener("click", function () {
                fold(!div.classList.contains("folded"));
                fit();
            });
            map.whenReady(fit);
            // the frame gets its final size after the script ran: refit until the visitor moves the map
            map.on("resize", function () { if (!userMoved) { fit(); } });
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, html_text: str, bounds: tuple[float, float, float, float], toggle_label: str, hint: str) -> None:
        super().__init__()
        self._name = "Legend"
        self.hint = hint
        self.html = html_text
        minx, miny, maxx, maxy = bounds
        self.bounds = [[miny, minx], [maxy, maxx]]
        self.toggle_label = toggle_label


def add_legend(m: folium.Map, title: str, body: str, hint: str = "",
               bounds: tuple[float, float, float, float] | None = None) -> None:
    """The legend titled ``title`` (which folds it), and the fit of the map to ``bounds`` (default: the
    area) clear of it."""
    m.add_child(_Legend(body, bounds or m.envmap_bounds, title, hint))  # type: ignore[attr-defined]


def legend_html(sections: list[tuple[str, list[tuple[str, str]]]], footer: list[str]) -> str:
    """The legend's body: ``sections`` is [(heading, [(swatch html, label)])]; long lists use two columns.

    The title is the legend's fold button (:func:`add_legend`).
    """
    parts: list[str] = []
    for heading, rows in sections:
        if heading:
            parts.append(f'<div class="envmap-legend-heading">{html.escape(heading)}</div>')
        if len(rows) > 4:
            parts.append('<div class="envmap-legend-grid">')
        for swatch_html, label in rows:
            parts.append(f'<div class="envmap-legend-row">{swatch_html}<span>{html.escape(label)}</span></div>')
        if len(rows) > 4:
            parts.append("</div>")
    for line in footer:
        parts.append(f'<div class="envmap-legend-foot">{html.escape(line)}</div>')
    return "".join(parts)


def swatch(color: str, shape: str = "square", border: str = "#555", dashed: bool = False, symbol: str = "") -> str:
    radius = "50%" if shape == "circle" else "2px"
    dash = "dashed" if dashed else "solid"
    rotate = "transform:rotate(45deg) scale(0.8);" if shape == "diamond" else ""
    inner = f'<b style="font-size:10px;line-height:14px">{html.escape(symbol)}</b>' if symbol else ""
    return (
        f'<i class="envmap-swatch" style="background:{color};border:2px {dash} {border};border-radius:{radius};{rotate}">'
        f"{inner}</i>"
    )


def line_swatch(color: str, width: int = 3) -> str:
    return f'<i class="envmap-swatch envmap-line" style="border-top:{width}px solid {color}"></i>'


NORTH_ARROW = (
    '<svg width="34" height="46" viewBox="0 0 34 46" aria-label="指北针">'
    '<polygon points="17,2 27,32 17,25 7,32" fill="#222" stroke="#222" stroke-width="1"/>'
    '<polygon points="17,2 17,25 7,32" fill="#fff" stroke="#222" stroke-width="1"/>'
    '<text x="17" y="44" text-anchor="middle" font-size="12" font-weight="bold" fill="#222">N</text></svg>'
)


class Html(Element):
    """Literal HTML in the map's page. branca's ``Element(text)`` compiles its text as a Jinja template, so
    braces in a title (a plan's or a place's name) would be evaluated on the server, and every map paid
    for compiling them; this one renders its text as it is."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "Html"
        self.text = text

    def render(self, **kwargs: object) -> str:
        return self.text


def add_frame(m: folium.Map, *, title: str, data_note: str, sample: bool, sample_text: str) -> None:
    """Title, north arrow, data date/source line and, where sample values show, the watermark."""
    # the title sits at the top between the zoom buttons and the north arrow, not under the zoom buttons
    m.get_root().html.add_child(
        Html(f'<div class="envmap-title-box"><div class="envmap-title">{html.escape(title)}</div></div>'), name="envmap_title"
    )
    add_overlay(m, NORTH_ARROW, "topright", "envmap-north")
    add_overlay(m, html.escape(data_note), "bottomright", "envmap-note")
    if sample:
        m.get_root().html.add_child(
            Html(f'<div class="envmap-watermark">{html.escape(sample_text)}</div>'), name="envmap_watermark"
        )


def marker_svg(fill: str, ring: str, symbol: str, approximate: bool, size: int = 26) -> str:
    """A section marker: fill = measured class, ring = target class, symbol = compliance state."""
    r = size / 2
    dash = ' stroke-dasharray="3 2"' if approximate else ""
    text_color = "#000" if fill in (style.CLASS_COLORS["Ⅰ"], style.CLASS_COLORS["Ⅳ"], style.CLASS_COLORS["Ⅴ"], style.NO_DATA_COLOR) else "#fff"
    return (
        f'<svg width="{size}" height="{size}" viewBox="0 0 {size} {size}">'
        f'<circle cx="{r}" cy="{r}" r="{r - 3}" fill="{fill}" stroke="{ring}" stroke-width="4"{dash}/>'
        f'<circle cx="{r}" cy="{r}" r="{r - 1}" fill="none" stroke="#333" stroke-width="1"/>'
        f'<text x="{r}" y="{r + 4.5}" text-anchor="middle" font-size="13" font-weight="bold" fill="{text_color}">'
        f"{html.escape(symbol)}</text></svg>"
    )


def geojson_dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


_MAP_CSS = """
.leaflet-container { background: #e8eef2; font-family: "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif; }
.envmap-label { white-space: nowrap; transform: translate(-50%, -50%); pointer-events: none;
  text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 3px #fff; }
.envmap-label.county { font-size: 13px; font-weight: 600; color: #3e3a2f; }
.envmap-label.city { font-size: 15px; font-weight: 700; color: #222; letter-spacing: 2px; }
.envmap-label.river { font-size: 11px; font-style: italic; color: #1f5f99; }
.envmap-label.town { font-size: 10px; color: #555; }
.envmap-label.section { font-size: 11px; color: #111; transform: translate(12px, -50%); font-weight: 600; }
.envmap-label.section, .envmap-label.town { display: none; }
.envmap-zoomed .envmap-label.section, .envmap-zoomed .envmap-label.town { display: block; }
.envmap-legend { background: rgba(255,255,255,0.95); padding: 4px 8px 6px; border-radius: 4px;
  box-shadow: 0 1px 4px rgba(0,0,0,0.3); font-size: 11.5px; line-height: 16px; max-width: 230px; }
.envmap-legend-toggle { border: none; background: none; padding: 0 0 2px; font: inherit; font-weight: 700; font-size: 13px;
  color: #222; cursor: pointer; text-align: left; }
.envmap-legend-toggle::after { content: " ▾"; }
.envmap-legend.folded .envmap-legend-toggle::after { content: " ▸"; }
.envmap-legend.folded .envmap-legend-body { display: none; }
.envmap-legend-grid { display: grid; grid-template-columns: 1fr 1fr; column-gap: 8px; }
.envmap-legend-title { font-weight: 700; font-size: 13px; margin-bottom: 4px; }
.envmap-legend-heading { font-weight: 600; margin-top: 6px; color: #333; }
.envmap-legend-row { display: flex; align-items: center; gap: 6px; }
.envmap-legend-foot { margin-top: 6px; color: #555; font-size: 11px; }
.envmap-swatch { display: inline-flex; align-items: center; justify-content: center; width: 14px; height: 14px;
  box-sizing: border-box; font-style: normal; }
.envmap-swatch.envmap-line { height: 0; width: 20px; border-radius: 0; background: none; }
.envmap-title-box { position: absolute; top: 10px; left: 52px; right: 58px; z-index: 800; text-align: center;
  pointer-events: none; }
.envmap-title-box .envmap-title { display: inline-block; background: rgba(255,255,255,0.92); padding: 4px 10px;
  border-radius: 4px; font-size: 16px; font-weight: 700; box-shadow: 0 1px 4px rgba(0,0,0,0.3); max-width: 100%; }
.envmap-north { background: rgba(255,255,255,0.85); border-radius: 4px; padding: 2px 4px; }
.envmap-note { background: rgba(255,255,255,0.85); padding: 2px 6px; font-size: 11px; color: #333; max-width: 52vw;
  text-align: right; }
.envmap-legend-body { overflow-y: auto; }
.envmap-aggregate { box-sizing: border-box; border-radius: 50%; border: 3px solid #888; background: rgba(255,255,255,0.92);
  text-align: center; font-size: 11px; font-weight: 700; color: #222; box-shadow: 0 1px 3px rgba(0,0,0,0.35);
  transform: translate(calc(16px - 50%), calc(16px - 50%)); }
.envmap-watermark { position: absolute; top: 50%; left: 50%; transform: translate(-50%, -50%) rotate(-24deg);
  font-size: 44px; font-weight: 800; color: rgba(200, 30, 30, 0.16); pointer-events: none; z-index: 650;
  white-space: nowrap; }
"""
