"""禁煤区 polygons for the commitments that name an area; the rest stay notes on their jurisdiction.

The plans name one area: "将盐湖区全域纳入“禁煤区”（海拔500米以上区域除外）". No adequate
elevation model exists offline (see the geo-sources README), so the whole district is drawn
and the polygon says that the area above 500 m is not subtracted. Commitments that only say
"划定/扩大禁煤区" without an area get no polygon.
"""

from __future__ import annotations

import re

import geopandas as gpd
import pandas as pd

ELEVATION_NOTE = "海拔500米以上区域未精确扣除（无可用的离线高程数据）"


def build_no_coal(zones: pd.DataFrame, admin_units: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, list[dict[str, str]]]:
    """(polygons of commitments naming a county-level area, notes for the others)."""
    counties = admin_units[admin_units["level"] == "county"].set_index("name")
    polygons, notes = [], []
    for _, z in zones.sort_values("id").iterrows():
        area = str(z.get("area_name") or "")
        match = re.match(r"^(.+?[县市区])全域$", area)
        county = match.group(1) if match else ""
        if county in counties.index:
            excl = str(z.get("exclusions") or "")
            polygons.append({
                "id": z["id"], "area_name": area, "county": county, "action": z.get("action", ""),
                "deadline": z.get("deadline", ""), "exclusions": excl,
                "note": ELEVATION_NOTE if "海拔" in excl else "",
                "label": f"禁煤区：{area}" + (f"（{excl.split('；')[0]}除外，{ELEVATION_NOTE}）" if "海拔" in excl else ""),
                "source": f"{z['source_file']} 第 {z['source_line']} 行",
                "geometry": counties.loc[county, "geometry"],
            })
        else:
            reason = "原文未给出可绘制的范围（只说“禁煤区”内的措施或“划定/扩大禁煤区”），作为对所辖地区的说明保留"
            if area:
                reason = f"“{area}”未指明是哪些地区，没有可绘制的边界，作为对所辖地区的说明保留"
            notes.append({"id": str(z["id"]), "jurisdiction": str(z.get("jurisdiction", "")), "area_name": area,
                          "reason": reason})
    frame = gpd.GeoDataFrame(pd.DataFrame(polygons), geometry="geometry", crs="EPSG:4326") if polygons else gpd.GeoDataFrame(
        columns=["id", "area_name", "county", "action", "deadline", "exclusions", "note", "label", "source", "geometry"],
        geometry="geometry", crs="EPSG:4326",
    )
    return frame, notes
