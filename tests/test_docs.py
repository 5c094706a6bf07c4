"""The README documents every table and column, and opens with the two commands."""

from __future__ import annotations

from geodata.model import TABLES
from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_two_commands():
    head = README.splitlines()[:6]
    assert any(line.startswith("make run") for line in head)
    assert any(line.startswith("make test") for line in head)


def test_every_column_is_documented():
    missing = []
    for name, cols in TABLES.items():
        section = README.split(f"### `{name}`", 1)
        if len(section) < 2:
            missing.append(name)
            continue
        body = section[1].split("### ", 1)[0]
        missing += [f"{name}.{c.name}" for c in cols if f"`{c.name}`" not in body]
    assert missing == []
