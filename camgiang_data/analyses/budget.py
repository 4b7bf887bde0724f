"""Budget balance (Cân đối ngân sách): revenue by source, spending by type, the balance against the reported
carry-over, plan attainment with the plans it implies, and the weight of the balancing transfer from above.

Pure functions over `camgiang_data.load("budget", year, data_dir)`, returning DataFrames and small dataclasses;
every line comes from the catalogue (table `budget`, unit đồng), so a line the data lacks for a year is still
listed, with a missing value. Words, tables and charts: `camgiang_data.present.reports.budget`.

Formulas (named, tested):
- share of a line = 100 × line ÷ total (of revenue, or of spending);
- computed balance = total revenue − total spending, compared with the stated carry-over within the sum of
  the three figures' printed tolerances;
- implied plan = actual × 100 ÷ plan attainment (the data's derived rows, formula `target_from_attainment`);
- dependence on transfers = 100 × balancing transfer ÷ total revenue.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

import camgiang_data as cg
from camgiang_data.analyses._common import missing as is_missing
from camgiang_data.paths import resolve_year
from camgiang_data.topical import parse_dimensions

TABLE = "budget"
UNIT = "VND"
NAN = float("nan")



@dataclass(frozen=True)
class Balance:
    """Revenue − spending against the stated carry-over (`agrees` is None when a figure is missing)."""

    year: int
    revenue: float
    spending: float
    computed: float
    stated: float
    difference: float
    tolerance: float
    agrees: bool | None


@dataclass(frozen=True)
class Dependence:
    """The balancing transfer and the town's own revenue as shares of total revenue (%)."""

    year: int
    total: float
    transfer: float
    transfer_share: float
    own: float
    own_share: float


# ----------------------------------------------------------------------------------------------- data access

def _lines(flow: str, data_dir) -> pd.DataFrame:
    """Catalogue rows of one flow of the budget table (report order), with the `line` dimension as a column."""
    catalog = cg.catalog(data_dir)
    rows = catalog[catalog["table"] == TABLE].copy()
    dims = [parse_dimensions(d) for d in rows["dimensions"]]
    rows["flow"] = [d.get("flow") for d in dims]
    rows["line"] = [d.get("line") for d in dims]
    return rows[(rows["flow"] == flow) & (rows["unit"] == UNIT)].reset_index(drop=True)


def _value(frame: pd.DataFrame, indicator_id: str, year: int, kind: str = "actual", basis: str | None = None):
    rows = frame[(frame["indicator_id"] == indicator_id) & (frame["year"] == year) & (frame["kind"] == kind)]
    if basis is not None:
        rows = rows[rows["basis"] == basis]
    return float(rows["value"].iloc[0]) if len(rows) else NAN


def _row(frame: pd.DataFrame, indicator_id: str, year: int, kind: str = "actual") -> dict | None:
    rows = frame[(frame["indicator_id"] == indicator_id) & (frame["year"] == year) & (frame["kind"] == kind)]
    return rows.iloc[0].to_dict() if len(rows) else None


def _share(part: float, total: float) -> float:
    """share = 100 × part ÷ total; missing when either is missing or the total is zero."""
    if is_missing(part) or is_missing(total) or float(total) == 0:
        return NAN
    return 100.0 * float(part) / float(total)


def _flow(flow: str, year, data_dir) -> pd.DataFrame:
    year = resolve_year(year, data_dir)
    data = cg.load(TABLE, year, data_dir)
    lines = _lines(flow, data_dir)
    total_id = next((i for i, line in zip(lines["indicator_id"], lines["line"]) if line == "total"), None)
    total = _value(data, total_id, year) if total_id else NAN
    records = []
    for item in lines.to_dict("records"):
        value = _value(data, item["indicator_id"], year)
        records.append({
            "indicator_id": item["indicator_id"], "line": item["line"], "name_vi": item["name_vi"],
            "name_en": item["name_en"], "unit": UNIT, "year": year, "value": value,
            "share": _share(value, total),
            "plan_attainment": _value(data, item["indicator_id"], year, "plan_attainment"),
            "plan": _value(data, item["indicator_id"], year, "target", "derived"),
            "is_total": item["line"] == "total",
        })
    frame = pd.DataFrame.from_records(records)
    # report order of the lines, total last
    return pd.concat([frame[~frame["is_total"]], frame[frame["is_total"]]], ignore_index=True)


# ------------------------------------------------------------------------------------------------ analyses

def revenue(year: int | None = None, data_dir=None) -> pd.DataFrame:
    """Each revenue line (report order) and the reported total last: value, share of total revenue (%),
    stated plan attainment (%) and the implied plan (derived) where the report gives an attainment."""
    return _flow("revenue", year, data_dir)


def spending(year: int | None = None, data_dir=None) -> pd.DataFrame:
    """Each spending line and the reported total last: value and share of total spending (%)."""
    return _flow("spending", year, data_dir)


def lines_sum(frame: pd.DataFrame) -> float:
    """Sum of the lines of a `revenue`/`spending` frame (not the total); missing if any line is missing."""
    parts = frame.loc[~frame["is_total"], "value"]
    return NAN if parts.isna().any() or parts.empty else float(parts.sum())


def total(frame: pd.DataFrame) -> float:
    rows = frame.loc[frame["is_total"], "value"]
    return float(rows.iloc[0]) if len(rows) else NAN


def balance(year: int | None = None, data_dir=None) -> Balance:
    """computed = total revenue − total spending, against the stated carry-over to the next year."""
    year = resolve_year(year, data_dir)
    data = cg.load(TABLE, year, data_dir)
    carry_id = next(iter(_lines("balance", data_dir)["indicator_id"]), None)
    values, tolerances = [], []
    for ident in ("budget.revenue.total", "budget.spending.total", carry_id):
        row = _row(data, ident, year) if ident else None
        values.append(NAN if row is None else float(row["value"]))
        tolerances.append(0.0 if row is None or is_missing(row["tolerance"]) else float(row["tolerance"]))
    rev, spend, stated = values
    computed = NAN if is_missing(rev) or is_missing(spend) else rev - spend
    difference = NAN if is_missing(computed) or is_missing(stated) else stated - computed
    tolerance = sum(tolerances)
    agrees = None if is_missing(difference) else abs(difference) <= tolerance + 1e-9 * max(abs(rev), 1.0)
    return Balance(year, rev, spend, computed, stated, difference, tolerance, agrees)


def plans(year: int | None = None, data_dir=None) -> pd.DataFrame:
    """Every budget line with a stated plan attainment: actual, attainment (%), the implied plan
    (actual × 100 ÷ attainment, a derived row of the data) and its range from the attainment's rounding."""
    year = resolve_year(year, data_dir)
    data = cg.load(TABLE, year, data_dir)
    frame = pd.concat([revenue(year, data_dir), spending(year, data_dir)], ignore_index=True)
    frame = frame[frame["plan_attainment"].notna()].copy()
    low, high, formula = [], [], []
    for ident in frame["indicator_id"]:
        row = data[(data["indicator_id"] == ident) & (data["year"] == year) & (data["kind"] == "target")
                   & (data["basis"] == "derived")]
        if len(row):
            value, tol = float(row["value"].iloc[0]), float(row["tolerance"].iloc[0])
            low.append(value - tol)
            high.append(value + tol)
            formula.append(str(row["formula"].iloc[0]))
        else:
            low.append(NAN)
            high.append(NAN)
            formula.append(None)
    frame["plan_low"], frame["plan_high"], frame["formula"] = low, high, formula
    # total first, then the lines, as the report lists them
    frame = pd.concat([frame[frame["is_total"]], frame[~frame["is_total"]]], ignore_index=True)
    return frame[["indicator_id", "name_vi", "name_en", "unit", "value", "plan_attainment", "plan", "plan_low",
                  "plan_high", "formula", "is_total"]]


def dependence(year: int | None = None, data_dir=None) -> Dependence:
    """Share of the balancing transfer from above, and of the town's own balancing revenues, in total revenue."""
    frame = revenue(year, data_dir)
    by_line = dict(zip(frame["line"], frame["value"]))
    tot = by_line.get("total", NAN)
    transfer = by_line.get("balancing_transfer", NAN)
    own = by_line.get("own_balancing", NAN)
    return Dependence(int(frame["year"].iloc[0]), tot, transfer, _share(transfer, tot), own, _share(own, tot))


def next_year_targets(year: int | None = None, data_dir=None) -> pd.DataFrame:
    """Budget targets the report sets for the next year (year + 1), as stated."""
    year = resolve_year(year, data_dir)
    data = cg.load(TABLE, year, data_dir)
    rows = data[(data["year"] == year + 1) & (data["kind"].isin(["target", "target_change"]))
                & (data["basis"] == "stated")]
    return rows[["indicator_id", "name_vi", "name_en", "year", "kind", "value", "unit", "qualifier", "as_written",
                 "quote", "note"]].reset_index(drop=True)


def compare(year: int | None, compare_year: int, data_dir=None) -> pd.DataFrame:
    """Every budget line in `year` and `compare_year`: change = value − compare value, change % = 100 × change ÷
    compare value (missing where either year lacks the figure)."""
    year = resolve_year(year, data_dir)

    def both(y):
        return pd.concat([revenue(y, data_dir), spending(y, data_dir), _carry_frame(y, data_dir)],
                         ignore_index=True)

    now, before = both(year), both(compare_year)
    out = now[["indicator_id", "name_vi", "name_en", "unit", "value"]].merge(
        before[["indicator_id", "value"]].rename(columns={"value": "compare_value"}), on="indicator_id", how="left")
    out["change"] = out["value"] - out["compare_value"]
    out["change_pct"] = [_share(c, b) for c, b in zip(out["change"], out["compare_value"])]
    out.insert(4, "year", year)
    out.insert(5, "compare_year", compare_year)
    return out


def _carry_frame(year, data_dir) -> pd.DataFrame:
    b = balance(year, data_dir)
    lines = _lines("balance", data_dir)
    return pd.DataFrame([{"indicator_id": i, "name_vi": vi, "name_en": en, "unit": UNIT, "value": b.stated}
                         for i, vi, en in zip(lines["indicator_id"], lines["name_vi"], lines["name_en"])])


@dataclass(frozen=True)
class Layout:
    """What the report's own text shows about its budget figures (for the notes that explain them)."""

    carry_over_with_spending: bool  # the carry-over is printed after the spending lines, and they make up the total
    stated_plans: tuple[str, ...]  # budget lines whose plan (target of the year) the report prints itself


def layout(year: int | None = None, data_dir=None) -> Layout:
    """Read from the facts and the report's text, never assumed from the 2021 report: where the carry-over
    stands (after every spending line's sentence, the lines adding up to total spending) and which lines have
    a printed plan."""
    from camgiang_data.checks.provenance import normalise
    from camgiang_data.store import read_year

    year = resolve_year(year, data_dir)
    data = cg.load(TABLE, year, data_dir)
    text = normalise(read_year(year, data_dir).source or "")
    stated = data[(data["year"] == year) & (data["basis"] == "stated")]

    def at(indicator_id: str) -> int:
        rows = stated[(stated["indicator_id"] == indicator_id) & (stated["kind"] == "actual")]
        quote = rows["quote"].iloc[0] if len(rows) else None
        return text.find(normalise(quote)) if isinstance(quote, str) else -1

    spend = spending(year, data_dir)
    carry_id = next(iter(_lines("balance", data_dir)["indicator_id"]), None)
    where = [at(i) for i in spend["indicator_id"] if not is_missing(_value(data, i, year))]
    carry = at(carry_id) if carry_id else -1
    adds_up = not is_missing(lines_sum(spend)) and abs(lines_sum(spend) - total(spend)) <= 1.0
    with_spending = bool(where) and min(where) >= 0 and carry > max(where) and adds_up
    lines = set(revenue(year, data_dir)["indicator_id"]) | set(spend["indicator_id"])
    facts = cg.load("facts", year, data_dir)  # the topical table has no source_year
    own = facts["source_year"].isna() | (facts["source_year"] == year)  # not a target carried in
    plans = facts[(facts["basis"] == "stated") & (facts["year"] == year) & (facts["kind"] == "target") & own
                  & facts["indicator_id"].isin(lines)]
    return Layout(with_spending, tuple(plans["indicator_id"].drop_duplicates()))
