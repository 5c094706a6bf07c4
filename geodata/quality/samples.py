"""Sample monitoring data (示例数据（非实测）): plausible values so a first look shows colour.

For every section with a class target (or a 2020 class the plan states) and every month of
its target years, values of the main items are drawn inside the band of a class near the
target — mostly meeting it, sometimes one class worse — deterministic for a seed. Every
value is flagged ``is_sample = 1`` and removed exactly by :func:`remove_samples`; real
imports replace them.
"""

from __future__ import annotations

import random

import pandas as pd

from geodata.model import CLASSES
from geodata.quality.limits import item

SOURCE = "示例数据（非实测）envmap samples"
SURFACE_ITEMS = ("DO", "CODMn", "COD", "BOD5", "NH3-N", "TP")
GROUNDWATER_ITEMS = ("TH", "NH3-N", "F", "NO3-N")
DEFAULT_SEED = 20231


def _band(code: str, klass: str, standard: str, lake: bool) -> tuple[float, float]:
    row = item(code, standard)
    limits = list(row.lake_limits if lake and row.lake_limits else row.limits)
    k = CLASSES.index(klass)
    if row.direction == "ge":  # DO: higher is better
        high = limits[k - 1] if k > 0 else limits[0] * 1.25
        low = limits[k] if k < len(limits) else limits[-1] * 0.6
        return (min(low, high), max(low, high))
    low = 0.0 if k == 0 else limits[k - 1]
    high = limits[k] if k < len(limits) and limits[k] is not None else limits[-1] * 1.6
    return (low, high)


def _value(code: str, klass: str, standard: str, lake: bool, rng: random.Random) -> float:
    low, high = _band(code, klass, standard, lake)
    value = low + (high - low) * rng.uniform(0.15, 0.95)
    return round(value, 3 if value < 1 else 2)


def generate_samples(sections: pd.DataFrame, targets: pd.DataFrame, points: pd.DataFrame, seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """Monthly sample values for sections (around their targets) and yearly ones for groundwater points."""
    rng = random.Random(seed)
    rows: list[dict[str, object]] = []
    by_section: dict[str, dict[int, str]] = {}
    for t in targets.itertuples():
        if t.target_class:
            by_section.setdefault(t.section_id, {})[int(t.year)] = t.target_class
    names = sections.drop_duplicates("id").set_index("id")
    for sid in sorted(by_section):
        if sid not in names.index:
            continue
        lake = any(w in str(names.loc[sid, "name"]) + str(names.loc[sid, "river"]) for w in ("水库", "湖"))
        for year, target in sorted(by_section[sid].items()):
            k = CLASSES.index(target)
            lagging = rng.random() < 0.25  # about one section-year in four misses its target
            for month in range(1, 13):
                roll = rng.random()
                shift = (1 if roll < 0.75 else 0) if lagging else (1 if roll < 0.12 else (-1 if roll > 0.7 and k > 0 else 0))
                klass = CLASSES[min(max(k + shift, 0), 4)]
                for code in SURFACE_ITEMS:
                    # one item carries the month's class; the others sit at or better than it
                    item_class = klass if code in ("NH3-N", "CODMn") else CLASSES[max(0, CLASSES.index(klass) - rng.randint(0, 1))]
                    rows.append({"site_type": "section", "site_id": sid, "date": f"{year}-{month:02d}-10",
                                 "period": f"{year}-{month:02d}", "item": code,
                                 "value": _value(code, item_class, "surface", lake, rng), "below_detection": 0,
                                 "unit": item(code, "surface").unit, "status": "ok"})
    for p in points.drop_duplicates("id").itertuples():
        target = p.target_class or "Ⅲ"
        for year in (2022, 2023):
            klass = target if rng.random() > 0.25 else CLASSES[min(CLASSES.index(target) + 1, 4)]
            for code in GROUNDWATER_ITEMS:
                rows.append({"site_type": "groundwater", "site_id": p.id, "date": f"{year}-05-15", "period": f"{year}-05",
                             "item": code, "value": _value(code, klass if code == "NH3-N" else target, "groundwater", False, rng),
                             "below_detection": 0, "unit": item(code, "groundwater").unit, "status": "ok"})
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    frame["is_sample"] = 1
    frame["source_file"] = SOURCE
    frame["source_row"] = None
    return frame


def load_samples(store, seed: int = DEFAULT_SEED) -> int:  # noqa: ANN001 - Store
    """Replace the store's sample values with freshly generated ones (idempotent for a seed)."""
    store.delete_samples()
    frame = generate_samples(store.read_table("sections"), store.read_table("section_targets"),
                             store.read_table("groundwater_points"), seed)
    if frame.empty:
        return 0
    real = store.read_measurements()
    if not real.empty:  # a site, date and item with real data keeps it
        taken = set(zip(real["site_type"], real["site_id"], real["date"], real["item"], strict=True))
        keep = [(a, b, c, d) not in taken for a, b, c, d in zip(frame["site_type"], frame["site_id"], frame["date"], frame["item"], strict=True)]
        frame = frame[keep]
    return store.write_measurements(frame)


def remove_samples(store) -> int:  # noqa: ANN001 - Store
    """Delete exactly the sample values; imported ones stay."""
    return store.delete_samples()
