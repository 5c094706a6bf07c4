"""The computed class against the source's own 水质类别, file by file, with every difference explained.

Files: the national automatic-station platform's table as saved on four days of November 2025
and fifteen times in February 2026, and two published weekly reports (tests/fixtures/monitoring,
README.md gives their sources). The platform evaluates each station with its own waterbody list;
the station list it shows (所属河流, ``cnemc_sites.csv``) gives ours through the naming rule.
"""

from __future__ import annotations

import pytest

from geodata.quality.evaluate_file import SiteList, evaluate_file
from geodata.quality.monitoring import import_monitoring
from geodata.store import open_store
from tests.conftest import REPO

FIXTURES = REPO / "tests" / "fixtures" / "monitoring"
SITES = SiteList.read(FIXTURES / "cnemc_sites.csv")

# file → (year, rows with a published class, agreeing rows, the stations that differ)
EXPECTED = {
    "cnemc_2025-11-06.xlsx": (2025, 1593, 1591, {"湘家荡", "大隆水库出口"}),
    "cnemc_2025-11-07_gbk.csv": (2025, 1565, 1564, {"湘家荡"}),
    "cnemc_2025-11-08.csv": (2025, 1569, 1568, {"湘家荡"}),
    "cnemc_2025-11-18.csv": (2025, 1576, 1575, {"湘家荡"}),
    "cnemc_2025-11-18_with_river.csv": (2025, 1576, 1575, {"湘家荡"}),
    "cnemc_2026-02_hourly.csv": (2026, 343, 342, {"湘家荡"}),
    "variant_shanxi_no_province.csv": (2025, 37, 37, set()),
    "variant_shanxi_pasted.tsv": (2025, 37, 37, set()),
    "report_hunan_2019w02.csv": (2019, 5, 5, set()),
    "report_national_2007w02.csv": (2007, 6, 6, set()),
}


@pytest.fixture(scope="module")
def results():
    return {name: evaluate_file(FIXTURES / name, year=year, sites=SITES) for name, (year, *_rest) in EXPECTED.items()}


@pytest.mark.parametrize("name", EXPECTED)
def test_agreement_per_file_is_at_least_99_percent(results, name):
    _year, rows, agree, differing = EXPECTED[name]
    agreement = results[name].agreement
    assert (agreement["rows"], agreement["agree"]) == (rows, agree)
    assert agreement["share"] >= 99.0
    assert set(agreement["differences"]["site"]) == differing


def _class_with(result, site: str, waterbody: str) -> set[tuple[str, str]]:
    """(computed, published) of the site's differing rows, recomputed with ``waterbody``."""
    rows = result.agreement["differences"]
    rows = rows[rows["site"] == site]
    return set(zip(rows["class"], rows["reported_class"], strict=True)), waterbody


def test_xiangjiadang_is_a_lake_the_platform_evaluates_as_a_river(results, tmp_path):
    """湘家荡 (嘉兴) is a lake — its name ends in 荡 and its 所属河流 is itself — so we use the 湖、库
    总磷 limits; the platform evaluates it with river limits. Recomputed as a river, every one of
    its rows equals the published class; no other difference is left in those files."""
    for name, result in results.items():
        diff = result.agreement["differences"]
        rows = diff[diff["site"] == "湘家荡"]
        for row in rows.itertuples():
            assert row.waterbody == "lake"
            as_river = evaluate_file(FIXTURES / name, "surface", "river", year=EXPECTED[name][0])
            frame = as_river.frame
            again = frame[(frame["site"] == "湘家荡") & (frame["date"] == row.date) & (frame["time"] == row.time)]
            assert list(again["class"]) == [row.reported_class]


def test_dalong_reservoir_outlet_is_evaluated_by_the_platform_with_lake_limits_once(results):
    """大隆水库出口 (三亚): our rule evaluates reservoir outlets as rivers, as the platform does for
    汾河水库出口, 册田水库出口 and the other outlets whose 所属河流 is a river; the platform lists
    this one under 所属河流 “大隆水库” and on 11-06 its 总磷 0.019 decides: river Ⅰ (≤ 0.02), lake
    Ⅱ (> 0.01) — the published Ⅱ. On the other three days the two bases give the same class."""
    diff = results["cnemc_2025-11-06.xlsx"].agreement["differences"]
    row = diff[diff["site"] == "大隆水库出口"].iloc[0]
    assert (row["class"], row["reported_class"], row["waterbody"]) == ("Ⅰ", "Ⅱ", "river")
    as_lake = evaluate_file(FIXTURES / "cnemc_2025-11-06.xlsx", "surface", "lake", year=2025).frame
    assert as_lake[as_lake["site"] == "大隆水库出口"]["class"].iloc[0] == "Ⅱ"


def test_every_reservoir_outlet_with_a_river_agrees(results):
    frame = results["cnemc_2025-11-18.csv"].frame
    outlets = frame[frame["site"].str.endswith("水库出口") & (frame["reported_class"] != "")]
    assert len(outlets) >= 8
    assert (outlets["class"] == outlets["reported_class"]).all()
    assert set(outlets["waterbody"]) == {"river"}


def test_without_a_station_list_the_differences_are_the_lakes_we_cannot_tell(results):
    """The bare export has no 所属河流: lakes named like rivers (兰山嘴 in 太湖) are evaluated as
    rivers. The agreement is lower, and every difference is a station the list makes a lake or
    a river other than its name suggests."""
    bare = evaluate_file(FIXTURES / "cnemc_2025-11-18.csv", year=2025)
    agreement = bare.agreement
    assert 95.0 < agreement["share"] < 99.0
    listed = {(r.province, r.site): r.waterbody for r in results["cnemc_2025-11-18.csv"].frame.itertuples()}
    for row in agreement["differences"].itertuples():
        if row.site == "湘家荡":
            continue
        assert listed[(row.province, row.site)] != row.waterbody, row.site


def test_the_export_imports_without_any_manual_edit_and_agrees_in_the_store(location, monkeypatch):
    """The platform's table, as saved, into a fresh store: the stations become sections (with
    their 所属河流 from the scraper's variant), and the bare exports of the other days then match
    those sections by province and name and agree as well."""
    monkeypatch.setenv("ENVMAP_SAMPLES", "0")
    store = open_store(location)
    first = import_monitoring(FIXTURES / "cnemc_2025-11-18_with_river.csv", store, year=2025, new_sites="import")
    assert first["new_sites"] > 1500 and first["agreement"]["share"] >= 99.9
    for name in ("cnemc_2025-11-06.xlsx", "cnemc_2025-11-07_gbk.csv", "cnemc_2025-11-08.csv"):
        result = import_monitoring(FIXTURES / name, store, year=2025, new_sites="import")
        assert result["agreement"]["share"] >= 99.8, name
        assert result["new_sites"] < 20, name  # stations reporting on one day only
    hourly = import_monitoring(FIXTURES / "cnemc_2026-02_hourly.csv", store, year=2026, new_sites="import")
    assert hourly["agreement"]["share"] >= 99.7
    assert hourly["method"] == "auto"
