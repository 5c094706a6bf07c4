"""Surface-water monitoring sections (断面) and their water-class targets.

Two sources in a plan:

- the annex target table ("地表水控制断面水质目标", "地表水水质改善目标明细表"): a header
  naming 断面名称, one row per section with its county, level (国控/省控/市考…), river where
  the table has a 河流 column, and the target class (or a text target such as 完成省定目标);
- the running text: sections named in a sentence ("以汾河柴村桥断面、庙前村断面…为重点",
  "7 个国考断面中，5 个（黄河龙门、风陵渡大桥…）达到Ⅲ类水体"). A PDF-extracted plan breaks
  its lines mid-sentence, so the text is searched as one joined string and every match is
  mapped back to the line where the name starts.

A section has one id per city, ``"<city>:<name>"``, so the same section in two documents
(台北村 in the 晋城 and 陵川 plans) is one section. Facts the plan does not state (the county
of a section named in the text, the river of a table without a 河流 column) come from
``data/plans/curation_sections.csv`` and are marked ``*_source = "curation"``. A curated
``same_as`` row merges two spellings of one section (汾河庙前 = 庙前村断面). Coordinates are
never invented: lon/lat stay empty with precision ``none``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geodata import admin
from geodata.plans import curation
from geodata.plans.structure import DocumentContext
from geodata.plans.tables import Table, fill_down
from geodata.plans.text import clean_line, normalize_class, squash_cjk_spaces, year_of
from geodata.quality import waterbody

Record = dict[str, object]

_LEVELS = {
    "国控": "国考",
    "省控": "省考",
    "市控": "市考",
    "县控": "县考",
    "国考": "国考",
    "省考": "省考",
    "市考": "市考",
    "县考": "县考",
}
_CJK = r"\u4e00-\u9fff"
# "汾河柴村桥断面", "浍河小韩村（西曲村）断面", "后湾水库和西营地表水断面"
_MENTION = re.compile(rf"(?P<name>[{_CJK}]{{2,24}}(?:（[{_CJK}]{{2,8}}）)?)断面")
# "5 个（黄河龙门、风陵渡大桥、小浪底水库南山断面、三门峡水库、亳清河上亳城断面）达到Ⅲ类水体"
_CLASS_LIST = re.compile(
    r"(?P<count>\d+)\s*个（(?P<items>[^（）]{2,200})）(?:达到|为|保持)(?:地表水)?(?P<cls>劣?[ⅠⅡⅢⅣⅤIV]+)\s*类(?:水体|水质)?"
)
_LEAD_WORDS = re.compile(
    r"^(?:其中|充分发挥|发挥|确保|保障|保证|实施以|实施|坚持|围绕|重点|新增|新设|增设|包括|加强|强化|推进|开展|做好|以|在|对|将|和|及|与)+"
)
_TAIL_WORDS = re.compile(r"(?:地表水|水质自动站|自动站|等)+$")
_LEVEL_PREFIX = re.compile(r"^(国考|省考|市考|县考|国控|省控|市控|县控)")
_RIVER_PREFIX = re.compile(rf"^(?P<river>[{_CJK}]{{1,3}}(?:河|溪|江))(?P<rest>[{_CJK}（）]{{2,}})$")
_RESERVOIR = re.compile(rf"^(?P<water>[{_CJK}]{{2,6}}?(?:水库|湖))")
# words that make a "…断面" phrase generic ("每个国考断面", "超标断面", "控制断面")
_HEADING = re.compile(
    r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.、．]|第[一二三四五六七八九十]+[章节])"
)
_GENERIC = tuple(
    "个 国考 省考 市考 国控 省控 市控 监测 控制 各 每 超标 水质 考核 河流 所有 全部 劣 达标 方案 出境 跨界 这些 相关"
    " 优良 主要 重要 地表 下游 上游 问题 排查 做好 明确 落实 加强 推进 开展 建设 提升 改善 实现 消除 稳定 要求 目标 部分 其他 有关"
    " 水体 比例 类的 以上 以下 入境 断面".split()
)


# ---------------------------------------------------------------- joined text


@dataclass
class JoinedText:
    """The document's prose (table rows left out) as one string, with a line per character."""

    text: str
    lines: list[int]

    def line_at(self, pos: int) -> int:
        return self.lines[min(max(pos, 0), len(self.lines) - 1)] if self.lines else 1


def _is_pdf_like(lines: list[str]) -> bool:
    """A PDF extraction breaks paragraphs mid-sentence: most lines end without punctuation."""
    texts = [clean_line(x) for x in lines if x.strip() and "\t" not in x]
    if not texts:
        return False
    ended = sum(1 for t in texts if t[-1] in "。：；！？）〕”")
    return ended / len(texts) < 0.5


def joined_text(ctx: DocumentContext, first: int = 1, last: int | None = None) -> JoinedText:
    """Lines ``first``…``last`` (tables and blank lines skipped), CJK spaces squashed.

    A line that ends a sentence (or is a heading such as "二、主要目标") is followed by a
    newline; any other line was broken mid-sentence by a PDF conversion and is glued to the
    next, so a name broken across lines is found whole. In a PDF-like document a closing
    bracket at the end of a line does not end the paragraph.
    """
    raw = ctx.doc.lines
    last = last or len(raw)
    ends = "。：；！？" if _is_pdf_like(raw) else "。：；！？）〕”"
    parts: list[str] = []
    owners: list[int] = []
    for n in range(first, last + 1):
        line = raw[n - 1]
        if "\t" in line:
            continue
        text = squash_cjk_spaces(clean_line(line))
        if not text:
            continue
        if text[-1] in ends or (len(text) <= 30 and "。" not in text and _HEADING.match(text)):
            text += "\n"
        parts.append(text)
        owners.extend([n] * len(text))
    return JoinedText("".join(parts), owners)


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """Bounds of the sentence (。；\\n-delimited) containing text[start:end]."""
    left = max(text.rfind(ch, 0, start) for ch in "。；\n") + 1
    rights = [i for i in (text.find(ch, end) for ch in "。；\n") if i >= 0]
    right = min(rights) + 1 if rights else len(text)
    return left, right


# ---------------------------------------------------------------- helpers


def normalize_level(text: str) -> str:
    t = re.sub(r"\s+", "", text or "")
    for written, level in _LEVELS.items():
        if written in t:
            return level
    return ""


def _city_of(ctx: DocumentContext, county: str) -> str:
    meta = ctx.meta
    if meta.jurisdiction_level == "city":
        return meta.jurisdiction
    known = admin.COUNTY_CITY.get(county) or admin.SPECIAL_AREAS.get(county)
    if known:
        return known
    if county and county != meta.jurisdiction:
        return admin.parent_of(county) or meta.parent
    return meta.parent or meta.jurisdiction


def _same_as(section_id: str) -> str:
    seen = {section_id}
    while True:
        merged = curation.lookup("sections", section_id, "same_as")
        if not merged or merged.value in seen:
            return section_id
        section_id = merged.value
        seen.add(section_id)


def _river_from_name(name: str) -> str:
    m = _RESERVOIR.match(name)
    return m.group("water") if m else ""


class _Builder:
    def __init__(self, ctx: DocumentContext) -> None:
        self.ctx = ctx
        self.sections: dict[str, Record] = {}
        self.targets: list[Record] = []
        self._target_keys: set[tuple[object, ...]] = set()

    def section(
        self,
        *,
        name: str,
        name_as_written: str,
        county: str,
        river: str,
        level_as_written: str,
        line: int,
        city: str | None = None,
        waterbody_as_written: str = "",
    ) -> Record:
        city = city or _city_of(self.ctx, county)
        sid = _same_as(f"{city}:{name}")
        name = sid.split(":", 1)[1]
        level = normalize_level(level_as_written)
        rec = self.sections.get(sid)
        if rec is None:
            rec = {
                "id": sid,
                "name": name,
                "name_as_written": name_as_written,
                "river": "",
                "river_source": "",
                "waterbody": "",
                "waterbody_source": "",
                "county": "",
                "county_source": "",
                "city": city,
                "province": admin.province_of(city),
                "basin": "",
                "level": level,
                "level_as_written": re.sub(r"\s+", "", level_as_written or ""),
                "lon": "",
                "lat": "",
                "precision": "none",
                **self.ctx.source(line),
            }
            self.sections[sid] = rec
        elif not rec["level"] and level:
            rec["level"], rec["level_as_written"] = level, re.sub(r"\s+", "", level_as_written)
        if county and not rec["county"]:
            rec["county"], rec["county_source"] = county, "plan"
        if waterbody_as_written and not rec["waterbody"]:
            rec["waterbody"] = waterbody_as_written  # the plan's word; finish() normalises it
        river = river or _river_from_name(name)
        if river and not rec["river"]:
            rec["river"], rec["river_source"] = river, "plan"
        return rec

    def target(self, section: Record, *, year: int | None, text: str, kind: str, line: int) -> None:
        target_class = normalize_class(text) or ""
        key = (section["id"], year, kind, target_class, text)
        if key in self._target_keys:
            return
        self._target_keys.add(key)
        self.targets.append(
            {
                "section_id": section["id"],
                "section_name": section["name"],
                "county": section["county"],
                "year": year or "",
                "target_class": target_class,
                "target_text": text,
                "kind": kind,
                **self.ctx.source(line),
            }
        )

    def finish(self) -> dict[str, list[Record]]:
        for rec in self.sections.values():
            sid = str(rec["id"])
            for field in ("county", "river"):
                if rec[field]:
                    continue
                curated = curation.lookup("sections", sid, field)
                if curated and curated.value:
                    rec[field], rec[f"{field}_source"] = curated.value, "curation"
            curated = curation.lookup("sections", sid, "waterbody")
            assigned = waterbody.assign(str(rec["name"]), str(rec["river"]), stated=rec["waterbody"] or None,
                                        curated=(curated.value, curated.reason) if curated else None)
            rec["waterbody"], rec["waterbody_source"] = assigned.waterbody, assigned.source
            province = curation.lookup("sections", sid, "province")
            if province and province.value:  # a shared section listed under the neighbouring province
                rec["province"] = province.value
        for t in self.targets:
            t["county"] = self.sections[str(t["section_id"])]["county"]
        return {"sections": list(self.sections.values()), "section_targets": self.targets}


# ---------------------------------------------------------------- tables


def _section_tables(ctx: DocumentContext) -> list[Table]:
    return [t for t in ctx.tables if t.col("断面名称") is not None]


def _from_table(b: _Builder, table: Table) -> None:
    ctx = b.ctx
    c_name = table.col("断面名称")
    c_county = table.col("行政区域", "县(市、区)", "县（市、区）", "县区", "县")
    c_river = table.col("河流")
    c_level = table.col("级别")
    c_water = table.col("水体类型", "断面类型", "断面性质", "水域类型")
    c_note = table.col("备注")
    c_target = table.col("目标")
    header_year = year_of(table.header[c_target]) if c_target is not None else None
    # a blank 河流/行政区域 cell is "same as above" (a merged cell: 甘村 lies on the 浊漳西源 of row 1)
    rivers = fill_down(table, c_river)
    counties = fill_down(table, c_county)
    for k, row in enumerate(table.rows):
        written = row.get(c_name)
        name = squash_cjk_spaces(written)
        if not name:
            continue
        level_written = row.get(c_level) or (row.get(c_note) if normalize_level(row.get(c_note)) else "")
        sec = b.section(
            name=name,
            name_as_written=written,
            county=re.sub(r"\s+", "", counties[k]),
            river=squash_cjk_spaces(rivers[k]),
            level_as_written=level_written,
            line=row.line,
            waterbody_as_written=squash_cjk_spaces(row.get(c_water)) if c_water is not None else "",
        )
        target = row.get(c_target)
        if target:
            b.target(
                sec, year=header_year or ctx.year_at(row.line), text=target, kind="target", line=row.line
            )


# ---------------------------------------------------------------- text


def _clean_mention(raw: str) -> tuple[str, str, str] | None:
    """(level as written, river, name) from a "…断面" phrase, or None when it is generic.

    "劣V类的水体断面比例为0" names no section (a class, then 水体); "列入国家考核的富屯溪晒口大桥断面"
    names 晒口大桥 on 富屯溪 (the words before 的 are not part of the name).
    """
    if raw.startswith("类") or re.match(r"^[ⅠⅡⅢⅣⅤIV]", raw):
        return None
    if "的" in raw:
        raw = raw.rsplit("的", 1)[1]
    name = _LEAD_WORDS.sub("", raw)
    name = _TAIL_WORDS.sub("", name)
    level = ""
    m = _LEVEL_PREFIX.match(name)
    if m:
        level, name = m.group(1), name[m.end() :]
    river = ""
    m = _RIVER_PREFIX.match(name)
    if m:
        river, name = m.group("river"), m.group("rest")
    if len(name) < 2 or any(w in name for w in _GENERIC) or name.startswith("一"):
        return None
    return level, river, name


def _known(b: _Builder, name: str) -> bool:
    """Whether ``name`` restates a section already found (后湾水库 for 后湾水库出口)."""
    return any(
        str(s["name"]).startswith(name) or name.startswith(str(s["name"])) for s in b.sections.values()
    )


def _from_class_lists(b: _Builder, jt: JoinedText) -> None:
    """Sentences "N 个（A、B、C断面）达到Ⅲ类": the classes the plan reports as observed."""
    for m in _CLASS_LIST.finditer(jt.text):
        left, _ = sentence_around(jt.text, m.start(), m.end())
        before = jt.text[max(0, left - 40) : m.start()]
        level = next((w for w in ("国考", "国控", "省考", "省控", "市考") if w in before), "")
        years = re.findall(r"(20\d{2})\s*年", before)
        year = int(years[-1]) if years else b.ctx.year_at(jt.line_at(m.start()))
        text = m.group(0)
        pos = m.start("items")
        for item in m.group("items").split("、"):
            start = pos
            pos += len(item) + 1
            cleaned = _clean_mention(item.removesuffix("断面"))
            if not cleaned:
                continue
            level_w, river, name = cleaned
            sec = b.section(
                name=name,
                name_as_written=item.removesuffix("断面"),
                county="",
                river=river,
                level_as_written=level_w or level,
                line=jt.line_at(start),
            )
            b.target(sec, year=year, text=text, kind="observed", line=jt.line_at(start))


def _from_mentions(b: _Builder, jt: JoinedText, has_table: bool) -> None:
    for m in _MENTION.finditer(jt.text):
        offset = m.start("name")
        parts = re.split(r"([和及与])", m.group("name"))
        # "后湾水库和西营地表水断面" names two sections; "逐一明确和落实每个国考断面" none
        if len(parts) > 1 and not _clean_mention(parts[-1]):
            continue
        for part in parts:
            start = offset
            offset += len(part)
            cleaned = _clean_mention(part)
            if not cleaned:
                continue
            level, river, name = cleaned
            county, name = _county_prefix(b.ctx, name)
            if len(name) < 2 or (has_table and _known(b, name)):
                continue  # the text restates a section of the target table
            written = _TAIL_WORDS.sub("", _LEAD_WORDS.sub("", part))
            start += len(part) - len(_LEAD_WORDS.sub("", part))
            before = jt.text[max(0, m.start() - 16) : m.end()]
            level = level or next((w for w in ("国家考核", "国考", "国控", "省考", "省控", "市考") if w in before), "")
            rec = b.section(
                name=name,
                name_as_written=written,
                county=county,
                river=river,
                level_as_written=level.replace("国家考核", "国考"),
                line=jt.line_at(start),
            )
            _named_target(b, rec, jt, m.end())


_NAMED_TARGET = re.compile(
    r"^(?:[（(][^（）()]{1,8}[）)])?[，,]?\s*(?:水质)?(?:目标(?:为|是)?|要?(?:稳定)?(?:达到|保持|完成))\s*"
    r"(?:(?:地表水)?(?P<cls>劣?(?:Ⅰ|Ⅱ|Ⅲ|Ⅳ|Ⅴ|IV|V|III|II|I))类|(?P<text>国家考核要求|考核要求|省定目标|国家考核目标|年度目标))"
)


def _named_target(b: _Builder, section: Record, jt: JoinedText, end: int) -> None:
    """"新增沁源县东沟站断面，目标Ⅲ类": the target written right after a section named in the text."""
    m = _NAMED_TARGET.match(jt.text[end : end + 30])
    if not m:
        return
    line = jt.line_at(end)
    year = b.ctx.year_at(line)
    if year is None or b.ctx.plan_at(line) is None:
        return  # a mention before the plan (a news lead-in) states no year of its own
    text = jt.text[end - 2 - len(str(section["name_as_written"])) : end + m.end()].lstrip("，,（(")
    b.target(section, year=year, text=text, kind="target", line=line)


def _county_prefix(ctx: DocumentContext, name: str) -> tuple[str, str]:
    """"沁源县东沟站" → ("沁源县", "东沟站"): a county written at the start of a section name."""
    from geodata.gazetteer import gazetteer

    g = gazetteer()
    near = g.lookup(ctx.context, short=False) if ctx.context else []
    found = [m for m in g.mentions(name, near, zones=False) if m.start == 0 and m.division is not None]
    if found and found[0].division.level == "county" and len(name) - found[0].end >= 2:
        return found[0].division.name, name[found[0].end :]
    return "", name


_TEXT_TARGET = re.compile(
    r"(?P<items>(?:(?:国考|省考|国控|省控|市考)?[\u4e00-\u9fff（）]{2,12}?断面[和、]?)+)"
    r"(?:水质)?要?(?:稳定)?(?:保持|达到)(?:地表水)?(?P<cls>劣?(?:Ⅰ|Ⅱ|Ⅲ|Ⅳ|Ⅴ|IV|V|III|II|I))类"
)


def _targets_in_text(b: _Builder, jt: JoinedText) -> None:
    """Targets the body states for sections of the target table.

    001 line 27: "国考后湾水库断面要稳定保持地表水Ⅱ类；国考小蛟断面和省考甘村断面水质保持地表水Ⅲ类"
    restates the annex for the plan's whole period; the statement is kept as its own target
    row (one per plan year, cited at its line) beside the annex row — both stay, they agree.
    """
    for m in _TEXT_TARGET.finditer(jt.text):
        line = jt.line_at(m.start("items"))
        plan = b.ctx.plan_at(line)
        if plan is None or plan.period_start is None or plan.period_end is None:
            continue
        for item in re.split(r"[和、]", m.group("items")):
            item = re.sub(r"^[（(]?(其中)?", "", item)
            cleaned = _clean_mention(item.removesuffix("断面"))
            if not cleaned:
                continue
            _, _, name = cleaned
            section = next((s for s in b.sections.values() if str(s["name"]).startswith(name)), None)
            if section is None:
                continue
            for year in range(plan.period_start, plan.period_end + 1):
                text = re.sub(r"^[（(]?(其中)?", "", m.group(0))
                b.target(section, year=year, text=text, kind="target", line=line)


def extract(ctx: DocumentContext, found: dict[str, list[Record]]) -> dict[str, list[Record]]:
    b = _Builder(ctx)
    tables = _section_tables(ctx)
    for table in tables:
        _from_table(b, table)
    jt = joined_text(ctx)
    _targets_in_text(b, jt)
    _from_class_lists(b, jt)
    _from_mentions(b, jt, bool(tables))
    return b.finish()
