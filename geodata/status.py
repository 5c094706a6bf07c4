"""Task status as of a date: the states a leader must tell apart.

Progress is an append-only history (``task_updates``): what was reported on or before the
as-of date decides the status; nothing is ever overwritten, so an earlier date shows the
status as it was then. Every task has exactly one status:

========================  ==============================================================
``done_on_time``  按期完成  reported done on or before its deadline (or it has no deadline)
``done_late``     逾期完成  reported done after its deadline
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

# what a progress report may say (the rest is derived)
REPORT_DONE = "done"
REPORT_IN_PROGRESS = "in_progress"
REPORTED_STATUSES = (REPORT_IN_PROGRESS, REPORT_DONE)

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


def report_label(reported: str) -> str:
    """What a progress report said (已完成 / 推进中), in the current language."""
    from geodata.i18n import t

    return t(f"report_{reported}")


def task_status(
    deadline: str | dt.date | None,
    long_term: object,
    latest: tuple[str, str] | None,
    as_of: dt.date,
) -> str:
    """The status of one task as of ``as_of``.

    ``latest`` is the latest report on or before ``as_of`` as (status, reported_on), or None
    when nothing was reported by then.
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


def latest_updates(updates: pd.DataFrame, as_of: dt.date) -> dict[str, tuple[str, str]]:
    """task_id → (status, reported_on) of its latest report on or before ``as_of``."""
    if updates.empty:
        return {}
    frame = updates[updates["reported_on"].astype(str).str[:10] <= as_of.isoformat()]
    frame = frame.sort_values(["reported_on", "fid"] if "fid" in frame.columns else ["reported_on"], kind="stable")
    return {
        str(tid): (str(s), str(on)[:10])
        for tid, s, on in zip(frame["task_id"], frame["status"], frame["reported_on"], strict=True)
    }


def with_status(tasks: pd.DataFrame, updates: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """``tasks`` plus ``status``, ``days_overdue`` and ``days_left`` columns as of ``as_of``.

    ``days_overdue`` counts from the deadline to the as-of date for late tasks (to the report
    for 逾期完成); ``days_left`` counts to the deadline for 临期 tasks.
    """
    latest = latest_updates(updates, as_of)
    frame = tasks.copy()
    statuses, overdue_days, left_days = [], [], []
    for tid, deadline, long_term in zip(frame["id"], frame["deadline"], frame["long_term"], strict=True):
        report = latest.get(str(tid))
        status = task_status(deadline, long_term, report, as_of)
        due = _date(deadline)
        statuses.append(status)
        if status in LATE and due is not None:
            overdue_days.append((as_of - due).days)
        elif status == DONE_LATE and due is not None and report is not None:
            overdue_days.append((_date(report[1]) - due).days)  # type: ignore[operator]
        else:
            overdue_days.append(0)
        left_days.append((due - as_of).days if status == DUE_SOON and due is not None else 0)
    frame["status"] = statuses
    frame["days_overdue"] = overdue_days
    frame["days_left"] = left_days
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


def _truthy(value: object) -> bool:
    return str(value).strip() in ("1", "1.0", "True", "true")


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
