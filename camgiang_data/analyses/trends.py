"""Time series across the report years of a data directory: every indicator with three or more yearly points.

A point is the first stated actual of that year in that year's own report; a year no report states, but that a
later report's stated change implies (e.g. 2020 derived in the 2021 data), counts as a derived point. Where two
reports give the same year, the year's own report wins (it is the one that states it). Words and charts:
`camgiang_data.present.reports.trends`.
"""

from __future__ import annotations

import os

import pandas as pd

import camgiang_data as cg
from camgiang_data.paths import resolve_year, years

MIN_POINTS = 3


def series(year: int | None = None, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Long table: indicator_id, year, value, unit, basis, report_year — for every report year up to `year`."""
    year = resolve_year(year, data_dir)
    points: dict[tuple[str, int], dict] = {}
    for report_year in [y for y in years(data_dir) if y <= year]:
        facts = cg.load("facts", report_year, data_dir)
        actual = facts[(facts["kind"] == "actual") & facts["value"].notna()
                       & ((facts["basis"] == "derived") | (facts["mention"] == 1))]
        for row in actual.to_dict("records"):
            key = (row["indicator_id"], int(row["year"]))
            own = int(row["year"]) == report_year and row["basis"] == "stated"
            if key not in points or own:
                points[key] = {"indicator_id": key[0], "year": key[1], "value": float(row["value"]),
                               "unit": row["unit"], "basis": row["basis"], "report_year": report_year}
    frame = pd.DataFrame(list(points.values()),
                         columns=["indicator_id", "year", "value", "unit", "basis", "report_year"])
    return frame.sort_values(["indicator_id", "year"]).reset_index(drop=True)


def long_series(year: int | None = None, data_dir: str | os.PathLike | None = None,
                min_points: int = MIN_POINTS) -> pd.DataFrame:
    """The series with at least `min_points` yearly points, with the catalogue's names."""
    frame = series(year, data_dir)
    counts = frame.groupby("indicator_id")["year"].transform("nunique")
    frame = frame[counts >= min_points]
    names = cg.catalog(data_dir)[["indicator_id", "name_vi", "name_en"]]
    return frame.merge(names, on="indicator_id", how="left")


def data_years(data_dir: str | os.PathLike | None = None) -> list[int]:
    """The report years the data directory holds."""
    return list(years(data_dir))
