"""Education (Giáo dục): the three schools (preschool, primary, lower secondary) — pupils, classes, staff, pupils
per class, national-standard level (every statement, since the report disagrees with itself), results of the
school year, staff awards and next year's targets.

Pure functions over `camgiang_data.load` (`year`, `data_dir`), returning DataFrames and a small dataclass;
schools, grade groups and grades are codes (`preschool`, `conduct_share`, `good`), indicators carry the
catalogue's `name_vi`/`name_en`. A figure the data lacks is NaN ("not reported"), never zero. Words, tables and
charts: `camgiang_data.present.reports.education`.

Formulas (named, tested):
- pupils per class = pupils ÷ classes;
- a rate recomputed from its count = 100 × count ÷ base (`rate`);
- sum of a grade group = the sum of its shares (100 % when the report's shares are complete);
- the school year of the results = the school year most of the results are given for.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass

import pandas as pd

import camgiang_data as cg
from camgiang_data.analyses import _common
from camgiang_data.analyses._common import clean, compare_frames, figures, ratio, total

SCHOOLS = ("preschool", "primary", "lower_secondary")

STANDARD_IDS = ["education.schools.all", "education.national_standard_schools.all",
                "education.national_standard_level.lower_secondary",
                "education.quality_accreditation_level.lower_secondary", "education.universal_education_level.primary"]
LEVEL_ID = "education.national_standard_level.lower_secondary"
GRADUATION_ID = "education.graduation_rate.lower_secondary"
# a sentence that gives one level to "trường TH và THCS" (the primary and lower secondary schools together)
BOTH_SCHOOLS = "TH và THCS"
# Rates, each with the count and base it is measured on where the report gives them.
RATES = [
    ("education.enrolment_rate.preschool", None, None),
    ("education.boarding_rate.preschool", None, None),
    ("education.qualified_teacher_rate.preschool", None, None),
    ("education.excellent_pupil_rate.primary", "education.excellent_pupils.primary",
     "education.assessed_pupils.primary"),
    ("education.promotion_rate.primary", None, None),
    ("education.completion_rate.primary", None, None),
    (GRADUATION_ID, "education.graduates.lower_secondary", "education.graduation_candidates.lower_secondary"),
]
GRADE_GROUPS = {
    "conduct_share": ["good", "fair", "average"],
    "academic_share": ["excellent", "fair", "average"],
    "graduation_grade_share": ["excellent", "fair", "average"],
}
AWARD_MEASURES = ("emulation_fighters", "advanced_workers", "commendations", "initiatives")


@dataclass(frozen=True)
class Standard:
    """Schools meeting the national standard out of all schools (each figure's first statement), and the distinct
    national-standard levels the report gives the lower secondary school, in report order."""

    year: int
    schools: float
    standard_schools: float
    levels: tuple[float, ...]


# ----------------------------------------------------------------------------------------------- formulas
def rate(count: float, base: float) -> float:
    """A rate in % = 100 × count ÷ base (NaN when missing)."""
    return 100.0 * ratio(count, base)


# ----------------------------------------------------------------------------------------------- schools
def schools(year: int | None = None, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """One row per school: pupils, classes, staff (stated), pupils per class (computed = pupils ÷ classes)
    and the school year the pupil count is given for."""
    f = figures(year, data_dir)
    rows = []
    for school in SCHOOLS:
        pupils, classes = f.value(f"education.pupils.{school}"), f.value(f"education.classes.{school}")
        rows.append({"school": school, "pupils": pupils, "classes": classes,
                     "staff": f.value(f"education.staff.{school}"), "pupils_per_class": ratio(pupils, classes),
                     "school_year": f.field(f"education.pupils.{school}", "school_year")})
    return pd.DataFrame.from_records(rows)


# ----------------------------------------------------------------------------------------------- standard
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


def standard_levels(statements: pd.DataFrame) -> list[float]:
    """The distinct national-standard levels the statements give the lower secondary school, in report order."""
    return list(dict.fromkeys(statements.loc[statements["indicator_id"] == LEVEL_ID, "value"]))


def disagreements(statements: pd.DataFrame) -> list[pd.DataFrame]:
    """The statements of each figure the report states with more than one value (report order)."""
    return [group for _, group in statements.groupby("indicator_id", sort=False) if group["value"].nunique() > 1]


def shared_level_statements(statements: pd.DataFrame) -> pd.DataFrame:
    """Level statements whose sentence names the primary and lower secondary schools together (the data records
    the figure for the lower secondary school)."""
    levels = statements[statements["indicator_id"] == LEVEL_ID]
    return levels[levels["quote"].map(lambda q: isinstance(q, str) and BOTH_SCHOOLS in q).astype(bool)]


def standard(year: int | None = None, data_dir: str | os.PathLike | None = None) -> Standard:
    """Schools meeting the national standard, all schools, and the levels of the lower secondary school."""
    f = figures(year, data_dir)
    levels = standard_levels(standard_statements(f.year, data_dir))
    return Standard(f.year, f.value("education.schools.all"), f.value("education.national_standard_schools.all"),
                    tuple(levels))


# ----------------------------------------------------------------------------------------------- results
def rates(year: int | None = None, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """The school-year rates: as stated, with the count and base where given and the rate they give."""
    f = figures(year, data_dir)
    rows = []
    for rate_id, num_id, den_id in RATES:
        school = f.catalog.get(rate_id, {}).get("dimensions", "").split("school=")[-1].split(";")[0] or None
        numerator = f.value(num_id) if num_id else float("nan")
        denominator = f.value(den_id) if den_id else float("nan")
        rows.append({**f.names(rate_id), "school": school, "stated": f.value(rate_id),
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
            rows.append({**f.names(iid), "group": group, "grade": grade, "share": f.value(iid),
                         "school_year": f.field(iid, "school_year")})
    return pd.DataFrame.from_records(rows)


def grade_totals(shares: pd.DataFrame) -> pd.DataFrame:
    """Sum of the shares of each grade group of a `grade_shares` frame (missing when a share is missing)."""
    return pd.DataFrame.from_records([{"group": g, "total": total(shares.loc[shares["group"] == g, "share"])}
                                      for g in GRADE_GROUPS])


def results_school_year(shares: pd.DataFrame, rate_frame: pd.DataFrame) -> str | None:
    """The school year most of the results (grade shares and rates) are given for; None when none says."""
    years = [y for y in list(shares["school_year"]) + list(rate_frame["school_year"]) if isinstance(y, str)]
    return Counter(years).most_common(1)[0][0] if years else None


def awards(year: int | None = None, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Staff awards of every school (emulation fighters, advanced workers, commendations, initiatives)."""
    f = figures(year, data_dir)
    ids = [iid for iid, e in f.catalog.items() if e.get("table") == "schools"
           and iid.split(".")[1] in AWARD_MEASURES]
    ids.sort(key=lambda i: (SCHOOLS.index(i.split(".")[2]), AWARD_MEASURES.index(i.split(".")[1]), i))
    rows = [{**f.names(i), "school": i.split(".")[2], "measure": i.split(".")[1], "value": f.value(i),
             "school_year": f.field(i, "school_year")} for i in ids]
    return pd.DataFrame.from_records(rows, columns=["indicator_id", "name_vi", "name_en", "unit", "school", "measure",
                                                    "value", "school_year"])


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


# ----------------------------------------------------------------------------------------------- comparison
def actuals(year: int | None = None, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Every actual figure of the year in the schools table (first statement), for comparison."""
    return _common.actuals(year, data_dir, ("schools",), sort=True)


def compare(year: int | None, compare_year: int, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Every figure of the schools table in both years: change = value − previous value."""
    return compare_frames(actuals(year, data_dir), actuals(compare_year, data_dir))
