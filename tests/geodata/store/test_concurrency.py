"""Many users at once, on both backends: Streamlit serves every visitor of a process from threads
that share one cached store, and several processes may serve one store.

Writes either land whole or are refused with a Chinese message; none is lost; readers never
wait for a writer and never see half of an import.
"""

from __future__ import annotations

import copy
import datetime as dt
import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from geodata.errors import StoreBusy, StoreError
from geodata.plans.dataset import data_dir, read_dataset
from geodata.store import connect
from tests.accounts import account, report
from tests.conftest import REPO, seed

LINGCHUAN = "陵政办发〔2023〕13号"
JINCHENG = "晋市政办〔2022〕11号"


@pytest.fixture(scope="module")
def extractions():
    return {str(e.document["id"]): e for e in read_dataset(data_dir() / "plans")}


def _integrity(store) -> None:  # noqa: ANN001
    if store.backend == "geopackage":
        assert store.integrity_check() == "ok"
        conn = sqlite3.connect(store.path)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.close()


def _big_document(extraction, copies: int):  # noqa: ANN001, ANN202
    """A plan with ``copies`` × its tasks (a long import, like a province-wide ledger)."""
    big = copy.deepcopy(extraction)
    doc_id = "压力测试〔2023〕1号"
    big.document = {**big.document, "id": doc_id, "title": "压力测试合成计划（非真实）"}
    big.tables = {name: [{**r, "document_id": doc_id} for r in rows] for name, rows in big.tables.items()}
    big.tables["documents"] = [{**big.document}]
    tasks = extraction.tables["tasks"]
    big.tables["tasks"] = [{**tasks[k % len(tasks)], "id": f"压力/{k}", "document_id": doc_id}
                           for k in range(len(tasks) * copies)]
    return big


def test_ten_threads_recording_progress_lose_nothing(store, extractions):
    store.replace_document(extractions[LINGCHUAN])
    tasks = [t["id"] for t in extractions[LINGCHUAN].tables["tasks"]][:10]
    for n in range(10):
        account(store, f"填报人{n}")
    start = threading.Barrier(10)
    written: list[int] = []
    refused: list[str] = []
    unexpected: list[BaseException] = []
    version = store.data_version()

    def reporter(n: int) -> None:
        start.wait()
        for k in range(20):
            try:
                fid = report(store, tasks[n], f"第{n}组第{k}次", dt.date(2023, 5, 1 + k), by=f"填报人{n}")
                written.append(fid)
            except StoreBusy as exc:  # allowed: refused whole, with a message
                refused.append(str(exc))
            except BaseException as exc:  # noqa: BLE001 - anything else is a failure of the store
                unexpected.append(exc)

    threads = [threading.Thread(target=reporter, args=(n,)) for n in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert unexpected == []
    assert len(written) + len(refused) == 200
    assert all("数据库正忙" in m for m in refused)
    history = store.task_events()
    assert sorted(history["fid"]) == sorted(written) and len(set(written)) == len(written)
    assert store.data_version() == version + len(written)
    for n in range(10):
        mine = history[history["actor"] == f"填报人{n}"]
        assert set(mine["task_id"]) <= {tasks[n]}
    assert len(written) == 200  # with the default wait, nobody is even refused
    _integrity(store)


def test_two_imports_started_together_both_land_whole(store, extractions):
    results: dict[str, object] = {}
    start = threading.Barrier(2)

    def run(doc: str) -> None:
        start.wait()
        try:
            results[doc] = store.replace_document(extractions[doc])
        except StoreError as exc:
            results[doc] = exc

    threads = [threading.Thread(target=run, args=(d,)) for d in (JINCHENG, LINGCHUAN)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(isinstance(r, dict) for r in results.values()), results
    assert sorted(store.document_ids()) == sorted([JINCHENG, LINGCHUAN])
    for doc in (JINCHENG, LINGCHUAN):
        assert len(store.read_table("tasks", document_id=doc)) == len(extractions[doc].tables["tasks"])
    _integrity(store)


def test_a_long_import_while_five_readers_and_five_writers_run(store, extractions):
    store.replace_document(extractions[LINGCHUAN])
    big = _big_document(extractions[JINCHENG], copies=60)
    before = len(store.read_table("tasks"))
    after = before + len(big.tables["tasks"])
    tasks = [t["id"] for t in extractions[LINGCHUAN].tables["tasks"]][:5]
    account(store)
    importing, done = threading.Event(), threading.Event()
    seen_counts: set[int] = set()
    reads_during: list[int] = []
    failures: list[BaseException] = []
    written: list[int] = []

    def importer() -> None:
        importing.set()
        try:
            store.replace_document(big)
        except BaseException as exc:  # noqa: BLE001
            failures.append(exc)
        finally:
            done.set()

    def reader() -> None:
        importing.wait()
        for _ in range(5000):  # bounded; ends as soon as the import is done
            finished = done.is_set()
            try:
                seen_counts.add(len(store.read_table("tasks")))
                store.data_version()
            except BaseException as exc:  # noqa: BLE001
                failures.append(exc)
                return
            if finished:
                return
            reads_during.append(1)
            done.wait(0.01)

    def writer(n: int) -> None:
        importing.wait()
        for k in range(5):
            try:
                written.append(report(store, tasks[n], f"导入期间写入{n}-{k}", dt.date(2023, 6, 1 + k)))
            except BaseException as exc:  # noqa: BLE001
                failures.append(exc)

    threads = ([threading.Thread(target=importer)] + [threading.Thread(target=reader) for _ in range(5)]
               + [threading.Thread(target=writer, args=(n,)) for n in range(5)])
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    assert seen_counts <= {before, after}  # every read saw the whole import or none of it
    assert after in seen_counts
    assert reads_during, "readers were blocked for the whole import"
    assert len(written) == 25 and len(store.task_events()) == 25
    assert len(store.read_table("tasks")) == after
    _integrity(store)


def test_two_import_processes_on_one_geopackage(tmp_path):
    """Two `envmap import-plan` started together: both finish, or one says in Chinese why not."""
    db = tmp_path / "envmap.gpkg"
    env = {**os.environ, "ENVMAP_DB": str(db), "ENVMAP_SAMPLES": "0", "PYTHONPATH": str(REPO)}
    env.pop("ENVMAP_DATABASE_URL", None)
    boot = subprocess.run([sys.executable, "-m", "geodata.cli", "samples", "--remove"], env=env, capture_output=True,
                          text=True, timeout=300, cwd=REPO)
    assert boot.returncode == 0, boot.stderr
    procs = [subprocess.Popen([sys.executable, "-m", "geodata.cli", "import-plan", str(seed(p))], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO)
             for p in ("002", "003")]
    outputs = [p.communicate(timeout=300) for p in procs]
    for proc, (_out, err) in zip(procs, outputs, strict=True):
        assert "Traceback" not in err, err
        assert proc.returncode == 0 or "数据库正忙" in err, err
    store = connect(db)
    assert len(store.document_ids()) == 5
    assert store.integrity_check() == "ok"
    assert Path(db).exists()
    store.close()
