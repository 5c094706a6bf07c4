"""Period means of stored measurements by 《地表水环境质量监测数据统计技术规定（试行）》(2020).

The rule sets are kept apart (:data:`RULE_SETS`):

* **自动监测** (automatic stations, 9 items: 水温, pH, 溶解氧, 电导率, 浊度, 高锰酸盐指数, 氨氮, 总磷,
  总氮; 叶绿素a and 藻密度 where the station has them): a reading is classed at the precision of
  one reading; the **day** is the mean of the day's valid readings, the **month** the mean of its
  days;
* **手工监测** (manual sampling, the 21 evaluated items of GB 3838 表1 plus 总氮/粪大肠菌群 reported
  apart): the month is the mean of its samples (normally one);
* **融合** (both in one month): for pH, 溶解氧, 高锰酸盐指数, 氨氮, 总磷 and 总氮 the automatic
  result is used when it exists, every other item comes from manual sampling (“如果有pH值、
  溶解氧、高锰酸盐指数、氨氮、总磷、总氮自动数据，则优先采用自动数据”).

Across all of them: a result below the detection limit counts as half the limit and a mean of
only such results is “未检出” at the largest limit; pH is averaged through H⁺; the year (and the
year-to-date 累计, 1–N 月) is the mean of the monthly means, each month counting once; means
are rounded to the evaluation decimals only when they are classed. A site-year with real
results is computed from real results only: sample months (示例数据（非实测）) of that year are
left out and counted (``sample_months_ignored``), and every period says how many months (and
readings) it rests on.

The work is vectorised (pandas group-bys), so a year of four-hourly readings of a hundred
stations (1.3 million values) is reduced in seconds; only the (site, period) results are
classed one by one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from geodata.quality.limits import NAMED, Limit
from geodata.quality.values import Measurement

AUTO_ITEMS = ("WT", "pH", "DO", "EC", "NTU", "CODMn", "NH3-N", "TP", "TN")
AUTO_PREFERRED = ("pH", "DO", "CODMn", "NH3-N", "TP", "TN")
SOURCE = "《地表水环境质量监测数据统计技术规定（试行）》（环办监测函〔2020〕82号）"


@dataclass(frozen=True)
class RuleSet:
    """How one kind of monitoring is turned into period values (shown with every evaluation)."""

    key: str
    label: str
    items: tuple[str, ...]
    reading_precision: str  # "hourly" | "evaluation"
    description: str


RULE_SETS = {
    "auto": RuleSet("auto", "自动监测", AUTO_ITEMS, "hourly",
                    "自动站 9 项（水温、pH、溶解氧、电导率、浊度、高锰酸盐指数、氨氮、总磷、总氮）：单次读数按小时数据修约后评价；"
                    "日均值取当日有效读数的均值，月均值取各日均值的均值。"),
    "manual": RuleSet("manual", "手工监测", tuple(r.code for r in NAMED["surface"] if r.evaluated) + ("TN", "FC"),
                      "evaluation", "手工监测 21 项（GB 3838-2002 表1 除水温、总氮、粪大肠菌群）：月均值取当月各次监测的均值。"),
    "fused": RuleSet("fused", "自动+手工", AUTO_PREFERRED, "evaluation",
                     "同月既有自动又有手工数据时，pH、溶解氧、高锰酸盐指数、氨氮、总磷、总氮优先采用自动数据，其余项目采用手工数据。"),
}
METHOD_LABELS = {"auto": "自动监测", "manual": "手工监测", "auto+manual": "自动+手工（融合）"}


def _limits(standard: str) -> dict[str, Limit]:
    return {row.code: row for row in NAMED[standard]}


@dataclass
class Prepared:
    """Valid values after sample and method selection, with what was set aside."""

    values: pd.DataFrame  # site_id, date, month, year, item, value, below, dl_source, method, is_sample, waterbody
    statuses: pd.DataFrame  # site_id, month, year, status (rows without values)
    sample_months_ignored: set[tuple[str, str]]  # (site, month) whose sample values were left out


def prepare(m: pd.DataFrame) -> Prepared:
    """Select the values the statistics use (see the module doc)."""
    frame = m.copy()
    frame["date"] = frame["date"].astype(str)
    frame["month"] = frame["date"].str[:7]
    frame["year"] = frame["date"].str[:4].astype(int)
    frame["is_sample"] = pd.to_numeric(frame["is_sample"], errors="coerce").fillna(0).astype(int)
    for col, default in (("method", "manual"), ("waterbody", ""), ("detection_source", ""), ("time", "")):
        if col not in frame:
            frame[col] = default
        frame[col] = frame[col].fillna(default).astype(str).replace("None", default)
    frame["method"] = frame["method"].replace("", "manual")
    is_status = frame["item"] == "status"
    statuses = frame.loc[is_status, ["site_id", "month", "year", "status", "is_sample"]]
    values = frame[~is_status & frame["value"].notna()].copy()
    values["value"] = values["value"].astype(float)
    values["below"] = pd.to_numeric(values["below_detection"], errors="coerce").fillna(0).astype(int).astype(bool)
    # a site-year with real results: its sample months are left out
    real = values.loc[values["is_sample"] == 0, ["site_id", "year"]].drop_duplicates()
    real["_real"] = True
    values = values.merge(real, on=["site_id", "year"], how="left")
    dropped = values[(values["is_sample"] == 1) & values["_real"].fillna(False).astype(bool)]
    ignored = set(zip(dropped["site_id"].astype(str), dropped["month"], strict=True))
    values = values[~((values["is_sample"] == 1) & values["_real"].fillna(False).astype(bool))].drop(columns="_real")
    statuses = statuses[statuses["is_sample"] == 0] if len(statuses) else statuses
    # fusion: an automatic result of a preferred item replaces the manual one of that month
    auto = values.loc[(values["method"] == "auto") & values["item"].isin(AUTO_PREFERRED), ["site_id", "month", "item"]]
    if len(auto) and (values["method"] != "auto").any():
        auto = auto.drop_duplicates().assign(_auto=True)
        values = values.merge(auto, on=["site_id", "month", "item"], how="left")
        values = values[~((values["method"] != "auto") & values["_auto"].fillna(False).astype(bool))].drop(columns="_auto")
    keep = ["site_id", "date", "time", "month", "year", "item", "value", "below", "detection_source", "method",
            "is_sample", "waterbody"]
    return Prepared(values[keep].reset_index(drop=True), statuses.reset_index(drop=True), ignored)


def _effective(values: pd.DataFrame) -> pd.Series:
    """The number that is averaged: half the limit for undetected results, H⁺ for pH."""
    eff = np.where(values["below"], values["value"] / 2.0, values["value"])
    is_ph = values["item"] == "pH"
    eff = np.where(is_ph, np.power(10.0, -values["value"].to_numpy()), eff)
    return pd.Series(eff, index=values.index)


def _reduce(frame: pd.DataFrame, keys: list[str], eff: str, count: str) -> pd.DataFrame:
    """Mean of ``eff`` per ``keys``; a group of only undetected inputs stays undetected."""
    grouped = frame.groupby(keys, sort=True)
    out = grouped.agg(
        _sum=(eff, "sum"), n=(eff, "size"), n_below=("below", "sum"), max_dl=("_dl", "max"),
        is_sample=("is_sample", "max"), readings=(count, "sum"),
    ).reset_index()
    out["mean"] = out["_sum"] / out["n"]
    out["below"] = out["n_below"] == out["n"]
    out["_dl"] = np.where(out["below"], out["max_dl"], np.nan)
    out["_next"] = np.where(out["below"], out["max_dl"] / 2.0, out["mean"])
    return out.drop(columns=["_sum", "n_below", "max_dl"])


def _methods(v: pd.DataFrame) -> pd.DataFrame:
    """Per site and month, the methods its readings came by, sorted and joined ("auto+manual"). Built one
    method at a time (there are few), not one group at a time: national stores have ~10⁵ site-months."""
    seen = pd.crosstab([v["site_id"], v["month"]], v["method"].astype(str)) > 0
    joined = pd.Series("", index=seen.index, dtype=object)
    for name in sorted(seen.columns):
        joined = joined + np.where(seen[name], name + "+", "")
    return joined.str[:-1].rename("methods").reset_index()


def monthly(prepared: Prepared) -> pd.DataFrame:
    """One row per site, month and item: the month mean (``value``), undetected flag, days, readings."""
    v = prepared.values
    if v.empty:
        return pd.DataFrame(columns=["site_id", "month", "year", "item", "eff", "value", "below", "days", "readings",
                                     "is_sample", "methods"])
    v = v.assign(_eff=_effective(v), _dl=np.where(v["below"], v["value"], np.nan), _one=1)
    day = _reduce(v, ["site_id", "date", "item"], "_eff", "_one")
    day["month"] = day["date"].str[:7]
    day = day.rename(columns={"_next": "_deff", "readings": "_readings"})
    month = _reduce(day.assign(below=day["below"]), ["site_id", "month", "item"], "_deff", "_readings")
    month = month.rename(columns={"n": "days"})
    month["year"] = month["month"].str[:4].astype(int)
    month = month.merge(_methods(v), on=["site_id", "month"], how="left")
    month["eff"] = month["_next"]
    month["value"] = np.where(month["below"], month["_dl"], month["mean"])
    return month[["site_id", "month", "year", "item", "eff", "value", "below", "days", "readings", "is_sample", "methods"]]


def over_months(month: pd.DataFrame, months: list[str] | None = None) -> pd.DataFrame:
    """One row per site and item: the mean of the monthly means of ``months`` (all when None)."""
    frame = month if months is None else month[month["month"].isin(months)]
    if frame.empty:
        return pd.DataFrame(columns=["site_id", "item", "eff", "value", "below", "months", "readings", "is_sample"])
    frame = frame.assign(_dl=np.where(frame["below"], frame["value"], np.nan))
    out = _reduce(frame, ["site_id", "item"], "eff", "readings").rename(columns={"n": "months"})
    out["eff"] = out["_next"]
    out["value"] = np.where(out["below"], out["_dl"], out["mean"])
    return out[["site_id", "item", "eff", "value", "below", "months", "readings", "is_sample"]]


def measurements_of(rows: pd.DataFrame, standard: str = "surface") -> dict[str, dict[str, Measurement]]:
    """site → {item code → the period's Measurement} from :func:`monthly` / :func:`over_months` rows.

    pH is turned back from H⁺ into pH (the mean of the H⁺ concentrations).
    """
    out: dict[str, dict[str, Measurement]] = {}
    for site, item, eff, value, below in zip(rows["site_id"], rows["item"], rows["eff"], rows["value"], rows["below"],
                                             strict=True):
        if item == "pH":
            number = -math.log10(eff) if eff and eff > 0 else float("nan")
            out.setdefault(str(site), {})[item] = Measurement(number)
            continue
        out.setdefault(str(site), {})[str(item)] = Measurement(float(value), bool(below))
    return out


def methods_label(methods: set[str]) -> str:
    parts = set()
    for m in methods:
        parts |= set(str(m).split("+"))
    if parts >= {"auto", "manual"}:
        return "auto+manual"
    return "auto" if "auto" in parts else "manual"
