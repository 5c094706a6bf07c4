"""禁煤区 commitments: designating, enlarging or consolidating no-coal zones, clearing coal in them.

One record per commitment statement: a sentence (split at 。 and ；) of the body that names
禁煤区 and commits to an action, and likewise each such sentence in a task-ledger row. The
same commitment in the body and in an annex row gives two records (their source lines
differ); the tasks table links them. A body sentence without a deadline takes the deadline
of the annex row stating the same thing (000: "将盐湖区全域纳入“禁煤区”" ↔ row 16, 2023年6月底前;
003/004: 长期坚持 rows).

Actions: 划定 | 扩大 | 巩固 | 清零 — the earliest one the sentence states wins ("依法划定（扩大）"
→ 划定; "已划定的禁煤区基础上，进一步扩大" → 扩大). Clearing coal users inside the zone
(散煤清零, 砖瓦窑 "退出禁煤区域", "杜绝…禁煤区内…燃用散煤") counts as 清零. A sentence naming
禁煤区 without any of these (003: reporting violations "禁煤区违法使用燃煤") is not a commitment.

PDF text (002) breaks lines mid-sentence: lines are joined to read a sentence, and the
record cites the line on which "禁煤" occurs.
"""

from __future__ import annotations

import difflib
import re

from geodata import admin
from geodata.plans.deadlines import Deadline, deadline_in_text, parse_deadline
from geodata.plans.structure import DocumentContext
from geodata.plans.tables import Table
from geodata.plans.text import clean_line, split_top, squash_cjk_spaces

WORD = "禁煤"
_ACTIONS = (
    ("巩固", re.compile(r"巩固")),
    ("清零", re.compile(r"清零|退出禁煤|杜绝")),
    ("扩大", re.compile(r"扩大|新增禁煤区|纳入“?禁煤区")),
    ("划定", re.compile(r"(?<!已)划定|划为")),
)
_HEADING = re.compile(
    r"^(#|\d+[.、．]\s*\S|[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、|表\s*\d)"
)
_TOP_HEADING = re.compile(r"^[一二三四五六七八九十]+、\s*(?P<name>\S+)")
_ITEM_TITLE = re.compile(r"^\d+[.、．]\s*[^，,]{1,20}$")
_PAST_SECTION = ("形势", "回顾", "成效", "进展")
_CONTENT_COLS = ("具体措施", "工程措施", "任务内容", "工作任务", "整治内容", "主要任务", "措施")
_DEADLINE_COLS = ("完成时限", "完成时间", "完工时间", "时限")


def action_of(sentence: str) -> str:
    """The first action a sentence states, or "" when it states none."""
    best: tuple[int, str] | None = None
    for name, pattern in _ACTIONS:
        m = pattern.search(sentence)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), name)
    return best[1] if best else ""


def area_of(sentence: str) -> str:
    """The scope the sentence names: "将盐湖区全域纳入“禁煤区”" → 盐湖区全域; "重点县（市、区）进一步扩大" → 重点县（市、区）."""
    m = re.search(r"将([^，。“”将]{2,20}?)纳入“?禁煤区", sentence)
    if m:
        return m.group(1).strip()
    m = re.match(
        r"^([\u4e00-\u9fff]{1,10}(?:[区县市镇域]|（市、区）))(?:要|进一步|全面)?(?:扩大|划定)", sentence
    )
    if m:
        return m.group(1)
    return ""


def exclusions_of(sentence: str) -> list[str]:
    """ "（海拔500米以上区域除外）" and "除煤电、集中供热和原料用煤企业外，禁止…"."""
    out = [m.group(1).strip() for m in re.finditer(r"[（(]([^（）()]{2,40}?)除外[）)]", sentence)]
    out += [m.group(1).strip() for m in re.finditer(r"除([^，。；（）]{2,40}?)外[，,]", sentence)]
    return out


def area_km2_of(sentence: str) -> float | str:
    m = re.search(r"禁煤区[^。；]{0,10}?面\s*积\s*(\d+(?:\.\d+)?)\s*平方公里", sentence)
    return float(m.group(1)) if m else ""


def _split(text: str, seps: str = "。；;") -> list[tuple[int, str]]:
    """(offset, sentence) split at ``seps`` outside brackets."""
    return split_top(text, seps)


def _pdf_broken(ctx: DocumentContext) -> bool:
    """True when lines break mid-sentence (PDF text), so blank lines are not paragraph breaks."""
    body = [clean_line(x) for x in ctx.doc.lines if "\t" not in x]
    long_lines = [x for x in body if len(x) > 20]
    if not long_lines:
        return False
    ended = sum(1 for x in long_lines if x[-1] in "。；：:！？”）)〕】")
    return ended / len(long_lines) < 0.5


def _paragraphs(ctx: DocumentContext) -> list[tuple[str, list[int]]]:
    """Body paragraphs (table rows left out) as (text, line number of every character)."""
    pdf = _pdf_broken(ctx)
    out: list[tuple[str, list[int]]] = []
    text = ""
    line_at: list[int] = []

    def flush() -> None:
        nonlocal text, line_at
        if text:
            out.append((text, line_at))
        text, line_at = "", []

    for ln, raw in enumerate(ctx.doc.lines, start=1):
        if "\t" in raw:
            flush()
            continue
        piece = clean_line(raw)
        if not piece:
            if not pdf:
                flush()
            continue
        if _HEADING.match(piece):
            flush()
        text += piece
        line_at.extend([ln] * len(piece))
        if piece.endswith("。") or not pdf:
            flush()
    flush()
    return out


def _section_heading(ctx: DocumentContext, line: int) -> str:
    for k in range(line, 0, -1):
        raw = ctx.doc.lines[k - 1]
        if "\t" in raw:
            continue
        m = _TOP_HEADING.match(clean_line(raw))
        if m:
            return m.group("name")
    return ""


def _line_with_word(ctx: DocumentContext, line: int, last: int) -> int:
    for k in range(line, min(last, len(ctx.doc.lines)) + 1):
        if WORD in ctx.doc.lines[k - 1]:
            return k
    return line


def _record(
    ctx: DocumentContext, sentence: str, line: int, action: str, deadline: Deadline | None
) -> dict[str, object]:
    area = area_of(sentence)
    named = admin.counties_in(area) if area else []
    return {
        "jurisdiction": named[0] if len(named) == 1 else ctx.meta.jurisdiction,
        "area_name": area,
        "action": action,
        "description": sentence,
        "exclusions": exclusions_of(sentence),
        "deadline_text": deadline.text if deadline else "",
        "deadline": deadline.iso if deadline else "",
        "long_term": bool(deadline and deadline.long_term),
        "area_km2": area_km2_of(sentence),
        **ctx.source(line),
    }


def _body_records(ctx: DocumentContext) -> list[dict[str, object]]:
    pdf = _pdf_broken(ctx)
    records = []
    for text, line_at in _paragraphs(ctx):
        if WORD not in text:
            continue
        for offset, raw_sentence in _split(text):
            if WORD not in raw_sentence:
                continue
            sentence = raw_sentence.strip().rstrip("，,、")
            lead = len(raw_sentence) - len(raw_sentence.lstrip())
            if _ITEM_TITLE.match(sentence):
                continue  # "15. 扩大“禁煤区”" — the item's title; its sentences follow
            action = action_of(sentence)
            if not action:
                continue
            line = line_at[offset + lead + sentence.index(WORD)]
            if pdf:
                sentence = squash_cjk_spaces(sentence)
            year = ctx.year_at(line)
            deadline = deadline_in_text(sentence, year)
            rec = _record(ctx, sentence, line, action, deadline)
            heading = _section_heading(ctx, line)
            if any(w in heading for w in _PAST_SECTION):
                # A past achievement told in the plan's review of the last period (002: "新增禁煤区
                # 面积 83.95 平方公里" under 一、基础形势). It is kept — it says where zones already
                # are — with the action it achieved, no deadline (nothing is promised, and inventing
                # the period's end date would read as a commitment), and a description that says so.
                rec["description"] = f"（已完成，见“{heading}”）{sentence}"
                rec["deadline_text"] = ""
                rec["deadline"] = ""
            records.append(rec)
    return records


def _row_records(ctx: DocumentContext, table: Table) -> list[dict[str, object]]:
    deadline_col = table.col(*_DEADLINE_COLS)
    content_cols = [i for name in _CONTENT_COLS for i in [table.col(name)] if i is not None]
    records = []
    for k, row in enumerate(table.rows):
        cells = [i for i, c in enumerate(row.cells) if WORD in c and i != deadline_col]
        if not cells:
            continue
        # the fullest statement first: the measure column, then the task name ("扩大“禁煤区”")
        cells.sort(key=lambda i: (i not in content_cols, -len(row.cells[i])))
        next_line = table.rows[k + 1].line - 1 if k + 1 < len(table.rows) else row.line + 3
        year = ctx.year_at(row.line)
        deadline = parse_deadline(row.get(deadline_col), year) if deadline_col is not None else None
        for i in cells:
            found_here = []
            for _, raw_sentence in _split(row.cells[i]):
                sentence = raw_sentence.strip()
                if WORD not in sentence:
                    continue
                action = action_of(sentence) or action_of(row.cells[i])
                if not action:
                    continue
                line = _line_with_word(ctx, row.line, next_line)
                own = deadline_in_text(sentence, year)
                found_here.append(_record(ctx, sentence, line, action, own or deadline))
            if found_here:
                records.extend(found_here)
                break
    return records


def _same_statement(a: str, b: str) -> bool:
    a, b = re.sub(r"\s+", "", a), re.sub(r"\s+", "", b)
    m = difflib.SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return m.size >= 10


def _task_id(rec: dict[str, object], tasks: list[dict]) -> str:
    line = rec["source_line"]
    for t in tasks:
        if t.get("source_line") == line and t.get("id"):
            return str(t["id"])
    desc = re.sub(r"\s+", "", str(rec["description"]))[:15]
    for t in tasks:
        if desc and desc in re.sub(r"\s+", "", str(t.get("content", ""))) and t.get("id"):
            return str(t["id"])
    return ""


def extract(ctx: DocumentContext, found: dict) -> dict[str, list[dict[str, object]]]:
    body = _body_records(ctx)
    rows = [r for t in ctx.tables for r in _row_records(ctx, t)]
    # A body statement without its own deadline takes the one of the annex row stating it.
    for rec in body:
        if rec["deadline"] or rec["long_term"] or rec["description"].startswith("（已完成"):
            continue
        plan = ctx.plan_at(int(rec["source_line"]))
        for row in rows:
            if ctx.plan_at(int(row["source_line"])) is not plan or row["action"] != rec["action"]:
                continue
            if not (row["deadline_text"] or row["long_term"]):
                continue
            if _same_statement(str(rec["description"]), str(row["description"])):
                for key in ("deadline_text", "deadline", "long_term"):
                    rec[key] = row[key]
                break
    records = sorted(body + rows, key=lambda r: int(r["source_line"]))
    tasks = list(found.get("tasks", []))
    for n, rec in enumerate(records, start=1):
        rec["id"] = f"{ctx.meta.id}/Z{n}"
        rec["task_id"] = _task_id(rec, tasks)
    return {"no_coal_zones": records}
