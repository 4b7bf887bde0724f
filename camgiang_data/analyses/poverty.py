"""Poverty rates (Hộ nghèo, cận nghèo): poor and near-poor rates under the old and the new criterion, the change
against the previous year and the previous-year rates derived from it, the household review's counts with the
rates they give, and the next year's target expressed as a number of households.

Pure functions over `camgiang_data.load("poverty", year, data_dir)`; indicators come from the catalogue (table
`poverty`), so a figure the data lacks for a year is listed with a missing value.

Formulas (named, tested):
- previous-year rate = rate − stated change (the data's derived rows, formula `prior_from_change`);
- review rate = 100 × households ÷ households reviewed;
- households for a target change = |target change (pp)| × base households ÷ 100, where the base is the review's
  household total; shown exact and rounded to whole households (half up); `households_min` is the smallest whole
  number of households that reaches the change (rounded up);
- rate implied by the target = rate + target change.
"""

from __future__ import annotations

import html
import math
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

import camgiang_data as cg
from camgiang_data.analyses._common import Chart, cell
from camgiang_data.paths import resolve_year
from camgiang_data.present import charts
from camgiang_data.present.fmt import format_value, is_missing
from camgiang_data.present import messages
from camgiang_data.present.i18n import t

TABLE = "poverty"
NAN = float("nan")
MEASURES = ("poor", "near_poor")
CRITERIA = ("old", "new")
BASE_ID = "poverty.surveyed_households"

TEXT = messages.report("poverty")  # words for readers: camgiang_data/messages/reports/poverty.toml
TITLE = TEXT["title"]


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
    if not len(rows):
        return None
    value = rows[column].iloc[0]
    return None if value is pd.NA or (isinstance(value, float) and math.isnan(value)) else value


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
    """Each poverty-rate target the report sets for year + 1 as a change (pp), expressed as households:
    exact = |change| × base ÷ 100 (base: the review's household total), `households` = exact rounded half up,
    `households_min` = exact rounded up (the fewest whole households that reach the change), `rounded_pp` =
    100 × households ÷ base, `target_rate` = this year's rate + change."""
    year = resolve_year(year, data_dir)
    data = cg.load(TABLE, year, data_dir)
    base = _value(data, BASE_ID, year)
    rows = data[(data["year"] == year + 1) & (data["kind"] == "target_change") & (data["basis"] == "stated")]
    records = []
    for row in rows.to_dict("records"):
        change = float(row["value"])
        exact = NAN if is_missing(base) else abs(change) * base / 100.0
        rounded = NAN if is_missing(exact) else round_half_up(exact)
        minimum = NAN if is_missing(exact) else math.ceil(exact - 1e-9)
        rate = _value(data, row["indicator_id"], year)
        records.append({
            "indicator_id": row["indicator_id"], "name_vi": row["name_vi"], "name_en": row["name_en"],
            "year": int(row["year"]), "change": change, "qualifier": row["qualifier"], "base": base,
            "households_exact": exact, "households": rounded, "households_min": minimum,
            "rounded_pp": NAN if is_missing(rounded) or not base else 100.0 * rounded / base,
            "rate": rate, "target_rate": NAN if is_missing(rate) else rate + change,
            "as_written": row["as_written"], "quote": row["quote"]})
    return pd.DataFrame.from_records(records)


def compare(year: int | None, compare_year: int, data_dir=None) -> pd.DataFrame:
    """Each rate in `year` and `compare_year`; change = rate − compare rate (pp)."""
    year = resolve_year(year, data_dir)
    now, before = rates(year, data_dir), rates(compare_year, data_dir)
    out = now[["measure", "criterion", "indicator_id", "name_vi", "name_en", "rate"]].merge(
        before[["indicator_id", "rate"]].rename(columns={"rate": "compare_rate"}), on="indicator_id", how="left")
    out["change"] = out["rate"] - out["compare_rate"]
    out["year"], out["compare_year"] = year, compare_year
    return out


# ------------------------------------------------------------------------------------------------------ text

def _pct(value, lang, decimals=None) -> str:
    return format_value(value, "percent", lang, decimals)


def _pp(value, lang, signed=True) -> str:
    return format_value(value, "pp", lang, signed=signed)


def _count(value, lang) -> str:
    return format_value(value, "households", lang, with_unit=False)


def _label(measure: str, criterion: str, lang: str) -> str:
    return f"{t(measure, lang, TEXT)} ({t(criterion, lang, TEXT)})"


def heading(key: str, lang: str, **values) -> str:
    """A section heading (escaped HTML) for `present.show`."""
    return f"<h2>{html.escape(t(key, lang, TEXT, **values))}</h2>"


def intro(year: int | None, lang: str, data_dir=None) -> str:
    year = resolve_year(year, data_dir)
    return t("intro", lang, TEXT, year=year, prev=year - 1, next=year + 1)


def _change_text(change: float, qualifier, lang: str) -> str:
    qualifier = qualifier if isinstance(qualifier, str) else None
    return format_value(abs(change), "pp", lang, qualifier=qualifier)


def summary_text(year: int | None = None, lang: str = "vi", data_dir=None) -> str:
    """One sentence with the headline numbers (for the index page)."""
    year = resolve_year(year, data_dir)
    r = rates(year, data_dir).set_index("indicator_id")
    s = survey(year, data_dir).set_index("measure")
    targets = target_households(year, data_dir)

    def rate(measure, criterion):
        ident = _rate_id(measure, criterion)
        return _pct(r.loc[ident, "rate"] if ident in r.index else NAN, lang)

    if len(targets):
        first = targets.iloc[0]
        target = t("summary_target", lang, TEXT, change=_change_text(first["change"], first["qualifier"], lang),
                   households=_count(first["households"], lang))
    else:
        target = t("summary_no_target", lang, TEXT)
    base = s["base"].iloc[0] if len(s) else NAN
    return t("summary", lang, TEXT, year=year, next=year + 1, poor_old=rate("poor", "old"),
             poor_new=rate("poor", "new"), near_old=rate("near_poor", "old"), near_new=rate("near_poor", "new"),
             poor_hh=_count(s.loc["poor", "households"] if "poor" in s.index else NAN, lang),
             near_hh=_count(s.loc["near_poor", "households"] if "near_poor" in s.index else NAN, lang),
             base=_count(base, lang), target=target)


def prior_texts(frame: pd.DataFrame, lang: str) -> list[str]:
    """One sentence per measure: the two derived previous-year rates agree, or the report contradicts itself."""
    out = []
    for row in frame.to_dict("records"):
        measure, prev = t(row["measure"], lang, TEXT), row["prior_year"]
        if row["agrees"] is None:
            out.append(t("prior_missing", lang, TEXT, measure=measure, prev=prev))
        elif row["agrees"]:
            out.append(t("prior_agree", lang, TEXT, measure=measure, prev=prev, old=_pct(row["old"], lang),
                         new=_pct(row["new"], lang)))
        else:
            out.append(t("prior_disagree", lang, TEXT, measure=measure, prev=prev, old=_pct(row["old"], lang),
                         new=_pct(row["new"], lang), difference=_pp(row["difference"], lang, signed=False),
                         tolerance=_pp(row["tolerance"], lang, signed=False), old_quote=row["old_quote"],
                         new_quote=row["new_quote"]))
    return out


def prior_formula_text(year: int | None, lang: str, data_dir=None) -> str:
    year = resolve_year(year, data_dir)
    return t("prior_formula", lang, TEXT, year=year, prev=year - 1)


def survey_texts(frame: pd.DataFrame, year: int, lang: str) -> list[str]:
    out = [t("survey_note", lang, TEXT, year=year, next=year + 1)]
    for row in frame.to_dict("records"):
        key = "survey_agree" if row["agrees"] else "survey_disagree"
        out.append(t(key, lang, TEXT, measure=t(row["measure"], lang, TEXT), count=_count(row["households"], lang),
                     base=_count(row["base"], lang), computed=_pct(row["computed_rate"], lang, 2),
                     stated=_pct(row["stated_rate"], lang)))
    return out


def target_texts(frame: pd.DataFrame, year: int, lang: str) -> list[str]:
    if frame.empty:
        return [t("target_none", lang, TEXT, year=year + 1)]
    out = []
    for row in frame.to_dict("records"):
        change = _change_text(row["change"], row["qualifier"], lang)
        if is_missing(row["households_exact"]):
            out.append(t("target_incomplete", lang, TEXT, year=row["year"], change=change))
            continue
        qualifier = t(row["qualifier"], lang) if isinstance(row["qualifier"], str) else ""
        out.append(t("target_sentence", lang, TEXT, year=row["year"], quote=row["quote"], change=change,
                     magnitude=format_value(abs(row["change"]), "pp", lang, with_unit=False),
                     base=_count(row["base"], lang), exact=format_value(row["households_exact"], "households", lang,
                                                                        2, with_unit=False),
                     rounded=_count(row["households"], lang), minimum=_count(row["households_min"], lang),
                     rounded_pp=format_value(row["rounded_pp"], "pp", lang, 2), qualifier=qualifier,
                     target_rate=_pct(row["target_rate"], lang), rate=_pct(row["rate"], lang)))
        if str(row["indicator_id"]).endswith(".new"):
            out.append(t("target_criterion", lang, TEXT, year=row["year"]))
    return out


def rates_table(frame: pd.DataFrame, lang: str):
    """(rows, columns) for `present.show_table`."""
    year, prev = int(frame["year"].iloc[0]), int(frame["prior_year"].iloc[0])
    rows = [{**r, "measure_label": t(r["measure"], lang, TEXT), "criterion_label": t(r["criterion"], lang, TEXT)}
            for r in frame.to_dict("records")]
    return rows, [("measure_label", t("col_measure", lang, TEXT), None),
                  ("criterion_label", t("col_criterion", lang, TEXT), None),
                  ("rate", t("col_rate", lang, TEXT, year=year), cell(lang, "percent")),
                  ("change", t("col_change", lang, TEXT, prev=prev), cell(lang, "pp", signed=True)),
                  ("prior_rate", t("col_prior", lang, TEXT, prev=prev), cell(lang, "percent")),
                  ("households", t("col_households", lang, TEXT), cell(lang, "households"))]


def prior_table(frame: pd.DataFrame, lang: str):
    prev = int(frame["prior_year"].iloc[0])
    rows = [{**r, "measure_label": t(r["measure"], lang, TEXT),
             "agree_label": t("not_reported", lang) if r["agrees"] is None else t("yes" if r["agrees"] else "no",
                                                                                 lang, TEXT)}
            for r in frame.to_dict("records")]
    return rows, [("measure_label", t("col_measure", lang, TEXT), None),
                  ("old", t("col_prior_old", lang, TEXT, prev=prev), cell(lang, "percent")),
                  ("new", t("col_prior_new", lang, TEXT, prev=prev), cell(lang, "percent")),
                  ("difference", t("col_difference", lang, TEXT), cell(lang, "pp", signed=True)),
                  ("agree_label", t("col_agree", lang, TEXT), None)]


def survey_table(frame: pd.DataFrame, lang: str):
    rows = [{**r, "measure_label": t(r["measure"], lang, TEXT)} for r in frame.to_dict("records")]
    return rows, [("measure_label", t("col_measure", lang, TEXT), None),
                  ("households", t("col_households", lang, TEXT), cell(lang, "households")),
                  ("base", t("col_base", lang, TEXT), cell(lang, "households")),
                  ("computed_rate", t("col_computed", lang, TEXT), cell(lang, "percent", decimals=2)),
                  ("stated_rate", t("col_stated", lang, TEXT), cell(lang, "percent"))]


def compare_table(frame: pd.DataFrame, lang: str):
    year, other = int(frame["year"].iloc[0]), int(frame["compare_year"].iloc[0])
    rows = [{**r, "label": _label(r["measure"], r["criterion"], lang)} for r in frame.to_dict("records")]
    return rows, [("label", t("col_indicator", lang, TEXT), None),
                  ("rate", t("col_compare", lang, TEXT, year=year), cell(lang, "percent")),
                  ("compare_rate", t("col_compare", lang, TEXT, year=other), cell(lang, "percent")),
                  ("change", t("change", lang), cell(lang, "pp", signed=True))]


def rates_chart(frame: pd.DataFrame, lang: str) -> Chart:
    """Grouped bars per (measure, criterion): the derived previous-year rate and this year's rate."""
    year, prev = int(frame["year"].iloc[0]), int(frame["prior_year"].iloc[0])
    labels = [_label(m, c, lang) for m, c in zip(frame["measure"], frame["criterion"])]
    series = {t("series_prior", lang, TEXT, prev=prev): list(frame["prior_rate"]),
              t("series_year", lang, TEXT, year=year): list(frame["rate"])}
    title = t("ch_rates", lang, TEXT, prev=prev, year=year)
    fig = charts.grouped_bar_chart(labels, series, "percent", lang, title, t("axis_rate", lang, TEXT))
    items = "; ".join(f"{label}: {name} {_pct(v, lang)}" for name, values in series.items()
                      for label, v in zip(labels, values))
    near = frame[frame["measure"] == "near_poor"]["prior_rate"].dropna()
    caption = t("cap_rates", lang, TEXT, prev=prev) if near.nunique() > 1 else None
    return Chart(fig, t("alt", lang, TEXT, title=title, items=items), caption)
