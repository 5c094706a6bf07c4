"""Coordinate conversions: GCJ-02 and BD-09 to and from WGS84 at Shanxi points."""

from __future__ import annotations

import math

import numpy as np
import pytest
from shapely.geometry import LineString, Point, Polygon

from geodata.errors import EnvmapError
from geodata.geo import crs
from geodata.geo.crs import (
    SUPPORTED_CRS,
    UnknownCRS,
    bd09_to_gcj02,
    bd09_to_wgs84,
    from_wgs84,
    gcj02_to_bd09,
    gcj02_to_wgs84,
    geometry_to_wgs84,
    normalize_crs,
    to_wgs84,
    transform_geometry,
    wgs84_to_bd09,
    wgs84_to_gcj02,
)

SHANXI_POINTS = {"运城": (111.0, 35.03), "晋城": (112.85, 35.49), "襄垣": (113.05, 36.53)}


def metres(lon1: float, lat1: float, lon2: float, lat2: float) -> tuple[float, float]:
    """(east, north) metres from point 1 to point 2 (local equirectangular approximation)."""
    east = (lon2 - lon1) * 111_320.0 * math.cos(math.radians((lat1 + lat2) / 2))
    north = (lat2 - lat1) * 110_574.0
    return east, north


@pytest.mark.parametrize("place", SHANXI_POINTS)
def test_gcj02_round_trip_is_under_half_a_metre(place):
    lon, lat = SHANXI_POINTS[place]
    back = gcj02_to_wgs84(*wgs84_to_gcj02(lon, lat))
    assert math.hypot(*metres(lon, lat, *back)) < 0.5


@pytest.mark.parametrize("place", SHANXI_POINTS)
def test_gcj02_inverse_then_forward_is_exact(place):
    # a GCJ-02 coordinate (as read off Amap) → WGS84 → GCJ-02 again
    g = SHANXI_POINTS[place]
    again = wgs84_to_gcj02(*gcj02_to_wgs84(*g))
    assert math.hypot(*metres(*g, *again)) < 0.01


def test_gcj02_shift_in_yuncheng_has_the_known_magnitude():
    lon, lat = SHANXI_POINTS["运城"]
    east, north = metres(lon, lat, *wgs84_to_gcj02(lon, lat))
    assert 400 < east < 700
    assert abs(north) < 200


def test_gcj02_shift_is_eastward_everywhere_in_shanxi():
    for lon, lat in SHANXI_POINTS.values():
        east, north = metres(lon, lat, *wgs84_to_gcj02(lon, lat))
        assert 400 < east < 700 and abs(north) < 200


def test_no_shift_outside_china():
    assert wgs84_to_gcj02(2.35, 48.85) == (2.35, 48.85)
    assert gcj02_to_wgs84(-74.0, 40.7) == (-74.0, 40.7)
    assert crs.out_of_china(2.35, 48.85) and not crs.out_of_china(111.0, 35.03)


@pytest.mark.parametrize("place", SHANXI_POINTS)
def test_bd09_round_trips(place):
    lon, lat = SHANXI_POINTS[place]
    g = wgs84_to_gcj02(lon, lat)
    b = gcj02_to_bd09(*g)
    assert math.hypot(*metres(*g, *bd09_to_gcj02(*b))) < 0.5
    assert math.hypot(*metres(lon, lat, *bd09_to_wgs84(*wgs84_to_bd09(lon, lat)))) < 0.5
    # BD-09 is a further shift of several hundred metres on top of GCJ-02
    assert 300 < math.hypot(*metres(*g, *b)) < 1500


def test_to_wgs84_by_name():
    lon, lat = SHANXI_POINTS["晋城"]
    assert to_wgs84(lon, lat, "wgs84") == (lon, lat)
    assert to_wgs84(lon, lat, "cgcs2000") == (lon, lat)
    assert to_wgs84(lon, lat, "GCJ-02") == gcj02_to_wgs84(lon, lat)
    assert to_wgs84(lon, lat, "bd09") == bd09_to_wgs84(lon, lat)
    for name in SUPPORTED_CRS:
        back = to_wgs84(*from_wgs84(lon, lat, name), name)
        assert math.hypot(*metres(lon, lat, *back)) < 0.5


def test_scalar_in_scalar_out():
    lon, lat = wgs84_to_gcj02(111.0, 35.03)
    assert type(lon) is float and type(lat) is float


def test_vectorised_matches_scalar():
    lons = np.array([p[0] for p in SHANXI_POINTS.values()] + [2.35])
    lats = np.array([p[1] for p in SHANXI_POINTS.values()] + [48.85])
    for func in (wgs84_to_gcj02, gcj02_to_wgs84, gcj02_to_bd09, bd09_to_gcj02):
        xs, ys = func(lons, lats)
        assert isinstance(xs, np.ndarray) and xs.shape == lons.shape
        for x, y, lon, lat in zip(xs, ys, lons, lats, strict=True):
            assert (x, y) == pytest.approx(func(float(lon), float(lat)), abs=1e-12)
    gx, gy = gcj02_to_wgs84(lons, lats)
    assert (gx[-1], gy[-1]) == (2.35, 48.85)  # outside China untouched, even in a batch


def test_transform_geometry_moves_every_vertex():
    poly = Polygon([(111.0, 35.0), (111.1, 35.0), (111.1, 35.1), (111.0, 35.0)])
    shifted = transform_geometry(poly, wgs84_to_gcj02)
    for (x, y), (sx, sy) in zip(poly.exterior.coords, shifted.exterior.coords, strict=True):
        assert (sx, sy) == pytest.approx(wgs84_to_gcj02(x, y))
    back = geometry_to_wgs84(shifted, "gcj02")
    assert back.equals_exact(poly, tolerance=1e-8)
    line = geometry_to_wgs84(LineString([(111.0, 35.0), (112.0, 36.0)]), "cgcs2000")
    assert list(line.coords) == [(111.0, 35.0), (112.0, 36.0)]
    point3d = transform_geometry(Point(111.0, 35.0, 420.0), wgs84_to_gcj02)
    assert point3d.has_z and point3d.z == 420.0


def test_unknown_crs_message_lists_the_supported_names():
    with pytest.raises(UnknownCRS) as info:
        to_wgs84(111.0, 35.0, "北京54")
    message = str(info.value)
    assert "不支持的坐标系“北京54”" in message
    for name in SUPPORTED_CRS:
        assert name in message
    assert isinstance(info.value, EnvmapError)


def test_crs_name_aliases():
    assert normalize_crs(" WGS84 ") == "wgs84"
    assert normalize_crs("EPSG:4490") == "cgcs2000"
    assert normalize_crs("gcj_02") == "gcj02"
    assert normalize_crs("BD-09") == "bd09"
    with pytest.raises(UnknownCRS):
        normalize_crs("epsg:3857")
