"""Leaflet and its plugins, served by the app itself (no CDN).

The files come from the xstatic packages (PyPI) and are copied, at start-up, into
``dashboard/static/vendor/`` (git-ignored), which Streamlit serves at ``/app/static/``
when ``server.enableStaticServing`` is on (``.streamlit/config.toml``).
"""

from __future__ import annotations

import shutil
from pathlib import Path

STATIC_DIR = Path(__file__).parent / "static"
VENDOR = "vendor"


def _packages() -> dict[str, Path]:
    import xstatic.pkg.leaflet as leaflet
    import xstatic.pkg.leaflet_markercluster as markercluster

    return {"leaflet": Path(leaflet.BASE_DIR), "markercluster": Path(markercluster.BASE_DIR)}


FILES = {
    "leaflet": ("leaflet.js", "leaflet.css", "images/layers.png", "images/layers-2x.png",
                "images/marker-icon.png", "images/marker-icon-2x.png", "images/marker-shadow.png"),
    "markercluster": ("leaflet.markercluster.js", "MarkerCluster.css", "MarkerCluster.Default.css"),
}


def ensure_vendor_assets(static_dir: Path = STATIC_DIR) -> Path:
    """Copy the vendored files into ``static_dir/vendor`` if they are missing or stale."""
    target_root = static_dir / VENDOR
    for name, base in _packages().items():
        for rel in FILES[name]:
            source = base / rel
            target = target_root / name / rel
            if not target.exists() or target.stat().st_size != source.stat().st_size:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target)
    return target_root


def static_url(path: str, base_url_path: str = "") -> str:
    """The URL of a file of ``dashboard/static`` as the browser sees it."""
    prefix = "/" + base_url_path.strip("/") if base_url_path.strip("/") else ""
    return f"{prefix}/app/static/{path}"
