"""Task status as of a date: the states a leader must tell apart.

Progress is an append-only history (``task_events``, read by :mod:`geodata.supervision`):
the events dated on or before the as-of date decide the status; nothing is ever overwritten,
so an earlier date shows the status as it was then. *Done* means closed (已销号) — verified by a
supervisor — and counts from the date of the accepted application for 销号; *reported* means the
task's units reported progress or applied for 销号. The deadline is the plan's, unless a
supervisor set another when assigning the task (交办). Every task has exactly one status:

========================  ==============================================================
``done_on_time``  按期完成  closed, applied for on or before its deadline (or it has no deadline)
``done_late``     逾期完成  closed, applied for after its deadline
``overdue``       逾期      deadline passed, not done, progress was reported
``overdue_unreported``    deadline passed and nothing was ever reported: 逾期未报告
``due_soon``      临期      not done, deadline within :data:`DUE_SOON_DAYS` days
``in_progress``   推进中    progress reported, deadline not near
``not_reported``  未报告    deadline not near, nothing reported yet
``long_term``     长期坚持  the plan says 长期坚持/持续推进: no deadline, never late
``no_deadline``   无明确时限 the plan gives no deadline
========================  ==============================================================
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

DONE_ON_TIME = "done_on_time"
DONE_LATE = "done_late"
OVERDUE = "overdue"
OVERDUE_UNREPORTED = "overdue_unreported"
DUE_SOON = "due_soon"
IN_PROGRESS = "in_progress"
NOT_REPORTED = "not_reported"
LONG_TERM = "long_term"
NO_DEADLINE = "no_deadline"

# the order a ledger lists them in: what needs attention first
STATUSES = (OVERDUE_UNREPORTED, OVERDUE, DUE_SOON, IN_PROGRESS, NOT_REPORTED, DONE_LATE, DONE_ON_TIME,
            LONG_TERM, NO_DEADLINE)
LATE = (OVERDUE, OVERDUE_UNREPORTED)  # what "逾期任务" counts
DONE = (DONE_ON_TIME, DONE_LATE)
DUE_SOON_DAYS = 30

# what a task's history says as of a date, for :func:`task_status`: closed (done, on the date of the
# accepted application) or reported (the date of the latest report)
REPORT_DONE = "done"
REPORT_IN_PROGRESS = "in_progress"

COLORS = {
    DONE_ON_TIME: "#2e7d32",
    DONE_LATE: "#7cb342",
    OVERDUE: "#c62828",
    OVERDUE_UNREPORTED: "#8e0000",
    DUE_SOON: "#ef6c00",
    IN_PROGRESS: "#1565c0",
    NOT_REPORTED: "#9e9e9e",
    LONG_TERM: "#6a1b9a",
    NO_DEADLINE: "#757575",
}


def label(status: str) -> str:
    """The status as the UI says it, in the current language."""
    from geodata.i18n import t

    return t(f"status_{status}")


def task_status(
    deadline: str | dt.date | None,
    long_term: object,
    latest: tuple[str, str] | None,
    as_of: dt.date,
) -> str:
    """The status of one task as of ``as_of``.

    ``latest`` is what the history says by then: (``REPORT_DONE``, date of the accepted
    application) for a closed task, (``REPORT_IN_PROGRESS``, date of the latest report) for a
    reported one, None when nothing was reported.
    """
    if _truthy(long_term):
        return LONG_TERM
    due = _date(deadline)
    if latest is not None and latest[0] == REPORT_DONE:
        done_on = _date(latest[1])
        return DONE_LATE if due is not None and done_on is not None and done_on > due else DONE_ON_TIME
    if due is None:
        return IN_PROGRESS if latest is not None else NO_DEADLINE
    if due < as_of:
        return OVERDUE if latest is not None else OVERDUE_UNREPORTED
    if (due - as_of).days <= DUE_SOON_DAYS:
        return DUE_SOON
    return IN_PROGRESS if latest is not None else NOT_REPORTED


def with_status(tasks: pd.DataFrame, events: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """``tasks`` plus their state as of ``as_of``: ``status`` (the nine above), ``days_overdue``,
    ``days_left``, and from the supervision history ``workflow``, ``supervised`` (督办), ``due``
    (the deadline that counts), ``last_report`` and ``assigned_units`` (交办 to, "；"-joined).

    ``days_overdue`` counts from the deadline to the as-of date for late tasks (to the accepted
    application for 逾期完成); ``days_left`` counts to the deadline for 临期 tasks.
    """
    from geodata.supervision import CLOSED, UNASSIGNED, states_as_of

    states = states_as_of(events, as_of)
    frame = tasks.copy()
    statuses, overdue_days, left_days, workflow, supervised, dues, reports, assigned = [], [], [], [], [], [], [], []
    for tid, deadline, long_term in zip(frame["id"], frame["deadline"], frame["long_term"], strict=True):
        state = states.get(str(tid))
        due_text = (state.due if state is not None and state.due else "") or str(deadline or "")
        if state is not None and state.workflow == CLOSED:
            latest: tuple[str, str] | None = (REPORT_DONE, state.done_on)
        elif state is not None and state.reported:
            latest = (REPORT_IN_PROGRESS, state.last_report)
        else:
            latest = None
        status = task_status(due_text, long_term, latest, as_of)
        due = _date(due_text)
        statuses.append(status)
        if status in LATE and due is not None:
            overdue_days.append((as_of - due).days)
        elif status == DONE_LATE and due is not None and latest is not None:
            overdue_days.append((_date(latest[1]) - due).days)  # type: ignore[operator]
        else:
            overdue_days.append(0)
        left_days.append((due - as_of).days if status == DUE_SOON and due is not None else 0)
        workflow.append(state.workflow if state is not None else UNASSIGNED)
        supervised.append(bool(state is not None and state.supervised))
        dues.append(due.isoformat() if due is not None else "")
        reports.append(state.last_report if state is not None else "")
        assigned.append("；".join(state.assigned_units) if state is not None else "")
    frame["status"] = statuses
    frame["days_overdue"] = overdue_days
    frame["days_left"] = left_days
    frame["workflow"] = workflow
    frame["supervised"] = supervised
    frame["due"] = dues
    frame["last_report"] = reports
    frame["assigned_units"] = assigned
    return frame


def status_text(status: str, days_overdue: int = 0, days_left: int = 0) -> str:
    """A status with its days where they matter: 逾期未报告（152 天）, 临期（剩 12 天）."""
    from geodata.i18n import t

    if status in LATE and days_overdue:
        return t("status_with_days_late", status=label(status), d=days_overdue)
    if status == DONE_LATE and days_overdue:
        return t("status_with_days_late", status=label(status), d=days_overdue)
    if status == DUE_SOON:
        return t("status_with_days_left", status=label(status), d=days_left)
    return label(status)


def truthy(value: object) -> bool:
    """A stored boolean (1, "1", True, "True", "1.0") as a bool."""
    return str(value).strip() in ("1", "1.0", "True", "true")


_truthy = truthy


def _date(value: object) -> dt.date | None:
    if value is None or value == "" or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None
