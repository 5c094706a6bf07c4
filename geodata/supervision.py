"""The supervision loop of a task: 交办 → 督办 → 进展 → 申请销号 → 销号 or 退回, as an append-only history.

Every step is an *event* (``task_events``: who, in which role, when, what); nothing is ever
overwritten, and a task's state is what its events say, read in order. This module is the one
place for the rules: which kinds of event there are, who may record them, which follow which,
what they need (a 退回 needs its reason, a 申请销号 its evidence), and what state a task is in
as of any date.

The workflow states (the second dimension beside the nine time-based states of
:mod:`geodata.status`):

============  ========  ==================================================================
``unassigned``  未交办    no event yet: the plan names the units, nobody has assigned it
``assigned``    已交办    a supervisor assigned it (to units, with a due date)
``working``     推进中    its units reported progress (or periodic reports: 长期坚持)
``applied``     申请销号  its units reported it done, with evidence, awaiting verification
``closed``      已销号    a supervisor verified the application and closed the task
``rejected``    退回      a supervisor sent the application back, with a reason
============  ========  ==================================================================

督办 is a flag, not a state: a supervisor marks a task (with a note) and it stays under
督办 until it is closed.

**Which date counts as done.** Only 销号 makes a task done for the timeliness states
(按期完成 / 逾期完成): a report of "done" is an application until someone verifies it. The
date that counts is the date *of the accepted application* (the day the units finished and
said so, as 销号 practice goes), not the day the supervisor got round to verifying it: a task
applied for on its deadline and verified a week later was done on time. Before the 销号 the
task is not done, so as of a date between application and verification a task past its
deadline is 逾期 (with workflow 申请销号).

**Long-term tasks** (长期坚持) are never closed: their units send periodic reports
(``progress`` events); an application for 销号 is refused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import pandas as pd

from geodata.errors import TransitionRefused

# -- kinds of event ------------------------------------------------------------------------------
ASSIGN = "assign"  # 交办
SUPERVISE = "supervise"  # 督办
PROGRESS = "progress"  # 进展报告 (定期报告 for long-term tasks)
APPLY = "apply_close"  # 申请销号
CLOSE = "close"  # 销号
REJECT = "reject"  # 退回
KINDS = (ASSIGN, SUPERVISE, PROGRESS, APPLY, CLOSE, REJECT)

# what a task's own units do; the rest is a supervisor's
OWNER_KINDS = (PROGRESS, APPLY)
SUPERVISOR_KINDS = (ASSIGN, SUPERVISE, CLOSE, REJECT)
REPORT_KINDS = (PROGRESS, APPLY)  # what counts as "the units reported" (逾期 vs 逾期未报告)

# -- workflow states ------------------------------------------------------------------------------
UNASSIGNED = "unassigned"
ASSIGNED = "assigned"
WORKING = "working"
APPLIED = "applied"
CLOSED = "closed"
REJECTED = "rejected"
WORKFLOW = (UNASSIGNED, ASSIGNED, WORKING, APPLIED, REJECTED, CLOSED)

WORKFLOW_COLORS = {
    UNASSIGNED: "#9e9e9e", ASSIGNED: "#5c6bc0", WORKING: "#1565c0", APPLIED: "#ef6c00", REJECTED: "#ad1457",
    CLOSED: "#2e7d32",
}

# the columns of ``task_events`` as the store returns them
EVENT_COLUMNS = ["fid", "task_id", "kind", "event_date", "note", "doc_number", "units", "due_date", "answers", "actor",
                 "actor_role", "recorded_at", "source", "is_sample"]

MAX_NOTE_CHARS = 4000
MAX_DOC_NUMBER_CHARS = 200


def kind_label(kind: str) -> str:
    from geodata.i18n import t

    return t(f"ev_{kind}")


def workflow_label(state: str) -> str:
    from geodata.i18n import t

    return t(f"wf_{state}")


@dataclass(frozen=True)
class TaskState:
    """One task's state after some of its events (see the module doc)."""

    workflow: str = UNASSIGNED
    due: str = ""  # the due date a supervisor set when assigning ("" = the plan's deadline)
    assigned_units: tuple[str, ...] = ()
    supervised: bool = False
    supervise_note: str = ""
    last_report: str = ""  # date of the units' latest progress report or application
    pending: int | None = None  # fid of the application awaiting verification
    applied_on: str = ""  # its date
    applicant: str = ""
    done_on: str = ""  # date of the accepted application (closed tasks)
    closed_on: str = ""
    verifier: str = ""
    last_event: int = 0  # fid of the newest event applied
    events: int = 0

    @property
    def reported(self) -> bool:
        return bool(self.last_report)


@dataclass(frozen=True)
class NewEvent:
    """An event to record (what a page, the bulk import or the sample generator asks for)."""

    task_id: str
    kind: str
    event_date: dt.date
    note: str = ""
    doc_number: str = ""
    units: tuple[str, ...] = ()
    due_date: dt.date | None = None
    evidence: tuple[Evidence, ...] = field(default_factory=tuple)


def apply_event(state: TaskState, row: Mapping[str, object]) -> TaskState:
    """``state`` after the event ``row`` (a ``task_events`` row as a mapping)."""
    kind = str(row.get("kind") or "")
    day = str(row.get("event_date") or "")[:10]
    fid = int(row.get("fid") or 0)
    state = replace(state, last_event=max(state.last_event, fid), events=state.events + 1)
    if kind == ASSIGN:
        units = tuple(u for u in str(row.get("units") or "").split("；") if u)
        due = str(row.get("due_date") or "")[:10]
        return replace(state, workflow=ASSIGNED if state.workflow == UNASSIGNED else state.workflow,
                       assigned_units=units or state.assigned_units, due=due or state.due)
    if kind == SUPERVISE:  # a 督办 dated after the task's closing (recorded before it) ends with the closing
        if state.workflow == CLOSED:
            return state
        return replace(state, supervised=True, supervise_note=str(row.get("note") or ""))
    if kind == PROGRESS:
        return replace(state, workflow=WORKING, last_report=max(state.last_report, day))
    if kind == APPLY:
        return replace(state, workflow=APPLIED, pending=fid, applied_on=day, applicant=str(row.get("actor") or ""),
                       last_report=max(state.last_report, day))
    if kind == CLOSE:
        return replace(state, workflow=CLOSED, done_on=state.applied_on, closed_on=day,
                       verifier=str(row.get("actor") or ""), pending=None, supervised=False)
    if kind == REJECT:
        return replace(state, workflow=REJECTED, pending=None, applied_on="", applicant="")
    return state


def replay(rows: Iterable[Mapping[str, object]]) -> TaskState:
    """The state after ``rows`` (one task's events, in the order they apply)."""
    state = TaskState()
    for row in rows:
        state = apply_event(state, row)
    return state


def _ordered(events: pd.DataFrame) -> pd.DataFrame:
    keys = [c for c in ("event_date", "fid") if c in events.columns]
    return events.sort_values(keys, kind="stable") if keys else events


def states_as_of(events: pd.DataFrame, as_of: dt.date) -> dict[str, TaskState]:
    """task id → its state from the events dated on or before ``as_of`` (in date order, then as recorded)."""
    if events is None or events.empty:
        return {}
    dated = events[events["event_date"].astype(str).str[:10] <= as_of.isoformat()]
    out: dict[str, TaskState] = {}
    for row in _ordered(dated).to_dict("records"):
        tid = str(row["task_id"])
        out[tid] = apply_event(out.get(tid, TaskState()), row)
    return out


def current_state(rows: Sequence[Mapping[str, object]]) -> TaskState:
    """The state a task is in now: all its events in the order they were recorded."""
    return replay(sorted(rows, key=lambda r: int(r.get("fid") or 0)))


def check(state: TaskState, event: NewEvent, *, long_term: bool, actor: str, today: dt.date) -> None:
    """Raise :class:`TransitionRefused` (in Chinese, saying what to do) unless ``event`` may follow ``state``."""
    from geodata.i18n import t

    kind = event.kind
    if kind not in KINDS:
        raise TransitionRefused(t("sv_unknown_kind", kind=kind, kinds="、".join(f"{k}（{kind_label(k)}）" for k in KINDS)))
    if event.event_date > today:
        raise TransitionRefused(t("sv_future_date", date=event.event_date.isoformat(), today=today.isoformat()))
    if len(event.note) > MAX_NOTE_CHARS:
        raise TransitionRefused(t("sv_note_too_long", n=len(event.note), max=MAX_NOTE_CHARS))
    if len(event.doc_number) > MAX_DOC_NUMBER_CHARS:
        raise TransitionRefused(t("sv_doc_number_too_long", max=MAX_DOC_NUMBER_CHARS))
    if state.workflow == CLOSED:
        raise TransitionRefused(t("sv_closed", date=state.closed_on, verifier=state.verifier))
    if kind == ASSIGN and not event.units:
        raise TransitionRefused(t("sv_assign_needs_units"))
    if kind == SUPERVISE and not event.note.strip():
        raise TransitionRefused(t("sv_supervise_needs_note"))
    if kind in (PROGRESS, APPLY) and state.workflow == APPLIED:
        raise TransitionRefused(t("sv_pending", date=state.applied_on, applicant=state.applicant))
    if kind == PROGRESS and not event.note.strip():
        raise TransitionRefused(t("sv_progress_needs_note"))
    if kind == APPLY:
        if long_term:
            raise TransitionRefused(t("sv_long_term_no_close"))
        if not event.note.strip():
            raise TransitionRefused(t("sv_apply_needs_note"))
        if not (event.doc_number.strip() or event.evidence):
            raise TransitionRefused(t("sv_apply_needs_evidence"))
    if kind in (CLOSE, REJECT):
        if state.workflow != APPLIED or state.pending is None:
            raise TransitionRefused(t("sv_nothing_to_verify", action=kind_label(kind)))
        if actor == state.applicant:
            raise TransitionRefused(t("sv_own_application"))
        if event.event_date.isoformat() < state.applied_on:
            raise TransitionRefused(t("sv_verify_before_apply", date=event.event_date.isoformat(), applied=state.applied_on))
        if kind == REJECT and not event.note.strip():
            raise TransitionRefused(t("sv_reject_needs_reason"))
    if event.due_date is not None and kind != ASSIGN:
        raise TransitionRefused(t("sv_due_only_on_assign"))


def allowed_kinds(state: TaskState, *, long_term: bool, role: str, owner: bool) -> list[str]:
    """The kinds of event ``role`` may record on a task in ``state`` (``owner``: the user is one of its units)."""
    from geodata.accounts import may

    if state.workflow == CLOSED:
        return []
    kinds: list[str] = []
    for kind in KINDS:
        if not may(role, kind):
            continue
        if role == "reporter" and kind in OWNER_KINDS and not owner:
            continue
        if kind in (PROGRESS, APPLY) and state.workflow == APPLIED:
            continue
        if kind == APPLY and long_term:
            continue
        if kind in (CLOSE, REJECT) and state.workflow != APPLIED:
            continue
        kinds.append(kind)
    return kinds


def task_units(responsible: str, jurisdiction: str, assigned: Sequence[str] = ()) -> set[str]:
    """The full names of a task's units ("晋城市生态环境局"): those its plan names (as written in a plan of
    ``jurisdiction``) and those it was assigned to. A reporter may record on the task when one of
    its account's units is among them."""
    from geodata.areas import account_unit_key, unit_key, unit_name

    names = {unit_name(unit_key(u.strip(), jurisdiction)) for u in str(responsible or "").split("；") if u.strip()}
    for unit in assigned:
        key = account_unit_key(unit, jurisdiction)
        if key is not None:
            names.add(unit_name(key))
    return names


def owns(units: Sequence[str], responsible: str, jurisdiction: str, state: TaskState) -> bool:
    """Whether an account of ``units`` is one of the task's units."""
    return bool(set(units) & task_units(responsible, jurisdiction, state.assigned_units))


# -- evidence files ---------------------------------------------------------------------------------
# The limits of an application's evidence (envmap has no shared file-safety module yet; when one
# arrives these checks move there). Types are recognised by their content, never by the name.
EVIDENCE_MAX_FILES = 10
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024  # one file
EVIDENCE_MAX_TOTAL = 30 * 1024 * 1024  # one application
EVIDENCE_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ofd": "application/ofd",
}
_FILE_NAME_MAX = 120


@dataclass(frozen=True)
class Evidence:
    """One checked evidence file: a safe display name, the type its content has, the bytes."""

    file_name: str
    media_type: str
    content: bytes

    @property
    def size(self) -> int:
        return len(self.content)

    @property
    def sha256(self) -> str:
        import hashlib

        return hashlib.sha256(self.content).hexdigest()


def display_name(name: str) -> str:
    """A client's file name as a label: its last part, without control characters or reserved signs."""
    import re
    import unicodedata

    base = re.split(r"[\\/]", str(name or ""))[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    return re.sub(r'[<>:"|?*]', "_", base).strip(" .")[:_FILE_NAME_MAX] or "file"


def safe_file_name(name: str, extension: str) -> str:
    """A name to show and to offer for download: no folders, no control characters, our extension.

    The client's name is only ever a label: it is never used as a path.
    """
    base = display_name(name)
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = stem[: _FILE_NAME_MAX - len(extension) - 1].strip(" .") or "file"
    return f"{stem}.{extension}"


def sniff(content: bytes) -> str | None:
    """The evidence type of ``content`` (a key of :data:`EVIDENCE_TYPES`), read from its bytes; None if not allowed."""
    import io
    import zipfile

    if content.startswith(b"%PDF-"):
        return "pdf"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if content.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if content.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return None
        if "[Content_Types].xml" in names and any(n.startswith("word/") for n in names):
            return "docx"
        if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
            return "xlsx"
        if "OFD.xml" in names:
            return "ofd"
    return None


def check_evidence(files: Sequence[tuple[str, bytes]]) -> tuple[Evidence, ...]:
    """The uploaded ``(name, bytes)`` files as :class:`Evidence`, or :class:`EvidenceRejected` naming the
    file and the limit it breaks (count, size per file and in all, type by content)."""
    from geodata.errors import EvidenceRejected
    from geodata.i18n import t

    if len(files) > EVIDENCE_MAX_FILES:
        raise EvidenceRejected(t("evd_too_many", n=len(files), max=EVIDENCE_MAX_FILES))
    total = sum(len(c) for _n, c in files)
    if total > EVIDENCE_MAX_TOTAL:
        raise EvidenceRejected(t("evd_total_too_big", mb=_mb(total), max=_mb(EVIDENCE_MAX_TOTAL)))
    out = []
    for name, content in files:
        shown = display_name(name)
        if not content:
            raise EvidenceRejected(t("evd_empty", name=shown))
        if len(content) > EVIDENCE_MAX_BYTES:
            raise EvidenceRejected(t("evd_too_big", name=shown, mb=_mb(len(content)), max=_mb(EVIDENCE_MAX_BYTES)))
        kind = sniff(content)
        if kind is None:
            raise EvidenceRejected(t("evd_bad_type", name=shown, types="、".join(EVIDENCE_TYPES)))
        out.append(Evidence(safe_file_name(name, kind), EVIDENCE_TYPES[kind], bytes(content)))
    return tuple(out)


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f}"
