"""The people's credit fund (Quỹ tín dụng nhân dân): loans, capital, deposits, overdue debt and deposits at the
Co-operative Bank, as of the report's reference date; each with its plan attainment, the plan it implies, the change
from the end of the previous year and the end-of-year value that change implies.

Pure functions over `camgiang_data.load` (`year`, `data_dir`); language-neutral frames with `name_vi`/`name_en`;
words a reader sees are in `TEXT`. A figure the data lacks is NaN ("not reported"), never zero.
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
from camgiang_data.paths import resolve_year
from camgiang_data.present import charts
from camgiang_data.present import heading as present_heading
from camgiang_data.present.fmt import format_money_short, format_value
from camgiang_data.present import messages
from camgiang_data.present.i18n import t

TEXT = messages.report("credit_fund")  # words for readers: camgiang_data/messages/reports/credit_fund.toml
TITLE = TEXT["title"]

INDICATORS = ["credit_fund.loans_outstanding", "credit_fund.total_capital", "credit_fund.charter_capital",
              "credit_fund.deposits_mobilised", "credit_fund.overdue_debt", "credit_fund.deposits_at_coopbank"]
LOANS, CAPITAL, CHARTER, DEPOSITS, OVERDUE, COOPBANK = INDICATORS
OVERDUE_SHARE = "credit_fund.overdue_debt_share"


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


# ----------------------------------------------------------------------------------------------- analyses
def reference_date(year: int | None = None, data_dir: str | os.PathLike | None = None) -> dt.date | None:
    """The date the fund's figures are as of (the most common ref_date of this year's credit-fund figures)."""
    f = figures(year, data_dir)
    dates = [f.field(i, "ref_date") for i in INDICATORS + [OVERDUE_SHARE]]
    dates = [d.date() if hasattr(d, "date") else d for d in dates if d is not None]
    return max(set(dates), key=dates.count) if dates else None


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


def overdue_share(year: int | None = None, data_dir: str | os.PathLike | None = None) -> OverdueShare:
    f = figures(year, data_dir)
    overdue, loans, stated = f.value(OVERDUE), f.value(LOANS), f.value(OVERDUE_SHARE)
    written = f.field(OVERDUE_SHARE, "as_written") or ""
    digits = written.replace("%", "").strip()
    decimals = len(digits.split(",")[-1]) if "," in digits else len(digits.split(".")[-1]) if "." in digits else 0
    computed = share(overdue, loans)
    if missing(computed):
        rounded = truncated = float("nan")
    else:
        scale = 10 ** decimals
        rounded = math.floor(computed * scale + 0.5) / scale
        truncated = math.floor(computed * scale) / scale
    return OverdueShare(overdue, loans, stated, computed, decimals, rounded, truncated)


def overdue_table(year: int | None = None, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    o = overdue_share(year, data_dir)
    rows = [{"key": "overdue_stated", "value": o.stated, "decimals": None},
            {"key": "overdue_computed", "value": o.computed, "decimals": 3},
            {"key": "overdue_rounded", "value": o.rounded, "decimals": o.decimals}]
    for row in rows:
        for lang in ("vi", "en"):
            row[f"name_{lang}"] = TEXT[row["key"]][lang].format(decimals=o.decimals)
    return pd.DataFrame.from_records(rows)


def funds(year: int | None = None, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Sources of funds (total capital, the items listed under it, the rest) and uses (loans, deposits at the
    Co-operative Bank, the rest), each item also as a share of the total capital."""
    f = figures(year, data_dir)
    capital = f.value(CAPITAL)
    rows = []
    for side, items, rest_key in (("sources", [CHARTER, DEPOSITS], "sources_rest"),
                                  ("uses", [LOANS, COOPBANK], "uses_rest")):
        values = [f.value(i) for i in items]
        for iid, value in zip(items, values):
            rows.append({**f.names(iid), "side": side, "key": iid, "value": value, "basis": "stated"})
        rows.append({"indicator_id": None, "name_vi": TEXT[rest_key]["vi"], "name_en": TEXT[rest_key]["en"],
                     "unit": "VND", "side": side, "key": rest_key, "value": remainder(capital, values),
                     "basis": "computed"})
        rows.append({**f.names(CAPITAL), "side": side, "key": CAPITAL, "value": capital, "basis": "stated"})
    frame = pd.DataFrame.from_records(rows)
    frame["share_of_capital"] = [share(v, capital) for v in frame["value"]]
    frame["side_vi"] = [TEXT[s]["vi"] for s in frame["side"]]
    frame["side_en"] = [TEXT[s]["en"] for s in frame["side"]]
    return frame


def actuals(year: int | None = None, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Every actual figure of the fund for the year, for comparison with another year."""
    return _common.actuals(year, data_dir, ("credit_fund",), qualifier=False)


def compare(year: int | None, compare_year: int, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    return compare_frames(actuals(year, data_dir), actuals(compare_year, data_dir))


# ----------------------------------------------------------------------------------------------- text
def _t(key: str, lang: str, **values) -> str:
    return t(key, lang, TEXT, **values)


def format_date(value, lang: str) -> str:
    """30/11/2021 (vi) or 30 November 2021 (en); a missing date → 'not stated'."""
    if value is None or value is pd.NaT:
        return _t("ref_date_none", lang)
    from babel.dates import format_date as babel_date
    value = value.date() if hasattr(value, "date") else value
    return babel_date(value, format="dd/MM/yyyy" if lang == "vi" else "d MMMM y", locale=lang)


def _change_words(change, lang: str) -> str:
    if missing(change):
        return t("not_reported", lang)
    return _t("decrease" if change < 0 else "increase", lang, amount=format_money_short(abs(change), lang))


def date_text(year: int | None = None, data_dir: str | os.PathLike | None = None, lang: str = "vi") -> str:
    return format_date(reference_date(year, data_dir), lang)


def summary_text(year: int | None = None, data_dir: str | os.PathLike | None = None, lang: str = "vi") -> str:
    """One sentence with the headline numbers."""
    p = position(year, data_dir).set_index("indicator_id")
    o = overdue_share(year, data_dir)
    pct = lambda v: format_value(v, "percent", lang)  # noqa: E731
    return _t("summary", lang, date=date_text(year, data_dir, lang), prior=resolve_year(year, data_dir) - 1,
              loans=format_money_short(p.loc[LOANS, "actual"], lang), loans_pct=pct(p.loc[LOANS, "plan_attainment"]),
              loans_change=_change_words(p.loc[LOANS, "change"], lang),
              capital=format_money_short(p.loc[CAPITAL, "actual"], lang),
              capital_pct=pct(p.loc[CAPITAL, "plan_attainment"]),
              deposits=format_money_short(p.loc[DEPOSITS, "actual"], lang),
              deposits_pct=pct(p.loc[DEPOSITS, "plan_attainment"]),
              overdue=format_money_short(o.overdue, lang), overdue_share=format_value(o.rounded, "percent", lang),
              overdue_stated=pct(o.stated))


def overdue_note(year: int | None = None, data_dir: str | os.PathLike | None = None, lang: str = "vi") -> str:
    o = overdue_share(year, data_dir)
    if o.verdict == "missing":
        return _t("overdue_note_missing", lang)
    return _t(f"overdue_note_{o.verdict}", lang, overdue=format_money_short(o.overdue, lang),
              loans=format_money_short(o.loans, lang), computed=format_value(o.computed, "percent", lang, 3),
              rounded=format_value(o.rounded, "percent", lang, o.decimals),
              stated=format_value(o.stated, "percent", lang, o.decimals))


def ref_date_lines(year: int | None = None, data_dir: str | os.PathLike | None = None) -> list[str]:
    """The figures whose own sentence prints the reference date (dd/mm/yyyy)."""
    f, date = figures(year, data_dir), reference_date(year, data_dir)
    if date is None:
        return []
    printed = [date.strftime("%d/%m/%Y"), f"{date.day}/{date.month}/{date.year}"]
    return [i for i in INDICATORS + [OVERDUE_SHARE]
            if any(d in (f.field(i, "quote") or "") for d in printed)]


def ref_date_note(year: int | None = None, data_dir: str | os.PathLike | None = None, lang: str = "vi") -> str:
    """The reference date, and (when the report prints it on some lines only) on which."""
    f, date = figures(year, data_dir), date_text(year, data_dir, lang)
    text = _t("ref_date_note", lang, date=date, prior=f.year - 1)
    lines = ref_date_lines(year, data_dir)
    dated = [i for i in INDICATORS + [OVERDUE_SHARE] if f.field(i, "ref_date") is not None]
    if lines and len(lines) < len(dated):
        text += " " + _t("ref_date_partial", lang, date=date,
                         lines=", ".join(f.names(i)[f"name_{lang}"] for i in lines))
    return text


# ----------------------------------------------------------------------------------------------- display
def heading(key: str, lang: str, level: int = 2, **values) -> str:
    """A section heading (the text of `key` in the reader's language), displayed and returned."""
    return present_heading(_t(key, lang, **values), level)


def _money(signed: bool = False, lang: str = "vi", unit_key: str | None = None, short: bool = False):
    """An amount cell in full (58.123.000.000 đồng) or, with `short`, as 58,12 tỷ đồng (for approximate, derived
    plans); with `unit_key`, rows whose unit is not đồng use their own unit."""
    def fmt(value, row):
        unit = row.get(unit_key) if unit_key else "VND"
        if unit != "VND" or not short:
            return format_value(value, unit, lang, 0 if unit == "VND" else None, signed=signed)
        text = format_money_short(value, lang)
        return "+" + text if signed and not missing(value) and value > 0 else text
    return fmt


def _pct(lang: str, decimals: int | None = None, signed: bool = False):
    """A percent cell; a row may carry its own number of decimals (column `decimals`)."""
    def fmt(value, row):
        places = row.get("decimals")
        places = decimals if missing(places) else int(places)
        return format_value(value, "percent", lang, places, signed=signed)
    return fmt


def columns(ctx, which: str) -> list:
    """Column specifications for `present.show_table` for each table of this report."""
    lang, date = ctx.lang, date_text(ctx.year, ctx.data_dir, ctx.lang)
    name = (f"name_{lang}", t("indicator", lang), None)
    if which == "position":
        return [name, ("actual", _t("col_actual", lang, date=date), _money(lang=lang)),
                ("as_written", t("as_written", lang),
                 lambda v, r: v if isinstance(v, str) else t("not_reported", lang)),
                ("plan_attainment", _t("col_attainment", lang), _pct(lang)),
                ("implied_plan", _t("col_plan", lang), _money(lang=lang, short=True))]
    if which == "change":
        return [name, ("prior", _t("col_prior", lang, prior=ctx.year - 1), _money(lang=lang)),
                ("actual", _t("col_actual", lang, date=date), _money(lang=lang)),
                ("change", _t("col_change", lang, prior=ctx.year - 1), _money(True, lang)),
                ("change_pct", _t("col_change_pct", lang), _pct(lang, 1, signed=True))]
    if which == "overdue":
        return [name, ("value", t("value", lang), _pct(lang))]
    if which == "funds":
        return [(f"side_{lang}", "", None), (f"name_{lang}", _t("col_item", lang), None),
                ("value", _t("col_amount", lang), _money(lang=lang)),
                ("share_of_capital", t("share", lang), _pct(lang, 1)),
                ("basis", _t("col_basis", lang), lambda v, r: _t(f"basis_{v}", lang))]
    if which == "compare":
        return [name, ("value", str(ctx.year), _money(lang=lang, unit_key="unit")),
                ("previous", str(ctx.compare_year), _money(lang=lang, unit_key="unit")),
                ("change", t("change", lang), _money(True, lang, unit_key="change_unit"))]
    raise ValueError(f"unknown table {which!r}")


# ----------------------------------------------------------------------------------------------- charts
def _money_labels(fig, values: list, lang: str) -> None:
    """Rewrite the value labels a chart wrote (full đồng amounts) as short amounts (58,12 tỷ đồng)."""
    ax = fig.axes[0]
    for text, value in zip(ax.texts, values):
        text.set_text(format_money_short(value, lang))


def change_chart(year: int | None = None, data_dir: str | os.PathLike | None = None, lang: str = "vi"):
    """End of the previous year (derived) against the reference date, for the figures with a stated change."""
    year = resolve_year(year, data_dir)
    frame = position(year, data_dir)
    frame = frame[frame["change"].notna()]
    date = date_text(year, data_dir, lang)
    series = {_t("series_prior", lang, prior=year - 1): list(frame["prior"]),
              _t("series_actual", lang, date=date): list(frame["actual"])}
    fig = charts.grouped_bar_chart(list(frame[f"name_{lang}"]), series, "VND", lang,
                                   _t("chart_title", lang, prior=year - 1, date=date), _t("chart_axis", lang))
    _money_labels(fig, [v for values in series.values() for v in values], lang)
    return fig


def change_caption(year: int | None = None, data_dir: str | os.PathLike | None = None, lang: str = "vi") -> str:
    changes = position(year, data_dir)["change"].dropna()
    key = "chart_caption" if len(changes) and (changes < 0).all() else "chart_caption_mixed"
    return _t(key, lang, prior=resolve_year(year, data_dir) - 1)


def attainment_chart(year: int | None = None, data_dir: str | os.PathLike | None = None, lang: str = "vi"):
    frame = position(year, data_dir)
    frame = frame[frame["plan_attainment"].notna()]
    return charts.bar_chart(list(frame[f"name_{lang}"]), list(frame["plan_attainment"]), "percent", lang,
                            _t("attainment_title", lang, date=date_text(year, data_dir, lang)),
                            _t("attainment_axis", lang),
                            highlight={i for i, v in enumerate(frame["plan_attainment"]) if v < 100})
