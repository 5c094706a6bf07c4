"""The colours and symbols of the map: one legend everywhere, labels in the visitor's language.

Water classes use the colours of Chinese environmental bulletins: Ⅰ–Ⅱ blues, Ⅲ green,
Ⅳ yellow, Ⅴ orange, 劣Ⅴ red, no data grey.
"""

from __future__ import annotations

from geodata.i18n import t
from geodata.mapstyle import (  # noqa: F401 - one palette for the screen and the exports
    APPROXIMATE,
    CITY_LINE,
    CLASS_COLORS,
    COMPLIANCE_SYMBOLS,
    COUNTY_FILL,
    COUNTY_LINE,
    NO_DATA_COLOR,
    PRECISIONS,
    RIVER_COLOR,
    TEXT_ON,
    WATER_FILL,
)


def class_color(klass: str | None) -> str:
    return CLASS_COLORS.get(klass or "", NO_DATA_COLOR)


def class_label(klass: str | None) -> str:
    """"Ⅲ类" / "劣Ⅴ类", or 无数据."""
    return t("class_label", klass=klass) if klass else t("no_data")


COMPLIANCE_STATES = tuple(COMPLIANCE_SYMBOLS)


def compliance(state: str) -> tuple[str, str]:
    """(symbol, label) of a compliance state."""
    return COMPLIANCE_SYMBOLS.get(state, ""), t(f"compliance_{state}") if state in COMPLIANCE_SYMBOLS else ""


def precision_label(precision: str) -> str:
    return t(f"precision_{precision}") if precision in PRECISIONS else (precision or t("precision_none"))

