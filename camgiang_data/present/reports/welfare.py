"""Social welfare and government, as readers see them: the words (messages/reports/welfare.toml), tables and
charts of the frames `camgiang_data.analyses.welfare` computes. Each section function shows its headings, tables,
notes and charts on a `Report` and returns nothing; the `*_text`/`*_note`, `*_table` and `*_chart` functions give
the pieces, for tests and for other pages.
"""

from __future__ import annotations

import pandas as pd

from camgiang_data.analyses.welfare import COVID_IDS, OCCASIONS, RatingsCheck, occasion_totals
from camgiang_data.present import charts, messages
from camgiang_data.present.fmt import format_money_short, format_value, is_missing
from camgiang_data.present.i18n import t
from camgiang_data.present.reports._common import Chart, cell, compare_columns, name_col, number

NAME = "welfare"
TEXT = messages.report(NAME)  # camgiang_data/messages/reports/welfare.toml
TITLE = TEXT["title"]


def _t(key: str, lang: str, **values) -> str:
    return t(key, lang, TEXT, **values)


def _title(text: str) -> str:
    """A chart title begins with a capital, whatever word a placeholder put first ('{unit} council …')."""
    return text[:1].upper() + text[1:]


# ----------------------------------------------------------------------------------------------- labels
def occasion_name(occasion: str, lang: str) -> str:
    return _t("all_occasions" if occasion == "all" else f"occasion.{occasion}", lang)


def level_name(level: str, lang: str) -> str:
    return _t(f"level.{level}", lang)


# ----------------------------------------------------------------------------------------------- text
def summary_text(gift_frame: pd.DataFrame, covid: pd.DataFrame, elected: pd.DataFrame, civil: pd.DataFrame,
                 lang: str, unit: str) -> str:
    """One sentence with the headline numbers (for the index page); written figure by figure ('label: value')
    when one of them is missing."""
    totals = occasion_totals(gift_frame).set_index("occasion")
    e = elected.set_index("group")
    excellent = civil.loc[civil["rating"] == "excellent", "count"] if "rating" in civil else pd.Series(dtype=float)
    counts = {"tet_gifts": totals.loc["tet", "gifts"], "day_gifts": totals.loc["war_invalids_day", "gifts"],
              "workers": covid.set_index("indicator_id").loc[COVID_IDS[0], "value"],
              "delegates": e.loc["all", "count"], "rated": civil.loc[civil["kind"] == "rated", "count"].iloc[0],
              "excellent": excellent.iloc[0] if len(excellent) else float("nan")}
    amounts = {"tet_amount": totals.loc["tet", "amount"], "day_amount": totals.loc["war_invalids_day", "amount"]}
    women = e.loc["women", "stated_share"]
    complete = not any(is_missing(v) for v in [*counts.values(), *amounts.values(), women])
    return _t("summary" if complete else "summary_missing", lang, year=int(gift_frame["year"].iloc[0]), unit=unit,
              **{k: number(v, lang) for k, v in counts.items()},
              **{k: format_money_short(v, lang) for k, v in amounts.items()},
              women=format_value(women, "percent", lang))


def covid_note(covid: pd.DataFrame, lang: str, unit: str) -> str:
    """Who the Covid-19 support went to, as the report counts them (or that it gives no such figure)."""
    values = covid.set_index("indicator_id")["value"]
    workers, households = values.get(COVID_IDS[0]), values.get(COVID_IDS[1])
    missing = [is_missing(workers), is_missing(households)]
    key = "covid_none" if all(missing) else "covid_note_missing" if any(missing) else "covid_note"
    return _t(key, lang, unit=unit, workers=number(workers, lang), households=number(households, lang))


def ratings_note(check: RatingsCheck, lang: str) -> str:
    """The ratings against the number rated."""
    return _t("ratings_note_missing" if check.status == "missing" else "ratings_note", lang,
              sum=number(check.sum, lang), rated=number(check.rated, lang), verdict=_t(f"verdict_{check.status}", lang))


# ----------------------------------------------------------------------------------------------- tables
def _cell(lang, unit, decimals=None, applies=None):
    """A number cell; `applies(row)` False leaves the cell empty (a share of the whole itself, of a title, …)."""
    plain = cell(lang, unit, decimals=decimals)
    return plain if applies is None else lambda value, row: plain(value, row) if applies(row) else ""


def gifts_table(gift_frame: pd.DataFrame, lang: str):
    """(rows, columns) for `Report.table`: occasion, level, gifts, amount, average per gift, in kind."""
    rows = [{**r, "occasion_label": occasion_name(r["occasion"], lang), "level_label": level_name(r["level"], lang)}
            for r in gift_frame.to_dict("records")]
    return rows, [("occasion_label", _t("col_occasion", lang), None), ("level_label", _t("col_level", lang), None),
                  ("gifts", _t("col_gifts", lang), _cell(lang, "gifts")),
                  ("amount", _t("col_amount", lang), _cell(lang, "VND")),
                  ("average", _t("col_average", lang), _cell(lang, "VND", 0)),
                  ("in_kind", _t("col_note", lang), lambda v, r: _t("in_kind", lang) if v is True else "")]


def covid_table(covid: pd.DataFrame, lang: str):
    return covid.to_dict("records"), [(name_col(lang), t("indicator", lang), None),
                                      ("value", t("value", lang), cell(lang)), ("quote", t("quote", lang), None)]


def elections_table(elected: pd.DataFrame, lang: str):
    part = lambda r: r.get("group") != "all"  # noqa: E731 - the whole is not a share of itself
    return elected.to_dict("records"), [
        (name_col(lang), t("indicator", lang), None), ("count", _t("col_count", lang), _cell(lang, "persons")),
        ("stated_share", _t("col_stated_share", lang), _cell(lang, "percent", applies=part)),
        ("computed_share", _t("col_computed_share", lang), _cell(lang, "percent", 2, applies=part))]


def civil_service_table(civil: pd.DataFrame, lang: str):
    rating = lambda r: r.get("kind") == "rating"  # noqa: E731 - only a rating is a share of the number rated
    return civil.to_dict("records"), [
        (name_col(lang), t("indicator", lang), None), ("count", _t("col_count", lang), cell(lang)),
        ("share", _t("col_computed_share", lang), _cell(lang, "percent", 1, applies=rating))]


def compare_table(frame: pd.DataFrame, report):
    """(rows, columns) of a `compare` frame: indicator, this year, the other year, change."""
    return frame.to_dict("records"), compare_columns(report)


# ----------------------------------------------------------------------------------------------- charts
def gifts_chart(matrix: pd.DataFrame, lang: str) -> Chart:
    """Amounts by level, one bar per occasion; short money labels; unlisted lines labelled 'none listed'."""
    series = {occasion_name(o, lang): list(matrix[o]) for o in OCCASIONS}
    fig = charts.grouped_bar_chart([level_name(lv, lang) for lv in matrix["level"]], series, "VND", lang,
                                   _t("gifts_title", lang, year=int(matrix["year"].iloc[0])), _t("gifts_axis", lang))
    listed = [flag for o in OCCASIONS for flag in matrix[f"listed_{o}"]]
    values = [v for o in OCCASIONS for v in matrix[o]]
    for text, value, flag in zip(fig.axes[0].texts, values, listed):
        text.set_text(format_money_short(value, lang) if flag else _t("none_listed", lang))
    return Chart(fig, _t("gifts_alt", lang))


def average_chart(gift_frame: pd.DataFrame, lang: str) -> Chart:
    lines = gift_frame[gift_frame["basis"] == "stated"]
    labels = [f"{level_name(lv, lang)} — {occasion_name(oc, lang)}"
              for lv, oc in zip(lines["level"], lines["occasion"])]
    fig = charts.bar_chart(labels, list(lines["average"]), "VND", lang, _t("average_title", lang),
                           _t("average_axis", lang), decimals=0)
    return Chart(fig, _t("average_alt", lang))


def elections_chart(elected: pd.DataFrame, lang: str, unit: str) -> Chart:
    delegates = elected.loc[elected["group"] == "all", "count"].iloc[0]
    groups = elected[elected["group"] != "all"]
    title = (_t("elections_title_missing", lang, unit=unit) if is_missing(delegates)
             else _t("elections_title", lang, unit=unit, delegates=number(delegates, lang)))
    fig = charts.bar_chart(list(groups[name_col(lang)]), list(groups["computed_share"]), "percent", lang,
                           _title(title), _t("elections_axis", lang), decimals=1)
    return Chart(fig, _t("elections_alt", lang))


def ratings_chart(civil: pd.DataFrame, lang: str) -> Chart:
    rated = civil.loc[civil["kind"] == "rated", "count"].iloc[0]
    ratings = civil[civil["kind"] == "rating"]
    year = int(civil["year"].iloc[0])
    title = (_t("ratings_title_missing", lang, year=year) if is_missing(rated)
             else _t("ratings_title", lang, rated=number(rated, lang), year=year))
    fig = charts.share_chart(list(ratings[name_col(lang)]), list(ratings["share"]), lang, title)
    return Chart(fig, _t("ratings_alt", lang))


# ----------------------------------------------------------------------------------------------- sections
def gifts_section(report, gift_frame: pd.DataFrame, matrix: pd.DataFrame) -> None:
    """Gifts by occasion and level: heading, table with the computed totals, the note on them, two charts."""
    report.heading("h_gifts")
    report.table(*gifts_table(gift_frame, report.lang))
    report.note(report.t("gifts_note"))
    report.chart(gifts_chart(matrix, report.lang))
    report.chart(average_chart(gift_frame, report.lang))


def covid_section(report, covid: pd.DataFrame) -> None:
    report.heading("h_covid")
    report.table(*covid_table(covid, report.lang))
    report.note(covid_note(covid, report.lang, report.unit_word))


def elections_section(report, elected: pd.DataFrame) -> None:
    """Under "Government": the council election, its groups' shares and what they do not add up to."""
    report.heading("h_government")
    report.heading("h_elections", level=3, unit=report.unit_word)
    report.table(*elections_table(elected, report.lang))
    report.note(report.t("elections_note"))
    report.chart(elections_chart(elected, report.lang, report.unit_word))


def civil_service_section(report, civil: pd.DataFrame, check: RatingsCheck) -> None:
    report.heading("h_civil_service", level=3)
    report.table(*civil_service_table(civil, report.lang))
    report.note(ratings_note(check, report.lang))
    report.chart(ratings_chart(civil, report.lang))


def compare_section(report, frame: pd.DataFrame | None) -> None:
    """The welfare, election and civil-service figures against another year (`frame` None: no earlier year)."""
    report.comparison(frame, lambda f: compare_table(f, report))
