"""Facts that need judgement the plan text does not settle, kept in reviewable files.

``data/plans/curation_*.csv`` rows: ``table,key,field,value,reason,source_file,source_line``.
``key`` identifies the record (a section id, an enterprise name, a task id); ``reason`` says
why the value is right and ``source_file``/``source_line`` point at the text it rests on.
Extractors ask :func:`lookup`; a curated value is always marked as such in the output
(``river_source = "curation"`` …), never passed off as the plan's own words.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

CURATION_DIR = Path(__file__).resolve().parents[2] / "data" / "plans"
FIELDS = ("table", "key", "field", "value", "reason", "source_file", "source_line")


@dataclass(frozen=True)
class Curated:
    value: str
    reason: str
    source_file: str
    source_line: str


@cache
def _load(directory: str) -> dict[tuple[str, str, str], Curated]:
    out: dict[tuple[str, str, str], Curated] = {}
    for path in sorted(Path(directory).glob("curation_*.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                key = (row["table"].strip(), row["key"].strip(), row["field"].strip())
                out[key] = Curated(row["value"].strip(), row["reason"].strip(), row.get("source_file", ""), row.get("source_line", ""))
    return out


def lookup(table: str, key: str, field: str, directory: Path | None = None) -> Curated | None:
    """The curated value of ``field`` for record ``key`` of ``table``, if any."""
    return _load(str(directory or CURATION_DIR)).get((table, key, field))


def all_entries(directory: Path | None = None) -> dict[tuple[str, str, str], Curated]:
    return dict(_load(str(directory or CURATION_DIR)))
