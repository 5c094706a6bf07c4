"""Drawing an export: the page (title, subtitle, map, legends, key figures, notes, map-use mark).

Rendered with matplotlib's object API (no pyplot: safe in a server thread) on our own vector
basemap, in a local transverse Mercator projection centred on the area (so the scale bar is true
across the map and north is up at its centre). Byte-stable: fixed fonts (Noto Sans CJK SC),
fixed DPI, no timestamps or software versions in the PNG or PDF metadata, labels placed by a
deterministic rule. Scale bar: matplotlib-scalebar; north arrow: matplotlib-map-utils (rotated to
true north from the map's projection).
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.transforms import Bbox
from shapely.geometry import LineString, MultiLineString, box

from geodata import status as task_status
from geodata.brief.content import SAMPLE, BriefContent, KeyFigure, LegendEntry, LegendGroup
from geodata.brief.fonts import brief_fonts, check_text
from geodata.brief.labels import Label, place_labels
from geodata.i18n import t
from geodata.mapstyle import CITY_LINE, COUNTY_FILL, COUNTY_LINE, RIVER_COLOR, WATER_FILL

MARKER_SIZES = {"section": 12.0, "circle": 10.5, "diamond": 8.0, "square": 9.5, "drop": 9.5}  # points
LAYOUT_DPI = 100  # the resolution labels and blocks are laid out at (offsets are in points)
CONTEXT_FILL = "#fbfaf5"  # counties outside the area
SEA = "#e8eef2"
INK = "#1b1f24"
GREY = "#5d636c"
RED = "#b3261e"


@dataclass(frozen=True)
class Layout:
    """A page: its size and the boxes (inches, from the top-left) of the map and the panel."""

    name: str
    width: float
    height: float
    header: float  # height of the title band
    footer: float  # height of the notes band
    map_box: tuple[float, float, float, float]  # left, top, width, height
    panel_box: tuple[float, float, float, float]
    panel_columns: int = 1  # the panel below the map (A4 portrait) has two columns
    title_size: float = 20.0
    scale: float = 1.0  # markers and labels


LAYOUTS = {
    "slide": Layout("slide", 13.333, 7.5, 0.95, 0.62, (0.3, 0.98, 8.6, 5.85), (9.15, 0.98, 3.9, 5.85)),
    "a4-landscape": Layout("a4-landscape", 11.69, 8.27, 1.0, 0.72, (0.35, 1.02, 7.3, 6.45), (7.9, 1.02, 3.45, 6.45),
                           title_size=19.0),
    "a4": Layout("a4", 8.27, 11.69, 1.05, 0.95, (0.35, 1.1, 7.57, 6.2), (0.35, 7.45, 7.57, 3.2), panel_columns=2,
                 title_size=18.0, scale=0.95),
}


def local_crs(counties: gpd.GeoDataFrame) -> pyproj.CRS:
    """A transverse Mercator (CGCS2000 ellipsoid) centred on the area, central meridian to 0.5°."""
    lon = 112.0
    if counties is not None and len(counties):
        minx, _, maxx, _ = counties.total_bounds
        lon = round((minx + maxx) / 2 * 2) / 2
    return pyproj.CRS.from_proj4(f"+proj=tmerc +lat_0=0 +lon_0={lon} +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m "
                                 "+no_defs")


def fit_view(ax: Axes, bounds: tuple[float, float, float, float], pad: float, aspect: float
             ) -> tuple[float, float, float, float]:
    """Set ``ax`` to ``bounds`` grown by ``pad`` and widened (or heightened) to the frame's ``aspect``,
    at equal scale; returns the extent shown."""
    minx, miny, maxx, maxy = bounds[0] - pad, bounds[1] - pad, bounds[2] + pad, bounds[3] + pad
    if (maxx - minx) / (maxy - miny) < aspect:  # widen to the frame
        grow = ((maxy - miny) * aspect - (maxx - minx)) / 2
        minx, maxx = minx - grow, maxx + grow
    else:
        grow = ((maxx - minx) / aspect - (maxy - miny)) / 2
        miny, maxy = miny - grow, maxy + grow
    ax.set_xlim(minx, maxx)
    ax.set_ylim(miny, maxy)
    ax.set_aspect("equal", adjustable="box")
    return minx, miny, maxx, maxy


def _em(ch: str) -> float:
    return 1.0 if unicodedata.east_asian_width(ch) in ("W", "F", "A") else 0.56


def wrap(text: str, width_pt: float, size: float) -> list[str]:
    """Lines of ``text`` no wider than ``width_pt`` at ``size`` (CJK characters count one em)."""
    lines, current, used = [], "", 0.0
    for ch in text:
        w = _em(ch) * size
        if current and used + w > width_pt:
            lines.append(current)
            current, used = "", 0.0
            if ch == " ":
                continue
        current += ch
        used += w
    if current:
        lines.append(current)
    return lines


class Renderer:
    """One export: a figure of the layout, drawn from a :class:`BriefContent`."""

    def __init__(self, content: BriefContent, source) -> None:  # noqa: ANN001 - ViewSource
        self.content = content
        self.source = source
        self.layout = LAYOUTS[content.request.layout]
        fonts = brief_fonts()
        self.families = list(fonts.families)
        self.fig = Figure(figsize=(self.layout.width, self.layout.height), dpi=LAYOUT_DPI, facecolor="white")
        FigureCanvasAgg(self.fig)
        self.crs = local_crs(content.counties)
        self.to_map = pyproj.Transformer.from_crs("EPSG:4326", self.crs, always_xy=True)
        self.dropped_labels: list[str] = []

    # -- helpers ---------------------------------------------------------------------------
    def text(self, x: float, y: float, s: str, size: float, **kwargs) -> None:  # noqa: ANN003
        """Figure text at (x, y) inches from the top-left."""
        self.fig.text(x / self.layout.width, 1 - y / self.layout.height, check_text(s), fontsize=size,
                      family=self.families, **kwargs)

    def axes(self, box_in: tuple[float, float, float, float]) -> Axes:
        left, top, width, height = box_in
        W, H = self.layout.width, self.layout.height
        return self.fig.add_axes((left / W, 1 - (top + height) / H, width / W, height / H))

    # -- the page --------------------------------------------------------------------------
    def draw(self) -> Figure:
        c = self.content
        L = self.layout
        self.text(L.map_box[0], 0.48, c.title, L.title_size, fontweight="bold", color=INK, va="baseline")
        self.text(L.map_box[0], 0.8, c.subtitle, 10.5 * L.scale, color=GREY, va="baseline")
        mark = t("br_mark_approval", number=c.map_mark) if c.request.map_mark.strip() else c.map_mark
        self.text(L.width - 0.3, 0.48, mark, 10.5, color=RED, fontweight="bold", ha="right", va="baseline")
        self.fig.add_artist(Rectangle((0.3 / L.width, 1 - 0.9 / L.height), (L.width - 0.6) / L.width, 0.012 / L.height,
                                      transform=self.fig.transFigure, color="#1e5aa8", linewidth=0))
        self.draw_map()
        self.draw_panel()
        self.draw_footer()
        return self.fig

    # -- the map ---------------------------------------------------------------------------
    def draw_map(self) -> None:
        c = self.content
        L = self.layout
        ax = self.axes(L.map_box)
        self.ax = ax
        ax.set_facecolor(SEA)
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_color("#3e3a2f")
            spine.set_linewidth(0.8)
        admin = self.source.layer("admin_units")
        counties = c.counties if c.counties is not None else gpd.GeoDataFrame()
        if admin.empty or counties is None or counties.empty:
            ax.set_xlim(0, 1)
            ax.set_ylim(0, 1)
            self._message(ax, t("br_no_basemap"))
            return
        area = counties.to_crs(self.crs)
        minx, miny, maxx, maxy = area.total_bounds
        minx, miny, maxx, maxy = fit_view(ax, (minx, miny, maxx, maxy), max(maxx - minx, maxy - miny) * 0.06,
                                          L.map_box[2] / L.map_box[3])
        ax.set_xlabel("")
        ax.set_ylabel("")
        view = box(minx, miny, maxx, maxy)

        def clip(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
            if frame.empty:
                return frame
            projected = frame.to_crs(self.crs)
            projected = projected[projected.intersects(view)]
            return projected

        everything = clip(admin[admin["level"] == "county"]) if "level" in admin else clip(admin)
        names = set(counties["name"])
        if len(everything):
            outside = everything[~everything["name"].isin(names)]
            if len(outside):
                outside.plot(ax=ax, facecolor=CONTEXT_FILL, edgecolor="#b9b2a2", linewidth=0.5, zorder=1)
            area.plot(ax=ax, facecolor=COUNTY_FILL, edgecolor=COUNTY_LINE, linewidth=0.8, zorder=2)
        cities = clip(admin[admin["level"] == "city"]) if "level" in admin else admin.iloc[0:0]
        if len(cities):
            cities.boundary.plot(ax=ax, color=CITY_LINE, linewidth=1.6, linestyle=(0, (6, 3)), zorder=3)
        surface = clip(self.source.layer("yellow_river_surface"))
        if len(surface):
            surface.plot(ax=ax, facecolor=WATER_FILL, edgecolor=RIVER_COLOR, linewidth=0.4, zorder=4)
        rivers = clip(self.source.layer("rivers"))
        if len(rivers):
            rivers.plot(ax=ax, color=RIVER_COLOR, linewidth=1.1, zorder=5)
        if len(c.polygons):
            zones = clip(c.polygons)
            for _, z in zones.iterrows():
                gpd.GeoSeries([z.geometry], crs=self.crs).plot(ax=ax, facecolor=z["face"], alpha=0.35, edgecolor=z["edge"],
                                                                linewidth=1.2, linestyle=(0, (4, 3)), zorder=6)
        if len(c.lines):
            lines = clip(c.lines)
            for color, group in lines.groupby("color", sort=True):
                group.plot(ax=ax, color=color, linewidth=3.2 * L.scale, zorder=7, capstyle="round")
        ax.set_xlabel("")
        ax.set_ylabel("")
        obstacles = self.draw_points(ax) + self._corners(ax)
        bar_labels = self.draw_bars(ax, obstacles)
        labels = self._basemap_labels(area, rivers, bar_labels) + self._point_labels()
        placement = place_labels(ax, labels, obstacles, families=self.families)
        self.dropped_labels = [d for d in placement.dropped if d in set(c.points["label"])]
        self._scale_bar(ax)
        self._north_arrow(ax)
        if c.sample:
            ax.text(0.5, 0.5, SAMPLE, transform=ax.transAxes, rotation=24, fontsize=46 * L.scale, fontweight="bold",
                    color=(0.78, 0.12, 0.12, 0.16), ha="center", va="center", zorder=40, family=self.families)
        if c.empty_message and c.points.empty and c.bars.empty:
            self._message(ax, c.empty_message)

    def _corners(self, ax: Axes) -> list[Bbox]:
        """The corners the scale bar (lower left) and north arrow (upper right) take: no label goes there."""
        frame = ax.get_window_extent(self.fig.canvas.get_renderer())
        pt = self.fig.dpi / 72.0
        s = self.layout.scale
        scale_w, scale_h = frame.width * 0.26, 34 * pt * s
        arrow_w, arrow_h = 40 * pt * s, 62 * pt * s
        return [Bbox.from_extents(frame.x0, frame.y0, frame.x0 + scale_w, frame.y0 + scale_h),
                Bbox.from_extents(frame.x1 - arrow_w, frame.y1 - arrow_h, frame.x1, frame.y1)]

    def _message(self, ax: Axes, text: str) -> None:
        ax.text(0.5, 0.5, check_text(text), transform=ax.transAxes, ha="center", va="center", fontsize=12, color=GREY,
                family=self.families, zorder=41, bbox={"boxstyle": "round,pad=0.6", "facecolor": "white", "alpha": 0.9,
                                                        "edgecolor": "#cccccc"})

    def _xy(self, frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        x, y = self.to_map.transform(frame["lon"].astype(float).to_numpy(), frame["lat"].astype(float).to_numpy())
        return np.asarray(x), np.asarray(y)

    def draw_points(self, ax: Axes) -> list[Bbox]:
        """Markers of the content; returns their display boxes (labels keep clear of them)."""
        points = self.content.points
        if points.empty:
            return []
        s = self.layout.scale
        points = points.sort_values(["priority", "label", "lon", "lat"], ascending=[False, True, True, True], kind="stable")
        x, y = self._xy(points)
        points = points.assign(x=x, y=y)
        points = self._fan_out(ax, points)
        boxes: list[Bbox] = []
        sizes = MARKER_SIZES
        shapes = {"section": "o", "circle": "o", "diamond": "D", "square": "s", "drop": "o"}
        for (marker, dashed), group in points.groupby(["marker", "dashed"], sort=True):
            d = sizes.get(marker, 9.0) * s
            style = (0, (2, 1.2)) if dashed else "solid"
            shape = shapes.get(marker, "o")
            # a white halo with a thin outline (dashed: approximate location), then the marker: fill = class or
            # state, a solid ring = target class (a dashed thick ring would read as noise)
            ax.scatter(group["x"], group["y"], s=(d + 2.6) ** 2, marker=shape, facecolors="white", edgecolors="#222222",
                       linewidths=0.9, linestyles=style, zorder=20)
            ring_width = 0.8 if group["ring"].eq("#333333").all() else 2.1 * s
            ax.scatter(group["x"], group["y"], s=d ** 2, marker=shape, c=list(group["face"]), edgecolors=list(group["ring"]),
                       linewidths=ring_width, zorder=21)
            for _, p in group.iterrows():
                symbol = t("source_letter") if marker == "drop" else str(p["symbol"] or "")
                if symbol and symbol != "·":
                    dark = p["face"] in ("#1e88e5", "#43a047", "#e53935")
                    ax.text(p["x"], p["y"], check_text(symbol), ha="center", va="center", fontsize=d * 0.62,
                            fontweight="bold", color="#0277bd" if marker == "drop" else ("white" if dark else "black"),
                            zorder=22, family=self.families)
        to_display = ax.transData.transform(np.column_stack([points["x"], points["y"]]))
        pt = self.fig.dpi / 72.0
        for (dx, dy), marker in zip(to_display, points["marker"], strict=True):
            r = (sizes.get(marker, 9.0) * s / 2 + 1.5) * pt
            boxes.append(Bbox.from_extents(dx - r, dy - r, dx + r, dy + r))
        self._point_xy = points
        return boxes

    def _fan_out(self, ax: Axes, points: pd.DataFrame) -> pd.DataFrame:
        """Records sharing one (approximate) location spread around it, as on screen (display only)."""
        width_pt = ax.get_window_extent(self.fig.canvas.get_renderer()).width / (self.fig.dpi / 72.0)
        per_pt = (ax.get_xlim()[1] - ax.get_xlim()[0]) / width_pt
        keys = list(zip(points["x"].round(0), points["y"].round(0), strict=True))
        groups: dict[tuple[float, float], list[int]] = {}
        for i, key in enumerate(keys):
            groups.setdefault(key, []).append(i)
        xs, ys = points["x"].to_numpy(dtype=float).copy(), points["y"].to_numpy(dtype=float).copy()
        for members in groups.values():
            n = len(members)
            if n == 1:
                continue
            spacing = max(MARKER_SIZES.get(str(points["marker"].iloc[i]), 9.0) for i in members) * self.layout.scale * 1.05
            radius = max(spacing * 0.75, spacing * n / (2 * np.pi))
            for k, i in enumerate(members):
                angle = 2 * np.pi * k / n + np.pi / 2
                xs[i] += radius * per_pt * np.cos(angle)
                ys[i] += radius * per_pt * np.sin(angle)
        return points.assign(x=xs, y=ys)

    def draw_bars(self, ax: Axes, obstacles: list[Bbox]) -> dict[str, tuple[float, float]]:
        """挂图作战: a 100% bar of task states under each county's name; returns the counties drawn."""
        bars = self.content.bars
        drawn: dict[str, tuple[float, float]] = {}
        if bars.empty:
            return drawn
        from matplotlib.offsetbox import AnnotationBbox, DrawingArea, TextArea, VPacker

        s = self.layout.scale
        width, height = 62 * s, 8 * s
        for _, b in bars[bars["lon"].notna()].iterrows():
            total = int(sum(int(b[st]) for st in task_status.STATUSES))
            if not total:
                continue
            x, y = self.to_map.transform(float(b["lon"]), float(b["lat"]))
            area = DrawingArea(width, height)
            left = 0.0
            for state in task_status.STATUSES:
                n = int(b[state])
                if n:
                    w = width * n / total
                    area.add_artist(Rectangle((left, 0), w, height, facecolor=task_status.COLORS[state], edgecolor="white",
                                              linewidth=0.4))
                    left += w
            area.add_artist(Rectangle((0, 0), width, height, facecolor="none", edgecolor="#333333", linewidth=0.6))
            late = int(b["overdue"]) + int(b["overdue_unreported"])
            caption = TextArea(check_text(t("br_bar_caption", n=total, late=late)),
                               textprops={"fontsize": 6.8 * s, "color": INK, "family": self.families})
            pack = VPacker(children=[area, caption], align="center", pad=0, sep=1.5)
            box_artist = AnnotationBbox(pack, (x, y), xybox=(0, -24 * s), xycoords="data", boxcoords="offset points",
                                        box_alignment=(0.5, 1.0), frameon=True, zorder=25,
                                        bboxprops={"facecolor": "white", "alpha": 0.85, "edgecolor": "#bbbbbb",
                                                   "boxstyle": "round,pad=0.25", "linewidth": 0.5})
            ax.add_artist(box_artist)
            drawn[str(b["county"])] = (x, y)
            renderer = self.fig.canvas.get_renderer()
            obstacles.append(box_artist.get_window_extent(renderer))
        return drawn

    def _basemap_labels(self, area: gpd.GeoDataFrame, rivers: gpd.GeoDataFrame,
                        bars: dict[str, tuple[float, float]]) -> list[Label]:
        s = self.layout.scale
        labels = []
        for _, county in area.iterrows():
            p = county.geometry.representative_point()
            labels.append(Label(p.x, p.y, str(county["name"]), -1, 10.0 * s, "#3e3a2f", "bold", shifts=True, fallback=True,
                                zorder=15))
        x0, x1 = self.ax.get_xlim()
        y0, y1 = self.ax.get_ylim()
        view = box(x0, y0, x1, y1)
        for _, river in rivers.iterrows():
            geom = river.geometry.intersection(view)
            parts = [g for g in getattr(geom, "geoms", [geom]) if isinstance(g, LineString | MultiLineString)
                     and not g.is_empty]
            if not parts:
                continue
            longest = max(parts, key=lambda g: g.length)
            if longest.length < (x1 - x0) * 0.08:
                continue
            p = longest.interpolate(0.5, normalized=True)
            labels.append(Label(p.x, p.y, str(river["name"]), 6, 7.5 * s, "#1f5f99", style="italic"))
        if "towns" in self.content.request.layers:
            towns = self.source.layer("towns")
            if len(towns):
                towns = towns[towns["county"].isin(set(area["name"]))].to_crs(self.crs)
                for _, town in towns.iterrows():
                    if str(town.get("seat_of") or ""):
                        continue
                    labels.append(Label(town.geometry.x, town.geometry.y, str(town["name"]), 8, 6.5 * s, "#555555"))
        return labels

    def _point_labels(self) -> list[Label]:
        points = getattr(self, "_point_xy", None)
        if points is None or points.empty:
            return []
        s = self.layout.scale
        sizes = MARKER_SIZES
        out = []
        for _, p in points[points["label"].astype(str) != ""].iterrows():
            important = int(p["priority"]) == 0
            out.append(Label(float(p["x"]), float(p["y"]), str(p["label"]), int(p["priority"]), (8.0 if important else 7.2) * s,
                             "#8e0000" if important and p["marker"] == "diamond" else INK,
                             "bold" if important else "normal", clearance=sizes.get(str(p["marker"]), 9.0) * s / 2 + 1.5))
        return out

    def _scale_bar(self, ax: Axes) -> None:
        from matplotlib_scalebar.scalebar import ScaleBar

        ax.add_artist(ScaleBar(1, "m", location="lower left", length_fraction=0.22, box_alpha=0.85, color=INK,
                               font_properties={"family": self.families, "size": 8 * self.layout.scale},
                               scale_loc="top", border_pad=0.7, sep=2, width_fraction=0.012))

    def _north_arrow(self, ax: Axes) -> None:
        from matplotlib_map_utils import north_arrow

        north_arrow(ax, location="upper right", scale=0.32 * self.layout.scale,
                    rotation={"degrees": None, "crs": self.crs.to_wkt(), "reference": "center"},
                    label={"text": "N", "fontsize": 9 * self.layout.scale, "fontfamily": "sans-serif"},
                    shadow=False, zorder=35)

    # -- the panel -------------------------------------------------------------------------
    def draw_panel(self) -> None:
        L = self.layout
        c = self.content
        left, top, width, height = L.panel_box
        if L.panel_columns == 1:
            column = Column(self, left, top, width, height)
            column.legend(c.legend)
            column.figures(c.figures, t("br_panel_figures", area=c.request.area.label))
            if c.subject_figures:
                column.small_figures(c.subject_figures)
            self._city_bar(column)
            column.callouts(c.callouts, c.callouts_heading)
            column.dropped(self.dropped_labels)
        else:
            gap = 0.25
            half = (width - gap) / 2
            first = Column(self, left, top, half, height)
            first.legend(c.legend)
            self._city_bar(first)
            first.dropped(self.dropped_labels)
            first.callouts(c.callouts, c.callouts_heading)
            second = Column(self, left + half + gap, top, half, height)
            second.figures(c.figures, t("br_panel_figures", area=c.request.area.label))
            if c.subject_figures:
                second.small_figures(c.subject_figures)

    def _city_bar(self, column: Column) -> None:
        bars = self.content.bars
        if bars.empty:
            return
        for _, b in bars[bars["lon"].isna()].iterrows():
            total = int(sum(int(b[s]) for s in task_status.STATUSES))
            if total:
                late = int(b["overdue"]) + int(b["overdue_unreported"])
                name = str(b["county"]) or t("city_level_row")
                column.bar(t("br_city_bar", where=name if b["county"] else f"{b['city']}·{t('city_level_row')}"),
                           {s: int(b[s]) for s in task_status.STATUSES}, t("br_bar_caption", n=total, late=late))

    def draw_footer(self) -> None:
        L = self.layout
        c = self.content
        size = 6.8
        width_pt = (L.width - 0.6) * 72
        lines = wrap("　".join(c.notes), width_pt, size)
        max_lines = int((L.footer - 0.12) * 72 / (size * 1.45))
        if len(lines) > max_lines:
            lines = lines[: max_lines - 1] + [lines[max_lines - 1][:-1] + "…"]
        y = L.height - L.footer + 0.12
        for line in lines:
            self.text(0.3, y, line, size, color=GREY, va="top")
            y += size * 1.45 / 72


class Column:
    """Blocks stacked from the top of a panel column, in inches; what does not fit is cut with a note."""

    def __init__(self, renderer: Renderer, left: float, top: float, width: float, height: float) -> None:
        self.r = renderer
        self.left, self.top, self.width, self.bottom = left, top, width, top + height
        self.y = top
        self.s = renderer.layout.scale
        ax = renderer.axes((left, top, width, height))
        ax.set_xlim(0, width)
        ax.set_ylim(height, 0)  # y grows downwards, in inches from the column's top
        ax.axis("off")
        self.ax = ax

    def room(self, need: float) -> bool:
        return self.y + need <= self.bottom

    def _text(self, x: float, y: float, s: str, size: float, **kwargs) -> None:  # noqa: ANN003
        self.ax.text(x, y - self.top, check_text(s), fontsize=size, family=self.r.families, **kwargs)

    def heading(self, text: str) -> None:
        size = 10.0 * self.s
        if not self.room(size * 2.2 / 72):
            return
        self.y += 0.08
        self._text(0, self.y, text, size, fontweight="bold", color=INK, va="top")
        self.y += size * 1.5 / 72

    def legend(self, groups: list[LegendGroup]) -> None:
        size = 8.3 * self.s
        row = size * 1.75 / 72
        for group in groups:
            if group.heading:
                self.heading(group.heading)
            columns = 2 if len(group.entries) > 4 and self.width > 2.6 else 1
            per_column = -(-len(group.entries) // columns)
            if not self.room(per_column * row):
                return
            col_width = self.width / columns
            for i, entry in enumerate(group.entries):
                x = (i // per_column) * col_width
                y = self.y + (i % per_column) * row + row / 2
                self._swatch(x + 0.09, y, entry)
                self._text(x + 0.22, y, entry.label, size, color=INK, va="center")
            self.y += per_column * row + 0.02

    def _swatch(self, x: float, y: float, e: LegendEntry) -> None:
        ax = self.ax
        yy = y - self.top
        style = (0, (2, 1.2)) if e.dashed else "solid"
        if e.marker == "line":
            ax.plot([x - 0.08, x + 0.08], [yy, yy], color=e.face, linewidth=3.2)
        elif e.marker in ("patch", "bar"):
            ax.add_patch(Rectangle((x - 0.08, yy - 0.045), 0.16, 0.09, facecolor=e.face, edgecolor=e.edge,
                                   linewidth=0.8, linestyle=style, alpha=0.9 if e.marker == "bar" else 0.5))
        else:
            shape = {"circle": "o", "diamond": "D", "square": "s", "drop": "o"}.get(e.marker, "o")
            d = (8.0 if e.marker == "diamond" else 10.0) * self.s
            ax.scatter([x], [yy], s=d ** 2, marker=shape, c=[e.face], edgecolors=[e.edge],
                       linewidths=1.6 if e.edge not in ("#333333",) else 0.8, linestyles=style, zorder=3)
            if e.symbol:
                ax.text(x, yy, check_text(e.symbol), ha="center", va="center", fontsize=d * 0.62, fontweight="bold",
                        color="black", family=self.r.families, zorder=4)

    def figures(self, figures: list[KeyFigure], title: str) -> None:
        self.heading(title)
        label_size, value_size, detail_size = 8.4 * self.s, 12.5 * self.s, 6.8 * self.s
        for f in figures:
            detail = wrap(f.detail, self.width * 72, detail_size) if f.detail else []
            need = (value_size * 1.3 + len(detail) * detail_size * 1.3) / 72 + 0.06
            if not self.room(need):
                return
            self.ax.add_patch(Rectangle((0, self.y - self.top - 0.02), self.width, need, facecolor="#f6f8fa",
                                        edgecolor="#e3e6ea", linewidth=0.6))
            self._text(0.06, self.y + value_size * 0.68 / 72, f.label, label_size, color="#454b55", va="center")
            value = f.value
            self._text(self.width - 0.06, self.y + value_size * 0.68 / 72, value, value_size, color=INK,
                       fontweight="bold", ha="right", va="center")
            y = self.y + value_size * 1.3 / 72
            for line in detail:
                self._text(0.06, y, line, detail_size, color=GREY, va="top")
                y += detail_size * 1.3 / 72
            if f.sample and f.value != t("no_data"):
                self._text(self.width - 0.06, self.y + value_size * 1.28 / 72, SAMPLE, 6.2 * self.s, color=RED, ha="right",
                           va="top", fontweight="bold")
            self.y += need + 0.05

    def small_figures(self, figures: list[KeyFigure]) -> None:
        size = 7.8 * self.s
        row = size * 1.55 / 72
        self.y += 0.04
        for f in figures:
            if not self.room(row):
                return
            self._text(0.06, self.y + row / 2, f.label, size, color="#454b55", va="center")
            self._text(self.width - 0.06, self.y + row / 2, f.value, size + 0.6, color=INK, fontweight="bold", ha="right",
                       va="center")
            self.y += row

    def bar(self, label: str, counts: dict[str, int], caption: str) -> None:
        size = 7.8 * self.s
        need = (size * 3.2) / 72 + 0.1
        if not self.room(need):
            return
        self.y += 0.06
        self._text(0, self.y, label, size, color=INK, va="top", fontweight="bold")
        self.y += size * 1.45 / 72
        total = sum(counts.values()) or 1
        left = 0.0
        width = self.width * 0.7
        for state in task_status.STATUSES:
            n = counts.get(state, 0)
            if n:
                w = width * n / total
                self.ax.add_patch(Rectangle((left, self.y - self.top), w, 0.11, facecolor=task_status.COLORS[state],
                                            edgecolor="white", linewidth=0.4))
                left += w
        self._text(width + 0.06, self.y + 0.055, caption, size - 0.6, color=INK, va="center")
        self.y += 0.16

    def callouts(self, lines: list[str], heading: str) -> None:
        if not lines:
            return
        self.heading(heading)
        size = 7.2 * self.s
        for line in lines:
            wrapped = wrap(line, self.width * 72 - 8, size)
            need = len(wrapped) * size * 1.35 / 72 + 0.03
            if not self.room(need):
                self._text(0, self.y, t("br_more_in_workbook"), size, color=GREY, va="top")
                self.y += size * 1.4 / 72
                return
            self._text(0, self.y, "•", size, color=RED, va="top")
            for i, part in enumerate(wrapped):
                self._text(0.1, self.y + i * size * 1.35 / 72, part, size, color=INK, va="top")
            self.y += need

    def dropped(self, names: list[str]) -> None:
        if not names:
            return
        size = 6.8 * self.s
        text = t("br_labels_dropped", n=len(names))
        if self.room(size * 1.6 / 72):
            self.y += 0.04
            self._text(0, self.y, text, size, color=GREY, va="top")
            self.y += size * 1.5 / 72


def render_figure(content: BriefContent, source) -> Figure:  # noqa: ANN001
    return Renderer(content, source).draw()


def figure_bytes(fig: Figure, fmt: str, dpi: int) -> bytes:
    """The page as PNG or PDF bytes, the same bytes for the same page (no dates, no versions)."""
    buf = io.BytesIO()
    if fmt == "pdf":
        fig.savefig(buf, format="pdf", dpi=dpi, metadata={"Creator": "envmap", "Producer": "envmap", "CreationDate": None,
                                                          "ModDate": None})
    else:
        fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return buf.getvalue()
