"""Coordinate systems used for Chinese map data, and conversion to the WGS84 envmap stores.

- ``wgs84``: EPSG:4326, GPS coordinates.
- ``cgcs2000``: EPSG:4490, China's national datum (天地图). Differs from WGS84 by centimetres;
  treated as identical at this scale.
- ``gcj02``: the obfuscated "Mars" system required of Chinese web maps (高德/Amap, 腾讯/Tencent).
  A non-linear shift of several hundred metres inside China (about +550 m east, +50 m north in
  Shanxi); none outside China.
- ``bd09``: Baidu's system, a further offset applied on top of GCJ-02.

Every function takes floats or numpy arrays (same shape for lon and lat) and returns the same
kind. The inverse of GCJ-02 has no closed form: it is solved by fixed-point iteration to well
under a millimetre. Converted data are for storage (to WGS84) or for a display copy (from
WGS84); the stored data are never shifted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from geodata.errors import EnvmapError

SUPPORTED_CRS: tuple[str, ...] = ("wgs84", "cgcs2000", "gcj02", "bd09")
CRS_LABELS: dict[str, str] = {
    "wgs84": "WGS84（GPS，EPSG:4326）",
    "cgcs2000": "CGCS2000（天地图，EPSG:4490）",
    "gcj02": "GCJ-02（高德、腾讯地图）",
    "bd09": "BD-09（百度地图）",
}

# Krasovsky 1940 ellipsoid, as used by the GCJ-02 algorithm.
_A = 6378245.0
_EE = 0.00669342162296594323
_X_PI = np.pi * 3000.0 / 180.0
# Convergence threshold of the iterative inverses, in degrees (1e-10° ≈ 0.01 mm).
_TOL = 1e-10
_MAX_ITER = 30


class UnknownCRS(EnvmapError):
    """A coordinate system name envmap does not know."""

    def __init__(self, name: str) -> None:
        self.name = name
        names = "、".join(f"{n}（{CRS_LABELS[n]}）" for n in SUPPORTED_CRS)
        super().__init__(f"不支持的坐标系“{name}”。可用的坐标系：{names}。")


def normalize_crs(name: str) -> str:
    """The canonical name of ``name`` (``WGS-84`` → ``wgs84``, ``EPSG:4490`` → ``cgcs2000``).

    Raises :class:`UnknownCRS` for anything else.
    """
    key = str(name).strip().lower().replace("-", "").replace("_", "").replace(" ", "")
    aliases = {
        "epsg:4326": "wgs84",
        "4326": "wgs84",
        "epsg:4490": "cgcs2000",
        "4490": "cgcs2000",
        "cgcs": "cgcs2000",
        "bd09ll": "bd09",
    }
    key = aliases.get(key, key)
    if key not in SUPPORTED_CRS:
        raise UnknownCRS(str(name))
    return key


# --- scalar-or-array helpers -------------------------------------------------------------


def _out(lon: Any, lat: Any, x: np.ndarray, y: np.ndarray) -> tuple[Any, Any]:
    """Return floats when the input was scalar, arrays otherwise."""
    if np.ndim(lon) == 0 and np.ndim(lat) == 0:
        return float(x), float(y)
    return x, y


def _arrays(lon: Any, lat: Any) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(lon, dtype=float)
    y = np.asarray(lat, dtype=float)
    return np.broadcast_arrays(x, y)  # type: ignore[return-value]


def out_of_china(lon: Any, lat: Any) -> Any:
    """True where the GCJ-02 shift does not apply (the rough box around China of the algorithm)."""
    x, y = _arrays(lon, lat)
    result = ~((x >= 72.004) & (x <= 137.8347) & (y >= 0.8293) & (y <= 55.8271))
    return bool(result) if result.ndim == 0 else result


# --- GCJ-02 ------------------------------------------------------------------------------


def _shift_lat(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x))
    ret += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    ret += (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
    ret += (160.0 * np.sin(y / 12.0 * np.pi) + 320.0 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0
    return ret


def _shift_lon(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x))
    ret += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    ret += (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
    ret += (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    return ret


def _gcj_delta(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The GCJ-02 offset (dlon, dlat) in degrees at WGS84 (x, y); zero outside China."""
    dlat = _shift_lat(x - 105.0, y - 35.0)
    dlon = _shift_lon(x - 105.0, y - 35.0)
    rad = y / 180.0 * np.pi
    magic = 1.0 - _EE * np.sin(rad) ** 2
    sqrt_magic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1.0 - _EE)) / (magic * sqrt_magic) * np.pi)
    dlon = (dlon * 180.0) / (_A / sqrt_magic * np.cos(rad) * np.pi)
    outside = ~((x >= 72.004) & (x <= 137.8347) & (y >= 0.8293) & (y <= 55.8271))
    return np.where(outside, 0.0, dlon), np.where(outside, 0.0, dlat)


def wgs84_to_gcj02(lon: Any, lat: Any) -> tuple[Any, Any]:
    """WGS84 → GCJ-02 (unchanged outside China)."""
    x, y = _arrays(lon, lat)
    dlon, dlat = _gcj_delta(x, y)
    return _out(lon, lat, x + dlon, y + dlat)


def gcj02_to_wgs84(lon: Any, lat: Any) -> tuple[Any, Any]:
    """GCJ-02 → WGS84 by fixed-point iteration on the forward transform (residual ≪ 1 mm)."""
    gx, gy = _arrays(lon, lat)
    wx, wy = gx.copy(), gy.copy()
    for _ in range(_MAX_ITER):
        fx, fy = wgs84_to_gcj02(wx, wy)
        ex, ey = np.asarray(fx) - gx, np.asarray(fy) - gy
        wx, wy = wx - ex, wy - ey
        if np.all(np.abs(ex) < _TOL) and np.all(np.abs(ey) < _TOL):
            break
    return _out(lon, lat, wx, wy)


# --- BD-09 -------------------------------------------------------------------------------


def gcj02_to_bd09(lon: Any, lat: Any) -> tuple[Any, Any]:
    """GCJ-02 → BD-09."""
    x, y = _arrays(lon, lat)
    z = np.sqrt(x * x + y * y) + 0.00002 * np.sin(y * _X_PI)
    theta = np.arctan2(y, x) + 0.000003 * np.cos(x * _X_PI)
    return _out(lon, lat, z * np.cos(theta) + 0.0065, z * np.sin(theta) + 0.006)


def bd09_to_gcj02(lon: Any, lat: Any) -> tuple[Any, Any]:
    """BD-09 → GCJ-02: the usual closed-form approximation, refined by iteration on the forward
    transform so that a round trip is exact to well under a millimetre."""
    bx, by = _arrays(lon, lat)
    x, y = bx - 0.0065, by - 0.006
    z = np.sqrt(x * x + y * y) - 0.00002 * np.sin(y * _X_PI)
    theta = np.arctan2(y, x) - 0.000003 * np.cos(x * _X_PI)
    gx, gy = z * np.cos(theta), z * np.sin(theta)
    for _ in range(_MAX_ITER):
        fx, fy = gcj02_to_bd09(gx, gy)
        ex, ey = np.asarray(fx) - bx, np.asarray(fy) - by
        gx, gy = gx - ex, gy - ey
        if np.all(np.abs(ex) < _TOL) and np.all(np.abs(ey) < _TOL):
            break
    return _out(lon, lat, gx, gy)


def wgs84_to_bd09(lon: Any, lat: Any) -> tuple[Any, Any]:
    return gcj02_to_bd09(*wgs84_to_gcj02(lon, lat))


def bd09_to_wgs84(lon: Any, lat: Any) -> tuple[Any, Any]:
    return gcj02_to_wgs84(*bd09_to_gcj02(lon, lat))


# --- by name -----------------------------------------------------------------------------


def _identity(lon: Any, lat: Any) -> tuple[Any, Any]:
    x, y = _arrays(lon, lat)
    return _out(lon, lat, x.copy(), y.copy())


_TO_WGS84: dict[str, Callable[[Any, Any], tuple[Any, Any]]] = {
    "wgs84": _identity,
    "cgcs2000": _identity,
    "gcj02": gcj02_to_wgs84,
    "bd09": bd09_to_wgs84,
}
_FROM_WGS84: dict[str, Callable[[Any, Any], tuple[Any, Any]]] = {
    "wgs84": _identity,
    "cgcs2000": _identity,
    "gcj02": wgs84_to_gcj02,
    "bd09": wgs84_to_bd09,
}


def to_wgs84(lon: Any, lat: Any, crs: str) -> tuple[Any, Any]:
    """(lon, lat) given in ``crs`` (one of :data:`SUPPORTED_CRS`) → WGS84."""
    return _TO_WGS84[normalize_crs(crs)](lon, lat)


def from_wgs84(lon: Any, lat: Any, crs: str) -> tuple[Any, Any]:
    """WGS84 → ``crs``: for display copies over GCJ-02/BD-09 tiles, never for stored data."""
    return _FROM_WGS84[normalize_crs(crs)](lon, lat)


def transform_geometry(geom: Any, func: Callable[[Any, Any], tuple[Any, Any]]) -> Any:
    """``geom`` (any shapely geometry) with every vertex passed through ``func(lon, lat)``,
    e.g. ``transform_geometry(polygon, gcj02_to_wgs84)``. Z values are kept unchanged."""
    import shapely

    def _apply(coords: np.ndarray) -> np.ndarray:
        out = np.array(coords, dtype=float, copy=True)
        if len(out):
            out[:, 0], out[:, 1] = func(out[:, 0], out[:, 1])
        return out

    return shapely.transform(geom, _apply, include_z=None)


def geometry_to_wgs84(geom: Any, crs: str) -> Any:
    """``geom`` given in ``crs`` → WGS84 (every vertex)."""
    return transform_geometry(geom, _TO_WGS84[normalize_crs(crs)])
