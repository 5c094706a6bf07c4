"""Which area a record belongs to: one rule, so headlines and per-county tables add up.

Every record of a plan is attributed to exactly one (city, county) pair; the county is ""
for what belongs to the city as a whole (市级, or 县未写明). The rules:

* sections, groundwater points, water sources, enterprises: their ``county`` column; the city
  is that county's city, else the record's ``city`` column, else its document's jurisdiction;
* tasks and no-coal-zone commitments: a county plan's records belong to that county; a city
  plan's record belongs to the one county of that city it names (places, text, units), and to
  the city itself when it names none or several.

A county's view is then the records attributed to it, and a city's table of its counties
(plus one 市级 row) sums to the city's headline. City records that name a county among
others are *mentions*, offered separately (:func:`mentions_county`), never counted twice.

Units are written relative to their plan ("市生态环境局" in 晋城's plan is 晋城's bureau): a
unit is its name plus its jurisdiction (:func:`unit_jurisdiction`).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import pandas as pd

from geodata import admin

CITY_LEVEL = ""  # the county of a record that belongs to its city as a whole


@dataclass(frozen=True)
class Area:
    """A city, a county of it, or everything (both empty)."""

    city: str = ""
    county: str = ""

    @property
    def label(self) -> str:
        from geodata.i18n import t

        return self.county or self.city or t("area_all")

    def contains(self, city: str, county: str) -> bool:
        if self.county:
            return county == self.county
        if self.city:
            return city == self.city
        return True

    def names(self) -> list[str]:
        """Ways the county is written in running text (泽州县 / 泽州)."""
        if not self.county:
            return []
        short = short_name(self.county)
        return [self.county, *([short] if short else [])]


_NO_SHORT_FORM = ("城区", "郊区", "矿区", "新区", "开发区")


def short_name(county: str) -> str:
    """The short form running text uses for a county-level unit (泽州县 → 泽州), "" when it has none."""
    if len(county) > 2 and county[-1] in "县市区旗" and county not in _NO_SHORT_FORM and not county.endswith(_NO_SHORT_FORM):
        return county[:-1]
    return ""


@functools.cache
def city_of(name: str) -> str:
    """The city of a county-level unit, the name itself for a city, "" when unknown (any division in China)."""
    if admin.level_of(name) == "city":
        return name
    parent = admin.parent_of(name)
    return parent if parent and admin.level_of(parent) == "city" else ""


@functools.cache
def counties_of(city: str) -> tuple[str, ...]:
    """The county-level units of ``city`` (national division data), plus the zones plans treat as counties."""
    from geodata.gazetteer import gazetteer

    zones = tuple(a for a, c in admin.SPECIAL_AREAS.items() if c == city)
    division = admin.division_of(city)
    if division is None or division.level != "city":
        return tuple(admin.CITY_COUNTIES.get(city, ())) + zones
    return tuple(d.name for d in gazetteer().counties_of(division)) + zones


def _document_cities(documents: pd.DataFrame | None) -> dict[str, str]:
    if documents is None or documents.empty:
        return {}
    return {str(i): city_of(str(j)) or str(p) for i, j, p in
            zip(documents["id"], documents["jurisdiction"], documents.get("parent", [""] * len(documents)), strict=True)}


def attribute_sites(frame: pd.DataFrame, documents: pd.DataFrame | None = None) -> pd.DataFrame:
    """``frame`` (sections, points, sources, enterprises) plus ``area_city`` and ``area_county``.

    A frame that carries both columns already (attributed once and cached) is returned as it is.
    """
    if _attributed(frame):
        return frame
    frame = frame.copy()
    if frame.empty:
        return frame.assign(area_city=pd.Series(dtype=str), area_county=pd.Series(dtype=str))
    doc_city = _document_cities(documents)
    counties = frame["county"].astype(str).str.strip() if "county" in frame else pd.Series("", index=frame.index)
    cities = frame["city"].astype(str).str.strip() if "city" in frame else pd.Series("", index=frame.index)
    docs = frame["document_id"].astype(str) if "document_id" in frame else pd.Series("", index=frame.index)
    area_city = []
    for county, city, doc in zip(counties, cities, docs, strict=True):
        area_city.append(city_of(county) or city or doc_city.get(doc, ""))
    frame["area_city"] = area_city
    frame["area_county"] = counties.to_numpy()
    return frame


def _named_counties(text: str, city: str) -> list[str]:
    """Counties of ``city`` named in ``text``, full names or short forms followed by a unit word."""
    members = counties_of(city)
    found = [c for c in members if c in text]
    # "绛县" inside "新绛县" is not a mention of 绛县
    found = [c for c in found if not any(c != o and c in o and text.count(c) == text.count(o) for o in found)]
    for full in members:
        short = short_name(full)
        if short and full not in found and re.search(re.escape(short) + r"(?=[县市区分镇乡政府、，。\s])", text):
            found.append(full)
    return found


def attribute_tasks(tasks: pd.DataFrame, jurisdiction_col: str = "jurisdiction") -> pd.DataFrame:
    """``tasks`` (or commitments) plus ``area_city``, ``area_county`` by the rules above (a frame that has
    both already is returned as it is)."""
    if _attributed(tasks):
        return tasks
    frame = tasks.copy()
    if frame.empty:
        return frame.assign(area_city=pd.Series(dtype=str), area_county=pd.Series(dtype=str))
    text_cols = [c for c in ("places", "title", "content", "description", "responsible_units", "area_name") if c in frame]
    columns = [frame[c].astype(str).tolist() for c in text_cols]  # read once, not cell by cell
    area_city, area_county = [], []
    for i, jurisdiction in enumerate(frame[jurisdiction_col].astype(str)):
        if admin.level_of(jurisdiction) == "county" or jurisdiction in admin.SPECIAL_AREAS:
            area_city.append(city_of(jurisdiction) or admin.SPECIAL_AREAS.get(jurisdiction, ""))
            area_county.append(jurisdiction)
            continue
        city = city_of(jurisdiction) or jurisdiction
        text = "|".join(column[i] for column in columns)
        named = _named_counties(text, city)
        area_city.append(city)
        area_county.append(named[0] if len(named) == 1 else CITY_LEVEL)
    frame["area_city"] = area_city
    frame["area_county"] = area_county
    return frame


def _attributed(frame: pd.DataFrame) -> bool:
    return "area_city" in frame.columns and "area_county" in frame.columns


def in_area(frame: pd.DataFrame, area: Area) -> pd.DataFrame:
    """The attributed records of ``area``."""
    if area.county:
        return frame[frame["area_county"] == area.county]
    if area.city:
        return frame[frame["area_city"] == area.city]
    return frame


def mentions_county(frame: pd.DataFrame, area: Area) -> pd.DataFrame:
    """City records not attributed to ``area``'s county that still name it (shown apart, never counted)."""
    if not area.county or frame.empty:
        return frame.iloc[0:0]
    others = frame[(frame["area_city"] == area.city) & (frame["area_county"] != area.county)]
    text_cols = [c for c in ("places", "title", "content", "description", "responsible_units") if c in others]
    if others.empty or not text_cols:
        return others
    text = others[text_cols].astype(str).agg("|".join, axis=1)
    named = text.map(lambda s: area.county in _named_counties(s, area.city))
    return others[named]


# -- responsible units ------------------------------------------------------------------------

_COLLECTIVE = re.compile(r"^各")


@functools.lru_cache(maxsize=65536)  # a pure function of two names; ledgers repeat the same units thousands of times
def unit_jurisdiction(unit: str, plan_jurisdiction: str) -> str:
    """The jurisdiction a responsible unit belongs to, read the way the plan writes it.

    "陵川县人民政府" → 陵川县 (it names itself); "市生态环境局" → the plan's city ("市" in a county
    plan is the parent city); "县水利局" → the plan's county; "各县（市、区）人民政府" → the plan's
    city (a collective of its counties), "各乡镇政府" in a county plan → that county; anything else → the
    plan's jurisdiction.
    """
    unit = unit.strip()
    plan_city = city_of(plan_jurisdiction) or plan_jurisdiction
    named = _named_counties(unit, plan_city)
    if len(named) == 1:
        return named[0]
    for city in admin.CITY_COUNTIES:
        if city in unit or (len(city) > 2 and unit.startswith(city[:-1])):
            return city
    if _COLLECTIVE.match(unit):  # 各县（市、区）人民政府 in a city plan, 各乡镇政府 in a county plan
        return plan_jurisdiction
    if unit.startswith("市"):
        return plan_city
    return plan_jurisdiction


def unit_label(unit: str, jurisdiction: str) -> str:
    """A unit as a leader reads it: generic names carry their jurisdiction, "市生态环境局（晋城市）"."""
    if jurisdiction and jurisdiction[:2] not in unit and jurisdiction not in unit:
        return f"{unit}（{jurisdiction}）"
    return unit


EVERYWHERE = Area()  # no city, no county: all the data


# -- units as one name, whoever writes them ------------------------------------------------------

_LEVEL_WORDS = ("市", "县", "区", "旗")
_NOT_A_LEVEL_WORD = ("市场", "市政", "区域", "县域", "市容")


def _leading_division(text: str, context: str = "") -> tuple[str, int]:
    """The division ``text`` starts with (the last of a chain: "晋城市城区…" → 城区) and where its name ends."""
    from geodata.gazetteer import gazetteer

    g = gazetteer()
    near = g.lookup(context, short=False) if context else []
    named, end = "", 0
    for mention in g.mentions(text, near, zones=False):
        if mention.division is None or mention.start != end:
            break
        named, end = mention.division.name, mention.end
    return named, end


@functools.lru_cache(maxsize=4096)
def _rest_of(unit: str, jurisdiction: str) -> str:
    """``unit`` without the jurisdiction it starts with ("晋城市生态环境局" → "生态环境局",
    "市生态环境局" → "生态环境局", "县政府" → "政府"); ``人民政府`` is said ``政府``."""
    unit = re.sub(r"\s+", "", unit)
    _named, end = _leading_division(unit, jurisdiction)
    if end and end < len(unit):
        rest = unit[end:]
    elif unit[:1] in _LEVEL_WORDS and not unit.startswith(_NOT_A_LEVEL_WORD):
        rest = unit[1:]
    else:
        rest = unit
    return rest.replace("人民政府", "政府") or unit


def unit_key(unit: str, plan_jurisdiction: str) -> tuple[str, str]:
    """(jurisdiction, name within it) of a responsible unit as its plan writes it: the same unit
    written "市生态环境局" in 晋城's plan and "晋城市生态环境局" elsewhere has one key."""
    jurisdiction = unit_jurisdiction(unit, plan_jurisdiction)
    return jurisdiction, _rest_of(unit, jurisdiction)


_LABEL = re.compile(r"^(?P<name>.+?)[（(](?P<where>[^（）()]+)[）)]$")


def account_unit_key(text: str, jurisdiction: str = "") -> tuple[str, str] | None:
    """The key of a unit an account belongs to, as an administrator writes it: "晋城市生态环境局",
    "陵川县水利局", "市生态环境局（晋城市）" (the ledger's label), or a bare "市生态环境局" with
    ``jurisdiction`` given. None when no jurisdiction can be read (the name is ambiguous)."""
    text = re.sub(r"\s+", "", str(text or ""))
    if not text:
        return None
    label = _LABEL.match(text)
    if label and admin.level_of(label["where"]) in ("city", "county", "province"):
        where = label["where"]
        return where, _rest_of(label["name"], where)
    named, _end = _leading_division(text, jurisdiction)
    where = named or jurisdiction
    if not where:
        return None
    return where, _rest_of(text, where)


def unit_name(key: tuple[str, str]) -> str:
    """A unit's full name from its key: ("晋城市", "生态环境局") → "晋城市生态环境局"."""
    jurisdiction, rest = key
    return rest if jurisdiction and rest.startswith(jurisdiction) else f"{jurisdiction}{rest}"
