"""A report's own header → `Header`: what the report says about itself, and nothing else.

A commune's report opens with the fixed block of an administrative document: on the left the issuing body
(often under its superior: "UBND HUYỆN CẨM GIÀNG" / "UBND XÃ CẨM ĐIỀN") and the document number ("Số: 02/BC-UBND");
on the right the national motto ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" / "Độc lập - Tự do - Hạnh phúc") and the
place and date ("Cẩm Điền, ngày 05 tháng 01 năm 2023"); then "BÁO CÁO" and the title. Read out of a .docx or a
PDF the two columns often come flattened onto shared lines ("ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT
NAM"), joined by a table's " | " or a run of spaces.

So the lines before "BÁO CÁO" (the preamble) are cut into segments at " | ", tabs and runs of spaces; the motto
is taken out (its "XÃ HỘI" would read as a commune); then the number, the date (with the place written before
it) and the units (xã / phường / thị trấn, huyện / quận / thị xã / thành phố, tỉnh, each with its name) are
read from what is left. A unit's name ends where its line ends, at a word of another kind (a unit type, "UBND",
"Số") or where capitals give way to running text. Names are given as running text writes them: the type in
lower case, the name in title case ("xã Cẩm Điền"); "UỶ"/"ỦY", "UBND" and "Ủy ban nhân dân" all read as
"Ủy ban nhân dân".

Only the header is read, and only what it states: a field it does not state is None and named in `warnings`,
never guessed from the running text nor carried from another year; a date's year is the one printed.
Standard library only.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

# The header block is the first lines; "BÁO CÁO" after this many non-blank lines is running text, not the title.
MAX_PREAMBLE_LINES = 30
MAX_TITLE_LINES = 4
MAX_NAME_WORDS = 5
# A title paragraph is short; the body's first paragraph is a sentence or longer.
MAX_TITLE_PARAGRAPH = 120

_BODY = r"(?:(?:ủy|uỷ)\s+ban\s+nhân\s+dân|ubnd)"
_WORD = r"[^\W\d_]+"  # letters only: a name never holds digits or punctuation
_TYPE = r"thị\s+trấn|thị\s+xã|thành\s+phố|tp\.?|huyện|quận|tỉnh|phường|xã|tt\.?"
_UNIT = re.compile(rf"(?<![^\W\d_])(?P<body>{_BODY}\s+)?(?P<type>{_TYPE})(?![^\W\d_])[ \t]*"
                   rf"(?P<name>{_WORD}(?:[ \t]+{_WORD})*)?", re.I)
_TYPES = {  # the type as written (folded) → (the type in running text, its level)
    "thị trấn": ("thị trấn", "commune"), "tt": ("thị trấn", "commune"), "phường": ("phường", "commune"),
    "xã": ("xã", "commune"), "huyện": ("huyện", "district"), "quận": ("quận", "district"),
    "thị xã": ("thị xã", "district"), "thành phố": ("thành phố", "district"), "tp": ("thành phố", "district"),
    "tỉnh": ("tỉnh", "province"),
}
# Cities directly under the central government: "THÀNH PHỐ HÀ NỘI" in a header is the province.
_CENTRAL_CITIES = {"hà nội", "hồ chí minh", "hải phòng", "đà nẵng", "cần thơ", "huế"}
# Words that end a unit's name: the start of another unit or body, of the number or date, of the motto.
_STOP = {"ubnd", "ủy", "uỷ", "số", "ngày", "huyện", "quận", "tỉnh", "xã", "phường", "tp", "tt", "cộng", "độc",
         "báo", "hđnd", "đảng"}
_STOP_PAIRS = {("thị", "trấn"), ("thị", "xã"), ("thành", "phố")}

_MOTTO = re.compile(r"cộng\s+h(?:òa|oà)\s+xã\s+hội\s+chủ\s+nghĩa\s+việt\s+nam"
                    r"|độc\s+lập\s*[-–—]\s*tự\s+do\s*[-–—]\s*hạnh\s+phúc", re.I)
_NUMBER = re.compile(r"(?<![^\W\d_])s[ốỐ]\s*:?\s*(?P<n>\d+)\s*/\s*"
                     r"(?P<sym>[A-ZĐ0-9]+(?:\s*[-/]\s*[A-ZĐ0-9]+)*)", re.I)
_BLANK_NUMBER = re.compile(r"(?<![^\W\d_])s[ốỐ]\s*:?\s*[.…_\s]*/\s*[A-ZĐ]", re.I)
_DATE = re.compile(r"(?<![^\W\d_])ngày\s*(?:(?P<d>\d{1,2})\s*tháng\s*(?P<m>\d{1,2})\s*năm\s*(?P<y>\d{4})"
                   r"|(?P<d2>\d{1,2})\s*(?P<sep>[/.\-])\s*(?P<m2>\d{1,2})\s*(?P=sep)\s*(?P<y2>\d{4}))(?!\d)", re.I)
_BLANK_DATE = re.compile(r"(?<![^\W\d_])ngày[\s.…_]*(?:\d{1,2}[\s.…_]*)?tháng[\s.…_\d]*năm\s*(?P<y>\d{4})",
                         re.I)
_REPORT = re.compile(r"^b[áÁ]o\s+c[áÁ]o(?![^\W\d_])\s*[:\-–]?\s*", re.I)
_BOUNDARY = " | "  # what a removed part leaves: the segments on either side stay apart
_SEGMENT_SPLIT = re.compile(r"\s*\|\s*|\t+|\s{2,}")
_DECORATION = re.compile(r"^[\s\-–—_=*.~o0]*$|^[-–—_=*~]+\s*o0o\s*[-–—_=*~]+$", re.I)
# A line that starts the body after the title: a part, a numbered heading, the legal bases, a list item.
_PART = re.compile(r"^phần(?![^\W\d_])", re.I)
_BODY_START = re.compile(r"^(?:[IVX]+\s*[.\-–]|[A-Z]\s*[.\-–]\s|\d+\s*[.)]|căn\s+cứ\b|thực\s+hiện\b|"
                         r"kính\s+gửi\b|trong\s+năm\b|năm\s+\d{4}\b|[-+•])", re.I)


@dataclass
class Header:
    """What a report's header states; None where it does not say (each such field is named in `warnings`)."""

    document_number: str | None = None  # "02/BC-UBND", spaces removed
    date: str | None = None  # ISO "2023-01-05", the date as printed (its year is the printed one)
    place: str | None = None  # as written before the date: "Cẩm Điền", "TT Cẩm Giang"
    issuing_body: str | None = None  # "Ủy ban nhân dân xã Cẩm Điền"
    issuing_body_as_written: str | None = None  # "UỶ BAN NHÂN DÂN XÃ CẨM ĐIỀN", "UBND THỊ TRẤN LAI CÁCH"
    unit: str | None = None  # "xã Cẩm Điền", as running text writes it
    unit_type: str | None = None  # "xã" | "phường" | "thị trấn"
    unit_name: str | None = None  # "Cẩm Điền"
    district: str | None = None  # "huyện Cẩm Giàng"
    province: str | None = None  # "tỉnh Hải Dương"
    title: str | None = None  # the line(s) after "BÁO CÁO", as printed, joined by spaces
    warnings: list[str] = field(default_factory=list)

    def metadata(self) -> dict:
        """The stated fields in the form of source.json (only those stated; `unit` with name, type, district,
        province as stated), ready to merge over a year's metadata."""
        out: dict = {}
        if self.document_number:
            out["document_number"] = self.document_number
        if self.date:
            out["date"] = self.date
        if self.issuing_body:
            out["issuing_body"] = self.issuing_body
        if self.title:
            first = self.title.split()[0]
            out["title"] = ("BÁO CÁO " + self.title if self.title.isupper() else
                            "Báo cáo " + (self.title if first.isupper() else self.title[0].lower() + self.title[1:]))
        unit = {k: v for k, v in (("name", self.unit), ("type", self.unit_type), ("district", self.district),
                                  ("province", self.province)) if v}
        if unit:
            out["unit"] = unit
        return out


# ------------------------------------------------------------------------------------------------ helpers

def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).lower().split())


def _clean(line: str) -> str:
    """A line without the Markdown emphasis a converted report may carry (**BÁO CÁO**, # …)."""
    return line.strip().strip("*#_>` ").strip()


def _running_case(name: str) -> str:
    """A name as running text writes it: each word capitalised when the header prints it in capitals."""
    words = name.split()
    if any(w.isupper() and len(w) > 1 for w in words):
        return " ".join(w[:1].upper() + w[1:].lower() for w in words)
    return " ".join(words)


def _cut_name(words: list[str]) -> list[str]:
    """The words of a unit's name: up to a stop word, a change from capitals to running text, or the limit."""
    out: list[str] = []
    for i, word in enumerate(words[:MAX_NAME_WORDS]):
        folded = word.lower()
        pair = (folded, words[i + 1].lower()) if i + 1 < len(words) else None
        if folded in _STOP or pair in _STOP_PAIRS:
            break
        if out and out[0].isupper() and len(out[0]) > 1 and not word.isupper():
            break  # "XÃ CẨM ĐIỀN Cẩm Điền, ngày …": the capitals are the unit, the rest the place
        if out and not word[:1].isupper():
            break
        if not out and not word[:1].isupper():
            break  # "xã hội", "huyện và xã": no name
        out.append(word)
    return out


def _segments(lines: list[str]) -> list[str]:
    out = []
    for line in lines:
        for part in _SEGMENT_SPLIT.split(line):
            part = part.strip(" ,;:-")
            if part and not _DECORATION.match(part):
                out.append(part)
    return out


def _take(rows: list[str], pattern: re.Pattern) -> tuple[re.Match | None, int]:
    """The first match of `pattern` in the rows, and the row it is in."""
    for i, row in enumerate(rows):
        if m := pattern.search(row):
            return m, i
    return None, -1


def _cut_out(rows: list[str], i: int, start: int, end: int) -> None:
    """Take [start, end) out of row i, leaving a segment boundary."""
    rows[i] = rows[i][:start] + _BOUNDARY + rows[i][end:]


@dataclass
class _Unit:
    start: int
    level: str  # commune | district | province
    type: str
    name: str
    body: bool  # preceded by "Ủy ban nhân dân" / "UBND"
    as_written: str


def _units(text: str) -> list[_Unit]:
    found: list[_Unit] = []
    position = 0
    while m := _UNIT.search(text, position):
        typed = _fold(m["type"]).rstrip(".")
        words = _cut_name((m["name"] or "").split())
        if not words or (typed == "tt" and not m["body"]):  # "TT" alone is a table's "number" column
            position = m.end("type")
            continue
        kind, level = _TYPES[typed]
        name = _running_case(" ".join(words))
        if kind == "thành phố" and name.lower() in _CENTRAL_CITIES:
            level = "province"
        # the name ends after its last word: the search goes on from there (a flattened line holds two units)
        end = m.start("name")
        for word in words:
            end = text.index(word, end) + len(word)
        found.append(_Unit(m.start(), level, kind, name, bool(m["body"]), " ".join(text[m.start():end].split())))
        position = end
    return found


# ------------------------------------------------------------------------------------------------ the header

def _split_report_line(lines: list[str]) -> tuple[int | None, str]:
    """Where the "BÁO CÁO" line is among the first lines, and any title printed on it after the word."""
    seen = 0
    for i, raw in enumerate(lines):
        line = _clean(raw)
        if not line:
            continue
        seen += 1
        if seen > MAX_PREAMBLE_LINES:
            break
        if m := _REPORT.match(line):
            rest = line[m.end():].strip()
            # "BÁO CÁO" in capitals, or "Báo cáo" alone on its line: a sentence "Báo cáo kết quả …" is not it
            if line[:m.end()].strip(" :-–").isupper() or not rest:
                return i, rest
    return None, ""


def _title(lines: list[str], first: str) -> str | None:
    parts = [first] if first else []
    blank = False
    for raw in lines:
        line = _clean(raw)
        if not line:
            blank = True
            continue
        if _DECORATION.match(line):
            if parts:
                break
            continue
        if _PART.match(line) or len(line) > 250 or len(parts) >= MAX_TITLE_LINES:
            break
        capitals = bool(parts) and line.isupper() and parts[-1].isupper()  # "… KINH TẾ - XÃ HỘI" / "NĂM 2022"
        if not capitals and (_BODY_START.match(line) or (parts and line.endswith((".", ":")))):
            break  # the body begins (a heading, the legal bases, a sentence)
        if parts and blank and not (line[:1].islower() or capitals or len(line) <= MAX_TITLE_PARAGRAPH):
            break  # across a blank line (a .docx puts one between paragraphs) only a short line goes on the title
        parts.append(line)
        blank = False
    return " ".join(" ".join(parts).split()) or None


def read_header(text: str) -> Header:
    """Read the header of a report's text (see the module's docstring); never raises on any text."""
    header = Header()
    warnings = header.warnings
    lines = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    at, first_title = _split_report_line(lines)
    if at is None:
        warnings.append("no 'BÁO CÁO' line among the first lines: the header was read from the first "
                        f"{MAX_PREAMBLE_LINES // 2} lines and no title was read")
        preamble = [l for l in lines if l.strip()][:MAX_PREAMBLE_LINES // 2]
    else:
        preamble = lines[:at]
        header.title = _title(lines[at + 1:at + 1 + 3 * MAX_TITLE_LINES], first_title)
        if header.title is None:
            warnings.append("no title after 'BÁO CÁO'")
    # Number and date first, on whole lines (their odd spacing would cut them into segments); each is
    # replaced by a segment boundary. The motto before all: it stands in the right column, and its "XÃ HỘI"
    # is no commune.
    rows = [_MOTTO.sub(_BOUNDARY, _clean(line)) for line in preamble]

    m, i = _take(rows, _NUMBER)
    if m:
        symbol = re.sub(r"\s+", "", m["sym"]).upper()
        header.document_number = f"{m['n']}/{symbol}"
        _cut_out(rows, i, m.start(), m.end())
    elif _take(rows, _BLANK_NUMBER)[0]:
        warnings.append("the document number is left blank in the header (Số: …/…)")
    else:
        warnings.append("no document number (Số: …) in the header")

    m, i = _take(rows, _DATE)
    if m:
        day, month, year = (int(m["d"]), int(m["m"]), int(m["y"])) if m["d"] else \
            (int(m["d2"]), int(m["m2"]), int(m["y2"]))  # d/m/y: the Vietnamese order, after "ngày"
        try:
            header.date = dt.date(year, month, day).isoformat()
        except ValueError:
            warnings.append(f"the header's date {' '.join(m.group().split())!r} is no real date")
        # the place is what stands before "ngày" in its segment: "Cẩm Điền, ngày …"
        before = rows[i][:m.start()]
        last = _SEGMENT_SPLIT.split(before)[-1]
        start = len(before) - len(last)
        words = last.strip(" ,;:-").split()
        caps = 0
        while caps < len(words) and words[caps].isupper() and len(words[caps]) > 1:
            caps += 1
        if 2 <= caps < len(words):  # "XÃ CẨM ĐIỀN Cẩm Điền, ngày …": a flattened unit, then the place
            header.place = " ".join(words[caps:])
            rows[i] = rows[i][:start] + " ".join(words[:caps]) + _BOUNDARY + rows[i][m.end():]
        else:
            header.place = " ".join(words) or None
            _cut_out(rows, i, start, m.end())
    elif b := _take(rows, _BLANK_DATE)[0]:
        warnings.append(f"the date is left blank in the header ({' '.join(b.group().split())!r})")
    else:
        warnings.append("no date (…, ngày … tháng … năm …) in the header")

    segments = _segments(rows)
    units = _units("\n".join(segments))
    communes = [u for u in units if u.level == "commune"]
    commune = next((u for u in communes if u.body), communes[0] if communes else None)
    if commune:
        header.unit_type, header.unit_name = commune.type, commune.name
        header.unit = f"{commune.type} {commune.name}"
        if commune.body:
            header.issuing_body = f"Ủy ban nhân dân {header.unit}"
            header.issuing_body_as_written = commune.as_written
        else:
            warnings.append(f"the header names {header.unit} but not its issuing body (Ủy ban nhân dân …)")
    else:
        others = [u for u in units if u.body]
        named = f" (it names only Ủy ban nhân dân {others[0].type} {others[0].name})" if others else ""
        warnings.append(f"no issuing body of a xã, phường or thị trấn (Ủy ban nhân dân …) in the header{named}")
    district = next((u for u in units if u.level == "district"), None)
    province = next((u for u in units if u.level == "province"), None)
    header.district = f"{district.type} {district.name}" if district else None
    header.province = f"{province.type} {province.name}" if province else None
    if not district:
        warnings.append("no district (huyện, quận, thị xã, thành phố …) in the header")
    if not province:
        warnings.append("no province (tỉnh …) in the header")
    return header
