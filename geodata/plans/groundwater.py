"""Groundwater monitoring points (地下水考核点位) and drinking-water sources (饮用水水源).

Groundwater points are named in lists with the kind they belong to::

    运城市地下水国家考核点位共7个，其中万荣县东埝村点位、垣曲县李家窑村点位…为区域点位，
    河津市天城堡村点位、盐湖区王桐村点位为污染风险监控点位，夏县张郭店点位为饮用水源点位。

or singly, in a county plan's target ("西水源地地下水国考饮用水源点位达到或优于Ⅲ类"). The
target of each kind is the plan's own sentence ("地下水国考区域点位水质不低于V类"); no class is
invented where the plan states none.

Drinking-water sources are named ("沁水县张峰水库水源地") or, far more often, categories with
a commitment ("市级集中式饮用水水源水质全部达到或优于Ⅲ类", "完成农村千人饮用水水源保护区划分").
One record per named source and per category (scale × 地表水/地下水) and document; the
sentence kept is the one with the strongest commitment (a class, then a deadline).
Coordinates are never invented: lon/lat empty, precision ``none``.
"""

from __future__ import annotations

import re

from geodata import admin
from geodata.plans.deadlines import Deadline, deadline_in_text, parse_deadline
from geodata.plans.sections import JoinedText, joined_text, normalize_level, sentence_around
from geodata.plans.structure import DocumentContext
from geodata.plans.tables import Table
from geodata.plans.text import normalize_class, split_top, squash_cjk_spaces

Record = dict[str, object]

_CJK = r"\u4e00-\u9fff"
_KINDS = ("区域", "污染风险监控", "饮用水源")
_CITIES = "|".join(admin.CITY_COUNTIES)
_COUNTIES = "|".join(sorted((re.escape(c) for c in admin.COUNTY_CITY), key=len, reverse=True))
_KIND_CLAUSE = re.compile(rf"(?P<list>[^，。；]*?)为(?P<kind>{'|'.join(_KINDS)})点位")
_LISTED_POINT = re.compile(rf"(?P<county>{_COUNTIES})(?P<name>[{_CJK}]{{1,10}}?)点位")
_NAMED_POINT = re.compile(
    rf"(?P<name>[{_CJK}]{{2,12}}?)地下水(?:国考|国家考核)(?P<kind>{'|'.join(_KINDS)})点位"
)
_KIND_TARGET = r"地下水(?:国考|国家考核){kind}点位(?:水质)?(?:不低于|达到或优于|优于|达到|保持)[^，。；]*?类"
_LEAD = re.compile(r"^(?:其中|针对|确保|要|对|以|全县|全市|全区)+")
_NOT_A_NAME = ("要求", "目标", "水质", "环境", "质量", "稳定", "地下水")


# ---------------------------------------------------------------- groundwater points


def _point_targets(jt: JoinedText) -> dict[str, tuple[str, int]]:
    """The plan's target sentence for each point kind: kind → (text, position)."""
    out: dict[str, tuple[str, int]] = {}
    for kind in _KINDS:
        m = re.search(_KIND_TARGET.format(kind=kind), jt.text)
        if m:
            out[kind] = (m.group(0), m.start())
    return out


def _points(ctx: DocumentContext, jt: JoinedText) -> tuple[list[Record], list[str]]:
    meta = ctx.meta
    city = meta.jurisdiction if meta.jurisdiction_level == "city" else meta.parent
    own_county = meta.jurisdiction if meta.jurisdiction_level == "county" else ""
    targets = _point_targets(jt)
    points: dict[str, Record] = {}
    warnings: list[str] = []

    def add(name: str, county: str, kind: str, level: str, pos: int) -> None:
        pid = f"{city}:{name}"
        if pid in points:
            return
        target_text, _ = targets.get(kind, ("", 0))
        points[pid] = {
            "id": pid,
            "name": name,
            "county": county,
            "city": admin.COUNTY_CITY.get(county, city),
            "kind": f"{kind}点位",
            "level": level,
            "target_class": normalize_class(target_text) or "" if target_text else "",
            "target_text": target_text,
            "lon": "",
            "lat": "",
            "precision": "none",
            **ctx.source(jt.line_at(pos)),
        }

    # lists: "<county><name>点位、…为<kind>点位"
    for sm in re.finditer(r"[^。]*点位[^。]*。?", jt.text):
        sentence = sm.group(0)
        if not _KIND_CLAUSE.search(sentence):
            continue
        level = normalize_level(sentence.replace("国家考核", "国考"))
        found = 0
        for cm in _KIND_CLAUSE.finditer(sentence):
            for pm in _LISTED_POINT.finditer(cm.group("list")):
                found += 1
                add(
                    pm.group("name"),
                    pm.group("county"),
                    cm.group("kind"),
                    level,
                    sm.start() + cm.start("list") + pm.start(),
                )
        total = re.search(r"共\s*(\d+)\s*个", sentence)
        if total and int(total.group(1)) != found:
            warnings.append(
                f"{ctx.doc.name} 第 {jt.line_at(sm.start())} 行：原文称点位共 {total.group(1)} 个，解析出 {found} 个"
            )
    # single named points: "西水源地地下水国考饮用水源点位达到或优于Ⅲ类"
    for m in _NAMED_POINT.finditer(jt.text):
        name = _LEAD.sub("", m.group("name"))
        if len(name) < 2 or any(w in name for w in _NOT_A_NAME):
            continue
        if any(str(p["name"]) == name for p in points.values()):
            continue
        county = next(iter(admin.counties_in(name)), "") or own_county
        add(name, county, m.group("kind"), "国考", m.start("name") + (len(m.group("name")) - len(name)))
        # the target of a single point is its own sentence when it states a class
        left, right = sentence_around(jt.text, m.start(), m.end())
        clause = re.search(rf"{re.escape(name)}[^，。；]*?类", jt.text[left:right])
        if clause:
            rec = points[f"{city}:{name}"]
            rec["target_text"] = clause.group(0)
            rec["target_class"] = normalize_class(clause.group(0)) or ""
    return list(points.values()), warnings


# ---------------------------------------------------------------- drinking-water sources

# (scale, words that mark it), most specific first
_SCALES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("市县两级", ("两级",)),
    ("县级及以上", ("县级及以上",)),
    ("乡镇级及以上", ("乡镇级及以上",)),
    ("市级", ("市级",)),
    ("县城", ("县城",)),
    ("县级", ("县级",)),
    ("乡镇级", ("乡镇级", "乡（镇）", "乡镇")),
    ("城镇", ("城镇",)),
    ("城市", ("城市",)),
    ("千吨万人", ("千吨万人",)),
    ("农村千人", ("农村千人", "千人")),
    ("集中式", ("集中式",)),
)
_SOURCE_WORD = re.compile(r"饮用水?水?源")
_STOP = "，。；：〔〕、\n"
_NAMED_SOURCE = re.compile(rf"(?P<county>{_COUNTIES})?(?P<name>[{_CJK}]{{2,6}}?(?:水库|水厂|泉))水源地")


def _scale_of(window: str) -> str:
    for scale, words in _SCALES:
        if any(w in window for w in words):
            return scale
    return ""


def _kind_of(window: str) -> str:
    if "地下水" in window or "傍河" in window or "截潜流" in window:
        return "地下水"
    if "地表水" in window or "水库" in window:
        return "地表水"
    return "未说明"


def _split_top(text: str) -> list[str]:
    """Split a unit list on ，、；： outside nested brackets ("各县（市、区）人民政府")."""
    return [piece for _, piece in split_top(text, "，、；：,")]


def _units_from(text: str, *, cell: bool = False) -> list[str]:
    """Unit names from a responsibility note, or from a table cell (``cell``) whose units are
    separated by spaces and whose wrapped lines split a unit ("市生态环境局 襄垣分局")."""
    if cell:
        tokens: list[str] = []
        for tok in text.split():
            starts_unit = re.match(rf"^(?:[市县区镇乡各]|{_COUNTIES}|{_CITIES})", tok)
            if tokens and not starts_unit:
                tokens[-1] += tok
            else:
                tokens.append(tok)
        text = "、".join(tokens)
    units: list[str] = []
    for part in _split_top(text):
        u = re.sub(r"^(?:责任单位|牵头单位)", "", part.strip())
        u = re.sub(r"(?:按职责分工|按职责)?(?:牵头|配合|负责落实|负责)$", "", u)
        u = re.sub(r"等$", "", u).strip()
        if u and u not in units and len(u) <= 30:
            units.append(u)
    return units


def _responsible(paragraph: str) -> list[str]:
    """Units from the paragraph's responsibility note: "（市生态环境局牵头，市水务局配合）"."""
    for m in re.finditer(r"[（〔]", paragraph):
        depth, end = 0, None
        for k in range(m.start(), len(paragraph)):
            ch = paragraph[k]
            depth += ch in "（〔"
            depth -= ch in "）〕"
            if depth == 0:
                end = k
                break
        if end is None:
            continue
        inner = paragraph[m.start() + 1 : end]
        if re.search(r"牵头|配合|责任单位|负责", inner) and re.match(rf"^(?:责任单位：)?[{_CJK}]", inner):
            inner = inner.split("。")[0]
            return _units_from(inner)
    return []


class _Sources:
    def __init__(self, ctx: DocumentContext) -> None:
        self.ctx = ctx
        self.records: dict[str, Record] = {}
        self.scores: dict[str, int] = {}

    def put(self, key: str, rec: Record, score: int) -> None:
        """Keep one record per key: the statement with the highest score, the first on ties.

        Fields are never mixed across statements: a deadline belongs to its own sentence.
        """
        if key not in self.records or score > self.scores[key]:
            self.records[key] = rec
            self.scores[key] = score

    def record(self, **fields: object) -> Record:
        line = int(fields.pop("line"))  # type: ignore[call-overload]
        base: Record = {
            "id": "",
            "name": "",
            "county": "",
            "kind": "未说明",
            "scale": "",
            "requirement": "",
            "target_class": "",
            "deadline_text": "",
            "deadline": "",
            "responsible_units": [],
            "lon": "",
            "lat": "",
            "precision": "none",
        }
        base.update(fields)
        base.update(self.ctx.source(line))
        return base


def _table_of(ctx: DocumentContext, line: int) -> tuple[Table, int] | None:
    for t in ctx.tables:
        for k, row in enumerate(t.rows):
            if row.line == line:
                return t, k
    return None


def _own_county(ctx: DocumentContext) -> str:
    return ctx.meta.jurisdiction if ctx.meta.jurisdiction_level == "county" else ""


def _from_source_tables(s: _Sources) -> None:
    """Rows of a "水源地名称" table (001 重点项目清单 一、饮用水水源地保护区划分)."""
    ctx = s.ctx
    for t in ctx.tables:
        c_name = t.col("水源地名称")
        if c_name is None:
            continue
        c_task, c_unit, c_due = (
            t.col("任务内容", "整治内容", "工作任务"),
            t.col("责任单位", "责任主体"),
            t.col("完成时间", "完成时限"),
        )
        for row in t.rows:
            written = squash_cjk_spaces(row.get(c_name))
            if not written:
                continue
            task = row.get(c_task)
            scale = _scale_of(written)
            due = parse_deadline(row.get(c_due), ctx.year_at(row.line))
            units = _units_from(row.get(c_unit), cell=True)
            common = dict(
                county=_own_county(ctx),
                kind=_kind_of(written + task),
                scale=scale,
                requirement=task,
                target_class=normalize_class(task) or "",
                deadline_text=due.text,
                deadline=due.iso,
                responsible_units=units,
                line=row.line,
            )
            # "完成潞安化工集团、襄矿集团 2 处…" names the sources of the category
            named = re.search(rf"完成(?P<list>[{_CJK}、]+?)\s*\d+\s*处", task)
            owners = [o for o in named.group("list").split("、") if o] if named else []
            if owners:
                for owner in owners:
                    name = f"{owner}{written}"
                    s.put(
                        f"named:{name}",
                        s.record(id=f"{ctx.meta.jurisdiction}:{name}", name=name, **common),
                        10,
                    )
            else:
                s.put(
                    f"cat:{scale}:{common['kind']}",
                    s.record(id=f"{ctx.meta.id}:{written}", name=written, **common),
                    10,
                )


def _from_named(s: _Sources) -> None:
    """Sources named in any line: "沁水县张峰水库水源地保护及生态环境综合治理项目…"."""
    ctx = s.ctx
    for n, raw in enumerate(ctx.doc.lines, start=1):
        line = squash_cjk_spaces(raw)
        for m in _NAMED_SOURCE.finditer(line):
            county = m.group("county") or _own_county(ctx)
            name = m.group("name") + "水源地"
            requirement, due_text, units = line.strip(), "", []
            hit = _table_of(ctx, n)
            if hit:
                t, k = hit
                row = t.rows[k]
                requirement = next(
                    (c for c in row.cells if m.group("name") in squash_cjk_spaces(c)), requirement
                )
                due_text = row.get(t.col("完成时限", "完成时间", "完工时间"))
                units = _units_from(row.get(t.col("责任主体", "责任单位", "责任部门", "牵头单位")), cell=True)
            due = (
                parse_deadline(due_text, ctx.year_at(n))
                if due_text
                else deadline_in_text(requirement, ctx.year_at(n))
            )
            rec = s.record(
                id=f"{county or ctx.meta.jurisdiction}:{name}",
                name=name,
                county=county,
                kind=_kind_of(name),
                scale="",
                requirement=squash_cjk_spaces(requirement),
                target_class=normalize_class(requirement) or "",
                deadline_text=due.text if due else "",
                deadline=due.iso if due else "",
                responsible_units=units,
                line=n,
            )
            s.put(f"named:{name}", rec, 5)


def _from_points(s: _Sources, points: list[Record]) -> None:
    """A groundwater point named after a source ("西水源地…饮用水源点位") is that source too."""
    for p in points:
        name = str(p["name"])
        if p["kind"] != "饮用水源点位" or not name.endswith("水源地"):
            continue
        rec = s.record(
            id=f"{p['county'] or p['city']}:{name}",
            name=name,
            county=p["county"],
            kind="地下水",
            scale="",
            requirement=p["target_text"],
            target_class=p["target_class"],
            line=p["source_line"],
        )
        s.put(f"named:{name}", rec, 5)


_STARTS = re.compile(
    r"“?千吨万人|农村|" + "|".join(w for _, words in _SCALES for w in words) + r"|地表水型|地下水型"
)


def _window(text: str, end: int) -> int:
    """Start of the phrase before ``end``: back to punctuation, at most 30 characters."""
    k = end
    while k > 0 and end - k < 30 and text[k - 1] not in _STOP:
        k -= 1
    return k


_YEAR_END = re.compile(r"20\d{2}\s*年\s*(?:\d{1,2}\s*月\s*)?(?:底|末)\s*前?")


def _deadline_in(text: str, year: int | None) -> Deadline | None:
    """``deadline_in_text``, but "2023 年底前" keeps its year (the shared pattern drops it)."""
    m = _YEAR_END.search(text)
    if m and re.search(r"完成|实现|建成|达到|划定", text[m.end() :]):
        return parse_deadline(m.group(0), year)
    return deadline_in_text(text, year)


def _from_text(s: _Sources, jt: JoinedText) -> None:
    """Categories: every "…饮用水水源" phrase with a scale word before it."""
    ctx = s.ctx
    text = jt.text
    for m in _SOURCE_WORD.finditer(text):
        k = _window(text, m.start())
        windows = [text[k : m.start()]]
        # a list "组织开展县级、乡镇集中式、农村“千吨万人”地下水型饮用水水源地"
        while _scale_of(windows[0]) and k > 1 and text[k - 1] == "、":
            j = _window(text, k - 1)
            chunk = text[j : k - 1]
            if not _scale_of(chunk) or len(chunk) > 12:
                break
            windows.append(chunk)
            k = j
        if "两级" in windows[0] and text[max(0, k - 2) : k] == "市、":
            windows[0] = "市、" + windows[0]  # "市、县两级集中式地表水饮用水水源地"
        kind = _kind_of(windows[0])
        left, right = sentence_around(text, m.start(), m.end())
        sentence = text[left:right].strip()
        if len(sentence) > 300 or re.search(r"预期性|约束性", sentence):
            continue  # a PDF-flattened indicator table, not a sentence
        line = jt.line_at(m.start())
        year = ctx.year_at(line)
        target_class = ""
        cm = re.search(r"(?:达到或优于|优于|达到|不低于)\s*(劣?[ⅠⅡⅢⅣⅤIV]+)\s*类", text[m.end() : right])
        if cm:
            target_class = normalize_class(cm.group(1) + "类") or ""
        # the deadline of the clause naming the source; the sentence's when it names only this one
        c_left = max(text.rfind(ch, left, m.start()) for ch in "，,") + 1
        c_left = max(c_left, left)
        c_right = min([i for i in (text.find(ch, m.end(), right) for ch in "，,") if i >= 0] or [right])
        due = _deadline_in(text[c_left:c_right], year)
        if due is None and len(_SOURCE_WORD.findall(sentence)) == 1:
            due = _deadline_in(sentence, year)
        if due is None:  # "到 2025 年底，…集中式饮用水水源水质 100%达到或优于Ⅲ类"
            by = re.findall(r"到\s*(20\d{2}\s*年(?:底|末)?)", text[left : m.start()])
            if by:
                due = parse_deadline(by[-1], year)
        p_right = text.find("\n", m.end())
        units = _responsible(text[m.end() : p_right if p_right >= 0 else len(text)])
        for window in windows:
            scale = _scale_of(window)
            if not scale:
                continue
            start = _STARTS.search(window)
            phrase = window[start.start() :] if start else window
            if scale == "市县两级":
                phrase = window
            name = (phrase + text[m.start() : m.end()]).strip()
            score = (2 if target_class else 0) + (1 if due else 0)
            rec = s.record(
                id=f"{ctx.meta.id}:{scale}:{kind}",
                name=name,
                county=_own_county(ctx),
                kind=kind,
                scale=scale,
                requirement=sentence,
                target_class=target_class,
                deadline_text=due.text if due else "",
                deadline=due.iso if due else "",
                responsible_units=units,
                line=line,
            )
            s.put(f"cat:{scale}:{kind}", rec, score)


def extract(ctx: DocumentContext, found: dict[str, list[Record]]) -> dict[str, list[Record]]:
    jt = joined_text(ctx)
    points, warnings = _points(ctx, jt)
    s = _Sources(ctx)
    _from_source_tables(s)
    _from_named(s)
    _from_points(s, points)
    _from_text(s, jt)
    out: dict[str, list[Record]] = {
        "groundwater_points": points,
        "drinking_water_sources": list(s.records.values()),
    }
    if warnings:
        out["_warnings"] = warnings  # type: ignore[assignment]
    return out
