"""Water-quality grades of a section, a river or a basin (水质状况: 优 / 良好 / 轻度污染 / 中度污染 / 重度污染).

《地表水环境质量评价办法（试行）》(环办〔2011〕22号):

* **a section** (断面水质定性评价): Ⅰ、Ⅱ类 优; Ⅲ类 良好; Ⅳ类 轻度污染; Ⅴ类 中度污染; 劣Ⅴ类 重度污染;
* **a river or basin of 5 sections or more** (断面水质类别比例法): Ⅰ～Ⅲ类比例 ≥ 90% 优;
  75% ≤ Ⅰ～Ⅲ类 < 90% 良好; Ⅰ～Ⅲ类 < 75% and 劣Ⅴ类 < 20% 轻度污染; Ⅰ～Ⅲ类 < 75% and
  20% ≤ 劣Ⅴ类 < 40% 中度污染; Ⅰ～Ⅲ类 < 75% and 劣Ⅴ类 ≥ 40% 重度污染;
* **fewer than 5 sections**: the arithmetic mean of each item over the sections, classed by the
  single-factor method like one section, graded like a section.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from geodata.model import CLASSES
from geodata.quality.surface import evaluate_sample
from geodata.quality.values import Measurement, mean

SECTION_GRADES = {"Ⅰ": "优", "Ⅱ": "优", "Ⅲ": "良好", "Ⅳ": "轻度污染", "Ⅴ": "中度污染", "劣Ⅴ": "重度污染"}
GRADES = ("优", "良好", "轻度污染", "中度污染", "重度污染")
MIN_SECTIONS = 5
SOURCE = "《地表水环境质量评价办法（试行）》（环办〔2011〕22号）"


def section_grade(klass: str | None) -> str:
    """The grade of one section's class ("" without a class)."""
    return SECTION_GRADES.get(klass or "", "")


def grade_by_shares(good_share: float, worst_share: float) -> str:
    """The grade of a river or basin from its Ⅰ～Ⅲ and 劣Ⅴ shares in percent (5 sections or more)."""
    if good_share >= 90:
        return "优"
    if good_share >= 75:
        return "良好"
    if worst_share < 20:
        return "轻度污染"
    if worst_share < 40:
        return "中度污染"
    return "重度污染"


def grade_of(classes: list[str], means: list[Mapping[str, Measurement]] | None = None,
             waterbody: str = "river") -> dict[str, object]:
    """The grade of a river or basin whose sections have ``classes`` (one per evaluated section).

    With 5 sections or more: by the shares. Fewer: by the class of the item means over the
    sections (``means``, one mapping of item → period mean per section; needed then).
    Returns ``grade``, ``method`` (比例法 / 均值法), ``sections``, ``good_share``, ``worst_share``
    and, for the mean method, ``class``.
    """
    evaluated = [c for c in classes if c in CLASSES]
    n = len(evaluated)
    if n == 0:
        return {"grade": "", "method": "", "sections": 0, "good_share": None, "worst_share": None, "class": ""}
    good = round(100.0 * sum(c in ("Ⅰ", "Ⅱ", "Ⅲ") for c in evaluated) / n, 1)
    worst = round(100.0 * sum(c == "劣Ⅴ" for c in evaluated) / n, 1)
    if n >= MIN_SECTIONS:
        return {"grade": grade_by_shares(good, worst), "method": "断面水质类别比例法", "sections": n,
                "good_share": good, "worst_share": worst, "class": ""}
    collected: dict[str, list[Measurement]] = {}
    for section in means or []:
        for code, m in section.items():
            collected.setdefault(code, []).append(m)
    from geodata.quality.limits import item

    averaged = {code: mean(found, item(code)) for code, found in collected.items()}
    result = evaluate_sample({k: v for k, v in averaged.items() if v is not None}, waterbody)
    return {"grade": section_grade(result.klass), "method": "断面均值法（不足5个断面）", "sections": n,
            "good_share": good, "worst_share": worst, "class": result.klass or ""}


def grades(classes: pd.DataFrame, by: str) -> pd.DataFrame:
    """The grade of every river (``by="river"``) or basin (``by="basin"``) of a
    :func:`~geodata.quality.evaluations.section_classes` frame joined with the sections' ``by`` column.
    """
    rows = []
    for name, group in classes.groupby(by):
        if not str(name).strip():
            continue
        waterbody = "lake" if (group["basis"].astype(str).str.startswith("湖库")).all() else "river"
        result = grade_of(list(group["class"]), list(group["values"]), waterbody)
        rows.append({by: name, **result, "uses_samples": int(pd.to_numeric(group["is_sample"]).astype(int).any())})
    return pd.DataFrame(rows, columns=[by, "grade", "method", "sections", "good_share", "worst_share", "class",
                                       "uses_samples"])


def river_grades(store, period, by: str = "river", section_ids=None) -> pd.DataFrame:  # noqa: ANN001
    """The grade of every river (or ``by="basin"``) in ``period`` over ``section_ids`` (all when None)."""
    from geodata.quality.evaluations import section_classes

    classes = section_classes(store, period, section_ids)
    if classes.empty:
        return grades(classes.assign(**{by: []}) if by not in classes else classes, by)
    return grades(classes, by)
