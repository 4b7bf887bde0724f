"""What the analyses share: missing values, one year's figures looked up by indicator, sums and differences that
stay missing when a part is missing, and year-on-year comparison frames. (Table cells and charts:
`camgiang_data.present.reports._common`.)

`missing` differs from `present.fmt.is_missing` on purpose: text that is not a number is *not* missing here, so a
formula handed text fails loudly instead of reading it as "not reported".
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass

import pandas as pd

import camgiang_data as cg
from camgiang_data.paths import resolve_year
from camgiang_data.refs import FactIndex, Ref

NAN = float("nan")


def missing(value) -> bool:
    """True for None, pandas NA and NaN; False for any other value, text included."""
    if value is None or value is pd.NA:
        return True
    try:
        return math.isnan(float(value))
    except (TypeError, ValueError):
        return False


def clean(value):
    """pandas NA / NaN / NaT → None (for text, date and flag fields); other values unchanged."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    return None if isinstance(value, float) and math.isnan(value) else value


@dataclass(frozen=True)
class Figures:
    """One year's facts: the figure of (indicator, year, kind) is its first stated mention, else its derived value
    (`refs.FactIndex`); names and units come from the catalogue."""
    year: int
    index: FactIndex
    catalog: dict
    facts: pd.DataFrame

    def row(self, indicator_id: str, year: int | None = None, kind: str = "actual") -> dict | None:
        return self.index.get(Ref(indicator_id, self.year if year is None else year, kind))

    def value(self, indicator_id: str, year: int | None = None, kind: str = "actual") -> float:
        row = self.row(indicator_id, year, kind)
        return NAN if row is None else float(row["value"])

    def field(self, indicator_id: str, name: str, year: int | None = None, kind: str = "actual"):
        row = self.row(indicator_id, year, kind)
        return None if row is None else clean(row.get(name))

    def names(self, indicator_id: str) -> dict:
        entry = self.catalog.get(indicator_id, {})
        return {"indicator_id": indicator_id, "name_vi": entry.get("name_vi", indicator_id),
                "name_en": entry.get("name_en", indicator_id), "unit": entry.get("unit")}


def figures(year: int | None, data_dir: str | os.PathLike | None) -> Figures:
    """The figures of `year` (default: the latest) in `data_dir` (default: the packaged data)."""
    year = resolve_year(year, data_dir)
    facts = cg.load("facts", year, data_dir)
    catalog = {r["indicator_id"]: r for r in cg.load("catalog", year, data_dir).to_dict("records")}
    return Figures(year, FactIndex(facts), catalog, facts)


def after_colon(name: str) -> str:
    """'Cơ cấu kinh tế: nông nghiệp, thuỷ sản' → 'Nông nghiệp, thuỷ sản' (the part after the colon, capitalised)."""
    part = name.split(": ", 1)[-1]
    return part[:1].upper() + part[1:]


# ----------------------------------------------------------------------------------------------- formulas
def total(values) -> float:
    """Sum of values; NaN when any is missing (a sum with a missing part is not a sum)."""
    values = list(values)
    if not values or any(missing(v) for v in values):
        return NAN
    return float(sum(float(v) for v in values))


def difference(a: float, b: float) -> float:
    """a − b; NaN when either is missing."""
    return NAN if missing(a) or missing(b) else float(a) - float(b)


def ratio(numerator: float, denominator: float) -> float:
    """numerator ÷ denominator; NaN when either is missing or the denominator is 0."""
    if missing(numerator) or missing(denominator) or float(denominator) == 0:
        return NAN
    return float(numerator) / float(denominator)


def percent(part: float, whole: float) -> float:
    """part as % of whole = 100 × part ÷ whole; NaN when either is missing or the whole is 0."""
    if missing(part) or missing(whole) or float(whole) == 0:
        return NAN
    return 100.0 * float(part) / float(whole)


def implied_plan(actual: float, attainment: float) -> float:
    """The plan a stated attainment implies = actual × 100 ÷ attainment (%); NaN when missing or 0."""
    if missing(actual) or missing(attainment) or float(attainment) == 0:
        return NAN
    return float(actual) * 100.0 / float(attainment)


def change_unit(unit: str | None) -> str | None:
    """Changes of a rate in percent are in percentage points."""
    return "pp" if unit == "percent" else unit


# ----------------------------------------------------------------------------------------------- comparison
def actuals(year: int | None, data_dir: str | os.PathLike | None, tables, *, qualifier: bool = True,
            sort: bool = False) -> pd.DataFrame:
    """Every actual figure of `year` in the catalogue's `tables` (catalogue order, or by id with `sort`): names,
    unit, value and, with `qualifier`, the value's qualifier."""
    f = figures(year, data_dir)
    ids = [i for i, entry in f.catalog.items() if entry.get("table") in tables]
    records = []
    for i in sorted(ids) if sort else ids:
        record = {**f.names(i), "value": f.value(i)}
        if qualifier:
            record["qualifier"] = f.field(i, "qualifier")
        records.append(record)
    columns = ["indicator_id", "name_vi", "name_en", "unit", "value"] + (["qualifier"] if qualifier else [])
    return pd.DataFrame.from_records(records, columns=columns)


def compare_frames(current: pd.DataFrame, previous: pd.DataFrame) -> pd.DataFrame:
    """Two `actuals` frames side by side: value, previous value, change (value − previous) and the change's unit."""
    prev = previous.set_index("indicator_id")["value"]
    out = current.copy()
    out["previous"] = [float(prev.get(i, NAN)) for i in out["indicator_id"]]
    out["change"] = [difference(a, b) for a, b in zip(out["value"], out["previous"])]
    out["change_unit"] = [change_unit(u) for u in out["unit"]]
    return out
