"""The consistency-rule engine on small hand-made facts: each rule type passes when the figures agree
and yields a finding (with both numbers) when they do not."""

from __future__ import annotations

import pandas as pd
import pytest

from camgiang_data.checks.rules import check_rule_definitions, evaluate


def facts(*rows) -> pd.DataFrame:
    """Rows of (indicator_id, value[, kind[, tolerance[, qualifier[, mention]]]]) for the year 2021."""
    records = []
    for r in rows:
        ind, value, kind, tol, qual, mention = (list(r) + [None] * 6)[:6]
        records.append({
            "indicator_id": ind, "year": 2021, "kind": kind or "actual", "basis": "stated", "mention": mention or 1,
            "value": float(value), "tolerance": float(tol or 0.0), "qualifier": qual or pd.NA,
            "as_written": str(value), "quote": f"quote of {ind}",
        })
    return pd.DataFrame.from_records(records)


SUM = {"id": "s", "type": "sum", "total": "x.total", "parts": ["x.a", "x.b"], "description": "parts add up"}


def test_sum_that_holds_finds_nothing():
    assert evaluate([SUM], facts(("x.total", 10), ("x.a", 4), ("x.b", 6)), 2021) == []


def test_sum_that_fails_reports_both_numbers():
    [finding] = evaluate([SUM], facts(("x.total", 10), ("x.a", 4), ("x.b", 5)), 2021)
    assert (finding.stated, finding.computed, finding.rule_id) == (10, 9, "s")
    assert "10" in finding.message and "9" in finding.message
    assert finding.as_record()["quotes"].count("quote of") == 3


def test_sum_within_rounding_tolerance_holds():
    # three shares printed to one decimal may add to 99.9 or 100.1
    rule = {**SUM, "parts": ["x.a", "x.b", "x.c"]}
    rows = facts(("x.total", 100, None, 0.0), ("x.a", 33.4, None, 0.05), ("x.b", 33.3, None, 0.05),
                 ("x.c", 33.2, None, 0.05))
    assert evaluate([rule], rows, 2021) == []
    rows.loc[3, "value"] = 33.0
    assert len(evaluate([rule], rows, 2021)) == 1


def test_rule_with_missing_figures_does_not_apply():
    assert evaluate([SUM], facts(("x.total", 10), ("x.a", 4)), 2021) == []


def test_parts_within_total():
    rule = {"id": "w", "type": "parts_within", "total": "x.total", "parts": ["x.a", "x.b"]}
    assert evaluate([rule], facts(("x.total", 10), ("x.a", 4), ("x.b", 5)), 2021) == []
    assert len(evaluate([rule], facts(("x.total", 10), ("x.a", 6), ("x.b", 5)), 2021)) == 1


def test_ratio_respects_printed_precision():
    rule = {"id": "r", "type": "ratio", "rate": "p.rate", "numerator": "p.n", "denominator": "p.d"}
    # 47 / 2582 = 1.8203 %, printed 1,82 % (tolerance 0.005)
    assert evaluate([rule], facts(("p.rate", 1.82, None, 0.005), ("p.n", 47), ("p.d", 2582)), 2021) == []
    # 1422.9 / 58123 = 2.4481 %: printed 2,44 % is outside half a unit of the last digit
    [finding] = evaluate([rule], facts(("p.rate", 2.44, None, 0.005), ("p.n", 1422.9), ("p.d", 58123)), 2021)
    assert finding.computed == pytest.approx(2.44810, abs=1e-4)


def test_ratio_with_above_qualifier_must_be_above():
    rule = {"id": "r", "type": "ratio", "rate": "c.rate", "numerator": "c.n", "denominator": "c.d"}
    # 2155 / 2319 = 92.93 %: it rounds to "93%" but it is not "above 93%"
    assert evaluate([rule], facts(("c.rate", 93, None, 0.5), ("c.n", 2155), ("c.d", 2319)), 2021) == []
    [finding] = evaluate([rule], facts(("c.rate", 93, None, 0.5, "above"), ("c.n", 2155), ("c.d", 2319)), 2021)
    assert "above" in finding.message


def test_attainment_needs_a_stated_target():
    rule = {"id": "a", "type": "attainment", "indicator": "e.value"}
    rows = facts(("e.value", 515.74, "actual", 0.005), ("e.value", 98.3, "plan_attainment", 0.05),
                 ("e.value", 570, "target"))
    [finding] = evaluate([rule], rows, 2021)
    assert finding.computed == pytest.approx(90.48, abs=0.01) and finding.stated == 98.3
    rows.loc[1, "value"] = 90.5
    assert evaluate([rule], rows, 2021) == []
    derived_target = facts(("e.value", 515.74), ("e.value", 98.3, "plan_attainment"), ("e.value", 570, "target"))
    derived_target.loc[2, "basis"] = "derived"
    assert evaluate([rule], derived_target, 2021) == []


def test_difference_and_equal():
    diff = {"id": "d", "type": "difference", "result": "b.bal", "minuend": "b.rev", "subtrahend": "b.spend"}
    assert evaluate([diff], facts(("b.bal", 3), ("b.rev", 10), ("b.spend", 7)), 2021) == []
    assert len(evaluate([diff], facts(("b.bal", 4), ("b.rev", 10), ("b.spend", 7)), 2021)) == 1
    eq = {"id": "e", "type": "equal", "a": "p.old@2020", "b": "p.new@-1"}
    rows = facts(("p.old", 1.71), ("p.new", 2.03))
    rows["year"] = 2020
    [finding] = evaluate([eq], rows, 2021)
    assert (finding.stated, finding.computed) == (1.71, 2.03)


def test_repeated_mentions_must_agree_in_value_and_qualifier():
    same = facts(("g.rate", 8, None, 0.5, None, 1), ("g.rate", 8, None, 0.5, None, 2))
    assert evaluate([], same, 2021) == []
    other_value = facts(("s.level", 2, None, 0, None, 1), ("s.level", 3, None, 0, None, 2))
    [finding] = evaluate([], other_value, 2021)
    assert finding.rule_type == "mentions_agree" and finding.computed == 3
    other_qualifier = facts(("g.rate", 8, None, 0.5, "above", 1), ("g.rate", 8, None, 0.5, None, 2))
    assert len(evaluate([], other_qualifier, 2021)) == 1


def test_rule_definitions_are_checked():
    rules = [SUM, {"id": "s", "type": "sum", "total": "x.total", "parts": []},
             {"id": "t", "type": "median", "of": "x.a"}, {"id": "u", "type": "ratio", "rate": "x.nope",
                                                         "numerator": "x.a", "denominator": "x.b"}]
    rules = [{**rule, "_line": 10 * i} for i, rule in enumerate(rules, start=1)]  # where each [[rule]] stands
    problems = check_rule_definitions(rules, {"x.total", "x.a", "x.b"}, "rules.toml")
    text = "\n".join(map(str, problems))
    assert "unique rule id" in text          # the second 's'
    assert "a reference for 'parts'" in text
    assert "one of sum" in text              # unknown type 'median'
    assert "x.nope" in text
    assert all(p.file == "rules.toml" for p in problems)
    assert {p.row for p in problems} == {20, 30, 40}  # the line of each faulty rule's header, not its position


def test_a_misspelt_rule_key_is_an_error_not_ignored():
    rule = {**SUM, "tolerence": 10, "_line": 7}
    [problem] = check_rule_definitions([rule], {"x.total", "x.a", "x.b"}, "rules.toml")
    assert (problem.row, problem.column, problem.found) == (7, "tolerence", "tolerence")
    assert "only the keys of a sum rule" in problem.expected
