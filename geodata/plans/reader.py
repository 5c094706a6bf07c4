"""Reading a plan document as published into numbered lines.

Text and Markdown files may be UTF-8 (with or without BOM) or GBK/GB18030. Word ``.docx``
files are flattened into the same line form: each paragraph is a line and each table row is
a line of tab-separated cells, so the table finder treats both alike. Line numbers are
1-based; for ``.docx`` they count paragraphs and table rows in document order, and
``SourceDocument.ref(line)`` tells a user where that is ("表2第3行").
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from geodata import safeio
from geodata.errors import PlanParseError
from geodata.textio import decode_text


@dataclass
class SourceDocument:
    """A plan document split into lines, with what is needed to cite them."""

    name: str
    lines: list[str]
    sha256: str
    kind: str = "text"  # "text" | "docx"
    encoding: str = "utf-8"
    refs: dict[int, str] = field(default_factory=dict)

    def line(self, n: int) -> str:
        """Line ``n`` (1-based)."""
        return self.lines[n - 1]

    def numbered(self) -> list[tuple[int, str]]:
        return list(enumerate(self.lines, start=1))

    def ref(self, n: int) -> str:
        """A human description of line ``n``: "第 12 行" or, in .docx, "表2第3行"."""
        return self.refs.get(n, f"第 {n} 行")

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
        raise PlanParseError(name, "文件为空，没有可导入的内容。请选择行动计划的正文文件（.txt/.md/.docx）。")
    if data[:2] == b"PK":
        if path.suffix.lower() != ".docx" and not _looks_like_docx(data):
            raise PlanParseError(name, "这是一个压缩包，不是行动计划文档。请导入 .txt、.md 或 .docx 文件。")
        lines, refs = _docx_lines(name, data)
        return SourceDocument(name, lines, digest, kind="docx", encoding="docx", refs=refs)
    if path.suffix.lower() == ".doc" or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise PlanParseError(name, "不支持旧版 Word（.doc）格式。请在 Word/WPS 中另存为 .docx 后再导入。")
    text, encoding = _decode(name, data)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return SourceDocument(name, lines, digest, kind="text", encoding=encoding)


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

