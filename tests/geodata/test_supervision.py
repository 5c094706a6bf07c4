"""The supervision loop through the store API the pages call: states at chosen dates, who may record
what (every role, allowed and refused), the conflict check, evidence limits, the 通报."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pandas as pd
import pytest

from geodata import views
from geodata.errors import EvidenceRejected, NotAllowed, StoreError, TaskChanged, TransitionRefused
from geodata.plans.dataset import data_dir, read_dataset
from geodata.status import (
    DONE_LATE,
    DONE_ON_TIME,
    DUE_SOON,
    IN_PROGRESS,
    LONG_TERM,
    NO_DEADLINE,
    NOT_REPORTED,
    OVERDUE,
    OVERDUE_UNREPORTED,
    with_status,
)
from geodata.store import GeoPackageStore
from geodata.supervision import (
    APPLIED,
    ASSIGNED,
    CLOSED,
    EVIDENCE_MAX_BYTES,
    EVIDENCE_MAX_FILES,
    REJECTED,
    UNASSIGNED,
    WORKING,
    allowed_kinds,
    check_evidence,
    current_state,
    safe_file_name,
    sniff,
)
from tests.accounts import account

JINCHENG = "晋市政办〔2022〕11号"
LINGCHUAN = "陵政办发〔2023〕13号"
TODAY = dt.date(2024, 3, 1)
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\n"


@pytest.fixture(scope="module")
def extractions():
    return {str(e.document["id"]): e for e in read_dataset(data_dir() / "plans") if e.document["id"] in (JINCHENG, LINGCHUAN)}


@pytest.fixture
def store(tmp_path, extractions):
    s = GeoPackageStore(tmp_path / "s.gpkg")
    for e in extractions.values():
        s.replace_document(e)
    account(s, "督办甲", "supervisor")
    account(s, "督办乙", "supervisor")
    account(s, "管理员", "admin")
    account(s, "查看者", "viewer")
    account(s, "市局填报", "reporter", ("晋城市生态环境局",))
    account(s, "自然资源填报", "reporter", ("陵川县自然资源局",))
    yield s
    s.close()


def _task(store, *, jurisdiction: str, unit: str | None = None, deadline: bool | None = True, long_term: bool = False):  # noqa: ANN001, ANN202
    tasks = store.read_table("tasks")
    tasks = tasks[(tasks["jurisdiction"] == jurisdiction)]
    tasks = tasks[tasks["long_term"].astype(str).isin(["1", "True"]) == long_term]
    if deadline is not None:
        tasks = tasks[(tasks["deadline"] != "") == deadline]
    if unit:
        tasks = tasks[tasks["responsible_units"].str.split("；").map(lambda us: unit in us)]
    return tasks.iloc[0]


def _status(store, task_id: str, day: str) -> tuple[str, str]:  # noqa: ANN001
    tasks = store.read_table("tasks")
    row = with_status(tasks[tasks["id"] == task_id], store.task_events(), dt.date.fromisoformat(day)).iloc[0]
    return row["status"], row["workflow"]


def _ev(store, task_id: str, kind: str, by: str, day: str, **kwargs):  # noqa: ANN001, ANN003, ANN202
    return store.record_event(task_id, kind, by=by, event_date=dt.date.fromisoformat(day), today=TODAY, **kwargs)


# -- the state machine at chosen dates -------------------------------------------------------------


def test_the_loop_with_its_states_on_every_date(store):
    task = _task(store, jurisdiction="晋城市", unit="市生态环境局")
    due = task["deadline"]  # 2022-08-31
    _ev(store, task["id"], "assign", "督办甲", "2022-03-01", units=["晋城市生态环境局"], note="请按期完成")
    _ev(store, task["id"], "progress", "市局填报", "2022-05-10", note="已完成方案编制")
    _ev(store, task["id"], "apply_close", "市局填报", due, note="已完成", doc_number="晋环函〔2022〕9号")
    _ev(store, task["id"], "reject", "督办甲", "2022-09-05", note="缺少验收报告")
    _ev(store, task["id"], "apply_close", "市局填报", "2022-09-20", note="已补充", evidence=check_evidence([("验收.pdf", PDF)]))
    _ev(store, task["id"], "close", "督办乙", "2022-10-08")
    expected = {
        "2022-02-01": (NOT_REPORTED, UNASSIGNED),
        "2022-03-01": (NOT_REPORTED, ASSIGNED),
        "2022-05-10": (IN_PROGRESS, WORKING),
        "2022-08-15": (DUE_SOON, WORKING),
        due: (DUE_SOON, APPLIED),  # applied on the deadline itself: due today, not late
        "2022-09-06": (OVERDUE, REJECTED),  # sent back: the application no longer counts
        "2022-09-25": (OVERDUE, APPLIED),  # applied again after the deadline, awaiting verification
        "2022-10-08": (DONE_LATE, CLOSED),  # verified: done as of the accepted application (09-20)
        "2024-01-01": (DONE_LATE, CLOSED),
    }
    assert {day: _status(store, task["id"], day) for day in expected} == expected
    tasks = store.read_table("tasks")
    row = with_status(tasks[tasks["id"] == task["id"]], store.task_events(), dt.date(2024, 1, 1)).iloc[0]
    assert row["days_overdue"] == 20  # from the deadline to the accepted application, not to the verification


def test_applied_on_the_deadline_and_verified_later_is_on_time(store):
    task = _task(store, jurisdiction="晋城市", unit="市生态环境局")
    _ev(store, task["id"], "apply_close", "市局填报", task["deadline"], note="已完成", doc_number="晋环函〔2022〕1号")
    _ev(store, task["id"], "close", "督办甲", "2022-09-30")
    assert _status(store, task["id"], "2022-09-29") == (OVERDUE, APPLIED)
    assert _status(store, task["id"], "2022-09-30") == (DONE_ON_TIME, CLOSED)


def test_a_task_without_deadline_and_a_long_term_task(store):
    free = _task(store, jurisdiction="晋城市", deadline=False)
    assert _status(store, free["id"], "2023-01-01") == (NO_DEADLINE, UNASSIGNED)
    _ev(store, free["id"], "progress", "督办甲", "2023-02-01", note="推进")
    assert _status(store, free["id"], "2023-03-01") == (IN_PROGRESS, WORKING)
    _ev(store, free["id"], "apply_close", "督办甲", "2023-04-01", note="完成", doc_number="x〔2023〕1号")
    _ev(store, free["id"], "close", "督办乙", "2023-04-03")
    assert _status(store, free["id"], "2023-05-01") == (DONE_ON_TIME, CLOSED)  # no deadline to miss

    lasting = _task(store, jurisdiction="陵川县", deadline=False, long_term=True)
    _ev(store, lasting["id"], "progress", "督办甲", "2023-03-01", note="第一季度定期报告")
    assert _status(store, lasting["id"], "2023-06-01") == (LONG_TERM, WORKING)
    with pytest.raises(TransitionRefused, match="长期坚持的任务按期报告进展，不申请销号"):
        _ev(store, lasting["id"], "apply_close", "督办甲", "2023-06-01", note="完成", doc_number="x")
    assert allowed_kinds(current_state(store.task_events(lasting["id"]).to_dict("records")), long_term=True,
                         role="supervisor", owner=False) == ["assign", "supervise", "progress"]


def test_a_supervisor_due_date_replaces_the_plans(store):
    task = _task(store, jurisdiction="晋城市", unit="市生态环境局")
    _ev(store, task["id"], "assign", "督办甲", "2022-03-01", units=["晋城市生态环境局"], due_date=dt.date(2022, 12, 31))
    assert _status(store, task["id"], "2022-10-01") == (NOT_REPORTED, ASSIGNED)  # the plan's 08-31 no longer counts
    assert _status(store, task["id"], "2023-01-01") == (OVERDUE_UNREPORTED, ASSIGNED)
    with pytest.raises(TransitionRefused, match="完成时限只能在交办时设定"):
        _ev(store, task["id"], "progress", "督办甲", "2022-04-01", note="x", due_date=dt.date(2023, 1, 1))


def test_under_supervision_until_closed_and_counted(store):
    task = _task(store, jurisdiction="晋城市", unit="市生态环境局")
    _ev(store, task["id"], "supervise", "督办甲", "2022-09-10", note="请于本周五前报送整改进展")
    tasks = views.tasks_view(store.read_table("tasks"), store.task_events(), as_of=dt.date(2022, 9, 15))
    assert views.headline(pd.DataFrame(columns=["measured_class", "target_class", "compliance", "is_sample"]),
                          tasks).supervised == 1
    _ev(store, task["id"], "apply_close", "市局填报", "2022-09-20", note="完成", doc_number="x〔2022〕2号")
    _ev(store, task["id"], "close", "督办乙", "2022-09-25")
    after = views.tasks_view(store.read_table("tasks"), store.task_events(), as_of=dt.date(2022, 10, 1))
    assert not after["supervised"].any()
    with pytest.raises(TransitionRefused, match="已于 2022-09-25 由 督办乙 销号"):
        _ev(store, task["id"], "progress", "督办甲", "2022-10-02", note="再报")


# -- who may do what, through the store API --------------------------------------------------------


@pytest.mark.parametrize(("who", "kind", "allowed"), [
    ("查看者", "progress", False), ("查看者", "assign", False),
    ("市局填报", "progress", True), ("市局填报", "apply_close", True), ("市局填报", "assign", False),
    ("市局填报", "supervise", False), ("市局填报", "close", False), ("市局填报", "reject", False),
    ("督办甲", "assign", True), ("督办甲", "supervise", True), ("督办甲", "progress", True),
    ("管理员", "assign", True), ("管理员", "supervise", True),
    ("不存在的人", "progress", False),
])
def test_every_role_allowed_and_refused(store, who, kind, allowed):
    task = _task(store, jurisdiction="晋城市", unit="市生态环境局")
    extra = {"units": ["晋城市生态环境局"]} if kind == "assign" else {"doc_number": "x〔2022〕1号"} if kind == "apply_close" else {}
    if allowed:
        fid = _ev(store, task["id"], kind, who, "2022-05-01", note="说明", **extra)
        assert store.task_events(task["id"]).set_index("fid").loc[fid, "actor"] == who
    else:
        with pytest.raises(NotAllowed):
            _ev(store, task["id"], kind, who, "2022-05-01", note="说明", **extra)
        assert store.task_events(task["id"]).empty


@pytest.mark.parametrize("who", ["督办甲", "管理员"])
def test_verification_by_a_supervisor_and_never_by_the_applicant(store, who):
    task = _task(store, jurisdiction="晋城市", unit="市生态环境局")
    _ev(store, task["id"], "apply_close", "督办乙", "2022-08-01", note="完成", doc_number="x")
    with pytest.raises(TransitionRefused, match="不能核验自己提交的销号申请"):
        _ev(store, task["id"], "close", "督办乙", "2022-08-02")
    with pytest.raises(NotAllowed):
        _ev(store, task["id"], "close", "市局填报", "2022-08-02")
    _ev(store, task["id"], "close", who, "2022-08-02")
    assert _status(store, task["id"], "2022-08-02")[1] == CLOSED


def test_a_reporter_records_only_for_the_tasks_of_its_units_or_those_assigned_to_it(store):
    theirs = _task(store, jurisdiction="晋城市", unit="市生态环境局")
    with pytest.raises(NotAllowed, match="不是该任务的责任单位"):
        _ev(store, theirs["id"], "progress", "自然资源填报", "2022-05-01", note="越权填报")
    other = _task(store, jurisdiction="陵川县", unit="县自然资源局", deadline=None)
    _ev(store, other["id"], "progress", "自然资源填报", "2023-05-01", note="县自然资源局的任务")  # "县自然资源局" in 陵川's plan
    _ev(store, theirs["id"], "assign", "督办甲", "2022-05-01", units=["陵川县自然资源局"], note="交办到县自然资源局")
    _ev(store, theirs["id"], "progress", "自然资源填报", "2022-05-02", note="交办之后可以填报")
    assert list(store.task_events(theirs["id"])["actor"]) == ["督办甲", "自然资源填报"]


def test_a_disabled_account_stops_writing_at_once(store):
    from geodata import accounts

    task = _task(store, jurisdiction="晋城市", unit="市生态环境局")
    accounts.set_disabled(store, "市局填报", True, by="test")
    with pytest.raises(NotAllowed, match="已被停用"):
        _ev(store, task["id"], "progress", "市局填报", "2022-05-01", note="停用之后")
    assert store.task_events().empty


def test_refusals_need_their_reason_and_evidence(store):
    task = _task(store, jurisdiction="晋城市", unit="市生态环境局")
    with pytest.raises(TransitionRefused, match="需要佐证材料"):
        _ev(store, task["id"], "apply_close", "市局填报", "2022-08-01", note="完成")
    with pytest.raises(TransitionRefused, match="没有待核验的销号申请"):
        _ev(store, task["id"], "close", "督办甲", "2022-08-01")
    _ev(store, task["id"], "apply_close", "市局填报", "2022-08-01", note="完成", doc_number="x")
    with pytest.raises(TransitionRefused, match="退回需要写明理由"):
        _ev(store, task["id"], "reject", "督办甲", "2022-08-03")
    with pytest.raises(TransitionRefused, match="正在等待核验"):
        _ev(store, task["id"], "progress", "市局填报", "2022-08-02", note="又一份")
    with pytest.raises(TransitionRefused, match="晚于今天"):
        _ev(store, task["id"], "reject", "督办甲", "2024-03-02", note="将来")
    with pytest.raises(TransitionRefused, match="早于申请日期"):
        _ev(store, task["id"], "reject", "督办甲", "2022-07-30", note="补材料")
    assert len(store.task_events(task["id"])) == 1


def test_the_ui_wrapper_guards_imports_and_removal(store):
    from geodata.accounts import ActingStore, User

    for who in (None, User("查看者", "viewer"), User("督办甲", "supervisor")):
        acting = ActingStore(store, who)
        with pytest.raises(NotAllowed):
            acting.delete_samples()
        with pytest.raises(NotAllowed):
            acting.write_measurements(pd.DataFrame())
    assert len(ActingStore(store, None).read_table("tasks")) > 0  # reading needs no account
    assert ActingStore(store, User("管理员", "admin")).delete_samples() == 0
    log = store.audit_log()
    assert (log["actor"].iloc[0], log["action"].iloc[0]) == ("管理员", "delete_samples")
    # a role claimed by the page is not trusted: the store's own record decides
    with pytest.raises(NotAllowed):
        ActingStore(store, User("查看者", "admin")).delete_samples()


# -- two writers on one task --------------------------------------------------------------------------


def test_the_second_writer_is_told_the_task_changed_and_nothing_is_lost(store):
    task = _task(store, jurisdiction="晋城市", unit="市生态环境局")
    seen = 0  # both opened the task while it had no events
    first = store.record_event(task["id"], "progress", by="市局填报", note="甲填写", event_date=dt.date(2022, 5, 1),
                               expected_last=seen, today=TODAY)
    with pytest.raises(TaskChanged) as refused:
        store.record_event(task["id"], "progress", by="督办甲", note="乙填写", event_date=dt.date(2022, 5, 1),
                           expected_last=seen, today=TODAY)
    assert [e["note"] for e in refused.value.newer] == ["甲填写"] and "有 1 条新记录" in str(refused.value)
    second = store.record_event(task["id"], "progress", by="督办甲", note="乙填写", event_date=dt.date(2022, 5, 1),
                                expected_last=first, today=TODAY)
    assert list(store.task_events(task["id"])["fid"]) == [first, second]


# -- evidence -----------------------------------------------------------------------------------------


def _office(kind: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(f"{'word' if kind == 'docx' else 'xl'}/document.xml", "<x/>")
    return buf.getvalue()


@pytest.mark.parametrize(("content", "kind"), [
    (PDF, "pdf"), (b"\x89PNG\r\n\x1a\n" + b"\0" * 20, "png"), (b"\xff\xd8\xff\xe0" + b"\0" * 20, "jpg"),
    (_office("docx"), "docx"), (_office("xlsx"), "xlsx"),
    (b"MZ\x90\x00 an exe", None), (b"<html><script>alert(1)</script>", None), (b"PK\x03\x04 not a zip", None),
])
def test_evidence_is_recognised_by_its_content(content, kind):
    assert sniff(content) == kind


def test_evidence_limits_name_the_file_and_the_limit():
    with pytest.raises(EvidenceRejected, match="“a.exe”不是允许的类型"):
        check_evidence([("a.exe", b"MZ\x90\x00")])
    with pytest.raises(EvidenceRejected, match="“报告.pdf”是空的"):
        check_evidence([("报告.pdf", b"")])
    with pytest.raises(EvidenceRejected, match="超过每个文件 10.0 MB"):
        check_evidence([("大.pdf", PDF + b"\0" * EVIDENCE_MAX_BYTES)])
    with pytest.raises(EvidenceRejected, match="最多上传 10 个"):
        check_evidence([(f"{n}.pdf", PDF) for n in range(EVIDENCE_MAX_FILES + 1)])
    with pytest.raises(EvidenceRejected, match="合计"):
        check_evidence([(f"{n}.pdf", PDF + b"\0" * (EVIDENCE_MAX_BYTES - 100)) for n in range(4)])
    # a name is a label only: no folders, no control characters, the extension of what the file is
    [item] = check_evidence([("../../../etc/passwd\x00<img src=x>.exe", PDF)])
    assert item.file_name == "passwd_img src=x_.pdf" and item.media_type == "application/pdf"
    assert safe_file_name("..\\..\\a.docx", "pdf") == "a.pdf"


def test_evidence_is_kept_in_the_store_with_its_event(store):
    task = _task(store, jurisdiction="晋城市", unit="市生态环境局")
    files = check_evidence([("验收报告.pdf", PDF), ("现场照片.png", b"\x89PNG\r\n\x1a\n1234")])
    fid = _ev(store, task["id"], "apply_close", "市局填报", "2022-08-01", note="完成", evidence=files)
    held = store.evidence(task["id"])
    assert list(held["event_id"]) == [fid, fid] and list(held["file_name"]) == ["验收报告.pdf", "现场照片.png"]
    assert store.evidence_content(int(held["fid"].iloc[1])) == ("现场照片.png", "image/png", b"\x89PNG\r\n\x1a\n1234")


def test_an_unknown_task_is_refused_in_chinese(store):
    with pytest.raises(StoreError, match="没有编号为“不存在”的任务"):
        _ev(store, "不存在", "progress", "督办甲", "2023-01-01", note="x")


# -- the 通报 ---------------------------------------------------------------------------------------


def test_the_bulletin_ranks_units_by_overdue_then_unreported(store):
    as_of = dt.date(2023, 12, 31)
    quiet = _task(store, jurisdiction="晋城市", unit="市生态环境局")
    _ev(store, quiet["id"], "progress", "市局填报", "2023-12-28", note="本周进展")
    tasks = views.tasks_view(store.read_table("tasks"), store.task_events(), as_of=as_of)
    table = views.bulletin(tasks, as_of, days=7)
    assert list(table["rank"]) == list(range(1, len(table) + 1))
    keys = list(zip(-table["late"], -table["late_unreported"], -table["unreported_in_period"], strict=True))
    assert keys == sorted(keys)
    bureau = table.set_index("unit").loc["晋城市生态环境局"]
    mine = tasks[tasks["responsible_units"].str.split("；").map(lambda us: "市生态环境局" in us) & (tasks["jurisdiction"] == "晋城市")]
    assert bureau["tasks"] == len(mine)  # "市生态环境局" of 晋城's plan is 晋城市生态环境局
    assert bureau["late"] == int(mine["status"].isin([OVERDUE, OVERDUE_UNREPORTED]).sum())
    assert bureau["unreported_in_period"] == len(mine) - 1  # one task reported this week
    daily = views.bulletin(tasks, as_of, days=1).set_index("unit").loc["晋城市生态环境局"]
    assert daily["unreported_in_period"] == len(mine)  # not reported today
    county = views.bulletin(tasks, as_of, area=views.Area("晋城市", "陵川县"))
    assert set(county["jurisdiction"]) == {"陵川县"}


def test_a_write_failing_midway_leaves_no_event_and_no_file(store, monkeypatch):
    from geodata.store.sqlstore import Tx

    task = _task(store, jurisdiction="晋城市", unit="市生态环境局")
    real = Tx.execute

    def failing(self, text, params=()):  # noqa: ANN001
        if 'INSERT INTO "task_evidence"' in text:
            raise StoreError("磁盘写满（测试）")
        return real(self, text, params)

    monkeypatch.setattr(Tx, "execute", failing)
    version = store.data_version()
    with pytest.raises(StoreError, match="测试"):
        _ev(store, task["id"], "apply_close", "市局填报", "2022-08-01", note="完成", evidence=check_evidence([("a.pdf", PDF)]))
    monkeypatch.undo()
    assert store.task_events(task["id"]).empty and store.evidence().empty and store.data_version() == version
