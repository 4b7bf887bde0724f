"""Derived figures: values that follow from stated ones by a named formula, computed at load, never typed in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import pandas as pd

from .errors import ProblemList
from .refs import FactIndex, parse_ref


@dataclass(frozen=True)
class Formula:
    name: str
    inputs: tuple[str, ...]  # the kinds of its inputs, in order
    compute: Callable[..., float]
    tolerance: Callable[..., float]  # propagated rounding tolerance from the inputs' (value, tolerance) pairs
    text: str


FORMULAS: dict[str, Formula] = {
    f.name: f
    for f in (
        Formula("prior_from_change", ("actual", "change"),
                lambda actual, change: actual - change,
                lambda a, c: a[1] + c[1],
                "previous year = actual − change"),
        Formula("prior_unchanged", ("actual",),
                lambda actual: actual,
                lambda a: a[1],
                "previous year = actual (the report says it did not change)"),
        Formula("target_from_attainment", ("actual", "plan_attainment"),
                lambda actual, attainment: actual * 100.0 / attainment,
                lambda a, p: (a[1] / p[0] + a[0] * p[1] / p[0] ** 2) * 100.0,
                "plan = actual × 100 ÷ plan attainment (%)"),
    )
}

DERIVED_COLUMNS = ["indicator_id", "year", "kind", "value", "unit", "tolerance", "formula", "inputs", "ref_date",
                   "quote", "section", "note", "_row"]


def derive(derivations: pd.DataFrame, index: FactIndex, label: str, problems: ProblemList) -> pd.DataFrame:
    """Compute every derivation row; a row whose inputs are missing or malformed becomes a problem, not a guess."""
    out = []
    for row in derivations.to_dict("records"):
        where = {"file": label, "row": int(row["_row"]), "check": "derivation"}
        formula = FORMULAS.get(row["formula"])
        if formula is None:
            continue  # the schema's enum already reported it
        try:
            refs = [parse_ref(t, int(row["year"])) for t in str(row["inputs"] or "").split()]
        except ValueError as exc:
            problems.add(column="inputs", expected="references ID@YEAR:KIND", found=row["inputs"], hint=str(exc),
                         **where)
            continue
        if [r.kind for r in refs] != list(formula.inputs):
            problems.add(column="inputs", expected=f"{len(formula.inputs)} input(s) of kinds "
                         f"{', '.join(formula.inputs)} for {formula.name}", found=row["inputs"], **where)
            continue
        figures = [index.get(r) for r in refs]
        if any(f is None for f in figures):
            missing = [str(r) for r, f in zip(refs, figures) if f is None]
            problems.add(column="inputs", expected="inputs that exist in the facts", found=", ".join(missing), **where)
            continue
        if formula.name.startswith("prior_") and any(r.indicator_id != row["indicator_id"] for r in refs):
            problems.add(column="inputs", expected=f"inputs of the same indicator {row['indicator_id']}",
                         found=row["inputs"], **where)
            continue
        pairs = [(f["value"], f["tolerance"]) for f in figures]
        try:
            value = formula.compute(*(p[0] for p in pairs))
        except ZeroDivisionError:
            problems.add(column="inputs", expected="a non-zero plan attainment", found=row["inputs"], **where)
            continue
        out.append({
            "indicator_id": row["indicator_id"], "year": row["year"], "kind": row["kind"],
            "value": value, "unit": figures[0]["unit"], "tolerance": formula.tolerance(*pairs),
            "formula": formula.name, "inputs": " ".join(map(str, refs)), "ref_date": row["ref_date"],
            "quote": row["quote"], "section": row["section"], "note": row["note"], "_row": row["_row"],
        })
        index.add({**out[-1], "basis": "derived"})
    return pd.DataFrame.from_records(out, columns=DERIVED_COLUMNS)
