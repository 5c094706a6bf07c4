"""Loading the bundled map layers (``data/geo/*.geojson``) into the store.

Line and polygon layers become GeoPackage feature tables; the placements of point records
(sections, groundwater points, drinking-water sources, enterprises) become *built*
locations, which never override a location a user imported (``envmap import-geo``).
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd

from geodata.model import POINT_TABLES

# file stem in data/geo -> feature table in the store
FEATURE_LAYERS = {
    "admin_units": "admin_units",
    "china_counties": "china_counties",
    "china_cities": "china_cities",
    "rivers": "rivers",
    "yellow_river_surface": "yellow_river_surface",
    "towns": "towns",
    "reaches": "reaches",
    "no_coal_zones": "no_coal_zone_areas",
}


def load_bundled_geo(store, directory: Path) -> dict[str, int]:  # noqa: ANN001 - Store
    """Write every bundled layer found in ``directory`` into ``store``; returns counts."""
    counts: dict[str, int] = {}
    for stem, table in FEATURE_LAYERS.items():
        path = directory / f"{stem}.geojson"
        if path.exists():
            frame = gpd.read_file(path)
            frame = frame.set_crs("EPSG:4326", allow_override=True)
            counts[table] = store.write_layer(table, frame)
    updates: list[dict[str, object]] = []
    for layer in POINT_TABLES:
        path = directory / f"{layer}.geojson"
        if not path.exists():
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        for feature in data.get("features", []):
            props = feature.get("properties") or {}
            geom = feature.get("geometry")
            if not geom or not props.get("id"):
                continue
            lon, lat = geom["coordinates"][:2]
            updates.append(
                {
                    "layer": layer, "record_id": props["id"], "lon": lon, "lat": lat,
                    "precision": props.get("precision", ""), "method": props.get("method", "") or "built",
                    "source": f"data/geo/{layer}.geojson", "source_row": None, "crs": "wgs84",
                }
            )
        counts[layer] = len([u for u in updates if u["layer"] == layer])
    store.set_locations(updates, built=True)
    return counts


def layer_metadata(directory: Path) -> dict[str, dict]:
    """The ``metadata`` member (source, licence, precision) of every bundled layer file."""
    out: dict[str, dict] = {}
    for path in sorted(directory.glob("*.geojson")):
        with path.open(encoding="utf-8") as fh:
            head = fh.read(20000)
        start = head.find('"metadata":')
        if start < 0:
            continue
        decoder = json.JSONDecoder()
        meta, _ = decoder.raw_decode(head[start + len('"metadata":'):])
        out[path.stem] = meta
    return out
