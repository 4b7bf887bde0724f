"""camgiang_data: every figure of the 2021 socio-economic report of thị trấn Cẩm Giang, as typed tables with provenance.

    >>> import camgiang_data as cg
    >>> cg.tables()                      # names of the tables
    >>> budget = cg.load("budget")       # the latest year of the packaged data
    >>> cg.validate().findings_frame()   # what the consistency rules find about the report

Heavy modules (pandas, Babel) are imported on first use, so that the command line answers quickly when it has
nothing to compute (e.g. `camgiang run` with nothing changed).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from .errors import DataError, Problem
from .paths import DEFAULT_DATA_DIR
from .paths import years as _years

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from .checks.validation import ValidationReport

__all__ = [
    "DataError", "Problem", "ValidationReport", "DEFAULT_DATA_DIR", "__version__",
    "tables", "load", "years", "catalog", "validate", "source_metadata", "describe",
    "parse_number", "parse_quantity", "format_number", "format_percent", "format_money",
]
__version__ = "0.1.0"

_LAZY = {
    "parse_number": "numbers", "parse_quantity": "numbers", "format_number": "numbers",
    "format_percent": "numbers", "format_money": "numbers", "ValidationReport": "validation",
}


def __getattr__(name: str):
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def tables() -> list[str]:
    """Names of the tables `load` accepts."""
    from .topical import table_names

    return table_names()


def describe() -> dict[str, str]:
    """Each table name with a one-line description."""
    from .checks.schema import TOPICAL_TABLES
    from .topical import SPECIAL_TABLES

    return {**SPECIAL_TABLES, **TOPICAL_TABLES}


def years(data_dir: str | os.PathLike | None = None) -> list[int]:
    """Report years present in the data directory (the packaged one by default), oldest first."""
    return _years(data_dir)


def load(name: str, year: int | None = None, data_dir: str | os.PathLike | None = None) -> "pd.DataFrame":
    """One table as a typed DataFrame. `year` defaults to the latest; `data_dir` to the packaged data.

    Raises `DataError` (listing every problem: file, row, column, expected, found) when the data has errors;
    consistency findings about the report do not block loading.
    """
    from .topical import table_names, targets_table, topical_table
    from .checks.validation import checked_year

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
    return frame.drop(columns=["_row", "_file"], errors="ignore").reset_index(drop=True).copy()


def catalog(data_dir: str | os.PathLike | None = None) -> "pd.DataFrame":
    """The indicator catalogue."""
    return load("catalog", data_dir=data_dir)


def validate(year: int | None = None, data_dir: str | os.PathLike | None = None) -> "ValidationReport":
    """Check one year of data: every error (which file, row, column, expected, found) and every finding."""
    from .checks.validation import validate as run

    return run(year, data_dir)


def source_metadata(year: int | None = None, data_dir: str | os.PathLike | None = None) -> dict:
    """Document number, date, issuing body, title and administrative unit of a year's report.

    Raises `DataError` when source.json is missing, is not valid JSON or breaks its structure (unknown keys,
    wrong types, required keys empty): metadata that cannot be trusted is never returned as if it could."""
    from .store import read_year

    data = read_year(year, data_dir)
    problems = [p for p in data.problems if p.file == data.label("source.json")]
    if problems:
        raise DataError(problems)
    return dict(data.metadata)
