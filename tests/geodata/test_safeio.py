"""File-safety checks: sizes, archives, claimed sheet ranges, rows and cells, text lengths."""

from __future__ import annotations

import io
import zipfile

import pytest

from geodata import safeio


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_file_size_is_refused_before_reading():
    with pytest.raises(safeio.UnsafeFile, match="超过监测数据文件的上限"):
        safeio.check_size("a.csv", 200 * safeio.MB, safeio.MONITORING.file_bytes, safeio.MONITORING.label)
    safeio.check_size("a.csv", 10, safeio.MONITORING.file_bytes, safeio.MONITORING.label)


def test_zip_members_ratio_and_total_are_bounded():
    limits = safeio.Limits("测试", 10**9, unzipped_bytes=3 * safeio.MB, member_bytes=2 * safeio.MB, ratio=50, members=5,
                           rows=10, cells=10, columns=5, text_chars=5, line_chars=5)
    with pytest.raises(safeio.UnsafeFile, match="压缩比异常"):
        safeio.inspect_zip("z.zip", _zip({"a": b"\0" * (int(1.5 * safeio.MB))}), limits)
    with pytest.raises(safeio.UnsafeFile, match="解压后有"):
        safeio.inspect_zip("z.zip", _zip({"a": bytes(range(256)) * 10_000}), limits)
    with pytest.raises(safeio.UnsafeFile, match="内含 6 个文件"):
        safeio.inspect_zip("z.zip", _zip({f"f{k}": b"x" for k in range(6)}), limits)
    with pytest.raises(safeio.UnsafeFile, match="不是有效的 zip"):
        safeio.inspect_zip("z.zip", b"PK\x03\x04 broken", limits)
    assert len(safeio.inspect_zip("z.zip", _zip({"a": b"hello"}), limits)) == 1


def test_the_claimed_range_of_a_sheet_is_read_from_its_first_bytes():
    sheet = b'<worksheet><dimension ref="A1:XFD1048576"/><sheetData/></worksheet>'
    assert safeio.xlsx_claimed_range(_zip({"xl/worksheets/sheet1.xml": sheet})) == (1048576, 16384)
    assert safeio.xlsx_claimed_range(_zip({"xl/worksheets/sheet1.xml": b'<dimension ref="B2:D9"/>'})) == (8, 3)
    assert safeio.xlsx_claimed_range(_zip({"other.xml": b""})) is None


def test_rows_cells_columns_and_cell_length_are_counted_while_streaming():
    limits = safeio.Limits("测试", 1, 1, 1, 1, 1, rows=2, cells=5, columns=3, text_chars=4, line_chars=1)
    budget = safeio.RowBudget("t.csv", limits)
    budget.row(["a", "b", ""], 1)
    with pytest.raises(safeio.UnsafeFile, match="4 列"):
        budget.row(["a", "b", "c", "d"], 2)
    with pytest.raises(safeio.UnsafeFile, match="单元格长"):
        safeio.RowBudget("t.csv", limits).row(["abcde"], 1)
    budget = safeio.RowBudget("t.csv", limits)
    budget.row(["a"], 1)
    budget.row(["a"], 2)
    with pytest.raises(safeio.UnsafeFile, match="行"):
        budget.row(["a"], 3)


def test_text_length():
    assert safeio.check_text("张留庄", safeio.NAME_CHARS, "名称") is None
    assert "超过上限 100 字" in safeio.check_text("长" * 101, safeio.NAME_CHARS, "名称")


def test_a_plan_too_big_or_with_an_absurd_line_is_refused(tmp_path):
    path = tmp_path / "p.txt"
    path.write_text("第一条\n" + "长" * 30_000 + "\n", encoding="utf-8")
    with pytest.raises(safeio.UnsafeFile, match="一行长"):
        safeio.check_plan("p.txt", path)
    safeio.check_plan("ok.txt", "第一条\n第二条\n".encode())
    safeio.check_plan("missing.txt", tmp_path / "missing.txt")  # the reader reports a missing file
