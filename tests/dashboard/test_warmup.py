"""The server's own first visit (dashboard.warmup): it warms exactly the view a first visitor opens, outside
any script run, and warms again when the data changes; the page then takes the warmed frames."""

from __future__ import annotations

import datetime as dt
import threading
import time

from dashboard import data, warmup
from dashboard.state import DEFAULT_LAYERS, default_view
from tests.accounts import account, report
from tests.dashboard.helpers import new_app, open_page


def test_the_warmed_view_is_the_view_a_visitor_opens_without_parameters(db_path):
    app = open_page(new_app(), "overview")
    seen = app.session_state["envmap_view"]
    warmed = default_view()
    assert (warmed.area, warmed.year, warmed.as_of, warmed.basemap, warmed.layers) == (
        seen.area, seen.year, seen.as_of, seen.basemap, seen.layers)
    assert warmed.layers == frozenset(DEFAULT_LAYERS) and warmed.as_of == dt.date.today()


def test_warming_runs_outside_any_page_and_the_pages_then_read_the_same_frames(db_path):
    warmup.warm()  # no ScriptRunContext here, as in the server's background thread
    state = default_view()
    tasks = data.tasks(state.area, state.as_of, state.year)
    enterprises = data.enterprises(state.area, state.as_of)
    assert len(tasks) and len(enterprises)
    # shared frames (cache_resource): the page's call returns the very frame the warm-up computed
    assert data.tasks(state.area, state.as_of, state.year) is tasks
    app = open_page(new_app(), "overview")
    assert not app.exception
    assert data.tasks(state.area, state.as_of, state.year) is tasks


def test_braces_in_a_map_title_are_shown_as_typed_not_evaluated(db_path):
    from dashboard.components import mapview

    element = mapview.Html('<div class="envmap-title">{{ 7*7 }} {% if 1 %}x{% endif %}</div>')
    assert element.render() == '<div class="envmap-title">{{ 7*7 }} {% if 1 %}x{% endif %}</div>'


def test_the_warmer_warms_again_when_a_table_changes_and_not_otherwise(db_path, monkeypatch):
    calls: list[float] = []
    monkeypatch.setattr(warmup, "warm", lambda state=None: calls.append(time.monotonic()))
    monkeypatch.setattr(warmup, "import_pages", lambda: None)
    monkeypatch.setattr(warmup, "_runtime_ready", lambda timeout: True)
    monkeypatch.setattr(warmup.gc, "freeze", lambda: None)
    reporter = account(data.store())  # before the warmer starts: only the report below changes the data
    thread = threading.Thread(target=warmup._loop, args=(0.05,), daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not calls and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.3)  # several polls with nothing changed
    assert len(calls) == 1
    task_id = str(data.store().read_table("tasks")["id"].iloc[0])
    before = data.store().table_versions().get("task_events")
    report(data.store(), task_id, note="warm-up test", by=reporter)
    assert data.store().table_versions().get("task_events") != before
    deadline = time.monotonic() + 20
    while len(calls) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert len(calls) == 2


def test_warming_never_imports_a_streamlit_component_outside_a_page():
    # a component imported outside a page's run is never registered with the server: the map would stay blank
    import subprocess
    import sys

    from tests.conftest import REPO

    code = "import sys; from dashboard import warmup; warmup.import_pages(); print('streamlit_folium' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
