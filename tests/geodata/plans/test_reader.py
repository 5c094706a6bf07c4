"""Reading plan files: encodings, Word documents, and the inputs we must refuse."""

from __future__ import annotations

import pytest
from docx import Document

from geodata.errors import PlanParseError
from geodata.plans.reader import read_document
from tests.conftest import seed


def test_gbk_text_reads_like_utf8(tmp_path):
    original = seed("004").read_text(encoding="utf-8")
    gbk = tmp_path / "plan_gbk.txt"
    gbk.write_bytes(original.encode("gb18030"))
    doc = read_document(gbk)
    assert doc.encoding == "gbk"
    assert doc.lines == read_document(seed("004")).lines


def test_utf8_bom_is_stripped(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeff运城市人民政府办公室文件\n".encode())
    assert read_document(path).lines[0] == "运城市人民政府办公室文件"


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "文件为空"),
        (b"   \n\n  ", "文件为空"),
        (b"\x00\x01\x02\x03binary\x00" * 50, "二进制"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".doc"),
        (b"PK\x03\x04not a real zip", "压缩包"),
    ],
)
def test_unreadable_files_get_a_chinese_reason(tmp_path, content, words):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(PlanParseError) as info:
        read_document(path)
    assert words in str(info.value)
    assert "bad.txt" in str(info.value)


def test_docx_tables_become_tab_rows_with_references(tmp_path):
    document = Document()
    document.add_paragraph("襄垣县 2022 年—2023 年地表水控制断面水质目标")
    table = document.add_table(rows=3, cols=4)
    for r, cells in enumerate([["序号", "断面名称", "级别", "2023 年目标"], ["1", "后湾水库出口", "国控", "II类"], ["2", "甘\n村", "省控", "III类"]]):
        for c, text in enumerate(cells):
            table.cell(r, c).text = text
    path = tmp_path / "plan.docx"
    document.save(path)
    doc = read_document(path)
    assert doc.kind == "docx"
    rows = [line for line in doc.lines if "\t" in line]
    assert rows[0] == "序号\t断面名称\t级别\t2023 年目标"
    assert rows[2].split("\t")[1] == "甘 村"  # a wrapped cell is joined, then squashed by the parsers
    assert doc.ref(doc.lines.index(rows[1]) + 1) == "表1第2行"


def test_web_copy_punctuation_becomes_full_width(tmp_path):
    path = tmp_path / "web.txt"
    path.write_text(
        "各县、区人民政府,高新区管委会,市直各有关部门:\n" * 12 + "列入国家考核的富屯溪晒口大桥断面(富3)水质达到国家考核要求;PM2.5浓度为42微克/立方米。\n",
        encoding="utf-8",
    )
    lines = read_document(path).lines
    assert lines[0] == "各县、区人民政府，高新区管委会，市直各有关部门："
    assert lines[-2] == "列入国家考核的富屯溪晒口大桥断面（富3）水质达到国家考核要求；PM2.5浓度为42微克/立方米。"


def test_plain_text_with_full_width_punctuation_is_left_alone(tmp_path):
    original = seed("000").read_text(encoding="utf-8").split("\n")
    assert read_document(seed("000")).lines == original


def test_pdf_lines_cite_page_and_line(tmp_path):
    from tests.conftest import REPO

    doc = read_document(REPO / "tests" / "fixtures" / "plans" / "xiangyuan_2023_seed001.pdf")
    assert doc.kind == "pdf"
    rows = [n for n, line in doc.numbered() if line.startswith("序号\t")]
    assert len(rows) >= 5  # the target table and the project lists, as tab rows
    assert all(doc.ref(n).startswith("第") and "页第" in doc.ref(n) for n in rows)
    assert doc.source_ref(rows[0]) == doc.ref(rows[0])


@pytest.mark.parametrize("content", [b"%PDF-1.4\n%broken", b"%PDF-1.7\n" + b"\x00" * 200])
def test_damaged_pdf_gets_a_chinese_reason(tmp_path, content):
    path = tmp_path / "bad.pdf"
    path.write_bytes(content)
    with pytest.raises(PlanParseError) as info:
        read_document(path)
    assert "bad.pdf" in str(info.value) and "PDF" in str(info.value)
