"""Fixtures for the browser tests: one server per session, one chromium, one page per test."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.harness import CHROMIUM, Visit, chromium, start_server, stop_server

if not Path(CHROMIUM).exists():
    pytest.skip(f"browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)
pytest.importorskip("playwright.sync_api", reason="browser tests need the playwright package")


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    proc, url = start_server(tmp_path_factory.mktemp("db") / "envmap.gpkg")
    yield url
    stop_server(proc)


@pytest.fixture(scope="session")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture
def visit(browser, server):
    v = Visit(browser, server)
    yield v
    v.close()
