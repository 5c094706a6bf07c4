"""The server store: PostgreSQL with PostGIS, for several dashboard processes behind a proxy.

Selected by ``ENVMAP_DATABASE_URL=postgresql://user:password@host:5432/db`` (tables go into
the first schema of the connection's ``search_path``, ``public`` unless the URL says
``?options=-csearch_path%3Dname``). The same tables as the GeoPackage
(``geodata.store.schema``): point tables and layers with typed ``geometry(…, 4326)`` columns
and GiST spatial indexes; the same Store methods (``geodata.store.sqlstore``); the same
transactions — every write is one transaction, writers of every process queue on one
advisory lock (``lock_timeout`` = ``ENVMAP_BUSY_TIMEOUT``), readers never wait. The data
version lives in the database, so a write through one process is seen by every other on its
next read. Connections come from a psycopg pool that reconnects when the server returns.

``psycopg`` (3) and ``psycopg-pool`` are imported lazily: ``pip install 'envmap[postgis]'``.
"""

from __future__ import annotations

import contextlib
import os
import urllib.parse
from collections.abc import Iterator, Sequence
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
from geodata.store.base import StoreStatus
from geodata.store.geopackage import busy_timeout_default
from geodata.store.schema import (
    GEOMETRY_COLUMN,
    META_TABLE,
    SCHEMA_VERSION,
    SRID,
    STORED_TABLES,
    StoredTable,
    column_definitions,
)
from geodata.store.sqlstore import SQLStore, Tx, bump_version, q

_PG_TYPES = {"text": "TEXT", "integer": "BIGINT", "real": "DOUBLE PRECISION", "date": "DATE", "boolean": "BOOLEAN",
             "blob": "BYTEA"}
_LOCK_KEY = "SELECT hashtext(current_schema() || ':envmap-writers')"


def _drivers():  # noqa: ANN202
    try:
        import psycopg
        import psycopg_pool
    except ImportError as exc:
        raise StoreError(i18n.t("store_pg_missing_driver")) from exc
    return psycopg, psycopg_pool


def redact(url: str) -> str:
    """``url`` without its password (for messages and ``store.location``)."""
    parts = urllib.parse.urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    user = urllib.parse.quote(parts.username or "")
    return urllib.parse.urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))


class PostGISTx(Tx):
    def sql(self, text: str) -> str:
        return text.replace("%", "%%").replace("?", "%s")

    def executemany(self, text: str, rows) -> None:  # noqa: ANN001
        rows = [tuple(r) for r in rows]
        if rows:
            with self.conn.cursor() as cur:
                cur.executemany(self.sql(text), rows)


class PostGISStore(SQLStore):
    """A :class:`geodata.store.base.Store` in a PostgreSQL/PostGIS database."""

    backend = "postgis"

    def __init__(self, url: str, *, read_only: bool | None = None, busy_timeout: float | None = None,
                 upgrade: bool = True, pool_size: int | None = None) -> None:
        self._psycopg, pool_mod = _drivers()
        self.url = url
        self.location = redact(url)
        self.busy_timeout = busy_timeout if busy_timeout is not None else busy_timeout_default()
        self.read_only = bool(read_only) if read_only is not None else os.environ.get("ENVMAP_READ_ONLY", "") == "1"
        size = pool_size or int(os.environ.get("ENVMAP_PG_POOL_SIZE", "8") or 8)
        try:  # one direct attempt first: a wrong address or password is reported at once, with its reason
            self._psycopg.connect(url, connect_timeout=max(1, int(min(self.busy_timeout, 10.0)))).close()
        except self._psycopg.Error as exc:
            raise StoreUnavailable(i18n.t("store_pg_unreachable", url=self.location, error=_first_line(exc))) from exc
        self._pool = pool_mod.ConnectionPool(
            url, min_size=1, max_size=max(1, size), open=False, kwargs={"autocommit": True},
            check=pool_mod.ConnectionPool.check_connection, name="envmap", reconnect_timeout=30,
        )
        try:
            self._pool.open(wait=True, timeout=min(self.busy_timeout, 10.0))
        except Exception as exc:  # PoolTimeout, OperationalError: the server cannot be reached
            self._pool.close()
            raise StoreUnavailable(i18n.t("store_pg_unreachable", url=self.location, error=_first_line(exc))) from exc
        try:
            self._prepare(upgrade)
        except BaseException:
            self._pool.close()
            raise

    # -- connections ---------------------------------------------------------------------
    @contextlib.contextmanager
    def _connection(self) -> Iterator[Any]:
        try:
            cm = self._pool.connection(timeout=min(self.busy_timeout, 10.0))
            conn = cm.__enter__()
        except self._psycopg.Error as exc:
            raise self._translate(exc) from exc
        except Exception as exc:  # psycopg_pool.PoolTimeout, PoolClosed
            raise StoreUnavailable(i18n.t("store_pg_unreachable", url=self.location, error=_first_line(exc))) from exc
        try:
            yield conn
        except BaseException as exc:
            cm.__exit__(type(exc), exc, exc.__traceback__)
            raise
        else:
            cm.__exit__(None, None, None)

    @contextlib.contextmanager
    def _reading(self) -> Iterator[Tx]:
        with self._connection() as conn:
            try:
                with conn.transaction():
                    yield PostGISTx(conn)
            except self._psycopg.Error as exc:
                raise self._translate(exc) from exc

    @contextlib.contextmanager
    def _writing(self, *, bump: bool = True) -> Iterator[Tx]:
        if self.read_only:
            raise StoreReadOnly(i18n.t("store_pg_read_only", url=self.location))
        with self._connection() as conn:
            try:
                with conn.transaction():
                    tx = PostGISTx(conn)
                    ms = int(self.busy_timeout * 1000)
                    conn.execute("SELECT set_config('lock_timeout', %s, true)", (f"{ms}ms",))
                    conn.execute(f"SELECT pg_advisory_xact_lock(({_LOCK_KEY}))")
                    yield tx
                    if bump:
                        bump_version(tx)
            except self._psycopg.Error as exc:
                raise self._translate(exc) from exc

    def _translate(self, exc: Exception) -> EnvmapError:
        errors = self._psycopg.errors
        if isinstance(exc, errors.UniqueViolation):
            return StoreConflict(i18n.t("store_conflict", error=_first_line(exc)))
        if isinstance(exc, (errors.LockNotAvailable, errors.DeadlockDetected, errors.SerializationFailure)):
            return StoreBusy(i18n.t("store_busy", seconds=f"{self.busy_timeout:g}"))
        if isinstance(exc, (errors.ReadOnlySqlTransaction, errors.InsufficientPrivilege)):
            return StoreReadOnly(i18n.t("store_pg_read_only", url=self.location))
        if isinstance(exc, self._psycopg.OperationalError):
            return StoreUnavailable(i18n.t("store_pg_unreachable", url=self.location, error=_first_line(exc)))
        return StoreError(i18n.t("store_pg_failed", url=self.location, error=_first_line(exc)))

    # -- geometry ------------------------------------------------------------------------
    def _geom_in(self) -> str:
        return f"ST_GeomFromWKB(?, {SRID})"

    def _geom_out(self) -> str:
        return f"ST_AsBinary({q(GEOMETRY_COLUMN)})"

    def _to_db_geometry(self, geom: BaseGeometry | None) -> Any:
        return None if geom is None else shapely.to_wkb(geom, byte_order=1, output_dimension=2, flavor="iso")

    def _from_db_geometries(self, values: Sequence[Any]) -> list[BaseGeometry | None]:
        present = [bytes(v) for v in values if v is not None]
        decoded = iter(shapely.from_wkb(present)) if present else iter(())
        return [next(decoded) if v is not None else None for v in values]

    def _after_import(self, tx: Tx, table: str) -> None:
        tx.execute(f"SELECT setval(pg_get_serial_sequence(?, 'fid'), COALESCE((SELECT max(fid) FROM {q(table)}), 0) + 1, false)",
                   (table,))

    # -- schema --------------------------------------------------------------------------
    def _prepare(self, upgrade: bool) -> None:
        version, ours = self._inspect()
        if version == SCHEMA_VERSION and (self.read_only or not self._missing_columns()):
            return
        if version > SCHEMA_VERSION:
            raise SchemaError(i18n.t("store_too_new", path=self.location, version=version, known=SCHEMA_VERSION))
        if version == 0 and ours:
            raise SchemaError(i18n.t("store_not_envmap", path=self.location))
        if self.read_only:
            key = "store_empty_read_only" if version == 0 else "store_needs_upgrade"
            raise SchemaError(i18n.t(key, path=self.location, version=version, known=SCHEMA_VERSION))
        if 0 < version < SCHEMA_VERSION and not upgrade:
            return  # opened as it is, for `envmap db upgrade` / `envmap db info`
        self._ensure_postgis()
        self.upgrade()

    def _inspect(self) -> tuple[int, list[str]]:
        """(schema version or 0 when there is no envmap store here, names of envmap tables present)."""
        with self._reading() as tx:
            present = {r[0] for r in tx.query(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")}
            ours = sorted(present & set(STORED_TABLES))
            if META_TABLE not in present:
                return 0, ours
            row = tx.one(f"SELECT value FROM {META_TABLE} WHERE key = 'schema_version'")
        return (int(row[0]) if row else 1), ours

    def _missing_columns(self) -> dict[str, list[str]]:
        with self._reading() as tx:
            rows = tx.query("SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()")
        have: dict[str, set[str]] = {}
        for table, column in rows:
            have.setdefault(table, set()).add(column)
        missing = {name: [c for c in t.column_names if c not in have.get(name, set())] for name, t in STORED_TABLES.items()}
        return {k: v for k, v in missing.items() if v}

    def _ensure_postgis(self) -> None:
        with self._connection() as conn:
            if conn.execute("SELECT 1 FROM pg_extension WHERE extname = 'postgis'").fetchone():
                return
            try:
                conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
            except self._psycopg.Error as exc:
                raise StoreError(i18n.t("store_pg_no_postgis", url=self.location)) from exc

    def upgrade(self) -> dict[str, object]:
        """Create the schema in an empty database, or run the migrations (one transaction)."""
        from geodata.store import migrations

        with self._writing() as tx:
            present = {r[0] for r in tx.query(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")}
            if META_TABLE not in present:
                version = 0
                create_schema(tx)
                steps = ["create"]
            else:
                row = tx.one(f"SELECT value FROM {META_TABLE} WHERE key = 'schema_version'")
                version = int(row[0]) if row else 1
                steps = migrations.upgrade_postgis(tx, version) if version < SCHEMA_VERSION else []
                add_missing_columns(tx)
                tx.execute(f"UPDATE {META_TABLE} SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION),))
        return {"from": version, "to": SCHEMA_VERSION, "steps": steps, "backup": None}

    # -- state ---------------------------------------------------------------------------
    def status(self) -> StoreStatus:
        def state(readable: bool, writable: bool, message: str = "") -> StoreStatus:
            return StoreStatus(self.backend, self.location, readable, writable, message)

        try:
            with self._reading() as tx:
                recovery = tx.one("SELECT pg_is_in_recovery()")[0]
                free = tx.one(f"SELECT pg_try_advisory_xact_lock(({_LOCK_KEY}))")[0]
        except EnvmapError as exc:
            return state(False, False, str(exc))
        if self.read_only or recovery:
            return state(True, False, i18n.t("store_pg_read_only", url=self.location))
        if not free:
            return state(True, True, i18n.t("store_writing_now", seconds=f"{self.busy_timeout:g}"))
        return state(True, True)

    def close(self) -> None:
        self._pool.close()


# -- DDL ------------------------------------------------------------------------------------------


def table_ddl(table: StoredTable) -> list[str]:
    defs = ['"fid" BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY']
    if table.geometry:
        defs.append(f"{q(GEOMETRY_COLUMN)} geometry({table.geometry}, {SRID})")
    defs += column_definitions(table, _PG_TYPES)
    out = [f"CREATE TABLE IF NOT EXISTS {q(table.name)} ({', '.join(defs)})"]
    if table.geometry:
        out.append(f"CREATE INDEX IF NOT EXISTS {q(table.name + '_geom_gist')} ON {q(table.name)} USING GIST ({q(GEOMETRY_COLUMN)})")
    for cols in table.indexes:
        out.append(f"CREATE INDEX IF NOT EXISTS {q(table.name + '_' + '_'.join(cols))} ON {q(table.name)} "
                   f"({', '.join(q(c) for c in cols)})")
    out.append(f"COMMENT ON TABLE {q(table.name)} IS '{table.description.replace(chr(39), chr(39) * 2)}'")
    return out


def create_schema(tx: Tx) -> None:
    tx.execute(f"CREATE TABLE IF NOT EXISTS {META_TABLE} (key TEXT PRIMARY KEY, value TEXT)")
    tx.execute(f"INSERT INTO {META_TABLE} (key, value) VALUES ('data_version', '0') ON CONFLICT (key) DO NOTHING")
    for table in STORED_TABLES.values():
        for ddl in table_ddl(table):
            tx.execute(ddl)
    tx.execute(f"INSERT INTO {META_TABLE} (key, value) VALUES ('schema_version', ?) "
               "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (str(SCHEMA_VERSION),))


def add_missing_columns(tx: Tx) -> list[str]:
    rows = tx.query("SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()")
    have: dict[str, set[str]] = {}
    for table, column in rows:
        have.setdefault(table, set()).add(column)
    added = []
    for name, table in STORED_TABLES.items():
        if name not in have:
            for ddl in table_ddl(table):
                tx.execute(ddl)
            added.append(name)
            continue
        for c in table.columns:
            if c.name not in have[name]:
                default = f" DEFAULT {c.default}" if c.default is not None else ""
                tx.execute(f"ALTER TABLE {q(name)} ADD COLUMN {q(c.name)} {_PG_TYPES[c.type]}{default}")
                added.append(f"{name}.{c.name}")
    return added


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
