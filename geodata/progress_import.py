"""Bulk progress from a spreadsheet (the 周报 a unit fills in): preview every row, then land it whole or not at all.

A sheet (CSV in UTF-8 or GBK, or the first sheet of an .xlsx) has one row per report, with the
columns (header names in Chinese or English, in any order):

=============  ===========================================================================
任务编号         the task id from the ledger (``id``; also 任务标识 / 编号 / task_id)
状态             推进中 / 进展 / 定期报告 → a progress report; 申请销号 / 已完成 / 完成 → an
                 application for 销号 (done only once a supervisor verifies it)
日期             the date of the report (YYYY-MM-DD, 2023/6/1, 2023年6月1日, an Excel date)
说明             what was done (required)
文号             (optional) the document number that proves it — required for 申请销号,
                 since a sheet cannot carry files
=============  ===========================================================================

Every row is checked against the store as the signed-in user would record it: the task exists,
the user may report on it (a reporter only on the tasks of their units), the report may follow
the task's state (not on a closed task, no second application while one awaits verification,
no 销号 for 长期坚持 tasks), the date is not in the future. Rows apply in order, so a sheet
may report progress and then apply for 销号 on the same task. One problem anywhere refuses the
whole file, listing every row and why; :func:`import_progress` writes exactly what
:func:`preview_progress` accepted, in one transaction, and refuses if any task changed since
the preview.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field

import pandas as pd

from geodata import supervision
from geodata.errors import EnvmapError, ImportRejected, NotAllowed, RowProblem, TransitionRefused
from geodata.textio import decode_text

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000

_HEADERS = {
    "task_id": ("任务编号", "任务标识", "编号", "task_id", "id", "任务id"),
    "status": ("状态", "进展状态", "办理状态", "status"),
    "date": ("日期", "报告日期", "完成日期", "填报日期", "date"),
    "note": ("说明", "进展情况", "完成情况", "工作进展", "备注", "note"),
    "doc_number": ("文号", "佐证文号", "佐证材料", "佐证材料文号", "doc_number"),
}
_STATUS = {
    supervision.PROGRESS: ("推进中", "进展", "进展报告", "定期报告", "正在推进", "in_progress", "progress"),
    supervision.APPLY: ("申请销号", "已完成", "完成", "已办结", "done", "apply_close"),
}


def _norm(text: object) -> str:
    return re.sub(r"[\s:：*（）()]", "", str(text or "")).lower()


_HEADER_OF = {_norm(alias): role for role, aliases in _HEADERS.items() for alias in aliases}
_STATUS_OF = {_norm(alias): kind for kind, aliases in _STATUS.items() for alias in aliases}


@dataclass
class ProgressPreview:
    """What an import would record (``events``, with their sheet rows) and every reason it would not."""

    file: str
    events: list[supervision.NewEvent] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    expected: dict[str, int] = field(default_factory=dict)  # task → the newest event seen by the preview

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.events)

    def table(self) -> pd.DataFrame:
        """The rows that would be recorded: line, task, kind, date, note, document number."""
        return pd.DataFrame({
            "line": self.lines, "task_id": [e.task_id for e in self.events], "kind": [e.kind for e in self.events],
            "event_date": [e.event_date.isoformat() for e in self.events], "note": [e.note for e in self.events],
            "doc_number": [e.doc_number for e in self.events],
        })


def _rows(content: bytes, name: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    from geodata.i18n import t

    if len(content) > MAX_BYTES:
        raise ImportRejected(name, [RowProblem(None, t("bp_too_big", mb=MAX_BYTES // 1024 // 1024))])
    if content.startswith(b"PK\x03\x04"):
        return _xlsx_rows(content, name)
    decoded = decode_text(content)
    if decoded is None or "\x00" in decoded[0]:
        raise ImportRejected(name, [RowProblem(None, t("bp_not_a_sheet"))])
    text = decoded[0]
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first and "," not in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = [(reader.line_num, [c.strip() for c in row]) for row in reader]
    return _split(rows, name)


def _xlsx_rows(content: bytes, name: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    import openpyxl

    from geodata.i18n import t

    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
        raise ImportRejected(name, [RowProblem(None, t("bp_bad_xlsx", error=type(exc).__name__))]) from exc
    rows: list[tuple[int, list[str]]] = []
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # a sheet's own claim of its size is not trusted
        for n, values in enumerate(sheet.iter_rows(values_only=True, max_col=20), start=1):
            if n > MAX_ROWS + 50:
                raise ImportRejected(name, [RowProblem(None, t("bp_too_many_rows", max=MAX_ROWS))])
            rows.append((n, [_cell(v) for v in values]))
    finally:
        book.close()
    return _split(rows, name)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _split(rows: list[tuple[int, list[str]]], name: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    from geodata.i18n import t

    rows = [(n, cells) for n, cells in rows if any(cells)]
    if not rows:
        raise ImportRejected(name, [RowProblem(None, t("bp_empty"))])
    if len(rows) > MAX_ROWS + 1:
        raise ImportRejected(name, [RowProblem(None, t("bp_too_many_rows", max=MAX_ROWS))])
    (_, header), body = rows[0], rows[1:]
    return header, body


_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def parse_date(text: str) -> dt.date | None:
    """2023-06-01, 2023/6/1, 2023.6.1, 2023年6月1日, 2023-06-01 00:00:00; None when not a date."""
    text = str(text or "").strip()
    if len(text) > 10 and text[10:11] in (" ", "T"):
        text = text[:10]
    m = _DATE.match(text)
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def preview_progress(content: bytes, name: str, store, *, by: str, today: dt.date | None = None) -> ProgressPreview:  # noqa: ANN001
    """Read and check a progress sheet as the account ``by`` would record it; writes nothing."""
    from geodata.accounts import current_user, may
    from geodata.i18n import t
    from geodata.status import truthy

    today = today or dt.date.today()
    file_name = supervision.display_name(name)
    header, body = _rows(content, file_name)
    columns = {role: i for i, h in enumerate(header) if (role := _HEADER_OF.get(_norm(h))) is not None}
    missing = [role for role in ("task_id", "status", "date", "note") if role not in columns]
    if missing:
        raise ImportRejected(file_name, [RowProblem(1, t("bp_missing_columns", columns="、".join(
            _HEADERS[m][0] for m in missing), found="、".join(h for h in header if h) or "—"))])
    user = current_user(store, by)
    if user is None:
        raise NotAllowed(t("acct_sign_in_first"))
    preview = ProgressPreview(file_name)
    tasks = store.read_table("tasks")
    facts = {str(r.id): r for r in tasks.drop_duplicates("id").itertuples()}
    events = store.task_events()
    history = {tid: rows for tid, rows in events.groupby("task_id")} if len(events) else {}
    states: dict[str, supervision.TaskState] = {}

    def cell(cells: list[str], role: str) -> str:
        index = columns.get(role)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    for line, cells in body:
        tid, status, day_text, note = (cell(cells, r) for r in ("task_id", "status", "date", "note"))
        doc_number = cell(cells, "doc_number")
        problems: list[str] = []
        task = facts.get(tid)
        if not tid:
            problems.append(t("bp_no_task_id"))
        elif task is None:
            problems.append(t("sv_no_task", id=tid))
        kind = _STATUS_OF.get(_norm(status))
        if kind is None:
            problems.append(t("bp_bad_status", status=status or "—", allowed="、".join(
                a for k in _STATUS.values() for a in k if re.search(r"[\u4e00-\u9fff]", a))))
        day = parse_date(day_text)
        if day is None:
            problems.append(t("bp_bad_date", date=day_text or "—"))
        if problems or task is None or kind is None or day is None:
            preview.problems.append(RowProblem(line, "；".join(problems)))
            continue
        if tid not in states:
            rows = history.get(tid)
            records = rows.to_dict("records") if rows is not None else []
            states[tid] = supervision.current_state(records)
            preview.expected[tid] = int(max((r["fid"] for r in records), default=0))
        event = supervision.NewEvent(tid, kind, day, note.strip(), doc_number.strip())
        try:
            if not may(user.role, kind):
                raise NotAllowed(t("sv_role_refused", name=user.name, role=t(f"role_{user.role}"),
                                   action=supervision.kind_label(kind)))
            if user.role == "reporter":
                owners = supervision.task_units(str(task.responsible_units or ""), str(task.jurisdiction or ""),
                                         states[tid].assigned_units)
                if not set(user.units) & owners:
                    raise NotAllowed(t("sv_not_your_task", name=user.name, units="、".join(user.units) or "—",
                                       owners="、".join(sorted(owners)) or "—"))
            supervision.check(states[tid], event, long_term=truthy(task.long_term), actor=user.name, today=today)
        except (NotAllowed, TransitionRefused) as exc:
            preview.problems.append(RowProblem(line, str(exc)))
            continue
        states[tid] = supervision.apply_event(states[tid], {"kind": kind, "event_date": day.isoformat(), "actor": user.name,
                                                            "fid": 10**12 + line})
        preview.events.append(event)
        preview.lines.append(line)
    if not body:
        preview.problems.append(RowProblem(None, t("bp_empty")))
    return preview


def import_progress(content: bytes, name: str, store, *, by: str, today: dt.date | None = None) -> list[int]:  # noqa: ANN001
    """Record a progress sheet whole (one transaction), or raise :class:`ImportRejected` listing every
    problem row and write nothing. Returns the ids of the events written."""
    from geodata.i18n import t

    preview = preview_progress(content, name, store, by=by, today=today)
    if preview.problems:
        raise ImportRejected(preview.file, preview.problems, t("bp_fix_and_retry"))
    if not preview.events:
        raise EnvmapError(t("bp_empty"))
    written = store.record_events(preview.events, by=by, expected=preview.expected, source=f"file:{preview.file}",
                                  today=today)
    return written
