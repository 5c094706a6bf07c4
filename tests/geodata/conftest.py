"""One ``store`` fixture for every test that touches a store, on both backends.

The store tests (``tests/geodata/store``) and the monitoring tests (``tests/geodata/quality``,
``test_cli_monitoring.py``) run on each backend through ``location`` (or, for module-scoped
stores, ``module_location``).

``geopackage``: a fresh file in the test's temporary folder. ``postgis``: a fresh schema in
the server named by ``ENVMAP_TEST_DATABASE_URL`` (``.ci/run`` starts a throwaway cluster with
``.ci/pg-cluster`` and exports it), dropped after the test. Without a reachable server the
PostGIS variants are skipped, saying why — unless ``ENVMAP_REQUIRE_POSTGIS=1`` (CI), where
a missing server is a failure.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from geodata.store import connect, open_store
from tests.geodata.store.postgres import fresh_schema

BACKENDS = ("geopackage", "postgis")


def _server_url() -> str:
    return os.environ.get("ENVMAP_TEST_DATABASE_URL", "")


@pytest.fixture(scope="session")
def postgres_server() -> str:
    """The test server's URL, or a skip that says what is missing."""
    url = _server_url()
    required = os.environ.get("ENVMAP_REQUIRE_POSTGIS") == "1"
    if not url:
        reason = ("PostGIS tests need a PostgreSQL server with PostGIS: set ENVMAP_TEST_DATABASE_URL "
                  "(`eval \"$(.ci/pg-cluster start)\"` starts a throwaway one)")
        if required:
            pytest.fail(reason)
        pytest.skip(reason)
    try:
        import psycopg
    except ImportError:
        if required:
            pytest.fail("psycopg is not installed (pip install -e '.[test]')")
        pytest.skip("PostGIS tests need psycopg (pip install -e '.[test]')")
    try:
        with psycopg.connect(url, connect_timeout=5) as conn:
            conn.execute("SELECT postgis_version()")
    except psycopg.Error as exc:
        reason = f"PostgreSQL server at ENVMAP_TEST_DATABASE_URL not usable: {str(exc).strip().splitlines()[0]}"
        if required:
            pytest.fail(reason)
        pytest.skip(reason)
    return url


@pytest.fixture
def pg_schema(postgres_server):
    """A fresh, empty schema (as a store URL); dropped afterwards."""
    with fresh_schema(postgres_server) as url:
        yield url


def make_location(kind: str, request: pytest.FixtureRequest, tmp_path, name: str = "s.gpkg") -> str:  # noqa: ANN001
    if kind == "geopackage":
        return str(tmp_path / name)
    return request.getfixturevalue("pg_schema")


@pytest.fixture(params=BACKENDS)
def location(request, tmp_path) -> str:
    """Where a fresh store of each backend goes (a GeoPackage path or a PostGIS URL)."""
    return make_location(request.param, request, tmp_path)


@pytest.fixture(scope="module", params=BACKENDS)
def module_location(request, tmp_path_factory) -> Iterator[str]:
    """Where a store shared by one test module goes, on each backend."""
    if request.param == "geopackage":
        yield str(tmp_path_factory.mktemp("store") / "s.gpkg")
        return
    with fresh_schema(request.getfixturevalue("postgres_server")) as url:
        yield url


@pytest.fixture
def configured_location(location, monkeypatch) -> str:
    """``location`` made the configured store (what ``envmap`` and ``open_store()`` open)."""
    if location.startswith("postgresql://"):
        monkeypatch.setenv("ENVMAP_DATABASE_URL", location)
        monkeypatch.delenv("ENVMAP_DB", raising=False)
    else:
        monkeypatch.setenv("ENVMAP_DB", location)
        monkeypatch.delenv("ENVMAP_DATABASE_URL", raising=False)
    return location


@pytest.fixture
def store(location):
    """An empty store (schema only) on each backend."""
    s = connect(location)
    yield s
    s.close()


@pytest.fixture
def bundled(location):
    """A store filled from the bundled dataset, as `envmap serve` makes it, on each backend."""
    s = open_store(location)
    yield s
    s.close()
