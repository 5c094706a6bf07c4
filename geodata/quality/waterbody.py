"""The waterbody type of a section — river, lake or reservoir — and the limits it is evaluated by.

GB 3838-2002 gives 总磷 separate limits for 湖、库 and classes 总氮 for them only; 《地表水环境质量
评价办法（试行）》(环办〔2011〕22号) evaluates lakes and reservoirs by the same 21 items with those
limits, reports 总氮 separately and adds the trophic state (营养状态). So each section needs its
type, stored on the section (``sections.waterbody``, with ``waterbody_source``):

1. **plan** — the plan says so (a 水体类型/断面类型 column: 河流, 湖泊, 水库, 湖库);
2. **curation** — ``data/plans/curation_sections.csv`` field ``waterbody`` with its reason;
3. **rule** — from the names, in this order:

   * a section named for a reservoir's outlet or inlet (…水库出口, …入库口, …坝下) is a **river**
     section: the water sampled there is the river below/above the dam. The national
     automatic-station platform evaluates 汾河水库出口, 册田水库出口, 后湾水库出口 with river
     limits (tests/fixtures/monitoring: every such row agrees with its published class);
   * the section's waterbody (``sections.river``, the platform's 所属河流) names a lake or a
     reservoir: it ends with 水库/库 → **reservoir**; with 湖, 海 (洱海, 邛海), 池 (滇池), 淀 (白洋淀),
     泡, 荡 (湘家荡), 海子 → **lake**. Words inside brackets are ignored
     (京杭大运河苏北段（湖西段）is a canal), and so is a lake word in the middle (四湖总干渠);
   * no waterbody is recorded and the section's own name ends so (三门峡水库, 九女湖) or names a
     point inside one (五里湖心, 升金湖中心点, 新河入湖区, …库心, …坝前) → the same;
   * otherwise a **river**.

   The platform keeps its own list: it evaluates the reservoirs 大黑汀水库 and 万家寨水库 (on the
   滦河 and the 黄河) with river limits, which the rule reproduces because their 所属河流 is a river;
   湘家荡, a lake by its name, it evaluates with river limits — the one difference left, explained
   in ``tests/geodata/quality/test_agreement.py``;
4. **import** — a monitoring file's 水体类型 column (or ``--waterbody 名称=lake``) overrides the
   section's type for the readings of that file; each stored reading keeps the type it was
   imported with.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

WATERBODIES = ("river", "lake", "reservoir")
LABELS = {"river": "河流", "lake": "湖泊", "reservoir": "水库"}
# the limits a type is evaluated by: 河流 or 湖库 (GB 3838-2002 表1 总磷 “湖、库”)
BASIS = {"river": "river", "lake": "lake", "reservoir": "lake"}
BASIS_LABELS = {"river": "河流标准（GB 3838-2002 表1）", "lake": "湖库标准（总磷按湖、库限值，总氮单独评价）"}
SOURCES = ("plan", "curation", "rule", "import")

_WORDS = {
    "river": "river", "河流": "river", "河": "river", "河道": "river", "渠道": "river", "运河": "river", "江": "river",
    "lake": "lake", "湖泊": "lake", "湖": "lake", "湖库": "lake", "湖、库": "lake", "湖(库)": "lake", "湖（库）": "lake",
    "reservoir": "reservoir", "水库": "reservoir", "库": "reservoir",
}
_OUTLET = re.compile(r"(?:出口|入口|入库口|出库口|入湖口|出湖口|坝下|坝后|库尾|入库)$")
_RESERVOIR = re.compile(r"(?:水库|库)$")
_LAKE = re.compile(r"(?:湖|海|池|淀|泡|荡|海子)$")
# a point inside a lake or a reservoir, named so (五里湖心, 升金湖中心点, 新河入湖区, 库心)
_IN_LAKE = re.compile(r"(?:湖心|湖中|入湖区|湖区|湖湾)")
_IN_RESERVOIR = re.compile(r"(?:库心|库区|坝前)")
_BRACKETS = re.compile(r"[（(][^（()）]*[)）]")


@dataclass(frozen=True)
class Assignment:
    """A section's waterbody type, where it came from and why."""

    waterbody: str
    source: str
    reason: str

    @property
    def basis(self) -> str:
        return BASIS[self.waterbody]


def parse_waterbody(text: object) -> str | None:
    """``river`` | ``lake`` | ``reservoir`` for a word people write (河流, 湖库, 水库 …), else None."""
    if text is None:
        return None
    key = str(text).strip().lower().replace(" ", "")
    return _WORDS.get(key)


def basis_of(waterbody: str | None) -> str:
    """The limits a waterbody type is evaluated by: ``river`` or ``lake``."""
    return BASIS.get(waterbody or "river", "river")


def _bare(name: str) -> str:
    return _BRACKETS.sub("", name or "").strip()


def _by_name(text: str, inside: bool = False) -> str | None:
    if _RESERVOIR.search(text) or (inside and _IN_RESERVOIR.search(text)):
        return "reservoir"
    if _LAKE.search(text) or (inside and _IN_LAKE.search(text)):
        return "lake"
    return None


def by_rule(name: str, river: str = "") -> Assignment:
    """The type the naming rule gives (see the module doc)."""
    name = _bare(name)
    water = _bare(river)
    if _OUTLET.search(name):
        return Assignment("river", "rule", f"断面名称“{name}”是水库/湖泊的出入口，按河流评价（与国家地表水自动监测平台一致）")
    if water:
        found = _by_name(water)
        if found:
            return Assignment(found, "rule", f"所在水体“{water}”是{LABELS[found]}")
        return Assignment("river", "rule", f"所在水体“{water}”是河流")
    found = _by_name(name, inside=True)
    if found:
        return Assignment(found, "rule", f"断面名称“{name}”是{LABELS[found]}或其中的点位，未记录所在水体")
    return Assignment("river", "rule", "未记录所在水体，名称不是湖泊或水库，按河流评价")


def assign(name: str, river: str = "", stated: object = None, curated: tuple[str, str] | None = None) -> Assignment:
    """The waterbody of a section: the plan's word, else the curated value, else the rule.

    ``stated`` is what the plan wrote (河流/湖库/水库…); ``curated`` is (value, reason).
    """
    plan = parse_waterbody(stated)
    if plan:
        return Assignment(plan, "plan", f"原文写明“{stated}”")
    if curated:
        value = parse_waterbody(curated[0])
        if value:
            return Assignment(value, "curation", curated[1])
    return by_rule(name, river)


def section_waterbody(record: object) -> str:
    """The waterbody type of a section record (a row of ``sections``), by rule when it is empty."""
    get = record.get if hasattr(record, "get") else (lambda k, d="": getattr(record, k, d))  # noqa: E731
    stored = parse_waterbody(get("waterbody", ""))
    if stored:
        return stored
    return by_rule(str(get("name", "") or ""), str(get("river", "") or "")).waterbody
