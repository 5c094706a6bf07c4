"""Writing a table or a map layer as CSV, Excel or GeoJSON, with the stable column names of
``geodata.model``.

Tables without geometry export as CSV/Excel only; point tables and the bundled layers also as
GeoJSON (WGS84). A line or polygon layer's CSV carries its geometry as WKT (``geometry_wkt``);
an Excel cell cannot hold it (32 767 characters at most), so its xlsx has the attributes only.

Spreadsheets (CSV and xlsx, from the command line and from the dashboard's downloads) neutralise
every text cell that a spreadsheet would read as a formula — starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return — by putting ``'`` before it (:func:`neutralise_formulas`):
a note typed as ``=HYPERLINK(…)`` or ``=cmd|…`` stays text.
"""

from __future__ import annotations

import io
import math
from typing import IO, Any

import pandas as pd
import shapely
from shapely.geometry import mapping

from geodata.model import LAYERS, POINT_TABLES, TABLES

EXCEL_CELL_LIMIT = 32767
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def defuse(value: object) -> object:
    """A text cell that a spreadsheet would run as a formula, made text (``'=…``); other values as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every formula-like text cell (and column name) made text: what spreadsheets get."""
    out = frame.map(defuse)
    out.columns = [defuse(c) if isinstance(c, str) else c for c in out.columns]
    return out


def has_geometry(table: str) -> bool:
    """Whether ``table`` can be exported as GeoJSON (a point table or a bundled layer)."""
    return table in POINT_TABLES or table in LAYERS


def geometry_tables() -> list[str]:
    return [*POINT_TABLES, *LAYERS]


def to_csv(frame: pd.DataFrame, out: IO[str]) -> None:
    """UTF-8 CSV (the caller picks the encoding of ``out``), header = model column names, formulas neutralised."""
    neutralise_formulas(frame).to_csv(out, index=False, lineterminator="\n")


def to_xlsx(frame: pd.DataFrame, table: str) -> bytes:
    """An .xlsx of ``frame`` (one sheet named ``table``), formulas neutralised."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        neutralise_formulas(frame).to_excel(writer, sheet_name=table[:31], index=False)
    return buf.getvalue()


def layer_table(layer, *, for_excel: bool = False) -> tuple[pd.DataFrame, bool]:  # noqa: ANN001 - GeoDataFrame
    """A bundled layer as a plain table: attributes, plus ``lon``/``lat`` for points or
    ``geometry_wkt`` for lines and polygons. Returns (table, whether geometry was left out)."""
    geometry = layer.geometry
    frame = pd.DataFrame(layer.drop(columns=[geometry.name]))
    kinds = {g.geom_type for g in geometry if g is not None}
    if kinds <= {"Point"}:
        frame["lon"] = [g.x if g is not None else None for g in geometry]
        frame["lat"] = [g.y if g is not None else None for g in geometry]
        return frame, False
    wkt = [None if g is None else shapely.to_wkt(g, rounding_precision=-1) for g in geometry]
    if for_excel and any(w is not None and len(w) > EXCEL_CELL_LIMIT for w in wkt):
        return frame, True
    frame["geometry_wkt"] = wkt
    return frame, False


def export_frame(store, table: str, *, for_excel: bool = False) -> tuple[pd.DataFrame, bool]:  # noqa: ANN001 - Store
    """What ``envmap export TABLE`` writes as CSV or Excel: (the rows, whether geometry was left out).

    A table of ``geodata.model``, a bundled layer, or ``measurements`` (sample values labelled
    示例数据（非实测）), ``evaluations`` (monthly classes), ``task_events`` (the supervision history;
    demo events labelled 示例数据（非实测）).
    """
    if table == "measurements":
        from geodata.quality.evaluations import SAMPLE_NOTE

        frame = store.read_measurements().drop(columns=["fid"])
        frame["data_note"] = frame["is_sample"].map(lambda v: SAMPLE_NOTE if int(v) else "")
        return frame, False
    if table == "evaluations":
        from geodata.quality.evaluations import section_evaluations

        return section_evaluations(store, "month"), False
    if table == "task_events":
        from geodata.quality.evaluations import SAMPLE_NOTE

        frame = store.task_events()
        frame["data_note"] = frame["is_sample"].map(lambda v: SAMPLE_NOTE if int(v) else "")
        return frame, False
    if table in LAYERS:
        return layer_table(store.read_layer(table), for_excel=for_excel)
    return store.read_table(table), False


def to_geojson(layer, table: str) -> dict[str, Any]:  # noqa: ANN001 - GeoDataFrame in EPSG:4326
    """A FeatureCollection (WGS84). Records without a location get ``"geometry": null``."""
    geometry = layer.geometry
    drop = {geometry.name} | ({"lon", "lat"} if table in POINT_TABLES else set())
    columns = [c for c in layer.columns if c not in drop]
    features = []
    for geom, record in zip(geometry, layer[columns].to_dict(orient="records"), strict=True):
        props = {k: _json_value(v) for k, v in record.items()}
        features.append({"type": "Feature", "geometry": None if geom is None or geom.is_empty else mapping(geom),
                         "properties": props})
    declared = [c.name for c in TABLES[table]] if table in TABLES else [c.name for c in LAYERS[table].columns]
    return {"type": "FeatureCollection", "name": table, "crs_note": "WGS84 (EPSG:4326)", "columns": declared,
            "features": features}


def _json_value(value: object) -> object:
    if value is None:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is pd.NA:
        return None
    return value


BULLETIN_HEADERS = ("rank", "unit", "jurisdiction", "tasks", "late", "late_unreported", "unreported_in_period",
                    "supervised", "pending_close", "closed")


def bulletin_table(frame: pd.DataFrame, days: int) -> pd.DataFrame:
    """A :func:`geodata.views.bulletin` with the headers a leader reads (in the current language)."""
    from geodata.i18n import t

    names = {c: t(f"bulletin_col_{c}", days=days) for c in BULLETIN_HEADERS}
    return frame.reindex(columns=list(BULLETIN_HEADERS)).rename(columns=names)


def bulletin_frame(store, as_of, *, days: int = 7, area=None) -> pd.DataFrame:  # noqa: ANN001 - Store, date, Area
    """What ``envmap bulletin`` writes: the 通报 of ``area`` as of ``as_of`` (every plan), headers translated."""
    from geodata import views
    from geodata.areas import EVERYWHERE

    area = area or EVERYWHERE
    tasks = views.tasks_view(store.read_table("tasks"), store.task_events(), as_of=as_of, area=area)
    return bulletin_table(views.bulletin(tasks, as_of, days=days, area=area), days)
