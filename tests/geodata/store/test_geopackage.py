"""The GeoPackage store: a real GeoPackage, transactions, replace-on-reimport."""

from __future__ import annotations

import sqlite3

import pytest

from geodata.errors import StoreError, UnknownTable
from geodata.model import TABLES
from geodata.plans.extract import extract_document
from geodata.store import GeoPackageStore, open_store
from tests.conftest import seed


@pytest.fixture(scope="module")
def jincheng():
    return extract_document(seed("003"))


def _counts(store) -> dict[str, int]:
    return {name: len(store.read_table(name)) for name in TABLES}


def test_file_is_a_geopackage_listing_every_table(tmp_path):
    path = tmp_path / "s.gpkg"
    GeoPackageStore(path).close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == 0x47504B47
    listed = {r[0] for r in conn.execute("SELECT table_name FROM gpkg_contents")}
    assert set(TABLES) <= listed
    assert conn.execute("SELECT count(*) FROM gpkg_spatial_ref_sys WHERE srs_id = 4326").fetchone()[0] == 1


def test_reimporting_a_document_replaces_only_its_records(tmp_path, jincheng):
    store = GeoPackageStore(tmp_path / "s.gpkg")
    other = extract_document(seed("004"))
    store.replace_document(other)
    store.replace_document(jincheng)
    before = _counts(store)
    version = store.data_version()
    store.replace_document(jincheng)
    assert _counts(store) == before
    assert store.data_version() == version + 1
    assert store.document_ids() == ["陵政办发〔2023〕13号", "晋市政办〔2022〕11号"]


def test_a_failing_write_leaves_the_store_unchanged(tmp_path, jincheng):
    store = GeoPackageStore(tmp_path / "s.gpkg")
    store.replace_document(jincheng)
    before = _counts(store)
    broken = extract_document(seed("003"))
    broken.tables["tasks"] = broken.tables["tasks"][:3] + [{"id": object()}]  # not storable: fails mid-write
    with pytest.raises(sqlite3.Error):
        store.replace_document(broken)
    assert _counts(store) == before


def test_read_table_filters_and_names_unknown_tables(tmp_path, jincheng):
    store = GeoPackageStore(tmp_path / "s.gpkg")
    store.replace_document(jincheng)
    assert set(store.read_table("sections", county="陵川县")["name"]) == {"台北村", "桥西村"}
    with pytest.raises(UnknownTable, match="可用的表"):
        store.read_table("nope")
    with pytest.raises(StoreError, match="没有列"):
        store.read_table("sections", colour="red")


def test_a_section_named_by_two_documents_is_one_row(tmp_path, jincheng):
    store = GeoPackageStore(tmp_path / "s.gpkg")
    store.replace_document(jincheng)
    store.replace_document(extract_document(seed("004")))
    sections = store.read_table("sections")
    assert sections["id"].is_unique
    assert (sections["id"] == "晋城市:台北村").sum() == 1
    targets = store.read_table("section_targets", section_id="晋城市:台北村")
    assert sorted(zip(targets["year"], targets["target_class"], strict=True)) == [(2022, "Ⅳ"), (2023, "Ⅲ")]


def test_new_store_is_filled_from_the_bundled_dataset(db_path):
    store = open_store()
    assert len(store.document_ids()) == 5
    assert len(store.read_table("air_targets")) == 312


def test_postgres_url_gets_a_clear_message(monkeypatch):
    monkeypatch.setenv("ENVMAP_DATABASE_URL", "postgresql://localhost/envmap")
    with pytest.raises(StoreError, match="GeoPackage"):
        open_store()
