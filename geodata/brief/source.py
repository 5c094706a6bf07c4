"""Where an export gets its data: the same views the pages show, computed by :mod:`geodata.views`.

:class:`ViewSource` is what a brief reads. The dashboard passes an adapter over its cached
``dashboard.data`` functions (so an export of a view is made of the very frames on screen); the
command line passes :class:`StoreSource`, which makes the same ``geodata.views`` calls on a store
(a test holds the two to the same frames).
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Protocol

import geopandas as gpd
import pandas as pd

from geodata import views
from geodata.areas import Area


class ViewSource(Protocol):
    """The views and layers an export is made of."""

    def sections(self, area: Area, year: int, month: int | None = None) -> pd.DataFrame: ...

    def period_sections(self, area: Area, period) -> pd.DataFrame:  # noqa: ANN001 - quality.evaluations.Period
        """Sections of ``area`` with their class for 全年/当月/累计 (:func:`geodata.period_views.period_sections_view`)."""
        ...

    def period_months(self, area: Area, year: int) -> list[int]:
        """The months of ``year`` with results for the sections of ``area``."""
        ...

    def early_warnings(self, year: int, month: int) -> pd.DataFrame:
        """The 预警 rows of every section (:func:`geodata.quality.figures.early_warnings`)."""
        ...

    def tasks(self, area: Area, as_of: dt.date, year: int | None = None) -> pd.DataFrame: ...

    def enterprises(self, area: Area, as_of: dt.date) -> pd.DataFrame: ...

    def groundwater(self, area: Area, year: int) -> pd.DataFrame: ...

    def drinking_sources(self, area: Area) -> pd.DataFrame: ...

    def commitments(self, area: Area, as_of: dt.date) -> pd.DataFrame: ...

    def table(self, name: str) -> pd.DataFrame: ...

    def layer(self, name: str) -> gpd.GeoDataFrame: ...

    def sampling_dates(self) -> pd.DataFrame:
        """One row per (site_type, site_id, date, is_sample, source_file) of the stored measurements."""
        ...

    def updates(self) -> pd.DataFrame:
        """The supervision history (``task_events``): 交办, 督办, progress, 申请销号, 销号, 退回."""
        ...

    def years(self) -> list[int]: ...

    def areas(self) -> dict[str, list[str]]: ...


class StoreSource:
    """:class:`ViewSource` over a store, for the command line (each view computed once per call)."""

    def __init__(self, store) -> None:  # noqa: ANN001 - geodata.store.Store
        self.store = store

    @functools.cache  # noqa: B019 - one source per command run, dropped with it
    def table(self, name: str) -> pd.DataFrame:
        return self.store.read_table(name)

    @functools.cache  # noqa: B019
    def layer(self, name: str) -> gpd.GeoDataFrame:
        return self.store.read_layer(name)

    @functools.cache  # noqa: B019
    def updates(self) -> pd.DataFrame:
        return self.store.task_events()

    @functools.cache  # noqa: B019
    def _evaluations(self) -> pd.DataFrame | None:
        from geodata.quality.derived import section_evaluations

        return section_evaluations(self.store)

    @functools.cache  # noqa: B019
    def _groundwater_evaluations(self) -> pd.DataFrame:
        from geodata.quality.derived import groundwater_evaluations

        return groundwater_evaluations(self.store)

    @functools.cache  # noqa: B019
    def sections(self, area: Area, year: int, month: int | None = None) -> pd.DataFrame:
        return views.sections_view(self.table("sections"), self.table("section_targets"), self._evaluations(), year=year,
                                   area=area, month=month, documents=self.table("documents"))

    @functools.cache  # noqa: B019
    def _evaluator(self):  # noqa: ANN202 - geodata.quality.evaluations.SectionEvaluator
        from geodata.quality.evaluations import SectionEvaluator

        return SectionEvaluator(self.store)  # the measurements read once for every period of this command

    @functools.cache  # noqa: B019
    def period_sections(self, area: Area, period) -> pd.DataFrame:  # noqa: ANN001
        from geodata.period_views import period_sections_view
        from geodata.quality.evaluations import section_classes

        classes = section_classes(self.store, period, evaluator=self._evaluator())
        return period_sections_view(self.table("sections"), self.table("section_targets"), classes,
                                    period=period, area=area, documents=self.table("documents"))

    @functools.cache  # noqa: B019
    def period_months(self, area: Area, year: int) -> list[int]:
        from geodata.areas import attribute_sites, in_area

        ids = in_area(attribute_sites(self.table("sections"), self.table("documents")), area)["id"]
        return self._evaluator().months_with_results(year, list(ids))

    @functools.cache  # noqa: B019
    def early_warnings(self, year: int, month: int) -> pd.DataFrame:
        from geodata.quality.figures import early_warnings

        return early_warnings(self.store, year, month, evaluator=self._evaluator())

    @functools.cache  # noqa: B019
    def tasks(self, area: Area, as_of: dt.date, year: int | None = None) -> pd.DataFrame:
        return views.tasks_view(self.table("tasks"), self.updates(), as_of=as_of, area=area, year=year,
                                plans=self.table("plans"))

    @functools.cache  # noqa: B019
    def enterprises(self, area: Area, as_of: dt.date) -> pd.DataFrame:
        return views.enterprises_view(self.table("enterprises"), self.updates(), as_of=as_of, area=area,
                                      documents=self.table("documents"))

    @functools.cache  # noqa: B019
    def groundwater(self, area: Area, year: int) -> pd.DataFrame:
        return views.groundwater_view(self.table("groundwater_points"), self._groundwater_evaluations(), year=year,
                                      area=area, documents=self.table("documents"))

    @functools.cache  # noqa: B019
    def drinking_sources(self, area: Area) -> pd.DataFrame:
        return views.sources_view(self.table("drinking_water_sources"), area=area, documents=self.table("documents"))

    @functools.cache  # noqa: B019
    def commitments(self, area: Area, as_of: dt.date) -> pd.DataFrame:
        return views.zones_view(self.table("no_coal_zones"), self.updates(), as_of=as_of, area=area)

    @functools.cache  # noqa: B019
    def sampling_dates(self) -> pd.DataFrame:
        return sampling_dates(self.store.read_measurements())

    @functools.cache  # noqa: B019
    def years(self) -> list[int]:
        dates = self.sampling_dates()
        measured = sorted({int(d[:4]) for d in dates["date"].astype(str) if d[:4].isdigit()}) if len(dates) else []
        return views.available_years(self.table("section_targets"), self.table("plans"), measured)

    @functools.cache  # noqa: B019
    def years_with_results(self) -> list[int]:
        """Years with targets or measurements (the default year is the latest of them)."""
        dates = self.sampling_dates()
        years = {int(d[:4]) for d in dates["date"].astype(str) if d[:4].isdigit()} if len(dates) else set()
        targets = self.table("section_targets")
        years |= {int(float(y)) for y in targets["year"] if str(y).strip()} if len(targets) else set()
        return sorted(years)

    @functools.cache  # noqa: B019
    def areas(self) -> dict[str, list[str]]:
        from geodata.areas import attribute_sites, attribute_tasks

        documents = self.table("documents")
        pairs: set[tuple[str, str]] = set()
        for name in ("sections", "enterprises", "groundwater_points", "drinking_water_sources"):
            frame = attribute_sites(self.table(name), documents)
            if len(frame):
                pairs.update(zip(frame["area_city"], frame["area_county"], strict=True))
        tasks = attribute_tasks(self.table("tasks"))
        if len(tasks):
            pairs.update(zip(tasks["area_city"], tasks["area_county"], strict=True))
        return views.areas_of(documents, pairs)


def sampling_dates(measurements: pd.DataFrame) -> pd.DataFrame:
    """The sampling dates of ``measurements`` (one row per site, date and sample flag)."""
    columns = ["site_type", "site_id", "date", "is_sample", "source_file"]
    if measurements.empty:
        return pd.DataFrame(columns=columns)
    frame = measurements[measurements["item"] != "status"] if "item" in measurements else measurements
    frame = frame.assign(date=frame["date"].astype(str).str[:10], is_sample=pd.to_numeric(frame["is_sample"]).fillna(0)
                         .astype(int), source_file=frame["source_file"].fillna("").astype(str))
    return frame[columns].drop_duplicates().reset_index(drop=True)
