"""The `camgiang` command line: tables, validate (exit codes, messages naming file/row/column), --help."""

from __future__ import annotations

import json

from click.testing import CliRunner

from camgiang_data.cli import main

from .conftest import edit_cell


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_help_lists_the_commands():
    result = run("--help")
    assert result.exit_code == 0
    for command in ("tables", "validate", "write-datapackages"):
        assert command in result.output


def test_tables_prints_each_table_with_a_description():
    result = run("tables")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert any(line.startswith("budget ") and "revenue" in line.lower() for line in lines)
    assert any(line.startswith("poverty ") for line in lines)


def test_validate_packaged_data_has_no_errors_but_shows_findings():
    result = run("validate")
    assert result.exit_code == 0, result.output
    assert "0 error(s)" in result.output
    assert "FINDING economy.production_value_attainment" in result.output


def test_validate_json_is_machine_readable():
    result = run("validate", "--json")
    report = json.loads(result.output)
    assert report["errors"] == [] and report["counts"]["stated figures"] > 200
    assert {f["rule_id"] for f in report["findings"]} >= {"public_order.cases_outcome_total"}


def test_validate_bad_data_exits_1_and_names_file_row_column(data_dir):
    row = edit_cell(data_dir / "2021" / "facts.csv", {"indicator_id": "budget.spending.total"}, "value",
                    "7.687.148.250")
    result = run("validate", "--data-dir", str(data_dir), "--year", "2021")
    assert result.exit_code == 1
    assert f"2021/facts.csv, row {row}, column 'value'" in result.output
    assert "7687148250" in result.output


def test_validate_unknown_year_and_missing_dir(tmp_path):
    result = run("validate", "--year", "1999")
    assert result.exit_code == 2 and "available years: 2021" in result.output
    result = run("validate", "--data-dir", str(tmp_path / "nowhere"))
    assert result.exit_code == 2 and "no such folder" in result.output


def test_write_datapackages_into_a_data_dir(data_dir):
    (data_dir / "2021" / "datapackage.json").unlink()
    result = run("write-datapackages", "--data-dir", str(data_dir))
    assert result.exit_code == 0
    descriptor = json.loads((data_dir / "2021" / "datapackage.json").read_text(encoding="utf-8"))
    assert [r["path"] for r in descriptor["resources"]] == ["facts.csv", "derivations.csv", "sections.csv"]
