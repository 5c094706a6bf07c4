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
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd
import shapely
from shapely.geometry import MultiLineString, MultiPolygon, Point
from shapely.geometry.base import BaseGeometry

from geodata import i18n
from geodata.errors import StoreError, UnknownTable
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
    utc_now,
)
from geodata.store.schema import (
    DOCUMENT_TABLES,
    GEOMETRY_COLUMN,
    LAYER_TABLES,
    LONLAT,
    MEASUREMENTS,
    META_TABLE,
    STORED_TABLES,
    TASK_UPDATES,
    StoredTable,
)

if TYPE_CHECKING:
    import geopandas as gpd

# Tables whose records describe one real-world thing named by several documents: reading
# them merges the documents' rows by id, keeping each field's first non-empty value.
MERGED_BY_ID = ("sections", "groundwater_points")

_LOCATION_NAMES = [c.name for c in LOCATION_COLUMNS]
_KEEP_ON_BUILD = (IMPORTED, FROM_PLAN)


def q(name: str) -> str:
    """A double-quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


class Tx:
    """One connection inside one transaction; subclasses adapt the SQL dialect."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn
        self.touched: set[str] = set()  # tables this transaction changed (see :func:`bump_version`)

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

    def _touch(self, tx: Tx, tables: Sequence[str]) -> None:
        """After a write to ``tables``: remember them for the per-table versions, then the backend's own
        bookkeeping (:meth:`_touch_backend`)."""
        tx.touched.update(tables)
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
            written |= _rekey_task_updates(tx, doc_id, extraction)
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

    # -- task progress -------------------------------------------------------------------
    def add_task_update(
        self, task_id: str, status: str, *, reported_on: dt.date, note: str = "", reported_by: str = "", source: str = "ui"
    ) -> int:
        """Append a progress report (the history is never rewritten); returns its id."""
        from geodata.status import REPORTED_STATUSES, report_label

        if status not in REPORTED_STATUSES:
            allowed = "、".join(f"{s}（{report_label(s)}）" for s in REPORTED_STATUSES)
            raise StoreError(f"无法记录状态“{status}”：只能报告 {allowed}；逾期等状态由截止日期自动计算。")
        with self._writing() as tx:
            if not tx.one('SELECT 1 FROM "tasks" WHERE "id" = ? LIMIT 1', (task_id,)):
                raise StoreError(f"没有编号为“{task_id}”的任务。请从任务台账复制任务编号。")
            values = dict(task_id=task_id, status=status, note=note, reported_by=reported_by,
                          reported_on=reported_on.isoformat(), recorded_at=utc_now(), source=source)
            row = tx.one(
                "INSERT INTO task_updates (task_id, status, note, reported_by, reported_on, recorded_at, source)"
                " VALUES (?,?,?,?,?,?,?) RETURNING fid",
                [coerce(v, TASK_UPDATES.column(k).type, table="task_updates", column=k) for k, v in values.items()],
            )
            self._touch(tx, ["task_updates"])
        return int(row[0]) if row else 0

    def task_updates(self, task_id: str | None = None) -> pd.DataFrame:
        cols = ["fid", *TASK_UPDATES.column_names]
        sql = (f"SELECT {', '.join(q(c) for c in cols)} FROM task_updates" + (" WHERE task_id = ?" if task_id else "")
               + " ORDER BY reported_on, fid")
        with self._reading() as tx:
            rows = tx.query(sql, [task_id] if task_id else [])
        frame = frame_of(cols, rows, blanks=False)
        for col in ("note", "reported_by", "source"):  # shown as text: an empty note is ""
            frame[col] = frame[col].where(frame[col].notna(), "")
        return frame

    # -- monitoring results --------------------------------------------------------------
    MEASUREMENT_COLUMNS = ("site_type", "site_id", "date", "period", "item", "value", "below_detection", "unit",
                           "status", "is_sample", "source_file", "source_row")

    def write_measurements(self, frame: pd.DataFrame, *, replace_file: str | None = None, replace_keys: bool = False,
                           replace_samples: bool = False) -> int:
        """Write monitoring results in one transaction.

        Rows an earlier import of ``replace_file`` wrote are replaced; sample values
        (``is_sample``) for the same site and month give way to real ones. ``replace_keys``
        (``envmap import-monitoring --replace``) first deletes whatever any file holds at the
        frame's (site, date, item) keys; ``replace_samples`` first deletes every sample value
        (a fresh set of samples). Any other clash of (site, date, item) raises
        :class:`~geodata.errors.StoreConflict` and writes nothing.
        """
        now = utc_now()
        cols = self.MEASUREMENT_COLUMNS
        types = {c.name: c.type for c in MEASUREMENTS.columns}
        rows = [tuple(coerce(r[c], types[c], table="measurements", column=c) for c in cols) + (now,)
                for r in frame[list(cols)].to_dict("records")]
        with self._writing() as tx:
            if replace_samples:
                tx.execute("DELETE FROM measurements WHERE is_sample = 1")
            if replace_file:
                tx.execute("DELETE FROM measurements WHERE source_file = ? AND is_sample = 0", (replace_file,))
            if replace_keys:
                tx.executemany(
                    "DELETE FROM measurements WHERE site_type = ? AND site_id = ? AND date = ? AND item = ?",
                    sorted({(r[0], r[1], r[2], r[4]) for r in rows}),
                )
            if len(frame) and not int(frame["is_sample"].iloc[0]):
                # real results for a site and month replace that month's sample values
                tx.executemany(
                    "DELETE FROM measurements WHERE is_sample = 1 AND site_type = ? AND site_id = ? AND period = ?",
                    sorted({(r[0], r[1], r[3]) for r in rows}),
                )
            tx.executemany(
                f"INSERT INTO measurements ({', '.join(cols)}, imported_at) VALUES ({', '.join('?' for _ in range(len(cols) + 1))})",
                rows,
            )
            self._touch(tx, ["measurements"])
        return len(rows)

    def read_measurements(self, **filters: str) -> pd.DataFrame:
        cols = ["fid", *MEASUREMENTS.column_names]
        unknown = [k for k in filters if k not in cols]
        if unknown:
            raise StoreError(i18n.t("store_no_column", table="measurements", columns="、".join(unknown), valid="、".join(cols)))
        params = [v if k == "fid" else coerce(v, MEASUREMENTS.column(k).type, table="measurements", column=k)
                  for k, v in filters.items()]
        sql = f"SELECT {', '.join(q(c) for c in cols)} FROM measurements"
        if filters:
            sql += " WHERE " + " AND ".join(f"{q(k)} = ?" for k in filters)
        with self._reading() as tx:
            rows = tx.query(sql + " ORDER BY site_type, site_id, date, item", params)
        frame = frame_of(cols, rows, blanks=False)
        frame["source_row"] = frame["source_row"].astype("Int64")
        return frame

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
                    values[1:1 + len(types)] = [coerce(v, kind, table=name, column=col)
                                                for v, kind, col in zip(values[1:1 + len(types)], types, table.column_names,
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
                if key not in ("data_version", "schema_version") and not key.startswith(CHANGED_PREFIX):
                    _put_meta(tx, key, value)
            self._touch(tx, list(tables))


def _put_meta(tx: Tx, key: str, value: str) -> None:
    tx.execute(f"INSERT INTO {META_TABLE} (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
               (key, value))


CHANGED_PREFIX = "changed:"  # meta key "changed:<table>": the data version of the table's last change
ANY_TABLE = "*"  # "changed:*": a write that did not say which tables it changed


def bump_version(tx: Tx) -> None:
    """Raise the data version and mark the tables this transaction changed (``tx.touched``) with it;
    a write that named no table marks every table (``changed:*``), so no cache keeps stale data."""
    tx.execute(f"UPDATE {META_TABLE} SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'data_version'")
    row = tx.one(f"SELECT value FROM {META_TABLE} WHERE key = 'data_version'")
    version = str(row[0]) if row else "0"
    for name in sorted(tx.touched) or [ANY_TABLE]:
        _put_meta(tx, CHANGED_PREFIX + name, version)


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


def _rekey_task_updates(tx: Tx, doc_id: str, extraction) -> dict[str, int]:  # noqa: ANN001 - Extraction
    """Move progress reports of a re-imported document's tasks to their new ids (same transaction).

    Tasks are paired by :func:`geodata.plans.ids.match_task_ids`; reports of tasks that no
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
            moved += tx.execute('UPDATE "task_updates" SET "task_id" = ? WHERE "task_id" = ?', ("\x01" + new_id, old_id)).rowcount
    tx.execute('UPDATE "task_updates" SET "task_id" = substr("task_id", 2) WHERE "task_id" LIKE ?', ("\x01%",))
    with_reports = [o for o in orphans if tx.one('SELECT 1 FROM "task_updates" WHERE "task_id" = ? LIMIT 1', (o,))]
    extraction.orphaned_task_ids = with_reports
    return {"task_updates_rekeyed": moved, "task_updates_orphaned": len(with_reports)}
