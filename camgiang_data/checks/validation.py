"""`validate`: errors (schema, references, provenance, derivations, rule definitions) and findings (rules)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import pandas as pd

from ..errors import Problem
from .coverage import uncovered_numbers
from ..facts import build_facts, empty_facts, unfilled
from .plausibility import check_catalog_ranges, check_plausibility
from .provenance import check_provenance
from .references import check_references
from .rules import FINDING_COLUMNS, Finding, check_rule_definitions, evaluate
from ..store import read_year


@dataclass
class ValidationReport:
    year: int
    data_dir: str
    errors: list[Problem] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    uncovered: list = field(default_factory=list)  # numbers of the source that no fact accounts for
    counts: dict[str, int] = field(default_factory=dict)
    # True when files could not be read or broke their structure: the later checks did not run
    stopped_at_structure: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def findings_frame(self) -> pd.DataFrame:
        return pd.DataFrame([f.as_record() for f in self.findings], columns=FINDING_COLUMNS)

    def errors_frame(self) -> pd.DataFrame:
        return pd.DataFrame([vars(p) for p in self.errors],
                            columns=["check", "file", "row", "column", "expected", "found", "hint"])

    def summary(self) -> str:
        counted = ", ".join(f"{v} {k}" for k, v in self.counts.items())
        text = f"{self.year}: {counted}; {len(self.errors)} error(s), {len(self.findings)} finding(s) about the report"
        if self.stopped_at_structure:
            text += ("; the files must be readable and well formed before the figures are checked (references, "
                     "provenance, plausibility, rules): fix these errors and validate again")
        return text


def validate(year: int | None = None, data_dir: str | os.PathLike | None = None) -> ValidationReport:
    """Check one year of data: every error (which file, row, column, expected, found) and every finding."""
    return checked_year(year, data_dir)[2]


def checked_year(year: int | None = None, data_dir: str | os.PathLike | None = None):
    """(data, facts, report) for one year, computed once per unchanged set of files."""
    data = read_year(year, data_dir)
    if "checked" not in data.derived_cache:
        data.derived_cache["checked"] = _check(data)
    facts, report = data.derived_cache["checked"]
    return data, facts, report


def _check(data) -> tuple[pd.DataFrame, ValidationReport]:
    """Structure first (files readable, cells typed, keys unique, rules well formed): only sound data goes on to
    the checks that join and compute (references, derivations, provenance, plausibility, rules, coverage)."""
    report = ValidationReport(data.year, str(data.root))
    report.errors.extend(data.problems)
    report.errors.extend(check_rule_definitions(data.rules, set(data.catalog["indicator_id"].dropna()),
                                                "rules.toml"))
    report.errors.extend(check_catalog_ranges(data.catalog, "catalog.csv"))
    report.counts = {"indicators": len(data.catalog), "rules": len(data.rules)}
    if report.errors:
        report.stopped_at_structure = True
        return empty_facts(), report
    facts, derive_problems = build_facts(data)
    report.errors.extend(check_references(data))
    report.errors.extend(derive_problems)
    report.errors.extend(check_provenance(data, facts))
    report.errors.extend(check_plausibility(data))
    empty = unfilled(facts)
    filled = facts[~empty]  # a figure not filled yet takes no part in rules or mention agreement
    report.findings.extend(evaluate(data.rules, filled, data.year))
    if data.source and not report.errors:
        own = filled["source_year"].isna() | (filled["source_year"] == data.year)
        report.uncovered = uncovered_numbers(data.source, filled[own.astype(bool)])
    report.counts = {
        "stated figures": int((filled["basis"] == "stated").sum()),
        "derived figures": int((facts["basis"] == "derived").sum()),
        "figures not filled yet": int(empty.sum()),
        "indicators": len(data.catalog),
        "rules": len(data.rules),
        "uncaptured numbers": len(report.uncovered),
    }
    return facts, report
