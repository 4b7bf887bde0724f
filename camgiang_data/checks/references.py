"""References: indicator ids the catalogue knows, units as the catalogue says, sections that exist."""

from __future__ import annotations

import pandas as pd

from .. import units
from ..errors import Problem, ProblemList, closest_hint
from ..store import YearData


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
                problems.add(column="indicator_id", expected="an indicator id of the catalogue (catalog.csv or the unit's catalog.local.csv)", found=indicator,
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
