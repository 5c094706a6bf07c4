"""Local accounts, roles and sign-in: who may do what, for intranets without an identity provider.

Roles (each includes what the one before may do):

==============  =================================================================================
``viewer``      browse and export (what anyone may do without signing in, unless
                ``ENVMAP_REQUIRE_LOGIN=1``)
``reporter``    record progress and apply for 销号 on the tasks of the units the account belongs to
``supervisor``  assign (交办), chase (督办), verify (销号) or send back (退回) any task; record progress
``admin``       all of the above, and imports, sample removal; accounts are managed with ``envmap user``
==============  =================================================================================

Passwords are kept only as argon2id hashes (``argon2-cffi``: salted, memory-hard, the parameters
inside the hash, so stronger defaults of a later release re-hash on the next sign-in). Failed
sign-ins are logged in the store (``sign_ins``) and rate-limited per account: after
``ENVMAP_SIGNIN_MAX_FAILURES`` failures (default 5) within ``ENVMAP_SIGNIN_LOCK_MINUTES``
(default 15) the account refuses every attempt, right or wrong, until the window has passed.
A signed-in session ends after ``ENVMAP_SESSION_MINUTES`` (default 30) without activity.

The web pages write through :class:`ActingStore` — the store as seen by one signed-in user —
so every write names its user and is refused without the role, whatever the page shows.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from geodata.errors import EnvmapError, NotAllowed, SignInRefused, StoreBusy, StoreReadOnly
from geodata.model import LIST_SEP

VIEWER, REPORTER, SUPERVISOR, ADMIN = "viewer", "reporter", "supervisor", "admin"
ROLES = (VIEWER, REPORTER, SUPERVISOR, ADMIN)

# what each action needs: the lowest role that may do it (roles are ordered)
ACTIONS: dict[str, str] = {
    "view": VIEWER,
    "export": VIEWER,
    "progress": REPORTER,
    "apply_close": REPORTER,
    "bulk_progress": REPORTER,
    "assign": SUPERVISOR,
    "supervise": SUPERVISOR,
    "close": SUPERVISOR,
    "reject": SUPERVISOR,
    "import": ADMIN,
    "remove_samples": ADMIN,
    "manage_users": ADMIN,
}

NAME_PATTERN = re.compile(r"^[\w\u4e00-\u9fff.·@-]{2,40}$")
PASSWORD_MIN = 10


def role_label(role: str) -> str:
    from geodata.i18n import has, t

    return t(f"role_{role}") if has(f"role_{role}") else str(role)


def may(role: str, action: str) -> bool:
    """Whether ``role`` may do ``action`` (an entry of :data:`ACTIONS` or a kind of task event)."""
    needed = ACTIONS.get(action)
    if needed is None or role not in ROLES:
        return False
    return ROLES.index(role) >= ROLES.index(needed)


@dataclass(frozen=True)
class User:
    """A signed-in account: name, role, the units it belongs to (full names, "晋城市生态环境局")."""

    name: str
    role: str
    units: tuple[str, ...] = ()
    disabled: bool = False

    def may(self, action: str) -> bool:
        return not self.disabled and may(self.role, action)

    @property
    def label(self) -> str:
        return f"{self.name}（{role_label(self.role)}）"


def user_of(record: dict[str, Any] | None) -> User | None:
    """A ``users`` row (as the store returns it) as a :class:`User`."""
    if not record:
        return None
    units = tuple(u for u in str(record.get("units") or "").split(LIST_SEP) if u)
    return User(str(record["name"]), str(record["role"]), units, bool(int(record.get("disabled") or 0)))


# -- settings -------------------------------------------------------------------------------------

def _setting(name: str, default: int) -> int:
    try:
        return max(1, int(os.environ.get(name, "") or default))
    except ValueError:
        return default


def session_minutes() -> int:
    """Minutes of inactivity after which a signed-in session ends (``ENVMAP_SESSION_MINUTES``)."""
    return _setting("ENVMAP_SESSION_MINUTES", 30)


def max_failures() -> int:
    return _setting("ENVMAP_SIGNIN_MAX_FAILURES", 5)


def lock_minutes() -> int:
    return _setting("ENVMAP_SIGNIN_LOCK_MINUTES", 15)


def login_required() -> bool:
    """``ENVMAP_REQUIRE_LOGIN=1``: nothing is shown before sign-in (default: viewing is open)."""
    return os.environ.get("ENVMAP_REQUIRE_LOGIN", "0") == "1"


def session_expired(last_seen: float, now: float, minutes: int | None = None) -> bool:
    """Whether a session last active at ``last_seen`` (seconds) has expired at ``now``."""
    return now - last_seen > 60 * (minutes or session_minutes())


# -- passwords -----------------------------------------------------------------------------------

def _hasher():  # noqa: ANN202
    from argon2 import PasswordHasher

    return PasswordHasher()


def hash_password(password: str) -> str:
    """An argon2id hash of ``password`` (salted; parameters inside the hash)."""
    return _hasher().hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

    try:
        return _hasher().verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    try:
        return _hasher().check_needs_rehash(stored_hash)
    except Exception:  # noqa: BLE001 - an unreadable hash is replaced on the next good sign-in
        return True


def check_password(password: str, name: str) -> None:
    """Refuse weak passwords: at least :data:`PASSWORD_MIN` characters, two kinds of character
    (letters, digits, others), and not the account's name."""
    from geodata.i18n import t

    kinds = sum(bool(re.search(p, password)) for p in (r"[A-Za-z]", r"\d", r"[^A-Za-z\d]"))
    if len(password) < PASSWORD_MIN or kinds < 2:
        raise EnvmapError(t("acct_weak_password", n=PASSWORD_MIN))
    if name and name.lower() in password.lower():
        raise EnvmapError(t("acct_password_has_name"))


def check_name(name: str) -> str:
    from geodata.i18n import t

    name = name.strip()
    if not NAME_PATTERN.match(name):
        raise EnvmapError(t("acct_bad_name", name=name))
    return name


def check_role(role: str) -> str:
    from geodata.i18n import t

    if role not in ROLES:
        raise EnvmapError(t("acct_bad_role", role=role, roles="、".join(f"{r}（{role_label(r)}）" for r in ROLES)))
    return role


def account_units(units: Sequence[str], jurisdiction: str = "") -> list[str]:
    """The units an account belongs to, each as its full name ("晋城市生态环境局"); a unit whose
    jurisdiction cannot be read (a bare "市生态环境局" without ``jurisdiction``) is refused."""
    from geodata.areas import account_unit_key, unit_name
    from geodata.i18n import t

    out: list[str] = []
    for unit in units:
        for part in re.split(r"[；;，,]", unit):
            if not part.strip():
                continue
            key = account_unit_key(part, jurisdiction)
            if key is None:
                raise EnvmapError(t("acct_unit_ambiguous", unit=part.strip()))
            name = unit_name(key)
            if name not in out:
                out.append(name)
    return out


# -- account operations (the CLI calls these) ---------------------------------------------------------

def add_user(store, name: str, role: str, password: str, units: Sequence[str] = (), *, jurisdiction: str = "",  # noqa: ANN001
             by: str) -> User:
    """Create an account (its password checked and hashed); reporters must belong to a unit."""
    from geodata.i18n import t

    name, role = check_name(name), check_role(role)
    full_units = account_units(units, jurisdiction)
    if role == REPORTER and not full_units:
        raise EnvmapError(t("acct_reporter_needs_unit"))
    check_password(password, name)
    store.add_user(name, role, full_units, hash_password(password), by=by)
    return User(name, role, tuple(full_units))


def set_password(store, name: str, password: str, *, by: str) -> None:  # noqa: ANN001
    check_password(password, name)
    _existing(store, name)
    store.update_user(name, password_hash=hash_password(password), by=by)


def set_disabled(store, name: str, disabled: bool, *, by: str) -> None:  # noqa: ANN001
    _existing(store, name)
    store.update_user(name, disabled=disabled, by=by)


def _existing(store, name: str) -> dict[str, Any]:  # noqa: ANN001
    from geodata.i18n import t

    record = store.user_record(name)
    if record is None:
        raise EnvmapError(t("acct_no_such_user", name=name))
    return record


def current_user(store, name: str) -> User | None:  # noqa: ANN001
    """The account ``name`` as the store holds it now; None when it is gone or disabled."""
    user = user_of(store.user_record(name)) if name else None
    return user if user is not None and not user.disabled else None


def sign_in(store, name: str, password: str, *, client: str = "", now: dt.datetime | None = None) -> User:  # noqa: ANN001
    """Check a sign-in and log it; the :class:`User`, or :class:`SignInRefused` saying why (in Chinese).

    A wrong name and a wrong password get the same message. After :func:`max_failures` failures
    within :func:`lock_minutes` the account is locked for the rest of that window (every attempt,
    right or wrong, is refused and logged as ``locked``).
    """
    from geodata.i18n import t

    name = name.strip()
    now = now or dt.datetime.now(dt.UTC)
    since = (now - dt.timedelta(minutes=lock_minutes())).strftime("%Y-%m-%dT%H:%M:%SZ")

    def log(who: str, outcome: str) -> None:
        try:
            store.log_sign_in(who, outcome, client)
        except (StoreReadOnly, StoreBusy):  # a read-only (viewing) store checks sign-ins without logging them
            pass

    if store.sign_in_failures(name, since) >= max_failures():
        log(name, "locked")
        raise SignInRefused(t("signin_locked", minutes=lock_minutes()))
    record = store.user_record(name) if name else None
    if record is None or not verify_password(str(record["password_hash"]), password):
        log(name or "—", "unknown_user" if record is None else "wrong_password")
        raise SignInRefused(t("signin_wrong"))
    user = user_of(record)
    assert user is not None
    if user.disabled:
        log(name, "disabled")
        raise SignInRefused(t("signin_disabled"))
    if needs_rehash(str(record["password_hash"])) and not getattr(store, "read_only", False):
        store.update_user(name, password_hash=hash_password(password), by=name, bump=False)
    log(name, "ok")
    return user


# -- the store as one user sees it -------------------------------------------------------------------

# writes of the Store protocol and the action each needs (task events check their own, in the store)
_GUARDED = {
    "replace_document": "import",
    "set_locations": "import",
    "write_layer": "import",
    "write_measurements": "import",
    "delete_samples": "remove_samples",
    "delete_sample_history": "remove_samples",
    "set_meta": "import",
    "import_rows": "manage_users",
    "upgrade": "manage_users",
    "add_user": "manage_users",
    "update_user": "manage_users",
}
_WRITE_PREFIXES = ("write", "set", "add", "delete", "replace", "import", "record", "update", "log", "upgrade")


class ActingStore:
    """``store`` as ``user`` may use it: reads pass through; every write checks the role first (the
    user is looked up afresh, so a disabled account stops writing at once) and is logged with its
    user (``audit_log``); task events go to :meth:`record_event` with the user's name, where the
    store checks the role, the units and the task's state in the same transaction."""

    def __init__(self, store, user: User | None) -> None:  # noqa: ANN001
        self._store = store
        self.user = user

    def _check(self, action: str) -> User:
        from geodata.i18n import t

        if self.user is None:
            raise NotAllowed(t("acct_sign_in_first"))
        user = current_user(self._store, self.user.name)
        if user is None:
            raise NotAllowed(t("acct_gone", name=self.user.name))
        if not user.may(action):
            raise NotAllowed(t("acct_role_refused", name=user.name, role=role_label(user.role),
                               needed=role_label(ACTIONS[action])))
        return user

    def _name(self, kwargs: dict[str, Any]) -> str:
        from geodata.i18n import t

        if self.user is None:
            raise NotAllowed(t("acct_sign_in_first"))
        claimed = kwargs.pop("by", self.user.name)
        if claimed != self.user.name:  # a page cannot write in another account's name
            raise NotAllowed(t("acct_role_refused", name=self.user.name, role=role_label(self.user.role),
                               needed=role_label(ADMIN)))
        return self.user.name

    def record_event(self, task_id: str, kind: str, **kwargs: Any) -> int:
        return self._store.record_event(task_id, kind, by=self._name(kwargs), **kwargs)

    def record_events(self, events, **kwargs: Any) -> list[int]:  # noqa: ANN001
        return self._store.record_events(events, by=self._name(kwargs), **kwargs)

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._store, name)
        action = _GUARDED.get(name)
        if action is None and name.startswith(_WRITE_PREFIXES) and callable(attr):
            action = "manage_users"  # a write this class does not know: only an administrator
        if action is None:
            return attr

        def guarded(*args: Any, **kwargs: Any) -> Any:
            user = self._check(action)
            result = attr(*args, **kwargs)
            if name not in ("set_meta", "log_action"):
                self._store.log_action(user.name, name, _summary(name, args, result))
            return result

        return guarded


def _summary(name: str, args: tuple[Any, ...], result: Any) -> str:
    if name == "write_measurements" and args and isinstance(args[0], pd.DataFrame) and len(args[0]):
        files = sorted({str(f) for f in args[0].get("source_file", [])})
        return f"{len(args[0])} 个监测值：{'、'.join(files[:3])}"
    if isinstance(result, int):
        return str(result)
    return ""
