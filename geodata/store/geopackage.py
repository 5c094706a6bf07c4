"""The default store: one GeoPackage file (OGC GeoPackage 1.4, an SQLite database).

Tables are GeoPackage *attributes* tables registered in ``gpkg_contents``, so QGIS and
GDAL open the file and list them; the point layers get their geometry columns from the
geodata issue. Writes run in one SQLite transaction (``BEGIN IMMEDIATE`` … ``COMMIT``):
an import lands whole or not at all.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pandas as pd

from geodata.errors import StoreError, UnknownTable
from geodata.model import TABLES, column_names

_GPKG_APPLICATION_ID = 0x47504B47  # "GPKG"
_GPKG_USER_VERSION = 10400

_SQL_TYPES = {"text": "TEXT", "integer": "INTEGER", "real": "REAL", "date": "DATE", "boolean": "BOOLEAN"}

# Tables whose records describe one real-world thing named by several documents: reading
# them merges the documents' rows by id, keeping each field's first non-empty value.
MERGED_BY_ID = ("sections", "groundwater_points")


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
            c.execute("INSERT OR IGNORE INTO envmap_meta VALUES ('data_version', '0')")
            for name, cols in TABLES.items():
                defs = ", ".join(f'"{col.name}" {_SQL_TYPES[col.type]}' for col in cols)
                c.execute(f'CREATE TABLE IF NOT EXISTS "{name}" (fid INTEGER PRIMARY KEY AUTOINCREMENT, {defs})')
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
    def replace_document(self, extraction) -> dict[str, int]:  # noqa: ANN001 - Extraction
        doc_id = str(extraction.document["id"])
        written: dict[str, int] = {}
        c = self._conn
        c.execute("BEGIN IMMEDIATE")
        try:
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
            c.execute("UPDATE envmap_meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'data_version'")
            c.execute("COMMIT")
        except BaseException:
            c.execute("ROLLBACK")
            raise
        return written

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
        return frame.reset_index(drop=True)

    def document_ids(self) -> list[str]:
        return [r[0] for r in self._conn.execute('SELECT id FROM "documents" ORDER BY fid')]

    def data_version(self) -> int:
        row = self._conn.execute("SELECT value FROM envmap_meta WHERE key = 'data_version'").fetchone()
        return int(row[0]) if row else 0

    def close(self) -> None:
        self._conn.close()


def _sql_value(value: object) -> object:
    if value is None:
        return None
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
