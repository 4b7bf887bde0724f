"""The people's credit fund (Quỹ tín dụng nhân dân): loans, capital, deposits, overdue debt and deposits at the
Co-operative Bank, as of the report's reference date; each with its plan attainment, the plan it implies, the change
from the end of the previous year and the end-of-year value that change implies.

Pure functions over `camgiang_data.load` (`year`, `data_dir`), returning language-neutral DataFrames (names in
`name_vi`/`name_en`) and small dataclasses; a row this module computes carries a `key` instead of a name. Words,
tables and charts: `camgiang_data.present.reports.credit_fund`. A figure the data lacks is NaN ("not reported"),
never zero.

Formulas (named, tested):
- implied plan = actual × 100 ÷ plan attainment (%);
- end of the previous year = actual − stated change (the change is signed); change % = 100 × change ÷ that value;
- overdue share = 100 × overdue debt ÷ loans, rounded half up and cut to the decimals the report prints;
- the rest of a side of the balance = total capital − the items the report lists; share = 100 × item ÷ total capital.
"""

from __future__ import annotations

import datetime as dt
import math
import os
from dataclasses import dataclass

import pandas as pd

from camgiang_data.analyses import _common
from camgiang_data.analyses._common import (compare_frames, difference, figures, implied_plan, missing, percent,
                                            percent as share)

INDICATORS = ["credit_fund.loans_outstanding", "credit_fund.total_capital", "credit_fund.charter_capital",
              "credit_fund.deposits_mobilised", "credit_fund.overdue_debt", "credit_fund.deposits_at_coopbank"]
LOANS, CAPITAL, CHARTER, DEPOSITS, OVERDUE, COOPBANK = INDICATORS
OVERDUE_SHARE = "credit_fund.overdue_debt_share"
DATED = INDICATORS + [OVERDUE_SHARE]  # the figures of the fund's paragraph, all as of its reference date


# ----------------------------------------------------------------------------------------------- formulas
def prior_from_change(actual: float, change: float) -> float:
    """The previous value a stated change implies = actual − change (the change is signed); NaN when missing."""
    return difference(actual, change)


def percent_change(change: float, prior: float) -> float:
    """Relative change in % = 100 × change ÷ previous value; NaN when missing or the previous value is 0."""
    return percent(change, prior)


def remainder(whole: float, parts) -> float:
    """whole − Σ parts; NaN when any is missing."""
    parts = list(parts)
    if missing(whole) or any(missing(p) for p in parts):
        return float("nan")
    return float(whole) - sum(float(p) for p in parts)


# ----------------------------------------------------------------------------------------------- the date
def reference_date(year: int | None = None, data_dir: str | os.PathLike | None = None) -> dt.date | None:
    """The date the fund's figures are as of (the most common ref_date of this year's credit-fund figures)."""
    f = figures(year, data_dir)
    dates = [f.field(i, "ref_date") for i in DATED]
    dates = [d.date() if hasattr(d, "date") else d for d in dates if d is not None]
    return max(set(dates), key=dates.count) if dates else None


def ref_date_lines(year: int | None = None, data_dir: str | os.PathLike | None = None) -> list[str]:
    """The figures whose own sentence prints the reference date (dd/mm/yyyy)."""
    f, date = figures(year, data_dir), reference_date(year, data_dir)
    if date is None:
        return []
    printed = [date.strftime("%d/%m/%Y"), f"{date.day}/{date.month}/{date.year}"]
    return [i for i in DATED if any(d in (f.field(i, "quote") or "") for d in printed)]


@dataclass(frozen=True)
class Reference:
    """The reference date of the fund's figures (None when the data gives none) and where the report prints it:
    `printed` are the figures whose sentence prints it (with their names), of the `dated` figures it applies to."""
    year: int
    date: dt.date | None
    dated: tuple[str, ...]
    printed: tuple[str, ...]
    printed_vi: tuple[str, ...]
    printed_en: tuple[str, ...]

    @property
    def printed_on_some_lines_only(self) -> bool:
        return bool(self.printed) and len(self.printed) < len(self.dated)


def reference(year: int | None = None, data_dir: str | os.PathLike | None = None) -> Reference:
    """The reference date, the figures it applies to and those whose sentence prints it."""
    f = figures(year, data_dir)
    dated = tuple(i for i in DATED if f.field(i, "ref_date") is not None)
    printed = ref_date_lines(year, data_dir)
    names = [f.names(i) for i in printed]
    return Reference(f.year, reference_date(year, data_dir), dated, tuple(printed),
                     tuple(n["name_vi"] for n in names), tuple(n["name_en"] for n in names))


# ----------------------------------------------------------------------------------------------- analyses
def position(year: int | None = None, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Each figure of the fund: value at the reference date, stated plan attainment, the plan it implies, the
    stated change from the end of the previous year, the end-of-year value it implies and the change in %."""
    f = figures(year, data_dir)
    rows = []
    for iid in INDICATORS:
        actual, attainment = f.value(iid), f.value(iid, kind="plan_attainment")
        change = f.value(iid, kind="change")
        prior = prior_from_change(actual, change)
        rows.append({**f.names(iid), "actual": actual, "as_written": f.field(iid, "as_written"),
                     "ref_date": f.field(iid, "ref_date"),
                     "plan_attainment": attainment, "implied_plan": implied_plan(actual, attainment),
                     "change": change, "prior": prior, "change_pct": percent_change(change, prior)})
    return pd.DataFrame.from_records(rows)


@dataclass(frozen=True)
class OverdueShare:
    """The overdue-debt share as stated and as its own figures give it."""
    overdue: float
    loans: float
    stated: float
    computed: float  # 100 × overdue ÷ loans
    decimals: int  # decimals the stated share is printed with
    rounded: float  # computed, rounded half up to `decimals`
    truncated: float  # computed, cut to `decimals`

    @property
    def verdict(self) -> str:
        """agree / truncated / differ / missing."""
        if missing(self.stated) or missing(self.computed):
            return "missing"
        if abs(self.rounded - self.stated) < 1e-9:
            return "agree"
        return "truncated" if abs(self.truncated - self.stated) < 1e-9 else "differ"


def _printed_decimals(written: str) -> int:
    """Decimals of a share as the report writes it ('2,44%' → 2)."""
    digits = written.replace("%", "").strip()
    return len(digits.split(",")[-1]) if "," in digits else len(digits.split(".")[-1]) if "." in digits else 0


def overdue_share(year: int | None = None, data_dir: str | os.PathLike | None = None) -> OverdueShare:
    """100 × overdue ÷ loans against the share the report states, at the decimals it prints."""
    f = figures(year, data_dir)
    overdue, loans, stated = f.value(OVERDUE), f.value(LOANS), f.value(OVERDUE_SHARE)
    decimals = _printed_decimals(f.field(OVERDUE_SHARE, "as_written") or "")
    computed = share(overdue, loans)
    if missing(computed):
        rounded = truncated = float("nan")
    else:
        scale = 10 ** decimals
        rounded = math.floor(computed * scale + 0.5) / scale
        truncated = math.floor(computed * scale) / scale
    return OverdueShare(overdue, loans, stated, computed, decimals, rounded, truncated)


def funds(year: int | None = None, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Sources of funds (the items listed under total capital, the rest, total capital) and uses (loans, deposits
    at the Co-operative Bank, the rest, total capital), each also as a share of the total capital. The rest of a
    side (key `sources_rest` / `uses_rest`) = total capital − the items listed."""
    f = figures(year, data_dir)
    capital = f.value(CAPITAL)
    rows = []
    for side, items, rest_key in (("sources", [CHARTER, DEPOSITS], "sources_rest"),
                                  ("uses", [LOANS, COOPBANK], "uses_rest")):
        values = [f.value(i) for i in items]
        for iid, value in zip(items, values):
            rows.append({**f.names(iid), "side": side, "key": iid, "value": value, "basis": "stated"})
        rows.append({"indicator_id": None, "name_vi": None, "name_en": None, "unit": "VND", "side": side,
                     "key": rest_key, "value": remainder(capital, values), "basis": "computed"})
        rows.append({**f.names(CAPITAL), "side": side, "key": CAPITAL, "value": capital, "basis": "stated"})
    frame = pd.DataFrame.from_records(rows)
    frame["share_of_capital"] = [share(v, capital) for v in frame["value"]]
    return frame


def actuals(year: int | None = None, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Every actual figure of the fund for the year, for comparison with another year."""
    return _common.actuals(year, data_dir, ("credit_fund",), qualifier=False)


def compare(year: int | None, compare_year: int, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Every actual figure of the fund in `year` and `compare_year`: change = value − previous value."""
    return compare_frames(actuals(year, data_dir), actuals(compare_year, data_dir))
