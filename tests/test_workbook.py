"""`camgiang export --xlsx`: the workbook read back with openpyxl — sheets, headers in the language, figures stored as
numbers equal to the data's, percent formats, the about sheet, provenance, and a write that is whole or nothing."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from camgiang_data.checks.schema import TOPICAL_TABLES
from camgiang_data.cli import main
from camgiang_data.present import workbook
from camgiang_data.store import DEFAULT_DATA_DIR
from camgiang_data.topical import parse_dimensions

from .conftest import catalog_rows, edit_cell, read_rows

YEAR = 2021
WORDS = workbook.messages()
REVENUE = "budget.revenue.total"


def run(*args):
    return CliRunner().invoke(main, list(args))


def word(group: str, key: str, lang: str) -> str:
    return WORDS[group][key][lang]


def fact(indicator_id: str, kind: str = "actual") -> dict:
    rows = read_rows(DEFAULT_DATA_DIR / str(YEAR) / "facts.csv")
    return next(r for r in rows if r["indicator_id"] == indicator_id and r["kind"] == kind and r["mention"] == "1")


def catalog_entry(indicator_id: str) -> dict:
    return next(r for r in catalog_rows(DEFAULT_DATA_DIR) if r["indicator_id"] == indicator_id)


@pytest.fixture(scope="module", params=["vi", "en"])
def exported(request, tmp_path_factory):
    lang = request.param
    path = tmp_path_factory.mktemp(f"xlsx-{lang}") / f"camgiang-{YEAR}-{lang}.xlsx"
    result = run("export", "--xlsx", str(path), "--year", str(YEAR), "--lang", lang)
    assert result.exit_code == 0, result.output
    assert f"wrote {path}" in result.output
    return lang, load_workbook(path)


def header(ws) -> list[str]:
    return [c.value for c in ws[1]]


def column(ws, name: str) -> int:
    return header(ws).index(name)


def find_row(ws, lang: str, indicator_id: str, kind: str = "actual"):
    id_col, kind_col = column(ws, word("columns", "indicator_id", lang)), column(ws, word("columns", "kind", lang))
    rows = [r for r in ws.iter_rows(min_row=2) if r[id_col].value == indicator_id and r[kind_col].value == kind]
    assert rows, f"no row {indicator_id} ({kind}) in sheet {ws.title}"
    return rows[0]


def table_sheets(wb):
    return wb.worksheets[1:]  # every sheet but the about sheet has a header row


# --- sheets and headers ------------------------------------------------------------------------------------------

def test_sheet_names_are_localised_in_order_and_valid(exported):
    lang, wb = exported
    expected = [word("sheets", "about", lang), *(word("sheets", n, lang) for n in TOPICAL_TABLES),
                word("sheets", "provenance", lang)]
    assert wb.sheetnames == expected
    assert len({n.casefold() for n in wb.sheetnames}) == len(wb.sheetnames)
    assert all(len(n) <= 31 and not re.search(r"[\[\]:*?/\\]", n) for n in wb.sheetnames)
    assert wb.sheetnames[0] == {"vi": "Giới thiệu", "en": "About"}[lang]
    assert wb.sheetnames[-1] == {"vi": "Nguồn số liệu", "en": "Provenance"}[lang]


def test_headers_and_indicator_names_are_in_the_language(exported):
    lang, wb = exported
    ws = wb[word("sheets", "budget", lang)]
    value, name = {"vi": ("Giá trị", "Tên chỉ tiêu"), "en": ("Value", "Indicator")}[lang]
    assert value in header(ws) and name in header(ws)
    assert "value" not in header(ws) and "name_vi" not in header(ws) and "name_en" not in header(ws)
    # the dimension columns are headed in the language too
    assert word("columns", "flow", lang) in header(ws) and word("columns", "line", lang) in header(ws)
    row = find_row(ws, lang, REVENUE)
    assert row[column(ws, name)].value == catalog_entry(REVENUE)[f"name_{lang}"]
    other = "en" if lang == "vi" else "vi"
    assert word("columns", "value", other) not in header(ws)


def test_table_sheets_have_frozen_header_filter_and_widths(exported):
    lang, wb = exported
    for ws in table_sheets(wb):
        assert ws.freeze_panes == "A2", ws.title
        assert ws.auto_filter.ref == f"A1:{ws.cell(1, ws.max_column).column_letter}{ws.max_row}", ws.title
        assert all(c.font.b for c in ws[1]), ws.title
        widths = [ws.column_dimensions[c.column_letter].width for c in ws[1]]
        assert all(8 <= w <= 60 for w in widths), ws.title


def test_each_table_sheet_has_the_rows_the_table_gives(exported):
    import camgiang_data as cg

    lang, wb = exported
    for name in TOPICAL_TABLES:
        frame = cg.load(name, YEAR)
        ws = wb[word("sheets", name, lang)]
        ids = [r[0].value for r in ws.iter_rows(min_row=2)]
        assert ids == list(frame["indicator_id"]), name


# --- numbers -----------------------------------------------------------------------------------------------------

def test_total_revenue_is_a_number_equal_to_the_data_in_budget_and_provenance(exported):
    lang, wb = exported
    stated = fact(REVENUE)
    expected = float(stated["value"])
    assert expected == 7804089625
    value_header = word("columns", "value", lang)

    budget = wb[word("sheets", "budget", lang)]
    cell = find_row(budget, lang, REVENUE)[column(budget, value_header)]
    assert cell.data_type == "n" and isinstance(cell.value, (int, float)) and cell.value == expected
    assert cell.number_format == workbook.WHOLE

    provenance = wb[word("sheets", "provenance", lang)]
    row = find_row(provenance, lang, REVENUE)
    cell = row[column(provenance, value_header)]
    assert cell.data_type == "n" and cell.value == expected
    assert row[column(provenance, word("columns", "quote", lang))].value == stated["quote"]
    assert row[column(provenance, word("columns", "as_written", lang))].value == stated["as_written"]
    assert row[column(provenance, word("columns", "section", lang))].value == stated["section"]
    assert row[column(provenance, word("columns", "name", lang))].value == catalog_entry(REVENUE)[f"name_{lang}"]


def test_percent_cells_are_numbers_as_printed_with_a_literal_percent_format(exported):
    lang, wb = exported
    unit_header, value_header = word("columns", "unit", lang), word("columns", "value", lang)
    seen = 0
    for ws in table_sheets(wb):
        unit_col, value_col = column(ws, unit_header), column(ws, value_header)
        for row in ws.iter_rows(min_row=2):
            cell = row[value_col]
            if row[unit_col].value != "percent" or cell.value is None:
                continue
            seen += 1
            assert cell.data_type == "n", (ws.title, cell.coordinate)
            fmt = cell.number_format
            assert fmt in (workbook.PERCENT_WHOLE, workbook.PERCENT_DECIMAL), (ws.title, fmt)
            assert fmt.endswith('"%"') and "%" not in fmt.replace('"%"', ""), fmt  # a suffix, not Excel's ×100
    assert seen > 50
    # the plan attainment of the revenue: 93 as printed ("93%"), not 0.93
    budget = wb[word("sheets", "budget", lang)]
    cell = find_row(budget, lang, REVENUE, "plan_attainment")[column(budget, value_header)]
    assert cell.value == float(fact(REVENUE, "plan_attainment")["value"]) == 93
    assert cell.number_format == workbook.PERCENT_WHOLE
    # a decimal percent keeps its decimals
    assert workbook.number_format(12.5, "percent") == workbook.PERCENT_DECIMAL == '#,##0.0#"%"'


def test_no_number_is_stored_as_text(exported):
    """Numeric columns hold numbers (or nothing); a text that reads as a number is only ever the figure as
    printed (the "as written" column, kept as text on purpose: "04" is not 4)."""
    lang, wb = exported
    numeric = {word("columns", k, lang) for k in ("value", "year", "tolerance", "mention", "source_year",
                                                  "wave", "dose", "intake", "year_rated")}
    as_written = word("columns", "as_written", lang)
    looks_numeric = re.compile(r"[-+]?\d[\d.,]*%?")
    checked = 0
    for ws in table_sheets(wb):
        names = header(ws)
        for row in ws.iter_rows(min_row=2):
            for name, cell in zip(names, row):
                if cell.value is None:
                    continue
                if name in numeric:
                    checked += 1
                    assert cell.data_type == "n" and not isinstance(cell.value, (str, bool)), \
                        (ws.title, name, cell.coordinate, cell.value)
                elif isinstance(cell.value, str) and name != as_written:
                    assert not looks_numeric.fullmatch(cell.value.strip()), (ws.title, name, cell.value)
    assert checked > 1000
    # integer codes of a dimension (a dose, an intake year) are numbers without digit grouping
    military = wb[word("sheets", "military", lang)]
    intake = [r[column(military, word("columns", "intake", lang))] for r in military.iter_rows(min_row=2)]
    assert {c.value for c in intake if c.value is not None} <= {2021, 2022}
    assert all(c.number_format == workbook.PLAIN_INTEGER for c in intake if c.value is not None)


def test_formats_are_the_same_in_both_languages(tmp_path):
    formats = {}
    for lang in ("vi", "en"):
        path = tmp_path / f"{lang}.xlsx"
        assert run("export", "--xlsx", str(path), "--lang", lang).exit_code == 0
        wb = load_workbook(path)
        formats[lang] = [[c.number_format for row in ws.iter_rows() for c in row] for ws in wb.worksheets[1:]]
    assert formats["vi"] == formats["en"]


# --- the about sheet ---------------------------------------------------------------------------------------------

def test_about_sheet_cites_the_report_and_lists_the_sheets(exported):
    lang, wb = exported
    ws = wb.worksheets[0]
    cells = {c.value for row in ws.iter_rows() for c in row if c.value is not None}
    labels = {row[0].value: row[1].value for row in ws.iter_rows() if row[0].value is not None}
    assert "01/BC-UBND" in cells
    assert labels[word("about", "document_number", lang)] == "01/BC-UBND"
    assert labels[word("about", "year", lang)] == YEAR
    assert labels[word("about", "date", lang)].date().isoformat() == "2022-01-04"
    body = {"vi": "Ủy ban nhân dân thị trấn Cẩm Giang", "en": "People's Committee of Cẩm Giang town"}[lang]
    assert labels[word("about", "issuing_body", lang)] == body
    assert labels[word("about", "unit_name", lang)] == "thị trấn Cẩm Giang"
    assert labels[word("about", "unit_type", lang)] == "thị trấn"
    # the unit code is null in source.json: said so, in the language
    assert labels[word("about", "unit_code", lang)] == word("words", "not_stated", lang)
    assert word("about", "invented", lang) in labels
    for name in wb.sheetnames[1:]:
        assert name in cells, name


def test_about_sheet_shows_not_stated_for_a_null_field(data_dir, tmp_path):
    import json

    path = data_dir / str(YEAR) / "source.json"
    meta = json.loads(path.read_text(encoding="utf-8"))
    meta["unit"]["district"] = None
    path.write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
    target = tmp_path / "out.xlsx"
    result = run("export", "--xlsx", str(target), "--data-dir", str(data_dir), "--lang", "en")
    assert result.exit_code == 0, result.output
    ws = load_workbook(target).worksheets[0]
    labels = {row[0].value: row[1].value for row in ws.iter_rows() if row[0].value is not None}
    assert labels["District"] == "not stated"


# --- the message file --------------------------------------------------------------------------------------------

def test_message_file_is_nfc_and_has_both_languages_for_every_key():
    text = workbook.MESSAGES.read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", text)
    for group, entries in WORDS.items():
        for key, entry in entries.items():
            assert set(entry) == {"vi", "en"} and all(entry.values()), f"[{group}.{key}]"


def test_message_file_covers_every_table_column_and_dimension():
    import camgiang_data as cg

    for name in TOPICAL_TABLES:
        assert name in WORDS["sheets"] and name in WORDS["descriptions"], name
        frame = cg.load(name, YEAR)
        for key in frame.columns:
            if key not in ("name_vi", "name_en"):
                assert key in WORDS["columns"], f"{name}.{key}"
    dimensions = {k for d in cg.catalog()["dimensions"] for k in parse_dimensions(d)}
    assert dimensions <= set(WORDS["columns"])
    for lang in ("vi", "en"):
        names = [WORDS["sheets"][n][lang] for n in ("about", *TOPICAL_TABLES, "provenance")]
        assert workbook.sheet_names(names) == names  # already valid: nothing shortened or renamed


def test_sheet_names_are_cut_to_31_characters_cleaned_and_made_unique():
    long = "Thủ tục hành chính và hộ tịch của thị trấn"
    names = workbook.sheet_names([long, long, "a/b:c", "History", "Budget", "budget", "'quoted'"])
    assert all(len(n) <= 31 for n in names)
    assert names[0] == long[:31] and names[1].endswith(" (2)") and names[1] != names[0]
    assert names[2] == "a-b-c"
    assert names[3] != "History"
    assert names[4] == "Budget" and names[5].casefold() != "budget"
    assert names[6] == "quoted"


# --- where it is written -----------------------------------------------------------------------------------------

def test_a_missing_folder_exits_1_naming_it_and_writes_nothing(tmp_path):
    missing = tmp_path / "no-such-folder"
    result = run("export", "--xlsx", str(missing / "out.xlsx"))
    assert result.exit_code == 1
    assert str(missing) in result.output and "does not exist" in result.output
    assert "Traceback" not in result.output
    assert not missing.exists() and list(tmp_path.iterdir()) == []


def test_a_folder_as_target_exits_1_naming_it_and_writes_nothing(tmp_path):
    folder = tmp_path / "a-folder.xlsx"
    folder.mkdir()
    result = run("export", "--xlsx", str(folder))
    assert result.exit_code == 1
    assert str(folder) in result.output and "is a folder" in result.output
    assert list(folder.iterdir()) == [] and list(tmp_path.iterdir()) == [folder]


def test_an_existing_file_is_replaced_whole(tmp_path):
    target = tmp_path / "out.xlsx"
    target.write_bytes(b"an old file, not a workbook " * 10_000)
    result = run("export", "--xlsx", str(target), "--lang", "en")
    assert result.exit_code == 0, result.output
    assert not target.read_bytes().startswith(b"an old file")
    assert load_workbook(target).sheetnames[0] == "About"
    assert list(tmp_path.iterdir()) == [target]  # no temporary file left beside it


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path, monkeypatch):
    from camgiang_data import atomic

    target = tmp_path / "out.xlsx"
    target.write_bytes(b"old")

    def broken(path: Path, data):
        Path(path).write_bytes(bytes(data)[:100])  # half of it on disk, then the disk is full
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic, "_write_file", broken)
    result = run("export", "--xlsx", str(target))
    assert result.exit_code == 1
    assert f"cannot write {target}" in result.output and "No space left on device" in result.output
    assert target.read_bytes() == b"old" and list(tmp_path.iterdir()) == [target]


def test_data_with_errors_exits_1_and_writes_nothing(data_dir, tmp_path):
    edit_cell(data_dir / str(YEAR) / "facts.csv", {"indicator_id": REVENUE, "kind": "actual"}, "value",
              "7.804.089.625")
    target = tmp_path / "out.xlsx"
    result = run("export", "--xlsx", str(target), "--data-dir", str(data_dir))
    assert result.exit_code == 1
    assert "2021/facts.csv" in result.output and "nothing was changed" in result.output
    assert "Traceback" not in result.output
    assert not target.exists()


def test_unknown_year_exits_2(tmp_path):
    result = run("export", "--xlsx", str(tmp_path / "out.xlsx"), "--year", "1999")
    assert result.exit_code == 2 and "available years: 2021" in result.output
    assert list(tmp_path.iterdir()) == []


def test_help_describes_the_command():
    result = run("export", "--help")
    assert result.exit_code == 0
    for option in ("--xlsx", "--year", "--lang", "--data-dir"):
        assert option in result.output
    assert "export" in run("--help").output
