"""Small static maps for the report pages: what lies upstream of a section, where an enterprise drains to.

Printed reports need pictures that print (an interactive map prints blank), so these are drawn
like the exports: our vector basemap, a local projection, scale bar and north arrow, PNG bytes
that are the same for the same inputs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry

from geodata.brief.fonts import brief_fonts, check_text
from geodata.brief.labels import Label, place_labels
from geodata.brief.render import figure_bytes, fit_view, local_crs
from geodata.mapstyle import CITY_LINE, COUNTY_FILL, COUNTY_LINE, RIVER_COLOR, WATER_FILL

HIGHLIGHT = "#e65100"
CATCHMENT_FILL = "#ffe0b2"


@dataclass
class MapPoint:
    lon: float
    lat: float
    label: str
    marker: str = "o"  # matplotlib marker
    face: str = "#ffffff"
    edge: str = "#333333"
    size: float = 8.0
    priority: int = 3
    dashed: bool = False


@dataclass
class MiniMap:
    focus: BaseGeometry  # WGS84: what the map is framed on
    lines: gpd.GeoDataFrame | None = None  # highlighted lines (WGS84)
    area: BaseGeometry | None = None  # a shaded area (the catchment)
    polygons: gpd.GeoDataFrame | None = None  # hatched polygons (no-coal zones)
    points: list[MapPoint] = field(default_factory=list)
    legend: list[tuple[str, str, str]] = field(default_factory=list)  # (kind line|patch|marker, colour, label)


def minimap_png(source, spec: MiniMap, *, width: float = 6.4, height: float = 4.6, dpi: int = 110) -> bytes:  # noqa: ANN001
    """``spec`` drawn on the basemap of ``source`` (a :class:`~geodata.brief.source.ViewSource`), PNG bytes."""
    fonts = brief_fonts()
    families = list(fonts.families)
    fig = Figure(figsize=(width, height), dpi=100, facecolor="white")
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.01, 0.01, 0.98, 0.98))
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_facecolor("#e8eef2")
    admin = source.layer("admin_units")
    counties = admin[admin["level"] == "county"] if len(admin) and "level" in admin else admin
    focus = gpd.GeoDataFrame(geometry=[spec.focus], crs="EPSG:4326")
    crs = local_crs(counties[counties.intersects(spec.focus)] if len(counties) else focus)
    f = focus.to_crs(crs)
    minx, miny, maxx, maxy = f.total_bounds
    minx, miny, maxx, maxy = fit_view(ax, (minx, miny, maxx, maxy), max(maxx - minx, maxy - miny, 8000) * 0.12,
                                      width * 0.98 / (height * 0.98))
    view = box(minx, miny, maxx, maxy)

    def clip(frame: gpd.GeoDataFrame | None) -> gpd.GeoDataFrame:
        if frame is None or frame.empty:
            return gpd.GeoDataFrame(geometry=[], crs=crs)
        projected = frame.to_crs(crs)
        return projected[projected.intersects(view)]

    shown_counties = clip(counties)
    if len(shown_counties):
        shown_counties.plot(ax=ax, facecolor=COUNTY_FILL, edgecolor=COUNTY_LINE, linewidth=0.7, zorder=1)
    cities = clip(admin[admin["level"] == "city"]) if len(admin) and "level" in admin else clip(None)
    if len(cities):
        cities.boundary.plot(ax=ax, color=CITY_LINE, linewidth=1.3, linestyle=(0, (6, 3)), zorder=2)
    if spec.area is not None and not spec.area.is_empty:
        gpd.GeoSeries([spec.area], crs="EPSG:4326").to_crs(crs).plot(ax=ax, facecolor=CATCHMENT_FILL, alpha=0.6,
                                                                      edgecolor="#ef6c00", linewidth=0.8, zorder=3)
    surface = clip(source.layer("yellow_river_surface"))
    if len(surface):
        surface.plot(ax=ax, facecolor=WATER_FILL, edgecolor=RIVER_COLOR, linewidth=0.3, zorder=4)
    rivers = clip(source.layer("rivers"))
    if len(rivers):
        rivers.plot(ax=ax, color=RIVER_COLOR, linewidth=1.0, zorder=5)
    polygons = clip(spec.polygons)
    if len(polygons):
        polygons.plot(ax=ax, facecolor="#8d6e63", alpha=0.35, edgecolor="#5d4037", hatch="//", linewidth=1.0, zorder=6)
    lines = clip(spec.lines)
    if len(lines):
        lines.plot(ax=ax, color=HIGHLIGHT, linewidth=3.0, zorder=7, capstyle="round")
    from pyproj import Transformer

    to_map = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    obstacles = []
    labels = []
    pt = fig.dpi / 72.0
    for p in sorted(spec.points, key=lambda q: (-q.priority, q.label, q.lon, q.lat)):
        x, y = to_map.transform(p.lon, p.lat)
        ax.scatter([x], [y], s=p.size ** 2, marker=p.marker, c=[p.face], edgecolors=[p.edge], linewidths=1.1,
                   linestyles=(0, (2, 1.2)) if p.dashed else "solid", zorder=20 + (3 - min(p.priority, 3)))
        dx, dy = ax.transData.transform((x, y))
        r = (p.size / 2 + 1.5) * pt
        from matplotlib.transforms import Bbox

        obstacles.append(Bbox.from_extents(dx - r, dy - r, dx + r, dy + r))
        if p.label:
            labels.append(Label(x, y, p.label, p.priority, 8.0 if p.priority == 0 else 7.0, "#1b1f24",
                                "bold" if p.priority == 0 else "normal", clearance=p.size / 2 + 1.5))
    for _, county in shown_counties.iterrows():
        c = county.geometry.intersection(view).representative_point()
        labels.append(Label(c.x, c.y, str(county["name"]), -1, 8.5, "#3e3a2f", "bold", shifts=True, fallback=True, zorder=15))
    place_labels(ax, labels, obstacles, families=families)
    from matplotlib_scalebar.scalebar import ScaleBar

    ax.add_artist(ScaleBar(1, "m", location="lower left", length_fraction=0.25, box_alpha=0.85,
                           font_properties={"family": families, "size": 7}, scale_loc="top"))
    from matplotlib_map_utils import north_arrow

    north_arrow(ax, location="upper right", scale=0.22, rotation={"degrees": None, "crs": crs.to_wkt(), "reference": "center"},
                label={"text": "N", "fontsize": 7, "fontfamily": "sans-serif"}, shadow=False, zorder=35)
    if spec.legend:
        handles = []
        for kind, color, text in spec.legend:
            text = check_text(text)
            if kind == "line":
                handles.append(Line2D([0], [0], color=color, linewidth=3, label=text))
            elif kind == "patch":
                handles.append(Patch(facecolor=color, edgecolor="#ef6c00", alpha=0.6, label=text))
            else:
                marker, _, face = kind.partition(":")
                handles.append(Line2D([0], [0], marker=marker or "o", linestyle="", markerfacecolor=face or color,
                                      markeredgecolor="#333333", markersize=7, label=text))
        ax.legend(handles=handles, loc="lower right", fontsize=7, prop={"family": families, "size": 7}, framealpha=0.9)
    return figure_bytes(fig, "png", dpi)


def points_of(frame: pd.DataFrame, *, label_col: str = "name", **style) -> list[MapPoint]:  # noqa: ANN003
    """Placed rows of ``frame`` as map points (``style``: marker, face, edge, size, priority)."""
    out = []
    if frame.empty or "lon" not in frame:
        return out
    for _, r in frame.iterrows():
        lon, lat = pd.to_numeric(r.get("lon"), errors="coerce"), pd.to_numeric(r.get("lat"), errors="coerce")
        if pd.isna(lon) or pd.isna(lat):
            continue
        out.append(MapPoint(float(lon), float(lat), str(r.get(label_col) or ""),
                            dashed=str(r.get("precision") or "") in ("county", "town", "village", "river"), **style))
    return out
