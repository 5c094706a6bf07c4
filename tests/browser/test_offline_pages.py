"""Every page in a real browser with the network cut off: no request leaves localhost,
no console error, the map draws, clicks and filters work. Screenshots land in tests/artifacts/."""

from __future__ import annotations

import pytest

PAGES = [
    ("总览", "overview", True),
    ("水环境", "water", True),
    ("地下水", "groundwater", True),
    ("禁煤区", "zones", True),
    ("重点企业", "enterprises", True),
    ("任务台账", "tasks", False),
    ("空气质量目标", "air", False),
    ("监测数据导入", "monitoring", False),
    ("数据说明", "sources", False),
]


@pytest.mark.parametrize(("label", "name", "has_map"), PAGES)
def test_page_loads_offline_without_errors(visit, label, name, has_map):
    visit.open(label)
    if has_map:
        frame = visit.map_frame()
        # our own vector basemap: county polygons drawn as SVG paths
        assert frame.locator(".leaflet-overlay-pane path").count() >= 20
        assert frame.locator(".envmap-legend").count() == 1
        assert frame.locator(".leaflet-control-scale").count() == 1
        assert frame.locator(".envmap-north").count() == 1
    visit.page.wait_for_timeout(2000)
    visit.screenshot(f"page_{name}")
    assert visit.external == [], f"requests outside localhost: {visit.external[:5]}"
    assert visit.console_errors == [], visit.console_errors[:5]
    assert visit.page.locator("[data-testid='stException']").count() == 0


def test_leaflet_is_served_as_javascript_by_the_app(visit):
    response = visit.page.request.get(f"{visit.base_url}/app/static/vendor/leaflet/leaflet.js")
    assert response.status == 200
    assert "javascript" in response.headers["content-type"]


def test_water_map_shows_every_placed_section_and_a_click_opens_its_details(visit):
    visit.open("水环境")
    frame = visit.map_frame()
    markers = frame.locator(".envmap-section")
    caption = visit.page.get_by_text("地图显示").inner_text()
    drawn = int(caption.split("显示")[1].split("/")[0].strip())
    assert drawn > 20
    assert markers.count() == drawn
    target = frame.locator(".envmap-section", has_text="汇源水库出口")
    target.locator("svg").click()
    visit.page.get_by_role("heading", name="汇源水库出口").wait_for(timeout=30_000)
    assert visit.page.get_by_text("各年目标（含来源）").count() == 1
    visit.screenshot("water_section_details")


def test_changing_the_county_changes_the_map(visit):
    visit.open("水环境")
    frame = visit.map_frame()
    everything = frame.locator(".envmap-section").count()
    visit.page.goto(f"{visit.base_url}/?city=晋城市&county=陵川县")
    visit.page.wait_for_selector("[data-testid='stSidebarNav']", timeout=60_000)
    visit.page.get_by_role("link", name="水环境", exact=True).click()
    frame = visit.map_frame()
    visit.page.wait_for_timeout(1500)
    lingchuan = frame.locator(".envmap-section").count()
    assert 0 < lingchuan < everything
    assert frame.locator(".envmap-section", has_text="汇源水库出口").count() == 1
    visit.screenshot("water_lingchuan")
