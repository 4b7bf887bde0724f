"""The tables analysts load: the long facts table, the catalogue, and topical tables built from the facts."""

from __future__ import annotations

import math

import pandas as pd

from .facts import build_facts
from .checks.schema import TOPICAL_TABLES
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
    """Facts joined with their catalogue entry; computed once per read of the data (do not modify the result)."""
    key = ("facts_with_catalog", id(facts))
    if key not in data.derived_cache:
        facts = build_facts(data)[0] if facts is None else facts
        catalog = data.catalog[["indicator_id", "name_vi", "name_en", "domain", "table", "dimensions"]]
        data.derived_cache[key] = facts.merge(catalog, on="indicator_id", how="left", validate="many_to_one")
    return data.derived_cache[key]


_TOPICAL_COLUMNS = ["year", "kind", "basis", "value", "unit", "tolerance", "qualifier", "estimated", "ref_date",
                    "school_year", "as_written", "quote", "section", "formula", "inputs", "note"]


def _topical_rows(data: YearData, facts: pd.DataFrame | None) -> dict[str, pd.DataFrame]:
    """Every topical table's rows, split in one pass and kept for the life of this read of the data."""
    key = ("topical", id(facts))
    if key not in data.derived_cache:
        merged = facts_with_catalog(data, facts)
        first = merged[(merged["basis"] == "derived") | (merged["mention"] == 1)]
        first = first.sort_values(["table", "indicator_id", "year", "kind", "basis"])
        data.derived_cache[key] = {name: rows for name, rows in first.groupby("table", sort=False)}
    return data.derived_cache[key]


def topical_table(name: str, data: YearData, facts: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per figure of the table (first mention; repeats stay in `facts`), dimensions as columns."""
    rows = _topical_rows(data, facts).get(name)
    if rows is None:
        rows = facts_with_catalog(data, facts).iloc[0:0]
    dims = [parse_dimensions(d) for d in rows["dimensions"]]
    keys = list(dict.fromkeys(k for d in dims for k in d))
    columns = {c: rows[c].array for c in ("indicator_id", "name_vi", "name_en")}
    columns |= {k: pd.array([d.get(k) for d in dims], dtype="string") for k in keys}
    columns |= {c: rows[c].array for c in _TOPICAL_COLUMNS}
    return pd.DataFrame(columns)


def assess_target(target: float, qualifier, actual: float | None, kind: str = "target") -> str:
    """met / not_met / not_reported for one target against its result.

    A level target with no qualifier is met when the result reaches it; `above`, `at_least` and `below` are
    read literally. A `target_change` (signed) is met when the actual change goes at least as far in its direction.
    """
    if any(v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) for v in (actual, target)):
        return STATUS_NOT_REPORTED  # a target row not filled yet judges nothing
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
