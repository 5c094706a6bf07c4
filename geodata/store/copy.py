"""Copying a whole store between backends (``envmap db copy``), verified by counts and checksums.

Every stored table moves with its row ids (``fid``: progress reports keep their ids), its
geometry (as WKB) and the store's metadata (bundle fingerprint …), in one write transaction
on the target. Afterwards both sides are read back and compared table by table: the number of
rows and a SHA-256 over every row in id order, values normalised the same way on both
backends (dates as ISO text, booleans as 0/1, geometry as little-endian ISO WKB). A copy whose
checksums differ is reported as such.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from geodata import i18n
from geodata.errors import StoreError
from geodata.store.base import Store
from geodata.store.schema import STORED_TABLES


@dataclass(frozen=True)
class TableCopy:
    table: str
    rows: int
    source_checksum: str
    target_checksum: str
    target_rows: int

    @property
    def matches(self) -> bool:
        return self.rows == self.target_rows and self.source_checksum == self.target_checksum


def _canonical(value: object) -> object:
    if isinstance(value, bytes):
        return {"wkb": value.hex()}
    if isinstance(value, float):
        return {"f": repr(value)}
    return value


def table_checksums(store: Store) -> dict[str, tuple[int, str]]:
    """(rows, SHA-256) of every stored table."""
    out: dict[str, tuple[int, str]] = {}
    for name in STORED_TABLES:
        cols, rows = store.export_rows(name)
        digest = hashlib.sha256(json.dumps(cols).encode())
        n = 0
        for row in rows:
            digest.update(json.dumps([_canonical(v) for v in row], ensure_ascii=False, sort_keys=True).encode("utf-8"))
            digest.update(b"\n")
            n += 1
        out[name] = (n, digest.hexdigest())
    return out


def copy_store(source: Store, target: Store, *, replace: bool = False) -> list[TableCopy]:
    """Copy every table of ``source`` into ``target`` (one transaction), then verify."""
    if source.backend == target.backend and source.location == target.location:
        raise StoreError(i18n.t("db_copy_same"))
    held = sum(target.table_counts().values())
    if held and not replace:
        raise StoreError(i18n.t("db_copy_not_empty", target=target.location, rows=held))
    tables = {name: source.export_rows(name) for name in STORED_TABLES}
    target.import_rows(tables, source.meta_items())
    before = table_checksums(source)
    after = table_checksums(target)
    return [TableCopy(name, before[name][0], before[name][1], after[name][1], after[name][0]) for name in STORED_TABLES]
