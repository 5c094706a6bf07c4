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

    return kept(store, "section_evaluations", SECTION_INPUTS, lambda: compute(store, "month"), code=rules_fingerprint())


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


Evaluator = Callable[[], "SectionEvaluator"]


def period_classes(store, period: Period, evaluator: Evaluator) -> pd.DataFrame:  # noqa: ANN001 - Store
    """:func:`geodata.quality.evaluations.section_classes` of ``period`` for every section, kept in the store;
    ``evaluator()`` gives the measurements prepared (called only when the classes must be computed)."""
    from geodata.quality.evaluations import section_classes

    frame = kept(store, f"period_classes/{period.year}/{period.month or ''}/{period.mode}", SECTION_INPUTS,
                 lambda: _values_to_json(section_classes(store, period, evaluator=evaluator())), code=rules_fingerprint())
    return _values_from_json(frame)


def early_warnings(store, year: int, month: int, evaluator: Evaluator) -> pd.DataFrame:  # noqa: ANN001 - Store
    """:func:`geodata.quality.figures.early_warnings` of ``year``-``month`` for every section, kept in the store."""
    from geodata.quality.figures import early_warnings as compute

    return kept(store, f"early_warnings/{year}/{month}", SECTION_INPUTS,
                lambda: compute(store, year, month, evaluator=evaluator()), code=rules_fingerprint())


def result_months(store, evaluator: Evaluator) -> pd.DataFrame:  # noqa: ANN001 - Store
    """:meth:`geodata.quality.evaluations.SectionEvaluator.result_months`, kept in the store."""
    return kept(store, "result_months", SECTION_INPUTS, lambda: evaluator().result_months(), code=rules_fingerprint())
