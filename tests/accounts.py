"""Accounts for tests: made in the store directly (one argon2 hash per session, not per account)."""

from __future__ import annotations

import datetime as dt
import functools

PASSWORD = "测试口令Test2023"


@functools.cache
def password_hash() -> str:
    from geodata.accounts import hash_password

    return hash_password(PASSWORD)


def account(store, name: str = "督办员", role: str = "supervisor", units: tuple[str, ...] = ()) -> str:  # noqa: ANN001
    """An enabled account ``name`` in ``store`` (made once); returns the name."""
    if store.user_record(name) is None:
        store.add_user(name, role, list(units), password_hash(), by="test")
    return name


def report(store, task: str, note: str = "进展", day: dt.date = dt.date(2023, 6, 1), by: str = "督办员") -> int:  # noqa: ANN001
    """A progress report on ``task`` by ``by`` (a supervisor made on first use); returns its id."""
    return store.record_event(task, "progress", by=by, event_date=day, note=note)
