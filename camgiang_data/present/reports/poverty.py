"""Poverty rates, as readers see them: the words (messages/reports/poverty.toml), tables and charts of the frames
`camgiang_data.analyses.poverty` computes. Each section function shows its heading, tables, notes and chart on a
`Report` and returns nothing; the `*_text`, `*_table` and `*_chart` functions give the pieces, for tests and for
other pages.
"""

from __future__ import annotations

import pandas as pd

from camgiang_data.analyses.poverty import changes_written_as_percent
from camgiang_data.present import charts, messages
from camgiang_data.present.fmt import format_value, is_missing
from camgiang_data.present.i18n import t
from camgiang_data.present.reports._common import Chart, cell

NAME = "poverty"
TEXT = messages.report(NAME)  # camgiang_data/messages/reports/poverty.toml
TITLE = TEXT["title"]
NAN = float("nan")


def _pct(value, lang, decimals=None) -> str:
    return format_value(value, "percent", lang, decimals)


def _pp(value, lang, signed=True) -> str:
    return format_value(value, "pp", lang, signed=signed)


def _count(value, lang) -> str:
    return format_value(value, "households", lang, with_unit=False)


def _label(measure: str, criterion: str, lang: str) -> str:
    return f"{t(measure, lang, TEXT)} ({t(criterion, lang, TEXT)})"


def _qual(qualifier) -> str | None:
    return qualifier if isinstance(qualifier, str) else None


def _change_text(change: float, qualifier, lang: str) -> str:
    return format_value(abs(change), "pp", lang, qualifier=_qual(qualifier))


# ------------------------------------------------------------------------------------------------------ text

def intro(year: int, rates: pd.DataFrame, lang: str) -> str:
    """What the page shows; the remark on the report's "%" for changes only where the report writes them so."""
    key = "intro" if changes_written_as_percent(rates) else "intro_no_percent"
    return t(key, lang, TEXT, year=year, prev=year - 1, next=year + 1)


def _summary_target(targets: pd.DataFrame, lang: str) -> str:
    if targets.empty:
        return t("summary_no_target", lang, TEXT)
    first = targets.iloc[0]
    if first["kind"] == "target":
        return t("summary_target_level", lang, TEXT, target=_level_text(first, lang))
    change = _change_text(first["change"], first["qualifier"], lang)
    if is_missing(first["households"]):
        return t("summary_target_no_households", lang, TEXT, change=change)
    return t("summary_target", lang, TEXT, change=change, households=_count(first["households"], lang))


def summary_text(rates: pd.DataFrame, review: pd.DataFrame, targets: pd.DataFrame, lang: str) -> str:
    """One sentence with the headline numbers (for the index page), from `rates`, `survey` and
    `target_households`; the review's fractions only where the report gives both their parts."""
    year = int(rates["year"].iloc[0])
    by_id = rates.set_index("indicator_id")["rate"]
    by_measure = review.set_index("measure")["households"]

    def rate(measure, criterion):
        return _pct(by_id.get(f"poverty.{measure}_rate.{criterion}", NAN), lang)

    poor, near = by_measure.get("poor", NAN), by_measure.get("near_poor", NAN)
    base = review["base"].iloc[0] if len(review) else NAN
    key = "summary_no_counts" if any(is_missing(v) for v in (poor, near, base)) else "summary"
    return t(key, lang, TEXT, year=year, next=year + 1, poor_old=rate("poor", "old"),
             poor_new=rate("poor", "new"), near_old=rate("near_poor", "old"), near_new=rate("near_poor", "new"),
             poor_hh=_count(poor, lang), near_hh=_count(near, lang), base=_count(base, lang),
             target=_summary_target(targets, lang))


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


def prior_formula_text(year: int, lang: str) -> str:
    return t("prior_formula", lang, TEXT, year=year, prev=year - 1)


def _survey_key(row: dict) -> str:
    """Which sentence a review row takes: its counts give the stated rate or not, or a part is missing."""
    if is_missing(row["computed_rate"]):
        return "survey_none" if is_missing(row["stated_rate"]) else "survey_missing"
    if is_missing(row["stated_rate"]):
        return "survey_unstated"
    return "survey_agree" if row["agrees"] else "survey_disagree"


def survey_texts(frame: pd.DataFrame, year: int, lang: str) -> list[str]:
    """The formula (with the report's remark on the review where its counts give the stated rates), then one
    sentence per measure."""
    agreed = len(frame) > 0 and bool(frame["agrees"].eq(True).all())
    out = [t("survey_note" if agreed else "survey_formula", lang, TEXT, year=year, next=year + 1)]
    for row in frame.to_dict("records"):
        out.append(t(_survey_key(row), lang, TEXT, measure=t(row["measure"], lang, TEXT),
                     count=_count(row["households"], lang), base=_count(row["base"], lang),
                     computed=_pct(row["computed_rate"], lang, 2), stated=_pct(row["stated_rate"], lang)))
    return out


def _target_sentence(row: dict, lang: str) -> str:
    """A change target as households: the full sentence where it has its qualifier and the year its rate."""
    qualified = isinstance(row["qualifier"], str)
    magnitude = format_value(abs(row["change"]), "pp", lang, with_unit=False)
    values = dict(year=row["year"], quote=row["quote"], change=_change_text(row["change"], row["qualifier"], lang),
                  magnitude=magnitude, base=_count(row["base"], lang),
                  exact=format_value(row["households_exact"], "households", lang, 2, with_unit=False),
                  rounded=_count(row["households"], lang), minimum=_count(row["households_min"], lang),
                  rounded_pp=format_value(row["rounded_pp"], "pp", lang, 2),
                  qualifier=t(row["qualifier"], lang) if qualified else "",
                  target_rate=_pct(row["target_rate"], lang), rate=_pct(row["rate"], lang))
    has_rate = not is_missing(row["rate"])
    if qualified:
        return t("target_sentence" if has_rate else "target_sentence_no_rate", lang, TEXT, **values)
    text = t("target_sentence_plain", lang, TEXT, **values)
    return f"{text} {t('target_rate_plain', lang, TEXT, **values)}" if has_rate else text


def _level_text(row, lang: str) -> str:
    return format_value(row["target_rate"], "percent", lang, qualifier=_qual(row["qualifier"]))


def _level_sentence(row: dict, lang: str) -> str:
    """A target that sets the rate itself, as the households at that rate."""
    if is_missing(row["households_exact"]):
        return t("target_level_incomplete", lang, TEXT, year=row["year"], target=_level_text(row, lang))
    return t("target_level", lang, TEXT, year=row["year"], quote=row["quote"], target=_level_text(row, lang),
             magnitude=format_value(row["target_rate"], "percent", lang, with_unit=False),
             base=_count(row["base"], lang), rounded=_count(row["households"], lang),
             exact=format_value(row["households_exact"], "households", lang, 2, with_unit=False))


def _change_sentence(row: dict, lang: str) -> str:
    """A target that sets the change of the rate, as households (or why it cannot be)."""
    if is_missing(row["households_exact"]):
        return t("target_incomplete", lang, TEXT, year=row["year"],
                 change=_change_text(row["change"], row["qualifier"], lang))
    return _target_sentence(row, lang)


def target_texts(frame: pd.DataFrame, year: int, lang: str) -> list[str]:
    """One sentence per poverty-rate target of year + 1, as households (or why it cannot be), and how its
    criterion is read where the sentence names none."""
    if frame.empty:
        return [t("target_none", lang, TEXT, year=year + 1)]
    out = []
    for row in frame.to_dict("records"):
        out.append(_level_sentence(row, lang) if row["kind"] == "target" else _change_sentence(row, lang))
        if (str(row["indicator_id"]).endswith(".new") and not row["criterion_named"]
                and not is_missing(row["households_exact"])):
            out.append(t("target_criterion", lang, TEXT, year=row["year"]))
    return out


# ---------------------------------------------------------------------------------------------------- tables

def rates_table(frame: pd.DataFrame, lang: str):
    """(rows, columns) for `Report.table`."""
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


# ---------------------------------------------------------------------------------------------------- charts

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


# ------------------------------------------------------------------------------------------- the sections

def rates_section(report, rates: pd.DataFrame) -> None:
    """The rates by measure and criterion: heading, table, chart."""
    report.heading("h_rates")
    report.table(*rates_table(rates, report.lang))
    report.chart(rates_chart(rates, report.lang))


def prior_section(report, prior: pd.DataFrame) -> None:
    """The previous-year rates derived under each criterion, and whether they agree."""
    report.heading("h_prior", prev=report.year - 1)
    report.note(prior_formula_text(report.year, report.lang))
    report.table(*prior_table(prior, report.lang))
    for sentence in prior_texts(prior, report.lang):
        report.note(sentence)


def survey_section(report, review: pd.DataFrame) -> None:
    """The household review: table of counts and rates, then what they give."""
    report.heading("h_survey")
    report.table(*survey_table(review, report.lang))
    for sentence in survey_texts(review, report.year, report.lang):
        report.note(sentence)


def target_section(report, targets: pd.DataFrame) -> None:
    report.heading("h_target", year=report.year + 1)
    for sentence in target_texts(targets, report.year, report.lang):
        report.note(sentence)


def compare_section(report, frame: pd.DataFrame | None) -> None:
    """Each rate against the comparison year's (`frame` is None when no comparison year is given)."""
    report.comparison(frame, lambda f: compare_table(f, report.lang))
