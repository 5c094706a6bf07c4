"""PostgreSQL helpers for the store tests: a throwaway schema of the test server, as a store URL."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator


def schema_url(url: str, schema: str) -> str:
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}options=-csearch_path%3D{schema},public"


@contextlib.contextmanager
def fresh_schema(server: str) -> Iterator[str]:
    """A new, empty schema in ``server`` (as a store URL), dropped afterwards."""
    import psycopg

    schema = f"envmap_t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield schema_url(server, schema)
    finally:
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
