"""Poverty rates (Hộ nghèo, cận nghèo): poor and near-poor rates under the old and the new criterion, the change
against the previous year and the previous-year rates derived from it, the household review's counts with the
rates they give, and the next year's target expressed as a number of households.

Pure functions over `camgiang_data.load("poverty", year, data_dir)`, returning DataFrames; indicators come from the
catalogue (table `poverty`), so a figure the data lacks for a year is listed with a missing value. Words, tables
and charts: `camgiang_data.present.reports.poverty`.

Formulas (named, tested):
- previous-year rate = rate − stated change (the data's derived rows, formula `prior_from_change`);
- review rate = 100 × households ÷ households reviewed;
- households for a target change = |target change (pp)| × base households ÷ 100, where the base is the review's
  household total; shown exact and rounded to whole households (half up); `households_min` is the smallest whole
  number of households that reaches the change (rounded up);
- rate implied by the target = rate + target change;
- households at a target that sets the rate itself = target rate × base households ÷ 100.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

import camgiang_data as cg
from camgiang_data.analyses._common import clean
from camgiang_data.analyses._common import missing as is_missing
from camgiang_data.paths import resolve_year

TABLE = "poverty"
NAN = float("nan")
MEASURES = ("poor", "near_poor")
CRITERIA = ("old", "new")
BASE_ID = "poverty.surveyed_households"


# ----------------------------------------------------------------------------------------------- data access

def _catalog(data_dir) -> pd.DataFrame:
    catalog = cg.catalog(data_dir)
    return catalog[catalog["table"] == TABLE].set_index("indicator_id")


def _rows(frame: pd.DataFrame, indicator_id: str, year: int, kind: str = "actual") -> pd.DataFrame:
    return frame[(frame["indicator_id"] == indicator_id) & (frame["year"] == year) & (frame["kind"] == kind)]


def _value(frame, indicator_id, year, kind="actual") -> float:
    rows = _rows(frame, indicator_id, year, kind)
    return float(rows["value"].iloc[0]) if len(rows) else NAN


def _field(frame, indicator_id, year, kind, column):
    rows = _rows(frame, indicator_id, year, kind)
    return clean(rows[column].iloc[0]) if len(rows) else None


def _rate_id(measure: str, criterion: str) -> str:
    return f"poverty.{measure}_rate.{criterion}"


def _households_id(measure: str, criterion: str) -> str:
    return f"poverty.{measure}_households.{criterion}"


def round_half_up(value: float) -> int:
    """Whole number, halves rounded up (5,5 → 6), as readers expect."""
    return int(Decimal(repr(float(value))).quantize(Decimal(1), rounding=ROUND_HALF_UP))


# ------------------------------------------------------------------------------------------------ analyses

def rates(year: int | None = None, data_dir=None) -> pd.DataFrame:
    """One row per (measure, criterion): rate of the year, stated change (pp) against the previous year, the
    previous-year rate derived from it (rate − change) with its tolerance, and the households counted."""
    year = resolve_year(year, data_dir)
    data = cg.load(TABLE, year, data_dir)
    catalog = _catalog(data_dir)
    records = []
    for measure in MEASURES:
        for criterion in CRITERIA:
            ident = _rate_id(measure, criterion)
            if ident not in catalog.index:
                continue
            hh = _households_id(measure, criterion)
            records.append({
                "measure": measure, "criterion": criterion, "indicator_id": ident,
                "name_vi": catalog.loc[ident, "name_vi"], "name_en": catalog.loc[ident, "name_en"],
                "year": year, "rate": _value(data, ident, year), "change": _value(data, ident, year, "change"),
                "prior_year": year - 1, "prior_rate": _value(data, ident, year - 1),
                "prior_basis": _field(data, ident, year - 1, "actual", "basis"),
                "prior_tolerance": _field(data, ident, year - 1, "actual", "tolerance"),
                "prior_formula": _field(data, ident, year - 1, "actual", "formula"),
                "households": _value(data, hh, year) if hh in catalog.index else NAN,
                "rate_as_written": _field(data, ident, year, "actual", "as_written"),
                "change_as_written": _field(data, ident, year, "change", "as_written"),
                "quote": _field(data, ident, year, "change", "quote") or _field(data, ident, year, "actual", "quote"),
            })
    return pd.DataFrame.from_records(records)


def prior_rates(year: int | None = None, data_dir=None) -> pd.DataFrame:
    """Per measure, the previous-year rate derived under the old and under the new criterion. There was a single
    previous-year rate, so the two must agree within their rounding tolerance; `agrees` is None when either is
    missing. difference = new − old."""
    frame = rates(year, data_dir)
    records = []
    for measure in MEASURES:
        part = frame[frame["measure"] == measure].set_index("criterion")
        if part.empty:
            continue

        def get(criterion, column):
            return part.loc[criterion, column] if criterion in part.index else None

        old, new = get("old", "prior_rate"), get("new", "prior_rate")
        old = NAN if is_missing(old) else float(old)
        new = NAN if is_missing(new) else float(new)
        tol = sum(float(get(c, "prior_tolerance") or 0.0) for c in CRITERIA)
        difference = NAN if is_missing(old) or is_missing(new) else new - old
        agrees = None if is_missing(difference) else abs(difference) <= tol + 1e-9
        records.append({"measure": measure, "prior_year": int(frame["prior_year"].iloc[0]), "old": old, "new": new,
                        "difference": difference, "tolerance": tol, "agrees": agrees,
                        "old_quote": get("old", "quote"), "new_quote": get("new", "quote")})
    return pd.DataFrame.from_records(records)


def survey(year: int | None = None, data_dir=None) -> pd.DataFrame:
    """The household review: per measure, households found, households reviewed, the rate they give
    (100 × households ÷ reviewed) and the rate the report states alongside (the statement in the same section)."""
    year = resolve_year(year, data_dir)
    data = cg.load(TABLE, year, data_dir)
    facts = cg.load("facts", year, data_dir)
    base = _value(data, BASE_ID, year)
    base_tol = _field(data, BASE_ID, year, "actual", "tolerance") or 0.0
    records = []
    for measure in MEASURES:
        hh_id, rate_id = _households_id(measure, "new"), _rate_id(measure, "new")
        count = _value(data, hh_id, year)
        section = _field(data, hh_id, year, "actual", "section")
        stated_rows = facts[(facts["indicator_id"] == rate_id) & (facts["year"] == year)
                            & (facts["kind"] == "actual") & (facts["basis"] == "stated")]
        same = stated_rows[stated_rows["section"] == section] if section is not None else stated_rows.iloc[0:0]
        chosen = same if len(same) else stated_rows
        stated = float(chosen["value"].iloc[0]) if len(chosen) else NAN
        tol = float(chosen["tolerance"].iloc[0]) if len(chosen) else 0.0
        computed = NAN if is_missing(count) or is_missing(base) or base == 0 else 100.0 * count / base
        difference = NAN if is_missing(computed) or is_missing(stated) else stated - computed
        records.append({"measure": measure, "indicator_id": rate_id, "households": count, "base": base,
                        "computed_rate": computed, "stated_rate": stated, "difference": difference,
                        "agrees": None if is_missing(difference) else abs(difference) <= tol + base_tol + 1e-9,
                        "quote": chosen["quote"].iloc[0] if len(chosen) else None})
    return pd.DataFrame.from_records(records)


def target_households(year: int | None = None, data_dir=None) -> pd.DataFrame:
    """Each poverty-rate target the report sets for year + 1, expressed as households (base: the review's
    household total). A change target (`kind` target_change, pp): exact = |change| × base ÷ 100, `households` =
    exact rounded half up, `households_min` = exact rounded up (the fewest whole households that reach the
    change), `rounded_pp` = 100 × households ÷ base, `target_rate` = this year's rate + change. A level target
    (`kind` target, "dưới 1,2%"): `target_rate` = the rate set, exact = target rate × base ÷ 100 (the households
    at that rate), `households` = exact rounded half up. `criterion_named`: the target's sentence names a
    criterion ("tiêu chí")."""
    year = resolve_year(year, data_dir)
    data = cg.load(TABLE, year, data_dir)
    base = _value(data, BASE_ID, year)
    rows = data[(data["year"] == year + 1) & data["kind"].isin(["target_change", "target"])
                & (data["basis"] == "stated")]
    records = []
    for row in rows.to_dict("records"):
        rate = _value(data, row["indicator_id"], year)
        figures = _change_target if row["kind"] == "target_change" else _level_target
        records.append({
            "indicator_id": row["indicator_id"], "name_vi": row["name_vi"], "name_en": row["name_en"],
            "year": int(row["year"]), "kind": row["kind"], "qualifier": row["qualifier"], "base": base,
            **figures(float(row["value"]), rate, base), "rate": rate,
            "as_written": row["as_written"], "quote": row["quote"],
            "criterion_named": "tiêu chí" in str(row["quote"]).lower()})
    return pd.DataFrame.from_records(records, columns=TARGET_HOUSEHOLD_COLUMNS)


def _change_target(change: float, rate: float, base: float) -> dict:
    """households for a change of the rate: |change| × base ÷ 100, rounded half up and up."""
    exact = NAN if is_missing(base) else abs(change) * base / 100.0
    rounded = NAN if is_missing(exact) else round_half_up(exact)
    return {"change": change, "households_exact": exact, "households": rounded,
            "households_min": NAN if is_missing(exact) else math.ceil(exact - 1e-9),
            "rounded_pp": NAN if is_missing(rounded) or not base else 100.0 * rounded / base,
            "target_rate": NAN if is_missing(rate) else rate + change}


# The columns of target_households, also when the report sets no poverty target.
TARGET_HOUSEHOLD_COLUMNS = ["indicator_id", "name_vi", "name_en", "year", "kind", "qualifier", "base", "change",
                            "households_exact", "households", "households_min", "rounded_pp", "target_rate", "rate",
                            "as_written", "quote", "criterion_named"]


def _level_target(target: float, rate: float, base: float) -> dict:
    """households at the rate set: target × base ÷ 100, rounded half up."""
    exact = NAN if is_missing(base) else target * base / 100.0
    return {"change": NAN, "households_exact": exact, "households": NAN if is_missing(exact) else round_half_up(exact),
            "households_min": NAN, "rounded_pp": NAN, "target_rate": target}


def changes_written_as_percent(frame: pd.DataFrame) -> bool:
    """True when the report prints a change of a rate (`rates`' change_as_written) with a bare "%" rather than as
    percentage points ("điểm %"): the changes are then differences of two rates written like rates."""
    written = [w for w in frame["change_as_written"] if isinstance(w, str)] if len(frame) else []
    return any("%" in w and "điểm" not in w.lower() for w in written)


def compare(year: int | None, compare_year: int, data_dir=None) -> pd.DataFrame:
    """Each rate in `year` and `compare_year`; change = rate − compare rate (pp)."""
    year = resolve_year(year, data_dir)
    now, before = rates(year, data_dir), rates(compare_year, data_dir)
    out = now[["measure", "criterion", "indicator_id", "name_vi", "name_en", "rate"]].merge(
        before[["indicator_id", "rate"]].rename(columns={"rate": "compare_rate"}), on="indicator_id", how="left")
    out["change"] = out["rate"] - out["compare_rate"]
    out["year"], out["compare_year"] = year, compare_year
    return out
