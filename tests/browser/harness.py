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
from collections.abc import Iterator
from contextlib import contextmanager
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


def wait_until_healthy(proc: subprocess.Popen, url: str, timeout: float = 120, poll: float = 0.5) -> None:
    """Wait for Streamlit's health endpoint under ``url`` (asking every ``poll`` seconds); fail early if the
    process died."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with status {proc.returncode} before it was healthy")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(poll)
    proc.kill()
    raise RuntimeError(f"server at {url} did not start within {timeout:.0f} s")


def envmap_command() -> list[str]:
    """The ``envmap`` console script of the interpreter running the tests."""
    return [shutil.which("envmap", path=str(Path(sys.executable).parent)) or "envmap"]


def start_server(
    db_path: Path,
    port: int | None = None,
    *,
    args: tuple[str, ...] = (),
    command: list[str] | None = None,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    base_path: str = "",
    port_option: str = "--port",
) -> tuple[subprocess.Popen, str]:
    """``envmap serve`` with store ``db_path``; returns the process and its base URL once healthy.

    ``args`` are extra options; ``command`` replaces ``envmap serve`` entirely (it is given
    ``port_option`` and the port); ``base_path`` is where the server answers (its ``--base-path``).
    """
    port = port or free_port()
    env = {**os.environ, **(env or {}), "ENVMAP_DB": str(db_path)}
    cmd = [*(command or [*envmap_command(), "serve"]), port_option, str(port), *args]
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}" + (f"/{base_path.strip('/')}" if base_path.strip("/") else "")
    wait_until_healthy(proc, url)
    return proc, url


@contextmanager
def chromium() -> Iterator:
    """Debian's chromium through Playwright, with every non-localhost host unresolvable."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


class Visit:
    """One page visit: what the browser requested, received and complained about."""

    def __init__(self, browser, base_url: str, width: int = 1600, height: int = 1000, **context_options) -> None:  # noqa: ANN001, ANN003
        self.base_url = base_url
        # each visit is its own browser context: its own cookies and its own Streamlit session
        self.page = browser.new_page(viewport={"width": width, "height": height}, locale="zh-CN", **context_options)
        self.external: list[str] = []
        self.console_errors: list[str] = []
        self.failed: list[str] = []
        self.ws_bytes = 0
        self.page.on("request", self._on_request)
        self.page.on("requestfailed", lambda r: self.failed.append(f"{r.failure} {r.url}"))
        self.page.on("response", lambda r: self.failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        self.page.on("console", lambda m: self.console_errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.console_errors.append(str(e)))
        self.page.on("websocket", self._on_websocket)

    def _on_request(self, request) -> None:  # noqa: ANN001
        url = request.url
        own = (f"{self.base_url}/", f"{self.base_url.replace('http', 'ws', 1)}/")
        if not url.startswith((*own, "data:", "blob:", "about:")):
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
        # drawn = at least one path with a shape ("M0 0" is Leaflet's path for a feature off screen)
        frame.wait_for_function(
            "() => [...document.querySelectorAll('.leaflet-overlay-pane path')]"
            ".some(p => (p.getAttribute('d') || 'M0 0') !== 'M0 0')",
            timeout=timeout,
        )
        return frame

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.wait_for_timeout(1500)
        self.page.screenshot(path=str(path))
        return path

    def unexpected_failures(self) -> list[str]:
        """Failed requests other than Streamlit's own base-path probes of a deep link (``/water/_stcore/…``)
        and transport hiccups that succeed when asked again (:meth:`lasting_failures`)."""
        return [f for f in self.lasting_failures()
                if not f.split()[-1].rstrip("/").endswith(("/_stcore/health", "/_stcore/host-config"))]

    def lasting_failures(self) -> list[str]:
        """Failed requests that still fail when asked again.

        A transport hiccup on the loopback (Chromium's ``net::ERR_TOO_MANY_RETRIES`` or a reset
        keep-alive connection, seen once in CI on a stylesheet behind nginx) is not a URL the server
        gets wrong: such a request is fetched once more in the same browser context (same cookies,
        credentials and certificate rules) and counts only if that answer is an error too.
        An HTTP error status always counts.
        """
        lasting = []
        for failure in self.failed:
            reason, url = failure.rsplit(" ", 1)
            if reason.startswith("net::"):
                try:
                    if self.page.request.get(url, timeout=30_000).status < 400:
                        continue
                except Exception:  # noqa: BLE001 - a second failure is the failure reported
                    pass
            lasting.append(failure)
        return lasting

    def errors(self) -> list[str]:
        """Console errors, less the "Failed to load resource" lines those probes cause."""
        probes_only = not self.unexpected_failures()
        return [e for e in self.console_errors if not (probes_only and e.startswith("Failed to load resource"))]

    def close(self) -> None:
        self.page.close()
