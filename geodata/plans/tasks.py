"""Tasks of a plan: the numbered tasks of its body and the rows of its task tables.

Body tasks come from the document model (:mod:`geodata.plans.document`): the numbered items
(1. 1、 （1） ① 一是 …) of the plan's task sections (重点任务 / 攻坚行动 / 专项行动 …; never
目标 or 保障措施); a sub-item is its own task with ``parent_task``; a numbered heading over
sub-items is a category; a goal statement is not a task; under a （一） heading without numbered
items, each paragraph opening with a lead sentence ("加快产能布局调整。…", the 14th FYP) is a
measure. A task runs until the next marker of its own or a higher kind, across the blank lines
and mid-sentence breaks of a PDF conversion. Its units are read from its parentheses, by role
(``lead_units`` 牵头/督导, ``support_units`` 配合/参与/协助, see :func:`geodata.plans.units.unit_roles`);
a "以下各项任务均需…落实，不再列出" clause (whatever its verb) adds its units to every later task
of the plan. Ids are stable digests (:mod:`geodata.plans.ids`).

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

from geodata.plans import curation
from geodata.plans.deadlines import deadline_in_text, parse_deadline
from geodata.plans.document import Outline, _lead_sentence, is_heading_text
from geodata.plans.ids import assign_task_ids
from geodata.plans.places import places_in
from geodata.plans.structure import DocumentContext, PlanInfo
from geodata.plans.tables import Table, fill_down
from geodata.plans.text import clean_line, normalize_digits, squash_cjk_spaces, top_level_groups
from geodata.plans.units import (
    Roles,
    default_units,
    split_persons,
    split_units,
    unit_roles,
    units_from_parenthetical,
)

Record = dict[str, object]

_CN = "一二三四五六七八九十"
_SECTION = re.compile(rf"^([{_CN}]+)、\s*(.+)$")
_HEADING = re.compile(rf"^[（(]\s*([{_CN}]+)\s*[）)]\s*(.*)$")
_NUMBERED = re.compile(r"^(\d{1,2})\s*[.．](?!\d)\s*(.*)$")
_NON_TASK_SECTION = ("保障", "目标", "要求", "指导", "总体", "成效", "形势", "回顾", "现状", "面临")
_END_OF_BODY = re.compile(r"^(附件|附表|抄送|本(行动)?计划由|本方案由)")
_UNIT_WORDS = re.compile(r"牵头|负责|配合|参与|督导|协助|责任单位|牵头单位|责任部门|配合单位|配合部门|按职责")
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
    return _split_glued_companies(_squash(out))


_GLUED = re.compile(r"(?<=有限责任公司|股份有限公司)(?=[\u4e00-\u9fff])|(?<=[^分]有限公司)(?=[\u4e00-\u9fff])")


def _split_glued_companies(text: str) -> str:
    """"…有限责任公司山西襄矿晋平煤业有限公司": a PDF cell wrapped where the list had a space.

    A company name runs straight into the next only when the next starts with a place name
    (山西, 襄垣县 …) and is itself a company; "…股份有限公司漳村煤矿" (a branch) stays one.
    """
    from geodata.gazetteer import gazetteer

    g = gazetteer()
    pieces: list[str] = []
    last = 0
    for m in _GLUED.finditer(text):
        rest = text[m.start() :]
        head = re.split(r"[，。；、（(]", rest, maxsplit=1)[0]
        name = re.match(r".*?有限(?:责任)?公司", head)
        starts_with_place = any(g.lookup(head[:k]) for k in (2, 3, 4))
        if starts_with_place and name and len(name.group(0)) >= 6:
            pieces.append(text[last : m.start()])
            last = m.start()
    pieces.append(text[last:])
    return "、".join(p for p in pieces if p)


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


# ------------------------------------------------------------------------- body tasks


def _plan_of_section(title: str) -> bool:
    return not any(w in title for w in _NON_TASK_SECTION)


_ACTION = re.compile(
    r"完成|推进|推动|开展|实施|建设|建成|改造|淘汰|整治|治理|建立|制定|编制|加强|强化|落实|严格|严禁|禁止|"
    r"加快|全面|持续|深化|深入|开工|关停|取缔|拆除|排查|清理|划定|提升|优化|保障|确保|控制|削减|安装|"
    r"执行|组织|督促|鼓励|引导|支持|新建|扩建|提标|配套|修复|巩固|规范|整改|监测|核查|管控|实行|做好"
)
_GOAL = re.compile(r"^(?:到|至|力争到)?\s*20\d{2}\s*年(?:底|末)?[，,]?.{0,60}?(?:达到|不低于|不高于|控制在|降至|降到|下降|比例|优良)")


def is_goal_statement(text: str) -> bool:
    """A numbered sentence that states a target, not a measure: "到2020年，全市优良天数比例达到80%。"."""
    t = normalize_digits(text)
    if not _GOAL.match(t):
        return False
    first = re.split(r"[。；]", t, maxsplit=1)[0]
    return not _ACTION.search(re.sub(r"达到|控制在|下降|建成区|完成率|治理率|处理率", "", first))


_TASK_KINDS = ("arabic", "paren_ar", "circled", "shi")


def _task_blocks(outline: Outline) -> list[tuple[int, int | None]]:
    """``(block index, parent task block index)`` of the blocks that are tasks, in order.

    Numbered items (1. （1） ① 一是) in task sections are tasks, sub-items linked to the item
    above them; a numbered heading with items under it is a category, not a task. A （一）
    item with no numbered items under it is a task itself, unless it is a short heading over
    paragraphs that open with a lead sentence ("加快产能布局调整。…"): those paragraphs are the
    measures. Goal statements are never tasks.
    """
    blocks = outline.blocks
    out: list[tuple[int, int | None]] = []
    is_task: dict[int, bool] = {}

    def section_allows(index: int) -> bool:
        chain = [blocks[index], *outline.ancestors(index)]
        for b in chain:
            if b.kind == "item" and b.marker_kind in ("chapter", "cn"):
                return _plan_of_section(b.text.split("。", 1)[0])
        # no 一、 heading above: an unnumbered heading line ("工作任务") decides, or nothing does
        top = chain[-1]
        start = blocks.index(top)
        for k in range(start - 1, -1, -1):
            b = blocks[k]
            if b.kind == "paragraph" and b.parent is None and len(b.text) <= 12 and is_heading_text(b.text):
                return _plan_of_section(b.text)
        return top.kind == "item" and top.marker_kind == "paren_cn"

    def task_parent(index: int) -> int | None:
        parent = blocks[index].parent
        while parent is not None and not is_task.get(parent):
            parent = blocks[parent].parent
        return parent

    for i, b in enumerate(blocks):
        if not section_allows(i) or b.kind == "table":
            continue
        item_children = [c for c in b.children if blocks[c].kind == "item"]
        if b.kind == "item":
            if b.marker_kind in ("chapter", "cn"):
                continue
            if b.marker_kind in _TASK_KINDS:
                heading_only = is_heading_text(b.marker + b.text) and bool(item_children)
                if heading_only or is_goal_statement(b.text) or len(b.text) < 4:
                    continue
            elif b.marker_kind == "paren_cn":
                if item_children:
                    continue
                paragraphs = [c for c in b.children if blocks[c].kind == "paragraph"]
                if any(_lead_sentence(blocks[c].text) for c in paragraphs):
                    continue  # its paragraphs are the measures
                if is_heading_text(b.text) or is_goal_statement(b.text):
                    continue
            is_task[i] = True
            out.append((i, task_parent(i)))
        elif b.kind == "paragraph":
            parent = b.parent
            if parent is None or blocks[parent].marker_kind not in ("paren_cn", "cn", "chapter"):
                continue
            if not _lead_sentence(b.text) or is_goal_statement(b.text):
                continue
            is_task[i] = True
            out.append((i, None))
    return out


def _measure_text(outline: Outline, index: int) -> tuple[str, int]:
    """A measure paragraph with the paragraphs that continue it (no lead sentence of their own)."""
    blocks = outline.blocks
    b = blocks[index]
    text = b.text
    last = b.last_line
    for j in range(index + 1, len(blocks)):
        nxt = blocks[j]
        if nxt.kind != "paragraph" or nxt.parent != b.parent or _lead_sentence(nxt.text):
            break
        text += nxt.text
        last = nxt.last_line
    return text, last


def _body_end(ctx: DocumentContext, plan: PlanInfo) -> int:
    for n in range(plan.first_line + 1, plan.last_line + 1):
        raw = ctx.doc.line(n)
        if "\t" not in raw and _END_OF_BODY.match(clean_line(raw)):
            return n - 1
    return plan.last_line


def _body_tasks(ctx: DocumentContext, plan: PlanInfo) -> list[Record]:
    outline = ctx.outline(plan.first_line + 1, _body_end(ctx, plan))
    blocks = outline.blocks
    skip = _fyp_table_span(ctx, plan)
    chosen = [(i, p) for i, p in _task_blocks(outline) if not (skip and skip[0] <= blocks[i].first_line <= skip[1])]
    records: list[Record] = []
    by_block: dict[int, Record] = {}
    default: list[str] = []
    for index, parent in chosen:
        b = blocks[index]
        if b.kind == "paragraph":
            text, _last = _measure_text(outline, index)
        else:
            text = b.text
        content = _squash(text)
        roles = _roles_of(content)
        new_default = _default_of(content)
        responsible = _normalize_units(roles.all)
        for u in default:
            if u not in responsible:
                responsible.append(u)
        if new_default:
            default = new_default
        d = deadline_in_text(content, plan.year)
        long_term = 1 if d is None and "长期坚持" in content else 0
        first_sentence = content.split("。", 1)[0]
        if b.kind == "paragraph":
            title = first_sentence
        else:
            first = _squash(b.text[: sum(1 for ln in b.lines if ln == b.first_line)] or b.text)
            title = _title_of(first) if "。" in first else (first if len(first) < 30 else "")
        section = next((a.text.split("。", 1)[0] for a in outline.ancestors(index) if a.marker_kind in ("cn", "chapter")), "")
        category = next(
            (a.text.split("。", 1)[0] for a in outline.ancestors(index) if a.marker_kind == "paren_cn"), ""
        ) or section
        rec: Record = {
            "id": "",
            "jurisdiction": ctx.meta.jurisdiction,
            "plan": plan.title,
            "domain": plan.domain,
            "table": "",
            "category": _squash(category),
            "category_source": "plan" if category else "",
            "seq": _seq_of(b),
            "title": title,
            "content": content,
            "deadline_text": d.text if d else "",
            "deadline": d.iso if d else "",
            "long_term": long_term,
            "responsible_units": responsible,
            "lead_units": _normalize_units(list(roles.lead)),
            "support_units": _normalize_units(list(roles.support)),
            "persons": [],
            "places": places_in(content, ctx.context),
            "linked_task": [],
            "_parent": by_block.get(parent) if parent is not None else None,
            **ctx.source(b.first_line),
        }
        by_block[index] = rec
        records.append(rec)
    return records


def _seq_of(block) -> str:  # noqa: ANN001 - Block
    if block.kind != "item":
        return ""
    if block.marker_kind == "arabic":
        return str(block.number)
    return block.marker.rstrip("、.． ")


def _unclosed_tail(content: str) -> list[str]:
    """The inside of a bracket still open at the end of a task (a text cut off mid-note)."""
    depth = 0
    start = None
    for i, ch in enumerate(content):
        if ch in "（(〔[［【":
            if depth == 0:
                start = i
            depth += 1
        elif ch in "）)〕]］】" and depth:
            depth -= 1
    return [content[start + 1 :]] if depth and start is not None else []


def _roles_of(content: str) -> Roles:
    roles = Roles()
    for group in [*_parentheticals(content), *_unclosed_tail(content)]:
        inner = _SHORT_BRACKETS.sub(r"（\1）", group)
        if not _UNIT_WORDS.search(inner):
            continue
        roles = roles.merged(unit_roles(inner))
    return roles


def _default_of(content: str) -> list[str]:
    for group in _parentheticals(content):
        inner = _SHORT_BRACKETS.sub(r"（\1）", group)
        found = default_units(inner)
        if found:
            return _normalize_units(found)
    return []


# ----------------------------------------------------------------- 14th FYP 表3 projects

_PROJECT_LEAD = re.compile(r"^[^，。；、]{2,20}工程。")
_TABLE3 = re.compile(r"^表\s*3\s*(.*重大工程项目表)$")


def _width(text: str) -> float:
    return sum(1 if ord(c) > 255 else 0.5 for c in text)


def _fyp_table_span(ctx: DocumentContext, plan: PlanInfo) -> tuple[int, int] | None:
    """Lines of a five-year plan's 表3 重大工程项目表 printed as text (its rows are read there)."""
    doc = ctx.doc
    for n in range(plan.first_line, plan.last_line + 1):
        if _TABLE3.match(clean_line(doc.line(n))):
            end = next(
                (k - 1 for k in range(n + 1, plan.last_line + 1) if _SECTION.match(clean_line(doc.line(k)))),
                plan.last_line,
            )
            return n, end
    return None


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
                "id": "",
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
                "places": places_in(content, ctx.context),
                "linked_task": [],
                **ctx.source(item["line"]),
            }
        )
    return records


# ------------------------------------------------------------------------ table tasks

# header vocabulary of task tables, as the genre writes it
_TITLE_COLS = ("主要任务", "重点任务", "项目名称", "水源地名称", "行政村名称", "任务名称", "工作任务")
_CONTENT_COLS = ("工程措施", "具体措施", "工作措施", "任务内容", "整治内容", "主要内容", "建设内容", "工作内容", "措施")
_DEADLINE_COLS = ("完成时限", "完成时间", "完成期限", "时间节点", "完工时间", "时限", "时间要求")
_LEAD_COLS = ("牵头单位", "牵头部门", "主责单位")
_SUPPORT_COLS = ("配合单位", "配合部门", "协办单位", "参与单位")
_UNIT_COLS = ("责任单位", "责任部门", "责任主体", "实施单位")


def is_task_table(table: Table) -> bool:
    """A table of tasks: a task/measure column and a 序号, deadline or unit column; not a target table."""
    if table.col("断面名称") is not None or table.col("月份") is not None:
        return False
    if table.col(*_TITLE_COLS, *_CONTENT_COLS) is None:
        return False
    return table.col("序号", *_DEADLINE_COLS, *_LEAD_COLS, *_UNIT_COLS) is not None


def _table_category_label(table: Table) -> str:
    """A sub-table's own title as category: "一、饮用水水源地保护区划分（2 个）" → without the count."""
    title = _squash(table.title)
    return re.sub(r"[（(]\s*\d+\s*个\s*[）)]$", "", title).strip()


def _table_tasks(ctx: DocumentContext, table: Table, table_no: int, warnings: list[str]) -> list[Record]:
    ledger = table.col("任务类别") is not None
    cat_col = table.col("任务类别", "重点工作", "类别")
    seq_col = table.col("序号")
    title_col = table.col(*[c for c in _TITLE_COLS if c != "工作任务"])
    content_col = table.col(*_CONTENT_COLS)
    work_col = table.col("工作任务")
    if work_col is not None:
        if ledger:
            content_col = content_col if content_col is not None else work_col
        else:
            title_col = title_col if title_col is not None else work_col
    deadline_col = table.col(*_DEADLINE_COLS)
    unit_col = table.col(*_UNIT_COLS)
    lead_col = table.col(*_LEAD_COLS)
    support_col = table.col(*_SUPPORT_COLS)
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
    for k, row in enumerate(table.rows):
        seq = row.get(seq_col).strip()
        category = _squash(categories[k])
        category_source = "plan" if category else ""
        title = _squash_names(titles[k])
        content = _squash_names(contents[k])
        d = parse_deadline(row.get(deadline_col), year)
        lead = _normalize_units(split_units(row.get(lead_col)))
        support = _normalize_units(split_units(row.get(support_col)))
        named = _normalize_units(split_units(row.get(unit_col)))
        units = _normalize_units([*lead, *named, *support])
        if not lead:
            lead = named
        if not content and not title:
            warnings.append(f"{ctx.doc.name}:{row.line}: 表格行没有任务内容")
        records.append(
            {
                "id": "",
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
                "lead_units": lead,
                "support_units": support,
                "persons": split_persons(row.get(person_col)),
                "places": places_in("。".join(x for x in (title, content) if x), ctx.context),
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
        body.extend(_body_tasks(ctx, plan))
        if "十四五" in plan.title or "规划" in plan.title:
            body.extend(_fyp_projects(ctx, plan))
    rows: list[Record] = []
    for table_no, table in enumerate(ctx.tables, start=1):
        if is_task_table(table):
            rows.extend(_table_tasks(ctx, table, table_no, warnings))
    out = body + rows
    assign_task_ids(ctx.meta.id, out)
    for rec in out:
        parent = rec.pop("_parent", None)
        rec["parent_task"] = parent["id"] if isinstance(parent, dict) else ""
        cur = curation.lookup("tasks", str(rec["id"]), "category")
        if cur is not None:
            rec["category"], rec["category_source"] = cur.value, "curation"
    link_tasks([r for r in body if not r["table"]], rows)
    result: dict[str, list[dict]] = {"tasks": out}
    if warnings:
        result["_warnings"] = warnings
    return result
