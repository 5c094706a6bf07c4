"""The vendored Leaflet files: copied whole and only when needed, a clear message when they
cannot be, and URLs that reach ``app/static/`` from the map's iframe under any base path."""

from __future__ import annotations

import filecmp
from urllib.parse import urljoin

import pytest

from dashboard import assets, mapping


def test_every_vendored_file_is_copied_byte_for_byte(tmp_path):
    vendor = assets.ensure_vendor_assets(tmp_path)
    packages = assets._packages()
    copied = sorted(p.relative_to(vendor).as_posix() for p in vendor.rglob("*") if p.is_file())
    assert copied == sorted(f"{name}/{rel}" for name, files in assets.FILES.items() for rel in files)
    for name, files in assets.FILES.items():
        for rel in files:
            assert filecmp.cmp(packages[name] / rel, vendor / name / rel, shallow=False)


def test_files_in_place_are_not_rewritten_and_a_changed_one_is_replaced(tmp_path):
    vendor = assets.ensure_vendor_assets(tmp_path)
    leaflet, css = vendor / "leaflet" / "leaflet.js", vendor / "leaflet" / "leaflet.css"
    before = css.stat().st_mtime_ns
    size = leaflet.stat().st_size
    leaflet.write_bytes(b"x" * size)  # same size, other bytes: an old release, a broken copy
    assets.ensure_vendor_assets(tmp_path)
    assert filecmp.cmp(assets._packages()["leaflet"] / "leaflet.js", leaflet, shallow=False)
    assert css.stat().st_mtime_ns == before
    assert [p.name for p in vendor.rglob(".*")] == []  # no temporary file left behind


def test_a_folder_that_cannot_hold_the_files_gives_a_chinese_message_with_the_fix(tmp_path):
    (tmp_path / assets.VENDOR).write_text("not a folder", encoding="utf-8")
    with pytest.raises(assets.AssetsUnavailable) as error:
        assets.ensure_vendor_assets(tmp_path)
    assert "无法写入地图前端文件" in str(error.value) and "python -m dashboard.assets" in str(error.value)


@pytest.mark.parametrize("base", ["", "/envmap", "/gis/envmap"])
def test_asset_urls_resolve_under_the_base_the_browser_used(base):
    # streamlit-folium draws the map in <base>/component/streamlit_folium.st_folium/index.html
    # (the browser tests check that the map really loads this way, directly and behind proxies)
    iframe = f"https://gis.example{base}/component/streamlit_folium.st_folium/index.html?streamlitUrl=x"
    urls = mapping.assets()
    assert set(urls) == {"leaflet_js", "leaflet_css", "markercluster_js", "markercluster_css",
                         "markercluster_default_css"}
    for url in urls.values():
        resolved = urljoin(iframe, url)
        assert resolved.startswith(f"https://gis.example{base}/app/static/vendor/")
        path = resolved.split("/app/static/", 1)[1]
        assert (assets.STATIC_DIR / path).is_file()

