"""Tasks of a plan: the numbered tasks of its body and the rows of its task tables.

Body tasks are the numbered items ("1. 保障重点河流生态流量。…") of the plan's task
sections (重点任务 / 攻坚行动 / 专项行动 …; never 目标 or 保障措施). A task runs until the
next numbered item or heading, across the blank lines and mid-sentence breaks of a PDF
conversion. Its responsible units are read from its closing parentheses
("（市生态环境局牵头，市财政局配合）", "〔责任单位：…〕"); a parenthesis saying
"以下各项任务均需各县[市、区]人民政府负责，不再列出" adds that unit to every later task
of the plan.

Table tasks are the rows of ledgers (任务台账), project lists (重点项目清单, 重点工程)
and measure tables (措施任务表). Blank cells mean "same as above" for the category (and
for the title/content of project lists); ledger categories follow the page-segment rule
of :func:`geodata.plans.tables.fill_down`, and the rows that rule cannot settle are
decided in ``data/plans/curation_tasks.csv``.

The 14th Five-Year plan has no numbered tasks; its 表3 "重大工程项目表" (category
cells followed by project paragraphs) gives one task per project paragraph.

A body task and a table row stating the same thing are linked both ways (``linked_task``).
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from geodata import admin
from geodata.plans import curation
from geodata.plans.deadlines import deadline_in_text, parse_deadline
from geodata.plans.structure import DocumentContext, PlanInfo
from geodata.plans.tables import Table, fill_down
from geodata.plans.text import clean_line, normalize_digits, squash_cjk_spaces, top_level_groups
from geodata.plans.units import split_persons, split_units, units_from_parenthetical

Record = dict[str, object]

_CN = "一二三四五六七八九十"
_SECTION = re.compile(rf"^([{_CN}]+)、\s*(.+)$")
_HEADING = re.compile(rf"^[（(]\s*([{_CN}]+)\s*[）)]\s*(.*)$")
_NUMBERED = re.compile(r"^(\d{1,2})\s*[.．](?!\d)\s*(.*)$")
_NON_TASK_SECTION = ("保障", "目标", "要求", "指导", "总体")
_END_OF_BODY = re.compile(r"^(附件|附表|抄送|本(行动)?计划由|本方案由)")
_UNIT_WORDS = re.compile(r"牵头|负责|配合|责任单位|牵头单位|责任部门|按职责")
_DEFAULT_UNITS = re.compile(r"以下[^，。；）)]*?均需(.+?)负责(?:落实)?[，,]?\s*不再列出")
_SHORT_BRACKETS = re.compile(r"[〔\[［]([^〔〕\[\]［］:：]{1,8})[〕\]］]")
_UNIT_AND = re.compile(r"^(.+?(?:政府|管委会|局|委|办|中心|公司))和(.+)$")


# ---------------------------------------------------------------------------- helpers


def _squash(text: str) -> str:
    return squash_cjk_spaces(re.sub(r"[ \u3000]+", " ", text))


_NAME_END = r"(公司|集团|厂|站|煤矿|）)$"


def _squash_names(text: str) -> str:
    """Like :func:`_squash`, but a space after a complete name ("…有限公司 山西…") separates names."""
    parts = [p for p in re.split(r"[ \u3000]+", text.strip()) if p]
    out = ""
    for k, part in enumerate(parts):
        if k and re.search(_NAME_END, out) and re.search(_NAME_END, part):
            out += "、" + part
        elif k:
            out += " " + part
        else:
            out = part
    return _squash(out)


def _key(text: str) -> str:
    """Text reduced for comparison: no spaces, half-width digits and brackets."""
    t = normalize_digits(text)
    t = re.sub(r"\s+", "", t)
    return t.translate(str.maketrans("（）,;:", "()，；：")).replace('"', "")


def _title_of(text: str) -> str:
    """The lead phrase before the first "。" when it is short."""
    head = text.split("。", 1)[0].strip()
    if head and len(head) < 30 and head != text.strip():
        return head
    return head if head and len(head) < 30 and "。" not in text else ""


def _normalize_units(units: list[str]) -> list[str]:
    out: list[str] = []
    for u in units:
        u = _SHORT_BRACKETS.sub(r"（\1）", u)
        u = re.sub(r"等(相关|有关)?部门$", "", u).strip()
        u = re.sub(r"(按照职责|按职责)(分工)?(负责|牵头|配合|落实)?$", "", u).strip()
        u = u.replace("(", "（").replace(")", "）")
        parts = [u]
        m = _UNIT_AND.match(u)
        if m:
            parts = [m.group(1), m.group(2)]
        for p in parts:
            p = p.strip("，、 ")
            if p and p not in out:
                out.append(p)
    return out


def _parentheticals(text: str) -> list[str]:
    """Top-level parenthesised groups of ``text`` (nesting of （(〔 counted together)."""
    return top_level_groups(text)


def units_and_default(content: str) -> tuple[list[str], list[str]]:
    """Responsible units named in a task's parentheses, and a "以下…不再列出" default."""
    units: list[str] = []
    default: list[str] = []
    for group in _parentheticals(content):
        inner = _SHORT_BRACKETS.sub(r"（\1）", group)
        if not _UNIT_WORDS.search(inner):
            continue
        m = _DEFAULT_UNITS.search(inner)
        if m:
            default = _normalize_units(split_units(m.group(1)))
        units.extend(units_from_parenthetical(inner))
    return _normalize_units(units), default


# ----------------------------------------------------------------------------- places

_DELIM = r"(?:^|(?<=[，、。；：（()“”\s和及与的]))"
_NAME_CHAR = r"(?:(?![镇乡县市区村省])[\u4e00-\u9fff])"
_DELIM_PLACE = r"(?:^|(?<=[，、。；：（()“”\s和及与县市区镇乡]))"
_GENERIC_START = (
    "各",
    "全",
    "本",
    "该",
    "每",
    "有关",
    "相关",
    "其他",
    "所有",
    "现有",
    "新建",
    "重点",
    "城镇",
    "乡镇",
    "建制",
    "农村",
    "集中",
    "生活",
    "污水",
    "工业",
    "城市",
    "城乡",
    "特色",
    "一",
    "两",
    "周边",
    "沿线",
    "涉",
    "已",
    "未",
    "以",
    "对",
    "在",
    "推进",
    "完成",
    "加快",
    "开展",
    "支持",
    "督促",
    "启动",
    "实施",
    "其中",
    "中心城区",
    "主城区",
    "市区",
    "城区",
    "县城",
    "燃煤",
    "洗煤",
    "修复",
    "大力",
    "鼓励",
    "保障",
    "确保",
    "充分",
    "乡",
    "镇",
    "村",
    "第",
)
_GENERIC_INSIDE = (
    "纳入",
    "强化",
    "推动",
    "做好",
    "改善",
    "加强",
    "河流断面",
    "不得",
    "排入",
    "转送",
    "可能",
    "出厂",
    "被",
    "向",
    "进行",
    "评估",
    "认定",
    "工作",
    "治理",
    "改造",
    "建设",
)
_TOWN = re.compile(_DELIM_PLACE + "(" + _NAME_CHAR + r"{2,3}(?:镇|乡))(?![镇村民级里土])")
_VILLAGE = re.compile(_DELIM_PLACE + "(" + _NAME_CHAR + r"{1,3}村)(?![庄民镇乡落级委集社])")
_SECTION_NAME = re.compile(_DELIM + r"([\u4e00-\u9fff]{2,10}断面)")
_SECTION_BAD = set("考控标个各质核制一该等类重监测省国市的有级些每超")
_COMPANY_END = r"(?:股份有限公司|有限责任公司|有限公司|分公司)"
_ENTERPRISE = re.compile(
    _DELIM
    + r"((?:(?![的等及和])[\u4e00-\u9fffA-Za-z0-9（）()]){2,30}?(?:"
    + _COMPANY_END
    + r"|集团"
    + _COMPANY_END
    + r"?|工业园区|工业园|污水处理厂|净化水厂|厂))(?![房区内外])"
)


_VERB_PREFIXES = (
    "中心城区",
    "主城区",
    "市区",
    "城区",
    "其中",
    "支持",
    "推进",
    "完成",
    "督促",
    "启动",
    "全面淘汰",
    "淘汰",
    "投运",
    "扎实开展",
    "开展",
    "对",
    "在",
    "将",
)


def _strip_prefix(name: str) -> str:
    if "（" in name and "）" not in name.split("（")[-1]:
        name = name.split("（")[-1]
    changed = True
    while changed:
        changed = False
        for county in admin.counties_in(name):
            # "河津市山西阳光焦化集团…" → the registered name; "高平市瑞发建材…" keeps its county
            if name.startswith(county) and name[len(county) :].startswith(("山西", "晋城", "运城", "中国")):
                name = name[len(county) :]
                changed = True
        for word in _VERB_PREFIXES:
            if name.startswith(word) and len(name) > len(word) + 2:
                name = name[len(word) :]
                changed = True
    return name


def _counties(text: str) -> list[str]:
    found = admin.counties_in(text)
    # "新绛县" also contains "绛县": keep the longer name only
    return [c for c in found if not any(c != o and c in o for o in found)]


def places_in(text: str) -> list[str]:
    """Counties, towns, villages, sections and enterprises named in ``text``."""
    t = _squash(text).replace(" ", "")
    out: list[str] = []

    def add(name: str) -> None:
        if name and name not in out:
            out.append(name)

    for county in _counties(t):
        add(county)
    for m in _TOWN.finditer(t):
        name = m.group(1)
        if (
            not name.startswith(_GENERIC_START)
            and not (len(name) >= 4 and name.endswith(("城镇", "乡镇", "村镇", "集镇", "小镇")))
            and not any(w in name for w in _GENERIC_INSIDE)
        ):
            add(name)
    for m in _VILLAGE.finditer(t):
        name = m.group(1)
        if name.endswith(("农村", "乡村", "行政村", "自然村", "城中村", "新村")) or name.startswith(
            _GENERIC_START
        ):
            continue
        add(name)
    for m in _SECTION_NAME.finditer(t):
        name = m.group(1)
        if (
            name[-3] in _SECTION_BAD
            or name.startswith(_GENERIC_START)
            or any(w in name for w in _GENERIC_INSIDE)
        ):
            continue
        add(name)
    for m in _ENTERPRISE.finditer(t):
        name = _strip_prefix(m.group(1))
        if (
            len(name) < 5
            or name.startswith(_GENERIC_START)
            or re.search(r"[等的及和]|\d+[个家座台]", name)
            or name.startswith("市")
        ):
            continue
        if any(w in name for w in _GENERIC_INSIDE):
            continue
        add(name)
    return out


# ------------------------------------------------------------------------- body tasks


def _plan_of_section(title: str) -> bool:
    return not any(w in title for w in _NON_TASK_SECTION)


def _body_tasks(ctx: DocumentContext, plan: PlanInfo) -> list[Record]:
    doc = ctx.doc
    tasks: list[dict] = []
    current: dict | None = None
    section_no = ""
    section = ""
    allowed = False
    category = ""
    seen_seq: set[str] = set()

    def close() -> None:
        nonlocal current
        if current is not None:
            tasks.append(current)
        current = None

    for n in range(plan.first_line + 1, plan.last_line + 1):
        raw = doc.line(n)
        if "\t" in raw:
            close()
            continue
        text = clean_line(raw)
        if not text:
            continue
        if _END_OF_BODY.match(text):
            close()
            break
        m = _SECTION.match(text)
        if m and len(text) < 40:
            close()
            section_no, section = m.group(1), _squash(m.group(2))
            allowed = _plan_of_section(section)
            category = ""
            continue
        m = _HEADING.match(text)
        if m:
            close()
            category = _squash(m.group(2)).split("。", 1)[0]
            continue
        m = _NUMBERED.match(text)
        if m and allowed:
            close()
            seq = m.group(1)
            key = f"{section_no}-{seq}" if seq in seen_seq or f"{section_no}-1" in seen_seq else seq
            seen_seq.add(key)
            current = {
                "seq": seq,
                "key": key,
                "line": n,
                "parts": [m.group(2)],
                "category": category,
                "section": section,
            }
            continue
        if current is not None:
            current["parts"].append(text)
    close()

    records: list[Record] = []
    default: list[str] = []
    used: set[str] = set()
    for task in tasks:
        content = _squash("".join(task["parts"]))
        units, new_default = units_and_default(content)
        for u in default:
            if u not in units:
                units.append(u)
        if new_default:
            default = new_default
        key = task["key"]
        if key in used:
            key = f"{key}@{task['line']}"
        used.add(key)
        d = deadline_in_text(content, plan.year)
        long_term = 1 if d is None and "长期坚持" in content else 0
        first = _squash(task["parts"][0])
        title = _title_of(first) if "。" in first else (first if len(first) < 30 else "")
        category = task["category"] or task["section"]
        records.append(
            {
                "id": f"{ctx.meta.id}/{plan.index}/{key}",
                "jurisdiction": ctx.meta.jurisdiction,
                "plan": plan.title,
                "domain": plan.domain,
                "table": "",
                "category": category,
                "category_source": "plan" if category else "",
                "section": task["section"],
                "seq": task["seq"],
                "title": title,
                "content": content,
                "deadline_text": d.text if d else "",
                "deadline": d.iso if d else "",
                "long_term": long_term,
                "responsible_units": units,
                "persons": [],
                "places": places_in(content),
                "linked_task": [],
                **ctx.source(task["line"]),
            }
        )
    return records


# ----------------------------------------------------------------- 14th FYP 表3 projects

_PROJECT_LEAD = re.compile(r"^[^，。；、]{2,20}工程。")
_TABLE3 = re.compile(r"^表\s*3\s*(.*重大工程项目表)$")


def _width(text: str) -> float:
    return sum(1 if ord(c) > 255 else 0.5 for c in text)


def _fyp_projects(ctx: DocumentContext, plan: PlanInfo) -> list[Record]:
    doc = ctx.doc
    start = None
    title = ""
    for n in range(plan.first_line, plan.last_line + 1):
        m = _TABLE3.match(clean_line(doc.line(n)))
        if m:
            start, title = n, clean_line(doc.line(n))
            break
    if start is None:
        return []
    end = next(
        (n for n in range(start + 1, plan.last_line + 1) if _SECTION.match(clean_line(doc.line(n)))),
        plan.last_line,
    )
    full_width = max((_width(clean_line(doc.line(n))) for n in range(start + 1, end)), default=0)
    items: list[dict] = []
    category_parts: list[str] = []
    category = ""
    current: dict | None = None
    prev_end = True
    prev_sentence_end = True
    for n in range(start + 1, plan.last_line + 1):
        text = clean_line(doc.line(n))
        if not text or text.startswith("类别"):
            continue
        if _SECTION.match(text):
            break
        if len(text) <= 6 and not re.search(r"[，。、；：]", text):
            if current is not None:
                items.append(current)
                current = None
            category_parts.append(text)
            prev_end = True
            continue
        if category_parts:
            category = "".join(category_parts)
            category_parts = []
        if prev_end or current is None or (prev_sentence_end and _PROJECT_LEAD.match(text)):
            if current is not None:
                items.append(current)
            current = {"line": n, "parts": [text], "category": category}
        else:
            current["parts"].append(text)
        prev_sentence_end = text.endswith("。")
        prev_end = prev_sentence_end and _width(text) < full_width - 1
    if current is not None:
        items.append(current)
    table_title = _squash(title)
    records: list[Record] = []
    for k, item in enumerate(items, start=1):
        content = _squash("".join(item["parts"]))
        records.append(
            {
                "id": f"{ctx.meta.id}/表3/{k}",
                "jurisdiction": ctx.meta.jurisdiction,
                "plan": plan.title,
                "domain": plan.domain,
                "table": table_title,
                "category": item["category"],
                "seq": str(k),
                "title": _title_of(content),
                "content": content,
                "deadline_text": "",
                "deadline": "",
                "long_term": 0,
                "responsible_units": [],
                "persons": [],
                "places": places_in(content),
                "linked_task": [],
                **ctx.source(item["line"]),
            }
        )
    return records


# ------------------------------------------------------------------------ table tasks

_TITLE_COLS = ("主要任务", "项目名称", "水源地名称", "行政村名称")
_CONTENT_COLS = ("工程措施", "具体措施", "任务内容", "整治内容")
_DEADLINE_COLS = ("完成时限", "完成时间", "完工时间")
_UNIT_COLS = ("牵头单位", "责任单位", "责任部门", "责任主体")


def is_task_table(table: Table) -> bool:
    header = table.header
    if "序号" not in header:
        return False
    if table.col("断面名称") is not None or table.col("月份") is not None:
        return False
    return table.col(*_TITLE_COLS, *_CONTENT_COLS, "工作任务") is not None


def _table_category_label(table: Table) -> str:
    """A sub-table's own title as category: "一、饮用水水源地保护区划分（2 个）" → without the count."""
    title = _squash(table.title)
    return re.sub(r"[（(]\s*\d+\s*个\s*[）)]$", "", title).strip()


def _table_tasks(ctx: DocumentContext, table: Table, table_no: int, warnings: list[str]) -> list[Record]:
    ledger = table.col("任务类别") is not None
    cat_col = table.col("任务类别", "重点工作")
    seq_col = table.col("序号")
    title_col = table.col(*_TITLE_COLS)
    content_col = table.col(*_CONTENT_COLS)
    work_col = table.col("工作任务")
    if work_col is not None:
        if ledger:
            content_col = content_col if content_col is not None else work_col
        else:
            title_col = title_col if title_col is not None else work_col
    deadline_col = table.col(*_DEADLINE_COLS)
    unit_col = table.col(*_UNIT_COLS)
    person_col = table.col("责任人")

    if cat_col is not None:
        categories = fill_down(table, cat_col, segment_start_takes_next=ledger)
    else:
        label = _table_category_label(table) if table.group_title else ""
        categories = [label] * len(table.rows)
    titles = [r.get(title_col) for r in table.rows] if ledger else fill_down(table, title_col)
    contents = [r.get(content_col) for r in table.rows] if ledger else fill_down(table, content_col)
    if work_col is not None and not ledger and content_col is None:
        contents = list(titles)

    plan = ctx.plan_at(table.title_line)
    year = ctx.year_at(table.title_line)
    records: list[Record] = []
    used: set[str] = set()
    for k, row in enumerate(table.rows):
        seq = row.get(seq_col).strip()
        key = seq or f"r{k + 1}"
        if key in used:
            key = f"{key}-{k + 1}"
        used.add(key)
        task_id = f"{ctx.meta.id}/T{table_no}/{key}"
        category = _squash(categories[k])
        category_source = "plan" if category else ""
        cur = curation.lookup("tasks", task_id, "category")
        if cur is not None:
            category, category_source = cur.value, "curation"
        title = _squash_names(titles[k])
        content = _squash_names(contents[k])
        d = parse_deadline(row.get(deadline_col), year)
        units = _normalize_units(split_units(row.get(unit_col)))
        if not content and not title:
            warnings.append(f"{ctx.doc.name}:{row.line}: 表格行没有任务内容")
        records.append(
            {
                "id": task_id,
                "jurisdiction": ctx.meta.jurisdiction,
                "plan": plan.title if plan else "",
                "domain": plan.domain if plan else "",
                "table": _squash(table.full_title),
                "category": category,
                "category_source": category_source,
                "seq": seq,
                "title": title,
                "content": content,
                "deadline_text": _squash(d.text),
                "deadline": d.iso,
                "long_term": 1 if d.long_term else 0,
                "responsible_units": units,
                "persons": split_persons(row.get(person_col)),
                "places": places_in("。".join(x for x in (title, content) if x)),
                "linked_task": [],
                **ctx.source(row.line),
            }
        )
    return records


# ----------------------------------------------------------------------------- links

_MIN_RUN = 8
_MIN_SHARE = 0.6


def _link_score(row: Record, body: Record) -> float:
    """How surely a table row states the same thing as a body task (0 = not at all)."""
    row_title = _key(str(row["title"]))
    body_title = _key(str(body["title"]))
    if len(row_title) >= 4 and body_title and (row_title in body_title or body_title == row_title):
        return 2.0
    text = _key(str(row["content"])).rstrip("。")
    if len(text) < _MIN_RUN:
        return 0.0
    body_text = _key(str(body["content"]))
    m = SequenceMatcher(None, text, body_text, autojunk=False).find_longest_match(
        0, len(text), 0, len(body_text)
    )
    share = m.size / len(text)
    if m.size >= _MIN_RUN and share >= _MIN_SHARE:
        return share
    return 0.0


def link_tasks(body: list[Record], rows: list[Record]) -> int:
    """Link each table row to the body task of the same plan that states it; returns links made."""
    made = 0
    for row in rows:
        best: Record | None = None
        best_score = 0.0
        tie = False
        for task in body:
            if task["plan"] != row["plan"]:
                continue
            score = _link_score(row, task)
            if score > best_score:
                best, best_score, tie = task, score, False
            elif score and score == best_score:
                tie = True
        if best is None or tie:
            continue
        row["linked_task"].append(best["id"])  # type: ignore[union-attr]
        best["linked_task"].append(row["id"])  # type: ignore[union-attr]
        made += 1
    return made


# ---------------------------------------------------------------------------- extract


def extract(ctx: DocumentContext, found: dict) -> dict[str, list[dict]]:
    warnings: list[str] = []
    body: list[Record] = []
    for plan in ctx.plans:
        records = _body_tasks(ctx, plan)
        if not records and "十四五" in plan.title:
            records = _fyp_projects(ctx, plan)
        body.extend(records)
    rows: list[Record] = []
    for table_no, table in enumerate(ctx.tables, start=1):
        if is_task_table(table):
            rows.extend(_table_tasks(ctx, table, table_no, warnings))
    link_tasks([r for r in body if not r["table"]], rows)
    out = body + rows
    for r in out:
        r.pop("section", None)
    ids = [r["id"] for r in out]
    if len(ids) != len(set(ids)):
        warnings.append(f"{ctx.doc.name}: 任务标识重复")
    result: dict[str, list[dict]] = {"tasks": out}
    if warnings:
        result["_warnings"] = warnings
    return result
