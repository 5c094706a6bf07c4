"""Evaluations computed when the data change, kept in the store, read by every page.

Computing the classes of every section from the stored readings takes seconds (2 s on the
bundled data, more at scale); doing it on the first page after each start or import put that
time on a visitor. Here each result is computed once per change of the tables it reads and kept
in ``derived_frames`` (compressed JSON) with a key naming those tables' versions and the evaluation code itself
(a hash of ``geodata/quality``'s sources: a new envmap release with changed rules recomputes).
A reader whose key matches reads the stored frame (tens of milliseconds); any other
reader computes, keeps it when the store is writable, and returns it — so a stale result is never
served, and a read-only store still works (it just computes).

:func:`refresh` is called where the data change — after a monitoring import and when
``envmap serve`` starts — so visitors find the results ready.
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

SECTION_INPUTS = ("measurements", "sections", "section_targets")
GROUNDWATER_INPUTS = ("measurements", "groundwater_points")


@functools.cache
def rules_fingerprint() -> str:
    """A hash of the evaluation code (every module of ``geodata.quality``)."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def inputs_key(store, tables: tuple[str, ...]) -> str:  # noqa: ANN001 - Store
    versions = store.table_versions()
    return ";".join([*(f"{t}={versions.get(t, 0)}" for t in tables), f"rules={rules_fingerprint()}"])


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


def _stored(store, name: str, tables: tuple[str, ...], compute: Callable[[], pd.DataFrame]) -> pd.DataFrame:  # noqa: ANN001
    key = inputs_key(store, tables)
    try:
        held = store.derived_frame(name, key)
    except StoreError:
        held = None
    if held is not None:
        return _from_bytes(held)
    frame = compute().reset_index(drop=True)
    data = _to_bytes(frame)
    if data is not None and not getattr(store, "read_only", False):
        try:
            store.put_derived_frame(name, key, data)
        except StoreError:  # busy or read-only now: the next reader computes again
            pass
    return frame


def section_evaluations(store) -> pd.DataFrame:  # noqa: ANN001 - Store
    """:func:`geodata.quality.evaluations.section_evaluations` (monthly and yearly classes), kept in the store."""
    from geodata.quality.evaluations import section_evaluations as compute

    return _stored(store, "section_evaluations", SECTION_INPUTS, lambda: compute(store, "month"))


def groundwater_evaluations(store) -> pd.DataFrame:  # noqa: ANN001 - Store
    """:func:`geodata.quality.evaluations.groundwater_evaluations` by year, kept in the store."""
    from geodata.quality.evaluations import groundwater_evaluations as compute

    return _stored(store, "groundwater_evaluations", GROUNDWATER_INPUTS, lambda: compute(store, "year"))


def refresh(store) -> None:  # noqa: ANN001 - Store
    """Compute (or confirm) every kept result for the store's current data."""
    section_evaluations(store)
    groundwater_evaluations(store)
