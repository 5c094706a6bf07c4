"""The bundled dataset: every table extracted from the seed plans, as CSV under ``data/plans/``.

``build_dataset`` extracts the seeds and writes one UTF-8 CSV per table, sorted the same
way every time (same input, same bytes). ``load_bundled_dataset`` fills a new store from
those CSVs, one transaction per document, so ``make run`` needs neither the seeds nor the
parser at start-up.
"""

from __future__ import annotations

import csv
import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

from geodata.model import TABLES, column_names
from geodata.plans.extract import Extraction, extract_document

REPO_ROOT = Path(__file__).resolve().parents[2]


def data_dir() -> Path:
    """``$ENVMAP_DATA`` or the repository's ``data/``."""
    return Path(os.environ.get("ENVMAP_DATA") or REPO_ROOT / "data")


def seed_files(seeds: Path | None = None) -> list[Path]:
    directory = seeds or data_dir() / "seeds"
    return sorted(
        p for p in directory.iterdir() if p.suffix.lower() in (".txt", ".md", ".docx", ".pdf") and not p.name.upper().startswith("README")
    )


def build_dataset(seeds: Iterable[Path], out_dir: Path) -> dict[str, int]:
    """Extract every seed and write ``out_dir/<table>.csv``; returns row counts per table."""
    extractions = [extract_document(p) for p in seeds]
    out_dir.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    for name in TABLES:
        cols = column_names(name)
        rows = [row for e in extractions for row in e.tables.get(name, [])]
        path = out_dir / f"{name}.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(cols)
            for row in rows:
                writer.writerow(["" if row.get(c) is None else row.get(c) for c in cols])
        counts[name] = len(rows)
    return counts


def read_dataset(directory: Path) -> list[Extraction]:
    """The CSVs of ``directory`` regrouped into one :class:`Extraction` per document."""
    documents: list[dict[str, object]] = []
    path = directory / "documents.csv"
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as fh:
        documents = list(csv.DictReader(fh))
    by_doc: dict[str, dict[str, list[dict[str, object]]]] = {str(d["id"]): {} for d in documents}
    for name in TABLES:
        if name == "documents":
            continue
        table_path = directory / f"{name}.csv"
        if not table_path.exists():
            continue
        with table_path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                by_doc.setdefault(str(row["document_id"]), {}).setdefault(name, []).append(dict(row))
    return [
        Extraction(document=d, tables={"documents": [d], **by_doc.get(str(d["id"]), {})}, lines=_seed_lines(d))
        for d in documents
    ]


def _seed_lines(document: dict[str, object]) -> list[str]:
    """The numbered lines of a bundled document's original text (``data/seeds/``), so users can read it."""
    from geodata.plans.reader import read_document

    path = data_dir() / "seeds" / str(document.get("source_file") or "")
    if not path.is_file():
        return []
    return list(read_document(path).lines)


def bundle_fingerprint() -> str:
    """A hash of every bundled data file: changes when a release changes the data."""
    digest = hashlib.sha256()
    root = data_dir()
    for path in sorted([*root.glob("plans/*.csv"), *root.glob("geo/*.geojson"), *root.glob("seeds/*")]):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def load_bundled_dataset(store, directory: Path | None = None) -> int:  # noqa: ANN001 - Store
    """Write the bundled CSVs into ``store``; returns the number of documents loaded."""
    extractions = read_dataset(directory or data_dir() / "plans")
    for extraction in extractions:
        store.replace_document(extraction)
    return len(extractions)
