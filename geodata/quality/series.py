"""One item of one site over time, ready to plot: values below detection plotted and labelled as such.

A result below the detection limit has no value, only a bound; a chart that draws it as 0 (or as
the limit without saying so) misleads. :func:`item_series` gives every stored reading of an item
with ``plotted`` (the value a chart draws: the reading, or the detection limit for an undetected
result), ``below_detection``, ``label`` (“0.5”, “未检出（检出限 0.01）”), the class of the reading
and its data note (示例数据（非实测） on sample rows), so a page draws undetected points with their
own marker and tooltip.
"""

from __future__ import annotations

import pandas as pd

from geodata.quality.evaluations import SAMPLE_NOTE
from geodata.quality.limits import item
from geodata.quality.surface import item_class
from geodata.quality.values import Measurement
from geodata.quality.waterbody import section_waterbody

SERIES_COLUMNS = ["date", "time", "value", "plotted", "below_detection", "label", "class", "unit", "method",
                  "is_sample", "data_note", "source_file", "source_row"]


def item_series(store, site_id: str, code: str, site_type: str = "section") -> pd.DataFrame:  # noqa: ANN001 - Store
    """The readings of ``code`` at ``site_id`` in time order (see the module doc); empty frame without any."""
    m = store.read_measurements(site_type=site_type, site_id=site_id, item=code)
    if m.empty:
        return pd.DataFrame(columns=SERIES_COLUMNS)
    standard = "surface" if site_type == "section" else "groundwater"
    row = item(code, standard)
    waterbody = "river"
    if standard == "surface":
        sections = store.read_table("sections", id=site_id)
        if len(sections):
            waterbody = section_waterbody(sections.iloc[0].to_dict())
    records = []
    for r in m.itertuples():
        if r.value is None or r.value != r.value:
            continue
        below = bool(int(r.below_detection))
        measurement = Measurement(float(r.value), below, str(r.detection_source or ""))
        override = str(r.waterbody or "") or waterbody
        klass = item_class(code, measurement, override) if standard == "surface" and row.direction != "none" else ""
        is_sample = int(r.is_sample)
        records.append({
            "date": r.date, "time": r.time, "value": None if below else measurement.value, "plotted": measurement.value,
            "below_detection": int(below), "label": measurement.display, "class": klass or "", "unit": r.unit,
            "method": r.method, "is_sample": is_sample, "data_note": SAMPLE_NOTE if is_sample else "",
            "source_file": r.source_file, "source_row": r.source_row,
        })
    return pd.DataFrame(records, columns=SERIES_COLUMNS)
