"""``make bench``: the dashboard's speed budgets, measured on this machine.

- rerun: a county-filter change reruns a page script (AppTest), median of 10;
  budget 0.3 s on the bundled data, 1 s at 50× synthetic scale;
- navigation: from clicking a page's link to its map fully drawn in chromium; budget 3 s;
- payload: bytes the browser receives over the websocket for that page; budget 1 MB
  (3 MB at 50×).

Prints a table and writes ``bench/results.json``.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.browser.harness import CHROMIUM, LAUNCH_ARGS, Visit, start_server, stop_server  # noqa: E402

PAGES = [("总览", "overview", "app_pages/overview.py"), ("水环境", "water", "app_pages/water.py"),
         ("地下水", "groundwater", "app_pages/groundwater.py"), ("禁煤区", "zones", "app_pages/zones.py"),
         ("重点企业", "enterprises", "app_pages/enterprises.py")]
COUNTIES = [("运城市", "盐湖区"), ("晋城市", "陵川县"), ("运城市", "河津市"), ("晋城市", "泽州县"), ("长治市", "襄垣县")]
BUDGETS = {"bundled": {"rerun_s": 0.3, "navigation_s": 3.0, "payload_mb": 1.0},
           "synthetic_50x": {"rerun_s": 1.0, "navigation_s": None, "payload_mb": 3.0}}


def rerun_times(db: Path, page: str, runs: int = 10) -> list[float]:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    os.environ["ENVMAP_DB"] = str(db)
    st.cache_resource.clear()  # AppTest shares the process: forget the previous store
    st.cache_data.clear()
    app = AppTest.from_file(str(REPO / "dashboard" / "app.py"), default_timeout=300)
    app.run()
    app.switch_page(page).run()
    times = []
    for k in range(runs + 1):
        city, county = COUNTIES[k % len(COUNTIES)]
        app.selectbox(key="state_city").select(city).run()
        start = time.perf_counter()
        app.selectbox(key=f"state_county_{city}").select(county).run()
        elapsed = time.perf_counter() - start
        if app.exception:
            raise RuntimeError(f"{page}: {app.exception}")
        if k:  # the first change warms the caches of a new area
            times.append(elapsed)
    return times


def browser_measures(db: Path) -> dict[str, dict[str, float]]:
    from playwright.sync_api import sync_playwright

    out: dict[str, dict[str, float]] = {}
    proc, url = start_server(db)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
            warm = Visit(browser, url)  # first load compiles the app's caches
            warm.open("总览")
            warm.map_frame(timeout=300_000)
            warm.close()
            for label, name, _ in PAGES:
                visit = Visit(browser, url)
                visit.page.goto(f"{url}/sources")  # a new session that starts on a page without a map
                visit.page.wait_for_selector("h1", timeout=120_000)
                visit.page.wait_for_timeout(1500)
                visit.ws_bytes = 0
                start = time.perf_counter()
                visit.navigate(label)
                frame = visit.map_frame(timeout=300_000)
                frame.wait_for_function("() => document.querySelectorAll('.leaflet-marker-pane *, .leaflet-overlay-pane path').length > 0")
                elapsed = time.perf_counter() - start
                visit.page.wait_for_timeout(1000)
                out[name] = {"navigation_s": round(elapsed, 3), "payload_mb": round(visit.ws_bytes / 1e6, 3),
                             "external_requests": len(visit.external)}
                visit.close()
            browser.close()
    finally:
        stop_server(proc)
    return out


def measure(label: str, db: Path, with_browser: bool) -> dict:
    result: dict[str, dict] = {}
    for _, name, page in PAGES:
        times = rerun_times(db, page)
        result[name] = {"rerun_s": round(statistics.median(times), 3)}
    if with_browser and Path(CHROMIUM).exists():
        for name, values in browser_measures(db).items():
            result[name].update(values)
    return result


def main() -> int:
    from bench.synthetic import build_synthetic_store
    from geodata.store import open_store

    tmp = Path(tempfile.mkdtemp(prefix="envmap-bench-"))
    bundled = tmp / "bundled.gpkg"
    open_store(bundled).close()
    synthetic = tmp / "synthetic.gpkg"
    store = open_store(synthetic)
    counts = build_synthetic_store(store)
    store.close()
    results = {
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
        "synthetic_counts": {k: counts[k] for k in ("sections", "enterprises", "tasks")},
        "bundled": measure("bundled", bundled, with_browser=True),
        "synthetic_50x": measure("synthetic_50x", synthetic, with_browser=True),
        "budgets": BUDGETS,
    }
    failures = []
    print(f"{'data':<15}{'page':<13}{'rerun s':>9}{'nav s':>8}{'payload MB':>12}")
    for data_label in ("bundled", "synthetic_50x"):
        for page, values in results[data_label].items():
            print(f"{data_label:<15}{page:<13}{values['rerun_s']:>9.3f}{values.get('navigation_s', float('nan')):>8.2f}"
                  f"{values.get('payload_mb', float('nan')):>12.3f}")
            for key, budget in BUDGETS[data_label].items():
                if budget is not None and key in values and values[key] > budget:
                    failures.append(f"{data_label}/{page}: {key} {values[key]} > {budget}")
    results["over_budget"] = failures
    (REPO / "bench" / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print("over budget:" if failures else "all within budget", *failures, sep="\n  ")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
