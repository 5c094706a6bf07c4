"""Layering rules from STYLE.md that a test can hold."""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_geodata_never_imports_the_ui():
    offenders = {
        str(p.relative_to(REPO)): sorted(_imports(p) & {"streamlit", "folium", "streamlit_folium", "dashboard"})
        for p in (REPO / "geodata").rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_dashboard_never_parses_files_or_talks_sql():
    offenders = {
        str(p.relative_to(REPO)): sorted(_imports(p) & {"sqlite3", "csv", "docx", "psycopg", "psycopg2"})
        for p in (REPO / "dashboard").rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_no_external_asset_urls_in_the_code():
    hits = [
        str(p.relative_to(REPO))
        for p in list((REPO / "geodata").rglob("*.py")) + list((REPO / "dashboard").rglob("*.py"))
        if any(host in p.read_text(encoding="utf-8") for host in ("cdn.", "unpkg.com", "jsdelivr", "cdnjs", "googleapis"))
    ]
    assert hits == []


def test_every_ui_string_is_defined_once_per_language():
    """A key given twice (a later block silently overriding an earlier one) means two texts for one thing."""
    from collections import Counter

    tree = ast.parse((REPO / "geodata" / "i18n.py").read_text(encoding="utf-8"))
    keys: dict[str, Counter] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict) and [getattr(k, "value", None) for k in node.keys] == ["zh", "en"]:
            for lang, block in zip(("zh", "en"), node.values, strict=True):
                assert isinstance(block, ast.Dict)
                keys.setdefault(lang, Counter()).update(k.value for k in block.keys if isinstance(k, ast.Constant))
    assert keys and all(keys.values())
    assert {lang: [k for k, n in counts.items() if n > 1] for lang, counts in keys.items()} == {"zh": [], "en": []}
