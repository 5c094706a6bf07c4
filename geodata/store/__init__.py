"""Choosing and opening the store.

The backend comes from configuration: ``ENVMAP_DATABASE_URL`` (a ``postgresql://`` URL,
for a server deployment) or ``ENVMAP_DB`` (a GeoPackage path). The default is a GeoPackage
under the user's data directory, never inside the repository. A new, empty store is filled
from the bundled dataset (``data/plans/*.csv``) on first use, unless ``ENVMAP_BUNDLED=0`` (a bureau that
wants only its own plans starts from an empty store).
"""

from __future__ import annotations

import os
from pathlib import Path

from geodata.errors import StoreError
from geodata.store.base import Store
from geodata.store.geopackage import GeoPackageStore

__all__ = ["Store", "GeoPackageStore", "open_store", "default_db_path"]


def default_db_path() -> Path:
    """``$ENVMAP_DB``, else ``$XDG_DATA_HOME/envmap/envmap.gpkg`` (``~/.local/share`` by default)."""
    if os.environ.get("ENVMAP_DB"):
        return Path(os.environ["ENVMAP_DB"]).expanduser()
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "envmap" / "envmap.gpkg"


def open_store(location: str | Path | None = None, *, load_bundled: bool = True) -> Store:
    """Open the configured store; fill it from the bundled dataset when it is new and empty."""
    url = str(location) if location else os.environ.get("ENVMAP_DATABASE_URL", "")
    if url.startswith(("postgresql://", "postgres://")):
        raise StoreError(
            "ENVMAP_DATABASE_URL 指向 PostgreSQL，但这一版本只提供 GeoPackage 存储。"
            "请删除 ENVMAP_DATABASE_URL，或用 ENVMAP_DB 指定 GeoPackage 文件路径。"
        )
    if url and "://" in url:
        raise StoreError(f"无法识别的数据库地址：{url}。可用：GeoPackage 文件路径（ENVMAP_DB）。")
    path = Path(url) if url else default_db_path()
    store = GeoPackageStore(path)
    if load_bundled and os.environ.get("ENVMAP_BUNDLED", "1") != "0":
        refresh_bundled(store)
    return store


def refresh_bundled(store: GeoPackageStore) -> bool:
    """Load the bundled dataset and layers when the store has not seen this version of them.

    Bundled documents are replaced by id (documents a user imported are untouched), so a
    new release's data reaches an existing store on its next start. Returns whether it loaded.
    """
    from geodata.geo.bundle import load_bundled_geo
    from geodata.plans.dataset import bundle_fingerprint, data_dir, load_bundled_dataset

    fingerprint = bundle_fingerprint()
    if store.meta("bundle") == fingerprint:
        return False
    load_bundled_dataset(store)
    load_bundled_geo(store, data_dir() / "geo")
    if os.environ.get("ENVMAP_SAMPLES", "1") != "0" and (not store.meta("bundle") or store.read_measurements(is_sample="1").shape[0]):
        # a first look shows colour: sample values, labelled 示例数据（非实测） wherever they appear
        from geodata.quality.samples import load_samples

        load_samples(store)
    store.set_meta("bundle", fingerprint)
    return True
