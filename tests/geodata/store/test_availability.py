"""The store read-only, locked or gone: writes refused with a message, reads served where they
can be, never half of a write. GeoPackage and PostGIS each meet these in their own way.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import textwrap
import threading

import pytest

from geodata.errors import StoreBusy, StoreReadOnly, StoreUnavailable
from geodata.plans.dataset import data_dir, read_dataset
from geodata.store import GeoPackageStore, connect, open_store
from tests.accounts import account, report
from tests.conftest import REPO

LINGCHUAN = "陵政办发〔2023〕13号"


@pytest.fixture(scope="module")
def lingchuan():
    (extraction,) = [e for e in read_dataset(data_dir() / "plans") if e.document["id"] == LINGCHUAN]
    return extraction


@pytest.fixture
def task(store, lingchuan) -> str:
    store.replace_document(lingchuan)
    account(store)
    return lingchuan.tables["tasks"][0]["id"]


def _report(store, task: str, note: str = "进展") -> int:  # noqa: ANN001
    return report(store, task, note, dt.date(2023, 6, 1))


def _notes(store, task: str | None = None) -> list[str]:  # noqa: ANN001
    return list(store.task_events(task)["note"])


# -- read-only --------------------------------------------------------------------------------


def test_a_read_only_store_serves_reads_and_refuses_writes_with_a_message(store, task, location):
    _report(store, task, "只读之前")
    viewer = connect(location, read_only=True)
    try:
        assert len(viewer.read_table("tasks")) == len(store.read_table("tasks"))
        assert _notes(viewer, task) == ["只读之前"]
        version = viewer.data_version()
        with pytest.raises(StoreReadOnly, match="只读"):
            _report(viewer, task, "不应写入")
        with pytest.raises(StoreReadOnly):
            viewer.delete_samples()
        state = viewer.status()
        assert state.readable and not state.writable and "只读" in state.message
        assert viewer.data_version() == version
        assert _notes(store, task) == ["只读之前"]
    finally:
        viewer.close()


def test_envmap_read_only_opens_a_viewer_without_loading_anything(tmp_path, monkeypatch):
    path = tmp_path / "envmap.gpkg"
    open_store(path).close()
    monkeypatch.setenv("ENVMAP_READ_ONLY", "1")
    conn = sqlite3.connect(path)
    conn.execute("UPDATE envmap_meta SET value = 'old' WHERE key = 'bundle'")  # a new release's data is waiting
    conn.commit()
    conn.close()
    viewer = open_store(path)
    assert viewer.read_only and viewer.meta("bundle") == "old"  # served as it is: no write was attempted
    assert len(viewer.document_ids()) == 5
    viewer.close()


def test_a_postgres_account_without_write_rights_is_told_so(pg_schema, lingchuan):
    import psycopg

    owner = connect(pg_schema)
    owner.replace_document(lingchuan)
    account(owner)
    task = lingchuan.tables["tasks"][0]["id"]
    schema = pg_schema.split("search_path%3D")[1].split(",")[0]
    with psycopg.connect(owner.url, autocommit=True) as conn:
        conn.execute("DROP ROLE IF EXISTS envmap_reader_test")
        conn.execute("CREATE ROLE envmap_reader_test LOGIN")
        conn.execute(f'GRANT USAGE ON SCHEMA "{schema}" TO envmap_reader_test')
        conn.execute(f'GRANT SELECT ON ALL TABLES IN SCHEMA "{schema}" TO envmap_reader_test')
    reader_url = pg_schema.replace("postgresql://postgres@", "postgresql://envmap_reader_test@")
    try:
        reader = connect(reader_url)
        assert len(reader.read_table("tasks")) == len(lingchuan.tables["tasks"])
        with pytest.raises(StoreReadOnly, match="只读"):
            _report(reader, task)
        assert owner.task_events().empty
        reader.close()
    finally:
        owner.close()
        with psycopg.connect(owner.url, autocommit=True) as conn:
            conn.execute(f'REVOKE ALL ON ALL TABLES IN SCHEMA "{schema}" FROM envmap_reader_test')
            conn.execute(f'REVOKE ALL ON SCHEMA "{schema}" FROM envmap_reader_test')
            conn.execute("DROP ROLE IF EXISTS envmap_reader_test")


# -- locked -----------------------------------------------------------------------------------


def _hold_write_lock(store):  # noqa: ANN001, ANN202
    """Another program holding the store's write lock (a stuck import elsewhere)."""
    if store.backend == "geopackage":
        conn = sqlite3.connect(store.path, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        return conn, lambda: (conn.execute("ROLLBACK"), conn.close())
    import psycopg

    conn = psycopg.connect(store.url, autocommit=True)
    conn.execute("SELECT pg_advisory_lock(hashtext(current_schema() || ':envmap-writers'))")
    return conn, conn.close


def test_a_locked_store_refuses_writes_after_waiting_and_still_serves_reads(store, task, location):
    _report(store, task, "锁定之前")
    impatient = connect(location)
    impatient.busy_timeout = 0.5
    _, release = _hold_write_lock(store)
    try:
        version = impatient.data_version()
        with pytest.raises(StoreBusy, match="数据库正忙.*0.5 秒.*未写入任何内容"):
            _report(impatient, task, "被拒绝")
        assert _notes(impatient, task) == ["锁定之前"]  # reads are served meanwhile
        assert len(impatient.read_table("tasks")) > 0 and impatient.data_version() == version
        state = impatient.status()
        assert state.readable and "正忙" in state.message
        late = connect(location)  # opening the store takes no write lock: a page still opens during an import
        assert _notes(late, task) == ["锁定之前"]
        late.close()
    finally:
        release()
    _report(impatient, task, "解锁之后")
    assert _notes(impatient, task) == ["锁定之前", "解锁之后"]
    impatient.close()


_KILLED_IMPORT = textwrap.dedent("""
    import copy, sys, time
    from geodata.plans.dataset import data_dir, read_dataset
    from geodata.store import connect
    from geodata.store import sqlstore
    store = connect(sys.argv[1])
    (doc,) = [e for e in read_dataset(data_dir() / "plans") if e.document["id"] == sys.argv[2]]
    doc = copy.deepcopy(doc)
    for row in doc.tables["tasks"]:
        row["content"] = "被中断的导入：" + row["content"]
    def stall(cls):
        real = cls.executemany
        def slow(self, text, rows):
            real(self, text, rows)
            if 'INSERT INTO "tasks"' in text:
                print("inside", flush=True)
                time.sleep(120)
        cls.executemany = slow
    stall(sqlstore.Tx)
    if store.backend == "postgis":
        from geodata.store import postgis
        stall(postgis.PostGISTx)
    store.replace_document(doc)
""")


def test_an_import_killed_midway_leaves_no_trace(store, task, location, lingchuan):
    """The power goes, or an admin kills the process, in the middle of a re-import."""
    before = store.read_table("tasks")
    version = store.data_version()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([sys.executable, "-c", _KILLED_IMPORT, location, LINGCHUAN], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, cwd=REPO)
    try:
        line = proc.stdout.readline()  # type: ignore[union-attr]
        assert line.strip() == "inside", proc.stderr.read()  # type: ignore[union-attr]
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
    after = connect(location)
    try:
        assert after.read_table("tasks").equals(before)
        assert after.data_version() == version
        assert not any(str(c).startswith("被中断的导入") for c in after.read_table("tasks")["content"])
        _report(after, task, "中断之后")  # and the store takes writes again
        if after.backend == "geopackage":
            assert after.integrity_check() == "ok"
    finally:
        after.close()


# -- gone -------------------------------------------------------------------------------------


def test_a_geopackage_that_disappears_is_reported_and_comes_back_when_restored(tmp_path, lingchuan):
    path = tmp_path / "envmap.gpkg"
    store = GeoPackageStore(path)
    store.replace_document(lingchuan)
    account(store)
    task = lingchuan.tables["tasks"][0]["id"]
    _report(store, task, "消失之前")
    saved = tmp_path / "copy.gpkg"
    backup = sqlite3.connect(saved)
    sqlite3.connect(path).backup(backup)
    backup.close()
    moved = tmp_path / "moved"
    moved.mkdir()
    for f in tmp_path.glob("envmap.gpkg*"):
        shutil.move(f, moved / f.name)  # the disk is unmounted, the file renamed by someone
    with pytest.raises(StoreUnavailable, match="不见了"):
        store.read_table("tasks")
    with pytest.raises(StoreUnavailable, match="不见了"):
        _report(store, task, "消失期间")
    state = store.status()
    assert not state.readable and not state.writable and "不见了" in state.message
    assert not path.exists()  # nothing made an empty database in its place
    shutil.copy(saved, path)  # restored from the backup
    assert _notes(store, task) == ["消失之前"]
    _report(store, task, "恢复之后")
    assert _notes(store, task) == ["消失之前", "恢复之后"]
    store.close()


def test_an_unreachable_postgres_server_gets_a_clear_message(postgres_server):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens there once closed
    with pytest.raises(StoreUnavailable, match="无法连接 PostgreSQL 数据库.*ENVMAP_DATABASE_URL"):
        connect(f"postgresql://envmap:secret@127.0.0.1:{port}/envmap")
    try:
        connect(f"postgresql://envmap:secret@127.0.0.1:{port}/envmap")
    except StoreUnavailable as exc:
        assert "secret" not in str(exc)  # the password never appears in a message


class _Relay:
    """A TCP relay on loopback standing for the network between a dashboard and its database."""

    def __init__(self, target_port: int) -> None:
        self.target = target_port
        self.server = socket.socket()
        self.server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.server.bind(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.links: list[socket.socket] = []
        self.up = True
        self.server.listen(32)
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            if not self.up:
                client.close()
                continue
            upstream = socket.create_connection(("127.0.0.1", self.target))
            self.links += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(a: socket.socket, b: socket.socket) -> None:
        try:
            while data := a.recv(65536):
                b.sendall(data)
        except OSError:
            pass
        finally:
            for s in (a, b):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def cut(self) -> None:
        self.up = False
        for s in self.links:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()
        self.links.clear()

    def restore(self) -> None:
        self.up = True

    def close(self) -> None:
        self.cut()
        self.server.close()


def test_a_postgres_server_lost_midsession_is_reported_and_reads_resume(pg_schema, lingchuan):
    owner = connect(pg_schema)
    owner.replace_document(lingchuan)
    account(owner)
    owner.close()
    port = int(pg_schema.split("@127.0.0.1:")[1].split("/")[0])
    relay = _Relay(port)
    url = pg_schema.replace(f"127.0.0.1:{port}", f"127.0.0.1:{relay.port}")
    store = connect(url)
    store.busy_timeout = 2.0
    task = lingchuan.tables["tasks"][0]["id"]
    try:
        _report(store, task, "断线之前")
        relay.cut()
        with pytest.raises(StoreUnavailable, match="无法连接 PostgreSQL"):
            store.read_table("tasks")
        with pytest.raises(StoreUnavailable):
            _report(store, task, "断线期间")
        assert not store.status().readable
        relay.restore()
        for _ in range(20):  # the pool reconnects on its own; the next reads succeed
            try:
                notes = _notes(store, task)
                break
            except StoreUnavailable:
                threading.Event().wait(0.5)
        assert notes == ["断线之前"]  # and nothing of the refused write
        _report(store, task, "恢复之后")
        assert _notes(store, task) == ["断线之前", "恢复之后"]
    finally:
        store.close()
        relay.close()


def test_a_connection_lost_inside_a_write_leaves_nothing_half_written(pg_schema, lingchuan):
    import psycopg

    from geodata.store.postgis import PostGISTx

    store = connect(pg_schema)
    store.replace_document(lingchuan)
    before = store.read_table("tasks")
    version = store.data_version()
    real = PostGISTx.executemany

    def cut_after_insert(self, text, rows):  # noqa: ANN001
        real(self, text, rows)
        if 'INSERT INTO "tasks"' in text:  # the network drops between two statements of the import
            pid = self.conn.execute("SELECT pg_backend_pid()").fetchone()[0]
            with psycopg.connect(store.url, autocommit=True) as killer:
                killer.execute("SELECT pg_terminate_backend(%s)", (pid,))

    try:
        PostGISTx.executemany = cut_after_insert  # type: ignore[method-assign]
        with pytest.raises(StoreUnavailable):
            store.replace_document(lingchuan)
    finally:
        PostGISTx.executemany = real  # type: ignore[method-assign]
    assert store.read_table("tasks").equals(before)
    assert store.data_version() == version
    store.close()
