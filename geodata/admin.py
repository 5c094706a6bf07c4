"""The administrative units envmap covers: cities and their county-level units.

These are public facts of China's administrative division (民政部 区划), used to recognise
place names in plan text and to give a county its city. Geometry lives in ``geodata.geo``.
"""

from __future__ import annotations

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


def parent_of(name: str) -> str:
    """The city of a county, the province of a city, or "" when unknown."""
    if name in CITY_COUNTIES:
        return PROVINCE
    return COUNTY_CITY.get(name, SPECIAL_AREAS.get(name, ""))


def level_of(name: str) -> str:
    return "city" if name in CITY_COUNTIES else "county" if name in COUNTY_CITY else ""


def counties_in(text: str) -> list[str]:
    """County-level units named in ``text`` (full names, or short names followed by 县/市/区 words)."""
    found: list[str] = []
    for county in COUNTY_CITY:
        if county != "城区" and county in text and county not in found:
            found.append(county)
    # "绛县" inside "新绛县" is not a mention of 绛县
    return [c for c in found if not any(c != o and c in o and text.count(c) == text.count(o) for o in found)]
