"""The tables analysts load: the long facts table, the catalogue, and topical tables built from the facts."""

from __future__ import annotations

import math

import pandas as pd

from .facts import build_facts
from .schema import TOPICAL_TABLES
from .store import YearData

SPECIAL_TABLES: dict[str, str] = {
    "facts": "Every figure: one row per statement, plus derived figures (basis = derived)",
    "catalog": "The indicator catalogue: names, unit, domain, topical table, dimensions",
    "sections": "The report's sections, with their headings as printed",
    "targets": "Every target with the matching result: met, not met or not reported",
    "findings": "Consistency findings about the report (rules that fail, repeated figures that disagree)",
}

STATUS_MET, STATUS_NOT_MET, STATUS_NOT_REPORTED = "met", "not_met", "not_reported"


def table_names() -> list[str]:
    return [*SPECIAL_TABLES, *TOPICAL_TABLES]


def parse_dimensions(text) -> dict[str, str]:
    """`occasion=tet;gift_level=central` → {'occasion': 'tet', 'gift_level': 'central'}."""
    if not isinstance(text, str) or not text:
        return {}
    return dict(part.split("=", 1) for part in text.split(";"))


def facts_with_catalog(data: YearData, facts: pd.DataFrame | None = None) -> pd.DataFrame:
    facts = build_facts(data)[0] if facts is None else facts
    catalog = data.catalog[["indicator_id", "name_vi", "name_en", "domain", "table", "dimensions"]]
    return facts.merge(catalog, on="indicator_id", how="left", validate="many_to_one")


_TOPICAL_COLUMNS = ["year", "kind", "basis", "value", "unit", "tolerance", "qualifier", "estimated", "ref_date",
                    "school_year", "as_written", "quote", "section", "formula", "inputs", "note"]


def topical_table(name: str, data: YearData, facts: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per figure of the table (first mention; repeats stay in `facts`), dimensions as columns."""
    merged = facts_with_catalog(data, facts)
    rows = merged[(merged["table"] == name) & ((merged["basis"] == "derived") | (merged["mention"] == 1))]
    dims = [parse_dimensions(d) for d in rows["dimensions"]]
    keys = list(dict.fromkeys(k for d in dims for k in d))
    out = rows[["indicator_id", "name_vi", "name_en"]].copy()
    for key in keys:
        out[key] = pd.Series([d.get(key) for d in dims], index=rows.index, dtype="string")
    for col in _TOPICAL_COLUMNS:
        out[col] = rows[col]
    return out.sort_values(["indicator_id", "year", "kind", "basis"]).reset_index(drop=True)


def assess_target(target: float, qualifier, actual: float | None, kind: str = "target") -> str:
    """met / not_met / not_reported for one target against its result.

    A level target with no qualifier is met when the result reaches it; `above`, `at_least` and `below` are
    read literally. A `target_change` (signed) is met when the actual change goes at least as far in its direction.
    """
    if actual is None or (isinstance(actual, float) and math.isnan(actual)) or actual is pd.NA:
        return STATUS_NOT_REPORTED
    qualifier = None if qualifier is None or qualifier is pd.NA or qualifier != qualifier else qualifier
    if kind == "target_change":
        direction = -1.0 if target < 0 else 1.0
        met = direction * actual >= abs(target) if qualifier != "above" else direction * actual > abs(target)
    elif qualifier == "above":
        met = actual > target
    elif qualifier == "below":
        met = actual < target
    else:
        met = actual >= target
    return STATUS_MET if met else STATUS_NOT_MET


def targets_table(data: YearData, facts: pd.DataFrame | None = None) -> pd.DataFrame:
    merged = facts_with_catalog(data, facts)
    first = merged[(merged["basis"] == "derived") | (merged["mention"] == 1)]
    stated = first[first["basis"] == "stated"]
    actual = stated[stated["kind"] == "actual"].set_index(["indicator_id", "year"])
    change = stated[stated["kind"] == "change"].set_index(["indicator_id", "year"])
    records = []
    for row in stated[stated["kind"].isin(["target", "target_change"])].to_dict("records"):
        source = change if row["kind"] == "target_change" else actual
        key = (row["indicator_id"], row["year"])
        result = source.loc[key] if key in source.index else None
        result_value = None if result is None else float(result["value"])
        records.append({
            "indicator_id": row["indicator_id"], "name_vi": row["name_vi"], "name_en": row["name_en"],
            "table": row["table"], "year": row["year"], "kind": row["kind"], "target": row["value"],
            "qualifier": row["qualifier"], "unit": row["unit"], "target_as_written": row["as_written"],
            "target_quote": row["quote"], "result": result_value,
            "result_qualifier": None if result is None else result["qualifier"],
            "result_as_written": None if result is None else result["as_written"],
            "result_quote": None if result is None else result["quote"],
            "status": assess_target(row["value"], row["qualifier"], result_value, row["kind"]),
        })
    frame = pd.DataFrame.from_records(records)
    if frame.empty:
        return frame
    typed = {c: "string" for c in ("indicator_id", "name_vi", "name_en", "table", "kind", "qualifier", "unit",
                                    "target_as_written", "target_quote", "result_qualifier", "result_as_written",
                                    "result_quote", "status")}
    return frame.astype({**typed, "year": "Int64", "target": "float64", "result": "float64"})
