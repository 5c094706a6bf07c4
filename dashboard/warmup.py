"""The server's own first visit: what the map pages read for the view a visitor opens first, computed
in the server process before anyone asks, and again whenever the data it rests on changes.

``python -m dashboard.server`` (what ``envmap serve`` becomes) starts :func:`start` beside Streamlit.
Once Streamlit's runtime is up, one background thread asks :mod:`dashboard.data` for the default
view (the whole area, the default year, today, the default layers) of every map page, so the caches
every session shares hold it; the first visitor after a start, an import or a progress report then
pays a cache hit, not the computation (issue 14: cold pages). It never draws anything, never holds a
visitor's state, and a failure is logged and forgotten: the page then computes as it always did.

After each warm-up the long-lived objects (the store's frames, the gazetteer) are moved out of the
garbage collector's way (``gc.freeze``), so a full collection no longer walks them.
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
import threading
import time

LOG = logging.getLogger("envmap.warmup")
POLL_SECONDS = 10.0  # how often the thread looks whether the data changed
_started = threading.Event()  # one warmer per process (a second start() is a no-op)


def warm(state=None) -> None:  # noqa: ANN001 - dashboard.state.ViewState
    """Ask for everything the five map pages read for ``state`` (:func:`dashboard.state.default_view` when None)."""
    from dashboard import data, figures
    from dashboard.state import default_view

    state = state or default_view()
    area, crs = state.area, state.display_crs
    data.areas()
    data.document_titles()
    data.basemap(area, crs)
    figures.load(state)  # 总览 and 水环境: the default period, the same period a year earlier, 预警
    data.tasks(area, state.as_of, state.year)
    data.enterprises(area, state.as_of)
    data.zones(area, crs)
    data.reaches(area, crs)
    data.groundwater(area, state.year)
    data.drinking_sources(area)
    data.commitments(area, state.as_of)


def import_pages() -> None:
    """Import what the map pages import (folium, the page parts), so the first visitor's run does not pay for
    loading and compiling them. Not streamlit-folium: a Streamlit component registers itself with the server
    only when imported inside a page's run, and imported here first it would never be registered (the map
    would stay blank)."""
    import importlib

    for name in ("folium", "folium.plugins", "dashboard.mapping", "dashboard.tables", "dashboard.headlines",
                 "dashboard.briefing", "dashboard.details", "dashboard.components.layers",
                 "dashboard.components.popups", "dashboard.components.warnings", "dashboard.components.kpi",
                 "dashboard.task_panel", "dashboard.reports"):
        importlib.import_module(name)


def _key() -> tuple:
    """What the warmed views rest on: every table's version and the day (the as-of date is today)."""
    from dashboard import data

    return tuple(sorted(data.store().table_versions().items())), dt.date.today()


def _runtime_ready(timeout: float) -> bool:
    from streamlit import runtime

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if runtime.exists():
            return True
        time.sleep(0.05)
    return False


def _loop(poll: float) -> None:
    # the caches of st.cache_data live in the runtime: warming before it exists would fill a private copy
    if not _runtime_ready(timeout=120):
        LOG.warning("Streamlit's runtime did not start; nothing warmed")
        return
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").setLevel(logging.ERROR)
    logging.getLogger("streamlit.runtime.caching.cache_data_api").setLevel(logging.ERROR)
    warmed = None
    try:
        import_pages()
    except Exception:  # noqa: BLE001 - the page will say what is wrong when it imports them itself
        LOG.exception("importing the pages' modules failed")
    while True:
        try:
            key = _key()
            if key != warmed:
                started = time.perf_counter()
                warm()
                gc.freeze()
                warmed = key
                LOG.info("default views ready in %.1f s", time.perf_counter() - started)
        except Exception:  # noqa: BLE001 - warming is an optimisation: a page computes what is missing itself
            LOG.exception("warming the default views failed")
        time.sleep(poll)


def start(poll: float = POLL_SECONDS) -> threading.Thread | None:
    """Start the warmer (once per process); returns its thread, or None when one runs already."""
    if _started.is_set():
        return None
    _started.set()
    thread = threading.Thread(target=_loop, args=(poll,), name="envmap-warmup", daemon=True)
    thread.start()
    return thread
