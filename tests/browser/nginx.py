"""The README's nginx configuration, run on loopback: TLS, sign-in, two envmap processes.

The configuration under test is the one a deployer copies: the ``nginx`` block of the README's
"反向代理" section. Only what cannot be the same on a test machine is substituted (ports,
certificate and password-file paths); every substitution must match exactly once, so a README
edit that breaks this test's assumptions fails loudly instead of testing something else.
"""

from __future__ import annotations

import getpass
import os
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path

from tests.browser.harness import REPO

NGINX = os.environ.get("ENVMAP_NGINX") or shutil.which("nginx") or "/usr/sbin/nginx"
USER, PASSWORD = "zhangsan", "envmap-测试-口令"


def readme_nginx_config() -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("### 反向代理", 1)[1].split("\n### ", 1)[0]
    (block,) = re.findall(r"```nginx\n(.*?)```", section, flags=re.S)
    return block


def _replace_once(text: str, old: str, new: str) -> str:
    count = text.count(old)
    assert count == 1, f"README nginx block: expected {old!r} once, found it {count} times"
    return text.replace(old, new)


def render(config: str, *, http_port: int, https_port: int, upstreams: list[int], tls: Path,
           htpasswd: Path, strip_prefix: bool) -> str:
    """The README block with this machine's ports and files; ``strip_prefix`` turns
    ``proxy_pass http://envmap;`` into the prefix-stripping ``proxy_pass http://envmap/;``."""
    config = _replace_once(config, "listen 80;", f"listen 127.0.0.1:{http_port};")
    config = _replace_once(config, "listen 443 ssl;", f"listen 127.0.0.1:{https_port} ssl;")
    config = _replace_once(config, "/etc/nginx/tls/envmap.crt", str(tls / "envmap.crt"))
    config = _replace_once(config, "/etc/nginx/tls/envmap.key", str(tls / "envmap.key"))
    config = _replace_once(config, "/etc/nginx/envmap.htpasswd", str(htpasswd))
    servers = re.findall(r"^\s*server 127\.0\.0\.1:\d+;\n", config, flags=re.M)
    assert len(servers) == 2, f"README nginx block: expected two upstream servers, found {servers}"
    config = config.replace(servers[0], "".join(f"    server 127.0.0.1:{p};\n" for p in upstreams), 1)
    config = config.replace(servers[1], "", 1)
    if strip_prefix:
        config = _replace_once(config, "proxy_pass http://envmap;", "proxy_pass http://envmap/;")
    return config


def make_tls(folder: Path) -> Path:
    """A throwaway self-signed certificate for 127.0.0.1 (the browser is told to accept it)."""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(folder / "envmap.key"),
         "-out", str(folder / "envmap.crt")],
        check=True, capture_output=True,
    )
    return folder


def make_htpasswd(path: Path) -> Path:
    """The README's ``openssl passwd -6`` recipe."""
    hashed = subprocess.run(["openssl", "passwd", "-6", "-stdin"], input=PASSWORD.encode(), check=True,
                            capture_output=True).stdout.decode().strip()
    path.write_text(f"{USER}:{hashed}\n", encoding="utf-8")
    return path


class Nginx:
    """nginx in the foreground with the given ``server``-level configuration, logging every
    request with the upstream that answered it."""

    def __init__(self, folder: Path, config: str, port: int) -> None:
        self.folder = folder
        self.port = port
        self.access_log = folder / "access.log"
        folder.mkdir(parents=True, exist_ok=True)
        temp = {name: folder / name for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")}
        user = f"user {getpass.getuser()};" if os.geteuid() == 0 else ""  # workers read the test's files
        (folder / "nginx.conf").write_text(
            f"""daemon off;
{user}
worker_processes 1;
pid {folder / "nginx.pid"};
error_log {folder / "error.log"} info;
events {{ worker_connections 512; }}
http {{
    log_format envmap '$status $upstream_addr route=$envmap_route "$request"';
    access_log {self.access_log} envmap;
    client_body_temp_path {temp["client_body"]};
    proxy_temp_path {temp["proxy"]};
    fastcgi_temp_path {temp["fastcgi"]};
    uwsgi_temp_path {temp["uwsgi"]};
    scgi_temp_path {temp["scgi"]};
{config}
}}
""",
            encoding="utf-8",
        )
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> Nginx:
        conf = str(self.folder / "nginx.conf")
        check = subprocess.run([NGINX, "-t", "-p", str(self.folder), "-e", "stderr", "-c", conf],
                               capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
        self.proc = subprocess.Popen([NGINX, "-p", str(self.folder), "-e", str(self.folder / "error.log"), "-c", conf],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        deadline = time.time() + 20
        while time.time() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return self
            assert self.proc.poll() is None, (self.folder / "error.log").read_text(encoding="utf-8")
            time.sleep(0.2)
        raise RuntimeError("nginx did not start listening within 20 s")

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()

    def log(self) -> list[str]:
        return self.access_log.read_text(encoding="utf-8").splitlines() if self.access_log.exists() else []


