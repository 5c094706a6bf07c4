"""The document model: a plan's headings, numbered items, paragraphs and tables, with source spans.

Built once per document from the reader's lines (:func:`build_outline`); the extractors read
the blocks instead of re-scanning lines. Numbering as the genre writes it:

====================  ==========  =================================================
marker                kind        e.g.
====================  ==========  =================================================
第一章 / 第一节       chapter     第三章 重点任务
一、                  cn          三、重点任务
（一） (一)           paren_cn    （一）强化水资源管控
1. 1． 1、            arabic      1. 保障重点河流生态流量。
（1） (1) 1）         paren_ar    （1）完成提标改造。
① ②                   circled     ①城区污水处理厂…
一是 二是             shi         一是加强…；二是推进…  (also inside a paragraph)
====================  ==========  =================================================

Nesting follows that order (a 1. item inside （一）, a （1） inside 1.); an item runs until the
next marker of its own or a higher kind. A paragraph broken mid-sentence by a PDF or web
conversion is joined into one block (the line where it starts is its source line).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from geodata.plans.text import clean_line, display_width, squash_cjk_spaces

CN_DIGITS = "一二三四五六七八九十"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
KINDS = ("chapter", "cn", "paren_cn", "arabic", "paren_ar", "circled", "shi")

_MARKERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("chapter", re.compile(rf"^第\s*([{CN_DIGITS}百零〇]+)\s*[章节]\s*(?P<rest>.*)$")),
    ("cn", re.compile(rf"^([{CN_DIGITS}]+)\s*、\s*(?P<rest>.*)$")),
    ("paren_cn", re.compile(rf"^[（(]\s*([{CN_DIGITS}]+)\s*[）)]\s*(?P<rest>.*)$")),
    ("paren_ar", re.compile(r"^(?:[（(]\s*(\d{1,2})\s*[）)]|(\d{1,2})\s*[）)])\s*(?P<rest>.*)$")),
    ("arabic", re.compile(r"^(\d{1,2})\s*(?:[.．](?!\d)|、)\s*(?P<rest>.*)$")),
    ("circled", re.compile(rf"^([{CIRCLED}])\s*(?P<rest>.*)$")),
    ("shi", re.compile(rf"^([{CN_DIGITS}]{{1,3}})是\s*(?P<rest>.+)$")),
)
_INLINE_SHI = re.compile(rf"(?:^|(?<=[。；;：:，,]))\s*([{CN_DIGITS}]{{1,3}})是(?=[\u4e00-\u9fff])")
_INLINE_PAREN = re.compile(r"(?:^|(?<=[。；;：:]))\s*[（(](\d{1,2})[）)]")
_INLINE_CIRCLED = re.compile(rf"([{CIRCLED}])")
_SENTENCE_END = "。！？；：”）〕"


def cn_number(text: str) -> int:
    """一 → 1, 十二 → 12, 二十三 → 23 (the numbers used in plan numbering)."""
    digits = {c: i for i, c in enumerate("零一二三四五六七八九", start=0)} | {"〇": 0}
    if not text:
        return 0
    if "十" not in text:
        value = 0
        for ch in text:
            value = value * 10 + digits.get(ch, 0)
        return value
    tens, _, ones = text.partition("十")
    return (digits.get(tens, 1) if tens else 1) * 10 + (digits.get(ones, 0) if ones else 0)


def marker_of(text: str) -> tuple[str, int, str, str] | None:
    """``(kind, number, marker as written, rest)`` when ``text`` starts with a numbering marker."""
    for kind, pattern in _MARKERS:
        m = pattern.match(text)
        if not m:
            continue
        if kind == "shi" and not m.group("rest"):
            continue
        raw = next(g for g in m.groups()[:-1] if g)
        if kind == "circled":
            number = CIRCLED.index(raw) + 1
        elif kind in ("arabic", "paren_ar"):
            number = int(raw)
        else:
            number = cn_number(raw)
        marker = text[: m.start("rest")].strip()
        return kind, number, marker, m.group("rest").strip()
    return None


@dataclass
class Block:
    """A heading, numbered item or paragraph of the plan body, or a table's place."""

    kind: str  # "item" | "paragraph" | "table"
    first_line: int
    last_line: int
    text: str
    marker_kind: str = ""
    number: int = 0
    marker: str = ""
    parent: int | None = None  # index of the enclosing item block
    children: list[int] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)  # source line of every character of ``text``

    @property
    def heading(self) -> str:
        """The lead phrase: the text before the first 。 (or all of it when short)."""
        head = re.split(r"[。；]", self.text, maxsplit=1)[0].strip()
        return head

    def line_at(self, offset: int) -> int:
        if not self.lines:
            return self.first_line
        return self.lines[min(max(offset, 0), len(self.lines) - 1)]


@dataclass
class Outline:
    blocks: list[Block]

    def ancestors(self, index: int) -> list[Block]:
        out = []
        parent = self.blocks[index].parent
        while parent is not None:
            out.append(self.blocks[parent])
            parent = self.blocks[parent].parent
        return out

    def items(self) -> list[tuple[int, Block]]:
        return [(i, b) for i, b in enumerate(self.blocks) if b.kind == "item"]


def _is_pdf_like(lines: list[str]) -> bool:
    """A PDF (or web) conversion breaks paragraphs mid-sentence: most long lines end unterminated."""
    texts = [clean_line(x) for x in lines if x.strip() and "\t" not in x]
    long = [t for t in texts if len(t) > 15]
    if not long:
        return False
    ended = sum(1 for t in long if t[-1] in _SENTENCE_END)
    return ended / len(long) < 0.5


def _line_width(lines: list[str]) -> int:
    """The usual length of a full line of a PDF conversion (the 80th percentile of long lines)."""
    widths = sorted(display_width(squash_cjk_spaces(clean_line(x))) for x in lines if len(x.strip()) > 15 and "\t" not in x)
    return widths[int(len(widths) * 0.8)] if widths else 0


def is_heading_text(text: str) -> bool:
    """A title line: short and not a sentence ("（一）强化水资源管控", "一、主要目标")."""
    return len(text) <= 40 and text[-1] not in "。！？；，,"


def build_outline(lines: list[str], first: int = 1, last: int | None = None) -> Outline:
    """The blocks of ``lines[first-1:last]`` (1-based, inclusive); tab rows become table blocks.

    A numbered item keeps the lines that follow it until the next marker of its own or a
    higher kind (its content may run over several paragraphs), unless the item is a heading
    (a short title): then the paragraphs after it are its children. Without numbering, a line
    is a paragraph; in a PDF-like text, lines are joined until a sentence ends or a line
    stops short of the full width.
    """
    last = last or len(lines)
    window = lines[first - 1 : last]
    pdf = _is_pdf_like(window)
    full = _line_width(window) if pdf else 0
    blocks: list[Block] = []
    stack: list[int] = []  # open item blocks, outermost first
    current: Block | None = None  # the block the next unmarked line continues

    def add(block: Block) -> Block:
        blocks.append(block)
        if block.parent is not None:
            blocks[block.parent].children.append(len(blocks) - 1)
        return block

    def ends(text: str, first_line: bool) -> bool:
        """Whether a PDF line ends its paragraph: a sentence end, or a line stopping short
        (a paragraph's first line is indented by two characters)."""
        return text[-1] in "。！？" or (full > 0 and display_width(text) < full - 4 - (4 if first_line else 0))

    for n in range(first, last + 1):
        raw = lines[n - 1]
        if "\t" in raw:
            if blocks and blocks[-1].kind == "table" and blocks[-1].last_line == n - 1:
                blocks[-1].last_line = n
            else:
                add(Block("table", n, n, "", parent=stack[-1] if stack else None))
            current = None
            continue
        text = squash_cjk_spaces(clean_line(raw))
        if not text:
            continue
        found = marker_of(text)
        if found and found[0] == "shi" and current is not None and pdf:
            found = None  # "一是" at the start of a broken PDF line continues the sentence
        if found:
            kind, number, marker, rest = found
            while stack and KINDS.index(blocks[stack[-1]].marker_kind) >= KINDS.index(kind):
                stack.pop()
            for value, mark, piece in _same_line_siblings(kind, number, marker, rest):
                block = add(Block("item", n, n, piece, kind, value, mark, parent=stack[-1] if stack else None,
                                  lines=[n] * len(piece)))
            stack.append(len(blocks) - 1)
            # a heading of a section or category ("（一）强化水资源管控") has paragraphs under it; a
            # numbered task keeps the lines after it even when its first line is only a title
            heading = kind in ("chapter", "cn", "paren_cn") and is_heading_text(text) and (not pdf or ends(text, True))
            current = None if heading else block
            continue
        if current is not None:
            if current.kind == "paragraph" and not pdf:
                current = None
            else:
                current.text += text
                current.lines.extend([n] * len(text))
                current.last_line = n
                if current.kind == "paragraph" and ends(text, False):
                    current = None
                continue
        block = add(Block("paragraph", n, n, text, parent=stack[-1] if stack else None, lines=[n] * len(text)))
        current = block if pdf and not ends(text, True) else None
    _split_inline_items(blocks)
    return Outline(blocks)


def _same_line_siblings(kind: str, number: int, marker: str, rest: str) -> list[tuple[int, str, str]]:
    """"①县城污水处理厂完成提标。②侯堡镇污水处理站完成改造。" on one line: two items."""
    if kind == "circled":
        pattern = re.compile(rf"(?<=[。；;])\s*([{CIRCLED}])")
    elif kind == "paren_ar":
        pattern = re.compile(r"(?<=[。；;])\s*[（(](\d{1,2})[）)]")
    else:
        return [(number, marker, rest)]
    cuts: list[tuple[int, int, int, str]] = []  # (start, end, number, marker) of each later sibling
    expected = number + 1
    for m in pattern.finditer(rest):
        value = CIRCLED.index(m.group(1)) + 1 if kind == "circled" else int(m.group(1))
        if value == expected:
            cuts.append((m.start(), m.end(), value, m.group(0).strip()))
            expected += 1
    out = []
    starts = [(0, 0, number, marker), *cuts]
    for k, (_start, end, value, mark) in enumerate(starts):
        stop = cuts[k][0] if k < len(cuts) else len(rest)
        out.append((value, mark, rest[end:stop].strip()))
    return out


def _lead_sentence(text: str) -> bool:
    """A paragraph that opens with a short lead sentence: "加快产能布局调整。汾河…"."""
    head = text.split("。", 1)[0]
    return 2 <= len(head) <= 24 and "。" in text and not re.search(r"[，,；：]", head)


def _split_inline_items(blocks: list[Block]) -> None:
    """"一是…；二是…" and "（1）…（2）…" written inside one block become child items."""
    for index in range(len(blocks)):
        block = blocks[index]
        if block.kind not in ("item", "paragraph"):
            continue
        for kind, pattern in (("shi", _INLINE_SHI), ("paren_ar", _INLINE_PAREN), ("circled", _INLINE_CIRCLED)):
            if block.marker_kind and KINDS.index(block.marker_kind) >= KINDS.index(kind):
                continue
            hits = list(pattern.finditer(block.text))
            numbers = [cn_number(h.group(1)) if kind == "shi" else (int(h.group(1)) if kind == "paren_ar" else CIRCLED.index(h.group(1)) + 1) for h in hits]
            if len(hits) < 2 or numbers[:2] != [1, 2]:
                continue
            for k, hit in enumerate(hits):
                if k and numbers[k] != numbers[k - 1] + 1:
                    break
                end = hits[k + 1].start() if k + 1 < len(hits) and numbers[k + 1] == numbers[k] + 1 else len(block.text)
                start = hit.end()
                piece = block.text[start:end].strip().lstrip("：:")
                if kind == "shi" and k + 1 == len(hits):
                    piece = re.split(r"(?<=[。])", piece, maxsplit=1)[0]
                marker = hit.group(0).strip()
                child = Block(
                    "item", block.line_at(hit.start()), block.line_at(max(end - 1, hit.start())), piece,
                    kind, numbers[k], marker if kind != "shi" else f"{hit.group(1)}是", parent=index,
                    lines=block.lines[start:end],
                )
                child.text = piece
                blocks.append(child)
                block.children.append(len(blocks) - 1)
            break
