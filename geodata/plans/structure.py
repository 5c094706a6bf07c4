"""The frame of a plan document: who issued it, when, under which number, and the plans inside.

A published notice (通知) starts with the issuer's letterhead ("运城市人民政府办公室文件"),
the document number ("运政办发〔2023〕15号"), the notice title, and the issue date; the
plans follow, each starting with its title line ("运城市水环境质量再提升 2023 年行动计划").
A plan published on its own (the Yuncheng 14th Five-Year plan) has none of the letterhead;
its title is taken from the text where the text states it, and nothing is invented.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from geodata import admin
from geodata.plans.reader import SourceDocument
from geodata.plans.tables import Table, find_tables
from geodata.plans.text import clean_line, normalize_digits, squash_cjk_spaces

_DOC_NUMBER = re.compile(r"([\u4e00-\u9fff]{2,8}〔\s*\d{4}\s*〕\s*\d+\s*号)")
_DATE = re.compile(r"^(20\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
_PLAN_TITLE = re.compile(r"^(?P<title>[^《》。，；：:]{4,60}?(行动计划|规划|实施方案|工作方案))$")
_YEARS = re.compile(r"(20\d{2})\s*年?")


@dataclass
class PlanInfo:
    index: int
    title: str
    domain: str
    period_start: int | None
    period_end: int | None
    first_line: int
    last_line: int = 0

    @property
    def year(self) -> int | None:
        """The plan year used for deadlines written without a year ("年底前")."""
        return self.period_end or self.period_start


@dataclass
class DocumentMeta:
    id: str
    title: str
    issuer: str
    doc_number: str
    issue_date: dt.date | None
    jurisdiction: str
    jurisdiction_level: str
    parent: str
    doc_number_line: int | None


@dataclass
class DocumentContext:
    """Everything an extractor needs: the lines, the frame, the tables."""

    doc: SourceDocument
    meta: DocumentMeta
    plans: list[PlanInfo]
    tables: list[Table] = field(default_factory=list)

    def plan_at(self, line: int) -> PlanInfo | None:
        """The plan whose body contains ``line`` (annex tables belong to the plan before them)."""
        for plan in self.plans:
            if plan.first_line <= line <= plan.last_line:
                return plan
        return None

    def year_at(self, line: int) -> int | None:
        plan = self.plan_at(line)
        if plan and plan.year:
            return plan.year
        return self.meta.issue_date.year if self.meta.issue_date else None

    def source(self, line: int) -> dict[str, object]:
        return {"document_id": self.meta.id, "source_file": self.doc.name, "source_line": line}


def domain_of(title: str) -> str:
    t = title.replace(" ", "")
    if "地下水" in t:
        return "groundwater"
    if "空气" in t or "大气" in t or "蓝天" in t:
        return "air"
    if "水" in t:
        return "water"
    if "土壤" in t:
        return "soil"
    return "comprehensive"


def _period(title: str) -> tuple[int | None, int | None]:
    years = [int(y) for y in _YEARS.findall(normalize_digits(title))]
    if "十四五" in title:
        return 2021, 2025
    if not years:
        return None, None
    return min(years), max(years)


def read_structure(doc: SourceDocument) -> DocumentContext:
    """Find the document's letterhead facts and split it into its plans."""
    lines = [clean_line(x) for x in doc.lines]
    issuer = ""
    doc_number = ""
    doc_number_line: int | None = None
    issue_date: dt.date | None = None
    title = ""
    for i, text in enumerate(lines[:40], start=1):
        if not issuer and text.endswith("文件") and len(text) < 30:
            issuer = squash_cjk_spaces(text[:-2])
        m = _DOC_NUMBER.search(text)
        if m and not doc_number and len(text) < 40:
            doc_number = re.sub(r"\s+", "", m.group(1))
            doc_number_line = i
        if not title and text.startswith(issuer or "\x00") and "通知" in text:
            title = re.sub(r"\s+", "", text)
        d = _DATE.match(normalize_digits(text))
        if d and not issue_date and doc_number:
            issue_date = dt.date(int(d.group(1)), int(d.group(2)), int(d.group(3)))

    plans: list[PlanInfo] = []
    for i, text in enumerate(lines, start=1):
        if "\t" in doc.lines[i - 1]:
            continue
        m = _PLAN_TITLE.match(text)
        if not m or "印发" in text or text.startswith(("根据", "按照", "为")):
            continue
        plan_title = squash_cjk_spaces(re.sub(r"\s+", " ", m.group("title")))
        plan_title = re.sub(r"(?<=\d) (?=年)|(?<=年) (?=\d)|(?<=[\u4e00-\u9fff]) (?=\d)|(?<=\d) (?=[\u4e00-\u9fff])", "", plan_title)
        if not re.match(r"^[\u4e00-\u9fff]{2,4}[市县区]", plan_title):
            continue
        start, end = _period(plan_title)
        plans.append(PlanInfo(len(plans) + 1, plan_title, domain_of(plan_title), start, end, i))

    if not plans:  # a plan published on its own, without a title line (the 14th FYP text)
        m = re.search(r"([\u4e00-\u9fff]{2,4}市生态环境保护“十四五”规划)", doc.text)
        if m:
            start, end = _period(m.group(1))
            plans.append(PlanInfo(1, m.group(1), "comprehensive", start, end, 1))
            title = title or m.group(1)
    for k, plan in enumerate(plans):
        plan.last_line = plans[k + 1].first_line - 1 if k + 1 < len(plans) else len(lines)

    jurisdiction = ""
    for candidate in [issuer, title] + [p.title for p in plans]:
        m = re.match(r"^([\u4e00-\u9fff]{2,4}?[市县])", candidate or "")
        if m and (m.group(1) in admin.CITY_COUNTIES or m.group(1) in admin.COUNTY_CITY):
            jurisdiction = m.group(1)
            break
    doc_id = doc_number or re.sub(r"\.[^.]+$", "", doc.name)
    meta = DocumentMeta(
        id=doc_id,
        title=title or (plans[0].title if plans else ""),
        issuer=issuer,
        doc_number=doc_number,
        issue_date=issue_date,
        jurisdiction=jurisdiction,
        jurisdiction_level=admin.level_of(jurisdiction),
        parent=admin.parent_of(jurisdiction),
        doc_number_line=doc_number_line,
    )
    return DocumentContext(doc=doc, meta=meta, plans=plans, tables=find_tables(doc))
