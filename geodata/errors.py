"""The errors envmap raises. Messages are in Chinese, state the problem and the fix.

Only the CLI (``geodata.cli``) and the dashboard pages catch these; everything else lets
them propagate.
"""

from __future__ import annotations

from dataclasses import dataclass


class EnvmapError(Exception):
    """Base class: a problem the user can act on."""


class PlanParseError(EnvmapError):
    """A plan document cannot be read; names the file and, where known, the line."""

    def __init__(self, file: str, message: str, line: int | None = None) -> None:
        self.file = file
        self.line = line
        self.message = message
        where = f"{file} 第 {line} 行" if line else file
        super().__init__(f"{where}：{message}")


@dataclass(frozen=True)
class RowProblem:
    """One rejected row of an import: where, and why (in Chinese)."""

    line: int | None
    message: str

    def __str__(self) -> str:
        return f"第 {self.line} 行：{self.message}" if self.line else self.message


class ImportRejected(EnvmapError):
    """An import was refused as a whole; ``problems`` lists every offending row."""

    def __init__(self, file: str, problems: list[RowProblem], hint: str = "") -> None:
        self.file = file
        self.problems = problems
        lines = [f"{file} 未导入（数据库未作任何修改），共 {len(problems)} 处问题："]
        lines += [f"  - {p}" for p in problems[:50]]
        if len(problems) > 50:
            lines.append(f"  … 另有 {len(problems) - 50} 处问题未列出")
        if hint:
            lines.append(hint)
        super().__init__("\n".join(lines))


class StoreError(EnvmapError):
    """The store cannot be opened or written."""


class UnknownTable(EnvmapError):
    def __init__(self, name: str, valid: list[str]) -> None:
        super().__init__(f"没有名为“{name}”的数据表。可用的表：{'、'.join(valid)}")


class StoreBusy(StoreError):
    """Another writer held the store for longer than the wait allows; nothing was written."""


class StoreReadOnly(StoreError):
    """The store is open read-only (or the file/database refuses writes); nothing was written."""


class StoreUnavailable(StoreError):
    """The store's file or server cannot be reached (moved, deleted, server down)."""


class StoreConflict(StoreError):
    """A write would duplicate a unique key (e.g. a measurement already held by another file)."""


class SchemaError(StoreError):
    """The store's structure is not one this version of envmap can use (too new, not envmap's)."""


class MeasurementConflict(StoreConflict):
    """Monitoring values another file already holds at the same (site, date, time, item).

    ``held``: (source_file, site_id, first date, last date, values) per file and site;
    ``examples``: (source_row, source_file, site_id, date, time, item), at most 200.
    """

    def __init__(self, held: list[tuple], examples: list[tuple]) -> None:
        self.held = held
        self.examples = examples
        files = "、".join(sorted({str(h[0]) for h in held}))
        n = sum(int(h[4]) for h in held)
        super().__init__(f"监测数据未写入（数据库未作任何修改）：{n} 个值与其他文件（{files}）已导入的同一点位、时间、项目的值冲突。"
                         "请使用 --replace 以本文件为准。")
class NotAllowed(EnvmapError):
    """The signed-in user (or nobody) may not do this: sign in, or ask for the role."""


class SignInRefused(EnvmapError):
    """Wrong name or password, a disabled account, or too many failed attempts."""


class TransitionRefused(EnvmapError):
    """A supervision step that cannot follow the task's state (e.g. 销号 without an application)."""


class EvidenceRejected(EnvmapError):
    """An evidence file breaks a limit (count, size, type); nothing was stored."""


class TaskChanged(EnvmapError):
    """Someone recorded on the task after the writer opened it; ``newer`` are those events (dicts)."""

    def __init__(self, task_id: str, newer: list[dict[str, object]], message: str) -> None:
        self.task_id = task_id
        self.newer = newer
        super().__init__(message)
