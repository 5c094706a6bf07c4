"""Choosing and opening the store.

The backend comes from configuration: ``ENVMAP_DATABASE_URL`` (a ``postgresql://`` URL,
for a server deployment: :class:`~geodata.store.postgis.PostGISStore`) or ``ENVMAP_DB`` (a
GeoPackage path: :class:`~geodata.store.geopackage.GeoPackageStore`). The default is a
GeoPackage under the user's data directory, never inside the repository. A new, empty store
is filled from the bundled dataset (``data/plans/*.csv``, ``data/geo/*.geojson``) on first
use (unless ``ENVMAP_BUNDLED=0``: a bureau that wants only its own plans starts from an empty
store); a store made by an older release is upgraded in place (``envmap db upgrade``).
"""

from __future__ import annotations

import os
from pathlib import Path

from geodata import i18n
from geodata.errors import StoreError
from geodata.store.base import Store, StoreStatus
from geodata.store.geopackage import GeoPackageStore

__all__ = ["Store", "StoreStatus", "GeoPackageStore", "open_store", "connect", "default_db_path", "refresh_bundled",
           "is_postgres_url", "configured_location"]

_PG_SCHEMES = ("postgresql://", "postgres://")


def default_db_path() -> Path:
    """``$ENVMAP_DB``, else ``$XDG_DATA_HOME/envmap/envmap.gpkg`` (``~/.local/share`` by default)."""
    if os.environ.get("ENVMAP_DB"):
        return Path(os.environ["ENVMAP_DB"]).expanduser()
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "envmap" / "envmap.gpkg"


def is_postgres_url(location: str | Path | None) -> bool:
    return str(location or "").startswith(_PG_SCHEMES)


def configured_location(location: str | Path | None = None) -> str:
    """Where the store is: ``location``, else ``ENVMAP_DATABASE_URL``, else the GeoPackage path."""
    if location:
        return str(location)
    return os.environ.get("ENVMAP_DATABASE_URL", "") or str(default_db_path())


def connect(location: str | Path | None = None, *, read_only: bool | None = None, upgrade: bool = True) -> Store:
    """Open the store at ``location`` (a GeoPackage path or a ``postgresql://`` URL) as it is."""
    where = configured_location(location)
    if is_postgres_url(where):
        from geodata.store.postgis import PostGISStore

        return PostGISStore(where, read_only=read_only, upgrade=upgrade)
    if "://" in where:
        raise StoreError(i18n.t("store_unknown_url", url=where))
    return GeoPackageStore(Path(where), read_only=read_only, upgrade=upgrade)


def open_store(location: str | Path | None = None, *, load_bundled: bool = True, read_only: bool | None = None) -> Store:
    """Open the configured store; fill it from the bundled dataset when it is new (or the
    bundled data changed). A read-only store is served as it is."""
    store = connect(location, read_only=read_only)
    if load_bundled and not store.read_only and os.environ.get("ENVMAP_BUNDLED", "1") != "0":
        refresh_bundled(store)
    return store


def refresh_bundled(store: Store) -> bool:
    """Load the bundled dataset and layers when the store has not seen this version of them.

    Bundled documents are replaced by id (documents a user imported are untouched), so a
    new release's data reaches an existing store on its next start; locations a user
    imported survive. Returns whether it loaded.
    """
    from geodata.geo.bundle import load_bundled_geo
    from geodata.plans.dataset import bundle_fingerprint, data_dir, load_bundled_dataset

    fingerprint = bundle_fingerprint()
    if store.meta("bundle") == fingerprint:
        return False
    first = not store.meta("bundle")
    load_bundled_dataset(store)
    load_bundled_geo(store, data_dir() / "geo")
    if os.environ.get("ENVMAP_SAMPLES", "1") != "0" and (first or store.read_measurements(is_sample="1").shape[0]):
        # a first look shows colour: sample values, labelled 示例数据（非实测） wherever they appear
        from geodata.quality.samples import load_samples

        load_samples(store)
    store.set_meta("bundle", fingerprint)
    return True
