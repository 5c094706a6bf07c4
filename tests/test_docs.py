"""The README documents every table and column, and opens with the two commands."""

from __future__ import annotations

from geodata.model import LAYERS, LOCATION_COLUMNS, TABLES
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


def test_every_layer_and_its_columns_are_documented():
    missing = []
    for name, layer in LAYERS.items():
        section = README.split(f"### `{name}`", 1)
        if len(section) < 2:
            missing.append(name)
            continue
        body = section[1].split("### ", 1)[0]
        missing += [f"{name}.{c.name}" for c in layer.columns if f"`{c.name}`" not in body]
    assert missing == []


def test_the_location_columns_of_point_tables_are_documented():
    body = README.split("### 位置来源列", 1)[1].split("### ", 1)[0]
    assert [c.name for c in LOCATION_COLUMNS if f"`{c.name}`" not in body] == []


def test_every_store_setting_and_db_command_is_documented():
    for name in ("ENVMAP_DB", "ENVMAP_DATABASE_URL", "ENVMAP_BUSY_TIMEOUT", "ENVMAP_READ_ONLY", "ENVMAP_PG_POOL_SIZE",
                 "envmap db upgrade", "envmap db info", "envmap db copy"):
        assert f"`{name}" in README, name
