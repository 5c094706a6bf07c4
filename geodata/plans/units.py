"""Splitting responsible-unit and person cells into lists.

Cells separate units with 、，, ； or spaces, and PDF wrapping also puts spaces *inside* a
unit ("市生态环境局 襄垣分局" is one unit, "山西陵川 崇安苏村煤业 有限公司" is one company).
A space-separated fragment is glued to the one before it when it cannot stand alone: it
starts with a branch word (分局, 有限公司 …) or the previous fragment is not a complete
unit name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geodata.plans.text import split_top, squash_cjk_spaces

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


# ---------------------------------------------------------------- roles: lead / support

# role words as plans write them, most specific first; "督导", "参与" are roles, not unit names
_SUPPORT_ROLE = r"(?:按职责分工|按职责|分别)?(?:配合|参与|协助|协办|协同|配合落实)"
_LEAD_ROLE = r"(?:按职责分工|按职责|分别|共同)?(?:牵头督导|牵头负责|牵头|督导)"
_RESPONSIBLE_ROLE = r"(?:按职责分工|按职责|分别|共同)?(?:负责落实|负责实施|具体负责|负责|落实|实施|承担)"
_LABELS = (
    ("lead", r"牵头单位|牵头部门|主责单位|主要责任单位"),
    ("support", r"配合单位|配合部门|协办单位|参与单位|协助单位"),
    ("responsible", r"责任单位|责任部门|责任主体|实施单位|落实单位"),
)
_LABEL = re.compile("(" + "|".join(f"(?P<{k}>{v})" for k, v in _LABELS) + r")\s*[:：]")
_ROLE_AT_END = re.compile(rf"(?P<support>{_SUPPORT_ROLE})$|(?P<lead>{_LEAD_ROLE})$|(?P<responsible>{_RESPONSIBLE_ROLE})$")
DEFAULT_CLAUSE = re.compile(
    r"以下(?:各项|所有)?(?:任务|工作|措施)?(?:均需|均由|需|由)(?P<units>.+?)(?:负责落实|负责|落实|承担|实施)"
    r"(?:[^。；）)〕]*?)不再(?:一一)?列出"
)
_PLACE_ONLY = re.compile(r"^[\u4e00-\u9fff]{2,4}$")


@dataclass(frozen=True)
class Roles:
    """The units of a task by role, each in the order written; ``all`` is every unit once."""

    lead: tuple[str, ...] = ()
    support: tuple[str, ...] = ()
    responsible: tuple[str, ...] = ()
    written: tuple[str, ...] = ()  # every unit in the order the text names them

    @property
    def all(self) -> list[str]:
        return list(dict.fromkeys([*self.written, *self.lead, *self.responsible, *self.support]))

    def merged(self, other: Roles) -> Roles:
        def join(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
            return tuple(dict.fromkeys([*a, *b]))

        return Roles(
            join(self.lead, other.lead), join(self.support, other.support),
            join(self.responsible, other.responsible), join(self.written, other.written),
        )


_COLLECTIVE = re.compile(r"^各?(?:县|市|区|旗|乡|镇|乡镇|街道|县（市）|县（区）)$")


def _is_place_name(text: str) -> bool:
    """A bare place ("临汾", "侯马") or collective ("各县" of "各县、区人民政府") before a shared unit word."""
    from geodata.gazetteer import gazetteer

    return bool(_PLACE_ONLY.match(text)) and not _UNIT_END.search(text) and bool(gazetteer().lookup(text))


def _shared_tail(units: list[str]) -> list[str]:
    """"临汾、侯马、洪洞经济开发区管委会" is one unit: bare place names share the unit after them."""
    out: list[str] = []
    pending: list[str] = []
    for k, u in enumerate(units):
        after = units[k + 1] if k + 1 < len(units) else ""
        # "各县、区人民政府": a collective whose unit word follows with the next level
        if _COLLECTIVE.match(u) and re.match(r"^[县市区旗乡镇]", after):
            pending.append(u)
            continue
        if _is_place_name(u):
            pending.append(u)
            continue
        if pending:
            u = "、".join([*pending, u])
            pending = []
        out.append(u)
    return out + pending


def clean_unit(unit: str) -> str:
    u = unit.strip().strip("，、；;。. ")
    u = re.sub(r"^(?:由|请|要求|并|和|及)", "", u)
    u = re.sub(r"(?:等)?(?:相关|有关)?(?:部门|单位)?等$", "", u) if u.endswith("等") else u
    u = re.sub(r"(?:按照职责|按职责分工|按职责|各司其职)$", "", u)
    return u.strip()


_AND = re.compile(r"^(?P<a>.+?(?:政府|管委会|局|委|办|中心|公司|分局))(?:及|和|与)(?P<b>.+)$")


def _units_of(clause: str) -> list[str]:
    out: list[str] = []
    for unit in (clean_unit(x) for x in _shared_tail(split_units(clause))):
        m = _AND.match(unit)
        parts = [m.group("a"), m.group("b")] if m and _UNIT_END.search(m.group("b")) else [unit]
        out.extend(p for p in parts if p and p not in out)
    return out


def unit_roles(text: str) -> Roles:
    """Units and their roles in a responsibility note.

    Reads the clause forms ("市住建局牵头，市生态环境局配合，各相关县区人民政府负责落实") and the
    labelled forms ("牵头单位：区经信局、发改局，责任单位：各乡镇街道园区"). 牵头/督导 units are
    ``lead``; 配合/参与/协助 units ``support``; 负责/落实 units ``responsible`` (the lead when no
    unit is named as lead). A "以下…均需…落实，不再列出" clause is not read here (see
    :func:`default_units`).
    """
    t = DEFAULT_CLAUSE.sub("", text.strip())
    t = re.sub(r"以下[^，。；]*不再(?:一一)?列出", "", t)
    lead: list[str] = []
    support: list[str] = []
    responsible: list[str] = []
    written: list[str] = []
    buckets = {"lead": lead, "support": support, "responsible": responsible}
    labelled = list(_LABEL.finditer(t))
    if labelled:
        for k, m in enumerate(labelled):
            end = labelled[k + 1].start() if k + 1 < len(labelled) else len(t)
            role = next(name for name, _ in _LABELS if m.group(name))
            found = _units_of(t[m.end() : end].strip("，,；; "))
            buckets[role].extend(found)
            written.extend(found)
    else:
        for _, clause in split_top(t, "，,；;。"):
            clause = clause.strip()
            if not clause:
                continue
            m = _ROLE_AT_END.search(clause)
            role = "responsible"
            if m:
                role = next(name for name in ("support", "lead", "responsible") if m.group(name))
                clause = clause[: m.start()]
            clause = re.sub(r"(?:按职责分工|按职责|分别|共同)$", "", clause)
            found = _units_of(clause)
            buckets[role].extend(found)
            written.extend(found)
    if not lead and responsible:
        lead, responsible = responsible, []
    return Roles(
        tuple(dict.fromkeys(lead)), tuple(dict.fromkeys(support)), tuple(dict.fromkeys(responsible)),
        tuple(dict.fromkeys(written)),
    )


def default_units(text: str) -> list[str]:
    """Units of a "以下各项任务均需各县区人民政府落实，不再列出" clause (any verb), else []."""
    m = DEFAULT_CLAUSE.search(text)
    if not m:
        return []
    units = m.group("units")
    units = re.sub(r"^(?:相关|各相关|各有关)?", lambda x: x.group(0), units)
    return _units_of(units)
