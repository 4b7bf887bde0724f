"""The report files the ingest tests read, made from text here so the tests can be read against it: a .docx
(header in a two-column layout table, paragraphs, a key-figure table with merged cells), a PDF with a text layer
and a ruled table (fpdf2, DejaVu Sans from matplotlib: it has the Vietnamese letters), and the bad ones: a
scanned PDF (a picture, no text), encrypted PDFs, a truncated .docx, an old binary .doc.

Nothing is committed but this script: `python -m tests.reports.build DIR` writes them all into DIR to look at.
"""

from __future__ import annotations

import io
import sys
import unicodedata
from pathlib import Path

# What the .docx and the PDF say, in order. Each table row as the reader must give it back (cells joined by
# " | "); a merged cell's text once.
HEADER_LEFT = ["ỦY BAN NHÂN DÂN", "XÃ CẨM ĐIỀN", "Số: 02/BC-UBND"]
HEADER_RIGHT = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                "Cẩm Điền, ngày 05 tháng 01 năm 2023"]
TITLE = ["Kết quả thực hiện nhiệm vụ phát triển kinh tế - xã hội năm 2022", "và phương hướng, nhiệm vụ năm 2023"]
BEFORE_TABLE = [
    "Năm 2022, xã Cẩm Điền từng bước phục hồi sau đại dịch Covid-19; tổng giá trị sản xuất ước đạt 515,74 tỷ "
    "đồng, bằng 90,5% kế hoạch.",
    "A. KẾT QUẢ THỰC HIỆN MỘT SỐ CHỈ TIÊU CHỦ YẾU",
]
KEY_FIGURES = [
    ["TT", "Chỉ tiêu", "ĐVT", "Kế hoạch", "Thực hiện", "Tỷ lệ %"],
    ["1", "Tổng giá trị sản xuất", "tỷ đồng", "570", "515,74", "90,5"],
    ["2", "Thu ngân sách xã", "tỷ đồng", "12,8", "14,02", "109,5"],
    ["3", "Tỷ lệ hộ nghèo", "%", "1,5", "1,37", "đạt"],
]
AFTER_TABLE = ["Thu nhập bình quân đầu người đạt 61,2 triệu đồng/người/năm; tỷ lệ gia đình văn hóa đạt 93%."]


def docx_bytes() -> bytes:
    """The Word report: the header as the usual borderless two-column table, BÁO CÁO, a title whose two lines are
    one paragraph with a line break, body paragraphs (one stored decomposed, NFD), the key-figure table with a
    group row merged across its columns and a unit merged down two rows, a last paragraph."""
    import docx

    document = docx.Document()
    layout = document.add_table(rows=2, cols=2)
    left, right = layout.rows[0].cells
    left.paragraphs[0].text, right.paragraphs[0].text = HEADER_LEFT[0], HEADER_RIGHT[0]
    left.add_paragraph(HEADER_LEFT[1])
    right.add_paragraph(HEADER_RIGHT[1])
    layout.rows[1].cells[0].text, layout.rows[1].cells[1].text = HEADER_LEFT[2], HEADER_RIGHT[2]
    document.add_paragraph("BÁO CÁO")
    title = document.add_paragraph()
    title.add_run(TITLE[0]).add_break()  # a line break inside the paragraph: a space in the text
    title.add_run(TITLE[1]).bold = True
    document.add_paragraph(unicodedata.normalize("NFD", BEFORE_TABLE[0]))
    document.add_paragraph("")  # an empty paragraph: no line of its own
    document.add_paragraph(BEFORE_TABLE[1])
    table = document.add_table(rows=len(KEY_FIGURES) + 1, cols=6)
    table.style = "Table Grid"
    rows = [KEY_FIGURES[0], ["I", "Kinh tế", "", "", "", ""], *KEY_FIGURES[1:]]
    for row, values in zip(table.rows, rows):
        for cell, value in zip(row.cells, values):
            cell.text = value
    table.cell(1, 1).merge(table.cell(1, 5))  # the group row "Kinh tế" spans five columns
    unit = table.cell(2, 2).merge(table.cell(3, 2))  # "tỷ đồng" merged down rows 1 and 2
    unit.text = "tỷ đồng"
    document.add_paragraph(AFTER_TABLE[0])
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# The docx table's rows as the reader must give them: the group row once, the merged unit in its first row only.
DOCX_TABLE_LINES = [
    "TT | Chỉ tiêu | ĐVT | Kế hoạch | Thực hiện | Tỷ lệ %",
    "I | Kinh tế",
    "1 | Tổng giá trị sản xuất | tỷ đồng | 570 | 515,74 | 90,5",
    "2 | Thu ngân sách xã | | 12,8 | 14,02 | 109,5",
    "3 | Tỷ lệ hộ nghèo | % | 1,5 | 1,37 | đạt",
]


def _font() -> str:
    import matplotlib

    return str(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf")


def _pdf():
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("dejavu", fname=_font())
    pdf.set_font("dejavu", size=10)
    pdf.add_page()
    return pdf


def pdf_bytes() -> bytes:
    """The PDF report: the header's two columns printed side by side, BÁO CÁO, the title, paragraphs, the
    key-figure table ruled, a last paragraph."""
    pdf = _pdf()
    for left, right in zip(HEADER_LEFT, HEADER_RIGHT):
        pdf.cell(80, 6, left)
        pdf.cell(0, 6, right, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.cell(0, 6, "BÁO CÁO", align="C", new_x="LMARGIN", new_y="NEXT")
    for line in TITLE:
        pdf.cell(0, 6, line, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    for paragraph in BEFORE_TABLE:
        pdf.multi_cell(0, 6, paragraph, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    with pdf.table(first_row_as_headings=False, col_widths=(10, 60, 20, 25, 25, 20)) as table:
        for values in KEY_FIGURES:
            row = table.row()
            for value in values:
                row.cell(value)
    pdf.ln(2)
    pdf.multi_cell(0, 6, AFTER_TABLE[0], new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


PDF_TABLE_LINES = [" | ".join(row) for row in KEY_FIGURES]


def scanned_pdf_bytes() -> bytes:
    """A scan: one page holding only a picture of a page, no text layer."""
    from PIL import Image, ImageDraw

    picture = Image.new("L", (400, 560), 255)
    draw = ImageDraw.Draw(picture)
    for y in range(40, 520, 16):
        draw.line((40, y, 360, y), fill=0, width=3)  # lines of "text"
    pdf = _pdf()
    pdf.image(picture, x=10, y=10, w=190)
    return bytes(pdf.output())


def encrypted_pdf_bytes(user_password: str | None = "secret") -> bytes:
    """A PDF encrypted with a password to open it (or, with None, only an owner password: restrictions).
    RC4, the default: pdfminer reads it without extra packages (passwords are Latin-1 in this scheme)."""
    pdf = _pdf()
    pdf.set_encryption(owner_password="owner", user_password=user_password or "")
    pdf.multi_cell(0, 6, "Báo cáo mật: tổng giá trị sản xuất ước đạt 515,74 tỷ đồng.")
    return bytes(pdf.output())


def corrupt_docx_bytes() -> bytes:
    """A .docx cut short (a broken download): the zip's central directory at its end is gone."""
    whole = docx_bytes()
    return whole[: len(whole) // 2]


def ole_doc_bytes() -> bytes:
    """An old Word 97-2003 .doc: the OLE2 magic, then what stands for its sectors."""
    return bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 24 + b"\x3e\x00\x03\x00\xfe\xff" + b"\x11junk" * 200


FILES = {
    "report.docx": docx_bytes, "report.pdf": pdf_bytes, "scanned.pdf": scanned_pdf_bytes,
    "encrypted.pdf": encrypted_pdf_bytes, "restricted.pdf": lambda: encrypted_pdf_bytes(None),
    "corrupt.docx": corrupt_docx_bytes, "old.doc": ole_doc_bytes,
}


def write_all(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for name, make in FILES.items():
        out[name] = folder / name
        out[name].write_bytes(make())
    return out


if __name__ == "__main__":
    for path in write_all(Path(sys.argv[1] if len(sys.argv) > 1 else "ingest-reports")).values():
        print(path)
