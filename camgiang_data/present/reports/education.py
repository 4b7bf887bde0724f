"""Education, as readers see it: the words (messages/reports/education.toml), tables and charts of the frames
`camgiang_data.analyses.education` computes. Each section function shows its headings, tables, notes and charts
on a `Report` and returns nothing; the `*_text`, `*_table` and `*_chart` functions give the pieces, for tests
and for other pages.
"""

from __future__ import annotations

import pandas as pd

from camgiang_data.analyses.education import GRADE_GROUPS, GRADUATION_ID, SCHOOLS, Standard, disagreements, \
    shared_level_statements
from camgiang_data.present import charts, messages
from camgiang_data.present.fmt import format_value, is_missing
from camgiang_data.present.i18n import t
from camgiang_data.present.reports._common import Chart, cell, compare_columns, name_col, number

NAME = "education"
TEXT = messages.report(NAME)  # camgiang_data/messages/reports/education.toml
TITLE = TEXT["title"]


def _t(key: str, lang: str, **values) -> str:
    return t(key, lang, TEXT, **values)


# ----------------------------------------------------------------------------------------------- labels
def school_name(school: str, lang: str) -> str:
    return _t(f"school.{school}", lang)


def group_name(group: str, lang: str) -> str:
    return _t(f"group.{group}", lang)


def grade_name(grade: str, lang: str) -> str:
    return _t(f"grade.{grade}", lang)


def school_year_label(value, lang: str) -> str:
    """'2020-2021' → '2020–2021'; a missing school year → 'not stated'."""
    return value.replace("-", "–") if isinstance(value, str) else _t("school_year_unstated", lang)


def levels_text(levels, lang: str) -> str:
    if not levels:
        return t("not_reported", lang)
    return _t("levels_join", lang).join(number(v, lang) for v in levels)


# ----------------------------------------------------------------------------------------------- text
def summary_text(schools: pd.DataFrame, rates: pd.DataFrame, standard: Standard, lang: str) -> str:
    """One sentence with the headline numbers (for the index page); written figure by figure ('label: value')
    when one of them is missing."""
    s = schools.set_index("school")
    graduation = rates.set_index("indicator_id").loc[GRADUATION_ID]
    values = {"standard": standard.standard_schools, "schools": standard.schools,
              "graduates": graduation["numerator"], "candidates": graduation["denominator"]}
    for short, school in (("pre", "preschool"), ("pri", "primary"), ("sec", "lower_secondary")):
        values[f"{short}_pupils"], values[f"{short}_classes"] = s.loc[school, "pupils"], s.loc[school, "classes"]
    complete = not any(is_missing(v) for v in values.values()) and not is_missing(graduation["stated"]) \
        and bool(standard.levels) and isinstance(graduation["school_year"], str)
    return _t("summary" if complete else "summary_missing", lang,
              **{k: number(v, lang) for k, v in values.items()}, levels=levels_text(standard.levels, lang),
              school_year=school_year_label(graduation["school_year"], lang),
              graduation_rate=format_value(graduation["stated"], "percent", lang))


def schools_note(schools: pd.DataFrame, lang: str) -> str:
    """The school year of each school's figures, and that pupils per class is computed."""
    years = dict(zip(schools["school"], schools["school_year"]))
    pre, pri, sec = (years.get(s) for s in SCHOOLS)
    if isinstance(pre, str) and pre == pri and not isinstance(sec, str):  # as the 2021 report gives them
        return _t("schools_note", lang, preschool_year=school_year_label(pre, lang))
    listed = "; ".join(f"{school_name(s, lang)}: {school_year_label(years.get(s), lang)}" for s in SCHOOLS)
    return _t("schools_note_years", lang, years=listed)


def standard_note(statements: pd.DataFrame, lang: str) -> str:
    """Which standard figures the report states inconsistently, with every value and the section it is in."""
    if statements.empty:
        return _t("standard_none", lang)
    sentences = []
    for group in disagreements(statements):
        values = "; ".join(_t("standard_item", lang, value=number(v, lang), section=s)
                           for v, s in zip(group["value"], group["section"]))
        sentences.append(_t("standard_differ", lang, name=group[name_col(lang)].iloc[0], count=len(group),
                            values=values))
    shared = shared_level_statements(statements)
    sentences += [_t("standard_primary_note", lang, quote=q, section=s) for q, s in zip(shared["quote"],
                                                                                         shared["section"])]
    return " ".join(sentences) if sentences else _t("standard_agree", lang)


def grades_total_note(totals: pd.DataFrame, lang: str) -> str:
    """The sum of each grade group's shares (or that it cannot be summed)."""
    return " ".join(_t("grades_total_missing", lang, group=group_name(r["group"], lang)) if is_missing(r["total"])
                    else _t("grades_total", lang, group=group_name(r["group"], lang),
                            total=format_value(r["total"], "percent", lang))
                    for r in totals.to_dict("records"))


# ----------------------------------------------------------------------------------------------- tables
def _labelled(frame: pd.DataFrame, lang: str) -> list[dict]:
    """The rows of a frame with the reader's words for its school, group and grade codes."""
    rows = []
    for r in frame.to_dict("records"):
        labels = {"school_label": school_name(r["school"], lang) if isinstance(r.get("school"), str) else None,
                  "group_label": group_name(r["group"], lang) if "group" in r else None,
                  "grade_label": grade_name(r["grade"], lang) if "grade" in r else None}
        rows.append({**r, **labels})
    return rows


def _school_col(lang: str):
    return ("school_label", _t("col_school", lang), None)


def _school_year_col(lang: str):
    return ("school_year", _t("col_school_year", lang), lambda v, r: school_year_label(v, lang))


def schools_table(frame: pd.DataFrame, lang: str):
    """(rows, columns) for `Report.table`: pupils, classes, staff, pupils per class, school year."""
    return _labelled(frame, lang), [
        _school_col(lang), ("pupils", _t("col_pupils", lang), cell(lang, "count")),
        ("classes", _t("col_classes", lang), cell(lang, "count")),
        ("staff", _t("col_staff", lang), cell(lang, "count")),
        ("pupils_per_class", _t("col_per_class", lang), cell(lang, "count", decimals=1)), _school_year_col(lang)]


def standard_table(frame: pd.DataFrame, lang: str):
    return frame.to_dict("records"), [
        (name_col(lang), t("indicator", lang), None), ("value", t("value", lang), cell(lang, "count")),
        ("as_written", t("as_written", lang), None), ("section", _t("col_section", lang), None),
        ("quote", t("quote", lang), None)]


def rates_table(frame: pd.DataFrame, lang: str):
    return _labelled(frame, lang), [
        (name_col(lang), t("indicator", lang), None), _school_col(lang),
        ("stated", _t("col_stated", lang), cell(lang, "percent", qualifier_key="qualifier")),
        ("numerator", _t("col_numerator", lang), cell(lang, "count")),
        ("denominator", _t("col_denominator", lang), cell(lang, "count")),
        ("computed", _t("col_computed", lang), cell(lang, "percent", decimals=1)), _school_year_col(lang)]


def grades_table(frame: pd.DataFrame, lang: str):
    return _labelled(frame, lang), [
        ("group_label", t("indicator", lang), None), ("grade_label", _t("col_grade", lang), None),
        ("share", t("share", lang), cell(lang, "percent"))]


def awards_table(frame: pd.DataFrame, lang: str):
    return _labelled(frame, lang), [
        _school_col(lang), (name_col(lang), _t("col_award", lang), None),
        ("value", _t("col_count", lang), cell(lang, "count")), _school_year_col(lang)]


def targets_table(frame: pd.DataFrame, lang: str):
    return frame.to_dict("records"), [
        (name_col(lang), t("indicator", lang), None), ("year", t("year", lang), None),
        ("value", t("target", lang), cell(lang, qualifier_key="qualifier")),
        ("as_written", t("as_written", lang), None), ("quote", t("quote", lang), None)]


def compare_table(frame: pd.DataFrame, report):
    """(rows, columns) of a `compare` frame: indicator, this year, the other year, change."""
    return frame.to_dict("records"), compare_columns(report)


# ----------------------------------------------------------------------------------------------- charts
def per_class_chart(schools: pd.DataFrame, lang: str) -> Chart:
    labels = [school_name(s, lang) for s in schools["school"]]
    fig = charts.bar_chart(labels, list(schools["pupils_per_class"]), "count", lang, _t("per_class_title", lang),
                           _t("per_class_axis", lang), decimals=1)
    return Chart(fig, _t("per_class_alt", lang))


def grades_chart(shares: pd.DataFrame, group: str, lang: str) -> Chart:
    """One 100 % bar of a grade group's shares."""
    frame = shares[shares["group"] == group]
    name = group_name(group, lang)
    fig = charts.share_chart([grade_name(g, lang) for g in frame["grade"]], list(frame["share"]), lang,
                             _t("grades_title", lang, group=name))
    return Chart(fig, _t("grades_alt", lang, group=name))


def awards_chart(frame: pd.DataFrame, school_year: str | None, lang: str) -> Chart:
    title = (_t("awards_title", lang, school_year=school_year_label(school_year, lang)) if school_year
             else _t("awards_title_missing", lang))
    fig = charts.bar_chart(list(frame[name_col(lang)]), list(frame["value"]), "persons", lang, title,
                           _t("awards_axis", lang))
    return Chart(fig, _t("awards_alt", lang))


# ----------------------------------------------------------------------------------------------- sections
def schools_section(report, schools: pd.DataFrame) -> None:
    """Pupils, classes and staff of the three schools: heading, table, the note on school years, chart."""
    report.heading("h_schools")
    report.table(*schools_table(schools, report.lang))
    report.note(schools_note(schools, report.lang))
    report.chart(per_class_chart(schools, report.lang))


def standard_section(report, statements: pd.DataFrame) -> None:
    report.heading("h_standard")
    report.note(standard_note(statements, report.lang))
    report.table(*standard_table(statements, report.lang))


def rates_section(report, rates: pd.DataFrame) -> None:
    report.heading("h_rates")
    report.table(*rates_table(rates, report.lang))


def grades_section(report, shares: pd.DataFrame, totals: pd.DataFrame, school_year: str | None) -> None:
    """The results of the school year: heading, the grade shares with their sums, one chart per grade group."""
    if school_year:
        report.heading("h_results", school_year=school_year_label(school_year, report.lang))
    else:
        report.heading("h_results_missing")
    report.heading("h_grades", level=3)
    report.table(*grades_table(shares, report.lang))
    report.note(grades_total_note(totals, report.lang))
    for group in GRADE_GROUPS:
        report.chart(grades_chart(shares, group, report.lang))


def awards_section(report, frame: pd.DataFrame, school_year: str | None) -> None:
    report.heading("h_awards", level=3)
    report.table(*awards_table(frame, report.lang))
    if frame["value"].notna().any():  # no chart of nothing
        report.chart(awards_chart(frame, school_year, report.lang))


def targets_section(report, frame: pd.DataFrame) -> None:
    report.heading("h_targets", year=report.year + 1)
    report.table(*targets_table(frame, report.lang))


def compare_section(report, frame: pd.DataFrame | None) -> None:
    """The schools' figures against another year (`frame` None: no earlier year, as the page says)."""
    report.comparison(frame, lambda f: compare_table(f, report))
