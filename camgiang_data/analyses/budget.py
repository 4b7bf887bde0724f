"""Budget balance (Cân đối ngân sách): revenue by source, spending by type, the balance against the reported
carry-over, plan attainment with the plans it implies, and the weight of the balancing transfer from above.

Pure functions over `camgiang_data.load("budget", year, data_dir)`; every line comes from the catalogue (table
`budget`, unit đồng), so a line the data lacks for a year is still listed, with a missing value.

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
from camgiang_data.analyses._common import Chart, cell, name_col
from camgiang_data.paths import resolve_year
from camgiang_data.present import charts
from camgiang_data.present.fmt import format_money_short, format_value, is_missing
from camgiang_data.present import messages
from camgiang_data.present.i18n import t
from camgiang_data.topical import parse_dimensions

TABLE = "budget"
UNIT = "VND"
NAN = float("nan")

TEXT = messages.report("budget")  # words for readers: camgiang_data/messages/reports/budget.toml
TITLE = TEXT["title"]


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


# ------------------------------------------------------------------------------------------------------ text

def _money(value, lang: str) -> str:
    return format_value(value, UNIT, lang)


def _pct(value, lang: str, decimals: int | None = 1) -> str:
    return format_value(value, "percent", lang, decimals)


def intro(year: int | None, lang: str, data_dir=None) -> str:
    return t("intro", lang, TEXT, year=resolve_year(year, data_dir))


def summary_text(year: int | None = None, lang: str = "vi", data_dir=None) -> str:
    """One sentence with the headline numbers (for the index page)."""
    rev = revenue(year, data_dir)
    b = balance(year, data_dir)
    dep = dependence(year, data_dir)
    attainment = rev.loc[rev["is_total"], "plan_attainment"]
    return t("summary", lang, TEXT, year=b.year, next_year=b.year + 1, revenue=_money(b.revenue, lang),
             attainment=_pct(attainment.iloc[0] if len(attainment) else NAN, lang, None),
             spending=_money(b.spending, lang), carry=_money(b.stated, lang),
             transfer_share=_pct(dep.transfer_share, lang))


def balance_text(b: Balance, lang: str) -> str:
    if b.agrees is None:
        missing = [t(k, lang, TEXT) for k, v in (("b_revenue", b.revenue), ("b_spending", b.spending),
                                                  ("b_stated", b.stated)) if is_missing(v)]
        return t("balance_missing", lang, TEXT, missing=", ".join(missing))
    key = "balance_agree" if b.agrees else "balance_disagree"
    return t(key, lang, TEXT, computed=_money(b.computed, lang), stated=_money(b.stated, lang),
             difference=format_value(b.difference, UNIT, lang, signed=True), next_year=b.year + 1)


def dependence_text(d: Dependence, lang: str) -> str:
    return t("dependence", lang, TEXT, transfer=_money(d.transfer, lang), share=_pct(d.transfer_share, lang),
             total=_money(d.total, lang), own=_money(d.own, lang), own_share=_pct(d.own_share, lang))


def next_year_text(frame: pd.DataFrame, year: int, lang: str) -> list[str]:
    """One sentence per budget target of year + 1 (or one saying there is none)."""
    if frame.empty:
        return [t("next_none", lang, TEXT, year=year + 1)]
    out = []
    for row in frame.to_dict("records"):
        qualifier = row["qualifier"] if isinstance(row["qualifier"], str) else None
        value = format_value(row["value"], row["unit"], lang, qualifier=qualifier)
        out.append(t("next_target", lang, TEXT, year=row["year"], prev=year, value=value))
    return out


def _label(row: dict, lang: str) -> str:
    return t("total_row", lang, TEXT) if row.get("is_total") else row[name_col(lang)]


def flow_table(frame: pd.DataFrame, lang: str):
    """(rows, columns) for `present.show_table`: line, amount, share, stated attainment."""
    share_key = "col_share_rev" if frame["indicator_id"].str.startswith("budget.revenue").any() else "col_share_spend"
    rows = [{**r, "label": _label(r, lang)} for r in frame.to_dict("records")]
    columns = [("label", t("col_line", lang, TEXT), None), ("value", t("col_amount", lang, TEXT), cell(lang, UNIT)),
               ("share", t(share_key, lang, TEXT), cell(lang, "percent", decimals=1))]
    if frame["plan_attainment"].notna().any():
        columns.append(("plan_attainment", t("col_attainment", lang, TEXT),
                        lambda v, r: "" if is_missing(v) else format_value(v, "percent", lang)))
    return rows, columns


def flow_caption(frame: pd.DataFrame, lang: str) -> str:
    key = "cap_revenue" if frame["indicator_id"].str.startswith("budget.revenue").any() else "cap_spending"
    return t(key, lang, TEXT, sum=_money(lines_sum(frame), lang), total=_money(total(frame), lang))


def balance_table(b: Balance, lang: str):
    rows = [{"label": t(k, lang, TEXT), "value": v} for k, v in (
        ("b_revenue", b.revenue), ("b_spending", b.spending), ("b_computed", b.computed), ("b_stated", b.stated),
        ("b_difference", b.difference))]
    return rows, [("label", t("col_item", lang, TEXT), None),
                  ("value", t("col_amount", lang, TEXT), cell(lang, UNIT))]


def plan_table(frame: pd.DataFrame, lang: str):
    rows = [{**r, "label": r[name_col(lang)]} for r in frame.to_dict("records")]

    def plan_range(value, row):
        if is_missing(row["plan_low"]) or is_missing(row["plan_high"]):
            return t("not_reported", lang)
        return f"{format_money_short(row['plan_low'], lang)} – {format_money_short(row['plan_high'], lang)}"

    return rows, [("label", t("col_line", lang, TEXT), None),
                  ("value", t("col_actual", lang, TEXT), cell(lang, UNIT)),
                  ("plan_attainment", t("col_attainment", lang, TEXT), cell(lang, "percent")),
                  ("plan", t("col_plan", lang, TEXT), lambda v, r: format_money_short(v, lang)),
                  ("plan_low", t("col_plan_range", lang, TEXT), plan_range)]


def plan_caption(frame: pd.DataFrame, lang: str) -> str:
    """The implied plans of the lines against the implied total plan (rule budget.revenue_plan_parts)."""
    revenue_rows = frame[frame["indicator_id"].str.startswith("budget.revenue")]
    parts = revenue_rows.loc[~revenue_rows["is_total"], "plan"]
    tot = revenue_rows.loc[revenue_rows["is_total"], "plan"]
    return t("cap_plan", lang, TEXT, parts=format_money_short(parts.sum() if len(parts) else NAN, lang),
             total=format_money_short(tot.iloc[0] if len(tot) else NAN, lang))


def heading(key: str, lang: str, **values) -> str:
    """A section heading (escaped HTML) for `present.show`."""
    import html

    return f"<h2>{html.escape(t(key, lang, TEXT, **values))}</h2>"


def compare_table(frame: pd.DataFrame, lang: str):
    year, other = int(frame["year"].iloc[0]), int(frame["compare_year"].iloc[0])
    rows = [{**r, "label": r[name_col(lang)]} for r in frame.to_dict("records")]
    return rows, [("label", t("col_line", lang, TEXT), None),
                  ("value", t("col_compare", lang, TEXT, year=year), cell(lang, UNIT)),
                  ("compare_value", t("col_compare", lang, TEXT, year=other), cell(lang, UNIT)),
                  ("change", t("col_change", lang, TEXT), cell(lang, UNIT, signed=True)),
                  ("change_pct", t("col_change_pct", lang, TEXT), cell(lang, "percent", decimals=1, signed=True))]


# ---------------------------------------------------------------------------------------------------- charts

def _alt(title: str, labels: list[str], values: list, lang: str) -> str:
    items = "; ".join(f"{label}: {_money(v, lang)}" for label, v in zip(labels, values))
    return t("alt_bars", lang, TEXT, title=title, items=items)


def flow_chart(frame: pd.DataFrame, lang: str) -> Chart:
    """Bars of the lines (not the total), each labelled with its share of the total."""
    lines = frame[~frame["is_total"]]
    revenue_side = lines["indicator_id"].str.startswith("budget.revenue").any()
    labels = [f"{r[name_col(lang)]} ({_pct(r['share'], lang)})" for r in lines.to_dict("records")]
    values = list(lines["value"])
    title = t("ch_revenue" if revenue_side else "ch_spending", lang, TEXT, year=int(frame["year"].iloc[0]))
    fig = charts.bar_chart(_wrap_all(labels), values, UNIT, lang, title, t("axis_vnd", lang, TEXT))
    caption = t("cap_chart_missing", lang, TEXT) if any(is_missing(v) for v in values) else None
    return Chart(fig, _alt(title, labels, values, lang), caption)


def balance_chart(b: Balance, lang: str) -> Chart:
    labels = [t("b_revenue", lang, TEXT), t("b_spending", lang, TEXT), t("b_stated", lang, TEXT)]
    values = [b.revenue, b.spending, b.stated]
    title = t("ch_balance", lang, TEXT, year=b.year)
    fig = charts.bar_chart(_wrap_all(labels), values, UNIT, lang, title, t("axis_vnd", lang, TEXT), highlight={2})
    return Chart(fig, _alt(title, labels, values, lang), balance_text(b, lang))


def _wrap_all(labels: list[str], width: int = 34) -> list[str]:
    import textwrap

    return ["\n".join(textwrap.wrap(label, width)) or label for label in labels]
