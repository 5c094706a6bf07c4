"""Shared fixtures: the seed plans, a fresh store, the CLI runner."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SEEDS = Path(os.environ.get("ENVMAP_SEEDS") or REPO / "data" / "seeds")


def seed(prefix: str) -> Path:
    """The seed plan whose file name starts with ``prefix`` ("000" … "004")."""
    (match,) = [p for p in SEEDS.iterdir() if p.name.startswith(prefix)]
    return match


@pytest.fixture
def db_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "envmap.gpkg"
    monkeypatch.setenv("ENVMAP_DB", str(path))
    monkeypatch.delenv("ENVMAP_DATABASE_URL", raising=False)
    return path
