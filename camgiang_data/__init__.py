"""camgiang_data: every figure of the 2021 socio-economic report of thị trấn Cẩm Giang, as typed tables with provenance.

    >>> import camgiang_data as cg
    >>> cg.tables()                      # names of the tables
    >>> budget = cg.load("budget")       # the latest year of the packaged data
    >>> cg.validate().findings_frame()   # what the consistency rules find about the report
"""

from __future__ import annotations

import os

import pandas as pd

from .errors import DataError, Problem
from .numbers import format_money, format_number, format_percent, parse_number, parse_quantity
from .schema import TOPICAL_TABLES
from .store import DEFAULT_DATA_DIR, resolve_year
from .store import years as _years
from .tables import SPECIAL_TABLES, table_names, targets_table, topical_table
from .validate import ValidationReport, checked_year, validate

__all__ = [
    "DataError", "Problem", "ValidationReport", "DEFAULT_DATA_DIR",
    "tables", "load", "years", "catalog", "validate", "source_metadata", "describe",
    "parse_number", "parse_quantity", "format_number", "format_percent", "format_money",
]
__version__ = "0.1.0"


def tables() -> list[str]:
    """Names of the tables `load` accepts."""
    return table_names()


def describe() -> dict[str, str]:
    """Each table name with a one-line description."""
    return {**SPECIAL_TABLES, **TOPICAL_TABLES}


def years(data_dir: str | os.PathLike | None = None) -> list[int]:
    """Report years present in the data directory (the packaged one by default), oldest first."""
    return _years(data_dir)


def load(name: str, year: int | None = None, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """One table as a typed DataFrame. `year` defaults to the latest; `data_dir` to the packaged data.

    Raises `DataError` (listing every problem: file, row, column, expected, found) when the data has errors;
    consistency findings about the report do not block loading.
    """
    if name not in table_names():
        raise ValueError(f"unknown table {name!r}; available tables: {', '.join(table_names())}")
    data, facts, report = checked_year(year, data_dir)
    if report.errors:
        raise DataError(report.errors)
    if name == "facts":
        frame = facts
    elif name == "catalog":
        frame = data.catalog
    elif name == "sections":
        frame = data.sections
    elif name == "targets":
        frame = targets_table(data, facts)
    elif name == "findings":
        frame = report.findings_frame()
    else:
        frame = topical_table(name, data, facts)
    return frame.drop(columns=["_row"], errors="ignore").reset_index(drop=True).copy()


def catalog(data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """The indicator catalogue."""
    return load("catalog", data_dir=data_dir)


def source_metadata(year: int | None = None, data_dir: str | os.PathLike | None = None) -> dict:
    """Document number, date, issuing body, title and administrative unit of a year's report."""
    return dict(checked_year(year, data_dir)[0].metadata)
