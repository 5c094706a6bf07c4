"""What both SQL backends do the same way: the Store methods, written once.

A backend (GeoPackage, PostGIS) supplies connections and transactions (``_reading``,
``_writing``), how a geometry goes in and comes out of its SQL (``_geom_in``, ``_geom_out``,
``_to_db_geometry``, ``_from_db_geometries``) and what to update after a write (``_touch``).
SQL here is written with ``?`` placeholders and double-quoted identifiers; a backend's
:class:`Tx` turns it into its own dialect.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd
import shapely
from shapely.geometry import MultiLineString, MultiPolygon, Point
from shapely.geometry.base import BaseGeometry

from geodata import i18n
from geodata.errors import MeasurementConflict, StoreConflict, StoreError, UnknownTable
from geodata.model import FROM_PLAN, IMPORTED, LAYERS, LOCATION_COLUMNS, POINT_TABLES, TABLES, stored_columns
from geodata.store.base import (
    Location,
    StoreStatus,
    coerce,
    frame_of,
    location_of_row,
    location_of_update,
    merge_by_id,
    more_trusted,
    plain,
    utc_now,
)
from geodata.store.schema import (
    DOCUMENT_TABLES,
    GEOMETRY_COLUMN,
    LAYER_TABLES,
    LONLAT,
    MEASUREMENT_COLUMNS,
    MEASUREMENTS,
    META_TABLE,
    STORED_TABLES,
    TASK_EVENTS,
    StoredColumn,
    StoredTable,
    q,
)

if TYPE_CHECKING:
    import geopandas as gpd

# Tables whose records describe one real-world thing named by several documents: reading
# them merges the documents' rows by id, keeping each field's first non-empty value.
MERGED_BY_ID = ("sections", "groundwater_points")

_LOCATION_NAMES = [c.name for c in LOCATION_COLUMNS]
# Column types both SQLite and PostgreSQL understand (for temporary tables).
_PORTABLE_TYPES = {"text": "TEXT", "integer": "BIGINT", "real": "DOUBLE PRECISION", "date": "DATE", "boolean": "BOOLEAN"}
_IDS_PER_QUERY = 500  # site ids in one IN (…) of read_measurements(sites=…)
_STAGING = "envmap_measurements_in"  # the temporary table of one write_measurements
_KEEP_ON_BUILD = (IMPORTED, FROM_PLAN)



class Tx:
    """One connection inside one transaction; subclasses adapt the SQL dialect."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn
        self.touched: set[str] = set()  # tables this transaction changed (see :func:`bump_version`)
        # the (site_type, site_id) whose measurements this transaction changed; None: not known (any site)
        self.measured_sites: set[tuple[str, str]] | None = set()

    def sql(self, text: str) -> str:
        return text

    def execute(self, text: str, params: Sequence[Any] = ()) -> Any:
        return self.conn.execute(self.sql(text), tuple(params))

    def executemany(self, text: str, rows: Iterable[Sequence[Any]]) -> None:
        rows = [tuple(r) for r in rows]
        if rows:
            self.conn.executemany(self.sql(text), rows)

    def query(self, text: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return list(self.execute(text, params).fetchall())

    def one(self, text: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        return self.execute(text, params).fetchone()


class SQLStore:
    """The Store methods over a backend's connections (see :class:`geodata.store.base.Store`)."""

    backend = "sql"
    location = ""

    # -- what a backend provides ---------------------------------------------------------
    def _reading(self) -> contextlib.AbstractContextManager[Tx]:
        raise NotImplementedError

    def _writing(self, *, bump: bool = True) -> contextlib.AbstractContextManager[Tx]:
        raise NotImplementedError

    def _geom_in(self) -> str:
        """The SQL expression for a geometry parameter."""
        raise NotImplementedError

    def _geom_out(self) -> str:
        """The SQL expression selecting the geometry column."""
        raise NotImplementedError

    def _to_db_geometry(self, geom: BaseGeometry | None) -> Any:
        raise NotImplementedError

    def _from_db_geometries(self, values: Sequence[Any]) -> list[BaseGeometry | None]:
        raise NotImplementedError

    def _touch(self, tx: Tx, tables: Sequence[str], *, measured: set[tuple[str, str]] | None = None) -> None:
        """After a write to ``tables``: remember them for the per-table versions, then the backend's own
        bookkeeping (:meth:`_touch_backend`). A write of measurements names the (site_type, site_id) it changed
        in ``measured`` (None: not known, any site may have changed)."""
        tx.touched.update(tables)
        if "measurements" in tables:
            tx.measured_sites = None if measured is None or tx.measured_sites is None else tx.measured_sites | measured
        self._touch_backend(tx, tables)

    def _touch_backend(self, tx: Tx, tables: Sequence[str]) -> None:
        """After a write to ``tables`` (GeoPackage: last_change and extents)."""

    def _after_import(self, tx: Tx, table: str) -> None:
        """After rows with explicit ids were written to ``table`` (PostGIS: the id sequence)."""

    def status(self) -> StoreStatus:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    # -- plan documents ------------------------------------------------------------------
    def replace_document(self, extraction) -> dict[str, int]:  # noqa: ANN001 - Extraction
        doc_id = str(extraction.document["id"])
        source_file = str(extraction.document.get("source_file") or "")
        prepared = {name: self._document_rows(name, extraction.tables.get(name, [])) for name in TABLES}
        written: dict[str, int] = {}
        with self._writing() as tx:
            written |= _rekey_task_events(tx, doc_id, extraction)
            for name in TABLES:
                key = "id" if name == "documents" else "document_id"
                rows = extraction.tables.get(name, [])
                held = self._held_locations(tx, name) if name in POINT_TABLES else {}
                tx.execute(f"DELETE FROM {q(name)} WHERE {q(key)} = ?", (doc_id,))
                tx.executemany(self._insert_sql(DOCUMENT_TABLES[name], with_geometry=False), prepared[name])
                if name in POINT_TABLES:
                    for record_id, location in _locations_after_import(held, rows, source_file).items():
                        self._put_location(tx, name, record_id, location)
                written[name] = len(rows)
            lines = list(getattr(extraction, "lines", []) or [])
            if lines:  # the text as cited by source_line, so a reader can open the original
                tx.execute('DELETE FROM "document_texts" WHERE "document_id" = ?', (doc_id,))
                tx.execute('INSERT INTO "document_texts" ("document_id", "source_file", "line_count", "text") VALUES (?,?,?,?)',
                           (doc_id, source_file or None, len(lines), "\n".join(lines)))
            self._touch(tx, list(TABLES))
        return written

    def last_derived_frame(self, name: str) -> tuple[str, bytes] | None:
        """The stored result ``name`` and the inputs it was computed from, whatever they were (None: never kept)."""
        with self._reading() as tx:
            row = tx.one('SELECT "inputs", "content" FROM "derived_frames" WHERE "name" = ?', (name,))
        return (str(row[0]), bytes(plain(row[1]))) if row is not None else None  # type: ignore[arg-type]

    def put_derived_frame(self, name: str, inputs: str, content: bytes) -> None:
        """Keep a result computed from ``inputs`` (no data version bump: it changes no data)."""
        with self._writing(bump=False) as tx:
            tx.execute('DELETE FROM "derived_frames" WHERE "name" = ?', (name,))
            tx.execute('INSERT INTO "derived_frames" ("name", "inputs", "computed_at", "content") VALUES (?, ?, ?, ?)',
                       (name, inputs, utc_now(), content))

    def document_text(self, document_id: str) -> list[str]:
        """The numbered lines of a stored document's text (line n is ``source_line`` n); [] when not kept."""
        with self._reading() as tx:
            row = tx.one('SELECT "text" FROM "document_texts" WHERE "document_id" = ?', (document_id,))
        return str(row[0]).split("\n") if row and row[0] is not None else []

    def _document_rows(self, name: str, rows: list[dict[str, object]]) -> list[tuple[object, ...]]:
        table = DOCUMENT_TABLES[name]
        cols = [c for c in table.columns if c.name not in _LOCATION_NAMES]
        return [tuple(coerce(row.get(c.name), c.type, table=name, column=c.name) for c in cols) for row in rows]

    def _insert_sql(self, table: StoredTable, *, with_geometry: bool, with_fid: bool = False) -> str:
        cols = table.column_names
        if not with_geometry and table.kind == "document":
            cols = [c for c in cols if c not in _LOCATION_NAMES]
        names = (["fid"] if with_fid else []) + cols
        marks = ["?"] * len(names)
        if with_geometry and table.geometry:
            names.append(GEOMETRY_COLUMN)
            marks.append(self._geom_in())
        return f"INSERT INTO {q(table.name)} ({', '.join(q(n) for n in names)}) VALUES ({', '.join(marks)})"

    def document_ids(self) -> list[str]:
        with self._reading() as tx:
            return [r[0] for r in tx.query('SELECT "id" FROM "documents" ORDER BY "fid"')]

    def read_table(self, name: str, **filters: str) -> pd.DataFrame:
        if name not in TABLES:
            raise UnknownTable(name, list(TABLES))
        table = DOCUMENT_TABLES[name]
        out_cols = stored_columns(name)
        unknown = [k for k in filters if k not in out_cols]
        if unknown:
            raise StoreError(i18n.t("store_no_column", table=name, columns="、".join(unknown), valid="、".join(out_cols)))
        derived = [k for k in filters if k in LONLAT and name in POINT_TABLES]
        if derived:
            raise StoreError(i18n.t("store_filter_lonlat", table=name))
        located = name in POINT_TABLES
        stored = table.column_names
        select = ", ".join([q(c) for c in stored] + ([self._geom_out()] if located else []))
        sql = f"SELECT {select} FROM {q(name)}"
        params = [coerce(v, table.column(k).type, table=name, column=k) for k, v in filters.items()]
        if filters:
            sql += " WHERE " + " AND ".join(f"{q(k)} = ?" for k in filters)
        with self._reading() as tx:
            rows = tx.query(sql + ' ORDER BY "fid"', params)
        if located:
            geoms = self._from_db_geometries([r[-1] for r in rows])
            index = {c: i for i, c in enumerate(stored)}
            records = []
            for row, geom in zip(rows, geoms, strict=True):
                xy = (geom.x, geom.y) if geom is not None and not geom.is_empty else (None, None)
                records.append([xy[LONLAT.index(c)] if c in LONLAT else row[index[c]] for c in out_cols])
            frame = frame_of(out_cols, records)
        else:
            frame = frame_of(out_cols, rows)
        if name in MERGED_BY_ID and not frame.empty:
            frame = merge_by_id(frame)
        return frame.reset_index(drop=True)

    # -- locations -----------------------------------------------------------------------
    def _held_locations(self, tx: Tx, name: str) -> dict[str, Location]:
        cols = ["id", "precision", "location_method", *_LOCATION_NAMES]
        rows = tx.query(f"SELECT {', '.join(q(c) for c in cols)}, {self._geom_out()} FROM {q(name)} "
                        f"WHERE {q(GEOMETRY_COLUMN)} IS NOT NULL")
        held: dict[str, Location] = {}
        for row, geom in zip(rows, self._from_db_geometries([r[-1] for r in rows]), strict=True):
            if geom is None or geom.is_empty:
                continue
            loc = Location(lon=geom.x, lat=geom.y, precision=row[1] or "", method=row[2] or "", source=row[3],
                           source_row=row[4], crs=row[5], located_at=row[6])
            held[row[0]] = more_trusted(held.get(row[0]), loc)  # type: ignore[assignment]
        return held

    def _put_location(self, tx: Tx, name: str, record_id: str, loc: Location | None, *, keep_trusted: bool = False) -> int:
        """Set (or with ``loc=None`` clear) the location of every row of ``record_id``."""
        geom = self._to_db_geometry(Point(loc.lon, loc.lat)) if loc else None
        kinds = ["text", "text", "text", "integer", "text", "text"]
        fields = ([loc.precision, loc.method, loc.source, loc.source_row, loc.crs, loc.located_at] if loc
                  else ["none", None, None, None, None, None])
        values = [geom] + [coerce(v, k, table=name, column="location") for v, k in zip(fields, kinds, strict=True)]
        sql = (f"UPDATE {q(name)} SET {q(GEOMETRY_COLUMN)} = {self._geom_in()}, \"precision\" = ?, "
               f"\"location_method\" = ?, {', '.join(f'{q(c)} = ?' for c in _LOCATION_NAMES)} WHERE \"id\" = ?")
        params = [*values, record_id]
        if keep_trusted:
            sql += ' AND COALESCE("location_method", \'\') NOT IN (?, ?)'
            params += list(_KEEP_ON_BUILD)
        return tx.execute(sql, params).rowcount

    def set_locations(self, updates: list[dict[str, object]], *, built: bool = False) -> int:
        now = utc_now()
        planned: list[tuple[str, str, Location]] = []
        for u in updates:
            layer = str(u.get("layer"))
            if layer not in POINT_TABLES:
                raise UnknownTable(layer, list(POINT_TABLES))
            planned.append((layer, str(u["record_id"]), location_of_update(u, now)))
        with self._writing() as tx:
            if built:
                for name in POINT_TABLES:
                    tx.execute(
                        f"UPDATE {q(name)} SET {q(GEOMETRY_COLUMN)} = NULL, \"precision\" = 'none', \"location_method\" = NULL, "
                        + ", ".join(f"{q(c)} = NULL" for c in _LOCATION_NAMES)
                        + f" WHERE {q(GEOMETRY_COLUMN)} IS NOT NULL AND COALESCE(\"location_method\", '') NOT IN (?, ?)",
                        _KEEP_ON_BUILD,
                    )
            for layer, record_id, location in planned:
                self._put_location(tx, layer, record_id, location, keep_trusted=built)
            self._touch(tx, list(POINT_TABLES))
        return len(updates)

    def locations(self, layer: str | None = None) -> pd.DataFrame:
        names = [layer] if layer else list(POINT_TABLES)
        out: list[list[object]] = []
        with self._reading() as tx:
            for name in names:
                if name not in POINT_TABLES:
                    raise UnknownTable(name, list(POINT_TABLES))
                for record_id, loc in sorted(self._held_locations(tx, name).items()):
                    out.append([name, record_id, loc.lon, loc.lat, loc.precision, loc.method, loc.source or "",
                                loc.source_row, loc.crs or "", loc.located_at or ""])
        cols = ["layer", "record_id", "lon", "lat", "precision", "method", "source", "source_row", "crs", "updated_at"]
        return frame_of(cols, out, blanks=False)

    # -- map layers ----------------------------------------------------------------------
    def layer_names(self) -> list[str]:
        return sorted([*LAYERS, *POINT_TABLES])

    def read_layer(self, name: str) -> gpd.GeoDataFrame:
        import geopandas as gpd

        if name in POINT_TABLES:
            frame = self.read_table(name)
            geoms = [Point(float(x), float(y)) if x != "" and y != "" else None
                     for x, y in zip(frame["lon"], frame["lat"], strict=True)]
            return gpd.GeoDataFrame(frame, geometry=geoms, crs="EPSG:4326")
        if name not in LAYERS:
            raise UnknownTable(name, [*LAYERS, *POINT_TABLES])
        table = LAYER_TABLES[name]
        cols = table.column_names
        with self._reading() as tx:
            rows = tx.query(f"SELECT {', '.join(q(c) for c in cols)}, {self._geom_out()} FROM {q(name)} ORDER BY \"fid\"")
        frame = frame_of(cols, [r[:-1] for r in rows], blanks=False)
        geoms = self._from_db_geometries([r[-1] for r in rows])
        return gpd.GeoDataFrame(frame, geometry=geoms, crs="EPSG:4326")

    def write_layer(self, name: str, frame, geometry_type: str | None = None) -> int:  # noqa: ANN001 - GeoDataFrame
        if name not in LAYERS:
            raise UnknownTable(name, list(LAYERS))
        table = LAYER_TABLES[name]
        if geometry_type and geometry_type.upper() not in ("GEOMETRY", table.geometry):
            raise StoreError(i18n.t("store_layer_type", layer=name, expected=table.geometry, got=geometry_type))
        if frame.crs is not None and frame.crs.to_epsg() != 4326:
            raise StoreError(i18n.t("store_not_wgs84", layer=name))
        geometry_name = frame.geometry.name
        extra = [c for c in frame.columns if c != geometry_name and c not in table.column_names]
        if extra:
            raise StoreError(i18n.t("store_layer_columns", layer=name, columns="、".join(extra),
                                    valid="、".join(table.column_names)))
        rows = []
        for n, (geom, record) in enumerate(zip(frame.geometry, frame.to_dict("records"), strict=True), start=1):
            values = [coerce(record.get(c.name), c.type, table=name, column=c.name) for c in table.columns]
            rows.append((*values, self._to_db_geometry(_as_declared(geom, table.geometry or "", name, n))))
        with self._writing() as tx:
            tx.execute(f"DELETE FROM {q(name)}")
            tx.executemany(self._insert_sql(table, with_geometry=True), rows)
            self._touch(tx, [name])
        return len(rows)

    # -- accounts ------------------------------------------------------------------------
    USER_COLUMNS = ("name", "role", "units", "disabled", "created_at", "created_by", "updated_at")

    def add_user(self, name: str, role: str, units: Sequence[str], password_hash: str, *, by: str) -> None:
        """Create an account (``password_hash`` from :func:`geodata.accounts.hash_password`)."""
        from geodata.errors import StoreConflict

        now = utc_now()
        with self._writing() as tx:
            if tx.one('SELECT 1 FROM "users" WHERE "name" = ?', (name,)):
                raise StoreConflict(i18n.t("acct_exists", name=name))
            tx.execute('INSERT INTO "users" ("name", "role", "units", "password_hash", "disabled", "created_at", '
                       '"created_by", "updated_at") VALUES (?,?,?,?,0,?,?,?)',
                       (name, role, "；".join(units) or None, password_hash, now, by, now))
            _audit(tx, by, "add_user", f"{name}（{role}）{'；'.join(units)}")
            self._touch(tx, ["users"])

    def update_user(self, name: str, *, by: str, password_hash: str | None = None, disabled: bool | None = None,
                    role: str | None = None, units: Sequence[str] | None = None, bump: bool = True) -> None:
        """Change an account: its password hash, disabled flag, role or units (each write logged)."""
        sets: list[str] = []
        params: list[object] = []
        for column, value in (("password_hash", password_hash), ("role", role),
                              ("disabled", None if disabled is None else int(disabled)),
                              ("units", None if units is None else ("；".join(units) or ""))):
            if value is not None:
                sets.append(f"{q(column)} = ?")
                params.append(value if value != "" else None)
        if not sets:
            return
        with self._writing(bump=bump) as tx:
            n = tx.execute(f'UPDATE "users" SET {", ".join(sets)}, "updated_at" = ? WHERE "name" = ?',
                           (*params, utc_now(), name)).rowcount
            if not n:
                raise StoreError(i18n.t("acct_no_such_user", name=name))
            what = [c.split(" = ")[0].strip('"') for c in sets]
            if what != ["password_hash"] or by != name:  # a re-hash at sign-in is not an administrator's act
                _audit(tx, by, "update_user", f"{name}：{'、'.join(what)}" + (f" = {int(disabled)}" if disabled is not None else ""))
            self._touch(tx, ["users"])

    def user_record(self, name: str) -> dict[str, object] | None:
        """The account ``name`` with its password hash (for signing in), or None."""
        cols = [*self.USER_COLUMNS, "password_hash"]
        with self._reading() as tx:
            row = tx.one(f'SELECT {", ".join(q(c) for c in cols)} FROM "users" WHERE "name" = ?', (name,))
        return None if row is None else {c: plain(v) for c, v in zip(cols, row, strict=True)}

    def users(self) -> pd.DataFrame:
        """Every account (no password hashes), by name."""
        with self._reading() as tx:
            rows = tx.query(f'SELECT {", ".join(q(c) for c in self.USER_COLUMNS)} FROM "users" ORDER BY "name"')
        return frame_of(self.USER_COLUMNS, rows)

    def log_sign_in(self, name: str, outcome: str, client: str = "") -> None:
        """Log one sign-in attempt (no data version bump: caches stay)."""
        with self._writing(bump=False) as tx:
            tx.execute('INSERT INTO "sign_ins" ("name", "at", "outcome", "client") VALUES (?,?,?,?)',
                       (name, utc_now(), outcome, client or None))

    def sign_in_failures(self, name: str, since: str) -> int:
        """Failed attempts (wrong password, unknown name, locked) for ``name`` since ``since`` (ISO UTC)
        after its last successful sign-in."""
        with self._reading() as tx:
            last_ok = tx.one('SELECT max("at") FROM "sign_ins" WHERE "name" = ? AND "outcome" = \'ok\'', (name,))
            start = max(since, str(last_ok[0])) if last_ok and last_ok[0] else since
            row = tx.one('SELECT count(*) FROM "sign_ins" WHERE "name" = ? AND "at" > ? AND "outcome" IN '
                         "('wrong_password', 'unknown_user', 'locked')", (name, start))
        return int(row[0]) if row else 0

    def sign_ins(self, name: str | None = None, limit: int = 200) -> pd.DataFrame:
        cols = ["fid", "name", "at", "outcome", "client"]
        sql = f'SELECT {", ".join(q(c) for c in cols)} FROM "sign_ins"' + (' WHERE "name" = ?' if name else "")
        with self._reading() as tx:
            rows = tx.query(sql + f' ORDER BY "fid" DESC LIMIT {int(limit)}', [name] if name else [])
        return frame_of(cols, rows)

    def log_action(self, actor: str, action: str, detail: str = "") -> None:
        """Record who did what (imports, sample removal …) in ``audit_log``."""
        with self._writing(bump=False) as tx:
            _audit(tx, actor, action, detail)

    def audit_log(self, limit: int = 500) -> pd.DataFrame:
        cols = ["fid", "at", "actor", "action", "detail"]
        with self._reading() as tx:
            rows = tx.query(f'SELECT {", ".join(q(c) for c in cols)} FROM "audit_log" ORDER BY "fid" DESC LIMIT {int(limit)}')
        return frame_of(cols, rows)

    # -- task supervision ----------------------------------------------------------------
    def record_event(self, task_id: str, kind: str, *, by: str, event_date: dt.date | None = None, note: str = "",
                     doc_number: str = "", units: Sequence[str] = (), due_date: dt.date | None = None,
                     evidence: Sequence[object] = (), expected_last: int | None = None, source: str = "ui",
                     today: dt.date | None = None) -> int:
        """Append one supervision event (see :mod:`geodata.supervision`) for the account ``by``; returns its id.

        In one transaction: the account must exist, be enabled and have the role for ``kind``; a
        reporter must belong to one of the task's units (the plan's or those it was assigned to);
        the event must follow the task's state; with ``expected_last`` (the id of the newest event
        the writer saw, 0 for none) a task that changed since raises
        :class:`~geodata.errors.TaskChanged` with the newer events, and nothing is written.
        ``evidence`` are :class:`geodata.supervision.Evidence` files, stored with the event.
        """
        from geodata.supervision import NewEvent

        event = NewEvent(task_id, kind, event_date or (today or dt.date.today()), note.strip(), doc_number.strip(),
                         tuple(u for u in units if u), due_date, tuple(evidence))  # type: ignore[arg-type]
        expected = {task_id: expected_last} if expected_last is not None else None
        return self.record_events([event], by=by, expected=expected, source=source, today=today)[0]

    def record_events(self, events: Sequence[object], *, by: str, expected: dict[str, int] | None = None,
                      source: str = "ui", today: dt.date | None = None, is_sample: bool = False) -> list[int]:
        """Append several events in one transaction (all or none): the bulk progress import, samples."""
        from geodata import supervision
        from geodata.errors import NotAllowed, TaskChanged
        from geodata.status import truthy

        today = today or dt.date.today()
        written: list[int] = []
        with self._writing() as tx:
            account = tx.one('SELECT "role", "units", "disabled" FROM "users" WHERE "name" = ?', (by,))
            if account is None:
                raise NotAllowed(i18n.t("acct_sign_in_first"))
            role, account_units, disabled = str(account[0]), str(account[1] or ""), bool(int(account[2] or 0))
            if disabled:
                raise NotAllowed(i18n.t("acct_gone", name=by))
            mine = set(u for u in account_units.split("；") if u)
            history: dict[str, list[dict[str, object]]] = {}
            facts: dict[str, tuple[str, str, bool]] = {}
            for event in events:
                tid = event.task_id  # type: ignore[attr-defined]
                if tid not in facts:
                    row = tx.one('SELECT "jurisdiction", "responsible_units", "long_term" FROM "tasks" WHERE "id" = ? '
                                 'ORDER BY "fid" LIMIT 1', (tid,))
                    if row is None:
                        raise StoreError(i18n.t("sv_no_task", id=tid))
                    facts[tid] = (str(row[0] or ""), str(row[1] or ""), truthy(plain(row[2])))
                    history[tid] = self._events_of(tx, tid)
                    if expected is not None and tid in expected:
                        newest = max((int(r["fid"]) for r in history[tid]), default=0)
                        if newest != int(expected[tid] or 0):
                            newer = [r for r in history[tid] if int(r["fid"]) > int(expected[tid] or 0)]
                            raise TaskChanged(tid, newer, i18n.t("sv_changed", id=tid, n=len(newer) or 1))
                jurisdiction, responsible, long_term = facts[tid]
                kind = event.kind  # type: ignore[attr-defined]
                if kind not in supervision.KINDS:
                    supervision.check(supervision.TaskState(), event, long_term=long_term, actor=by, today=today)  # type: ignore[arg-type]
                if not _may(role, kind):
                    raise NotAllowed(i18n.t("sv_role_refused", name=by, role=i18n.t(f"role_{role}"),
                                            action=supervision.kind_label(kind) if kind in supervision.KINDS else kind))
                state = supervision.current_state(history[tid])
                if role == "reporter" and kind in supervision.OWNER_KINDS:
                    owners = supervision.task_units(responsible, jurisdiction, state.assigned_units)
                    if not mine & owners:
                        raise NotAllowed(i18n.t("sv_not_your_task", name=by, units="、".join(sorted(mine)) or "—",
                                                owners="、".join(sorted(owners)) or "—"))
                supervision.check(state, event, long_term=long_term, actor=by, today=today)  # type: ignore[arg-type]
                answers = state.pending if kind in (supervision.CLOSE, supervision.REJECT) else None
                values = {
                    "task_id": tid, "kind": kind, "event_date": event.event_date,  # type: ignore[attr-defined]
                    "note": event.note or None, "doc_number": event.doc_number or None,  # type: ignore[attr-defined]
                    "units": "；".join(event.units) or None, "due_date": event.due_date,  # type: ignore[attr-defined]
                    "answers": answers, "actor": by, "actor_role": role, "recorded_at": utc_now(millis=True),
                    "source": source, "is_sample": int(is_sample),
                }
                cols = list(values)
                row = tx.one(
                    f'INSERT INTO "task_events" ({", ".join(q(c) for c in cols)}) VALUES ({", ".join("?" for _ in cols)}) '
                    'RETURNING "fid"',
                    [coerce(values[c], TASK_EVENTS.column(c).type, table="task_events", column=c) for c in cols])
                fid = int(row[0])
                for item in event.evidence:  # type: ignore[attr-defined]
                    tx.execute('INSERT INTO "task_evidence" ("event_id", "task_id", "file_name", "media_type", "size_bytes", '
                               '"sha256", "content", "is_sample") VALUES (?,?,?,?,?,?,?,?)',
                               (fid, tid, item.file_name, item.media_type, item.size, item.sha256, item.content,
                                int(is_sample)))
                history[tid].append({**values, "fid": fid, "event_date": str(coerce(values["event_date"], "date",
                                                                                    table="task_events", column="event_date"))})
                written.append(fid)
            with_files = any(event.evidence for event in events)  # type: ignore[attr-defined]
            self._touch(tx, ["task_events", *(["task_evidence"] if with_files else [])])
        return written

    def _events_of(self, tx: Tx, task_id: str) -> list[dict[str, object]]:
        cols = supervision_columns()
        rows = tx.query(f'SELECT {", ".join(q(c) for c in cols)} FROM "task_events" WHERE "task_id" = ? ORDER BY "fid"',
                        (task_id,))
        return [{c: plain(v) for c, v in zip(cols, r, strict=True)} for r in rows]

    def task_events(self, task_id: str | None = None) -> pd.DataFrame:
        """The supervision history (every task, or one), in the order recorded; text cells "" when empty."""
        cols = supervision_columns()
        sql = (f'SELECT {", ".join(q(c) for c in cols)} FROM "task_events"' + (' WHERE "task_id" = ?' if task_id else "")
               + ' ORDER BY "fid"')
        with self._reading() as tx:
            rows = tx.query(sql, [task_id] if task_id else [])
        frame = frame_of(cols, rows, blanks=False)
        for col in ("note", "doc_number", "units", "due_date", "source"):
            frame[col] = frame[col].where(frame[col].notna(), "").astype(object)
        frame["answers"] = frame["answers"].astype("Int64")
        return frame

    def evidence(self, task_id: str | None = None) -> pd.DataFrame:
        """Evidence files (without their bytes): fid, event_id, task_id, file_name, media_type, size_bytes, sha256."""
        cols = ["fid", "event_id", "task_id", "file_name", "media_type", "size_bytes", "sha256", "is_sample"]
        sql = f'SELECT {", ".join(q(c) for c in cols)} FROM "task_evidence"' + (' WHERE "task_id" = ?' if task_id else "")
        with self._reading() as tx:
            rows = tx.query(sql + ' ORDER BY "fid"', [task_id] if task_id else [])
        return frame_of(cols, rows, blanks=False)

    def evidence_content(self, evidence_id: int) -> tuple[str, str, bytes] | None:
        """(file name, media type, bytes) of one evidence file."""
        with self._reading() as tx:
            row = tx.one('SELECT "file_name", "media_type", "content" FROM "task_evidence" WHERE "fid" = ?', (int(evidence_id),))
        return None if row is None else (str(row[0]), str(row[1]), bytes(plain(row[2])))  # type: ignore[arg-type]

    def write_sample_history(self, rows: Sequence[dict[str, object]]) -> int:
        """Replace the demo supervision history (``is_sample``) with ``rows`` (from
        :mod:`geodata.sample_history`, already checked against the rules), in one transaction."""
        cols = [c for c in TASK_EVENTS.column_names]
        now = utc_now(millis=True)
        values = [[coerce({**r, "recorded_at": now}.get(c), TASK_EVENTS.column(c).type, table="task_events", column=c)
                   for c in cols] for r in rows]
        with self._writing() as tx:
            tx.execute('DELETE FROM "task_evidence" WHERE "is_sample" = 1')
            tx.execute('DELETE FROM "task_events" WHERE "is_sample" = 1')
            tx.executemany(f'INSERT INTO "task_events" ({", ".join(q(c) for c in cols)}) VALUES ({", ".join("?" for _ in cols)})',
                           values)
            self._touch(tx, ["task_events", "task_evidence"])
        return len(values)

    def delete_sample_history(self) -> int:
        """Delete the demo supervision history (``is_sample``); recorded events stay. Returns how many events."""
        with self._writing() as tx:
            tx.execute('DELETE FROM "task_evidence" WHERE "is_sample" = 1')
            n = tx.execute('DELETE FROM "task_events" WHERE "is_sample" = 1').rowcount
            self._touch(tx, ["task_events", "task_evidence"])
        return n

    # -- monitoring results --------------------------------------------------------------
    MEASUREMENT_COLUMNS = MEASUREMENT_COLUMNS

    def write_measurements(self, frame: pd.DataFrame, *, replace_file: str | None = None, replace_keys: bool = False,
                           replace_samples: bool = False, new_sites: list[dict[str, object]] | None = None,
                           dry_run: bool = False) -> dict[str, object]:
        """Write monitoring results (and the new sections they name) in one transaction.

        ``frame`` has the columns of :data:`~geodata.store.schema.MEASUREMENT_COLUMNS` (missing
        ones take their defaults). Rows an earlier import of ``replace_file`` wrote are replaced;
        sample values (``is_sample``) for the same site and month give way to real ones. A
        (site, date, time, item) already held by *another* file is a conflict: with
        ``replace_keys`` (``import-monitoring --replace``) that file's values are deleted first
        and named in the result, otherwise nothing is written and
        :class:`~geodata.errors.MeasurementConflict` lists them. ``replace_samples`` first
        deletes every sample value (a fresh set of samples). ``new_sites`` are rows of
        ``sections`` to add (ids already present are left alone). ``dry_run`` does all of it
        inside the transaction and rolls it back: the result is exactly what the import would
        do, and the store (and its data version) stay as they were.

        Returns ``written``, ``replaced_same_file``, ``replaced_other`` (a list of dicts:
        source_file, site_id, first, last, values), ``samples_replaced`` and ``new_sites``.
        Database errors become :class:`~geodata.errors.StoreError` with a Chinese message.
        """
        rows = measurement_rows(frame, utc_now())
        result: dict[str, object] = {"written": len(rows), "replaced_same_file": 0, "replaced_other": [],
                                     "samples_replaced": 0, "new_sites": 0}
        try:
            with self._writing() as tx:
                self._write_measurements(tx, rows, result, replace_file=replace_file, replace_keys=replace_keys,
                                         replace_samples=replace_samples, new_sites=new_sites or [])
                if dry_run:
                    raise _DryRun  # rolls the whole transaction back, on either backend
        except _DryRun:
            return result
        except MeasurementConflict:
            raise
        except StoreConflict as exc:  # two rows of the frame at one key: the unique index refused it
            raise StoreConflict(i18n.t("measurements_duplicate")) from exc
        return result

    def _write_measurements(self, tx: Tx, rows: list[tuple[Any, ...]], result: dict[str, object], *,
                            replace_file: str | None, replace_keys: bool, replace_samples: bool,
                            new_sites: list[dict[str, object]]) -> None:
        cols = MEASUREMENTS.column_names
        # the rows go to a temporary table first (the same SQL on SQLite and PostgreSQL: a TEMP
        # table named without a schema, dropped at the end, and gone with a rollback): conflicts,
        # replacements and the final insert are then set operations, not a query per row
        tx.execute(f"CREATE TEMP TABLE {_STAGING} ("
                   + ", ".join(f"{q(c.name)} {_PORTABLE_TYPES[c.type]}" for c in MEASUREMENTS.columns) + ")")
        tx.executemany(f"INSERT INTO {_STAGING} ({', '.join(q(c) for c in cols)}) VALUES ({', '.join('?' for _ in cols)})",
                       rows)
        tx.execute(f"CREATE INDEX {_STAGING}_period ON {_STAGING} (site_type, site_id, period)")
        # the sites whose results change: the rows written, and those a replaced file held (a fresh set of samples
        # may change any site: left unknown)
        sites = None if replace_samples else {(str(t), str(i)) for t, i in tx.query(
            f"SELECT DISTINCT site_type, site_id FROM {_STAGING}")}
        if replace_samples:
            tx.execute("DELETE FROM measurements WHERE is_sample = 1")
        if replace_file:
            if sites is not None:
                sites |= {(str(t), str(i)) for t, i in tx.query(
                    "SELECT DISTINCT site_type, site_id FROM measurements WHERE source_file = ? AND is_sample = 0",
                    (replace_file,))}
            result["replaced_same_file"] = tx.execute(
                "DELETE FROM measurements WHERE source_file = ? AND is_sample = 0", (replace_file,)).rowcount
        clash = (f"FROM measurements m JOIN {_STAGING} k ON m.site_type = k.site_type AND m.site_id = k.site_id "
                 "AND m.date = k.date AND m.time = k.time AND m.item = k.item WHERE m.is_sample = 0")
        held = [tuple(plain(v) for v in r) for r in tx.query(
            f"SELECT m.source_file, m.site_id, MIN(m.date), MAX(m.date), COUNT(*) {clash} "
            "GROUP BY m.source_file, m.site_id ORDER BY m.source_file, m.site_id")]
        if held and not replace_keys:
            examples = [tuple(plain(v) for v in r) for r in tx.query(
                f"SELECT k.source_row, m.source_file, m.site_id, m.date, m.time, m.item {clash} "
                "ORDER BY k.source_row, m.site_id, m.date, m.time, m.item LIMIT 200")]
            raise MeasurementConflict(held, examples)
        if held:
            result["replaced_other"] = [{"source_file": f, "site_id": sid, "first": first, "last": last, "values": int(n)}
                                        for f, sid, first, last, n in held]
            tx.execute(f"DELETE FROM measurements WHERE is_sample = 0 AND EXISTS (SELECT 1 FROM {_STAGING} k "
                       "WHERE k.site_type = measurements.site_type AND k.site_id = measurements.site_id "
                       "AND k.date = measurements.date AND k.time = measurements.time AND k.item = measurements.item)")
        if rows and not rows[0][cols.index("is_sample")]:
            # real results for a site and month replace that month's sample values
            result["samples_replaced"] = tx.execute(
                f"DELETE FROM measurements WHERE is_sample = 1 AND EXISTS (SELECT 1 FROM {_STAGING} k "
                "WHERE k.site_type = measurements.site_type AND k.site_id = measurements.site_id "
                "AND k.period = measurements.period)").rowcount
        if new_sites:
            result["new_sites"] = self._add_records(tx, "sections", new_sites)
        names = ", ".join(q(c) for c in cols)
        tx.execute(f"INSERT INTO measurements ({names}) SELECT {names} FROM {_STAGING}")
        tx.execute(f"DROP TABLE {_STAGING}")
        self._touch(tx, ["measurements", *(["sections"] if result["new_sites"] else [])], measured=sites)

    def _add_records(self, tx: Tx, name: str, records: list[dict[str, object]]) -> int:
        """Add rows to document table ``name`` that belong to no document (ids already present
        are left alone); returns how many were added."""
        wanted = {str(r.get("id")) for r in records}
        present = {r[0] for r in tx.query(f'SELECT "id" FROM {q(name)}') if r[0] in wanted}
        fresh, seen = [], set(present)
        for r in records:
            if str(r.get("id")) not in seen:
                seen.add(str(r.get("id")))
                fresh.append(r)
        tx.executemany(self._insert_sql(DOCUMENT_TABLES[name], with_geometry=False), self._document_rows(name, fresh))
        return len(fresh)

    def measurement_years(self) -> list[int]:
        """The years with stored monitoring results, ascending (from the distinct dates, not every row)."""
        with self._reading() as tx:
            rows = tx.query("SELECT DISTINCT date FROM measurements")
        return sorted({int(str(d)[:4]) for (d,) in rows if str(d)[:4].isdigit()})

    def read_measurements(self, columns: Sequence[str] | None = None, *, sites: Iterable[str] | None = None,
                          **filters: str) -> pd.DataFrame:
        """Stored monitoring results (``fid`` and every column of ``measurements``, or only
        ``columns``), filtered by equality and, with ``sites``, to those site ids; in (site, date, time, item)
        order."""
        valid = ["fid", *MEASUREMENTS.column_names]
        unknown = [k for k in [*filters, *(columns or [])] if k not in valid]
        if unknown:
            raise StoreError(i18n.t("store_no_column", table="measurements", columns="、".join(dict.fromkeys(unknown)),
                                    valid="、".join(valid)))
        cols = list(columns) if columns else valid
        params = [v if k == "fid" else coerce(v, MEASUREMENTS.column(k).type, table="measurements", column=k)
                  for k, v in filters.items()]
        where = [f"{q(k)} = ?" for k in filters]
        sql = f"SELECT {', '.join(q(c) for c in cols)} FROM measurements"
        order = " ORDER BY site_type, site_id, date, time, item, fid"
        with self._reading() as tx:
            if sites is None:
                rows = tx.query(sql + (" WHERE " + " AND ".join(where) if where else "") + order, params)
            else:  # per site type, in batches of ids (bounded SQL parameters) in id order: the order above
                ids = sorted({str(i) for i in sites})
                types = ([params[list(filters).index("site_type")]] if "site_type" in filters else
                         sorted(str(t) for (t,) in tx.query("SELECT DISTINCT site_type FROM measurements")))
                where = [w for k, w in zip(filters, where, strict=True) if k != "site_type"]
                params = [p for k, p in zip(filters, params, strict=True) if k != "site_type"]
                rows = []
                for site_type in types:
                    for start in range(0, len(ids), _IDS_PER_QUERY):
                        batch = ids[start:start + _IDS_PER_QUERY]
                        clause = " AND ".join(["site_type = ?", *where, f"site_id IN ({', '.join('?' for _ in batch)})"])
                        rows += tx.query(f"{sql} WHERE {clause}{order}", [site_type, *params, *batch])
        return measurement_frame(cols, rows)

    def delete_samples(self) -> int:
        with self._writing() as tx:
            n = tx.execute("DELETE FROM measurements WHERE is_sample = 1").rowcount
            self._touch(tx, ["measurements"])
        return n

    # -- bookkeeping ---------------------------------------------------------------------
    def meta(self, key: str) -> str:
        with self._reading() as tx:
            row = tx.one(f"SELECT value FROM {META_TABLE} WHERE key = ?", (key,))
        return str(row[0]) if row and row[0] is not None else ""

    def set_meta(self, key: str, value: str) -> None:
        with self._writing(bump=False) as tx:
            _put_meta(tx, key, value)

    def meta_items(self) -> dict[str, str]:
        with self._reading() as tx:
            return {k: v for k, v in tx.query(f"SELECT key, value FROM {META_TABLE} ORDER BY key")}

    def measurement_changes(self, since: int) -> set[tuple[str, str]] | None:
        """The (site_type, site_id) whose measurements changed after the measurements' version ``since`` (the
        ``table_versions()["measurements"]`` of an earlier read): empty when none did; None when that is not
        known (a write that did not name its sites, a copied store, or a change older than the log keeps)."""
        with self._reading() as tx:
            meta = dict(tx.query(f"SELECT key, value FROM {META_TABLE} WHERE key = 'data_version' OR key LIKE ? "
                                 "OR key LIKE ?", (CHANGED_PREFIX + "%", MEASURED_PREFIX + "%")))
        current = table_versions_of(meta)["measurements"]
        sites: set[tuple[str, str]] = set()
        while current > since:
            try:
                entry = json.loads(meta[MEASURED_PREFIX + str(current)])
            except (KeyError, ValueError):
                return None
            if entry.get("sites") is None:
                return None
            sites |= {(str(t), str(i)) for t, i in entry["sites"]}
            current = int(entry["after"])
        return sites if current == since else None

    def data_version(self) -> int:
        with self._reading() as tx:
            row = tx.one(f"SELECT value FROM {META_TABLE} WHERE key = 'data_version'")
        return int(row[0]) if row else 0

    def table_versions(self) -> dict[str, int]:
        with self._reading() as tx:
            rows = tx.query(f"SELECT key, value FROM {META_TABLE} WHERE key = 'data_version' OR key LIKE ?",
                            (CHANGED_PREFIX + "%",))
        return table_versions_of(dict(rows))

    def schema_version(self) -> int:
        with self._reading() as tx:
            row = tx.one(f"SELECT value FROM {META_TABLE} WHERE key = 'schema_version'")
        return int(row[0]) if row else 1

    def table_counts(self) -> dict[str, int]:
        with self._reading() as tx:
            return {name: int(tx.one(f"SELECT count(*) FROM {q(name)}")[0]) for name in STORED_TABLES}

    # -- whole-store copies --------------------------------------------------------------
    def export_rows(self, name: str) -> tuple[list[str], Iterator[tuple[Any, ...]]]:
        if name not in STORED_TABLES:
            raise UnknownTable(name, list(STORED_TABLES))
        table = STORED_TABLES[name]
        cols = ["fid", *table.column_names]
        select = [q(c) for c in cols] + ([self._geom_out()] if table.geometry else [])
        with self._reading() as tx:
            rows = tx.query(f"SELECT {', '.join(select)} FROM {q(name)} ORDER BY \"fid\"")
        if table.geometry:
            geoms = self._from_db_geometries([r[-1] for r in rows])
            wkb = [None if g is None else shapely.to_wkb(g, byte_order=1, output_dimension=2, flavor="iso") for g in geoms]
            rows = [(*r[:-1], w) for r, w in zip(rows, wkb, strict=True)]
            cols.append(GEOMETRY_COLUMN)
        return cols, iter([tuple(_plain_value(v) for v in r) for r in rows])

    def import_rows(self, tables: dict[str, tuple[list[str], Iterable[Sequence[Any]]]], meta: dict[str, str]) -> None:
        for name in tables:
            if name not in STORED_TABLES:
                raise UnknownTable(name, list(STORED_TABLES))
        with self._writing() as tx:
            for name, (cols, rows) in tables.items():
                table = STORED_TABLES[name]
                expected = ["fid", *table.column_names] + ([GEOMETRY_COLUMN] if table.geometry else [])
                if cols != expected:
                    raise StoreError(i18n.t("store_copy_columns", table=name))
                tx.execute(f"DELETE FROM {q(name)}")
                sql = self._insert_sql(table, with_geometry=True, with_fid=True)
                batch: list[tuple[Any, ...]] = []
                types = [c.type for c in table.columns]
                for row in rows:
                    values = list(row)
                    values[1:1 + len(types)] = [_stored(v, c, name) for v, c in zip(values[1:1 + len(types)], table.columns,
                                                                                   strict=True)]
                    if table.geometry:
                        wkb = values[-1]
                        values[-1] = self._to_db_geometry(None if wkb is None else shapely.from_wkb(wkb))
                    batch.append(tuple(values))
                    if len(batch) >= 2000:
                        tx.executemany(sql, batch)
                        batch = []
                tx.executemany(sql, batch)
                self._after_import(tx, name)
            for key, value in meta.items():
                if key not in ("data_version", "schema_version") and not key.startswith((CHANGED_PREFIX, MEASURED_PREFIX)):
                    _put_meta(tx, key, value)
            self._touch(tx, list(tables))


def _stored(value: object, column: StoredColumn, table: str) -> object:
    """``value`` as column ``column`` keeps it: coerced, and a NOT NULL column's default for a
    blank (``coerce`` makes "" None, and an explicit NULL takes no default)."""
    out = coerce(value, column.type, table=table, column=column.name)
    if out is None and column.not_null and column.default is not None:
        return column.default_value
    return out


class _DryRun(Exception):
    """Raised at the end of a dry run's write transaction so that it rolls back."""


def measurement_rows(frame: pd.DataFrame, imported_at: str) -> list[tuple[Any, ...]]:
    """The rows of ``measurements`` for ``frame``, column by column (fast for a million values).

    Values are what :func:`~geodata.store.base.coerce` makes of them, so both backends accept
    the same input; a blank in a NOT NULL column with a default takes the default; a blank in
    one without (site, date, period, item, file) is refused naming the row.
    """
    n = len(frame)
    columns: list[list[Any]] = []
    for c in MEASUREMENTS.columns:
        if c.name == "imported_at":
            columns.append([imported_at] * n)
            continue
        raw = frame[c.name].tolist() if c.name in frame else [None] * n
        values = _coerce_column(raw, c.type, c.name)
        if c.not_null:
            if c.default is not None:
                default = c.default_value
                values = [default if v is None else v for v in values]
            elif None in values:
                k = values.index(None)
                rows = frame["source_row"].tolist() if "source_row" in frame else []
                line = rows[k] if k < len(rows) and rows[k] is not None and rows[k] == rows[k] else k + 1
                raise StoreError(i18n.t("measurements_missing", column=c.name, row=line))
        columns.append(values)
    return list(zip(*columns, strict=True))


def _coerce_column(values: list[Any], kind: str, column: str) -> list[Any]:
    """``coerce`` over a column, with the common already-right values passed through."""
    def slow(v: Any) -> Any:
        return coerce(v, kind, table="measurements", column=column)

    if kind == "text":
        return [v if type(v) is str and v else slow(v) for v in values]
    if kind == "real":
        return [v if type(v) is float and math.isfinite(v) else slow(v) for v in values]
    if kind == "integer":
        return [v if type(v) is int else slow(v) for v in values]
    if kind == "date":
        seen: dict[Any, Any] = {}
        out = []
        for v in values:
            key = (type(v), v)
            if key not in seen:
                seen[key] = slow(v)
            out.append(seen[key])
        return out
    return [slow(v) for v in values]


def measurement_frame(columns: Sequence[str], rows: list[tuple[Any, ...]]) -> pd.DataFrame:
    """Rows of ``measurements`` as the same frame on both backends (dates as ISO text, values
    as floats, ``source_row`` as a nullable integer)."""
    frame = pd.DataFrame.from_records(rows, columns=list(columns)) if rows else pd.DataFrame(
        {c: pd.Series([], dtype=object) for c in columns})
    for c in columns:
        kind = "integer" if c == "fid" else MEASUREMENTS.column(c).type
        if kind == "date":  # PostgreSQL gives dates, SQLite the text it holds
            frame[c] = [v.isoformat() if isinstance(v, dt.date) else v for v in frame[c]]
        elif kind == "real":
            frame[c] = pd.to_numeric(frame[c], errors="coerce").astype(float)
    if "source_row" in frame:
        frame["source_row"] = pd.array([None if v is None or v != v else int(v) for v in frame["source_row"]],
                                       dtype="Int64")
    return frame


def _put_meta(tx: Tx, key: str, value: str) -> None:
    tx.execute(f"INSERT INTO {META_TABLE} (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
               (key, value))


CHANGED_PREFIX = "changed:"  # meta key "changed:<table>": the data version of the table's last change
ANY_TABLE = "*"  # "changed:*": a write that did not say which tables it changed


MEASURED_PREFIX = "measured:"  # meta key "measured:<version>": the sites whose measurements that version changed
MEASURED_KEPT = 64  # how many of those entries the store keeps (older changes read as "not known")


def bump_version(tx: Tx) -> None:
    """Raise the data version and mark the tables this transaction changed (``tx.touched``) with it;
    a write that named no table marks every table (``changed:*``), so no cache keeps stale data. A change of
    measurements also logs which sites it changed (``tx.measured_sites``, see
    :meth:`SQLStore.measurement_changes`), with the measurements' previous version."""
    changes_measurements = "measurements" in tx.touched or not tx.touched
    if changes_measurements:
        before = table_versions_of(dict(tx.query(f"SELECT key, value FROM {META_TABLE} WHERE key = 'data_version' "
                                                 "OR key LIKE ?", (CHANGED_PREFIX + "%",))))["measurements"]
    tx.execute(f"UPDATE {META_TABLE} SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'data_version'")
    row = tx.one(f"SELECT value FROM {META_TABLE} WHERE key = 'data_version'")
    version = str(row[0]) if row else "0"
    for name in sorted(tx.touched) or [ANY_TABLE]:
        _put_meta(tx, CHANGED_PREFIX + name, version)
    if changes_measurements:
        sites = None if tx.measured_sites is None or not tx.touched else sorted(tx.measured_sites)
        _put_meta(tx, MEASURED_PREFIX + version, json.dumps({"after": before, "sites": sites}, ensure_ascii=False))
        logged = sorted(int(k[len(MEASURED_PREFIX):]) for (k,) in tx.query(
            f"SELECT key FROM {META_TABLE} WHERE key LIKE ?", (MEASURED_PREFIX + "%",)) if k[len(MEASURED_PREFIX):].isdigit())
        for old in logged[:-MEASURED_KEPT]:
            tx.execute(f"DELETE FROM {META_TABLE} WHERE key = ?", (MEASURED_PREFIX + str(old),))


def table_versions_of(meta: dict[str, str]) -> dict[str, int]:
    """Every stored table → the data version at which it last changed (``*``: unnamed writes)."""
    def number(key: str) -> int:
        try:
            return int(meta.get(key) or 0)
        except ValueError:
            return 0

    floor = number(CHANGED_PREFIX + ANY_TABLE)
    if not any(k.startswith(CHANGED_PREFIX) for k in meta):
        floor = number("data_version")  # a store written before per-table versions: all changed at once
    return {name: max(floor, number(CHANGED_PREFIX + name)) for name in STORED_TABLES}


def _plain_value(value: object) -> object:
    if isinstance(value, memoryview):
        return bytes(value)
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _locations_after_import(held: dict[str, Location], rows: list[dict[str, object]], source_file: str) -> dict[str, Location]:
    """The location every record of a (re-)imported document ends with: what the store held
    for its id, unless the plan now writes coordinates that are at least as trusted."""
    out: dict[str, Location] = {}
    for row in rows:
        record_id = str(row.get("id") or "")
        if not record_id:
            continue
        best = more_trusted(out.get(record_id) or held.get(record_id), location_of_row(row, source_file))
        if best is not None:
            out[record_id] = best
    return out


def _as_declared(geom: BaseGeometry | None, declared: str, layer: str, n: int) -> BaseGeometry | None:
    """``geom`` as the layer's declared type (a LineString becomes a one-part MultiLineString …)."""
    if geom is None or (isinstance(geom, float)) or geom.is_empty:
        return None
    kind = geom.geom_type.upper()
    if kind == declared:
        return geom
    if declared == "MULTILINESTRING" and kind == "LINESTRING":
        return MultiLineString([geom])
    if declared == "MULTIPOLYGON" and kind == "POLYGON":
        return MultiPolygon([geom])
    if declared == "POINT" and kind == "MULTIPOINT" and len(geom.geoms) == 1:
        return geom.geoms[0]
    raise StoreError(i18n.t("store_feature_type", layer=layer, n=n, got=geom.geom_type, expected=declared))


def _audit(tx: Tx, actor: str, action: str, detail: str = "") -> None:
    tx.execute('INSERT INTO "audit_log" ("at", "actor", "action", "detail") VALUES (?,?,?,?)',
               (utc_now(), actor, action, detail or None))


def _may(role: str, kind: str) -> bool:
    from geodata.accounts import may

    return may(role, kind)


def supervision_columns() -> list[str]:
    return ["fid", *TASK_EVENTS.column_names]


def _rekey_task_events(tx: Tx, doc_id: str, extraction) -> dict[str, int]:  # noqa: ANN001 - Extraction
    """Move the supervision history of a re-imported document's tasks to their new ids (same transaction).

    Tasks are paired by :func:`geodata.plans.ids.match_task_ids`; events of tasks that no
    longer exist are kept (history is never deleted) and their ids are put on the extraction
    (``orphaned_task_ids``) for the import report.
    """
    from geodata.plans.ids import match_task_ids

    old = [{"id": r[0], "source_line": r[1], "title": r[2], "content": r[3]}
           for r in tx.query('SELECT "id", "source_line", "title", "content" FROM "tasks" WHERE "document_id" = ?', (doc_id,))]
    if not old:
        return {}
    mapping, orphans = match_task_ids(old, extraction.tables.get("tasks", []))
    moved = 0
    for old_id, new_id in mapping.items():
        if old_id != new_id:  # two steps, so that A→B and B→C do not merge A into C
            for table in ("task_events", "task_evidence"):
                n = tx.execute(f'UPDATE {q(table)} SET "task_id" = ? WHERE "task_id" = ?', ("\x01" + new_id, old_id)).rowcount
                moved += n if table == "task_events" else 0
    for table in ("task_events", "task_evidence"):
        tx.execute(f'UPDATE {q(table)} SET "task_id" = substr("task_id", 2) WHERE "task_id" LIKE ?', ("\x01%",))
    with_reports = [o for o in orphans if tx.one('SELECT 1 FROM "task_events" WHERE "task_id" = ? LIMIT 1', (o,))]
    extraction.orphaned_task_ids = with_reports
    return {"task_events_rekeyed": moved, "task_events_orphaned": len(with_reports)}
