"""Reading a plan document as published into numbered lines, whatever its format.

Every reader produces the same line form, from which :mod:`geodata.plans.document` builds
the document model (headings, numbered items, tables):

- text and Markdown (UTF-8 with or without BOM, or GBK/GB18030): one line per line; a
  Markdown pipe table (``| 序号 | 重点任务 |``) and a space-aligned text table (columns
  under a header such as ``序号   重点任务      责任单位   完成时限``) become tab rows;
  a copy from a web page that writes ``,`` ``(`` ``:`` between Chinese characters gets the
  full-width forms the extractors read;
- Word ``.docx``: each paragraph is a line and each table row a line of tab-separated cells
  (merged cells: a horizontal merge is one cell, a vertical merge repeats the top cell);
- text PDF (pdfplumber, layout-aware): the page's text lines top to bottom, each table found
  on the page as tab rows at its place; running page numbers ("— 4 —") are dropped. A PDF
  without a text layer (a scan) is refused: OCR is not part of envmap.

Line numbers are 1-based over the whole document; ``SourceDocument.ref(line)`` tells a user
where a line is: "第 12 行", in ``.docx`` "表2第3行", in PDF "第3页第12行".
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from geodata import safeio
from geodata.errors import PlanParseError
from geodata.plans.text import display_width, fullwidth_punctuation, web_punctuation
from geodata.textio import decode_text


@dataclass
class SourceDocument:
    """A plan document split into lines, with what is needed to cite them."""

    name: str
    lines: list[str]
    sha256: str
    kind: str = "text"  # "text" | "docx" | "pdf"
    encoding: str = "utf-8"
    refs: dict[int, str] = field(default_factory=dict)

    def line(self, n: int) -> str:
        """Line ``n`` (1-based)."""
        return self.lines[n - 1]

    def numbered(self) -> list[tuple[int, str]]:
        return list(enumerate(self.lines, start=1))

    def ref(self, n: int) -> str:
        """A human description of line ``n``: "第 12 行", in .docx "表2第3行", in PDF "第3页第12行"."""
        return self.refs.get(n, f"第 {n} 行")

    def source_ref(self, n: int) -> str:
        """Where line ``n`` is, for a record's ``source_ref``: "" for plain text (the line says it)."""
        return self.refs.get(n, "")

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def read_document(path: str | Path, data: bytes | None = None) -> SourceDocument:
    """Read ``path`` (or ``data`` named ``path``) into a :class:`SourceDocument`.

    Raises :class:`PlanParseError` with a Chinese message for an empty file, a binary or
    undecodable file, or a damaged ``.docx``.
    """
    path = Path(path)
    safeio.check_plan(path.name, data if data is not None else path)  # size, zip bomb, one-line files
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise PlanParseError(path.name, f"无法读取文件（{exc.strerror}）。请检查路径和权限。") from exc
    name = path.name
    digest = hashlib.sha256(data).hexdigest()
    if not data.strip():
        raise PlanParseError(name, "文件为空，没有可导入的内容。请选择行动计划的正文文件（.txt/.md/.docx/.pdf）。")
    if data[:5] == b"%PDF-" or path.suffix.lower() == ".pdf":
        lines, refs = _pdf_lines(name, data)
        return SourceDocument(name, _web_copy(lines), digest, kind="pdf", encoding="pdf", refs=refs)
    if data[:2] == b"PK":
        if path.suffix.lower() != ".docx" and not _looks_like_docx(data):
            raise PlanParseError(name, "这是一个压缩包，不是行动计划文档。请导入 .txt、.md、.docx 或 .pdf 文件。")
        lines, refs = _docx_lines(name, data)
        return SourceDocument(name, _web_copy(lines), digest, kind="docx", encoding="docx", refs=refs)
    if path.suffix.lower() == ".doc" or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise PlanParseError(name, "不支持旧版 Word（.doc）格式。请在 Word/WPS 中另存为 .docx 后再导入。")
    text, encoding = _decode(name, data)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = aligned_tables(pipe_tables(_web_copy(lines)))
    return SourceDocument(name, lines, digest, kind="text", encoding=encoding)


def _web_copy(lines: list[str]) -> list[str]:
    """A text pasted from a web page writes ``,`` ``(`` between Chinese characters: use the full-width forms."""
    return [fullwidth_punctuation(x) for x in lines] if web_punctuation(lines) else lines


def _decode(name: str, data: bytes) -> tuple[str, str]:
    if b"\x00" in data[:4096]:
        raise PlanParseError(name, "这是二进制文件，不是文本。请导入 UTF-8 或 GBK 编码的 .txt/.md，或 .docx 文件。")
    decoded = decode_text(data)
    if decoded is not None:
        text, encoding = decoded
        bad = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
        if bad > max(3, len(text) // 1000):
            raise PlanParseError(name, "文件含大量控制字符，像是二进制文件。请导入文本或 .docx 文件。")
        return text, encoding
    raise PlanParseError(name, "无法识别文件编码（既不是 UTF-8 也不是 GBK）。请另存为 UTF-8 文本后再导入。")


def _looks_like_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return "word/document.xml" in zf.namelist()
    except zipfile.BadZipFile:
        return False


def _docx_lines(name: str, data: bytes) -> tuple[list[str], dict[int, str]]:
    try:
        import docx  # python-docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several unrelated types for bad files
        raise PlanParseError(name, f"无法打开 Word 文档（{type(exc).__name__}）。文件可能已损坏，请重新导出 .docx。") from exc

    lines: list[str] = []
    refs: dict[int, str] = {}
    table_no = 0
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(child, document).text.strip())
        elif tag == "tbl":
            table_no += 1
            table = Table(child, document)
            lines.append("")
            for row_no, row in enumerate(table.rows, start=1):
                cells: list[str] = []
                seen: set[int] = set()
                for cell in row.cells:
                    key = id(cell._tc)
                    if key in seen:  # a horizontally merged cell is returned once per grid column
                        continue
                    seen.add(key)
                    # python-docx returns the top cell of a vertical merge, so its text repeats
                    cells.append(" ".join(part.strip() for part in cell.text.splitlines() if part.strip()))
                lines.append("\t".join(cells))
                refs[len(lines)] = f"表{table_no}第{row_no}行"
            lines.append("")
    return lines, refs



# ---------------------------------------------------------------- text tables

_PIPE_ROW = re.compile(r"^\s*\|(.*)\|\s*$")
_PIPE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


def pipe_tables(lines: list[str]) -> list[str]:
    """Markdown pipe tables as tab rows; the ``|---|`` rule line becomes blank (numbering kept)."""
    out: list[str] = []
    for line in lines:
        if _PIPE_RULE.match(line) and "-" in line:
            out.append("")
            continue
        m = _PIPE_ROW.match(line)
        if m and line.count("|") >= 3:
            out.append("\t".join(c.strip() for c in m.group(1).split("|")))
        else:
            out.append(line)
    return out


HEADER_WORDS = (
    "序号", "任务", "措施", "内容", "单位", "部门", "时限", "时间", "期限", "节点", "断面", "目标",
    "名称", "类别", "责任", "牵头", "配合", "备注", "项目", "河流", "级别", "县", "区域",
)
_GAP = re.compile(r"\S+(?: \S+)*")  # tokens separated by two or more spaces


def _columns(line: str) -> list[tuple[int, str]]:
    """(display column, token) for the runs of ``line`` separated by 2+ spaces (or a full-width one)."""
    line = line.replace("\u3000", "  ").rstrip()
    out = []
    for m in _GAP.finditer(line):
        out.append((display_width(line[: m.start()]), m.group(0)))
    return out


def aligned_tables(lines: list[str]) -> list[str]:
    """Space-aligned text tables as tab rows.

    A header is a line of at least three runs separated by two or more spaces, at least two of
    them table words (序号, 重点任务, 责任单位, 完成时限 …). Each following line is cut at the
    header's column positions (display width, a Chinese character counting two) until a
    blank line or a line that does not fit; a line whose first column is empty continues the
    row above (a wrapped cell) and stays a blank line so line numbers do not move.
    """
    out = list(lines)
    i = 0
    while i < len(out):
        header = _columns(out[i]) if "\t" not in out[i] else []
        words = sum(1 for _, t in header if any(w in t for w in HEADER_WORDS))
        if len(header) < 3 or words < 2 or any(len(t) > 12 for _, t in header):
            i += 1
            continue
        starts = [c for c, _ in header]
        out[i] = "\t".join(t for _, t in header)
        j = i + 1
        last_row: int | None = None
        while j < len(out) and out[j].strip():
            cols = _columns(out[j])
            if not cols:
                break
            cells = [""] * len(starts)
            for col, token in cols:
                k = max((n for n, s in enumerate(starts) if s <= col + 1), default=0)
                cells[k] = (cells[k] + " " + token).strip() if cells[k] else token
            if not cells[0] and last_row is not None:
                prev = out[last_row].split("\t")
                prev = [(p + c) if c else p for p, c in zip(prev, cells, strict=True)]
                out[last_row] = "\t".join(prev)
                out[j] = ""
            else:
                out[j] = "\t".join(cells)
                last_row = j
            j += 1
        i = j
    return out


# ---------------------------------------------------------------- PDF

_PAGE_NUMBER = re.compile(r"^[\s—\-–·•]*(第\s*\d+\s*页(\s*共\s*\d+\s*页)?|\d{1,3})[\s—\-–·•]*$")
MIN_TEXT_CHARS = 20


def _cell_text(cell: str | None) -> str:
    """A PDF table cell: its wrapped lines joined (without a space between Chinese characters)."""
    if not cell:
        return ""
    parts = [p.strip() for p in cell.splitlines() if p.strip()]
    text = ""
    for p in parts:
        if text and re.search(r"[A-Za-z0-9]$", text) and re.match(r"^[A-Za-z0-9]", p):
            text += " "
        text += p
    return text


def _pdf_lines(name: str, data: bytes) -> tuple[list[str], dict[int, str]]:
    try:
        import pdfplumber
    except ImportError as exc:  # pragma: no cover - a dependency of envmap
        raise PlanParseError(name, "读取 PDF 需要 pdfplumber：pip install 'pdfplumber>=0.11'。") from exc
    lines: list[str] = []
    refs: dict[int, str] = {}
    text_chars = 0
    images = 0
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # pdfminer raises many unrelated types for damaged files
        raise PlanParseError(name, f"无法打开 PDF（{type(exc).__name__}）。文件可能已损坏或加密，请重新导出。") from exc
    with pdf:
        try:
            pages = list(pdf.pages)
        except Exception as exc:
            raise PlanParseError(name, f"无法读取 PDF 页面（{type(exc).__name__}）。请重新导出 PDF。") from exc
        safeio.check_pdf_pages(name, len(pages))  # before any page's text is read
        for page_no, page in enumerate(pages, start=1):
            try:
                items = _page_items(page)
                images += len(page.images)
            except Exception as exc:
                raise PlanParseError(name, f"第 {page_no} 页无法读取（{type(exc).__name__}）。请重新导出 PDF。") from exc
            in_page = 0
            for kind, text in items:
                if kind == "text" and _PAGE_NUMBER.match(text):
                    continue
                if kind == "gap":
                    lines.append("")
                    continue
                text_chars += len(text.replace("\t", "").strip())
                in_page += 1
                lines.append(text)
                refs[len(lines)] = f"第{page_no}页第{in_page}行"
    if text_chars < MIN_TEXT_CHARS:
        what = "扫描件（只有图片，没有文字层）" if images else "没有可读取的文字"
        raise PlanParseError(
            name,
            f"这个 PDF 是{what}，envmap 不做文字识别（OCR）。请使用可复制文字的 PDF，"
            "或向发文单位索取 Word/文本版本后再导入。",
        )
    return lines, refs


def _page_items(page) -> list[tuple[str, str]]:  # noqa: ANN001 - pdfplumber Page
    """The page's text lines and table rows, top to bottom: [("text"|"row"|"gap", text)]."""
    tables = page.find_tables()
    rest = page
    for t in tables:
        rest = rest.outside_bbox(t.bbox)
    placed: list[tuple[float, int, str, str]] = []
    for line in rest.extract_text_lines(layout=False, strip=True, return_chars=False):
        text = line["text"].strip()
        if text:
            placed.append((line["top"], 1, "text", text))
    for n, t in enumerate(tables):
        rows = t.extract()
        top = t.bbox[1]
        placed.append((top - 0.01, 0, "gap", ""))
        for k, (row, cells) in enumerate(zip(t.rows, rows, strict=False)):
            texts = [_cell_text(c) for c in cells]
            if any(texts):
                placed.append((row.bbox[1], 2 + k, "row", "\t".join(texts)))
        placed.append((t.bbox[3] + 0.01, 9999 + n, "gap", ""))
    placed.sort(key=lambda p: (p[0], p[1]))
    return [(kind, text) for _, _, kind, text in placed]
