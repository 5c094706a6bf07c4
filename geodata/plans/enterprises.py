"""Named enterprises, plants and industrial parks that a plan gives a required action.

One record per (enterprise, required action). Names come from three places:

- running text and table content cells ("河津市山西曙光船窝煤业有限公司、…和新绛县同瑞煤化有限公司
  4座4.3米焦炉"): a name ends with a company/plant/park suffix (有限公司, 集团, 污水处理厂,
  工业园区 …) or is a short name ending in 钢铁/焦化/水泥/热电/煤业/冶炼 directly followed by an
  action verb ("新绛信义源钢铁完成…"); names joined by 、/和/及 share the action of the clause;
- name columns of annex tables (项目名称: several companies separated by spaces);
- responsibility columns (责任主体 …) naming a company, with the row's task as its action
  (blank task cells mean "same as above").

Generic mentions ("焦化企业", "城镇污水处理厂", "等21家企业") and government units are never
names. A body task repeated in an annex row is one record, cited at the annex row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from geodata import admin
from geodata.model import LIST_SEP
from geodata.plans import curation
from geodata.plans.deadlines import parse_deadline
from geodata.plans.ids import digest
from geodata.plans.tables import Table, fill_down
from geodata.plans.text import clean_line, normalize_digits, split_top
from geodata.plans.units import split_units, units_from_parenthetical

C = r"\u4e00-\u9fff"
_SUFFIX = (
    r"有限责任公司|股份有限公司|有限公司|公司|集团(?:有限责任公司|股份有限公司|有限公司)?"
    r"|生活污水处理厂|污水处理厂|净化水厂|水厂|材料厂|工业园区|工业园"
    r"|生活污水处理站|污水处理站|供热站|热源厂|医疗废物处置中心|危险废物处置中心|处置中心|焚烧发电厂|填埋场"
)
_SUB = r"分公司|冶炼厂|污水处理厂|煤矿"
_NAME = re.compile(rf"(?P<body>[{C}]{{1,40}}?)(?P<suf>{_SUFFIX})(?P<sub>[{C}]{{0,8}}?(?:{_SUB}))?")
_SHORT_SUF = r"钢铁|焦化|水泥|热电|煤业|冶炼"
_ACTION_VERBS = r"完成|实施|淘汰|开展|全面|推进|关停|安装|建成|投运|启动"
_SHORT = re.compile(rf"(?P<body>[{C}]{{2,12}}?)(?P<suf>{_SHORT_SUF})(?=(?:{_ACTION_VERBS}))")

# Leading words that are not part of a name: verbs (kept for the action) and connectors (dropped).
_VERB_PREFIXES = (
    "全面淘汰",
    "全面推进",
    "淘汰拆除",
    "淘汰",
    "支持",
    "加快推进",
    "加快推动",
    "推进",
    "推动",
    "启动",
    "实施",
    "新建",
    "投运",
    "完成",
    "督促",
    "扎实开展",
    "开展",
    "加快",
    "加强",
    "鼓励",
    "确保",
    "组织",
)
_DROP_PREFIXES = (
    "其中",
    "和",
    "及",
    "与",
    "对",
    "由",
    "将",
    "在",
    "中心城区",
    "主城区",
    "市区",
    "全市",
    "根据",
)
# Words that never occur inside an enterprise name: a candidate holding one is running text.
_FUNCTION = re.compile(
    r"的|可|不|向|被|通过|入|至|或|并|已|应|要|强化|进一步|改进|加大|全面|以上|纳入|认定|影响|退出|转送|大力|"
    r"建立|完善|距离|运输|保障|未|日且|及|和|在|对|将|把|从|由|等|按|经|其他|地区|流域|新建|前"
)
_RESP_PAREN = re.compile(r"[（〔][^（）〔〕]*(?:责任单位|牵头单位|责任部门|牵头|负责|配合)[^（）〔〕]*[）〕]")
_LOCATOR_REST = re.compile(r"^(山西|晋城|运城|长治|晋控|晋能|中煤|潞安)")
_GENERIC_BODY = re.compile(
    r"^(城镇|乡镇|县城|城市|生活|工业|化工|物流|产业|省级|各|全|该|相关|重点|现有|新建|所有|已|未|其他|"
    r"市|县|区|集中|第三方|医疗|本|我|两|一批|涉及|燃煤|钢铁|焦化|水泥|煤矿|企业|建|扩建|农村|沿黄|沿汾|上市)*$"
)
_GOV = re.compile(r"(局|政府|管委会|委员会|办公室|监狱|分局|大队|中心)$|政府|管委会")
_BAD_START = re.compile(r"^[家台座个处的等之]")
_QUAL = re.compile(r"^（([^（）]{1,10})）")
_LEAD_ETC = re.compile(rf"^(等\s*\d*\s*[家个座台处]?[{C}]{{0,6}}?(企业|单位)|等|\d+\s*家[{C}]{{0,6}}?企业)")
_DATE = re.compile(
    r"(20\d{2}年(?:\d{1,2}(?:[-—–~至]\d{1,2})?月(?:\d{1,2}日)?)?(?:底|中旬|上旬|下旬)?前?|"
    r"(?<![\d年])\d{1,2}(?:[-—–~至]\d{1,2})?月(?:\d{1,2}日)?(?:底|中旬|上旬|下旬)?前?|年底前?|年内)"
)
_CONTINUE = re.compile(r"^(\d{1,2}月|20\d{2}年|年底|并|使用|确保)")
_NUMBERED = re.compile(
    r"^(\d+[.．、]|[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、|第[一二三四五六七八九十]+[章节条]|附件)"
)

_INDUSTRY_EQUIPMENT = (("焦化", ("焦炉",)), ("钢铁", ("高炉", "转炉")), ("化工", ("气化炉",)))
_PAST = re.compile(r"累计|十三五|以来")
_INDUSTRY_WORDS = (
    ("焦化", ("焦化", "煤焦", "炼焦")),
    ("电力", ("热电", "电力", "发电")),
    ("钢铁", ("钢铁",)),
    ("水泥", ("水泥",)),
    ("化工", ("化工", "煤化", "糠醛", "化学")),
    ("冶炼", ("冶炼", "铜业")),
    ("铸造", ("铸造", "冶铸")),
    ("煤炭", ("煤业", "煤矿")),
    ("砖瓦", ("砖瓦", "墙体材料")),
    ("建材", ("建材", "钙业", "陶瓷")),
    ("污水处理", ("污水处理", "净化水厂", "水厂")),
    ("燃气", ("LNG", "燃气")),
    ("工业园区", ("工业园",)),
)

_COUNTY_NAMES = sorted(
    [(c, c) for c in admin.COUNTY_CITY if c != "城区"] + list(admin.SHORT_NAMES.items()),
    key=lambda kv: -len(kv[0]),
)


_PARK = re.compile(r"(工业园区|工业园|产业园区|产业园|园区|开发区|集聚区)$")
_PLANT = re.compile(
    r"(污水处理厂|净化水厂|水厂|污水厂|污水处理站|处理站|供热站|热源厂|处置中心|处置场|填埋场|焚烧发电厂|焚烧厂)$"
)
# "投运泽州川底、周村、犁川、南岭、李寨、大箕6个污水处理厂": short names sharing one facility word
_PLANT_LIST = re.compile(
    rf"(?P<names>[{C}]{{2,6}}(?:、[{C}]{{2,4}}){{1,20}})(?:等)?\s*(?P<n>\d+)\s*[个座家处]"
    r"(?P<suffix>生活污水处理厂|污水处理厂|污水处理站|供热站|净化水厂)"
)


_FACILITY = re.compile(r"处置|污水处理|供热|净化水厂|填埋")


# "临汾、侯马、洪洞经济开发区等工业集聚区要加强监管": development zones named by their places
_ZONE_LIST = re.compile(
    rf"(?P<names>[{C}]{{2,4}}(?:、[{C}]{{2,4}})+)(?P<suffix>经济技术开发区|经济开发区|高新技术产业开发区|高新区|工业园区)"
    r"(?!管委会|管理委员会)(?:等[^，。；]{0,8}?)?(?P<rest>[^。；]*)"
)


# "夏店镇、厝亭镇、西营镇新建生活污水处理站": each town builds its own station
_TOWN_PLANTS = re.compile(
    rf"(?P<towns>[{C}]{{1,4}}[镇乡](?:、[{C}]{{1,4}}[镇乡])+)(?P<verb>新建|建设|建成|改造|提标改造)"
    r"(?P<suffix>生活污水处理站|污水处理站|生活污水处理厂|污水处理厂)"
)


def kind_of(name: str) -> str:
    """enterprise | plant (a facility: 污水处理厂/站, 供热站, 处置中心 …) | park (园区)."""
    if _PARK.search(name):
        return "park"
    if _PLANT.search(name) and not re.search(r"(公司|集团)", name):
        return "plant"
    return "enterprise"


@dataclass
class _Found:
    name: str
    qualifier: str
    locator_county: str
    action: str
    line: int
    date_text: str = ""
    in_table: bool = False
    order: int = 0
    extra: dict[str, object] = field(default_factory=dict)
    etc: str = ""
    lead: str = ""


# ---------------------------------------------------------------- text helpers


class _Text:
    """A text with every character mapped to the source line it came from."""

    def __init__(self) -> None:
        self.chars: list[str] = []
        self.lines: list[int] = []

    def add(self, text: str, line: int) -> None:
        text = normalize_digits(text).replace("(", "（").replace(")", "）")
        for ch in text:
            if ch.isspace():
                continue
            self.chars.append(ch)
            self.lines.append(line)

    @property
    def text(self) -> str:
        return "".join(self.chars)

    def line_at(self, pos: int) -> int:
        return self.lines[min(pos, len(self.lines) - 1)]


def _sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) spans of sentences, split at 。；！ outside brackets."""
    return [(s, s + len(p)) for s, p in split_top(text, "。；;！") if p]


def _county_in(text: str) -> tuple[str, int]:
    """The county named earliest in ``text`` and where, or ("", -1)."""
    best = ("", -1)
    for written, county in _COUNTY_NAMES:
        pos = text.find(written)
        if pos >= 0 and (best[1] < 0 or pos < best[1]):
            best = (county, pos)
    return best


# what is left of a date before a name ("2022年6月底前完成…" reaches the name pattern as "月底前完成…")
_LEADING_DATE = re.compile(r"^(?:[年月日底]|中旬|上旬|下旬)+前")


def _is_division(name: str) -> bool:
    from geodata.gazetteer import gazetteer

    return bool(gazetteer().lookup(name))


def _clean_name(raw: str) -> tuple[str, str, str] | None:
    """Strip leading verbs/connectors and a county locator. Returns (name, verb, locator county)."""
    name = _LEADING_DATE.sub("", raw) if _LEADING_DATE.match(raw) and len(raw) > 4 else raw
    verb = ""
    changed = True
    while changed:
        changed = False
        for p in _VERB_PREFIXES:
            if name.startswith(p) and len(name) > len(p) + 1:
                verb += p
                name = name[len(p) :]
                changed = True
        for p in _DROP_PREFIXES:
            if name.startswith(p) and len(name) > len(p) + 1:
                name = name[len(p) :]
                changed = True
    locator = ""
    for written, county in _COUNTY_NAMES:
        if name.startswith(written) and written == county and _LOCATOR_REST.match(name[len(written) :]):
            locator = county
            name = name[len(written) :]
            break
    return (name, verb, locator) if _is_name(name) else None


_GENERIC_PLANT_BODY = re.compile(
    r"^(?:现有|新建|在建|已建|全部|各|全|有关|相关|重点|配套|集中式?|城镇|乡镇|建制镇|农村|城市|县城|工业|园区|企业)*"
    r"(?:生活垃圾|建筑垃圾|垃圾|危险废物|医疗废物|一般工业固体废物|固体废物|污泥|餐厨垃圾|生活污水|生活|污水|集中)?$"
)


def _is_name(name: str) -> bool:
    if not name or _BAD_START.match(name) or _FUNCTION.search(name) or _GOV.search(name):
        return False
    if kind_of(name) == "plant" and not re.search(r"(公司|集团)", name):
        body = _PLANT.sub("", name)
        body = re.sub(r"(生活|城镇|污水|集中|第[一二三四五六七八九十\d]+)$", "", body)
        if _GENERIC_PLANT_BODY.match(body) or "完成" in body:
            return False
    m = re.match(rf"^(?P<body>.*?)(?P<suf>{_SUFFIX}|{_SHORT_SUF})(?:[{C}]{{0,8}}?(?:{_SUB}))?$", name)
    if not m:
        return False
    body = m.group("body")
    county, pos = _county_in(body)
    if pos == 0:  # "万荣县生活污水处理厂", "盐湖区污水处理厂": the county makes it specific
        return True
    return bool(body) and not _GENERIC_BODY.match(body)


def _name_spans(text: str) -> list[tuple[int, int, str, str, str]]:
    """Names in ``text``: (start, end, name, leading verb, locator county), adjacent parts merged."""
    raw: list[tuple[int, int, str]] = []
    for m in _NAME.finditer(text):
        raw.append((m.start(), m.end(), m.group(0)))
    for m in _SHORT.finditer(text):
        if not any(s <= m.start() < e for s, e, _ in raw):
            raw.append((m.start(), m.end(), m.group(0)))
    raw.sort()
    merged: list[tuple[int, int, str]] = []
    for s, e, t in raw:
        if merged and merged[-1][1] == s:
            ps, _pe, pt = merged[-1]
            if (
                pt.endswith("集团")
                or re.fullmatch(rf"[{C}]{{0,8}}?({_SUB})", t)
                or t.startswith(("有限", "股份"))
            ):
                merged[-1] = (ps, e, pt + t)
                continue
        merged.append((s, e, t))
    out = []
    for s, e, t in merged:
        cleaned = _clean_name(t)
        if cleaned:
            name, verb, locator = cleaned
            out.append((s + len(t) - len(name) - len(_locator_written(locator, t)), e, name, verb, locator))
    return out


def _locator_written(locator: str, raw: str) -> str:
    return locator if locator and locator in raw else ""


def _clause_end(text: str, pos: int, end: int) -> int:
    """End of the clause starting at ``pos`` (next ， at depth 0), extended over date clauses."""
    depth = 0
    i = pos
    while i < end:
        ch = text[i]
        if ch in "（〔":
            depth += 1
        elif ch in "）〕":
            if depth == 0:
                return i
            depth -= 1
        elif ch in "，,：" and depth == 0:
            if _CONTINUE.match(text[i + 1 : end]):
                i += 1
                continue
            return i
        i += 1
    return end


def _clause_start(text: str, pos: int, start: int) -> int:
    i = pos
    while i > start and text[i - 1] not in "，,：":
        i -= 1
    return i


def _open_paren(text: str, start: int, pos: int) -> int:
    """Position of the unclosed （ before ``pos`` in text[start:pos], or -1."""
    depth = 0
    for i in range(pos - 1, start - 1, -1):
        if text[i] == "）":
            depth += 1
        elif text[i] == "（":
            if depth == 0:
                return i
            depth -= 1
    return -1


def _strip_action(action: str) -> str:
    action = action.strip("，,、：；。 ")
    action = re.sub(r"^(\d+[.．、]|[（][一二三四五六七八九十\d]+[）])", "", action)
    action = _LEAD_ETC.sub("", action).strip("，,、 ")
    return action


def _analyse(
    text: _Text, year: int | None, period_start: int | None, keep_empty: bool = False
) -> list[_Found]:
    """Enterprise mentions with their actions in a block of text (a paragraph or a table cell).

    With ``keep_empty`` a name without any action text (a table cell holding only the name)
    is returned with an empty action, for merging with the body text that states it.
    """
    s = text.text
    found: list[_Found] = []
    resp_spans = [m.span() for m in _RESP_PAREN.finditer(s)]
    prev_paren_action = ""
    for start, end in _sentences(s):
        names = [n for n in _name_spans(s[start:end])]
        names = [(a + start, b + start, n, v, loc) for a, b, n, v, loc in names]
        names = [x for x in names if not any(rs <= x[0] < re_ for rs, re_ in resp_spans)]
        sentence = s[start:end]
        if _PAST.search(sentence):
            continue  # a review of past achievements, not a required action
        for m in _ZONE_LIST.finditer(sentence):
            parts = m.group("names").split("、")
            if not all(_county_in(p)[1] == 0 or _is_division(p) for p in parts):
                continue
            action = _strip_action(re.sub(r"^[^，。；]{0,10}?(?:要|需|应|须)", "", m.group("rest")))
            if not action:
                continue
            for k, part in enumerate(parts):
                offset = start + m.start() + sum(len(x) + 1 for x in parts[:k])
                found.append(_Found(part + m.group("suffix"), "", "", action, text.line_at(offset)))
        for m in _TOWN_PLANTS.finditer(sentence):
            towns = m.group("towns").split("、")
            for k, town in enumerate(towns):
                offset = start + m.start() + sum(len(x) + 1 for x in towns[:k])
                found.append(_Found(town + m.group("suffix"), "", "", m.group("verb"), text.line_at(offset)))
        for m in _PLANT_LIST.finditer(sentence):
            parts = m.group("names").split("、")
            if len(parts) != int(m.group("n")):
                continue  # the count must agree with the names, or this is not such a list
            for p in _VERB_PREFIXES:
                if parts[0].startswith(p) and len(parts[0]) > len(p) + 1:
                    parts[0] = parts[0][len(p) :]
                    break
            county, pos = _county_in(parts[0])
            if pos == 0 and county:
                written = next(w for w, c in _COUNTY_NAMES if c == county and parts[0].startswith(w))
                parts[0] = parts[0][len(written) :]
            verb = s[_clause_start(s, start + m.start(), start) : start + m.start()]
            action = _strip_action(verb + m.group(0)) or m.group(0)
            for k, part in enumerate(parts):
                if len(part) < 2:
                    continue
                offset = start + m.start() + sum(len(x) + 1 for x in m.group("names").split("、")[:k])
                found.append(_Found(part + m.group("suffix"), "", county, action, text.line_at(offset)))
        unmatched_close = sentence.count("）") > sentence.count("（")
        # group names separated only by 、/和/及 (and a qualifier like （焦化）)
        groups: list[list[tuple[int, int, str, str, str, str]]] = []
        for a, b, n, v, loc in names:
            qual = ""
            q = _QUAL.match(s[b:end])
            if q:
                qual = q.group(1)
            item = (a, b + (q.end() if q else 0), n, v, loc, qual)
            if groups:
                gap = s[groups[-1][-1][1] : a]
                if re.fullmatch(r"[、，,和及与]", gap) and not v:
                    groups[-1].append(item)
                    continue
            groups.append([item])
        this_paren_action = ""
        for group in groups:
            first, last = group[0], group[-1]
            g_start, g_end = first[0], last[1]
            paren = _open_paren(s, start, g_start)
            date_scope = ""
            etc_text = ""
            lead = ""
            if paren >= 0:  # names listed inside "（其中…）": the action is outside the parenthesis
                cs = _clause_start(s, paren, start)
                action = s[cs:paren]
                this_paren_action = action
                date_scope = s[start:paren]
            elif unmatched_close and prev_paren_action and s.find("）", g_end) >= 0:
                action = prev_paren_action  # damaged continuation of the previous parenthesis
                date_scope = ""
            else:
                after = s[g_end : _clause_end(s, g_end, end)]
                etc = _LEAD_ETC.match(after.strip("，,、：；。 "))
                etc_text = etc.group(0) if etc else ""
                after = _strip_action(after)
                if after in ("项目", "工程"):
                    after = ""
                action = first[3] + after
                lead = s[start : _clause_start(s, g_start, start)]
                date_scope = s[start:g_start] + after
            action = _strip_action(action)
            if not action and not keep_empty:
                continue
            dates = _DATE.findall(date_scope)
            date_text = dates[-1] if dates else ""
            if date_text and period_start:
                d = parse_deadline(date_text, year)
                if d.date and d.date.year < period_start:
                    # a past achievement, not a required action; a facility it built is kept, as done
                    facilities = [x for x in group if _FACILITY.search(x[2])]
                    for a, _b, n, _v, loc, qual in facilities:
                        found.append(_Found(n, qual, loc, f"（已完成：{date_text}）{action}", text.line_at(a)))
                    continue
            for a, _b, n, _v, loc, qual in group:
                found.append(
                    _Found(n, qual, loc, action, text.line_at(a), date_text, etc=etc_text, lead=lead)
                )
        prev_paren_action = this_paren_action or (prev_paren_action if unmatched_close else "")
    return found


# ---------------------------------------------------------------- document walk


def _paragraphs(ctx) -> list[_Text]:  # noqa: ANN001
    table_lines: set[int] = set()
    for t in ctx.tables:
        table_lines.add(t.header_line)
        table_lines.update(r.line for r in t.rows)
    paras: list[_Text] = []
    current: _Text | None = None
    last = ""
    for i, raw in enumerate(ctx.doc.lines, start=1):
        if "\t" in raw or i in table_lines:
            current = None
            continue
        line = clean_line(raw)
        if not line:
            continue
        if current is None or re.search(r"[。！？；：）〕]$", last) or _NUMBERED.match(line):
            current = _Text()
            paras.append(current)
        current.add(line, i)
        last = line
    return paras


def _closing_units(text: str) -> list[str]:
    m = re.search(
        r"[（(〔]([^（）()〔〕]*(?:牵头|负责|配合|责任单位|责任部门)[^（）()〔〕]*)[）)〕]\s*$", text
    )
    return units_from_parenthetical(m.group(1)) if m else []


_PROJECT_WORDS = re.compile(r"(?:升级改造|提标改造|扩建|新建|建设|改造|扩容)?(?:项目|工程)$")


def _cell_enterprises(cell: str) -> list[tuple[str, str]]:
    """Enterprise names in a name/responsibility cell: [(name, qualifier)]."""
    out = []
    for unit in split_units(cell):
        unit = _PROJECT_WORDS.sub("", unit) if _NAME.search(unit) else unit
        qual = ""
        q = re.search(r"[（(]([^（）()]{1,10})[）)]$", unit)
        if q:
            qual = q.group(1)
            unit = unit[: q.start()]
        unit = re.sub(r"\s+", "", unit)
        if _NAME.fullmatch(unit) and _is_name(unit):
            out.append((unit, qual))
    return out


def _table_found(ctx, table: Table) -> list[_Found]:  # noqa: ANN001
    content_col = table.col("工程措施", "具体措施", "工作措施", "工作任务", "任务内容", "整治内容", "建设内容")
    name_col = table.col("项目名称", "水源地名称", "企业名称")
    content_col = content_col if content_col is not None else name_col  # a project list: the name is the work
    if content_col is None:
        return []
    resp_col = table.col("责任主体", "牵头单位", "责任单位", "责任部门")
    dl_col = table.col("完成时限", "完成时间", "完成期限", "时间节点", "完工时间")
    contents = fill_down(table, content_col)
    out: list[_Found] = []
    for row, filled in zip(table.rows, contents, strict=True):
        year = ctx.year_at(row.line)
        plan = ctx.plan_at(row.line)
        period_start = plan.period_start if plan else None
        own = row.get(content_col)
        content = own or filled
        text = _Text()
        text.add(content, row.line)
        found = _analyse(text, year, period_start, keep_empty=True) if own else []
        named = {f.name for f in found}
        resp_cell = row.get(resp_col)
        cell_action = _strip_action(text.text)
        extra_names = _cell_enterprises(row.get(name_col)) if name_col is not None else []
        extra_names += [(n, "") for n, _q in _cell_enterprises(resp_cell)]
        for name, qual in extra_names:
            if name in named:
                continue
            named.add(name)
            found.append(_Found(name, qual, "", cell_action, row.line))
        deadline_text = row.get(dl_col)
        units = split_units(resp_cell)
        for f in found:
            f.in_table = True
            f.line = row.line
            f.extra = {"deadline_text": deadline_text or f.date_text, "units": units, "row_text": text.text}
        out.extend(found)
    return out


def _industry(f: _Found, context: str) -> str:
    for label, words in _INDUSTRY_EQUIPMENT:
        if any(w in f.action for w in words):
            return label
    for source in (f.qualifier, f.name, f.action, f.etc, f.lead):
        for label, words in _INDUSTRY_WORDS:
            if any(w in source for w in words):
                return label
    return ""


def _norm(action: str) -> str:
    return re.sub(r"[\s，,。；、“”\"]", "", action)


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


def _same(a: _Found, b: _Found, a_deadline: str, b_deadline: str) -> bool:
    if a.name != b.name:
        return False
    x, y = _norm(a.action), _norm(b.action)
    if x == y:
        return True
    if x and y and (x in y or y in x):
        return True
    if x and y and a_deadline == b_deadline and _subsequence(min(x, y, key=len), max(x, y, key=len)):
        return True
    return (not x or not y) and bool(a_deadline) and a_deadline == b_deadline


def extract(ctx, found):  # noqa: ANN001, ANN201
    meta = ctx.meta
    county_plan = meta.jurisdiction if meta.jurisdiction_level == "county" else ""
    items: list[tuple[_Found, dict[str, object]]] = []

    def build(f: _Found, deadline_text: str, units: list[str], context: str) -> dict[str, object]:
        year = ctx.year_at(f.line)
        industry = _industry(f, context)
        d = parse_deadline(deadline_text, year) if deadline_text else None
        clauses = [
            c
            for c in re.split(r"[，,；;。]", deadline_text)
            if _DATE.search(normalize_digits(c).replace(" ", ""))
        ]
        if industry and len(clauses) > 1:
            for c in clauses:
                if industry in c:
                    d = parse_deadline(c, year)
                    break
        county, source = "", ""
        if county_plan:
            county, source = county_plan, "plan"
        elif f.locator_county:
            county, source = f.locator_county, "plan"
        else:
            c, _pos = _county_in(f.name)
            if c:
                county, source = c, "plan"
            else:
                govs = {c for u in units for c in [_county_in(u)[0]] if c and re.search(r"政府$", u)}
                if len(govs) == 1:
                    county, source = govs.pop(), "plan"
        if not county:
            cur = curation.lookup("enterprises", f.name, "county")
            if cur and cur.value:
                county, source = cur.value, "curation"
        return {
            "name": f.name,
            "kind": kind_of(f.name),
            "county": county,
            "county_source": source,
            "industry": industry,
            "required_action": f.action,
            "deadline_text": deadline_text,
            "deadline": d.iso if d else "",
            "responsible_units": units,
            "task_id": "",
            "lon": "",
            "lat": "",
            "precision": "none",
            **ctx.source(f.line),
        }

    for para in _paragraphs(ctx):
        if not para.chars:
            continue
        plan = ctx.plan_at(para.lines[0])
        units = _closing_units(para.text)
        for f in _analyse(para, ctx.year_at(para.lines[0]), plan.period_start if plan else None):
            f.order = len(items)
            items.append((f, build(f, f.date_text, units, para.text)))
    for table in ctx.tables:
        for f in _table_found(ctx, table):
            ex = f.extra
            f.order = len(items)
            items.append(
                (
                    f,
                    build(
                        f, str(ex["deadline_text"]), list(ex["units"]), f"{table.full_title} {ex['row_text']}"
                    ),
                )
            )

    # one record per (enterprise, action): an annex row wins over the body text it repeats
    kept: list[tuple[_Found, dict[str, object]]] = []
    for f, rec in sorted(items, key=lambda it: (not it[0].in_table, -len(it[0].action), it[0].line)):
        dup = next((k for k in kept if _same(k[0], f, str(k[1]["deadline"]), str(rec["deadline"]))), None)
        if dup is None:
            kept.append((f, rec))
            continue
        krec = dup[1]
        merged = False
        if not krec["required_action"] and rec["required_action"]:
            krec["required_action"] = rec["required_action"]
            dup[0].action = f.action
            merged = True
        for key in ("deadline_text", "deadline", "responsible_units", "industry"):
            if not krec[key] and rec[key]:
                krec[key] = rec[key]
                merged = True
        if merged and rec["source_line"] != krec["source_line"]:
            # a field taken from the body text: the record cites both places
            refs = [ctx.doc.ref(int(krec["source_line"])), ctx.doc.ref(int(rec["source_line"]))]
            krec["source_ref"] = "；".join(dict.fromkeys(refs))
    for f, rec in kept:
        if not rec["required_action"] and f.in_table and _FACILITY.search(f.name):
            # a project list row names only the facility ("高平市原村乡生活污水处理站项目"): the row is the work
            rec["required_action"] = _strip_action(str(f.extra.get("row_text", "")))
    records = [rec for _f, rec in sorted(kept, key=lambda it: (int(it[1]["source_line"]), it[0].order))]
    records = [r for r in records if r["required_action"]]

    tasks = found.get("tasks", []) if isinstance(found, dict) else []
    used: dict[str, int] = {}
    for rec in records:
        # stable: the document, the name and the action, not the record's position
        base = f"{meta.id}/E-{digest(rec['name'], rec['required_action'], size=4)}"
        used[base] = used.get(base, 0) + 1
        rec["id"] = base if used[base] == 1 else f"{base}-{used[base]}"
        rec["task_id"] = _task_for(rec, tasks)
        if isinstance(rec["responsible_units"], list):
            rec["responsible_units"] = LIST_SEP.join(rec["responsible_units"])
    return {"enterprises": records}


def _task_for(rec: dict[str, object], tasks: list[dict[str, object]]) -> str:
    same_line = [t for t in tasks if str(t.get("source_line", "")) == str(rec["source_line"])]
    if len(same_line) == 1:
        return str(same_line[0].get("id", ""))
    for t in same_line:
        if str(rec["name"]) in re.sub(r"\s+", "", str(t.get("content", ""))):
            return str(t.get("id", ""))
    return ""
