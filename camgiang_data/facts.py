"""The long facts table of a year: stated figures plus derived ones, with their rounding tolerance."""

from __future__ import annotations

import pandas as pd

from . import numbers, units
from .derive import derive
from .errors import Problem, ProblemList, closest_hint
from .refs import FactIndex
from .store import YearData

COLUMNS = ["indicator_id", "year", "kind", "basis", "mention", "value", "unit", "tolerance", "qualifier",
           "estimated", "ref_date", "school_year", "as_written", "quote", "section", "note", "formula", "inputs",
           "source_year"]


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


def _allowed_units(catalog_unit: str, kind: str) -> set[str]:
    if kind == "plan_attainment":
        return {"percent"}
    if kind in ("change", "target_change") and catalog_unit == "percent":
        return {"pp", "percent"}
    return {catalog_unit}


def check_references(data: YearData) -> list[Problem]:
    """Ids known to the catalogue, units as the catalogue says, sections that exist."""
    problems = ProblemList()
    catalog = data.catalog.set_index("indicator_id")
    ids = set(catalog.index)
    codes = set(data.sections["code"].dropna())
    for name, frame in (("facts.csv", data.facts), ("derivations.csv", data.derivations)):
        label = data.label(name)
        for row in frame.to_dict("records"):
            where = {"file": label, "row": int(row["_row"]), "check": "reference"}
            row_codes, source_year = codes, row.get("source_year", pd.NA)
            if source_year is not None and not pd.isna(source_year) and source_year != data.year:
                source = data.source_of(int(source_year))
                if source is None:
                    problems.add(column="source_year", expected="the year folder of the report the quote comes "
                                 f"from, with its source.txt (in {data.root})", found=str(source_year), **where)
                    row_codes = None
                else:
                    row_codes = set(source.sections["code"].dropna())
            indicator = row["indicator_id"]
            if indicator is not None and indicator is not pd.NA and indicator not in ids:
                hint = closest_hint(indicator, ids)
                problems.add(column="indicator_id", expected="an indicator id from catalog.csv", found=indicator,
                             hint=hint, **where)
            elif name == "facts.csv" and row["unit"] in units.UNITS and row["kind"] is not pd.NA:
                allowed = _allowed_units(catalog.at[indicator, "unit"], row["kind"])
                if row["unit"] not in allowed:
                    problems.add(column="unit", expected=f"{' or '.join(sorted(allowed))} for a {row['kind']} of "
                                 f"{indicator}", found=row["unit"], **where)
            if row_codes is not None and isinstance(row["section"], str) and row["section"] not in row_codes:
                of = "sections.csv" if row_codes is codes else f"{int(source_year)}/sections.csv (source_year)"
                problems.add(column="section", expected=f"a section code from {of}", found=row["section"],
                             hint=closest_hint(row["section"], row_codes), **where)
    return problems.items


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
    typed = {"indicator_id": "string", "kind": "string", "basis": "string", "unit": "string", "qualifier": "string",
             "year": "Int64", "mention": "Int64", "value": "float64", "tolerance": "float64",
             "estimated": "boolean", "school_year": "string", "as_written": "string", "quote": "string",
             "section": "string", "note": "string", "formula": "string", "inputs": "string",
             "source_year": "Int64"}
    facts = facts.astype(typed)
    facts["ref_date"] = pd.to_datetime(facts["ref_date"])
    return facts, problems.items


def fact_index(facts: pd.DataFrame) -> FactIndex:
    return FactIndex(facts)
