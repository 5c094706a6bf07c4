"""`envmap import-plan` as a user runs it on plans from anywhere: PDF, empty plans, clashing ids."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from geodata.cli import main
from geodata.model import TABLES
from geodata.store import open_store
from tests.accounts import account, report
from tests.conftest import REPO

CORPUS = REPO / "tests" / "fixtures" / "plans"


@pytest.fixture
def run(db_path, monkeypatch):
    monkeypatch.setenv("ENVMAP_SAMPLES", "0")
    runner = CliRunner()

    def invoke(*args: object):
        return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)

    return invoke


def _counts() -> dict[str, int]:
    store = open_store()
    try:
        return {name: len(store.read_table(name)) for name in TABLES}
    finally:
        store.close()


def test_a_text_pdf_imports_with_its_jurisdiction_and_page_refs(run):
    result = run("import-plan", CORPUS / "jiamusi_2018_water.pdf")
    assert result.exit_code == 0, result.output
    assert "佳政办发〔2018〕17号" in result.output
    assert "辖区：佳木斯市（city，上级：黑龙江省）" in result.output
    tasks = open_store().read_table("tasks", document_id="佳政办发〔2018〕17号")
    assert len(tasks) == 1 and tasks.iloc[0]["source_ref"].startswith("第1页第")


def test_a_scanned_pdf_is_refused_and_changes_nothing(run):
    before = _counts()
    result = run("import-plan", CORPUS / "jiamusi_2018_water_scanned.pdf")
    assert result.exit_code == 1
    assert "扫描件" in result.output and "OCR" in result.output and "Traceback" not in result.output
    assert _counts() == before


def test_a_plan_without_tasks_needs_allow_empty(run):
    before = _counts()
    result = run("import-plan", CORPUS / "huzhu_2023_air.docx")
    assert result.exit_code == 1
    assert "没有识别出任何任务、断面或断面目标" in result.output and "--allow-empty" in result.output
    assert _counts() == before
    result = run("import-plan", CORPUS / "huzhu_2023_air.docx", "--allow-empty")
    assert result.exit_code == 0, result.output
    assert "互助土族自治县" in result.output
    assert "提示" in result.output  # the warning is printed, not silent
    assert "互政办函〔2023〕223号" in set(open_store().read_table("documents")["id"])


def test_a_second_document_with_the_same_id_is_refused_unless_replace(run, tmp_path):
    first = tmp_path / "plan.txt"
    first.write_text("长治市2023年水污染防治工作方案\n\n一、重点任务\n\n1. 推进雨污分流改造。（市住建局牵头）\n", encoding="utf-8")
    assert run("import-plan", first).exit_code == 0
    other = tmp_path / "other" / "plan.txt"  # the same file stem: the same id, another text
    other.parent.mkdir()
    other.write_text("长治市2023年大气污染防治工作方案\n\n一、重点任务\n\n1. 整治散乱污企业。（市生态环境局牵头）\n", encoding="utf-8")
    before = _counts()
    result = run("import-plan", other)
    assert result.exit_code == 1
    assert "长治市2023年水污染防治工作方案" in result.output  # names the document it would replace
    assert "--replace" in result.output
    assert _counts() == before
    result = run("import-plan", other, "--replace")
    assert result.exit_code == 0, result.output
    assert "已替换原有文件" in result.output
    titles = set(open_store().read_table("tasks", document_id="plan")["title"])
    assert titles == {"整治散乱污企业"}


def test_the_same_file_again_replaces_itself_without_asking(run):
    path = CORPUS / "changzhi_2019_water.txt"
    assert run("import-plan", path).exit_code == 0
    before = _counts()
    result = run("import-plan", path)
    assert result.exit_code == 0, result.output
    assert _counts() == before


def test_reimport_moves_recorded_progress_with_the_task(run, tmp_path):
    import datetime as dt

    path = tmp_path / "plan.txt"
    text = "长治市2023年水污染防治工作方案\n\n一、重点任务\n\n1. 推进雨污分流改造。（市住建局牵头）\n\n2. 整治入河排污口。（市生态环境局牵头）\n"
    path.write_text(text, encoding="utf-8")
    assert run("import-plan", path).exit_code == 0
    store = open_store()
    task = next(t for t in store.read_table("tasks", document_id="plan").itertuples() if t.title == "整治入河排污口")
    report(store, task.id, "已完成整治", dt.date(2023, 6, 1), by=account(store))
    path.write_text(text.replace("整治入河排污口。", "整治入河排污口，完成规范化建设。"), encoding="utf-8")
    result = run("import-plan", path, "--replace")
    assert result.exit_code == 0, result.output
    assert "1 条进展记录已随任务移到新的任务标识" in result.output
    store = open_store()
    [update] = store.task_events().itertuples()
    edited = store.read_table("tasks").set_index("id").loc[update.task_id]
    assert edited["content"].startswith("整治入河排污口，完成规范化建设")
