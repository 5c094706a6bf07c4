"""A store made before supervision (schema 2, ``task_updates``) upgraded: every report kept as an event,
"done" awaiting verification, and the timeliness of a verified task counted from the old report's date.

The fixture ``fixtures/envmap-fa9db27.gpkg.gz`` was written by the code of commit fa9db27
(``fixtures/make_v2_store.py`` says how).
"""

from __future__ import annotations

import datetime as dt
import gzip
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from geodata.cli import main
from geodata.status import DONE_LATE, DONE_ON_TIME, OVERDUE, with_status
from geodata.store import GeoPackageStore
from geodata.store.migrations import LEGACY_ACTOR, LEGACY_ROLE
from geodata.store.schema import SCHEMA_VERSION
from geodata.supervision import APPLIED, CLOSED, WORKING
from tests.accounts import account

FIXTURE = Path(__file__).parent / "fixtures" / "envmap-fa9db27-progress.gpkg.gz"


@pytest.fixture
def v2_store(tmp_path) -> Path:
    path = tmp_path / "envmap.gpkg"
    with gzip.open(FIXTURE) as src, path.open("wb") as dst:
        shutil.copyfileobj(src, dst)
    return path


def _old_reports(path: Path) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT fid, task_id, status, note, reported_by, reported_on, recorded_at, source "
                            "FROM task_updates ORDER BY fid").fetchall()
    finally:
        conn.close()


def test_the_upgrade_turns_reports_into_events_and_says_so(v2_store):
    old = _old_reports(v2_store)
    assert [r[2] for r in old] == ["in_progress", "done", "done", "in_progress"]
    result = CliRunner().invoke(main, ["db", "upgrade", "--db", str(v2_store)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert f"从结构版本 2 升级到 {SCHEMA_VERSION}" in result.output
    assert "task_updates → task_events (2 progress, 2 已完成 → 申请销号)" in result.output
    assert v2_store.with_name("envmap.v2-backup.gpkg").exists()  # the old table survives in the backup
    store = GeoPackageStore(v2_store)
    events = store.task_events()
    assert [(r.fid, r.task_id, r.kind, r.note, r.event_date, r.recorded_at) for r in events.itertuples()] == [
        (fid, task, "apply_close" if status == "done" else "progress", note, on, at)
        for fid, task, status, note, _by, on, at, _source in old]
    assert list(events["actor"]) == ["县生态环境局 张三", "县生态环境局 张三", LEGACY_ACTOR, "县水利局"]
    assert set(events["actor_role"]) == {LEGACY_ROLE} and set(events["source"]) == {"task_updates:ui"}
    conn = sqlite3.connect(v2_store)
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'task_updates'").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM gpkg_contents WHERE table_name = 'task_updates'").fetchone()[0] == 0
    conn.close()
    store.close()


def test_an_old_done_awaits_verification_and_counts_from_its_own_date_once_verified(v2_store):
    old = _old_reports(v2_store)
    on_time, late, working = old[1][1], old[2][1], old[3][1]
    store = GeoPackageStore(v2_store)  # opening upgrades, as `envmap serve` does
    tasks = store.read_table("tasks")
    deadline = dict(zip(tasks["id"], tasks["deadline"], strict=True))
    after = dt.date.fromisoformat(deadline[late]) + dt.timedelta(days=40)

    def state(day: dt.date):  # noqa: ANN202
        frame = with_status(tasks, store.task_events(), day).set_index("id")
        return {tid: (frame.loc[tid, "status"], frame.loc[tid, "workflow"]) for tid in (on_time, late, working)}

    before = state(after)
    assert before[on_time] == (OVERDUE, APPLIED)  # typed "done" is no longer done: it awaits 销号
    assert before[late] == (OVERDUE, APPLIED)
    assert before[working] == (OVERDUE, WORKING)

    account(store, "督办员")
    for tid in (on_time, late):
        store.record_event(tid, "close", by="督办员", event_date=after, note="核验通过")
    verified = state(after)
    assert verified[on_time] == (DONE_ON_TIME, CLOSED)  # the old report's date counts, not the verification's
    assert verified[late] == (DONE_LATE, CLOSED)
    frame = with_status(tasks, store.task_events(), after).set_index("id")
    assert frame.loc[late, "days_overdue"] == 10
    # as of a day before the verification the task was still awaiting it
    assert state(after - dt.timedelta(days=1))[on_time] == (OVERDUE, APPLIED)
    store.close()


def test_the_upgrade_is_one_transaction(v2_store, monkeypatch):
    from geodata.store import migrations

    original = v2_store.read_bytes()

    real = migrations.GEOPACKAGE_STEPS[4]

    def failing(tx):  # noqa: ANN001
        real(tx)  # every row moved and the old table dropped, then the power goes
        raise RuntimeError("断电（测试）")

    monkeypatch.setitem(migrations.GEOPACKAGE_STEPS, 4, failing)
    with pytest.raises(RuntimeError, match="断电"):
        GeoPackageStore(v2_store)
    assert v2_store.read_bytes() == original
    assert [r[2] for r in _old_reports(v2_store)] == ["in_progress", "done", "done", "in_progress"]


def test_a_postgis_store_of_version_2_is_upgraded_the_same_way(pg_schema):
    """PostGIS stores exist from version 2 on: the old table, laid out as that release made it."""
    import psycopg

    from geodata.plans.dataset import data_dir, read_dataset
    from geodata.store import connect

    store = connect(pg_schema)
    (doc,) = [e for e in read_dataset(data_dir() / "plans") if e.document["id"] == "陵政办发〔2023〕13号"]
    store.replace_document(doc)
    task = doc.tables["tasks"][0]["id"]
    store.close()
    with psycopg.connect(pg_schema, autocommit=True) as conn:  # what release fa9db27 created
        for name in ("task_events", "task_evidence", "users", "sign_ins", "audit_log"):
            conn.execute(f'DROP TABLE "{name}"')
        conn.execute('CREATE TABLE "task_updates" ("fid" BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, '
                     '"task_id" TEXT NOT NULL, "status" TEXT NOT NULL, "note" TEXT, "reported_by" TEXT, '
                     '"reported_on" DATE NOT NULL, "recorded_at" TEXT NOT NULL, "source" TEXT)')
        conn.execute('INSERT INTO "task_updates" ("task_id", "status", "note", "reported_by", "reported_on", "recorded_at", '
                     '"source") VALUES (%s, %s, %s, %s, %s, %s, %s), (%s, %s, %s, %s, %s, %s, %s)',
                     (task, "in_progress", "测试用：开工", "县局", "2023-05-01", "2023-05-01T08:00:00Z", "ui",
                      task, "done", "测试用：完成", None, "2023-06-01", "2023-06-01T08:00:00Z", "ui"))
        conn.execute("UPDATE envmap_meta SET value = '2' WHERE key = 'schema_version'")
    upgraded = connect(pg_schema)
    assert upgraded.schema_version() == SCHEMA_VERSION
    events = upgraded.task_events()
    assert list(events["kind"]) == ["progress", "apply_close"]
    assert list(events["actor"]) == ["县局", LEGACY_ACTOR] and list(events["event_date"]) == ["2023-05-01", "2023-06-01"]
    account(upgraded, "督办员")
    fid = upgraded.record_event(task, "close", by="督办员", event_date=dt.date(2023, 6, 5), note="核验通过")
    assert fid == 3  # ids continue after the moved rows
    upgraded.close()
