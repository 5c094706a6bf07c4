"""Water quality: monitoring files in, official figures out.

* standards' limits, decimals, ranges — :mod:`~geodata.quality.limits` (one table per standard);
* measured values and their written forms — :mod:`~geodata.quality.values`;
* GB 3838-2002 / GB/T 14848-2017 classes — :mod:`~geodata.quality.surface`, :mod:`~geodata.quality.groundwater`;
* waterbody type of a section — :mod:`~geodata.quality.waterbody`; trophic state — :mod:`~geodata.quality.trophic`;
* reading files (platform exports, monthly tables) — :mod:`~geodata.quality.readings`;
  ``envmap evaluate`` — :mod:`~geodata.quality.evaluate_file`; the import — :mod:`~geodata.quality.monitoring`;
* period statistics by the 2020 rules — :mod:`~geodata.quality.statistics`; classes per section and
  period — :mod:`~geodata.quality.evaluations`; the figures leaders read (shares, 同比, 预警, 时序进度)
  — :mod:`~geodata.quality.figures`; river grades — :mod:`~geodata.quality.grades`; CWQI and ranking —
  :mod:`~geodata.quality.cwqi`; an item over time — :mod:`~geodata.quality.series`;
* sample data (示例数据（非实测）) — :mod:`~geodata.quality.samples`.
"""

from geodata.quality.evaluate_file import evaluate_csv, evaluate_file, write_evaluation
from geodata.quality.groundwater import GroundwaterResult, evaluate_groundwater
from geodata.quality.limits import GROUNDWATER, SURFACE, Limit, item, lookup
from geodata.quality.surface import SurfaceResult, compliance, evaluate_period, evaluate_sample, period_means
from geodata.quality.values import Measurement, ValueProblem, parse_value

__all__ = [
    "GROUNDWATER", "SURFACE", "GroundwaterResult", "Limit", "Measurement", "SurfaceResult", "ValueProblem",
    "compliance", "evaluate_csv", "evaluate_file", "evaluate_groundwater", "evaluate_period", "evaluate_sample",
    "item", "lookup", "parse_value", "period_means", "write_evaluation",
]
