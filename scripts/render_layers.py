"""Render the built map layers (data/geo/*.geojson) to a PNG for a visual check.

    .venv/bin/python scripts/render_layers.py [--geo-dir data/geo] [--out tests/artifacts/layers.png]

Needs matplotlib (a development tool, not a runtime dependency). Chinese labels use Noto Sans
CJK when installed; without it the labels fall back to the default font (boxes, but no crash).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

CJK_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
)


def _cjk_font():
    from matplotlib import font_manager

    for path in CJK_FONTS:
        if Path(path).exists():
            font_manager.fontManager.addfont(path)
            return font_manager.FontProperties(fname=path)
    print("no CJK font found: Chinese labels will not render", file=sys.stderr)
    return font_manager.FontProperties()


def render(geo_dir: Path, out: Path) -> Path:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover
        raise SystemExit("rendering needs matplotlib: pip install matplotlib") from exc
    import geopandas as gpd

    font = _cjk_font()
    units = gpd.read_file(geo_dir / "admin_units.geojson")
    rivers = gpd.read_file(geo_dir / "rivers.geojson")
    surface = gpd.read_file(geo_dir / "yellow_river_surface.geojson")
    towns = gpd.read_file(geo_dir / "towns.geojson")
    counties = units[units["level"] == "county"]
    cities = units[units["level"] == "city"]
    province = units[units["level"] == "province"]

    fig, ax = plt.subplots(figsize=(14, 14), dpi=110)
    province.boundary.plot(ax=ax, color="#555555", linewidth=1.2)
    cities.boundary.plot(ax=ax, color="#333333", linewidth=1.6, linestyle="--")
    colours = {"运城市": "#fde9c9", "晋城市": "#dcefd6", "长治市": "#e3dcf0"}
    for city, group in counties.groupby("city"):
        group.plot(ax=ax, color=colours.get(city, "#eeeeee"), edgecolor="#777777", linewidth=0.7)
    surface.plot(ax=ax, color="#7fb3e6", edgecolor="#1f5fa8", linewidth=0.3)
    rivers.plot(ax=ax, color="#1f5fa8", linewidth=1.3)
    towns.plot(ax=ax, color="#c0392b", markersize=12, zorder=5)
    zones = gpd.read_file(geo_dir / "no_coal_zones.geojson") if (geo_dir / "no_coal_zones.geojson").exists() else None
    if zones is not None and len(zones):
        zones.drop_duplicates("area_name").plot(ax=ax, facecolor="none", edgecolor="#5d4037", hatch="//", linewidth=1.2,
                                                zorder=3)
        for _, row in zones.drop_duplicates("area_name").iterrows():
            p = row.geometry.representative_point()
            ax.annotate(f"禁煤区：{row['area_name']}\n（海拔500米以上未扣除）", (p.x, p.y), fontsize=8, fontproperties=font,
                        color="#5d4037", ha="center", xytext=(0, -22), textcoords="offset points", zorder=7)
    reaches = gpd.read_file(geo_dir / "reaches.geojson") if (geo_dir / "reaches.geojson").exists() else None
    if reaches is not None and len(reaches):
        reaches.plot(ax=ax, column="governing_section_name", cmap="tab20", linewidth=3.2, alpha=0.75, zorder=4)
    sections = gpd.read_file(geo_dir / "sections.geojson") if (geo_dir / "sections.geojson").exists() else None
    if sections is not None and len(sections):
        marker = {"exact": "*", "village": "^", "town": "s", "river": "o", "county": "D"}
        colour = {"exact": "#000000", "village": "#6a1b9a", "town": "#c2185b", "river": "#0277bd", "county": "#ef6c00"}
        label = {"exact": "精确坐标", "village": "村", "town": "乡镇点", "river": "河流上（县内）", "county": "县代表点"}
        for precision in ("exact", "village", "town", "river", "county"):
            group = sections[sections["precision"] == precision]
            if len(group):
                group.plot(ax=ax, color=colour[precision], edgecolor="#ffffff", marker=marker[precision], markersize=80,
                           linewidth=1.0, zorder=6, label=f"断面：{label[precision]}（{len(group)}）")
        # sections sharing a point (same county point or river point) get one stacked label
        for (x, y), group in sections.groupby([sections.geometry.x.round(5), sections.geometry.y.round(5)]):
            ax.annotate("\n".join(sorted(group["name"])), (x, y), fontsize=8, fontproperties=font, color="#000000",
                        xytext=(6, 2), textcoords="offset points", zorder=7, va="top",
                        bbox={"boxstyle": "round,pad=0.15", "fc": "#ffffffcc", "ec": "none"})
        ax.legend(prop=font, loc="upper left", ncols=2, title_fontproperties=font, title="断面位置精度（河段按控制断面着色）")

    for _, row in counties.iterrows():
        p = row.geometry.representative_point()
        ax.annotate(row["name"], (p.x, p.y), ha="center", fontsize=11, fontproperties=font, weight="bold",
                    color="#222222")
    for _, row in cities.iterrows():
        c = row.geometry.representative_point()
        ax.annotate(row["name"], (c.x, c.y), ha="center", va="bottom", fontsize=9, fontproperties=font,
                    color="#888888", xytext=(0, -14), textcoords="offset points")
    xmin, ymin, xmax, ymax = counties.total_bounds
    pad = 0.15
    view = (xmin - pad, ymin - pad, xmax + pad, ymax + pad)
    from shapely.geometry import box

    frame = box(*view)
    area = counties.union_all()
    for _, row in rivers.iterrows():
        # label where the river crosses the covered counties, else inside the view
        inside = row.geometry.intersection(area)
        if inside.is_empty:
            inside = row.geometry.intersection(frame)
        if inside.is_empty:
            continue
        longest = max(getattr(inside, "geoms", [inside]), key=lambda g: g.length)
        p = longest.interpolate(0.35, normalized=True)
        ax.annotate(row["name"], (p.x, p.y), fontsize=10, fontproperties=font, color="#1f5fa8",
                    xytext=(4, 4), textcoords="offset points")
    for _, row in towns.iterrows():
        ax.annotate(row["name"], (row.geometry.x, row.geometry.y), fontsize=7, fontproperties=font,
                    color="#8e2a1f", xytext=(3, -8), textcoords="offset points")

    ax.set_xlim(view[0], view[2])
    ax.set_ylim(view[1], view[3])
    ax.set_aspect(1 / 0.81)  # ~1/cos(36°): lon/lat look right at this latitude
    ax.set_title("envmap 图层：县界（天地图）、河流与河段（NGCC 1:400万）、乡镇（GeoNames）、断面（推定位置）、禁煤区", fontproperties=font,
                 fontsize=14)
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, bbox_inches="tight")
    plt.close(fig)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--geo-dir", type=Path, default=REPO / "data" / "geo")
    parser.add_argument("--out", type=Path, default=REPO / "tests" / "artifacts" / "layers.png")
    args = parser.parse_args(argv)
    print(render(args.geo_dir, args.out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
