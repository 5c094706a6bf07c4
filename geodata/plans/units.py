"""Splitting responsible-unit and person cells into lists.

Cells separate units with 、，, ； or spaces, and PDF wrapping also puts spaces *inside* a
unit ("市生态环境局 襄垣分局" is one unit, "山西陵川 崇安苏村煤业 有限公司" is one company).
A space-separated fragment is glued to the one before it when it cannot stand alone: it
starts with a branch word (分局, 有限公司 …) or the previous fragment is not a complete
unit name.
"""

from __future__ import annotations

import re

from geodata.plans.text import squash_cjk_spaces

# A complete unit name ends with one of these.
_UNIT_END = re.compile(
    r"(局|委|委员会|办|办公室|政府|管委会|中心|公司|集团|院|所|厂|站|队|部|处|室|会|镇|乡|街道|团|监狱|企业|单位|银行|协会|村|社区|园区)$"
)
_GLUE_START = re.compile(r"^(分局|分公司|有限|公司|集团|管委会|服务中心|人民政府|政府|等)|^[\u4e00-\u9fff]{1,4}(分局|分公司)$")
_SPLIT = re.compile(r"[、，,；;/]+")
_BRACKETS = re.compile(r"[〔\[［【]([^〕\]］】]*)[〕\]］】]")


def split_units(cell: str | None) -> list[str]:
    """Split a responsible-unit cell into unit names, undoing PDF line-wrap spaces.

    >>> split_units("市生态环境局 襄垣分局 县水利局")
    ['市生态环境局襄垣分局', '县水利局']
    >>> split_units("市生态环境局，各县（市、区）人民政府、开发区管委会")
    ['市生态环境局', '各县（市、区）人民政府', '开发区管委会']
    """
    if not cell:
        return []
    text = cell.replace("\u3000", " ").strip().strip("。.")
    # protect separators inside parentheses: 各县（市、区）人民政府
    protected = re.sub(r"（[^）]*）|\([^)]*\)|\[[^\]]*\]|［[^］]*］", lambda m: m.group(0).replace("、", "\x00").replace("，", "\x01"), text)
    units: list[str] = []
    for part in _SPLIT.split(protected):
        part = part.replace("\x00", "、").replace("\x01", "，").strip()
        if not part:
            continue
        fragments = [f for f in re.split(r"\s+", part) if f]
        current = ""
        for frag in fragments:
            if current and (_GLUE_START.match(frag) or not _UNIT_END.search(current)):
                current += frag
            else:
                if current:
                    units.append(current)
                current = frag
        if current:
            units.append(current)
    return [squash_cjk_spaces(u) for u in units if u not in ("等", "按职责分工负责")]


def split_persons(cell: str | None) -> list[str]:
    """Split a 责任人 cell ("赵志清 武化域") into names."""
    if not cell:
        return []
    return [p for p in re.split(r"[\s、，,；;]+", cell.strip()) if p]


_LEAD = re.compile(r"(按职责分工|按职责)?(牵头|负责|配合|落实)(?:落实)?")


def units_from_parenthetical(text: str) -> list[str]:
    """Units named in a task's closing parenthesis.

    Handles "（市生态环境局、市水务局按职责牵头，市财政局配合）" and
    "〔责任单位：市生态环境局，各县（市、区）人民政府〕".
    """
    t = text.strip()
    t = re.sub(r"^(责任单位|牵头单位|责任部门)[:：]", "", t)
    t = re.sub(r"以下.*$", "", t)  # "以下各项任务均需…负责，不再列出"
    units: list[str] = []
    for clause in re.split(r"[，,；;。]", t):
        clause = _LEAD.sub("", clause)
        clause = re.sub(r"等$", "", clause.strip())
        units.extend(split_units(clause))
    seen: list[str] = []
    for u in units:
        u = re.sub(r"(按职责分工|按职责|分工)$", "", u).strip()
        u = re.sub(r"等$", "", u)
        if u and u not in seen:
            seen.append(u)
    return seen
