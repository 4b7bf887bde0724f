"""Reading a new report as it arrives: a .txt, a Word .docx or a PDF with a text layer.

One small module per concern:

    readers.py  a report file → `Document`: the plain text extraction keeps as source.txt (NFC, LF, one table
                row per line), the original bytes and their SHA-256, notes on what was done; every refusal is an
                `IngestError` with a one-line message for a person                     [python-docx, pdfplumber]
    header.py   a report's text → `Header`: document number, date, issuing body, unit, district, province
                and title as the header states them, `warnings` for what it does not             [stdlib]

The parsers are imported only when a .docx or .pdf is read, so reading a .txt report (and importing this
package) costs the standard library alone.
"""

from .header import Header, read_header
from .readers import SEPARATOR, Document, IngestError, read_document

__all__ = ["Document", "Header", "IngestError", "SEPARATOR", "read_document", "read_header"]
