"""The one place recogniser of the plan extractors: divisions, towns, villages, sections, companies.

Division names (provinces to counties, with former names, short forms near the document's
own jurisdiction, and development zones) come from :mod:`geodata.gazetteer` through
:mod:`geodata.admin`; towns (…镇/…乡), villages (…村), sections (…断面) and enterprises
(…有限公司/…厂/…工业园区) are recognised by their suffix with the guards below against the
generic words plans are full of ("乡镇", "城中村", "重点断面", "焦化厂").
"""

from __future__ import annotations

import re

from geodata import admin
from geodata.plans.text import squash_cjk_spaces


def _squash(text: str) -> str:
    return squash_cjk_spaces(re.sub(r"[ \u3000]+", " ", text))


# ----------------------------------------------------------------------------- places

_DELIM = r"(?:^|(?<=[，、。；：（()“”\s和及与的]))"
_NAME_CHAR = r"(?:(?![镇乡县市区村省])[\u4e00-\u9fff])"
_DELIM_PLACE = r"(?:^|(?<=[，、。；：（()“”\s和及与县市区镇乡]))"
_GENERIC_START = (
    "各",
    "全",
    "本",
    "该",
    "每",
    "有关",
    "相关",
    "其他",
    "所有",
    "现有",
    "新建",
    "重点",
    "城镇",
    "乡镇",
    "建制",
    "农村",
    "集中",
    "生活",
    "污水",
    "工业",
    "城市",
    "城乡",
    "特色",
    "一",
    "两",
    "周边",
    "沿线",
    "涉",
    "已",
    "未",
    "以",
    "对",
    "在",
    "推进",
    "完成",
    "加快",
    "开展",
    "支持",
    "督促",
    "启动",
    "实施",
    "其中",
    "中心城区",
    "主城区",
    "市区",
    "城区",
    "县城",
    "燃煤",
    "洗煤",
    "修复",
    "大力",
    "鼓励",
    "保障",
    "确保",
    "充分",
    "乡",
    "镇",
    "村",
    "第",
)
_GENERIC_INSIDE = (
    "纳入",
    "强化",
    "推动",
    "做好",
    "改善",
    "加强",
    "河流断面",
    "不得",
    "排入",
    "转送",
    "可能",
    "出厂",
    "被",
    "向",
    "进行",
    "评估",
    "认定",
    "工作",
    "治理",
    "改造",
    "建设",
)
_TOWN = re.compile(_DELIM_PLACE + "(" + _NAME_CHAR + r"{2,3}(?:镇|乡))(?![镇村民级里土])")
_VILLAGE = re.compile(_DELIM_PLACE + "(" + _NAME_CHAR + r"{1,3}村)(?![庄民镇乡落级委集社])")
_SECTION_NAME = re.compile(_DELIM + r"([\u4e00-\u9fff]{2,10}断面)")
_SECTION_BAD = set("考控标个各质核制一该等类重监测省国市的有级些每超")
_COMPANY_END = r"(?:股份有限公司|有限责任公司|有限公司|分公司)"
_ENTERPRISE = re.compile(
    _DELIM
    + r"((?:(?![的等及和])[\u4e00-\u9fffA-Za-z0-9（）()]){2,30}?(?:"
    + _COMPANY_END
    + r"|集团"
    + _COMPANY_END
    + r"?|工业园区|工业园|污水处理厂|净化水厂|厂))(?![房区内外])"
)


_VERB_PREFIXES = (
    "中心城区",
    "主城区",
    "市区",
    "城区",
    "其中",
    "支持",
    "推进",
    "完成",
    "督促",
    "启动",
    "全面淘汰",
    "淘汰",
    "投运",
    "扎实开展",
    "开展",
    "对",
    "在",
    "将",
)


def _strip_prefix(name: str, context: str = "") -> str:
    if "（" in name and "）" not in name.split("（")[-1]:
        name = name.split("（")[-1]
    changed = True
    while changed:
        changed = False
        for county in admin.counties_in(name, context):
            # "河津市山西阳光焦化集团…" → the registered name; "高平市瑞发建材…" keeps its county
            if name.startswith(county) and name[len(county) :].startswith(("山西", "晋城", "运城", "中国")):
                name = name[len(county) :]
                changed = True
        for word in _VERB_PREFIXES:
            if name.startswith(word) and len(name) > len(word) + 2:
                name = name[len(word) :]
                changed = True
    return name


_COVERED_ORDER = {c: k for k, c in enumerate(admin.COUNTY_CITY)}


def _counties(text: str, context: str = "") -> list[str]:
    found = admin.counties_in(text, context)
    # the bundled area's counties in their fixed order (as the bundled data has always listed
    # them), then any other county in the order the text names them
    position = {c: k for k, c in enumerate(found)}
    found.sort(key=lambda c: _COVERED_ORDER.get(c, len(_COVERED_ORDER) + position[c]))
    # "新绛县" also contains "绛县": keep the longer name only
    return [c for c in found if not any(c != o and c in o for o in found)]


def places_in(text: str, context: str = "") -> list[str]:
    """Counties, towns, villages, sections and enterprises named in ``text``.

    ``context`` is the document's jurisdiction: with it, the short forms of its own
    counties ("泽州" in a 晋城 plan) count too (see :func:`geodata.admin.counties_in`).
    """
    t = _squash(text).replace(" ", "")
    out: list[str] = []

    def add(name: str) -> None:
        if name and name not in out:
            out.append(name)

    written_in_full = _counties(t)
    for county in _counties(t, context):
        # the plan's own county by its short form ("襄垣分局") is not a place of the task
        if county != context or county in written_in_full:
            add(county)
    for m in _TOWN.finditer(t):
        name = m.group(1)
        if (
            not name.startswith(_GENERIC_START)
            and not (len(name) >= 4 and name.endswith(("城镇", "乡镇", "村镇", "集镇", "小镇")))
            and not any(w in name for w in _GENERIC_INSIDE)
        ):
            add(name)
    for m in _VILLAGE.finditer(t):
        name = m.group(1)
        if name.endswith(("农村", "乡村", "行政村", "自然村", "城中村", "新村")) or name.startswith(
            _GENERIC_START
        ):
            continue
        add(name)
    for m in _SECTION_NAME.finditer(t):
        name = m.group(1)
        if (
            name[-3] in _SECTION_BAD
            or name.startswith(_GENERIC_START)
            or any(w in name for w in _GENERIC_INSIDE)
        ):
            continue
        add(name)
    for m in _ENTERPRISE.finditer(t):
        name = _strip_prefix(m.group(1), context)
        if (
            len(name) < 5
            or name.startswith(_GENERIC_START)
            or re.search(r"[等的及和]|\d+[个家座台]", name)
            or name.startswith("市")
        ):
            continue
        if any(w in name for w in _GENERIC_INSIDE):
            continue
        add(name)
    return out


