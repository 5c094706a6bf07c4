"""envmap behind the README's nginx configuration under /envmap: HTTPS, sign-in, two processes
with sticky sessions, a proxy that keeps the prefix (``envmap serve --base-path /envmap``) and
one that strips it (no ``--base-path``). A browser opens every page through it; not one
request may fail."""

from __future__ import annotations

import base64
import re
import shutil
import ssl
import time
import urllib.error
import urllib.request
from collections import defaultdict
from pathlib import Path

import pytest

from tests.browser import nginx
from tests.browser.harness import Visit, free_port, start_server, stop_server
from tests.browser.test_offline_pages import PAGES

if not Path(nginx.NGINX).exists():
    pytest.skip(f"proxy tests need Debian's nginx at {nginx.NGINX} (apt-get install nginx)", allow_module_level=True)
if shutil.which("openssl") is None:
    pytest.skip("proxy tests need the openssl command (apt-get install openssl)", allow_module_level=True)

PREFIX = "/envmap"
UPLOAD = "断面名称,监测日期,氨氮\n张留庄,2023-05-03,1.4\n".encode()


class Proxied:
    """Two envmap processes on one store behind nginx; ``url`` is what users type."""

    def __init__(self, mode: str, folder: Path) -> None:
        self.mode = mode
        args = () if mode == "strip" else ("--base-path", PREFIX)
        base = "" if mode == "strip" else PREFIX
        db = folder / "envmap.gpkg"
        # one after the other: the first creates the store, the second opens it
        self.servers = [start_server(db, args=args, base_path=base) for _ in range(2)]
        self.upstreams = [url.split("//", 1)[1].split("/", 1)[0] for _, url in self.servers]
        self.port = free_port()
        config = nginx.render(
            nginx.readme_nginx_config(), http_port=free_port(), https_port=self.port,
            upstreams=[int(u.rsplit(":", 1)[1]) for u in self.upstreams],
            tls=nginx.make_tls(folder / "tls"), htpasswd=nginx.make_htpasswd(folder / "htpasswd"),
            strip_prefix=mode == "strip",
        )
        self.proxy = nginx.Nginx(folder / "nginx", config, self.port).__enter__()
        self.url = f"https://127.0.0.1:{self.port}{PREFIX}"

    def visit(self, browser) -> Visit:  # noqa: ANN001
        return Visit(browser, self.url, ignore_https_errors=True,
                     http_credentials={"username": nginx.USER, "password": nginx.PASSWORD})

    def get(self, path: str, *, cookie: str = "", signed_in: bool = True) -> tuple[int, str]:
        """An HTTPS request through nginx; (status, body)."""
        request = urllib.request.Request(f"https://127.0.0.1:{self.port}{path}")
        if signed_in:
            token = base64.b64encode(f"{nginx.USER}:{nginx.PASSWORD}".encode()).decode()
            request.add_header("Authorization", f"Basic {token}")
        if cookie:
            request.add_header("Cookie", cookie)
        context = ssl.create_default_context()
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
        try:
            with urllib.request.urlopen(request, context=context, timeout=30) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            return exc.code, ""

    def routes(self) -> dict[str, set[str]]:
        """Which upstream answered, per sticky-route value, from nginx's log."""
        seen: dict[str, set[str]] = defaultdict(set)
        for line in self.proxy.log():
            status, upstreams, route = re.match(r'(\d+) (.+?) route=(\S*) "', line).groups()
            answered = upstreams.split(", ")[-1]  # after a failed attempt nginx lists each one tried
            if answered != "-" and not status.startswith("4"):
                seen[route].add(answered)
        return seen

    def close(self) -> None:
        self.proxy.__exit__(None, None, None)
        for proc, _ in self.servers:
            stop_server(proc)


@pytest.fixture(scope="module", params=["keep", "strip"], ids=["proxy-keeps-prefix", "proxy-strips-prefix"])
def proxied(request, tmp_path_factory):
    setup = Proxied(request.param, tmp_path_factory.mktemp(f"proxy-{request.param}"))
    yield setup
    setup.close()


def test_every_page_under_the_prefix_loads_without_a_failed_request(proxied, browser):
    visit = proxied.visit(browser)
    try:
        visit.open()  # the default page, 总览, at the prefix itself
        assert visit.map_frame().locator(".leaflet-overlay-pane path").count() >= 20
        for label, name, has_map in PAGES[1:]:
            visit.navigate(label)
            visit.page.wait_for_url(re.compile(rf"{re.escape(proxied.url)}/{name}(\?|$)"), timeout=60_000)
            visit.page.wait_for_selector("h1", timeout=90_000)
            if has_map:
                assert visit.map_frame().locator(".envmap-legend").count() == 1
            visit.page.wait_for_timeout(1500)
            assert visit.page.locator("[data-testid='stException']").count() == 0, name
        visit.screenshot(f"proxy_{proxied.mode}_sources")
        assert visit.lasting_failures() == []
        assert visit.external == [], f"requests outside {proxied.url}/: {visit.external[:5]}"
        assert visit.errors() == []  # less the "Failed to load resource" of a hiccup fetched again fine
        route = next(c["value"] for c in visit.page.context.cookies() if c["name"] == "envmap_route")
    finally:
        visit.close()
    # every request of this browser went to one process, its websocket too (nginx logs a
    # websocket when it closes, so wait for the line)
    deadline = time.monotonic() + 30
    while not any(line.startswith("101 ") and f"route={route}" in line for line in proxied.proxy.log()):
        assert time.monotonic() < deadline, "the page's websocket never went through nginx"
        time.sleep(0.2)
    assert len(proxied.routes()[route]) == 1


def test_a_deep_link_under_the_prefix_opens_its_page(proxied, browser):
    visit = proxied.visit(browser)
    try:
        visit.page.goto(f"{proxied.url}/water")
        visit.map_frame()
        assert visit.page.locator("h1", has_text="水环境").count() == 1
        # Streamlit's front end finds its base path by asking <page>/_stcore/… first; those two
        # answers are 404 by design, with or without a proxy. Nothing else may fail.
        probes = {f"404 {proxied.url}/water/_stcore/health", f"404 {proxied.url}/water/_stcore/host-config"}
        assert set(visit.lasting_failures()) <= probes
        assert visit.external == []
    finally:
        visit.close()


def test_an_uploaded_file_reaches_the_server_through_the_proxy(proxied, browser):
    visit = proxied.visit(browser)
    try:
        visit.open("监测数据导入")
        visit.page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(
            files=[{"name": "月报.csv", "mimeType": "text/csv", "buffer": UPLOAD}]
        )
        visit.page.get_by_text("检查通过，可以导入。").wait_for(timeout=60_000)
        assert visit.lasting_failures() == []
    finally:
        visit.close()


def test_sign_in_is_required_and_each_route_sticks_to_one_of_both_processes(proxied):
    assert proxied.get(f"{PREFIX}/", signed_in=False)[0] == 401
    status, body = proxied.get(f"{PREFIX}/")
    assert status == 200 and "<html" in body.lower()
    # the same route value always reaches the same process, and the processes share the load
    for attempt in range(2):
        for n in range(24):
            assert proxied.get(f"{PREFIX}/_stcore/health", cookie=f"envmap_route=r{n}")[0] == 200, attempt
    by_route = {route: ups for route, ups in proxied.routes().items() if re.fullmatch(r"r\d+", route)}
    assert len(by_route) == 24 and all(len(ups) == 1 for ups in by_route.values())
    assert set().union(*by_route.values()) == set(proxied.upstreams)


def test_the_prefix_without_its_slash_redirects_to_it(proxied):
    request = urllib.request.Request(f"https://127.0.0.1:{proxied.port}{PREFIX}", method="GET")
    token = base64.b64encode(f"{nginx.USER}:{nginx.PASSWORD}".encode()).decode()
    request.add_header("Authorization", f"Basic {token}")
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            return None

    opener = urllib.request.build_opener(NoRedirect, urllib.request.HTTPSHandler(context=context))
    with pytest.raises(urllib.error.HTTPError) as answer:
        opener.open(request, timeout=30)
    assert answer.value.code == 301
    assert answer.value.headers["Location"].endswith(f"{PREFIX}/")


def test_when_its_process_stops_a_browser_carries_on_with_the_other_one(browser, tmp_path):
    """A rolling restart: stop the process a visitor is on; the page reconnects through nginx
    to the other process and keeps working, without a reload."""
    setup = Proxied("keep", tmp_path)
    try:
        visit = setup.visit(browser)
        visit.open()
        visit.map_frame()
        route = next(c["value"] for c in visit.page.context.cookies() if c["name"] == "envmap_route")
        (first,) = setup.routes()[route]
        stop_server(setup.servers[setup.upstreams.index(first)][0])
        visit.navigate("水环境")
        visit.page.wait_for_url(re.compile(rf"{re.escape(setup.url)}/water(\?|$)"), timeout=60_000)
        assert visit.map_frame().locator(".envmap-section").count() > 20
        assert visit.lasting_failures() == []
        visit.close()
        assert setup.routes()[route] == set(setup.upstreams)
    finally:
        setup.close()
