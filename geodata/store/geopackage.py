"""The default store: one GeoPackage file (OGC GeoPackage 1.4, an SQLite database).

Tables are GeoPackage *attributes* tables registered in ``gpkg_contents``, so QGIS and
GDAL open the file and list them; the point layers get their geometry columns from the
geodata issue. Writes run in one SQLite transaction (``BEGIN IMMEDIATE`` … ``COMMIT``):
an import lands whole or not at all.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from geodata.errors import MeasurementConflict, StoreError, UnknownTable
from geodata.model import POINT_TABLES, TABLES, column_names

_GPKG_APPLICATION_ID = 0x47504B47  # "GPKG"
_GPKG_USER_VERSION = 10400

_SQL_TYPES = {"text": "TEXT", "integer": "INTEGER", "real": "REAL", "date": "DATE", "boolean": "BOOLEAN"}

# Tables whose records describe one real-world thing named by several documents: reading
# them merges the documents' rows by id, keeping each field's first non-empty value.
MERGED_BY_ID = ("sections", "groundwater_points")


class _DryRun(Exception):
    """Raised inside a write transaction to roll it back after a dry run."""


# The monitoring results table (one row per site, date, time and item); see README “measurements”.
MEASUREMENT_COLUMNS = ("site_type", "site_id", "date", "time", "period", "item", "value", "below_detection",
                       "detection_source", "unit", "raw_value", "status", "method", "waterbody", "reported_class",
                       "station_state", "is_sample", "source_file", "source_row")
_MEASUREMENTS_DDL = """CREATE TABLE IF NOT EXISTS measurements (fid INTEGER PRIMARY KEY AUTOINCREMENT,
    site_type TEXT NOT NULL, site_id TEXT NOT NULL, date DATE NOT NULL, time TEXT NOT NULL DEFAULT '',
    period TEXT NOT NULL, item TEXT NOT NULL, value REAL, below_detection INTEGER NOT NULL DEFAULT 0,
    detection_source TEXT NOT NULL DEFAULT '', unit TEXT, raw_value TEXT, status TEXT NOT NULL DEFAULT 'ok',
    method TEXT NOT NULL DEFAULT 'manual', waterbody TEXT NOT NULL DEFAULT '', reported_class TEXT NOT NULL DEFAULT '',
    station_state TEXT NOT NULL DEFAULT '', is_sample INTEGER NOT NULL DEFAULT 0, source_file TEXT NOT NULL,
    source_row INTEGER, imported_at TEXT NOT NULL, UNIQUE (site_type, site_id, date, time, item))"""


def _ensure_measurements(c: sqlite3.Connection) -> None:
    """Create ``measurements``, or rebuild one made by an earlier version (no ``time`` column)."""
    have = {r[1] for r in c.execute('PRAGMA table_info("measurements")')}
    if have and "time" not in have:
        c.execute("ALTER TABLE measurements RENAME TO measurements_v1")
        c.execute(_MEASUREMENTS_DDL)
        old = [col for col in ("site_type", "site_id", "date", "period", "item", "value", "below_detection", "unit",
                               "status", "is_sample", "source_file", "source_row", "imported_at") if col in have]
        c.execute(f"INSERT INTO measurements ({', '.join(old)}) SELECT {', '.join(old)} FROM measurements_v1")
        c.execute("DROP TABLE measurements_v1")
    else:
        c.execute(_MEASUREMENTS_DDL)
    c.execute("CREATE INDEX IF NOT EXISTS measurements_site ON measurements (site_type, site_id, period)")
    c.execute("CREATE INDEX IF NOT EXISTS measurements_file ON measurements (source_file)")
    c.execute(
        "INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, description)"
        " VALUES ('measurements', 'attributes', 'measurements', 'envmap monitoring results')"
    )


def _insert_sections(c: sqlite3.Connection, sites: list[dict[str, object]]) -> int:
    """Add sections named by a monitoring file (ids already present are left alone)."""
    cols = column_names("sections")
    present = {r[0] for r in c.execute('SELECT id FROM "sections"')}
    fresh = [s for s in sites if s.get("id") not in present]
    quoted = ",".join(f'"{x}"' for x in cols)
    c.executemany(f'INSERT INTO "sections" ({quoted}) VALUES ({",".join("?" for _ in cols)})',
                  [tuple(_sql_value(s.get(col)) for col in cols) for s in fresh])
    return len(fresh)



class GeoPackageStore:
    """A :class:`geodata.store.base.Store` in one GeoPackage file."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"无法打开数据库 {self.path}（{exc}）。请检查 ENVMAP_DB 指向的目录是否可写。") from exc
        self._conn.execute("PRAGMA foreign_keys = ON")
        self._ensure_schema()

    # -- schema -----------------------------------------------------------------------
    def _ensure_schema(self) -> None:
        c = self._conn
        c.execute("BEGIN IMMEDIATE")
        try:
            c.execute(f"PRAGMA application_id = {_GPKG_APPLICATION_ID}")
            c.execute(f"PRAGMA user_version = {_GPKG_USER_VERSION}")
            c.execute(
                """CREATE TABLE IF NOT EXISTS gpkg_spatial_ref_sys (
                srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
                organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT)"""
            )
            c.executemany(
                "INSERT OR IGNORE INTO gpkg_spatial_ref_sys VALUES (?,?,?,?,?,?)",
                [
                    ("WGS 84 geodetic", 4326, "EPSG", 4326,
                     'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],'
                     'PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]]', "longitude/latitude WGS84"),
                    ("Undefined cartesian SRS", -1, "NONE", -1, "undefined", "undefined cartesian"),
                    ("Undefined geographic SRS", 0, "NONE", 0, "undefined", "undefined geographic"),
                ],
            )
            c.execute(
                """CREATE TABLE IF NOT EXISTS gpkg_contents (
                table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
                description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
                min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER)"""
            )
            c.execute("CREATE TABLE IF NOT EXISTS envmap_meta (key TEXT PRIMARY KEY, value TEXT)")
            c.execute(
                """CREATE TABLE IF NOT EXISTS locations (layer TEXT NOT NULL, record_id TEXT NOT NULL,
                lon REAL, lat REAL, precision TEXT NOT NULL, method TEXT NOT NULL, source TEXT,
                source_row INTEGER, crs TEXT, updated_at TEXT, PRIMARY KEY (layer, record_id))"""
            )
            c.execute("INSERT OR IGNORE INTO envmap_meta VALUES ('data_version', '0')")
            c.execute(
                """CREATE TABLE IF NOT EXISTS task_updates (fid INTEGER PRIMARY KEY AUTOINCREMENT,
                task_id TEXT NOT NULL, status TEXT NOT NULL, note TEXT, reported_by TEXT,
                reported_on DATE NOT NULL, recorded_at TEXT NOT NULL, source TEXT)"""
            )
            c.execute("CREATE INDEX IF NOT EXISTS task_updates_task ON task_updates (task_id)")
            _ensure_measurements(c)
            for name, cols in TABLES.items():
                defs = ", ".join(f'"{col.name}" {_SQL_TYPES[col.type]}' for col in cols)
                c.execute(f'CREATE TABLE IF NOT EXISTS "{name}" (fid INTEGER PRIMARY KEY AUTOINCREMENT, {defs})')
                have = {r[1] for r in c.execute(f'PRAGMA table_info("{name}")')}
                for col in cols:  # a store made by an earlier version gains the new columns
                    if col.name not in have:
                        c.execute(f'ALTER TABLE "{name}" ADD COLUMN "{col.name}" {_SQL_TYPES[col.type]}')
                key = "id" if name == "documents" else "document_id"
                c.execute(f'CREATE INDEX IF NOT EXISTS "{name}_{key}" ON "{name}" ("{key}")')
                c.execute(
                    "INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, description) VALUES (?,?,?,?)",
                    (name, "attributes", name, f"envmap {name}"),
                )
            c.execute("COMMIT")
        except sqlite3.Error as exc:
            c.execute("ROLLBACK")
            raise StoreError(f"数据库 {self.path} 结构无法建立（{exc}）。该文件可能不是 envmap 的 GeoPackage。") from exc

    # -- writes -----------------------------------------------------------------------
    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; it bumps the data version (caches refresh) or rolls back whole."""
        c = self._conn
        c.execute("BEGIN IMMEDIATE")
        try:
            yield c
            c.execute("UPDATE envmap_meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'data_version'")
            c.execute("COMMIT")
        except BaseException:
            c.execute("ROLLBACK")
            raise

    def replace_document(self, extraction) -> dict[str, int]:  # noqa: ANN001 - Extraction
        doc_id = str(extraction.document["id"])
        written: dict[str, int] = {}
        with self._write() as c:
            for name in TABLES:
                key = "id" if name == "documents" else "document_id"
                c.execute(f'DELETE FROM "{name}" WHERE "{key}" = ?', (doc_id,))
                rows = extraction.tables.get(name, [])
                cols = column_names(name)
                if rows:
                    placeholders = ",".join("?" for _ in cols)
                    quoted = ",".join(f'"{x}"' for x in cols)
                    c.executemany(
                        f'INSERT INTO "{name}" ({quoted}) VALUES ({placeholders})',
                        [tuple(_sql_value(row.get(col)) for col in cols) for row in rows],
                    )
                written[name] = len(rows)
            now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
            c.execute("UPDATE gpkg_contents SET last_change = ?", (now,))
        return written

    def set_locations(self, updates: list[dict[str, object]], *, built: bool = False) -> int:
        """Store point locations (one transaction).

        ``updates`` rows have layer, record_id, lon, lat, precision, method, source,
        source_row, crs. With ``built=True`` they are the bundled placements: they replace
        earlier built placements but never a location a user imported.
        """
        now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        with self._write() as c:
            if built:
                c.execute("DELETE FROM locations WHERE method != 'imported'")
            for u in updates:
                if built:
                    exists = c.execute(
                        "SELECT 1 FROM locations WHERE layer = ? AND record_id = ?", (u["layer"], u["record_id"])
                    ).fetchone()
                    if exists:
                        continue
                c.execute(
                    "INSERT OR REPLACE INTO locations VALUES (?,?,?,?,?,?,?,?,?,?)",
                    (u["layer"], u["record_id"], u.get("lon"), u.get("lat"), u["precision"], u["method"],
                     u.get("source", ""), u.get("source_row"), u.get("crs", "wgs84"), now),
                )
        return len(updates)

    def add_task_update(
        self, task_id: str, status: str, *, reported_on: dt.date, note: str = "", reported_by: str = "", source: str = "ui"
    ) -> None:
        """Append a progress report (the history is never rewritten)."""
        from geodata.status import LABELS_ZH, REPORTED_STATUSES

        if status not in REPORTED_STATUSES:
            allowed = "、".join(f"{s}（{LABELS_ZH[s]}）" for s in REPORTED_STATUSES)
            raise StoreError(f"无法记录状态“{status}”：只能报告 {allowed}；逾期等状态由截止日期自动计算。")
        known = self._conn.execute('SELECT 1 FROM "tasks" WHERE id = ? LIMIT 1', (task_id,)).fetchone()
        if not known:
            raise StoreError(f"没有编号为“{task_id}”的任务。请从任务台账复制任务编号。")
        now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        with self._write() as c:
            c.execute(
                "INSERT INTO task_updates (task_id, status, note, reported_by, reported_on, recorded_at, source)"
                " VALUES (?,?,?,?,?,?,?)",
                (task_id, status, note, reported_by, reported_on.isoformat(), now, source),
            )

    MEASUREMENT_COLUMNS = MEASUREMENT_COLUMNS

    def write_measurements(self, frame: pd.DataFrame, *, replace_file: str | None = None, replace_keys: bool = False,
                           replace_samples: bool = False, new_sites: list[dict[str, object]] | None = None,
                           dry_run: bool = False) -> dict[str, object]:
        """Write monitoring results (and the new sections they name) in one transaction.

        Rows an earlier import of ``replace_file`` wrote are replaced; sample values
        (``is_sample``) for the same site and month give way to real ones. A (site, date, time,
        item) already held by *another* file is a conflict: with ``replace_keys``
        (``import-monitoring --replace``) that file's value is deleted first and named in the
        result, otherwise nothing is written and :class:`MeasurementConflict` lists the conflicts.
        ``replace_samples`` first deletes every sample value (a fresh set of samples).
        ``new_sites`` are rows of ``sections`` to add (ids already present are left alone).
        ``dry_run`` does all of it inside the transaction and rolls back: the result is exactly
        what the import would do. Returns ``written``, ``replaced_same_file``, ``replaced_other``
        (a list of dicts: source_file, site_id, first, last, values), ``samples_replaced`` and
        ``new_sites``. Database errors become :class:`StoreError` with a Chinese message.
        """
        now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        cols = MEASUREMENT_COLUMNS
        rows = _measurement_rows(frame, now)
        result: dict[str, object] = {"written": len(rows), "replaced_same_file": 0, "replaced_other": [],
                                     "samples_replaced": 0, "new_sites": 0}
        try:
            with self._write() as c:
                c.execute("DROP TABLE IF EXISTS temp._new_keys")
                c.execute("CREATE TEMP TABLE _new_keys (site_type TEXT, site_id TEXT, date TEXT, time TEXT, item TEXT,"
                          " source_row INTEGER)")
                index = {name: k for k, name in enumerate(cols)}
                c.executemany("INSERT INTO temp._new_keys VALUES (?,?,?,?,?,?)", [
                    (r[index["site_type"]], r[index["site_id"]], r[index["date"]], r[index["time"]] or "",
                     r[index["item"]], r[index["source_row"]]) for r in rows])
                if replace_samples:
                    c.execute("DELETE FROM measurements WHERE is_sample = 1")
                if replace_file:
                    result["replaced_same_file"] = c.execute(
                        "DELETE FROM measurements WHERE source_file = ? AND is_sample = 0", (replace_file,)).rowcount
                clash = """FROM measurements m JOIN temp._new_keys k ON m.site_type = k.site_type AND m.site_id = k.site_id
                           AND m.date = k.date AND m.time = k.time AND m.item = k.item WHERE m.is_sample = 0"""
                held = c.execute(f"SELECT m.source_file, m.site_id, MIN(m.date), MAX(m.date), COUNT(*) {clash}"
                                 " GROUP BY m.source_file, m.site_id ORDER BY m.source_file, m.site_id").fetchall()
                if held and not replace_keys:
                    examples = c.execute(f"SELECT k.source_row, m.source_file, m.site_id, m.date, m.time, m.item {clash}"
                                         " ORDER BY k.source_row LIMIT 200").fetchall()
                    raise MeasurementConflict(held, examples)
                if held:
                    result["replaced_other"] = [
                        {"source_file": f, "site_id": sid, "first": first, "last": last, "values": n}
                        for f, sid, first, last, n in held
                    ]
                    c.execute("""DELETE FROM measurements WHERE is_sample = 0 AND (site_type, site_id, date, time, item) IN
                                 (SELECT site_type, site_id, date, time, item FROM temp._new_keys)""")
                if rows and not rows[0][index["is_sample"]]:
                    # real results for a site and month replace that month's sample values
                    keys = sorted({(r[index["site_type"]], r[index["site_id"]], r[index["period"]]) for r in rows})
                    before = c.total_changes
                    c.executemany(
                        "DELETE FROM measurements WHERE is_sample = 1 AND site_type = ? AND site_id = ? AND period = ?", keys)
                    result["samples_replaced"] = c.total_changes - before
                if new_sites:
                    result["new_sites"] = _insert_sections(c, new_sites)
                c.executemany(
                    f"INSERT INTO measurements ({', '.join(cols)}, imported_at) VALUES ({', '.join('?' for _ in range(len(cols) + 1))})",
                    rows,
                )
                c.execute("DROP TABLE IF EXISTS temp._new_keys")
                if dry_run:
                    raise _DryRun
        except _DryRun:
            self._conn.execute("DROP TABLE IF EXISTS temp._new_keys")
            return result
        except MeasurementConflict:
            self._conn.execute("DROP TABLE IF EXISTS temp._new_keys")
            raise
        except sqlite3.IntegrityError as exc:
            self._conn.execute("DROP TABLE IF EXISTS temp._new_keys")
            if "UNIQUE" in str(exc):
                raise StoreError(
                    "监测数据未写入（数据库未作任何修改）：同一点位、同一时间的同一项目出现了两次。"
                    "请检查文件中是否有重复行，或使用 --replace 以本文件为准。"
                ) from exc
            raise StoreError("监测数据未写入（数据库未作任何修改）：有记录缺少点位、日期或项目。请检查文件后重试。") from exc
        except sqlite3.Error as exc:
            self._conn.execute("DROP TABLE IF EXISTS temp._new_keys")
            raise StoreError(f"监测数据未写入（数据库未作任何修改）：数据库无法写入（{type(exc).__name__}）。"
                             "请检查磁盘空间和文件权限后重试。") from exc
        return result

    def read_measurements(self, columns: list[str] | None = None, **filters: str) -> pd.DataFrame:
        """Stored monitoring results (``MEASUREMENT_COLUMNS`` plus fid and imported_at, or ``columns``),
        filtered by equality."""
        unknown = [k for k in filters if k not in MEASUREMENT_COLUMNS]
        if unknown:
            raise StoreError(f"measurements 没有列：{'、'.join(unknown)}。可用的列：{'、'.join(MEASUREMENT_COLUMNS)}")
        wanted = list(columns) if columns else ["fid", *MEASUREMENT_COLUMNS, "imported_at"]
        bad = [c for c in wanted if c not in ("fid", "imported_at", *MEASUREMENT_COLUMNS)]
        if bad:
            raise StoreError(f"measurements 没有列：{'、'.join(bad)}。")
        sql = f"SELECT {', '.join(wanted)} FROM measurements"
        if filters:
            sql += " WHERE " + " AND ".join(f'"{k}" = ?' for k in filters)
        cursor = self._conn.execute(sql + " ORDER BY site_type, site_id, date, time, item", list(filters.values()))
        frame = pd.DataFrame.from_records(cursor.fetchall(), columns=wanted)
        if "source_row" in frame:
            frame["source_row"] = pd.array(frame["source_row"], dtype="Int64")
        if "value" in frame:
            frame["value"] = pd.to_numeric(frame["value"], errors="coerce")
        return frame

    def delete_samples(self) -> int:
        with self._write() as c:
            n = c.execute("DELETE FROM measurements WHERE is_sample = 1").rowcount
        return n

    def task_updates(self, task_id: str | None = None) -> pd.DataFrame:
        sql = "SELECT * FROM task_updates" + (" WHERE task_id = ?" if task_id else "") + " ORDER BY reported_on, fid"
        return pd.read_sql_query(sql, self._conn, params=[task_id] if task_id else [])

    def locations(self, layer: str | None = None) -> pd.DataFrame:
        sql = "SELECT * FROM locations" + (" WHERE layer = ?" if layer else "") + " ORDER BY layer, record_id"
        return pd.read_sql_query(sql, self._conn, params=[layer] if layer else [])

    # -- reads ------------------------------------------------------------------------
    def read_table(self, name: str, **filters: str) -> pd.DataFrame:
        if name not in TABLES:
            raise UnknownTable(name, list(TABLES))
        cols = column_names(name)
        quoted = ",".join(f'"{x}"' for x in cols)
        sql = f'SELECT {quoted} FROM "{name}"'
        params: list[str] = []
        if filters:
            unknown = [k for k in filters if k not in cols]
            if unknown:
                raise StoreError(f"表 {name} 没有列：{'、'.join(unknown)}。可用的列：{'、'.join(cols)}")
            sql += " WHERE " + " AND ".join(f'"{k}" = ?' for k in filters)
            params = [str(v) for v in filters.values()]
        sql += " ORDER BY fid"
        frame = pd.read_sql_query(sql, self._conn, params=params)
        frame = frame.astype(object).where(frame.notna(), "")
        if name in MERGED_BY_ID and not frame.empty:
            frame = _merge_by_id(frame)
        if name in POINT_TABLES and not frame.empty:
            frame = self._with_locations(name, frame)
        return frame.reset_index(drop=True)

    def _with_locations(self, name: str, frame: pd.DataFrame) -> pd.DataFrame:
        located = self.locations(name).set_index("record_id")
        if located.empty:
            return frame
        frame = frame.copy()
        hit = frame["id"].isin(located.index)
        ids = frame.loc[hit, "id"]
        for col in ("lon", "lat", "precision"):
            frame.loc[hit, col] = located.loc[ids, col].to_numpy()
        frame.loc[hit, "location_method"] = located.loc[ids, "method"].to_numpy()
        return frame

    def document_ids(self) -> list[str]:
        return [r[0] for r in self._conn.execute('SELECT id FROM "documents" ORDER BY fid')]

    def meta(self, key: str) -> str:
        row = self._conn.execute("SELECT value FROM envmap_meta WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else ""

    def set_meta(self, key: str, value: str) -> None:
        self._conn.execute("INSERT OR REPLACE INTO envmap_meta VALUES (?, ?)", (key, value))

    def data_version(self) -> int:
        row = self._conn.execute("SELECT value FROM envmap_meta WHERE key = 'data_version'").fetchone()
        return int(row[0]) if row else 0

    def close(self) -> None:
        self._conn.close()

    # -- feature layers ---------------------------------------------------------------
    def write_layer(self, name: str, frame, geometry_type: str = "GEOMETRY") -> int:  # noqa: ANN001
        """Replace feature layer ``name`` with GeoDataFrame ``frame`` (EPSG:4326), in one transaction."""
        if frame.crs is not None and frame.crs.to_epsg() != 4326:
            raise StoreError(f"图层 {name} 不是 WGS84（EPSG:4326），不能写入。")
        attrs = [c for c in frame.columns if c != frame.geometry.name]
        with self._write() as c:
            c.execute(f'DROP TABLE IF EXISTS "{name}"')
            defs = ", ".join(f'"{a}" {"REAL" if str(frame[a].dtype).startswith(("float", "int")) else "TEXT"}' for a in attrs)
            c.execute(f'CREATE TABLE "{name}" (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom BLOB{", " + defs if defs else ""})')
            c.execute("DELETE FROM gpkg_contents WHERE table_name = ?", (name,))
            c.execute(
                """CREATE TABLE IF NOT EXISTS gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL,
                geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
                CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name))"""
            )
            c.execute("DELETE FROM gpkg_geometry_columns WHERE table_name = ?", (name,))
            minx, miny, maxx, maxy = (frame.total_bounds.tolist() if len(frame) else [None] * 4)
            c.execute(
                "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, min_x, min_y, max_x, max_y, srs_id)"
                " VALUES (?,?,?,?,?,?,?,?,4326)",
                (name, "features", name, f"envmap layer {name}", minx, miny, maxx, maxy),
            )
            c.execute("INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', ?, 4326, 0, 0)", (name, geometry_type))
            cols = ["geom", *attrs]
            quoted = ",".join(f'"{x}"' for x in cols)
            rows = []
            for geom, values in zip(frame.geometry, frame[attrs].itertuples(index=False), strict=True):
                geom = None if geom is None or (isinstance(geom, float)) else geom
                rows.append((encode_geometry(geom), *[_sql_value(None if _isna(v) else v) for v in values]))
            c.executemany(f'INSERT INTO "{name}" ({quoted}) VALUES ({",".join("?" for _ in cols)})', rows)
        return len(frame)


    def read_layer(self, name: str):  # noqa: ANN202
        """Feature layer ``name`` as a GeoDataFrame in EPSG:4326 (empty when the layer is missing)."""
        import geopandas as gpd

        exists = self._conn.execute(
            "SELECT 1 FROM gpkg_contents WHERE table_name = ? AND data_type = 'features'", (name,)
        ).fetchone()
        if not exists:
            return gpd.GeoDataFrame({"geometry": []}, geometry="geometry", crs="EPSG:4326")
        frame = pd.read_sql_query(f'SELECT * FROM "{name}" ORDER BY fid', self._conn)
        geoms = [decode_geometry(b) for b in frame.pop("geom")]
        frame = frame.drop(columns=["fid"])
        return gpd.GeoDataFrame(frame, geometry=geoms, crs="EPSG:4326")


    def layer_names(self) -> list[str]:
        return [r[0] for r in self._conn.execute("SELECT table_name FROM gpkg_contents WHERE data_type = 'features' ORDER BY table_name")]


_MEASUREMENT_DEFAULTS = {"time": "", "method": "manual", "waterbody": "", "reported_class": "", "station_state": "",
                         "detection_source": "", "status": "ok", "below_detection": 0, "is_sample": 0}


def _measurement_rows(frame: pd.DataFrame, now: str) -> list[tuple[object, ...]]:
    """The rows to insert, column by column (fast for a million values): defaults for blanks."""
    columns = []
    for col in MEASUREMENT_COLUMNS:
        series = frame[col] if col in frame else pd.Series([None] * len(frame), index=frame.index, dtype=object)
        values = series.astype(object).where(series.notna(), None).tolist()
        if col in _MEASUREMENT_DEFAULTS:
            default = _MEASUREMENT_DEFAULTS[col]
            values = [default if v is None or v == "" else v for v in values]
        elif col in ("value", "source_row"):
            values = [None if v is None else (float(v) if col == "value" else int(v)) for v in values]
        else:
            values = [None if v is None or v == "" else v for v in values]
        if col in ("below_detection", "is_sample"):
            values = [int(v) for v in values]
        if col == "date":
            values = [v.isoformat()[:10] if hasattr(v, "isoformat") else v for v in values]
        columns.append(values)
    columns.append([now] * len(frame))
    return list(zip(*columns, strict=True))


def _sql_value(value: object) -> object:
    if value is None:
        return None
    if isinstance(value, (dt.date, dt.datetime)):  # pandas Timestamps too
        return value.isoformat()[:10] if not getattr(value, "hour", 0) and not getattr(value, "minute", 0) else value.isoformat()
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, str) and value == "":
        return None
    return value


def _merge_by_id(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per id: each column's first non-empty value in document order."""
    cleaned = frame.replace("", pd.NA)
    merged = cleaned.groupby("id", sort=False, as_index=False).first()
    return merged[frame.columns].astype(object).where(merged[frame.columns].notna(), "")


# -- feature layers (GeoPackage "features" tables) -------------------------------------------

def encode_geometry(geom) -> bytes | None:  # noqa: ANN001 - shapely geometry
    """A shapely geometry as a GeoPackage binary blob (little-endian, xy envelope, SRS 4326)."""
    import struct

    import shapely

    if geom is None:
        return None
    empty = geom.is_empty
    flags = 0b00000001 | ((0 if empty else 1) << 1) | ((1 if empty else 0) << 4)
    header = b"GP" + bytes([0, flags]) + struct.pack("<i", 4326)
    if not empty:
        minx, miny, maxx, maxy = geom.bounds
        header += struct.pack("<4d", minx, maxx, miny, maxy)
    return header + shapely.to_wkb(geom, byte_order=1)


def decode_geometry(blob: bytes | None):  # noqa: ANN201
    """The shapely geometry of a GeoPackage binary blob."""
    import shapely

    if blob is None:
        return None
    flags = blob[3]
    envelope = (flags >> 1) & 0b111
    size = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}[envelope]
    return shapely.from_wkb(bytes(blob[8 + size :]))


def _isna(value: object) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


