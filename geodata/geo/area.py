"""The area envmap covers: Shanxi province's bounding box, WGS84 lon/lat."""

from __future__ import annotations

# (min_lon, min_lat, max_lon, max_lat)
AREA_BOUNDS: tuple[float, float, float, float] = (110.2, 34.5, 114.6, 40.8)
AREA_NAME = "山西省"


def in_area(lon: float, lat: float, bounds: tuple[float, float, float, float] = AREA_BOUNDS) -> bool:
    """True when (lon, lat) lies inside ``bounds`` (edges included)."""
    min_lon, min_lat, max_lon, max_lat = bounds
    return min_lon <= lon <= max_lon and min_lat <= lat <= max_lat


def describe_bounds(bounds: tuple[float, float, float, float] = AREA_BOUNDS) -> str:
    """``经度 110.2–114.6、纬度 34.5–40.8`` for messages."""
    min_lon, min_lat, max_lon, max_lat = bounds
    return f"经度 {min_lon:g}–{max_lon:g}、纬度 {min_lat:g}–{max_lat:g}"
