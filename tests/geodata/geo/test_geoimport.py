"""Importing user point locations: every format, matching, conversion, and every refusal."""

from __future__ import annotations

import json
import math
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import LineString, MultiPoint, Point, Polygon

from geodata.errors import ImportRejected, UnknownTable
from geodata.geo.crs import wgs84_to_bd09, wgs84_to_gcj02
from geodata.geo.geoimport import LocationUpdate, read_locations

RECORDS = pd.DataFrame(
    {
        "id": ["S1", "S2", "S3", "S4", "S5", "S6", "S7"],
        "name": ["张留庄", "伍姓湖出口", "上游桥", "上游桥", "河津大桥", "大禹渡", "涑水河桥"],
        "county": ["盐湖区", "永济市", "闻喜县", "绛县", "河津市", "芮城县", "闻喜县"],
    }
)
# WGS84 points inside Shanxi
P1 = (111.012345, 35.031234)
P2 = (110.451234, 34.912345)
P5 = (110.712345, 35.601234)


def metres(lon1: float, lat1: float, lon2: float, lat2: float) -> tuple[float, float]:
    east = (lon2 - lon1) * 111_320.0 * math.cos(math.radians((lat1 + lat2) / 2))
    return east, (lat2 - lat1) * 110_574.0


def write_csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def write_geojson(path: Path, features: list[tuple[dict, object]]) -> Path:
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": props,
                "geometry": None
                if geom is None
                else json.loads(gpd.GeoSeries([geom]).to_json())["features"][0]["geometry"],
            }
            for props, geom in features
        ],
    }
    path.write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")
    return path


def zipped_shapefile(
    tmp_path: Path, frame: gpd.GeoDataFrame, *, encoding: str = "GBK", keep_cpg: bool = True
) -> Path:
    folder = tmp_path / "shp"
    folder.mkdir()
    frame.to_file(folder / "点位.shp", encoding=encoding)
    if not keep_cpg:
        (folder / "点位.cpg").unlink()
    out = tmp_path / "点位.zip"
    with zipfile.ZipFile(out, "w") as archive:
        for part in folder.iterdir():
            archive.write(part, f"data/{part.name}")
    return out


def rejected(path: Path, layer: str = "sections", crs: str = "wgs84", **kwargs) -> ImportRejected:
    with pytest.raises(ImportRejected) as info:
        read_locations(path, layer, crs, RECORDS, **kwargs)
    return info.value


def problems(error: ImportRejected) -> list[tuple[int | None, str]]:
    return [(p.line, p.message) for p in error.problems]


# --- successful imports ------------------------------------------------------------------


def test_geojson_matched_by_name(tmp_path):
    path = write_geojson(
        tmp_path / "sections.geojson",
        [({"断面名称": " 张留庄 "}, Point(*P1)), ({"断面名称": "伍姓湖 出口"}, Point(*P2))],
    )
    updates = read_locations(path, "sections", "wgs84", RECORDS)
    assert updates == [
        LocationUpdate(
            "sections", "S1", "张留庄", P1[0], P1[1], "exact", "imported", "wgs84", "sections.geojson", 1
        ),
        LocationUpdate(
            "sections", "S2", "伍姓湖出口", P2[0], P2[1], "exact", "imported", "wgs84", "sections.geojson", 2
        ),
    ]


def test_geojson_by_id_with_single_point_multipoint_and_rounding(tmp_path):
    path = write_geojson(
        tmp_path / "pts.json",
        [
            ({"id": "S3", "name": "anything"}, MultiPoint([(111.21234567, 35.41234567)])),
            ({"id": "S4"}, Point(111.6, 35.5)),
        ],
    )
    updates = read_locations(path, "sections", "cgcs2000", RECORDS)
    assert [(u.record_id, u.name, u.lon, u.lat, u.crs) for u in updates] == [
        ("S3", "上游桥", 111.212346, 35.412346, "cgcs2000"),
        ("S4", "上游桥", 111.6, 35.5, "cgcs2000"),
    ]


@pytest.mark.parametrize("keep_cpg", [True, False], ids=["with-cpg", "detected"])
def test_zipped_shapefile_with_gbk_attributes(tmp_path, keep_cpg):
    frame = gpd.GeoDataFrame(
        {"名称": ["河津大桥", "上游桥"], "县": ["河津市", "绛县"]},
        geometry=[Point(*P5), Point(111.5, 35.45)],
        crs="EPSG:4490",
    )
    path = zipped_shapefile(tmp_path, frame, keep_cpg=keep_cpg)
    updates = read_locations(path, "sections", "cgcs2000", RECORDS)
    # the shared name 上游桥 is told apart by the county column
    assert [(u.record_id, u.name, u.lon, u.lat, u.source_row) for u in updates] == [
        ("S5", "河津大桥", P5[0], P5[1], 1),
        ("S4", "上游桥", 111.5, 35.45, 2),
    ]
    assert updates[0].source_file == "点位.zip"


def test_zipped_shapefile_with_utf8_attributes(tmp_path):
    frame = gpd.GeoDataFrame({"name": ["张留庄"]}, geometry=[Point(*P1)], crs="EPSG:4326")
    path = zipped_shapefile(tmp_path, frame, encoding="UTF-8", keep_cpg=False)
    assert [u.record_id for u in read_locations(path, "sections", "wgs84", RECORDS)] == ["S1"]


def test_geopackage_layer_named_like_the_target(tmp_path):
    path = tmp_path / "locations.gpkg"
    other = gpd.GeoDataFrame({"名称": ["不相干"]}, geometry=[Point(112.0, 36.0)], crs="EPSG:4326")
    wanted = gpd.GeoDataFrame(
        {"名称": ["张留庄", "河津大桥"]}, geometry=[Point(*P1), Point(*P5)], crs="EPSG:4326"
    )
    other.to_file(path, layer="roads")
    wanted.to_file(path, layer="sections")
    updates = read_locations(path, "sections", "wgs84", RECORDS)
    assert [(u.record_id, u.lon, u.lat) for u in updates] == [("S1", *P1), ("S5", *P5)]


def test_geopackage_first_layer_otherwise(tmp_path):
    path = tmp_path / "locations.gpkg"
    gpd.GeoDataFrame({"name": ["张留庄"]}, geometry=[Point(*P1)], crs="EPSG:4490").to_file(path, layer="mine")
    gpd.GeoDataFrame({"name": ["河津大桥"]}, geometry=[Point(*P5)], crs="EPSG:4490").to_file(
        path, layer="more"
    )
    assert [u.record_id for u in read_locations(path, "sections", "wgs84", RECORDS)] == ["S1"]


def test_utf8_csv_in_gcj02_moves_about_550_m_west(tmp_path):
    path = write_csv(
        tmp_path / "amap.csv", f"name,lng,lat\n张留庄,{P1[0]},{P1[1]}\n河津大桥,{P5[0]},{P5[1]}\n"
    )
    updates = read_locations(path, "sections", "gcj02", RECORDS)
    assert [(u.record_id, u.source_row, u.crs) for u in updates] == [("S1", 2, "gcj02"), ("S5", 3, "gcj02")]
    for update, (lon, lat) in zip(updates, (P1, P5), strict=True):
        east, north = metres(lon, lat, update.lon, update.lat)
        assert -700 < east < -400 and abs(north) < 200
        # the stored point is what Amap would show at the input coordinates
        assert wgs84_to_gcj02(update.lon, update.lat) == pytest.approx((lon, lat), abs=2e-6)
        assert update.lon == round(update.lon, 6)


def test_gbk_csv_with_chinese_headers_in_bd09(tmp_path):
    blon, blat = wgs84_to_bd09(*P2)
    text = f"序号,断面名称,所在县,经度（BD09）,纬度（BD09）\n1,伍姓湖出口,永济市,{blon:.7f},{blat:.7f}\n"
    path = write_csv(tmp_path / "baidu.csv", text, encoding="gbk")
    (update,) = read_locations(path, "sections", "bd09", RECORDS)
    assert (update.record_id, update.name, update.source_row) == ("S2", "伍姓湖出口", 2)
    assert math.hypot(*metres(*P2, update.lon, update.lat)) < 0.5


def test_csv_with_bom_and_other_layers(tmp_path):
    records = pd.DataFrame({"id": ["E1"], "name": ["山西某焦化有限公司"], "county": ["河津市"]})
    path = write_csv(
        tmp_path / "e.csv", f"\ufeff企业名称,longitude,latitude\n山西某焦化有限公司,{P5[0]},{P5[1]}\n"
    )
    (update,) = read_locations(path, "enterprises", "wgs84", records)
    assert (update.layer, update.record_id, update.precision, update.method) == (
        "enterprises",
        "E1",
        "exact",
        "imported",
    )


def test_bounds_can_be_configured(tmp_path):
    path = write_csv(tmp_path / "p.csv", f"name,lon,lat\n张留庄,{P1[0]},{P1[1]}\n")
    error = rejected(path, bounds=(112.0, 35.0, 113.0, 36.0))
    assert "不在山西省范围内（经度 112–113、纬度 35–36）" in error.problems[0].message


# --- refusals ----------------------------------------------------------------------------


def test_csv_refusals_are_all_listed_with_their_lines(tmp_path):
    text = "\n".join(
        [
            "断面名称,经度,纬度",
            f"张留庄,{P1[0]},{P1[1]}",  # 2: fine
            "伍姓湖出口,34.91,110.45",  # 3: swapped
            "河津大桥,116.4,39.9",  # 4: Beijing: outside the area
            "上游桥,111.5,35.4",  # 5: name of two records, no county column
            "张流庄,111.0,35.0",  # 6: unknown name, close to 张留庄
            "张留庄,111.1,35.1",  # 7: second row for S1
            "大禹渡,abc,34.7",  # 8: not a number
            "涑水河桥,111.2,",  # 9: missing latitude
            ",111.0,35.0",  # 10: no name
            "星星桥,500000,3874592",  # 11: projected metres and unmatched
        ]
    )
    error = rejected(write_csv(tmp_path / "bad.csv", text + "\n"))
    got = problems(error)
    assert [line for line, _ in got] == [3, 4, 5, 6, 7, 8, 9, 10, 11, 11]
    messages = dict(got[:-2])
    assert "经纬度可能写反" in messages[3]
    assert "不在山西省范围内" in messages[4] and "116.4" in messages[4]
    assert "对应多条断面记录" in messages[5] and "S3" in messages[5] and "S4" in messages[5]
    assert "名称“张流庄”在断面表中找不到" in messages[6] and "是否为“张留庄”" in messages[6]
    assert "与第 2 行匹配到同一条断面记录“张留庄”" in messages[7]
    assert "经度“abc”不是数字" in messages[8]
    assert "缺少纬度" in messages[9]
    assert "缺少名称" in messages[10]
    assert "不在山西省范围内" in got[-2][1] and "投影坐标" in got[-2][1]
    assert "星星桥" in got[-1][1]
    text = str(error)
    assert text.startswith("bad.csv 未导入（数据库未作任何修改），共 10 处问题")
    assert "第 3 行：经纬度可能写反" in text
    assert "--crs" in text  # the hint


def test_geometry_refusals(tmp_path):
    path = write_geojson(
        tmp_path / "bad.geojson",
        [
            ({"name": "张留庄"}, Point(*P1)),
            ({"name": "伍姓湖出口"}, Polygon([(110.4, 34.9), (110.5, 34.9), (110.5, 35.0)])),
            ({"name": "河津大桥"}, LineString([(110.7, 35.6), (110.8, 35.7)])),
            ({"id": "S3"}, None),
            ({"id": "S4"}, MultiPoint([(111.5, 35.4), (111.6, 35.5)])),
            ({"id": "S9"}, Point(*P1)),
        ],
    )
    got = problems(rejected(path))
    assert [line for line, _ in got] == [2, 3, 4, 5, 6]
    assert "几何类型为 Polygon；本图层只接受点" in got[0][1]
    assert "几何类型为 LineString" in got[1][1]
    assert "几何为空" in got[2][1]
    assert "MultiPoint）含 2 个点" in got[3][1]
    assert "id“S9”在断面表中不存在" in got[4][1]


def test_swapped_coordinates_in_a_geometry_file(tmp_path):
    path = write_geojson(tmp_path / "swapped.geojson", [({"name": "张留庄"}, Point(P1[1], P1[0]))])
    (problem,) = rejected(path).problems
    assert problem.line == 1 and "经纬度可能写反" in problem.message


def test_projected_shapefile_is_refused(tmp_path):
    frame = gpd.GeoDataFrame({"名称": ["张留庄"]}, geometry=[Point(*P1)], crs="EPSG:4490").to_crs("EPSG:4546")
    error = rejected(zipped_shapefile(tmp_path, frame), crs="cgcs2000")
    (problem,) = error.problems
    assert problem.line is None
    assert "投影坐标系" in problem.message and "EPSG:4546" in problem.message
    assert "CGCS2000" in problem.message


def test_other_geographic_datum_is_refused(tmp_path):
    path = tmp_path / "beijing54.gpkg"
    gpd.GeoDataFrame({"name": ["张留庄"]}, geometry=[Point(*P1)], crs="EPSG:4214").to_file(path)
    (problem,) = rejected(path).problems
    assert "Beijing 1954" in problem.message and "EPSG:4214" in problem.message


def test_unknown_crs_is_refused(tmp_path):
    path = write_csv(tmp_path / "p.csv", f"name,lon,lat\n张留庄,{P1[0]},{P1[1]}\n")
    (problem,) = rejected(path, crs="xian80").problems
    assert "不支持的坐标系“xian80”" in problem.message
    assert all(name in problem.message for name in ("wgs84", "cgcs2000", "gcj02", "bd09"))


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("p.xlsx", b"x", "不支持的文件格式"),
        ("p.shp", b"x", "压缩成 .zip"),
        ("p.zip", b"not a zip", "不是有效的 zip"),
        ("p.csv", "county,lon,lat\n盐湖区,111,35\n".encode(), "找不到用于对应记录的列"),
        ("p.csv", "name,lon\n张留庄,111\n".encode(), "找不到纬度列"),
        ("p.csv", b"", "文件是空的"),
        ("p.csv", b"name,lon,lat\n", "没有数据行"),
        ("p.csv", "name,lon,lat\n张留庄,111,35\n".encode("utf-16"), "无法识别文件编码"),
        ("p.geojson", b"{not json", "无法读取文件"),
    ],
)
def test_unreadable_files_are_refused(tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_bytes(content)
    (problem,) = rejected(path).problems
    assert expected in problem.message


def test_zip_without_a_shapefile_is_refused(tmp_path):
    path = tmp_path / "empty.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "nothing")
    assert "应恰有一个 .shp" in rejected(path).problems[0].message


def test_missing_file_and_unknown_layer(tmp_path):
    assert "文件不存在" in rejected(tmp_path / "nope.csv").problems[0].message
    with pytest.raises(UnknownTable):
        read_locations(tmp_path / "nope.csv", "rivers", "wgs84", RECORDS)
