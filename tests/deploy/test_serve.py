"""``envmap serve``: what it hands to Streamlit, what it refuses, and that stopping it by its PID
stops the server (Streamlit runs in its own process)."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from geodata import cli
from tests.browser.harness import start_server

REPO = Path(__file__).resolve().parents[2]


class Launch:
    """Stands in for running Streamlit in this process (and for a child process, which serve must not start)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: list[tuple[str, list[str]]] = []
        monkeypatch.setattr(cli, "_run_in_this_process", self._run)
        monkeypatch.setattr(subprocess, "call", self._child)
        monkeypatch.setattr(subprocess, "Popen", self._child)
        monkeypatch.setattr(os, "execv", self._child)

    def _run(self, argv: list[str]) -> None:
        self.calls.append(("run", argv))

    def _child(self, *args: object, **_: object) -> None:
        self.calls.append(("child", [str(a) for a in args]))
        raise AssertionError("envmap serve started another process")

    @property
    def streamlit(self) -> list[str]:
        (argv,) = [argv for kind, argv in self.calls if kind == "run"]
        return argv


class _OpenedStore:
    refreshed = False  # the evaluations the pages read were computed before the server started
    closed = False

    def close(self) -> None:
        self.closed = True


@pytest.fixture
def serve(monkeypatch):
    """``envmap serve ARGS`` with the store, the copy and the exec stood in for."""
    opened = _OpenedStore()
    monkeypatch.setattr("geodata.store.open_store", lambda *a, **k: opened)
    monkeypatch.setattr("geodata.derived.refresh", lambda store: setattr(store, "refreshed", True))

    def run(*args: str):  # noqa: ANN202
        launch = Launch(monkeypatch)
        launch.store = opened
        result = CliRunner().invoke(cli.main, ["serve", *args])
        return result, launch

    return run


def _flatten(table: dict, prefix: str = "") -> dict[str, object]:
    out: dict[str, object] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            out |= _flatten(value, f"{prefix}{key}.")
        else:
            out[f"{prefix}{key}"] = value
    return out


def test_serve_becomes_streamlit_through_dashboard_server_with_every_setting_of_the_config(serve):
    result, launch = serve("--port", "8600", "--host", "0.0.0.0", "--base-path", "/envmap/")
    assert result.exit_code == 0, result.output
    assert [kind for kind, _ in launch.calls] == ["run"]  # no second Python, for the map files or the server
    assert launch.store.refreshed and launch.store.closed  # evaluations ready before the first visitor
    argv = launch.streamlit
    assert argv[:5] == [sys.executable, "-m", "dashboard.server", "run", str(REPO / "dashboard" / "app.py")]
    settings = _flatten(tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8")))
    assert settings["server.enableStaticServing"] is True and settings["server.headless"] is True
    for key, value in settings.items():
        text = ("true" if value else "false") if isinstance(value, bool) else str(value)
        assert f"--{key}={text}" in argv
    # the options come last, so they win over the file
    assert argv[-3:] == ["--server.port=8600", "--server.address=0.0.0.0", "--server.baseUrlPath=envmap"]
    assert f"--secrets.files={REPO / '.streamlit' / 'secrets.toml'}" in argv


@pytest.mark.parametrize(
    ("given", "expected"),
    [("", ""), ("/", ""), ("/envmap", "envmap"), ("envmap/", "envmap"), ("/gis/envmap/", "gis/envmap"),
     ("/env-map_2.0", "env-map_2.0")],
)
def test_base_path_is_normalised_for_streamlit(serve, given, expected):
    result, launch = serve("--base-path", given)
    assert result.exit_code == 0, result.output
    assert launch.streamlit[-1] == f"--server.baseUrlPath={expected}"


@pytest.mark.parametrize("given", ["/../etc", "/env map", "/a//b", "https://host/envmap", "/envmap?x=1", "/一张图"])
def test_a_base_path_that_is_no_url_path_is_refused_in_chinese_before_anything_starts(serve, given):
    result, launch = serve("--base-path", given)
    assert result.exit_code == 2
    assert "路径前缀只能包含字母、数字" in result.output and given in result.output
    assert launch.calls == []


def test_without_the_streamlit_settings_serve_says_where_it_looked_and_starts_nothing(serve, monkeypatch, tmp_path):
    monkeypatch.setattr(cli, "STREAMLIT_CONFIG", tmp_path / ".streamlit" / "config.toml")
    result, launch = serve()
    assert result.exit_code == 1
    assert "找不到 Streamlit 设置文件" in result.output and str(tmp_path) in result.output
    assert launch.calls == []


def test_the_server_stops_with_status_1_and_says_why_when_the_map_files_cannot_be_copied(monkeypatch, capsys):
    from dashboard import assets, server, warmup

    def refuse(static_dir=None):  # noqa: ANN001, ANN202
        raise assets.AssetsUnavailable("无法写入地图前端文件 /srv/x（权限不够）")

    started: list[str] = []
    monkeypatch.setattr(assets, "ensure_vendor_assets", refuse)
    monkeypatch.setattr(warmup, "start", lambda: started.append("warmup"))
    monkeypatch.setattr("streamlit.web.cli.main", lambda **_: started.append("streamlit"))
    assert server.main(["run", str(REPO / "dashboard" / "app.py")]) == 1
    assert started == []  # neither the warmer nor Streamlit
    assert "无法写入地图前端文件" in capsys.readouterr().err


def _port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            return False
    with socket.socket() as listener:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # TIME_WAIT is not "in use"
        try:
            listener.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _processes_mentioning(text: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
            except OSError:
                continue
            if text in cmdline:
                found.append(int(entry.name))
    return found


def _serving(port: int) -> list[int]:
    """Processes whose command line names ``port`` as envmap's or Streamlit's."""
    return sorted(set(_processes_mentioning(f"--port {port}")) | set(_processes_mentioning(f"--server.port={port}")))


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs Linux /proc to look for left-over processes")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_stopping_envmap_serve_by_its_pid_stops_the_server_and_frees_the_port(tmp_path, sig):
    proc, url = start_server(tmp_path / "envmap.gpkg")
    port = int(url.rsplit(":", 1)[1])
    try:
        # the PID that was started is the server itself, not a parent of it: no other process serves the port
        assert "serve" in Path(f"/proc/{proc.pid}/cmdline").read_bytes().decode("utf-8", "replace")
        assert [pid for pid in _serving(port) if pid != proc.pid] == []
        os.kill(proc.pid, sig)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    left_over = _serving(port)
    for pid in left_over:  # do not leave them running when the test fails
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    assert left_over == []
    assert _port_is_free(port)


def test_python_m_dashboard_assets_puts_leaflet_where_streamlit_serves_it():
    done = subprocess.run([sys.executable, "-m", "dashboard.assets"], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert (Path(done.stdout.strip()) / "leaflet" / "leaflet.js").is_file()
