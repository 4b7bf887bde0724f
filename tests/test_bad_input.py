"""Bad input gets one clear message: which file, which row, which column, what was expected, what was found."""

from __future__ import annotations

import shutil

import pytest

import camgiang_data as cg
from camgiang_data.errors import DataError

from .conftest import YEAR, edit_cell, read_rows, write_rows

REVENUE = {"indicator_id": "budget.revenue.total", "kind": "actual"}


def errors_of(data_dir):
    report = cg.validate(YEAR, data_dir)
    return report.errors


def only(problems, **match):
    hits = [p for p in problems if all(getattr(p, k) == v for k, v in match.items())]
    assert len(hits) == 1, f"expected one problem matching {match}, got: {[str(p) for p in problems]}"
    return hits[0]


def test_the_packaged_copy_is_clean(data_dir):
    assert errors_of(data_dir) == []


@pytest.mark.parametrize("written, machine", [("7.804.089,625", "7804089.625"), ("1,82%", "1.82"),
                                              ("7.804.089.625", "7804089625")])
def test_vietnamese_written_number_in_value_column(data_dir, written, machine):
    row = edit_cell(data_dir / "2021" / "facts.csv", REVENUE, "value", written)
    problem = only(errors_of(data_dir), row=row, column="value", file="2021/facts.csv")
    assert problem.found == written
    assert "machine form" in problem.expected
    assert machine in str(problem)
    with pytest.raises(DataError) as raised:
        cg.load("budget", YEAR, data_dir)
    assert f"row {row}" in str(raised.value) and machine in str(raised.value)


def test_unknown_indicator_id_suggests_the_closest(data_dir):
    row = edit_cell(data_dir / "2021" / "facts.csv", REVENUE, "indicator_id", "budget.revenue.totl")
    problem = only(errors_of(data_dir), row=row, column="indicator_id")
    assert problem.found == "budget.revenue.totl" and "budget.revenue.total" in problem.hint


def test_duplicate_key_names_both_rows(data_dir):
    path = data_dir / "2021" / "facts.csv"
    rows = read_rows(path)
    first = next(i for i, r in enumerate(rows) if r["indicator_id"] == "budget.revenue.total")
    rows.append(dict(rows[first]))
    write_rows(path, rows)
    problem = only(errors_of(data_dir), column="indicator_id,year,kind,mention")
    assert problem.row == len(rows) + 1 and f"row {first + 2}" in problem.hint


def test_missing_required_field(data_dir):
    row = edit_cell(data_dir / "2021" / "facts.csv", REVENUE, "as_written", "")
    problem = only(errors_of(data_dir), row=row, column="as_written")
    assert "number exactly as printed" in problem.expected


def test_quote_not_in_source_says_where_it_differs(data_dir):
    path = data_dir / "2021" / "facts.csv"
    rows = read_rows(path)
    original = next(r for r in rows if r["indicator_id"] == "budget.revenue.total" and r["kind"] == "actual")
    row = edit_cell(path, REVENUE, "quote", original["quote"].replace("Tổng thu", "Tổng chi"))
    problem = only(errors_of(data_dir), row=row, column="quote")
    assert problem.check == "provenance" and "differs at" in problem.hint


def test_value_disagreeing_with_as_written(data_dir):
    row = edit_cell(data_dir / "2021" / "facts.csv", REVENUE, "value", "7804089626")
    problem = only(errors_of(data_dir), row=row, column="value")
    assert "7804089625" in problem.expected.replace(",", "") and problem.found == "7804089626"


def test_as_written_that_is_not_in_the_quote(data_dir):
    row = edit_cell(data_dir / "2021" / "facts.csv", REVENUE, "as_written", "7.804.089.626đ")
    problems = [p for p in errors_of(data_dir) if p.row == row]
    assert {p.column for p in problems} == {"as_written", "value"}


def test_quote_in_the_wrong_section(data_dir):
    row = edit_cell(data_dir / "2021" / "facts.csv", REVENUE, "section", "I.B.II.1")
    problem = only(errors_of(data_dir), row=row, column="section")
    assert problem.found == "I.B.II.1"


def test_year_folder_with_no_source(data_dir):
    (data_dir / "2021" / "source.txt").unlink()
    problem = only(errors_of(data_dir), file="2021/source.txt")
    assert "report text" in problem.expected and problem.found == "no such file"


def test_edited_source_is_refused(data_dir):
    path = data_dir / "2021" / "source.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("7.804.089.625đ", "7.804.089.626đ"), encoding="utf-8")
    problems = errors_of(data_dir)
    assert any(p.file == "2021/source.txt" and "immutable" in (p.hint or "") for p in problems)


def test_unknown_unit_and_kind(data_dir):
    path = data_dir / "2021" / "facts.csv"
    row = edit_cell(path, REVENUE, "unit", "dong")
    edit_cell(path, {"indicator_id": "budget.spending.total"}, "kind", "actuals")
    problems = errors_of(data_dir)
    assert only(problems, row=row, column="unit").found == "dong"
    assert "actual" in only(problems, column="kind").hint


def test_loading_never_drops_rows(data_dir):
    facts = cg.load("facts", YEAR, data_dir)
    stated = read_rows(data_dir / "2021" / "facts.csv")
    derived = read_rows(data_dir / "2021" / "derivations.csv")
    assert (facts["basis"] == "stated").sum() == len(stated)
    assert (facts["basis"] == "derived").sum() == len(derived)


def test_missing_data_dir_and_unknown_year(tmp_path, data_dir):
    with pytest.raises(DataError, match="no such folder"):
        cg.years(tmp_path / "nowhere")
    with pytest.raises(ValueError, match="available years: 2021"):
        cg.load("facts", 1999, data_dir)
    shutil.rmtree(data_dir / "2021")
    with pytest.raises(DataError, match="at least one year folder"):
        cg.load("facts", None, data_dir)
