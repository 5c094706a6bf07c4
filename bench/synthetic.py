"""A synthetic store at ~50× the bundled data (all of Shanxi): ~2,000 sections, 10,000
enterprises, 30,000 tasks, placed inside the bundled counties. For benchmarks only."""

from __future__ import annotations

import random

import pandas as pd

from geodata.model import TABLES, column_names
from geodata.plans.extract import Extraction


def synthetic_extraction(store, factor: int = 50, seed: int = 7) -> tuple[Extraction, list[dict]]:  # noqa: ANN001
    rng = random.Random(seed)
    doc_id = "synthetic-50x"
    counties = store.read_layer("admin_units")
    counties = counties[counties["level"] == "county"]
    tables: dict[str, list[dict]] = {name: [] for name in TABLES}
    tables["documents"] = [{"id": doc_id, "title": "基准测试合成数据（非真实）", "jurisdiction": "运城市", "source_file": "synthetic", "source_line": 1}]
    locations: list[dict] = []

    def point_in(county_row) -> tuple[float, float]:  # noqa: ANN001
        minx, miny, maxx, maxy = county_row.geometry.bounds
        while True:
            x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
            from shapely.geometry import Point

            if county_row.geometry.contains(Point(x, y)):
                return round(x, 5), round(y, 5)

    base_sections = store.read_table("sections")
    base_targets = store.read_table("section_targets")
    county_rows = list(counties.itertuples())
    for k in range(len(base_sections) * factor):
        src = base_sections.iloc[k % len(base_sections)].to_dict()
        c = county_rows[k % len(county_rows)]
        sid = f"合成:{src['name']}{k}"
        tables["sections"].append({**src, "id": sid, "name": f"{src['name']}{k}", "county": c.name, "city": c.city, "document_id": doc_id})
        lon, lat = point_in(c)
        locations.append({"layer": "sections", "record_id": sid, "lon": lon, "lat": lat, "precision": "exact", "method": "synthetic"})
        for t in base_targets[base_targets["section_id"] == src["id"]].to_dict("records"):
            tables["section_targets"].append({**t, "section_id": sid, "section_name": f"{src['name']}{k}", "document_id": doc_id})
    base_tasks = store.read_table("tasks")
    for k in range(30_000):
        src = base_tasks.iloc[k % len(base_tasks)].to_dict()
        tables["tasks"].append({**src, "id": f"合成/{k}", "document_id": doc_id})
    base_ent = store.read_table("enterprises")
    for k in range(10_000):
        src = base_ent.iloc[k % len(base_ent)].to_dict()
        c = county_rows[k % len(county_rows)]
        eid = f"合成/E{k}"
        tables["enterprises"].append({**src, "id": eid, "name": f"{src['name']}{k}", "county": c.name, "document_id": doc_id})
        lon, lat = point_in(c)
        locations.append({"layer": "enterprises", "record_id": eid, "lon": lon, "lat": lat, "precision": "exact", "method": "synthetic"})
    for name in TABLES:
        cols = column_names(name)
        tables[name] = [{c: row.get(c, "") for c in cols} for row in tables[name]]
    return Extraction(document=tables["documents"][0], tables=tables), locations


def build_synthetic_store(store) -> dict[str, int]:  # noqa: ANN001
    extraction, locations = synthetic_extraction(store)
    store.replace_document(extraction)
    store.set_locations(locations)
    return {name: len(rows) for name, rows in extraction.tables.items()} | {"locations": len(locations)}


if __name__ == "__main__":  # pragma: no cover
    import sys

    from geodata.store import open_store

    print(build_synthetic_store(open_store(sys.argv[1])))
    print(pd.Timestamp.now())
