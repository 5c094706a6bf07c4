"""Task status as of a date: done, overdue, in progress, not reported, long-term.

Progress is an append-only history (``task_updates``): the current status of a task is its
latest update on or before the as-of date. A task with a deadline before the as-of date
that is not done is overdue (逾期), whatever was reported. Nothing is ever overwritten, so
looking at an earlier date shows the status as it was then.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

DONE = "done"
OVERDUE = "overdue"
IN_PROGRESS = "in_progress"
NOT_REPORTED = "not_reported"
LONG_TERM = "long_term"
NO_DEADLINE = "no_deadline"

STATUSES = (DONE, IN_PROGRESS, OVERDUE, NOT_REPORTED, LONG_TERM, NO_DEADLINE)
# what an update may say (the rest is computed)
REPORTED_STATUSES = (DONE, IN_PROGRESS)
LABELS_ZH = {
    DONE: "已完成",
    IN_PROGRESS: "推进中",
    OVERDUE: "逾期",
    NOT_REPORTED: "未报告",
    LONG_TERM: "长期坚持",
    NO_DEADLINE: "无明确时限",
}
COLORS = {
    DONE: "#2e7d32",
    IN_PROGRESS: "#1565c0",
    OVERDUE: "#c62828",
    NOT_REPORTED: "#9e9e9e",
    LONG_TERM: "#6a1b9a",
    NO_DEADLINE: "#757575",
}


def task_status(deadline: str | dt.date | None, long_term: object, latest: str | None, as_of: dt.date) -> str:
    """The status of one task as of ``as_of`` given its latest reported status (or None)."""
    if latest == DONE:
        return DONE
    due = _date(deadline)
    if due is not None:
        if due < as_of:
            return OVERDUE
        return IN_PROGRESS if latest == IN_PROGRESS else NOT_REPORTED
    if str(long_term) in ("1", "True", "true"):
        return LONG_TERM
    return IN_PROGRESS if latest == IN_PROGRESS else NO_DEADLINE


def latest_updates(updates: pd.DataFrame, as_of: dt.date) -> dict[str, str]:
    """task_id → the latest reported status on or before ``as_of``."""
    if updates.empty:
        return {}
    frame = updates[updates["reported_on"].astype(str) <= as_of.isoformat()]
    frame = frame.sort_values(["reported_on", "fid"] if "fid" in frame.columns else ["reported_on"])
    return dict(zip(frame["task_id"], frame["status"], strict=True))


def with_status(tasks: pd.DataFrame, updates: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """``tasks`` plus ``status``, ``status_label`` and ``days_overdue`` columns as of ``as_of``."""
    latest = latest_updates(updates, as_of)
    frame = tasks.copy()
    frame["status"] = [
        task_status(d, lt, latest.get(tid), as_of)
        for tid, d, lt in zip(frame["id"], frame["deadline"], frame["long_term"], strict=True)
    ]
    frame["status_label"] = frame["status"].map(LABELS_ZH)
    frame["days_overdue"] = [
        (as_of - due).days if s == OVERDUE and (due := _date(d)) else 0
        for s, d in zip(frame["status"], frame["deadline"], strict=True)
    ]
    return frame


def _date(value: object) -> dt.date | None:
    if value is None or value == "" or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None
