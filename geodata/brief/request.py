"""What an export shows: the view on screen (area, subject, period, as-of date, layers, filters) and the page.

A :class:`BriefRequest` is made by the command line (``envmap brief``) or by a page's export
button from the visitor's view; the same request gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from geodata.areas import Area
from geodata.errors import EnvmapError

SUBJECTS = ("water", "groundwater", "enterprises", "tasks")
LAYOUTS = ("slide", "a4", "a4-landscape")
FORMATS = ("png", "pdf")
SCREEN_DPI = 150  # a PNG for the screen or a slide; PRINT_DPI for print
PRINT_DPI = 300
# the layers a map can draw (the sidebar's); the default is the sidebar's default
LAYERS = ("sections", "reaches", "groundwater", "drinking", "enterprises", "zones", "towns")
DEFAULT_LAYERS = frozenset({"sections", "reaches", "groundwater", "enterprises", "zones"})


@dataclass(frozen=True)
class Filters:
    """A page's own filters, as on screen (empty = all)."""

    statuses: tuple[str, ...] = ()  # enterprises / tasks: task states
    industries: tuple[str, ...] = ()  # enterprises
    task_id: str = ""  # enterprises of one task
    kinds: tuple[str, ...] = ()  # groundwater point kinds
    compliance: tuple[str, ...] = ()  # groundwater: met / not_met / no_data / no_target
    domains: tuple[str, ...] = ()  # tasks
    plans: tuple[str, ...] = ()  # tasks
    units: tuple[str, ...] = ()  # tasks: responsible units
    query: str = ""  # tasks: search text
    due: tuple[str, ...] = ()  # tasks: deadline range (start, end), ISO dates

    def describe(self) -> list[tuple[str, str]]:
        """(filter key, chosen values) of the filters that are set."""
        out = []
        for name in ("statuses", "industries", "kinds", "compliance", "domains", "plans", "units"):
            values = getattr(self, name)
            if values:
                out.append((name, "、".join(values)))
        if self.task_id:
            out.append(("task_id", self.task_id))
        if self.query:
            out.append(("query", self.query))
        if len(self.due) == 2:
            out.append(("due", f"{self.due[0]}..{self.due[1]}"))
        return out


@dataclass(frozen=True)
class BriefRequest:
    area: Area
    subject: str
    year: int
    as_of: dt.date
    month: int | None = None
    cumulative: bool = False  # 累计: January to ``month`` (the pages' 累计 period); else the month alone
    layout: str = "slide"
    fmt: str = "png"
    dpi: int = SCREEN_DPI
    layers: frozenset[str] = DEFAULT_LAYERS
    filters: Filters = field(default_factory=Filters)
    map_mark: str = ""  # 审图号; empty: 内部资料，边界仅供参考

    def __post_init__(self) -> None:
        if self.subject not in SUBJECTS:
            raise EnvmapError(f"简报主题“{self.subject}”无法识别。可用：{' | '.join(SUBJECTS)}")
        if self.layout not in LAYOUTS:
            raise EnvmapError(f"版式“{self.layout}”无法识别。可用：{' | '.join(LAYOUTS)}")
        if self.fmt not in FORMATS:
            raise EnvmapError(f"格式“{self.fmt}”无法识别。可用：{' | '.join(FORMATS)}")
        if self.month is not None and not 1 <= self.month <= 12:
            raise EnvmapError(f"月份 {self.month} 不在 1–12 之间。")
        if self.cumulative and self.month is None:
            raise EnvmapError("累计（1 月至某月）需要给出月份（--month）。")
        if not 30 <= self.dpi <= 600:
            raise EnvmapError(f"分辨率 {self.dpi} dpi 不在 30–600 之间（屏幕 {SCREEN_DPI}，印刷 {PRINT_DPI}）。")
        unknown = set(self.layers) - set(LAYERS)
        if unknown:
            raise EnvmapError(f"图层 {'、'.join(sorted(unknown))} 无法识别。可用：{'、'.join(LAYERS)}")

    @property
    def file_stem(self) -> str:
        """A file name for this export: 襄垣县-water-2023-06-slide."""
        place = self.area.county or self.area.city or "全部"
        period = str(self.year) if not self.month else (f"{self.year}-01-{self.month:02d}" if self.cumulative
                                                          else f"{self.year}-{self.month:02d}")
        return f"{place}-{self.subject}-{period}-{self.layout}"


def resolve_area(name: str, areas: dict[str, list[str]]) -> Area:
    """The area a user names: a city, a county of one (襄垣县 → 长治市/襄垣县), or everything ("" / 全部)."""
    name = (name or "").strip()
    if name in ("", "全部", "全部辖区", "all"):
        return Area()
    if name in areas:
        return Area(name)
    for city, counties in areas.items():
        if name in counties:
            return Area(city, name)
    offered = "、".join([*areas, *(c for counties in areas.values() for c in counties)])
    raise EnvmapError(f"数据中没有辖区“{name}”。可选：{offered or '（数据库中还没有行动计划）'}；不写 --area 则为全部辖区。")


def default_year(years: list[int], with_results: list[int], today: dt.date | None = None) -> int:
    """The latest year (not in the future) with targets or data; else the latest year offered (as the sidebar)."""
    today = today or dt.date.today()
    for candidates in ([y for y in with_results if y in years and y <= today.year], [y for y in years if y <= today.year]):
        if candidates:
            return max(candidates)
    return min(years) if years else today.year
