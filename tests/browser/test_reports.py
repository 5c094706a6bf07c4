"""Report pages, exports and the screenshot mode in a real browser (offline): what a leader opens and prints.

Screenshots land in tests/artifacts/ (report pages at 1600×1000, the screenshot mode at 1280×720).
"""

from __future__ import annotations

import urllib.parse

from tests.browser.harness import Visit


def _goto(visit: Visit, path: str, **params: str) -> None:
    visit.page.goto(f"{visit.base_url}/{path}?{urllib.parse.urlencode(params)}")
    visit.page.wait_for_selector("h1", timeout=90_000)


def _images_loaded(visit: Visit, at_least: int = 1, timeout: int = 120_000) -> int:
    """How many report images are drawn (naturalWidth > 0), once at least ``at_least`` are."""
    visit.page.wait_for_function(
        "(n) => [...document.querySelectorAll('[data-testid=\"stImage\"] img')].filter(i => i.complete && i.naturalWidth > 0)"
        ".length >= n", arg=at_least, timeout=timeout)
    return visit.page.evaluate(
        "() => [...document.querySelectorAll('[data-testid=\"stImage\"] img')].filter(i => i.naturalWidth > 0).length")


def test_a_section_report_opens_from_its_link_with_its_upstream_map(visit):
    _goto(visit, "section_report", section="运城市:风陵渡大桥", year="2023", asof="2023-12-31")
    visit.page.wait_for_selector("h1:has-text('断面报告：风陵渡大桥')", timeout=90_000)
    visit.page.get_by_text("上游：水从哪里来").first.wait_for(timeout=90_000)
    assert _images_loaded(visit) >= 1
    assert visit.page.get_by_text("汇水区内的重点企业").count() >= 1
    visit.screenshot("report-section-1600")
    assert visit.errors() == [] and visit.unexpected_failures() == [] and visit.external == []


def test_the_water_details_panel_leads_to_the_section_report(visit):
    _goto(visit, "water", city="运城市", year="2023", section="运城市:张留庄")
    link = visit.page.get_by_role("link", name="打开断面报告")
    link.wait_for(timeout=90_000)
    link.click()
    visit.page.wait_for_selector("h1:has-text('断面报告：张留庄')", timeout=90_000)
    assert "section_report" in visit.page.url and "section=" in visit.page.url
    assert visit.errors() == []


def test_a_shared_county_link_opens_the_same_brief_for_anyone(browser, server):
    first, second = Visit(browser, server), Visit(browser, server)
    try:
        for v in (first, second):
            _goto(v, "county_report", county="陵川县", year="2023", asof="2023-12-31")
            v.page.wait_for_selector("h1:has-text('陵川县 生态环境简报（2023年）')", timeout=90_000)
        assert _images_loaded(first, 2) == 2 and _images_loaded(second, 2) == 2
        assert first.page.locator("h1").first.inner_text() == second.page.locator("h1").first.inner_text()
        first.screenshot("report-county-1600")
        # printed, the page drops the sidebar and the buttons
        first.page.emulate_media(media="print")
        assert first.page.locator("[data-testid='stSidebar']").is_hidden()
        assert first.errors() == [] and second.errors() == []
    finally:
        first.close()
        second.close()


def test_an_enterprise_report(visit):
    _goto(visit, "enterprise_report", enterprise="002_4170045ae78128c7/E-442ea4fc", year="2023")
    visit.page.wait_for_selector("h1:has-text('企业报告：万荣县生活污水处理厂')", timeout=90_000)
    visit.page.get_by_text("排向哪里").first.wait_for(timeout=90_000)
    visit.screenshot("report-enterprise-1600")
    assert visit.errors() == [] and visit.unexpected_failures() == []


def test_the_export_button_downloads_the_view_as_png(visit):
    _goto(visit, "water", city="长治市", county="襄垣县", year="2023")
    visit.map_frame()
    visit.page.get_by_role("button", name="导出简报图").click()
    with visit.page.expect_download(timeout=120_000) as download:
        visit.page.get_by_role("button", name="下载 PNG").click()
    path = download.value.path()
    data = open(path, "rb").read()
    assert data.startswith(b"\x89PNG")
    assert download.value.suggested_filename == "襄垣县-water-2023-slide.png"
    assert visit.external == []


def test_screenshot_mode_hides_the_chrome_and_fits_the_map_at_1280x720(browser, server):
    visit = Visit(browser, server, width=1280, height=720)
    try:
        _goto(visit, "water", city="运城市", year="2023", mode="briefing")
        frame = visit.map_frame()
        assert visit.page.locator("[data-testid='stSidebar']").is_hidden()
        assert visit.page.locator("header[data-testid='stHeader']").is_hidden()
        assert visit.page.get_by_role("button", name="导出简报图").count() == 0
        size = frame.evaluate("() => getComputedStyle(document.querySelector('.envmap-title-box .envmap-title')).fontSize")
        assert float(size.rstrip("px")) >= 24
        visit.page.locator("iframe[title='streamlit_folium.st_folium']").scroll_into_view_if_needed()
        visit.screenshot("briefing-water-1280")
        assert visit.errors() == []
    finally:
        visit.close()
