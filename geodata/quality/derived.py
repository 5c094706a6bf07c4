"""The evaluations of sections and groundwater points, computed when the data change and kept in the store
(:mod:`geodata.derived`): computing the classes of every section from the stored readings takes seconds
(2 s on the bundled data, more at scale), reading them back tens of milliseconds. The key names the
tables read and a hash of ``geodata/quality``'s sources (a release with changed rules recomputes).
"""

from __future__ import annotations

import pandas as pd

from geodata.derived import code_fingerprint, kept

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
