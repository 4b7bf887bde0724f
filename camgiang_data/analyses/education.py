"""Education: the three schools (preschool, primary, lower secondary) — pupils, classes, staff, pupils per class,
national-standard level (every statement, since the report disagrees with itself), results of the school year,
staff awards and next year's targets.

Pure functions over `camgiang_data.load` (`year`, `data_dir`); language-neutral frames with `name_vi`/`name_en`;
words a reader sees are in `TEXT`. A figure the data lacks is NaN ("not reported"), never zero.
"""

from __future__ import annotations

import os

import pandas as pd

import camgiang_data as cg
from camgiang_data.analyses import _common
from camgiang_data.analyses._common import cell, clean, compare_columns, compare_frames, figures, number, ratio, total
from camgiang_data.present import charts
from camgiang_data.present import heading as present_heading
from camgiang_data.present.fmt import format_value
from camgiang_data.present import messages
from camgiang_data.present.i18n import t

TEXT = messages.report("education")  # words for readers: camgiang_data/messages/reports/education.toml
TITLE = TEXT["title"]

SCHOOLS = ("preschool", "primary", "lower_secondary")


STANDARD_IDS = ["education.schools.all", "education.national_standard_schools.all",
                "education.national_standard_level.lower_secondary",
                "education.quality_accreditation_level.lower_secondary", "education.universal_education_level.primary"]
LEVEL_ID = "education.national_standard_level.lower_secondary"
# Rates, each with the count and base it is measured on where the report gives them.
RATES = [
    ("education.enrolment_rate.preschool", None, None),
    ("education.boarding_rate.preschool", None, None),
    ("education.qualified_teacher_rate.preschool", None, None),
    ("education.excellent_pupil_rate.primary", "education.excellent_pupils.primary",
     "education.assessed_pupils.primary"),
    ("education.promotion_rate.primary", None, None),
    ("education.completion_rate.primary", None, None),
    ("education.graduation_rate.lower_secondary", "education.graduates.lower_secondary",
     "education.graduation_candidates.lower_secondary"),
]
GRADE_GROUPS = {
    "conduct_share": ["good", "fair", "average"],
    "academic_share": ["excellent", "fair", "average"],
    "graduation_grade_share": ["excellent", "fair", "average"],
}
AWARD_MEASURES = ("emulation_fighters", "advanced_workers", "commendations", "initiatives")


# ----------------------------------------------------------------------------------------------- data access
def _school_names(school: str) -> dict:
    return {"school": school, "school_vi": TEXT[f"school.{school}"]["vi"], "school_en": TEXT[f"school.{school}"]["en"]}


# ----------------------------------------------------------------------------------------------- formulas
def rate(count: float, base: float) -> float:
    """A rate in % = 100 × count ÷ base (NaN when missing)."""
    return 100.0 * ratio(count, base)


# ----------------------------------------------------------------------------------------------- analyses
def schools(year: int | None = None, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """One row per school: pupils, classes, staff (stated), pupils per class (computed = pupils ÷ classes)
    and the school year the pupil count is given for."""
    f = figures(year, data_dir)
    rows = []
    for school in SCHOOLS:
        pupils, classes = f.value(f"education.pupils.{school}"), f.value(f"education.classes.{school}")
        rows.append({**_school_names(school), "pupils": pupils, "classes": classes,
                     "staff": f.value(f"education.staff.{school}"), "pupils_per_class": ratio(pupils, classes),
                     "school_year": f.field(f"education.pupils.{school}", "school_year")})
    return pd.DataFrame.from_records(rows)


def standard_statements(year: int | None = None, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Every statement of the schools' national-standard status and levels, in report order."""
    f = figures(year, data_dir)
    facts = f.facts[(f.facts["basis"] == "stated") & (f.facts["year"] == f.year) & (f.facts["kind"] == "actual")]
    order = {s: i for i, s in enumerate(cg.load("sections", f.year, data_dir)["code"])}
    rows = []
    for iid in STANDARD_IDS:
        for row in facts[facts["indicator_id"] == iid].sort_values("mention").to_dict("records"):
            rows.append({**f.names(iid), "mention": int(row["mention"]), "value": float(row["value"]),
                         "unit": row["unit"], "as_written": row["as_written"], "section": row["section"],
                         "quote": row["quote"], "_order": order.get(row["section"], len(order))})
    columns = ["indicator_id", "name_vi", "name_en", "mention", "value", "unit", "as_written", "section", "quote"]
    frame = pd.DataFrame.from_records(rows, columns=columns + ["_order"])
    return frame.sort_values(["_order", "indicator_id", "mention"], kind="stable").drop(columns="_order") \
        .reset_index(drop=True)


def standard_levels(year: int | None = None, data_dir: str | os.PathLike | None = None) -> list[float]:
    """The distinct national-standard levels the report gives the lower secondary school, in report order."""
    frame = standard_statements(year, data_dir)
    return list(dict.fromkeys(frame.loc[frame["indicator_id"] == LEVEL_ID, "value"]))


def rates(year: int | None = None, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """The school-year rates: as stated, with the count and base where given and the rate they give."""
    f = figures(year, data_dir)
    rows = []
    for rate_id, num_id, den_id in RATES:
        school = f.catalog.get(rate_id, {}).get("dimensions", "").split("school=")[-1].split(";")[0] or None
        numerator = f.value(num_id) if num_id else float("nan")
        denominator = f.value(den_id) if den_id else float("nan")
        rows.append({**f.names(rate_id), **_school_names(school), "stated": f.value(rate_id),
                     "qualifier": f.field(rate_id, "qualifier"), "numerator": numerator, "denominator": denominator,
                     "computed": rate(numerator, denominator), "school_year": f.field(rate_id, "school_year")})
    return pd.DataFrame.from_records(rows)


def grade_shares(year: int | None = None, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Lower secondary grade shares (conduct, academic, graduation) as stated, one row per group and grade."""
    f = figures(year, data_dir)
    rows = []
    for group, grades in GRADE_GROUPS.items():
        for grade in grades:
            iid = f"education.{group}.lower_secondary.{grade}"
            rows.append({**f.names(iid), "group": group, "grade": grade,
                         "group_vi": TEXT[f"group.{group}"]["vi"], "group_en": TEXT[f"group.{group}"]["en"],
                         "grade_vi": TEXT[f"grade.{grade}"]["vi"], "grade_en": TEXT[f"grade.{grade}"]["en"],
                         "share": f.value(iid), "school_year": f.field(iid, "school_year")})
    return pd.DataFrame.from_records(rows)


def grade_totals(year: int | None = None, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Sum of the shares of each grade group (computed; 100 % when the report's shares are complete)."""
    frame = grade_shares(year, data_dir)
    rows = [{"group": g, "group_vi": TEXT[f"group.{g}"]["vi"], "group_en": TEXT[f"group.{g}"]["en"],
             "total": total(frame.loc[frame["group"] == g, "share"])} for g in GRADE_GROUPS]
    return pd.DataFrame.from_records(rows)


def awards(year: int | None = None, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Staff awards of every school (emulation fighters, advanced workers, commendations, initiatives)."""
    f = figures(year, data_dir)
    ids = [iid for iid, e in f.catalog.items() if e.get("table") == "schools"
           and iid.split(".")[1] in AWARD_MEASURES]
    ids.sort(key=lambda i: (SCHOOLS.index(i.split(".")[2]), AWARD_MEASURES.index(i.split(".")[1]), i))
    rows = [{**f.names(i), **_school_names(i.split(".")[2]), "measure": i.split(".")[1], "value": f.value(i),
             "school_year": f.field(i, "school_year")} for i in ids]
    return pd.DataFrame.from_records(rows)


def targets(year: int | None = None, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Education targets for the next year (and any for this year), with the sentence that sets them."""
    f = figures(year, data_dir)
    ids = [iid for iid, e in f.catalog.items() if e.get("domain") == "education"]
    rows = []
    for target_year in (f.year, f.year + 1):
        for iid in ids:
            row = f.row(iid, target_year, "target")
            if row is not None:
                rows.append({**f.names(iid), "year": target_year, "value": float(row["value"]), "unit": row["unit"],
                             "qualifier": clean(row["qualifier"]), "as_written": row["as_written"],
                             "quote": row["quote"]})
    return pd.DataFrame.from_records(rows, columns=["indicator_id", "name_vi", "name_en", "year", "value", "unit",
                                                    "qualifier", "as_written", "quote"])


def actuals(year: int | None = None, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Every actual figure of the year in the schools table (first statement), for comparison."""
    return _common.actuals(year, data_dir, ("schools",), sort=True)


def compare(year: int | None, compare_year: int, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    return compare_frames(actuals(year, data_dir), actuals(compare_year, data_dir))


# ----------------------------------------------------------------------------------------------- text
def _t(key: str, lang: str, **values) -> str:
    return t(key, lang, TEXT, **values)


def _results_school_year(year, data_dir) -> str | None:
    years = [y for y in grade_shares(year, data_dir)["school_year"] if isinstance(y, str)]
    years += [y for y in rates(year, data_dir)["school_year"] if isinstance(y, str)]
    return max(set(years), key=years.count) if years else None


def school_year_label(value, lang: str) -> str:
    """'2020-2021' → '2020–2021'; a missing school year → 'not stated'."""
    return value.replace("-", "–") if isinstance(value, str) else _t("school_year_unstated", lang)


def results_heading_year(year: int | None = None, data_dir: str | os.PathLike | None = None, lang: str = "vi") -> str:
    return school_year_label(_results_school_year(year, data_dir), lang)


def levels_text(levels: list[float], lang: str) -> str:
    if not levels:
        return t("not_reported", lang)
    return _t("levels_join", lang).join(number(v, lang) for v in levels)


def summary_text(year: int | None = None, data_dir: str | os.PathLike | None = None, lang: str = "vi") -> str:
    """One sentence with the headline numbers."""
    f = figures(year, data_dir)
    s = schools(year, data_dir).set_index("school")
    r = rates(year, data_dir).set_index("indicator_id").loc["education.graduation_rate.lower_secondary"]
    return _t("summary", lang,
              pre_pupils=number(s.loc["preschool", "pupils"], lang),
              pre_classes=number(s.loc["preschool", "classes"], lang),
              pri_pupils=number(s.loc["primary", "pupils"], lang),
              pri_classes=number(s.loc["primary", "classes"], lang),
              sec_pupils=number(s.loc["lower_secondary", "pupils"], lang),
              sec_classes=number(s.loc["lower_secondary", "classes"], lang),
              standard=number(f.value("education.national_standard_schools.all"), lang),
              schools=number(f.value("education.schools.all"), lang),
              levels=levels_text(standard_levels(year, data_dir), lang),
              school_year=school_year_label(r["school_year"], lang),
              graduates=number(r["numerator"], lang), candidates=number(r["denominator"], lang),
              graduation_rate=format_value(r["stated"], "percent", lang))


def schools_note(year: int | None = None, data_dir: str | os.PathLike | None = None, lang: str = "vi") -> str:
    s = schools(year, data_dir).set_index("school")
    return _t("schools_note", lang, preschool_year=school_year_label(s.loc["preschool", "school_year"], lang))


def standard_note(year: int | None = None, data_dir: str | os.PathLike | None = None, lang: str = "vi") -> str:
    """Which standard figures the report states inconsistently, with every value and the section it is in."""
    frame = standard_statements(year, data_dir)
    sentences = []
    for iid, group in frame.groupby("indicator_id", sort=False):
        if group["value"].nunique() > 1:
            values = "; ".join(_t("standard_item", lang, value=number(v, lang), section=s)
                               for v, s in zip(group["value"], group["section"]))
            sentences.append(_t("standard_differ", lang, name=group[f"name_{lang}"].iloc[0], count=len(group),
                                values=values))
    levels = frame[frame["indicator_id"] == LEVEL_ID]
    for quote, section in zip(levels["quote"], levels["section"]):
        if isinstance(quote, str) and "TH và THCS" in quote:  # one sentence names both schools: show its words
            sentences.append(_t("standard_primary_note", lang, quote=quote, section=section))
    return " ".join(sentences) if sentences else _t("standard_agree", lang)


def grades_total_note(year: int | None = None, data_dir: str | os.PathLike | None = None, lang: str = "vi") -> str:
    return " ".join(_t("grades_total", lang, group=r[f"group_{lang}"], total=format_value(r["total"], "percent", lang))
                    for r in grade_totals(year, data_dir).to_dict("records"))


# ----------------------------------------------------------------------------------------------- display
def heading(key: str, lang: str, level: int = 2, **values) -> str:
    """A section heading (the text of `key` in the reader's language), displayed and returned."""
    return present_heading(_t(key, lang, **values), level)


def columns(ctx, which: str) -> list:
    """Column specifications for `present.show_table` for each table of this report."""
    lang = ctx.lang
    name = (f"name_{lang}", t("indicator", lang), None)
    school = (f"school_{lang}", _t("col_school", lang), None)
    school_year = ("school_year", _t("col_school_year", lang), lambda v, r: school_year_label(v, lang))
    if which == "schools":
        return [school, ("pupils", _t("col_pupils", lang), cell(lang, "count")),
                ("classes", _t("col_classes", lang), cell(lang, "count")),
                ("staff", _t("col_staff", lang), cell(lang, "count")),
                ("pupils_per_class", _t("col_per_class", lang), cell(lang, "count", decimals=1)), school_year]
    if which == "standard":
        return [name, ("value", t("value", lang), cell(lang, "count")),
                ("as_written", t("as_written", lang), None), ("section", _t("col_section", lang), None),
                ("quote", t("quote", lang), None)]
    if which == "rates":
        return [name, school, ("stated", _t("col_stated", lang), cell(lang, "percent", qualifier_key="qualifier")),
                ("numerator", _t("col_numerator", lang), cell(lang, "count")),
                ("denominator", _t("col_denominator", lang), cell(lang, "count")),
                ("computed", _t("col_computed", lang), cell(lang, "percent", decimals=1)), school_year]
    if which == "grades":
        return [(f"group_{lang}", t("indicator", lang), None), (f"grade_{lang}", _t("col_grade", lang), None),
                ("share", t("share", lang), cell(lang, "percent"))]
    if which == "awards":
        return [school, (f"name_{lang}", _t("col_award", lang), None),
                ("value", _t("col_count", lang), cell(lang, "count")), school_year]
    if which == "targets":
        return [name, ("year", t("year", lang), None),
                ("value", t("target", lang), cell(lang, qualifier_key="qualifier")),
                ("as_written", t("as_written", lang), None), ("quote", t("quote", lang), None)]
    if which == "compare":
        return compare_columns(ctx)
    raise ValueError(f"unknown table {which!r}")


# ----------------------------------------------------------------------------------------------- charts
def per_class_chart(year: int | None = None, data_dir: str | os.PathLike | None = None, lang: str = "vi"):
    frame = schools(year, data_dir)
    return charts.bar_chart(list(frame[f"school_{lang}"]), list(frame["pupils_per_class"]), "count", lang,
                            _t("per_class_title", lang), _t("per_class_axis", lang), decimals=1)


def grades_chart(group: str, year: int | None = None, data_dir: str | os.PathLike | None = None, lang: str = "vi"):
    frame = grade_shares(year, data_dir)
    frame = frame[frame["group"] == group]
    return charts.share_chart(list(frame[f"grade_{lang}"]), list(frame["share"]), lang,
                              _t("grades_title", lang, group=TEXT[f"group.{group}"][lang]))


def awards_chart(year: int | None = None, data_dir: str | os.PathLike | None = None, lang: str = "vi"):
    frame = awards(year, data_dir)
    return charts.bar_chart(list(frame[f"name_{lang}"]), list(frame["value"]), "persons", lang,
                            _t("awards_title", lang, school_year=results_heading_year(year, data_dir, lang)),
                            _t("awards_axis", lang))
