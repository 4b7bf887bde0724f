"""Every class of bad input, table-driven: for each case the exit code, a message that names the file (and the row
and column where they exist), no traceback, and every file byte-identical afterwards. The library's API answers
the same inputs with `DataError`, never a TypeError or KeyError."""

from __future__ import annotations

import errno
import json
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest
from click.testing import CliRunner

import camgiang_data as cg
from camgiang_data.checks import reading
from camgiang_data.cli import main
from camgiang_data.errors import DataError

from .conftest import YEAR, read_rows, write_rows

FACTS = f"{YEAR}/facts.csv"
REVENUE = "budget.revenue.total"


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under `root` (links as what they point to, or their target text when unreadable)."""
    out = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_symlink():
            out[rel] = b"-> " + os.fsencode(os.readlink(path))
        elif path.is_file():
            out[rel] = path.read_bytes()
        elif path.is_dir():
            out[rel + "/"] = b""
    return out


def invoke(*args) -> tuple[int, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    # the command itself must end with a message: an exception escaping it would be a traceback for the user
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def row_of(path: Path, indicator: str, kind: str = "actual") -> tuple[list[dict], int]:
    rows = read_rows(path)
    index = next(i for i, r in enumerate(rows) if r["indicator_id"] == indicator and r["kind"] == kind)
    return rows, index


def set_cell(data_dir: Path, column: str, value: str, indicator: str = REVENUE) -> int:
    path = data_dir / FACTS
    rows, i = row_of(path, indicator)
    rows[i][column] = value
    write_rows(path, rows)
    return i + 2


# ------------------------------------------------------------------------------------------------ the cases

@dataclass
class Case:
    name: str
    # (data_dir, tmp_path, monkeypatch) -> (command args, {what the message must name})
    setup: Callable
    exit_code: int
    commands: tuple[str, ...] = ("validate",)


def _empty_key(column):
    def setup(data_dir, tmp_path, monkeypatch):
        row = set_cell(data_dir, column, "")
        return {"file": FACTS, "row": row, "column": column, "expected": "a value"}
    return setup


def _duplicate_catalog_id(data_dir, tmp_path, monkeypatch):
    path = data_dir / "catalog.csv"
    rows = read_rows(path)
    rows.append(dict(rows[3]))
    write_rows(path, rows)
    return {"file": "catalog.csv", "row": len(rows) + 1, "column": "indicator_id", "expected": "a unique key"}


def _local_id_also_core(data_dir, tmp_path, monkeypatch):
    core = read_rows(data_dir / "catalog.csv")
    path = data_dir / "catalog.local.csv"
    rows = read_rows(path)
    rows.append({**core[5], "scope": ""})
    write_rows(path, rows)
    return {"file": "catalog.local.csv", "row": len(rows) + 1, "column": "indicator_id",
            "expected": "an id not defined in catalog.csv already"}


def _local_row_says_core(data_dir, tmp_path, monkeypatch):
    path = data_dir / "catalog.local.csv"
    rows = read_rows(path)
    rows[2]["scope"] = "core"
    write_rows(path, rows)
    return {"file": "catalog.local.csv", "row": 4, "column": "scope", "expected": "local"}


def _unknown_local_rule_key(data_dir, tmp_path, monkeypatch):
    return _rule_key_misspelt(data_dir / "rules.local.toml", 1, "totl")


def _folder_for_file(data_dir, tmp_path, monkeypatch):
    (data_dir / FACTS).unlink()
    (data_dir / FACTS).mkdir()
    return {"file": FACTS, "found": "a folder"}


def _symlink_loop(data_dir, tmp_path, monkeypatch):
    (data_dir / FACTS).unlink()
    os.symlink("facts.csv", data_dir / FACTS)
    return {"file": FACTS, "found": "a symbolic link loop"}


def _permission_denied(data_dir, tmp_path, monkeypatch):
    path = data_dir / FACTS
    path.chmod(0)
    if os.access(path, os.R_OK):  # root reads anything: make the OS answer as it would for anyone else
        real = open

        def refusing(file, *args, **kwargs):
            if Path(file) == path:
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(file))
            return real(file, *args, **kwargs)

        monkeypatch.setattr(reading, "open", refusing, raising=False)
    return {"file": FACTS, "found": "permission denied"}


def _overlong_cell(data_dir, tmp_path, monkeypatch):
    path = data_dir / FACTS
    rows, i = row_of(path, REVENUE)
    rows[i]["note"] = "x" * 200_000
    write_rows(path, rows)
    return {"file": FACTS, "row": i + 2, "expected": "cells of at most"}


def _malformed_source_json(data_dir, tmp_path, monkeypatch):
    path = data_dir / str(YEAR) / "source.json"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"title":', '"title"', 1), encoding="utf-8")  # a missing colon
    line = text[:text.index('"title":')].count("\n") + 1
    return {"file": f"{YEAR}/source.json", "row": line, "expected": "valid JSON"}


def _unknown_metadata_key(data_dir, tmp_path, monkeypatch):
    path = data_dir / str(YEAR) / "source.json"
    meta = json.loads(path.read_text(encoding="utf-8"))
    meta["documnet_number"] = meta["document_number"]
    path.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    return {"file": f"{YEAR}/source.json", "column": "documnet_number", "hint": "document_number"}


def _rule_key_misspelt(path, nth: int, key: str) -> dict:
    """Add `key = 10` to the nth rule (from 0) of a rules file; the problem it must cause."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    header = [n for n, line in enumerate(lines, start=1) if line.startswith("[[rule]]")][nth]
    lines.insert(header, f"{key} = 10\n")
    path.write_text("".join(lines), encoding="utf-8")
    return {"file": path.name, "row": header, "column": key, "expected": "only the keys"}


def _unknown_rule_key(data_dir, tmp_path, monkeypatch):
    return _rule_key_misspelt(data_dir / "rules.toml", 2, "tolerence")


def _share_above_100(data_dir, tmp_path, monkeypatch):
    row = set_cell(data_dir, "value", "181.5", "economy.structure_share.handicrafts")
    return {"file": FACTS, "row": row, "column": "value", "expected": "from 0 to 100", "check": "plausibility"}


def _negative_count(data_dir, tmp_path, monkeypatch):
    path = data_dir / FACTS
    rows, i = row_of(path, "culture.registered_households")
    rows[i]["value"] = "-" + rows[i]["value"]
    write_rows(path, rows)
    return {"file": FACTS, "row": i + 2, "column": "value", "expected": "whole number of at least 0",
            "check": "plausibility"}


def _huge_source(data_dir, tmp_path, monkeypatch):
    path = data_dir / str(YEAR) / "source.txt"
    text = path.read_text(encoding="utf-8")
    path.write_text(text * (reading.MAX_REPORT_BYTES // len(text.encode("utf-8")) + 1), encoding="utf-8")
    return {"file": f"{YEAR}/source.txt", "expected": "at most 5,0 MB"}


def _catalog_missing_a_column(data_dir, tmp_path, monkeypatch):
    path = data_dir / "catalog.csv"
    write_rows(path, [{k: v for k, v in r.items() if k != "name_en"} for r in read_rows(path)])
    return {"file": "catalog.csv", "row": 1, "column": "name_en", "hint": "missing: name_en"}


def _facts_not_utf8(data_dir, tmp_path, monkeypatch):
    path = data_dir / FACTS
    text = path.read_text(encoding="utf-8")
    path.write_bytes(text.encode("cp1258", errors="replace"))
    line = text[:next(i for i, ch in enumerate(text) if ord(ch) > 127)].count("\n") + 1
    return {"file": FACTS, "row": line, "expected": "UTF-8"}


CASES = [
    Case("empty indicator_id", _empty_key("indicator_id"), 1, ("validate", "run")),
    Case("empty year", _empty_key("year"), 1, ("validate", "run")),
    Case("empty kind", _empty_key("kind"), 1, ("validate", "run")),
    Case("duplicate catalogue id", _duplicate_catalog_id, 1, ("validate", "run", "new-year")),
    Case("a local indicator the core catalogue defines", _local_id_also_core, 1, ("validate", "run", "new-year")),
    Case("a row of catalog.local.csv that says core", _local_row_says_core, 1, ("validate", "run", "new-year")),
    Case("unknown key in rules.local.toml", _unknown_local_rule_key, 1, ("validate", "run")),
    Case("a folder where a file should be", _folder_for_file, 1, ("validate", "run", "new-year")),
    Case("a symbolic link loop", _symlink_loop, 1, ("validate", "run", "new-year")),
    Case("permission denied", _permission_denied, 1, ("validate", "run", "new-year")),
    Case("a cell beyond the CSV field limit", _overlong_cell, 1, ("validate", "run", "new-year")),
    Case("malformed source.json", _malformed_source_json, 1, ("validate", "run", "new-year")),
    Case("unknown key in source.json", _unknown_metadata_key, 1, ("validate", "run")),
    Case("unknown key in rules.toml", _unknown_rule_key, 1, ("validate", "run")),
    Case("a share of 181,5 %", _share_above_100, 1, ("validate", "run")),
    Case("a negative count", _negative_count, 1, ("validate", "run")),
    Case("a source text beyond any report's size", _huge_source, 1, ("validate", "run")),
    Case("a catalogue missing a column", _catalog_missing_a_column, 1, ("validate", "run", "new-year")),
    Case("facts.csv not in UTF-8", _facts_not_utf8, 1, ("validate", "run", "new-year")),
]

COMMANDS = {
    # command -> (args, exit code when the data is bad)
    "validate": (lambda d: ["validate", "--data-dir", d], 1),
    # argument and data errors stop `run` before any kernel starts
    "run": (lambda d: ["run", "--data-dir", d, "--out", d.parent / "out", "--force"], 2),
    "new-year": (lambda d: ["new-year", YEAR + 1, "--data-dir", d], 1),
}


def _names(output: str, expected: dict) -> None:
    assert expected["file"] in output
    if "row" in expected:
        assert f"row {expected['row']}" in output, output
    if "column" in expected:
        assert f"column '{expected['column']}'" in output or expected["column"] in output, output
    for key in ("expected", "found", "hint"):
        if key in expected:
            assert expected[key] in output, output


@pytest.mark.parametrize("case,command", [(c, cmd) for c in CASES for cmd in c.commands],
                         ids=lambda v: v.name if isinstance(v, Case) else v)
def test_each_class_of_bad_input_gets_a_clear_message_and_changes_nothing(case, command, data_dir, tmp_path,
                                                                          monkeypatch):
    expected = case.setup(data_dir, tmp_path, monkeypatch)
    before = snapshot(data_dir)
    args, code = COMMANDS[command]
    exit_code, output = invoke(*args(data_dir))
    assert exit_code == code, output
    if command == "new-year" and expected["file"] not in output:
        # new-year reads only what it copies: the catalogue, the previous facts, sections and metadata
        pytest.fail(f"new-year did not name {expected['file']}: {output}")
    _names(output, expected)
    assert snapshot(data_dir) == before
    assert not (data_dir.parent / "out").exists() or not any((data_dir.parent / "out").rglob("*.html"))


@pytest.mark.parametrize("case", [c for c in CASES if c.name != "unknown key in source.json"], ids=lambda c: c.name)
def test_the_api_raises_data_error_for_the_same_inputs(case, data_dir, tmp_path, monkeypatch):
    expected = case.setup(data_dir, tmp_path, monkeypatch)
    with pytest.raises(DataError) as raised:
        cg.load("facts", YEAR, data_dir)
    problems = [p for p in raised.value.problems if p.file == expected["file"]]
    assert problems, str(raised.value)
    if "row" in expected:
        assert any(p.row == expected["row"] for p in problems), str(raised.value)
    if "check" in expected:
        assert any(p.check == expected["check"] for p in problems)


def test_catalog_with_a_duplicate_id_is_a_data_error(data_dir, tmp_path, monkeypatch):
    _duplicate_catalog_id(data_dir, tmp_path, monkeypatch)
    with pytest.raises(DataError, match="unique key"):
        cg.catalog(data_dir)


@pytest.mark.parametrize("setup", [_malformed_source_json, _unknown_metadata_key])
def test_source_metadata_of_a_malformed_source_json_is_an_error(setup, data_dir, tmp_path, monkeypatch):
    expected = setup(data_dir, tmp_path, monkeypatch)
    with pytest.raises(DataError) as raised:
        cg.source_metadata(YEAR, data_dir)
    assert all(p.file == expected["file"] for p in raised.value.problems)


def test_source_metadata_of_good_data_is_the_file(data_dir):
    meta = json.loads((data_dir / str(YEAR) / "source.json").read_text(encoding="utf-8"))
    assert cg.source_metadata(YEAR, data_dir) == meta


@pytest.mark.parametrize("case", [_folder_for_file, _symlink_loop, _overlong_cell, _facts_not_utf8,
                                  _malformed_source_json],
                         ids=["folder", "symlink loop", "overlong cell", "not UTF-8", "malformed source.json"])
def test_extract_into_a_year_whose_files_cannot_be_read_changes_nothing(case, data_dir, tmp_path, monkeypatch):
    """The same classes, in the year being extracted into (its facts.csv or source.json)."""
    assert invoke("new-year", YEAR + 1, "--data-dir", data_dir)[0] == 0
    year_dir = data_dir / str(YEAR + 1)
    # the setups break the 2021 files: move the year under test into 2021's place and back
    (data_dir / str(YEAR)).rename(data_dir / "keep")
    year_dir.rename(data_dir / str(YEAR))
    expected = case(data_dir, tmp_path, monkeypatch)
    (data_dir / str(YEAR)).rename(year_dir)
    (data_dir / "keep").rename(data_dir / str(YEAR))
    expected["file"] = expected["file"].replace(str(YEAR), str(YEAR + 1))
    report = tmp_path / "report.txt"
    report.write_text("Số: 07/BC-UBND, ngày 10 tháng 01 năm 2023\n\nBÁO CÁO\n", encoding="utf-8")
    before = snapshot(data_dir)
    exit_code, output = invoke("extract", report, "--year", YEAR + 1, "--data-dir", data_dir)
    assert exit_code == 1
    _names(output, expected)
    assert snapshot(data_dir) == before


# ------------------------------------------------------------------------------------------------ accepted, corrected

def test_a_quote_in_nfd_is_loaded_in_nfc(data_dir):
    path = data_dir / FACTS
    rows = read_rows(path)
    for r in rows:
        r["quote"] = unicodedata.normalize("NFD", r["quote"])
        r["as_written"] = unicodedata.normalize("NFD", r["as_written"])
    write_rows(path, rows)
    assert not unicodedata.is_normalized("NFC", (data_dir / FACTS).read_text(encoding="utf-8"))
    assert cg.validate(YEAR, data_dir).errors == []
    facts = cg.load("facts", YEAR, data_dir)
    assert facts["quote"].dropna().map(lambda q: unicodedata.is_normalized("NFC", q)).all()
    assert facts["quote"].str.contains("58 tỷ 123 triệu", regex=False).any()


def test_an_indicator_may_declare_a_range_beyond_its_units(data_dir):
    """A growth rate may be negative: the catalogue says so, and a fall is then accepted."""
    set_cell(data_dir, "value", "-3", "economy.growth_rate")
    problems = [p for p in cg.validate(YEAR, data_dir).errors if p.check == "plausibility"]
    assert problems == []
    path = data_dir / "catalog.csv"
    rows = read_rows(path)
    next(r for r in rows if r["indicator_id"] == "economy.growth_rate")["value_range"] = ""
    write_rows(path, rows)
    [problem] = [p for p in cg.validate(YEAR, data_dir).errors if p.check == "plausibility"]
    assert problem.found == "-3" and "value_range" in problem.expected


def test_a_catalogue_without_the_value_range_column_still_reads(data_dir):
    path = data_dir / "catalog.csv"
    rows = read_rows(path)
    write_rows(path, [{k: v for k, v in r.items() if k != "value_range"} for r in rows])
    assert cg.validate(YEAR, data_dir).errors == []


def test_a_malformed_value_range_names_its_row(data_dir):
    path = data_dir / "catalog.csv"
    rows = read_rows(path)
    i = next(i for i, r in enumerate(rows) if r["indicator_id"] == "economy.growth_rate")
    rows[i]["value_range"] = "100..0"
    write_rows(path, rows)
    [problem] = cg.validate(YEAR, data_dir).errors
    assert (problem.file, problem.row, problem.column) == ("catalog.csv", i + 2, "value_range")


# ------------------------------------------------------------------------------------------------ volume

def test_at_most_fifty_errors_a_file_then_a_count_and_json_keeps_all(data_dir):
    path = data_dir / FACTS
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([lines[0]] + [lines[1]] * 20_001) + "\n", encoding="utf-8")
    exit_code, output = invoke("validate", "--data-dir", data_dir)
    assert exit_code == 1
    shown = [line for line in output.splitlines() if line.startswith("ERROR   2021/facts.csv, row")]
    assert len(shown) == 50
    assert "… and 19950 more problem(s) in 2021/facts.csv" in output
    exit_code, output = invoke("validate", "--data-dir", data_dir, "--json")
    assert len(json.loads(output)["errors"]) == 20_000


def test_a_report_text_beyond_any_reports_size_is_refused_by_extract(data_dir, tmp_path):
    assert invoke("new-year", YEAR + 1, "--data-dir", data_dir)[0] == 0
    report = tmp_path / "huge.txt"
    report.write_bytes(b"x" * (reading.MAX_REPORT_BYTES + 1))
    before = snapshot(data_dir)
    exit_code, output = invoke("extract", report, "--year", YEAR + 1, "--data-dir", data_dir)
    assert exit_code == 1 and str(report) in output and "more than a report's 5 MB" in output
    assert snapshot(data_dir) == before


# ------------------------------------------------------------------------------------------------ same document

def test_last_years_report_extracted_as_this_years_is_refused(data_dir):
    assert invoke("new-year", YEAR + 1, "--data-dir", data_dir)[0] == 0
    before = snapshot(data_dir)
    last = data_dir / str(YEAR) / "source.txt"
    exit_code, output = invoke("extract", last, "--year", YEAR + 1, "--data-dir", data_dir)
    assert exit_code == 1
    assert f"the text of the {YEAR} report" in output and "--accept-document" in output
    assert snapshot(data_dir) == before


def test_a_report_with_last_years_number_and_date_is_refused(data_dir, tmp_path):
    """Reworded, but its header is the 2021 report's (No. 01/BC-UBND of 04/01/2022)."""
    assert invoke("new-year", YEAR + 1, "--data-dir", data_dir)[0] == 0
    text = (data_dir / str(YEAR) / "source.txt").read_text(encoding="utf-8")
    report = tmp_path / "report.txt"
    report.write_text(text.replace("Tổng thu", "Tổng số thu"), encoding="utf-8")
    before = snapshot(data_dir)
    exit_code, output = invoke("extract", report, "--year", YEAR + 1, "--data-dir", data_dir)
    assert exit_code == 1 and "01/BC-UBND of 2022-01-04" in output and f"{YEAR}/source.json" in output
    assert snapshot(data_dir) == before


def test_a_header_dated_for_another_year_is_refused(data_dir, tmp_path):
    assert invoke("new-year", 2030, "--data-dir", data_dir)[0] == 0
    report = tmp_path / "report.txt"
    report.write_text("Số: 07/BC-UBND, ngày 10 tháng 01 năm 2026\n\nBÁO CÁO\n", encoding="utf-8")
    before = snapshot(data_dir)
    exit_code, output = invoke("extract", report, "--year", 2030, "--data-dir", data_dir)
    assert exit_code == 1 and "dated 2026-01-10" in output and "2030" in output
    assert snapshot(data_dir) == before


def test_accept_document_lets_a_person_override_the_guard(data_dir, tmp_path):
    assert invoke("new-year", 2030, "--data-dir", data_dir)[0] == 0
    report = tmp_path / "report.txt"
    report.write_text("Số: 07/BC-UBND, ngày 10 tháng 01 năm 2026\n\nBÁO CÁO\n\nTổng thu ngân sách là 5 tỷ đồng.\n",
                      encoding="utf-8")
    exit_code, output = invoke("extract", report, "--year", 2030, "--data-dir", data_dir, "--accept-document")
    assert "does not look like" not in output
    assert (data_dir / "2030" / "source.txt").read_text(encoding="utf-8").startswith("Số: 07/BC-UBND")


# ------------------------------------------------------------------------------------------------ one reading layer

ALLOWED_READERS = {"checks/reading.py"}
READ_CALLS = re.compile(r"(?<!reading)\.read_text\(|(?<!reading)\.read_bytes\(|(?<![\w.])open\(|json\.load\(|tomllib\.load\(|csv\.(?:reader|DictReader)\(")


def test_no_other_module_opens_data_files():
    """The reading layer is the one place files are read (writers and the worker's log plumbing excepted)."""
    package = Path(cg.__file__).parent
    writers = {"atomic.py", "runner/pool.py", "cli.py"}  # write files, or open the worker's own log
    offenders = []
    for path in package.rglob("*.py"):
        rel = path.relative_to(package).as_posix()
        if rel in ALLOWED_READERS | writers:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if READ_CALLS.search(line) and not line.lstrip().startswith("#"):
                offenders.append(f"{rel}:{number}: {line.strip()}")
    assert offenders == []


# ------------------------------------------------------------------------------------------------ the report file

def _report(kind: str, tmp_path: Path) -> Path:
    path = tmp_path / "report.txt"
    if kind == "missing":
        return path
    if kind == "folder":
        path.mkdir()
    elif kind == "symlink loop":
        os.symlink("report.txt", path)
    elif kind == "pipe":
        os.mkfifo(path)  # reading it would block for ever: refused before it is opened
    return path


@pytest.mark.parametrize("kind,found", [("missing", "no such file"), ("folder", "a folder"),
                                        ("symlink loop", "a symbolic link loop"), ("pipe", "not a regular file")])
def test_a_report_that_cannot_be_read_is_refused_by_name(kind, found, data_dir, tmp_path):
    assert invoke("new-year", YEAR + 1, "--data-dir", data_dir)[0] == 0
    report = _report(kind, tmp_path)
    before = snapshot(data_dir)
    exit_code, output = invoke("extract", report, "--year", YEAR + 1, "--data-dir", data_dir)
    assert exit_code == 1 and str(report) in output and found in output and "Nothing was changed" in output
    assert snapshot(data_dir) == before


def test_a_bug_is_one_line_naming_where_the_details_are(monkeypatch, tmp_path):
    import camgiang_data.checks.validation as validation

    def broken(*args, **kwargs):
        raise TypeError("'NoneType' object is not subscriptable")

    monkeypatch.setattr(validation, "validate", broken)
    exit_code, output = invoke("validate")
    assert exit_code == 3
    assert "internal error" in output and "TypeError" in output
    log = Path(re.search(r"details are in (\S+?);", output).group(1))
    assert "Traceback" in log.read_text(encoding="utf-8")
    log.unlink()
