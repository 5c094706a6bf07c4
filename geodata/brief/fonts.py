"""The fonts of every export: Noto Sans CJK SC from Debian's fonts-noto-cjk, found by matplotlib.

An export never draws tofu boxes: :func:`brief_fonts` raises :class:`~geodata.errors.EnvmapError`
when the Chinese font is missing, and :func:`missing_glyphs` tells which characters of a text no
font has (the renderer checks every text it draws). Symbols the CJK font lacks (✗) come from
DejaVu Sans, which ships with matplotlib.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from geodata.errors import EnvmapError

CJK_FAMILY = "Noto Sans CJK SC"  # the simplified-Chinese face of the pan-CJK collection
FALLBACK_FAMILY = "DejaVu Sans"  # bundled with matplotlib: ✓ ✗ and Latin
INSTALL_HINT = "apt-get install fonts-noto-cjk"


@dataclass(frozen=True)
class BriefFonts:
    regular: str  # file of the regular face
    bold: str
    families: tuple[str, ...] = (CJK_FAMILY, FALLBACK_FAMILY)


@functools.cache
def brief_fonts() -> BriefFonts:
    """The fonts an export uses; a clear error naming the package when the CJK font is missing."""
    from matplotlib import font_manager

    entries = [f for f in font_manager.fontManager.ttflist if f.name == CJK_FAMILY]
    regular = [f for f in entries if f.weight in (400, "normal", "regular")]
    bold = [f for f in entries if f.weight in (700, "bold")]
    if not regular:
        raise EnvmapError(
            f"找不到中文字体 {CJK_FAMILY}，无法生成简报图（不会输出方框乱码）。请安装 Debian 的 fonts-noto-cjk 软件包"
            f"（{INSTALL_HINT}）后重试；若刚安装，删除 matplotlib 的字体缓存（~/.cache/matplotlib）再试。"
        )
    return BriefFonts(regular=regular[0].fname, bold=(bold or regular)[0].fname)


@functools.cache
def _charmaps() -> tuple[frozenset[int], ...]:
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    maps = []
    for family in (CJK_FAMILY, FALLBACK_FAMILY):
        entry = next((f for f in font_manager.fontManager.ttflist if f.name == family), None)
        if entry is None:
            continue
        font = FT2Font(entry.fname, face_index=getattr(entry, "index", 0))
        maps.append(frozenset(font.get_charmap()))
    return tuple(maps)


def missing_glyphs(text: str) -> str:
    """The characters of ``text`` that no export font can draw ("" when all can)."""
    maps = _charmaps()
    return "".join(dict.fromkeys(ch for ch in text if not ch.isspace() and not any(ord(ch) in m for m in maps)))


def check_text(text: str) -> str:
    """``text`` unchanged, or an error naming the characters that would be drawn as boxes."""
    missing = missing_glyphs(text)
    if missing:
        raise EnvmapError(f"简报图中的文字“{text[:40]}”含有字体无法显示的字符：{missing}。请检查数据或安装 fonts-noto-cjk。")
    return text
