"""Streamlit's file uploader speaks English only ("Upload", "200MB per file"): our words over it.

Pure CSS (no ``st`` calls): the built-in texts are hidden and ours shown in their place, so the
control reads in the visitor's language while staying Streamlit's own widget.
"""

from __future__ import annotations

import json


def _css_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a double-quoted CSS string, quotes and backslashes escaped


def uploader_css(button: str, hint: str) -> str:
    """A <style> block giving every uploader on the page ``button`` and ``hint`` as its texts."""
    return (
        "<style>"
        '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p { font-size: 0; }'
        '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after '
        f"{{ content: {_css_string(button)}; font-size: 14px; }}"
        '[data-testid="stFileUploaderDropzoneInstructions"] span { font-size: 0; }'
        '[data-testid="stFileUploaderDropzoneInstructions"] span::after '
        f"{{ content: {_css_string(hint)}; font-size: 12px; }}"
        "</style>"
    )
