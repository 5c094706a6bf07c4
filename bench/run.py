"""``make bench``: envmap's speed on this machine, first visits and repeat visits apart, at four sizes.

Sizes: the bundled data (1×), then 10×, 50× and national size (≈200×: ~2,700 real county polygons,
3,800 sections, 40,000 enterprises, 100,000 tasks, sample monitoring values; ``bench.synthetic``).
For each size, with the rules of ``bench.rules`` (no county twice before all were visited; "drawn" =
every path and marker the page says it sent is in the map's DOM; median and min–max of ≥5 runs):

browser (Debian chromium, every visit a new browser context = a first-time visitor; bytes counted
on the wire by ``bench.wire`` and decoded by the browser):

* ``cold``: a fresh ``envmap serve`` process on the existing store → a deep link to 总览 drawn;
* ``deep link`` per map page on a warm server: time to drawn, websocket and HTTP bytes, server CPU, and the
  map's message (gzip'd, as the compressed websocket sends it) against the map's physical minimum (what
  its screen shows, in pixels, gzip'd: ``bench.rules.screen_minimum_bytes``);
* the same for the naive streamlit-folium page of ``bench/naive/`` on the same store (the ratio);

server (Streamlit's AppTest in this process: the script's own time, no browser):

* ``county change (first visit)``, ``county change (repeat)``, ``year change`` on 水环境 and 总览:
  wall time and CPU time of the rerun;
* ``import then view``: 10,000 monitoring rows imported (one transaction, as ``envmap
  import-monitoring`` writes them), then 水环境 of their county rerun until it shows them;

plus the server's peak RSS. Prints the table, writes ``bench/results.json`` and names every figure
over its budget (issue 14). The machine is shared: figures vary from run to run; read medians.

Options: ``--sizes 1x,10x,50x,national`` ``--runs 5`` ``--skip-naive`` ``--out bench/results.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.rules import (  # noqa: E402
    COUNTS_JS,
    DRAWN_JS,
    MIN_RUNS,
    SCREEN_JS,
    county_sequence,
    fmt,
    screen_minimum_bytes,
    summary,
    within,
    year_sequence,
)
from bench.synthetic import SCALES, build_synthetic_store  # noqa: E402

PAGES = [("总览", "overview"), ("水环境", "water"), ("地下水", "groundwater"), ("禁煤区", "zones"), ("重点企业", "enterprises")]
BUDGETS = {  # issue 14 (medians)
    "1x": {"cold_s": 5.0, "deep_link_s": 2.0, "county_first_s": 0.3, "ws_mb": None, "import_view_s": 5.0,
           "payload_ratio": 1.5},
    "10x": {"cold_s": 10.0, "deep_link_s": 3.0, "county_first_s": None, "ws_mb": 2.0, "import_view_s": 5.0},
    "50x": {"cold_s": 10.0, "deep_link_s": 3.0, "county_first_s": None, "ws_mb": 2.0, "import_view_s": 5.0},
    "national": {"cold_s": 10.0, "deep_link_s": 3.0, "county_first_s": None, "ws_mb": 2.0, "import_view_s": 5.0},
}
DRAW_TIMEOUT_MS = 180_000


# -- the server process -------------------------------------------------------------------------


def _proc_cpu(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` and its children that were waited for."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    return sum(int(fields[i]) for i in (11, 12, 13, 14)) / ticks


def _peak_rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _start(db: Path, *, naive: bool = False) -> tuple[subprocess.Popen, int]:
    from tests.browser.harness import envmap_command, free_port, wait_until_healthy

    port = free_port()
    env = {**os.environ, "ENVMAP_DB": str(db)}
    if naive:
        static = REPO / "bench" / "naive" / "static"
        if not static.exists():
            static.symlink_to(REPO / "dashboard" / "static", target_is_directory=True)
        import tomllib

        from geodata.cli import STREAMLIT_CONFIG, _flags

        flags = [f for f in _flags(tomllib.loads(STREAMLIT_CONFIG.read_text(encoding="utf-8")))
                 if not f.startswith("--server.port")]
        cmd = [sys.executable, "-m", "streamlit", "run", str(REPO / "bench" / "naive" / "app.py"), *flags,
               f"--server.port={port}", "--server.address=127.0.0.1"]
    else:
        cmd = [*envmap_command(), "serve", "--port", str(port), "--host", "127.0.0.1"]
    proc = subprocess.Popen(cmd, env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    wait_until_healthy(proc, f"http://127.0.0.1:{port}", timeout=300, poll=0.02)  # no idle wait on a cold start
    return proc, port


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=15)


# -- one visit in the browser -------------------------------------------------------------------


def _load(page, wire, url: str, pid: int) -> dict:  # noqa: ANN001
    """Open ``url`` in ``page``; time until the map is drawn (see bench.rules), bytes and server CPU."""
    decoded: dict = {"ws": 0, "largest": b""}

    def received(payload: bytes | str) -> None:
        data = payload.encode("utf-8") if isinstance(payload, str) else bytes(payload or b"")
        decoded["ws"] += len(data)
        if len(data) > len(decoded["largest"]):
            decoded["largest"] = data  # the map's message: by far the largest of a map page

    page.on("websocket", lambda ws: ws.on("framereceived", received))
    wire.reset()
    cpu0 = _proc_cpu(pid)
    start = time.perf_counter()
    out: dict = {}
    try:
        page.goto(url, timeout=DRAW_TIMEOUT_MS)
        frame_el = page.wait_for_selector("iframe[title='streamlit_folium.st_folium']", timeout=DRAW_TIMEOUT_MS)
        frame = frame_el.content_frame()
        frame.wait_for_function(DRAWN_JS, timeout=DRAW_TIMEOUT_MS, polling=50)
        out["drawn_s"] = time.perf_counter() - start
        out["counts"] = frame.evaluate(COUNTS_JS)
        out["screen_min_kb"] = screen_minimum_bytes(frame.evaluate(SCREEN_JS)) / 1e3
    except Exception as exc:  # noqa: BLE001 - a timeout is a figure ("not drawn within …"), not a crash
        out["drawn_s"] = None
        out["error"] = type(exc).__name__
    page.wait_for_timeout(1000)  # what still arrives after the map (tables below it)
    out["server_cpu_s"] = _proc_cpu(pid) - cpu0
    out["ws_decoded_mb"] = decoded["ws"] / 1e6
    out["ws_wire_mb"] = wire.ws / 1e6
    out["http_wire_mb"] = wire.http / 1e6
    out["map_message_kb"] = len(gzip.compress(decoded["largest"], 6, mtime=0)) / 1e3  # as permessage-deflate sends it
    if out.get("screen_min_kb"):
        out["map_over_minimum"] = out["map_message_kb"] / out["screen_min_kb"]
        out["ws_over_minimum"] = out["ws_wire_mb"] * 1e3 / out["screen_min_kb"]
    return out


def _visit(browser, port: int, wire, path: str, pid: int, *, repeat: bool = False) -> tuple[dict, dict | None]:  # noqa: ANN001
    """A first-time visitor (new browser context, nothing cached) opens ``path``; with ``repeat`` the same
    visitor opens it again in a new tab (the browser's cache holds Streamlit's files; a new session)."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
    url = f"http://127.0.0.1:{wire.port}/{path}"
    try:
        first = _load(context.new_page(), wire, url, pid)
        again = _load(context.new_page(), wire, url, pid) if repeat else None
    finally:
        context.close()
    return first, again


FIGURES = ("drawn_s", "server_cpu_s", "ws_decoded_mb", "ws_wire_mb", "http_wire_mb", "screen_min_kb", "map_message_kb",
           "map_over_minimum", "ws_over_minimum")


def browser_figures(db: Path, runs: int, *, naive: bool, pages: list[tuple[str, str]]) -> dict:
    from playwright.sync_api import sync_playwright

    from bench.wire import WireCounter
    from tests.browser.harness import CHROMIUM, LAUNCH_ARGS

    result: dict = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            cold, rss = [], []
            first_path = "" if naive else "overview"
            for _ in range(runs):  # a fresh process each time, on the store as it is
                started = time.perf_counter()
                proc, port = _start(db, naive=naive)
                wire = WireCounter(port)
                try:
                    healthy = time.perf_counter() - started
                    seen, _ = _visit(browser, port, wire, first_path, proc.pid)
                    # up to the map drawn (not the second _load waits after it for the tables below)
                    cold.append(None if seen["drawn_s"] is None else healthy + seen["drawn_s"])
                    rss.append(_peak_rss_mb(proc.pid))
                finally:
                    wire.close()
                    _stop(proc)
                if seen["drawn_s"] is None and naive:
                    break  # one naive cold start that never draws is the figure; do not repeat it
            result["cold_s"] = summary(cold)
            result["cold_failures"] = sum(1 for c in cold if c is None)
            proc, port = _start(db, naive=naive)
            wire = WireCounter(port)
            try:
                _visit(browser, port, wire, first_path, proc.pid)  # warm the server (caches of the whole area)
                for label, name in pages:
                    visits, repeats = [], []
                    for _ in range(runs):
                        first, again = _visit(browser, port, wire, "" if naive else name, proc.pid, repeat=True)
                        visits.append(first)
                        repeats.append(again or {})
                        if naive and first["drawn_s"] is None:
                            break
                    result[name] = {k: summary([v.get(k) for v in visits]) for k in FIGURES}
                    result[name] |= {f"repeat_{k}": summary([v.get(k) for v in repeats]) for k in FIGURES}
                    result[name]["failures"] = sum(1 for v in visits if v["drawn_s"] is None)
                    result[name]["counts"] = next((v.get("counts") for v in visits if v.get("counts")), None)
                    result[name]["label"] = label
                rss.append(_peak_rss_mb(proc.pid))
            finally:
                wire.close()
                _stop(proc)
            result["peak_rss_mb"] = summary(rss)
        finally:
            browser.close()
    return result


# -- server time of reruns (AppTest) ------------------------------------------------------------


def _new_app(db: Path):  # noqa: ANN202
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    os.environ["ENVMAP_DB"] = str(db)
    st.cache_resource.clear()  # AppTest shares this process: forget the previous store and its caches
    st.cache_data.clear()
    return AppTest.from_file(str(REPO / "dashboard" / "app.py"), default_timeout=1800)


def _timed(app, action) -> tuple[float, float]:  # noqa: ANN001
    cpu, wall = time.process_time(), time.perf_counter()
    action()
    if app.exception:
        raise RuntimeError(str(app.exception))
    return time.perf_counter() - wall, time.process_time() - cpu


def rerun_figures(db: Path, runs: int) -> dict:
    import gc

    from dashboard import data

    app = _new_app(db)
    app.run()
    # the server moves what its warm-up loaded out of the collector's way (dashboard.warmup): so does this
    # process, or Streamlit's collection after every rerun would walk the store's frames each time
    gc.freeze()
    areas = data.areas()
    years = data.years()
    out: dict = {}
    sequence = county_sequence(areas, runs * 2 + 2)
    for page in ("water", "overview"):
        app.switch_page(f"app_pages/{page}.py").run()
        first, repeat, cpu_first, years_t = [], [], [], []
        visited: list[tuple[str, str]] = []
        for city, county in sequence[: runs] if page == "water" else sequence[runs: 2 * runs]:
            app.selectbox(key="state_city").select(city).run()
            wall, cpu = _timed(app, lambda c=county, ci=city: app.selectbox(key=f"state_county_{ci}").select(c).run())
            first.append(wall)
            cpu_first.append(cpu)
            visited.append((city, county))
        for city, county in visited[: runs]:  # the same counties again: cache hits
            app.selectbox(key="state_city").select(city).run()
            repeat.append(_timed(app, lambda c=county, ci=city: app.selectbox(key=f"state_county_{ci}").select(c).run())[0])
        start_year = app.selectbox(key="state_year").value
        for year in year_sequence(years, start_year, runs):
            years_t.append(_timed(app, lambda y=year: app.selectbox(key="state_year").select(y).run())[0])
        app.selectbox(key="state_year").select(start_year).run()
        out[page] = {"county_first_s": summary(first), "county_first_cpu_s": summary(cpu_first),
                     "county_repeat_s": summary(repeat), "year_change_s": summary(years_t)}
    out["import_view_s"] = import_then_view(app, db, runs)
    return out


def _period_widget(app, kind: str):  # noqa: ANN001, ANN202 - AppTest, its widget
    """水环境's period mode (``segmented_control``) or month (``selectbox``), as the last rerun drew it."""
    month = kind == "selectbox"  # keys: water_period_<year>… and water_period_month_<year>… (state.wkey)
    return next(w for w in getattr(app, kind)
                if str(w.key).startswith("water_period_") and str(w.key).startswith("water_period_month_") == month)


def import_then_view(app, db: Path, runs: int) -> dict:  # noqa: ANN001
    """10,000 real monitoring rows for the sections of the city with most sections, in the year on screen
    (as ``envmap import-monitoring --replace`` writes them, one transaction, and then brings the kept evaluations
    up to date, :func:`geodata.derived.refresh`), then the reruns of 水环境 of
    that city until it shows 当月 January (the visitor's next rerun, and choosing 当月 and January where the
    page did not show them yet); done when the page's sections show January classes from real values only."""
    import pandas as pd

    from dashboard import data
    from geodata.derived import refresh
    from geodata.quality.evaluations import Period
    from geodata.quality.samples import SURFACE_ITEMS
    from geodata.store import open_store

    sections = data.attributed("sections")
    placed = sections[sections["lon"].astype(str) != ""]
    city = placed.groupby("area_city").size().sort_values(ascending=False).index[0]
    ids = placed[placed["area_city"] == city]["id"].tolist()
    app.switch_page("app_pages/water.py").run()
    app.selectbox(key="state_city").select(city).run()
    app.selectbox(key=f"state_county_{city}").select("").run()
    year = int(app.selectbox(key="state_year").value)
    store = open_store(db, load_bundled=False)
    times = []
    for k in range(runs):
        rows = []
        day = 0
        while len(rows) < 10_000:
            date = (dt.date(year, 1, 1) + dt.timedelta(days=day)).isoformat()
            rows += [{"site_type": "section", "site_id": sid, "date": date, "period": date[:7], "item": code,
                      "value": round(0.2 + 0.05 * k, 3), "below_detection": 0, "unit": "mg/L", "status": "ok",
                      "is_sample": 0, "source_file": "bench-import.csv", "source_row": 0}
                     for sid in ids for code in SURFACE_ITEMS]
            day += 1
        frame = pd.DataFrame(rows[:10_000])
        frame["source_row"] = range(2, len(frame) + 2)
        shown_ids = set(frame["site_id"])
        started = time.perf_counter()
        store.write_measurements(frame, replace_keys=True)
        refresh(store)  # as import_monitoring does after writing: the kept evaluations brought up to date
        app.run()  # the visitor's next rerun; then 当月 and January chosen where the page did not show them yet
        if _period_widget(app, "segmented_control").value != "month":  # January may have had no results before
            _period_widget(app, "segmented_control").set_value("month").run()
        if _period_widget(app, "selectbox").value != 1:
            _period_widget(app, "selectbox").select(1).run()
        if app.exception:
            raise RuntimeError(str(app.exception))
        # what that rerun drew: a hit of the page's own cache (not another evaluation of the whole store,
        # which the page no longer needs and which would put the check's cost on the figure)
        view = data.period_sections(data.views.Area(city, ""), Period(year, 1, "month"))
        shown_period = (_period_widget(app, "segmented_control").value, _period_widget(app, "selectbox").value)
        if shown_period != ("month", 1):  # the check above read the view the page drew
            raise RuntimeError(f"水环境 did not show January of {year}: {shown_period}")
        shown = view[view["id"].isin(shown_ids)]
        if not (len(shown) and (shown["measured_class"] != "").all() and (shown["is_sample"] == 0).all()):
            raise RuntimeError(f"the import for {city} {year} is not on the page")
        times.append(time.perf_counter() - started)
    store.close()
    return summary(times)


# -- the report ---------------------------------------------------------------------------------


def prepare(size: str, tmp: Path) -> tuple[Path, dict]:
    from geodata.store import open_store

    bundled = tmp / "bundled.gpkg"
    if not bundled.exists():
        open_store(bundled).close()
    db = tmp / f"{size}.gpkg"
    shutil.copy(bundled, db)
    counts: dict = {}
    if SCALES[size] > 1:
        store = open_store(db, load_bundled=False)
        started = time.perf_counter()
        counts = build_synthetic_store(store, SCALES[size])
        counts["build_s"] = round(time.perf_counter() - started, 1)
        store.close()
    store = open_store(db, load_bundled=False)
    counts["tables"] = {k: v for k, v in store.table_counts().items() if v}
    store.close()
    return db, counts


def report(results: dict) -> list[str]:
    """The table (printed) and the figures over budget."""
    lines = []
    over = []
    head = f"{'size':<9}{'figure':<34}{'median [min–max]':>30}{'budget':>9}"
    lines += [head, "-" * len(head)]
    for size, r in results["sizes"].items():
        budget = BUDGETS[size]

        def row(name: str, figure: dict | None, key: str | None = None, unit: str = " s", size: str = size,
                budget: dict = budget) -> None:
            limit = budget.get(key) if key else None
            lines.append(f"{size:<9}{name:<34}{fmt(figure, unit):>30}{(f'{limit:g}' if limit else ''):>9}")
            if within(figure or {}, limit) is False:
                over.append(f"{size} {name}: median {figure['median']}{unit} > {limit}{unit}")  # type: ignore[index]

        b = r.get("browser", {})
        row("cold start → 总览 drawn", b.get("cold_s"), "cold_s")
        for label, name in PAGES:
            page = b.get(name)
            if not page:
                continue
            row(f"deep link {label}, first visit", page["drawn_s"], "deep_link_s")
            row(f"deep link {label}, repeat visit", page["repeat_drawn_s"], "deep_link_s")
            row(f"  {label} websocket (wire)", page["ws_wire_mb"], "ws_mb", " MB")
            row(f"  {label} websocket (decoded)", page["ws_decoded_mb"], None, " MB")
            row(f"  {label} map message (gzip)", page.get("map_message_kb"), None, " KB")
            row(f"  {label} screen minimum (gzip)", page.get("screen_min_kb"), None, " KB")
            row(f"  {label} map message / minimum", page.get("map_over_minimum"), "payload_ratio", "×")
            row(f"  {label} websocket / minimum", page.get("ws_over_minimum"), None, "×")
            row(f"  {label} HTTP first visit", page["http_wire_mb"], None, " MB")
            row(f"  {label} HTTP repeat visit", page["repeat_http_wire_mb"], None, " MB")
            row(f"  {label} server CPU", page["server_cpu_s"], None, " s")
        n = r.get("naive", {})
        if n:
            row("naive: cold start → drawn", n.get("cold_s"))
            if n.get("overview"):
                row("naive: deep link, first visit", n["overview"]["drawn_s"])
                row("naive: deep link, repeat visit", n["overview"]["repeat_drawn_s"])
                row("naive: websocket (wire)", n["overview"]["ws_wire_mb"], None, " MB")
                row("naive: server CPU", n["overview"]["server_cpu_s"], None, " s")
            for key, value in r.get("ratios", {}).items():
                lines.append(f"{size:<9}{'ratio envmap/naive ' + key:<34}{value if value is not None else '—':>30}")
        s = r.get("server", {})
        for page in ("water", "overview"):
            if page in s:
                row(f"county change, first visit ({page})", s[page]["county_first_s"], "county_first_s")
                row(f"  CPU of that rerun ({page})", s[page]["county_first_cpu_s"], None)
                row(f"county change, repeat ({page})", s[page]["county_repeat_s"])
                row(f"year change ({page})", s[page]["year_change_s"])
        if "import_view_s" in s:
            row("import 10,000 rows → on the map", s["import_view_s"], "import_view_s")
        row("server peak RSS", b.get("peak_rss_mb"), None, " MB")
    return lines + [""] + (["over budget:", *[f"  {o}" for o in over]] if over else ["all within budget"]), over


def ratios(envmap: dict, naive: dict) -> dict:
    def ratio(a: dict | None, b: dict | None) -> float | None:
        if not a or not b or a.get("median") in (None, 0) or b.get("median") in (None, 0):
            return None
        return round(float(a["median"]) / float(b["median"]), 2)

    page = envmap.get("overview", {})
    base = naive.get("overview", {})
    if not (base.get("drawn_s") or {}).get("median"):  # the naive page never drew: its bytes are of no map
        base = {"server_cpu_s": base.get("server_cpu_s")}
    return {"cold": ratio(envmap.get("cold_s"), naive.get("cold_s")), "drawn": ratio(page.get("drawn_s"), base.get("drawn_s")),
            "drawn (repeat)": ratio(page.get("repeat_drawn_s"), base.get("repeat_drawn_s")),
            "ws bytes": ratio(page.get("ws_wire_mb"), base.get("ws_wire_mb")),
            "server CPU": ratio(page.get("server_cpu_s"), base.get("server_cpu_s"))}


def main(argv: list[str] | None = None) -> int:
    import logging

    logging.getLogger("streamlit").setLevel(logging.ERROR)  # "no runtime found" of calls outside AppTest
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1x,10x,50x,national")
    parser.add_argument("--runs", type=int, default=MIN_RUNS)
    parser.add_argument("--skip-naive", action="store_true")
    parser.add_argument("--skip-browser", action="store_true")
    parser.add_argument("--out", default=str(REPO / "bench" / "results.json"))
    args = parser.parse_args(argv)
    sizes = [s for s in args.sizes.split(",") if s]
    unknown = [s for s in sizes if s not in SCALES]
    if unknown:
        parser.error(f"unknown sizes {unknown}; choose from {list(SCALES)}")
    tmp = Path(tempfile.mkdtemp(prefix="envmap-bench-"))
    results: dict = {"machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0],
                                 "note": "shared 2-core machine: other work runs beside the benchmark"},
                     "runs": args.runs, "budgets": BUDGETS, "sizes": {}}
    try:
        for size in sizes:
            started = time.perf_counter()
            db, counts = prepare(size, tmp)
            r: dict = {"counts": counts}
            print(f"[{size}] store ready {counts.get('tables', {})}", flush=True)
            r["server"] = rerun_figures(db, args.runs)
            print(f"[{size}] server figures done", flush=True)
            db_browser = tmp / f"{size}-browser.gpkg"
            shutil.copy(db, db_browser)
            if not args.skip_browser:
                r["browser"] = browser_figures(db_browser, args.runs, naive=False, pages=PAGES)
                print(f"[{size}] browser figures done", flush=True)
                if not args.skip_naive:
                    naive_runs = args.runs if SCALES[size] <= 10 else 1  # the naive page at 50× and more: one try
                    r["naive"] = browser_figures(db_browser, naive_runs, naive=True, pages=[("naive", "overview")])
                    r["ratios"] = ratios(r["browser"], r["naive"])
            r["elapsed_s"] = round(time.perf_counter() - started, 1)
            results["sizes"][size] = r
            Path(args.out).write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
            for path in (db, db_browser):
                path.unlink(missing_ok=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    lines, over = report(results)
    results["over_budget"] = over
    results["table"] = lines
    Path(args.out).write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
