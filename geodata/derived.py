"""Results computed when the data change, kept in the store, read by every page and every new process.

Computing some results from the stored tables takes seconds at scale (the classes of every section:
2 s on the bundled data, more at 50×) or needs slow helpers (attributing sites to cities and counties
reads the national gazetteer, ≈0.8 s per process). Doing that on the first page after each start or
import put the time on a visitor. Here each result is computed once per change of the tables it reads
and kept in ``derived_frames`` (compressed JSON) under a key naming those tables' versions and the code
that computes it (a hash of its modules' sources: a release with changed rules recomputes). A reader
whose key matches reads the stored frame (milliseconds); any other reader computes, keeps the result
when the store is writable, and returns it — so a stale result is never served, and a read-only store
still works (it just computes).

:func:`refresh` is called where the data change — after a monitoring import and when ``envmap serve``
starts — so visitors find the results ready. What is kept:

* the evaluations of sections and groundwater points, and the figures of each period a page asked for
  (its classes, 预警 and months with results) (:mod:`geodata.quality.derived`);
* the city and county each site, enterprise, task and zone is attributed to (:func:`attributed`), and the
  cities and counties a visitor can choose (:func:`areas`).
"""

from __future__ import annotations

import functools
import hashlib
import json
import zlib
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from geodata.errors import StoreError

PACKAGE = Path(__file__).parent

# table → the tables its attribution to areas reads (:func:`attributed`)
ATTRIBUTED = {
    "sections": ("sections", "documents"), "enterprises": ("enterprises", "documents"),
    "groundwater_points": ("groundwater_points", "documents"),
    "drinking_water_sources": ("drinking_water_sources", "documents"), "air_targets": ("air_targets", "documents"),
    "tasks": ("tasks",), "no_coal_zones": ("no_coal_zones",),
}
# the tables whose attributed records name the cities and counties a visitor can choose (:func:`areas`)
AREA_INPUTS = ("documents", "sections", "enterprises", "groundwater_points", "drinking_water_sources", "tasks")
_BY_JURISDICTION = ("tasks", "no_coal_zones")  # attributed by their jurisdiction and text, not a county column
AREA_CODE = ("areas.py", "admin.py", "gazetteer.py")  # the modules attribution rests on


@functools.cache
def code_fingerprint(*paths: str) -> str:
    """A hash of the sources at ``paths`` (relative to ``geodata/``; a folder stands for its ``*.py``)."""
    digest = hashlib.sha256()
    for name in paths:
        path = PACKAGE / name
        for file in sorted(path.glob("*.py")) if path.is_dir() else [path]:
            digest.update(file.relative_to(PACKAGE).as_posix().encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def inputs_key(store, tables: tuple[str, ...], code: str, versions: dict[str, int] | None = None) -> str:  # noqa: ANN001
    versions = store.table_versions() if versions is None else versions
    return ";".join([*(f"{t}={versions.get(t, 0)}" for t in tables), f"rules={code}"])


def key_versions(key: str, code: str) -> dict[str, int] | None:
    """The table versions an :func:`inputs_key` names, when it was made with the code ``code`` (else None)."""
    parts = dict(part.partition("=")[::2] for part in key.split(";"))
    if parts.pop("rules", None) != code:
        return None
    try:
        return {table: int(version) for table, version in parts.items()}
    except ValueError:
        return None


# how a kept result is brought up to date: (the frame kept, the table versions it was computed at, the versions
# now) → the frame for now, or None when it must be computed afresh
Update = Callable[[pd.DataFrame, dict[str, int], dict[str, int]], pd.DataFrame | None]


def _to_bytes(frame: pd.DataFrame) -> bytes | None:
    """The frame as compressed JSON (columns, dtypes, values; Python's JSON keeps int, float, NaN, None,
    str and bool apart) — or None when it would not read back exactly the same (then it is not kept)."""
    columns = [str(c) for c in frame.columns]
    payload = {"columns": columns, "dtypes": [str(frame[c].dtype) for c in frame.columns],
               "data": [frame[c].tolist() for c in frame.columns]}
    try:
        data = zlib.compress(json.dumps(payload, ensure_ascii=False, allow_nan=True).encode("utf-8"), 6)
        same = _from_bytes(data).equals(frame.reset_index(drop=True))
    except (TypeError, ValueError, OverflowError):  # a value JSON cannot hold: not kept
        return None
    return data if same else None


def _from_bytes(data: bytes) -> pd.DataFrame:
    payload = json.loads(zlib.decompress(data).decode("utf-8"))
    return pd.DataFrame({c: pd.Series(values, dtype=pd.api.types.pandas_dtype(dtype))
                         for c, dtype, values in zip(payload["columns"], payload["dtypes"], payload["data"], strict=True)},
                        columns=payload["columns"])


def kept(store, name: str, tables: tuple[str, ...], compute: Callable[[], pd.DataFrame], *,  # noqa: ANN001 - Store
         code: str, update: Update | None = None) -> pd.DataFrame:
    """Result ``name``, computed by ``compute`` from ``tables`` with the code whose fingerprint is ``code``:
    read from the store when it was kept for exactly these versions, else computed (and kept). With ``update``,
    a result kept for older versions (by the same code) is brought up to date by it where it can be (only the
    sites an import touched computed again), and computed afresh where it returns None."""
    versions = store.table_versions()
    key = inputs_key(store, tables, code, versions)
    try:
        held = store.last_derived_frame(name)
    except StoreError:
        held = None
    if held is not None and held[0] == key:
        return _from_bytes(held[1])
    frame = None
    if held is not None and update is not None and (then := key_versions(held[0], code)) is not None:
        frame = update(_from_bytes(held[1]), then, versions)
    frame = (compute() if frame is None else frame).reset_index(drop=True)
    data = _to_bytes(frame)
    if data is not None and not getattr(store, "read_only", False):
        try:
            store.put_derived_frame(name, key, data)
        except StoreError:  # busy or read-only now: the next reader computes again
            pass
    return frame


def _attribution(store, name: str, frame: Callable[[], pd.DataFrame],  # noqa: ANN001 - Store
                 documents: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """The ``area_city``/``area_county`` columns of table ``name`` in its stored order (the table is read,
    by ``frame``, only when they must be computed)."""
    return kept(store, f"attributed/{name}", ATTRIBUTED[name], lambda: _computed(name, frame(), documents),
                code=code_fingerprint(*AREA_CODE))


def attributed(store, name: str, frame: pd.DataFrame | None = None,  # noqa: ANN001 - Store
               documents: Callable[[], pd.DataFrame] | None = None) -> pd.DataFrame:
    """Table ``name`` (``frame`` when the caller has read it already) with ``area_city``/``area_county``
    (:func:`geodata.areas.attribute_sites`, :func:`geodata.areas.attribute_tasks`). Only the two columns
    are kept, in the table's stored order, so the table is not stored twice."""
    rows = store.read_table(name) if frame is None else frame
    read_documents = documents or (lambda: store.read_table("documents"))
    columns = _attribution(store, name, lambda: rows, read_documents)
    if len(columns) != len(rows):  # a table read at another version than the key: never mix the two
        columns = _computed(name, rows, read_documents)
    return rows.assign(area_city=columns["area_city"].to_numpy(), area_county=columns["area_county"].to_numpy())


def _computed(name: str, rows: pd.DataFrame, documents: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    from geodata.areas import attribute_sites, attribute_tasks

    done = attribute_tasks(rows) if name in _BY_JURISDICTION else attribute_sites(rows, documents())
    return done[["area_city", "area_county"]].astype(str).reset_index(drop=True)


def areas(store, attributed_of: Callable[[str], pd.DataFrame] | None = None) -> dict[str, list[str]]:  # noqa: ANN001
    """City → its county-level units, for the cities the data concern (:func:`geodata.views.areas_of`), kept
    as (city, county) rows in their order; ``attributed_of(name)`` gives an attributed table (default
    :func:`attributed`)."""
    from geodata.views import areas_of

    def compute() -> pd.DataFrame:
        read = attributed_of or (lambda name: attributed(store, name))
        pairs: set[tuple[str, str]] = set()
        for name in AREA_INPUTS[1:]:
            frame = read(name)
            pairs.update(zip(frame["area_city"], frame["area_county"], strict=True))
        choices = areas_of(store.read_table("documents"), pairs)
        rows = [(city, county) for city, counties in choices.items() for county in (counties or [""])]
        return pd.DataFrame(rows, columns=["city", "county"], dtype=str)

    out: dict[str, list[str]] = {}
    frame = kept(store, "areas", AREA_INPUTS, compute, code=code_fingerprint(*AREA_CODE, "views.py"))
    for city, county in zip(frame["city"], frame["county"], strict=True):
        out.setdefault(city, [])
        if county:
            out[city].append(county)
    return out


def refresh(store) -> None:  # noqa: ANN001 - Store
    """Compute (or confirm) every kept result for the store's current data."""
    from geodata.quality.derived import refresh as refresh_evaluations

    refresh_evaluations(store)
    for name in ATTRIBUTED:
        _attribution(store, name, lambda n=name: store.read_table(n), lambda: store.read_table("documents"))
    areas(store)
