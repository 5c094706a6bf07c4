"""Classes computed from the stored measurements: per section (or groundwater point) and period.

Never typed in: every class is recomputed from the stored values by GB 3838-2002 /
GB/T 14848-2017 with the period means of :mod:`geodata.quality.statistics` (2020 rules: half
the detection limit, pH through H⁺, the year and the year-to-date as the mean of the monthly
means, automatic results preferred for their six items, sample months of a site-year with real
results left out). A section is evaluated by its waterbody type (``sections.waterbody``, or the
rule of :mod:`geodata.quality.waterbody`; a file may override it per reading): lakes and
reservoirs with the 湖、库 limits, 总氮 classed apart, the trophic state TLI(Σ) where the five
parameters exist. Compliance is against the target of *that* year; a year without one uses the
latest earlier target, says so (``target_note`` “无当年目标，沿用2023年目标”) and gives its
``target_year``. Rows that use any sample value carry ``is_sample = 1`` and ``data_note``
“示例数据（非实测）”.

Periods (:class:`Period`): ``month`` (当月), ``ytd`` (累计, January to the month) and ``year``.
A pure function of the store content (cache on ``store.data_version()``).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from geodata.errors import EnvmapError
from geodata.model import CLASSES, LIST_SEP
from geodata.quality import statistics, trophic
from geodata.quality.derived import SECTION_INPUTS
from geodata.quality.groundwater import evaluate_groundwater
from geodata.quality.limits import item
from geodata.quality.statistics import METHOD_LABELS
from geodata.quality.surface import SurfaceResult, compliance, evaluate_sample
from geodata.quality.values import Measurement, mean
from geodata.quality.waterbody import BASIS_LABELS, basis_of, parse_waterbody, section_waterbody

SAMPLE_NOTE = "示例数据（非实测）"
COLUMNS = ["section_id", "section_name", "year", "month", "period", "waterbody", "class", "status", "target_class",
           "compliant", "main_pollutants", "exceedance", "exceedance_vs_target", "n_samples", "is_sample", "data_note",
           "months", "readings", "sample_months_ignored", "method", "basis", "target_year", "target_note",
           "tn", "tn_class", "tli", "trophic"]
CLASS_COLUMNS = [*COLUMNS, "mode", "period_label", "county", "city", "level", "river", "basin", "values"]
GROUNDWATER_COLUMNS = ["point_id", "point_name", "year", "month", "period", "class", "deciding", "target_class",
                       "compliant", "n_samples", "is_sample", "data_note"]
PERIODS = ("month", "year")
# what the statistics read of the stored measurements
READ_COLUMNS = ["site_id", "date", "time", "item", "value", "below_detection", "detection_source", "status", "method",
                "waterbody", "is_sample"]
MODES = ("month", "ytd", "year")


@dataclass(frozen=True)
class Period:
    """A period of the figures: a month (当月), January to a month (累计, ``ytd``) or a year."""

    year: int
    month: int | None = None
    mode: str = "month"

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise EnvmapError(f"统计时段“{self.mode}”无法识别。请用 month（当月）、ytd（累计）或 year（全年）。")
        if self.mode != "year" and not (isinstance(self.month, int) and 1 <= self.month <= 12):
            raise EnvmapError("当月和累计统计需要月份（1–12）。")

    @property
    def months(self) -> list[str]:
        if self.mode == "month":
            return [f"{self.year}-{self.month:02d}"]
        last = 12 if self.mode == "year" else self.month
        return [f"{self.year}-{m:02d}" for m in range(1, (last or 12) + 1)]

    @property
    def label(self) -> str:
        if self.mode == "month":
            return f"{self.year}年{self.month}月"
        if self.mode == "ytd":
            return f"{self.year}年1月" if self.month == 1 else f"{self.year}年1—{self.month}月"
        return f"{self.year}年"

    @property
    def key(self) -> str:
        if self.mode == "month":
            return f"{self.year}-{self.month:02d}"
        if self.mode == "ytd":
            return f"{self.year}-01~{self.month:02d}"
        return str(self.year)

    def previous_year(self) -> Period:
        """The same period of the previous year (同比)."""
        return Period(self.year - 1, self.month, self.mode)


def _name(code: str, standard: str = "surface") -> str:
    try:
        return item(code, standard).name
    except KeyError:
        return code


class Targets:
    """Section targets by year, with the latest earlier target when a year has none."""

    def __init__(self, store) -> None:  # noqa: ANN001
        t = store.read_table("section_targets")
        t = t[(t["kind"] == "target") & (t["target_class"] != "")]
        self.by_section: dict[str, dict[int, str]] = {}
        for r in t.itertuples():
            try:
                year = int(float(r.year))
            except (TypeError, ValueError):
                continue
            self.by_section.setdefault(str(r.section_id), {})[year] = str(r.target_class)

    def target(self, section_id: str, year: int) -> tuple[str, int | None, str]:
        """(target class, the year it was set for, note) — note “无当年目标，沿用Y年目标” when borrowed."""
        years = self.by_section.get(section_id, {})
        if year in years:
            return years[year], year, ""
        earlier = [y for y in years if y < year]
        if earlier:
            y = max(earlier)
            return years[y], y, f"无当年目标，沿用{y}年目标"
        return "", None, ("无当年目标" if years else "")


def _multiples(values: dict[str, float]) -> str:
    return LIST_SEP.join(f"{code}:{v}" for code, v in sorted(values.items()))


def _check_period(period: str) -> None:
    if period not in PERIODS:
        raise EnvmapError(f"评价时段“{period}”无法识别。请用 month（逐月，另附全年）或 year（全年）。")


def _override(prepared_values: pd.DataFrame) -> dict[tuple[str, str], str]:
    """(site, month) → the waterbody a file imported the readings with, when all agree."""
    frame = prepared_values[prepared_values["waterbody"] != ""]
    if frame.empty:
        return {}
    grouped = frame.groupby(["site_id", "month"])["waterbody"].agg(lambda s: s.iloc[0] if s.nunique() == 1 else "")
    return {k: v for k, v in grouped.items() if v}


def months_of_year(result_months: pd.DataFrame, year: int, section_ids: Iterable[str] | None = None) -> list[int]:
    """The months (1–12) of ``year`` in ``result_months`` (:meth:`SectionEvaluator.result_months`) for any of
    ``section_ids`` (all when None)."""
    frame = result_months[result_months["month"].str.startswith(f"{int(year)}-")]
    if section_ids is not None:
        frame = frame[frame["site_id"].isin(set(section_ids))]
    return sorted({int(m[5:7]) for m in frame["month"] if m[5:7].isdigit()})


_UPDATE_SHARE = 0.5  # an update that changes more than this share of the sections reads them all


def _spliced(held: pd.DataFrame | None, fresh: pd.DataFrame | None, sites: set[str], order: list[str]) -> pd.DataFrame | None:
    """``held`` without the rows of ``sites``, with ``fresh`` (those sites' rows computed again), in ``order``
    (a stable sort: each site's rows keep their own order, as a computation over all sites gives them)."""
    parts = [f for f in (held[~held["site_id"].isin(sites)] if held is not None else None, fresh)
             if f is not None and len(f)]
    if not parts:
        return fresh if fresh is not None else (held.iloc[0:0] if held is not None else None)
    if len(parts) == 1:
        return parts[0].reset_index(drop=True)
    frame = pd.concat(parts, ignore_index=True)
    return frame.sort_values(order, kind="stable").reset_index(drop=True)


def _spliced_prepared(held: statistics.Prepared | None, fresh: statistics.Prepared | None,
                      sites: set[str]) -> statistics.Prepared | None:
    if held is None and fresh is None:
        return None
    values = _spliced(held.values if held else None, fresh.values if fresh else None, sites, ["site_id"])
    statuses = _spliced(held.statuses if held else None, fresh.statuses if fresh else None, sites, ["site_id"])
    ignored = {k for k in (held.sample_months_ignored if held else set()) if k[0] not in sites}
    ignored |= fresh.sample_months_ignored if fresh else set()
    if values is None or (not len(values) and not len(statuses)):
        return None
    return statistics.Prepared(values, statuses, ignored)


class SectionEvaluator:
    """Everything one evaluation of the store's sections needs, read once: the measurements prepared and
    averaged per month. Read-only once made, so one evaluator serves every period (and every thread) until
    the measurements, sections or targets change."""

    def __init__(self, store, previous: SectionEvaluator | None = None, *,  # noqa: ANN001
                 sites: Iterable[str] | None = None) -> None:
        """Read and prepare the store's section measurements — or, given the ``previous`` evaluator of this store,
        only those of the sites whose measurements changed since it was made (when the store can say which,
        :meth:`~geodata.store.base.Store.measurement_changes`, and they are few), the rest taken from it: the
        same result, since every figure of a site rests on that site's readings alone. ``sites``: only the
        measurements of these section ids (an evaluator of part of the store)."""
        self.store = store
        self.versions = store.table_versions()  # read first: a write after it is read again by the next update
        changed = self._changed_since(previous) if sites is None else None
        if previous is None or changed is None:
            m = store.read_measurements(columns=READ_COLUMNS, site_type="section", sites=sites)
            self.prepared = statistics.prepare(m) if len(m) else None
            self.month = statistics.monthly(self.prepared) if self.prepared is not None else None
        else:
            m = store.read_measurements(columns=READ_COLUMNS, site_type="section", sites=changed) if changed else None
            fresh = statistics.prepare(m) if m is not None and len(m) else None
            self.prepared = _spliced_prepared(previous.prepared, fresh, changed)
            self.month = _spliced(previous.month, statistics.monthly(fresh) if fresh is not None else None, changed,
                                  ["site_id", "month", "item"])
            if self.prepared is None:
                self.month = None
        self.partial = sites is not None
        self.sections = store.read_table("sections")
        self.info = {str(r["id"]): r for r in self.sections.to_dict("records")}
        self.targets = Targets(store)
        self.overrides = _override(self.prepared.values) if self.prepared is not None else {}

    def _changed_since(self, previous: SectionEvaluator | None) -> set[str] | None:
        """The section ids whose measurements changed since ``previous`` was made; None: read them all."""
        if (previous is None or previous.store is not self.store or "measurements" not in previous.versions
                or previous.partial):
            return None
        sites = self.store.measurement_changes(previous.versions["measurements"])
        if sites is None:
            return None
        ids = {i for t, i in sites if t == "section"}
        return ids if len(ids) <= max(len(previous.info), 1) * _UPDATE_SHARE else None

    def waterbody(self, sid: str, months: list[str]) -> str:
        found = {self.overrides[(sid, m)] for m in months if (sid, m) in self.overrides}
        if len(found) == 1:
            return found.pop()
        record = self.info.get(sid)
        return section_waterbody(record) if record else "river"

    def status(self, sid: str, months: list[str]) -> str:
        if self.prepared is None or self.prepared.statuses.empty:
            return "not_monitored"
        s = self.prepared.statuses
        hits = s[(s["site_id"] == sid) & s["month"].isin(months)]["status"]
        return str(hits.iloc[0]) if len(hits) else "not_monitored"

    def result_months(self) -> pd.DataFrame:
        """Every (``site_id``, ``month`` "YYYY-MM") with a result: a month mean of some item, or a recorded state
        other than 未监测 (断流, 维护 …) — the site-months the monthly rows of :func:`section_evaluations` hold a
        class or a status for, without evaluating them."""
        parts = [pd.DataFrame(columns=["site_id", "month"], dtype=str)]
        if self.month is not None and len(self.month):
            parts.append(self.month[["site_id", "month"]].astype(str))
        statuses = self.prepared.statuses if self.prepared is not None else pd.DataFrame()
        if len(statuses):
            recorded = statuses[~statuses["status"].astype(str).isin(["", "not_monitored"])]
            parts.append(recorded[["site_id", "month"]].astype(str))
        frame = pd.concat(parts, ignore_index=True).drop_duplicates()
        return frame.sort_values(["site_id", "month"]).reset_index(drop=True)

    def months_with_results(self, year: int, section_ids: Iterable[str] | None = None) -> list[int]:
        """The months of ``year`` with a result for any of ``section_ids`` (all when None): see :meth:`result_months`."""
        return months_of_year(self.result_months(), year, section_ids)

    def rows(self, months: list[str], year: int, month: object, period_key: str, mode: str,
             sites: set[str] | None = None) -> list[dict[str, object]]:
        if self.month is None:
            return []
        frame = self.month[self.month["month"].isin(months)]
        statuses = self.prepared.statuses if self.prepared is not None else pd.DataFrame()
        status_sites = set(statuses.loc[statuses["month"].isin(months), "site_id"]) if len(statuses) else set()
        if sites is not None:
            frame = frame[frame["site_id"].isin(sites)]
            status_sites &= sites
        if mode == "month":
            period_values = frame.rename(columns={"days": "months"})
            period_values = period_values.assign(months=1)
        else:
            period_values = statistics.over_months(frame)
        values = statistics.measurements_of(period_values)
        months_of = frame.groupby("site_id")["month"].nunique().to_dict() if len(frame) else {}
        readings_of = (frame.groupby(["site_id", "month"])["readings"].max().groupby("site_id").sum().to_dict()
                       if len(frame) else {})
        sample_of = frame.groupby("site_id")["is_sample"].max().to_dict() if len(frame) else {}
        methods_of = frame.groupby("site_id")["methods"].agg(set).to_dict() if len(frame) else {}
        ignored = self.prepared.sample_months_ignored if self.prepared is not None else set()
        out = []
        for sid in sorted(set(values) | status_sites):
            record = self.info.get(sid, {})
            waterbody = self.waterbody(sid, months)
            target, target_year, target_note = self.targets.target(sid, year)
            measured = values.get(sid, {})
            status = "ok" if measured else self.status(sid, months)
            result: SurfaceResult = evaluate_sample(measured, waterbody, target or None, status)
            tn = result.values.get("TN")
            tli = trophic.tli(measured) if basis_of(waterbody) == "lake" else None
            is_sample = int(sample_of.get(sid, 0))
            ignored_months = sum(1 for k in months if (sid, k) in ignored)
            out.append({
                "section_id": sid, "section_name": str(record.get("name", sid) or sid), "year": year, "month": month,
                "period": period_key, "waterbody": waterbody, "class": result.klass or "", "status": result.status,
                "target_class": target, "compliant": "" if result.compliant is None else int(result.compliant),
                "main_pollutants": LIST_SEP.join(_name(code) for code in result.main_pollutants),
                "exceedance": _multiples(result.exceedance), "exceedance_vs_target": _multiples(result.exceedance_vs_target),
                "n_samples": int(readings_of.get(sid, 0)), "is_sample": is_sample,
                "data_note": SAMPLE_NOTE if is_sample else "",
                "months": int(months_of.get(sid, 0)), "readings": int(readings_of.get(sid, 0)),
                "sample_months_ignored": ignored_months,
                "method": METHOD_LABELS[statistics.methods_label(methods_of.get(sid, {"manual"}))] if measured else "",
                "basis": BASIS_LABELS[basis_of(waterbody)], "target_year": target_year or "", "target_note": target_note,
                "tn": "" if tn is None else str(tn), "tn_class": result.separate.get("TN", ""),
                "tli": "" if tli is None else tli, "trophic": trophic.grade(tli),
                "mode": mode, "values": measured, "county": str(record.get("county", "") or ""),
                "city": str(record.get("city", "") or ""), "level": str(record.get("level", "") or ""),
                "river": str(record.get("river", "") or ""), "basin": str(record.get("basin", "") or ""),
            })
        return out


class LatestEvaluator:
    """The newest :class:`SectionEvaluator` of one store, for every thread of a process: made again only when the
    measurements, sections or targets changed — and then from the previous one, reading only the sites an
    import touched (an import of one city's results at national size: a fraction of a second, where reading
    all 600,000 readings again takes seconds). One thread makes it while the others wait for it."""

    def __init__(self, store) -> None:  # noqa: ANN001 - Store
        self.store = store
        self._lock = threading.Lock()
        self._latest: SectionEvaluator | None = None

    def current(self) -> SectionEvaluator:
        with self._lock:
            versions = self.store.table_versions()
            latest = self._latest
            if latest is None or any(latest.versions.get(t) != versions.get(t) for t in SECTION_INPUTS):
                self._latest = SectionEvaluator(self.store, previous=latest)
            return self._latest

    def __call__(self, ids: set[str] | None = None) -> SectionEvaluator:
        """An evaluator of the sections ``ids`` (all when None), as :data:`geodata.quality.derived.Evaluator`: the
        current one of the whole store when it is made already (or can be brought up to date), else one that reads
        only those sections (a kept figure brought up to date after an import, in a process that has not prepared
        the whole store)."""
        if ids is not None and self._latest is None:
            return SectionEvaluator(self.store, sites=ids)
        return self.current()


def section_evaluations(store, period: str = "month", sites: Iterable[str] | None = None) -> pd.DataFrame:  # noqa: ANN001
    """One row per section and month plus one per section and year (``period="month"``), or per year only; of
    the section ids ``sites`` only, when given (their rows are those of the whole evaluation).

    Year rows have ``month`` "" and ``period`` "2023"; month rows ``period`` "2023-05".
    ``compliant`` is 1/0 against the target of that year (or the latest earlier one, see
    ``target_note``; "" without a target or data); ``exceedance`` / ``exceedance_vs_target`` are
    "code:multiple" pairs joined by "；" (multiples over the Ⅲ limit / the target class's limit);
    ``months`` and ``readings`` say what a row rests on; ``n_samples`` is the number of readings.
    """
    _check_period(period)
    ev = SectionEvaluator(store, sites=sites)
    if ev.month is None:
        return pd.DataFrame(columns=COLUMNS)
    months = sorted(set(ev.month["month"]) | set(ev.prepared.statuses["month"] if ev.prepared is not None else []))
    rows: list[dict[str, object]] = []
    if period == "month":
        for key in months:
            year, month = int(key[:4]), int(key[5:7])
            rows += ev.rows([key], year, month, key, "month")
    for year in sorted({int(k[:4]) for k in months}):
        # every month of the year (as Period(year, mode="year")): a site's year row rests on its own months alone
        # (the sample months it left out are counted whether or not another site has results in them)
        year_rows = ev.rows(Period(year, mode="year").months, year, "", str(year), "year")
        rows += year_rows
    frame = pd.DataFrame(rows).reindex(columns=COLUMNS)
    order = frame["month"].map(lambda v: 0 if v == "" else int(v))
    return frame.assign(_o=order).sort_values(["section_id", "year", "_o"]).drop(columns="_o").reset_index(drop=True)


def section_classes(store, period: Period, section_ids: Iterable[str] | None = None, *,  # noqa: ANN001
                    evaluator: SectionEvaluator | None = None) -> pd.DataFrame:
    """Each section's class for ``period`` (当月 / 累计 / 全年), with what it rests on.

    Columns: those of :data:`COLUMNS` plus ``mode``, ``period_label`` and ``values`` (item code →
    the period mean as a :class:`~geodata.quality.values.Measurement`). ``months`` is the number
    of months with data (out of ``len(period.months)``), ``sample_months_ignored`` the sample
    months left out because the site-year has real results, ``method`` 自动监测/手工监测/融合,
    ``basis`` 河流/湖库 standard used. Sections without data in the period are absent. ``evaluator``: one
    made from the same store already (several periods read the measurements once).
    """
    ev = evaluator or SectionEvaluator(store)
    sites = set(section_ids) if section_ids is not None else None
    rows = ev.rows(period.months, period.year, period.month or "", period.key, period.mode, sites)
    frame = pd.DataFrame(rows).reindex(columns=CLASS_COLUMNS)
    frame["period_label"] = period.label
    frame["mode"] = period.mode
    return frame.reset_index(drop=True)


def _groups(keys: set[tuple[str, str]], period: str) -> dict[tuple[str, int, object], list[tuple[str, str]]]:
    """Period key (site, year, month or "") → the (site, date) samples in it; month mode adds the year rows."""
    groups: dict[tuple[str, int, object], list[tuple[str, str]]] = {}
    for sid, date in sorted(keys):
        year, month = int(date[:4]), int(date[5:7])
        if period == "month":
            groups.setdefault((sid, year, month), []).append((sid, date))
        groups.setdefault((sid, year, ""), []).append((sid, date))
    return groups


def groundwater_evaluations(store, period: str = "year") -> pd.DataFrame:  # noqa: ANN001 - Store
    """One row per groundwater point and year (``period="year"``), or per month plus the year rows.

    GB/T 14848 §9: each indicator's period mean is classed; the point's class is the worst,
    ``deciding`` names the indicators of that class. ``compliant`` compares with the point's
    target class (``groundwater_points.target_class``). Sample months of a point-year with real
    results are left out, as for sections.
    """
    _check_period(period)
    m = store.read_measurements(columns=READ_COLUMNS, site_type="groundwater")
    if m.empty:
        return pd.DataFrame(columns=GROUNDWATER_COLUMNS)
    prepared = statistics.prepare(m)
    points = store.read_table("groundwater_points")
    info = {str(r.id): (str(r.name), str(r.target_class or "")) for r in points.itertuples()}
    samples: dict[tuple[str, str], dict[str, list[Measurement]]] = {}
    flagged: dict[tuple[str, str], int] = {}
    for r in prepared.values.itertuples():
        key = (str(r.site_id), str(r.date))
        samples.setdefault(key, {}).setdefault(str(r.item), []).append(Measurement(float(r.value), bool(r.below)))
        flagged[key] = max(flagged.get(key, 0), int(r.is_sample))
    statuses = {(str(r.site_id), f"{r.month}-01"): str(r.status) for r in prepared.statuses.itertuples()}
    rows = []
    for (pid, year, month), members in _groups(set(samples) | set(statuses), period).items():
        name, target = info.get(pid, (pid, ""))
        by_item: dict[str, list[Measurement]] = {}
        for key in members:
            for code, found in samples.get(key, {}).items():
                by_item.setdefault(code, []).extend(found)
        means = {code: mean(found, item(code, "groundwater")) for code, found in by_item.items()}
        status = "ok" if means else next((statuses[k] for k in members if k in statuses), "not_monitored")
        result = evaluate_groundwater(means if status == "ok" else {}, status)
        ok = result.klass is not None and target in CLASSES
        is_sample = int(any(flagged.get(k, 0) for k in members))
        rows.append({
            "point_id": pid, "point_name": name, "year": year, "month": month,
            "period": f"{year}-{month:02d}" if month != "" else str(year), "class": result.klass or "",
            "deciding": LIST_SEP.join(_name(c, "groundwater") for c in result.deciding), "target_class": target,
            "compliant": int(bool(compliance(result.klass, target))) if ok else "",
            "n_samples": sum(1 for k in members if samples.get(k)), "is_sample": is_sample,
            "data_note": SAMPLE_NOTE if is_sample else "",
        })
    frame = pd.DataFrame(rows, columns=GROUNDWATER_COLUMNS)
    if period == "year":
        frame = frame[frame["month"] == ""]
    order = frame["month"].map(lambda v: 0 if v == "" else int(v))
    return frame.assign(_o=order).sort_values(["point_id", "year", "_o"]).drop(columns="_o").reset_index(drop=True)


__all__ = ["CLASS_COLUMNS", "COLUMNS", "GROUNDWATER_COLUMNS", "Period", "SAMPLE_NOTE", "Targets",
           "groundwater_evaluations", "parse_waterbody", "section_classes", "section_evaluations"]
