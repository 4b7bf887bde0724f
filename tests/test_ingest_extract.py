"""`camgiang extract` on a .docx and a .pdf: the text read becomes source.txt (so provenance works as for a .txt),
the original is kept beside it with its digest in source.json, and source.json says what the new header states,
nothing carried or shifted from the previous year's (null where the header is silent)."""

from __future__ import annotations

import hashlib
import json

import pytest
from click.testing import CliRunner

import camgiang_data as cg
from camgiang_data.cli import main

from .conftest import YEAR
from .reports import build

NEW = YEAR + 1


def cli(*args) -> tuple[int, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    return result.exit_code, result.output


@pytest.fixture
def started(data_dir):
    assert cli("new-year", NEW, "--data-dir", data_dir)[0] == 0
    return data_dir


@pytest.mark.parametrize("name, make, fmt", [("report.docx", build.docx_bytes, "docx"),
                                             ("report.pdf", build.pdf_bytes, "pdf")])
def test_a_word_or_pdf_report_becomes_source_text_with_its_original_kept(started, tmp_path, name, make, fmt):
    report = tmp_path / name
    report.write_bytes(make())
    code, output = cli("extract", report, "--year", NEW, "--data-dir", started)
    assert code == 0, output
    folder = started / str(NEW)
    meta = json.loads((folder / "source.json").read_text(encoding="utf-8"))
    original = folder / f"source.{fmt}"
    assert original.read_bytes() == report.read_bytes()
    assert meta["source_format"] == fmt and meta["source_original"] == original.name
    assert meta["source_original_sha256"] == hashlib.sha256(report.read_bytes()).hexdigest()
    text = (folder / "source.txt").read_text(encoding="utf-8")
    assert meta["source_sha256"] == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert " | ".join(build.KEY_FIGURES[1]) in text  # a table row, one line
    # the new report's own header, nothing of the 2021 one
    assert (meta["document_number"], meta["date"]) == ("02/BC-UBND", "2023-01-05")
    assert meta["unit"]["name"] == "xã Cẩm Điền" and meta["unit"]["type"] == "xã"
    assert "Cẩm Điền" in meta["issuing_body"] and meta["title_en"] is None
    assert cg.validate(NEW, started).errors == []
    assert cg.source_metadata(NEW, started)["document_number"] == "02/BC-UBND"


def test_an_edited_original_is_an_error(started, tmp_path):
    report = tmp_path / "report.docx"
    report.write_bytes(build.docx_bytes())
    assert cli("extract", report, "--year", NEW, "--data-dir", started)[0] == 0
    original = started / str(NEW) / "source.docx"
    original.write_bytes(original.read_bytes() + b"\0")
    [problem] = cg.validate(NEW, started).errors
    assert problem.file == f"{NEW}/source.docx" and "immutable" in problem.hint


def test_a_report_in_another_format_replaces_the_kept_original(started, tmp_path):
    docx, pdf = tmp_path / "report.docx", tmp_path / "report.pdf"
    docx.write_bytes(build.docx_bytes())
    pdf.write_bytes(build.pdf_bytes())
    assert cli("extract", docx, "--year", NEW, "--data-dir", started)[0] == 0
    code, output = cli("extract", pdf, "--year", NEW, "--data-dir", started, "--overwrite")
    assert code == 0, output
    folder = started / str(NEW)
    assert not (folder / "source.docx").exists() and (folder / "source.pdf").exists()
    assert cg.validate(NEW, started).errors == []


def test_a_header_that_states_nothing_leaves_nulls_and_says_so(started, tmp_path):
    report = tmp_path / "report.txt"
    report.write_text("BÁO CÁO\n\nTình hình kinh tế - xã hội\n\nTổng thu ngân sách là 5 tỷ đồng.\n", encoding="utf-8")
    code, output = cli("extract", report, "--year", NEW, "--data-dir", started)
    assert code == 0, output
    meta = json.loads((started / str(NEW) / "source.json").read_text(encoding="utf-8"))
    assert (meta["document_number"], meta["date"], meta["unit"]["name"]) == (None, None, None)
    assert "WARNING" in output and "does not state" in output and "document_number" in output
    assert meta["source_original"] is None  # a UTF-8 text is its own original
    assert cg.validate(NEW, started).errors == []
