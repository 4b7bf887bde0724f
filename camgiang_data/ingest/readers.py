"""A report file → the text that extraction keeps as source.txt, with the original file beside it.

A report arrives as plain text, as a Word .docx or as a PDF with a text layer. `read_document` decides the reader
from the file's first bytes (its magic) together with its name: the content decides, and a name that disagrees
is noted (a .docx renamed .txt is read as the .docx it is) or, where the content is not a report this module can
read (an old binary .doc, a .doc renamed .docx, a file named .pdf that is no PDF), refused. Every refusal is one
exception type, `IngestError`, whose one-line message names the file, says what was found and what to do; no
parser's exception leaves this module.

The text is what figures' quotes are checked against, so it is plain and stable: NFC, LF line ends, one
paragraph per line (a line break inside a Word paragraph becomes a space) with a blank line between paragraphs,
and each table row on ONE line, its cells joined by `SEPARATOR`, so that a row's text can be a figure's quote
(``TT | Chỉ tiêu | ĐVT | Kế hoạch | Thực hiện | Tỷ lệ %``). A cell merged across columns or rows is written once,
in its first row; the other rows leave its place empty. A PDF gives its paragraphs, one per line, joined again
from its printed lines by where they stand on the page (a heading, a list item and a table row stay lines of their
own), and the rows of its ruled tables in the same one-row-per-line form, in reading order.

Readers (both well kept and widely used): python-docx opens the .docx package, and the text is walked from
its XML in document order, so that paragraphs inside content controls are kept and merged cells and the
fallback copies Word keeps of text boxes are not doubled; pdfplumber (on pdfminer.six) reads PDFs, for its
finder of ruled tables and its text lines with their positions. Plain text is decoded by
`decode_text`, exactly as `camgiang extract` always has.

Bytes come through the project's one reading layer (`checks.reading`). An original .docx or .pdf may be large
(pictures), so it may be up to `MAX_ORIGINAL_BYTES`; the text read from any file stays within
`reading.MAX_REPORT_BYTES`, the limit of a report text.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import os
import re
import unicodedata
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..checks import reading

SEPARATOR = " | "
# A report's .docx or .pdf with its photographs is a few MB; 50 MB is far beyond any and still quick to hash.
MAX_ORIGINAL_BYTES = reading.MAX_ORIGINAL_BYTES
# word/document.xml of a 100-page report is ~2 MB; beyond this the package is not a report (or a zip bomb).
MAX_DOCX_XML_BYTES = 200 * reading.MB
FORMATS = ("txt", "docx", "pdf")

_OLE2 = bytes.fromhex("D0CF11E0A1B11AE1")  # the container of Word 97-2003 .doc (and of encrypted .docx)
_ZIP = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_SAVE_AS_DOCX = ("open it in Word or LibreOffice Writer and save it as a Word document (.docx) "
                 "(File > Save As > Word Document), then extract the .docx")
_ASK_AGAIN = "ask for the file again (or for the original .docx)"


class IngestError(Exception):
    """A report file that cannot be read as a report text: one line saying which file, what was found and what
    to do. Nothing was read into the data."""

    def __init__(self, message: str, path: str | None = None):
        self.path = path
        super().__init__(" ".join(message.split()))  # one line, whatever the parts held


def _refuse(name: str, found: str, todo: str) -> IngestError:
    return IngestError(f"{name}: {found}: {todo}" + ("" if todo.endswith(("?", "!", ".")) else "."), name)


@dataclass(frozen=True)
class Document:
    """A report as read: `text` is what extraction keeps as source.txt; `original` the file's bytes as they came,
    to keep beside it (`original_name`), with their `sha256`."""

    path: str
    format: str  # "txt" | "docx" | "pdf": the reader used (the content's format, whatever the name says)
    text: str  # NFC, LF line ends, ends with a line end; table rows one per line, cells joined by SEPARATOR
    original: bytes = field(repr=False)
    sha256: str  # of `original`
    notes: list[str] = field(default_factory=list)  # what was done, for the review list
    tables: int = 0  # table rows are in `text`; this counts the tables they came from
    pages: int | None = None  # a PDF's page count

    @property
    def text_sha256(self) -> str:
        """The SHA-256 of source.txt as written (UTF-8): source.json's `source_sha256`."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @property
    def original_name(self) -> str:
        """The name to keep the original under, beside source.txt (a .txt's original may differ from source.txt
        by its encoding, byte-order mark, line ends or normalisation)."""
        return "source-original.txt" if self.format == "txt" else f"source.{self.format}"

    @property
    def original_differs(self) -> bool:
        """Does the original hold anything source.txt does not? (False for a plain UTF-8 NFC LF text.)"""
        return self.original != self.text.encode("utf-8")


# ------------------------------------------------------------------------------------------------ dispatch

def sniff(raw: bytes) -> str:
    """What the bytes are, from their magic: "zip", "ole2", "pdf", "rtf", "html" or "text"."""
    if raw.startswith(_ZIP):
        return "zip"
    if raw.startswith(_OLE2):
        return "ole2"
    if b"%PDF-" in raw[:1024]:  # the standard lets junk precede the header within the first KB
        return "pdf"
    head = raw[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith((b"<html", b"<!doctype html")) or b"urn:schemas-microsoft-com:office:word" in raw[:4096]:
        return "html"  # also Word's "web page" and 2003 XML formats
    return "text"


_NAMED = {".txt": "txt", ".text": "txt", ".md": "txt", ".docx": "docx", ".doc": "doc", ".pdf": "pdf",
          ".rtf": "rtf", ".odt": "odt"}
_WHAT = {"txt": "plain text", "docx": "a Word document (.docx)", "doc": "a Word 97-2003 document (.doc)",
         "pdf": "a PDF", "rtf": "an RTF document", "odt": "an OpenDocument text (.odt)"}


def read_document(path: str | os.PathLike) -> Document:
    """Read a report file (.txt, .docx or .pdf, told apart by content and name); IngestError when it cannot be."""
    path = Path(path)
    name = str(path)
    try:
        raw = reading.read_bytes(path, name, limit=MAX_ORIGINAL_BYTES, what="a report (.txt, .docx or .pdf)")
    except reading.ReadError as exc:
        problem = exc.problem
        raise _refuse(name, f"cannot read it (expected {problem.expected}; found {problem.found})",
                      problem.hint or "check the path and try again") from None
    named = _NAMED.get(path.suffix.lower())
    kind = sniff(raw)
    notes: list[str] = []

    def misnamed(real: str) -> None:
        if named is not None and named != real:
            notes.append(f"{path.name} is named as {_WHAT[named]} but is {_WHAT[real]}: read as {_WHAT[real]}")

    if kind == "ole2":
        raise _ole2_refusal(name, raw, named)
    if kind == "rtf":
        raise _refuse(name, "this is an RTF document, not a .docx, a PDF or plain text", _SAVE_AS_DOCX)
    if kind == "html":
        raise _refuse(name, "this is a web page (HTML) or Word XML file (saved from Word as 'Web Page' or 'XML "
                      "Document'), not a report file this reads", _SAVE_AS_DOCX)
    if kind == "zip":
        misnamed("docx")
        text, tables = _read_docx(raw, name, notes)
        return _document(name, "docx", text, raw, notes, tables=tables)
    if kind == "pdf":
        misnamed("pdf")
        text, tables, pages = _read_pdf(raw, name, notes)
        return _document(name, "pdf", text, raw, notes, tables=tables, pages=pages)
    if named in ("docx", "doc", "pdf", "odt"):  # named as a binary format, but holds neither its magic nor another's
        found = "an empty file" if not raw else f"it starts with {raw[:12]!r}, not as {_WHAT[named]} does"
        raise _refuse(name, f"named as {_WHAT[named]} but is not one ({found}); the file is damaged or was "
                      "saved wrongly", _ASK_AGAIN if named != "pdf" else
                      "ask for the file again, or export the PDF again from the .docx")
    return _read_txt(raw, name, notes)


def _document(name: str, fmt: str, text: str, raw: bytes, notes: list[str], **extra) -> Document:
    size = len(text.encode("utf-8"))
    if size > reading.MAX_REPORT_BYTES:
        raise _refuse(name, f"the text read from it is {size / reading.MB:.1f} MB".replace(".", ",")
                      + f", more than a report's {reading.MAX_REPORT_BYTES // reading.MB} MB",
                      "is it the right file (a report is some 100 KB of text)?")
    return Document(name, fmt, text, raw, hashlib.sha256(raw).hexdigest(), notes, **extra)


def _ole2_refusal(name: str, raw: bytes, named: str | None) -> IngestError:
    # An OLE2 file lists its streams' names in UTF-16: an encrypted .docx/.xlsx holds "EncryptedPackage".
    if "EncryptedPackage".encode("utf-16-le") in raw:
        return _refuse(name, "this is a password-protected Office document", "open it in Word with its password, "
                       "remove the password (File > Info > Protect Document) and save it as .docx, then extract "
                       "that")
    as_named = f" (though named {Path(name).suffix})" if named and named != "doc" else ""
    return _refuse(name, f"this is an old binary Word 97-2003 document (.doc){as_named}, which this does not read",
                   _SAVE_AS_DOCX)


# ------------------------------------------------------------------------------------------------ plain text

_MOJIBAKE = re.compile("Ã[\u0080-\u00bf]|Ä[\u0080-\u00bf]|Æ[\u00a0-\u00bf]|á[º»]|Ä‘|Æ°")


def decode_text(raw: bytes, name: str) -> tuple[str, list[str]]:
    """A plain-text report, decoded exactly, with notes on what was done; IngestError when it cannot be."""
    notes: list[str] = []
    iconv = (f"convert it first, e.g. `iconv -f <encoding> -t UTF-8 {name} > report-utf8.txt` (<encoding>: "
             "CP1258 for Windows Vietnamese, UTF-16LE, …), check that the Vietnamese letters look right, and "
             "extract the converted file.")
    for bom, codec, label in ((codecs.BOM_UTF32_LE, "utf-32", "UTF-32"), (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
                              (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"), (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
                              (codecs.BOM_UTF16_BE, "utf-16", "UTF-16")):
        if raw.startswith(bom):
            try:
                text = raw.decode(codec)
            except UnicodeDecodeError as exc:
                raise IngestError(f"{name} starts with a {label} byte-order mark but is not valid {label} "
                                  f"(offset {exc.start}): {iconv}", name) from None
            notes.append(f"read as {label} with a byte-order mark" + ("" if label == "UTF-8" else
                                                                      "; kept as UTF-8"))
            break
    else:
        if raw[:4096].count(b"\x00") > len(raw[:4096]) // 8:
            raise IngestError(f"{name} is not UTF-8 text: it looks like UTF-16 without a byte-order mark; "
                              + iconv, name)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw.count(b"\n", 0, exc.start) + 1
            raise IngestError(
                f"{name} is not UTF-8 text: byte 0x{raw[exc.start]:02x} at offset {exc.start} (line {line}) is not "
                "valid UTF-8. It is probably in another encoding (Windows-1258, TCVN3, VNI or Latin-1), whose "
                f"Vietnamese letters would be read as garbage (mojibake); {iconv}", name) from None
    if "\x00" in text:
        raise IngestError(f"{name} holds NUL characters: it is not a plain text file (a .doc or .pdf?). Save the "
                          "report as plain text (UTF-8) and extract that.", name)
    hits = _MOJIBAKE.findall(text)
    if len(hits) >= 3:
        raise IngestError(f"{name} reads as UTF-8 but looks garbled (mojibake such as {hits[0]!r}, "
                          f"{len(hits)} places): it was probably converted from the wrong encoding. Convert the "
                          "original file again with the right encoding.", name)
    if "\r" in text:
        crlf = "\r\n" in text
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        notes.append(("Windows line ends (CRLF)" if crlf else "old Mac line ends (CR)") + " converted to LF")
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
        notes.append("letters converted to Unicode NFC (composed form), the form quotes are compared in")
    if not text.strip():
        raise IngestError(f"{name} is empty (or holds only spaces and line breaks): there is nothing to "
                          "extract.", name)
    return text, notes


def _read_txt(raw: bytes, name: str, notes: list[str]) -> Document:
    if len(raw) > reading.MAX_REPORT_BYTES:
        raise _refuse(name, f"a text file of {len(raw) / reading.MB:.1f} MB".replace(".", ",")
                      + f", more than a report's {reading.MAX_REPORT_BYTES // reading.MB} MB",
                      "is it the right file (a report is some 100 KB of text)?")
    text, decoded = decode_text(raw, name)
    if not text.endswith("\n"):
        text += "\n"  # as the other readers end: source.txt is a text file
    return _document(name, "txt", text, raw, notes + decoded)


# ------------------------------------------------------------------------------------------------ text tidying

# Typesetting forms a PDF's text layer may hold: ligatures spelt out, soft hyphens dropped. Hard hyphens at a
# line's end are kept: Vietnamese syllables are never hyphenated, so a final "-" is a real dash (kinh tế -
# xã hội).
_LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "st",
              "\ufb06": "st"}
# Letters that Vietnamese text in Unicode never uses but TCVN3 (.VnTime) and VNI texts are full of.
_LEGACY = set("©®§¨ª«¬µ¶·¸¹»¼½¾ÆÇËÌÎÏÑÖ×ØÛÜÞßäåæçëîïñö÷øûüþÿ")
_VIETNAMESE = re.compile("[\u1ea0-\u1ef9ăâđêôơưĂÂĐÊÔƠƯ]")


def _tidy(text: str) -> str:
    """NFC, LF, no trailing spaces, at most one blank line in a row, one line end at the end."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    lines: list[str] = []
    for line in text.split("\n"):
        line = line.rstrip()
        if line or (lines and lines[-1]):
            lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n" if lines else ""


def _check_letters(text: str, name: str, remedy: str) -> None:
    legacy = sum(1 for ch in text if ch in _LEGACY)
    if legacy >= 30 and legacy > 2 * len(_VIETNAMESE.findall(text)):
        sample = next((w for w in text.split() if any(ch in _LEGACY for ch in w)), "")
        raise _refuse(name, f"its Vietnamese letters are in an old font encoding (TCVN3 or VNI, e.g. .VnTime), "
                      f"which reads as garbage such as {sample!r}", remedy)


def _row_line(cells: list[str]) -> str:
    """A table row as one line: its cells (inner whitespace made single spaces) joined by SEPARATOR; an empty
    cell keeps its place ("1 | | 570"), so the columns can still be told apart."""
    line = SEPARATOR.join(" ".join(c.split()) for c in cells)
    return re.sub(r"(?<=\|) {2,}(?=\|)", " ", line).strip()


# ------------------------------------------------------------------------------------------------ .docx

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_P, _TBL, _TR, _TC, _R = _W + "p", _W + "tbl", _W + "tr", _W + "tc", _W + "r"
_WRAPPERS = (_W + "sdt", _W + "customXml", _W + "smartTag")  # content controls and tags around blocks or cells


def _children(element, *tags):
    """The child elements of these tags, looking through content controls and custom-XML wrappers."""
    for child in element.iterchildren():
        if child.tag in tags:
            yield child
        elif child.tag in _WRAPPERS:
            inner = child.find(_W + "sdtContent") if child.tag == _W + "sdt" else child
            if inner is not None:
                yield from _children(inner, *tags)


def _in_fallback(element, stop) -> bool:
    for ancestor in element.iterancestors():
        if ancestor is stop:
            return False
        if ancestor.tag == _FALLBACK:
            return True
    return False


def _paragraph_text(p) -> str:
    """A paragraph's text: its runs' text (inserted runs too; deleted text is w:delText, not read), a tab as a
    tab, a line or page break as a space, the paragraphs of a text box inside it after a space."""
    parts: list[str] = []
    for element in p.iter(_W + "t", _W + "tab", _W + "br", _W + "cr", _W + "noBreakHyphen", _P):
        if element is p or _in_fallback(element, p):
            continue
        if element.tag == _P:
            parts.append(" ")
            continue
        if element.getparent().tag != _R:  # tab stops are w:tab too (in w:pPr)
            continue
        tag = element.tag
        if tag == _W + "t":
            parts.append(element.text or "")
        elif tag == _W + "tab":
            parts.append("\t")
        elif tag == _W + "noBreakHyphen":
            parts.append("-")
        else:
            parts.append(" ")
    return "".join(parts).replace("\u00ad", "").strip()


def _cell_text(tc) -> str:
    parts = []
    for block in _children(tc, _P, _TBL):
        parts.append(_paragraph_text(block) if block.tag == _P else " ".join(_table_lines(block)))
    return " ".join(p for p in parts if p)


def _table_lines(tbl) -> list[str]:
    lines = []
    for tr in _children(tbl, _TR):
        cells = []
        for tc in _children(tr, _TC):
            properties = tc.find(_W + "tcPr")
            vmerge = properties.find(_W + "vMerge") if properties is not None else None
            hmerge = properties.find(_W + "hMerge") if properties is not None else None
            if hmerge is not None and hmerge.get(_W + "val") != "restart":
                continue  # old-style horizontal merge: the first cell holds the text
            # a cell merged down from the row above: its text stands there, once
            cells.append("" if vmerge is not None and vmerge.get(_W + "val") != "restart" else _cell_text(tc))
        if any(cells):
            lines.append(_row_line(cells))
    return lines


def _read_docx(raw: bytes, name: str, notes: list[str]) -> tuple[str, int]:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as package:
            names = set(package.namelist())
            bad = package.testzip()  # a member whose bytes do not match their checksum
            main = package.getinfo("word/document.xml") if "word/document.xml" in names else None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, NotImplementedError) as exc:
        raise _refuse(name, f"this Word document (.docx) is damaged: it is not a complete zip archive ({exc})",
                      "open it in Word (which offers to repair it) and save it again, or " + _ASK_AGAIN) from None
    if bad is not None:
        raise _refuse(name, f"this Word document (.docx) is damaged: its part {bad} is corrupt",
                      "open it in Word (which offers to repair it) and save it again, or " + _ASK_AGAIN)
    if main is None:
        what = ("an OpenDocument file (.odt)" if "mimetype" in names and "content.xml" in names
                else "an Excel workbook" if "xl/workbook.xml" in names
                else "a PowerPoint presentation" if "ppt/presentation.xml" in names
                else "a zip archive but not a Word document (no word/document.xml)")
        raise _refuse(name, f"this is {what}", _SAVE_AS_DOCX)
    if main.file_size > MAX_DOCX_XML_BYTES:
        raise _refuse(name, f"its text part unpacks to {main.file_size // reading.MB} MB, far beyond any report",
                      "is it the right file?")

    import docx  # python-docx

    try:
        body = docx.Document(io.BytesIO(raw)).element.body
        blocks: list[list[str]] = []
        tables = paragraphs = 0
        for block in _children(body, _P, _TBL):
            if block.tag == _P:
                text = _paragraph_text(block)
                if text:
                    blocks.append([text])
                    paragraphs += 1
            else:
                lines = _table_lines(block)
                tables += 1
                if lines:
                    blocks.append(lines)
    except Exception as exc:  # noqa: BLE001 — any parser failure on a broken package is the same refusal
        kind = "a Word template or macro document, not a plain .docx" if "content type" in str(exc) \
            else f"a Word document python-docx cannot open ({type(exc).__name__}: {exc})"
        raise _refuse(name, f"this is {kind}", "open it in Word and save it again as a Word Document (.docx)"
                      ) from None
    text = _tidy("\n\n".join("\n".join(lines) for lines in blocks))
    if not text:
        raise _refuse(name, "this Word document holds no text (pictures only?)",
                      "ask for the report as text, or type it in")
    _check_letters(text, name, "convert it to Unicode first (e.g. Unikey's converter, TCVN3/VNI to Unicode), "
                   "save it as .docx and extract that")
    notes.append(f"read a Word document (.docx): {paragraphs} paragraph(s) and "
                 f"{tables} table(s), each table row as one line with its cells joined by {SEPARATOR!r}")
    return text, tables


# ------------------------------------------------------------------------------------------------ .pdf

_CID = re.compile(r"\(cid:\d+\)")


def _pdf_refusal(name: str, raw: bytes, exc: BaseException) -> IngestError:
    cause = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else exc  # pdfplumber wraps
    if type(cause).__name__ in ("PDFPasswordIncorrect", "PDFEncryptionError", "PDFEncryptionWarning") \
            or b"/Encrypt" in raw[-65536:] or b"/Encrypt" in raw[:65536]:
        return _refuse(name, "the PDF is encrypted (it needs a password to open)",
                       "open it with its password and save or print it to a new PDF without one, or ask for the "
                       "original .docx")
    return _refuse(name, f"this PDF is damaged ({type(cause).__name__}: {cause})".replace("()", ""),
                   "ask for the file again, or export it again from the .docx")


# A PDF's text layer holds the printed lines, so a paragraph comes cut at each line end. The lines of one paragraph
# are joined again from the page's geometry: a line continues the one above when that one ran on to the right
# margin (in justified text it ends at the margin; in ragged text the next line's first word would not have fitted
# after it), when it follows at the text's line spacing (not after a paragraph's gap), from the paragraph's left
# edge (not at a new first-line indent), in the same size and face, and is neither a heading nor a list item; at
# the top of the next page (past a page number), when the line above stopped mid-sentence. Table rows never join.
_MARKER = re.compile(
    r"(?:[-+*•●○◦▪▫■□◆◇►▸‣∙·–—\ue000-\uf8ff](?=\s|[^\W\d_])"  # - + • … (a Symbol-font bullet is private use)
    r"|\(?\d{1,2}(?:\.\d{1,2})*[.)](?=\s|[^\W\d_]|$)"  # 1.  1.1.  2)  (3)
    r"|\d{1,2}(?:\.\d{1,2})+(?=\s)"  # 1.1 Trường
    r"|\(?[a-zđ]\)|[a-zđ]\.(?=\s)"  # a)  (b)  c.
    r"|[A-ZĐ][.)](?=\s|[^\W\d_]|$)|[A-ZĐ] ?[-–]\s"  # A.  B)  A- …
    r"|[IVXLC]{1,6} ?[.)/:\-–](?=\s|[^\W\d_]|$)"  # I.  II -  IV/
    r"|(?:PHẦN|Phần|CHƯƠNG|Chương|MỤC|Mục|ĐIỀU|Điều)\s+(?:[IVXLC]+|\d+|THỨ|thứ)\b)")
_PAGE_NUMBER = re.compile(r"[-–—\s]*(?:(?:trang|page)\s*)?\d{1,3}(?:\s*/\s*\d{1,3})?[-–—\s]*", re.IGNORECASE)
_BOLD = re.compile(r"bold|black|heavy|demi", re.IGNORECASE)
_ITALIC = re.compile(r"italic|oblique|[-,]it$", re.IGNORECASE)
_BROKEN_WORD = re.compile(r"[^\W_][-\u2010\u2013]$")  # a line broken after a hyphen ("Covid-" / "19")


@dataclass
class _PdfLine:
    """A printed line of a PDF page (outside its tables), with what tells whether it continues the line above."""

    text: str
    x0: float
    x1: float
    top: float
    size: float  # the size of most of its letters
    bold: float  # the share of its letters in a bold face
    italic: float
    first_word: float  # the width of its first word
    text_x0: float  # where its text starts after a leading list marker (its x0 when it has none)
    marker: bool  # starts with the numbering or bullet of a list item or heading
    caps: bool  # all in capitals: a heading
    columns: bool  # a gap of several spaces between two words: a row of a borderless table, or a layout's columns


def _pdf_line(line: dict) -> _PdfLine:
    text, chars = line["text"], line["chars"]
    sizes = Counter(round(c.get("size") or 0.0, 1) for c in chars)
    size = sizes.most_common(1)[0][0] if sizes else 0.0
    size = size or (line["bottom"] - line["top"]) or 10.0
    fonts = [c.get("fontname") or "" for c in chars]
    bold = sum(1 for f in fonts if _BOLD.search(f)) / len(fonts) if fonts else 0.0
    italic = sum(1 for f in fonts if _ITALIC.search(f)) / len(fonts) if fonts else 0.0
    marker = _MARKER.match(text)
    letters = [ch for ch in text if ch.isalpha()]
    caps = len(letters) >= 6 and all(ch.isupper() for ch in letters)
    first_word, text_x0, columns = 0.0, line["x0"], False
    words = text.split(" ")
    # pdfplumber's line text is its words joined by one space, and its chars are those words' letters in order
    if chars and len(chars) == sum(len(w) for w in words):
        spans, at = [], 0
        for word in words:
            if word:
                spans.append((chars[at]["x0"], chars[at + len(word) - 1]["x1"]))
                at += len(word)
        first_word = spans[0][1] - spans[0][0]
        columns = any(b[0] - a[1] > 3 * size for a, b in zip(spans, spans[1:]))
        if marker:
            after = len(text[:marker.end()].replace(" ", ""))
            if after < len(chars):
                text_x0 = chars[after]["x0"]
    return _PdfLine(text, line["x0"], line["x1"], line["top"], size, bold, italic, first_word, text_x0,
                    marker is not None, caps, columns)


def _page_items(page) -> list[tuple[float, _PdfLine | list[str]]]:
    """A page's text lines (with their geometry) and tables (their rows' lines), in reading order (top to
    bottom)."""
    page = page.dedupe_chars()  # "bold" printed twice over itself would read every letter twice
    tables = []
    for table in page.find_tables():
        rows = [[c for c in row if c is not None] for row in table.extract()]  # None: a merged cell's other places
        if len(table.columns) >= 2 and any(any(r) for r in rows):  # a frame round a paragraph is no table
            tables.append((table.bbox, [_row_line(r) for r in rows if any(r)]))
    boxes = [bbox for bbox, _ in tables]

    def outside(obj) -> bool:
        if obj.get("object_type") != "char":
            return True
        x, y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)

    rest = page.filter(outside) if boxes else page
    items: list[tuple[float, _PdfLine | list[str]]] = [
        (line["top"], _pdf_line(line)) for line in rest.extract_text_lines(strip=True) if line["text"].strip()]
    items += [(bbox[1], lines) for bbox, lines in tables]
    return sorted(items, key=lambda item: item[0])


def _right_edge(lines: list[_PdfLine]) -> float:
    """Where the page's full lines end: the furthest line end that another line shares (a justified text's margin;
    one line running past it does not move it), else the furthest end (a ragged margin)."""
    ends = sorted((line.x1 for line in lines), reverse=True)
    return next((here for here, there in zip(ends, ends[1:]) if here - there <= 0.5), ends[0])


@dataclass
class _Flow:
    """How the text's paragraphs run, from all its pages: the line spacing per point of type (`lead`), whether
    the full lines are justified to the margin, and (x0, next x0) of each full line and the line after it at that
    spacing (`steps`), which tell a first-line indent from a block of indented text."""

    lead: float = 0.0
    justified: bool = False
    steps: list[tuple[float, float]] = field(default_factory=list)
    _indents: dict[int, bool] = field(default_factory=dict)

    def fills(self, prev: _PdfLine, line: _PdfLine, right: float) -> bool:
        """`prev` ran on to the right margin: it ends there, or (in ragged text, and a heading in bold, which
        is seldom justified) short of it by less than `line`'s first word and a space, so that word was wrapped
        onto the next line."""
        slack = right - prev.x1
        if slack <= 0.3 * prev.size:
            return True
        ragged = not self.justified or min(prev.bold, line.bold) >= 0.9
        return ragged and slack < min(line.first_word + 0.3 * prev.size, 8 * prev.size)

    def spaced(self, prev: _PdfLine, line: _PdfLine) -> bool:
        """`line` follows `prev` at the text's line spacing, not after a paragraph's gap."""
        pitch, usual = line.top - prev.top, self.lead * prev.size
        return 0.5 * usual < pitch <= max(1.12 * usual, usual + 1.0)

    def indents_first_lines(self, x: float, tol: float) -> bool:
        """Lines starting at `x` are paragraphs' indented first lines: the line after a full one there starts
        further left at least as often as under it (in a block of indented text it starts under it)."""
        key = round(x / tol)
        if key not in self._indents:
            after = [b for a, b in self.steps if abs(a - x) <= tol]
            self._indents[key] = sum(b < x - tol for b in after) >= sum(abs(b - x) <= tol for b in after)
        return self._indents[key]


def _flow(pages: list[list[_PdfLine | list[str]]], rights: list[float]) -> _Flow:
    flow = _Flow()
    slacks = [(right - line.x1, line.size) for items, right in zip(pages, rights)
              for line in items if isinstance(line, _PdfLine)]
    at = sum(1 for slack, _ in slacks if abs(slack) <= 0.5)
    near = sum(1 for slack, size in slacks if slack < 8 * size)
    flow.justified = near > 0 and at >= 0.5 * near  # in a ragged margin few lines end just where another does
    pairs = [(a, b) for items, right in zip(pages, rights) for a, b in zip(items, items[1:])
             if isinstance(a, _PdfLine) and isinstance(b, _PdfLine) and b.top > a.top and not b.marker
             and abs(a.size - b.size) <= 0.1 * a.size and flow.fills(a, b, right)]
    if len(pairs) < 3:  # too little text to tell its line spacing from its paragraphs' gaps: no line is joined
        return flow
    # the lower quartile: some of the lines after a full line start a new paragraph, after a gap
    spacings = sorted((b.top - a.top) / a.size for a, b in pairs)
    flow.lead = spacings[len(spacings) // 4]
    flow.steps = [(a.x0, b.x0) for a, b in pairs if flow.spaced(a, b)]
    return flow


def _continues(para: list[_PdfLine], line: _PdfLine, right: float, left: float, flow: _Flow,
               same_page: bool = True) -> bool:
    """`line` continues the paragraph whose printed lines are `para` (right and left: where the full lines of
    its page end and its lines start)."""
    prev = para[-1]
    if line.marker or line.columns or prev.columns or line.caps != prev.caps:
        return False  # a list item, a heading in capitals, a row of a borderless table: a line of its own
    if abs(line.size - prev.size) > 0.1 * prev.size:
        return False
    if _face_changes(prev.bold, line.bold) or _face_changes(prev.italic, line.italic):
        return False  # a heading in bold (or italics) above or below the body text
    if not flow.fills(prev, line, right):
        return False
    tol = max(2.0, 0.4 * prev.size)
    if len(para) > 1:  # under the paragraph's lines
        if abs(line.x0 - prev.x0) > tol:
            return False
    elif prev.marker and prev.text_x0 > prev.x0 + tol and abs(line.x0 - prev.text_x0) <= tol:
        pass  # under the text of a list item's marker (a hanging indent)
    elif abs(line.x0 - prev.x0) <= tol:
        if prev.x0 > left + tol and flow.indents_first_lines(prev.x0, tol):
            return False  # the indented first line of the next paragraph
    elif line.x0 > prev.x0:
        return False  # further in: not the paragraph's left edge
    if not same_page:  # the first line of the next page: the line above must stop mid-sentence
        return not prev.text.rstrip(")\"'”’»").endswith((".", ":", ";", "!", "?", "…"))
    return flow.spaced(prev, line)


def _face_changes(a: float, b: float) -> bool:
    return (a >= 0.9 and b <= 0.1) or (a <= 0.1 and b >= 0.9)


def _joined(para: list[_PdfLine]) -> str:
    text = para[0].text
    for line in para[1:]:
        if text.endswith("\u00ad"):  # a soft hyphen at the line end: the word goes on
            text = text[:-1] + line.text
        elif _BROKEN_WORD.search(text):
            text += line.text
        else:
            text += " " + line.text
    return text


def _pdf_lines(pages: list[tuple[float, list[tuple[float, _PdfLine | list[str]]]]]) -> tuple[list[str], int]:
    """The document's lines from its pages' (height, items): each paragraph on one line, each table row on one
    line with a blank line around the table, a blank line between pages; and the number of tables."""
    items = [[item for _, item in page] for _, page in pages]
    texts = [[item for item in page if isinstance(item, _PdfLine)] for page in items]
    full = sorted(_right_edge(lines) for lines in texts if len(lines) >= 5)
    usual = full[len(full) // 2] if full else None
    rights = [0.0 if not lines else _right_edge(lines) if len(lines) >= 5 or usual is None
              else max(_right_edge(lines), usual) for lines in texts]  # a short page: the usual margin
    lefts = [min((line.x0 for line in lines), default=0.0) for lines in texts]
    flow = _flow(items, rights)

    out: list[str] = []
    para: list[_PdfLine] = []
    where = (0.0, 0.0)  # the right and left edges of the page of the paragraph's last line
    held: list[str] = []  # the break between pages and a page's number, passed over by a paragraph running on
    tables = 0

    def close() -> None:
        if para:
            out.append(_joined(para))
            para.clear()
        out.extend(held)
        held.clear()

    for number, ((height, page), right, left) in enumerate(zip(pages, rights, lefts)):
        if number:
            (held if para else out).append("")
        for at, (top, item) in enumerate(page):
            if isinstance(item, list):
                close()
                tables += 1
                out.extend(["", *item, ""])  # with space around it, as in a .docx's text
                continue
            if para and _PAGE_NUMBER.fullmatch(item.text) and (
                    (at == 0 and top < 0.15 * height) or (at == len(page) - 1 and top > 0.85 * height)):
                held.append(item.text)  # a running page number at the head or foot of a page
                continue
            if para and flow.lead and _continues(para, item, *where, flow, same_page=not held):
                para.append(item)
            else:
                close()
                para.append(item)
            where = (right, left)
    close()
    return out, tables


def _read_pdf(raw: bytes, name: str, notes: list[str]) -> tuple[str, int, int]:
    import pdfplumber

    try:
        pdf = pdfplumber.open(io.BytesIO(raw))
    except Exception as exc:  # noqa: BLE001 — pdfminer raises many types for one thing: it cannot open it
        raise _pdf_refusal(name, raw, exc) from None
    scanned: list[int] = []  # pages with pictures and no text
    try:
        with pdf:
            if pdf.doc.encryption:  # opened without a password: encrypted for its permissions only
                notes.append("the PDF is encrypted with an owner password only (restrictions, no password to "
                             "open): its text was read")
            pages = len(pdf.pages)
            read: list[tuple[float, list]] = []
            for number, page in enumerate(pdf.pages, 1):
                items = _page_items(page)
                if not items and page.images:
                    scanned.append(number)
                if items:
                    read.append((page.height, items))
            lines, tables = _pdf_lines(read)
    except IngestError:
        raise
    except Exception as exc:  # noqa: BLE001 — a page that fails to parse is a damaged file
        raise _pdf_refusal(name, raw, exc) from None
    text = "\n".join(lines)
    for ligature, letters in _LIGATURES.items():
        text = text.replace(ligature, letters)
    text = text.replace("\u00ad\n", "").replace("\u00ad", "")
    text = _tidy(text)
    if not text:
        if scanned:
            raise _refuse(name, f"this PDF has no text layer (a scan: {len(scanned)} page(s) of pictures, no text)",
                          "run OCR on it (e.g. `ocrmypdf -l vie in.pdf out.pdf`) and check the text, or ask for "
                          "the original .docx")
        raise _refuse(name, f"this PDF holds no text ({pages} page(s), neither text nor pictures)", _ASK_AGAIN)
    unmapped = len(_CID.findall(text))
    if unmapped and unmapped * 10 > len(text) // 5:  # a tenth of the letters (a "(cid:NN)" is ~9 characters)
        raise _refuse(name, f"this PDF's text layer cannot be decoded: its fonts have no Unicode map "
                      f"({unmapped} letters read as '(cid:…)')",
                      "export the PDF again from the .docx (File > Save As > PDF), or ask for the .docx")
    _check_letters(text, name, "ask for the .docx and convert it to Unicode (e.g. Unikey's converter), or run OCR")
    notes.append(f"read a PDF's text layer: {pages} page(s), {tables} ruled table(s) (each row as one line with "
                 f"its cells joined by {SEPARATOR!r}), the rest as its paragraphs (a paragraph's printed lines "
                 "joined again into one line)")
    if scanned:
        notes.append(f"page(s) {', '.join(map(str, scanned))} of the PDF have no text layer (pictures only): their "
                     "content is missing from the text; OCR or type those pages if they hold figures")
    if unmapped:
        notes.append(f"{unmapped} letter(s) of the PDF could not be decoded and read as '(cid:…)'")
    return text, tables, pages
