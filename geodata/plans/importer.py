"""Importing one plan document into the store: the checks that keep an import from being silent.

:func:`import_plan` reads and extracts the file, then refuses — in Chinese, naming what it
found and what to do — an import that would lose or hide something:

- a document with a title but no task, section or section target (a notice without its plan,
  a plan's cover page, a wrong file) unless ``allow_empty``;
- a document whose id (its 文号, or the file name when it has none) is already in the store
  from a *different* file, unless ``replace``: the message names the document it would replace.
  Importing the very same file again (same SHA-256) replaces it without asking.

The store's ``replace_document`` writes everything in one transaction and moves recorded
progress to the re-imported tasks (see :func:`geodata.plans.ids.match_task_ids`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from geodata.errors import EnvmapError
from geodata.plans.extract import Extraction, extract_document

CONTENT_TABLES = ("tasks", "sections", "section_targets")
COUNTED = ("tasks", "sections", "section_targets", "enterprises", "indicators", "air_targets",
           "groundwater_points", "drinking_water_sources", "no_coal_zones")


class EmptyPlan(EnvmapError):
    """A document with a plan title but nothing to track."""

    def __init__(self, extraction: Extraction) -> None:
        doc = extraction.document
        others = [f"{name} {extraction.count(name)} 条" for name in COUNTED if extraction.count(name)]
        found = "；另识别出 " + "、".join(others) if others else ""
        super().__init__(
            f"{doc['source_file']}：找到了标题“{doc['title'] or '（无标题）'}”，但没有识别出任何任务、断面或断面目标{found}。"
            "这可能是通知正文、封面或不完整的文件。若确实要导入，请加 --allow-empty；"
            "否则请改用包含行动计划正文（编号任务或任务表格）的文件。"
        )


class DuplicateDocument(EnvmapError):
    """A different file claims the id of a document already in the store."""

    def __init__(self, doc_id: str, existing: dict[str, object], new_file: str, counts: dict[str, int]) -> None:
        held = "、".join(f"{k} {v} 条" for k, v in counts.items() if v) or "无记录"
        super().__init__(
            f"{new_file} 的标识“{doc_id}”与已导入的文件“{existing.get('title', '')}”（{existing.get('source_file', '')}）"
            f"相同，后者现有 {held}（以及登记的任务进展）。数据库未作修改。"
            "若新文件是同一文件的更正版本，请加 --replace 替换它（进展记录会随内容未变的任务保留）；"
            "若是另一份文件，请检查其文号，或改用不同的文件名后再导入。"
        )


@dataclass
class ImportResult:
    extraction: Extraction
    written: dict[str, int]
    replaced: dict[str, object] | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def rekeyed(self) -> int:
        return int(self.written.get("task_events_rekeyed", 0))

    @property
    def orphaned(self) -> list[str]:
        return list(getattr(self.extraction, "orphaned_task_ids", []))


def is_empty(extraction: Extraction) -> bool:
    return not any(extraction.count(name) for name in CONTENT_TABLES)


def import_plan(
    path: str | Path, store, *, replace: bool = False, allow_empty: bool = False, data: bytes | None = None  # noqa: ANN001
) -> ImportResult:
    """Extract ``path`` and write it to ``store`` in one transaction, after the checks above."""
    extraction = extract_document(path, data)
    warnings = list(extraction.warnings)
    if is_empty(extraction):
        if not allow_empty:
            raise EmptyPlan(extraction)
        warnings.append("没有识别出任何任务、断面或断面目标（按 --allow-empty 导入）。")
    doc = extraction.document
    doc_id = str(doc["id"])
    existing_rows = store.read_table("documents", id=doc_id)
    existing = existing_rows.iloc[0].to_dict() if len(existing_rows) else None
    if existing is not None and existing.get("sha256") != doc["sha256"] and not replace:
        counts = {name: len(store.read_table(name, document_id=doc_id)) for name in COUNTED}
        raise DuplicateDocument(doc_id, existing, str(doc["source_file"]), counts)
    written = store.replace_document(extraction)
    return ImportResult(extraction, written, existing, warnings)
