"""Water-quality evaluation: GB 3838-2002 (surface water) and GB/T 14848-2017 (groundwater).

The limits live in :mod:`geodata.quality.limits` (one table per standard); parsing of measured
values in :mod:`~geodata.quality.values`; the rules in :mod:`~geodata.quality.surface` and
:mod:`~geodata.quality.groundwater`; CSV files in :mod:`~geodata.quality.evaluate_file`.
"""

from geodata.quality.evaluate_file import evaluate_csv, write_evaluation
from geodata.quality.groundwater import GroundwaterResult, evaluate_groundwater
from geodata.quality.limits import GROUNDWATER, SURFACE, Limit, item, lookup
from geodata.quality.surface import SurfaceResult, compliance, evaluate_period, evaluate_sample, period_means
from geodata.quality.values import Measurement, ValueProblem, parse_value

__all__ = [
    "GROUNDWATER", "SURFACE", "GroundwaterResult", "Limit", "Measurement", "SurfaceResult", "ValueProblem",
    "compliance", "evaluate_csv", "evaluate_groundwater", "evaluate_period", "evaluate_sample",
    "item", "lookup", "parse_value", "period_means", "write_evaluation",
]
