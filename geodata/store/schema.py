"""The tables of a store, declared once for every backend.

Both backends (GeoPackage, PostGIS) create their tables from these declarations, ``envmap db
copy`` moves them, and the migrations bring an older store to them. A table is

* a **document table** (``geodata.model.TABLES``): rows from one plan document, replaced when
  the document is imported again; the four point tables are *feature tables* with a POINT
  geometry and the location columns (``geodata.model.LOCATION_COLUMNS``) instead of lon/lat;
* a **layer** (``geodata.model.LAYERS``): a bundled map layer, a feature table;
* a **store table**: data users add through envmap (monitoring results, progress reports).

Every table has an integer ``fid`` primary key; feature tables have a ``geom`` column in
EPSG:4326. Changing a declaration needs a migration (``geodata.store.migrations``) and a new
``SCHEMA_VERSION``; a column added to ``geodata.model`` is added to existing stores on open.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from geodata.model import LAYERS, LOCATION_COLUMNS, POINT_TABLES, TABLES

# 1: the layout of releases up to ce1109a (attribute tables, a side ``locations`` table,
#    untyped BLOB geometry without a spatial index).
# 2: typed feature tables with R-tree / GiST indexes; locations in the point tables.
# 3: measurements keep the time of a reading, its method, the waterbody it was imported with,
#    the text as written, the source's own class and station state; one row per
#    (site_type, site_id, date, time, item), so sub-daily readings are not duplicates.
# 4: task supervision: ``task_updates`` becomes ``task_events`` (交办 → 督办 → 销号, who and when);
#    accounts (``users``), sign-in log (``sign_ins``), evidence files, the audit log.
SCHEMA_VERSION = 4

GEOMETRY_COLUMN = "geom"
SRID = 4326
LONLAT = ("lon", "lat")  # model columns of point tables that are read from the geometry


@dataclass(frozen=True)
class StoredColumn:
    name: str
    type: str  # text | integer | real | date | boolean | blob
    not_null: bool = False
    default: str | None = None  # an SQL literal both backends accept

    @property
    def default_value(self) -> object:
        """The default as a Python value (``'ok'`` → "ok", ``0`` → 0), None without one.

        A writer puts it in place of a missing value of a NOT NULL column: an explicit NULL
        would not take the SQL default on either backend.
        """
        if self.default is None:
            return None
        if self.default.startswith("'") and self.default.endswith("'"):
            return self.default[1:-1].replace("''", "'")
        return int(self.default) if self.type in ("integer", "boolean") else float(self.default)


@dataclass(frozen=True)
class StoredTable:
    name: str
    kind: str  # "document" | "layer" | "store"
    columns: tuple[StoredColumn, ...]
    description: str
    geometry: str | None = None  # POINT | MULTILINESTRING | MULTIPOLYGON
    unique: tuple[tuple[str, ...], ...] = ()
    indexes: tuple[tuple[str, ...], ...] = field(default_factory=tuple)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> StoredColumn:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


def _document_table(name: str) -> StoredTable:
    cols = [StoredColumn(c.name, c.type) for c in TABLES[name] if not (name in POINT_TABLES and c.name in LONLAT)]
    indexes: list[tuple[str, ...]] = [("id",) if name == "documents" else ("document_id",)]
    if name in POINT_TABLES:
        cols += [StoredColumn(c.name, c.type) for c in LOCATION_COLUMNS]
        indexes.append(("id",))
    return StoredTable(name, "document", tuple(cols), f"envmap {name}",
                       geometry="POINT" if name in POINT_TABLES else None, indexes=tuple(indexes))


MEASUREMENTS = StoredTable(
    "measurements", "store",
    (
        StoredColumn("site_type", "text", not_null=True),
        StoredColumn("site_id", "text", not_null=True),
        StoredColumn("date", "date", not_null=True),
        StoredColumn("time", "text", not_null=True, default="''"),
        StoredColumn("period", "text", not_null=True),
        StoredColumn("item", "text", not_null=True),
        StoredColumn("value", "real"),
        StoredColumn("below_detection", "integer", not_null=True, default="0"),
        StoredColumn("detection_source", "text", not_null=True, default="''"),
        StoredColumn("unit", "text"),
        StoredColumn("raw_value", "text"),
        StoredColumn("status", "text", not_null=True, default="'ok'"),
        StoredColumn("method", "text", not_null=True, default="'manual'"),
        StoredColumn("waterbody", "text", not_null=True, default="''"),
        StoredColumn("reported_class", "text", not_null=True, default="''"),
        StoredColumn("station_state", "text", not_null=True, default="''"),
        StoredColumn("is_sample", "integer", not_null=True, default="0"),
        StoredColumn("source_file", "text", not_null=True),
        StoredColumn("source_row", "integer"),
        StoredColumn("imported_at", "text", not_null=True),
    ),
    "envmap monitoring results",
    unique=(("site_type", "site_id", "date", "time", "item"),),
    indexes=(("source_file",), ("is_sample",), ("site_type", "site_id", "period")),
)
# What a writer of monitoring results supplies (``imported_at`` is set by the store); see README “measurements”.
MEASUREMENT_COLUMNS: tuple[str, ...] = tuple(c for c in MEASUREMENTS.column_names if c != "imported_at")

TASK_EVENTS = StoredTable(
    "task_events", "store",
    (
        StoredColumn("task_id", "text", not_null=True),
        StoredColumn("kind", "text", not_null=True),  # geodata.supervision.KINDS
        StoredColumn("event_date", "date", not_null=True),
        StoredColumn("note", "text"),
        StoredColumn("doc_number", "text"),
        StoredColumn("units", "text"),
        StoredColumn("due_date", "date"),
        StoredColumn("answers", "integer"),
        StoredColumn("actor", "text", not_null=True),
        StoredColumn("actor_role", "text", not_null=True),
        StoredColumn("recorded_at", "text", not_null=True),
        StoredColumn("source", "text", not_null=True, default="'ui'"),
        StoredColumn("is_sample", "integer", not_null=True, default="0"),
    ),
    "envmap task supervision history: 交办, 督办, progress, 申请销号, 销号, 退回 (append-only)",
    indexes=(("task_id",), ("is_sample",)),
)

TASK_EVIDENCE = StoredTable(
    "task_evidence", "store",
    (
        StoredColumn("event_id", "integer", not_null=True),
        StoredColumn("task_id", "text", not_null=True),
        StoredColumn("file_name", "text", not_null=True),
        StoredColumn("media_type", "text", not_null=True),
        StoredColumn("size_bytes", "integer", not_null=True),
        StoredColumn("sha256", "text", not_null=True),
        StoredColumn("content", "blob", not_null=True),
        StoredColumn("is_sample", "integer", not_null=True, default="0"),
    ),
    "envmap evidence files of 申请销号 (kept in the store)",
    indexes=(("event_id",), ("task_id",)),
)

USERS = StoredTable(
    "users", "store",
    (
        StoredColumn("name", "text", not_null=True),
        StoredColumn("role", "text", not_null=True),
        StoredColumn("units", "text"),
        StoredColumn("password_hash", "text", not_null=True),
        StoredColumn("disabled", "integer", not_null=True, default="0"),
        StoredColumn("created_at", "text", not_null=True),
        StoredColumn("created_by", "text", not_null=True),
        StoredColumn("updated_at", "text", not_null=True),
    ),
    "envmap local accounts (argon2 password hashes)",
    unique=(("name",),),
)

SIGN_INS = StoredTable(
    "sign_ins", "store",
    (
        StoredColumn("name", "text", not_null=True),
        StoredColumn("at", "text", not_null=True),
        StoredColumn("outcome", "text", not_null=True),  # ok | wrong_password | unknown_user | disabled | locked
        StoredColumn("client", "text"),
    ),
    "envmap sign-in attempts (for the rate limit and the administrator)",
    indexes=(("name", "at"),),
)

AUDIT_LOG = StoredTable(
    "audit_log", "store",
    (
        StoredColumn("at", "text", not_null=True),
        StoredColumn("actor", "text", not_null=True),
        StoredColumn("action", "text", not_null=True),
        StoredColumn("detail", "text"),
    ),
    "envmap writes other than task events: imports, sample removal, accounts (who, when, what)",
    indexes=(("at",),),
)

DOCUMENT_TEXTS = StoredTable(
    "document_texts", "store",
    (
        StoredColumn("document_id", "text", not_null=True),
        StoredColumn("source_file", "text"),
        StoredColumn("line_count", "integer", not_null=True, default="0"),
        StoredColumn("text", "text", not_null=True, default="''"),
    ),
    "envmap plan texts, numbered as cited by source_line (for reading the original)",
    unique=(("document_id",),),
)

DERIVED_FRAMES = StoredTable(
    "derived_frames", "store",
    (
        StoredColumn("name", "text", not_null=True),
        StoredColumn("inputs", "text", not_null=True),
        StoredColumn("computed_at", "text", not_null=True),
        StoredColumn("content", "blob", not_null=True),
    ),
    "envmap results computed from other tables when they change (section and groundwater evaluations)",
    unique=(("name",),),
)

DOCUMENT_TABLES: dict[str, StoredTable] = {name: _document_table(name) for name in TABLES}
LAYER_TABLES: dict[str, StoredTable] = {
    name: StoredTable(name, "layer", tuple(StoredColumn(c.name, c.type) for c in layer.columns),
                      f"envmap {name}: {layer.doc}", geometry=layer.geometry)
    for name, layer in LAYERS.items()
}
STORE_TABLES: dict[str, StoredTable] = {t.name: t for t in (MEASUREMENTS, TASK_EVENTS, TASK_EVIDENCE, DOCUMENT_TEXTS, DERIVED_FRAMES, USERS,
                                                             SIGN_INS, AUDIT_LOG)}

# Every table of a store, in creation (and copy) order.
STORED_TABLES: dict[str, StoredTable] = {**DOCUMENT_TABLES, **LAYER_TABLES, **STORE_TABLES}
FEATURE_TABLES: tuple[str, ...] = tuple(name for name, t in STORED_TABLES.items() if t.geometry)

META_TABLE = "envmap_meta"  # key/value: data_version, schema_version, bundle fingerprint …


def q(name: str) -> str:
    """A double-quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def column_definitions(table: StoredTable, sql_types: dict[str, str]) -> list[str]:
    """The column clauses and UNIQUE constraints of ``table`` in one backend's types (after ``fid``
    and the geometry column, which each backend declares in its own way)."""
    defs = []
    for c in table.columns:
        spec = f"{q(c.name)} {sql_types[c.type]}"
        if c.not_null:
            spec += " NOT NULL"
        if c.default is not None:
            spec += f" DEFAULT {c.default}"
        defs.append(spec)
    return defs + [f"UNIQUE ({', '.join(q(c) for c in cols)})" for cols in table.unique]
