"""The Store protocol: what the CLI and the dashboard may ask of a storage backend.

Two backends implement it: :class:`geodata.store.geopackage.GeoPackageStore` (one GeoPackage
file, the default) and :class:`geodata.store.postgis.PostGISStore` (a PostgreSQL/PostGIS
server). Both keep the same tables (``geodata.store.schema``), the same rules for locations and
the same transactions: every write is one transaction that lands whole or not at all, readers
never wait for writers, and every change bumps a data version kept *in* the store, so several
processes serving one store see each other's writes on their next read.

The pieces both backends share — turning values into the column types, building frames,
merging records of one thing named by several documents, the order of trust between
locations — live here, once.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import pandas as pd

from geodata import i18n
from geodata.errors import StoreError
from geodata.model import FROM_PLAN, IMPORTED

if TYPE_CHECKING:
    import geopandas as gpd

    from geodata.plans.extract import Extraction


@dataclass(frozen=True)
class StoreStatus:
    """Whether the store can be read and written right now, and what to tell the user if not."""

    backend: str  # "geopackage" | "postgis"
    location: str  # file path, or the server URL without its password
    readable: bool
    writable: bool
    message: str = ""  # Chinese, empty when all is well


class Store(Protocol):
    """A place where envmap's tables live. Every write is one transaction."""

    backend: str
    location: str
    read_only: bool

    # -- plan documents -------------------------------------------------------------------
    def replace_document(self, extraction: Extraction) -> dict[str, int]:
        """Store one document's records, replacing an earlier import of the same document.

        Returns the number of rows written per table. Either every table is written or
        none is (the store is unchanged after an error). Locations survive: a record keeps
        the location it had (an imported exact location above all) when its plan is
        imported again.
        """
        ...

    def read_table(self, name: str, **filters: str) -> pd.DataFrame:
        """All rows of ``name`` (columns of ``geodata.model.stored_columns``), filtered by equality.

        Empty cells are ``""``. Point tables carry ``lon``/``lat`` read from their geometry;
        ``sections`` and ``groundwater_points`` give one row per id.
        """
        ...

    def document_ids(self) -> list[str]: ...

    def document_text(self, document_id: str) -> list[str]:
        """The numbered lines of a document's text as cited by ``source_line`` ([] when not kept)."""
        ...

    # -- locations and map layers ---------------------------------------------------------
    def set_locations(self, updates: list[dict[str, object]], *, built: bool = False) -> int:
        """Set point locations (one transaction); ``updates`` rows have layer, record_id, lon,
        lat, precision, method and optionally source, source_row, crs.

        ``built=True`` marks the bundled placements: they replace earlier built placements
        but never an imported location or one written in a plan.
        """
        ...

    def locations(self, layer: str | None = None) -> pd.DataFrame:
        """One row per located record: layer, record_id, lon, lat, precision, method, source,
        source_row, crs, updated_at."""
        ...

    def read_layer(self, name: str) -> gpd.GeoDataFrame:
        """A feature table (a bundled layer or a point table) as a GeoDataFrame in EPSG:4326."""
        ...

    def write_layer(self, name: str, frame: gpd.GeoDataFrame, geometry_type: str | None = None) -> int:
        """Replace the features of bundled layer ``name`` (one transaction); returns the count."""
        ...

    def layer_names(self) -> list[str]:
        """Every feature table of the store (bundled layers and point tables)."""
        ...

    # -- task supervision (geodata.supervision) -----------------------------------------
    def record_event(self, task_id: str, kind: str, *, by: str, event_date: dt.date | None = None, note: str = "",
                     doc_number: str = "", units: Sequence[str] = (), due_date: dt.date | None = None,
                     evidence: Sequence[object] = (), expected_last: int | None = None, source: str = "ui",
                     today: dt.date | None = None) -> int:
        """Append one supervision event (交办/督办/进展/申请销号/销号/退回) for account ``by``; returns its id."""
        ...

    def record_events(self, events: Sequence[object], *, by: str, expected: dict[str, int] | None = None,
                      source: str = "ui", today: dt.date | None = None, is_sample: bool = False) -> list[int]:
        """Append several events in one transaction (all or none)."""
        ...

    def task_events(self, task_id: str | None = None) -> pd.DataFrame: ...

    def evidence(self, task_id: str | None = None) -> pd.DataFrame: ...

    def evidence_content(self, evidence_id: int) -> tuple[str, str, bytes] | None: ...

    # -- accounts, sign-ins and the audit log --------------------------------------------
    def add_user(self, name: str, role: str, units: Sequence[str], password_hash: str, *, by: str) -> None: ...

    def user_record(self, name: str) -> dict[str, object] | None: ...

    def users(self) -> pd.DataFrame: ...

    def log_sign_in(self, name: str, outcome: str, client: str = "") -> None: ...

    def log_action(self, actor: str, action: str, detail: str = "") -> None: ...

    def audit_log(self, limit: int = 500) -> pd.DataFrame: ...

    # -- monitoring results ---------------------------------------------------------------
    def write_measurements(self, frame: pd.DataFrame, *, replace_file: str | None = None, replace_keys: bool = False,
                           replace_samples: bool = False, new_sites: list[dict[str, object]] | None = None,
                           dry_run: bool = False) -> dict[str, object]:
        """Write monitoring results (and new sections) in one transaction, or with ``dry_run``
        do it all and roll back; returns what was (or would be) replaced and added
        (:meth:`geodata.store.sqlstore.SQLStore.write_measurements` has the rules)."""
        ...

    def measurement_years(self) -> list[int]:
        """The years with stored monitoring results, ascending."""
        ...

    def read_measurements(self, columns: Sequence[str] | None = None, *, sites: Iterable[str] | None = None,
                          **filters: str) -> pd.DataFrame:
        """Stored monitoring results (every column, or ``columns``), filtered by equality and to the site ids
        ``sites``."""
        ...

    def measurement_changes(self, since: int) -> set[tuple[str, str]] | None:
        """The (site_type, site_id) whose measurements changed after the measurements' table version ``since``;
        None when not known (then any may have)."""
        ...

    def delete_samples(self) -> int: ...

    # -- bookkeeping ----------------------------------------------------------------------
    def meta(self, key: str) -> str: ...

    def set_meta(self, key: str, value: str) -> None: ...

    def data_version(self) -> int:
        """A number that changes whenever the data change, kept in the store (for caches of
        every process that serves it)."""
        ...

    def table_versions(self) -> dict[str, int]:
        """Every stored table → the data version at which it last changed: a cache of what is read from
        some tables stays valid while those tables keep their versions (an import of monitoring results
        leaves the views of tasks alone)."""
        ...

    def schema_version(self) -> int:
        """The version of the store's structure (``geodata.store.schema.SCHEMA_VERSION`` when current)."""
        ...

    def status(self) -> StoreStatus:
        """Can the store be read and written now? Never raises; the message says what to do."""
        ...

    def upgrade(self) -> dict[str, object]:
        """Bring the store's structure to the current version in one transaction (``envmap db
        upgrade``); returns ``from``, ``to``, ``steps`` and the ``backup`` made (GeoPackage)."""
        ...

    def table_counts(self) -> dict[str, int]:
        """Rows per stored table (every table of ``geodata.store.schema.STORED_TABLES``)."""
        ...

    # -- whole-store copies (``envmap db copy``) ------------------------------------------
    def export_rows(self, name: str) -> tuple[list[str], Iterator[tuple[Any, ...]]]:
        """Every row of stored table ``name`` in ``fid`` order; geometry as ISO WKB bytes."""
        ...

    def import_rows(self, tables: dict[str, tuple[list[str], Iterable[Sequence[Any]]]], meta: dict[str, str]) -> None:
        """Replace the listed tables (rows as :meth:`export_rows` gives them, ids kept) and the
        metadata, in one transaction."""
        ...

    def meta_items(self) -> dict[str, str]: ...

    def close(self) -> None: ...


# -- values ----------------------------------------------------------------------------------

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TRUE = {"1", "true", "t", "yes", "y", "是", "√"}
_FALSE = {"0", "false", "f", "no", "n", "否", ""}


def coerce(value: object, kind: str, *, table: str, column: str) -> object:
    """``value`` as the store keeps a column of type ``kind`` (None for empty).

    text → str, integer → int, real → float, boolean → bool, date → ``YYYY-MM-DD``, blob → bytes. A value
    that is not of the type raises :class:`StoreError` naming the table, column and value,
    so both backends accept exactly the same input.
    """
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):  # numpy scalars
        value = value.item()
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, str) and value.strip() == "" and kind != "text":
        return None
    try:
        if kind == "blob":
            if isinstance(value, (bytes, bytearray, memoryview)):
                return bytes(value)
            raise ValueError
        if kind == "text":
            if isinstance(value, str):
                return value if value != "" else None
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return str(value)
            if isinstance(value, (dt.date, dt.datetime)):
                return value.isoformat()
            raise ValueError
        if kind == "integer":
            if isinstance(value, (bool, int)):
                return int(value)
            if isinstance(value, str):
                with contextlib.suppress(ValueError):
                    return int(value.strip())
            number = float(value)  # "12.0", 12.0
            if not number.is_integer():
                raise ValueError
            return int(number)
        if kind == "real":
            if isinstance(value, bool):
                raise ValueError
            number = float(value)
            if math.isnan(number):
                return None
            if math.isinf(number):
                raise ValueError
            return number
        if kind == "boolean":  # a Python bool: SQLite keeps 1/0, PostgreSQL a boolean
            if isinstance(value, (bool, int)) and int(value) in (0, 1):
                return bool(value)
            if isinstance(value, float) and value in (0.0, 1.0):
                return bool(value)
            text = str(value).strip().lower()
            if text in _TRUE:
                return True
            if text in _FALSE:
                return False
            raise ValueError
        if kind == "date":
            if isinstance(value, (dt.datetime, pd.Timestamp)):
                return value.date().isoformat()
            if isinstance(value, dt.date):
                return value.isoformat()
            text = str(value).strip()
            if _DATE.match(text):
                dt.date.fromisoformat(text)
                return text
            if len(text) > 10 and _DATE.match(text[:10]) and text[10] in "T ":
                dt.date.fromisoformat(text[:10])
                return text[:10]
            raise ValueError
    except (TypeError, ValueError, OverflowError):
        raise StoreError(i18n.t("store_bad_value", table=table, column=column, value=_short(value),
                                kind=i18n.t(f"store_type_{kind}"))) from None
    raise StoreError(f"unknown column type {kind}")  # a programming error, never user input


def _short(value: object) -> str:
    text = repr(value) if not isinstance(value, str) else value
    return text if len(text) <= 40 else text[:37] + "…"


def plain(value: object) -> object:
    """A value read from either backend as the same plain Python value (dates as ISO text,
    booleans as 0/1, ``memoryview`` as bytes)."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, memoryview):
        return bytes(value)
    return value


def frame_of(columns: Sequence[str], rows: Iterable[Sequence[Any]], *, blanks: bool = True) -> pd.DataFrame:
    """A DataFrame of ``rows``; with ``blanks`` every empty cell is ``""`` and columns are objects
    (what ``read_table`` always returned)."""
    values = _plain_rows(rows)
    if not blanks:
        return pd.DataFrame(values, columns=list(columns))
    frame = pd.DataFrame(values, columns=list(columns), dtype=object)  # integers stay integers beside blanks
    return frame.where(frame.notna(), "")


_NOT_PLAIN = (bool, dt.date, memoryview)  # what :func:`plain` changes (datetime is a date)


def _plain_rows(rows: Iterable[Sequence[Any]]) -> list[Sequence[Any]]:
    """``rows`` with every value :func:`plain`; a column that holds none to change is kept as it is (most
    of a SQLite store), so a million cells cost one type test each, not a call each."""
    rows = [tuple(r) for r in rows]
    if not rows:
        return rows
    columns = list(zip(*rows, strict=True))
    changed = False
    for i, column in enumerate(columns):
        if any(isinstance(v, _NOT_PLAIN) for v in column):
            columns[i] = tuple(plain(v) for v in column)
            changed = True
    return list(zip(*columns, strict=True)) if changed else rows


def merge_by_id(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per id: each column's first non-empty value in document order."""
    cleaned = frame.replace("", pd.NA)
    merged = cleaned.groupby("id", sort=False, as_index=False).first()
    return merged[frame.columns].astype(object).where(merged[frame.columns].notna(), "")


def utc_now(millis: bool = False) -> str:
    now = dt.datetime.now(dt.UTC)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z" if millis else now.strftime("%Y-%m-%dT%H:%M:%SZ")


# -- locations -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Location:
    """Where one record is, and where that came from (WGS84)."""

    lon: float
    lat: float
    precision: str
    method: str
    source: str | None = None
    source_row: int | None = None
    crs: str | None = None
    located_at: str | None = None

    @property
    def trust(self) -> int:
        """Imported (3) > written in a plan (2) > inferred placement (1)."""
        return 3 if self.method == IMPORTED else 2 if self.method == FROM_PLAN else 1


def more_trusted(held: Location | None, new: Location | None) -> Location | None:
    """The location to keep: ``new`` unless ``held`` is more trusted (an imported location is
    never replaced by a plan's coordinates, nor those by an inferred placement)."""
    if held is None:
        return new
    if new is None:
        return held
    return new if new.trust >= held.trust else held


def location_of_update(update: dict[str, object], located_at: str) -> Location:
    """A ``set_locations`` row as a :class:`Location` (coordinates checked)."""
    try:
        lon, lat = float(update["lon"]), float(update["lat"])  # type: ignore[arg-type]
    except (KeyError, TypeError, ValueError):
        raise StoreError(i18n.t("store_bad_location", record=update.get("record_id"), layer=update.get("layer"))) from None
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise StoreError(i18n.t("store_bad_location", record=update.get("record_id"), layer=update.get("layer")))
    row = update.get("source_row")
    return Location(
        lon=lon, lat=lat, precision=str(update.get("precision") or "exact"), method=str(update.get("method") or IMPORTED),
        source=str(update.get("source") or "") or None, source_row=int(row) if row not in (None, "") else None,  # type: ignore[arg-type]
        crs=str(update.get("crs") or "") or None, located_at=located_at,
    )


def location_of_row(row: dict[str, object], source_file: str) -> Location | None:
    """Coordinates written in a plan record itself (``lon``/``lat`` filled by a parser), if any."""
    lon, lat = row.get("lon"), row.get("lat")
    if lon in (None, "") or lat in (None, ""):
        return None
    try:
        x, y = float(lon), float(lat)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    if not (-180 <= x <= 180 and -90 <= y <= 90):
        return None
    line = row.get("source_line")
    return Location(lon=x, lat=y, precision=str(row.get("precision") or "exact"),
                    method=FROM_PLAN, source=source_file or None,
                    source_row=int(line) if str(line or "").isdigit() else None, crs="wgs84", located_at=utc_now())
