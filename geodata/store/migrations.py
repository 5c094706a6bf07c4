"""Versioned schema migrations: an older store is upgraded in place, never rebuilt over user data.

``SCHEMA_VERSION`` (``geodata.store.schema``) is the version this code writes; a store records
its own in ``envmap_meta.schema_version`` (stores of releases up to ce1109a have none: version 1).
``envmap db upgrade`` — and opening the store, for ``envmap serve`` — runs every step from the
store's version to the current one inside one write transaction, after copying the GeoPackage
to ``<name>.v<N>-backup.gpkg``. A step that fails leaves the store as it was.

To change the schema: edit the declarations in ``geodata.store.schema``, add a function here
for the next version number (GeoPackage and PostGIS), and raise ``SCHEMA_VERSION``. A changed
constraint or column order needs the table rebuilt (:func:`rebuild_table`,
:func:`rebuild_table_postgis`: every row and its ``fid`` kept); a column simply added to
``geodata.model`` is appended on open. A test upgrades a store written by each older release
(``tests/geodata/store/fixtures``).

Versions: 1 (releases up to ce1109a) → 2 typed feature tables (GeoPackage only: PostGIS stores
start at 2) → 3 readings with a time, method, waterbody, raw text, the source's class and
station state, unique per (site, date, time, item); sections with waterbody, province, basin.
"""

from __future__ import annotations

from collections.abc import Callable

from geodata import i18n
from geodata.errors import SchemaError, StoreError
from geodata.model import LAYERS, POINT_TABLES
from geodata.store import gpkg_spec
from geodata.store.base import Location, coerce, location_of_row, more_trusted
from geodata.store.schema import (
    DOCUMENT_TABLES,
    GEOMETRY_COLUMN,
    MEASUREMENTS,
    META_TABLE,
    SCHEMA_VERSION,
    SRID,
    STORED_TABLES,
    StoredTable,
)
from geodata.store.sqlstore import Tx, _as_declared, q

RowHook = Callable[[dict[str, object]], dict[str, object]]


def upgrade_geopackage(tx: Tx, version: int) -> list[str]:
    """Run the GeoPackage steps after ``version`` (inside the caller's transaction)."""
    steps: list[str] = []
    for target in range(version + 1, SCHEMA_VERSION + 1):
        step = GEOPACKAGE_STEPS.get(target)
        if step is None:
            raise SchemaError(i18n.t("store_no_migration", version=target))
        steps += step(tx)
        tx.execute(f"INSERT INTO {META_TABLE} (key, value) VALUES ('schema_version', ?) "
                   "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (str(target),))
    return steps


def upgrade_postgis(tx: Tx, version: int) -> list[str]:
    """Run the PostGIS steps after ``version`` (PostGIS stores start at version 2)."""
    steps: list[str] = []
    for target in range(version + 1, SCHEMA_VERSION + 1):
        step = POSTGIS_STEPS.get(target)
        if step is None:
            raise SchemaError(i18n.t("store_no_migration", version=target))
        steps += step(tx)
    return steps


# -- GeoPackage 1 → 2: typed feature tables with spatial indexes, locations in the point tables ---------


def _v2_feature_tables(tx: Tx) -> list[str]:
    from geodata.store.geopackage import create_core, create_table

    steps = []
    tx.execute(f"PRAGMA application_id = {gpkg_spec.APPLICATION_ID}")
    tx.execute(f"PRAGMA user_version = {gpkg_spec.USER_VERSION}")
    for name, ddl in gpkg_spec.CORE_TABLES.items():  # release 1 wrote them without the spec's constraints
        if _exists(tx, name):
            _rebuild_core(tx, name, ddl)
    create_core(tx)
    tx.execute("UPDATE gpkg_spatial_ref_sys SET definition = ? WHERE srs_id = 4326", (gpkg_spec.WGS84_WKT,))
    side = _side_locations(tx)
    for name, table in STORED_TABLES.items():
        if not _exists(tx, name):
            create_table(tx, table)
            steps.append(f"create {name}")
            continue
        hook: RowHook | None = None
        if name in POINT_TABLES:
            hook = _point_hook(name, side)
        elif name in LAYERS:
            hook = _layer_hook(name, table)
        n = rebuild_table(tx, table, hook)
        steps.append(f"rebuild {name} ({n})")
    if _exists(tx, "locations"):
        tx.execute('DROP TABLE "locations"')
        steps.append("drop locations (now in the point tables)")
    return steps


def _rebuild_core(tx: Tx, name: str, ddl: str) -> None:
    temp = f"envmap_upgrade_{name}"
    tx.execute(f"DROP TABLE IF EXISTS {q(temp)}")
    tx.execute(ddl.format(name=q(temp)))
    new = [r[1] for r in tx.query(f"PRAGMA table_info({q(temp)})")]
    old = {r[1] for r in tx.query(f"PRAGMA table_info({q(name)})")}
    cols = ", ".join(q(c) for c in new if c in old)
    tx.execute(f"INSERT OR IGNORE INTO {q(temp)} ({cols}) SELECT {cols} FROM {q(name)}")
    tx.execute(f"DROP TABLE {q(name)}")
    tx.execute(f"ALTER TABLE {q(temp)} RENAME TO {q(name)}")


def _side_locations(tx: Tx) -> dict[tuple[str, str], Location]:
    """The rows of release 1's side table ``locations`` (user imports and built placements)."""
    if not _exists(tx, "locations"):
        return {}
    out: dict[tuple[str, str], Location] = {}
    for layer, record_id, lon, lat, precision, method, source, source_row, crs, updated_at in tx.query(
            "SELECT layer, record_id, lon, lat, precision, method, source, source_row, crs, updated_at FROM locations"):
        if lon is None or lat is None:
            continue
        out[(layer, record_id)] = Location(float(lon), float(lat), precision or "", method or "", source or None,
                                           int(source_row) if source_row not in (None, "") else None, crs or None,
                                           updated_at or None)
    return out


def _point_hook(name: str, side: dict[tuple[str, str], Location]) -> RowHook:
    def hook(row: dict[str, object]) -> dict[str, object]:
        plan = location_of_row(row, str(row.get("source_file") or ""))
        loc = more_trusted(plan, side.get((name, str(row.get("id")))))  # imported > the plan's own > built
        if loc is not None:
            row.update({
                GEOMETRY_COLUMN: gpkg_spec.encode(_point(loc), SRID), "precision": loc.precision,
                "location_method": loc.method, "location_source": loc.source, "location_source_row": loc.source_row,
                "location_crs": loc.crs, "located_at": loc.located_at,
            })
        return row

    return hook


def _point(loc: Location):  # noqa: ANN202
    from shapely.geometry import Point

    return Point(loc.lon, loc.lat)


def _layer_hook(name: str, table: StoredTable) -> RowHook:
    counter = {"n": 0}

    def hook(row: dict[str, object]) -> dict[str, object]:
        counter["n"] += 1
        blob = row.get(GEOMETRY_COLUMN)
        geom = gpkg_spec.decode(blob) if blob is not None else None  # type: ignore[arg-type]
        row[GEOMETRY_COLUMN] = gpkg_spec.encode(_as_declared(geom, table.geometry or "", name, counter["n"]), SRID)
        return row

    return hook


def rebuild_table(tx: Tx, table: StoredTable, hook: RowHook | None = None) -> int:
    """Rewrite an existing table in the declared layout, keeping every row and its ``fid``.

    Columns the table shares with the declaration are copied (values turned into the
    declared types where they can be; a value that cannot is kept as it is, never dropped);
    ``hook`` fills what is new (geometry, locations). The table is then registered afresh.
    """
    from geodata.store.geopackage import drop_table, index_and_register, table_ddl

    name = table.name
    have = [r[1] for r in tx.query(f"PRAGMA table_info({q(name)})")]
    read = ["fid", *[c for c in have if c != "fid"]]
    rows = tx.query(f"SELECT {', '.join(q(c) for c in read)} FROM {q(name)} ORDER BY fid")
    seq_row = tx.one("SELECT seq FROM sqlite_sequence WHERE name = ?", (name,)) if _exists(tx, "sqlite_sequence") else None
    target = ["fid", *table.column_names] + ([GEOMETRY_COLUMN] if table.geometry else [])
    temp = f"envmap_upgrade_{name}"
    tx.execute(f"DROP TABLE IF EXISTS {q(temp)}")
    tx.execute(table_ddl(table, temp))
    out = []
    for values in rows:
        row = dict(zip(read, values, strict=True))
        if hook:
            row = hook(row)
        record = [row.get("fid")]
        for c in table.columns:
            value = _lenient(row.get(c.name), c.type, name, c.name)
            if value is None and c.not_null and c.default is not None:
                value = c.default_value  # a column new to this table: its declared default
            record.append(value)
        if table.geometry:
            record.append(row.get(GEOMETRY_COLUMN) if GEOMETRY_COLUMN in row else None)
        out.append(tuple(record))
    tx.executemany(f"INSERT INTO {q(temp)} ({', '.join(q(c) for c in target)}) VALUES ({', '.join('?' for _ in target)})", out)
    drop_table(tx, name)
    tx.execute(f"ALTER TABLE {q(temp)} RENAME TO {q(name)}")
    if seq_row:
        tx.execute("UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = ?", (seq_row[0], name))
    index_and_register(tx, table)
    return len(out)


def _lenient(value: object, kind: str, table: str, column: str) -> object:
    try:
        return coerce(value, kind, table=table, column=column)
    except StoreError:
        return value


def _exists(tx: Tx, name: str) -> bool:
    return tx.one("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)) is not None


# -- 2 → 3: readings with a time (sub-daily automatic-station data), method, waterbody, the text
#    as written, the source's class and station state; sections with waterbody, province, basin ---


def _v3_tables() -> tuple[StoredTable, ...]:
    # measurements: new columns and the unique key (site_type, site_id, date, time, item) — a
    # changed constraint, so the table is rebuilt; sections: four new columns, rebuilt so that an
    # upgraded store has the very layout of a new one (column order included)
    return MEASUREMENTS, DOCUMENT_TABLES["sections"]


def _v3_readings_geopackage(tx: Tx) -> list[str]:
    return [f"rebuild {table.name} ({rebuild_table(tx, table)})" for table in _v3_tables()]


def _v3_readings_postgis(tx: Tx) -> list[str]:
    return [f"rebuild {table.name} ({rebuild_table_postgis(tx, table)})" for table in _v3_tables()]


def rebuild_table_postgis(tx: Tx, table: StoredTable) -> int:
    """PostGIS: rewrite an existing table in the declared layout, keeping every row and its ``fid``.

    The rows wait in a temporary table while the table is dropped and created afresh (so its
    columns, constraints, indexes and identity sequence are named and ordered as in a new
    store); the columns both layouts share are copied back, new columns take their defaults.
    Runs inside the caller's transaction: a failure leaves the table as it was.
    """
    from geodata.store.postgis import table_ddl

    name = table.name
    have = {r[0] for r in tx.query("SELECT column_name FROM information_schema.columns "
                                   "WHERE table_schema = current_schema() AND table_name = ?", (name,))}
    shared = ["fid", *[c for c in table.column_names if c in have]]
    if table.geometry and GEOMETRY_COLUMN in have:
        shared.append(GEOMETRY_COLUMN)
    kept = f"envmap_upgrade_{name}"
    names = ", ".join(q(c) for c in shared)
    tx.execute(f"CREATE TEMP TABLE {q(kept)} AS SELECT {names} FROM {q(name)}")
    tx.execute(f"DROP TABLE {q(name)}")
    for ddl in table_ddl(table):
        tx.execute(ddl)
    n = tx.execute(f"INSERT INTO {q(name)} ({names}) SELECT {names} FROM {q(kept)} ORDER BY fid").rowcount
    tx.execute(f"SELECT setval(pg_get_serial_sequence(?, 'fid'), COALESCE((SELECT max(fid) FROM {q(name)}), 0) + 1, false)",
               (name,))
    tx.execute(f"DROP TABLE {q(kept)}")
    return int(n)


# -- 4: task supervision: task_updates → task_events -------------------------------------------------------
#
# A progress report of the old ledger becomes an event: "in_progress" → ``progress``; "done" →
# ``apply_close``, an application for 销号 awaiting a supervisor's verification (a typed "已完成"
# was never checked, and only 销号 makes a task done: ``geodata.supervision``). Its date, note
# and ids are kept; the reporter's name as typed becomes the actor (role ``legacy``), and the
# source says where it came from. The old table is dropped in the same transaction (the
# GeoPackage backup of the upgrade keeps it).

LEGACY_ROLE = "legacy"
LEGACY_ACTOR = "（升级前的记录）"


def _v4_task_events(tx: Tx, create: Callable[[Tx, StoredTable], None], drop: Callable[[Tx, str], None],
                    exists: Callable[[Tx, str], bool]) -> list[str]:
    from geodata.store.schema import STORE_TABLES

    steps = []
    for name in ("task_events", "task_evidence", "users", "sign_ins", "audit_log"):
        if not exists(tx, name):
            create(tx, STORE_TABLES[name])
            steps.append(f"create {name}")
    if not exists(tx, "task_updates"):
        return steps
    rows = tx.query('SELECT "fid", "task_id", "status", "note", "reported_by", "reported_on", "recorded_at", "source" '
                    'FROM "task_updates" ORDER BY "fid"')
    moved = {"progress": 0, "apply_close": 0}
    out = []
    for fid, task_id, status, note, reported_by, reported_on, recorded_at, source in rows:
        kind = "apply_close" if str(status) == "done" else "progress"
        moved[kind] += 1
        out.append((fid, task_id, kind, _date_text(reported_on), note, None, None, None, None,
                    str(reported_by or "").strip() or LEGACY_ACTOR, LEGACY_ROLE, str(recorded_at or ""),
                    f"task_updates:{source or 'ui'}", 0))
    cols = ["fid", "task_id", "kind", "event_date", "note", "doc_number", "units", "due_date", "answers", "actor",
            "actor_role", "recorded_at", "source", "is_sample"]
    tx.executemany(f'INSERT INTO "task_events" ({", ".join(q(c) for c in cols)}) VALUES ({", ".join("?" for _ in cols)})', out)
    drop(tx, "task_updates")
    steps.append(f"task_updates → task_events ({moved['progress']} progress, {moved['apply_close']} 已完成 → 申请销号)")
    return steps


def _date_text(value: object) -> object:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)[:10]


def _v4_geopackage(tx: Tx) -> list[str]:
    from geodata.store.geopackage import create_table, drop_table

    return _v4_task_events(tx, create_table, drop_table, _exists)


def _v4_postgis(tx: Tx) -> list[str]:
    from geodata.store.postgis import table_ddl

    def create(tx: Tx, table: StoredTable) -> None:
        for ddl in table_ddl(table):
            tx.execute(ddl)

    def drop(tx: Tx, name: str) -> None:
        tx.execute(f"DROP TABLE IF EXISTS {q(name)}")

    def exists(tx: Tx, name: str) -> bool:
        return tx.one("SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?",
                      (name,)) is not None

    steps = _v4_task_events(tx, create, drop, exists)
    tx.execute("SELECT setval(pg_get_serial_sequence('task_events', 'fid'), "
               "COALESCE((SELECT max(fid) FROM task_events), 0) + 1, false)")
    return steps


GEOPACKAGE_STEPS: dict[int, Callable[[Tx], list[str]]] = {2: _v2_feature_tables, 3: _v3_readings_geopackage, 4: _v4_geopackage}
POSTGIS_STEPS: dict[int, Callable[[Tx], list[str]]] = {3: _v3_readings_postgis, 4: _v4_postgis}
