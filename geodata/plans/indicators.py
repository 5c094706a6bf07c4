"""Quantitative goals: the indicator table of a five-year plan and the numbers in 目标 sections.

Two sources, both kept precise rather than exhaustive:

1. An indicator table printed without tabs (PDF text of the 14th FYP, "表 2 …规划指标体系"):
   each row starts with its number on a line of its own (or followed by the indicator), the
   category is printed in two-character pieces ("环境" / "治理"), names break across lines,
   and every row ends with its type (约束性 / 预期性). Columns: 序号, 类别, 指标（单位）,
   <baseline year> 现状, <target year> 目标, 指标类型. "-" means no value. A value marked
   "*" keeps its star; a note "*代表 2019 年数据" moves its baseline year.
2. Sentences in a plan's 目标 section ("二、主要目标" up to the next "三、" heading) of the
   form "<indicator>(达到|达|降到|降至|力争降到|不低于|不高于|控制在) <number><unit>", plus
   "无劣Ⅴ类断面" (a count of 0).
"""

from __future__ import annotations

import re

from geodata.plans.structure import DocumentContext
from geodata.plans.text import clean_line, normalize_digits, split_top, squash_cjk_spaces

_CN_NUM = "一二三四五六七八九十"
_TOP_HEADING = re.compile(rf"^[{_CN_NUM}]+、")
_GOAL_HEADING = re.compile(rf"^[{_CN_NUM}]+、\s*(主要目标|目标要求|工作目标|总体目标)\s*$")
_SUB_HEADING = re.compile(rf"^[（(]\s*[{_CN_NUM}\d]+\s*[）)]\s*(?P<name>[^。，；]{{1,20}})$")
_TABLE_TITLE = re.compile(r"^表\s*\d+\s*(?P<title>.*指标体系)$")
_TYPE = re.compile(r"(约束性|预期性)$")
_ROW = re.compile(
    r"^(?P<name>(?:[^（）]|（[^（）]*）)+?)(?:（(?P<unit>[^（）]*)）)?\s*"
    r"(?P<base>-|\d+(?:\.\d+)?\*?)\s*(?P<target>.+?)\s*(?P<type>约束性|预期性)$"
)
_NUMERIC = re.compile(r"^-?\d+(?:\.\d+)?$")

_VERBS = {
    "力争降到": "<=",
    "力争降至": "<=",
    "降到": "<=",
    "降至": "<=",
    "不高于": "<=",
    "控制在": "<=",
    "要达到": ">=",
    "稳定达到": ">=",
    "达到": ">=",
    "不低于": ">=",
    "达": ">=",
}
_UNITS = {
    "微克/立方米": "μg/m³",
    "μg/m3": "μg/m³",
    "ug/m3": "μg/m³",
    "毫克/立方米": "mg/m³",
    "mg/m3": "mg/m³",
}
_GOAL = re.compile(
    r"^(?P<name>.+?)(?P<verb>" + "|".join(sorted(_VERBS, key=len, reverse=True)) + r")\s*"
    r"(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>%|微克/立方米|毫克/立方米|μg/m³|μg/m3|mg/m³|天|个|吨|万吨|平方公里)?\s*(?P<bound>以上|以下)?"
)
_NONE_OF = re.compile(
    r"^(无|消除)(?P<name>劣\s*[ⅤV]\s*类.*断面)$|^(?P<name2>.*劣\s*[ⅤV]\s*类.*断面)(全部|全面)?消除$"
)


def _norm_unit(unit: str) -> str:
    u = unit.replace(" ", "")
    return _UNITS.get(u, u)


def _norm_name(text: str) -> str:
    """Squash PDF spaces and write pollutant subscripts plainly: "PM_{2.5}" → "PM2.5", "O₃" → "O3"."""
    t = re.sub(r"<sub>(.*?)</sub>", r"\1", text)
    t = t.replace("_{", "").replace("}", "")
    t = t.translate(str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789"))
    t = re.sub(r"(?<=[A-Za-z])\s+(?=[\d.])", "", t)
    t = squash_cjk_spaces(t)
    t = re.sub(r"(?<=[\u4e00-\u9fff）])\s+(?=[A-Za-z\d])|(?<=[A-Za-z\d%])\s+(?=[\u4e00-\u9fff（])", "", t)
    t = re.sub(r"^(?:确保|力争|实现|保证|保持)", "", t)
    return t.strip("，,、 ")


def _number(text: str) -> float | str:
    t = text.strip()
    return float(t) if _NUMERIC.match(t) else ""


# ---------------------------------------------------------------- the indicator table


def _join(parts: list[str]) -> str:
    out = ""
    for p in parts:
        if out and re.search(r"[\d*\-]$", out) and re.match(r"^[\d\-]", p):
            out += " "
        out += p
    return out


def _table_indicators(ctx: DocumentContext) -> list[dict[str, object]]:
    # not clean_line: it would take the "- " of "- 完成下达指标 约束性" (no value) for a bullet
    lines = [re.sub(r"\*\*|__", "", x).replace("\u3000", " ").strip() for x in ctx.doc.lines]
    records: list[dict[str, object]] = []
    i = 0
    n = len(lines)
    while i < n:
        m = _TABLE_TITLE.match(lines[i]) if "\t" not in ctx.doc.lines[i] else None
        if not m:
            i += 1
            continue
        title = squash_cjk_spaces(lines[i])
        table_records, i = _read_fyp_table(ctx, lines, i + 1, title)
        records.extend(table_records)
    return records


def _read_fyp_table(
    ctx: DocumentContext, lines: list[str], start: int, title: str
) -> tuple[list[dict[str, object]], int]:
    base_year: int | None = None
    target_year: int | None = None
    rows: list[dict[str, object]] = []
    expected = 1
    category = ""
    i = start
    n = len(lines)
    star_year: int | None = None
    in_header = True
    while i < n:
        text = lines[i]
        i += 1
        if not text:
            continue
        if text.startswith("注"):
            m = re.search(r"\*\s*代表\s*(20\d{2})\s*年", normalize_digits(text))
            if m:
                star_year = int(m.group(1))
            continue
        if _TOP_HEADING.match(text) or _TABLE_TITLE.match(text):
            i -= 1
            break
        if text in ("序", "序号") or text.startswith("序号"):
            in_header = True  # the header, or its repeat after a page break
        if in_header:
            y = re.match(r"^(20\d{2})\s*年", normalize_digits(text))
            if y and "目标" in text:
                target_year = int(y.group(1))
            elif y:
                base_year = int(y.group(1))
            if text.endswith("类型"):
                in_header = False
            continue
        m = re.match(rf"^({expected})(?:\s+(.*))?$", text)
        if not m:
            continue
        row_line = i  # 1-based line number of the row's first line
        parts: list[str] = []
        rest = m.group(2)
        if rest:
            parts.append(rest)
        else:  # the category, printed in short pieces right after a bare number
            pieces = []
            while i < n and (not lines[i] or re.match(r"^[\u4e00-\u9fff]{1,3}$", lines[i])):
                if lines[i]:
                    pieces.append(lines[i])
                i += 1
            if pieces:
                category = "".join(pieces)
        while not _TYPE.search(_join(parts)) and i < n:
            if lines[i] and not _TOP_HEADING.match(lines[i]):
                parts.append(lines[i])
            elif lines[i]:
                break
            i += 1
        row_text = _join(parts)
        rm = _ROW.match(row_text)
        if not rm:
            expected += 1
            continue
        base = rm.group("base")
        target = _norm_name(rm.group("target"))
        rows.append(
            {
                "category": category,
                "seq": expected,
                "name": _norm_name(rm.group("name")),
                "unit": _norm_unit(rm.group("unit") or ""),
                "baseline_year": base_year,
                "baseline_value": "" if base == "-" else base,
                "target_year": target_year,
                "target_value": "" if target == "-" else target,
                "target_number": _number(target),
                "comparison": "",
                "indicator_type": rm.group("type"),
                "_line": row_line,
            }
        )
        expected += 1
    if star_year:
        # "注 1：*代表 2019 年数据" — a starred baseline is from that year; the star stays in the value.
        for r in rows:
            if str(r["baseline_value"]).endswith("*"):
                r["baseline_year"] = star_year
    for r in rows:
        r["_table"] = title
    return rows, i


# ---------------------------------------------------------------- goals stated in 目标 sections


def _split_clauses(text: str) -> list[tuple[int, str]]:
    """(offset, clause) split at ，。；; outside brackets and quotes."""
    return split_top(text, "，,。；;", quotes=True)


def _goal_sections(ctx: DocumentContext) -> list[tuple[int, int, str]]:
    """(first body line, last line, heading name) of each 目标 section."""
    lines = [clean_line(x) for x in ctx.doc.lines]
    out = []
    for k, text in enumerate(lines, start=1):
        m = _GOAL_HEADING.match(text)
        if not m or "\t" in ctx.doc.lines[k - 1]:
            continue
        end = k
        for j in range(k + 1, len(lines) + 1):
            if _TOP_HEADING.match(lines[j - 1]) or "\t" in ctx.doc.lines[j - 1]:
                break
            end = j
        out.append((k + 1, end, m.group(1)))
    return out


def _text_indicators(ctx: DocumentContext) -> list[dict[str, object]]:
    records: list[dict[str, object]] = []
    for first, last, heading in _goal_sections(ctx):
        plan = ctx.plan_at(first)
        # one text with a map offset → line; short headings ("（二）争取性指标") end a sentence
        text = ""
        line_at: list[int] = []
        category = heading
        categories: list[str] = []
        for ln in range(first, last + 1):
            raw = clean_line(ctx.doc.lines[ln - 1])
            if not raw:
                continue
            sub = _SUB_HEADING.match(raw)
            if sub:
                category = re.sub(r"^努力", "", sub.group("name").strip())
                piece = "。"
            else:
                piece = raw
            text += piece
            line_at.extend([ln] * len(piece))
            categories.extend([category] * len(piece))
        sentence_year: int | None = None
        for offset, clause in _split_clauses(text):
            if offset >= len(line_at):
                continue
            if offset == 0 or text[offset - 1] == "。":
                sentence_year = None
            c = clause.strip()
            y = re.match(r"^(?:到\s*)?(20\d{2})\s*年(底|末)?$", normalize_digits(c))
            if y:
                sentence_year = int(y.group(1))
                continue
            ln = line_at[offset]
            year = sentence_year or ctx.year_at(ln)
            for rec in _goal_records(c, year):
                rec["category"] = categories[offset]
                rec["plan"] = plan.title if plan else ""
                rec["_line"] = ln
                records.append(rec)
    return records


# "全市二氧化硫(SO2)、氮氧化物(NOX)和挥发性有机物(VOCs)等主要污染物排放总量比2015年分别下降15%、10%和26%"
_RESPECTIVELY = re.compile(
    r"^(?P<names>.+?)(?:等(?P<what>[^比较]{0,16}?))?(?:比|较)(?P<base>20\d{2})年(?:分别)?(?P<verb>下降|降低|削减|减少|上升|提高|增长)"
    r"(?P<values>\d+(?:\.\d+)?%(?:(?:、|和|及)\d+(?:\.\d+)?%)+)(?P<bound>以上)?$"
)
# "劣V类的水体断面比例为0", "PM2.5浓度为42微克/立方米"
_IS = re.compile(r"^(?P<name>.{2,40}?(?:比例|浓度|数量|个数|天数|率))(?:为|是)(?P<num>\d+(?:\.\d+)?)(?P<unit>%|微克/立方米|毫克/立方米|天|个)?$")


def _goal_records(clause: str, year: int | None) -> list[dict[str, object]]:
    """The indicators one clause states: one, several ("分别下降15%、10%和26%"), or none."""
    c = normalize_digits(clause).strip()
    m = _RESPECTIVELY.match(c)
    if m:
        values = re.findall(r"\d+(?:\.\d+)?%", m.group("values"))
        names = [n for n in re.split(r"、|和|及", re.sub(r"^(?:全市|全县|全区|到20\d{2}年，?)", "", m.group("names"))) if n]
        if len(names) == len(values):
            what = m.group("what") or ""
            what = re.sub(r"^主要污染物", "", what)
            reduce = m.group("verb") in ("下降", "降低", "削减", "减少")
            return [
                {
                    "name": _norm_name(f"{name}{what}"),
                    "unit": "%",
                    "baseline_year": int(m.group("base")),
                    "target_year": year or "",
                    "target_value": f"{m.group('verb')}{value}{m.group('bound') or ''}",
                    "target_number": float(value.rstrip("%")),
                    "comparison": ">=",  # a cut of at least this much (or a rise of at least)
                    "indicator_type": "",
                    "_kind": "reduction" if reduce else "increase",
                }
                for name, value in zip(names, values, strict=True)
            ]
    m = _IS.match(c)
    if m and not _GOAL.match(c):
        name = _norm_name(re.sub(r"^(?:到\s*)?20\d{2}年(?:底|末)?，?", "", m.group("name")))
        return [
            {
                "name": name,
                "unit": _norm_unit(m.group("unit") or ""),
                "target_year": year or "",
                "target_value": f"{m.group('num')}{m.group('unit') or ''}",
                "target_number": float(m.group("num")),
                "comparison": "=",
            }
        ]
    rec = _goal_record(clause, year)
    return [rec] if rec else []


def _goal_record(clause: str, year: int | None) -> dict[str, object] | None:
    c = normalize_digits(clause).strip()
    none = _NONE_OF.match(c)
    if none:
        name = _norm_name(none.group("name") or none.group("name2"))
        return {
            "name": name,
            "unit": "个",
            "target_year": year or "",
            "target_value": c,
            "target_number": 0.0,
            "comparison": "=",
        }
    m = _GOAL.match(c)
    if not m:
        return None
    name = _norm_name(m.group("name"))
    name = re.sub(r"^(20\d{2})年(底|末)?", "", name)
    verb = m.group("verb")
    bound = m.group("bound") or ""
    if bound == "以下":
        comparison = "<="
    elif bound == "以上":
        comparison = ">="
    else:
        comparison = _VERBS.get(verb, "=")
    unit = _norm_unit(m.group("unit") or "")
    return {
        "name": name,
        "unit": unit,
        "target_year": year or "",
        "target_value": f"{m.group('num')}{m.group('unit') or ''}{bound}",
        "target_number": float(m.group("num")),
        "comparison": comparison,
    }


def extract(ctx: DocumentContext, found: dict) -> dict[str, list[dict[str, object]]]:  # noqa: ARG001
    items = _table_indicators(ctx) + _text_indicators(ctx)
    items.sort(key=lambda r: r["_line"])
    records = []
    for n, item in enumerate(items, start=1):
        line = int(item.pop("_line"))
        item.pop("seq", None)
        item.pop("_table", None)
        item.pop("_kind", None)
        plan = ctx.plan_at(line)
        rec = {
            "id": f"{ctx.meta.id}/I{n}",
            "jurisdiction": ctx.meta.jurisdiction,
            "plan": item.pop("plan", None) or (plan.title if plan else ""),
            "baseline_year": "",
            "baseline_value": "",
            "indicator_type": "",
            **item,
            **ctx.source(line),
        }
        records.append(rec)
    return {"indicators": records}
