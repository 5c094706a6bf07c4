"""The colours and symbols of the map: one legend everywhere.

Water classes use the colours of Chinese environmental bulletins: Ⅰ–Ⅱ blues, Ⅲ green,
Ⅳ yellow, Ⅴ orange, 劣Ⅴ red, no data grey.
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


def class_color(klass: str | None) -> str:
    return CLASS_COLORS.get(klass or "", NO_DATA_COLOR)


# compliance states, drawn as a symbol inside the marker so colour is not the only cue
COMPLIANCE_SYMBOLS = {
    "met": ("✓", "达标"),
    "not_met": ("✗", "未达标"),
    "no_data": ("?", "无数据"),
    "dry": ("∅", "断流/未监测"),
    "no_target": ("·", "无目标"),
}

APPROXIMATE = ("river", "town", "village", "county")
PRECISION_LABELS = {
    "exact": "精确坐标",
    "village": "村点位（近似）",
    "town": "乡镇点位（近似）",
    "river": "所在河流上（近似）",
    "county": "县代表点（近似）",
    "none": "未定位",
}

COUNTY_FILL = "#f7f4ea"
COUNTY_LINE = "#7d7461"
CITY_LINE = "#3e3a2f"
RIVER_COLOR = "#3b83c4"
WATER_FILL = "#a9cfee"
