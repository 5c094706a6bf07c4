"""The colours and symbols of every map, on screen and in exports: one legend everywhere.

Water classes use the colours of Chinese environmental bulletins: Ⅰ–Ⅱ blues, Ⅲ green, Ⅳ yellow,
Ⅴ orange, 劣Ⅴ red, no data grey. Compliance is a symbol inside the marker (✓ ✗ ? ∅ ·), so colour is
never the only cue; an approximate location has a dashed outline. Task colours are
:data:`geodata.status.COLORS`.
"""

from __future__ import annotations

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

# compliance states, drawn as a symbol inside the marker
COMPLIANCE_SYMBOLS = {"met": "✓", "not_met": "✗", "no_data": "?", "dry": "∅", "no_target": "·"}

# precisions drawn dashed (approximate), and every precision a record can have
APPROXIMATE = ("river", "town", "village", "county")
PRECISIONS = ("exact", "village", "town", "river", "county", "none")

COUNTY_FILL = "#f7f4ea"
COUNTY_LINE = "#7d7461"
CITY_LINE = "#3e3a2f"
RIVER_COLOR = "#3b83c4"
WATER_FILL = "#a9cfee"
ZONE_COLOR = "#8d6e63"
ZONE_LINE = "#5d4037"


def class_color(klass: str | None) -> str:
    return CLASS_COLORS.get(klass or "", NO_DATA_COLOR)
