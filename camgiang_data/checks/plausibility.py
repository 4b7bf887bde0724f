"""Plausibility: every stated value inside the range its unit allows, or the range its indicator declares.

A figure that passes provenance can still be impossible: a share of 181,5 %, a negative count of households,
2,5 schools. Each unit's dimension says what a level (actual or target) may be; a plan attainment may pass
100 %; a change may be negative. An indicator whose levels leave its unit's default range (a growth rate below
zero) says so in the catalogue's `value_range` column (`LOW..HIGH`, either side open: `-100..`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pandas as pd

from .. import units
from ..errors import Problem, ProblemList
from ..store import YearData

INF = math.inf
RANGE = re.compile(r"(?P<low>-?\d+(?:\.\d+)?)?\.\.(?P<high>-?\d+(?:\.\d+)?)?")


@dataclass(frozen=True)
class Range:
    low: float
    high: float
    whole: bool
    what: str  # how the expectation reads: "a share in percent"
    least: float = 0.0  # a value other than 0 is at least this far from 0 (an amount in đồng: 1 000)

    def holds(self, value: float) -> bool:
        return (self.low <= value <= self.high and (not self.whole or float(value).is_integer())
                and not 0 < abs(value) < self.least)

    def text(self) -> str:
        kind = "a whole number" if self.whole else "a value"
        if self.low == -INF and self.high == INF:
            bounds = ""
        elif self.high == INF:
            bounds = f" of at least {_num(self.low)}"
        elif self.low == -INF:
            bounds = f" of at most {_num(self.high)}"
        else:
            bounds = f" from {_num(self.low)} to {_num(self.high)}"
        return f"{kind}{bounds} ({self.what})"


def _num(x: float) -> str:
    return f"{x:g}"


def parse_range(text: str) -> tuple[float, float]:
    """`LOW..HIGH` with either side open; ValueError when malformed or reversed."""
    m = RANGE.fullmatch(text.strip())
    if not m:
        raise ValueError(f"{text!r} is not a range LOW..HIGH (e.g. 0..100, -100.., ..5)")
    low = float(m["low"]) if m["low"] is not None else -INF
    high = float(m["high"]) if m["high"] is not None else INF
    if low > high:
        raise ValueError(f"{text!r}: the low end is above the high end")
    return low, high


# No commune's figure in đồng is a few hundred đồng: such a value is an amount whose unit was lost
MONEY_LEAST = 1000.0


def allowed(kind: str, unit: str, declared: str | None = None) -> Range | None:
    """The range a value of this kind in this unit may take (None: unknown unit, nothing to say)."""
    if unit not in units.UNITS:
        return None
    dimension = units.unit(unit).dimension
    whole = dimension in ("count", "ordinal")
    if kind == "plan_attainment":
        return Range(0, INF, False, "a plan attainment in percent: it may pass 100")
    if kind in ("change", "target_change"):
        if unit == "pp":
            return Range(-100, 100, False, "a change of a rate, in percentage points")
        if unit == "percent":
            return Range(-100, INF, False, "a change in percent: a fall cannot pass 100 %")
        if dimension == "money":
            return Range(-INF, INF, False, f"a change in {unit} of 0 or at least {_num(MONEY_LEAST)} đồng",
                         MONEY_LEAST)
        return Range(-INF, INF, whole, f"a change in {unit}")
    if declared:
        low, high = parse_range(declared)
        return Range(low, high, whole, f"{unit}, as catalog.csv's value_range {declared} declares")
    if unit == "percent":
        return Range(0, 100, False, "a share or rate in percent; an indicator that may leave 0-100 declares "
                                    "a value_range in catalog.csv")
    if unit == "pp":
        return Range(-100, 100, False, "percentage points")
    if dimension == "count":
        return Range(0, INF, True, f"a count of {unit}")
    if dimension == "ordinal":
        return Range(0, INF, True, "a level")
    if dimension == "money":
        return Range(0, INF, False, f"an amount in {unit}: 0 or at least {_num(MONEY_LEAST)} đồng (an amount "
                                    "printed in tỷ or triệu and read without its unit would be smaller)", MONEY_LEAST)
    return Range(0, INF, False, f"an amount in {unit}; an indicator that may be negative declares a value_range "
                                "in catalog.csv")


def check_catalog_ranges(catalog: pd.DataFrame, label: str) -> list[Problem]:
    problems = ProblemList()
    if "value_range" not in catalog:
        return []
    files = catalog["_file"] if "_file" in catalog else [label] * len(catalog)
    for row, text, file in zip(catalog["_row"], catalog["value_range"], files):
        if isinstance(text, str) and text:
            try:
                parse_range(text)
            except ValueError as exc:
                problems.add(file=file, row=int(row), column="value_range", expected="a range LOW..HIGH",
                             found=text, hint=str(exc), check="plausibility")
    return problems.items


def check_plausibility(data: YearData) -> list[Problem]:
    """Each filled stated value inside its range (catalogue ranges must themselves be well formed)."""
    problems = ProblemList()
    catalog = data.catalog
    declared = {}
    if "value_range" in catalog:
        declared = {i: r for i, r in zip(catalog["indicator_id"], catalog["value_range"]) if isinstance(r, str) and r}
    label = data.label("facts.csv")
    facts = data.facts
    for row, indicator, kind, unit, value in zip(facts["_row"], facts["indicator_id"], facts["kind"], facts["unit"],
                                                 facts["value"]):
        if pd.isna(value) or not isinstance(unit, str) or not isinstance(kind, str):
            continue
        try:
            rng = allowed(kind, unit, declared.get(indicator))
        except ValueError:
            continue  # a malformed value_range is reported once, against catalog.csv
        if rng is not None and not rng.holds(float(value)):
            problems.add(file=label, row=int(row), column="value", expected=rng.text(), found=f"{value:g}",
                         hint=f"{indicator} ({kind})", check="plausibility")
    return problems.items
