"""A report's key-figure tables (plan / actual / %) → their columns and rows, each cell placed in the normalised text.

Pure text → structure: which indicator a row is, and what its numbers mean, is decided elsewhere. Two forms:

    piped      a reader's table: one line per row, cells joined by " | " (readers.SEPARATOR), an empty cell an
               empty string between separators (``3 | Tổng chi ngân sách | đồng | | 7.902.655.210 |``);
    flattened  text copied from a web page or a converter: one cell per line, header cells first, then each
               row's cells; empty cells are usually just missing.

A table is recognised only by its header: a label column ("Chỉ tiêu", "Nội dung"…) and at least one value column
whose kind is known (target, actual or plan attainment). Header cells are matched folded (case and tone marks
ignored, `provenance.fold`), without parentheses, dots inside abbreviations or a trailing colon, against the
vocabulary below (module data, to extend as reports bring new wordings).

Precision first: a row that cannot be read with certainty goes to `skipped` with the reason, never guessed. In
the flattened form this means every row whose cell count differs from the header's, since once a cell is missing
nothing tells which column each remaining number belongs to.

Offsets (`start`, `end`) are in `provenance.normalise(text)`, the form quotes are checked in: a row's `quote` is
exactly ``normalise(text)[row.start:row.end]`` and every cell's text stands at its own offsets inside it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from ..checks.provenance import fold, normalise

__all__ = ["Cell", "Column", "KeyTable", "Skipped", "TableRow", "find_tables"]

# --- Header vocabulary: phrases as reports write them; matched folded, as whole cells. ---------------------------
NUMBER_HEADERS = ("TT", "STT", "Số TT", "Số thứ tự", "Thứ tự")
LABEL_HEADERS = ("Chỉ tiêu", "Các chỉ tiêu", "Tên chỉ tiêu", "Nội dung", "Nội dung chỉ tiêu", "Danh mục",
                 "Hạng mục", "Diễn giải")
UNIT_HEADERS = ("ĐVT", "Đơn vị tính", "Đơn vị", "ĐV tính", "ĐV")
# Columns that are neither label nor value but may stand in a flattened header run.
OTHER_HEADERS = ("Ghi chú",)
# A value column's header is a head, optionally followed by a qualifier ("Kế hoạch huyện giao"); years and the
# word "năm" are dropped first ("Ước TH năm 2022" → "Ước TH").
TARGET_HEADS = ("Kế hoạch", "KH", "Chỉ tiêu kế hoạch", "Chỉ tiêu KH", "Dự toán", "Nghị quyết", "NQ",
                "Chỉ tiêu nghị quyết", "Chỉ tiêu NQ", "Mục tiêu", "Chỉ tiêu")  # bare "Chỉ tiêu" is the label
TARGET_QUALIFIERS = ("", "giao", "được giao", "huyện giao", "HĐND giao", "HĐND xã giao", "đề ra", "HĐND",
                     "đại hội")
ACTUAL_HEADS = ("Thực hiện", "TH", "Ước thực hiện", "Ước TH", "UTH", "Ước tính", "Ước", "Kết quả",
                "Kết quả thực hiện", "Ước kết quả", "Ước đạt", "Đạt", "Đạt được", "Kết quả đạt được")
ACTUAL_QUALIFIERS = ("", "cả", "được")  # "cả" of "cả năm", once "năm" is dropped
# Whole headers that mean actual / target by convention of these tables.
ATTAINMENT_PHRASES = ("Tỷ lệ", "Tỷ lệ %", "Tỉ lệ", "Tỉ lệ %", "Tỷ lệ đạt", "Tỷ lệ đạt %", "Tỷ lệ % đạt",
                      "% đạt", "Đạt %", "Tỷ lệ hoàn thành", "% hoàn thành")
# A ratio (one of these words) with a plan (one of PLAN_WORDS) is a plan attainment: "% so KH", "TH/KH",
# "So sánh (%) TH/KH", "Đạt % KH"; a ratio without one ("So sánh (%)", "So với năm 2021") has no known kind.
COMPARISON_WORDS = ("so", "so sánh", "so với", "%", "/", "tỷ lệ", "tỉ lệ", "bằng")
PLAN_WORDS = ("KH", "kế hoạch", "NQ", "nghị quyết", "dự toán", "chỉ tiêu", "mục tiêu")
# A comparison with last year, or a change, is never a plan attainment, whatever else the header says.
PRIOR_WORDS = ("cùng kỳ", "CK", "năm trước", "tăng", "giảm", "chênh lệch")
ESTIMATE_WORDS = ("ước", "UTH")

# Header cells are short; a longer " | " segment is running text.
MAX_HEADER_WORDS = 8
# A flattened table ends at a line longer than this (a cell is a few words; a sentence is longer).
MAX_CELL_WORDS = 12

KINDS = ("target", "actual", "plan_attainment")

_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
_SEP = re.compile(r"(?<!\S)\|(?!\S)")  # a pipe standing alone between cells, not one inside a word
_NUMBER_LIKE = re.compile(r"^[+\-−–]?\s?\d+(?:[.,]\d+)*\s?%?$")
_EMPTY = frozenset({"", "-", "–", "—", "x", "X", "...", "…"})
_ROW_NUMBER = re.compile(r"^(?:\d{1,3}(?:\.\d{1,3})*|[IVXL]{1,6}|[a-zđA-ZĐ])[.)]?$")
_BULLET = frozenset({"-", "–", "+", "*", "•"})
_LETTER = re.compile(r"[^\W\d_]")
# A line that opens a heading or a list item: numbering, then words on the same line ("4. Phấn đấu…",
# "a) nông nghiệp…", "II. LĨNH VỰC…", "- Chi đầu tư…"). A flattened row number stands alone on its line.
_HEADING = re.compile(r"^(?:(?:\d{1,3}(?:\.\d{1,3})*|[IVXL]{1,6})\s*[.):\-–]\s*|[a-zđA-ZĐ]\s*[.):\-–]\s+"
                      r"|[-–+*•]\s*)[^\W\d_]")
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10, "XI": 11,
          "XII": 12, "XIII": 13, "XIV": 14, "XV": 15, "XVI": 16, "XVII": 17, "XVIII": 18, "XIX": 19, "XX": 20}
# Row letters follow either alphabet: "a, b, c, d, đ, e" or "a, b, c, d, e".
_ALPHABETS = ("abcdefghijklmnopqrstuvwxyz", "abcdđeghiklmnopqrstuvxy")


@dataclass(frozen=True)
class Column:
    header: str  # as written (normalised spaces)
    role: str  # "number" | "label" | "unit" | "value" | "other"
    kind: str | None  # for a value column: "target" | "actual" | "plan_attainment", None when not sure
    year: int | None  # the one year written in the header, else None
    estimated: bool  # "ước" in the header


@dataclass(frozen=True)
class Cell:
    text: str  # as written, stripped, spaces normalised
    start: int  # offset in provenance.normalise(text)
    end: int


@dataclass(frozen=True)
class TableRow:
    number: str | None  # the TT cell
    label: Cell
    unit: Cell | None
    values: tuple[tuple[Column, Cell], ...]  # non-empty, number-like cells of value columns, in column order
    quote: str  # exactly normalise(text)[start:end]
    start: int
    end: int


@dataclass(frozen=True)
class Skipped:
    quote: str
    start: int
    reason: str


@dataclass(frozen=True)
class KeyTable:
    columns: tuple[Column, ...]
    rows: tuple[TableRow, ...]
    skipped: tuple[Skipped, ...]
    start: int  # span in the normalised text, header included
    end: int
    form: str  # "piped" | "flattened"


# --- Offsets ------------------------------------------------------------------------------------------------------

class _Offsets:
    """Positions in the NFC text → positions in its normalised form (`provenance.normalise`).

    normalise is NFC, then every whitespace run → one space, then strip; so after NFC only whitespace changes,
    and each non-space character keeps its order: its new index is counted run by run.
    """

    def __init__(self, nfc: str):
        self.index = [-1] * len(nfc)
        out = 0
        for match in re.finditer(r"\S+", nfc):  # the same \s as normalise's, so the two agree
            if out:
                out += 1  # the single space the whitespace run before this word became
            for k in range(match.start(), match.end()):
                self.index[k] = out + k - match.start()
            out += match.end() - match.start()
        self.normal = normalise(nfc)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The normalised span of nfc[start:end], which starts and ends with a non-space character."""
        return self.index[start], self.index[end - 1] + 1

    def cell(self, start: int, end: int) -> Cell | None:
        """The cell at nfc[start:end] once stripped, or None when it holds only spaces."""
        while start < end and self.index[start] < 0:
            start += 1
        while end > start and self.index[end - 1] < 0:
            end -= 1
        if start == end:
            return None
        a, b = self.span(start, end)
        return Cell(self.normal[a:b], a, b)


@dataclass(frozen=True)
class _Line:
    start: int  # offset of the line's text in the NFC text
    text: str  # without its line end

    @property
    def blank(self) -> bool:
        return not self.text.strip()


def _lines(nfc: str) -> list[_Line]:
    lines, at = [], 0
    for piece in nfc.splitlines(keepends=True):  # every line end splitlines knows is whitespace to normalise
        body = piece.rstrip("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
        lines.append(_Line(at, body))
        at += len(piece)
    return lines


def _piped(text: str) -> bool:
    return bool(_SEP.search(text))


def _piped_cells(line: _Line, offsets: _Offsets) -> list[Cell | None]:
    bounds = [0, *(k for m in _SEP.finditer(line.text) for k in (m.start(), m.end())), len(line.text)]
    return [offsets.cell(line.start + bounds[k], line.start + bounds[k + 1]) for k in range(0, len(bounds), 2)]


def _line_cell(line: _Line, offsets: _Offsets) -> Cell | None:
    return offsets.cell(line.start, line.start + len(line.text))


# --- Headers ------------------------------------------------------------------------------------------------------

def _key(text: str) -> str:
    """A header cell as matched: folded words, no parentheses, no dots inside abbreviations, no trailing colon."""
    text = normalise(text)
    text = re.sub(r"[()\[\]]", " ", text)
    text = re.sub(r"(?<=[^\W\d_])\.(?=[^\W\d_])", "", text)  # "Đ.V.T" → "ĐVT"
    text = re.sub(r"([%/])", r" \1 ", text).strip().rstrip(":.").strip()
    return " ".join(fold(word) for word in text.split())


@lru_cache(maxsize=None)
def _phrases(phrases: tuple[str, ...]) -> frozenset[str]:
    return frozenset(_key(p) for p in phrases)


@lru_cache(maxsize=None)
def _combined(heads: tuple[str, ...], qualifiers: tuple[str, ...]) -> frozenset[str]:
    return frozenset(" ".join(filter(None, (h, q))) for h in _phrases(heads) for q in _phrases(qualifiers) | {""})


def _has(key: str, phrases: tuple[str, ...]) -> bool:
    padded = f" {key} "
    return any(f" {p} " in padded for p in _phrases(phrases))


def _classify(header: str) -> Column:
    text = normalise(header)
    key = _key(text)
    years = {int(y) for y in _YEAR.findall(text)}
    year = next(iter(years)) if len(years) == 1 else None
    estimated = _has(key, ESTIMATE_WORDS)

    def column(role: str, kind: str | None = None) -> Column:
        return Column(text, role, kind, year, estimated)

    if key in _phrases(NUMBER_HEADERS):
        return column("number")
    if key in _phrases(LABEL_HEADERS):
        return column("label")
    if key in _phrases(UNIT_HEADERS):
        return column("unit")
    # A value header without its years, "năm" and "cả năm": what is left names the kind.
    bare = " ".join(w for w in key.split() if not _YEAR.fullmatch(w) and w != fold("năm"))
    if bare in _phrases(ATTAINMENT_PHRASES):
        return column("value", "plan_attainment")
    comparison = _has(bare, COMPARISON_WORDS)
    if _has(bare, PRIOR_WORDS):
        return column("value")  # a change or a comparison with last year
    if comparison:
        # Two different years ("KH 2023/TH 2022") compare across years, not with this year's plan.
        plan = _has(bare, PLAN_WORDS) and len(years) <= 1
        return column("value", "plan_attainment" if plan else None)
    if bare in _combined(TARGET_HEADS, TARGET_QUALIFIERS):
        return column("value", "target")
    if bare in _combined(ACTUAL_HEADS, ACTUAL_QUALIFIERS):
        return column("value", "actual")
    value_words = TARGET_HEADS + ACTUAL_HEADS + PLAN_WORDS
    if (not bare and years) or _has(bare, value_words):  # "Năm 2021", "Thực hiện 6 tháng": a value, kind unsure
        return column("value")
    return column("other")


def _columns(headers: list[str], flattened: bool) -> tuple[Column, ...] | None:
    """The columns of a header row, or None when these cells are no key-figure table's header."""
    if len(headers) < 3 or any(len(h.split()) > MAX_HEADER_WORDS for h in headers):
        return None
    columns = tuple(_classify(h) for h in headers)
    roles = [c.role for c in columns]
    if roles.count("label") != 1 or roles.count("number") > 1 or roles.count("unit") > 1:
        return None
    if not any(c.role == "value" and c.kind for c in columns):
        return None
    if flattened:
        # One cell per line: every line must be a header word, and the row number (if any) comes first, so that
        # a heading line just above is not taken for a column.
        if any(c.role == "other" and _key(c.header) not in _phrases(OTHER_HEADERS) for c in columns):
            return None
        if roles[0] not in ("number", "label"):
            return None
    return columns


# --- Rows ---------------------------------------------------------------------------------------------------------

def _number_like(text: str) -> bool:
    return bool(_NUMBER_LIKE.match(text))


def _is_group(texts: list[str]) -> bool:
    """A section title row ("I | Kinh tế"): no number in it besides its own row number."""
    texts = [t for t in texts if t]
    if texts and _ROW_NUMBER.match(texts[0]):
        texts = texts[1:]
    return not any(ch.isdigit() for t in texts for ch in t)


_GROUP = object()  # a row read as a section title: left out silently


def _read_row(columns: tuple[Column, ...], cells: list[Cell | None], start: int, end: int, normal: str):
    """A TableRow, a reason (str) to skip the row, or _GROUP."""
    by_role: dict[str, Cell | None] = {}
    for column, cell in zip(columns, cells):
        if column.role in ("number", "label", "unit"):
            by_role[column.role] = cell
    number, label, unit = by_role.get("number"), by_role.get("label"), by_role.get("unit")
    value_cells = [(c, cell) for c, cell in zip(columns, cells) if c.role == "value" and cell is not None]
    if unit is None and not any(cell.text not in _EMPTY for _, cell in value_cells):
        if label is None or _is_group([cell.text if cell else "" for cell in cells]):
            return _GROUP
    if label is None:
        return "label cell is empty"
    if not _LETTER.search(label.text) or _number_like(label.text):
        return f"label cell {label.text!r} holds no words: columns may be shifted"
    if number is not None and not (_ROW_NUMBER.match(number.text) or number.text in _BULLET):
        return f"number cell {number.text!r} is not a row number"
    if unit is not None and _number_like(unit.text):
        return f"unit cell {unit.text!r} holds a number: columns may be shifted"
    values = tuple((c, cell) for c, cell in value_cells if cell.text not in _EMPTY and _number_like(cell.text))
    return TableRow(number.text if number else None, label, unit, values, normal[start:end], start, end)


def _skip(normal: str, start: int, end: int, reason: str) -> Skipped:
    return Skipped(normal[start:end], start, reason)


def _read_piped(lines: list[_Line], at: int, columns: tuple[Column, ...], offsets: _Offsets):
    """Rows of the piped table whose header is lines[at]: until the first line that is not a " | " line."""
    rows, skipped, last = [], [], at
    k = at + 1
    while k < len(lines) and _piped(lines[k].text):
        cells = _piped_cells(lines[k], offsets)
        if _columns([c.text if c else "" for c in cells], flattened=False):
            break  # the header of the next table
        last = k
        k += 1
        present = [c for c in cells if c is not None]
        if not present:
            continue
        start, end = present[0].start, present[-1].end
        if len(cells) != len(columns):
            if not _is_group([c.text if c else "" for c in cells]):
                skipped.append(_skip(offsets.normal, start, end,
                                     f"{len(cells)} cells where the header has {len(columns)}: "
                                     "cannot tell which column each number belongs to"))
            continue
        _take_row(columns, cells, start, end, offsets.normal, rows, skipped)
    return rows, skipped, last


def _take_row(columns, cells, start: int, end: int, normal: str, rows: list, skipped: list) -> None:
    """A row read (into `rows`), or the reason it cannot be (into `skipped`); a group title is neither."""
    result = _read_row(columns, cells, start, end, normal)
    if isinstance(result, TableRow):
        rows.append(result)
    elif isinstance(result, str):
        skipped.append(_skip(normal, start, end, result))


def _ends_flattened(text: str) -> bool:
    """A line that cannot be a cell: running text, a heading, a list item, a piped row."""
    words = text.split()
    return (len(words) > MAX_CELL_WORDS or _piped(text) or bool(_HEADING.match(text.strip()))
            or text.rstrip().endswith(":") or (text.rstrip().endswith(".") and len(words) > 6))


def _row_number_keys(text: str) -> list[tuple[str, object]]:
    """Every reading of a row number: ("arabic", (1, 2)), ("roman", 2), ("lower"/"upper", letter)."""
    text = text.rstrip(".)")
    keys: list[tuple[str, object]] = []
    if re.fullmatch(r"\d{1,3}(?:\.\d{1,3})*", text):
        keys.append(("arabic", tuple(int(p) for p in text.split("."))))
    if text in _ROMAN:
        keys.append(("roman", _ROMAN[text]))
    if len(text) == 1 and _LETTER.match(text):
        keys.append(("lower" if text.islower() else "upper", text.lower()))
    return keys


def _follows(last: dict[str, object], scheme: str, value: object) -> bool:
    """Whether a row number may come next: the one after the last of its scheme, or the first of its scheme
    right after a row of another scheme ("1" under "II", "a" under "2"); any number opens the table."""
    if not last:
        return True
    previous = last.get(scheme)
    first = {"arabic": (1,), "roman": 1}.get(scheme, "a")
    if value == first and (previous is None or last["scheme"] != scheme):
        return True
    if previous is None:
        return False
    if scheme == "arabic":
        after = {previous[:k] + (previous[k] + 1,) for k in range(len(previous))} | {previous + (1,)}
        return value in after
    if scheme == "roman":
        return value == previous + 1
    return any(previous in a and value in a and a.index(value) == a.index(previous) + 1 for a in _ALPHABETS)


def _read_numbered(lines: list[_Line], first: int, columns: tuple[Column, ...], offsets: _Offsets):
    """Flattened rows, each from its row number (on a line of its own) to the next row number.

    A line looking like a row number may be a value ("8"): it starts a row only when the next line is a label
    (words, not a number) and it either follows the previous row number in sequence or comes after a row that
    already has all its cells (a gap in the numbering).
    """
    width = len(columns)
    last: dict[str, object] = {}
    blocks: list[list[int]] = []

    def next_filled(k: int) -> int | None:
        while k < len(lines) and lines[k].blank:
            k += 1
        return k if k < len(lines) else None

    def starts_row(k: int, full: bool) -> bool:
        text = lines[k].text.strip()
        if not _ROW_NUMBER.match(text):
            return False
        after = next_filled(k + 1)
        if after is None:
            return False
        label = lines[after].text.strip()
        if not _LETTER.search(label) or label in _EMPTY or _number_like(label) or _ends_flattened(label):
            return False
        keys = [(s, v) for s, v in _row_number_keys(text) if full or _follows(last, s, v)]
        for scheme, value in keys:
            last[scheme] = value
        if keys:
            last["scheme"] = keys[0][0]
        return bool(keys)

    k = first
    while k < len(lines):
        line = lines[k]
        current = blocks[-1] if blocks else None
        filled = sum(not lines[j].blank for j in current) if current else 0
        if line.blank:
            after = next_filled(k)
            if after is None or _ends_flattened(lines[after].text):
                break
            if starts_row(after, filled >= width):
                blocks.append([after])
                k = after + 1
                continue
            nxt = lines[after].text.strip()
            if current and filled < width and (_number_like(nxt) or nxt in _EMPTY):
                current.append(k)  # an empty cell written as a blank line
                k += 1
                continue
            break  # a blank line, then something that is no cell of this table
        if _ends_flattened(line.text):
            break
        if starts_row(k, filled >= width):
            blocks.append([k])
        elif current is None:
            break
        elif filled >= width and not _ROW_NUMBER.match(line.text.strip()):
            break  # the last row is complete: this line is text after the table
        else:
            current.append(k)
        k += 1

    rows, skipped, end_line = [], [], first - 1
    for block in blocks:
        while lines[block[-1]].blank:
            block.pop()
        end_line = block[-1]
        all_cells = [_line_cell(lines[j], offsets) for j in block]
        present = [c for c in all_cells if c is not None]
        start, end = present[0].start, present[-1].end
        if len(all_cells) == width:
            cells = all_cells  # blank lines stand for the empty cells
        elif len(present) == width:
            cells = present
        else:
            if len(present) < width and _is_group([c.text for c in present]):
                continue
            reason = ("cells missing" if len(present) < width else "more cells than columns")
            skipped.append(_skip(offsets.normal, start, end,
                                 f"{reason}: cannot tell which column each number belongs to "
                                 f"({len(present)} cells, {width} columns)"))
            continue
        _take_row(columns, cells, start, end, offsets.normal, rows, skipped)
    return rows, skipped, end_line


def _read_groups(lines: list[_Line], first: int, columns: tuple[Column, ...], offsets: _Offsets):
    """Flattened rows without a leading row number: consecutive groups of exactly one line per column, until a
    group that does not look like a row (a label without words, a value that is no number)."""
    width = len(columns)
    rows, end_line, k = [], first - 1, first
    while True:
        group: list[int] = []
        while k < len(lines) and len(group) < width:
            line = lines[k]
            if line.blank:
                after = k
                while after < len(lines) and lines[after].blank:
                    after += 1
                if after == len(lines) or _ends_flattened(lines[after].text):
                    break
            elif _ends_flattened(line.text):
                break
            else:
                group.append(k)
            k += 1
        if len(group) < width:
            break
        cells = [_line_cell(lines[j], offsets) for j in group]
        if not _plausible_group(columns, cells):
            break
        result = _read_row(columns, cells, cells[0].start, cells[-1].end, offsets.normal)
        if not isinstance(result, TableRow):
            break
        rows.append(result)
        end_line = group[-1]
    return rows, [], end_line


def _plausible_group(columns: tuple[Column, ...], cells: list[Cell]) -> bool:
    for column, cell in zip(columns, cells):
        if column.role == "label" and (not _LETTER.search(cell.text) or _number_like(cell.text)):
            return False
        if column.role == "value" and not (cell.text in _EMPTY or _number_like(cell.text)):
            return False
        if column.role == "number" and not _ROW_NUMBER.match(cell.text):
            return False
        if column.role == "unit" and _number_like(cell.text):
            return False
    return True


def _flattened_header(lines: list[_Line], at: int) -> tuple[tuple[Column, ...], int] | None:
    """The header whose first cell is lines[at], and the index of its last line; or None."""
    k = at
    while (k < len(lines) and not lines[k].blank and not _piped(lines[k].text)
           and len(lines[k].text.split()) <= MAX_HEADER_WORDS):
        column = _classify(lines[k].text)
        if column.role == "other" and _key(column.header) not in _phrases(OTHER_HEADERS):
            break
        k += 1
    if k - at < 3:
        return None
    columns = _columns([lines[j].text for j in range(at, k)], flattened=True)
    return (columns, k - 1) if columns else None


def find_tables(text: str) -> list[KeyTable]:
    """Every key-figure table of a report's text, in order, with offsets in `provenance.normalise(text)`."""
    nfc = unicodedata.normalize("NFC", text)
    offsets = _Offsets(nfc)
    lines = _lines(nfc)
    tables: list[KeyTable] = []
    k = 0
    while k < len(lines):
        line = lines[k]
        if line.blank:
            k += 1
            continue
        table = None
        if _piped(line.text):
            header_cells = _piped_cells(line, offsets)
            columns = _columns([c.text if c else "" for c in header_cells], flattened=False)
            if columns:
                rows, skipped, last = _read_piped(lines, k, columns, offsets)
                table = (columns, rows, skipped, k, last, "piped")
        else:
            found = _flattened_header(lines, k)
            if found:
                columns, header_end = found
                numbered = columns[0].role == "number"
                read = _read_numbered if numbered else _read_groups
                rows, skipped, last = read(lines, header_end + 1, columns, offsets)
                table = (columns, rows, skipped, k, last, "flattened")
        if table and (table[1] or table[2]):
            columns, rows, skipped, first, last, form = table
            start = _line_cell(lines[first], offsets).start
            end = _line_cell(lines[last], offsets).end
            tables.append(KeyTable(columns, tuple(rows), tuple(skipped), start, end, form))
            k = last + 1
        else:
            k += 1
    return tables
