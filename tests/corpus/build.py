"""The corpus's .docx and .pdf forms, made from its .txt reports when a bench or a test needs them.

Each report of the corpus is kept once, as text (`<name>.txt`, the words a reader sees); `manifest.csv` says
which reports are also read as a Word .docx or a PDF. This module turns the text into those files, so that
nothing binary is committed and the three forms say the same words:

- every non-empty line is a paragraph;
- consecutive lines holding `` | `` are the rows of one table (cells split at ``|``), written as a real Word
  table (style "Table Grid") in the .docx and as a ruled table (fpdf2's ``table``) in the PDF;
- the PDF is A4, DejaVu Sans 10 pt (from matplotlib, which has the Vietnamese letters), paragraphs wrapped by
  ``multi_cell``: its text layer gives the printed lines, a long sentence cut into lines as a real exported PDF's
  is; the reader joins a paragraph's lines again by their geometry (margin, line spacing, indent).

`camgiang_data.ingest.read_document` reads them back: a .docx gives the paragraphs with a blank line between
them and each table row as one line, cells joined by `` | `` (the .txt's own form); a PDF gives its lines.

    .venv/bin/python -m tests.corpus.build DIR      # write every form of every report into DIR, to look at
"""

from __future__ import annotations

import csv
import sys
from dataclasses import dataclass
from pathlib import Path

CORPUS = Path(__file__).resolve().parent
SEPARATOR = " | "
FORMATS = ("txt", "docx", "pdf")


@dataclass(frozen=True)
class Entry:
    """One report of the corpus, as manifest.csv lists it."""

    name: str
    year: int
    commune: str
    town_template: bool  # written in the 2021 town's template (thị trấn Cẩm Giang), or another commune's habits
    formats: tuple[str, ...]
    habits: str

    @property
    def text_path(self) -> Path:
        return CORPUS / f"{self.name}.txt"

    @property
    def truth_path(self) -> Path:
        return CORPUS / f"{self.name}.truth.csv"

    def text(self) -> str:
        return self.text_path.read_bytes().decode("utf-8")


def manifest() -> list[Entry]:
    with (CORPUS / "manifest.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    entries = []
    for r in rows:
        formats = tuple(r["formats"].split())
        if not formats or formats[0] != "txt" or not set(formats) <= set(FORMATS):
            raise ValueError(f"manifest.csv, {r['name']}: formats must start with txt and be of {FORMATS}")
        entries.append(Entry(r["name"], int(r["year"]), r["commune"], r["town_template"] == "yes", formats,
                             r["habits"]))
    return entries


def blocks(text: str) -> list[tuple[str, object]]:
    """The text as ('paragraph', line) and ('table', rows of cells), in order."""
    out: list[tuple[str, object]] = []
    for line in text.splitlines():
        line = line.rstrip()
        if not line.strip():
            out.append(("gap", None))
            continue
        if SEPARATOR.strip() in line and SEPARATOR in line:
            cells = [c.strip() for c in line.split("|")]
            if out and out[-1][0] == "table":
                out[-1][1].append(cells)
            else:
                out.append(("table", [cells]))
        else:
            out.append(("paragraph", line))
    return [b for b in out if b[0] != "gap"]


def docx_bytes(text: str) -> bytes:
    import io

    import docx

    document = docx.Document()
    for kind, content in blocks(text):
        if kind == "paragraph":
            document.add_paragraph(content)
            continue
        width = max(len(r) for r in content)
        table = document.add_table(rows=len(content), cols=width)
        table.style = "Table Grid"
        for row, cells in zip(table.rows, content):
            for cell, value in zip(row.cells, cells + [""] * (width - len(cells))):
                cell.text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _font() -> str:
    import matplotlib

    return str(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf")


# Column widths (mm, 190 in all) of a key-figure table by its number of columns: the name of the indicator wide.
_WIDTHS = {2: (60, 130), 3: (20, 120, 50), 4: (12, 98, 40, 40), 5: (12, 78, 40, 30, 30),
           6: (10, 64, 40, 26, 26, 24)}


def pdf_bytes(text: str) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_margins(10, 12, 10)
    pdf.add_font("dejavu", fname=_font())
    pdf.add_page()
    for kind, content in blocks(text):
        if kind == "paragraph":
            pdf.set_font("dejavu", size=10)
            pdf.multi_cell(0, 5.5, content, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1.5)
            continue
        width = max(len(r) for r in content)
        pdf.set_font("dejavu", size=9)
        with pdf.table(first_row_as_headings=False, col_widths=_WIDTHS.get(width), line_height=5.5) as table:
            for cells in content:
                row = table.row()
                for value in cells + [""] * (width - len(cells)):
                    row.cell(value)
        pdf.ln(2)
    return bytes(pdf.output())


def write(entry: Entry, fmt: str, folder: Path) -> Path:
    """Write `entry` in `fmt` into `folder`; the path of the file."""
    path = Path(folder) / f"{entry.name}.{fmt}"
    if fmt == "txt":
        path.write_bytes(entry.text_path.read_bytes())
    elif fmt == "docx":
        path.write_bytes(docx_bytes(entry.text()))
    elif fmt == "pdf":
        path.write_bytes(pdf_bytes(entry.text()))
    else:
        raise ValueError(f"unknown format {fmt!r}")
    return path


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[-1].strip())
        return 2
    folder = Path(argv[0])
    folder.mkdir(parents=True, exist_ok=True)
    for entry in manifest():
        for fmt in entry.formats:
            print(write(entry, fmt, folder))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
