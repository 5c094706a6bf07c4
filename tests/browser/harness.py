"""Driving a real envmap server with Debian's chromium, every non-localhost host unresolvable.

Shared by the browser tests and ``make bench``.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("ENVMAP_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = REPO / "tests" / "artifacts"
BLOCK_NETWORK = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", BLOCK_NETWORK]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db_path: Path, port: int | None = None) -> tuple[subprocess.Popen, str]:
    """``envmap serve`` with store ``db_path``; returns the process and its base URL once healthy."""
    port = port or free_port()
    env = {**os.environ, "ENVMAP_DB": str(db_path)}
    envmap = shutil.which("envmap", path=str(Path(sys.executable).parent)) or "envmap"
    proc = subprocess.Popen([envmap, "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return proc, url
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise RuntimeError("envmap serve did not start within 120 s")


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


class Visit:
    """One page visit: what the browser requested, received and complained about."""

    def __init__(self, browser, base_url: str) -> None:  # noqa: ANN001
        self.base_url = base_url
        self.page = browser.new_page(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
        self.external: list[str] = []
        self.console_errors: list[str] = []
        self.ws_bytes = 0
        self.page.on("request", self._on_request)
        self.page.on("console", lambda m: self.console_errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.console_errors.append(str(e)))
        self.page.on("websocket", self._on_websocket)

    def _on_request(self, request) -> None:  # noqa: ANN001
        url = request.url
        if not url.startswith((self.base_url, "data:", "blob:", "about:", self.base_url.replace("http", "ws"))):
            self.external.append(url)

    def _on_websocket(self, ws) -> None:  # noqa: ANN001
        def count(payload) -> None:  # noqa: ANN001
            self.ws_bytes += len(payload) if isinstance(payload, (bytes, str)) else 0

        ws.on("framereceived", count)

    def open(self, nav_label: str | None = None, query: str = "") -> None:
        """Open the app at the root (no deep-link probes) and navigate by the sidebar link."""
        self.page.goto(f"{self.base_url}/{query}")
        self.page.wait_for_selector("[data-testid='stSidebarNav']", timeout=90_000)
        if nav_label:
            self.navigate(nav_label)
        self.page.wait_for_selector("h1", timeout=90_000)

    def navigate(self, nav_label: str) -> None:
        self.page.get_by_role("link", name=nav_label, exact=True).click()

    def map_frame(self, timeout: int = 90_000):  # noqa: ANN201
        """The st_folium iframe, once Leaflet has drawn our basemap."""
        frame_el = self.page.wait_for_selector("iframe[title='streamlit_folium.st_folium']", timeout=timeout)
        frame = frame_el.content_frame()
        # a drawn path: Leaflet gives the paths outside the view an empty "M0 0" (a page that frames a
        # small area, such as the no-coal zones, has such paths first)
        frame.wait_for_selector(".leaflet-overlay-pane path:not([d='M0 0'])", timeout=timeout)
        return frame

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.wait_for_timeout(1500)
        self.page.screenshot(path=str(path))
        return path

    def close(self) -> None:
        self.page.close()
