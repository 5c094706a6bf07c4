"""Leaflet and its plugins, served by the app itself (no CDN).

The files come from the xstatic packages (PyPI, pinned in ``constraints.txt``) and are copied
into ``dashboard/static/vendor/`` (git-ignored). Streamlit serves ``dashboard/static/`` at
``app/static/`` when ``server.enableStaticServing`` is on (``.streamlit/config.toml``); the
folder itself is part of the repository, so it exists when the server starts.

When the copy happens:

- ``make`` (install step) and ``envmap serve`` run ``python -m dashboard.assets`` before
  Streamlit starts, so the first request of the first visitor already finds every file;
- a plain ``streamlit run dashboard/app.py`` copies them when :mod:`dashboard.mapping` is first
  imported, which is before any page has produced a map that refers to them.

URLs are relative (:func:`static_url`), so they work under any ``server.baseUrlPath`` and behind
a reverse proxy that keeps or strips a path prefix.
"""

from __future__ import annotations

import filecmp
import os
import shutil
import sys
import tempfile
from pathlib import Path

from geodata.i18n import t

STATIC_DIR = Path(__file__).parent / "static"
VENDOR = "vendor"

FILES = {
    "leaflet": ("leaflet.js", "leaflet.css", "images/layers.png", "images/layers-2x.png",
                "images/marker-icon.png", "images/marker-icon-2x.png", "images/marker-shadow.png"),
    "markercluster": ("leaflet.markercluster.js", "MarkerCluster.css", "MarkerCluster.Default.css"),
}

# The map is drawn inside streamlit-folium's component iframe, whose document is
# ``<base>/component/streamlit_folium.st_folium/index.html``. Scripts and stylesheets the map
# loads resolve against that document, so going up two levels reaches ``<base>/`` — whatever
# ``<base>`` the browser used (``/``, ``/envmap/`` kept or stripped by a proxy). The browser
# tests (direct, behind a keep-prefix and a strip-prefix proxy) prove the depth is right.
_FROM_COMPONENT_TO_BASE = "../../"
_APP_STATIC = "app/static/"


class AssetsUnavailable(RuntimeError):
    """The vendored files cannot be copied (package missing, folder not writable)."""


def _packages() -> dict[str, Path]:
    try:
        import xstatic.pkg.leaflet as leaflet
        import xstatic.pkg.leaflet_markercluster as markercluster
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise AssetsUnavailable(t("assets_missing_package", package=exc.name)) from exc
    return {"leaflet": Path(leaflet.BASE_DIR), "markercluster": Path(markercluster.BASE_DIR)}


def _copy_atomically(source: Path, target: Path) -> None:
    """Copy so that a concurrent reader (another process, the web server) sees the old file or
    the new one, never half of one."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(fd, "wb") as out, source.open("rb") as src:
            shutil.copyfileobj(src, out)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def ensure_vendor_assets(static_dir: Path = STATIC_DIR) -> Path:
    """Copy the vendored files into ``static_dir/vendor`` where they are missing or differ.

    Returns the vendor folder. Raises :class:`AssetsUnavailable` with the fix when a file is
    missing and cannot be written; files that are present and identical need no write access.
    """
    target_root = static_dir / VENDOR
    for name, base in _packages().items():
        for rel in FILES[name]:
            source = base / rel
            target = target_root / name / rel
            if target.exists() and filecmp.cmp(source, target, shallow=False):
                continue
            try:
                _copy_atomically(source, target)
            except OSError as exc:
                raise AssetsUnavailable(
                    t("assets_not_writable", path=target, error=exc.strerror or exc, folder=static_dir)
                ) from exc
    return target_root


def static_url(path: str) -> str:
    """The URL of a file of ``dashboard/static``, for a map drawn in the component iframe."""
    return f"{_FROM_COMPONENT_TO_BASE}{_APP_STATIC}{path.lstrip('/')}"


def main(*, quiet: bool = False) -> int:
    """``python -m dashboard.assets``: copy the files now (and print where); a clear message and status 1
    if not. ``quiet``: print nothing on success (``dashboard.server`` before Streamlit starts)."""
    try:
        folder = ensure_vendor_assets()
    except AssetsUnavailable as exc:
        print(f"{t('error')}：{exc}", file=sys.stderr)
        return 1
    if not quiet:
        print(folder)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
