"""What an export says: its title, figures, map features, legends, notes and the tables behind it.

Everything here is computed once, from the same views the pages show (:mod:`geodata.views`
through a :class:`~geodata.brief.source.ViewSource`): the renderer draws a
:class:`BriefContent` and the workbook writes its tables, so the picture, the workbook and the
screen carry the same numbers. The key figures use the headline (:func:`geodata.views.headline`)
and the words of the page cards.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from geodata import status as task_status
from geodata import views
from geodata.areas import CITY_LEVEL, Area
from geodata.brief.request import BriefRequest
from geodata.brief.source import ViewSource
from geodata.i18n import has, t
from geodata.mapstyle import APPROXIMATE, COMPLIANCE_SYMBOLS, NO_DATA_COLOR, class_color
from geodata.model import LIST_SEP
from geodata.supervision import REPORT_KINDS

SAMPLE = "示例数据（非实测）"  # the label itself is never translated: it must read the same in every export
MAX_CALLOUTS = 8  # overdue items named on a 挂图作战 map


@dataclass(frozen=True)
class KeyFigure:
    key: str  # good_share | worst | met | late | warnings | …
    label: str
    value: str
    detail: str
    sample: bool = False  # the value rests on sample measurements


@dataclass(frozen=True)
class LegendEntry:
    label: str
    marker: str  # circle | diamond | square | drop | line | patch | bar
    face: str
    edge: str = "#333333"
    dashed: bool = False
    symbol: str = ""


@dataclass(frozen=True)
class LegendGroup:
    heading: str
    entries: tuple[LegendEntry, ...]


@dataclass
class BriefContent:
    request: BriefRequest
    title: str
    subtitle: str
    headline: views.Headline
    figures: list[KeyFigure]
    subject_figures: list[KeyFigure]
    legend: list[LegendGroup]
    points: pd.DataFrame  # lon, lat, marker, face, ring, symbol, dashed, label, priority
    lines: gpd.GeoDataFrame  # thematic lines (reaches): geometry, color
    polygons: gpd.GeoDataFrame  # thematic polygons (no-coal zones): geometry, face, edge, label
    bars: pd.DataFrame  # 挂图作战: county, lon, lat and one count column per task state
    callouts: list[str]  # the items a leader asks about first (overdue with owners, sections off target)
    notes: list[str]
    sample: bool
    map_mark: str
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    counties: gpd.GeoDataFrame | None = None  # the area's county polygons (the map's frame)
    empty_message: str = ""  # said on the map when the view has nothing to draw
    callouts_heading: str = ""


# -- words ------------------------------------------------------------------------------------


def pct(value: float | None) -> str:
    """A share as the cards write it: 84.2%, or 无数据."""
    return t("no_data") if value is None else f"{value * 100:.1f}%"


def period_label(year: int, month: int | None, cumulative: bool = False) -> str:
    if not month:
        return t("br_period_year", year=year)
    return t("br_period_ytd", year=year, month=month) if cumulative else t("br_period_month", year=year, month=month)


def request_period(request: BriefRequest):  # noqa: ANN201 - geodata.quality.evaluations.Period
    """The request's period as the pages have it: 全年, 当月 or 累计 (January to the month)."""
    from geodata.quality.evaluations import Period

    mode = "ytd" if request.cumulative else ("month" if request.month else "year")
    return Period(request.year, request.month, mode)


def request_sections(source: ViewSource, request: BriefRequest) -> pd.DataFrame:
    """The sections of the request's area with their class and target for its period, exactly as on
    the water page (:func:`geodata.period_views.period_sections_view`)."""
    return source.period_sections(request.area, request_period(request))


def class_label(klass: str) -> str:
    return t("class_label", klass=klass) if klass else t("no_data")


def precision_label(precision: str) -> str:
    key = f"precision_{precision or 'none'}"
    return t(key) if has(key) else str(precision)


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value).strip()


def _placed(frame: pd.DataFrame) -> pd.DataFrame:
    if frame.empty or "lon" not in frame:
        return frame.iloc[0:0] if len(frame) else frame
    lon = pd.to_numeric(frame["lon"], errors="coerce")
    lat = pd.to_numeric(frame["lat"], errors="coerce")
    return frame[lon.notna() & lat.notna()].assign(lon=lon, lat=lat)


# -- the figures --------------------------------------------------------------------------------


def key_figures(now: views.Headline, period, warnings: tuple[int, int, str] | None = None) -> list[KeyFigure]:  # noqa: ANN001
    """优良比例, 劣Ⅴ比例, 达标率 (and 预警 where the year has monthly results), 逾期任务 — worded and
    counted as the page cards of the same period (:func:`dashboard.headlines.period_cards`)."""
    from geodata.period_views import headline_shares
    from geodata.quality.figures import share_text

    sample = now.sample
    shares = headline_shares(now, period)
    figures = [
        KeyFigure("good_share", t("pv_kpi_good"), share_text(shares.good_share),
                  t("pv_kpi_good_detail", good=now.good, evaluated=now.evaluated, sections=now.sections), sample),
        KeyFigure("worst", t("pv_kpi_worst"), share_text(shares.worst_share),
                  t("pv_kpi_worst_detail", worst=now.worst, evaluated=now.evaluated), sample),
        KeyFigure("met", t("pv_kpi_met"), share_text(shares.met_share),
                  t("pv_kpi_met_detail", met=now.met, assessed=now.assessed, sections=now.sections), sample),
        KeyFigure("late", t("kpi_overdue"), str(now.late),
                  t("kpi_overdue_detail", unreported=now.late_unreported, due_soon=now.due_soon, tasks=now.tasks)),
    ]
    if warnings is not None:
        first, second, month = warnings
        figures.append(KeyFigure("warnings", t("pv_kpi_warnings"), str(first + second),
                                 t("pv_kpi_warnings_detail", first=first, second=second, month=month)))
    return figures


def early_warnings(source: ViewSource, request: BriefRequest, sections: pd.DataFrame) -> tuple[int, int, str] | None:
    """预警 of the area: (一级, 二级, the month the rule was applied to) — the period's month, for 全年 the
    latest month with data, as on the page — or None when the year has no monthly results."""
    from geodata.period_views import warning_month, warnings_in_view

    month = warning_month(request_period(request), source.period_months(request.area, request.year))
    if not month:
        return None
    frame = warnings_in_view(source.early_warnings(request.year, month), sections)
    first, second = int((frame["level"] == "一级").sum()), int((frame["level"] == "二级").sum())
    return first, second, t("pv_label_month", year=request.year, month=month)


# -- the subjects -----------------------------------------------------------------------------


def _section_points(sections: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for _, s in _placed(sections).iterrows():
        measured, target = _text(s["measured_class"]), _text(s["target_class"])
        state = _text(s["compliance"])
        priority = 0 if state == "not_met" or measured == "劣Ⅴ" else (1 if _text(s.get("level")) == "国考" else 2)
        rows.append({"lon": s["lon"], "lat": s["lat"], "marker": "section", "face": class_color(measured or None),
                     "ring": class_color(target) if target else "#ffffff", "symbol": COMPLIANCE_SYMBOLS.get(state, ""),
                     "dashed": _text(s.get("precision")) in APPROXIMATE, "label": _text(s["name"]), "priority": priority})
    return pd.DataFrame(rows, columns=POINT_COLUMNS)


POINT_COLUMNS = ["lon", "lat", "marker", "face", "ring", "symbol", "dashed", "label", "priority"]
GROUNDWATER_MARKERS = {"区域点位": "circle", "污染风险监控点位": "diamond", "饮用水源点位": "square"}


def _class_legend(classes: tuple[str, ...]) -> LegendGroup:
    entries = [LegendEntry(class_label(k), "circle", class_color(k)) for k in classes]
    entries.append(LegendEntry(t("no_data"), "circle", NO_DATA_COLOR))
    return LegendGroup(t("br_legend_classes"), tuple(entries))


def _symbol_legend(with_dry: bool = True) -> LegendGroup:
    entries = [
        LegendEntry(t("compliance_met"), "circle", "#ffffff", edge="#43a047", symbol="✓"),
        LegendEntry(t("compliance_not_met"), "circle", "#ffffff", edge="#e53935", symbol="✗"),
        LegendEntry(t("compliance_no_data"), "circle", "#ffffff", symbol="?"),
    ]
    if with_dry:
        entries.append(LegendEntry(t("compliance_dry"), "circle", "#ffffff", symbol="∅"))
    entries.append(LegendEntry(t("legend_approximate"), "circle", "#ffffff", dashed=True))
    return LegendGroup(t("br_legend_symbols"), tuple(entries))


def _status_legend(statuses: list[str], counts: dict[str, int], marker: str, heading: str) -> LegendGroup:
    return LegendGroup(heading, tuple(
        LegendEntry(f"{task_status.label(s)}（{counts.get(s, 0)}）", marker, task_status.COLORS[s]) for s in statuses))


def short_name(name: str, limit: int = 12) -> str:
    """A name short enough for a map label (the full name is in the panel and the workbook)."""
    return name if len(name) <= limit else name[: limit - 1] + "…"


def _status_points(frame: pd.DataFrame, named_late: bool) -> pd.DataFrame:
    """Enterprises as diamonds coloured by their action's state; the overdue ones labelled (short names)."""
    rows = []
    for _, r in _placed(frame).iterrows():
        state = _text(r["status"])
        late = state in task_status.LATE
        label = short_name(_text(r["name"])) if late and named_late else ""
        rows.append({"lon": r["lon"], "lat": r["lat"], "marker": "diamond", "face": task_status.COLORS.get(state, "#999999"),
                     "ring": "#333333", "symbol": "", "dashed": _text(r.get("precision")) in APPROXIMATE,
                     "label": label, "priority": 0 if late else 3})
    return pd.DataFrame(rows, columns=POINT_COLUMNS)


def filter_enterprises(enterprises: pd.DataFrame, request: BriefRequest) -> pd.DataFrame:
    """The enterprises page's filters: task, industries (未标注 for none), statuses."""
    f = request.filters
    frame = enterprises
    if frame.empty:
        return frame
    if f.task_id:
        frame = frame[frame["task_id"] == f.task_id]
    if f.industries:
        industry = frame["industry"].astype(str).str.strip().replace("", t("ent_unlabelled"))
        frame = frame[industry.isin(f.industries)]
    if f.statuses:
        frame = frame[frame["status"].isin(f.statuses)]
    return frame


def filter_tasks(tasks: pd.DataFrame, request: BriefRequest) -> pd.DataFrame:
    """The ledger's filters: plans, domains, statuses, responsible units, search text."""
    f = request.filters
    frame = tasks
    if frame.empty:
        return frame
    if f.plans:
        frame = frame[frame["plan"].isin(f.plans)]
    if f.domains:
        frame = frame[frame["domain"].isin(f.domains)]
    if f.statuses:
        frame = frame[frame["status"].isin(f.statuses)]
    if f.units:
        wanted = set(f.units)
        frame = frame[frame["responsible_units"].apply(
            lambda cell: bool(wanted & {u.strip() for u in str(cell or "").split(LIST_SEP) if u.strip()}))]
    if f.query:
        haystack = (frame["id"].astype(str) + "|" + frame["title"].astype(str) + "|" + frame["content"].astype(str) + "|"
                    + frame["places"].astype(str) + "|" + frame["responsible_units"].astype(str) + "|"
                    + frame["persons"].astype(str))
        frame = frame[haystack.str.contains(f.query, regex=False, case=False)]
    if len(f.due) == 2:
        deadlines = frame["deadline"].astype(str)
        frame = frame[(deadlines != "") & (deadlines >= f.due[0]) & (deadlines <= f.due[1])]
    return frame


def filter_groundwater(points: pd.DataFrame, request: BriefRequest) -> pd.DataFrame:
    f = request.filters
    frame = points
    if len(frame) and f.kinds:
        frame = frame[frame["kind"].isin(f.kinds)]
    if len(frame) and f.compliance:
        frame = frame[frame["compliance"].isin(f.compliance)]
    return frame


# -- the basemap frame --------------------------------------------------------------------------


def area_counties(admin_units: gpd.GeoDataFrame, area: Area) -> gpd.GeoDataFrame:
    """The county polygons of ``area`` (all of them for everything); a unit without a polygon of its
    own is framed by its city's counties, a city without polygons by everything."""
    if admin_units.empty or "level" not in admin_units:
        return admin_units
    counties = admin_units[admin_units["level"] == "county"]
    if area.city and (counties["city"] == area.city).any():
        counties = counties[counties["city"] == area.city]
    if area.county and (counties["name"] == area.county).any():
        counties = counties[counties["name"] == area.county]
    return counties


# -- data dates and notes -------------------------------------------------------------------------


def data_date(source: ViewSource, site_type: str, site_ids: list[str], year: int, month: int | None,
              cumulative: bool = False) -> str:
    """The last sampling date of ``site_ids`` in the period ("" when none)."""
    dates = source.sampling_dates()
    if dates.empty or not site_ids:
        return ""
    days = dates["date"].astype(str)
    if month and cumulative:
        within = days.str.startswith(str(year)) & (days.str[:7] <= f"{year}-{month:02d}")
    else:
        within = days.str.startswith(f"{year}-{month:02d}" if month else str(year))
    mine = dates[(dates["site_type"] == site_type) & dates["site_id"].isin(site_ids) & within]
    return str(mine["date"].max()) if len(mine) else ""


def _progress_date(source: ViewSource, task_ids: list[str], as_of: dt.date) -> str:
    """The latest date a task's units reported (progress or 申请销号) up to ``as_of``."""
    frame = source.updates()
    if frame.empty:
        return ""
    days = frame["event_date"].astype(str).str[:10]
    mine = frame[frame["task_id"].isin(task_ids) & frame["kind"].isin(REPORT_KINDS) & (days <= as_of.isoformat())]
    return str(mine["event_date"].astype(str).str[:10].max()) if len(mine) else ""


def _precision_note(frames: list[pd.DataFrame]) -> str:
    values = pd.concat([f["precision"].astype(str) for f in frames if len(f) and "precision" in f], ignore_index=True) \
        if any(len(f) and "precision" in f for f in frames) else pd.Series(dtype=str)
    if values.empty:
        return ""
    counts = values.replace("", "none").value_counts()
    order = ["exact", "village", "town", "river", "county", "none"]
    parts = [f"{precision_label(p)} {int(counts[p])}" for p in order if p in counts]
    parts += [f"{p} {int(n)}" for p, n in counts.items() if p not in order]
    return t("br_note_precision", parts="、".join(parts))


def _sources_note(source: ViewSource, frames: list[pd.DataFrame]) -> str:
    ids = []
    for frame in frames:
        if len(frame) and "document_id" in frame:
            ids += [str(d) for d in frame["document_id"] if _text(d)]
    ids = list(dict.fromkeys(ids))
    documents = source.table("documents")
    titles = {str(i): views.plan_name(str(title)) for i, title in zip(documents.get("id", []), documents.get("title", []),
                                                                         strict=True)}
    names = [titles.get(i, i) for i in ids]
    if not names:
        return ""
    shown = "；".join(names[:3]) + (t("br_note_more_plans", n=len(names)) if len(names) > 3 else "")
    return t("br_note_plans", plans=shown)


def _monitoring_note(source: ViewSource, site_type: str, site_ids: list[str], year: int) -> str:
    dates = source.sampling_dates()
    if dates.empty or not site_ids:
        return ""
    mine = dates[(dates["site_type"] == site_type) & dates["site_id"].isin(site_ids)
                 & dates["date"].astype(str).str.startswith(str(year))]
    if mine.empty:
        return ""
    real = mine[mine["is_sample"].astype(int) == 0]
    files = sorted({str(f) for f in real.get("source_file", []) if _text(f)})
    parts = []
    if len(real):
        parts.append(t("br_note_measured", files="、".join(files[:3]) or t("br_note_imported")))
    if (mine["is_sample"].astype(int) > 0).any():
        parts.append(t("br_note_sample_values", label=SAMPLE))
    return "；".join(parts)


# -- building it --------------------------------------------------------------------------------


SUBJECT_TITLES = {"water": "br_subject_water", "groundwater": "br_subject_groundwater",
                  "enterprises": "br_subject_enterprises", "tasks": "br_subject_tasks"}


def build_content(source: ViewSource, request: BriefRequest) -> BriefContent:
    """Everything an export of ``request`` shows, from ``source``."""
    area, year, month, as_of = request.area, request.year, request.month, request.as_of
    sections = request_sections(source, request)
    tasks = source.tasks(area, as_of, year)
    enterprises = source.enterprises(area, as_of)
    now = views.headline(sections, tasks, enterprises)
    figures = key_figures(now, request_period(request), early_warnings(source, request, sections))
    counties = area_counties(source.layer("admin_units"), area)
    period = period_label(year, month, request.cumulative)
    title = t("br_title", area=area.label, subject=t(SUBJECT_TITLES[request.subject]), period=period)
    mark = request.map_mark.strip() or t("br_map_mark_default")
    builder = {"water": _water, "groundwater": _groundwater, "enterprises": _enterprises, "tasks": _tasks}[request.subject]
    content = BriefContent(
        request=request, title=title, subtitle="", headline=now, figures=figures, subject_figures=[], legend=[],
        points=pd.DataFrame(columns=POINT_COLUMNS), lines=gpd.GeoDataFrame(columns=["color", "geometry"], geometry="geometry"),
        polygons=gpd.GeoDataFrame(columns=["face", "edge", "label", "geometry"], geometry="geometry"),
        bars=pd.DataFrame(), callouts=[], notes=[], sample=False, map_mark=mark, counties=counties,
    )
    builder(content, source, sections, tasks, enterprises)
    content.sample = content.sample or now.sample  # the key figures (on every export) rest on sample values
    summary = views.county_summary(sections, tasks, enterprises)
    content.tables = {t("br_sheet_figures"): figures_table(content), t("br_sheet_counties"): county_table(summary, now),
                      **content.tables, t("br_sheet_about"): about_table(content)}
    return content


def _water(content: BriefContent, source: ViewSource, sections: pd.DataFrame, tasks: pd.DataFrame,
           enterprises: pd.DataFrame) -> None:
    request = content.request
    layers = request.layers
    now = content.headline
    if "sections" in layers:
        content.points = _section_points(sections)
    if "reaches" in layers:
        reaches = source.layer("reaches")
        if len(reaches) and content.counties is not None and len(content.counties):
            reaches = reaches[reaches.intersects(content.counties.union_all().buffer(0.02))]
        if len(reaches):
            classes = sections.set_index("id")["measured_class"].to_dict() if len(sections) else {}
            color = reaches["governing_section_id"].map(classes).astype(object).fillna("").map(lambda k: class_color(k or None))
            content.lines = gpd.GeoDataFrame({"color": color.to_numpy()}, geometry=reaches.geometry.to_numpy(),
                                             crs=reaches.crs)
    content.legend = [_class_legend(tuple(k for k in ("Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ", "劣Ⅴ"))), _symbol_legend()]
    if "reaches" in layers and len(content.lines):
        content.legend.append(LegendGroup("", (LegendEntry(t("br_legend_reaches"), "line", "#43a047"),)))
    ids = sections["id"].astype(str).tolist() if len(sections) else []
    measured = data_date(source, "section", ids, request.year, request.month, request.cumulative)
    content.subtitle = _subtitle(measured, request, t("br_data_water"))
    content.sample = now.sample
    placed = len(_placed(sections))
    content.subject_figures = [
        KeyFigure("sections", t("col_sections"), str(len(sections)), t("br_fig_drawn", drawn=placed,
                                                                       unplaced=len(sections) - placed)),
    ]
    content.notes = [n for n in (
        t("br_note_ring"), _precision_note([sections]), _sources_note(source, [sections]),
        _monitoring_note(source, "section", ids, request.year), t("br_note_basemap"),
    ) if n]
    content.callouts = _section_callouts(sections)
    content.callouts_heading = t("br_panel_off_target")
    if sections.empty:
        content.empty_message = t("no_sections_here", area=request.area.label)
    content.tables[t("br_sheet_sections")] = sections_table(sections, source)


def _groundwater(content: BriefContent, source: ViewSource, sections: pd.DataFrame, tasks: pd.DataFrame,
                 enterprises: pd.DataFrame) -> None:
    request = content.request
    points = source.groundwater(request.area, request.year)
    shown = filter_groundwater(points, request)
    drinking = source.drinking_sources(request.area)
    rows = []
    if "groundwater" in request.layers:
        for _, p in _placed(shown).iterrows():
            measured, target = _text(p["measured_class"]), _text(p.get("target_class"))
            rows.append({"lon": p["lon"], "lat": p["lat"], "marker": GROUNDWATER_MARKERS.get(_text(p["kind"]), "circle"),
                         "face": class_color(measured or None), "ring": class_color(target) if target else "#ffffff",
                         "symbol": COMPLIANCE_SYMBOLS.get(_text(p["compliance"]), ""),
                         "dashed": _text(p.get("precision")) in APPROXIMATE, "label": _text(p["name"]),
                         "priority": 0 if p["compliance"] == "not_met" else 1})
    if "drinking" in request.layers:
        for _, s in _placed(drinking).iterrows():
            rows.append({"lon": s["lon"], "lat": s["lat"], "marker": "drop", "face": "#e1f5fe", "ring": "#0277bd",
                         "symbol": "", "dashed": _text(s.get("precision")) in APPROXIMATE, "label": "", "priority": 4})
    content.points = pd.DataFrame(rows, columns=POINT_COLUMNS)
    evaluated = shown[shown["measured_class"] != ""] if len(shown) else shown
    sample_points = int((evaluated["is_sample"] > 0).sum()) if len(evaluated) else 0
    met = int((shown["compliance"] == "met").sum()) if len(shown) else 0
    not_met = int((shown["compliance"] == "not_met").sum()) if len(shown) else 0
    with_target = met + not_met
    content.subject_figures = [
        KeyFigure("gw_points", t("gw_kpi_points"), str(len(shown)), t("gw_kpi_points_detail", total=len(points))),
        KeyFigure("gw_evaluated", t("gw_kpi_evaluated", year=request.year), str(len(evaluated)),
                  t("gw_kpi_evaluated_detail", n=len(shown)), sample_points > 0),
        KeyFigure("gw_met", t("gw_kpi_met"), f"{met} / {with_target}" if with_target else t("no_data"),
                  t("gw_kpi_met_detail", met=met, not_met=not_met, n=with_target), sample_points > 0),
        KeyFigure("gw_sources", t("gw_kpi_sources"), str(len(drinking)),
                  t("gw_kpi_sources_detail", citywide=int(drinking["citywide"].sum()) if len(drinking) else 0)),
    ]
    from geodata.views import GROUNDWATER_CLASSES

    kinds = tuple(LegendEntry(t(f"gw_kind_{k}") if has(f"gw_kind_{k}") else k, m, "#ffffff")
                  for k, m in GROUNDWATER_MARKERS.items())
    if "drinking" in request.layers:
        kinds += (LegendEntry(t("layer_drinking"), "drop", "#e1f5fe", edge="#0277bd"),)
    content.legend = [_class_legend(GROUNDWATER_CLASSES), LegendGroup(t("gw_legend_kinds"), kinds), _symbol_legend(False)]
    ids = shown["id"].astype(str).tolist() if len(shown) else []
    content.subtitle = _subtitle(data_date(source, "groundwater", ids, request.year, None), request, t("br_data_groundwater"))
    content.sample = sample_points > 0 or content.headline.sample
    content.notes = [n for n in (
        t("br_note_gw_standard"), _precision_note([shown, drinking]), _sources_note(source, [shown, drinking]),
        _monitoring_note(source, "groundwater", ids, request.year), t("br_note_basemap"),
    ) if n]
    if shown.empty and drinking.empty:
        content.empty_message = t("gw_none", area=request.area.label)
    content.tables[t("br_sheet_groundwater")] = groundwater_table(shown, source, request.year)


def _enterprises(content: BriefContent, source: ViewSource, sections: pd.DataFrame, tasks: pd.DataFrame,
                 enterprises: pd.DataFrame) -> None:
    request = content.request
    shown = filter_enterprises(enterprises, request)
    if "enterprises" in request.layers:
        content.points = _status_points(shown, named_late=True)
    counts = shown["status"].value_counts().to_dict() if len(shown) else {}
    present = [s for s in task_status.STATUSES if counts.get(s)]
    content.legend = [_status_legend(present, counts, "diamond", t("legend_enterprises")),
                      LegendGroup("", (LegendEntry(t("legend_approximate"), "diamond", "#ffffff", dashed=True),))]
    content.subject_figures = [KeyFigure("ent_records", t("ent_records"), str(len(shown)),
                                         t("ent_records_detail", total=len(enterprises)))]
    content.subtitle = _subtitle("", request, "", status_only=True,
                                 progress=_progress_date(source, shown.get("task_id", pd.Series(dtype=str)).astype(str)
                                                         .tolist() + shown.get("id", pd.Series(dtype=str)).astype(str)
                                                         .tolist(), request.as_of))
    content.callouts = _late_callouts(shown, "name")
    content.callouts_heading = t("br_panel_callouts")
    content.notes = [n for n in (t("ent_legend_foot", asof=request.as_of.isoformat()), _precision_note([shown]),
                                 _sources_note(source, [shown]), t("br_note_basemap")) if n]
    if shown.empty:
        content.empty_message = t("no_enterprises", area=request.area.label)
    content.tables[t("br_sheet_enterprises")] = enterprises_table(shown, source)


def _tasks(content: BriefContent, source: ViewSource, sections: pd.DataFrame, tasks: pd.DataFrame,
           enterprises: pd.DataFrame) -> None:
    """挂图作战: per-county bars of task states, enterprises by state, zones by their commitments' state,
    the overdue ones named with their owners."""
    request = content.request
    shown = filter_tasks(tasks, request)
    counts = shown["status"].value_counts().to_dict() if len(shown) else {}
    counties = content.counties if content.counties is not None else gpd.GeoDataFrame()
    rows = []
    if len(shown):
        positions = {str(n): g.representative_point() for n, g in zip(counties.get("name", []), counties.geometry,
                                                                        strict=True)} if len(counties) else {}
        for county, group in shown.groupby("area_county", sort=True):
            point = positions.get(str(county))
            rows.append({"county": str(county) or CITY_LEVEL, "lon": point.x if point is not None else None,
                         "lat": point.y if point is not None else None, "city": str(group["area_city"].iloc[0]),
                         **{s: int((group["status"] == s).sum()) for s in task_status.STATUSES}})
    content.bars = pd.DataFrame(rows, columns=["county", "lon", "lat", "city", *task_status.STATUSES])
    points = []
    if "enterprises" in request.layers:
        points.append(_status_points(enterprises, named_late=True))
    content.points = pd.concat(points, ignore_index=True) if points else pd.DataFrame(columns=POINT_COLUMNS)
    if "zones" in request.layers:
        zones = source.layer("no_coal_zone_areas")
        if len(zones) and len(counties):
            zones = zones[zones.intersects(counties.union_all().buffer(-0.001))]
        if len(zones):
            commitments = source.commitments(request.area, request.as_of)
            state = commitments.set_index("id")["status"].to_dict() if len(commitments) else {}
            zone_state = zones["id"].map(state).fillna("")
            content.polygons = gpd.GeoDataFrame({
                "face": zone_state.map(lambda s: task_status.COLORS.get(s, "#8d6e63")).to_numpy(),
                "edge": ["#5d4037"] * len(zones),
                "label": zones["area_name"].fillna("").astype(str).to_numpy(),
            }, geometry=zones.geometry.to_numpy(), crs=zones.crs)
    present = [s for s in task_status.STATUSES if counts.get(s)]
    ent_counts = enterprises["status"].value_counts().to_dict() if len(enterprises) else {}
    ent_present = [s for s in task_status.STATUSES if ent_counts.get(s)]
    content.legend = [_status_legend(present, counts, "bar", t("br_legend_task_bars"))]
    if "enterprises" in request.layers and ent_present:
        content.legend.append(_status_legend(ent_present, ent_counts, "diamond", t("legend_enterprises")))
    if len(content.polygons):
        content.legend.append(LegendGroup("", (LegendEntry(t("br_legend_zone_state"), "patch", "#8d6e63",
                                                           edge="#5d4037", dashed=True),)))
    content.subject_figures = [KeyFigure("tasks", t("tasks_total"), str(len(shown)), t("tk_total_detail", n=len(tasks)))]
    ids = shown["id"].astype(str).tolist() if len(shown) else []
    ent_ids = enterprises["id"].astype(str).tolist() + enterprises["task_id"].astype(str).tolist() if len(enterprises) else []
    content.subtitle = _subtitle("", request, "", status_only=True, progress=_progress_date(source, ids + ent_ids,
                                                                                             request.as_of))
    content.callouts = _late_callouts(shown, "title") + _late_callouts(enterprises, "name", prefix=t("br_callout_enterprise"))
    content.callouts = content.callouts[:MAX_CALLOUTS]
    content.callouts_heading = t("br_panel_callouts")
    content.notes = [n for n in (t("br_note_bars"), t("tasks_asof", asof=request.as_of.isoformat(), year=request.year),
                                 _precision_note([enterprises]), _sources_note(source, [shown, enterprises]),
                                 t("br_note_basemap")) if n]
    if shown.empty and enterprises.empty:
        content.empty_message = t("tk_none", area=request.area.label, year=request.year)
    content.tables[t("br_sheet_tasks")] = tasks_table(shown, source)
    owners, _outside = views.late_owners(shown, request.area)
    content.tables[t("br_sheet_owners")] = pd.DataFrame({
        t("col_units"): owners["unit"], t("col_jurisdiction"): owners["jurisdiction"],
        t("col_late"): owners["late"], t("col_late_unreported"): owners["late_unreported"]})
    content.tables[t("br_sheet_enterprises")] = enterprises_table(enterprises, source)


def _section_callouts(sections: pd.DataFrame) -> list[str]:
    """Sections off target or 劣Ⅴ, worst first: "断面（河流·县）Ⅴ类，目标Ⅲ类"."""
    if sections.empty:
        return []
    bad = sections[(sections["compliance"] == "not_met") | (sections["measured_class"] == "劣Ⅴ")]
    bad = bad.assign(_rank=bad["measured_class"].map(views.class_rank).fillna(-1)).sort_values(
        ["_rank", "name"], ascending=[False, True], kind="stable")
    out = []
    for _, r in bad.iterrows():
        where = "·".join(x for x in (_text(r["river"]), _text(r["county"])) if x)
        target = class_label(_text(r["target_class"])) if _text(r["target_class"]) else (_text(r["target_text"]) or "—")
        out.append(t("br_callout_section", name=_text(r["name"]), where=where or "—",
                     measured=class_label(_text(r["measured_class"])), target=target,
                     sample=t("br_callout_sample") if int(r.get("is_sample") or 0) else ""))
    return out


def _late_callouts(frame: pd.DataFrame, name_col: str, prefix: str = "") -> list[str]:
    """The overdue records, longest overdue first: "name — owner（逾期 N 天）"."""
    if frame.empty:
        return []
    late = frame[frame["status"].isin(task_status.LATE)].sort_values(["days_overdue", name_col], ascending=[False, True],
                                                                     kind="stable")
    out = []
    for _, r in late.iterrows():
        name = _text(r.get(name_col)) or _text(r.get("category")) or _text(r.get("content"))
        name = name if len(name) <= 26 else name[:25] + "…"
        units = [u.strip() for u in _text(r.get("responsible_units")).split(LIST_SEP) if u.strip()]
        others = [u for u in units if u != _text(r.get(name_col))]
        if units and not others:
            owner = t("br_callout_self")  # the enterprise itself is the responsible unit
        else:
            owner = others[0] + (t("br_callout_more_units", n=len(others) - 1) if len(others) > 1 else "") if others \
                else t("br_callout_no_unit")
        where = _text(r.get("area_county")) or _text(r.get("county")) or _text(r.get("jurisdiction"))
        state = task_status.status_text(_text(r["status"]), int(r.get("days_overdue") or 0))
        out.append(t("br_callout", prefix=prefix, where=where, name=name, owner=owner, state=state))
    return out


def _subtitle(measured: str, request: BriefRequest, what: str, *, status_only: bool = False, progress: str = "") -> str:
    asof = request.as_of.isoformat()
    if status_only:
        data = t("br_progress_date", date=progress) if progress else t("br_progress_none")
    else:
        data = t("br_data_date", what=what, date=measured) if measured else t("br_data_none", what=what)
    return t("br_subtitle", data=data, asof=asof)


# -- the tables behind an export (the workbook) ---------------------------------------------------


def _source_label(source: ViewSource, document_id: object, line: object) -> str:
    documents = source.table("documents")
    titles = dict(zip(documents.get("id", pd.Series(dtype=str)).astype(str),
                      documents.get("title", pd.Series(dtype=str)).astype(str), strict=True))
    title = views.plan_name(titles.get(str(document_id), "")) or str(document_id)
    line_text = _text(line)
    return t("source_at_line", title=title, line=line_text) if line_text else title


def _with_note(frame: pd.DataFrame, sample_rows: pd.Series | None) -> pd.DataFrame:
    if sample_rows is not None and bool(sample_rows.any()):
        frame.insert(0, t("col_data_note"), sample_rows.astype(bool).map({True: SAMPLE, False: ""}).to_numpy())
    return frame


def figures_table(content: BriefContent) -> pd.DataFrame:
    rows = [{t("br_col_figure"): f.label, t("br_col_value"): f.value, t("br_col_detail"): f.detail,
             t("col_data_note"): SAMPLE if f.sample and f.value != t("no_data") else ""}
            for f in content.figures + content.subject_figures]
    return pd.DataFrame(rows, columns=[t("br_col_figure"), t("br_col_value"), t("br_col_detail"), t("col_data_note")])


def county_table(summary: pd.DataFrame, now: views.Headline) -> pd.DataFrame:
    """The per-county table of 总览 (same rows, a 合计 row equal to the headline)."""
    columns = [t("col_area"), t("col_sections"), t("col_evaluated"), t("col_good"), t("col_good_share"), t("col_worst"),
               t("col_assessed"), t("col_met"), t("col_tasks"), t("col_late"), t("col_late_unreported"), t("col_due_soon"),
               t("col_enterprises"), t("col_enterprises_late")]
    if summary.empty:
        return pd.DataFrame(columns=columns)
    label = summary["county"].where(summary["county"] != CITY_LEVEL, t("city_level_row"))
    if summary["city"].nunique() > 1:
        label = summary["city"] + "·" + label
    table = pd.DataFrame({
        columns[0]: label, columns[1]: summary["sections"], columns[2]: summary["evaluated"], columns[3]: summary["good"],
        columns[4]: [pct(g / e if e else None) for g, e in zip(summary["good"], summary["evaluated"], strict=True)],
        columns[5]: summary["worst"], columns[6]: summary["assessed"], columns[7]: summary["met"],
        columns[8]: summary["tasks"], columns[9]: summary["late"], columns[10]: summary["late_unreported"],
        columns[11]: summary["due_soon"], columns[12]: summary["enterprises"], columns[13]: summary["enterprises_late"],
    })
    totals = {c: int(table[c].sum()) for c in columns if c not in (columns[0], columns[4])}
    totals[columns[0]] = t("total_row")
    totals[columns[4]] = pct(now.good_share)
    table = pd.concat([table, pd.DataFrame([totals])], ignore_index=True)
    sample_rows = pd.concat([summary["sample_sections"] > 0, pd.Series([now.sample])], ignore_index=True)
    return _with_note(table, sample_rows)


def sections_table(sections: pd.DataFrame, source: ViewSource) -> pd.DataFrame:
    if sections.empty:
        return pd.DataFrame(columns=[t("col_section"), t("col_measured"), t("col_target_class")])
    doc = sections["target_document"].where(sections["target_document"] != "", sections["document_id"])
    line = sections["target_line"].where(sections["target_line"] != "", sections["source_line"])
    table = pd.DataFrame({
        t("col_section"): sections["name"], t("col_river"): sections["river"],
        t("col_county"): sections["county"].replace("", t("county_unknown")), t("col_level"): sections["level"],
        t("col_measured"): sections["measured_class"].map(class_label),
        t("col_target_class"): sections["target_class"].replace("", "—"), t("col_target_text"): sections["target_text"],
        t("col_compliance"): sections["compliance"].map(lambda c: f"{COMPLIANCE_SYMBOLS.get(c, '')} {t(f'compliance_{c}')}"
                                                        if has(f"compliance_{c}") else c),
        t("main_pollutants"): sections["main_pollutants"],
        t("col_precision"): sections["precision"].map(precision_label),
        t("col_source"): [_source_label(source, d, n) for d, n in zip(doc, line, strict=True)],
        t("col_id"): sections["id"],
    })
    return _with_note(table, sections["is_sample"].astype(int) > 0)


def groundwater_table(points: pd.DataFrame, source: ViewSource, year: int) -> pd.DataFrame:
    if points.empty:
        return pd.DataFrame(columns=[t("col_point"), t("gw_col_class", year=year)])
    table = pd.DataFrame({
        t("col_point"): points["name"], t("col_county"): points["county"],
        t("col_kind"): points["kind"].map(lambda k: t(f"gw_kind_{k}") if has(f"gw_kind_{k}") else k),
        t("col_level"): points["level"], t("gw_col_class", year=year): points["measured_class"].map(class_label),
        t("gw_deciding"): points["deciding"], t("col_target_class"): points["target_class"].replace("", "—"),
        t("col_compliance"): points["compliance"].map(lambda c: f"{COMPLIANCE_SYMBOLS.get(c, '')} {t(f'compliance_{c}')}"),
        t("col_precision"): points["precision"].map(precision_label),
        t("col_source"): [_source_label(source, d, n) for d, n in zip(points["document_id"], points["source_line"],
                                                                        strict=True)],
    })
    return _with_note(table, points["is_sample"] > 0)


def enterprises_table(frame: pd.DataFrame, source: ViewSource) -> pd.DataFrame:
    if frame.empty:
        return pd.DataFrame(columns=[t("ent_col_name"), t("col_status")])
    return pd.DataFrame({
        t("ent_col_name"): frame["name"], t("col_county"): frame["county"].replace("", t("county_unknown")),
        t("col_industry"): frame["industry"], t("col_action"): frame["required_action"],
        t("col_deadline_text"): frame["deadline_text"], t("col_deadline"): frame["deadline"],
        t("col_status"): [task_status.status_text(s, int(d or 0), int(left or 0)) for s, d, left in
                          zip(frame["status"], frame["days_overdue"], frame["days_left"], strict=True)],
        t("col_units"): frame["responsible_units"], t("col_precision"): frame["precision"].map(precision_label),
        t("col_source"): [_source_label(source, d, n) for d, n in zip(frame["document_id"], frame["source_line"],
                                                                        strict=True)],
        t("col_id"): frame["id"],
    })


def tasks_table(frame: pd.DataFrame, source: ViewSource) -> pd.DataFrame:
    if frame.empty:
        return pd.DataFrame(columns=[t("col_status"), t("col_content")])
    order = {s: i for i, s in enumerate(task_status.STATUSES)}
    frame = frame.assign(_order=frame["status"].map(order).fillna(99)).sort_values(
        ["_order", "days_overdue", "deadline", "jurisdiction", "id"], ascending=[True, False, True, True, True], kind="stable")
    return pd.DataFrame({
        t("col_status"): [task_status.status_text(s, int(d or 0), int(left or 0)) for s, d, left in
                          zip(frame["status"], frame["days_overdue"], frame["days_left"], strict=True)],
        t("col_area"): frame["area_county"].replace(CITY_LEVEL, t("city_level_row")),
        t("col_jurisdiction"): frame["jurisdiction"], t("col_content"): frame["content"],
        t("col_deadline_text"): frame["deadline_text"], t("col_deadline"): frame["deadline"],
        t("col_units"): frame["responsible_units"], t("col_plan"): frame["plan"],
        t("col_source"): [_source_label(source, d, n) for d, n in zip(frame["document_id"], frame["source_line"],
                                                                        strict=True)],
        t("col_id"): frame["id"],
    })


def about_table(content: BriefContent) -> pd.DataFrame:
    request = content.request
    rows = [
        (t("br_about_title"), content.title), (t("br_about_subtitle"), content.subtitle),
        (t("br_about_area"), request.area.label), (t("br_about_period"), period_label(request.year, request.month, request.cumulative)),
        (t("br_about_asof"), request.as_of.isoformat()),
        (t("br_about_layers"), "、".join(t(f"layer_{x}") for x in sorted(request.layers))),
    ]
    rows += [(t(f"br_filter_{name}"), value) for name, value in request.filters.describe()]
    rows += [(t("br_about_note"), note) for note in content.notes]
    rows.append((t("br_about_mark"), content.map_mark))
    if content.sample:
        rows.append((t("col_data_note"), SAMPLE))
    return pd.DataFrame(rows, columns=[t("br_col_item"), t("br_col_value")])
