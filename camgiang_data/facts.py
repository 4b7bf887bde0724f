"""The long facts table of a year: stated figures plus derived ones, with their rounding tolerance."""

from __future__ import annotations

import pandas as pd

from . import numbers, units
from .derive import derive
from .errors import Problem, ProblemList
from .refs import FactIndex
from .store import YearData

COLUMNS = ["indicator_id", "year", "kind", "basis", "mention", "value", "unit", "tolerance", "qualifier",
           "estimated", "ref_date", "school_year", "as_written", "unit_as_written", "quote", "section", "note", "formula",
           "inputs",
           "source_year"]


_TYPED = {"indicator_id": "string", "kind": "string", "basis": "string", "unit": "string", "qualifier": "string",
          "year": "Int64", "mention": "Int64", "value": "float64", "tolerance": "float64",
          "estimated": "boolean", "school_year": "string", "as_written": "string", "unit_as_written": "string",
          "quote": "string",
          "section": "string", "note": "string", "formula": "string", "inputs": "string",
          "source_year": "Int64"}


def unfilled(facts: pd.DataFrame) -> pd.Series:
    """Rows that are figures not filled yet: value, as_written and quote all empty (derived rows never are)."""
    return (facts["value"].isna() & facts["as_written"].isna() & facts["quote"].isna()).astype(bool)


def rounding_tolerance(as_written: str | None, unit: str | None) -> float:
    """Half a unit of the last printed digit, in the base unit; 0 for figures printed in full (counts, exact đồng)."""
    if not isinstance(as_written, str) or not isinstance(unit, str) or unit not in units.UNITS:
        return 0.0
    try:
        quantity = numbers.parse_quantity(as_written)
    except ValueError:
        return 0.0  # provenance reports the unreadable as_written
    dimension = units.unit(unit).dimension
    if dimension in ("count", "ordinal", "time") or (dimension == "money" and quantity.precision <= 1):
        return 0.0
    return quantity.precision / 2


def empty_facts() -> pd.DataFrame:
    """The facts table with no rows (of data whose structure is broken: nothing in it can be trusted)."""
    frame = pd.DataFrame({col: pd.Series(dtype=dtype) for col, dtype in _TYPED.items()})
    frame["ref_date"] = pd.Series(dtype="datetime64[ns]")
    frame["_row"] = pd.Series(dtype="Int64")
    return frame[COLUMNS + ["_row"]]


def build_facts(data: YearData) -> tuple[pd.DataFrame, list[Problem]]:
    """Stated and derived figures in one typed table, and the problems met while deriving."""
    stated = data.facts.copy()
    stated["basis"] = "stated"
    stated["tolerance"] = [rounding_tolerance(a, u) for a, u in zip(stated["as_written"], stated["unit"])]
    index = FactIndex(stated[~unfilled(stated)])  # a figure not filled yet is no input to anything
    problems = ProblemList()
    derived = derive(data.derivations, index, data.label("derivations.csv"), problems)
    derived["basis"] = "derived"
    derived["estimated"] = False
    frames = [f for f in (stated, derived) if len(f)]
    facts = pd.concat(frames, ignore_index=True) if frames else stated
    for col in COLUMNS:
        if col not in facts:
            facts[col] = pd.NA
    facts = facts[COLUMNS + ["_row"]]
    facts = facts.astype(_TYPED)
    facts["ref_date"] = pd.to_datetime(facts["ref_date"])
    return facts, problems.items


def fact_index(facts: pd.DataFrame) -> FactIndex:
    return FactIndex(facts)
