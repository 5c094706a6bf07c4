"""Turning one plan document into records for every table of ``geodata.model``.

Each extractor is a function ``(ctx, found) -> {table: [record, …]}``; ``found`` holds
what earlier extractors produced (tasks come first so that later tables can link to them).
Records are plain dicts keyed by ``geodata.model`` column names; missing columns are
filled with "" by :func:`extract_document`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from geodata.errors import ImportRejected, PlanParseError, RowProblem
from geodata.model import LIST_SEP, TABLES
from geodata.plans.reader import read_document
from geodata.plans.structure import DocumentContext, read_structure

Record = dict[str, object]
Extractor = Callable[[DocumentContext, dict[str, list[Record]]], dict[str, list[Record]]]


@dataclass
class Extraction:
    document: Record
    tables: dict[str, list[Record]]
    warnings: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)  # the text as numbered by ``source_line`` (for reading it back)
    orphaned_task_ids: list[str] = field(default_factory=list)  # set by the store on re-import

    def count(self, table: str) -> int:
        return len(self.tables.get(table, []))


def _extractors() -> list[Extractor]:
    from geodata.plans import (
        air_targets,
        enterprises,
        groundwater,
        indicators,
        no_coal_zones,
        sections,
        tasks,
    )

    return [
        tasks.extract,
        sections.extract,
        groundwater.extract,
        enterprises.extract,
        no_coal_zones.extract,
        air_targets.extract,
        indicators.extract,
    ]


def _cell(value: object) -> object:
    if isinstance(value, bool):
        return 1 if value else 0
    if isinstance(value, (list, tuple)):
        return LIST_SEP.join(str(v) for v in value if str(v))
    if value is None:
        return ""
    return value


def extract_document(path: str | Path, data: bytes | None = None) -> Extraction:
    """Read and extract one plan document. Raises :class:`PlanParseError` when it holds no plan."""
    doc = read_document(path, data)
    ctx = read_structure(doc)
    if not ctx.plans and not ctx.tables:
        raise PlanParseError(
            doc.name,
            "没有找到行动计划的标题或任何表格（如“××市…行动计划/实施方案/工作方案/工作要点”标题行、"
            "“序号”表头）。请确认这是行动计划/规划的正文；标题须以市、县（区）名开头。",
        )
    broken = [RowProblem(row.line, f"表格“{t.title}”{row.problem}") for t in ctx.tables for row in t.rows if row.problem]
    if broken:
        raise ImportRejected(doc.name, broken, hint="请核对原文表格的这些行（单元格之间用制表符分隔），修正后再导入。")
    found: dict[str, list[Record]] = {}
    for extractor in _extractors():
        for table, records in extractor(ctx, found).items():
            found.setdefault(table, []).extend(records)
    meta = ctx.meta
    document: Record = {
        "id": meta.id,
        "title": meta.title,
        "issuer": meta.issuer,
        "doc_number": meta.doc_number,
        "issue_date": meta.issue_date.isoformat() if meta.issue_date else "",
        "jurisdiction": meta.jurisdiction,
        "jurisdiction_level": meta.jurisdiction_level,
        "parent": meta.parent,
        "sha256": doc.sha256,
        "source_file": doc.name,
        "source_line": meta.doc_number_line or 1,
    }
    plans: list[Record] = [
        {
            "id": f"{meta.id}-{p.index}",
            "title": p.title,
            "domain": p.domain,
            "period_start": p.period_start or "",
            "period_end": p.period_end or "",
            "jurisdiction": meta.jurisdiction,
            "first_line": p.first_line,
            "last_line": p.last_line,
            **ctx.source(p.first_line),
        }
        for p in ctx.plans
    ]
    tables: dict[str, list[Record]] = {"documents": [document], "plans": plans}
    for name in TABLES:
        if name in tables:
            continue
        cols = [c.name for c in TABLES[name]]
        rows = []
        for rec in found.get(name, []):
            row = {c: _cell(rec.get(c)) for c in cols}
            row["document_id"] = meta.id
            row.setdefault("source_file", doc.name)
            if not row.get("source_file"):
                row["source_file"] = doc.name
            rows.append(row)
        tables[name] = rows
    warnings = [str(w) for w in found.get("_warnings", [])]
    return Extraction(document=document, tables=tables, warnings=warnings, lines=list(doc.lines))
