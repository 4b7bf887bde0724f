"""The packaged 2021 data: complete over the report's domains, with provenance for every row, and the audit
finds the report's real contradictions while the sums that do hold raise nothing."""

from __future__ import annotations

import pandas as pd

import camgiang_data as cg
from camgiang_data.checks.provenance import normalise
from camgiang_data.store import read_year


def test_packaged_data_validates_without_errors():
    report = cg.validate()
    assert report.errors == [], "\n".join(map(str, report.errors[:10]))


def test_every_domain_the_report_covers_is_captured():
    facts = cg.load("facts").merge(cg.catalog()[["indicator_id", "domain", "table"]], on="indicator_id")
    per_table = facts.groupby("table").size()
    expected = ["economy", "agriculture", "vaccination", "credit_fund", "land_environment", "budget", "schools",
                "covid", "health", "population", "culture", "poverty", "welfare", "elections", "civil_service",
                "military", "public_order", "justice", "civil_registration", "violations"]
    assert all(per_table.get(t, 0) > 0 for t in expected), per_table
    assert len(facts) > 250


def test_every_stated_row_has_words_sentence_and_section_in_the_source():
    data = read_year()
    text = normalise(data.source)
    facts = cg.load("facts")
    stated = facts[facts["basis"] == "stated"]
    assert stated["as_written"].notna().all() and stated["quote"].notna().all()
    for row in stated.to_dict("records"):
        assert normalise(row["as_written"]) in normalise(row["quote"])
        assert normalise(row["quote"]) in text
        assert cg.parse_number(row["as_written"]) == abs(row["value"]) or \
            abs(cg.parse_number(row["as_written"]) - abs(row["value"])) < 1e-9


def test_kinds_and_targets_present():
    facts = cg.load("facts")
    kinds = set(facts["kind"])
    assert {"actual", "target", "plan_attainment", "change", "target_change"} <= kinds
    assert (facts["year"] == 2022).sum() >= 8  # the 2022 targets of Part two
    assert set(facts.loc[facts["basis"] == "derived", "year"]) >= {2020}


def test_repeated_figures_are_kept_as_separate_mentions():
    facts = cg.load("facts")
    growth = facts[(facts["indicator_id"] == "economy.growth_rate") & (facts["kind"] == "actual")]
    assert list(growth["mention"]) == [1, 2] and growth["quote"].nunique() == 2


def _findings():
    return cg.load("findings").set_index("rule_id")


def test_audit_finds_the_reports_contradictions():
    findings = _findings()
    # 515,74 tỷ of a 570 tỷ target is 90,5 %, not the printed 98,3 %
    assert abs(findings.loc["economy.production_value_attainment", "computed"] - 90.48) < 0.01
    # the police outcomes account for 20 of the 21 cases
    assert findings.loc["public_order.cases_outcome_total", ["stated", "computed"]].tolist() == [21, 20]
    # the two near-poor changes imply two different 2020 rates
    assert findings.loc["poverty.prior_near_poor_rate_old_vs_new", ["stated", "computed"]].round(2).tolist() == \
        [1.71, 2.03]
    # the lower secondary school is at national-standard level 2 in the summary, level 3 in its own section
    assert "mentions:education.national_standard_level.lower_secondary@2021:actual" in findings.index


def test_sums_that_hold_raise_no_finding():
    findings = set(_findings().index)
    rules = {r["id"] for r in read_year().rules}
    holding = {"budget.revenue_parts", "budget.spending_parts", "budget.carry_over", "justice.civil_registration_parts",
               "public_order.cases_received_by_type", "economy.structure_shares"}
    assert holding <= rules, holding - rules
    assert not holding & findings


def test_findings_carry_both_numbers_and_quotes():
    findings = cg.load("findings")
    assert findings["stated"].notna().all() and findings["computed"].notna().all()
    assert (findings["quotes"].str.len() > 0).all()
    assert isinstance(findings, pd.DataFrame)


def test_every_number_of_the_source_is_a_captured_figure_or_a_known_non_figure(data_dir):
    from camgiang_data.checks.coverage import uncovered_numbers

    assert cg.validate().uncovered == []
    # drop one figure: the audit must notice the number it leaves behind
    from .conftest import read_rows, write_rows

    path = data_dir / "2021" / "facts.csv"
    rows = read_rows(path)
    kept = [r for r in rows if r["indicator_id"] != "health.visits"]
    assert len(kept) == len(rows) - 1
    write_rows(path, kept)
    uncovered = uncovered_numbers(read_year(2021, data_dir).source, cg.load("facts", 2021, data_dir))
    assert [u.text for u in uncovered] == ["5.792"]
