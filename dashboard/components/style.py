"""The colours and symbols of the map: one legend everywhere, labels in the visitor's language.

Water classes use the colours of Chinese environmental bulletins: Ⅰ–Ⅱ blues, Ⅲ green,
Ⅳ yellow, Ⅴ orange, 劣Ⅴ red, no data grey.
"""

from __future__ import annotations

from geodata.i18n import t

CLASS_COLORS: dict[str, str] = {
    "Ⅰ": "#4fc3f7",
    "Ⅱ": "#1e88e5",
    "Ⅲ": "#43a047",
    "Ⅳ": "#fdd835",
    "Ⅴ": "#fb8c00",
    "劣Ⅴ": "#e53935",
}
NO_DATA_COLOR = "#9e9e9e"
TEXT_ON = {"Ⅰ": "#000", "Ⅱ": "#fff", "Ⅲ": "#fff", "Ⅳ": "#000", "Ⅴ": "#000", "劣Ⅴ": "#fff"}


def class_color(klass: str | None) -> str:
    return CLASS_COLORS.get(klass or "", NO_DATA_COLOR)


def class_label(klass: str | None) -> str:
    """"Ⅲ类" / "劣Ⅴ类", or 无数据."""
    return t("class_label", klass=klass) if klass else t("no_data")


# compliance states, drawn as a symbol inside the marker so colour is not the only cue
COMPLIANCE_SYMBOLS = {"met": "✓", "not_met": "✗", "no_data": "?", "dry": "∅", "no_target": "·"}
COMPLIANCE_STATES = tuple(COMPLIANCE_SYMBOLS)


def compliance(state: str) -> tuple[str, str]:
    """(symbol, label) of a compliance state."""
    return COMPLIANCE_SYMBOLS.get(state, ""), t(f"compliance_{state}") if state in COMPLIANCE_SYMBOLS else ""


APPROXIMATE = ("river", "town", "village", "county")
PRECISIONS = ("exact", "village", "town", "river", "county", "none")


def precision_label(precision: str) -> str:
    return t(f"precision_{precision}") if precision in PRECISIONS else (precision or t("precision_none"))


COUNTY_FILL = "#f7f4ea"
COUNTY_LINE = "#7d7461"
CITY_LINE = "#3e3a2f"
RIVER_COLOR = "#3b83c4"
WATER_FILL = "#a9cfee"
