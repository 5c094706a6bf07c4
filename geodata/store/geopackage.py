"""The default store: one GeoPackage file (OGC GeoPackage 1.3, an SQLite database).

What GIS tools see: every located layer is a *feature table* — the four point tables
(sections, enterprises, groundwater points, drinking-water sources) with a POINT geometry,
precision and method; the bundled layers with POINT, MULTILINESTRING or MULTIPOLYGON — in
EPSG:4326, registered in ``gpkg_geometry_columns``, each with an R-tree spatial index kept right
by the spec's triggers (``geodata.store.gpkg_spec``). The other tables are *attributes* tables.
QGIS, ``ogrinfo`` and GDAL's ``validate_gpkg.py`` open the file as a standard GeoPackage.

How it stays safe with many users: the file is in WAL mode, so readers never wait for a
writer and never take a write lock; each operation borrows its own connection from a small
pool (threads never share one); writes queue on a per-file lock and on SQLite's busy wait,
retrying up to ``ENVMAP_BUSY_TIMEOUT`` seconds (default 30) before giving up with a clear
message, and land whole (``BEGIN IMMEDIATE`` … ``COMMIT``) or not at all. A store opened
read-only, a file that is locked, moved or deleted: writes are refused with a message,
reads are served where the file can still be read.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
import urllib.parse
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry

from geodata import i18n
from geodata.errors import (
    EnvmapError,
    SchemaError,
    StoreBusy,
    StoreConflict,
    StoreError,
    StoreReadOnly,
    StoreUnavailable,
)
from geodata.store import gpkg_spec
from geodata.store.base import StoreStatus, utc_now
from geodata.store.schema import (
    FEATURE_TABLES,
    GEOMETRY_COLUMN,
    META_TABLE,
    SCHEMA_VERSION,
    SRID,
    STORED_TABLES,
    StoredTable,
    column_definitions,
)
from geodata.store.sqlstore import SQLStore, Tx, bump_version, q

_SQL_TYPES = {"text": "TEXT", "integer": "INTEGER", "real": "REAL", "date": "DATE", "boolean": "BOOLEAN",
              "blob": "BLOB"}
_POOL_SIZE = 8

# One lock per file for the writers of this process (they queue instead of spinning on SQLite's
# busy handler); other processes are kept out by SQLite's own lock.
_WRITE_LOCKS: dict[str, threading.Lock] = {}
_WRITE_LOCKS_GUARD = threading.Lock()


def _write_lock(path: Path) -> threading.Lock:
    key = os.path.realpath(path)
    with _WRITE_LOCKS_GUARD:
        return _WRITE_LOCKS.setdefault(key, threading.Lock())


def busy_timeout_default() -> float:
    try:
        return max(0.1, float(os.environ.get("ENVMAP_BUSY_TIMEOUT", "30")))
    except ValueError:
        return 30.0


class GeoPackageTx(Tx):
    pass


class GeoPackageStore(SQLStore):
    """A :class:`geodata.store.base.Store` in one GeoPackage file."""

    backend = "geopackage"

    def __init__(self, path: str | Path, *, read_only: bool | None = None, busy_timeout: float | None = None,
                 upgrade: bool = True) -> None:
        self.path = Path(path).expanduser()
        self.location = str(self.path)
        self.busy_timeout = busy_timeout if busy_timeout is not None else busy_timeout_default()
        env_ro = os.environ.get("ENVMAP_READ_ONLY", "") == "1"
        self.read_only = bool(read_only) if read_only is not None else (env_ro or _not_writable(self.path))
        self._pool: list[sqlite3.Connection] = []
        self._pool_lock = threading.Lock()
        self._lock = _write_lock(self.path)
        self._closed = False
        self._immutable = False
        if not self.path.exists():
            if self.read_only:
                raise StoreUnavailable(i18n.t("store_missing", path=self.path))
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                sqlite3.connect(self.path).close()  # an empty file; the schema follows in one transaction
            except (OSError, sqlite3.Error) as exc:
                raise StoreUnavailable(i18n.t("store_cannot_create", path=self.path, error=exc)) from exc
        self._identity = _identity(self.path)
        self._prepare(upgrade)

    # -- connections ---------------------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        quoted = urllib.parse.quote(str(self.path.resolve()))
        mode = "ro" if self.read_only else "rw"
        uri = f"file:{quoted}?mode={mode}" + ("&immutable=1" if self._immutable else "")
        try:
            conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False,
                                   timeout=min(self.busy_timeout, 5.0))
        except sqlite3.Error as exc:
            raise self._translate(exc) from exc
        gpkg_spec.register_functions(conn)
        return conn

    @contextlib.contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        if self._closed:
            raise StoreError(i18n.t("store_closed"))
        identity = _identity(self.path)
        if identity is None:
            raise StoreUnavailable(i18n.t("store_gone", path=self.path))
        with self._pool_lock:
            if identity != self._identity:  # the file was replaced (restored from a backup …)
                for conn in self._pool:
                    conn.close()
                self._pool.clear()
                self._identity = identity
            conn = self._pool.pop() if self._pool else None
        if conn is None:
            conn = self._connect()
        healthy = True
        try:
            yield conn
        except BaseException as exc:
            healthy = not isinstance(exc, (sqlite3.Error, StoreUnavailable))  # a failing connection is not reused
            raise
        finally:
            if conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
            keep = False
            with self._pool_lock:
                if healthy and not self._closed and len(self._pool) < _POOL_SIZE and identity == self._identity:
                    self._pool.append(conn)
                    keep = True
            if not keep:
                conn.close()

    @contextlib.contextmanager
    def _reading(self) -> Iterator[Tx]:
        """A read snapshot: takes no write lock, never waits for a writer (WAL)."""
        with self._connection() as conn:
            try:
                conn.execute("BEGIN")
                yield GeoPackageTx(conn)
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                raise self._translate(exc) from exc

    @contextlib.contextmanager
    def _writing(self, *, bump: bool = True) -> Iterator[Tx]:
        """One write transaction; it bumps the data version (caches refresh) or rolls back whole."""
        if self.read_only:
            raise StoreReadOnly(i18n.t("store_read_only", path=self.path))
        with self._connection() as conn:
            deadline = time.monotonic() + self.busy_timeout
            if not self._lock.acquire(timeout=self.busy_timeout):
                raise StoreBusy(i18n.t("store_busy", seconds=_seconds(self.busy_timeout)))
            try:
                self._begin_immediate(conn, deadline)
                try:
                    tx = GeoPackageTx(conn)
                    yield tx
                    if bump:
                        bump_version(tx)
                    conn.execute("COMMIT")
                except BaseException as exc:
                    if conn.in_transaction:
                        with contextlib.suppress(sqlite3.Error):
                            conn.execute("ROLLBACK")
                    if isinstance(exc, sqlite3.Error):
                        raise self._translate(exc) from exc
                    raise
            finally:
                self._lock.release()

    def _begin_immediate(self, conn: sqlite3.Connection, deadline: float) -> None:
        """Take the write lock, waiting (SQLite's busy handler, then retries) until ``deadline``."""
        pause = 0.02
        try:
            while True:
                remaining = max(0.0, deadline - time.monotonic())
                conn.execute(f"PRAGMA busy_timeout = {int(min(remaining, 1.0) * 1000)}")
                try:
                    conn.execute("BEGIN IMMEDIATE")
                    return
                except sqlite3.OperationalError as exc:
                    if not _is_busy(exc) or time.monotonic() >= deadline:
                        raise self._translate(exc) from exc
                    time.sleep(min(pause, max(0.0, deadline - time.monotonic())))
                    pause = min(pause * 2, 0.5)
        finally:
            conn.execute(f"PRAGMA busy_timeout = {int(min(self.busy_timeout, 5.0) * 1000)}")

    def _translate(self, exc: sqlite3.Error) -> EnvmapError:
        """A Chinese message for what SQLite reported (no raw SQL error reaches a user)."""
        text = str(exc).lower()
        if isinstance(exc, sqlite3.IntegrityError) and "unique" in text:
            return StoreConflict(i18n.t("store_conflict", error=exc))
        if _is_busy(exc):
            return StoreBusy(i18n.t("store_busy", seconds=_seconds(self.busy_timeout)))
        if "readonly" in text or "read-only" in text:
            return StoreReadOnly(i18n.t("store_read_only", path=self.path))
        if "unable to open" in text or "disk i/o" in text or "no such file" in text:
            if not self.path.exists():
                return StoreUnavailable(i18n.t("store_gone", path=self.path))
            return StoreUnavailable(i18n.t("store_unreadable", path=self.path, error=exc))
        if "full" in text:
            return StoreError(i18n.t("store_disk_full", path=self.path))
        if "not a database" in text or "malformed" in text or "encrypted" in text:
            return SchemaError(i18n.t("store_not_sqlite", path=self.path, error=exc))
        return StoreError(i18n.t("store_failed", path=self.path, error=exc))

    # -- geometry ------------------------------------------------------------------------
    def _geom_in(self) -> str:
        return "?"

    def _geom_out(self) -> str:
        return q(GEOMETRY_COLUMN)

    def _to_db_geometry(self, geom: BaseGeometry | None) -> Any:
        return gpkg_spec.encode(geom, SRID)

    def _from_db_geometries(self, values: Sequence[Any]) -> list[BaseGeometry | None]:
        wkbs = [gpkg_spec.wkb_of(v) for v in values]
        present = [w for w in wkbs if w is not None]
        decoded = iter(shapely.from_wkb(present)) if present else iter(())
        return [next(decoded) if w is not None else None for w in wkbs]

    def _touch_backend(self, tx: Tx, tables: Sequence[str]) -> None:
        now = utc_now(millis=True)
        for name in tables:
            if name in FEATURE_TABLES:
                rtree = q(gpkg_spec.rtree_name(name, GEOMETRY_COLUMN))
                tx.execute(
                    f"UPDATE gpkg_contents SET last_change = ?, min_x = (SELECT min(minx) FROM {rtree}), "
                    f"min_y = (SELECT min(miny) FROM {rtree}), max_x = (SELECT max(maxx) FROM {rtree}), "
                    f"max_y = (SELECT max(maxy) FROM {rtree}) WHERE table_name = ?", (now, name))
            else:
                tx.execute("UPDATE gpkg_contents SET last_change = ? WHERE table_name = ?", (now, name))

    # -- schema --------------------------------------------------------------------------
    def _prepare(self, upgrade: bool) -> None:
        """Create the schema of a new file, or upgrade an older store (writes only when needed)."""
        try:
            version = self._inspect()
        except StoreUnavailable:
            if not (self.read_only and self.path.exists()):
                raise
            self._immutable = True  # a read-only WAL file whose -shm cannot be made: read it as it is
            version = self._inspect()
        if version == SCHEMA_VERSION and (self.read_only or not self._missing_columns()):
            self._use_wal()
            return
        if version > SCHEMA_VERSION:
            raise SchemaError(i18n.t("store_too_new", path=self.path, version=version, known=SCHEMA_VERSION))
        if self.read_only:
            if version == 0:
                raise SchemaError(i18n.t("store_empty_read_only", path=self.path))
            if version < SCHEMA_VERSION:
                raise SchemaError(i18n.t("store_needs_upgrade", path=self.path, version=version, known=SCHEMA_VERSION))
            return
        if 0 < version < SCHEMA_VERSION and not upgrade:
            return  # opened as it is, for `envmap db upgrade` / `envmap db info`
        self.upgrade()
        self._use_wal()

    def _inspect(self) -> int:
        """0 for an empty file, else the schema version; refuses files that are not envmap's."""
        with self._reading() as tx:
            names = {r[0] for r in tx.query("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
            if not names:
                return 0
            if META_TABLE not in names:
                raise SchemaError(i18n.t("store_not_envmap", path=self.path))
            row = tx.one(f"SELECT value FROM {META_TABLE} WHERE key = 'schema_version'")
        return int(row[0]) if row else 1

    def _missing_columns(self) -> dict[str, list[str]]:
        """Declared columns an existing table lacks (a column added to ``geodata.model``)."""
        missing: dict[str, list[str]] = {}
        with self._reading() as tx:
            for name, table in STORED_TABLES.items():
                have = {r[1] for r in tx.query(f"PRAGMA table_info({q(name)})")}
                lacking = [c for c in table.column_names if c not in have]
                if lacking:
                    missing[name] = lacking
        return missing

    def upgrade(self) -> dict[str, object]:
        """Bring the store to ``SCHEMA_VERSION`` in one transaction (a new file gets the whole
        schema); an existing store is first copied to a backup file. Returns what was done."""
        from geodata.store import migrations

        backup: Path | None = None
        with self._writing() as tx:
            version = _version_in(tx)
            if version > SCHEMA_VERSION:
                raise SchemaError(i18n.t("store_too_new", path=self.path, version=version, known=SCHEMA_VERSION))
            if version == 0:
                create_schema(tx)
                steps: list[str] = ["create"]
            else:
                if version < SCHEMA_VERSION:
                    backup = self._backup(version)
                steps = migrations.upgrade_geopackage(tx, version)
                add_missing_columns(tx)
        return {"from": version, "to": SCHEMA_VERSION, "steps": steps, "backup": backup}

    def _backup(self, version: int) -> Path:
        target = self.path.with_name(f"{self.path.stem}.v{version}-backup{self.path.suffix}")
        if target.exists():
            target = self.path.with_name(f"{self.path.stem}.v{version}-backup-{int(time.time())}{self.path.suffix}")
        # a second connection reads the committed state while ``conn`` holds the write lock
        # (SQLite's backup cannot read through a connection that is inside a write transaction)
        source = self._connect()
        dest = sqlite3.connect(target)
        try:
            source.backup(dest)
        finally:
            dest.close()
            source.close()
        return target

    def _use_wal(self) -> None:
        if self.read_only:
            return
        with contextlib.suppress(EnvmapError, sqlite3.Error), self._connection() as conn:
            if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                conn.execute("PRAGMA journal_mode = WAL")

    # -- state ---------------------------------------------------------------------------
    def status(self) -> StoreStatus:
        def state(readable: bool, writable: bool, message: str = "") -> StoreStatus:
            return StoreStatus(self.backend, self.location, readable, writable, message)

        if not self.path.exists():
            return state(False, False, i18n.t("store_gone", path=self.path))
        try:
            self.data_version()
        except EnvmapError as exc:
            return state(False, False, str(exc))
        if self.read_only:
            return state(True, False, i18n.t("store_read_only", path=self.path))
        try:
            with self._connection() as conn:
                conn.execute("PRAGMA busy_timeout = 500")
                try:
                    conn.execute("BEGIN IMMEDIATE")
                    conn.execute("ROLLBACK")
                finally:
                    conn.execute(f"PRAGMA busy_timeout = {int(min(self.busy_timeout, 5.0) * 1000)}")
        except sqlite3.Error as exc:
            if _is_busy(exc):  # a write in progress: writes queue behind it
                return state(True, True, i18n.t("store_writing_now", seconds=_seconds(self.busy_timeout)))
            return state(True, False, str(self._translate(exc)))
        except EnvmapError as exc:
            return state(True, False, str(exc))
        return state(True, True)

    def integrity_check(self) -> str:
        """SQLite's ``PRAGMA integrity_check`` (``ok`` when the file is sound)."""
        with self._reading() as tx:
            return "; ".join(str(r[0]) for r in tx.query("PRAGMA integrity_check"))

    def close(self) -> None:
        with self._pool_lock:
            self._closed = True
            for conn in self._pool:
                conn.close()
            self._pool.clear()


# -- DDL (used by the schema creation and the migrations) ----------------------------------------


def create_schema(tx: Tx) -> None:
    """Every table of the current schema, in a new (empty) file."""
    tx.execute(f"PRAGMA application_id = {gpkg_spec.APPLICATION_ID}")
    tx.execute(f"PRAGMA user_version = {gpkg_spec.USER_VERSION}")
    create_core(tx)
    tx.execute(f"INSERT INTO {META_TABLE} (key, value) VALUES ('data_version', '0')")
    for table in STORED_TABLES.values():
        create_table(tx, table)
    tx.execute(f"INSERT INTO {META_TABLE} (key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))


def create_core(tx: Tx) -> None:
    """The GeoPackage metadata tables, the required spatial reference systems, envmap's meta table."""
    for name, ddl in gpkg_spec.CORE_TABLES.items():
        if not tx.one("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)):
            tx.execute(ddl.format(name=name))
    tx.executemany("INSERT OR IGNORE INTO gpkg_spatial_ref_sys VALUES (?,?,?,?,?,?)", gpkg_spec.SPATIAL_REF_SYS)
    tx.execute(f"CREATE TABLE IF NOT EXISTS {META_TABLE} (key TEXT PRIMARY KEY, value TEXT)")


def table_ddl(table: StoredTable, name: str | None = None) -> str:
    defs = ['"fid" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL']
    if table.geometry:
        defs.append(f"{q(GEOMETRY_COLUMN)} {table.geometry}")
    defs += column_definitions(table, _SQL_TYPES)
    return f"CREATE TABLE {q(name or table.name)} ({', '.join(defs)})"


def create_table(tx: Tx, table: StoredTable) -> None:
    """Create ``table`` with its indexes and register it (a feature table: geometry column,
    R-tree, triggers, extension)."""
    tx.execute(table_ddl(table))
    index_and_register(tx, table)


def index_and_register(tx: Tx, table: StoredTable) -> None:
    """The indexes and the GeoPackage registration of an existing table ``table``."""
    for cols in table.indexes:
        tx.execute(f"CREATE INDEX IF NOT EXISTS {q(table.name + '_' + '_'.join(cols))} ON {q(table.name)} "
                   f"({', '.join(q(c) for c in cols)})")
    register_table(tx, table)


def register_table(tx: Tx, table: StoredTable) -> None:
    name = table.name
    now = utc_now(millis=True)
    tx.execute("DELETE FROM gpkg_contents WHERE table_name = ?", (name,))
    if not table.geometry:
        tx.execute("INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change)"
                   " VALUES (?, 'attributes', ?, ?, ?)", (name, name, table.description, now))
        return
    tx.execute("INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change, srs_id)"
               " VALUES (?, 'features', ?, ?, ?, ?)", (name, name, table.description, now, SRID))
    tx.execute("INSERT INTO gpkg_geometry_columns VALUES (?, ?, ?, ?, 0, 0)", (name, GEOMETRY_COLUMN, table.geometry, SRID))
    tx.execute("INSERT INTO gpkg_extensions VALUES (?, ?, 'gpkg_rtree_index', ?, 'write-only')",
               (name, GEOMETRY_COLUMN, gpkg_spec.RTREE_DEFINITION))
    for ddl in gpkg_spec.rtree_ddl(name, GEOMETRY_COLUMN):
        tx.execute(ddl)
    rtree = q(gpkg_spec.rtree_name(name, GEOMETRY_COLUMN))
    tx.execute(f"INSERT OR REPLACE INTO {rtree} SELECT fid, ST_MinX(geom), ST_MaxX(geom), ST_MinY(geom), ST_MaxY(geom) "
               f"FROM {q(name)} WHERE geom NOT NULL AND NOT ST_IsEmpty(geom)")


def drop_table(tx: Tx, name: str) -> None:
    """Drop a table and everything that registers it (R-tree, triggers, metadata rows)."""
    rtree = gpkg_spec.rtree_name(name, GEOMETRY_COLUMN)
    tx.execute(f"DROP TABLE IF EXISTS {q(rtree)}")
    tx.execute(f"DROP TABLE IF EXISTS {q(name)}")  # its triggers go with it
    for meta in ("gpkg_extensions", "gpkg_geometry_columns", "gpkg_contents"):
        if tx.one("SELECT 1 FROM sqlite_master WHERE name = ?", (meta,)):
            tx.execute(f"DELETE FROM {meta} WHERE table_name = ?", (name,))


def add_missing_columns(tx: Tx) -> list[str]:
    """Columns declared since the table was made (added at the end; existing rows get NULL), and
    tables and layers declared since the store was made (created empty, feature tables registered
    with their R-tree; the next bundle load fills bundled layers such as ``china_counties``)."""
    added = []
    for name, table in STORED_TABLES.items():
        have = {r[1] for r in tx.query(f"PRAGMA table_info({q(name)})")}
        if not have:
            create_table(tx, table)
            added.append(name)
            continue
        for c in table.columns:
            if c.name not in have:
                default = f" DEFAULT {c.default}" if c.default is not None else ""
                not_null = " NOT NULL" if c.not_null and c.default is not None else ""
                tx.execute(f"ALTER TABLE {q(name)} ADD COLUMN {q(c.name)} {_SQL_TYPES[c.type]}{not_null}{default}")
                added.append(f"{name}.{c.name}")
    return added


def _version_in(tx: Tx) -> int:
    if not tx.one("SELECT 1 FROM sqlite_master WHERE name = ?", (META_TABLE,)):
        names = tx.query("SELECT name FROM sqlite_master WHERE type = 'table'")
        if names:
            raise SchemaError(i18n.t("store_not_envmap", path="…"))
        return 0
    row = tx.one(f"SELECT value FROM {META_TABLE} WHERE key = 'schema_version'")
    return int(row[0]) if row else 1


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _not_writable(path: Path) -> bool:
    if path.exists():
        return not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK)
    parent = next((p for p in [path.parent, *path.parent.parents] if p.exists()), None)
    return parent is None or not os.access(parent, os.W_OK)


def _is_busy(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def _seconds(value: float) -> str:
    return f"{value:g}"
