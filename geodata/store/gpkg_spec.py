"""The pieces of the OGC GeoPackage standard (1.3) the GeoPackage store is built from.

* the required metadata tables and spatial reference systems (clauses 1.1.2, 1.1.3);
* the geometry encoding: a ``GP`` header (version 0, flags, SRS id, envelope) followed by the
  ISO WKB that shapely writes (clause 2.1.3);
* the spatial index extension ``gpkg_rtree_index`` (annex F.3): an SQLite R*Tree virtual
  table per feature table and the spec's six triggers that keep it right on every insert,
  update and delete — whoever edits the file (envmap, GDAL, QGIS);
* the SQL functions those triggers call (``ST_MinX`` … ``ST_IsEmpty``), which GDAL registers
  on its own connections and :func:`register_functions` registers on ours.

GeoPackage 1.3 triggers (``update1`` … ``update4``) are used because GDAL's validator checks
for exactly those on a 1.3 file (and for the 1.4 set only on a 1.4 file).
"""

from __future__ import annotations

import sqlite3
import struct

import shapely
from shapely.geometry.base import BaseGeometry

APPLICATION_ID = 0x47504B47  # "GPKG"
USER_VERSION = 10300  # GeoPackage 1.3
RTREE_DEFINITION = "http://www.geopackage.org/spec120/#extension_rtree"

WGS84_WKT = (
    'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],'
    'AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],'
    'UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],'
    'AUTHORITY["EPSG","4326"]]'
)
SPATIAL_REF_SYS = (
    ("Undefined cartesian SRS", -1, "NONE", -1, "undefined", "undefined cartesian coordinate reference system"),
    ("Undefined geographic SRS", 0, "NONE", 0, "undefined", "undefined geographic coordinate reference system"),
    ("WGS 84 geodetic", 4326, "EPSG", 4326, WGS84_WKT, "longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid"),
)

# The required metadata tables (and the extensions table), as GDAL writes them: ``{name}``
# lets a migration build a table under a temporary name.
CORE_TABLES: dict[str, str] = {
    "gpkg_spatial_ref_sys": """CREATE TABLE {name} (
        srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY, organization TEXT NOT NULL,
        organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT)""",
    "gpkg_contents": """CREATE TABLE {name} (
        table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
        description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
        CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id))""",
    "gpkg_geometry_columns": """CREATE TABLE {name} (
        table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
        srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
        CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
        CONSTRAINT uk_gc_table_name UNIQUE (table_name),
        CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
        CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id))""",
    "gpkg_extensions": """CREATE TABLE {name} (
        table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL, definition TEXT NOT NULL,
        scope TEXT NOT NULL, CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name))""",
}


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def rtree_name(table: str, column: str) -> str:
    return f"rtree_{table}_{column}"


def rtree_ddl(table: str, column: str, pk: str = "fid") -> list[str]:
    """The R*Tree of ``table.column`` and the spec's triggers (GeoPackage 1.3, annex F.3)."""
    t, c, i, r = _q(table), _q(column), _q(pk), _q(rtree_name(table, column))
    n = rtree_name(table, column)
    values = f"NEW.{i}, ST_MinX(NEW.{c}), ST_MaxX(NEW.{c}), ST_MinY(NEW.{c}), ST_MaxY(NEW.{c})"
    return [
        f"CREATE VIRTUAL TABLE {r} USING rtree(id, minx, maxx, miny, maxy)",
        # insertion of a non-empty geometry: add it to the index
        f"""CREATE TRIGGER {_q(n + '_insert')} AFTER INSERT ON {t}
            WHEN (new.{c} NOT NULL AND NOT ST_IsEmpty(NEW.{c}))
            BEGIN INSERT OR REPLACE INTO {r} VALUES ({values}); END""",
        # geometry updated to a non-empty geometry, same row id: update the entry
        f"""CREATE TRIGGER {_q(n + '_update1')} AFTER UPDATE OF {c} ON {t}
            WHEN OLD.{i} = NEW.{i} AND (NEW.{c} NOTNULL AND NOT ST_IsEmpty(NEW.{c}))
            BEGIN INSERT OR REPLACE INTO {r} VALUES ({values}); END""",
        # geometry updated to empty or NULL, same row id: remove the entry
        f"""CREATE TRIGGER {_q(n + '_update2')} AFTER UPDATE OF {c} ON {t}
            WHEN OLD.{i} = NEW.{i} AND (NEW.{c} ISNULL OR ST_IsEmpty(NEW.{c}))
            BEGIN DELETE FROM {r} WHERE id = OLD.{i}; END""",
        # row id changed, non-empty geometry: move the entry
        f"""CREATE TRIGGER {_q(n + '_update3')} AFTER UPDATE ON {t}
            WHEN OLD.{i} != NEW.{i} AND (NEW.{c} NOTNULL AND NOT ST_IsEmpty(NEW.{c}))
            BEGIN DELETE FROM {r} WHERE id = OLD.{i}; INSERT OR REPLACE INTO {r} VALUES ({values}); END""",
        # row id changed, empty geometry: remove both
        f"""CREATE TRIGGER {_q(n + '_update4')} AFTER UPDATE ON {t}
            WHEN OLD.{i} != NEW.{i} AND (NEW.{c} ISNULL OR ST_IsEmpty(NEW.{c}))
            BEGIN DELETE FROM {r} WHERE id IN (OLD.{i}, NEW.{i}); END""",
        # row deleted: remove the entry
        f"""CREATE TRIGGER {_q(n + '_delete')} AFTER DELETE ON {t}
            WHEN old.{c} NOT NULL
            BEGIN DELETE FROM {r} WHERE id = OLD.{i}; END""",
    ]


# -- geometry blobs --------------------------------------------------------------------------

_EMPTY_FLAG = 0b00010000
_LITTLE_ENDIAN = 0b00000001
_ENVELOPE_SIZES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}


def encode(geom: BaseGeometry | None, srs_id: int = 4326) -> bytes | None:
    """A shapely geometry as a GeoPackage geometry blob (little-endian, xy envelope, 2D)."""
    if geom is None:
        return None
    wkb = shapely.to_wkb(geom, byte_order=1, output_dimension=2, flavor="iso")
    if geom.is_empty:
        return b"GP\x00" + bytes([_LITTLE_ENDIAN | _EMPTY_FLAG]) + struct.pack("<i", srs_id) + wkb
    minx, miny, maxx, maxy = geom.bounds
    return (b"GP\x00" + bytes([_LITTLE_ENDIAN | (1 << 1)]) + struct.pack("<i", srs_id)
            + struct.pack("<4d", minx, maxx, miny, maxy) + wkb)


def wkb_of(blob: bytes | None) -> bytes | None:
    """The WKB part of a GeoPackage geometry blob."""
    if blob is None:
        return None
    blob = bytes(blob)
    if blob[:2] != b"GP":
        raise ValueError("not a GeoPackage geometry")
    return blob[8 + _ENVELOPE_SIZES[(blob[3] >> 1) & 0b111]:]


def decode(blob: bytes | None) -> BaseGeometry | None:
    """The shapely geometry of a GeoPackage geometry blob."""
    wkb = wkb_of(blob)
    return None if wkb is None else shapely.from_wkb(wkb)


def _envelope(blob: bytes | None) -> tuple[float, float, float, float] | None:
    """(minx, maxx, miny, maxy) from the header, else computed from the geometry."""
    if blob is None:
        return None
    blob = bytes(blob)
    if len(blob) < 8 or blob[:2] != b"GP":
        return None
    flags = blob[3]
    if flags & _EMPTY_FLAG:
        return None
    endian = "<" if flags & _LITTLE_ENDIAN else ">"
    if (flags >> 1) & 0b111:
        return struct.unpack(endian + "4d", blob[8:40])
    geom = shapely.from_wkb(wkb_of(blob))
    if geom.is_empty:
        return None
    minx, miny, maxx, maxy = geom.bounds
    return minx, maxx, miny, maxy


def _is_empty(blob: bytes | None) -> int | None:
    if blob is None:
        return None
    blob = bytes(blob)
    if len(blob) < 8 or blob[:2] != b"GP":
        return None
    if blob[3] & _EMPTY_FLAG:
        return 1
    return 0 if (blob[3] >> 1) & 0b111 else int(shapely.from_wkb(wkb_of(blob)).is_empty)


def register_functions(conn: sqlite3.Connection) -> None:
    """The SQL functions the R-tree triggers call, as GDAL defines them for GeoPackage blobs."""

    def part(index: int):  # noqa: ANN202
        def fn(blob: bytes | None) -> float | None:
            env = _envelope(blob)
            return None if env is None else env[index]

        return fn

    for index, name in enumerate(("ST_MinX", "ST_MaxX", "ST_MinY", "ST_MaxY")):
        conn.create_function(name, 1, part(index), deterministic=True)
    conn.create_function("ST_IsEmpty", 1, _is_empty, deterministic=True)
