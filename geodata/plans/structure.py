"""The frame of a plan document: who issued it, when, under which number, and the plans inside.

Read for the genre, not for one template: titles of every kind the genre uses (行动计划, 行动方案,
实施方案, 工作方案, 工作要点, 攻坚方案 …, with "（2019-2020年）", with 书名号, or wrapped over two
lines, or named only in a news copy's "印发《…》"); a 文号 in any bracket style; the issuer and
date from the letterhead or from a signature block ("长治市人民政府办公室 / 2019年7月16日",
also in Chinese numerals); the jurisdiction from the national gazetteer with its level and
parent (屯留区 → 长治市), never from a list of known areas.

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

from geodata.gazetteer import gazetteer
from geodata.plans.document import Outline, build_outline, marker_of
from geodata.plans.reader import SourceDocument
from geodata.plans.tables import Table, find_tables
from geodata.plans.text import clean_line, normalize_digits, squash_cjk_spaces

_DOC_NUMBER = re.compile(r"([\u4e00-\u9fff]{2,10}[〔\[［【(（]\s*\d{4}\s*[〕\]］】)）]\s*\d+\s*号)")
_DATE = re.compile(r"^(20\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
_CN_DATE = re.compile(r"^([〇零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日$")
# the kinds of document the genre publishes; a title may end with its years in brackets
PLAN_WORDS = ("行动计划", "行动方案", "实施方案", "工作方案", "工作要点", "攻坚方案", "实施计划", "工作计划", "规划", "方案", "计划", "要点")
_TITLE_WORDS = "|".join(PLAN_WORDS)
_YEAR_BRACKET = r"(?:[（(]\s*20\d{2}\s*(?:[-—–－~至]\s*20\d{2})?\s*年?(?:度)?\s*[）)])"
_PLAN_TITLE = re.compile(rf"^(?P<title>[^。，；：:！？]{{4,80}}?(?:{_TITLE_WORDS}){_YEAR_BRACKET}?)$")
_YEARS = re.compile(r"(20\d{2})\s*年?")
_ISSUER = re.compile(
    r"^(?P<org>[\u4e00-\u9fff（）]{2,30}?(?:人民政府办公室|人民政府办公厅|人民政府|委员会办公室|委员会|"
    r"生态环境局|环境保护局|生态环境分局|指挥部办公室|指挥部|领导小组办公室|领导小组|管理委员会|管委会|办公室))$"
)
_NOT_TITLE_START = ("根据", "按照", "为", "依据", "现将", "经", "各", "全面", "认真", "结合", "落实", "贯彻", "深入", "以")


def cn_year(text: str) -> int:
    digits = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0"}
    return int("".join(digits.get(c, "0") for c in text))


def parse_issue_date(text: str) -> dt.date | None:
    """"2019年7月16日" or "二〇一九年七月十六日" → a date, else None."""
    t = normalize_digits(re.sub(r"\s+", "", text))
    m = _DATE.match(t)
    try:
        if m:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        m = _CN_DATE.match(t)
        if m:
            from geodata.plans.document import cn_number

            return dt.date(cn_year(m.group(1)), cn_number(m.group(2)), cn_number(m.group(3)))
    except ValueError:
        return None
    return None


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
    adcode: str = ""


@dataclass
class DocumentContext:
    """Everything an extractor needs: the lines, the frame, the tables."""

    doc: SourceDocument
    meta: DocumentMeta
    plans: list[PlanInfo]
    tables: list[Table] = field(default_factory=list)
    _outlines: dict[tuple[int, int], Outline] = field(default_factory=dict, repr=False)

    def outline(self, first: int, last: int) -> Outline:
        """The document model (numbered items, paragraphs, tables) of lines ``first``…``last``, built once."""
        key = (first, last)
        if key not in self._outlines:
            self._outlines[key] = build_outline(self.doc.lines, first, last)
        return self._outlines[key]

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
        return {
            "document_id": self.meta.id,
            "source_file": self.doc.name,
            "source_line": line,
            "source_ref": self.doc.source_ref(line),
        }

    @property
    def context(self) -> str:
        """The jurisdiction's name, for place recognition near it ("" when unknown)."""
        return self.meta.jurisdiction


def domain_of(title: str) -> str:
    t = title.replace(" ", "")
    if "地下水" in t:
        return "groundwater"
    if any(w in t for w in ("空气", "大气", "蓝天", "臭氧", "柴油货车", "重污染天气", "扬尘", "秋冬季")):
        return "air"
    if "水" in t or any(w in t for w in ("河湖", "河流", "流域", "河长")):
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


def _title_lines(lines: list[str], raw: list[str]) -> list[tuple[int, str]]:
    """``(line, title)`` of the plan titles: a line that names a plan, or two lines that do together.

    A title names a jurisdiction near its start and ends with a plan word (行动计划 / 实施方案 /
    工作要点 …), optionally followed by its years in brackets ("（2019-2020年）"); one wrapped
    over two lines ("佳木斯市2018年度水污染防治" + "重点工作 实施方案") is read whole. A
    sentence, a notice title (印发…通知) and a 书名号 citation inside a sentence are not titles;
    "关于落实《…》的实施方案" is.
    """
    g = gazetteer()
    out: list[tuple[int, str]] = []
    n = len(lines)
    i = 0
    while i < n:
        text = lines[i]
        if not text or "\t" in raw[i] or len(text) > 80:
            i += 1
            continue
        candidates = [(text, i)]
        nxt = next((j for j in range(i + 1, min(i + 3, n)) if lines[j]), None)
        if nxt is not None and "\t" not in raw[nxt] and not _PLAN_TITLE.match(_compact(text)):
            candidates.append((text + lines[nxt], nxt))
        for candidate, last in candidates:
            title = _compact(candidate)
            if not _PLAN_TITLE.match(title) or "印发" in title or "通知" in title or title.startswith(_NOT_TITLE_START):
                continue
            if "《" in title and "关于" not in title[:12]:
                continue
            if marker_of(title) and not title.startswith("关于"):
                continue
            head = re.sub(r"^(关于(?:落实|贯彻落实|印发)?《?|20\d{2}\s*年度?)", "", title)
            found = [m for m in g.mentions(head[:14]) if m.division is not None and m.start <= 4]
            if not found:
                continue
            out.append((i + 1, title))
            i = last
            break
        i += 1
    return out


def _compact(text: str) -> str:
    t = squash_cjk_spaces(re.sub(r"\s+", " ", text.strip()))
    t = re.sub(r"(?<=\d) (?=年)|(?<=年) (?=\d)|(?<=[\u4e00-\u9fff]) (?=\d)|(?<=\d) (?=[\u4e00-\u9fff])", "", t)
    return t.replace(" ", "") if re.search(r"[\u4e00-\u9fff] [\u4e00-\u9fff]", t) else t


def read_structure(doc: SourceDocument) -> DocumentContext:
    """Find the document's letterhead facts and split it into its plans."""
    lines = [clean_line(x) for x in doc.lines]
    issuer = ""
    doc_number = ""
    doc_number_line: int | None = None
    issue_date: dt.date | None = None
    title = ""
    head = lines[:80]
    for i, text in enumerate(head[:40], start=1):
        if not issuer and text.endswith("文件") and len(text) < 30:
            issuer = squash_cjk_spaces(text[:-2]).replace(" ", "")
        m = _DOC_NUMBER.search(normalize_digits(text))
        if m and not doc_number and len(text) < 40 and "〔" in m.group(1) or (m and not doc_number and len(text) < 25):
            doc_number = re.sub(r"\s+", "", m.group(1))
            doc_number = re.sub(r"[\[［【(（](\d{4})[\]］】)）]", r"〔\1〕", doc_number)
            doc_number_line = i
    # the notice title, maybe wrapped: "…关于印发《大同市空气质量巩固提升" + "2021年行动计划》的通知"
    for i, text in enumerate(head[:40]):
        if "关于" in text and "通知" not in text and i + 1 < len(head):
            joined = text + next((t for t in head[i + 1 : i + 3] if t), "")
            if "通知" in joined and "印发" in joined:
                title = re.sub(r"\s+", "", joined)
                break
        if ("关于" in text or "印发" in text) and "通知" in text and len(text) < 90:
            title = re.sub(r"\s+", "", text)
            break
    # a signature block: the issuing organ on one line, the date on the next
    for i, text in enumerate(head):
        d = parse_issue_date(text)
        if d is None:
            continue
        before = next((head[k] for k in range(i - 1, max(i - 3, -1), -1) if head[k]), "")
        org = _ISSUER.match(re.sub(r"\s+", "", before))
        if org or doc_number:
            issue_date = d
            if org and not issuer:
                issuer = org.group("org")
            break

    plans: list[PlanInfo] = []
    for line, plan_title in _title_lines(lines, doc.lines):
        if plans and plans[-1].title == plan_title:
            continue  # a title repeated after the notice (its first mention is the notice's)
        start, end = _period(plan_title)
        plans.append(PlanInfo(len(plans) + 1, plan_title, domain_of(plan_title), start, end, line))

    if not plans:  # a news copy: "…印发《长治市河湖生态修复综合治理工作方案》…" names the plan it carries
        for i, text in enumerate(lines[:10], start=1):
            m = re.search(rf"印发(?:了)?《(?P<t>[^《》]{{4,80}}(?:{_TITLE_WORDS}){_YEAR_BRACKET}?)》", _compact(text))
            if m and _jurisdiction([m.group("t")]) is not None:
                start, end = _period(m.group("t"))
                plans.append(PlanInfo(1, m.group("t"), domain_of(m.group("t")), start, end, i))
                break
    if not plans:  # a plan published on its own, without a title line (the 14th FYP text)
        m = re.search(r"([\u4e00-\u9fff]{2,4}市生态环境保护“十四五”规划)", doc.text)
        if m:
            start, end = _period(m.group(1))
            plans.append(PlanInfo(1, m.group(1), "comprehensive", start, end, 1))
            title = title or m.group(1)
    for k, plan in enumerate(plans):
        plan.last_line = plans[k + 1].first_line - 1 if k + 1 < len(plans) else len(lines)

    title = re.sub(r"^[\u4e00-\u9fff]{2,10}〔\d{4}〕\d+号[:：]?", "", title)
    if title.startswith("《") and title.endswith("》"):
        title = title[1:-1]
    jurisdiction = _jurisdiction([issuer, title] + [p.title for p in plans])
    doc_id = doc_number or re.sub(r"\.[^.]+$", "", doc.name)
    meta = DocumentMeta(
        id=doc_id,
        title=title or (plans[0].title if plans else ""),
        issuer=issuer,
        doc_number=doc_number,
        issue_date=issue_date,
        jurisdiction=jurisdiction.name if jurisdiction else "",
        jurisdiction_level=jurisdiction.level if jurisdiction else "",
        parent=_parent_name(jurisdiction),
        doc_number_line=doc_number_line,
        adcode=jurisdiction.adcode if jurisdiction else "",
    )
    return DocumentContext(doc=doc, meta=meta, plans=plans, tables=find_tables(doc))


def _jurisdiction(candidates: list[str]):  # noqa: ANN202 - Division | None
    """The division a document is about: the first one named at the start of its issuer or titles."""
    g = gazetteer()
    for candidate in candidates:
        text = re.sub(r"^(关于(?:落实|贯彻落实|印发)?《?|20\d{2}\s*年度?)", "", candidate or "")
        mentions = [m for m in g.mentions(text[:16]) if m.division is not None]
        if not mentions or mentions[0].start > 2:
            continue
        first = mentions[0].division
        end = mentions[0].end
        # "山西省长治市…", "晋城市城区…": the most specific of the names written one after another
        for m in mentions[1:]:
            if m.start != end:
                break
            if g.parent(m.division) == first:
                first, end = m.division, m.end
        if first.level == "zone":
            continue
        return first
    return None


def _parent_name(division) -> str:  # noqa: ANN001
    if division is None:
        return ""
    parent = gazetteer().parent(division)
    return parent.name if parent else ""
