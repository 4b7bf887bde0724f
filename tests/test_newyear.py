"""A new report year: `camgiang new-year` (the scaffold), the file side of `camgiang extract` (with a stub engine,
so that these tests do not depend on the extraction rules), bad input, and the README's steps run as written."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import types
import unicodedata
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import camgiang_data as cg
from camgiang_data.ingest import headings as newyear_headings
from camgiang_data.cli import main
from camgiang_data.checks.provenance import normalise

from .conftest import catalog_rows, read_rows, write_rows

ROOT = Path(__file__).resolve().parent.parent
NEW = 2022

# A short 2022 report in the district template: some of the 2021 headings (not all), new wording, new numbers.
TEXT = """\
Số: 02/BC-UBND TT Cẩm Giang, ngày 05 tháng 01 năm 2023

BÁO CÁO

Kết quả thực hiện nhiệm vụ phát triển KTXH - ANQP năm 2022

PHẦN THỨ NHẤT

Tình hình thực hiện kế hoạch phát triển kinh tế-xã hội năm 2022

A. KẾT QUẢ THỰC HIỆN MỘT SỐ CHỈ TIÊU CHỦ YẾU

1. Về kinh tế:

Tốc độ tăng trưởng kinh tế đạt 7,5%; thu nhập bình quân đầu người đạt 60,2 triệu đồng/người/năm.

B. KẾT QUẢ THỰC HIỆN TRÊN CÁC LĨNH VỰC

I. LĨNH VỰC KINH TẾ

3. Công tác công khai, minh bạch tài chính

Tổng thu ngân sách năm 2022 là: 8.123.456.789đ đạt 101% kế hoạch. Tổng chi ngân sách năm 2022 là: 7.950.000.000đ.
Theo số liệu khác, tổng chi ngân sách là 7.905.000.000đ.
"""

GROWTH = ("economy.growth_rate", "actual", 1, "7,5%", 7.5, "percent", "Tốc độ tăng trưởng kinh tế đạt 7,5%")
INCOME = ("economy.income_per_capita", "actual", 1, "60,2 triệu đồng", 60_200_000, "VND_per_person_year",
          "thu nhập bình quân đầu người đạt 60,2 triệu đồng/người/năm")
REVENUE = ("budget.revenue.total", "actual", 1, "8.123.456.789đ", 8_123_456_789, "VND",
           "Tổng thu ngân sách năm 2022 là: 8.123.456.789đ đạt 101% kế hoạch.")
ATTAINMENT = ("budget.revenue.total", "plan_attainment", 1, "101%", 101, "percent",
              "Tổng thu ngân sách năm 2022 là: 8.123.456.789đ đạt 101% kế hoạch.")
SPENDING_A = ("budget.spending.total", "actual", 1, "7.950.000.000đ", 7_950_000_000, "VND",
              "Tổng chi ngân sách năm 2022 là: 7.950.000.000đ.")
SPENDING_B = ("budget.spending.total", "actual", 1, "7.905.000.000đ", 7_905_000_000, "VND",
              "tổng chi ngân sách là 7.905.000.000đ")


# ------------------------------------------------------------------------------------------------ stub engine

# the engine's own result types: the stub below returns them like the real engine does
from camgiang_data.ingest.engine import Candidate, Extraction  # noqa: E402


def _candidate(text: str, spec: tuple, year: int = NEW) -> Candidate:
    indicator, kind, mention, as_written, value, unit, quote = spec
    start = normalise(text).find(quote)
    assert start >= 0, quote
    return Candidate(indicator, year, kind, mention, float(value), unit, None, False, as_written, quote, start)


@pytest.fixture
def stub(monkeypatch):
    """Install a stub `camgiang_data.ingest.matching` whose `extract` returns the figures of `stub.found` (those whose
    quote stands in the text) and the conflicts of `stub.conflicts`; `stub.calls` records its arguments."""
    module = types.ModuleType("camgiang_data.ingest.matching")
    module.Candidate, module.Extraction = Candidate, Extraction
    module.found = [GROWTH, INCOME, REVENUE, ATTAINMENT]
    module.conflicts = [(SPENDING_A, SPENDING_B)]
    module.calls = []

    def extract(text, templates, catalog, year, template_year, template_text=None):
        module.calls.append({"templates": templates, "catalog": catalog, "year": year,
                             "template_year": template_year})
        norm = normalise(text)
        found = [_candidate(text, s, year) for s in module.found if s[-1] in norm]
        conflicts = [(a[0], a[1], a[2], [_candidate(text, a, year), _candidate(text, b, year)])
                     for a, b in module.conflicts if a[-1] in norm and b[-1] in norm]
        missing = [{"indicator_id": "poverty.poor_rate.new", "kind": "actual", "mention": 1,
                    "name_vi": "Tỷ lệ hộ nghèo (tiêu chí mới)", "name_en": "Poor-household rate (new criterion)",
                    "reason": "no sentence like the template's"}]
        return Extraction(found, missing, conflicts)

    module.extract = extract
    module.suggestions = lambda *args, **kwargs: []  # candidates for review.csv: none from the stub
    monkeypatch.setitem(sys.modules, "camgiang_data.ingest.matching", module)
    return module


# ------------------------------------------------------------------------------------------------ helpers

def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def new_year(data_dir, year=NEW):
    result = run("new-year", year, "--data-dir", data_dir)
    assert result.exit_code == 0, result.output
    return result


def write_report(tmp_path, text=TEXT, name="report-2022.txt", encoding="utf-8", newline="\n") -> Path:
    path = tmp_path / name
    path.write_bytes(text.replace("\n", newline).encode(encoding))
    return path


def extract(report, data_dir, *extra):
    return run("extract", report, "--year", NEW, "--data-dir", data_dir, *extra)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())} if folder.exists() else {}


def fact(data_dir, indicator, kind="actual", mention="1", year=NEW) -> dict:
    rows = read_rows(data_dir / str(year) / "facts.csv")
    hits = [r for r in rows if (r["indicator_id"], r["kind"], r["mention"]) == (indicator, kind, str(mention))]
    assert len(hits) == 1, hits
    return hits[0]


def line_of(data_dir, indicator, kind="actual", mention="1", year=NEW) -> int:
    rows = read_rows(data_dir / str(year) / "facts.csv")
    return next(i + 2 for i, r in enumerate(rows) if (r["indicator_id"], r["kind"], r["mention"]) ==
                (indicator, kind, str(mention)))


# ------------------------------------------------------------------------------------------------ scaffold

def test_scaffold_has_one_unfilled_row_per_indicator_and_the_carried_targets(data_dir):
    result = new_year(data_dir)
    folder = data_dir / str(NEW)
    assert sorted(p.name for p in folder.iterdir()) == ["datapackage.json", "derivations.csv", "facts.csv",
                                                       "sections.csv", "source.json"]
    catalog = catalog_rows(data_dir)
    rows = read_rows(folder / "facts.csv")
    unfilled = [r for r in rows if not (r["value"] or r["as_written"] or r["quote"])]
    assert [r["indicator_id"] for r in unfilled] == [c["indicator_id"] for c in catalog]
    for row, entry in zip(unfilled, catalog):
        assert (row["year"], row["kind"], row["mention"], row["unit"], row["section"], row["source_year"]) == \
            (str(NEW), "actual", "1", entry["unit"], "", "")
        assert row["note"] == f"{entry['name_vi']} / {entry['name_en']}"

    # the 2022 targets the 2021 report set, carried in unchanged but for their source
    targets_2021 = [r for r in read_rows(data_dir / "2021" / "facts.csv")
                    if r["year"] == str(NEW) and r["kind"] in ("target", "target_change")]
    carried = [r for r in rows if r["value"]]
    assert len(carried) == len(targets_2021) >= 10
    for mine, theirs in zip(carried, targets_2021):
        assert mine["source_year"] == "2021"
        assert {k: v for k, v in mine.items() if k != "source_year"} == \
            {k: v for k, v in theirs.items() if k != "source_year"}
    income = fact(data_dir, "economy.income_per_capita", "target")
    assert (income["value"], income["as_written"]) == ("58500000", "58,5 triệu đồng")
    assert fact(data_dir, "poverty.poor_rate.new", "target_change")["value"] == "-0.2"
    assert "58,5 triệu đồng" in result.output and "197 figure(s) to fill" in result.output

    assert (folder / "sections.csv").read_bytes() == (data_dir / "2021" / "sections.csv").read_bytes()
    assert (folder / "derivations.csv").read_text(encoding="utf-8").count("\n") == 1
    meta = json.loads((folder / "source.json").read_text(encoding="utf-8"))
    assert meta["report_year"] == NEW and not meta["source_sha256"]
    # nothing of the 2021 report is carried or moved on a year: a number or date invented for 2022 would cite a
    # document that does not exist; extract reads them from the new header
    assert (meta["document_number"], meta["date"], meta["title"]) == (None, None, None)
    assert meta["unit"]["name"] == "thị trấn Cẩm Giang"
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert package["name"] == f"camgiang-{NEW}"

    report = cg.validate(NEW, data_dir)
    assert report.errors == [], [str(p) for p in report.errors]
    assert report.counts["figures not filled yet"] == len(catalog)
    assert report.counts["stated figures"] == len(carried)
    targets = cg.load("targets", NEW, data_dir)
    assert set(targets["status"]) == {"not_reported"} and len(targets) == len(carried)
    budget = cg.load("budget", NEW, data_dir)
    assert budget.loc[budget["kind"] == "actual", "value"].isna().all()


def test_new_year_refuses_an_existing_year_and_changes_nothing(data_dir):
    new_year(data_dir)
    (data_dir / str(NEW) / "facts.csv").write_text("a person's work\n", encoding="utf-8")
    before = snapshot(data_dir / str(NEW)), snapshot(data_dir / "2021")
    for year in (NEW, 2021):
        result = run("new-year", year, "--data-dir", data_dir)
        assert result.exit_code == 1
        assert "already exists" in result.output and "nothing was changed" in result.output
    assert (snapshot(data_dir / str(NEW)), snapshot(data_dir / "2021")) == before
    assert sorted(p.name for p in data_dir.iterdir() if p.name.startswith(".")) == []


def test_new_year_needs_an_earlier_year_and_a_data_dir_that_exists(data_dir, tmp_path):
    result = run("new-year", 2020, "--data-dir", data_dir)
    assert result.exit_code == 1 and "no earlier year" in result.output
    assert not (data_dir / "2020").exists()
    result = run("new-year", NEW, "--data-dir", tmp_path / "nowhere")
    assert result.exit_code == 1 and "no such folder" in result.output


def test_help_says_analysts_should_give_a_data_dir():
    for command in ("new-year", "extract"):
        text = " ".join(run(command, "--help").output.split())
        assert "packaged data" in text and "analysts should normally give --data-dir" in text


# ------------------------------------------------------------------------------------------------ extract

def test_extract_fills_lists_and_validates(data_dir, tmp_path, stub):
    new_year(data_dir)
    result = extract(write_report(tmp_path), data_dir)
    assert result.exit_code == 0, result.output
    folder = data_dir / str(NEW)

    # the engine saw the 2021 report's stated figures as templates
    (call,) = stub.calls
    assert (call["year"], call["template_year"]) == (NEW, 2021)
    templates = call["templates"]
    assert len(templates) == len(read_rows(data_dir / "2021" / "facts.csv"))
    assert templates["quote"].notna().all() and "_row" not in templates and "basis" not in templates
    assert len(call["catalog"]) == len(catalog_rows(data_dir))

    # the text, its digest, the header's document number and date
    assert (folder / "source.txt").read_text(encoding="utf-8") == TEXT
    meta = json.loads((folder / "source.json").read_text(encoding="utf-8"))
    assert meta["source_sha256"] == hashlib.sha256(TEXT.encode()).hexdigest()
    assert (meta["document_number"], meta["date"]) == ("02/BC-UBND", "2023-01-05")

    # only the headings the text has, in its order
    assert [r["code"] for r in read_rows(folder / "sections.csv")] == ["I", "I.A", "I.A.1", "I.B", "I.B.I",
                                                                      "I.B.I.3"]
    # figures: filled in place, a new row for a figure with no row yet, conflicts left empty
    growth = fact(data_dir, "economy.growth_rate")
    assert (growth["value"], growth["as_written"], growth["quote"], growth["section"], growth["source_year"]) == \
        ("7.5", "7,5%", GROWTH[-1], "I.A.1", "")
    revenue = fact(data_dir, "budget.revenue.total")
    assert (revenue["value"], revenue["section"]) == ("8123456789", "I.B.I.3")
    assert fact(data_dir, "budget.revenue.total", "plan_attainment")["value"] == "101"
    assert fact(data_dir, "budget.spending.total")["value"] == ""

    out = result.output
    # the printed review: counts first, Vietnamese names, not internal keys
    assert out.splitlines()[1].startswith("4 figure(s) filled, 1 conflict(s), 1 not found")
    assert f"row {line_of(data_dir, 'economy.growth_rate')}: Tốc độ tăng trưởng kinh tế (actual 2022)" in out
    assert "NOT FOUND (1)" in out and "Hộ nghèo, cận nghèo: Tỷ lệ hộ nghèo (tiêu chí mới)" in out
    assert "poverty.poor_rate.new" not in out
    conflict = next(line for line in out.splitlines() if line.strip().startswith("Tổng chi ngân sách"))
    assert "7.950.000.000đ" in conflict and "7.905.000.000đ" in conflict and "I.B.I.3" in conflict
    # review.csv: one row per figure missing or in conflict, for a spreadsheet (UTF-8 with BOM)
    raw = (folder / "review.csv").read_bytes()
    assert raw.startswith("\ufeff".encode())
    review = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert {(r["indicator_id"], r["status"]) for r in review} == {("budget.spending.total", "conflict"),
                                                                ("poverty.poor_rate.new", "missing")}
    spending = next(r for r in review if r["status"] == "conflict")
    assert {spending["candidate_1"], spending["candidate_2"]} == {"7.950.000.000đ", "7.905.000.000đ"}
    assert spending["name_vi"] and spending["unit"] == "VND" and "NEXT: open 2022/review.csv" in out
    assert "0 error(s)" in out

    # the partial year loads: filled figures with values, the others NaN (reports say "not reported")
    report = cg.validate(NEW, data_dir)
    assert report.errors == [] and report.counts["stated figures"] == 4 + 11
    budget = cg.load("budget", NEW, data_dir).set_index("indicator_id")
    assert budget.loc["budget.revenue.total"].query("kind == 'actual'")["value"].item() == 8_123_456_789
    assert pd.isna(budget.loc["budget.spending.total", "value"])
    assert budget["value"].isna().sum() >= 8
    targets = cg.load("targets", NEW, data_dir).set_index("indicator_id")
    assert targets.loc["economy.income_per_capita", ["result", "status"]].tolist() == [60_200_000, "met"]
    assert targets.loc["economy.growth_rate", ["result", "status"]].tolist() == [7.5, "met"]
    assert targets.loc["poverty.poor_rate.new", "status"] == "not_reported"


def test_extract_never_changes_what_a_person_entered_unless_overwrite(data_dir, tmp_path, stub):
    new_year(data_dir)
    path = data_dir / str(NEW) / "facts.csv"
    rows = read_rows(path)
    entered = {"value": "8123456789", "as_written": "8.123.456.789đ", "section": "I.B.I.3",
               "quote": "Tổng thu ngân sách năm 2022 là: 8.123.456.789đ", "note": "typed in by hand"}
    row = next(r for r in rows if r["indicator_id"] == "budget.revenue.total")
    row.update(entered)
    write_rows(path, rows)
    report = write_report(tmp_path)

    result = extract(report, data_dir)
    assert result.exit_code == 0, result.output
    assert {k: fact(data_dir, "budget.revenue.total")[k] for k in entered} == entered
    left = next(line for line in result.output.splitlines() if "Tổng thu ngân sách (actual" in line
                and "facts.csv has" in line)
    assert f"row {line_of(data_dir, 'budget.revenue.total')}" in left
    assert "LEFT ALONE" in result.output, result.output

    # a second run with the same text changes nothing at all
    before = snapshot(data_dir / str(NEW))
    again = extract(report, data_dir)
    assert again.exit_code == 0 and snapshot(data_dir / str(NEW)) == before

    result = extract(report, data_dir, "--overwrite")
    assert result.exit_code == 0, result.output
    assert fact(data_dir, "budget.revenue.total")["quote"] == REVENUE[-1]
    assert "OVERWRITTEN" in result.output and "LEFT ALONE" not in result.output  # an empty list is not printed
    assert cg.validate(NEW, data_dir).errors == []


def test_a_different_text_is_refused_without_overwrite(data_dir, tmp_path, stub):
    new_year(data_dir)
    assert extract(write_report(tmp_path), data_dir).exit_code == 0
    before = snapshot(data_dir / str(NEW))
    other = write_report(tmp_path, TEXT.replace("7,5%", "7,6%"), name="other.txt")
    result = extract(other, data_dir)
    assert result.exit_code == 1 and "already holds a different report text" in result.output
    assert "--overwrite" in result.output and snapshot(data_dir / str(NEW)) == before
    result = extract(other, data_dir, "--overwrite")
    assert "7,6%" in (data_dir / str(NEW) / "source.txt").read_text(encoding="utf-8")
    # the figure filled from the old text is kept, and validation says its quote is no longer in the text
    assert fact(data_dir, "economy.growth_rate")["as_written"] == "7,5%"
    assert result.exit_code == 1
    row = line_of(data_dir, "economy.growth_rate")
    assert f"{NEW}/facts.csv, row {row}, column 'quote'" in result.output


def test_a_restated_carried_target_comes_after_it(data_dir, tmp_path, stub):
    new_year(data_dir)
    text = TEXT + "\nChỉ tiêu năm 2022: bình quân thu nhập đầu người 58,5 triệu đồng/người/năm.\n"
    restated = ("economy.income_per_capita", "target", 1, "58,5 triệu đồng", 58_500_000, "VND_per_person_year",
                "Chỉ tiêu năm 2022: bình quân thu nhập đầu người 58,5 triệu đồng/người/năm.")
    stub.found = stub.found + [restated]
    assert extract(write_report(tmp_path, text), data_dir).exit_code == 0
    assert fact(data_dir, "economy.income_per_capita", "target", 1)["source_year"] == "2021"
    second = fact(data_dir, "economy.income_per_capita", "target", 2)
    assert (second["source_year"], second["section"]) == ("", "I.B.I.3")
    assert cg.validate(NEW, data_dir).errors == []


# ------------------------------------------------------------------------------------------------ bad input

def _nothing_written(data_dir, before):
    assert snapshot(data_dir / str(NEW)) == before
    assert not (data_dir / str(NEW) / "source.txt").exists()
    assert not [p for p in (data_dir / str(NEW)).iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("encoding, expected", [
    ("cp1258", "not UTF-8 text: byte 0x"),
    ("utf-16-le", "looks like UTF-16 without a byte-order mark"),
])
def test_another_encoding_is_refused_with_a_clear_message(data_dir, tmp_path, stub, encoding, expected):
    new_year(data_dir)
    before = snapshot(data_dir / str(NEW))
    raw = unicodedata.normalize("NFD", TEXT).encode(encoding, errors="replace")
    path = tmp_path / "report-2022.txt"
    path.write_bytes(raw)
    result = extract(path, data_dir)
    assert result.exit_code == 1, result.output
    message = " ".join(result.output.split())
    assert expected in message and str(path) in message and "iconv -f" in message and "-t UTF-8" in message
    assert "Nothing was changed" in message and not stub.calls
    _nothing_written(data_dir, before)


def test_mojibake_is_refused(data_dir, tmp_path, stub):
    new_year(data_dir)
    before = snapshot(data_dir / str(NEW))
    garbled = TEXT.encode("utf-8").decode("latin-1")
    result = extract(write_report(tmp_path, garbled), data_dir)
    assert result.exit_code == 1 and "mojibake" in result.output
    _nothing_written(data_dir, before)


@pytest.mark.parametrize("encoding, newline, notes", [
    ("utf-8", "\r\n", ["Windows line ends (CRLF) converted to LF"]),
    ("utf-8-sig", "\n", ["read as UTF-8 with a byte-order mark"]),
    ("utf-16", "\r\n", ["read as UTF-16 with a byte-order mark", "Windows line ends (CRLF) converted to LF"]),
    ("utf-8", "\r", ["old Mac line ends (CR) converted to LF"]),
])
def test_bom_and_windows_line_ends_are_accepted_and_said(data_dir, tmp_path, stub, encoding, newline, notes):
    new_year(data_dir)
    result = extract(write_report(tmp_path, encoding=encoding, newline=newline), data_dir)
    assert result.exit_code == 0, result.output
    for note in notes:
        assert note in result.output
    assert (data_dir / str(NEW) / "source.txt").read_bytes() == TEXT.encode("utf-8")
    assert fact(data_dir, "economy.growth_rate")["value"] == "7.5"


def test_decomposed_letters_are_composed(data_dir, tmp_path, stub):
    new_year(data_dir)
    result = extract(write_report(tmp_path, unicodedata.normalize("NFD", TEXT)), data_dir)
    assert result.exit_code == 0 and "NFC" in result.output
    assert (data_dir / str(NEW) / "source.txt").read_text(encoding="utf-8") == TEXT


@pytest.mark.parametrize("text", ["", " \n\t\r\n  \n"])
def test_an_empty_report_is_refused(data_dir, tmp_path, stub, text):
    new_year(data_dir)
    before = snapshot(data_dir / str(NEW))
    result = extract(write_report(tmp_path, text), data_dir)
    assert result.exit_code == 1 and "is empty" in result.output and "Nothing was changed" in result.output
    _nothing_written(data_dir, before)


def test_extract_needs_the_year_folder_and_the_report(data_dir, tmp_path, stub):
    result = extract(write_report(tmp_path), data_dir)
    assert result.exit_code == 1
    assert f"camgiang new-year {NEW} --data-dir {data_dir}` first" in " ".join(result.output.split())
    assert not (data_dir / str(NEW)).exists()
    new_year(data_dir)
    result = extract(tmp_path / "missing.txt", data_dir)
    assert result.exit_code == 1 and "no such file" in result.output


def test_a_year_folder_missing_files_is_named_and_made_whole_by_extract(data_dir, tmp_path, stub):
    new_year(data_dir)
    folder = data_dir / str(NEW)
    for name in ("derivations.csv", "sections.csv", "source.json", "facts.csv"):
        (folder / name).unlink()
    missing = {p.file for p in cg.validate(NEW, data_dir).errors if p.found == "no such file"}
    assert missing == {f"{NEW}/{n}" for n in ("derivations.csv", "sections.csv", "source.json", "facts.csv")}
    result = extract(write_report(tmp_path), data_dir)
    assert result.exit_code == 0, result.output
    assert "lacked" in result.output and "derivations.csv" in result.output
    assert cg.validate(NEW, data_dir).errors == []
    assert fact(data_dir, "economy.growth_rate")["value"] == "7.5"
    assert fact(data_dir, "economy.income_per_capita", "target")["source_year"] == "2021"
    assert len(read_rows(folder / "facts.csv")) == len(catalog_rows(data_dir)) + 11 + 1


def test_a_half_filled_row_names_file_row_and_column(data_dir, tmp_path, stub):
    new_year(data_dir)
    assert extract(write_report(tmp_path), data_dir).exit_code == 0
    path = data_dir / str(NEW) / "facts.csv"
    rows = read_rows(path)
    index = next(i for i, r in enumerate(rows) if r["indicator_id"] == "budget.spending.total")
    rows[index].update(value="7950000000", section="I.B.I.3")
    write_rows(path, rows)
    errors = cg.validate(NEW, data_dir).errors
    assert {(p.file, p.row, p.column) for p in errors} == {(f"{NEW}/facts.csv", index + 2, "as_written"),
                                                           (f"{NEW}/facts.csv", index + 2, "quote")}
    assert all("half filled" in p.hint and "value" in p.hint for p in errors)
    result = run("validate", "--year", NEW, "--data-dir", data_dir)
    assert result.exit_code == 1
    assert f"{NEW}/facts.csv, row {index + 2}, column 'as_written'" in result.output


def test_a_carried_row_that_contradicts_its_quote_is_an_error(data_dir):
    new_year(data_dir)
    path = data_dir / str(NEW) / "facts.csv"
    rows = read_rows(path)
    income = next(i for i, r in enumerate(rows) if r["indicator_id"] == "economy.income_per_capita"
                  and r["kind"] == "target")
    growth = next(i for i, r in enumerate(rows) if r["indicator_id"] == "economy.growth_rate"
                  and r["kind"] == "target")
    poverty = next(i for i, r in enumerate(rows) if r["indicator_id"] == "poverty.poor_rate.new"
                   and r["kind"] == "target_change")
    rows[income]["value"] = "58000000"
    rows[growth]["quote"] += " mỗi năm"
    rows[poverty]["section"] = "I.A"
    write_rows(path, rows)
    errors = {(p.row, p.column): p for p in cg.validate(NEW, data_dir).errors}
    assert set(errors) == {(income + 2, "value"), (growth + 2, "quote"), (poverty + 2, "section")}
    assert "58500000" in errors[income + 2, "value"].expected and errors[income + 2, "value"].found == "58000000"
    assert "2021/source.txt" in errors[growth + 2, "quote"].expected
    assert "2021/source.txt" in errors[poverty + 2, "section"].expected


def test_a_source_year_without_its_report_is_an_error(data_dir):
    new_year(data_dir)
    path = data_dir / str(NEW) / "facts.csv"
    rows = read_rows(path)
    index = next(i for i, r in enumerate(rows) if r["source_year"])
    rows[index]["source_year"] = "2019"
    write_rows(path, rows)
    (problem,) = cg.validate(NEW, data_dir).errors
    assert (problem.row, problem.column, problem.found) == (index + 2, "source_year", "2019")


def test_a_filled_row_needs_the_years_own_text(data_dir):
    new_year(data_dir)
    path = data_dir / str(NEW) / "facts.csv"
    rows = read_rows(path)
    row = next(r for r in rows if r["indicator_id"] == "economy.growth_rate" and r["kind"] == "actual")
    row.update(value="7.5", as_written="7,5%", quote="Tốc độ tăng trưởng kinh tế đạt 7,5%", section="I.A.1")
    write_rows(path, rows)
    (problem,) = cg.validate(NEW, data_dir).errors
    assert problem.file == f"{NEW}/source.txt" and problem.found == "no such file"
    assert "camgiang extract" in problem.hint


def test_packaged_2021_is_unchanged_by_the_new_columns():
    facts = cg.load("facts")
    assert facts["source_year"].isna().all()
    report = cg.validate()
    assert report.errors == [] and report.counts["figures not filled yet"] == 0


# ------------------------------------------------------------------------------------------------ README

def readme_steps() -> list[str]:
    """The commands of the README's "Adding a new year" section, in order (every line of its bash blocks)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Adding a new year", 1)[1].split("\n## ", 1)[0]
    commands = []
    for block in re.findall(r"```bash\n(.*?)```", section, flags=re.S):
        commands += [line.strip() for line in block.splitlines() if line.strip() and
                     not line.strip().startswith("#")]
    return commands


def test_readme_steps_are_commands_a_person_can_copy():
    steps = readme_steps()
    assert steps[0].startswith("cp -r camgiang_data/data mydata")
    assert [s.split()[1] for s in steps[1:]] == ["new-year", "extract", "apply-review", "validate", "run"]
    assert all(s.startswith(".venv/bin/camgiang ") and "--data-dir mydata" in s for s in steps[1:])


def year_shifted_report() -> str:
    """The 2021 report moved on by a year (2021 → 2022, 2022 → 2023, …) with some figures changed: a stand-in
    for the 2022 report, in the same template."""
    text = (cg.DEFAULT_DATA_DIR / "2021" / "source.txt").read_text(encoding="utf-8")
    text = re.sub(r"(?<![\d/.,])(20[12]\d)(?![\d])", lambda m: str(int(m.group()) + 1), text)
    for old, new in (("7.804.089.625đ", "8.123.456.789đ"), ("55,1 triệu", "60,2 triệu")):
        assert old in text
        text = text.replace(old, new)
    return text


def test_readme_new_year_steps(tmp_path):
    """The steps as a person copies them, with the report as Word gives it: a .docx, a paragraph per line."""
    import docx

    steps = readme_steps()
    for name in (".venv", "camgiang_data"):
        (tmp_path / name).symlink_to(ROOT / name)
    report = tmp_path / "report.docx"
    document = docx.Document()
    for line in year_shifted_report().split("\n"):
        document.add_paragraph(line)
    document.save(report)
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    for step in steps:
        command = re.sub(r"\S+\.(?:txt|docx|pdf)\b", str(report), step, count=1)
        done = subprocess.run(command, shell=True, cwd=tmp_path, capture_output=True, text=True, env=env,
                              timeout=900)
        assert done.returncode == 0, f"{command}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    assert (tmp_path / "mydata" / str(NEW) / "source.txt").exists()
    assert (tmp_path / "mydata" / str(NEW) / "source.docx").read_bytes() == report.read_bytes()
    assert (tmp_path / "outputs" / str(NEW) / "vi" / "index.html").exists()


@pytest.mark.parametrize("heading,line,printed", [
    ("PHẦN THỨ NHẤT", "Phần thứ nhất", "Phần thứ nhất"),
    ("PHẦN THỨ NHẤT", "phần thứ nhất:", "phần thứ nhất"),
    ("I. LĨNH VỰC KINH TẾ", "1) Lĩnh vực kinh tế:", "1) Lĩnh vực kinh tế"),
    ("3. Văn hoá, thông tin - Thể dục, thể thao", "III - VĂN HÓA, THÔNG TIN – THỂ DỤC THỂ THAO",
     "III - VĂN HÓA, THÔNG TIN – THỂ DỤC THỂ THAO"),
    ("A- MỘT SỐ CHỈ TIÊU CHỦ YẾU NĂM 2022", "A. Một số chỉ tiêu chủ yếu năm 2023",
     "A. Một số chỉ tiêu chủ yếu năm 2023"),
    ("1.1. Trường Mầm non", "a) Trường Mầm non:", "a) Trường Mầm non"),
    ("1. Về kinh tế:", "2. Về kinh tế: tăng trưởng 8%", "2. Về kinh tế"),
    ("1. Về kinh tế:", "Về kinh tế, tốc độ tăng trưởng đạt 7%", None),  # a sentence, not a heading
    ("1. Giáo dục - đào tạo", "1. Giáo dục đào tạo nghề", "1. Giáo dục đào tạo nghề"[:19]),
    ("2. Về xã hội:", "2. Về xã hội hóa giáo dục", None),  # the words go on: another heading
])
def test_headings_are_found_whatever_their_case_numbering_and_punctuation(heading, line, printed):
    assert newyear_headings._occurrence(heading, line) == printed
    if printed is not None:
        assert line.startswith(printed)  # verbatim: provenance finds the section by it


def test_a_report_in_title_case_keeps_every_heading(data_dir):
    """The 2021 headings against the 2021 text with every heading line rewritten in title case and renumbered."""
    sections = read_rows(data_dir / "2021" / "sections.csv")
    text = (data_dir / "2021" / "source.txt").read_text(encoding="utf-8")
    lines = text.split("\n")
    for row in sections:
        i = next(i for i, line in enumerate(lines) if normalise(line).lstrip("*#_> ").startswith(row["heading"]))
        body = re.sub(r"^[*#_> ]*(?:[IVX]+|[A-Z]|\d+(?:\.\d+)*)\s*[.–-]\s*", "", lines[i]).rstrip(" :")
        lines[i] = "• " + body[:1].upper() + body[1:].lower() + ":"
    kept = newyear_headings.find_headings("\n".join(lines), sections)
    assert [r["code"] for r in kept] == [r["code"] for r in sections]
    assert all(normalise("\n".join(lines)).find(r["heading"]) >= 0 for r in kept)


def test_a_figure_before_every_known_heading_is_kept_in_the_reports_opening(data_dir, tmp_path, stub):
    """A commune's report whose headings are none of the previous year's: its figures are not dropped for want
    of a section; they stand in the report's opening (section '0', headed by the text's first line)."""
    new_year(data_dir)
    text = ("ỦY BAN NHÂN DÂN XÃ CẨM HƯNG\nSố: 05/BC-UBND, ngày 05 tháng 01 năm 2023\nBÁO CÁO\n"
            f"{GROWTH[-1]}; {INCOME[-1]}.\n")
    result = extract(write_report(tmp_path, text), data_dir)
    assert result.exit_code == 0, result.output
    sections = read_rows(data_dir / str(NEW) / "sections.csv")
    assert sections[0]["code"] == "0" and sections[0]["heading"] == "ỦY BAN NHÂN DÂN XÃ CẨM HƯNG"
    assert fact(data_dir, "economy.growth_rate")["section"] == "0"
    assert "NOT PLACED" not in result.output
    assert cg.validate(NEW, data_dir).errors == []
