"""A fresh clone, as a bureau's IT staff get it: no dashboard/static/vendor, no store. Its first
``envmap serve`` — and a plain ``streamlit run dashboard/app.py`` — draw the map on the very
first page, with no failed request (the map's files were 404 there once).

The clone runs on the interpreter of the tests (a venv per clone would take minutes): its own
``geodata``/``dashboard`` come first on ``PYTHONPATH``, which the test checks.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.browser.harness import REPO, Visit, start_server, stop_server

if subprocess.run(["git", "-C", str(REPO), "rev-parse", "HEAD"], capture_output=True).returncode != 0:
    pytest.skip("the fresh-clone tests need the repository's git history", allow_module_level=True)


def fresh_clone(folder: Path) -> tuple[Path, dict[str, str]]:
    """``git clone`` of the committed tree, and the environment that runs from it."""
    clone = folder / "envmap"
    subprocess.run(["git", "clone", "--quiet", str(REPO), str(clone)], check=True)
    assert (clone / "dashboard" / "static").is_dir()  # in the repository: Streamlit serves it from start-up
    assert not (clone / "dashboard" / "static" / "vendor").exists()
    env = {"PYTHONPATH": str(clone), "PYTHONDONTWRITEBYTECODE": "1"}
    where = subprocess.run(
        [sys.executable, "-c", "import dashboard, geodata; print(geodata.__file__); print(dashboard.__file__)"],
        env={**os.environ, **env}, cwd=folder, capture_output=True, text=True, check=True,
    ).stdout.split()
    assert all(Path(p).is_relative_to(clone) for p in where), where
    return clone, env


def first_page_draws_the_map(browser, url: str, name: str) -> None:  # noqa: ANN001
    visit = Visit(browser, url)
    try:
        visit.open()
        frame = visit.map_frame()
        assert frame.locator(".leaflet-overlay-pane path").count() >= 20
        assert frame.locator(".envmap-legend").count() == 1
        visit.page.wait_for_timeout(1500)
        visit.screenshot(name)
        assert visit.lasting_failures() == []
        assert visit.external == []
        assert visit.console_errors == []
    finally:
        visit.close()


def test_the_first_envmap_serve_of_a_fresh_clone_draws_the_map_on_its_first_page(browser, tmp_path):
    clone, env = fresh_clone(tmp_path)
    elsewhere = tmp_path / "elsewhere"  # started from any directory, as a service would be
    elsewhere.mkdir()
    proc, url = start_server(
        tmp_path / "new-store" / "envmap.gpkg",
        command=[sys.executable, "-c", "from geodata.cli import main; main()", "serve"],
        env=env, cwd=elsewhere,
    )
    try:
        assert (clone / "dashboard" / "static" / "vendor" / "leaflet" / "leaflet.js").exists()
        first_page_draws_the_map(browser, url, "fresh_clone_envmap_serve")
    finally:
        stop_server(proc)


def test_plain_streamlit_run_in_a_fresh_clone_serves_the_map_like_envmap_serve(browser, tmp_path):
    clone, env = fresh_clone(tmp_path)
    proc, url = start_server(
        tmp_path / "new-store" / "envmap.gpkg",
        command=[sys.executable, "-m", "streamlit", "run", "dashboard/app.py"],
        port_option="--server.port", env=env, cwd=clone,
    )
    try:
        first_page_draws_the_map(browser, url, "fresh_clone_streamlit_run")
    finally:
        stop_server(proc)
