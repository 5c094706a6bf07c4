"""Upstream of a section, read off the bundled river network — checked by hand for six sections.

How the expected lists were checked (data/geo/rivers.geojson, reaches.geojson, sections.geojson):

* 黄河 flows south along 运城's western border, turns east at 风陵渡 and leaves past 垣曲
  (``OUTLETS``). 龙门 (35.63°N) is its uppermost section in the area: nothing of ours above it but
  the 黄河 itself. 汾河 ends on the 黄河 at 110.677°E 35.533°N (庙前村, 万荣), below 龙门 and above
  风陵渡 (34.63°N); 涑水河 ends on it at 110.298°E 34.801°N, also above 风陵渡; 亳清河 ends on it at
  111.887°E 35.076°N, east of 风陵渡, i.e. *below* it. So 风陵渡大桥 has upstream 黄河, 汾河 with 浍河
  (浍河 ends on 汾河 at 111.20°E 35.60°N, 新绛), 涑水河 with 姚暹渠 — and not 亳清河.
* 庙前村 is at 汾河's mouth, 河津 upstream of it on 汾河 (110.74°E vs 110.68°E, 汾河 flowing west):
  庙前村 has upstream 汾河 and 浍河 and the section 河津; 河津 has 汾河 and 浍河 but not 庙前村.
* 姚暹渠 ends on 涑水河 at 110.459°E 34.878°N, south-west of 张留庄 (110.473°E 34.891°N) — downstream
  of it, 涑水河 flowing south-west: 张留庄 has only 涑水河 upstream.
* 沁河 flows south: 张峰水库出口 (35.73°N), 润城 (35.48°N), 拴驴泉 (35.21°N). 拴驴泉 has the other two
  upstream; 张峰水库出口 has none. 丹河 joins 沁河 in 河南 (outside the layer): not upstream of 拴驴泉.
* 牛村 and 赵庄 (丹河) were placed at the same point: neither is said to be above the other.
"""

from __future__ import annotations

import pandas as pd
import pytest
from shapely.geometry import Point

from geodata import upstream as up
from geodata.status import DONE


@pytest.fixture(scope="module")
def layers(tmp_path_factory):
    import os

    from geodata.store import open_store

    os.environ.pop("ENVMAP_DATABASE_URL", None)
    store = open_store(tmp_path_factory.mktemp("upstream") / "envmap.gpkg")
    found = {name: store.read_layer(name) for name in ("rivers", "reaches", "admin_units", "towns", "no_coal_zone_areas")}
    found["sections"] = store.read_table("sections")
    found["enterprises"] = store.read_table("enterprises")
    found["tasks"] = store.read_table("tasks")
    found["store"] = store
    yield found
    store.close()


@pytest.fixture(scope="module")
def system(layers):
    return up.RiverSystem(layers["rivers"])


def upstream(layers, system, section_id: str) -> up.Upstream:
    return up.upstream_of(section_id, layers["sections"], layers["rivers"], layers["reaches"], layers["admin_units"], system)


def test_rivers_flow_into_the_rivers_their_mouths_lie_on(system):
    joins = {river: into for river, (into, _) in system.receiver.items()}
    assert joins == {"汾河": "黄河", "涑水河": "黄河", "亳清河": "黄河", "浍河": "汾河", "姚暹渠": "涑水河",
                     "浊漳西源": "浊漳南源", "浊漳南源": "浊漳河", "浊漳北源": "浊漳河"}


@pytest.mark.parametrize("section, rivers, sections", [
    ("运城市:风陵渡大桥", {"黄河", "汾河", "浍河", "涑水河", "姚暹渠"}, {"运城市:龙门", "运城市:河津", "运城市:庙前村", "运城市:张留庄"}),
    ("运城市:庙前村", {"汾河", "浍河"}, {"运城市:河津"}),
    ("运城市:河津", {"汾河", "浍河"}, set()),
    ("运城市:龙门", {"黄河"}, set()),
    ("运城市:张留庄", {"涑水河"}, set()),
    ("晋城市:拴驴泉", {"沁河"}, {"晋城市:张峰水库出口", "晋城市:润城"}),
    ("晋城市:张峰水库出口", {"沁河"}, set()),
])
def test_upstream_rivers_and_sections_checked_by_hand(layers, system, section, rivers, sections):
    found = upstream(layers, system, section)
    assert found.on_network
    assert set(found.river_names) == rivers
    placed = found.sections[found.sections["relation"] == "same_river"]["id"].tolist() if len(found.sections) else []
    on_tributaries = found.sections[found.sections["relation"] == "tributary"] if len(found.sections) else found.sections
    assert set(placed) | (set(on_tributaries["id"]) & sections) == sections
    # sections the plans put on an upstream tributary but whose county is unknown are upstream by their river
    assert set(up.mapped_river(r) for r in on_tributaries.get("river", [])) <= rivers - {found.river}


def test_a_tributary_joining_below_is_not_upstream(layers, system):
    assert "亳清河" not in upstream(layers, system, "运城市:风陵渡大桥").river_names
    assert "姚暹渠" not in upstream(layers, system, "运城市:张留庄").river_names


def test_the_upstream_lines_end_at_the_section(layers, system):
    found = upstream(layers, system, "运城市:河津")
    fen = found.lines[found.lines["river"] == "汾河"].union_all()
    section = layers["sections"].set_index("id").loc["运城市:河津"]
    assert fen.distance(Point(float(section["lon"]), float(section["lat"]))) < 1e-6
    mouth = layers["sections"].set_index("id").loc["运城市:庙前村"]  # below 河津: not in its upstream
    assert fen.distance(Point(float(mouth["lon"]), float(mouth["lat"]))) > 0.02


def test_reaches_upstream_are_those_of_the_sections_above(layers, system):
    found = upstream(layers, system, "晋城市:拴驴泉")
    assert set(found.reaches["governing_section_name"]) == {"张峰水库出口", "润城", "拴驴泉"}
    below = found.reaches[found.reaches["governing_section_name"] == "拴驴泉"]
    assert float(below["upstream_km"].iloc[0]) == pytest.approx(58.7, abs=1.0)


def test_sections_at_the_same_point_are_listed_apart(layers, system):
    found = upstream(layers, system, "晋城市:牛村")
    assert found.colocated == ["晋城市:赵庄"]
    assert found.sections.empty


def test_a_section_not_on_a_river_gets_a_reason(layers, system):
    found = upstream(layers, system, "晋城市:汇源水库出口")  # placed at 陵川县's representative point
    assert not found.on_network and found.reason == "not_on_river"
    assert upstream(layers, system, "no:such").reason == "unknown_section"


def test_the_catchment_covers_the_counties_the_rivers_cross(layers, system):
    found = upstream(layers, system, "运城市:张留庄")
    assert {"闻喜县", "盐湖区", "永济市"} <= set(found.counties)
    assert "河津市" not in found.counties and "陵川县" not in found.counties
    assert found.catchment.contains(found.lines.union_all().interpolate(0.5, normalized=True).buffer(0.001))


def test_records_in_the_catchment_by_their_precision(layers, system):
    found = upstream(layers, system, "运城市:张留庄")
    inside = found.lines.union_all().interpolate(0.3, normalized=True)
    records = pd.DataFrame([
        {"id": "a", "name": "近河的企业", "lon": inside.x, "lat": inside.y, "precision": "town", "county": "盐湖区"},
        {"id": "b", "name": "县代表点的企业", "lon": 111.0, "lat": 35.1, "precision": "county", "county": "盐湖区"},
        {"id": "c", "name": "远处的企业", "lon": 110.7, "lat": 35.6, "precision": "exact", "county": "河津市"},
        {"id": "d", "name": "未定位", "lon": None, "lat": None, "precision": "none", "county": ""},
    ])
    located = up.locate_records(found, records).set_index("id")["relation"].to_dict()
    assert located == {"a": up.IN_CATCHMENT, "b": up.IN_COUNTY}


def test_open_tasks_upstream_name_what_is_upstream(layers, system):
    import datetime as dt

    from geodata import views

    tasks = views.tasks_view(layers["tasks"], layers["store"].task_events(), as_of=dt.date(2023, 12, 31))
    found = upstream(layers, system, "运城市:张留庄")
    listed = up.tasks_in(found, tasks, towns=layers["towns"])
    assert len(listed)
    assert not listed["status"].isin(DONE).any()
    named = listed[listed["relation"] == up.IN_CATCHMENT]
    assert named["why"].str.startswith(("river:", "section:", "town:", "enterprise:")).all()
    assert any("涑水河" in str(c) for c in named["content"])
    county = listed[listed["relation"] == up.IN_COUNTY]
    assert (county["domain"] == "water").all() and county["area_county"].isin(found.counties).all()


def test_downstream_of_a_point_on_the_fen(layers, system):
    fen = layers["rivers"].set_index("name").loc["汾河"].geometry
    hejin = layers["sections"].set_index("id").loc["运城市:河津"]
    above = Point(float(hejin["lon"]) + 0.3, float(hejin["lat"]))
    on_river = fen.interpolate(fen.project(above))
    river, below = up.downstream_of(on_river.x, on_river.y, system, layers["sections"])
    assert river == "汾河"
    assert below[:2] == ["运城市:河津", "运城市:庙前村"]
    assert "运城市:风陵渡大桥" in below  # then the 黄河 below the 汾河's mouth
    assert "运城市:龙门" not in below
