"""Sample monitoring data (示例数据（非实测）): plausible values so a first look shows colour.

What is generated (``envmap samples --seed N``)
-----------------------------------------------
Monthly values (2020–2025 up to the current month would be ~70 months per site and mostly
fiction with no target to compare to), for

* **every section**, every month of the *target years* — the years that have a class target
  in ``section_targets`` (kind ``target``; with the bundled plans 2022 and 2023) — near the
  section's target of that year (else its nearest target, else Ⅲ); plus every month of a
  year with an *observed* class (kind ``observed``; bundled: 2020) near that class;
* **every groundwater point**, every month of the target years, near the point's target class
  (else Ⅲ).

Sections: 溶解氧、高锰酸盐指数、化学需氧量、五日生化需氧量、氨氮、总磷 (the items that decide
most classes; 湖库 total-phosphorus limits for sections whose waterbody is a lake or reservoir,
:mod:`geodata.quality.waterbody`). Groundwater: 总硬度、
氨氮、氟化物、硝酸盐. About one section-year in four misses its target (most months one class
worse); other months sometimes drift one class either way. Deterministic: each site and year
draws from its own generator seeded by (seed, site, year), so adding a site leaves the
others' values unchanged.

Every value is flagged ``is_sample = 1`` (source file “示例数据（非实测）…”), removed exactly by
:func:`remove_samples`, and gives way to real results: a site and month with imported values
gets no samples.

With the values comes a demo supervision history (交办, 进展, 申请销号, 销号, 退回, 督办; see
:mod:`geodata.sample_history`), flagged and labelled the same way and removed with them.
"""

from __future__ import annotations

import hashlib
import random

import pandas as pd

from geodata.model import CLASSES
from geodata.quality.limits import item
from geodata.quality.waterbody import basis_of, section_waterbody

SAMPLE_NOTE = "示例数据（非实测）"
SURFACE_ITEMS = ("DO", "CODMn", "COD", "BOD5", "NH3-N", "TP")
GROUNDWATER_ITEMS = ("TH", "NH3-N", "F", "NO3-N")
DEFAULT_SEED = 20231
DEFAULT_CLASS = "Ⅲ"
_FINGERPRINT = "samples_fingerprint"
COLUMNS = ["site_type", "site_id", "date", "period", "item", "value", "below_detection", "unit", "status",
           "is_sample", "source_file", "source_row"]


def source_name(seed: int) -> str:
    return f"{SAMPLE_NOTE} envmap samples --seed {seed}"


def _band(code: str, klass: str, standard: str, lake: bool) -> tuple[float, float]:
    row = item(code, standard)
    limits = list(row.lake_limits if lake and row.lake_limits else row.limits)
    k = CLASSES.index(klass)
    if row.direction == "ge":  # DO: higher is better
        high = limits[k - 1] if k > 0 else limits[0] * 1.25
        low = limits[k] if k < len(limits) else limits[-1] * 0.6
        return (min(low, high), max(low, high))
    low = 0.0 if k == 0 else limits[min(k, len(limits)) - 1]
    high = limits[k] if k < len(limits) and limits[k] is not None else limits[-1] * 1.6
    return (low, high)


def _value(code: str, klass: str, standard: str, lake: bool, rng: random.Random) -> float:
    low, high = _band(code, klass, standard, lake)
    value = low + (high - low) * rng.uniform(0.15, 0.95)
    return round(value, 3 if value < 1 else 2)


def _shift(klass: str, by: int, worst: int) -> str:
    return CLASSES[min(max(CLASSES.index(klass) + by, 0), worst)]


def _is_lake(section: object) -> bool:
    """Whether the section is evaluated with the 湖、库 limits (its waterbody type, or the naming rule)."""
    return basis_of(section_waterbody(section)) == "lake"


def _classes(targets: pd.DataFrame) -> tuple[list[int], dict[str, dict[int, str]], dict[str, dict[int, str]]]:
    """(target years, section → year → target, section → year → observed class)."""
    target: dict[str, dict[int, str]] = {}
    observed: dict[str, dict[int, str]] = {}
    for t in targets.itertuples():
        klass = str(t.target_class or "")
        if klass not in CLASSES or not str(t.year).strip():
            continue
        kind = str(getattr(t, "kind", "target") or "target")
        (observed if kind == "observed" else target).setdefault(str(t.section_id), {})[int(float(t.year))] = klass
    years = sorted({y for by_year in target.values() for y in by_year})
    return years, target, observed


def generate_samples(sections: pd.DataFrame, targets: pd.DataFrame, groundwater_points: pd.DataFrame,
                     seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """Monthly sample values for every section and groundwater point (see the module doc)."""
    years, target, observed = _classes(targets)
    rows: list[dict[str, object]] = []
    for s in sections.drop_duplicates("id").sort_values("id").itertuples():
        sid = str(s.id)
        lake = _is_lake(s._asdict())
        plan: dict[int, str] = {}
        for year in years:
            own = target.get(sid, {})
            nearest = min(own, key=lambda y: (abs(y - year), y)) if own else None
            plan[year] = own.get(year) or (own[nearest] if nearest is not None else DEFAULT_CLASS)
        plan |= observed.get(sid, {})
        for year, ref in sorted(plan.items()):
            rng = random.Random(f"{seed}|section|{sid}|{year}")
            lagging = rng.random() < 0.25  # about one section-year in four misses its target
            for month in range(1, 13):
                roll = rng.random()
                by = (1 if roll < 0.75 else 0) if lagging else (1 if roll < 0.12 else (-1 if roll > 0.7 else 0))
                klass = _shift(ref, by, 4)
                for code in SURFACE_ITEMS:
                    # NH3-N and CODMn carry the month's class; the other items sit at it or one better
                    item_class = klass if code in ("NH3-N", "CODMn") else _shift(klass, -rng.randint(0, 1), 4)
                    rows.append({"site_type": "section", "site_id": sid, "date": f"{year}-{month:02d}-10",
                                 "period": f"{year}-{month:02d}", "item": code,
                                 "value": _value(code, item_class, "surface", lake, rng),
                                 "unit": item(code, "surface").unit})
    for p in groundwater_points.drop_duplicates("id").sort_values("id").itertuples():
        pid = str(p.id)
        ref = str(p.target_class) if str(p.target_class or "") in CLASSES[:5] else DEFAULT_CLASS
        for year in years:
            rng = random.Random(f"{seed}|groundwater|{pid}|{year}")
            for month in range(1, 13):
                klass = ref if rng.random() > 0.2 else _shift(ref, 1, 4)
                for code in GROUNDWATER_ITEMS:
                    item_class = klass if code == "NH3-N" else _shift(ref, -rng.randint(0, 1), 4)
                    rows.append({"site_type": "groundwater", "site_id": pid, "date": f"{year}-{month:02d}-15",
                                 "period": f"{year}-{month:02d}", "item": code,
                                 "value": _value(code, item_class, "groundwater", False, rng),
                                 "unit": item(code, "groundwater").unit})
    frame = pd.DataFrame(rows)
    if frame.empty:
        return pd.DataFrame(columns=COLUMNS)
    frame["below_detection"] = 0
    frame["status"] = "ok"
    frame["is_sample"] = 1
    frame["source_file"] = source_name(seed)
    frame["source_row"] = None
    return frame[COLUMNS]


def _fingerprint(frame: pd.DataFrame) -> str:
    return hashlib.sha256(frame.to_csv(index=False).encode("utf-8")).hexdigest()


def load_samples(store, seed: int = DEFAULT_SEED) -> int:  # noqa: ANN001 - Store
    """Put the samples for ``seed`` in the store; returns how many sample values it holds.

    Idempotent: when the store already holds exactly these samples nothing is written (the
    data version, and so every cache, stays). Otherwise the old samples are replaced in one
    transaction. A site and month with imported (real) values gets no samples.
    """
    frame = generate_samples(store.read_table("sections"), store.read_table("section_targets"),
                             store.read_table("groundwater_points"), seed)
    stored = store.read_measurements()
    real = stored[stored["is_sample"].astype(int) == 0]
    if len(real) and len(frame):
        taken = set(zip(real["site_type"], real["site_id"], real["period"], strict=True))
        keep = [k not in taken for k in zip(frame["site_type"], frame["site_id"], frame["period"], strict=True)]
        frame = frame[keep].reset_index(drop=True)
    fingerprint = f"{seed}:{_fingerprint(frame)}"
    held = int((stored["is_sample"].astype(int) == 1).sum())
    from geodata.sample_history import load_sample_history

    load_sample_history(store, seed)
    if store.meta(_FINGERPRINT) == fingerprint and held == len(frame):
        return held
    if frame.empty:
        store.delete_samples()
    else:
        store.write_measurements(frame, replace_samples=True)
    store.set_meta(_FINGERPRINT, fingerprint)
    return len(frame)


def remove_samples(store) -> int:  # noqa: ANN001 - Store
    """Delete exactly the sample values (``is_sample = 1``) and the demo supervision history; imported
    values and recorded events stay. Returns how many values."""
    from geodata.sample_history import remove_sample_history

    n = store.delete_samples()
    remove_sample_history(store)
    store.set_meta(_FINGERPRINT, "")
    return n
