"""Small text normalisations shared by the plan extractors.

Published plans reach us through PDF or Word conversions that leave traces: Markdown
emphasis (``**…**``), heading marks, spaces inside Chinese names ("甘 村"), full-width
digits and spaces, subscripts written ``PM_{2.5}`` or ``SO ₂``. These functions remove the
traces without changing the words.
"""

from __future__ import annotations

import re
import unicodedata

CJK = r"\u3400-\u4dbf\u4e00-\u9fff"
_CJK_SPACE = re.compile(rf"(?<=[{CJK}（）()“”、])[ \u3000]+(?=[{CJK}（）()“”])")
_MD_EMPH = re.compile(r"\*\*|__")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*")
_BULLET = re.compile(r"^\s*(?:[-*]\s+|[•●▪]\s*)")
_FULLWIDTH = str.maketrans("０１２３４５６７８９．％", "0123456789.%")
_ROMAN = {"I": "Ⅰ", "II": "Ⅱ", "III": "Ⅲ", "IV": "Ⅳ", "V": "Ⅴ"}


def clean_line(line: str) -> str:
    """Strip Markdown marks and surrounding whitespace from one line of a plan."""
    line = _MD_HEADING.sub("", line)
    line = _BULLET.sub("", line)
    line = _MD_EMPH.sub("", line)
    return line.replace("\u3000", " ").strip()


def squash_cjk_spaces(text: str) -> str:
    """Remove spaces that a PDF conversion put between Chinese characters: "甘 村" → "甘村"."""
    return _CJK_SPACE.sub("", text.strip())


def normalize_digits(text: str) -> str:
    return text.translate(_FULLWIDTH)


def normalize_class(text: str) -> str | None:
    """Return a water class (Ⅰ…Ⅴ, 劣Ⅴ) written in ``text`` ("II类", "Ⅲ类", "劣V类"), else None."""
    t = squash_cjk_spaces(text).replace(" ", "")
    m = re.search(r"(劣)?(Ⅰ|Ⅱ|Ⅲ|Ⅳ|Ⅴ|IV|V|III|II|I)类?", t)
    if not m:
        return None
    roman = m.group(2)
    roman = _ROMAN.get(roman, roman)
    return ("劣" + roman) if m.group(1) else roman


def normalize_pollutant(text: str) -> str:
    """"PM _{2.5}" / "SO ₂" / "O₃" → "PM2.5" / "SO2" / "O3"."""
    t = text.replace("_{", "").replace("}", "").replace("_", "").replace(" ", "")
    t = t.translate(str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789"))
    return t.upper().replace("PM25", "PM2.5")


def year_of(text: str) -> int | None:
    m = re.search(r"(20\d{2})\s*年", normalize_digits(text))
    return int(m.group(1)) if m else None


# ---------------------------------------------------------------- brackets (one splitter for all)

OPEN_BRACKETS = "（(〔[［【"
CLOSE_BRACKETS = "）)〕]］】"


def split_top(text: str, seps: str, *, quotes: bool = False) -> list[tuple[int, str]]:
    """``(offset, piece)`` of ``text`` split at any of ``seps`` outside brackets.

    Brackets of every kind nest together ("各县（市、区）人民政府" is not split at its 、);
    with ``quotes`` the text inside “…” is kept whole too. The last piece is always returned,
    even when empty, so offsets cover the whole text.
    """
    out: list[tuple[int, str]] = []
    depth = 0
    start = 0
    opens = OPEN_BRACKETS + ("“" if quotes else "")
    closes = CLOSE_BRACKETS + ("”" if quotes else "")
    for k, ch in enumerate(text):
        if ch in opens:
            depth += 1
        elif ch in closes:
            depth = max(depth - 1, 0)
        elif ch in seps and depth == 0:
            out.append((start, text[start:k]))
            start = k + 1
    out.append((start, text[start:]))
    return out


def bracket_groups(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every top-level bracketed group of ``text``, brackets included."""
    groups: list[tuple[int, int]] = []
    depth = 0
    start = 0
    for i, ch in enumerate(text):
        if ch in OPEN_BRACKETS:
            if depth == 0:
                start = i
            depth += 1
        elif ch in CLOSE_BRACKETS and depth:
            depth -= 1
            if depth == 0:
                groups.append((start, i + 1))
    return groups


def top_level_groups(text: str) -> list[str]:
    """The insides of the top-level bracketed groups of ``text``."""
    return [text[s + 1 : e - 1] for s, e in bracket_groups(text)]


_ASCII_PUNCT = str.maketrans({",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "!": "！", "?": "？"})
_ASCII_BETWEEN_CJK = re.compile(rf"(?<=[{CJK}）”])[,;:!?]|[,;:!?](?=[{CJK}“（])|\((?=[{CJK}])")


def web_punctuation(lines: list[str]) -> bool:
    """True when a text uses ASCII punctuation between Chinese characters (a copy from a web page)."""
    text = "\n".join(lines)
    ascii_hits = len(_ASCII_BETWEEN_CJK.findall(text))
    full = text.count("，") + text.count("；") + text.count("：")
    return ascii_hits > 20 and ascii_hits > full


def fullwidth_punctuation(line: str) -> str:
    """ASCII , ; : ( ) between Chinese characters as their full-width forms (numbers untouched).

    A ")" that closes a "（" opened by this conversion is converted too: "断面(富3)" → "断面（富3）".
    """
    line = _ASCII_BETWEEN_CJK.sub(lambda m: m.group(0).translate(_ASCII_PUNCT), line)
    out: list[str] = []
    opened: list[str] = []
    for ch in line:
        if ch in "（(":
            opened.append(ch)
        elif ch in "）)":
            if opened and opened.pop() == "（":
                ch = "）"
        out.append(ch)
    return "".join(out)


def display_width(text: str) -> int:
    """Width in a monospace layout: a Chinese (wide) character counts two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
