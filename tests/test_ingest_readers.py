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
    for line in [*build.TITLE, *build.BEFORE_TABLE]:  # too little text to tell its line spacing: as printed
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


# A PDF's paragraphs: the printed lines of one paragraph are joined again into one line, from where they stand on
# the page; a heading, a list item, a table row and the next paragraph stay lines of their own.

_WRAPPED = [  # wrapped by fpdf2 over three lines each
    "Năm 2022, kinh tế của thị trấn tiếp tục phát triển; tổng giá trị sản xuất ước đạt 571,2 tỷ đồng, bằng 103,9% "
    "kế hoạch năm, tốc độ tăng trưởng kinh tế là 7,8% (chỉ tiêu là 7%); thu nhập bình quân đầu người ước đạt trên "
    "60,4 triệu đồng/người/năm.",
    "Tỷ lệ gia đình văn hóa đạt 91,4% (chỉ tiêu đề ra là 90%), 9/9 khu dân cư giữ vững danh hiệu khu dân cư văn "
    "hóa; tỷ lệ tăng dân số tự nhiên là 0,71%, tỷ lệ hộ nghèo còn 1,52%, giảm 0,30% so với năm 2021 theo chuẩn "
    "nghèo đa chiều giai đoạn 2022-2025.",
    "Trong năm, Công an thị trấn đã tiếp nhận 17 vụ việc ban đầu, trong đó có 05 vụ tai nạn giao thông đường bộ, "
    "02 vụ tự tử, 04 vụ trộm cắp tài sản công dân, 02 vụ gây thương tích, 01 vụ đánh bạc và 01 vụ tổ chức sử "
    "dụng trái phép chất ma túy; xử lý hành chính 6 vụ.",
]
# Paragraphs as printed lines, laid out by hand: every line but a paragraph's last is stretched to run exactly to
# the right margin, as in a justified paragraph.
_PRINTED = {
    "economy": ["Năm 2022, kinh tế của thị trấn tiếp tục phát triển ổn định; tổng giá trị sản xuất",
                "ước đạt 571,2 tỷ đồng, bằng 103,9% kế hoạch năm; tốc độ tăng trưởng kinh tế là",
                "7,8% (chỉ tiêu là 7%), thu nhập bình quân đạt 60,4 triệu đồng/người/năm."],
    "culture": ["Tỷ lệ gia đình văn hóa đạt 91,4% (chỉ tiêu đề ra là 90%), 9/9 khu dân cư giữ vững",
                "danh hiệu khu dân cư văn hóa; tỷ lệ tăng dân số tự nhiên là 0,71%, tỷ lệ hộ nghèo",
                "còn 1,52%, giảm 0,30% so với năm 2021 theo chuẩn nghèo đa chiều."],
    "covid": ["Tổ chức tiêm vaccine phòng chống dịch đảm bảo đúng quy định, kịp thời ngừa Covid-",
              "19; tổng số người đã tiêm 1 mũi là 6102/6355, số người đã tiêm 2 mũi là 5987/6102,",
              "số người tiêm mũi 3 là 4390/5987, đạt 73,3% số người đã tiêm 2 mũi."],
}


def _joined(name: str) -> str:
    return " ".join(_PRINTED[name]).replace("Covid- 19", "Covid-19")  # broken after its hyphen: one word


def _pdf(tmp_path: Path, draw) -> list[str]:
    """The non-empty lines read from a PDF (A4, DejaVu Sans 11 pt) that `draw(pdf)` lays out; checks first that
    the page printed more lines than the text has."""
    import pdfplumber
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font("dejavu", fname=build._font())
    pdf.add_font("dejavu", style="B", fname=str(Path(build._font()).with_name("DejaVuSans-Bold.ttf")))
    pdf.set_font("dejavu", size=11)
    pdf.set_auto_page_break(False)
    pdf.add_page()
    draw(pdf)
    path = tmp_path / "paragraphs.pdf"
    path.write_bytes(bytes(pdf.output()))
    document = read_document(path)
    _check_text(document)
    lines = _lines(document.text)
    with pdfplumber.open(path) as opened:
        assert sum(len(page.extract_text_lines()) for page in opened.pages) > len(lines)
    return lines


def _line(pdf, text: str, *, full: bool = False, indent: float = 0.0, bold: bool = False,
          short: float = 0.0) -> None:
    """One printed line from the left margin (or `indent` mm further in); `full`: stretched to end exactly at the
    right margin, as a justified paragraph's line does (or `short` mm before it)."""
    pdf.set_font("dejavu", style="B" if bold else "", size=11)
    pdf.set_x(pdf.l_margin + indent)
    if full:
        width = pdf.epw - indent - 2 * pdf.c_margin - short
        pdf.set_stretching(100 * width / pdf.get_string_width(text))
    pdf.cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_stretching(100)
    pdf.set_font("dejavu", size=11)


def _paragraph(pdf, name: str, *, indent: float = 0.0, last_full: bool = False, gap: float = 0.0) -> None:
    lines = _PRINTED[name]
    for at, text in enumerate(lines):
        _line(pdf, text, full=at < len(lines) - 1 or last_full, indent=indent if at == 0 else 0.0)
    pdf.ln(gap)


@pytest.mark.parametrize("align", ["J", "L"])  # justified, and ragged right
def test_pdf_wrapped_paragraph_comes_back_as_one_line(tmp_path, align):
    def draw(pdf):
        for text in _WRAPPED:
            pdf.multi_cell(0, 6, text, align=align, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2.5)

    assert _pdf(tmp_path, draw) == _WRAPPED


def test_pdf_paragraphs_stay_apart_after_a_gap(tmp_path):
    """The last line of each paragraph runs to the margin: only the gap above the next one tells them apart."""
    def draw(pdf):
        _paragraph(pdf, "economy", last_full=True, gap=2.5)
        _paragraph(pdf, "culture", last_full=True, gap=2.5)
        _paragraph(pdf, "covid")

    assert _pdf(tmp_path, draw) == [_joined("economy"), _joined("culture"), _joined("covid")]


def test_pdf_paragraphs_stay_apart_at_a_first_line_indent(tmp_path):
    """No gap between paragraphs and the last line of each at the margin: the next one's indented first line
    tells them apart, under a paragraph of one line too."""
    one = "Trường đạt chuẩn Quốc gia mức độ 3; chất lượng kiểm định mức độ 3 (năm học 2022)."

    def draw(pdf):
        _paragraph(pdf, "economy", indent=10, last_full=True)
        _paragraph(pdf, "culture", indent=10, last_full=True)
        _line(pdf, one, full=True, indent=10)
        _paragraph(pdf, "covid", indent=10)

    assert _pdf(tmp_path, draw) == [_joined("economy"), _joined("culture"), one, _joined("covid")]


def test_pdf_justified_paragraph_ends_where_a_line_stops_short_of_the_margin(tmp_path):
    """In justified text a line that stops short of the margin is a paragraph's last, though the next line's first
    word would not have fitted after it (which, in ragged text, would make it a wrapped line)."""
    def draw(pdf):
        for at, text in enumerate(_PRINTED["economy"]):
            _line(pdf, text, full=True, short=3.5 if at == 2 else 0.0)  # 10 pt short; "Tỷ" and a space: 16 pt
        _paragraph(pdf, "culture")

    assert _pdf(tmp_path, draw) == [_joined("economy"), _joined("culture")]


def test_pdf_list_item_continues_under_its_text(tmp_path):
    """A hanging indent: the item's next line starts under its text, right of its dash."""
    def draw(pdf):
        _paragraph(pdf, "economy", gap=2.5)
        pdf.set_x(pdf.l_margin + 5)
        pdf.cell(5, 6, "-")
        _line(pdf, "Tổng số cán bộ giáo viên nhân viên 47 người, về trình độ giáo viên chuyên môn", full=True,
              indent=10)
        _line(pdf, "đạt chuẩn 100%; đạt chiến sỹ thi đua cấp cơ sở 5 đ/c.", indent=10)
        pdf.ln(2.5)
        _paragraph(pdf, "culture")

    assert _pdf(tmp_path, draw) == [
        _joined("economy"), "- Tổng số cán bộ giáo viên nhân viên 47 người, về trình độ giáo viên chuyên môn đạt "
        "chuẩn 100%; đạt chiến sỹ thi đua cấp cơ sở 5 đ/c.", _joined("culture")]


@pytest.mark.parametrize("line, bold", [
    ("1. Về kinh tế: tổng giá trị sản xuất ước đạt 571,2 tỷ đồng.", False),
    ("a) Nông nghiệp: năng suất lúa bình quân 6,2 tấn/ha.", False),
    ("- Tỷ lệ dân số tăng tự nhiên: 0,71%;", False),
    ("+ Hộ cận nghèo còn 1,41%;", False),
    ("• Trường đạt chuẩn Quốc gia mức độ 3.", False),
    ("II - Văn Hóa Xã Hội", False),
    ("I. LĨNH VỰC KINH TẾ", False),
    ("PHẦN THỨ HAI", False),
    ("TÌNH HÌNH KINH TẾ - XÃ HỘI NĂM 2022", False),  # a heading in capitals, with no numbering
    ("Nhiệm vụ, giải pháp năm 2023", True),  # a heading in bold, with no numbering
])
def test_pdf_list_item_or_heading_after_a_full_line_is_not_glued(tmp_path, line, bold):
    """The line above runs to the margin, and the line follows it at the usual spacing from the same left edge:
    only its numbering, its capitals or its bold face keep it apart."""
    def draw(pdf):
        _paragraph(pdf, "economy", last_full=True)
        _line(pdf, line, bold=bold)
        _paragraph(pdf, "culture")

    assert _pdf(tmp_path, draw) == [_joined("economy"), line, _joined("culture")]


def test_pdf_table_rows_stay_rows_between_paragraphs(tmp_path):
    def draw(pdf):
        pdf.multi_cell(0, 6, _WRAPPED[0], new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        with pdf.table(first_row_as_headings=False, col_widths=(10, 60, 20, 25, 25, 20)) as table:
            for values in build.KEY_FIGURES:
                row = table.row()
                for value in values:
                    row.cell(value)
        pdf.ln(2)
        for text in _WRAPPED[1:]:
            pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)

    assert _pdf(tmp_path, draw) == [_WRAPPED[0], *build.PDF_TABLE_LINES, *_WRAPPED[1:]]


def test_pdf_layout_columns_and_centred_title_stay_lines(tmp_path):
    """A header in two columns, a centred title over two lines, a signature block beside "Nơi nhận:": each line
    stays a line, though some run to the margin."""
    def draw(pdf):
        for left, right in zip(build.HEADER_LEFT, build.HEADER_RIGHT):
            pdf.cell(80, 6, left)
            pdf.cell(0, 6, right, align="R", new_x="LMARGIN", new_y="NEXT")
        for line in build.TITLE:
            pdf.cell(0, 6, line, align="C", new_x="LMARGIN", new_y="NEXT")
        _paragraph(pdf, "economy", last_full=True, gap=2.5)
        _paragraph(pdf, "culture", last_full=True)
        pdf.cell(80, 6, "Nơi nhận:")
        pdf.cell(0, 6, "TM. ỦY BAN NHÂN DÂN", align="R", new_x="LMARGIN", new_y="NEXT")

    assert _pdf(tmp_path, draw) == [
        *(f"{left} {right}" for left, right in zip(build.HEADER_LEFT, build.HEADER_RIGHT)), *build.TITLE,
        _joined("economy"), _joined("culture"), "Nơi nhận: TM. ỦY BAN NHÂN DÂN"]


def test_pdf_paragraph_runs_on_over_a_page_break(tmp_path):
    """A paragraph cut mid-sentence at the foot of a page goes on at the top of the next, past its page number;
    one whose sentence ends there does not take the next page's first line."""
    def draw(pdf):
        for name in ("economy", "culture", "covid"):
            _paragraph(pdf, name, gap=2.5)
        _line(pdf, "Trong quá trình thực hiện nhiệm vụ, Công an thị trấn đã tiếp nhận 17 vụ việc ban", full=True)
        pdf.add_page()
        pdf.cell(0, 6, "2", align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
        _line(pdf, "đầu, trong đó có 05 vụ tai nạn giao thông đường bộ, 02 vụ tự tử, 04 vụ trộm cắp", full=True)
        _line(pdf, "tài sản công dân, 02 vụ gây thương tích và 01 vụ đánh bạc trên địa bàn thị trấn.", full=True)
        pdf.add_page()
        _paragraph(pdf, "culture", gap=2.5)
        _paragraph(pdf, "economy")

    assert _pdf(tmp_path, draw) == [
        _joined("economy"), _joined("culture"), _joined("covid"),
        "Trong quá trình thực hiện nhiệm vụ, Công an thị trấn đã tiếp nhận 17 vụ việc ban đầu, trong đó có 05 vụ "
        "tai nạn giao thông đường bộ, 02 vụ tự tử, 04 vụ trộm cắp tài sản công dân, 02 vụ gây thương tích và 01 vụ "
        "đánh bạc trên địa bàn thị trấn.", "2", _joined("culture"), _joined("economy")]


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
