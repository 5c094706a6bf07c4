"""The benchmark's own rules, kept apart so a test can hold them to account (tests/bench/test_rules.py).

* a county sequence visits every county once before any county comes again, so "first visit"
  figures are first visits, never cache hits;
* a map is "drawn" when its page holds every path and marker the page says it sent
  (``document.documentElement.dataset.envmapExpected``, written by ``dashboard.components.vector``),
  clusters counted by the markers they stand for — not at the first county outline;
* a map's physical minimum is what its screen shows, in screen pixels, gzip'd (:data:`SCREEN_JS`,
  :func:`screen_minimum_bytes`): the payload budget compares the map's message against it;
* a figure is the median of at least :data:`MIN_RUNS` runs, reported with its minimum and maximum;
* a budget is met when the median is within it.
"""

from __future__ import annotations

import gzip
import json
import random
import statistics
from collections.abc import Sequence

MIN_RUNS = 5

# the JavaScript run in the map's frame: true once the DOM holds what the page reports it sent
DRAWN_JS = """() => {
    const said = document.documentElement.dataset.envmapExpected;
    if (!said) { return false; }
    const expected = JSON.parse(said);
    const paths = document.querySelectorAll('.leaflet-overlay-pane path').length;
    let markers = 0;
    document.querySelectorAll('.leaflet-marker-pane .leaflet-marker-icon').forEach((el) => {
        markers += el.classList.contains('marker-cluster') ? (parseInt(el.textContent, 10) || 0) : 1;
    });
    return paths >= expected.paths && markers >= expected.markers;
}"""

COUNTS_JS = """() => {
    const said = document.documentElement.dataset.envmapExpected;
    return said ? JSON.parse(said) : null;
}"""


# the JavaScript run in the map's frame once it is drawn: what the screen shows, in screen pixels — every
# path as Leaflet drew it (SVG "d": projected, rounded to the pixel and simplified at one pixel by Leaflet)
# with its colours, and every marker's position, colour and text. Nothing finer can be seen.
SCREEN_JS = """() => {
    const paths = [...document.querySelectorAll('.leaflet-overlay-pane path')].map((p) => [
        p.getAttribute('d') || '', p.getAttribute('stroke') || '', p.getAttribute('fill') || '']);
    const markers = [...document.querySelectorAll('.leaflet-marker-pane .leaflet-marker-icon')].map((el) => {
        const box = el.getBoundingClientRect();
        const mark = el.querySelector('[style*="background"]') || el;
        return [Math.round(box.left), Math.round(box.top), getComputedStyle(mark).backgroundColor, el.textContent.trim()];
    });
    return {paths, markers};
}"""


def screen_minimum_bytes(screen: dict) -> int:
    """The physical minimum of a drawn map: what :data:`SCREEN_JS` read off its screen, as compact JSON, gzip'd."""
    text = json.dumps(screen, separators=(",", ":"), ensure_ascii=False)
    return len(gzip.compress(text.encode("utf-8"), 9, mtime=0))


def county_sequence(areas: dict[str, list[str]], n: int, seed: int = 14) -> list[tuple[str, str]]:
    """``n`` (city, county) pairs in which no county repeats before every county has been visited."""
    pairs = [(city, county) for city, counties in sorted(areas.items()) for county in counties if county]
    if not pairs:
        return []
    rng = random.Random(seed)
    out: list[tuple[str, str]] = []
    while len(out) < n:
        round_ = pairs[:]
        rng.shuffle(round_)
        out.extend(round_)
    return out[:n]


def year_sequence(years: Sequence[int], start: int, n: int) -> list[int]:
    """``n`` year changes away from ``start``, each year new until all have been visited."""
    others = [y for y in sorted(years, reverse=True) if y != start]
    out: list[int] = []
    while others and len(out) < n:
        out.extend(others[: n - len(out)])
    return out


def summary(values: Sequence[float]) -> dict[str, float | int | None]:
    """Median, minimum, maximum and count of the runs (None for no run)."""
    clean = [float(v) for v in values if v is not None]
    if not clean:
        return {"median": None, "min": None, "max": None, "runs": 0}
    return {"median": round(statistics.median(clean), 3), "min": round(min(clean), 3), "max": round(max(clean), 3),
            "runs": len(clean)}


def within(figure: dict[str, float | int | None], budget: float | None) -> bool | None:
    """Whether a figure's median meets ``budget`` (None: no budget or no figure)."""
    if budget is None or figure.get("median") is None:
        return None
    return float(figure["median"]) <= budget  # type: ignore[arg-type]


def fmt(figure: dict[str, float | int | None] | None, unit: str = "") -> str:
    """"1.23 [1.10–1.40]" (median [min–max])."""
    if not figure or figure.get("median") is None:
        return "—"
    return f"{figure['median']:.2f} [{figure['min']:.2f}–{figure['max']:.2f}]{unit}"
