"""Reading a report file (camgiang_data.ingest.readers): each format gives its Vietnamese text in NFC with the
tables' rows one per line, in document order; each bad file is one IngestError whose one line says what to do.
The files are made from text by tests/reports/build.py."""

from __future__ import annotations

import codecs
import hashlib
import unicodedata
from pathlib import Path

import pytest

from camgiang_data.checks import reading
from camgiang_data.checks.provenance import normalise
from camgiang_data.ingest import SEPARATOR, Document, IngestError, read_document, read_header
from camgiang_data.ingest import readers

from .reports import build


@pytest.fixture(scope="session")
def files(tmp_path_factory) -> dict[str, Path]:
    return build.write_all(tmp_path_factory.mktemp("reports"))


def _refusal(path: Path) -> str:
    with pytest.raises(IngestError) as caught:
        read_document(path)
    message = str(caught.value)
    assert "\n" not in message and message.startswith(str(path)), message
    assert caught.value.path == str(path)
    return message


def _lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if line]


def _check_text(document: Document) -> None:
    assert unicodedata.is_normalized("NFC", document.text)
    assert "\r" not in document.text and document.text.endswith("\n") and not document.text.endswith("\n\n")


# ------------------------------------------------------------------------------------------------ .docx

def test_docx_paragraphs_and_tables_come_out_in_document_order(files):
    document = read_document(files["report.docx"])
    assert document.format == "docx" and document.tables == 2  # the header's layout table and the key figures
    _check_text(document)
    lines = _lines(document.text)
    title_at = lines.index("BÁO CÁO")
    assert lines[title_at + 1] == " ".join(build.TITLE)  # the line break inside the paragraph became a space
    assert lines[title_at + 2:title_at + 4] == build.BEFORE_TABLE  # the NFD paragraph comes out NFC
    assert lines[title_at + 4:title_at + 9] == build.DOCX_TABLE_LINES
    assert lines[title_at + 9:] == build.AFTER_TABLE
    assert any("2 table(s)" in note for note in document.notes)


def test_docx_table_rows_are_one_line_each_and_merged_cells_are_not_repeated(files):
    text = read_document(files["report.docx"]).text
    table = [line for line in text.split("\n") if line.startswith(("TT |", "I |", "1 |", "2 |", "3 |"))]
    assert table == build.DOCX_TABLE_LINES
    assert table[0].split(SEPARATOR) == build.KEY_FIGURES[0]
    assert table[1].count("Kinh tế") == 1  # python-docx repeats a merged cell once per column it spans
    # a row's text stands in the text as a quote does: the provenance check finds it
    assert normalise("1 | Tổng giá trị sản xuất | tỷ đồng | 570 | 515,74 | 90,5") in normalise(text)
    # the header's layout table: its two columns on one line
    assert text.startswith("ỦY BAN NHÂN DÂN XÃ CẨM ĐIỀN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - "
                           "Hạnh phúc\nSố: 02/BC-UBND | Cẩm Điền, ngày 05 tháng 01 năm 2023\n")


def test_docx_keeps_its_original_and_digest(files):
    document = read_document(files["report.docx"])
    raw = files["report.docx"].read_bytes()
    assert document.original == raw and document.sha256 == hashlib.sha256(raw).hexdigest()
    assert document.original_name == "source.docx" and document.original_differs
    assert document.text_sha256 == hashlib.sha256(document.text.encode("utf-8")).hexdigest()


def test_docx_header_reads_through(files):
    header = read_header(read_document(files["report.docx"]).text)
    assert (header.document_number, header.date, header.issuing_body, header.unit) == \
        ("02/BC-UBND", "2023-01-05", "Ủy ban nhân dân xã Cẩm Điền", "xã Cẩm Điền")
    assert header.title == " ".join(build.TITLE)


def test_docx_renamed_txt_is_read_as_docx(files, tmp_path):
    renamed = tmp_path / "report.txt"
    renamed.write_bytes(files["report.docx"].read_bytes())
    document = read_document(renamed)
    assert document.format == "docx" and document.text == read_document(files["report.docx"]).text
    assert any("named as plain text but is a Word document (.docx)" in note for note in document.notes)


def test_corrupt_docx_is_refused(files):
    message = _refusal(files["corrupt.docx"])
    assert "is damaged" in message and "not a complete zip archive" in message and "save it again" in message


def test_old_doc_is_refused_with_save_as_docx(files):
    message = _refusal(files["old.doc"])
    assert "old binary Word 97-2003 document (.doc)" in message and "save it as a Word document (.docx)" in message


def test_doc_renamed_docx_is_refused(files, tmp_path):
    renamed = tmp_path / "report.docx"
    renamed.write_bytes(files["old.doc"].read_bytes())
    message = _refusal(renamed)
    assert "(.doc) (though named .docx)" in message and "save it as a Word document (.docx)" in message


def test_password_protected_word_document_is_refused(tmp_path):
    path = tmp_path / "locked.docx"
    path.write_bytes(build.ole_doc_bytes() + "EncryptedPackage".encode("utf-16-le"))
    assert "password-protected" in _refusal(path)


def test_zip_that_is_not_a_word_document_is_refused(tmp_path):
    import zipfile

    path = tmp_path / "book.docx"
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("xl/workbook.xml", "<workbook/>")
    assert "an Excel workbook" in _refusal(path)


def test_text_named_docx_or_pdf_is_refused(tmp_path):
    for name in ("report.docx", "report.pdf"):
        path = tmp_path / name
        path.write_text("<title>404 Not Found</title>", encoding="utf-8")
        assert "is not one (it starts with" in _refusal(path)
    empty = tmp_path / "empty.docx"
    empty.write_bytes(b"")
    assert "an empty file" in _refusal(empty)


def test_docx_text_box_is_read_once_and_tab_stops_are_no_text(tmp_path):
    import docx
    from lxml import etree

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    mc = "http://schemas.openxmlformats.org/markup-compatibility/2006"
    box = f'<w:txbxContent xmlns:w="{w}"><w:p><w:r><w:t>Số: 02/BC-UBND</w:t></w:r></w:p></w:txbxContent>'
    document = docx.Document()
    paragraph = document.add_paragraph("Trước")
    paragraph.paragraph_format.tab_stops.add_tab_stop(docx.shared.Cm(8))  # a w:tab in w:pPr: no text
    run = paragraph.add_run()
    # Word stores a text box twice: the drawing (mc:Choice) and a VML copy for old readers (mc:Fallback)
    run._r.append(etree.fromstring(f'<mc:AlternateContent xmlns:mc="{mc}" xmlns:w="{w}"><mc:Choice Requires="wps">'
                                   f'{box}</mc:Choice><mc:Fallback>{box}</mc:Fallback></mc:AlternateContent>'))
    paragraph.add_run("\tsau")
    path = tmp_path / "box.docx"
    document.save(path)
    assert read_document(path).text == "Trước Số: 02/BC-UBND\tsau\n"


def test_legacy_font_encoding_is_refused(tmp_path):
    import docx

    document = docx.Document()
    for _ in range(5):  # TCVN3 (.VnTime) letters read as Unicode: "Ủy ban nhân dân xã Cẩm Điền" …
        document.add_paragraph("Uû ban nh©n d©n x· CÈm §iÒn b¸o c¸o t×nh h×nh kinh tÕ x· héi n¨m 2022")
    path = tmp_path / "vntime.docx"
    document.save(path)
    assert "old font encoding (TCVN3 or VNI" in _refusal(path)


# ------------------------------------------------------------------------------------------------ .pdf

def test_pdf_text_layer_and_ruled_table_round_trip(files):
    document = read_document(files["report.pdf"])
    assert document.format == "pdf" and document.pages == 1 and document.tables == 1
    _check_text(document)
    lines = _lines(document.text)
    table_at = lines.index(build.PDF_TABLE_LINES[0])
    assert lines[table_at:table_at + 4] == build.PDF_TABLE_LINES  # one line per row, in place
    assert lines[table_at + 4:] == build.AFTER_TABLE
    text = normalise(document.text)
    for line in [*build.TITLE, *build.BEFORE_TABLE]:  # the printed lines, wrapped where the page wrapped them
        assert normalise(line) in text
    assert text.index(normalise(build.BEFORE_TABLE[1])) < text.index(normalise(build.PDF_TABLE_LINES[0]))
    # the two columns of the header come flattened onto shared lines
    assert lines[0] == "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert document.original == files["report.pdf"].read_bytes() and document.original_name == "source.pdf"


def test_pdf_header_reads_through_flattened_columns(files):
    header = read_header(read_document(files["report.pdf"]).text)
    assert (header.document_number, header.date, header.place, header.issuing_body) == \
        ("02/BC-UBND", "2023-01-05", "Cẩm Điền", "Ủy ban nhân dân xã Cẩm Điền")
    assert header.title == " ".join(build.TITLE)


def test_scanned_pdf_is_refused_with_ocr_hint(files):
    message = _refusal(files["scanned.pdf"])
    assert "no text layer (a scan" in message and "OCR" in message and "original .docx" in message


def test_encrypted_pdf_is_refused(files):
    message = _refusal(files["encrypted.pdf"])
    assert "the PDF is encrypted" in message and "without one" in message


def test_pdf_with_owner_password_only_is_read_with_a_note(files):
    document = read_document(files["restricted.pdf"])
    assert "515,74 tỷ đồng" in document.text
    assert any("owner password only" in note for note in document.notes)


def test_damaged_pdf_is_refused(files, tmp_path):
    path = tmp_path / "cut.pdf"
    path.write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 50)
    message = _refusal(path)
    assert "this PDF is damaged" in message and "ask for the file again" in message


def test_pdf_renamed_docx_is_read_as_pdf(files, tmp_path):
    renamed = tmp_path / "report.docx"
    renamed.write_bytes(files["report.pdf"].read_bytes())
    document = read_document(renamed)
    assert document.format == "pdf" and any("is a PDF: read as a PDF" in n for n in document.notes)


# ------------------------------------------------------------------------------------------------ .txt

def test_txt_is_decoded_as_extract_always_did(tmp_path):
    text = "Số: 02/BC-UBND\r\nTổng giá trị sản xuất ước đạt 515,74 tỷ đồng.\r\n"
    path = tmp_path / "report.txt"
    path.write_bytes(codecs.BOM_UTF8 + unicodedata.normalize("NFD", text).encode("utf-8"))
    document = read_document(path)
    assert document.format == "txt" and document.text == text.replace("\r\n", "\n")
    _check_text(document)
    assert any("CRLF" in n for n in document.notes) and any("NFC" in n for n in document.notes)
    assert document.original_name == "source-original.txt" and document.original_differs


def test_clean_txt_original_is_its_text(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text("Báo cáo năm 2022\n", encoding="utf-8")
    document = read_document(path)
    assert document.notes == [] and not document.original_differs


def test_txt_in_another_encoding_is_refused_with_iconv_hint(tmp_path):
    path = tmp_path / "report.txt"
    path.write_bytes("Báo cáo năm 2022".encode("cp1258"))  # Windows Vietnamese: á = 0xE1, ă = 0xE3
    message = _refusal(path)
    assert "not UTF-8 text" in message and "iconv" in message and not message.endswith("Nothing was changed.")


def test_missing_file_and_folder_are_refused(tmp_path):
    assert "no such file" in _refusal(tmp_path / "nowhere.docx")
    assert "a folder" in _refusal(tmp_path)


def test_text_beyond_the_report_limit_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * (reading.MAX_REPORT_BYTES + 1))
    assert "more than a report's 5 MB" in _refusal(path)
    monkeypatch.setattr(readers, "MAX_ORIGINAL_BYTES", 1000)  # an original past its own (larger) limit
    assert "cannot read it" in _refusal(path)


def test_rtf_and_html_are_refused(tmp_path):
    rtf = tmp_path / "report.rtf"
    rtf.write_bytes(b"{\\rtf1\\ansi report}")
    assert "RTF document" in _refusal(rtf)
    html = tmp_path / "report.doc"
    html.write_bytes(b"<html><body>report</body></html>")
    assert "web page (HTML)" in _refusal(html)
