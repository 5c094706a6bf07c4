"""Importing a bureau's monitoring results: one truth for the preview and the import.

The file is read by :mod:`geodata.quality.readings` (the platform's export as it is, monthly
manual tables, long format, every value form and time form); then its sites meet the store:

* **sites** are the store's sections (surface water) or groundwater points, found by id or
  name; same-named stations are told apart by the file's 省份/流域/所在地市/县 (the national
  platform has 13 names used in two provinces). A station the store does not know is listed
  with a suggestion only when one is genuinely close (one character apart in the distinctive
  part of the name: 张留桩 → 张留庄, never 汾河水库出口 → 东焦河水库出口). ``new_sites`` chooses
  what happens to them: ``"ask"`` (refuse, listing them — the preview's question), ``"import"``
  (add them as sections: name, province, basin, city, river; precision ``none`` until
  located) or ``"skip"`` (leave their rows out, with a notice);
* **years**: values of any year are accepted (compliance later uses the target of that year, or
  the latest earlier one, marked as such);
* **conflicts**: a (site, date, time, item) another file holds is refused, naming the file and
  the rows, unless ``replace=True`` — then that file's values are replaced and named. A
  re-import of the same file (same name) replaces what it wrote; real values for a site and
  month replace that month's sample values (示例数据（非实测）).

:func:`preview_monitoring` and :func:`import_monitoring` run the same function: the preview
performs the whole write inside a transaction and rolls it back, so whatever the preview
accepts the import accepts, and a database refusal shows in the preview too. Every stored
value keeps ``source_file``, ``source_row``, the text as written (``raw_value``), the time of
the reading, the method (auto/manual), the source's own class and the waterbody it was
imported with.
"""

from __future__ import annotations

import re
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from geodata import admin
from geodata.errors import EnvmapError, ImportRejected, MeasurementConflict, RowProblem
from geodata.quality.groundwater import evaluate_groundwater
from geodata.quality.readings import ParsedFile, Reading, parse_rows, read_table, site_places
from geodata.quality.surface import evaluate_sample
from geodata.quality.waterbody import WATERBODIES, by_rule, parse_waterbody, section_waterbody

SITE_TABLES = {"surface": ("section", "sections"), "groundwater": ("groundwater", "groundwater_points")}
SITE_LABELS = {"surface": "断面", "groundwater": "地下水点位"}
NEW_SITE_CHOICES = ("ask", "import", "skip")
ROW_COLUMNS = ["site_type", "site_id", "site_name", "date", "time", "period", "item", "value", "below_detection",
               "detection_source", "unit", "raw_value", "status", "method", "waterbody", "reported_class",
               "station_state", "is_sample", "source_file", "source_row"]
IMPORT_METHOD = "监测数据导入（未定位）"


@dataclass
class UnknownSite:
    """A station of the file the store does not know."""

    name: str
    province: str
    basin: str
    city: str
    river: str
    rows: list[int]
    suggestion: str | None = None


@dataclass
class MonitoringPreview:
    """What an import would write (``rows``), and every reason it would not (``problems``)."""

    file: str
    standard: str
    rows: pd.DataFrame
    problems: list[RowProblem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    method: str = "manual"
    needs_year: bool = False
    unknown_sites: list[UnknownSite] = field(default_factory=list)
    new_sites: list[dict[str, object]] = field(default_factory=list)
    replaced_same_file: int = 0  # values an earlier import of this file holds (re-import replaces them)
    replaced_other: list[dict[str, object]] = field(default_factory=list)  # values of other files replaced
    samples_replaced: int = 0
    agreement: dict[str, object] = field(default_factory=dict)
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def site_type(self) -> str:
        return SITE_TABLES[self.standard][0]

    @property
    def conflicts(self) -> int:
        return sum(int(r["values"]) for r in self.replaced_other)

    @property
    def counts(self) -> dict[str, int]:
        values = self.rows[self.rows["item"] != "status"] if len(self.rows) else self.rows
        readings = self.rows[["site_id", "date", "time"]].drop_duplicates().shape[0] if len(self.rows) else 0
        return {
            "values": len(values),
            "sites": int(self.rows["site_id"].nunique()) if len(self.rows) else 0,
            "samples": readings,
            "problems": len(self.problems),
            "replaced_same_file": self.replaced_same_file,
            "conflicts": self.conflicts,
            "new_sites": len(self.new_sites),
        }

    def summary(self) -> pd.DataFrame:
        """Counts by site: readings, values, first and last date."""
        if self.rows.empty:
            return pd.DataFrame(columns=["site_id", "site_name", "samples", "values", "first", "last"])
        values = self.rows[self.rows["item"] != "status"]
        g = self.rows.groupby(["site_id", "site_name"])
        readings = self.rows.drop_duplicates(["site_id", "date", "time"]).groupby(["site_id", "site_name"]).size()
        return pd.DataFrame({
            "samples": readings, "values": values.groupby(["site_id", "site_name"]).size().reindex(readings.index).fillna(0)
            .astype(int), "first": g["date"].min(), "last": g["date"].max(),
        }).reset_index()

    def replaced_text(self) -> list[str]:
        """One line per earlier file and site whose values this import replaces."""
        return [f"{r['source_file']}：{r['site_id']} {r['first']} 至 {r['last']} 的 {r['values']} 个值" for r in self.replaced_other]


class ImportSummary(dict):
    """The result of :func:`import_monitoring`: a dict of counts; ``.rows`` is what was written."""

    @property
    def rows(self) -> pd.DataFrame:
        return self["rows"]


# ------------------------------------------------------------------------------------ sites


_NOISE = re.compile(r"[\s　]+|断面$|监测断面$|点位$")
_GENERIC_TAIL = re.compile(r"(?:水库出口|水库入口|入库口|出口|入口|水库|大桥|桥|村|镇|闸|站|水厂|湖心|库心)$")


def site_key(text: object) -> str:
    """The form names are compared in: NFKC, no spaces, no trailing 断面, ASCII brackets."""
    raw = unicodedata.normalize("NFKC", str(text or "")).strip()
    return _NOISE.sub("", raw)


def _distance(a: str, b: str) -> int:
    """Levenshtein distance (names are short)."""
    if a == b:
        return 0
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def close_names(name: str, candidates: list[str]) -> list[str]:
    """Candidates genuinely close to ``name``: one edit apart in the distinctive part of the name.

    The generic tail (水库出口, 大桥, 村 …) must be the same and the rest differ by one
    character — or the rest be the same and the whole differ by one character — so 张留桩 →
    张留庄 and 后湾水库出囗 → 后湾水库出口, but not 汾河水库出口 → 东焦河水库出口 or 龙门 → 龙头.
    """
    key = site_key(name)
    tail = _GENERIC_TAIL.search(key)
    stem = key[: tail.start()] if tail else key
    out = []
    for cand in candidates:
        ck = site_key(cand)
        ctail = _GENERIC_TAIL.search(ck)
        cstem = ck[: ctail.start()] if ctail else ck
        if (tail.group(0) if tail else "") != (ctail.group(0) if ctail else ""):
            # a typo in the ending (出囗 for 出口): the candidate's distinctive part is intact
            if len(key) >= 4 and len(cstem) >= 2 and key.startswith(cstem) and _distance(key, ck) == 1:
                out.append(cand)
            continue
        if len(stem) < 2 or len(cstem) < 2:
            continue
        if _distance(stem, cstem) == 1 and max(len(stem), len(cstem)) >= 3 - (1 if tail else 0):
            out.append(cand)
    return sorted(out)


class Sites:
    """The sections or groundwater points of the store, found by id or name and place."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        self.records = {str(r["id"]): r for r in frame.to_dict("records")} if len(frame) else {}
        self.by_name: dict[str, list[str]] = {}
        for sid, rec in self.records.items():
            self.by_name.setdefault(site_key(rec.get("name", "")), []).append(sid)
        for alias, sid in _curated_aliases().items():  # 南山 = 小浪底水库南山 (curation same_as)
            if sid in self.records and sid not in self.by_name.setdefault(alias, []):
                self.by_name[alias].append(sid)

    def name(self, sid: str) -> str:
        return str(self.records[sid].get("name", sid))

    def _province(self, sid: str) -> str:
        rec = self.records[sid]
        province = str(rec.get("province", "") or "")
        if province:
            return province
        city = str(rec.get("city", "") or "")
        return admin.parent_of(city) if city else ""

    def find(self, reading: Reading) -> list[str]:
        """The ids the reading's site can be; more than one when the file does not tell them apart."""
        if reading.site in self.records:
            return [reading.site]
        ids = self.by_name.get(site_key(reading.site), [])
        if not ids:
            return []
        place = [
            (reading.province, lambda sid: self._province(sid)),
            (reading.city, lambda sid: str(self.records[sid].get("city", "") or "")),
            (reading.county, lambda sid: str(self.records[sid].get("county", "") or "")),
            (reading.basin, lambda sid: str(self.records[sid].get("basin", "") or "")),
        ]
        province, *others = place
        if province[0]:  # a station of another province is another station, even when alone
            ids = [sid for sid in ids if not province[1](sid) or _same_place(province[1](sid), province[0])]
        for wanted, of in others:  # the rest only tell apart stations that still share the name
            if wanted and len(ids) > 1:
                ids = [sid for sid in ids if not of(sid) or _same_place(of(sid), wanted)]
        return sorted(ids)

    def suggest(self, name: str) -> str | None:
        names = sorted({str(r.get("name", "")) for r in self.records.values()})
        close = close_names(name, names)
        return close[0] if close else None


def _curated_aliases() -> dict[str, str]:
    """Other names of a section the curation records (``same_as``): alias key → section id."""
    from geodata.plans import curation

    out = {}
    for (table, key, field_name), entry in curation.all_entries().items():
        if table == "sections" and field_name == "same_as" and ":" in key:
            out[site_key(key.split(":", 1)[1])] = entry.value
    return out


def _same_place(a: str, b: str) -> bool:
    a, b = site_key(a), site_key(b)
    return a == b or a.rstrip("省市县区") == b.rstrip("省市县区") or a.startswith(b) or b.startswith(a)


def _new_site_id(reading: Reading, taken: set[str]) -> str:
    place = reading.city or reading.province or reading.basin or "监测导入"
    base = f"{place}:{reading.site}"
    sid, n = base, 2
    while sid in taken:
        sid, n = f"{base}（{n}）", n + 1
    return sid


# ------------------------------------------------------------------------------------ the one path


def _as_path(source: str | Path | bytes, name: str | None, folder: list[tempfile.TemporaryDirectory]) -> Path:
    if isinstance(source, bytes | bytearray):
        if not name:
            raise EnvmapError("上传的内容缺少文件名。请提供文件名（如“5月.csv”），以便识别格式并记录来源。")
        tmp = tempfile.TemporaryDirectory(prefix="envmap-monitoring-")
        folder.append(tmp)
        path = Path(tmp.name) / Path(name).name
        path.write_bytes(bytes(source))
        return path
    return Path(source)


def _choose_standard(places: list[Reading], sites: dict[str, Sites]) -> tuple[str, RowProblem | None]:
    hits = {s: sorted({p.site for p in places if sites[s].find(p)}) for s in sites}
    if hits["surface"] and hits["groundwater"]:
        return "surface", RowProblem(None, (
            f"文件同时包含地表水断面（如“{hits['surface'][0]}”）和地下水点位（如“{hits['groundwater'][0]}”）。"
            "两者按不同标准评价，请分成两个文件分别导入。"))
    return ("groundwater" if hits["groundwater"] and not hits["surface"] else "surface"), None


def _overrides(waterbody: str | dict[str, str] | None) -> tuple[str, dict[str, str], list[RowProblem]]:
    if waterbody is None or waterbody == "":
        return "", {}, []
    if isinstance(waterbody, str):
        value = parse_waterbody(waterbody)
        if value is None:
            return "", {}, [RowProblem(None, f"水体类型“{waterbody}”无法识别。请用 river（河流）、lake（湖泊）或 reservoir（水库）。")]
        return value, {}, []
    out, problems = {}, []
    for site, text in waterbody.items():
        value = parse_waterbody(text)
        if value is None:
            problems.append(RowProblem(None, f"“{site}”的水体类型“{text}”无法识别。请写 河流、湖泊 或 水库。"))
        else:
            out[site_key(site)] = value
    return "", out, problems


def _run(source: str | Path | bytes, store, *, name: str | None, standard: str, replace: bool,  # noqa: ANN001
         year: int | None, new_sites: str, method: str, waterbody: str | dict[str, str] | None,
         commit: bool) -> MonitoringPreview:
    if store is None:
        raise EnvmapError("导入监测数据需要数据库（store）。")
    if standard not in ("auto", *SITE_TABLES):
        raise EnvmapError(f"标准“{standard}”无法识别。请用 surface（地表水断面）或 groundwater（地下水点位）。")
    if new_sites not in NEW_SITE_CHOICES:
        raise EnvmapError(f"未登记断面的处理方式“{new_sites}”无法识别。请用 ask（列出并询问）、import（作为新断面导入）或 skip（跳过）。")
    folder: list[tempfile.TemporaryDirectory] = []
    try:
        path = _as_path(source, name, folder)
        file_name = Path(name).name if name else path.name
        sites = {s: Sites(store.read_table(table)) for s, (_t, table) in SITE_TABLES.items()}
        notices: list[str] = []
        rows = read_table(path, file_name, notices=notices)
        if standard == "auto":
            standard, mixed = _choose_standard(site_places(rows), sites)
            if mixed:
                return MonitoringPreview(file_name, standard, pd.DataFrame(columns=ROW_COLUMNS), [mixed], notices)
        parsed = parse_rows(rows, file_name, standard, year=year, method=method, notices=notices)
    finally:
        for tmp in folder:
            tmp.cleanup()
    preview = MonitoringPreview(file_name, standard, pd.DataFrame(columns=ROW_COLUMNS), list(parsed.problems),
                                list(parsed.notices), parsed.method, parsed.needs_year)
    default_wb, site_wb, wb_problems = _overrides(waterbody)
    preview.problems += wb_problems
    if parsed.problems and not parsed.readings:
        return preview
    frame = _frame(parsed, sites[standard], preview, new_sites, default_wb, site_wb)
    preview.rows = frame
    if preview.problems:
        preview.problems.sort(key=lambda p: p.line or 0)
        return preview
    if frame.empty:
        preview.problems.append(RowProblem(None, "文件中没有可导入的监测值。"))
        return preview
    try:
        result = store.write_measurements(frame.drop(columns=["site_name"]), replace_file=file_name,
                                          replace_keys=replace, new_sites=preview.new_sites, dry_run=not commit)
    except MeasurementConflict as exc:
        for row, other, sid, date, time, item in exc.examples:
            when = f"{date}{(' ' + time) if time else ''}"
            preview.problems.append(RowProblem(int(row) if row is not None else None, (
                f"{sid} {when} 的“{item}”已由文件 {other} 导入。如要以本文件为准，请使用 --replace"
                "（导入页面勾选“以本文件为准”），或先删除该文件的数据。")))
        if len(exc.examples) >= 200:
            preview.problems.append(RowProblem(None, f"共有 {sum(int(h[4]) for h in exc.held)} 个值与其他文件冲突，以上只列出前 200 个。"))
        return preview
    preview.replaced_same_file = int(result["replaced_same_file"])  # type: ignore[arg-type]
    preview.replaced_other = list(result["replaced_other"])  # type: ignore[arg-type]
    preview.samples_replaced = int(result["samples_replaced"])  # type: ignore[arg-type]
    preview.written = commit
    return preview


def _frame(parsed: ParsedFile, known: Sites, preview: MonitoringPreview, new_sites: str, default_wb: str,
           site_wb: dict[str, str]) -> pd.DataFrame:
    standard = parsed.standard
    site_type, _table = SITE_TABLES[standard]
    label = SITE_LABELS[standard]
    unknown: dict[tuple[str, str, str], UnknownSite] = {}
    created: dict[tuple[str, str, str], str] = {}
    taken = set(known.records)
    records: list[dict[str, object]] = []
    seen: dict[tuple[str, str, str, str], int] = {}
    agree = reported = 0
    differences: list[dict[str, str]] = []
    for reading in parsed.readings:
        ids = known.find(reading)
        if len(ids) > 1:
            preview.problems.append(RowProblem(reading.line, (
                f"“{reading.site}”对应多个{label}（{'、'.join(ids)}）。请在文件中加上省份/所在地市/县列，或改用编号（如“{ids[0]}”）。")))
            continue
        if ids:
            sid = ids[0]
            site_name = known.name(sid)
            record = known.records[sid]
        else:
            key = reading.site_key
            if key not in unknown:
                unknown[key] = UnknownSite(reading.site, reading.province, reading.basin, reading.city, reading.river, [],
                                           known.suggest(reading.site))
            unknown[key].rows.append(reading.line)
            if new_sites != "import" or standard != "surface":
                continue
            if key not in created:
                created[key] = _new_site_id(reading, taken)
                taken.add(created[key])
                preview.new_sites.append(_new_section(created[key], reading, parsed.file, default_wb or
                                                      site_wb.get(site_key(reading.site), "")))
            sid, site_name = created[key], reading.site
            record = preview.new_sites[-1] if preview.new_sites[-1]["id"] == sid else \
                next(s for s in preview.new_sites if s["id"] == sid)
        override = reading.waterbody or site_wb.get(site_key(reading.site)) or default_wb
        day = reading.date if len(reading.date) == 10 else f"{reading.date}-01"
        base = {"site_type": site_type, "site_id": sid, "site_name": site_name, "date": day, "time": reading.time,
                "period": reading.date[:7], "method": parsed.method, "waterbody": override,
                "reported_class": reading.reported_class, "station_state": reading.station_state, "is_sample": 0,
                "source_file": parsed.file}
        entries: list[tuple[str, dict[str, object], int]] = []
        if reading.status != "ok":
            entries.append(("status", {"value": None, "below_detection": 0, "detection_source": "", "unit": "",
                                       "raw_value": None, "status": reading.status}, reading.line))
        for limit, (measurement, line, raw) in reading.values.items():
            entries.append((limit.code, {"value": measurement.value, "below_detection": int(measurement.below_detection),
                                         "detection_source": measurement.dl_source, "unit": limit.unit, "raw_value": raw,
                                         "status": "ok"}, line))
        for code, values, line in entries:
            dup = (sid, day, reading.time, code)
            if dup in seen:
                when = f"{day}{(' ' + reading.time) if reading.time else ''}"
                preview.problems.append(RowProblem(line, (
                    f"{reading.site} {when} 的“{code}”重复（第 {seen[dup]} 行已有）。"
                    "同一点位同一时间的每个项目只能有一个值，请删除重复行。")))
                continue
            seen[dup] = line
            records.append({**base, "item": code, **values, "source_row": line})
        if reading.reported_class and reading.status == "ok":
            reported += 1
            computed = _reading_class(reading, record, standard, parsed.method, override)
            agree += int(computed == reading.reported_class)
            if computed != reading.reported_class:
                differences.append({"site_id": sid, "site": reading.site, "date": reading.date, "time": reading.time,
                                    "class": computed, "reported_class": reading.reported_class,
                                    "line": str(reading.line)})
    if new_sites == "import" and standard == "surface":
        # stations the file lists without any reading (维护, 不具备运行条件) are sections too
        for key, station in parsed.stations.items():
            if key in created or known.find(station):
                continue
            created[key] = _new_site_id(station, taken)
            taken.add(created[key])
            preview.new_sites.append(_new_section(created[key], station, parsed.file, default_wb or
                                                  site_wb.get(site_key(station.site), "")))
    _report_unknown(preview, unknown, new_sites, standard, label)
    if reported:
        preview.agreement = {"rows": reported, "agree": agree, "share": round(100 * agree / reported, 2),
                             "differences": differences}
        preview.notices.append(f"与文件自带的水质类别一致：{agree}/{reported}（{preview.agreement['share']}%）。")
    return pd.DataFrame(records, columns=ROW_COLUMNS)


def _reading_class(reading: Reading, record: dict[str, object], standard: str, method: str, override: str) -> str:
    values = {row.code: m for row, (m, _l, _r) in reading.values.items()}
    if standard == "groundwater":
        return evaluate_groundwater(values).klass or ""
    waterbody = override or section_waterbody(record)
    precision = "hourly" if method == "auto" else "evaluation"
    return evaluate_sample(values, waterbody, precision=precision).klass or ""


def _new_section(sid: str, reading: Reading, file: str, waterbody: str) -> dict[str, object]:
    assigned = by_rule(reading.site, reading.river)
    wb = reading.waterbody or waterbody
    return {
        "id": sid, "name": reading.site, "name_as_written": reading.site, "river": reading.river,
        "river_source": "import" if reading.river else "", "waterbody": wb or assigned.waterbody,
        "waterbody_source": "import" if wb else "rule", "county": reading.county,
        "county_source": "import" if reading.county else "", "city": reading.city, "province": reading.province,
        "basin": reading.basin, "level": "", "level_as_written": "", "lon": None, "lat": None, "precision": "none",
        "location_method": IMPORT_METHOD, "document_id": "", "source_file": file, "source_line": reading.line,
    }


def _report_unknown(preview: MonitoringPreview, unknown: dict[tuple[str, str, str], UnknownSite], new_sites: str,
                    standard: str, label: str) -> None:
    preview.unknown_sites = list(unknown.values())
    if not unknown:
        return
    if new_sites == "ask":
        for site in preview.unknown_sites:
            where = "、".join(x for x in (site.province, site.basin, site.city) if x)
            hint = (f"是否为“{site.suggestion}”？" if site.suggestion else
                    f"请核对{label}名称，或选择把未登记的{label}作为新{label}导入（--new-sites import）或跳过（--new-sites skip）。")
            preview.problems.append(RowProblem(site.rows[0], f"未知{label}“{site.name}”{f'（{where}）' if where else ''}。{hint}"))
        if len(unknown) > 1:
            preview.notices.append(f"共 {len(unknown)} 个未登记的{label}。可作为新{label}导入（--new-sites import，"
                                   "位置精度为“未定位”）或跳过其数据（--new-sites skip）。")
        return
    if new_sites == "import" and standard != "surface":
        for site in preview.unknown_sites:
            preview.problems.append(RowProblem(site.rows[0], f"未知{label}“{site.name}”。地下水点位只能来自行动计划，请先导入计划或核对名称。"))
        return
    names = "、".join(s.name for s in preview.unknown_sites[:20]) + ("等" if len(unknown) > 20 else "")
    rows = sum(len(s.rows) for s in preview.unknown_sites)
    if new_sites == "skip":
        preview.notices.append(f"跳过 {len(unknown)} 个未登记的{label}（{names}）的 {rows} 条记录。")
    else:
        preview.notices.append(f"新增 {len(unknown)} 个{label}（{names}），位置精度为“未定位”，在数据说明中可补充坐标。")


# ------------------------------------------------------------------------------------ public


def preview_monitoring(source: str | Path | bytes, name: str | None = None, store=None,  # noqa: ANN001 - Store
                       standard: str = "auto", *, replace: bool = False, year: int | None = None,
                       new_sites: str = "ask", method: str = "detect",
                       waterbody: str | dict[str, str] | None = None) -> MonitoringPreview:
    """Check a monitoring file against the store: everything the import does, rolled back.

    ``source`` is a path or the file's bytes (an upload; then ``name`` is its file name, which
    is recorded as ``source_file``). ``standard`` is "auto" (by the sites), "surface" or
    "groundwater"; ``replace`` lets values held by other files be replaced; ``year`` is the
    year of times written without one; ``new_sites`` "ask" | "import" | "skip"; ``method``
    "detect" | "auto" | "manual"; ``waterbody`` overrides the sections' type for this file (one
    type, or 断面名称 → type). The legacy call ``preview_monitoring(path, store, standard)`` works.
    """
    if name is not None and not isinstance(name, str):  # legacy order (path, store, standard)
        standard = store if isinstance(store, str) else standard
        name, store = None, name
    return _run(source, store, name=name, standard=standard, replace=replace, year=year, new_sites=new_sites,
                method=method, waterbody=waterbody, commit=False)


def import_monitoring(source: str | Path | bytes, store, replace: bool = False, *,  # noqa: ANN001 - Store
                      name: str | None = None, standard: str = "auto", year: int | None = None,
                      new_sites: str = "ask", method: str = "detect",
                      waterbody: str | dict[str, str] | None = None) -> ImportSummary:
    """Import a monitoring file in one transaction, or raise :class:`ImportRejected` listing every problem.

    The same checks as :func:`preview_monitoring` (it is the same function, committed). Returns
    counts: ``file``, ``standard``, ``site_type``, ``method``, ``values``, ``sites``, ``samples``
    (readings), ``replaced_same_file``, ``replaced_other`` (values of other files replaced with
    ``replace=True``), ``replaced`` (one text per earlier file and site), ``new_sites``,
    ``notices``, ``agreement`` and ``rows`` (also ``.rows``). The legacy call
    ``import_monitoring(path, store, "surface")`` still works.
    """
    if isinstance(replace, str):  # legacy: import_monitoring(path, store, "surface")
        standard, replace = replace, False
    preview = _run(source, store, name=name, standard=standard, replace=replace, year=year, new_sites=new_sites,
                   method=method, waterbody=waterbody, commit=True)
    if preview.problems:
        hint = "请修正这些行后重新导入；数据库未作任何修改。"
        if preview.needs_year:
            hint += "缺少年份时用 --year 指定。"
        raise ImportRejected(preview.file, preview.problems, hint=hint)
    counts = preview.counts
    from geodata.derived import refresh

    refresh(store)  # the classes of the new data, computed now rather than on a visitor's first page
    return ImportSummary(
        file=preview.file, standard=preview.standard, site_type=preview.site_type, method=preview.method,
        values=counts["values"], sites=counts["sites"], samples=counts["samples"],
        replaced_same_file=preview.replaced_same_file, replaced_other=preview.conflicts,
        replaced=preview.replaced_text(), new_sites=len(preview.new_sites), notices=preview.notices,
        agreement=preview.agreement, samples_replaced=preview.samples_replaced, rows=preview.rows,
    )


__all__ = ["ImportSummary", "MonitoringPreview", "UnknownSite", "close_names", "import_monitoring", "preview_monitoring",
           "site_key", "WATERBODIES"]
