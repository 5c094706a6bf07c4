"""Writing a table as CSV, Excel or GeoJSON, with the stable column names of ``geodata.model``."""

from __future__ import annotations

import io
from typing import IO

import pandas as pd

from geodata.model import POINT_TABLES, TABLES


def to_csv(frame: pd.DataFrame, out: IO[str]) -> None:
    """UTF-8 CSV (the caller picks the encoding of ``out``), header = model column names."""
    frame.to_csv(out, index=False, lineterminator="\n")


def to_xlsx(frame: pd.DataFrame, table: str) -> bytes:
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        frame.to_excel(writer, sheet_name=table[:31], index=False)
    return buf.getvalue()


def to_geojson(frame: pd.DataFrame, table: str) -> dict:
    """A FeatureCollection (WGS84). Rows without coordinates get ``"geometry": null``."""
    has_xy = table in POINT_TABLES or {"lon", "lat"} <= set(frame.columns)
    features = []
    for record in frame.to_dict(orient="records"):
        geometry = None
        if has_xy and record.get("lon") not in ("", None) and record.get("lat") not in ("", None):
            geometry = {"type": "Point", "coordinates": [float(record["lon"]), float(record["lat"])]}
        props = {k: v for k, v in record.items() if k not in ("lon", "lat")}
        features.append({"type": "Feature", "geometry": geometry, "properties": props})
    return {"type": "FeatureCollection", "name": table, "crs_note": "WGS84 (EPSG:4326)",
            "columns": [c.name for c in TABLES[table]], "features": features}
