"""The public API: tables(), load(), years(), catalog(), validate(), and the topical tables' shape and types."""

from __future__ import annotations

import pandas as pd
import pytest

import camgiang_data as cg
from camgiang_data.checks.schema import TOPICAL_TABLES
from camgiang_data.topical import assess_target, parse_dimensions

from .conftest import YEAR, edit_cell


def test_tables_lists_special_and_topical_tables():
    names = cg.tables()
    assert names[:2] == ["facts", "catalog"]
    assert set(TOPICAL_TABLES) <= set(names)
    assert len(names) == len(set(names))


def test_every_table_loads_typed_and_nonempty():
    for name in cg.tables():
        frame = cg.load(name)
        assert isinstance(frame, pd.DataFrame) and len(frame) > 0, name
        assert "_row" not in frame.columns
        if "value" in frame.columns:
            assert frame["value"].dtype == "float64", name
            assert frame["year"].dtype == "Int64", name


def test_every_topical_table_has_at_least_one_indicator_in_the_catalog():
    used = set(cg.catalog()["table"])
    assert used == set(TOPICAL_TABLES), f"unused: {set(TOPICAL_TABLES) - used}; unknown: {used - set(TOPICAL_TABLES)}"


def test_unknown_table_lists_what_exists():
    with pytest.raises(ValueError, match="available tables: facts, catalog"):
        cg.load("budgett")


def test_years_and_default_year():
    assert cg.years() == [YEAR]
    assert cg.load("facts")["indicator_id"].equals(cg.load("facts", year=YEAR)["indicator_id"])


def test_topical_table_expands_dimensions_into_columns():
    welfare = cg.load("welfare")
    catalog = cg.catalog().set_index("indicator_id")
    for row in welfare.to_dict("records"):
        for key, value in parse_dimensions(catalog.at[row["indicator_id"], "dimensions"]).items():
            assert row[key] == value
    assert parse_dimensions("occasion=tet;gift_level=central") == {"occasion": "tet", "gift_level": "central"}


def test_topical_tables_keep_first_mentions_and_derived_rows_only():
    facts = cg.load("facts")
    firsts = facts[(facts["basis"] == "derived") | (facts["mention"] == 1)]
    total = sum(len(cg.load(name)) for name in TOPICAL_TABLES)
    assert total == len(firsts)


def test_derived_rows_name_formula_and_inputs_and_recompute():
    facts = cg.load("facts")
    derived = facts[facts["basis"] == "derived"]
    assert len(derived) > 0 and derived["formula"].notna().all() and derived["inputs"].notna().all()
    stated = facts[(facts["basis"] == "stated") & (facts["mention"] == 1)].set_index(["indicator_id", "year", "kind"])
    for row in derived[derived["formula"] == "prior_from_change"].to_dict("records"):
        actual = stated.loc[(row["indicator_id"], row["year"] + 1, "actual"), "value"]
        change = stated.loc[(row["indicator_id"], row["year"] + 1, "change"), "value"]
        assert row["value"] == pytest.approx(actual - change)


def test_data_dir_outside_the_package(data_dir):
    edit_cell(data_dir / "2021" / "facts.csv", {"indicator_id": "budget.spending.development_investment"},
              "note", "edited outside the package")
    facts = cg.load("facts", data_dir=data_dir)
    row = facts[facts["indicator_id"] == "budget.spending.development_investment"].iloc[0]
    assert row["note"] == "edited outside the package"
    assert cg.source_metadata(data_dir=data_dir)["document_number"] == "01/BC-UBND"


@pytest.mark.parametrize("target, qualifier, actual, kind, status", [
    (56e6, None, 55.1e6, "target", "not_met"),
    (10, None, 10, "target", "met"),
    (7, "above", 7, "target", "not_met"),
    (7, "above", 7.1, "target", "met"),
    (1, "below", 0.63, "target", "met"),
    (90, "at_least", 93, "target", "met"),
    (-0.2, "at_least", -0.08, "target_change", "not_met"),
    (-0.2, "at_least", -0.4, "target_change", "met"),
    (90, None, None, "target", "not_reported"),
    (90, None, float("nan"), "target", "not_reported"),
    (float("nan"), None, 93, "target", "not_reported"),
])
def test_assess_target(target, qualifier, actual, kind, status):
    assert assess_target(target, qualifier, actual, kind) == status


def test_targets_table_pairs_each_target_with_its_result():
    targets = cg.load("targets")
    assert set(targets["status"]) <= {"met", "not_met", "not_reported"}
    assert (targets[targets["year"] > YEAR]["status"] == "not_reported").all()
    reported = targets[targets["result"].notna()]
    assert len(reported) > 0 and reported["result_quote"].notna().all()


def test_findings_table_matches_validate():
    assert len(cg.load("findings")) == len(cg.validate().findings) > 0
