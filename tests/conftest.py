"""Shared fixtures: the seed plans, a fresh store, the CLI runner."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SEEDS = Path(os.environ.get("ENVMAP_SEEDS") or REPO / "data" / "seeds")


def seed(prefix: str) -> Path:
    """The seed plan whose file name starts with ``prefix`` ("000" … "004")."""
    (match,) = [p for p in SEEDS.iterdir() if p.name.startswith(prefix)]
    return match


def bundled_task_id(document_id: str, line: int) -> str:
    """The id of the bundled task stated at ``line`` of ``document_id``.

    Task ids are digests of the task's own content (stable across re-imports), so tests find a
    task by where the plan states it rather than by a hand-written id.
    """
    with (REPO / "data" / "plans" / "tasks.csv").open(encoding="utf-8", newline="") as fh:
        rows = [
            r for r in csv.DictReader(fh)
            if r["document_id"] == document_id and r["source_line"] == str(line) and not r["parent_task"]
        ]
    assert len(rows) == 1, (document_id, line, [r["id"] for r in rows])
    return rows[0]["id"]


@pytest.fixture
def db_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "envmap.gpkg"
    monkeypatch.setenv("ENVMAP_DB", str(path))
    monkeypatch.delenv("ENVMAP_DATABASE_URL", raising=False)
    return path
