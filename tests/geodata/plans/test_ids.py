"""Stable task ids, and progress that follows its task when a document is imported again."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from geodata.plans.extract import Extraction, extract_document
from geodata.plans.ids import match_task_ids
from geodata.store.geopackage import GeoPackageStore
from geodata.supervision import check_evidence
from tests.accounts import account, report
from tests.conftest import REPO, seed

PLAN = """长治市2023年水污染防治工作方案

一、重点任务

1. 推进雨污分流改造。2023年6月底前完成。（市住建局牵头）

2. 整治入河排污口。（市生态环境局牵头）

3. 开展黑臭水体排查。（市住建局牵头）
"""


def _tasks(tmp_path: Path, text: str, name: str = "plan.txt") -> list[dict]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return extract_document(path).tables["tasks"]


def test_ids_do_not_depend_on_position(tmp_path):
    before = {t["title"]: t["id"] for t in _tasks(tmp_path, PLAN)}
    inserted = PLAN.replace("1. 推进雨污分流改造", "1. 新增一项任务，完成排查。（市水务局牵头）\n\n2. 推进雨污分流改造")
    inserted = inserted.replace("2. 整治入河排污口", "3. 整治入河排污口").replace("3. 开展黑臭水体排查", "4. 开展黑臭水体排查")
    after = {t["title"]: t["id"] for t in _tasks(tmp_path, inserted)}
    for title, task_id in before.items():
        assert after[title] == task_id, title
    assert len(set(after.values())) == 4
    assert all(i.startswith("plan/") for i in after.values())  # document id + digest


def test_same_words_in_one_place_get_numbered_ids(tmp_path):
    twice = PLAN + "\n4. 开展黑臭水体排查。（市住建局牵头）\n"
    ids = [t["id"] for t in _tasks(tmp_path, twice)]
    assert len(ids) == len(set(ids)) == 4
    assert ids[3] == ids[2] + "-2"


def test_match_task_ids_pairs_by_line_and_content():
    old = [
        {"id": "d/1/1", "source_line": 5, "title": "甲", "content": "推进雨污分流改造。"},
        {"id": "d/1/2", "source_line": 7, "title": "乙", "content": "整治入河排污口。"},
        {"id": "d/1/3", "source_line": 9, "title": "丙", "content": "开展黑臭水体排查，建立清单。"},
        {"id": "d/1/4", "source_line": 11, "title": "丁", "content": "这一项在新文件中已删除。"},
    ]
    new = [
        {"id": "d/aaa", "source_line": 5, "title": "甲", "content": "推进雨污分流改造。"},  # same line and words
        {"id": "d/bbb", "source_line": 30, "title": "乙", "content": "整治入河排污口。"},  # moved
        {"id": "d/ccc", "source_line": 9, "title": "丙", "content": "开展黑臭水体排查，建立整治清单。"},  # edited
        {"id": "d/ddd", "source_line": 13, "title": "戊", "content": "全新的任务。"},
    ]
    mapping, orphans = match_task_ids(old, new)
    assert mapping == {"d/1/1": "d/aaa", "d/1/2": "d/bbb", "d/1/3": "d/ccc"}
    assert orphans == ["d/1/4"]


def test_match_task_ids_keeps_ids_that_did_not_change():
    rows = [{"id": "d/x", "source_line": 1, "title": "", "content": "甲"}]
    assert match_task_ids(rows, rows) == ({"d/x": "d/x"}, [])


def _positional(extraction: Extraction) -> Extraction:
    """The bundled rows of an earlier release: the same tasks under their old positional ids."""
    old_rows = [r for r in csv.DictReader((REPO / "tests" / "fixtures" / "tasks_positional_ids.csv").open(encoding="utf-8"))]
    tasks = []
    for row in old_rows:
        tasks.append({**{k: "" for k in extraction.tables["tasks"][0]}, **row})
    return Extraction(document=extraction.document, tables={**extraction.tables, "tasks": tasks})


def test_a_bundle_refresh_rekeys_progress_recorded_under_positional_ids(tmp_path):
    """Stores made by the previous release hold reports keyed "运政办发〔2023〕15号/T1/16" (now task events)."""
    store = GeoPackageStore(tmp_path / "s.gpkg")
    current = extract_document(seed("000"))
    store.replace_document(_positional(current))
    account(store)
    report(store, "运政办发〔2023〕15号/T1/16", "已起草", dt.date(2023, 5, 1))
    store.record_event("运政办发〔2023〕15号/1/6", "apply_close", by="督办员", event_date=dt.date(2023, 6, 1), note="已完成",
                       evidence=check_evidence([("验收.pdf", b"%PDF-1.7 test")]))
    written = store.replace_document(current)
    assert written["task_events_rekeyed"] == 2 and written["task_events_orphaned"] == 0
    updates = store.task_events()
    assert set(store.evidence()["task_id"]) == {u.task_id for u in updates.itertuples() if u.kind == "apply_close"}
    tasks = store.read_table("tasks").set_index("id")
    moved = {u.task_id: u for u in updates.itertuples()}
    assert set(moved) <= set(tasks.index)
    by_line = {int(tasks.loc[i, "source_line"]): i for i in moved}
    assert set(by_line) == {283, 47}  # 扩大“禁煤区” (措施任务表 row 16) and water task 6
    assert "禁煤区" in tasks.loc[by_line[283], "title"]
    assert moved[by_line[283]].note == "已起草"


def test_progress_of_a_removed_task_is_kept_and_reported(tmp_path):
    store = GeoPackageStore(tmp_path / "s.gpkg")
    path = tmp_path / "plan.txt"
    path.write_text(PLAN, encoding="utf-8")
    store.replace_document(extract_document(path))
    gone = next(t for t in store.read_table("tasks").itertuples() if t.title == "整治入河排污口").id
    report(store, gone, "已完成整治", by=account(store))
    path.write_text(PLAN.replace("2. 整治入河排污口。（市生态环境局牵头）\n", ""), encoding="utf-8")
    again = extract_document(path)
    written = store.replace_document(again)
    assert written["task_events_orphaned"] == 1
    assert again.orphaned_task_ids == [gone]
    assert len(store.task_events(gone)) == 1  # history is never deleted
