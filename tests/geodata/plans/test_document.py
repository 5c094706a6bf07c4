"""The document model: numbered items nest by kind, paragraphs join across PDF line breaks."""

from __future__ import annotations

import pytest

from geodata.plans.document import build_outline, cn_number, marker_of
from geodata.plans.reader import read_document
from tests.conftest import seed


@pytest.mark.parametrize(
    ("text", "kind", "number"),
    [
        ("三、重点任务", "cn", 3),
        ("（十二）强化监管", "paren_cn", 12),
        ("(二) 面源治理", "paren_cn", 2),
        ("1. 保障生态流量。", "arabic", 1),
        ("12．推进治理", "arabic", 12),
        ("3、开展排查", "arabic", 3),
        ("（4）完成改造", "paren_ar", 4),
        ("5）完成改造", "paren_ar", 5),
        ("②完成整治", "circled", 2),
        ("二是加强监管", "shi", 2),
        ("第三章 重点任务", "chapter", 3),
    ],
)
def test_markers(text, kind, number):
    found = marker_of(text)
    assert found is not None and found[:2] == (kind, number)


@pytest.mark.parametrize("text", ["2023年全市完成", "1.5万吨", "一、二级保护区划定", "PM2.5浓度"])
def test_not_markers(text):
    found = marker_of(text)
    assert found is None or found[0] != "arabic" or not text.startswith(("2023", "1.5"))


def test_cn_numbers():
    assert [cn_number(x) for x in ("一", "十", "十二", "二十", "二十三")] == [1, 10, 12, 20, 23]


def test_outline_of_a_seed_nests_items_under_headings():
    doc = read_document(seed("000"))
    outline = build_outline(doc.lines, 20, 60)
    items = [(b.marker, b.first_line, outline.blocks[b.parent].marker if b.parent is not None else "") for _, b in outline.items()]
    assert ("（一）", 31, "三、") in items
    assert ("1.", 33, "（一）") in items
    five = next(b for _, b in outline.items() if b.marker == "5.")
    assert (five.first_line, five.last_line) == (41, 43)  # its text goes on after a blank line


def test_pdf_like_paragraphs_join_and_lead_sentences_stand_out():
    doc = read_document(seed("002"))
    outline = build_outline(doc.lines, 752, 830)
    paragraphs = [b for b in outline.blocks if b.kind == "paragraph"]
    assert paragraphs[0].text.startswith("强化生态环境分区管控。从严把好生态环境准入关，严格落实")
    lead = next(b for b in paragraphs if b.text.startswith("加快产能布局调整。"))
    assert (lead.first_line, lead.last_line) == (769, 800)
    assert "1公里内严禁新建焦化、钢铁、化工" in lead.text.replace(" ", "")
