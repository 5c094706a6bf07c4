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


def test_accounts_settings_commands_and_store_tables_are_documented():
    from geodata.store.schema import STORE_TABLES

    for name in ("ENVMAP_REQUIRE_LOGIN", "ENVMAP_SESSION_MINUTES", "ENVMAP_SIGNIN_MAX_FAILURES", "ENVMAP_SIGNIN_LOCK_MINUTES",
                 "envmap user add", "envmap user passwd", "envmap user list", "envmap user disable", "envmap user enable",
                 "envmap user sign-ins", "envmap import-progress", "envmap bulletin"):
        assert f"`{name}" in README, name
    body = README.split("### 系统记录的表", 1)[1].split("## ", 1)[0]
    for name, table in STORE_TABLES.items():
        assert f"`{name}`" in body, name
        if name not in ("measurements", "document_texts"):
            assert [c for c in table.column_names if f"`{c}`" not in body] == [], name
    section = README.split("## 账户与权限（管理员）", 1)[1].split("\n## ", 1)[0]
    for word in ("viewer", "reporter", "supervisor", "admin", "st.login", "备份", "argon2", "口令"):
        assert word in section, word
