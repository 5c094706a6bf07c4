"""A demo supervision history (示例数据（非实测）): what the ledger looks like after some months of 督办.

For about a quarter of the tasks that have a deadline (chosen by a generator seeded with the
seed and the task id, so the choice is stable): a supervisor assigns the task some weeks after
its plan was issued; its units report progress; most apply for 销号 near the deadline (some
late), most applications are verified (销号), some sent back (退回) first and applied for
again; tasks still open past their deadline get a 督办. Long-term tasks (长期坚持) get a
periodic report every few months. Tasks with a real history get none. Every event is checked against the rules of
:mod:`geodata.supervision` as it is generated, dated no later than today, flagged
``is_sample = 1``, recorded by the made-up actors "示例·督办员" / "示例·责任单位" (no account
exists for them, none can sign in as them), and every note starts with
"【示例数据（非实测）】". ``envmap samples --remove`` deletes them with the sample values.
"""

from __future__ import annotations

import datetime as dt
import random

import pandas as pd

from geodata import supervision
from geodata.status import truthy

SAMPLE_LABEL = "【示例数据（非实测）】"
SUPERVISOR = "示例·督办员"
REPORTER = "示例·责任单位"
SHARE = 0.25
_FINGERPRINT = "sample_history_fingerprint"


def _start(issue: str, deadline: dt.date) -> dt.date:
    try:
        issued = dt.date.fromisoformat(str(issue)[:10])
    except ValueError:
        issued = deadline - dt.timedelta(days=180)
    return min(issued, deadline - dt.timedelta(days=30))


def generate_history(tasks: pd.DataFrame, documents: pd.DataFrame, seed: int, today: dt.date,
                     skip: set[str] | frozenset[str] = frozenset()) -> list[dict[str, object]]:
    """The demo events (``task_events`` rows without ids), valid under the supervision rules; tasks in
    ``skip`` (those with a real history) get none."""
    issued = dict(zip(documents.get("id", []), documents.get("issue_date", []), strict=True))
    rows: list[dict[str, object]] = []
    for task in tasks.drop_duplicates("id").sort_values("id").itertuples():
        if str(task.id) in skip:
            continue
        rng = random.Random(f"{seed}|history|{task.id}")
        if rng.random() >= SHARE:
            continue
        long_term = truthy(task.long_term)
        try:
            deadline = dt.date.fromisoformat(str(task.deadline)[:10])
        except ValueError:
            deadline = None
        if deadline is None and not long_term:
            continue
        start = _start(str(issued.get(task.document_id, "")), deadline or today)
        plan: list[tuple[str, dt.date, str, str]] = []  # kind, date, note, doc number
        assigned = start + dt.timedelta(days=rng.randint(7, 25))
        plan.append((supervision.ASSIGN, assigned, "请按计划要求推进并按月报送进展。", ""))
        if long_term:
            day = assigned
            while True:
                day += dt.timedelta(days=rng.randint(60, 120))
                if day > today:
                    break
                plan.append((supervision.PROGRESS, day, "本期工作按计划持续推进。", ""))
        else:
            assert deadline is not None
            span = max((deadline - assigned).days, 10)
            plan.append((supervision.PROGRESS, assigned + dt.timedelta(days=rng.randint(5, max(6, span // 2))),
                         "已制定实施方案，正在推进。", ""))
            roll = rng.random()
            if roll < 0.7:  # applies for 销号, on time or up to two months late
                applied = deadline - dt.timedelta(days=rng.randint(0, 20)) if rng.random() < 0.7 else \
                    deadline + dt.timedelta(days=rng.randint(5, 60))
                number = f"示例〔{applied.year}〕{rng.randint(1, 99)}号"
                plan.append((supervision.APPLY, applied, "任务已完成，申请销号。", number))
                verdict = rng.random()
                if verdict < 0.2:  # sent back, then applied for again
                    back = applied + dt.timedelta(days=rng.randint(3, 10))
                    plan.append((supervision.REJECT, back, "佐证材料不全，请补充验收报告。", ""))
                    again = back + dt.timedelta(days=rng.randint(5, 20))
                    plan.append((supervision.APPLY, again, "已补充验收报告，再次申请销号。", number))
                    plan.append((supervision.CLOSE, again + dt.timedelta(days=rng.randint(2, 10)), "核验通过，予以销号。", ""))
                elif verdict < 0.85:
                    plan.append((supervision.CLOSE, applied + dt.timedelta(days=rng.randint(2, 15)), "核验通过，予以销号。", ""))
            elif roll < 0.9:  # still open: chased once past its deadline
                plan.append((supervision.SUPERVISE, deadline + dt.timedelta(days=rng.randint(3, 20)),
                             "已超过完成时限，请于一周内报送整改进展。", ""))
        rows += _valid(task, plan, long_term, today)
    return rows


def _valid(task, plan: list[tuple[str, dt.date, str, str]], long_term: bool, today: dt.date) -> list[dict[str, object]]:  # noqa: ANN001
    """The planned events that the rules accept, in order, up to today."""
    state = supervision.TaskState()
    out: list[dict[str, object]] = []
    units = tuple(sorted(supervision.task_units(str(task.responsible_units or ""), str(task.jurisdiction or ""))))[:3]
    for n, (kind, day, note, number) in enumerate(sorted(plan, key=lambda p: p[1]), start=1):
        if day > today:
            break
        actor = SUPERVISOR if kind in supervision.SUPERVISOR_KINDS else REPORTER
        event = supervision.NewEvent(str(task.id), kind, day, SAMPLE_LABEL + note, number,
                                     units if kind == supervision.ASSIGN else ())
        if kind == supervision.ASSIGN and not units:
            continue
        try:
            supervision.check(state, event, long_term=long_term, actor=actor, today=today)
        except supervision.TransitionRefused:
            break
        row: dict[str, object] = {
            "task_id": str(task.id), "kind": kind, "event_date": day.isoformat(), "note": event.note,
            "doc_number": number or None, "units": "；".join(event.units) or None, "due_date": None,
            "answers": state.pending if kind in (supervision.CLOSE, supervision.REJECT) else None,
            "actor": actor, "actor_role": "sample", "source": "sample", "is_sample": 1,
        }
        state = supervision.apply_event(state, {**row, "fid": n})
        out.append(row)
    return out


def load_sample_history(store, seed: int, today: dt.date | None = None) -> int:  # noqa: ANN001 - Store
    """Put the demo history for ``seed`` in the store (replacing an earlier one); returns how many events.

    Idempotent like the sample values: the same seed on the same day writes nothing.
    """
    today = today or dt.date.today()
    held = store.task_events()
    real = set(held.loc[held["is_sample"].astype(int) == 0, "task_id"].astype(str)) if len(held) else set()
    rows = generate_history(store.read_table("tasks"), store.read_table("documents"), seed, today, real)
    fingerprint = f"{seed}:{today.isoformat()}:{len(rows)}"
    if store.meta(_FINGERPRINT) == fingerprint:
        return len(rows)
    n = store.write_sample_history(rows)
    store.set_meta(_FINGERPRINT, fingerprint)
    return n


def remove_sample_history(store) -> int:  # noqa: ANN001 - Store
    n = store.delete_sample_history()
    store.set_meta(_FINGERPRINT, "")
    return n
