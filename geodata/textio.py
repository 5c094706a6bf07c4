"""Decoding text files as Chinese bureaus save them: UTF-8 (with or without BOM) or GBK/GB18030."""

from __future__ import annotations


def decode_text(data: bytes) -> tuple[str, str] | None:
    """``(text, "utf-8" | "gbk")``, or None when the bytes are neither encoding."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding), "utf-8" if encoding == "utf-8-sig" else "gbk"
        except UnicodeDecodeError:
            continue
    return None
