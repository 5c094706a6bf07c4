"""What a leader meets first, in a real browser: two visitors never share choices, the legend hides no
section at 1280×720 and folds away, headline values are never cut, /overview is a real address.
Screenshots of every page at 1280×720 and 1600×1000 land in tests/artifacts/."""

from __future__ import annotations

import pytest

from tests.browser.harness import Visit
from tests.browser.test_offline_pages import PAGES


def _nav_labels(visit: Visit) -> list[str]:
    return [a.inner_text().strip() for a in visit.page.locator("[data-testid='stSidebarNav'] a").all()]


def _wait_for_text(visit: Visit, text: str, timeout: int = 60_000) -> None:
    visit.page.get_by_text(text, exact=False).first.wait_for(timeout=timeout)


def test_one_visitors_language_and_area_never_change_anothers(browser, server):
    a, b = Visit(browser, server), Visit(browser, server)
    try:
        a.open()
        b.open()
        assert "总览" in _nav_labels(a) and "总览" in _nav_labels(b)
        a.page.get_by_text("English", exact=True).click()
        _wait_for_text(a, "Overview")
        a.page.wait_for_timeout(1500)
        assert "Overview" in _nav_labels(a)
        # the other visitor reruns (moves to another page and back): still Chinese, still everything
        b.navigate("水环境")
        b.page.wait_for_selector("h1:has-text('水环境')", timeout=60_000)
        b.navigate("总览")
        b.page.wait_for_selector("h1:has-text('全部辖区')", timeout=60_000)
        assert "总览" in _nav_labels(b) and "Overview" not in _nav_labels(b)
        # an area chosen by one visitor stays with that visitor
        a.page.goto(f"{server}/overview?city=晋城市&lang=en")
        a.page.wait_for_selector("h1:has-text('晋城市')", timeout=60_000)
        b.page.reload()
        b.page.wait_for_selector("h1:has-text('全部辖区')", timeout=60_000)
        assert b.page.locator("h1").first.inner_text().endswith("全部辖区")
        assert a.errors() == [] and b.errors() == [], (a.failed, b.failed)
        assert a.unexpected_failures() == [] and b.unexpected_failures() == []
    finally:
        a.close()
        b.close()


def test_the_overview_address_is_a_real_page(visit):
    visit.page.goto(f"{visit.base_url}/overview")
    visit.page.wait_for_selector("h1", timeout=90_000)
    visit.page.wait_for_timeout(2000)
    assert visit.page.get_by_text("Page not found").count() == 0
    assert "生态环境一张图" in visit.page.locator("h1").first.inner_text()
    visit.page.goto(f"{visit.base_url}/?city=运城市")  # the root keeps a shared link's view
    visit.page.wait_for_selector("h1:has-text('运城市')", timeout=90_000)
    assert "/overview" in visit.page.url


def _boxes(frame, selector: str) -> list[dict]:
    return frame.evaluate(
        "(sel) => [...document.querySelectorAll(sel)].map(e => e.getBoundingClientRect())"
        ".filter(r => r.width > 0).map(r => ({x: r.x, y: r.y, w: r.width, h: r.height}))",
        selector,
    )


def _overlap(a: dict, b: dict) -> bool:
    return a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"] and a["y"] < b["y"] + b["h"] and b["y"] < a["y"] + a["h"]


@pytest.mark.parametrize(("label", "query"), [("水环境", ""), ("水环境", "?city=运城市"), ("总览", "")])
def test_the_legend_hides_no_section_at_1280x720_and_folds(browser, server, label, query):
    visit = Visit(browser, server, width=1280, height=720)
    try:
        visit.open(label, query)
        frame = visit.map_frame()
        visit.page.wait_for_timeout(1500)
        legend = _boxes(frame, ".envmap-legend")[0]
        markers = _boxes(frame, ".envmap-section svg")
        assert markers, "sections drawn"
        hidden = [m for m in markers if _overlap(m, legend)]
        assert hidden == [], f"{len(hidden)} sections under the legend"
        frame.locator(".envmap-legend-toggle").click()
        visit.page.wait_for_timeout(500)
        folded = _boxes(frame, ".envmap-legend")[0]
        assert folded["h"] < 40 and folded["w"] < legend["w"]
        # a click beside the legend reaches the map (the legend catches only its own box)
        hit = frame.evaluate("([x, y]) => document.elementFromPoint(x, y).closest('.envmap-legend') === null",
                             [legend["x"] + legend["w"] + 20, legend["y"] + 10])
        assert hit
    finally:
        visit.close()


def test_headline_values_are_never_cut_at_800px(browser, server):
    visit = Visit(browser, server, width=800, height=900)
    try:
        visit.open()
        visit.page.wait_for_selector(".envmap-kpi-value", timeout=60_000)
        cut = visit.page.evaluate(
            "() => [...document.querySelectorAll('.envmap-kpi-value, .envmap-kpi-label')]"
            ".filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent)"
        )
        assert cut == []
        visit.screenshot("overview_800")
    finally:
        visit.close()


@pytest.mark.parametrize(("label", "name", "has_map"), PAGES)
def test_every_page_at_1280x720(browser, server, label, name, has_map):
    visit = Visit(browser, server, width=1280, height=720)
    try:
        visit.open(label)
        if has_map:
            visit.map_frame()
        visit.page.wait_for_timeout(1500)
        visit.screenshot(f"page_{name}_1280x720")
        assert visit.page.locator("[data-testid='stException']").count() == 0
        assert visit.external == []
    finally:
        visit.close()
