"""The README's monitoring section stays true: the measurements columns and the decimals table."""

from __future__ import annotations

import re

from geodata.quality.limits import item
from geodata.store.schema import MEASUREMENTS
from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
NAMES = {"pH": "pH", "溶解氧": "DO", "高锰酸盐指数": "CODMn", "化学需氧量": "COD", "五日生化需氧量": "BOD5", "氨氮": "NH3-N",
         "总磷": "TP", "铜": "Cu", "锌": "Zn", "氟化物": "F", "硒": "Se", "砷": "As", "汞": "Hg", "镉": "Cd", "六价铬": "Cr6+",
         "铅": "Pb", "氰化物": "CN", "挥发酚": "VPh", "石油类": "Oil", "阴离子表面活性剂": "LAS", "硫化物": "S2-",
         "粪大肠菌群": "FC", "总氮": "TN", "水温": "WT", "电导率": "EC", "浊度": "NTU"}


def test_every_measurements_column_is_documented():
    body = README.split("### `measurements`", 1)[1].split("## ", 1)[0]
    assert [c for c in MEASUREMENTS.column_names if f"`{c}`" not in body] == []


def test_the_decimals_table_is_the_limits_table():
    table = README.split("评价修约位数", 1)[1].split("**水体类型", 1)[0]
    cells = [c.strip() for line in table.splitlines() if line.startswith("| ") and "---" not in line
             for c in line.strip("|").split("|")]
    checked = set()
    for names, decimals in zip(cells[::1], cells[1:], strict=False):
        number = re.match(r"^(\d)", decimals)
        if not number:
            continue
        for name in names.split("、"):
            if name in NAMES:
                assert item(NAMES[name]).decimals == int(number.group(1)), name
                checked.add(name)
    assert set(NAMES) == checked
