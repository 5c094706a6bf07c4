"""Values become the column's type the same way on both backends, or are refused by name."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from geodata.errors import StoreError
from geodata.store.base import coerce, plain


@pytest.mark.parametrize(
    ("value", "kind", "expected"),
    [
        ("晋城市:台北村", "text", "晋城市:台北村"),
        ("", "text", None),
        (12, "text", "12"),
        (np.int64(5), "text", "5"),
        ("2022", "integer", 2022),
        ("12.0", "integer", 12),
        (" 7 ", "integer", 7),
        (np.int64(5), "integer", 5),
        ("140000000000000001", "integer", 140000000000000001),  # no float on the way
        ("", "integer", None),
        ("83.95", "real", 83.95),
        (3, "real", 3.0),
        (np.float64("nan"), "real", None),
        ("1", "boolean", True),
        (0, "boolean", False),
        ("是", "boolean", True),
        ("False", "boolean", False),
        ("2023-06-30", "date", "2023-06-30"),
        (pd.Timestamp("2023-06-30"), "date", "2023-06-30"),
        (dt.date(2023, 12, 31), "date", "2023-12-31"),
        ("2023-06-30T00:00:00", "date", "2023-06-30"),
        (None, "date", None),
    ],
)
def test_values_become_the_column_type(value, kind, expected):
    got = coerce(value, kind, table="t", column="c")
    assert got == expected and type(got) is type(expected)


@pytest.mark.parametrize(
    ("value", "kind", "word"),
    [("12.5", "integer", "整数"), ("2023年", "integer", "整数"), ("约80", "real", "数值"), (math.inf, "real", "数值"),
     ("2023-13-01", "date", "日期"), ("2023年6月底", "date", "日期"), ("有时", "boolean", "是/否"), (object(), "text", "文字")],
)
def test_values_of_another_type_are_refused_naming_table_column_and_value(value, kind, word):
    with pytest.raises(StoreError, match=f"表 tasks 的列 deadline 不能保存.*应为{word}"):
        coerce(value, kind, table="tasks", column="deadline")


def test_values_read_back_are_plain_on_both_backends():
    assert plain(True) == 1 and plain(dt.date(2023, 5, 1)) == "2023-05-01" and plain(memoryview(b"GP")) == b"GP"
