"""Map labels that do not collide: greedy placement around each feature, most important first.

Each label tries the positions around its anchor in the cartographers' order of preference
(right, above-right, below-right, left, …) at a distance clear of its marker; the first
position whose box overlaps no placed label, no marker and stays inside the map wins. A label
with no free position is left off (and counted, so the export can say "names of the others are in
the table"). Boxes are measured by the renderer in display units, offsets are in points, so the
result does not depend on the output resolution.

adjustText (the maintained library for this) pushes labels apart iteratively and keeps every
label, with no guarantee that none overlap; a slide needs the opposite (no overlap, drop the
least important), so this is a small greedy placer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.transforms import Bbox

from geodata.brief.fonts import check_text

# (dx, dy) directions in the order labels try them; ha/va follow from the direction
DIRECTIONS = ((1, 0), (1, 1), (1, -1), (-1, 0), (-1, 1), (-1, -1), (0, 1), (0, -1))
HALO = [patheffects.withStroke(linewidth=2.6, foreground="white")]


@dataclass(frozen=True)
class Label:
    x: float  # data coordinates of the anchor
    y: float
    text: str
    priority: int = 5  # lower first
    size: float = 8.0
    color: str = "#1b1f24"
    weight: str = "normal"
    style: str = "normal"
    clearance: float = 0.0  # points from the anchor (the marker's radius); 0 centres the label on it
    fixed: bool = False  # placed where it is even if it overlaps, still an obstacle
    shifts: bool = False  # a centred label may move a little (up, down, sideways) to get clear
    fallback: bool = False  # drawn centred when no position is free (under the markers: ``zorder``)
    zorder: float = 30


@dataclass
class Placement:
    placed: int = 0
    dropped: list[str] = field(default_factory=list)


SHIFTS = ((0, 1), (0, -1), (1, 0), (-1, 0), (0, 2), (0, -2), (1, 2), (-1, 2), (1, -2), (-1, -2), (0, 3), (0, -3),
          (2, 0), (-2, 0))


def _annotate(ax: Axes, text: str, label: Label, offset: tuple[float, float], dx: int, dy: int, families: list[str]):  # noqa: ANN202
    ha = {1: "left", -1: "right", 0: "center"}[dx]
    va = {1: "bottom", -1: "top", 0: "center"}[dy]
    return ax.annotate(text, (label.x, label.y), xytext=offset, textcoords="offset points", ha=ha, va=va,
                       fontsize=label.size, color=label.color, fontweight=label.weight, fontstyle=label.style,
                       path_effects=HALO, zorder=label.zorder, annotation_clip=True, family=families)


def _boxes_overlap(box: Bbox, others: list[Bbox], pad: float) -> bool:
    grown = Bbox.from_extents(box.x0 - pad, box.y0 - pad, box.x1 + pad, box.y1 + pad)
    return any(grown.overlaps(o) for o in others)


def place_labels(ax: Axes, labels: list[Label], obstacles: list[Bbox], *, families: list[str],
                 pad_pt: float = 1.5) -> Placement:
    """Draw ``labels`` on ``ax`` where they collide with nothing; return how many were left off.

    ``obstacles`` are display-space boxes (markers) labels must not cover.
    """
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    pt = fig.dpi / 72.0
    taken: list[Bbox] = list(obstacles)
    result = Placement()
    for label in sorted(labels, key=lambda lab: (lab.priority, -lab.size, lab.text, lab.x, lab.y)):
        text = check_text(label.text)
        if label.clearance:
            candidates = [(dx * (label.clearance + 2), dy * (label.clearance + 1), dx, dy) for dx, dy in DIRECTIONS]
        elif label.shifts:
            step = label.size * 1.1
            candidates = [(0, 0, 0, 0)] + [(dx * step * 1.6, dy * step, 0, 0) for dx, dy in SHIFTS]
        else:
            candidates = [(0, 0, 0, 0)]
        done = False
        for ox, oy, dx, dy in candidates:
            artist = _annotate(ax, text, label, (ox, oy), dx, dy, families)
            box = artist.get_window_extent(renderer)
            inside = frame.x0 + 2 <= box.x0 and box.x1 <= frame.x1 - 2 and frame.y0 + 2 <= box.y0 and box.y1 <= frame.y1 - 2
            if label.fixed or (inside and not _boxes_overlap(box, taken, pad_pt * pt)):
                taken.append(box)
                result.placed += 1
                done = True
                break
            artist.remove()
        if not done and label.fallback:
            taken.append(_annotate(ax, text, label, (0, 0), 0, 0, families).get_window_extent(renderer))
            result.placed += 1
        elif not done:
            result.dropped.append(label.text)
    return result
