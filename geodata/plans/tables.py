"""Finding the tables of a plan: target tables, task ledgers, project lists, air targets.

A table row is a line with tab-separated cells (the form both the published text and the
``.docx`` reader produce). A table starts at a header row (one naming 序号, 任务类别 or
月份); a header that repeats after a page break starts a new *segment* of the same table.
Blank cells are kept blank here; :func:`fill_down` applies the "same as above" rule the
caller asks for, because only the caller knows which columns mean "same as above".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from geodata.plans.reader import SourceDocument
from geodata.plans.text import clean_line, squash_cjk_spaces

_HEADER_WORDS = ("序号", "任务类别", "月份")
_ANNEX = re.compile(r"^(附件|附表)\s*\d*\s*$")


def norm_header(cell: str) -> str:
    return re.sub(r"\s+", "", clean_line(cell))


@dataclass
class Row:
    line: int
    cells: list[str]
    segment: int = 0
    problem: str = ""

    def get(self, index: int | None) -> str:
        if index is None or index >= len(self.cells):
            return ""
        return self.cells[index]


@dataclass
class Table:
    title: str
    title_line: int
    header: list[str]
    header_line: int
    captions: list[tuple[int, str]] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    notes: list[tuple[int, str]] = field(default_factory=list)

    def col(self, *names: str) -> int | None:
        """Index of the first header cell containing any of ``names`` (spaces ignored)."""
        for name in names:
            for i, h in enumerate(self.header):
                if name in h:
                    return i
        return None

    group_title: str = ""

    @property
    def full_title(self) -> str:
        """"<annex title> / <sub-table title>" for sub-tables, else the title."""
        return f"{self.group_title}／{self.title}" if self.group_title else self.title

    @property
    def last_line(self) -> int:
        return self.rows[-1].line if self.rows else self.header_line


_NUMBERED = re.compile(r"^[一二三四五六七八九十]+、")


def _group_title(lines: list[str], title_line: int) -> str:
    """For a numbered sub-table caption, the annex title above it ("…重点项目清单")."""
    for k in range(title_line - 2, max(title_line - 60, 0), -1):
        text = clean_line(lines[k])
        if text and "\t" not in lines[k] and len(text) < 60 and not _NUMBERED.match(text) and re.search(r"(清单|台账|工程|表|目标)$", text):
            return text
    return ""


def _is_header(cells: list[str]) -> bool:
    normed = [norm_header(c) for c in cells]
    return any(n in _HEADER_WORDS for n in normed) or (normed and normed[0] in _HEADER_WORDS)


def _is_tab_line(line: str) -> bool:
    return "\t" in line and any(c.strip() for c in line.split("\t"))


def find_tables(doc: SourceDocument) -> list[Table]:
    """All tab tables of ``doc`` in document order, with page-break repeats merged."""
    lines = doc.lines
    tables: list[Table] = []
    current: Table | None = None
    segment = 0
    pending_text: list[tuple[int, str]] = []  # non-table lines since the last table row
    last_table_end = 0
    n = len(lines)
    i = 0
    while i < n:
        raw = lines[i]
        lineno = i + 1
        if not _is_tab_line(raw):
            text = clean_line(raw)
            if text:
                pending_text.append((lineno, text))
            i += 1
            continue
        cells = [c.strip() for c in raw.split("\t")]
        if _is_header(cells):
            header = [norm_header(c) for c in cells]
            while header and not header[-1]:
                header.pop()
            between = [t for _, t in pending_text]
            same = (
                current is not None
                and header == current.header
                and all(t == current.title or squash_cjk_spaces(t) == squash_cjk_spaces(current.title) for t in between)
            )
            if same and current is not None:
                segment += 1
            else:
                captions = [(ln, t) for ln, t in pending_text if ln > last_table_end][-4:]
                title_line, title = captions[-1] if captions else (lineno, "")
                current = Table(title=title, title_line=title_line, header=header, header_line=lineno, captions=captions)
                current.group_title = _group_title(lines, title_line) if _NUMBERED.match(title) else ""
                tables.append(current)
                segment = 0
            pending_text = []
            i += 1
            continue
        if current is None:
            i += 1
            continue
        # a wrapped line: text without tabs directly between two rows of the table
        if pending_text and current.rows and pending_text[0][0] == current.rows[-1].line + 1:
            prev = current.rows[-1]
            joined = "".join(t for _, t in pending_text)
            idx = max((k for k, c in enumerate(prev.cells) if c), default=len(prev.cells) - 1)
            prev.cells[idx] = prev.cells[idx] + joined
        pending_text = []
        width = len(current.header)
        # a cell wrapped onto the next physical line: "\t5\t戊措施，" + "跨行续写\t长期坚持\t…"
        while len(cells) < width and i + 1 < n and _is_tab_line(lines[i + 1]):
            nxt = [c.strip() for c in lines[i + 1].split("\t")]
            if _is_header(nxt) or len(cells) + len(nxt) - 1 > width + 1:
                break
            cells = cells[:-1] + [cells[-1] + nxt[0]] + nxt[1:]
            i += 1
        problem = ""
        if len(cells) > width:
            extra = [c for c in cells[width:] if c]
            if extra:
                problem = f"这一行有 {len(cells)} 个单元格，表头只有 {width} 列（多出：{'、'.join(extra)[:30]}）"
            cells = cells[:width]
        cells += [""] * (width - len(cells))
        seq_col = current.col("序号")
        if not problem and seq_col is not None and cells[seq_col] and not re.fullmatch(r"\d{1,3}", cells[seq_col]):
            problem = f"序号“{cells[seq_col][:20]}”不是数字，这一行可能错位或残缺"
        current.rows.append(Row(lineno, [clean_line(c) for c in cells], segment, problem))
        last_table_end = lineno
        i += 1
        # notes right after a table ("注：国控断面 2 个")
        j = i
        while j < n and not lines[j].strip():
            j += 1
        if j < n and clean_line(lines[j]).startswith("注"):
            current.notes.append((j + 1, clean_line(lines[j])))
    return tables


def fill_down(table: Table, column: int | None, *, segment_start_takes_next: bool = False) -> list[str]:
    """Values of ``column`` for every row with blank cells meaning "same as above".

    With ``segment_start_takes_next`` (category columns of ledgers whose merged cells are
    centred), blank rows at the start of a page segment take the first label that follows
    in the same segment instead of the label of the previous page.
    """
    values = [r.get(column) for r in table.rows]
    out: list[str] = []
    previous = ""
    for i, row in enumerate(table.rows):
        value = values[i]
        if not value:
            if segment_start_takes_next and (i == 0 or table.rows[i - 1].segment != row.segment or not out or _segment_blank_so_far(table, values, i)):
                following = next(
                    (values[k] for k in range(i + 1, len(values)) if table.rows[k].segment == row.segment and values[k]),
                    "",
                )
                value = following or previous
            else:
                value = previous
        out.append(value)
        previous = value
    return out


def _segment_blank_so_far(table: Table, values: list[str], i: int) -> bool:
    seg = table.rows[i].segment
    k = i - 1
    while k >= 0 and table.rows[k].segment == seg:
        if values[k]:
            return False
        k -= 1
    return k < 0 or table.rows[k].segment != seg
