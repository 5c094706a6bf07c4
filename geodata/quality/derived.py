"""The evaluations of sections and groundwater points, computed when the data change and kept in the store
(:mod:`geodata.derived`): computing the classes of every section from the stored readings takes seconds
(2 s on the bundled data, more at scale), reading them back tens of milliseconds. The key names the
tables read and a hash of ``geodata/quality``'s sources (a release with changed rules recomputes).

Besides the whole evaluations, the figures of each period a page has asked for (its classes, its 预警, the
months with results) are kept too, so a new process draws the views visitors open without preparing the
measurements again (1.4 s at 50×).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING

import pandas as pd

from geodata.derived import code_fingerprint, kept

if TYPE_CHECKING:
    from geodata.quality.evaluations import Period, SectionEvaluator

SECTION_INPUTS = ("measurements", "sections", "section_targets")
GROUNDWATER_INPUTS = ("measurements", "groundwater_points")


def rules_fingerprint() -> str:
    """A hash of the evaluation code (every module of ``geodata.quality``)."""
    return code_fingerprint("quality")


def section_evaluations(store) -> pd.DataFrame:  # noqa: ANN001 - Store
    """:func:`geodata.quality.evaluations.section_evaluations` (monthly and yearly classes), kept in the store."""
    from geodata.quality.evaluations import section_evaluations as compute

    return kept(store, "section_evaluations", SECTION_INPUTS, lambda: compute(store, "month"), code=rules_fingerprint(),
                update=_per_section_update(store, lambda ids: compute(store, "month", ids)))


def groundwater_evaluations(store) -> pd.DataFrame:  # noqa: ANN001 - Store
    """:func:`geodata.quality.evaluations.groundwater_evaluations` by year, kept in the store."""
    from geodata.quality.evaluations import groundwater_evaluations as compute

    return kept(store, "groundwater_evaluations", GROUNDWATER_INPUTS, lambda: compute(store, "year"),
                code=rules_fingerprint())


# -- the figures of one period: kept per period, so a new process draws the default view without an evaluator

def _values_to_json(frame: pd.DataFrame) -> pd.DataFrame:
    """``values`` (item code → Measurement) as JSON text, which the store can keep."""
    if "values" not in frame or not len(frame):
        return frame
    text = [json.dumps({code: [m.value, bool(m.below_detection), m.dl_source] for code, m in (v or {}).items()},
                       ensure_ascii=False) for v in frame["values"]]
    return frame.assign(values=pd.Series(text, index=frame.index, dtype=object))


def _values_from_json(frame: pd.DataFrame) -> pd.DataFrame:
    from geodata.quality.values import Measurement

    if "values" not in frame or not len(frame):  # as _values_to_json left it
        return frame
    values = [{code: Measurement(value, below, source) for code, (value, below, source) in json.loads(v).items()}
              for v in frame["values"]]
    return frame.assign(values=pd.Series(values, index=frame.index, dtype=object))


# the measurements prepared for evaluation (a SectionEvaluator) of these section ids, or of all when None; one
# of the whole store serves any ids
Evaluator = Callable[[set[str] | None], "SectionEvaluator"]


def _changed_sections(store, then: dict[str, int], now: dict[str, int]) -> set[str] | None:  # noqa: ANN001 - Store
    """The sections whose measurements changed between the versions ``then`` and ``now`` of the section inputs,
    when nothing else they rest on changed and the store can say which (else None)."""
    if any(then.get(t) != now.get(t) for t in SECTION_INPUTS if t != "measurements") or "measurements" not in then:
        return None
    sites = store.measurement_changes(then["measurements"])
    return None if sites is None else {site for kind, site in sites if kind == "section"}


def _per_section_update(store, compute_for: Callable[[set[str]], pd.DataFrame],  # noqa: ANN001, ANN202 - Store
                        column: str = "section_id"):
    """An update (:data:`geodata.derived.Update`) of a frame of rows per section (``column``, sorted by it) that
    rest on that section's measurements alone: the rows of the sections an import touched are computed again
    (``compute_for(ids)``), the others kept, in section order as a computation over all would give them."""
    def update(held: pd.DataFrame, then: dict[str, int], now: dict[str, int]) -> pd.DataFrame | None:
        changed = _changed_sections(store, then, now)
        if changed is None:
            return None
        kept_rows = held[~held[column].astype(str).isin(changed)]
        fresh = compute_for(changed) if changed else kept_rows.iloc[0:0]
        parts = [p for p in (kept_rows, fresh) if len(p)]
        if len(parts) < 2:
            return (parts[0] if parts else held.iloc[0:0]).reset_index(drop=True)
        frame = pd.concat(parts, ignore_index=True)
        return frame.sort_values(column, kind="stable").reset_index(drop=True)

    return update


def period_classes(store, period: Period, evaluator: Evaluator) -> pd.DataFrame:  # noqa: ANN001 - Store
    """:func:`geodata.quality.evaluations.section_classes` of ``period`` for every section, kept in the store;
    ``evaluator()`` gives the measurements prepared (called only when classes must be computed). After an
    import, only the sections it touched are classed again."""
    from geodata.quality.evaluations import section_classes

    def classes(ids: set[str] | None) -> pd.DataFrame:
        return _values_to_json(section_classes(store, period, ids, evaluator=evaluator(ids)))

    frame = kept(store, f"period_classes/{period.year}/{period.month or ''}/{period.mode}", SECTION_INPUTS,
                 lambda: classes(None), code=rules_fingerprint(), update=_per_section_update(store, classes))
    return _values_from_json(frame)


def early_warnings(store, year: int, month: int, evaluator: Evaluator,  # noqa: ANN001 - Store
                   classes: Callable[[Period], pd.DataFrame] | None = None) -> pd.DataFrame:
    """:func:`geodata.quality.figures.early_warnings` of ``year``-``month`` for every section, kept in the store,
    from the classes of its four periods: ``classes(period)`` (a caller's cache of :func:`period_classes`), or
    :func:`period_classes` itself."""
    from geodata.quality.figures import early_warnings as compute

    of = classes or (lambda period: period_classes(store, period, evaluator))
    return kept(store, f"early_warnings/{year}/{month}", SECTION_INPUTS, lambda: compute(store, year, month, classes=of),
                code=rules_fingerprint())


def result_months(store, evaluator: Evaluator) -> pd.DataFrame:  # noqa: ANN001 - Store
    """:meth:`geodata.quality.evaluations.SectionEvaluator.result_months`, kept in the store."""
    def months(ids: set[str] | None) -> pd.DataFrame:
        frame = evaluator(ids).result_months()
        return frame if ids is None else frame[frame["site_id"].isin(ids)].reset_index(drop=True)

    return kept(store, "result_months", SECTION_INPUTS, lambda: months(None), code=rules_fingerprint(),
                update=_per_section_update(store, months, column="site_id"))


def refresh(store) -> None:  # noqa: ANN001 - Store
    """Bring the kept evaluations of sections and groundwater points up to date (after an import of results:
    only the sections it touched evaluated again). The kept figures of single periods are brought up to date by
    their next reader, the same way: a store that has served many periods does not make every import slower."""
    section_evaluations(store)
    groundwater_evaluations(store)
