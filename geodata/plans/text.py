"""Small text normalisations shared by the plan extractors.

Published plans reach us through PDF or Word conversions that leave traces: Markdown
emphasis (``**…**``), heading marks, spaces inside Chinese names ("甘 村"), full-width
digits and spaces, subscripts written ``PM_{2.5}`` or ``SO ₂``. These functions remove the
traces without changing the words.
"""

from __future__ import annotations

import re

CJK = r"\u3400-\u4dbf\u4e00-\u9fff"
_CJK_SPACE = re.compile(rf"(?<=[{CJK}（）()“”、])[ \u3000]+(?=[{CJK}（）()“”])")
_MD_EMPH = re.compile(r"\*\*|__")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*")
_BULLET = re.compile(r"^\s*[-*]\s+")
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
